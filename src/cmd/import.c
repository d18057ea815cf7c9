/* import.c (cmd) — `minzheng import KIND FILE`: a spreadsheet into the database through the
 * import module (import.h), the same functions the API's upload uses. Acts as the system user
 * (whole city), narrowed with --region CODE, or as a named user with --as USERNAME. */
#include "cmd/commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "accounts/accounts.h"
#include "cmd/cli.h"
#include "import/import.h"

static const char usage[] =
    "用法 / usage:\n"
    "  minzheng import KIND FILE --db PATH [--dry-run] [--region CODE] [--rejects OUT.xlsx]\n"
    "                  [--as USERNAME]\n"
    "      KIND: households（户籍：每行一人，同一户编号为一户）、\n"
    "            institutions（机构：每行一个）、ledger（台账：每行一人，按身份证号）、\n"
    "            assistance（救助名册：已在册的低保、特困对象，每行一件）、\n"
    "            deaths（死亡名单：卫健、公安等部门提供，每行一人，按身份证号）\n"
    "      FILE: Excel (.xlsx) 或 CSV（UTF-8 或 GB18030 编码）\n"
    "      --dry-run 只检查不导入；--region 只导入该区划内的行；--rejects 把未通过的行写成 Excel。\n"
    "  minzheng import template KIND --out FILE.xlsx   导入模板\n"
    "  最后一行为 accepted N, rejected M（户籍按人计）。\n"
    "\n"
    "退出码 / exit status: 0 文件已处理（即使有未通过的行）, 1 失败 failed, 2 用法错误 usage.\n";

struct bar {
	struct timespec start;
	int64_t last_ms;
};

static int64_t ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A one-line progress bar on stderr: stage, percent, rows/s, ETA. */
static void bar_show(void *arg, int64_t done, int64_t total, const char *stage)
{
	struct bar *b = arg;
	int64_t ms = ms_since(&b->start);
	if (ms - b->last_ms < 100 && done < total)
		return;
	b->last_ms = ms;
	double rate = ms > 0 ? (double)done * 1000.0 / (double)ms : 0;
	int pct = total > 0 ? (int)(done * 100 / total) : 0;
	char bar[31];
	for (int i = 0; i < 30; i++)
		bar[i] = i < pct * 30 / 100 ? '#' : '.';
	bar[30] = 0;
	long eta = rate > 0 && total > done ? (long)((double)(total - done) / rate) : 0;
	fprintf(stderr, "\r%-6s [%s] %3d%%  %" PRId64 "/%" PRId64 "  %.0f 行/秒  剩余 %ld 秒   ",
		stage, bar, pct, done, total, rate, eta);
	if (done >= total && total > 0 && strcmp(stage, "完成") == 0)
		fputc('\n', stderr);
	fflush(stderr);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap >= IMPORT_MAX_BYTES + 1u) {
				break;
			}
			char *q = realloc(buf, cap * 2);
			if (!q) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = q;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*len = n;
	return buf;
}

static int write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	int ok = fwrite(data, 1, len, f) == len;
	return fclose(f) == 0 && ok ? 0 : -1;
}

static int template(int argc, char **argv)
{
	const char *out = cli_opt(argc, argv, "out");
	if (argc < 3 || !out) {
		fputs(usage, stderr);
		return 2;
	}
	char *data;
	size_t len;
	struct err e;
	if (import_template_xlsx(argv[2], &data, &len, &e) < 0) {
		cli_print_err(&e);
		return 1;
	}
	int rc = write_file(out, data, len);
	free(data);
	if (rc < 0) {
		fprintf(stderr, "错误：无法写入 %s\n", out);
		return 1;
	}
	return 0;
}

int cmd_import(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "template") == 0)
		return template(argc, argv);
	if (argc < 3 || argv[1][0] == '-' || argv[2][0] == '-' || !cli_opt(argc, argv, "db")) {
		fputs(usage, stderr);
		return 2;
	}
	const char *kind = argv[1], *file = argv[2], *region = cli_opt(argc, argv, "region"),
		   *rejects = cli_opt(argc, argv, "rejects"), *as = cli_opt(argc, argv, "as");
	size_t len = 0;
	char *data = slurp(file, &len);
	if (!data) {
		fprintf(stderr, "错误：无法读取文件 %s\n", file);
		return 1;
	}
	struct db *db;
	struct actor a;
	struct err e;
	int rc = 1;
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0) {
		free(data);
		return 1;
	}
	if (as) {
		int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", as);
		if (id <= 0 || accounts_actor_for_user(db, id, &a, &e) < 0) {
			fprintf(stderr, "错误：没有用户 %s\n", as);
			goto out;
		}
		snprintf(a.client, sizeof a.client, "cli");
	} else {
		actor_system(&a);
	}
	if (region) {
		/* narrow the scope to the region (which must lie inside the actor's) */
		if (!*region || strlen(region) > 12 || strspn(region, "0123456789") != strlen(region) ||
		    !scope_covers(&a.scope, region)) {
			fprintf(stderr, "错误：--region %s 无效或不在管辖范围内\n", region);
			rc = 2;
			goto out;
		}
		a.scope.n = 1;
		snprintf(a.scope.prefix[0], sizeof a.scope.prefix[0], "%s", region);
	}
	struct bar b = {0};
	clock_gettime(CLOCK_MONOTONIC, &b.start);
	struct import_opts o = {.dry_run = cli_flag(argc, argv, "dry-run")};
	if (isatty(2)) {
		o.progress = bar_show;
		o.progress_arg = &b;
	}
	struct import_result r;
	if (import_run(db, &a, kind, data, len, &o, &r, &e) < 0) {
		cli_print_err(&e);
		import_result_release(&r);
		goto out;
	}
	rc = 0;
	if (rejects && r.nrejects) {
		char *x;
		size_t xl;
		if (import_rejects_xlsx(&r, &x, &xl, &e) < 0) {
			cli_print_err(&e);
			rc = 1;
		} else {
			if (write_file(rejects, x, xl) < 0) {
				fprintf(stderr, "错误：无法写入 %s\n", rejects);
				rc = 1;
			}
			free(x);
		}
	}
	for (int i = 0; i < r.nrejects && i < 20; i++)
		printf("第 %d 行：%s\n", r.table.rows[r.rejects[i].row].line, r.rejects[i].reason);
	if (r.nrejects > 20)
		printf("……另有 %d 行未通过%s\n", r.nrejects - 20, rejects ? "，见 --rejects 文件" : "");
	if (strcmp(kind, "households") == 0)
		printf("%s%" PRId64 " 户%s，已存在跳过 %" PRId64 " 人 (skipped %" PRId64 ")\n",
		       o.dry_run ? "检查完毕（未导入）：可导入 " : "已导入 ", r.households,
		       o.dry_run ? "" : "", r.skipped, r.skipped);
	else
		printf("%s%" PRId64 " 条，已存在跳过 %" PRId64 " 条 (skipped %" PRId64 ")\n",
		       o.dry_run ? "检查完毕（未导入）：可导入 " : "已导入 ", r.accepted, r.skipped,
		       r.skipped);
	printf("accepted %" PRId64 ", rejected %" PRId64 "\n", r.accepted, r.rejected);
	import_result_release(&r);
out:
	free(data);
	db_close(db);
	return rc;
}
