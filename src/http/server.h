/* server.h — `minzheng serve`: h2o event loops, one per core, each with its own SO_REUSEPORT
 * listener and its own database connection; static UI assets; /healthz; /api/v1 via router. */
#ifndef MZ_SERVER_H
#define MZ_SERVER_H

struct server_options {
	const char *db_path;
	const char *host;     /* "127.0.0.1" */
	int port;             /* 8080 */
	int threads;          /* 0 = number of cores */
	int access_log;       /* 1 = one line per request to stderr */
	int request_timeout_ms; /* a request (headers and body) must be in within it; 0 = default */
};

/* The default request timeout (serve --request-timeout, in seconds there). */
#define SERVER_REQUEST_TIMEOUT_MS 10000

/* Runs until SIGTERM/SIGINT; returns 0 after a clean stop, -1 when it could not start. */
int server_run(const struct server_options *o);

#endif
