/* calendar.c (cmd) — `minzheng calendar` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_calendar(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng calendar：尚未实现\n");
	return 2;
}
