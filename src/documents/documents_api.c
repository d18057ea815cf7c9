/* documents_api.c — the documents module's HTTP routes (docs/orgs.md, "防疫文件"):
 *
 *   GET  /api/v1/documents                       documents the caller may see (?q, from, to,
 *                                                unacknowledged=1; paging; export)
 *   POST /api/v1/documents                       issue a document to units (file base64)
 *   GET  /api/v1/documents/{id}                  one document with its recipients
 *   GET  /api/v1/documents/{id}/pending          recipients that have not acknowledged (export)
 *   POST /api/v1/documents/{id}/acknowledge      acknowledge receipt for the caller's unit
 *   GET  /api/v1/documents/{id}/file             the attached file
 *
 * Handlers only translate (the file's base64 is decoded here); documents_store.c decides who
 * may see what. */
#include "documents/documents.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

static const struct export_col doc_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"文号", EXPORT_TEXT, 22, "number", NULL},
	{"标题", EXPORT_TEXT, 40, "title", NULL},
	{"发文机关", EXPORT_TEXT, 18, "issuing_body", NULL},
	{"成文日期", EXPORT_DATE, 12, "issued_on", NULL},
	{"适用范围", EXPORT_TEXT, 20, "scope_text", NULL},
	{"接收单位", EXPORT_INT, 8, "recipients", NULL},
	{"已签收", EXPORT_INT, 8, "acknowledged", NULL},
	{"未签收", EXPORT_INT, 8, "pending", NULL},
	{"附件", EXPORT_TEXT, 20, "file_name", NULL},
};

static int doc_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec doc_export = {"documents", "防疫文件", NULL,
						   DOCUMENTS_PAGE_MAX, EXPORT_COLS(doc_cols)};

