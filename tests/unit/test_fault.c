/* test_fault.c — anomaly tests in the manner of SQLite's: for N = 1, 2, … the Nth database step
 * (busy, full disk, I/O error) or the Nth allocation (SQLite's and jansson's) of a write request
 * fails, through the real router with a city administrator's bearer token on an in-memory demo
 * city (demo_run at scale 0.003). Each answer must be 2xx (the fault hit nothing that mattered)
 * or a clean 5xx with a JSON error body; after a 5xx the database must be byte-for-byte what it
 * was (no half-written change) with the audit chain intact; and the same request, unfaulted,
 * must then succeed. N grows until a request runs through without meeting its fault, so every
 * step and every allocation of each request fails once. Also: the fault spec parser, and the
 * mapping of each injected SQLite error to its status and code.
 */
#include "unit.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/fault.h"
#include "core/idnum.h"
#include "db/db.h"
#include "db/db_internal.h"
#include "db/migrate.h"
#include "demo/demo.h"
#include "http/router.h"

#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>

static struct db *db;
static char auth[128];
static int64_t ledger_entry, institution;
static int serial;
static long points_total, requests_total, failures_total, absorbed_total, lost_answers,
    earlier_kept;
/* Write transactions committed (SQLite's commit hook), and how many had when a fault fired. */
static long commits, commits_at_fault;

static int on_commit(void *ctx)
{
	(void)ctx;
	commits++;
	return 0;
}

static void on_fault(enum fault_point p)
{
	(void)p;
	commits_at_fault = commits;
}

/* ---- the fixture --------------------------------------------------------------------------- */

static void setup(void);

/* The database image: sqlite3_serialize of main, hashed (FNV-1a, 64 bits). A rolled-back
 * transaction leaves the in-memory pages exactly as they were. */
static uint64_t db_hash(void)
{
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
};

