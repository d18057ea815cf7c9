/* test_ledger.c — the hardship ledger against a fresh database (src/ledger/): who joins from the
 * registry tags and the assistance rolls and who leaves, with the reason; the sync being
 * idempotent; hand-added entries; helpers; visits moving the due date in their own transaction;
 * needs; the overdue list and its per-area counts; township contacts and the notice; the
 * statistics; scope (out of scope is 404 and changes nothing); audit rows.
 *
 * The region tree is the built-in Weifang one; the parameters are the demo ones (elderly living
 * alone 7 days, 低保 30, isolated families 1 …). Actors are real users built as the server builds
 * them (accounts_actor_for_user). Dates are relative to today, the day the store reads. */
#include "unit.h"
#include "testdb.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "ledger/ledger.h"
#include "policy/policy.h"
#include "regions/regions.h"
#include "registry/registry.h"

#include <stdlib.h>
#include <string.h>

#define V1 "370704008231" /* 栾家山后村, 太保庄街道, 坊子区 */
#define V2 "370704008201" /* another village of 太保庄街道 */
#define T1 "370704008"
#define T2 "370704009" /* another township of 坊子区 */
#define C1 "370704"

static char today[11];
static char hash[128];

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	struct actor sys;
	actor_system(&sys);
	clock_today(today);
	if (regions_load_builtin(db, &e) < 0 || policy_load_demo_defaults(db, &sys, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	if (!hash[0] && accounts_password_hash("password-123", hash, &e) < 0)
		abort();
	return db;
}

static struct actor user(struct db *db, const char *name, const char *role, const char *region)
{
	struct actor sys, a;
	struct err e;
	actor_system(&sys);
	if (accounts_user_add_hashed(db, &sys, name, role, region, hash, &e) < 0) {
		fprintf(stderr, "user %s: %s\n", name, e.message);
		abort();
	}
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", name);
	if (accounts_actor_for_user(db, id, &a, &e) < 0)
		abort();
	return a;
}

static int serial;

/* A household in village with a head (tags as a JSON array text, e.g. "[\"elderly_alone\"]") and
 * a child; returns the head's person id. */
static int64_t household(struct db *db, const char *village, const char *tags)
{
	char id1[19], id2[19], d17[18], json[1024];
	struct err e;
	struct actor sys;
	actor_system(&sys);
	serial++;
	snprintf(d17, sizeof d17, "11010519500101%03d", (serial * 2) % 1000);
	memcpy(id1, d17, 17);
	id1[17] = idnum_check_char(d17);
	id1[18] = '\0';
	snprintf(d17, sizeof d17, "11010520100101%03d", (serial * 2 + 1) % 1000);
	memcpy(id2, d17, 17);
	id2[17] = idnum_check_char(d17);
	id2[18] = '\0';
	snprintf(json, sizeof json,
		 "{\"region_code\":\"%s\",\"address\":\"台账测试%d号\",\"residence_type\":\"rural\","
		 "\"members\":[{\"id_number\":\"%s\",\"name\":\"户主%d\",\"relation\":\"head\","
		 "\"tags\":%s},{\"id_number\":\"%s\",\"name\":\"孩子%d\",\"relation\":\"child\"}]}",
		 village, serial, id1, serial, tags ? tags : "[]", id2, serial);
	json_t *j = json_loads(json, 0, NULL);
	struct registry_household_in *in = calloc(1, sizeof *in);
	int64_t hid = 0;
	if (!j || registry_household_from_json(j, in, &e) < 0 ||
	    registry_household_create(db, &sys, in, &hid, &e) < 0) {
		fprintf(stderr, "household: %s\n", e.message);
		abort();
	}
	json_decref(j);
	free(in);
	char q[32];
	snprintf(q, sizeof q, "%lld", (long long)hid);
	return db_query_int(db, "SELECT head_person_id FROM households WHERE id = ?", q);
}

static void set_tags(struct db *db, int64_t person, const char *tags)
{
	struct registry_person_in in;
	struct err e;
	struct actor sys;
	char json[256];
	actor_system(&sys);
	snprintf(json, sizeof json, "{\"tags\":%s}", tags);
	json_t *j = json_loads(json, 0, NULL);
	if (registry_person_from_json(j, &in, &e) < 0 ||
	    registry_person_patch(db, &sys, person, &in, &e) < 0) {
		fprintf(stderr, "set_tags: %s\n", e.message);
		abort();
	}
	json_decref(j);
}

static int64_t q1(struct db *db, const char *sql, int64_t id)
{
	char p[32];
	snprintf(p, sizeof p, "%lld", (long long)id);
	return db_query_int(db, sql, p);
}

static int entry(struct db *db, const struct actor *a, int64_t id, struct ledger_entry_detail *d)
{
	struct err e;
	int rc = ledger_entry_get(db, a, id, 0, d, &e);
	return rc;
}

static void day_before(int n, char out[11])
{
	ledger_date_add(today, -n, out);
}

static struct ledger_visit_in visit(const char *day, const char *mode)
{
	struct ledger_visit_in v;
	memset(&v, 0, sizeof v);
	snprintf(v.visited_on, sizeof v.visited_on, "%s", day);
	snprintf(v.mode, sizeof v.mode, "%s", mode);
	snprintf(v.findings, sizeof v.findings, "身体状况良好");
	return v;
}

/* ------------------------------------------------------------------------------------------ */

TEST(a_tagged_person_joins_at_the_next_look_due_at_once)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	struct ledger_query q;
	struct ledger_page pg;
	struct err e;
	memset(&q, 0, sizeof q);
	CHECK_EQ_INT(ledger_entry_list(db, &vw, &q, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 1);
	CHECK_EQ_INT(pg.n, 1);
	if (pg.n == 1) {
		CHECK_EQ_INT(pg.items[0].id, head);
		CHECK_EQ_INT(pg.items[0].categories, LEDGER_CAT_BIT(LEDGER_CAT_ELDERLY_ALONE));
		CHECK_EQ_STR(pg.items[0].source, "auto");
		CHECK_EQ_STR(pg.items[0].joined_on, today);
		CHECK_EQ_STR(pg.items[0].next_due, today); /* never visited: due the day it joined */
		CHECK_EQ_INT(pg.items[0].frequency_days, 7);
		CHECK_EQ_STR(pg.items[0].region_code, V1);
		/* 太保庄街道 is managed by the functional zone 峡山区 (370791): its parameters apply */
		CHECK_EQ_STR(pg.items[0].unit_code, "370791");
	}
	ledger_page_release(&pg);
	/* the child has no tag: not on the ledger */
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_entries", NULL), 1);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_dirty", NULL), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.sync'", NULL), 1);
	db_close(db);
}

