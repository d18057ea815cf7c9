/* hotline_api.c — the hotline module's HTTP routes (docs/api.md, "Hotlines and cases"):
 *   GET  /api/v1/hotline/lines                  the lines
 *   POST /api/v1/hotline/lines                  create or change a line (city)
 *   GET  /api/v1/hotline/calls                  call records in scope (latest versions)
 *   POST /api/v1/hotline/calls                  record a call, and open its case (201)
 *   GET  /api/v1/hotline/calls/{id}[?unmask=1]  a call with its correction chain
 *   POST /api/v1/hotline/calls/{id}/corrections a correction: a new record (201)
 *   POST /api/v1/hotline/calls/{id}/callback    the promised callback was made
 *   GET  /api/v1/hotline/cases                  cases in scope (stage, status, mine…)
 *   POST /api/v1/hotline/cases                  open a case by hand or from a call (201)
 *   GET  /api/v1/hotline/cases/{id}[?unmask=1]  a case with its steps, placements, referrals
 *   POST /api/v1/hotline/cases/{id}/<step>      assess plan place place-end refer refer-answer
 *                                               resource followup assign close reopen
 *   GET  /api/v1/hotline/tasks                  what is due: assessments, follow-ups, callbacks
 *   GET  /api/v1/hotline/overview               the county view: open, overdue, closed
 * Handlers translate JSON / query strings to the structs of hotline.h and back; scope, checks and
 * the unmask permission are the domain's. Phones and ID numbers are masked unless the read was
 * unmasked (and audited).
 */
#include "hotline/hotline.h"

#include <stdlib.h>
#include <string.h>

#include "core/idnum.h"
#include "core/phone.h"
#include "export/export.h"

/* ---- JSON in -------------------------------------------------------------------------------- */

/* A call's fields; has bits for the ones present. */
static int call_from_json(json_t *o, struct hotline_call_in *in, struct err *e)
{
	int64_t v = 0;
	int r;
	memset(in, 0, sizeof *in);
#define STR(name, field, bit)                                                                      \
	if ((r = api_json_str(o, name, in->field, sizeof in->field, e)) < 0)                       \
		return -1;                                                                         \
	if (r)                                                                                     \
		in->has |= bit;
	STR("line_code", line_code, HOTLINE_HAS_LINE)
	STR("called_at", called_at, HOTLINE_HAS_CALLED_AT)
	STR("caller_name", caller_name, HOTLINE_HAS_CALLER)
	STR("caller_phone", caller_phone, HOTLINE_HAS_PHONE)
	STR("region_code", region_code, HOTLINE_HAS_REGION)
	STR("address", address, HOTLINE_HAS_ADDRESS)
	STR("category", category, HOTLINE_HAS_CATEGORY)
	STR("description", description, HOTLINE_HAS_DESCRIPTION)
	STR("urgency", urgency, HOTLINE_HAS_URGENCY)
	STR("outcome", outcome, HOTLINE_HAS_OUTCOME)
	STR("advice", advice, HOTLINE_HAS_ADVICE)
	STR("callback_due", callback_due, HOTLINE_HAS_CALLBACK)
#undef STR
	if ((r = api_json_int(o, "duration_seconds", 0, HOTLINE_MAX_DURATION, &v, e)) < 0)
		return -1;
	if (r)
		in->has |= HOTLINE_HAS_DURATION;
	in->duration_seconds = (int)v;
	if (api_json_str(o, "reason", in->reason, sizeof in->reason, e) < 0)
		return -1;
	return 0;
}

