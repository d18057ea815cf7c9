/* audit_archive.h — moving old audit rows out of the database into archive files, and checking
 * those files.
 *
 * Rows must be kept at least the retention period (audit-retention-days, at least 180 days;
 * Cybersecurity Law art. 21). After that they may be archived: written to a file, checked, the
 * archive recorded in audit_archives (append-only) with an `audit.archive` row in the log, and
 * only then deleted from audit_log — the DELETE trigger (audit.c) lets through only rows that a
 * recorded archive covers and that are older than its retention. The chain is never cut: the
 * first remaining row's prev_hash is the archive's last_hash, so the database verifies from that
 * anchor, and the files verify from theirs.
 *
 * The file is JSON Lines in UTF-8 (docs/audit.md):
 *   line 1: {"format":"minzheng-audit-archive","version":1,"from_id":…,"to_id":…,"rows":…,
 *            "prev_hash":…,"last_hash":…,"cutoff":"YYYY-MM-DDT00:00:00","retention_days":…,
 *            "format2_from_id":…,"algorithms":[…],"created_at":…,"by_user":…}
 *   then one line per row, in id order: {"id":…,"at":…,"user_name":…,"action":…,"object":…,
 *            "outcome":…,"client":…,"detail":…,"alg":…,"prev_hash":…,"hash":…}
 * Its digest ("sha256:hex" or "sm3:hex", the algorithm of the last archived row) over the whole
 * file is recorded in audit_archives.file_digest.
 */
#ifndef MZ_AUDIT_ARCHIVE_H
#define MZ_AUDIT_ARCHIVE_H

#include "audit/audit_hash.h"
#include "core/actor.h"
#include "db/db.h"
#include <stddef.h>
#include <stdint.h>

#define AUDIT_RETENTION_MIN 180
#define AUDIT_ARCHIVE_FORMAT "minzheng-audit-archive"
#define AUDIT_DIGEST_MAX 80 /* "sm3:" + 64 hex + NUL, with room */

/* The retention period from the audit-retention-days setting (NULL = 180). Refuses anything
 * but a whole number of days of at least 180 (400 "audit_retention_too_short" or
 * "invalid_value", field "audit-retention-days"). */
int audit_retention_parse(const char *value, int *days, struct err *e);

/* What an archive file holds, from its header and rows. */
struct audit_archive_info {
	int64_t from_id, to_id, rows, format2_from;
	char prev_hash[AUDIT_HASH_HEX], last_hash[AUDIT_HASH_HEX];
	char cutoff[24];
	enum audit_alg first_alg, last_alg;
	char digest[AUDIT_DIGEST_MAX]; /* "alg:hex" of the whole file, by last_alg */
};

/* Read the archive file at path and walk its chain from its header's anchor. 0 = intact (info
 * filled); 1 = broken: *bad_id is the first bad row (0 for a bad header) and why says what;
 * -1 = unreadable (e). */
int audit_archive_check(const char *path, struct audit_archive_info *info, int64_t *bad_id,
			char *why, size_t why_len, struct err *e);

/* "alg:hex" of the file at path into out; 0 or -1 (e). */
int audit_archive_digest(const char *path, enum audit_alg alg, char out[AUDIT_DIGEST_MAX],
			 struct err *e);

struct audit_archive_opts {
	const char *before; /* "YYYY-MM-DD": rows before its 00:00 (Beijing time) */
	int retention_days; /* from audit_retention_parse */
	const char *path;   /* the file to write */
	int force;	    /* overwrite an existing file */
};

struct audit_archive_result {
	int64_t archive_id;
	struct audit_archive_info info;
};

/* Archive every row before o->before: write the file (through a ".partial" file that is
 * fsynced, read back and verified, then renamed), then in one write transaction record the
 * archive, append `audit.archive` and delete the rows. If the process dies before the commit the
 * database is as it was. Refusals leave both the database and an existing file untouched:
 * 400 invalid_date / audit_retention_too_short, 400 "audit_archive_too_recent" (before is
 * inside the retention period), 409 "audit_archive_empty", 409 "audit_archive_exists" (without
 * force), 400 "audit_archive_unwritable", 409 "audit_chain_broken" (the rows to archive do not
 * verify). */
int audit_archive(struct db *db, const struct actor *a, const struct audit_archive_opts *o,
		  struct audit_archive_result *r, struct err *e);

/* The detail of an archive's `audit.archive` row (malloc'd JSON; the caller frees), from the
 * recorded values; audit_verify compares the row in the log with it. */
char *audit_archive_detail(int64_t from_id, int64_t to_id, const char *last_hash,
			   const char *file_name, const char *digest, const char *cutoff);

/* Verify archive files together with the database: each file's own chain, its match with a
 * recorded archive (range, last hash, digest), the files' continuity with one another, then the
 * database (audit_verify). *archived = rows in the files, *rows = rows in the table. Returns
 * as audit_verify: 0 intact, 1 broken (*bad_id, why), -1 error (e). */
int audit_verify_archives(struct db *db, const char *const *paths, int n, int64_t *archived,
			  int64_t *rows, int64_t *bad_id, char *why, size_t why_len, struct err *e);

#endif
