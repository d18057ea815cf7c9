/* report_stats_goods.c — the statistics report's goods.* and charity.* figures (see
 * report_stats_fill.h), from the modules' own functions (goods_distributed, charity_money_to).
 *
 * goods.*: quantities distributed (to households, persons, institutions, street outreach) on
 * s->from..s->to, per unit by the warehouse's region code; goods.other_items is every item
 * whose statistics line is "other". charity.*: money only (goods valuations are not money
 * raised), cumulative from each appeal's start to s->to, per unit by the appeal's region code;
 * raised_fen / used_fen exclude staff donation drives, staff_donations_fen counts only them.
 * Each module's figures are known (zero when nothing happened) when the actor may read it, and
 * left unknown otherwise. */
#include "report/report_stats_fill.h"

#include "charity/charity.h"
#include "goods/goods.h"

/* The figures a record adds to: its unit's, and the city's (with a county chosen, only that
 * county's records count for the city). */
static void add(struct report_stats *s, const char *region, int item, int64_t v)
{
	int u = rs_unit_of(s, region);
	if (u >= 0)
		rs_add(&s->units[u], item, v);
	if (!s->county[0] || u >= 0)
		rs_add(&s->city, item, v);
}

static int goods_row(void *ctx, const char *region, const char *stat, int64_t q)
{
	struct report_stats *s = ctx;
	int item = RS_OTHER_GOODS;
	if (strcmp(stat, "masks") == 0)
		item = RS_MASKS;
	else if (strcmp(stat, "protective_suits") == 0)
		item = RS_SUITS;
	else if (strcmp(stat, "disinfectant_kg") == 0)
		item = RS_DISINFECTANT;
	else if (strcmp(stat, "alcohol_kg") == 0)
		item = RS_ALCOHOL;
	add(s, region, item, q);
	return 0;
}

static int charity_row(void *ctx, const char *region, const char *kind, int64_t raised,
		       int64_t used)
{
	struct report_stats *s = ctx;
	if (strcmp(kind, "staff") == 0) {
		add(s, region, RS_DONATIONS, raised);
	} else {
		add(s, region, RS_CHARITY_RAISED, raised);
		add(s, region, RS_CHARITY_USED, used);
	}
	return 0;
}

static void zero(struct report_stats *s, const int *items, int n)
{
	for (int i = 0; i < n; i++) {
		rs_set(&s->city, items[i], 0);
		for (int u = 0; u < s->nunits; u++)
			rs_set(&s->units[u], items[i], 0);
	}
}

int report_stats_fill_goods(struct db *db, const struct actor *a, struct report_stats *s,
			    struct err *e)
{
	if (actor_can(a, PERM_GOODS)) {
		static const int items[] = {RS_MASKS, RS_SUITS, RS_DISINFECTANT, RS_ALCOHOL,
					    RS_OTHER_GOODS};
		zero(s, items, 5);
		if (goods_distributed(db, a, s->from, s->to, goods_row, s, e) < 0)
			return -1;
	}
	if (actor_can(a, PERM_CHARITY)) {
		static const int items[] = {RS_CHARITY_RAISED, RS_CHARITY_USED, RS_DONATIONS};
		zero(s, items, 3);
		if (charity_money_to(db, a, s->to, charity_row, s, e) < 0)
			return -1;
	}
	return 0;
}
