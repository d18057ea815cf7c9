/* test_relief.c — temporary assistance against a real database (relief_store.c,
 * relief_reserve.c): applications by level, case decisions, once per person per cause per year,
 * working-day deadlines across weekends and holidays (the calendar module's 2020 data: the
 * Spring Festival extended to 2 February, Qingming 4–6 April, Labour Day 1–5 May with 9 May
 * worked), pay-first from the township reserve, refusals recorded as replenishment needs, the
 * overdue lists, returns, reconciliation, scope (404) and permission (403), the report totals,
 * the caller's transaction, and two grants racing on two connections for the last balance.
 *
 * Parameters: the demo city's (urban standard 710.00 a month: maximum 7,100.00, emergency
 * minimum 1,420.00; township limit 1,000.00; papers 5 working days, decision 15). Villages
 * 370704008231 (township 370704008, zone 370791) and 370704009001 (township 370704009, county
 * 370704), 370705001001 (county 370705); persons are written with SQL.
 */
#include "audit/audit.h"
#include "demo/demo.h"
#include "policy/policy.h"
#include "relief/relief.h"
#include "testdb.h"
#include "unit.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define V_XS "370704008231"
#define V_FZ "370704009001"
#define V_KW "370705001001"

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

static void seed(struct db *db)
{
	struct actor sys;
	struct err e;
	exec(
	    db,
	    "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	    " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	    " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	    " ('370704008', '太保庄街道', 4, '370704', '370791'),"
	    " ('370704009', '坊安街道', 4, '370704', '370704'),"
	    " ('370705001', '东关街道', 4, '370705', '370705'),"
	    " ('370704008231', '栾家山后村', 5, '370704008', '370791'),"
	    " ('370704009001', '坊安社区', 5, '370704009', '370704'),"
	    " ('370705001001', '东关村', 5, '370705001', '370705');"
	    "INSERT INTO units(code, name, kind, city_code) VALUES"
	    " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707'),"
	    " ('370791', '峡山生态经济开发区', 'zone', '3707');");
	actor_system(&sys);
	if (policy_load_demo_defaults(db, &sys, &e) < 0)
		abort();
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	seed(db);
	return db;
}

static int serial;

/* A person in a household of the village ('urban'); returns the person id. */
static int64_t person(struct db *db, const char *village)
{
	char sql[700];
	snprintf(sql, sizeof sql,
		 "INSERT INTO households(region_code, residence_type, created_at, updated_at) "
		 "VALUES ('%s', 'urban', '2019-01-01', '2019-01-01')",
		 village);
	exec(db, sql);
	int64_t hid = db_last_id(db);
	serial++;
	snprintf(
	    sql, sizeof sql,
	    "INSERT INTO persons(household_id, region_code, id_number, id_rev, name, relation, "
	    "sex, birth_date, status, created_at, updated_at) VALUES (%lld, '%s', "
	    "'37070419600101%04d', 'x%d', '王%d', 'head', 'female', '1960-01-01', 'active', "
	    "'2019-01-01', '2019-01-01')",
	    (long long)hid, village, serial, serial, serial);
	exec(db, sql);
	int64_t pid = db_last_id(db);
	snprintf(sql, sizeof sql, "UPDATE households SET head_person_id = %lld WHERE id = %lld",
		 (long long)pid, (long long)hid);
	exec(db, sql);
	return pid;
}

/* ---- actors (permissions as roles.c gives them) ---- */

#define READ (PERM_LOGIN | PERM_ASSISTANCE_READ | PERM_POLICY_READ)
#define WRITE (READ | PERM_ASSISTANCE_WRITE)
#define APPROVE (WRITE | PERM_ASSISTANCE_APPROVE)

static struct actor actor_of(const char *role, const char *region, uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 9;
	snprintf(a.username, sizeof a.username, "%s_%s", role, region);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], REGION_CODE_MAX, "%s", region);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

static struct actor town(void)
{
	return actor_of("township_assistant", "370704008", WRITE);
}
static struct actor village(void)
{
	return actor_of("village_worker", V_XS, WRITE);
}
static struct actor county(void)
{
	return actor_of("county_staff", "370704", APPROVE);
}
static struct actor other_county(void)
{
	return actor_of("county_staff", "370705", APPROVE);
}
static struct actor leader(void)
{
	return actor_of("leader", "3707", READ);
}

