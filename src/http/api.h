/* api.h — what a module's HTTP handlers see: the request, the response, the route table entry.
 *
 * Each module exports one const route table (struct api_route[] ending with {0}). The router
 * (http/router.c) matches method + pattern, checks authentication, the route's permission and
 * CSRF before the handler runs, and hands the handler a request with the actor and the loop's
 * db connection. A handler parses input, calls domain functions, and sets rs->status and
 * rs->body (a jansson value it hands over; the router frees it), or returns -1 with e filled —
 * the router turns e into {"error":{code,message,field}}. Handlers never write bytes themselves.
 *
 * Below the route table: the helpers every handler shares (api_util.c) for reading the query,
 * path parameters and JSON body members with the same error codes and messages everywhere, and
 * for setting the reply.
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
	const char *export_passphrase; /* X-Export-Passphrase (export/export_api.c), or NULL */
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
/* 1 when query parameter `name` is "1" or "true"; 0 when absent, anything else, or malformed
 * (e.g. ?unmask=1). */
int api_query_flag(const struct api_req *rq, const char *name);

/* Members of a JSON body object. Each returns 0 when the member is absent or null (out left
 * as it was unless said otherwise), 1 when present and valid, and -1 with e (400 invalid_value,
 * field = name, a Chinese message) when it has the wrong type or is out of range. */

/* A string copied into buf (size n); -1 "过长" when it does not fit. */
int api_json_str(const json_t *o, const char *name, char *buf, size_t n, struct err *e);
/* A string borrowed from o (valid while o lives) into *out; *out is set to `absent` first, so it
 * holds `absent` unless the member is a string. */
int api_json_str_ref(const json_t *o, const char *name, const char **out, const char *absent,
		     struct err *e);
/* An integer in [min, max]. */
int api_json_int(const json_t *o, const char *name, int64_t min, int64_t max, int64_t *out,
		 struct err *e);
/* A positive integer (a record id). */
int api_json_id(const json_t *o, const char *name, int64_t *out, struct err *e);
/* true or false, as 1 or 0. */
int api_json_bool(const json_t *o, const char *name, int *out, struct err *e);

/* JSON out: s as a string, or null when s is NULL or "". The caller owns the value. */
json_t *api_json_opt_str(const char *s);
/* JSON out: id as an integer, or null when it is 0 (none) or negative. */
json_t *api_json_opt_id(int64_t id);
/* Hand body to the router with status and return 0; when body is NULL (building it ran out of
 * memory) return -1 with e (500 internal). */
int api_reply(struct api_res *rs, int status, json_t *body, struct err *e);

#endif
