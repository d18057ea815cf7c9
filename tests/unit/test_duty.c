/* test_duty.c — duty rosters: the pure rules (local date-times in minutes, who is on duty at an
 * instant across midnight, coverage gaps and overlaps of a period, hand-counted in minutes),
 * then the store on a fresh database: rosters per unit with their level and scope, shifts
 * (length limit from the policy, the same person twice at once), "on duty now" with the units
 * above the caller, shift reports (zero or events, once, not before the shift), handovers to
 * the next shift, deleting only what has not begun, masked phones and the audited unmask, and
 * another county's 404. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "duty/duty.h"
#include "policy/policy.h"
#include "regions/regions.h"

#include <stdlib.h>
#include <string.h>

static int64_t T(const char *s)
{
	int64_t m = -1;
	if (duty_time_parse(s, &m) < 0)
		fprintf(stderr, "  bad time in test: %s\n", s);
	return m;
}

/* ------------------------------------------------------------------------------------------ */
/* rules                                                                                      */
/* ------------------------------------------------------------------------------------------ */

TEST(times_parse_and_format)
{
	int64_t m;
	char out[DUTY_TIME_SZ];
	CHECK_EQ_INT(duty_time_parse("1970-01-01T00:00", &m), 0);
	CHECK_EQ_INT(m, 0);
	CHECK_EQ_INT(duty_time_parse("1970-01-02T01:30", &m), 0);
	CHECK_EQ_INT(m, 1440 + 90);
	/* the forms a browser and the clock write */
	CHECK_EQ_INT(T("2020-02-01 08:00"), T("2020-02-01T08:00"));
	CHECK_EQ_INT(T("2020-02-01T08:00:00+08:00"), T("2020-02-01T08:00"));
	duty_time_format(T("2020-02-29T23:59"), out);
	CHECK_EQ_STR(out, "2020-02-29T23:59");
	duty_time_format(T("2020-02-29T23:59") + 1, out);
	CHECK_EQ_STR(out, "2020-03-01T00:00");
	static const char *const bad[] = {
		"2019-02-29T08:00", "2020-02-01T24:00", "2020-02-01T08:60", "2020-02-01T08:00:30",
		"2020-02-01T08:00+09:00", "2020-02-01", "2020/02/01T08:00", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_EQ_INT(duty_time_parse(bad[i], &m), -1);
}

TEST(a_night_shift_covers_the_small_hours_of_the_next_day)
{
	int64_t s = T("2020-02-01T20:00"), e = T("2020-02-02T08:00");
	CHECK(duty_on_duty(s, e, T("2020-02-01T20:00")));
	CHECK(duty_on_duty(s, e, T("2020-02-01T23:59")));
	CHECK(duty_on_duty(s, e, T("2020-02-02T00:00")));
	CHECK(duty_on_duty(s, e, T("2020-02-02T03:00")));
	CHECK(!duty_on_duty(s, e, T("2020-02-02T08:00"))); /* the day shift has it */
	CHECK(!duty_on_duty(s, e, T("2020-02-01T19:59")));
}

TEST(coverage_of_a_day_with_touching_shifts_is_complete)
{
	struct duty_span sh[] = {
		{T("2020-02-01T20:00"), T("2020-02-02T08:00")}, /* unsorted on purpose */
		{T("2020-01-31T20:00"), T("2020-02-01T08:00")},
		{T("2020-02-01T08:00"), T("2020-02-01T20:00")},
	};
	struct duty_coverage *c = malloc(sizeof *c);
	CHECK_EQ_INT(duty_coverage_compute(sh, 3, T("2020-02-01T00:00"), T("2020-02-02T00:00"), c), 0);
	CHECK_EQ_INT(c->covered_minutes, 1440);
	CHECK_EQ_INT(c->gap_minutes, 0);
	CHECK_EQ_INT(c->n_gaps, 0);
	CHECK_EQ_INT(c->n_overlaps, 0);
	CHECK_EQ_INT(c->overlap_minutes, 0);
	free(c);
}

TEST(coverage_lists_gaps_and_overlaps_as_maximal_spans)
{
	struct duty_span sh[] = {
		{T("2020-02-01T00:00"), T("2020-02-01T08:00")},
		{T("2020-02-01T07:00"), T("2020-02-01T09:00")}, /* overlaps 07–08 with the first */
		{T("2020-02-01T08:00"), T("2020-02-01T12:00")}, /* and 08–09 with the second */
		/* 12:00–14:00 nobody */
		{T("2020-02-01T14:00"), T("2020-02-01T23:00")},
		/* 23:00–24:00 nobody */
	};
	struct duty_coverage *c = malloc(sizeof *c);
	CHECK_EQ_INT(duty_coverage_compute(sh, 4, T("2020-02-01T00:00"), T("2020-02-02T00:00"), c), 0);
	CHECK_EQ_INT(c->n_overlaps, 1); /* 07:00–09:00, one span although three shifts meet in it */
	CHECK_EQ_INT(c->overlaps[0].start, T("2020-02-01T07:00"));
	CHECK_EQ_INT(c->overlaps[0].end, T("2020-02-01T09:00"));
	CHECK_EQ_INT(c->overlap_minutes, 120);
	CHECK_EQ_INT(c->n_gaps, 2);
	CHECK_EQ_INT(c->gaps[0].start, T("2020-02-01T12:00"));
	CHECK_EQ_INT(c->gaps[0].end, T("2020-02-01T14:00"));
	CHECK_EQ_INT(c->gaps[1].start, T("2020-02-01T23:00"));
	CHECK_EQ_INT(c->gaps[1].end, T("2020-02-02T00:00"));
	CHECK_EQ_INT(c->gap_minutes, 180);
	CHECK_EQ_INT(c->covered_minutes, 1440 - 180);
	/* nothing at all: one gap, the whole period */
	CHECK_EQ_INT(duty_coverage_compute(NULL, 0, T("2020-02-01T00:00"), T("2020-02-01T06:00"), c), 0);
	CHECK_EQ_INT(c->n_gaps, 1);
	CHECK_EQ_INT(c->gap_minutes, 360);
	/* a gap at the start, shifts reaching past the period are cut */
	struct duty_span two[] = {{T("2020-02-01T02:00"), T("2020-02-03T00:00")}};
	CHECK_EQ_INT(duty_coverage_compute(two, 1, T("2020-02-01T00:00"), T("2020-02-02T00:00"), c), 0);
	CHECK_EQ_INT(c->n_gaps, 1);
	CHECK_EQ_INT(c->gaps[0].end, T("2020-02-01T02:00"));
	CHECK_EQ_INT(c->covered_minutes, 1320);
	free(c);
}

TEST(coverage_across_midnight_and_the_leap_day)
{
	/* 2020-02-28 20:00 → 2020-03-01 08:00 is 36 hours (29 February exists in 2020) */
	struct duty_span sh[] = {
		{T("2020-02-28T20:00"), T("2020-02-29T08:00")},
		{T("2020-02-29T08:00"), T("2020-02-29T20:00")},
		{T("2020-02-29T20:00"), T("2020-03-01T08:00")},
	};
	struct duty_coverage *c = malloc(sizeof *c);
	CHECK_EQ_INT(duty_coverage_compute(sh, 3, T("2020-02-28T20:00"), T("2020-03-01T08:00"), c), 0);
	CHECK_EQ_INT(c->to - c->from, 36 * 60);
	CHECK_EQ_INT(c->gap_minutes, 0);
	free(c);
}

/* ------------------------------------------------------------------------------------------ */
/* fixtures                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	struct actor sys;
	actor_system(&sys);
	if (regions_load_builtin(db, &e) < 0 || policy_load_demo_defaults(db, &sys, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	return db;
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static int64_t roster(struct db *db, const struct actor *a, const char *kind, const char *region,
		      struct err *e)
{
	struct duty_roster r;
	int64_t id = 0;
	memset(&r, 0, sizeof r);
	snprintf(r.unit_kind, sizeof r.unit_kind, "%s", kind);
	snprintf(r.region_code, sizeof r.region_code, "%s", region);
	snprintf(r.duty_phone, sizeof r.duty_phone, "0536-8888888");
	if (duty_roster_create(db, a, &r, &id, e) < 0)
		return 0;
	return id;
}

static int64_t shift(struct db *db, const struct actor *a, int64_t roster_id, const char *post,
		     const char *person, const char *phone, const char *start, const char *end,
		     struct err *e)
{
	struct duty_shift s;
	int64_t id = 0;
	memset(&s, 0, sizeof s);
	snprintf(s.post, sizeof s.post, "%s", post);
	snprintf(s.person_name, sizeof s.person_name, "%s", person);
	snprintf(s.phone, sizeof s.phone, "%s", phone);
	snprintf(s.start_at, sizeof s.start_at, "%s", start);
	snprintf(s.end_at, sizeof s.end_at, "%s", end);
	if (duty_shift_add(db, a, roster_id, &s, &id, e) < 0)
		return 0;
	return id;
}

/* ------------------------------------------------------------------------------------------ */
/* store                                                                                      */
/* ------------------------------------------------------------------------------------------ */

TEST(rosters_belong_to_a_unit_of_the_right_level_in_scope)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	CHECK(roster(db, &county, "county", "370704", &e) > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM duty_rosters WHERE name = '坊子区值班'"), 1);
	CHECK_EQ_INT(roster(db, &county, "county", "370704", &e), 0);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(roster(db, &county, "township", "370704", &e), 0); /* 6 digits is no township */
	CHECK_EQ_STR(e.code, "invalid_region");
	CHECK_EQ_INT(roster(db, &county, "county", "370705", &e), 0);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_INT(roster(db, &county, "shop", "370704003", &e), 0);
	CHECK_EQ_STR(e.field, "unit_kind");
	CHECK_EQ_INT(roster(db, &county, "institution", "370704003", &e), 0); /* needs a name */
	CHECK_EQ_STR(e.field, "name");
	CHECK_EQ_INT(roster(db, &insp, "city", "3707", &e), 0); /* inspectors keep no roster */
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM duty_rosters"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'duty.roster'"), 1);
	db_close(db);
}

