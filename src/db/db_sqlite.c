/* db_sqlite.c — the SQLite implementation of db.h.
 *
 * Each connection keeps a small open-addressed cache of prepared statements keyed by SQL text
 * (prepared with SQLITE_PREPARE_PERSISTENT), so hot paths pay for parsing once per connection.
 *
 * Failures are mapped in one place (db_fail_code) to a stable code and a Chinese message (the
 * texts in db_errors.c, shared with db_pg.c): busy or
 * locked → 503 busy, a full disk → 507 disk_full, a read-only file → 503 db_readonly, an I/O
 * error → 500 io_error, out of memory → 503 out_of_memory, a damaged file → 500 db_corrupt.
 * Fault injection (core/fault.h) enters here: a step, exec or commit may answer an injected
 * SQLite error instead of running, and SQLite's allocator is wrapped when faults are installed.
 * A write transaction that SQLite (or an injected full disk / I/O error / out of memory) rolled
 * back under the caller is noticed: later statements of it fail instead of writing in autocommit.
 */
#include "db/db_sqlite_names.h" /* first: this file defines sqlite_db_*, see db.c */
#include "db/db.h"
#include "db/db_errors.h"
#include "db/db_internal.h"
#include "core/fault.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STMT_CACHE_SIZE 4096 /* power of two; 600-odd statements in the code, some built */
#define PTR_CACHE_SIZE 1024  /* power of two */

struct db_stmt {
	sqlite3_stmt *st;
	struct db *db;
	char *sql;
	uint64_t hash;
	int bind_rc; /* a bind that failed (out of memory): the step must not run with it missing */
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
	int readonly; /* the file (or its directory) cannot be written */
	struct db_stmt cache[STMT_CACHE_SIZE];
};

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int busy_timeout_ms = 10000;

void db_set_busy_timeout(int ms)
{
	busy_timeout_ms = ms < 0 ? 0 : ms;
}

int db_busy_timeout(void)
{
	return busy_timeout_ms;
}

static const char *path_of(struct db *db)
{
	const char *f = db->h ? sqlite3_db_filename(db->h, "main") : NULL;
	return f && *f ? f : "（内存数据库）";
}

/* SQLite result code → struct err. what names the operation; detail is SQLite's own text. */
static int db_fail_code(struct db *db, int code, struct err *e, const char *what, const char *detail)
{
	switch (code & 0xff) {
	case SQLITE_CONSTRAINT:
		return err_set(e, 409, "conflict", NULL, "数据冲突：%s", detail);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return db_err_busy(e, what);
	case SQLITE_FULL:
		return db_err_disk_full(e, path_of(db), what);
	case SQLITE_READONLY:
		return db_err_readonly(e, 0, path_of(db), what);
	case SQLITE_IOERR:
		return db_err_io(e, path_of(db), what);
	case SQLITE_NOMEM:
		return db_err_nomem(e, what);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return db_err_corrupt(e, 0, path_of(db), what);
	case SQLITE_CANTOPEN:
		return err_set(e, 503, "db_cantopen", NULL,
			       "无法打开数据库文件 %s 或其日志文件：请检查文件及所在目录是否存在、是否可写（%s）",
			       path_of(db), what);
	default:
		return err_set(e, 500, "internal", NULL, "数据库错误（%s）：%s", what, detail);
	}
}

static int db_fail(struct db *db, struct err *e, const char *what)
{
	return db_fail_code(db, sqlite3_extended_errcode(db->h), e, what, sqlite3_errmsg(db->h));
}

/* An injected fault (fault_hit's answer, 1 + enum fault_kind) as the SQLite error it stands for.
 * A full disk, an I/O error and out-of-memory may roll the whole transaction back in SQLite
 * ("Response To Errors Within A Transaction"), so the injected ones do: the harsher case. */
