/* crosscheck.h — 死亡比对：死亡名单、停发与多发追回: the cross-check module's whole public face.
 * (Owned by the crosscheck module: crosscheck_schema.c the tables (migration 22),
 * crosscheck_rules.c the pure rules — the month after a death, the recovery workflow's
 * transitions —, crosscheck_store.c deaths, overpayments, the workflow and the monthly report,
 * crosscheck_api.c the routes; import/import_deaths.c the death-list import. docs/funeral.md
 * explains it for people.)
 *
 * How it works:
 *   1. A death is recorded for a person of the registry (crosscheck_deaths: person, ID number,
 *      day of death, source): by a funeral home's record whose ID number matches the registry
 *      (funeral module, same transaction), or by a death list of another department (health,
 *      public security) imported as a spreadsheet. One row per (person, source, source_ref), so
 *      importing a list again changes nothing; when sources disagree on the day, the earliest
 *      counts.
 *   2. From the month after the month of death the person is paid by no program: the
 *      assistance module's entitlements treat a recorded death like a removal from the
 *      registry dated the day of death (a 低保 household's amount is recomputed without the dead
 *      member; a one-person case is not owed). So the next payroll excludes them.
 *   3. Payments already made (payments.status = 'paid') for a month after the month of death
 *      that count the person become overpayments (crosscheck_overpayments, one per payment):
 *      a one-person program's whole payment; for a 低保 household the payment less what the
 *      household is owed for that month without the dead member (recomputed by the assistance
 *      module's rules), i.e. exactly what was paid too much. Found at once when the death is
 *      recorded, and again by crosscheck_scan (payments confirmed later).
 *   4. The county recovers them: found → notified → recovered, or written off with a reason
 *      (found or notified → written_off).
 *   5. The monthly report per management unit: deaths matched in the month, payments stopped
 *      (persons counted in a payment of the month before and dead before the month, who are not
 *      in a payment of the month), overpayments found (by their payment's month) and recovered.
 *
 * Access: crosscheck (PERM_CROSSCHECK) and scope on the person's village (deaths) or the
 * payment's village (overpayments); out of scope is 404. Names and ID numbers are masked unless
 * the caller has registry.unmask and asks (?unmask=1; audited crosscheck.unmask).
 *
 * Errors: 400 required / invalid_value, 403 forbidden, 404 not_found, 409 recovery_state.
 * Every write is one transaction with its audit row (crosscheck.death, crosscheck.overpayment,
 * crosscheck.notify / recover / write_off, crosscheck.scan).
 */
#ifndef MZ_CROSSCHECK_H
#define MZ_CROSSCHECK_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char crosscheck_schema_v1[];
extern const struct api_route crosscheck_routes[];

#define CROSSCHECK_PAGE_MAX 200

/* ================================================================ rules (crosscheck_rules.c) */

/* The first month a death on died_on ("YYYY-MM-DD") is no longer paid: "2020-02-10" →
 * "2020-03", "2020-12-31" → "2021-01". out[8]; 0 or -1 when died_on is malformed. */
int crosscheck_stop_month(const char *died_on, char out[8]);
/* The month before `month` ("YYYY-MM") into out[8]; 0 or -1. */
int crosscheck_prev_month(const char *month, char out[8]);
/* The recovery workflow: action "notify" | "recover" | "write_off" from status "found" |
 * "notified" | …: the new status into out[16], or 409 recovery_state / 400 required (no
 * action) / 400 invalid_value (unknown action). write_off needs a reason of 1–200 characters (400 required). */
int crosscheck_transition(const char *status, const char *action, const char *reason,
			  char out[16], struct err *e);

/* ================================================================ deaths (crosscheck_store.c) */

/* Record a death inside the caller's open write transaction: the person whose ID number is
 * id_number (normalized 18 characters), died on died_on, from source "funeral" or "import"
 * with a reference (the funeral record's id, or the department of a list). 1 when recorded,
 * 2 when that source had recorded it already (nothing changes), 0 when no person of the
 * registry has the ID number (nothing written), -1 with e. Finds the person's overpayments
 * (*n_over, may be NULL). Audited crosscheck.death. No permission check: the caller's own
 * (a funeral record, an import) decides. */
