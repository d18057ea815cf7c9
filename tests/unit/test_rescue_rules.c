/* test_rescue_rules.c — the rescue station's pure rules (src/rescue/rescue_rules.c): times in
 * Asia/Shanghai, isolation end dates with extensions and reductions, the stay limit, early leave
 * with and without a valid negative test, fever and the decision at intake, discharge details,
 * name masking. Expected values are worked out by hand beside each check (DOMAIN.md: fever
 * ≥ 37.3 °C, isolation 14 days, stay 10 days normally and 14 in the epidemic, test within 72 h).
 */
#include "rescue/rescue_rules.h"
#include "core/text.h"
#include "unit.h"

static int64_t at(const char *text)
{
	int64_t t = 0;
	if (rescue_time_parse(text, &t) < 0) {
		fprintf(stderr, "bad time %s\n", text);
		return 0;
	}
	return t;
}

static int has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* ---- times ---- */

TEST(time_is_shanghai_wall_clock)
{
	char out[RESCUE_TIME_SZ], date[RESCUE_DATE_SZ];
	/* 2020-02-01T21:30+08:00 = 13:30 UTC = 1580563800 */
	CHECK_EQ_INT(at("2020-02-01T21:30"), 1580563800);
	CHECK_EQ_INT(at("2020-02-01 21:30:00+08:00"), 1580563800);
	rescue_time_format(1580563800, out);
	CHECK_EQ_STR(out, "2020-02-01T21:30:00+08:00");
	/* 23:30 in Shanghai is still the 1st; 00:30 is the 2nd (16:30 UTC the day before) */
	rescue_time_date(at("2020-02-01T23:30"), date);
	CHECK_EQ_STR(date, "2020-02-01");
	rescue_time_date(at("2020-02-02T00:30"), date);
	CHECK_EQ_STR(date, "2020-02-02");
}

TEST(time_rejects_other_offsets_and_impossible_moments)
{
	int64_t t;
	CHECK(rescue_time_parse("2020-02-01T21:30+09:00", &t) < 0);
	CHECK(rescue_time_parse("2020-02-30T10:00", &t) < 0);
	CHECK(rescue_time_parse("2020-02-01T24:00", &t) < 0);
	CHECK(rescue_time_parse("2020-02-01", &t) < 0);
	CHECK(rescue_time_parse("", &t) < 0);
	CHECK(rescue_time_parse(NULL, &t) < 0);
}

/* ---- isolation end dates ---- */

TEST(isolation_ends_start_plus_period)
{
	char end[RESCUE_DATE_SZ];
	rescue_isolation_end("2020-02-01", 14, end); /* 1 Feb + 14 days */
	CHECK_EQ_STR(end, "2020-02-15");
	rescue_isolation_end("2020-02-20", 14, end); /* 2020 is a leap year: 29 Feb counts */
	CHECK_EQ_STR(end, "2020-03-05");
	rescue_isolation_end("2019-12-25", 14, end); /* across the year */
	CHECK_EQ_STR(end, "2020-01-08");
}

TEST(isolation_extension_and_reduction_keep_kind_and_need_reason)
{
	struct err e;
	const char *kind = NULL;
	/* planned 15 Feb; extended to 18 Feb */
	CHECK_EQ_INT(rescue_end_change_check("2020-02-01", "2020-02-15", "2020-02-18", "复检未出",
					     &kind, &e),
		     0);
	CHECK_EQ_STR(kind, "extend");
	/* then reduced to 8 Feb: a reduction */
	CHECK_EQ_INT(rescue_end_change_check("2020-02-01", "2020-02-18", "2020-02-08", "核实行程",
					     &kind, &e),
		     0);
	CHECK_EQ_STR(kind, "reduce");
	/* no reason */
	CHECK(rescue_end_change_check("2020-02-01", "2020-02-15", "2020-02-18", "  ", &kind, &e) <
	      0);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "reason");
	/* the same day again */
	CHECK(rescue_end_change_check("2020-02-01", "2020-02-15", "2020-02-15", "x", &kind, &e) <
	      0);
	CHECK_EQ_STR(e.field, "new_end");
	/* not after the start */
	CHECK(rescue_end_change_check("2020-02-01", "2020-02-15", "2020-02-01", "x", &kind, &e) <
	      0);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK(has(e.message, "2020-02-01"));
	/* not a date */
	CHECK(rescue_end_change_check("2020-02-01", "2020-02-15", "2020-02-30", "x", &kind, &e) <
	      0);
	CHECK_EQ_STR(e.code, "invalid_value");
}

