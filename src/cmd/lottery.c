/* cmd/lottery.c — `minzheng lottery …`: lottery outlets' closure, reopening checklist and
 * reopening from the command line (the lottery module, src/lottery/, does the work — with the
 * same checklist gate as the API; this file parses options and prints the same JSON). Acts as
 * the system user. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "lottery/lottery.h"

static const char usage[] =
    "用法：\n"
    "  minzheng lottery outlets --db PATH [--date YYYY-MM-DD] [--status open|closed|not_open]\n"
    "      福彩销售网点及其在该日（默认今天）的状态。\n"
    "  minzheng lottery show --db PATH --id N\n"
    "  minzheng lottery close --db PATH --id N --date D [--note 文字]\n"
    "  minzheng lottery checklist --db PATH --id N --date D --by 核查人\n"
    "                             [--temperature] [--masks] [--distance] [--disinfection]\n"
    "      复业核查：已做到的项目各给一个开关。\n"
    "  minzheng lottery open --db PATH --id N --date D [--note 文字]\n"
    "      标记复业：须有停业后、复业日前完成全部四项的核查，否则退出码 1。\n"
    "\n"
    "usage: minzheng lottery outlets|show|close|checklist|open --db PATH …\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int64_t num(int argc, char **argv, const char *name)
{
	const char *v = cli_opt(argc, argv, name);
	return v ? strtoll(v, NULL, 10) : 0;
}

static int print(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}

static int fail(const struct err *e)
{
	cli_print_err(e);
	return 1;
}

static int run(struct db *db, const struct actor *a, const char *sub, int argc, char **argv)
{
	struct err e;
	json_t *out;
	int64_t id = num(argc, argv, "id");
	int rc;
	if (strcmp(sub, "outlets") == 0) {
		if (lottery_outlet_list(db, a, cli_opt_or_empty(argc, argv, "date"), cli_opt_or_empty(argc, argv, "status"),
					LOTTERY_PAGE_MAX, 0, &out, &e) < 0)
			return fail(&e);
		return print(out);
	}
	if (strcmp(sub, "show") == 0)
		rc = 0;
	else if (strcmp(sub, "close") == 0)
		rc = lottery_close(db, a, id, cli_opt_or_empty(argc, argv, "date"), cli_opt_or_empty(argc, argv, "note"), &e);
	else if (strcmp(sub, "open") == 0)
		rc = lottery_reopen(db, a, id, cli_opt_or_empty(argc, argv, "date"), cli_opt_or_empty(argc, argv, "note"), &e);
	else if (strcmp(sub, "checklist") == 0) {
		struct lottery_checklist c;
		memset(&c, 0, sizeof c);
		text_copy(c.checked_on, sizeof c.checked_on, cli_opt_or_empty(argc, argv, "date"));
		text_copy(c.checked_by, sizeof c.checked_by, cli_opt_or_empty(argc, argv, "by"));
		c.temperature = cli_flag(argc, argv, "temperature");
		c.masks = cli_flag(argc, argv, "masks");
		c.distance = cli_flag(argc, argv, "distance");
		c.disinfection = cli_flag(argc, argv, "disinfection");
		rc = lottery_checklist_record(db, a, id, &c, cli_opt_or_empty(argc, argv, "note"), &e);
	} else {
		fprintf(stderr, "未知的子命令：%s\n\n%s", sub, usage);
		return 2;
	}
	if (rc < 0 || lottery_outlet_get(db, a, id, &out, &e) < 0)
		return fail(&e);
	return print(out);
}

int cmd_lottery(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct db *db;
	struct actor sys;
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc - 1, argv + 1, "db"), &db) < 0)
		return 1;
	int rc = run(db, &sys, argv[1], argc - 1, argv + 1);
	db_close(db);
	return rc;
}
