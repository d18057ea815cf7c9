/* test_ledger_rules.c — the ledger's pure rules (src/ledger/ledger_rules.c): categories and what
 * brings a person in, the visit frequency of an entry (its most demanding category), due dates
 * and days overdue across months, years and leap days, visit modes, need kinds and how a need is
 * settled. Every expected value is worked by hand beside the rule it comes from. */
#include "unit.h"

#include "ledger/ledger.h"
#include "registry/registry.h"

#include <string.h>

/* The demo parameters (policy_store.c demo_values), in enum order. */
static const int demo_days[LEDGER_NCAT] = {7, 14, 7, 7, 7, 14, 14, 7, 3, 1, 30, 14, 30};

TEST(every_registry_tag_brings_its_category)
{
	/* the tag words of registry_rules.c: each is a hardship category of its own name */
	static const char *const tags[] = {"elderly_alone",	  "left_behind_child",
					   "orphan",		  "unsupported_child",
					   "child_in_difficulty",  "severely_disabled",
					   "seriously_ill",	  "covid_patient_family",
					   "isolated_family",	  "left_behind_elderly"};
	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		CHECK(registry_tag_valid(tags[i]));
		int c = ledger_category_find(tags[i]);
		CHECK(c >= 0);
		CHECK_EQ_INT(ledger_category_for_tag(tags[i]), c >= 0 ? LEDGER_CAT_BIT(c) : 0);
	}
	CHECK_EQ_INT(ledger_category_for_tag("no_such_tag"), 0);
	CHECK_EQ_INT(ledger_category_for_tag(NULL), 0);
}

TEST(assistance_programs_bring_their_categories)
{
	CHECK_EQ_INT(ledger_category_for_program("dibao"), LEDGER_CAT_BIT(LEDGER_CAT_DIBAO));
	CHECK_EQ_INT(ledger_category_for_program("tekun"), LEDGER_CAT_BIT(LEDGER_CAT_TEKUN));
	CHECK_EQ_INT(ledger_category_for_program("orphan"), LEDGER_CAT_BIT(LEDGER_CAT_ORPHAN));
	CHECK_EQ_INT(ledger_category_for_program("unsupported_child"),
		     LEDGER_CAT_BIT(LEDGER_CAT_UNSUPPORTED_CHILD));
	CHECK_EQ_INT(ledger_category_for_program("temp_relief"), 0);
}

TEST(category_table_has_unique_codes_labels_and_parameters)
{
	const struct ledger_category_def *d = ledger_category_defs();
	for (int i = 0; i < LEDGER_NCAT; i++) {
		CHECK(d[i].code && d[i].label && d[i].policy_key);
		CHECK_EQ_INT(ledger_category_find(d[i].code), i);
		CHECK(strncmp(d[i].policy_key, "ledger_visit_days_", 18) == 0);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(d[i].code, d[j].code) != 0);
	}
	/* the rolls decide 低保 and 特困; the rest may be recorded by hand */
	CHECK(!d[LEDGER_CAT_DIBAO].manual);
	CHECK(!d[LEDGER_CAT_TEKUN].manual);
	CHECK(d[LEDGER_CAT_OTHER].manual && d[LEDGER_CAT_ELDERLY_ALONE].manual);
	CHECK_EQ_INT(ledger_category_find("nope"), -1);
}

