/* staff.h — 干部抽调与下沉一线 (deployments of the bureau's own staff): public face.
 * (Owned by the staff module: staff_rules.c the pure rules — types, date ranges, overlap —,
 * staff_schema.c the table, staff_store.c the records and the counts, staff_api.c the routes.
 * docs/orgs.md, "干部下沉", explains it for people.)
 *
 * A deployment sends one member of staff (staff number 工号, name, phone) from their unit to a
 * post — a county, a village checkpoint, an inspection team — whose region code places it, as
 * `seconded` (抽调到督导组) or `front_line` (下沉一线), from start_date to end_date inclusive
 * (end_date "" = until further notice; it is set later with staff_deployment_end).
 *
 * Counting rule: staff.seconded / staff.front_line over from..to = distinct staff numbers with
 * a deployment of that type overlapping the period (start ≤ to and (no end or end ≥ from)); a
 * person with repeated or overlapping deployments counts once. Per unit by the post's region;
 * the whole scope counts each person once even when they served in two units.
 * "Who is deployed on a day" is the same rule with from = to = that day.
 *
 * Reads return jansson values; names and phones are masked unless unmask (registry.unmask,
 * 403 otherwise; audited staff.unmask). Access: staff (county staff, city admin) and scope on
 * the post's region: out of scope 404, creating there 403 out_of_scope. Writes are one
 * transaction with their audit row (staff.deploy, staff.end). Errors: 400 required /
 * invalid_value / invalid_phone / invalid_region, 403 forbidden / out_of_scope, 404 not_found,
 * 409 already_ended.
 */
#ifndef MZ_STAFF_H
#define MZ_STAFF_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char staff_schema_v1[];
extern const struct api_route staff_routes[];

#define STAFF_PAGE_MAX 200

/* ---- rules (staff_rules.c, pure) ---- */

/* 1 for seconded or front_line. */
int staff_type_valid(const char *type);
const char *staff_type_label(const char *type);
/* 1 when a deployment start..end (end "" = open) overlaps from..to (all inclusive dates). */
int staff_overlaps(const char *start, const char *end, const char *from, const char *to);
/* Dates of a deployment: start required and valid, end "" or valid and not before start.
 * 0, or -1 with e (400 required / invalid_value, field start_date / end_date). */
int staff_dates_check(const char *start, const char *end, struct err *e);

/* ---- records (staff_store.c) ---- */

struct staff_deployment_in {
	char staff_no[64];
	char name[128];
	char phone[48];
	char from_unit[256];
	char post[256];
	char region_code[24];
	char type[24];
	char start_date[16], end_date[16];
	char note[2048];
};

int staff_deployment_create(struct db *db, const struct actor *a,
			    const struct staff_deployment_in *in, int64_t *out_id, struct err *e);
/* Set the end date of an open deployment (409 already_ended when it has one). */
int staff_deployment_end(struct db *db, const struct actor *a, int64_t id, const char *end_date,
			 struct err *e);

struct staff_query {
	char type[24];
	char region[16];
	char on[16];	       /* deployed on this day */
	char from[16], to[16]; /* overlapping this period */
	char q[64];	       /* staff number, or name prefix */
	int limit;
	int64_t offset;
};

/* {"items":[DEPLOYMENT…],"total","limit","offset"}; DEPLOYMENT = {"id","staff_no","name",
 * "phone","from_unit","post","region_code","region_name","type","type_label","start_date",
 * "end_date","days","note","masked"}. */
int staff_deployment_list(struct db *db, const struct actor *a, const struct staff_query *q,
			  int unmask, json_t **out, struct err *e);
int staff_deployment_get(struct db *db, const struct actor *a, int64_t id, int unmask,
			 json_t **out, struct err *e);

enum staff_figure { STAFF_SECONDED, STAFF_FRONT_LINE, STAFF_NFIGURES };

/* The counting rule over from..to in scope, for posts under `prefix` ("" = the whole scope):
 * out[STAFF_SECONDED], out[STAFF_FRONT_LINE]. */
int staff_count(struct db *db, const struct actor *a, const char *from, const char *to,
		const char *prefix, int64_t out[STAFF_NFIGURES], struct err *e);
/* {"from","to","seconded","front_line"} for the whole scope. */
int staff_summary(struct db *db, const struct actor *a, const char *from, const char *to,
		  json_t **out, struct err *e);

#endif
