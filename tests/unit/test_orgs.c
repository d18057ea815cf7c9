/* test_orgs.c — the orgs module against a fresh database (src/orgs/): the counting rules of
 * orgs.h — an organisation engaged (any engagement in the period) versus mobilising (it sent
 * volunteers), a volunteer counted once across activities, the area summed in m² and shown in
 * whole km² rounded down —, scope (another county: 404 / 403 out_of_scope), masking of
 * volunteers' phones and the audited unmask, and that refused input leaves nothing behind.
 */
#include <stdlib.h>

#include "orgs/orgs.h"
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

#define ORG_PERMS (PERM_LOGIN | PERM_SOCIAL_ORG | PERM_REGISTRY_UNMASK)

static int64_t org(struct db *db, const struct actor *a, const char *name, const char *region)
{
	struct orgs_org_in in;
	struct err e;
	int64_t id = 0;
	memset(&in, 0, sizeof in);
	snprintf(in.name, sizeof in.name, "%s", name);
	snprintf(in.type, sizeof in.type, "volunteer_team");
	snprintf(in.reg_no, sizeof in.reg_no, "REG-%s", name);
	snprintf(in.region_code, sizeof in.region_code, "%s", region);
	snprintf(in.contact_name, sizeof in.contact_name, "王小明");
	snprintf(in.contact_phone, sizeof in.contact_phone, "13812345678");
	if (orgs_create(db, a, &in, &id, &e) < 0)
		fprintf(stderr, "org: %s\n", e.message);
	return id;
}

static int64_t volunteer(struct db *db, const struct actor *a, int64_t org_id, const char *name)
{
	struct orgs_volunteer_in in;
	struct err e;
	int64_t id = 0;
	memset(&in, 0, sizeof in);
	in.org_id = org_id;
	snprintf(in.name, sizeof in.name, "%s", name);
	snprintf(in.phone, sizeof in.phone, "13912345678");
	if (orgs_volunteer_create(db, a, &in, &id, &e) < 0)
		fprintf(stderr, "volunteer: %s\n", e.message);
	return id;
}

/* An engagement; n activities of the given volunteers (1.5 h each). */
static int engage(struct db *db, const struct actor *a, int64_t org_id, const char *date,
		  const char *activity, int64_t area, int64_t households, int64_t mobilised,
		  const int64_t *vols, int n, struct err *e)
{
	struct orgs_engagement_in in;
	struct orgs_activity_in acts[8];
	int64_t id;
	memset(&in, 0, sizeof in);
	in.org_id = org_id;
	snprintf(in.date, sizeof in.date, "%s", date);
	snprintf(in.region_code, sizeof in.region_code, "370704008");
	snprintf(in.activity, sizeof in.activity, "%s", activity);
	in.area_m2 = area;
	in.households = households;
	in.volunteers = mobilised;
	for (int i = 0; i < n; i++) {
		acts[i].volunteer_id = vols[i];
		acts[i].hours_tenths = 15;
	}
	in.activities = acts;
	in.n_activities = n;
	return orgs_engagement_create(db, a, &in, &id, e);
}

static void sum(void *ctx, const char *code, int figure, int64_t v)
{
	(void)code;
	((int64_t *)ctx)[figure] += v;
}

static void figures(struct db *db, const struct actor *a, const char *from, const char *to,
		    int64_t f[ORGS_NFIGURES])
{
	struct err e;
	memset(f, 0, sizeof(int64_t) * ORGS_NFIGURES);
	if (orgs_figures(db, a, from, to, sum, f, &e) < 0)
		fprintf(stderr, "figures: %s\n", e.message);
}

