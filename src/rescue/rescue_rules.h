/* rescue_rules.h — the rescue station's pure rules (rescue_rules.c): times and dates in
 * Asia/Shanghai, fever, the decision at intake, isolation end dates with their extensions and
 * reductions, the stay limit, early leave from isolation, discharge details, name masking.
 *
 * No I/O and no clock: the store reads the records and the policy parameters in force and passes
 * them in, so every rule is tested alone (tests/unit/test_rescue_rules.c). Every check returns 0,
 * or -1 with e filled (status, stable code, field, Chinese message).
 */
#ifndef MZ_RESCUE_RULES_H
#define MZ_RESCUE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define RESCUE_TIME_SZ 32 /* "2020-02-01T10:00:00+08:00" + NUL */
#define RESCUE_DATE_SZ 11 /* "2020-02-01" + NUL */

/* ---- times and dates ---------------------------------------------------------------------- */

/* Parse "YYYY-MM-DDTHH:MM[:SS][+08:00]" (a space may stand for the T; no other offset: the
 * bureau's clock is Asia/Shanghai) into seconds since the epoch. 0, or -1 when malformed. */
int rescue_time_parse(const char *text, int64_t *out);
/* Seconds since the epoch as "YYYY-MM-DDTHH:MM:SS+08:00" into out[RESCUE_TIME_SZ]. */
void rescue_time_format(int64_t t, char out[RESCUE_TIME_SZ]);
/* The Shanghai calendar date of a moment, into out[RESCUE_DATE_SZ]. */
void rescue_time_date(int64_t t, char out[RESCUE_DATE_SZ]);
/* 1 when d is a real date "YYYY-MM-DD" (years 1900–2999). */
int rescue_date_valid(const char *d);
/* d + n days into out (d valid). */
void rescue_date_add(const char *d, int64_t n, char out[RESCUE_DATE_SZ]);
/* to − from in days (both valid). */
int64_t rescue_days_between(const char *from, const char *to);

/* ---- screening at intake ------------------------------------------------------------------ */

/* 1 when a temperature (tenths of °C) is a fever: at or above the threshold (policy
 * rescue_fever_tenths_c, 373 = 37.3 °C). */
int rescue_is_fever(int64_t temperature_tenths, int64_t threshold_tenths);

/* What the intake form decided, with what the rules need to check it. */
struct rescue_screening {
	int64_t temperature_tenths; /* measured at the door */
	int64_t fever_threshold;    /* policy rescue_fever_tenths_c */
	const char *risk;	    /* 14-day history: low | medium_high | unverifiable */
	const char *decision;	    /* admit | isolate | hospital | refuse */
	const char *reason;	    /* refuse: why (required) */
	const char *hospital;	    /* hospital: where to (required) */
	const char *report_to;	    /* fever: the epidemic command reported to (required) */
	int64_t room_id;	    /* admit / isolate: the room (required) */
};

/* The decision fits the screening:
 *   fever → only hospital (409 fever_referral_required, field decision), and the report to the
 *           epidemic command recorded (400 required, field report_to);
 *   medium/high-risk area or unverifiable status → not a plain admission (409
 *           isolation_required, field decision);
 *   refuse → a reason (400 required, reason); hospital → the hospital (400 required, hospital);
 *   admit / isolate → a room (400 required, room_id).
 * Unknown decision or risk: 400 invalid_value. */
int rescue_screening_check(const struct rescue_screening *s, struct err *e);

/* ---- isolation and stay ------------------------------------------------------------------- */

/* Planned end of an isolation started on `start` for `days` days (policy rescue_isolation_days):
 * start + days. Leaving on or after that date is not early. */
void rescue_isolation_end(const char *start, int64_t days, char out[RESCUE_DATE_SZ]);

/* A change of the planned end from current_end to new_end: new_end a valid date (400
 * invalid_value, new_end), after start (400 invalid_value, new_end), different from the current
 * end (400 invalid_value, new_end), with a reason (400 required, reason). *kind gets "extend"
 * (later) or "reduce" (earlier); the caller keeps current_end as the previous end. */
int rescue_end_change_check(const char *start, const char *current_end, const char *new_end,
			    const char *reason, const char **kind, struct err *e);

/* The last day of the stay: arrival + limit days (policy rescue_max_stay_days in force in the
 * arrival month), but never before the planned end of an isolation (nobody is put out in the
 * middle of one); isolation_end may be "" (none). */
void rescue_stay_until(const char *arrival_date, int64_t limit_days, const char *isolation_end,
		       char out[RESCUE_DATE_SZ]);

/* A stay extension from current_until to new_until: later (400 invalid_value, until), with a
 * reason (400 required, reason) and who approved it (400 required, approved_by). */
int rescue_stay_extend_check(const char *current_until, const char *new_until, const char *reason,
			     const char *approved_by, struct err *e);

/* A discharge at the end of the maximum stay: the leave date must have reached stay_until (409
 * stay_not_reached, naming the date). */
int rescue_max_stay_check(const char *stay_until, const char *leave_date, struct err *e);

/* ---- early leave from isolation ----------------------------------------------------------- */

struct rescue_test_rec {
	int64_t sampled; /* seconds since the epoch */
	int positive;	 /* 0 negative, 1 positive */
};

/* May a person in isolation planned to end on planned_end leave (or end the isolation) at
 * leave_at? Yes when the leave date is on or after planned_end. Before it, only when the latest
 * test sampled at or before leave_at is negative and sampled within valid_hours (policy
 * rescue_test_valid_hours) before leave_at. Otherwise 409 negative_test_required with the reason
 * in Chinese: no test on record, the latest test positive, or the latest negative test too old.
 * *early (may be NULL) gets 1 when the leave is before planned_end; *used_test (may be NULL) the
 * index of the test that allowed it, -1 when none. */
int rescue_early_leave_check(const char *planned_end, int64_t leave_at,
			     const struct rescue_test_rec *tests, int n, int64_t valid_hours,
			     int *early, int *used_test, struct err *e);

/* ---- discharge ---------------------------------------------------------------------------- */

struct rescue_discharge_rec {
	const char *kind;	 /* return_home | transfer | hospital | voluntary | max_stay */
	const char *ticket;	 /* return_home: the ticket (train, coach…) */
	const char *destination; /* return_home: where to */
	const char *transfer_to; /* transfer, hospital: the institution or hospital */
	int declaration_signed;	 /* voluntary: the signed declaration is on file */
};

/* The details a discharge of its kind needs: 400 invalid_value (kind), 400 required (ticket,
 * destination, transfer_to), 400 declaration_required (declaration_signed). The stay limit of
 * max_stay is rescue_max_stay_check's. */
int rescue_discharge_check(const struct rescue_discharge_rec *d, struct err *e);

/* ---- personal data ------------------------------------------------------------------------ */


/* The family-search notice's deadline: arrival + hours (policy rescue_family_search_hours). */
int64_t rescue_family_search_due(int64_t arrived, int64_t hours);

#endif