static int db_injected(struct db *db, int hit, struct err *e, const char *what, const char *sql)
{
	db_fault_trace(what, sql); /* MZ_FAULT_TRACE: which statement met the fault */
	static const int codes[] = {
		[FAULT_KIND_BUSY] = SQLITE_BUSY,	 [FAULT_KIND_LOCKED] = SQLITE_LOCKED,
		[FAULT_KIND_FULL] = SQLITE_FULL,	 [FAULT_KIND_IOERR] = SQLITE_IOERR_WRITE,
		[FAULT_KIND_READONLY] = SQLITE_READONLY, [FAULT_KIND_NOMEM] = SQLITE_NOMEM,
		[FAULT_KIND_CORRUPT] = SQLITE_CORRUPT,	 [FAULT_KIND_MIX] = SQLITE_IOERR,
	};
	int code = codes[hit - 1];
	int rc = code & 0xff;
	if ((rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_NOMEM) &&
	    !sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return db_fail_code(db, code, e, what, "injected fault");
}

/* A write transaction rolled back under its owner (SQLite's automatic rollback): nothing of it
 * was kept, and nothing more may be written as if it were still open. */
static int txn_lost(struct db *db)
{
	return db->in_txn == 2 && sqlite3_get_autocommit(db->h);
}

static int txn_lost_err(struct err *e)
{
	return db_err_txn_aborted(e);
}

/* SQLite's allocator wrapped for fault injection (FAULT_ALLOC, FAULT_SQLMEM). */
static sqlite3_mem_methods sqlite_mem;

static void *fault_malloc(int n)
{
	if (fault_hit(FAULT_ALLOC) || fault_hit(FAULT_SQLMEM))
		return NULL;
	return sqlite_mem.xMalloc(n);
}

static void *fault_realloc(void *p, int n)
{
	if (fault_hit(FAULT_ALLOC) || fault_hit(FAULT_SQLMEM))
		return NULL;
	return sqlite_mem.xRealloc(p, n);
}

/* Process-wide SQLite settings, once, before the first connection. Memory statistics are off:
 * with them every allocation takes one global mutex, and the event loops queue on it (measured:
 * about +10 % requests/s on two loops). */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;
static void sqlite_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (fault_installed() && sqlite3_config(SQLITE_CONFIG_GETMALLOC, &sqlite_mem) == SQLITE_OK) {
		sqlite3_mem_methods m = sqlite_mem;
		m.xMalloc = fault_malloc;
		m.xRealloc = fault_realloc;
		sqlite3_config(SQLITE_CONFIG_MALLOC, &m);
	}
}

int db_open(struct db **out, const char *path, struct err *e)
{
	pthread_once(&sqlite_once, sqlite_configure);
	struct db *db = calloc(1, sizeof *db);
	if (!db)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int orc = sqlite3_open_v2(path, &db->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
						     SQLITE_OPEN_NOMUTEX, NULL);
	if (orc != SQLITE_OK) {
		if (!db->h || orc == SQLITE_NOMEM)
			err_set(e, 503, "out_of_memory", NULL, "内存不足，无法打开数据库 %s", path);
		else if (orc == SQLITE_CANTOPEN)
			err_set(e, 500, "db_open", NULL,
				"无法打开数据库 %s：文件或所在目录不存在，或没有读写权限", path);
		else
			err_set(e, 500, "db_open", NULL, "无法打开数据库 %s：%s", path,
				sqlite3_errmsg(db->h));
		sqlite3_close(db->h);
		free(db);
		return -1;
	}
	sqlite3_busy_timeout(db->h, busy_timeout_ms);
	/* SQLite opens a file it may not write read-only without a word: remember it, so a write
	 * is refused with the path named (db_readonly) and `serve` can warn at start. */
	db->readonly = sqlite3_db_readonly(db->h, "main") == 1;
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
			"PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
			"PRAGMA cache_size=-65536;", e) < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int db_readonly(struct db *db)
{
	return db->readonly;
}

int db_readonly_err(struct db *db, struct err *e)
{
	return db_fail_code(db, SQLITE_READONLY, e, "写入", "");
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
	int hit = fault_hit(FAULT_STEP);
	if (hit)
		return db_injected(db, hit, e, "exec", sql);
	if (txn_lost(db))
		return txn_lost_err(e);
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
	if (txn_lost(db)) {
		db->in_txn = 0;
		return txn_lost_err(e);
	}
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
	/* A write transaction SQLite rolled back still counts until its owner ends it. */
	return !sqlite3_get_autocommit(db->h) || db->in_txn == 2;
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
			if (!c->sql) {
				sqlite3_finalize(c->st);
				c->st = NULL;
				err_oom(e);
				return NULL;
			}
			c->hash = h;
			c->db = db;
			return c;
		}
	}
	/* Cache full: should not happen with literal SQL; fail loudly rather than leak. */
	err_set(e, 500, "internal", NULL, "语句缓存已满");
	return NULL;
}

/* A text or blob bind copies the value and may run out of memory: then the parameter would stay
 * NULL and the statement write a row without it. Remember the failure; db_step refuses to run. */
static void bind_check(struct db_stmt *st, int rc)
{
	if (rc == SQLITE_NOMEM && !st->bind_rc)
		st->bind_rc = rc;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(st->st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		bind_check(st, sqlite3_bind_text(st->st, idx, s, -1, SQLITE_TRANSIENT));
	else
		sqlite3_bind_null(st->st, idx);
}

void db_bind_textn(struct db_stmt *st, int idx, const char *s, int n)
{
	bind_check(st, sqlite3_bind_text(st->st, idx, s, n, SQLITE_TRANSIENT));
}

void db_bind_blob(struct db_stmt *st, int idx, const void *p, int n)
{
	bind_check(st, sqlite3_bind_blob(st->st, idx, p, n, SQLITE_TRANSIENT));
}

void db_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(st->st, idx);
}

int db_step(struct db_stmt *st, struct err *e)
{
	int hit = fault_hit(FAULT_STEP);
	if (hit)
		return db_injected(st->db, hit, e, "step", st->sql);
	if (st->bind_rc)
		return db_fail_code(st->db, st->bind_rc, e, "bind", "");
	if (txn_lost(st->db))
		return txn_lost_err(e);
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
	st->bind_rc = 0;
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
