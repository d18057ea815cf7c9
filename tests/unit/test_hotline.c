/* test_hotline.c — hotlines and cases (src/hotline/) against a fresh database: a call opening a
 * child-protection case in one transaction, call records never edited (corrections, the update
 * trigger, retention), the case workflow with temporary care, referrals and closure, scope,
 * unmasked reads audited, the task queue and the county overview. Times are the real clock's:
 * a case opened now is due its response time from now (policy demo values: child line 30 / 120
 * / 720 minutes, follow-ups every 3 days). */
#include "audit/audit.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "hotline/hotline.h"
#include "policy/policy.h"
#include "testdb.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define V_FZ "370704008231" /* 栾家山后村, 坊子区 territory */
#define V_KW "370705001001" /* 东关村, 奎文区 */

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
		 " ('370791', '峡山生态经济开发区', 'zone', '3707');"
		 "INSERT INTO hotline_lines(code, name, number, kind, updated_at, updated_by) VALUES"
		 " ('assist', '24小时救助热线', '0536-12345', 'assistance', '2020-01-01', 'system'),"
		 " ('child', '儿童救助保护热线', '0536-12349', 'child_protection', '2020-01-01', 'system');"
		 "INSERT INTO users(username, role, region_code, password_hash, created_at) VALUES"
		 " ('county_370704', 'county_staff', '370704', 'x', '2020-01-01'),"
		 " ('township_370704008', 'township_assistant', '370704008', 'x', '2020-01-01'),"
		 " ('county_370705', 'county_staff', '370705', 'x', '2020-01-01');");
	actor_system(&sys);
	if (policy_load_demo_defaults(db, &sys, &e) < 0)
		abort();
	return db;
}

/* ---- actors (permissions as roles.c gives them) ---- */

#define OPERATOR_PERMS (PERM_LOGIN | PERM_REGION_READ | PERM_REGISTRY_READ | PERM_POLICY_READ | \
			PERM_ASSISTANCE_READ | PERM_HOTLINE | PERM_DUTY)
#define COUNTY_PERMS (OPERATOR_PERMS | PERM_REGISTRY_WRITE | PERM_REGISTRY_UNMASK | \
		      PERM_ASSISTANCE_WRITE | PERM_ASSISTANCE_APPROVE)

static struct actor actor_of(const char *username, const char *role, const char *region,
			     uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 9;
	snprintf(a.username, sizeof a.username, "%s", username);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], REGION_CODE_MAX, "%s", region);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

static struct actor operator_(void) { return actor_of("hotline", "hotline_operator", "3707", OPERATOR_PERMS); }
static struct actor county(void) { return actor_of("county_370704", "county_staff", "370704", COUNTY_PERMS); }
static struct actor other_county(void) { return actor_of("county_370705", "county_staff", "370705", COUNTY_PERMS); }

/* ---- registry rows ---- */

/* A valid ID number for a birth date (address 370704, sequence seq). */
static void make_id(const char *birth, int seq, char out[19])
{
	char id17[18];
	snprintf(id17, sizeof id17, "370704%.4s%.2s%.2s%03d", birth, birth + 5, birth + 8, seq % 1000);
	snprintf(out, 19, "%s%c", id17, idnum_check_char(id17));
}

/* The date `years` years before today ("YYYY-MM-DD", 1 January of that year). */
static void years_ago(int years, char out[11])
{
	char today[11];
	clock_today(today);
	snprintf(out, 11, "%04d-01-01", atoi(today) - years);
}

static int serial;

/* A household in village with a head (the guardian) and a child of `age`; the child's id. */
static int64_t family(struct db *db, const char *village, int age, int64_t *guardian)
{
	char sql[900], birth[11], gid[19], cid[19];
	exec(db, "SELECT 1"); /* keeps the statement cache warm; nothing else */
	snprintf(sql, sizeof sql,
		 "INSERT INTO households(region_code, residence_type, created_at, updated_at) "
		 "VALUES ('%s', 'rural', '2019-01-01', '2019-01-01')",
		 village);
	exec(db, sql);
	int64_t hid = db_last_id(db);
	years_ago(35, birth);
	make_id(birth, 100 + ++serial, gid);
	snprintf(sql, sizeof sql,
		 "INSERT INTO persons(household_id, region_code, id_number, id_rev, name, relation, sex, "
		 "birth_date, phone, status, created_at, updated_at) VALUES (%lld, '%s', '%s', 'g%d', "
		 "'王监护%d', 'head', 'male', '%s', '13812345678', 'active', '2019-01-01', "
		 "'2019-01-01')",
		 (long long)hid, village, gid, serial, serial, birth);
	exec(db, sql);
	*guardian = db_last_id(db);
	years_ago(age, birth);
	make_id(birth, 200 + ++serial, cid);
	snprintf(sql, sizeof sql,
		 "INSERT INTO persons(household_id, region_code, id_number, id_rev, name, relation, sex, "
		 "birth_date, status, created_at, updated_at) VALUES (%lld, '%s', '%s', 'c%d', "
		 "'王小%d', 'child', 'female', '%s', 'active', '2019-01-01', '2019-01-01')",
		 (long long)hid, village, cid, serial, serial, birth);
	exec(db, sql);
	int64_t child = db_last_id(db);
	snprintf(sql, sizeof sql, "UPDATE households SET head_person_id = %lld WHERE id = %lld",
		 (long long)*guardian, (long long)hid);
	exec(db, sql);
	return child;
}

