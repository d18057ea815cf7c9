/* demo_charity.c — the demo's charity step (see demo_steps.h): the city charity federation's
 * appeal, four county federations' appeals and the bureau's staff donation drive; money
 * donations from companies and people (some anonymous, some agreeing to be named), goods
 * donations received into the city warehouse (made here through demo_goods.c, which owns the
 * warehouses), and the uses of the money and goods — all through the charity module's own
 * functions.
 *
 * The published figures (DOMAIN.md: raised 104,842,600 yuan and used 104,643,400 yuan to
 * 2020-03-17 24:00; staff donations 137,500 yuan) are sums of the individual donations and
 * uses: each total is split over the appeals and then over many records by the step's own
 * random stream, so they come out exactly at every scale. Donations are dated 2020-01-26 ..
 * 2020-03-05 and uses 2020-03-06 .. 2020-03-17, so the balance never goes negative and nothing
 * moves after 2020-03-17. Pure function of (seed, scale); no clock. */
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "charity/charity.h"
#include "core/text.h"
#include "demo/demo_internal.h"
#include "goods/goods.h"

#define STREAM 0xC4A817
#define RAISED_FEN INT64_C(10484260000)
#define USED_FEN INT64_C(10464340000)
#define STAFF_FEN INT64_C(13750000)
#define MAX_APPEALS 5

int demo_goods_warehouses(struct db *db, const struct actor *sys, struct err *e);

static void split(struct demo_rng *r, int64_t total, int n, int64_t *out)
{
	int64_t sum = 0, given = 0;
	int64_t *w = out;
	for (int i = 0; i < n; i++) {
		w[i] = demo_rng_range(r, 20, 180);
		sum += w[i];
	}
	for (int i = 0; i < n; i++) {
		/* total up to 10^11, weights up to 180 × n: no overflow in 64 bits */
		int64_t v = total / sum * w[i] + (total % sum) * w[i] / sum;
		if (v < 1)
			v = 1;
		out[i] = v;
		given += v;
	}
	for (int i = 0; given < total; i = (i + 1) % n, given++)
		out[i]++;
	for (int i = 0; given > total; i = (i + 1) % n)
		if (out[i] > 1) {
			out[i]--;
			given--;
		}
}

static void day_between(struct demo_rng *r, const char *from, const char *to, char out[11])
{
	int64_t a = 0, b = 0;
	demo_parse_day(from, &a);
	demo_parse_day(to, &b);
	demo_format_day(demo_rng_range(r, a, b), out);
}

static const char *const companies[] = {
    "潍柴控股集团有限公司", "歌尔股份有限公司",     "潍坊银行股份有限公司",
    "山东海化集团有限公司", "晨鸣纸业集团股份有限公司", "寿光蔬菜产业集团",
    "诸城外贸有限责任公司", "潍坊市工商联",         "潍坊市红十字会志愿者协会",
    "青州市商会",           "潍坊市个体劳动者协会", "福田雷沃国际重工股份有限公司",
};
static const char *const channels[] = {"bank", "wechat", "alipay", "cash"};

struct ctx {
	struct db *db;
	const struct actor *sys;
	struct demo_rng rng;
	int64_t appeals[MAX_APPEALS + 1];
	int nappeals; /* public ones; the staff drive after them */
	int64_t donations, anonymous, named, goods_donations, uses;
};

static int donate(struct ctx *x, int64_t appeal, int64_t fen, const char *from, const char *to,
		  int staff, int serial, struct err *e)
{
	struct charity_donation_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.appeal_id = appeal;
	text_copy(in.kind, sizeof in.kind, "money");
	day_between(&x->rng, from, to, in.donated_on);
	in.amount_fen = fen;
	int company = !staff && demo_rng_bp(&x->rng, 3500);
	if (company) {
		text_copy(in.donor_kind, sizeof in.donor_kind, "organisation");
		text_copy(in.donor_name, sizeof in.donor_name,
			  companies[demo_rng_below(&x->rng, sizeof companies / sizeof *companies)]);
		in.disclose = 1;
		text_copy(in.channel, sizeof in.channel, "bank");
	} else {
		text_copy(in.donor_kind, sizeof in.donor_kind, "person");
		if (!staff && demo_rng_bp(&x->rng, 1500)) {
			in.anonymous = 1;
			x->anonymous++;
		} else {
			char given[32];
			demo_given_name(&x->rng, demo_rng_bp(&x->rng, 5000), 1975, given, sizeof given);
			snprintf(in.donor_name, sizeof in.donor_name, "%s%s", demo_surname(&x->rng),
				 given);
			in.disclose = demo_rng_bp(&x->rng, 4000);
			x->named += in.disclose;
		}
		text_copy(in.channel, sizeof in.channel,
			  staff ? "wechat" : channels[demo_rng_below(&x->rng, 4)]);
	}
	snprintf(in.receipt_no, sizeof in.receipt_no, "%s%06d", staff ? "ZG" : "CS", serial);
	if (charity_donation_add(x->db, x->sys, &in, &id, e) < 0)
		return -1;
	x->donations++;
	return 0;
}

