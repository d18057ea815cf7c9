/* cmd/goods.c — `minzheng goods …`: relief goods from the command line, as the system actor
 * (every warehouse, every permission). The work is done by src/goods/ — the same domain
 * functions the API calls: items, warehouses, stock at a date (with low-stock warnings) and
 * movements (receive, transfer, distribute, adjust). */
#include "cmd/commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "goods/goods.h"

static const char usage[] =
    "用法：\n"
    "  minzheng goods items --db PATH\n"
    "      物资品类：编号 代码 名称 单位 统计口径。\n"
    "  minzheng goods warehouses --db PATH [--region CODE]\n"
    "      仓库：编号 名称 区划 层级 预警线 低于预警的品类数。\n"
    "  minzheng goods warehouse-add --db PATH --name 名称 --region CODE [--low-stock N]\n"
    "                               [--address 地址]\n"
    "  minzheng goods stock --db PATH [--warehouse ID] [--date YYYY-MM-DD] [--low]\n"
    "      某日终了时的库存（默认今天）；--low 只列低于预警线的。\n"
    "  minzheng goods moves --db PATH [--warehouse ID] [--kind K] [--from DATE] [--to DATE]\n"
    "  minzheng goods move --db PATH --kind receive|transfer|distribute|adjust\n"
    "                      --warehouse ID --item CODE --quantity N [--date DATE]\n"
    "                      [--source purchase|allocation] [--party 单位] [--value-fen N]\n"
    "                      [--to-warehouse ID] [--recipient-kind household|person|institution|\n"
    "                      outreach] [--recipient ID] [--relief-grant ID] [--ledger-visit ID]\n"
    "                      [--patrol ID] [--reason 原因] [--note 备注]\n"
    "      记录一笔出入库；库存不足时拒绝（退出码 1，打印可用数量）。\n"
    "以 system 身份写入并记审计日志。\n"
    "\n"
    "usage: the same commands — items; warehouses; add a warehouse; stock at the end of a date\n"
    "(--low: the warnings); movements; record a movement (refused when the stock would go\n"
    "negative).\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int do_items(struct db *db, const struct actor *a)
{
	struct goods_item_list l;
	struct err e;
	if (goods_item_list(db, a, &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < l.n; i++)
		printf("%lld\t%s\t%s\t%s\t%s\n", (long long)l.items[i].id, l.items[i].code,
		       l.items[i].name, l.items[i].unit, l.items[i].stat);
	free(l.items);
	return 0;
}

static int do_warehouses(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct goods_warehouse_list l;
	struct err e;
	if (goods_warehouse_list(db, a, cli_opt_or_empty(argc, argv, "region"), &l, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < l.n; i++)
		printf("%lld\t%s\t%s\t%s\t%lld\t%lld\n", (long long)l.items[i].id, l.items[i].name,
		       l.items[i].region_code, l.items[i].level, (long long)l.items[i].low_stock,
		       (long long)l.items[i].items_low);
	free(l.items);
	return 0;
}

static int do_warehouse_add(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct goods_warehouse w;
	struct err e;
	int bad = 0;
	int64_t id;
	memset(&w, 0, sizeof w);
	if (!cli_opt(argc, argv, "name") || !cli_opt(argc, argv, "region")) {
		fprintf(stderr, "错误：缺少 --name 或 --region\n");
		return 2;
	}
	text_copy(w.name, sizeof w.name, cli_opt_or_empty(argc, argv, "name"));
	text_copy(w.region_code, sizeof w.region_code, cli_opt_or_empty(argc, argv, "region"));
	text_copy(w.address, sizeof w.address, cli_opt_or_empty(argc, argv, "address"));
	w.low_stock = cli_opt_int64(argc, argv, "low-stock", &bad);
	if (bad)
		return 2;
	if (goods_warehouse_create(db, a, &w, &id, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	printf("%lld\n", (long long)id);
	return 0;
}

static int do_stock(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct goods_stock_list l;
	struct err e;
	int bad = 0;
	int64_t wh = cli_opt_int64(argc, argv, "warehouse", &bad);
	if (bad)
		return 2;
	if (goods_stock_list(db, a, wh, cli_opt_or_empty(argc, argv, "date"), cli_flag(argc, argv, "low"), &l,
			     &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < l.n; i++)
		printf("%s\t%s\t%lld\t%s%s\n", l.items[i].warehouse_name, l.items[i].item.name,
		       (long long)l.items[i].quantity, l.items[i].item.unit,
		       l.items[i].low ? "\t低于预警线" : "");
	free(l.items);
	return 0;
}

static int do_moves(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct goods_move_query q;
	struct goods_move_page pg;
	struct err e;
	int bad = 0;
	memset(&q, 0, sizeof q);
	q.warehouse_id = cli_opt_int64(argc, argv, "warehouse", &bad);
	text_copy(q.kind, sizeof q.kind, cli_opt_or_empty(argc, argv, "kind"));
	text_copy(q.from, sizeof q.from, cli_opt_or_empty(argc, argv, "from"));
	text_copy(q.to, sizeof q.to, cli_opt_or_empty(argc, argv, "to"));
	q.limit = GOODS_PAGE_MAX;
	if (bad)
		return 2;
	do {
		if (goods_move_list(db, a, &q, 0, &pg, &e) < 0) {
			cli_print_err(&e);
			return 1;
		}
		for (int i = 0; i < pg.n; i++) {
			const struct goods_movement *m = &pg.items[i];
			printf("%lld\t%s\t%s\t%s\t%s\t%lld\t%s\t%s\n", (long long)m->id, m->moved_on,
			       m->warehouse_name, m->kind, m->item.name, (long long)m->quantity,
			       m->item.unit, m->recipient_name);
		}
		q.offset += pg.n;
		free(pg.items);
	} while (pg.n == q.limit);
	return 0;
}

static int do_move(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct goods_move_in *in = calloc(1, sizeof *in);
	struct err e;
	int bad = 0, rc = 1;
	int64_t id;
	if (!in)
		return 1;
	text_copy(in->kind, sizeof in->kind, cli_opt_or_empty(argc, argv, "kind"));
	in->warehouse_id = cli_opt_int64(argc, argv, "warehouse", &bad);
	in->item_id = db_query_int(db, "SELECT id FROM goods_items WHERE code = ?",
				   cli_opt_or_empty(argc, argv, "item"));
	in->quantity = cli_opt_int64(argc, argv, "quantity", &bad);
	text_copy(in->date, sizeof in->date, cli_opt_or_empty(argc, argv, "date"));
	text_copy(in->source, sizeof in->source, cli_opt_or_empty(argc, argv, "source"));
	text_copy(in->party, sizeof in->party, cli_opt_or_empty(argc, argv, "party"));
	in->value_fen = cli_opt_int64(argc, argv, "value-fen", &bad);
	in->to_warehouse_id = cli_opt_int64(argc, argv, "to-warehouse", &bad);
	text_copy(in->recipient_kind, sizeof in->recipient_kind, cli_opt_or_empty(argc, argv, "recipient-kind"));
	in->recipient_id = cli_opt_int64(argc, argv, "recipient", &bad);
	in->relief_grant_id = cli_opt_int64(argc, argv, "relief-grant", &bad);
	in->ledger_visit_id = cli_opt_int64(argc, argv, "ledger-visit", &bad);
	in->patrol_id = cli_opt_int64(argc, argv, "patrol", &bad);
	text_copy(in->reason, sizeof in->reason, cli_opt_or_empty(argc, argv, "reason"));
	text_copy(in->note, sizeof in->note, cli_opt_or_empty(argc, argv, "note"));
	if (bad) {
		rc = 2;
	} else if (cli_opt(argc, argv, "item") && in->item_id <= 0) {
		fprintf(stderr, "错误：没有代码为 %s 的物资（见 minzheng goods items）\n",
			cli_opt_or_empty(argc, argv, "item"));
	} else if (goods_move(db, a, in, &id, &e) < 0) {
		cli_print_err(&e);
	} else {
		printf("%lld\n", (long long)id);
		rc = 0;
	}
	free(in);
	return rc;
}

int cmd_goods(int argc, char **argv)
{
	static const char *const cmds[] = {"items", "warehouses", "warehouse-add", "stock",
					   "moves", "move",	  NULL};
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
	if (strcmp(sub, "items") == 0)
		rc = do_items(db, &sys);
	else if (strcmp(sub, "warehouses") == 0)
		rc = do_warehouses(db, &sys, argc, argv);
	else if (strcmp(sub, "warehouse-add") == 0)
		rc = do_warehouse_add(db, &sys, argc, argv);
	else if (strcmp(sub, "stock") == 0)
		rc = do_stock(db, &sys, argc, argv);
	else if (strcmp(sub, "moves") == 0)
		rc = do_moves(db, &sys, argc, argv);
	else
		rc = do_move(db, &sys, argc, argv);
	db_close(db);
	return rc;
}
