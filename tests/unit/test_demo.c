/* test_demo.c — the demo city (src/demo/) at scale 0.01 on fresh in-memory databases.
 *
 * Scale 0.01 is round(150,000 × 0.01) = 1,500 households over the real Weifang tree (7,060
 * villages, 122 townships, 13 counties, 3 functional zones). The rules checked come from
 * DOMAIN.md (GB 11643 IDs: address + birth date + sequence whose parity is the sex + check) and
 * the demo's own contract in demo.h: same seed ⇒ same data, nobody born on or after
 * DEMO_AS_OF, children ≥ 20 years younger than their parents, one head per household, users
 * for every level, one "demo.generate" audit row; and the assistance scenario (docs/demo.md):
 * 低保 and 特困 cases whose payroll of 2020-01..2020-04, computed and confirmed by the payroll
 * module, gives the published figures × scale in the assistance report — at this scale the
 * solver lands them exactly too, which the tests check, though only scale 1.0 is promised
 * (tests/api/demo_report.test.mjs checks that one).
 */
#include "accounts/accounts.h"
#include "assistance/assistance.h"
#include "audit/audit.h"
#include "core/actor.h"
#include "core/idnum.h"
#include "demo/demo.h"
#include "report/report.h"
#include "testdb.h"
#include "unit.h"

#include <jansson.h>
#include <stdlib.h>

#define SCALE 0.01
#define HOUSEHOLDS 1500 /* round(150000 × 0.01) */

static struct db *demo_db_opt(uint64_t seed, int assistance, struct demo_report *r)
{
	struct db *db = testdb_open();
	struct demo_options o;
	struct err e = {0};
	demo_options_init(&o);
	o.seed = seed;
	o.scale = SCALE;
	o.assistance = assistance;
	if (demo_run(db, &o, r, &e) < 0) {
		fprintf(stderr, "  demo_run: %s (%s)\n", e.message, e.code);
		abort();
	}
	return db;
}

static struct db *demo_db(uint64_t seed, struct demo_report *r)
{
	return demo_db_opt(seed, 1, r);
}

