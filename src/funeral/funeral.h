/* funeral.h — 殡葬服务：遗体接运、火化与消毒记录: the funeral module's whole public face.
 * (Owned by the funeral module: funeral_rules.c the pure rules — the record's fields, the order
 * of the steps, the epidemic procedure, the farewell-gathering suspension —, funeral_schema.c the
 * tables (migration 21), funeral_store.c the records, steps, suspensions, a home's daily figures
 * and the statistics counts, funeral_api.c the routes. docs/funeral.md explains it for people.)
 *
 * What it records. Each funeral home (an institution of type funeral_home in the institutions
 * module; records carry its id and, copied, its region code) registers every body it collects:
 * the deceased (citizen ID number and name, or "unidentified" with a description), the date of
 * death, the source (hospital / home / other — a hospital morgue's custody transfer is collected
 * free of charge), the cause category (confirmed / suspected COVID-19 / other). Then the steps,
 * each with its time and the staff who did it:
 *     transfer → cremation → terminal disinfection → ashes (handed to the family, or held)
 * - Confirmed and suspected cases follow the epidemic procedure: every step, in exactly that
 *   order, none skipped; the transfer by a dedicated vehicle through the dedicated channel, the
 *   cremation in a dedicated cremator; no farewell gathering ever.
 * - Other cases: the same order, but terminal disinfection may be left out.
 * - A step's time is not before the previous step's, nor before the day of death.
 * - A farewell gathering (告别仪式) is recorded with its day, before the cremation; it is refused
 *   on a day a suspension is in force (funeral_suspensions: dated periods the city sets — a
 *   deployment's own table rather than a policy parameter because it is a dated on/off rule, not
 *   a standard or a rate). So funeral.gatherings is 0 over a suspension by construction.
 *
 * The death cross-check. A record whose ID number is in the registry marks the person deceased
 * (crosscheck_death_record, in the same transaction as the record): from the month after the
 * death no program pays them, and payments already made for later months become overpayments.
 *
 * Access: funeral (PERM_FUNERAL) for every read and write, and the home's region code within the
 * caller's scope (out of scope: 404 not_found). Names and ID numbers are masked in lists and
 * details unless the caller has registry.unmask and asks (?unmask=1 on one record; audited
 * funeral.unmask). Suspensions: read with funeral; set by a user whose scope is the whole city.
 *
 * Errors (struct err): 400 required / invalid_value / invalid_id_number (with the field),
 * 403 forbidden, 404 not_found, 409 step_done / step_order / epidemic_procedure /
 * farewell_suspended / farewell_not_allowed. Every write is one transaction with its audit row
 * (funeral.body, funeral.step, funeral.farewell, funeral.suspension); on any error nothing changes.
 */
#ifndef MZ_FUNERAL_H
#define MZ_FUNERAL_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char funeral_schema_v1[];
extern const struct api_route funeral_routes[];

#define FUNERAL_PAGE_MAX 200
#define FUNERAL_TEXT_CHARS 200
#define FUNERAL_TEXT_SZ (FUNERAL_TEXT_CHARS * 4 + 1)
#define FUNERAL_NAME_SZ 128
#define FUNERAL_STAFF_SZ 128

/* ================================================================ rules (funeral_rules.c) */

enum funeral_step { FUNERAL_TRANSFER = 0, FUNERAL_CREMATION, FUNERAL_DISINFECTION, FUNERAL_ASHES,
		    FUNERAL_NSTEPS };

/* A step not given (400 required); -1 is an unknown one (400 invalid_value). */
#define FUNERAL_STEP_NONE (-2)

/* "transfer", "cremation", "disinfection", "ashes"; and back (-1 when unknown). */
const char *funeral_step_name(int step);
int funeral_step_of(const char *name);
/* 1 for the causes under the epidemic procedure: "confirmed", "suspected". */
int funeral_cause_epidemic(const char *cause);

/* A body as sent in (POST /funeral/bodies). */
struct funeral_body_in {
	int64_t institution_id;
	int unidentified;
	char id_number[24];
	char name[FUNERAL_NAME_SZ];
	char description[FUNERAL_TEXT_SZ];
	char died_on[16];
	char source[16];  /* hospital | home | other */
	char cause[16];   /* confirmed | suspected | other */
	char note[FUNERAL_TEXT_SZ];
};

