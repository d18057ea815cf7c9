/* payroll.c (cmd) — `minzheng payroll run|confirm|show|list|bank-file|returns`: the monthly
 * payroll from the command line, as the system actor (every unit). The work is done by the payroll
 * module (src/payroll/); this file parses options and prints. The CLI computes runs inline (the
 * API queues them as jobs); either way one unit is one transaction, so a run killed at any point
 * is simply run again. */
#include "cmd/payroll.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/strbuf.h"
#include "payroll/payroll.h"
#include "regions/regions.h"

static const char usage[] =
    "用法：\n"
    "  minzheng payroll run --db PATH --month YYYY-MM [--county CODE]\n"
    "      计算该月的发放草稿：每个管理单位一个批次（不带 --county：全部单位，一次完成）。\n"
    "      已有草稿则重新计算；已确认的批次不能再算（指定 --county 时报错，全部单位时保持\n"
    "      不变）。一次计算是一个事务：中途被终止（kill -9）后再运行一次即可，不会重复发放，\n"
    "      也不会遗漏。\n"
    "      每个单位输出一行：单位 名称 月份 run= payments= persons= amount_fen= reissues=\n"
    "      reissue_fen= skipped=（已由其他批次发放而跳过的笔数）。\n"
    "  minzheng payroll confirm --db PATH (--run ID | --month YYYY-MM (--county CODE | --all))\n"
    "      确认草稿：批次锁定，款项交付银行（状态 paid）。--all：该月全部草稿。\n"
    "  minzheng payroll show --db PATH (--run ID | --month YYYY-MM [--county CODE])\n"
    "      各单位、各项目的笔数、人数、金额，按项目合计，以及与上月相比的新增、停发、金额变化。\n"
    "  minzheng payroll list --db PATH [--month YYYY-MM] [--county CODE]\n"
    "      列出批次：编号 月份 单位 名称 状态 笔数 金额（元） 计算次数。\n"
    "  minzheng payroll bank-file --db PATH (--run ID | --month YYYY-MM --county CODE)\n"
    "                             --out FILE [--format csv|xlsx]\n"
    "      已确认批次的银行代发文件（含完整账号，记审计日志）；格式默认按 FILE 的扩展名。\n"
    "  minzheng payroll returns --db PATH --file FILE\n"
    "      导入银行退回文件（CSV：业务编号或账号,金额（元）,原因）：相应款项标记为失败，\n"
    "      下次计算该单位的发放时补发。FILE 为 - 时读标准输入。\n"
    "\n"
    "usage:\n"
    "  minzheng payroll run --db PATH --month YYYY-MM [--county CODE]\n"
    "      Compute the month's draft runs, one per management unit (all units in one go\n"
    "      without --county). A draft is recomputed; a confirmed run is refused (with\n"
    "      --county) or left as it is (all units). One computation is one transaction: after\n"
    "      a crash, run it again — no payment is made twice and none is missed. Prints one\n"
    "      line per unit with run=,\n"
    "      payments=, persons=, amount_fen=, reissues=, reissue_fen=, skipped=.\n"
    "  minzheng payroll confirm --db PATH (--run ID | --month YYYY-MM (--county CODE | --all))\n"
    "      Confirm drafts: locked, payments handed to the bank (status paid).\n"
    "  minzheng payroll show --db PATH (--run ID | --month YYYY-MM [--county CODE])\n"
    "      Totals per unit and program, per program, and the changes against last month.\n"
    "  minzheng payroll list --db PATH [--month YYYY-MM] [--county CODE]\n"
    "  minzheng payroll bank-file --db PATH (--run ID | --month YYYY-MM --county CODE)\n"
    "                             --out FILE [--format csv|xlsx]\n"
    "      The bank file of a confirmed run (account numbers unmasked; audited).\n"
    "  minzheng payroll returns --db PATH --file FILE\n"
    "      Import a bank return file (CSV: reference or account, amount in yuan, reason): the\n"
    "      payments become failed and the unit's next run re-issues them. FILE - is stdin.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static void money(int64_t fen, char out[32])
{
	payroll_yuan(fen, out);
}

