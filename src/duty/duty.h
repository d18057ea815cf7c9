/* duty.h — 值班值守 (24-hour duty rosters): public face.
 * (Owned by the duty module: duty_rules.c the pure rules — local date-times, who is on duty at
 * an instant, coverage gaps and overlaps —, duty_schema.c the tables, duty_store.c rosters,
 * shifts, shift reports, handovers and the "on duty now" view, duty_api.c the routes. The demo
 * city's rosters are made in src/demo/demo_inspections.c. docs/duty.md explains it for people.)
 *
 * Model:
 *   - A roster is one unit's 24-hour duty schedule: the city (region code of 4 digits), a
 *     county (6), a township (9) or an institution (its region code and, when the institutions
 *     registry has it, its id). It has the duty room's own line (duty_phone: an office number,
 *     published, shown in full).
 *   - A shift is one person on duty from start to end (local time, Asia/Shanghai, minutes:
 *     "2020-02-01T08:00"; a night shift crosses midnight). post: "leader" (带班领导) or
 *     "officer" (值班员). The person's phone is personal data: masked unless registry.unmask,
 *     and an unmasked read is audited. A shift lasts at most duty_shift_max_days (policy) days.
 *   - Coverage of a roster over a period looks at the officers: every minute of the period must
 *     have one (gaps are listed), and two officers at once is listed as an overlap (both are
 *     facts for the person who plans the roster; neither is refused, except the same person
 *     twice at once: 409 shift_overlap).
 *   - A shift report is the shift's own account once it has begun: a zero report ("nothing
 *     happened on my watch") or events; one per shift (409 already_reported). The officers'
 *     reports are expected (a leader may file one, none is missed when he does not).
 *   - A handover passes a shift to the next one of the same roster and post (the incoming shift
 *     starts no later than the outgoing ends, and ends after it) with notes of what is pending;
 *     one per outgoing shift.
 *
 * Access (every function takes the acting user): read with duty or institution.read, write
 * with duty; a roster, its shifts, reports and handovers lie in scope when the roster's region
 * code does (scope_sql). Out of scope, unknown, or a caller without either permission: 404
 * not_found. The "on duty now" view also names, for the caller's own unit, who is on duty at
 * the units above it (city and county): their duty line and the on-duty persons' names, so a
 * township knows whom to call; those are not records the caller can open.
 *
 * Errors: 400 required / invalid_value / invalid_region (with the field), 403 forbidden /
 * out_of_scope, 404 not_found, 409 conflict / shift_overlap / shift_started / shift_not_started
 * / already_reported / already_handed_over. Every write is one transaction with its audit row
 * (duty.roster, duty.shift, duty.shift.delete, duty.report, duty.handover, duty.unmask).
 */
#ifndef MZ_DUTY_H
#define MZ_DUTY_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char duty_schema_v1[];

/* The module's routes (duty_api.c), ending with {0}: see docs/api.md "Duty rosters". */
extern const struct api_route duty_routes[];

#define DUTY_NAME_CHARS 60
#define DUTY_NAME_SZ (DUTY_NAME_CHARS * 4 + 1)
#define DUTY_TEXT_CHARS 1000
#define DUTY_TEXT_SZ (DUTY_TEXT_CHARS * 4 + 1)
#define DUTY_TIME_SZ 17 /* "YYYY-MM-DDTHH:MM" + NUL */
#define DUTY_PAGE_MAX 500
#define DUTY_MAX_SPANS 200 /* gaps or overlaps listed per coverage (the counts are complete) */

/* ---- rules (duty_rules.c): pure, no I/O -------------------------------------------------- */

/* Parse a local date-time "YYYY-MM-DDTHH:MM" (also with a space for the T, ":SS" seconds of
 * 00, and a "+08:00" suffix) into minutes since 1970-01-01T00:00 local time. 0, or -1 when it
 * is not a real date and time (24:00 is not a time; use the next day's 00:00). */
int duty_time_parse(const char *s, int64_t *minutes);
/* Minutes since the epoch (local) as "YYYY-MM-DDTHH:MM" into out[DUTY_TIME_SZ]. */
void duty_time_format(int64_t minutes, char out[DUTY_TIME_SZ]);

struct duty_span {
	int64_t start, end; /* minutes, [start, end) */
};

/* 1 when instant t lies in [start, end): a shift 20:00–08:00 covers 03:00 of the next day and
 * not 08:00 itself (the next shift has it). */
int duty_on_duty(int64_t start, int64_t end, int64_t t);

struct duty_coverage {
	int64_t from, to;        /* the period, minutes */
	int64_t covered_minutes; /* minutes with at least one officer */
	int64_t gap_minutes;     /* minutes with none */
	int64_t overlap_minutes; /* minutes with two or more */
	int n_gaps, n_overlaps;  /* how many maximal spans of each */
	struct duty_span gaps[DUTY_MAX_SPANS];     /* the first DUTY_MAX_SPANS, in order */
	struct duty_span overlaps[DUTY_MAX_SPANS];
};

