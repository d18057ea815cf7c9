/* report_stats_marriage.c — the statistics report's marriage.booked, marriage.registered and
 * marriage.no_show figures (see report_stats_fill.h), owned by the marriage module: bookings
 * (not cancelled) whose appointment date lies in s->from..s->to, those registered and those
 * that did not come, per office from marriage_period_counts and added to the unit of the
 * office's region code. Unknown unless the actor may read the marriage module; known zeros in
 * an empty city. */
#include "report/report_stats_fill.h"
#include "marriage/marriage.h"

static void add3(struct report_stats_figures *f, const struct marriage_period_row *r)
{
	rs_add(f, RS_MARRIAGE_BOOKED, r->booked);
	rs_add(f, RS_MARRIAGE_REGISTERED, r->registered);
	rs_add(f, RS_MARRIAGE_NO_SHOW, r->no_show);
}

/* With a county chosen the units are that county and the city's figures are its figures. */
static int add_row(const struct marriage_period_row *r, void *ctx)
{
	struct report_stats *s = ctx;
	int u = rs_unit_of(s, r->region_code);
	if (u >= 0)
		add3(&s->units[u], r);
	if (!s->county[0] || u >= 0)
		add3(&s->city, r);
	return 0;
}

int report_stats_fill_marriage(struct db *db, const struct actor *a, struct report_stats *s,
			       struct err *e)
{
	if (!actor_can(a, PERM_MARRIAGE))
		return 0;
	static const int items[] = {RS_MARRIAGE_BOOKED, RS_MARRIAGE_REGISTERED, RS_MARRIAGE_NO_SHOW};
	for (int i = 0; i < 3; i++) {
		rs_set(&s->city, items[i], 0);
		for (int u = 0; u < s->nunits; u++)
			rs_set(&s->units[u], items[i], 0);
	}
	return marriage_period_counts(db, a, s->from, s->to, add_row, s, e);
}
