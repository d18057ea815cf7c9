/* db_backup_pg.c — backups of a PostgreSQL database with pg_dump and pg_restore (see
 * db_backup.h, and pg_tool.c for how the programs are run).
 *
 * Backup: pg_dump --format=custom in the snapshot the caller's read transaction exported, so the
 * audit chain the caller verifies in that transaction is exactly the one in the archive.
 *
 * Restore, in the target database: schema public is renamed aside (mz_before_restore_PID) and an
 * empty public made in its place in one transaction, pg_restore fills the new one in a single
 * transaction, the caller checks it (schema version, audit chain) and then either the old schema
 * is dropped or the new one dropped and the old renamed back. The data before the restore stays
 * in the database, whole, until the restored data has passed every check; were the process killed
 * in between, it is still there under its new name.
 */
#include "db/db_backup.h"
#include "db/pg_tool.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ASIDE_PREFIX "mz_before_restore_"

struct db_pg_restore {
	PGconn *c;
	char aside[64];
	int had_public; /* whether public existed (else undo just drops the new one) */
	int swapped;
};

void db_pg_describe(const char *conn, char *out, size_t n)
{
	const char *db = NULL, *host = NULL, *port = NULL;
	PQconninfoOption *opts = PQconninfoParse(conn, NULL);
	for (PQconninfoOption *o = opts; o && o->keyword; o++) {
		if (!o->val || !*o->val)
			continue;
		if (!strcmp(o->keyword, "dbname"))
			db = o->val;
		else if (!strcmp(o->keyword, "host"))
			host = o->val;
		else if (!strcmp(o->keyword, "port"))
			port = o->val;
	}
	snprintf(out, n, "%s%s%s%s%s", db ? db : "（默认库）", host ? "@" : "", host ? host : "",
		 port ? ":" : "", port ? port : "");
	PQconninfoFree(opts);
}

int db_pg_snapshot(struct db *db, char *out, size_t n, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT pg_export_snapshot()", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	if (rc != 1) {
		db_done(st);
		return rc < 0 ? -1 : err_set(e, 500, "backup_failed", NULL, "无法导出快照");
	}
	snprintf(out, n, "%s", db_col_text(st, 0));
	db_done(st);
	return 0;
}

/* The major version after "server version: " in what pg_dump said, else 0. */
static int server_major(const char *said)
{
	const char *s = strstr(said, "server version: ");
	return s ? atoi(s + 16) : 0;
}

/* e from a failed pg_dump: a version mismatch gets its own code and the package to install. */
static int dump_failed(const struct pg_tool *t, struct err *e)
{
	if (strstr(t->said, "server version mismatch")) {
		int major = server_major(t->said);
		char pkg[64] = PG_TOOL_PACKAGE;
		if (major > 0)
			snprintf(pkg, sizeof pkg, PG_TOOL_PACKAGE "-%d", major);
		return err_set(e, 500, "pg_version", NULL,
			       "pg_dump 的版本低于 PostgreSQL 服务器的版本（%.160s）：pg_dump "
			       "须与服务器主版本相同或更新，请安装 apt-get install %s",
			       strstr(t->said, "server version: ")
				   ? strstr(t->said, "server version: ")
				   : t->said,
			       pkg);
	}
	return -1; /* e already says what pg_dump said */
}

int db_pg_dump(const char *conn, const char *snapshot, const char *dest, db_pg_sink_fn sink,
	       void *ctx, struct err *e)
{
	char snap[128], file[4200];
	const char *args[8];
	int n = 0;
	args[n++] = "--format=custom";
	args[n++] = "--no-password";
	args[n++] = "--exclude-schema=" ASIDE_PREFIX "*";
	if (snapshot) {
		snprintf(snap, sizeof snap, "--snapshot=%s", snapshot);
		args[n++] = snap;
	}
	if (dest) {
		snprintf(file, sizeof file, "--file=%s", dest);
		args[n++] = file;
	}
	args[n] = NULL;
	struct pg_tool t;
	if (pg_tool_start(&t, "pg_dump", args, conn, dest == NULL, e) < 0)
		return -1;
	int rc = 0;
	if (!dest) {
		FILE *in = fdopen(t.out, "rb");
		if (!in) {
			rc = err_oom(e);
		} else {
			t.out = -1;
			rc = sink(in, ctx, e);
			fclose(in); /* pg_dump stops on a closed pipe when the sink gave up */
		}
	}
	struct err te;
	if (pg_tool_finish(&t, &te) < 0 && rc == 0) {
		*e = te;
		rc = -1;
		dump_failed(&t, e);
	}
	if (rc < 0 && dest)
		unlink(dest);
	return rc;
}

