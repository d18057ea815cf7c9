/* test_inspections.c — inspections and rectification: the pure rules (every transition of the
 * status table, overdue and due-soon by deadline with hand-counted days, across a leap day),
 * then the store on a fresh database: recording a visit (a failed checklist item becomes a
 * rectification item with the policy's default deadline; incomplete checklists, findings on
 * passed items and owners off the target's line are refused and write nothing), the item's
 * life (owner submits with evidence, the inspecting side verifies, nobody verifies their own
 * submission, reject / reopen / extend), the overdue list against the rule, scope (another
 * county neither sees nor acts), teams (visibility by area, masked phones, audited unmask) and
 * the summary. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "inspections/inspections.h"
#include "institutions/institutions.h"
#include "policy/policy.h"
#include "regions/regions.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* rules                                                                                      */
/* ------------------------------------------------------------------------------------------ */

TEST(transitions_follow_the_table)
{
	enum { O = INSPECTIONS_OPEN, P = INSPECTIONS_IN_PROGRESS, S = INSPECTIONS_SUBMITTED,
	       V = INSPECTIONS_VERIFIED, R = INSPECTIONS_REOPENED, X = -1 };
	/* rows: status; columns: start submit verify reject reopen extend */
	static const int want[INSPECTIONS_NSTATUS][INSPECTIONS_NACTIONS] = {
		[INSPECTIONS_OPEN] = {P, S, X, X, X, O},
		[INSPECTIONS_IN_PROGRESS] = {X, S, X, X, X, P},
		[INSPECTIONS_SUBMITTED] = {X, X, V, R, X, X},
		[INSPECTIONS_VERIFIED] = {X, X, X, X, R, X},
		[INSPECTIONS_REOPENED] = {P, S, X, X, X, R},
	};
	for (int s = 0; s < INSPECTIONS_NSTATUS; s++)
		for (int a = 0; a < INSPECTIONS_NACTIONS; a++) {
			if (inspections_next_status(s, a) != want[s][a])
				fprintf(stderr, "  status %s action %s\n", inspections_status_name(s),
					inspections_action_name(a));
			CHECK_EQ_INT(inspections_next_status(s, a), want[s][a]);
		}
	CHECK_EQ_INT(inspections_next_status(-1, INSPECTIONS_START), -1);
	CHECK_EQ_INT(inspections_next_status(INSPECTIONS_OPEN, 99), -1);
}

TEST(names_parse_back)
{
	for (int s = 0; s < INSPECTIONS_NSTATUS; s++)
		CHECK_EQ_INT(inspections_status_parse(inspections_status_name(s)), s);
	for (int a = 0; a < INSPECTIONS_NACTIONS; a++)
		CHECK_EQ_INT(inspections_action_parse(inspections_action_name(a)), a);
	CHECK_EQ_INT(inspections_status_parse("closed"), -1);
	CHECK_EQ_STR(inspections_status_label(INSPECTIONS_VERIFIED), "已销号");
	CHECK(inspections_action_by_inspector(INSPECTIONS_VERIFY));
	CHECK(!inspections_action_by_inspector(INSPECTIONS_SUBMIT));
}

TEST(overdue_starts_the_day_after_the_deadline)
{
	/* the deadline day itself is still in time */
	CHECK(!inspections_is_overdue(INSPECTIONS_OPEN, "2020-03-05", "2020-03-05"));
	CHECK(inspections_is_overdue(INSPECTIONS_OPEN, "2020-03-05", "2020-03-06"));
	CHECK_EQ_INT(inspections_days_overdue(INSPECTIONS_OPEN, "2020-03-05", "2020-03-08"), 3);
	CHECK_EQ_INT(inspections_days_overdue(INSPECTIONS_IN_PROGRESS, "2020-03-05", "2020-03-05"), 0);
	/* across 29 February 2020: 02-28 → 03-01 is two days */
	CHECK_EQ_INT(inspections_days_overdue(INSPECTIONS_REOPENED, "2020-02-28", "2020-03-01"), 2);
	/* across a year end */
	CHECK_EQ_INT(inspections_days_overdue(INSPECTIONS_OPEN, "2019-12-30", "2020-01-02"), 3);
}

