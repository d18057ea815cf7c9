/* api.h — what a module's HTTP handlers see: the request, the response, the route table entry.
 *
 * Each module exports one const route table (struct api_route[] ending with {0}). The router
 * (http/router.c) matches method + pattern, checks authentication, the route's permission and
 * CSRF before the handler runs, and hands the handler a request with the actor and the loop's
 * db connection. A handler parses input, calls domain functions, and sets rs->status and
 * rs->body (a jansson value it hands over; the router frees it), or returns -1 with e filled —
 * the router turns e into {"error":{code,message,field}}. Handlers never write bytes themselves.
 */
#ifndef MZ_HTTP_API_H
#define MZ_HTTP_API_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"

#define API_MAX_PARAMS 4

struct api_req {
	const char *method;   /* "GET", "POST", ... */
	const char *path;     /* path without query, e.g. "/api/v1/persons/12" */
	const char *query;    /* raw query string without '?', "" when none */
	const char *body;     /* request body (not NUL-terminated), may be NULL */
	size_t body_len;
	const char *params[API_MAX_PARAMS]; /* {name} captures of the pattern, in order, NUL-terminated */
	int nparams;
	const struct actor *actor;
	struct db *db;
	const char *client;     /* client address */
	const char *session_id; /* the mz_session cookie value, "" when none (logout uses it) */
	const char *csrf;       /* the session's CSRF token, "" for bearer tokens */
};

struct api_res {
	int status;           /* default 200 */
	json_t *body;         /* owned by the router after return; NULL → no body (204) */
	const char *set_cookie; /* optional Set-Cookie value (static or valid until response sent) */
	char cookie_buf[256];
	/* A file instead of JSON (bank files, exports): malloc'd bytes the router takes over, their
	 * MIME type and the download file name (UTF-8; sent as Content-Disposition attachment). */
	char *file;
	size_t file_len;
	const char *file_type;
	char file_name[128];
};

typedef int (*api_handler)(struct api_req *rq, struct api_res *rs, struct err *e);

enum api_route_flags {
	API_NO_CSRF = 1u << 0, /* e.g. login itself */
};

struct api_route {
	const char *method;   /* "GET", "POST", "PATCH", "PUT", "DELETE" */
	const char *pattern;  /* "/api/v1/persons/{id}" — {x} matches one path segment */
	api_handler fn;
	uint32_t perm;        /* enum perm bits required; PERM_PUBLIC for no login */
	uint32_t flags;
};

/* Query parameter `name` URL-decoded into buf (size n): 1 when present, 0 when absent, -1 with
 * e (400 invalid_value, field name) when it is malformed or longer than buf. */
int api_query_str(const struct api_req *rq, const char *name, char *buf, size_t n, struct err *e);
/* Integer query parameter with default and bounds; -1 with e (400 invalid_value) when malformed. */
int api_query_int(const struct api_req *rq, const char *name, long def, long min, long max,
		  long *out, struct err *e);
/* The body parsed as a JSON object (caller json_decref's), or NULL with e (400 invalid_json). */
json_t *api_body_object(const struct api_req *rq, struct err *e);
/* Path parameter i as a positive int64; -1 with e (404 not_found) when not a number. */
int api_param_id(const struct api_req *rq, int i, int64_t *out, struct err *e);

#endif
