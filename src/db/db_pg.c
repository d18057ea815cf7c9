/* db_pg.c — the PostgreSQL (libpq) implementation of db.h, reached through db.c.
 *
 * - SQL text is the modules' SQLite text, translated by sql_pg.c once per statement; each text is
 *   prepared once per connection (PQprepare, named s1, s2…) and cached like the SQLite cache: by
 *   the literal's address, else by the text.
 * - Parameters travel as text (blobs as binary); a statement's result is fetched whole on the
 *   first db_step and read row by row with a cursor index; db_done clears it.
 * - Writes: READ COMMITTED, and db_begin_write takes one transaction-scoped advisory lock first —
 *   the same single writer as SQLite's BEGIN IMMEDIATE. Every write appends to the one audit hash
 *   chain, so writers are serial by design; SERIALIZABLE would only turn that into retries
 *   (40001) on the chain head. Reads (db_begin_read): REPEATABLE READ, one snapshot like a SQLite
 *   read transaction. lock_timeout (--busy-timeout, 10 s by default) stands for SQLite's busy timeout.
 * - db_last_id: an INSERT into a table with an identity column gets RETURNING <that column>; an
 *   INSERT that names the identity column itself moves the sequence past the value it wrote.
 * - Errors: SQLSTATE 23xxx → 409 conflict, 40001/40P01/55P03/57014 → 503 busy, 53100 → disk_full,
 *   25006 → 503 db_readonly, 53200 → 503 out_of_memory, 58030 → 500 io_error, XX001/XX002 →
 *   500 db_corrupt, 25P02 → 500 txn_aborted, 08xxx → 503 db_unavailable, else 500 — the codes
 *   (and, through db_errors.c, the messages) db_sqlite.c gives.
 * - Fault injection (core/fault.h) enters at the points db_sqlite.c has: every db_step (each row
 *   too), db_exec, begin, commit and savepoint is a FAULT_STEP event; an injected kind is met as
 *   the SQLSTATE it stands for (busy → 55P03, full → 53100, ioerr → 58030, readonly → 25006,
 *   nomem → 53200, corrupt → XX001). Inside a transaction the server is made to fail a statement
 *   with that SQLSTATE, so the transaction is aborted there just as by a real error: later
 *   statements of it answer 25P02 (txn_aborted) and the commit rolls it back. FAULT_SQLMEM (and
 *   FAULT_ALLOC) stand for libpq's allocations: a statement's result (execute, simple) and the
 *   copy of a bound value fail as out of memory.
 * - pg_db_readonly: asked once at open (SHOW transaction_read_only: a standby, or
 *   default_transaction_read_only = on), so `serve` warns at start as for a read-only file.
 */
#include "db/db_backend.h"
#include "db/db_errors.h"
#include "db/sql_pg.h"
#include "core/fault.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PG_STMT_CACHE 4096 /* power of two */
#define PG_PTR_CACHE 1024  /* power of two */
#define PG_TABLES 256
#define PG_MAX_PARAMS 32767 /* SQLite's limit too */
#define WRITE_LOCK_KEY "7240531" /* the advisory lock of db_begin_write */

#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_TEXT 25

const char db_pg_tag[1] = {'P'};

struct pg_db;

struct pg_stmt {
	const void *tag; /* db_pg_tag: db.c tells the backends apart by it */
	struct pg_db *db;
	char *sql; /* the text as written (the cache key) */
	uint64_t hash;
	char name[16];
	int nparams;
	char **vals;
	int *lens, *fmts;
	PGresult *res;
	int next, cur, nrows;
	int returning_id; /* 1: RETURNING <identity> appended, 2: the caller names the identity
			   * and the statement moves its sequence; either way the rows are not the
			   * caller's */
	unsigned char **bytea; /* decoded bytea values of the current row, by column */
	size_t *bytea_len;
	int ncols;
	int bind_failed; /* a bound value could not be copied (out of memory): the step refuses */
};

struct pg_ptr_slot {
	const char *sql;
	struct pg_stmt *st;
};

struct pg_table {
	char name[64];
	char ident[64]; /* its identity column, "" when none */
	char seq[160];	/* the identity's sequence, schema-qualified */
};

struct pg_db {
	const void *tag;
	PGconn *c;
	char *conninfo;
	int in_txn; /* 0 none, 1 read, 2 write */
	int readonly; /* the server refuses writes (asked at open) */
	char where[160]; /* "dbname@host", for messages */
	int changes;
	int64_t last_id;
	int nstmt;
	int ntables;
	struct pg_table tables[PG_TABLES];
	struct pg_ptr_slot by_ptr[PG_PTR_CACHE];
	struct pg_stmt *cache[PG_STMT_CACHE];
};

static struct pg_db *D(struct db *db)
{
	return (struct pg_db *)(void *)db;
}

static struct pg_stmt *S(struct db_stmt *st)
{
	return (struct pg_stmt *)(void *)st;
}

static uint64_t sql_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The message of r (or of the connection), without its trailing newline, into buf. */
static const char *message(struct pg_db *d, const PGresult *r, char *buf, size_t n)
{
	const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!m || !*m)
		m = r ? PQresultErrorMessage(r) : PQerrorMessage(d->c);
	snprintf(buf, n, "%s", m ? m : "");
	size_t len = strlen(buf);
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		buf[--len] = 0;
	return buf;
}

