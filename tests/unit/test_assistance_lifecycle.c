/* test_assistance_lifecycle.c — the lifecycle of assistance cases (assistance_store.c): each
 * step from its status and its refusals, the public notice's length, objections, scope (404)
 * and permission (403), reviews with the phase-out, suspension and termination months, the
 * epidemic periods with the due-review and held-exit lists, and the audit row of every write.
 *
 * Decisions take effect from the month after the day they are made, so the tests work with
 * dates relative to today (day(-20) is twenty days ago) and months relative to this one
 * (month(1) is next month). Parameters: the demo city's (notice 7 days, phase-out 3 months,
 * stable review every 12 months, urban standard 710.00). Persons are written with SQL, as in
 * test_assistance_entitlements.c; villages 370704008231 (unit 370791) and 370705001001.
 */
#include "assistance/assistance.h"
#include "assistance/assistance_internal.h"
#include "policy/policy.h"
#include "testdb.h"
#include "unit.h"

#include <time.h>

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

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	struct actor sys;
	struct err e;
	exec(db, "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
		 " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
		 " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
		 " ('370704008', '太保庄街道', 4, '370704', '370791'),"
		 " ('370705001', '东关街道', 4, '370705', '370705'),"
		 " ('370704008231', '栾家山后村', 5, '370704008', '370791'),"
		 " ('370705001001', '东关村', 5, '370705001', '370705');"
		 "INSERT INTO units(code, name, kind, city_code) VALUES"
		 " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707'),"
		 " ('370791', '峡山生态经济开发区', 'zone', '3707');");
	actor_system(&sys);
	if (policy_load_demo_defaults(db, &sys, &e) < 0)
		abort();
	return db;
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

static struct actor town(void) { return actor_of("township_assistant", "370704008", WRITE); }
static struct actor county(void) { return actor_of("county_staff", "370704", APPROVE); }
static struct actor other_county(void) { return actor_of("county_staff", "370705", APPROVE); }
static struct actor leader(void) { return actor_of("leader", "3707", READ); }
static struct actor city(void) { return actor_of("city_admin", "3707", 0xffffffffu); }

/* ---- dates ---- */

/* Today plus n days, "YYYY-MM-DD" (Asia/Shanghai, as the server's clock). */
static const char *day(int n)
{
	static char out[8][11];
	static int k;
	time_t t = time(NULL) + 8 * 3600 + (time_t)n * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	char *o = out[k++ % 8];
	strftime(o, 11, "%Y-%m-%d", &tm);
	return o;
}

/* This month plus n, "YYYY-MM". */
static const char *month(int n)
{
	static char out[8][8];
	static int k;
	const char *d = day(0);
	int m = atoi(d) * 12 + atoi(d + 5) - 1 + n;
	char *o = out[k++ % 8];
	snprintf(o, 8, "%04d-%02d", m / 12, m % 12 + 1);
	return o;
}

/* ---- registry rows ---- */

static int serial;

static int64_t household(struct db *db, const char *village)
{
	char sql[300];
	snprintf(sql, sizeof sql,
		 "INSERT INTO households(region_code, residence_type, created_at, updated_at) "
		 "VALUES ('%s', 'urban', '2019-01-01', '2019-01-01')",
		 village);
	exec(db, sql);
	return db_last_id(db);
}

static int64_t person(struct db *db, int64_t hid, const char *relation, const char *birth,
		      int64_t income)
{
	char sql[700];
	serial++;
	snprintf(sql, sizeof sql,
		 "INSERT INTO persons(household_id, region_code, id_number, id_rev, name, relation, "
		 "sex, birth_date, monthly_income_fen, status, created_at, updated_at) SELECT %lld, "
		 "region_code, 'L%017d', 'x%d', '张%d', '%s', 'female', '%s', %lld, 'active', "
		 "'2019-01-01', '2019-01-01' FROM households WHERE id = %lld",
		 (long long)hid, serial, serial, serial, relation, birth, (long long)income,
		 (long long)hid);
	exec(db, sql);
	int64_t pid = db_last_id(db);
	if (strcmp(relation, "head") == 0) {
		snprintf(sql, sizeof sql, "UPDATE households SET head_person_id = %lld WHERE id = %lld",
			 (long long)pid, (long long)hid);
		exec(db, sql);
	}
	return pid;
}

/* ---- steps ---- */

static struct assistance_apply_in dibao_in(int64_t hid, const char *applied_on)
{
	struct assistance_apply_in in;
	memset(&in, 0, sizeof in);
	snprintf(in.program, sizeof in.program, "dibao");
	in.household_id = hid;
	snprintf(in.applied_on, sizeof in.applied_on, "%s", applied_on);
	snprintf(in.bank_name, sizeof in.bank_name, "潍坊农商银行");
	snprintf(in.bank_account, sizeof in.bank_account, "6228 4800 0000 0000 017");
	return in;
}

