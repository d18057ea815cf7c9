/* db_backup.h — consistent copies of a database file, for `minzheng backup` and `restore`.
 *
 * db_backup_copy() copies one open database into a new file with SQLite's online backup API
 * while holding a read transaction on the source, so the copy is one consistent snapshot even
 * while other connections (a running server, WAL mode) keep writing, and the copy never has to
 * restart. db_backup_copy_file() does the same from a file opened read-only (restoring a backup
 * without touching it). db_backup_integrity() runs PRAGMA integrity_check.
 *
 * A PostgreSQL database is backed up with pg_dump and restored with pg_restore
 * (db_backup_pg.c, pg_tool.c): the db_pg_* functions below.
 */
#ifndef MZ_DB_BACKUP_H
#define MZ_DB_BACKUP_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"
#include "db/db.h"

/* Called after each step with the pages copied so far and the total (for a progress line). */
typedef void (*db_backup_progress_fn)(int done, int total, void *ctx);

/* Copy db into a new file at dest (which must not exist: the caller picks a temporary name and
 * renames). The copy is left in rollback-journal mode: one self-contained file. 0, or -1 with e
 * filled; on failure dest is removed. *pages receives the page count when not NULL. */
int db_backup_copy(struct db *db, const char *dest, db_backup_progress_fn progress, void *ctx,
		   int *pages, struct err *e);

/* The same from the database file src, opened read-only (it is not changed). A file that is not
 * an SQLite database fails with code "bad_backup". */
int db_backup_copy_file(const char *src, const char *dest, db_backup_progress_fn progress,
			void *ctx, struct err *e);

/* PRAGMA integrity_check on the connection: 0 when "ok", else -1 with the first problem in e
 * (code "bad_backup"). */
int db_backup_integrity(struct db *db, struct err *e);

/* 1 when path names a PostgreSQL database (backed up with the db_pg_* functions below; the
 * SQLite functions above refuse it with code "backup_postgresql"), else 0. */
int db_backup_is_pg(const char *path);

/* Switch the connection's file to a single self-contained file (journal_mode=DELETE), as a
 * backup is kept. */
int db_backup_single_file(struct db *db, struct err *e);

/* ---- PostgreSQL (db_backup_pg.c) ----------------------------------------------------------- */

/* "dbname@host:port" of a connection, for messages: never its password. */
void db_pg_describe(const char *conn, char *out, size_t n);

/* The snapshot of db's open read transaction (db_begin_read on a PostgreSQL connection),
 * exported for pg_dump --snapshot; valid while that transaction stays open. 0, or -1 with e. */
int db_pg_snapshot(struct db *db, char *out, size_t n, struct err *e);

/* Reads an archive from in to its end: 0, or -1 with e. */
typedef int (*db_pg_sink_fn)(FILE *in, void *ctx, struct err *e);

/* pg_dump --format=custom of the database conn (a URL or keyword string; its password goes to
 * pg_dump through the environment), in snapshot when not NULL. With dest: into that file (mode
 * from the umask; removed again on failure). Without: sink reads the archive from a pipe, and
 * nothing is written here. 0, or -1 with e: "pg_tool_missing" (no pg_dump), "pg_version" (pg_dump
 * older than the server), "pg_tool_failed" (what pg_dump said), or the sink's error. */
int db_pg_dump(const char *conn, const char *snapshot, const char *dest, db_pg_sink_fn sink,
	       void *ctx, struct err *e);

/* Read the whole archive without a database: pg_restore --list (its table of contents), then
 * pg_restore into /dev/null (every data block, so a truncated or changed file is found). 0, or -1
 * with e: 400 "bad_backup" (an SQLite file, not an archive, damaged), "pg_version" (written by a
 * newer pg_dump), "pg_tool_missing". */
int db_pg_archive_check(const char *file, struct err *e);

/* Restoring an archive into a PostgreSQL database, in steps the caller checks in between:
 * open (a missing database is 404 "not_found" saying how to create it) → has_tables / others →
 * load (schema public moved aside, the archive restored into a new public in one transaction;
 * on failure the old one is put back) → the caller's checks on the restored data → end (keep:
 * the old schema is dropped; else the restored one is, and the old put back) → close. */
struct db_pg_restore;
int db_pg_restore_open(const char *conn, struct db_pg_restore **out, struct err *e);
/* 1 when schema public holds a table or view (the database "exists" for restore), 0 when
 * not, -1 on error. */
int db_pg_restore_has_tables(struct db_pg_restore *r);
/* The number of other client sessions on the database (a running server's), -1 on error. */
int db_pg_restore_others(struct db_pg_restore *r);
int db_pg_restore_load(struct db_pg_restore *r, const char *conn, const char *archive,
		       struct err *e);
int db_pg_restore_end(struct db_pg_restore *r, int keep, struct err *e);
void db_pg_restore_close(struct db_pg_restore *r);

#endif
