/* test_staff.c — the staff module (src/staff/): the overlap rule of a deployment with a
 * period, the counts of distinct staff seconded / on the front line (repeated and overlapping
 * deployments of one person count once; per post region), who is deployed on a day, ending a
 * deployment, scope and masking, and refused input writing nothing.
 */
#include <stdlib.h>

#include "staff/staff.h"
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

#define STAFF_PERMS (PERM_LOGIN | PERM_STAFF | PERM_REGISTRY_UNMASK)

static int deploy(struct db *db, const struct actor *a, const char *no, const char *region,
		  const char *type, const char *start, const char *end, struct err *e)
{
	struct staff_deployment_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	snprintf(in.staff_no, sizeof in.staff_no, "%s", no);
	snprintf(in.name, sizeof in.name, "刘%s", no);
	snprintf(in.phone, sizeof in.phone, "13812345678");
	snprintf(in.from_unit, sizeof in.from_unit, "市民政局社会救助科");
	snprintf(in.post, sizeof in.post, "太保庄街道卡口");
	snprintf(in.region_code, sizeof in.region_code, "%s", region);
	snprintf(in.type, sizeof in.type, "%s", type);
	snprintf(in.start_date, sizeof in.start_date, "%s", start);
	snprintf(in.end_date, sizeof in.end_date, "%s", end);
	return staff_deployment_create(db, a, &in, &id, e);
}