static const char *const projects[] = {
    "疫情防控一线医护人员慰问", "困难群众生活物资救助", "医用防护物资采购",
    "养老机构封闭管理补助",     "儿童福利机构防疫补助", "社区防控值守人员补助",
};

static int use_money(struct ctx *x, int64_t appeal, int64_t fen, int serial, struct err *e)
{
	struct charity_use_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.appeal_id = appeal;
	text_copy(in.kind, sizeof in.kind, "money");
	day_between(&x->rng, "2020-03-06", "2020-03-17", in.used_on);
	in.amount_fen = fen;
	int k = (int)demo_rng_below(&x->rng, 3);
	if (k == 0) {
		text_copy(in.recipient_kind, sizeof in.recipient_kind, "institution");
		text_copy(in.recipient_name, sizeof in.recipient_name,
			  serial % 2 ? "潍坊市社会福利院" : "潍坊市救助管理站");
	} else if (k == 1) {
		struct err ignore;
		struct db_stmt *st = db_prepare(x->db,
						"SELECT name FROM regions WHERE level = 4 AND code "
						"LIKE '3707%' ORDER BY code LIMIT 1 OFFSET ?",
						&ignore);
		text_copy(in.recipient_kind, sizeof in.recipient_kind, "township");
		if (st) {
			db_bind_int(st, 1, demo_rng_below(&x->rng, 100));
			if (db_step(st, &ignore) == 1)
				text_copy(in.recipient_name, sizeof in.recipient_name,
					  db_col_text(st, 0));
			db_done(st);
		}
		if (!in.recipient_name[0])
			text_copy(in.recipient_name, sizeof in.recipient_name, "奎文区广文街道");
	} else {
		text_copy(in.recipient_kind, sizeof in.recipient_kind, "project");
		text_copy(in.recipient_name, sizeof in.recipient_name,
			  projects[demo_rng_below(&x->rng, sizeof projects / sizeof *projects)]);
	}
	snprintf(in.purpose, sizeof in.purpose, "%s",
		 projects[demo_rng_below(&x->rng, sizeof projects / sizeof *projects)]);
	snprintf(in.evidence, sizeof in.evidence, "潍慈拨〔2020〕%d号", serial);
	if (charity_use_add(x->db, x->sys, &in, &id, e) < 0)
		return -1;
	x->uses++;
	return 0;
}

/* goods donated to the city appeal, into the city warehouse */
static const struct {
	const char *item;
	int64_t quantity, value_fen;
	const char *donor;
	const char *on;
} goods_gifts[] = {
    {"masks", 20000, 4000000, "潍柴控股集团有限公司", "2020-01-28"},
    {"masks", 10000, 2000000, "歌尔股份有限公司", "2020-02-03"},
    {"protective_suits", 200, 3000000, "山东海化集团有限公司", "2020-02-05"},
    {"disinfectant", 8000, 9600000, "晨鸣纸业集团股份有限公司", "2020-02-06"},
    {"alcohol", 1500, 2700000, "潍坊市工商联", "2020-02-08"},
    {"vegetables", 30000, 9000000, "寿光蔬菜产业集团", "2020-02-10"},
    {"rice", 2000, 10000000, "诸城外贸有限责任公司", "2020-02-12"},
};

