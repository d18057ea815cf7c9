/* audit.c — appending to the hash-chained audit log, its schema and the choice of algorithm
 * (see audit.h; the hash itself is in audit_hash.c, verification in audit_verify.c, archiving
 * in audit_archive.c).
 *
 * The first row's prev_hash is 64 zeros; every later row's is the row before's hash.
 */
#include "audit/audit.h"
#include "audit/audit_hash.h"
#include "core/clock.h"

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

/* Rows already present keep alg 'sha256' and format 1; audit_chain_format records the first id
 * hashed in format 2. A row may be deleted only when an archive covers it, it is older than
 * that archive's cutoff, and older than the archive's retention period counted from now
 * (Beijing time, as `at` is written). */
const char audit_schema_v2[] =
	"ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256';"
	"CREATE TABLE audit_chain_format ("
	"  version INTEGER PRIMARY KEY,"
	"  from_id INTEGER NOT NULL"
	");"
	"INSERT INTO audit_chain_format(version, from_id) "
	"  SELECT 2, coalesce(max(id), 0) + 1 FROM audit_log;"
	"CREATE TRIGGER audit_chain_format_fixed_i BEFORE INSERT ON audit_chain_format "
	"BEGIN SELECT RAISE(ABORT, 'audit chain format is fixed'); END;"
	"CREATE TRIGGER audit_chain_format_fixed_u BEFORE UPDATE ON audit_chain_format "
	"BEGIN SELECT RAISE(ABORT, 'audit chain format is fixed'); END;"
	"CREATE TRIGGER audit_chain_format_fixed_d BEFORE DELETE ON audit_chain_format "
	"BEGIN SELECT RAISE(ABORT, 'audit chain format is fixed'); END;"
	"CREATE TABLE audit_archives ("
	"  id INTEGER PRIMARY KEY,"
	"  from_id INTEGER NOT NULL,"
	"  to_id INTEGER NOT NULL,"
	"  rows INTEGER NOT NULL,"
	"  prev_hash TEXT NOT NULL,"
	"  last_hash TEXT NOT NULL,"
	"  cutoff TEXT NOT NULL,"
	"  retention_days INTEGER NOT NULL CHECK (retention_days >= 180),"
	"  file_name TEXT NOT NULL,"
	"  file_digest TEXT NOT NULL,"
	"  archived_at TEXT NOT NULL,"
	"  by_user TEXT NOT NULL,"
	"  log_id INTEGER NOT NULL,"
	"  CHECK (to_id >= from_id AND rows = to_id - from_id + 1)"
	");"
	"CREATE TRIGGER audit_archives_no_update BEFORE UPDATE ON audit_archives "
	"BEGIN SELECT RAISE(ABORT, 'audit archives are append-only'); END;"
	"CREATE TRIGGER audit_archives_no_delete BEFORE DELETE ON audit_archives "
	"BEGIN SELECT RAISE(ABORT, 'audit archives are append-only'); END;"
	"DROP TRIGGER audit_no_delete;"
	"CREATE TRIGGER audit_delete_archived_only BEFORE DELETE ON audit_log "
	"WHEN NOT EXISTS (SELECT 1 FROM audit_archives a WHERE OLD.id BETWEEN a.from_id AND a.to_id"
	"  AND substr(OLD.at, 1, 19) < a.cutoff"
	"  AND substr(OLD.at, 1, 19) < strftime('%Y-%m-%dT%H:%M:%S', 'now', '+8 hours',"
	"                                       '-' || a.retention_days || ' days')) "
	"BEGIN SELECT RAISE(ABORT, 'audit log: only archived rows older than the retention period may be deleted'); END;";

/* The algorithm chosen by audit-hash; NONE = follow the chain. Set once at start. */
static enum audit_alg chosen = AUDIT_ALG_NONE;

int audit_use_hash(const char *name, struct err *e)
{
	if (!name || !*name) {
		chosen = AUDIT_ALG_NONE;
		return 0;
	}
	enum audit_alg alg = audit_alg_parse(name);
	if (alg == AUDIT_ALG_NONE)
		return err_set(e, 400, "audit_hash_unknown", "audit-hash",
			       "audit-hash 应为 sha256 或 sm3，而不是“%s”", name);
	if (audit_alg_available(alg, e) < 0)
		return -1;
	chosen = alg;
	return 0;
}