/* ---- the stay ---- */

TEST(stay_limit_is_arrival_plus_limit_but_not_before_isolation_end)
{
	char until[RESCUE_DATE_SZ];
	rescue_stay_until("2020-02-01", 10, "", until); /* normal: 10 days */
	CHECK_EQ_STR(until, "2020-02-11");
	rescue_stay_until("2020-02-01", 14, "", until); /* epidemic: 14 days */
	CHECK_EQ_STR(until, "2020-02-15");
	/* 10 days but isolated for 14: nobody is put out in the middle of an isolation */
	rescue_stay_until("2020-02-01", 10, "2020-02-15", until);
	CHECK_EQ_STR(until, "2020-02-15");
	/* an isolation reduced to 5 days does not shorten the stay */
	rescue_stay_until("2020-02-01", 10, "2020-02-06", until);
	CHECK_EQ_STR(until, "2020-02-11");
}

TEST(maximum_stay_discharge_only_from_the_limit_on)
{
	struct err e;
	CHECK(rescue_max_stay_check("2020-02-11", "2020-02-10", &e) < 0);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "stay_not_reached");
	CHECK(has(e.message, "2020-02-11"));
	CHECK_EQ_INT(rescue_max_stay_check("2020-02-11", "2020-02-11", &e), 0);
	CHECK_EQ_INT(rescue_max_stay_check("2020-02-11", "2020-02-20", &e), 0);
}

TEST(stay_extension_needs_later_date_reason_and_approval)
{
	struct err e;
	CHECK_EQ_INT(rescue_stay_extend_check("2020-02-11", "2020-02-16", "等待接送", "站长", &e),
		     0);
	CHECK(rescue_stay_extend_check("2020-02-11", "2020-02-11", "等待接送", "站长", &e) < 0);
	CHECK_EQ_STR(e.field, "until");
	CHECK(rescue_stay_extend_check("2020-02-11", "2020-02-16", "等待接送", "", &e) < 0);
	CHECK_EQ_STR(e.field, "approved_by");
	CHECK(rescue_stay_extend_check("2020-02-11", "2020-02-16", "", "站长", &e) < 0);
	CHECK_EQ_STR(e.field, "reason");
}

/* ---- early leave ---- */

TEST(early_leave_without_any_test_is_refused)
{
	struct err e;
	int early = -1, used = 7;
	/* planned end 15 Feb, leaving 5 Feb */
	CHECK(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00"), NULL, 0, 72, &early,
				       &used, &e) < 0);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "negative_test_required");
	CHECK(has(e.message, "2020-02-15"));
	CHECK(has(e.message, "72 小时"));
	CHECK(has(e.message, "没有检测记录"));
	CHECK_EQ_INT(early, 1);
	CHECK_EQ_INT(used, -1);
}

TEST(early_leave_with_a_recent_negative_test_is_allowed)
{
	struct err e;
	int early = 0, used = -1;
	struct rescue_test_rec t[] = {{at("2020-02-04T09:00"), 0}}; /* 25 h before leaving */
	CHECK_EQ_INT(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00"), t, 1, 72,
					      &early, &used, &e),
		     0);
	CHECK_EQ_INT(early, 1);
	CHECK_EQ_INT(used, 0);
}

