/* report_stats_funeral.c — the statistics report's funeral.* and crosscheck.* figures (see
 * report_stats_fill.h), from the modules' own functions (funeral_stats_each,
 * crosscheck_stats_each). funeral.homes is the institutions module's count (report_stats.c).
 *
 * funeral.bodies / funeral.covid_bodies: body records whose day of death is in s->from..s->to,
 * per unit by the funeral home's region code; funeral.gatherings: farewell gatherings held on a
 * day in the range (0 over a suspension: the rules refuse them). crosscheck.matched: persons of
 * the registry whose recorded death (the earliest, when several sources report it) falls in the
 * range, per unit by their village; crosscheck.overpayments / overpaid_fen: overpayments whose
 * payment month begins in the range, per unit by the payment's village. Each module's figures
 * are known (zero when nothing happened) when the actor may read it (funeral, crosscheck; the
 * leader's stats.read grants both), and left unknown otherwise. Records outside the actor's
 * scope are not counted. */
#include "report/report_stats_fill.h"

#include "crosscheck/crosscheck.h"
#include "funeral/funeral.h"

struct fill {
	struct report_stats *s;
	const struct actor *a;
};

static void add(struct fill *f, const char *region, int item, int64_t v)
{
	if (!scope_contains(&f->a->scope, region))
		return;
	struct report_stats *s = f->s;
	int u = rs_unit_of(s, region);
	if (u >= 0)
		rs_add(&s->units[u], item, v);
	if (!s->county[0] || u >= 0)
		rs_add(&s->city, item, v);
}

static void zero(struct report_stats *s, const int *items, int n)
{
	for (int i = 0; i < n; i++) {
		rs_set(&s->city, items[i], 0);
		for (int u = 0; u < s->nunits; u++)
			rs_set(&s->units[u], items[i], 0);
	}
}

static void funeral_row(const char *region, int body, int epidemic, int gathering, void *ctx)
{
	if (body) {
		add(ctx, region, RS_FUNERAL_BODIES, 1);
		if (epidemic)
			add(ctx, region, RS_FUNERAL_COVID, 1);
	}
	if (gathering)
		add(ctx, region, RS_FUNERAL_GATHERINGS, 1);
}

static void crosscheck_row(int kind, const char *region, int64_t fen, void *ctx)
{
	if (kind == 0) {
		add(ctx, region, RS_XC_MATCHED, 1);
	} else {
		add(ctx, region, RS_XC_OVERPAYMENTS, 1);
		add(ctx, region, RS_XC_OVERPAID_FEN, fen);
	}
}

int report_stats_fill_funeral(struct db *db, const struct actor *a, struct report_stats *s,
			      struct err *e)
{
	struct fill f = {s, a};
	if (actor_can(a, PERM_FUNERAL)) {
		static const int items[] = {RS_FUNERAL_BODIES, RS_FUNERAL_COVID, RS_FUNERAL_GATHERINGS};
		zero(s, items, 3);
		if (funeral_stats_each(db, s->from, s->to, funeral_row, &f, e) < 0)
			return -1;
	}
	if (actor_can(a, PERM_CROSSCHECK)) {
		static const int items[] = {RS_XC_MATCHED, RS_XC_OVERPAYMENTS, RS_XC_OVERPAID_FEN};
		zero(s, items, 3);
		if (crosscheck_stats_each(db, s->from, s->to, crosscheck_row, &f, e) < 0)
			return -1;
	}
	return 0;
}