TEST(the_sync_is_idempotent)
{
	struct db *db = setup();
	struct actor sys;
	struct err e;
	struct ledger_sync_result r;
	actor_system(&sys);
	household(db, V1, "[\"elderly_alone\",\"seriously_ill\"]");
	household(db, V2, "[\"isolated_family\"]");
	household(db, V2, "[]");
	CHECK_EQ_INT(ledger_sync(db, &sys, "", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.joined, 2);
	CHECK_EQ_INT(ledger_sync(db, &sys, "", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.joined, 0);
	CHECK_EQ_INT(r.updated, 0);
	CHECK_EQ_INT(r.closed, 0);
	CHECK_EQ_INT(r.examined, 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_entries", NULL), 2);
	/* the isolated family's frequency is 1 day, the other's 7 (seriously ill 7, elderly 7) */
	CHECK_EQ_INT(db_query_int(db, "SELECT min(frequency_days) FROM ledger_entries", NULL), 1);
	CHECK_EQ_INT(db_query_int(db, "SELECT max(frequency_days) FROM ledger_entries", NULL), 7);
	db_close(db);
}

TEST(an_entry_left_without_a_category_closes_and_comes_back_with_one)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[\"left_behind_elderly\"]");
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.status, "active");
	ledger_entry_detail_release(&d);
	set_tags(db, head, "[]");
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.status, "closed");
	CHECK_EQ_STR(d.entry.close_kind, "auto");
	CHECK(strstr(d.entry.close_reason, "标签") != NULL);
	CHECK_EQ_STR(d.entry.closed_on, today);
	ledger_entry_detail_release(&d);
	set_tags(db, head, "[\"severely_disabled\"]");
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.status, "active");
	CHECK_EQ_STR(d.entry.close_kind, "");
	CHECK_EQ_INT(d.entry.categories, LEDGER_CAT_BIT(LEDGER_CAT_SEVERELY_DISABLED));
	CHECK_EQ_INT(d.entry.frequency_days, 14);
	ledger_entry_detail_release(&d);
	db_close(db);
}

TEST(a_person_removed_from_the_registry_is_closed_with_the_reason)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	struct actor sys;
	struct err e;
	struct ledger_entry_detail d;
	actor_system(&sys);
	int64_t head = household(db, V1, "[]");
	int64_t hh = q1(db, "SELECT household_id FROM persons WHERE id = ?", head);
	int64_t child = q1(db, "SELECT id FROM persons WHERE household_id = ? AND relation = 'child'", hh);
	set_tags(db, child, "[\"left_behind_child\"]");
	CHECK_EQ_INT(entry(db, &tw, child, &d), 0);
	CHECK_EQ_STR(d.entry.status, "active");
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(registry_member_remove(db, &sys, hh, child, "迁出本市", &e), 0);
	CHECK_EQ_INT(entry(db, &tw, child, &d), 0);
	CHECK_EQ_STR(d.entry.status, "closed");
	CHECK(strstr(d.entry.close_reason, "注销") != NULL);
	CHECK_EQ_STR(d.entry.person_status, "removed");
	ledger_entry_detail_release(&d);
	/* it cannot be reopened by hand either */
	CHECK_EQ_INT(ledger_entry_reopen(db, &tw, child, &e), -1);
	CHECK_EQ_STR(e.code, "person_removed");
	db_close(db);
}

TEST(the_rolls_bring_the_dibao_head_and_the_tekun_person)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[]");
	int64_t hh = q1(db, "SELECT household_id FROM persons WHERE id = ?", head);
	int64_t child = q1(db, "SELECT id FROM persons WHERE household_id = ? AND relation = 'child'", hh);
	char sql[512];
	struct err e;
	snprintf(sql, sizeof sql,
		 "INSERT INTO assistance_cases(program, household_id, region_code, unit_code, "
		 "residence_type, status, applied_at, created_at, updated_at) VALUES ('dibao', %lld, "
		 "'%s', '370704', 'rural', 'applied', '2020-01-01', 'x', 'x')",
		 (long long)hh, V1);
	CHECK_EQ_INT(db_exec(db, sql, &e), 0);
	/* an application is not the roll */
	CHECK_EQ_INT(entry(db, &tw, head, &d), -1);
	CHECK_EQ_INT(db_exec(db, "UPDATE assistance_cases SET status = 'active'", &e), 0);
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_INT(d.entry.categories, LEDGER_CAT_BIT(LEDGER_CAT_DIBAO));
	CHECK_EQ_INT(d.entry.frequency_days, 30);
	ledger_entry_detail_release(&d);
	/* the other members of a 低保 household are not entries of their own */
	CHECK_EQ_INT(entry(db, &tw, child, &d), -1);
	CHECK_EQ_INT(db_exec(db, "UPDATE assistance_cases SET status = 'terminated'", &e), 0);
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.status, "closed");
	CHECK(strstr(d.entry.close_reason, "名册") != NULL);
	ledger_entry_detail_release(&d);
	db_close(db);
}

