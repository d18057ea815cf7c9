/* relief.c (cmd) — `minzheng relief`: temporary assistance (临时救助) and the townships' reserve
 * funds from the command line, through the same domain functions as the API (relief.h).
 * Acts as the system user, or as a named user with --as USERNAME (their role and scope). */
#include "cmd/commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "cmd/cli.h"
#include "relief/relief.h"

static const char usage[] =
    "用法 / usage:\n"
    "  minzheng relief apply   --db PATH --person ID --kind emergency|expense --cause CODE\n"
    "                          --amount YUAN [--form cash|goods] [--goods 物品及折价]\n"
    "                          [--applied-by self|village_worker|hotline|ledger_visit]\n"
    "                          [--source REF] [--reason 说明] [--pay-first] [--on YYYY-MM-DD]\n"
    "      申请临时救助；--pay-first 先行救助，立即从镇街备用金发放。\n"
    "  minzheng relief papers|approve|refuse|pay|deliver|return --db PATH --id N\n"
    "                          [--note 意见或理由] [--on YYYY-MM-DD]\n"
    "      补齐材料、审批同意、不予救助、发放、物资送达、退回。\n"
    "  minzheng relief decision --db PATH --id N --participants 参会人员 --decision 议定结论\n"
    "                          [--on YYYY-MM-DD]      一事一议记录（县级）\n"
    "  minzheng relief show    --db PATH --id N\n"
    "  minzheng relief list    --db PATH [--region CODE] [--decision pending|approved|refused]\n"
    "                          [--payment none|drawn|paid|returned] [--pay-first] [--limit N]\n"
    "  minzheng relief overdue --db PATH [--kind papers|decisions|deliveries] [--as-of DATE]\n"
    "  minzheng relief reserve --db PATH [--township CODE]       备用金余额（及流水）\n"
    "  minzheng relief reserve add --db PATH --township CODE --kind allocation|replenishment\n"
    "                          --amount YUAN [--note 说明] [--on DATE]   县级拨付或补充\n"
    "  minzheng relief needs   --db PATH [--status open|met]       备用金补充需求\n"
    "  minzheng relief reconcile --db PATH [--township CODE]     备用金与救助记录核对\n"
    "  minzheng relief totals  --db PATH --from YYYY-MM --to YYYY-MM   已发放人次与金额\n"
    "  所有子命令都可加 --as USERNAME，以该用户的角色和管辖范围办理（默认系统用户）。\n"
    "  Every subcommand takes --as USERNAME to act with that user's role and scope.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static void yuan(int64_t fen, char out[32])
{
	snprintf(out, 32, "%s%" PRId64 ".%02d", fen < 0 ? "-" : "", (fen < 0 ? -fen : fen) / 100,
		 (int)((fen < 0 ? -fen : fen) % 100));
}

