/* router.c — dispatching /api/v1 requests to the modules' route tables (see router.h).
 *
 * The order of checks is fixed here so that no handler can forget one: match the route, then
 * authenticate, then the permission, then CSRF for cookie-authenticated writes, and only then the
 * handler. Out-of-scope records are the domain's business (it answers 404).
 */
#include "http/router.h"
#include "http/api.h"
#include "http/routes.h"
#include "accounts/accounts.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Match pattern ("/api/v1/persons/{id}") against path; captures into rq->params. */
static int pattern_match(const char *pattern, const char *path, struct api_req *rq,
			 char caps[API_MAX_PARAMS][128])
{
	int n = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *end = strchr(p, '}');
			if (!end || n >= API_MAX_PARAMS)
				return 0;
			size_t len = strcspn(s, "/");
			if (len == 0 || len >= 128)
				return 0;
			memcpy(caps[n], s, len);
			caps[n][len] = '\0';
			rq->params[n] = caps[n];
			n++;
			p = end + 1;
			s += len;
		} else if (*p == *s) {
			p++;
			s++;
		} else {
			return 0;
		}
	}
	if (*p || *s)
		return 0;
	rq->nparams = n;
	return 1;
}

/* The value of cookie `name` in a Cookie header into out; 0 when found. */
static int cookie_value(const char *header, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *c = header;
	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		if (strncmp(c, name, nl) == 0 && c[nl] == '=') {
			const char *v = c + nl + 1;
			size_t len = strcspn(v, ";");
			if (len >= n)
				return -1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
		c = strchr(c, ';');
	}
	return -1;
}

/* JSON text of j into a malloc'd buffer (the caller frees), or NULL when memory ran out.
 * Not json_dumps: jansson 2.14 does not check every write of its dump (an object's key), so a
 * failed allocation there yields text with a key missing — broken JSON sent with a 2xx. Here the
 * buffer is ours and a failed write is remembered. */
struct dump_buf {
	char *p;
	size_t len, cap;
	int failed;
};

static int dump_cb(const char *buf, size_t n, void *ctx)
{
	struct dump_buf *d = ctx;
	if (d->failed)
		return -1;
	if (d->len + n + 1 > d->cap) {
		size_t cap = d->cap ? d->cap : 1024;
		while (cap < d->len + n + 1)
			cap *= 2;
		char *p = realloc(d->p, cap);
		if (!p) {
			d->failed = 1;
			return -1;
		}
		d->p = p;
		d->cap = cap;
	}
	memcpy(d->p + d->len, buf, n);
	d->len += n;
	d->p[d->len] = '\0';
	return 0;
}

static char *dump_json(const json_t *j)
{
	struct dump_buf d = {0};
	if (json_dump_callback(j, dump_cb, &d, JSON_COMPACT) < 0 || d.failed || !d.p) {
		free(d.p);
		return NULL;
	}
	return d.p;
}

