/* test_marriage_rules.c — the marriage module's pure rules: weekly hours and the slots they give,
 * capacity under the dated epidemic rules, the legal ages on the boundary day, booking codes,
 * name masking and the throttle window. */
#include "unit.h"
#include "core/text.h"

#include "marriage/marriage.h"

#include <string.h>

#define WEEK "09:00-12:00,13:30-17:00;09:00-12:00,13:30-17:00;09:00-12:00,13:30-17:00;" \
	     "09:00-12:00,13:30-17:00;09:00-12:00,13:30-17:00;;"

TEST(hours_parse_seven_days_with_ranges)
{
	struct marriage_week w;
	struct err e;
	CHECK_EQ_INT(marriage_hours_parse(WEEK, &w, &e), 0);
	CHECK_EQ_INT(w.n[0], 2);
	CHECK_EQ_INT(w.r[0][0].from, 9 * 60);
	CHECK_EQ_INT(w.r[0][1].to, 17 * 60);
	CHECK_EQ_INT(w.n[5], 0); /* Saturday closed */
	CHECK_EQ_INT(w.n[6], 0);
}

TEST(hours_parse_refuses_bad_text)
{
	struct marriage_week w;
	struct err e;
	CHECK_EQ_INT(marriage_hours_parse("09:00-12:00", &w, &e), -1); /* one day only */
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "hours");
	CHECK_EQ_INT(marriage_hours_parse("12:00-09:00;;;;;;", &w, &e), -1); /* backwards */
	CHECK_EQ_INT(marriage_hours_parse("09:00-12:00,11:00-13:00;;;;;;", &w, &e), -1); /* overlap */
	CHECK_EQ_INT(marriage_hours_parse("9:00-12:00;;;;;;", &w, &e), -1);
	CHECK_EQ_INT(marriage_hours_parse(";;;;;;;", &w, &e), -1); /* eight days */
	CHECK_EQ_INT(marriage_hours_parse(";;;;;;", &w, &e), 0);   /* closed all week is valid */
}

TEST(slots_fill_each_range_with_whole_slots)
{
	struct marriage_week w;
	struct err e;
	int s[MARRIAGE_MAX_SLOTS];
	char t[6];
	CHECK_EQ_INT(marriage_hours_parse(WEEK, &w, &e), 0);
	/* 30 minutes: 09:00 … 11:30 (6) and 13:30 … 16:30 (7) */
	CHECK_EQ_INT(marriage_day_slots(&w, 1, 30, s, MARRIAGE_MAX_SLOTS), 13);
	marriage_time_str(s[6], t);
	CHECK_EQ_STR(t, "13:30");
	/* 45 minutes: 09:00 09:45 10:30 11:15 (ends 12:00) and 13:30 14:15 15:00 15:45 (16:30 would
	 * end 17:15, after closing) */
	CHECK_EQ_INT(marriage_day_slots(&w, 1, 45, s, MARRIAGE_MAX_SLOTS), 8);
	marriage_time_str(s[3], t);
	CHECK_EQ_STR(t, "11:15");
	marriage_time_str(s[7], t);
	CHECK_EQ_STR(t, "15:45");
	CHECK_EQ_INT(marriage_day_slots(&w, 6, 30, s, MARRIAGE_MAX_SLOTS), 0); /* Saturday */
	CHECK_EQ_INT(marriage_day_slots(&w, 1, 240, s, MARRIAGE_MAX_SLOTS), 0); /* longer than ranges */
}

TEST(time_parse_and_format)
{
	CHECK_EQ_INT(marriage_time_parse("09:30"), 570);
	CHECK_EQ_INT(marriage_time_parse("24:00"), 1440);
	CHECK_EQ_INT(marriage_time_parse("24:30"), -1);
	CHECK_EQ_INT(marriage_time_parse("9:30"), -1);
	CHECK_EQ_INT(marriage_time_parse("09:60"), -1);
}

