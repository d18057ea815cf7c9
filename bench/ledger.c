/* ledger.c — latency of the hardship ledger's overdue list (应访未访) over 1,000,000 entries and
 * 10,000,000 visits, against baselines measured in the same run on the same connection.
 *
 * Usage: bench/ledger DB [--queries N] [--reps R] [--naive N]
 *        bench/ledger DB --info   (for ledger.sh: "entries=N active=N visits=N users=N")
 *
 * Built by bench/ledger.sh with the Makefile's CFLAGS, linked against the library objects; the
 * database is bench/out/ledger.db (bench/ledger.sql). As two real users built exactly as the
 * server builds them — county_370704 (坊子区, ≈81,000 entries) and township_370704008 (太保庄街道,
 * ≈24,000) — it calls ledger_overdue_list() as GET /api/v1/ledger/overdue does:
 *
 *   county        the county's list: one page of 50 (the most overdue first) and the total
 *   county_groups the same with the counts per township (the county's view by township)
 *   township      the township's list with the counts per village
 *
 * N queries per kind (default 200), as of a day from 2020-04-28 to 2020-05-02 (cycling: 10 % to
 * 35 % of the county's active entries due, 22 % on 2020-04-30) and at offsets 0, 0, 0, 50, 100; every query set once to warm up, then R timed repetitions (default
 * 3; run.sh asks for 5); p50 and p99 per repetition, the medians over the repetitions printed.
 *
 * Baselines:
 *   baseline  the same rows read by primary key: for every county query, the 50 entries of its
 *             page read one by one with the same columns and joins (a plain indexed lookup of
 *             the same number of rows). Ratios are against its p50.
 *   naive     the county's list computed from the visits, as it would be without next_due on
 *             the entry: each active entry's latest visit (an index probe per entry) plus its
 *             frequency, filtered, sorted, paged and counted — a few queries only (--naive, 3).
 *
 * Every answer of the first pass is checked: the page is sorted by due date, lies in the scope,
 * is due by the day, and the total equals a count by a full scan of the table; a wrong answer
 * fails the bench instead of looking fast. Lines starting with RESULT are for bench/run.sh.
 */
#include "accounts/accounts.h"
#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "ledger/ledger.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REPS 15
#define PAGE 50

enum kind { K_COUNTY, K_COUNTY_GROUPS, K_TOWNSHIP, K_COUNT };
static const char *const kind_name[K_COUNT] = {"county", "county_groups", "township"};

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

static double percentile(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int k = (int)(p * n + 0.999999) - 1;
	return v[k < 0 ? 0 : k >= n ? n - 1 : k];
}

static double median(const double *v, int n)
{
	double t[MAX_REPS];
	memcpy(t, v, (size_t)n * sizeof *v);
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "ledger bench: %s: %s %s\n", what, e ? e->code : "", e ? e->message : "");
	exit(1);
}

static void actor_of(struct db *db, const char *username, struct actor *a)
{
	struct err e;
	int64_t uid = db_query_int(db, "SELECT id FROM users WHERE username = ?", username);
	if (uid <= 0) {
		fprintf(stderr, "ledger bench: user %s missing from the bench database\n", username);
		exit(1);
	}
	if (accounts_actor_for_user(db, uid, a, &e) < 0)
		die(username, &e);
	snprintf(a->client, sizeof a->client, "bench");
}

/* Query q: as of a day from 2020-04-28 to 2020-05-02 (10 % to 35 % of the county's active
 * entries due; 22 % on 2020-04-30), at offset 0, 0, 0, 50, 100. */
static void query_args(int q, char as_of[11], int64_t *offset)
{
	ledger_date_add("2020-04-28", q % 5, as_of);
	int k = (q / 5) % 5;
	*offset = k < 3 ? 0 : (k - 2) * PAGE;
}

/* A count by a full scan (no index): what the list's total must be. */
static int64_t scan_count(struct db *db, const char *prefix, const char *as_of)
{
	struct err e;
	struct db_stmt *st = db_prepare(db,
					"SELECT count(*) FROM ledger_entries NOT INDEXED WHERE "
					"substr(region_code, 1, length(?1)) = ?1 AND status = 'active' "
					"AND next_due <= ?2",
					&e);
	if (!st)
		die("scan", &e);
	db_bind_text(st, 1, prefix);
	db_bind_text(st, 2, as_of);
	int64_t n = db_step(st, &e) == 1 ? db_col_int(st, 0) : -1;
	db_done(st);
	return n;
}