TEST(closing_by_hand_survives_the_sync)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	struct actor sys;
	struct err e;
	struct ledger_sync_result r;
	struct ledger_entry_detail d;
	actor_system(&sys);
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	CHECK_EQ_INT(ledger_entry_close(db, &tw, head, "", &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(ledger_entry_close(db, &tw, head, "已入住养老院，由机构照料", &e), 0);
	CHECK_EQ_INT(ledger_sync(db, &sys, "", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.reopened, 0);
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.status, "closed");
	CHECK_EQ_STR(d.entry.close_kind, "manual");
	CHECK_EQ_STR(d.entry.close_reason, "已入住养老院，由机构照料");
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(ledger_entry_close(db, &tw, head, "再次", &e), -1);
	CHECK_EQ_STR(e.code, "entry_closed");
	CHECK_EQ_INT(ledger_entry_reopen(db, &tw, head, &e), 0);
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.status, "active");
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(ledger_entry_reopen(db, &tw, head, &e), -1);
	CHECK_EQ_STR(e.code, "entry_open");
	db_close(db);
}

TEST(adding_by_hand_records_the_categories_seen)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[]");
	struct ledger_add_in in;
	memset(&in, 0, sizeof in);
	in.person_id = head;
	CHECK_EQ_INT(ledger_entry_add(db, &vw, &in, &e), -1);
	CHECK_EQ_STR(e.field, "categories");
	in.manual_categories = LEDGER_CAT_BIT(LEDGER_CAT_DIBAO);
	CHECK_EQ_INT(ledger_entry_add(db, &vw, &in, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	in.manual_categories = LEDGER_CAT_BIT(LEDGER_CAT_OTHER);
	snprintf(in.note, sizeof in.note, "独自照顾瘫痪老伴，收入微薄");
	CHECK_EQ_INT(ledger_entry_add(db, &vw, &in, &e), 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_STR(d.entry.source, "manual");
	CHECK_EQ_INT(d.entry.manual_categories, LEDGER_CAT_BIT(LEDGER_CAT_OTHER));
	CHECK_EQ_INT(d.entry.frequency_days, 30);
	CHECK_EQ_STR(d.entry.next_due, today);
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(ledger_entry_add(db, &vw, &in, &e), -1);
	CHECK_EQ_STR(e.code, "entry_exists");
	/* a tag added later joins the auto categories; the hand-recorded one stays */
	set_tags(db, head, "[\"elderly_alone\"]");
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_INT(d.entry.categories,
		     LEDGER_CAT_BIT(LEDGER_CAT_OTHER) | LEDGER_CAT_BIT(LEDGER_CAT_ELDERLY_ALONE));
	CHECK_EQ_INT(d.entry.frequency_days, 7);
	ledger_entry_detail_release(&d);
	/* a person outside the scope is not found */
	int64_t far = household(db, V2, "[]");
	in.person_id = far;
	CHECK_EQ_INT(ledger_entry_add(db, &vw, &in, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(q1(db, "SELECT count(*) FROM ledger_entries WHERE person_id = ?", far), 0);
	db_close(db);
}

TEST(a_visit_moves_the_due_date_in_its_own_transaction)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	struct ledger_entry_detail d;
	char d10[11], d3[11], want[11];
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	day_before(10, d10);
	day_before(3, d3);
	struct ledger_visit_in v = visit(d10, "home");
	int64_t vid = 0;
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, &vid, &e), 0);
	CHECK(vid > 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_STR(d.entry.last_visit_on, d10);
	ledger_date_add(d10, 7, want); /* elderly living alone: 7 days */
	CHECK_EQ_STR(d.entry.next_due, want);
	CHECK_EQ_INT(d.entry.visits, 1);
	CHECK_EQ_INT(d.n_visits, 1);
	if (d.n_visits == 1) {
		CHECK_EQ_STR(d.visits[0].mode, "home");
		CHECK_EQ_STR(d.visits[0].visitor, "vw1"); /* no visitor given: the recording user */
		CHECK_EQ_INT(d.visits[0].late_days, 0); /* joined today: due today, visited before */
	}
	ledger_entry_detail_release(&d);
	/* the next visit comes three days late: due d10 + 7 = today − 3, visited today */
	v = visit("", "phone");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, &vid, &e), 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_STR(d.entry.last_visit_on, today);
	if (d.n_visits == 2) {
		CHECK_EQ_STR(d.visits[0].visited_on, today); /* newest first */
		CHECK_EQ_STR(d.visits[0].due_on, d3);
		CHECK_EQ_INT(d.visits[0].late_days, 3);
	}
	ledger_entry_detail_release(&d);
	/* a visit recorded late, before the latest one, does not move the schedule */
	v = visit(d3, "wechat");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, &vid, &e), 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_STR(d.entry.last_visit_on, today);
	ledger_date_add(today, 7, want);
	CHECK_EQ_STR(d.entry.next_due, want);
	CHECK_EQ_INT(d.entry.visits, 3);
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(q1(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.visit' AND "
			    "object = 'ledger_entry:' || ?", head), 3);
	db_close(db);
}

