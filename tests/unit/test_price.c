/* test_price.c — the price module against a database (src/price/price_store.c) and the payroll
 * paying its subsidies (src/payroll/payroll_run.c): the indices and who may enter them, one
 * subsidy per eligible person per month whatever groups they are in, idempotent generation,
 * months that do not trigger, paid exactly once whichever run or unit, the account rule, a
 * bank return re-issued once, states, the late list and scope.
 *
 * The fixture (made by SQL, like test_payroll.c's last test): the demo parameters of 2019-07
 * plus the dated rows of 2020 (mechanism and doubling from March, orphans eligible from March),
 * and in 坊子区 (370704): an urban 低保 household of three (one of them also tagged orphan), a
 * rural 特困 person, a rural person tagged entitled_veteran without an account, an inactive
 * person tagged unemployment_insurance; in 奎文区 (370705): an urban 特困 person.
 * March 2020: CPI 4.3 % doubled on the CPI basis → urban 61.00, rural 39.00 yuan each. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "price/price.h"
#include "regions/regions.h"

#include <stdlib.h>
#include <string.h>

static char V704[16], V705[16];

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static void village(struct db *db, const char *unit, char out[16])
{
	struct err e;
	struct db_stmt *st = db_prepare(db, "SELECT code FROM regions WHERE level = 5 "
					    "AND unit_code = ? ORDER BY code LIMIT 1", &e);
	db_bind_text(st, 1, unit);
	if (db_step(st, &e) == 1)
		snprintf(out, 16, "%s", db_col_text(st, 0));
	db_done(st);
	if (!out[0])
		abort();
}

static void exec(struct db *db, const char *sql)
{
	struct err e;
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "exec: %s\n", e.message);
		abort();
	}
}

static void param(struct db *db, const char *unit, const char *key, int64_t v, const char *from)
{
	char sql[400];
	snprintf(sql, sizeof sql,
		 "INSERT INTO policy_params(unit_code, residence_type, key, value, effective_from, "
		 "note, set_by, set_at) VALUES ('%s', 'all', '%s', %lld, '%s', '', 'test', 'x')",
		 unit, key, (long long)v, from);
	exec(db, sql);
}

static void person(struct db *db, int64_t id, int64_t hh, const char *region, const char *name,
		   const char *relation, const char *birth, const char *status)
{
	char sql[600];
	snprintf(sql, sizeof sql,
		 "INSERT INTO persons(id, household_id, region_code, id_number, id_rev, name, relation, "
		 "sex, birth_date, status, created_at, updated_at) VALUES (%lld, %lld, '%s', "
		 "'3707041980010100%02lld', 'x%lld', '%s', '%s', 'male', '%s', '%s', 'x', 'x')",
		 (long long)id, (long long)hh, region, (long long)id, (long long)id, name, relation, birth,
		 status);
	exec(db, sql);
}

static void household(struct db *db, int64_t id, const char *region, const char *res, int64_t head)
{
	char sql[300];
	snprintf(sql, sizeof sql,
		 "INSERT INTO households(id, region_code, residence_type, head_person_id, created_at, "
		 "updated_at) VALUES (%lld, '%s', '%s', %lld, 'x', 'x')",
		 (long long)id, region, res, (long long)head);
	exec(db, sql);
}

static void tag(struct db *db, int64_t person_id, const char *t, const char *region)
{
	char sql[200];
	snprintf(sql, sizeof sql, "INSERT INTO person_tags(person_id, tag, region_code) VALUES "
				  "(%lld, '%s', '%s')", (long long)person_id, t, region);
	exec(db, sql);
}

static void kase(struct db *db, int64_t id, const char *program, int64_t hh, int64_t person,
		 const char *region, const char *unit, const char *res, const char *account)
{
	char sql[800], pid[24];
	snprintf(pid, sizeof pid, person ? "%lld" : "NULL", (long long)person);
	snprintf(sql, sizeof sql,
		 "INSERT INTO assistance_cases(id, program, household_id, person_id, region_code, "
		 "unit_code, residence_type, status, applied_at, start_month, support_form, bank_name, "
		 "bank_account, payee_name, created_at, updated_at) VALUES (%lld, '%s', %lld, %s, '%s', "
		 "'%s', '%s', 'active', '2019-12-01', '2020-01', '%s', '潍坊农商银行', '%s', '', 'x', 'x')",
		 (long long)id, program, (long long)hh, pid, region, unit, res,
		 strcmp(program, "tekun") == 0 ? "scattered" : "", account);
	exec(db, sql);
}

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct actor sys;
	struct err e;
	actor_system(&sys);
	if (regions_load_builtin(db, &e) < 0 || policy_load_demo_defaults(db, &sys, &e) < 0)
		abort();
	V704[0] = V705[0] = '\0';
	village(db, "370704", V704);
	village(db, "370705", V705);
	param(db, "3707", "price_linkage_enabled", 1, "2020-03");
	param(db, "3707", "price_multiplier_bp", 20000, "2020-03");
	param(db, "3707", "price_multiplier_bp", 10000, "2020-07");
	param(db, "3707", "price_eligible_orphan", 1, "2020-03");
	param(db, "3707", "price_eligible_orphan", 0, "2020-07");
	/* 坊子区: a 低保 household of three, urban; person 12 also an orphan by the registry */
	household(db, 1, V704, "urban", 11);
	person(db, 11, 1, V704, "王大", "head", "1970-05-05", "active");
	person(db, 12, 1, V704, "王二", "grandchild", "2010-05-05", "active");
	person(db, 13, 1, V704, "王三", "spouse", "1972-05-05", "active");
	tag(db, 12, "orphan", V704);
	kase(db, 4, "dibao", 1, 0, V704, "370704", "urban", "6228480000000000101");
	/* a rural 特困 person */
	household(db, 2, V704, "rural", 21);
	person(db, 21, 2, V704, "李老", "head", "1940-02-02", "active");
	kase(db, 5, "tekun", 2, 21, V704, "370704", "rural", "6228480000000000102");
	/* a rural veteran (no assistance case, no account yet) and an inactive tagged person */
	household(db, 3, V704, "rural", 31);
	person(db, 31, 3, V704, "赵兵", "head", "1960-08-01", "active");
	tag(db, 31, "entitled_veteran", V704);
	person(db, 32, 3, V704, "赵离", "child", "1990-08-01", "removed");
	tag(db, 32, "unemployment_insurance", V704);
	/* 奎文区: an urban 特困 person */
	household(db, 4, V705, "urban", 41);
	person(db, 41, 4, V705, "孙独", "head", "1945-03-03", "active");
	kase(db, 6, "tekun", 4, 41, V705, "370705", "urban", "6228480000000000103");
	return db;
}