/* The file starts with SQLite's header: a backup of an SQLite database. */
static int is_sqlite_file(const char *file)
{
	char head[16] = "";
	FILE *f = fopen(file, "rb");
	size_t n = f ? fread(head, 1, sizeof head, f) : 0;
	if (f)
		fclose(f);
	return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0;
}

/* e from a pg_restore that could not read an archive written by a newer pg_dump. */
static int archive_failed(const struct pg_tool *t, struct err *e, const char *what)
{
	if (strstr(t->said, "unsupported version"))
		return err_set(
		    e, 400, "pg_version", NULL,
		    "备份由更新版本的 pg_dump 生成，本机的 pg_restore 读不了（%.160s）：请安装"
		    "更新的 PostgreSQL 客户端（apt-get install " PG_TOOL_PACKAGE "-版本号）",
		    t->said);
	return err_set(e, 400, "bad_backup", NULL, "%s（pg_restore：%.200s）", what, t->said);
}

int db_pg_archive_check(const char *file, struct err *e)
{
	if (access(file, R_OK) != 0)
		return err_set(e, 404, "not_found", NULL, "无法读取备份文件：%s", file);
	if (is_sqlite_file(file))
		return err_set(e, 400, "bad_backup", NULL,
			       "这是 SQLite 数据库的备份，不能恢复到 PostgreSQL 数据库");
	struct pg_tool t;
	struct err te;
	const char *list[] = {"--list", file, NULL};
	if (pg_tool_run(&t, "pg_restore", list, NULL, &te) < 0) {
		if (!strcmp(te.code, "pg_tool_missing")) {
			*e = te;
			return -1;
		}
		return archive_failed(&t, e, "不是有效的 PostgreSQL 备份（pg_dump 归档）");
	}
	/* every data block read and decompressed: a truncated or changed file fails here */
	const char *all[] = {"--file=/dev/null", file, NULL};
	if (pg_tool_run(&t, "pg_restore", all, NULL, &te) < 0)
		return archive_failed(&t, e, "备份文件已损坏");
	return 0;
}

/* ---- restoring into a database ------------------------------------------------------------ */

/* Run sql on the restore connection; 0, or -1 with e (what, and the server's message). */
static int run(struct db_pg_restore *r, const char *sql, const char *what, struct err *e)
{
	PGresult *res = PQexec(r->c, sql);
	ExecStatusType s = PQresultStatus(res);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		char msg[240];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(r->c));
		msg[strcspn(msg, "\n")] = '\0';
		rc = err_set(e, 500, "restore_failed", NULL, "%s失败：%s", what, msg);
		PQclear(PQexec(r->c, "ROLLBACK"));
	}
	PQclear(res);
	return rc;
}

