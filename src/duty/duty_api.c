/* duty_api.c — the duty module's HTTP routes (docs/api.md, "Duty rosters"):
 *   GET    /api/v1/duty/rosters                  rosters in scope
 *   POST   /api/v1/duty/rosters                  a roster for a unit (201)
 *   GET    /api/v1/duty/rosters/{id}             a roster with its shifts in a window
 *                                                [?from=&to=&at=&unmask=1]
 *   PATCH  /api/v1/duty/rosters/{id}             name, duty_phone, note
 *   POST   /api/v1/duty/rosters/{id}/shifts      a shift (201)
 *   GET    /api/v1/duty/rosters/{id}/coverage    gaps and overlaps over a period
 *   GET    /api/v1/duty/shifts/{id}              one shift [?unmask=1]
 *   DELETE /api/v1/duty/shifts/{id}              remove a shift not yet begun (204)
 *   POST   /api/v1/duty/shifts/{id}/report       the shift's zero report or events
 *   POST   /api/v1/duty/shifts/{id}/handover     hand over to the next shift (201)
 *   GET    /api/v1/duty/now                      who is on duty now (and above the caller)
 *   GET    /api/v1/duty/handovers                the handover log
 * Handlers translate; duty_store.c checks permission and scope (a record outside the caller's
 * scope is 404 for every role, so routes on a record need only a login).
 */
#include "duty/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "export/export.h"
#include "core/text.h"

/* A period bound from the query: a date (its 00:00) or a local time; def when absent. */
static int query_time(const struct api_req *rq, const char *name, int64_t def, int64_t *out,
		      struct err *e)
{
	char buf[40], t[40];
	int have = api_query_str(rq, name, buf, sizeof buf, e);
	if (have < 0)
		return -1;
	if (!have || !buf[0]) {
		*out = def;
		return 0;
	}
	if (strlen(buf) == 10)
		snprintf(t, sizeof t, "%sT00:00", buf);
	else
		text_copy(t, sizeof t, buf);
	if (duty_time_parse(t, out) < 0)
		return err_set(e, 400, "invalid_value", name,
			       "%s 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM 格式的有效日期时间", name);
	return 0;
}

static int64_t today_midnight(void)
{
	char today[11], t[DUTY_TIME_SZ + 4];
	int64_t m = 0;
	clock_today(today);
	snprintf(t, sizeof t, "%sT00:00", today);
	duty_time_parse(t, &m);
	return m;
}

/* ---- JSON out --------------------------------------------------------------------------- */

static json_t *roster_json(const struct duty_roster *r)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
			 (json_int_t)r->id, "unit_kind", r->unit_kind, "region_code",
			 r->region_code, "region_name", r->region_name, "institution_id",
			 api_json_opt_id(r->institution_id), "name", r->name, "duty_phone",
			 r->duty_phone, "note", r->note, "created_at", r->created_at, "created_by",
			 r->created_by, "updated_at", r->updated_at);
}

static json_t *shift_json(const struct duty_shift *s)
{
	json_t *report = s->report_kind[0]
			     ? json_pack("{s:s, s:s, s:s, s:s}", "kind", s->report_kind, "events",
					 s->report_events, "reported_at", s->reported_at,
					 "reported_by", s->reported_by)
			     : json_null();
	json_t *handover = s->handover_id
			       ? json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)s->handover_id,
					   "to_shift_id", (json_int_t)s->handed_to, "handed_at",
					   s->handed_at, "notes", s->handover_notes)
			       : json_null();
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "id",
			 (json_int_t)s->id, "roster_id", (json_int_t)s->roster_id, "region_code",
			 s->region_code, "post", s->post, "person_name", s->person_name, "phone",
			 s->phone, "start_at", s->start_at, "end_at", s->end_at, "note", s->note,
			 "on_duty", s->on_duty, "report", report, "handover", handover);
}

