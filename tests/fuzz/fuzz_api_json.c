/* fuzz_api_json.c — libFuzzer target: arbitrary bytes as the JSON body of every write route of the
 * API (every POST, PUT, PATCH and DELETE that router_each_route lists: registry, assistance,
 * payroll, relief, ledger, institutions, hotline, rescue, imports, marriage, … and login), through
 * the real router with a city administrator's bearer token on an in-memory database holding the
 * demo city at scale 0.003 (demo_run: about 450 households with their cases, payroll, grants,
 * ledger, institutions, hotline, rescue, goods, charity, … records).
 *
 * Input: byte 0 picks the route (modulo the number of write routes, in table order), byte 1 the
 * value of its path parameters ({id} = 1 or 2, {code} = a township or village code, …), the rest
 * is the body. Invariants: the router always answers a status in 200..599 with a JSON body (or a
 * file), a 4xx answer leaves the household and person counts unchanged, and nothing crashes or
 * leaks (ASan/UBSan). State carries over between inputs (what one creates, the next may change),
 * so a replay of the same files in the same order gives the same answers (on the same day: some
 * rules compare dates with today). */
#include "accounts/accounts.h"
#include "db/db.h"
#include "db/migrate.h"
#include "demo/demo.h"
#include "http/router.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct db *db;
static char auth[128];

#define MAX_ROUTES 512
static struct {
	const char *method, *pattern;
} writes[MAX_ROUTES];
static size_t nwrites;

static void collect(const char *method, const char *pattern, void *ctx)
{
	(void)ctx;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && nwrites < MAX_ROUTES) {
		writes[nwrites].method = method;
		writes[nwrites].pattern = pattern;
		nwrites++;
	}
}

/* pattern with every {param} replaced by a value chosen by pick, into out (size n). */
static void fill_path(const char *pattern, unsigned pick, char *out, size_t n)
{
	static const char *const ids[] = {"1", "2", "0", "x"};
	static const char *const codes[] = {"370704008", "370704008231", "3707", "370704"};
	size_t o = 0;
	for (const char *p = pattern; *p && o + 1 < n;) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (!end)
				break;
			const char *v = strncmp(p, "{code}", 6) == 0 ? codes[pick % 4] : ids[pick % 4];
			o += (size_t)snprintf(out + o, n - o, "%s", v);
			if (o >= n)
				o = n - 1;
			p = end + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

static void setup(void)
{
	struct err e;
	struct actor sys;
	char token[ACCOUNTS_TOKEN_HEX];
	struct demo_options o;
	static struct demo_report report;
	actor_system(&sys);
	router_each_route(collect, NULL);
	/* The demo city at a small scale, so that {id} 1 and 2 of most records exist and handlers
	 * get past "not found": households, cases, payroll runs, grants, ledger entries,
	 * institutions, hotline calls, rescue intakes, goods, appeals, … (about half a second). */
	demo_options_init(&o);
	o.scale = 0.003;
	if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0 ||
	    demo_run(db, &o, &report, &e) < 0 ||
	    accounts_user_add(db, &sys, "fuzzer", "city_admin", "3707", "fuzz-password", &e) < 0 ||
	    accounts_token_create(db, &sys, "fuzzer", token, &e) < 0) {
		fprintf(stderr, "fuzz setup: %s\n", e.message);
		abort();
	}
	snprintf(auth, sizeof auth, "Bearer %s", token);
}

static int64_t rows(void)
{
	return db_query_int(db, "SELECT (SELECT count(*) FROM households) * 1000000 + "
				"(SELECT count(*) FROM persons WHERE status = 'active')", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		setup();
	if (size < 2 || nwrites == 0)
		return 0;
	size_t pick = data[0] % nwrites;
	if (strcmp(writes[pick].pattern, "/api/v1/session") == 0 &&
	    strcmp(writes[pick].method, "POST") == 0 && size > 200)
		return 0; /* login runs argon2id: keep those inputs small and rare */
	char path[256];
	fill_path(writes[pick].pattern, data[1], path, sizeof path);
	struct http_in in = {.method = writes[pick].method, .path = path, .query = "",
			     .body = (const char *)data + 2, .body_len = size - 2,
			     .authorization = auth, .client = "fuzz"};
	struct http_out out;
	int64_t before = rows();
	router_handle(db, &in, &out);
	if (out.status < 200 || out.status > 599)
		abort();
	if (getenv("FUZZ_VERBOSE")) /* which routes the corpus reaches, and how far */
		fprintf(stderr, "%s %s -> %d %.160s\n", in.method, path, out.status,
			out.content_type ? "(file)" : out.body ? out.body : "");
	if (out.body && !out.content_type) {
		json_t *j = json_loads(out.body, 0, NULL);
		if (!j)
			abort();
		json_decref(j);
	}
	if (out.status >= 400 && out.status < 500 && rows() != before)
		abort(); /* a rejected request changed stored data */
	free(out.body);
	return 0;
}
