/* orgs_api.c — the orgs module's HTTP routes (docs/orgs.md):
 *
 *   GET  /api/v1/orgs                    organisations in scope (?q, type, region; paging; export)
 *   POST /api/v1/orgs                    a new organisation
 *   GET  /api/v1/orgs/engagements        engagement records (?org_id, activity, region, from, to)
 *   POST /api/v1/orgs/engagements        an engagement with its volunteers' hours
 *   GET  /api/v1/orgs/volunteers         volunteers (?org_id, q, region; phones masked)
 *   POST /api/v1/orgs/volunteers         one volunteer, or {"org_id","volunteers":[…]}
 *   GET  /api/v1/orgs/summary            the counts over ?from..to
 *   GET  /api/v1/orgs/{id}[?unmask=1]    one organisation with its latest engagements
 *
 * Handlers only translate; the domain (orgs_store.c) checks permission, scope and input. The
 * literal paths come before /orgs/{id} (the router takes the first match). */
#include "orgs/orgs.h"

#include <stdlib.h>
#include <string.h>

#include "export/export.h"

static int read_query(struct api_req *rq, struct orgs_query *q, const char *type_key,
		      struct err *e)
{
	long limit, offset, org;
	memset(q, 0, sizeof *q);
	if (api_query_str(rq, "q", q->q, sizeof q->q, e) < 0 ||
	    api_query_str(rq, "region", q->region, sizeof q->region, e) < 0 ||
	    api_query_str(rq, type_key, q->type, sizeof q->type, e) < 0 ||
	    api_query_str(rq, "from", q->from, sizeof q->from, e) < 0 ||
	    api_query_str(rq, "to", q->to, sizeof q->to, e) < 0 ||
	    api_query_int(rq, "org_id", 0, 0, 1L << 40, &org, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, ORGS_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q->org_id = org;
	q->limit = (int)limit;
	q->offset = offset;
	return 0;
}

/* ---- organisations ---- */

static const struct export_col org_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"组织名称", EXPORT_TEXT, 28, "name", NULL},
	{"类型", EXPORT_TEXT, 14, "type_label", NULL},
	{"登记证号", EXPORT_TEXT, 22, "reg_no", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"所在地", EXPORT_TEXT, 14, "region_name", NULL},
	{"联系人", EXPORT_TEXT, 10, "contact_name", NULL},
	{"联系电话", EXPORT_TEXT, 14, "contact_phone", NULL},
	{"参与记录", EXPORT_INT, 8, "engagements", NULL},
	{"志愿者", EXPORT_INT, 8, "volunteers", NULL},
	{"最近参与", EXPORT_DATE, 12, "last_engaged_on", NULL},
};

static int orgs_get_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec org_export = {"orgs", "社会组织", NULL, ORGS_PAGE_MAX,
						   EXPORT_COLS(org_cols)};

