/* test_phone.c — mainland phone numbers (src/core/phone.c).
 *
 * Rules under test: a mobile is 11 digits, "1" then 3–9; a landline is an area code (010 and
 * 020–029 are 3 digits, every other code such as 0536 is 4) + a 7–8 digit number not starting
 * with 0 or 1, '-' optional between them, then an optional "-ext" of 1–6 digits. Whitespace is
 * stripped; landlines normalize to "AREA-NUMBER[-EXT]".
 */
#include "core/phone.h"
#include "unit.h"

TEST(mobile_is_accepted_as_is)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("13812345678", out, &e), 0);
	CHECK_EQ_STR(out, "13812345678");
}

TEST(mobile_spaces_are_stripped)
{
	char out[24];
	CHECK_EQ_INT(phone_validate(" 138 1234 5678\t", out, NULL), 0);
	CHECK_EQ_STR(out, "13812345678");
}

TEST(mobile_second_digit_must_be_3_to_9)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("12812345678", out, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_phone");
	CHECK_EQ_STR(e.field, "phone");
	CHECK_EQ_STR(e.message, "手机号第2位应为3–9");
	CHECK_EQ_STR(out, "");
}

TEST(mobile_wrong_length_names_the_length)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("1381234567", out, &e), -1); /* 10 digits */
	CHECK_EQ_STR(e.message, "手机号长度错误：应为11位，实为10位");
}

TEST(mobile_with_dashes_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("138-1234-5678", out, &e), -1);
	CHECK_EQ_STR(e.message, "手机号只能由数字组成");
}

TEST(landline_with_dash_is_kept)
{
	char out[24];
	CHECK_EQ_INT(phone_validate("0536-8123456", out, NULL), 0);
	CHECK_EQ_STR(out, "0536-8123456");
}

/* 0536 is a four-digit code (second digit 5), so 05368123456 splits as 0536 + 8123456. */
TEST(landline_without_dash_gets_one)
{
	char out[24];
	CHECK_EQ_INT(phone_validate("05368123456", out, NULL), 0);
	CHECK_EQ_STR(out, "0536-8123456");
}

/* 010 is a three-digit code, so 01065123456 splits as 010 + 65123456. */
TEST(beijing_three_digit_area_code_splits_after_010)
{
	char out[24];
	CHECK_EQ_INT(phone_validate("010 6512 3456", out, NULL), 0);
	CHECK_EQ_STR(out, "010-65123456");
}

TEST(landline_extension_is_kept)
{
	char out[24];
	CHECK_EQ_INT(phone_validate("0536-8123456-123", out, NULL), 0);
	CHECK_EQ_STR(out, "0536-8123456-123");
}

TEST(landline_number_of_6_digits_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("0536-812345", out, &e), -1);
	CHECK_EQ_STR(e.message, "固定电话号码长度错误：区号后应为7–8位，实为6位");
}

/* "053" is not an area code: codes with second digit 3–9 have four digits. */
TEST(three_digit_area_code_outside_010_029_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("053-68123456", out, &e), -1);
	CHECK_EQ_STR(e.message, "固定电话区号错误：该区号应为4位（如 0536）");
}

TEST(landline_number_starting_with_0_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("0536-0123456", out, &e), -1);
	CHECK_EQ_STR(e.message, "固定电话号码错误：区号后的号码不能以0或1开头");
}

TEST(landline_with_letter_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("0536-81234a6", out, &e), -1);
	CHECK_EQ_STR(e.message, "固定电话只能由数字和“-”组成");
}

TEST(extension_longer_than_6_digits_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("0536-8123456-1234567", out, &e), -1);
	CHECK_EQ_STR(e.message, "分机号错误：应为“-”后1–6位数字");
}

TEST(empty_phone_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("  ", out, &e), -1);
	CHECK_EQ_STR(e.message, "电话号码为空");
	CHECK_EQ_INT(phone_validate(NULL, out, &e), -1);
	CHECK_EQ_STR(e.message, "电话号码为空");
}

TEST(number_starting_with_neither_0_nor_1_is_refused)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("+8613812345678", out, &e), -1);
	CHECK(strncmp(e.message, "电话号码格式错误", strlen("电话号码格式错误")) == 0);
}

TEST(overlong_input_is_refused_before_parsing)
{
	char out[24];
	struct err e = {0};
	CHECK_EQ_INT(phone_validate("1381234567813812345678138123", out, &e), -1); /* 28 digits */
	CHECK_EQ_STR(e.message, "电话号码过长");
}

TEST(mask_mobile_keeps_first_3_and_last_4)
{
	char out[24];
	phone_mask("13812345678", out);
	CHECK_EQ_STR(out, "138****5678");
}

TEST(mask_landline_keeps_area_code_and_last_2)
{
	char out[24];
	phone_mask("0536-8123456", out);
	CHECK_EQ_STR(out, "0536-*****56");
}

TEST(mask_landline_with_extension_keeps_last_2_of_whole)
{
	char out[24];
	phone_mask("010-65123456-123", out);
	CHECK_EQ_STR(out, "010-********-*23");
}

TEST(mask_normalizes_first)
{
	char out[24];
	phone_mask("138 1234 5678", out);
	CHECK_EQ_STR(out, "138****5678");
	phone_mask("05368123456", out);
	CHECK_EQ_STR(out, "0536-*****56");
}

TEST(mask_of_invalid_input_is_all_stars)
{
	char out[24];
	phone_mask("abc", out);
	CHECK_EQ_STR(out, "***");
	phone_mask("123456789012345678901234567890", out); /* capped at 23 */
	CHECK_EQ_STR(out, "***********************");
	phone_mask(NULL, out);
	CHECK_EQ_STR(out, "");
}

UNIT_MAIN(mobile_is_accepted_as_is, mobile_spaces_are_stripped, mobile_second_digit_must_be_3_to_9,
	  mobile_wrong_length_names_the_length, mobile_with_dashes_is_refused,
	  landline_with_dash_is_kept, landline_without_dash_gets_one,
	  beijing_three_digit_area_code_splits_after_010, landline_extension_is_kept,
	  landline_number_of_6_digits_is_refused, three_digit_area_code_outside_010_029_is_refused,
	  landline_number_starting_with_0_is_refused, landline_with_letter_is_refused,
	  extension_longer_than_6_digits_is_refused, empty_phone_is_refused,
	  number_starting_with_neither_0_nor_1_is_refused, overlong_input_is_refused_before_parsing,
	  mask_mobile_keeps_first_3_and_last_4, mask_landline_keeps_area_code_and_last_2,
	  mask_landline_with_extension_keeps_last_2_of_whole, mask_normalizes_first,
	  mask_of_invalid_input_is_all_stars)
