/* duty.c (cmd) — `minzheng duty …`: duty rosters from the command line (the duty module,
 * src/duty/, does the work; this file parses options and prints). Times are local
 * (Asia/Shanghai) "YYYY-MM-DDTHH:MM"; a date alone means its 00:00. Acts as the system user. */
#include "cmd/commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/text.h"
#include "duty/duty.h"

static const char usage[] =
    "用法：\n"
    "  minzheng duty rosters --db PATH [--region CODE]\n"
    "      值班表：编号 单位类型 区划 名称 值班电话。\n"
    "  minzheng duty roster-add --db PATH --kind city|county|township|institution --region CODE\n"
    "                           [--name 名称] [--phone 值班电话] [--institution ID]\n"
    "      为一个单位建立值班表，输出编号。\n"
    "  minzheng duty shift-add --db PATH --roster N --person 姓名 --phone 电话\n"
    "                          --start YYYY-MM-DDTHH:MM --end YYYY-MM-DDTHH:MM [--post leader|officer]\n"
    "      排一个班次（默认值班员 officer；leader 为带班领导），输出编号。跨夜的班次结束于次日。\n"
    "  minzheng duty shifts --db PATH --roster N [--from T] [--to T]\n"
    "      班次：编号 岗位 姓名 电话（脱敏） 开始 结束 报告 交班。默认今天起 8 天。\n"
    "  minzheng duty now --db PATH [--region CODE] [--at T]\n"
    "      此刻（或 --at 时刻）在岗的人：值班表 带班领导/值班员 姓名 电话（脱敏） 至；无值班员的\n"
    "      值班表标“空岗”。\n"
    "  minzheng duty coverage --db PATH --roster N --from T --to T\n"
    "      值班员覆盖情况：空档和重叠的时段（JSON 同 API）。\n"
    "  minzheng duty report --db PATH --shift N (--zero | --events 文字)\n"
    "      班次的值班报告：--zero 为零报告（本班无情况）。\n"
    "  minzheng duty handover --db PATH --shift N --to M [--notes 交接事项] [--at T]\n"
    "      交班给同一值班表同一岗位的下一班 M。\n"
    "\n"
    "usage:\n"
    "  minzheng duty rosters|roster-add|shift-add|shifts|now|coverage|report|handover --db PATH …\n"
    "  24-hour duty rosters per unit (docs/duty.md). Times are local, YYYY-MM-DDTHH:MM.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

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

/* A time option: a date (its 00:00) or a local time; def when absent. -1 after printing why. */
static int time_opt(int argc, char **argv, const char *name, int64_t def, int64_t *out)
{
	const char *v = cli_opt(argc, argv, name);
	char t[40];
	if (!v) {
		*out = def;
		return 0;
	}
	if (strlen(v) == 10)
		snprintf(t, sizeof t, "%sT00:00", v);
	else
		text_copy(t, sizeof t, v);
	if (duty_time_parse(t, out) < 0) {
		fprintf(stderr, "错误：--%s 应为 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM：%s\n", name, v);
		return -1;
	}
	return 0;
}

static int64_t today_midnight(void)
{
	char today[11], t[20];
	int64_t m = 0;
	clock_today(today);
	snprintf(t, sizeof t, "%sT00:00", today);
	duty_time_parse(t, &m);
	return m;
}

static int do_rosters(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct duty_roster_query q;
	struct duty_roster_page p;
	struct err e;
	memset(&q, 0, sizeof q);
	text_copy(q.region, sizeof q.region, cli_opt(argc, argv, "region"));
	q.limit = DUTY_PAGE_MAX;
	for (;;) {
		if (duty_roster_list(db, a, &q, &p, &e) < 0) {
			cli_print_err(&e);
			return 1;
		}
		for (int i = 0; i < p.n; i++)
			printf("%" PRId64 "\t%s\t%s\t%s\t%s\n", p.items[i].id, p.items[i].unit_kind,
			       p.items[i].region_code, p.items[i].name, p.items[i].duty_phone);
		int n = p.n;
		duty_roster_page_release(&p);
		q.offset += n;
		if (n < q.limit)
			break;
	}
	return 0;
}

