/* audit_chain.h — checking rows of the audit chain one after another, wherever they come from
 * (the audit_log table, an archive file). One walker, so the database and the archives are held
 * to the same rules:
 *   - ids are consecutive (a gap means rows were removed);
 *   - each row's prev_hash is the previous row's hash (the anchor for the first row);
 *   - each row's hash is its own algorithm over its fields (audit_hash.h);
 *   - rows before the format-2 boundary are SHA-256; later rows name sha256 or sm3;
 *   - once a row uses SM3 no later row may use SHA-256 (no silent downgrade).
 */
#ifndef MZ_AUDIT_CHAIN_H
#define MZ_AUDIT_CHAIN_H

#include "audit/audit_hash.h"
#include <stddef.h>
#include <stdint.h>

struct audit_row {
	int64_t id;
	const char *fields[7]; /* at, user, action, object, outcome, client, detail */
	const char *alg;
	const char *prev_hash;
	const char *hash;
};

struct audit_chain {
	char prev[AUDIT_HASH_HEX]; /* the hash the next row must name as prev_hash */
	int64_t next_id;	 /* the id the next row must have; 0 = any (first row, no anchor) */
	int64_t v2_from;	 /* first id hashed in format 2 */
	enum audit_alg last_alg; /* the previous row's algorithm; NONE before the first */
	int64_t rows;		 /* rows accepted */
};

/* Start a walk at an anchor: prev (AUDIT_ZERO_HASH for the start of the log) and the id the
 * first row must have (0 when unknown). */
void audit_chain_init(struct audit_chain *c, const char *prev, int64_t next_id, int64_t v2_from);

/* Check one row and advance. 0 = fine; 1 = broken (*bad_id and why, in Chinese, filled);
 * -1 = the digest could not be computed (e). */
int audit_chain_step(struct audit_chain *c, const struct audit_row *r, int64_t *bad_id, char *why,
		     size_t why_len, struct err *e);

/* Report a broken chain: the message into why, id into *bad_id; returns 1 (the "broken" answer of
 * every walker). */
int audit_chain_broken(int64_t *bad_id, int64_t id, char *why, size_t why_len, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

struct db_stmt;
/* Fill r from a row of "SELECT id, at, user_name, action, object, outcome, client, detail, alg,
 * prev_hash, hash" (the column order audit_archive.c and audit_verify.c both select). The
 * strings stay valid until the statement's next step. */
void audit_row_from_stmt(struct db_stmt *st, struct audit_row *r);

#endif
