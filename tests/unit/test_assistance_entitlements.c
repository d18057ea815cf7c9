/* test_assistance_entitlements.c — assistance_entitlements(): what each case is owed for a month,
 * from the registry, the parameters in force and the rules, against a fresh database.
 *
 * Parameters: the demo city's (policy_load_demo_defaults, from 2019-07): urban standard 710.00
 * /month, rural 5,400.00/year (÷ 12 = 450.00), minimum 50.00 per household, uplifts elderly
 * (≥ 60) 10 %, severe disability (grade 1–2) 30 %, serious illness 20 %, minor (< 18) 10 %;
 * 特困 basic 1.3 × the standard, care scattered half 4,944.00/year; orphans institutional
 * 1,400.00, scattered 1,000.00 /month; phase-out 3 months. Every expected amount below is worked
 * out by hand beside the rule (assistance_rules.h) it follows.
 *
 * Households, persons and cases are written with SQL (the lifecycle has its own tests:
 * test_assistance_lifecycle.c), so each test states exactly the rows it needs. Villages:
 *   370704001001 (坊子区, unit 370704), 370704008231 (太保庄街道, unit 370791 峡山区),
 *   370705001001 (奎文区, unit 370705).
 */
#include "assistance/assistance.h"
#include "assistance/assistance_internal.h"
#include "policy/policy.h"
#include "testdb.h"
#include "unit.h"

#define V_FZ "370704001001"
#define V_XS "370704008231"
#define V_KW "370705001001"

static void exec(struct db *db, const char *sql)
{
	struct err e;
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "exec: %s\n%s\n", e.message, sql);
		abort();
	}
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	struct actor sys;
	struct err e;
	exec(db, "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
		 " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
		 " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
		 " ('370704001', '凤凰街道', 4, '370704', '370704'),"
		 " ('370704008', '太保庄街道', 4, '370704', '370791'),"
		 " ('370705001', '东关街道', 4, '370705', '370705'),"
		 " ('370704001001', '凤凰村', 5, '370704001', '370704'),"
		 " ('370704008231', '栾家山后村', 5, '370704008', '370791'),"
		 " ('370705001001', '东关村', 5, '370705001', '370705');"
		 "INSERT INTO units(code, name, kind, city_code) VALUES"
		 " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707'),"
		 " ('370791', '峡山生态经济开发区', 'zone', '3707');");
	actor_system(&sys);
	if (policy_load_demo_defaults(db, &sys, &e) < 0) {
		fprintf(stderr, "policy: %s\n", e.message);
		abort();
	}
	return db;
}

static int64_t last_id(struct db *db)
{
	return db_last_id(db);
}

static int64_t household(struct db *db, const char *village, const char *residence)
{
	struct err e;
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO households(region_code, residence_type, created_at, "
					"updated_at) VALUES (?, ?, '2019-01-01', '2019-01-01')",
					&e);
	db_bind_text(st, 1, village);
	db_bind_text(st, 2, residence);
	if (db_run(st, &e) < 0)
		abort();
	return last_id(db);
}

static int serial;

/* A person of household hid; the head also becomes households.head_person_id. */
static int64_t person(struct db *db, int64_t hid, const char *relation, const char *birth,
		      int64_t income, int disability, int ill)
{
	struct err e;
	char idn[24], rev[24], name[32];
	serial++;
	snprintf(idn, sizeof idn, "T%017d", serial);
	for (int i = 0; i < 18; i++)
		rev[i] = idn[17 - i];
	rev[18] = '\0';
	snprintf(name, sizeof name, "成员%d", serial);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO persons(household_id, region_code, id_number, id_rev, name, relation, sex, "
	    "birth_date, disability_grade, serious_illness, monthly_income_fen, status, created_at, "
	    "updated_at) SELECT ?1, region_code, ?2, ?3, ?4, ?5, 'male', ?6, ?7, ?8, ?9, 'active', "
	    "'2019-01-01', '2019-01-01' FROM households WHERE id = ?1",
	    &e);
	db_bind_int(st, 1, hid);
	db_bind_text(st, 2, idn);
	db_bind_text(st, 3, rev);
	db_bind_text(st, 4, name);
	db_bind_text(st, 5, relation);
	db_bind_text(st, 6, birth);
	db_bind_int(st, 7, disability);
	db_bind_int(st, 8, ill);
	db_bind_int(st, 9, income);
	if (db_run(st, &e) < 0) {
		fprintf(stderr, "person: %s\n", e.message);
		abort();
	}
	int64_t pid = last_id(db);
	if (strcmp(relation, "head") == 0) {
		st = db_prepare(db, "UPDATE households SET head_person_id = ? WHERE id = ?", &e);
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, hid);
		db_run(st, &e);
	}
	return pid;
}

