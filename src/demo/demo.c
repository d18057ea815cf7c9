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
 *      transaction, create the users with accounts_user_add_hashed, set the registry's
 *      secondary indexes aside (rebuilt at the end, see below), then stream every
 *      household through demo_make_household (demo_people.c) into cached prepared INSERTs, with
 *      explicit row ids so each household row carries its head's id from the start; the
 *      'registered' history rows follow in one INSERT … SELECT; one "demo.generate" audit row
 *      closes the transaction.
 * Generation is a single pass in village-code order from one PRNG stream, so the bytes depend
 * only on (seed, scale, region tree).
 */
#include "demo/demo.h"
#include "demo/demo_internal.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/actor.h"
#include "policy/policy.h"
#include "regions/regions.h"

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
static const char sql_person[] =
    "INSERT INTO persons(id, household_id, region_code, id_number, id_rev, name, relation, sex, "
    "birth_date, phone, disability_grade, serious_illness, labour_capacity, monthly_income_fen, "
    "status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'active',?,?)";
static const char sql_income[] =
    "INSERT INTO person_incomes(person_id, type, amount_fen) VALUES (?,?,?)";
static const char sql_tag[] = "INSERT INTO person_tags(person_id, tag, region_code) VALUES (?,?,?)";
/* One 'registered' history row per person, written set-wise once the persons are in. */
static const char sql_history[] =
    "INSERT INTO person_history(person_id, at, action, to_household_id, by_user, reason) "
    "SELECT id, ?, 'registered', household_id, 'demo', '演示数据生成' FROM persons "
    "WHERE id >= ? ORDER BY id";

struct writer {
	struct db *db;
	struct db_stmt *household, *person, *income, *tag, *history;
	int64_t first_person, next_household, next_person;
	char at[32];
};

static int writer_init(struct writer *w, struct db *db, struct err *e)
{
	w->db = db;
	if (!(w->household = db_prepare(db, sql_household, e)) ||
	    !(w->person = db_prepare(db, sql_person, e)) ||
	    !(w->income = db_prepare(db, sql_income, e)) ||
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
	for (int i = 0; i < h->n; i++) {
		const struct demo_person *p = &h->m[i];
		int64_t pid = w->next_person++;
		st = w->person;
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, hid);
		db_bind_textn(st, 3, v->code, 12);
		db_bind_textn(st, 4, p->id_number, 18);
		db_bind_textn(st, 5, p->id_rev, 18);
		db_bind_text(st, 6, p->name);
		db_bind_text(st, 7, p->relation);
		db_bind_text(st, 8, p->male ? "male" : "female");
		db_bind_textn(st, 9, p->birth_date, 10);
		db_bind_text(st, 10, p->phone);
		db_bind_int(st, 11, p->disability_grade);
		db_bind_int(st, 12, p->serious_illness);
		db_bind_text(st, 13, p->labour);
		db_bind_int(st, 14, p->income_fen);
		db_bind_text(st, 15, w->at);
		db_bind_text(st, 16, w->at);
		if (db_run(st, e) < 0) {
			err_prefix_field(e, p->id_number);
			return -1;
		}
		for (int k = 0; k < p->nincome; k++) {
			st = w->income;
			db_bind_int(st, 1, pid);
			db_bind_text(st, 2, p->income[k].type);
			db_bind_int(st, 3, p->income[k].fen);
			if (db_run(st, e) < 0)
				return -1;
		}
		for (int k = 0; k < p->ntags; k++) {
			st = w->tag;
			db_bind_int(st, 1, pid);
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
					"'person_history') ORDER BY name",
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

static int generate(struct db *db, const struct city *c, const struct demo_options *o,
		    int64_t as_of, struct demo_report *r, struct err *e)
{
	struct demo_ids ids;
	struct writer w;
	struct demo_rng rng;
	struct demo_household h;
	struct saved_indexes saved = {0};
	if (indexes_drop(db, &saved, e) < 0 || writer_init(&w, db, e) < 0) {
		saved_indexes_release(&saved);
		return -1;
	}
	if (demo_ids_init(&ids, c->ncounties, (const char(*)[7])c->county,
			  demo_add_years(as_of, -101), as_of, o->seed, e) < 0) {
		saved_indexes_release(&saved);
		return -1;
	}
	demo_rng_seed(&rng, o->seed, 2);
	int rc = 0;
	for (int i = 0; i < c->nvillages && rc == 0; i++) {
		const struct demo_village *v = &c->village[i];
		for (int64_t k = 0; k < v->households && rc == 0; k++) {
			rc = demo_make_household(&rng, &ids, v, as_of, (int)k + 1, &h, e);
			if (rc == 0)
				rc = write_household(&w, v, &h, r, e);
		}
	}
	demo_ids_release(&ids);
	if (rc == 0) {
		db_bind_text(w.history, 1, w.at);
		db_bind_int(w.history, 2, w.first_person);
		rc = db_run(w.history, e);
	}
	if (rc == 0)
		rc = indexes_create(db, &saved, e);
	saved_indexes_release(&saved);
	return rc;
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
	char hash[128];
	int64_t as_of;
	int rc = -1;
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
	if (db_begin_write(db, e) < 0)
		goto out;
	if (create_users(db, &sys, &us, hash, r, e) < 0 || generate(db, &c, o, as_of, r, e) < 0 ||
	    policy_load_demo_defaults(db, &sys, e) < 0) {
		db_rollback(db);
		goto out;
	}
	char detail[400];
	snprintf(detail, sizeof detail,
		 "{\"seed\":%llu,\"scale\":%g,\"as_of\":\"%s\",\"households\":%lld,"
		 "\"persons\":%lld,\"incomes\":%lld,\"tags\":%lld,\"users_created\":%d}",
		 (unsigned long long)o->seed, o->scale, DEMO_AS_OF, (long long)r->households,
		 (long long)r->persons, (long long)r->incomes, (long long)r->tags,
		 r->users_created);
	if (audit_append(db, &sys, "demo.generate", "city:" DEMO_CITY, "ok", detail, e) < 0) {
		db_rollback(db);
		goto out;
	}
	if (db_commit(db, e) < 0)
		goto out;
	rc = 0;
out:
	sodium_memzero(hash, sizeof hash);
	free(us.u);
	free(us.existing);
	city_release(&c);
	if (rc < 0) { /* nothing was written: say so in the counts */
		r->households = r->persons = r->incomes = r->tags = r->urban_households = 0;
		r->users_created = 0;
	}
	r->seconds = now_seconds() - t0;
	return rc;
}