/* FNV-1a over every column of every row of a query, with separators. */
static uint64_t checksum(struct db *db, const char *sql, int ncols)
{
	struct err e;
	uint64_t h = 1469598103934665603ULL;
	struct db_stmt *st = db_prepare(db, sql, &e);
	if (!st)
		return 0;
	while (db_step(st, &e) == 1) {
		for (int c = 0; c < ncols; c++) {
			for (const char *p = db_col_text(st, c); *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			h = (h ^ 0x1f) * 1099511628211ULL;
		}
		h = (h ^ 0x1e) * 1099511628211ULL;
	}
	db_done(st);
	return h;
}

static uint64_t data_checksum(struct db *db)
{
	uint64_t h = checksum(db,
			      "SELECT id, household_id, region_code, id_number, id_rev, name, "
			      "relation, sex, birth_date, phone, disability_grade, "
			      "serious_illness, labour_capacity, monthly_income_fen, status, "
			      "created_at FROM persons ORDER BY id",
			      16);
	h ^= 3 * checksum(db,
			  "SELECT id, region_code, address, residence_type, phone, "
			  "head_person_id FROM households ORDER BY id",
			  6);
	h ^= 5 * checksum(db,
			  "SELECT person_id, type, amount_fen FROM person_incomes "
			  "ORDER BY person_id, type, amount_fen",
			  3);
	h ^= 7 * checksum(db,
			  "SELECT person_id, tag, region_code FROM person_tags "
			  "ORDER BY person_id, tag",
			  3);
	return h;
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

TEST(same_seed_gives_identical_data_other_seed_differs)
{
	struct demo_report r1, r2, r3;
	struct db *a = demo_db(1, &r1), *b = demo_db(1, &r2), *c = demo_db(2, &r3);
	uint64_t ha = data_checksum(a), hb = data_checksum(b), hc = data_checksum(c);
	CHECK(ha != 0);
	CHECK(ha == hb);
	CHECK(ha != hc);
	CHECK_EQ_INT(r1.persons, r2.persons);
	CHECK_EQ_INT(r1.tags, r2.tags);
	db_close(a);
	db_close(b);
	db_close(c);
}

TEST(household_count_follows_scale_and_report_matches_tables)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	CHECK_EQ_INT(r.households, HOUSEHOLDS);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM households"), HOUSEHOLDS);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons"), r.persons);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM person_incomes"), r.incomes);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM person_tags"), r.tags);
	CHECK_EQ_INT(r.villages, 7060);
	CHECK_EQ_INT(r.townships, 122);
	CHECK_EQ_INT(r.ncounties, 13);
	CHECK_EQ_INT(r.nzones, 3);
	/* 1–6 members, mean ≈ 2.8 (the size table's mean is 2.83). */
	CHECK(r.persons * 100 >= 250 * r.households && r.persons * 100 <= 310 * r.households);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM (SELECT household_id, count(*) n FROM persons "
			   "GROUP BY household_id HAVING count(*) < 1 OR count(*) > 6) AS sizes"),
		     0);
	int64_t sum = 0;
	for (int i = 0; i < r.ncounties; i++)
		sum += r.county[i].households;
	CHECK_EQ_INT(sum, HOUSEHOLDS);
	/* Urban districts have urban households; the report counts them. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM households WHERE residence_type = 'urban'"),
		     r.urban_households);
	CHECK(q(db, "SELECT count(*) FROM households WHERE residence_type = 'urban' AND "
		    "region_code LIKE '370705%'") > 0);
	CHECK(r.urban_households > 0 && r.urban_households < r.households);
	db_close(db);
}

TEST(every_id_number_is_valid_and_matches_birth_date_and_sex)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	struct err e;
	int64_t n = 0, bad = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT id_number, birth_date, sex, region_code, id_rev "
					"FROM persons",
					&e);
	CHECK(st != NULL);
	while (st && db_step(st, &e) == 1) {
		struct idnum id;
		struct err pe = {0};
		const char *num = db_col_text(st, 0);
		n++;
		/* today = DEMO_AS_OF: nobody is born after the day the registry is as of. */
		if (idnum_parse(num, DEMO_AS_OF, &id, &pe) < 0) {
			if (bad++ < 5)
				fprintf(stderr, "  %s: %s\n", num, pe.message);
			continue;
		}
		char rev[19];
		for (int i = 0; i < 18; i++)
			rev[i] = num[17 - i];
		rev[18] = '\0';
		if (strcmp(id.number, num) != 0 || strcmp(id.birth_date, db_col_text(st, 1)) != 0 ||
		    strcmp(id.male ? "male" : "female", db_col_text(st, 2)) != 0 ||
		    strncmp(id.address, db_col_text(st, 3), 6) != 0 ||
		    strcmp(rev, db_col_text(st, 4)) != 0 ||
		    strcmp(id.birth_date, DEMO_AS_OF) >= 0) {
			if (bad++ < 5)
				fprintf(stderr, "  %s does not match its row\n", num);
		}
	}
	db_done(st);
	CHECK_EQ_INT(n, r.persons);
	CHECK_EQ_INT(bad, 0);
	/* The address code is a real county of the tree (the village's official county). */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons p LEFT JOIN regions c ON c.code = "
			   "substr(p.id_number, 1, 6) AND c.level = 3 WHERE c.code IS NULL"),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons WHERE substr(id_number, 1, 6) <> "
			   "substr(region_code, 1, 6)"),
		     0);
	db_close(db);
}

TEST(id_numbers_are_unique)
{
	struct demo_report r;
	struct db *db = demo_db(3, &r);
	CHECK_EQ_INT(q(db, "SELECT count(DISTINCT id_number) FROM persons"), r.persons);
	db_close(db);
}