static int do_roster_add(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct duty_roster *in = calloc(1, sizeof *in);
	struct err e;
	int64_t id;
	int rc = 1;
	if (!in)
		return 1;
	text_copy(in->unit_kind, sizeof in->unit_kind, cli_opt(argc, argv, "kind"));
	text_copy(in->region_code, sizeof in->region_code, cli_opt(argc, argv, "region"));
	text_copy(in->name, sizeof in->name, cli_opt(argc, argv, "name"));
	text_copy(in->duty_phone, sizeof in->duty_phone, cli_opt(argc, argv, "phone"));
	if (cli_opt(argc, argv, "institution") &&
	    parse_id(cli_opt(argc, argv, "institution"), &in->institution_id) < 0) {
		fprintf(stderr, "错误：--institution 应为机构编号\n");
		free(in);
		return 2;
	}
	if (duty_roster_create(db, a, in, &id, &e) < 0)
		cli_print_err(&e);
	else {
		printf("%" PRId64 "\n", id);
		rc = 0;
	}
	free(in);
	return rc;
}

static int do_shift_add(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct duty_shift *in = calloc(1, sizeof *in);
	struct err e;
	int64_t roster, id;
	int rc = 1;
	if (!in)
		return 1;
	if (parse_id(cli_opt(argc, argv, "roster"), &roster) < 0) {
		fprintf(stderr, "错误：缺少 --roster N（值班表编号）\n");
		free(in);
		return 2;
	}
	text_copy(in->post, sizeof in->post,
		  cli_opt(argc, argv, "post") ? cli_opt(argc, argv, "post") : "officer");
	text_copy(in->person_name, sizeof in->person_name, cli_opt(argc, argv, "person"));
	text_copy(in->phone, sizeof in->phone, cli_opt(argc, argv, "phone"));
	text_copy(in->start_at, sizeof in->start_at, cli_opt(argc, argv, "start"));
	text_copy(in->end_at, sizeof in->end_at, cli_opt(argc, argv, "end"));
	text_copy(in->note, sizeof in->note, cli_opt(argc, argv, "note"));
	if (duty_shift_add(db, a, roster, in, &id, &e) < 0)
		cli_print_err(&e);
	else {
		printf("%" PRId64 "\n", id);
		rc = 0;
	}
	free(in);
	return rc;
}

static int do_shifts(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct duty_shift *s;
	struct err e;
	int64_t roster, from, to;
	int n;
	if (parse_id(cli_opt(argc, argv, "roster"), &roster) < 0) {
		fprintf(stderr, "错误：缺少 --roster N（值班表编号）\n");
		return 2;
	}
	if (time_opt(argc, argv, "from", today_midnight(), &from) < 0 ||
	    time_opt(argc, argv, "to", from + 8 * 1440, &to) < 0)
		return 2;
	if (duty_shifts(db, a, roster, from, to, -1, 0, &s, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < n; i++)
		printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s[i].id, s[i].post,
		       s[i].person_name, s[i].phone, s[i].start_at, s[i].end_at,
		       s[i].report_kind[0] ? s[i].report_kind : "-", s[i].handover_id ? "已交班" : "-");
	free(s);
	return 0;
}

