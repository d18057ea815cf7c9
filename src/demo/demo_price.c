/* demo_price.c — the demo city's price subsidies (docs/demo.md "Price subsidies",
 * docs/price-subsidy.md).
 *
 * The bureau published, for January–April 2020: price subsidy 103,500 persons, 4,864,200 yuan.
 * The demo reproduces this from individual payments, with the real functions: the indices are
 * entered (price_index_set), each triggered month is generated (price_generate) and the
 * payroll pays it (payroll_run_all in demo.c). What this file chooses is the city's rules and
 * who, beyond the assistance rolls, is in the eligible groups.
 *
 * The story (all parameters, src/policy/ demo values plus the dated rows below):
 *   - national indices: CPI 5.4 %, 5.2 %, 4.3 %, 3.3 %; food CPI 20.6 %, 21.9 %, 18.3 %, 14.8 %
 *     for 2020-01..04, released 02-10, 03-10, 04-10, 05-12 (the NBS release days);
 *   - the city bases the amount on the general CPI (price_rise_basis 1) and put the linkage
 *     mechanism in force from 2020-03 together with the national notice that doubled the
 *     subsidy for March–June 2020 and added orphans, de-facto-unsupported children and people
 *     on unemployment assistance for those months; so January and February (indices above the
 *     trigger) are not paid, March is (released 04-10, paid by the April payroll), April is
 *     released in May and paid after the period;
 *   - the urban districts and development zones (潍城 寒亭 坊子 奎文 滨海 高新 峡山 综保) compute
 *     their residents' subsidy on the urban 低保 standard whatever the residence type, rounded
 *     to the jiao (their own parameters price_rural_on_urban_standard = 1, price_rounding_fen =
 *     10): 710 × 4.3 % × 2 = 61.06 → 61.10 yuan; elsewhere urban 61.06 → 61 yuan, rural
 *     450 × 8.6 % = 38.70 → 39 yuan. The March rolls are mostly rural (about 14 % urban), so two
 *     amounts alone could not reach the published average of 47 yuan, and 61 and 39 alone could
 *     not hit the total to the yuan; the districts' rule gives both the level and the jiao.
 *   - Everyone on the March 低保 and 特困 rolls, and the tagged orphans and unsupported children,
 *     is eligible by the rules. The rest of the published persons are people the registry marks
 *     as entitled veterans or on unemployment insurance / assistance: after a first generation
 *     of March, the demo picks them — adults chosen in a fixed pseudo-random order of person
 *     ids (a function of the database, itself a function of (seed, scale)), as many of each
 *     amount as make the persons and the amount exact (a small exact solve over the three
 *     amounts) — tags them, records their social-security-card account (price_accounts), and
 *     generates March again, which adds only them.
 * At scale s the targets are the published figures × s (persons and yuan rounded); exact at
 * scale 1, usually at others.
 */
#include "core/array_grow.h"
#include "demo/demo_price.h"
#include "demo/demo_internal.h"
#include "demo/demo_steps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "price/price.h"
#include "report/report.h"

#define PUBLISHED_PERSONS 103500
#define PUBLISHED_YUAN 4864200
#define PAYROLL_DAY "-20" /* the day of the month the demo's payroll is computed */
#define SUBSIDY_MONTH "2020-03"
#define DEMO_NOTE_TEXT "演示值（非正式文件）"
#define SET_AT "2020-03-01T00:00:00+08:00"
#define MAX_CLASSES 8

static const struct {
	const char *month;
	int cpi_bp, food_bp;
	const char *published_on;
} indices[] = {
	{"2020-01", 540, 2060, "2020-02-10"},
	{"2020-02", 520, 2190, "2020-03-10"},
	{"2020-03", 430, 1830, "2020-04-10"},
	{"2020-04", 330, 1480, "2020-05-12"},
};
#define NINDICES (int)(sizeof indices / sizeof indices[0])

/* The city's dated rows: the mechanism from March, the doubling and the added groups for
 * March–June 2020. */
