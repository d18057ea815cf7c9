/* ledger_api.c — the ledger's HTTP routes (docs/api.md, "Hardship ledger"):
 *   GET   /api/v1/ledger/entries                   entries in scope (filters, paging)
 *   POST  /api/v1/ledger/entries                   add a person by hand (201)
 *   GET   /api/v1/ledger/entries/{id}              an entry with visits, needs, the 24-hour number
 *   PATCH /api/v1/ledger/entries/{id}              hand-recorded categories, note
 *   POST  /api/v1/ledger/entries/{id}/assign       the helper (包帮责任人)
 *   POST  /api/v1/ledger/entries/{id}/close        close with the reason
 *   POST  /api/v1/ledger/entries/{id}/reopen
 *   POST  /api/v1/ledger/entries/{id}/visits       a visit with its needs (201)
 *   POST  /api/v1/ledger/entries/{id}/needs/resolve  settle a need
 *   POST  /api/v1/ledger/entries/{id}/relief       a need opens a temporary-assistance case (201)
 *   GET   /api/v1/ledger/overdue                   the overdue list, counts per area below
 *   GET   /api/v1/ledger/stats                     figures per period and region
 *   GET   /api/v1/ledger/helpers                   users who can be assigned, with their entries
 *   GET   /api/v1/ledger/notice/{code}             a village's or township's printable notice
 *   PUT   /api/v1/ledger/contacts/{code}           a township's 24-hour number
 * Every route needs the ledger permission. Handlers translate JSON and query strings to the
 * structs of ledger.h and back; ID numbers and phones are masked unless ?unmask=1 (audited).
 */
#include "ledger/ledger_internal.h"

#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "core/idnum.h"
#include "core/phone.h"
#include "core/text.h"
#include "export/export.h"

/* ---- JSON in -------------------------------------------------------------------------------- */

/* "categories": ["elderly_alone", …] → a mask of hand-recordable categories; 0 absent, 1. */
static int get_categories(json_t *o, unsigned *mask, struct err *e)
{
	json_t *v = json_object_get(o, "categories");
	const char *codes[LEDGER_NCAT * 2];
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v) || json_array_size(v) > LEDGER_NCAT * 2)
		return err_set(e, 400, "invalid_value", "categories", "categories 应为困难类别代码的数组");
	size_t i;
	json_t *x;
	json_array_foreach(v, i, x)
	{
		if (!json_is_string(x)) {
			char f[32];
			snprintf(f, sizeof f, "categories[%zu]", i);
			return err_set(e, 400, "invalid_value", f, "困难类别应为字符串");
		}
		codes[i] = json_string_value(x);
	}
	if (ledger_categories_parse(codes, (int)json_array_size(v), 1, "categories", mask, e) < 0)
		return -1;
	return 1;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

static json_t *categories_json(unsigned mask)
{
	json_t *a = json_array();
	const struct ledger_category_def *defs = ledger_category_defs();
	for (int i = 0; a && i < LEDGER_NCAT; i++)
		if (mask & LEDGER_CAT_BIT(i))
			json_array_append_new(a, json_string(defs[i].code));
	return a ? a : json_array();
}

static json_t *helper_json(const struct ledger_helper *h)
{
	if (!h->user_id)
		return json_null();
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "user_id", (json_int_t)h->user_id,
			 "username", h->username, "role", h->role, "region_code", h->region_code,
			 "name", h->name, "phone", h->phone);
}