static void check(struct db *db, const struct ledger_overdue *o, const char *prefix,
		  const char *as_of, int64_t offset, int groups)
{
	int64_t want = scan_count(db, prefix, as_of);
	if (o->page.total != want) {
		fprintf(stderr, "ledger bench: %s as of %s: total %lld, a full scan counts %lld\n",
			prefix, as_of, (long long)o->page.total, (long long)want);
		exit(1);
	}
	int64_t expect_n = want - offset < PAGE ? want - offset : PAGE;
	if (expect_n < 0)
		expect_n = 0;
	if (o->page.n != expect_n) {
		fprintf(stderr, "ledger bench: %s: page of %d, expected %lld\n", prefix, o->page.n,
			(long long)expect_n);
		exit(1);
	}
	for (int i = 0; i < o->page.n; i++) {
		const struct ledger_entry *en = &o->page.items[i];
		if (strncmp(en->region_code, prefix, strlen(prefix)) || strcmp(en->next_due, as_of) > 0 ||
		    strcmp(en->status, "active") || !en->name[0] ||
		    (i && strcmp(o->page.items[i - 1].next_due, en->next_due) > 0)) {
			fprintf(stderr, "ledger bench: %s as of %s: a wrong row (%lld %s %s)\n", prefix,
				as_of, (long long)en->id, en->region_code, en->next_due);
			exit(1);
		}
	}
	if (groups) {
		int64_t sum = 0;
		for (int i = 0; i < o->n_groups; i++)
			sum += o->groups[i].overdue;
		if (sum != want || o->n_groups < 2) {
			fprintf(stderr, "ledger bench: %s: the groups add up to %lld, not %lld\n", prefix,
				(long long)sum, (long long)want);
			exit(1);
		}
	}
}

/* The county's page computed from the visits: what next_due on the entry saves. */
static const char naive_sql[] =
    "WITH due AS (SELECT e.person_id AS id, e.region_code AS region, "
    "date((SELECT max(v.visited_on) FROM ledger_visits v WHERE v.person_id = e.person_id), "
    "printf('%+d days', e.frequency_days)) AS due FROM ledger_entries e "
    "WHERE substr(e.region_code, 1, 6) = ?1 AND e.status = 'active') "
    "SELECT id, due, (SELECT count(*) FROM due WHERE due <= ?2) FROM due WHERE due <= ?2 "
    "ORDER BY due, region, id LIMIT 50 OFFSET ?3";