static const struct {
	const char *unit, *key;
	int64_t value;
	const char *from;
} dated[] = {
	{"3707", "price_linkage_enabled", 1, "2020-03"},
	{"3707", "price_multiplier_bp", 20000, "2020-03"},
	{"3707", "price_multiplier_bp", 10000, "2020-07"},
	{"3707", "price_eligible_orphan", 1, "2020-03"},
	{"3707", "price_eligible_orphan", 0, "2020-07"},
	{"3707", "price_eligible_unsupported_child", 1, "2020-03"},
	{"3707", "price_eligible_unsupported_child", 0, "2020-07"},
	{"3707", "price_eligible_unemployment_assistance", 1, "2020-03"},
	{"3707", "price_eligible_unemployment_assistance", 0, "2020-07"},
};

/* The units that put rural residents on the urban standard and round to the jiao. */
static const char *const unified_units[] = {"370702", "370703", "370704", "370705",
					    "370772", "370790", "370791", "370792"};

/* ---- parameters and indices ---------------------------------------------------------------- */

static int put_param(struct db *db, const char *unit, const char *key, int64_t value,
		     const char *from, int *written, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO policy_params(unit_code, residence_type, key, value, effective_from, note, "
	    "set_by, set_at) SELECT ?, 'all', ?, ?, ?, ?, 'system', ? WHERE EXISTS (SELECT 1 FROM "
	    "units WHERE code = ? OR city_code = ?) "
	    "ON CONFLICT (unit_code, residence_type, key, effective_from) DO NOTHING",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, key);
	db_bind_int(st, 3, value);
	db_bind_text(st, 4, from);
	db_bind_text(st, 5, DEMO_NOTE_TEXT);
	db_bind_text(st, 6, SET_AT);
	db_bind_text(st, 7, unit);
	db_bind_text(st, 8, unit);
	if (db_run(st, e) < 0)
		return -1;
	*written += db_changes(db);
	return 0;
}

/* The dated rows (past months: written directly, as the demo's defaults are; policy_set
 * refuses months already past). Idempotent; one transaction with its audit row when it
 * writes anything. */
