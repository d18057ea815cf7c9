/* demo_steps.h — the demo's later steps: scenarios that other modules add to the demo city after
 * its registry, users and 低保/特困 payroll exist (temporary assistance, price subsidies, the
 * hardship ledger, institutions and their daily reports, …). (Owned by the demo module; each
 * step's code is owned by the module whose records it writes.)
 *
 * A step is one function in demo_steps.c's table, called in table order after demo_run's own
 * work has committed. It writes in its own transactions (with its own audit rows), must be a
 * pure function of (seed, scale) like the rest of the demo, should cost well under a second at
 * scale 1, and says what it made with demo_note() — those lines are printed in the demo summary
 * (and kept by `make run` in data/minzheng-demo.txt). A step that depends on the assistance
 * scenario checks o->assistance itself. A failing step fails the demo with its error.
 */
#ifndef MZ_DEMO_STEPS_H
#define MZ_DEMO_STEPS_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "demo/demo.h"

typedef int (*demo_step_fn)(struct db *db, const struct actor *sys, const struct demo_options *o,
			    struct demo_report *r, struct err *e);

struct demo_step {
	const char *name; /* "relief", "price_subsidy", … (shown when the step fails) */
	demo_step_fn fn;
};

/* The table, ending with {0}. */
extern const struct demo_step demo_steps[];

/* Run every step in order; on failure e names the step. */
int demo_steps_run(struct db *db, const struct actor *sys, const struct demo_options *o,
		   struct demo_report *r, struct err *e);

/* Append one line (printf-style, no newline needed) to the demo summary's step section. Lines
 * past the buffer are dropped with a mark. */
void demo_note(struct demo_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