static struct assistance_step_in step_in(const char *date, const char *result, const char *text)
{
	struct assistance_step_in in;
	memset(&in, 0, sizeof in);
	in.assets_fen = -1;
	in.adl_mask = -1;
	snprintf(in.date, sizeof in.date, "%s", date);
	snprintf(in.result, sizeof in.result, "%s", result);
	snprintf(in.text, sizeof in.text, "%s", text);
	return in;
}

static struct err last_err;

static int do_step(struct db *db, const struct actor *a, int64_t id, enum assistance_step s,
		   struct assistance_step_in in)
{
	return assistance_case_step(db, a, id, s, &in, &last_err);
}

/* A 低保 case brought to the public notice, the notice starting `notice_start`. */
static int64_t to_notice(struct db *db, int64_t hid, const char *notice_start)
{
	struct actor t = town();
	struct assistance_apply_in in = dibao_in(hid, day(-30));
	int64_t id = 0;
	if (assistance_case_apply(db, &t, &in, &id, &last_err) < 0 ||
	    do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in(day(-28), "eligible", "入户核实")) < 0 ||
	    do_step(db, &t, id, ASSISTANCE_STEP_APPRAISE, step_in(day(-25), "agree", "同意")) < 0 ||
	    do_step(db, &t, id, ASSISTANCE_STEP_NOTICE, step_in(notice_start, "", "")) < 0) {
		fprintf(stderr, "to_notice: %s\n", last_err.message);
		abort();
	}
	return id;
}

static void get(struct db *db, int64_t id, struct assistance_case *c)
{
	struct assistance_case_detail d;
	struct actor a = city();
	struct err e;
	if (assistance_case_get(db, &a, id, &d, &e) < 0) {
		fprintf(stderr, "get: %s\n", e.message);
		abort();
	}
	*c = d.c;
	assistance_case_detail_release(&d);
}

static int64_t audits(struct db *db, const char *action)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM audit_log WHERE action = '%s'", action);
	return q(db, sql);
}

/* ------------------------------------------------------------------------------------------ */

TEST(dibao_application_goes_through_every_stage_and_is_paid_from_the_next_month)
{
	struct db *db = open_seeded();
	struct actor c = county();
	struct assistance_case k;
	int64_t h = household(db, V_XS);
	person(db, h, "head", "1975-01-01", 20000);
	person(db, h, "child", "2012-01-01", 0);
	int64_t id = to_notice(db, h, day(-10));
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "notice");
	CHECK_EQ_STR(k.notice_start, day(-10));
	CHECK_EQ_STR(k.notice_end, day(-4)); /* 7 days counting the first: −10 … −4 */
	CHECK_EQ_STR(k.unit_code, "370791");
	CHECK_EQ_STR(k.bank_account, "6228480000000000017"); /* spaces dropped */
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "同意")), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "active");
	CHECK_EQ_STR(k.start_month, month(1));
	/* 2 × 710.00 − 200.00 = 1,220.00; the child (minor) 71.00 → 1,291.00 */
	CHECK_EQ_INT(k.monthly_amount_fen, 129100);
	CHECK_EQ_STR(k.last_review_month, month(0));
	CHECK_EQ_STR(k.next_review_month, month(12));
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM assistance_steps WHERE case_id = %lld",
		 (long long)id);
	CHECK_EQ_INT(q(db, sql), 5); /* apply, investigate, appraise, notice, approve */
	CHECK_EQ_INT(audits(db, "assistance.apply"), 1);
	CHECK_EQ_INT(audits(db, "assistance.investigate"), 1);
	CHECK_EQ_INT(audits(db, "assistance.appraise"), 1);
	CHECK_EQ_INT(audits(db, "assistance.notice"), 1);
	CHECK_EQ_INT(audits(db, "assistance.approve"), 1);
	db_close(db);
}