static int case_from_json(json_t *o, struct hotline_case_in *in, struct err *e)
{
	memset(in, 0, sizeof *in);
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o))
		return err_set(e, 400, "invalid_value", "case", "case 应为对象");
	if (api_json_str(o, "line_code", in->line_code, sizeof in->line_code, e) < 0 ||
	    api_json_int(o, "call_id", 1, INT64_MAX, &in->call_id, e) < 0 ||
	    api_json_str(o, "region_code", in->region_code, sizeof in->region_code, e) < 0 ||
	    api_json_str(o, "urgency", in->urgency, sizeof in->urgency, e) < 0 ||
	    api_json_str(o, "subject_name", in->subject_name, sizeof in->subject_name, e) < 0 ||
	    api_json_int(o, "subject_person_id", 1, INT64_MAX, &in->subject_person_id, e) < 0 ||
	    api_json_str(o, "subject_id_number", in->subject_id_number,
			 sizeof in->subject_id_number, e) < 0 ||
	    api_json_str(o, "subject_birth_date", in->subject_birth_date,
			 sizeof in->subject_birth_date, e) < 0 ||
	    api_json_str(o, "guardian_name", in->guardian_name, sizeof in->guardian_name, e) < 0 ||
	    api_json_int(o, "guardian_person_id", 1, INT64_MAX, &in->guardian_person_id, e) < 0 ||
	    api_json_str(o, "guardian_phone", in->guardian_phone, sizeof in->guardian_phone, e) <
		0 ||
	    api_json_str(o, "guardian_situation", in->guardian_situation,
			 sizeof in->guardian_situation, e) < 0 ||
	    api_json_str(o, "guardian_note", in->guardian_note, sizeof in->guardian_note, e) < 0 ||
	    api_json_str(o, "care_arrangement", in->care_arrangement, sizeof in->care_arrangement,
			 e) < 0 ||
	    api_json_str(o, "care_note", in->care_note, sizeof in->care_note, e) < 0 ||
	    api_json_str(o, "summary", in->summary, sizeof in->summary, e) < 0 ||
	    api_json_str(o, "assigned_to", in->assigned_to, sizeof in->assigned_to, e) < 0)
		return -1;
	return 0;
}

static int step_from_json(json_t *o, struct hotline_step_in *in, struct err *e)
{
	int64_t v = 0;
	memset(in, 0, sizeof *in);
	if (api_json_str(o, "risk", in->risk, sizeof in->risk, e) < 0 ||
	    api_json_str(o, "findings", in->findings, sizeof in->findings, e) < 0 ||
	    api_json_str(o, "guardian_situation", in->guardian_situation,
			 sizeof in->guardian_situation, e) < 0 ||
	    api_json_str(o, "guardian_note", in->guardian_note, sizeof in->guardian_note, e) < 0 ||
	    api_json_str(o, "care_arrangement", in->care_arrangement, sizeof in->care_arrangement,
			 e) < 0 ||
	    api_json_str(o, "care_note", in->care_note, sizeof in->care_note, e) < 0 ||
	    api_json_str(o, "plan", in->plan, sizeof in->plan, e) < 0 ||
	    api_json_str(o, "kind", in->kind, sizeof in->kind, e) < 0 ||
	    api_json_int(o, "institution_id", 1, INT64_MAX, &in->institution_id, e) < 0 ||
	    api_json_str(o, "place_name", in->place_name, sizeof in->place_name, e) < 0 ||
	    api_json_str(o, "carer_name", in->carer_name, sizeof in->carer_name, e) < 0 ||
	    api_json_str(o, "carer_phone", in->carer_phone, sizeof in->carer_phone, e) < 0 ||
	    api_json_str(o, "date", in->date, sizeof in->date, e) < 0 ||
	    api_json_str(o, "answer", in->answer, sizeof in->answer, e) < 0 ||
	    api_json_str(o, "note", in->note, sizeof in->note, e) < 0 ||
	    api_json_int(o, "amount_fen", 0, INT64_MAX, &in->amount_fen, e) < 0 ||
	    api_json_bool(o, "apply_relief", &in->apply_relief, e) < 0 ||
	    api_json_int(o, "relief_person_id", 1, INT64_MAX, &in->relief_person_id, e) < 0 ||
	    api_json_str(o, "relief_kind", in->relief_kind, sizeof in->relief_kind, e) < 0 ||
	    api_json_str(o, "relief_cause", in->relief_cause, sizeof in->relief_cause, e) < 0 ||
	    api_json_str(o, "relief_form", in->relief_form, sizeof in->relief_form, e) < 0 ||
	    api_json_bool(o, "pay_first", &in->pay_first, e) < 0 ||
	    api_json_str(o, "outcome", in->outcome, sizeof in->outcome, e) < 0 ||
	    api_json_str(o, "username", in->username, sizeof in->username, e) < 0 ||
	    api_json_str(o, "reason", in->reason, sizeof in->reason, e) < 0)
		return -1;
	if (api_json_int(o, "followup_days", 1, 90, &v, e) < 0)
		return -1;
	in->followup_days = (int)v;
	/* the item a step acts on: placement_id (place-end) or referral_id (refer-answer) */
	if (api_json_int(o, "placement_id", 1, INT64_MAX, &in->item_id, e) < 0 ||
	    api_json_int(o, "referral_id", 1, INT64_MAX, &in->item_id, e) < 0)
		return -1;
	return 0;
}

/* ---- JSON out ------------------------------------------------------------------------------- */

