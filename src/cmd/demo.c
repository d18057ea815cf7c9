/* demo.c — `minzheng demo --db PATH [--seed N] [--scale F] [--no-assistance]`: the demo city
 * (src/demo/, docs/demo.md).
 *
 * Opens (and migrates) the database, runs demo_run, and prints what was made: households,
 * persons, per-county counts, users, the 低保/特困 cases with the payroll of 2020-01..2020-04 and
 * the assistance report's four figures, elapsed time, and the well-known demo logins with their
 * shared password, marked as demo-only. Refuses a database that already has households.
 */
#include "cmd/demo.h"

#include "cmd/cli.h"
#include "demo/demo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "用法：minzheng demo --db PATH [--seed N] [--scale F] [--no-assistance]\n"
    "  在空数据库中生成演示城市（潍坊市真实区划上的虚构户籍、人员与各级用户），以及低保家庭、\n"
    "  特困人员的救助案件和 2020 年 1–4 月的发放（逐月计算并确认），使统计报表与公布数字一致：\n"
    "  低保 87,840 人、52,701,000 元，特困 14,367 人、18,358,000 元（规模 1.0 时精确相等，\n"
    "  其他规模按比例近似）。同一 --seed 与 --scale 总是生成完全相同的数据和发放。\n"
    "  --db PATH         数据库文件（不存在时创建并初始化）\n"
    "  --seed N          随机种子，默认 1\n"
    "  --scale F         规模系数，默认 1.0（约 15 万户）；0.01 约 1500 户\n"
    "  --no-assistance   只生成户籍与用户，不生成救助案件和发放\n"
    "  数据库中已有户籍数据时拒绝运行。所有演示用户的密码均为 " DEMO_PASSWORD "，仅供演示。\n"
    "\n"
    "usage: minzheng demo --db PATH [--seed N] [--scale F] [--no-assistance]\n"
    "  Fill an empty database with the demo city: synthetic households, persons and users\n"
    "  at every level on the real Weifang region tree, its 低保 households and 特困 persons\n"
    "  with their cases, and the payroll of 2020-01..2020-04 computed and confirmed month by\n"
    "  month, so that the assistance report gives the published figures (exactly at scale\n"
    "  1.0, roughly × scale otherwise). The same --seed and --scale always produce the same\n"
    "  data and payments.\n"
    "  --db PATH         database file (created and migrated when missing)\n"
    "  --seed N          random seed, default 1\n"
    "  --scale F         size factor, default 1.0 (about 150,000 households); 0.01 ≈ 1,500\n"
    "  --no-assistance   the registry and users only: no cases, no payroll\n"
    "  Refuses a database that already has households. Every demo user's password is\n"
    "  " DEMO_PASSWORD " — for demonstration only.\n";

static int parse_seed(const char *s, unsigned long long *out)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

static int parse_scale(const char *s, double *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return errno || *end || !(*out > 0.0 && *out <= DEMO_MAX_SCALE) ? -1 : 0;
}

/* Print s left-aligned in `cols` terminal columns (CJK characters take two). */
static void put_padded(const char *s, int cols)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x80)
			w++;
		else if (*p >= 0xC0)
			w += *p >= 0xE0 ? 2 : 1;
	fputs(s, stdout);
	for (; w < cols; w++)
		putchar(' ');
}

static void print_count(const struct demo_unit_count *c)
{
	printf("  %-8s ", c->code);
	put_padded(c->name, 26);
	printf(" %9lld  %9lld\n", (long long)c->households, (long long)c->persons);
}

/* 5270100000 → "52,701,000.00" */
static void yuan(int64_t fen, char *out, size_t n)
{
	char digits[32], grouped[48];
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100));
	size_t len = strlen(digits), k = 0;
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	snprintf(out, n, "%s%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(a % 100));
}

static void print_figure(const char *label, const struct demo_figure *f,
			 const struct demo_figure *want)
{
	char y[48], w[48];
	yuan(f->amount_fen, y, sizeof y);
	yuan(want->amount_fen, w, sizeof w);
	printf("    %s  persons %8lld   amount_fen %12lld  （%s 元）", label, (long long)f->persons,
	       (long long)f->amount_fen, y);
	if (f->persons != want->persons || f->amount_fen != want->amount_fen)
		printf("  目标 target %lld 人 / %s 元", (long long)want->persons, w);
	printf("\n");
}

static void print_assistance(const struct demo_report *r, const struct demo_options *o)
{
	char total[48];
	printf("\n  救助 assistance\n");
	printf("    低保家庭 dibao households  %6lld  （2020 年新纳入 new %lld，渐退 phase-out %lld）\n",
	       (long long)r->dibao_cases, (long long)r->dibao_new, (long long)r->dibao_phaseout);
	printf("    特困人员 tekun persons     %6lld  （2020 年 2–4 月起发放 new %lld，"
	       "其中低保家庭成员 %lld）\n",
	       (long long)r->tekun_cases, (long long)r->tekun_new, (long long)r->tekun_in_dibao);
	printf("    发放 payroll %s 至 %s：%lld 个批次已确认 runs confirmed，%lld 笔已发放 "
	       "payments paid\n",
	       DEMO_PAYROLL_FROM, DEMO_PAYROLL_TO, (long long)r->payroll_runs,
	       (long long)r->payments);
	printf("  统计报表 minzheng report assistance --from %s --to %s：\n", DEMO_PAYROLL_FROM,
	       DEMO_PAYROLL_TO);
	print_figure("低保 dibao", &r->dibao, &r->dibao_target);
	print_figure("特困 tekun", &r->tekun, &r->tekun_target);
	yuan(r->dibao.amount_fen + r->tekun.amount_fen, total, sizeof total);
	printf("    合计 total  %s 元\n", total);
	if (o->scale == 1.0)
		printf("    %s\n", r->exact ? "与公布数字一致 / equals the published figures"
				      : "！！与公布数字不一致 / differs from the published figures");
	else
		printf("    规模 %g：目标为公布数字 × %g（仅规模 1.0 时保证精确相等）/ targets are the\n"
		       "    published figures × %g, exact only at scale 1.0%s\n",
		       o->scale, o->scale, o->scale, r->exact ? "（本次相等 / met）" : "");
}

