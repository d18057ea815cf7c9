/* relief_api.c — the relief module's HTTP routes (docs/api.md, "Temporary assistance"):
 *   GET  /api/v1/relief/options                    kinds, causes, forms, ways of applying
 *   GET  /api/v1/relief/grants                     grants in scope (filters, paging)
 *   POST /api/v1/relief/grants                     an application; pay_first pays at once (201)
 *   GET  /api/v1/relief/grants/{id}                a grant with its case decision and steps
 *   POST /api/v1/relief/grants/{id}/<step>         papers decision approve refuse pay deliver
 * return GET  /api/v1/relief/overdue                    overdue papers, decisions, deliveries GET
 * /api/v1/relief/persons/{id}/limits        the limits in force for a person GET
 * /api/v1/relief/reserves                   every township's reserve in scope GET
 * /api/v1/relief/reserves/{code}            one township's reserve and its movements POST
 * /api/v1/relief/reserves/{code}/moves      allocation / replenishment by the county (201) GET
 * /api/v1/relief/needs                      replenishment needs GET  /api/v1/relief/reconcile
 * reserves against grants GET  /api/v1/relief/totals                     paid grants per management
 * unit Handlers translate JSON and query strings to the structs of relief.h and back. The steps are
 * routed with assistance.read: the store finds the grant in scope first (404 otherwise) and then
 * checks the step's permission (403), so existence is never revealed. ID numbers are always
 * masked here.
 */
#include "relief/relief.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "export/export.h"

/* ---- JSON out ------------------------------------------------------------------------------- */

static json_t *grant_json(const struct relief_grant *g)
{
	const struct relief_cause *c = relief_cause_find(g->cause);
	json_t *o = json_object();
	if (!o)
		return NULL;
#define S(k, v) json_object_set_new(o, k, json_string(v))
#define I(k, v) json_object_set_new(o, k, json_integer((json_int_t)(v)))
#define O(k, v) json_object_set_new(o, k, api_json_opt_str(v))
#define B(k, v) json_object_set_new(o, k, json_boolean(v))
	I("id", g->id);
	I("person_id", g->person_id);
	I("household_id", g->household_id);
	S("name", g->name);
	S("id_number", g->id_number);
	S("region_code", g->region_code);
	S("region_name", g->region_name);
	S("township_code", g->township_code);
	S("township_name", g->township_name);
	S("unit_code", g->unit_code);
	S("residence_type", g->residence_type);
	S("kind", g->kind);
	S("kind_label", relief_kind_label(g->kind));
	S("cause", g->cause);
	S("cause_label", c ? c->label : g->cause);
	I("year", g->year);
	I("amount_fen", g->amount_fen);
	S("form", g->form);
	S("form_label", relief_form_label(g->form));
	S("goods_note", g->goods_note);
	S("applied_by", g->applied_by);
	S("applied_by_label", relief_applied_by_label(g->applied_by));
	S("source_ref", g->source_ref);
	S("reason", g->reason);
	B("pay_first", g->pay_first);
	S("level", g->level);
	B("needs_decision", g->needs_decision);
	B("has_decision", g->has_decision);
	json_object_set_new(o, "repeat_of",
			    g->repeat_of ? json_integer((json_int_t)g->repeat_of) : json_null());
	I("standard_fen", g->standard_fen);
	I("max_fen", g->max_fen);
	I("min_fen", g->min_fen);
	I("township_limit_fen", g->township_limit_fen);
	S("decision", g->decision);
	S("payment", g->payment);
	S("state_label", relief_grant_label(g));
	S("applied_on", g->applied_on);
	S("applied_at", g->applied_at);
	S("applied_user", g->applied_user);
	O("decision_due", g->decision_due);
	O("papers_due", g->papers_due);
	O("papers_on", g->papers_on);
	O("deliver_by", g->deliver_by);
	O("decided_on", g->decided_on);
	O("decided_by", g->decided_by);
	S("decision_note", g->decision_note);
	O("paid_on", g->paid_on);
	O("paid_by", g->paid_by);
	O("returned_on", g->returned_on);
	S("updated_at", g->updated_at);
#undef S
#undef I
#undef O
#undef B
	return o;
}

