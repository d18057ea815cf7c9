/* db_backup.h — consistent copies of a database file, for `minzheng backup` and `restore`.
 *
 * db_backup_copy() copies one open database into a new file with SQLite's online backup API
 * while holding a read transaction on the source, so the copy is one consistent snapshot even
 * while other connections (a running server, WAL mode) keep writing, and the copy never has to
 * restart. db_backup_copy_file() does the same from a file opened read-only (restoring a backup
 * without touching it). db_backup_integrity() runs PRAGMA integrity_check.
 */
#ifndef MZ_DB_BACKUP_H
#define MZ_DB_BACKUP_H

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

/* -1 with e (code "backup_postgresql", naming pg_dump/pg_restore) when path names a PostgreSQL
 * database: backup and restore here are SQLite's; else 0. */
int db_backup_refuse_pg(const char *path, struct err *e);

/* Switch the connection's file to a single self-contained file (journal_mode=DELETE), as a
 * backup is kept. */
int db_backup_single_file(struct db *db, struct err *e);

#endif