/* SQLSTATE state (msg: the server's text) → struct err, as db_sqlite.c maps SQLite's codes. */
static int state_fail(struct pg_db *d, const char *state, const char *msg, struct err *e,
		      const char *what)
{
	char detail[600];
	snprintf(detail, sizeof detail, "%s%s%s", what, *msg ? "：" : "", msg);
	if (strncmp(state, "23", 2) == 0)
		return err_set(e, 409, "conflict", NULL, "数据冲突：%s", msg);
	if (!strcmp(state, "55P03"))
		return db_err_busy(e, what);
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "57014"))
		return err_set(e, 503, "busy", NULL, "数据库繁忙，请稍后重试（%s）", what);
	if (!strcmp(state, "53100"))
		return db_err_disk_full(e, d->where, detail);
	if (!strcmp(state, "25006"))
		return db_err_readonly(e, 1, d->where, what);
	if (!strcmp(state, "53200"))
		return db_err_nomem(e, what);
	if (!strcmp(state, "58030"))
		return db_err_io(e, d->where, detail);
	if (!strcmp(state, "XX001") || !strcmp(state, "XX002"))
		return db_err_corrupt(e, 1, d->where, detail);
	if (!strcmp(state, "25P02"))
		return db_err_txn_aborted(e);
	if (strncmp(state, "08", 2) == 0)
		return err_set(e, 503, "db_unavailable", NULL, "数据库连接中断，请稍后重试（%s）：%s", what, msg);
	return err_set(e, 500, "internal", NULL, "数据库错误（%s）：%s [%s]", what, msg, state);
}

static int pg_fail(struct pg_db *d, const PGresult *r, struct err *e, const char *what)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	char msg[400];
	message(d, r, msg, sizeof msg);
	if (!state && !r && PQstatus(d->c) == CONNECTION_OK)
		return db_err_nomem(e, what); /* libpq could not allocate the result */
	if (!state)
		state = PQstatus(d->c) == CONNECTION_OK ? "" : "08000";
	return state_fail(d, state, msg, e, what);
}

/* An injected fault (fault_hit's answer, 1 + enum fault_kind) met as the SQLSTATE it stands
 * for. Inside a transaction the server fails a statement with that SQLSTATE, so the transaction
 * is aborted there as by a real error (a failed statement ends a PostgreSQL transaction). */
static int injected(struct pg_db *d, int hit, struct err *e, const char *what, const char *sql)
{
	static const char *const states[] = {
		[FAULT_KIND_BUSY] = "55P03",	 [FAULT_KIND_LOCKED] = "55P03",
		[FAULT_KIND_FULL] = "53100",	 [FAULT_KIND_IOERR] = "58030",
		[FAULT_KIND_READONLY] = "25006", [FAULT_KIND_NOMEM] = "53200",
		[FAULT_KIND_CORRUPT] = "XX001",	 [FAULT_KIND_MIX] = "58030",
	};
	const char *state = states[hit - 1];
	db_fault_trace(what, sql);
	if (PQtransactionStatus(d->c) == PQTRANS_INTRANS) {
		char raise[160];
		snprintf(raise, sizeof raise,
			 "DO $mz$BEGIN RAISE EXCEPTION 'injected fault' USING ERRCODE = '%s'; END$mz$",
			 state);
		PQclear(PQexec(d->c, raise));
	}
	return state_fail(d, state, "injected fault", e, what);
}

/* FAULT_SQLMEM (and FAULT_ALLOC) on PostgreSQL: one of libpq's allocations, a result or a copy
 * of a bound value; nonzero when it must fail. */
static int alloc_fault(void)
{
	return fault_hit(FAULT_ALLOC) || fault_hit(FAULT_SQLMEM);
}

/* Whether r is an INSERT, UPDATE or DELETE (what sqlite3_changes counts). */
static int row_change(const PGresult *r)
{
	const char *s = PQcmdStatus((PGresult *)r);
	return !strncmp(s, "INSERT", 6) || !strncmp(s, "UPDATE", 6) || !strncmp(s, "DELETE", 6);
}

/* Run literal SQL (no parameters) for its status; 0 or -1 with e. */
static int simple(struct pg_db *d, const char *sql, struct err *e)
{
	if (alloc_fault())
		return injected(d, 1 + FAULT_KIND_NOMEM, e, "exec", sql);
	PGresult *r = PQexec(d->c, sql);
	ExecStatusType s = PQresultStatus(r);
	int rc = 0;
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY) {
		char what[64];
		snprintf(what, sizeof what, "%.60s", sql);
		rc = pg_fail(d, r, e, what);
	} else if (row_change(r)) {
		d->changes = atoi(PQcmdTuples(r)); /* as sqlite3_changes after an exec */
	}
	PQclear(r);
	return rc;
}

/* What SQLite has and PostgreSQL lacks, made once per database (in its schema): max/min/sum
 * over booleans, and + - = <> between booleans and integers (SQLite's comparisons are the
 * integers 0/1). The function mz_compat_v2 marks it done; a later set gets a new marker. */
