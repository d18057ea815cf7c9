/* test_hotline_rules.c — the pure rules of hotlines and cases (src/hotline/hotline_rules.c): the
 * workflow's transitions, the child-protection scope (DOMAIN.md, Hotlines), closure and plan
 * checks, response-time and follow-up due times with the Asia/Shanghai arithmetic under them,
 * and the retention cut-off. Every expected value is worked out by hand beside the rule. */
#include "hotline/hotline_rules.h"
#include "unit.h"

#include <string.h>

/* ---- the workflow ---------------------------------------------------------------------- */

TEST(every_step_is_allowed_exactly_from_the_statuses_of_the_workflow)
{
	/* rows: intake assessed active closed; columns: the steps 1..11 in enum order
	 * (assess plan place place_end refer refer_answer resource followup assign close reopen) */
	static const int allowed[4][11] = {
		/* intake   */ {1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},
		/* assessed */ {1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0},
		/* active   */ {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0},
		/* closed   */ {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
	};
	for (int s = 0; s < 4; s++)
		for (int k = 1; k <= HOTLINE_STEP_MAX; k++) {
			enum hotline_status next = (enum hotline_status)99;
			int ok = hotline_step_allowed((enum hotline_status)s, (enum hotline_step)k, &next);
			if (ok != allowed[s][k - 1])
				fprintf(stderr, "  status %s step %s: %d\n",
					hotline_status_name((enum hotline_status)s),
					hotline_step_name((enum hotline_step)k), ok);
			CHECK_EQ_INT(ok, allowed[s][k - 1]);
			if (!ok)
				CHECK_EQ_INT(next, 99); /* untouched when refused */
		}
}

TEST(steps_move_the_case_intake_assessed_active_closed_and_reopen_sends_it_back)
{
	enum hotline_status n;
	CHECK(hotline_step_allowed(HOTLINE_INTAKE, HOTLINE_STEP_ASSESS, &n) && n == HOTLINE_ASSESSED);
	CHECK(hotline_step_allowed(HOTLINE_ASSESSED, HOTLINE_STEP_ASSESS, &n) && n == HOTLINE_ASSESSED);
	CHECK(hotline_step_allowed(HOTLINE_ACTIVE, HOTLINE_STEP_ASSESS, &n) && n == HOTLINE_ACTIVE);
	CHECK(hotline_step_allowed(HOTLINE_ASSESSED, HOTLINE_STEP_PLAN, &n) && n == HOTLINE_ACTIVE);
	CHECK(hotline_step_allowed(HOTLINE_ACTIVE, HOTLINE_STEP_PLACE, &n) && n == HOTLINE_ACTIVE);
	CHECK(hotline_step_allowed(HOTLINE_ACTIVE, HOTLINE_STEP_CLOSE, &n) && n == HOTLINE_CLOSED);
	CHECK(hotline_step_allowed(HOTLINE_ASSESSED, HOTLINE_STEP_CLOSE, &n) && n == HOTLINE_CLOSED);
	CHECK(hotline_step_allowed(HOTLINE_CLOSED, HOTLINE_STEP_REOPEN, &n) && n == HOTLINE_INTAKE);
	/* the refusals say what to do instead */
	CHECK(strstr(hotline_step_refusal(HOTLINE_INTAKE, HOTLINE_STEP_PLAN), "评估") != NULL);
	CHECK(strstr(hotline_step_refusal(HOTLINE_CLOSED, HOTLINE_STEP_FOLLOWUP), "重新开启") != NULL);
	CHECK(strstr(hotline_step_refusal(HOTLINE_INTAKE, HOTLINE_STEP_CLOSE), "评估") != NULL);
}

TEST(step_and_status_names_round_trip_and_routes_may_use_dashes)
{
	for (int k = 1; k <= HOTLINE_STEP_MAX; k++) {
		const char *name = hotline_step_name((enum hotline_step)k);
		CHECK(name != NULL);
		CHECK_EQ_INT(hotline_step_from_name(name), k);
		CHECK(hotline_step_label((enum hotline_step)k)[0] != '\0');
	}
	CHECK_EQ_INT(hotline_step_from_name("place-end"), HOTLINE_STEP_PLACE_END);
	CHECK_EQ_INT(hotline_step_from_name("refer-answer"), HOTLINE_STEP_REFER_ANSWER);
	CHECK_EQ_INT(hotline_step_from_name("open"), 0); /* opening is not a step on a case */
	CHECK_EQ_INT(hotline_step_from_name(""), 0);
	CHECK_EQ_INT(hotline_step_from_name(NULL), 0);
	for (int s = 0; s < 4; s++)
		CHECK_EQ_INT(hotline_status_from_name(hotline_status_name((enum hotline_status)s)), s);
	CHECK_EQ_INT(hotline_status_from_name("open"), -1);
}

/* ---- the child-protection scope -------------------------------------------------------- */

TEST(child_protection_scope_follows_the_guardians_situation)
{
	char why[200];
	/* DOMAIN.md: confirmed, suspected or isolated, away on epidemic duty, otherwise unable */
	CHECK_EQ_INT(hotline_child_in_scope("confirmed", 8, "", why, sizeof why), 1);
	CHECK_EQ_INT(hotline_child_in_scope("suspected", 8, "", why, sizeof why), 1);
	CHECK_EQ_INT(hotline_child_in_scope("isolated", 0, "", why, sizeof why), 1);
	CHECK_EQ_INT(hotline_child_in_scope("epidemic_duty", 17, "", why, sizeof why), 1);
	CHECK_EQ_INT(hotline_child_in_scope("unable_other", 5, "监护人住院", why, sizeof why), 1);
	CHECK_EQ_INT(why[0], '\0');
	/* "otherwise cannot care" needs the reason */
	CHECK_EQ_INT(hotline_child_in_scope("unable_other", 5, "  ", why, sizeof why), 0);
	CHECK(strstr(why, "说明") != NULL);
	/* a guardian who can care: out of scope */
	CHECK_EQ_INT(hotline_child_in_scope("none", 5, "", why, sizeof why), 0);
	CHECK(strstr(why, "能够照料") != NULL);
	/* not a child: 18 and over */
	CHECK_EQ_INT(hotline_child_in_scope("isolated", 18, "", why, sizeof why), 0);
	CHECK(strstr(why, "18") != NULL);
	/* age not known yet: a minor until the assessment knows */
	CHECK_EQ_INT(hotline_child_in_scope("isolated", -1, "", why, sizeof why), 1);
	CHECK_EQ_INT(hotline_child_in_scope("grandparents", 5, "", why, sizeof why), -1);
	CHECK_EQ_INT(hotline_child_in_scope(NULL, 5, "", why, sizeof why), -1);
}

TEST(a_case_closes_only_when_the_childs_care_is_settled)
{
	struct err e;
	CHECK_EQ_INT(hotline_close_check("child_protection", 1, "guardian_resumed", 0, 0, &e), 0);
	/* a placement still open */
	CHECK_EQ_INT(hotline_close_check("child_protection", 1, "guardian_resumed", 1, 0, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "placement_open");
	/* a referral still waiting for its answer */
	CHECK_EQ_INT(hotline_close_check("child_protection", 1, "referred", 0, 2, &e), -1);
	CHECK_EQ_STR(e.code, "referral_pending");
	/* guardian_resumed belongs to child protection */
	CHECK_EQ_INT(hotline_close_check("assistance", 1, "guardian_resumed", 0, 0, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "outcome");
	/* without a plan: only out of scope, referred or resolved */
	CHECK_EQ_INT(hotline_close_check("child_protection", 0, "out_of_scope", 0, 0, &e), 0);
	CHECK_EQ_INT(hotline_close_check("assistance", 0, "resolved", 0, 0, &e), 0);
	CHECK_EQ_INT(hotline_close_check("child_protection", 0, "placed_long_term", 0, 0, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	CHECK_EQ_INT(hotline_close_check("assistance", 1, "", 0, 0, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(hotline_close_check("assistance", 1, "done", 0, 0, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
}

TEST(no_plan_for_a_child_case_assessed_out_of_scope)
{
	struct err e;
	CHECK_EQ_INT(hotline_plan_check("child_protection", 1, &e), 0);
	CHECK_EQ_INT(hotline_plan_check("child_protection", 0, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_INT(hotline_plan_check("assistance", 0, &e), 0);
}

TEST(code_lists_find_codes_and_labels)
{
	CHECK_EQ_STR(hotline_code_label(hotline_situations, "epidemic_duty"), "监护人参与疫情防控工作");
	CHECK_EQ_STR(hotline_code_label(hotline_urgencies, "emergency"), "紧急");
	CHECK(hotline_code_find(hotline_call_outcomes, "case_opened") != NULL);
	CHECK(hotline_code_find(hotline_call_outcomes, "") == NULL);
	CHECK(hotline_code_find(hotline_placement_kinds, "none") == NULL); /* not a placement */
	CHECK_EQ_STR(hotline_code_label(hotline_risks, "x"), "");
}

/* ---- times ----------------------------------------------------------------------------- */

static const char *fmt(const char *in)
{
	static char out[32];
	int64_t t;
	if (hotline_time_parse(in, &t) < 0)
		return "bad";
	hotline_time_format(t, out);
	return out;
}

TEST(times_are_read_in_any_offset_and_written_in_the_bureaus_zone)
{
	CHECK_EQ_STR(fmt("2020-01-23T10:00"), "2020-01-23T10:00:00+08:00");
	CHECK_EQ_STR(fmt("2020-01-23 10:00:05"), "2020-01-23T10:00:05+08:00");
	CHECK_EQ_STR(fmt("2020-01-23T10:00:00+08:00"), "2020-01-23T10:00:00+08:00");
	/* 02:00 UTC is 10:00 in Shanghai; 20:30 UTC on the 22nd is 04:30 on the 23rd */
	CHECK_EQ_STR(fmt("2020-01-23T02:00:00Z"), "2020-01-23T10:00:00+08:00");
	CHECK_EQ_STR(fmt("2020-01-22T20:30:00Z"), "2020-01-23T04:30:00+08:00");
	CHECK_EQ_STR(fmt("2020-01-23T01:00:00-01:00"), "2020-01-23T10:00:00+08:00");
	CHECK_EQ_STR(fmt("2020-02-30T10:00"), "bad");
	CHECK_EQ_STR(fmt("2019-02-29T10:00"), "bad");
	CHECK_EQ_STR(fmt("2020-01-23T24:00"), "bad");
	CHECK_EQ_STR(fmt("2020-01-23"), "bad");
	CHECK_EQ_STR(fmt("2020-01-23T10:00+08"), "bad");
	CHECK_EQ_STR(fmt("2020-01-23T10:00:00+08:00x"), "bad");
	CHECK(hotline_date_valid("2020-02-29"));
	CHECK(!hotline_date_valid("2021-02-29"));
	CHECK(!hotline_date_valid("2020-02-29T10:00"));
}

TEST(the_assessment_is_due_the_response_time_after_opening)
{
	char due[32];
	/* child line, emergency, 30 minutes: across midnight */
	CHECK_EQ_INT(hotline_assess_due("2020-01-23T23:50:00+08:00", 30, due), 0);
	CHECK_EQ_STR(due, "2020-01-24T00:20:00+08:00");
	/* normal, 720 minutes = 12 hours */
	CHECK_EQ_INT(hotline_assess_due("2020-01-23T23:50:00+08:00", 720, due), 0);
	CHECK_EQ_STR(due, "2020-01-24T11:50:00+08:00");
	/* across the year's end, and into a leap day */
	CHECK_EQ_INT(hotline_assess_due("2019-12-31T23:00:00+08:00", 120, due), 0);
	CHECK_EQ_STR(due, "2020-01-01T01:00:00+08:00");
	CHECK_EQ_INT(hotline_assess_due("2020-02-28T23:30:00+08:00", 60, due), 0);
	CHECK_EQ_STR(due, "2020-02-29T00:30:00+08:00");
	/* 24 hours (1440) from 1 March 2020 08:00 */
	CHECK_EQ_INT(hotline_assess_due("2020-03-01T08:00:00+08:00", 1440, due), 0);
	CHECK_EQ_STR(due, "2020-03-02T08:00:00+08:00");
	CHECK_EQ_INT(hotline_assess_due("2020-03-01", 30, due), -1);
	CHECK_EQ_INT(hotline_assess_due("2020-03-01T08:00:00+08:00", -1, due), -1);
}

TEST(follow_ups_fall_due_the_interval_in_days_after_the_last_one)
{
	char due[11];
	/* 2020 is a leap year: 27 February + 3 days = 1 March */
	CHECK_EQ_INT(hotline_followup_due("2020-02-27", 3, due), 0);
	CHECK_EQ_STR(due, "2020-03-01");
	CHECK_EQ_INT(hotline_followup_due("2021-02-27", 3, due), 0);
	CHECK_EQ_STR(due, "2021-03-02");
	/* from a time: its day in Shanghai (17:00 UTC on the 28th is 01:00 on the 29th) */
	CHECK_EQ_INT(hotline_followup_due("2020-02-28T23:59:00+08:00", 3, due), 0);
	CHECK_EQ_STR(due, "2020-03-02");
	CHECK_EQ_INT(hotline_followup_due("2020-02-28T17:00:00Z", 1, due), 0);
	CHECK_EQ_STR(due, "2020-03-01");
	CHECK_EQ_INT(hotline_followup_due("2020-12-30", 7, due), 0);
	CHECK_EQ_STR(due, "2021-01-06");
	CHECK_EQ_INT(hotline_followup_due("2020-12-30", 0, due), -1);
	CHECK_EQ_INT(hotline_followup_due("2020-13-01", 3, due), -1);
}

TEST(minutes_between_and_ages)
{
	int ok = 0;
	CHECK_EQ_INT(hotline_minutes_between("2020-01-23T10:00:00+08:00", "2020-01-23T10:45:59+08:00",
					     &ok),
		     45);
	CHECK(ok);
	CHECK_EQ_INT(hotline_minutes_between("2020-01-23T10:00:00+08:00", "2020-01-23T02:30:00Z", &ok),
		     30);
	CHECK_EQ_INT(hotline_minutes_between("2020-01-23T10:30:00+08:00", "2020-01-23T10:00:00+08:00",
					     &ok),
		     -30);
	hotline_minutes_between("x", "2020-01-23T10:00:00+08:00", &ok);
	CHECK(!ok);
	/* a child born 2012-05-01 is 7 on 2020-04-30 and 8 on 2020-05-01 */
	CHECK_EQ_INT(hotline_age_on("2012-05-01", "2020-04-30"), 7);
	CHECK_EQ_INT(hotline_age_on("2012-05-01", "2020-05-01"), 8);
	CHECK_EQ_INT(hotline_age_on("2002-02-29", "2020-02-28"), -1); /* no such birth date */
	CHECK_EQ_INT(hotline_age_on("2004-02-29", "2022-02-28"), 17);
	CHECK_EQ_INT(hotline_age_on("2004-02-29", "2022-03-01"), 18);
	CHECK_EQ_INT(hotline_age_on("2021-01-01", "2020-01-01"), -1);
}

TEST(policy_keys_per_line_kind_and_urgency)
{
	CHECK_EQ_STR(hotline_response_key("child_protection", "emergency"),
		     "hotline_child_response_minutes_emergency");
	CHECK_EQ_STR(hotline_response_key("assistance", "normal"),
		     "hotline_assistance_response_minutes_normal");
	CHECK(hotline_response_key("assistance", "soon") == NULL);
	CHECK(hotline_response_key("elderly", "normal") == NULL);
	CHECK_EQ_STR(hotline_followup_key("child_protection"), "hotline_child_followup_days");
	CHECK(hotline_followup_key(NULL) == NULL);
}

TEST(call_records_are_kept_the_retention_months_and_never_less_than_three)
{
	char cut[32];
	/* 31 May less 3 months: 31 February does not exist, so the end of February (leap) */
	CHECK_EQ_INT(hotline_retention_cutoff("2020-05-31T10:00:00+08:00", 3, cut), 0);
	CHECK_EQ_STR(cut, "2020-02-29T10:00:00+08:00");
	CHECK_EQ_INT(hotline_retention_cutoff("2020-05-31T10:00:00+08:00", 6, cut), 0);
	CHECK_EQ_STR(cut, "2019-11-30T10:00:00+08:00");
	CHECK_EQ_INT(hotline_retention_cutoff("2020-03-15T00:30:00+08:00", 12, cut), 0);
	CHECK_EQ_STR(cut, "2019-03-15T00:30:00+08:00");
	/* given in UTC: 2020-03-14T16:30Z is 15 March 00:30 in Shanghai */
	CHECK_EQ_INT(hotline_retention_cutoff("2020-03-14T16:30:00Z", 3, cut), 0);
	CHECK_EQ_STR(cut, "2019-12-15T00:30:00+08:00");
	CHECK_EQ_INT(hotline_retention_cutoff("2020-05-31T10:00:00+08:00", 2, cut), -1);
}

UNIT_MAIN(every_step_is_allowed_exactly_from_the_statuses_of_the_workflow,
	  steps_move_the_case_intake_assessed_active_closed_and_reopen_sends_it_back,
	  step_and_status_names_round_trip_and_routes_may_use_dashes,
	  child_protection_scope_follows_the_guardians_situation,
	  a_case_closes_only_when_the_childs_care_is_settled,
	  no_plan_for_a_child_case_assessed_out_of_scope, code_lists_find_codes_and_labels,
	  times_are_read_in_any_offset_and_written_in_the_bureaus_zone,
	  the_assessment_is_due_the_response_time_after_opening,
	  follow_ups_fall_due_the_interval_in_days_after_the_last_one, minutes_between_and_ages,
	  policy_keys_per_line_kind_and_urgency,
	  call_records_are_kept_the_retention_months_and_never_less_than_three)
