/* demo_price.h — the demo city's price subsidies (价格临时补贴): the two entry points
 * demo_price.c gives the demo (see there and docs/demo.md, "Price subsidies"). */
#ifndef MZ_DEMO_PRICE_H
#define MZ_DEMO_PRICE_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "demo/demo.h"

/* Called by the demo's payroll (demo.c, pay()) before the payroll of `month` is computed:
 * the city's dated price parameters, the indices published by then (the 20th of the month,
 * the demo's payroll day), and the subsidies of every triggered month among them — so the
 * payroll of that month pays them. Uses r->households for the scale. */
int demo_price_before_payroll(struct db *db, const struct actor *sys, const char *month,
			      struct demo_report *r, struct err *e);

/* The summary lines of the price subsidies paid in the report's period (demo.c, pay(), after
 * it has read the report back). */
struct report_assistance;
void demo_price_summary(const struct report_assistance *rep, struct demo_report *r);

/* The demo step (demo_steps.c), with the assistance scenario only: the dated parameters (when
 * pay() has not written them) and the index released after the payroll period (2020-04, on
 * 2020-05-12: entered, its subsidies left for the city to generate). */
int demo_price_step(struct db *db, const struct actor *sys, const struct demo_options *o,
		    struct demo_report *r, struct err *e);

#endif