/* Coverage of [from, to) by shifts (any order; spans outside the period are cut): maximal
 * uncovered spans and maximal spans covered two or more times. Shifts that merely touch
 * (one ends when the next begins) neither overlap nor leave a gap. 0, or -1 when out of
 * memory (out is then all zero but for the period). */
int duty_coverage_compute(const struct duty_span *shifts, int n, int64_t from, int64_t to,
			   struct duty_coverage *out);

/* ---- rosters (duty_store.c) --------------------------------------------------------------- */

struct duty_roster {
	int64_t id;
	char unit_kind[16];  /* "city", "county", "township", "institution" */
	char region_code[16];
	char region_name[128];
	int64_t institution_id; /* 0 when none */
	char name[DUTY_NAME_SZ];
	char duty_phone[24];
	char note[DUTY_TEXT_SZ];
	char created_at[32];
	char created_by[64];
	char updated_at[32];
};

/* Create a roster (duty; the region in scope, else 403 out_of_scope). kind and the region
 * code's level must agree (city 4 digits, county 6, township 9; an institution any region of
 * county level or below). name "" = the region's name + "值班" (an institution needs its name,
 * or the registry's when it has institution_id). One roster per unit (409 conflict). */
int duty_roster_create(struct db *db, const struct actor *a, const struct duty_roster *in,
		       int64_t *id, struct err *e);
/* Change name, duty_phone and note (the fields given: has_* in duty_roster_patch). */
struct duty_roster_patch {
	int has_name, has_phone, has_note;
	char name[DUTY_NAME_SZ];
	char duty_phone[24];
	char note[DUTY_TEXT_SZ];
};
int duty_roster_update(struct db *db, const struct actor *a, int64_t id,
		       const struct duty_roster_patch *p, struct err *e);
int duty_roster_get(struct db *db, const struct actor *a, int64_t id, struct duty_roster *out,
		    struct err *e);

struct duty_roster_query {
	char region[16]; /* narrowing prefix */
	char kind[16];
	int limit, offset;
};

struct duty_roster_page {
	int64_t total;
	int n;
	struct duty_roster *items;
};

/* Rosters in scope, by region code then kind. */
int duty_roster_list(struct db *db, const struct actor *a, const struct duty_roster_query *q,
		     struct duty_roster_page *out, struct err *e);
void duty_roster_page_release(struct duty_roster_page *p);

/* ---- shifts ---------------------------------------------------------------------------- */

struct duty_shift {
	int64_t id;
	int64_t roster_id;
	char region_code[16];
	char post[12];        /* "leader" | "officer" */
	char person_name[DUTY_NAME_SZ];
	char phone[24];       /* masked unless the read was unmasked */
	char start_at[DUTY_TIME_SZ];
	char end_at[DUTY_TIME_SZ];
	char note[DUTY_TEXT_SZ];
	/* the shift's report and handover, when made */
	char report_kind[8];  /* "", "zero", "events" */
	char report_events[DUTY_TEXT_SZ];
	char reported_at[32];
	char reported_by[64];
	int64_t handover_id;
	int64_t handed_to;    /* the incoming shift */
	char handover_notes[DUTY_TEXT_SZ];
	char handed_at[DUTY_TIME_SZ];
	int on_duty;          /* covers the instant asked about (lists with an instant) */
};

/* Add a shift to a roster: post, person (name, phone validated), start < end, length at most
 * duty_shift_max_days of the roster's unit (policy, month of the start), not the same person
 * (name and phone) overlapping in the same roster (409 shift_overlap). Audited (duty.shift). */
int duty_shift_add(struct db *db, const struct actor *a, int64_t roster_id,
		   const struct duty_shift *in, int64_t *id, struct err *e);
/* Remove a shift that has not begun and has no report or handover (409 shift_started). */
int duty_shift_delete(struct db *db, const struct actor *a, int64_t id, struct err *e);
/* One shift (phone masked unless unmask: registry.unmask, audited). */
int duty_shift_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		   struct duty_shift *out, struct err *e);

/* The roster's shifts overlapping [from, to) (minutes), by start then post; *out malloc'd. at
 * (minutes, or -1) sets each shift's on_duty. unmask as duty_shift_get. */
int duty_shifts(struct db *db, const struct actor *a, int64_t roster_id, int64_t from, int64_t to,
		int64_t at, int unmask, struct duty_shift **out, int *n, struct err *e);

