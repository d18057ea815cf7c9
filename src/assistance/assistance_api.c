/* assistance_api.c — the assistance module's HTTP routes (docs/api.md, "Assistance cases"):
 *   GET  /api/v1/assistance/cases                      cases in scope (filters, paging)
 *   POST /api/v1/assistance/cases                      an application (201)
 *   GET  /api/v1/assistance/cases/{id}                 a case with steps, objections, its month
 *   POST /api/v1/assistance/cases/{id}/<step>          investigate appraise notice approve refuse
 *                                                      suspend resume terminate review reassess
 *   POST /api/v1/assistance/cases/{id}/objections      an objection to a notice (201)
 *   POST /api/v1/assistance/cases/{id}/objections/resolve
 *   POST /api/v1/assistance/cases/{id}/job-refusals    a member refused a suitable job offer (201)
 *   GET  /api/v1/assistance/notices                    cases under notice on a day
 *   GET  /api/v1/assistance/notices/{code}             a village's printable notice board
 *   GET  /api/v1/assistance/reviews-due                the due-review list
 *   GET  /api/v1/assistance/held-exits                 exits held by epidemic periods
 *   GET  /api/v1/assistance/epidemic-periods           the city's declared periods
 *   POST /api/v1/assistance/epidemic-periods           declare one (city admin, 201)
 * Handlers translate JSON / query strings to the structs of assistance.h and back; scope and the
 * step's permission are checked by the store after the case is found, so the county's steps
 * (approve, refuse, suspend, resume, terminate) are routed with assistance.read: a case outside
 * the caller's scope is then 404 for every role, and 403 only for a case the caller can see.
 * ID numbers are always masked here and bank accounts cut to their last four digits.
 */
#include "assistance/assistance_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "export/export.h"
#include "core/idnum.h"
#include "core/text.h"
#include "regions/regions.h"

/* ---- JSON in -------------------------------------------------------------------------------- */

static int parent_from_json(json_t *o, int i, struct assistance_parent *pa, struct err *e)
{
	char f[48];
	int64_t v;
	memset(pa, 0, sizeof *pa);
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return err_set(e, 400, "invalid_value", "parents", "parents 应为两个对象的数组");
	struct {
		const char *name;
		int *dst;
		int64_t max;
	} ints[] = {
	    {"disability_grade", &pa->disability_grade, 4},
	    {"detained_months", &pa->detained_months, 1200},
	    {"out_of_contact_months", &pa->out_of_contact_months, 1200},
	};
	if (api_json_bool(o, "dead", &pa->dead, e) < 0 ||
	    api_json_bool(o, "missing", &pa->missing, e) < 0 ||
	    api_json_bool(o, "seriously_ill", &pa->seriously_ill, e) < 0)
		goto bad;
	for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++) {
		v = 0;
		if (api_json_int(o, ints[k].name, 0, ints[k].max, &v, e) < 0)
			goto bad;
		*ints[k].dst = (int)v;
	}
	char kind[24] = "";
	if (api_json_str(o, "disability_kind", kind, sizeof kind, e) < 0)
		goto bad;
	static const char *const kinds[] = {"",	       "visual",       "hearing", "speech",
					    "physical", "intellectual", "mental",  "multiple"};
	int found = 0;
	for (int k = 0; k < 8; k++)
		if (strcmp(kinds[k], kind) == 0) {
			pa->disability_kind = (enum assistance_disability_kind)k;
			found = 1;
		}
	if (!found) {
		err_set(e, 400, "invalid_value", "disability_kind",
			"残疾类别应为 visual hearing speech physical intellectual mental multiple");
		goto bad;
	}
	return 0;
bad:
	snprintf(f, sizeof f, "parents[%d]", i);
	err_prefix_field(e, f);
	return -1;
}

static int apply_from_json(json_t *o, struct assistance_apply_in *in, struct err *e)
{
	int64_t v;
	memset(in, 0, sizeof *in);
	if (api_json_str(o, "program", in->program, sizeof in->program, e) < 0 ||
	    api_json_int(o, "household_id", 1, INT64_MAX, &in->household_id, e) < 0 ||
	    api_json_int(o, "person_id", 1, INT64_MAX, &in->person_id, e) < 0 ||
	    api_json_str(o, "applied_on", in->applied_on, sizeof in->applied_on, e) < 0 ||
	    api_json_int(o, "assets_fen", 0, ASSISTANCE_MAX_FEN, &in->assets_fen, e) < 0 ||
	    api_json_str(o, "review_category", in->review_category, sizeof in->review_category,
			 e) < 0 ||
	    api_json_str(o, "support_form", in->support_form, sizeof in->support_form, e) < 0 ||
	    api_json_str(o, "placement", in->placement, sizeof in->placement, e) < 0 ||
	    api_json_str(o, "payee_name", in->payee_name, sizeof in->payee_name, e) < 0 ||
	    api_json_str(o, "bank_name", in->bank_name, sizeof in->bank_name, e) < 0 ||
	    api_json_str(o, "bank_account", in->bank_account, sizeof in->bank_account, e) < 0 ||
	    api_json_str(o, "note", in->note, sizeof in->note, e) < 0)
		return -1;
	v = 0;
	if (api_json_int(o, "adl_mask", 0, ASSISTANCE_ADL_ALL, &v, e) < 0)
		return -1;
	in->adl_mask = (int)v;
	json_t *ps = json_object_get(o, "parents");
	if (ps && !json_is_null(ps)) {
		if (!json_is_array(ps) || json_array_size(ps) != 2)
			return err_set(e, 400, "invalid_value", "parents",
				       "parents 应为父母双方（两个对象）的数组");
		for (int i = 0; i < 2; i++)
			if (parent_from_json(json_array_get(ps, (size_t)i), i, &in->parents[i], e) < 0)
				return -1;
	}
	return 0;
}

