/* test_audit_chain.c — the audit chain's digests and rules (src/audit/audit_hash.c,
 * audit_chain.c, audit.c, audit_verify.c).
 *
 * Rules under test: SM3 (GB/T 32905) and SHA-256 known answers; a format-2 row's hash is the
 * row's algorithm over prev 0x1f alg 0x1f the seven fields; the log may switch from sha256 to sm3
 * at any row and verifies row by row; it may never go back (append refused, a rewritten row
 * detected); rows written before migration 31 keep the old format and must be SHA-256; left
 * unset, audit-hash follows the chain; retention is at least 180 days.
 */
#include "audit/audit.h"
#include "audit/audit_archive.h"
#include "audit/audit_hash.h"
#include "core/actor.h"
#include "testdb.h"
#include "unit.h"

#include <time.h>

static struct actor sys_actor(void)
{
	struct actor a;
	actor_system(&a);
	return a;
}

static int append(struct db *db, const char *action, struct err *e)
{
	struct actor a = sys_actor();
	return audit_record(db, &a, action, "household:1", "ok", "{\"k\":1}", e);
}

static int verify(struct db *db, int64_t *rows, int64_t *bad, char *why, size_t n)
{
	struct err e;
	return audit_verify(db, rows, bad, why, n, &e);
}

static void drop_update_trigger(struct db *db)
{
	struct err e;
	CHECK_EQ_INT(db_exec(db, "DROP TRIGGER audit_no_update", &e), 0);
}

/* Rewrite row id as an attacker would: set alg and a hash recomputed for it, in format 2. */
static void rewrite_row(struct db *db, int64_t id, enum audit_alg alg)
{
	struct err e;
	struct db_stmt *st = db_prepare(db, "SELECT at, user_name, action, object, outcome, client, detail, "
					    "prev_hash FROM audit_log WHERE id = ?", &e);
	db_bind_int(st, 1, id);
	CHECK_EQ_INT(db_step(st, &e), 1);
	char f[7][512], prev[AUDIT_HASH_HEX], hash[AUDIT_HASH_HEX];
	const char *fields[7];
	for (int i = 0; i < 7; i++) {
		snprintf(f[i], sizeof f[i], "%s", db_col_text(st, i));
		fields[i] = f[i];
	}
	snprintf(prev, sizeof prev, "%s", db_col_text(st, 7));
	db_done(st);
	CHECK_EQ_INT(audit_row_hash(2, alg, prev, fields, hash, &e), 0);
	st = db_prepare(db, "UPDATE audit_log SET alg = ?, hash = ? WHERE id = ?", &e);
	db_bind_text(st, 1, audit_alg_name(alg));
	db_bind_text(st, 2, hash);
	db_bind_int(st, 3, id);
	CHECK_EQ_INT(db_run(st, &e), 0);
}