static int run(struct ctx *x, struct err *e)
{
	struct err ignore;
	int rc = 0;
	char name[CHARITY_NAME_SZ], org[CHARITY_NAME_SZ];
	/* the appeals: the city's, four counties', the staff drive */
	struct db_stmt *st = db_prepare(x->db,
					"SELECT code, name FROM regions WHERE level = 3 AND "
					"parent_code = ? ORDER BY code LIMIT 4",
					e);
	if (!st)
		return -1;
	char codes[MAX_APPEALS][16], names[MAX_APPEALS][64];
	text_copy(codes[0], sizeof codes[0], DEMO_CITY);
	text_copy(names[0], sizeof names[0], "潍坊市");
	int n = 1;
	db_bind_text(st, 1, DEMO_CITY);
	while (n < MAX_APPEALS && db_step(st, &ignore) == 1) {
		text_copy(codes[n], sizeof codes[n], db_col_text(st, 0));
		text_copy(names[n], sizeof names[n], db_col_text(st, 1));
		n++;
	}
	db_done(st);
	for (int i = 0; i <= n && rc == 0; i++) {
		struct charity_appeal_in in;
		memset(&in, 0, sizeof in);
		int staff = i == n;
		if (staff) {
			text_copy(in.name, sizeof in.name, "潍坊市民政局干部职工抗击疫情捐款");
			text_copy(in.organisation, sizeof in.organisation, "潍坊市民政局机关党委");
			text_copy(in.region_code, sizeof in.region_code, DEMO_CITY);
			text_copy(in.kind, sizeof in.kind, "staff");
			text_copy(in.started_on, sizeof in.started_on, "2020-02-01");
			text_copy(in.purpose, sizeof in.purpose, "干部职工自愿捐款支援疫情防控");
		} else {
			snprintf(name, sizeof name, "%s慈善总会抗击新冠肺炎疫情募捐", names[i]);
			snprintf(org, sizeof org, "%s慈善总会", names[i]);
			text_copy(in.name, sizeof in.name, name);
			text_copy(in.organisation, sizeof in.organisation, org);
			text_copy(in.region_code, sizeof in.region_code, codes[i]);
			text_copy(in.kind, sizeof in.kind, "public");
			text_copy(in.started_on, sizeof in.started_on, "2020-01-26");
			text_copy(in.purpose, sizeof in.purpose,
				  "募集资金和物资，用于疫情防控一线和困难群众救助");
		}
		rc = charity_appeal_create(x->db, x->sys, &in, &x->appeals[i], e);
	}
	x->nappeals = n;
	if (rc < 0)
		return -1;
	/* raised and used split over the public appeals (the city's and the counties') */
	int64_t raised[MAX_APPEALS], balance[MAX_APPEALS];
	int64_t w[MAX_APPEALS + 3];
	split(&x->rng, RAISED_FEN, n + 3, w); /* the city's appeal takes four parts */
	raised[0] = w[0] + w[1] + w[2] + w[3];
	for (int i = 1; i < n; i++)
		raised[i] = w[i + 3];
	split(&x->rng, RAISED_FEN - USED_FEN, n, balance);
	int serial = 1;
	for (int i = 0; i < n && rc == 0; i++) {
		int nd = i == 0 ? 240 : 40, nu = i == 0 ? 48 : 10;
		int64_t *parts = malloc(sizeof *parts * 240);
		if (!parts)
			return err_oom(e);
		split(&x->rng, raised[i], nd, parts);
		for (int d = 0; d < nd && rc == 0; d++)
			rc = donate(x, x->appeals[i], parts[d], "2020-01-26", "2020-03-05", 0,
				    serial++, e);
		split(&x->rng, raised[i] - balance[i], nu, parts);
		for (int u = 0; u < nu && rc == 0; u++)
			rc = use_money(x, x->appeals[i], parts[u], serial++, e);
		free(parts);
	}
	/* the staff drive */
	int64_t staff[110];
	split(&x->rng, STAFF_FEN, 110, staff);
	for (int d = 0; d < 110 && rc == 0; d++)
		rc = donate(x, x->appeals[n], staff[d], "2020-02-01", "2020-02-20", 1, d + 1, e);
	/* goods donations into the city warehouse, and two uses of them */
	int64_t city_wh = db_query_int(x->db, "SELECT id FROM goods_warehouses WHERE region_code = ?",
				       DEMO_CITY);
	for (size_t g = 0; g < sizeof goods_gifts / sizeof *goods_gifts && rc == 0; g++) {
		struct charity_donation_in in;
		int64_t id;
		memset(&in, 0, sizeof in);
		in.appeal_id = x->appeals[0];
		text_copy(in.kind, sizeof in.kind, "goods");
		text_copy(in.donated_on, sizeof in.donated_on, goods_gifts[g].on);
		text_copy(in.donor_kind, sizeof in.donor_kind, "organisation");
		text_copy(in.donor_name, sizeof in.donor_name, goods_gifts[g].donor);
		in.disclose = 1;
		in.item_id = db_query_int(x->db, "SELECT id FROM goods_items WHERE code = ?",
					  goods_gifts[g].item);
		in.quantity = goods_gifts[g].quantity;
		in.value_fen = goods_gifts[g].value_fen;
		in.warehouse_id = city_wh;
		snprintf(in.receipt_no, sizeof in.receipt_no, "WZ%04d", (int)g + 1);
		rc = charity_donation_add(x->db, x->sys, &in, &id, e);
		x->goods_donations++;
	}
	for (int k = 0; k < 2 && rc == 0; k++) {
		struct charity_use_in in;
		int64_t id;
		memset(&in, 0, sizeof in);
		in.appeal_id = x->appeals[0];
		text_copy(in.kind, sizeof in.kind, "goods");
		text_copy(in.used_on, sizeof in.used_on, k ? "2020-02-20" : "2020-02-10");
		in.item_id = db_query_int(x->db, "SELECT id FROM goods_items WHERE code = ?",
					  k ? "protective_suits" : "masks");
		in.quantity = k ? 150 : 25000;
		in.value_fen = k ? 2250000 : 5000000;
		text_copy(in.recipient_kind, sizeof in.recipient_kind, "institution");
		text_copy(in.recipient_name, sizeof in.recipient_name,
			  k ? "潍坊市社会福利院" : "潍坊市各县市区养老机构");
		text_copy(in.purpose, sizeof in.purpose, "养老和儿童福利机构防疫物资");
		snprintf(in.evidence, sizeof in.evidence, "物资调拨单 WZ-%d", k + 1);
		rc = charity_use_add(x->db, x->sys, &in, &id, e);
		x->uses += rc == 0;
	}
	return rc;
}

