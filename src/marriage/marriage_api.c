/* marriage_api.c — the marriage module's HTTP routes (docs/marriage.md): handlers only
 * translate (marriage_json.c); the domain checks permission, scope and the rules.
 *
 * Public (no login; each request counts against the client address's throttle):
 *   GET   /api/v1/public/marriage/offices                   offices taking bookings
 *   GET   /api/v1/public/marriage/offices/{id}/slots?date=  a day's slots (available or not;
 *                                                         no date: today)
 *   POST  /api/v1/public/marriage/bookings                  book → 201 with the booking code
 *   POST  /api/v1/public/marriage/bookings/lookup           {code,id_number} → the booking
 *   POST  /api/v1/public/marriage/bookings/change           … plus {date,time}
 *   POST  /api/v1/public/marriage/bookings/cancel           {code,id_number}
 * The code and ID number travel in a POST body, never in a URL (which logs keep).
 *
 * Registrar (marriage permission):
 *   GET   /api/v1/marriage/offices                          offices in scope
 *   GET   /api/v1/marriage/offices/{id}                     settings, rules, closed dates
 *   PUT   /api/v1/marriage/offices/{id}                     settings
 *   POST  /api/v1/marriage/offices/{id}/closed              close / reopen a date
 *   POST  /api/v1/marriage/offices/{id}/rules               dated epidemic rule
 *   GET   /api/v1/marriage/offices/{id}/slots?date=         a day's slots with counts
 *   GET   /api/v1/marriage/offices/{id}/day?date=[&unmask=1] the day's list and statistics
 *   GET   /api/v1/marriage/offices/{id}/over-capacity       bookings to call
 *   GET   /api/v1/marriage/bookings/{id}                    one booking
 *   POST  /api/v1/marriage/bookings/{id}/checkin            arrival and temperature
 *   POST  /api/v1/marriage/bookings/{id}/outcome            registered / not / no-show
 */
#include "marriage/marriage.h"
#include "core/clock.h"
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ public */

static void public_actor(const struct api_req *rq, struct actor *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->username, sizeof out->username, "public");
	snprintf(out->role, sizeof out->role, "public");
	snprintf(out->client, sizeof out->client, "%s", rq->client ? rq->client : "");
}

