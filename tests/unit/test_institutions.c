/* test_institutions.c — the institutions module's pure rules (institutions_rules.c): dates and
 * deadlines, lateness at the boundary, open and closed-management periods, report validation
 * (blank is not zero), what a zero report carries, which alerts a report raises, alert states,
 * the record of a correction, and the completeness / timeliness arithmetic. Each expected value
 * is worked out by hand beside the rule it comes from. */
#include "unit.h"

#include "institutions/institutions.h"

#include <string.h>

#define BIT(f) (1u << (f))

static const struct institutions_type *T(const char *code)
{
	return institutions_type_find(code);
}

/* A complete daily report for 80 residents and 20 staff, nothing abnormal. */
static struct institutions_report_in daily(void)
{
	struct institutions_report_in in;
	memset(&in, 0, sizeof in);
	snprintf(in.report_date, sizeof in.report_date, "2020-03-01");
	snprintf(in.kind, sizeof in.kind, "daily");
	int64_t v[INSTITUTIONS_NFIELDS] = {80, 20, 0, 0, 100, 0, 0, 0, 0, 0, 30};
	memcpy(in.v, v, sizeof v);
	in.present = (1u << INSTITUTIONS_NFIELDS) - 1;
	return in;
}

TEST(types_and_fields_are_the_domain_list)
{
	int n;
	const struct institutions_type *t = institutions_types(&n);
	CHECK_EQ_INT(n, 7);
	CHECK_EQ_STR(t[0].code, "elderly_home");
	CHECK_EQ_STR(T("funeral_home")->deadline_key, "institution_deadline_funeral_home");
	CHECK(T("elderly_home")->has_residents);
	CHECK(!T("marriage_office")->has_residents);
	CHECK(T("nursing") == NULL);
	CHECK_EQ_INT(institutions_field_index("temperature_checks"), INST_CHECKS);
	CHECK_EQ_INT(institutions_field_index("nope"), -1);
}

TEST(dates_are_checked_and_counted_in_days)
{
	CHECK(institutions_date_valid("2020-02-29"));  /* 2020 is a leap year */
	CHECK(!institutions_date_valid("2019-02-29"));
	CHECK(!institutions_date_valid("2100-02-29")); /* a century, not divisible by 400 */
	CHECK(institutions_date_valid("2000-02-29"));
	CHECK(!institutions_date_valid("2020-13-01"));
	CHECK(!institutions_date_valid("2020-3-01"));
	CHECK(!institutions_date_valid(NULL));
	CHECK_EQ_INT(institutions_day("1970-01-02"), 1);
	/* 2020-01-24..2020-04-26: 8 + 29 + 31 + 26 = 94 days */
	CHECK_EQ_INT(institutions_day("2020-04-26") - institutions_day("2020-01-24") + 1, 94);
	char out[11];
	institutions_date_add("2020-02-28", 2, out);
	CHECK_EQ_STR(out, "2020-03-01");
	institutions_date_add("2020-01-01", -1, out);
	CHECK_EQ_STR(out, "2019-12-31");
	CHECK(institutions_at_valid("2020-03-01T09:58:00+08:00"));
	CHECK(!institutions_at_valid("2020-03-01T24:00:00+08:00"));
	CHECK(!institutions_at_valid("2020-03-01T09:58:00Z"));
	CHECK(!institutions_at_valid("2020-03-01 09:58:00+08:00"));
}

TEST(deadline_is_minutes_after_the_report_days_midnight)
{
	char d[32];
	institutions_deadline_at("2020-03-01", 600, d); /* 600 = 10 h */
	CHECK_EQ_STR(d, "2020-03-01T10:00:00+08:00");
	institutions_deadline_at("2020-03-01", 0, d);
	CHECK_EQ_STR(d, "2020-03-01T00:00:00+08:00");
	institutions_deadline_at("2020-03-01", 1439, d);
	CHECK_EQ_STR(d, "2020-03-01T23:59:00+08:00");
	institutions_deadline_at("2020-02-29", 1440, d); /* by the end of the day: the next midnight */
	CHECK_EQ_STR(d, "2020-03-01T00:00:00+08:00");
}

TEST(a_report_at_the_deadline_is_on_time_a_second_later_is_late)
{
	const char *dl = "2020-03-01T10:00:00+08:00";
	CHECK(institutions_on_time("2020-03-01T09:59:59+08:00", dl));
	CHECK(institutions_on_time("2020-03-01T10:00:00+08:00", dl));
	CHECK(!institutions_on_time("2020-03-01T10:00:01+08:00", dl));
	CHECK(!institutions_on_time("2020-03-02T08:00:00+08:00", dl)); /* filed the next day */
}

