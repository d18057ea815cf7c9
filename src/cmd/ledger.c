/* ledger.c (cmd) — `minzheng ledger` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_ledger(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng ledger：尚未实现\n");
	return 2;
}