/* ---- inputs ---- */

static struct hotline_call_in child_call(const char *village)
{
	struct hotline_call_in in;
	memset(&in, 0, sizeof in);
	in.has = HOTLINE_HAS_ALL;
	snprintf(in.line_code, sizeof in.line_code, "child");
	in.duration_seconds = 240;
	snprintf(in.caller_name, sizeof in.caller_name, "李邻居");
	snprintf(in.caller_phone, sizeof in.caller_phone, "139 0536 1234");
	snprintf(in.region_code, sizeof in.region_code, "%s", village);
	snprintf(in.category, sizeof in.category, "child_care");
	snprintf(in.description, sizeof in.description, "邻居家孩子的父母被集中隔离，孩子独自在家");
	snprintf(in.urgency, sizeof in.urgency, "emergency");
	snprintf(in.outcome, sizeof in.outcome, "case_opened");
	return in;
}

static struct hotline_case_in child_case(int64_t child, int64_t guardian, const char *situation)
{
	struct hotline_case_in k;
	memset(&k, 0, sizeof k);
	k.subject_person_id = child;
	k.guardian_person_id = guardian;
	snprintf(k.guardian_situation, sizeof k.guardian_situation, "%s", situation);
	snprintf(k.guardian_note, sizeof k.guardian_note, "父母均在集中隔离点");
	return k;
}

static struct hotline_step_in step_in(void)
{
	struct hotline_step_in s;
	memset(&s, 0, sizeof s);
	return s;
}

/* Open a child case from a call in village; its id. */
static int64_t open_child_case(struct db *db, const char *village, int64_t *child_out)
{
	struct actor op = operator_();
	struct err e;
	int64_t guardian, call_id = 0, case_id = 0;
	int64_t child = family(db, village, 8, &guardian);
	struct hotline_call_in in = child_call(village);
	struct hotline_case_in k = child_case(child, guardian, "isolated");
	if (hotline_call_record(db, &op, &in, &k, &call_id, &case_id, &e) < 0) {
		fprintf(stderr, "open_child_case: %s (%s)\n", e.message, e.field);
		abort();
	}
	if (child_out)
		*child_out = child;
	return case_id;
}

static int do_step(struct db *db, const struct actor *a, int64_t id, enum hotline_step s,
		   const struct hotline_step_in *in, struct err *e)
{
	return hotline_case_step(db, a, id, s, in, NULL, e);
}

/* ---- tests ---- */

TEST(a_call_opens_a_child_protection_case_in_one_transaction)
{
	struct db *db = open_seeded();
	struct actor op = operator_();
	struct err e;
	int64_t guardian, call_id = 0, case_id = 0;
	int64_t child = family(db, V_FZ, 8, &guardian);
	struct hotline_call_in in = child_call(V_FZ);
	struct hotline_case_in k = child_case(child, guardian, "isolated");
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, &k, &call_id, &case_id, &e), 0);
	CHECK(call_id > 0 && case_id > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits + 2); /* call, case opened */
	struct hotline_case_detail d;
	CHECK_EQ_INT(hotline_case_get(db, &op, case_id, 0, &d, &e), 0);
	CHECK_EQ_STR(d.c.kind, "child_protection");
	CHECK_EQ_STR(d.c.status, "intake");
	CHECK_EQ_INT(d.c.call_id, call_id);
	CHECK_EQ_STR(d.c.region_code, V_FZ);          /* the call's, and the child's village */
	CHECK_EQ_STR(d.c.guardian_phone, "13812345678"); /* from the registry */
	CHECK_EQ_STR(d.c.care_arrangement, "none");
	CHECK_EQ_INT(strlen(d.c.subject_id_number), 18);
	/* child line, emergency: assessment due 30 minutes after opening (policy demo value) */
	int ok = 0;
	CHECK_EQ_INT(hotline_minutes_between(d.c.opened_at, d.c.assess_due, &ok), 30);
	CHECK(ok);
	CHECK_EQ_INT(d.n_steps, 1);
	CHECK_EQ_STR(d.steps[0].step, "open");
	CHECK(strstr(d.steps[0].record, "\"response_minutes\":30") != NULL);
	hotline_case_detail_release(&d);
	/* the call knows its case */
	struct hotline_call_detail cd;
	CHECK_EQ_INT(hotline_call_get(db, &op, call_id, 0, &cd, &e), 0);
	CHECK_EQ_INT(cd.call.case_id, case_id);
	CHECK_EQ_STR(cd.call.caller_phone, "13905361234"); /* normalised */
	CHECK_EQ_STR(cd.call.operator_name, "hotline");
	hotline_call_detail_release(&cd);
	/* a second case on the same call: refused */
	struct hotline_case_in again = child_case(child, guardian, "isolated");
	again.call_id = call_id;
	int64_t other;
	CHECK_EQ_INT(hotline_case_open(db, &op, &again, &other, &e), -1);
	CHECK_EQ_STR(e.code, "duplicate");
	db_close(db);
}