static int step_from_json(json_t *o, struct assistance_step_in *in, struct err *e)
{
	int64_t v;
	memset(in, 0, sizeof *in);
	in->assets_fen = -1;
	in->adl_mask = -1;
	if (api_json_str(o, "date", in->date, sizeof in->date, e) < 0 ||
	    api_json_str(o, "text", in->text, sizeof in->text, e) < 0 ||
	    api_json_str(o, "result", in->result, sizeof in->result, e) < 0 ||
	    api_json_str(o, "people", in->people, sizeof in->people, e) < 0 ||
	    api_json_int(o, "assets_fen", 0, ASSISTANCE_MAX_FEN, &in->assets_fen, e) < 0 ||
	    api_json_str(o, "place", in->place, sizeof in->place, e) < 0 ||
	    api_json_str(o, "cause", in->cause, sizeof in->cause, e) < 0 ||
	    api_json_str(o, "category", in->category, sizeof in->category, e) < 0 ||
	    api_json_str(o, "support_form", in->support_form, sizeof in->support_form, e) < 0)
		return -1;
	v = 0;
	if (api_json_int(o, "attendees", 0, 100000, &v, e) < 0)
		return -1;
	in->attendees = (int)v;
	v = 0;
	if (api_json_int(o, "votes_for", 0, 100000, &v, e) < 0)
		return -1;
	in->votes_for = (int)v;
	v = -1;
	if (api_json_int(o, "adl_mask", 0, ASSISTANCE_ADL_ALL, &v, e) < 0)
		return -1;
	in->adl_mask = (int)v;
	return 0;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

static const char *care_level_code(int adl)
{
	enum assistance_care_level lv;
	if (assistance_tekun_care_level((unsigned)adl, &lv, NULL) < 0)
		return "";
	return lv == ASSISTANCE_CARE_FULL ? "full" : lv == ASSISTANCE_CARE_HALF ? "half" : "self";
}

/* "****1234": bank accounts never leave the server whole. */
static void mask_account(const char *acct, char out[16])
{
	size_t n = strlen(acct);
	if (n == 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 16, "****%s", n > 4 ? acct + n - 4 : acct);
}

static json_t *case_json(const struct assistance_case *c)
{
	char id[19], acct[16];
	idnum_mask(c->id_number, id);
	mask_account(c->bank_account, acct);
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer((json_int_t)c->id));
	json_object_set_new(o, "program", json_string(c->program));
	json_object_set_new(o, "status", json_string(c->status));
	json_object_set_new(o, "household_id", json_integer((json_int_t)c->household_id));
	json_object_set_new(o, "person_id",
			    c->person_id ? json_integer((json_int_t)c->person_id) : json_null());
	json_object_set_new(o, "region_code", json_string(c->region_code));
	json_object_set_new(o, "region_name", json_string(c->region_name));
	json_object_set_new(o, "unit_code", json_string(c->unit_code));
	json_object_set_new(o, "unit_name", json_string(c->unit_name));
	json_object_set_new(o, "residence_type", json_string(c->residence_type));
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "id_number", json_string(c->id_number[0] ? id : ""));
	json_object_set_new(o, "applied_at", json_string(c->applied_at));
	json_object_set_new(o, "start_month", api_json_opt_str(c->start_month));
	json_object_set_new(o, "end_month", api_json_opt_str(c->end_month));
	json_object_set_new(o, "monthly_amount_fen", json_integer((json_int_t)c->monthly_amount_fen));
	json_object_set_new(o, "review_category", json_string(c->review_category));
	json_object_set_new(o, "last_review_month", api_json_opt_str(c->last_review_month));
	json_object_set_new(o, "next_review_month", api_json_opt_str(c->next_review_month));
	json_object_set_new(o, "phaseout_from", api_json_opt_str(c->phaseout_from));
	json_object_set_new(o, "phaseout_months", json_integer(c->phaseout_months));
	json_object_set_new(o, "exit_cause", api_json_opt_str(c->exit_cause));
	json_object_set_new(o, "exit_holdable", json_boolean(c->exit_holdable));
	json_object_set_new(o, "suspended_from", api_json_opt_str(c->suspended_from));
	json_object_set_new(o, "suspended_until", api_json_opt_str(c->suspended_until));
	json_object_set_new(o, "notice_start", api_json_opt_str(c->notice_start));
	json_object_set_new(o, "notice_end", api_json_opt_str(c->notice_end));
	json_object_set_new(o, "adl_mask", json_integer(c->adl_mask));
	json_object_set_new(o, "care_level",
			    strcmp(c->program, ASSISTANCE_TEKUN) == 0
				? json_string(care_level_code(c->adl_mask))
				: json_null());
	json_object_set_new(o, "support_form", api_json_opt_str(c->support_form));
	json_object_set_new(o, "child_category", api_json_opt_str(c->child_category));
	json_object_set_new(o, "child_placement", api_json_opt_str(c->child_placement));
	json_object_set_new(o, "parent_conditions",
			    c->parent_condition[0][0]
				? json_pack("[s,s]", c->parent_condition[0], c->parent_condition[1])
				: json_array());
	json_object_set_new(o, "assets_fen", json_integer((json_int_t)c->assets_fen));
	json_object_set_new(o, "payee_name", json_string(c->payee_name[0] ? c->payee_name : c->name));
	json_object_set_new(o, "bank_name", json_string(c->bank_name));
	json_object_set_new(o, "bank_account", json_string(acct));
	json_object_set_new(o, "reason", json_string(c->reason));
	json_object_set_new(o, "last_step_on", api_json_opt_str(c->last_step_on));
	json_object_set_new(o, "created_at", json_string(c->created_at));
	json_object_set_new(o, "updated_at", json_string(c->updated_at));
	return o;
}

