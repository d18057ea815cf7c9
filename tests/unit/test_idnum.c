/* test_idnum.c — citizen ID numbers (src/core/idnum.c) against GB 11643-1999.
 *
 * Every expected check character below is computed by hand from
 *   S = Σ dᵢ·Wᵢ over the first 17 digits, W = 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2,
 *   check = "10X98765432"[S mod 11].
 * A fixed TODAY keeps the future-date rule independent of the clock.
 */
#include "core/idnum.h"
#include "core/clock.h"
#include "unit.h"

#define TODAY "2025-06-01"

/* 11010519491231002X (DOMAIN.md's example):
 *   digits   1  1  0  1  0  5  1  9  4  9  1  2  3  1  0  0  2
 *   weights  7  9 10  5  8  4  2  1  6  3  7  9 10  5  8  4  2
 *   products 7  9  0  5  0 20  2  9 24 27  7 18 30  5  0  0  4   S = 167
 *   167 mod 11 = 2 → "10X98765432"[2] = 'X'.  Sequence 002 is even → female. */
TEST(check_char_of_domain_example_is_X)
{
	CHECK_EQ_INT(idnum_check_char("11010519491231002"), 'X');
}

/* 37070419600102123?:
 *   digits    3  7  0  7  0  4  1  9  6  0  0  1  0  2  1  2  3
 *   products 21 63  0 35  0 16  2  9 36  0  0  9  0 10  8  8  6   S = 223
 *   223 mod 11 = 3 → '9'. */
TEST(check_char_of_weifang_example_is_9)
{
	CHECK_EQ_INT(idnum_check_char("37070419600102123"), '9');
}

TEST(check_char_of_non_digits_is_nul)
{
	CHECK_EQ_INT(idnum_check_char("1101051949123100"), '\0'); /* only 16 digits */
	CHECK_EQ_INT(idnum_check_char("1101051949123100X"), '\0');
	CHECK_EQ_INT(idnum_check_char(NULL), '\0');
}

TEST(valid_18_digit_id_fills_every_field)
{
	struct idnum id;
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("11010519491231002X", TODAY, &id, &e), 0);
	CHECK_EQ_STR(id.number, "11010519491231002X");
	CHECK_EQ_STR(id.address, "110105");
	CHECK_EQ_STR(id.birth_date, "1949-12-31");
	CHECK_EQ_INT(id.year, 1949);
	CHECK_EQ_INT(id.month, 12);
	CHECK_EQ_INT(id.day, 31);
	CHECK_EQ_INT(id.male, 0); /* sequence 002, even */
}

TEST(odd_sequence_is_male)
{
	struct idnum id;
	CHECK_EQ_INT(idnum_parse("370704196001021239", TODAY, &id, NULL), 0); /* sequence 123 */
	CHECK_EQ_INT(id.male, 1);
	CHECK_EQ_STR(id.birth_date, "1960-01-02");
}

TEST(lower_case_x_is_accepted_and_upper_cased)
{
	struct idnum id;
	CHECK_EQ_INT(idnum_parse("11010519491231002x", TODAY, &id, NULL), 0);
	CHECK_EQ_STR(id.number, "11010519491231002X");
}

TEST(surrounding_ascii_whitespace_is_ignored)
{
	struct idnum id;
	CHECK_EQ_INT(idnum_parse(" \t11010519491231002X\r\n", TODAY, &id, NULL), 0);
	CHECK_EQ_STR(id.number, "11010519491231002X");
}

/* 370704600102123 → insert "19" before the year: 37070419600102123, whose check character is '9'
 * (S = 223, worked out above) → 370704196001021239. */
TEST(legacy_15_digit_id_converts_to_18)
{
	struct idnum id;
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("370704600102123", TODAY, &id, &e), 0);
	CHECK_EQ_STR(id.number, "370704196001021239");
	CHECK_EQ_STR(id.address, "370704");
	CHECK_EQ_STR(id.birth_date, "1960-01-02");
	CHECK_EQ_INT(id.male, 1);
}

TEST(wrong_length_names_the_actual_length)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("11010519491231002", TODAY, NULL, &e), -1); /* 17 digits */
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_id_number");
	CHECK_EQ_STR(e.field, "id_number");
	CHECK_EQ_STR(e.message, "长度错误：应为18位或15位，实为17位");
}

TEST(empty_and_null_input_have_length_zero)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("   ", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "长度错误：应为18位或15位，实为0位");
	CHECK_EQ_INT(idnum_parse(NULL, TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "长度错误：应为18位或15位，实为0位");
}

