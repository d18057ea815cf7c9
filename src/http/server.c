/* server.c — the HTTP server on h2o's evloop (libh2o-evloop, no libuv).
 *
 * One thread per core, each with its own event loop, listening socket (SO_REUSEPORT: the kernel
 * spreads connections) and SQLite connection, so requests that touch a few rows run inline on
 * the loop with no locks between threads; the few heavy ones (logins, the dashboard, the payroll
 * review, reports) go to the offload pool (offload.h). Slow and idle clients are cut off at the
 * request timeout, oversized bodies answered 413. SIGTERM/SIGINT set a flag; each loop stops
 * accepting, finishes what it has in flight, closes its database and exits.
 */
#include "http/server.h"
#include "http/assets.h"
#include "http/metrics.h"
#include "http/offload.h"
#include "http/router.h"
#include "core/clock.h"
#include "core/fault.h"
#include "db/db.h"
#include "db/migrate.h"
#include "jobs/jobs.h"

#include <h2o.h>
#include <h2o/socket/evloop.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Request bodies: up to MAX_BODY are handled (UPLOAD_MAX_BODY for a file uploaded to be
 * imported, POST /api/v1/imports/uploads); larger ones up to H2O_MAX_BODY are read and answered
 * with a JSON 413 body_too_large; beyond that h2o itself answers a plain 413 and reads no
 * further. */
#define MAX_BODY (1u << 20)
#define UPLOAD_PATH "/api/v1/imports/uploads"
#define UPLOAD_MAX_BODY (32u << 20) /* = IMPORT_UPLOAD_MAX */
#define H2O_MAX_BODY (40u << 20)

struct worker {
	h2o_context_t ctx; /* first: handlers get back to the worker from req->conn->ctx */
	h2o_accept_ctx_t accept_ctx;
	struct db *db;
	int fd;
	int access_log;
	struct metrics_worker *metrics;
	h2o_multithread_receiver_t heavy_receiver; /* jobs back from the offload pool */
	int heavy_pending;                        /* submitted, not yet back (loop thread only) */
	pthread_t thread;
	int started;
};

static h2o_globalconf_t config;
/* Set by the signal handler (main thread) and on a failed start, read by every loop: an atomic,
 * lock-free int (safe in a handler), not a plain volatile, which is a data race between threads. */
static atomic_int stopping;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store_explicit(&stopping, 1, memory_order_relaxed);
}

/* Connections taken from the backlog per wake-up. One per wake-up (as before) let a burst of
 * new clients wait a whole loop iteration each — with a thousand connections opened at once the
 * last ones waited seconds before their first request was even read; h2o's own server takes 16. */
#define ACCEPT_BATCH 64

static void on_accept(h2o_socket_t *listener, const char *err)
{
	if (err)
		return;
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		h2o_socket_t *sock = h2o_evloop_socket_accept(listener);
		if (sock == NULL)
			return;
		h2o_accept(listener->data, sock);
	}
}

static void add_header(h2o_req_t *req, const h2o_token_t *token, const char *value)
{
	h2o_add_header(&req->pool, &req->res.headers, token, NULL, value, strlen(value));
}

static void add_security_headers(h2o_req_t *req)
{
	h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-content-type-options"), 0,
			      NULL, H2O_STRLIT("nosniff"));
	h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("x-frame-options"), 0, NULL,
			      H2O_STRLIT("DENY"));
	h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("content-security-policy"), 0,
			      NULL, H2O_STRLIT("default-src 'self'; img-src 'self' data:; "
					       "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"));
	h2o_add_header_by_str(&req->pool, &req->res.headers, H2O_STRLIT("referrer-policy"), 0, NULL,
			      H2O_STRLIT("no-referrer"));
}

/* Copy a header value into the request pool as a C string, or NULL when absent. */
static const char *header_cstr(h2o_req_t *req, const h2o_token_t *token)
{
	ssize_t i = h2o_find_header(&req->headers, token, -1);
	if (i < 0)
		return NULL;
	h2o_iovec_t v = req->headers.entries[i].value;
	return h2o_strdup(&req->pool, v.base, v.len).base;
}

static const char *header_cstr_by_name(h2o_req_t *req, const char *name, size_t len)
{
	ssize_t i = h2o_find_header_by_str(&req->headers, name, len, -1);
	if (i < 0)
		return NULL;
	h2o_iovec_t v = req->headers.entries[i].value;
	return h2o_strdup(&req->pool, v.base, v.len).base;
}

