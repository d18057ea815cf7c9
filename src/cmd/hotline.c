/* hotline.c (cmd) — `minzheng hotline` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_hotline(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng hotline：尚未实现\n");
	return 2;
}