static int set_index(struct db *db, const struct actor *a, const char *month, int cpi, int food,
		     const char *published, struct err *e)
{
	return price_index_set(db, a, month, cpi, food, published, "", NULL, e);
}

static int generate(struct db *db, const struct actor *a, const char *month,
		    struct price_generate_result *r, struct err *e)
{
	return price_generate(db, a, month, NULL, NULL, r, e);
}

static struct price_generate_result res;

TEST(only_the_city_enters_indices_checked_and_with_history)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct actor leader = testactor_user(db, "leader", "leader", "3707");
	struct price_index x;
	struct err e;
	CHECK_EQ_INT(set_index(db, &c704, "2020-03", 430, 1830, "2020-04-10", &e), -1);
	CHECK_EQ_INT(e.status, 403); /* policy.write, but not the whole city */
	CHECK_EQ_INT(set_index(db, &leader, "2020-03", 430, 1830, "2020-04-10", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(set_index(db, &admin, "2020-3", 430, 1830, "2020-04-10", &e), -1);
	CHECK_EQ_STR(e.field, "month");
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 10001, 1830, "2020-04-10", &e), -1);
	CHECK_EQ_STR(e.field, "cpi_bp");
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, -5001, "2020-04-10", &e), -1);
	CHECK_EQ_STR(e.field, "food_cpi_bp");
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-03-31", &e), -1);
	CHECK_EQ_STR(e.field, "published_on"); /* before the month was over */
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-31", &e), -1);
	CHECK_EQ_STR(e.field, "published_on");
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2999-01-01", &e), -1);
	CHECK_EQ_STR(e.field, "published_on"); /* in the future */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_indices"), 0);
	CHECK_EQ_INT(price_index_get(db, "2020-03", &x, &e), 0);
	/* a typing error, then the correction: both kept, the latest in force */
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 340, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(price_index_get(db, "2020-03", &x, &e), 1);
	CHECK_EQ_INT(x.cpi_bp, 430);
	CHECK_EQ_STR(x.set_by, "admin");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'price.index'"), 2);
	struct price_month *m;
	int n;
	CHECK_EQ_INT(price_months(db, &leader, &m, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(m[0].nhistory, 2);
	CHECK_EQ_INT(m[0].history[1].cpi_bp, 340);
	CHECK_EQ_INT(m[0].city.triggered, 1);
	CHECK_EQ_INT(m[0].city.rise_bp, 430);
	/* 20 working days after Friday 2020-04-10: Sunday 04-26 and Saturday 05-09 are working
	 * days, 05-01..05-05 a holiday */
	CHECK_EQ_STR(m[0].due_on, "2020-05-11");
	price_months_release(m, n);
	db_close(db);
}

TEST(one_subsidy_per_eligible_person_whatever_groups_they_are_in)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct err e;
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	/* 王大 王二 王三 (低保), 李老 (特困), 赵兵 (veteran), 孙独 (特困); not 赵离 (removed) */
	CHECK_EQ_INT(res.added, 6);
	CHECK_EQ_INT(res.eligible, 6);
	/* urban 61 × 3 (低保) + 61 (孙独) ; rural 39 (李老) + 39 (赵兵) */
	CHECK_EQ_INT(res.added_fen, 6100 * 4 + 3900 * 2);
	CHECK_EQ_INT(res.no_account, 1); /* 赵兵 */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_subsidies WHERE person_id = 12"), 1);
	CHECK_EQ_INT(q(db, "SELECT groups = 'dibao,orphan' FROM price_subsidies WHERE person_id = 12"), 1);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM price_subsidies WHERE person_id = 21"), 3900);
	CHECK_EQ_INT(q(db, "SELECT standard_per = 'year' AND standard_fen = 540000 AND rise_bp = 430 "
			   "AND multiplier_bp = 20000 FROM price_subsidies WHERE person_id = 21"), 1);
	CHECK_EQ_INT(q(db, "SELECT due_on = '2020-05-11' FROM price_subsidies WHERE person_id = 41"), 1);
	CHECK_EQ_INT(q(db, "SELECT bank_account = '6228480000000000101' FROM price_subsidies "
			   "WHERE person_id = 13"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'price.generate'"), 1);
	/* again: nothing added, nothing changed */
	int64_t before = q(db, "SELECT sum(id * amount_fen) FROM price_subsidies");
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	CHECK_EQ_INT(res.added, 0);
	CHECK_EQ_INT(res.existing, 6);
	CHECK_EQ_INT(q(db, "SELECT sum(id * amount_fen) FROM price_subsidies"), before);
	/* a person who joins a group later is added by generating again; the others stay */
	household(db, 5, V705, "urban", 51);
	person(db, 51, 5, V705, "周工", "head", "1985-01-01", "active");
	tag(db, 51, "unemployment_insurance", V705);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	CHECK_EQ_INT(res.added, 1);
	CHECK_EQ_INT(res.existing, 6);
	db_close(db);
}

TEST(a_month_that_does_not_trigger_or_has_no_index_writes_nothing)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor town = testactor_user(db, "t704008", "township_assistant", "370704008");
	struct err e;
	CHECK_EQ_INT(generate(db, &admin, "2020-02", &res, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "index_missing");
	/* February: far above the triggers, but the mechanism is in force from March only */
	CHECK_EQ_INT(set_index(db, &admin, "2020-02", 520, 2190, "2020-03-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-02", &res, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "not_triggered");
	CHECK(strstr(e.message, "未启用") != NULL);
	/* July 2020 (the mechanism on): CPI 2.7 %, food 5.9 %: below both triggers */
	CHECK_EQ_INT(set_index(db, &admin, "2020-07", 270, 590, "2020-08-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-07", &res, &e), -1);
	CHECK_EQ_STR(e.code, "not_triggered");
	CHECK_EQ_INT(generate(db, &town, "2020-07", &res, &e), -1);
	CHECK_EQ_INT(e.status, 403); /* no payroll permission */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_subsidies"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'price.generate'"), 0);
	db_close(db);
}

TEST(orphans_are_eligible_in_march_to_june_only_and_amounts_follow_the_month)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct err e;
	/* a registry orphan outside any roll, rural */
	household(db, 6, V704, "rural", 61);
	person(db, 61, 6, V704, "钱孤", "head", "2012-01-01", "active");
	tag(db, 61, "orphan", V704);
	/* August 2020 (doubling over, orphans no longer eligible): CPI 2.4 %, food 11.2 % */
	CHECK_EQ_INT(set_index(db, &admin, "2020-08", 240, 1120, "2020-09-09", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-08", &res, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_subsidies WHERE person_id = 61"), 0);
	/* urban 710 × 2.4 % = 17.04 → 17; rural 450 × 2.4 % = 10.80 → 11 */
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM price_subsidies WHERE person_id = 11"), 1700);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM price_subsidies WHERE person_id = 21"), 1100);
	/* May 2020 (doubled, orphans eligible): 450 × 2.4 % × 2 = 21.60 → 22 */
	CHECK_EQ_INT(set_index(db, &admin, "2020-05", 240, 1060, "2020-06-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-05", &res, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM price_subsidies WHERE person_id = 61"), 2200);
	/* a unit of its own: 坊子区 rounds to the jiao and puts rural residents on the urban
	 * standard from June: 710 × 2.5 % × 2 = 35.50 for everyone there; 奎文区 stays 36 */
	param(db, "370704", "price_rounding_fen", 10, "2020-06");
	param(db, "370704", "price_rural_on_urban_standard", 1, "2020-06");
	CHECK_EQ_INT(set_index(db, &admin, "2020-06", 250, 1110, "2020-07-09", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-06", &res, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(DISTINCT amount_fen) FROM price_subsidies WHERE "
			   "month = '2020-06' AND unit_code = '370704'"), 1);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM price_subsidies WHERE month = '2020-06' "
			   "AND person_id = 21"), 3550);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM price_subsidies WHERE month = '2020-06' "
			   "AND person_id = 41"), 3600);
	/* the index of a generated month cannot change any more */
	CHECK_EQ_INT(set_index(db, &admin, "2020-06", 260, 1110, "2020-07-09", &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "month_generated");
	db_close(db);
}

