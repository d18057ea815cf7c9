/* import.c (cmd) — `minzheng import` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng import：尚未实现\n");
	return 2;
}
