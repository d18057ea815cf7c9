/* price.c (cmd) — `minzheng price index|indices|generate|show|late|account`: price-linked
 * subsidies from the command line, as the system actor (the whole city). The work is done by
 * the price module (src/price/); this file parses options and prints. Percentages are typed as
 * people read them (5.4) and stored in basis points (540). */
#include "cmd/commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "payroll/payroll.h"
#include "price/price.h"

static const char usage[] =
    "用法：\n"
    "  minzheng price index --db PATH --month YYYY-MM --cpi PCT --food PCT --published YYYY-MM-DD\n"
    "                       [--note TEXT]\n"
    "      录入某月全国 CPI、食品 CPI 同比涨幅（百分数，最多两位小数，如 4.3）及发布日期。\n"
    "      每次录入都保留历史，最新一条生效；该月补贴已生成后不能再改。\n"
    "  minzheng price indices --db PATH\n"
    "      各月指数、是否启动（按市级参数）、发放期限、已生成/已发放/逾期人数。\n"
    "  minzheng price generate --db PATH --month YYYY-MM [--json]\n"
    "      生成该月价格临时补贴：每个符合条件的人一条（多重身份只发一份），金额按当月参数\n"
    "      计算，随后由发放批次支付，且只支付一次。再次运行只补上新增的人，已有的不变。\n"
    "  minzheng price show --db PATH [--month YYYY-MM] [--county CODE] [--state STATE]\n"
    "                      [--limit N] [--offset N]\n"
    "      补贴明细与合计。STATE：unpaid pending paid failed late no_account。\n"
    "  minzheng price late --db PATH [--as-of YYYY-MM-DD] [--month YYYY-MM] [--county CODE]\n"
    "      逾期清单：超过发放期限仍未发放的补贴（默认截至今天）。\n"
    "  minzheng price account --db PATH --person ID --bank NAME --account NUMBER [--payee NAME]\n"
    "      登记低保、特困名册以外人员（优抚对象、失业人员等）的收款账户。\n"
    "\n"
    "usage:\n"
    "  minzheng price index --db PATH --month YYYY-MM --cpi PCT --food PCT --published DATE\n"
    "      Record a month's CPI and food CPI year on year (percent, e.g. 4.3) and release day.\n"
    "  minzheng price indices --db PATH\n"
    "      Every month: indices, trigger (city parameters), due date, generated/paid/late.\n"
    "  minzheng price generate --db PATH --month YYYY-MM [--json]\n"
    "      Generate the month's subsidies (one per eligible person; idempotent); the payroll\n"
    "      pays each exactly once.\n"
    "  minzheng price show --db PATH [--month M] [--county CODE] [--state STATE] [--limit N]\n"
    "  minzheng price late --db PATH [--as-of DATE] [--month M] [--county CODE]\n"
    "      Subsidies not paid by their due date.\n"
    "  minzheng price account --db PATH --person ID --bank NAME --account NUMBER [--payee NAME]\n"
    "      The account of a person outside the assistance rolls.\n"
    "\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

/* "4.3" / "-0.25" / "12" → basis points; -1 on a malformed value (ok = 0). */
static int parse_percent(const char *s, int *bp)
{
	int neg = 0, whole = 0, frac = 0, nfrac = 0, digits = 0;
	if (!s || !*s)
		return -1;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		whole = whole * 10 + (*s - '0');
		if (whole > 100000)
			return -1;
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (++nfrac > 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		}
	if (*s || !digits)
		return -1;
	if (nfrac == 1)
		frac *= 10;
	*bp = (neg ? -1 : 1) * (whole * 100 + frac);
	return 0;
}

static void percent(int bp, char out[24])
{
	int a = bp < 0 ? -bp : bp;
	snprintf(out, 24, "%s%d.%02d%%", bp < 0 ? "-" : "", a / 100, a % 100);
}

static int open_db(int argc, char **argv, struct db **db)
{
	const char *path = cli_opt(argc, argv, "db");
	if (!path) {
		fprintf(stderr, "错误：需要 --db PATH\n");
		return 2;
	}
	return cli_open_db(path, db) < 0 ? 1 : 0;
}