static json_t *page_json(const struct assistance_case_page *pg, int limit, int64_t offset)
{
	json_t *items = json_array();
	for (int i = 0; items && i < pg->n; i++)
		if (json_array_append_new(items, case_json(&pg->items[i])) < 0) {
			json_decref(items);
			return NULL;
		}
	if (!items)
		return NULL;
	return json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg->total,
			 "limit", limit, "offset", (json_int_t)offset);
}

static json_t *dibao_json(const struct assistance_dibao_result *r)
{
	/* 16 members: one format item each (a missing or extra one makes json_pack fail) */
	return json_pack("{s:I, s:b, s:s, s:s, s:I, s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I, s:I, "
			 "s:I, s:b}",
			 "amount_fen", (json_int_t)r->amount_fen, "eligible", r->eligible, "reason",
			 assistance_dibao_reason_code(r->reason), "reason_text",
			 assistance_dibao_reason_text(r->reason), "standard_fen",
			 (json_int_t)r->standard_fen, "members", r->members, "counted_members",
			 r->counted_members, "refusing_members", r->refusing_members,
			 "total_income_fen", (json_int_t)r->total_income_fen,
			 "per_capita_income_fen", (json_int_t)r->per_capita_income_fen, "gap_fen",
			 (json_int_t)r->gap_fen, "gap_withheld_fen", (json_int_t)r->gap_withheld_fen,
			 "gap_paid_fen", (json_int_t)r->gap_paid_fen,
			 "uplift_fen", (json_int_t)r->uplift_fen, "computed_fen",
			 (json_int_t)r->computed_fen, "minimum_applied", r->minimum_applied);
}

/* The month as computed: what is owed and why, with the rules' figures. */
static json_t *calc_json(const struct assistance_case_calc *k, const char *month, int preview)
{
	char exitm[8] = "";
	if (k->exit_month)
		assistance_month_format(k->exit_month, exitm);
	json_t *o = json_pack(
	    "{s:s, s:b, s:b, s:s, s:I, s:o, s:i, s:i, s:o, s:b}", "month", month, "preview",
	    preview, "owed", k->owed, "state", assistance_pay_state_code(k->state), "amount_fen",
	    (json_int_t)(k->owed ? k->ent.amount_fen : 0), "why", api_json_opt_str(k->why),
	    "phaseout_k", k->phaseout_k, "phaseout_n", k->phaseout_n, "exit_month",
	    api_json_opt_str(exitm), "exit_held", k->exit_held);
	if (!o)
		return NULL;
	if (k->has_dibao)
		json_object_set_new(o, "dibao", dibao_json(&k->dibao));
	if (k->has_tekun)
		json_object_set_new(o, "tekun",
				    json_pack("{s:I, s:I, s:I, s:I, s:I}", "standard_fen",
					      (json_int_t)k->tekun.standard_fen, "basic_fen",
					      (json_int_t)k->tekun.basic_fen, "care_year_fen",
					      (json_int_t)k->tekun.care_year_fen, "care_fen",
					      (json_int_t)k->tekun.care_fen, "total_fen",
					      (json_int_t)k->tekun.total_fen));
	if (k->has_child) {
		char last[8];
		assistance_month_format(k->child.last_month, last);
		json_object_set_new(
		    o, "child",
		    json_pack("{s:s, s:s, s:I}", "category",
			      assistance_child_category_code(k->child.category), "last_month", last,
			      "amount_fen", (json_int_t)k->child.amount_fen));
	}
	json_t *mem = json_array();
	for (int i = 0; mem && i < k->n_members; i++) {
		const struct assistance_calc_member *m = &k->members[i];
		const struct assistance_member_result *r =
		    k->has_dibao && m->rules_index >= 0 ? &k->dibao.member[m->rules_index] : NULL;
		json_array_append_new(
		    mem, json_pack("{s:I, s:s, s:s, s:o, s:b, s:b, s:I, s:i, s:b, s:s, s:I, s:i, s:b}",
				   "person_id", (json_int_t)m->person_id, "name", m->name,
				   "relation", m->relation,
				   "age", m->age >= 0 ? json_integer(m->age) : json_null(),
				   "counted", r ? r->counted : 0, "is_tekun", m->is_tekun,
				   "income_month_fen", (json_int_t)m->income_month_fen,
				   "disability_grade", m->disability_grade, "serious_illness",
				   m->serious_illness, "uplift",
				   assistance_uplift_code(r ? r->uplift : ASSISTANCE_UPLIFT_NONE),
				   "uplift_fen", (json_int_t)(r ? r->uplift_fen : 0), "job_refusals",
				   m->job_refusals, "work_refused", r ? r->refused : 0));
	}
	json_object_set_new(o, "members", mem ? mem : json_array());
	return o;
}