TEST(bad_visits_are_refused_and_change_nothing)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	char tomorrow[11];
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	ledger_date_add(today, 1, tomorrow);
	struct ledger_visit_in v = visit(tomorrow, "home");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "visited_on");
	v = visit("", "sms");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "mode");
	v = visit("", "home");
	v.n_needs = 1;
	snprintf(v.needs[0].kind, sizeof v.needs[0].kind, "car");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "needs[0].kind");
	/* settling a need the entry does not have rolls the whole visit back */
	v = visit("", "home");
	v.n_needs = 1;
	snprintf(v.needs[0].kind, sizeof v.needs[0].kind, "food");
	v.n_resolve = 1;
	v.resolve[0].need_id = 999;
	snprintf(v.resolve[0].status, sizeof v.resolve[0].status, "met");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.field, "resolve[0].need_id");
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_visits", NULL), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_needs", NULL), 0);
	CHECK_EQ_INT(q1(db, "SELECT visits FROM ledger_entries WHERE person_id = ?", head), 0);
	/* a closed entry takes no visits */
	CHECK_EQ_INT(ledger_entry_close(db, &vw, head, "去世", &e), 0);
	v = visit("", "home");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "entry_closed");
	db_close(db);
}

TEST(needs_are_tracked_until_met_or_unmet)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[\"covid_patient_family\"]");
	struct ledger_visit_in v = visit("", "phone");
	v.n_needs = 2;
	snprintf(v.needs[0].kind, sizeof v.needs[0].kind, "food");
	snprintf(v.needs[0].detail, sizeof v.needs[0].detail, "米面油不足");
	snprintf(v.needs[1].kind, sizeof v.needs[1].kind, "masks");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_INT(d.entry.open_needs, 2);
	CHECK_EQ_INT(d.n_needs, 2);
	int64_t food = 0, masks = 0;
	for (int i = 0; i < d.n_needs; i++) {
		if (!strcmp(d.needs[i].kind, "food"))
			food = d.needs[i].id;
		else
			masks = d.needs[i].id;
		CHECK_EQ_STR(d.needs[i].status, "open");
		CHECK_EQ_STR(d.needs[i].raised_on, today);
	}
	ledger_entry_detail_release(&d);
	struct ledger_resolve_in r;
	memset(&r, 0, sizeof r);
	r.need_id = food;
	snprintf(r.status, sizeof r.status, "met");
	snprintf(r.resolution, sizeof r.resolution, "已送米面油");
	CHECK_EQ_INT(ledger_need_resolve(db, &vw, head, &r, &e), 0);
	CHECK_EQ_INT(ledger_need_resolve(db, &vw, head, &r, &e), -1);
	CHECK_EQ_STR(e.code, "need_closed");
	/* unmet needs a reason */
	r.need_id = masks;
	snprintf(r.status, sizeof r.status, "unmet");
	r.resolution[0] = '\0';
	CHECK_EQ_INT(ledger_need_resolve(db, &vw, head, &r, &e), -1);
	CHECK_EQ_STR(e.field, "resolution");
	snprintf(r.resolution, sizeof r.resolution, "本人拒绝");
	CHECK_EQ_INT(ledger_need_resolve(db, &vw, head, &r, &e), 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_INT(d.entry.open_needs, 0);
	CHECK_EQ_STR(d.needs[0].resolved_by, "vw1");
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.need'", NULL), 2);
	db_close(db);
}

TEST(the_frequency_follows_the_parameter_in_force)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct actor sys;
	struct err e;
	struct ledger_entry_detail d;
	char month[8], want[11];
	actor_system(&sys);
	memcpy(month, today, 7);
	month[7] = '\0';
	/* V1's township is managed by the zone 峡山区 (370791): its own parameter from this month */
	CHECK_EQ_INT(policy_set(db, &sys, "370791", "", "ledger_visit_days_elderly_alone", 3, month,
				"疫情期间加密走访", &e),
		     0);
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	struct ledger_visit_in v = visit("", "home");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), 0);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	ledger_date_add(today, 3, want);
	CHECK_EQ_STR(d.entry.next_due, want);
	CHECK_EQ_INT(d.entry.frequency_days, 3);
	ledger_entry_detail_release(&d);
	/* another unit keeps the city's 7 */
	struct actor kw = user(db, "kw1", "village_worker", "370705001001");
	int64_t other = household(db, "370705001001", "[\"elderly_alone\"]");
	CHECK_EQ_INT(ledger_visit_add(db, &kw, other, &v, NULL, &e), 0);
	CHECK_EQ_INT(entry(db, &kw, other, &d), 0);
	CHECK_EQ_INT(d.entry.frequency_days, 7);
	ledger_entry_detail_release(&d);
	db_close(db);
}

