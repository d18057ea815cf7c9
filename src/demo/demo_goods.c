/* demo_goods.c — the demo's goods step (see demo_steps.h): the warehouses (city, every county,
 * the first township of the first four counties — also made for the charity step, which
 * receives donated goods into the city's), the city's receipts (allocation from the province,
 * purchases), transfers down to counties and townships, and distributions to households (some
 * on a ledger visit or for a temporary-assistance grant in goods) and institutions, all written
 * through the goods module's own functions.
 *
 * The published figures (DOMAIN.md: masks 60,000; protective suits 543; disinfectant 30,843 kg;
 * alcohol 3,784 kg; other items 147,600) are the sums of the individual distributions dated
 * 2020-01-27..2020-04-20: each total is split over the counties and, in each, over several
 * distributions by the step's own random stream, so they come out exactly at every scale.
 * Pure function of (seed, scale); no clock. */
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/array_grow.h"
#include "core/text.h"
#include "demo/demo_internal.h"
#include "goods/goods.h"

#define STREAM 0x600D5
#define MAX_COUNTIES 32
#define CITY_WAREHOUSE "潍坊市救灾物资储备库"

int demo_goods_warehouses(struct db *db, const struct actor *sys, struct err *e);

struct county {
	char code[16], name[128];
	int64_t wh;	      /* county warehouse */
	char town[16];	      /* "" = none */
	int64_t town_wh;      /* township warehouse, 0 = none */
	int64_t households;   /* in the county */
	int64_t town_households;
	int64_t institutions; /* in the county */
};