TEST(open_period_includes_the_opening_day_not_the_closing_day)
{
	CHECK(!institutions_open_on("2020-03-01", "", "2020-02-29"));
	CHECK(institutions_open_on("2020-03-01", "", "2020-03-01"));
	CHECK(institutions_open_on("2020-03-01", "2020-03-10", "2020-03-09"));
	CHECK(!institutions_open_on("2020-03-01", "2020-03-10", "2020-03-10"));
	/* closed management: both ends inclusive, no end = ongoing */
	CHECK(!institutions_cm_on("", "", "2020-03-01"));
	CHECK(institutions_cm_on("2020-01-24", "", "2020-04-26"));
	CHECK(institutions_cm_on("2020-01-24", "2020-03-01", "2020-03-01"));
	CHECK(!institutions_cm_on("2020-01-24", "2020-03-01", "2020-03-02"));
}

TEST(day_status_before_and_after_the_deadline)
{
	const char *dl = "2020-03-01T10:00:00+08:00";
	CHECK_EQ_STR(institutions_day_status(1, 0, 0, "2020-03-01T09:30:00+08:00", dl), "due");
	CHECK_EQ_STR(institutions_day_status(1, 0, 0, "2020-03-01T10:05:00+08:00", dl), "overdue");
	CHECK_EQ_STR(institutions_day_status(1, 1, 1, "2020-03-01T10:05:00+08:00", dl), "on_time");
	CHECK_EQ_STR(institutions_day_status(1, 1, 0, "2020-03-01T10:05:00+08:00", dl), "late");
	CHECK_EQ_STR(institutions_day_status(0, 0, 0, "2020-03-01T10:05:00+08:00", dl), "closed");
}

TEST(a_complete_daily_report_passes)
{
	struct institutions_report_in in = daily();
	struct err e;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), 0);
	in.present &= ~BIT(INST_GOODS_DAYS); /* goods on hand is optional */
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), 0);
}

TEST(a_blank_field_is_not_zero)
{
	struct institutions_report_in in = daily();
	struct err e;
	in.present &= ~BIT(INST_FEVER);
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "fever");
	CHECK_EQ_INT(e.status, 400);
}

TEST(counts_must_be_consistent)
{
	struct institutions_report_in in = daily();
	struct err e;
	in.v[INST_CHECKS] = 101; /* 80 + 20 = 100 on site */
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "temperature_checks");
	in = daily();
	in.v[INST_CHECKS] = 10;
	in.v[INST_FEVER] = 11;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "fever");
	in = daily();
	in.v[INST_CONFIRMED] = 101;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "confirmed");
	in = daily();
	in.v[INST_DEATHS] = -1;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	in = daily();
	in.v[INST_GOODS_DAYS] = INSTITUTIONS_MAX_GOODS_DAYS + 1;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	in = daily();
	snprintf(in.kind, sizeof in.kind, "weekly");
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "kind");
	in = daily();
	snprintf(in.report_date, sizeof in.report_date, "2020-02-30");
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "report_date");
}

TEST(types_without_residents_report_staff_only)
{
	struct institutions_report_in in = daily();
	struct err e;
	/* a marriage office has no residents: 80 residents present is refused */
	CHECK_EQ_INT(institutions_report_check(T("marriage_office"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "residents_present");
	in = daily();
	in.present &= ~(BIT(INST_RESIDENTS) | BIT(INST_ADMISSIONS) | BIT(INST_DEPARTURES));
	in.v[INST_CHECKS] = 20; /* the staff only */
	CHECK_EQ_INT(institutions_report_check(T("marriage_office"), &in, &e), 0);
	in.v[INST_CHECKS] = 21;
	CHECK_EQ_INT(institutions_report_check(T("marriage_office"), &in, &e), -1);
}

TEST(a_zero_report_takes_only_the_confirmed_headcounts)
{
	struct institutions_report_in in;
	struct err e;
	memset(&in, 0, sizeof in);
	snprintf(in.report_date, sizeof in.report_date, "2020-03-01");
	snprintf(in.kind, sizeof in.kind, "zero");
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), 0); /* one tap */
	in.present = BIT(INST_RESIDENTS) | BIT(INST_STAFF);
	in.v[INST_RESIDENTS] = 80;
	in.v[INST_STAFF] = 20;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), 0);
	in.present |= BIT(INST_FEVER);
	in.v[INST_FEVER] = 1;
	CHECK_EQ_INT(institutions_report_check(T("elderly_home"), &in, &e), -1);
	CHECK_EQ_STR(e.field, "fever");
}

