/* clock.c — Asia/Shanghai wall-clock helpers (see clock.h). Computed as UTC + 8 h so the result
 * never depends on the TZ environment of the machine. */
#include "core/clock.h"

#include <stdio.h>
#include <time.h>

int64_t clock_unix(void)
{
	return (int64_t)time(NULL);
}

static void shanghai_tm(struct tm *tm)
{
	time_t t = time(NULL) + 8 * 3600;
	gmtime_r(&t, tm);
}

void clock_now_iso(char out[32])
{
	struct tm tm;
	shanghai_tm(&tm);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void clock_today(char out[11])
{
	struct tm tm;
	shanghai_tm(&tm);
	snprintf(out, 11, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
		 tm.tm_mday % 100);
}