static json_t *spans_json(const struct duty_span *spans, int n)
{
	json_t *a = json_array();
	for (int i = 0; a && i < n && i < DUTY_MAX_SPANS; i++) {
		char f[DUTY_TIME_SZ], t[DUTY_TIME_SZ];
		duty_time_format(spans[i].start, f);
		duty_time_format(spans[i].end, t);
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "from", f, "to", t, "minutes",
						   (json_int_t)(spans[i].end - spans[i].start)));
	}
	return a;
}

static json_t *coverage_json(const struct duty_coverage *c)
{
	char f[DUTY_TIME_SZ], t[DUTY_TIME_SZ];
	duty_time_format(c->from, f);
	duty_time_format(c->to, t);
	return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:b, s:i, s:o, s:i, s:o}", "from", f, "to",
			 t, "minutes", (json_int_t)(c->to - c->from), "covered_minutes",
			 (json_int_t)c->covered_minutes, "gap_minutes", (json_int_t)c->gap_minutes,
			 "overlap_minutes", (json_int_t)c->overlap_minutes, "complete",
			 c->gap_minutes == 0, "n_gaps", c->n_gaps, "gaps",
			 spans_json(c->gaps, c->n_gaps), "n_overlaps", c->n_overlaps, "overlaps",
			 spans_json(c->overlaps, c->n_overlaps));
}

static json_t *now_unit_json(const struct duty_now_unit *u)
{
	json_t *o = roster_json(&u->roster), *people = json_array();
	for (int i = 0; people && i < u->n_on_duty; i++) {
		const struct duty_person *p = &u->on_duty[i];
		json_array_append_new(people, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "shift_id",
							(json_int_t)p->shift_id, "post", p->post,
							"person_name", p->person_name, "phone", p->phone,
							"start_at", p->start_at, "end_at", p->end_at));
	}
	if (!o || !people) {
		json_decref(o);
		json_decref(people);
		return NULL;
	}
	json_object_set_new(o, "on_duty", people);
	json_object_set_new(o, "officer_on_duty", json_boolean(u->officer_on_duty));
	json_object_set_new(o, "reports_missing", json_integer((json_int_t)u->report_missing));
	return o;
}

/* ---- rosters ---------------------------------------------------------------------------- */

static const struct export_col rosters_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"名称", EXPORT_TEXT, 20, "name", NULL},
	{"单位类型", EXPORT_TEXT, 8, "unit_kind", "city=市;county=县市区;township=镇街;institution=机构"},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"区划", EXPORT_TEXT, 16, "region_name", NULL},
	{"值班电话", EXPORT_TEXT, 14, "duty_phone", NULL},
	{"备注", EXPORT_TEXT, 24, "note", NULL},
	{"更新时间", EXPORT_DATETIME, 18, "updated_at", NULL},
};

static int rosters_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec rosters_list_export = {
	"duty_rosters", "值班表", NULL, DUTY_PAGE_MAX, EXPORT_COLS(rosters_list_cols)};

static int rosters_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, rosters_list, &rosters_list_export, e);
	struct duty_roster_query q;
	struct duty_roster_page page;
	long limit, offset;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "kind", q.kind, sizeof q.kind, e) < 0 ||
	    api_query_int(rq, "limit", 100, 1, DUTY_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q.limit = (int)limit;
	q.offset = (int)offset;
	if (duty_roster_list(rq->db, rq->actor, &q, &page, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < page.n; i++)
		if (json_array_append_new(items, roster_json(&page.items[i])) < 0) {
			json_decref(items);
			items = NULL;
		}
	duty_roster_page_release(&page);
	return api_reply(rs, 200, items ? json_pack("{s:o, s:I}", "items", items, "total",
					       (json_int_t)page.total) : NULL, e);
}

static int roster_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *b = api_body_object(rq, e);
	if (!b)
		return -1;
	struct duty_roster *in = calloc(1, sizeof *in);
	int64_t id;
	int rc = -1;
	if (!in) {
		json_decref(b);
		return err_oom(e);
	}
	if (api_json_str(b, "unit_kind", in->unit_kind, sizeof in->unit_kind, e) < 0 ||
	    api_json_str(b, "region_code", in->region_code, sizeof in->region_code, e) < 0 ||
	    api_json_id(b, "institution_id", &in->institution_id, e) < 0 ||
	    api_json_str(b, "name", in->name, sizeof in->name, e) < 0 ||
	    api_json_str(b, "duty_phone", in->duty_phone, sizeof in->duty_phone, e) < 0 ||
	    api_json_str(b, "note", in->note, sizeof in->note, e) < 0 ||
	    duty_roster_create(rq->db, rq->actor, in, &id, e) < 0 ||
	    duty_roster_get(rq->db, rq->actor, id, in, e) < 0)
		goto out;
	rc = api_reply(rs, 201, roster_json(in), e);
out:
	free(in);
	json_decref(b);
	return rc;
}