TEST(engaged_counts_any_engagement_mobilising_only_those_that_sent_volunteers)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct err e;
	int64_t donor = org(db, &a, "捐赠协会", "370704008");
	int64_t team = org(db, &a, "蓝天志愿服务队", "370704008");
	int64_t counted = org(db, &a, "红十字会", "370704");
	int64_t early = org(db, &a, "早期协会", "370704");
	int64_t v = volunteer(db, &a, team, "李四");
	/* a donation without volunteers: engaged, not mobilising */
	CHECK_EQ_INT(engage(db, &a, donor, "2020-02-01", "donation", 0, 0, 0, NULL, 0, &e), 0);
	/* volunteers' activity recorded: mobilising */
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-03", "disinfection", 2500000, 0, 0, &v, 1, &e), 0);
	/* volunteers mobilised as a number only: mobilising too */
	CHECK_EQ_INT(engage(db, &a, counted, "2020-02-05", "screening", 0, 120, 30, NULL, 0, &e), 0);
	/* before the period: neither */
	CHECK_EQ_INT(engage(db, &a, early, "2020-01-10", "screening", 0, 50, 10, NULL, 0, &e), 0);
	int64_t f[ORGS_NFIGURES];
	figures(db, &a, "2020-01-24", "2020-04-26", f);
	CHECK_EQ_INT(f[ORGS_ENGAGED], 3);
	CHECK_EQ_INT(f[ORGS_MOBILISING], 2);
	CHECK_EQ_INT(f[ORGS_VOLUNTEERS], 1);
	CHECK_EQ_INT(f[ORGS_AREA_M2], 2500000);
	CHECK_EQ_INT(f[ORGS_HOUSEHOLDS], 120);
	figures(db, &a, "2020-01-01", "2020-04-26", f);
	CHECK_EQ_INT(f[ORGS_ENGAGED], 4);
	CHECK_EQ_INT(f[ORGS_MOBILISING], 3);
	CHECK_EQ_INT(f[ORGS_HOUSEHOLDS], 170);
	/* the rule itself */
	CHECK(!orgs_engagement_mobilises(0, 0));
	CHECK(orgs_engagement_mobilises(3, 0));
	CHECK(orgs_engagement_mobilises(0, 1));
	db_close(db);
}

TEST(a_volunteer_in_several_activities_counts_once)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct err e;
	int64_t team = org(db, &a, "同心志愿服务队", "370704008");
	int64_t v[3] = {volunteer(db, &a, team, "甲一"), volunteer(db, &a, team, "乙二"),
			volunteer(db, &a, team, "丙三")};
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-01", "disinfection", 1000000, 0, 0, v, 3, &e), 0);
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-02", "screening", 0, 40, 0, v, 2, &e), 0);
	CHECK_EQ_INT(engage(db, &a, team, "2020-03-02", "delivery", 0, 0, 0, v + 2, 1, &e), 0);
	int64_t f[ORGS_NFIGURES];
	figures(db, &a, "2020-01-24", "2020-04-26", f);
	CHECK_EQ_INT(f[ORGS_VOLUNTEERS], 3); /* 6 activities, 3 people */
	CHECK_EQ_INT(f[ORGS_MOBILISING], 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM orgs_activities"), 6);
	/* only March: the third volunteer */
	figures(db, &a, "2020-03-01", "2020-03-31", f);
	CHECK_EQ_INT(f[ORGS_VOLUNTEERS], 1);
	CHECK_EQ_INT(f[ORGS_ENGAGED], 1);
	/* mobilised is raised to the activities recorded */
	CHECK_EQ_INT(q(db, "SELECT volunteers FROM orgs_engagements ORDER BY id LIMIT 1"), 3);
	db_close(db);
}

TEST(area_is_shown_in_whole_km2_rounded_down)
{
	CHECK_EQ_INT(orgs_km2(0), 0);
	CHECK_EQ_INT(orgs_km2(999999), 0);
	CHECK_EQ_INT(orgs_km2(1000000), 1);
	CHECK_EQ_INT(orgs_km2(400999999), 400);
	CHECK_EQ_INT(orgs_km2(-5), 0);
}

TEST(codes_and_labels)
{
	CHECK(orgs_type_valid("foundation"));
	CHECK(orgs_type_valid("other"));
	CHECK(!orgs_type_valid("disinfection"));
	CHECK(orgs_activity_valid("screening"));
	CHECK(orgs_activity_valid("other"));
	CHECK(!orgs_activity_valid("foundation"));
	CHECK_EQ_STR(orgs_label("disinfection"), "消杀");
	CHECK_EQ_STR(orgs_label("nope"), "");
}

TEST(a_volunteer_twice_in_one_engagement_is_refused_and_nothing_is_written)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct err e;
	int64_t team = org(db, &a, "阳光志愿服务队", "370704008");
	int64_t other = org(db, &a, "别的队", "370704008");
	int64_t v = volunteer(db, &a, team, "甲一");
	int64_t w = volunteer(db, &a, other, "乙二");
	int64_t twice[2] = {v, v};
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-01", "disinfection", 10, 0, 0, twice, 2, &e), -1);
	CHECK_EQ_STR(e.code, "duplicate_activity");
	CHECK_EQ_INT(e.status, 409);
	/* another organisation's volunteer */
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-01", "disinfection", 10, 0, 0, &w, 1, &e), -1);
	CHECK_EQ_STR(e.field, "activities[0].volunteer_id");
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-01", "cooking", 10, 0, 0, NULL, 0, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-30", "donation", 0, 0, 0, NULL, 0, &e), -1);
	CHECK_EQ_STR(e.field, "date");
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-01", "donation", -1, 0, 0, NULL, 0, &e), -1);
	CHECK_EQ_STR(e.field, "area_m2");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM orgs_engagements"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM orgs_activities"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits);
	db_close(db);
}

