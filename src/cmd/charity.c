/* cmd/charity.c — `minzheng charity …`: the charity appeals from the command line, as the
 * system actor. The work is done by src/charity/ — the same domain functions the API calls:
 * appeals with their totals to a date, donations (money or goods into a warehouse), uses, and
 * the public disclosure as the public page shows it. */
#include "cmd/commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charity/charity.h"
#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"

static const char usage[] =
    "用法：\n"
    "  minzheng charity appeals --db PATH [--to YYYY-MM-DD]\n"
    "      募捐活动及截至某日的募集、使用与余额（元）：编号 名称 类型 募集 使用 余额。\n"
    "  minzheng charity appeal-add --db PATH --name 名称 --organisation 单位 --region CODE\n"
    "                              --kind public|staff --started YYYY-MM-DD [--purpose 目的]\n"
    "  minzheng charity donate --db PATH --appeal ID --kind money|goods\n"
    "                          (--donor 姓名或单位 [--organisation] [--disclose] | --anonymous)\n"
    "                          [--amount-fen N --channel bank|wechat|alipay|cash|other]\n"
    "                          [--item CODE --quantity N --warehouse ID [--value-fen N]]\n"
    "                          [--date DATE] [--receipt 编号]\n"
    "  minzheng charity use --db PATH --appeal ID --kind money|goods\n"
    "                       --recipient-kind institution|township|project --recipient 名称\n"
    "                       --purpose 用途 --evidence 凭证 [--amount-fen N]\n"
    "                       [--item CODE --quantity N [--value-fen N]] [--date DATE]\n"
    "      余额（或捐赠物资余量）不足时拒绝（退出码 1）。\n"
    "  minzheng charity disclosure --db PATH --appeal ID [--to DATE]\n"
    "      公开页面的内容：截至某日的募集、使用合计，使用明细和捐赠名单（未同意公开者不显示姓名）。\n"
    "以 system 身份写入并记审计日志。\n"
    "\n"
    "usage: the same commands — appeals with totals to a date; add an appeal; record a donation\n"
    "or a use (refused when the balance would go negative); the public disclosure.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static void yuan(int64_t fen, char out[32])
{
	snprintf(out, 32, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)(fen < 0 ? -fen : fen) / 100,
		 (long long)(fen < 0 ? -fen : fen) % 100);
}

static int do_appeals(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct charity_appeal_list l;
	struct err e;
	char r[32], u[32], b[32];
	if (charity_appeal_list(db, a, cli_opt_or_empty(argc, argv, "to"), &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < l.n; i++) {
		yuan(l.items[i].t.raised_fen, r);
		yuan(l.items[i].t.used_fen, u);
		yuan(l.items[i].t.balance_fen, b);
		printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)l.items[i].id, l.items[i].name,
		       l.items[i].kind, r, u, b);
	}
	free(l.items);
	return 0;
}