static const char compat_sql[] =
	"BEGIN; SELECT pg_advisory_xact_lock(7240532);"
	"CREATE OR REPLACE FUNCTION mz_sum_bool(s bigint, v boolean) RETURNS bigint LANGUAGE sql "
	"  IMMUTABLE AS 'SELECT CASE WHEN v IS NULL THEN s ELSE coalesce(s, 0) + v::int END';"
	"CREATE OR REPLACE AGGREGATE sum(boolean) (SFUNC = mz_sum_bool, STYPE = bigint);"
	"CREATE OR REPLACE AGGREGATE max(boolean) (SFUNC = pg_catalog.boolor_statefunc, STYPE = boolean);"
	"CREATE OR REPLACE AGGREGATE min(boolean) (SFUNC = pg_catalog.booland_statefunc, STYPE = boolean);"
	/* arithmetic over comparisons: count + (a = b) */
	"CREATE OR REPLACE FUNCTION mz_add_lb(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2::int';"
	"DROP OPERATOR IF EXISTS + (bigint, boolean); CREATE OPERATOR + (LEFTARG = bigint, RIGHTARG = boolean, FUNCTION = mz_add_lb);"
	"CREATE OR REPLACE FUNCTION mz_sub_lb(bigint, boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2::int';"
	"DROP OPERATOR IF EXISTS - (bigint, boolean); CREATE OPERATOR - (LEFTARG = bigint, RIGHTARG = boolean, FUNCTION = mz_sub_lb);"
	"CREATE OR REPLACE FUNCTION mz_add_bl(boolean, bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1::int + $2';"
	"DROP OPERATOR IF EXISTS + (boolean, bigint); CREATE OPERATOR + (LEFTARG = boolean, RIGHTARG = bigint, FUNCTION = mz_add_bl);"
	"CREATE OR REPLACE FUNCTION mz_sub_bl(boolean, bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT $1::int - $2';"
	"DROP OPERATOR IF EXISTS - (boolean, bigint); CREATE OPERATOR - (LEFTARG = boolean, RIGHTARG = bigint, FUNCTION = mz_sub_bl);"
	"CREATE OR REPLACE FUNCTION mz_add_ib(integer, boolean) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2::int';"
	"DROP OPERATOR IF EXISTS + (integer, boolean); CREATE OPERATOR + (LEFTARG = integer, RIGHTARG = boolean, FUNCTION = mz_add_ib);"
	"CREATE OR REPLACE FUNCTION mz_sub_ib(integer, boolean) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 - $2::int';"
	"DROP OPERATOR IF EXISTS - (integer, boolean); CREATE OPERATOR - (LEFTARG = integer, RIGHTARG = boolean, FUNCTION = mz_sub_ib);"
	"CREATE OR REPLACE FUNCTION mz_add_bi(boolean, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1::int + $2';"
	"DROP OPERATOR IF EXISTS + (boolean, integer); CREATE OPERATOR + (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = mz_add_bi);"
	"CREATE OR REPLACE FUNCTION mz_sub_bi(boolean, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1::int - $2';"
	"DROP OPERATOR IF EXISTS - (boolean, integer); CREATE OPERATOR - (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = mz_sub_bi);"
	"CREATE OR REPLACE FUNCTION mz_add_bb(boolean, boolean) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1::int + $2::int';"
	"DROP OPERATOR IF EXISTS + (boolean, boolean); CREATE OPERATOR + (LEFTARG = boolean, RIGHTARG = boolean, FUNCTION = mz_add_bb);"
	"CREATE OR REPLACE FUNCTION mz_sub_bb(boolean, boolean) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1::int - $2::int';"
	"DROP OPERATOR IF EXISTS - (boolean, boolean); CREATE OPERATOR - (LEFTARG = boolean, RIGHTARG = boolean, FUNCTION = mz_sub_bb);"
	/* comparing a condition with 0/1: overdue = 1 */
	"CREATE OR REPLACE FUNCTION mz_eq_bi(boolean, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::int = $2';"
	"DROP OPERATOR IF EXISTS = (boolean, integer); CREATE OPERATOR = (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = mz_eq_bi);"
	"CREATE OR REPLACE FUNCTION mz_ne_bi(boolean, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::int <> $2';"
	"DROP OPERATOR IF EXISTS <> (boolean, integer); CREATE OPERATOR <> (LEFTARG = boolean, RIGHTARG = integer, FUNCTION = mz_ne_bi);"
	"CREATE OR REPLACE FUNCTION mz_eq_ib(integer, boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2::int';"
	"DROP OPERATOR IF EXISTS = (integer, boolean); CREATE OPERATOR = (LEFTARG = integer, RIGHTARG = boolean, FUNCTION = mz_eq_ib);"
	"CREATE OR REPLACE FUNCTION mz_ne_ib(integer, boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 <> $2::int';"
	"DROP OPERATOR IF EXISTS <> (integer, boolean); CREATE OPERATOR <> (LEFTARG = integer, RIGHTARG = boolean, FUNCTION = mz_ne_ib);"
	"CREATE OR REPLACE FUNCTION mz_eq_bl(boolean, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::int = $2';"
	"DROP OPERATOR IF EXISTS = (boolean, bigint); CREATE OPERATOR = (LEFTARG = boolean, RIGHTARG = bigint, FUNCTION = mz_eq_bl);"
	"CREATE OR REPLACE FUNCTION mz_ne_bl(boolean, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1::int <> $2';"
	"DROP OPERATOR IF EXISTS <> (boolean, bigint); CREATE OPERATOR <> (LEFTARG = boolean, RIGHTARG = bigint, FUNCTION = mz_ne_bl);"
	"CREATE OR REPLACE FUNCTION mz_eq_lb(bigint, boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2::int';"
	"DROP OPERATOR IF EXISTS = (bigint, boolean); CREATE OPERATOR = (LEFTARG = bigint, RIGHTARG = boolean, FUNCTION = mz_eq_lb);"
	"CREATE OR REPLACE FUNCTION mz_ne_lb(bigint, boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 <> $2::int';"
	"DROP OPERATOR IF EXISTS <> (bigint, boolean); CREATE OPERATOR <> (LEFTARG = bigint, RIGHTARG = boolean, FUNCTION = mz_ne_lb);"
	"CREATE OR REPLACE FUNCTION mz_compat_v2() RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT 1';"
	"COMMIT;";

