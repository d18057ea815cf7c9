/* audit.c (cmd) — `minzheng audit verify --db PATH`: walk the hash-chained audit log. */
#include "audit/audit.h"
#include "cmd/cli.h"
#include "cmd/commands.h"

#include <stdio.h>
#include <string.h>

int cmd_audit(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || strcmp(argv[1], "verify") != 0) {
		FILE *f = cli_flag(argc, argv, "help") ? stdout : stderr;
		fprintf(f, "用法 / usage: minzheng audit verify --db PATH\n"
			   "逐条校验审计日志的哈希链：完好时退出码 0；有记录被改动或删除时退出码 1，\n"
			   "并指出第一条异常记录。\n");
		return f == stdout ? 0 : 2;
	}
	struct db *db;
	struct err e;
	int64_t rows = 0, bad = 0;
	char why[512] = "";
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 2;
	int rc = audit_verify(db, &rows, &bad, why, sizeof why, &e);
	db_close(db);
	if (rc < 0) {
		cli_print_err(&e);
		return 2;
	}
	if (rc > 0) {
		fprintf(stderr, "审计日志已被篡改：%s（记录 id=%lld）\n", why, (long long)bad);
		return 1;
	}
	printf("审计日志完好：%lld 条记录，哈希链校验通过\n", (long long)rows);
	return 0;
}