TEST(approval_before_the_notice_has_run_its_full_length_is_409_notice_running)
{
	struct db *db = open_seeded();
	struct actor c = county();
	struct assistance_case k;
	int64_t h1 = household(db, V_XS), h2 = household(db, V_XS), h3 = household(db, V_XS);
	person(db, h1, "head", "1975-01-01", 0);
	person(db, h2, "head", "1975-01-01", 0);
	person(db, h3, "head", "1975-01-01", 0);
	int64_t a = to_notice(db, h1, day(0));  /* runs today … +6 */
	int64_t b = to_notice(db, h2, day(-6)); /* runs −6 … today */
	int64_t d = to_notice(db, h3, day(-7)); /* runs −7 … −1: approve from today */
	CHECK_EQ_INT(do_step(db, &c, a, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), -1);
	CHECK_EQ_INT(last_err.status, 409);
	CHECK_EQ_STR(last_err.code, "notice_running");
	CHECK_EQ_INT(do_step(db, &c, b, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), -1);
	CHECK_EQ_STR(last_err.code, "notice_running");
	get(db, b, &k);
	CHECK_EQ_STR(k.status, "notice"); /* refused: nothing changed */
	CHECK_EQ_INT(audits(db, "assistance.approve"), 0);
	CHECK_EQ_INT(do_step(db, &c, d, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	db_close(db);
}

TEST(steps_out_of_order_are_409_invalid_step)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	int64_t h = household(db, V_XS), id = 0;
	person(db, h, "head", "1975-01-01", 0);
	struct assistance_apply_in in = dibao_in(h, "");
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), 0);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_APPRAISE, step_in("", "agree", "")), -1);
	CHECK_EQ_STR(last_err.code, "invalid_step");
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_NOTICE, step_in("", "", "")), -1);
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), -1);
	CHECK_EQ_INT(last_err.status, 409);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_REVIEW, step_in("", "", "")), -1);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in("", "maybe", "")), -1);
	CHECK_EQ_INT(last_err.status, 400);
	CHECK_EQ_STR(last_err.field, "result");
	/* a record cannot be dated in the future or before the application */
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in(day(1), "eligible", "")), -1);
	CHECK_EQ_STR(last_err.field, "date");
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in(day(-1), "eligible", "")), -1);
	CHECK_EQ_STR(last_err.field, "date");
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in("", "eligible", "")), 0);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in("", "eligible", "")), -1);
	CHECK_EQ_STR(last_err.code, "invalid_step");
	db_close(db);
}

TEST(out_of_scope_cases_are_404_and_missing_permission_is_403)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county(), o = other_county(), l = leader();
	struct assistance_case_detail d;
	struct err e;
	int64_t h = household(db, V_XS);
	person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-10));
	/* another county's staff: the case does not exist for them, whatever they try */
	CHECK_EQ_INT(assistance_case_get(db, &o, id, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(do_step(db, &o, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), -1);
	CHECK_EQ_INT(last_err.status, 404);
	CHECK_EQ_INT(do_step(db, &o, id, ASSISTANCE_STEP_REFUSE, step_in("", "", "")), -1);
	CHECK_EQ_INT(last_err.status, 404);
	/* in scope but not the county: 403; the read-only leader: 403 */
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), -1);
	CHECK_EQ_INT(last_err.status, 403);
	CHECK_EQ_INT(do_step(db, &l, id, ASSISTANCE_STEP_REFUSE, step_in("", "", "理由")), -1);
	CHECK_EQ_INT(last_err.status, 403);
	int64_t oid;
	CHECK_EQ_INT(assistance_objection_add(db, &l, id, "有异议", "", &oid, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(assistance_objection_add(db, &o, id, "有异议", "", &oid, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* applying for a household outside the scope is 404 too */
	struct assistance_apply_in in = dibao_in(h, "");
	struct actor ot = actor_of("township_assistant", "370705001", WRITE);
	int64_t nid;
	CHECK_EQ_INT(assistance_case_apply(db, &ot, &in, &nid, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* the county whose scope holds the zone's township approves */
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	/* the lists show only the scope */
	struct assistance_case_query cq;
	struct assistance_case_page pg;
	memset(&cq, 0, sizeof cq);
	CHECK_EQ_INT(assistance_case_list(db, &o, &cq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 0);
	assistance_case_page_release(&pg);
	CHECK_EQ_INT(assistance_case_list(db, &t, &cq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 1);
	assistance_case_page_release(&pg);
	snprintf(cq.region, sizeof cq.region, "370705");
	CHECK_EQ_INT(assistance_case_list(db, &t, &cq, &pg, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(an_unresolved_objection_blocks_approval_until_it_is_settled)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct err e;
	int64_t h = household(db, V_XS), oid = 0;
	person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-9));
	CHECK_EQ_INT(assistance_objection_add(db, &t, id, "", "", &oid, &e), -1);
	CHECK_EQ_STR(e.field, "content");
	CHECK_EQ_INT(assistance_objection_add(db, &t, id, "反映该户有车辆", "", &oid, &e), 0);
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), -1);
	CHECK_EQ_STR(last_err.code, "objection_open");
	CHECK_EQ_INT(assistance_objection_resolve(db, &t, id, oid, "", &e), -1);
	CHECK_EQ_STR(e.field, "resolution");
	CHECK_EQ_INT(assistance_objection_resolve(db, &t, id, oid, "经核实车辆已于去年报废", &e), 0);
	CHECK_EQ_INT(assistance_objection_resolve(db, &t, id, oid, "再次", &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(audits(db, "assistance.objection"), 2);
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	/* no objections once the notice is over */
	CHECK_EQ_INT(assistance_objection_add(db, &t, id, "迟到的异议", "", &oid, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	db_close(db);
}

TEST(refusal_needs_a_written_reason_and_closes_the_case)
{
	struct db *db = open_seeded();
	struct actor c = county();
	struct assistance_case k;
	int64_t h = household(db, V_XS);
	person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-2));
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_REFUSE, step_in("", "", "  ")), -1);
	CHECK_EQ_STR(last_err.code, "required");
	CHECK_EQ_STR(last_err.field, "text");
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_REFUSE,
			     step_in("", "", "家庭财产超过规定标准")), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "refused");
	CHECK_EQ_STR(k.reason, "家庭财产超过规定标准");
	/* a new application may follow a refusal */
	struct actor t = town();
	struct assistance_apply_in in = dibao_in(h, "");
	int64_t id2;
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id2, &last_err), 0);
	db_close(db);
}

TEST(one_open_case_per_household_and_no_tekun_with_a_child_allowance)
{
	struct db *db = open_seeded();
	struct actor t = town();
	int64_t h = household(db, V_XS), id;
	person(db, h, "head", "1975-01-01", 0);
	int64_t kid = person(db, h, "child", "2012-05-01", 0);
	struct assistance_apply_in in = dibao_in(h, "");
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), 0);
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), -1);
	CHECK_EQ_STR(last_err.code, "duplicate_case");
	/* the child: an orphan allowance (both parents dead) … */
	struct assistance_apply_in o = dibao_in(0, "");
	snprintf(o.program, sizeof o.program, "orphan");
	o.person_id = kid;
	snprintf(o.placement, sizeof o.placement, "scattered");
	o.parents[0].dead = 1;
	o.parents[1].dead = 1;
	CHECK_EQ_INT(assistance_case_apply(db, &t, &o, &id, &last_err), 0);
	/* … then 特困 for the same child is refused */
	struct assistance_apply_in k = dibao_in(0, "");
	snprintf(k.program, sizeof k.program, "tekun");
	k.person_id = kid;
	snprintf(k.support_form, sizeof k.support_form, "scattered");
	CHECK_EQ_INT(assistance_case_apply(db, &t, &k, &id, &last_err), -1);
	CHECK_EQ_STR(last_err.code, "program_conflict");
	db_close(db);
}