/* GET /api/v1/relief/options */
static int options_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int n;
	const struct relief_cause *c = relief_causes(&n);
	json_t *causes = json_array();
	for (int i = 0; causes && i < n; i++)
		json_array_append_new(causes, json_pack("{s:s, s:s, s:s}", "code", c[i].code,
							"kind", c[i].kind, "label", c[i].label));
	static const char *const kinds[] = {"emergency", "expense"};
	static const char *const forms[] = {"cash", "goods"};
	static const char *const ways[] = {"self", "village_worker", "hotline", "ledger_visit"};
	json_t *k = json_array(), *f = json_array(), *w = json_array();
	for (int i = 0; k && i < 2; i++)
		json_array_append_new(k, json_pack("{s:s, s:s}", "code", kinds[i], "label",
						   relief_kind_label(kinds[i])));
	for (int i = 0; f && i < 2; i++)
		json_array_append_new(f, json_pack("{s:s, s:s}", "code", forms[i], "label",
						   relief_form_label(forms[i])));
	for (int i = 0; w && i < 4; i++)
		json_array_append_new(w, json_pack("{s:s, s:s}", "code", ways[i], "label",
						   relief_applied_by_label(ways[i])));
	if (!causes || !k || !f || !w) {
		json_decref(causes);
		json_decref(k);
		json_decref(f);
		json_decref(w);
		return err_oom(e);
	}
	return api_reply(rs, 200,
		     json_pack("{s:o, s:o, s:o, s:o}", "kinds", k, "causes", causes, "forms", f,
			       "applied_by", w),
		     e);
}

/* ---- grants --------------------------------------------------------------------------------- */

static int add_grant(const struct relief_grant *g, void *ctx)
{
	return json_array_append_new(ctx, grant_json(g)) < 0;
}

static const struct export_col grants_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"镇街", EXPORT_TEXT, 16, "township_name", NULL},
	{"救助类型", EXPORT_TEXT, 10, "kind_label", NULL},
	{"致困原因", EXPORT_TEXT, 14, "cause_label", NULL},
	{"救助方式", EXPORT_TEXT, 10, "form_label", NULL},
	{"金额（元）", EXPORT_MONEY, 12, "amount_fen", NULL},
	{"申请日期", EXPORT_DATE, 12, "applied_on", NULL},
	{"状态", EXPORT_TEXT, 14, "state_label", NULL},
	{"审批日期", EXPORT_DATE, 12, "decided_on", NULL},
	{"发放日期", EXPORT_DATE, 12, "paid_on", NULL},
	{"事由", EXPORT_TEXT, 30, "reason", NULL},
};

static int grants_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec grants_list_export = {
	"relief_grants", "临时救助", NULL, RELIEF_PAGE_MAX, EXPORT_COLS(grants_list_cols)};

/* GET
 * /api/v1/relief/grants?region=&decision=&payment=&pay_first=&person_id=&mine=1&from=&to=&limit=&offset=
 */
static int grants_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, grants_list, &grants_list_export, e);
	char region[16] = "", decision[16] = "", payment[16] = "", from[16] = "", to[16] = "";
	long pay_first, person, mine, limit, offset;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "decision", decision, sizeof decision, e) < 0 ||
	    api_query_str(rq, "payment", payment, sizeof payment, e) < 0 ||
	    api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_int(rq, "pay_first", -1, -1, 1, &pay_first, e) < 0 ||
	    api_query_int(rq, "person_id", 0, 0, 1L << 62, &person, e) < 0 ||
	    api_query_int(rq, "mine", 0, 0, 1, &mine, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, RELIEF_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 100000000, &offset, e) < 0)
		return -1;
	struct relief_filter f = {
	    .region = region,
	    .decision = decision,
	    .payment = payment,
	    .pay_first = (int)pay_first,
	    .person_id = person,
	    .applied_user = mine ? rq->actor->username : "",
	    .from = from,
	    .to = to,
	    .limit = (int)limit,
	    .offset = (int)offset,
	};
	json_t *items = json_array();
	int64_t total = 0;
	if (!items)
		return err_oom(e);
	if (relief_grant_list(rq->db, rq->actor, &f, add_grant, items, &total, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(rs, 200,
		     json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
			       "limit", (int)limit, "offset", (int)offset),
		     e);
}

