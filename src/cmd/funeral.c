/* cmd/funeral.c — `minzheng funeral …`: the funeral homes' records from the command line, as the
 * system actor (every home, every permission). The work is done by src/funeral/ — the same
 * domain functions the API calls; a record comes out as the API's JSON. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "funeral/funeral.h"

static const char usage[] =
    "用法：\n"
    "  minzheng funeral homes --db PATH\n"
    "      列出殡仪馆：编号 名称 区划 遗体记录 其中确诊疑似 未办结。\n"
    "  minzheng funeral list --db PATH [--home ID] [--cause confirmed|suspected|other|epidemic]\n"
    "                        [--status open|registered|transfer|cremation|disinfection|ashes]\n"
    "                        [--from DATE] [--to DATE] [--limit N]\n"
    "  minzheng funeral show --db PATH --id N [--unmask]\n"
    "  minzheng funeral register --db PATH --home ID --died-on DATE --source hospital|home|other\n"
    "                            --cause confirmed|suspected|other\n"
    "                            (--id-number 身份证号 --name 姓名 | --unidentified --description 描述)\n"
    "                            [--note 备注]\n"
    "      登记遗体；身份证号与户籍比对一致的，同时登记死亡（停发救助）。打印记录（JSON）。\n"
    "  minzheng funeral step --db PATH --id N --step transfer|cremation|disinfection|ashes\n"
    "                        --at TIME --staff 姓名 [--dedicated] [--vehicle 车辆]\n"
    "                        [--cremator 火化炉] [--ashes handed|held] [--receiver 领取人]\n"
    "      确诊、疑似病例须按接运→火化→终末消毒→骨灰交付逐步办理，接运、火化须专用（--dedicated）。\n"
    "  minzheng funeral farewell --db PATH --id N --on DATE [--attendees N]\n"
    "  minzheng funeral suspend --db PATH --from DATE [--to DATE] [--note 说明]\n"
    "      暂停举办告别仪式的期间（期间内登记告别仪式被拒绝）。\n"
    "  minzheng funeral daily --db PATH --home ID --date DATE\n"
    "      某殡仪馆当日数字（供日报告预填）。\n"
    "  TIME 为北京时间 YYYY-MM-DDTHH:MM；DATE 为 YYYY-MM-DD。以 system 身份写入并记审计日志。\n"
    "\n"
    "usage: list the funeral homes and body records; register a body; record its steps (the\n"
    "epidemic procedure for confirmed and suspected cases); a farewell gathering; suspensions of\n"
    "gatherings; a home's figures for its daily report.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int print_json(json_t *o)
{
	if (!o)
		return 1;
	char *s = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}

static int show(struct db *db, const struct actor *a, int64_t id, int unmask)
{
	struct funeral_body *b = calloc(1, sizeof *b);
	struct err e;
	if (!b)
		return 1;
	int rc = 1;
	if (funeral_body_get(db, a, id, unmask, b, &e) < 0)
		cli_print_err(&e);
	else
		rc = print_json(funeral_body_json(b));
	free(b);
	return rc;
}

static int home_line(const struct funeral_home *h, void *ctx)
{
	(void)ctx;
	printf("%lld\t%s\t%s\t%lld\t%lld\t%lld\n", (long long)h->id, h->name, h->region_code,
	       (long long)h->bodies, (long long)h->epidemic, (long long)h->open);
	return 0;
}

static int body_line(const struct funeral_body *b, void *ctx)
{
	(void)ctx;
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)b->id, b->home_name,
	       b->unidentified ? "（身份不明）" : b->name, b->id_number, b->died_on, b->cause,
	       b->source, b->status);
	return 0;
}

int cmd_funeral(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1], *path = cli_opt(argc, argv, "db");
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH\n%s", usage);
		return 2;
	}
	struct db *db;
	if (cli_open_db(path, &db) < 0)
		return 1;
	struct actor sys;
	struct err e;
	actor_system(&sys);
	int rc = 0;
	const int64_t id = atoll(cli_opt_or_empty(argc, argv, "id"));
	if (strcmp(sub, "homes") == 0) {
		if (funeral_homes_list(db, &sys, home_line, NULL, &e) < 0)
			cli_print_err(&e), rc = 1;
	} else if (strcmp(sub, "list") == 0) {
		struct funeral_filter f;
		memset(&f, 0, sizeof f);
		f.institution_id = atoll(cli_opt_or_empty(argc, argv, "home"));
		text_copy(f.cause, sizeof f.cause, cli_opt_or_empty(argc, argv, "cause"));
		text_copy(f.status, sizeof f.status, cli_opt_or_empty(argc, argv, "status"));
		text_copy(f.from, sizeof f.from, cli_opt_or_empty(argc, argv, "from"));
		text_copy(f.to, sizeof f.to, cli_opt_or_empty(argc, argv, "to"));
		f.limit = cli_opt(argc, argv, "limit") ? atoi(cli_opt_or_empty(argc, argv, "limit")) : 100000;
		int64_t total = 0;
		if (funeral_body_list(db, &sys, &f, body_line, NULL, &total, &e) < 0)
			cli_print_err(&e), rc = 1;
	} else if (strcmp(sub, "show") == 0) {
		rc = show(db, &sys, id, cli_flag(argc, argv, "unmask"));
	} else if (strcmp(sub, "register") == 0) {
		struct funeral_body_in in;
		memset(&in, 0, sizeof in);
		in.institution_id = atoll(cli_opt_or_empty(argc, argv, "home"));
		in.unidentified = cli_flag(argc, argv, "unidentified");
		text_copy(in.id_number, sizeof in.id_number, cli_opt_or_empty(argc, argv, "id-number"));
		text_copy(in.name, sizeof in.name, cli_opt_or_empty(argc, argv, "name"));
		text_copy(in.description, sizeof in.description, cli_opt_or_empty(argc, argv, "description"));
		text_copy(in.died_on, sizeof in.died_on, cli_opt_or_empty(argc, argv, "died-on"));
		text_copy(in.source, sizeof in.source, cli_opt_or_empty(argc, argv, "source"));
		text_copy(in.cause, sizeof in.cause, cli_opt_or_empty(argc, argv, "cause"));
		text_copy(in.note, sizeof in.note, cli_opt_or_empty(argc, argv, "note"));
		int64_t nid;
		if (funeral_body_create(db, &sys, &in, NULL, &nid, &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			rc = show(db, &sys, nid, 0);
	} else if (strcmp(sub, "step") == 0) {
		struct funeral_step_in in;
		memset(&in, 0, sizeof in);
		in.step = funeral_step_of(cli_opt_or_empty(argc, argv, "step"));
		text_copy(in.at, sizeof in.at, cli_opt_or_empty(argc, argv, "at"));
		text_copy(in.staff, sizeof in.staff, cli_opt_or_empty(argc, argv, "staff"));
		in.dedicated = cli_flag(argc, argv, "dedicated");
		text_copy(in.vehicle, sizeof in.vehicle, cli_opt_or_empty(argc, argv, "vehicle"));
		text_copy(in.cremator, sizeof in.cremator, cli_opt_or_empty(argc, argv, "cremator"));
		text_copy(in.ashes, sizeof in.ashes, cli_opt_or_empty(argc, argv, "ashes"));
		text_copy(in.receiver, sizeof in.receiver, cli_opt_or_empty(argc, argv, "receiver"));
		if (funeral_step_record(db, &sys, id, &in, NULL, &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			rc = show(db, &sys, id, 0);
	} else if (strcmp(sub, "farewell") == 0) {
		if (funeral_farewell_record(db, &sys, id, cli_opt_or_empty(argc, argv, "on"),
					    atoll(cli_opt_or_empty(argc, argv, "attendees")), &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			rc = show(db, &sys, id, 0);
	} else if (strcmp(sub, "suspend") == 0) {
		int64_t sid;
		if (funeral_suspension_add(db, &sys, cli_opt_or_empty(argc, argv, "from"), cli_opt_or_empty(argc, argv, "to"),
					   cli_opt_or_empty(argc, argv, "note"), &sid, &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			printf("暂停告别仪式 #%lld 已登记\n", (long long)sid);
	} else if (strcmp(sub, "daily") == 0) {
		struct funeral_daily d;
		if (funeral_daily_get(db, &sys, atoll(cli_opt_or_empty(argc, argv, "home")), cli_opt_or_empty(argc, argv, "date"),
				      &d, &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			printf("日期 %s：登记 %lld 具，接运 %lld 具，火化 %lld 具（确诊疑似 %lld），终末消毒 %lld "
			       "次，骨灰处置 %lld，未办结 %lld，告别仪式 %lld 场\n",
			       d.date, (long long)d.registered, (long long)d.transfers,
			       (long long)d.cremations, (long long)d.epidemic_cremations,
			       (long long)d.disinfections, (long long)d.ashes, (long long)d.open,
			       (long long)d.gatherings);
	} else {
		fprintf(stderr, "错误：未知的子命令 %s\n%s", sub, usage);
		rc = 2;
	}
	db_close(db);
	return rc;
}
