/* import_api.c — the import module's routes. The request body is the file's bytes; the kind and
 * dry_run travel in the query. At once, for files up to the server's 1 MiB request limit:
 *   POST /api/v1/imports?kind=households&dry_run=1   check (or, without dry_run, import) a file
 *   POST /api/v1/imports/rejects?kind=households     the rejected rows of a file as .xlsx
 * As a job, for files up to IMPORT_UPLOAD_MAX (what the web UI uses):
 *   POST /api/v1/imports/uploads?kind=households&name=F   store the file → 201 {id,…}
 *   POST /api/v1/imports/uploads/{id}/run?dry_run=1       check or import it → 202 job (poll
 *                                                          GET /api/v1/jobs/{id})
 *   GET  /api/v1/imports/uploads/{id}/rejects             the latest run's rejected rows (.xlsx)
 * And:
 *   GET  /api/v1/imports/template?kind=households    the empty template (.xlsx)
 * The handlers only translate: import_run does the work with the caller as the acting user. */
#include "import/import.h"

#include <string.h>

#include "audit/audit.h"
#include "jobs/jobs.h"

static int kind_of(const struct api_req *rq, char *kind, size_t n, struct err *e)
{
	int rc = api_query_str(rq, "kind", kind, n, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 400, "required", "kind", "请指定导入类型 kind（households、institutions、ledger、assistance、deaths）");
	return 0;
}

static int body_of(const struct api_req *rq, struct err *e)
{
	if (!rq->body || rq->body_len == 0)
		return err_set(e, 400, "required", "file", "请上传文件（请求体为文件内容）");
	return 0;
}

static int post_import(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char kind[32];
	if (kind_of(rq, kind, sizeof kind, e) < 0 || body_of(rq, e) < 0)
		return -1;
	struct import_opts o = {.dry_run = api_query_flag(rq, "dry_run")};
	struct import_result r;
	if (import_run(rq->db, rq->actor, kind, rq->body, rq->body_len, &o, &r, e) < 0) {
		import_result_release(&r);
		return -1;
	}
	json_t *body = import_result_json(kind, o.dry_run, &r);
	import_result_release(&r);
	return api_reply(rs, 200, body, e);
}

static int post_rejects(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char kind[32], detail[96];
	if (kind_of(rq, kind, sizeof kind, e) < 0 || body_of(rq, e) < 0)
		return -1;
	struct import_opts o = {.dry_run = 1};
	struct import_result r;
	int rc = import_run(rq->db, rq->actor, kind, rq->body, rq->body_len, &o, &r, e);
	if (rc == 0) {
		/* the workbook holds the rows as typed (full ID numbers): an export, audited */
		snprintf(detail, sizeof detail, "kind=%s rows=%d", kind, r.nrejects);
		rc = audit_record(rq->db, rq->actor, "import.rejects", kind, "ok", detail, e);
	}
	if (rc == 0)
		rc = import_rejects_xlsx(&r, &rs->file, &rs->file_len, e);
	import_result_release(&r);
	if (rc < 0)
		return -1;
	rs->file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(rs->file_name, sizeof rs->file_name, "未导入的行-%s.xlsx", kind);
	return 0;
}

static int post_upload(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char kind[32], name[128] = "";
	int64_t id;
	if (kind_of(rq, kind, sizeof kind, e) < 0 ||
	    api_query_str(rq, "name", name, sizeof name, e) < 0 ||
	    import_upload_store(rq->db, rq->actor, kind, name, rq->body, rq->body_len, &id, e) < 0)
		return -1;
	return api_reply(rs, 201,
			 json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)id, "kind", kind,
				   "file_name", name[0] ? name : "upload", "size",
				   (json_int_t)rq->body_len),
			 e);
}

static int post_upload_run(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *params = json_pack("{s:I,s:b}", "upload_id", (json_int_t)id, "dry_run",
				   api_query_flag(rq, "dry_run"));
	if (!params)
		return err_oom(e);
	/* a foreign or unknown upload is refused now, not by the job */
	int rc = import_upload_find(rq->db, rq->actor, id, e);
	if (rc == 0)
		rc = jobs_submit_reply(rq, rs, "import.file", params, e);
	json_decref(params);
	return rc;
}

static int get_upload_rejects(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0 ||
	    import_upload_rejects(rq->db, rq->actor, id, &rs->file, &rs->file_len, e) < 0)
		return -1;
	rs->file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(rs->file_name, sizeof rs->file_name, "未导入的行-%lld.xlsx", (long long)id);
	return 0;
}

static int get_template(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char kind[32];
	if (kind_of(rq, kind, sizeof kind, e) < 0 ||
	    import_template_xlsx(kind, &rs->file, &rs->file_len, e) < 0)
		return -1;
	rs->file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(rs->file_name, sizeof rs->file_name, "导入模板-%s.xlsx", kind);
	return 0;
}

const struct api_route import_routes[] = {
	{"POST", "/api/v1/imports", post_import, PERM_REGISTRY_WRITE, 0},
	{"POST", "/api/v1/imports/rejects", post_rejects, PERM_REGISTRY_WRITE, 0},
	{"GET", "/api/v1/imports/template", get_template, PERM_REGISTRY_WRITE, 0},
	{"POST", "/api/v1/imports/uploads", post_upload, PERM_REGISTRY_WRITE, 0},
	{"POST", "/api/v1/imports/uploads/{id}/run", post_upload_run, PERM_REGISTRY_WRITE, 0},
	{"GET", "/api/v1/imports/uploads/{id}/rejects", get_upload_rejects, PERM_REGISTRY_WRITE, 0},
	{0},
};