static struct answer call(const char *method, const char *path, const char *body)
{
	struct http_in in = {.method = method,
			     .path = path,
			     .query = "",
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
	free(out.body);
	atomic_store(&fault_armed_any, armed);
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
	const char *method;
	/* Fill path and body for one attempt (may make what it needs, unfaulted). */
	void (*prepare)(char *path, size_t pn, char *body, size_t bn);
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
	if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0 ||
	    demo_run(db, &o, &report, &e) < 0 ||
	    accounts_user_add(db, &sys, "faulter", "city_admin", "3707", "fault-password", &e) <
		0 ||
	    accounts_token_create(db, &sys, "faulter", token, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	snprintf(auth, sizeof auth, "Bearer %s", token);
	sqlite3_commit_hook(db_sqlite_handle(db), on_commit, NULL);
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

static const struct request requests[] = {
    {"household create", "POST", prep_household}, {"assistance application", "POST", prep_case},
    {"payroll run", "POST", prep_payroll},	  {"ledger visit", "POST", prep_visit},
    {"institution report", "POST", prep_report},
};
#define NREQ (sizeof requests / sizeof requests[0])

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

/* For N = 1.. fail the Nth event of point p (with kind): the checks of the header. Returns how
 * many N the request met its fault at. */
static long sweep(const struct request *r, enum fault_point p, enum fault_kind kind, long stride,
		  long limit)
{
	char path[256], body[2048];
	long n;
	/* How many write transactions the request commits when nothing fails. */
	r->prepare(path, sizeof path, body, sizeof body);
	long c0 = commits;
	struct answer cal = call(r->method, path, body);
	long want_commits = commits - c0;
	CHECK(cal.status >= 200 && cal.status <= 299);
	for (n = 1; n <= limit; n += stride) {
		r->prepare(path, sizeof path, body, sizeof body);
		/* The in-memory database changes only by a commit (SQLite's commit hook counts
		 * them); the image's hash cross-checks that on every 8th attempt. */
		int sample = n % 8 == 1;
		uint64_t before = sample ? db_hash() : 0;
		long start = commits;
		commits_at_fault = -1;
		fault_arm(p, 0, (uint64_t)n, p == FAULT_JSON ? parse_allocs(body) : 0, kind);
		struct answer a = call(r->method, path, body);
		fault_disarm();
		uint64_t fired = fault_fired(p);
		requests_total++;
		if (!fired) {
			/* The request no longer meets its fault: it ran whole, and must have
			 * worked. */
			if (a.status < 200 || a.status > 299)
				fprintf(stderr, "  %s: unfaulted run answered %d %s\n", r->name,
					a.status, a.code);
			CHECK(a.status >= 200 && a.status <= 299);
			return n - 1; /* events of the request: every stride-th failed once */
		}
		points_total++;
		int clean = (a.status >= 200 && a.status <= 299 && a.json_ok) ||
			    (a.status >= 500 && a.status <= 599 && a.json_ok);
		if (!clean)
			fprintf(stderr, "  %s, fault %ld: answered %d %s (json %d)\n", r->name, n,
				a.status, a.code, a.json_ok);
		CHECK(clean);
		if (a.status >= 500) {
			failures_total++;
			CHECK(!db_in_transaction(db));
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
				continue; /* the retry would be a second, different write */
			}
			/* The same request again, unfaulted, goes through. */
			struct answer again = call(r->method, path, body);
			requests_total++;
			if (again.status < 200 || again.status > 299)
				fprintf(stderr, "  %s, after fault %ld: retry answered %d %s\n",
					r->name, n, again.status, again.code);
			CHECK(again.status >= 200 && again.status <= 299);
		} else {
			absorbed_total++;
			if (getenv("MZ_FAULT_TRACE"))
				fprintf(stderr, "  %s, fault %ld: absorbed, answered %d\n", r->name,
					n, a.status);
		}
	}
	fprintf(stderr, "  %s: still meeting faults after %ld\n", r->name, limit);
	CHECK(0);
	return n;
}

static void sweep_all(enum fault_point p, enum fault_kind kind, const char *label, long stride,
		      long limit)
{
	setup();
	for (size_t i = 0; i < NREQ; i++) {
		long before = points_total;
		long k = sweep(&requests[i], p, kind, stride, limit);
		printf("  %-24s %-6s %5ld events, %5ld failed in turn\n", requests[i].name, label,
		       k, points_total - before);
		CHECK(k > 0);
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
		struct answer a = call(requests[i].method, path, body);
		if (a.status < 200 || a.status > 299)
			fprintf(stderr, "  %s: %d %s\n", requests[i].name, a.status, a.code);
		CHECK(a.status >= 200 && a.status <= 299);
	}
}

TEST(nth_step_busy)
{
	sweep_all(FAULT_STEP, FAULT_KIND_BUSY, "busy", 1, 2000);
}

TEST(nth_step_disk_full)
{
	sweep_all(FAULT_STEP, FAULT_KIND_FULL, "full", 1, 2000);
}

TEST(nth_step_io_error)
{
	sweep_all(FAULT_STEP, FAULT_KIND_IOERR, "ioerr", 1, 2000);
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
		long start = commits;
		fault_arm(FAULT_JSON, 0, n, 0, FAULT_KIND_NOMEM);
		struct answer a = call("POST", path, body);
		fault_disarm();
		points_total++;
		requests_total++;
		CHECK_EQ_INT(a.status, 503);
		CHECK_EQ_STR(a.code, "out_of_memory");
		CHECK_EQ_INT(commits, start);
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
	    "faults absorbed (2xx): %ld\n",
	    points_total, requests_total, failures_total, lost_answers, earlier_kept,
	    absorbed_total);
	CHECK(points_total > 0);
}

UNIT_MAIN(every_request_works_unfaulted, injected_errors_map_to_status_and_code, spec_parser,
	  every_nth_step_fails_in_turn_and_the_rest_go_through, nth_step_busy, nth_step_disk_full,
	  nth_step_io_error, nth_sqlite_allocation, nth_json_allocation,
	  body_parse_out_of_memory_is_503_not_400,
	  a_real_full_disk_is_507_disk_full_and_keeps_nothing, summary)