TEST(every_write_is_audited)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct err e;
	int64_t team = org(db, &a, "暖心志愿服务队", "370704008");
	int64_t v = volunteer(db, &a, team, "甲一");
	CHECK_EQ_INT(engage(db, &a, team, "2020-02-01", "disinfection", 10, 0, 0, &v, 1, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'orgs.create'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'orgs.volunteer'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'orgs.engagement'"), 1);
	db_close(db);
}

TEST(scope_another_county_sees_nothing_and_cannot_create_there)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct actor b = actor_of("county_staff", "370705", ORG_PERMS);
	struct actor none = actor_of("village_worker", "370704", PERM_LOGIN);
	struct err e;
	json_t *out = NULL;
	int64_t team = org(db, &a, "邻里志愿服务队", "370704008");
	CHECK_EQ_INT(orgs_get(db, &b, team, 0, &out, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(orgs_get(db, &none, team, 0, &out, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(org(db, &b, "越界协会", "370704008"), 0);
	struct orgs_query qq;
	memset(&qq, 0, sizeof qq);
	qq.limit = 50;
	CHECK_EQ_INT(orgs_list(db, &b, &qq, 0, &out, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(out, "total")), 0);
	json_decref(out);
	int64_t f[ORGS_NFIGURES];
	figures(db, &b, "2020-01-01", "2020-12-31", f);
	CHECK_EQ_INT(f[ORGS_ENGAGED], 0);
	db_close(db);
}

TEST(volunteers_phones_are_masked_unless_unmasked_with_permission)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct actor no_unmask = actor_of("county_staff", "370704", PERM_LOGIN | PERM_SOCIAL_ORG);
	struct err e;
	json_t *out = NULL;
	int64_t team = org(db, &a, "春晖志愿服务队", "370704008");
	volunteer(db, &a, team, "张三丰");
	struct orgs_query qq;
	memset(&qq, 0, sizeof qq);
	qq.limit = 50;
	CHECK_EQ_INT(orgs_volunteer_list(db, &a, &qq, 0, &out, &e), 0);
	json_t *it = json_array_get(json_object_get(out, "items"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(it, "phone")), "139****5678");
	CHECK_EQ_STR(json_string_value(json_object_get(it, "name")), "张**");
	json_decref(out);
	CHECK_EQ_INT(orgs_volunteer_list(db, &no_unmask, &qq, 1, &out, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(orgs_volunteer_list(db, &a, &qq, 1, &out, &e), 0);
	it = json_array_get(json_object_get(out, "items"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(it, "phone")), "13912345678");
	json_decref(out);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'orgs.unmask'"), 1);
	db_close(db);
}

TEST(duplicate_names_and_registration_numbers_are_refused)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", ORG_PERMS);
	struct orgs_org_in in;
	struct err e;
	int64_t id;
	org(db, &a, "巾帼志愿服务队", "370704008");
	memset(&in, 0, sizeof in);
	snprintf(in.name, sizeof in.name, "巾帼志愿服务队");
	snprintf(in.type, sizeof in.type, "social_group");
	snprintf(in.reg_no, sizeof in.reg_no, "X1");
	snprintf(in.region_code, sizeof in.region_code, "370704");
	CHECK_EQ_INT(orgs_create(db, &a, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "duplicate_name");
	snprintf(in.name, sizeof in.name, "另一个");
	snprintf(in.reg_no, sizeof in.reg_no, "REG-巾帼志愿服务队");
	CHECK_EQ_INT(orgs_create(db, &a, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "duplicate_reg_no");
	snprintf(in.reg_no, sizeof in.reg_no, "X2");
	snprintf(in.region_code, sizeof in.region_code, "370799");
	CHECK_EQ_INT(orgs_create(db, &a, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM orgs"), 1);
	db_close(db);
}

UNIT_MAIN(engaged_counts_any_engagement_mobilising_only_those_that_sent_volunteers,
	  a_volunteer_in_several_activities_counts_once, area_is_shown_in_whole_km2_rounded_down,
	  codes_and_labels, a_volunteer_twice_in_one_engagement_is_refused_and_nothing_is_written,
	  every_write_is_audited, scope_another_county_sees_nothing_and_cannot_create_there,
	  volunteers_phones_are_masked_unless_unmasked_with_permission,
	  duplicate_names_and_registration_numbers_are_refused)
