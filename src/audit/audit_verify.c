/* audit_verify.c — verifying the audit chain: the table from its anchor, and archive files with
 * it (see audit.h and audit_archive.h).
 *
 * The database holds the chain from the latest archive on. Its anchor is that archive's
 * (to_id, last_hash), and the recorded archives must themselves follow one another
 * (from_id = previous to_id + 1, prev_hash = previous last_hash), so the table alone proves
 * that nothing but whole, recorded archives left it. The files prove the rest.
 */
#include "audit/audit.h"
#include "audit/audit_archive.h"
#include "audit/audit_chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The recorded archives follow one another; the last one's end is the anchor, and the algorithm
 * of its last row (the file digest's prefix: "sm3:…") carries the no-downgrade rule across.
 * 0, 1 or -1. */
static int check_archives(struct db *db, int64_t *anchor_to, char anchor[AUDIT_HASH_HEX],
			  enum audit_alg *last_alg, int64_t *bad_id, char *why, size_t why_len,
			  struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT id, from_id, to_id, prev_hash, last_hash, "
					"substr(file_digest, 1, instr(file_digest, ':') - 1) "
					"FROM audit_archives ORDER BY from_id",
					e);
	if (!st)
		return -1;
	*anchor_to = 0;
	snprintf(anchor, AUDIT_HASH_HEX, "%s", AUDIT_ZERO_HASH);
	int rc, out = 0;
	while ((rc = db_step(st, e)) == 1) {
		int64_t from = db_col_int(st, 1), to = db_col_int(st, 2);
		if (from != *anchor_to + 1 || strcmp(db_col_text(st, 3), anchor) != 0) {
			out = audit_chain_broken(
			    bad_id, from, why, why_len,
			    "第 %lld 号归档（第 %lld–%lld 条）与上一归档不衔接：归档记录被改动",
			    (long long)db_col_int(st, 0), (long long)from, (long long)to);
			break;
		}
		*anchor_to = to;
		snprintf(anchor, AUDIT_HASH_HEX, "%s", db_col_text(st, 4));
		*last_alg = audit_alg_parse(db_col_text(st, 5));
	}
	db_done(st);
	return rc < 0 ? -1 : out;
}

/* Each archive whose `audit.archive` row is still in the table is described by it. */
static int check_archive_rows(struct db *db, int64_t first_id, int64_t *bad_id, char *why,
			      size_t why_len, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT a.id, a.from_id, a.to_id, a.last_hash, "
					"a.file_name, a.file_digest, a.cutoff, a.log_id,"
					" l.action, l.detail, l.id IS NULL FROM audit_archives a "
					"LEFT JOIN audit_log l ON l.id = a.log_id"
					" WHERE a.log_id >= ? ORDER BY a.id",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, first_id);
	int rc, out = 0;
	while (out == 0 && (rc = db_step(st, e)) == 1) {
		char *want = audit_archive_detail(db_col_int(st, 1), db_col_int(st, 2),
						  db_col_text(st, 3), db_col_text(st, 4),
						  db_col_text(st, 5), db_col_text(st, 6));
		if (!want) {
			db_done(st);
			return err_oom(e);
		}
		if (db_col_int(st, 10) || strcmp(db_col_text(st, 8), "audit.archive") != 0 ||
		    strcmp(db_col_text(st, 9), want) != 0)
			out = audit_chain_broken(bad_id, db_col_int(st, 7), why, why_len,
				     "第 %lld 号归档的记录与审计日志第 %lld "
				     "条（audit.archive）不符：归档记录被改动",
				     (long long)db_col_int(st, 0), (long long)db_col_int(st, 7));
		free(want);
	}
	db_done(st);
	return out ? out : rc < 0 ? -1 : 0;
}

int audit_verify(struct db *db, int64_t *rows, int64_t *bad_id, char *why, size_t why_len,
		 struct err *e)
{
	char anchor[AUDIT_HASH_HEX] = AUDIT_ZERO_HASH;
	int64_t anchor_to = 0, v2_from = INT64_MAX;
	int v1 = audit_schema_is_v1(db), rc;
	enum audit_alg last_alg = AUDIT_ALG_NONE;
	*rows = 0;
	if (!v1) {
		if ((rc = check_archives(db, &anchor_to, anchor, &last_alg, bad_id, why, why_len,
					 e)) != 0)
			return rc;
		v2_from = db_query_int(
		    db, "SELECT from_id FROM audit_chain_format WHERE version = 2", NULL);
		if (v2_from < 1)
			return err_set(e, 500, "internal", NULL, "读取审计日志格式失败");
	}
	struct audit_chain c;
	/* without an archive the log starts at row 1 with zeros */
	audit_chain_init(&c, anchor, anchor_to + 1, v2_from);
	c.last_alg = last_alg;
	struct db_stmt *st =
	    db_prepare(db,
		       v1 ? "SELECT id, at, user_name, action, object, outcome, client, "
			    "detail, 'sha256', prev_hash, hash FROM audit_log ORDER BY id"
			  : "SELECT id, at, user_name, action, object, outcome, client, "
			    "detail, alg, prev_hash, hash FROM audit_log ORDER BY id",
		       e);
	if (!st)
		return -1;
	int out = 0;
	while ((rc = db_step(st, e)) == 1) {
		struct audit_row r;
		audit_row_from_stmt(st, &r);
		if ((out = audit_chain_step(&c, &r, bad_id, why, why_len, e)) != 0)
			break;
	}
	db_done(st);
	if (rc < 0 || out < 0)
		return -1;
	if (out == 0 && !v1)
		out = check_archive_rows(db, anchor_to + 1, bad_id, why, why_len, e);
	*rows = c.rows;
	return out;
}