TEST(early_leave_window_is_inclusive_to_the_second)
{
	struct err e;
	/* sampled exactly 72 h before: allowed; one second more: refused */
	struct rescue_test_rec t[] = {{at("2020-02-02T10:00"), 0}};
	CHECK_EQ_INT(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00"), t, 1, 72, NULL,
					      NULL, &e),
		     0);
	CHECK(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00:01"), t, 1, 72, NULL,
				       NULL, &e) < 0);
	CHECK_EQ_STR(e.code, "negative_test_required");
	CHECK(has(e.message, "已超过 72 小时"));
	CHECK(has(e.message, "2020-02-02 10:00"));
	/* the window is a parameter: 96 h lets the same test through */
	CHECK_EQ_INT(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00:01"), t, 1, 96,
					      NULL, NULL, &e),
		     0);
}

TEST(early_leave_counts_the_latest_test_only)
{
	struct err e;
	int used = -1;
	/* negative, then positive: the positive is the latest → refused, go to hospital */
	struct rescue_test_rec np[] = {{at("2020-02-03T09:00"), 0}, {at("2020-02-04T09:00"), 1}};
	CHECK(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00"), np, 2, 72, NULL, &used,
				       &e) < 0);
	CHECK(has(e.message, "阳性"));
	/* positive, then negative: the negative is the latest → allowed, that test used */
	struct rescue_test_rec pn[] = {{at("2020-02-03T09:00"), 1}, {at("2020-02-04T09:00"), 0}};
	CHECK_EQ_INT(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00"), pn, 2, 72, NULL,
					      &used, &e),
		     0);
	CHECK_EQ_INT(used, 1);
	/* a test sampled after the moment of leaving does not count */
	struct rescue_test_rec later[] = {{at("2020-02-05T11:00"), 0}};
	CHECK(rescue_early_leave_check("2020-02-15", at("2020-02-05T10:00"), later, 1, 72, NULL,
				       NULL, &e) < 0);
	CHECK(has(e.message, "没有检测记录"));
}

TEST(leaving_on_or_after_the_planned_end_needs_no_test)
{
	struct err e;
	int early = 1;
	/* the planned end day itself, first thing in the morning */
	CHECK_EQ_INT(rescue_early_leave_check("2020-02-15", at("2020-02-15T00:00"), NULL, 0, 72,
					      &early, NULL, &e),
		     0);
	CHECK_EQ_INT(early, 0);
	/* the evening before is still early */
	CHECK(rescue_early_leave_check("2020-02-15", at("2020-02-14T23:59"), NULL, 0, 72, &early,
				       NULL, &e) < 0);
	CHECK_EQ_INT(early, 1);
	/* no isolation at all */
	CHECK_EQ_INT(
	    rescue_early_leave_check("", at("2020-02-05T10:00"), NULL, 0, 72, &early, NULL, &e), 0);
}

/* ---- fever and the decision at intake ---- */

static struct rescue_screening screening(int64_t temp, const char *risk, const char *decision)
{
	struct rescue_screening s = {.temperature_tenths = temp,
				     .fever_threshold = 373,
				     .risk = risk,
				     .decision = decision,
				     .room_id = 1};
	return s;
}

TEST(fever_is_at_or_above_the_threshold)
{
	CHECK(rescue_is_fever(373, 373)); /* 37.3 °C */
	CHECK(rescue_is_fever(385, 373));
	CHECK(!rescue_is_fever(372, 373)); /* 37.2 °C */
}

TEST(fever_must_be_referred_to_hospital_with_a_report)
{
	struct err e;
	struct rescue_screening s = screening(375, "low", "admit");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "fever_referral_required");
	CHECK(has(e.message, "37.5"));
	CHECK(has(e.message, "37.3"));
	s = screening(375, "low", "isolate");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.code, "fever_referral_required");
	s = screening(375, "low", "refuse"); /* nor turned away */
	s.reason = "x";
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.code, "fever_referral_required");
	s = screening(375, "low", "hospital"); /* hospital, but not reported */
	s.hospital = "人民医院";
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "report_to");
	s.report_to = "市疫情防控指挥部";
	CHECK_EQ_INT(rescue_screening_check(&s, &e), 0);
	/* 37.2 °C is no fever: admission is fine */
	s = screening(372, "low", "admit");
	CHECK_EQ_INT(rescue_screening_check(&s, &e), 0);
}