TEST(parsing_categories_refuses_unknown_codes_and_hand_recorded_rolls)
{
	struct err e;
	unsigned mask = 0;
	const char *ok[] = {"elderly_alone", "other", "elderly_alone"};
	CHECK_EQ_INT(ledger_categories_parse(ok, 3, 1, "categories", &mask, &e), 0);
	CHECK_EQ_INT(mask, LEDGER_CAT_BIT(LEDGER_CAT_ELDERLY_ALONE) | LEDGER_CAT_BIT(LEDGER_CAT_OTHER));
	const char *roll[] = {"other", "dibao"};
	CHECK_EQ_INT(ledger_categories_parse(roll, 2, 1, "categories", &mask, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "categories[1]");
	/* not by hand: the sync may give it */
	CHECK_EQ_INT(ledger_categories_parse(roll, 2, 0, "categories", &mask, &e), 0);
	const char *bad[] = {"martian"};
	CHECK_EQ_INT(ledger_categories_parse(bad, 1, 0, "categories", &mask, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "categories[0]");
}

TEST(the_most_demanding_category_sets_the_frequency)
{
	struct err e;
	int days = 0, cat = -1;
	/* 独居老人 7 + 低保 30 → 7 */
	unsigned m = LEDGER_CAT_BIT(LEDGER_CAT_ELDERLY_ALONE) | LEDGER_CAT_BIT(LEDGER_CAT_DIBAO);
	CHECK_EQ_INT(ledger_frequency(m, demo_days, &days, &cat, &e), 0);
	CHECK_EQ_INT(days, 7);
	CHECK_EQ_INT(cat, LEDGER_CAT_ELDERLY_ALONE);
	/* 重度残疾 14 + 特困 14 + 隔离家庭 1 → 1 */
	m = LEDGER_CAT_BIT(LEDGER_CAT_SEVERELY_DISABLED) | LEDGER_CAT_BIT(LEDGER_CAT_TEKUN) |
	    LEDGER_CAT_BIT(LEDGER_CAT_ISOLATED_FAMILY);
	CHECK_EQ_INT(ledger_frequency(m, demo_days, &days, &cat, &e), 0);
	CHECK_EQ_INT(days, 1);
	CHECK_EQ_INT(cat, LEDGER_CAT_ISOLATED_FAMILY);
	/* a tie keeps the first category in table order: 留守老人 14 before 重度残疾 14 */
	m = LEDGER_CAT_BIT(LEDGER_CAT_SEVERELY_DISABLED) | LEDGER_CAT_BIT(LEDGER_CAT_LEFT_BEHIND_ELDERLY);
	CHECK_EQ_INT(ledger_frequency(m, demo_days, &days, &cat, &e), 0);
	CHECK_EQ_INT(days, 14);
	CHECK_EQ_INT(cat, LEDGER_CAT_LEFT_BEHIND_ELDERLY);
	/* a lone 低保 household: 30 */
	CHECK_EQ_INT(ledger_frequency(LEDGER_CAT_BIT(LEDGER_CAT_DIBAO), demo_days, &days, NULL, &e), 0);
	CHECK_EQ_INT(days, 30);
}

TEST(no_category_or_a_missing_parameter_is_an_error)
{
	struct err e;
	int days = 99;
	CHECK_EQ_INT(ledger_frequency(0, demo_days, &days, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "no_category");
	int missing[LEDGER_NCAT];
	memcpy(missing, demo_days, sizeof missing);
	missing[LEDGER_CAT_ORPHAN] = 0;
	CHECK_EQ_INT(ledger_frequency(LEDGER_CAT_BIT(LEDGER_CAT_ORPHAN) |
					  LEDGER_CAT_BIT(LEDGER_CAT_DIBAO),
				      missing, &days, NULL, &e),
		     -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "policy_missing");
	CHECK(strstr(e.message, "孤儿") != NULL);
	/* a parameter missing for a category the entry does not have does not matter */
	CHECK_EQ_INT(ledger_frequency(LEDGER_CAT_BIT(LEDGER_CAT_DIBAO), missing, &days, NULL, &e), 0);
	CHECK_EQ_INT(days, 30);
}

TEST(dates_are_validated_day_by_day)
{
	CHECK(ledger_date_valid("2020-02-29"));  /* 2020 is a leap year */
	CHECK(!ledger_date_valid("2019-02-29"));
	CHECK(!ledger_date_valid("1900-02-29")); /* divisible by 100, not by 400 */
	CHECK(ledger_date_valid("2000-02-29"));	 /* divisible by 400 */
	CHECK(!ledger_date_valid("2020-04-31"));
	CHECK(!ledger_date_valid("2020-13-01"));
	CHECK(!ledger_date_valid("2020-1-01"));
	CHECK(!ledger_date_valid("2020/01/01"));
	CHECK(!ledger_date_valid(""));
	CHECK(!ledger_date_valid(NULL));
}

TEST(adding_days_crosses_months_years_and_leap_days)
{
	char out[11];
	CHECK_EQ_INT(ledger_date_add("2020-02-25", 7, out), 0);
	CHECK_EQ_STR(out, "2020-03-03"); /* 25 + 7 = 32 − 29 days of February 2020 */
	CHECK_EQ_INT(ledger_date_add("2019-02-25", 7, out), 0);
	CHECK_EQ_STR(out, "2019-03-04"); /* 28 days in February 2019 */
	CHECK_EQ_INT(ledger_date_add("2019-12-28", 7, out), 0);
	CHECK_EQ_STR(out, "2020-01-04");
	CHECK_EQ_INT(ledger_date_add("2020-03-01", -1, out), 0);
	CHECK_EQ_STR(out, "2020-02-29");
	CHECK_EQ_INT(ledger_date_add("2020-01-01", 366, out), 0);
	CHECK_EQ_STR(out, "2021-01-01"); /* 2020 has 366 days */
	CHECK_EQ_INT(ledger_date_add("2020-02-30", 1, out), -1);
	CHECK_EQ_INT(ledger_date_diff("2020-03-01", "2020-02-01"), 29);
	CHECK_EQ_INT(ledger_date_diff("2021-03-01", "2021-02-01"), 28);
	CHECK_EQ_INT(ledger_date_diff("2020-01-01", "2020-04-30"), -120); /* 30 + 29 + 31 + 30 */
}

TEST(an_entry_never_visited_is_due_the_day_it_joined)
{
	char due[11];
	ledger_next_due("2020-01-01", "", 7, due);
	CHECK_EQ_STR(due, "2020-01-01");
	ledger_next_due("2020-01-01", NULL, 7, due);
	CHECK_EQ_STR(due, "2020-01-01");
}

TEST(a_visit_makes_the_next_due_after_the_frequency)
{
	char due[11];
	ledger_next_due("2020-01-01", "2020-02-27", 7, due);
	CHECK_EQ_STR(due, "2020-03-05"); /* 27 + 7 = 34 − 29 */
	ledger_next_due("2020-01-01", "2020-04-30", 1, due);
	CHECK_EQ_STR(due, "2020-05-01");
	/* no parameter in force: due again at once */
	ledger_next_due("2020-01-01", "2020-04-30", 0, due);
	CHECK_EQ_STR(due, "2020-04-30");
}

TEST(days_overdue_count_from_the_due_day)
{
	CHECK_EQ_INT(ledger_days_overdue("2020-03-08", "2020-03-10"), 2);
	CHECK_EQ_INT(ledger_days_overdue("2020-03-08", "2020-03-08"), 0); /* due today */
	CHECK_EQ_INT(ledger_days_overdue("2020-03-08", "2020-03-01"), -7);
	CHECK_EQ_INT(ledger_days_overdue("2020-02-28", "2020-03-01"), 2);
	CHECK_EQ_INT(ledger_days_overdue("garbage", "2020-03-01"), 0);
}

TEST(visit_modes_and_need_kinds)
{
	static const char *const modes[] = {"home", "phone", "wechat", "other", "survey"};
	for (size_t i = 0; i < 5; i++) {
		CHECK(ledger_mode_valid(modes[i]));
		CHECK(strlen(ledger_mode_label(modes[i])) > 0);
	}
	CHECK(!ledger_mode_valid("sms"));
	CHECK(!ledger_mode_valid(NULL));
	CHECK_EQ_STR(ledger_mode_label("home"), "入户走访");
	CHECK_EQ_STR(ledger_mode_label("survey"), "摸底登记");
	static const char *const kinds[] = {"food", "medicine", "masks", "care", "money", "other"};
	for (size_t i = 0; i < 6; i++)
		CHECK(ledger_need_kind_valid(kinds[i]));
	CHECK(!ledger_need_kind_valid("car"));
	CHECK_EQ_STR(ledger_need_kind_label("masks"), "口罩防护");
}

TEST(a_need_is_settled_once_as_met_or_unmet)
{
	struct err e;
	CHECK_EQ_INT(ledger_need_resolve_check("open", "met", &e), 0);
	CHECK_EQ_INT(ledger_need_resolve_check("open", "unmet", &e), 0);
	CHECK_EQ_INT(ledger_need_resolve_check("met", "met", &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "need_closed");
	CHECK_EQ_INT(ledger_need_resolve_check("unmet", "met", &e), -1);
	CHECK_EQ_STR(e.code, "need_closed");
	CHECK_EQ_INT(ledger_need_resolve_check("open", "done", &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "status");
}

UNIT_MAIN(every_registry_tag_brings_its_category, assistance_programs_bring_their_categories,
	  category_table_has_unique_codes_labels_and_parameters,
	  parsing_categories_refuses_unknown_codes_and_hand_recorded_rolls,
	  the_most_demanding_category_sets_the_frequency,
	  no_category_or_a_missing_parameter_is_an_error, dates_are_validated_day_by_day,
	  adding_days_crosses_months_years_and_leap_days,
	  an_entry_never_visited_is_due_the_day_it_joined,
	  a_visit_makes_the_next_due_after_the_frequency, days_overdue_count_from_the_due_day,
	  visit_modes_and_need_kinds, a_need_is_settled_once_as_met_or_unmet)
