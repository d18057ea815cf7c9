/* test_rescue.c — the rescue module's domain functions against a fresh database
 * (src/rescue/rescue_store.c, rescue_outreach.c): stations and beds, the arrival with fever
 * referral and isolation, isolation end dates with extensions and reductions, early discharge
 * with and without a valid test, the maximum stay with dated parameters (10 normally, 14 in the
 * epidemic), scope (404) and permission (403/404), masking and the audited unmask, patrols and
 * the dashboard — and that a refused write leaves nothing behind.
 *
 * Every call passes its moment as `now` (the demo scenario: January–April 2020). Parameters:
 * the demo city's (fever 37.3 °C, isolation 14 days, test within 72 h, family search within
 * 24 h) with the stay limit set as dated rows: 10 days from 2019-07, 14 from 2020-01.
 */
#include "demo/demo.h"
#include "policy/policy.h"
#include "rescue/rescue.h"
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

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	struct actor sys;
	struct err e;
	exec(
	    db,
	    "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	    " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	    " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	    " ('370704008', '太保庄街道', 4, '370704', '370791'),"
	    " ('370704008231', '栾家山后村', 5, '370704008', '370791');"
	    "INSERT INTO units(code, name, kind, city_code) VALUES"
	    " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707'),"
	    " ('370791', '峡山生态经济开发区', 'zone', '3707');");
	actor_system(&sys);
	if (policy_load_demo_defaults(db, &sys, &e) < 0)
		abort();
	/* the stay limit as the city would set it: 10 normally, 14 from the epidemic on */
	exec(
	    db,
	    "UPDATE policy_params SET value = 10 WHERE key = 'rescue_max_stay_days';"
	    "INSERT INTO policy_params(unit_code, residence_type, key, value, effective_from, note,"
	    " set_by, set_at) VALUES ('3707', 'all', 'rescue_max_stay_days', 14, '2020-01',"
	    " '疫情防控期间', 'test', '2019-12-20T00:00:00+08:00');");
	return db;
}

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

/* as roles.c gives them */
#define WORKER (PERM_LOGIN | PERM_REGION_READ | PERM_RESCUE | PERM_INSTITUTION_REPORT | PERM_DUTY)
static struct actor worker(void)
{
	return actor_of("rescue_worker", "3707", WORKER);
}
static struct actor county(void)
{
	return actor_of("county_staff", "370704", WORKER | PERM_REGISTRY_UNMASK);
}
static struct actor other_county(void)
{
	return actor_of("county_staff", "370705", WORKER | PERM_REGISTRY_UNMASK);
}
static struct actor village(void)
{
	return actor_of("village_worker", "370704",
			PERM_LOGIN | PERM_REGISTRY_READ | PERM_REGISTRY_UNMASK);
}

struct fixture {
	struct db *db;
	int64_t station, general, isolation;
};

/* 坊子区救助管理站 with a general room of 3 beds and an isolation room of 2. */
static struct fixture setup(void)
{
	struct fixture f = {open_seeded(), 0, 0, 0};
	struct actor a = worker();
	struct rescue_station_in s;
	struct rescue_room_in r;
	struct err e;
	memset(&s, 0, sizeof s);
	snprintf(s.name, sizeof s.name, "坊子区救助管理站");
	snprintf(s.region_code, sizeof s.region_code, "370704");
	if (rescue_station_create(f.db, &a, &s, "2019-12-01T09:00", &f.station, &e) < 0)
		fprintf(stderr, "station: %s\n", e.message);
	memset(&r, 0, sizeof r);
	snprintf(r.name, sizeof r.name, "宿舍");
	snprintf(r.zone, sizeof r.zone, "general");
	r.beds = 3;
	if (rescue_room_create(f.db, &a, f.station, &r, "2019-12-01T09:00", &f.general, &e) < 0)
		fprintf(stderr, "room: %s\n", e.message);
	snprintf(r.name, sizeof r.name, "隔离室");
	snprintf(r.zone, sizeof r.zone, "isolation");
	r.beds = 2;
	if (rescue_room_create(f.db, &a, f.station, &r, "2019-12-01T09:00", &f.isolation, &e) < 0)
		fprintf(stderr, "room: %s\n", e.message);
	return f;
}