static void client_addr(h2o_req_t *req, char *out, size_t n)
{
	struct sockaddr_storage ss;
	socklen_t len = req->conn->callbacks->get_peername(req->conn, (struct sockaddr *)&ss);
	out[0] = '\0';
	if (len == 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)n);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)n);
}

/* The access log line, and the request counted for /metrics under its route (metrics.h). */
static void access_log(struct worker *w, h2o_req_t *req, const char *client, const char *user,
		       int status, size_t bytes, struct timespec *t0, int route, const char *method)
{
	struct timespec t1;
	char now[32], line[1024];
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
	metrics_observe(w->metrics, route, method, status, ms / 1e3);
	if (!w->access_log)
		return;
	clock_now_iso(now);
	int n = snprintf(line, sizeof line, "%s %s %s %.*s %.*s %d %zu %.2fms\n", now, client, user,
			 (int)req->method.len, req->method.base,
			 (int)(req->path.len < 400 ? req->path.len : 400), req->path.base, status,
			 bytes, ms);
	if (n > 0)
		(void)!write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* The answer's Content-Length. h2o_send_inline leaves it unset, and then h2o 2.2's HTTP/1 chunked
 * filter closes the connection after every answer but a 200 (Connection: close, the body ended
 * by the close): each 201, 4xx or 5xx cost the client its keep-alive connection, and a client
 * reading by length saw a truncated answer. 204 and 304 have no body and take none. */
static void set_length(h2o_req_t *req, size_t len)
{
	if (req->res.status != 204 && req->res.status != 304)
		req->res.content_length = len;
}

static const char *mime_for(const char *path)
{
	const char *dot = strrchr(path, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".js") || !strcmp(dot, ".mjs"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".json"))
		return "application/json; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".ico"))
		return "image/x-icon";
	return "application/octet-stream";
}

static int serve_asset(h2o_req_t *req, const char *path)
{
	const struct asset *a = asset_find(assets, strcmp(path, "/") == 0 ? "/index.html" : path);
	if (!a)
		return -1;
	char etag[32];
	uint64_t h = 1469598103934665603ULL;
	for (long i = 0; i < a->len; i++)
		h = (h ^ a->data[i]) * 1099511628211ULL;
	snprintf(etag, sizeof etag, "\"%016llx\"", (unsigned long long)h);
	const char *inm = header_cstr(req, H2O_TOKEN_IF_NONE_MATCH);
	add_security_headers(req);
	add_header(req, H2O_TOKEN_ETAG, h2o_strdup(&req->pool, etag, SIZE_MAX).base);
	add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-cache");
	if (inm && strcmp(inm, etag) == 0) {
		req->res.status = 304;
		req->res.reason = "Not Modified";
		h2o_send_inline(req, NULL, 0);
		return 304;
	}
	req->res.status = 200;
	req->res.reason = "OK";
	add_header(req, H2O_TOKEN_CONTENT_TYPE, mime_for(a->path));
	set_length(req, (size_t)a->len);
	h2o_send_inline(req, (const char *)a->data, (size_t)a->len);
	return 200;
}

static void send_typed(h2o_req_t *req, int status, const char *type, const char *body, size_t len)
{
	req->res.status = status;
	req->res.reason = status < 300 ? "OK" : status < 500 ? "Client Error" : "Server Error";
	add_security_headers(req);
	add_header(req, H2O_TOKEN_CACHE_CONTROL, "no-store");
	if (body) {
		add_header(req, H2O_TOKEN_CONTENT_TYPE, type);
		set_length(req, len);
		h2o_send_inline(req, body, len);
	} else {
		set_length(req, 0);
		h2o_send_inline(req, NULL, 0);
	}
}

static void send_json(h2o_req_t *req, int status, const char *body, size_t len)
{
	send_typed(req, status, "application/json; charset=utf-8", body, len);
}

/* Headers, the access log line and the answer of an API request the router has handled. */
static void api_respond(struct worker *w, h2o_req_t *req, const char *client, struct timespec *t0,
			const char *method, const char *path, const struct http_out *out)
{
	if (out->set_cookie[0])
		add_header(req, H2O_TOKEN_SET_COOKIE,
			   h2o_strdup(&req->pool, out->set_cookie, SIZE_MAX).base);
	if (out->disposition[0])
		add_header(req, H2O_TOKEN_CONTENT_DISPOSITION,
			   h2o_strdup(&req->pool, out->disposition, SIZE_MAX).base);
	/* Logged and counted before the answer leaves: a client that has it sees it counted. */
	access_log(w, req, client, out->user, out->status, out->body_len, t0,
		   metrics_route(method, path), method);
	send_typed(req, out->status,
		   out->content_type ? out->content_type : "application/json; charset=utf-8",
		   out->body, out->body_len); /* h2o_send_inline copies the body */
}