TEST(a_submission_stops_the_clock)
{
	CHECK(!inspections_is_overdue(INSPECTIONS_SUBMITTED, "2020-03-05", "2020-04-01"));
	CHECK(!inspections_is_overdue(INSPECTIONS_VERIFIED, "2020-03-05", "2020-04-01"));
	CHECK_EQ_INT(inspections_days_overdue(INSPECTIONS_VERIFIED, "2020-03-05", "2020-04-01"), 0);
	CHECK(inspections_is_overdue(INSPECTIONS_REOPENED, "2020-03-05", "2020-04-01"));
	CHECK(!inspections_is_overdue(INSPECTIONS_OPEN, "not-a-day", "2020-04-01"));
}

TEST(due_soon_is_a_window_before_the_deadline)
{
	/* window of 2 days: deadline 03-07 is due soon on 03-05, 03-06, 03-07, not on 03-04 */
	CHECK(!inspections_is_due_soon(INSPECTIONS_OPEN, "2020-03-07", "2020-03-04", 2));
	CHECK(inspections_is_due_soon(INSPECTIONS_OPEN, "2020-03-07", "2020-03-05", 2));
	CHECK(inspections_is_due_soon(INSPECTIONS_OPEN, "2020-03-07", "2020-03-07", 2));
	CHECK(!inspections_is_due_soon(INSPECTIONS_OPEN, "2020-03-07", "2020-03-08", 2));
	CHECK(!inspections_is_due_soon(INSPECTIONS_SUBMITTED, "2020-03-07", "2020-03-06", 2));
	CHECK(!inspections_is_due_soon(INSPECTIONS_OPEN, "2020-03-07", "2020-03-06", 0));
}

TEST(date_arithmetic)
{
	char d[11];
	inspections_date_add("2020-02-26", 7, d);
	CHECK_EQ_STR(d, "2020-03-04"); /* 2020 is a leap year: 27, 28, 29, 1, 2, 3, 4 */
	inspections_date_add("2019-02-26", 7, d);
	CHECK_EQ_STR(d, "2019-03-05");
	inspections_date_add("2020-01-01", -1, d);
	CHECK_EQ_STR(d, "2019-12-31");
	CHECK(inspections_date_valid("2020-02-29"));
	CHECK(!inspections_date_valid("2019-02-29"));
	CHECK(!inspections_date_valid("2020-13-01"));
	CHECK_EQ_INT(inspections_date_days("1970-01-02"), 1);
}

/* ------------------------------------------------------------------------------------------ */
/* fixtures                                                                                   */
/* ------------------------------------------------------------------------------------------ */