static int compat(struct pg_db *d, struct err *e)
{
	PGresult *r = PQexec(d->c, "SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
				   "WHERE p.proname = 'mz_compat_v2' AND n.nspname = current_schema()");
	int done = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0;
	PQclear(r);
	if (done)
		return 0;
	if (simple(d, compat_sql, e) < 0) {
		PQclear(PQexec(d->c, "ROLLBACK"));
		return -1;
	}
	return 0;
}

static void quiet(void *arg, const char *message_text)
{
	(void)arg;
	(void)message_text;
}

int pg_db_open(struct db **out, const char *path, struct err *e)
{
	struct pg_db *d = calloc(1, sizeof *d);
	if (!d || !(d->conninfo = strdup(path))) {
		free(d);
		return err_set(e, 500, "internal", NULL, "内存不足");
	}
	d->tag = db_pg_tag;
	d->c = PQconnectdb(path);
	if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
		char msg[400];
		err_set(e, 500, "db_open", NULL, "无法连接 PostgreSQL 数据库：%s",
			d->c ? message(d, NULL, msg, sizeof msg) : "内存不足");
		pg_db_close((struct db *)(void *)d);
		return -1;
	}
	PQsetNoticeProcessor(d->c, quiet, NULL);
	snprintf(d->where, sizeof d->where, "%s@%s", PQdb(d->c), PQhost(d->c));
	char setup[256];
	snprintf(setup, sizeof setup,
		 "SET lock_timeout = %d; SET client_min_messages = warning; "
		 "SET standard_conforming_strings = on; SET client_encoding = 'UTF8'",
		 db_busy_timeout());
	if (simple(d, setup, e) < 0) {
		pg_db_close((struct db *)(void *)d);
		return -1;
	}
	/* A standby, or a database with default_transaction_read_only: every write would answer
	 * 25006. Remembered, so writes are refused naming it and `serve` warns at start; the
	 * compatibility functions cannot be made there (a database made by `init` has them). */
	PGresult *ro = PQexec(d->c, "SHOW transaction_read_only");
	d->readonly = PQresultStatus(ro) == PGRES_TUPLES_OK && PQntuples(ro) == 1 &&
		      !strcmp(PQgetvalue(ro, 0, 0), "on");
	PQclear(ro);
	if (!d->readonly && compat(d, e) < 0) {
		pg_db_close((struct db *)(void *)d);
		return -1;
	}
	*out = (struct db *)(void *)d;
	return 0;
}

static void stmt_clear(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->next = st->cur = st->nrows = 0;
	for (int i = 0; i < st->ncols; i++) {
		PQfreemem(st->bytea[i]);
		st->bytea[i] = NULL;
	}
	free(st->bytea);
	free(st->bytea_len);
	st->bytea = NULL;
	st->bytea_len = NULL;
	st->ncols = 0;
}

static void stmt_free(struct pg_stmt *st)
{
	if (!st)
		return;
	stmt_clear(st);
	for (int i = 0; i < st->nparams; i++)
		free(st->vals[i]);
	free(st->vals);
	free(st->lens);
	free(st->fmts);
	free(st->sql);
	free(st);
}

void pg_db_close(struct db *db)
{
	struct pg_db *d = D(db);
	if (!d)
		return;
	for (int i = 0; i < PG_STMT_CACHE; i++)
		stmt_free(d->cache[i]);
	PQfinish(d->c);
	free(d->conninfo);
	free(d);
}

const char *pg_db_filename(struct db *db)
{
	return D(db)->conninfo;
}

static int begin_write(struct pg_db *d, struct err *e);

/* Several statements run one by one, each in its own transaction, as sqlite3_exec runs them:
 * PQexec would run them as one implicit transaction, where CREATE or DROP DATABASE may not run
 * ("DROP DATABASE IF EXISTS a; CREATE DATABASE a"). Split at the semicolons outside quotes; t
 * is changed in place. Used outside a transaction for text naming a DATABASE only. */
static int each_statement(struct pg_db *d, char *t, struct err *e)
{
	char quote = 0, *start = t;
	for (char *p = t;; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			else if (!*p)
				break;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == ';' || !*p) {
			char end = *p;
			*p = 0;
			if (strspn(start, " \t\r\n") < strlen(start) && simple(d, start, e) < 0)
				return -1;
			if (!end)
				return 0;
			start = p + 1;
		}
	}
	return simple(d, start, e); /* an unterminated quote: the server says what is wrong */
}

static const struct pg_table *identity_of(struct pg_db *d, const char *table);
static int names_column(const char *sql, const char *table, const char *col);

/* After literal SQL that may hold several INSERTs giving ids themselves (test fixtures, a
 * demo's fixed rows): move each such table's sequence past its largest id, as the prepared path
 * does per statement, so that later automatic ids do not collide. */
