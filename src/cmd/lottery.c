/* cmd/lottery.c — `minzheng lottery …`: the command line of the lottery module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_lottery(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng lottery：尚未提供\n");
	return 2;
}