static struct rescue_intake_in *arrival(const struct fixture *f, const char *at, const char *name,
					int64_t temp, const char *risk, const char *decision)
{
	static struct rescue_intake_in in;
	memset(&in, 0, sizeof in);
	in.station_id = f->station;
	snprintf(in.arrived_at, sizeof in.arrived_at, "%s", at);
	snprintf(in.name, sizeof in.name, "%s", name);
	in.temperature_tenths = temp;
	snprintf(in.risk, sizeof in.risk, "%s", risk);
	snprintf(in.decision, sizeof in.decision, "%s", decision);
	in.room_id = strcmp(decision, "isolate") == 0 ? f->isolation : f->general;
	return &in;
}

/* An arrival that must succeed; returns its id. */
static int64_t arrive(const struct fixture *f, const char *at, const char *name, const char *risk,
		      const char *decision)
{
	struct actor a = worker();
	struct err e;
	int64_t id = 0;
	if (rescue_intake_create(f->db, &a, arrival(f, at, name, 365, risk, decision), at, &id,
				 &e) < 0)
		fprintf(stderr, "arrival %s: %s (%s)\n", name, e.message, e.code);
	return id;
}

static struct rescue_intake_detail *get(const struct fixture *f, int64_t id, const char *now)
{
	static struct rescue_intake_detail d;
	struct actor a = worker();
	struct err e;
	rescue_intake_detail_release(&d);
	if (rescue_intake_get(f->db, &a, id, 0, now, &d, &e) < 0)
		fprintf(stderr, "get: %s\n", e.message);
	return &d;
}

static struct rescue_discharge_in home(const char *at)
{
	struct rescue_discharge_in d;
	memset(&d, 0, sizeof d);
	snprintf(d.at, sizeof d.at, "%s", at);
	snprintf(d.kind, sizeof d.kind, "return_home");
	snprintf(d.ticket, sizeof d.ticket, "K1234 次 05 车 12 号");
	snprintf(d.destination, sizeof d.destination, "河南郑州");
	return d;
}

/* ---- arrival ---- */

TEST(isolated_arrival_plans_end_and_stay_from_the_parameters)
{
	struct fixture f = setup();
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "medium_high", "isolate");
	struct rescue_intake_detail *d = get(&f, id, "2020-02-02T08:00");
	CHECK_EQ_STR(d->in.status, "isolation");
	CHECK_EQ_STR(d->in.isolation_start, "2020-02-01");
	CHECK_EQ_STR(d->in.isolation_end, "2020-02-15"); /* 1 Feb + 14 */
	CHECK_EQ_INT(d->in.stay_limit_days, 14);	 /* February: the epidemic value */
	CHECK_EQ_STR(d->in.stay_until, "2020-02-15");
	CHECK_EQ_INT(d->early_leave_now, 1);
	CHECK_EQ_INT(d->leave_allowed_now, 0);
	CHECK(strstr(d->leave_reason, "没有检测记录") != NULL);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM audit_log WHERE action = 'rescue.intake'"), 1);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM rescue_changes WHERE kind = 'start'"), 1);
	rescue_intake_detail_release(d);
	db_close(f.db);
}

TEST(fever_is_referred_and_reported_never_admitted)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id = 0;
	struct rescue_intake_in *in = arrival(&f, "2020-02-03T22:00", "赵六", 376, "low", "admit");
	CHECK(rescue_intake_create(f.db, &a, in, "2020-02-03T22:05", &id, &e) < 0);
	CHECK_EQ_STR(e.code, "fever_referral_required");
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM rescue_intakes"), 0);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM audit_log WHERE action = 'rescue.intake'"), 0);
	in = arrival(&f, "2020-02-03T22:00", "赵六", 376, "low", "hospital");
	snprintf(in->hospital, sizeof in->hospital, "潍坊市人民医院发热门诊");
	CHECK(rescue_intake_create(f.db, &a, in, "2020-02-03T22:05", &id, &e) < 0);
	CHECK_EQ_STR(e.field, "report_to");
	snprintf(in->report_to, sizeof in->report_to, "坊子区疫情防控指挥部");
	CHECK_EQ_INT(rescue_intake_create(f.db, &a, in, "2020-02-03T22:05", &id, &e), 0);
	struct rescue_intake_detail *d = get(&f, id, "2020-02-04T08:00");
	CHECK_EQ_STR(d->in.status, "referred");
	CHECK_EQ_INT(d->in.fever, 1);
	CHECK_EQ_STR(d->in.report_to, "坊子区疫情防控指挥部");
	CHECK_EQ_STR(d->in.report_at, "2020-02-03T22:00:00+08:00"); /* defaults to the arrival */
	CHECK_EQ_INT(d->in.room_id, 0);				    /* no bed taken */
	rescue_intake_detail_release(d);
	db_close(f.db);
}

