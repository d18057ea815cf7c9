/* cmd/crosscheck.c — `minzheng crosscheck …`: the command line of the crosscheck module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_crosscheck(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng crosscheck：尚未提供\n");
	return 2;
}