/* ---- requests run on the offload pool (offload.h) ----
 * Logins (argon2id: tens of milliseconds of CPU and 64 MiB), the dashboard (its first answer
 * after a write: hundreds of milliseconds city-wide), the payroll review (a run's changes against
 * the month before) and the reports leave the loop, which goes on serving its other
 * connections; the kernel shares the cores between the loops and the pool. The job keeps copies
 * of everything the router reads; h2o's request is only touched on the loop. If the request is
 * disposed first (the server stopping), the link in its pool tells the job (both on the loop
 * thread) that there is no one left to answer. */
struct heavy_link {
	struct heavy_job *job; /* NULL once the job has answered */
};

struct heavy_job {
	struct offload_job job; /* first */
	h2o_req_t *req;         /* NULL once the client has gone */
	struct heavy_link *link;
	struct timespec t0;
};

static int is_heavy(const char *method, const char *path)
{
	if (strcmp(method, "POST") == 0)
		return strcmp(path, "/api/v1/session") == 0;
	return strcmp(method, "GET") == 0 &&
	       (strcmp(path, "/api/v1/dashboard") == 0 ||
		strncmp(path, "/api/v1/payroll/runs", 20) == 0 ||
		strncmp(path, "/api/v1/reports/", 16) == 0);
}

static void heavy_link_dispose(void *p)
{
	struct heavy_link *l = p;
	if (l->job)
		l->job->req = NULL;
}

static int heavy_submit(struct worker *w, h2o_req_t *req, const struct http_in *in,
			const struct timespec *t0)
{
	struct heavy_job *h =
	    (struct heavy_job *)offload_job_new(sizeof *h, in, &w->heavy_receiver);
	if (!h)
		return -1;
	h->req = req;
	h->t0 = *t0;
	h->link = h2o_mem_alloc_shared(&req->pool, sizeof *h->link, heavy_link_dispose);
	h->link->job = h;
	if (offload_submit(&h->job) < 0) {
		h->link->job = NULL;
		offload_job_free(&h->job);
		return -1;
	}
	w->heavy_pending++;
	return 0;
}

/* On the loop: the pool's finished jobs. */
static void on_heavy_done(h2o_multithread_receiver_t *receiver, h2o_linklist_t *messages)
{
	struct worker *w = (struct worker *)((char *)receiver - offsetof(struct worker, heavy_receiver));
	while (!h2o_linklist_is_empty(messages)) {
		struct offload_job *j = H2O_STRUCT_FROM_MEMBER(struct offload_job, msg.link, messages->next);
		h2o_linklist_unlink(&j->msg.link);
		struct heavy_job *h = (struct heavy_job *)j;
		w->heavy_pending--;
		if (h->req) {
			h->link->job = NULL;
			api_respond(w, h->req, j->in.client ? j->in.client : "", &h->t0, j->in.method,
				    j->in.path, &j->out);
		}
		offload_job_free(j);
	}
}