TEST(out_of_scope_entries_are_not_found_and_nothing_changes)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct actor other = user(db, "tw2", "township_assistant", T2);
	struct actor leader = user(db, "boss", "leader", "3707");
	struct err e;
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	int64_t far = household(db, V2, "[\"elderly_alone\"]");
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(ledger_entry_get(db, &vw, far, 0, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(ledger_entry_get(db, &other, head, 0, &d, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct ledger_visit_in v = visit("", "home");
	CHECK_EQ_INT(ledger_visit_add(db, &other, head, &v, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(ledger_entry_close(db, &vw, far, "越权", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_visits", NULL), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_entries WHERE status = 'active'", NULL), 2);
	/* a read-only role has no ledger at all */
	CHECK_EQ_INT(ledger_entry_get(db, &leader, head, 0, &d, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	/* lists: the village worker sees their village only */
	struct ledger_query q;
	struct ledger_page pg;
	memset(&q, 0, sizeof q);
	CHECK_EQ_INT(ledger_entry_list(db, &vw, &q, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 1);
	ledger_page_release(&pg);
	snprintf(q.region, sizeof q.region, "%s", V2);
	CHECK_EQ_INT(ledger_entry_list(db, &vw, &q, &pg, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(unmasking_needs_the_permission_and_is_audited)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	CHECK_EQ_INT(ledger_entry_get(db, &vw, head, 1, &d, &e), 0);
	CHECK(d.unmasked);
	CHECK_EQ_INT((int64_t)strlen(d.entry.id_number), 18);
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.unmask'", NULL), 1);
	vw.perms &= ~(uint32_t)PERM_REGISTRY_UNMASK;
	CHECK_EQ_INT(ledger_entry_get(db, &vw, head, 1, &d, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	db_close(db);
}

TEST(the_overdue_list_is_most_overdue_first_and_counts_per_area)
{
	struct db *db = setup();
	struct actor cw = user(db, "cw1", "county_staff", C1);
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	char d20[11], d2[11];
	day_before(20, d20);
	day_before(2, d2);
	int64_t a = household(db, V1, "[\"elderly_alone\"]");	/* visited 20 days ago: 13 late */
	int64_t b = household(db, V1, "[\"elderly_alone\"]");	/* visited 2 days ago: not due */
	int64_t c = household(db, V2, "[\"isolated_family\"]"); /* never visited: due today */
	int64_t far = household(db, "370704009201", "[\"orphan\"]");
	struct ledger_visit_in v = visit(d20, "home");
	CHECK_EQ_INT(ledger_visit_add(db, &cw, a, &v, NULL, &e), 0);
	v = visit(d2, "home");
	CHECK_EQ_INT(ledger_visit_add(db, &cw, b, &v, NULL, &e), 0);
	struct ledger_overdue o;
	CHECK_EQ_INT(ledger_overdue_list(db, &cw, T1, "", 20, 0, 1, &o, &e), 0);
	CHECK_EQ_INT(o.page.total, 2);
	CHECK_EQ_INT(o.page.n, 2);
	if (o.page.n == 2) {
		CHECK_EQ_INT(o.page.items[0].id, a);
		CHECK_EQ_INT(ledger_days_overdue(o.page.items[0].next_due, today), 13);
		CHECK_EQ_INT(o.page.items[1].id, c);
	}
	/* the township's list counts per village */
	CHECK_EQ_INT(o.n_groups, 2);
	if (o.n_groups == 2) {
		CHECK_EQ_STR(o.groups[0].region_code, V2);
		CHECK_EQ_INT(o.groups[0].overdue, 1);
		CHECK_EQ_STR(o.groups[1].region_code, V1);
		CHECK_EQ_INT(o.groups[1].active, 2);
		CHECK_EQ_INT(o.groups[1].overdue, 1);
	}
	ledger_overdue_release(&o);
	/* the county's counts per township; the whole scope when no region is given */
	CHECK_EQ_INT(ledger_overdue_list(db, &cw, "", "", 1, 0, 1, &o, &e), 0);
	CHECK_EQ_INT(o.page.total, 3);
	CHECK_EQ_INT(o.page.n, 1); /* a page of one */
	CHECK_EQ_INT(o.n_groups, 2);
	if (o.n_groups == 2) {
		CHECK_EQ_STR(o.groups[0].region_code, T1);
		CHECK_EQ_INT(o.groups[0].overdue, 2);
		CHECK_EQ_STR(o.groups[1].region_code, "370704009");
		CHECK_EQ_INT(o.groups[1].overdue, 1);
	}
	ledger_overdue_release(&o);
	/* a date in the past: a was due 13 days ago, so 14 days ago nothing of V1 was due */
	char d14[11];
	day_before(14, d14);
	CHECK_EQ_INT(ledger_overdue_list(db, &cw, V1, d14, 20, 0, 0, &o, &e), 0);
	CHECK_EQ_INT(o.page.total, 0);
	ledger_overdue_release(&o);
	/* a visit takes the entry off the list */
	v = visit("", "phone");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, a, &v, NULL, &e), 0);
	CHECK_EQ_INT(ledger_overdue_list(db, &vw, "", "", 20, 0, 0, &o, &e), 0);
	CHECK_EQ_INT(o.page.total, 0);
	ledger_overdue_release(&o);
	CHECK_EQ_INT(ledger_overdue_list(db, &vw, "370704009", "", 20, 0, 0, &o, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	(void)far;
	db_close(db);
}

TEST(helpers_must_cover_the_village_and_are_given_a_name_and_phone)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	user(db, "vw1", "village_worker", V1);
	user(db, "vw2", "village_worker", V2);
	user(db, "boss", "leader", "3707");
	struct err e;
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	struct ledger_assign_in in;
	memset(&in, 0, sizeof in);
	snprintf(in.username, sizeof in.username, "vw2");
	snprintf(in.name, sizeof in.name, "王芳");
	snprintf(in.phone, sizeof in.phone, "13812345678");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, head, &in, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_helper"); /* another village's worker */
	snprintf(in.username, sizeof in.username, "boss");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, head, &in, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_helper"); /* a read-only role */
	snprintf(in.username, sizeof in.username, "vw1");
	in.name[0] = '\0';
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, head, &in, &e), -1);
	CHECK_EQ_STR(e.field, "helper_name"); /* first time: name required */
	snprintf(in.name, sizeof in.name, "王芳");
	snprintf(in.phone, sizeof in.phone, "12345");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, head, &in, &e), -1);
	CHECK_EQ_STR(e.field, "helper_phone");
	snprintf(in.phone, sizeof in.phone, "138 1234 5678");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, head, &in, &e), 0);
	CHECK_EQ_INT(entry(db, &tw, head, &d), 0);
	CHECK_EQ_STR(d.entry.helper.username, "vw1");
	CHECK_EQ_STR(d.entry.helper.name, "王芳");
	CHECK_EQ_STR(d.entry.helper.phone, "13812345678");
	ledger_entry_detail_release(&d);
	/* the township assistant covers the village too; on file after the first time */
	int64_t other = household(db, V1, "[\"orphan\"]");
	memset(&in, 0, sizeof in);
	snprintf(in.username, sizeof in.username, "vw1");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, other, &in, &e), 0);
	snprintf(in.username, sizeof in.username, "tw1");
	snprintf(in.name, sizeof in.name, "李强");
	snprintf(in.phone, sizeof in.phone, "0536-8123456");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, other, &in, &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM ledger_helpers", NULL), 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.assign'", NULL), 3);
	db_close(db);
}

static int count_helper(const struct ledger_helper *h, void *ctx)
{
	(*(int *)ctx)++;
	return 0;
}

TEST(contacts_are_set_by_township_and_county_and_printed_on_the_notice)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct actor cw = user(db, "cw1", "county_staff", C1);
	struct err e;
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	household(db, V1, "[\"orphan\"]");
	CHECK_EQ_INT(ledger_contact_set(db, &vw, T1, "0536-8123456", "", &e), -1);
	CHECK_EQ_INT(e.status, 404); /* a village worker's scope does not cover the township */
	CHECK_EQ_INT(ledger_contact_set(db, &tw, T2, "0536-8123456", "", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(ledger_contact_set(db, &tw, T1, "123", "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_phone");
	CHECK_EQ_INT(ledger_contact_set(db, &tw, T1, "05368123456", "民政办值班", &e), 0);
	CHECK_EQ_INT(ledger_contact_set(db, &cw, T2, "0536-8999999", "", &e), 0);
	struct ledger_assign_in in;
	memset(&in, 0, sizeof in);
	snprintf(in.username, sizeof in.username, "vw1");
	snprintf(in.name, sizeof in.name, "王芳");
	snprintf(in.phone, sizeof in.phone, "13812345678");
	CHECK_EQ_INT(ledger_entry_assign(db, &tw, head, &in, &e), 0);
	struct ledger_notice n;
	CHECK_EQ_INT(ledger_notice_get(db, &vw, V1, &n, &e), 0);
	CHECK_EQ_STR(n.contact.phone, "0536-8123456");
	CHECK_EQ_STR(n.contact.township_code, T1);
	CHECK_EQ_INT(n.level, 5);
	CHECK_EQ_INT(n.entries, 2);
	CHECK_EQ_INT(n.unassigned, 0); /* both have the village's worker by default */
	CHECK_EQ_INT(n.n_helpers, 1);
	if (n.n_helpers == 1) {
		CHECK_EQ_STR(n.helpers[0].name, "王芳");
		CHECK_EQ_STR(n.helpers[0].phone, "13812345678");
		CHECK_EQ_INT(n.helpers[0].entries, 2);
	}
	free(n.helpers);
	CHECK_EQ_INT(ledger_notice_get(db, &vw, T1, &n, &e), -1); /* the township is wider */
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(ledger_notice_get(db, &tw, T1, &n, &e), 0);
	CHECK_EQ_INT(n.level, 4);
	free(n.helpers);
	/* helpers a township may pick: users in its scope who work the ledger */
	int k = 0;
	CHECK_EQ_INT(ledger_helpers(db, &tw, "", count_helper, &k, &e), 0);
	CHECK_EQ_INT(k, 2); /* tw and vw */
	db_close(db);
}

TEST(statistics_per_period_and_area)
{
	struct db *db = setup();
	struct actor cw = user(db, "cw1", "county_staff", C1);
	struct err e;
	char month[8], d2[11];
	memcpy(month, today, 7);
	month[7] = '\0';
	day_before(2, d2);
	int64_t a = household(db, V1, "[\"elderly_alone\"]");
	int64_t b = household(db, V1, "[\"orphan\",\"left_behind_child\"]");
	household(db, "370704009201", "[\"isolated_family\"]");
	struct ledger_visit_in v = visit(strncmp(d2, today, 7) == 0 ? d2 : today, "home");
	v.n_needs = 1;
	snprintf(v.needs[0].kind, sizeof v.needs[0].kind, "medicine");
	CHECK_EQ_INT(ledger_visit_add(db, &cw, a, &v, NULL, &e), 0);
	v = visit("", "phone");
	CHECK_EQ_INT(ledger_visit_add(db, &cw, b, &v, NULL, &e), 0);
	struct ledger_stats s;
	CHECK_EQ_INT(ledger_stats_get(db, &cw, month, month, "", &s, &e), 0);
	CHECK_EQ_STR(s.end, today);
	CHECK_EQ_INT(s.total.entries, 3);
	CHECK_EQ_INT(s.total.by_category[LEDGER_CAT_ORPHAN], 1);
	CHECK_EQ_INT(s.total.by_category[LEDGER_CAT_LEFT_BEHIND_CHILD], 1);
	CHECK_EQ_INT(s.total.by_category[LEDGER_CAT_ISOLATED_FAMILY], 1);
	CHECK_EQ_INT(s.total.joined, 3);
	CHECK_EQ_INT(s.total.visits, 2);
	CHECK_EQ_INT(s.total.visits_by_mode[0], 1); /* home */
	CHECK_EQ_INT(s.total.visits_by_mode[1], 1); /* phone */
	CHECK_EQ_INT(s.total.needs_raised, 1);
	CHECK_EQ_INT(s.total.needs_open, 1);
	CHECK_EQ_INT(s.total.overdue, 1); /* the isolated family, never visited */
	CHECK_EQ_INT(s.n, 2);		  /* per township of the county */
	if (s.n == 2) {
		CHECK_EQ_STR(s.items[0].region_code, T1);
		CHECK_EQ_INT(s.items[0].entries, 2);
		CHECK_EQ_STR(s.items[1].region_code, "370704009");
		CHECK_EQ_INT(s.items[1].overdue, 1);
	}
	ledger_stats_release(&s);
	CHECK_EQ_INT(ledger_stats_get(db, &cw, "2020-05", "2020-04", "", &s, &e), -1);
	CHECK_EQ_STR(e.field, "to");
	CHECK_EQ_INT(ledger_stats_get(db, &cw, "2020-13", "", "", &s, &e), -1);
	CHECK_EQ_STR(e.field, "from");
	db_close(db);
}

TEST(the_audit_chain_stays_intact)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	int64_t head = household(db, V1, "[\"elderly_alone\"]");
	struct ledger_visit_in v = visit("", "home");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, NULL, &e), 0);
	CHECK_EQ_INT(ledger_entry_update(db, &vw, head, 1, LEDGER_CAT_BIT(LEDGER_CAT_OTHER), "备注", &e), 0);
	int64_t rows = 0, bad = 0;
	char why[200];
	CHECK_EQ_INT(audit_verify(db, &rows, &bad, why, sizeof why, &e), 0);
	CHECK(rows > 3);
	db_close(db);
}