TEST(shifts_are_checked_and_the_same_person_is_not_twice_on_duty)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	int64_t r = roster(db, &county, "county", "370704", &e);
	/* end before start */
	CHECK_EQ_INT(shift(db, &county, r, "officer", "张伟", "13800000001", "2020-02-01T20:00",
			   "2020-02-01T08:00", &e), 0);
	CHECK_EQ_STR(e.field, "end_at");
	/* longer than duty_shift_max_days (1 in the demo values): 25 hours */
	CHECK_EQ_INT(shift(db, &county, r, "officer", "张伟", "13800000001", "2020-02-01T08:00",
			   "2020-02-02T09:00", &e), 0);
	CHECK_EQ_STR(e.field, "end_at");
	CHECK(strstr(e.message, "24 小时") != NULL);
	/* exactly 24 hours is allowed */
	CHECK(shift(db, &county, r, "officer", "张伟", "138 0000 0001", "2020-02-01T08:00",
		    "2020-02-02T08:00", &e) > 0);
	/* the same person overlapping */
	CHECK_EQ_INT(shift(db, &county, r, "leader", "张伟", "13800000001", "2020-02-01T20:00",
			   "2020-02-02T10:00", &e), 0);
	CHECK_EQ_STR(e.code, "shift_overlap");
	/* another person at the same time is allowed (coverage reports it) */
	CHECK(shift(db, &county, r, "officer", "李娜", "13800000002", "2020-02-01T20:00",
		    "2020-02-02T10:00", &e) > 0);
	CHECK_EQ_INT(shift(db, &county, r, "officer", "李娜", "12345", "2020-02-03T08:00",
			   "2020-02-03T20:00", &e), 0);
	CHECK_EQ_STR(e.code, "invalid_phone");
	CHECK_EQ_INT(shift(db, &county, r, "cook", "王五", "13800000003", "2020-02-03T08:00",
			   "2020-02-03T20:00", &e), 0);
	CHECK_EQ_STR(e.field, "post");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM duty_shifts"), 2);
	struct duty_coverage *c = malloc(sizeof *c);
	CHECK_EQ_INT(duty_roster_coverage(db, &county, r, T("2020-02-01T00:00"), T("2020-02-03T00:00"),
					  c, &e), 0);
	/* 00:00–08:00 on the 1st and 10:00–24:00 on the 2nd uncovered; 20:00–08:00 doubled */
	CHECK_EQ_INT(c->n_gaps, 2);
	CHECK_EQ_INT(c->gap_minutes, 8 * 60 + 14 * 60);
	CHECK_EQ_INT(c->n_overlaps, 1);
	CHECK_EQ_INT(c->overlap_minutes, 12 * 60);
	free(c);
	db_close(db);
}

