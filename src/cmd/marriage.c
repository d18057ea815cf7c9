/* cmd/marriage.c — `minzheng marriage …`: marriage-registration appointments from the command
 * line, as the system actor (every office, every permission). The work is done by src/marriage/
 * — the same domain functions the API calls; output is the API's JSON (offices, the day's list,
 * the bookings to call) so that scripts and people read one form. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "marriage/marriage.h"

static const char usage[] =
    "用法：\n"
    "  minzheng marriage offices --db PATH\n"
    "      列出婚姻登记处及预约设置（JSON）。\n"
    "  minzheng marriage office-set --db PATH --id N --hours 开放时间 --slot-minutes N --capacity N\n"
    "      设置开放时间（周一至周日 7 段以分号分隔，如 \"09:00-12:00,13:30-17:00;…;;\"）、\n"
    "      时段分钟数与每时段对数。不会取消预约。\n"
    "  minzheng marriage rule --db PATH --id N --from DATE [--capacity-limit N] [--one-couple]\n"
    "                         [--no-counselling] [--no-ceremony] [--note 说明]\n"
    "      自 DATE 起生效的疫情防控规则。\n"
    "  minzheng marriage close --db PATH --id N --date DATE --reason 原因\n"
    "  minzheng marriage reopen --db PATH --id N --date DATE\n"
    "  minzheng marriage slots --db PATH --id N --date DATE\n"
    "  minzheng marriage day --db PATH --id N --date DATE [--unmask]\n"
    "      当日名单与统计（JSON）。\n"
    "  minzheng marriage over --db PATH --id N [--from DATE]\n"
    "      需电话联系的预约（超出容量、闭馆、时段取消）。\n"
    "  minzheng marriage checkin --db PATH --booking N --temperature 36.5\n"
    "  minzheng marriage outcome --db PATH --booking N --outcome registered|not_registered|no_show\n"
    "                            [--reason 原因]\n"
    "  以 system 身份写入并记审计日志。\n"
    "\n"
    "usage: the same commands — list offices; set an office's hours, slot length and couples per\n"
    "slot; a dated epidemic rule; close or reopen a date; a day's slots; the day's list; the\n"
    "bookings to call; check-in with the temperature; the outcome.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int print_json(json_t *j)
{
	if (!j) {
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	char *s = json_dumps(j, JSON_INDENT(2));
	json_decref(j);
	if (!s)
		return 1;
	printf("%s\n", s);
	free(s);
	return 0;
}

static int need_id(int argc, char **argv, const char *name, int64_t *out)
{
	const char *v = cli_opt(argc, argv, name);
	char *end;
	long long n = v ? strtoll(v, &end, 10) : 0;
	if (!v || *end || n <= 0) {
		fprintf(stderr, "错误：缺少或无效的 --%s\n%s", name, usage);
		return -1;
	}
	*out = n;
	return 0;
}

static int cmd_offices(struct db *db, const struct actor *a)
{
	struct marriage_office_list l;
	struct err e;
	if (marriage_office_list(db, a, &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, marriage_office_json(&l.items[i]));
	int n = l.n;
	marriage_office_list_release(&l);
	return print_json(json_pack("{s:o, s:i}", "items", items, "total", n));
}

static int cmd_day(struct db *db, const struct actor *a, int64_t id, const char *date, int unmask)
{
	struct marriage_day_list l;
	struct err e;
	if (marriage_day(db, a, id, date, unmask, &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, marriage_booking_json(&l.items[i]));
	json_t *j = json_pack("{s:s, s:o, s:i, s:o}", "date", date, "items", items, "total", l.n,
			      "stats", marriage_stats_json(&l.stats));
	marriage_day_list_release(&l);
	return print_json(j);
}

static int cmd_over(struct db *db, const struct actor *a, int64_t id, const char *from)
{
	struct marriage_over_list l;
	struct err e;
	if (marriage_over_capacity(db, a, id, from, &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++) {
		json_t *j = marriage_booking_json(&l.items[i].b);
		if (j) {
			json_object_set_new(j, "why", json_string(l.items[i].why));
			json_object_set_new(j, "capacity", json_integer(l.items[i].capacity));
		}
		json_array_append_new(items, j);
	}
	int n = l.n;
	marriage_over_list_release(&l);
	return print_json(json_pack("{s:o, s:i}", "items", items, "total", n));
}

/* "36.5" → 365; -1 when not a temperature with at most one decimal. */
static int tenths(const char *s)
{
	int whole = 0, frac = 0, n = 0;
	if (!s || sscanf(s, "%d%n", &whole, &n) != 1)
		return -1;
	if (s[n] == '.') {
		if (s[n + 1] < '0' || s[n + 1] > '9' || s[n + 2])
			return -1;
		frac = s[n + 1] - '0';
	} else if (s[n]) {
		return -1;
	}
	return whole * 10 + frac;
}