TEST(every_household_has_exactly_one_head_and_points_at_it)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM households h WHERE (SELECT count(*) FROM persons p "
		       "WHERE p.household_id = h.id AND p.relation = 'head') <> 1"),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM households h LEFT JOIN persons p ON p.id = "
			   "h.head_person_id WHERE p.id IS NULL OR p.relation <> 'head' OR "
			   "p.household_id <> h.id"),
		     0);
	/* Members live where their household is, and are all active. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons p JOIN households h ON h.id = "
			   "p.household_id WHERE p.region_code <> h.region_code OR p.status <> "
			   "'active' OR length(p.region_code) <> 12"),
		     0);
	db_close(db);
}

TEST(relatives_ages_and_sexes_are_plausible)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	/* Heads are adults of 20–90 (on DEMO_AS_OF, 2020-01-01). */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons WHERE relation = 'head' AND (birth_date > "
			   "'2000-01-01' OR birth_date <= '1929-01-01')"),
		     0);
	/* A spouse is of the other sex. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons s JOIN persons h ON h.household_id = "
			   "s.household_id AND h.relation = 'head' WHERE s.relation = 'spouse' AND "
			   "s.sex = h.sex"),
		     0);
	/* Children are at least 20 years younger than the head and the head's spouse. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons c JOIN persons p ON p.household_id = "
			   "c.household_id AND p.relation IN ('head', 'spouse') WHERE c.relation = "
			   "'child' AND c.birth_date < strftime('%Y-%m-%d', p.birth_date, '+20 years')"),
		     0);
	/* Parents at least 20 years older than the head, grandparents 40. */
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM persons x JOIN persons h ON h.household_id = "
		       "x.household_id AND h.relation = 'head' WHERE (x.relation = 'parent' AND "
		       "strftime('%Y-%m-%d', x.birth_date, '+20 years') > h.birth_date) OR (x.relation = "
		       "'grandparent' AND strftime('%Y-%m-%d', x.birth_date, '+40 years') > h.birth_date)"),
		     0);
	/* Grandchildren at least 40 years younger than head and spouse, and 20 younger than a
	 * parent generation living with them (child and child's spouse). */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons g JOIN persons p ON p.household_id = "
			   "g.household_id WHERE g.relation = 'grandchild' AND ((p.relation IN "
			   "('head', 'spouse') AND g.birth_date < strftime('%Y-%m-%d', p.birth_date, '+40 years')) "
			   "OR (p.relation IN ('child', 'other') AND g.birth_date < "
			   "strftime('%Y-%m-%d', p.birth_date, '+20 years')))"),
		     0);
	CHECK(q(db, "SELECT count(*) FROM persons WHERE relation = 'child'") > 0);
	CHECK(q(db, "SELECT count(*) FROM persons WHERE relation = 'parent'") > 0);
	CHECK(q(db, "SELECT count(*) FROM persons WHERE relation = 'grandchild'") > 0);
	/* ~70 % of heads have a mobile number (11 digits starting 1). */
	int64_t heads_with_phone =
	    q(db, "SELECT count(*) FROM persons WHERE relation = 'head' AND "
		  "length(phone) = 11 AND substr(phone, 1, 1) = '1' AND substr(phone, 2, 1) BETWEEN '3' "
		  "AND '9' AND replace(replace(replace(replace(replace(replace(replace(replace(replace("
		  "replace(phone, '0', ''), '1', ''), '2', ''), '3', ''), '4', ''), '5', ''), '6', ''), "
		  "'7', ''), '8', ''), '9', '') = ''");
	CHECK(heads_with_phone * 100 >= 60 * HOUSEHOLDS &&
	      heads_with_phone * 100 <= 80 * HOUSEHOLDS);
	db_close(db);
}

TEST(incomes_and_tags_are_consistent)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons p WHERE monthly_income_fen <> (SELECT "
			   "coalesce(sum(amount_fen), 0) FROM person_incomes i WHERE i.person_id = "
			   "p.id)"),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM person_incomes WHERE type NOT IN ('wage', "
			   "'business', 'farming', 'pension', 'transfer', 'property', 'other') OR "
			   "amount_fen <= 0 OR amount_fen % 100 <> 0"),
		     0);
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM person_tags t JOIN persons p ON p.id = t.person_id "
		       "WHERE t.region_code <> p.region_code"),
		     0);
	/* elderly_alone: exactly the people of 60 or more who live alone. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons p WHERE p.birth_date <= '1960-01-01' AND "
			   "(SELECT count(*) FROM persons m WHERE m.household_id = p.household_id) "
			   "= 1"),
		     q(db, "SELECT count(*) FROM person_tags WHERE tag = 'elderly_alone'"));
	CHECK(q(db, "SELECT count(*) FROM person_tags WHERE tag = 'elderly_alone'") > 0);
	/* severely_disabled ⇔ grade 1–2; seriously_ill ⇔ serious_illness. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons WHERE disability_grade IN (1, 2)"),
		     q(db, "SELECT count(*) FROM person_tags WHERE tag = 'severely_disabled'"));
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM persons WHERE serious_illness = 1"),
		     q(db, "SELECT count(*) FROM person_tags WHERE tag = 'seriously_ill'"));
	/* Child tags only on minors. */
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM person_tags t JOIN persons p ON p.id = t.person_id "
		       "WHERE t.tag IN ('orphan', 'unsupported_child', 'left_behind_child', "
		       "'child_in_difficulty') AND p.birth_date <= '2002-01-01'"),
		     0);
	/* Every person has its 'registered' history row, by the demo. */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM person_history h JOIN persons p ON p.id = "
			   "h.person_id AND h.to_household_id = p.household_id WHERE h.action = "
			   "'registered' AND h.by_user = 'demo'"),
		     r.persons);
	db_close(db);
}