TEST(inner_space_counts_toward_length)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("110105 19491231002X", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "长度错误：应为18位或15位，实为19位");
}

TEST(illegal_character_names_its_position)
{
	struct err e = {0};
	/* 14th character is 'A' */
	CHECK_EQ_INT(idnum_parse("1101051949123A002X", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "含非法字符：第14位为“A”，应为数字");
}

TEST(x_is_illegal_anywhere_but_the_18th_place)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("37070460010212X", TODAY, NULL, &e), -1); /* 15-digit: no check */
	CHECK_EQ_STR(e.message, "含非法字符：第15位为“X”，应为数字");
}

TEST(illegal_check_character_says_digit_or_x)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("11010519491231002Y", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "含非法字符：第18位为“Y”，应为数字或X");
}

/* A full-width Ｘ is 3 bytes of UTF-8 but one character: the length is right (18) and the
 * character is named, rather than reporting "实为20位". */
TEST(full_width_character_counts_as_one_and_is_named)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("11010519491231002Ｘ", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "含非法字符：第18位不是半角数字或X");
}

/* Found by fuzzing: 0xBA is a UTF-8 continuation byte with no lead byte. It does not count toward
 * the length (15 characters here), but it is still refused, named at the character it follows. */
TEST(stray_utf8_continuation_byte_is_illegal)
{
	struct err e = {0};
	/* "\272" is the byte 0xBA (an octal escape ends after 3 digits, so the "3" is its own) */
	CHECK_EQ_INT(idnum_parse("37070460010212\2723", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "含非法字符：第14位不是半角数字");
	CHECK_EQ_INT(idnum_parse("\272370704600102123", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "含非法字符：第1位不是半角数字");
}

/* 37070419900230001? has the right check character '4' (S = 250, 250 mod 11 = 8 → '4'), so only
 * the date is at fault. */
TEST(nonexistent_date_is_named)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("370704199002300014", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "出生日期不存在：1990-02-30");
}

/* 2000 is divisible by 400 → leap. 37070420000229002?: S = 226, 226 mod 11 = 6 → '6'. */
TEST(feb_29_2000_is_valid_leap_day)
{
	struct idnum id;
	CHECK_EQ_INT(idnum_parse("370704200002290026", TODAY, &id, NULL), 0);
	CHECK_EQ_STR(id.birth_date, "2000-02-29");
	CHECK_EQ_INT(id.male, 0);
}

/* 1900 is divisible by 100 but not 400 → common year. Check char is right (S = 231 → 0 → '1'). */
TEST(feb_29_1900_does_not_exist)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("370704190002290011", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "出生日期不存在：1900-02-29");
}

TEST(birth_before_1800_is_refused)
{
	struct err e = {0};
	/* S = 287 → 1 → '0' */
	CHECK_EQ_INT(idnum_parse("370704179912310010", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "出生日期不合理：1799-12-31 早于1800年");
}

/* Born 2025-06-02, today 2025-06-01. Check char right: S = 232 → 1 → '0'. */
TEST(birth_after_today_is_refused)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("370704202506020010", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "出生日期晚于今天：2025-06-02（今天是 2025-06-01）");
}

/* Born 2025-06-01 = today: S = 227 → 7 → '5'. */
TEST(birth_on_today_is_accepted)
{
	CHECK_EQ_INT(idnum_parse("370704202506010015", TODAY, NULL, NULL), 0);
}

TEST(wrong_check_char_names_expected_and_actual)
{
	struct err e = {0};
	/* expected 'X' (S = 167, see above), given '5' */
	CHECK_EQ_INT(idnum_parse("110105194912310025", TODAY, NULL, &e), -1);
	CHECK_EQ_STR(e.message, "校验位错误：应为 X，实为 5");
	CHECK_EQ_STR(e.code, "invalid_id_number");
}

/* 370723 was 寿光县 until it became 寿光市 (370783) in 1993; people born there keep the old code.
 * 37072319550315031?: products 21 63 0 35 16 12 2 9 30 15 0 27 10 25 0 12 2, S = 279 → 4 → '8'. */
TEST(retired_address_code_is_accepted)
{
	struct idnum id;
	CHECK_EQ_INT(idnum_parse("370723195503150318", TODAY, &id, NULL), 0);
	CHECK_EQ_STR(id.address, "370723");
}

TEST(null_today_means_the_current_date)
{
	CHECK_EQ_INT(idnum_parse("11010519491231002X", NULL, NULL, NULL), 0);
	/* Born 9999-12-31 can never be before today; the date exists, so the future rule fires. */
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("370704999912310010", NULL, NULL, &e), -1);
	CHECK(strstr(e.message, "出生日期晚于今天") != NULL);
}

