/* cmd/staff.c — `minzheng staff …`: the command line of the staff module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_staff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng staff：尚未提供\n");
	return 2;
}
