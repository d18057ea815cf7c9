/* registry_api.c — the registry's HTTP routes (docs/api.md, "Registry").
 *
 * Handlers only translate: query/body → input structs (registry_json.c), one domain call
 * (registry_store.c), struct → JSON. Authentication, the route's permission and CSRF are checked
 * by the router before a handler runs; scope is enforced inside the domain functions, and the
 * unmask permission too (it depends on a query parameter, not the route).
 */
#include "registry/registry.h"

#include "crosscheck/crosscheck.h"
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

/* Answer with a household read back through the domain (so the reply is what is stored). */
static int reply_household(struct api_req *rq, struct api_res *rs, int64_t id, int unmask,
			   int status, struct err *e)
{
	struct registry_household *h = calloc(1, sizeof *h);
	if (!h)
		return err_oom(e);
	int rc = registry_household_get(rq->db, rq->actor, id, unmask, h, e);
	if (rc == 0) {
		rs->status = status;
		rs->body = registry_household_json(h, NULL);
	}
	free(h);
	return rc;
}

static int reply_person(struct api_req *rq, struct api_res *rs, int64_t id, int status,
			struct err *e)
{
	struct registry_person_detail d;
	if (registry_person_get(rq->db, rq->actor, id, 0, &d, e) < 0)
		return -1;
	rs->status = status;
	rs->body = registry_person_json(&d.person, 0, NULL);
	registry_person_detail_release(&d);
	return 0;
}

/* POST /api/v1/households */
static int household_create(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct registry_household_in *in = calloc(1, sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (registry_household_from_json(body, in, e) == 0 &&
		 registry_household_create(rq->db, rq->actor, in, &id, e) == 0)
		rc = reply_household(rq, rs, id, 0, 201, e);
	free(in);
	json_decref(body);
	return rc;
}

/* GET /api/v1/households/{id}[?unmask=1] */
static int household_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return reply_household(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

/* PATCH /api/v1/households/{id} */
static int household_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct registry_household_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (registry_household_from_json(body, in, e) == 0 &&
		 registry_household_patch(rq->db, rq->actor, id, in, e) == 0)
		rc = reply_household(rq, rs, id, 0, 200, e);
	free(in);
	json_decref(body);
	return rc;
}

/* POST /api/v1/households/{id}/members */
static int member_add(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t hid, pid = 0;
	if (api_param_id(rq, 0, &hid, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct registry_person_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (registry_person_from_json(body, in, e) == 0 &&
		 registry_member_add(rq->db, rq->actor, hid, in, &pid, e) == 0)
		rc = reply_person(rq, rs, pid, 201, e);
	free(in);
	json_decref(body);
	return rc;
}

/* DELETE /api/v1/households/{id}/members/{person_id} body {"reason":"…"} */
static int member_remove(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t hid, pid;
	if (api_param_id(rq, 0, &hid, e) < 0 || api_param_id(rq, 1, &pid, e) < 0)
		return -1;
	json_t *body = NULL, *reason;
	if (rq->body && rq->body_len > 0 && !(body = api_body_object(rq, e)))
		return -1;
	reason = body ? json_object_get(body, "reason") : NULL;
	int rc = -1;
	if (reason && !json_is_string(reason) && !json_is_null(reason))
		err_set(e, 400, "invalid_value", "reason", "reason 应为字符串");
	else if (registry_member_remove(rq->db, rq->actor, hid, pid,
					json_is_string(reason) ? json_string_value(reason) : "",
					e) == 0)
		rc = reply_person(rq, rs, pid, 200, e);
	json_decref(body);
	return rc;
}

static const struct export_col person_cols[] = {
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"性别", EXPORT_TEXT, 6, "sex", "male=男;female=女"},
	{"出生日期", EXPORT_DATE, 12, "birth_date", NULL},
	{"年龄", EXPORT_INT, 6, "age", NULL},
	{"与户主关系", EXPORT_TEXT, 10, "relation",
	 "head=户主;spouse=配偶;child=子女;parent=父母;grandchild=孙子女;grandparent=祖父母;"
	 "sibling=兄弟姐妹;other=其他"},
	{"联系电话", EXPORT_TEXT, 15, "phone", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"户编号", EXPORT_INT, 10, "household_id", NULL},
	{"月收入（元）", EXPORT_MONEY, 12, "monthly_income_fen", NULL},
	{"状态", EXPORT_TEXT, 10, "status", "active=在册;removed=已移除;moved=已迁出;deceased=已故"},
};

static int person_search(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec person_export = {
	"persons", "人员名册", NULL, REGISTRY_PAGE_MAX, person_cols,
	(int)(sizeof person_cols / sizeof person_cols[0])};

/* GET /api/v1/persons?q=&region=&tag=&limit=&offset=[&format=xlsx|csv] — always masked, exported too */
static int person_search(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct registry_person_query q;
	struct registry_person_page pg;
	char buf[1024]; /* larger than any field, so an over-long value is caught below, not cut */
	long limit, offset;
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, person_search, &person_export, e);
	memset(&q, 0, sizeof q);
	if (api_query_int(rq, "limit", 20, 1, REGISTRY_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000000L, &offset, e) < 0)
		return -1;
	q.limit = (int)limit;
	q.offset = offset;
	const struct {
		const char *name;
		char *dst;
		size_t n;
	} params[] = {
		{"q", q.q, sizeof q.q},
		{"region", q.region, sizeof q.region},
		{"tag", q.tag, sizeof q.tag},
	};
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		int have = api_query_str(rq, params[i].name, buf, sizeof buf, e);
		if (have < 0)
			return -1;
		if (!have)
			continue;
		const char *v = buf;
		size_t n = strlen(v);
		if (n >= params[i].n)
			return err_set(e, 400, "invalid_value", params[i].name, "%s 过长",
				       params[i].name);
		memcpy(params[i].dst, v, n + 1);
	}
	if (registry_person_search(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; i < pg.n; i++)
		json_array_append_new(items, registry_person_json(&pg.items[i], 0, NULL));
	rs->body = json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg.total,
			     "limit", pg.limit, "offset", (json_int_t)pg.offset);
	rs->status = 200;
	registry_person_page_release(&pg);
	return 0;
}

/* GET /api/v1/persons/{id}[?unmask=1] */
static int person_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct registry_person_detail d;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	if (registry_person_get(rq->db, rq->actor, id, api_query_flag(rq, "unmask"), &d, e) < 0)
		return -1;
	rs->status = 200;
	rs->body = registry_person_detail_json(&d, NULL);
	registry_person_detail_release(&d);
	/* the day of death the cross-check recorded (funeral record or death list), else null */
	char died[11];
	int dead = crosscheck_died_on(rq->db, id, died, e);
	if (dead < 0)
		return -1;
	if (rs->body)
		json_object_set_new(rs->body, "died_on", api_json_opt_str(dead ? died : NULL));
	return 0;
}