TEST(an_out_of_scope_child_case_stores_neither_the_case_nor_the_call)
{
	struct db *db = open_seeded();
	struct actor op = operator_();
	struct err e;
	int64_t guardian, call_id = 0, case_id = 0;
	int64_t child = family(db, V_FZ, 8, &guardian);
	int64_t adult = family(db, V_FZ, 19, &guardian);
	struct hotline_call_in in = child_call(V_FZ);
	/* the guardian can care: not a child-protection case */
	struct hotline_case_in k = child_case(child, guardian, "none");
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, &k, &call_id, &case_id, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_STR(e.field, "case.guardian_situation");
	/* 19 years old by the registry: not a child */
	k = child_case(adult, guardian, "isolated");
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, &k, &call_id, &case_id, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK(strstr(e.message, "18") != NULL);
	/* outcome case_opened without a case */
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, NULL, &call_id, &case_id, &e), -1);
	CHECK_EQ_STR(e.field, "case");
	/* a bad phone */
	in = child_call(V_FZ);
	snprintf(in.caller_phone, sizeof in.caller_phone, "12345");
	k = child_case(child, guardian, "isolated");
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, &k, &call_id, &case_id, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_phone");
	CHECK_EQ_STR(e.field, "caller_phone");
	/* a call in the future */
	in = child_call(V_FZ);
	snprintf(in.called_at, sizeof in.called_at, "2999-01-01T10:00");
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, &k, &call_id, &case_id, &e), -1);
	CHECK_EQ_STR(e.field, "called_at");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_calls"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_cases"), 0);
	db_close(db);
}

