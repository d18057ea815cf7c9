/* fuzz_api_json.c — libFuzzer target: arbitrary bytes as the JSON body of the API's write routes
 * (create household, add member, patch household, move person, login), through the real router
 * with a bearer token on an in-memory database. Invariants: the router always answers a status
 * in 200..599 with a JSON body, a 4xx answer leaves the row counts unchanged, and nothing crashes
 * or leaks (ASan/UBSan). */
#include "accounts/accounts.h"
#include "db/db.h"
#include "db/migrate.h"
#include "http/router.h"
#include "regions/regions.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct db *db;
static char auth[128];

static void setup(void)
{
	struct err e;
	struct actor sys;
	char token[ACCOUNTS_TOKEN_HEX];
	actor_system(&sys);
	if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0 ||
	    regions_load_builtin(db, &e) < 0 ||
	    accounts_user_add(db, &sys, "fuzzer", "county_staff", "370704", "fuzz-password", &e) < 0 ||
	    accounts_token_create(db, &sys, "fuzzer", token, &e) < 0) {
		fprintf(stderr, "fuzz setup: %s\n", e.message);
		abort();
	}
	snprintf(auth, sizeof auth, "Bearer %s", token);
	/* one household so that {id} routes have something to hit */
	struct http_in in = {.method = "POST", .path = "/api/v1/households", .query = "",
			     .authorization = auth, .client = "fuzz"};
	const char *body = "{\"region_code\":\"370704008231\",\"address\":\"x\",\"residence_type\":"
			   "\"rural\",\"members\":[{\"id_number\":\"11010519491231002X\",\"name\":"
			   "\"张三\",\"relation\":\"head\"}]}";
	in.body = body;
	in.body_len = strlen(body);
	struct http_out out;
	router_handle(db, &in, &out);
	free(out.body);
}

static int64_t rows(void)
{
	return db_query_int(db, "SELECT (SELECT count(*) FROM households) * 1000000 + "
				"(SELECT count(*) FROM persons WHERE status = 'active')", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		const char *method, *path;
	} targets[] = {
		{"POST", "/api/v1/households"},
		{"POST", "/api/v1/households/1/members"},
		{"PATCH", "/api/v1/households/1"},
		{"PATCH", "/api/v1/persons/1"},
		{"POST", "/api/v1/persons/1/move"},
		{"POST", "/api/v1/session"},
	};
	if (!db)
		setup();
	if (size < 1)
		return 0;
	size_t pick = data[0] % (sizeof targets / sizeof targets[0]);
	if (pick == 5 && size > 200)
		return 0; /* login runs argon2id: keep those inputs small and rare */
	struct http_in in = {.method = targets[pick].method, .path = targets[pick].path, .query = "",
			     .body = (const char *)data + 1, .body_len = size - 1,
			     .authorization = auth, .client = "fuzz"};
	struct http_out out;
	int64_t before = rows();
	router_handle(db, &in, &out);
	if (out.status < 200 || out.status > 599)
		abort();
	if (out.body) {
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