/* A case as the lifecycle would leave it: status, first month paid, the amount decided. */
static int64_t kase(struct db *db, const char *program, int64_t hid, int64_t pid,
		    const char *status, const char *start, int64_t amount)
{
	struct err e;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO assistance_cases(program, household_id, person_id, region_code, unit_code, "
	    "residence_type, status, applied_at, start_month, monthly_amount_fen, bank_name, "
	    "bank_account, created_at, updated_at) SELECT ?1, h.id, ?3, h.region_code, r.unit_code, "
	    "h.residence_type, ?4, '2019-06-01', ?5, ?6, '农商银行', '6228480000000000001', "
	    "'2019-06-01', '2019-06-01' FROM households h JOIN regions r ON r.code = h.region_code "
	    "WHERE h.id = ?2",
	    &e);
	db_bind_text(st, 1, program);
	db_bind_int(st, 2, hid);
	if (pid)
		db_bind_int(st, 3, pid);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, status);
	db_bind_text(st, 5, start);
	db_bind_int(st, 6, amount);
	if (db_run(st, &e) < 0) {
		fprintf(stderr, "case: %s\n", e.message);
		abort();
	}
	return last_id(db);
}

/* Set a text column of a case (the lifecycle's columns: months, form, category…). */
static void set(struct db *db, int64_t id, const char *col_eq_value_sql)
{
	char sql[400];
	snprintf(sql, sizeof sql, "UPDATE assistance_cases SET %s WHERE id = %lld", col_eq_value_sql,
		 (long long)id);
	exec(db, sql);
}

#define MAXE 64
struct got {
	int n;
	struct assistance_entitlement v[MAXE];
	int stop_after; /* 0 = never */
};

static int collect(const struct assistance_entitlement *ent, void *ctx)
{
	struct got *g = ctx;
	if (g->n < MAXE)
		g->v[g->n++] = *ent;
	return g->stop_after && g->n >= g->stop_after;
}

/* The entitlements of month for the scope prefix ("" = all); aborts the test run on error. */
static struct got *ents(struct db *db, const char *prefix, const char *month)
{
	static struct got g;
	struct scope s;
	struct err e;
	memset(&g, 0, sizeof g);
	memset(&s, 0, sizeof s);
	s.n = 1;
	snprintf(s.prefix[0], sizeof s.prefix[0], "%s", prefix);
	if (assistance_entitlements(db, &s, month, collect, &g, &e) < 0) {
		fprintf(stderr, "entitlements %s: %s (%s)\n", month, e.message, e.code);
		g.n = -1;
	}
	return &g;
}

static const struct assistance_entitlement *find(const struct got *g, int64_t case_id)
{
	for (int i = 0; i < g->n; i++)
		if (g->v[i].case_id == case_id)
			return &g->v[i];
	return NULL;
}

/* The amount owed to case id in month (scope: all), 0 when nothing is owed. */
static int64_t owed(struct db *db, int64_t id, const char *month)
{
	const struct assistance_entitlement *x = find(ents(db, "", month), id);
	return x ? x->amount_fen : 0;
}

static const char *status_of(struct db *db, int64_t id, const char *month)
{
	static char out[16];
	const struct assistance_entitlement *x = find(ents(db, "", month), id);
	snprintf(out, sizeof out, "%s", x ? x->pay_status : "none");
	return out;
}

/* The 3-member urban household of several tests: head 65 with 300.00 income, spouse 61 grade-2
 * disabled, child 14. */
static int64_t family(struct db *db, const char *village, int64_t ids[3])
{
	int64_t h = household(db, village, "urban");
	ids[0] = person(db, h, "head", "1955-02-10", 30000, 0, 0);
	ids[1] = person(db, h, "spouse", "1958-06-01", 0, 2, 0);
	ids[2] = person(db, h, "child", "2005-03-15", 0, 0, 0);
	return h;
}

/* ------------------------------------------------------------------------------------------ */

TEST(urban_household_is_owed_the_gap_plus_each_members_largest_uplift)
{
	struct db *db = open_seeded();
	int64_t p[3];
	int64_t h = family(db, V_FZ, p);
	int64_t c = kase(db, "dibao", h, 0, "active", "2020-01", 200000);
	const struct got *g = ents(db, "", "2020-03");
	CHECK_EQ_INT(g->n, 1);
	const struct assistance_entitlement *x = find(g, c);
	CHECK(x != NULL);
	if (!x)
		goto out;
	/* S = 710.00, n = 3, I = 300.00: gap = 3 × 710.00 − 300.00 = 1,830.00.
	 * Uplifts (rounded per member, the largest category each): head 65 ≥ 60 → elderly 10 % =
	 * 71.00; spouse 61 and grade 2 → severe disability 30 % (beats elderly) = 213.00; child 14
	 * on 2020-03-01 (born 03-15) → minor 10 % = 71.00. Total 1,830.00 + 355.00 = 2,185.00. */
	CHECK_EQ_INT(x->amount_fen, 218500);
	CHECK_EQ_STR(x->program, "dibao");
	CHECK_EQ_STR(x->pay_status, "active");
	CHECK_EQ_INT(x->n_persons, 3);
	CHECK_EQ_INT(x->person_ids[0], p[0]);
	CHECK_EQ_INT(x->person_ids[2], p[2]);
	CHECK_EQ_INT(x->beneficiary_id, p[0]); /* the head is paid */
	CHECK_EQ_INT(x->household_id, h);
	CHECK_EQ_STR(x->payee_name, "成员1");
	CHECK_EQ_STR(x->region_code, V_FZ);
	CHECK_EQ_STR(x->unit_code, "370704");
	CHECK_EQ_STR(x->bank_account, "6228480000000000001"); /* unmasked: the bank file needs it */
out:
	db_close(db);
}