struct found_user {
	const char *username;
	struct user_info u;
	int found;
};

static int find_user(const struct user_info *u, void *ctx)
{
	struct found_user *f = ctx;
	if (strcmp(u->username, f->username) == 0) {
		f->u = *u;
		f->found = 1;
		return 1;
	}
	return 0;
}

static int user_has(struct db *db, const char *username, const char *role, const char *region)
{
	struct found_user f = {username, {0}, 0};
	struct err e;
	if (accounts_user_list(db, find_user, &f, &e) < 0 || !f.found) {
		fprintf(stderr, "  user %s missing\n", username);
		return 0;
	}
	if (strcmp(f.u.role, role) != 0 || strcmp(f.u.region_code, region) != 0) {
		fprintf(stderr, "  user %s is %s at %s\n", username, f.u.role, f.u.region_code);
		return 0;
	}
	return 1;
}

TEST(demo_users_exist_with_expected_roles_and_scopes)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	for (const struct demo_login *l = demo_logins; l->username; l++)
		CHECK(user_has(db, l->username, l->role, l->region_code));
	CHECK(user_has(db, "admin", "city_admin", "3707"));
	CHECK(user_has(db, "leader", "leader", "3707"));
	CHECK(user_has(db, "hotline", "hotline_operator", "3707"));
	CHECK(user_has(db, "county_370704", "county_staff", "370704"));
	CHECK(user_has(db, "zone_370791", "county_staff", "370791"));
	CHECK(user_has(db, "township_370704008", "township_assistant", "370704008"));
	CHECK(user_has(db, "village_370704008231", "village_worker", "370704008231"));
	CHECK(user_has(db, "village_370704008001", "village_worker", "370704008001"));
	/* 8 city (admin, leader, hotline, inspector, rescue, funeral, registrar, charity) + institution + 13 counties + 3 zones
	 * + 122 townships + 122 first villages + 栾家山后村 (not its township's first village). */
	CHECK_EQ_INT(r.users_created, 8 + 1 + 13 + 3 + 122 + 122 + 1);
	for (const char *const *role = roles_all(); *role; role++)
		CHECK(db_query_int(db, "SELECT count(*) FROM users WHERE role = ?", *role) > 0);

	/* The password works and the scopes come out as expected. */
	struct login_result lr;
	struct err e = {0};
	CHECK_EQ_INT(accounts_login(db, "village_370704008231", DEMO_PASSWORD, "test", &lr, &e), 0);
	CHECK_EQ_INT(lr.actor.scope.n, 1);
	CHECK_EQ_STR(lr.actor.scope.prefix[0], "370704008231");
	CHECK_EQ_INT(accounts_login(db, "zone_370791", DEMO_PASSWORD, "test", &lr, &e), 0);
	CHECK(lr.actor.scope.n >= 1);
	CHECK(scope_contains(&lr.actor.scope, "370704008231")); /* 峡山区 manages 太保庄街道 */
	CHECK(!scope_contains(&lr.actor.scope, "370704003001"));
	CHECK_EQ_INT(accounts_login(db, "admin", DEMO_PASSWORD, "test", &lr, &e), 0);
	CHECK(actor_can(&lr.actor, PERM_USER_MANAGE));
	db_close(db);
}

