/* cmd/orgs.c — `minzheng orgs …`: the command line of the orgs module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_orgs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng orgs：尚未提供\n");
	return 2;
}