TEST(rural_household_whose_gap_is_below_the_minimum_is_paid_the_minimum)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_KW, "rural");
	person(db, h, "head", "1980-05-05", 44000, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "active", "2020-01", 5000);
	/* S = 5,400.00 ÷ 12 = 450.00; gap = 450.00 − 440.00 = 10.00 < minimum 50.00 → 50.00 */
	CHECK_EQ_INT(owed(db, c, "2020-03"), 5000);
	db_close(db);
}

TEST(tekun_member_is_left_out_of_the_dibao_household_and_paid_as_tekun)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	int64_t a = person(db, h, "head", "1975-01-01", 20000, 0, 0);
	int64_t b = person(db, h, "parent", "1950-01-01", 0, 1, 1);
	int64_t d = kase(db, "dibao", h, 0, "active", "2020-01", 1);
	int64_t t = kase(db, "tekun", h, b, "active", "2020-01", 1);
	set(db, t, "adl_mask = 3, support_form = 'scattered'");
	const struct got *g = ents(db, "", "2020-03");
	const struct assistance_entitlement *xd = find(g, d), *xt = find(g, t);
	CHECK(xd && xt);
	if (!xd || !xt)
		goto out;
	/* 低保: only the head counts: 710.00 − 200.00 = 510.00, no uplift at 45 */
	CHECK_EQ_INT(xd->amount_fen, 51000);
	CHECK_EQ_INT(xd->n_persons, 1);
	CHECK_EQ_INT(xd->person_ids[0], a);
	/* 特困: basic 710.00 × 1.3 = 923.00; 2 activities not possible → half care, scattered
	 * 4,944.00 ÷ 12 = 412.00; total 1,335.00 */
	CHECK_EQ_INT(xt->amount_fen, 133500);
	CHECK_EQ_INT(xt->beneficiary_id, b);
	CHECK_EQ_INT(xt->n_persons, 1);
	/* before the 特困 case starts the parent is counted in the 低保 household */
	set(db, t, "start_month = '2020-04'");
	/* 2 × 710.00 − 200.00 = 1,220.00; parent 70: severe disability 30 % = 213.00 → 1,433.00 */
	CHECK_EQ_INT(owed(db, d, "2020-03"), 143300);
	CHECK_EQ_INT(owed(db, d, "2020-04"), 51000);
out:
	db_close(db);
}

TEST(orphan_allowance_is_paid_through_the_month_of_the_18th_birthday)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_KW, "urban");
	int64_t o = person(db, h, "child", "2002-03-10", 0, 0, 0);
	int64_t c = kase(db, "orphan", h, o, "active", "2019-08", 100000);
	set(db, c, "child_category = 'orphan_scattered', child_placement = 'scattered', "
		   "parent_condition_1 = 'dead', parent_condition_2 = 'missing'");
	int64_t h2 = household(db, V_KW, "urban");
	int64_t o2 = person(db, h2, "child", "2010-06-01", 0, 0, 0);
	int64_t c2 = kase(db, "orphan", h2, o2, "active", "2019-08", 140000);
	set(db, c2, "child_category = 'orphan_institutional', child_placement = 'institutional', "
		    "parent_condition_1 = 'dead', parent_condition_2 = 'dead'");
	CHECK_EQ_INT(owed(db, c, "2020-03"), 100000); /* scattered 1,000.00; born 2002-03 */
	CHECK_EQ_INT(owed(db, c, "2020-04"), 0);      /* over age from the next month */
	CHECK_EQ_INT(owed(db, c2, "2020-04"), 140000); /* institutional 1,400.00 */
	db_close(db);
}

TEST(phaseout_pays_the_previous_amount_for_n_months_then_ends)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	person(db, h, "head", "1980-01-01", 80000, 0, 0); /* income now 800.00 > 710.00 */
	int64_t c = kase(db, "dibao", h, 0, "phaseout", "2019-08", 12345);
	set(db, c, "phaseout_from = '2020-01', phaseout_months = 3, end_month = '2020-04', "
		   "exit_cause = 'income'");
	/* F = 2020-01 is still paid (the decision of the last review stands); F+1..F+3 at the
	 * amount decided last; from F+4 = 2020-05 nothing */
	CHECK_EQ_INT(owed(db, c, "2020-01"), 12345);
	CHECK_EQ_STR(status_of(db, c, "2020-01"), "active");
	CHECK_EQ_INT(owed(db, c, "2020-02"), 12345);
	CHECK_EQ_STR(status_of(db, c, "2020-02"), "phaseout");
	CHECK_EQ_INT(owed(db, c, "2020-04"), 12345);
	CHECK_EQ_INT(owed(db, c, "2020-05"), 0);
	CHECK_EQ_INT(owed(db, c, "2021-01"), 0);
	db_close(db);
}