TEST(a_child_application_is_checked_by_the_rules_and_skips_appraisal_and_notice)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct assistance_case k;
	int64_t h = household(db, V_XS), id = 0;
	int64_t kid = person(db, h, "child", "2012-05-01", 0);
	struct assistance_apply_in in = dibao_in(0, "");
	snprintf(in.program, sizeof in.program, "orphan");
	in.person_id = kid;
	snprintf(in.placement, sizeof in.placement, "institutional");
	in.parents[0].dead = 1;
	in.parents[1].seriously_ill = 1; /* one parent ill, not dead: de-facto unsupported */
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), -1);
	CHECK_EQ_STR(last_err.code, "not_eligible");
	CHECK_EQ_STR(last_err.field, "program");
	in.parents[1].seriously_ill = 0; /* the other parent able: not eligible at all */
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), -1);
	CHECK_EQ_STR(last_err.field, "parents");
	in.parents[1].missing = 1;
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.child_category, "orphan_institutional");
	CHECK_EQ_STR(k.parent_condition[1], "missing");
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_INVESTIGATE, step_in("", "eligible", "")), 0);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_NOTICE, step_in("", "", "")), -1);
	CHECK_EQ_STR(last_err.code, "invalid_step");
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "active");
	CHECK_EQ_INT(k.monthly_amount_fen, 140000); /* institutional orphan: 1,400.00 */
	db_close(db);
}

