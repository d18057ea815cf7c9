/* report.c (cmd) — `minzheng report assistance`: the assistance payments report (persons paid,
 * distinct, and amounts per program, unit and month) as JSON or Excel, computed from payments by
 * the report module (src/report/) as the system actor (the whole city). The price subsidies
 * (programs.price_subsidy) and the temporary assistance (programs.temp_relief) are keys of the
 * same report. `minzheng report stats`: the bureau's statistics report (every figure of the
 * published table the modules record, per unit; docs/stats.md) as JSON, Excel or printable
 * A4 HTML. */
#include "cmd/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "core/actor.h"
#include "report/report.h"

static const char usage[] =
    "用法：\n"
    "  minzheng report assistance --db PATH --from YYYY-MM --to YYYY-MM [--county CODE]\n"
    "                             [--format json|xlsx] [--out FILE]\n"
    "      各救助项目（低保 dibao、特困 tekun、孤儿 orphan、事实无人抚养儿童\n"
    "      unsupported_child、价格临时补贴 price_subsidy）在期间内的发放人数（去重）和金额\n"
    "      （分），全市、各管理单位（counties）、各月（months）。只统计已确认批次中未被银行\n"
    "      退回的款项（状态 paid），按发放批次的月份归属。合计（total）只含前四项；另列临时\n"
    "      救助 temp_relief（人次 person_times 与金额，按发放日期）。默认 JSON 输出到标准输出；\n"
    "      xlsx 须给 --out FILE。\n"
    "\n"
    "usage:\n"
    "  minzheng report assistance --db PATH --from YYYY-MM --to YYYY-MM [--county CODE]\n"
    "                             [--format json|xlsx] [--out FILE]\n"
    "      Per program: distinct persons paid and amount_fen over the range, for the city, per\n"
    "      unit (counties) and per month (months), from payments of confirmed runs that the\n"
    "      bank did not return (status paid), by the month of the run that paid them. JSON on\n"
    "      stdout by default (keys programs.dibao.persons, programs.dibao.amount_fen, …,\n"
    "      programs.price_subsidy.persons, programs.price_subsidy.amount_fen,\n"
    "      programs.temp_relief.person_times, programs.temp_relief.amount_fen,\n"
    "      counties[CODE].programs…; total = the four allowances); xlsx needs --out FILE.\n"
    "\n"
    "  minzheng report stats --db PATH --from YYYY-MM-DD --to YYYY-MM-DD [--county CODE]\n"
    "                        [--format json|xlsx|html] [--out FILE]\n"
    "      民政统计报表：公布表中各模块已记录的数字（低保、特困、临时救助、价格临时补贴、\n"
    "      养老机构等服务机构、督导组、救助站、热线、台账），全市及各管理单位，均由个案\n"
    "      记录即时计算；尚无模块记录的项目为 null（尚未记录）。html 为 A4 打印版；\n"
    "      xlsx 须给 --out FILE。\n"
    "      The statistics report (keys in docs/stats.md): city.KEY and counties[CODE].KEY,\n"
    "      null for figures no module records yet. html prints on A4; xlsx needs --out FILE.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int write_out(const char *out, const char *data, size_t len)
{
	FILE *f = !out || strcmp(out, "-") == 0 ? stdout : fopen(out, "wb");
	if (!f || fwrite(data, 1, len, f) != len || (f != stdout && fclose(f) != 0)) {
		fprintf(stderr, "错误：无法写入 %s：%s\n", out ? out : "标准输出", strerror(errno));
		return -1;
	}
	return 0;
}