TEST(call_records_are_never_edited_corrections_are_new_records)
{
	struct db *db = open_seeded();
	struct actor op = operator_();
	struct err e;
	struct hotline_call_in in;
	memset(&in, 0, sizeof in);
	in.has = HOTLINE_HAS_ALL;
	snprintf(in.line_code, sizeof in.line_code, "assist");
	snprintf(in.caller_name, sizeof in.caller_name, "赵先生");
	snprintf(in.region_code, sizeof in.region_code, "370704");
	snprintf(in.category, sizeof in.category, "relief");
	snprintf(in.description, sizeof in.description, "咨询临时救助");
	snprintf(in.urgency, sizeof in.urgency, "normal");
	snprintf(in.outcome, sizeof in.outcome, "advice");
	snprintf(in.advice, sizeof in.advice, "告知到镇街民政办申请");
	int64_t id = 0, fix = 0;
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, NULL, &id, NULL, &e), 0);
	/* the table refuses an UPDATE */
	CHECK(db_exec(db, "UPDATE hotline_calls SET caller_name = 'x'", &e) < 0);
	/* and a DELETE of a record younger than 3 months */
	CHECK(db_exec(db, "DELETE FROM hotline_calls", &e) < 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_calls"), 1);
	/* a correction: only the fields sent change; the reason is required */
	struct hotline_call_in c;
	memset(&c, 0, sizeof c);
	c.has = HOTLINE_HAS_REGION;
	snprintf(c.region_code, sizeof c.region_code, V_FZ);
	CHECK_EQ_INT(hotline_call_correct(db, &op, id, &c, &fix, &e), -1);
	CHECK_EQ_STR(e.field, "reason");
	snprintf(c.reason, sizeof c.reason, "来电人更正所在村");
	CHECK_EQ_INT(hotline_call_correct(db, &op, id, &c, &fix, &e), 0);
	CHECK(fix > id);
	struct hotline_call_detail d;
	CHECK_EQ_INT(hotline_call_get(db, &op, fix, 0, &d, &e), 0);
	CHECK_EQ_STR(d.call.region_code, V_FZ);
	CHECK_EQ_STR(d.call.caller_name, "赵先生"); /* copied */
	CHECK_EQ_STR(d.call.operator_name, "hotline");
	CHECK_EQ_INT(d.call.corrects_id, id);
	CHECK_EQ_INT(d.n_versions, 2);
	CHECK_EQ_STR(d.versions[0].region_code, "370704"); /* the original, unchanged */
	CHECK_EQ_INT(d.versions[0].corrected_by_id, fix);
	hotline_call_detail_release(&d);
	/* only the latest version can be corrected */
	CHECK_EQ_INT(hotline_call_correct(db, &op, id, &c, &fix, &e), -1);
	CHECK_EQ_STR(e.code, "already_corrected");
	/* a correction cannot open a case */
	memset(&c, 0, sizeof c);
	c.has = HOTLINE_HAS_OUTCOME;
	snprintf(c.outcome, sizeof c.outcome, "case_opened");
	snprintf(c.reason, sizeof c.reason, "应立案");
	int64_t x;
	CHECK_EQ_INT(hotline_call_correct(db, &op, fix, &c, &x, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	/* lists show the latest version, or every version */
	struct hotline_call_query cq;
	struct hotline_call_page pg;
	memset(&cq, 0, sizeof cq);
	CHECK_EQ_INT(hotline_call_list(db, &op, &cq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 1);
	CHECK_EQ_INT(pg.items[0].id, fix);
	free(pg.items);
	cq.all_versions = 1;
	CHECK_EQ_INT(hotline_call_list(db, &op, &cq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 2);
	free(pg.items);
	db_close(db);
}

TEST(purge_removes_only_old_call_records_that_no_case_refers_to)
{
	struct db *db = open_seeded();
	struct actor sys, op = operator_();
	struct err e;
	actor_system(&sys);
	/* two old calls (a year ago), one with a correction; one old call with a case; one new */
	exec(db, "INSERT INTO hotline_calls(id, line_code, called_at, duration_seconds, caller_name, "
		 "region_code, category, description, urgency, operator, outcome, recorded_at, "
		 "recorded_by) VALUES (1, 'assist', '2020-01-05T10:00:00+08:00', 60, 'a', '370704', "
		 "'policy', 'x', 'normal', 'hotline', 'advice', '2020-01-05', 'hotline'), (2, 'assist', "
		 "'2020-01-06T10:00:00+08:00', 60, 'b', '370704', 'policy', 'x', 'normal', 'hotline', "
		 "'advice', '2020-01-06', 'hotline'), (4, 'child', '2020-01-07T10:00:00+08:00', 60, 'd', "
		 "'370704', 'child_care', 'x', 'urgent', 'hotline', 'case_opened', '2020-01-07', "
		 "'hotline');"
		 "INSERT INTO hotline_calls(id, line_code, called_at, duration_seconds, caller_name, "
		 "region_code, category, description, urgency, operator, outcome, corrects_id, root_id, "
		 "correction_reason, recorded_at, recorded_by) VALUES (3, 'assist', "
		 "'2020-01-06T10:00:00+08:00', 60, 'b', '370705', 'policy', 'x', 'normal', 'hotline', "
		 "'advice', 2, 2, 'fix', '2020-01-06', 'hotline');"
		 "INSERT INTO hotline_cases(kind, line_code, call_id, region_code, urgency, status, "
		 "subject_name, summary, opened_at, opened_by, assess_due, updated_at) VALUES "
		 "('child_protection', 'child', 4, '370704', 'urgent', 'closed', '小明', 'x', "
		 "'2020-01-07', 'hotline', '2020-01-07', '2020-01-07');");
	struct hotline_call_in in = child_call(V_FZ);
	snprintf(in.outcome, sizeof in.outcome, "advice");
	snprintf(in.advice, sizeof in.advice, "建议");
	int64_t fresh;
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, NULL, &fresh, NULL, &e), 0);
	/* only the city purges */
	struct actor c = county();
	int64_t n = -1;
	CHECK_EQ_INT(hotline_calls_purge(db, &c, 0, &n, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	char cutoff[32];
	CHECK_EQ_INT(hotline_calls_purge(db, &sys, 1, &n, cutoff, &e), 0); /* dry run */
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_calls"), 5);
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(hotline_calls_purge(db, &sys, 0, &n, cutoff, &e), 0);
	CHECK_EQ_INT(n, 3); /* 1, and the chain 2 → 3 */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_calls"), 2); /* 4 (its case) and the new */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_calls WHERE id IN (1, 2, 3)"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'hotline.purge'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits + 1);
	/* the retention parameter: 6 months in the demo values, so the cut-off is 6 months back */
	char now[32];
	clock_now_iso(now);
	int ok;
	int64_t m = hotline_minutes_between(cutoff, now, &ok);
	CHECK(ok && m >= 181 * 24 * 60 && m <= 184 * 24 * 60);
	db_close(db);
}

TEST(the_case_workflow_with_temporary_care_to_closure)
{
	struct db *db = open_seeded();
	struct actor cs = county();
	struct err e;
	int64_t id = open_child_case(db, V_FZ, NULL), item = 0;
	struct hotline_step_in s = step_in();
	/* nothing before the assessment */
	snprintf(s.plan, sizeof s.plan, "临时照料");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_PLAN, &s, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_CLOSE, &s, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	/* assessment: risk and findings required */
	s = step_in();
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_ASSESS, &s, &e), -1);
	CHECK_EQ_STR(e.field, "risk");
	snprintf(s.risk, sizeof s.risk, "high");
	snprintf(s.findings, sizeof s.findings, "入户核实：儿童独自在家");
	snprintf(s.guardian_situation, sizeof s.guardian_situation, "isolated");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_ASSESS, &s, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT in_scope FROM hotline_cases"), 1);
	/* the plan: follow-ups every 3 days (the parameter) from today */
	s = step_in();
	snprintf(s.plan, sizeof s.plan, "临时照料，3 天回访");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_PLAN, &s, &e), 0);
	char today[11], due[11];
	clock_today(today);
	hotline_followup_due(today, 3, due);
	struct hotline_case_detail d;
	CHECK_EQ_INT(hotline_case_get(db, &cs, id, 0, &d, &e), 0);
	CHECK_EQ_STR(d.c.status, "active");
	CHECK_EQ_INT(d.c.followup_days, 3);
	CHECK_EQ_STR(d.c.next_followup_due, due);
	hotline_case_detail_release(&d);
	/* temporary care in an institution, referenced by id */
	s = step_in();
	snprintf(s.kind, sizeof s.kind, "institution");
	s.institution_id = 12;
	snprintf(s.place_name, sizeof s.place_name, "潍坊市儿童福利院");
	CHECK_EQ_INT(hotline_case_step(db, &cs, id, HOTLINE_STEP_PLACE, &s, &item, &e), 0);
	CHECK(item > 0);
	int64_t placement = item;
	/* a referral, declined without a reason: refused; with one: recorded */
	s = step_in();
	snprintf(s.kind, sizeof s.kind, "agency");
	snprintf(s.place_name, sizeof s.place_name, "区妇联");
	snprintf(s.note, sizeof s.note, "心理疏导");
	CHECK_EQ_INT(hotline_case_step(db, &cs, id, HOTLINE_STEP_REFER, &s, &item, &e), 0);
	int64_t referral = item;
	/* closing now: the child is still in care, the referral unanswered */
	s = step_in();
	snprintf(s.outcome, sizeof s.outcome, "guardian_resumed");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_CLOSE, &s, &e), -1);
	CHECK_EQ_STR(e.code, "placement_open");
	s = step_in();
	s.item_id = referral;
	snprintf(s.answer, sizeof s.answer, "decline");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_REFER_ANSWER, &s, &e), -1);
	CHECK_EQ_STR(e.field, "note");
	snprintf(s.note, sizeof s.note, "人手不足，请转区心理咨询中心");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_REFER_ANSWER, &s, &e), 0);
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_REFER_ANSWER, &s, &e), -1);
	CHECK_EQ_STR(e.code, "not_pending");
	/* a follow-up visit today */
	s = step_in();
	snprintf(s.kind, sizeof s.kind, "home");
	snprintf(s.note, sizeof s.note, "儿童生活正常");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_FOLLOWUP, &s, &e), 0);
	/* the guardian is back: the care ends, the case closes */
	s = step_in();
	s.item_id = placement;
	snprintf(s.note, sizeof s.note, "父母解除隔离，接回家中");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_PLACE_END, &s, &e), 0);
	s = step_in();
	snprintf(s.outcome, sizeof s.outcome, "guardian_resumed");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_CLOSE, &s, &e), 0);
	CHECK_EQ_INT(hotline_case_get(db, &cs, id, 0, &d, &e), 0);
	CHECK_EQ_STR(d.c.status, "closed");
	CHECK_EQ_STR(d.c.outcome, "guardian_resumed");
	CHECK_EQ_STR(d.c.care_arrangement, "guardian");
	CHECK_EQ_STR(d.c.closed_by, "county_370704");
	CHECK_EQ_INT(d.n_placements, 1);
	CHECK_EQ_STR(d.placements[0].end_date, today);
	CHECK_EQ_INT(d.placements[0].institution_id, 12);
	CHECK_EQ_STR(d.referrals[0].status, "declined");
	/* every step timestamped with who took it */
	static const char *const want[] = {"open",     "assess",	"plan",	    "place",
					   "refer",    "refer_answer", "followup", "place_end",
					   "close"};
	CHECK_EQ_INT(d.n_steps, 9);
	for (int i = 0; i < d.n_steps && i < 9; i++) {
		CHECK_EQ_STR(d.steps[i].step, want[i]);
		CHECK_EQ_STR(d.steps[i].by, i == 0 ? "hotline" : "county_370704");
		CHECK(d.steps[i].at[0] != '\0');
	}
	hotline_case_detail_release(&d);
	/* one audit row per step, the opening included (hotline.case.open … hotline.case.close) */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'hotline.case.%'"), 9);
	/* closed: nothing more but a reopen, which needs a reason and starts a new assessment */
	s = step_in();
	snprintf(s.kind, sizeof s.kind, "phone");
	snprintf(s.note, sizeof s.note, "回访");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_FOLLOWUP, &s, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	s = step_in();
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_REOPEN, &s, &e), -1);
	CHECK_EQ_STR(e.field, "reason");
	snprintf(s.reason, sizeof s.reason, "母亲再次被隔离");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_REOPEN, &s, &e), 0);
	CHECK_EQ_INT(hotline_case_get(db, &cs, id, 0, &d, &e), 0);
	CHECK_EQ_STR(d.c.status, "intake");
	CHECK_EQ_INT(d.c.reopen_count, 1);
	CHECK_EQ_STR(d.c.outcome, "");
	hotline_case_detail_release(&d);
	db_close(db);
}