/* "1500", "1500.5", "1500.50" → fen; -1 when malformed. */
static int64_t parse_yuan(const char *s)
{
	if (!s || !*s)
		return -1;
	int64_t y = 0, f = 0;
	const char *p = s;
	for (; *p >= '0' && *p <= '9'; p++) {
		y = y * 10 + (*p - '0');
		if (y > 100000000000LL)
			return -1;
	}
	if (p == s)
		return -1;
	if (*p == '.') {
		p++;
		int digits = 0;
		for (; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
			f = f * 10 + (*p - '0');
		if (digits == 0)
			return -1;
		if (digits == 1)
			f *= 10;
	}
	return *p ? -1 : y * 100 + f;
}

static int open_as(int argc, char **argv, struct db **db, struct actor *a)
{
	struct err e;
	if (cli_open_db(cli_opt(argc, argv, "db"), db) < 0)
		return -1;
	const char *as = cli_opt(argc, argv, "as");
	if (!as) {
		actor_system(a);
		return 0;
	}
	int64_t id = db_query_int(*db, "SELECT id FROM users WHERE username = ?", as);
	if (id <= 0) {
		fprintf(stderr, "错误：没有用户 %s\n", as);
		db_close(*db);
		return -1;
	}
	if (accounts_actor_for_user(*db, id, a, &e) < 0) {
		cli_print_err(&e);
		db_close(*db);
		return -1;
	}
	snprintf(a->client, sizeof a->client, "cli");
	return 0;
}

static void print_grant(const struct relief_grant *g)
{
	char amt[32], mx[32];
	const struct relief_cause *c = relief_cause_find(g->cause);
	yuan(g->amount_fen, amt);
	yuan(g->max_fen, mx);
	printf("grant\t%" PRId64 "\n", g->id);
	printf("person\t%" PRId64 " %s %s\n", g->person_id, g->name, g->id_number);
	printf("region\t%s %s（%s）\n", g->region_code, g->region_name, g->township_name);
	printf("kind\t%s %s / %s\n", g->kind, relief_kind_label(g->kind), c ? c->label : g->cause);
	printf("amount\t%s 元（%s%s%s）\n", amt, relief_form_label(g->form),
	       g->goods_note[0] ? "：" : "", g->goods_note);
	printf("level\t%s（上限 %s 元%s%s）\n",
	       strcmp(g->level, "county") == 0 ? "县级审批" : "镇街审批", mx,
	       g->needs_decision ? "，须一事一议" : "", g->repeat_of ? "，同一事由再次救助" : "");
	printf("state\t%s（decision %s, payment %s）\n", relief_grant_label(g), g->decision,
	       g->payment);
	printf("applied\t%s by %s%s\n", g->applied_on, g->applied_user,
	       g->pay_first ? "，先行救助" : "");
	if (g->papers_due[0])
		printf("papers_due\t%s%s%s\n", g->papers_due, g->papers_on[0] ? "，已补齐于 " : "",
		       g->papers_on);
	printf("decision_due\t%s\n", g->decision_due);
	if (g->deliver_by[0])
		printf("deliver_by\t%s\n", g->deliver_by);
	if (g->paid_on[0])
		printf("paid_on\t%s\n", g->paid_on);
	if (g->decided_on[0])
		printf("decided\t%s by %s %s\n", g->decided_on, g->decided_by, g->decision_note);
}

static int show(struct db *db, const struct actor *a, int64_t id)
{
	struct err e;
	struct relief_grant *g = malloc(sizeof *g);
	if (!g)
		return 1;
	int rc = relief_grant_get(db, a, id, g, NULL, NULL, NULL, &e);
	if (rc < 0)
		cli_print_err(&e);
	else
		print_grant(g);
	free(g);
	return rc < 0 ? 1 : 0;
}

static int do_apply(int argc, char **argv)
{
	const char *person = cli_opt(argc, argv, "person"), *amount = cli_opt(argc, argv, "amount");
	if (!person || !amount) {
		fprintf(stderr, "错误：缺少 --person 或 --amount\n\n%s", usage);
		return 2;
	}
	int64_t fen = parse_yuan(amount);
	if (fen <= 0) {
		fprintf(stderr, "错误：--amount 应为金额（元），最多两位小数\n");
		return 2;
	}
	struct relief_apply_in in = {
	    .person_id = strtoll(person, NULL, 10),
	    .kind = cli_opt(argc, argv, "kind"),
	    .cause = cli_opt(argc, argv, "cause"),
	    .amount_fen = fen,
	    .form = cli_opt(argc, argv, "form") ? cli_opt(argc, argv, "form") : "cash",
	    .goods_note = cli_opt(argc, argv, "goods"),
	    .applied_by =
		cli_opt(argc, argv, "applied-by") ? cli_opt(argc, argv, "applied-by") : "self",
	    .source_ref = cli_opt(argc, argv, "source"),
	    .pay_first = cli_flag(argc, argv, "pay-first"),
	    .reason = cli_opt(argc, argv, "reason"),
	};
	struct db *db;
	struct actor a;
	struct err e;
	int64_t id;
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	int rc = relief_apply_on(db, &a, &in, cli_opt(argc, argv, "on"), &id, &e);
	if (rc < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	rc = show(db, &a, id);
	db_close(db);
	return rc;
}

static int do_step(int argc, char **argv, const char *step)
{
	const char *id = cli_opt(argc, argv, "id");
	if (!id) {
		fprintf(stderr, "错误：缺少 --id\n\n%s", usage);
		return 2;
	}
	struct relief_step_in in = {
	    .on = cli_opt(argc, argv, "on"),
	    .note = cli_opt(argc, argv, "note"),
	    .participants = cli_opt(argc, argv, "participants"),
	    .decision = cli_opt(argc, argv, "decision"),
	};
	struct db *db;
	struct actor a;
	struct err e;
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	int64_t gid = strtoll(id, NULL, 10);
	int rc = 0;
	if (strcmp(step, "papers") == 0)
		rc = relief_papers(db, &a, gid, &in, &e);
	else if (strcmp(step, "decision") == 0)
		rc = relief_decide_case(db, &a, gid, &in, &e);
	else if (strcmp(step, "approve") == 0)
		rc = relief_approve(db, &a, gid, &in, &e);
	else if (strcmp(step, "refuse") == 0)
		rc = relief_refuse(db, &a, gid, &in, &e);
	else if (strcmp(step, "pay") == 0)
		rc = relief_pay(db, &a, gid, &in, &e);
	else if (strcmp(step, "deliver") == 0)
		rc = relief_deliver(db, &a, gid, &in, &e);
	else if (strcmp(step, "return") == 0)
		rc = relief_return(db, &a, gid, &in, &e);
	if (rc < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	rc = show(db, &a, gid);
	db_close(db);
	return rc;
}

static int list_row(const struct relief_grant *g, void *ctx)
{
	char amt[32];
	(void)ctx;
	yuan(g->amount_fen, amt);
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", g->id, g->applied_on, g->region_code,
	       g->name, g->cause, amt, g->pay_first ? "先行" : "一般", relief_grant_label(g));
	return 0;
}

static int do_list(int argc, char **argv)
{
	const char *limit = cli_opt(argc, argv, "limit");
	struct relief_filter f = {
	    .region = cli_opt(argc, argv, "region"),
	    .decision = cli_opt(argc, argv, "decision"),
	    .payment = cli_opt(argc, argv, "payment"),
	    .pay_first = cli_flag(argc, argv, "pay-first") ? 1 : -1,
	    .limit = limit ? atoi(limit) : 50,
	};
	struct db *db;
	struct actor a;
	struct err e;
	int64_t total = 0;
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	printf("id\tapplied_on\tregion\tname\tcause\tamount\tpath\tstate\n");
	int rc = relief_grant_list(db, &a, &f, list_row, NULL, &total, &e);
	if (rc < 0)
		cli_print_err(&e);
	else
		printf("# total %" PRId64 "\n", total);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int overdue_row(const struct relief_overdue *o, void *ctx)
{
	char amt[32];
	(void)ctx;
	yuan(o->g.amount_fen, amt);
	printf("%s\t%" PRId64 "\t%s\t%s\t%s\t%s\t%d\t%s\n", o->kind, o->g.id, o->g.township_code,
	       o->g.name, amt, o->due, o->days_late, o->g.applied_user);
	return 0;
}

static int do_overdue(int argc, char **argv)
{
	struct db *db;
	struct actor a;
	struct err e;
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	printf("kind\tgrant\ttownship\tname\tamount\tdue\tdays_late\tapplied_by\n");
	int rc = relief_overdue_list(db, &a, cli_opt(argc, argv, "kind"),
				     cli_opt(argc, argv, "as-of"), overdue_row, NULL, &e);
	if (rc < 0)
		cli_print_err(&e);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int reserve_row(const struct relief_reserve *r, void *ctx)
{
	char b[32], al[32], rp[32], d[32], rt[32], nd[32];
	(void)ctx;
	yuan(r->balance_fen, b);
	yuan(r->allocated_fen, al);
	yuan(r->replenished_fen, rp);
	yuan(r->disbursed_fen, d);
	yuan(r->returned_fen, rt);
	yuan(r->open_need_fen, nd);
	printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%" PRId64 "\t%s\n", r->township_code, r->township_name,
	       b, al, rp, d, rt, r->open_needs, nd);
	return 0;
}

static int move_row(const struct relief_move *m, void *ctx)
{
	char amt[32], bal[32];
	(void)ctx;
	yuan(m->amount_fen, amt);
	yuan(m->balance_after_fen, bal);
	printf("  %" PRId64 "\t%s\t%s\t%s\t%s\tgrant %" PRId64 "\t%s\t%s\n", m->id, m->on, m->kind,
	       amt, bal, m->grant_id, m->by_user, m->note);
	return 0;
}

static int do_reserve(int argc, char **argv)
{
	struct db *db;
	struct actor a;
	struct err e;
	const char *township = cli_opt(argc, argv, "township");
	int add = argc > 1 && strcmp(argv[1], "add") == 0;
	int64_t fen = 0;
	if (add) {
		fen = parse_yuan(cli_opt(argc, argv, "amount"));
		if (!township || fen <= 0 || !cli_opt(argc, argv, "kind")) {
			fprintf(stderr,
				"错误：reserve add 需要 --township、--kind 和 --amount（元）\n");
			return 2;
		}
	}
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	int rc;
	if (add) {
		rc = relief_reserve_add(db, &a, township, cli_opt(argc, argv, "kind"), fen,
					cli_opt(argc, argv, "on"), cli_opt(argc, argv, "note"),
					NULL, &e);
		if (rc == 0) {
			struct relief_reserve r;
			rc = relief_reserve_get(db, &a, township, &r, NULL, NULL, 0, &e);
			if (rc == 0)
				reserve_row(&r, NULL);
		}
	} else {
		printf("township\tname\tbalance\tallocated\treplenished\tdisbursed\treturned\t"
		       "open_needs\tshortfall\n");
		if (township) {
			struct relief_reserve r;
			rc = relief_reserve_get(db, &a, township, &r, move_row, NULL, 200, &e);
			if (rc == 0)
				reserve_row(&r, NULL);
		} else {
			rc = relief_reserve_list(db, &a, reserve_row, NULL, &e);
		}
	}
	if (rc < 0)
		cli_print_err(&e);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int need_row(const struct relief_need *n, void *ctx)
{
	char amt[32], bal[32];
	(void)ctx;
	yuan(n->amount_fen, amt);
	yuan(n->balance_fen, bal);
	printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", n->id, n->on, n->township_code, n->name,
	       amt, bal, n->status, n->by_user);
	return 0;
}

static int do_needs(int argc, char **argv)
{
	struct db *db;
	struct actor a;
	struct err e;
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	printf("id\ton\ttownship\tname\tamount\tbalance\tstatus\tby\n");
	int rc = relief_need_list(db, &a, cli_opt(argc, argv, "status"), need_row, NULL, &e);
	if (rc < 0)
		cli_print_err(&e);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int reconcile_row(const struct relief_reconcile_row *r, void *ctx)
{
	char b[32], d[32], g[32];
	(void)ctx;
	yuan(r->balance_fen, b);
	yuan(r->disbursed_fen, d);
	yuan(r->drawn_fen, g);
	printf("%s\t%s\t%s\t%s\t%s\n", r->township_code, b, d, g, r->ok ? "ok" : "MISMATCH");
	return 0;
}

static int do_reconcile(int argc, char **argv)
{
	struct db *db;
	struct actor a;
	struct err e;
	int bad = 0;
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	printf("township\tbalance\tdisbursed\tgrants_drawn\tresult\n");
	int rc = relief_reconcile(db, &a, cli_opt(argc, argv, "township"), reconcile_row, NULL,
				  &bad, &e);
	if (rc < 0)
		cli_print_err(&e);
	else
		printf("# %d mismatches\n", bad);
	db_close(db);
	return rc < 0 ? 1 : bad ? 1 : 0;
}

static int total_row(const char *unit, const struct relief_totals *t, void *ctx)
{
	char amt[32];
	(void)ctx;
	yuan(t->amount_fen, amt);
	printf("%s\t%" PRId64 "\t%s\n", unit, t->person_times, amt);
	return 0;
}

static int do_totals(int argc, char **argv)
{
	const char *from = cli_opt(argc, argv, "from"), *to = cli_opt(argc, argv, "to");
	if (!from || !to) {
		fprintf(stderr, "错误：缺少 --from 或 --to\n");
		return 2;
	}
	struct db *db;
	struct actor a;
	struct err e;
	struct relief_totals city;
	char amt[32];
	if (open_as(argc, argv, &db, &a) < 0)
		return 1;
	printf("unit\tperson_times\tamount_yuan\n");
	int rc = relief_report_totals(db, &a.scope, from, to, total_row, NULL, &city, &e);
	if (rc < 0) {
		cli_print_err(&e);
	} else {
		yuan(city.amount_fen, amt);
		printf("total\t%" PRId64 "\t%s\tamount_fen %" PRId64 "\n", city.person_times, amt,
		       city.amount_fen);
	}
	db_close(db);
	return rc < 0 ? 1 : 0;
}

int cmd_relief(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "apply") == 0)
		return do_apply(argc, argv);
	static const char *const steps[] = {"papers", "decision", "approve", "refuse",
					    "pay",    "deliver",  "return",  NULL};
	for (int i = 0; steps[i]; i++)
		if (strcmp(sub, steps[i]) == 0)
			return do_step(argc, argv, sub);
	if (strcmp(sub, "show") == 0) {
		const char *id = cli_opt(argc, argv, "id");
		struct db *db;
		struct actor a;
		if (!id) {
			fprintf(stderr, "错误：缺少 --id\n");
			return 2;
		}
		if (open_as(argc, argv, &db, &a) < 0)
			return 1;
		int rc = show(db, &a, strtoll(id, NULL, 10));
		db_close(db);
		return rc;
	}
	if (strcmp(sub, "list") == 0)
		return do_list(argc, argv);
	if (strcmp(sub, "overdue") == 0)
		return do_overdue(argc, argv);
	if (strcmp(sub, "reserve") == 0)
		return do_reserve(argc, argv);
	if (strcmp(sub, "needs") == 0)
		return do_needs(argc, argv);
	if (strcmp(sub, "reconcile") == 0)
		return do_reconcile(argc, argv);
	if (strcmp(sub, "totals") == 0)
		return do_totals(argc, argv);
	fprintf(stderr, "未知的子命令：%s\n\n%s", sub, usage);
	return 2;
}