static int move_sequences_after(struct pg_db *d, const char *sql, struct err *e)
{
	for (const char *p = strcasestr(sql, "INSERT"); p; p = strcasestr(p + 6, "INSERT")) {
		if (p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
			continue;
		const char *into = strcasestr(p, "INTO");
		if (!into)
			break;
		const char *name = into + 4;
		name += strspn(name, " \t\r\n\"");
		size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		char table[64];
		if (!len || len >= sizeof table)
			continue;
		memcpy(table, name, len);
		table[len] = 0;
		const struct pg_table *tb = identity_of(d, table);
		if (!tb->ident[0] || !tb->seq[0] || !names_column(p, table, tb->ident))
			continue;
		char q[512];
		snprintf(q, sizeof q,
			 "SELECT setval('%s', m) FROM (SELECT max(%s) AS m FROM %s) AS x, %s AS s "
			 "WHERE m >= s.last_value",
			 tb->seq, tb->ident, table, tb->seq);
		if (simple(d, q, e) < 0)
			return -1;
	}
	return 0;
}

int pg_db_exec(struct db *db, const char *sql, struct err *e)
{
	struct pg_db *d = D(db);
	int hit = fault_hit(FAULT_STEP);
	if (hit)
		return injected(d, hit, e, "exec", sql);
	char word[16];
	sql_pg_first_word(sql, word, sizeof word);
	if (!strcmp(word, "BEGIN") && strstr(sql, "IMMEDIATE"))
		return begin_write(d, e);
	/* One INSERT: run prepared, so that db_last_id and db_changes answer for it as after
	 * sqlite3_exec (with a ';' in it, perhaps several statements: run as they are). */
	if (!strcmp(word, "INSERT") && !strchr(sql, ';')) {
		struct db_stmt *st = pg_db_prepare(db, sql, e);
		return st ? pg_db_run(st, e) : -1;
	}
	char *t = sql_pg_translate(sql, NULL);
	if (!t)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int rc = PQtransactionStatus(d->c) == PQTRANS_IDLE && strstr(t, "DATABASE")
			 ? each_statement(d, t, e)
			 : simple(d, t, e);
	free(t);
	if (rc == 0 && strcasestr(sql, "INSERT"))
		rc = move_sequences_after(d, sql, e);
	return rc;
}

/* BEGIN IMMEDIATE's counterpart (one fault event, counted by the caller). */
static int begin_write(struct pg_db *d, struct err *e)
{
	struct db *db = (struct db *)(void *)d;
	if (d->in_txn == 1 && PQtransactionStatus(d->c) != PQTRANS_IDLE)
		pg_db_rollback(db);
	if (simple(d, "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")",
		   e) < 0) {
		pg_db_rollback(db);
		return -1;
	}
	d->in_txn = 2;
	return 0;
}

int pg_db_begin_write(struct db *db, struct err *e)
{
	struct pg_db *d = D(db);
	int hit = fault_hit(FAULT_STEP);
	if (hit) {
		if (d->in_txn == 1 && PQtransactionStatus(d->c) != PQTRANS_IDLE)
			pg_db_rollback(db); /* as db_sqlite.c: the read ends before BEGIN IMMEDIATE fails */
		return injected(d, hit, e, "exec", "BEGIN IMMEDIATE");
	}
	return begin_write(d, e);
}

int pg_db_begin_read(struct db *db, struct err *e)
{
	struct pg_db *d = D(db);
	int hit = fault_hit(FAULT_STEP);
	if (hit)
		return injected(d, hit, e, "exec", "BEGIN");
	if (simple(d, "BEGIN ISOLATION LEVEL REPEATABLE READ", e) < 0)
		return -1;
	d->in_txn = 1;
	return 0;
}

int pg_db_commit(struct db *db, struct err *e)
{
	struct pg_db *d = D(db);
	int hit = fault_hit(FAULT_STEP);
	if (hit) {
		/* the COMMIT fails: the transaction is aborted on the server and rolled back */
		injected(d, hit, e, "exec", "COMMIT");
		pg_db_rollback(db);
		return -1;
	}
	if (PQtransactionStatus(d->c) == PQTRANS_INERROR) {
		/* a statement failed inside: PostgreSQL would answer COMMIT with ROLLBACK */
		pg_db_rollback(db);
		return db_err_txn_aborted(e);
	}
	if (simple(d, "COMMIT", e) < 0) {
		pg_db_rollback(db);
		return -1;
	}
	d->in_txn = 0;
	return 0;
}

void pg_db_rollback(struct db *db)
{
	struct pg_db *d = D(db);
	if (PQtransactionStatus(d->c) != PQTRANS_IDLE)
		PQclear(PQexec(d->c, "ROLLBACK"));
	d->in_txn = 0;
}

int pg_db_in_transaction(struct db *db)
{
	return PQtransactionStatus(D(db)->c) != PQTRANS_IDLE;
}