static int do_assistance(int argc, char **argv)
{
	const char *from = cli_opt(argc, argv, "from"), *to = cli_opt(argc, argv, "to");
	const char *county = cli_opt(argc, argv, "county"), *format = cli_opt(argc, argv, "format");
	const char *out = cli_opt(argc, argv, "out");
	struct actor sys;
	struct db *db;
	struct err e;
	if (!from || !to) {
		fprintf(stderr, "错误：需要 --from YYYY-MM 和 --to YYYY-MM\n\n%s", usage);
		return 2;
	}
	if (!format)
		format = out && strlen(out) > 5 && strcmp(out + strlen(out) - 5, ".xlsx") == 0 ? "xlsx" : "json";
	int xlsx = strcmp(format, "xlsx") == 0;
	if (!xlsx && strcmp(format, "json") != 0) {
		fprintf(stderr, "错误：--format 应为 json 或 xlsx\n");
		return 2;
	}
	if (xlsx && (!out || strcmp(out, "-") == 0)) {
		fprintf(stderr, "错误：xlsx 格式须用 --out FILE 指定输出文件\n");
		return 2;
	}
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	struct report_assistance r;
	int rc = report_assistance(db, &sys, from, to, county ? county : "", &r, &e);
	if (rc < 0) {
		cli_print_err(&e);
	} else if (xlsx) {
		char *data = NULL;
		size_t len = 0;
		rc = report_assistance_xlsx(&r, &data, &len, &e);
		if (rc < 0)
			cli_print_err(&e);
		else
			rc = write_out(out, data, len);
		if (rc == 0)
			fprintf(stderr, "已写入 / wrote %s（%zu 字节）\n", out, len);
		free(data);
	} else {
		json_t *j = report_assistance_json(&r);
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		if (!text) {
			fprintf(stderr, "错误：内存不足\n");
			rc = -1;
		} else {
			size_t n = strlen(text);
			char *line = realloc(text, n + 2);
			if (line) {
				text = line;
				text[n] = '\n';
				text[n + 1] = '\0';
				n++;
			}
			rc = write_out(out, text, n);
		}
		free(text);
		json_decref(j);
	}
	report_assistance_release(&r);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int do_stats(int argc, char **argv)
{
	const char *from = cli_opt(argc, argv, "from"), *to = cli_opt(argc, argv, "to");
	const char *county = cli_opt(argc, argv, "county"), *format = cli_opt(argc, argv, "format");
	const char *out = cli_opt(argc, argv, "out");
	struct actor sys;
	struct db *db;
	struct err e;
	if (!from || !to) {
		fprintf(stderr, "错误：需要 --from YYYY-MM-DD 和 --to YYYY-MM-DD\n\n%s", usage);
		return 2;
	}
	if (!format)
		format = out && strlen(out) > 5 && strcmp(out + strlen(out) - 5, ".xlsx") == 0 ? "xlsx"
			 : out && strlen(out) > 5 && strcmp(out + strlen(out) - 5, ".html") == 0 ? "html"
												   : "json";
	int xlsx = strcmp(format, "xlsx") == 0, html = strcmp(format, "html") == 0;
	if (!xlsx && !html && strcmp(format, "json") != 0) {
		fprintf(stderr, "错误：--format 应为 json、xlsx 或 html\n");
		return 2;
	}
	if (xlsx && (!out || strcmp(out, "-") == 0)) {
		fprintf(stderr, "错误：xlsx 格式须用 --out FILE 指定输出文件\n");
		return 2;
	}
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	struct report_stats *r = malloc(sizeof *r);
	int rc = r ? report_stats(db, &sys, from, to, county ? county : "", r, &e)
		   : err_set(&e, 500, "internal", NULL, "内存不足");
	char *data = NULL;
	size_t len = 0;
	if (rc == 0 && xlsx) {
		rc = report_stats_xlsx(r, &data, &len, &e);
	} else if (rc == 0 && html) {
		data = report_stats_html(r, &len);
		if (!data)
			rc = err_set(&e, 500, "internal", NULL, "内存不足");
	} else if (rc == 0) {
		json_t *j = report_stats_json(r);
		data = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		json_decref(j);
		char *line = data ? realloc(data, strlen(data) + 2) : NULL;
		if (!line) {
			rc = err_set(&e, 500, "internal", NULL, "内存不足");
		} else {
			data = line;
			len = strlen(data);
			data[len++] = '\n';
			data[len] = '\0';
		}
	}
	if (rc < 0) {
		cli_print_err(&e);
	} else {
		rc = write_out(out, data, len);
		if (rc == 0 && out && strcmp(out, "-") != 0)
			fprintf(stderr, "已写入 / wrote %s（%zu 字节）\n", out, len);
	}
	free(data);
	free(r);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

int cmd_report(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    (argc >= 2 && strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "assistance") == 0)
		return do_assistance(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "stats") == 0)
		return do_stats(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "institutions") == 0)
		return cmd_report_institutions(argc - 1, argv + 1);
	fputs(usage, stderr);
	return 2;
}