/* ---- cases ---------------------------------------------------------------------------------- */

static const struct export_col case_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"项目", EXPORT_TEXT, 8, "program", "dibao=低保;tekun=特困供养;orphan=孤儿;unsupported_child=事实无人抚养儿童"},
	{"状态", EXPORT_TEXT, 10, "status",
	 "applied=待调查;investigated=待评议;appraised=待公示;notice=公示中;"
	 "active=在保;suspended=暂停发放;phaseout=渐退中;terminated=已终止;"
	 "refused=不予批准"},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"镇街", EXPORT_TEXT, 16, "unit_name", NULL},
	{"申请日期", EXPORT_DATE, 12, "applied_at", NULL},
	{"起始月份", EXPORT_TEXT, 10, "start_month", NULL},
	{"终止月份", EXPORT_TEXT, 10, "end_month", NULL},
	{"月保障金（元）", EXPORT_MONEY, 14, "monthly_amount_fen", NULL},
	{"下次复核", EXPORT_TEXT, 10, "next_review_month", NULL},
	{"收款人", EXPORT_TEXT, 10, "payee_name", NULL},
	{"开户行", EXPORT_TEXT, 18, "bank_name", NULL},
	{"账号", EXPORT_TEXT, 16, "bank_account", NULL},
};

static int cases_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec case_export = {
	"assistance_cases", "救助对象", NULL, ASSISTANCE_PAGE_MAX, case_cols,
	(int)(sizeof case_cols / sizeof case_cols[0])};