TEST(a_review_before_the_first_payment_is_refused_and_one_finding_income_above_starts_the_phaseout)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct assistance_case k;
	char sql[300];
	int64_t h = household(db, V_XS);
	int64_t p = person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-8));
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_REVIEW, step_in("", "", "")), -1);
	CHECK_EQ_STR(last_err.code, "review_too_early");
	/* as if approved three months ago; the head has since found work at 800.00 a month */
	snprintf(sql, sizeof sql,
		 "UPDATE assistance_cases SET start_month = '%s' WHERE id = %lld;"
		 "UPDATE persons SET monthly_income_fen = 80000 WHERE id = %lld",
		 month(-2), (long long)id, (long long)p);
	exec(db, sql);
	CHECK_EQ_INT(do_step(db, &t, id, ASSISTANCE_STEP_REVIEW, step_in("", "", "复核发现已就业")), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "phaseout");
	CHECK_EQ_STR(k.phaseout_from, month(0));
	CHECK_EQ_INT(k.phaseout_months, 3);
	CHECK_EQ_STR(k.end_month, month(3));
	CHECK_EQ_INT(k.monthly_amount_fen, 71000); /* unchanged: 710.00 decided at approval */
	/* the months: paid unchanged for 3 months after this one, then nothing */
	struct assistance_case_calc *m = malloc(sizeof *m);
	struct err e;
	CHECK_EQ_INT(assistance_case_calc(db, id, month(2), 0, m, &e), 0);
	CHECK(m->owed && m->ent.amount_fen == 71000 && m->state == ASSISTANCE_PAY_PHASEOUT &&
	      m->phaseout_k == 2);
	CHECK_EQ_INT(assistance_case_calc(db, id, month(4), 0, m, &e), 0);
	CHECK(!m->owed);
	free(m);
	db_close(db);
}

TEST(a_review_below_the_standard_decides_the_new_amount_and_the_next_review)
{
	struct db *db = open_seeded();
	struct actor t = town(), c = county();
	struct assistance_case k;
	struct assistance_step_in in = step_in("", "", "");
	char sql[300];
	int64_t h = household(db, V_XS);
	int64_t p = person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-8));
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	snprintf(sql, sizeof sql,
		 "UPDATE assistance_cases SET start_month = '%s' WHERE id = %lld;"
		 "UPDATE persons SET monthly_income_fen = 30000 WHERE id = %lld",
		 month(-1), (long long)id, (long long)p);
	exec(db, sql);
	snprintf(in.category, sizeof in.category, "irregular");
	CHECK_EQ_INT(assistance_case_step(db, &t, id, ASSISTANCE_STEP_REVIEW, &in, &last_err), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "active");
	CHECK_EQ_INT(k.monthly_amount_fen, 41000); /* 710.00 − 300.00 */
	CHECK_EQ_STR(k.review_category, "irregular");
	CHECK_EQ_STR(k.next_review_month, month(6));
	db_close(db);
}

TEST(suspension_resumption_and_termination_take_effect_from_the_next_month)
{
	struct db *db = open_seeded();
	struct actor c = county();
	struct assistance_case k;
	struct assistance_step_in in = step_in("", "", "外出务工，待核实");
	int64_t h = household(db, V_XS);
	person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-8));
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_SUSPEND, step_in("", "", "")), -1);
	CHECK_EQ_STR(last_err.field, "text");
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_SUSPEND, in), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "suspended");
	CHECK_EQ_STR(k.suspended_from, month(1));
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_RESUME, step_in("", "", "")), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "active");
	CHECK_EQ_STR(k.suspended_until, month(1)); /* an empty interval: nothing was missed */
	in = step_in("", "", "户主死亡");
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_TERMINATE, in), -1);
	CHECK_EQ_STR(last_err.field, "cause");
	snprintf(in.cause, sizeof in.cause, "death");
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_TERMINATE, in), 0);
	get(db, id, &k);
	CHECK_EQ_STR(k.status, "terminated");
	CHECK_EQ_STR(k.end_month, month(0));
	CHECK_EQ_INT(k.exit_holdable, 0);
	CHECK_EQ_INT(audits(db, "assistance.terminate"), 1);
	db_close(db);
}

TEST(epidemic_periods_are_declared_by_the_city_from_this_month_without_overlap)
{
	struct db *db = open_seeded();
	struct actor a = city(), c = county();
	struct err e;
	int64_t id;
	CHECK_EQ_INT(assistance_epidemic_declare(db, &c, month(0), month(2), "", &id, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(-1), month(2), "", &id, &e), -1);
	CHECK_EQ_STR(e.code, "period_locked");
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(2), month(1), "", &id, &e), -1);
	CHECK_EQ_STR(e.field, "end_month");
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(0), month(2), "国办发明电〔2020〕", &id,
						 &e),
		     0);
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(2), month(4), "", &id, &e), -1);
	CHECK_EQ_STR(e.code, "period_overlap");
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(3), month(4), "", &id, &e), 0);
	struct assistance_epidemic_period *v;
	int n;
	CHECK_EQ_INT(assistance_epidemic_list(db, &v, &n, &e), 0);
	CHECK_EQ_INT(n, 2);
	CHECK(n == 2 && strcmp(v[0].start_month, month(3)) == 0);
	free(v);
	CHECK_EQ_INT(audits(db, "assistance.epidemic"), 2);
	db_close(db);
}