TEST(epidemic_period_holds_the_phaseout_exit_until_it_is_over)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	person(db, h, "head", "1980-01-01", 80000, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "phaseout", "2019-08", 12345);
	set(db, c, "phaseout_from = '2020-01', phaseout_months = 3, end_month = '2020-04'");
	exec(db, "INSERT INTO epidemic_periods(start_month, end_month, declared_by, declared_at) "
		 "VALUES ('2020-04', '2020-06', 'test', '2020-03-06')");
	/* the exit 2020-05 lies in 2020-04..06: held, paid unchanged until 2020-07 */
	CHECK_EQ_STR(status_of(db, c, "2020-04"), "phaseout");
	CHECK_EQ_INT(owed(db, c, "2020-05"), 12345);
	CHECK_EQ_STR(status_of(db, c, "2020-05"), "held");
	CHECK_EQ_INT(owed(db, c, "2020-06"), 12345);
	CHECK_EQ_INT(owed(db, c, "2020-07"), 0);
	db_close(db);
}

TEST(termination_exit_is_held_by_an_epidemic_period_but_a_death_is_not)
{
	struct db *db = open_seeded();
	int64_t h1 = household(db, V_FZ, "urban"), h2 = household(db, V_FZ, "urban");
	person(db, h1, "head", "1980-01-01", 0, 0, 0);
	person(db, h2, "head", "1980-01-01", 0, 0, 0);
	int64_t a = kase(db, "dibao", h1, 0, "terminated", "2019-08", 71000);
	int64_t b = kase(db, "dibao", h2, 0, "terminated", "2019-08", 71000);
	set(db, a, "end_month = '2020-03', exit_cause = 'request', exit_holdable = 1");
	set(db, b, "end_month = '2020-03', exit_cause = 'death', exit_holdable = 0");
	exec(db, "INSERT INTO epidemic_periods(start_month, end_month, declared_by, declared_at) "
		 "VALUES ('2020-04', '2020-05', 'test', '2020-03-06')");
	CHECK_EQ_INT(owed(db, a, "2020-03"), 71000); /* the decision month is paid */
	CHECK_EQ_INT(owed(db, b, "2020-03"), 71000);
	CHECK_EQ_STR(status_of(db, a, "2020-04"), "held");
	CHECK_EQ_INT(owed(db, a, "2020-05"), 71000);
	CHECK_EQ_INT(owed(db, a, "2020-06"), 0);
	CHECK_EQ_INT(owed(db, b, "2020-04"), 0);
	db_close(db);
}

TEST(person_removed_from_the_registry_is_not_owed_from_the_month_after)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	int64_t a = person(db, h, "head", "1980-01-01", 0, 0, 0);
	int64_t b = person(db, h, "spouse", "1981-01-01", 0, 0, 0);
	int64_t d = kase(db, "dibao", h, 0, "active", "2020-01", 142000);
	int64_t h2 = household(db, V_FZ, "urban");
	int64_t t = person(db, h2, "head", "1940-01-01", 0, 0, 0);
	int64_t c = kase(db, "tekun", h2, t, "active", "2020-01", 1);
	set(db, c, "adl_mask = 0, support_form = 'centralised'");
	char sql[400];
	snprintf(sql, sizeof sql,
		 "UPDATE persons SET status = 'removed' WHERE id IN (%lld, %lld);"
		 "INSERT INTO person_history(person_id, at, action, by_user, reason) VALUES"
		 " (%lld, '2020-03-15T10:00:00+08:00', 'removed', 'test', '死亡'),"
		 " (%lld, '2020-03-20T10:00:00+08:00', 'removed', 'test', '死亡')",
		 (long long)b, (long long)t, (long long)b, (long long)t);
	exec(db, sql);
	/* March: both members, 2 × 710.00 = 1,420.00; April: the head alone, 710.00 */
	const struct assistance_entitlement *x = find(ents(db, "", "2020-03"), d);
	CHECK(x && x->amount_fen == 142000 && x->n_persons == 2);
	x = find(ents(db, "", "2020-04"), d);
	CHECK(x && x->amount_fen == 71000 && x->n_persons == 1 && x->person_ids[0] == a);
	/* 特困 centralised, self-care: 923.00 + 989.00 ÷ 12 = 82.42 → 1,005.42 in March only */
	CHECK_EQ_INT(owed(db, c, "2020-03"), 100542);
	CHECK_EQ_INT(owed(db, c, "2020-04"), 0);
	db_close(db);
}