/* ENTRY of docs/api.md; as_of for days_overdue. */
static json_t *entry_json(const struct ledger_entry *en, int unmasked, const char *today,
			  const char *as_of)
{
	char id[24] = "", phone[24] = "";
	if (unmasked) {
		text_copy(id, sizeof id, en->id_number);
		text_copy(phone, sizeof phone, en->phone);
	} else {
		if (en->id_number[0])
			idnum_mask(en->id_number, id);
		if (en->phone[0])
			phone_mask(en->phone, phone);
	}
	int age = en->birth_date[0] ? idnum_age_on(en->birth_date, today) : -1;
	const int active = strcmp(en->status, "active") == 0;
	int late = active && en->next_due[0] ? ledger_days_overdue(en->next_due, as_of) : -1;
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer((json_int_t)en->id));
	json_object_set_new(o, "person_id", json_integer((json_int_t)en->id));
	json_object_set_new(o, "household_id", json_integer((json_int_t)en->household_id));
	json_object_set_new(o, "region_code", json_string(en->region_code));
	json_object_set_new(o, "region_name", json_string(en->region_name));
	json_object_set_new(o, "unit_code", json_string(en->unit_code));
	json_object_set_new(o, "name", json_string(en->name));
	json_object_set_new(o, "sex", api_json_opt_str(en->sex));
	json_object_set_new(o, "age", age >= 0 ? json_integer(age) : json_null());
	json_object_set_new(o, "id_number", json_string(id));
	json_object_set_new(o, "phone", json_string(phone));
	json_object_set_new(o, "masked", json_boolean(!unmasked));
	json_object_set_new(o, "address", json_string(en->address));
	json_object_set_new(o, "person_status", json_string(en->person_status));
	json_object_set_new(o, "categories", categories_json(en->categories));
	json_object_set_new(o, "auto_categories", categories_json(en->auto_categories));
	json_object_set_new(o, "manual_categories", categories_json(en->manual_categories));
	json_object_set_new(o, "frequency_days",
			    en->frequency_days > 0 ? json_integer(en->frequency_days) : json_null());
	json_object_set_new(o, "status", json_string(en->status));
	json_object_set_new(o, "close_kind", api_json_opt_str(en->close_kind));
	json_object_set_new(o, "close_reason", api_json_opt_str(en->close_reason));
	json_object_set_new(o, "closed_on", api_json_opt_str(en->closed_on));
	json_object_set_new(o, "joined_on", json_string(en->joined_on));
	json_object_set_new(o, "source", json_string(en->source));
	json_object_set_new(o, "helper", helper_json(&en->helper));
	json_object_set_new(o, "note", json_string(en->note));
	json_object_set_new(o, "last_visit_on", api_json_opt_str(en->last_visit_on));
	json_object_set_new(o, "next_due", active ? api_json_opt_str(en->next_due) : json_null());
	json_object_set_new(o, "due", json_boolean(late >= 0));
	json_object_set_new(o, "days_overdue", late >= 0 ? json_integer(late) : json_null());
	json_object_set_new(o, "visits", json_integer((json_int_t)en->visits));
	json_object_set_new(o, "open_needs", json_integer((json_int_t)en->open_needs));
	json_object_set_new(o, "created_at", json_string(en->created_at));
	json_object_set_new(o, "updated_at", json_string(en->updated_at));
	return o;
}

static json_t *need_json(const struct ledger_need *n)
{
	return json_pack(
	    "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", (json_int_t)n->id,
	    "entry_id", (json_int_t)n->entry_id, "visit_id", (json_int_t)n->visit_id, "kind",
	    n->kind, "kind_label", ledger_need_kind_label(n->kind), "detail", n->detail,
	    "raised_on", n->raised_on, "status", n->status, "resolved_on",
	    api_json_opt_str(n->resolved_on), "resolution", api_json_opt_str(n->resolution),
	    "resolved_by", api_json_opt_str(n->resolved_by), "relief_grant_id",
	    n->relief_grant_id ? json_integer((json_int_t)n->relief_grant_id) : json_null());
}

static json_t *visit_json(const struct ledger_visit *v, const struct ledger_entry_detail *d)
{
	json_t *needs = json_array();
	for (int i = 0; needs && i < d->n_needs; i++)
		if (d->needs[i].visit_id == v->id)
			json_array_append_new(needs, need_json(&d->needs[i]));
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:o}",
			 "id", (json_int_t)v->id, "entry_id", (json_int_t)v->entry_id,
			 "region_code", v->region_code, "visited_on", v->visited_on, "mode", v->mode,
			 "mode_label", ledger_mode_label(v->mode), "visitor", v->visitor, "findings",
			 v->findings, "actions", v->actions, "due_on", v->due_on, "next_due",
			 v->next_due, "late_days", v->late_days, "recorded_by", v->recorded_by,
			 "recorded_at", v->recorded_at, "needs", needs ? needs : json_array());
}