static int load_counties(struct db *db, struct county *c, int *n, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT code, name FROM regions WHERE level = 3 AND "
					"parent_code = ? ORDER BY code",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, DEMO_CITY);
	int rc;
	*n = 0;
	while ((rc = db_step(st, e)) == 1 && *n < MAX_COUNTIES) {
		memset(&c[*n], 0, sizeof c[*n]);
		text_copy(c[*n].code, sizeof c[*n].code, db_col_text(st, 0));
		text_copy(c[*n].name, sizeof c[*n].name, db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	if (rc == 1)
		rc = 0;
	if (rc < 0)
		return -1;
	for (int i = 0; i < *n && i < 4; i++) {
		st = db_prepare(db,
				"SELECT code FROM regions WHERE level = 4 AND parent_code = ? "
				"ORDER BY code LIMIT 1",
				e);
		if (!st)
			return -1;
		db_bind_text(st, 1, c[i].code);
		rc = db_step(st, e);
		if (rc == 1)
			text_copy(c[i].town, sizeof c[i].town, db_col_text(st, 0));
		db_done(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int64_t wh_id(struct db *db, const char *name)
{
	return db_query_int(db, "SELECT id FROM goods_warehouses WHERE name = ?", name);
}

static int make_wh(struct db *db, const struct actor *sys, const char *name, const char *code,
		   int64_t low, struct err *e)
{
	struct goods_warehouse w;
	int64_t id;
	if (wh_id(db, name) > 0)
		return 0;
	memset(&w, 0, sizeof w);
	text_copy(w.name, sizeof w.name, name);
	text_copy(w.region_code, sizeof w.region_code, code);
	w.low_stock = low;
	return goods_warehouse_create(db, sys, &w, &id, e);
}

int demo_goods_warehouses(struct db *db, const struct actor *sys, struct err *e)
{
	struct county c[MAX_COUNTIES];
	int n = 0;
	char name[GOODS_NAME_SZ];
	if (load_counties(db, c, &n, e) < 0 || make_wh(db, sys, CITY_WAREHOUSE, DEMO_CITY, 500, e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%.60s救灾物资仓库", c[i].name);
		if (make_wh(db, sys, name, c[i].code, 100, e) < 0)
			return -1;
		if (c[i].town[0]) {
			snprintf(name, sizeof name, "%.60s%s物资点", c[i].name, c[i].town + 6);
			if (make_wh(db, sys, name, c[i].town, 20, e) < 0)
				return -1;
		}
	}
	return 0;
}

/* Split total into n parts ≥ 1 by random weights; exact sum. */
static void split(struct demo_rng *r, int64_t total, int n, int64_t *out)
{
	int64_t w[64], sum = 0, given = 0;
	for (int i = 0; i < n; i++) {
		w[i] = demo_rng_range(r, 60, 140);
		sum += w[i];
	}
	for (int i = 0; i < n; i++) {
		out[i] = total * w[i] / sum;
		if (out[i] < 1)
			out[i] = 1;
		given += out[i];
	}
	for (int i = 0; given < total; i = (i + 1) % n, given++)
		out[i]++;
	for (int i = 0; given > total; i = (i + 1) % n)
		if (out[i] > 1) {
			out[i]--;
			given--;
		}
}

static int64_t count_in(struct db *db, const char *sql, const char *prefix)
{
	char hi[24];
	struct err e;
	struct db_stmt *st = db_prepare(db, sql, &e);
	if (!st)
		return 0;
	snprintf(hi, sizeof hi, "%sz", prefix);
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 2, hi);
	int64_t v = db_step(st, &e) == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return v;
}

static int64_t nth_in(struct db *db, const char *sql, const char *prefix, int64_t k)
{
	char hi[24];
	struct err e;
	struct db_stmt *st = db_prepare(db, sql, &e);
	if (!st)
		return 0;
	snprintf(hi, sizeof hi, "%sz", prefix);
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 2, hi);
	db_bind_int(st, 3, k);
	int64_t v = db_step(st, &e) == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return v;
}

#define HH_COUNT "SELECT count(*) FROM households WHERE region_code >= ? AND region_code < ?"
#define HH_NTH                                                                                     \
	"SELECT id FROM households WHERE region_code >= ? AND region_code < ? ORDER BY id "       \
	"LIMIT 1 OFFSET ?"
#define INST_COUNT "SELECT count(*) FROM institutions WHERE region_code >= ? AND region_code < ?"
#define INST_NTH                                                                                   \
	"SELECT id FROM institutions WHERE region_code >= ? AND region_code < ? ORDER BY id "     \
	"LIMIT 1 OFFSET ?"

/* the categories of the published table and the items they are given as */
struct category {
	const char *items[6];
	int nitems;
	int64_t total;
	int per_county; /* distributions per county and item */
	int inst_bp;	/* share of distributions to institutions, basis points */
};

static const struct category cats[] = {
	{{"masks"}, 1, 60000, 8, 3000},
	{{"protective_suits"}, 1, 543, 3, 8000},
	{{"disinfectant"}, 1, 30843, 5, 5000},
	{{"alcohol"}, 1, 3784, 4, 5000},
	{{"eggs", "rice", "flour", "oil", "vegetables", "warm_clothing"}, 6, 147600, 2, 1500},
};

struct plan_row {
	int county;
	int town; /* from the township warehouse */
	int64_t item;
	int64_t qty;
};

struct ctx {
	struct db *db;
	const struct actor *sys;
	struct demo_rng rng;
	struct county c[MAX_COUNTIES];
	int n;
	int64_t moves, distributions, to_households, to_institutions, on_visits, on_grants;
};

static int move(struct ctx *x, struct goods_move_in *in, struct err *e)
{
	int64_t id;
	if (goods_move(x->db, x->sys, in, &id, e) < 0)
		return -1;
	x->moves++;
	return 0;
}

static void day_between(struct demo_rng *r, const char *from, const char *to, char out[11])
{
	int64_t a = 0, b = 0;
	demo_parse_day(from, &a);
	demo_parse_day(to, &b);
	demo_format_day(demo_rng_range(r, a, b), out);
}

/* A ledger visit or a goods grant in the county that a distribution can follow: fills the
 * recipient and the date; 0 when there is none left. */
static int follow_link(struct ctx *x, const struct county *c, int which, struct goods_move_in *in)
{
	char hi[24];
	struct err e;
	snprintf(hi, sizeof hi, "%sz", c->code);
	struct db_stmt *st;
	if (which == 0) {
		st = db_prepare(x->db,
				"SELECT id, person_id, visited_on FROM ledger_visits WHERE "
				"region_code >= ? AND region_code < ? AND visited_on BETWEEN "
				"'2020-01-27' AND '2020-04-20' ORDER BY id LIMIT 1",
				&e);
	} else {
		st = db_prepare(x->db,
				"SELECT id, household_id, applied_on FROM relief_grants WHERE "
				"region_code >= ? AND region_code < ? AND form = 'goods' AND "
				"household_id IS NOT NULL AND decision = 'approved' AND applied_on "
				"BETWEEN '2020-01-27' AND '2020-04-20' ORDER BY id LIMIT 1",
				&e);
	}
	if (!st)
		return 0;
	db_bind_text(st, 1, c->code);
	db_bind_text(st, 2, hi);
	int found = db_step(st, &e) == 1;
	if (found) {
		if (which == 0) {
			in->ledger_visit_id = db_col_int(st, 0);
			text_copy(in->recipient_kind, sizeof in->recipient_kind, "person");
		} else {
			in->relief_grant_id = db_col_int(st, 0);
			text_copy(in->recipient_kind, sizeof in->recipient_kind, "household");
		}
		in->recipient_id = db_col_int(st, 1);
		text_copy(in->date, sizeof in->date, db_col_text(st, 2));
	}
	db_done(st);
	return found;
}

static int distribute(struct ctx *x, const struct plan_row *p, int first, struct err *e)
{
	struct county *c = &x->c[p->county];
	struct goods_move_in in;
	memset(&in, 0, sizeof in);
	text_copy(in.kind, sizeof in.kind, "distribute");
	in.warehouse_id = p->town ? c->town_wh : c->wh;
	in.item_id = p->item;
	in.quantity = p->qty;
	day_between(&x->rng, "2020-01-27", "2020-04-20", in.date);
	const char *scope = p->town ? c->town : c->code;
	int64_t nh = p->town ? c->town_households : c->households;
	/* the kind of recipient was decided by the caller: 2 an institution, 1 follow a ledger
	 * visit, 3 follow a goods grant, 0 a household */
	if (first == 2 && c->institutions > 0) {
		text_copy(in.recipient_kind, sizeof in.recipient_kind, "institution");
		in.recipient_id =
		    nth_in(x->db, INST_NTH, c->code, demo_rng_below(&x->rng, (uint32_t)c->institutions));
		text_copy(in.note, sizeof in.note, "机构防疫物资");
		x->to_institutions++;
	} else {
		int linked = 0;
		/* the first household distributions of a county warehouse follow a ledger visit
		 * and a goods grant; only one each per county (the links stay visible) */
		if (!p->town && first == 1 && follow_link(x, c, 0, &in)) {
			linked = 1;
			x->on_visits++;
			text_copy(in.note, sizeof in.note, "走访时发放");
		} else if (!p->town && first == 3 && follow_link(x, c, 1, &in)) {
			linked = 1;
			x->on_grants++;
			text_copy(in.note, sizeof in.note, "临时救助实物发放");
		}
		if (!linked) {
			if (nh <= 0)
				return err_set(e, 500, "internal", NULL, "演示数据：%s 没有住户", scope);
			text_copy(in.recipient_kind, sizeof in.recipient_kind, "household");
			in.recipient_id =
			    nth_in(x->db, HH_NTH, scope, demo_rng_below(&x->rng, (uint32_t)nh));
		}
		x->to_households++;
	}
	x->distributions++;
	return move(x, &in, e);
}

static int run(struct ctx *x, struct err *e)
{
	char name[GOODS_NAME_SZ];
	int64_t city = wh_id(x->db, CITY_WAREHOUSE);
	for (int i = 0; i < x->n; i++) {
		struct county *c = &x->c[i];
		snprintf(name, sizeof name, "%.60s救灾物资仓库", c->name);
		c->wh = wh_id(x->db, name);
		c->households = count_in(x->db, HH_COUNT, c->code);
		c->institutions = count_in(x->db, INST_COUNT, c->code);
		if (c->town[0]) {
			snprintf(name, sizeof name, "%.60s%s物资点", c->name, c->town + 6);
			c->town_wh = wh_id(x->db, name);
			c->town_households = count_in(x->db, HH_COUNT, c->town);
			if (c->town_households == 0)
				c->town_wh = 0; /* nobody to give to there at this scale */
		}
	}
	/* the plan: every category split over counties, then over distributions */
	int nplan = 0, alloc = 0;
	struct plan_row *plan = NULL;
	int64_t need_county[MAX_COUNTIES][16], need_town[MAX_COUNTIES][16], need_city[16];
	int64_t item_ids[16];
	int nitems = 0;
	memset(need_county, 0, sizeof need_county);
	memset(need_town, 0, sizeof need_town);
	memset(need_city, 0, sizeof need_city);
	int rc = 0;
	for (size_t k = 0; k < sizeof cats / sizeof cats[0] && rc == 0; k++) {
		const struct category *cat = &cats[k];
		int64_t per_item[6], per_county[MAX_COUNTIES], parts[16];
		split(&x->rng, cat->total, cat->nitems, per_item);
		for (int it = 0; it < cat->nitems && rc == 0; it++) {
			int64_t item = db_query_int(x->db, "SELECT id FROM goods_items WHERE code = ?",
						    cat->items[it]);
			int slot = nitems++;
			item_ids[slot] = item;
			split(&x->rng, per_item[it], x->n, per_county);
			for (int ci = 0; ci < x->n && rc == 0; ci++) {
				split(&x->rng, per_county[ci], cat->per_county, parts);
				for (int d = 0; d < cat->per_county; d++) {
					if (array_grow(&plan, nplan, &alloc, sizeof *plan, 256) < 0) {
						rc = err_oom(e);
						break;
					}
					struct plan_row *p = &plan[nplan++];
					p->county = ci;
					p->town = x->c[ci].town_wh > 0 && d % 2 == 1;
					p->item = slot;
					p->qty = parts[d];
					if (p->town)
						need_town[ci][slot] += p->qty;
					need_county[ci][slot] += p->qty;
				}
			}
		}
	}
	/* receipts into the city: the province's allocation and purchases, a tenth to spare */
	for (int s = 0; s < nitems && rc == 0; s++) {
		int64_t total = 0;
		for (int ci = 0; ci < x->n; ci++)
			total += need_county[ci][s] + need_county[ci][s] / 10;
		need_city[s] = total;
		struct goods_move_in in;
		memset(&in, 0, sizeof in);
		text_copy(in.kind, sizeof in.kind, "receive");
		in.warehouse_id = city;
		in.item_id = item_ids[s];
		text_copy(in.date, sizeof in.date, "2020-01-24");
		int64_t alloc_q = total * 6 / 10;
		text_copy(in.source, sizeof in.source, "allocation");
		text_copy(in.party, sizeof in.party, "山东省民政厅");
		in.quantity = alloc_q;
		if (alloc_q > 0 && move(x, &in, e) < 0)
			rc = -1;
		text_copy(in.source, sizeof in.source, "purchase");
		text_copy(in.party, sizeof in.party, "潍坊市政府采购中心");
		in.quantity = total - alloc_q;
		in.value_fen = in.quantity * 150;
		if (rc == 0 && in.quantity > 0 && move(x, &in, e) < 0)
			rc = -1;
	}
	/* transfers down: city → county (needs and a tenth), county → township */
	for (int ci = 0; ci < x->n && rc == 0; ci++)
		for (int s = 0; s < nitems && rc == 0; s++) {
			struct goods_move_in in;
			memset(&in, 0, sizeof in);
			text_copy(in.kind, sizeof in.kind, "transfer");
			in.warehouse_id = city;
			in.to_warehouse_id = x->c[ci].wh;
			in.item_id = item_ids[s];
			in.quantity = need_county[ci][s] + need_county[ci][s] / 10;
			text_copy(in.date, sizeof in.date, "2020-01-25");
			if (move(x, &in, e) < 0)
				rc = -1;
			if (rc == 0 && need_town[ci][s] > 0) {
				in.warehouse_id = x->c[ci].wh;
				in.to_warehouse_id = x->c[ci].town_wh;
				in.quantity = need_town[ci][s];
				text_copy(in.date, sizeof in.date, "2020-01-26");
				if (move(x, &in, e) < 0)
					rc = -1;
			}
		}
	/* the distributions */
	int seen_visit[MAX_COUNTIES] = {0}, seen_grant[MAX_COUNTIES] = {0};
	for (int i = 0; i < nplan && rc == 0; i++) {
		struct plan_row p = plan[i];
		const struct category *cat = NULL;
		int s = (int)p.item, acc = 0;
		for (size_t k = 0; k < sizeof cats / sizeof cats[0]; k++) {
			if (s < acc + cats[k].nitems) {
				cat = &cats[k];
				break;
			}
			acc += cats[k].nitems;
		}
		p.item = item_ids[s];
		int kind = 0;
		if (!p.town && cat && (int)demo_rng_below(&x->rng, 10000) < cat->inst_bp)
			kind = 2;
		else if (!p.town && !seen_visit[p.county]) {
			kind = 1;
			seen_visit[p.county] = 1;
		} else if (!p.town && !seen_grant[p.county]) {
			kind = 3;
			seen_grant[p.county] = 1;
		}
		rc = distribute(x, &p, kind, e);
	}
	free(plan);
	return rc;
}

static int sum_row(void *ctx, const char *region, const char *stat, int64_t q)
{
	static const char *const stats[] = {"masks", "protective_suits", "disinfectant_kg",
					    "alcohol_kg"};
	int64_t *sums = ctx;
	int i = 4;
	(void)region;
	for (int k = 0; k < 4; k++)
		if (strcmp(stat, stats[k]) == 0)
			i = k;
	sums[i] += q;
	return 0;
}

int demo_goods(struct db *db, const struct actor *sys, const struct demo_options *o,
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
		rc = load_counties(db, x->c, &x->n, e);
	if (rc == 0 && x->n == 0)
		rc = err_set(e, 500, "internal", NULL, "演示数据：没有县级区划");
	if (rc == 0)
		rc = run(x, e);
	if (rc == 0) {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		demo_note(r,
			  "物资：仓库 %lld 个，出入库 %lld 笔；发放 %lld 笔（家庭/个人 %lld，机构 %lld；"
			  "随台账走访 %lld，随临时救助 %lld）；用时 %.2f 秒",
			  (long long)db_query_int(db, "SELECT count(*) FROM goods_warehouses", NULL),
			  (long long)x->moves, (long long)x->distributions,
			  (long long)x->to_households, (long long)x->to_institutions,
			  (long long)x->on_visits, (long long)x->on_grants,
			  (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		int64_t sums[5] = {0};
		rc = goods_distributed(db, sys, "2020-01-01", "2020-04-26", sum_row, sums, e);
		if (rc == 0)
			demo_note(r,
				  "物资发放 2020-01-01..2020-04-26：口罩 %lld 个，防护服 %lld 套，"
				  "消毒液 %lld 千克，酒精 %lld 千克，其他物资 %lld 件",
				  (long long)sums[0], (long long)sums[1], (long long)sums[2],
				  (long long)sums[3], (long long)sums[4]);
	}
	free(x);
	return rc;
}