/* Check and normalize a body before it is written: institution_id given; identified: a valid ID
 * number (normalized in place) and a name of 1–40 characters, no description needed;
 * unidentified: no ID number, a description of 1–200 characters (name optional); died_on a real
 * day not after `today`; source and cause known; note ≤ 200 characters. 0 or -1 with e (400). */
int funeral_body_check(struct funeral_body_in *in, const char *today, struct err *e);

/* A step as sent in. */
struct funeral_step_in {
	int step;            /* enum funeral_step */
	char at[24];         /* "YYYY-MM-DDTHH:MM" (normalized by funeral_step_check) */
	char staff[FUNERAL_STAFF_SZ];
	int dedicated;       /* transfer: dedicated vehicle and channel; cremation: dedicated cremator */
	char vehicle[64];    /* transfer: the vehicle */
	char cremator[64];   /* cremation: the cremator */
	char ashes[8];       /* ashes: handed | held */
	char receiver[FUNERAL_NAME_SZ]; /* ashes handed: the family member who received them */
	char note[FUNERAL_TEXT_SZ];
};

/* What the rules need of a body's state. */
struct funeral_state {
	int epidemic;               /* confirmed or suspected */
	char died_on[11];
	unsigned done;              /* bit (1u << step) for each step recorded */
	char last_at[24];           /* the latest recorded step's time, "" when none */
};

/* Check step `in` against the body's state (and `now`, "YYYY-MM-DDTHH:MM", no step in the
 * future): 409 step_done (recorded already), 409 epidemic_procedure (a confirmed or suspected
 * case taking a step out of order or skipping one; or its transfer/cremation not dedicated),
 * 409 step_order (any case: a step before an earlier one that is missing — cremation needs the
 * transfer, ashes the cremation — or after a later one), 400 invalid_value (time malformed,
 * before the previous step or the day of death, in the future; ashes not handed/held; a note
 * too long), 400 required (staff; the receiver of handed ashes). Normalizes in->at. */
int funeral_step_check(const struct funeral_state *s, struct funeral_step_in *in, const char *now,
		       struct err *e);

/* The next step the epidemic procedure (or the normal order) expects, FUNERAL_NSTEPS when all
 * are done. For an other case the disinfection is skipped past when the ashes are recorded. */
int funeral_next_step(const struct funeral_state *s);

/* A farewell gathering on `day`: 409 farewell_not_allowed for a confirmed or suspected case,
 * 409 farewell_suspended when `suspended` (a suspension covers the day), 409 step_order after
 * the cremation, 400 invalid_value for a malformed day or one before the death. */
int funeral_farewell_check(const struct funeral_state *s, const char *day, int suspended,
			   struct err *e);

/* A time "YYYY-MM-DDTHH:MM" (also with a space, or with ":SS" and an offset, both dropped) into
 * out[17]; 0 or -1 when malformed. */
int funeral_time_norm(const char *in, char out[17]);

/* ================================================================ records (funeral_store.c) */

struct funeral_step_rec {
	int step;
	char at[24];
	char staff[FUNERAL_STAFF_SZ];
	int dedicated;
	char vehicle[64], cremator[64];
	char ashes[8];
	char receiver[FUNERAL_NAME_SZ];
	char note[FUNERAL_TEXT_SZ];
	char recorded_by[64];
};

struct funeral_body {
	int64_t id, institution_id;
	char home_name[128];
	char region_code[16];
	int unidentified;
	char id_number[24];   /* masked unless unmasked */
	char name[FUNERAL_NAME_SZ]; /* masked unless unmasked */
	char description[FUNERAL_TEXT_SZ];
	char died_on[11];
	char source[16];
	int free_transfer;
	char cause[16];
	int64_t person_id;    /* the registry match, 0 when none */
	char status[16];      /* registered, or the last step recorded */
	char next_step[16];   /* "" when complete */
	char farewell_on[11]; /* "" when none */
	int64_t farewell_attendees;
	char note[FUNERAL_TEXT_SZ];
	char created_at[32], created_by[64];
	int unmasked;
	int n_steps;
	struct funeral_step_rec steps[FUNERAL_NSTEPS];
};

