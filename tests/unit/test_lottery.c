/* test_lottery.c — the lottery module (src/lottery/): the reopening gate as a pure rule (not
 * closed, a date before the closure, no checklist since the closure, an incomplete checklist
 * naming what is missing) and through the store — closing, recording checklists, reopening —
 * with the outlet's status on a day, the count of open outlets, permission and scope, and
 * refused writes leaving nothing behind.
 */
#include <stdlib.h>

#include "institutions/institutions.h"
#include "lottery/lottery.h"
#include "policy/policy.h"
#include "testdb.h"
#include "unit.h"

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

/* 坊子区 with one township and village, 奎文区, and the 峡山 zone. */
static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	exec(
	    db,
	    "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	    " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	    " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	    " ('370704008', '太保庄街道', 4, '370704', '370704'),"
	    " ('370705001', '东关街道', 4, '370705', '370705'),"
	    " ('370704008231', '栾家山后村', 5, '370704008', '370704');"
	    "INSERT INTO units(code, name, kind, city_code) VALUES"
	    " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707');");
	/* the institutions' list reads the daily-report deadlines */
	struct actor sys;
	struct err e;
	actor_system(&sys);
	if (policy_load_demo_defaults(db, &sys, &e) < 0)
		abort();
	return db;
}

static struct actor actor_of(const char *role, const char *region, uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	snprintf(a.username, sizeof a.username, "%s_%s", role, region);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], REGION_CODE_MAX, "%s", region);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

#define MANAGE (PERM_LOGIN | PERM_INSTITUTION_READ | PERM_INSTITUTION_MANAGE)

static int64_t institution(struct db *db, const struct actor *a, const char *name,
			   const char *type, const char *region)
{
	struct institution_in in;
	struct err e;
	int64_t id = 0;
	memset(&in, 0, sizeof in);
	snprintf(in.name, sizeof in.name, "%s", name);
	snprintf(in.type, sizeof in.type, "%s", type);
	snprintf(in.region_code, sizeof in.region_code, "%s", region);
	snprintf(in.opened_on, sizeof in.opened_on, "2015-01-01");
	in.has = 0xffffffffu; /* every field sent */
	if (institutions_create(db, a, &in, &id, &e) < 0)
		fprintf(stderr, "institution: %s\n", e.message);
	return id;
}

static struct lottery_checklist list(const char *on, int t, int m, int d, int x, const char *by)
{
	struct lottery_checklist c;
	memset(&c, 0, sizeof c);
	snprintf(c.checked_on, sizeof c.checked_on, "%s", on);
	snprintf(c.checked_by, sizeof c.checked_by, "%s", by);
	c.temperature = t;
	c.masks = m;
	c.distance = d;
	c.disinfection = x;
	return c;
}

static void count_fn(void *ctx, const char *code, int64_t v)
{
	(void)code;
	*(int64_t *)ctx += v;
}

static int64_t open_on(struct db *db, const struct actor *a, const char *date)
{
	int64_t n = 0;
	struct err e;
	if (lottery_figures(db, a, date, count_fn, &n, &e) < 0) {
		fprintf(stderr, "figures: %s %s\n", e.code, e.message);
		return -1;
	}
	return n;
}

TEST(gate_rule)
{
	struct err e;
	struct lottery_checklist full = list("2020-03-08", 1, 1, 1, 1, "王工");
	struct lottery_checklist no_dist = list("2020-03-08", 1, 1, 0, 1, "王工");
	struct lottery_checklist old = list("2020-01-20", 1, 1, 1, 1, "王工");
	struct lottery_checklist nobody = list("2020-03-08", 1, 1, 1, 1, "");
	CHECK(lottery_checklist_complete(&full));
	CHECK(!lottery_checklist_complete(&no_dist));
	CHECK(!lottery_checklist_complete(&nobody));
	CHECK_EQ_INT(lottery_reopen_check("", "2020-03-10", &full, &e), -1);
	CHECK_EQ_STR(e.code, "not_closed");
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-01-25", &full, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-03-10", NULL, &e), -1);
	CHECK_EQ_STR(e.code, "checklist_required");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-03-10", &old, &e), -1);
	CHECK_EQ_STR(e.code, "checklist_required");
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-03-10", &no_dist, &e), -1);
	CHECK(strstr(e.message, "保持间距") != NULL);
	CHECK(strstr(e.message, "测温") == NULL);
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-03-10", &nobody, &e), -1);
	CHECK(strstr(e.message, "核查人") != NULL);
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-03-10", &full, &e), 0);
	/* a checklist on the reopening day itself is in time */
	CHECK_EQ_INT(lottery_reopen_check("2020-01-26", "2020-03-08", &full, &e), 0);
}

