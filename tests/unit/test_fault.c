/* test_fault.c — anomaly tests in the manner of SQLite's: for N = 1, 2, … the Nth database step
 * (busy, full disk, I/O error) or the Nth allocation (SQLite's and jansson's) of a write request
 * fails, through the real router with a city administrator's bearer token on an in-memory demo
 * city (demo_run at scale 0.003). Each answer must be 2xx (the fault hit nothing that mattered)
 * or a clean 5xx with a JSON error body; after a 5xx the database must be byte-for-byte what it
 * was (no half-written change) with the audit chain intact; and the same request, unfaulted,
 * must then succeed. N grows until a request runs through without meeting its fault, so every
 * step and every allocation of each request fails once. Also: the fault spec parser, and the
 * mapping of each injected SQLite error to its status and code.
 *
 * A 2xx answer after a fault ("absorbed") is allowed only when the fault provably changed
 * nothing: the database is put back to its image from before the request and the same request
 * runs again unfaulted, on the same frozen clock; what it stores (every row of every table) must
 * be what the faulted run stored — a policy amount read as "none" because its lookup failed
 * would store a different payment. A read route's absorbed answer must moreover be the very
 * answer of the unfaulted run (none of them answers "partially"). Besides the routes, the sweep
 * drives the library calls behind the jobs (payroll computation with its 低保 and 特困 amounts,
 * price-linked subsidies, ledger sync), since a route only queues those.
 *
 * On PostgreSQL (MZ_TEST_PG_URL: the database comes from testdb.h) the same checks run against
 * db_pg.c. The image is the rows of every table of the schema and the sequences' values, read
 * with COPY through a connection of the test's own and put back the same way (only the tables
 * that differ, with triggers and foreign keys held off while they are refilled); what is stored
 * is hashed per table by the server (md5 of the rows as text, in order); and a "commit" is a
 * change of that hash — the server has no commit hook, so whether anything was committed after
 * the fault is whether the stored rows changed after it. The `sqlmem` sweep fails libpq's
 * allocations in db_pg.c (a statement's result, a bound value's copy). An attempt costs many
 * round trips there (the request, the digests, the image), so each sweep fails every
 * PG_STRIDE-th event only, from an offset that moves from sweep to sweep (so the busy, full and
 * I/O error sweeps of a request fail different events); MZ_FAULT_STRIDE=1 fails each one, as on
 * SQLite (hours). The real full disk (a SQLite file that may not grow) has no counterpart and
 * runs on SQLite only.
 */
#include "unit.h"
#include "testdb.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/fault.h"
#include "core/idnum.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "db/migrate.h"
#include "demo/demo.h"
#include "http/router.h"

#include "ledger/ledger.h"
#include "payroll/payroll.h"
#include "price/price.h"

#include <execinfo.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

static struct db *db;
static int pg; /* the engine under test is PostgreSQL (MZ_TEST_PG_URL) */
#define PG_STRIDE 29
static struct actor admin; /* the bearer token's user, for the library calls */
static char auth[128];
static int64_t ledger_entry, institution;
static int serial;
static long points_total, requests_total, failures_total, absorbed_total, lost_answers,
    earlier_kept;
/* Absorbed faults whose stored rows differed from the unfaulted run's; whose read answer
 * differed; whose write answer differed (a detail missing from the answer, the rows right). */
static long stored_differ, reads_differ, answers_differ;

/* The library's clock (core/clock.c reads time()), held still while a faulted run and its
 * unfaulted reference run are compared: their timestamps must agree to the second. */
static time_t frozen_time;

time_t time(time_t *t)
{
	struct timespec ts;
	time_t v = frozen_time;
	if (!v) {
		clock_gettime(CLOCK_REALTIME, &ts);
		v = ts.tv_sec;
	}
	if (t)
		*t = v;
	return v;
}
/* Write transactions committed (SQLite's commit hook), and how many had when a fault fired. */
static long commits, commits_at_fault;

static int on_commit(void *ctx)
{
	(void)ctx;
	commits++;
	return 0;
}

/* With MZ_FAULT_TRACE set: the call chain that met the last fault, printed when the request
 * answered 2xx all the same (resolve the addresses with addr2line -f -e build/tests/test_fault). */
static void *fault_chain[32];
static int fault_chain_n;

static long commits_now(void);

static void on_fault(enum fault_point p)
{
	(void)p;
	commits_at_fault = commits_now();
	if (getenv("MZ_FAULT_TRACE"))
		fault_chain_n = backtrace(fault_chain, 32);
}

/* ---- the fixture --------------------------------------------------------------------------- */

static void setup(void);

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

/* ---- PostgreSQL: digests, images and commits through a connection of the test's own -------- */

static PGconn *pgc; /* the test's own connection to the same database */
static uint64_t pg_last_digest;

/* Every table of the schema, with what was last read of it: its signature (rows, newest xmin:
 * any insert, update or delete changes one of them), and, while that holds, the md5 of its rows
 * (as text, in order) and the rows themselves (COPY text) — read again only when it changed. */
static struct pg_table {
	char name[64];
	long long rows, newest;
	char md5[33];
	char *copy;
	size_t len;
	int md5_ok, copy_ok;
} pg_tables[512];
static int ntables;

static PGresult *pg_ok(const char *sql)
{
	PGresult *r = PQexec(pgc, sql);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fprintf(stderr, "pg: %.200s: %s\n", sql, PQerrorMessage(pgc));
		abort();
	}
	return r;
}

static void pg_connect(void)
{
	pgc = PQconnectdb(db_filename(db));
	if (PQstatus(pgc) != CONNECTION_OK) {
		fprintf(stderr, "pg: %s\n", PQerrorMessage(pgc));
		abort();
	}
	PQclear(pg_ok("SET max_parallel_workers_per_gather = 0")); /* two cores, shared */
	PGresult *r = pg_ok(
	    "SELECT 'SELECT t, n, x FROM (' || string_agg(format('SELECT %L AS t, count(*) AS n, "
	    "coalesce(max(xmin::text::bigint), 0) AS x FROM %I', tablename, tablename), "
	    "' UNION ALL ') || ') d ORDER BY t' FROM pg_tables WHERE schemaname = current_schema()");
	PGresult *p = PQprepare(pgc, "signatures", PQgetvalue(r, 0, 0), 0, NULL);
	if (PQresultStatus(p) != PGRES_COMMAND_OK)
		abort();
	PQclear(p);
	PQclear(r);
}

