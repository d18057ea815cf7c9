/* fuzz_cookie.c — libFuzzer target: arbitrary Cookie, Authorization and X-CSRF-Token headers
 * through router_handle, on an in-memory database with one user who has a live session and a
 * bearer token. The Cookie parser (cookie_value) and the authentication order are static in
 * http/router.c, so the router is the nearest public entry; behind it accounts_session_actor and
 * accounts_token_actor look the values up.
 *
 * Input: up to three lines — Cookie, Authorization, X-CSRF-Token (a missing line is a missing
 * header). "@S@", "@C@" and "@T@" in them are replaced by the live session id, its CSRF token and
 * the bearer token, so seeds can carry valid credentials and the fuzzer can mutate around them.
 * Each input is sent to a read route, a write route and a public route. Invariants: a request is
 * only authenticated when the Authorization header is exactly "Bearer <token>", or it does not
 * start with "Bearer " and the Cookie header holds the session id; a cookie-authenticated write
 * only passes with the exact CSRF token; every answer is 2xx-5xx with a JSON body. */
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static char session[ACCOUNTS_TOKEN_HEX], csrf[ACCOUNTS_TOKEN_HEX], token[ACCOUNTS_TOKEN_HEX];
static char bearer[ACCOUNTS_TOKEN_HEX + 8];

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_cookie: invariant broken: %s\n", what);
		abort();
	}
}

static void setup(void)
{
	struct err e;
	struct actor sys;
	struct login_result lr;
	actor_system(&sys);
	if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0 ||
	    regions_load_builtin(db, &e) < 0 ||
	    accounts_user_add(db, &sys, "fuzzer", "county_staff", "370704", "fuzz-password", &e) < 0 ||
	    accounts_token_create(db, &sys, "fuzzer", token, &e) < 0 ||
	    accounts_login(db, "fuzzer", "fuzz-password", "fuzz", &lr, &e) < 0) {
		fprintf(stderr, "fuzz setup: %s\n", e.message);
		abort();
	}
	snprintf(session, sizeof session, "%s", lr.session);
	snprintf(csrf, sizeof csrf, "%s", lr.csrf);
	snprintf(bearer, sizeof bearer, "Bearer %s", token);
}

/* [s, s+n) with the placeholders replaced; malloc'd, NUL-terminated (stops at a NUL byte). */
static char *expand(const char *s, size_t n)
{
	size_t cap = n * (ACCOUNTS_TOKEN_HEX / 3 + 1) + 1, o = 0;
	char *out = malloc(cap);
	require(out != NULL, "malloc");
	for (size_t i = 0; i < n && s[i]; i++) {
		const char *rep = NULL;
		if (i + 3 <= n && s[i] == '@' && s[i + 2] == '@') {
			if (s[i + 1] == 'S')
				rep = session;
			else if (s[i + 1] == 'C')
				rep = csrf;
			else if (s[i + 1] == 'T')
				rep = token;
		}
		if (rep) {
			size_t l = strlen(rep);
			memcpy(out + o, rep, l);
			o += l;
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

static void request(const char *method, const char *path, const char *cookie, const char *auth,
		 const char *csrf_header, int is_public)
{
	struct http_in in = {.method = method, .path = path, .query = "", .body = "",
			     .body_len = 0, .cookie = cookie, .csrf_header = csrf_header,
			     .authorization = auth, .client = "fuzz"};
	struct http_out out;
	router_handle(db, &in, &out);
	require(out.status >= 200 && out.status <= 599, "status range");
	require(out.body != NULL, "a JSON body");
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "%s %s -> %d %.100s\n", method, path, out.status, out.body);
	json_t *j = json_loads(out.body, 0, NULL);
	require(j != NULL, "the body is JSON");
	json_decref(j);
	free(out.body);
	if (is_public)
		return;

	int bearer_ok = auth && strcmp(auth, bearer) == 0;
	int by_bearer = auth && strncmp(auth, "Bearer ", 7) == 0;
	int cookie_ok = !by_bearer && cookie && strstr(cookie, session) != NULL;
	if (out.status != 401)
		require(bearer_ok || cookie_ok, "authenticated only with the real credentials");
	if (!by_bearer && strcmp(method, "GET") != 0 && out.status != 401 && out.status != 403)
		require(csrf_header && strcmp(csrf_header, csrf) == 0,
			"a cookie write passes only with the exact CSRF token");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db)
		setup();
	if (size > 4096)
		return 0;
	const char *s = (const char *)data, *end = s + size;
	char *part[3] = {NULL, NULL, NULL};
	for (int i = 0; i < 3 && s < end; i++) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		part[i] = expand(s, n);
		s += n + (nl ? 1 : 0);
	}
	request("GET", "/api/v1/session", part[0], part[1], part[2], 0);
	request("POST", "/api/v1/households", part[0], part[1], part[2], 0);
	request("POST", "/api/v1/session", part[0], part[1], part[2], 1);
	for (int i = 0; i < 3; i++)
		free(part[i]);
	return 0;
}