static int64_t subsidy_payments(struct db *db, int64_t person)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM payments p JOIN price_subsidies s ON "
				  "s.id = -p.case_id WHERE p.program = 'price_subsidy' AND "
				  "p.reissue_of IS NULL AND s.person_id = %lld", (long long)person);
	return q(db, sql);
}

TEST(the_payroll_pays_each_subsidy_exactly_once_whichever_run_or_unit)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	struct payroll_run_result r;
	struct payroll_run_info info;
	struct err e;
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	/* the April run of 坊子区: its 低保 and 特困 allowances, and the subsidies of 王大 王二 王三
	 * 李老 — not 赵兵's (no account yet) */
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-04", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(payroll_run_get(db, &c704, r.run_id, &info, &e), 0);
	int pi = payroll_program_index("price_subsidy");
	CHECK_EQ_INT(pi, 4);
	CHECK_EQ_INT(info.programs[pi].n_payments, 4);
	CHECK_EQ_INT(info.programs[pi].amount_fen, 6100 * 3 + 3900);
	CHECK_EQ_INT(info.programs[0].n_payments, 1); /* the 低保 household's allowance */
	CHECK_EQ_INT(subsidy_payments(db, 31), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program = 'price_subsidy' AND "
			   "month = '2020-03' AND run_id IN (SELECT id FROM payroll_runs WHERE "
			   "month = '2020-04')"), 4);
	/* the account is recorded; recomputing the draft pays him too, and nobody twice */
	CHECK_EQ_INT(price_account_set(db, &c704, 31, "", "社会保障卡", "6230 0000 0000 0031", &e), 0);
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-04", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(subsidy_payments(db, 31), 1);
	CHECK_EQ_INT(q(db, "SELECT bank_account = '6230000000000031' FROM payments WHERE "
			   "beneficiary_id = 31"), 1);
	CHECK_EQ_INT(subsidy_payments(db, 11), 1);
	CHECK_EQ_INT(payroll_confirm(db, &c704, r.run_id, &e), 0);
	/* another unit's run never pays 坊子区's; 奎文区 pays its own in its own run */
	CHECK_EQ_INT(payroll_run(db, &c705, "2020-04", "370705", NULL, &r, &e), 0);
	CHECK_EQ_INT(subsidy_payments(db, 41), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program = 'price_subsidy' AND "
			   "unit_code = '370705'"), 1);
	/* the next months and the whole city's runs: nothing paid again */
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-05", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 2); /* the two allowances, no subsidy */
	CHECK_EQ_INT(payroll_run_all(db, &admin, "2020-06", NULL, NULL, NULL, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program = 'price_subsidy' AND "
			   "reissue_of IS NULL"), 6);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_subsidies"), 6);
	/* a run of a month before the subsidy's does not pay it */
	db_close(db);
}

