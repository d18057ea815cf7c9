/* duty_rules.c — the pure rules of duty rosters (see duty.h): local date-times as minutes, who
 * is on duty at an instant, and coverage (gaps and overlaps) of a period by shifts.
 *
 * Times are the bureau's wall clock (Asia/Shanghai, no daylight saving), counted in minutes
 * from 1970-01-01T00:00 of that clock: a shift across midnight is simply start < end, and
 * arithmetic never meets a time zone. */
#include "duty/duty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

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

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int duty_time_parse(const char *s, int64_t *minutes)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!s)
		return -1;
	size_t n = strlen(s);
	if (n < 16 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' ||
	    !digits(s, 4) || !digits(s + 5, 2) || !digits(s + 8, 2) || !digits(s + 11, 2) ||
	    !digits(s + 14, 2))
		return -1;
	const char *rest = s + 16;
	if (rest[0] == ':') { /* seconds: only :00 (the roster counts minutes) */
		if (strncmp(rest, ":00", 3) != 0)
			return -1;
		rest += 3;
	}
	if (*rest && strcmp(rest, "+08:00") != 0)
		return -1;
	int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2), h = num(s + 11, 2),
	    mi = num(s + 14, 2);
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > (mo == 2 && leap(y) ? 29 : dm[mo - 1]) ||
	    h > 23 || mi > 59)
		return -1;
	*minutes = days_from_civil(y, mo, d) * 1440 + h * 60 + mi;
	return 0;
}

void duty_time_format(int64_t minutes, char out[DUTY_TIME_SZ])
{
	int64_t day = minutes >= 0 ? minutes / 1440 : -((-minutes + 1439) / 1440);
	int64_t rem = minutes - day * 1440;
	int y, m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, DUTY_TIME_SZ, "%04d-%02d-%02dT%02d:%02d", y % 10000, m % 100, d % 100,
		 (int)(rem / 60) % 100, (int)(rem % 60));
}

int duty_on_duty(int64_t start, int64_t end, int64_t t)
{
	return start <= t && t < end;
}

struct event {
	int64_t t;
	int delta; /* +1 a shift begins, -1 one ends */
};

static int by_time(const void *x, const void *y)
{
	const struct event *a = x, *b = y;
	if (a->t != b->t)
		return a->t < b->t ? -1 : 1;
	return a->delta - b->delta; /* ends before starts: touching shifts do not overlap */
}

static void add_span(struct duty_span *spans, int *n, int64_t *total, int64_t s, int64_t e)
{
	if (e <= s)
		return;
	*total += e - s;
	if (*n < DUTY_MAX_SPANS)
		spans[*n] = (struct duty_span){s, e};
	(*n)++;
}

int duty_coverage_compute(const struct duty_span *shifts, int n, int64_t from, int64_t to,
			  struct duty_coverage *out)
{
	memset(out, 0, sizeof *out);
	out->from = from;
	out->to = to;
	if (to <= from)
		return 0;
	struct event *ev = malloc(sizeof *ev * (size_t)(n > 0 ? 2 * n : 1));
	if (!ev)
		return -1;
	int ne = 0;
	for (int i = 0; i < n; i++) {
		int64_t s = shifts[i].start < from ? from : shifts[i].start;
		int64_t e = shifts[i].end > to ? to : shifts[i].end;
		if (e <= s)
			continue;
		ev[ne++] = (struct event){s, +1};
		ev[ne++] = (struct event){e, -1};
	}
	qsort(ev, (size_t)ne, sizeof *ev, by_time);
	/* Walk the period: between consecutive event times the depth is constant. A gap (depth
	 * 0) or overlap (depth >= 2) span opens when the condition starts and closes when it ends,
	 * so the spans are maximal. */
	int depth = 0;
	int64_t t = from, gap_start = from, ovl_start = -1;
	int in_gap = 1;
	for (int i = 0; i <= ne; i++) {
		int64_t next = i < ne ? ev[i].t : to;
		if (next > t) {
			/* [t, next) at depth */
			if (depth > 0)
				out->covered_minutes += next - t;
			t = next;
		}
		if (i == ne)
			break;
		depth += ev[i].delta;
		/* decide on the depth after all events at this instant */
		if (i + 1 < ne && ev[i + 1].t == ev[i].t)
			continue;
		if (in_gap && depth > 0) {
			add_span(out->gaps, &out->n_gaps, &out->gap_minutes, gap_start, ev[i].t);
			in_gap = 0;
		} else if (!in_gap && depth == 0) {
			gap_start = ev[i].t;
			in_gap = 1;
		}
		if (ovl_start < 0 && depth >= 2) {
			ovl_start = ev[i].t;
		} else if (ovl_start >= 0 && depth < 2) {
			add_span(out->overlaps, &out->n_overlaps, &out->overlap_minutes, ovl_start,
				 ev[i].t);
			ovl_start = -1;
		}
	}
	if (in_gap)
		add_span(out->gaps, &out->n_gaps, &out->gap_minutes, gap_start, to);
	if (ovl_start >= 0)
		add_span(out->overlaps, &out->n_overlaps, &out->overlap_minutes, ovl_start, to);
	free(ev);
	return 0;
}
