/* marriage_internal.h — what the marriage module's files share and nobody else sees: reading an
 * office's stored settings, the epidemic rule in force, the keyed hash of an ID number, the
 * booking row reader, and the access check of the registrar's routes. */
#ifndef MZ_MARRIAGE_INTERNAL_H
#define MZ_MARRIAGE_INTERNAL_H

#include "marriage/marriage.h"

/* The stored settings of an office: 1 (filled), 0 (not configured), -1 on error. */
int mar_office_row(struct db *db, int64_t id, struct marriage_office *out, struct err *e);
/* The rule in force on date: 1 (filled), 0 (none; out zeroed), -1. */
int mar_rule_on(struct db *db, int64_t office_id, const char *date, struct marriage_rule *out,
		struct err *e);
/* The hex keyed hash of a normalized 18-character ID number into out[65]. */
int mar_id_hash(struct db *db, const char *number, char out[65], struct err *e);
/* The office through the institutions module, for a caller with the marriage permission whose
 * scope holds it (403 forbidden without the permission; 404 when out of scope, unknown or not a
 * marriage office); its stored settings merged in. */
int mar_office_access(struct db *db, const struct actor *a, int64_t id, struct marriage_office *out,
		      struct err *e);

/* The columns every booking read selects (from marriage_bookings b JOIN marriage_offices o). */
#define MAR_BOOKING_COLS                                                                          \
	"b.id, b.code, b.office_id, o.name, o.address, b.region_code, b.slot_date, b.slot_time, "  \
	"b.status, b.a_name, b.b_name, b.a_id_masked, b.b_id_masked, b.a_sex, b.b_sex, b.phone, "  \
	"b.checked_in_at, b.temperature_tenths, b.fever, b.outcome, b.outcome_reason, "            \
	"b.created_at, b.a_birth, b.b_birth"
#define MAR_BOOKING_FROM " FROM marriage_bookings b JOIN marriage_offices o ON o.office_id = b.office_id "
void mar_booking_from_row(struct db_stmt *st, struct marriage_booking *b, char birth[2][11]);

/* Writes run in the caller's open write transaction when there is one (the demo, the CLI's
 * batches: the caller commits or rolls back), else in their own. mar_begin returns 1 when it
 * opened one, 0 when the caller's is used, -1 on error; mar_end commits or rolls back its own
 * and returns rc (0 or -1). Only for functions no GET route calls (a GET runs inside a read
 * transaction, which db_begin_write must end). */
int mar_begin(struct db *db, struct err *e);
int mar_end(struct db *db, int own, int rc, struct err *e);

/* Now or `at`, into out[32]; the date part into day[11]. */
void mar_now(const char *at, char out[32], char day[11]);

#endif
