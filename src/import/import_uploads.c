/* import_uploads.c — files uploaded for import through the web UI, and the job that checks or
 * imports one (see import.h, "Uploads").
 *
 * A browser cannot keep a request open while a large file is checked row by row, and the event
 * loops must not do that work, so a file goes in two steps: the upload stores its bytes
 * (import_uploads, one row per file, visible to its uploader only), then a job of kind
 * "import.file" runs import_run on the runner thread as the uploading user, reports rows done
 * of total as its progress, and leaves the result (the same JSON as POST /api/v1/imports) on the
 * job and on the upload, with the rejected rows as a workbook on the upload. After a committing
 * run the file's bytes are dropped (the rejects workbook stays); uploads older than a day are
 * deleted when the next one arrives.
 */
#include "import/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "jobs/jobs.h"

int import_upload_store(struct db *db, const struct actor *a, const char *kind, const char *name,
			const char *data, size_t len, int64_t *id, struct err *e)
{
	if (!import_kind_known(kind))
		return err_set(e, 404, "unknown_kind", "kind",
			       "不支持的导入类型：%s（可用：households、institutions、ledger、assistance、"
			       "deaths）",
			       kind);
	if (!data || len == 0)
		return err_set(e, 400, "required", "file", "请上传文件（请求体为文件内容）");
	if (len > IMPORT_UPLOAD_MAX)
		return err_set(e, 413, "body_too_large", "file", "文件过大（上限 %d MiB）",
			       (int)(IMPORT_UPLOAD_MAX >> 20));
	char file_name[128];
	snprintf(file_name, sizeof file_name, "%s", name && *name ? name : "upload");
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db, "DELETE FROM import_uploads WHERE created_at < strftime('%s','now') - 86400", e);
	if (!st || db_run(st, e) < 0)
		goto fail;
	st = db_prepare(db,
			"INSERT INTO import_uploads(user_id, username, kind, file_name, size, data, "
			"created_at) VALUES (?, ?, ?, ?, ?, ?, strftime('%s','now'))",
			e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, a->user_id);
	db_bind_text(st, 2, a->username);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, file_name);
	db_bind_int(st, 5, (int64_t)len);
	db_bind_blob(st, 6, data, (int)len);
	if (db_run(st, e) < 0)
		goto fail;
	*id = db_last_id(db);
	char detail[200];
	snprintf(detail, sizeof detail, "kind=%s size=%zu name=%s", kind, len, file_name);
	if (audit_append_id(db, a, "import.upload", "import_upload", *id, detail, e) < 0 ||
	    db_commit(db, e) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* The upload's kind and (when want_data) a malloc'd copy of its bytes; 404 unless the actor
 * uploaded it. */
static int upload_load(struct db *db, const struct actor *a, int64_t id, char kind[32],
		       char **data, size_t *len, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT kind, data FROM import_uploads WHERE id = ? AND username = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, a->username);
	int r = db_step(st, e);
	if (r <= 0) {
		db_done(st);
		return r < 0 ? -1 : err_set(e, 404, "not_found", "id", "没有这个上传文件");
	}
	snprintf(kind, 32, "%s", db_col_text(st, 0));
	if (data) {
		if (db_col_is_null(st, 1)) {
			db_done(st);
			return err_set(e, 409, "already_imported", "id",
				       "这个文件已经导入，不能再次使用；如需重新导入请重新上传");
		}
		int n = db_col_bytes(st, 1);
		*data = malloc((size_t)n + 1);
		if (!*data) {
			db_done(st);
			return err_oom(e);
		}
		memcpy(*data, db_col_blob(st, 1), (size_t)n);
		(*data)[n] = 0;
		*len = (size_t)n;
	}
	db_done(st);
	return 0;
}

int import_upload_find(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	char kind[32];
	return upload_load(db, a, id, kind, NULL, NULL, e);
}

