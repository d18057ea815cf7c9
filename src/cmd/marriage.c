/* cmd/marriage.c — `minzheng marriage …`: the command line of the marriage module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_marriage(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng marriage：尚未提供\n");
	return 2;
}