TEST(overlap_rule)
{
	/* inclusive at both ends; an open end runs on */
	CHECK(staff_overlaps("2020-01-26", "2020-02-10", "2020-02-10", "2020-02-20"));
	CHECK(staff_overlaps("2020-02-20", "2020-03-10", "2020-02-10", "2020-02-20"));
	CHECK(!staff_overlaps("2020-01-26", "2020-02-09", "2020-02-10", "2020-02-20"));
	CHECK(!staff_overlaps("2020-02-21", "", "2020-02-10", "2020-02-20"));
	CHECK(staff_overlaps("2020-01-01", "", "2020-02-10", "2020-02-20"));
	struct err e;
	CHECK_EQ_INT(staff_dates_check("2020-02-10", "2020-02-09", &e), -1);
	CHECK_EQ_STR(e.field, "end_date");
	CHECK_EQ_INT(staff_dates_check("", "", &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(staff_dates_check("2020-02-10", "", &e), 0);
	CHECK(staff_type_valid("seconded") && staff_type_valid("front_line") && !staff_type_valid("x"));
}

TEST(a_person_with_repeated_or_overlapping_deployments_counts_once)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("city_admin", "3707", STAFF_PERMS);
	struct err e;
	int64_t c[STAFF_NFIGURES];
	CHECK_EQ_INT(deploy(db, &a, "F1", "370704008", "front_line", "2020-01-26", "2020-02-20", &e), 0);
	CHECK_EQ_INT(deploy(db, &a, "F1", "370704008", "front_line", "2020-02-15", "2020-03-20", &e), 0);
	CHECK_EQ_INT(deploy(db, &a, "F1", "370705001", "front_line", "2020-03-21", "", &e), 0);
	CHECK_EQ_INT(deploy(db, &a, "F2", "370705001", "front_line", "2020-02-01", "2020-02-28", &e), 0);
	CHECK_EQ_INT(deploy(db, &a, "S1", "3707", "seconded", "2020-01-28", "2020-04-20", &e), 0);
	CHECK_EQ_INT(deploy(db, &a, "S1", "3707", "seconded", "2020-04-21", "", &e), 0);
	/* after the period */
	CHECK_EQ_INT(deploy(db, &a, "F3", "370704008", "front_line", "2020-05-06", "2020-05-20", &e), 0);
	CHECK_EQ_INT(staff_count(db, &a, "2020-01-24", "2020-04-26", "", c, &e), 0);
	CHECK_EQ_INT(c[STAFF_SECONDED], 1);
	CHECK_EQ_INT(c[STAFF_FRONT_LINE], 2);
	/* per unit: F1 served in both counties and counts once in each */
	CHECK_EQ_INT(staff_count(db, &a, "2020-01-24", "2020-04-26", "370704", c, &e), 0);
	CHECK_EQ_INT(c[STAFF_FRONT_LINE], 1);
	CHECK_EQ_INT(c[STAFF_SECONDED], 0);
	CHECK_EQ_INT(staff_count(db, &a, "2020-01-24", "2020-04-26", "370705", c, &e), 0);
	CHECK_EQ_INT(c[STAFF_FRONT_LINE], 2);
	/* one day: 2020-03-01 only F1 (the second deployment) and S1 */
	CHECK_EQ_INT(staff_count(db, &a, "2020-03-01", "2020-03-01", "", c, &e), 0);
	CHECK_EQ_INT(c[STAFF_FRONT_LINE], 1);
	CHECK_EQ_INT(c[STAFF_SECONDED], 1);
	struct staff_query qq;
	json_t *out;
	memset(&qq, 0, sizeof qq);
	qq.limit = 50;
	snprintf(qq.on, sizeof qq.on, "2020-02-16");
	CHECK_EQ_INT(staff_deployment_list(db, &a, &qq, 0, &out, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(out, "total")), 4); /* F1×2, F2, S1 */
	json_decref(out);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'staff.deploy'"), 7);
	db_close(db);
}

TEST(ending_a_deployment)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF_PERMS);
	struct actor b = actor_of("county_staff", "370705", STAFF_PERMS);
	struct err e;
	int64_t c[STAFF_NFIGURES];
	CHECK_EQ_INT(deploy(db, &a, "F1", "370704008", "front_line", "2020-01-26", "", &e), 0);
	int64_t id = q(db, "SELECT max(id) FROM staff_deployments");
	CHECK_EQ_INT(staff_deployment_end(db, &b, id, "2020-02-10", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(staff_deployment_end(db, &a, id, "2020-01-20", &e), -1);
	CHECK_EQ_STR(e.field, "end_date");
	CHECK_EQ_INT(staff_deployment_end(db, &a, id, "2020-02-10", &e), 0);
	CHECK_EQ_INT(staff_deployment_end(db, &a, id, "2020-02-12", &e), -1);
	CHECK_EQ_STR(e.code, "already_ended");
	CHECK_EQ_INT(staff_count(db, &a, "2020-02-11", "2020-04-26", "", c, &e), 0);
	CHECK_EQ_INT(c[STAFF_FRONT_LINE], 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'staff.end'"), 1);
	db_close(db);
}

TEST(refused_input_writes_nothing_and_scope_holds)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF_PERMS);
	struct err e;
	CHECK_EQ_INT(deploy(db, &a, "F1", "370705001", "front_line", "2020-01-26", "", &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_INT(deploy(db, &a, "F1", "370704008", "deputy", "2020-01-26", "", &e), -1);
	CHECK_EQ_STR(e.field, "type");
	CHECK_EQ_INT(deploy(db, &a, "", "370704008", "front_line", "2020-01-26", "", &e), -1);
	CHECK_EQ_STR(e.field, "staff_no");
	CHECK_EQ_INT(deploy(db, &a, "F1", "370704008", "front_line", "2020-13-01", "", &e), -1);
	CHECK_EQ_STR(e.field, "start_date");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM staff_deployments"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), 0);
	db_close(db);
}

TEST(names_and_phones_masked_in_lists)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF_PERMS);
	struct err e;
	json_t *out;
	CHECK_EQ_INT(deploy(db, &a, "F1", "370704008", "front_line", "2020-01-26", "", &e), 0);
	struct staff_query qq;
	memset(&qq, 0, sizeof qq);
	qq.limit = 10;
	CHECK_EQ_INT(staff_deployment_list(db, &a, &qq, 0, &out, &e), 0);
	json_t *it = json_array_get(json_object_get(out, "items"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(it, "phone")), "138****5678");
	CHECK_EQ_STR(json_string_value(json_object_get(it, "name")), "刘**");
	json_decref(out);
	CHECK_EQ_INT(staff_deployment_list(db, &a, &qq, 1, &out, &e), 0);
	it = json_array_get(json_object_get(out, "items"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(it, "name")), "刘F1");
	json_decref(out);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'staff.unmask'"), 1);
	db_close(db);
}

UNIT_MAIN(overlap_rule, a_person_with_repeated_or_overlapping_deployments_counts_once,
	  ending_a_deployment, refused_input_writes_nothing_and_scope_holds,
	  names_and_phones_masked_in_lists)
