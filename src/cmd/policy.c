/* policy.c (cmd) — `minzheng policy show|set|keys`: the policy parameters from the command line,
 * as the system actor (every unit). The work is done by the policy module (src/policy/); this
 * file parses options and prints. Values on the command line are the stored integers: fen for
 * money, basis points for rates (10000 = 100 %), whole months / years / days. */
#include "cmd/policy.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "policy/policy.h"

static const char usage[] =
    "用法：\n"
    "  minzheng policy show --db PATH --unit CODE [--residence urban|rural] [--month YYYY-MM]\n"
    "      列出管理单位 CODE（市 3707，或县级单位如 370704、功能区如 370791）在该月生效的全部\n"
    "      政策参数，默认城镇（urban）、当月。每行以制表符分隔：\n"
    "      参数 名称 值 原始值 生效月份 来源单位（县级单位没有自己的值时取市级值；未设置的\n"
    "      参数值为“未设置”）。\n"
    "  minzheng policy set --db PATH --unit CODE --key KEY --value V --from YYYY-MM\n"
    "                      [--residence urban|rural|all] [--note 备注]\n"
    "      从 YYYY-MM 起把 KEY 设为 V（整数：金额以分计，比例以基点计，10000 = 100%；月数、\n"
    "      年龄、天数为整数）。城乡分别设定的参数须给 --residence urban 或 rural，其余为 all\n"
    "      （可省略）。已过去的月份不能设置（当月及以后可以；同一月份再次设置即替换）。\n"
    "      以 system 身份写入并记审计日志。\n"
    "  minzheng policy keys\n"
    "      列出全部参数：参数 单位 城乡分设 最小值 最大值 名称。\n"
    "\n"
    "usage:\n"
    "  minzheng policy show --db PATH --unit CODE [--residence urban|rural] [--month YYYY-MM]\n"
    "      Every policy parameter in force for unit CODE (the city 3707, a county such as\n"
    "      370704 or a functional zone such as 370791) in that month; default urban, this\n"
    "      month. Tab-separated: key label value raw effective_from source_unit (the city's\n"
    "      value when the unit has none of its own; \"未设置\" when nothing is in force).\n"
    "  minzheng policy set --db PATH --unit CODE --key KEY --value V --from YYYY-MM\n"
    "                      [--residence urban|rural|all] [--note TEXT]\n"
    "      Set KEY to V from month YYYY-MM on. V is the stored integer: fen for money, basis\n"
    "      points for rates (10000 = 100 %), whole months / years / days. Keys that differ by\n"
    "      residence need --residence urban or rural; the others are 'all' (the default).\n"
    "      Past months are locked; this month and later may be set (again: replaced).\n"
    "      Written as the system user, audited.\n"
    "  minzheng policy keys\n"
    "      Every key: key unit per_residence min max label.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int do_show(int argc, char **argv)
{
	const char *unit = cli_opt(argc, argv, "unit");
	const char *res = cli_opt(argc, argv, "residence");
	const char *month = cli_opt(argc, argv, "month");
	char now[POLICY_MONTH_SZ], text[64];
	struct actor sys;
	struct err e;
	struct db *db;
	if (!unit) {
		fprintf(stderr, "错误：缺少 --unit CODE（管理单位代码）\n\n%s", usage);
		return 2;
	}
	policy_current_month(now);
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	struct policy_snapshot *s = malloc(sizeof *s);
	if (!s) {
		db_close(db);
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	int rc = policy_snapshot(db, &sys, unit, res ? res : "urban", month ? month : now, s, &e);
	if (rc < 0) {
		cli_print_err(&e);
	} else {
		printf("# %s %s %s\n", s->unit_code, s->residence_type, s->month);
		for (int i = 0; i < s->n; i++) {
			const struct policy_item *it = &s->items[i];
			if (!it->present) {
				printf("%s\t%s\t未设置\t\t\t\n", it->def->key, it->def->label);
				continue;
			}
			policy_format_value(it->def, it->value, text, sizeof text);
			printf("%s\t%s\t%s\t%" PRId64 "\t%s\t%s\n", it->def->key, it->def->label, text,
			       it->value, it->effective_from, it->source_unit);
		}
	}
	free(s);
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int do_set(int argc, char **argv)
{
	const char *unit = cli_opt(argc, argv, "unit"), *key = cli_opt(argc, argv, "key");
	const char *v = cli_opt(argc, argv, "value"), *from = cli_opt(argc, argv, "from");
	const char *res = cli_opt(argc, argv, "residence"), *note = cli_opt(argc, argv, "note");
	struct actor sys;
	struct err e;
	struct db *db;
	if (!unit || !key || !v || !from) {
		fprintf(stderr, "错误：--unit、--key、--value、--from 都是必需的\n\n%s", usage);
		return 2;
	}
	char *end;
	errno = 0;
	long long value = strtoll(v, &end, 10);
	if (errno || end == v || *end) {
		fprintf(stderr, "错误：--value 应为整数（金额以分、比例以基点计）：%s\n", v);
		return 2;
	}
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int rc = policy_set(db, &sys, unit, res ? res : "", key, (int64_t)value, from, note, &e);
	if (rc < 0) {
		cli_print_err(&e);
	} else {
		char text[64];
		policy_format_value(policy_key_find(key), (int64_t)value, text, sizeof text);
		printf("已设置 / set: %s %s %s = %s (%lld) 自 / from %s\n", unit,
		       res && *res ? res : "all", key, text, value, from);
	}
	db_close(db);
	return rc < 0 ? 1 : 0;
}

static int do_keys(void)
{
	int n;
	const struct policy_key *k = policy_keys(&n);
	for (int i = 0; i < n; i++)
		printf("%s\t%s\t%d\t%" PRId64 "\t%" PRId64 "\t%s\n", k[i].key, k[i].unit,
		       k[i].per_residence, k[i].min, k[i].max, k[i].label);
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    (argc >= 2 && strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "show") == 0)
		return do_show(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "set") == 0)
		return do_set(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "keys") == 0)
		return do_keys();
	fputs(usage, stderr);
	return 2;
}
