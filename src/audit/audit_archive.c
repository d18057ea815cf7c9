/* audit_archive.c — archiving audit rows older than the retention period (see audit_archive.h).
 *
 * Order of work, so that a crash at any point leaves a consistent state:
 *   1. checks (retention, date, range, target file) — nothing written yet;
 *   2. FILE.partial written from the rows (each row re-verified on the way), fsynced, closed,
 *      read back and verified as a reader would, then renamed to FILE (never over an existing
 *      file without --force) and the directory fsynced;
 *   3. one write transaction: the archive row, the `audit.archive` log row, the DELETE of the
 *      archived rows (the trigger checks each); commit.
 * A crash before 3 commits leaves the database unchanged (at worst FILE or FILE.partial is left
 * on disk, unrecorded); a failure in 3 rolls back and removes FILE.
 * The rows are read outside the write transaction: old rows cannot change (triggers), and the
 * transaction re-checks that no other archive was recorded meanwhile.
 */
#include "audit/audit_archive.h"
#include "audit/audit.h"
#include "audit/audit_chain.h"
#include "calendar/calendar.h"
#include "core/clock.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int audit_retention_parse(const char *value, int *days, struct err *e)
{
	*days = AUDIT_RETENTION_MIN;
	if (!value)
		return 0;
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end || v > 36500)
		return err_set(e, 400, "invalid_value", "audit-retention-days",
			       "audit-retention-days 应为天数（整数），而不是“%s”", value);
	if (v < AUDIT_RETENTION_MIN)
		return err_set(
		    e, 400, "audit_retention_too_short", "audit-retention-days",
		    "审计日志保存期不得少于 %d 天（《网络安全法》第二十一条），不能设为 %ld 天",
		    AUDIT_RETENTION_MIN, v);
	*days = (int)v;
	return 0;
}

char *audit_archive_detail(int64_t from_id, int64_t to_id, const char *last_hash,
			   const char *file_name, const char *digest, const char *cutoff)
{
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s}", "from_id", (json_int_t)from_id, "to_id",
			      (json_int_t)to_id, "last_hash", last_hash, "file", file_name,
			      "file_digest", digest, "cutoff", cutoff);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

/* ---- step 1: what to archive --------------------------------------------------------- */

struct plan {
	int64_t from, to, format2_from;
	char anchor[AUDIT_HASH_HEX], last_hash[AUDIT_HASH_HEX];
	char cutoff[24];
	enum audit_alg before_alg; /* the previous archive's last row's (no downgrade across) */
	json_t *algorithms;	   /* distinct algorithms in the range */
};