/* One integer from a query without parameters, or -1. */
static long long one_int(struct db_pg_restore *r, const char *sql)
{
	PGresult *res = PQexec(r->c, sql);
	long long v = -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		v = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

int db_pg_restore_open(const char *conn, struct db_pg_restore **out, struct err *e)
{
	struct db_pg_restore *r = calloc(1, sizeof *r);
	if (!r)
		return err_oom(e);
	snprintf(r->aside, sizeof r->aside, ASIDE_PREFIX "%ld", (long)getpid());
	r->c = PQconnectdb(conn);
	if (!r->c || PQstatus(r->c) != CONNECTION_OK) {
		char msg[300];
		snprintf(msg, sizeof msg, "%s", r->c ? PQerrorMessage(r->c) : "内存不足");
		msg[strcspn(msg, "\n")] = '\0';
		int missing = strstr(msg, "does not exist") && strstr(msg, "database");
		if (missing)
			err_set(e, 404, "not_found", "db",
				"要恢复到的数据库不存在（%.200s）：请先建一个空数据库，"
				"例如 createdb -O 用户 -T template0 -E UTF8 --locale=C.UTF-8 库名",
				msg);
		else
			err_set(e, 503, "db_unavailable", "db", "无法连接 PostgreSQL 数据库：%s",
				msg);
		db_pg_restore_close(r);
		return -1;
	}
	PQsetNoticeProcessor(r->c, quiet, NULL);
	*out = r;
	return 0;
}

void db_pg_restore_close(struct db_pg_restore *r)
{
	if (!r)
		return;
	PQfinish(r->c);
	free(r);
}

int db_pg_restore_has_tables(struct db_pg_restore *r)
{
	long long n = one_int(r, "SELECT count(*) FROM pg_class c JOIN pg_namespace n "
				 "ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
				 "AND c.relkind IN ('r', 'p', 'v', 'm', 'f')");
	return n < 0 ? -1 : n > 0;
}

/* Other client sessions on the database. A session that has just ended (a psql, our own earlier
 * connection) may linger in pg_stat_activity for a moment: wait up to 2 s for it to go. */
int db_pg_restore_others(struct db_pg_restore *r)
{
	long long n = -1;
	for (int i = 0; i < 20; i++) {
		n = one_int(r, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
			       "current_database() AND pid <> pg_backend_pid() "
			       "AND backend_type = 'client backend'");
		if (n <= 0)
			break;
		usleep(100 * 1000);
	}
	return n < 0 ? -1 : (int)n;
}

/* The new public gets the old one's owner and privileges where this user may give them. */
static const char copy_acl_sql[] =
    "DO $mz$ DECLARE o text; g record; BEGIN "
    "SELECT pg_get_userbyid(nspowner) INTO o FROM pg_namespace WHERE nspname = '%s'; "
    "BEGIN EXECUTE format('ALTER SCHEMA public OWNER TO %%I', o); "
    "EXCEPTION WHEN insufficient_privilege THEN NULL; END; "
    "FOR g IN SELECT a.privilege_type AS p, CASE WHEN a.grantee = 0 THEN 'PUBLIC' "
    "ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who "
    "FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = '%s' LOOP "
    "BEGIN EXECUTE format('GRANT %%s ON SCHEMA public TO %%s', g.p, g.who); "
    "EXCEPTION WHEN insufficient_privilege THEN NULL; END; "
    "END LOOP; END $mz$";

/* public → the aside name, and a new, empty public (one transaction). */
static int swap_out(struct db_pg_restore *r, struct err *e)
{
	r->had_public =
	    one_int(r, "SELECT count(*) FROM pg_namespace WHERE nspname = 'public'") > 0;
	char sql[2400];
	if (r->had_public) {
		snprintf(sql, sizeof sql,
			 "BEGIN; ALTER SCHEMA public RENAME TO %s; CREATE SCHEMA public;",
			 r->aside);
		if (run(r, sql, "把原有数据移到一旁（ALTER SCHEMA public RENAME）", e) < 0)
			return -1;
		snprintf(sql, sizeof sql, copy_acl_sql, r->aside, r->aside);
		if (run(r, sql, "新建 public 模式", e) < 0 || run(r, "COMMIT", "提交", e) < 0)
			return -1;
	} else if (run(r, "CREATE SCHEMA public", "新建 public 模式", e) < 0) {
		return -1;
	}
	r->swapped = 1;
	return 0;
}

int db_pg_restore_load(struct db_pg_restore *r, const char *conn, const char *archive,
		       struct err *e)
{
	if (swap_out(r, e) < 0)
		return -1;
	const char *args[] = {
	    "--dbname=",       "--no-owner",	"--no-privileges", "--single-transaction",
	    "--exit-on-error", "--no-password", archive,	   NULL};
	struct pg_tool t;
	struct err te;
	if (pg_tool_run(&t, "pg_restore", args, conn, &te) < 0) {
		if (!strcmp(te.code, "pg_tool_missing"))
			*e = te;
		else
			archive_failed(&t, e, "备份文件无法恢复");
		struct err ue;
		if (db_pg_restore_end(r, 0, &ue) < 0)
			snprintf(e->message + strlen(e->message),
				 sizeof e->message - strlen(e->message), "；%s", ue.message);
		return -1;
	}
	return 0;
}

int db_pg_restore_end(struct db_pg_restore *r, int keep, struct err *e)
{
	if (!r->swapped)
		return 0;
	char sql[300];
	int rc;
	if (keep) {
		if (!r->had_public)
			rc = 0;
		else {
			snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE", r->aside);
			rc = run(r, sql, "删除恢复前的数据", e);
		}
	} else if (r->had_public) {
		snprintf(
		    sql, sizeof sql,
		    "BEGIN; DROP SCHEMA public CASCADE; ALTER SCHEMA %s RENAME TO public; COMMIT",
		    r->aside);
		rc = run(r, sql, "放回原有数据", e);
	} else {
		rc = run(r, "DROP SCHEMA public CASCADE", "删除恢复的数据", e);
	}
	if (rc == 0)
		r->swapped = 0;
	else if (!keep)
		snprintf(e->message + strlen(e->message), sizeof e->message - strlen(e->message),
			 "（原有数据仍在模式 %s 中）", r->aside);
	return rc;
}