static void progress_fn(void *ctx, int64_t done, const char *message)
{
	const char *unit = ctx; /* what is being computed, for the line */
	fprintf(stderr, "\r%s %s：%" PRId64 " 条  ", unit, message, done);
	if (strcmp(message, "完成") == 0)
		fputc('\n', stderr);
}

static int resolve_run(struct db *db, const struct actor *sys, int argc, char **argv,
		       int64_t *run_id)
{
	const char *run = cli_opt(argc, argv, "run");
	const char *month = cli_opt(argc, argv, "month"), *county = cli_opt(argc, argv, "county");
	struct err e;
	if (run) {
		char *end;
		errno = 0;
		long long v = strtoll(run, &end, 10);
		if (errno || *end || v <= 0) {
			fprintf(stderr, "错误：--run 应为批次编号：%s\n", run);
			return -1;
		}
		*run_id = v;
		return 0;
	}
	if (!month || !county) {
		fprintf(stderr, "错误：需要 --run ID，或 --month YYYY-MM 与 --county CODE\n");
		return -1;
	}
	int rc = payroll_run_find(db, sys, month, county, run_id, &e);
	if (rc < 0) {
		cli_print_err(&e);
		return -1;
	}
	if (rc == 0) {
		fprintf(stderr, "错误：%s %s 还没有发放批次\n", county, month);
		return -1;
	}
	return 0;
}

/* ---- run ---- */

static void print_result(struct db *db, const struct payroll_run_result *r)
{
	struct regions_unit u;
	struct err ignore;
	if (regions_unit_get(db, r->unit_code, &u, &ignore) < 0)
		u.name[0] = '\0';
	if (r->confirmed) {
		printf("%s\t%s\t%s\trun=%" PRId64 "\tconfirmed\t已确认，未重新计算\n", r->unit_code,
		       u.name, r->month, r->run_id);
		return;
	}
	printf("%s\t%s\t%s\trun=%" PRId64 "\t%s\tpayments=%" PRId64 "\tpersons=%" PRId64
	       "\tamount_fen=%" PRId64 "\treissues=%" PRId64 "\treissue_fen=%" PRId64
	       "\tskipped=%" PRId64 "\n",
	       r->unit_code, u.name, r->month, r->run_id, r->recomputed ? "recomputed" : "new",
	       r->n_payments, r->n_persons, r->amount_fen, r->n_reissues, r->reissue_fen,
	       r->n_skipped);
}

static int print_one(const struct payroll_run_result *r, void *ctx)
{
	print_result(ctx, r);
	return 0;
}