TEST(suspension_interval_is_not_paid)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	person(db, h, "head", "1980-01-01", 0, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "active", "2020-01", 71000);
	set(db, c, "suspended_from = '2020-03', suspended_until = '2020-05'");
	CHECK_EQ_INT(owed(db, c, "2020-02"), 71000);
	CHECK_EQ_INT(owed(db, c, "2020-03"), 0);
	CHECK_EQ_INT(owed(db, c, "2020-04"), 0);
	CHECK_EQ_INT(owed(db, c, "2020-05"), 71000);
	/* still suspended (no end): nothing from 2020-03 on */
	set(db, c, "status = 'suspended', suspended_until = ''");
	CHECK_EQ_INT(owed(db, c, "2020-09"), 0);
	db_close(db);
}

TEST(only_cases_started_and_on_the_roll_are_owed)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	person(db, h, "head", "1980-01-01", 0, 0, 0);
	int64_t a = kase(db, "dibao", h, 0, "active", "2020-04", 71000);
	int64_t h2 = household(db, V_FZ, "urban");
	person(db, h2, "head", "1980-01-01", 0, 0, 0);
	kase(db, "dibao", h2, 0, "notice", "", 0);
	kase(db, "dibao", h2, 0, "refused", "", 0);
	CHECK_EQ_INT(ents(db, "", "2020-03")->n, 0); /* a starts in April */
	const struct got *g = ents(db, "", "2020-04");
	CHECK_EQ_INT(g->n, 1);
	CHECK_EQ_INT(g->n == 1 ? g->v[0].case_id : 0, a);
	db_close(db);
}

TEST(scope_selects_villages_and_rows_come_by_unit_village_and_case)
{
	struct db *db = open_seeded();
	int64_t ids[6];
	const char *v[3] = {V_KW, V_XS, V_FZ};
	for (int i = 0; i < 6; i++) {
		int64_t h = household(db, v[i % 3], "urban");
		person(db, h, "head", "1980-01-01", 0, 0, 0);
		ids[i] = kase(db, "dibao", h, 0, "active", "2020-01", 71000);
	}
	const struct got *all = ents(db, "", "2020-03");
	CHECK_EQ_INT(all->n, 6);
	/* units 370704 (V_FZ: cases 2, 5) < 370705 (V_KW: 0, 3) < 370791 (V_XS: 1, 4) */
	const int64_t want[6] = {ids[2], ids[5], ids[0], ids[3], ids[1], ids[4]};
	for (int i = 0; i < 6 && all->n == 6; i++)
		CHECK_EQ_INT(all->v[i].case_id, want[i]);
	const struct got *kw = ents(db, "370705", "2020-03");
	CHECK_EQ_INT(kw->n, 2);
	CHECK(kw->n == 2 && kw->v[0].case_id == ids[0] && kw->v[1].case_id == ids[3]);
	/* the county's scope holds the zone's township: its cases come with their own unit */
	const struct got *fz = ents(db, "370704", "2020-03");
	CHECK_EQ_INT(fz->n, 4);
	CHECK(fz->n == 4 && strcmp(fz->v[3].unit_code, "370791") == 0);
	const struct got *none = ents(db, "370702", "2020-03");
	CHECK_EQ_INT(none->n, 0);
	db_close(db);
}

TEST(parameters_are_those_in_force_in_the_month_computed)
{
	struct db *db = open_seeded();
	int64_t p[3];
	int64_t c = kase(db, "dibao", family(db, V_FZ, p), 0, "active", "2020-01", 1);
	exec(db, "INSERT INTO policy_params(unit_code, residence_type, key, value, effective_from, "
		 "note, set_by, set_at) VALUES ('3707', 'all', 'dibao_standard_urban_month_fen', "
		 "74000, '2020-07', '', 'test', '2020-06-01')");
	CHECK_EQ_INT(owed(db, c, "2020-06"), 218500);
	/* S = 740.00: gap 3 × 740.00 − 300.00 = 1,920.00; uplifts 74.00 + 222.00 + 74.00 =
	 * 370.00 → 2,290.00 */
	CHECK_EQ_INT(owed(db, c, "2020-07"), 229000);
	db_close(db);
}

