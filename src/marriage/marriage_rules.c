/* marriage_rules.c — the marriage module's pure rules (see marriage.h): weekly opening hours and
 * the slots they give, capacity under the epidemic rules, legal ages, booking codes, name
 * masking and the throttle's window arithmetic. No I/O. */
#include "marriage/marriage.h"
#include "core/idnum.h"

#include <stdio.h>
#include <string.h>

int marriage_time_parse(const char *s)
{
	if (!s || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

void marriage_time_str(int minutes, char out[6])
{
	snprintf(out, 6, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
}

int marriage_hours_parse(const char *text, struct marriage_week *w, struct err *e)
{
	memset(w, 0, sizeof *w);
	if (!text || strlen(text) >= MARRIAGE_HOURS_SZ)
		return err_set(e, 400, "invalid_value", "hours", "开放时间格式不正确");
	const char *p = text;
	for (int d = 0; d < 7; d++) {
		size_t len = strcspn(p, ";");
		int last = -1;
		const char *q = p, *end = p + len;
		while (q < end) {
			char a[6], b[6];
			size_t n = strcspn(q, ",");
			if (q + n > end)
				n = (size_t)(end - q);
			if (n != 11 || q[5] != '-' || w->n[d] >= MARRIAGE_MAX_RANGES)
				return err_set(e, 400, "invalid_value", "hours",
					       "开放时间格式不正确：每天最多 %d 段，写作 09:00-12:00，以逗号分隔",
					       MARRIAGE_MAX_RANGES);
			memcpy(a, q, 5);
			a[5] = '\0';
			memcpy(b, q + 6, 5);
			b[5] = '\0';
			int from = marriage_time_parse(a), to = marriage_time_parse(b);
			if (from < 0 || to < 0 || from >= to || from < last)
				return err_set(e, 400, "invalid_value", "hours",
					       "开放时间不正确：%s-%s（须从早到晚、互不重叠）", a, b);
			w->r[d][w->n[d]].from = from;
			w->r[d][w->n[d]].to = to;
			w->n[d]++;
			last = to;
			q += n;
			if (q < end && *q == ',')
				q++;
		}
		p = end;
		if (d < 6 && *p == ';')
			p++;
		else if (d < 6)
			return err_set(e, 400, "invalid_value", "hours",
				       "开放时间须为周一至周日 7 段，以分号分隔（不开放的日子留空）");
	}
	if (*p)
		return err_set(e, 400, "invalid_value", "hours", "开放时间只能有 7 段（周一至周日）");
	return 0;
}

int marriage_day_slots(const struct marriage_week *w, int weekday, int slot_minutes, int *out,
		       int max)
{
	int n = 0;
	if (weekday < 1 || weekday > 7 || slot_minutes <= 0)
		return 0;
	int d = weekday - 1;
	for (int i = 0; i < w->n[d]; i++)
		for (int t = w->r[d][i].from; t + slot_minutes <= w->r[d][i].to && n < max;
		     t += slot_minutes)
			out[n++] = t;
	return n;
}

int marriage_capacity_on(int capacity, const struct marriage_rule *rule)
{
	int c = capacity;
	if (rule && rule->capacity_limit > 0 && rule->capacity_limit < c)
		c = rule->capacity_limit;
	if (rule && rule->one_couple && c > 1)
		c = 1;
	return c;
}

int marriage_age_ok(const char *birth_date, int male, const char *date)
{
	return idnum_age_on(birth_date, date) >= (male ? 22 : 20);
}

static const char code_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; /* 32 */

void marriage_code_from_bytes(const unsigned char *bytes, char *out)
{
	for (int i = 0; i < MARRIAGE_CODE_LEN; i++)
		out[i] = code_alphabet[bytes[i] & 31];
	out[MARRIAGE_CODE_LEN] = '\0';
}

int marriage_code_valid(const char *s)
{
	if (!s || strlen(s) != MARRIAGE_CODE_LEN)
		return 0;
	for (int i = 0; i < MARRIAGE_CODE_LEN; i++)
		if (!strchr(code_alphabet, s[i]))
			return 0;
	return 1;
}

int marriage_throttle_step(int64_t now, int64_t *start, int64_t *count)
{
	if (now - *start >= MARRIAGE_THROTTLE_WINDOW || now < *start) {
		*start = now;
		*count = 0;
	}
	if (*count >= MARRIAGE_THROTTLE_MAX)
		return 0;
	(*count)++;
	return 1;
}
