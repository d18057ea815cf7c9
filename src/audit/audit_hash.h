/* audit_hash.h — the digests of the audit chain: SHA-256 and SM3 (GB/T 32905) through OpenSSL 3.
 *
 * A row's hash depends on its format. Rows appended before migration 31 (format 1) carry no
 * algorithm in the hash; rows from then on (format 2) put their algorithm name first, so a row
 * cannot claim another algorithm without its hash, and therefore the next row's prev_hash,
 * changing. With F = at, user, action, object, outcome, client, detail and 0x1f between parts:
 *   format 1: hex(SHA-256(prev_hash_hex 0x1f F1 0x1f … F7))
 *   format 2: hex(ALG(prev_hash_hex 0x1f alg 0x1f F1 0x1f … F7)), ALG = SHA-256 or SM3 by alg.
 * Both digests are 32 bytes, so every hash is 64 lowercase hex digits.
 */
#ifndef MZ_AUDIT_HASH_H
#define MZ_AUDIT_HASH_H

#include "core/err.h"
#include <stddef.h>

#define AUDIT_HASH_HEX 65 /* 64 hex digits and the NUL */
#define AUDIT_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

enum audit_alg { AUDIT_ALG_NONE = -1, AUDIT_ALG_SHA256 = 0, AUDIT_ALG_SM3 = 1 };

/* "sha256" → AUDIT_ALG_SHA256, "sm3" → AUDIT_ALG_SM3, anything else → AUDIT_ALG_NONE. */
enum audit_alg audit_alg_parse(const char *name);
const char *audit_alg_name(enum audit_alg alg);

/* 0 when this OpenSSL build can compute alg; else -1 with e (500 "audit_hash_unavailable"). */
int audit_alg_available(enum audit_alg alg, struct err *e);

/* hex(alg(data)) into out; 0, or -1 with e when the digest is unavailable. */
int audit_digest_hex(enum audit_alg alg, const void *data, size_t n, char out[AUDIT_HASH_HEX],
		     struct err *e);

/* A running digest over many pieces (an archive file). */
struct audit_digest;
struct audit_digest *audit_digest_new(enum audit_alg alg, struct err *e); /* free: _end */
void audit_digest_add(struct audit_digest *d, const void *data, size_t n);
/* Writes hex(digest) into out (when not NULL) and frees d. */
void audit_digest_end(struct audit_digest *d, char out[AUDIT_HASH_HEX]);

/* One row's hash (see the top of this file). format is 1 or 2; for format 1 alg must be
 * SHA-256. fields are the seven fields in order. 0, or -1 with e. */
int audit_row_hash(int format, enum audit_alg alg, const char *prev, const char *const fields[7],
		   char out[AUDIT_HASH_HEX], struct err *e);

#endif