int crosscheck_death_record(struct db *db, const struct actor *a, const char *id_number,
			    const char *died_on, const char *source, const char *source_ref,
			    int64_t *person_id, int *n_over, struct err *e);

/* Look for overpayments of every recorded death in the caller's scope (payments confirmed after
 * the death was recorded); one transaction, audited crosscheck.scan. *found: new ones. */
int crosscheck_scan(struct db *db, const struct actor *a, int *found, struct err *e);

/* The day of death recorded for a person (the earliest), for the registry's person detail: 1
 * with out filled, 0 when none, -1 with e. The caller has checked the person is in scope. */
int crosscheck_died_on(struct db *db, int64_t person_id, char out[11], struct err *e);

struct crosscheck_death {
	int64_t id, person_id;
	char name[128];        /* masked unless unmasked */
	char id_number[24];    /* masked unless unmasked */
	char region_code[16], region_name[128], unit_code[16];
	char died_on[11];
	char source[12];
	char source_ref[128];
	char recorded_at[32], recorded_by[64];
	int on_roll;           /* on an assistance roll: counted in a payment of the death month or later */
	int64_t overpayments, overpaid_fen;
};

struct crosscheck_filter {
	char month[8];     /* deaths: died in the month; overpayments: payment month; "" = any */
	char region[16];   /* narrowing region prefix within scope, "" = none */
	char status[16];   /* overpayments: found | notified | recovered | written_off | open */
	int unmask;
	int limit, offset;
};

/* The deaths in scope, newest first. unmask audited crosscheck.unmask (registry.unmask else
 * 403). */
int crosscheck_deaths_list(struct db *db, const struct actor *a, const struct crosscheck_filter *f,
			   int (*fn)(const struct crosscheck_death *d, void *ctx), void *ctx,
			   int64_t *total, struct err *e);

struct crosscheck_overpayment {
	int64_t id, payment_id, person_id, case_id;
	char name[128], id_number[24];
	char program[20];
	char month[8];
	char died_on[11];
	int64_t paid_fen, amount_fen, recovered_fen;
	char region_code[16], region_name[128], unit_code[16];
	char status[16];
	char reason[800];
	char found_at[32], updated_at[32], updated_by[64];
};

int crosscheck_overpayments_list(struct db *db, const struct actor *a,
				 const struct crosscheck_filter *f,
				 int (*fn)(const struct crosscheck_overpayment *o, void *ctx),
				 void *ctx, int64_t *total, struct err *e);
/* One overpayment (404 out of scope). */
int crosscheck_overpayment_get(struct db *db, const struct actor *a, int64_t id,
			       struct crosscheck_overpayment *out, struct err *e);
/* Take a workflow action; audited crosscheck.<action>. */
int crosscheck_overpayment_act(struct db *db, const struct actor *a, int64_t id,
			       const char *action, const char *reason, struct err *e);

/* The monthly report, one row per management unit in scope (and a total). */
struct crosscheck_report_row {
	char unit_code[16], unit_name[128];
	int64_t matched, stopped, overpayments, overpaid_fen, recovered, recovered_fen;
};
struct crosscheck_report {
	char month[8];
	int n;
	struct crosscheck_report_row rows[40];
	struct crosscheck_report_row total;
};
int crosscheck_report_month(struct db *db, const struct actor *a, const char *month,
			    struct crosscheck_report *out, struct err *e);

/* The statistics part (report_stats_funeral.c), no scope (the report decides what it shows):
 * deaths with died_on in from..to (fn kind 0, the person's village), overpayments whose payment
 * month lies in from..to (kind 1, the payment's village, with the amount). */
int crosscheck_stats_each(struct db *db, const char *from, const char *to,
			  void (*fn)(int kind, const char *region_code, int64_t fen, void *ctx),
			  void *ctx, struct err *e);

#endif
