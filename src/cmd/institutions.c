/* institutions.c (cmd) — `minzheng institutions` (placeholder until the module lands). */
#include "cmd/commands.h"

#include <stdio.h>

int cmd_institutions(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng institutions：尚未实现\n");
	return 2;
}

int cmd_report_institutions(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "minzheng report institutions：尚未实现\n");
	return 2;
}