#define T704 "370704003" /* 凤凰街道, 坊子区 */
#define T705 "370705001" /* 东关街道, 奎文区 */

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	struct actor sys;
	actor_system(&sys);
	if (regions_load_builtin(db, &e) < 0 || policy_load_demo_defaults(db, &sys, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	return db;
}

/* The actor of an existing user, read again (after an attachment). */
static struct actor user_again(struct db *db, const char *name)
{
	struct actor a;
	struct err e;
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", name);
	if (accounts_actor_for_user(db, id, &a, &e) < 0)
		abort();
	return a;
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static int64_t make_team(struct db *db, const struct actor *a, const char *name, const char *area)
{
	struct inspections_team_in *in = calloc(1, sizeof *in);
	struct err e;
	int64_t id = 0;
	snprintf(in->name, sizeof in->name, "%s", name);
	snprintf(in->region_code, sizeof in->region_code, "3707");
	in->n_areas = 1;
	snprintf(in->areas[0], 16, "%s", area);
	in->n_members = 2;
	snprintf(in->members[0].name, sizeof in->members[0].name, "王强");
	snprintf(in->members[0].role, sizeof in->members[0].role, "leader");
	snprintf(in->members[0].phone, sizeof in->members[0].phone, "138 0000 0001");
	snprintf(in->members[1].name, sizeof in->members[1].name, "赵敏");
	if (inspections_team_create(db, a, in, &id, &e) < 0)
		id = 0; /* callers check: 0 is "refused" */
	free(in);
	return id;
}

/* Every active item of a region visit, all pass except `fail_code` (NULL: none). */
static void fill_results(struct inspections_in *in, struct inspections_result_in *res,
			 const char *fail_code, const char *note)
{
	static const char *const codes[] = {
		"closed_staff_stay", "closed_no_visitors", "closed_residents_stay",
		"closed_goods_contactless", "disinfection", "temperature_log", "goods_stock",
		"emergency_plan", "daily_report", "duty_roster",
	};
	memset(res, 0, sizeof *res * 10);
	for (int i = 0; i < 10; i++) {
		snprintf(res[i].code, sizeof res[i].code, "%s", codes[i]);
		int fail = fail_code && strcmp(codes[i], fail_code) == 0;
		snprintf(res[i].result, sizeof res[i].result, "%s", fail ? "fail" : "pass");
		if (fail && note)
			snprintf(res[i].note, sizeof res[i].note, "%s", note);
	}
	in->results = res;
	in->n_results = 10;
}

/* A visit by team to region on day with one failed item; the new item's id into *rect. */
static int visit(struct db *db, const struct actor *a, int64_t team, const char *region,
		 const char *day, const char *fail, int64_t *rect, struct err *e)
{
	struct inspections_in in;
	struct inspections_result_in res[10];
	int64_t id;
	memset(&in, 0, sizeof in);
	in.team_id = team;
	snprintf(in.target_kind, sizeof in.target_kind, "region");
	snprintf(in.region_code, sizeof in.region_code, "%s", region);
	snprintf(in.visited_on, sizeof in.visited_on, "%s", day);
	fill_results(&in, res, fail, "门岗无登记");
	if (inspections_record(db, a, &in, &id, e) < 0)
		return -1;
	if (rect)
		*rect = db_query_int(db, "SELECT max(id) FROM rectifications", NULL);
	return 0;
}

/* A visit to 凤凰街道 itself with the goods item failing; its item into *rect. */
static int visit_ok(struct db *db, const struct actor *a, int64_t team, int64_t *rect)
{
	struct err e;
	return visit(db, a, team, T704, "2020-03-01", "goods_stock", rect, &e);
}

static int act(struct db *db, const struct actor *a, int64_t id, int action, const char *on,
	       const char *text, const char *deadline, struct err *e)
{
	struct inspections_rect_action_in in;
	memset(&in, 0, sizeof in);
	in.action = action;
	snprintf(in.on, sizeof in.on, "%s", on ? on : "");
	snprintf(in.text, sizeof in.text, "%s", text ? text : "");
	snprintf(in.deadline, sizeof in.deadline, "%s", deadline ? deadline : "");
	return inspections_rect_act(db, a, id, &in, e);
}

static int status_of(struct db *db, const struct actor *a, int64_t id)
{
	struct inspections_rect_detail d;
	struct err e;
	if (inspections_rect_get(db, a, id, &d, &e) < 0)
		return -1;
	int s = d.r.status;
	inspections_rect_detail_release(&d);
	return s;
}

/* ------------------------------------------------------------------------------------------ */
/* recording                                                                                  */
/* ------------------------------------------------------------------------------------------ */

TEST(a_failed_item_becomes_a_rectification_item_with_the_default_deadline)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), rect = 0;
	CHECK(team > 0);
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-02-26", "closed_no_visitors", &rect, &e), 0);
	struct inspections_rect_detail d;
	CHECK_EQ_INT(inspections_rect_get(db, &insp, rect, &d, &e), 0);
	/* rectification_deadline_days is 7 in the demo values: 2020-02-26 + 7 (a leap February) */
	CHECK_EQ_STR(d.r.deadline, "2020-03-04");
	CHECK_EQ_INT(d.r.status, INSPECTIONS_OPEN);
	CHECK_EQ_STR(d.r.region_code, T704);
	CHECK_EQ_STR(d.r.owner_name, "凤凰街道");
	CHECK_EQ_STR(d.r.finding, "外来人员不进入：门岗无登记");
	CHECK_EQ_STR(d.r.inspector_region, "3707");
	CHECK_EQ_INT(d.n_events, 1);
	CHECK_EQ_STR(d.events[0].action, "create");
	inspections_rect_detail_release(&d);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspection_results"), 10);
	CHECK_EQ_INT(q(db, "SELECT n_fail FROM inspections"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'inspection.record'"), 1);
	db_close(db);
}

TEST(an_incomplete_checklist_is_refused_and_nothing_is_written)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704");
	struct inspections_in in;
	struct inspections_result_in res[10];
	int64_t id;
	memset(&in, 0, sizeof in);
	in.team_id = team;
	snprintf(in.target_kind, sizeof in.target_kind, "region");
	snprintf(in.region_code, sizeof in.region_code, T704);
	fill_results(&in, res, NULL, NULL);
	in.n_results = 9; /* duty_roster missing */
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "checklist_incomplete");
	CHECK(strstr(e.message, "24 小时值班值守") != NULL);
	/* an item twice */
	in.n_results = 10;
	snprintf(res[9].code, sizeof res[9].code, "disinfection");
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "results[9].item_id");
	/* an unknown result */
	snprintf(res[9].code, sizeof res[9].code, "duty_roster");
	snprintf(res[2].result, sizeof res[2].result, "ok");
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "results[2].result");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspections"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspection_results"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'inspection.record%'"), 0);
	db_close(db);
}