TEST(risk_area_arrival_cannot_be_admitted_without_isolation)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id;
	CHECK(rescue_intake_create(
		  f.db, &a, arrival(&f, "2020-02-03T10:00", "钱七", 365, "unverifiable", "admit"),
		  "2020-02-03T10:00", &id, &e) < 0);
	CHECK_EQ_STR(e.code, "isolation_required");
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM rescue_intakes"), 0);
	db_close(f.db);
}

TEST(beds_are_counted_per_room_and_zone)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id;
	CHECK(arrive(&f, "2020-02-01T10:00", "甲", "low", "isolate") > 0);
	CHECK(arrive(&f, "2020-02-01T11:00", "乙", "low", "isolate") > 0);
	/* the isolation room's 2 beds are taken */
	CHECK(rescue_intake_create(f.db, &a,
				   arrival(&f, "2020-02-01T12:00", "丙", 365, "low", "isolate"),
				   "2020-02-01T12:00", &id, &e) < 0);
	CHECK_EQ_STR(e.code, "room_full");
	/* a general room for an isolation */
	struct rescue_intake_in *in = arrival(&f, "2020-02-01T12:00", "丙", 365, "low", "isolate");
	in->room_id = f.general;
	CHECK(rescue_intake_create(f.db, &a, in, "2020-02-01T12:00", &id, &e) < 0);
	CHECK_EQ_STR(e.code, "wrong_zone");
	struct rescue_station_detail sd;
	CHECK_EQ_INT(rescue_station_get(f.db, &a, f.station, &sd, &e), 0);
	CHECK_EQ_INT(sd.station.beds, 5);
	CHECK_EQ_INT(sd.station.isolation_used, 2);
	CHECK_EQ_INT(sd.station.in_isolation, 2);
	rescue_station_detail_release(&sd);
	db_close(f.db);
}

TEST(arrival_times_cannot_lie_in_the_future)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id;
	CHECK(rescue_intake_create(f.db, &a,
				   arrival(&f, "2020-02-02T10:00", "丁", 365, "low", "admit"),
				   "2020-02-01T10:00", &id, &e) < 0);
	CHECK_EQ_STR(e.field, "arrived_at");
	db_close(f.db);
}

/* ---- isolation changes ---- */

TEST(isolation_extension_and_reduction_keep_the_previous_end)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "medium_high", "isolate");
	CHECK_EQ_INT(rescue_isolation_change(f.db, &a, id, "2020-02-18", "第 12 天复检结果未出",
					     "2020-02-13T09:00", &e),
		     0);
	struct rescue_intake_detail *d = get(&f, id, "2020-02-13T10:00");
	CHECK_EQ_STR(d->in.isolation_end, "2020-02-18");
	CHECK_EQ_STR(d->in.stay_until, "2020-02-18"); /* the stay follows the isolation */
	CHECK_EQ_INT(d->n_changes, 2);
	CHECK_EQ_STR(d->changes[1].kind, "extend");
	CHECK_EQ_STR(d->changes[1].previous_end, "2020-02-15");
	CHECK_EQ_STR(d->changes[1].new_end, "2020-02-18");
	CHECK_EQ_STR(d->changes[1].reason, "第 12 天复检结果未出");
	CHECK_EQ_INT(rescue_isolation_change(f.db, &a, id, "2020-02-08", "核实行程为低风险地区",
					     "2020-02-06T09:00", &e),
		     0);
	d = get(&f, id, "2020-02-06T10:00");
	CHECK_EQ_STR(d->in.isolation_end, "2020-02-08");
	CHECK_EQ_STR(d->in.stay_until, "2020-02-15"); /* back to arrival + 14 */
	CHECK_EQ_STR(d->changes[2].kind, "reduce");
	CHECK_EQ_STR(d->changes[2].previous_end, "2020-02-18");
	/* without a reason nothing changes */
	CHECK(rescue_isolation_change(f.db, &a, id, "2020-02-20", "", "2020-02-06T11:00", &e) < 0);
	CHECK_EQ_STR(e.field, "reason");
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM rescue_changes"), 3);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM audit_log WHERE action = 'rescue.isolation'"),
		     2);
	rescue_intake_detail_release(d);
	db_close(f.db);
}