/* Coverage of the roster's officer shifts over [from, to) (at most 366 days). */
int duty_roster_coverage(struct db *db, const struct actor *a, int64_t roster_id, int64_t from,
			 int64_t to, struct duty_coverage *out, struct err *e);

/* ---- reports and handovers ------------------------------------------------------------- */

/* The shift's report: zero = 1 for a zero report (events must be empty), else events (text,
 * required). The shift must have begun (409 shift_not_started); one per shift. */
int duty_shift_report(struct db *db, const struct actor *a, int64_t shift_id, int zero,
		      const char *events, struct err *e);
/* Hand the shift over to to_shift_id (same roster and post; it starts no later than this one
 * ends and ends after it). at "" = now, else a local time not before this shift's start and
 * not in the future. *id the handover. */
int duty_handover(struct db *db, const struct actor *a, int64_t shift_id, int64_t to_shift_id,
		  const char *notes, const char *at, int64_t *id, struct err *e);

struct duty_handover_row {
	int64_t id;
	int64_t roster_id;
	char roster_name[DUTY_NAME_SZ];
	char region_code[16];
	int64_t from_shift_id, to_shift_id;
	char from_person[DUTY_NAME_SZ], to_person[DUTY_NAME_SZ];
	char post[12];
	char handed_at[DUTY_TIME_SZ];
	char notes[DUTY_TEXT_SZ];
	char created_by[64];
};

struct duty_handover_query {
	int64_t roster_id;
	char region[16];
	char from[DUTY_TIME_SZ], to[DUTY_TIME_SZ]; /* handed_at range ("" = open) */
	int limit, offset;
};

struct duty_handover_page {
	int64_t total;
	int n;
	struct duty_handover_row *items;
};

/* Handovers in scope, newest first. */
int duty_handover_list(struct db *db, const struct actor *a, const struct duty_handover_query *q,
		       struct duty_handover_page *out, struct err *e);
void duty_handover_page_release(struct duty_handover_page *p);

/* ---- who is on duty now ---------------------------------------------------------------- */

/* One person on duty at an instant (a slim shift). */
struct duty_person {
	int64_t shift_id;
	char post[12];
	char person_name[DUTY_NAME_SZ];
	char phone[24]; /* masked unless unmasked */
	char start_at[DUTY_TIME_SZ];
	char end_at[DUTY_TIME_SZ];
};

struct duty_now_unit {
	struct duty_roster roster;
	int n_on_duty;
	struct duty_person on_duty[8]; /* on duty at the instant (leaders first) */
	int officer_on_duty;         /* 0: nobody on the officer post — a gap right now */
	int64_t report_missing;      /* officer shifts of this roster that ended before the
				      * instant, in the last 7 days, without a report */
};

struct duty_now {
	char at[DUTY_TIME_SZ];
	int n;
	struct duty_now_unit *units;  /* rosters in scope (region filter), by region code */
	int n_upward;
	struct duty_now_unit upward[2]; /* the city's and the county's rosters above the caller */
	int unmasked;
};

/* Who is on duty at `at` (local time; "" = now) in the rosters in scope under region ("" = the
 * whole scope), at most DUTY_PAGE_MAX rosters. unmask as duty_shift_get (one audit row). */
int duty_now(struct db *db, const struct actor *a, const char *region, const char *at, int unmask,
	     struct duty_now *out, struct err *e);
void duty_now_release(struct duty_now *n);

/* ---- bulk loading (the demo) ------------------------------------------------------------- */

/* Rows made elsewhere by these rules, written inside the caller's open write transaction with
 * no audit row of their own (the caller audits the load as a whole) and no checks beyond the
 * tables' constraints. Times "YYYY-MM-DDTHH:MM"; *_at timestamps as clock_now_iso writes them. */
int duty_bulk_shift(struct db *db, int64_t roster_id, const char *region_code, const char *post,
		    const char *person_name, const char *phone, const char *start_at,
		    const char *end_at, const char *created_at, const char *by, int64_t *id,
		    struct err *e);
int duty_bulk_report(struct db *db, int64_t shift_id, int zero, const char *events,
		     const char *reported_at, const char *by, struct err *e);
int duty_bulk_handover(struct db *db, int64_t from_shift_id, int64_t to_shift_id,
		       int64_t roster_id, const char *region_code, const char *handed_at,
		       const char *notes, const char *created_at, const char *by, struct err *e);

/* ---- the demo step (src/demo/demo_inspections.c) ---------------------------------------- */

struct demo_options;
struct demo_report;

/* Duty rosters of the city and every county over 2020-02-01..2020-04-30: day and night
 * officers, a leader per day, zero reports (a few with events) and handovers. One
 * transaction, audited, a pure function of the seed. */
int demo_duty(struct db *db, const struct actor *sys, const struct demo_options *o,
	      struct demo_report *r, struct err *e);

#endif