TEST(a_parameter_not_in_force_is_an_error_naming_the_case_never_a_zero)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	person(db, h, "head", "1980-01-01", 0, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "active", "2019-01", 71000);
	struct got g;
	struct scope s = {1, {""}};
	struct err e;
	memset(&g, 0, sizeof g);
	CHECK_EQ_INT(assistance_entitlements(db, &s, "2019-06", collect, &g, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "policy_missing");
	char want[32];
	snprintf(want, sizeof want, "案件 %lld", (long long)c);
	CHECK(strstr(e.message, want) != NULL);
	CHECK_EQ_INT(g.n, 0);
	CHECK_EQ_INT(assistance_entitlements(db, &s, "2019-13", collect, &g, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "month");
	db_close(db);
}

TEST(the_callback_can_stop_early_and_a_month_enumerates_the_same_twice)
{
	struct db *db = open_seeded();
	for (int i = 0; i < 3; i++) {
		int64_t h = household(db, V_FZ, "urban");
		person(db, h, "head", "1980-01-01", i * 1000, 0, 0);
		kase(db, "dibao", h, 0, "active", "2020-01", 1);
	}
	struct got g;
	struct scope s = {1, {""}};
	struct err e;
	memset(&g, 0, sizeof g);
	g.stop_after = 2;
	CHECK_EQ_INT(assistance_entitlements(db, &s, "2020-03", collect, &g, &e), 0);
	CHECK_EQ_INT(g.n, 2);
	struct got a = *ents(db, "", "2020-03");
	struct got b = *ents(db, "", "2020-03");
	CHECK_EQ_INT(a.n, 3);
	CHECK(a.n == b.n && memcmp(a.v, b.v, sizeof a.v[0] * (size_t)a.n) == 0);
	db_close(db);
}

TEST(one_case_computed_alone_agrees_with_the_monthly_run)
{
	struct db *db = open_seeded();
	int64_t p[3];
	int64_t c = kase(db, "dibao", family(db, V_XS, p), 0, "active", "2020-01", 1);
	struct assistance_case_calc *k = malloc(sizeof *k);
	struct err e;
	CHECK_EQ_INT(assistance_case_calc(db, c, "2020-03", 0, k, &e), 0);
	CHECK(k->owed);
	CHECK_EQ_INT(k->ent.amount_fen, owed(db, c, "2020-03"));
	CHECK_EQ_INT(k->dibao.gap_fen, 183000);
	CHECK_EQ_INT(k->dibao.uplift_fen, 35500);
	CHECK_EQ_INT(k->n_members, 3);
	CHECK_EQ_INT(k->members[1].age, 61);
	free(k);
	db_close(db);
}

/* ---- job-offer refusals ---- */

/* A refusal of person pid on case cid, refused on `date` and recorded at `at` (ISO). */
static void refusal(struct db *db, int64_t cid, int64_t pid, const char *date, const char *at)
{
	struct err e;
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO assistance_job_refusals(case_id, person_id, "
					"refused_on, offer, at, by_user) VALUES (?, ?, ?, '保洁员', ?, 'test')",
					&e);
	db_bind_int(st, 1, cid);
	db_bind_int(st, 2, pid);
	db_bind_text(st, 3, date);
	db_bind_text(st, 4, at);
	if (db_run(st, &e) < 0) {
		fprintf(stderr, "refusal: %s\n", e.message);
		abort();
	}
}

/* The entitlements of one unit (assistance_entitlements_unit). */
static struct got *unit_ents(struct db *db, const char *unit, const char *month)
{
	static struct got g;
	struct err e;
	memset(&g, 0, sizeof g);
	if (assistance_entitlements_unit(db, unit, month, collect, &g, &e) < 0) {
		fprintf(stderr, "unit entitlements %s %s: %s (%s)\n", unit, month, e.message, e.code);
		g.n = -1;
	}
	return &g;
}

static int64_t unit_owed(struct db *db, const char *unit, int64_t id, const char *month)
{
	const struct assistance_entitlement *x = find(unit_ents(db, unit, month), id);
	return x ? x->amount_fen : 0;
}

TEST(a_members_share_is_withheld_from_the_month_after_the_third_refusal_for_twelve_months)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	person(db, h, "head", "1980-01-01", 10000, 0, 0);
	int64_t sp = person(db, h, "spouse", "1981-01-01", 0, 0, 0);
	person(db, h, "child", "2010-01-01", 0, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "active", "2019-08", 1);
	refusal(db, c, sp, "2020-01-10", "2020-01-10T10:00:00+08:00");
	refusal(db, c, sp, "2020-02-05", "2020-02-06T09:00:00+08:00");
	refusal(db, c, sp, "2020-03-20", "2020-03-20T15:00:00+08:00");
	/* S = 710.00, n = 3, I = 100.00: gap = 2,130.00 − 100.00 = 2,030.00; the child (10) is a
	 * minor: 71.00. Without a refusing member: 2,030.00 + 71.00 = 2,101.00.
	 * March counts the refusals of 2019-03 … 2020-02: two (January, February) — nothing withheld. */
	CHECK_EQ_INT(owed(db, c, "2020-03"), 210100);
	/* April counts 2019-04 … 2020-03: three. The spouse's share is withheld: gap paid =
	 * 2,030.00 × (3 − 1) ÷ 3 = 1,353.333… → 1,353.33 (half up), withheld 676.67; the child's
	 * uplift is still paid: 1,353.33 + 71.00 = 1,424.33. */
	CHECK_EQ_INT(owed(db, c, "2020-04"), 142433);
	CHECK_EQ_INT(owed(db, c, "2020-12"), 142433);
	/* the window of 2021-01 is 2020-01 … 2020-12: still three */
	CHECK_EQ_INT(owed(db, c, "2021-01"), 142433);
	/* 2021-02: 2020-02 … 2021-01, the January refusal has left the window: two */
	CHECK_EQ_INT(owed(db, c, "2021-02"), 210100);
	/* the member stays counted (persons covered, the household's income) */
	const struct assistance_entitlement *x = find(ents(db, "", "2020-04"), c);
	CHECK(x && x->n_persons == 3);
	/* one case computed alone shows why, member by member */
	struct assistance_case_calc *k = malloc(sizeof *k);
	struct err e;
	CHECK_EQ_INT(assistance_case_calc(db, c, "2020-04", 0, k, &e), 0);
	CHECK_EQ_INT(k->dibao.refusing_members, 1);
	CHECK_EQ_INT(k->dibao.gap_withheld_fen, 67667);
	CHECK_EQ_INT(k->members[1].job_refusals, 3);
	CHECK_EQ_INT(k->members[0].job_refusals, 0);
	CHECK(k->members[1].rules_index >= 0 && k->dibao.member[k->members[1].rules_index].refused);
	CHECK_EQ_INT(assistance_case_calc(db, c, "2020-03", 0, k, &e), 0);
	CHECK_EQ_INT(k->members[1].job_refusals, 2);
	CHECK_EQ_INT(k->dibao.refusing_members, 0);
	free(k);
	/* the unit's run agrees */
	CHECK_EQ_INT(unit_owed(db, "370704", c, "2020-03"), 210100);
	CHECK_EQ_INT(unit_owed(db, "370704", c, "2020-04"), 142433);
	CHECK_EQ_INT(unit_owed(db, "370704", c, "2021-02"), 210100);
	db_close(db);
}

