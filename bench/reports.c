/* reports.c — the load generator of bench/reports.sh: a burst of N daily reports, one per
 * institution, each POSTed with that institution's reporter's bearer token, over C keep-alive
 * connections from one thread (poll), as fast as the server answers. Every answer must be
 * 201 Created (else it fails); it prints the wall time, throughput and latency percentiles.
 *
 * Why not wrk: wrk runs for a duration, not a count, and a burst is exactly N distinct requests
 * (a second report for the same institution and day is a 409, not a benchmark of filing).
 *
 * Connections: keep-alive when the server keeps them; the server closes HTTP/1.1 connections after
 * a request with a body (h2o 2.2), so in practice each report opens its own connection — as each
 * institution's phone would — and the connection's set-up is part of that request's latency.
 *
 * Usage: reports HOST PORT LIST DATE CONNS
 *   LIST: lines "INSTITUTION_ID TOKEN"; DATE: the report date (YYYY-MM-DD).
 * Output (one line, for reports.sh): RESULT n=… seconds=… rps=… p50_ms=… p90_ms=… p99_ms=… max_ms=…
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct job {
	long id;
	char token[80];
};

struct conn {
	int fd;
	char req[1024];
	size_t req_len, sent;
	char buf[8192];
	size_t got;
	long job;       /* index being served, -1 idle */
	double started;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int dial(const char *host, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		close(fd);
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	return fd;
}

static void build(struct conn *c, const struct job *j, const char *host, int port, const char *date)
{
	char body[128];
	int bl = snprintf(body, sizeof body, "{\"report_date\":\"%s\",\"kind\":\"zero\"}", date);
	c->req_len = (size_t)snprintf(c->req, sizeof c->req,
				      "POST /api/v1/institutions/%ld/reports HTTP/1.1\r\n"
				      "Host: %s:%d\r\nAuthorization: Bearer %s\r\n"
				      "Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
				      j->id, host, port, j->token, bl, body);
	c->sent = 0;
	c->got = 0;
}

/* Is the response in c->buf complete? 1 yes (status into *status, *keep = the server keeps the
 * connection), 0 not yet, -1 malformed. closed: the server has closed the connection (a body
 * without length ends there). Bodies come with Content-Length or chunked. */
