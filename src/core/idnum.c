/* idnum.c — citizen ID numbers (GB 11643-1999); the contract is in idnum.h.
 *
 * idnum_parse checks, in this order, so the first message names the most basic fault:
 *   1. length (counted in characters, so a full-width digit counts as one and is then named
 *      as an illegal character instead of inflating the length);
 *   2. characters (digits everywhere, X/x allowed only as the 18th);
 *   3. the birth date exists (Gregorian leap rule) and is not before 1800;
 *   4. the birth date is not after today (Asia/Shanghai unless the caller passes `today`);
 *   5. the check character (18-digit form only; a 15-digit ID has none and gets one computed).
 * Address codes are deliberately not checked against the region tree: divisions are merged and
 * renamed, and people keep the IDs they were issued.
 *
 * Everything here is pure: no allocation, no locale, no TZ dependence (clock_today adds the fixed
 * UTC+8 offset itself, China has had no DST since 1991).
 */
#include "core/idnum.h"
#include "core/clock.h"

#include <string.h>

#define IDNUM_STATUS 400
#define IDNUM_CODE "invalid_id_number"
#define IDNUM_FIELD "id_number"

/* Birth years before this are data-entry errors, not people on a civil-affairs register. */
#define IDNUM_MIN_YEAR 1800

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char check_chars[] = "10X98765432";

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Value of n ASCII digits at z; the caller has checked they are digits. */
static int digits_value(const char *z, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (z[i] - '0');
	return v;
}

/* Parse a "YYYY-MM-DD" that names a real date; returns 0 or -1. */
static int parse_date(const char *z, int *py, int *pm, int *pd)
{
	if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit((unsigned char)z[i]))
			return -1;
	int y = digits_value(z, 4), m = digits_value(z + 5, 2), d = digits_value(z + 8, 2);
	if (d < 1 || d > days_in_month(y, m))
		return -1;
	*py = y;
	*pm = m;
	*pd = d;
	return 0;
}

char idnum_check_char(const char *id17)
{
	/* Returns '\0' when id17 does not start with 17 digits, so a caller comparing it with a
	 * real check character never matches and nothing past a short string is read. */
	int sum = 0;
	if (!id17)
		return '\0';
	for (int i = 0; i < 17; i++) {
		if (!is_digit((unsigned char)id17[i]))
			return '\0';
		sum += (id17[i] - '0') * weights[i];
	}
	return check_chars[sum % 11];
}

/* Name the first illegal character of the trimmed text z (n bytes, nchars characters). */
static int bad_char_error(const char *z, size_t n, size_t nchars, struct err *e)
{
	size_t pos = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)z[i];
		/* A UTF-8 continuation byte belongs to the character before it; a stray one at the
		 * very start is still the first character. Every non-ASCII byte is illegal, so a
		 * continuation byte can never slip through as part of a "character" we skipped. */
		if ((c & 0xC0) != 0x80 || pos == 0)
			pos++;
		int last_of_18 = nchars == 18 && pos == 18;
		if (is_digit(c) || (last_of_18 && (c == 'X' || c == 'x')))
			continue;
		const char *want = last_of_18 ? "数字或X" : "数字";
		if (c >= 0x21 && c <= 0x7E)
			return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD,
				       "含非法字符：第%zu位为“%c”，应为%s", pos, (char)c, want);
		return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD,
			       "含非法字符：第%zu位不是半角%s", pos, want);
	}
	return 0;
}

int idnum_parse(const char *text, const char *today, struct idnum *out, struct err *e)
{
	struct idnum scratch;
	char today_buf[11];
	int ty, tm, td;

	if (!out)
		out = &scratch;
	memset(out, 0, sizeof *out);
	if (!text)
		text = "";

	/* 1. length, after trimming surrounding ASCII whitespace */
	const char *z = text;
	size_t n = strlen(z);
	while (n > 0 && is_ascii_space((unsigned char)z[0])) {
		z++;
		n--;
	}
	while (n > 0 && is_ascii_space((unsigned char)z[n - 1]))
		n--;
	size_t nchars = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)z[i] & 0xC0) != 0x80)
			nchars++;
	if (nchars != 18 && nchars != 15)
		return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD,
			       "长度错误：应为18位或15位，实为%zu位", nchars);

	/* 2. characters; afterwards every byte is ASCII, so n == nchars */
	if (bad_char_error(z, n, nchars, e) < 0)
		return -1;

	/* Build the 17 leading digits of the 18-character form. */
	char id17[18];
	if (n == 18) {
		memcpy(id17, z, 17);
	} else {
		memcpy(id17, z, 6);
		memcpy(id17 + 6, "19", 2);
		memcpy(id17 + 8, z + 6, 9);
	}
	id17[17] = '\0';

	/* 3. the birth date exists */
	int y = digits_value(id17 + 6, 4), m = digits_value(id17 + 10, 2);
	int d = digits_value(id17 + 12, 2);
	char birth[11];
	memcpy(birth, id17 + 6, 4);
	birth[4] = '-';
	memcpy(birth + 5, id17 + 10, 2);
	birth[7] = '-';
	memcpy(birth + 8, id17 + 12, 2);
	birth[10] = '\0';
	if (d < 1 || d > days_in_month(y, m))
		return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD, "出生日期不存在：%s",
			       birth);
	if (y < IDNUM_MIN_YEAR)
		return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD,
			       "出生日期不合理：%s 早于%d年", birth, IDNUM_MIN_YEAR);

	/* 4. not in the future */
	if (!today) {
		clock_today(today_buf);
		today = today_buf;
	}
	if (parse_date(today, &ty, &tm, &td) < 0)
		return err_set(e, 500, "internal", "", "内部错误：today 应为 YYYY-MM-DD");
	if (memcmp(birth, today, 10) > 0)
		return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD,
			       "出生日期晚于今天：%s（今天是 %s）", birth, today);

	/* 5. check character */
	char want = idnum_check_char(id17);
	if (n == 18) {
		char got = z[17] == 'x' ? 'X' : z[17];
		if (got != want)
			return err_set(e, IDNUM_STATUS, IDNUM_CODE, IDNUM_FIELD,
				       "校验位错误：应为 %c，实为 %c", want, got);
	}

	memcpy(out->number, id17, 17);
	out->number[17] = want;
	out->number[18] = '\0';
	memcpy(out->address, id17, 6);
	out->address[6] = '\0';
	memcpy(out->birth_date, birth, sizeof out->birth_date);
	out->year = y;
	out->month = m;
	out->day = d;
	out->male = (id17[16] - '0') % 2 == 1;
	return 0;
}

void idnum_mask(const char *number, char *out)
{
	size_t n = number ? strlen(number) : 0;
	if (n < 10) {
		memset(out, '*', n);
		out[n] = '\0';
		return;
	}
	/* Always 8 stars, whatever the length, so the output fits 19 bytes and a longer input
	 * cannot overflow it. */
	memcpy(out, number, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, number + n - 4, 4);
	out[18] = '\0';
}

int idnum_age_on(const char *birth_date, const char *today)
{
	/* -1 when either date is malformed or the birth is after today. Someone born on 29 Feb
	 * turns a year older on 1 Mar in common years (28 Feb still precedes their birthday). */
	int by, bm, bd, ty, tm, td;
	if (parse_date(birth_date, &by, &bm, &bd) < 0 || parse_date(today, &ty, &tm, &td) < 0)
		return -1;
	int age = ty - by;
	if (tm < bm || (tm == bm && td < bd))
		age--;
	return age < 0 ? -1 : age;
}
