/* search.c — latency of the registry's person search, against a primary-key point read.
 *
 * Usage: bench/search DB [--queries N] [--reps R] [--slow US] [--pragma SQL]
 *        (--slow: print to stderr every measured query slower than US µs, with its total;
 *         --pragma: run SQL on the connection after db_open, to try a setting, e.g.
 *         --pragma 'PRAGMA mmap_size=1073741824')
 *        bench/search DB --info    (for run.sh: "persons=N active=N households=N users=N
 *                                   schema=HASH", HASH a fingerprint of the schema's SQL)
 *
 * Built by bench/run.sh with the Makefile's CFLAGS and linked against the library objects
 * ($(LIB_OBJ)); opens the bench database (made by bench/run.sh, ≈1 M persons) read-only in
 * spirit (nothing here writes) and, for two actors — the county user county_370704 (坊子区) and
 * the township user township_370704008 (太保庄街道), built exactly as the server builds them
 * (accounts_actor_for_user: role permissions + expanded scope) — measures
 * registry_person_search() for five kinds of query:
 *
 *   suffix4  the last 4 characters of an ID number
 *   suffix6  the last 6 characters of an ID number
 *   name1    a one-character name prefix (the surname, e.g. 王)
 *   name2    a two-character name prefix (surname + first given-name character)
 *   fullid   a full 18-character ID number
 *
 * The queries are drawn from real rows: N persons (default 300) are picked from the actor's scope
 * with a fixed-seed reservoir sample, so every run on the same database asks the same questions,
 * and every question has at least one answer (checked: a query that finds nothing means a broken
 * search, and the program fails). Each search asks for the API's default page (limit 20,
 * offset 0), total included, as GET /api/v1/persons?q=… does.
 *
 * The baseline, measured in the same run on the same connection: a primary-key point read
 * `SELECT <the person columns> FROM persons WHERE id = ?` through db.h (cached statement, bind,
 * step, read every column, done) for the same sampled persons.
 *
 * Every query set runs once to warm the cache, then R (default 3; run.sh asks for 5) timed
 * repetitions; each repetition gives p50/p99 per (actor, kind) and the baseline's median; the
 * figures printed are the medians over the repetitions. Ratios are p50 / baseline median and p99 /
 * baseline median. Lines starting with "RESULT" are for bench/run.sh.
 */
#include "accounts/accounts.h"
#include "core/actor.h"
#include "core/err.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "registry/registry.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum kind { K_SUFFIX4, K_SUFFIX6, K_NAME1, K_NAME2, K_FULLID, K_COUNT };
static const char *const kind_name[K_COUNT] = {"suffix4", "suffix6", "name1", "name2", "fullid"};
static const char *const kind_label[K_COUNT] = {"ID last 4", "ID last 6", "name 1 char",
						"name 2 chars", "full ID"};

#define MAX_REPS 15

static double slow_us; /* --slow */

struct sample {
	int64_t id;
	char id_number[19];
	char name[REGISTRY_NAME_SZ];
};

struct actor_run {
	const char *username;
	const char *label;
	struct actor actor;
	int n;
	struct sample *rows;
	char (*q[K_COUNT])[REGISTRY_NAME_SZ]; /* n queries per kind */
	int distinct[K_COUNT];
	double mean_total[K_COUNT];
	int64_t max_total[K_COUNT];
	double p50[K_COUNT][MAX_REPS], p99[K_COUNT][MAX_REPS];
};

static double now_us(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of v[0..n) (sorts v). */
static double percentile(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int k = (int)(p * n + 0.999999) - 1;
	if (k < 0)
		k = 0;
	if (k >= n)
		k = n - 1;
	return v[k];
}

static double median(const double *v, int n)
{
	double t[MAX_REPS];
	memcpy(t, v, (size_t)n * sizeof *v);
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void) /* xorshift64*, fixed seed: the sample is deterministic */
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "search: %s: %s%s%s\n", what, e ? e->code : "", e ? " " : "",
		e ? e->message : "");
	exit(1);
}