TEST(findings_name_failed_items_and_owners_on_the_targets_line)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), id;
	struct inspections_in in;
	struct inspections_result_in res[10];
	struct inspections_finding_in f[2];
	memset(&in, 0, sizeof in);
	memset(f, 0, sizeof f);
	in.team_id = team;
	snprintf(in.target_kind, sizeof in.target_kind, "region");
	snprintf(in.region_code, sizeof in.region_code, T704);
	snprintf(in.visited_on, sizeof in.visited_on, "2020-03-01");
	fill_results(&in, res, "goods_stock", NULL);
	in.findings = f;
	in.n_findings = 1;
	/* a finding on an item that passed */
	snprintf(f[0].code, sizeof f[0].code, "disinfection");
	snprintf(f[0].description, sizeof f[0].description, "消毒记录缺页");
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "findings[0].item_id");
	/* an owner in another county: not on the target's line */
	snprintf(f[0].code, sizeof f[0].code, "goods_stock");
	snprintf(f[0].owner_kind, sizeof f[0].owner_kind, "region");
	snprintf(f[0].owner_region, sizeof f[0].owner_region, T705);
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	/* a deadline before the visit */
	snprintf(f[0].owner_region, sizeof f[0].owner_region, "370704"); /* the county: on the line */
	snprintf(f[0].deadline, sizeof f[0].deadline, "2020-02-29");
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "findings[0].deadline");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspections"), 0);
	/* now right: the county owns the goods item by 03-10; a second finding fixed on site */
	snprintf(f[0].deadline, sizeof f[0].deadline, "2020-03-10");
	snprintf(f[1].description, sizeof f[1].description, "口罩未按规定佩戴，已当场纠正");
	f[1].fixed_on_site = 1;
	in.n_findings = 2;
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &id, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspection_findings"), 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM rectifications"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM rectifications WHERE region_code = '370704' AND "
			   "deadline = '2020-03-10' AND owner_name = '坊子区'"), 1);
	db_close(db);
}

