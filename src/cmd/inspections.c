/* inspections.c (cmd) — `minzheng inspections …`: inspection teams, the checklist, inspections
 * and rectification items from the command line. The work is done by the inspections module
 * (src/inspections/); this file parses options, reads JSON input (the same shapes as the API)
 * and prints. It acts as the system user, or as a named user with --as (their role and scope,
 * written to the audit log under their name). */
#include "cmd/commands.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "inspections/inspections.h"

static const char usage[] =
    "用法：\n"
    "  minzheng inspections teams --db PATH [--all]\n"
    "      列出督导组：编号 名称 督导地区 成员数 检查次数（--all 含已撤销的）。\n"
    "  minzheng inspections team-add --db PATH --json FILE|-\n"
    "      新建督导组，JSON 同 POST /api/v1/inspection-teams，如\n"
    "      {\"name\":\"第一督导组\",\"region_code\":\"3707\",\"areas\":[\"370702\",\"370703\"],\n"
    "       \"members\":[{\"name\":\"王强\",\"role\":\"leader\",\"phone\":\"13800000001\"}]}\n"
    "      输出新督导组的编号。\n"
    "  minzheng inspections checklist --db PATH [--all]\n"
    "      列出检查项：编号 代码 类别 内容 适用范围。\n"
    "  minzheng inspections record --db PATH --json FILE|- [--as USER]\n"
    "      记录一次督导检查（JSON 同 POST /api/v1/inspections：被检查对象、每个检查项的结果、\n"
    "      发现的问题）。判为不符合的检查项都生成整改事项。输出 inspection=编号，每个整改事项\n"
    "      一行 rectification=编号 期限。\n"
    "  minzheng inspections list --db PATH [--region CODE] [--team ID] [--from DATE] [--to DATE]\n"
    "      检查记录：编号 日期 督导组 对象 区划 符合/不符合/不适用 整改事项 未销号。\n"
    "  minzheng inspections show --db PATH --id N\n"
    "      一次检查的全部内容（JSON）。\n"
    "  minzheng inspections items --db PATH [--region CODE] [--status S] [--overdue] [--as-of DATE]\n"
    "      整改事项：编号 状态 期限 逾期天数 责任单位 问题。--overdue 只列截至 --as-of（默认\n"
    "      今天）已逾期的事项，期限早的在前。S 为 open、in_progress、submitted、verified、\n"
    "      reopened 或 pending（待责任单位办理的全部）。\n"
    "  minzheng inspections act --db PATH --id N --action start|submit|verify|reject|reopen|extend\n"
    "                           [--on DATE] [--text 文字] [--deadline DATE] [--as USER]\n"
    "      办理整改事项：submit 须 --text（整改情况和佐证材料）；reject、reopen、extend 须\n"
    "      --text（理由）；extend 须 --deadline。核验人不能是提交人。\n"
    "  minzheng inspections summary --db PATH [--region CODE] [--as-of DATE]\n"
    "      整改事项统计（JSON）：各状态件数、逾期、临期、逾期完成，按县级单位。\n"
    "\n"
    "usage:\n"
    "  minzheng inspections teams|checklist --db PATH [--all]\n"
    "  minzheng inspections team-add|record --db PATH --json FILE|- [--as USER]\n"
    "  minzheng inspections list --db PATH [--region CODE] [--team ID] [--from DATE] [--to DATE]\n"
    "  minzheng inspections show --db PATH --id N\n"
    "  minzheng inspections items --db PATH [--region CODE] [--status S] [--overdue] [--as-of DATE]\n"
    "  minzheng inspections act --db PATH --id N --action A [--on DATE] [--text T] [--deadline DATE]\n"
    "  minzheng inspections summary --db PATH [--region CODE] [--as-of DATE]\n"
    "  Teams, the checklist, inspections and rectification items (docs/inspections.md). JSON\n"
    "  input has the API's shapes. Acts as the system user, or as USER with --as.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