/* Length in bytes of the first `chars` UTF-8 characters of s. */
static size_t utf8_prefix(const char *s, int chars)
{
	size_t i = 0;
	while (s[i] && chars > 0) {
		i++;
		while ((s[i] & 0xC0) == 0x80)
			i++;
		chars--;
	}
	return i;
}

static void make_actor(struct db *db, struct actor_run *r)
{
	struct err e;
	int64_t uid = db_query_int(db, "SELECT id FROM users WHERE username = ?", r->username);
	if (uid <= 0) {
		fprintf(stderr, "search: demo user %s missing from the bench database\n",
			r->username);
		exit(1);
	}
	if (accounts_actor_for_user(db, uid, &r->actor, &e) < 0)
		die(r->username, &e);
	snprintf(r->actor.client, sizeof r->actor.client, "bench");
	if (!actor_can(&r->actor, PERM_REGISTRY_READ)) {
		fprintf(stderr, "search: %s lacks registry.read\n", r->username);
		exit(1);
	}
}

/* Reservoir-sample n active persons in the actor's scope (deterministic). */
static void sample_rows(struct db *db, struct actor_run *r, int n)
{
	struct err e;
	struct strbuf sql = STRBUF_INIT;
	strbuf_addstr(&sql, "SELECT id, id_number, name FROM persons WHERE ");
	scope_sql(&sql, &r->actor.scope, "region_code");
	strbuf_addstr(&sql, " AND status = 'active' ORDER BY id");
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), &e);
	if (!st)
		die("prepare sample", &e);
	scope_bind(st, &r->actor.scope, 1);
	r->rows = calloc((size_t)n, sizeof *r->rows);
	int64_t seen = 0;
	int rc;
	while ((rc = db_step(st, &e)) == 1) {
		int64_t slot = seen < n ? seen : (int64_t)(rng() % (uint64_t)(seen + 1));
		seen++;
		if (slot >= n)
			continue;
		struct sample *s = &r->rows[slot];
		s->id = db_col_int(st, 0);
		snprintf(s->id_number, sizeof s->id_number, "%s", db_col_text(st, 1));
		snprintf(s->name, sizeof s->name, "%s", db_col_text(st, 2));
	}
	db_done(st);
	strbuf_release(&sql);
	if (rc < 0)
		die("sample", &e);
	r->n = seen < n ? (int)seen : n;
	if (r->n < 10) {
		fprintf(stderr, "search: only %lld persons in %s's scope\n", (long long)seen,
			r->username);
		exit(1);
	}
	for (int k = 0; k < K_COUNT; k++) {
		r->q[k] = calloc((size_t)r->n, sizeof *r->q[k]);
		for (int i = 0; i < r->n; i++) {
			const struct sample *s = &r->rows[i];
			size_t len = strlen(s->id_number);
			char *q = r->q[k][i];
			switch (k) {
			case K_SUFFIX4:
				snprintf(q, REGISTRY_NAME_SZ, "%s",
					 s->id_number + (len > 4 ? len - 4 : 0));
				break;
			case K_SUFFIX6:
				snprintf(q, REGISTRY_NAME_SZ, "%s",
					 s->id_number + (len > 6 ? len - 6 : 0));
				break;
			case K_NAME1:
				snprintf(q, REGISTRY_NAME_SZ, "%.*s", (int)utf8_prefix(s->name, 1),
					 s->name);
				break;
			case K_NAME2:
				snprintf(q, REGISTRY_NAME_SZ, "%.*s", (int)utf8_prefix(s->name, 2),
					 s->name);
				break;
			case K_FULLID:
				snprintf(q, REGISTRY_NAME_SZ, "%s", s->id_number);
				break;
			}
		}
		/* distinct queries of this kind */
		int d = 0;
		for (int i = 0; i < r->n; i++) {
			int dup = 0;
			for (int j = 0; j < i && !dup; j++)
				dup = strcmp(r->q[k][i], r->q[k][j]) == 0;
			d += !dup;
		}
		r->distinct[k] = d;
	}
}