static struct relief_apply_in emergency(int64_t pid, int64_t fen, int pay_first)
{
	struct relief_apply_in in = {
	    .person_id = pid,
	    .kind = "emergency",
	    .cause = "epidemic_isolation",
	    .amount_fen = fen,
	    .form = "cash",
	    .goods_note = "",
	    .applied_by = "village_worker",
	    .source_ref = "",
	    .pay_first = pay_first,
	    .reason = "居家隔离，家中断粮",
	};
	return in;
}

static struct relief_apply_in expense(int64_t pid, int64_t fen)
{
	struct relief_apply_in in = {
	    .person_id = pid,
	    .kind = "expense",
	    .cause = "medical",
	    .amount_fen = fen,
	    .form = "cash",
	    .goods_note = "",
	    .applied_by = "self",
	    .source_ref = "",
	    .pay_first = 0,
	    .reason = "住院自付费用",
	};
	return in;
}

static int64_t apply_on(struct db *db, const struct actor *a, const struct relief_apply_in *in,
			const char *on)
{
	struct err e;
	int64_t id = 0;
	if (relief_apply_on(db, a, in, on, &id, &e) < 0) {
		fprintf(stderr, "  apply: %s (%s)\n", e.message, e.code);
		return 0;
	}
	return id;
}

static struct relief_grant get(struct db *db, int64_t id)
{
	struct relief_grant g;
	struct actor sys;
	struct err e;
	actor_system(&sys);
	memset(&g, 0, sizeof g);
	if (relief_grant_get(db, &sys, id, &g, NULL, NULL, NULL, &e) < 0)
		fprintf(stderr, "  get %lld: %s\n", (long long)id, e.message);
	return g;
}

static int64_t reserve(struct db *db, const char *township, int64_t fen)
{
	struct actor c = county();
	struct err e;
	int64_t id = 0;
	if (relief_reserve_add(db, &c, township, "allocation", fen, "2020-01-02", "年度备用金", &id,
			       &e) < 0)
		fprintf(stderr, "  reserve: %s\n", e.message);
	return id;
}

static struct relief_step_in on(const char *day, const char *note)
{
	struct relief_step_in s = {.on = day, .note = note};
	return s;
}

/* ------------------------------------------------------------------------------------------ */