static int pub_offices(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct marriage_office_list l;
	if (marriage_throttle(rq->db, rq->client, e) < 0 || marriage_public_offices(rq->db, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++) {
		const struct marriage_office *o = &l.items[i];
		json_array_append_new(items, json_pack("{s:I, s:s, s:s, s:s, s:i}", "id",
						       (json_int_t)o->id, "name", o->name, "address",
						       o->address, "hours", o->hours, "slot_minutes",
						       o->slot_minutes));
	}
	int n = l.n;
	marriage_office_list_release(&l);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int plan_reply(struct api_req *rq, struct api_res *rs, int public_view, struct err *e)
{
	int64_t id;
	char date[16] = "";
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	if (!date[0])
		clock_today(date); /* no date: today's */
	struct marriage_day_plan *p = calloc(1, sizeof *p);
	if (!p)
		return err_oom(e);
	int rc = marriage_day_plan(rq->db, id, date, p, e);
	if (rc == 0)
		rc = api_reply(rs, 200, marriage_plan_json(p, public_view), e);
	free(p);
	return rc;
}

static int pub_slots(struct api_req *rq, struct api_res *rs, struct err *e)
{
	if (marriage_throttle(rq->db, rq->client, e) < 0)
		return -1;
	return plan_reply(rq, rs, 1, e);
}

static int pub_book(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct actor pub;
	struct marriage_booking b;
	struct marriage_booking_in in;
	public_actor(rq, &pub);
	if (marriage_throttle(rq->db, rq->client, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (marriage_booking_from_json(body, &in, e) == 0 &&
	    marriage_book(rq->db, &pub, &in, NULL, &b, e) == 0)
		rc = api_reply(rs, 201, marriage_public_booking_json(&b), e);
	memset(&in, 0, sizeof in);
	json_decref(body);
	return rc;
}

/* lookup, change and cancel: {code, id_number[, date, time]} */
static int pub_by_code(struct api_req *rq, struct api_res *rs, int what, struct err *e)
{
	struct actor pub;
	struct marriage_booking b;
	char code[24] = "", id_number[32] = "", date[16] = "", time[8] = "";
	public_actor(rq, &pub);
	if (marriage_throttle(rq->db, rq->client, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (api_json_str(body, "code", code, sizeof code, e) >= 0 &&
	    api_json_str(body, "id_number", id_number, sizeof id_number, e) >= 0 &&
	    api_json_str(body, "date", date, sizeof date, e) >= 0 &&
	    api_json_str(body, "time", time, sizeof time, e) >= 0) {
		if (what == 0)
			rc = marriage_public_get(rq->db, code, id_number, &b, e);
		else if (what == 1)
			rc = marriage_public_change(rq->db, &pub, code, id_number, date, time, &b, e);
		else
			rc = marriage_public_cancel(rq->db, &pub, code, id_number, &b, e);
		if (rc == 0)
			rc = api_reply(rs, 200, marriage_public_booking_json(&b), e);
	}
	json_decref(body);
	return rc;
}

static int pub_lookup(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return pub_by_code(rq, rs, 0, e);
}

static int pub_change(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return pub_by_code(rq, rs, 1, e);
}

static int pub_cancel(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return pub_by_code(rq, rs, 2, e);
}

/* ================================================================ offices */

static const struct export_col office_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"名称", EXPORT_TEXT, 24, "name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"地址", EXPORT_TEXT, 24, "address", NULL},
	{"已开放预约", EXPORT_BOOL, 10, "configured", NULL},
	{"每周开放时间", EXPORT_TEXT, 40, "hours", NULL},
	{"时段（分钟）", EXPORT_INT, 10, "slot_minutes", NULL},
	{"每时段对数", EXPORT_INT, 10, "capacity", NULL},
};

static int offices_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec offices_export = {"marriage_offices", "婚姻登记处", NULL, 0,
						       EXPORT_COLS(office_cols)};

static int offices_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, offices_list, &offices_export, e);
	struct marriage_office_list l;
	if (marriage_office_list(rq->db, rq->actor, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, marriage_office_json(&l.items[i]));
	int n = l.n;
	marriage_office_list_release(&l);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int office_reply(struct api_req *rq, struct api_res *rs, int64_t id, int status,
			struct err *e)
{
	struct marriage_office o;
	struct marriage_rule rules[20];
	struct marriage_closed_day closed[60];
	if (marriage_office_get(rq->db, rq->actor, id, &o, e) < 0)
		return -1;
	json_t *j = marriage_office_json(&o), *jr = json_array(), *jc = json_array();
	int nr = 0, nc = 0;
	if (o.configured) {
		if ((nr = marriage_rule_list(rq->db, rq->actor, id, rules, 20, e)) < 0 ||
		    (nc = marriage_closed_list(rq->db, rq->actor, id, "", closed, 60, e)) < 0) {
			json_decref(j);
			json_decref(jr);
			json_decref(jc);
			return -1;
		}
	}
	for (int i = 0; jr && i < nr; i++)
		json_array_append_new(jr, marriage_rule_json(&rules[i]));
	for (int i = 0; jc && i < nc; i++)
		json_array_append_new(jc, json_pack("{s:s, s:s}", "date", closed[i].date, "reason",
						    closed[i].reason));
	if (!j || !jr || !jc) {
		json_decref(j);
		json_decref(jr);
		json_decref(jc);
		return err_oom(e);
	}
	json_object_set_new(j, "rules", jr);
	json_object_set_new(j, "closed", jc);
	return api_reply(rs, status, j, e);
}

static int office_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return office_reply(rq, rs, id, 200, e);
}

static int office_put(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct marriage_office_in in;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (marriage_office_from_json(body, &in, e) == 0 &&
	    marriage_office_set(rq->db, rq->actor, id, &in, e) == 0)
		rc = office_reply(rq, rs, id, 200, e);
	json_decref(body);
	return rc;
}

static int closed_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char date[16] = "", reason[MARRIAGE_REASON_SZ + 8] = "";
	int closed = 1;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (api_json_str(body, "date", date, sizeof date, e) >= 0 &&
	    api_json_str(body, "reason", reason, sizeof reason, e) >= 0 &&
	    api_json_bool(body, "closed", &closed, e) >= 0 &&
	    marriage_closed_set(rq->db, rq->actor, id, date, closed, reason, e) == 0)
		rc = office_reply(rq, rs, id, 201, e);
	json_decref(body);
	return rc;
}

static int rules_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct marriage_rule in;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (marriage_rule_from_json(body, &in, e) == 0 &&
	    marriage_rule_set(rq->db, rq->actor, id, &in, e) == 0)
		rc = office_reply(rq, rs, id, 201, e);
	json_decref(body);
	return rc;
}

static int office_slots(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct marriage_office o;
	if (api_param_id(rq, 0, &id, e) < 0 || marriage_office_get(rq->db, rq->actor, id, &o, e) < 0)
		return -1;
	return plan_reply(rq, rs, 0, e);
}

/* ================================================================ the day */

static const struct export_col day_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "date", NULL},
	{"时段", EXPORT_TEXT, 8, "time", NULL},
	{"预约码", EXPORT_TEXT, 10, "code", NULL},
	{"一方", EXPORT_TEXT, 10, "party_a", NULL},
	{"另一方", EXPORT_TEXT, 10, "party_b", NULL},
	{"联系电话", EXPORT_TEXT, 14, "phone", NULL},
	{"到场时间", EXPORT_DATETIME, 18, "checked_in_at", NULL},
	{"体温（0.1℃）", EXPORT_INT, 10, "temperature_tenths", NULL},
	{"发热", EXPORT_BOOL, 6, "fever", NULL},
	{"结果", EXPORT_TEXT, 10, "outcome",
	 "registered=已登记;not_registered=未办理;no_show=未到"},
	{"原因", EXPORT_TEXT, 20, "outcome_reason", NULL},
};