TEST(an_earlier_month_run_does_not_pay_a_later_subsidy_and_changes_ignore_subsidies)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct payroll_changes ch;
	struct err e;
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-02", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program = 'price_subsidy'"), 0);
	CHECK_EQ_INT(payroll_confirm(db, &c704, r.run_id, &e), 0);
	/* the March run pays March's subsidies (a subsidy is payable from its own month on) */
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-03", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program = 'price_subsidy'"), 4);
	CHECK_EQ_INT(payroll_run_changes(db, &c704, r.run_id, &ch, &e), 0);
	CHECK_EQ_INT(ch.n_new[4], 0); /* one-off subsidies are not roll changes */
	CHECK_EQ_INT(ch.n_new[0] + ch.n_new[1] + ch.n_ended[0] + ch.n_changed[0], 0);
	payroll_changes_release(&ch);
	db_close(db);
}

TEST(a_returned_subsidy_is_reissued_once_with_the_persons_own_details)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct payroll_returns_result rr;
	struct err e;
	char ref[24], csv[128];
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-04", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(payroll_confirm(db, &c704, r.run_id, &e), 0);
	/* 李老's subsidy (39.00) comes back. Its id (4: subsidies are numbered in person order)
	 * is also the id of the 低保 case of 王大's household; its payment's case_id is −4, and the
	 * re-issue must keep 李老's own account, never take the bank details of case 4 */
	CHECK_EQ_INT(q(db, "SELECT id FROM price_subsidies WHERE person_id = 21"), 4);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE program = 'price_subsidy' AND "
			   "case_id = -4"), 1);
	int64_t pid = q(db, "SELECT p.id FROM payments p JOIN price_subsidies s ON s.id = -p.case_id "
			    "WHERE p.program = 'price_subsidy' AND s.person_id = 21");
	payroll_reference(pid, ref);
	snprintf(csv, sizeof csv, "%s,39.00,账户冻结\n", ref);
	CHECK_EQ_INT(payroll_returns_import(db, &c704, csv, strlen(csv), &rr, &e), 0);
	CHECK_EQ_INT(rr.marked, 1);
	struct price_subsidy_query sq;
	struct price_subsidy_page page;
	memset(&sq, 0, sizeof sq);
	snprintf(sq.state, sizeof sq.state, "failed");
	CHECK_EQ_INT(price_subsidies(db, &c704, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 1);
	CHECK_EQ_INT(page.n == 1 ? page.items[0].person_id : 0, 21);
	free(page.items);
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-05", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_reissues, 1);
	CHECK_EQ_INT(r.reissue_fen, 3900);
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-05", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE reissue_of IS NOT NULL"), 1);
	CHECK_EQ_INT(q(db, "SELECT bank_account = '6228480000000000102' AND beneficiary_id = 21 FROM "
			   "payments WHERE reissue_of IS NOT NULL"), 1);
	CHECK_EQ_INT(payroll_confirm(db, &c704, r.run_id, &e), 0);
	snprintf(sq.state, sizeof sq.state, "paid");
	CHECK_EQ_INT(price_subsidies(db, &c704, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 4);
	free(page.items);
	db_close(db);
}