static int add_step(const struct relief_step_row *s, void *ctx)
{
	return json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s, s:s}", "step", s->step,
						    "on", s->on, "at", s->at, "by", s->by_user,
						    "note", s->note)) < 0;
}

static int reply_grant(struct api_req *rq, struct api_res *rs, int status, int64_t id,
		       struct err *e)
{
	struct relief_grant *g = malloc(sizeof *g);
	struct relief_case_decision *d = malloc(sizeof *d);
	json_t *steps = json_array();
	int rc = -1;
	if (!g || !d || !steps) {
		err_oom(e);
		goto out;
	}
	if (relief_grant_get(rq->db, rq->actor, id, g, d, add_step, steps, e) < 0)
		goto out;
	json_t *o = grant_json(g);
	if (!o) {
		err_oom(e);
		goto out;
	}
	json_object_set_new(o, "case_decision",
			    d->decided_on[0]
				? json_pack("{s:s, s:s, s:s, s:s, s:s}", "decided_on",
					    d->decided_on, "participants", d->participants,
					    "decision", d->decision, "recorded_by", d->recorded_by,
					    "recorded_at", d->recorded_at)
				: json_null());
	json_object_set_new(o, "steps", steps);
	steps = NULL;
	rc = api_reply(rs, status, o, e);
out:
	json_decref(steps);
	free(g);
	free(d);
	return rc;
}

/* POST /api/v1/relief/grants {person_id, kind, cause, amount_fen, form, goods_note, applied_by,
 * source_ref, pay_first, reason, applied_on, request_key} */
static int grant_apply(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct relief_apply_in in = {0};
	const char *on = NULL;
	int64_t id = 0;
	int rc = -1;
	if (api_json_int(body, "person_id", 1, INT64_MAX, &in.person_id, e) < 0 ||
	    api_json_str_ref(body, "kind", &in.kind, NULL, e) < 0 ||
	    api_json_str_ref(body, "cause", &in.cause, NULL, e) < 0 ||
	    api_json_int(body, "amount_fen", 1, RELIEF_MAX_FEN, &in.amount_fen, e) < 0 ||
	    api_json_str_ref(body, "form", &in.form, NULL, e) < 0 ||
	    api_json_str_ref(body, "goods_note", &in.goods_note, NULL, e) < 0 ||
	    api_json_str_ref(body, "applied_by", &in.applied_by, NULL, e) < 0 ||
	    api_json_str_ref(body, "source_ref", &in.source_ref, NULL, e) < 0 ||
	    api_json_bool(body, "pay_first", &in.pay_first, e) < 0 ||
	    api_json_str_ref(body, "reason", &in.reason, NULL, e) < 0 ||
	    api_json_str_ref(body, "applied_on", &on, NULL, e) < 0 ||
	    api_json_str_ref(body, "request_key", &in.request_key, NULL, e) < 0)
		goto out;
	if (!in.person_id) {
		err_set(e, 400, "required", "person_id", "请选择救助对象");
		goto out;
	}
	if (!in.amount_fen) {
		err_set(e, 400, "required", "amount_fen", "请填写救助金额");
		goto out;
	}
	if (!in.form)
		in.form = "cash";
	int applied = relief_apply_on(rq->db, rq->actor, &in, on, &id, e);
	if (applied < 0)
		goto out;
	/* 201 for a new grant; 200 with the same grant when the request key was seen before */
	rc = reply_grant(rq, rs, applied == 1 ? 200 : 201, id, e);
out:
	json_decref(body);
	return rc;
}

/* GET /api/v1/relief/grants/{id} */
static int grant_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return reply_grant(rq, rs, 200, id, e);
}