/* ---- early discharge ---- */

TEST(early_discharge_is_refused_without_a_test_and_changes_nothing)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "medium_high", "isolate");
	struct rescue_discharge_in d = home("2020-02-05T10:00");
	int64_t audit = q(f.db, "SELECT count(*) FROM audit_log");
	CHECK(rescue_discharge(f.db, &a, id, &d, "2020-02-05T10:30", &e) < 0);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "negative_test_required");
	CHECK(strstr(e.message, "2020-02-15") != NULL);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM audit_log"), audit);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM rescue_intakes WHERE status = 'isolation'"), 1);
	/* a negative test four days old is too old */
	CHECK_EQ_INT(rescue_test_add(f.db, &a, id, "2020-02-01T22:00", "negative", "",
				     "2020-02-02T08:00", NULL, &e),
		     0);
	CHECK(rescue_discharge(f.db, &a, id, &d, "2020-02-05T10:30", &e) < 0);
	CHECK(strstr(e.message, "已超过 72 小时") != NULL);
	db_close(f.db);
}

TEST(early_discharge_with_a_recent_negative_test_is_allowed_and_recorded)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "medium_high", "isolate"), test = 0;
	CHECK_EQ_INT(rescue_test_add(f.db, &a, id, "2020-02-04T09:00", "negative", "市疾控中心",
				     "2020-02-04T20:00", &test, &e),
		     0);
	struct rescue_discharge_in d = home("2020-02-05T10:00");
	CHECK_EQ_INT(rescue_discharge(f.db, &a, id, &d, "2020-02-05T10:30", &e), 0);
	struct rescue_intake_detail *x = get(&f, id, "2020-02-05T11:00");
	CHECK_EQ_STR(x->in.status, "discharged");
	CHECK_EQ_STR(x->in.discharge_kind, "return_home");
	CHECK_EQ_INT(x->in.isolation_early, 1);
	CHECK_EQ_INT(x->in.early_test_id, test);
	CHECK_EQ_STR(x->in.isolation_ended_at, "2020-02-05T10:00:00+08:00");
	CHECK_EQ_STR(x->changes[x->n_changes - 1].kind, "early_end");
	/* the bed is free again */
	CHECK_EQ_INT(
	    q(f.db,
	      "SELECT count(*) FROM rescue_intakes WHERE status IN ('in_station','isolation')"),
	    0);
	rescue_intake_detail_release(x);
	db_close(f.db);
}

TEST(hospital_transfer_from_isolation_needs_no_test)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "medium_high", "isolate");
	struct rescue_observation_in o;
	int fever = 0;
	memset(&o, 0, sizeof o);
	o.temperature_tenths = 381;
	CHECK(rescue_observation_add(f.db, &a, id, &o, "2020-02-04T08:00", &fever, &e) < 0);
	CHECK_EQ_STR(e.field, "report_to"); /* a fever must be reported */
	snprintf(o.report_to, sizeof o.report_to, "坊子区疫情防控指挥部");
	CHECK_EQ_INT(rescue_observation_add(f.db, &a, id, &o, "2020-02-04T08:00", &fever, &e), 0);
	CHECK_EQ_INT(fever, 1);
	struct rescue_discharge_in d;
	memset(&d, 0, sizeof d);
	snprintf(d.kind, sizeof d.kind, "hospital");
	snprintf(d.transfer_to, sizeof d.transfer_to, "潍坊市人民医院");
	CHECK_EQ_INT(rescue_discharge(f.db, &a, id, &d, "2020-02-04T09:00", &e), 0);
	CHECK_EQ_STR(get(&f, id, "2020-02-04T10:00")->in.status, "discharged");
	db_close(f.db);
}

