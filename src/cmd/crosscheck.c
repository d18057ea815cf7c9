/* cmd/crosscheck.c — `minzheng crosscheck …`: the death cross-check from the command line, as the
 * system actor. The work is done by src/crosscheck/ — the same domain functions the API calls.
 * Death lists are imported with `minzheng import deaths FILE`. */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "crosscheck/crosscheck.h"

static const char usage[] =
    "用法：\n"
    "  minzheng crosscheck run --db PATH\n"
    "      对已登记的全部死亡人员重新查找死亡后的发放（多发），打印新发现的笔数。\n"
    "  minzheng crosscheck deaths --db PATH [--month YYYY-MM] [--unmask]\n"
    "      列出死亡人员：编号 姓名 身份证号 村居 死亡日期 来源 在保 多发笔数 多发金额(元)。\n"
    "  minzheng crosscheck overpayments --db PATH [--month YYYY-MM]\n"
    "                                   [--status found|notified|recovered|written_off|open]\n"
    "      列出死亡后多发：编号 姓名 项目 发放月份 死亡日期 多发金额(元) 状态。\n"
    "  minzheng crosscheck act --db PATH --id N --action notify|recover|write_off [--reason 原因]\n"
    "      追回流程：已通知、已追回，或核销（须写明原因）。\n"
    "  minzheng crosscheck report --db PATH --month YYYY-MM\n"
    "      月报：各管理单位比对死亡人数、停发人数、多发与追回。\n"
    "  死亡名单导入：minzheng import deaths FILE --db PATH [--dry-run]。\n"
    "\n"
    "usage: look again for payments made after death; list deaths and overpayments; take a\n"
    "recovery step; the monthly report. Death lists: `minzheng import deaths FILE`.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static void yuan(int64_t fen, char out[32])
{
	snprintf(out, 32, "%s%lld.%02lld", fen < 0 ? "-" : "", (long long)llabs(fen / 100),
		 (long long)llabs(fen % 100));
}

static int death_line(const struct crosscheck_death *d, void *ctx)
{
	(void)ctx;
	char y[32];
	yuan(d->overpaid_fen, y);
	printf("%lld\t%s\t%s\t%s\t%s\t%s:%s\t%s\t%lld\t%s\n", (long long)d->id, d->name,
	       d->id_number, d->region_name, d->died_on, d->source, d->source_ref,
	       d->on_roll ? "在保" : "-", (long long)d->overpayments, y);
	return 0;
}

static int over_line(const struct crosscheck_overpayment *o, void *ctx)
{
	(void)ctx;
	char y[32];
	yuan(o->amount_fen, y);
	printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)o->id, o->name, o->program, o->month,
	       o->died_on, y, o->status);
	return 0;
}

int cmd_crosscheck(int argc, char **argv)
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
	struct crosscheck_filter f;
	memset(&f, 0, sizeof f);
	text_copy(f.month, sizeof f.month, cli_opt_or_empty(argc, argv, "month"));
	text_copy(f.status, sizeof f.status, cli_opt_or_empty(argc, argv, "status"));
	f.unmask = cli_flag(argc, argv, "unmask");
	f.limit = 1000000;
	int64_t total = 0;
	if (strcmp(sub, "run") == 0) {
		int found = 0;
		if (crosscheck_scan(db, &sys, &found, &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			printf("新发现死亡后多发 %d 笔\n", found);
	} else if (strcmp(sub, "deaths") == 0) {
		if (crosscheck_deaths_list(db, &sys, &f, death_line, NULL, &total, &e) < 0)
			cli_print_err(&e), rc = 1;
	} else if (strcmp(sub, "overpayments") == 0) {
		if (crosscheck_overpayments_list(db, &sys, &f, over_line, NULL, &total, &e) < 0)
			cli_print_err(&e), rc = 1;
	} else if (strcmp(sub, "act") == 0) {
		if (crosscheck_overpayment_act(db, &sys, atoll(cli_opt_or_empty(argc, argv, "id")),
					       cli_opt_or_empty(argc, argv, "action"), cli_opt_or_empty(argc, argv, "reason"),
					       &e) < 0)
			cli_print_err(&e), rc = 1;
		else
			printf("已办理\n");
	} else if (strcmp(sub, "report") == 0) {
		struct crosscheck_report *r = malloc(sizeof *r);
		if (!r)
			rc = 1;
		else if (crosscheck_report_month(db, &sys, cli_opt_or_empty(argc, argv, "month"), r, &e) < 0)
			cli_print_err(&e), rc = 1;
		else {
			printf("月份 %s\n管理单位\t比对死亡\t停发\t多发笔数\t多发金额\t追回笔数\t追回金额\n",
			       r->month);
			for (int i = 0; i <= r->n; i++) {
				const struct crosscheck_report_row *x = i < r->n ? &r->rows[i] : &r->total;
				char a1[32], a2[32];
				yuan(x->overpaid_fen, a1);
				yuan(x->recovered_fen, a2);
				printf("%s\t%lld\t%lld\t%lld\t%s\t%lld\t%s\n", x->unit_name,
				       (long long)x->matched, (long long)x->stopped,
				       (long long)x->overpayments, a1, (long long)x->recovered, a2);
			}
		}
		free(r);
	} else {
		fprintf(stderr, "错误：未知的子命令 %s\n%s", sub, usage);
		rc = 2;
	}
	db_close(db);
	return rc;
}
