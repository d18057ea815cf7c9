/* test_crosscheck.c — the death cross-check against a fresh database, with the real entitlements
 * and the real payroll: a 低保 member and a 特困 person die in the same month; their next payroll
 * leaves them out, and the payment made after death appears as an overpayment with the exact
 * amount; the recovery workflow; the monthly report; scope; recording twice changes nothing; no
 * price subsidy for a month after death (neither for a recipient nor for a tagged veteran).
 *
 * Parameters: the demo city's (policy_load_demo_defaults): urban 低保 standard 710.00/month, no
 * uplift for members aged 39 and 40; 特困 basic 1.3 × 710.00 = 923.00, centralised self-care
 * 989.00/year ÷ 12 = 82.42 → 1,005.42 a month.
 * Village 370704001001 (坊子区, unit 370704); 奎文区 (370705) for the other county. */
#include "assistance/assistance.h"
#include "core/idnum.h"
#include "crosscheck/crosscheck.h"
#include "funeral/funeral.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "price/price.h"
#include "testactor.h"
#include "testdb.h"
#include "unit.h"

#include <string.h>

#define V_FZ "370704001001"

static void exec(struct db *db, const char *sql)
{
	struct err e;
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "exec: %s\n%s\n", e.message, sql);
		abort();
	}
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

/* A valid ID number born on birth (YYYYMMDD) with sequence seq. */
static void idn(const char *birth, int seq, char out[19])
{
	snprintf(out, 19, "370704%s%03d", birth, seq);
	out[17] = idnum_check_char(out);
	out[18] = '\0';
}

static int64_t person(struct db *db, int64_t hid, const char *relation, const char *birth8,
		      const char *birth, int seq, const char *name)
{
	struct err e;
	char id[19], rev[19];
	idn(birth8, seq, id);
	for (int i = 0; i < 18; i++)
		rev[i] = id[17 - i];
	rev[18] = '\0';
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO persons(household_id, region_code, id_number, id_rev, name, relation, sex, "
	    "birth_date, status, created_at, updated_at) SELECT ?1, region_code, ?2, ?3, ?4, ?5, "
	    "'male', ?6, 'active', '2019-01-01', '2019-01-01' FROM households WHERE id = ?1",
	    &e);
	db_bind_int(st, 1, hid);
	db_bind_text(st, 2, id);
	db_bind_text(st, 3, rev);
	db_bind_text(st, 4, name);
	db_bind_text(st, 5, relation);
	db_bind_text(st, 6, birth);
	if (db_run(st, &e) < 0)
		abort();
	return db_last_id(db);
}

static int64_t household(struct db *db)
{
	struct err e;
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO households(region_code, residence_type, created_at, "
					"updated_at) VALUES ('" V_FZ "', 'urban', 'x', 'x')",
					&e);
	if (db_run(st, &e) < 0)
		abort();
	return db_last_id(db);
}

static int64_t kase(struct db *db, const char *program, int64_t hid, int64_t pid)
{
	char sql[800];
	snprintf(sql, sizeof sql,
		 "INSERT INTO assistance_cases(program, household_id, person_id, region_code, "
		 "unit_code, residence_type, status, applied_at, start_month, monthly_amount_fen, "
		 "support_form, adl_mask, bank_name, bank_account, created_at, updated_at) VALUES "
		 "('%s', %lld, %s, '" V_FZ "', '370704', 'urban', 'active', '2019-06-01', '2020-01', "
		 "0, '%s', 0, '农商银行', '6228480000000000001', 'x', 'x')",
		 program, (long long)hid, pid ? "NULL" : "NULL",
		 strcmp(program, "tekun") == 0 ? "centralised" : "");
	exec(db, sql);
	int64_t id = db_last_id(db);
	if (pid) {
		snprintf(sql, sizeof sql, "UPDATE assistance_cases SET person_id = %lld WHERE id = %lld",
			 (long long)pid, (long long)id);
		exec(db, sql);
	}
	return id;
}

struct world {
	struct db *db;
	struct actor county, funeral, other;
	int64_t head, spouse, old, dibao, tekun;
	char spouse_id[19], old_id[19];
};

