/* cmd/backup_pg.c — `minzheng backup` and `restore` of a PostgreSQL database (--db
 * postgresql://…), with pg_dump and pg_restore (db/db_backup_pg.c); cmd/backup.c checks the
 * arguments and the passphrase first, as for SQLite.
 *
 * backup: one REPEATABLE READ transaction on the source exports its snapshot; the audit chain is
 * verified in that transaction and pg_dump --format=custom --snapshot dumps exactly that state,
 * into a temporary file next to FILE (checked with pg_restore, then renamed to FILE) or, for an
 * encrypted backup, through a pipe straight into the MZBK1 encryption (no plaintext file at
 * all). backup.create is recorded in the source's audit log with the same detail as for SQLite.
 *
 * restore: the archive (decrypted first into a temporary file next to FILE, removed afterwards)
 * is read whole with pg_restore before the database is touched; a database with tables needs
 * --force, one with other sessions (a running server) is refused. The old data is moved aside,
 * the archive restored, and the restored data checked like an SQLite restore (a schema version
 * this binary knows, the audit chain), migrated and restore.apply recorded in it; only then is
 * the old data dropped. A check that fails puts the old data back.
 */
#include "cmd/backup.h"
#include "cmd/cli.h"
#include "db/db_backup.h"
#include "db/migrate.h"
#include "db/pg_tool.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct encrypt_to {
	const char *dest; /* the temporary file next to FILE */
	const char *pass;
	const struct crypt_params *cp;
};