static int info(const char *path)
{
	struct err e;
	struct db *db;
	if (db_open(&db, path, &e) < 0)
		die(path, &e);
	int has = db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE name = ?", "ledger_entries") > 0;
	printf("entries=%lld active=%lld visits=%lld users=%lld\n",
	       has ? (long long)db_query_int(db, "SELECT count(*) FROM ledger_entries", NULL) : 0,
	       has ? (long long)db_query_int(db, "SELECT count(*) FROM ledger_entries WHERE status = ?", "active") : 0,
	       has ? (long long)db_query_int(db, "SELECT max(id) FROM ledger_visits", NULL) : 0,
	       (long long)db_query_int(db,
				       "SELECT count(*) FROM users WHERE username IN "
				       "('county_370704', 'township_370704008')",
				       NULL));
	db_close(db);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int nq = 200, reps = 3, nnaive = 3;
	if (argc == 3 && !strcmp(argv[2], "--info"))
		return info(argv[1]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--queries") && i + 1 < argc)
			nq = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--naive") && i + 1 < argc)
			nnaive = atoi(argv[++i]);
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			fprintf(stderr, "usage: %s DB [--queries N] [--reps R] [--naive N]\n", argv[0]);
			return 2;
		}
	}
	if (!path || nq < 10 || reps < 1 || reps > MAX_REPS || nnaive < 0) {
		fprintf(stderr, "usage: %s DB [--queries N ≥ 10] [--reps 1..%d]\n", argv[0], MAX_REPS);
		return 2;
	}
	struct err e;
	struct db *db;
	if (db_open(&db, path, &e) < 0)
		die(path, &e);
	struct actor county, township;
	actor_of(db, "county_370704", &county);
	actor_of(db, "township_370704008", &township);
	const struct actor *who[K_COUNT] = {&county, &county, &township};
	const char *prefix[K_COUNT] = {"370704", "370704", "370704008"};

	double *lat = malloc(sizeof *lat * (size_t)nq), *base = malloc(sizeof *base * (size_t)nq);
	int64_t(*ids)[PAGE] = malloc(sizeof *ids * (size_t)nq);
	double p50[K_COUNT][MAX_REPS], p99[K_COUNT][MAX_REPS], b50[MAX_REPS], b99[MAX_REPS];
	int64_t totals[K_COUNT] = {0};
	if (!lat || !base || !ids)
		return 1;
	struct db_stmt *pk = db_prepare(db,
					"SELECT e.person_id, e.next_due, coalesce(p.name, ''), "
					"coalesce(p.id_number, ''), coalesce(h.address, ''), "
					"coalesce(r.name, ''), coalesce(u.username, ''), "
					"coalesce(lh.name, ''), e.categories, e.last_visit_on "
					"FROM ledger_entries e LEFT JOIN persons p ON p.id = e.person_id "
					"LEFT JOIN households h ON h.id = e.household_id LEFT JOIN regions r "
					"ON r.code = e.region_code LEFT JOIN users u ON u.id = "
					"e.helper_user_id LEFT JOIN ledger_helpers lh ON lh.user_id = "
					"e.helper_user_id WHERE e.person_id = ?",
					&e);
	if (!pk)
		die("baseline", &e);
	int pages[PAGE + 1];
	memset(pages, 0, sizeof pages);
	for (int pass = 0; pass <= reps; pass++) { /* pass 0: warm-up and checks */
		for (int k = 0; k < K_COUNT; k++) {
			for (int q = 0; q < nq; q++) {
				char as_of[11];
				int64_t offset;
				struct ledger_overdue o;
				query_args(q, as_of, &offset);
				double t0 = now_us();
				if (ledger_overdue_list(db, who[k], "", as_of, PAGE, offset,
							k != K_COUNTY, &o, &e) < 0)
					die(kind_name[k], &e);
				lat[q] = now_us() - t0;
				if (pass == 0 && (q < 3 || q % 37 == 0))
					check(db, &o, prefix[k], as_of, offset, k != K_COUNTY);
				if (k == K_COUNTY) {
					for (int i = 0; i < PAGE; i++)
						ids[q][i] = i < o.page.n ? o.page.items[i].id : 0;
					if (pass == 0)
						pages[o.page.n]++;
				}
				if (q == 0)
					totals[k] = o.page.total;
				ledger_overdue_release(&o);
			}
			if (pass > 0) {
				p50[k][pass - 1] = percentile(lat, nq, 0.50);
				p99[k][pass - 1] = percentile(lat, nq, 0.99);
			}
		}
		/* the baseline: the county pages' rows by primary key */
		for (int q = 0; q < nq; q++) {
			double t0 = now_us();
			int got = 0;
			for (int i = 0; i < PAGE && ids[q][i]; i++) {
				db_bind_int(pk, 1, ids[q][i]);
				if (db_step(pk, &e) == 1 && db_col_bytes(pk, 2) > 0)
					got++;
				db_done(pk);
			}
			base[q] = now_us() - t0;
			if (pass == 0 && got == 0) {
				fprintf(stderr, "ledger bench: baseline read nothing for query %d\n", q);
				return 1;
			}
		}
		if (pass > 0) {
			b50[pass - 1] = percentile(base, nq, 0.50);
			b99[pass - 1] = percentile(base, nq, 0.99);
		}
	}
	const double bm = median(b50, reps);
	printf("ledger: %d queries per kind, %d repetitions (+1 warm-up), page %d\n", nq, reps, PAGE);
	printf("RESULT ledger baseline p50_us=%.1f p99_us=%.1f rows=%d\n", bm, median(b99, reps), PAGE);
	for (int k = 0; k < K_COUNT; k++) {
		double m50 = median(p50[k], reps), m99 = median(p99[k], reps);
		printf("RESULT ledger %s p50_us=%.1f p99_us=%.1f p50_ratio=%.1f p99_ratio=%.1f "
		       "total_2020_04_28=%lld\n",
		       kind_name[k], m50, m99, m50 / bm, m99 / bm, (long long)totals[k]);
	}
	/* the naive list: a few queries, the same days */
	if (nnaive > 0) {
		struct db_stmt *st = db_prepare(db, naive_sql, &e);
		if (!st)
			die("naive", &e);
		double *nl = malloc(sizeof *nl * (size_t)nnaive);
		for (int q = 0; q < nnaive; q++) {
			char as_of[11];
			int64_t offset;
			query_args(q, as_of, &offset);
			double t0 = now_us();
			db_bind_text(st, 1, "370704");
			db_bind_text(st, 2, as_of);
			db_bind_int(st, 3, offset);
			int n = 0;
			int64_t total = -1;
			while (db_step(st, &e) == 1) {
				n++;
				total = db_col_int(st, 2);
			}
			db_done(st);
			nl[q] = now_us() - t0;
			int64_t want = scan_count(db, "370704", as_of);
			if (total != want || n != (want - offset < PAGE ? (int)(want - offset) : PAGE)) {
				fprintf(stderr, "ledger bench: the naive list disagrees (%lld vs %lld)\n",
					(long long)total, (long long)want);
				return 1;
			}
		}
		double n50 = percentile(nl, nnaive, 0.50), c50 = median(p50[K_COUNTY], reps);
		printf("RESULT ledger naive p50_us=%.1f queries=%d vs_county=%.0f\n", n50, nnaive, n50 / c50);
		free(nl);
	}
	printf("ledger: overdue list, p50 / p99 in µs and × the primary-key read of the same %d rows "
	       "(p50 %.1f µs)\n", PAGE, bm);
	for (int k = 0; k < K_COUNT; k++) {
		static const char *const what[K_COUNT] = {"county: a page + the total",
							  "county: + counts per township",
							  "township: + counts per village"};
		double m50 = median(p50[k], reps), m99 = median(p99[k], reps);
		printf("  %-32s %10.0f / %-10.0f %8.1fx / %.1fx\n", what[k], m50, m99, m50 / bm, m99 / bm);
	}
	free(lat);
	free(base);
	free(ids);
	db_close(db);
	return 0;
}