static json_t *contact_json(const struct ledger_contact *c)
{
	return json_pack("{s:s, s:s, s:o, s:s, s:o, s:o}", "township_code", c->township_code,
			 "township_name", c->township_name, "phone", api_json_opt_str(c->phone),
			 "note", c->note, "set_by", api_json_opt_str(c->set_by), "set_at",
			 api_json_opt_str(c->set_at));
}

static json_t *detail_json(const struct ledger_entry_detail *d)
{
	char today[11];
	ledger_today(today);
	json_t *o = entry_json(&d->entry, d->unmasked, today, today);
	json_t *visits = json_array(), *needs = json_array();
	if (!o || !visits || !needs) {
		json_decref(o);
		json_decref(visits);
		json_decref(needs);
		return NULL;
	}
	for (int i = 0; i < d->n_visits; i++)
		json_array_append_new(visits, visit_json(&d->visits[i], d));
	for (int i = 0; i < d->n_needs; i++)
		json_array_append_new(needs, need_json(&d->needs[i]));
	json_object_set_new(o, "visit_list", visits);
	json_object_set_new(o, "visits_total", json_integer((json_int_t)d->visits_total));
	json_object_set_new(o, "needs", needs);
	json_object_set_new(o, "contact", contact_json(&d->contact));
	return o;
}

static int reply_entry(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		       struct err *e)
{
	struct ledger_entry_detail *d = calloc(1, sizeof *d);
	if (!d)
		return err_oom(e);
	int rc = ledger_entry_get(rq->db, rq->actor, id, unmask, d, e);
	if (rc == 0) {
		json_t *body = detail_json(d);
		ledger_entry_detail_release(d);
		rc = api_reply(rs, status, body, e);
	}
	free(d);
	return rc;
}

static json_t *page_json(const struct ledger_page *pg, int limit, int64_t offset,
			 const char *as_of)
{
	char today[11];
	ledger_today(today);
	json_t *items = json_array();
	for (int i = 0; items && i < pg->n; i++)
		json_array_append_new(items, entry_json(&pg->items[i], 0, today, as_of));
	if (!items)
		return NULL;
	return json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg->total,
			 "limit", limit, "offset", (json_int_t)offset);
}

/* ---- entries -------------------------------------------------------------------------------- */

static int query_limit(struct api_req *rq, int *limit, int64_t *offset, struct err *e)
{
	long l, o;
	if (api_query_int(rq, "limit", 20, 1, LEDGER_PAGE_MAX, &l, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000000L, &o, e) < 0)
		return -1;
	*limit = (int)l;
	*offset = o;
	return 0;
}

/* The ledger as a spreadsheet: the entries list and the overdue list share these columns. */
static const struct export_col entries_list_cols[] = {
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"性别", EXPORT_TEXT, 6, "sex", "male=男;female=女"},
	{"年龄", EXPORT_INT, 6, "age", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"联系电话", EXPORT_TEXT, 15, "phone", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"地址", EXPORT_TEXT, 28, "address", NULL},
	{"困难类别", EXPORT_TEXT, 24, "categories",
	 "elderly_alone=独居老人;left_behind_elderly=留守老人;"
	 "left_behind_child=留守儿童;orphan=孤儿;unsupported_child=事实无人抚养儿童;"
	 "child_in_difficulty=困境儿童;severely_disabled=重度残疾人;"
	 "seriously_ill=重病患者;covid_patient_family=新冠肺炎患者家庭;"
	 "isolated_family=隔离家庭;dibao=低保对象;tekun=特困人员;other=其他困难群众"},
	{"走访周期（天）", EXPORT_INT, 10, "frequency_days", NULL},
	{"状态", EXPORT_TEXT, 8, "status", "active=在册;closed=已销号"},
	{"纳入日期", EXPORT_DATE, 12, "joined_on", NULL},
	{"帮扶责任人", EXPORT_TEXT, 10, "helper.name", NULL},
	{"最近走访", EXPORT_DATE, 12, "last_visit_on", NULL},
	{"下次应访", EXPORT_DATE, 12, "next_due", NULL},
	{"逾期天数", EXPORT_INT, 8, "days_overdue", NULL},
	{"走访次数", EXPORT_INT, 8, "visits", NULL},
	{"未解决需求", EXPORT_INT, 8, "open_needs", NULL},
};