static int do_appeal_add(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct charity_appeal_in in;
	struct err e;
	int64_t id;
	memset(&in, 0, sizeof in);
	text_copy(in.name, sizeof in.name, cli_opt_or_empty(argc, argv, "name"));
	text_copy(in.organisation, sizeof in.organisation, cli_opt_or_empty(argc, argv, "organisation"));
	text_copy(in.region_code, sizeof in.region_code, cli_opt_or_empty(argc, argv, "region"));
	text_copy(in.kind, sizeof in.kind, cli_opt_or_empty(argc, argv, "kind"));
	text_copy(in.started_on, sizeof in.started_on, cli_opt_or_empty(argc, argv, "started"));
	text_copy(in.purpose, sizeof in.purpose, cli_opt_or_empty(argc, argv, "purpose"));
	if (charity_appeal_create(db, a, &in, &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

static int do_donate(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct charity_donation_in in;
	struct err e;
	int bad = 0;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.appeal_id = cli_opt_int64(argc, argv, "appeal", &bad);
	text_copy(in.kind, sizeof in.kind, cli_opt_or_empty(argc, argv, "kind"));
	text_copy(in.donated_on, sizeof in.donated_on, cli_opt_or_empty(argc, argv, "date"));
	in.amount_fen = cli_opt_int64(argc, argv, "amount-fen", &bad);
	text_copy(in.donor_kind, sizeof in.donor_kind,
		  cli_flag(argc, argv, "organisation") ? "organisation" : "person");
	text_copy(in.donor_name, sizeof in.donor_name, cli_opt_or_empty(argc, argv, "donor"));
	in.anonymous = cli_flag(argc, argv, "anonymous");
	in.disclose = cli_flag(argc, argv, "disclose");
	text_copy(in.channel, sizeof in.channel, cli_opt_or_empty(argc, argv, "channel"));
	text_copy(in.receipt_no, sizeof in.receipt_no, cli_opt_or_empty(argc, argv, "receipt"));
	if (cli_opt(argc, argv, "item"))
		in.item_id = db_query_int(db, "SELECT id FROM goods_items WHERE code = ?",
					  cli_opt_or_empty(argc, argv, "item"));
	in.quantity = cli_opt_int64(argc, argv, "quantity", &bad);
	in.value_fen = cli_opt_int64(argc, argv, "value-fen", &bad);
	in.warehouse_id = cli_opt_int64(argc, argv, "warehouse", &bad);
	if (bad)
		return 2;
	if (charity_donation_add(db, a, &in, &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

static int do_use(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct charity_use_in in;
	struct err e;
	int bad = 0;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.appeal_id = cli_opt_int64(argc, argv, "appeal", &bad);
	text_copy(in.kind, sizeof in.kind, cli_opt_or_empty(argc, argv, "kind"));
	text_copy(in.used_on, sizeof in.used_on, cli_opt_or_empty(argc, argv, "date"));
	in.amount_fen = cli_opt_int64(argc, argv, "amount-fen", &bad);
	text_copy(in.recipient_kind, sizeof in.recipient_kind, cli_opt_or_empty(argc, argv, "recipient-kind"));
	text_copy(in.recipient_name, sizeof in.recipient_name, cli_opt_or_empty(argc, argv, "recipient"));
	text_copy(in.purpose, sizeof in.purpose, cli_opt_or_empty(argc, argv, "purpose"));
	text_copy(in.evidence, sizeof in.evidence, cli_opt_or_empty(argc, argv, "evidence"));
	if (cli_opt(argc, argv, "item"))
		in.item_id = db_query_int(db, "SELECT id FROM goods_items WHERE code = ?",
					  cli_opt_or_empty(argc, argv, "item"));
	in.quantity = cli_opt_int64(argc, argv, "quantity", &bad);
	in.value_fen = cli_opt_int64(argc, argv, "value-fen", &bad);
	if (bad)
		return 2;
	if (charity_use_add(db, a, &in, &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

static int do_disclosure(struct db *db, int argc, char **argv)
{
	struct charity_appeal p;
	struct charity_use_page u;
	struct charity_donation_page d;
	struct err e;
	int bad = 0;
	char r[32], s[32];
	int64_t id = cli_opt_int64(argc, argv, "appeal", &bad);
	if (bad)
		return 2;
	if (charity_public_get(db, id, cli_opt_or_empty(argc, argv, "to"), &p, &u, &d, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	yuan(p.t.raised_fen, r);
	yuan(p.t.used_fen, s);
	printf("%s（%s）截至 %s：募集 %s 元，使用 %s 元\n", p.name, p.organisation,
	       *cli_opt_or_empty(argc, argv, "to") ? cli_opt_or_empty(argc, argv, "to") : "今日", r, s);
	printf("使用明细 %d 笔：\n", u.n);
	for (int i = 0; i < u.n; i++) {
		yuan(u.items[i].amount_fen, r);
		printf("  %s\t%s\t%s\t%s\t%lld%s\n", u.items[i].used_on, u.items[i].recipient_name,
		       u.items[i].purpose, r, (long long)u.items[i].quantity, u.items[i].unit);
	}
	printf("捐赠 %d 笔：\n", d.n);
	for (int i = 0; i < d.n; i++) {
		yuan(d.items[i].amount_fen, r);
		printf("  %s\t%s\t%s\t%lld%s\n", d.items[i].donated_on, d.items[i].donor_name, r,
		       (long long)d.items[i].quantity, d.items[i].unit);
	}
	free(u.items);
	free(d.items);
	return 0;
}

int cmd_charity(int argc, char **argv)
{
	static const char *const cmds[] = {"appeals", "appeal-add", "donate", "use", "disclosure",
					   NULL};
	int early = cli_subcommand(argc, argv, usage, cmds);
	if (early >= 0)
		return early;
	const char *sub = argv[1];
	argc--;
	argv++;
	struct actor sys;
	struct db *db;
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int rc;
	if (strcmp(sub, "appeals") == 0)
		rc = do_appeals(db, &sys, argc, argv);
	else if (strcmp(sub, "appeal-add") == 0)
		rc = do_appeal_add(db, &sys, argc, argv);
	else if (strcmp(sub, "donate") == 0)
		rc = do_donate(db, &sys, argc, argv);
	else if (strcmp(sub, "use") == 0)
		rc = do_use(db, &sys, argc, argv);
	else
		rc = do_disclosure(db, argc, argv);
	db_close(db);
	return rc;
}
