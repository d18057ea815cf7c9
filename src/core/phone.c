/* phone.c — owns the rules for mainland phone numbers (see phone.h for the accepted shapes).
 *
 * phone_validate first squeezes out whitespace into a bounded buffer, then decides by the first
 * digit: "1" is a mobile, "0" a landline, anything else is neither. Landline area codes come from
 * the numbering plan rather than from the position of a '-', so "05368123456" and "0536-8123456"
 * normalize to the same string and "053-68123456" (no such area) is refused. Extensions are
 * 1–6 digits after a '-'. phone_mask re-validates its input so it never trusts a stored string.
 */
#include "core/phone.h"

#include <string.h>

#define PHONE_STATUS 400
#define PHONE_CODE "invalid_phone"
#define PHONE_FIELD "phone"

/* Longer than any valid form ("0536-12345678-123456" is 20) with room to spare; anything longer
 * is refused before parsing. */
#define PHONE_MAX 24

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Count the digits at z. */
static size_t span_digits(const char *z)
{
	size_t n = 0;
	while (is_digit((unsigned char)z[n]))
		n++;
	return n;
}

static int fail(char out[24], struct err *e, const char *msg)
{
	out[0] = '\0';
	return err_set(e, PHONE_STATUS, PHONE_CODE, PHONE_FIELD, "%s", msg);
}

static int validate_mobile(const char *z, size_t n, char out[24], struct err *e)
{
	size_t nd = span_digits(z);
	if (nd != n)
		return fail(out, e, "手机号只能由数字组成");
	if (n != 11) {
		out[0] = '\0';
		return err_set(e, PHONE_STATUS, PHONE_CODE, PHONE_FIELD,
			       "手机号长度错误：应为11位，实为%zu位", n);
	}
	if (z[1] < '3' || z[1] > '9')
		return fail(out, e, "手机号第2位应为3–9");
	memcpy(out, z, 11);
	out[11] = '\0';
	return 0;
}

static int validate_landline(const char *z, char out[24], struct err *e)
{
	/* 010 and 020–029 are the three-digit codes; everything else is four digits. */
	size_t area = (z[1] == '1' || z[1] == '2') ? 3 : 4;
	size_t lead = span_digits(z);
	const char *num;
	if (z[1] == '0')
		return fail(out, e, "固定电话区号错误：区号不能以00开头");
	if (lead < area) {
		/* The text ends, or a '-' or other character comes, inside the area code. */
		if (z[lead] == '\0')
			return fail(out, e, "固定电话号码不完整：应为区号加7–8位号码");
		if (z[lead] == '-')
			return fail(out, e,
				    area == 3 ? "固定电话区号错误：010、020–029为3位区号"
					      : "固定电话区号错误：该区号应为4位（如 0536）");
		return fail(out, e, "固定电话只能由数字和“-”组成");
	}
	if (lead == area) {
		if (z[area] != '-')
			return fail(out, e,
				    z[area] ? "固定电话只能由数字和“-”组成"
					    : "固定电话缺少号码：区号后应为7–8位号码");
		num = z + area + 1;
	} else {
		num = z + area;
	}

	size_t nn = span_digits(num);
	if (nn < 7 || nn > 8) {
		out[0] = '\0';
		if (num[nn] != '\0' && num[nn] != '-')
			return fail(out, e, "固定电话只能由数字和“-”组成");
		return err_set(e, PHONE_STATUS, PHONE_CODE, PHONE_FIELD,
			       "固定电话号码长度错误：区号后应为7–8位，实为%zu位", nn);
	}
	if (num[0] == '0' || num[0] == '1')
		return fail(out, e, "固定电话号码错误：区号后的号码不能以0或1开头");

	const char *ext = num + nn;
	size_t ne = 0;
	if (*ext == '-') {
		ext++;
		ne = span_digits(ext);
		if (ne == 0 || ext[ne] != '\0') {
			if (ext[ne] != '\0' && ext[ne] != '-')
				return fail(out, e, "固定电话只能由数字和“-”组成");
			return fail(out, e, "分机号错误：应为“-”后1–6位数字");
		}
		if (ne > 6)
			return fail(out, e, "分机号错误：应为“-”后1–6位数字");
	} else if (*ext != '\0') {
		return fail(out, e, "固定电话只能由数字和“-”组成");
	}

	/* area (≤4) + '-' + number (≤8) + '-' + ext (≤6) + NUL = 21 ≤ 24 */
	size_t o = 0;
	memcpy(out + o, z, area);
	o += area;
	out[o++] = '-';
	memcpy(out + o, num, nn);
	o += nn;
	if (ne) {
		out[o++] = '-';
		memcpy(out + o, ext, ne);
		o += ne;
	}
	out[o] = '\0';
	return 0;
}

int phone_validate(const char *text, char out[24], struct err *e)
{
	char z[PHONE_MAX + 1];
	size_t n = 0;

	if (!text)
		text = "";
	for (const char *p = text; *p; p++) {
		if (is_ascii_space((unsigned char)*p))
			continue;
		if (n == PHONE_MAX)
			return fail(out, e, "电话号码过长");
		z[n++] = *p;
	}
	z[n] = '\0';

	if (n == 0)
		return fail(out, e, "电话号码为空");
	if (z[0] == '1')
		return validate_mobile(z, n, out, e);
	if (z[0] == '0')
		return validate_landline(z, out, e);
	return fail(out, e,
		    "电话号码格式错误：应为11位手机号（如 13812345678）或带区号的固定电话（如 "
		    "0536-8123456）");
}

void phone_mask(const char *phone, char out[24])
{
	char norm[24];
	if (phone_validate(phone, norm, NULL) < 0) {
		size_t n = phone ? strlen(phone) : 0;
		if (n > 23)
			n = 23;
		memset(out, '*', n);
		out[n] = '\0';
		return;
	}
	size_t n = strlen(norm);
	if (norm[0] == '1') {
		memcpy(out, norm, 3);
		memset(out + 3, '*', 4);
		memcpy(out + 7, norm + 7, 4);
		out[11] = '\0';
		return;
	}
	/* Landline: keep the area code (up to the first '-'), dashes and the last 2 digits. */
	size_t area = (size_t)(strchr(norm, '-') - norm);
	for (size_t i = 0; i < n; i++)
		out[i] = (i < area || i + 2 >= n || norm[i] == '-') ? norm[i] : '*';
	out[n] = '\0';
}