TEST(zero_report_carries_headcounts_and_goods)
{
	int64_t carry[INSTITUTIONS_NFIELDS] = {0}, v[INSTITUTIONS_NFIELDS];
	uint32_t present;
	carry[INST_RESIDENTS] = 80;
	carry[INST_STAFF] = 20;
	carry[INST_GOODS_DAYS] = 30;
	institutions_zero_values(T("elderly_home"), carry,
				 BIT(INST_RESIDENTS) | BIT(INST_STAFF) | BIT(INST_GOODS_DAYS), v,
				 &present);
	CHECK_EQ_INT(v[INST_RESIDENTS], 80);
	CHECK_EQ_INT(v[INST_STAFF], 20);
	CHECK_EQ_INT(v[INST_CHECKS], 100); /* everyone on site checked */
	CHECK_EQ_INT(v[INST_FEVER], 0);
	CHECK_EQ_INT(v[INST_GOODS_DAYS], 30);
	CHECK(present & BIT(INST_DEATHS));
	CHECK(present & BIT(INST_GOODS_DAYS));
	/* goods never reported: left blank, not zero */
	institutions_zero_values(T("elderly_home"), carry, BIT(INST_RESIDENTS) | BIT(INST_STAFF), v,
				 &present);
	CHECK(!(present & BIT(INST_GOODS_DAYS)));
	/* a funeral home: staff only */
	institutions_zero_values(T("funeral_home"), carry, BIT(INST_RESIDENTS) | BIT(INST_STAFF), v,
				 &present);
	CHECK_EQ_INT(v[INST_RESIDENTS], 0);
	CHECK(!(present & BIT(INST_RESIDENTS)));
	CHECK_EQ_INT(v[INST_CHECKS], 20);
}

TEST(any_case_count_above_zero_raises_a_health_alert)
{
	struct institutions_report_in in = daily();
	char h[256], m[256];
	int64_t base[INSTITUTIONS_NFIELDS];
	memcpy(base, in.v, sizeof base);
	CHECK_EQ_INT(institutions_alert_check(in.v, base, 1, h, sizeof h, m, sizeof m), 0);
	static const int f[] = {INST_FEVER, INST_SUSPECTED, INST_CONFIRMED, INST_ISOLATED,
				INST_DEATHS};
	for (int i = 0; i < 5; i++) {
		in = daily();
		in.v[f[i]] = 1;
		CHECK_EQ_INT(institutions_alert_check(in.v, base, 0, h, sizeof h, m, sizeof m),
			     INST_ALERT_HEALTH);
	}
	in = daily();
	in.v[INST_FEVER] = 2;
	in.v[INST_ISOLATED] = 1;
	institutions_alert_check(in.v, base, 0, h, sizeof h, m, sizeof m);
	CHECK_EQ_STR(h, "发热 2 人，隔离观察 1 人");
}

TEST(movement_alerts_only_under_closed_management)
{
	struct institutions_report_in in = daily();
	char h[256], m[256];
	int64_t base[INSTITUTIONS_NFIELDS];
	memcpy(base, in.v, sizeof base);
	in.v[INST_RESIDENTS] = 79;
	in.v[INST_DEPARTURES] = 1;
	CHECK_EQ_INT(institutions_alert_check(in.v, base, 1, h, sizeof h, m, sizeof m),
		     INST_ALERT_MOVEMENT);
	CHECK_EQ_STR(m, "在院人数 80→79，离开 1 人");
	CHECK_EQ_INT(institutions_alert_check(in.v, base, 0, h, sizeof h, m, sizeof m), 0);
	in = daily();
	in.v[INST_STAFF] = 21; /* a staff member came in */
	CHECK_EQ_INT(institutions_alert_check(in.v, base, 1, h, sizeof h, m, sizeof m),
		     INST_ALERT_MOVEMENT);
	in = daily();
	in.v[INST_ADMISSIONS] = 1; /* admitted and one left: same count, still a movement */
	in.v[INST_DEPARTURES] = 1;
	CHECK_EQ_INT(institutions_alert_check(in.v, base, 1, h, sizeof h, m, sizeof m),
		     INST_ALERT_MOVEMENT);
}

TEST(alerts_are_acknowledged_before_they_are_closed)
{
	struct err e;
	CHECK_EQ_INT(institutions_alert_transition("open", "ack", &e), 0);
	CHECK_EQ_INT(institutions_alert_transition("open", "close", &e), -1);
	CHECK_EQ_STR(e.code, "alert_state");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(institutions_alert_transition("acknowledged", "close", &e), 0);
	CHECK_EQ_INT(institutions_alert_transition("acknowledged", "ack", &e), -1);
	CHECK_EQ_INT(institutions_alert_transition("closed", "close", &e), -1);
	CHECK_EQ_INT(institutions_alert_transition("closed", "ack", &e), -1);
}

