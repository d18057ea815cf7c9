/* demo_internal.h — what the files of src/demo/ share with each other (not a public face).
 *
 * Randomness is xoshiro256** seeded through splitmix64, with integer-only helpers (probabilities
 * in basis points, ranges by Lemire's unbiased multiply) so a (seed, scale) pair gives the same
 * bytes on every machine. Dates are day numbers since 1970-01-01 (proleptic Gregorian).
 */
#ifndef MZ_DEMO_INTERNAL_H
#define MZ_DEMO_INTERNAL_H

#include <stdint.h>

#include "core/err.h"
#include "db/db.h"

/* ---- random numbers (demo_rng.c) ---- */

struct demo_rng {
	uint64_t s[4];
};

/* Seed a generator from (seed, stream): different streams give independent sequences. */
void demo_rng_seed(struct demo_rng *r, uint64_t seed, uint64_t stream);
uint64_t demo_rng_next(struct demo_rng *r);
/* Uniform in [0, n) (n > 0). */
uint32_t demo_rng_below(struct demo_rng *r, uint32_t n);
/* Uniform in [lo, hi] (lo <= hi). */
int64_t demo_rng_range(struct demo_rng *r, int64_t lo, int64_t hi);
/* 1 with probability bp / 10000. */
int demo_rng_bp(struct demo_rng *r, uint32_t bp);
/* Index into weights[0..n) chosen with probability weights[i] / Σ weights (Σ > 0). */
int demo_rng_pick(struct demo_rng *r, const uint32_t *weights, int n);
/* A 64-bit mix of x (splitmix64's finalizer): cheap stateless hashing. */
uint64_t demo_mix64(uint64_t x);

/* ---- dates (demo_rng.c) ---- */

int64_t demo_days_from_civil(int y, int m, int d);
void demo_civil_from_days(int64_t days, int *y, int *m, int *d);
/* The same month and day n years later (earlier for n < 0); 29 February becomes 1 March in a
 * common year, as `date(d, '+N years')` does in SQLite. */
int64_t demo_add_years(int64_t day, int n);
/* "YYYY-MM-DD" into out[11]. */
void demo_format_day(int64_t day, char out[11]);
/* Parse "YYYY-MM-DD"; -1 when malformed. */
int demo_parse_day(const char *s, int64_t *day);

/* ---- names (demo_names.c) ---- */

/* A surname, drawn by national frequency (王 李 张 刘 陈 …), static storage. */
const char *demo_surname(struct demo_rng *r);
/* A given name of 1–2 characters fitting sex and birth year, into out (at least 16 bytes). */
void demo_given_name(struct demo_rng *r, int male, int birth_year, char *out, int outlen);

/* ---- ID numbers (demo_people.c) ---- */

/* Which sequence numbers are used, per (county, birth day, sex): IDs are unique by
 * construction, never by luck. */
struct demo_ids {
	int ncounties;
	char county[40][7];
	int64_t day0, ndays; /* births allowed in [day0, day0 + ndays) */
	uint16_t *used;	     /* [county][day][sex] counters, malloc'd */
	uint64_t salt;
};

int demo_ids_init(struct demo_ids *ids, int ncounties, const char (*county)[7], int64_t day0,
		  int64_t day_end, uint64_t seed, struct err *e);
void demo_ids_release(struct demo_ids *ids);

/* ---- households (demo_people.c) ---- */

#define DEMO_MAX_MEMBERS 6
#define DEMO_MAX_INCOMES 4
#define DEMO_MAX_TAGS 6

struct demo_income {
	const char *type;
	int64_t fen;
};

struct demo_person {
	char id_number[19];
	char id_rev[19];
	char name[32];
	const char *surname;  /* static storage (demo_names.c) */
	const char *relation; /* head spouse child parent grandchild grandparent sibling other */
	int male;
	int64_t birth_day;
	char birth_date[11];
	char phone[12];
	int disability_grade; /* 0 none, 1–4 */
	int serious_illness;
	const char *labour; /* full partial none */
	int nincome;
	struct demo_income income[DEMO_MAX_INCOMES];
	int64_t income_fen;
	int ntags;
	const char *tags[DEMO_MAX_TAGS];
};

struct demo_village {
	char code[13];
	char unit[16];	    /* the management unit that pays it: its county, or a functional zone */
	char name[128];	    /* display name, committee suffix dropped: 栾家山后村 */
	int county;	    /* index into the county list (and demo_ids) */
	int zone;	    /* index into the zone list, -1 when the township is its county's */
	int community;	    /* 1 urban community (code suffix 001–199), 0 village */
	int urban_district; /* in 潍城区 or 奎文区 */
	uint32_t weight;
	int64_t households; /* allocated */
};

struct demo_household {
	int urban;
	char address[256];
	char phone[12];
	int n;
	struct demo_person m[DEMO_MAX_MEMBERS];
};

/* Make one household for village v, house number house_no (1-based within the village), with
 * everyone born before as_of. Returns 0, or -1 with e when the ID space is exhausted. */
int demo_make_household(struct demo_rng *r, struct demo_ids *ids, const struct demo_village *v,
			int64_t as_of, int house_no, struct demo_household *h, struct err *e);

/* The display name of a village committee name: "栾家山后村委会" → "栾家山后村",
 * "甘棠社区居委会" → "甘棠社区". */
void demo_village_display_name(const char *name, char *out, int outlen);

/* ---- the assistance scenario (demo_assist.c, docs/demo.md) ---- */

/* The 低保 households and 特困 persons of the demo city, planned from a first pass over the
 * generated households (demo_assist_survey, in stream order, before anything is written), solved
 * so that the payroll of 2020-01..2020-04 adds up to the published figures (demo_assist_plan),
 * applied to the households as the second pass writes them (demo_assist_apply: the planned
 * households' incomes), then written as cases with their steps and the epidemic period
 * (demo_assist_write). The payroll itself is the payroll module's (demo_assist_payroll). */
struct demo_assist;

struct demo_assist *demo_assist_new(const struct demo_village *villages, int nvillages,
				    double scale, uint64_t seed, struct err *e);
void demo_assist_free(struct demo_assist *a);
/* Household k of the stream (0, 1, 2, … in writing order) in village index v, as generated. */
int demo_assist_survey(struct demo_assist *a, int64_t k, int v, const struct demo_household *h,
		       struct err *e);
/* Choose and solve everything; reads the policy parameters in force (already written). */
int demo_assist_plan(struct demo_assist *a, struct db *db, struct err *e);
/* Household k as it is written: the plan's incomes replace the generated ones. */
void demo_assist_apply(const struct demo_assist *a, int64_t k, struct demo_household *h);

struct demo_assist_counts {
	int64_t dibao_cases, dibao_new, dibao_phaseout, tekun_cases, tekun_new, tekun_in_dibao;
	int64_t dibao_persons, dibao_fen, tekun_persons, tekun_fen; /* as planned */
	int64_t dibao_persons_target, dibao_fen_target, tekun_persons_target, tekun_fen_target;
};
void demo_assist_counts(const struct demo_assist *a, struct demo_assist_counts *out);

/* The cases (with their steps) and the epidemic period, inside the demo's transaction; the
 * households got ids first_household, first_household + 1, … and their members first_person, …
 * in stream order. */
int demo_assist_write(struct demo_assist *a, struct db *db, int64_t first_household,
		      int64_t first_person, struct err *e);

#endif