TEST(ending_isolation_on_time_moves_to_a_general_bed)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "medium_high", "isolate");
	/* a day early without a test: refused */
	CHECK(rescue_isolation_end_now(f.db, &a, id, "2020-02-14T10:00", f.general,
				       "2020-02-14T10:00", &e) < 0);
	CHECK_EQ_STR(e.code, "negative_test_required");
	CHECK_EQ_INT(rescue_isolation_end_now(f.db, &a, id, "2020-02-15T10:00", f.general,
					      "2020-02-15T10:00", &e),
		     0);
	struct rescue_intake_detail *d = get(&f, id, "2020-02-15T11:00");
	CHECK_EQ_STR(d->in.status, "in_station");
	CHECK_EQ_INT(d->in.room_id, f.general);
	CHECK_EQ_INT(d->in.isolation_early, 0);
	CHECK_EQ_STR(d->changes[d->n_changes - 1].kind, "end");
	rescue_intake_detail_release(d);
	db_close(f.db);
}

/* ---- maximum stay ---- */

TEST(maximum_stay_is_ten_days_normally_and_fourteen_in_the_epidemic)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t dec = arrive(&f, "2019-12-20T20:00", "孙八", "low", "admit");
	int64_t feb = arrive(&f, "2020-02-03T20:00", "周九", "low", "admit");
	CHECK_EQ_STR(get(&f, dec, "2019-12-21T08:00")->in.stay_until,
		     "2019-12-30"); /* 20 Dec + 10 */
	CHECK_EQ_STR(get(&f, feb, "2020-02-04T08:00")->in.stay_until,
		     "2020-02-17"); /* 3 Feb + 14 */
	struct rescue_discharge_in d;
	memset(&d, 0, sizeof d);
	snprintf(d.kind, sizeof d.kind, "max_stay");
	snprintf(d.at, sizeof d.at, "2020-02-16T10:00");
	CHECK(rescue_discharge(f.db, &a, feb, &d, "2020-02-16T10:00", &e) < 0);
	CHECK_EQ_STR(e.code, "stay_not_reached");
	/* extended with approval: the previous limit kept */
	CHECK_EQ_INT(rescue_stay_extend(f.db, &a, feb, "2020-02-22", "等待户籍地接送",
					"站长 王建国", "2020-02-16T11:00", &e),
		     0);
	struct rescue_intake_detail *x = get(&f, feb, "2020-02-16T12:00");
	CHECK_EQ_STR(x->in.stay_until, "2020-02-22");
	CHECK_EQ_STR(x->changes[0].what, "stay");
	CHECK_EQ_STR(x->changes[0].previous_end, "2020-02-17");
	CHECK_EQ_STR(x->changes[0].approved_by, "站长 王建国");
	snprintf(d.at, sizeof d.at, "2020-02-22T10:00");
	CHECK_EQ_INT(rescue_discharge(f.db, &a, feb, &d, "2020-02-22T10:00", &e), 0);
	/* December's stay is over its limit on 31 Dec */
	CHECK_EQ_INT(get(&f, dec, "2019-12-31T08:00")->over_stay, 1);
	rescue_intake_detail_release(x);
	db_close(f.db);
}

/* ---- scope, permission, masking ---- */