/* GET /api/v1/assistance/cases?program=&status=&stage=&region=&limit=&offset=[&format=xlsx|csv] */
static int cases_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct assistance_case_query q;
	struct assistance_case_page pg;
	long limit, offset;
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, cases_list, &case_export, e);
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "program", q.program, sizeof q.program, e) < 0 ||
	    api_query_str(rq, "status", q.status, sizeof q.status, e) < 0 ||
	    api_query_str(rq, "stage", q.stage, sizeof q.stage, e) < 0 ||
	    api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_int(rq, "limit", 20, 1, ASSISTANCE_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000000L, &offset, e) < 0)
		return -1;
	q.limit = (int)limit;
	q.offset = offset;
	if (assistance_case_list(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *body = page_json(&pg, q.limit, q.offset);
	assistance_case_page_release(&pg);
	return api_reply(rs, 200, body, e);
}

/* The month a case page shows: the current month for a case on or past the roll; for an
 * application, a preview of the first month an approval today would pay. */
static json_t *case_month_json(struct db *db, const struct assistance_case *c, struct err *e)
{
	char month[8], today[11];
	clock_today(today);
	memcpy(month, today, 7);
	month[7] = '\0';
	const int pending = strcmp(c->status, "applied") == 0 ||
			    strcmp(c->status, "investigated") == 0 ||
			    strcmp(c->status, "appraised") == 0 || strcmp(c->status, "notice") == 0;
	if (strcmp(c->status, "refused") == 0)
		return json_null();
	if (pending)
		assistance_month_format(assistance_month_or_zero(month) + 1, month);
	else if (c->start_month[0] && strcmp(c->start_month, month) > 0)
		/* approved, not yet paid: its first month */
		text_copy(month, sizeof month, c->start_month);
	struct assistance_case_calc *k = malloc(sizeof *k);
	if (!k) {
		err_oom(e);
		return NULL;
	}
	json_t *o;
	struct err why;
	err_clear(&why);
	if (assistance_case_calc(db, c->id, month, pending, k, &why) == 0)
		o = calc_json(k, month, pending);
	else if (why.status < 500)
		/* a missing parameter must not hide the case: say why instead */
		o = json_pack("{s:s, s:b, s:b, s:s, s:s}", "month", month, "preview", pending, "owed",
			      0, "state", "unknown", "error", why.message);
	else {
		/* a database error is not a month that cannot be computed: the answer fails */
		*e = why;
		free(k);
		return NULL;
	}
	free(k);
	if (!o)
		err_oom(e);
	return o;
}

static json_t *detail_json(struct db *db, const struct actor *a,
			   const struct assistance_case_detail *d, struct err *e)
{
	json_t *o = case_json(&d->c);
	json_t *steps = json_array(), *objs = json_array(), *next = json_array();
	json_t *refusals = json_array();
	if (!o || !steps || !objs || !next || !refusals)
		goto fail;
	for (int i = 0; i < d->n_refusals; i++) {
		const struct assistance_job_refusal *f = &d->refusals[i];
		json_array_append_new(
		    refusals, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
					(json_int_t)f->id, "person_id", (json_int_t)f->person_id,
					"name", f->name, "date", f->date, "offer", f->offer, "at",
					f->at, "by", f->by, "counts_from", f->counts_from,
					"counts_until", f->counts_until));
	}
	for (int i = 0; i < d->n_steps; i++) {
		const struct assistance_step_row *s = &d->steps[i];
		json_t *rec = json_loads(s->record, 0, NULL);
		json_array_append_new(steps,
				      json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id",
						(json_int_t)s->id, "step", s->step, "at", s->at,
						"by", s->by, "record", rec ? rec : json_object(),
						"notice_start", api_json_opt_str(s->notice_start),
						"notice_end", api_json_opt_str(s->notice_end)));
	}
	for (int i = 0; i < d->n_objections; i++) {
		const struct assistance_objection *x = &d->objections[i];
		json_array_append_new(
		    objs, json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o}", "id", (json_int_t)x->id,
				    "at", x->at, "by", x->by, "content", x->content, "resolution",
				    api_json_opt_str(x->resolution), "resolved_at",
				    api_json_opt_str(x->resolved_at), "resolved_by",
				    api_json_opt_str(x->resolved_by)));
	}
	for (int s = ASSISTANCE_STEP_INVESTIGATE; s <= ASSISTANCE_STEP_REASSESS; s++)
		if (assistance_step_allowed(&d->c, (enum assistance_step)s) &&
		    actor_can(a, assistance_step_perm((enum assistance_step)s)))
			json_array_append_new(next, json_string(assistance_step_name(s)));
	if (strcmp(d->c.status, "notice") == 0 && actor_can(a, PERM_ASSISTANCE_WRITE))
		json_array_append_new(next, json_string("objection"));
	if (strcmp(d->c.program, ASSISTANCE_DIBAO) == 0 && strcmp(d->c.status, "active") == 0 &&
	    actor_can(a, PERM_ASSISTANCE_WRITE))
		json_array_append_new(next, json_string("job_refusal"));
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "objections", objs);
	json_object_set_new(o, "job_refusals", refusals);
	json_object_set_new(o, "next_steps", next);
	json_t *month = case_month_json(db, &d->c, e);
	if (!month) {
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "month", month);
	return o;
fail:
	json_decref(o);
	json_decref(steps);
	json_decref(objs);
	json_decref(next);
	json_decref(refusals);
	err_oom(e);
	return NULL;
}

static int reply_case(struct api_req *rq, struct api_res *rs, int64_t id, int status,
		      struct err *e)
{
	struct assistance_case_detail *d = malloc(sizeof *d);
	if (!d)
		return err_oom(e);
	int rc = assistance_case_get(rq->db, rq->actor, id, d, e);
	if (rc == 0) {
		/* NULL with e filled: out of memory, or a database error computing the month */
		json_t *body = detail_json(rq->db, rq->actor, d, e);
		assistance_case_detail_release(d);
		rc = body ? api_reply(rs, status, body, e) : -1;
	}
	free(d);
	return rc;
}

/* GET /api/v1/assistance/cases/{id} */
static int case_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return reply_case(rq, rs, id, 200, e);
}

/* POST /api/v1/assistance/cases */
static int case_apply(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct assistance_apply_in *in = malloc(sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (apply_from_json(body, in, e) == 0 &&
		 assistance_case_apply(rq->db, rq->actor, in, &id, e) == 0)
		rc = reply_case(rq, rs, id, 201, e);
	free(in);
	json_decref(body);
	return rc;
}

/* POST /api/v1/assistance/cases/{id}/<step>: the step is the route's last path segment. */
static int case_step(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	const char *slash = strrchr(rq->path, '/');
	enum assistance_step step = assistance_step_from_name(slash ? slash + 1 : "");
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct assistance_step_in *in = malloc(sizeof *in);
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (step_from_json(body, in, e) == 0 &&
		 assistance_case_step(rq->db, rq->actor, id, step, in, e) == 0)
		rc = reply_case(rq, rs, id, 200, e);
	free(in);
	json_decref(body);
	return rc;
}

/* POST /api/v1/assistance/cases/{id}/objections {"content", "resolution"} */
static int objection_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, oid = 0;
	char *content = NULL, *resolution = NULL;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	content = calloc(1, ASSISTANCE_TEXT_SZ);
	resolution = calloc(1, ASSISTANCE_TEXT_SZ);
	if (!content || !resolution)
		err_oom(e);
	else if (api_json_str(body, "content", content, ASSISTANCE_TEXT_SZ, e) >= 0 &&
		 api_json_str(body, "resolution", resolution, ASSISTANCE_TEXT_SZ, e) >= 0 &&
		 assistance_objection_add(rq->db, rq->actor, id, content, resolution, &oid, e) == 0)
		rc = reply_case(rq, rs, id, 201, e);
	free(content);
	free(resolution);
	json_decref(body);
	return rc;
}

