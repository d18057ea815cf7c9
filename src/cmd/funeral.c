/* cmd/funeral.c — `minzheng funeral …`: the command line of the funeral module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_funeral(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng funeral：尚未提供\n");
	return 2;
}
