/* init.c — `minzheng init --db PATH`: create or upgrade a database and load the built-in region
 * tree when it has none. */
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "db/migrate.h"
#include "regions/regions.h"

#include <stdio.h>

int cmd_init(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help")) {
		printf("用法: minzheng init --db PATH\n"
		       "创建数据库（已存在则升级到最新结构），并载入内置的潍坊市区划。\n"
		       "usage: create (or upgrade in place) a database at the latest schema.\n");
		return 0;
	}
	struct db *db;
	struct err e;
	const char *path = cli_opt(argc, argv, "db");
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH\n");
		return 2;
	}
	if (db_open(&db, path, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	int before = db_schema_current(db);
	if (db_migrate(db, &e) < 0 || regions_load_builtin(db, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	printf("数据库 %s：结构版本 %d → %d\n", path, before, db_schema_current(db));
	db_close(db);
	return 0;
}