static int do_index(int argc, char **argv, const struct actor *sys)
{
	const char *month = cli_opt(argc, argv, "month"), *published = cli_opt(argc, argv, "published");
	int cpi, food;
	if (!month || !published || parse_percent(cli_opt(argc, argv, "cpi"), &cpi) < 0 ||
	    parse_percent(cli_opt(argc, argv, "food"), &food) < 0) {
		fprintf(stderr, "错误：需要 --month YYYY-MM --cpi 百分数 --food 百分数 --published "
				"YYYY-MM-DD（百分数最多两位小数，如 4.3）\n");
		return 2;
	}
	struct db *db;
	int rc = open_db(argc, argv, &db);
	if (rc)
		return rc;
	struct err e;
	int64_t id;
	const char *note = cli_opt(argc, argv, "note");
	if (price_index_set(db, sys, month, cpi, food, published, note ? note : "", &id, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	char c[24], f[24];
	percent(cpi, c);
	percent(food, f);
	printf("%s CPI %s 食品 CPI %s 发布 %s index=%" PRId64 "\n", month, c, f, published, id);
	db_close(db);
	return 0;
}

static int do_indices(int argc, char **argv, const struct actor *sys)
{
	struct db *db;
	int rc = open_db(argc, argv, &db);
	if (rc)
		return rc;
	struct err e;
	struct price_month *m;
	int n;
	if (price_months(db, sys, &m, &n, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	printf("%-8s %8s %8s %-10s %-4s %-10s %9s %9s %9s %9s\n", "month", "CPI", "food", "published",
	       "trig", "due", "generated", "paid", "unpaid", "late");
	for (int i = 0; i < n; i++) {
		char c[24], f[24];
		percent(m[i].idx.cpi_bp, c);
		percent(m[i].idx.food_cpi_bp, f);
		printf("%-8s %8s %8s %-10s %-4s %-10s %9" PRId64 " %9" PRId64 " %9" PRId64 " %9" PRId64
		       "%s%s\n",
		       m[i].idx.month, c, f, m[i].idx.published_on,
		       m[i].city_params_ok && m[i].city.triggered ? "是" : "否",
		       m[i].due_on[0] ? m[i].due_on : "-", m[i].generated, m[i].paid,
		       m[i].unpaid + m[i].pending + m[i].failed, m[i].late,
		       m[i].city_params_ok && !m[i].city.triggered ? "  " : "",
		       m[i].city_params_ok && !m[i].city.triggered ? m[i].city.why : "");
	}
	price_months_release(m, n);
	db_close(db);
	return 0;
}

static int do_generate(int argc, char **argv, const struct actor *sys)
{
	const char *month = cli_opt(argc, argv, "month");
	if (!month) {
		fprintf(stderr, "错误：需要 --month YYYY-MM\n");
		return 2;
	}
	struct db *db;
	int rc = open_db(argc, argv, &db);
	if (rc)
		return rc;
	struct err e;
	struct price_generate_result *r = malloc(sizeof *r);
	if (!r || price_generate(db, sys, month, NULL, NULL, r, &e) < 0) {
		if (r)
			cli_print_err(&e);
		free(r);
		db_close(db);
		return 1;
	}
	if (cli_flag(argc, argv, "json")) {
		json_t *j = price_generate_json(r);
		char *text = j ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
		if (text)
			printf("%s\n", text);
		free(text);
		json_decref(j);
	} else {
		for (int i = 0; i < r->nunits; i++) {
			const struct price_generate_unit *u = &r->units[i];
			if (!u->triggered)
				printf("%s 不启动：%s\n", u->unit_code, u->why);
			else
				printf("%s due=%s added=%" PRId64 " added_fen=%" PRId64 " existing=%" PRId64
				       "\n",
				       u->unit_code, u->due_on, u->added, u->added_fen, u->existing);
		}
		char y[32];
		payroll_yuan(r->added_fen, y);
		printf("合计 total %s eligible=%" PRId64 " added=%" PRId64 " added_fen=%" PRId64
		       "（%s 元） existing=%" PRId64 " no_account=%" PRId64 "\n",
		       r->month, r->eligible, r->added, r->added_fen, y, r->existing, r->no_account);
	}
	free(r);
	db_close(db);
	return 0;
}

static const char *state_label(const char *s)
{
	return strcmp(s, "paid") == 0	   ? "已发放"
	       : strcmp(s, "pending") == 0 ? "待确认"
	       : strcmp(s, "failed") == 0  ? "银行退回"
					   : "未发放";
}

static int do_list(int argc, char **argv, const struct actor *sys, int late)
{
	struct price_subsidy_query q;
	memset(&q, 0, sizeof q);
	const char *month = cli_opt(argc, argv, "month"), *county = cli_opt(argc, argv, "county");
	const char *state = late ? "late" : cli_opt(argc, argv, "state");
	const char *as_of = cli_opt(argc, argv, "as-of"), *limit = cli_opt(argc, argv, "limit");
	const char *offset = cli_opt(argc, argv, "offset");
	snprintf(q.month, sizeof q.month, "%s", month ? month : "");
	snprintf(q.unit, sizeof q.unit, "%s", county ? county : "");
	snprintf(q.state, sizeof q.state, "%s", state ? state : "");
	snprintf(q.as_of, sizeof q.as_of, "%s", as_of ? as_of : "");
	q.limit = limit ? atoi(limit) : 50;
	q.offset = offset ? atoll(offset) : 0;
	struct db *db;
	int rc = open_db(argc, argv, &db);
	if (rc)
		return rc;
	struct err e;
	struct price_subsidy_page p;
	if (price_subsidies(db, sys, &q, &p, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	for (int i = 0; i < p.n; i++) {
		const struct price_subsidy *s = &p.items[i];
		char y[32], r[24];
		payroll_yuan(s->amount_fen, y);
		percent(s->rise_bp, r);
		printf("%" PRId64 " %s %s %s %s %s %s 涨幅 %s ×%d.%02d %s 元 期限 %s %s%s%s\n", s->id,
		       s->month, s->unit_code, s->region_code, s->name, s->id_number_masked, s->groups, r,
		       s->multiplier_bp / 10000, s->multiplier_bp % 10000 / 100, y, s->due_on,
		       state_label(s->state), s->late ? " 逾期" : "",
		       !s->has_account ? " 缺少账户" : "");
	}
	char y[32];
	payroll_yuan(p.total_fen, y);
	printf("合计 total %" PRId64 " 人 persons，%s 元（显示 %d 条）\n", p.total, y, p.n);
	free(p.items);
	db_close(db);
	return 0;
}

static int do_account(int argc, char **argv, const struct actor *sys)
{
	const char *person = cli_opt(argc, argv, "person"), *bank = cli_opt(argc, argv, "bank");
	const char *account = cli_opt(argc, argv, "account"), *payee = cli_opt(argc, argv, "payee");
	if (!person || !bank || !account || atoll(person) <= 0) {
		fprintf(stderr, "错误：需要 --person ID --bank 开户行 --account 账号\n");
		return 2;
	}
	struct db *db;
	int rc = open_db(argc, argv, &db);
	if (rc)
		return rc;
	struct err e;
	if (price_account_set(db, sys, atoll(person), payee ? payee : "", bank, account, &e) < 0) {
		cli_print_err(&e);
		db_close(db);
		return 1;
	}
	printf("已登记 person=%s\n", person);
	db_close(db);
	return 0;
}

int cmd_price(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct actor sys;
	actor_system(&sys);
	const char *sub = argv[1];
	argc--;
	argv++;
	if (strcmp(sub, "index") == 0)
		return do_index(argc, argv, &sys);
	if (strcmp(sub, "indices") == 0)
		return do_indices(argc, argv, &sys);
	if (strcmp(sub, "generate") == 0)
		return do_generate(argc, argv, &sys);
	if (strcmp(sub, "show") == 0)
		return do_list(argc, argv, &sys, 0);
	if (strcmp(sub, "late") == 0)
		return do_list(argc, argv, &sys, 1);
	if (strcmp(sub, "account") == 0)
		return do_account(argc, argv, &sys);
	fprintf(stderr, "错误：未知的子命令 %s\n\n%s", sub, usage);
	return 2;
}