TEST(only_inspection_users_record_and_not_about_their_own_unit)
{
	struct db *db = setup();
	struct actor town = testactor_user(db, "town", "township_assistant", T704);
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	int64_t id;
	CHECK_EQ_INT(visit(db, &town, 0, T704, "2020-03-01", NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	/* the county inspects its own township (no team): allowed */
	CHECK_EQ_INT(visit(db, &county, 0, T704, "2020-03-01", NULL, NULL, &e), 0);
	/* … but not itself, nor a township of another county */
	CHECK_EQ_INT(visit(db, &county, 0, "370704", "2020-03-01", NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	CHECK_EQ_INT(visit(db, &county, 0, T705, "2020-03-01", NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	/* a date in the future */
	CHECK_EQ_INT(visit(db, &county, 0, T704, "2999-01-01", NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "visited_on");
	(void)id;
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspections"), 1);
	db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* the item's life                                                                            */
/* ------------------------------------------------------------------------------------------ */

TEST(the_owner_submits_evidence_and_the_team_verifies)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct actor insp2 = testactor_user(db, "insp2", "inspector", "3707");
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), rect;
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-03-01", "disinfection", &rect, &e), 0);
	/* verify too early */
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_VERIFY, "2020-03-02", NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "invalid_step");
	CHECK_EQ_INT(act(db, &county, rect, INSPECTIONS_START, "2020-03-02", NULL, NULL, &e), 0);
	/* evidence is required */
	CHECK_EQ_INT(act(db, &county, rect, INSPECTIONS_SUBMIT, "2020-03-04", "  ", NULL, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	/* a day before the last step */
	CHECK_EQ_INT(act(db, &county, rect, INSPECTIONS_SUBMIT, "2020-03-01", "已补齐", NULL, &e), -1);
	CHECK_EQ_STR(e.field, "on");
	CHECK_EQ_INT(act(db, &county, rect, INSPECTIONS_SUBMIT, "2020-03-04", "已补齐消毒记录，附照片",
			 NULL, &e), 0);
	CHECK_EQ_INT(status_of(db, &insp, rect), INSPECTIONS_SUBMITTED);
	/* the county cannot verify the team's item */
	CHECK_EQ_INT(act(db, &county, rect, INSPECTIONS_VERIFY, "2020-03-05", NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_VERIFY, "2020-03-05", "现场复查合格", NULL, &e), 0);
	struct inspections_rect_detail d;
	CHECK_EQ_INT(inspections_rect_get(db, &county, rect, &d, &e), 0);
	CHECK_EQ_INT(d.r.status, INSPECTIONS_VERIFIED);
	CHECK_EQ_STR(d.r.evidence, "已补齐消毒记录，附照片");
	CHECK_EQ_STR(d.r.submitted_by, "c704");
	CHECK_EQ_STR(d.r.verified_by, "insp");
	CHECK_EQ_STR(d.r.verified_on, "2020-03-05");
	CHECK(!d.r.closed_late); /* submitted 03-04, deadline 03-08 */
	CHECK_EQ_INT(d.n_events, 4);
	inspections_rect_detail_release(&d);
	/* reopened later by the team, with a new deadline */
	CHECK_EQ_INT(act(db, &insp2, rect, INSPECTIONS_REOPEN, "2020-03-20", NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "required"); /* a reason */
	CHECK_EQ_INT(act(db, &insp2, rect, INSPECTIONS_REOPEN, "2020-03-20", "回头看发现未坚持",
			 "2020-03-25", &e), 0);
	CHECK_EQ_INT(inspections_rect_get(db, &insp, rect, &d, &e), 0);
	CHECK_EQ_INT(d.r.status, INSPECTIONS_REOPENED);
	CHECK_EQ_STR(d.r.deadline, "2020-03-25");
	CHECK_EQ_INT(d.r.reopened_count, 1);
	CHECK_EQ_STR(d.r.verified_on, "");
	inspections_rect_detail_release(&d);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'inspection.rect.%'"), 4);
	db_close(db);
}

TEST(nobody_verifies_their_own_submission)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "boss", "city_admin", "3707");
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t team = make_team(db, &admin, "第一督导组", "370704"), rect;
	CHECK_EQ_INT(visit(db, &admin, team, T704, "2020-03-01", "goods_stock", &rect, &e), 0);
	CHECK_EQ_INT(act(db, &admin, rect, INSPECTIONS_SUBMIT, "2020-03-02", "已补充", NULL, &e), 0);
	CHECK_EQ_INT(act(db, &admin, rect, INSPECTIONS_VERIFY, "2020-03-03", NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "same_person");
	CHECK_EQ_INT(act(db, &admin, rect, INSPECTIONS_REJECT, "2020-03-03", "不行", NULL, &e), -1);
	CHECK_EQ_STR(e.code, "same_person");
	/* a colleague rejects with a reason; the owner submits again; the colleague verifies */
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_REJECT, "2020-03-03", "缺少照片", NULL, &e), 0);
	CHECK_EQ_INT(status_of(db, &insp, rect), INSPECTIONS_REOPENED);
	CHECK_EQ_INT(act(db, &admin, rect, INSPECTIONS_SUBMIT, "2020-03-04", "补照片", NULL, &e), 0);
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_VERIFY, "2020-03-04", NULL, NULL, &e), 0);
	CHECK_EQ_INT(status_of(db, &insp, rect), INSPECTIONS_VERIFIED);
	db_close(db);
}

TEST(extend_moves_the_deadline_later_only)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), rect;
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-03-01", "goods_stock", &rect, &e), 0);
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_EXTEND, "2020-03-02", "物资在途", "2020-03-08", &e), -1);
	CHECK_EQ_STR(e.field, "deadline"); /* 03-08 is the current deadline, not later */
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_EXTEND, "2020-03-02", "", "2020-03-15", &e), -1);
	CHECK_EQ_STR(e.field, "text");
	CHECK_EQ_INT(act(db, &insp, rect, INSPECTIONS_EXTEND, "2020-03-02", "物资在途", "2020-03-15", &e), 0);
	struct inspections_rect_detail d;
	CHECK_EQ_INT(inspections_rect_get(db, &insp, rect, &d, &e), 0);
	CHECK_EQ_STR(d.r.deadline, "2020-03-15");
	CHECK_EQ_INT(d.r.status, INSPECTIONS_OPEN);
	CHECK_EQ_STR(d.r.last_note, "物资在途");
	inspections_rect_detail_release(&d);
	db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* lists, scope, teams, summary                                                               */
/* ------------------------------------------------------------------------------------------ */

