/* db.c — db.h's functions: each sends the call to the backend of its connection, SQLite
 * (db_sqlite.c) or PostgreSQL (db_pg.c); db_open chooses by the name it is given. */
#include "db/db.h"
#include "db/db_backend.h"

#include <stdio.h>
#include <string.h>

int db_is_pg_url(const char *path)
{
	if (!path)
		return 0;
	if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0)
		return 1;
	/* a libpq keyword string: "host=… dbname=…" (a file name has no "word=") */
	static const char *const keys[] = {"host=", "hostaddr=", "dbname=", "user=", "port=", "service="};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *p = strstr(path, keys[i]);
		if (p && (p == path || p[-1] == ' '))
			return 1;
	}
	return 0;
}

static int pg(const void *conn_or_stmt)
{
	const void *first;
	memcpy(&first, conn_or_stmt, sizeof first);
	return first == (const void *)db_pg_tag;
}

int db_is_pg(struct db *db)
{
	return db && pg(db);
}

int db_open(struct db **out, const char *path, struct err *e)
{
	return db_is_pg_url(path) ? pg_db_open(out, path, e) : sqlite_db_open(out, path, e);
}

void db_close(struct db *db)
{
	if (!db)
		return;
	if (pg(db))
		pg_db_close(db);
	else
		sqlite_db_close(db);
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	if (pg(st))
		pg_db_done(st);
	else
		sqlite_db_done(st);
}

const char *db_filename(struct db *db)
{
	return pg(db) ? pg_db_filename(db) : sqlite_db_filename(db);
}

int db_exec(struct db *db, const char *sql, struct err *e)
{
	return pg(db) ? pg_db_exec(db, sql, e) : sqlite_db_exec(db, sql, e);
}

int db_begin_write(struct db *db, struct err *e)
{
	return pg(db) ? pg_db_begin_write(db, e) : sqlite_db_begin_write(db, e);
}

int db_begin_read(struct db *db, struct err *e)
{
	return pg(db) ? pg_db_begin_read(db, e) : sqlite_db_begin_read(db, e);
}

int db_commit(struct db *db, struct err *e)
{
	return pg(db) ? pg_db_commit(db, e) : sqlite_db_commit(db, e);
}

void db_rollback(struct db *db)
{
	if (pg(db)) {
		pg_db_rollback(db);
		return;
	}
	sqlite_db_rollback(db);
}

int db_in_transaction(struct db *db)
{
	return pg(db) ? pg_db_in_transaction(db) : sqlite_db_in_transaction(db);
}

int db_write_join(struct db *db, struct err *e)
{
	return pg(db) ? pg_db_write_join(db, e) : sqlite_db_write_join(db, e);
}

int db_write_finish(struct db *db, int began, int rc, struct err *e)
{
	return pg(db) ? pg_db_write_finish(db, began, rc, e) : sqlite_db_write_finish(db, began, rc, e);
}

int db_savepoint(struct db *db, struct err *e)
{
	return pg(db) ? pg_db_savepoint(db, e) : sqlite_db_savepoint(db, e);
}

int db_savepoint_end(struct db *db, int undo, struct err *e)
{
	return pg(db) ? pg_db_savepoint_end(db, undo, e) : sqlite_db_savepoint_end(db, undo, e);
}

struct db_stmt *db_prepare(struct db *db, const char *sql, struct err *e)
{
	return pg(db) ? pg_db_prepare(db, sql, e) : sqlite_db_prepare(db, sql, e);
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	if (pg(st)) {
		pg_db_bind_int(st, idx, v);
		return;
	}
	sqlite_db_bind_int(st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (pg(st)) {
		pg_db_bind_text(st, idx, s);
		return;
	}
	sqlite_db_bind_text(st, idx, s);
}

void db_bind_textn(struct db_stmt *st, int idx, const char *s, int n)
{
	if (pg(st)) {
		pg_db_bind_textn(st, idx, s, n);
		return;
	}
	sqlite_db_bind_textn(st, idx, s, n);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *p, int n)
{
	if (pg(st)) {
		pg_db_bind_blob(st, idx, p, n);
		return;
	}
	sqlite_db_bind_blob(st, idx, p, n);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	if (pg(st)) {
		pg_db_bind_null(st, idx);
		return;
	}
	sqlite_db_bind_null(st, idx);
}

int db_step(struct db_stmt *st, struct err *e)
{
	return pg(st) ? pg_db_step(st, e) : sqlite_db_step(st, e);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return pg(st) ? pg_db_col_int(st, col) : sqlite_db_col_int(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return pg(st) ? pg_db_col_text(st, col) : sqlite_db_col_text(st, col);
}

int db_col_bytes(struct db_stmt *st, int col)
{
	return pg(st) ? pg_db_col_bytes(st, col) : sqlite_db_col_bytes(st, col);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return pg(st) ? pg_db_col_is_null(st, col) : sqlite_db_col_is_null(st, col);
}

int db_run(struct db_stmt *st, struct err *e)
{
	return pg(st) ? pg_db_run(st, e) : sqlite_db_run(st, e);
}

int64_t db_last_id(struct db *db)
{
	return pg(db) ? pg_db_last_id(db) : sqlite_db_last_id(db);
}

int db_changes(struct db *db)
{
	return pg(db) ? pg_db_changes(db) : sqlite_db_changes(db);
}

int64_t db_query_int(struct db *db, const char *sql, const char *param)
{
	return pg(db) ? pg_db_query_int(db, sql, param) : sqlite_db_query_int(db, sql, param);
}

const void *db_col_blob(struct db_stmt *st, int col)
{
	return pg(st) ? pg_db_col_blob(st, col) : sqlite_db_col_blob(st, col);
}

int db_readonly(struct db *db)
{
	return pg(db) ? pg_db_readonly(db) : sqlite_db_readonly(db);
}

int db_readonly_err(struct db *db, struct err *e)
{
	return pg(db) ? pg_db_readonly_err(db, e) : sqlite_db_readonly_err(db, e);
}

void db_conninfo_masked(const char *name, char *shown, size_t size)
{
	size_t n = 0;
	const char *scheme = strstr(name, "://");
	const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
	const char *colon = at ? memchr(scheme + 3, ':', (size_t)(at - scheme - 3)) : NULL;
	for (const char *p = name; *p && n + 4 < size;) {
		if (colon && p == colon) { /* URL form: user:password@ → user:***@ */
			memcpy(shown + n, ":***", 4);
			n += 4;
			p = at;
			continue;
		}
		if (!scheme && strncmp(p, "password=", 9) == 0 && (p == name || p[-1] == ' ')) {
			if (n + 13 >= size)
				break;
			memcpy(shown + n, "password=", 9);
			n += 9;
			p += 9;
			if (*p == '\'') { /* a quoted value, with \' and \\ inside */
				for (p++; *p && *p != '\''; p++)
					if (*p == '\\' && p[1])
						p++;
				if (*p)
					p++;
			} else {
				p += strcspn(p, " ");
			}
			memcpy(shown + n, "***", 3);
			n += 3;
			continue;
		}
		shown[n++] = *p++;
	}
	shown[n] = 0;
}

const char *db_display_name(struct db *db)
{
	static _Thread_local char shown[512];
	const char *name = db_filename(db);
	if (!name || !pg(db))
		return name ? name : "";
	db_conninfo_masked(name, shown, sizeof shown);
	return shown;
}
