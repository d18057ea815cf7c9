/* import_api.c — the import module's routes. The request body is the file's bytes (at most the
 * server's 1 MiB request limit — larger files go through `minzheng import`); the kind and dry_run
 * travel in the query:
 *   POST /api/v1/imports?kind=households&dry_run=1   check (or, without dry_run, import) a file
 *   POST /api/v1/imports/rejects?kind=households     the rejected rows of a file as .xlsx
 *   GET  /api/v1/imports/template?kind=households    the empty template (.xlsx)
 * The handlers only translate: import_run does the work with the caller as the acting user. */
#include "import/import.h"

#include <string.h>

#include "audit/audit.h"

#define REJECTS_IN_JSON 500 /* the rest are in the rejects workbook */

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
	json_t *rej = json_array();
	for (int i = 0; rej && i < r.nrejects && i < REJECTS_IN_JSON; i++) {
		const struct import_reject *x = &r.rejects[i];
		const char *col = x->col >= 0 ? import_cell(&r.table, r.header_row, x->col) : "";
		json_array_append_new(rej, json_pack("{s:i,s:s?,s:s}", "line", r.table.rows[x->row].line,
						     "column", *col ? col : NULL, "reason", x->reason));
	}
	json_t *body = json_pack("{s:s,s:s,s:b,s:I,s:I,s:I,s:I,s:I,s:o}", "kind", kind, "format",
				 r.table.format, "dry_run", o.dry_run, "rows", (json_int_t)r.rows,
				 "accepted", (json_int_t)r.accepted, "rejected", (json_int_t)r.rejected,
				 "skipped", (json_int_t)r.skipped, "households", (json_int_t)r.households,
				 "rejects", rej);
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
	{0},
};