TEST(malformed_today_is_an_internal_error)
{
	struct err e = {0};
	CHECK_EQ_INT(idnum_parse("11010519491231002X", "2025/06/01", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 500);
	CHECK_EQ_STR(e.code, "internal");
}

TEST(failed_parse_leaves_output_zeroed)
{
	struct idnum id;
	memset(&id, 'z', sizeof id);
	CHECK_EQ_INT(idnum_parse("110105194912310025", TODAY, &id, NULL), -1);
	CHECK_EQ_STR(id.number, "");
	CHECK_EQ_STR(id.birth_date, "");
}

TEST(today_is_a_plausible_date)
{
	char today[11];
	clock_today(today);
	CHECK_EQ_INT(strlen(today), 10);
	CHECK(today[4] == '-' && today[7] == '-');
	CHECK(strcmp(today, "2025-01-01") > 0 && strcmp(today, "2100-01-01") < 0);
	CHECK(idnum_age_on("2000-01-01", today) >= 25);
}

TEST(mask_keeps_first_6_and_last_4)
{
	char out[19];
	idnum_mask("370704196001021239", out);
	CHECK_EQ_STR(out, "370704********1239");
	idnum_mask("11010519491231002X", out);
	CHECK_EQ_STR(out, "110105********002X");
}

TEST(mask_of_short_input_is_all_stars)
{
	char out[19];
	idnum_mask("123456789", out);
	CHECK_EQ_STR(out, "*********");
	idnum_mask(NULL, out);
	CHECK_EQ_STR(out, "");
}

TEST(mask_of_long_input_still_fits_19_bytes)
{
	char out[19];
	idnum_mask("1234567890123456789012345", out); /* 25 chars */
	CHECK_EQ_STR(out, "123456********2345");
}

/* Born 1960-01-02: on 2026-01-01 the 66th birthday is one day away → 65. */
TEST(age_before_birthday_is_one_less)
{
	CHECK_EQ_INT(idnum_age_on("1960-01-02", "2026-01-01"), 65);
}

TEST(age_on_birthday_counts_the_new_year)
{
	CHECK_EQ_INT(idnum_age_on("1960-01-02", "2026-01-02"), 66);
}

/* A 29 Feb birthday in a common year: 28 Feb precedes it, 1 Mar follows it. */
TEST(age_of_leap_day_birth_turns_on_march_1)
{
	CHECK_EQ_INT(idnum_age_on("2000-02-29", "2025-02-28"), 24);
	CHECK_EQ_INT(idnum_age_on("2000-02-29", "2025-03-01"), 25);
}

TEST(age_of_malformed_or_future_date_is_minus_one)
{
	CHECK_EQ_INT(idnum_age_on("1990-02-30", TODAY), -1);
	CHECK_EQ_INT(idnum_age_on("2030-01-01", TODAY), -1);
	CHECK_EQ_INT(idnum_age_on(NULL, TODAY), -1);
}

UNIT_MAIN(check_char_of_domain_example_is_X, check_char_of_weifang_example_is_9,
	  check_char_of_non_digits_is_nul, valid_18_digit_id_fills_every_field,
	  odd_sequence_is_male, lower_case_x_is_accepted_and_upper_cased,
	  surrounding_ascii_whitespace_is_ignored, legacy_15_digit_id_converts_to_18,
	  wrong_length_names_the_actual_length, empty_and_null_input_have_length_zero,
	  inner_space_counts_toward_length, illegal_character_names_its_position,
	  x_is_illegal_anywhere_but_the_18th_place, illegal_check_character_says_digit_or_x,
	  full_width_character_counts_as_one_and_is_named, stray_utf8_continuation_byte_is_illegal,
	  nonexistent_date_is_named, feb_29_2000_is_valid_leap_day, feb_29_1900_does_not_exist,
	  birth_before_1800_is_refused, birth_after_today_is_refused, birth_on_today_is_accepted,
	  wrong_check_char_names_expected_and_actual, retired_address_code_is_accepted,
	  null_today_means_the_current_date, malformed_today_is_an_internal_error,
	  failed_parse_leaves_output_zeroed, today_is_a_plausible_date,
	  mask_keeps_first_6_and_last_4, mask_of_short_input_is_all_stars,
	  mask_of_long_input_still_fits_19_bytes, age_before_birthday_is_one_less,
	  age_on_birthday_counts_the_new_year, age_of_leap_day_birth_turns_on_march_1,
	  age_of_malformed_or_future_date_is_minus_one)