static int entries_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec entries_list_export = {
	"ledger_entries", "特殊困难群体台账", NULL, LEDGER_PAGE_MAX, EXPORT_COLS(entries_list_cols)};

/* GET /api/v1/ledger/entries?region=&category=&status=&due=&date=&helper=&q=&limit=&offset= */
static int entries_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, entries_list, &entries_list_export, e);
	struct ledger_query q;
	struct ledger_page pg;
	long due, helper;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "category", q.category, sizeof q.category, e) < 0 ||
	    api_query_str(rq, "status", q.status, sizeof q.status, e) < 0 ||
	    api_query_str(rq, "date", q.as_of, sizeof q.as_of, e) < 0 ||
	    api_query_str(rq, "q", q.q, sizeof q.q, e) < 0 ||
	    api_query_int(rq, "due", 0, 0, 1, &due, e) < 0 ||
	    api_query_int(rq, "helper", 0, 0, INT32_MAX, &helper, e) < 0 ||
	    query_limit(rq, &q.limit, &q.offset, e) < 0)
		return -1;
	q.due = (int)due;
	q.helper = helper;
	if (ledger_entry_list(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	char as_of[11];
	if (q.as_of[0])
		text_copy(as_of, sizeof as_of, q.as_of);
	else
		ledger_today(as_of);
	json_t *body = page_json(&pg, q.limit, q.offset, as_of);
	ledger_page_release(&pg);
	return api_reply(rs, 200, body, e);
}

/* POST /api/v1/ledger/entries {"person_id","categories":[…],"note","joined_on"} */
static int entry_add(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct ledger_add_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (api_json_int(body, "person_id", 1, INT64_MAX, &in->person_id, e) >= 0 &&
		 get_categories(body, &in->manual_categories, e) >= 0 &&
		 api_json_str(body, "note", in->note, sizeof in->note, e) >= 0 &&
		 api_json_str(body, "joined_on", in->joined_on, sizeof in->joined_on, e) >= 0 &&
		 ledger_entry_add(rq->db, rq->actor, in, e) == 0)
		rc = reply_entry(rq, rs, in->person_id, 0, 201, e);
	free(in);
	json_decref(body);
	return rc;
}

/* GET /api/v1/ledger/entries/{id}[?unmask=1] */
static int entry_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	long unmask;
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_int(rq, "unmask", 0, 0, 1, &unmask, e) < 0)
		return -1;
	return reply_entry(rq, rs, id, (int)unmask, 200, e);
}

/* PATCH /api/v1/ledger/entries/{id} {"categories":[…],"note"} */
static int entry_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	unsigned mask = 0;
	char *note = calloc(1, LEDGER_SZ(LEDGER_NOTE_CHARS));
	int rc = -1, has_cats, has_note;
	if (!note)
		err_oom(e);
	else if ((has_cats = get_categories(body, &mask, e)) >= 0 &&
		 (has_note = api_json_str(body, "note", note, LEDGER_SZ(LEDGER_NOTE_CHARS), e)) >=
		     0 &&
		 ledger_entry_update(rq->db, rq->actor, id, has_cats, mask, has_note ? note : NULL,
				     e) == 0)
		rc = reply_entry(rq, rs, id, 0, 200, e);
	free(note);
	json_decref(body);
	return rc;
}

