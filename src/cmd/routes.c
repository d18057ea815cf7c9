/* routes.c (cmd) — `minzheng routes`: print every API route the server registers, one
 * "METHOD PATTERN" per line (the openapi test compares this with docs/openapi.json). */
#include "cmd/commands.h"
#include "http/router.h"

#include <stdio.h>

static void print_route(const char *method, const char *pattern, void *ctx)
{
	(void)ctx;
	printf("%s %s\n", method, pattern);
}

int cmd_routes(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("GET /healthz\n");
	printf("GET /metrics\n");
	router_each_route(print_route, NULL);
	return 0;
}