/* The acting user: --as USER, else the system actor. */
static int who(struct db *db, int argc, char **argv, struct actor *a)
{
	const char *as = cli_opt(argc, argv, "as");
	struct err e;
	actor_system(a);
	if (!as)
		return 0;
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", as);
	if (id <= 0) {
		fprintf(stderr, "错误：用户不存在：%s\n", as);
		return -1;
	}
	if (accounts_actor_for_user(db, id, a, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	text_copy(a->client, sizeof a->client, "cli");
	return 0;
}

/* The JSON object in FILE ("-" = standard input), or NULL after printing why. */
static json_t *read_json(const char *path)
{
	json_error_t je;
	json_t *j;
	if (!path) {
		fprintf(stderr, "错误：缺少 --json FILE（- 为标准输入）\n");
		return NULL;
	}
	if (strcmp(path, "-") == 0)
		j = json_loadf(stdin, JSON_REJECT_DUPLICATES, &je);
	else
		j = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!j || !json_is_object(j)) {
		fprintf(stderr, "错误：%s 不是 JSON 对象（第 %d 行：%s）\n", path, je.line,
			j ? "应为对象" : je.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

static int parse_id(const char *s, int64_t *out)
{
	char *end;
	if (!s)
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return -1;
	*out = v;
	return 0;
}

static void print_json(json_t *o)
{
	char *s = o ? json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	if (s)
		puts(s);
	free(s);
	json_decref(o);
}

static int do_teams(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_team *t;
	int n;
	actor_system(&a);
	if (inspections_team_list(db, &a, cli_flag(argc, argv, "all"), &t, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		printf("%" PRId64 "\t%s\t", t[i].id, t[i].name);
		for (int k = 0; k < t[i].n_areas; k++)
			printf("%s%s", k ? "," : "", t[i].areas[k]);
		printf("\t%d\t%" PRId64 "%s\n", t[i].n_members, t[i].n_inspections,
		       t[i].active ? "" : "\t已撤销");
	}
	free(t);
	return 0;
}

static int do_team_add(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	int64_t id;
	if (who(db, argc, argv, &a) < 0)
		return 1;
	json_t *j = read_json(cli_opt(argc, argv, "json"));
	if (!j)
		return 2;
	struct inspections_team_in *in = malloc(sizeof *in);
	int rc = in && inspections_team_from_json(j, in, &e) == 0 &&
			 inspections_team_create(db, &a, in, &id, &e) == 0
		     ? 0
		     : 1;
	if (!in)
		fprintf(stderr, "错误：内存不足\n");
	else if (rc)
		cli_print_err(&e);
	else
		printf("%" PRId64 "\n", id);
	free(in);
	json_decref(j);
	return rc;
}

static int do_checklist(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_check_item *it;
	int n;
	actor_system(&a);
	if (inspections_checklist(db, &a, cli_flag(argc, argv, "all"), &it, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf("%" PRId64 "\t%s\t%s\t%s\t%s%s\n", it[i].id, it[i].code, it[i].category,
		       it[i].label, it[i].applies_to, it[i].active ? "" : "\t已停用");
	free(it);
	return 0;
}

static int do_record(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_in in;
	int64_t id;
	if (who(db, argc, argv, &a) < 0)
		return 1;
	json_t *j = read_json(cli_opt(argc, argv, "json"));
	if (!j)
		return 2;
	memset(&in, 0, sizeof in);
	int rc = inspections_record_from_json(j, &in, &e) == 0 &&
			 inspections_record(db, &a, &in, &id, &e) == 0
		     ? 0
		     : 1;
	inspections_record_release(&in);
	json_decref(j);
	if (rc) {
		cli_print_err(&e);
		return 1;
	}
	printf("inspection=%" PRId64 "\n", id);
	struct inspections_detail d;
	if (inspections_get(db, &a, id, &d, &e) == 0) {
		for (int i = 0; i < d.n_rects; i++)
			printf("rectification=%" PRId64 "\t%s\t%s\n", d.rects[i].id, d.rects[i].deadline,
			       d.rects[i].owner_name);
		inspections_detail_release(&d);
	}
	return 0;
}

static int do_list(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_query q;
	struct inspections_page p;
	actor_system(&a);
	memset(&q, 0, sizeof q);
	text_copy(q.region, sizeof q.region, cli_opt(argc, argv, "region"));
	text_copy(q.from, sizeof q.from, cli_opt(argc, argv, "from"));
	text_copy(q.to, sizeof q.to, cli_opt(argc, argv, "to"));
	if (cli_opt(argc, argv, "team") && parse_id(cli_opt(argc, argv, "team"), &q.team_id) < 0) {
		fprintf(stderr, "错误：--team 应为督导组编号\n");
		return 2;
	}
	q.limit = INSPECTIONS_PAGE_MAX;
	for (;;) {
		if (inspections_list(db, &a, &q, &p, &e) < 0) {
			cli_print_err(&e);
			return 1;
		}
		for (int i = 0; i < p.n; i++) {
			const struct inspections_visit *v = &p.items[i];
			printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%d/%d/%d\t%d\t%d\n", v->id, v->visited_on,
			       v->team_name[0] ? v->team_name : "-", v->target_name, v->region_code,
			       v->n_pass, v->n_fail, v->n_na, v->n_items, v->n_open_items);
		}
		int n = p.n;
		inspections_page_release(&p);
		q.offset += n;
		if (n < q.limit)
			break;
	}
	return 0;
}

static int do_show(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_detail d;
	int64_t id;
	if (parse_id(cli_opt(argc, argv, "id"), &id) < 0) {
		fprintf(stderr, "错误：缺少 --id N（检查记录编号）\n");
		return 2;
	}
	actor_system(&a);
	if (inspections_get(db, &a, id, &d, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	print_json(inspections_detail_json(&d));
	inspections_detail_release(&d);
	return 0;
}

static int do_items(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_rect_query q;
	struct inspections_rect_page p;
	actor_system(&a);
	memset(&q, 0, sizeof q);
	text_copy(q.region, sizeof q.region, cli_opt(argc, argv, "region"));
	text_copy(q.status, sizeof q.status, cli_opt(argc, argv, "status"));
	text_copy(q.as_of, sizeof q.as_of, cli_opt(argc, argv, "as-of"));
	q.overdue = cli_flag(argc, argv, "overdue");
	q.limit = INSPECTIONS_PAGE_MAX;
	for (;;) {
		if (inspections_rect_list(db, &a, &q, &p, &e) < 0) {
			cli_print_err(&e);
			return 1;
		}
		for (int i = 0; i < p.n; i++) {
			const struct inspections_rect *r = &p.items[i];
			printf("%" PRId64 "\t%s\t%s\t%d\t%s\t%s\n", r->id,
			       inspections_status_name(r->status), r->deadline, r->days_overdue,
			       r->owner_name, r->finding);
		}
		int n = p.n;
		inspections_rect_page_release(&p);
		q.offset += n;
		if (n < q.limit)
			break;
	}
	return 0;
}

static int do_act(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_rect_action_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	if (parse_id(cli_opt(argc, argv, "id"), &id) < 0) {
		fprintf(stderr, "错误：缺少 --id N（整改事项编号）\n");
		return 2;
	}
	in.action = inspections_action_parse(cli_opt(argc, argv, "action"));
	if (in.action < 0) {
		fprintf(stderr, "错误：--action 应为 start、submit、verify、reject、reopen 或 extend\n");
		return 2;
	}
	text_copy(in.on, sizeof in.on, cli_opt(argc, argv, "on"));
	text_copy(in.text, sizeof in.text, cli_opt(argc, argv, "text"));
	text_copy(in.deadline, sizeof in.deadline, cli_opt(argc, argv, "deadline"));
	if (who(db, argc, argv, &a) < 0)
		return 1;
	if (inspections_rect_act(db, &a, id, &in, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	struct inspections_rect_detail d;
	if (inspections_rect_get(db, &a, id, &d, &e) == 0) {
		printf("%" PRId64 "\t%s\t%s\n", id, inspections_status_name(d.r.status), d.r.deadline);
		inspections_rect_detail_release(&d);
	}
	return 0;
}

static int do_summary(struct db *db, int argc, char **argv)
{
	struct actor a;
	struct err e;
	struct inspections_summary s;
	actor_system(&a);
	if (inspections_rect_summary(db, &a, cli_opt(argc, argv, "region"),
				     cli_opt(argc, argv, "as-of"), &s, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	json_t *status = json_object(), *units = json_array();
	for (int i = 0; i < INSPECTIONS_NSTATUS; i++)
		json_object_set_new(status, inspections_status_name(i), json_integer(s.by_status[i]));
	for (int i = 0; i < s.n_units; i++)
		json_array_append_new(units, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I}", "unit_code",
						       s.units[i].unit_code, "unit_name",
						       s.units[i].unit_name, "total",
						       (json_int_t)s.units[i].total, "pending",
						       (json_int_t)s.units[i].pending, "verified",
						       (json_int_t)s.units[i].verified, "overdue",
						       (json_int_t)s.units[i].overdue));
	print_json(json_pack("{s:s, s:I, s:o, s:I, s:I, s:I, s:o}", "as_of", s.as_of, "total",
			     (json_int_t)s.total, "by_status", status, "overdue",
			     (json_int_t)s.overdue, "due_soon", (json_int_t)s.due_soon, "closed_late",
			     (json_int_t)s.closed_late, "units", units));
	inspections_summary_release(&s);
	return 0;
}

int cmd_inspections(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct db *db, int argc, char **argv);
	} subs[] = {
		{"teams", do_teams},	 {"team-add", do_team_add}, {"checklist", do_checklist},
		{"record", do_record},	 {"list", do_list},	    {"show", do_show},
		{"items", do_items},	 {"act", do_act},	    {"summary", do_summary},
	};
	if (argc < 2 || cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		struct db *db;
		if (cli_open_db(cli_opt(argc - 1, argv + 1, "db"), &db) < 0)
			return 1;
		int rc = subs[i].fn(db, argc - 1, argv + 1);
		db_close(db);
		return rc;
	}
	fprintf(stderr, "未知的子命令：%s\n\n%s", argv[1], usage);
	return 2;
}