TEST(other_county_and_roles_without_permission_get_not_found)
{
	struct fixture f = setup();
	struct actor other = other_county(), vil = village(), own = county();
	struct rescue_intake_detail d;
	struct rescue_discharge_in dis = home("2020-02-05T10:00");
	struct err e;
	int64_t id = arrive(&f, "2020-02-01T21:30", "王五", "low", "admit");
	CHECK(rescue_intake_get(f.db, &other, id, 0, "2020-02-02T08:00", &d, &e) < 0);
	CHECK_EQ_INT(e.status, 404);
	CHECK(rescue_intake_get(f.db, &vil, id, 0, "2020-02-02T08:00", &d, &e) < 0);
	CHECK_EQ_INT(e.status, 404);
	CHECK(rescue_discharge(f.db, &other, id, &dis, "2020-02-05T10:00", &e) < 0);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM rescue_intakes WHERE status = 'in_station'"), 1);
	CHECK_EQ_INT(rescue_intake_get(f.db, &own, id, 0, "2020-02-02T08:00", &d, &e), 0);
	rescue_intake_detail_release(&d);
	/* a station outside one's scope cannot be created */
	struct rescue_station_in s;
	int64_t sid;
	memset(&s, 0, sizeof s);
	snprintf(s.name, sizeof s.name, "奎文区救助管理站");
	snprintf(s.region_code, sizeof s.region_code, "370705");
	CHECK(rescue_station_create(f.db, &own, &s, "2020-01-01T09:00", &sid, &e) < 0);
	CHECK_EQ_STR(e.code, "out_of_scope");
	/* and the list of another county is empty */
	struct rescue_intake_query qq;
	struct rescue_intake_page pg;
	memset(&qq, 0, sizeof qq);
	CHECK_EQ_INT(rescue_intake_list(f.db, &other, &qq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 0);
	rescue_intake_page_release(&pg);
	CHECK_EQ_INT(rescue_intake_list(f.db, &own, &qq, &pg, &e), 0);
	CHECK_EQ_INT(pg.total, 1);
	rescue_intake_page_release(&pg);
	db_close(f.db);
}

TEST(names_are_masked_and_unmasking_is_audited)
{
	struct fixture f = setup();
	struct actor w = worker(), c = county();
	struct rescue_intake_detail d;
	struct err e;
	struct rescue_intake_in *in =
	    arrival(&f, "2020-02-01T21:30", "王小五", 365, "low", "admit");
	snprintf(in->id_number, sizeof in->id_number, "11010519491231002x");
	int64_t id;
	CHECK_EQ_INT(rescue_intake_create(f.db, &w, in, "2020-02-01T21:40", &id, &e), 0);
	CHECK_EQ_INT(rescue_intake_get(f.db, &w, id, 0, "2020-02-02T08:00", &d, &e), 0);
	json_t *j = rescue_intake_detail_json(&d);
	CHECK_EQ_STR(json_string_value(json_object_get(j, "name")), "王**");
	CHECK_EQ_STR(json_string_value(json_object_get(j, "id_number")), "110105********002X");
	CHECK_EQ_STR(json_string_value(json_object_get(j, "sex")), "female"); /* from the ID */
	json_decref(j);
	rescue_intake_detail_release(&d);
	/* the rescue worker may not unmask (no registry.unmask): 403, nothing audited */
	CHECK(rescue_intake_get(f.db, &w, id, 1, "2020-02-02T08:00", &d, &e) < 0);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM audit_log WHERE action = 'rescue.unmask'"), 0);
	CHECK_EQ_INT(rescue_intake_get(f.db, &c, id, 1, "2020-02-02T08:00", &d, &e), 0);
	j = rescue_intake_detail_json(&d);
	CHECK_EQ_STR(json_string_value(json_object_get(j, "name")), "王小五");
	CHECK_EQ_STR(json_string_value(json_object_get(j, "id_number")), "11010519491231002X");
	json_decref(j);
	rescue_intake_detail_release(&d);
	CHECK_EQ_INT(q(f.db, "SELECT count(*) FROM audit_log WHERE action = 'rescue.unmask'"), 1);
	db_close(f.db);
}

/* ---- family search, patrols, dashboard ---- */

TEST(unidentified_arrival_has_a_family_search_due_in_24_hours)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	struct rescue_intake_in *in = arrival(&f, "2020-02-01T21:30", "", 365, "low", "admit");
	in->unidentified = 1;
	int64_t id;
	CHECK(rescue_intake_create(f.db, &a, in, "2020-02-01T21:40", &id, &e) < 0);
	CHECK_EQ_STR(e.field, "description");
	snprintf(in->description, sizeof in->description, "男，约 60 岁，身穿蓝色棉衣");
	snprintf(in->risk, sizeof in->risk, "low");
	CHECK_EQ_INT(rescue_intake_create(f.db, &a, in, "2020-02-01T21:40", &id, &e), 0);
	struct rescue_intake_detail *d = get(&f, id, "2020-02-02T22:00");
	CHECK_EQ_STR(d->in.family_search_due, "2020-02-02T21:30:00+08:00");
	CHECK_EQ_INT(d->family_search_overdue, 1);
	struct rescue_dashboard dash;
	CHECK_EQ_INT(rescue_dashboard_get(f.db, &a, 0, NULL, NULL, "2020-02-02T22:00", &dash, &e),
		     0);
	CHECK_EQ_INT(dash.family_search_overdue, 1);
	rescue_dashboard_release(&dash);
	CHECK_EQ_INT(rescue_family_search(f.db, &a, id, "2020-02-02T23:00", "全国救助寻亲网", "",
					  "2020-02-03T08:00", &e),
		     0);
	CHECK_EQ_INT(get(&f, id, "2020-02-03T09:00")->family_search_overdue, 0);
	rescue_intake_detail_release(d);
	db_close(f.db);
}

