/* main.c — the minzheng binary: a table of git-style subcommands. Before one runs: fault
 * injection when MZ_FAULT is set (core/fault.h, tests only), and the database options
 * (--busy-timeout). */
#include "cmd/assistance.h"
#include "cmd/commands.h"
#include "cmd/demo.h"
#include "cmd/idcheck.h"
#include "cmd/payroll.h"
#include "cmd/policy.h"
#include "cmd/regions.h"
#include "cmd/report.h"
#include "cmd/cli.h"
#include "core/fault.h"

#include <stdio.h>
#include <string.h>

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
	{"init", cmd_init, "创建或升级数据库（载入潍坊区划）  create or upgrade a database"},
	{"demo", cmd_demo, "生成演示城市数据              fill a database with the demo city"},
	{"serve", cmd_serve, "启动 Web 服务（API 与界面）    serve the API and web UI"},
	{"user", cmd_user, "用户管理 add/list/disable/passwd  manage users"},
	{"token", cmd_token, "为系统集成创建令牌            create bearer tokens"},
	{"idcheck", cmd_idcheck, "校验身份证号码                validate citizen ID numbers"},
	{"regions", cmd_regions, "区划导入与浏览                import and list regions"},
	{"audit", cmd_audit, "审计日志校验 verify            verify the audit chain"},
	{"routes", cmd_routes, "列出全部 API 路由              list every API route"},
	{"policy", cmd_policy, "政策参数 show/set/keys          show and set policy parameters"},
	{"assistance", cmd_assistance, "救助应发 entitlements           what the rolls owe for a month"},
	{"payroll", cmd_payroll, "月度发放 run/confirm/show/bank-file/returns  monthly payroll"},
	{"report", cmd_report, "统计报表 assistance             reports computed from records"},
	{"calendar", cmd_calendar, "工作日与节假日 holidays/add         working days and official holidays"},
	{"relief", cmd_relief, "临时救助与备用金 grants/reserve       temporary assistance and reserve funds"},
	{"price", cmd_price, "价格临时补贴 index/generate          price-linked subsidies"},
	{"ledger", cmd_ledger, "特殊困难群众台账 entries/visits      the hardship ledger"},
	{"institutions", cmd_institutions, "机构与日报告 list/report/dashboard   institutions and daily reports"},
	{"inspections", cmd_inspections, "督导检查与整改 teams/visits          inspections and rectification"},
	{"duty", cmd_duty, "值班值守 roster/now                  duty rosters"},
	{"hotline", cmd_hotline, "热线与个案 calls/cases            hotline calls and cases"},
	{"rescue", cmd_rescue, "救助站 intake/isolation/discharge   rescue stations and street outreach"},
	{"funeral", cmd_funeral, "殡葬服务 homes/bodies/steps          funeral homes' body handling"},
	{"crosscheck", cmd_crosscheck, "死亡比对 run/overpayments           no payment to the dead"},
	{"marriage", cmd_marriage, "婚姻登记预约 offices/slots/day       marriage-registration appointments"},
	{"goods", cmd_goods, "救灾物资 warehouses/stock/moves     relief goods"},
	{"charity", cmd_charity, "慈善募捐 appeals/donations/uses     the charity appeal's ledger"},
	{"orgs", cmd_orgs, "社会组织与志愿者 orgs/engagements    social organisations, volunteers"},
	{"staff", cmd_staff, "干部抽调与下沉 deployments/on        staff deployment"},
	{"documents", cmd_documents, "防疫文件 issue/ack/pending          epidemic policy documents"},
	{"lottery", cmd_lottery, "福彩网点 outlets/checklist/open     lottery outlets' reopening"},
	{"backup", cmd_backup, "在线备份数据库 --db … --to FILE     back up the database"},
	{"restore", cmd_restore, "从备份恢复 --from FILE --db …       restore a backup"},
	{"decrypt", cmd_decrypt, "解密加密备份 --from FILE --to PLAIN   decrypt an encrypted backup"},
	{"unzip-export", cmd_unzip_export, "解开加密导出 --from F.zip --to DIR    open an encrypted export"},
	{"import", cmd_import, "导入 Excel/CSV households|rolls|…      import spreadsheets"},
};

static void usage(FILE *f)
{
	fprintf(f, "用法 / usage: minzheng <命令> [参数]   (minzheng <命令> --help 查看详情)\n\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	fault_json_watch();
	if (fault_from_env() < 0)
		return 2;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			/* --help must work whatever the configuration file says. */
			int help = 0;
			for (int k = 2; k < argc; k++)
				help |= !strcmp(argv[k], "--help") || !strcmp(argv[k], "-h");
			int db_command = !help && strcmp(argv[1], "idcheck") != 0 &&
					 strcmp(argv[1], "routes") != 0;
			if (db_command && cli_db_setup() < 0)
				return 2;
			if (db_command && !strcmp(argv[1], "serve"))
				cli_warn_readonly(cli_opt(argc - 1, argv + 1, "db"));
			return commands[i].fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "未知命令：%s\n\n", argv[1]);
	usage(stderr);
	return 2;
}
