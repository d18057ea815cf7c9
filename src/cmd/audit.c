/* audit.c (cmd) — `minzheng audit verify|archive`: walk the hash-chained audit log, with or
 * without its archive files, and move rows past the retention period into an archive file.
 * The work is in src/audit/ (audit.h, audit_archive.h); this file reads options and prints. */
#include "audit/audit.h"
#include "audit/audit_archive.h"
#include "cmd/cli.h"
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"用法 / usage:\n"
	"  minzheng audit verify --db PATH [--archive FILE]...\n"
	"      逐条校验审计日志的哈希链（从最近一次归档的锚点起）：完好时退出码 0；有记录被改动\n"
	"      或删除时退出码 1，并指出第一条异常记录。每个 --archive 另校验一个归档文件本身、\n"
	"      它与数据库中归档记录（范围、首尾哈希、文件摘要）是否一致，以及各文件之间的衔接。\n"
	"  minzheng audit archive --db PATH --before YYYY-MM-DD --to FILE [--force]\n"
	"                         [--audit-retention-days N]\n"
	"      把 YYYY-MM-DD（北京时间 0 时）以前、尚未归档的审计记录写入 FILE（JSON Lines，\n"
	"      首行为文件头），落盘、读回校验后，在一个事务内登记归档并从数据库删除这些记录。\n"
	"      保存期 audit-retention-days 默认 180 天，不得少于 180 天；--before 不得晚于\n"
	"      今天减保存期。FILE 已存在时拒绝（--force 覆盖）。\n"
	"  选项也可写在配置文件 [audit] 或 [global] 段：audit-retention-days、audit-hash。\n"
	"  audit-hash = sha256|sm3 决定新记录使用的哈希算法（所有命令与 serve 通用，见 docs/audit.md）。\n";

static int print_broken(const char *why, int64_t bad)
{
	if (bad > 0)
		fprintf(stderr, "审计日志已被篡改：%s（记录 id=%lld）\n", why, (long long)bad);
	else /* an archive file's header: no row to name */
		fprintf(stderr, "审计日志已被篡改：%s\n", why);
	return 1;
}

static int cmd_verify(int argc, char **argv)
{
	const char *files[64];
	int n = 0;
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		if (strcmp(argv[i], "--archive") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--archive=", 10) == 0)
			v = argv[i] + 10;
		if (v && n == (int)(sizeof files / sizeof files[0])) {
			fprintf(stderr, "错误：一次最多校验 %d 个归档文件\n", n);
			return 2;
		}
		if (v)
			files[n++] = v;
	}
	struct db *db;
	struct err e;
	int64_t rows = 0, archived = 0, bad = 0;
	char why[512] = "";
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 2;
	int rc = n ? audit_verify_archives(db, files, n, &archived, &rows, &bad, why, sizeof why, &e)
		   : audit_verify(db, &rows, &bad, why, sizeof why, &e);
	db_close(db);
	if (rc < 0) {
		cli_print_err(&e);
		return 2;
	}
	if (rc > 0)
		return print_broken(why, bad);
	if (n)
		printf("审计日志完好：%lld 条记录，哈希链校验通过；另有 %d 个归档文件共 %lld 条，"
		       "与数据库衔接无误\n",
		       (long long)rows, n, (long long)archived);
	else
		printf("审计日志完好：%lld 条记录，哈希链校验通过\n", (long long)rows);
	return 0;
}

static int cmd_archive(int argc, char **argv)
{
	struct err e;
	struct audit_archive_opts o = {.before = cli_opt(argc, argv, "before"),
				       .path = cli_opt(argc, argv, "to"),
				       .force = cli_flag(argc, argv, "force")};
	if (audit_retention_parse(cli_opt(argc, argv, "audit-retention-days"), &o.retention_days, &e) < 0) {
		cli_print_err(&e);
		return 2;
	}
	if (!o.before || !o.path) {
		fprintf(stderr, "错误：需要 --before YYYY-MM-DD 和 --to FILE\n");
		return 2;
	}
	struct db *db;
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 2;
	struct actor sys;
	actor_system(&sys);
	struct audit_archive_result r;
	int rc = audit_archive(db, &sys, &o, &r, &e);
	db_close(db);
	if (rc < 0) {
		cli_print_err(&e);
		return e.status >= 500 ? 2 : 1;
	}
	printf("已归档第 %lld–%lld 条共 %lld 条审计记录到 %s（第 %lld 号归档，摘要 %s），"
	       "并已从数据库删除\n",
	       (long long)r.info.from_id, (long long)r.info.to_id, (long long)r.info.rows, o.path,
	       (long long)r.archive_id, r.info.digest);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	static const char *const cmds[] = {"verify", "archive", NULL};
	int rc = cli_subcommand(argc, argv, usage, cmds);
	if (rc >= 0)
		return rc;
	return strcmp(argv[1], "verify") == 0 ? cmd_verify(argc - 1, argv + 1)
					      : cmd_archive(argc - 1, argv + 1);
}