TEST(a_need_opens_a_temporary_assistance_case_in_one_step)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct err e;
	struct ledger_entry_detail d;
	int64_t head = household(db, V1, "[\"isolated_family\"]");
	struct ledger_visit_in v = visit("", "phone");
	v.n_needs = 1;
	snprintf(v.needs[0].kind, sizeof v.needs[0].kind, "food");
	snprintf(v.needs[0].detail, sizeof v.needs[0].detail, "隔离在家，家中断粮");
	int64_t vid = 0;
	CHECK_EQ_INT(ledger_visit_add(db, &vw, head, &v, &vid, &e), 0);
	int64_t need = q1(db, "SELECT id FROM ledger_needs WHERE visit_id = ?", vid);
	struct ledger_relief_in r;
	memset(&r, 0, sizeof r);
	r.need_id = need;
	snprintf(r.kind, sizeof r.kind, "emergency");
	snprintf(r.cause, sizeof r.cause, "epidemic_isolation");
	snprintf(r.form, sizeof r.form, "cash");
	snprintf(r.reason, sizeof r.reason, "隔离期间断粮");
	r.amount_fen = 100000; /* 1,000 yuan: between 2 × and 10 × the rural monthly standard (450) */
	int64_t grant = 0;
	if (ledger_need_relief(db, &vw, head, &r, &grant, &e) < 0)
		fprintf(stderr, "  relief: %s %s\n", e.code, e.message);
	CHECK(grant > 0);
	CHECK_EQ_INT(q1(db, "SELECT relief_grant_id FROM ledger_needs WHERE id = ?", need), grant);
	char ref[48];
	snprintf(ref, sizeof ref, "ledger_visit:%lld", (long long)vid);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM relief_grants WHERE source_ref = ?", ref), 1);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.relief'", NULL), 1);
	/* once per need */
	CHECK_EQ_INT(ledger_need_relief(db, &vw, head, &r, &grant, &e), -1);
	CHECK_EQ_STR(e.code, "need_relief");
	/* a refusal by the relief rules leaves the need as it was */
	int64_t other = household(db, V1, "[\"isolated_family\"]");
	CHECK_EQ_INT(ledger_visit_add(db, &vw, other, &v, &vid, &e), 0);
	r.need_id = q1(db, "SELECT id FROM ledger_needs WHERE visit_id = ?", vid);
	r.amount_fen = 100; /* 1 yuan: below the emergency minimum */
	CHECK_EQ_INT(ledger_need_relief(db, &vw, other, &r, &grant, &e), -1);
	CHECK_EQ_INT(e.status / 100, 4);
	CHECK_EQ_INT(q1(db, "SELECT count(*) FROM ledger_needs WHERE id = ? AND relief_grant_id IS NULL", r.need_id), 1);
	CHECK_EQ_INT(entry(db, &vw, head, &d), 0);
	CHECK_EQ_INT(d.n_needs, 1);
	if (d.n_needs == 1)
		CHECK_EQ_INT(d.needs[0].relief_grant_id, grant); /* failed calls leave grant as it was */
	ledger_entry_detail_release(&d);
	db_close(db);
}