static int orgs_get_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, orgs_get_list, &org_export, e);
	struct orgs_query q;
	json_t *out;
	if (read_query(rq, &q, "type", e) < 0 ||
	    orgs_list(rq->db, rq->actor, &q, api_query_flag(rq, "unmask"), &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int orgs_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct orgs_org_in in;
	int64_t id;
	json_t *out = NULL, *b = api_body_object(rq, e);
	int rc = -1;
	memset(&in, 0, sizeof in);
	if (b && api_json_str(b, "name", in.name, sizeof in.name, e) >= 0 &&
	    api_json_str(b, "type", in.type, sizeof in.type, e) >= 0 &&
	    api_json_str(b, "reg_no", in.reg_no, sizeof in.reg_no, e) >= 0 &&
	    api_json_str(b, "region_code", in.region_code, sizeof in.region_code, e) >= 0 &&
	    api_json_str(b, "contact_name", in.contact_name, sizeof in.contact_name, e) >= 0 &&
	    api_json_str(b, "contact_phone", in.contact_phone, sizeof in.contact_phone, e) >= 0 &&
	    orgs_create(rq->db, rq->actor, &in, &id, e) == 0 &&
	    orgs_get(rq->db, rq->actor, id, 0, &out, e) == 0)
		rc = api_reply(rs, 201, out, e);
	json_decref(b);
	return rc;
}

static int org_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	json_t *out;
	if (api_param_id(rq, 0, &id, e) < 0 ||
	    orgs_get(rq->db, rq->actor, id, api_query_flag(rq, "unmask"), &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

/* ---- engagements ---- */

static const struct export_col eng_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "date", NULL},
	{"社会组织", EXPORT_TEXT, 28, "org_name", NULL},
	{"活动类型", EXPORT_TEXT, 10, "activity_label", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"活动地点", EXPORT_TEXT, 14, "region_name", NULL},
	{"消杀面积（平方米）", EXPORT_INT, 14, "area_m2", NULL},
	{"排查户数", EXPORT_INT, 10, "households", NULL},
	{"发动志愿者", EXPORT_INT, 10, "volunteers", NULL},
	{"登记服务人次", EXPORT_INT, 10, "activities", NULL},
	{"备注", EXPORT_TEXT, 24, "note", NULL},
};

static int eng_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec eng_export = {"org_engagements", "社会组织参与记录", NULL,
						   ORGS_PAGE_MAX, EXPORT_COLS(eng_cols)};

static int eng_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, eng_list, &eng_export, e);
	struct orgs_query q;
	json_t *out;
	if (read_query(rq, &q, "activity", e) < 0 ||
	    orgs_engagement_list(rq->db, rq->actor, &q, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int eng_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct orgs_engagement_in in;
	int64_t id;
	json_t *b = api_body_object(rq, e), *acts;
	int rc = -1;
	memset(&in, 0, sizeof in);
	if (!b)
		return -1;
	if (api_json_id(b, "org_id", &in.org_id, e) < 0 ||
	    api_json_str(b, "date", in.date, sizeof in.date, e) < 0 ||
	    api_json_str(b, "region_code", in.region_code, sizeof in.region_code, e) < 0 ||
	    api_json_str(b, "activity", in.activity, sizeof in.activity, e) < 0 ||
	    api_json_int(b, "area_m2", 0, ORGS_MAX_AREA_M2, &in.area_m2, e) < 0 ||
	    api_json_int(b, "households", 0, ORGS_MAX_COUNT, &in.households, e) < 0 ||
	    api_json_int(b, "volunteers", 0, ORGS_MAX_COUNT, &in.volunteers, e) < 0 ||
	    api_json_str(b, "note", in.note, sizeof in.note, e) < 0)
		goto out;
	acts = json_object_get(b, "activities");
	if (acts && !json_is_null(acts)) {
		if (!json_is_array(acts) || json_array_size(acts) > ORGS_MAX_ACTIVITIES) {
			err_set(e, 400, "invalid_value", "activities",
				"activities 应为至多 500 项的数组");
			goto out;
		}
		in.n_activities = (int)json_array_size(acts);
		in.activities = calloc((size_t)in.n_activities + 1, sizeof *in.activities);
		if (!in.activities) {
			err_oom(e);
			goto out;
		}
		for (int i = 0; i < in.n_activities; i++) {
			json_t *x = json_array_get(acts, (size_t)i);
			char p[24];
			snprintf(p, sizeof p, "activities[%d]", i);
			if (!json_is_object(x)) {
				err_set(e, 400, "invalid_value", p, "应为对象");
				goto out;
			}
			in.activities[i].hours_tenths = 10;
			if (api_json_id(x, "volunteer_id", &in.activities[i].volunteer_id, e) < 0 ||
			    api_json_int(x, "hours_tenths", 1, 240, &in.activities[i].hours_tenths,
					 e) < 0) {
				err_prefix_field(e, p);
				goto out;
			}
			if (in.activities[i].volunteer_id <= 0) {
				char f[48];
				snprintf(f, sizeof f, "%s.volunteer_id", p);
				err_set(e, 400, "required", f, "请选择志愿者");
				goto out;
			}
		}
	}
	if (orgs_engagement_create(rq->db, rq->actor, &in, &id, e) == 0) {
		struct orgs_query q;
		json_t *l;
		memset(&q, 0, sizeof q);
		q.org_id = in.org_id;
		q.limit = 1;
		if (orgs_engagement_list(rq->db, rq->actor, &q, &l, e) == 0) {
			json_t *it = json_incref(json_array_get(json_object_get(l, "items"), 0));
			json_decref(l);
			rc = api_reply(rs, 201, it, e);
		}
	}
out:
	free(in.activities);
	json_decref(b);
	return rc;
}

/* ---- volunteers ---- */

static const struct export_col vol_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"电话", EXPORT_TEXT, 14, "phone", NULL},
	{"社会组织", EXPORT_TEXT, 28, "org_name", NULL},
	{"技能特长", EXPORT_TEXT, 20, "skills", NULL},
	{"服务次数", EXPORT_INT, 8, "activities", NULL},
	{"服务时长（0.1 小时）", EXPORT_INT, 12, "hours_tenths", NULL},
};