static int price_policy(struct db *db, const struct actor *sys, struct err *e)
{
	int written = 0;
	if (db_begin_write(db, e) < 0)
		return -1;
	for (size_t i = 0; i < sizeof dated / sizeof dated[0]; i++)
		if (put_param(db, dated[i].unit, dated[i].key, dated[i].value, dated[i].from, &written,
			      e) < 0)
			goto fail;
	for (size_t i = 0; i < sizeof unified_units / sizeof unified_units[0]; i++)
		if (put_param(db, unified_units[i], "price_rural_on_urban_standard", 1, SUBSIDY_MONTH,
			      &written, e) < 0 ||
		    put_param(db, unified_units[i], "price_rounding_fen", 10, SUBSIDY_MONTH, &written,
			      e) < 0)
			goto fail;
	if (!written) {
		db_rollback(db);
		return 0;
	}
	char detail[96];
	snprintf(detail, sizeof detail, "{\"rows\":%d}", written);
	if (audit_append(db, sys, "demo.price_policy", "policy:3707", "ok", detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

/* Enter the demo index i when the month has none yet. */
static int enter_index(struct db *db, const struct actor *sys, int i, struct err *e)
{
	struct price_index x;
	int found = price_index_get(db, indices[i].month, &x, e);
	if (found != 0)
		return found < 0 ? -1 : 0;
	return price_index_set(db, sys, indices[i].month, indices[i].cpi_bp, indices[i].food_bp,
			       indices[i].published_on, "国家统计局发布（演示）", NULL, e);
}

/* Generate month; a month that does not trigger is not an error here. 1 generated, 0 not. */
static int generate(struct db *db, const struct actor *sys, const char *month,
		    struct price_generate_result *g, struct err *e)
{
	if (price_generate(db, sys, month, NULL, NULL, g, e) == 0)
		return 1;
	if (e->status == 409 && strcmp(e->code, "not_triggered") == 0)
		return 0;
	return -1;
}

/* ---- the persons in the tagged groups ------------------------------------------------------ */

/* Each village's management unit, sorted by code (the regions table, read once). */
struct village {
	char code[16], unit[16];
};

static int villages_load(struct db *db, struct village **out, int *n, struct err *e)
{
	int alloc = 0, rc;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db, "SELECT code, coalesce(unit_code, '') FROM regions "
					    "WHERE level = 5 ORDER BY code", e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 1024) < 0) {
			rc = err_set(e, 500, "internal", NULL, "内存不足");
			break;
		}
		snprintf((*out)[*n].code, sizeof (*out)[*n].code, "%s", db_col_text(st, 0));
		snprintf((*out)[*n].unit, sizeof (*out)[*n].unit, "%s", db_col_text(st, 1));
		(*n)++;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static const char *village_unit(const struct village *v, int n, const char *code)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(v[mid].code, code);
		if (c == 0)
			return v[mid].unit[0] ? v[mid].unit : NULL;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct pick {
	int64_t person, household;
	char region[16], name[64];
	int male, age;
	int64_t amount;
};

struct klass {
	int64_t amount;
	int n, alloc;
	struct pick *v;
};

struct unit_params {
	char code[16];
	struct price_params p;
	struct price_trigger t;
};

static int age_on(const char *birth, const char *day)
{
	int by = atoi(birth), bm = atoi(birth + 5), bd = atoi(birth + 8);
	int y = atoi(day), m = atoi(day + 5), d = atoi(day + 8);
	return y - by - (m < bm || (m == bm && d < bd));
}

/* The amount a person of (unit, residence) would get for SUBSIDY_MONTH; 0 when none. */
static int64_t amount_for(struct db *db, struct unit_params *up, int *nup, const char *unit,
			  int urban, const struct price_index *idx, struct err *e)
{
	int i;
	for (i = 0; i < *nup; i++)
		if (strcmp(up[i].code, unit) == 0)
			break;
	if (i == *nup) {
		if (*nup >= 64)
			return 0;
		snprintf(up[i].code, sizeof up[i].code, "%s", unit);
		if (price_params_load(db, unit, SUBSIDY_MONTH, &up[i].p, e) < 0)
			return -1;
		price_rules_trigger(&up[i].p, idx->cpi_bp, idx->food_cpi_bp, &up[i].t);
		(*nup)++;
	}
	if (!up[i].t.triggered)
		return 0;
	return price_rules_amount(&up[i].p, urban, up[i].t.rise_bp, NULL);
}

/* Counts per class with Σ = n and Σ count × amount = fen: the cheapest class as the base and
 * the two most available others solved exactly; 1 solved (into take[]), 0 not possible. */
static int solve(const struct klass *k, int nk, int64_t n, int64_t fen, int64_t take[])
{
	int base = -1, h1 = -1, h2 = -1;
	for (int i = 0; i < nk; i++)
		if (base < 0 || k[i].amount < k[base].amount)
			base = i;
	for (int i = 0; i < nk; i++) {
		take[i] = 0;
		if (i == base)
			continue;
		if (h1 < 0 || k[i].n > k[h1].n) {
			h2 = h1;
			h1 = i;
		} else if (h2 < 0 || k[i].n > k[h2].n) {
			h2 = i;
		}
	}
	if (base < 0)
		return 0;
	int64_t r = fen - k[base].amount * n; /* what the dearer classes add over the base */
	if (r < 0)
		return 0;
	if (h1 < 0) {
		take[base] = n;
		return r == 0 && n <= k[base].n;
	}
	int64_t d1 = k[h1].amount - k[base].amount;
	int64_t d2 = h2 >= 0 ? k[h2].amount - k[base].amount : 0;
	int64_t ymax = h2 >= 0 ? (k[h2].n < n ? k[h2].n : n) : 0;
	for (int64_t y = 0; y <= ymax; y++) {
		int64_t rem = r - d2 * y;
		if (rem < 0)
			break;
		if (rem % d1)
			continue;
		int64_t x = rem / d1;
		if (x > k[h1].n || x + y > n || n - x - y > k[base].n)
			continue;
		take[h1] = x;
		if (h2 >= 0)
			take[h2] = y;
		take[base] = n - x - y;
		return 1;
	}
	return 0;
}

static const char *tag_for(const struct pick *p)
{
	if (p->male && p->age >= 45)
		return "entitled_veteran";
	return demo_mix64((uint64_t)p->person) % 5 == 0 ? "unemployment_assistance"
							  : "unemployment_insurance";
}

/* Tag the chosen: one transaction, one audit row. */
static int write_picks(struct db *db, const struct actor *sys, struct klass *k, int nk,
		       const int64_t take[], int64_t *tagged, struct err *e)
{
	*tagged = 0;
	if (db_begin_write(db, e) < 0)
		return -1;
	for (int i = 0; i < nk; i++)
		for (int64_t j = 0; j < take[i]; j++) {
			const struct pick *p = &k[i].v[j];
			struct db_stmt *st = db_prepare(db, "INSERT INTO person_tags(person_id, tag, "
							    "region_code) VALUES (?,?,?) "
							    "ON CONFLICT DO NOTHING", e);
			if (!st)
				goto fail;
			db_bind_int(st, 1, p->person);
			db_bind_text(st, 2, tag_for(p));
			db_bind_text(st, 3, p->region);
			if (db_run(st, e) < 0)
				goto fail;
			(*tagged)++;
		}
	char detail[96];
	snprintf(detail, sizeof detail, "{\"month\":\"%s\",\"persons\":%lld}", SUBSIDY_MONTH,
		 (long long)*tagged);
	if (audit_append(db, sys, "demo.price_groups", "city:3707", "ok", detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

/* The month's subsidies of persons without an account (outside the rolls: the tagged groups,
 * orphans and children not on an allowance roll) get their social security card's, in the name
 * of the household head for a child (the guardian). One statement, one audit row. */
static int accounts(struct db *db, const struct actor *sys, const char *month, struct err *e)
{
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO price_accounts(person_id, payee_name, bank_name, bank_account, set_by, "
	    "set_at) SELECT s.person_id, CASE WHEN p.birth_date > ? AND hp.name IS NOT NULL THEN "
	    "hp.name ELSE p.name END, '社会保障卡（演示银行）', "
	    "'6223' || substr('000000000000000' || s.person_id, -15, 15), 'system', ? "
	    "FROM price_subsidies s JOIN persons p ON p.id = s.person_id "
	    "LEFT JOIN households h ON h.id = s.household_id "
	    "LEFT JOIN persons hp ON hp.id = h.head_person_id "
	    "WHERE s.month = ? AND s.bank_account = '' AND NOT EXISTS (SELECT 1 FROM price_accounts "
	    "pa WHERE pa.person_id = s.person_id) ORDER BY s.person_id",
	    e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, "2002-03-01"); /* under 18 in March 2020: paid to the guardian */
	db_bind_text(st, 2, SET_AT);
	db_bind_text(st, 3, month);
	if (db_run(st, e) < 0)
		goto fail;
	char detail[96];
	snprintf(detail, sizeof detail, "{\"month\":\"%s\",\"accounts\":%d}", month,
		 db_changes(db));
	if (audit_append(db, sys, "demo.price_accounts", "city:3707", "ok", detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}

/* After March's first generation: choose and tag the persons who make the figures exact,
 * then generate March again. */
static int complete_month(struct db *db, const struct actor *sys, struct demo_report *r,
			  struct err *e)
{
	double scale = (double)r->households / (double)DEMO_BASE_HOUSEHOLDS;
	int64_t want_n = (int64_t)(PUBLISHED_PERSONS * scale + 0.5);
	int64_t want_fen = (int64_t)(PUBLISHED_YUAN * scale + 0.5) * 100;
	int64_t have_n = db_query_int(db, "SELECT count(*) FROM price_subsidies WHERE month = ?",
				      SUBSIDY_MONTH);
	int64_t have_fen = db_query_int(db, "SELECT coalesce(sum(amount_fen), 0) FROM "
					    "price_subsidies WHERE month = ?", SUBSIDY_MONTH);
	int64_t n = want_n - have_n, fen = want_fen - have_fen;
	if (have_n < 0 || have_fen < 0)
		return err_set(e, 500, "internal", NULL, "无法读取价格临时补贴");
	if (n <= 0 || fen <= 0)
		return 0; /* nothing to add (the rolls alone reach the figures: not exact) */

	struct price_index idx;
	if (price_index_get(db, SUBSIDY_MONTH, &idx, e) <= 0)
		return err_set(e, 500, "internal", NULL, "演示指数缺失");
	int64_t max_id = db_query_int(db, "SELECT coalesce(max(id), 0) FROM persons", NULL);
	struct klass k[MAX_CLASSES];
	struct unit_params *up = calloc(64, sizeof *up);
	struct village *vil = NULL;
	int nk = 0, nup = 0, nvil = 0, rc = -1;
	char *seen = max_id > 0 ? calloc((size_t)max_id + 1, 1) : NULL;
	memset(k, 0, sizeof k);
	if (!up || !seen) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	if (villages_load(db, &vil, &nvil, e) < 0)
		goto out;
	/* who is already in the month: marked, never drawn (1 = skip) */
	struct db_stmt *st = db_prepare(db, "SELECT person_id FROM price_subsidies WHERE month = ?", e);
	if (!st)
		goto out;
	db_bind_text(st, 1, SUBSIDY_MONTH);
	int s;
	while ((s = db_step(st, e)) == 1) {
		int64_t id = db_col_int(st, 0);
		if (id > 0 && id <= max_id)
			seen[id] = 1;
	}
	db_done(st);
	if (s < 0)
		goto out;
	/* Candidates in a fixed pseudo-random order: ids drawn by a hash of the draw number, read
	 * by primary key (no scan of the registry), until the pool solves (tried every 1,000 once
	 * it holds n) or holds three times n. */
	struct db_stmt *person = db_prepare(db, "SELECT household_id, region_code, name, sex, "
						"birth_date FROM persons WHERE id = ? AND "
						"status = 'active'", e);
	struct db_stmt *house = db_prepare(db, "SELECT residence_type FROM households "
					       "WHERE id = ?", e);
	if (!person || !house)
		goto out;
	int64_t pooled = 0, cap = 3 * n + 200, next_try = n;
	int64_t take[MAX_CLASSES], tagged;
	int solved = 0;
	for (uint64_t draw = 0; !solved && pooled < cap && draw < (uint64_t)max_id * 4; draw++) {
		int64_t id = 1 + (int64_t)(demo_mix64(draw ^ 0x70726963ULL) % (uint64_t)max_id);
		if (seen[id])
			continue;
		seen[id] = 1;
		db_bind_int(person, 1, id);
		s = db_step(person, e);
		struct pick p;
		memset(&p, 0, sizeof p);
		if (s == 1) {
			p.person = id;
			p.household = db_col_int(person, 0);
			snprintf(p.region, sizeof p.region, "%s", db_col_text(person, 1));
			snprintf(p.name, sizeof p.name, "%s", db_col_text(person, 2));
			p.male = strcmp(db_col_text(person, 3), "male") == 0;
			p.age = age_on(db_col_text(person, 4), SUBSIDY_MONTH "-01");
		}
		db_done(person);
		if (s < 0)
			goto out;
		/* working-age adults (unemployment benefits) and older men (veterans) */
		if (s == 0 || !(p.age >= 18 && (p.age < 60 || (p.male && p.age < 85))))
			continue;
		const char *unit = village_unit(vil, nvil, p.region);
		db_bind_int(house, 1, p.household);
		s = db_step(house, e);
		int urban = s == 1 && strcmp(db_col_text(house, 0), "urban") == 0;
		db_done(house);
		if (s < 0)
			goto out;
		if (s == 0 || !unit)
			continue;
		int64_t amount = amount_for(db, up, &nup, unit, urban, &idx, e);
		if (amount < 0)
			goto out;
		if (amount == 0)
			continue;
		int c;
		for (c = 0; c < nk && k[c].amount != amount; c++)
			;
		if (c == nk) {
			if (nk == MAX_CLASSES)
				continue;
			k[nk++].amount = amount;
		}
		if (array_grow(&k[c].v, k[c].n, &k[c].alloc, sizeof *k[c].v, 256) < 0) {
			err_set(e, 500, "internal", NULL, "内存不足");
			goto out;
		}
		p.amount = amount;
		k[c].v[k[c].n++] = p;
		if (++pooled >= next_try) {
			solved = solve(k, nk, n, fen, take);
			next_try += 1000;
		}
	}
	if (!solved && !solve(k, nk, n, fen, take)) {
		rc = 0; /* not exact at this scale: the summary says so */
		goto out;
	}
	if (write_picks(db, sys, k, nk, take, &tagged, e) < 0)
		goto out;
	r->tags += tagged; /* the registry's tags, as the summary counts them */
	struct price_generate_result *g = malloc(sizeof *g);
	if (!g) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	int gr = generate(db, sys, SUBSIDY_MONTH, g, e);
	free(g);
	rc = gr < 0 ? -1 : 0;
out:
	for (int i = 0; i < nk; i++)
		free(k[i].v);
	free(up);
	free(vil);
	free(seen);
	return rc;
}

/* ---- entry points --------------------------------------------------------------------------- */

int demo_price_before_payroll(struct db *db, const struct actor *sys, const char *month,
			      struct demo_report *r, struct err *e)
{
	char payday[11];
	snprintf(payday, sizeof payday, "%s" PAYROLL_DAY, month);
	if (price_policy(db, sys, e) < 0)
		return -1;
	struct price_generate_result *g = malloc(sizeof *g);
	if (!g)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int rc = 0;
	for (int i = 0; i < NINDICES && rc == 0; i++) {
		if (strcmp(indices[i].published_on, payday) > 0 || strcmp(indices[i].month, month) >= 0)
			continue; /* not released by this payroll */
		int64_t done = db_query_int(db, "SELECT count(*) FROM price_subsidies WHERE month = ?",
					    indices[i].month);
		if (done != 0) {
			rc = done < 0 ? err_set(e, 500, "internal", NULL, "无法读取价格临时补贴") : 0;
			continue;
		}
		if (enter_index(db, sys, i, e) < 0) {
			rc = -1;
			break;
		}
		int gr = generate(db, sys, indices[i].month, g, e);
		if (gr < 0)
			rc = -1;
		else if (gr > 0 && strcmp(indices[i].month, SUBSIDY_MONTH) == 0)
			rc = complete_month(db, sys, r, e);
		if (rc == 0 && gr > 0)
			rc = accounts(db, sys, indices[i].month, e);
	}
	free(g);
	return rc;
}

void demo_price_summary(const struct report_assistance *rep, struct demo_report *r)
{
	const struct report_cell *c = report_cell_at(rep, rep->nunits, rep->nmonths, REPORT_PRICE);
	double scale = (double)r->households / (double)DEMO_BASE_HOUSEHOLDS;
	int64_t want_n = (int64_t)(PUBLISHED_PERSONS * scale + 0.5);
	int64_t want_fen = (int64_t)(PUBLISHED_YUAN * scale + 0.5) * 100;
	char yuan[32];
	payroll_yuan(c->amount_fen, yuan);
	demo_note(r, "  价格临时补贴 price subsidy（%s 至 %s 发放；2020 年 3 月起联动，3–6 月翻倍）：",
		  DEMO_PAYROLL_FROM, DEMO_PAYROLL_TO);
	demo_note(r, "    价格临时补贴 price_subsidy  persons %8lld   amount_fen %12lld  （%s 元）",
		  (long long)c->persons, (long long)c->amount_fen, yuan);
	demo_note(r, "    %s（目标 target %lld / %lld）",
		  c->persons == want_n && c->amount_fen == want_fen
		      ? "与公布数字一致 / equals the published figures"
		      : "与公布数字（按比例）不完全一致 / not exactly the published figures × scale",
		  (long long)want_n, (long long)want_fen);
}

int demo_price_step(struct db *db, const struct actor *sys, const struct demo_options *o,
		    struct demo_report *r, struct err *e)
{
	if (!o->assistance)
		return 0; /* a bare city (tests): the demo defaults only, nothing dated */
	if (price_policy(db, sys, e) < 0)
		return -1;
	/* the index released after the period (April's, 2020-05-12): entered, not generated — the
	 * city generates it (UI, API, CLI) and a later payroll pays it; until then it is late */
	for (int i = 0; i < NINDICES; i++)
		if (enter_index(db, sys, i, e) < 0)
			return -1;

	demo_note(r, "    2020-04 的指数已录入（2020-05-12 发布），补贴待生成：minzheng price generate "
		     "--month 2020-04");
	return 0;
}
