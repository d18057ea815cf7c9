/* policy_api.c — the policy module's HTTP routes (docs/api.md, "Policy parameters"):
 *   GET  /api/v1/policy?unit=CODE&residence=urban|rural&month=YYYY-MM   every key in force
 *   GET  /api/v1/policy/history?unit=CODE&key=KEY                       one key's rows
 *   GET  /api/v1/policy/keys                                            the table of keys
 *   POST /api/v1/policy                                                 set a value (201)
 * Handlers only translate between the query string / JSON and policy_store.c, which checks
 * permission and scope (the router has already checked the route's permission).
 */
#include "policy/policy.h"

#include <stdlib.h>
#include <string.h>

static json_t *key_json(const struct policy_key *k)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:s}", "key", k->key, "label",
			 k->label, "unit", k->unit, "unit_label", policy_unit_label(k->unit),
			 "per_residence", k->per_residence, "min", (json_int_t)k->min, "max",
			 (json_int_t)k->max, "help", k->help);
}

static json_t *row_json(const struct policy_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id,
			 "unit_code", r->unit_code, "residence_type", r->residence_type, "key",
			 r->key, "value", (json_int_t)r->value, "effective_from", r->effective_from,
			 "note", r->note, "set_by", r->set_by, "set_at", r->set_at);
}

/* GET /api/v1/policy?unit=&residence=&month= */
static int policy_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char unit[32] = "", res[16] = "urban", month[16];
	policy_current_month(month);
	if (api_query_str(rq, "unit", unit, sizeof unit, e) < 0 ||
	    api_query_str(rq, "residence", res, sizeof res, e) < 0 ||
	    api_query_str(rq, "month", month, sizeof month, e) < 0)
		return -1;
	struct policy_snapshot *s = malloc(sizeof *s);
	if (!s)
		return err_set(e, 500, "internal", NULL, "内存不足");
	if (policy_snapshot(rq->db, rq->actor, unit, res, month, s, e) < 0) {
		free(s);
		return -1;
	}
	json_t *items = json_array();
	for (int i = 0; items && i < s->n; i++) {
		const struct policy_item *it = &s->items[i];
		json_t *o = json_pack(
		    "{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b, s:s}", "key", it->def->key, "label",
		    it->def->label, "unit", it->def->unit, "unit_label",
		    policy_unit_label(it->def->unit), "value",
		    it->present ? json_integer((json_int_t)it->value) : json_null(),
		    "effective_from",
		    it->present ? api_json_opt_str(it->effective_from) : json_null(), "source_unit",
		    it->present ? api_json_opt_str(it->source_unit) : json_null(), "per_residence",
		    it->def->per_residence, "help", it->def->help);
		if (!o || json_array_append_new(items, o) < 0) {
			json_decref(items);
			items = NULL;
		}
	}
	json_t *body = items ? json_pack("{s:s, s:s, s:s, s:o}", "unit_code", s->unit_code,
					 "residence_type", s->residence_type, "month", s->month,
					 "items", items)
			     : NULL;
	free(s);
	return api_reply(rs, 200, body, e);
}

/* GET /api/v1/policy/history?unit=&key= */
static int policy_history_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char unit[32] = "", key[80] = "";
	struct policy_history h;
	if (api_query_str(rq, "unit", unit, sizeof unit, e) < 0 ||
	    api_query_str(rq, "key", key, sizeof key, e) < 0 ||
	    policy_history(rq->db, rq->actor, unit, key, &h, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < h.n; i++)
		if (json_array_append_new(items, row_json(&h.rows[i])) < 0) {
			json_decref(items);
			items = NULL;
		}
	json_t *body = items ? json_pack("{s:s, s:s, s:o, s:i}", "unit_code", unit, "key", key,
					 "items", items, "total", h.n)
			     : NULL;
	policy_history_release(&h);
	return api_reply(rs, 200, body, e);
}

/* GET /api/v1/policy/keys */
static int policy_keys_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int n;
	const struct policy_key *keys = policy_keys(&n);
	json_t *items = json_array();
	for (int i = 0; items && i < n; i++)
		if (json_array_append_new(items, key_json(&keys[i])) < 0) {
			json_decref(items);
			items = NULL;
		}
	return api_reply(rs, 200,
			 items ? json_pack("{s:o, s:i}", "items", items, "total", n) : NULL, e);
}

/* POST /api/v1/policy body {"unit_code","residence_type","key","value","effective_from","note"} */
static int policy_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *unit, *res, *key, *from, *note;
	int rc = -1;
	json_t *value = json_object_get(body, "value");
	struct policy_row row;
	if (api_json_str_ref(body, "unit_code", &unit, "", e) < 0 ||
	    api_json_str_ref(body, "residence_type", &res, "", e) < 0 ||
	    api_json_str_ref(body, "key", &key, "", e) < 0 ||
	    api_json_str_ref(body, "effective_from", &from, "", e) < 0 ||
	    api_json_str_ref(body, "note", &note, "", e) < 0)
		goto out;
	if (!value || json_is_null(value)) {
		err_set(e, 400, "required", "value", "请填写参数值");
		goto out;
	}
	if (!json_is_integer(value)) {
		err_set(e, 400, "invalid_value", "value",
			"参数值应为整数（金额以分、比例以基点计，10000 基点 = 100%%）");
		goto out;
	}
	if (policy_set(rq->db, rq->actor, unit, res, key, (int64_t)json_integer_value(value), from,
		       note, e) < 0 ||
	    policy_row_get(rq->db, rq->actor, unit, res, key, from, &row, e) < 0)
		goto out;
	rc = api_reply(rs, 201, row_json(&row), e);
out:
	json_decref(body);
	return rc;
}

const struct api_route policy_routes[] = {
	{"GET", "/api/v1/policy", policy_get, PERM_POLICY_READ, 0},
	{"GET", "/api/v1/policy/history", policy_history_get, PERM_POLICY_READ, 0},
	{"GET", "/api/v1/policy/keys", policy_keys_get, PERM_POLICY_READ, 0},
	{"POST", "/api/v1/policy", policy_post, PERM_POLICY_WRITE, 0},
	{0},
};