TEST(closure_checklist_reopening_and_the_status_on_a_day)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", MANAGE);
	struct err e;
	int64_t x = institution(db, &a, "福彩 001 号投注站", "lottery_outlet", "370704008");
	int64_t y = institution(db, &a, "福彩 002 号投注站", "lottery_outlet", "370704008");
	CHECK(x > 0 && y > 0);
	CHECK_EQ_INT(open_on(db, &a, "2020-01-20"), 2);
	CHECK_EQ_INT(lottery_close(db, &a, x, "2020-01-26", "暂停", &e), 0);
	CHECK_EQ_INT(lottery_close(db, &a, x, "2020-01-27", "", &e), -1);
	CHECK_EQ_STR(e.code, "already_closed");
	CHECK_EQ_INT(lottery_close(db, &a, y, "2020-01-26", "", &e), 0);
	CHECK_EQ_INT(open_on(db, &a, "2020-02-01"), 0);
	/* reopening without a checklist: refused, nothing written */
	int64_t events = q(db, "SELECT count(*) FROM lottery_events");
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(lottery_reopen(db, &a, x, "2020-03-10", "", &e), -1);
	CHECK_EQ_STR(e.code, "checklist_required");
	/* an incomplete checklist is kept but does not open the gate */
	struct lottery_checklist c = list("2020-03-08", 1, 1, 0, 1, "王工");
	CHECK_EQ_INT(lottery_checklist_record(db, &a, x, &c, "一米线未设置", &e), 0);
	CHECK_EQ_INT(lottery_reopen(db, &a, x, "2020-03-10", "", &e), -1);
	CHECK_EQ_STR(e.code, "checklist_required");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM lottery_events"), events);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits + 1);
	c = list("2020-03-09", 1, 1, 1, 1, "王工");
	CHECK_EQ_INT(lottery_checklist_record(db, &a, x, &c, "", &e), 0);
	CHECK_EQ_INT(lottery_reopen(db, &a, x, "2020-03-10", "复业", &e), 0);
	CHECK_EQ_INT(lottery_reopen(db, &a, x, "2020-03-11", "", &e), -1);
	CHECK_EQ_STR(e.code, "not_closed");
	CHECK_EQ_INT(open_on(db, &a, "2020-03-09"), 0);
	CHECK_EQ_INT(open_on(db, &a, "2020-03-10"), 1);
	CHECK_EQ_INT(open_on(db, &a, "2020-04-26"), 1);
	/* a checklist from before a new closure does not count for the next reopening */
	CHECK_EQ_INT(lottery_close(db, &a, x, "2020-04-01", "", &e), 0);
	CHECK_EQ_INT(lottery_reopen(db, &a, x, "2020-04-05", "", &e), -1);
	CHECK_EQ_STR(e.code, "checklist_required");
	json_t *out;
	CHECK_EQ_INT(lottery_outlet_list(db, &a, "2020-03-15", "", 50, 0, &out, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(out, "open")), 1);
	CHECK_EQ_INT(json_integer_value(json_object_get(out, "closed")), 1);
	json_decref(out);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'lottery.reopening'"), 1);
	db_close(db);
}

TEST(permission_scope_and_type)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", MANAGE);
	struct actor b = actor_of("county_staff", "370705", MANAGE);
	struct actor reader = actor_of("inspector", "370704", PERM_LOGIN | PERM_INSTITUTION_READ);
	struct err e;
	int64_t x = institution(db, &a, "福彩 003 号投注站", "lottery_outlet", "370704008");
	int64_t home = institution(db, &a, "坊子区敬老院", "elderly_home", "370704008");
	CHECK_EQ_INT(lottery_close(db, &b, x, "2020-01-26", "", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(lottery_close(db, &reader, x, "2020-01-26", "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(lottery_close(db, &a, home, "2020-01-26", "", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(lottery_close(db, &a, x, "2020-02-31", "", &e), -1);
	CHECK_EQ_STR(e.field, "date");
	CHECK_EQ_INT(open_on(db, &b, "2020-01-20"), 0);
	CHECK_EQ_INT(open_on(db, &reader, "2020-01-20"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM lottery_events"), 0);
	db_close(db);
}

UNIT_MAIN(gate_rule, closure_checklist_reopening_and_the_status_on_a_day, permission_scope_and_type)