TEST(levels_township_within_its_limit_county_above)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct err e;
	int64_t p1 = person(db, V_XS), p2 = person(db, V_XS);
	struct relief_apply_in in = expense(p1, 100000); /* 1,000.00: the township's */
	int64_t small = apply_on(db, &t, &in, "2020-03-02");
	in = expense(p2, 100100);
	int64_t big = apply_on(db, &t, &in, "2020-03-02");
	CHECK(small > 0 && big > 0);
	struct relief_grant g = get(db, small);
	CHECK_EQ_STR(g.level, "township");
	CHECK_EQ_INT(g.standard_fen, 71000);
	CHECK_EQ_INT(g.max_fen, 710000);
	CHECK_EQ_STR(get(db, big).level, "county");
	struct relief_step_in s = on("2020-03-03", "同意");
	CHECK_EQ_INT(relief_approve(db, &t, small, &s, &e), 0);
	CHECK_EQ_INT(relief_approve(db, &t, big, &s, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_STR(get(db, big).decision, "pending");
	CHECK_EQ_INT(relief_approve(db, &c, big, &s, &e), 0);
	g = get(db, big);
	CHECK_EQ_STR(g.decision, "approved");
	CHECK_EQ_STR(g.decided_by, "county_staff_370704");
	CHECK_EQ_STR(g.decided_on, "2020-03-03");
	/* paid: counted in the report by the payment day */
	s = on("2020-03-04", NULL);
	CHECK_EQ_INT(relief_pay(db, &t, small, &s, &e), 0);
	CHECK_EQ_INT(relief_pay(db, &t, small, &s, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	struct relief_totals tot;
	struct actor sys;
	actor_system(&sys);
	CHECK_EQ_INT(
	    relief_report_totals(db, &sys.scope, "2020-03", "2020-03", NULL, NULL, &tot, &e), 0);
	CHECK_EQ_INT(tot.person_times, 1);
	CHECK_EQ_INT(tot.amount_fen, 100000);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'relief.%'"), 5);
	db_close(db);
}

TEST(above_the_maximum_only_with_a_case_decision_attached)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct err e;
	int64_t p = person(db, V_XS);
	struct relief_apply_in in = emergency(p, 1200000, 0); /* 12,000 > 7,100 */
	in.cause = "fire";
	int64_t id = apply_on(db, &t, &in, "2020-03-02");
	CHECK(id > 0);
	CHECK_EQ_INT(get(db, id).needs_decision, 1);
	struct relief_step_in s = on("2020-03-05", "同意");
	CHECK_EQ_INT(relief_approve(db, &c, id, &s, &e), -1);
	CHECK_EQ_STR(e.code, "decision_required");
	struct relief_step_in d = {.on = "2020-03-04",
				   .participants = "局长、分管副局长、救助科长",
				   .decision = "房屋烧毁，同意一次性救助 12,000 元"};
	CHECK_EQ_INT(relief_decide_case(db, &t, id, &d, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	d.participants = "";
	CHECK_EQ_INT(relief_decide_case(db, &c, id, &d, &e), -1);
	CHECK_EQ_STR(e.field, "participants");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_decisions"), 0);
	d.participants = "局长、分管副局长、救助科长";
	CHECK_EQ_INT(relief_decide_case(db, &c, id, &d, &e), 0);
	CHECK_EQ_INT(relief_approve(db, &c, id, &s, &e), 0);
	struct relief_case_decision rec;
	struct relief_grant g;
	CHECK_EQ_INT(relief_grant_get(db, &c, id, &g, &rec, NULL, NULL, &e), 0);
	CHECK_EQ_STR(rec.decided_on, "2020-03-04");
	CHECK_EQ_STR(rec.participants, "局长、分管副局长、救助科长");
	CHECK_EQ_STR(g.decision, "approved");
	/* and no pay-first above the maximum */
	in.person_id = person(db, V_XS);
	in.pay_first = 1;
	reserve(db, "370704008", 5000000);
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-03-02", &id, &e), -1);
	CHECK_EQ_STR(e.code, "decision_required");
	CHECK_EQ_INT(q(db, "SELECT balance_fen FROM relief_reserves"), 5000000);
	db_close(db);
}

TEST(once_per_person_per_cause_per_year_unless_the_county_approves_another)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct err e;
	int64_t p = person(db, V_XS);
	reserve(db, "370704008", 1000000);
	struct relief_apply_in in = emergency(p, 150000, 1);
	int64_t first = apply_on(db, &t, &in, "2020-02-10");
	CHECK(first > 0);
	/* again, same cause, same year: not pay-first */
	int64_t id;
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-03-10", &id, &e), -1);
	CHECK_EQ_STR(e.code, "once_per_year");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants"), 1);
	/* as a normal application it is the county's, and needs its reason */
	in.pay_first = 0;
	/* (a repeat is the county's whatever the amount: test_relief_rules.c) */
	int64_t again = apply_on(db, &t, &in, "2020-03-10");
	struct relief_grant g = get(db, again);
	CHECK_EQ_INT(g.repeat_of, first);
	CHECK_EQ_STR(g.level, "county");
	struct relief_step_in s = on("2020-03-11", "");
	CHECK_EQ_INT(relief_approve(db, &c, again, &s, &e), -1);
	CHECK_EQ_STR(e.field, "note");
	s.note = "隔离期延长，县级同意再次救助";
	CHECK_EQ_INT(relief_approve(db, &c, again, &s, &e), 0);
	/* another cause, or next year: a first grant again */
	in = expense(p, 50000);
	CHECK_EQ_INT(get(db, apply_on(db, &t, &in, "2020-03-12")).repeat_of, 0);
	in = emergency(p, 150000, 0);
	CHECK_EQ_INT(get(db, apply_on(db, &t, &in, "2021-01-05")).repeat_of, 0);
	/* a refused grant does not count */
	int64_t p2 = person(db, V_XS);
	in = expense(p2, 50000);
	int64_t r = apply_on(db, &t, &in, "2020-03-02");
	s = on("2020-03-03", "收入超过标准");
	CHECK_EQ_INT(relief_refuse(db, &t, r, &s, &e), 0);
	CHECK_EQ_INT(get(db, apply_on(db, &t, &in, "2020-03-20")).repeat_of, 0);
	db_close(db);
}

TEST(deadlines_count_working_days_across_weekends_and_holidays)
{
	struct db *db = open_seeded();
	struct actor t = town();
	reserve(db, "370704008", 10000000);
	static const struct {
		const char *applied, *papers, *decision;
	} cases[] = {
	    /* Thursday before the Spring Festival, extended to 2 February: 5 working days end
	     * on Friday 7 February, 15 on Friday 21 February */
	    {"2020-01-23", "2020-02-07", "2020-02-21"},
	    /* a plain Friday: the weekend does not count */
	    {"2020-03-06", "2020-03-13", "2020-03-27"},
	    /* Friday before Qingming (4–6 April off): Tue 7 … Mon 13; the 15th working day is
	     * Sunday 26 April, worked for Labour Day */
	    {"2020-04-03", "2020-04-13", "2020-04-26"},
	    /* Labour Day: 1–5 May off, Saturday 9 May worked */
	    {"2020-04-29", "2020-05-09", "2020-05-22"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct relief_apply_in in = emergency(person(db, V_XS), 150000, 1);
		struct relief_grant g = get(db, apply_on(db, &t, &in, cases[i].applied));
		CHECK_EQ_STR(g.papers_due, cases[i].papers);
		CHECK_EQ_STR(g.decision_due, cases[i].decision);
		CHECK_EQ_STR(g.paid_on, cases[i].applied);
	}
	db_close(db);
}

TEST(pay_first_draws_from_the_reserve_and_a_short_reserve_becomes_a_replenishment_need)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county(), v = village();
	struct err e;
	int64_t p = person(db, V_XS), id = 0;
	struct relief_apply_in in = emergency(p, 150000, 1);
	/* no reserve yet: refused, recorded as a need; no grant */
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-02-10", &id, &e), -1);
	CHECK_EQ_STR(e.code, "reserve_insufficient");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants"), 0);
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM relief_needs WHERE status = 'open' AND "
		       "township_code = '370704008' AND amount_fen = 150000 AND balance_fen = 0"),
		     1);
	CHECK_EQ_INT(
	    q(db, "SELECT count(*) FROM audit_log WHERE action = 'relief.reserve_refused'"), 1);
	/* a village worker may apply but not pay first */
	CHECK_EQ_INT(relief_apply_on(db, &v, &in, "2020-02-10", &id, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	/* only the county allocates */
	CHECK_EQ_INT(relief_reserve_add(db, &t, "370704008", "allocation", 200000, "2020-02-10", "",
					NULL, &e),
		     -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(relief_reserve_add(db, &c, "370704008", "allocation", 200000, "2020-02-10", "",
					NULL, &e),
		     0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_needs WHERE status = 'met'"), 1);
	id = apply_on(db, &t, &in, "2020-02-10");
	struct relief_grant g = get(db, id);
	CHECK_EQ_STR(g.payment, "paid");
	CHECK_EQ_STR(g.paid_on, "2020-02-10");
	CHECK_EQ_STR(g.papers_due, "2020-02-17");
	CHECK_EQ_INT(q(db, "SELECT balance_fen FROM relief_reserves"), 50000);
	CHECK_EQ_INT(q(db, "SELECT balance_after_fen FROM relief_reserve_moves WHERE kind = "
			   "'disbursement'"),
		     50000);
	/* the next one finds 500.00 left for 1,500.00 */
	in = emergency(person(db, V_XS), 150000, 1);
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-02-11", &id, &e), -1);
	CHECK_EQ_STR(e.code, "reserve_insufficient");
	CHECK(strstr(e.message, "500.00") != NULL);
	CHECK_EQ_INT(q(db, "SELECT balance_fen FROM relief_reserves"), 50000);
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM relief_needs WHERE status = 'open' AND balance_fen "
		       "= 50000"),
		     1);
	int bad = -1;
	CHECK_EQ_INT(relief_reconcile(db, &c, "", NULL, NULL, &bad, &e), 0);
	CHECK_EQ_INT(bad, 0);
	db_close(db);
}

struct seen {
	int n;
	char kind[16][12];
	int64_t id[16];
	int late[16];
};

static int collect(const struct relief_overdue *o, void *ctx)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		snprintf(s->kind[s->n], 12, "%s", o->kind);
		s->id[s->n] = o->g.id;
		s->late[s->n] = o->days_late;
		s->n++;
	}
	return 0;
}

static struct seen overdue(struct db *db, const struct actor *a, const char *kind, const char *day)
{
	struct seen s;
	struct err e;
	memset(&s, 0, sizeof s);
	if (relief_overdue_list(db, a, kind, day, collect, &s, &e) < 0)
		fprintf(stderr, "  overdue: %s\n", e.message);
	return s;
}

TEST(overdue_papers_decisions_and_deliveries_as_of_a_day)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county(), k = other_county();
	struct err e;
	reserve(db, "370704008", 10000000);
	struct relief_apply_in in = emergency(person(db, V_XS), 150000, 1);
	int64_t pf = apply_on(db, &t, &in, "2020-03-06"); /* papers due Fri 2020-03-13 */
	in = expense(person(db, V_XS), 50000);
	int64_t normal = apply_on(db, &t, &in, "2020-03-06"); /* decision due 2020-03-27 */
	in = emergency(person(db, V_XS), 150000, 1);
	in.form = "goods";
	in.goods_note = "米面油一批，折价 1,500 元";
	int64_t goods = apply_on(db, &t, &in, "2020-03-06"); /* handed over by 2020-03-08 */
	CHECK_EQ_STR(get(db, goods).payment, "drawn");
	CHECK_EQ_STR(get(db, goods).deliver_by, "2020-03-08");
	CHECK_EQ_STR(get(db, goods).paid_on, "");
	/* on the due days nothing is late */
	CHECK_EQ_INT(overdue(db, &t, "", "2020-03-08").n, 0);
	/* Monday 9 March: the goods are a day late */
	struct seen s = overdue(db, &t, "", "2020-03-09");
	CHECK_EQ_INT(s.n, 1);
	CHECK_EQ_STR(s.kind[0], "deliveries");
	CHECK_EQ_INT(s.id[0], goods);
	CHECK_EQ_INT(s.late[0], 1);
	/* Monday 16 March: both pay-first papers are 1 working day late (the weekend does not
	 * count) */
	s = overdue(db, &t, "papers", "2020-03-16");
	CHECK_EQ_INT(s.n, 2);
	CHECK_EQ_INT(s.id[0], pf);
	CHECK_EQ_INT(s.late[0], 1);
	/* 30 March: decisions too (due 27 March, late by Monday's working day) */
	s = overdue(db, &t, "decisions", "2020-03-30");
	CHECK_EQ_INT(s.n, 3);
	CHECK_EQ_INT(s.id[1], normal);
	CHECK_EQ_INT(s.late[1], 1);
	/* another county sees none of it */
	CHECK_EQ_INT(overdue(db, &k, "", "2020-03-30").n, 0);
	CHECK_EQ_INT(overdue(db, &c, "", "2020-03-30").n, 6);
	/* papers in, decided, delivered: off the lists */
	struct relief_step_in st = on("2020-03-10", NULL);
	CHECK_EQ_INT(relief_papers(db, &t, pf, &st, &e), 0);
	CHECK_EQ_INT(relief_papers(db, &t, goods, &st, &e), 0);
	CHECK_EQ_INT(relief_deliver(db, &t, goods, &st, &e), 0);
	CHECK_EQ_STR(get(db, goods).paid_on, "2020-03-10");
	st.note = "同意";
	CHECK_EQ_INT(relief_approve(db, &t, normal, &st, &e), 0);
	CHECK_EQ_INT(overdue(db, &c, "", "2020-03-30").n,
		     2); /* pf and goods: decisions still due */
	CHECK_EQ_INT(relief_approve(db, &c, pf, &st, &e), 0);
	CHECK_EQ_INT(relief_approve(db, &c, goods, &st, &e), 0);
	CHECK_EQ_INT(overdue(db, &c, "", "2020-03-30").n, 0);
	st.on = "2020-03-05"; /* before the application */
	CHECK_EQ_INT(relief_pay(db, &t, normal, &st, &e), -1);
	CHECK_EQ_STR(e.field, "on");
	db_close(db);
}