/* Payroll of month for 坊子区, computed and confirmed (paid). */
static void pay(struct world *w, const char *month)
{
	struct payroll_run_result r;
	struct err e;
	if (payroll_run(w->db, &w->county, month, "370704", NULL, &r, &e) < 0 ||
	    payroll_confirm(w->db, &w->county, r.run_id, &e) < 0) {
		fprintf(stderr, "payroll %s: %s\n", month, e.message);
		abort();
	}
}

static void setup(struct world *w)
{
	struct actor sys;
	struct err e;
	memset(w, 0, sizeof *w);
	w->db = testdb_open();
	exec(w->db,
	     "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	     " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	     " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	     " ('370704001', '凤凰街道', 4, '370704', '370704'),"
	     " ('370704001001', '凤凰村', 5, '370704001', '370704');"
	     "INSERT INTO units(code, name, kind, city_code) VALUES"
	     " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707');"
	     "INSERT INTO institutions(id, name, type, region_code, unit_code, area_code, opened_on,"
	     " created_at, created_by, updated_at) VALUES (1, '坊子区殡仪馆', 'funeral_home',"
	     " '370704', '370704', '370704', '2000-01-01', 'x', 'x', 'x');");
	actor_system(&sys);
	if (policy_load_demo_defaults(w->db, &sys, &e) < 0)
		abort();
	w->county = testactor_user(w->db, "c704", "county_staff", "370704");
	w->funeral = testactor_user(w->db, "fwk", "funeral_worker", "3707");
	w->other = testactor_user(w->db, "c705", "county_staff", "370705");
	/* a 低保 household of two (urban, no income): 2 × 710.00 = 1,420.00 */
	int64_t h = household(w->db);
	w->head = person(w->db, h, "head", "19800101", "1980-01-01", 11, "赵大");
	w->spouse = person(w->db, h, "spouse", "19810101", "1981-01-01", 22, "钱二");
	idn("19810101", 22, w->spouse_id);
	char sql[200];
	snprintf(sql, sizeof sql, "UPDATE households SET head_person_id = %lld WHERE id = %lld",
		 (long long)w->head, (long long)h);
	exec(w->db, sql);
	w->dibao = kase(w->db, "dibao", h, 0);
	/* a 特困 person, centralised, self-care: 1,005.42 */
	int64_t h2 = household(w->db);
	w->old = person(w->db, h2, "head", "19400101", "1940-01-01", 33, "孙老");
	idn("19400101", 33, w->old_id);
	w->tekun = kase(w->db, "tekun", h2, w->old);
}

/* Both die in February 2020: the spouse's body at the funeral home, the 特困 person on a
 * health department's list. */
static void deaths(struct world *w)
{
	struct err e;
	struct funeral_body_in in;
	memset(&in, 0, sizeof in);
	in.institution_id = 1;
	snprintf(in.id_number, sizeof in.id_number, "%s", w->spouse_id);
	snprintf(in.name, sizeof in.name, "钱二");
	snprintf(in.died_on, sizeof in.died_on, "2020-02-10");
	snprintf(in.source, sizeof in.source, "home");
	snprintf(in.cause, sizeof in.cause, "other");
	int64_t id;
	if (funeral_body_create(w->db, &w->funeral, &in, "2020-04-01", &id, &e) < 0) {
		fprintf(stderr, "body: %s\n", e.message);
		abort();
	}
	if (db_begin_write(w->db, &e) < 0 ||
	    crosscheck_death_record(w->db, &w->county, w->old_id, "2020-02-20", "import",
				    "卫生健康委", NULL, NULL, &e) != 1 ||
	    db_commit(w->db, &e) < 0) {
		fprintf(stderr, "death: %s\n", e.message);
		abort();
	}
}

static int64_t paid(struct world *w, int64_t case_id, const char *month)
{
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT coalesce(sum(amount_fen), 0) FROM payments WHERE case_id = %lld AND month = "
		 "'%s'",
		 (long long)case_id, month);
	return q(w->db, sql);
}

