/* cmd/backup.c — `minzheng backup` and `minzheng restore`. */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_backup(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng backup：尚未提供\n");
	return 2;
}

int cmd_restore(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng restore：尚未提供\n");
	return 2;
}