TEST(one_audit_row_for_the_data_and_the_chain_verifies)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'demo.generate' AND "
			   "object = 'city:3707' AND outcome = 'ok' AND detail LIKE "
			   "'%\"households\":1500,%'"),
		     1);
	/* The registry and the rolls are written in bulk under that one row: no row per household,
	 * person or case. Besides it come the accounts module's one row per user created, the
	 * regions module's own row for loading the tree, the payroll module's own rows (a run and
	 * its confirmation for each of the 16 units in each of the four months) and the rows the
	 * later demo steps write through their modules' own functions (demo_steps.h). */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'household.%' OR "
			   "action LIKE 'person.%' OR action LIKE 'assistance.%'"),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.run'"), 64);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.confirm'"), 64);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'user.add'"),
		     r.users_created);
	int64_t rows = 0, bad_id = 0;
	char why[200];
	struct err e;
	CHECK_EQ_INT(audit_verify(db, &rows, &bad_id, why, sizeof why, &e), 0);
	CHECK_EQ_INT(rows, q(db, "SELECT count(*) FROM audit_log"));
	db_close(db);
}

TEST(refuses_a_database_that_already_has_households)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	struct demo_options o;
	struct err e = {0};
	demo_options_init(&o);
	o.scale = SCALE;
	CHECK_EQ_INT(demo_run(db, &o, &r, &e), -1);
	CHECK_EQ_STR(e.code, "demo_not_empty");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM households"), HOUSEHOLDS);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'demo.generate'"), 1);
	db_close(db);
}

TEST(rejects_a_bad_scale_without_writing)
{
	struct db *db = testdb_open();
	struct demo_options o;
	struct demo_report r;
	struct err e = {0};
	demo_options_init(&o);
	o.scale = 0;
	CHECK_EQ_INT(demo_run(db, &o, &r, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	o.scale = DEMO_MAX_SCALE * 2;
	CHECK_EQ_INT(demo_run(db, &o, &r, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM households"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM users"), 0);
	db_close(db);
}


/* ---- the assistance scenario ---- */

static uint64_t payments_checksum(struct db *db)
{
	/* everything but the runs' timestamps (the payroll stamps them with the real time) */
	return checksum(db,
			"SELECT p.id, r.month, r.unit_code, r.status, p.program, p.case_id, "
			"p.beneficiary_id, p.household_id, p.region_code, p.unit_code, p.month, "
			"p.amount_fen, p.n_persons, p.pay_status, p.payee_name, p.bank_name, "
			"p.bank_account, p.status, (SELECT group_concat(person_id) FROM (SELECT "
			"person_id FROM payment_persons pp WHERE pp.payment_id = p.id ORDER BY 1)) "
			"FROM payments p JOIN payroll_runs r ON r.id = p.run_id ORDER BY p.id",
			19) ^
	       3 * checksum(db,
			    "SELECT id, program, household_id, coalesce(person_id, 0), status, "
			    "start_month, end_month, monthly_amount_fen, adl_mask, support_form, "
			    "bank_account FROM assistance_cases ORDER BY id",
			    11);
}

TEST(same_seed_gives_the_same_cases_and_payments)
{
	struct demo_report r1, r2, r3;
	struct db *a = demo_db(1, &r1), *b = demo_db(1, &r2), *c = demo_db(2, &r3);
	uint64_t ha = payments_checksum(a), hb = payments_checksum(b), hc = payments_checksum(c);
	CHECK(q(a, "SELECT count(*) FROM payments") > 0);
	CHECK(ha == hb);
	CHECK(ha != hc);
	CHECK_EQ_INT(r1.payments, r2.payments);
	db_close(a);
	db_close(b);
	db_close(c);
}

/* The report as the CLI and the API compute it, and the demo's summary of it. */
TEST(the_report_gives_the_published_figures_times_the_scale)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	struct actor sys;
	struct err e = {0};
	struct report_assistance rep;
	actor_system(&sys);
	CHECK_EQ_INT(r.assistance, 1);
	CHECK_EQ_INT(r.dibao_target.persons, 878);	    /* round(87,840 × 0.01) */
	CHECK_EQ_INT(r.dibao_target.amount_fen, 52701000);  /* 527,010 yuan */
	CHECK_EQ_INT(r.tekun_target.persons, 144);	    /* round(14,367 × 0.01) */
	CHECK_EQ_INT(r.tekun_target.amount_fen, 18358000); /* 183,580 yuan */
	CHECK_EQ_INT(report_assistance(db, &sys, "2020-01", "2020-04", "", &rep, &e), 0);
	struct report_cell *d = report_cell_at(&rep, rep.nunits, rep.nmonths, 0);
	struct report_cell *t = report_cell_at(&rep, rep.nunits, rep.nmonths, 1);
	CHECK_EQ_INT(d->persons, r.dibao.persons);
	CHECK_EQ_INT(d->amount_fen, r.dibao.amount_fen);
	CHECK_EQ_INT(t->persons, r.tekun.persons);
	CHECK_EQ_INT(t->amount_fen, r.tekun.amount_fen);
	/* met at this scale as well (the seed is fixed, so this does not change by luck) */
	CHECK_EQ_INT(r.exact, 1);
	CHECK_EQ_INT(d->persons, 878);
	CHECK_EQ_INT(d->amount_fen, 52701000);
	CHECK_EQ_INT(t->persons, 144);
	CHECK_EQ_INT(t->amount_fen, 18358000);
	/* the units add up to the city */
	int64_t dp = 0, da = 0, tp = 0, ta = 0;
	for (int u = 0; u < rep.nunits; u++) {
		dp += report_cell_at(&rep, u, rep.nmonths, 0)->persons;
		da += report_cell_at(&rep, u, rep.nmonths, 0)->amount_fen;
		tp += report_cell_at(&rep, u, rep.nmonths, 1)->persons;
		ta += report_cell_at(&rep, u, rep.nmonths, 1)->amount_fen;
	}
	CHECK_EQ_INT(dp, d->persons);
	CHECK_EQ_INT(da, d->amount_fen);
	CHECK_EQ_INT(tp, t->persons);
	CHECK_EQ_INT(ta, t->amount_fen);
	report_assistance_release(&rep);
	/* from the payments themselves: confirmed runs, every payment paid */
	CHECK_EQ_INT(r.payroll_runs, 64);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs WHERE status = 'confirmed'"), 64);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status <> 'paid'"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program <> 'price_subsidy'"),
		     r.payments);
	CHECK_EQ_INT(q(db, "SELECT sum(amount_fen) FROM payments WHERE program = 'dibao'"),
		     r.dibao.amount_fen);
	CHECK_EQ_INT(q(db, "SELECT count(DISTINCT pp.person_id) FROM payment_persons pp JOIN "
			   "payments p ON p.id = pp.payment_id WHERE p.program = 'tekun'"),
		     r.tekun.persons);
	db_close(db);
}

