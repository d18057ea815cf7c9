/* inspections_internal.h — what the files of src/inspections/ share with each other (not a
 * public face; see inspections.h). Defined in inspections_store.c. */
#ifndef MZ_INSPECTIONS_INTERNAL_H
#define MZ_INSPECTIONS_INTERNAL_H

#include "inspections/inspections.h"

#include <jansson.h>

/* 1 when the actor holds one of the read permissions (inspection, institution.read,
 * institution.report). */
int insp_can_read(const struct actor *a);
/* An institution's reporter (institution.report without inspection or institution.read) sees
 * and acts on its own institution's visits and items only: 1 with *inst its institution (0 when
 * the user is attached to none: nothing is theirs), 0 for everyone else (scope rules alone), -1
 * on a database error. */
int insp_reporter(struct db *db, const struct actor *a, int64_t *inst, struct err *e);
/* Today in Asia/Shanghai, "YYYY-MM-DD". */
void insp_today(char out[11]);
void insp_now(char out[32]);
/* A day field: "" → today; else a real day not after today (400 invalid_value). */
int insp_day(const char *in, const char *field, char out[11], struct err *e);
/* Begin the write transaction unless the caller has one open: 1 began, 0 the caller's, -1. */
int insp_begin(struct db *db, struct err *e);
/* End what insp_begin began: commit on rc 0, roll back on rc < 0 (the caller's transaction is
 * left to the caller). Returns rc, or -1 when the commit failed. */
int insp_end(struct db *db, int began, int rc, struct err *e);
/* A read transaction unless one is open (the router's for GETs): 1 began, 0, -1. */
int insp_begin_read(struct db *db, struct err *e);
void insp_end_read(struct db *db, int began);
/* The JSON text of o (consumed); NULL on failure. The caller frees it. */
char *insp_json_text(json_t *o);
/* The name of a region ("" when unknown). */
void insp_region_name(struct db *db, const char *code, char out[128]);
/* The management unit of a region ("" when unknown). */
void insp_region_unit(struct db *db, const char *code, char out[16]);
/* The institution's name and region from the institutions registry: 1 found, 2 the registry
 * exists and has no such institution, 0 there is no registry in this database (the caller then
 * takes the name and region it was given), -1 on a database error. */
int insp_institution_lookup(struct db *db, int64_t id, char name[INSPECTIONS_NAME_SZ],
			    char region[16], struct err *e);

/* A narrowing region filter: "" or digits (at most 12) overlapping the caller's scope (400
 * invalid_value, 403 out_of_scope). */
int insp_region_filter(const struct actor *a, const char *region, struct err *e);

/* Reading one rectification item row (inspections_rect.c), for inspections_get. RECT_COLS /
 * RECT_FROM give the columns it reads. */
#define INSP_RECT_COLS                                                                           \
	"r.id, r.inspection_id, r.finding_id, r.inspector_region, r.owner_kind, r.region_code, "  \
	"coalesce(g.name, ''), coalesce(g.unit_code, ''), coalesce(r.institution_id, 0), "       \
	"r.owner_name, coalesce(f.description, ''), r.requirement, r.deadline, r.status, "       \
	"r.evidence, r.submitted_on, r.submitted_by, r.verified_on, r.verified_by, r.last_note, " \
	"r.reopened_count, i.visited_on, i.target_name, coalesce(t.name, ''), r.created_at, "    \
	"r.updated_at"
#define INSP_RECT_FROM                                                                           \
	" FROM rectifications r JOIN inspections i ON i.id = r.inspection_id "                   \
	"LEFT JOIN inspection_findings f ON f.id = r.finding_id "                                 \
	"LEFT JOIN inspection_teams t ON t.id = i.team_id "                                       \
	"LEFT JOIN regions g ON g.code = r.region_code "
void insp_rect_read(struct db_stmt *st, struct inspections_rect *r, const char *as_of,
		    int soon_days);
/* The due-soon window for the unit of a region in the month of as_of (policy
 * rectification_due_soon_days); 0 when the parameter is not set. */
int insp_soon_days(struct db *db, const char *unit_code, const char *as_of);

#endif
