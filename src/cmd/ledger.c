/* ledger.c (cmd) — `minzheng ledger list|add|assign|visit|close|reopen|overdue|stats|sync|contact`:
 * the hardship ledger (特殊困难群众台账) from the command line, as the system actor (the whole
 * city). The work is done by the ledger module (src/ledger/), the same functions the API calls;
 * this file parses options and prints. */
#include "cmd/commands.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/text.h"
#include "ledger/ledger.h"

static const char usage[] =
    "用法：\n"
    "  minzheng ledger list --db PATH [--region CODE] [--category C] [--status active|closed|all]\n"
    "                       [--due] [--date YYYY-MM-DD] [--limit N] [--offset N]\n"
    "      台账对象（逾期的在前）：编号 村居 姓名 类别 包帮责任人 上次走访 应访日期 逾期天数。\n"
    "  minzheng ledger add --db PATH --person ID --category C[,C…] [--note TEXT] [--joined DATE]\n"
    "      手工登记（类别不含 dibao、tekun：由救助名册自动认定）。\n"
    "  minzheng ledger assign --db PATH --person ID --helper USERNAME [--name 姓名] [--phone 电话]\n"
    "      指定包帮责任人（姓名、电话首次必填，之后沿用）。\n"
    "  minzheng ledger visit --db PATH --person ID --mode home|phone|wechat|other|survey\n"
    "                        [--date YYYY-MM-DD] [--visitor 姓名] [--findings TEXT] [--actions TEXT]\n"
    "                        [--need KIND[:说明]]… [--resolve NEED_ID:met|unmet[:说明]]…\n"
    "      记录走访探视；KIND 为 food medicine masks care money other。\n"
    "  minzheng ledger close --db PATH --person ID --reason TEXT\n"
    "  minzheng ledger reopen --db PATH --person ID\n"
    "  minzheng ledger overdue --db PATH [--region CODE] [--date YYYY-MM-DD] [--limit N]\n"
    "      应访未访名单（截至该日到期未走访，逾期最久的在前）与下一级区划的统计。\n"
    "  minzheng ledger stats --db PATH [--from YYYY-MM] [--to YYYY-MM] [--region CODE]\n"
    "                        [--format text|json]\n"
    "      按期间、按下一级区划：在册人数（分类别）、走访次数、逾期走访、期末应访未访、需求解决情况。\n"
    "  minzheng ledger sync --db PATH [--region CODE] [--today YYYY-MM-DD]\n"
    "      按户籍标签和低保、特困等名册同步台账（新增、调整类别、自动销号）；可重复运行。\n"
    "  minzheng ledger contact --db PATH --township CODE --phone PHONE [--note TEXT]\n"
    "      设置镇（街道）24 小时值守电话。\n"
    "\n"
    "usage:\n"
    "  minzheng ledger list|add|assign|visit|close|reopen|overdue|stats|sync|contact --db PATH …\n"
    "      The hardship ledger: entries, helpers, visits and needs, the overdue list, statistics,\n"
    "      the sync with the registry tags and assistance rolls, townships' 24-hour numbers.\n";

static int64_t opt_id(int argc, char **argv, const char *name)
{
	const char *v = cli_opt(argc, argv, name);
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	return errno || end == v || *end || x <= 0 ? -1 : (int64_t)x;
}

static void categories_text(unsigned mask, char *buf, size_t n)
{
	const struct ledger_category_def *d = ledger_category_defs();
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < LEDGER_NCAT; i++)
		if (mask & LEDGER_CAT_BIT(i)) {
			int w = snprintf(buf + used, n - used, "%s%s", used ? "、" : "", d[i].label);
			if (w < 0 || (size_t)w >= n - used)
				return;
			used += (size_t)w;
		}
}

static void print_entry(const struct ledger_entry *en, const char *as_of)
{
	char cats[512], id[24] = "", late[32] = "";
	categories_text(en->categories, cats, sizeof cats);
	if (en->id_number[0])
		idnum_mask(en->id_number, id);
	const int active = strcmp(en->status, "active") == 0;
	int days = active ? ledger_days_overdue(en->next_due, as_of) : -1;
	if (days >= 0)
		snprintf(late, sizeof late, "逾期 %d 天", days);
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", en->id, en->region_code, en->name,
	       id, cats,
	       en->helper.user_id ? (en->helper.name[0] ? en->helper.name : en->helper.username) : "-",
	       en->last_visit_on[0] ? en->last_visit_on : "-", active ? en->next_due : "已销号", late);
}