int demo_charity(struct db *db, const struct actor *sys, const struct demo_options *o,
		 struct demo_report *r, struct err *e)
{
	struct ctx *x = calloc(1, sizeof *x);
	if (!x)
		return err_oom(e);
	x->db = db;
	x->sys = sys;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0); /* for the summary line only */
	demo_rng_seed(&x->rng, o->seed, STREAM);
	int rc = demo_goods_warehouses(db, sys, e);
	if (rc == 0)
		rc = run(x, e);
	if (rc == 0) {
		int64_t raised = 0, used = 0, staff = 0;
		for (int i = 0; i <= x->nappeals; i++) {
			struct charity_appeal p;
			if (charity_appeal_get(db, sys, x->appeals[i], "2020-03-17", &p, e) < 0) {
				rc = -1;
				break;
			}
			if (i == x->nappeals)
				staff = p.t.raised_fen;
			else {
				raised += p.t.raised_fen;
				used += p.t.used_fen;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (rc == 0) {
			demo_note(r,
				  "慈善：募捐活动 %d 个（含干部职工捐款 1 个），资金捐赠 %lld 笔（匿名 "
				  "%lld，同意公开姓名的个人 %lld），物资捐赠 %lld 笔，使用 %lld 笔；用时 %.2f 秒",
				  x->nappeals + 1, (long long)x->donations, (long long)x->anonymous,
				  (long long)x->named, (long long)x->goods_donations,
				  (long long)x->uses,
				  (double)(t1.tv_sec - t0.tv_sec) +
				      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
			demo_note(r,
				  "慈善募集 %lld.%02lld 元，使用 %lld.%02lld 元（截至 2020-03-17）；"
				  "干部职工捐款 %lld.%02lld 元",
				  (long long)(raised / 100), (long long)(raised % 100),
				  (long long)(used / 100), (long long)(used % 100),
				  (long long)(staff / 100), (long long)(staff % 100));
		}
	}
	free(x);
	return rc;
}