/* GET /api/v1/duty/rosters/{id}?from=&to=&at=&unmask=1: the roster and its shifts in [from, to)
 * (default: today and the next 7 days), each marked on_duty at `at` (default now). */
static int roster_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, from, to, at;
	char now[32];
	struct duty_roster r;
	struct duty_shift *shifts;
	int n;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	clock_now_iso(now);
	now[16] = '\0';
	int64_t t0 = today_midnight(), tnow = 0;
	duty_time_parse(now, &tnow);
	if (query_time(rq, "from", t0, &from, e) < 0 || query_time(rq, "to", from + 8 * 1440, &to, e) < 0 ||
	    query_time(rq, "at", tnow, &at, e) < 0)
		return -1;
	if (duty_roster_get(rq->db, rq->actor, id, &r, e) < 0 ||
	    duty_shifts(rq->db, rq->actor, id, from, to, at, api_query_flag(rq, "unmask"), &shifts,
			&n, e) < 0)
		return -1;
	json_t *o = roster_json(&r), *items = json_array();
	for (int i = 0; items && i < n; i++)
		json_array_append_new(items, shift_json(&shifts[i]));
	free(shifts);
	if (!o || !items) {
		json_decref(o);
		json_decref(items);
		return err_oom(e);
	}
	char f[DUTY_TIME_SZ], t[DUTY_TIME_SZ], a[DUTY_TIME_SZ];
	duty_time_format(from, f);
	duty_time_format(to, t);
	duty_time_format(at, a);
	json_object_set_new(o, "from", json_string(f));
	json_object_set_new(o, "to", json_string(t));
	json_object_set_new(o, "at", json_string(a));
	json_object_set_new(o, "masked", json_boolean(!api_query_flag(rq, "unmask")));
	json_object_set_new(o, "shifts", items);
	return api_reply(rs, 200, o, e);
}

static int roster_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *b = api_body_object(rq, e);
	if (!b)
		return -1;
	struct duty_roster_patch *p = calloc(1, sizeof *p);
	struct duty_roster r;
	int rc = -1;
	if (!p) {
		json_decref(b);
		return err_oom(e);
	}
	if ((p->has_name = api_json_str(b, "name", p->name, sizeof p->name, e)) < 0 ||
	    (p->has_phone =
		 api_json_str(b, "duty_phone", p->duty_phone, sizeof p->duty_phone, e)) < 0 ||
	    (p->has_note = api_json_str(b, "note", p->note, sizeof p->note, e)) < 0 ||
	    duty_roster_update(rq->db, rq->actor, id, p, e) < 0 ||
	    duty_roster_get(rq->db, rq->actor, id, &r, e) < 0)
		goto out;
	rc = api_reply(rs, 200, roster_json(&r), e);
out:
	free(p);
	json_decref(b);
	return rc;
}

static int shift_reply(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		       struct err *e)
{
	struct duty_shift *s = malloc(sizeof *s);
	if (!s)
		return err_oom(e);
	int rc = duty_shift_get(rq->db, rq->actor, id, unmask, s, e);
	if (rc == 0)
		rc = api_reply(rs, status, shift_json(s), e);
	free(s);
	return rc;
}

