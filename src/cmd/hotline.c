/* hotline.c (cmd) — `minzheng hotline lines|line-set|calls|cases|case|tasks|overview|purge`:
 * hotlines and cases from the command line, as the system actor (the whole city). The work is
 * done by src/hotline/; this file only parses options and prints tab-separated lines. Personal
 * data (phones, ID numbers) is printed masked, as in the lists of the web UI. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/phone.h"
#include "core/text.h"
#include "hotline/hotline.h"

static const char usage[] =
    "用法：\n"
    "  minzheng hotline lines --db PATH\n"
    "      列出热线：代码 名称 号码 类别 是否启用。\n"
    "  minzheng hotline line-set --db PATH --code CODE --name 名称 --number 号码\n"
    "                            --kind assistance|child_protection [--inactive]\n"
    "      新增或修改一条热线（类别决定响应时限参数，child_protection 的个案按儿童保护范围审核）。\n"
    "  minzheng hotline calls --db PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--line CODE]\n"
    "                         [--limit N]\n"
    "      来电记录（每次来电的最新版本，新的在前）：编号 时间 热线 地区 类别 紧急程度 结果 来电人。\n"
    "  minzheng hotline cases --db PATH [--stage open|overdue|in_care|closed] [--limit N]\n"
    "      个案：编号 状态 热线 地区 对象 紧急程度 立案时间 评估时限 下次回访 结果。\n"
    "  minzheng hotline case --db PATH --id N\n"
    "      一个个案及其每个环节（时间、办理人、记录）。\n"
    "  minzheng hotline tasks --db PATH [--overdue]\n"
    "      待办：评估、回访、约定回电（逾期的在前）。\n"
    "  minzheng hotline overview --db PATH [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "      各县区：来电、立案、结案、按时评估、办理中、逾期、临时照料中。\n"
    "  minzheng hotline purge --db PATH [--dry-run]\n"
    "      清理超过保存期限（参数 hotline_call_retention_months，不少于 3 个月）且未立案的来电记录。\n"
    "\n"
    "usage: the same commands in English — list and set lines; list calls, cases, one case with\n"
    "its steps, the task queue and the county overview; purge call records past the retention\n"
    "period that no case refers to.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static const char *const subs[] = {"lines", "line-set", "calls", "cases", "case",
				   "tasks", "overview", "purge",    NULL};

static int do_lines(struct db *db, const struct actor *sys, struct err *e)
{
	struct hotline_line *l;
	int n;
	if (hotline_lines_list(db, sys, &l, &n, e) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		printf("%s\t%s\t%s\t%s\t%s\n", l[i].code, l[i].name, l[i].number, l[i].kind,
		       l[i].active ? "启用" : "停用");
	free(l);
	return 0;
}

static int do_line_set(int argc, char **argv, struct db *db, const struct actor *sys,
		       struct err *e)
{
	struct hotline_line l;
	memset(&l, 0, sizeof l);
	text_copy(l.code, sizeof l.code, cli_opt(argc, argv, "code"));
	text_copy(l.name, sizeof l.name, cli_opt(argc, argv, "name"));
	text_copy(l.number, sizeof l.number, cli_opt(argc, argv, "number"));
	text_copy(l.kind, sizeof l.kind, cli_opt(argc, argv, "kind"));
	l.active = !cli_flag(argc, argv, "inactive");
	if (hotline_line_set(db, sys, &l, e) < 0)
		return -1;
	printf("已设置热线 %s\n", l.code);
	return 0;
}

static int limit_opt(int argc, char **argv)
{
	const char *s = cli_opt(argc, argv, "limit");
	int n = s ? atoi(s) : 50;
	return n < 1 ? 1 : n > HOTLINE_PAGE_MAX ? HOTLINE_PAGE_MAX : n;
}

static int do_calls(int argc, char **argv, struct db *db, const struct actor *sys, struct err *e)
{
	struct hotline_call_query q;
	struct hotline_call_page pg;
	memset(&q, 0, sizeof q);
	text_copy(q.from, sizeof q.from, cli_opt(argc, argv, "from"));
	text_copy(q.to, sizeof q.to, cli_opt(argc, argv, "to"));
	text_copy(q.line, sizeof q.line, cli_opt(argc, argv, "line"));
	q.limit = limit_opt(argc, argv);
	if (hotline_call_list(db, sys, &q, &pg, e) < 0)
		return -1;
	for (int i = 0; i < pg.n; i++) {
		const struct hotline_call *c = &pg.items[i];
		char phone[24];
		phone_mask(c->caller_phone, phone);
		printf("%lld\t%.16s\t%s\t%s\t%s\t%s\t%s\t%s %s\n", (long long)c->id, c->called_at,
		       c->line_code, c->region_code, c->category, c->urgency, c->outcome,
		       c->caller_name, c->caller_phone[0] ? phone : "");
	}
	printf("共 %lld 条\n", (long long)pg.total);
	free(pg.items);
	return 0;
}

static int do_cases(int argc, char **argv, struct db *db, const struct actor *sys, struct err *e)
{
	struct hotline_case_query q;
	struct hotline_case_page pg;
	memset(&q, 0, sizeof q);
	text_copy(q.stage, sizeof q.stage, cli_opt(argc, argv, "stage"));
	q.limit = limit_opt(argc, argv);
	if (hotline_case_list(db, sys, &q, &pg, e) < 0)
		return -1;
	for (int i = 0; i < pg.n; i++) {
		const struct hotline_case *c = &pg.items[i];
		printf("%lld\t%s\t%s\t%s\t%s\t%s\t%.16s\t%.16s%s\t%s%s\t%s\n", (long long)c->id,
		       c->status, c->line_code, c->region_code, c->subject_name, c->urgency,
		       c->opened_at, c->assess_due, c->assess_overdue ? "（逾期）" : "",
		       c->next_followup_due, c->followup_overdue ? "（逾期）" : "", c->outcome);
	}
	printf("共 %lld 件\n", (long long)pg.total);
	free(pg.items);
	return 0;
}

static int do_case(int argc, char **argv, struct db *db, const struct actor *sys, struct err *e)
{
	const char *id = cli_opt(argc, argv, "id");
	struct hotline_case_detail *d = malloc(sizeof *d);
	if (!d)
		return err_set(e, 500, "internal", NULL, "内存不足");
	if (hotline_case_get(db, sys, id ? atoll(id) : 0, 0, d, e) < 0) {
		free(d);
		return -1;
	}
	const struct hotline_case *c = &d->c;
	printf("个案 %lld（%s，%s）\n", (long long)c->id, c->line_name, c->status);
	printf("地区\t%s %s\n对象\t%s\n监护人\t%s\t%s\n照料\t%s\t%s\n概要\t%s\n", c->region_code,
	       c->region_name, c->subject_name, c->guardian_name, c->guardian_situation,
	       c->care_arrangement, c->care_note, c->summary);
	printf("立案\t%s\t%s\n评估时限\t%s%s\n", c->opened_at, c->opened_by, c->assess_due,
	       c->assess_overdue ? "（逾期）" : "");
	if (c->outcome[0])
		printf("结案\t%s\t%s\t%s\n", c->closed_at, c->outcome, c->outcome_note);
	for (int i = 0; i < d->n_steps; i++)
		printf("%s\t%s\t%s\t%s\n", d->steps[i].at, d->steps[i].by, d->steps[i].step,
		       d->steps[i].record);
	hotline_case_detail_release(d);
	free(d);
	return 0;
}

static int do_tasks(int argc, char **argv, struct db *db, const struct actor *sys, struct err *e)
{
	struct hotline_task_query q;
	struct hotline_task_page pg;
	memset(&q, 0, sizeof q);
	q.overdue_only = cli_flag(argc, argv, "overdue");
	q.limit = limit_opt(argc, argv);
	if (hotline_tasks(db, sys, &q, &pg, e) < 0)
		return -1;
	for (int i = 0; i < pg.n; i++) {
		const struct hotline_task *t = &pg.items[i];
		printf("%s\t%lld\t%s\t%s\t%s\t%.16s%s\t%s\n", t->type,
		       (long long)(t->case_id ? t->case_id : t->call_id), t->region_code, t->subject,
		       t->urgency, t->due, t->overdue ? "（逾期）" : "", t->owner);
	}
	printf("共 %lld 项，逾期 %lld 项\n", (long long)pg.total, (long long)pg.overdue);
	free(pg.items);
	return 0;
}

static int do_overview(int argc, char **argv, struct db *db, const struct actor *sys,
		       struct err *e)
{
	struct hotline_overview_row *r;
	int n;
	if (hotline_overview(db, sys, cli_opt(argc, argv, "from"), cli_opt(argc, argv, "to"), &r, &n,
			     e) < 0)
		return -1;
	printf("地区\t名称\t来电\t儿童热线\t立案\t结案\t按时评估\t超时评估\t办理中\t评估逾期\t回访逾期"
	       "\t临时照料中\n");
	for (int i = 0; i < n; i++)
		printf("%s\t%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\n",
		       r[i].region_code, r[i].region_name, (long long)r[i].calls,
		       (long long)r[i].calls_child, (long long)r[i].opened, (long long)r[i].closed,
		       (long long)r[i].assessed_on_time, (long long)r[i].assessed_late,
		       (long long)r[i].open, (long long)r[i].overdue_assess,
		       (long long)r[i].overdue_followup, (long long)r[i].in_care);
	free(r);
	return 0;
}

static int do_purge(int argc, char **argv, struct db *db, const struct actor *sys, struct err *e)
{
	int64_t n = 0;
	char cutoff[32] = "";
	int dry = cli_flag(argc, argv, "dry-run");
	if (hotline_calls_purge(db, sys, dry, &n, cutoff, e) < 0)
		return -1;
	printf("%s %lld 条 %s 之前、未立案的来电记录\n", dry ? "可清理" : "已清理", (long long)n,
	       cutoff);
	return 0;
}

int cmd_hotline(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1], *path = cli_opt(argc, argv, "db");
	int known = 0;
	for (const char *const *s = subs; *s; s++)
		known |= strcmp(*s, sub) == 0;
	if (!known) {
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
	int rc;
	if (strcmp(sub, "lines") == 0)
		rc = do_lines(db, &sys, &e);
	else if (strcmp(sub, "line-set") == 0)
		rc = do_line_set(argc, argv, db, &sys, &e);
	else if (strcmp(sub, "calls") == 0)
		rc = do_calls(argc, argv, db, &sys, &e);
	else if (strcmp(sub, "cases") == 0)
		rc = do_cases(argc, argv, db, &sys, &e);
	else if (strcmp(sub, "case") == 0)
		rc = do_case(argc, argv, db, &sys, &e);
	else if (strcmp(sub, "tasks") == 0)
		rc = do_tasks(argc, argv, db, &sys, &e);
	else if (strcmp(sub, "overview") == 0)
		rc = do_overview(argc, argv, db, &sys, &e);
	else
		rc = do_purge(argc, argv, db, &sys, &e);
	if (rc < 0)
		cli_print_err(&e);
	db_close(db);
	return rc < 0 ? 1 : 0;
}