TEST(a_return_puts_the_money_back_and_the_reserve_reconciles)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct err e;
	reserve(db, "370704008", 500000);
	struct relief_apply_in in = emergency(person(db, V_XS), 200000, 1);
	int64_t a = apply_on(db, &t, &in, "2020-02-10");
	in = emergency(person(db, V_XS), 150000, 1);
	int64_t b = apply_on(db, &t, &in, "2020-02-11");
	CHECK_EQ_INT(q(db, "SELECT balance_fen FROM relief_reserves"), 150000);
	struct relief_step_in s = on("2020-02-12", "");
	CHECK_EQ_INT(relief_return(db, &t, b, &s, &e), -1);
	CHECK_EQ_STR(e.field, "note");
	s.note = "当事人已获亲属接济，退回";
	CHECK_EQ_INT(relief_return(db, &t, b, &s, &e), 0);
	CHECK_EQ_STR(get(db, b).payment, "returned");
	CHECK_EQ_INT(q(db, "SELECT balance_fen FROM relief_reserves"), 300000);
	CHECK_EQ_INT(relief_return(db, &t, b, &s, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	/* a returned grant is not counted as paid, and no longer blocks the cause this year */
	struct relief_totals tot;
	CHECK_EQ_INT(relief_report_totals(db, &c.scope, "2020-01", "2020-12", NULL, NULL, &tot, &e),
		     0);
	CHECK_EQ_INT(tot.person_times, 1);
	CHECK_EQ_INT(tot.amount_fen, 200000);
	int bad = -1;
	CHECK_EQ_INT(relief_reconcile(db, &c, "", NULL, NULL, &bad, &e), 0);
	CHECK_EQ_INT(bad, 0);
	/* a balance changed behind the ledger's back, or a grant's amount: both caught */
	exec(db, "UPDATE relief_reserves SET balance_fen = balance_fen + 100");
	CHECK_EQ_INT(relief_reconcile(db, &c, "370704008", NULL, NULL, &bad, &e), 0);
	CHECK_EQ_INT(bad, 1);
	exec(db, "UPDATE relief_reserves SET balance_fen = balance_fen - 100");
	CHECK_EQ_INT(relief_reconcile(db, &c, "", NULL, NULL, &bad, &e), 0);
	CHECK_EQ_INT(bad, 0);
	char sql[128];
	snprintf(sql, sizeof sql, "UPDATE relief_grants SET amount_fen = 200100 WHERE id = %lld",
		 (long long)a);
	exec(db, sql);
	CHECK_EQ_INT(relief_reconcile(db, &c, "", NULL, NULL, &bad, &e), 0);
	CHECK_EQ_INT(bad, 1);
	/* and the table itself refuses a negative balance */
	CHECK(db_exec(db, "UPDATE relief_reserves SET balance_fen = -1", &e) < 0);
	db_close(db);
}

TEST(out_of_scope_grants_are_not_found_and_roles_are_checked)
{
	struct db *db = open_seeded();
	struct actor t = town(), k = other_county(), l = leader(), v = village();
	struct err e;
	int64_t p = person(db, V_XS), far = person(db, V_KW);
	struct relief_apply_in in = expense(p, 50000);
	int64_t id = apply_on(db, &t, &in, "2020-03-02");
	struct relief_grant g;
	CHECK_EQ_INT(relief_grant_get(db, &k, id, &g, NULL, NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct relief_step_in s = on("2020-03-03", "同意");
	CHECK_EQ_INT(relief_approve(db, &k, id, &s, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(relief_approve(db, &l, id, &s, &e), -1); /* seen, but read-only */
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(relief_approve(db, &v, id, &s, &e),
		     -1); /* a village worker does not approve */
	CHECK_EQ_INT(e.status, 403);
	in = expense(far, 50000);
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-03-02", &id, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.field, "person_id");
	in = expense(p, 50000);
	in.cause = "medical";
	in.applied_by = "neighbour";
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-03-02", &id, &e), -1);
	CHECK_EQ_STR(e.field, "applied_by");
	CHECK_EQ_INT(relief_apply_on(db, &l, &in, "2020-03-02", &id, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants"), 1);
	struct relief_reserve r;
	CHECK_EQ_INT(relief_reserve_get(db, &k, "370704008", &r, NULL, NULL, 0, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(relief_reserve_get(db, &v, "370704008", &r, NULL, NULL, 0, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(relief_reserve_get(db, &t, "370704008", &r, NULL, NULL, 0, &e), 0);
	CHECK_EQ_INT(r.balance_fen, 0);
	/* a removed person cannot be helped any more */
	exec(db, "UPDATE persons SET status = 'removed'");
	in = emergency(p, 150000, 0);
	CHECK_EQ_INT(relief_apply_on(db, &t, &in, "2020-03-02", &id, &e), -1);
	CHECK_EQ_STR(e.code, "person_removed");
	/* and bad input changed nothing: one grant, its two audit rows */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'relief.%'"), 1);
	db_close(db);
}

TEST(relief_apply_joins_the_callers_transaction)
{
	struct db *db = open_seeded();
	struct actor t = town();
	struct err e;
	int64_t id = 0;
	struct relief_apply_in in = expense(person(db, V_XS), 50000);
	CHECK_EQ_INT(db_begin_write(db, &e), 0);
	CHECK_EQ_INT(relief_apply(db, &t, &in, &id, &e), 0);
	CHECK(db_in_transaction(db));
	CHECK(id > 0);
	db_rollback(db); /* the caller's decision: nothing stays */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants"), 0);
	CHECK_EQ_INT(relief_apply(db, &t, &in, &id, &e), 0); /* its own transaction otherwise */
	CHECK(!db_in_transaction(db));
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants"), 1);
	db_close(db);
}

/* ---- two connections racing for the last balance ---- */

struct racer {
	const char *path;
	int64_t person;
	pthread_barrier_t *go;
	int rc;
	char code[40];
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct db *db;
	struct err e;
	struct actor t = town();
	int64_t id;
	if (db_open(&db, r->path, &e) < 0) {
		r->rc = -2;
		return NULL;
	}
	struct relief_apply_in in = emergency(r->person, 150000, 1);
	pthread_barrier_wait(r->go);
	r->rc = relief_apply_on(db, &t, &in, "2020-02-10", &id, &e);
	snprintf(r->code, sizeof r->code, "%s", r->rc < 0 ? e.code : "");
	db_close(db);
	return NULL;
}

TEST(two_grants_racing_for_the_last_balance_exactly_one_succeeds)
{
	char dir[] = P_tmpdir "/mz-relief-XXXXXX", path[96];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(path, sizeof path, "%s/race.db", dir);
	struct db *db;
	struct err e;
	CHECK_EQ_INT(db_open(&db, path, &e), 0);
	CHECK_EQ_INT(db_migrate(db, &e), 0);
	seed(db);
	struct actor c = county();
	int rounds = 12, wins = 0;
	for (int round = 0; round < rounds; round++) {
		/* exactly 1,500.00 in the reserve, two pay-first grants of 1,500.00 at once */
		int64_t bal = q(db, "SELECT coalesce(max(balance_fen), 0) FROM relief_reserves");
		CHECK_EQ_INT(bal, 0);
		CHECK_EQ_INT(relief_reserve_add(db, &c, "370704008", "replenishment", 150000,
						"2020-02-10", "", NULL, &e),
			     0);
		pthread_barrier_t go;
		pthread_barrier_init(&go, NULL, 2);
		struct racer r[2] = {{path, person(db, V_XS), &go, 0, ""},
				     {path, person(db, V_XS), &go, 0, ""}};
		pthread_t th[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&th[i], NULL, race, &r[i]);
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&go);
		int ok = (r[0].rc == 0) + (r[1].rc == 0);
		CHECK_EQ_INT(ok, 1);
		for (int i = 0; i < 2; i++)
			if (r[i].rc != 0)
				CHECK_EQ_STR(r[i].code, "reserve_insufficient");
		wins += ok;
	}
	CHECK_EQ_INT(wins, rounds);
	CHECK_EQ_INT(q(db, "SELECT balance_fen FROM relief_reserves"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_grants WHERE payment = 'paid'"), rounds);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM relief_needs"), rounds);
	CHECK_EQ_INT(q(db, "SELECT min(balance_after_fen) FROM relief_reserve_moves"), 0);
	int bad = -1;
	CHECK_EQ_INT(relief_reconcile(db, &c, "", NULL, NULL, &bad, &e), 0);
	CHECK_EQ_INT(bad, 0);
	db_close(db);
	char side[128];
	static const char *const ext[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(side, sizeof side, "%s%s", path, ext[i]);
		unlink(side);
	}
	rmdir(dir);
}

/* ---- the demo's grants ---- */

static int64_t demo_totals(double scale, int64_t *times, int64_t *fen, int *bad)
{
	struct db *db = testdb_open();
	struct demo_options o;
	struct demo_report *r = calloc(1, sizeof *r);
	struct err e;
	struct actor sys;
	actor_system(&sys);
	demo_options_init(&o);
	o.scale = scale;
	int rc = demo_run(db, &o, r, &e);
	if (rc < 0)
		fprintf(stderr, "  demo: %s\n", e.message);
	struct relief_totals t = {0, 0};
	rc |= relief_report_totals(db, &sys.scope, "2020-01", "2020-04", NULL, NULL, &t, &e);
	rc |= relief_reconcile(db, &sys, "", NULL, NULL, bad, &e);
	*times = t.person_times;
	*fen = t.amount_fen;
	/* every grant within its rules */
	int64_t broken =
	    q(db, "SELECT count(*) FROM relief_grants WHERE decision <> 'approved' OR "
		  "payment <> 'paid' OR (kind = 'emergency' AND amount_fen < min_fen) OR "
		  "(amount_fen > max_fen AND NOT EXISTS (SELECT 1 FROM relief_decisions d "
		  "WHERE d.grant_id = relief_grants.id)) OR (level = 'township' AND "
		  "amount_fen > township_limit_fen) OR paid_on NOT BETWEEN '2020-01-01' "
		  "AND '2020-04-30' OR (pay_first = 1 AND papers_on > papers_due)");
	int64_t doubles =
	    q(db, "SELECT count(*) FROM relief_grants g WHERE repeat_of IS NULL AND "
		  "EXISTS (SELECT 1 FROM relief_grants h WHERE h.person_id = g.person_id "
		  "AND h.cause = g.cause AND h.year = g.year AND h.id < g.id)");
	if (broken || doubles)
		fprintf(stderr, "  %lld grants break a rule, %lld repeats unmarked\n",
			(long long)broken, (long long)doubles);
	free(r);
	db_close(db);
	return rc < 0 ? -1 : broken + doubles;
}

TEST(the_demo_pays_exactly_the_published_figures_times_scale)
{
	int64_t times, fen;
	int bad = -1;
	/* 2,198 × 0.02 = 43.96 → 44; 4,427,000 × 0.02 = 88,540 yuan */
	CHECK_EQ_INT(demo_totals(0.02, &times, &fen, &bad), 0);
	CHECK_EQ_INT(times, 44);
	CHECK_EQ_INT(fen, 8854000);
	CHECK_EQ_INT(bad, 0);
	/* 2,198 × 0.05 = 109.9 → 110; 4,427,000 × 0.05 = 221,350 yuan */
	CHECK_EQ_INT(demo_totals(0.05, &times, &fen, &bad), 0);
	CHECK_EQ_INT(times, 110);
	CHECK_EQ_INT(fen, 22135000);
	CHECK_EQ_INT(bad, 0);
}

UNIT_MAIN(levels_township_within_its_limit_county_above,
	  above_the_maximum_only_with_a_case_decision_attached,
	  once_per_person_per_cause_per_year_unless_the_county_approves_another,
	  deadlines_count_working_days_across_weekends_and_holidays,
	  pay_first_draws_from_the_reserve_and_a_short_reserve_becomes_a_replenishment_need,
	  overdue_papers_decisions_and_deliveries_as_of_a_day,
	  a_return_puts_the_money_back_and_the_reserve_reconciles,
	  out_of_scope_grants_are_not_found_and_roles_are_checked,
	  relief_apply_joins_the_callers_transaction,
	  two_grants_racing_for_the_last_balance_exactly_one_succeeds,
	  the_demo_pays_exactly_the_published_figures_times_scale)