TEST(a_correction_records_what_changed)
{
	struct institutions_report_in a = daily(), b = daily();
	char out[INSTITUTIONS_TRACE_SZ];
	b.v[INST_FEVER] = 1;
	b.present &= ~BIT(INST_GOODS_DAYS);
	int n = institutions_report_diff("zero", a.v, a.present, "", "daily", b.v, b.present, "复测",
					 out, sizeof out);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_STR(out, "{\"kind\":[\"zero\",\"daily\"],\"fever\":[0,1],\"goods_days\":[30,null],"
			  "\"note\":true}");
	CHECK_EQ_INT(institutions_report_diff("daily", a.v, a.present, "", "daily", a.v, a.present,
					      "", out, sizeof out),
		     0);
	CHECK_EQ_STR(out, "{}");
}

TEST(tallies_count_the_first_filing_and_follow_the_kind)
{
	struct institutions_tally d;
	institutions_tally_delta(0, 0, 0, 1, 1, &d); /* a zero report on time */
	CHECK_EQ_INT(d.received, 1);
	CHECK_EQ_INT(d.on_time, 1);
	CHECK_EQ_INT(d.zero, 1);
	institutions_tally_delta(1, 1, 1, 0, 0, &d); /* corrected to a daily report, later */
	CHECK_EQ_INT(d.received, 0);
	CHECK_EQ_INT(d.on_time, 0); /* timeliness is the first filing's */
	CHECK_EQ_INT(d.zero, -1);
	institutions_tally_delta(0, 0, 0, 0, 0, &d); /* a late daily report */
	CHECK_EQ_INT(d.received, 1);
	CHECK_EQ_INT(d.on_time, 0);
	CHECK_EQ_INT(d.zero, 0);
}

TEST(rates_are_basis_points_rounded_down)
{
	CHECK_EQ_INT(institutions_rate_bp(1, 3), 3333);
	CHECK_EQ_INT(institutions_rate_bp(2, 3), 6666);
	CHECK_EQ_INT(institutions_rate_bp(3, 3), 10000);
	CHECK_EQ_INT(institutions_rate_bp(0, 3), 0);
	CHECK_EQ_INT(institutions_rate_bp(0, 0), -1);
}

TEST(open_days_for_institutions_opening_and_closing_mid_period)
{
	int64_t f = institutions_day("2020-03-01"), t = institutions_day("2020-03-10");
	/* open all along: 10 days */
	CHECK_EQ_INT(institutions_open_days(institutions_day("2019-01-01"), -1, f, t), 10);
	/* opened 03-05: 05..10 = 6 days */
	CHECK_EQ_INT(institutions_open_days(institutions_day("2020-03-05"), -1, f, t), 6);
	/* closed 03-04 (not open that day): 01..03 = 3 days */
	CHECK_EQ_INT(institutions_open_days(institutions_day("2019-01-01"), institutions_day("2020-03-04"), f, t), 3);
	/* opened 03-03 and closed 03-08: 03..07 = 5 days */
	CHECK_EQ_INT(institutions_open_days(institutions_day("2020-03-03"), institutions_day("2020-03-08"), f, t), 5);
	/* closed before, opened after the period */
	CHECK_EQ_INT(institutions_open_days(institutions_day("2019-01-01"), institutions_day("2020-03-01"), f, t), 0);
	CHECK_EQ_INT(institutions_open_days(institutions_day("2020-03-11"), -1, f, t), 0);
}

UNIT_MAIN(types_and_fields_are_the_domain_list, dates_are_checked_and_counted_in_days,
	  deadline_is_minutes_after_the_report_days_midnight,
	  a_report_at_the_deadline_is_on_time_a_second_later_is_late,
	  open_period_includes_the_opening_day_not_the_closing_day,
	  day_status_before_and_after_the_deadline, a_complete_daily_report_passes,
	  a_blank_field_is_not_zero, counts_must_be_consistent,
	  types_without_residents_report_staff_only, a_zero_report_takes_only_the_confirmed_headcounts,
	  zero_report_carries_headcounts_and_goods, any_case_count_above_zero_raises_a_health_alert,
	  movement_alerts_only_under_closed_management, alerts_are_acknowledged_before_they_are_closed,
	  a_correction_records_what_changed, tallies_count_the_first_filing_and_follow_the_kind,
	  rates_are_basis_points_rounded_down, open_days_for_institutions_opening_and_closing_mid_period)