int pg_db_write_join(struct db *db, struct err *e)
{
	struct pg_db *d = D(db);
	if (pg_db_in_transaction(db)) {
		/* joining a read transaction (a GET that writes): take the writers' lock too, so the
		 * write stays serial with the others; a row changed since the snapshot → 40001 → busy */
		if (d->in_txn == 1) {
			int hit = fault_hit(FAULT_STEP);
			if (hit)
				return injected(d, hit, e, "step", "pg_advisory_xact_lock");
			if (simple(d, "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")", e) < 0)
				return -1;
			d->in_txn = 2;
		}
		return 0;
	}
	return pg_db_begin_write(db, e) < 0 ? -1 : 1;
}

int pg_db_write_finish(struct db *db, int began, int rc, struct err *e)
{
	if (began != 1)
		return rc;
	if (rc < 0) {
		pg_db_rollback(db);
		return rc;
	}
	return pg_db_commit(db, e);
}

/* One statement of a savepoint: a fault event, as db_sqlite.c's db_run of it. */
static int savepoint_step(struct pg_db *d, const char *sql, struct err *e)
{
	int hit = fault_hit(FAULT_STEP);
	return hit ? injected(d, hit, e, "step", sql) : simple(d, sql, e);
}

int pg_db_savepoint(struct db *db, struct err *e)
{
	return savepoint_step(D(db), "SAVEPOINT row_savepoint", e);
}

int pg_db_savepoint_end(struct db *db, int undo, struct err *e)
{
	struct pg_db *d = D(db);
	if (undo && savepoint_step(d, "ROLLBACK TO SAVEPOINT row_savepoint", e) < 0)
		return -1;
	return savepoint_step(d, "RELEASE SAVEPOINT row_savepoint", e);
}

/* The identity column of table (ident "" when none) and its sequence, looked up once per
 * connection. */
static const struct pg_table *identity_of(struct pg_db *d, const char *table)
{
	for (int i = 0; i < d->ntables; i++)
		if (!strcmp(d->tables[i].name, table))
			return &d->tables[i];
	const char *params[1] = {table};
	PGresult *r = PQexecParams(d->c,
				   "SELECT a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname) "
				   "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
				   "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
				   "AND c.relname = $1 AND a.attidentity <> '' AND NOT a.attisdropped",
				   1, NULL, params, NULL, NULL, 0);
	const char *ident = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "";
	static const struct pg_table none;
	if (d->ntables == PG_TABLES || strlen(table) >= sizeof d->tables[0].name) {
		PQclear(r);
		return &none;
	}
	struct pg_table *t = &d->tables[d->ntables];
	snprintf(t->name, sizeof t->name, "%s", table);
	snprintf(t->ident, sizeof t->ident, "%s", ident);
	snprintf(t->seq, sizeof t->seq, "%s", ident[0] ? PQgetvalue(r, 0, 1) : "");
	/* only an answer is remembered (a failed look-up is asked again next time) */
	if (PQresultStatus(r) == PGRES_TUPLES_OK)
		d->ntables++;
	PQclear(r);
	return t;
}

/* Whether the INSERT text names column col in its column list. */
static int names_column(const char *sql, const char *table, const char *col)
{
	const char *p = strstr(sql, table);
	p = p ? strchr(p, '(') : NULL;
	const char *end = p ? strchr(p, ')') : NULL;
	size_t n = strlen(col);
	for (const char *q = p; q && q < end; q++)
		if (!strncmp(q, col, n) && (q[n] == ',' || q[n] == ')' || q[n] == ' ') &&
		    (q[-1] == '(' || q[-1] == ',' || q[-1] == ' '))
			return 1;
	return 0;
}

static struct pg_stmt *prepare_new(struct pg_db *d, const char *sql, struct err *e)
{
	int np = 0;
	char *t = sql_pg_translate(sql, &np);
	struct pg_stmt *st = calloc(1, sizeof *st);
	if (!t || !st || np > PG_MAX_PARAMS) {
		free(t);
		free(st);
		err_set(e, 500, "internal", NULL, np > PG_MAX_PARAMS ? "语句参数过多" : "内存不足");
		return NULL;
	}
	st->tag = db_pg_tag;
	st->db = d;
	st->nparams = np;
	st->vals = calloc((size_t)np + 1, sizeof *st->vals);
	st->lens = calloc((size_t)np + 1, sizeof *st->lens);
	st->fmts = calloc((size_t)np + 1, sizeof *st->fmts);
	st->sql = strdup(sql);
	char table[64];
	if (sql_pg_insert_table(sql, table, sizeof table)) {
		const struct pg_table *tb = identity_of(d, table);
		const char *ident = tb->ident;
		char *w = NULL;
		if (ident[0] && names_column(sql, table, ident) && tb->seq[0]) {
			/* the caller gives the id: the sequence is moved past it in the same statement,
			 * so that later automatic ids do not collide (one round trip, as without) */
			size_t n = strlen(t) + 3 * strlen(ident) + 2 * strlen(tb->seq) + 240;
			if ((w = malloc(n)))
				snprintf(w, n,
					 "WITH mz_ins AS (%s RETURNING %s), mz_max AS (SELECT max(%s) AS m, count(*) AS n "
					 "FROM mz_ins) SELECT m, n, CASE WHEN m >= q.last_value THEN setval('%s', m) END "
					 "FROM mz_max, %s q",
					 t, ident, ident, tb->seq, tb->seq);
			st->returning_id = 2;
		} else if (ident[0]) {
			size_t n = strlen(t) + strlen(ident) + 16;
			if ((w = malloc(n)))
				snprintf(w, n, "%s RETURNING %s", t, ident);
			st->returning_id = 1;
		}
		if (w) {
			free(t);
			t = w;
		} else {
			st->returning_id = 0;
		}
	}
	snprintf(st->name, sizeof st->name, "s%d", ++d->nstmt);
	if (!st->vals || !st->lens || !st->fmts || !st->sql) {
		free(t);
		stmt_free(st);
		err_set(e, 500, "internal", NULL, "内存不足");
		return NULL;
	}
	/* A parameter PostgreSQL cannot type ("? IS NULL", "? = ?") is made text, one by one. A
	 * failed PREPARE would end an open transaction: it runs under a savepoint there. */
	int in_txn = PQtransactionStatus(d->c) != PQTRANS_IDLE;
	Oid *types = calloc((size_t)np + 1, sizeof *types);
	if (!types || (in_txn && simple(d, "SAVEPOINT mz_prepare", e) < 0)) {
		if (!types)
			err_set(e, 500, "internal", NULL, "内存不足");
		free(types);
		free(t);
		stmt_free(st);
		return NULL;
	}
	int failed = 0;
	for (int attempt = 0;; attempt++) {
		PGresult *r = PQprepare(d->c, st->name, t, np, types);
		if (PQresultStatus(r) == PGRES_COMMAND_OK) {
			PQclear(r);
			break;
		}
		const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
		const char *m = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
		const char *dollar = m ? strchr(m, '$') : NULL;
		int k = dollar ? atoi(dollar + 1) : 0;
		if (state && !strcmp(state, "42P18") && k >= 1 && k <= np && !types[k - 1] && attempt < np) {
			PQclear(r);
			types[k - 1] = OID_TEXT;
			if (in_txn && simple(d, "ROLLBACK TO SAVEPOINT mz_prepare", e) < 0) {
				failed = 1;
				break;
			}
			continue;
		}
		char what[200];
		snprintf(what, sizeof what, "prepare: %.150s", sql);
		pg_fail(d, r, e, what);
		PQclear(r);
		if (in_txn)
			PQclear(PQexec(d->c, "ROLLBACK TO SAVEPOINT mz_prepare; RELEASE SAVEPOINT mz_prepare"));
		free(types);
		free(t);
		stmt_free(st);
		return NULL;
	}
	free(types);
	free(t);
	if (failed || (in_txn && simple(d, "RELEASE SAVEPOINT mz_prepare", e) < 0)) {
		stmt_free(st);
		return NULL;
	}
	return st;
}

static struct pg_stmt *prepare_by_text(struct pg_db *d, const char *sql, struct err *e)
{
	uint64_t h = sql_hash(sql);
	size_t i = (size_t)h & (PG_STMT_CACHE - 1);
	for (size_t probe = 0; probe < PG_STMT_CACHE; probe++, i = (i + 1) & (PG_STMT_CACHE - 1)) {
		struct pg_stmt *c = d->cache[i];
		if (c && c->hash == h && strcmp(c->sql, sql) == 0)
			return c;
		if (!c) {
			c = prepare_new(d, sql, e);
			if (!c)
				return NULL;
			c->hash = h;
			d->cache[i] = c;
			return c;
		}
	}
	err_set(e, 500, "internal", NULL, "语句缓存已满");
	return NULL;
}

/* The program's read-only memory: a literal there is named by its address (as in db_sqlite.c). */
extern const char __executable_start[], __data_start[];

struct db_stmt *pg_db_prepare(struct db *db, const char *sql, struct err *e)
{
	struct pg_db *d = D(db);
	if ((uintptr_t)sql < (uintptr_t)__executable_start || (uintptr_t)sql >= (uintptr_t)__data_start)
		return (struct db_stmt *)(void *)prepare_by_text(d, sql, e);
	struct pg_ptr_slot *slot = &d->by_ptr[((uintptr_t)sql >> 3) & (PG_PTR_CACHE - 1)];
	if (slot->sql == sql)
		return (struct db_stmt *)(void *)slot->st;
	struct pg_stmt *st = prepare_by_text(d, sql, e);
	if (st) {
		slot->sql = sql;
		slot->st = st;
	}
	return (struct db_stmt *)(void *)st;
}

/* A copy of a bound value (n bytes of p, NUL added), or NULL when out of memory (or an
 * injected allocation fault). */
static char *copy_value(const void *p, size_t n)
{
	char *v = alloc_fault() ? NULL : malloc(n + 1);
	if (v) {
		if (n)
			memcpy(v, p, n);
		v[n] = 0;
	}
	return v;
}

/* v NULL with present: the copy failed — the step must not run with the value missing. */
static void set_param_or_fail(struct pg_stmt *st, int idx, char *v, int present, int len, int fmt);

static void set_param(struct pg_stmt *st, int idx, char *v, int len, int fmt)
{
	set_param_or_fail(st, idx, v, 0, len, fmt);
}

static void set_param_or_fail(struct pg_stmt *st, int idx, char *v, int present, int len, int fmt)
{
	if (present && !v)
		st->bind_failed = 1;
	if (idx < 1 || idx > st->nparams) {
		free(v);
		return;
	}
	free(st->vals[idx - 1]);
	st->vals[idx - 1] = v;
	st->lens[idx - 1] = len;
	st->fmts[idx - 1] = fmt;
}

void pg_db_bind_int(struct db_stmt *s, int idx, int64_t v)
{
	char buf[24];
	int n = snprintf(buf, sizeof buf, "%lld", (long long)v);
	set_param_or_fail(S(s), idx, copy_value(buf, (size_t)n), 1, 0, 0);
}

void pg_db_bind_text(struct db_stmt *s, int idx, const char *t)
{
	if (!t) {
		set_param(S(s), idx, NULL, 0, 0);
		return;
	}
	set_param_or_fail(S(s), idx, copy_value(t, strlen(t)), 1, 0, 0);
}

void pg_db_bind_textn(struct db_stmt *s, int idx, const char *t, int n)
{
	if (n < 0) {
		pg_db_bind_text(s, idx, t);
		return;
	}
	set_param_or_fail(S(s), idx, copy_value(t, (size_t)n), 1, 0, 0);
}

void pg_db_bind_blob(struct db_stmt *s, int idx, const void *p, int n)
{
	set_param_or_fail(S(s), idx, copy_value(p, (size_t)(n > 0 ? n : 0)), 1, n > 0 ? n : 0, 1);
}

void pg_db_bind_null(struct db_stmt *s, int idx)
{
	set_param(S(s), idx, NULL, 0, 0);
}

static int execute(struct pg_stmt *st, struct err *e)
{
	struct pg_db *d = st->db;
	if (alloc_fault())
		return injected(d, 1 + FAULT_KIND_NOMEM, e, "step", st->sql);
	PGresult *r = PQexecPrepared(d->c, st->name, st->nparams, (const char *const *)st->vals, st->lens,
				     st->fmts, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
		char what[200];
		snprintf(what, sizeof what, "step: %.150s", st->sql);
		pg_fail(d, r, e, what);
		PQclear(r);
		return -1;
	}
	if (row_change(r))
		d->changes = atoi(PQcmdTuples(r));
	st->res = r;
	st->nrows = PQntuples(r);
	st->next = 0;
	if (st->returning_id == 1) {
		if (st->nrows > 0)
			d->last_id = strtoll(PQgetvalue(r, st->nrows - 1, 0), NULL, 10);
		st->next = st->nrows; /* the ids are ours, not rows for the caller */
	} else if (st->returning_id == 2) {
		/* one row: the largest id given, how many rows went in, the sequence moved or not */
		if (st->nrows == 1 && !PQgetisnull(r, 0, 0))
			d->last_id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		d->changes = st->nrows == 1 ? atoi(PQgetvalue(r, 0, 1)) : 0;
		st->next = st->nrows;
	}
	st->ncols = PQnfields(r);
	st->bytea = calloc((size_t)st->ncols + 1, sizeof *st->bytea);
	st->bytea_len = calloc((size_t)st->ncols + 1, sizeof *st->bytea_len);
	if (!st->bytea || !st->bytea_len)
		return err_set(e, 500, "internal", NULL, "内存不足");
	return 0;
}

int pg_db_step(struct db_stmt *s, struct err *e)
{
	struct pg_stmt *st = S(s);
	int hit = fault_hit(FAULT_STEP);
	if (hit)
		return injected(st->db, hit, e, "step", st->sql);
	if (st->bind_failed)
		return injected(st->db, 1 + FAULT_KIND_NOMEM, e, "bind", st->sql);
	if (!st->res && execute(st, e) < 0)
		return -1;
	for (int i = 0; i < st->ncols; i++) {
		PQfreemem(st->bytea[i]);
		st->bytea[i] = NULL;
	}
	if (st->next >= st->nrows)
		return 0;
	st->cur = st->next++;
	return 1;
}

static int have(const struct pg_stmt *st, int col)
{
	return st->res && col >= 0 && col < st->ncols && st->cur < st->nrows;
}

int64_t pg_db_col_int(struct db_stmt *s, int col)
{
	struct pg_stmt *st = S(s);
	if (!have(st, col) || PQgetisnull(st->res, st->cur, col))
		return 0;
	const char *v = PQgetvalue(st->res, st->cur, col);
	if (PQftype(st->res, col) == OID_BOOL)
		return v[0] == 't';
	if (strpbrk(v, ".eE"))
		return (int64_t)strtod(v, NULL);
	return strtoll(v, NULL, 10);
}

/* The current row's bytea value of col, decoded once. */
static const unsigned char *bytea_of(struct pg_stmt *st, int col, size_t *len)
{
	if (!st->bytea[col]) {
		size_t n = 0;
		unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(st->res, st->cur, col), &n);
		if (!b)
			return NULL;
		st->bytea[col] = b;
		st->bytea_len[col] = n;
	}
	*len = st->bytea_len[col];
	return st->bytea[col];
}

