/* ledger_internal.h — what the files of src/ledger/ share (not a public face): small helpers,
 * the entry columns every read uses, the visit-frequency parameters per (unit, month). */
#ifndef MZ_LEDGER_INTERNAL_H
#define MZ_LEDGER_INTERNAL_H

#include "ledger/ledger.h"

#include <stddef.h>

struct strbuf;

int ledger_not_found(struct err *e);
int ledger_forbidden(struct err *e);
void ledger_today(char out[11]);
/* BEGIN IMMEDIATE / COMMIT-or-ROLLBACK: finish returns rc's outcome. */
int ledger_finish(struct db *db, int rc, struct err *e);

/* A narrowing region filter: "" or digits (2–12) overlapping the scope (else 404); 400 for a
 * malformed one. */
int ledger_region_check(const struct actor *a, const char *region, struct err *e);

/* The entry columns and joins every read of entries uses (ledger_entry_read reads them). */
#define LEDGER_ENTRY_COLS                                                                          \
	"e.person_id, e.household_id, e.region_code, coalesce(r.name, ''), e.unit_code, "          \
	"coalesce(p.name, ''), coalesce(p.sex, ''), coalesce(p.birth_date, ''), "                  \
	"coalesce(p.id_number, ''), coalesce(p.phone, ''), coalesce(h.address, ''), "              \
	"coalesce(p.status, ''), e.auto_categories, e.manual_categories, e.categories, "           \
	"e.frequency_days, e.status, e.close_kind, e.close_reason, e.closed_on, e.joined_on, "     \
	"e.source, coalesce(e.helper_user_id, 0), coalesce(u.username, ''), coalesce(u.role, ''), " \
	"coalesce(u.region_code, ''), coalesce(lh.name, ''), coalesce(lh.phone, ''), e.note, "     \
	"e.last_visit_on, e.next_due, e.visits, e.open_needs, e.created_at, e.updated_at "
#define LEDGER_ENTRY_JOINS                                                                         \
	" LEFT JOIN persons p ON p.id = e.person_id LEFT JOIN households h ON h.id = e.household_id " \
	"LEFT JOIN regions r ON r.code = e.region_code LEFT JOIN users u ON u.id = e.helper_user_id " \
	"LEFT JOIN ledger_helpers lh ON lh.user_id = e.helper_user_id "

void ledger_entry_read(struct db_stmt *st, struct ledger_entry *en);

/* The visit-frequency parameters in force for a unit and month ("YYYY-MM"), cached: days[i] is
 * category i's (0 when nothing is in force). */
struct ledger_days_cache {
	int n;
	struct {
		char unit[16];
		char month[8];
		int days[LEDGER_NCAT];
	} slot[32];
};
int ledger_days_for(struct db *db, struct ledger_days_cache *c, const char *unit,
		    const char *month, const int **days, struct err *e);

/* The frequency and due date of an entry with these categories, joined and last visited on
 * these days. strict: a missing parameter is an error (404 policy_missing); otherwise the
 * frequency is 0 and the entry stays due at its last visit (or joining) day. */
int ledger_schedule(struct db *db, struct ledger_days_cache *c, const char *unit,
		    unsigned categories, const char *joined_on, const char *last_visit_on,
		    int strict, int *freq, char next_due[11], struct err *e);

int ledger_audit(struct db *db, const struct actor *a, const char *action, int64_t id,
		 const char *detail, struct err *e);

/* A query being built: SQL text from literal fragments and the values to bind, in order. */
struct ledger_qb {
	struct strbuf *sql;
	int n;
	struct {
		int kind; /* 0 int, 1 text, 2 scope, 3 prefix range */
		int64_t i;
		char s[80];
		const struct scope *scope;
	} v[24];
	int failed;
};
void ledger_qb_sql(struct ledger_qb *q, const char *fragment);
void ledger_qb_int(struct ledger_qb *q, const char *fragment, int64_t v);
void ledger_qb_text(struct ledger_qb *q, const char *fragment, const char *v);
/* " AND <scope_sql(col)>" */
void ledger_qb_scope(struct ledger_qb *q, const struct scope *s, const char *col);
/* " AND (col >= ? AND col < ?)" for a code prefix */
void ledger_qb_prefix(struct ledger_qb *q, const char *col, const char *prefix);
/* The area a list covers: the region asked for, or the scope's one prefix ("" for several). */
void ledger_area_of(const struct actor *a, const char *region, char area[16]);
/* " AND <the area> AND <the scope>" for entries e, written so the planner takes the index that
 * fits the area: a county's and a township's by equality on substr(region_code, 1, 6) (the
 * township then as a filter), a village's by equality (ledger_report.c explains). */
void ledger_qb_area(struct ledger_qb *q, const struct actor *a, const char *area);
/* Prepare the SQL and bind every value; NULL with e on failure. */
struct db_stmt *ledger_qb_prepare(struct db *db, struct ledger_qb *q, struct err *e);

/* The categories the registry and the rolls give a person now (ledger_sync.c): 0 when none or
 * when the person is not active. */
int ledger_basis_person(struct db *db, int64_t person_id, unsigned *mask, struct err *e);

#endif