static int do_list(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct ledger_query q;
	struct ledger_page pg;
	struct err e;
	memset(&q, 0, sizeof q);
	text_copy(q.region, sizeof q.region, cli_opt(argc, argv, "region"));
	text_copy(q.category, sizeof q.category, cli_opt(argc, argv, "category"));
	text_copy(q.status, sizeof q.status, cli_opt(argc, argv, "status"));
	text_copy(q.as_of, sizeof q.as_of, cli_opt(argc, argv, "date"));
	q.due = cli_flag(argc, argv, "due");
	q.limit = cli_opt(argc, argv, "limit") ? atoi(cli_opt(argc, argv, "limit")) : 50;
	q.offset = cli_opt(argc, argv, "offset") ? atoll(cli_opt(argc, argv, "offset")) : 0;
	if (ledger_entry_list(db, sys, &q, &pg, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	char as_of[11];
	if (q.as_of[0])
		text_copy(as_of, sizeof as_of, q.as_of);
	else
		clock_today(as_of);
	printf("# total=%" PRId64 " shown=%d\n", pg.total, pg.n);
	for (int i = 0; i < pg.n; i++)
		print_entry(&pg.items[i], as_of);
	ledger_page_release(&pg);
	return 0;
}

static int need_person(int64_t id)
{
	if (id > 0)
		return 0;
	fprintf(stderr, "错误：缺少或无效的 --person ID（人员编号）\n");
	return -1;
}

static int do_add(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct ledger_add_in in;
	struct err e;
	memset(&in, 0, sizeof in);
	in.person_id = opt_id(argc, argv, "person");
	if (need_person(in.person_id) < 0)
		return 2;
	const char *cats = cli_opt(argc, argv, "category");
	char buf[512];
	text_copy(buf, sizeof buf, cats);
	const char *codes[LEDGER_NCAT];
	int n = 0;
	for (char *tok = buf, *next; tok && *tok && n < LEDGER_NCAT; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		codes[n++] = tok;
	}
	if (ledger_categories_parse(codes, n, 1, "category", &in.manual_categories, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	text_copy(in.note, sizeof in.note, cli_opt(argc, argv, "note"));
	text_copy(in.joined_on, sizeof in.joined_on, cli_opt(argc, argv, "joined"));
	if (ledger_entry_add(db, sys, &in, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("已登记 / added: %" PRId64 "\n", in.person_id);
	return 0;
}

static int do_assign(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct ledger_assign_in in;
	struct err e;
	int64_t id = opt_id(argc, argv, "person");
	if (need_person(id) < 0)
		return 2;
	memset(&in, 0, sizeof in);
	text_copy(in.username, sizeof in.username, cli_opt(argc, argv, "helper"));
	text_copy(in.name, sizeof in.name, cli_opt(argc, argv, "name"));
	text_copy(in.phone, sizeof in.phone, cli_opt(argc, argv, "phone"));
	if (ledger_entry_assign(db, sys, id, &in, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("已指定包帮责任人 / helper assigned: %" PRId64 " %s\n", id, in.username);
	return 0;
}

static int do_visit(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct err e;
	int64_t id = opt_id(argc, argv, "person"), vid = 0;
	if (need_person(id) < 0)
		return 2;
	struct ledger_visit_in *in = calloc(1, sizeof *in);
	if (!in) {
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	text_copy(in->visited_on, sizeof in->visited_on, cli_opt(argc, argv, "date"));
	text_copy(in->mode, sizeof in->mode, cli_opt(argc, argv, "mode"));
	text_copy(in->visitor, sizeof in->visitor, cli_opt(argc, argv, "visitor"));
	text_copy(in->findings, sizeof in->findings, cli_opt(argc, argv, "findings"));
	text_copy(in->actions, sizeof in->actions, cli_opt(argc, argv, "actions"));
	for (int i = 1; i + 1 < argc; i++) {
		char buf[LEDGER_SZ(LEDGER_NOTE_CHARS) + 32];
		if (strcmp(argv[i], "--need") == 0 && in->n_needs < LEDGER_MAX_NEEDS) {
			text_copy(buf, sizeof buf, argv[i + 1]);
			char *colon = strchr(buf, ':');
			if (colon)
				*colon++ = '\0';
			struct ledger_need_in *n = &in->needs[in->n_needs++];
			text_copy(n->kind, sizeof n->kind, buf);
			text_copy(n->detail, sizeof n->detail, colon);
		} else if (strcmp(argv[i], "--resolve") == 0 && in->n_resolve < LEDGER_MAX_NEEDS) {
			text_copy(buf, sizeof buf, argv[i + 1]);
			char *st = strchr(buf, ':'), *text = NULL;
			if (st) {
				*st++ = '\0';
				if ((text = strchr(st, ':')))
					*text++ = '\0';
			}
			struct ledger_resolve_in *r = &in->resolve[in->n_resolve++];
			r->need_id = atoll(buf);
			text_copy(r->status, sizeof r->status, st);
			text_copy(r->resolution, sizeof r->resolution, text);
		}
	}
	int rc = ledger_visit_add(db, sys, id, in, &vid, &e);
	free(in);
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("已记录走访 / visit recorded: entry=%" PRId64 " visit=%" PRId64 "\n", id, vid);
	return 0;
}

static int do_close(struct db *db, const struct actor *sys, int argc, char **argv, int reopen)
{
	struct err e;
	int64_t id = opt_id(argc, argv, "person");
	if (need_person(id) < 0)
		return 2;
	int rc = reopen ? ledger_entry_reopen(db, sys, id, &e)
			: ledger_entry_close(db, sys, id, cli_opt(argc, argv, "reason"), &e);
	if (rc < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%s: %" PRId64 "\n", reopen ? "已恢复 / reopened" : "已销号 / closed", id);
	return 0;
}

static int do_overdue(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct err e;
	struct ledger_overdue *o = calloc(1, sizeof *o);
	if (!o)
		return 1;
	int limit = cli_opt(argc, argv, "limit") ? atoi(cli_opt(argc, argv, "limit")) : 50;
	if (ledger_overdue_list(db, sys, cli_opt(argc, argv, "region"), cli_opt(argc, argv, "date"),
				limit, 0, 1, o, &e) < 0) {
		cli_print_err(&e);
		free(o);
		return 1;
	}
	printf("# date=%s region=%s overdue=%" PRId64 " shown=%d\n", o->as_of,
	       o->region[0] ? o->region : "(all)", o->page.total, o->page.n);
	for (int i = 0; i < o->page.n; i++) {
		const struct ledger_entry *en = &o->page.items[i];
		char cats[512];
		categories_text(en->categories, cats, sizeof cats);
		printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\t逾期 %d 天\n", en->id, en->region_name,
		       en->name, cats,
		       en->helper.user_id ? (en->helper.name[0] ? en->helper.name : en->helper.username) : "（未指定）",
		       en->last_visit_on[0] ? en->last_visit_on : "（未走访）", en->next_due,
		       ledger_days_overdue(en->next_due, o->as_of));
	}
	for (int i = 0; i < o->n_groups; i++)
		printf("## %s\t%s\tactive=%" PRId64 "\toverdue=%" PRId64 "\n", o->groups[i].region_code,
		       o->groups[i].name, o->groups[i].active, o->groups[i].overdue);
	ledger_overdue_release(o);
	free(o);
	return 0;
}

static int do_stats(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct err e;
	struct ledger_stats s;
	const char *fmt = cli_opt(argc, argv, "format");
	if (ledger_stats_get(db, sys, cli_opt(argc, argv, "from"), cli_opt(argc, argv, "to"),
			     cli_opt(argc, argv, "region"), &s, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	if (fmt && strcmp(fmt, "json") == 0) {
		json_t *j = ledger_stats_json(&s);
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		if (text)
			puts(text);
		free(text);
	} else {
		printf("# %s 至 %s（期末 %s）\n", s.from, s.to, s.end);
		printf("区划\t名称\t在册\t新增\t销号\t走访\t逾期走访\t期末应访未访\t新需求\t已解决\t无法解决\t未解决\n");
		for (int i = 0; i <= s.n; i++) {
			const struct ledger_figures *f = i < s.n ? &s.items[i] : &s.total;
			printf("%s\t%s\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64
			       "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\t%" PRId64 "\n",
			       f->region_code[0] ? f->region_code : "-", f->name, f->entries, f->joined,
			       f->closed, f->visits, f->late_visits, f->overdue, f->needs_raised,
			       f->needs_met, f->needs_unmet, f->needs_open);
		}
	}
	ledger_stats_release(&s);
	return 0;
}

static int do_sync(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct err e;
	struct ledger_sync_result r;
	if (ledger_sync(db, sys, cli_opt(argc, argv, "region"), cli_opt(argc, argv, "today"), &r,
			&e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("examined=%" PRId64 " joined=%" PRId64 " updated=%" PRId64 " closed=%" PRId64
	       " reopened=%" PRId64 "\n",
	       r.examined, r.joined, r.updated, r.closed, r.reopened);
	return 0;
}

static int do_contact(struct db *db, const struct actor *sys, int argc, char **argv)
{
	struct err e;
	const char *t = cli_opt(argc, argv, "township");
	if (ledger_contact_set(db, sys, t, cli_opt(argc, argv, "phone"), cli_opt(argc, argv, "note"),
			       &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("已设置 24 小时值守电话 / 24-hour number set: %s\n", t);
	return 0;
}

int cmd_ledger(int argc, char **argv)
{
	static const char *const subs[] = {"list",  "add",     "assign", "visit", "close",
					   "reopen", "overdue", "stats",  "sync",  "contact"};
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    (argc >= 2 && strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	int which = -1;
	for (int i = 0; argc >= 2 && i < (int)(sizeof subs / sizeof subs[0]); i++)
		if (strcmp(argv[1], subs[i]) == 0)
			which = i;
	if (which < 0) {
		fputs(usage, stderr);
		return 2;
	}
	struct actor sys;
	struct db *db;
	actor_system(&sys);
	argc--, argv++;
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int rc;
	switch (which) {
	case 0: rc = do_list(db, &sys, argc, argv); break;
	case 1: rc = do_add(db, &sys, argc, argv); break;
	case 2: rc = do_assign(db, &sys, argc, argv); break;
	case 3: rc = do_visit(db, &sys, argc, argv); break;
	case 4: rc = do_close(db, &sys, argc, argv, 0); break;
	case 5: rc = do_close(db, &sys, argc, argv, 1); break;
	case 6: rc = do_overdue(db, &sys, argc, argv); break;
	case 7: rc = do_stats(db, &sys, argc, argv); break;
	case 8: rc = do_sync(db, &sys, argc, argv); break;
	default: rc = do_contact(db, &sys, argc, argv); break;
	}
	db_close(db);
	return rc;
}