/* PATCH /api/v1/persons/{id} */
static int person_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct registry_person_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (registry_person_from_json(body, in, e) == 0 &&
		 registry_person_patch(rq->db, rq->actor, id, in, e) == 0)
		rc = reply_person(rq, rs, id, 200, e);
	free(in);
	json_decref(body);
	return rc;
}

/* POST /api/v1/persons/{id}/move body {"household_id":7,"relation":"child","reason":"…"} */
static int person_move(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	json_t *to = json_object_get(body, "household_id");
	json_t *rel = json_object_get(body, "relation");
	json_t *reason = json_object_get(body, "reason");
	int rc = -1;
	if (!to || json_is_null(to))
		err_set(e, 400, "required", "household_id", "请选择迁入的户");
	else if (!json_is_integer(to) || json_integer_value(to) <= 0)
		err_set(e, 400, "invalid_value", "household_id", "household_id 应为正整数");
	else if (rel && !json_is_string(rel) && !json_is_null(rel))
		err_set(e, 400, "invalid_value", "relation", "relation 应为字符串");
	else if (reason && !json_is_string(reason) && !json_is_null(reason))
		err_set(e, 400, "invalid_value", "reason", "reason 应为字符串");
	else if (registry_person_move(rq->db, rq->actor, id, json_integer_value(to),
				      json_is_string(rel) ? json_string_value(rel) : "",
				      json_is_string(reason) ? json_string_value(reason) : "",
				      e) == 0)
		rc = reply_person(rq, rs, id, 200, e);
	json_decref(body);
	return rc;
}

const struct api_route registry_routes[] = {
	{"POST", "/api/v1/households", household_create, PERM_REGISTRY_WRITE, 0},
	{"GET", "/api/v1/households/{id}", household_get, PERM_REGISTRY_READ, 0},
	{"PATCH", "/api/v1/households/{id}", household_patch, PERM_REGISTRY_WRITE, 0},
	{"POST", "/api/v1/households/{id}/members", member_add, PERM_REGISTRY_WRITE, 0},
	{"DELETE", "/api/v1/households/{id}/members/{person_id}", member_remove,
	 PERM_REGISTRY_WRITE, 0},
	{"GET", "/api/v1/persons", person_search, PERM_REGISTRY_READ, 0},
	{"GET", "/api/v1/persons/{id}", person_get, PERM_REGISTRY_READ, 0},
	{"PATCH", "/api/v1/persons/{id}", person_patch, PERM_REGISTRY_WRITE, 0},
	{"POST", "/api/v1/persons/{id}/move", person_move, PERM_REGISTRY_WRITE, 0},
	{0},
};
