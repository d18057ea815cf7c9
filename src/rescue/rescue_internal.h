/* rescue_internal.h — what the files of src/rescue/ share with each other (not a public face):
 * errors, scoped statements, the time of the call, text checks, transactions that join the
 * caller's, policy lookups and the scoped station load. */
#ifndef MZ_RESCUE_INTERNAL_H
#define MZ_RESCUE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "rescue/rescue.h"

/* 404 not_found: "<what>不存在或不在您的管辖范围内". */
int rescue_not_found(struct err *e, const char *what);


/* The moment of the call: `now` parsed (400 invalid_value, field "now"), or the clock. */
int rescue_now(const char *now, char text[RESCUE_TIME_SZ], int64_t *t, struct err *e);

/* An event time from the input: "" → now; else a valid moment (400 invalid_value, field) not
 * after now (400 invalid_value) and, when not_before > INT64_MIN, not before it (400
 * invalid_value, the message naming not_before_what). Normalized into out. */
int rescue_event_time(const char *text, const char *field, int64_t now, int64_t not_before,
		      const char *not_before_what, char out[RESCUE_TIME_SZ], int64_t *t,
		      struct err *e);

/* Text typed by people: UTF-8 without control characters (newlines allowed when multiline), at
 * most max_chars characters, and (required) not blank. 400 invalid_value / required naming the
 * field, the message naming the label. */
int rescue_text_check(const char *s, long max_chars, int multiline, int required, const char *field,
		      const char *label, struct err *e);

/* A write: begins one unless the caller has a transaction open. 1 began, 0 joined, -1 error. */
int rescue_begin(struct db *db, struct err *e);
/* Commit (or roll back on rc < 0) what rescue_begin began; passes rc on. */
int rescue_finish(struct db *db, int began, int rc, struct err *e);
/* A read transaction unless one is open: 1 began, 0 not, -1 error; end with rescue_end_read. */
int rescue_begin_read(struct db *db, struct err *e);
void rescue_end_read(struct db *db, int began);

/* A policy parameter in force for the station's unit in the month of date ("YYYY-MM-DD…"). */
int rescue_policy(struct db *db, const char *unit_code, const char *key, const char *date,
		  int64_t *out, struct err *e);

/* The station by id within the actor's scope (no occupancy); 404 when missing or out of scope. */
int rescue_station_load(struct db *db, const struct actor *a, int64_t id,
			struct rescue_station *out, struct err *e);

/* A valid citizen ID number normalized into out[19] (400 invalid_id_number naming field); ""
 * stays "". today "YYYY-MM-DD". */
int rescue_id_check(const char *raw, const char *field, const char *today, char out[19],
		    struct err *e);

#endif