static int shift_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t roster, id;
	if (api_param_id(rq, 0, &roster, e) < 0)
		return -1;
	json_t *b = api_body_object(rq, e);
	if (!b)
		return -1;
	struct duty_shift *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in) {
		json_decref(b);
		return err_oom(e);
	}
	if (api_json_str(b, "post", in->post, sizeof in->post, e) < 0 ||
	    api_json_str(b, "person_name", in->person_name, sizeof in->person_name, e) < 0 ||
	    api_json_str(b, "phone", in->phone, sizeof in->phone, e) < 0 ||
	    api_json_str(b, "start_at", in->start_at, sizeof in->start_at, e) < 0 ||
	    api_json_str(b, "end_at", in->end_at, sizeof in->end_at, e) < 0 ||
	    api_json_str(b, "note", in->note, sizeof in->note, e) < 0)
		goto out;
	if (!in->post[0])
		text_copy(in->post, sizeof in->post, "officer");
	if (duty_shift_add(rq->db, rq->actor, roster, in, &id, e) < 0)
		goto out;
	rc = shift_reply(rq, rs, id, 0, 201, e);
out:
	free(in);
	json_decref(b);
	return rc;
}

static int coverage_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, from, to;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	int64_t t0 = today_midnight();
	if (query_time(rq, "from", t0, &from, e) < 0 || query_time(rq, "to", from + 7 * 1440, &to, e) < 0)
		return -1;
	struct duty_coverage *c = malloc(sizeof *c);
	if (!c)
		return err_oom(e);
	int rc = duty_roster_coverage(rq->db, rq->actor, id, from, to, c, e);
	if (rc == 0) {
		json_t *o = coverage_json(c);
		if (o)
			json_object_set_new(o, "roster_id", json_integer((json_int_t)id));
		rc = api_reply(rs, 200, o, e);
	}
	free(c);
	return rc;
}

/* ---- shifts ----------------------------------------------------------------------------- */

static int shift_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return shift_reply(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

static int shift_delete(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0 || duty_shift_delete(rq->db, rq->actor, id, e) < 0)
		return -1;
	rs->status = 204;
	rs->body = NULL;
	return 0;
}

/* POST /api/v1/duty/shifts/{id}/report {"zero": true} | {"events": "…"} */
static int report_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *b = api_body_object(rq, e);
	if (!b)
		return -1;
	char *events = calloc(1, DUTY_TEXT_SZ);
	int rc = -1;
	json_t *z = json_object_get(b, "zero");
	if (!events) {
		err_oom(e);
		goto out;
	}
	if (z && !json_is_null(z) && !json_is_boolean(z)) {
		err_set(e, 400, "invalid_value", "zero", "zero 应为 true 或 false");
		goto out;
	}
	if (api_json_str(b, "events", events, DUTY_TEXT_SZ, e) < 0 ||
	    duty_shift_report(rq->db, rq->actor, id, json_is_true(z), events, e) < 0)
		goto out;
	rc = shift_reply(rq, rs, id, 0, 200, e);
out:
	free(events);
	json_decref(b);
	return rc;
}

/* POST /api/v1/duty/shifts/{id}/handover {"to_shift_id", "notes", "at"} */
static int handover_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, to = 0, hid;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *b = api_body_object(rq, e);
	if (!b)
		return -1;
	char *notes = calloc(1, DUTY_TEXT_SZ), at[40] = "";
	int rc = -1;
	if (!notes) {
		err_oom(e);
		goto out;
	}
	if (api_json_id(b, "to_shift_id", &to, e) < 0 ||
	    api_json_str(b, "notes", notes, DUTY_TEXT_SZ, e) < 0 ||
	    api_json_str(b, "at", at, sizeof at, e) < 0 ||
	    duty_handover(rq->db, rq->actor, id, to, notes, at, &hid, e) < 0)
		goto out;
	rc = shift_reply(rq, rs, id, 0, 201, e);
out:
	free(notes);
	json_decref(b);
	return rc;
}

/* ---- now and the handover log ----------------------------------------------------------- */

