/* cli.c — helpers shared by the subcommands (see cli.h). */
#include "cmd/cli.h"
#include "db/migrate.h"

#include <stdio.h>
#include <string.h>

int cli_open_db(const char *path, struct db **out)
{
	struct err e;
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH（数据库文件）\n");
		return -1;
	}
	if (db_open(out, path, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	if (db_migrate(*out, &e) < 0) {
		cli_print_err(&e);
		db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

const char *cli_opt(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, name, n) != 0)
			continue;
		const char *rest = argv[i] + 2 + n;
		if (*rest == '=')
			return rest + 1;
		if (*rest == '\0' && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

int cli_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0)
			return 1;
	return 0;
}

void cli_print_err(const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "错误：%s（%s，字段 %s）\n", e->message, e->code, e->field);
	else
		fprintf(stderr, "错误：%s（%s）\n", e->message, e->code);
}