TEST(dashboard_counts_people_beds_days_and_outreach)
{
	struct fixture f = setup();
	struct actor a = worker();
	struct err e;
	int64_t i1 = arrive(&f, "2020-02-01T21:30", "甲", "medium_high", "isolate");
	arrive(&f, "2020-02-02T20:00", "乙", "low", "admit");
	arrive(&f, "2020-02-02T21:00", "丙", "low", "admit");
	struct rescue_discharge_in d = home("2020-02-03T10:00");
	int64_t i4 = arrive(&f, "2020-02-02T22:00", "丁", "low", "admit");
	(void)i1;
	CHECK_EQ_INT(rescue_discharge(f.db, &a, i4, &d, "2020-02-03T10:00", &e), 0);
	struct rescue_patrol_in *p = calloc(1, sizeof *p);
	p->station_id = f.station;
	snprintf(p->date, sizeof p->date, "2020-02-02");
	snprintf(p->area, sizeof p->area, "火车站广场");
	snprintf(p->staff, sizeof p->staff, "刘强、孙丽");
	p->n_contacts = 2;
	snprintf(p->contacts[0].description, sizeof p->contacts[0].description, "男，约 50 岁");
	p->contacts[0].masks = 2;
	p->contacts[0].warm_clothing = 1;
	p->contacts[0].food = 2;
	snprintf(p->contacts[1].name, sizeof p->contacts[1].name, "李四");
	p->contacts[1].accepted = 1;
	p->contacts[1].masks = 1;
	p->contacts[1].food = 1;
	int64_t pid;
	CHECK_EQ_INT(rescue_patrol_create(f.db, &a, p, "2020-02-02T23:30", &pid, &e), 0);
	/* someone neither named nor described */
	p->n_contacts = 3;
	CHECK(rescue_patrol_create(f.db, &a, p, "2020-02-02T23:30", &pid, &e) < 0);
	CHECK_EQ_STR(e.field, "contacts[2].description");
	free(p);

	struct rescue_dashboard dash;
	CHECK_EQ_INT(rescue_dashboard_get(f.db, &a, f.station, "2020-02-01", "2020-02-03",
					  "2020-02-03T12:00", &dash, &e),
		     0);
	CHECK_EQ_INT(dash.in_station, 3); /* 甲 in isolation, 乙 丙 in the dormitory */
	CHECK_EQ_INT(dash.in_isolation, 1);
	CHECK_EQ_INT(dash.beds, 5);
	CHECK_EQ_INT(dash.beds_free, 2); /* 5 − 3 */
	CHECK_EQ_INT(dash.isolation_free, 1);
	CHECK_EQ_INT(dash.n_days, 3);
	CHECK_EQ_INT(dash.days[0].arrivals, 1);
	CHECK_EQ_INT(dash.days[0].isolated, 1);
	CHECK_EQ_INT(dash.days[1].arrivals, 3);
	CHECK_EQ_INT(dash.days[2].discharges, 1);
	CHECK_EQ_INT(dash.patrols, 1);
	CHECK_EQ_INT(dash.people_met, 2);
	CHECK_EQ_INT(dash.accepted, 1);
	CHECK_EQ_INT(dash.masks, 3);
	CHECK_EQ_INT(dash.warm_clothing, 1);
	CHECK_EQ_INT(dash.food, 3);
	CHECK_EQ_INT(dash.n_isolation, 1);
	CHECK_EQ_STR(dash.isolation[0].planned_end, "2020-02-15");
	CHECK_EQ_INT(dash.isolation[0].days_left, 12); /* 3 Feb → 15 Feb */
	rescue_dashboard_release(&dash);
	/* another county sees nothing of it */
	struct actor other = other_county();
	CHECK(rescue_dashboard_get(f.db, &other, f.station, NULL, NULL, "2020-02-03T12:00", &dash,
				   &e) < 0);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(rescue_dashboard_get(f.db, &other, 0, "2020-02-01", "2020-02-03",
					  "2020-02-03T12:00", &dash, &e),
		     0);
	CHECK_EQ_INT(dash.in_station, 0);
	CHECK_EQ_INT(dash.patrols, 0);
	rescue_dashboard_release(&dash);
	db_close(f.db);
}