static void out_error(struct http_out *out, const struct err *e)
{
	json_t *err = json_pack("{s:s,s:s}", "code", e->code, "message", e->message);
	if (e->field[0])
		json_object_set_new(err, "field", json_string(e->field));
	json_t *body = json_pack("{s:o}", "error", err);
	out->status = e->status ? e->status : 500;
	out->body = body ? dump_json(body) : NULL;
	/* A message jansson refused (not UTF-8), or no memory to build the body: the code still
	 * reaches the client. */
	if (!out->body && out->status == 503 && !strcmp(e->code, "out_of_memory"))
		out->body = strdup("{\"error\":{\"code\":\"out_of_memory\",\"message\":\"服务器内存不足，请稍后重试\"}}");
	else if (!out->body)
		out->body = strdup(out->status < 500
					   ? "{\"error\":{\"code\":\"invalid_value\",\"message\":\"请求内容无效\"}}"
					   : "{\"error\":{\"code\":\"internal\",\"message\":\"服务器内部错误\"}}");
	out->body_len = out->body ? strlen(out->body) : 0;
	json_decref(body);
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static int authenticate(struct db *db, const struct http_in *in, struct actor *actor,
			char session[ACCOUNTS_TOKEN_HEX], char csrf[ACCOUNTS_TOKEN_HEX],
			int *by_cookie, int *stale, struct err *e)
{
	*by_cookie = 0;
	if (in->authorization && strncmp(in->authorization, "Bearer ", 7) == 0)
		return accounts_token_actor(db, in->authorization + 7, actor, e);
	if (in->cookie && cookie_value(in->cookie, "mz_session", session, ACCOUNTS_TOKEN_HEX) == 0) {
		*by_cookie = 1;
		return accounts_session_actor(db, session, actor, csrf, stale, e);
	}
	return err_set(e, 401, "unauthenticated", NULL, "请先登录");
}

void router_handle(struct db *db, const struct http_in *in, struct http_out *out)
{
	struct err e;
	struct api_req rq;
	struct api_res rs;
	struct actor actor;
	char caps[API_MAX_PARAMS][128];
	char session[ACCOUNTS_TOKEN_HEX] = "", csrf[ACCOUNTS_TOKEN_HEX] = "";
	const struct api_route *route = NULL;
	int path_known = 0;

	memset(out, 0, sizeof *out);
	snprintf(out->user, sizeof out->user, "-");
	err_clear(&e);
	memset(&rq, 0, sizeof rq);
	memset(&rs, 0, sizeof rs);
	memset(&actor, 0, sizeof actor);

	for (const struct api_route *const *table = routes_all; *table && !route; table++) {
		for (const struct api_route *r = *table; r->method; r++) {
			if (!pattern_match(r->pattern, in->path, &rq, caps))
				continue;
			path_known = 1;
			if (strcmp(r->method, in->method) == 0) {
				route = r;
				break;
			}
		}
	}
	if (!route) {
		if (path_known)
			err_set(&e, 405, "method_not_allowed", NULL, "不支持的请求方法：%s", in->method);
		else
			err_set(&e, 404, "not_found", NULL, "接口不存在：%s", in->path);
		out_error(out, &e);
		return;
	}

	snprintf(actor.client, sizeof actor.client, "%s", in->client ? in->client : "");
	/* A GET reads from one snapshot, authentication included: one transaction per request
	 * instead of one per statement (measured: the largest single cost of a small GET). A handler
	 * that must write (an audited unmask) takes the write lock, which ends this read. */
	int reading = !is_write(in->method) && db_begin_read(db, &e) == 0;
	int stale = 0;
	if (route->perm != PERM_PUBLIC) {
		int by_cookie;
		if (authenticate(db, in, &actor, session, csrf, &by_cookie, &stale, &e) < 0)
			goto refuse;
		snprintf(actor.client, sizeof actor.client, "%s", in->client ? in->client : "");
		snprintf(out->user, sizeof out->user, "%s", actor.username);
		if (!actor_can(&actor, route->perm)) {
			err_set(&e, 403, "forbidden", NULL, "您的角色（%s）无权进行此操作",
				roles_label(actor.role));
			goto refuse;
		}
		if (by_cookie && is_write(in->method) && !(route->flags & API_NO_CSRF)) {
			size_t n = strlen(csrf);
			if (!in->csrf_header || strlen(in->csrf_header) != n || n == 0 ||
			    sodium_memcmp(in->csrf_header, csrf, n) != 0) {
				err_set(&e, 403, "csrf_failed", NULL,
					"请求缺少有效的 X-CSRF-Token，请刷新页面后重试");
				goto refuse;
			}
		}
	} else if (in->cookie) {
		/* Public routes (login) still see who is logged in, if anyone. */
		cookie_value(in->cookie, "mz_session", session, ACCOUNTS_TOKEN_HEX);
	}

	rq.method = in->method;
	rq.path = in->path;
	rq.query = in->query ? in->query : "";
	rq.body = in->body;
	rq.body_len = in->body_len;
	rq.actor = &actor;
	rq.db = db;
	rq.client = in->client ? in->client : "";
	rq.session_id = session;
	rq.csrf = csrf;
	rq.export_passphrase = in->export_passphrase;
	rs.status = 200;

	int hrc = route->fn(&rq, &rs, &e);
	if (db_in_transaction(db))
		db_rollback(db); /* the GET's read, or a transaction a handler failed to close */
	if (stale) {
		struct err ignore; /* extending the idle expiry is best effort */
		accounts_session_touch(db, session, &ignore);
	}
	if (hrc < 0) {
		json_decref(rs.body);
		free(rs.file);
		out_error(out, &e);
		return;
	}
	out->status = rs.status;
	if (rs.file) {
		json_decref(rs.body);
		rs.body = NULL;
		out->body = rs.file;
		out->body_len = rs.file_len;
		out->content_type = rs.file_type ? rs.file_type : "application/octet-stream";
		/* RFC 6266/5987: an ASCII fallback plus the UTF-8 name, percent-encoded. */
		char enc[sizeof out->disposition];
		size_t o = 0;
		for (const unsigned char *c = (const unsigned char *)rs.file_name; *c && o + 4 < sizeof enc; c++) {
			if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			    *c == '.' || *c == '-' || *c == '_')
				enc[o++] = (char)*c;
			else
				o += (size_t)snprintf(enc + o, sizeof enc - o, "%%%02X", *c);
		}
		enc[o] = '\0';
		snprintf(out->disposition, sizeof out->disposition,
			 "attachment; filename=\"download\"; filename*=UTF-8''%s", enc);
	}
	if (rs.body) {
		out->body = dump_json(rs.body);
		out->body_len = out->body ? strlen(out->body) : 0;
		json_decref(rs.body);
		if (!out->body) { /* out of memory writing the answer: say so rather than send nothing */
			err_set(&e, 503, "out_of_memory", NULL, "服务器内存不足，未能生成应答，请稍后重试");
			out_error(out, &e);
			return;
		}
	}
	if (rs.set_cookie)
		snprintf(out->set_cookie, sizeof out->set_cookie, "%s", rs.set_cookie);
	if (out->user[0] == '-' && actor.username[0])
		snprintf(out->user, sizeof out->user, "%s", actor.username);
	return;
refuse:
	if (reading && db_in_transaction(db))
		db_rollback(db);
	out_error(out, &e);
}

void router_each_route(void (*fn)(const char *method, const char *pattern, void *ctx), void *ctx)
{
	for (const struct api_route *const *table = routes_all; *table; table++)
		for (const struct api_route *r = *table; r->method; r++)
			fn(r->method, r->pattern, ctx);
}