static int run(struct db *db, const char *sub, int argc, char **argv)
{
	struct actor a;
	struct err e;
	int64_t id = 0;
	int rc = 0;
	actor_system(&a);
	if (strcmp(sub, "offices") == 0)
		return cmd_offices(db, &a);
	if (strcmp(sub, "checkin") == 0 || strcmp(sub, "outcome") == 0) {
		if (need_id(argc, argv, "booking", &id) < 0)
			return 2;
		if (strcmp(sub, "checkin") == 0) {
			int t = tenths(cli_opt(argc, argv, "temperature"));
			if (t < 0) {
				fprintf(stderr, "错误：缺少或无效的 --temperature（如 36.5）\n");
				return 2;
			}
			rc = marriage_checkin(db, &a, id, t, NULL, &e);
		} else {
			const char *o = cli_opt(argc, argv, "outcome"), *r = cli_opt(argc, argv, "reason");
			rc = marriage_outcome(db, &a, id, o ? o : "", r ? r : "", &e);
		}
		struct marriage_booking b;
		if (rc == 0)
			rc = marriage_booking_get(db, &a, id, &b, &e);
		if (rc < 0) {
			cli_print_err(&e);
			return 1;
		}
		return print_json(marriage_booking_json(&b));
	}
	if (need_id(argc, argv, "id", &id) < 0)
		return 2;
	const char *date = cli_opt(argc, argv, "date");
	if (strcmp(sub, "office-set") == 0) {
		struct marriage_office_in in;
		const char *h = cli_opt(argc, argv, "hours"), *sm = cli_opt(argc, argv, "slot-minutes"),
			   *c = cli_opt(argc, argv, "capacity");
		memset(&in, 0, sizeof in);
		snprintf(in.hours, sizeof in.hours, "%s", h ? h : "");
		in.slot_minutes = sm ? atoi(sm) : 0;
		in.capacity = c ? atoi(c) : 0;
		rc = marriage_office_set(db, &a, id, &in, &e);
	} else if (strcmp(sub, "rule") == 0) {
		struct marriage_rule r;
		const char *from = cli_opt(argc, argv, "from"), *lim = cli_opt(argc, argv, "capacity-limit"),
			   *note = cli_opt(argc, argv, "note");
		memset(&r, 0, sizeof r);
		snprintf(r.effective_from, sizeof r.effective_from, "%s", from ? from : "");
		r.capacity_limit = lim ? atoi(lim) : 0;
		r.one_couple = cli_flag(argc, argv, "one-couple");
		r.counselling_suspended = cli_flag(argc, argv, "no-counselling");
		r.ceremony_suspended = cli_flag(argc, argv, "no-ceremony");
		snprintf(r.note, sizeof r.note, "%s", note ? note : "");
		rc = marriage_rule_set(db, &a, id, &r, &e);
	} else if (strcmp(sub, "close") == 0 || strcmp(sub, "reopen") == 0) {
		const char *reason = cli_opt(argc, argv, "reason");
		rc = marriage_closed_set(db, &a, id, date ? date : "", strcmp(sub, "close") == 0,
					 reason ? reason : "", &e);
	} else if (strcmp(sub, "slots") == 0) {
		struct marriage_day_plan *p = calloc(1, sizeof *p);
		if (!p)
			return 1;
		rc = marriage_day_plan(db, id, date ? date : "", p, &e);
		json_t *j = rc == 0 ? marriage_plan_json(p, 0) : NULL;
		free(p);
		if (rc < 0) {
			cli_print_err(&e);
			return 1;
		}
		return print_json(j);
	} else if (strcmp(sub, "day") == 0) {
		return cmd_day(db, &a, id, date ? date : "", cli_flag(argc, argv, "unmask"));
	} else if (strcmp(sub, "over") == 0) {
		return cmd_over(db, &a, id, cli_opt(argc, argv, "from"));
	} else {
		fprintf(stderr, "错误：未知的子命令 %s\n%s", sub, usage);
		return 2;
	}
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	struct marriage_office o;
	if (marriage_office_get(db, &a, id, &o, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	return print_json(marriage_office_json(&o));
}

int cmd_marriage(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *path = cli_opt(argc, argv, "db");
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH\n%s", usage);
		return 2;
	}
	struct db *db;
	if (cli_open_db(path, &db) < 0)
		return 1;
	int rc = run(db, argv[1], argc, argv);
	db_close(db);
	return rc;
}