/* POST /api/v1/relief/grants/{id}/<step> {on, note, participants, decision} */
static int grant_step(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	const char *step = strrchr(rq->path, '/');
	step = step ? step + 1 : "";
	json_t *body = rq->body_len ? api_body_object(rq, e) : json_object();
	if (!body)
		return -1;
	struct relief_step_in in = {0};
	int rc = -1;
	if (api_json_str_ref(body, "on", &in.on, NULL, e) < 0 ||
	    api_json_str_ref(body, "note", &in.note, NULL, e) < 0 ||
	    api_json_str_ref(body, "participants", &in.participants, NULL, e) < 0 ||
	    api_json_str_ref(body, "decision", &in.decision, NULL, e) < 0)
		goto out;
	int (*fn)(struct db *, const struct actor *, int64_t, const struct relief_step_in *,
		  struct err *) = NULL;
	if (strcmp(step, "papers") == 0)
		fn = relief_papers;
	else if (strcmp(step, "decision") == 0)
		fn = relief_decide_case;
	else if (strcmp(step, "approve") == 0)
		fn = relief_approve;
	else if (strcmp(step, "refuse") == 0)
		fn = relief_refuse;
	else if (strcmp(step, "pay") == 0)
		fn = relief_pay;
	else if (strcmp(step, "deliver") == 0)
		fn = relief_deliver;
	else if (strcmp(step, "return") == 0)
		fn = relief_return;
	if (!fn) {
		err_set(e, 404, "not_found", NULL, "接口不存在");
		goto out;
	}
	if (fn(rq->db, rq->actor, id, &in, e) < 0)
		goto out;
	rc = reply_grant(rq, rs, 200, id, e);
out:
	json_decref(body);
	return rc;
}

/* ---- overdue, limits ------------------------------------------------------------------------ */

static int add_overdue(const struct relief_overdue *o, void *ctx)
{
	json_t *g = grant_json(&o->g);
	if (!g)
		return 1;
	json_object_set_new(g, "overdue_kind", json_string(o->kind));
	json_object_set_new(g, "due", json_string(o->due));
	json_object_set_new(g, "days_late", json_integer(o->days_late));
	return json_array_append_new(ctx, g) < 0;
}

static const struct export_col overdue_get_cols[] = {
	{"超期事项", EXPORT_TEXT, 12, "overdue_kind", "papers=先行救助补办材料超期;decisions=超期未审批;deliveries=物资超期未送达"},
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"镇街", EXPORT_TEXT, 16, "township_name", NULL},
	{"救助类型", EXPORT_TEXT, 10, "kind_label", NULL},
	{"金额（元）", EXPORT_MONEY, 12, "amount_fen", NULL},
	{"申请日期", EXPORT_DATE, 12, "applied_on", NULL},
	{"状态", EXPORT_TEXT, 14, "state_label", NULL},
	{"期限", EXPORT_DATE, 12, "due", NULL},
	{"超期", EXPORT_INT, 8, "days_late", NULL},
};

static int overdue_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec overdue_get_export = {
	"relief_overdue", "临时救助超期", NULL, 0, EXPORT_COLS(overdue_get_cols)};

/* GET /api/v1/relief/overdue?kind=papers|decisions|deliveries&as_of=YYYY-MM-DD */
static int overdue_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, overdue_get, &overdue_get_export, e);
	char kind[16] = "", as_of[16] = "";
	if (api_query_str(rq, "kind", kind, sizeof kind, e) < 0 ||
	    api_query_str(rq, "as_of", as_of, sizeof as_of, e) < 0)
		return -1;
	if (!as_of[0])
		clock_today(as_of);
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (relief_overdue_list(rq->db, rq->actor, kind, as_of, add_overdue, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(rs, 200,
		     json_pack("{s:s, s:o, s:I}", "as_of", as_of, "items", items, "total",
			       (json_int_t)json_array_size(items)),
		     e);
}

/* GET /api/v1/relief/persons/{id}/limits?on=YYYY-MM-DD */
static int limits_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char on[16] = "";
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "on", on, sizeof on, e) < 0)
		return -1;
	struct relief_limits l;
	if (relief_person_limits(rq->db, rq->actor, id, on, &l, e) < 0)
		return -1;
	json_t *prior = json_array();
	for (int i = 0; prior && i < l.nprior; i++)
		json_array_append_new(prior,
				      json_pack("{s:s, s:I}", "cause", l.prior[i].cause, "grant_id",
						(json_int_t)l.prior[i].grant_id));
	if (!prior)
		return err_oom(e);
	return api_reply(rs, 200,
		     json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}",
			       "person_id", (json_int_t)id, "unit_code", l.unit_code,
			       "township_code", l.township_code, "residence_type", l.residence_type,
			       "month", l.month, "standard_fen", (json_int_t)l.p.standard_month_fen,
			       "max_fen", (json_int_t)l.max_fen, "emergency_min_fen",
			       (json_int_t)l.emergency_min_fen, "township_limit_fen",
			       (json_int_t)l.p.township_limit_fen, "max_multiple_bp",
			       (json_int_t)l.p.max_multiple_bp, "emergency_min_multiple_bp",
			       (json_int_t)l.p.emergency_min_multiple_bp, "reserve_balance_fen",
			       (json_int_t)l.reserve_balance_fen, "prior_this_year", prior),
		     e);
}

