/* db.h — the engine-neutral database interface every module uses (SQLite now, PostgreSQL later).
 *
 * A struct db is one connection, owned by one thread. Statements are prepared once per
 * connection and cached by their SQL text: db_prepare() hands back a ready statement, the
 * caller binds (1-based), steps, reads columns and calls db_done(), which resets it for reuse.
 * SQL text is always a literal (or literal fragments joined, see core/scope.h); every value is
 * bound. Writes run inside db_begin_write()/db_commit() together with their audit row.
 */
#ifndef MZ_DB_H
#define MZ_DB_H

#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

struct db;
struct db_stmt;

/* Open (creating when missing) the database at path; WAL mode, busy timeout, foreign keys.
 * Does not migrate (see db_migrate in db/migrate.h). */
int db_open(struct db **out, const char *path, struct err *e);
void db_close(struct db *db);
/* How long a statement waits for another connection's lock before failing with 503 "busy"
 * (milliseconds; default 10000). Applies to connections opened afterwards. */
void db_set_busy_timeout(int ms);
int db_busy_timeout(void);
/* 1 when the file (or its directory) could not be opened for writing: SQLite then opens it
 * read-only, and every write fails with 503 "db_readonly" naming the path. */
int db_readonly(struct db *db);
/* Fill e with that error (503 db_readonly, "数据库文件只读：PATH…") and return -1. */
int db_readonly_err(struct db *db, struct err *e);
/* The file the connection is open on ("" for an in-memory or temporary database): for opening
 * more connections to it (work spread over threads). */
const char *db_filename(struct db *db);
/* 1 when the connection is a PostgreSQL one (db_pg.c), 0 for SQLite. */
int db_is_pg(struct db *db);
/* 1 when path names a PostgreSQL database: a postgresql:// or postgres:// URL, or a libpq
 * keyword string (host=… dbname=…). */
int db_is_pg_url(const char *path);
/* db_filename for people and logs: a PostgreSQL connection string with its password masked
 * ("postgresql://user:***@host/db", "password=***"). Valid until the next call on this thread. */
const char *db_display_name(struct db *db);
/* The masking itself, of a connection string (URL or keywords) into out. */
void db_conninfo_masked(const char *conninfo, char *out, size_t size);

/* Run literal SQL with no results (may hold several statements). */
int db_exec(struct db *db, const char *sql, struct err *e);

/* Transactions. db_begin_write takes the write lock at once (BEGIN IMMEDIATE), so reads inside
 * it (e.g. the audit chain head) cannot race another writer; called inside a read transaction
 * (db_begin_read) it ends the read first. Otherwise nested calls are not allowed. */
int db_begin_write(struct db *db, struct err *e);
int db_begin_read(struct db *db, struct err *e);
int db_commit(struct db *db, struct err *e);
void db_rollback(struct db *db);
int db_in_transaction(struct db *db);
/* A write that joins the caller's open transaction or runs in its own: db_write_join returns 0
 * (joined), 1 (began one) or -1 with e; db_write_finish(db, began, rc, e) then commits what it
 * began when rc is 0, rolls it back when rc < 0 (returning rc), and leaves a joined transaction
 * to its owner. */
int db_write_join(struct db *db, struct err *e);
int db_write_finish(struct db *db, int began, int rc, struct err *e);
/* A savepoint inside the open write transaction (one level: an import's row), and its end:
 * kept, or undone (undo != 0) — the rest of the transaction stays. Prepared once, not parsed
 * for every row. */
int db_savepoint(struct db *db, struct err *e);
int db_savepoint_end(struct db *db, int undo, struct err *e);

/* A cached prepared statement, or NULL with e filled (500). Call db_done() when finished. */
struct db_stmt *db_prepare(struct db *db, const char *sql, struct err *e);
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_text(struct db_stmt *st, int idx, const char *s); /* NULL binds SQL NULL */
void db_bind_textn(struct db_stmt *st, int idx, const char *s, int n);
void db_bind_blob(struct db_stmt *st, int idx, const void *p, int n);
void db_bind_null(struct db_stmt *st, int idx);
/* 1 = a row is ready, 0 = done, -1 = error (e filled: 409 "conflict" on a constraint; 503 "busy"
 * when locked past the busy timeout, 507 "disk_full", 503 "db_readonly", 500 "io_error",
 * 503 "out_of_memory", 500 "db_corrupt", 500 "txn_aborted" when SQLite rolled the write
 * transaction back under the caller; else 500 "internal"). */
int db_step(struct db_stmt *st, struct err *e);
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col); /* "" for NULL; valid until next step */
int db_col_bytes(struct db_stmt *st, int col);
const void *db_col_blob(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);
void db_done(struct db_stmt *st);

/* Convenience: run a prepared statement to completion (binds already done); 0 or -1. */
int db_run(struct db_stmt *st, struct err *e);

int64_t db_last_id(struct db *db);
int db_changes(struct db *db);

/* One integer from a literal SQL query with one optional text parameter; -1 on error/no row. */
int64_t db_query_int(struct db *db, const char *sql, const char *param);

#endif