/* POST /api/v1/assistance/cases/{id}/objections/resolve {"objection_id", "resolution"} */
static int objection_resolve(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, oid = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	char *resolution = calloc(1, ASSISTANCE_TEXT_SZ);
	if (!resolution)
		err_oom(e);
	else if (api_json_int(body, "objection_id", 1, INT64_MAX, &oid, e) >= 0 &&
		 api_json_str(body, "resolution", resolution, ASSISTANCE_TEXT_SZ, e) >= 0 &&
		 assistance_objection_resolve(rq->db, rq->actor, id, oid, resolution, e) == 0)
		rc = reply_case(rq, rs, id, 200, e);
	free(resolution);
	json_decref(body);
	return rc;
}

/* POST /api/v1/assistance/cases/{id}/job-refusals {"person_id", "date", "offer"} */
static int refusal_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, rid = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	struct assistance_job_refusal_in *in = calloc(1, sizeof *in);
	if (!in)
		err_oom(e);
	else if (api_json_int(body, "person_id", 1, INT64_MAX, &in->person_id, e) >= 0 &&
		 api_json_str(body, "date", in->date, sizeof in->date, e) >= 0 &&
		 api_json_str(body, "offer", in->offer, sizeof in->offer, e) >= 0 &&
		 assistance_job_refusal_add(rq->db, rq->actor, id, in, &rid, e) == 0)
		rc = reply_case(rq, rs, id, 201, e);
	free(in);
	json_decref(body);
	return rc;
}

/* ---- notices -------------------------------------------------------------------------------- */

static const struct export_col notices_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"项目", EXPORT_TEXT, 8, "program", "dibao=低保;tekun=特困供养;orphan=孤儿;unsupported_child=事实无人抚养儿童"},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"管理单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"申请日期", EXPORT_DATE, 12, "applied_at", NULL},
	{"月保障金（元）", EXPORT_MONEY, 14, "monthly_amount_fen", NULL},
};

static int notices_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec notices_list_export = {
	"assistance_notices", "公示名单", NULL, 0, EXPORT_COLS(notices_list_cols)};

/* GET /api/v1/assistance/notices?region=&date= */
static int notices_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, notices_list, &notices_list_export, e);
	char region[16] = "", date[16] = "";
	struct assistance_case_page pg;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "date", date, sizeof date, e) < 0 ||
	    assistance_notices(rq->db, rq->actor, region, date, &pg, e) < 0)
		return -1;
	json_t *body = page_json(&pg, pg.n, 0);
	assistance_case_page_release(&pg);
	return api_reply(rs, 200, body, e);
}

static const char *notice_program_label(const char *p)
{
	return strcmp(p, ASSISTANCE_DIBAO) == 0 ? "最低生活保障" : "特困人员救助供养";
}

/* GET /api/v1/assistance/notices/{code}?date= — what the village board shows: the households and
 * persons under notice, names with masked ID numbers, the number of persons and the monthly
 * amount proposed (computed for the month after the notice ends, as an approval would). */
static int notice_board(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char date[16] = "", day[11];
	const char *code = rq->params[0];
	struct region r;
	struct assistance_case_page pg;
	if (api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	if (!code || !*code || strlen(code) > 12 || !scope_overlaps(&rq->actor->scope, code) ||
	    strspn(code, "0123456789") != strlen(code))
		return err_set(e, 404, "not_found", NULL, "该区划不存在或不在您的管辖范围内");
	if (regions_get(rq->db, code, &r, e) < 0)
		return e->status >= 500 ? -1
					: err_set(e, 404, "not_found", NULL,
						  "该区划不存在或不在您的管辖范围内");
	if (assistance_notices(rq->db, rq->actor, code, date, &pg, e) < 0)
		return -1;
	if (date[0])
		text_copy(day, sizeof day, date);
	else
		clock_today(day);
	struct assistance_case_calc *k = malloc(sizeof *k);
	json_t *items = json_array();
	int failed = 0;
	for (int i = 0; k && items && i < pg.n; i++) {
		const struct assistance_case *c = &pg.items[i];
		char id[19], month[8];
		struct err ignore;
		err_clear(&ignore);
		idnum_mask(c->id_number, id);
		char end_month[8];
		/* "YYYY-MM" of the last day */
		text_copy(end_month, sizeof end_month, c->notice_end);
		assistance_month_format(assistance_month_or_zero(end_month) + 1, month);
		int have = assistance_case_calc(rq->db, c->id, month, 1, k, &ignore) == 0;
		if (!have && ignore.status >= 500) {
			/* a database error: the board would show the family without its amount */
			*e = ignore;
			failed = 1;
			break;
		}
		int persons = !have ? 0
			      : k->has_dibao ? k->dibao.counted_members
					     : 1;
		json_array_append_new(
		    items,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:s, s:s}", "case_id",
			      (json_int_t)c->id, "program", c->program, "program_label",
			      notice_program_label(c->program), "name", c->name, "id_number",
			      c->id_number[0] ? id : "", "region_name", c->region_name, "persons",
			      persons, "amount_fen",
			      have && k->owed ? json_integer((json_int_t)k->ent.amount_fen)
					      : json_null(),
			      "notice_start", c->notice_start, "notice_end", c->notice_end,
			      "first_month", month));
	}
	free(k);
	assistance_case_page_release(&pg);
	if (failed) {
		json_decref(items);
		return -1;
	}
	if (!items)
		return err_oom(e);
	/* the township and the unit that approves, for the heading */
	struct region anc[6];
	int na = 0;
	char township[REGIONS_NAME_MAX] = "";
	if (regions_ancestors(rq->db, code, anc, 6, &na, e) == 0)
		for (int i = 0; i < na; i++)
			if (anc[i].level == REGIONS_TOWNSHIP)
				text_copy(township, sizeof township, anc[i].name);
	if (r.level == REGIONS_TOWNSHIP)
		text_copy(township, sizeof township, r.name);
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I}", "region_code", r.code,
				 "region_name", r.name, "level", regions_level_name(r.level),
				 "township_name", township, "unit_name", r.unit_name, "date", day,
				 "items", items, "total", (json_int_t)json_array_size(items));
	return api_reply(rs, 200, body, e);
}

