/* report_stats_goods.c — the statistics report's goods.* and charity.* figures (see
 * report_stats_fill.h), from the module's own functions. */
#include "report/report_stats_fill.h"

int report_stats_fill_goods(struct db *db, const struct actor *a, struct report_stats *s,
			      struct err *e)
{
	(void)db;
	(void)a;
	(void)s;
	(void)e;
	return 0;
}