TEST(a_refusal_recorded_late_counts_only_from_the_month_after_it_was_recorded)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_FZ, "urban");
	int64_t a = person(db, h, "head", "1980-01-01", 0, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "active", "2019-08", 1);
	refusal(db, c, a, "2020-01-10", "2020-01-10T10:00:00+08:00");
	refusal(db, c, a, "2020-02-05", "2020-02-05T10:00:00+08:00");
	/* refused in March, entered on 2 April: April may be paid already and is not changed */
	refusal(db, c, a, "2020-03-28", "2020-04-02T10:00:00+08:00");
	/* one member, S = 710.00, no income: 710.00 */
	CHECK_EQ_INT(owed(db, c, "2020-04"), 71000);
	/* May: three count, the only counted member refused: gap paid 0, no uplift, and the minimum
	 * is not applied (it would undo the sanction) — nothing is owed */
	CHECK_EQ_INT(owed(db, c, "2020-05"), 0);
	struct assistance_case_calc *k = malloc(sizeof *k);
	struct err e;
	CHECK_EQ_INT(assistance_case_calc(db, c, "2020-05", 0, k, &e), 0);
	CHECK_EQ_INT(k->owed, 0);
	CHECK_EQ_STR(k->why, "work_refused");
	free(k);
	CHECK_EQ_INT(owed(db, c, "2021-01"), 0);
	CHECK_EQ_INT(owed(db, c, "2021-02"), 71000); /* the January refusal has left the window */
	db_close(db);
}

TEST(refusals_are_counted_per_member_not_per_household)
{
	struct db *db = open_seeded();
	int64_t h = household(db, V_KW, "rural");
	int64_t a = person(db, h, "head", "1970-01-01", 0, 0, 0);
	int64_t b = person(db, h, "spouse", "1972-01-01", 0, 0, 0);
	int64_t c = kase(db, "dibao", h, 0, "active", "2019-08", 1);
	/* two refusals each: nobody reaches three */
	refusal(db, c, a, "2020-01-10", "2020-01-10T10:00:00+08:00");
	refusal(db, c, a, "2020-02-10", "2020-02-10T10:00:00+08:00");
	refusal(db, c, b, "2020-01-12", "2020-01-12T10:00:00+08:00");
	refusal(db, c, b, "2020-02-12", "2020-02-12T10:00:00+08:00");
	/* rural S = 5,400.00 ÷ 12 = 450.00; 2 × 450.00 = 900.00 */
	CHECK_EQ_INT(owed(db, c, "2020-04"), 90000);
	refusal(db, c, b, "2020-03-12", "2020-03-12T10:00:00+08:00");
	/* the spouse's third: 900.00 × 1 ÷ 2 = 450.00 */
	CHECK_EQ_INT(owed(db, c, "2020-04"), 45000);
	CHECK_EQ_INT(unit_owed(db, "370705", c, "2020-04"), 45000);
	db_close(db);
}

static int same_ent(const struct assistance_entitlement *a, const struct assistance_entitlement *b)
{
	if (a->case_id != b->case_id || a->beneficiary_id != b->beneficiary_id ||
	    a->household_id != b->household_id || a->amount_fen != b->amount_fen ||
	    a->n_persons != b->n_persons || strcmp(a->program, b->program) != 0 ||
	    strcmp(a->region_code, b->region_code) != 0 || strcmp(a->unit_code, b->unit_code) != 0 ||
	    strcmp(a->pay_status, b->pay_status) != 0 || strcmp(a->payee_name, b->payee_name) != 0 ||
	    strcmp(a->bank_name, b->bank_name) != 0 || strcmp(a->bank_account, b->bank_account) != 0)
		return 0;
	for (int i = 0; i < a->n_persons; i++)
		if (a->person_ids[i] != b->person_ids[i])
			return 0;
	return 1;
}