/* POST /api/v1/ledger/entries/{id}/assign {"helper_user_id"|"helper_username","helper_name","helper_phone"} */
static int entry_assign(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct ledger_assign_in in;
	memset(&in, 0, sizeof in);
	int rc = -1;
	if (api_json_int(body, "helper_user_id", 1, INT64_MAX, &in.user_id, e) >= 0 &&
	    api_json_str(body, "helper_username", in.username, sizeof in.username, e) >= 0 &&
	    api_json_str(body, "helper_name", in.name, sizeof in.name, e) >= 0 &&
	    api_json_str(body, "helper_phone", in.phone, sizeof in.phone, e) >= 0 &&
	    ledger_entry_assign(rq->db, rq->actor, id, &in, e) == 0)
		rc = reply_entry(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

/* POST /api/v1/ledger/entries/{id}/close {"reason"} */
static int entry_close(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	char *reason = calloc(1, LEDGER_SZ(LEDGER_NOTE_CHARS));
	int rc = -1;
	if (!reason)
		err_oom(e);
	else if (api_json_str(body, "reason", reason, LEDGER_SZ(LEDGER_NOTE_CHARS), e) >= 0 &&
		 ledger_entry_close(rq->db, rq->actor, id, reason, e) == 0)
		rc = reply_entry(rq, rs, id, 0, 200, e);
	free(reason);
	json_decref(body);
	return rc;
}

/* POST /api/v1/ledger/entries/{id}/reopen (any body) */
static int entry_reopen(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0 || ledger_entry_reopen(rq->db, rq->actor, id, e) < 0)
		return -1;
	return reply_entry(rq, rs, id, 0, 200, e);
}

static int resolve_from_json(json_t *o, struct ledger_resolve_in *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	if (!json_is_object(o))
		return err_set(e, 400, "invalid_value", NULL, "应为对象");
	if (api_json_int(o, "need_id", 1, INT64_MAX, &r->need_id, e) < 0 ||
	    api_json_str(o, "status", r->status, sizeof r->status, e) < 0 ||
	    api_json_str(o, "resolution", r->resolution, sizeof r->resolution, e) < 0 ||
	    api_json_str(o, "date", r->date, sizeof r->date, e) < 0)
		return -1;
	return 0;
}

static int visit_from_json(json_t *o, struct ledger_visit_in *in, struct err *e)
{
	char f[32];
	memset(in, 0, sizeof *in);
	if (api_json_str(o, "visited_on", in->visited_on, sizeof in->visited_on, e) < 0 ||
	    api_json_str(o, "mode", in->mode, sizeof in->mode, e) < 0 ||
	    api_json_str(o, "visitor", in->visitor, sizeof in->visitor, e) < 0 ||
	    api_json_str(o, "findings", in->findings, sizeof in->findings, e) < 0 ||
	    api_json_str(o, "actions", in->actions, sizeof in->actions, e) < 0)
		return -1;
	json_t *needs = json_object_get(o, "needs");
	if (needs && !json_is_null(needs)) {
		if (!json_is_array(needs) || json_array_size(needs) > LEDGER_MAX_NEEDS)
			return err_set(e, 400, "invalid_value", "needs",
				       "needs 应为需求数组（一次最多 %d 项）", LEDGER_MAX_NEEDS);
		size_t i;
		json_t *x;
		json_array_foreach(needs, i, x)
		{
			snprintf(f, sizeof f, "needs[%zu]", i);
			if (!json_is_object(x))
				return err_set(e, 400, "invalid_value", f, "需求应为对象");
			if (api_json_str(x, "kind", in->needs[i].kind, sizeof in->needs[i].kind,
					 e) < 0 ||
			    api_json_str(x, "detail", in->needs[i].detail,
					 sizeof in->needs[i].detail, e) < 0) {
				err_prefix_field(e, f);
				return -1;
			}
			in->n_needs++;
		}
	}
	json_t *res = json_object_get(o, "resolve");
	if (res && !json_is_null(res)) {
		if (!json_is_array(res) || json_array_size(res) > LEDGER_MAX_NEEDS)
			return err_set(e, 400, "invalid_value", "resolve", "resolve 应为数组");
		size_t i;
		json_t *x;
		json_array_foreach(res, i, x)
		{
			snprintf(f, sizeof f, "resolve[%zu]", i);
			if (resolve_from_json(x, &in->resolve[i], e) < 0) {
				err_prefix_field(e, f);
				return -1;
			}
			in->n_resolve++;
		}
	}
	return 0;
}

/* POST /api/v1/ledger/entries/{id}/visits */
static int visit_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, vid = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct ledger_visit_in *in = malloc(sizeof *in);
	int rc = -1;
	if (!in)
		err_oom(e);
	else if (visit_from_json(body, in, e) == 0 &&
		 ledger_visit_add(rq->db, rq->actor, id, in, &vid, e) == 0)
		rc = reply_entry(rq, rs, id, 0, 201, e);
	if (rc == 0 && rs->body)
		json_object_set_new(rs->body, "visit_id", json_integer((json_int_t)vid));
	free(in);
	json_decref(body);
	return rc;
}

