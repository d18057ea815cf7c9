/* db_sqlite.c — the SQLite implementation of db.h.
 *
 * Each connection keeps a small open-addressed cache of prepared statements keyed by SQL text
 * (prepared with SQLITE_PREPARE_PERSISTENT), so hot paths pay for parsing once per connection.
 */
#include "db/db_sqlite_names.h" /* first: this file defines sqlite_db_*, see db.c */
#include "db/db.h"
#include "db/db_internal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE_SIZE 4096 /* power of two; 600-odd statements in the code, some built */
#define PTR_CACHE_SIZE 1024  /* power of two */

struct db_stmt {
	sqlite3_stmt *st;
	struct db *db;
	char *sql;
	uint64_t hash;
};

/* A literal SQL text's address → its cache entry: a lookup without hashing the text. */
struct ptr_slot {
	const char *sql;
	struct db_stmt *st;
};

struct db {
	sqlite3 *h;
	struct ptr_slot by_ptr[PTR_CACHE_SIZE];
	int in_txn; /* 0 none, 1 read (db_begin_read), 2 write */
	struct db_stmt cache[STMT_CACHE_SIZE];
};

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int db_fail(struct db *db, struct err *e, const char *what)
{
	int code = sqlite3_extended_errcode(db->h);
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		return err_set(e, 409, "conflict", NULL, "数据冲突：%s", sqlite3_errmsg(db->h));
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return err_set(e, 503, "busy", NULL, "数据库繁忙，请稍后重试（%s）", what);
	return err_set(e, 500, "internal", NULL, "数据库错误（%s）：%s", what, sqlite3_errmsg(db->h));
}

/* Process-wide SQLite settings, once, before the first connection. Memory statistics are off:
 * with them every allocation takes one global mutex, and the event loops queue on it (measured:
 * about +10 % requests/s on two loops). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int db_open(struct db **out, const char *path, struct err *e)
{
	pthread_once(&sqlite_once, sqlite_configure);
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return err_set(e, 500, "internal", NULL, "内存不足");
	if (sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				      SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, 500, "db_open", NULL, "无法打开数据库 %s：%s", path,
			db->h ? sqlite3_errmsg(db->h) : "内存不足");
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, 10000);
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			"PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
			"PRAGMA cache_size=-65536;", e) < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int db_write_join(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_write(db, e) < 0 ? -1 : 1;
}

int db_write_finish(struct db *db, int began, int rc, struct err *e)
{
	if (began != 1)
		return rc;
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e);
}

int db_savepoint(struct db *db, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SAVEPOINT row_savepoint", e);
	return st ? db_run(st, e) : -1;
}

int db_savepoint_end(struct db *db, int undo, struct err *e)
{
	struct db_stmt *st;
	if (undo && (!(st = db_prepare(db, "ROLLBACK TO row_savepoint", e)) || db_run(st, e) < 0))
		return -1;
	st = db_prepare(db, "RELEASE row_savepoint", e);
	return st ? db_run(st, e) : -1;
}

sqlite3 *db_sqlite_handle(struct db *db)
{
	return db->h;
}

const char *db_filename(struct db *db)
{
	const char *f = sqlite3_db_filename(db->h, "main");
	return f ? f : "";
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT_CACHE_SIZE; i++) {
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	sqlite3_close(db->h);
	free(db);
}

int db_exec(struct db *db, const char *sql, struct err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = db_fail(db, e, msg ? msg : "exec");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}

int db_begin_write(struct db *db, struct err *e)
{
	/* A write inside a request's read transaction (the router gives every GET one): end the
	 * read first — a read snapshot cannot be upgraded safely in WAL mode — and take the write
	 * lock; the writer reads what it needs again under the lock. */
	if (db->in_txn == 1 && !sqlite3_get_autocommit(db->h))
		db_rollback(db);
	if (db_exec(db, "BEGIN IMMEDIATE", e) < 0)
		return -1;
	db->in_txn = 2;
	return 0;
}

