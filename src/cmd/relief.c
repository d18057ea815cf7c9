/* relief.c (cmd) — `minzheng relief` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_relief(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng relief：尚未实现\n");
	return 2;
}
