/* routes.c (cmd) — `minzheng routes`: print every API route the server registers, one
 * "METHOD PATTERN" per line (the openapi test compares this with docs/openapi.json).
 * `minzheng routes --perm` adds a third column: the permission the router checks before the
 * handler runs ("public" for none, "login" for any logged-in user, else the permission names of
 * src/accounts/roles.c joined by "+"); tests/api/scope.test.mjs builds its matrix from it. */
#include "cmd/commands.h"
#include "http/api.h"
#include "http/router.h"
#include "http/routes.h"
#include "accounts/accounts.h"

#include <stdio.h>
#include <string.h>

static void print_route(const char *method, const char *pattern, void *ctx)
{
	(void)ctx;
	printf("%s %s\n", method, pattern);
}

static void print_perm(uint32_t perm)
{
	if (perm == PERM_PUBLIC) {
		printf("public");
		return;
	}
	int n = 0;
	for (int bit = 1; bit < 32; bit++) {
		uint32_t b = 1u << bit;
		if (!(perm & b))
			continue;
		const char *name = perm_name(b);
		printf("%s%s", n++ ? "+" : "", name ? name : "unknown");
	}
	if (n == 0)
		printf("login");
}

int cmd_routes(int argc, char **argv)
{
	static const char usage[] =
		"用法 / usage: minzheng routes [--perm]\n"
		"  每行一个路由：方法 路径；--perm 加第三列：路由要求的权限（public 无需登录，\n"
		"  login 任何已登录用户，否则为权限名，多个以 + 连接）。\n"
		"  one route per line: METHOD PATTERN; --perm adds the permission the router checks.\n";
	int with_perm = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--perm") == 0) {
			with_perm = 1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		} else {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (!with_perm) {
		printf("GET /healthz\n");
		printf("GET /metrics\n");
		router_each_route(print_route, NULL);
		return 0;
	}
	printf("GET /healthz public\n");
	printf("GET /metrics public\n");
	for (const struct api_route *const *table = routes_all; *table; table++)
		for (const struct api_route *r = *table; r->method; r++) {
			printf("%s %s ", r->method, r->pattern);
			print_perm(r->perm);
			printf("\n");
		}
	return 0;
}
