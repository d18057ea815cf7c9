/* crosscheck_rules.c — the cross-check's pure rules (see crosscheck.h): the first month a death
 * stops payments, the month before a month, and the recovery workflow's transitions. No I/O. */
#include "crosscheck/crosscheck.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

static int month_parse(const char *z, int *y, int *m)
{
	if (!z || strlen(z) < 7 || z[4] != '-' || strspn(z, "0123456789") != 4 ||
	    strspn(z + 5, "0123456789") < 2 || sscanf(z, "%4d-%2d", y, m) != 2 || *m < 1 || *m > 12 ||
	    *y < 1900 || *y > 2999)
		return -1;
	return 0;
}

static void month_fmt(int y, int m, char out[8])
{
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '\0';
}

int crosscheck_stop_month(const char *died_on, char out[8])
{
	int y, m;
	if (!died_on || strlen(died_on) != 10 || month_parse(died_on, &y, &m) < 0)
		return -1;
	if (++m > 12) {
		m = 1;
		y++;
	}
	month_fmt(y, m, out);
	return 0;
}

int crosscheck_prev_month(const char *month, char out[8])
{
	int y, m;
	if (!month || strlen(month) != 7 || month_parse(month, &y, &m) < 0)
		return -1;
	if (--m < 1) {
		m = 12;
		y--;
	}
	month_fmt(y, m, out);
	return 0;
}

int crosscheck_transition(const char *status, const char *action, const char *reason,
			  char out[16], struct err *e)
{
	const int open = strcmp(status, "found") == 0 || strcmp(status, "notified") == 0;
	if (!action || !*action)
		return err_set(e, 400, "required", "action", "请选择操作");
	if (strcmp(action, "notify") == 0) {
		if (strcmp(status, "found") != 0)
			return err_set(e, 409, "recovery_state", NULL,
				       "只有“已发现”的多发款项可以登记已通知");
		text_copy(out, 16, "notified");
		return 0;
	}
	if (strcmp(action, "recover") == 0) {
		if (!open)
			return err_set(e, 409, "recovery_state", NULL, "该多发款项已办结");
		text_copy(out, 16, "recovered");
		return 0;
	}
	if (strcmp(action, "write_off") == 0) {
		if (!open)
			return err_set(e, 409, "recovery_state", NULL, "该多发款项已办结");
		if (text_check(reason, 200, 1, 1, "reason", "核销原因", e) < 0)
			return -1;
		text_copy(out, 16, "written_off");
		return 0;
	}
	return err_set(e, 400, "invalid_value", "action", "操作应为 notify、recover 或 write_off");
}