/* ---- reviews, held exits -------------------------------------------------------------------- */

static const struct export_col reviews_due_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"项目", EXPORT_TEXT, 8, "program", "dibao=低保;tekun=特困供养;orphan=孤儿;unsupported_child=事实无人抚养儿童"},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"管理单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"计划复核月份", EXPORT_TEXT, 12, "scheduled_month", NULL},
	{"应复核月份", EXPORT_TEXT, 12, "due_month", NULL},
	{"疫情期间顺延", EXPORT_BOOL, 12, "postponed", NULL},
	{"已逾期", EXPORT_BOOL, 8, "overdue", NULL},
	{"月保障金（元）", EXPORT_MONEY, 14, "monthly_amount_fen", NULL},
};

static int reviews_due(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec reviews_due_export = {
	"assistance_reviews_due", "到期复核", NULL, 0, EXPORT_COLS(reviews_due_cols)};

/* GET /api/v1/assistance/reviews-due?region=&month= */
static int reviews_due(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, reviews_due, &reviews_due_export, e);
	char region[16] = "", month[16] = "";
	struct assistance_review_list l;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "month", month, sizeof month, e) < 0 ||
	    assistance_reviews_due(rq->db, rq->actor, region, month, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++) {
		json_t *o = case_json(&l.items[i].c);
		if (!o)
			continue;
		json_object_set_new(o, "scheduled_month", json_string(l.items[i].scheduled_month));
		json_object_set_new(o, "due_month", json_string(l.items[i].due_month));
		json_object_set_new(o, "postponed", json_boolean(l.items[i].postponed));
		json_object_set_new(o, "overdue", json_boolean(l.items[i].overdue));
		json_array_append_new(items, o);
	}
	int n = l.n, postponed = l.postponed;
	free(l.items);
	if (!month[0]) {
		char today[11];
		clock_today(today);
		text_copy(month, 8, today);
	}
	return api_reply(rs, 200,
		     items ? json_pack("{s:s, s:o, s:i, s:i}", "month", month, "items", items, "total",
				       n, "postponed", postponed)
			   : NULL,
		     e);
}

static const struct export_col held_exits_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"项目", EXPORT_TEXT, 8, "program", "dibao=低保;tekun=特困供养;orphan=孤儿;unsupported_child=事实无人抚养儿童"},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"管理单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"原因", EXPORT_TEXT, 12, "exit_cause", "income=收入超过标准;death=死亡;moved_away=迁出;request=本人申请退出;other=其他"},
	{"原退出月份", EXPORT_TEXT, 12, "exit_month", NULL},
	{"暂缓至", EXPORT_TEXT, 12, "held_exit_month", NULL},
	{"本月状态", EXPORT_TEXT, 10, "state", "active=正常发放;phaseout=渐退发放;held=暂缓退出"},
	{"月保障金（元）", EXPORT_MONEY, 14, "monthly_amount_fen", NULL},
};

static int held_exits(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec held_exits_export = {
	"assistance_held_exits", "暂缓退出", NULL, 0, EXPORT_COLS(held_exits_cols)};

/* GET /api/v1/assistance/held-exits?region=&month= */
static int held_exits(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, held_exits, &held_exits_export, e);
	char region[16] = "", month[16] = "";
	struct assistance_held_list l;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "month", month, sizeof month, e) < 0 ||
	    assistance_held_exits(rq->db, rq->actor, region, month, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++) {
		json_t *o = case_json(&l.items[i].c);
		if (!o)
			continue;
		json_object_set_new(o, "exit_month", json_string(l.items[i].exit_month));
		json_object_set_new(o, "held_exit_month", json_string(l.items[i].held_exit_month));
		json_object_set_new(o, "state", json_string(l.items[i].state));
		json_array_append_new(items, o);
	}
	int n = l.n;
	free(l.items);
	if (!month[0]) {
		char today[11];
		clock_today(today);
		text_copy(month, 8, today);
	}
	return api_reply(rs, 200,
		     items ? json_pack("{s:s, s:o, s:i}", "month", month, "items", items, "total", n)
			   : NULL,
		     e);
}

