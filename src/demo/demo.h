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
	uint64_t seed; /* default 1 */
	double scale;  /* (0, DEMO_MAX_SCALE]; default 1.0 */
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
	double seconds;	    /* wall time of demo_run */
};

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