/* One pass over the queries of one kind; lat[i] in µs. check: verify answers. */
static void run_kind(struct db *db, struct actor_run *r, int k, double *lat, int check)
{
	struct err e;
	double sum_total = 0;
	int64_t max_total = 0;
	for (int i = 0; i < r->n; i++) {
		struct registry_person_query q;
		memset(&q, 0, sizeof q);
		snprintf(q.q, sizeof q.q, "%s", r->q[k][i]);
		q.limit = 20;
		struct registry_person_page pg;
		memset(&pg, 0, sizeof pg);
		double t0 = now_us();
		int rc = registry_person_search(db, &r->actor, &q, &pg, &e);
		double t1 = now_us();
		if (rc < 0) {
			fprintf(stderr, "search: %s %s q=%s: ", r->username, kind_name[k], q.q);
			die("registry_person_search", &e);
		}
		if (check) {
			int found = 0;
			for (int j = 0; j < pg.n; j++)
				found |= pg.items[j].id == r->rows[i].id;
			for (int j = 0; j < pg.n; j++) {
				if (!scope_contains(&r->actor.scope, pg.items[j].region_code)) {
					fprintf(
					    stderr,
					    "search: %s %s q=%s returned person %lld of region %s, "
					    "outside the scope\n",
					    r->username, kind_name[k], q.q,
					    (long long)pg.items[j].id, pg.items[j].region_code);
					exit(1);
				}
			}
			if (pg.total < 1 || pg.n < 1 ||
			    (k == K_FULLID && (pg.total != 1 || !found)) ||
			    (pg.total <= pg.n && !found)) {
				fprintf(stderr,
					"search: %s %s q=%s: person %lld (%s) not found "
					"(total %lld, page %d)\n",
					r->username, kind_name[k], q.q, (long long)r->rows[i].id,
					r->rows[i].name, (long long)pg.total, pg.n);
				exit(1);
			}
			sum_total += (double)pg.total;
			if (pg.total > max_total)
				max_total = pg.total;
		}
		if (slow_us > 0 && t1 - t0 > slow_us)
			fprintf(stderr, "slow: %s %s q=%s %.0f µs total %lld\n", r->label,
				kind_name[k], q.q, t1 - t0, (long long)pg.total);
		registry_person_page_release(&pg);
		lat[i] = t1 - t0;
	}
	if (check) {
		r->mean_total[k] = sum_total / r->n;
		r->max_total[k] = max_total;
	}
}

static const char person_sql[] =
    "SELECT id, household_id, region_code, id_number, name, relation, sex, birth_date, phone, "
    "disability_grade, serious_illness, labour_capacity, monthly_income_fen, status, created_at, "
    "updated_at FROM persons WHERE id = ?";