static int do_now(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct duty_now n;
	struct err e;
	if (duty_now(db, a, cli_opt(argc, argv, "region"), cli_opt(argc, argv, "at"), 0, &n, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("# %s\n", n.at);
	for (int i = 0; i < n.n; i++) {
		const struct duty_now_unit *u = &n.units[i];
		printf("%s\t%s\t%s", u->roster.region_code, u->roster.name, u->roster.duty_phone);
		for (int k = 0; k < u->n_on_duty; k++)
			printf("\t%s:%s %s 至 %s", strcmp(u->on_duty[k].post, "leader") == 0 ? "带班" : "值班",
			       u->on_duty[k].person_name, u->on_duty[k].phone, u->on_duty[k].end_at);
		printf("%s\n", u->officer_on_duty ? "" : "\t空岗");
	}
	duty_now_release(&n);
	return 0;
}

static int do_coverage(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct duty_coverage *c = malloc(sizeof *c);
	struct err e;
	int64_t roster, from, to;
	int rc = 1;
	if (!c)
		return 1;
	if (parse_id(cli_opt(argc, argv, "roster"), &roster) < 0 || !cli_opt(argc, argv, "from") ||
	    !cli_opt(argc, argv, "to")) {
		fprintf(stderr, "错误：需要 --roster N --from T --to T\n");
		free(c);
		return 2;
	}
	if (time_opt(argc, argv, "from", 0, &from) < 0 || time_opt(argc, argv, "to", 0, &to) < 0) {
		free(c);
		return 2;
	}
	if (duty_roster_coverage(db, a, roster, from, to, c, &e) < 0) {
		cli_print_err(&e);
	} else {
		char f[DUTY_TIME_SZ], t[DUTY_TIME_SZ];
		duty_time_format(c->from, f);
		duty_time_format(c->to, t);
		printf("{\"from\":\"%s\",\"to\":\"%s\",\"covered_minutes\":%" PRId64
		       ",\"gap_minutes\":%" PRId64 ",\"overlap_minutes\":%" PRId64 ",\"gaps\":[",
		       f, t, c->covered_minutes, c->gap_minutes, c->overlap_minutes);
		for (int i = 0; i < c->n_gaps && i < DUTY_MAX_SPANS; i++) {
			duty_time_format(c->gaps[i].start, f);
			duty_time_format(c->gaps[i].end, t);
			printf("%s{\"from\":\"%s\",\"to\":\"%s\"}", i ? "," : "", f, t);
		}
		printf("],\"overlaps\":[");
		for (int i = 0; i < c->n_overlaps && i < DUTY_MAX_SPANS; i++) {
			duty_time_format(c->overlaps[i].start, f);
			duty_time_format(c->overlaps[i].end, t);
			printf("%s{\"from\":\"%s\",\"to\":\"%s\"}", i ? "," : "", f, t);
		}
		printf("]}\n");
		rc = 0;
	}
	free(c);
	return rc;
}

static int do_report(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t shift;
	int zero = cli_flag(argc, argv, "zero");
	const char *events = cli_opt(argc, argv, "events");
	if (parse_id(cli_opt(argc, argv, "shift"), &shift) < 0 || (!zero && !events)) {
		fprintf(stderr, "错误：需要 --shift N 和 --zero 或 --events 文字\n");
		return 2;
	}
	if (duty_shift_report(db, a, shift, zero, events ? events : "", &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("已报告 / reported: %" PRId64 " %s\n", shift, zero ? "zero" : "events");
	return 0;
}

static int do_handover(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct err e;
	int64_t shift, to, id;
	if (parse_id(cli_opt(argc, argv, "shift"), &shift) < 0 ||
	    parse_id(cli_opt(argc, argv, "to"), &to) < 0) {
		fprintf(stderr, "错误：需要 --shift N --to M\n");
		return 2;
	}
	const char *notes = cli_opt(argc, argv, "notes");
	if (duty_handover(db, a, shift, to, notes ? notes : "", cli_opt(argc, argv, "at"), &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%" PRId64 "\n", id);
	return 0;
}

int cmd_duty(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct db *db, const struct actor *a, int argc, char **argv);
	} subs[] = {
		{"rosters", do_rosters}, {"roster-add", do_roster_add}, {"shift-add", do_shift_add},
		{"shifts", do_shifts},	 {"now", do_now},		{"coverage", do_coverage},
		{"report", do_report},	 {"handover", do_handover},
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
		struct actor sys;
		actor_system(&sys);
		if (cli_open_db(cli_opt(argc - 1, argv + 1, "db"), &db) < 0)
			return 1;
		int rc = subs[i].fn(db, &sys, argc - 1, argv + 1);
		db_close(db);
		return rc;
	}
	fprintf(stderr, "未知的子命令：%s\n\n%s", argv[1], usage);
	return 2;
}