/* The due-day counts the overdue totals are read from agree with the entries after every kind of
 * change: joining, visits, closing, reopening, a move to another village, removal. */
static int64_t counts_disagree(struct db *db)
{
	return db_query_int(db,
			    "SELECT count(*) FROM (SELECT len, area, next_due, n FROM ledger_due_counts "
			    "WHERE n != 0 EXCEPT SELECT l.len, substr(e.region_code, 1, l.len), e.next_due, "
			    "count(*) FROM ledger_entries e CROSS JOIN (SELECT 6 AS len UNION ALL SELECT 9 "
			    "UNION ALL SELECT 12) l WHERE e.status = 'active' GROUP BY "
			    "l.len, substr(e.region_code, 1, l.len), e.next_due) x",
			    NULL) +
	       db_query_int(db,
			    "SELECT count(*) FROM (SELECT l.len, substr(e.region_code, 1, l.len), "
			    "e.next_due, count(*) FROM ledger_entries e CROSS JOIN (SELECT 6 AS len UNION "
			    "ALL SELECT 9 UNION ALL SELECT 12) l WHERE e.status = "
			    "'active' GROUP BY l.len, substr(e.region_code, 1, l.len), e.next_due EXCEPT "
			    "SELECT len, area, next_due, n FROM ledger_due_counts) x",
			    NULL);
}