/* ---- with archive files ----------------------------------------------------------------- */

struct file_seen {
	const char *path;
	struct audit_archive_info info;
};

static int by_from(const void *a, const void *b)
{
	const struct file_seen *x = a, *y = b;
	return x->info.from_id < y->info.from_id ? -1 : x->info.from_id > y->info.from_id;
}

/* The recorded archive that file f claims to be; 0, 1 (why) or -1. */
static int match_record(struct db *db, const struct file_seen *f, int64_t *bad_id, char *why,
			size_t why_len, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT to_id, prev_hash, last_hash, file_digest FROM audit_archives "
		       "WHERE from_id = ?",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, f->info.from_id);
	int rc = db_step(st, e), out = 0;
	if (rc == 0)
		out = audit_chain_broken(bad_id, f->info.from_id, why, why_len,
			     "归档文件 %s（第 %lld 条起）在数据库中没有对应的归档记录", f->path,
			     (long long)f->info.from_id);
	else if (rc == 1 && (db_col_int(st, 0) != f->info.to_id ||
			     strcmp(db_col_text(st, 1), f->info.prev_hash) != 0 ||
			     strcmp(db_col_text(st, 2), f->info.last_hash) != 0))
		out = audit_chain_broken(bad_id, f->info.from_id, why, why_len,
			     "归档文件 %s 的范围或首尾哈希与数据库中的归档记录不符", f->path);
	else if (rc == 1 && strcmp(db_col_text(st, 3), f->info.digest) != 0)
		out = audit_chain_broken(bad_id, f->info.from_id, why, why_len,
			     "归档文件 %s 的摘要 %s 与归档时记录的 %s 不符：文件被改动", f->path,
			     f->info.digest, db_col_text(st, 3));
	db_done(st);
	return rc < 0 ? -1 : out;
}

int audit_verify_archives(struct db *db, const char *const *paths, int n, int64_t *archived,
			  int64_t *rows, int64_t *bad_id, char *why, size_t why_len, struct err *e)
{
	*archived = 0;
	*rows = 0;
	struct file_seen *files = calloc(n > 0 ? (size_t)n : 1, sizeof *files);
	if (!files)
		return err_oom(e);
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		files[i].path = paths[i];
		rc = audit_archive_check(paths[i], &files[i].info, bad_id, why, why_len, e);
		if (rc > 0) {
			char inner[400];
			snprintf(inner, sizeof inner, "%s", why);
			snprintf(why, why_len, "归档文件 %s：%s", paths[i], inner);
		}
		if (rc == 0)
			rc = match_record(db, &files[i], bad_id, why, why_len, e);
	}
	if (rc == 0) {
		qsort(files, (size_t)n, sizeof *files, by_from);
		for (int i = 0; i < n && rc == 0; i++) {
			const struct file_seen *prev = i ? &files[i - 1] : NULL;
			if (prev && (files[i].info.from_id != prev->info.to_id + 1 ||
				     strcmp(files[i].info.prev_hash, prev->info.last_hash) != 0))
				rc = audit_chain_broken(bad_id, prev->info.to_id + 1, why, why_len,
					    "归档文件 %s 与 %s 之间不衔接（缺少第 %lld "
					    "条起的归档，或给了同一归档两次）",
					    prev->path, files[i].path,
					    (long long)prev->info.to_id + 1);
			else if (prev && prev->info.last_alg == AUDIT_ALG_SM3 &&
				 files[i].info.first_alg == AUDIT_ALG_SHA256)
				rc = audit_chain_broken(bad_id, files[i].info.from_id, why, why_len,
					    "归档文件 %s 的第 %lld 条由 SM3 降级为 "
					    "SHA-256：审计链不允许降级",
					    files[i].path, (long long)files[i].info.from_id);
			else if (!prev && files[i].info.from_id == 1 &&
				 strcmp(files[i].info.prev_hash, AUDIT_ZERO_HASH) != 0)
				rc = audit_chain_broken(bad_id, 1, why, why_len,
					    "归档文件 %s 从第 1 条开始，前序哈希却不是全零",
					    files[i].path);
			*archived += files[i].info.rows;
		}
	}
	free(files);
	if (rc != 0)
		return rc;
	return audit_verify(db, rows, bad_id, why, why_len, e);
}