TEST(due_reviews_are_listed_per_township_and_postponed_by_an_epidemic_period)
{
	struct db *db = open_seeded();
	struct actor t = town(), a = city(), o = other_county(), c = county();
	struct assistance_review_list l;
	struct err e;
	char sql[300];
	int64_t h = household(db, V_XS);
	person(db, h, "head", "1975-01-01", 0);
	int64_t id = to_notice(db, h, day(-8));
	CHECK_EQ_INT(do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	snprintf(sql, sizeof sql,
		 "UPDATE assistance_cases SET last_review_month = '%s', next_review_month = '%s' "
		 "WHERE id = %lld",
		 month(-12), month(0), (long long)id);
	exec(db, sql);
	CHECK_EQ_INT(assistance_reviews_due(db, &t, "", "", &l, &e), 0);
	CHECK_EQ_INT(l.n, 1);
	CHECK(l.n == 1 && l.items[0].c.id == id && strcmp(l.items[0].due_month, month(0)) == 0);
	free(l.items);
	CHECK_EQ_INT(assistance_reviews_due(db, &o, "", "", &l, &e), 0);
	CHECK_EQ_INT(l.n, 0); /* another county's list */
	free(l.items);
	int64_t pid;
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(0), month(1), "", &pid, &e), 0);
	CHECK_EQ_INT(assistance_reviews_due(db, &t, "", "", &l, &e), 0);
	CHECK_EQ_INT(l.n, 0);
	CHECK_EQ_INT(l.postponed, 1);
	free(l.items);
	CHECK_EQ_INT(assistance_reviews_due(db, &t, "", month(2), &l, &e), 0);
	CHECK(l.n == 1 && l.items[0].postponed && strcmp(l.items[0].due_month, month(2)) == 0);
	free(l.items);
	db_close(db);
}

TEST(held_exits_list_the_terminations_an_epidemic_period_holds)
{
	struct db *db = open_seeded();
	struct actor t = town(), a = city(), c = county();
	struct assistance_held_list l;
	struct assistance_step_in in = step_in("", "", "本人申请退出");
	struct err e;
	int64_t h1 = household(db, V_XS), h2 = household(db, V_XS), pid;
	person(db, h1, "head", "1975-01-01", 0);
	person(db, h2, "head", "1975-01-01", 0);
	int64_t x = to_notice(db, h1, day(-8)), y = to_notice(db, h2, day(-8));
	CHECK_EQ_INT(do_step(db, &c, x, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	CHECK_EQ_INT(do_step(db, &c, y, ASSISTANCE_STEP_APPROVE, step_in("", "", "")), 0);
	snprintf(in.cause, sizeof in.cause, "request");
	CHECK_EQ_INT(do_step(db, &c, x, ASSISTANCE_STEP_TERMINATE, in), 0);
	snprintf(in.cause, sizeof in.cause, "death");
	CHECK_EQ_INT(do_step(db, &c, y, ASSISTANCE_STEP_TERMINATE, in), 0);
	CHECK_EQ_INT(assistance_held_exits(db, &t, "", "", &l, &e), 0);
	CHECK_EQ_INT(l.n, 0); /* no period: nothing held */
	free(l.items);
	CHECK_EQ_INT(assistance_epidemic_declare(db, &a, month(1), month(2), "", &pid, &e), 0);
	CHECK_EQ_INT(assistance_held_exits(db, &t, "", "", &l, &e), 0);
	CHECK_EQ_INT(l.n, 1); /* the request is held; the death is not */
	CHECK(l.n == 1 && l.items[0].c.id == x && strcmp(l.items[0].exit_month, month(1)) == 0 &&
	      strcmp(l.items[0].held_exit_month, month(3)) == 0);
	free(l.items);
	db_close(db);
}

TEST(a_refused_write_changes_nothing_and_leaves_no_audit_row)
{
	struct db *db = open_seeded();
	struct actor t = town();
	int64_t h = household(db, V_XS), id = 0;
	person(db, h, "head", "1975-01-01", 0);
	int64_t before = q(db, "SELECT count(*) FROM audit_log");
	struct assistance_apply_in in = dibao_in(h, "");
	snprintf(in.bank_account, sizeof in.bank_account, "12AB");
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), -1);
	CHECK_EQ_STR(last_err.field, "bank_account");
	snprintf(in.bank_account, sizeof in.bank_account, "6228480000000000017");
	snprintf(in.applied_on, sizeof in.applied_on, "%s", day(3));
	CHECK_EQ_INT(assistance_case_apply(db, &t, &in, &id, &last_err), -1);
	CHECK_EQ_STR(last_err.field, "applied_on");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_cases"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), before);
	db_close(db);
}

/* ---- job-offer refusals ---- */

/* "YYYY-01-01" of the year `years` before this one (ages that hold whatever today is). */
static const char *born(int years)
{
	static char out[8][11];
	static int k;
	char *o = out[k++ % 8];
	snprintf(o, 11, "%04d-01-01", atoi(day(0)) - years);
	return o;
}