TEST(sm3_and_sha256_known_answers)
{
	struct err e;
	char hex[AUDIT_HASH_HEX];
	CHECK_EQ_INT(audit_digest_hex(AUDIT_ALG_SM3, "abc", 3, hex, &e), 0);
	CHECK_EQ_STR(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
	/* GB/T 32905-2016 example 2: "abcd" sixteen times */
	const char *m2 = "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";
	CHECK_EQ_INT(audit_digest_hex(AUDIT_ALG_SM3, m2, 64, hex, &e), 0);
	CHECK_EQ_STR(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
	CHECK_EQ_INT(audit_digest_hex(AUDIT_ALG_SHA256, "abc", 3, hex, &e), 0);
	CHECK_EQ_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(row_hash_covers_the_algorithm_name_in_format_2)
{
	struct err e;
	const char *fields[7] = {"2026-01-01T08:00:00+08:00", "system", "user.add", "user:1", "ok",
				 "cli", ""};
	char got[AUDIT_HASH_HEX], want[AUDIT_HASH_HEX];
	const char joined2[] = AUDIT_ZERO_HASH "\x1fsm3\x1f" "2026-01-01T08:00:00+08:00\x1fsystem"
			       "\x1fuser.add\x1fuser:1\x1fok\x1f" "cli\x1f";
	CHECK_EQ_INT(audit_row_hash(2, AUDIT_ALG_SM3, AUDIT_ZERO_HASH, fields, got, &e), 0);
	CHECK_EQ_INT(audit_digest_hex(AUDIT_ALG_SM3, joined2, sizeof joined2 - 1, want, &e), 0);
	CHECK_EQ_STR(got, want);
	/* format 1 (before migration 31): SHA-256, no algorithm name */
	const char joined1[] = AUDIT_ZERO_HASH "\x1f" "2026-01-01T08:00:00+08:00\x1fsystem"
			       "\x1fuser.add\x1fuser:1\x1fok\x1f" "cli\x1f";
	CHECK_EQ_INT(audit_row_hash(1, AUDIT_ALG_SHA256, AUDIT_ZERO_HASH, fields, got, &e), 0);
	CHECK_EQ_INT(audit_digest_hex(AUDIT_ALG_SHA256, joined1, sizeof joined1 - 1, want, &e), 0);
	CHECK_EQ_STR(got, want);
	CHECK_EQ_INT(audit_row_hash(1, AUDIT_ALG_SM3, AUDIT_ZERO_HASH, fields, got, &e), -1);
}

TEST(unknown_audit_hash_setting_is_refused)
{
	struct err e;
	CHECK_EQ_INT(audit_use_hash("md5", &e), -1);
	CHECK_EQ_STR(e.code, "audit_hash_unknown");
	CHECK(strstr(e.message, "sha256 或 sm3") != NULL);
	CHECK_EQ_INT(audit_use_hash("sm3", &e), 0);
	CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
}

TEST(a_log_switches_from_sha256_to_sm3_and_verifies_row_by_row)
{
	struct db *db = testdb_open();
	struct err e;
	int64_t rows = 0, bad = 0;
	char why[300] = "";
	CHECK_EQ_INT(audit_use_hash("sha256", &e), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(append(db, "a.sha", &e), 0);
	CHECK_EQ_INT(audit_use_hash("sm3", &e), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(append(db, "a.sm3", &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE alg = 'sha256' AND id <= 3", NULL), 3);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE alg = 'sm3' AND id > 3", NULL), 3);
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 0);
	CHECK_EQ_INT(rows, 6);
	/* unset: new rows follow the chain, which is SM3 now */
	CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
	CHECK_EQ_INT(append(db, "a.follow", &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE id = 7 AND alg = 'sm3'", NULL), 1);
	db_close(db);
}

TEST(going_back_to_sha256_after_sm3_is_refused_and_leaves_the_log_unchanged)
{
	struct db *db = testdb_open();
	struct err e;
	CHECK_EQ_INT(audit_use_hash("sm3", &e), 0);
	CHECK_EQ_INT(append(db, "a.sm3", &e), 0);
	CHECK_EQ_INT(audit_use_hash("sha256", &e), 0);
	CHECK_EQ_INT(audit_check_hash(db, &e), -1);
	CHECK_EQ_STR(e.code, "audit_hash_downgrade");
	CHECK_EQ_INT(append(db, "a.sha", &e), -1);
	CHECK_EQ_STR(e.code, "audit_hash_downgrade");
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), 1);
	CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
	db_close(db);
}

TEST(a_last_row_rewritten_from_sm3_to_sha256_is_detected_as_a_downgrade)
{
	struct db *db = testdb_open();
	struct err e;
	int64_t rows = 0, bad = 0;
	char why[300] = "";
	CHECK_EQ_INT(audit_use_hash("sm3", &e), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ_INT(append(db, "a.sm3", &e), 0);
	CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
	drop_update_trigger(db);
	/* the last row: its hash is consistent, nothing follows it — only the rule catches it */
	rewrite_row(db, 4, AUDIT_ALG_SHA256);
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 1);
	CHECK_EQ_INT(bad, 4);
	CHECK(strstr(why, "降级") != NULL);
	db_close(db);
}

TEST(a_middle_row_with_another_algorithm_breaks_the_next_link)
{
	struct db *db = testdb_open();
	struct err e;
	int64_t rows = 0, bad = 0;
	char why[300] = "";
	CHECK_EQ_INT(audit_use_hash("sha256", &e), 0);
	for (int i = 0; i < 4; i++)
		CHECK_EQ_INT(append(db, "a.sha", &e), 0);
	CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
	drop_update_trigger(db);
	rewrite_row(db, 2, AUDIT_ALG_SM3); /* valid by itself; row 3 names the old hash */
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 1);
	CHECK_EQ_INT(bad, 3);
	CHECK(strstr(why, "前序哈希") != NULL);
	/* an algorithm the chain does not know */
	CHECK_EQ_INT(db_exec(db, "UPDATE audit_log SET alg = 'md5' WHERE id = 1", &e), 0);
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 1);
	CHECK_EQ_INT(bad, 1);
	CHECK(strstr(why, "md5") != NULL);
	db_close(db);
}

/* A database from before migration 31 (a backup source, a copy being restored: opened without
 * migrating): appends are format 1 and SHA-256 whatever audit-hash says, verify walks it; after
 * the migration those rows stay format 1 and new rows are format 2. */
TEST(rows_written_before_migration_31_still_verify_and_must_stay_sha256)
{
	struct db *db = NULL;
	struct err e;
	int64_t rows = 0, bad = 0;
	char why[300] = "";
	CHECK_EQ_INT(db_open(&db, ":memory:", &e), 0);
	CHECK_EQ_INT(db_exec(db, audit_schema_v1, &e), 0);
	CHECK_EQ_INT(audit_schema_is_v1(db), 1);
	CHECK_EQ_INT(audit_use_hash("sm3", &e), 0);
	for (int i = 0; i < 3; i++)
		CHECK_EQ_INT(append(db, "old.row", &e), 0);
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 0);
	CHECK_EQ_INT(rows, 3);
	/* row 2 recomputed independently in format 1 */
	struct db_stmt *st = db_prepare(db, "SELECT at, user_name, action, object, outcome, client, detail, "
					    "prev_hash, hash FROM audit_log WHERE id = 2", &e);
	CHECK_EQ_INT(db_step(st, &e), 1);
	const char *fields[7];
	char f[7][256], want[AUDIT_HASH_HEX], prev[AUDIT_HASH_HEX], stored[AUDIT_HASH_HEX];
	for (int k = 0; k < 7; k++) {
		snprintf(f[k], sizeof f[k], "%s", db_col_text(st, k));
		fields[k] = f[k];
	}
	snprintf(prev, sizeof prev, "%s", db_col_text(st, 7));
	snprintf(stored, sizeof stored, "%s", db_col_text(st, 8));
	db_done(st);
	CHECK_EQ_INT(audit_row_hash(1, AUDIT_ALG_SHA256, prev, fields, want, &e), 0);
	CHECK_EQ_STR(stored, want);

	CHECK_EQ_INT(db_exec(db, audit_schema_v2, &e), 0);
	CHECK_EQ_INT(audit_schema_is_v1(db), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT from_id FROM audit_chain_format WHERE version = 2", NULL), 4);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE alg = 'sha256'", NULL), 3);
	CHECK_EQ_INT(append(db, "new.row", &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE id = 4 AND alg = 'sm3'", NULL), 1);
	CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 0);
	CHECK_EQ_INT(rows, 4);
	/* the boundary row is fixed: it cannot be moved to re-hash old rows in format 2 */
	CHECK(db_exec(db, "UPDATE audit_chain_format SET from_id = 1", &e) < 0);
	drop_update_trigger(db);
	CHECK_EQ_INT(db_exec(db, "UPDATE audit_log SET alg = 'sm3' WHERE id = 2", &e), 0);
	CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 1);
	CHECK_EQ_INT(bad, 2);
	CHECK(strstr(why, "只能是 sha256") != NULL);
	db_close(db);
}