static json_t *phone_json(const char *phone, int unmasked)
{
	char masked[24];
	if (!phone[0])
		return json_string("");
	if (unmasked)
		return json_string(phone);
	phone_mask(phone, masked);
	return json_string(masked);
}

static json_t *idnum_json(const char *id, int unmasked)
{
	char masked[19];
	if (!id[0])
		return json_string("");
	if (unmasked)
		return json_string(id);
	idnum_mask(id, masked);
	return json_string(masked);
}

static json_t *call_json(const struct hotline_call *c, int unmasked)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer((json_int_t)c->id));
	json_object_set_new(o, "line_code", json_string(c->line_code));
	json_object_set_new(o, "line_name", json_string(c->line_name));
	json_object_set_new(o, "line_kind", json_string(c->line_kind));
	json_object_set_new(o, "called_at", json_string(c->called_at));
	json_object_set_new(o, "duration_seconds", json_integer(c->duration_seconds));
	json_object_set_new(o, "caller_name", json_string(c->caller_name));
	json_object_set_new(o, "caller_phone", phone_json(c->caller_phone, unmasked));
	json_object_set_new(o, "region_code", json_string(c->region_code));
	json_object_set_new(o, "region_name", json_string(c->region_name));
	json_object_set_new(o, "address", json_string(c->address));
	json_object_set_new(o, "category", json_string(c->category));
	json_object_set_new(o, "description", json_string(c->description));
	json_object_set_new(o, "urgency", json_string(c->urgency));
	json_object_set_new(o, "operator", json_string(c->operator_name));
	json_object_set_new(o, "outcome", json_string(c->outcome));
	json_object_set_new(o, "advice", json_string(c->advice));
	json_object_set_new(o, "callback_due", api_json_opt_str(c->callback_due));
	json_object_set_new(o, "callback_at", api_json_opt_str(c->callback_at));
	json_object_set_new(o, "callback_by", api_json_opt_str(c->callback_by));
	json_object_set_new(o, "callback_note", api_json_opt_str(c->callback_note));
	json_object_set_new(o, "corrects_id", api_json_opt_id(c->corrects_id));
	json_object_set_new(o, "corrected_by_id", api_json_opt_id(c->corrected_by_id));
	json_object_set_new(o, "correction_reason", api_json_opt_str(c->correction_reason));
	json_object_set_new(o, "case_id", api_json_opt_id(c->case_id));
	json_object_set_new(o, "recorded_at", json_string(c->recorded_at));
	json_object_set_new(o, "recorded_by", json_string(c->recorded_by));
	json_object_set_new(o, "masked", json_boolean(!unmasked));
	return o;
}

static json_t *case_json(const struct hotline_case *c, int unmasked)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer((json_int_t)c->id));
	json_object_set_new(o, "kind", json_string(c->kind));
	json_object_set_new(o, "line_code", json_string(c->line_code));
	json_object_set_new(o, "line_name", json_string(c->line_name));
	json_object_set_new(o, "call_id", api_json_opt_id(c->call_id));
	json_object_set_new(o, "region_code", json_string(c->region_code));
	json_object_set_new(o, "region_name", json_string(c->region_name));
	json_object_set_new(o, "urgency", json_string(c->urgency));
	json_object_set_new(o, "status", json_string(c->status));
	json_object_set_new(o, "subject_name", json_string(c->subject_name));
	json_object_set_new(o, "subject_person_id", api_json_opt_id(c->subject_person_id));
	json_object_set_new(o, "subject_id_number", idnum_json(c->subject_id_number, unmasked));
	json_object_set_new(o, "subject_birth_date", api_json_opt_str(c->subject_birth_date));
	json_object_set_new(o, "guardian_name", json_string(c->guardian_name));
	json_object_set_new(o, "guardian_person_id", api_json_opt_id(c->guardian_person_id));
	json_object_set_new(o, "guardian_phone", phone_json(c->guardian_phone, unmasked));
	json_object_set_new(o, "guardian_situation", api_json_opt_str(c->guardian_situation));
	json_object_set_new(o, "guardian_note", json_string(c->guardian_note));
	json_object_set_new(o, "care_arrangement", api_json_opt_str(c->care_arrangement));
	json_object_set_new(o, "care_note", json_string(c->care_note));
	json_object_set_new(o, "summary", json_string(c->summary));
	json_object_set_new(o, "risk", api_json_opt_str(c->risk));
	json_object_set_new(o, "in_scope", c->in_scope < 0 ? json_null() : json_boolean(c->in_scope));
	json_object_set_new(o, "scope_reason", api_json_opt_str(c->scope_reason));
	json_object_set_new(o, "plan", json_string(c->plan));
	json_object_set_new(o, "followup_days", c->followup_days ? json_integer(c->followup_days)
								 : json_null());
	json_object_set_new(o, "assigned_to", api_json_opt_str(c->assigned_to));
	json_object_set_new(o, "opened_at", json_string(c->opened_at));
	json_object_set_new(o, "opened_by", json_string(c->opened_by));
	json_object_set_new(o, "assess_due", json_string(c->assess_due));
	json_object_set_new(o, "assessed_at", api_json_opt_str(c->assessed_at));
	json_object_set_new(o, "next_followup_due", api_json_opt_str(c->next_followup_due));
	json_object_set_new(o, "closed_at", api_json_opt_str(c->closed_at));
	json_object_set_new(o, "closed_by", api_json_opt_str(c->closed_by));
	json_object_set_new(o, "outcome", api_json_opt_str(c->outcome));
	json_object_set_new(o, "outcome_note", json_string(c->outcome_note));
	json_object_set_new(o, "reopen_count", json_integer(c->reopen_count));
	json_object_set_new(o, "updated_at", json_string(c->updated_at));
	json_object_set_new(o, "assess_overdue", json_boolean(c->assess_overdue));
	json_object_set_new(o, "followup_overdue", json_boolean(c->followup_overdue));
	json_object_set_new(o, "open_placements", json_integer(c->open_placements));
	json_object_set_new(o, "pending_referrals", json_integer(c->pending_referrals));
	json_object_set_new(o, "masked", json_boolean(!unmasked));
	return o;
}