TEST(a_bad_step_changes_nothing)
{
	struct db *db = open_seeded();
	struct actor cs = county();
	struct err e;
	int64_t id = open_child_case(db, V_FZ, NULL);
	int64_t steps = q(db, "SELECT count(*) FROM hotline_case_steps");
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	struct hotline_step_in s = step_in();
	snprintf(s.risk, sizeof s.risk, "extreme");
	snprintf(s.findings, sizeof s.findings, "x");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_ASSESS, &s, &e), -1);
	CHECK_EQ_STR(e.field, "risk");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_cases WHERE status = 'intake' AND risk = ''"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM hotline_case_steps"), steps);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits);
	db_close(db);
}

TEST(a_child_case_assessed_out_of_scope_gets_no_plan_and_closes_as_such)
{
	struct db *db = open_seeded();
	struct actor cs = county();
	struct err e;
	int64_t id = open_child_case(db, V_FZ, NULL);
	struct hotline_step_in s = step_in();
	snprintf(s.risk, sizeof s.risk, "low");
	snprintf(s.findings, sizeof s.findings, "核实：父母已解除隔离在家");
	snprintf(s.guardian_situation, sizeof s.guardian_situation, "none");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_ASSESS, &s, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT in_scope FROM hotline_cases"), 0);
	s = step_in();
	snprintf(s.plan, sizeof s.plan, "x");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_PLAN, &s, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	s = step_in();
	snprintf(s.outcome, sizeof s.outcome, "guardian_resumed");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_CLOSE, &s, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	snprintf(s.outcome, sizeof s.outcome, "out_of_scope");
	CHECK_EQ_INT(do_step(db, &cs, id, HOTLINE_STEP_CLOSE, &s, &e), 0);
	db_close(db);
}