/* Whether the database predates migration 31 (a backup source or a copy being restored is
 * opened without migrating): then there is no alg column and rows are format 1, SHA-256. The
 * migration later sets the format-2 boundary after them, so such rows stay verifiable. */
int audit_schema_is_v1(struct db *db)
{
	return db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
				"AND name = 'audit_chain_format'", NULL) == 0;
}

/* The last row's hash and algorithm (zeros and NONE for an empty log), and whether the schema is
 * the old one. 0 or -1. */
static int chain_head(struct db *db, char prev[AUDIT_HASH_HEX], enum audit_alg *alg, int *v1,
		      int64_t *last_id, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT hash, alg, id FROM audit_log ORDER BY id DESC LIMIT 1", e);
	*v1 = 0;
	if (!st) {
		if (!audit_schema_is_v1(db))
			return -1;
		*v1 = 1;
		st = db_prepare(db, "SELECT hash, 'sha256', id FROM audit_log ORDER BY id DESC LIMIT 1", e);
		if (!st)
			return -1;
	}
	snprintf(prev, AUDIT_HASH_HEX, "%s", AUDIT_ZERO_HASH);
	*alg = AUDIT_ALG_NONE;
	*last_id = 0;
	int rc = db_step(st, e);
	if (rc == 1) {
		snprintf(prev, AUDIT_HASH_HEX, "%s", db_col_text(st, 0));
		*alg = audit_alg_parse(db_col_text(st, 1));
		*last_id = db_col_int(st, 2);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int downgrade(struct err *e)
{
	return err_set(e, 409, "audit_hash_downgrade", "audit-hash",
		       "审计日志已改用 SM3，不能再以 SHA-256 追加记录（审计链不允许降级）；"
		       "请设置 audit-hash = sm3 或删去该设置");
}

int audit_check_hash(struct db *db, struct err *e)
{
	char prev[AUDIT_HASH_HEX];
	enum audit_alg last;
	int v1;
	int64_t last_id;
	if (chain_head(db, prev, &last, &v1, &last_id, e) < 0)
		return -1;
	return chosen == AUDIT_ALG_SHA256 && last == AUDIT_ALG_SM3 ? downgrade(e) : 0;
}

int audit_append(struct db *db, const struct actor *a, const char *action, const char *object,
		 const char *outcome, const char *detail, struct err *e)
{
	char prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX], at[32];
	enum audit_alg last;
	int v1;
	int64_t last_id;
	if (chain_head(db, prev, &last, &v1, &last_id, e) < 0)
		return -1;
	if (chosen == AUDIT_ALG_SHA256 && last == AUDIT_ALG_SM3)
		return downgrade(e);
	enum audit_alg alg = v1 ? AUDIT_ALG_SHA256
			     : chosen != AUDIT_ALG_NONE ? chosen
			     : last != AUDIT_ALG_NONE ? last
						       : AUDIT_ALG_SHA256;
	clock_now_iso(at);
	const char *fields[7] = {at, a->username, action, object, outcome, a->client,
				 detail ? detail : ""};
	/* Past migration 31 every appended row is after the format-2 boundary (the migration set it
	 * to the next id); before it, rows are format 1 and stay so. */
	if (audit_row_hash(v1 ? 1 : 2, alg, prev, fields, hash, e) < 0)
		return -1;
	/* The id is the head's + 1, given, not drawn: verify reads a missing id as a deleted row, and
	 * a PostgreSQL sequence would skip the ids of rolled-back transactions. */
	struct db_stmt *st = db_prepare(db, v1 ? "INSERT INTO audit_log(at, user_name, action, object, outcome, "
						 "client, detail, prev_hash, hash, id) VALUES (?,?,?,?,?,?,?,?,?,?11)"
					       : "INSERT INTO audit_log(at, user_name, action, object, outcome, "
						 "client, detail, prev_hash, hash, alg, id) VALUES (?,?,?,?,?,?,?,?,?,?,?11)", e);
	if (!st)
		return -1;
	db_bind_int(st, 11, last_id + 1);
	for (int i = 0; i < 7; i++)
		db_bind_text(st, i + 1, fields[i]);
	db_bind_text(st, 8, prev);
	db_bind_text(st, 9, hash);
	if (!v1)
		db_bind_text(st, 10, audit_alg_name(alg));
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