/* pg_dump's output, encrypted into a new file (0600, synced; removed on failure). */
static int encrypt_sink(FILE *in, void *ctx, struct err *e)
{
	const struct encrypt_to *s = ctx;
	int fd = open(s->dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	FILE *out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!out) {
		err_set(e, 500, "write_failed", NULL, "无法创建文件 %s：%s", s->dest,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = crypt_stream_encrypt(in, out, s->pass, strlen(s->pass), s->cp, e);
	if (rc == 0 && (fflush(out) != 0 || fsync(fileno(out)) != 0))
		rc = err_set(e, 500, "write_failed", NULL, "写入 %s 失败：%s", s->dest,
			     strerror(errno));
	if (fclose(out) != 0 && rc == 0)
		rc = err_set(e, 500, "write_failed", NULL, "写入 %s 失败：%s", s->dest,
			     strerror(errno));
	if (rc < 0)
		unlink(s->dest);
	return rc;
}

int backup_pg(struct db *db, const char *conn, const char *to, const char *pass,
	      const struct crypt_params *cp, int quiet)
{
	char name[300], tmp[4200], snap[128];
	db_pg_describe(conn, name, sizeof name);
	if (db_schema_current(db) <= 0) {
		fprintf(stderr, "错误：数据库 %s 不是 minzheng 的数据库（没有 schema_version）\n",
			name);
		return 2;
	}
	struct err e;
	if (pg_tool_have("pg_dump", &e) < 0 || pg_tool_have("pg_restore", &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	backup_temp_name(tmp, sizeof tmp, to, "partial");
	unlink(tmp);
	int64_t rows = 0;
	int rc = 1;
	/* One snapshot: the audit chain verified here is the one pg_dump writes. */
	if (db_begin_read(db, &e) < 0 || db_pg_snapshot(db, snap, sizeof snap, &e) < 0) {
		cli_print_err(&e);
		goto out;
	}
	if (!quiet && isatty(2))
		fprintf(stderr, "校验审计日志哈希链，pg_dump 导出中…\n");
	if (backup_check_audit(db, &rows) < 0) {
		fprintf(stderr, "错误：备份副本校验未通过，未生成 %s\n", to);
		goto out;
	}
	struct encrypt_to sink = {.dest = tmp, .pass = pass, .cp = cp};
	if (db_pg_dump(conn, snap, pass ? NULL : tmp, pass ? encrypt_sink : NULL, &sink, &e) < 0) {
		cli_print_err(&e);
		fprintf(stderr, "错误：备份失败，未生成 %s\n", to);
		goto out;
	}
	db_rollback(db); /* the read transaction: the snapshot is no longer needed */
	if (!pass && db_pg_archive_check(tmp, &e) < 0) {
		cli_print_err(&e);
		fprintf(stderr, "错误：pg_dump 生成的归档读不回来，未生成 %s\n", to);
		goto out;
	}
	(void)chmod(tmp, 0600); /* personal data: readable by the service's user only */
	if (rename(tmp, to) != 0) {
		fprintf(stderr, "错误：无法写入备份文件 %s：%s\n", to, strerror(errno));
		goto out;
	}
	long long bytes;
	if (backup_record_created(db, to, rows, pass != NULL, &bytes) < 0)
		goto out;
	printf("备份完成：%s（%lld 字节，pg_dump 自定义格式%s，审计日志 %lld 条记录哈希链完好）\n",
	       to, bytes, pass ? "，已加密" : "；归档可完整读出", (long long)rows);
	rc = 0;
out:
	if (db_in_transaction(db))
		db_rollback(db);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

/* The restored data: a schema version this binary knows, the audit chain; then migrated and
 * restore.apply recorded. 0, or -1 printed. */
static int check_restored(const char *conn, const char *from, int encrypted, int64_t *rows)
{
	struct db *db = NULL;
	struct err e;
	int rc = -1;
	if (db_open(&db, conn, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	int version = db_schema_current(db);
	if (version <= 0) {
		fprintf(stderr, "错误：备份文件 %s 不是 minzheng 的数据库（没有 schema_version）\n",
			from);
		goto out;
	}
	if (version > db_schema_latest()) {
		fprintf(stderr,
			"错误：备份的数据库版本 %d 比本程序支持的版本 %d 新，请用更新的 minzheng "
			"恢复\n",
			version, db_schema_latest());
		goto out;
	}
	if (backup_check_audit(db, rows) < 0) {
		fprintf(stderr, "错误：备份文件 %s 未通过校验，未恢复\n", from);
		goto out;
	}
	if (db_migrate(db, &e) < 0) {
		cli_print_err(&e);
		goto out;
	}
	char *detail = backup_detail_json("from", from, backup_file_size(from), *rows, encrypted);
	rc = detail ? backup_record(db, "restore.apply", "database", detail) : -1;
	free(detail);
out:
	db_close(db);
	return rc;
}

int restore_pg(int argc, char **argv, const char *from, const char *conn, int force, int quiet)
{
	if (access(from, R_OK) != 0) {
		fprintf(stderr, "错误：无法读取备份文件：%s\n", from);
		return 2;
	}
	char name[300];
	db_pg_describe(conn, name, sizeof name);
	struct err e;
	if (pg_tool_have("pg_restore", &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	struct db_pg_restore *r = NULL;
	if (db_pg_restore_open(conn, &r, &e) < 0) {
		cli_print_err(&e);
		return 2;
	}
	int has = db_pg_restore_has_tables(r);
	if (has != 0) {
		if (has > 0 && !force)
			fprintf(stderr,
				"错误：数据库已存在：%s 已有数据表（用备份替换它请加 --force）\n",
				name);
		else if (has < 0)
			fprintf(stderr, "错误：无法读取数据库 %s 的表\n", name);
		if (has < 0 || !force) {
			db_pg_restore_close(r);
			return has < 0 ? 1 : 2;
		}
	}
	int encrypted = crypt_file_is_encrypted(from, &e);
	if (encrypted < 0) {
		cli_print_err(&e);
		db_pg_restore_close(r);
		return 2;
	}
	char *pass = sodium_init() < 0 ? NULL : sodium_malloc(CRYPT_PASS_MAX_BYTES + 2);
	if (!pass) {
		fprintf(stderr, "错误：内存不足\n");
		db_pg_restore_close(r);
		return 1;
	}
	int have = backup_load_passphrase(argc, argv, pass, CRYPT_PASS_MAX_BYTES + 2);
	if (have < 0 || (encrypted && have == 0)) {
		if (have == 0)
			fprintf(stderr,
				"错误：备份文件 %s 是加密备份，需要口令：请用 --passphrase-file "
				"指定口令文件，或设置环境变量 MZ_BACKUP_PASSPHRASE"
				"（passphrase_required）\n",
				from);
		sodium_free(pass);
		db_pg_restore_close(r);
		return 2;
	}
	umask(077); /* the decrypted archive holds personal data */
	char tmp[4200];
	const char *archive = from;
	backup_temp_name(tmp, sizeof tmp, from, "restoring");
	unlink(tmp);
	int64_t rows = 0;
	int rc = 1, loaded = 0;
	if (encrypted) {
		if (!quiet && isatty(2))
			fprintf(stderr, "解密备份…\n");
		if (crypt_file_decrypt(from, tmp, pass, strlen(pass), &e) < 0) {
			fprintf(stderr, "错误：备份文件 %s 无法解密：%s（%s），未恢复\n", from,
				e.message, e.code);
			goto out;
		}
		archive = tmp;
	}
	if (!quiet && isatty(2))
		fprintf(stderr, "检查备份（pg_restore 读出整个归档）…\n");
	if (db_pg_archive_check(archive, &e) < 0) {
		fprintf(stderr, "错误：备份文件 %s 无法使用：%s（%s），未恢复\n", from, e.message,
			e.code);
		goto out;
	}
	int others = db_pg_restore_others(r);
	if (others != 0) {
		if (others > 0)
			fprintf(
			    stderr,
			    "错误：数据库 %s 正被其他进程使用（另有 %d 个连接：服务仍在运行？），"
			    "请先停止服务再恢复\n",
			    name, others);
		else
			fprintf(stderr, "错误：无法查询数据库 %s 的连接（pg_stat_activity）\n",
				name);
		goto out;
	}
	if (!quiet && isatty(2))
		fprintf(stderr, "pg_restore 恢复中（原有数据移到一旁，检查通过后才删除）…\n");
	if (db_pg_restore_load(r, conn, archive, &e) < 0) {
		fprintf(stderr, "错误：备份文件 %s 无法恢复：%s（%s），未恢复\n", from, e.message,
			e.code);
		goto out;
	}
	loaded = 1;
	if (check_restored(conn, from, encrypted, &rows) < 0)
		goto out;
	if (db_pg_restore_end(r, 1, &e) < 0) {
		cli_print_err(&e);
		fprintf(stderr, "提示：备份已恢复并通过检查，只是恢复前的数据未能删除\n");
		loaded = 0;
		rc = 0;
		goto out;
	}
	loaded = 0;
	printf("恢复完成：%s → 数据库 %s（%s归档完整，审计日志 %lld 条记录哈希链完好；已记录 "
	       "restore.apply）\n",
	       from, name, encrypted ? "已解密，" : "", (long long)rows);
	rc = 0;
out:
	if (loaded && db_pg_restore_end(r, 0, &e) < 0)
		cli_print_err(&e);
	else if (loaded)
		fprintf(stderr, "数据库 %s 保持恢复前的样子\n", name);
	db_pg_restore_close(r);
	if (encrypted)
		unlink(tmp);
	sodium_free(pass);
	return rc;
}