TEST(the_overdue_list_is_the_rule_in_sql)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), r1, r2, r3;
	/* deadlines 03-08, 03-04, 03-11 */
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-03-01", "goods_stock", &r1, &e), 0);
	CHECK_EQ_INT(visit(db, &insp, team, "370704004", "2020-02-26", "disinfection", &r2, &e), 0);
	CHECK_EQ_INT(visit(db, &insp, team, "370704005", "2020-03-04", "emergency_plan", &r3, &e), 0);
	CHECK_EQ_INT(act(db, &insp, r3, INSPECTIONS_SUBMIT, "2020-03-20", "已制定预案", NULL, &e), 0);
	static const struct {
		const char *as_of;
		int n;
		int64_t first;
	} cases[] = {
		{"2020-03-04", 0, 0}, {"2020-03-05", 1, 0}, {"2020-03-09", 2, 0}, {"2020-04-30", 2, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct inspections_rect_query qq;
		struct inspections_rect_page p;
		memset(&qq, 0, sizeof qq);
		qq.overdue = 1;
		snprintf(qq.as_of, sizeof qq.as_of, "%s", cases[i].as_of);
		CHECK_EQ_INT(inspections_rect_list(db, &insp, &qq, &p, &e), 0);
		CHECK_EQ_INT(p.n, cases[i].n);
		CHECK_EQ_INT(p.total, cases[i].n);
		for (int k = 0; k < p.n; k++) {
			CHECK(p.items[k].overdue);
			CHECK_EQ_INT(p.items[k].days_overdue,
				     inspections_days_overdue(p.items[k].status, p.items[k].deadline,
							      cases[i].as_of));
		}
		if (p.n)
			CHECK_EQ_INT(p.items[0].id, r2); /* the oldest deadline first */
		inspections_rect_page_release(&p);
	}
	/* the submitted one (r3, past its deadline) is not overdue but counts as closed late */
	struct inspections_summary s;
	CHECK_EQ_INT(inspections_rect_summary(db, &insp, "", "2020-03-09", &s, &e), 0);
	CHECK_EQ_INT(s.total, 3);
	CHECK_EQ_INT(s.overdue, 2);
	CHECK_EQ_INT(s.by_status[INSPECTIONS_OPEN], 2);
	CHECK_EQ_INT(s.by_status[INSPECTIONS_SUBMITTED], 1);
	CHECK_EQ_INT(s.closed_late, 1);
	CHECK_EQ_INT(s.n_units, 1);
	CHECK_EQ_STR(s.units[0].unit_code, "370704");
	CHECK_EQ_INT(s.units[0].overdue, 2);
	inspections_summary_release(&s);
	/* due soon (window 2): on 03-06 the 03-08 item is due soon, the 03-04 one overdue */
	CHECK_EQ_INT(inspections_rect_summary(db, &insp, "", "2020-03-06", &s, &e), 0);
	CHECK_EQ_INT(s.due_soon, 1);
	CHECK_EQ_INT(s.overdue, 1);
	inspections_summary_release(&s);
	(void)r1;
	db_close(db);
}

