/* cmd/goods.c — `minzheng goods …`: the command line of the goods module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_goods(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng goods：尚未提供\n");
	return 2;
}