int import_upload_rejects(struct db *db, const struct actor *a, int64_t id, char **data,
			  size_t *len, struct err *e)
{
	char kind[32];
	if (upload_load(db, a, id, kind, NULL, NULL, e) < 0)
		return -1;
	struct db_stmt *st =
	    db_prepare(db, "SELECT rejects FROM import_uploads WHERE id = ? AND rejects IS NOT NULL", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int r = db_step(st, e);
	if (r <= 0) {
		db_done(st);
		return r < 0 ? -1
			     : err_set(e, 404, "not_found", "id",
				       "这个文件还没有检查，或者没有未通过的行");
	}
	int n = db_col_bytes(st, 0);
	*data = malloc((size_t)n > 0 ? (size_t)n : 1);
	if (!*data) {
		db_done(st);
		return err_oom(e);
	}
	memcpy(*data, db_col_blob(st, 0), (size_t)n);
	*len = (size_t)n;
	db_done(st);
	/* the workbook holds the rows as typed (full ID numbers): an export, audited */
	char detail[64];
	snprintf(detail, sizeof detail, "kind=%s upload=%lld", kind, (long long)id);
	if (audit_record(db, a, "import.rejects", kind, "ok", detail, e) < 0) {
		free(*data);
		*data = NULL;
		return -1;
	}
	return 0;
}

static void job_progress_cb(void *arg, int64_t done, int64_t total, const char *stage)
{
	job_progress(arg, done, total, stage);
}

/* Keep the run's outcome on the upload: the result JSON, the rejects workbook, and after a
 * committing run no more file bytes. */
static int upload_keep(struct db *db, int64_t id, const char *result, const char *rejects,
		       size_t rejects_len, int committed, struct err *e)
{
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    committed ? "UPDATE import_uploads SET result = ?, rejects = ?, data = NULL WHERE id = ?"
		      : "UPDATE import_uploads SET result = ?, rejects = ? WHERE id = ?",
	    e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, result);
	if (rejects)
		db_bind_blob(st, 2, rejects, (int)rejects_len);
	else
		db_bind_null(st, 2);
	db_bind_int(st, 3, id);
	if (db_run(st, e) < 0 || db_commit(db, e) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* Job "import.file" {upload_id, dry_run}: run the upload's file through import_run. */
int import_job_run(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		   json_t **result, struct err *e)
{
	json_int_t id = json_integer_value(json_object_get(params, "upload_id"));
	int dry_run = json_is_true(json_object_get(params, "dry_run"));
	char kind[32], *data = NULL, *rejects = NULL, *text = NULL;
	size_t len = 0, rejects_len = 0;
	if (upload_load(db, a, id, kind, &data, &len, e) < 0)
		return -1;
	struct import_opts o = {.dry_run = dry_run, .progress = job_progress_cb, .progress_arg = jc};
	struct import_result r;
	int rc = import_run(db, a, kind, data, len, &o, &r, e);
	free(data);
	if (rc == 0 && r.nrejects > 0)
		rc = import_rejects_xlsx(&r, &rejects, &rejects_len, e);
	if (rc == 0) {
		*result = import_result_json(kind, dry_run, &r);
		if (!*result)
			rc = err_oom(e);
	}
	if (rc == 0) {
		json_object_set_new(*result, "upload_id", json_integer(id));
		text = json_dumps(*result, JSON_COMPACT);
		rc = text ? upload_keep(db, id, text, rejects, rejects_len, !dry_run, e) : err_oom(e);
	}
	free(text);
	free(rejects);
	import_result_release(&r);
	return rc;
}

json_t *import_result_json(const char *kind, int dry_run, const struct import_result *r)
{
	json_t *rej = json_array();
	for (int i = 0; rej && i < r->nrejects && i < IMPORT_REJECTS_IN_JSON; i++) {
		const struct import_reject *x = &r->rejects[i];
		const char *col = x->col >= 0 ? import_cell(&r->table, r->header_row, x->col) : "";
		json_array_append_new(rej, json_pack("{s:i,s:s?,s:s}", "line", r->table.rows[x->row].line,
						     "column", *col ? col : NULL, "reason", x->reason));
	}
	return json_pack("{s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:o}", "kind", kind, "format",
			 r->table.format, "dry_run", dry_run, "rows", (json_int_t)r->rows, "accepted",
			 (json_int_t)r->accepted, "rejected", (json_int_t)r->rejected, "skipped",
			 (json_int_t)r->skipped, "households", (json_int_t)r->households, "rejects",
			 rej);
}
