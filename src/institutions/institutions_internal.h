/* institutions_internal.h — what the files of src/institutions/ share (not a public face):
 * transactions, loading one institution with the caller's right to it, deadlines, masking. */
#ifndef MZ_INSTITUTIONS_INTERNAL_H
#define MZ_INSTITUTIONS_INTERNAL_H

#include "institutions/institutions.h"

/* What the caller wants to do with an institution (inst_access). */
enum inst_need {
	INST_NEED_READ,    /* institution.read + scope */
	INST_NEED_MANAGE,  /* institution.manage + scope */
	INST_NEED_FILE,    /* its attached reporter, or institution.manage + scope (代报) */
	INST_NEED_VIEW,    /* its attached reporter, or institution.read + scope */
};

/* The columns inst_from_row reads, in order (prefix "i."). */
#define INST_COLUMNS                                                                         \
	"i.id, i.name, i.type, i.region_code, i.unit_code, i.area_code, i.address, i.capacity, " \
	"i.residents, i.staff, i.contact_name, i.contact_phone, i.opened_on, i.closed_on, "       \
	"i.cm_from, i.cm_to, i.created_at, i.updated_at"
#define INST_NCOLUMNS 18

/* The report columns report_from_row reads, in order (prefix "r."). */
#define REPORT_COLUMNS                                                                        \
	"r.id, r.institution_id, r.report_date, r.kind, r.residents_present, r.staff_on_site, "  \
	"r.admissions, r.departures, r.temperature_checks, r.fever, r.suspected, r.confirmed, "   \
	"r.isolated, r.deaths, r.goods_days, r.note, r.submitted_at, r.submitted_by, "            \
	"r.deadline_at, r.on_time, r.on_behalf, r.version, r.updated_at, r.updated_by"
#define REPORT_NCOLUMNS 24

/* A read transaction unless one is open: 1 began (end with inst_end_read), 0 not, -1 error. */
int inst_begin_read(struct db *db, struct err *e);
void inst_end_read(struct db *db, int began);
/* Commit when rc == 0, else roll back; returns 0 or -1. */
int inst_finish(struct db *db, int rc, struct err *e);

void inst_from_row(struct db_stmt *st, int col, struct institution *out);
void report_from_row(struct db_stmt *st, int col, struct institutions_report *out);

/* Load institution id for what the caller wants (see enum inst_need); *attached (may be NULL)
 * is set when the caller is its reporter. Missing or out of scope: 404 not_found; in scope but
 * without the permission: 403 forbidden. Fills the region and unit names. */
int inst_access(struct db *db, const struct actor *a, int64_t id, enum inst_need need,
		struct institution *out, int *attached, struct err *e);

/* The deadline of a report of (unit, type) for date, from the policy in force for date's month:
 * deadline_at into out[32], minutes into *minutes (may be NULL). */
int inst_deadline(struct db *db, const char *unit_code, const char *type, const char *date,
		  char out[32], int64_t *minutes, struct err *e);

/* A small cache of deadlines per (unit, type) for one date (lists read many institutions). */
struct inst_deadline_cache {
	char date[11];
	int n;
	struct {
		char unit[16];
		char type[24];
		char at[32];
	} item[128]; /* 16 units × 7 types */
};
int inst_deadline_cached(struct db *db, struct inst_deadline_cache *c, const char *unit_code,
			 const char *type, const char *date, char out[32], struct err *e);

/* Mask the contact phone in place unless inst->unmasked. */
void inst_mask(struct institution *inst);

/* "" → today's date (Asia/Shanghai, from at) into out[11]; else validate: 400 invalid_value with
 * field. */
int inst_date_or_today(const char *in, const char *at, const char *field, char out[11],
		       struct err *e);

/* A unit filter ("" = none): a known unit overlapping the caller's scope, else 404 not_found. */
int inst_check_unit(struct db *db, const struct actor *a, const char *unit, struct err *e);

/* A management unit's name ("" when there is no such unit) into out[128]: 0, or -1 with e on a
 * database error. */
int inst_unit_name(struct db *db, const char *unit_code, char out[128], struct err *e);

#endif
