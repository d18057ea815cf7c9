/* relief_internal.h — what the files of src/relief/ share with each other (not a public face). */
#ifndef MZ_RELIEF_INTERNAL_H
#define MZ_RELIEF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "relief/relief.h"

/* A record's day: "" or NULL = today; else a real day, not in the future, not before
 * not_before ("" = no bound). */
int relief_day(const char *in, const char *not_before, const char *field, char out[11],
	       struct err *e);
/* What the actor may do (relief_rules.h). */
void relief_who_of(const struct actor *a, struct relief_who *w);
/* A read transaction of our own unless one is open: *own says whether to end it. */
int relief_read_begin(struct db *db, int *own, struct err *e);
void relief_read_end(struct db *db, int own);

/* ---- the reserve's write path (relief_reserve.c), inside the caller's write transaction ---- */

/* Take amount off the township's reserve for grant_id (0 = not yet known: call
 * relief_reserve_draw_record afterwards). 0 when done (*balance_after set); 409
 * reserve_insufficient when the balance (in *balance_after) cannot cover it, with nothing
 * changed. */
int relief_reserve_take(struct db *db, const char *township, int64_t amount_fen,
			int64_t *balance_after, struct err *e);
/* The disbursement movement of a grant drawn with relief_reserve_take. */
int relief_reserve_draw_record(struct db *db, const struct actor *a, const char *township,
			       int64_t amount_fen, int64_t balance_after, int64_t grant_id,
			       const char *on, const char *at, struct err *e);
/* A grant's amount back into the reserve (the return movement). */
int relief_reserve_give_back(struct db *db, const struct actor *a, const char *township,
			     int64_t amount_fen, int64_t grant_id, const char *on, const char *at,
			     const char *note, struct err *e);
/* The township's reserve balance into *out (0 when it has no reserve yet): 0, or -1 with e on
 * a database error — never 0 for a balance that could not be read. */
int relief_reserve_balance(struct db *db, const char *township, int64_t *out, struct err *e);
/* A replenishment need: the pay-first grant the reserve could not cover. */
int relief_need_record(struct db *db, const struct actor *a, const char *township, const char *unit,
		       int64_t person_id, const char *cause, int64_t amount_fen,
		       int64_t balance_fen, const char *on, const char *at, const char *request_key,
		       struct err *e);

#endif