static json_t *next_steps_json(const struct hotline_case *c)
{
	json_t *arr = json_array();
	int from = hotline_status_from_name(c->status);
	for (int s = 1; arr && from >= 0 && s <= HOTLINE_STEP_MAX; s++) {
		if (!hotline_step_allowed((enum hotline_status)from, (enum hotline_step)s, NULL))
			continue;
		/* what the case's state rules out besides its status */
		if (s == HOTLINE_STEP_PLACE_END && c->open_placements == 0)
			continue;
		if (s == HOTLINE_STEP_REFER_ANSWER && c->pending_referrals == 0)
			continue;
		if (s == HOTLINE_STEP_PLAN && strcmp(c->kind, "child_protection") == 0 &&
		    c->in_scope == 0)
			continue;
		json_array_append_new(arr, json_string(hotline_step_name((enum hotline_step)s)));
	}
	return arr;
}

static json_t *case_detail_json(const struct hotline_case_detail *d)
{
	json_t *o = case_json(&d->c, d->unmasked);
	json_t *steps = json_array(), *pl = json_array(), *rf = json_array();
	if (!o || !steps || !pl || !rf) {
		json_decref(o);
		json_decref(steps);
		json_decref(pl);
		json_decref(rf);
		return NULL;
	}
	for (int i = 0; i < d->n_steps; i++) {
		const struct hotline_step_row *s = &d->steps[i];
		json_t *rec = json_loads(s->record ? s->record : "{}", 0, NULL);
		json_array_append_new(steps, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id",
						       (json_int_t)s->id, "step", s->step, "at", s->at,
						       "by", s->by, "record",
						       rec ? rec : json_object()));
	}
	for (int i = 0; i < d->n_placements; i++) {
		const struct hotline_placement *p = &d->placements[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer((json_int_t)p->id));
		json_object_set_new(x, "kind", json_string(p->kind));
		json_object_set_new(x, "institution_id", api_json_opt_id(p->institution_id));
		json_object_set_new(x, "place_name", json_string(p->place_name));
		json_object_set_new(x, "carer_name", json_string(p->carer_name));
		json_object_set_new(x, "carer_phone", phone_json(p->carer_phone, d->unmasked));
		json_object_set_new(x, "start_date", json_string(p->start_date));
		json_object_set_new(x, "end_date", api_json_opt_str(p->end_date));
		json_object_set_new(x, "end_note", json_string(p->end_note));
		json_object_set_new(x, "started_by", json_string(p->started_by));
		json_object_set_new(x, "ended_by", api_json_opt_str(p->ended_by));
		json_object_set_new(x, "open", json_boolean(!p->end_date[0]));
		json_array_append_new(pl, x);
	}
	for (int i = 0; i < d->n_referrals; i++) {
		const struct hotline_referral *f = &d->referrals[i];
		json_t *x = json_object();
		json_object_set_new(x, "id", json_integer((json_int_t)f->id));
		json_object_set_new(x, "target", json_string(f->target));
		json_object_set_new(x, "institution_id", api_json_opt_id(f->institution_id));
		json_object_set_new(x, "agency_name", json_string(f->agency_name));
		json_object_set_new(x, "reason", json_string(f->reason));
		json_object_set_new(x, "status", json_string(f->status));
		json_object_set_new(x, "referred_at", json_string(f->referred_at));
		json_object_set_new(x, "referred_by", json_string(f->referred_by));
		json_object_set_new(x, "answered_at", api_json_opt_str(f->answered_at));
		json_object_set_new(x, "answered_by", api_json_opt_str(f->answered_by));
		json_object_set_new(x, "answer_note", json_string(f->answer_note));
		json_array_append_new(rf, x);
	}
	json_object_set_new(o, "steps", steps);
	json_object_set_new(o, "placements", pl);
	json_object_set_new(o, "referrals", rf);
	json_object_set_new(o, "next_steps", next_steps_json(&d->c));
	return o;
}

