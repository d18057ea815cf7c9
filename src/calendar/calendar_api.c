/* calendar_api.c — the calendar's HTTP routes (docs/api.md, "Calendar"):
 *   GET  /api/v1/calendar?year=YYYY                   the year's holidays and working weekends
 *   GET  /api/v1/calendar/working-days?from=DATE&n=N  the date N working days after DATE
 *   POST /api/v1/calendar                             set one day {date, kind, name}
 * Handlers only translate; calendar_store.c checks the rules and who may change the calendar. */
#include "calendar/calendar.h"

#include <stdlib.h>

#include "core/clock.h"

static int add_day(const struct calendar_day *d, void *ctx)
{
	json_array_append_new((json_t *)ctx,
			      json_pack("{s:s, s:s, s:s, s:s, s:s}", "date", d->date, "kind", d->kind,
					"name", d->name, "set_by", d->set_by, "set_at", d->set_at));
	return 0;
}

static int calendar_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char today[11];
	clock_today(today);
	long year;
	if (api_query_int(rq, "year", atol(today), 1900, 2999, &year, e) < 0)
		return -1;
	json_t *days = json_array();
	if (!days)
		return err_set(e, 500, "internal", NULL, "内存不足");
	if (calendar_list(rq->db, (int)year, add_day, days, e) < 0) {
		json_decref(days);
		return -1;
	}
	return api_reply(rs, 200, json_pack("{s:I, s:o}", "year", (json_int_t)year, "days", days),
			 e);
}

static int working_days_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", out[11];
	long n;
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_int(rq, "n", 0, 0, CALENDAR_MAX_SPAN, &n, e) < 0)
		return -1;
	if (!from[0])
		return err_set(e, 400, "required", "from", "缺少起算日期 from（YYYY-MM-DD）");
	if (calendar_add_working_days(rq->db, from, (int)n, out, e) < 0)
		return -1;
	return api_reply(
	    rs, 200, json_pack("{s:s, s:I, s:s}", "from", from, "n", (json_int_t)n, "date", out),
	    e);
}

static int calendar_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *date = json_string_value(json_object_get(body, "date"));
	const char *kind = json_string_value(json_object_get(body, "kind"));
	const char *name = json_string_value(json_object_get(body, "name"));
	int rc = calendar_set(rq->db, rq->actor, date, kind, name, e);
	if (rc == 0)
		rc = api_reply(rs, 200,
			   json_pack("{s:s, s:s, s:s}", "date", date, "kind", kind, "name",
				     name ? name : ""),
			   e);
	json_decref(body);
	return rc;
}

const struct api_route calendar_routes[] = {
	{"GET", "/api/v1/calendar", calendar_get, PERM_LOGIN, 0},
	{"GET", "/api/v1/calendar/working-days", working_days_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/calendar", calendar_post, PERM_POLICY_WRITE, 0},
	{0},
};