static int on_req(h2o_handler_t *self, h2o_req_t *req)
{
	struct worker *w = (struct worker *)req->conn->ctx;
	struct timespec t0;
	char client[64];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	client_addr(req, client, sizeof client);

	/* path without query, as a C string */
	size_t plen = req->query_at != SIZE_MAX ? req->query_at : req->path.len;
	char *path = h2o_mem_alloc_pool(&req->pool, plen + 1);
	memcpy(path, req->path.base, plen);
	path[plen] = '\0';
	const char *query = "";
	if (req->query_at != SIZE_MAX)
		query = h2o_strdup(&req->pool, req->path.base + req->query_at + 1,
				   req->path.len - req->query_at - 1).base;
	char *method = h2o_strdup(&req->pool, req->method.base, req->method.len).base;

	if (strcmp(path, "/healthz") == 0) {
		int ok = db_query_int(w->db, "SELECT count(*) FROM schema_version", NULL) > 0;
		const char *body = ok ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}";
		access_log(w, req, client, "-", ok ? 200 : 503, strlen(body), &t0, METRICS_HEALTHZ,
			   method);
		send_json(req, ok ? 200 : 503, body, strlen(body));
		return 0;
	}
	if (strcmp(path, "/metrics") == 0) { /* no login: the proxy keeps it to the monitoring net */
		size_t len = 0;
		char *body = metrics_render(w->db, &len);
		access_log(w, req, client, "-", body ? 200 : 503, len, &t0, METRICS_METRICS, method);
		send_typed(req, body ? 200 : 503, "text/plain; version=0.0.4; charset=utf-8",
			   body ? body : "", len); /* h2o_send_inline copies it */
		free(body);
		return 0;
	}
	size_t max_body = strcmp(path, UPLOAD_PATH) == 0 ? UPLOAD_MAX_BODY : MAX_BODY;
	if (strncmp(path, "/api/", 5) == 0 && req->entity.base && req->entity.len > max_body) {
		const char *tl = max_body == MAX_BODY
				     ? "{\"error\":{\"code\":\"body_too_large\",\"message\":"
				       "\"请求体过大（上限 1 MiB）\"}}"
				     : "{\"error\":{\"code\":\"body_too_large\",\"message\":"
				       "\"文件过大（上限 32 MiB）\"}}";
		access_log(w, req, client, "-", 413, strlen(tl), &t0, metrics_route(method, path),
			   method);
		send_json(req, 413, tl, strlen(tl));
		return 0;
	}
	if (strncmp(path, "/api/", 5) == 0) {
		struct http_in in = {
			.method = method,
			.path = path,
			.query = query,
			.body = req->entity.base,
			.body_len = req->entity.base ? req->entity.len : 0,
			.cookie = header_cstr(req, H2O_TOKEN_COOKIE),
			.csrf_header = header_cstr_by_name(req, H2O_STRLIT("x-csrf-token")),
			.authorization = header_cstr(req, H2O_TOKEN_AUTHORIZATION),
			.export_passphrase = header_cstr_by_name(req, H2O_STRLIT("x-export-passphrase")),
			.client = client,
		};
		if (is_heavy(method, path)) {
			if (heavy_submit(w, req, &in, &t0) == 0)
				return 0; /* answered by on_heavy_done */
			const char *busy = "{\"error\":{\"code\":\"busy\",\"message\":"
					   "\"服务器繁忙，请稍后重试\"}}";
			access_log(w, req, client, "-", 503, strlen(busy), &t0,
				   metrics_route(method, path), method);
			send_json(req, 503, busy, strlen(busy));
			return 0;
		}
		struct http_out out;
		router_handle(w->db, &in, &out);
		api_respond(w, req, client, &t0, method, path, &out);
		free(out.body);
		return 0;
	}
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) {
		int status = serve_asset(req, path);
		if (status > 0) {
			access_log(w, req, client, "-", status, 0, &t0, METRICS_STATIC, method);
			return 0;
		}
	}
	const char *nf = "{\"error\":{\"code\":\"not_found\",\"message\":\"页面不存在\"}}";
	access_log(w, req, client, "-", 404, strlen(nf), &t0, METRICS_OTHER, method);
	send_json(req, 404, nf, strlen(nf));
	return 0;
}

/* One descriptor per connection: lift the soft limit on open files to the hard one, so a
 * thousand or more concurrent clients are not refused by accept() (EMFILE). */
static void raise_nofile_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			fprintf(stderr, "minzheng: 警告：无法提高打开文件数上限：%s\n", strerror(errno));
	}
}

