/* cmd/documents.c — `minzheng documents …`: the command line of the documents module. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_documents(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng documents：尚未提供\n");
	return 2;
}