static int plan_range(struct db *db, const struct audit_archive_opts *o, struct plan *p,
		      struct err *e)
{
	snprintf(p->cutoff, sizeof p->cutoff, "%sT00:00:00", o->before);
	snprintf(p->anchor, sizeof p->anchor, "%s", AUDIT_ZERO_HASH);
	p->from = 1;
	p->before_alg = AUDIT_ALG_NONE;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT to_id, last_hash, substr(file_digest, 1, instr(file_digest, ':') - 1) "
	    "FROM audit_archives ORDER BY to_id DESC LIMIT 1",
	    e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	if (rc == 1) {
		p->from = db_col_int(st, 0) + 1;
		snprintf(p->anchor, sizeof p->anchor, "%s", db_col_text(st, 1));
		p->before_alg = audit_alg_parse(db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	p->format2_from =
	    db_query_int(db, "SELECT from_id FROM audit_chain_format WHERE version = 2", NULL);
	/* a contiguous run from the anchor: up to the first row at or after the cutoff */
	p->to = db_query_int(
	    db,
	    "SELECT coalesce((SELECT min(id) FROM audit_log WHERE substr(at, 1, 19) >= ?1),"
	    " (SELECT coalesce(max(id), 0) + 1 FROM audit_log)) - 1",
	    p->cutoff);
	if (p->format2_from < 1 || p->to < 0)
		return err_set(e, 500, "internal", NULL, "读取审计日志失败");
	if (p->to < p->from)
		return err_set(e, 409, "audit_archive_empty", "before",
			       "%s 以前没有尚未归档的审计记录", o->before);
	st = db_prepare(db, "SELECT hash FROM audit_log WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->to);
	rc = db_step(st, e);
	if (rc == 1)
		snprintf(p->last_hash, sizeof p->last_hash, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	p->algorithms = json_array();
	st = db_prepare(
	    db, "SELECT DISTINCT alg FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY alg", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->from);
	db_bind_int(st, 2, p->to);
	while ((rc = db_step(st, e)) == 1)
		json_array_append_new(p->algorithms, json_string(db_col_text(st, 0)));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- step 2: the file ------------------------------------------------------------------ */

static int write_line(FILE *f, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	int rc = s && fputs(s, f) >= 0 && fputc('\n', f) != EOF ? 0 : -1;
	free(s);
	json_decref(o);
	return rc;
}

static int write_header(FILE *f, const struct plan *p, const struct audit_archive_opts *o,
			const struct actor *a)
{
	char now[32];
	clock_now_iso(now);
	return write_line(f, json_pack("{s:s,s:i,s:I,s:I,s:I,s:s,s:s,s:s,s:i,s:I,s:O,s:s,s:s}",
				       "format", AUDIT_ARCHIVE_FORMAT, "version", 1, "from_id",
				       (json_int_t)p->from, "to_id", (json_int_t)p->to, "rows",
				       (json_int_t)(p->to - p->from + 1), "prev_hash", p->anchor,
				       "last_hash", p->last_hash, "cutoff", p->cutoff,
				       "retention_days", o->retention_days, "format2_from_id",
				       (json_int_t)p->format2_from, "algorithms", p->algorithms,
				       "created_at", now, "by_user", a->username));
}

/* The rows, each checked against the chain on the way out. 0, 1 (chain broken: e filled) or -1. */
static int write_rows(struct db *db, FILE *f, const struct plan *p, struct err *e)
{
	static const char *const keys[7] = {"at",      "user_name", "action", "object",
					    "outcome", "client",    "detail"};
	struct audit_chain c;
	audit_chain_init(&c, p->anchor, p->from, p->format2_from);
	c.last_alg = p->before_alg;
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT id, at, user_name, action, object, outcome, client, detail, "
		       "alg, prev_hash, hash FROM audit_log WHERE id BETWEEN ? AND ? ORDER BY id",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->from);
	db_bind_int(st, 2, p->to);
	int rc, out = 0;
	while (out == 0 && (rc = db_step(st, e)) == 1) {
		struct audit_row r;
		audit_row_from_stmt(st, &r);
		int64_t bad_id = 0;
		char why[300];
		int v = audit_chain_step(&c, &r, &bad_id, why, sizeof why, e);
		if (v != 0) {
			if (v > 0)
				err_set(e, 409, "audit_chain_broken", NULL,
					"审计日志哈希链在第 %lld 条处断开，不能归档：%s",
					(long long)bad_id, why);
			out = v > 0 ? 1 : -1;
			break;
		}
		json_t *o = json_pack("{s:I}", "id", (json_int_t)r.id);
		for (int i = 0; i < 7; i++)
			json_object_set_new(o, keys[i], json_string(r.fields[i]));
		json_object_set_new(o, "alg", json_string(r.alg));
		json_object_set_new(o, "prev_hash", json_string(r.prev_hash));
		json_object_set_new(o, "hash", json_string(r.hash));
		if (write_line(f, o) < 0) {
			out = -1;
			err_set(e, 400, "audit_archive_unwritable", "to", "写入归档文件失败：%s",
				strerror(errno));
		}
	}
	db_done(st);
	if (out == 0 && rc < 0)
		return -1;
	if (out == 0 && c.next_id != p->to + 1) {
		err_set(e, 409, "audit_chain_broken", NULL,
			"审计日志第 %lld–%lld 条不完整，不能归档", (long long)p->from,
			(long long)p->to);
		return 1;
	}
	return out;
}

static int unwritable(struct err *e, const char *path)
{
	return err_set(e, 400, "audit_archive_unwritable", "to", "无法写入归档文件 %s：%s", path,
		       strerror(errno));
}

static void fsync_dir_of(const char *path)
{
	char copy[4096];
	snprintf(copy, sizeof copy, "%s", path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Put partial in place as path: never over an existing file unless force. */
static int place(const char *partial, const char *path, int force, struct err *e)
{
	if (force) {
		if (rename(partial, path) < 0)
			return unwritable(e, path);
	} else if (renameat2(AT_FDCWD, partial, AT_FDCWD, path, RENAME_NOREPLACE) < 0) {
		if (errno == EEXIST)
			return err_set(e, 409, "audit_archive_exists", "to",
				       "归档文件 %s 已存在；确需覆盖时加 --force", path);
		if (errno != EINVAL && errno != ENOSYS)
			return unwritable(e, path);
		/* a file system without RENAME_NOREPLACE: link refuses an existing name too */
		if (link(partial, path) < 0)
			return errno == EEXIST
				   ? err_set(e, 409, "audit_archive_exists", "to",
					     "归档文件 %s 已存在；确需覆盖时加 --force", path)
				   : unwritable(e, path);
		unlink(partial);
	}
	fsync_dir_of(path);
	return 0;
}

static int write_file(struct db *db, const struct actor *a, const struct audit_archive_opts *o,
		      const struct plan *p, struct audit_archive_info *info, struct err *e)
{
	char partial[4096];
	snprintf(partial, sizeof partial, "%s.partial", o->path);
	int fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		return unwritable(e, o->path);
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		close(fd);
		unlink(partial);
		return unwritable(e, o->path);
	}
	int rc = write_header(f, p, o, a) < 0 ? unwritable(e, o->path) : write_rows(db, f, p, e);
	if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0))
		rc = unwritable(e, o->path);
	if (fclose(f) != 0 && rc == 0)
		rc = unwritable(e, o->path);
	if (rc == 0) {
		int64_t bad_id = 0;
		char why[300] = "";
		int v = audit_archive_check(partial, info, &bad_id, why, sizeof why, e);
		if (v > 0 || (v == 0 && (info->from_id != p->from || info->to_id != p->to ||
					 strcmp(info->last_hash, p->last_hash) != 0)))
			rc = err_set(e, 500, "audit_archive_readback", "to",
				     "归档文件写入后读回校验未通过（第 %lld 条：%s）；未做任何删除",
				     (long long)bad_id, why);
		else if (v < 0)
			rc = -1;
	}
	if (rc == 0 && place(partial, o->path, o->force, e) < 0)
		rc = -1;
	if (rc != 0)
		unlink(partial);
	return rc ? -1 : 0;
}

/* ---- step 3: the database ------------------------------------------------------------- */

/* The archive row, inserted after its `audit.archive` log row (log_id). 0 or -1. */
static int insert_archive(struct db *db, const struct actor *a, const struct audit_archive_opts *o,
			  const struct plan *p, const struct audit_archive_result *r,
			  const char *file_name, int64_t log_id, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO audit_archives(id, from_id, to_id, rows, prev_hash, "
		       "last_hash, cutoff, retention_days, file_name, file_digest, "
		       "archived_at, by_user, log_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	char at[32];
	clock_now_iso(at);
	db_bind_int(st, 1, r->archive_id);
	db_bind_int(st, 2, p->from);
	db_bind_int(st, 3, p->to);
	db_bind_int(st, 4, p->to - p->from + 1);
	db_bind_text(st, 5, p->anchor);
	db_bind_text(st, 6, p->last_hash);
	db_bind_text(st, 7, p->cutoff);
	db_bind_int(st, 8, o->retention_days);
	db_bind_text(st, 9, file_name);
	db_bind_text(st, 10, r->info.digest);
	db_bind_text(st, 11, at);
	db_bind_text(st, 12, a->username);
	db_bind_int(st, 13, log_id);
	return db_run(st, e);
}

/* Delete the archived rows (the trigger checks each one). 0 or -1. */
static int delete_rows(struct db *db, const struct plan *p, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM audit_log WHERE id BETWEEN ? AND ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->from);
	db_bind_int(st, 2, p->to);
	if (db_run(st, e) < 0)
		return -1;
	if (db_changes(db) != p->to - p->from + 1)
		return err_set(e, 500, "internal", NULL, "删除已归档记录的条数与归档不符");
	return 0;
}

/* Step 3, in one write transaction. 0, or -1 rolled back. */
static int record(struct db *db, const struct actor *a, const struct audit_archive_opts *o,
		  const struct plan *p, struct audit_archive_result *r, struct err *e)
{
	char name_copy[4096], object[48];
	snprintf(name_copy, sizeof name_copy, "%s", o->path);
	const char *file_name = basename(name_copy);
	char *detail = NULL;
	if (db_begin_write(db, e) < 0)
		return -1;
	int64_t last_to =
	    db_query_int(db, "SELECT coalesce(max(to_id), 0) FROM audit_archives", NULL);
	if (last_to != p->from - 1) {
		err_set(e, 409, "conflict", NULL, "归档期间另有归档完成，请重新执行");
		goto fail;
	}
	r->archive_id =
	    db_query_int(db, "SELECT coalesce(max(id), 0) + 1 FROM audit_archives", NULL);
	snprintf(object, sizeof object, "audit_archive:%lld", (long long)r->archive_id);
	detail = audit_archive_detail(p->from, p->to, p->last_hash, file_name, r->info.digest,
				      p->cutoff);
	if (!detail) {
		err_oom(e);
		goto fail;
	}
	if (audit_append(db, a, "audit.archive", object, "ok", detail, e) < 0 ||
	    insert_archive(db, a, o, p, r, file_name, db_last_id(db), e) < 0 ||
	    delete_rows(db, p, e) < 0 || db_commit(db, e) < 0)
		goto fail;
	free(detail);
	return 0;
fail:
	free(detail);
	db_rollback(db);
	return -1;
}

/* --force must not destroy a recorded archive: refuse when the existing file's digest is one
 * that audit_archives holds. 0 or -1. */
static int not_a_recorded_archive(struct db *db, const char *path, struct err *e)
{
	for (enum audit_alg alg = AUDIT_ALG_SHA256; alg <= AUDIT_ALG_SM3; alg++) {
		char digest[AUDIT_DIGEST_MAX];
		if (audit_alg_available(alg, NULL) < 0)
			continue;
		if (audit_archive_digest(path, alg, digest, e) < 0)
			return -1;
		int64_t id =
		    db_query_int(db, "SELECT id FROM audit_archives WHERE file_digest = ?", digest);
		if (id > 0)
			return err_set(e, 409, "audit_archive_exists", "to",
				       "%s 是已登记的第 %lld 号归档文件，即使加 --force 也不能覆盖",
				       path, (long long)id);
	}
	return 0;
}

int audit_archive(struct db *db, const struct actor *a, const struct audit_archive_opts *o,
		  struct audit_archive_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (o->retention_days < AUDIT_RETENTION_MIN)
		return err_set(e, 400, "audit_retention_too_short", "audit-retention-days",
			       "审计日志保存期不得少于 %d 天", AUDIT_RETENTION_MIN);
	if (!o->before || !calendar_date_valid(o->before))
		return err_set(e, 400, "invalid_date", "before",
			       "--before 应为 YYYY-MM-DD 格式的日期");
	if (!o->path || !*o->path)
		return err_set(e, 400, "invalid_value", "to", "缺少 --to FILE（归档文件）");
	char today[11], limit[11];
	clock_today(today);
	calendar_add_days(today, -o->retention_days, limit);
	if (strcmp(o->before, limit) > 0)
		return err_set(e, 400, "audit_archive_too_recent", "before",
			       "审计记录须保存至少 %d 天：今天是 %s，--before 不得晚于 %s",
			       o->retention_days, today, limit);
	struct plan p = {0};
	int rc = plan_range(db, o, &p, e);
	if (rc == 0 && access(o->path, F_OK) == 0)
		rc = !o->force ? err_set(e, 409, "audit_archive_exists", "to",
					 "归档文件 %s 已存在；确需覆盖时加 --force", o->path)
			       : not_a_recorded_archive(db, o->path, e);
	if (rc == 0)
		rc = write_file(db, a, o, &p, &r->info, e);
	json_decref(p.algorithms);
	if (rc < 0)
		return -1;
	if (record(db, a, o, &p, r, e) < 0) {
		unlink(o->path); /* not recorded: the file must not pass for an archive */
		return -1;
	}
	return 0;
}