/* ---- reserves ------------------------------------------------------------------------------- */

static json_t *reserve_json(const struct relief_reserve *r)
{
	return json_pack(
	    "{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "township_code",
	    r->township_code, "region_code", r->township_code, "township_name", r->township_name,
	    "unit_code", r->unit_code, "balance_fen", (json_int_t)r->balance_fen, "allocated_fen",
	    (json_int_t)r->allocated_fen, "replenished_fen", (json_int_t)r->replenished_fen,
	    "disbursed_fen", (json_int_t)r->disbursed_fen, "returned_fen",
	    (json_int_t)r->returned_fen, "open_needs", (json_int_t)r->open_needs, "open_need_fen",
	    (json_int_t)r->open_need_fen, "updated_at", api_json_opt_str(r->updated_at));
}

static int add_reserve(const struct relief_reserve *r, void *ctx)
{
	return json_array_append_new(ctx, reserve_json(r)) < 0;
}

static const struct export_col reserves_list_cols[] = {
	{"镇街代码", EXPORT_TEXT, 14, "township_code", NULL},
	{"镇街", EXPORT_TEXT, 16, "township_name", NULL},
	{"余额（元）", EXPORT_MONEY, 14, "balance_fen", NULL},
	{"拨付（元）", EXPORT_MONEY, 14, "allocated_fen", NULL},
	{"补充（元）", EXPORT_MONEY, 14, "replenished_fen", NULL},
	{"支出（元）", EXPORT_MONEY, 14, "disbursed_fen", NULL},
	{"退回（元）", EXPORT_MONEY, 14, "returned_fen", NULL},
	{"待补充笔数", EXPORT_INT, 10, "open_needs", NULL},
	{"待补充金额（元）", EXPORT_MONEY, 16, "open_need_fen", NULL},
	{"更新时间", EXPORT_DATETIME, 18, "updated_at", NULL},
};

static int reserves_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec reserves_list_export = {
	"relief_reserves", "镇街备用金", NULL, 0, EXPORT_COLS(reserves_list_cols)};

/* GET /api/v1/relief/reserves */
static int reserves_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, reserves_list, &reserves_list_export, e);
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (relief_reserve_list(rq->db, rq->actor, add_reserve, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	json_int_t bal = 0;
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) bal +=
	    json_integer_value(json_object_get(it, "balance_fen"));
	return api_reply(rs, 200,
		     json_pack("{s:o, s:I, s:I}", "items", items, "total",
			       (json_int_t)json_array_size(items), "balance_fen", bal),
		     e);
}

static int add_move(const struct relief_move *m, void *ctx)
{
	return json_array_append_new(
		   ctx, json_pack("{s:I, s:s, s:I, s:I, s:o, s:s, s:s, s:s, s:s}", "id",
				  (json_int_t)m->id, "kind", m->kind, "amount_fen",
				  (json_int_t)m->amount_fen, "balance_after_fen",
				  (json_int_t)m->balance_after_fen, "grant_id",
				  m->grant_id ? json_integer((json_int_t)m->grant_id) : json_null(),
				  "on", m->on, "at", m->at, "by", m->by_user, "note", m->note)) < 0;
}