TEST(the_due_day_counts_follow_every_change)
{
	struct db *db = setup();
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	struct actor sys;
	struct err e;
	struct ledger_entry_detail d;
	actor_system(&sys);
	int64_t a = household(db, V1, "[\"elderly_alone\"]");
	int64_t b = household(db, V2, "[\"orphan\"]");
	household(db, V2, "[\"isolated_family\"]");
	CHECK_EQ_INT(entry(db, &tw, a, &d), 0); /* the look that syncs */
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(counts_disagree(db), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT n FROM ledger_due_counts WHERE len = 9 AND area = '370704008'", NULL), 3);
	struct ledger_visit_in v = visit("", "home");
	CHECK_EQ_INT(ledger_visit_add(db, &tw, a, &v, NULL, &e), 0);
	CHECK_EQ_INT(counts_disagree(db), 0);
	CHECK_EQ_INT(ledger_entry_close(db, &tw, b, "迁往外地", &e), 0);
	CHECK_EQ_INT(counts_disagree(db), 0);
	CHECK_EQ_INT(ledger_entry_reopen(db, &tw, b, &e), 0);
	/* a's child, left behind, moves to a household of the other village */
	int64_t child = q1(db, "SELECT id FROM persons WHERE household_id = (SELECT household_id "
			       "FROM persons WHERE id = ?) AND relation = 'child'", a);
	set_tags(db, child, "[\"left_behind_child\"]");
	CHECK_EQ_INT(entry(db, &tw, child, &d), 0);
	CHECK_EQ_STR(d.entry.region_code, V1);
	ledger_entry_detail_release(&d);
	int64_t target = q1(db, "SELECT household_id FROM persons WHERE id = ?", b);
	CHECK_EQ_INT(registry_person_move(db, &sys, child, target, "grandchild", "随祖父母居住", &e), 0);
	CHECK_EQ_INT(entry(db, &tw, child, &d), 0);
	CHECK_EQ_STR(d.entry.region_code, V2);
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(counts_disagree(db), 0);
	set_tags(db, b, "[]");
	CHECK_EQ_INT(entry(db, &tw, b, &d), 0);
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(counts_disagree(db), 0);
	/* the overdue total comes from the counts and equals a count of the entries */
	struct ledger_overdue o;
	CHECK_EQ_INT(ledger_overdue_list(db, &tw, "", "", 20, 0, 1, &o, &e), 0);
	CHECK_EQ_INT(o.page.total, db_query_int(db, "SELECT count(*) FROM ledger_entries WHERE "
						   "status = 'active' AND next_due <= strftime('%Y-%m-%d', 'now', '+8 hours')", NULL));
	CHECK_EQ_INT(o.page.total, o.page.n);
	ledger_overdue_release(&o);
	db_close(db);
}

TEST(entries_that_join_get_a_default_helper)
{
	struct db *db = setup();
	struct actor vw = user(db, "vw1", "village_worker", V1);
	struct actor tw = user(db, "tw1", "township_assistant", T1);
	user(db, "tw2a", "township_assistant", T2);
	user(db, "tw2b", "township_assistant", T2);
	struct actor cw = user(db, "cw1", "county_staff", C1);
	struct ledger_entry_detail d;
	int64_t a = household(db, V1, "[\"elderly_alone\"]");
	int64_t b = household(db, V2, "[\"elderly_alone\"]");
	int64_t c = household(db, "370704009201", "[\"elderly_alone\"]");
	CHECK_EQ_INT(entry(db, &vw, a, &d), 0);
	CHECK_EQ_STR(d.entry.helper.username, "vw1"); /* the village's worker */
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(entry(db, &tw, b, &d), 0);
	CHECK_EQ_STR(d.entry.helper.username, "tw1"); /* no worker in the village: the assistant */
	ledger_entry_detail_release(&d);
	CHECK_EQ_INT(entry(db, &cw, c, &d), 0);
	CHECK_EQ_INT(d.entry.helper.user_id, 0); /* two assistants: the township decides */
	ledger_entry_detail_release(&d);
	db_close(db);
}

UNIT_MAIN(a_tagged_person_joins_at_the_next_look_due_at_once, the_sync_is_idempotent,
	  an_entry_left_without_a_category_closes_and_comes_back_with_one,
	  a_person_removed_from_the_registry_is_closed_with_the_reason,
	  the_rolls_bring_the_dibao_head_and_the_tekun_person, closing_by_hand_survives_the_sync,
	  adding_by_hand_records_the_categories_seen,
	  a_visit_moves_the_due_date_in_its_own_transaction,
	  bad_visits_are_refused_and_change_nothing, needs_are_tracked_until_met_or_unmet,
	  the_frequency_follows_the_parameter_in_force,
	  out_of_scope_entries_are_not_found_and_nothing_changes,
	  unmasking_needs_the_permission_and_is_audited,
	  the_overdue_list_is_most_overdue_first_and_counts_per_area,
	  helpers_must_cover_the_village_and_are_given_a_name_and_phone,
	  contacts_are_set_by_township_and_county_and_printed_on_the_notice,
	  statistics_per_period_and_area, the_audit_chain_stays_intact,
	  a_need_opens_a_temporary_assistance_case_in_one_step, the_due_day_counts_follow_every_change,
	  entries_that_join_get_a_default_helper)
