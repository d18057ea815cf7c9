/* demo.c — demo_run: the demo city written into the database (see demo.h).
 *
 * How a run goes:
 *   1. load the built-in region tree when the regions table is empty, refuse a database that
 *      already has households or persons;
 *   2. read the Weifang tree (counties, zones, townships, villages) in one query each — the
 *      regions module's store has no bulk "every village of a city" query, and the generator
 *      needs the whole list at once;
 *   3. give each village a weight (urban communities more, those of 潍城区/奎文区 most, with a
 *      random ±40 %) and split round(150,000 × scale) households by largest remainder;
 *   4. hash the demo password once (argon2id costs ~80 ms a time) and, in ONE write
 *      transaction, create the users with accounts_user_add_hashed, load the policy module's
 *      demo parameters, and — with the assistance scenario — make every household once without
 *      writing it, for demo_assist.c to choose and solve the 低保 households and 特困 persons;
 *      then set the registry's (and the cases') secondary indexes aside (rebuilt at the end, see
 *      below), stream every household through demo_make_household (demo_people.c) — again, the
 *      same households — into cached prepared INSERTs (a household's members in one, their
 *      incomes in another), the planned households with their planned incomes, with explicit
 *      row ids so each household row carries its head's id from the start; the 'registered'
 *      history rows follow in one INSERT … SELECT, then the cases; one "demo.generate" audit row
 *      closes the transaction;
 *   5. with the assistance scenario, the payroll of 2020-01..2020-04 as the bureau runs it:
 *      each month every unit's run computed (payroll_run_all) and confirmed (payroll_confirm),
 *      each in its own transaction like the CLI's; then the assistance report, for the summary.
 * Generation is a pass in village-code order from one PRNG stream, so the bytes depend only on
 * (seed, scale, region tree); the payroll's rows carry the real time they were made.
 */
#include "demo/demo.h"
#include "demo/demo_price.h"
#include "demo/demo_steps.h"
#include "demo/demo_internal.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/actor.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "regions/regions.h"
#include "report/report.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct demo_login demo_logins[] = {
    {"admin", "city_admin", DEMO_CITY, "市局管理员 · 潍坊市"},
    {"leader", "leader", DEMO_CITY, "领导（只读）· 潍坊市"},
    {"county_370704", "county_staff", "370704", "县区工作人员 · 坊子区"},
    {"township_370704008", "township_assistant", "370704008", "镇街民政助理 · 太保庄街道"},
    {"village_370704008231", "village_worker", "370704008231", "村居工作人员 · 栾家山后村"},
    {NULL, NULL, NULL, NULL},
};

/* The county of the institution_reporter demo user. */
#define DEMO_INSTITUTION_COUNTY "370702"

static const char *const urban_districts[] = {"370702", "370705"}; /* 潍城区, 奎文区 */

void demo_options_init(struct demo_options *o)
{
	o->seed = 1;
	o->scale = 1.0;
	o->assistance = 1;
}

/* ---- the region tree ---- */

struct township {
	char code[16];
	char unit[16];
};

struct city {
	int ncounties;
	char county[DEMO_MAX_COUNTIES][7];
	char county_name[DEMO_MAX_COUNTIES][128];
	int nzones;
	char zone[DEMO_MAX_ZONES][16];
	char zone_name[DEMO_MAX_ZONES][128];
	int ntownships;
	struct township *town;
	int nvillages;
	struct demo_village *village;
};

static void city_release(struct city *c)
{
	free(c->town);
	free(c->village);
	c->town = NULL;
	c->village = NULL;
}

static int find_county(const struct city *c, const char *code)
{
	for (int i = 0; i < c->ncounties; i++)
		if (strncmp(c->county[i], code, 6) == 0)
			return i;
	return -1;
}

static int find_zone(const struct city *c, const char *unit)
{
	for (int i = 0; i < c->nzones; i++)
		if (strcmp(c->zone[i], unit) == 0)
			return i;
	return -1;
}

/* Rows of one level under the city, ordered by code. */
static struct db_stmt *level_query(struct db *db, int level, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT code, name, coalesce(unit_code, '') FROM regions "
					"WHERE level = ? AND code >= ? AND code < ? ORDER BY code",
					e);
	if (!st)
		return NULL;
	db_bind_int(st, 1, level);
	db_bind_text(st, 2, DEMO_CITY);
	db_bind_text(st, 3, DEMO_CITY "z");
	return st;
}

/* Room for element n of an array of *cap elements of size bytes at p: p itself, or p moved
 * by realloc with *cap doubled; NULL when out of memory (p is then still valid). */