/* POST /api/v1/ledger/entries/{id}/needs/resolve {"need_id","status","resolution","date"} */
static int need_resolve(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct ledger_resolve_in in;
	int rc = -1;
	if (resolve_from_json(body, &in, e) == 0 &&
	    ledger_need_resolve(rq->db, rq->actor, id, &in, e) == 0)
		rc = reply_entry(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

/* POST /api/v1/ledger/entries/{id}/relief {"need_id","kind","cause","amount_fen","form",
 * "goods_note","pay_first","reason"} */
static int need_relief(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, gid = 0, pay_first = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct ledger_relief_in *in = calloc(1, sizeof *in);
	int rc = -1;
	json_t *pf = json_object_get(body, "pay_first");
	if (!in)
		err_oom(e);
	else if (pf && !json_is_null(pf) && !json_is_boolean(pf))
		err_set(e, 400, "invalid_value", "pay_first", "pay_first 应为 true 或 false");
	else if (api_json_int(body, "need_id", 1, INT64_MAX, &in->need_id, e) >= 0 &&
		 api_json_str(body, "kind", in->kind, sizeof in->kind, e) >= 0 &&
		 api_json_str(body, "cause", in->cause, sizeof in->cause, e) >= 0 &&
		 api_json_int(body, "amount_fen", 0, INT64_MAX / 4, &in->amount_fen, e) >= 0 &&
		 api_json_str(body, "form", in->form, sizeof in->form, e) >= 0 &&
		 api_json_str(body, "goods_note", in->goods_note, sizeof in->goods_note, e) >= 0 &&
		 api_json_str(body, "reason", in->reason, sizeof in->reason, e) >= 0) {
		pay_first = pf && json_is_true(pf);
		in->pay_first = (int)pay_first;
		if (ledger_need_relief(rq->db, rq->actor, id, in, &gid, e) == 0)
			rc = reply_entry(rq, rs, id, 0, 201, e);
		if (rc == 0 && rs->body)
			json_object_set_new(rs->body, "grant_id", json_integer((json_int_t)gid));
	}
	free(in);
	json_decref(body);
	return rc;
}

/* ---- lists ---------------------------------------------------------------------------------- */

static int overdue_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec overdue_get_export = {
	"ledger_overdue", "逾期未走访", NULL, LEDGER_PAGE_MAX, EXPORT_COLS(entries_list_cols)};

/* GET /api/v1/ledger/overdue?date=&region=&groups=1&limit=&offset= */
static int overdue_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, overdue_get, &overdue_get_export, e);
	char region[16] = "", date[16] = "";
	int limit;
	int64_t offset;
	long groups;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "date", date, sizeof date, e) < 0 ||
	    api_query_int(rq, "groups", 1, 0, 1, &groups, e) < 0 ||
	    query_limit(rq, &limit, &offset, e) < 0)
		return -1;
	struct ledger_overdue *o = calloc(1, sizeof *o);
	if (!o)
		return err_oom(e);
	if (ledger_overdue_list(rq->db, rq->actor, region, date, limit, offset, (int)groups, o, e) < 0) {
		free(o);
		return -1;
	}
	json_t *body = page_json(&o->page, limit, offset, o->as_of);
	json_t *g = json_array();
	for (int i = 0; g && i < o->n_groups; i++)
		json_array_append_new(g, json_pack("{s:s, s:s, s:I, s:I}", "region_code",
						   o->groups[i].region_code, "name",
						   o->groups[i].name, "active",
						   (json_int_t)o->groups[i].active, "overdue",
						   (json_int_t)o->groups[i].overdue));
	if (body) {
		json_object_set_new(body, "date", json_string(o->as_of));
		json_object_set_new(body, "region", api_json_opt_str(o->region));
		json_object_set_new(body, "groups", g ? g : json_array());
	} else {
		json_decref(g);
	}
	ledger_overdue_release(o);
	free(o);
	return api_reply(rs, 200, body, e);
}

