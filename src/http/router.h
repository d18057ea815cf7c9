/* router.h — from a neutral request to a neutral response: route matching, authentication
 * (session cookie or bearer token), the route's permission, CSRF for cookie writes, the
 * handler, and the JSON error body. Knows nothing of h2o (http/server.c translates), so it can
 * be driven from tests and fuzzers directly.
 */
#ifndef MZ_ROUTER_H
#define MZ_ROUTER_H

#include <stddef.h>
#include "db/db.h"

struct http_in {
	const char *method;
	const char *path;      /* NUL-terminated path without query */
	const char *query;     /* "" when none */
	const char *body;
	size_t body_len;
	const char *cookie;    /* the whole Cookie header, or NULL */
	const char *csrf_header; /* X-CSRF-Token, or NULL */
	const char *authorization; /* Authorization header, or NULL */
	const char *export_passphrase; /* X-Export-Passphrase (an encrypted export), or NULL */
	const char *client;
};

struct http_out {
	int status;
	char *body;            /* malloc'd JSON text or file bytes (caller frees), NULL for no body */
	size_t body_len;
	const char *content_type;  /* NULL: JSON */
	char disposition[300];     /* Content-Disposition for files, "" otherwise */
	char set_cookie[256];  /* "" when none */
	char user[64];         /* who, for the access log ("-" when anonymous) */
};

/* Handle an /api/v1 request. Always fills out (errors become JSON error bodies). */
void router_handle(struct db *db, const struct http_in *in, struct http_out *out);

/* Every registered route as "METHOD PATTERN" lines via fn (for `minzheng routes` and the test
 * that checks docs/openapi.json). */
void router_each_route(void (*fn)(const char *method, const char *pattern, void *ctx), void *ctx);

#endif