TEST(a_units_run_gives_its_cases_exactly_the_city_wide_figures_and_nothing_else)
{
	struct db *db = open_seeded();
	const char *v[3] = {V_KW, V_XS, V_FZ};
	for (int i = 0; i < 6; i++) {
		int64_t h = household(db, v[i % 3], i % 2 ? "rural" : "urban");
		person(db, h, "head", "1950-01-01", i * 5000, 0, 0);
		person(db, h, "child", "2008-05-05", 0, 0, 0);
		kase(db, "dibao", h, 0, "active", "2020-01", 1);
		int64_t h2 = household(db, v[i % 3], "urban");
		int64_t t = person(db, h2, "head", "1940-01-01", 0, 0, 0);
		int64_t tc = kase(db, "tekun", h2, t, "active", "2020-01", 1);
		set(db, tc, "adl_mask = 7, support_form = 'scattered'");
	}
	/* a 特困 person whose case was made in another unit (奎文区) and who now lives in a 低保
	 * household of 坊子区: not counted there, in the unit's run as in the city's */
	int64_t hk = household(db, V_KW, "urban");
	int64_t hf = household(db, V_FZ, "urban");
	int64_t head = person(db, hf, "head", "1975-01-01", 20000, 0, 0);
	int64_t mover = person(db, hf, "parent", "1945-01-01", 0, 1, 0);
	int64_t d = kase(db, "dibao", hf, 0, "active", "2020-01", 1);
	int64_t tk = kase(db, "tekun", hk, mover, "active", "2020-01", 1);
	set(db, tk, "adl_mask = 0, support_form = 'scattered'");
	const struct got *all = ents(db, "", "2020-03");
	struct got city = *all;
	CHECK_EQ_INT(city.n, 14);
	const struct assistance_entitlement *x = find(&city, d);
	/* the head alone: 710.00 − 200.00 = 510.00 */
	CHECK(x && x->amount_fen == 51000 && x->n_persons == 1 && x->person_ids[0] == head);
	const char *units[3] = {"370704", "370705", "370791"};
	int total = 0;
	for (int u = 0; u < 3; u++) {
		const struct got *g = unit_ents(db, units[u], "2020-03");
		int j = 0;
		for (int i = 0; i < city.n; i++) {
			if (strcmp(city.v[i].unit_code, units[u]) != 0)
				continue;
			/* the same rows in the same order, field by field */
			CHECK(j < g->n && same_ent(&city.v[i], &g->v[j]));
			j++;
		}
		CHECK_EQ_INT(g->n, j);
		total += g->n;
	}
	CHECK_EQ_INT(total, city.n);
	/* the county's scope also holds the zone's cases; the county's unit does not */
	CHECK_EQ_INT(ents(db, "370704", "2020-03")->n, 9);
	CHECK_EQ_INT(unit_ents(db, "370704", "2020-03")->n, 5);
	CHECK_EQ_INT(unit_ents(db, "370799", "2020-03")->n, 0); /* no such unit: nothing */
	struct got g;
	struct err e;
	memset(&g, 0, sizeof g);
	CHECK_EQ_INT(assistance_entitlements_unit(db, "37'07", "2020-03", collect, &g, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "unit_code");
	CHECK_EQ_INT(assistance_entitlements_unit(db, "370704", "2020-3", collect, &g, &e), -1);
	CHECK_EQ_STR(e.field, "month");
	db_close(db);
}

UNIT_MAIN(urban_household_is_owed_the_gap_plus_each_members_largest_uplift,
	  rural_household_whose_gap_is_below_the_minimum_is_paid_the_minimum,
	  tekun_member_is_left_out_of_the_dibao_household_and_paid_as_tekun,
	  orphan_allowance_is_paid_through_the_month_of_the_18th_birthday,
	  phaseout_pays_the_previous_amount_for_n_months_then_ends,
	  epidemic_period_holds_the_phaseout_exit_until_it_is_over,
	  termination_exit_is_held_by_an_epidemic_period_but_a_death_is_not,
	  person_removed_from_the_registry_is_not_owed_from_the_month_after,
	  suspension_interval_is_not_paid, only_cases_started_and_on_the_roll_are_owed,
	  scope_selects_villages_and_rows_come_by_unit_village_and_case,
	  parameters_are_those_in_force_in_the_month_computed,
	  a_parameter_not_in_force_is_an_error_naming_the_case_never_a_zero,
	  the_callback_can_stop_early_and_a_month_enumerates_the_same_twice,
	  one_case_computed_alone_agrees_with_the_monthly_run,
	  a_members_share_is_withheld_from_the_month_after_the_third_refusal_for_twelve_months,
	  a_refusal_recorded_late_counts_only_from_the_month_after_it_was_recorded,
	  refusals_are_counted_per_member_not_per_household,
	  a_units_run_gives_its_cases_exactly_the_city_wide_figures_and_nothing_else)