TEST(capacity_is_cut_by_the_rule_in_force)
{
	struct marriage_rule r;
	memset(&r, 0, sizeof r);
	CHECK_EQ_INT(marriage_capacity_on(4, NULL), 4);
	r.capacity_limit = 2;
	CHECK_EQ_INT(marriage_capacity_on(4, &r), 2);
	r.capacity_limit = 6; /* a limit above the office's capacity changes nothing */
	CHECK_EQ_INT(marriage_capacity_on(4, &r), 4);
	r.capacity_limit = 0;
	r.one_couple = 1; /* one couple in the room at a time */
	CHECK_EQ_INT(marriage_capacity_on(4, &r), 1);
	r.capacity_limit = 3;
	CHECK_EQ_INT(marriage_capacity_on(4, &r), 1);
}

TEST(legal_age_on_the_boundary_day)
{
	/* a man born 1998-03-01 is 22 on 2020-03-01, not on 2020-02-29 */
	CHECK_EQ_INT(marriage_age_ok("1998-03-01", 1, "2020-03-01"), 1);
	CHECK_EQ_INT(marriage_age_ok("1998-03-01", 1, "2020-02-29"), 0);
	/* a woman: 20 */
	CHECK_EQ_INT(marriage_age_ok("2000-03-01", 0, "2020-03-01"), 1);
	CHECK_EQ_INT(marriage_age_ok("2000-03-01", 0, "2020-02-29"), 0);
	/* a man of 21 is too young although a woman of that age is not */
	CHECK_EQ_INT(marriage_age_ok("1999-01-01", 1, "2020-06-01"), 0);
	CHECK_EQ_INT(marriage_age_ok("1999-01-01", 0, "2020-06-01"), 1);
}

TEST(codes_use_an_alphabet_without_look_alikes)
{
	unsigned char bytes[MARRIAGE_CODE_LEN] = {0, 1, 8, 14, 24, 31, 32, 255};
	char code[MARRIAGE_CODE_LEN + 1];
	marriage_code_from_bytes(bytes, code);
	CHECK_EQ_STR(code, "ABJQ29A9");
	CHECK_EQ_INT(marriage_code_valid(code), 1);
	CHECK_EQ_INT(marriage_code_valid("ABJQ29A"), 0);  /* short */
	CHECK_EQ_INT(marriage_code_valid("ABJQ29A0"), 0); /* 0 is not in the alphabet */
	CHECK_EQ_INT(marriage_code_valid("abjq29a9"), 0); /* callers upper-case first */
}

TEST(names_are_masked_after_the_first_character)
{
	char out[64];
	text_mask_name("张三", out, sizeof out);
	CHECK_EQ_STR(out, "张*");
	text_mask_name("欧阳小明", out, sizeof out);
	CHECK_EQ_STR(out, "欧***");
	text_mask_name("", out, sizeof out);
	CHECK_EQ_STR(out, "");
}

TEST(throttle_allows_the_limit_per_window)
{
	int64_t start = 0, count = 0, now = 1000000;
	for (int i = 0; i < MARRIAGE_THROTTLE_MAX; i++)
		CHECK_EQ_INT(marriage_throttle_step(now + i, &start, &count), 1);
	CHECK_EQ_INT(marriage_throttle_step(now + 100, &start, &count), 0);
	CHECK_EQ_INT(count, MARRIAGE_THROTTLE_MAX); /* refused requests are not counted */
	/* a new window opens MARRIAGE_THROTTLE_WINDOW seconds after the first request */
	CHECK_EQ_INT(marriage_throttle_step(now + MARRIAGE_THROTTLE_WINDOW - 1, &start, &count), 0);
	CHECK_EQ_INT(marriage_throttle_step(now + MARRIAGE_THROTTLE_WINDOW, &start, &count), 1);
	CHECK_EQ_INT(count, 1);
}

UNIT_MAIN(hours_parse_seven_days_with_ranges, hours_parse_refuses_bad_text,
	  slots_fill_each_range_with_whole_slots, time_parse_and_format,
	  capacity_is_cut_by_the_rule_in_force, legal_age_on_the_boundary_day,
	  codes_use_an_alphabet_without_look_alikes, names_are_masked_after_the_first_character,
	  throttle_allows_the_limit_per_window)
