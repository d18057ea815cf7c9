/* db_backend.h — for src/db/ only: the two backends behind db.h. db.c defines db.h's
 * functions and sends each call to sqlite_db_* (db_sqlite.c) or pg_db_* (db_pg.c). A PostgreSQL
 * connection or statement begins with the address db_pg_tag; a SQLite one with its sqlite3
 * handle (a heap address), never that. */
#ifndef MZ_DB_BACKEND_H
#define MZ_DB_BACKEND_H

#include "db/db.h"
#include "db/db_internal.h"

extern const char db_pg_tag[1];


int sqlite_db_open(struct db **out, const char *path, struct err *e);
void sqlite_db_close(struct db *db);
const char *sqlite_db_filename(struct db *db);
int sqlite_db_exec(struct db *db, const char *sql, struct err *e);
int sqlite_db_begin_write(struct db *db, struct err *e);
int sqlite_db_begin_read(struct db *db, struct err *e);
int sqlite_db_commit(struct db *db, struct err *e);
void sqlite_db_rollback(struct db *db);
int sqlite_db_in_transaction(struct db *db);
int sqlite_db_write_join(struct db *db, struct err *e);
int sqlite_db_write_finish(struct db *db, int began, int rc, struct err *e);
int sqlite_db_savepoint(struct db *db, struct err *e);
int sqlite_db_savepoint_end(struct db *db, int undo, struct err *e);
struct db_stmt *sqlite_db_prepare(struct db *db, const char *sql, struct err *e);
void sqlite_db_bind_int(struct db_stmt *st, int idx, int64_t v);
void sqlite_db_bind_text(struct db_stmt *st, int idx, const char *s);
void sqlite_db_bind_textn(struct db_stmt *st, int idx, const char *s, int n);
void sqlite_db_bind_blob(struct db_stmt *st, int idx, const void *p, int n);
void sqlite_db_bind_null(struct db_stmt *st, int idx);
int sqlite_db_step(struct db_stmt *st, struct err *e);
int64_t sqlite_db_col_int(struct db_stmt *st, int col);
const char *sqlite_db_col_text(struct db_stmt *st, int col);
int sqlite_db_col_bytes(struct db_stmt *st, int col);
const void *sqlite_db_col_blob(struct db_stmt *st, int col);
int sqlite_db_col_is_null(struct db_stmt *st, int col);
void sqlite_db_done(struct db_stmt *st);
int sqlite_db_run(struct db_stmt *st, struct err *e);
int64_t sqlite_db_last_id(struct db *db);
int sqlite_db_changes(struct db *db);
int64_t sqlite_db_query_int(struct db *db, const char *sql, const char *param);
int sqlite_db_readonly(struct db *db);
int sqlite_db_readonly_err(struct db *db, struct err *e);

int pg_db_open(struct db **out, const char *path, struct err *e);
void pg_db_close(struct db *db);
const char *pg_db_filename(struct db *db);
int pg_db_exec(struct db *db, const char *sql, struct err *e);
int pg_db_begin_write(struct db *db, struct err *e);
int pg_db_begin_read(struct db *db, struct err *e);
int pg_db_commit(struct db *db, struct err *e);
void pg_db_rollback(struct db *db);
int pg_db_in_transaction(struct db *db);
int pg_db_write_join(struct db *db, struct err *e);
int pg_db_write_finish(struct db *db, int began, int rc, struct err *e);
int pg_db_savepoint(struct db *db, struct err *e);
int pg_db_savepoint_end(struct db *db, int undo, struct err *e);
struct db_stmt *pg_db_prepare(struct db *db, const char *sql, struct err *e);
void pg_db_bind_int(struct db_stmt *st, int idx, int64_t v);
void pg_db_bind_text(struct db_stmt *st, int idx, const char *s);
void pg_db_bind_textn(struct db_stmt *st, int idx, const char *s, int n);
void pg_db_bind_blob(struct db_stmt *st, int idx, const void *p, int n);
void pg_db_bind_null(struct db_stmt *st, int idx);
int pg_db_step(struct db_stmt *st, struct err *e);
int64_t pg_db_col_int(struct db_stmt *st, int col);
const char *pg_db_col_text(struct db_stmt *st, int col);
int pg_db_col_bytes(struct db_stmt *st, int col);
const void *pg_db_col_blob(struct db_stmt *st, int col);
int pg_db_col_is_null(struct db_stmt *st, int col);
void pg_db_done(struct db_stmt *st);
int pg_db_run(struct db_stmt *st, struct err *e);
int64_t pg_db_last_id(struct db *db);
int pg_db_changes(struct db *db);
int64_t pg_db_query_int(struct db *db, const char *sql, const char *param);
int pg_db_readonly(struct db *db);
int pg_db_readonly_err(struct db *db, struct err *e);

#endif
