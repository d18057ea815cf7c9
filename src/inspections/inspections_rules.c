/* inspections_rules.c — the pure rules of rectification items: names of statuses and actions,
 * the transition table, overdue and due-soon by deadline, and the date arithmetic they need
 * (see inspections.h). No I/O, no clock: the caller passes "today". */
#include "inspections/inspections.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[INSPECTIONS_NSTATUS] = {
	"open", "in_progress", "submitted", "verified", "reopened",
};
static const char *const status_labels[INSPECTIONS_NSTATUS] = {
	"待整改", "整改中", "待核验", "已销号", "重新整改",
};
static const char *const action_names[INSPECTIONS_NACTIONS] = {
	"start", "submit", "verify", "reject", "reopen", "extend",
};

const char *inspections_status_name(int status)
{
	return status >= 0 && status < INSPECTIONS_NSTATUS ? status_names[status] : "";
}

const char *inspections_status_label(int status)
{
	return status >= 0 && status < INSPECTIONS_NSTATUS ? status_labels[status] : "";
}

int inspections_status_parse(const char *s)
{
	for (int i = 0; s && i < INSPECTIONS_NSTATUS; i++)
		if (strcmp(s, status_names[i]) == 0)
			return i;
	return -1;
}

const char *inspections_action_name(int action)
{
	return action >= 0 && action < INSPECTIONS_NACTIONS ? action_names[action] : "";
}

int inspections_action_parse(const char *s)
{
	for (int i = 0; s && i < INSPECTIONS_NACTIONS; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return -1;
}

int inspections_action_by_inspector(int action)
{
	return action == INSPECTIONS_VERIFY || action == INSPECTIONS_REJECT ||
	       action == INSPECTIONS_REOPEN || action == INSPECTIONS_EXTEND;
}

int inspections_owner_pending(int status)
{
	return status == INSPECTIONS_OPEN || status == INSPECTIONS_IN_PROGRESS ||
	       status == INSPECTIONS_REOPENED;
}

int inspections_next_status(int status, int action)
{
	if (status < 0 || status >= INSPECTIONS_NSTATUS)
		return -1;
	switch (action) {
	case INSPECTIONS_START:
		return status == INSPECTIONS_OPEN || status == INSPECTIONS_REOPENED
			   ? INSPECTIONS_IN_PROGRESS
			   : -1;
	case INSPECTIONS_SUBMIT:
		return inspections_owner_pending(status) ? INSPECTIONS_SUBMITTED : -1;
	case INSPECTIONS_VERIFY:
		return status == INSPECTIONS_SUBMITTED ? INSPECTIONS_VERIFIED : -1;
	case INSPECTIONS_REJECT:
		return status == INSPECTIONS_SUBMITTED ? INSPECTIONS_REOPENED : -1;
	case INSPECTIONS_REOPEN:
		return status == INSPECTIONS_VERIFIED ? INSPECTIONS_REOPENED : -1;
	case INSPECTIONS_EXTEND:
		return inspections_owner_pending(status) ? status : -1;
	default:
		return -1;
	}
}

/* ---- dates ---- */

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int inspections_date_valid(const char *z)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (z[i] < '0' || z[i] > '9'))
			return 0;
	int y = atoi(z), m = atoi(z + 5), d = atoi(z + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= (m == 2 && leap(y) ? 29 : dm[m - 1]);
}

/* Days from civil (Howard Hinnant's algorithm), proleptic Gregorian. */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t inspections_date_days(const char *z)
{
	return days_from_civil(atoi(z), atoi(z + 5), atoi(z + 8));
}

void inspections_date_add(const char *z, int n, char out[11])
{
	int y, m, d;
	civil_from_days(inspections_date_days(z) + n, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

/* ---- overdue ---- */

int inspections_is_overdue(int status, const char *deadline, const char *today)
{
	if (!inspections_owner_pending(status) || !inspections_date_valid(deadline) ||
	    !inspections_date_valid(today))
		return 0;
	return strcmp(today, deadline) > 0; /* ISO dates sort as the days themselves */
}

int inspections_days_overdue(int status, const char *deadline, const char *today)
{
	if (!inspections_is_overdue(status, deadline, today))
		return 0;
	return (int)(inspections_date_days(today) - inspections_date_days(deadline));
}

int inspections_is_due_soon(int status, const char *deadline, const char *today, int soon_days)
{
	if (!inspections_owner_pending(status) || !inspections_date_valid(deadline) ||
	    !inspections_date_valid(today) || soon_days < 0)
		return 0;
	int64_t left = inspections_date_days(deadline) - inspections_date_days(today);
	return left >= 0 && left <= soon_days;
}