TEST(who_is_on_duty_now_with_the_units_above)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "boss", "city_admin", "3707");
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct actor town = testactor_user(db, "t704", "township_assistant", "370704003");
	struct err e;
	int64_t rc = roster(db, &admin, "city", "3707", &e);
	int64_t rk = roster(db, &county, "county", "370704", &e);
	int64_t rt = roster(db, &town, "township", "370704003", &e);
	CHECK(rc > 0 && rk > 0 && rt > 0);
	CHECK(shift(db, &admin, rc, "officer", "市值班员", "13900000001", "2020-02-01T20:00",
		    "2020-02-02T08:00", &e) > 0);
	CHECK(shift(db, &county, rk, "leader", "县带班", "13900000002", "2020-02-01T08:00",
		    "2020-02-02T08:00", &e) > 0);
	CHECK(shift(db, &county, rk, "officer", "县夜班", "13900000003", "2020-02-01T20:00",
		    "2020-02-02T08:00", &e) > 0);
	CHECK(shift(db, &town, rt, "officer", "镇日班", "13900000004", "2020-02-02T08:00",
		    "2020-02-02T20:00", &e) > 0);
	struct duty_now n;
	CHECK_EQ_INT(duty_now(db, &town, "", "2020-02-02T03:00", 0, &n, &e), 0);
	CHECK_EQ_INT(n.n, 1);                  /* its own township's roster only */
	CHECK_EQ_INT(n.units[0].n_on_duty, 0); /* the township's day shift starts at 08:00 */
	CHECK_EQ_INT(n.units[0].officer_on_duty, 0);
	CHECK_EQ_INT(n.n_upward, 2);
	CHECK_EQ_STR(n.upward[0].roster.region_code, "3707");
	CHECK_EQ_STR(n.upward[0].on_duty[0].person_name, "市值班员");
	CHECK_EQ_STR(n.upward[0].on_duty[0].phone, "139****0001");
	CHECK_EQ_STR(n.upward[1].roster.region_code, "370704");
	CHECK_EQ_INT(n.upward[1].n_on_duty, 2);
	CHECK_EQ_STR(n.upward[1].on_duty[0].post, "leader"); /* leaders first */
	CHECK_EQ_STR(n.upward[1].on_duty[1].person_name, "县夜班");
	CHECK_EQ_STR(n.upward[1].roster.duty_phone, "0536-8888888"); /* the duty room's line */
	duty_now_release(&n);
	/* at 08:00 the night shift has gone home and the township's day shift is on */
	CHECK_EQ_INT(duty_now(db, &county, "", "2020-02-02T08:00", 0, &n, &e), 0);
	CHECK_EQ_INT(n.n, 2); /* the county's own and its township's */
	CHECK_EQ_INT(n.units[0].n_on_duty, 0);
	CHECK_EQ_INT(n.units[1].n_on_duty, 1);
	CHECK_EQ_INT(n.units[1].officer_on_duty, 1);
	CHECK_EQ_INT(n.n_upward, 1);
	/* the night officer ended at 08:00 without a report (the leader files none of his own) */
	CHECK_EQ_INT(n.units[0].report_missing, 1);
	duty_now_release(&n);
	/* unmasked: the township has registry.unmask; audited */
	CHECK_EQ_INT(duty_now(db, &town, "", "2020-02-02T03:00", 1, &n, &e), 0);
	CHECK_EQ_STR(n.upward[0].on_duty[0].phone, "13900000001");
	duty_now_release(&n);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'duty.unmask'"), 1);
	db_close(db);
}