static int complete(const struct conn *c, int closed, int *status, int *keep)
{
	const char *end = memmem(c->buf, c->got, "\r\n\r\n", 4);
	if (!end)
		return closed ? -1 : 0;
	size_t head = (size_t)(end - c->buf) + 4;
	if (c->got < 12 || strncmp(c->buf, "HTTP/1.1 ", 9) != 0)
		return -1;
	*status = atoi(c->buf + 9);
	long len = -1;
	int chunked = 0;
	*keep = 1;
	for (const char *p = c->buf; p < end; p++) {
		if (p != c->buf && p[-1] != '\n')
			continue;
		if (strncasecmp(p, "content-length:", 15) == 0)
			len = atol(p + 15);
		else if (strncasecmp(p, "transfer-encoding:", 18) == 0 && memmem(p, (size_t)(end - p), "chunked", 7))
			chunked = 1;
		else if (strncasecmp(p, "connection:", 11) == 0 && strncasecmp(p + 11, " close", 6) == 0)
			*keep = 0;
	}
	if (len >= 0)
		return c->got >= head + (size_t)len;
	if (chunked) /* the last chunk: "0\r\n\r\n" right after the head or after a chunk's CRLF */
		return (c->got >= head + 5 && memcmp(c->buf + head, "0\r\n\r\n", 5) == 0) ||
		       memmem(c->buf + head, c->got - head, "\r\n0\r\n\r\n", 7) != NULL;
	*keep = 0;
	return closed; /* the body runs to the end of the connection */
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: reports HOST PORT LIST DATE CONNS\n");
		return 2;
	}
	const char *host = argv[1], *date = argv[4];
	int port = atoi(argv[2]), nconn = atoi(argv[5]);
	FILE *f = fopen(argv[3], "r");
	if (!f) {
		perror(argv[3]);
		return 1;
	}
	size_t cap = 1024, n = 0;
	struct job *jobs = malloc(cap * sizeof *jobs);
	char line[256];
	while (jobs && fgets(line, sizeof line, f)) {
		if (n == cap) {
			struct job *more = realloc(jobs, 2 * cap * sizeof *jobs);
			if (!more)
				break;
			jobs = more;
			cap *= 2;
		}
		if (sscanf(line, "%ld %79s", &jobs[n].id, jobs[n].token) == 2)
			n++;
	}
	fclose(f);
	if (!jobs || n == 0) {
		fprintf(stderr, "reports: no jobs in %s\n", argv[3]);
		return 1;
	}
	if (nconn < 1)
		nconn = 1;
	if ((size_t)nconn > n)
		nconn = (int)n;
	struct conn *cs = calloc((size_t)nconn, sizeof *cs);
	struct pollfd *pf = calloc((size_t)nconn, sizeof *pf);
	double *lat = calloc(n, sizeof *lat);
	if (!cs || !pf || !lat)
		return 1;
	size_t next = 0, done = 0, bad = 0, reconnects = 0;
	double t0 = now();
	for (int i = 0; i < nconn; i++) {
		cs[i].fd = dial(host, port);
		if (cs[i].fd < 0) {
			fprintf(stderr, "reports: connect %s:%d: %s\n", host, port, strerror(errno));
			return 1;
		}
		cs[i].job = (long)next;
		build(&cs[i], &jobs[next++], host, port, date);
		cs[i].started = now();
	}
	while (done < n) {
		for (int i = 0; i < nconn; i++) {
			pf[i].fd = cs[i].job < 0 ? -1 : cs[i].fd;
			pf[i].events = cs[i].sent < cs[i].req_len ? POLLOUT : POLLIN;
			pf[i].revents = 0;
		}
		if (poll(pf, (nfds_t)nconn, 10000) <= 0) {
			fprintf(stderr, "reports: no answer within 10 s (%zu of %zu done)\n", done, n);
			return 1;
		}
		for (int i = 0; i < nconn; i++) {
			struct conn *c = &cs[i];
			if (c->job < 0 || !pf[i].revents)
				continue;
			if (c->sent < c->req_len) {
				ssize_t w = send(c->fd, c->req + c->sent, c->req_len - c->sent, MSG_NOSIGNAL);
				if (w < 0) {
					fprintf(stderr, "reports: send: %s\n", strerror(errno));
					return 1;
				}
				c->sent += (size_t)w;
				continue;
			}
			ssize_t r = recv(c->fd, c->buf + c->got, sizeof c->buf - c->got - 1, 0);
			if (r < 0) {
				fprintf(stderr, "reports: recv: %s\n", strerror(errno));
				return 1;
			}
			c->got += (size_t)r;
			int status = 0, keep = 1;
			int ok = complete(c, r == 0, &status, &keep);
			if (ok < 0) {
				fprintf(stderr, "reports: malformed or cut answer (%zu done)\n", done);
				return 1;
			}
			if (ok == 0)
				continue;
			lat[done++] = now() - c->started;
			if (status != 201 && bad++ < 3) {
				c->buf[c->got] = '\0';
				fprintf(stderr, "reports: institution %ld answered %d: %.300s\n",
					jobs[c->job].id, status, c->buf);
			}
			if (next < n) {
				c->job = (long)next;
				c->started = now(); /* a new connection's set-up counts in its request */
				if (!keep || r == 0) {
					close(c->fd);
					c->fd = dial(host, port);
					if (c->fd < 0) {
						fprintf(stderr, "reports: connect: %s\n", strerror(errno));
						return 1;
					}
					reconnects++;
				}
				build(c, &jobs[next++], host, port, date);
			} else {
				c->job = -1;
			}
		}
	}
	double secs = now() - t0;
	for (int i = 0; i < nconn; i++)
		close(cs[i].fd);
	qsort(lat, n, sizeof *lat, cmp_double);
#define PCT(p) (lat[(size_t)((double)(n - 1) * (p))] * 1000.0)
	printf("RESULT n=%zu bad=%zu connections=%zu seconds=%.3f rps=%.0f p50_ms=%.2f p90_ms=%.2f "
	       "p99_ms=%.2f max_ms=%.2f\n",
	       n, bad, (size_t)nconn + reconnects, secs, (double)n / secs, PCT(0.50), PCT(0.90), PCT(0.99), lat[n - 1] * 1000.0);
	free(jobs);
	free(cs);
	free(pf);
	free(lat);
	return bad ? 1 : 0;
}