static json_t *figures_json(const struct ledger_figures *f)
{
	static const char *const modes[] = {"home", "phone", "wechat", "other", "survey"};
	const struct ledger_category_def *defs = ledger_category_defs();
	json_t *cats = json_object(), *by_mode = json_object();
	for (int k = 0; cats && k < LEDGER_NCAT; k++)
		json_object_set_new(cats, defs[k].code, json_integer((json_int_t)f->by_category[k]));
	for (int k = 0; by_mode && k < 5; k++)
		json_object_set_new(by_mode, modes[k], json_integer((json_int_t)f->visits_by_mode[k]));
	return json_pack("{s:s, s:s, s:I, s:o, s:I, s:I, s:I, s:o, s:I, s:I, s:{s:I, s:I, s:I, s:I}}",
			 "region_code", f->region_code, "name", f->name, "entries",
			 (json_int_t)f->entries, "by_category", cats ? cats : json_object(),
			 "joined", (json_int_t)f->joined, "closed", (json_int_t)f->closed,
			 "visits", (json_int_t)f->visits, "visits_by_mode",
			 by_mode ? by_mode : json_object(), "late_visits",
			 (json_int_t)f->late_visits, "overdue", (json_int_t)f->overdue, "needs",
			 "raised", (json_int_t)f->needs_raised, "met", (json_int_t)f->needs_met,
			 "unmet", (json_int_t)f->needs_unmet, "open", (json_int_t)f->needs_open);
}

json_t *ledger_stats_json(const struct ledger_stats *s)
{
	json_t *items = json_array();
	for (int i = 0; items && i < s->n; i++)
		json_array_append_new(items, figures_json(&s->items[i]));
	return items ? json_pack("{s:s, s:s, s:s, s:o, s:o, s:o}", "from", s->from, "to", s->to,
				 "end", s->end, "region", api_json_opt_str(s->region), "items",
				 items, "total", figures_json(&s->total))
		     : NULL;
}

/* GET /api/v1/ledger/stats?from=YYYY-MM&to=YYYY-MM&region= */
static int stats_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "", region[16] = "";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_str(rq, "region", region, sizeof region, e) < 0)
		return -1;
	struct ledger_stats s;
	if (ledger_stats_get(rq->db, rq->actor, from, to, region, &s, e) < 0)
		return -1;
	json_t *body = ledger_stats_json(&s);
	ledger_stats_release(&s);
	return api_reply(rs, 200, body, e);
}

static int helper_add(const struct ledger_helper *h, void *ctx)
{
	json_t *items = ctx;
	json_array_append_new(
	    items,
	    json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:I}", "user_id", (json_int_t)h->user_id,
		      "username", h->username, "role", h->role, "role_label", roles_label(h->role),
		      "region_code", h->region_code, "name", api_json_opt_str(h->name), "phone",
		      api_json_opt_str(h->phone), "entries", (json_int_t)h->entries));
	return 0;
}

/* GET /api/v1/ledger/helpers?region= */
static int helpers_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char region[16] = "";
	if (api_query_str(rq, "region", region, sizeof region, e) < 0)
		return -1;
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (ledger_helpers(rq->db, rq->actor, region, helper_add, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	size_t n = json_array_size(items);
	return api_reply(rs, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n),
			 e);
}

