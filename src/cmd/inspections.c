/* inspections.c (cmd) — `minzheng inspections` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_inspections(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng inspections：尚未实现\n");
	return 2;
}