/* Each month's payments are exactly what the assistance module says every case is owed that
 * month (assistance_entitlements: the rules, the members, the parameters in force): nobody
 * missed, nobody paid twice, no amount different — but for the deaths the demo records after
 * its payroll, whose difference the cross-check lists as overpayments. */
struct owed {
	struct db *db;
	const char *month;
	int64_t n, bad;
};

static int check_owed(const struct assistance_entitlement *ent, void *ctx)
{
	struct owed *o = ctx;
	struct err e;
	/* a payment made before a death was recorded: what was owed is the payment less the
	 * overpayment the cross-check found (and it covered the dead member too) */
	struct db_stmt *st = db_prepare(o->db,
					"SELECT count(*), coalesce(sum(p.amount_fen - coalesce(x.amount_fen, "
					"0)), 0), coalesce(sum(p.n_persons), 0), count(x.id) FROM payments p "
					"LEFT JOIN crosscheck_overpayments x ON x.payment_id = p.id "
					"WHERE p.case_id = ? AND p.month = ? AND p.status = 'paid'",
					&e);
	if (!st)
		return 1;
	db_bind_int(st, 1, ent->case_id);
	db_bind_text(st, 2, o->month);
	/* a household whose member's death the demo recorded after its payroll: the rules now
	 * give the amount without them — less (the overpayment above) or more (the others' income
	 * share grew) than was paid; tests/unit/test_crosscheck.c checks those amounts */
	int64_t died = 0;
	struct db_stmt *d = db_prepare(o->db,
				       "SELECT count(*) FROM crosscheck_deaths x JOIN persons p ON "
				       "p.id = x.person_id WHERE p.household_id = ? AND x.died_on < ?",
				       &e);
	if (d) {
		char end[16];
		snprintf(end, sizeof end, "%s-32", o->month);
		db_bind_int(d, 1, ent->household_id);
		db_bind_text(d, 2, end);
		if (db_step(d, &e) == 1)
			died = db_col_int(d, 0);
		db_done(d);
	}
	if (db_step(st, &e) == 1 &&
	    (db_col_int(st, 0) != 1 ||
	     (!died && (db_col_int(st, 1) != ent->amount_fen ||
			(db_col_int(st, 3) == 0 && db_col_int(st, 2) != ent->n_persons)))) &&
	    o->bad++ < 5)
		fprintf(stderr, "  case %lld %s: owed %lld for %d, paid %lld × %lld\n",
			(long long)ent->case_id, o->month, (long long)ent->amount_fen,
			ent->n_persons, (long long)db_col_int(st, 1), (long long)db_col_int(st, 0));
	db_done(st);
	o->n++;
	return 0;
}