static struct assistance_job_refusal_in refusal_in(int64_t pid, const char *date, const char *offer)
{
	struct assistance_job_refusal_in in;
	memset(&in, 0, sizeof in);
	in.person_id = pid;
	snprintf(in.date, sizeof in.date, "%s", date);
	snprintf(in.offer, sizeof in.offer, "%s", offer);
	return in;
}

static int do_refusal(struct db *db, const struct actor *a, int64_t id,
		      struct assistance_job_refusal_in in)
{
	int64_t rid = 0;
	return assistance_job_refusal_add(db, a, id, &in, &rid, &last_err);
}

/* An active 低保 case (approved today, paid from next month) of household h. */
static int64_t active_case(struct db *db, int64_t h)
{
	struct actor c = county();
	int64_t id = to_notice(db, h, day(-10));
	if (do_step(db, &c, id, ASSISTANCE_STEP_APPROVE, step_in("", "", "同意")) < 0) {
		fprintf(stderr, "approve: %s\n", last_err.message);
		abort();
	}
	return id;
}

TEST(three_refusals_recorded_by_the_township_withhold_the_members_share_from_next_month)
{
	struct db *db = open_seeded();
	struct actor t = town();
	int64_t h = household(db, V_XS);
	person(db, h, "head", born(50), 20000);
	int64_t sp = person(db, h, "spouse", born(40), 0);
	person(db, h, "child", born(10), 0);
	int64_t id = active_case(db, h);
	/* S = 710.00, n = 3, I = 200.00: gap 1,930.00; the child's minor uplift 71.00 → 2,001.00 */
	struct assistance_case k;
	get(db, id, &k);
	CHECK_EQ_INT(k.monthly_amount_fen, 200100);
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(sp, day(-3), "社区保洁员，月薪 1,800 元")), 0);
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(sp, day(-2), "超市理货员")), 0);
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(sp, "", "物业门卫")), 0); /* "" = today */
	CHECK_EQ_INT(audits(db, "assistance.job_refusal"), 3);
	struct assistance_case_detail d;
	struct actor ci = city();
	struct err e;
	CHECK_EQ_INT(assistance_case_get(db, &ci, id, &d, &e), 0);
	CHECK_EQ_INT(d.n_refusals, 3);
	if (d.n_refusals == 3) {
		CHECK_EQ_INT(d.refusals[0].person_id, sp);
		CHECK_EQ_STR(d.refusals[0].date, day(-3));
		CHECK_EQ_STR(d.refusals[0].by, "township_assistant_370704008");
		CHECK_EQ_STR(d.refusals[2].date, day(0));
		CHECK_EQ_STR(d.refusals[2].offer, "物业门卫");
		/* recorded today: it counts from next month, for 12 months after the month it happened */
		CHECK_EQ_STR(d.refusals[2].counts_from, month(1));
		CHECK_EQ_STR(d.refusals[2].counts_until, month(12));
	}
	assistance_case_detail_release(&d);
	/* this month (which may be paid already) is not changed; from next month the spouse's share
	 * is withheld: 1,930.00 × 2 ÷ 3 = 1,286.666… → 1,286.67; + 71.00 = 1,357.67 */
	struct assistance_case_calc *kc = malloc(sizeof *kc);
	CHECK_EQ_INT(assistance_case_calc(db, id, month(0), 1, kc, &e), 0);
	CHECK_EQ_INT(kc->dibao.amount_fen, 200100);
	CHECK_EQ_INT(assistance_case_calc(db, id, month(1), 0, kc, &e), 0);
	CHECK(kc->owed);
	CHECK_EQ_INT(kc->ent.amount_fen, 135767);
	CHECK_EQ_INT(kc->dibao.refusing_members, 1);
	free(kc);
	/* the same refusal entered twice is refused */
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(sp, day(-2), "超市理货员")), -1);
	CHECK_EQ_INT(last_err.status, 409);
	CHECK_EQ_STR(last_err.code, "duplicate_refusal");
	CHECK_EQ_INT(audits(db, "assistance.job_refusal"), 3);
	db_close(db);
}