TEST(other_counties_cases_are_not_found_whatever_is_sent)
{
	struct db *db = open_seeded();
	struct actor other = other_county(), cs = county();
	struct err e;
	int64_t id = open_child_case(db, V_FZ, NULL);
	struct hotline_case_detail d;
	CHECK_EQ_INT(hotline_case_get(db, &other, id, 0, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(hotline_case_get(db, &other, id, 1, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct hotline_step_in s = step_in(); /* empty: would be 400 in scope */
	for (int k = 1; k <= HOTLINE_STEP_MAX; k++) {
		CHECK_EQ_INT(do_step(db, &other, id, (enum hotline_step)k, &s, &e), -1);
		CHECK_EQ_INT(e.status, 404);
	}
	struct hotline_case_query cq;
	struct hotline_case_page pg;
	memset(&cq, 0, sizeof cq);
	CHECK_EQ_INT(hotline_case_list(db, &other, &cq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 0);
	free(pg.items);
	CHECK_EQ_INT(hotline_case_list(db, &cs, &cq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 1);
	free(pg.items);
	/* a case opened by hand in another county: 404 for the region */
	struct hotline_case_in k;
	memset(&k, 0, sizeof k);
	snprintf(k.line_code, sizeof k.line_code, "assist");
	snprintf(k.region_code, sizeof k.region_code, V_FZ);
	snprintf(k.urgency, sizeof k.urgency, "normal");
	snprintf(k.subject_name, sizeof k.subject_name, "赵某");
	snprintf(k.summary, sizeof k.summary, "x");
	int64_t x;
	CHECK_EQ_INT(hotline_case_open(db, &other, &k, &x, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* nothing about the case in the other county's queue or overview */
	struct hotline_task_query tq;
	struct hotline_task_page tp;
	memset(&tq, 0, sizeof tq);
	CHECK_EQ_INT(hotline_tasks(db, &other, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 0);
	free(tp.items);
	struct hotline_overview_row *rows;
	int n;
	CHECK_EQ_INT(hotline_overview(db, &other, "", "", &rows, &n, &e), 0);
	CHECK_EQ_INT(n, 0);
	free(rows);
	db_close(db);
}

TEST(unmasked_reads_need_the_permission_and_are_audited)
{
	struct db *db = open_seeded();
	struct actor op = operator_(), cs = county();
	struct err e;
	int64_t id = open_child_case(db, V_FZ, NULL);
	struct hotline_case_detail d;
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(hotline_case_get(db, &op, id, 1, &d, &e), -1); /* no registry.unmask */
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits);
	CHECK_EQ_INT(hotline_case_get(db, &cs, id, 1, &d, &e), 0);
	CHECK(d.unmasked);
	hotline_case_detail_release(&d);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'hotline_case.unmask' AND "
			   "object = 'hotline_case:1'"),
		     1);
	struct hotline_call_detail cd;
	CHECK_EQ_INT(hotline_call_get(db, &cs, 1, 1, &cd, &e), 0);
	hotline_call_detail_release(&cd);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'hotline_call.unmask'"), 1);
	db_close(db);
}

TEST(overdue_assessments_and_follow_ups_are_the_queue_and_the_overview)
{
	struct db *db = open_seeded();
	struct actor cs = county(), op = operator_();
	struct err e;
	int64_t a = open_child_case(db, V_FZ, NULL);
	int64_t b = open_child_case(db, V_FZ, NULL);
	/* a was opened two hours ago (its 30 minutes have passed); b is on time */
	exec(db, "UPDATE hotline_cases SET assess_due = '2020-01-01T00:00:00+08:00' WHERE id = 1");
	struct hotline_task_query tq;
	struct hotline_task_page tp;
	memset(&tq, 0, sizeof tq);
	CHECK_EQ_INT(hotline_tasks(db, &cs, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 2);
	CHECK_EQ_INT(tp.overdue, 1);
	CHECK_EQ_STR(tp.items[0].type, "assess");
	CHECK_EQ_INT(tp.items[0].case_id, a); /* overdue first */
	CHECK(tp.items[0].overdue);
	free(tp.items);
	tq.overdue_only = 1;
	CHECK_EQ_INT(hotline_tasks(db, &cs, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 1);
	free(tp.items);
	/* the worker's own queue: b assigned to county_370704; a stays the operator's */
	struct hotline_step_in s = step_in();
	snprintf(s.username, sizeof s.username, "township_370704008"); /* no hotline permission */
	CHECK_EQ_INT(do_step(db, &op, b, HOTLINE_STEP_ASSIGN, &s, &e), -1);
	CHECK_EQ_STR(e.field, "username");
	snprintf(s.username, sizeof s.username, "county_370705"); /* not their county */
	CHECK_EQ_INT(do_step(db, &op, b, HOTLINE_STEP_ASSIGN, &s, &e), -1);
	snprintf(s.username, sizeof s.username, "county_370704");
	CHECK_EQ_INT(do_step(db, &op, b, HOTLINE_STEP_ASSIGN, &s, &e), 0);
	memset(&tq, 0, sizeof tq);
	tq.mine = 1;
	CHECK_EQ_INT(hotline_tasks(db, &cs, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 1);
	CHECK_EQ_INT(tp.items[0].case_id, b);
	free(tp.items);
	CHECK_EQ_INT(hotline_tasks(db, &op, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 1);
	CHECK_EQ_INT(tp.items[0].case_id, a);
	free(tp.items);
	/* a promised callback is a task of the operator who promised it */
	struct hotline_call_in in = child_call(V_KW);
	snprintf(in.line_code, sizeof in.line_code, "assist");
	snprintf(in.category, sizeof in.category, "policy");
	snprintf(in.outcome, sizeof in.outcome, "advice");
	snprintf(in.advice, sizeof in.advice, "稍后回电告知");
	snprintf(in.callback_due, sizeof in.callback_due, "2999-01-01T10:00");
	int64_t call;
	CHECK_EQ_INT(hotline_call_record(db, &op, &in, NULL, &call, NULL, &e), 0);
	CHECK_EQ_INT(hotline_tasks(db, &op, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 2);
	free(tp.items);
	CHECK_EQ_INT(hotline_call_callback(db, &op, call, "已回电", &e), 0);
	CHECK_EQ_INT(hotline_call_callback(db, &op, call, "", &e), -1);
	CHECK_EQ_STR(e.code, "callback_done");
	CHECK_EQ_INT(hotline_tasks(db, &op, &tq, &tp, &e), 0);
	CHECK_EQ_INT(tp.total, 1);
	free(tp.items);
	/* the county view: 坊子区 has 2 open cases, 1 assessment overdue; 奎文区 a call */
	struct hotline_overview_row *rows;
	int n;
	CHECK_EQ_INT(hotline_overview(db, &op, "", "", &rows, &n, &e), 0);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_STR(rows[0].region_code, "370704");
	CHECK_EQ_STR(rows[0].region_name, "坊子区");
	CHECK_EQ_INT(rows[0].calls, 2);
	CHECK_EQ_INT(rows[0].calls_child, 2);
	CHECK_EQ_INT(rows[0].opened, 2);
	CHECK_EQ_INT(rows[0].open, 2);
	CHECK_EQ_INT(rows[0].intake, 2);
	CHECK_EQ_INT(rows[0].overdue_assess, 1);
	CHECK_EQ_INT(rows[0].closed, 0);
	CHECK_EQ_STR(rows[1].region_code, "370705");
	CHECK_EQ_INT(rows[1].calls, 1);
	CHECK_EQ_INT(rows[1].open, 0);
	free(rows);
	/* a period before anything happened */
	CHECK_EQ_INT(hotline_overview(db, &op, "2019-01-01", "2019-12-31", &rows, &n, &e), 0);
	CHECK_EQ_INT(rows[0].calls, 0);
	CHECK_EQ_INT(rows[0].opened, 0);
	CHECK_EQ_INT(rows[0].open, 2); /* "now" figures do not depend on the period */
	free(rows);
	CHECK_EQ_INT(hotline_overview(db, &op, "2020-02-30", "", &rows, &n, &e), -1);
	CHECK_EQ_STR(e.field, "from");
	db_close(db);
}

TEST(only_the_city_sets_lines)
{
	struct db *db = open_seeded();
	struct actor sys, cs = county();
	struct err e;
	actor_system(&sys);
	struct hotline_line l;
	memset(&l, 0, sizeof l);
	snprintf(l.code, sizeof l.code, "elder");
	snprintf(l.name, sizeof l.name, "老年人关爱热线");
	snprintf(l.number, sizeof l.number, "0536-96000");
	snprintf(l.kind, sizeof l.kind, "assistance");
	l.active = 1;
	CHECK_EQ_INT(hotline_line_set(db, &cs, &l, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	snprintf(l.kind, sizeof l.kind, "elderly");
	CHECK_EQ_INT(hotline_line_set(db, &sys, &l, &e), -1);
	CHECK_EQ_STR(e.field, "kind");
	snprintf(l.kind, sizeof l.kind, "assistance");
	CHECK_EQ_INT(hotline_line_set(db, &sys, &l, &e), 0);
	struct hotline_line *lines;
	int n;
	CHECK_EQ_INT(hotline_lines_list(db, &cs, &lines, &n, &e), 0);
	CHECK_EQ_INT(n, 3);
	free(lines);
	/* a stopped line takes no new calls */
	l.active = 0;
	CHECK_EQ_INT(hotline_line_set(db, &sys, &l, &e), 0);
	struct hotline_call_in in = child_call(V_FZ);
	snprintf(in.line_code, sizeof in.line_code, "elder");
	snprintf(in.outcome, sizeof in.outcome, "no_action");
	int64_t id;
	CHECK_EQ_INT(hotline_call_record(db, &cs, &in, NULL, &id, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "line_code");
	db_close(db);
}

UNIT_MAIN(a_call_opens_a_child_protection_case_in_one_transaction,
	  an_out_of_scope_child_case_stores_neither_the_case_nor_the_call,
	  call_records_are_never_edited_corrections_are_new_records,
	  purge_removes_only_old_call_records_that_no_case_refers_to,
	  the_case_workflow_with_temporary_care_to_closure, a_bad_step_changes_nothing,
	  a_child_case_assessed_out_of_scope_gets_no_plan_and_closes_as_such,
	  other_counties_cases_are_not_found_whatever_is_sent,
	  unmasked_reads_need_the_permission_and_are_audited,
	  overdue_assessments_and_follow_ups_are_the_queue_and_the_overview,
	  only_the_city_sets_lines)
