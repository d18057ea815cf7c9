/* audit.c — append-only hash-chained audit log (see audit.h).
 *
 * hash(row) = SHA-256(prev_hash_hex || 0x1f || at || 0x1f || user || 0x1f || action || 0x1f ||
 * object || 0x1f || outcome || 0x1f || client || 0x1f || detail), stored as hex. The first row's
 * prev_hash is 64 zeros. Triggers refuse UPDATE and DELETE on the table.
 */
#include "audit/audit.h"
#include "core/clock.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

const char audit_schema_v1[] =
	"CREATE TABLE audit_log ("
	"  id INTEGER PRIMARY KEY,"
	"  at TEXT NOT NULL,"
	"  user_name TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  object TEXT NOT NULL,"
	"  outcome TEXT NOT NULL,"
	"  client TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  hash TEXT NOT NULL"
	");"
	"CREATE INDEX audit_by_object ON audit_log(object);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_log "
	"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_log "
	"BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;";

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

static void audit_hash(const char *prev, const char *fields[7], char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char digest[crypto_hash_sha256_BYTES];
	const unsigned char sep = 0x1f;
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)prev, strlen(prev));
	for (int i = 0; i < 7; i++) {
		crypto_hash_sha256_update(&st, &sep, 1);
		crypto_hash_sha256_update(&st, (const unsigned char *)fields[i], strlen(fields[i]));
	}
	crypto_hash_sha256_final(&st, digest);
	sodium_bin2hex(out, 65, digest, sizeof digest);
}

int audit_append(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e)
{
	char prev[65] = ZERO_HASH, hash[65], at[32];
	struct db_stmt *st = db_prepare(db, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	if (rc == 1)
		snprintf(prev, sizeof prev, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	clock_now_iso(at);
	const char *fields[7] = {at, a->username, action, object, outcome, a->client,
				 detail ? detail : ""};
	audit_hash(prev, fields, hash);
	st = db_prepare(db, "INSERT INTO audit_log(at, user_name, action, object, outcome, client, "
			    "detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	for (int i = 0; i < 7; i++)
		db_bind_text(st, i + 1, fields[i]);
	db_bind_text(st, 8, prev);
	db_bind_text(st, 9, hash);
	return db_run(st, e);
}

int audit_append_id(struct db *db, const struct actor *a, const char *action, const char *kind,
		    int64_t id, const char *detail, struct err *e)
{
	char object[64];
	snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
	return audit_append(db, a, action, object, "ok", detail, e);
}

int audit_record(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e)
{
	if (db_begin_write(db, e) < 0)
		return -1;
	if (audit_append(db, a, action, object, outcome, detail, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int audit_verify(struct db *db, int64_t *rows, int64_t *bad_id, char *why, size_t why_len,
		 struct err *e)
{
	char prev[65] = ZERO_HASH, hash[65];
	int64_t count = 0, last_id = 0;
	struct db_stmt *st = db_prepare(db, "SELECT id, at, user_name, action, object, outcome, client, "
					    "detail, prev_hash, hash FROM audit_log ORDER BY id", e);
	if (!st)
		return -1;
	int rc, broken = 0;
	while ((rc = db_step(st, e)) == 1) {
		int64_t id = db_col_int(st, 0);
		const char *fields[7];
		for (int i = 0; i < 7; i++)
			fields[i] = db_col_text(st, i + 1);
		if (id != last_id + 1 && count > 0) {
			/* ids are assigned consecutively; a gap means rows were removed */
			*bad_id = last_id + 1;
			snprintf(why, why_len, "第 %lld 条之后缺少记录（下一条为第 %lld 条）：有记录被删除",
				 (long long)last_id, (long long)id);
			broken = 1;
			break;
		}
		if (strcmp(db_col_text(st, 8), prev) != 0) {
			*bad_id = id;
			snprintf(why, why_len, "第 %lld 条的前序哈希与上一条不符：上一条被改动或删除",
				 (long long)id);
			broken = 1;
			break;
		}
		audit_hash(prev, fields, hash);
		if (strcmp(hash, db_col_text(st, 9)) != 0) {
			*bad_id = id;
			snprintf(why, why_len, "第 %lld 条的内容与其哈希不符：该记录被改动", (long long)id);
			broken = 1;
			break;
		}
		memcpy(prev, hash, sizeof prev);
		last_id = id;
		count++;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	*rows = count;
	return broken;
}
