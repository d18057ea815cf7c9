/* price.c (cmd) — `minzheng price` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_price(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng price：尚未实现\n");
	return 2;
}