TEST(a_refusal_is_refused_for_a_non_member_one_unable_to_work_or_a_case_not_on_the_roll)
{
	struct db *db = open_seeded();
	struct actor t = town(), o = other_county(), l = leader();
	int64_t h = household(db, V_XS);
	int64_t head = person(db, h, "head", born(45), 0);
	int64_t ill = person(db, h, "spouse", born(44), 0);
	int64_t child = person(db, h, "child", born(10), 0);
	exec(db, "UPDATE persons SET labour_capacity = 'none' WHERE relation = 'spouse'");
	int64_t id = active_case(db, h);
	/* a person of another household (in scope), an unknown person: 400, nothing said about them */
	int64_t h2 = household(db, V_XS);
	int64_t stranger = person(db, h2, "head", born(30), 0);
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(stranger, "", "保洁员")), -1);
	CHECK_EQ_INT(last_err.status, 400);
	CHECK_EQ_STR(last_err.field, "person_id");
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(987654, "", "保洁员")), -1);
	CHECK_EQ_INT(last_err.status, 400);
	CHECK_EQ_STR(last_err.field, "person_id");
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(0, "", "保洁员")), -1);
	CHECK_EQ_STR(last_err.code, "required");
	/* a member removed from the registry (before this month) is no longer counted */
	int64_t gone = person(db, h, "other", born(35), 0);
	char sql[300];
	snprintf(sql, sizeof sql,
		 "UPDATE persons SET status = 'removed' WHERE id = %lld; INSERT INTO "
		 "person_history(person_id, at, action, by_user, reason) VALUES (%lld, "
		 "'2019-01-01T10:00:00+08:00', 'removed', 'test', '迁出')",
		 (long long)gone, (long long)gone);
	exec(db, sql);
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(gone, "", "保洁员")), -1);
	CHECK_EQ_STR(last_err.field, "person_id");
	/* members who cannot be offered work */
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(ill, "", "保洁员")), -1);
	CHECK_EQ_INT(last_err.status, 409);
	CHECK_EQ_STR(last_err.code, "not_able_to_work");
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(child, "", "保洁员")), -1);
	CHECK_EQ_STR(last_err.code, "not_able_to_work");
	/* the input */
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(head, day(1), "保洁员")), -1);
	CHECK_EQ_STR(last_err.field, "date");
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(head, day(-31), "保洁员")), -1);
	CHECK_EQ_STR(last_err.field, "date"); /* before the application (day −30) */
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(head, "", "  ")), -1);
	CHECK_EQ_STR(last_err.code, "required");
	CHECK_EQ_STR(last_err.field, "offer");
	/* scope: another county's staff get 404 (even with a valid body), the leader 403 */
	CHECK_EQ_INT(do_refusal(db, &o, id, refusal_in(head, "", "保洁员")), -1);
	CHECK_EQ_INT(last_err.status, 404);
	CHECK_EQ_INT(do_refusal(db, &l, id, refusal_in(head, "", "保洁员")), -1);
	CHECK_EQ_INT(last_err.status, 403);
	/* not an active 低保 case (one under notice) */
	int64_t h3 = household(db, V_XS);
	int64_t p3 = person(db, h3, "head", born(40), 0);
	int64_t pending = to_notice(db, h3, day(-1));
	CHECK_EQ_INT(do_refusal(db, &t, pending, refusal_in(p3, "", "保洁员")), -1);
	CHECK_EQ_INT(last_err.status, 409);
	CHECK_EQ_STR(last_err.code, "invalid_step");
	/* nothing written, nothing audited */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_job_refusals"), 0);
	CHECK_EQ_INT(audits(db, "assistance.job_refusal"), 0);
	CHECK_EQ_INT(do_refusal(db, &t, id, refusal_in(head, "", "保洁员")), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM assistance_job_refusals"), 1);
	db_close(db);
}

UNIT_MAIN(dibao_application_goes_through_every_stage_and_is_paid_from_the_next_month,
	  approval_before_the_notice_has_run_its_full_length_is_409_notice_running,
	  steps_out_of_order_are_409_invalid_step,
	  out_of_scope_cases_are_404_and_missing_permission_is_403,
	  an_unresolved_objection_blocks_approval_until_it_is_settled,
	  refusal_needs_a_written_reason_and_closes_the_case,
	  one_open_case_per_household_and_no_tekun_with_a_child_allowance,
	  a_child_application_is_checked_by_the_rules_and_skips_appraisal_and_notice,
	  a_review_before_the_first_payment_is_refused_and_one_finding_income_above_starts_the_phaseout,
	  a_review_below_the_standard_decides_the_new_amount_and_the_next_review,
	  suspension_resumption_and_termination_take_effect_from_the_next_month,
	  epidemic_periods_are_declared_by_the_city_from_this_month_without_overlap,
	  due_reviews_are_listed_per_township_and_postponed_by_an_epidemic_period,
	  held_exits_list_the_terminations_an_epidemic_period_holds,
	  a_refused_write_changes_nothing_and_leaves_no_audit_row,
	  three_refusals_recorded_by_the_township_withhold_the_members_share_from_next_month,
	  a_refusal_is_refused_for_a_non_member_one_unable_to_work_or_a_case_not_on_the_roll)