static int open_listener(const char *host, int port)
{
	struct sockaddr_in addr;
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
		fprintf(stderr, "错误：无效的监听地址 %s\n", host);
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1;
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, SOMAXCONN) != 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK) != 0) {
		fprintf(stderr, "错误：无法监听 %s:%d：%s\n", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	h2o_context_init(&w->ctx, h2o_evloop_create(), &config);
	h2o_multithread_register_receiver(w->ctx.queue, &w->heavy_receiver, on_heavy_done);
	w->accept_ctx.ctx = &w->ctx;
	w->accept_ctx.hosts = config.hosts;
	h2o_socket_t *listener = h2o_evloop_socket_create(w->ctx.loop, w->fd, H2O_SOCKET_FLAG_DONT_READ);
	listener->data = &w->accept_ctx;
	h2o_socket_read_start(listener, on_accept);
	while (!atomic_load_explicit(&stopping, memory_order_relaxed))
		h2o_evloop_run(w->ctx.loop, 200);
	/* Stop accepting; give in-flight responses a moment to be written out. */
	h2o_socket_read_stop(listener);
	h2o_socket_close(listener);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do { /* at least a second; up to ten while the offload pool still has jobs of ours */
		h2o_evloop_run(w->ctx.loop, 50);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (t1.tv_sec - t0.tv_sec < 1 || (w->heavy_pending > 0 && t1.tv_sec - t0.tv_sec < 10));
	/* The context is not disposed: h2o 2.2 asserts that no keep-alive connection is still
	 * open, and the process is about to exit anyway. */
	return NULL;
}

int server_run(const struct server_options *o)
{
	struct err e;
	int threads = o->threads > 0 ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (threads < 1)
		threads = 1;
	if (threads > 64)
		threads = 64;

	/* Migrate once, before any worker opens its own connection. */
	struct db *db0;
	if (db_open(&db0, o->db_path, &e) < 0 || db_migrate(db0, &e) < 0) {
		fprintf(stderr, "错误：%s\n", e.message);
		return -1;
	}
	db_close(db0);

	raise_nofile_limit();
	h2o_config_init(&config);
	config.max_request_entity_size = H2O_MAX_BODY;
	/* A slow client (headers or a body trickled byte by byte, an idle keep-alive connection) is
	 * cut off when its request is not in within the request timeout: h2o arms it when it starts
	 * waiting for a request and only disarms it once the whole request (body included) is in.
	 * The loops never block on a socket, so such clients cost a connection, never a thread. */
	uint64_t req_ms = o->request_timeout_ms > 0 ? (uint64_t)o->request_timeout_ms
						     : SERVER_REQUEST_TIMEOUT_MS;
	config.http1.req_timeout = req_ms;
	config.http2.idle_timeout = req_ms;
	h2o_hostconf_t *host = h2o_config_register_host(&config, h2o_iovec_init(H2O_STRLIT("default")), 65535);
	h2o_pathconf_t *pathconf = h2o_config_register_path(host, "/", 0);
	h2o_handler_t *handler = h2o_create_handler(pathconf, sizeof *handler);
	handler->on_req = on_req;

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct worker *workers = calloc((size_t)threads, sizeof *workers);
	int rc = 0;
	if (!workers || metrics_init(threads, threads, 1) < 0) {
		fprintf(stderr, "错误：内存不足\n");
		free(workers);
		return -1;
	}
	for (int i = 0; i < threads; i++) {
		workers[i].metrics = metrics_worker(i);
		workers[i].access_log = o->access_log;
		workers[i].fd = open_listener(o->host, o->port);
		if (workers[i].fd < 0 || db_open(&workers[i].db, o->db_path, &e) < 0) {
			if (workers[i].fd >= 0)
				fprintf(stderr, "错误：%s\n", e.message);
			rc = -1;
			atomic_store(&stopping, 1);
			break;
		}
	}
	if (rc == 0 && offload_start(o->db_path, threads, &e) < 0) {
		fprintf(stderr, "错误：%s\n", e.message);
		rc = -1;
		atomic_store(&stopping, 1);
	}
	if (rc == 0 && jobs_runner_start(o->db_path, &e) < 0) {
		fprintf(stderr, "错误：%s\n", e.message);
		rc = -1;
		atomic_store(&stopping, 1);
	}
	if (rc == 0) {
		/* Said before the loops start: the sockets already listen (connections wait in the
		 * backlog), and a client that got an answer must find the line already written. */
		fprintf(stderr, "minzheng: 服务已启动 http://%s:%d/（%d 个线程）\n", o->host, o->port,
			threads);
		for (int i = 0; i < threads; i++) {
			if (pthread_create(&workers[i].thread, NULL, worker_main, &workers[i]) != 0) {
				fprintf(stderr, "错误：无法启动工作线程\n");
				atomic_store(&stopping, 1);
				rc = -1;
				break;
			}
			workers[i].started = 1;
		}
		if (rc == 0)
			fault_ready(); /* tests only: faults that wait for the server to be up */
	}
	for (int i = 0; i < threads; i++) {
		if (workers[i].started)
			pthread_join(workers[i].thread, NULL);
		else if (workers[i].fd >= 0)
			close(workers[i].fd);
		db_close(workers[i].db);
	}
	offload_stop(); /* after the loops: they no longer submit */
	free(workers);
	jobs_runner_stop(); /* after the loops: a running job finishes first */
	metrics_free();
	if (rc == 0)
		fprintf(stderr, "minzheng: 已停止\n");
	return rc;
}