/* ---- epidemic periods ----------------------------------------------------------------------- */

static json_t *period_json(const struct assistance_epidemic_period *p, const char *month)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)p->id,
			 "start_month", p->start_month, "end_month", p->end_month, "note", p->note,
			 "declared_by", p->declared_by, "declared_at", p->declared_at, "in_force",
			 strcmp(p->start_month, month) <= 0 && strcmp(month, p->end_month) <= 0);
}

static int reply_periods(struct api_req *rq, struct api_res *rs, int status, int64_t created,
			 struct err *e)
{
	struct assistance_epidemic_period *v;
	int n;
	char today[11], month[8];
	clock_today(today);
	text_copy(month, sizeof month, today);
	if (assistance_epidemic_list(rq->db, &v, &n, e) < 0)
		return -1;
	json_t *items = json_array();
	json_t *made = NULL;
	for (int i = 0; items && i < n; i++) {
		json_array_append_new(items, period_json(&v[i], month));
		if (v[i].id == created)
			made = period_json(&v[i], month);
	}
	free(v);
	if (!items)
		return err_oom(e);
	json_t *body = json_pack("{s:o, s:i}", "items", items, "total", n);
	if (body && made)
		json_object_set_new(body, "created", made);
	else
		json_decref(made);
	return api_reply(rs, status, body, e);
}

/* GET /api/v1/assistance/epidemic-periods */
static int periods_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return reply_periods(rq, rs, 200, 0, e);
}

/* POST /api/v1/assistance/epidemic-periods {"start_month", "end_month", "note"} */
static int periods_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char start[16] = "", end[16] = "", note[ASSISTANCE_TEXT_SZ] = "";
	int64_t id = 0;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (api_json_str(body, "start_month", start, sizeof start, e) >= 0 &&
	    api_json_str(body, "end_month", end, sizeof end, e) >= 0 &&
	    api_json_str(body, "note", note, sizeof note, e) >= 0 &&
	    assistance_epidemic_declare(rq->db, rq->actor, start, end, note, &id, e) == 0)
		rc = reply_periods(rq, rs, 201, id, e);
	json_decref(body);
	return rc;
}

#define CASE "/api/v1/assistance/cases/{id}"

const struct api_route assistance_routes[] = {
	{"GET", "/api/v1/assistance/cases", cases_list, PERM_ASSISTANCE_READ, 0},
	{"POST", "/api/v1/assistance/cases", case_apply, PERM_ASSISTANCE_WRITE, 0},
	{"GET", CASE, case_get, PERM_ASSISTANCE_READ, 0},
	{"POST", CASE "/investigate", case_step, PERM_ASSISTANCE_WRITE, 0},
	{"POST", CASE "/appraise", case_step, PERM_ASSISTANCE_WRITE, 0},
	{"POST", CASE "/notice", case_step, PERM_ASSISTANCE_WRITE, 0},
	{"POST", CASE "/objections", objection_post, PERM_ASSISTANCE_WRITE, 0},
	{"POST", CASE "/objections/resolve", objection_resolve, PERM_ASSISTANCE_WRITE, 0},
	{"POST", CASE "/job-refusals", refusal_post, PERM_ASSISTANCE_WRITE, 0},
	/* county decisions: assistance.approve is checked after the case is found (see top) */
	{"POST", CASE "/approve", case_step, PERM_ASSISTANCE_READ, 0},
	{"POST", CASE "/refuse", case_step, PERM_ASSISTANCE_READ, 0},
	{"POST", CASE "/suspend", case_step, PERM_ASSISTANCE_READ, 0},
	{"POST", CASE "/resume", case_step, PERM_ASSISTANCE_READ, 0},
	{"POST", CASE "/terminate", case_step, PERM_ASSISTANCE_READ, 0},
	{"POST", CASE "/review", case_step, PERM_ASSISTANCE_WRITE, 0},
	{"POST", CASE "/reassess", case_step, PERM_ASSISTANCE_WRITE, 0},
	{"GET", "/api/v1/assistance/notices", notices_list, PERM_ASSISTANCE_READ, 0},
	{"GET", "/api/v1/assistance/notices/{code}", notice_board, PERM_ASSISTANCE_READ, 0},
	{"GET", "/api/v1/assistance/reviews-due", reviews_due, PERM_ASSISTANCE_READ, 0},
	{"GET", "/api/v1/assistance/held-exits", held_exits, PERM_ASSISTANCE_READ, 0},
	{"GET", "/api/v1/assistance/epidemic-periods", periods_get, PERM_ASSISTANCE_READ, 0},
	{"POST", "/api/v1/assistance/epidemic-periods", periods_post, PERM_ASSISTANCE_APPROVE, 0},
	{0},
};
