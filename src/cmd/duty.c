/* duty.c (cmd) — `minzheng duty` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_duty(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng duty：尚未实现\n");
	return 2;
}