/* The later steps' lines (demo_steps.h), indented like the rest of the summary: a step's first
 * line at two spaces, its own indented lines kept below it. */
static void print_notes(const char *notes)
{
	putchar('\n');
	for (const char *line = notes; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		printf("%s%.*s\n", line[0] == ' ' ? "" : "  ", (int)len, line);
		line += len + (end ? 1 : 0);
	}
}

static void print_report(const struct demo_report *r, const struct demo_options *o)
{
	printf("演示城市已生成 / demo city generated (seed %llu, scale %g)\n",
	       (unsigned long long)o->seed, o->scale);
	printf("  户数 households    %10lld  （城镇 urban %lld）\n", (long long)r->households,
	       (long long)r->urban_households);
	printf("  人数 persons       %10lld  （平均每户 %.2f 人）\n", (long long)r->persons,
	       r->households ? (double)r->persons / (double)r->households : 0.0);
	printf("  收入项 incomes     %10lld\n", (long long)r->incomes);
	printf("  困难标签 tags      %10lld\n", (long long)r->tags);
	printf("  区划 regions       %lld 个镇街，%lld 个村居\n", (long long)r->townships,
	       (long long)r->villages);
	printf("\n  ");
	put_padded("代码", 9);
	put_padded("县市区 county", 26);
	printf(" %9s  %9s\n", "households", "persons");
	for (int i = 0; i < r->ncounties; i++)
		print_count(&r->county[i]);
	if (r->nzones) {
		printf("  其中功能区（其镇街已计入所在县市区）/ functional zones, counted above "
		       "too:\n");
		for (int i = 0; i < r->nzones; i++)
			print_count(&r->zone[i]);
	}
	if (r->assistance)
		print_assistance(r, o);
	if (r->notes[0])
		print_notes(r->notes);
	printf("\n  用户 users          新建 created %d", r->users_created);
	if (r->users_existing)
		printf("，已存在未改动 already present, left as they were %d", r->users_existing);
	if (r->assistance)
		printf("\n  用时 elapsed        %.2f 秒 s（生成 generate %.2f，发放与报表 payroll and "
		       "report %.2f，其余步骤 other steps %.2f）\n",
		       r->seconds, r->seconds_generate, r->seconds_payroll, r->seconds_steps);
	else
		printf("\n  用时 elapsed        %.2f 秒 s\n", r->seconds);
	printf("\n  演示登录 demo logins（密码 password: %s）\n", DEMO_PASSWORD);
	for (const struct demo_login *l = demo_logins; l->username; l++)
		printf("    %-22s %s\n", l->username, l->what);
	printf("  其余用户：county_<县代码>、zone_<功能区代码>、township_<镇街代码>、\n"
	       "  village_<各镇街第一个村居代码>、hotline、institution、inspector、rescue、\n"
	       "  funeral、registrar、charity，密码相同。\n");
	printf("\n  ！！仅供演示 / DEMO ONLY：以上账号共用公开密码，数据均为虚构。\n"
	       "  切勿在生产环境使用；正式部署请新建数据库并创建自己的用户。\n"
	       "  These accounts share a published password and all data is fictitious:\n"
	       "  never use this database in production.\n");
}

int cmd_demo(int argc, char **argv)
{
	struct demo_options o;
	struct demo_report r;
	struct err e = {0};
	struct db *db = NULL;
	const char *s;

	if (cli_flag(argc, argv, "help") || (argc > 1 && strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0)
			continue;
		const char *name = argv[i] + 2;
		size_t n = strcspn(name, "=");
		if (!((n == 2 && !strncmp(name, "db", 2)) ||
		      (n == 4 && !strncmp(name, "seed", 4)) ||
		      (n == 5 && !strncmp(name, "scale", 5)) ||
		      (n == 13 && !strncmp(name, "no-assistance", 13) && !name[n]))) {
			fprintf(stderr, "minzheng demo: 未知选项 / unknown option: %s\n\n",
				argv[i]);
			fputs(usage, stderr);
			return 2;
		}
	}
	demo_options_init(&o);
	if ((s = cli_opt(argc, argv, "seed"))) {
		unsigned long long seed;
		if (parse_seed(s, &seed) < 0) {
			fprintf(stderr, "错误：--seed 须为非负整数：%s\n", s);
			return 2;
		}
		o.seed = seed;
	}
	if ((s = cli_opt(argc, argv, "scale")) && parse_scale(s, &o.scale) < 0) {
		fprintf(stderr, "错误：--scale 须为大于 0、不超过 %g 的数：%s\n", DEMO_MAX_SCALE,
			s);
		return 2;
	}
	if (cli_flag(argc, argv, "no-assistance"))
		o.assistance = 0;
	const char *path = cli_opt(argc, argv, "db");
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH（数据库文件）\n\n");
		fputs(usage, stderr);
		return 2;
	}
	if (cli_open_db(path, &db) < 0)
		return 1;
	int rc = demo_run(db, &o, &r, &e);
	db_close(db);
	if (rc < 0) {
		cli_print_err(&e);
		if (strcmp(e.code, "demo_not_empty") == 0)
			fprintf(stderr,
				"请换一个新的数据库文件，例如：minzheng demo --db data/demo.db\n");
		return 1;
	}
	print_report(&r, &o);
	return 0;
}