static void *grow(void *p, int *cap, int n, size_t size)
{
	if (n < *cap)
		return p;
	int ncap = *cap ? *cap * 2 : 256;
	void *q = realloc(p, (size_t)ncap * size);
	if (q)
		*cap = ncap;
	return q;
}

static int load_city(struct db *db, struct city *c, struct err *e)
{
	int rc;
	memset(c, 0, sizeof *c);

	struct db_stmt *st = level_query(db, 3, e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (c->ncounties == DEMO_MAX_COUNTIES || db_col_bytes(st, 0) != 6)
			continue;
		snprintf(c->county[c->ncounties], 7, "%s", db_col_text(st, 0));
		snprintf(c->county_name[c->ncounties], 128, "%s", db_col_text(st, 1));
		c->ncounties++;
	}
	db_done(st);
	if (rc < 0)
		return -1;

	st = db_prepare(db,
			"SELECT code, name FROM units WHERE kind = 'zone' AND city_code = ? "
			"ORDER BY code",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, DEMO_CITY);
	while ((rc = db_step(st, e)) == 1) {
		if (c->nzones == DEMO_MAX_ZONES)
			continue;
		snprintf(c->zone[c->nzones], 16, "%s", db_col_text(st, 0));
		snprintf(c->zone_name[c->nzones], 128, "%s", db_col_text(st, 1));
		c->nzones++;
	}
	db_done(st);
	if (rc < 0)
		return -1;

	int cap = 0;
	st = level_query(db, 4, e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		struct township *more = grow(c->town, &cap, c->ntownships, sizeof *c->town);
		if (!more) {
			rc = err_set(e, 500, "internal", NULL, "内存不足");
			break;
		}
		c->town = more;
		struct township *t = &c->town[c->ntownships++];
		snprintf(t->code, sizeof t->code, "%s", db_col_text(st, 0));
		snprintf(t->unit, sizeof t->unit, "%s", db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		return -1;

	cap = 0;
	st = level_query(db, 5, e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		const char *code = db_col_text(st, 0);
		int county = find_county(c, code);
		if (db_col_bytes(st, 0) != 12 || county < 0)
			continue;
		struct demo_village *more =
		    grow(c->village, &cap, c->nvillages, sizeof *c->village);
		if (!more) {
			rc = err_set(e, 500, "internal", NULL, "内存不足");
			break;
		}
		c->village = more;
		struct demo_village *v = &c->village[c->nvillages++];
		memset(v, 0, sizeof *v);
		memcpy(v->code, code, 13);
		demo_village_display_name(db_col_text(st, 1), v->name, sizeof v->name);
		v->county = county;
		v->zone = find_zone(c, db_col_text(st, 2));
		snprintf(v->unit, sizeof v->unit, "%s",
			 db_col_bytes(st, 2) ? db_col_text(st, 2) : c->county[county]);
		/* Statistical codes: 001–199 residents' committees (urban), 200+ villages. */
		v->community = memcmp(code + 9, "200", 3) < 0;
		for (size_t i = 0; i < sizeof urban_districts / sizeof urban_districts[0]; i++)
			v->urban_district |= strncmp(code, urban_districts[i], 6) == 0;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (c->ncounties == 0 || c->nvillages == 0)
		return err_set(e, 500, "no_regions", NULL,
			       "区划数据缺失：%s 下没有县级或村级区划，请先运行 minzheng init",
			       DEMO_CITY);
	return 0;
}

/* ---- households per village ---- */

struct remainder {
	int64_t rem;
	int idx;
};

static int by_remainder(const void *a, const void *b)
{
	const struct remainder *x = a, *y = b;
	if (x->rem != y->rem)
		return x->rem > y->rem ? -1 : 1;
	return x->idx - y->idx;
}

static int allocate(struct city *c, int64_t total, uint64_t seed, struct err *e)
{
	struct demo_rng r;
	demo_rng_seed(&r, seed, 1);
	int64_t wsum = 0;
	for (int i = 0; i < c->nvillages; i++) {
		struct demo_village *v = &c->village[i];
		uint32_t base = v->community ? (v->urban_district ? 800 : 500) : 100;
		v->weight = base * (uint32_t)demo_rng_range(&r, 60, 140);
		wsum += v->weight;
	}
	struct remainder *rem = malloc((size_t)c->nvillages * sizeof *rem);
	if (!rem)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int64_t given = 0;
	for (int i = 0; i < c->nvillages; i++) {
		int64_t x = total * (int64_t)c->village[i].weight;
		c->village[i].households = x / wsum;
		given += x / wsum;
		rem[i].rem = x % wsum;
		rem[i].idx = i;
	}
	qsort(rem, (size_t)c->nvillages, sizeof *rem, by_remainder);
	for (int64_t k = 0; k < total - given; k++)
		c->village[rem[k % c->nvillages].idx].households++;
	free(rem);
	return 0;
}

/* ---- users ---- */

struct user_plan {
	char username[40];
	const char *role;
	char region[16];
};

struct users {
	int n, cap;
	struct user_plan *u;
	int nexisting, existcap;
	char (*existing)[64]; /* usernames already in the database */
	int oom;
};

/* Plan user prefix+suffix (e.g. "county_" "370704") with a role and region. */
static int plan(struct users *us, const char *role, const char *region, const char *prefix,
		const char *suffix, struct err *e)
{
	for (int i = 0; i < us->n; i++) /* each username once */
		if (strcmp(us->u[i].region, region) == 0 && strcmp(us->u[i].role, role) == 0)
			return 0;
	struct user_plan *more = grow(us->u, &us->cap, us->n, sizeof *us->u);
	if (!more)
		return err_set(e, 500, "internal", NULL, "内存不足");
	us->u = more;
	struct user_plan *p = &us->u[us->n++];
	snprintf(p->username, sizeof p->username, "%s%s", prefix, suffix);
	p->role = role;
	snprintf(p->region, sizeof p->region, "%s", region);
	return 0;
}

static int note_existing(const struct user_info *u, void *ctx)
{
	struct users *us = ctx;
	char(*more)[64] = grow(us->existing, &us->existcap, us->nexisting, sizeof *us->existing);
	if (!more) {
		us->oom = 1;
		return 1;
	}
	us->existing = more;
	snprintf(us->existing[us->nexisting++], 64, "%s", u->username);
	return 0;
}

static int user_exists(const struct users *us, const char *username)
{
	for (int i = 0; i < us->nexisting; i++)
		if (strcmp(us->existing[i], username) == 0)
			return 1;
	return 0;
}

static int role_planned(const struct users *us, const char *role)
{
	for (int i = 0; i < us->n; i++)
		if (strcmp(us->u[i].role, role) == 0)
			return 1;
	return 0;
}

/* Every role at every level: the city roles, one county_staff per county and per zone, one
 * township_assistant per township, one village_worker for the first village of each township,
 * the well-known logins, and a user named after any role still without one. */
static int plan_users(const struct city *c, struct users *us, struct err *e)
{
	if (plan(us, "city_admin", DEMO_CITY, "admin", "", e) < 0 ||
	    plan(us, "leader", DEMO_CITY, "leader", "", e) < 0 ||
	    plan(us, "hotline_operator", DEMO_CITY, "hotline", "", e) < 0 ||
	    plan(us, "inspector", DEMO_CITY, "inspector", "", e) < 0 ||
	    plan(us, "rescue_worker", DEMO_CITY, "rescue", "", e) < 0 ||
	    plan(us, "funeral_worker", DEMO_CITY, "funeral", "", e) < 0 ||
	    plan(us, "registrar", DEMO_CITY, "registrar", "", e) < 0 ||
	    plan(us, "charity_officer", DEMO_CITY, "charity", "", e) < 0 ||
	    plan(us, "institution_reporter", DEMO_INSTITUTION_COUNTY, "institution", "", e) < 0)
		return -1;
	for (int i = 0; i < c->ncounties; i++)
		if (plan(us, "county_staff", c->county[i], "county_", c->county[i], e) < 0)
			return -1;
	for (int i = 0; i < c->nzones; i++)
		if (plan(us, "county_staff", c->zone[i], "zone_", c->zone[i], e) < 0)
			return -1;
	for (int i = 0; i < c->ntownships; i++)
		if (plan(us, "township_assistant", c->town[i].code, "township_", c->town[i].code,
			 e) < 0)
			return -1;
	int t = 0;
	for (int i = 0; i < c->nvillages; i++) { /* villages and townships are both in code order */
		const char *vc = c->village[i].code;
		while (t < c->ntownships && strncmp(c->town[t].code, vc, 9) < 0)
			t++;
		if (t < c->ntownships && strncmp(c->town[t].code, vc, 9) == 0 &&
		    (i == 0 || strncmp(c->village[i - 1].code, vc, 9) != 0))
			if (plan(us, "village_worker", vc, "village_", vc, e) < 0)
				return -1;
	}
	for (const struct demo_login *l = demo_logins; l->username; l++) {
		int known = strcmp(l->region_code, DEMO_CITY) == 0;
		for (int i = 0; i < c->nvillages && !known; i++)
			known = strcmp(c->village[i].code, l->region_code) == 0;
		for (int i = 0; i < c->ntownships && !known; i++)
			known = strcmp(c->town[i].code, l->region_code) == 0;
		for (int i = 0; i < c->ncounties && !known; i++)
			known = strcmp(c->county[i], l->region_code) == 0;
		if (known && plan(us, l->role, l->region_code, l->username, "", e) < 0)
			return -1;
	}
	for (const char *const *r = roles_all(); *r; r++)
		if (!role_planned(us, *r) && plan(us, *r, DEMO_CITY, *r, "", e) < 0)
			return -1;
	return 0;
}

static int create_users(struct db *db, const struct actor *sys, struct users *us, const char *hash,
			struct demo_report *r, struct err *e)
{
	for (int i = 0; i < us->n; i++) {
		const struct user_plan *p = &us->u[i];
		if (user_exists(us, p->username)) {
			r->users_existing++;
			continue;
		}
		if (accounts_user_add_hashed(db, sys, p->username, p->role, p->region, hash, e) < 0)
			return -1;
		r->users_created++;
	}
	return 0;
}

/* ---- writing households ---- */

static const char sql_household[] =
    "INSERT INTO households(id, region_code, address, residence_type, phone, head_person_id, "
    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)";
/* A household's members in one INSERT, its income items in another: one statement per household
 * and table instead of one per row (the rows of a statement share its set-up). */
static const char sql_person_head[] =
    "INSERT INTO persons(id, household_id, region_code, id_number, id_rev, name, relation, sex, "
    "birth_date, phone, disability_grade, serious_illness, labour_capacity, monthly_income_fen, "
    "status, created_at, updated_at) VALUES ";
static const char sql_person_row[] = "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active',?,?)";
#define PERSON_COLS 16
static const char sql_income_head[] = "INSERT INTO person_incomes(person_id, type, amount_fen) VALUES ";
static const char sql_income_row[] = "(?,?,?)";
#define INCOME_ROWS (DEMO_MAX_MEMBERS * DEMO_MAX_INCOMES)
static const char sql_tag[] = "INSERT INTO person_tags(person_id, tag, region_code) VALUES (?,?,?)";
/* One 'registered' history row per person, written set-wise once the persons are in. */
static const char sql_history[] =
    "INSERT INTO person_history(person_id, at, action, to_household_id, by_user, reason) "
    "SELECT id, ?, 'registered', household_id, 'demo', '演示数据生成' FROM persons "
    "WHERE id >= ? ORDER BY id";

struct writer {
	struct db *db;
	struct db_stmt *household, *tag, *history;
	struct db_stmt *person[DEMO_MAX_MEMBERS + 1], *income[INCOME_ROWS + 1]; /* by row count */
	int64_t first_person, next_household, next_person;
	char at[32];
};

/* head + row repeated n times, comma-separated, prepared. */
static struct db_stmt *prepare_rows(struct db *db, const char *head, const char *row, int n,
				    struct err *e)
{
	char sql[2048];
	size_t len = (size_t)snprintf(sql, sizeof sql, "%s", head);
	for (int i = 0; i < n && len < sizeof sql; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s", i ? "," : "", row);
	if (len >= sizeof sql) {
		err_set(e, 500, "internal", NULL, "演示数据：语句过长");
		return NULL;
	}
	return db_prepare(db, sql, e);
}

static int writer_init(struct writer *w, struct db *db, struct err *e)
{
	memset(w, 0, sizeof *w);
	w->db = db;
	if (!(w->household = db_prepare(db, sql_household, e)) ||
	    !(w->tag = db_prepare(db, sql_tag, e)) ||
	    !(w->history = db_prepare(db, sql_history, e)))
		return -1;
	int64_t h = db_query_int(db, "SELECT coalesce(max(id), 0) FROM households", NULL);
	int64_t p = db_query_int(db, "SELECT coalesce(max(id), 0) FROM persons", NULL);
	if (h < 0 || p < 0)
		return err_set(e, 500, "internal", NULL, "演示数据：读取编号失败");
	w->next_household = h + 1;
	w->first_person = w->next_person = p + 1;
	snprintf(w->at, sizeof w->at, "%sT08:00:00+08:00", DEMO_AS_OF);
	return 0;
}

static int write_household(struct writer *w, const struct demo_village *v,
			   const struct demo_household *h, struct demo_report *r, struct err *e)
{
	int64_t hid = w->next_household++;
	int64_t head = w->next_person; /* the head is always member 0 */
	struct db_stmt *st = w->household;
	db_bind_int(st, 1, hid);
	db_bind_textn(st, 2, v->code, 12);
	db_bind_text(st, 3, h->address);
	db_bind_text(st, 4, h->urban ? "urban" : "rural");
	db_bind_text(st, 5, h->phone);
	db_bind_int(st, 6, head);
	db_bind_text(st, 7, w->at);
	db_bind_text(st, 8, w->at);
	if (db_run(st, e) < 0)
		return -1;
	/* the members, then their incomes, each in one statement; the statements are prepared
	 * once per row count (on first use: the prepared-statement cache keeps them) */
	if (!w->person[h->n] &&
	    !(w->person[h->n] = prepare_rows(w->db, sql_person_head, sql_person_row, h->n, e)))
		return -1;
	st = w->person[h->n];
	int nin = 0;
	for (int i = 0; i < h->n; i++) {
		const struct demo_person *p = &h->m[i];
		int b = i * PERSON_COLS;
		db_bind_int(st, b + 1, head + i);
		db_bind_int(st, b + 2, hid);
		db_bind_textn(st, b + 3, v->code, 12);
		db_bind_textn(st, b + 4, p->id_number, 18);
		db_bind_textn(st, b + 5, p->id_rev, 18);
		db_bind_text(st, b + 6, p->name);
		db_bind_text(st, b + 7, p->relation);
		db_bind_text(st, b + 8, p->male ? "male" : "female");
		db_bind_textn(st, b + 9, p->birth_date, 10);
		db_bind_text(st, b + 10, p->phone);
		db_bind_int(st, b + 11, p->disability_grade);
		db_bind_int(st, b + 12, p->serious_illness);
		db_bind_text(st, b + 13, p->labour);
		db_bind_int(st, b + 14, p->income_fen);
		db_bind_text(st, b + 15, w->at);
		db_bind_text(st, b + 16, w->at);
		nin += p->nincome;
	}
	if (db_run(st, e) < 0) {
		err_prefix_field(e, h->m[0].id_number);
		return -1;
	}
	w->next_person += h->n;
	if (nin > 0) {
		if (!w->income[nin] &&
		    !(w->income[nin] = prepare_rows(w->db, sql_income_head, sql_income_row, nin, e)))
			return -1;
		st = w->income[nin];
		int k = 0;
		for (int i = 0; i < h->n; i++)
			for (int j = 0; j < h->m[i].nincome; j++, k++) {
				db_bind_int(st, 3 * k + 1, head + i);
				db_bind_text(st, 3 * k + 2, h->m[i].income[j].type);
				db_bind_int(st, 3 * k + 3, h->m[i].income[j].fen);
			}
		if (db_run(st, e) < 0)
			return -1;
	}
	for (int i = 0; i < h->n; i++) {
		const struct demo_person *p = &h->m[i];
		for (int k = 0; k < p->ntags; k++) {
			st = w->tag;
			db_bind_int(st, 1, head + i);
			db_bind_text(st, 2, p->tags[k]);
			db_bind_textn(st, 3, v->code, 12);
			if (db_run(st, e) < 0)
				return -1;
		}
		r->incomes += p->nincome;
		r->tags += p->ntags;
	}
	r->households++;
	r->urban_households += h->urban;
	r->persons += h->n;
	r->county[v->county].households++;
	r->county[v->county].persons += h->n;
	if (v->zone >= 0) {
		r->zone[v->zone].households++;
		r->zone[v->zone].persons += h->n;
	}
	return 0;
}

/* ---- secondary indexes during the bulk load ---- */

/* Adding 425,000 persons one by one into indexes keyed by name or reversed ID number (random
 * order) costs more than everything else together; building each index once after the load
 * (a sort) is several times cheaper. So inside the transaction the secondary indexes of the
 * tables the demo fills are dropped and then re-created from their own stored definitions —
 * whatever indexes the registry module declares, none is lost, and a rollback restores them.
 * The tables are empty at this point (demo_run refuses otherwise). This reads SQLite's catalog;
 * on an engine without it the query fails and the load simply runs with the indexes in place.
 * The DROP statements are the one place SQL text is assembled: from catalog names, quoted,
 * never from input. */
#define DEMO_MAX_INDEXES 32

struct saved_indexes {
	int n;
	char *sql[DEMO_MAX_INDEXES];
};

static void saved_indexes_release(struct saved_indexes *x)
{
	for (int i = 0; i < x->n; i++)
		free(x->sql[i]);
	x->n = 0;
}

static int indexes_drop(struct db *db, struct saved_indexes *x, struct err *e)
{
	struct err ignore;
	char names[DEMO_MAX_INDEXES][128];
	int rc;
	x->n = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT name, sql FROM sqlite_master WHERE type = 'index' "
					"AND sql IS NOT NULL AND tbl_name IN ('households', "
					"'persons', 'person_incomes', 'person_tags', "
					"'person_history', 'assistance_cases', "
					"'assistance_steps') ORDER BY name",
					&ignore);
	if (!st)
		return 0;
	while ((rc = db_step(st, e)) == 1 && x->n < DEMO_MAX_INDEXES) {
		const char *name = db_col_text(st, 0);
		if (strlen(name) >= sizeof names[0] || strchr(name, '"'))
			continue; /* not a name this code can quote: leave that index alone */
		if (!(x->sql[x->n] = strdup(db_col_text(st, 1)))) {
			rc = err_set(e, 500, "internal", NULL, "内存不足");
			break;
		}
		snprintf(names[x->n], sizeof names[0], "%s", name);
		x->n++;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	for (int i = 0; i < x->n; i++) {
		char drop[160];
		snprintf(drop, sizeof drop, "DROP INDEX \"%s\"", names[i]);
		if (db_exec(db, drop, e) < 0)
			return -1;
	}
	return 0;
}

static int indexes_create(struct db *db, const struct saved_indexes *x, struct err *e)
{
	for (int i = 0; i < x->n; i++)
		if (db_exec(db, x->sql[i], e) < 0)
			return -1;
	return 0;
}

/* Every household of the city in stream order (village by village, one PRNG stream), handed to
 * fn with its index k (0, 1, 2, …): the same households every time for the same seed. */
typedef int (*household_fn)(void *ctx, int64_t k, int village, struct demo_household *h,
			    struct err *e);

static int each_household(const struct city *c, const struct demo_options *o, int64_t as_of,
			  household_fn fn, void *ctx, struct err *e)
{
	struct demo_ids ids;
	struct demo_rng rng;
	struct demo_household h;
	if (demo_ids_init(&ids, c->ncounties, (const char(*)[7])c->county,
			  demo_add_years(as_of, -101), as_of, o->seed, e) < 0)
		return -1;
	demo_rng_seed(&rng, o->seed, 2);
	int rc = 0;
	int64_t k = 0;
	for (int i = 0; i < c->nvillages && rc == 0; i++) {
		const struct demo_village *v = &c->village[i];
		for (int64_t j = 0; j < v->households && rc == 0; j++) {
			rc = demo_make_household(&rng, &ids, v, as_of, (int)j + 1, &h, e);
			if (rc == 0)
				rc = fn(ctx, k++, i, &h, e);
		}
	}
	demo_ids_release(&ids);
	return rc;
}

static int survey_one(void *ctx, int64_t k, int village, struct demo_household *h, struct err *e)
{
	return demo_assist_survey(ctx, k, village, h, e);
}

struct write_ctx {
	struct writer *w;
	const struct city *c;
	const struct demo_assist *plan; /* NULL: incomes as generated */
	struct demo_report *r;
};

static int write_one(void *ctx, int64_t k, int village, struct demo_household *h, struct err *e)
{
	struct write_ctx *x = ctx;
	if (x->plan)
		demo_assist_apply(x->plan, k, h);
	return write_household(x->w, &x->c->village[village], h, x->r, e);
}

/* Write the households (with the plan's incomes) and, when there is a plan, its cases. */
static int generate(struct db *db, const struct city *c, const struct demo_options *o,
		    int64_t as_of, struct demo_assist *plan, struct demo_report *r, struct err *e)
{
	struct writer w;
	struct saved_indexes saved = {0};
	if (indexes_drop(db, &saved, e) < 0 || writer_init(&w, db, e) < 0) {
		saved_indexes_release(&saved);
		return -1;
	}
	const int64_t first_household = w.next_household, first_person = w.next_person;
	struct write_ctx x = {&w, c, plan, r};
	int rc = each_household(c, o, as_of, write_one, &x, e);
	if (rc == 0) {
		db_bind_text(w.history, 1, w.at);
		db_bind_int(w.history, 2, w.first_person);
		rc = db_run(w.history, e);
	}
	if (rc == 0 && plan)
		rc = demo_assist_write(plan, db, first_household, first_person, e);
	if (rc == 0)
		rc = indexes_create(db, &saved, e);
	saved_indexes_release(&saved);
	return rc;
}

/* ---- the payroll of 2020-01..2020-04 and the report ---- */

struct runs {
	int n;
	int64_t id[64];
};

static int note_run(const struct payroll_run_result *x, void *ctx)
{
	struct runs *runs = ctx;
	if (!x->confirmed && runs->n < 64)
		runs->id[runs->n++] = x->run_id;
	return 0;
}

/* Each month as the bureau runs it (and `minzheng payroll run` + `payroll confirm --all`):
 * the price subsidies of the indices released by then are generated (demo_price.c: March's,
 * released 2020-04-10, is paid by the April payroll), then every unit's run is computed and
 * each confirmed — its payments become 'paid', handed to the bank. Then the assistance report
 * over the four months, from those payments. */
static int pay(struct db *db, const struct actor *sys, struct demo_report *r, struct err *e)
{
	static const char *const months[] = {"2020-01", "2020-02", "2020-03", "2020-04"};
	for (size_t m = 0; m < sizeof months / sizeof months[0]; m++) {
		struct runs runs = {0, {0}};
		if (demo_price_before_payroll(db, sys, months[m], r, e) < 0)
			return -1;
		if (payroll_run_all(db, sys, months[m], NULL, note_run, &runs, e) < 0)
			return -1;
		for (int i = 0; i < runs.n; i++)
			if (payroll_confirm(db, sys, runs.id[i], e) < 0)
				return -1;
		r->payroll_runs += runs.n;
	}
	struct report_assistance rep;
	if (report_assistance(db, sys, DEMO_PAYROLL_FROM, DEMO_PAYROLL_TO, "", &rep, e) < 0)
		return -1;
	int di = payroll_program_index(ASSISTANCE_DIBAO), ti = payroll_program_index(ASSISTANCE_TEKUN);
	const struct report_cell *all = report_cell_at(&rep, rep.nunits, rep.nmonths, REPORT_NPROGRAMS);
	const struct report_cell *dc = report_cell_at(&rep, rep.nunits, rep.nmonths, di);
	const struct report_cell *tc = report_cell_at(&rep, rep.nunits, rep.nmonths, ti);
	r->payments = all->payments;
	r->dibao.persons = dc->persons;
	r->dibao.amount_fen = dc->amount_fen;
	r->tekun.persons = tc->persons;
	r->tekun.amount_fen = tc->amount_fen;
	demo_price_summary(&rep, r);
	report_assistance_release(&rep);
	r->exact = r->dibao.persons == r->dibao_target.persons &&
		   r->dibao.amount_fen == r->dibao_target.amount_fen &&
		   r->tekun.persons == r->tekun_target.persons &&
		   r->tekun.amount_fen == r->tekun_target.amount_fen;
	return 0;
}

/* ---- the run ---- */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int demo_run(struct db *db, const struct demo_options *o, struct demo_report *r, struct err *e)
{
	struct demo_report local;
	struct city c;
	struct users us = {0};
	struct actor sys;
	struct demo_assist *plan = NULL;
	char hash[128];
	int64_t as_of;
	int rc = -1, committed = 0;
	int64_t cache_kib = 0;
	double t0 = now_seconds();

	if (!r)
		r = &local;
	memset(r, 0, sizeof *r);
	memset(&c, 0, sizeof c);
	if (!(o->scale > 0.0 && o->scale <= DEMO_MAX_SCALE))
		return err_set(e, 400, "invalid_value", "scale", "--scale 须大于 0 且不超过 %g",
			       DEMO_MAX_SCALE);
	int64_t total = (int64_t)(DEMO_BASE_HOUSEHOLDS * o->scale + 0.5);
	if (total < 1)
		total = 1;
	if (demo_parse_day(DEMO_AS_OF, &as_of) < 0)
		return err_set(e, 500, "internal", NULL, "DEMO_AS_OF 格式错误");

	if (regions_load_builtin(db, e) < 0)
		return -1;
	int64_t nh = db_query_int(db, "SELECT count(*) FROM households", NULL);
	int64_t np = db_query_int(db, "SELECT count(*) FROM persons", NULL);
	if (nh < 0 || np < 0)
		return err_set(e, 500, "internal", NULL, "无法读取户籍数据");
	if (nh > 0 || np > 0)
		return err_set(e, 409, "demo_not_empty", NULL,
			       "数据库中已有户籍数据（%lld 户，%lld 人），演示数据只能生成到空库中",
			       (long long)nh, (long long)np);

	if (load_city(db, &c, e) < 0)
		goto out;
	r->villages = c.nvillages;
	r->townships = c.ntownships;
	r->ncounties = c.ncounties;
	for (int i = 0; i < c.ncounties; i++) {
		snprintf(r->county[i].code, sizeof r->county[i].code, "%s", c.county[i]);
		snprintf(r->county[i].name, sizeof r->county[i].name, "%s", c.county_name[i]);
	}
	r->nzones = c.nzones;
	for (int i = 0; i < c.nzones; i++) {
		snprintf(r->zone[i].code, sizeof r->zone[i].code, "%s", c.zone[i]);
		snprintf(r->zone[i].name, sizeof r->zone[i].name, "%s", c.zone_name[i]);
	}
	if (allocate(&c, total, o->seed, e) < 0 || plan_users(&c, &us, e) < 0)
		goto out;
	if (accounts_user_list(db, note_existing, &us, e) < 0)
		goto out;
	if (us.oom) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	if (accounts_password_hash(DEMO_PASSWORD, hash, e) < 0)
		goto out;

	actor_system(&sys);
	if (o->assistance && !(plan = demo_assist_new(c.village, c.nvillages, o->scale, o->seed, e)))
		goto out;
	/* A bigger page cache while the demo runs: the load spills fewer pages and the indexes
	 * are sorted in memory (≈ 0.5 s of the run at scale 1). Put back at the end. */
	cache_kib = db_query_int(db, "PRAGMA cache_size", NULL);
	db_exec(db, "PRAGMA cache_size=-262144", NULL);
	if (db_begin_write(db, e) < 0)
		goto out;
	/* the parameters first: the plan computes with those in force */
	if (create_users(db, &sys, &us, hash, r, e) < 0 ||
	    policy_load_demo_defaults(db, &sys, e) < 0 ||
	    (plan && (each_household(&c, o, as_of, survey_one, plan, e) < 0 ||
		      demo_assist_plan(plan, db, e) < 0)) ||
	    generate(db, &c, o, as_of, plan, r, e) < 0) {
		db_rollback(db);
		goto out;
	}
	struct demo_assist_counts ac;
	memset(&ac, 0, sizeof ac);
	if (plan)
		demo_assist_counts(plan, &ac);
	char detail[600];
	snprintf(detail, sizeof detail,
		 "{\"seed\":%llu,\"scale\":%g,\"as_of\":\"%s\",\"households\":%lld,"
		 "\"persons\":%lld,\"incomes\":%lld,\"tags\":%lld,\"users_created\":%d,"
		 "\"assistance\":%s,\"dibao_cases\":%lld,\"tekun_cases\":%lld}",
		 (unsigned long long)o->seed, o->scale, DEMO_AS_OF, (long long)r->households,
		 (long long)r->persons, (long long)r->incomes, (long long)r->tags,
		 r->users_created, plan ? "true" : "false", (long long)ac.dibao_cases,
		 (long long)ac.tekun_cases);
	if (audit_append(db, &sys, "demo.generate", "city:" DEMO_CITY, "ok", detail, e) < 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db, e) < 0)
		goto out;
	committed = 1;
	r->seconds_generate = now_seconds() - t0;
	if (plan) {
		r->assistance = 1;
		r->dibao_cases = ac.dibao_cases;
		r->dibao_new = ac.dibao_new;
		r->dibao_phaseout = ac.dibao_phaseout;
		r->tekun_cases = ac.tekun_cases;
		r->tekun_new = ac.tekun_new;
		r->tekun_in_dibao = ac.tekun_in_dibao;
		r->dibao_target.persons = ac.dibao_persons_target;
		r->dibao_target.amount_fen = ac.dibao_fen_target;
		r->tekun_target.persons = ac.tekun_persons_target;
		r->tekun_target.amount_fen = ac.tekun_fen_target;
		double t1 = now_seconds();
		if (pay(db, &sys, r, e) < 0) {
			char why[sizeof e->message], code[sizeof e->code];
			snprintf(why, sizeof why, "%s", e->message);
			snprintf(code, sizeof code, "%s", e->code[0] ? e->code : "internal");
			err_set(e, e->status ? e->status : 500, code, NULL,
				"演示城市已生成，但 2020 年 1–4 月的发放未能完成（可用 minzheng payroll "
				"run / confirm 补做）：%s",
				why);
			goto out;
		}
		r->seconds_payroll = now_seconds() - t1;
	}
	double t2 = now_seconds();
	if (demo_steps_run(db, &sys, o, r, e) < 0)
		goto out;
	r->seconds_steps = now_seconds() - t2;
	rc = 0;
out:
	if (cache_kib < -1 || cache_kib > 0) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA cache_size=%lld", (long long)cache_kib);
		db_exec(db, pragma, NULL);
	}
	sodium_memzero(hash, sizeof hash);
	free(us.u);
	free(us.existing);
	city_release(&c);
	demo_assist_free(plan);
	if (rc < 0 && !committed) { /* nothing was written: say so in the counts */
		r->households = r->persons = r->incomes = r->tags = r->urban_households = 0;
		r->users_created = 0;
	}
	r->seconds = now_seconds() - t0;
	return rc;
}