/* ---- lines ---------------------------------------------------------------------------------- */

static json_t *line_json(const struct hotline_line *l)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "code", l->code, "name", l->name,
			 "number", l->number, "kind", l->kind, "active", l->active, "updated_at",
			 l->updated_at, "updated_by", l->updated_by);
}

static int lines_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct hotline_line *lines;
	int n;
	if (hotline_lines_list(rq->db, rq->actor, &lines, &n, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < n; i++)
		json_array_append_new(items, line_json(&lines[i]));
	free(lines);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int lines_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct hotline_line l;
	memset(&l, 0, sizeof l);
	l.active = 1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (api_json_str(body, "code", l.code, sizeof l.code, e) >= 0 &&
	    api_json_str(body, "name", l.name, sizeof l.name, e) >= 0 &&
	    api_json_str(body, "number", l.number, sizeof l.number, e) >= 0 &&
	    api_json_str(body, "kind", l.kind, sizeof l.kind, e) >= 0 &&
	    api_json_bool(body, "active", &l.active, e) >= 0 &&
	    hotline_line_set(rq->db, rq->actor, &l, e) == 0)
		rc = lines_get(rq, rs, e);
	json_decref(body);
	return rc;
}

/* ---- calls ---------------------------------------------------------------------------------- */

static int reply_call(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		      struct err *e)
{
	struct hotline_call_detail d;
	if (hotline_call_get(rq->db, rq->actor, id, unmask, &d, e) < 0)
		return -1;
	json_t *o = call_json(&d.call, d.unmasked);
	json_t *versions = json_array();
	for (int i = 0; versions && i < d.n_versions; i++)
		json_array_append_new(versions, call_json(&d.versions[i], d.unmasked));
	hotline_call_detail_release(&d);
	if (!o || !versions) {
		json_decref(o);
		json_decref(versions);
		return err_oom(e);
	}
	json_object_set_new(o, "versions", versions);
	return api_reply(rs, status, o, e);
}

static const struct export_col calls_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"热线", EXPORT_TEXT, 16, "line_name", NULL},
	{"来电时间", EXPORT_DATETIME, 17, "called_at", NULL},
	{"通话秒数", EXPORT_INT, 8, "duration_seconds", NULL},
	{"来电人", EXPORT_TEXT, 10, "caller_name", NULL},
	{"来电号码", EXPORT_TEXT, 15, "caller_phone", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"类别", EXPORT_TEXT, 14, "category",
	 "living=基本生活困难;relief=临时救助求助;epidemic=疫情防控相关求助;elderly=老年人照料;"
	 "homeless=流浪乞讨人员;child_care=儿童监护照料;disability=残疾人帮扶;"
	 "policy=政策咨询;complaint=投诉建议;other=其他"},
	{"紧急程度", EXPORT_TEXT, 8, "urgency", "emergency=紧急;urgent=较急;normal=一般"},
	{"诉求", EXPORT_TEXT, 36, "description", NULL},
	{"处理结果", EXPORT_TEXT, 14, "outcome",
	 "advice=已解答/给予建议;case_opened=已立案;referred=已转介;no_action=无需处理"},
	{"接线员", EXPORT_TEXT, 10, "operator", NULL},
	{"案件编号", EXPORT_INT, 8, "case_id", NULL},
};

static int calls_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec calls_list_export = {
	"hotline_calls", "热线来电", NULL, HOTLINE_PAGE_MAX, EXPORT_COLS(calls_list_cols)};