/* Read every table's signature; forget what was read of a table that changed. */
static void pg_refresh(void)
{
	PGresult *r = PQexecPrepared(pgc, "signatures", 0, NULL, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		abort();
	int n = PQntuples(r) < 512 ? PQntuples(r) : 512;
	if (ntables && n != ntables)
		abort(); /* a table came or went */
	for (int i = 0; i < n; i++) {
		struct pg_table *t = &pg_tables[i];
		long long rows = atoll(PQgetvalue(r, i, 1)), newest = atoll(PQgetvalue(r, i, 2));
		if (!ntables)
			snprintf(t->name, sizeof t->name, "%s", PQgetvalue(r, i, 0));
		if (!t->md5_ok || rows != t->rows || newest != t->newest) {
			t->rows = rows;
			t->newest = newest;
			t->md5_ok = t->copy_ok = 0;
		}
	}
	ntables = n;
	PQclear(r);
}

static void pg_md5(struct pg_table *t)
{
	char sql[200];
	if (t->md5_ok)
		return;
	snprintf(sql, sizeof sql,
		 "SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) FROM \"%s\" x",
		 t->name);
	PGresult *r = pg_ok(sql);
	snprintf(t->md5, sizeof t->md5, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	t->md5_ok = 1;
}

/* Every table's md5 (the server's), each folded into per_table (when not NULL). */
static uint64_t pg_digest(uint64_t *per_table, char (*names)[64], int *nt)
{
	uint64_t all = 1469598103934665603ULL;
	pg_refresh();
	for (int i = 0; i < ntables; i++) {
		pg_md5(&pg_tables[i]);
		uint64_t t = fnv(1469598103934665603ULL, pg_tables[i].md5, 32);
		if (per_table) {
			per_table[i] = t;
			snprintf(names[i], 64, "%s", pg_tables[i].name);
		}
		all = fnv(all, &t, sizeof t);
	}
	if (nt)
		*nt = ntables;
	return all;
}

static void pg_copy_out(struct pg_table *t)
{
	char sql[128];
	if (t->copy_ok)
		return;
	t->len = 0;
	snprintf(sql, sizeof sql, "COPY \"%s\" TO STDOUT", t->name);
	PGresult *r = PQexec(pgc, sql);
	if (PQresultStatus(r) != PGRES_COPY_OUT)
		abort();
	PQclear(r);
	size_t cap = 0;
	char *buf;
	int got;
	free(t->copy);
	t->copy = NULL;
	while ((got = PQgetCopyData(pgc, &buf, 0)) > 0) {
		if (t->len + (size_t)got > cap) {
			cap = (t->len + (size_t)got) * 2;
			char *grown = realloc(t->copy, cap);
			if (!grown)
				abort();
			t->copy = grown;
		}
		memcpy(t->copy + t->len, buf, (size_t)got);
		t->len += (size_t)got;
		PQfreemem(buf);
	}
	while ((r = PQgetResult(pgc))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			abort();
		PQclear(r);
	}
	t->copy_ok = 1;
}

/* commits on PostgreSQL: one more whenever the stored rows changed since last asked. */
static long commits_now(void)
{
	if (pg) {
		uint64_t d = pg_digest(NULL, NULL, NULL);
		if (d != pg_last_digest)
			commits++;
		pg_last_digest = d;
	}
	return commits;
}

/* An image on PostgreSQL: each table's rows (COPY … TO STDOUT) and md5, and the SQL that puts
 * the sequences back. */
struct pg_image {
	int n;
	char md5[512][33];
	char *rows[512];
	size_t len[512];
	char *sequences;
};

static struct pg_image *pg_image_take(void)
{
	struct pg_image *im = calloc(1, sizeof *im);
	if (!im)
		abort();
	pg_refresh();
	im->n = ntables;
	for (int i = 0; i < ntables; i++) {
		pg_md5(&pg_tables[i]);
		pg_copy_out(&pg_tables[i]);
		memcpy(im->md5[i], pg_tables[i].md5, 33);
		im->len[i] = pg_tables[i].len;
		im->rows[i] = malloc(pg_tables[i].len + 1);
		if (!im->rows[i])
			abort();
		if (pg_tables[i].len)
			memcpy(im->rows[i], pg_tables[i].copy, pg_tables[i].len);
	}
	PGresult *r = pg_ok(
	    "SELECT coalesce(string_agg(format('SELECT setval(%L, %s, %L);', schemaname || '.' || "
	    "sequencename, coalesce(last_value, start_value), last_value IS NOT NULL), ' '), '') "
	    "FROM pg_sequences WHERE schemaname = current_schema()");
	im->sequences = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!im->sequences)
		abort();
	return im;
}

/* Back to the image: the tables whose rows differ are emptied and refilled (triggers and
 * foreign keys held off meanwhile), the sequences set back; one transaction. */
static void pg_image_restore(const struct pg_image *im)
{
	pg_refresh();
	if (im->n != ntables)
		abort();
	PQclear(pg_ok("BEGIN"));
	PQclear(pg_ok("SET LOCAL session_replication_role = replica"));
	for (int i = 0; i < ntables; i++) {
		pg_md5(&pg_tables[i]);
		if (!strcmp(pg_tables[i].md5, im->md5[i]))
			continue;
		char sql[160];
		snprintf(sql, sizeof sql, "DELETE FROM \"%s\"", pg_tables[i].name);
		PQclear(pg_ok(sql));
		snprintf(sql, sizeof sql, "COPY \"%s\" FROM STDIN", pg_tables[i].name);
		PGresult *c = PQexec(pgc, sql);
		if (PQresultStatus(c) != PGRES_COPY_IN)
			abort();
		PQclear(c);
		if ((im->len[i] && PQputCopyData(pgc, im->rows[i], (int)im->len[i]) != 1) ||
		    PQputCopyEnd(pgc, NULL) != 1)
			abort();
		while ((c = PQgetResult(pgc))) {
			if (PQresultStatus(c) != PGRES_COMMAND_OK) {
				fprintf(stderr, "restore %s: %s\n", pg_tables[i].name, PQerrorMessage(pgc));
				abort();
			}
			PQclear(c);
		}
	}
	if (im->sequences[0])
		PQclear(pg_ok(im->sequences));
	PQclear(pg_ok("COMMIT"));
	pg_last_digest = pg_digest(NULL, NULL, NULL);
}

static void pg_image_free(struct pg_image *im)
{
	if (!im)
		return;
	for (int i = 0; i < im->n; i++)
		free(im->rows[i]);
	free(im->sequences);
	free(im);
}

/* The rows of one table as text, a line each (malloc'd). */
static char *pg_table_text(const char *name)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '') FROM \"%s\" x",
		 name);
	PGresult *r = pg_ok(sql);
	char *out = strdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	if (!out)
		abort();
	return out;
}

/* The database image: sqlite3_serialize of main, hashed (FNV-1a, 64 bits). A rolled-back
 * transaction leaves the in-memory pages exactly as they were. */