/* The baseline: point reads of the sampled persons; lat[i] in µs. */
static void run_baseline(struct db *db, struct actor_run *runs, int nruns, double *lat, int *nlat)
{
	struct err e;
	int m = 0;
	for (int a = 0; a < nruns; a++) {
		for (int i = 0; i < runs[a].n; i++) {
			struct registry_person p;
			double t0 = now_us();
			struct db_stmt *st = db_prepare(db, person_sql, &e);
			if (!st)
				die("prepare baseline", &e);
			db_bind_int(st, 1, runs[a].rows[i].id);
			int rc = db_step(st, &e);
			if (rc == 1) {
				p.id = db_col_int(st, 0);
				p.household_id = db_col_int(st, 1);
				snprintf(p.region_code, sizeof p.region_code, "%s",
					 db_col_text(st, 2));
				snprintf(p.id_number, sizeof p.id_number, "%s", db_col_text(st, 3));
				snprintf(p.name, sizeof p.name, "%s", db_col_text(st, 4));
				snprintf(p.relation, sizeof p.relation, "%s", db_col_text(st, 5));
				snprintf(p.sex, sizeof p.sex, "%s", db_col_text(st, 6));
				snprintf(p.birth_date, sizeof p.birth_date, "%s",
					 db_col_text(st, 7));
				snprintf(p.phone, sizeof p.phone, "%s", db_col_text(st, 8));
				p.disability_grade = (int)db_col_int(st, 9);
				p.serious_illness = (int)db_col_int(st, 10);
				snprintf(p.labour_capacity, sizeof p.labour_capacity, "%s",
					 db_col_text(st, 11));
				p.monthly_income_fen = db_col_int(st, 12);
				snprintf(p.status, sizeof p.status, "%s", db_col_text(st, 13));
				snprintf(p.created_at, sizeof p.created_at, "%s",
					 db_col_text(st, 14));
				snprintf(p.updated_at, sizeof p.updated_at, "%s",
					 db_col_text(st, 15));
			}
			db_done(st);
			double t1 = now_us();
			if (rc != 1 || p.id != runs[a].rows[i].id)
				die("baseline read found no row", rc < 0 ? &e : NULL);
			lat[m++] = t1 - t0;
		}
	}
	*nlat = m;
}

/* --info: sizes and a schema fingerprint, so run.sh can tell whether the bench database is
 * still right without the sqlite3 command-line tool. */
