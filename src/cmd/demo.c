/* demo.c — `minzheng demo --db PATH [--seed N] [--scale F]`: the demo city (src/demo/).
 *
 * Opens (and migrates) the database, runs demo_run, and prints what was made: households,
 * persons, per-county counts, users, elapsed time, and the well-known demo logins with their
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
    "用法：minzheng demo --db PATH [--seed N] [--scale F]\n"
    "  在空数据库中生成演示城市（潍坊市真实区划上的虚构户籍、人员与各级用户），\n"
    "  同一 --seed 与 --scale 总是生成完全相同的数据。\n"
    "  --db PATH    数据库文件（不存在时创建并初始化）\n"
    "  --seed N     随机种子，默认 1\n"
    "  --scale F    规模系数，默认 1.0（约 15 万户）；0.01 约 1500 户\n"
    "  数据库中已有户籍数据时拒绝运行。所有演示用户的密码均为 " DEMO_PASSWORD "，仅供演示。\n"
    "\n"
    "usage: minzheng demo --db PATH [--seed N] [--scale F]\n"
    "  Fill an empty database with the demo city: synthetic households, persons and users\n"
    "  at every level on the real Weifang region tree. The same --seed and --scale always\n"
    "  produce the same data.\n"
    "  --db PATH    database file (created and migrated when missing)\n"
    "  --seed N     random seed, default 1\n"
    "  --scale F    size factor, default 1.0 (about 150,000 households); 0.01 ≈ 1,500\n"
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
	printf("\n  用户 users          新建 created %d", r->users_created);
	if (r->users_existing)
		printf("，已存在未改动 already present, left as they were %d", r->users_existing);
	printf("\n  用时 elapsed        %.2f 秒 s\n", r->seconds);
	printf("\n  演示登录 demo logins（密码 password: %s）\n", DEMO_PASSWORD);
	for (const struct demo_login *l = demo_logins; l->username; l++)
		printf("    %-22s %s\n", l->username, l->what);
	printf("  其余用户：county_<县代码>、zone_<功能区代码>、township_<镇街代码>、\n"
	       "  village_<各镇街第一个村居代码>、hotline、institution，密码相同。\n");
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
		      (n == 5 && !strncmp(name, "scale", 5)))) {
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
