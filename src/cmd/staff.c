/* cmd/staff.c — `minzheng staff …`: deployments of the bureau's staff from the command line
 * (the staff module, src/staff/, does the work; this file parses options and prints the same
 * JSON as the API). Acts as the system user. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "staff/staff.h"

static const char usage[] =
    "用法：\n"
    "  minzheng staff deployments --db PATH [--type seconded|front_line] [--on YYYY-MM-DD]\n"
    "                             [--from D] [--to D] [--region CODE] [--q 工号或姓名] [--limit N]\n"
    "      派驻记录（JSON，姓名、电话脱敏）；--on 为某日在岗的派驻。\n"
    "  minzheng staff deploy --db PATH --staff-no 工号 --name 姓名 --from-unit 原单位 --post 派驻岗位\n"
    "                        --region CODE --type seconded|front_line --start YYYY-MM-DD [--end D]\n"
    "                        [--phone 电话] [--note 备注]\n"
    "      登记一次派驻，输出编号。\n"
    "  minzheng staff end --db PATH --id N --end YYYY-MM-DD\n"
    "  minzheng staff summary --db PATH --from D --to D\n"
    "      期内抽调督导、下沉一线的干部人数（同一人多次派驻只计一次）。\n"
    "\n"
    "usage: minzheng staff deployments|deploy|end|summary --db PATH …\n"
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
	int64_t id;
	if (strcmp(sub, "deployments") == 0) {
		struct staff_query q;
		memset(&q, 0, sizeof q);
		text_copy(q.type, sizeof q.type, cli_opt_or_empty(argc, argv, "type"));
		text_copy(q.region, sizeof q.region, cli_opt_or_empty(argc, argv, "region"));
		text_copy(q.on, sizeof q.on, cli_opt_or_empty(argc, argv, "on"));
		text_copy(q.from, sizeof q.from, cli_opt_or_empty(argc, argv, "from"));
		text_copy(q.to, sizeof q.to, cli_opt_or_empty(argc, argv, "to"));
		text_copy(q.q, sizeof q.q, cli_opt_or_empty(argc, argv, "q"));
		q.limit = (int)num(argc, argv, "limit");
		if (q.limit < 1 || q.limit > STAFF_PAGE_MAX)
			q.limit = STAFF_PAGE_MAX;
		if (staff_deployment_list(db, a, &q, 0, &out, &e) < 0)
			return fail(&e);
		return print(out);
	}
	if (strcmp(sub, "deploy") == 0) {
		struct staff_deployment_in in;
		memset(&in, 0, sizeof in);
		text_copy(in.staff_no, sizeof in.staff_no, cli_opt_or_empty(argc, argv, "staff-no"));
		text_copy(in.name, sizeof in.name, cli_opt_or_empty(argc, argv, "name"));
		text_copy(in.phone, sizeof in.phone, cli_opt_or_empty(argc, argv, "phone"));
		text_copy(in.from_unit, sizeof in.from_unit, cli_opt_or_empty(argc, argv, "from-unit"));
		text_copy(in.post, sizeof in.post, cli_opt_or_empty(argc, argv, "post"));
		text_copy(in.region_code, sizeof in.region_code, cli_opt_or_empty(argc, argv, "region"));
		text_copy(in.type, sizeof in.type, cli_opt_or_empty(argc, argv, "type"));
		text_copy(in.start_date, sizeof in.start_date, cli_opt_or_empty(argc, argv, "start"));
		text_copy(in.end_date, sizeof in.end_date, cli_opt_or_empty(argc, argv, "end"));
		text_copy(in.note, sizeof in.note, cli_opt_or_empty(argc, argv, "note"));
		if (staff_deployment_create(db, a, &in, &id, &e) < 0)
			return fail(&e);
		printf("%lld\n", (long long)id);
		return 0;
	}
	if (strcmp(sub, "end") == 0) {
		if (staff_deployment_end(db, a, num(argc, argv, "id"), cli_opt_or_empty(argc, argv, "end"), &e) < 0)
			return fail(&e);
		return 0;
	}
	if (strcmp(sub, "summary") == 0) {
		if (staff_summary(db, a, cli_opt_or_empty(argc, argv, "from"), cli_opt_or_empty(argc, argv, "to"), &out, &e) < 0)
			return fail(&e);
		return print(out);
	}
	fprintf(stderr, "未知的子命令：%s\n\n%s", sub, usage);
	return 2;
}

int cmd_staff(int argc, char **argv)
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