static int info(const char *path)
{
	struct err e;
	struct db *db;
	if (db_open(&db, path, &e) < 0)
		die(path, &e);
	uint64_t h = 1469598103934665603ULL;
	struct db_stmt *st = db_prepare(db,
					"SELECT type || ' ' || name || ' ' || coalesce(sql, '') "
					"FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
					"ORDER BY type, name",
					&e);
	if (!st)
		die("schema", &e);
	int rc;
	while ((rc = db_step(st, &e)) == 1)
		for (const char *c = db_col_text(st, 0); *c; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
	db_done(st);
	if (rc < 0)
		die("schema", &e);
	int has_persons =
	    db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = ?", "persons") > 0;
	long long persons =
	    has_persons ? db_query_int(db, "SELECT count(*) FROM persons", NULL) : 0;
	long long active = has_persons ? db_query_int(db,
						      "SELECT count(*) FROM persons WHERE "
						      "status = ?",
						      "active")
				       : 0;
	long long households =
	    has_persons ? db_query_int(db, "SELECT count(*) FROM households", NULL) : 0;
	long long users = db_query_int(db,
				       "SELECT count(*) FROM users WHERE username IN "
				       "('county_370704', 'township_370704008')",
				       NULL);
	printf("persons=%lld active=%lld households=%lld users=%lld schema=%016llx\n", persons,
	       active, households, users, (unsigned long long)h);
	db_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int nq = 300, reps = 3;
	const char *pragma = NULL;
	if (argc == 3 && !strcmp(argv[2], "--info"))
		return info(argv[1]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--queries") && i + 1 < argc)
			nq = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--slow") && i + 1 < argc)
			slow_us = atof(argv[++i]);
		else if (!strcmp(argv[i], "--pragma") && i + 1 < argc)
			pragma = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			fprintf(
			    stderr,
			    "usage: %s DB [--queries N] [--reps R] [--slow US] [--pragma SQL]\n",
			    argv[0]);
			return 2;
		}
	}
	if (!path || nq < 10 || reps < 1 || reps > MAX_REPS) {
		fprintf(stderr, "usage: %s DB [--queries N ≥ 10] [--reps 1..%d]\n", argv[0],
			MAX_REPS);
		return 2;
	}
	struct err e;
	struct db *db;
	if (db_open(&db, path, &e) < 0)
		die(path, &e);
	if (pragma && db_exec(db, pragma, &e) < 0)
		die(pragma, &e);
	int64_t persons = db_query_int(db, "SELECT count(*) FROM persons", NULL);
	printf("database %s: %lld persons%s%s\n", path, (long long)persons, pragma ? "; " : "",
	       pragma ? pragma : "");

	struct actor_run runs[2] = {
	    {.username = "county_370704", .label = "county"},
	    {.username = "township_370704008", .label = "township"},
	};
	const int nruns = 2;
	for (int a = 0; a < nruns; a++) {
		make_actor(db, &runs[a]);
		sample_rows(db, &runs[a], nq);
		printf("%-8s %-20s scope %s (%d prefix%s), %d sampled persons\n", runs[a].label,
		       runs[a].username, runs[a].actor.region_code, runs[a].actor.scope.n,
		       runs[a].actor.scope.n == 1 ? "" : "es", runs[a].n);
	}

	double *lat = calloc((size_t)(nq * nruns), sizeof *lat);
	double base_med[MAX_REPS], base_p99[MAX_REPS];
	int nb;
	/* warm-up pass, with every answer checked */
	run_baseline(db, runs, nruns, lat, &nb);
	for (int a = 0; a < nruns; a++)
		for (int k = 0; k < K_COUNT; k++)
			run_kind(db, &runs[a], k, lat, 1);

	for (int rep = 0; rep < reps; rep++) {
		run_baseline(db, runs, nruns, lat, &nb);
		base_med[rep] = percentile(lat, nb, 0.50);
		base_p99[rep] = percentile(lat, nb, 0.99);
		for (int a = 0; a < nruns; a++) {
			for (int k = 0; k < K_COUNT; k++) {
				run_kind(db, &runs[a], k, lat, 0);
				runs[a].p50[k][rep] = percentile(lat, runs[a].n, 0.50);
				runs[a].p99[k][rep] = percentile(lat, runs[a].n, 0.99);
			}
		}
	}

	double b50 = median(base_med, reps), b99 = median(base_p99, reps);
	printf("\nmedians over %d repetitions (µs); ratio = latency / baseline p50\n", reps);
	printf("%-8s %-13s %8s %10s %10s %10s %10s %9s %9s\n", "actor", "query", "distinct",
	       "avg total", "p50 µs", "p99 µs", "p50 ratio", "p99 ratio", "");
	printf("%-8s %-13s %8d %10s %10.1f %10.1f %10.2f %10.2f  (SELECT … WHERE id = ?)\n",
	       "baseline", "pk read", nb, "1", b50, b99, 1.0, b99 / b50);
	printf("RESULT search baseline pk p50_us=%.2f p99_us=%.2f\n", b50, b99);
	for (int a = 0; a < nruns; a++) {
		for (int k = 0; k < K_COUNT; k++) {
			double p50 = median(runs[a].p50[k], reps),
			       p99 = median(runs[a].p99[k], reps);
			printf("%-8s %-13s %8d %10.0f %10.1f %10.1f %10.1f %10.1f\n", runs[a].label,
			       kind_label[k], runs[a].distinct[k], runs[a].mean_total[k], p50, p99,
			       p50 / b50, p99 / b50);
		}
	}
	for (int a = 0; a < nruns; a++) {
		for (int k = 0; k < K_COUNT; k++) {
			double p50 = median(runs[a].p50[k], reps),
			       p99 = median(runs[a].p99[k], reps);
			printf("RESULT search %s %s p50_us=%.1f p99_us=%.1f p50_ratio=%.1f "
			       "p99_ratio=%.1f "
			       "avg_total=%.0f max_total=%lld\n",
			       runs[a].label, kind_name[k], p50, p99, p50 / b50, p99 / b50,
			       runs[a].mean_total[k], (long long)runs[a].max_total[k]);
		}
	}
	for (int a = 0; a < nruns; a++) {
		free(runs[a].rows);
		for (int k = 0; k < K_COUNT; k++)
			free(runs[a].q[k]);
	}
	free(lat);
	db_close(db);
	return 0;
}
