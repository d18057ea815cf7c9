/* assistance.c (cmd) — `minzheng assistance entitlements`: every case owed a payment in a month
 * (assistance_entitlements(), the payroll's input), as the system user, without writing
 * anything. Prints a summary per program with the time it took, or every row as CSV
 * (--format csv; bank accounts masked unless --unmask, which is for the bank file's owner
 * and audited as such by the payroll — here it only prints). */
#include "cmd/assistance.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "accounts/accounts.h"
#include "assistance/assistance.h"
#include "cmd/cli.h"

static const char usage[] =
    "用法：\n"
    "  minzheng assistance entitlements --db PATH --month YYYY-MM [--unit CODE]\n"
    "                                   [--format summary|csv] [--unmask]\n"
    "      计算该月应发的全部救助（低保、特困、孤儿、事实无人抚养儿童），按管理单位、村（居）、\n"
    "      案件排序；--unit 只算一个管理单位范围内的村（居）。summary（默认）按项目汇总并给出\n"
    "      耗时和每秒行数；csv 每行一个应发：case_id,program,unit_code,region_code,\n"
    "      beneficiary_id,n_persons,amount_fen,pay_status,payee_name,bank_account（账号默认\n"
    "      只显示后四位）。只读，不写数据库。\n"
    "\n"
    "usage:\n"
    "  minzheng assistance entitlements --db PATH --month YYYY-MM [--unit CODE]\n"
    "                                   [--format summary|csv] [--unmask]\n"
    "      Every case owed a payment in the month, ordered by unit, village and case. summary\n"
    "      (default): counts and totals per program, the time taken and rows/s; csv: one line\n"
    "      per entitlement (accounts masked to the last four digits unless --unmask). Read-only.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

struct tally {
	int csv, unmask;
	int64_t rows, persons, fen[4], count[4];
};

static const char *const programs[4] = {ASSISTANCE_DIBAO, ASSISTANCE_TEKUN, ASSISTANCE_ORPHAN,
					ASSISTANCE_UNSUPPORTED_CHILD};

/* A CSV field: quoted when it holds a comma, quote or newline. */
static void csv_field(const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static int on_ent(const struct assistance_entitlement *ent, void *ctx)
{
	struct tally *t = ctx;
	t->rows++;
	t->persons += ent->n_persons;
	for (int i = 0; i < 4; i++)
		if (strcmp(ent->program, programs[i]) == 0) {
			t->fen[i] += ent->amount_fen;
			t->count[i]++;
		}
	if (t->csv) {
		char acct[48];
		size_t n = strlen(ent->bank_account);
		if (t->unmask || n <= 4)
			snprintf(acct, sizeof acct, "%s", ent->bank_account);
		else
			snprintf(acct, sizeof acct, "****%s", ent->bank_account + n - 4);
		printf("%" PRId64 ",%s,%s,%s,%" PRId64 ",%d,%" PRId64 ",%s,", ent->case_id,
		       ent->program, ent->unit_code, ent->region_code, ent->beneficiary_id,
		       ent->n_persons, ent->amount_fen, ent->pay_status);
		csv_field(ent->payee_name);
		putchar(',');
		csv_field(acct);
		putchar('\n');
	}
	return 0;
}

static int do_entitlements(int argc, char **argv)
{
	const char *month = cli_opt(argc, argv, "month"), *unit = cli_opt(argc, argv, "unit");
	const char *format = cli_opt(argc, argv, "format");
	struct tally t;
	struct scope scope;
	struct err e;
	struct db *db;
	if (!month) {
		fprintf(stderr, "错误：缺少 --month YYYY-MM\n\n%s", usage);
		return 2;
	}
	if (format && strcmp(format, "summary") != 0 && strcmp(format, "csv") != 0) {
		fprintf(stderr, "错误：--format 应为 summary 或 csv\n\n%s", usage);
		return 2;
	}
	memset(&t, 0, sizeof t);
	t.csv = format && strcmp(format, "csv") == 0;
	t.unmask = cli_flag(argc, argv, "unmask");
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	if (accounts_resolve_scope(db, unit ? unit : "", &scope, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	if (t.csv)
		printf("case_id,program,unit_code,region_code,beneficiary_id,n_persons,amount_fen,"
		       "pay_status,payee_name,bank_account\n");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = assistance_entitlements(db, &scope, month, on_ent, &t, &e);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (rc < 0) {
		cli_print_err(&e);
	} else if (!t.csv) {
		int64_t total = 0;
		printf("# %s %s\n", month, unit ? unit : "全市 / all");
		for (int i = 0; i < 4; i++) {
			printf("%s\t%" PRId64 "\t%" PRId64 ".%02d\n", programs[i], t.count[i],
			       t.fen[i] / 100, (int)(t.fen[i] % 100));
			total += t.fen[i];
		}
		printf("total\t%" PRId64 "\t%" PRId64 ".%02d\tpersons %" PRId64 "\n", t.rows,
		       total / 100, (int)(total % 100), t.persons);
		printf("time\t%.3f s\t%.0f rows/s\n", secs, secs > 0 ? (double)t.rows / secs : 0.0);
	}
	db_close(db);
	return rc < 0 ? 1 : 0;
}

int cmd_assistance(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "entitlements") == 0)
		return do_entitlements(argc - 1, argv + 1);
	fprintf(stderr, "未知的子命令：%s\n\n%s", argv[1], usage);
	return 2;
}