static int vol_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec vol_export = {"org_volunteers", "志愿者", NULL, ORGS_PAGE_MAX,
						   EXPORT_COLS(vol_cols)};

static int vol_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, vol_list, &vol_export, e);
	struct orgs_query q;
	json_t *out;
	if (read_query(rq, &q, "type", e) < 0 ||
	    orgs_volunteer_list(rq->db, rq->actor, &q, api_query_flag(rq, "unmask"), &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int vol_from_json(const json_t *o, int64_t org_id, struct orgs_volunteer_in *v,
			 struct err *e)
{
	memset(v, 0, sizeof *v);
	v->org_id = org_id;
	if (api_json_str(o, "name", v->name, sizeof v->name, e) < 0 ||
	    api_json_str(o, "phone", v->phone, sizeof v->phone, e) < 0 ||
	    api_json_str(o, "skills", v->skills, sizeof v->skills, e) < 0)
		return -1;
	return 0;
}

static int vol_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *b = api_body_object(rq, e), *list;
	struct orgs_volunteer_in *in = NULL;
	int64_t org = 0, *ids = NULL;
	int n = 1, rc = -1;
	if (!b)
		return -1;
	if (api_json_id(b, "org_id", &org, e) < 0)
		goto out;
	list = json_object_get(b, "volunteers");
	if (list && !json_is_array(list)) {
		err_set(e, 400, "invalid_value", "volunteers", "volunteers 应为数组");
		goto out;
	}
	if (list)
		n = (int)json_array_size(list);
	if (n > 2000) {
		err_set(e, 400, "invalid_value", "volunteers", "一次最多登记 2000 名志愿者");
		goto out;
	}
	in = calloc((size_t)n + 1, sizeof *in);
	ids = calloc((size_t)n + 1, sizeof *ids);
	if (!in || !ids) {
		err_oom(e);
		goto out;
	}
	for (int i = 0; i < n; i++) {
		const json_t *o = list ? json_array_get(list, (size_t)i) : b;
		if (!json_is_object(o)) {
			err_set(e, 400, "invalid_value", "volunteers", "志愿者应为对象");
			goto out;
		}
		if (vol_from_json(o, org, &in[i], e) < 0) {
			if (list) {
				char p[24];
				snprintf(p, sizeof p, "volunteers[%d]", i);
				err_prefix_field(e, p);
			}
			goto out;
		}
	}
	if (orgs_volunteer_import(rq->db, rq->actor, org, n, in, ids, e) == 0) {
		json_t *a = json_array();
		for (int i = 0; a && i < n; i++)
			json_array_append_new(a, json_integer(ids[i]));
		rc = api_reply(rs, 201,
			       a ? json_pack("{s:I, s:o, s:i}", "id", (json_int_t)ids[0], "ids", a,
					     "count", n)
				 : NULL,
			       e);
	}
out:
	free(in);
	free(ids);
	json_decref(b);
	return rc;
}

static int summary_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "";
	json_t *out;
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    orgs_summary(rq->db, rq->actor, from, to, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

const struct api_route orgs_routes[] = {
	{"GET", "/api/v1/orgs", orgs_get_list, PERM_SOCIAL_ORG, 0},
	{"POST", "/api/v1/orgs", orgs_post, PERM_SOCIAL_ORG, 0},
	{"GET", "/api/v1/orgs/engagements", eng_list, PERM_SOCIAL_ORG, 0},
	{"POST", "/api/v1/orgs/engagements", eng_post, PERM_SOCIAL_ORG, 0},
	{"GET", "/api/v1/orgs/volunteers", vol_list, PERM_SOCIAL_ORG, 0},
	{"POST", "/api/v1/orgs/volunteers", vol_post, PERM_SOCIAL_ORG, 0},
	{"GET", "/api/v1/orgs/summary", summary_get, PERM_SOCIAL_ORG, 0},
	{"GET", "/api/v1/orgs/{id}", org_get, PERM_LOGIN, 0},
	{0},
};