TEST(demo_step_runs_inside_the_rules)
{
	/* the whole demo scenario replayed through the domain functions: every arrival, test and
	 * discharge had to pass the rules (a refusal fails the step) */
	struct db *db = open_seeded();
	struct actor sys;
	struct err e;
	extern int demo_rescue(struct db *, const struct actor *, const struct demo_options *,
			       struct demo_report *, struct err *);
	struct demo_options o = {.seed = 1, .scale = 0.3, .assistance = 0};
	actor_system(&sys);
	int rc = demo_rescue(db, &sys, &o, NULL, &e);
	if (rc < 0)
		fprintf(stderr, "demo: %s\n", e.message);
	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM rescue_stations"),
		     3); /* the city, 坊子区, 奎文区 */
	CHECK(q(db, "SELECT count(*) FROM rescue_intakes") >= 100);
	CHECK(q(db, "SELECT count(*) FROM rescue_intakes WHERE isolation_early = 1 AND "
		    "early_test_id IS NOT NULL") > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM rescue_intakes WHERE isolation_early = 1 AND "
			   "early_test_id IS NULL "
			   "AND discharge_kind <> 'hospital'"),
		     0);
	CHECK(q(db, "SELECT count(*) FROM rescue_patrols") > 0);
	/* no room ever holds more people than beds */
	CHECK_EQ_INT(q(db,
		       "SELECT count(*) FROM rescue_rooms r WHERE r.beds < (SELECT count(*) FROM "
		       "rescue_intakes i WHERE i.room_id = r.id AND i.status IN "
		       "('in_station','isolation'))"),
		     0);
	db_close(db);
}

UNIT_MAIN(isolated_arrival_plans_end_and_stay_from_the_parameters,
	  fever_is_referred_and_reported_never_admitted,
	  risk_area_arrival_cannot_be_admitted_without_isolation,
	  beds_are_counted_per_room_and_zone, arrival_times_cannot_lie_in_the_future,
	  isolation_extension_and_reduction_keep_the_previous_end,
	  early_discharge_is_refused_without_a_test_and_changes_nothing,
	  early_discharge_with_a_recent_negative_test_is_allowed_and_recorded,
	  hospital_transfer_from_isolation_needs_no_test,
	  ending_isolation_on_time_moves_to_a_general_bed,
	  maximum_stay_is_ten_days_normally_and_fourteen_in_the_epidemic,
	  other_county_and_roles_without_permission_get_not_found,
	  names_are_masked_and_unmasking_is_audited,
	  unidentified_arrival_has_a_family_search_due_in_24_hours,
	  dashboard_counts_people_beds_days_and_outreach, demo_step_runs_inside_the_rules)