TEST(after_the_deaths_the_next_payroll_excludes_them_and_the_household_keeps_its_other_share)
{
	struct world w;
	setup(&w);
	pay(&w, "2020-01");
	pay(&w, "2020-02");
	CHECK_EQ_INT(paid(&w, w.dibao, "2020-02"), 142000);
	CHECK_EQ_INT(paid(&w, w.tekun, "2020-02"), 100542);
	deaths(&w);
	pay(&w, "2020-03");
	/* March: the spouse is gone (died in February), the head alone: 710.00; no 特困 */
	CHECK_EQ_INT(paid(&w, w.dibao, "2020-03"), 71000);
	CHECK_EQ_INT(paid(&w, w.tekun, "2020-03"), 0);
	char sql[200];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM payment_persons pp JOIN payments p ON p.id = pp.payment_id "
		 "WHERE p.month = '2020-03' AND pp.person_id IN (%lld, %lld)",
		 (long long)w.spouse, (long long)w.old);
	CHECK_EQ_INT(q(w.db, sql), 0);
	/* February, the month of death, was still owed and paid: no overpayment */
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM crosscheck_overpayments"), 0);
	db_close(w.db);
}

TEST(a_draft_computed_before_a_death_was_recorded_is_not_confirmed_until_computed_again)
{
	struct world w;
	struct payroll_run_result r;
	struct err e;
	setup(&w);
	pay(&w, "2020-01");
	pay(&w, "2020-02");
	CHECK_EQ_INT(payroll_run(w.db, &w.county, "2020-03", "370704", NULL, &r, &e), 0);
	deaths(&w); /* recorded while March is still a draft paying both */
	CHECK_EQ_INT(payroll_confirm(w.db, &w.county, r.run_id, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "run_stale");
	CHECK(strstr(e.message, "2 人") != NULL);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM payments WHERE month = '2020-03' AND status = 'paid'"), 0);
	/* computed again, it leaves them out and confirms */
	CHECK_EQ_INT(payroll_run(w.db, &w.county, "2020-03", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(payroll_confirm(w.db, &w.county, r.run_id, &e), 0);
	CHECK_EQ_INT(paid(&w, w.dibao, "2020-03"), 71000);
	CHECK_EQ_INT(paid(&w, w.tekun, "2020-03"), 0);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM crosscheck_overpayments"), 0);
	db_close(w.db);
}

TEST(a_payment_made_after_death_is_an_overpayment_of_the_exact_amount)
{
	struct world w;
	setup(&w);
	pay(&w, "2020-01");
	pay(&w, "2020-02");
	pay(&w, "2020-03"); /* paid before anyone knew of the deaths */
	deaths(&w);
	/* 低保 March: paid 1,420.00, owed without the spouse 710.00 → 710.00 too much;
	 * 特困 March: the whole 1,005.42 */
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM crosscheck_overpayments"), 2);
	CHECK_EQ_INT(q(w.db, "SELECT amount_fen FROM crosscheck_overpayments WHERE program = 'dibao' "
			     "AND month = '2020-03'"),
		     71000);
	CHECK_EQ_INT(q(w.db, "SELECT paid_fen FROM crosscheck_overpayments WHERE program = 'dibao'"),
		     142000);
	CHECK_EQ_INT(q(w.db, "SELECT amount_fen FROM crosscheck_overpayments WHERE program = 'tekun' "
			     "AND month = '2020-03'"),
		     100542);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM audit_log WHERE action = 'crosscheck.overpayment'"),
		     2);
	/* April's payroll leaves both out */
	pay(&w, "2020-04");
	CHECK_EQ_INT(paid(&w, w.dibao, "2020-04"), 71000);
	CHECK_EQ_INT(paid(&w, w.tekun, "2020-04"), 0);
	/* the monthly report */
	struct crosscheck_report r;
	struct err e;
	CHECK_EQ_INT(crosscheck_report_month(w.db, &w.county, "2020-02", &r, &e), 0);
	CHECK_EQ_INT(r.total.matched, 2);
	CHECK_EQ_INT(crosscheck_report_month(w.db, &w.county, "2020-03", &r, &e), 0);
	CHECK_EQ_INT(r.total.stopped, 0); /* both still paid in March */
	CHECK_EQ_INT(r.total.overpayments, 2);
	CHECK_EQ_INT(r.total.overpaid_fen, 171542);
	CHECK_EQ_INT(crosscheck_report_month(w.db, &w.county, "2020-04", &r, &e), 0);
	CHECK_EQ_INT(r.total.stopped, 2);
	CHECK_EQ_INT(r.n, 1); /* 坊子区 only */
	CHECK_EQ_STR(r.rows[0].unit_code, "370704");
	CHECK_EQ_INT(r.rows[0].stopped, 2);
	db_close(w.db);
}

TEST(recording_the_same_death_again_or_scanning_again_changes_nothing)
{
	struct world w;
	setup(&w);
	pay(&w, "2020-01");
	pay(&w, "2020-02");
	pay(&w, "2020-03");
	deaths(&w);
	struct err e;
	int64_t audits = q(w.db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(db_begin_write(w.db, &e), 0);
	CHECK_EQ_INT(crosscheck_death_record(w.db, &w.county, w.old_id, "2020-02-20", "import",
					     "卫生健康委", NULL, NULL, &e),
		     2);
	/* an ID number nobody in the registry has */
	char stranger[19];
	idn("19500101", 55, stranger);
	CHECK_EQ_INT(crosscheck_death_record(w.db, &w.county, stranger, "2020-02-20", "import",
					     "卫生健康委", NULL, NULL, &e),
		     0);
	CHECK_EQ_INT(db_commit(w.db, &e), 0);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM audit_log"), audits);
	int found = -1;
	CHECK_EQ_INT(crosscheck_scan(w.db, &w.county, &found, &e), 0);
	CHECK_EQ_INT(found, 0);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM crosscheck_overpayments"), 2);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM crosscheck_deaths"), 2);
	db_close(w.db);
}

TEST(an_overpayment_is_notified_then_recovered_or_written_off_with_a_reason)
{
	struct world w;
	setup(&w);
	pay(&w, "2020-01");
	pay(&w, "2020-02");
	pay(&w, "2020-03");
	deaths(&w);
	struct err e;
	int64_t d = q(w.db, "SELECT id FROM crosscheck_overpayments WHERE program = 'dibao'");
	int64_t t = q(w.db, "SELECT id FROM crosscheck_overpayments WHERE program = 'tekun'");
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.county, d, "notify", "", &e), 0);
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.county, d, "notify", "", &e), -1);
	CHECK_EQ_STR(e.code, "recovery_state");
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.county, d, "recover", "", &e), 0);
	CHECK_EQ_INT(q(w.db, "SELECT recovered_fen FROM crosscheck_overpayments WHERE program = "
			     "'dibao'"),
		     71000);
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.county, d, "write_off", "x", &e), -1);
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.county, t, "write_off", "", &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM crosscheck_overpayments WHERE status = 'found'"),
		     1);
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.county, t, "write_off", "继承人无力退还，经局务会研究核销", &e), 0);
	/* another county sees nothing */
	struct crosscheck_overpayment o;
	CHECK_EQ_INT(crosscheck_overpayment_get(w.db, &w.other, t, &o, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(crosscheck_overpayment_act(w.db, &w.other, t, "recover", "", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(q(w.db, "SELECT count(*) FROM audit_log WHERE action LIKE 'crosscheck.%' AND "
			     "action IN ('crosscheck.notify','crosscheck.recover','crosscheck.write_off')"),
		     3);
	struct crosscheck_report r;
	CHECK_EQ_INT(crosscheck_report_month(w.db, &w.county, "2020-03", &r, &e), 0);
	CHECK_EQ_INT(r.total.recovered, 1);
	CHECK_EQ_INT(r.total.recovered_fen, 71000);
	db_close(w.db);
}

static void stat_cb(int kind, const char *region, int64_t fen, void *ctx)
{
	int64_t *v = ctx;
	(void)region;
	v[kind]++;
	if (kind == 1)
		v[2] += fen;
}

TEST(the_statistics_count_each_dead_person_once_and_the_overpayments_of_the_period)
{
	struct world w;
	setup(&w);
	pay(&w, "2020-01");
	pay(&w, "2020-02");
	pay(&w, "2020-03");
	deaths(&w);
	struct err e;
	/* the spouse also appears on a police list: still one person */
	CHECK_EQ_INT(db_begin_write(w.db, &e), 0);
	CHECK_EQ_INT(crosscheck_death_record(w.db, &w.county, w.spouse_id, "2020-02-10", "import",
					     "公安局", NULL, NULL, &e),
		     1);
	CHECK_EQ_INT(db_commit(w.db, &e), 0);
	int64_t v[3] = {0, 0, 0};
	CHECK_EQ_INT(crosscheck_stats_each(w.db, "2020-01-01", "2020-04-26", stat_cb, v, &e), 0);
	CHECK_EQ_INT(v[0], 2);
	CHECK_EQ_INT(v[1], 2);
	CHECK_EQ_INT(v[2], 171542);
	int64_t z[3] = {0, 0, 0};
	CHECK_EQ_INT(crosscheck_stats_each(w.db, "2020-01-01", "2020-01-31", stat_cb, z, &e), 0);
	CHECK_EQ_INT(z[0] + z[1], 0);
	db_close(w.db);
}

TEST(no_price_subsidy_is_generated_for_a_month_after_death)
{
	struct world w;
	setup(&w);
	struct actor sys;
	struct err e;
	actor_system(&sys);
	/* a veteran (a price-subsidy group by the registry's tag) in the 低保 household's village */
	int64_t h = household(w.db);
	int64_t vet = person(w.db, h, "head", "19500101", "1950-01-01", 44, "李兵");
	char vet_id[19], sql[300];
	idn("19500101", 44, vet_id);
	snprintf(sql, sizeof sql,
		 "INSERT INTO person_tags(person_id, tag, region_code) VALUES (%lld, "
		 "'entitled_veteran', '" V_FZ "')",
		 (long long)vet);
	exec(w.db, sql);
	deaths(&w); /* the 低保 spouse and the 特困 person, in February */
	CHECK_EQ_INT(db_begin_write(w.db, &e), 0);
	CHECK_EQ_INT(crosscheck_death_record(w.db, &w.county, vet_id, "2020-02-05", "import",
					     "市公安局", NULL, NULL, &e),
		     1);
	CHECK_EQ_INT(db_commit(w.db, &e), 0);
	/* March 2020: CPI 4.3 % triggers the subsidy (the linkage switched on from March) */
	exec(w.db, "INSERT INTO policy_params(unit_code, residence_type, key, value, effective_from, "
		   "note, set_by, set_at) VALUES ('3707', 'all', 'price_linkage_enabled', 1, "
		   "'2020-03', '', 'test', 'x')");
	struct price_generate_result *r = malloc(sizeof *r);
	CHECK_EQ_INT(price_index_set(w.db, &sys, "2020-03", 430, 1830, "2020-04-10", "", NULL, &e), 0);
	CHECK_EQ_INT(price_generate(w.db, &sys, "2020-03", NULL, NULL, r, &e), 0);
	free(r);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM price_subsidies WHERE month = '2020-03' AND person_id IN "
		 "(%lld, %lld, %lld)",
		 (long long)w.spouse, (long long)w.old, (long long)vet);
	CHECK_EQ_INT(q(w.db, sql), 0);
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM price_subsidies WHERE month = '2020-03' AND person_id = %lld",
		 (long long)w.head);
	CHECK_EQ_INT(q(w.db, sql), 1); /* the living head still gets it */
	db_close(w.db);
}

TEST(stop_month_and_transitions_follow_the_rules)
{
	char m[8], st[16];
	struct err e;
	CHECK_EQ_INT(crosscheck_stop_month("2020-02-10", m), 0);
	CHECK_EQ_STR(m, "2020-03");
	CHECK_EQ_INT(crosscheck_stop_month("2020-12-31", m), 0);
	CHECK_EQ_STR(m, "2021-01");
	CHECK_EQ_INT(crosscheck_stop_month("2020-1-31", m), -1);
	CHECK_EQ_INT(crosscheck_prev_month("2020-01", m), 0);
	CHECK_EQ_STR(m, "2019-12");
	CHECK_EQ_INT(crosscheck_transition("found", "recover", "", st, &e), 0);
	CHECK_EQ_STR(st, "recovered");
	CHECK_EQ_INT(crosscheck_transition("written_off", "notify", "", st, &e), -1);
	CHECK_EQ_INT(crosscheck_transition("found", "pay", "", st, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
}

UNIT_MAIN(after_the_deaths_the_next_payroll_excludes_them_and_the_household_keeps_its_other_share,
	  a_draft_computed_before_a_death_was_recorded_is_not_confirmed_until_computed_again,
	  a_payment_made_after_death_is_an_overpayment_of_the_exact_amount,
	  recording_the_same_death_again_or_scanning_again_changes_nothing,
	  an_overpayment_is_notified_then_recovered_or_written_off_with_a_reason,
	  the_statistics_count_each_dead_person_once_and_the_overpayments_of_the_period,
	  no_price_subsidy_is_generated_for_a_month_after_death,
	  stop_month_and_transitions_follow_the_rules)