TEST(states_the_late_list_and_scope)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	struct actor town = testactor_user(db, "t704008", "township_assistant", "370704008");
	struct payroll_run_result r;
	struct price_subsidy_query sq;
	struct price_subsidy_page page;
	struct err e;
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	memset(&sq, 0, sizeof sq);
	snprintf(sq.state, sizeof sq.state, "late");
	snprintf(sq.as_of, sizeof sq.as_of, "2020-05-11"); /* the due day itself: not late yet */
	CHECK_EQ_INT(price_subsidies(db, &admin, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 0);
	free(page.items);
	snprintf(sq.as_of, sizeof sq.as_of, "2020-05-12");
	CHECK_EQ_INT(price_subsidies(db, &admin, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 6);
	CHECK_EQ_INT(page.total_fen, 6100 * 4 + 3900 * 2);
	free(page.items);
	/* 坊子区 pays (a draft is pending, still late); confirmed, only 赵兵 and 孙独 are late */
	CHECK_EQ_INT(payroll_run(db, &c704, "2020-04", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(price_subsidies(db, &admin, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 6);
	free(page.items);
	CHECK_EQ_INT(payroll_confirm(db, &c704, r.run_id, &e), 0);
	CHECK_EQ_INT(price_subsidies(db, &admin, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 2);
	free(page.items);
	snprintf(sq.state, sizeof sq.state, "no_account");
	CHECK_EQ_INT(price_subsidies(db, &admin, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 1);
	CHECK_EQ_INT(page.n == 1 ? page.items[0].person_id : 0, 31);
	CHECK_EQ_INT(page.n == 1 ? page.items[0].has_account : 1, 0);
	free(page.items);
	/* scope: 奎文区 sees its one; a township of 坊子区 none of 奎文区's; a foreign region is 404 */
	memset(&sq, 0, sizeof sq);
	CHECK_EQ_INT(price_subsidies(db, &c705, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 1);
	CHECK_EQ_INT(page.n == 1 ? page.items[0].person_id : 0, 41);
	CHECK_EQ_INT(page.n == 1 ? strcmp(page.items[0].state, "unpaid") : 1, 0);
	free(page.items);
	CHECK_EQ_INT(price_subsidies(db, &town, &sq, &page, &e), 0);
	for (int i = 0; i < page.n; i++)
		CHECK(strncmp(page.items[i].region_code, "370704008", 9) == 0);
	free(page.items);
	snprintf(sq.region, sizeof sq.region, "370705");
	CHECK_EQ_INT(price_subsidies(db, &c704, &sq, &page, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	memset(&sq, 0, sizeof sq);
	snprintf(sq.state, sizeof sq.state, "gone");
	CHECK_EQ_INT(price_subsidies(db, &c704, &sq, &page, &e), -1);
	CHECK_EQ_STR(e.field, "state");
	/* paid items carry the run and the day */
	memset(&sq, 0, sizeof sq);
	snprintf(sq.state, sizeof sq.state, "paid");
	CHECK_EQ_INT(price_subsidies(db, &c704, &sq, &page, &e), 0);
	CHECK_EQ_INT(page.total, 4);
	CHECK(page.n > 0 && strcmp(page.items[0].paid_month, "2020-04") == 0 && page.items[0].paid_on[0]);
	CHECK(page.n > 0 && page.items[0].id_number_masked[0] && strchr(page.items[0].id_number_masked, '*'));
	free(page.items);
	/* the county's generation covers its own unit only */
	struct price_month *m;
	int n;
	CHECK_EQ_INT(price_months(db, &c705, &m, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(m[0].generated, 1); /* figures in 奎文区's scope */
	CHECK_EQ_INT(m[0].unpaid, 1);
	price_months_release(m, n);
	db_close(db);
}

TEST(a_county_generates_for_its_own_unit_and_accounts_need_scope)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin", "city_admin", "3707");
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	char township[10];
	snprintf(township, sizeof township, "%.9s", V704); /* the fixture's township */
	struct actor town = testactor_user(db, "t704", "township_assistant", township);
	struct err e;
	CHECK_EQ_INT(set_index(db, &admin, "2020-03", 430, 1830, "2020-04-10", &e), 0);
	CHECK_EQ_INT(generate(db, &c705, "2020-03", &res, &e), 0);
	CHECK_EQ_INT(res.added, 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_subsidies WHERE unit_code <> '370705'"), 0);
	CHECK_EQ_INT(generate(db, &admin, "2020-03", &res, &e), 0);
	CHECK_EQ_INT(res.added, 5);
	CHECK_EQ_INT(res.existing, 1);
	/* accounts: a person outside the scope is 404, bad numbers 400, nothing written */
	CHECK_EQ_INT(price_account_set(db, &c705, 31, "", "社会保障卡", "6230000000000031", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(price_account_set(db, &admin, 31, "", "社会保障卡", "6230-0000", &e), -1);
	CHECK_EQ_STR(e.field, "bank_account");
	CHECK_EQ_INT(price_account_set(db, &admin, 31, "", "", "6230000000000031", &e), -1);
	CHECK_EQ_STR(e.field, "bank_name");
	CHECK_EQ_INT(price_account_set(db, &admin, 32, "", "社会保障卡", "6230000000000032", &e), -1);
	CHECK_EQ_INT(e.status, 404); /* removed from the registry */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM price_accounts"), 0);
	CHECK_EQ_INT(price_account_set(db, &town, 31, "赵兵", "社会保障卡", "6230000000000031", &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'price.account' "
			   "AND detail NOT LIKE '%6230000000000031%'"), 1);
	db_close(db);
}

UNIT_MAIN(only_the_city_enters_indices_checked_and_with_history,
	  one_subsidy_per_eligible_person_whatever_groups_they_are_in,
	  a_month_that_does_not_trigger_or_has_no_index_writes_nothing,
	  orphans_are_eligible_in_march_to_june_only_and_amounts_follow_the_month,
	  the_payroll_pays_each_subsidy_exactly_once_whichever_run_or_unit,
	  an_earlier_month_run_does_not_pay_a_later_subsidy_and_changes_ignore_subsidies,
	  a_returned_subsidy_is_reissued_once_with_the_persons_own_details,
	  states_the_late_list_and_scope, a_county_generates_for_its_own_unit_and_accounts_need_scope)