/* GET /api/v1/ledger/notice/{code} */
static int notice_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct ledger_notice n;
	if (rq->nparams < 1 || ledger_notice_get(rq->db, rq->actor, rq->params[0], &n, e) < 0)
		return rq->nparams < 1 ? ledger_not_found(e) : -1;
	char today[11];
	ledger_today(today);
	json_t *helpers = json_array();
	for (int i = 0; helpers && i < n.n_helpers; i++)
		json_array_append_new(helpers,
				      json_pack("{s:s, s:s, s:s, s:s, s:I}", "name",
						n.helpers[i].name[0] ? n.helpers[i].name
								     : n.helpers[i].username,
						"phone", n.helpers[i].phone, "role",
						n.helpers[i].role, "role_label",
						roles_label(n.helpers[i].role), "entries",
						(json_int_t)n.helpers[i].entries));
	json_t *body = helpers ? json_pack("{s:s, s:s, s:s, s:o, s:o, s:I, s:I, s:s}", "region_code",
					   n.region_code, "region_name", n.region_name, "level",
					   n.level == 4 ? "township" : "village", "contact",
					   contact_json(&n.contact), "helpers", helpers, "entries",
					   (json_int_t)n.entries, "unassigned",
					   (json_int_t)n.unassigned, "date", today)
			       : NULL;
	free(n.helpers);
	return api_reply(rs, 200, body, e);
}

/* PUT /api/v1/ledger/contacts/{code} {"phone","note"} */
static int contact_put(struct api_req *rq, struct api_res *rs, struct err *e)
{
	if (rq->nparams < 1)
		return ledger_not_found(e);
	/* scope first (404), then the body */
	if (!scope_covers(&rq->actor->scope, rq->params[0]) || strlen(rq->params[0]) != 9)
		return err_set(e, 404, "not_found", NULL,
			       "该镇（街道）不存在或不在您的管辖范围内（村居工作人员不能设置）");
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	char phone[48] = "", note[LEDGER_SZ(100)] = "";
	int rc = -1;
	if (api_json_str(body, "phone", phone, sizeof phone, e) >= 0 &&
	    api_json_str(body, "note", note, sizeof note, e) >= 0 &&
	    ledger_contact_set(rq->db, rq->actor, rq->params[0], phone, note, e) == 0) {
		struct ledger_notice n;
		if (ledger_notice_get(rq->db, rq->actor, rq->params[0], &n, e) == 0) {
			free(n.helpers);
			rc = api_reply(rs, 200, contact_json(&n.contact), e);
		}
	}
	json_decref(body);
	return rc;
}

#define ENTRY "/api/v1/ledger/entries/{id}"

const struct api_route ledger_routes[] = {
	{"GET", "/api/v1/ledger/entries", entries_list, PERM_LEDGER, 0},
	{"POST", "/api/v1/ledger/entries", entry_add, PERM_LEDGER, 0},
	{"GET", ENTRY, entry_get, PERM_LEDGER, 0},
	{"PATCH", ENTRY, entry_patch, PERM_LEDGER, 0},
	{"POST", ENTRY "/assign", entry_assign, PERM_LEDGER, 0},
	{"POST", ENTRY "/close", entry_close, PERM_LEDGER, 0},
	{"POST", ENTRY "/reopen", entry_reopen, PERM_LEDGER, 0},
	{"POST", ENTRY "/visits", visit_post, PERM_LEDGER, 0},
	{"POST", ENTRY "/needs/resolve", need_resolve, PERM_LEDGER, 0},
	{"POST", ENTRY "/relief", need_relief, PERM_LEDGER, 0},
	{"GET", "/api/v1/ledger/overdue", overdue_get, PERM_LEDGER, 0},
	{"GET", "/api/v1/ledger/stats", stats_get, PERM_LEDGER, 0},
	{"GET", "/api/v1/ledger/helpers", helpers_get, PERM_LEDGER, 0},
	{"GET", "/api/v1/ledger/notice/{code}", notice_get, PERM_LEDGER, 0},
	{"PUT", "/api/v1/ledger/contacts/{code}", contact_put, PERM_LEDGER, 0},
	{0},
};
