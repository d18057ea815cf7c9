/* lottery.h — 福利彩票销售网点：停业、复业核查 (lottery outlets' closure and reopening under the
 * epidemic rules): public face. (Owned by the lottery module: lottery_rules.c the pure rules —
 * the checklist and the reopening gate —, lottery_schema.c the tables, lottery_store.c the
 * events, checklists, the outlet list and the count, lottery_api.c the routes. docs/orgs.md,
 * "福彩网点", explains it for people.)
 *
 * An outlet is an institution of type lottery_outlet (src/institutions/, read through its
 * public functions, with their permission and scope: institution.read to see, out of scope
 * 404). The lottery module records, per outlet, closures and reopenings (dated events) and
 * reopening checklists: temperature checks, masks, distance between customers, disinfection,
 * each done or not, with the date and who checked.
 *
 * Gate: an outlet may be marked reopened on a day only when it is closed and a complete
 * checklist (all four items done, a date and who checked) is recorded with a date on or after
 * its latest closure and on or before the reopening day — otherwise 409 checklist_required,
 * with the missing items named in Chinese.
 *
 * Status on a day: open when the institution is open that day (its registry dates) and its
 * latest event on or before that day is not a closure. Counting rule: lottery.outlets_open =
 * outlets open on the last day of the period, per unit by the outlet's region.
 *
 * Writes need institution.manage (403), are one transaction with their audit row
 * (lottery.closure, lottery.checklist, lottery.reopening). Errors: 400 required /
 * invalid_value, 403 forbidden, 404 not_found (also for an institution of another type),
 * 409 already_closed / not_closed / invalid_step / checklist_required.
 */
#ifndef MZ_LOTTERY_H
#define MZ_LOTTERY_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char lottery_schema_v1[];
extern const struct api_route lottery_routes[];

#define LOTTERY_PAGE_MAX 200

/* ---- rules (lottery_rules.c, pure) ---- */

struct lottery_checklist {
	char checked_on[16];
	char checked_by[128];
	int temperature, masks, distance, disinfection; /* 1 = done */
};

/* 1 when every item is done and the date and who checked are filled in. */
int lottery_checklist_complete(const struct lottery_checklist *c);
/* The gate for reopening on `date` an outlet whose latest closure is `closed_on` ("" = not
 * closed: 409 not_closed), with its latest checklist dated on or before `date` (NULL = none):
 * 0, or -1 with e (409 invalid_step for a date before the closure; 409 checklist_required naming
 * what is missing). */
int lottery_reopen_check(const char *closed_on, const char *date,
			 const struct lottery_checklist *latest, struct err *e);

/* ---- records (lottery_store.c) ---- */

int lottery_close(struct db *db, const struct actor *a, int64_t institution_id, const char *date,
		  const char *note, struct err *e);
/* The checklist is recorded as it is (an incomplete one is kept and blocks nothing but the
 * reopening); checked_on not in the future. */
int lottery_checklist_record(struct db *db, const struct actor *a, int64_t institution_id,
			     const struct lottery_checklist *c, const char *note, struct err *e);
int lottery_reopen(struct db *db, const struct actor *a, int64_t institution_id, const char *date,
		   const char *note, struct err *e);

/* {"date","items":[OUTLET…],"total","open","closed","limit","offset"}; OUTLET = {"id","name",
 * "region_code","region_name","unit_code","unit_name","status":"open"|"closed"|"not_open",
 * "closed_on","reopened_on","checklist_ok"}, status on `date` ("" = today); status_filter ""
 * or one status. */
int lottery_outlet_list(struct db *db, const struct actor *a, const char *date,
			const char *status_filter, int limit, int64_t offset, json_t **out,
			struct err *e);
/* OUTLET plus "events":[{"kind","date","note","by","at"}…] and "checklists":[…]. */
int lottery_outlet_get(struct db *db, const struct actor *a, int64_t institution_id, json_t **out,
		       struct err *e);
/* Outlets open on `date` in scope: fn(ctx, region_code, 1) for each. */
int lottery_figures(struct db *db, const struct actor *a, const char *date,
		    void (*fn)(void *ctx, const char *region_code, int64_t v), void *ctx,
		    struct err *e);

#endif