static int now_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char region[16] = "", at[40] = "";
	struct duty_now n;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "at", at, sizeof at, e) < 0 ||
	    duty_now(rq->db, rq->actor, region, at, api_query_flag(rq, "unmask"), &n, e) < 0)
		return -1;
	json_t *items = json_array(), *up = json_array();
	int gaps = 0;
	for (int i = 0; items && i < n.n; i++) {
		json_array_append_new(items, now_unit_json(&n.units[i]));
		gaps += !n.units[i].officer_on_duty;
	}
	for (int i = 0; up && i < n.n_upward; i++)
		json_array_append_new(up, now_unit_json(&n.upward[i]));
	json_t *body = items && up ? json_pack("{s:s, s:o, s:I, s:i, s:o, s:b}", "at", n.at, "items",
					       items, "total", (json_int_t)n.n, "uncovered", gaps,
					       "upward", up, "masked", !n.unmasked)
				   : NULL;
	if (!body) {
		json_decref(items);
		json_decref(up);
	}
	duty_now_release(&n);
	return api_reply(rs, 200, body, e);
}

static const struct export_col handovers_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"交接时间", EXPORT_DATETIME, 17, "handed_at", NULL},
	{"值班表", EXPORT_TEXT, 18, "roster_name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"岗位", EXPORT_TEXT, 10, "post", "leader=带班领导;officer=值班员"},
	{"交班人", EXPORT_TEXT, 10, "from_person", NULL},
	{"接班人", EXPORT_TEXT, 10, "to_person", NULL},
	{"交接事项", EXPORT_TEXT, 36, "notes", NULL},
	{"登记人", EXPORT_TEXT, 10, "created_by", NULL},
};

static int handovers_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec handovers_list_export = {
	"duty_handovers", "交接班记录", NULL, DUTY_PAGE_MAX, EXPORT_COLS(handovers_list_cols)};

static int handovers_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, handovers_list, &handovers_list_export, e);
	struct duty_handover_query q;
	struct duty_handover_page page;
	long limit, offset, roster;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0 ||
	    api_query_int(rq, "roster_id", 0, 0, 1L << 40, &roster, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, DUTY_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q.roster_id = roster;
	q.limit = (int)limit;
	q.offset = (int)offset;
	if (duty_handover_list(rq->db, rq->actor, &q, &page, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < page.n; i++) {
		const struct duty_handover_row *h = &page.items[i];
		json_array_append_new(items, json_pack("{s:I, s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s, "
						       "s:s, s:s, s:s}",
						       "id", (json_int_t)h->id, "roster_id",
						       (json_int_t)h->roster_id, "roster_name",
						       h->roster_name, "region_code", h->region_code,
						       "from_shift_id", (json_int_t)h->from_shift_id,
						       "to_shift_id", (json_int_t)h->to_shift_id,
						       "from_person", h->from_person, "to_person",
						       h->to_person, "post", h->post, "handed_at",
						       h->handed_at, "notes", h->notes, "created_by",
						       h->created_by));
	}
	duty_handover_page_release(&page);
	return api_reply(rs, 200, items ? json_pack("{s:o, s:I}", "items", items, "total",
					       (json_int_t)page.total) : NULL, e);
}

#define ROSTER "/api/v1/duty/rosters/{id}"
#define SHIFT "/api/v1/duty/shifts/{id}"

const struct api_route duty_routes[] = {
	{"GET", "/api/v1/duty/rosters", rosters_list, PERM_LOGIN, 0},
	{"POST", "/api/v1/duty/rosters", roster_post, PERM_DUTY, 0},
	{"GET", ROSTER, roster_get, PERM_LOGIN, 0},
	{"PATCH", ROSTER, roster_patch, PERM_LOGIN, 0},
	{"POST", ROSTER "/shifts", shift_post, PERM_LOGIN, 0},
	{"GET", ROSTER "/coverage", coverage_get, PERM_LOGIN, 0},
	{"GET", SHIFT, shift_get, PERM_LOGIN, 0},
	{"DELETE", SHIFT, shift_delete, PERM_LOGIN, 0},
	{"POST", SHIFT "/report", report_post, PERM_LOGIN, 0},
	{"POST", SHIFT "/handover", handover_post, PERM_LOGIN, 0},
	{"GET", "/api/v1/duty/now", now_get, PERM_LOGIN, 0},
	{"GET", "/api/v1/duty/handovers", handovers_list, PERM_LOGIN, 0},
	{0},
};
