/* report_stats_fill.h — what the statistics report's per-module parts share (internal to
 * src/report): setting a figure and finding the unit a region code belongs to, and the fill
 * function of each module's part. Each fill function leaves its figures unknown (the caller
 * may not read that module) or sets them for out->city and every out->units[u]; with a county
 * chosen (out->county non-empty) the city's figures are that county's. Figures are counted over
 * out->from..out->to (days, inclusive) unless docs/stats.md says otherwise. */
#ifndef MZ_REPORT_STATS_FILL_H
#define MZ_REPORT_STATS_FILL_H

#include <string.h>

#include "report/report.h"

static inline void rs_set(struct report_stats_figures *f, int item, int64_t v)
{
	f->v[item] = v;
	f->known[item] = 1;
}

static inline void rs_add(struct report_stats_figures *f, int item, int64_t v)
{
	f->v[item] += v;
	f->known[item] = 1;
}

/* 1 when a region code (station unit, hotline row, team area) belongs to a unit's subtree. */
static inline int rs_under(const char *code, const char *unit)
{
	return strncmp(code, unit, strlen(unit)) == 0;
}

/* The unit (index into s->units) a region code belongs to, or -1 (the city's own records): the
 * unit with the longest matching prefix, so a township that a functional zone manages counts
 * in the zone, not in the official county around it. */
static inline int rs_unit_of(const struct report_stats *s, const char *code)
{
	int best = -1;
	size_t best_len = 0;
	for (int u = 0; u < s->nunits; u++)
		for (int k = 0; k < s->unit_scope[u].n; k++) {
			size_t n = strlen(s->unit_scope[u].prefix[k]);
			if (n > best_len && strncmp(code, s->unit_scope[u].prefix[k], n) == 0) {
				best = u;
				best_len = n;
			}
		}
	return best;
}

/* funeral.* and crosscheck.* (report_stats_funeral.c, owned by the funeral module) */
int report_stats_fill_funeral(struct db *db, const struct actor *a, struct report_stats *s,
			      struct err *e);
/* marriage.* but marriage.offices (report_stats_marriage.c, owned by the marriage module) */
int report_stats_fill_marriage(struct db *db, const struct actor *a, struct report_stats *s,
			       struct err *e);
/* goods.* and charity.* (report_stats_goods.c, owned by the goods and charity modules) */
int report_stats_fill_goods(struct db *db, const struct actor *a, struct report_stats *s,
			    struct err *e);
/* organisations.*, staff.*, documents.issued, lottery.outlets_open (report_stats_orgs.c, owned
 * by the orgs, staff, documents and lottery modules) */
int report_stats_fill_orgs(struct db *db, const struct actor *a, struct report_stats *s,
			   struct err *e);

#endif