TEST(every_payment_is_what_the_rules_say_the_case_is_owed)
{
	static const char *const months[] = {"2020-01", "2020-02", "2020-03", "2020-04"};
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	struct actor sys;
	struct err e = {0};
	int64_t total = 0;
	actor_system(&sys);
	for (int m = 0; m < 4; m++) {
		struct owed o = {db, months[m], 0, 0};
		CHECK_EQ_INT(assistance_entitlements(db, &sys.scope, months[m], check_owed, &o, &e), 0);
		CHECK_EQ_INT(o.bad, 0);
		CHECK_EQ_INT(db_query_int(db,
					  "SELECT count(*) FROM payments p JOIN payroll_runs r ON "
					  "r.id = p.run_id WHERE r.month = ? AND p.month = r.month AND "
					  "p.id NOT IN (SELECT x.payment_id FROM crosscheck_overpayments x "
					  "WHERE x.amount_fen = p.amount_fen)",
					  months[m]),
			     o.n);
		total += o.n;
	}
	CHECK_EQ_INT(total, r.payments);
	db_close(db);
}

TEST(the_rolls_change_over_the_four_months)
{
	struct demo_report r;
	struct db *db = demo_db(1, &r);
	/* 低保: new households from February to April, phase-outs (one paid January only, the
	 * others held by the epidemic period 2020-03..2020-06 and paid 'held') */
	CHECK(r.dibao_new > 0 && r.dibao_phaseout > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM epidemic_periods WHERE start_month = '2020-03' AND "
			   "end_month = '2020-06'"),
		     1);
	CHECK(q(db, "SELECT count(*) FROM assistance_cases WHERE program = 'dibao' AND "
		    "start_month IN ('2020-02', '2020-03', '2020-04')") > 0);
	CHECK(q(db, "SELECT count(*) FROM payments WHERE pay_status = 'held'") > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments p JOIN assistance_cases c ON c.id = "
			   "p.case_id WHERE c.status = 'phaseout' AND c.phaseout_from = '2019-10' "
			   "AND p.month > '2020-01'"),
		     0);
	/* 特困: a January roll, and persons paid from February, March, April; one case each */
	CHECK(q(db, "SELECT count(*) FROM assistance_cases WHERE program = 'tekun' AND "
		    "start_month < '2020-01'") > 0);
	CHECK(q(db, "SELECT count(*) FROM assistance_cases WHERE program = 'tekun' AND "
		    "start_month = '2020-04'") > 0);
	CHECK_EQ_INT(q(db, "SELECT count(DISTINCT person_id) FROM assistance_cases WHERE program = "
			   "'tekun'"),
		     r.tekun_cases);
	/* a 特困 member of a 低保 household: covered by its 低保 payments until March, by his own
	 * from April, and no longer counted in the household's April payment */
	int64_t in_dibao = q(db, "SELECT count(*) FROM assistance_cases t JOIN assistance_cases d "
				 "ON d.household_id = t.household_id AND d.program = 'dibao' WHERE "
				 "t.program = 'tekun'");
	CHECK_EQ_INT(in_dibao, r.tekun_in_dibao);
	CHECK(in_dibao > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_cases t JOIN payments p ON p.program = "
			   "'dibao' AND p.household_id = t.household_id AND p.month = '2020-04' "
			   "JOIN payment_persons pp ON pp.payment_id = p.id AND pp.person_id = "
			   "t.person_id WHERE t.program = 'tekun'"),
		     0);
	CHECK(q(db, "SELECT count(*) FROM assistance_cases t JOIN payments p ON p.program = "
		    "'dibao' AND p.household_id = t.household_id AND p.month = '2020-01' JOIN "
		    "payment_persons pp ON pp.payment_id = p.id AND pp.person_id = t.person_id "
		    "WHERE t.program = 'tekun'") > 0);
	/* an active 低保 household's income is below the standard; a phase-out's is not */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_cases c WHERE c.program = 'dibao' AND "
			   "c.status = 'active' AND (SELECT sum(monthly_income_fen) FROM persons p "
			   "WHERE p.household_id = c.household_id) >= (CASE c.residence_type WHEN "
			   "'urban' THEN 71000 ELSE 45000 END) * (SELECT count(*) FROM persons p "
			   "WHERE p.household_id = c.household_id)"),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_cases c WHERE c.status = 'phaseout' "
			   "AND (SELECT sum(monthly_income_fen) FROM persons p WHERE p.household_id = "
			   "c.household_id) < (CASE c.residence_type WHEN 'urban' THEN 71000 ELSE "
			   "45000 END) * (SELECT count(*) FROM persons p WHERE p.household_id = "
			   "c.household_id)"),
		     0);
	/* every case has its steps, by the unit's and the township's demo users */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_cases c WHERE NOT EXISTS (SELECT 1 "
			   "FROM assistance_steps s WHERE s.case_id = c.id AND s.step = 'approve')"),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_steps s LEFT JOIN users u ON "
			   "u.username = s.by_user WHERE u.id IS NULL"),
		     0);
	/* every step's record is JSON (read here: json_valid is SQLite's alone) */
	struct err je;
	struct db_stmt *rs = db_prepare(db, "SELECT record FROM assistance_steps", &je);
	CHECK(rs != NULL);
	int bad_records = 0, records = 0;
	while (rs && db_step(rs, &je) == 1) {
		json_t *j = json_loads(db_col_text(rs, 0), 0, NULL);
		bad_records += j == NULL;
		records++;
		json_decref(j);
	}
	db_done(rs);
	CHECK(records > 0);
	CHECK_EQ_INT(bad_records, 0);
	db_close(db);
}

