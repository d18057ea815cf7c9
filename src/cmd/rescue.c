/* rescue.c (cmd) — `minzheng rescue` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_rescue(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng rescue：尚未实现\n");
	return 2;
}