static int reply_reserve(struct api_req *rq, struct api_res *rs, int status, const char *code,
			 struct err *e)
{
	struct relief_reserve r;
	json_t *moves = json_array();
	if (!moves)
		return err_oom(e);
	if (relief_reserve_get(rq->db, rq->actor, code, &r, add_move, moves, 200, e) < 0) {
		json_decref(moves);
		return -1;
	}
	json_t *o = reserve_json(&r);
	if (!o) {
		json_decref(moves);
		return err_oom(e);
	}
	json_object_set_new(o, "moves", moves);
	return api_reply(rs, status, o, e);
}

/* GET /api/v1/relief/reserves/{code} */
static int reserve_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return reply_reserve(rq, rs, 200, rq->params[0], e);
}

/* POST /api/v1/relief/reserves/{code}/moves {kind, amount_fen, on, note} */
static int reserve_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *kind = NULL, *on = NULL, *note = NULL;
	int64_t amount = 0;
	int rc = -1;
	if (api_json_str_ref(body, "kind", &kind, NULL, e) >= 0 &&
	    api_json_int(body, "amount_fen", 1, 10000000000LL, &amount, e) >= 0 &&
	    api_json_str_ref(body, "on", &on, NULL, e) >= 0 &&
	    api_json_str_ref(body, "note", &note, NULL, e) >= 0) {
		/* the township's scope is checked before the amount: 404 before 400 */
		if (relief_reserve_add(rq->db, rq->actor, rq->params[0], kind, amount, on, note,
				       NULL, e) == 0)
			rc = reply_reserve(rq, rs, 201, rq->params[0], e);
	}
	json_decref(body);
	return rc;
}

static int add_need(const struct relief_need *n, void *ctx)
{
	const struct relief_cause *c = relief_cause_find(n->cause);
	return json_array_append_new(
		   ctx,
		   json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:s, "
			     "s:s, s:s, s:s, s:o}",
			     "id", (json_int_t)n->id, "township_code", n->township_code,
			     "region_code", n->region_code, "township_name", n->township_name,
			     "person_id", (json_int_t)n->person_id, "name", n->name, "cause",
			     n->cause, "cause_label", c ? c->label : n->cause, "amount_fen",
			     (json_int_t)n->amount_fen, "balance_fen", (json_int_t)n->balance_fen,
			     "shortfall_fen", (json_int_t)n->shortfall_fen, "on", n->on, "at",
			     n->at, "by", n->by_user, "status", n->status, "met_move_id",
			     n->met_move_id ? json_integer((json_int_t)n->met_move_id)
					    : json_null())) < 0;
}

static const struct export_col needs_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"镇街代码", EXPORT_TEXT, 14, "township_code", NULL},
	{"镇街", EXPORT_TEXT, 16, "township_name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"致困原因", EXPORT_TEXT, 14, "cause_label", NULL},
	{"救助金额（元）", EXPORT_MONEY, 14, "amount_fen", NULL},
	{"当时余额（元）", EXPORT_MONEY, 14, "balance_fen", NULL},
	{"缺口（元）", EXPORT_MONEY, 14, "shortfall_fen", NULL},
	{"日期", EXPORT_DATE, 12, "on", NULL},
	{"登记人", EXPORT_TEXT, 12, "by", NULL},
	{"状态", EXPORT_TEXT, 8, "status", "open=待补充;met=已补充"},
};

static int needs_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec needs_list_export = {
	"relief_needs", "备用金补充需求", NULL, 0, EXPORT_COLS(needs_list_cols)};

/* GET /api/v1/relief/needs?status=open|met */
static int needs_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, needs_list, &needs_list_export, e);
	char status[8] = "";
	if (api_query_str(rq, "status", status, sizeof status, e) < 0)
		return -1;
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (relief_need_list(rq->db, rq->actor, status, add_need, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(
	    rs, 200,
	    json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items)),
	    e);
}