TEST(without_assistance_there_are_no_cases_and_no_payroll)
{
	struct demo_report r;
	struct db *db = demo_db_opt(1, 0, &r);
	CHECK_EQ_INT(r.assistance, 0);
	CHECK_EQ_INT(r.households, HOUSEHOLDS);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_cases"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM epidemic_periods"), 0);
	/* one row for the bulk data; the later steps (institutions, ledger, …) write their own */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'demo.generate'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'household.%' OR "
			   "action LIKE 'person.%' OR action LIKE 'assistance.%' OR "
			   "action LIKE 'payroll.%'"),
		     0);
	/* the registry is the same as with the scenario but for the 低保 households' incomes */
	struct demo_report r2;
	struct db *full = demo_db(1, &r2);
	CHECK_EQ_INT(r2.persons, r.persons);
	CHECK(checksum(db, "SELECT id, id_number, name, birth_date FROM persons ORDER BY id", 4) ==
	      checksum(full, "SELECT id, id_number, name, birth_date FROM persons ORDER BY id", 4));
	db_close(full);
	db_close(db);
}

UNIT_MAIN(same_seed_gives_identical_data_other_seed_differs,
	  household_count_follows_scale_and_report_matches_tables,
	  every_id_number_is_valid_and_matches_birth_date_and_sex, id_numbers_are_unique,
	  every_household_has_exactly_one_head_and_points_at_it,
	  relatives_ages_and_sexes_are_plausible, incomes_and_tags_are_consistent,
	  demo_users_exist_with_expected_roles_and_scopes,
	  one_audit_row_for_the_data_and_the_chain_verifies,
	  refuses_a_database_that_already_has_households, rejects_a_bad_scale_without_writing,
	  same_seed_gives_the_same_cases_and_payments,
	  the_report_gives_the_published_figures_times_the_scale,
	  every_payment_is_what_the_rules_say_the_case_is_owed,
	  the_rolls_change_over_the_four_months,
	  without_assistance_there_are_no_cases_and_no_payroll)