static int do_run(int argc, char **argv)
{
	const char *month = cli_opt(argc, argv, "month"), *county = cli_opt(argc, argv, "county");
	struct actor sys;
	struct err e;
	struct db *db;
	if (!month) {
		fprintf(stderr, "错误：缺少 --month YYYY-MM\n\n%s", usage);
		return 2;
	}
	if (!payroll_month_valid(month)) {
		fprintf(stderr, "错误：--month 应为 YYYY-MM，如 2020-03：%s\n", month);
		return 2;
	}
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	char label[24];
	snprintf(label, sizeof label, "%s", county ? county : "全部单位");
	struct payroll_progress pg = {.fn = progress_fn, .ctx = label};
	const struct payroll_progress *ppg = isatty(2) ? &pg : NULL;
	int rc;
	if (county) {
		struct payroll_run_result r;
		rc = payroll_run(db, &sys, month, county, ppg, &r, &e);
		if (rc == 0)
			print_result(db, &r);
	} else {
		rc = payroll_run_all(db, &sys, month, ppg, print_one, db, &e);
	}
	if (rc < 0)
		cli_print_err(&e);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

/* ---- confirm ---- */

static int confirm_one(struct db *db, const struct actor *sys, int64_t id)
{
	struct err e;
	struct payroll_run_info r;
	char y[32];
	if (payroll_confirm(db, sys, id, &e) < 0 || payroll_run_get(db, sys, id, &r, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	money(r.amount_fen + r.reissue_fen, y);
	printf("已确认 / confirmed: run=%" PRId64 "\t%s\t%s\tpayments=%" PRId64 "\t%s 元\n", r.id,
	       r.unit_code, r.month, r.n_payments + r.n_reissues, y);
	return 0;
}

struct drafts {
	int64_t ids[256];
	int n;
};

static int collect_draft(const struct payroll_run_info *r, void *ctx)
{
	struct drafts *d = ctx;
	if (strcmp(r->status, "draft") == 0 && d->n < 256)
		d->ids[d->n++] = r->id;
	return 0;
}

static int do_confirm(int argc, char **argv)
{
	struct actor sys;
	struct db *db;
	struct err e;
	actor_system(&sys);
	if (cli_opt(argc, argv, "run") == NULL && cli_opt(argc, argv, "month") == NULL) {
		fprintf(stderr, "错误：需要 --run ID 或 --month YYYY-MM\n\n%s", usage);
		return 2;
	}
	if (cli_opt(argc, argv, "run") == NULL && !cli_opt(argc, argv, "county") &&
	    !cli_flag(argc, argv, "all")) {
		fprintf(stderr, "错误：请用 --county CODE 指定单位，或用 --all 确认该月全部草稿\n");
		return 2;
	}
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int rc = 0;
	if (cli_flag(argc, argv, "all") && !cli_opt(argc, argv, "run")) {
		struct drafts d = {.n = 0};
		if (payroll_run_list(db, &sys, cli_opt(argc, argv, "month"), "", collect_draft, &d,
				     &e) < 0) {
			cli_print_err(&e);
			rc = -1;
		}
		for (int i = 0; rc == 0 && i < d.n; i++)
			rc = confirm_one(db, &sys, d.ids[i]);
		if (rc == 0 && d.n == 0)
			printf("该月没有待确认的草稿 / no drafts to confirm\n");
	} else {
		int64_t id;
		rc = resolve_run(db, &sys, argc, argv, &id);
		if (rc == 0)
			rc = confirm_one(db, &sys, id);
	}
	db_close(db);
	return rc < 0 ? 1 : 0;
}

/* ---- show / list ---- */

struct show_ctx {
	struct db *db;
	const struct actor *sys;
	struct payroll_program_total sum[PAYROLL_NPROGRAMS];
	int n;
	int list_only;
	int failed;
};

static int show_one(const struct payroll_run_info *r, void *vctx)
{
	struct show_ctx *c = vctx;
	char y[32], y2[32];
	if (c->list_only) {
		money(r->amount_fen + r->reissue_fen, y);
		printf("%" PRId64 "\t%s\t%s\t%s\t%s\t%" PRId64 "\t%s\t%d\n", r->id, r->month,
		       r->unit_code, r->unit_name, r->status, r->n_payments + r->n_reissues, y,
		       r->computations);
		return 0;
	}
	if (c->n++ == 0)
		printf("单位\t名称\t月份\t状态\t项目\t笔数\t人数\t金额（元）\t补发笔数\t补发金额（元）\n");
	for (int i = 0; i < PAYROLL_NPROGRAMS; i++) {
		const struct payroll_program_total *t = &r->programs[i];
		money(t->amount_fen, y);
		money(t->reissue_fen, y2);
		printf("%s\t%s\t%s\t%s\t%s\t%" PRId64 "\t%" PRId64 "\t%s\t%" PRId64 "\t%s\n",
		       r->unit_code, r->unit_name, r->month,
		       strcmp(r->status, "confirmed") == 0 ? "已确认" : "草稿",
		       payroll_program_label(payroll_programs[i]), t->n_payments, t->n_persons, y,
		       t->n_reissues, y2);
		c->sum[i].n_payments += t->n_payments;
		c->sum[i].n_persons += t->n_persons;
		c->sum[i].amount_fen += t->amount_fen;
		c->sum[i].n_reissues += t->n_reissues;
		c->sum[i].reissue_fen += t->reissue_fen;
	}
	return 0;
}

static int show_changes(const struct payroll_run_info *r, void *vctx)
{
	struct show_ctx *c = vctx;
	struct payroll_changes ch;
	struct err e;
	if (payroll_run_changes(c->db, c->sys, r->id, &ch, &e) < 0) {
		cli_print_err(&e);
		c->failed = 1;
		return 1;
	}
	for (int i = 0; i < PAYROLL_NPROGRAMS; i++) {
		char nf[32], ef[32], df[32];
		money(ch.new_fen[i], nf);
		money(ch.ended_fen[i], ef);
		money(ch.changed_delta_fen[i], df);
		printf("%s\t%s\t%s\t新增 %" PRId64 "（%s 元）\t停发 %" PRId64 "（%s 元）\t金额变化 %" PRId64
		       "（%s%s 元）%s\n",
		       r->unit_code, r->unit_name, payroll_program_label(payroll_programs[i]),
		       ch.n_new[i], nf, ch.n_ended[i], ef, ch.n_changed[i],
		       ch.changed_delta_fen[i] > 0 ? "+" : "", df,
		       ch.has_previous ? "" : "\t（上月无批次）");
	}
	payroll_changes_release(&ch);
	return 0;
}

static int do_show(int argc, char **argv, int list_only)
{
	struct actor sys;
	struct db *db;
	struct err e;
	const char *month = cli_opt(argc, argv, "month"), *county = cli_opt(argc, argv, "county");
	actor_system(&sys);
	if (!list_only && !cli_opt(argc, argv, "run") && !month) {
		fprintf(stderr, "错误：需要 --run ID 或 --month YYYY-MM\n\n%s", usage);
		return 2;
	}
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	struct show_ctx c = {.db = db, .sys = &sys, .list_only = list_only};
	int rc = 0;
	if (cli_opt(argc, argv, "run")) {
		int64_t id;
		struct payroll_run_info r;
		rc = resolve_run(db, &sys, argc, argv, &id);
		if (rc == 0 && payroll_run_get(db, &sys, id, &r, &e) < 0) {
			cli_print_err(&e);
			rc = -1;
		}
		if (rc == 0) {
			show_one(&r, &c);
			if (!list_only) {
				printf("\n# 与上月相比 / changes against last month\n");
				show_changes(&r, &c);
			}
		}
	} else {
		if (payroll_run_list(db, &sys, month ? month : "", county ? county : "", show_one, &c,
				     &e) < 0) {
			cli_print_err(&e);
			rc = -1;
		}
		if (rc == 0 && !list_only && c.n == 0)
			printf("%s 没有发放批次 / no runs\n", month);
		if (rc == 0 && !list_only && c.n > 0) {
			printf("\n# 按项目合计 / totals per program\n");
			for (int i = 0; i < PAYROLL_NPROGRAMS; i++) {
				char y[32], y2[32];
				money(c.sum[i].amount_fen, y);
				money(c.sum[i].reissue_fen, y2);
				printf("%s\t%" PRId64 "\t%" PRId64 "\t%s\t%" PRId64 "\t%s\n",
				       payroll_program_label(payroll_programs[i]), c.sum[i].n_payments,
				       c.sum[i].n_persons, y, c.sum[i].n_reissues, y2);
			}
			printf("\n# 与上月相比 / changes against last month\n");
			if (payroll_run_list(db, &sys, month, county ? county : "", show_changes, &c,
					     &e) < 0) {
				cli_print_err(&e);
				rc = -1;
			}
		}
	}
	db_close(db);
	return rc < 0 || c.failed ? 1 : 0;
}

/* ---- bank-file ---- */

static int do_bank_file(int argc, char **argv)
{
	const char *out = cli_opt(argc, argv, "out"), *format = cli_opt(argc, argv, "format");
	struct actor sys;
	struct db *db;
	struct err e;
	if (!out) {
		fprintf(stderr, "错误：缺少 --out FILE\n\n%s", usage);
		return 2;
	}
	if (!format) {
		size_t n = strlen(out);
		format = n > 4 && strcmp(out + n - 4, ".csv") == 0 ? "csv" : "xlsx";
	}
	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0) {
		fprintf(stderr, "错误：--format 应为 csv 或 xlsx\n");
		return 2;
	}
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int64_t id;
	char *data = NULL, name[128];
	size_t len = 0;
	int rc = resolve_run(db, &sys, argc, argv, &id);
	if (rc == 0 && payroll_bank_file(db, &sys, id,
					 strcmp(format, "csv") == 0 ? PAYROLL_CSV : PAYROLL_XLSX,
					 &data, &len, name, &e) < 0) {
		cli_print_err(&e);
		rc = -1;
	}
	if (rc == 0) {
		FILE *f = strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
		if (!f || fwrite(data, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
			fprintf(stderr, "错误：无法写入 %s：%s\n", out, strerror(errno));
			rc = -1;
		} else if (f != stdout) {
			fprintf(stderr, "已写入 / wrote %s（%zu 字节）\n", out, len);
		}
	}
	free(data);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

/* ---- returns ---- */

static int do_returns(int argc, char **argv)
{
	const char *file = cli_opt(argc, argv, "file");
	struct actor sys;
	struct db *db;
	struct err e;
	if (!file) {
		fprintf(stderr, "错误：缺少 --file FILE\n\n%s", usage);
		return 2;
	}
	FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	if (!f) {
		fprintf(stderr, "错误：无法读取 %s：%s\n", file, strerror(errno));
		return 1;
	}
	struct strbuf sb = STRBUF_INIT;
	sb.cap = 16u << 20;
	char buf[8192];
	size_t n;
	int rc = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		if (strbuf_add(&sb, buf, n) < 0) {
			fprintf(stderr, "错误：文件过大（最多 16 MiB）\n");
			rc = -1;
			break;
		}
	if (f != stdin)
		fclose(f);
	actor_system(&sys);
	if (rc == 0 && cli_open_db(cli_opt(argc, argv, "db"), &db) == 0) {
		struct payroll_returns_result r;
		if (payroll_returns_import(db, &sys, sb.buf ? sb.buf : "", sb.len, &r, &e) < 0) {
			cli_print_err(&e);
			rc = -1;
		} else {
			char y[32];
			money(r.amount_fen, y);
			printf("lines=%" PRId64 "\tmarked=%" PRId64 "\talready=%" PRId64
			       "\tamount_fen=%" PRId64 "\t（%s 元将在下次发放时补发）\n",
			       r.lines, r.marked, r.already, r.amount_fen, y);
		}
		db_close(db);
	} else if (rc == 0) {
		rc = -1;
	}
	strbuf_release(&sb);
	return rc < 0 ? 1 : 0;
}

int cmd_payroll(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    (argc >= 2 && strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2) {
		const char *sub = argv[1];
		if (strcmp(sub, "run") == 0)
			return do_run(argc - 1, argv + 1);
		if (strcmp(sub, "confirm") == 0)
			return do_confirm(argc - 1, argv + 1);
		if (strcmp(sub, "show") == 0)
			return do_show(argc - 1, argv + 1, 0);
		if (strcmp(sub, "list") == 0)
			return do_show(argc - 1, argv + 1, 1);
		if (strcmp(sub, "bank-file") == 0)
			return do_bank_file(argc - 1, argv + 1);
		if (strcmp(sub, "returns") == 0)
			return do_returns(argc - 1, argv + 1);
	}
	fputs(usage, stderr);
	return 2;
}