static int calls_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, calls_list, &calls_list_export, e);
	struct hotline_call_query q;
	struct hotline_call_page pg;
	long limit, offset, all = 0;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "line", q.line, sizeof q.line, e) < 0 ||
	    api_query_str(rq, "outcome", q.outcome, sizeof q.outcome, e) < 0 ||
	    api_query_str(rq, "category", q.category, sizeof q.category, e) < 0 ||
	    api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0 ||
	    api_query_str(rq, "q", q.q, sizeof q.q, e) < 0 ||
	    api_query_int(rq, "all_versions", 0, 0, 1, &all, e) < 0 ||
	    api_query_int(rq, "limit", 20, 1, HOTLINE_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000000L, &offset, e) < 0)
		return -1;
	q.all_versions = (int)all;
	q.limit = (int)limit;
	q.offset = offset;
	if (hotline_call_list(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, call_json(&pg.items[i], 0));
	free(pg.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
		     json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg.total,
			       "limit", q.limit, "offset", (json_int_t)q.offset),
		     e);
}

static int calls_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct hotline_call_in *in = malloc(sizeof *in);
	struct hotline_case_in *ci = malloc(sizeof *ci);
	int64_t call_id = 0, case_id = 0;
	int rc = -1;
	json_t *body = NULL;
	if (!in || !ci) {
		err_oom(e);
		goto out;
	}
	if (!(body = api_body_object(rq, e)))
		goto out;
	json_t *kase = json_object_get(body, "case");
	if (call_from_json(body, in, e) < 0 || case_from_json(kase, ci, e) < 0)
		goto out;
	if (hotline_call_record(rq->db, rq->actor, in, kase && !json_is_null(kase) ? ci : NULL,
				&call_id, &case_id, e) < 0)
		goto out;
	rc = reply_call(rq, rs, call_id, 0, 201, e);
out:
	json_decref(body);
	free(in);
	free(ci);
	return rc;
}

static int call_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return reply_call(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

static int call_correct(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, new_id = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	struct hotline_call_in *in = malloc(sizeof *in);
	if (!in)
		return err_oom(e);
	json_t *body = api_body_object(rq, e);
	int rc = -1;
	if (body && call_from_json(body, in, e) == 0 &&
	    hotline_call_correct(rq->db, rq->actor, id, in, &new_id, e) == 0)
		rc = reply_call(rq, rs, new_id, 0, 201, e);
	json_decref(body);
	free(in);
	return rc;
}

static int call_callback(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char *note = malloc(HOTLINE_TEXT_SZ);
	if (!note)
		return err_oom(e);
	note[0] = '\0';
	int rc = -1;
	json_t *body = NULL;
	if (api_param_id(rq, 0, &id, e) == 0 && (body = api_body_object(rq, e)) &&
	    api_json_str(body, "note", note, HOTLINE_TEXT_SZ, e) >= 0 &&
	    hotline_call_callback(rq->db, rq->actor, id, note, e) == 0)
		rc = reply_call(rq, rs, id, 0, 200, e);
	json_decref(body);
	free(note);
	return rc;
}

/* ---- cases ---------------------------------------------------------------------------------- */

static int reply_case(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		      struct err *e)
{
	struct hotline_case_detail *d = malloc(sizeof *d);
	if (!d)
		return err_oom(e);
	int rc = -1;
	if (hotline_case_get(rq->db, rq->actor, id, unmask, d, e) == 0) {
		json_t *o = case_detail_json(d);
		hotline_case_detail_release(d);
		rc = api_reply(rs, status, o, e);
	}
	free(d);
	return rc;
}

static const struct export_col cases_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"热线", EXPORT_TEXT, 16, "line_name", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"紧急程度", EXPORT_TEXT, 8, "urgency", "emergency=紧急;urgent=较急;normal=一般"},
	{"状态", EXPORT_TEXT, 8, "status", "intake=待评估;assessed=已评估;active=帮扶中;closed=已结案"},
	{"对象姓名", EXPORT_TEXT, 10, "subject_name", NULL},
	{"对象身份证号", EXPORT_TEXT, 21, "subject_id_number", NULL},
	{"监护人", EXPORT_TEXT, 10, "guardian_name", NULL},
	{"监护人电话", EXPORT_TEXT, 15, "guardian_phone", NULL},
	{"风险", EXPORT_TEXT, 6, "risk", "high=高;medium=中;low=低"},
	{"概述", EXPORT_TEXT, 36, "summary", NULL},
	{"承办人", EXPORT_TEXT, 10, "assigned_to", NULL},
	{"立案时间", EXPORT_DATETIME, 17, "opened_at", NULL},
	{"评估期限", EXPORT_DATETIME, 17, "assess_due", NULL},
	{"下次回访", EXPORT_DATE, 12, "next_followup_due", NULL},
	{"结案时间", EXPORT_DATETIME, 17, "closed_at", NULL},
};