int db_begin_read(struct db *db, struct err *e)
{
	if (db_exec(db, "BEGIN", e) < 0)
		return -1;
	db->in_txn = 1;
	return 0;
}

int db_commit(struct db *db, struct err *e)
{
	if (db_exec(db, "COMMIT", e) < 0) {
		db_rollback(db);
		return -1;
	}
	db->in_txn = 0;
	return 0;
}

void db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	db->in_txn = 0;
}

int db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

/* The program's read-only memory (text, constants): a string there never changes, so its address
 * alone names it. SQL built at run time (heap, stack) is looked up by its text. */
extern const char __executable_start[], __data_start[];

static int immutable(const char *p)
{
	return (uintptr_t)p >= (uintptr_t)__executable_start && (uintptr_t)p < (uintptr_t)__data_start;
}

static struct db_stmt *prepare_by_text(struct db *db, const char *sql, struct err *e);

struct db_stmt *db_prepare(struct db *db, const char *sql, struct err *e)
{
	if (!immutable(sql))
		return prepare_by_text(db, sql, e);
	struct ptr_slot *slot = &db->by_ptr[((uintptr_t)sql >> 3) & (PTR_CACHE_SIZE - 1)];
	if (slot->sql == sql)
		return slot->st;
	struct db_stmt *st = prepare_by_text(db, sql, e);
	if (st) {
		slot->sql = sql;
		slot->st = st;
	}
	return st;
}

static struct db_stmt *prepare_by_text(struct db *db, const char *sql, struct err *e)
{
	uint64_t h = sql_hash(sql);
	size_t i = (size_t)h & (STMT_CACHE_SIZE - 1);
	for (size_t probe = 0; probe < STMT_CACHE_SIZE; probe++, i = (i + 1) & (STMT_CACHE_SIZE - 1)) {
		struct db_stmt *c = &db->cache[i];
		if (c->st && c->hash == h && strcmp(c->sql, sql) == 0)
			return c;
		if (!c->st) {
			if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->st,
					       NULL) != SQLITE_OK) {
				db_fail(db, e, "prepare");
				c->st = NULL;
				return NULL;
			}
			c->sql = strdup(sql);
			c->hash = h;
			c->db = db;
			return c;
		}
	}
	/* Cache full: should not happen with literal SQL; fail loudly rather than leak. */
	err_set(e, 500, "internal", NULL, "语句缓存已满");
	return NULL;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, idx);
}

void db_bind_textn(struct db_stmt *st, int idx, const char *s, int n)
{
	sqlite3_bind_text(st->st, idx, s, n, SQLITE_TRANSIENT);
}

void db_bind_blob(struct db_stmt *st, int idx, const void *p, int n)
{
	sqlite3_bind_blob(st->st, idx, p, n, SQLITE_TRANSIENT);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

int db_step(struct db_stmt *st, struct err *e)
{
	int rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return db_fail(st->db, e, "step");
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st->st, col);
	return t ? (const char *)t : "";
}

int db_col_bytes(struct db_stmt *st, int col)
{
	return sqlite3_column_bytes(st->st, col);
}

const void *db_col_blob(struct db_stmt *st, int col)
{
	return sqlite3_column_blob(st->st, col);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

int db_run(struct db_stmt *st, struct err *e)
{
	int rc;
	while ((rc = db_step(st, e)) == 1)
		;
	db_done(st);
	return rc;
}

int64_t db_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

int db_changes(struct db *db)
{
	return sqlite3_changes(db->h);
}

int64_t db_query_int(struct db *db, const char *sql, const char *param)
{
	struct err e;
	struct db_stmt *st = db_prepare(db, sql, &e);
	if (!st)
		return -1;
	if (param)
		db_bind_text(st, 1, param);
	int64_t v = -1;
	if (db_step(st, &e) == 1)
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}