static uint64_t db_hash(void)
{
	if (pg)
		return pg_digest(NULL, NULL, NULL);
	sqlite3_int64 n = 0;
	unsigned char *p = sqlite3_serialize(db_sqlite_handle(db), "main", &n, 0);
	uint64_t h = 1469598103934665603ULL;
	if (!p)
		return 0;
	for (sqlite3_int64 i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	sqlite3_free(p);
	return h;
}

/* The database image (sqlite3_serialize), to run a request again on exactly the same data. */
struct image {
	unsigned char *p;
	sqlite3_int64 n;
	struct pg_image *pg; /* on PostgreSQL */
};

static struct image image_take(void)
{
	struct image im = {0};
	if (pg) {
		im.pg = pg_image_take();
		return im;
	}
	im.p = sqlite3_serialize(db_sqlite_handle(db), "main", &im.n, 0);
	if (!im.p)
		abort();
	return im;
}

/* Back to the image: copied page by page (the backup API) into the connection's own in-memory
 * database, which stays what it was — sqlite3_deserialize would turn it into a "memdb" whose
 * file name other connections (the dashboard's) would then open as a file. */
static void image_restore(const struct image *im)
{
	if (pg) {
		pg_image_restore(im->pg);
		return;
	}
	sqlite3 *tmp = NULL;
	unsigned char *copy = sqlite3_malloc64((sqlite3_uint64)im->n);
	if (!copy || sqlite3_open(":memory:", &tmp) != SQLITE_OK)
		abort();
	memcpy(copy, im->p, (size_t)im->n);
	int rc = sqlite3_deserialize(tmp, "main", copy, im->n, im->n,
				     SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
	sqlite3_backup *b =
	    rc == SQLITE_OK ? sqlite3_backup_init(db_sqlite_handle(db), "main", tmp, "main") : NULL;
	if (b) {
		rc = sqlite3_backup_step(b, -1);
		rc = sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE ? SQLITE_OK : rc;
	} else if (rc == SQLITE_OK) {
		rc = sqlite3_errcode(db_sqlite_handle(db));
	}
	sqlite3_close(tmp);
	if (rc != SQLITE_OK) {
		fprintf(stderr, "image_restore: %s\n", sqlite3_errstr(rc));
		abort();
	}
}

static void image_free(struct image *im)
{
	sqlite3_free(im->p);
	im->p = NULL;
	pg_image_free(im->pg);
	im->pg = NULL;
}


/* What is stored: every row of every table (in key order, so the pages' layout does not
 * matter), each value with its type, hashed. diff (when not NULL) receives the first table
 * whose rows differ from those hashed into ref[] (one hash per table, at most 512 tables). */
#define MAX_TABLES 512
static uint64_t stored_digest(uint64_t per_table[MAX_TABLES], char names[MAX_TABLES][64], int *nt)
{
	if (pg)
		return pg_digest(per_table, names, nt);
	sqlite3 *h = db_sqlite_handle(db);
	sqlite3_stmt *tables, *rows;
	uint64_t all = 1469598103934665603ULL;
	*nt = 0;
	if (sqlite3_prepare_v2(h,
			       "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name "
			       "NOT LIKE 'sqlite_stat%' ORDER BY name",
			       -1, &tables, NULL) != SQLITE_OK)
		abort();
	while (sqlite3_step(tables) == SQLITE_ROW && *nt < MAX_TABLES) {
		char sql[160];
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		snprintf(names[*nt], 64, "%s", name);
		snprintf(sql, sizeof sql, "SELECT * FROM main.\"%s\"", name);
		if (sqlite3_prepare_v2(h, sql, -1, &rows, NULL) != SQLITE_OK)
			abort();
		uint64_t t = 1469598103934665603ULL;
		int cols = sqlite3_column_count(rows);
		while (sqlite3_step(rows) == SQLITE_ROW)
			for (int c = 0; c < cols; c++) {
				unsigned char type = (unsigned char)sqlite3_column_type(rows, c);
				t = fnv(t, &type, 1);
				if (type == SQLITE_INTEGER) {
					sqlite3_int64 v = sqlite3_column_int64(rows, c);
					t = fnv(t, &v, sizeof v);
				} else if (type != SQLITE_NULL) {
					const void *b = sqlite3_column_blob(rows, c);
					t = fnv(t, b, (size_t)sqlite3_column_bytes(rows, c));
				}
			}
		sqlite3_finalize(rows);
		per_table[(*nt)++] = t;
		all = fnv(all, &t, sizeof t);
	}
	sqlite3_finalize(tables);
	return all;
}

/* The rows of one table as text, a line each (malloc'd), for showing a difference. */
static char *table_text(const char *name)
{
	if (pg)
		return pg_table_text(name);
	sqlite3_stmt *rows;
	char sql[160];
	size_t len = 0, cap = 4096;
	char *out = malloc(cap);
	if (!out)
		abort();
	out[0] = '\0';
	snprintf(sql, sizeof sql, "SELECT * FROM main.\"%s\"", name);
	if (sqlite3_prepare_v2(db_sqlite_handle(db), sql, -1, &rows, NULL) != SQLITE_OK)
		return out;
	int cols = sqlite3_column_count(rows);
	while (sqlite3_step(rows) == SQLITE_ROW)
		for (int c = 0; c < cols; c++) {
			const char *v = (const char *)sqlite3_column_text(rows, c);
			size_t need = len + (v ? strlen(v) : 4) + 2;
			if (need >= cap) {
				cap = need * 2;
				char *grown = realloc(out, cap);
				if (!grown)
					abort();
				out = grown;
			}
			len += (size_t)snprintf(out + len, cap - len, "%s%c", v ? v : "NULL",
						c + 1 < cols ? '|' : '\n');
		}
	sqlite3_finalize(rows);
	return out;
}

/* The first line where two tables' texts differ, printed. */
static void show_difference(const char *name, const char *faulted, const char *clean)
{
	const char *a = faulted, *b = clean;
	while (*a && *b) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
		if (la != lb || memcmp(a, b, la) != 0)
			break;
		a += la + (ea != NULL);
		b += lb + (eb != NULL);
	}
	fprintf(stderr, "    %s, faulted run: %.400s\n    %s, unfaulted run: %.400s\n", name,
		*a ? a : "(no more rows)", name, *b ? b : "(no more rows)");
}

static int audit_ok(void)
{
	int64_t rows = 0, bad = 0;
	char why[256];
	struct err e;
	return audit_verify(db, &rows, &bad, why, sizeof why, &e) == 0 && rows > 0;
}

struct answer {
	int status;
	char code[40];
	int json_ok; /* the body is JSON; for an error, {"error":{"code","message"}} */
	int64_t id;  /* "id" of a created record, 0 otherwise */
	char *body;  /* the body as answered (malloc'd; answer_free), for comparing answers */
};

static void answer_free(struct answer *a)
{
	free(a->body);
	a->body = NULL;
}

static int same_body(const struct answer *a, const struct answer *b)
{
	return (!a->body && !b->body) || (a->body && b->body && strcmp(a->body, b->body) == 0);
}

/* A request through the router; path may carry a query ("?…"). */
static struct answer call_kept(const char *method, const char *path_query, const char *body)
{
	char path[256];
	const char *q = strchr(path_query, '?');
	snprintf(path, sizeof path, "%.*s", q ? (int)(q - path_query) : (int)strlen(path_query),
		 path_query);
	struct http_in in = {.method = method,
			     .path = path,
			     .query = q ? q + 1 : "",
			     .body = body,
			     .body_len = body ? strlen(body) : 0,
			     .authorization = auth,
			     .client = "fault"};
	struct http_out out;
	struct answer a = {0};
	router_handle(db, &in, &out);
	/* The fault is for the request, not for reading its answer here. */
	int armed = atomic_exchange(&fault_armed_any, 0);
	a.status = out.status;
	json_t *j =
	    out.body && !out.content_type ? json_loadb(out.body, out.body_len, 0, NULL) : NULL;
	if (a.status >= 400) {
		json_t *err = json_object_get(j, "error");
		const char *code = json_string_value(json_object_get(err, "code"));
		const char *msg = json_string_value(json_object_get(err, "message"));
		a.json_ok = code && msg && *msg;
		snprintf(a.code, sizeof a.code, "%s", code ? code : "");
	} else {
		a.json_ok = j != NULL || !out.body;
		if (!a.json_ok)
			fprintf(stderr, "  not JSON: %.300s\n", out.body);
		json_t *id = json_object_get(j, "id");
		a.id = json_is_integer(id) ? json_integer_value(id) : 0;
	}
	json_decref(j);
	if (out.body && !out.content_type) {
		a.body = malloc(out.body_len + 1);
		if (!a.body)
			abort();
		memcpy(a.body, out.body, out.body_len);
		a.body[out.body_len] = '\0';
	}
	free(out.body);
	atomic_store(&fault_armed_any, armed);
	return a;
}

static struct answer call(const char *method, const char *path, const char *body)
{
	struct answer a = call_kept(method, path, body);
	answer_free(&a);
	return a;
}

/* A fresh valid ID number (address outside Weifang, so never a demo person's). */
static void make_id(char out[19])
{
	serial++;
	snprintf(out, 19, "1101051970%02d%02d%03d", 1 + serial % 12, 1 + serial / 12 % 28,
		 100 + serial / 336 % 900);
	out[17] = idnum_check_char(out);
	out[18] = '\0';
}

/* ---- the requests -------------------------------------------------------------------------- */

struct request {
	const char *name;
	const char *method; /* NULL: the library call `run` instead of a route */
	/* Fill path and body for one attempt (may make what it needs, unfaulted). */
	void (*prepare)(char *path, size_t pn, char *body, size_t bn);
	/* A library call (what a job runs): 0, or -1 with e; path and body as prepared. */
	int (*run)(const char *path, const char *body, struct err *e);
	int fresh; /* every attempt starts from the same database (a repeat would do less) */
	int stride; /* every stride-th event fails (0: each), times the allocation sweeps' stride:
		     * for a long loop whose events are the same few per person */
	int read;  /* changes nothing: an absorbed fault must leave the very same answer */
};

static void household_body(char *body, size_t bn)
{
	char a[19], b[19];
	make_id(a);
	make_id(b);
	snprintf(body, bn,
		 "{\"region_code\":\"370704008231\",\"address\":\"栾家山后村测试路 %d 号\","
		 "\"residence_type\":\"rural\",\"phone\":\"13912345678\",\"members\":["
		 "{\"id_number\":\"%s\",\"name\":\"测试户主\",\"relation\":\"head\"},"
		 "{\"id_number\":\"%s\",\"name\":\"测试配偶\",\"relation\":\"spouse\"}]}",
		 serial, a, b);
}

static void setup(void)
{
	struct err e;
	struct actor sys;
	char token[ACCOUNTS_TOKEN_HEX];
	struct demo_options o;
	static struct demo_report report;
	if (db)
		return;
	fault_install(); /* before the first database: SQLite's allocator is wrapped then */
	actor_system(&sys);
	demo_options_init(&o);
	o.scale = 0.003;
	pg = getenv("MZ_TEST_PG_URL") && *getenv("MZ_TEST_PG_URL");
	db = testdb_open(); /* migrated: in memory, or a fresh PostgreSQL database */
	if (demo_run(db, &o, &report, &e) < 0 ||
	    accounts_user_add(db, &sys, "faulter", "city_admin", "3707", "fault-password", &e) <
		0 ||
	    accounts_token_create(db, &sys, "faulter", token, &e) < 0 ||
	    accounts_token_actor(db, token, &admin, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	snprintf(auth, sizeof auth, "Bearer %s", token);
	if (pg) {
		pg_connect();
		pg_last_digest = pg_digest(NULL, NULL, NULL);
	} else {
		sqlite3_commit_hook(db_sqlite_handle(db), on_commit, NULL);
	}
	fault_set_observer(on_fault);
	institution = db_query_int(db, "SELECT min(id) FROM institutions", NULL);
	if (institution <= 0)
		abort();
}

static void prep_household(char *path, size_t pn, char *body, size_t bn)
{
	snprintf(path, pn, "/api/v1/households");
	household_body(body, bn);
}

static void prep_case(char *path, size_t pn, char *body, size_t bn)
{
	char hh[1024];
	household_body(hh, sizeof hh);
	struct answer h = call("POST", "/api/v1/households", hh);
	CHECK(h.status == 201 && h.id > 0);
	snprintf(path, pn, "/api/v1/assistance/cases");
	snprintf(body, bn,
		 "{\"program\":\"dibao\",\"household_id\":%lld,\"bank_name\":\"潍坊农村商业银行\","
		 "\"bank_account\":\"6228 4800 1234 5678 901\"}",
		 (long long)h.id);
}

static void prep_payroll(char *path, size_t pn, char *body, size_t bn)
{
	static const char *const units[] = {"370702", "370703", "370704", "370705"};
	snprintf(path, pn, "/api/v1/payroll/runs");
	snprintf(body, bn, "{\"month\":\"2020-%02d\",\"unit_code\":\"%s\"}", 5 + serial % 8,
		 units[serial / 8 % 4]);
	serial++;
}

/* A fresh household and ledger entry for each visit: an entry's answer lists its visits, so
 * visiting one entry again and again would grow the request with every attempt. */
static int64_t new_ledger_entry(void)
{
	char hh[1024], entry[128], hid[32];
	household_body(hh, sizeof hh);
	struct answer h = call("POST", "/api/v1/households", hh);
	snprintf(hid, sizeof hid, "%lld", (long long)h.id);
	int64_t person = db_query_int(
	    db, "SELECT id FROM persons WHERE household_id = ? AND relation = 'head'", hid);
	snprintf(entry, sizeof entry, "{\"person_id\":%lld,\"categories\":[\"other\"]}",
		 (long long)person);
	struct answer le = call("POST", "/api/v1/ledger/entries", entry);
	if (h.status != 201 || le.status != 201 || person <= 0) {
		fprintf(stderr, "ledger entry: household %d, entry %d\n", h.status, le.status);
		abort();
	}
	return person;
}

static void prep_visit(char *path, size_t pn, char *body, size_t bn)
{
	ledger_entry = new_ledger_entry();
	snprintf(path, pn, "/api/v1/ledger/entries/%lld/visits", (long long)ledger_entry);
	snprintf(body, bn,
		 "{\"mode\":\"home\",\"visitor\":\"王芳\",\"findings\":\"第 %d 次走访，老人咳嗽\","
		 "\"actions\":\"联系村医上门\",\"needs\":[{\"kind\":\"medicine\",\"detail\":"
		 "\"降压药\"}]}",
		 ++serial);
}

static void prep_report(char *path, size_t pn, char *body, size_t bn)
{
	snprintf(path, pn, "/api/v1/institutions/%lld/reports", (long long)institution);
	snprintf(
	    body, bn,
	    "{\"kind\":\"daily\",\"residents_present\":30,\"staff_on_site\":8,\"admissions\":0,"
	    "\"departures\":0,\"temperature_checks\":38,\"fever\":0,\"suspected\":0,"
	    "\"confirmed\":0,\"isolated\":0,\"deaths\":0,\"goods_days\":%d,"
	    "\"reason\":\"第 %d 次更正\"}",
	    10 + serial % 20, serial);
	serial++;
}

/* 临时救助: a first grant of the year for a new household's head, within the township's
 * limit (the standard and the limits are policy amounts). */
static void prep_relief(char *path, size_t pn, char *body, size_t bn)
{
	char hh[1024], hid[32];
	household_body(hh, sizeof hh);
	struct answer h = call("POST", "/api/v1/households", hh);
	snprintf(hid, sizeof hid, "%lld", (long long)h.id);
	int64_t person = db_query_int(
	    db, "SELECT id FROM persons WHERE household_id = ? AND relation = 'head'", hid);
	if (h.status != 201 || person <= 0)
		abort();
	snprintf(path, pn, "/api/v1/relief/grants");
	snprintf(body, bn,
		 "{\"person_id\":%lld,\"kind\":\"expense\",\"cause\":\"medical\","
		 "\"amount_fen\":80000,\"form\":\"cash\",\"applied_by\":\"village_worker\","
		 "\"reason\":\"住院自付费用过高\",\"pay_first\":false}",
		 (long long)person);
}

/* The payroll computation of one unit and month (the job payroll.run): every active 低保,
 * 特困 and child case of the unit, its amount from the policy parameters of that month. */
static void prep_payroll_compute(char *path, size_t pn, char *body, size_t bn)
{
	snprintf(path, pn, "370704");
	snprintf(body, bn, "2020-05");
}

static int run_payroll_compute(const char *unit, const char *month, struct err *e)
{
	struct payroll_run_result res;
	return payroll_run(db, &admin, month, unit, NULL, &res, e);
}

/* 价格临时补贴 of a triggered month (the job price.generate). */
static void prep_price(char *path, size_t pn, char *body, size_t bn)
{
	snprintf(path, pn, "price");
	snprintf(body, bn, "2020-04");
}

static int run_price(const char *path, const char *month, struct err *e)
{
	static struct price_generate_result res;
	(void)path;
	return price_generate(db, &admin, month, NULL, NULL, &res, e);
}

/* The ledger's sync of the whole city (the job ledger.sync): who joins, by the visit periods
 * of the policy parameters. */
static void prep_ledger_sync(char *path, size_t pn, char *body, size_t bn)
{
	snprintf(path, pn, "ledger");
	snprintf(body, bn, "370704");
}

static int run_ledger_sync(const char *path, const char *region, struct err *e)
{
	struct ledger_sync_result res;
	(void)path;
	return ledger_sync(db, &admin, region, "", &res, e);
}

static const char *read_path;
static void prep_read(char *path, size_t pn, char *body, size_t bn)
{
	snprintf(path, pn, "%s", read_path);
	body[0] = '\0';
}

static const struct request requests[] = {
    {"household create", "POST", prep_household, NULL, 0, 0, 0},
    {"assistance application", "POST", prep_case, NULL, 0, 0, 0},
    {"payroll run", "POST", prep_payroll, NULL, 0, 0, 0},
    {"ledger visit", "POST", prep_visit, NULL, 0, 0, 0},
    {"institution report", "POST", prep_report, NULL, 0, 0, 0},
    {"relief grant", "POST", prep_relief, NULL, 0, 0, 0},
    {"payroll compute", NULL, prep_payroll_compute, run_payroll_compute, 1, 0, 0},
    /* about 3,000 steps and 20,000 allocations, most of them the same few per person */
    {"price subsidy generate", NULL, prep_price, run_price, 1, 13, 0},
    {"ledger sync", NULL, prep_ledger_sync, run_ledger_sync, 1, 0, 0},
};
#define NREQ (sizeof requests / sizeof requests[0])

/* Read routes: each a GET of one path (prep_read). Not yet among them: the statistics reports
 * (/api/v1/reports/assistance, /api/v1/reports/stats), whose unit list still drops a unit whose
 * scope could not be read (report_units_list, report_stats: accounts_resolve_scope's error
 * ignored) — the sweep finds it at once. */
static const char *const reads[] = {
    "/api/v1/dashboard",
    "/api/v1/ledger/stats",
    "/api/v1/ledger/overdue",
    "/api/v1/price/subsidies",
    "/api/v1/institutions/dashboard",
    "/api/v1/assistance/notices/370704008",
    "/api/v1/relief/totals",
    "/api/v1/policy?unit=370704&residence=rural&month=2020-05",
    "/api/v1/payroll/runs",
};
#define NREAD (sizeof reads / sizeof reads[0])

/* ---- the sweep ----------------------------------------------------------------------------- */

/* How many allocations jansson makes parsing body: the JSON sweep starts after them. jansson
 * 2.14's lexer asserts (load.c, lex_scan_string) when growing the buffer of a string longer than
 * 15 bytes fails — a crash inside the library that no caller can catch — so the sweep leaves the
 * parse alone; body_parse_out_of_memory covers it with short strings. */
static uint64_t parse_allocs(const char *body)
{
	fault_arm(FAULT_JSON, 0, UINT64_MAX, 0, FAULT_KIND_NOMEM);
	json_t *j = json_loads(body, JSON_REJECT_DUPLICATES, NULL);
	uint64_t n = fault_events(FAULT_JSON);
	fault_disarm();
	json_decref(j);
	return n;
}

/* One attempt of r: through the router, or its library call (answered as the router would:
 * 200, or the error's status with its code). */
static struct answer perform(const struct request *r, const char *path, const char *body)
{
	if (r->method)
		return call_kept(r->method, path, body);
	struct answer a = {0};
	struct err e;
	err_clear(&e);
	int rc = r->run(path, body, &e);
	int armed = atomic_exchange(&fault_armed_any, 0);
	a.status = rc == 0 ? 200 : e.status;
	snprintf(a.code, sizeof a.code, "%s", rc == 0 ? "" : e.code);
	a.json_ok = rc == 0 || (e.code[0] && e.message[0]);
	atomic_store(&fault_armed_any, armed);
	return a;
}

static int ok2xx(const struct answer *a)
{
	return a->status >= 200 && a->status <= 299;
}

/* A 2xx answer after a fault: run the request again, unfaulted, on the image from before it and
 * the same clock; the rows stored must be the same (and, for a read, the answer). Leaves the
 * database as the unfaulted run left it. */
static void check_absorbed(const struct request *r, long n, const struct image *before,
			   const char *path, const char *body, const struct answer *a)
{
	static uint64_t t1[MAX_TABLES], t2[MAX_TABLES];
	static char n1[MAX_TABLES][64], n2[MAX_TABLES][64];
	int k1, k2;
	absorbed_total++;
	if (getenv("MZ_FAULT_TRACE")) {
		fprintf(stderr, "  %s, fault %ld: absorbed, answered %d\n", r->name, n, a->status);
		backtrace_symbols_fd(fault_chain, fault_chain_n, 2);
	}
	uint64_t faulted = r->read ? 0 : stored_digest(t1, n1, &k1);
	struct image after = r->read ? (struct image){0} : image_take();
	image_restore(before);
	struct answer ref = perform(r, path, body);
	requests_total++;
	CHECK(ok2xx(&ref));
	if (!r->read) {
		uint64_t clean = stored_digest(t2, n2, &k2);
		if (faulted != clean) {
			stored_differ++;
			for (int i = 0; i < k1 && i < k2; i++)
				if (t1[i] != t2[i] || strcmp(n1[i], n2[i]) != 0) {
					fprintf(stderr,
						"  %s, fault %ld: answered %d, but stored differently "
						"from the unfaulted run (table %s)\n",
						r->name, n, a->status, n1[i]);
					char *clean_rows = table_text(n1[i]);
					struct image ref_image = image_take();
					image_restore(&after);
					char *faulted_rows = table_text(n1[i]);
					image_restore(&ref_image);
					image_free(&ref_image);
					show_difference(n1[i], faulted_rows, clean_rows);
					free(clean_rows);
					free(faulted_rows);
					break;
				}
		}
		CHECK(faulted == clean);
		if (!same_body(a, &ref))
			answers_differ++;
		image_free(&after);
	} else if (!same_body(a, &ref)) {
		reads_differ++;
		fprintf(stderr, "  %s, fault %ld: answered %d unlike the unfaulted run\n", r->name,
			n, a->status);
		CHECK(0);
	}
	answer_free(&ref);
}

/* For N = 1.. fail the Nth event of point p (with kind): the checks of the header. Returns how
 * many N the request met its fault at. */
static long sweep(const struct request *r, enum fault_point p, enum fault_kind kind, long stride,
		  long limit)
{
	char path[256], body[2048];
	long n;
	struct image base = {0};
	/* On PostgreSQL (a stride > 1) each sweep starts at another offset, so that the sweeps of
	 * one request fail different events. */
	static long sweeps;
	long first = stride > 1 && pg ? 1 + (sweeps++ * 7) % stride : 1;
	if (r->fresh)
		base = image_take();
	/* How many write transactions the request commits when nothing fails. */
	r->prepare(path, sizeof path, body, sizeof body);
	long c0 = commits_now();
	struct answer cal = perform(r, path, body);
	answer_free(&cal);
	long want_commits = commits_now() - c0;
	if (!ok2xx(&cal))
		fprintf(stderr, "  %s: answered %d %s unfaulted\n", r->name, cal.status, cal.code);
	CHECK(ok2xx(&cal));
	for (n = first; n <= limit; n += stride) {
		if (r->fresh)
			image_restore(&base);
		r->prepare(path, sizeof path, body, sizeof body);
		/* The in-memory database changes only by a commit (SQLite's commit hook counts
		 * them); the image's hash cross-checks that on every 8th attempt. */
		int sample = n % 8 == 1;
		uint64_t before = sample ? db_hash() : 0;
		struct image im = r->fresh ? base : image_take();
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		frozen_time = now.tv_sec;
		long start = commits_now();
		commits_at_fault = -1;
		fault_arm(p, 0, (uint64_t)n, p == FAULT_JSON && r->method ? parse_allocs(body) : 0,
			  kind);
		struct answer a = perform(r, path, body);
		fault_disarm();
		commits_now();
		uint64_t fired = fault_fired(p);
		requests_total++;
		if (!fired) {
			/* The request no longer meets its fault: it ran whole, and must have
			 * worked. */
			if (!ok2xx(&a))
				fprintf(stderr, "  %s: unfaulted run answered %d %s\n", r->name,
					a.status, a.code);
			CHECK(ok2xx(&a));
			answer_free(&a);
			if (!r->fresh)
				image_free(&im);
			image_free(&base);
			frozen_time = 0;
			return n - 1; /* events of the request: every stride-th failed once */
		}
		points_total++;
		int clean = (ok2xx(&a) && a.json_ok) ||
			    (a.status >= 500 && a.status <= 599 && a.json_ok);
		if (!clean)
			fprintf(stderr, "  %s, fault %ld: answered %d %s (json %d)\n", r->name, n,
				a.status, a.code, a.json_ok);
		CHECK(clean);
		if (a.status >= 500) {
			failures_total++;
			CHECK(!db_in_transaction(db));
			/* SQLite calls the commit hook before the commit is durable: a commit
			 * that then fails (rolled back) was counted but changed nothing. */
			if (!pg && commits != start && db_hash() == fnv(1469598103934665603ULL, im.p,
								 (size_t)im.n))
				commits = start;
			if (sample) {
				CHECK(audit_ok());
				CHECK((db_hash() == before) == (commits == start));
			}
			if (commits != start) {
				/* Allowed only when nothing was committed after the fault: what
				 * stays are transactions that had completed before it — the
				 * request's write with only the answer lost (the fault hit the
				 * read-back), or an independent earlier transaction (the ledger's
				 * sync before a visit). A commit after the fault would be a write
				 * carried on past a failure. */
				int whole = commits_at_fault == commits;
				if (!whole && getenv("MZ_FAULT_TRACE"))
					backtrace_symbols_fd(fault_chain, fault_chain_n, 2);
				if (!whole)
					fprintf(stderr,
						"  %s, fault %ld (%s): database changed with %ld "
						"of %ld commits "
						"before the fault, %ld in all\n",
						r->name, n, a.code, commits_at_fault - start,
						want_commits, commits - start);
				CHECK(whole);
				if (commits - start == want_commits)
					lost_answers++;
				else
					earlier_kept++;
			} else {
				/* The same request again, unfaulted, goes through. */
				struct answer again = perform(r, path, body);
				requests_total++;
				if (!ok2xx(&again))
					fprintf(stderr,
						"  %s, after fault %ld: retry answered %d %s\n",
						r->name, n, again.status, again.code);
				CHECK(ok2xx(&again));
				answer_free(&again);
			}
		} else {
			check_absorbed(r, n, &im, path, body, &a);
		}
		frozen_time = 0;
		answer_free(&a);
		if (!r->fresh)
			image_free(&im);
	}
	fprintf(stderr, "  %s: still meeting faults after %ld\n", r->name, limit);
	CHECK(0);
	image_free(&base);
	return n;
}

static void sweep_one(const struct request *r, enum fault_point p, enum fault_kind kind,
		      const char *label, long stride, long limit)
{
	long before = points_total, absorbed = absorbed_total;
	long k = sweep(r, p, kind, stride, limit);
	printf("  %-24s %-6s %5ld events, %5ld failed in turn, %4ld absorbed\n", r->name, label, k,
	       points_total - before, absorbed_total - absorbed);
	CHECK(k > 0 || (!r->method && p == FAULT_JSON)); /* a job may build no JSON */
}

/* On PostgreSQL every PG_STRIDE-th event (see the top), unless MZ_FAULT_STRIDE chooses. */
static long engine_stride(void)
{
	return pg && !getenv("MZ_FAULT_STRIDE") ? PG_STRIDE : 1;
}

static void sweep_all(enum fault_point p, enum fault_kind kind, const char *label, long stride,
		      long limit)
{
	setup();
	stride *= engine_stride();
	for (size_t i = 0; i < NREQ; i++)
		sweep_one(&requests[i], p, kind, label,
			  stride * (requests[i].stride ? requests[i].stride
						       : p == FAULT_STEP || requests[i].method ? 1
											      : 5),
			  limit);
	CHECK(audit_ok());
}

/* The read routes, every database step failing in turn: a 5xx, or the unfaulted answer. */
static void sweep_reads(enum fault_kind kind, const char *label)
{
	setup();
	for (size_t i = 0; i < NREAD; i++) {
		const struct request r = {reads[i], "GET", prep_read, NULL, 0, 0, 1};
		read_path = reads[i];
		sweep_one(&r, FAULT_STEP, kind, label, engine_stride(), 20000);
	}
	CHECK(audit_ok());
}

/* ---- tests --------------------------------------------------------------------------------- */

TEST(every_request_works_unfaulted)
{
	setup();
	for (size_t i = 0; i < NREQ; i++) {
		char path[256], body[2048];
		requests[i].prepare(path, sizeof path, body, sizeof body);
		struct answer a = perform(&requests[i], path, body);
		answer_free(&a);
		if (!ok2xx(&a))
			fprintf(stderr, "  %s: %d %s\n", requests[i].name, a.status, a.code);
		CHECK(ok2xx(&a));
	}
	for (size_t i = 0; i < NREAD; i++) {
		struct answer a = call("GET", reads[i], NULL);
		if (!ok2xx(&a))
			fprintf(stderr, "  GET %s: %d %s\n", reads[i], a.status, a.code);
		CHECK(ok2xx(&a));
	}
}

TEST(nth_step_busy)
{
	sweep_all(FAULT_STEP, FAULT_KIND_BUSY, "busy", 1, 20000);
}

TEST(reads_nth_step_busy)
{
	sweep_reads(FAULT_KIND_BUSY, "busy");
}

TEST(reads_nth_step_io_error)
{
	sweep_reads(FAULT_KIND_IOERR, "ioerr");
}

TEST(nth_step_disk_full)
{
	sweep_all(FAULT_STEP, FAULT_KIND_FULL, "full", 1, 20000);
}

TEST(nth_step_io_error)
{
	sweep_all(FAULT_STEP, FAULT_KIND_IOERR, "ioerr", 1, 20000);
}

static long alloc_stride(void)
{
	const char *v = getenv("MZ_FAULT_STRIDE");
	long s = v ? atol(v) : 3;
	return s > 0 ? s : 3;
}

TEST(nth_sqlite_allocation)
{
	/* Every 3rd allocation (a prime stride: each kind of allocation of the request still fails
	 * somewhere), to keep the run short; MZ_FAULT_STRIDE=1 for all of them. */
	sweep_all(FAULT_SQLMEM, FAULT_KIND_NOMEM, "sqlmem", alloc_stride(), 200000);
}

TEST(nth_json_allocation)
{
	sweep_all(FAULT_JSON, FAULT_KIND_NOMEM, "json", alloc_stride(), 200000);
}

TEST(body_parse_out_of_memory_is_503_not_400)
{
	/* Strings of at most 15 bytes (see parse_allocs): every allocation of the parse fails once.
	 */
	char path[256];
	const char *body = "{\"mode\":\"home\",\"visitor\":\"王芳\",\"findings\":\"咳嗽\"}";
	setup();
	snprintf(path, sizeof path, "/api/v1/ledger/entries/%lld/visits",
		 (long long)new_ledger_entry());
	uint64_t p = parse_allocs(body);
	CHECK(p > 3);
	for (uint64_t n = 1; n <= p; n++) {
		long start = commits_now();
		fault_arm(FAULT_JSON, 0, n, 0, FAULT_KIND_NOMEM);
		struct answer a = call("POST", path, body);
		fault_disarm();
		points_total++;
		requests_total++;
		CHECK_EQ_INT(a.status, 503);
		CHECK_EQ_STR(a.code, "out_of_memory");
		CHECK_EQ_INT(commits_now(), start);
	}
	CHECK_EQ_INT(call("POST", path, body).status, 201);
}

TEST(injected_errors_map_to_status_and_code)
{
	static const struct {
		enum fault_kind kind;
		int status;
		const char *code;
	} want[] = {
	    {FAULT_KIND_BUSY, 503, "busy"},
	    {FAULT_KIND_LOCKED, 503, "busy"},
	    {FAULT_KIND_FULL, 507, "disk_full"},
	    {FAULT_KIND_IOERR, 500, "io_error"},
	    {FAULT_KIND_READONLY, 503, "db_readonly"},
	    {FAULT_KIND_NOMEM, 503, "out_of_memory"},
	    {FAULT_KIND_CORRUPT, 500, "db_corrupt"},
	};
	char path[256], body[2048];
	setup();
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		prep_household(path, sizeof path, body, sizeof body);
		uint64_t before = db_hash();
		fault_arm(FAULT_STEP, 1, 1, 0, want[i].kind); /* every step fails */
		struct answer a = call("POST", path, body);
		fault_disarm();
		CHECK_EQ_INT(a.status, want[i].status);
		CHECK_EQ_STR(a.code, want[i].code);
		CHECK(a.json_ok);
		CHECK(db_hash() == before);
	}
}

TEST(every_nth_step_fails_in_turn_and_the_rest_go_through)
{
	/* every=29 (a household creation takes about 23 steps), mix: busy, full, ioerr in turn; 40
	 * creations, each 2xx or a clean 5xx. */
	char path[256], body[2048];
	int ok = 0, failed = 0;
	setup();
	int64_t before = db_query_int(db, "SELECT count(*) FROM households", NULL);
	fault_arm(FAULT_STEP, 1, 29, 0, FAULT_KIND_MIX);
	for (int i = 0; i < 40; i++) {
		prep_household(path, sizeof path, body, sizeof body);
		struct answer a = call("POST", path, body);
		CHECK(a.json_ok);
		CHECK((a.status >= 200 && a.status < 300) || a.status >= 500);
		if (a.status == 201)
			ok++;
		else
			failed++;
	}
	uint64_t fired = fault_fired(FAULT_STEP);
	fault_disarm();
	CHECK(fired > 0 && failed > 0 && ok > 0);
	int64_t now = db_query_int(db, "SELECT count(*) FROM households", NULL);
	CHECK(now >= before + ok &&
	      now <= before + 40); /* a refusal after the commit keeps its household */
	CHECK(audit_ok());
	requests_total += 40;
	printf("  every 29th step (mix): %d created, %d refused, %llu faults\n", ok, failed,
	       (unsigned long long)fired);
}

TEST(spec_parser)
{
	struct err e;
	CHECK_EQ_INT(fault_parse("step:every=37:busy,alloc:nth=5000", &e), 0);
	CHECK_EQ_INT(fault_parse("json:every=211:after=1000", &e), 0);
	fault_disarm();
	static const char *const bad[] = {"",
					  "disk:nth=1",
					  "step",
					  "step:nth=0",
					  "step:every=x",
					  "step:nth=3:boom",
					  "alloc:after=5",
					  "step:nth=1,"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err_clear(&e);
		CHECK_EQ_INT(fault_parse(bad[i], &e), -1);
		CHECK_EQ_STR(e.code, "fault_spec");
		CHECK(strstr(e.message, "MZ_FAULT") != NULL);
	}
	CHECK(!fault_hit(FAULT_STEP));
	/* `ready`: armed when the server is up, not at once. */
	CHECK_EQ_INT(fault_parse("step:nth=1:busy:ready", &e), 0);
	CHECK(!fault_hit(FAULT_STEP));
	fault_ready();
	CHECK_EQ_INT(fault_hit(FAULT_STEP), 1 + FAULT_KIND_BUSY);
	CHECK(!fault_hit(FAULT_STEP)); /* nth=1: only the first */
	fault_disarm();
}

TEST(a_real_full_disk_is_507_disk_full_and_keeps_nothing)
{
	/* SQLite's own SQLITE_FULL, no injection: the database may not grow past its size now. */
	char path[256], body[2048];
	setup();
	if (pg) {
		printf("  SQLite only (a file that may not grow); PostgreSQL's 53100 is injected above\n");
		return;
	}
	int64_t pages = db_query_int(db, "PRAGMA page_count", NULL);
	CHECK(pages > 0);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages);
	struct err e;
	CHECK_EQ_INT(db_exec(db, sql, &e), 0);
	struct answer a = {0};
	int tries = 0;
	long start = commits;
	do { /* free pages inside the file may take a few households first */
		prep_household(path, sizeof path, body, sizeof body);
		start = commits;
		a = call("POST", path, body);
	} while (a.status == 201 && ++tries < 500);
	CHECK_EQ_INT(a.status, 507);
	CHECK_EQ_STR(a.code, "disk_full");
	CHECK(a.json_ok);
	CHECK_EQ_INT(commits, start);
	CHECK(!db_in_transaction(db));
	CHECK(audit_ok());
	CHECK_EQ_INT(db_exec(db, "PRAGMA max_page_count = 1073741823", &e), 0);
	CHECK_EQ_INT(call("POST", path, body).status, 201);
	printf("  real SQLITE_FULL after %d households: 507 disk_full, nothing kept\n", tries);
}

TEST(summary)
{
	printf(
	    "  fault points exercised: %ld; requests: %ld; clean 5xx: %ld (%ld after the request's "
	    "commit: change whole, answer lost; %ld after an earlier independent transaction); "
	    "faults absorbed (2xx): %ld — stored unlike the unfaulted run: %ld, read answers unlike "
	    "it: %ld, write answers missing a detail (rows right): %ld\n",
	    points_total, requests_total, failures_total, lost_answers, earlier_kept,
	    absorbed_total, stored_differ, reads_differ, answers_differ);
	CHECK(points_total > 0);
	CHECK_EQ_INT(stored_differ, 0);
	CHECK_EQ_INT(reads_differ, 0);
}

UNIT_MAIN(every_request_works_unfaulted, injected_errors_map_to_status_and_code, spec_parser,
	  every_nth_step_fails_in_turn_and_the_rest_go_through, nth_step_busy, nth_step_disk_full,
	  nth_step_io_error, reads_nth_step_busy, reads_nth_step_io_error, nth_sqlite_allocation, nth_json_allocation,
	  body_parse_out_of_memory_is_503_not_400,
	  a_real_full_disk_is_507_disk_full_and_keeps_nothing, summary)
