/* calendar.c (cmd) — `minzheng calendar list|check|add-days|set|import`: the working-day
 * calendar from the command line, as the system actor. The work is done by src/calendar/. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar/calendar.h"
#include "cmd/cli.h"
#include "core/actor.h"

static const char usage[] =
    "用法：\n"
    "  minzheng calendar list --db PATH --year YYYY\n"
    "      列出该年的放假日（holiday）与调休上班日（workday）：日期 类型 名称。\n"
    "  minzheng calendar check --db PATH --date YYYY-MM-DD\n"
    "      该日是否工作日（打印 working 或 rest）。\n"
    "  minzheng calendar add-days --db PATH --date YYYY-MM-DD --n N\n"
    "      该日之后第 N 个工作日（当天不计；周末与法定节假日不计，调休上班日计入）。\n"
    "  minzheng calendar set --db PATH --date YYYY-MM-DD --kind holiday|workday|normal\n"
    "                        [--name 名称]\n"
    "      设定一天：放假、调休上班，或 normal 恢复平常（周一至周五上班）。记审计日志。\n"
    "  minzheng calendar import --db PATH --file FILE.csv\n"
    "      导入国务院办公厅放假通知：每行“日期,类型,名称”（UTF-8，可有表头 date,kind,name），\n"
    "      全部成功或全部不导入。\n"
    "\n"
    "usage: the same commands in English — list a year's holidays and working weekends; check\n"
    "whether a date is a working day; the date N working days after a date; set one day; import\n"
    "a holiday notice as CSV lines date,kind,name (all or nothing).\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int print_day(const struct calendar_day *d, void *ctx)
{
	(void)ctx;
	printf("%s\t%s\t%s\n", d->date, d->kind, d->name);
	return 0;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap >= (size_t)16 << 20) { /* a holiday notice is a few kilobytes */
			free(buf);
			buf = NULL;
			break;
		}
		char *bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = bigger;
		cap *= 2;
	}
	fclose(f);
	*len = n;
	return buf;
}

int cmd_calendar(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1], *path = cli_opt(argc, argv, "db");
	if (strcmp(sub, "list") && strcmp(sub, "check") && strcmp(sub, "add-days") &&
	    strcmp(sub, "set") && strcmp(sub, "import")) {
		fprintf(stderr, "未知子命令：%s\n\n%s", sub, usage);
		return 2;
	}
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH\n\n%s", usage);
		return 2;
	}
	struct db *db;
	if (cli_open_db(path, &db) < 0)
		return 1;
	struct actor sys;
	actor_system(&sys);
	struct err e = {0};
	int rc = 0;
	const char *date = cli_opt(argc, argv, "date");
	if (strcmp(sub, "list") == 0) {
		const char *y = cli_opt(argc, argv, "year");
		rc = calendar_list(db, y ? atoi(y) : 0, print_day, NULL, &e);
	} else if (strcmp(sub, "check") == 0) {
		int working = 0;
		rc = calendar_is_working_day(db, date, &working, &e);
		if (rc == 0)
			printf("%s\n", working ? "working" : "rest");
	} else if (strcmp(sub, "add-days") == 0) {
		const char *n = cli_opt(argc, argv, "n");
		char out[11];
		rc = calendar_add_working_days(db, date, n ? atoi(n) : -1, out, &e);
		if (rc == 0)
			printf("%s\n", out);
	} else if (strcmp(sub, "set") == 0) {
		rc = calendar_set(db, &sys, date, cli_opt(argc, argv, "kind"),
				  cli_opt(argc, argv, "name"), &e);
		if (rc == 0)
			printf("已设定 %s\n", date);
	} else {
		const char *file = cli_opt(argc, argv, "file");
		size_t len = 0;
		char *data = file ? read_file(file, &len) : NULL;
		if (!data) {
			fprintf(stderr, "错误：无法读取 --file %s\n", file ? file : "（未给出）");
			db_close(db);
			return file ? 1 : 2;
		}
		int n = 0;
		rc = calendar_import(db, &sys, data, len, &n, &e);
		free(data);
		if (rc == 0)
			printf("已导入 %d 天\n", n);
	}
	if (rc < 0)
		cli_print_err(&e);
	db_close(db);
	return rc < 0 ? 1 : 0;
}