static int cases_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec cases_list_export = {
	"hotline_cases", "热线案件", NULL, HOTLINE_PAGE_MAX, EXPORT_COLS(cases_list_cols)};

static int cases_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, cases_list, &cases_list_export, e);
	struct hotline_case_query q;
	struct hotline_case_page pg;
	long limit, offset, mine = 0;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "stage", q.stage, sizeof q.stage, e) < 0 ||
	    api_query_str(rq, "status", q.status, sizeof q.status, e) < 0 ||
	    api_query_str(rq, "kind", q.kind, sizeof q.kind, e) < 0 ||
	    api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "q", q.q, sizeof q.q, e) < 0 ||
	    api_query_int(rq, "mine", 0, 0, 1, &mine, e) < 0 ||
	    api_query_int(rq, "limit", 20, 1, HOTLINE_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000000L, &offset, e) < 0)
		return -1;
	q.mine = (int)mine;
	q.limit = (int)limit;
	q.offset = offset;
	if (hotline_case_list(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, case_json(&pg.items[i], 0));
	free(pg.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
		     json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg.total,
			       "limit", q.limit, "offset", (json_int_t)q.offset),
		     e);
}

static int cases_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct hotline_case_in *in = malloc(sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!in)
		return err_oom(e);
	json_t *body = api_body_object(rq, e);
	if (body && case_from_json(body, in, e) == 0 &&
	    hotline_case_open(rq->db, rq->actor, in, &id, e) == 0)
		rc = reply_case(rq, rs, id, 0, 201, e);
	json_decref(body);
	free(in);
	return rc;
}

static int case_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return reply_case(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

/* POST /api/v1/hotline/cases/{id}/<step>: the step is the path's last segment. */
static int case_step(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, item = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	const char *slash = strrchr(rq->path, '/');
	enum hotline_step step = hotline_step_from_name(slash ? slash + 1 : "");
	if (!step)
		return err_set(e, 404, "not_found", NULL, "没有这个办理环节");
	struct hotline_step_in *in = malloc(sizeof *in);
	if (!in)
		return err_oom(e);
	json_t *body = api_body_object(rq, e);
	int rc = -1;
	if (body && step_from_json(body, in, e) == 0 &&
	    hotline_case_step(rq->db, rq->actor, id, step, in, &item, e) == 0)
		rc = reply_case(rq, rs, id, 0, 200, e);
	if (rc == 0 && item && rs->body) {
		const char *key = step == HOTLINE_STEP_PLACE	  ? "placement_id"
				  : step == HOTLINE_STEP_REFER	  ? "referral_id"
				  : step == HOTLINE_STEP_RESOURCE ? "relief_grant_id"
								  : "item_id";
		json_object_set_new(rs->body, key, json_integer((json_int_t)item));
	}
	json_decref(body);
	free(in);
	return rc;
}

/* ---- the queue and the overview ------------------------------------------------------------- */

static const struct export_col tasks_get_cols[] = {
	{"事项", EXPORT_TEXT, 10, "type", "assess=评估;followup=回访;callback=约定回电"},
	{"案件编号", EXPORT_INT, 8, "case_id", NULL},
	{"来电编号", EXPORT_INT, 8, "call_id", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"事由", EXPORT_TEXT, 30, "subject", NULL},
	{"紧急程度", EXPORT_TEXT, 8, "urgency", "emergency=紧急;urgent=较急;normal=一般"},
	{"热线", EXPORT_TEXT, 12, "line_code", NULL},
	{"期限", EXPORT_DATETIME, 17, "due", NULL},
	{"已超期", EXPORT_BOOL, 8, "overdue", NULL},
	{"负责人", EXPORT_TEXT, 10, "owner", NULL},
};

static int tasks_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec tasks_get_export = {
	"hotline_tasks", "热线待办", NULL, HOTLINE_PAGE_MAX, EXPORT_COLS(tasks_get_cols)};

static int tasks_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, tasks_get, &tasks_get_export, e);
	struct hotline_task_query q;
	struct hotline_task_page pg;
	long limit, offset, mine = 0, overdue = 0;
	memset(&q, 0, sizeof q);
	if (api_query_int(rq, "mine", 0, 0, 1, &mine, e) < 0 ||
	    api_query_int(rq, "overdue", 0, 0, 1, &overdue, e) < 0 ||
	    api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, HOTLINE_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000000L, &offset, e) < 0)
		return -1;
	q.mine = (int)mine;
	q.overdue_only = (int)overdue;
	q.limit = (int)limit;
	q.offset = offset;
	if (hotline_tasks(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++) {
		const struct hotline_task *t = &pg.items[i];
		json_array_append_new(
		    items, json_pack("{s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s}",
				     "type", t->type, "case_id", api_json_opt_id(t->case_id),
				     "call_id", api_json_opt_id(t->call_id), "region_code",
				     t->region_code, "region_name", t->region_name, "subject",
				     t->subject, "urgency", t->urgency, "line_code", t->line_code,
				     "due", t->due, "overdue", t->overdue, "owner", t->owner));
	}
	free(pg.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
		     json_pack("{s:o, s:I, s:I, s:i, s:I}", "items", items, "total",
			       (json_int_t)pg.total, "overdue", (json_int_t)pg.overdue, "limit",
			       q.limit, "offset", (json_int_t)q.offset),
		     e);
}