const char *pg_db_col_text(struct db_stmt *s, int col)
{
	struct pg_stmt *st = S(s);
	if (!have(st, col) || PQgetisnull(st->res, st->cur, col))
		return "";
	Oid type = PQftype(st->res, col);
	if (type == OID_BOOL)
		return PQgetvalue(st->res, st->cur, col)[0] == 't' ? "1" : "0";
	return PQgetvalue(st->res, st->cur, col);
}

int pg_db_col_bytes(struct db_stmt *s, int col)
{
	struct pg_stmt *st = S(s);
	if (!have(st, col) || PQgetisnull(st->res, st->cur, col))
		return 0;
	if (PQftype(st->res, col) == OID_BYTEA) {
		size_t n = 0;
		return bytea_of(st, col, &n) ? (int)n : 0;
	}
	return PQgetlength(st->res, st->cur, col);
}

const void *pg_db_col_blob(struct db_stmt *s, int col)
{
	struct pg_stmt *st = S(s);
	if (!have(st, col) || PQgetisnull(st->res, st->cur, col))
		return NULL;
	if (PQftype(st->res, col) == OID_BYTEA) {
		size_t n = 0;
		const unsigned char *b = bytea_of(st, col, &n);
		return n ? b : NULL;
	}
	return PQgetlength(st->res, st->cur, col) ? PQgetvalue(st->res, st->cur, col) : NULL;
}

