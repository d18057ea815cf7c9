/* assistance.h — assistance cases (低保, 特困, orphans, de-facto-unsupported children): public face.
 * (Owned by the assistance module: assistance_rules.{h,c} the pure formulas, assistance_schema.c
 * the tables, assistance_store.c the lifecycle SQL, assistance_api.c the routes,
 * assistance_entitlements.c what is owed for a month.)
 *
 * A case is one program for one household (低保) or one person (the others). Its lifecycle and
 * records are the module's own business; what the rest of the system needs is:
 *   - the entitlements of a month (who is owed how much, in which unit, to which account), which
 *     the payroll pays exactly once — see assistance_entitlements() below;
 *   - the routes for the UI and integrations.
 */
#ifndef MZ_ASSISTANCE_H
#define MZ_ASSISTANCE_H

#include <stdint.h>

#include "assistance/assistance_rules.h"
#include "core/actor.h"
#include "core/err.h"
#include "core/scope.h"
#include "db/db.h"
#include "http/api.h"

extern const char assistance_schema_v1[];
extern const struct api_route assistance_routes[];

/* Program names, as stored and in the API. */
#define ASSISTANCE_DIBAO "dibao"
#define ASSISTANCE_TEKUN "tekun"
#define ASSISTANCE_ORPHAN "orphan"
#define ASSISTANCE_UNSUPPORTED_CHILD "unsupported_child"

/* What one case is owed for one month. The payroll writes one payment per
 * (program, case_id, month) from these, so enumerating the same month twice must give the same
 * rows (it reads only committed data and the parameters in force that month). */
struct assistance_entitlement {
	int64_t case_id;
	char program[20];          /* one of the names above */
	int64_t beneficiary_id;    /* person paid: 低保 the household head (payee), else the person */
	int64_t household_id;
	char region_code[16];      /* the village */
	char unit_code[16];        /* management unit (county-level unit or functional zone) */
	int64_t amount_fen;        /* > 0 */
	int n_persons;             /* persons covered: 低保 the counted members, else 1 */
	int64_t person_ids[ASSISTANCE_MAX_MEMBERS];
	char pay_status[16];       /* "active", "phaseout", "held" (epidemic hold of an exit) */
	char payee_name[128];
	char bank_name[128];
	char bank_account[40];     /* unmasked: bank files need it; never send it to a browser */
};

/* Call fn for every case owed a payment in `month` ("YYYY-MM") whose village lies in `scope`
 * (a payroll for one unit passes that unit's scope; see accounts_resolve_scope), ordered by
 * unit_code, region_code, case_id. Persons removed from the registry (death, moving out) are not
 * owed anything from the month after their removal. fn returns non-zero to stop early.
 * Parameters are those in force in `month` for the case's unit and residence type. */
int assistance_entitlements(struct db *db, const struct scope *scope, const char *month,
			    int (*fn)(const struct assistance_entitlement *ent, void *ctx),
			    void *ctx, struct err *e);

#endif
