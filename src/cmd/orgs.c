/* cmd/orgs.c — `minzheng orgs …`: social organisations, their volunteers and engagements from
 * the command line (the orgs module, src/orgs/, does the work; this file parses options and
 * prints the same JSON as the API). Acts as the system user (the whole city, unmasked reads
 * are not offered here). */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "orgs/orgs.h"

static const char usage[] =
    "用法：\n"
    "  minzheng orgs list --db PATH [--q 名称] [--region CODE] [--type TYPE] [--limit N]\n"
    "      社会组织（JSON，联系电话脱敏）。\n"
    "  minzheng orgs add --db PATH --name 名称 --type social_group|foundation|private_non_enterprise|\n"
    "                    volunteer_team|other --reg-no 登记证号 --region CODE\n"
    "                    [--contact-name 联系人] [--contact-phone 电话]\n"
    "      登记一个社会组织，输出编号。\n"
    "  minzheng orgs volunteer --db PATH --org N --name 姓名 [--phone 电话] [--skills 技能]\n"
    "      登记一名志愿者，输出编号。\n"
    "  minzheng orgs engagement --db PATH --org N --date YYYY-MM-DD --region CODE\n"
    "                           --activity disinfection|screening|delivery|donation|other\n"
    "                           [--area-m2 N] [--households N] [--volunteers N] [--note 文字]\n"
    "      登记一次参与记录，输出编号。\n"
    "  minzheng orgs engagements --db PATH [--org N] [--from D] [--to D] [--limit N]\n"
    "  minzheng orgs summary --db PATH --from YYYY-MM-DD --to YYYY-MM-DD\n"
    "      期内参与、发动志愿者的社会组织数，志愿者人数，消杀面积，排查户数（docs/orgs.md）。\n"
    "\n"
    "usage: minzheng orgs list|add|volunteer|engagement|engagements|summary --db PATH …\n"
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

static void query(int argc, char **argv, struct orgs_query *q, const char *type_key)
{
	memset(q, 0, sizeof *q);
	text_copy(q->q, sizeof q->q, cli_opt_or_empty(argc, argv, "q"));
	text_copy(q->region, sizeof q->region, cli_opt_or_empty(argc, argv, "region"));
	text_copy(q->type, sizeof q->type, cli_opt_or_empty(argc, argv, type_key));
	text_copy(q->from, sizeof q->from, cli_opt_or_empty(argc, argv, "from"));
	text_copy(q->to, sizeof q->to, cli_opt_or_empty(argc, argv, "to"));
	q->org_id = num(argc, argv, "org");
	q->limit = (int)num(argc, argv, "limit");
	if (q->limit < 1 || q->limit > ORGS_PAGE_MAX)
		q->limit = ORGS_PAGE_MAX;
}

static int run(struct db *db, const struct actor *a, const char *sub, int argc, char **argv)
{
	struct err e;
	json_t *out;
	int64_t id;
	if (strcmp(sub, "list") == 0 || strcmp(sub, "engagements") == 0) {
		struct orgs_query q;
		int list = sub[0] == 'l';
		query(argc, argv, &q, list ? "type" : "activity");
		if ((list ? orgs_list(db, a, &q, 0, &out, &e) : orgs_engagement_list(db, a, &q, &out, &e)) < 0)
			return fail(&e);
		return print(out);
	}
	if (strcmp(sub, "add") == 0) {
		struct orgs_org_in in;
		memset(&in, 0, sizeof in);
		text_copy(in.name, sizeof in.name, cli_opt_or_empty(argc, argv, "name"));
		text_copy(in.type, sizeof in.type, cli_opt_or_empty(argc, argv, "type"));
		text_copy(in.reg_no, sizeof in.reg_no, cli_opt_or_empty(argc, argv, "reg-no"));
		text_copy(in.region_code, sizeof in.region_code, cli_opt_or_empty(argc, argv, "region"));
		text_copy(in.contact_name, sizeof in.contact_name, cli_opt_or_empty(argc, argv, "contact-name"));
		text_copy(in.contact_phone, sizeof in.contact_phone, cli_opt_or_empty(argc, argv, "contact-phone"));
		if (orgs_create(db, a, &in, &id, &e) < 0)
			return fail(&e);
	} else if (strcmp(sub, "volunteer") == 0) {
		struct orgs_volunteer_in in;
		memset(&in, 0, sizeof in);
		in.org_id = num(argc, argv, "org");
		text_copy(in.name, sizeof in.name, cli_opt_or_empty(argc, argv, "name"));
		text_copy(in.phone, sizeof in.phone, cli_opt_or_empty(argc, argv, "phone"));
		text_copy(in.skills, sizeof in.skills, cli_opt_or_empty(argc, argv, "skills"));
		if (orgs_volunteer_create(db, a, &in, &id, &e) < 0)
			return fail(&e);
	} else if (strcmp(sub, "engagement") == 0) {
		struct orgs_engagement_in in;
		memset(&in, 0, sizeof in);
		in.org_id = num(argc, argv, "org");
		text_copy(in.date, sizeof in.date, cli_opt_or_empty(argc, argv, "date"));
		text_copy(in.region_code, sizeof in.region_code, cli_opt_or_empty(argc, argv, "region"));
		text_copy(in.activity, sizeof in.activity, cli_opt_or_empty(argc, argv, "activity"));
		in.area_m2 = num(argc, argv, "area-m2");
		in.households = num(argc, argv, "households");
		in.volunteers = num(argc, argv, "volunteers");
		text_copy(in.note, sizeof in.note, cli_opt_or_empty(argc, argv, "note"));
		if (orgs_engagement_create(db, a, &in, &id, &e) < 0)
			return fail(&e);
	} else if (strcmp(sub, "summary") == 0) {
		if (orgs_summary(db, a, cli_opt_or_empty(argc, argv, "from"), cli_opt_or_empty(argc, argv, "to"), &out, &e) < 0)
			return fail(&e);
		return print(out);
	} else {
		fprintf(stderr, "未知的子命令：%s\n\n%s", sub, usage);
		return 2;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

int cmd_orgs(int argc, char **argv)
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