static int overview_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0)
		return -1;
	struct hotline_overview_row *rows;
	int n;
	if (hotline_overview(rq->db, rq->actor, from, to, &rows, &n, e) < 0)
		return -1;
	json_t *items = json_array();
	struct hotline_overview_row tot;
	memset(&tot, 0, sizeof tot);
	for (int i = 0; items && i < n; i++) {
		const struct hotline_overview_row *r = &rows[i];
		json_t *x = json_object();
		json_object_set_new(x, "region_code", json_string(r->region_code));
		json_object_set_new(x, "region_name", json_string(r->region_name));
#define NUM(f)                                                                                     \
	json_object_set_new(x, #f, json_integer((json_int_t)r->f));                                \
	tot.f += r->f;
		NUM(calls)
		NUM(calls_child)
		NUM(calls_case_opened)
		NUM(opened)
		NUM(closed)
		NUM(assessed_on_time)
		NUM(assessed_late)
		NUM(open)
		NUM(intake)
		NUM(overdue_assess)
		NUM(overdue_followup)
		NUM(in_care)
		NUM(pending_referrals)
#undef NUM
		json_array_append_new(items, x);
	}
	free(rows);
	if (!items)
		return err_oom(e);
	json_t *t = json_object();
#define TOT(f) json_object_set_new(t, #f, json_integer((json_int_t)tot.f));
	TOT(calls)
	TOT(calls_child)
	TOT(calls_case_opened)
	TOT(opened)
	TOT(closed)
	TOT(assessed_on_time)
	TOT(assessed_late)
	TOT(open)
	TOT(intake)
	TOT(overdue_assess)
	TOT(overdue_followup)
	TOT(in_care)
	TOT(pending_referrals)
#undef TOT
	return api_reply(rs, 200,
			 json_pack("{s:o, s:o, s:o, s:o, s:i}", "from", api_json_opt_str(from),
				   "to", api_json_opt_str(to), "items", items, "totals", t, "total",
				   n),
			 e);
}

#define CALL "/api/v1/hotline/calls/{id}"
#define CASE "/api/v1/hotline/cases/{id}"

const struct api_route hotline_routes[] = {
	{"GET", "/api/v1/hotline/lines", lines_get, PERM_HOTLINE, 0},
	{"POST", "/api/v1/hotline/lines", lines_post, PERM_HOTLINE, 0},
	{"GET", "/api/v1/hotline/calls", calls_list, PERM_HOTLINE, 0},
	{"POST", "/api/v1/hotline/calls", calls_post, PERM_HOTLINE, 0},
	{"GET", CALL, call_get, PERM_HOTLINE, 0},
	{"POST", CALL "/corrections", call_correct, PERM_HOTLINE, 0},
	{"POST", CALL "/callback", call_callback, PERM_HOTLINE, 0},
	{"GET", "/api/v1/hotline/cases", cases_list, PERM_HOTLINE, 0},
	{"POST", "/api/v1/hotline/cases", cases_post, PERM_HOTLINE, 0},
	{"GET", CASE, case_get, PERM_HOTLINE, 0},
	{"POST", CASE "/assess", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/plan", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/place", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/place-end", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/refer", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/refer-answer", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/resource", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/followup", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/assign", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/close", case_step, PERM_HOTLINE, 0},
	{"POST", CASE "/reopen", case_step, PERM_HOTLINE, 0},
	{"GET", "/api/v1/hotline/tasks", tasks_get, PERM_HOTLINE, 0},
	{"GET", "/api/v1/hotline/overview", overview_get, PERM_HOTLINE, 0},
	{0},
};