static int add_reconcile(const struct relief_reconcile_row *r, void *ctx)
{
	return json_array_append_new(
		   ctx,
		   json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b}",
			     "township_code", r->township_code, "region_code", r->township_code,
			     "balance_fen", (json_int_t)r->balance_fen, "moves_fen",
			     (json_int_t)r->moves_fen, "disbursed_fen",
			     (json_int_t)r->disbursed_fen, "drawn_fen", (json_int_t)r->drawn_fen,
			     "returned_fen", (json_int_t)r->returned_fen, "grant_returned_fen",
			     (json_int_t)r->grant_returned_fen, "grants_without_draw",
			     (json_int_t)r->grants_without_draw, "chain_ok", r->chain_ok, "ok",
			     r->ok)) < 0;
}

/* GET /api/v1/relief/reconcile?township= */
static int reconcile_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char township[16] = "";
	int bad = 0;
	if (api_query_str(rq, "township", township, sizeof township, e) < 0)
		return -1;
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (relief_reconcile(rq->db, rq->actor, township, add_reconcile, items, &bad, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(rs, 200,
		     json_pack("{s:o, s:I, s:i, s:b}", "items", items, "total",
			       (json_int_t)json_array_size(items), "mismatches", bad, "ok",
			       bad == 0),
		     e);
}

static int add_total(const char *unit, const struct relief_totals *t, void *ctx)
{
	return json_object_set_new(ctx, unit,
				   json_pack("{s:I, s:I}", "person_times",
					     (json_int_t)t->person_times, "amount_fen",
					     (json_int_t)t->amount_fen)) < 0;
}

/* GET /api/v1/relief/totals?from=YYYY-MM&to=YYYY-MM */
static int totals_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0)
		return -1;
	if (!from[0] || !to[0]) {
		char today[11];
		clock_today(today);
		if (!from[0])
			snprintf(from, sizeof from, "%.4s-01", today);
		if (!to[0])
			snprintf(to, sizeof to, "%.7s", today);
	}
	json_t *units = json_object();
	struct relief_totals city;
	if (!units)
		return err_oom(e);
	int rc =
	    relief_report_totals(rq->db, &rq->actor->scope, from, to, add_total, units, &city, e);
	if (rc != 0) {
		json_decref(units);
		return rc < 0 ? -1 : err_oom(e);
	}
	return api_reply(rs, 200,
		     json_pack("{s:s, s:s, s:{s:I, s:I}, s:o}", "from", from, "to", to, "total",
			       "person_times", (json_int_t)city.person_times, "amount_fen",
			       (json_int_t)city.amount_fen, "units", units),
		     e);
}

#define GRANT "/api/v1/relief/grants/{id}"
#define RESERVE "/api/v1/relief/reserves/{code}"

const struct api_route relief_routes[] = {
    {"GET", "/api/v1/relief/options", options_get, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/grants", grants_list, PERM_ASSISTANCE_READ, 0},
    {"POST", "/api/v1/relief/grants", grant_apply, PERM_ASSISTANCE_WRITE, 0},
    {"GET", GRANT, grant_get, PERM_ASSISTANCE_READ, 0},
    /* steps: the permission is checked after the grant is found in scope (see top) */
    {"POST", GRANT "/papers", grant_step, PERM_ASSISTANCE_READ, 0},
    {"POST", GRANT "/decision", grant_step, PERM_ASSISTANCE_READ, 0},
    {"POST", GRANT "/approve", grant_step, PERM_ASSISTANCE_READ, 0},
    {"POST", GRANT "/refuse", grant_step, PERM_ASSISTANCE_READ, 0},
    {"POST", GRANT "/pay", grant_step, PERM_ASSISTANCE_READ, 0},
    {"POST", GRANT "/deliver", grant_step, PERM_ASSISTANCE_READ, 0},
    {"POST", GRANT "/return", grant_step, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/overdue", overdue_get, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/persons/{id}/limits", limits_get, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/reserves", reserves_list, PERM_ASSISTANCE_READ, 0},
    {"GET", RESERVE, reserve_get, PERM_ASSISTANCE_READ, 0},
    {"POST", RESERVE "/moves", reserve_post, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/needs", needs_list, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/reconcile", reconcile_get, PERM_ASSISTANCE_READ, 0},
    {"GET", "/api/v1/relief/totals", totals_get, PERM_ASSISTANCE_READ, 0},
    {0},
};
