/* audit.h — the append-only, hash-chained audit log.
 *
 * Every write, login, failed login and read of unmasked personal data appends one row (time,
 * user, action, object, outcome, client address, detail) in the same transaction as the change.
 * Each row's hash covers the previous row's hash, its algorithm and its fields (audit_hash.h),
 * so changing or removing any row breaks the chain from there on; audit_verify() walks it.
 * Triggers refuse UPDATE always, and DELETE except for rows recorded in an archive and older
 * than the retention period (audit_archive.h); no API path edits the table.
 *
 * The algorithm of new rows is the process's `audit-hash` setting (sha256 or sm3, GB/T 32905);
 * left unset, new rows follow the log's last row. Verification checks each row with its own.
 */
#ifndef MZ_AUDIT_H
#define MZ_AUDIT_H

#include <stdint.h>
#include <stddef.h>
#include "core/actor.h"
#include "db/db.h"

extern const char audit_schema_v1[];
/* Migration 31: audit_log.alg, the format boundary (audit_chain_format), audit_archives, and the
 * DELETE trigger that lets archived, expired rows go. */
extern const char audit_schema_v2[];

/* 1 when the database has not had migration 31 yet (a backup source or a copy being restored is
 * checked before migrating): rows there are SHA-256 in the old format, with no archives. */
int audit_schema_is_v1(struct db *db);

/* Choose the algorithm for the rows this process appends: "sha256", "sm3", or NULL/"" to follow
 * the chain. Refuses an unknown name (400 "audit_hash_unknown") and SM3 when OpenSSL lacks it
 * (500 "audit_hash_unavailable"). Call at start, before any thread appends. */
int audit_use_hash(const char *name, struct err *e);

/* Refuse (409 "audit_hash_downgrade") when audit-hash = sha256 was chosen explicitly and the
 * log's last row already uses SM3: the chain never goes back from SM3. serve calls it before
 * listening so the refusal comes at start, not at the first write. */
int audit_check_hash(struct db *db, struct err *e);

/* Append a row. Must be called inside an open write transaction (db_begin_write), so the chain
 * head cannot race another writer. outcome: "ok", "denied", "failed"… detail may be NULL. */
int audit_append(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e);

/* audit_append with outcome "ok" and the object named "kind:id" (e.g. "hotline_case:12"), the
 * form every module uses for a row it changed. Inside an open write transaction, as above. */
int audit_append_id(struct db *db, const struct actor *a, const char *action, const char *kind,
		    int64_t id, const char *detail, struct err *e);

/* Same as audit_append, but opens and commits its own write transaction (for events with no
 * other change, such as a failed login or an unmasked read). */
int audit_record(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e);

/* Walk the chain in the database: the recorded archives must follow one another, the first
 * remaining row must continue the latest archive (its id and last hash), and every row must
 * pass audit_chain_step; each archive's `audit.archive` row, while still in the table, must
 * describe it. Returns 0 when intact (rows in the table counted into *rows), 1 when broken with
 * the first bad row's id in *bad_id and the reason in why, -1 on a database error. */
int audit_verify(struct db *db, int64_t *rows, int64_t *bad_id, char *why, size_t why_len,
		 struct err *e);

#endif
