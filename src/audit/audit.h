/* audit.h — the append-only, hash-chained audit log.
 *
 * Every write, login, failed login and read of unmasked personal data appends one row (time,
 * user, action, object, outcome, client address, detail) in the same transaction as the change.
 * Each row's hash is SHA-256 over the previous row's hash and this row's fields, so changing or
 * removing any row breaks the chain from there on; audit_verify() walks it. Triggers refuse
 * UPDATE and DELETE, and no API path edits the table.
 */
#ifndef MZ_AUDIT_H
#define MZ_AUDIT_H

#include <stdint.h>
#include <stddef.h>
#include "core/actor.h"
#include "db/db.h"

extern const char audit_schema_v1[];

/* Append a row. Must be called inside an open write transaction (db_begin_write), so the chain
 * head cannot race another writer. outcome: "ok", "denied", "failed"… detail may be NULL. */
int audit_append(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e);

/* Same, but opens and commits its own write transaction (for events with no other change,
 * such as a failed login or an unmasked read). */
/* audit_append with outcome "ok" and the object named "kind:id" (e.g. "hotline_case:12"), the
 * form every module uses for a row it changed. Inside an open write transaction, as above. */
int audit_append_id(struct db *db, const struct actor *a, const char *action, const char *kind,
		    int64_t id, const char *detail, struct err *e);

int audit_record(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e);

/* Walk the whole chain. Returns 0 when intact (rows counted into *rows), 1 when broken with the
 * first bad row's id in *bad_id and the reason in why, -1 on a database error. */
int audit_verify(struct db *db, int64_t *rows, int64_t *bad_id, char *why, size_t why_len,
		 struct err *e);

#endif