int pg_db_col_is_null(struct db_stmt *s, int col)
{
	struct pg_stmt *st = S(s);
	return !have(st, col) || PQgetisnull(st->res, st->cur, col);
}

void pg_db_done(struct db_stmt *s)
{
	struct pg_stmt *st = S(s);
	stmt_clear(st);
	for (int i = 0; i < st->nparams; i++) {
		free(st->vals[i]);
		st->vals[i] = NULL;
		st->lens[i] = st->fmts[i] = 0;
	}
	st->bind_failed = 0;
}

int pg_db_run(struct db_stmt *s, struct err *e)
{
	int rc;
	while ((rc = pg_db_step(s, e)) == 1)
		;
	pg_db_done(s);
	return rc;
}

int64_t pg_db_last_id(struct db *db)
{
	return D(db)->last_id;
}

int pg_db_changes(struct db *db)
{
	return D(db)->changes;
}

/* A server in recovery (a standby) or with default_transaction_read_only refuses writes with
 * SQLSTATE 25006: the same 503 db_readonly as a read-only SQLite file. */
int pg_db_readonly(struct db *db)
{
	return D(db)->readonly;
}

int pg_db_readonly_err(struct db *db, struct err *e)
{
	return db_err_readonly(e, 1, D(db)->where, "写入");
}

int64_t pg_db_query_int(struct db *db, const char *sql, const char *param)
{
	struct err e;
	struct db_stmt *st = pg_db_prepare(db, sql, &e);
	if (!st)
		return -1;
	if (param)
		pg_db_bind_text(st, 1, param);
	int64_t v = -1;
	if (pg_db_step(st, &e) == 1)
		v = pg_db_col_int(st, 0);
	pg_db_done(st);
	return v;
}
