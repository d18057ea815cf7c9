/* staff_api.c — the staff module's HTTP routes (docs/orgs.md, "干部下沉"):
 *
 *   GET  /api/v1/staff/deployments             deployments (?type, region, on, from, to, q;
 *                                              paging; names and phones masked; export)
 *   POST /api/v1/staff/deployments             a new deployment
 *   GET  /api/v1/staff/summary                 distinct staff seconded / on the front line
 *                                              over ?from..to
 *   GET  /api/v1/staff/deployments/{id}        one deployment [?unmask=1]
 *   POST /api/v1/staff/deployments/{id}/end    its end date
 *
 * Handlers only translate; staff_store.c checks permission, scope and input. */
#include "staff/staff.h"

#include <string.h>

#include "export/export.h"

static const struct export_col dep_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"工号", EXPORT_TEXT, 10, "staff_no", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"电话", EXPORT_TEXT, 14, "phone", NULL},
	{"原单位", EXPORT_TEXT, 20, "from_unit", NULL},
	{"派驻岗位", EXPORT_TEXT, 24, "post", NULL},
	{"派驻地", EXPORT_TEXT, 14, "region_name", NULL},
	{"类型", EXPORT_TEXT, 10, "type_label", NULL},
	{"开始日期", EXPORT_DATE, 12, "start_date", NULL},
	{"结束日期", EXPORT_DATE, 12, "end_date", NULL},
	{"天数", EXPORT_INT, 6, "days", NULL},
};

static int dep_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec dep_export = {"staff_deployments", "干部派驻", NULL,
						   STAFF_PAGE_MAX, EXPORT_COLS(dep_cols)};

static int dep_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, dep_list, &dep_export, e);
	struct staff_query q;
	long limit, offset;
	json_t *out;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "type", q.type, sizeof q.type, e) < 0 ||
	    api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "on", q.on, sizeof q.on, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0 ||
	    api_query_str(rq, "q", q.q, sizeof q.q, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, STAFF_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q.limit = (int)limit;
	q.offset = offset;
	if (staff_deployment_list(rq->db, rq->actor, &q, api_query_flag(rq, "unmask"), &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int dep_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct staff_deployment_in in;
	int64_t id;
	json_t *out = NULL, *b = api_body_object(rq, e);
	int rc = -1;
	memset(&in, 0, sizeof in);
	if (b && api_json_str(b, "staff_no", in.staff_no, sizeof in.staff_no, e) >= 0 &&
	    api_json_str(b, "name", in.name, sizeof in.name, e) >= 0 &&
	    api_json_str(b, "phone", in.phone, sizeof in.phone, e) >= 0 &&
	    api_json_str(b, "from_unit", in.from_unit, sizeof in.from_unit, e) >= 0 &&
	    api_json_str(b, "post", in.post, sizeof in.post, e) >= 0 &&
	    api_json_str(b, "region_code", in.region_code, sizeof in.region_code, e) >= 0 &&
	    api_json_str(b, "type", in.type, sizeof in.type, e) >= 0 &&
	    api_json_str(b, "start_date", in.start_date, sizeof in.start_date, e) >= 0 &&
	    api_json_str(b, "end_date", in.end_date, sizeof in.end_date, e) >= 0 &&
	    api_json_str(b, "note", in.note, sizeof in.note, e) >= 0 &&
	    staff_deployment_create(rq->db, rq->actor, &in, &id, e) == 0 &&
	    staff_deployment_get(rq->db, rq->actor, id, 0, &out, e) == 0)
		rc = api_reply(rs, 201, out, e);
	json_decref(b);
	return rc;
}

static int dep_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	json_t *out;
	if (api_param_id(rq, 0, &id, e) < 0 ||
	    staff_deployment_get(rq->db, rq->actor, id, api_query_flag(rq, "unmask"), &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int dep_end(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char end[16] = "";
	json_t *out = NULL, *b;
	if (api_param_id(rq, 0, &id, e) < 0 || !(b = api_body_object(rq, e)))
		return -1;
	int rc = -1;
	if (api_json_str(b, "end_date", end, sizeof end, e) >= 0 &&
	    staff_deployment_end(rq->db, rq->actor, id, end, e) == 0 &&
	    staff_deployment_get(rq->db, rq->actor, id, 0, &out, e) == 0)
		rc = api_reply(rs, 200, out, e);
	json_decref(b);
	return rc;
}

static int summary_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "";
	json_t *out;
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    staff_summary(rq->db, rq->actor, from, to, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

const struct api_route staff_routes[] = {
	{"GET", "/api/v1/staff/deployments", dep_list, PERM_STAFF, 0},
	{"POST", "/api/v1/staff/deployments", dep_post, PERM_STAFF, 0},
	{"GET", "/api/v1/staff/summary", summary_get, PERM_STAFF, 0},
	{"GET", "/api/v1/staff/deployments/{id}", dep_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/staff/deployments/{id}/end", dep_end, PERM_LOGIN, 0},
	{0},
};
