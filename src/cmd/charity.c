/* cmd/charity.c — `minzheng charity …`: the command line of the charity module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_charity(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng charity：尚未提供\n");
	return 2;
}
