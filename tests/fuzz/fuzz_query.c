/* fuzz_query.c — libFuzzer target: arbitrary bytes as the query string of a request (the part
 * after '?', as the server hands it to the router), read with api_query_str, api_query_int and
 * api_query_flag as handlers do; the text up to the first '/' or '&' as a path parameter for
 * api_param_id; and the whole input as a path for metrics_route (the server's route lookup).
 * Invariants: api_query_str answers 1, 0 or -1; a value it returns fits the buffer (NUL inside
 * it); -1 is 400 invalid_value naming the parameter; api_query_int's value lies in [min, max]
 * or is the default; api_param_id gives a positive id or 404. No read past the string (ASan). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/api.h"
#include "http/metrics.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_query: invariant broken: %s\n", what);
		abort();
	}
}

static const char *const names[] = {"q", "region", "page", "limit", "from", "to", "status",
				    "month", "year", "unmask", "kind", "n", "", "a=b"};

static void query_str(const struct api_req *rq, const char *name, size_t n)
{
	char buf[300];
	struct err e;
	err_clear(&e);
	memset(buf, 'Z', sizeof buf);
	int rc = api_query_str(rq, name, buf, n, &e);
	require(rc >= -1 && rc <= 1, "api_query_str result");
	if (rc == 1)
		require(memchr(buf, '\0', n) != NULL, "value fits the buffer");
	if (rc == -1)
		require(e.status == 400 && strcmp(e.code, "invalid_value") == 0 &&
			strcmp(e.field, name) == 0, "api_query_str error");
	require(buf[n] == 'Z' || n >= sizeof buf, "nothing written past the buffer");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int metrics_ready;
	if (!metrics_ready) { /* the route table metrics_route searches; kept for the process */
		if (metrics_init(1, 1, 1) < 0)
			abort();
		metrics_ready = 1;
	}
	char *z = malloc(size + 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';

	struct api_req rq;
	memset(&rq, 0, sizeof rq);
	rq.method = "GET";
	rq.path = "/api/v1/fuzz";
	rq.query = z;

	static const size_t sizes[] = {1, 2, 8, 32, 64, 256};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
			query_str(&rq, names[i], sizes[s]);

	/* A name taken from the input itself: the text before the first '=' (at most 31 bytes). */
	char own[32];
	size_t nl = strcspn(z, "=&");
	if (nl >= sizeof own)
		nl = sizeof own - 1;
	memcpy(own, z, nl);
	own[nl] = '\0';
	query_str(&rq, own, 64);

	static const struct {
		long def, min, max;
	} bounds[] = {{1, 1, 100000}, {50, 1, 500}, {0, -2147483647L, 2147483647L},
		      {2020, 1900, 2999}, {0, 0, 0}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
			long v = -12345;
			struct err e;
			err_clear(&e);
			if (api_query_int(&rq, names[i], bounds[b].def, bounds[b].min, bounds[b].max,
					  &v, &e) == 0)
				require(v == bounds[b].def || (v >= bounds[b].min && v <= bounds[b].max),
					"api_query_int in bounds");
			else
				require(e.status == 400, "api_query_int error status");
		}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int f = api_query_flag(&rq, names[i]);
		require(f == 0 || f == 1, "api_query_flag result");
	}

	/* The path parameter: what the router captured from one path segment. */
	char seg[128];
	size_t sl = strcspn(z, "/&");
	if (sl >= sizeof seg)
		sl = sizeof seg - 1;
	memcpy(seg, z, sl);
	seg[sl] = '\0';
	rq.params[0] = seg;
	rq.nparams = 1;
	int64_t id = 0;
	struct err e;
	err_clear(&e);
	if (api_param_id(&rq, 0, &id, &e) == 0)
		require(id > 0, "ids are positive");
	else
		require(e.status == 404, "a bad id is 404");
	require(api_param_id(&rq, 1, &id, &e) < 0, "a missing parameter is refused");

	/* The whole input as a request path, as the server hands it to the metrics route lookup. */
	static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", "X"};
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
		(void)metrics_route(methods[i], z);

	free(z);
	return 0;
}