static int doc_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, doc_list, &doc_export, e);
	struct documents_query q;
	long limit, offset;
	json_t *out;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "q", q.q, sizeof q.q, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, DOCUMENTS_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q.unacknowledged = api_query_flag(rq, "unacknowledged");
	q.limit = (int)limit;
	q.offset = offset;
	if (documents_list(rq->db, rq->actor, &q, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int read_file(const json_t *b, struct documents_in *in, unsigned char **bin, struct err *e)
{
	const json_t *f = json_object_get(b, "file");
	const char *b64 = NULL;
	if (!f || json_is_null(f))
		return 0;
	if (!json_is_object(f))
		return err_set(e, 400, "invalid_value", "file",
			       "file 应为 {\"name\",\"type\",\"content_base64\"}");
	if (api_json_str(f, "name", in->file_name, sizeof in->file_name, e) < 0 ||
	    api_json_str(f, "type", in->file_type, sizeof in->file_type, e) < 0 ||
	    api_json_str_ref(f, "content_base64", &b64, NULL, e) < 0) {
		err_prefix_field(e, "file");
		return -1;
	}
	if (!b64 || !*b64)
		return err_set(e, 400, "required", "file.content_base64", "请上传附件内容");
	size_t n = strlen(b64), len = 0;
	if (n / 4 * 3 > DOCUMENTS_FILE_MAX + 3)
		return err_set(e, 413, "file_too_large", "file", "附件不能超过 700 KB");
	*bin = malloc(n / 4 * 3 + 4);
	if (!*bin)
		return err_oom(e);
	if (sodium_base642bin(*bin, n / 4 * 3 + 4, b64, n, " \r\n", &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return err_set(e, 400, "invalid_value", "file.content_base64", "附件内容不是有效的 base64");
	in->file = *bin;
	in->file_len = len;
	return 0;
}

static int doc_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct documents_in in;
	struct documents_recipient_in *rcp = NULL;
	unsigned char *bin = NULL;
	int64_t id;
	json_t *out = NULL, *b = api_body_object(rq, e), *list;
	int rc = -1;
	memset(&in, 0, sizeof in);
	if (!b)
		return -1;
	if (api_json_str(b, "number", in.number, sizeof in.number, e) < 0 ||
	    api_json_str(b, "title", in.title, sizeof in.title, e) < 0 ||
	    api_json_str(b, "issuing_body", in.issuing_body, sizeof in.issuing_body, e) < 0 ||
	    api_json_str(b, "issuer_code", in.issuer_code, sizeof in.issuer_code, e) < 0 ||
	    api_json_str(b, "issued_on", in.issued_on, sizeof in.issued_on, e) < 0 ||
	    api_json_str(b, "scope_text", in.scope_text, sizeof in.scope_text, e) < 0 ||
	    api_json_bool(b, "all_units", &in.all_units, e) < 0 || read_file(b, &in, &bin, e) < 0)
		goto out;
	list = json_object_get(b, "recipients");
	if (list && !json_is_null(list)) {
		if (!json_is_array(list) || json_array_size(list) > DOCUMENTS_MAX_RECIPIENTS) {
			err_set(e, 400, "invalid_value", "recipients", "recipients 应为至多 200 项的数组");
			goto out;
		}
		in.n_recipients = (int)json_array_size(list);
		rcp = calloc((size_t)in.n_recipients + 1, sizeof *rcp);
		if (!rcp) {
			err_oom(e);
			goto out;
		}
		for (int i = 0; i < in.n_recipients; i++) {
			json_t *x = json_array_get(list, (size_t)i);
			char p[32];
			snprintf(p, sizeof p, "recipients[%d]", i);
			if (json_is_string(x)) {
				snprintf(rcp[i].code, sizeof rcp[i].code, "%.20s", json_string_value(x));
				continue;
			}
			if (!json_is_object(x) ||
			    api_json_str(x, "code", rcp[i].code, sizeof rcp[i].code, e) < 0 ||
			    api_json_id(x, "institution_id", &rcp[i].institution_id, e) < 0) {
				if (!json_is_object(x))
					err_set(e, 400, "invalid_value", p, "接收单位应为区划代码或对象");
				else
					err_prefix_field(e, p);
				goto out;
			}
		}
		in.recipients = rcp;
	}
	if (documents_issue(rq->db, rq->actor, &in, &id, e) == 0 &&
	    documents_get(rq->db, rq->actor, id, &out, e) == 0)
		rc = api_reply(rs, 201, out, e);
out:
	free(rcp);
	free(bin);
	json_decref(b);
	return rc;
}

static int doc_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	json_t *out;
	if (api_param_id(rq, 0, &id, e) < 0 || documents_get(rq->db, rq->actor, id, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static const struct export_col pending_cols[] = {
	{"区划代码", EXPORT_TEXT, 14, "code", NULL},
	{"机构编号", EXPORT_INT, 8, "institution_id", NULL},
	{"接收单位", EXPORT_TEXT, 30, "name", NULL},
};

static int doc_pending(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec pending_export = {"documents_pending", "未签收单位", NULL, 0,
						       EXPORT_COLS(pending_cols)};

static int doc_pending(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, doc_pending, &pending_export, e);
	int64_t id;
	json_t *out;
	if (api_param_id(rq, 0, &id, e) < 0 || documents_pending(rq->db, rq->actor, id, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int doc_ack(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	json_t *out;
	if (api_param_id(rq, 0, &id, e) < 0 || documents_acknowledge(rq->db, rq->actor, id, e) < 0 ||
	    documents_get(rq->db, rq->actor, id, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int doc_file(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char name[256], type[128];
	char *data;
	size_t len;
	if (api_param_id(rq, 0, &id, e) < 0 ||
	    documents_file(rq->db, rq->actor, id, &data, &len, name, type, e) < 0)
		return -1;
	rs->status = 200;
	rs->file = data;
	rs->file_len = len;
	rs->file_type = documents_file_type(type);
	snprintf(rs->file_name, sizeof rs->file_name, "%s", name);
	return 0;
}

const struct api_route documents_routes[] = {
	{"GET", "/api/v1/documents", doc_list, PERM_LOGIN, 0},
	{"POST", "/api/v1/documents", doc_post, PERM_DOCUMENTS, 0},
	{"GET", "/api/v1/documents/{id}", doc_get, PERM_LOGIN, 0},
	{"GET", "/api/v1/documents/{id}/pending", doc_pending, PERM_LOGIN, 0},
	{"POST", "/api/v1/documents/{id}/acknowledge", doc_ack, PERM_LOGIN, 0},
	{"GET", "/api/v1/documents/{id}/file", doc_file, PERM_LOGIN, 0},
	{0},
};
