/* calendar.h — working days and official holidays (工作日与法定节假日): public face.
 * (Owned by the calendar module: calendar_rules.c pure date arithmetic, calendar_schema.c the
 * table and the built-in holidays, calendar_store.c lookups and changes, calendar_api.c the
 * routes. docs/calendar.md explains it for people.)
 *
 * Deadlines counted in working days (temporary assistance papers: 5; normal decision: 15;
 * price subsidies: 20 after the index release) skip weekends and official holidays, and count
 * the weekend days the State Council's notice turns into working days (调休上班). Holidays are
 * data, not code: one row per day that differs from the plain Monday–Friday rule, in
 * calendar_days (day, kind 'holiday' | 'workday', name). The official notices of 2019–2021 are
 * built in (migration 10), including the 2020 Spring Festival extension to 2 February (国办发明电
 * 〔2020〕1 号); a deployment adds each new year's notice with `minzheng calendar set` / `import`
 * or POST /api/v1/calendar (city users with policy.write).
 *
 * Dates are "YYYY-MM-DD" (years 1900–2999), checked strictly (2020-02-30 is refused).
 *
 * Errors (struct err): 400 invalid_value (with the field), 403 forbidden, 500 internal.
 */
#ifndef MZ_CALENDAR_H
#define MZ_CALENDAR_H

#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char calendar_schema_v1[];

/* The routes (calendar_api.c), ending with {0}: GET /api/v1/calendar?year=YYYY,
 * GET /api/v1/calendar/working-days?from=DATE&n=N, POST /api/v1/calendar. */
extern const struct api_route calendar_routes[];

#define CALENDAR_MAX_SPAN 400 /* working days one call may add */

/* ---- pure date arithmetic (calendar_rules.c) ------------------------------------------- */

/* 1 when s is a real date "YYYY-MM-DD" with a year 1900–2999. */
int calendar_date_valid(const char *s);
/* Days since 1970-01-01 of a valid date (calendar_date_valid first). */
int64_t calendar_days_from_date(const char *date);
/* The date of a day number, into out[11]. */
void calendar_date_from_days(int64_t days, char out[11]);
/* 1 = Monday … 7 = Sunday. */
int calendar_weekday(const char *date);
/* date + n calendar days (n may be negative) into out[11]. */
void calendar_add_days(const char *date, int n, char out[11]);

/* ---- lookups (calendar_store.c; not scoped: the calendar is the whole country's) --------- */

/* *out = 1 when date is a working day: a 'workday' row, else no 'holiday' row and Monday to
 * Friday. 400 invalid_value for a bad date. */
int calendar_is_working_day(struct db *db, const char *date, int *out, struct err *e);

/* The date n working days after date (date itself not counted; n = 0 gives date itself),
 * n in 0..CALENDAR_MAX_SPAN, into out[11]. A deadline of "5 working days from 2020-01-23"
 * is 2020-02-07 (the extended Spring Festival holiday does not count). */
int calendar_add_working_days(struct db *db, const char *date, int n, char out[11],
			      struct err *e);

/* Working days in (from, to]: 0 when to <= from. Both dates valid; the span at most ten years.
 * Used for "how many working days late". */
int calendar_working_days_between(struct db *db, const char *from, const char *to, int *out,
				  struct err *e);

struct calendar_day {
	char date[11];
	char kind[8];    /* holiday workday */
	char name[64];   /* 春节, 国庆节, 春节调休上班 … */
	char set_by[64];
	char set_at[32];
};

/* The rows of one year, in date order; fn returns non-zero to stop. Needs login only. */
int calendar_list(struct db *db, int year, int (*fn)(const struct calendar_day *d, void *ctx),
		  void *ctx, struct err *e);

/* Set one day: kind 'holiday' or 'workday' (with a name, 1–30 characters), or 'normal' to
 * remove the row (the plain weekday rule applies again). Only the city may change the calendar:
 * policy.write and a scope covering the whole city (a county user gets 403 forbidden). One
 * transaction with its audit row (calendar.set), unless the caller has one open. */
int calendar_set(struct db *db, const struct actor *a, const char *date, const char *kind,
		 const char *name, struct err *e);

/* Import a notice: CSV lines "date,kind,name" (UTF-8, optional BOM and header line "date,…").
 * All or nothing (400 invalid_value with field "line N"); one transaction, one audit row
 * (calendar.import). *n gets the rows written. */
int calendar_import(struct db *db, const struct actor *a, const char *csv, size_t len, int *n,
		    struct err *e);

#endif