/* Register a body at funeral home in->institution_id (an institution of type funeral_home in
 * the caller's scope, else 404; funeral permission, else 403). Matches the ID number to the
 * registry and, when found, records the death with the cross-check. `today` NULL = now.
 * Audited funeral.body. */
int funeral_body_create(struct db *db, const struct actor *a, struct funeral_body_in *in,
			const char *today, int64_t *out_id, struct err *e);
/* Record a step (funeral_step_check); `now` NULL = the current time. Audited funeral.step. */
int funeral_step_record(struct db *db, const struct actor *a, int64_t body_id,
			struct funeral_step_in *in, const char *now, struct err *e);
/* Record a farewell gathering on `day` with `attendees` (0–500). Audited funeral.farewell. */
int funeral_farewell_record(struct db *db, const struct actor *a, int64_t body_id,
			    const char *day, int64_t attendees, struct err *e);
/* One record with its steps; unmask: names and ID numbers in full (registry.unmask, else 403;
 * audited funeral.unmask). */
int funeral_body_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct funeral_body *out, struct err *e);

struct funeral_filter {
	int64_t institution_id; /* 0 = every home in scope */
	char cause[16];         /* "" = every cause; "epidemic" = confirmed and suspected */
	char status[16];        /* "" = any; "open" = not complete */
	char from[11], to[11];  /* died_on range, "" = open */
	int unmask;             /* names and ID numbers in full (registry.unmask; audited) */
	int limit, offset;
};

/* Records in scope, newest death first; fn gets each (masked unless f->unmask, which needs
 * registry.unmask — else 403 — and is audited funeral.unmask); *total the count. */
int funeral_body_list(struct db *db, const struct actor *a, const struct funeral_filter *f,
		      int (*fn)(const struct funeral_body *b, void *ctx), void *ctx, int64_t *total,
		      struct err *e);

/* A funeral home's figures for a day, for its daily report: bodies collected (transfers that
 * day), cremations that day, of which confirmed/suspected, disinfections, the records still
 * open at the end of the day, farewell gatherings that day. Access: funeral + scope, or the
 * home's own reporter (institution.report attached to it). */
struct funeral_daily {
	int64_t institution_id;
	char date[11];
	int64_t registered, transfers, cremations, epidemic_cremations, disinfections, ashes,
	    open, gatherings, deaths_registered;
};
int funeral_daily_get(struct db *db, const struct actor *a, int64_t institution_id,
		      const char *date, struct funeral_daily *out, struct err *e);

/* The funeral homes in scope (institutions of type funeral_home) with their record counts. */
struct funeral_home {
	int64_t id;
	char name[128];
	char region_code[16];
	int64_t bodies, epidemic, open;
};
int funeral_homes_list(struct db *db, const struct actor *a,
		       int (*fn)(const struct funeral_home *h, void *ctx), void *ctx, struct err *e);

/* Farewell-gathering suspensions: from_date .. to_date ("" = until further notice). */
struct funeral_suspension {
	int64_t id;
	char from_date[11], to_date[11];
	char note[FUNERAL_TEXT_SZ];
	char created_by[64], created_at[32];
};
/* Add a suspension (the caller's scope must be the whole city: 403 forbidden). Audited. */
int funeral_suspension_add(struct db *db, const struct actor *a, const char *from_date,
			   const char *to_date, const char *note, int64_t *out_id, struct err *e);
int funeral_suspensions_list(struct db *db, int (*fn)(const struct funeral_suspension *s, void *ctx),
			     void *ctx, struct err *e);
/* 1 when a suspension covers day, 0 when not, -1 on error. */
int funeral_suspended_on(struct db *db, const char *day, struct err *e);

/* The statistics part (report_stats_funeral.c): fn gets, per record whose death (body = 1) or
 * farewell gathering (gathering = 1) falls in from..to, the home's region code and whether the
 * cause is confirmed or suspected (epidemic, only with body). No scope: the report decides what
 * it shows. */
int funeral_stats_each(struct db *db, const char *from, const char *to,
		       void (*fn)(const char *region_code, int body, int epidemic, int gathering,
				  void *ctx),
		       void *ctx, struct err *e);

/* JSON (funeral_api.c) */
json_t *funeral_body_json(const struct funeral_body *b);

#endif
