/* demo.h — the demo city: synthetic households, persons and users on the real Weifang tree.
 * (Owned by the demo module: demo.c the run and its SQL, demo_people.c the households,
 * demo_names.c the name tables, demo_rng.c the random numbers and dates.)
 *
 * demo_run() fills an empty, migrated database (it loads the built-in region tree first when
 * the regions table is empty) with about 150,000 × scale households spread over the 3707
 * villages, their members with valid synthetic ID numbers, incomes and hardship tags, and one
 * user for every role at city, county, zone, township and village level, all with the demo
 * password. Everything is written in one write transaction with one "demo.generate" audit row
 * (plus the accounts module's own "user.add" rows). The data is a pure function of (seed,
 * scale): a private PRNG, no rand(), no clock; record timestamps are fixed at DEMO_AS_OF, and
 * people's ages are as of that day (the demo scenario is January–April 2020).
 *
 * With options.assistance (the default) the city also carries its 低保 households and 特困
 * persons — cases with their steps, the epidemic period 2020-03..2020-06 — chosen so that the
 * payroll of 2020-01..2020-04 pays what the bureau published (DOMAIN.md: 低保 87,840 persons,
 * 52,701,000 yuan; 特困 14,367 persons, 18,358,000 yuan) by the rules, the households' members
 * and incomes and the parameters in force (src/demo/demo_assist.c, docs/demo.md). After the
 * generating transaction commits, demo_run computes and confirms the payroll of each month with
 * the payroll module (payroll_run_all, payroll_confirm: one transaction per run, as the CLI
 * does; those rows carry the time they were made) and reads the assistance report back into
 * the demo_report. The figures are exact at scale 1.0; at other scales they are the published
 * ones × scale, roughly.
 */
#ifndef MZ_DEMO_H
#define MZ_DEMO_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

#define DEMO_CITY "3707"
#define DEMO_PASSWORD "Demo@2020" /* 仅供演示 / demo only */
#define DEMO_AS_OF "2020-01-01"	  /* the day the demo registry is "as of" */
#define DEMO_BASE_HOUSEHOLDS 150000
#define DEMO_MAX_SCALE 20.0
#define DEMO_MAX_COUNTIES 32
#define DEMO_MAX_ZONES 16

struct demo_options {
	uint64_t seed;	/* default 1 */
	double scale;	/* (0, DEMO_MAX_SCALE]; default 1.0 */
	int assistance; /* default 1: 低保/特困 cases and the payroll of 2020-01..2020-04; 0: the
			 * registry and users only (tests that make their own cases) */
};

/* Persons paid (distinct) and amount for one program over 2020-01..2020-04. */
struct demo_figure {
	int64_t persons;
	int64_t amount_fen;
};

void demo_options_init(struct demo_options *o);

/* Households and persons per county (by the villages' official county code) or zone. */
struct demo_unit_count {
	char code[16];
	char name[128];
	int64_t households;
	int64_t persons;
};

struct demo_report {
	int64_t households;
	int64_t urban_households;
	int64_t persons;
	int64_t incomes;
	int64_t tags;
	int64_t villages;  /* villages in the tree */
	int64_t townships; /* townships in the tree */
	int ncounties;
	struct demo_unit_count county[DEMO_MAX_COUNTIES];
	int nzones; /* functional zones; their townships are also counted in their county */
	struct demo_unit_count zone[DEMO_MAX_ZONES];
	int users_created;
	int users_existing; /* demo usernames already present: left as they were */
	/* the assistance scenario (options.assistance) */
	int assistance;
	int64_t dibao_cases, dibao_new, dibao_phaseout; /* households; new in 2020; in phase-out */
	int64_t tekun_cases, tekun_new, tekun_in_dibao; /* persons; paid from Feb–Apr; in 低保 homes */
	int64_t payroll_runs, payments;		     /* confirmed runs; paid payments */
	struct demo_figure dibao, tekun;	     /* the assistance report, 2020-01..2020-04 */
	struct demo_figure dibao_target, tekun_target; /* the published figures × scale */
	int exact;		 /* the report equals the targets */
	double seconds_generate; /* the generating transaction */
	double seconds_payroll;	 /* the four months' runs and confirmations, and the report */
	double seconds;		 /* wall time of demo_run */
	double seconds_steps;	 /* the later steps (demo_steps.h) */
	char notes[8192];	 /* the later steps' summary lines (demo_note) */
};

/* The published figures for 2020-01..2020-04 (DOMAIN.md), which the demo reproduces. */
#define DEMO_PUBLISHED_DIBAO_PERSONS 87840
#define DEMO_PUBLISHED_DIBAO_FEN 5270100000LL
#define DEMO_PUBLISHED_TEKUN_PERSONS 14367
#define DEMO_PUBLISHED_TEKUN_FEN 1835800000LL
#define DEMO_PAYROLL_FROM "2020-01"
#define DEMO_PAYROLL_TO "2020-04"

/* Fill the database. Refuses (409 demo_not_empty) when it already has households or persons;
 * 400 invalid_value for a bad scale; 500 on database faults, after which nothing was written.
 * r may be NULL. */
int demo_run(struct db *db, const struct demo_options *o, struct demo_report *r, struct err *e);

/* The well-known demo logins (username and a Chinese description), NULL-terminated; all use
 * DEMO_PASSWORD. demo_run always creates them. */
struct demo_login {
	const char *username;
	const char *role;
	const char *region_code;
	const char *what;
};
extern const struct demo_login demo_logins[];

#endif