TEST(retention_is_at_least_180_days)
{
	struct err e;
	int days = 0;
	CHECK_EQ_INT(audit_retention_parse(NULL, &days, &e), 0);
	CHECK_EQ_INT(days, 180);
	CHECK_EQ_INT(audit_retention_parse("365", &days, &e), 0);
	CHECK_EQ_INT(days, 365);
	CHECK_EQ_INT(audit_retention_parse("179", &days, &e), -1);
	CHECK_EQ_STR(e.code, "audit_retention_too_short");
	CHECK(strstr(e.message, "180") != NULL);
	CHECK_EQ_INT(audit_retention_parse("半年", &days, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Append rate of each algorithm on the same machine in the same run (printed for the record);
 * what is checked is that both runs verify. */
TEST(appending_10000_rows_with_each_algorithm_verifies)
{
	static const char *const names[2] = {"sha256", "sm3"};
	for (int k = 0; k < 2; k++) {
		struct db *db = testdb_open();
		struct err e;
		struct actor a = sys_actor();
		CHECK_EQ_INT(audit_use_hash(names[k], &e), 0);
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_EQ_INT(db_begin_write(db, &e), 0);
		for (int i = 0; i < 10000; i++)
			if (audit_append(db, &a, "bench.append", "household:1", "ok", "{\"n\":1}", &e) < 0)
				break;
		CHECK_EQ_INT(db_commit(db, &e), 0);
		double append_s = seconds_since(&t0);
		int64_t rows = 0, bad = 0;
		char why[300] = "";
		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_EQ_INT(verify(db, &rows, &bad, why, sizeof why), 0);
		double verify_s = seconds_since(&t0);
		CHECK_EQ_INT(rows, 10000);
		printf("  %-6s append %.0f rows/s, verify %.0f rows/s\n", names[k], 10000 / append_s,
		       10000 / verify_s);
		CHECK_EQ_INT(audit_use_hash(NULL, &e), 0);
		db_close(db);
	}
}

UNIT_MAIN(sm3_and_sha256_known_answers, row_hash_covers_the_algorithm_name_in_format_2,
	  unknown_audit_hash_setting_is_refused, a_log_switches_from_sha256_to_sm3_and_verifies_row_by_row,
	  going_back_to_sha256_after_sm3_is_refused_and_leaves_the_log_unchanged,
	  a_last_row_rewritten_from_sm3_to_sha256_is_detected_as_a_downgrade,
	  a_middle_row_with_another_algorithm_breaks_the_next_link,
	  rows_written_before_migration_31_still_verify_and_must_stay_sha256,
	  retention_is_at_least_180_days, appending_10000_rows_with_each_algorithm_verifies)