static int day_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec day_export = {"marriage_day", "婚姻登记当日名单", NULL, 0,
						   EXPORT_COLS(day_cols)};

static int day_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char date[16] = "";
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, day_list, &day_export, e);
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	if (!date[0])
		clock_today(date); /* no date: today's list */
	struct marriage_day_list l;
	if (marriage_day(rq->db, rq->actor, id, date, api_query_flag(rq, "unmask"), &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, marriage_booking_json(&l.items[i]));
	int n = l.n;
	json_t *stats = marriage_stats_json(&l.stats);
	marriage_day_list_release(&l);
	if (!items || !stats) {
		json_decref(items);
		json_decref(stats);
		return err_oom(e);
	}
	return api_reply(rs, 200,
			 json_pack("{s:o, s:i, s:s, s:o}", "items", items, "total", n, "date", date,
				   "stats", stats),
			 e);
}

static const struct export_col over_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "date", NULL},
	{"时段", EXPORT_TEXT, 8, "time", NULL},
	{"预约码", EXPORT_TEXT, 10, "code", NULL},
	{"一方", EXPORT_TEXT, 10, "party_a", NULL},
	{"另一方", EXPORT_TEXT, 10, "party_b", NULL},
	{"联系电话", EXPORT_TEXT, 14, "phone", NULL},
	{"原因", EXPORT_TEXT, 12, "why", "over_capacity=超出容量;closed=当日闭馆;no_slot=时段已取消"},
	{"现容量", EXPORT_INT, 8, "capacity", NULL},
};

static int over_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec over_export = {"marriage_over_capacity", "需电话联系的预约",
						    NULL, 0, EXPORT_COLS(over_cols)};