TEST(another_county_neither_sees_nor_acts)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct actor other = testactor_user(db, "c705", "county_staff", "370705");
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), rect;
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-03-01", "goods_stock", &rect, &e), 0);
	int64_t insp_id = q(db, "SELECT max(id) FROM inspections");
	struct inspections_rect_detail d;
	CHECK_EQ_INT(inspections_rect_get(db, &other, rect, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(act(db, &other, rect, INSPECTIONS_SUBMIT, "2020-03-02", "越权", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct inspections_detail dd;
	CHECK_EQ_INT(inspections_get(db, &other, insp_id, &dd, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(inspections_get(db, &county, insp_id, &dd, &e), 0);
	CHECK_EQ_INT(dd.n_rects, 1);
	inspections_detail_release(&dd);
	struct inspections_rect_query qq;
	struct inspections_rect_page p;
	memset(&qq, 0, sizeof qq);
	CHECK_EQ_INT(inspections_rect_list(db, &other, &qq, &p, &e), 0);
	CHECK_EQ_INT(p.total, 0);
	inspections_rect_page_release(&p);
	CHECK_EQ_INT(inspections_rect_list(db, &county, &qq, &p, &e), 0);
	CHECK_EQ_INT(p.total, 1);
	inspections_rect_page_release(&p);
	/* a filter outside the scope is refused, not silently empty */
	snprintf(qq.region, sizeof qq.region, "370704");
	CHECK_EQ_INT(inspections_rect_list(db, &other, &qq, &p, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM rectifications WHERE status = 'open'"), 1);
	db_close(db);
}

TEST(teams_are_seen_where_they_work_and_phones_are_masked)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "boss", "city_admin", "3707");
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	struct actor village = testactor_user(db, "vil", "village_worker", "370704003009");
	struct err e;
	int64_t team = make_team(db, &insp, "第一督导组", "370704");
	struct inspections_team *t = malloc(sizeof *t);
	CHECK_EQ_INT(inspections_team_get(db, &c704, team, 0, t, &e), 0);
	CHECK_EQ_STR(t->members[0].phone, "138****0001");
	CHECK_EQ_STR(t->members[0].role, "leader");
	CHECK_EQ_STR(t->members[1].role, "member");
	CHECK_EQ_INT(inspections_team_get(db, &c705, team, 0, t, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(inspections_team_get(db, &village, team, 0, t, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* unmask: the inspector role lacks registry.unmask; the city admin has it (audited) */
	CHECK_EQ_INT(inspections_team_get(db, &insp, team, 1, t, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(inspections_team_get(db, &admin, team, 1, t, &e), 0);
	CHECK_EQ_STR(t->members[0].phone, "13800000001");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'inspection.team.unmask'"), 1);
	/* county staff cannot edit the city's team; a second leader is refused */
	struct inspections_team_in *in = calloc(1, sizeof *in);
	in->has_name = 1;
	snprintf(in->name, sizeof in->name, "改名");
	CHECK_EQ_INT(inspections_team_update(db, &c704, team, in, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	in->has_name = 0;
	in->has_members = 1;
	in->n_members = 2;
	snprintf(in->members[0].name, sizeof in->members[0].name, "甲");
	snprintf(in->members[0].role, sizeof in->members[0].role, "leader");
	snprintf(in->members[1].name, sizeof in->members[1].name, "乙");
	snprintf(in->members[1].role, sizeof in->members[1].role, "leader");
	CHECK_EQ_INT(inspections_team_update(db, &insp, team, in, &e), -1);
	CHECK_EQ_STR(e.field, "members");
	in->has_members = 0;
	in->has_areas = 1;
	in->n_areas = 2;
	snprintf(in->areas[0], 16, "370704");
	snprintf(in->areas[1], 16, "370705");
	CHECK_EQ_INT(inspections_team_update(db, &insp, team, in, &e), 0);
	CHECK_EQ_INT(inspections_team_get(db, &c705, team, 0, t, &e), 0);
	CHECK_EQ_INT(t->n_members, 2); /* members unchanged by an areas-only update */
	/* a duplicate name */
	memset(in, 0, sizeof *in);
	CHECK_EQ_INT(make_team(db, &insp, "第一督导组", "370705"), 0);
	free(in);
	free(t);
	db_close(db);
}

TEST(checklist_items_are_data)
{
	struct db *db = setup();
	struct actor insp = testactor_user(db, "insp", "inspector", "3707");
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	struct inspections_check_item it, *all;
	int64_t id;
	int created, n;
	memset(&it, 0, sizeof it);
	snprintf(it.code, sizeof it.code, "ventilation");
	snprintf(it.category, sizeof it.category, "防控措施");
	snprintf(it.label, sizeof it.label, "居室每日通风");
	it.active = 1;
	CHECK_EQ_INT(inspections_checklist_put(db, &county, &it, &id, &created, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(inspections_checklist_put(db, &insp, &it, &id, &created, &e), 0);
	CHECK_EQ_INT(created, 1);
	CHECK_EQ_INT(inspections_checklist(db, &county, 0, &all, &n, &e), 0);
	CHECK_EQ_INT(n, 11);
	CHECK_EQ_STR(all[n - 1].code, "ventilation");
	free(all);
	/* a visit now needs the new item too */
	int64_t team = make_team(db, &insp, "第一督导组", "370704");
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-03-01", NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "checklist_incomplete");
	/* retired: visits no longer need it */
	it.active = 0;
	CHECK_EQ_INT(inspections_checklist_put(db, &insp, &it, &id, &created, &e), 0);
	CHECK_EQ_INT(created, 0);
	CHECK_EQ_INT(visit(db, &insp, team, T704, "2020-03-01", NULL, NULL, &e), 0);
	CHECK_EQ_INT(inspections_checklist(db, &county, 1, &all, &n, &e), 0);
	CHECK_EQ_INT(n, 11);
	free(all);
	db_close(db);
}


TEST(an_institution_closes_its_own_items_and_sees_nothing_else)
{
	struct db *db = setup();
	struct actor sys, insp = testactor_user(db, "insp", "inspector", "3707");
	struct actor rep = testactor_user(db, "rep", "institution_reporter", T704);
	struct err e;
	actor_system(&sys);
	/* an elderly home of 凤凰街道 in the institutions registry, its reporter attached */
	struct institution_in ii;
	int64_t inst;
	memset(&ii, 0, sizeof ii);
	ii.has = INST_HAS_NAME | INST_HAS_TYPE | INST_HAS_REGION | INST_HAS_OPENED;
	snprintf(ii.name, sizeof ii.name, "凤凰街道敬老院");
	snprintf(ii.type, sizeof ii.type, "elderly_home");
	snprintf(ii.region_code, sizeof ii.region_code, T704);
	snprintf(ii.opened_on, sizeof ii.opened_on, "2015-01-01");
	CHECK_EQ_INT(institutions_create(db, &sys, &ii, &inst, &e), 0);
	CHECK_EQ_INT(institutions_attach(db, &sys, inst, "rep", &e), 0);
	rep = user_again(db, "rep");
	int64_t team = make_team(db, &insp, "第一督导组", "370704"), own, township_item;
	/* a visit to the home (its name and region from the registry) and one to the township */
	struct inspections_in in;
	struct inspections_result_in res[10];
	int64_t visit;
	memset(&in, 0, sizeof in);
	in.team_id = team;
	snprintf(in.target_kind, sizeof in.target_kind, "institution");
	in.institution_id = inst;
	snprintf(in.visited_on, sizeof in.visited_on, "2020-03-01");
	fill_results(&in, res, "temperature_log", "台账缺两天");
	in.n_results = 8; /* the two items for counties and townships do not apply */
	in.institution_id = inst + 1000; /* not in the registry */
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &visit, &e), -1);
	CHECK_EQ_STR(e.field, "institution_id");
	in.institution_id = inst;
	CHECK_EQ_INT(inspections_record(db, &insp, &in, &visit, &e), 0);
	own = q(db, "SELECT max(id) FROM rectifications");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inspections WHERE target_name = '凤凰街道敬老院' AND "
			   "region_code = '370704003'"), 1);
	CHECK_EQ_INT(visit_ok(db, &insp, team, &township_item), 0);
	/* the reporter: its own item only */
	struct inspections_rect_query qq;
	struct inspections_rect_page p;
	memset(&qq, 0, sizeof qq);
	CHECK_EQ_INT(inspections_rect_list(db, &rep, &qq, &p, &e), 0);
	CHECK_EQ_INT(p.total, 1);
	CHECK_EQ_INT(p.n ? p.items[0].id : 0, own);
	inspections_rect_page_release(&p);
	struct inspections_rect_detail d;
	CHECK_EQ_INT(inspections_rect_get(db, &rep, township_item, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(act(db, &rep, township_item, INSPECTIONS_SUBMIT, "2020-03-02", "越权", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(act(db, &rep, own, INSPECTIONS_SUBMIT, "2020-03-02", "已补齐体温台账", NULL, &e), 0);
	CHECK_EQ_INT(act(db, &rep, own, INSPECTIONS_VERIFY, "2020-03-03", NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	struct inspections_detail dd;
	CHECK_EQ_INT(inspections_get(db, &rep, visit, &dd, &e), 0);
	inspections_detail_release(&dd);
	CHECK_EQ_INT(inspections_get(db, &rep, visit + 1, &dd, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct inspections_summary sm;
	CHECK_EQ_INT(inspections_rect_summary(db, &rep, "", "", &sm, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	db_close(db);
}

UNIT_MAIN(transitions_follow_the_table, names_parse_back, overdue_starts_the_day_after_the_deadline,
	  a_submission_stops_the_clock, due_soon_is_a_window_before_the_deadline, date_arithmetic,
	  a_failed_item_becomes_a_rectification_item_with_the_default_deadline,
	  an_incomplete_checklist_is_refused_and_nothing_is_written,
	  findings_name_failed_items_and_owners_on_the_targets_line,
	  only_inspection_users_record_and_not_about_their_own_unit,
	  the_owner_submits_evidence_and_the_team_verifies, nobody_verifies_their_own_submission,
	  extend_moves_the_deadline_later_only, the_overdue_list_is_the_rule_in_sql,
	  another_county_neither_sees_nor_acts, teams_are_seen_where_they_work_and_phones_are_masked,
	  checklist_items_are_data, an_institution_closes_its_own_items_and_sees_nothing_else)