TEST(a_shift_reports_once_after_it_began_and_hands_over_to_the_next)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	int64_t r = roster(db, &county, "county", "370704", &e);
	int64_t day = shift(db, &county, r, "officer", "甲", "13800000001", "2020-02-01T08:00",
			    "2020-02-01T20:00", &e);
	int64_t night = shift(db, &county, r, "officer", "乙", "13800000002", "2020-02-01T20:00",
			      "2020-02-02T08:00", &e);
	int64_t lead = shift(db, &county, r, "leader", "丙", "13800000003", "2020-02-01T08:00",
			     "2020-02-02T08:00", &e);
	int64_t future = shift(db, &county, r, "officer", "丁", "13800000004", "2999-01-01T08:00",
			       "2999-01-01T20:00", &e);
	CHECK(day > 0 && night > 0 && lead > 0 && future > 0);
	CHECK_EQ_INT(duty_shift_report(db, &county, future, 1, "", &e), -1);
	CHECK_EQ_STR(e.code, "shift_not_started");
	CHECK_EQ_INT(duty_shift_report(db, &county, day, 1, "有事", &e), -1);
	CHECK_EQ_STR(e.field, "events");
	CHECK_EQ_INT(duty_shift_report(db, &county, day, 0, "", &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(duty_shift_report(db, &county, day, 1, "", &e), 0);
	CHECK_EQ_INT(duty_shift_report(db, &county, day, 0, "补报", &e), -1);
	CHECK_EQ_STR(e.code, "already_reported");
	CHECK_EQ_INT(duty_shift_report(db, &county, night, 0, "23:40 接市局通知，已转达各镇街", &e), 0);
	/* hand over: to the leader (another post) is refused, to the night shift accepted */
	int64_t h;
	CHECK_EQ_INT(duty_handover(db, &county, day, lead, "无", "2020-02-01T20:00", &h, &e), -1);
	CHECK_EQ_STR(e.field, "to_shift_id");
	CHECK_EQ_INT(duty_handover(db, &county, day, night, "市局通知待落实", "2020-02-01T07:00", &h, &e), -1);
	CHECK_EQ_STR(e.field, "at"); /* before the shift began */
	CHECK_EQ_INT(duty_handover(db, &county, day, night, "市局通知待落实", "2020-02-01T20:05", &h, &e), 0);
	CHECK_EQ_INT(duty_handover(db, &county, day, night, "again", "", &h, &e), -1);
	CHECK_EQ_STR(e.code, "already_handed_over");
	struct duty_shift s;
	CHECK_EQ_INT(duty_shift_get(db, &county, day, 0, &s, &e), 0);
	CHECK_EQ_STR(s.report_kind, "zero");
	CHECK_EQ_INT(s.handed_to, night);
	CHECK_EQ_STR(s.handover_notes, "市局通知待落实");
	CHECK_EQ_STR(s.phone, "138****0001");
	struct duty_handover_query hq;
	struct duty_handover_page hp;
	memset(&hq, 0, sizeof hq);
	CHECK_EQ_INT(duty_handover_list(db, &county, &hq, &hp, &e), 0);
	CHECK_EQ_INT(hp.total, 1);
	CHECK_EQ_STR(hp.items[0].from_person, "甲");
	CHECK_EQ_STR(hp.items[0].to_person, "乙");
	duty_handover_page_release(&hp);
	/* deleting: what has begun stays; a future shift goes */
	CHECK_EQ_INT(duty_shift_delete(db, &county, night, &e), -1);
	CHECK_EQ_STR(e.code, "shift_started");
	CHECK_EQ_INT(duty_shift_delete(db, &county, future, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM duty_shifts"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action IN ('duty.report', "
			   "'duty.handover', 'duty.shift.delete')"), 4);
	db_close(db);
}

TEST(another_county_gets_not_found)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct actor other = testactor_user(db, "c705", "county_staff", "370705");
	struct actor village = testactor_user(db, "vil", "village_worker", "370704003009");
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t r = roster(db, &county, "county", "370704", &e);
	int64_t s = shift(db, &county, r, "officer", "甲", "13800000001", "2020-02-01T08:00",
			  "2020-02-01T20:00", &e);
	struct duty_roster ro;
	struct duty_shift sh;
	CHECK_EQ_INT(duty_roster_get(db, &other, r, &ro, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(shift(db, &other, r, "officer", "乙", "13800000002", "2020-02-02T08:00",
			   "2020-02-02T20:00", &e), 0);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(duty_shift_report(db, &other, s, 1, "", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(duty_shift_get(db, &village, s, 0, &sh, &e), -1); /* no duty permission */
	CHECK_EQ_INT(e.status, 404);
	/* the inspector reads (institution.read) but neither writes nor unmasks */
	CHECK_EQ_INT(duty_shift_get(db, &insp, s, 0, &sh, &e), 0);
	CHECK_EQ_INT(duty_shift_get(db, &insp, s, 1, &sh, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(duty_shift_report(db, &insp, s, 1, "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	struct duty_roster_query rq;
	struct duty_roster_page rp;
	memset(&rq, 0, sizeof rq);
	CHECK_EQ_INT(duty_roster_list(db, &other, &rq, &rp, &e), 0);
	CHECK_EQ_INT(rp.total, 0);
	duty_roster_page_release(&rp);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM duty_reports"), 0);
	db_close(db);
}

UNIT_MAIN(times_parse_and_format, a_night_shift_covers_the_small_hours_of_the_next_day,
	  coverage_of_a_day_with_touching_shifts_is_complete,
	  coverage_lists_gaps_and_overlaps_as_maximal_spans, coverage_across_midnight_and_the_leap_day,
	  rosters_belong_to_a_unit_of_the_right_level_in_scope,
	  shifts_are_checked_and_the_same_person_is_not_twice_on_duty,
	  who_is_on_duty_now_with_the_units_above,
	  a_shift_reports_once_after_it_began_and_hands_over_to_the_next,
	  another_county_gets_not_found)