static int over_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char from[16] = "";
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, over_list, &over_export, e);
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "from", from, sizeof from, e) < 0)
		return -1;
	struct marriage_over_list l;
	if (marriage_over_capacity(rq->db, rq->actor, id, from, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++) {
		json_t *j = marriage_booking_json(&l.items[i].b);
		if (j) {
			json_object_set_new(j, "why", json_string(l.items[i].why));
			json_object_set_new(j, "capacity", json_integer(l.items[i].capacity));
		}
		json_array_append_new(items, j);
	}
	int n = l.n;
	marriage_over_list_release(&l);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int booking_reply(struct api_req *rq, struct api_res *rs, int64_t id, struct err *e)
{
	struct marriage_booking b;
	if (marriage_booking_get(rq->db, rq->actor, id, &b, e) < 0)
		return -1;
	return api_reply(rs, 200, marriage_booking_json(&b), e);
}

static int booking_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return booking_reply(rq, rs, id, e);
}

static int checkin_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, t = 0;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1, has = api_json_int(body, "temperature_tenths", 0, 1000, &t, e);
	if (has == 0)
		err_set(e, 400, "required", "temperature_tenths", "请填写体温");
	else if (has > 0 && marriage_checkin(rq->db, rq->actor, id, (int)t, NULL, e) == 0)
		rc = booking_reply(rq, rs, id, e);
	json_decref(body);
	return rc;
}

static int outcome_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char outcome[24] = "", reason[MARRIAGE_REASON_SZ + 8] = "";
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (api_json_str(body, "outcome", outcome, sizeof outcome, e) >= 0 &&
	    api_json_str(body, "reason", reason, sizeof reason, e) >= 0 &&
	    marriage_outcome(rq->db, rq->actor, id, outcome, reason, e) == 0)
		rc = booking_reply(rq, rs, id, e);
	json_decref(body);
	return rc;
}

const struct api_route marriage_routes[] = {
	{"GET", "/api/v1/public/marriage/offices", pub_offices, PERM_PUBLIC, 0},
	{"GET", "/api/v1/public/marriage/offices/{id}/slots", pub_slots, PERM_PUBLIC, 0},
	{"POST", "/api/v1/public/marriage/bookings", pub_book, PERM_PUBLIC, 0},
	{"POST", "/api/v1/public/marriage/bookings/lookup", pub_lookup, PERM_PUBLIC, 0},
	{"POST", "/api/v1/public/marriage/bookings/change", pub_change, PERM_PUBLIC, 0},
	{"POST", "/api/v1/public/marriage/bookings/cancel", pub_cancel, PERM_PUBLIC, 0},
	{"GET", "/api/v1/marriage/offices", offices_list, PERM_MARRIAGE, 0},
	{"GET", "/api/v1/marriage/offices/{id}", office_get, PERM_MARRIAGE, 0},
	{"PUT", "/api/v1/marriage/offices/{id}", office_put, PERM_MARRIAGE, 0},
	{"POST", "/api/v1/marriage/offices/{id}/closed", closed_post, PERM_MARRIAGE, 0},
	{"POST", "/api/v1/marriage/offices/{id}/rules", rules_post, PERM_MARRIAGE, 0},
	{"GET", "/api/v1/marriage/offices/{id}/slots", office_slots, PERM_MARRIAGE, 0},
	{"GET", "/api/v1/marriage/offices/{id}/day", day_list, PERM_MARRIAGE, 0},
	{"GET", "/api/v1/marriage/offices/{id}/over-capacity", over_list, PERM_MARRIAGE, 0},
	{"GET", "/api/v1/marriage/bookings/{id}", booking_get, PERM_MARRIAGE, 0},
	{"POST", "/api/v1/marriage/bookings/{id}/checkin", checkin_post, PERM_MARRIAGE, 0},
	{"POST", "/api/v1/marriage/bookings/{id}/outcome", outcome_post, PERM_MARRIAGE, 0},
	{0},
};