TEST(risk_areas_and_unverifiable_status_must_be_isolated)
{
	struct err e;
	struct rescue_screening s = screening(365, "medium_high", "admit");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.code, "isolation_required");
	CHECK(has(e.message, "中高风险"));
	s = screening(365, "unverifiable", "admit");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.code, "isolation_required");
	CHECK(has(e.message, "无法核实"));
	s = screening(365, "medium_high", "isolate");
	CHECK_EQ_INT(rescue_screening_check(&s, &e), 0);
}

TEST(decisions_need_their_details)
{
	struct err e;
	struct rescue_screening s = screening(365, "low", "refuse");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.field, "reason");
	s = screening(365, "low", "admit");
	s.room_id = 0;
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.field, "room_id");
	s = screening(365, "low", "stay");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.field, "decision");
	s = screening(365, "high", "admit");
	CHECK(rescue_screening_check(&s, &e) < 0);
	CHECK_EQ_STR(e.field, "risk");
}

/* ---- discharge ---- */

TEST(discharge_kinds_need_their_papers)
{
	struct err e;
	struct rescue_discharge_rec d = {.kind = "return_home", .destination = "济南"};
	CHECK(rescue_discharge_check(&d, &e) < 0);
	CHECK_EQ_STR(e.field, "ticket");
	d.ticket = "K1234 次";
	CHECK_EQ_INT(rescue_discharge_check(&d, &e), 0);
	struct rescue_discharge_rec v = {.kind = "voluntary"};
	CHECK(rescue_discharge_check(&v, &e) < 0);
	CHECK_EQ_STR(e.code, "declaration_required");
	v.declaration_signed = 1;
	CHECK_EQ_INT(rescue_discharge_check(&v, &e), 0);
	struct rescue_discharge_rec t = {.kind = "transfer"};
	CHECK(rescue_discharge_check(&t, &e) < 0);
	CHECK_EQ_STR(e.field, "transfer_to");
	struct rescue_discharge_rec x = {.kind = "escaped"};
	CHECK(rescue_discharge_check(&x, &e) < 0);
	CHECK_EQ_STR(e.code, "invalid_value");
}

/* ---- personal data ---- */

TEST(names_are_masked_after_the_first_character)
{
	char out[64];
	text_mask_name("张三丰", out, sizeof out);
	CHECK_EQ_STR(out, "张**");
	text_mask_name("李", out, sizeof out);
	CHECK_EQ_STR(out, "李*");
	text_mask_name("", out, sizeof out);
	CHECK_EQ_STR(out, "");
	text_mask_name("Ann", out, sizeof out);
	CHECK_EQ_STR(out, "A**");
}

TEST(family_search_is_due_hours_after_arrival)
{
	char out[RESCUE_TIME_SZ];
	rescue_time_format(rescue_family_search_due(at("2020-02-01T21:30"), 24), out);
	CHECK_EQ_STR(out, "2020-02-02T21:30:00+08:00");
}

UNIT_MAIN(time_is_shanghai_wall_clock, time_rejects_other_offsets_and_impossible_moments,
	  isolation_ends_start_plus_period,
	  isolation_extension_and_reduction_keep_kind_and_need_reason,
	  stay_limit_is_arrival_plus_limit_but_not_before_isolation_end,
	  maximum_stay_discharge_only_from_the_limit_on,
	  stay_extension_needs_later_date_reason_and_approval,
	  early_leave_without_any_test_is_refused,
	  early_leave_with_a_recent_negative_test_is_allowed,
	  early_leave_window_is_inclusive_to_the_second, early_leave_counts_the_latest_test_only,
	  leaving_on_or_after_the_planned_end_needs_no_test, fever_is_at_or_above_the_threshold,
	  fever_must_be_referred_to_hospital_with_a_report,
	  risk_areas_and_unverifiable_status_must_be_isolated, decisions_need_their_details,
	  discharge_kinds_need_their_papers, names_are_masked_after_the_first_character,
	  family_search_is_due_hours_after_arrival)
