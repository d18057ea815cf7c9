/* test_policy.c — the policy-parameters module (src/policy/) against a fresh database.
 *
 * The units used throughout (inserted by seed()):
 *   3707 潍坊市 (the city: city-wide defaults)
 *     370704 坊子区 (county) > 370704001 凤凰街道
 *     370705 奎文区 (county) > 370705001 东关街道
 *     370791 峡山区 (zone)   manages 370704008 太保庄街道 and 370704009, whose codes sit under
 *                            坊子区 — so 坊子区's scope contains them, but the unit is the zone's.
 * Past months cannot be written through policy_set (409 policy_locked), so rows of past months
 * are put in with SQL (put()); months relative to today come from month_plus().
 */
#include "audit/audit.h"
#include "policy/policy.h"
#include "testdb.h"
#include "unit.h"

#include <stdlib.h>

#define MINPAY "dibao_min_payment_fen"
#define URBAN_STD "dibao_standard_urban_month_fen"

static void seed(struct db *db)
{
	struct err e;
	if (db_exec(db,
		    "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
		    " ('37', '山东省', 1, NULL, NULL),"
		    " ('3707', '潍坊市', 2, '37', NULL),"
		    " ('370704', '坊子区', 3, '3707', '370704'),"
		    " ('370705', '奎文区', 3, '3707', '370705'),"
		    " ('370704001', '凤凰街道', 4, '370704', '370704'),"
		    " ('370704008', '太保庄街道', 4, '370704', '370791'),"
		    " ('370704009', '王家庄街道', 4, '370704', '370791'),"
		    " ('370705001', '东关街道', 4, '370705', '370705');"
		    "INSERT INTO units(code, name, kind, city_code) VALUES"
		    " ('370704', '坊子区', 'county', '3707'), ('370705', '奎文区', 'county', '3707'),"
		    " ('370791', '峡山生态经济开发区', 'zone', '3707');",
		    &e) < 0) {
		fprintf(stderr, "seed: %s\n", e.message);
		abort();
	}
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	seed(db);
	return db;
}

/* An actor with role perms as in roles.c and the given scope prefixes (NULL-terminated). */
static struct actor actor_of(const char *role, const char *region, uint32_t perms,
			     const char *p1, const char *p2)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 7;
	snprintf(a.username, sizeof a.username, "%s_%s", role, region);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	snprintf(a.scope.prefix[a.scope.n++], REGION_CODE_MAX, "%s", p1);
	if (p2)
		snprintf(a.scope.prefix[a.scope.n++], REGION_CODE_MAX, "%s", p2);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

#define READ (PERM_LOGIN | PERM_POLICY_READ)
#define WRITE (READ | PERM_POLICY_WRITE)

static struct actor city_admin(void) { return actor_of("city_admin", "3707", 0xffffffffu, "3707", NULL); }
static struct actor county(const char *c) { return actor_of("county_staff", c, WRITE, c, NULL); }
static struct actor zone_staff(void)
{
	return actor_of("county_staff", "370791", WRITE, "370704008", "370704009");
}
static struct actor township(void) { return actor_of("township_assistant", "370704008", READ, "370704008", NULL); }
static struct actor leader(void) { return actor_of("leader", "3707", READ, "3707", NULL); }

/* A row as if set in the past (policy_set refuses past months). */
static void put(struct db *db, const char *unit, const char *res, const char *key, int64_t v,
		const char *from)
{
	struct err e;
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO policy_params(unit_code, residence_type, key, value, "
					"effective_from, note, set_by, set_at) "
					"VALUES (?,?,?,?,?,'test','test','2019-01-01T00:00:00+08:00')",
					&e);
	if (!st) {
		fprintf(stderr, "put: %s\n", e.message);
		abort();
	}
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, res);
	db_bind_text(st, 3, key);
	db_bind_int(st, 4, v);
	db_bind_text(st, 5, from);
	if (db_run(st, &e) < 0) {
		fprintf(stderr, "put: %s\n", e.message);
		abort();
	}
}

/* The current month plus n months, "YYYY-MM". */
static const char *month_plus(int n, char out[8])
{
	char now[8];
	policy_current_month(now);
	int y = atoi(now), m = atoi(now + 5) - 1 + n;
	y += m >= 0 ? m / 12 : -((11 - m) / 12);
	m = ((m % 12) + 12) % 12;
	snprintf(out, 8, "%04d-%02d", y, m + 1);
	return out;
}

static int64_t value_at(struct db *db, const char *unit, const char *res, const char *key,
			const char *month)
{
	int64_t v = -1;
	struct err e;
	if (policy_value(db, unit, res, key, month, &v, &e) < 0)
		return -1000 - e.status;
	return v;
}

static int64_t count(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

/* ------------------------------------------------------------------------------------------ */

TEST(lookup_picks_the_row_in_force_for_a_past_month_after_a_later_change)
{
	struct db *db = open_seeded();
	struct actor admin = city_admin();
	struct err e;
	char next[8];
	put(db, "3707", "all", URBAN_STD, 71000, "2019-07");
	put(db, "3707", "all", URBAN_STD, 74000, "2020-07");
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", URBAN_STD, 80000, month_plus(1, next),
				"2027 年标准", &e),
		     0);
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, "2019-07"), 71000);
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, "2020-06"), 71000); /* before the change */
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, "2020-07"), 74000); /* from its month */
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, month_plus(0, next)), 74000);
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, month_plus(1, next)), 80000);
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, "2999-12"), 80000);
	/* and nothing before the first row */
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, "2019-06"), -1404);
	db_close(db);
}

TEST(county_row_overrides_the_city_from_its_own_month_only)
{
	struct db *db = open_seeded();
	char from[8], src[16];
	int64_t v;
	struct err e;
	put(db, "3707", "all", URBAN_STD, 71000, "2019-07");
	put(db, "370704", "all", URBAN_STD, 73000, "2020-01");
	CHECK_EQ_INT(value_at(db, "370704", "urban", URBAN_STD, "2019-12"), 71000);
	CHECK_EQ_INT(policy_value_ex(db, "370704", "urban", URBAN_STD, "2020-01", &v, from, src, &e), 0);
	CHECK_EQ_INT(v, 73000);
	CHECK_EQ_STR(from, "2020-01");
	CHECK_EQ_STR(src, "370704");
	/* the other county is not touched */
	CHECK_EQ_INT(value_at(db, "370705", "urban", URBAN_STD, "2020-01"), 71000);
	/* a later city change does not undo the county's own value (the county's row is nearer) */
	put(db, "3707", "all", URBAN_STD, 76000, "2021-01");
	CHECK_EQ_INT(value_at(db, "370704", "urban", URBAN_STD, "2021-03"), 73000);
	CHECK_EQ_INT(value_at(db, "370705", "urban", URBAN_STD, "2021-03"), 76000);
	db_close(db);
}

TEST(zone_falls_back_to_the_city_not_to_the_county_its_townships_sit_in)
{
	struct db *db = open_seeded();
	char from[8], src[16];
	int64_t v;
	struct err e;
	put(db, "3707", "all", URBAN_STD, 71000, "2019-07");
	put(db, "370704", "all", URBAN_STD, 73000, "2019-07");
	CHECK_EQ_INT(policy_value_ex(db, "370791", "rural", URBAN_STD, "2020-03", &v, from, src, &e), 0);
	CHECK_EQ_INT(v, 71000);
	CHECK_EQ_STR(src, "3707");
	CHECK_EQ_STR(from, "2019-07");
	db_close(db);
}

TEST(urban_and_rural_values_are_separate_for_per_residence_keys)
{
	struct db *db = open_seeded();
	struct err e;
	int64_t v;
	put(db, "3707", "urban", MINPAY, 5000, "2019-07");
	put(db, "3707", "rural", MINPAY, 3000, "2019-07");
	put(db, "370704", "rural", MINPAY, 4000, "2020-01");
	CHECK_EQ_INT(value_at(db, "370704", "urban", MINPAY, "2020-03"), 5000); /* city's urban */
	CHECK_EQ_INT(value_at(db, "370704", "rural", MINPAY, "2020-03"), 4000); /* own rural */
	CHECK_EQ_INT(value_at(db, "370704", "rural", MINPAY, "2019-12"), 3000);
	/* a per-residence key needs urban or rural */
	CHECK_EQ_INT(policy_value(db, "370704", "all", MINPAY, "2020-03", &v, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "residence_type");
	/* a key that does not differ is found from any residence type */
	put(db, "3707", "all", "notice_days", 7, "2019-07");
	CHECK_EQ_INT(value_at(db, "370704", "urban", "notice_days", "2020-03"), 7);
	CHECK_EQ_INT(value_at(db, "370704", "rural", "notice_days", "2020-03"), 7);
	CHECK_EQ_INT(value_at(db, "370704", "all", "notice_days", "2020-03"), 7);
	db_close(db);
}

TEST(nothing_in_force_is_policy_missing_naming_key_unit_and_month)
{
	struct db *db = open_seeded();
	struct err e;
	int64_t v = 42;
	CHECK_EQ_INT(policy_value(db, "370705", "rural", MINPAY, "2020-03", &v, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "policy_missing");
	CHECK(strstr(e.message, MINPAY) != NULL);
	CHECK(strstr(e.message, "低保户月最低补差") != NULL);
	CHECK(strstr(e.message, "370705") != NULL);
	CHECK(strstr(e.message, "2020-03") != NULL);
	CHECK(strstr(e.message, "农村") != NULL);
	CHECK_EQ_INT(v, 42);
	db_close(db);
}

TEST(lookup_refuses_unknown_keys_units_and_bad_months)
{
	struct db *db = open_seeded();
	struct err e;
	int64_t v;
	CHECK_EQ_INT(policy_value(db, "370704", "urban", "no_such_key", "2020-03", &v, &e), -1);
	CHECK_EQ_STR(e.field, "key");
	CHECK_EQ_INT(policy_value(db, "370799", "urban", URBAN_STD, "2020-03", &v, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	CHECK_EQ_INT(policy_value(db, "370704001", "urban", URBAN_STD, "2020-03", &v, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region"); /* a township is not a management unit */
	CHECK_EQ_INT(policy_value(db, "370704", "urban", URBAN_STD, "2020-13", &v, &e), -1);
	CHECK_EQ_STR(e.field, "month");
	CHECK_EQ_INT(policy_value(db, "370704", "urban", URBAN_STD, "2020-3", &v, &e), -1);
	CHECK_EQ_STR(e.field, "month");
	db_close(db);
}

TEST(month_format_is_yyyy_mm)
{
	CHECK(policy_month_valid("2020-01"));
	CHECK(policy_month_valid("2020-12"));
	CHECK(!policy_month_valid("2020-00"));
	CHECK(!policy_month_valid("2020-13"));
	CHECK(!policy_month_valid("2020-1"));
	CHECK(!policy_month_valid("2020-01-01"));
	CHECK(!policy_month_valid("202a-01"));
	CHECK(!policy_month_valid("2020/01"));
	CHECK(!policy_month_valid(""));
	CHECK(!policy_month_valid(NULL));
	char now[8];
	policy_current_month(now);
	CHECK(policy_month_valid(now));
}

TEST(set_validates_every_input_and_names_the_field)
{
	struct db *db = open_seeded();
	struct actor admin = city_admin();
	struct err e;
	char next[8], long_note[700];
	month_plus(1, next);
	memset(long_note, 0, sizeof long_note);
	for (int i = 0; i < 201; i++)
		memcpy(long_note + i * 3, "字", 3); /* 201 characters */
	const struct {
		const char *unit, *res, *key;
		int64_t value;
		const char *from, *note;
		int status;
		const char *code, *field;
	} cases[] = {
		{"3707", "all", "no_such_key", 1, next, NULL, 400, "invalid_value", "key"},
		{"3707", "all", "", 1, next, NULL, 400, "required", "key"},
		{"3707", "all", MINPAY, 5000, next, NULL, 400, "invalid_value", "residence_type"},
		{"3707", "", MINPAY, 5000, next, NULL, 400, "required", "residence_type"},
		{"3707", "urban", URBAN_STD, 71000, next, NULL, 400, "invalid_value", "residence_type"},
		{"3707", "all", URBAN_STD, 0, next, NULL, 400, "invalid_value", "value"},
		{"3707", "all", URBAN_STD, 1000001, next, NULL, 400, "invalid_value", "value"},
		{"3707", "all", "notice_days", 6, next, NULL, 400, "invalid_value", "value"},
		{"3707", "all", "tekun_basic_factor_bp", 9999, next, NULL, 400, "invalid_value", "value"},
		{"3707", "all", URBAN_STD, 71000, "2027-1", NULL, 400, "invalid_value", "effective_from"},
		{"3707", "all", URBAN_STD, 71000, "", NULL, 400, "required", "effective_from"},
		{"3707", "all", URBAN_STD, 71000, next, long_note, 400, "invalid_value", "note"},
		{"3707", "all", URBAN_STD, 71000, next, "坏\x01字", 400, "invalid_value", "note"},
		{"370799", "all", URBAN_STD, 71000, next, NULL, 400, "invalid_region", "unit_code"},
		{"370704001", "all", URBAN_STD, 71000, next, NULL, 400, "invalid_region", "unit_code"},
		{"", "all", URBAN_STD, 71000, next, NULL, 400, "required", "unit_code"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		memset(&e, 0, sizeof e);
		CHECK_EQ_INT(policy_set(db, &admin, cases[i].unit, cases[i].res, cases[i].key,
					cases[i].value, cases[i].from, cases[i].note, &e),
			     -1);
		if (e.status != cases[i].status || strcmp(e.code, cases[i].code) != 0 ||
		    strcmp(e.field, cases[i].field) != 0)
			fprintf(stderr, "  case %zu: %d %s %s (%s)\n", i, e.status, e.code, e.field,
				e.message);
		CHECK_EQ_INT(e.status, cases[i].status);
		CHECK_EQ_STR(e.code, cases[i].code);
		CHECK_EQ_STR(e.field, cases[i].field);
		CHECK(e.message[0] != '\0');
	}
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), 0);
	/* the limits themselves are allowed: 200 characters of note, the minimum notice */
	long_note[200 * 3] = '\0';
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", "notice_days", 7, next, long_note, &e), 0);
	db_close(db);
}

TEST(value_out_of_range_message_gives_the_range_in_yuan)
{
	struct db *db = open_seeded();
	struct actor admin = city_admin();
	struct err e;
	char next[8];
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "urban", MINPAY, 100001, month_plus(1, next),
				NULL, &e),
		     -1);
	CHECK(strstr(e.message, "0.00 元/月") != NULL);
	CHECK(strstr(e.message, "1,000.00 元/月") != NULL);
	db_close(db);
}

TEST(county_staff_cannot_set_another_county_and_nothing_is_stored)
{
	struct db *db = open_seeded();
	struct actor c = county("370704");
	struct err e;
	char next[8];
	month_plus(1, next);
	CHECK_EQ_INT(policy_set(db, &c, "370705", "all", URBAN_STD, 73000, next, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_STR(e.code, "out_of_scope");
	CHECK_EQ_STR(e.field, "unit_code");
	/* nor the city's defaults */
	CHECK_EQ_INT(policy_set(db, &c, "3707", "all", URBAN_STD, 73000, next, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), 0);
	/* its own unit: yes */
	CHECK_EQ_INT(policy_set(db, &c, "370704", "all", URBAN_STD, 73000, next, NULL, &e), 0);
	CHECK_EQ_INT(value_at(db, "370704", "urban", URBAN_STD, next), 73000);
	db_close(db);
}

TEST(a_zone_is_set_by_its_own_staff_or_the_city_not_by_the_county_around_it)
{
	struct db *db = open_seeded();
	struct actor fz = county("370704"), zs = zone_staff(), admin = city_admin();
	struct err e;
	char next[8];
	month_plus(1, next);
	/* 坊子区's scope contains both townships 峡山区 manages, but the unit is not 坊子区's */
	CHECK_EQ_INT(policy_set(db, &fz, "370791", "all", URBAN_STD, 72000, next, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(policy_set(db, &zs, "370791", "all", URBAN_STD, 72000, next, NULL, &e), 0);
	CHECK_EQ_INT(policy_set(db, &zs, "370704", "all", URBAN_STD, 72000, next, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(policy_set(db, &admin, "370791", "all", "notice_days", 10, next, NULL, &e), 0);
	CHECK_EQ_INT(policy_set(db, &admin, "370705", "all", "notice_days", 10, next, NULL, &e), 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), 3);
	db_close(db);
}

TEST(setting_needs_the_write_permission)
{
	struct db *db = open_seeded();
	struct actor l = leader(), t = township();
	struct err e;
	char next[8];
	month_plus(1, next);
	CHECK_EQ_INT(policy_set(db, &l, "3707", "all", URBAN_STD, 73000, next, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_STR(e.code, "forbidden");
	CHECK_EQ_INT(policy_set(db, &t, "370791", "all", URBAN_STD, 73000, next, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), 0);
	db_close(db);
}

TEST(past_months_are_locked_for_new_and_existing_rows)
{
	struct db *db = open_seeded();
	struct actor admin = city_admin();
	struct err e;
	char last[8];
	put(db, "3707", "all", URBAN_STD, 71000, "2019-07");
	/* replacing a past row */
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", URBAN_STD, 99000, "2019-07", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "policy_locked");
	CHECK_EQ_STR(e.field, "effective_from");
	/* a new row in a past month would change what was in force then, too */
	CHECK_EQ_INT(policy_set(db, &admin, "370704", "all", URBAN_STD, 99000, month_plus(-1, last),
				NULL, &e),
		     -1);
	CHECK_EQ_STR(e.code, "policy_locked");
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, "2019-07"), 71000);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), 1);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log"), 0);
	db_close(db);
}

TEST(the_current_and_future_months_may_be_set_again_which_replaces_the_value)
{
	struct db *db = open_seeded();
	struct actor admin = city_admin();
	struct err e;
	char now[8], next[8];
	month_plus(0, now);
	month_plus(1, next);
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", URBAN_STD, 71000, now, "本月", &e), 0);
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", URBAN_STD, 72000, now, "更正", &e), 0);
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", URBAN_STD, 75000, next, NULL, &e), 0);
	CHECK_EQ_INT(policy_set(db, &admin, "3707", "all", URBAN_STD, 76000, next, "再次", &e), 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), 2);
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, now), 72000);
	CHECK_EQ_INT(value_at(db, "3707", "all", URBAN_STD, next), 76000);
	struct policy_row r;
	CHECK_EQ_INT(policy_row_get(db, &admin, "3707", "all", URBAN_STD, next, &r, &e), 0);
	CHECK_EQ_STR(r.note, "再次");
	CHECK_EQ_STR(r.set_by, "city_admin_3707");
	/* the replaced value survives in the audit detail */
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE action = 'policy.set' AND "
			       "detail LIKE '%\"old\":75000%\"new\":76000,\"replaced\":true%'"),
		     1);
	db_close(db);
}

TEST(every_set_is_audited_with_old_and_new_in_the_same_transaction)
{
	struct db *db = open_seeded();
	struct actor c = county("370704");
	struct err e;
	char next[8], like[400];
	month_plus(1, next);
	put(db, "3707", "rural", MINPAY, 3000, "2019-07");
	CHECK_EQ_INT(policy_set(db, &c, "370704", "rural", MINPAY, 4500, next, "县调整", &e), 0);
	snprintf(like, sizeof like,
		 "SELECT count(*) FROM audit_log WHERE action = 'policy.set' AND object = "
		 "'policy:370704:" MINPAY "' AND user_name = 'county_staff_370704' AND detail LIKE "
		 "'%%\"effective_from\":\"%s\",\"old\":3000,%%\"old_unit\":\"3707\",\"new\":4500%%'",
		 next);
	CHECK_EQ_INT(count(db, like), 1);

	/* when the audit row cannot be written, the change is not stored either */
	struct err ig;
	CHECK_EQ_INT(db_exec(db, "CREATE TRIGGER no_policy_audit BEFORE INSERT ON audit_log "
				 "WHEN NEW.action = 'policy.set' BEGIN SELECT RAISE(ABORT, 'no'); END;",
			     &ig),
		     0);
	CHECK_EQ_INT(policy_set(db, &c, "370704", "urban", MINPAY, 6000, next, NULL, &e), -1);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params WHERE residence_type = 'urban'"), 0);
	CHECK_EQ_INT(policy_set(db, &c, "370704", "rural", MINPAY, 9000, next, NULL, &e), -1);
	CHECK_EQ_INT(value_at(db, "370704", "rural", MINPAY, next), 4500);
	CHECK(!db_in_transaction(db));
	int64_t rows = 0, bad = 0;
	char why[200];
	CHECK_EQ_INT(audit_verify(db, &rows, &bad, why, sizeof why, &e), 0);
	db_close(db);
}

TEST(snapshot_has_every_key_with_source_and_marks_the_unset)
{
	struct db *db = open_seeded();
	struct actor admin = city_admin();
	struct policy_snapshot *s = malloc(sizeof *s);
	struct err e;
	int nkeys;
	policy_keys(&nkeys);
	put(db, "3707", "all", URBAN_STD, 71000, "2019-07");
	put(db, "370704", "rural", MINPAY, 4000, "2020-01");
	CHECK_EQ_INT(policy_snapshot(db, &admin, "370704", "rural", "2020-03", s, &e), 0);
	CHECK_EQ_INT(s->n, nkeys);
	CHECK_EQ_STR(s->unit_code, "370704");
	CHECK_EQ_STR(s->month, "2020-03");
	int present = 0;
	for (int i = 0; i < s->n; i++) {
		const struct policy_item *it = &s->items[i];
		present += it->present;
		if (strcmp(it->def->key, URBAN_STD) == 0) {
			CHECK_EQ_INT(it->value, 71000);
			CHECK_EQ_STR(it->source_unit, "3707");
			CHECK_EQ_STR(it->effective_from, "2019-07");
		} else if (strcmp(it->def->key, MINPAY) == 0) {
			CHECK_EQ_INT(it->value, 4000);
			CHECK_EQ_STR(it->source_unit, "370704");
		}
	}
	CHECK_EQ_INT(present, 2);
	/* urban: the rural-only row is not seen */
	CHECK_EQ_INT(policy_snapshot(db, &admin, "370704", "urban", "2020-03", s, &e), 0);
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->items[i].def->key, MINPAY) == 0)
			CHECK_EQ_INT(s->items[i].present, 0);
	CHECK_EQ_INT(policy_snapshot(db, &admin, "370704", "all", "2020-03", s, &e), -1);
	CHECK_EQ_STR(e.field, "residence");
	free(s);
	db_close(db);
}

TEST(reads_need_the_unit_to_overlap_the_scope)
{
	struct db *db = open_seeded();
	struct actor t = township(), fz = county("370704"), kw = county("370705"), zs = zone_staff();
	struct actor none = actor_of("institution_reporter", "370704", PERM_LOGIN, "370704", NULL);
	struct policy_snapshot *s = malloc(sizeof *s);
	struct policy_history h;
	struct err e;
	/* a township user of 峡山区 reads its zone, the county its code sits in, and the city */
	CHECK_EQ_INT(policy_snapshot(db, &t, "370791", "urban", "2020-03", s, &e), 0);
	CHECK_EQ_INT(policy_snapshot(db, &t, "370704", "urban", "2020-03", s, &e), 0);
	CHECK_EQ_INT(policy_snapshot(db, &t, "3707", "urban", "2020-03", s, &e), 0);
	CHECK_EQ_INT(policy_snapshot(db, &t, "370705", "urban", "2020-03", s, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "not_found");
	CHECK_EQ_INT(policy_snapshot(db, &fz, "370791", "urban", "2020-03", s, &e), 0);
	CHECK_EQ_INT(policy_snapshot(db, &kw, "370704", "urban", "2020-03", s, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(policy_snapshot(db, &zs, "370791", "urban", "2020-03", s, &e), 0);
	CHECK_EQ_INT(policy_snapshot(db, &zs, "370705", "urban", "2020-03", s, &e), -1);
	CHECK_EQ_INT(policy_history(db, &kw, "370704", URBAN_STD, &h, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* unknown units look the same as out-of-scope ones */
	CHECK_EQ_INT(policy_snapshot(db, &kw, "370799", "urban", "2020-03", s, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(policy_snapshot(db, &none, "370704", "urban", "2020-03", s, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	free(s);
	db_close(db);
}

TEST(history_lists_the_units_own_rows_newest_first)
{
	struct db *db = open_seeded();
	struct actor c = county("370704");
	struct policy_history h;
	struct err e;
	char next[8];
	put(db, "3707", "urban", MINPAY, 5000, "2019-07");
	put(db, "370704", "urban", MINPAY, 5500, "2020-01");
	put(db, "370704", "rural", MINPAY, 3500, "2020-01");
	CHECK_EQ_INT(policy_set(db, &c, "370704", "urban", MINPAY, 6000, month_plus(1, next), "新",
				&e),
		     0);
	CHECK_EQ_INT(policy_history(db, &c, "370704", MINPAY, &h, &e), 0);
	CHECK_EQ_INT(h.n, 3);
	if (h.n == 3) {
		CHECK_EQ_STR(h.rows[0].effective_from, next);
		CHECK_EQ_INT(h.rows[0].value, 6000);
		CHECK_EQ_STR(h.rows[0].note, "新");
		CHECK_EQ_STR(h.rows[0].set_by, "county_staff_370704");
		CHECK(h.rows[0].set_at[0] != '\0');
		CHECK_EQ_STR(h.rows[1].residence_type, "rural");
		CHECK_EQ_STR(h.rows[2].residence_type, "urban");
		CHECK_EQ_INT(h.rows[2].value, 5500);
	}
	policy_history_release(&h);
	CHECK_EQ_INT(policy_history(db, &c, "370704", "nope", &h, &e), -1);
	CHECK_EQ_STR(e.field, "key");
	db_close(db);
}

TEST(demo_defaults_give_every_key_a_value_from_2019_07)
{
	struct db *db = open_seeded();
	struct actor sys, admin = city_admin();
	struct policy_snapshot *s = malloc(sizeof *s);
	struct err e;
	actor_system(&sys);
	CHECK_EQ_INT(policy_load_demo_defaults(db, &sys, &e), 0);
	const char *res[] = {"urban", "rural"};
	for (int r = 0; r < 2; r++) {
		CHECK_EQ_INT(policy_snapshot(db, &admin, "370791", res[r], "2020-01", s, &e), 0);
		for (int i = 0; i < s->n; i++) {
			if (!s->items[i].present)
				fprintf(stderr, "  no demo value for %s\n", s->items[i].def->key);
			CHECK(s->items[i].present);
			CHECK_EQ_STR(s->items[i].effective_from, "2019-07");
		}
	}
	CHECK_EQ_INT(value_at(db, "370704", "urban", URBAN_STD, "2020-01"), 71000);
	CHECK_EQ_INT(value_at(db, "370704", "rural", "dibao_standard_rural_year_fen", "2020-01"), 540000);
	CHECK_EQ_INT(value_at(db, "370704", "rural", MINPAY, "2020-01"), 5000);
	CHECK_EQ_INT(value_at(db, "370704", "urban", "tekun_basic_factor_bp", "2020-01"), 13000);
	CHECK_EQ_INT(value_at(db, "370704", "urban", "tekun_care_centralised_full_year_fen", "2020-01"), 1236000);
	CHECK_EQ_INT(value_at(db, "370704", "urban", "tekun_care_scattered_self_year_fen", "2020-01"), 74200);
	CHECK_EQ_INT(value_at(db, "370704", "urban", "temp_relief_max_multiple_bp", "2020-01"), 100000);
	CHECK_EQ_INT(value_at(db, "370704", "urban", URBAN_STD, "2019-06"), -1404);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params WHERE note NOT LIKE '%演示值%'"), 0);
	/* outside a transaction: one audit row of its own; again: nothing new */
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM audit_log WHERE action = 'policy.demo_defaults'"), 1);
	int64_t rows = count(db, "SELECT count(*) FROM policy_params");
	CHECK_EQ_INT(policy_load_demo_defaults(db, &sys, &e), 0);
	CHECK_EQ_INT(count(db, "SELECT count(*) FROM policy_params"), rows);
	/* inside the caller's transaction: no audit row of its own */
	struct db *db2 = open_seeded();
	CHECK_EQ_INT(db_begin_write(db2, &e), 0);
	CHECK_EQ_INT(policy_load_demo_defaults(db2, &sys, &e), 0);
	CHECK_EQ_INT(db_commit(db2, &e), 0);
	CHECK_EQ_INT(count(db2, "SELECT count(*) FROM audit_log"), 0);
	CHECK_EQ_INT(count(db2, "SELECT count(*) FROM policy_params"), rows);
	db_close(db2);
	free(s);
	db_close(db);
}

TEST(key_table_is_consistent)
{
	int n;
	const struct policy_key *k = policy_keys(&n);
	CHECK(n >= 24 && n <= POLICY_MAX_KEYS);
	const char *required[] = {
		"dibao_standard_urban_month_fen", "dibao_standard_rural_year_fen", MINPAY,
		"dibao_uplift_elderly_bp", "dibao_uplift_severe_disability_bp",
		"dibao_uplift_serious_illness_bp", "dibao_uplift_minor_bp", "dibao_elderly_age",
		"tekun_basic_factor_bp", "tekun_care_centralised_full_year_fen",
		"tekun_care_centralised_half_year_fen", "tekun_care_centralised_self_year_fen",
		"tekun_care_scattered_full_year_fen", "tekun_care_scattered_half_year_fen",
		"tekun_care_scattered_self_year_fen", "orphan_institutional_month_fen",
		"orphan_scattered_month_fen", "unsupported_child_month_fen", "dibao_phaseout_months",
		"review_stable_months", "review_irregular_months", "notice_days",
		"temp_relief_township_limit_fen", "temp_relief_max_multiple_bp",
	};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		CHECK(policy_key_find(required[i]) != NULL);
	for (int i = 0; i < n; i++) {
		CHECK(k[i].min <= k[i].max);
		CHECK(policy_unit_label(k[i].unit)[0] != '\0');
		CHECK((unsigned char)k[i].label[0] >= 0xE0); /* Chinese */
		CHECK(k[i].help && k[i].help[0]);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(k[i].key, k[j].key) != 0);
	}
	CHECK_EQ_INT(policy_key_find("notice_days")->min, 7);
	CHECK_EQ_INT(policy_key_find(MINPAY)->per_residence, 1);
	CHECK_EQ_INT(policy_key_find(URBAN_STD)->per_residence, 0);
	CHECK(policy_key_find("nope") == NULL);
	CHECK(policy_key_find(NULL) == NULL);
}

TEST(values_format_in_yuan_percent_and_units)
{
	char b[64];
	policy_format_value(policy_key_find(URBAN_STD), 71000, b, sizeof b);
	CHECK_EQ_STR(b, "710.00 元/月");
	policy_format_value(policy_key_find("dibao_standard_rural_year_fen"), 540000, b, sizeof b);
	CHECK_EQ_STR(b, "5,400.00 元/年");
	policy_format_value(policy_key_find("tekun_care_centralised_full_year_fen"), 1236000, b, sizeof b);
	CHECK_EQ_STR(b, "12,360.00 元/年");
	policy_format_value(policy_key_find("temp_relief_township_limit_fen"), 5, b, sizeof b);
	CHECK_EQ_STR(b, "0.05 元");
	policy_format_value(policy_key_find("dibao_uplift_minor_bp"), 1250, b, sizeof b);
	CHECK_EQ_STR(b, "12.5%");
	policy_format_value(policy_key_find("dibao_uplift_minor_bp"), 1005, b, sizeof b);
	CHECK_EQ_STR(b, "10.05%");
	policy_format_value(policy_key_find("tekun_basic_factor_bp"), 13000, b, sizeof b);
	CHECK_EQ_STR(b, "130%（1.3 倍）");
	policy_format_value(policy_key_find("temp_relief_max_multiple_bp"), 100000, b, sizeof b);
	CHECK_EQ_STR(b, "1000%（10 倍）");
	policy_format_value(policy_key_find("dibao_phaseout_months"), 3, b, sizeof b);
	CHECK_EQ_STR(b, "3 个月");
	policy_format_value(policy_key_find("notice_days"), 7, b, sizeof b);
	CHECK_EQ_STR(b, "7 天");
	policy_format_value(policy_key_find("dibao_elderly_age"), 60, b, sizeof b);
	CHECK_EQ_STR(b, "60 岁");
}

/* ---- the routes, called as the router would ---- */

static int call(struct db *db, const struct actor *a, const char *method, const char *path,
		const char *query, const char *body, struct api_res *rs, struct err *e)
{
	struct api_req rq;
	memset(&rq, 0, sizeof rq);
	memset(rs, 0, sizeof *rs);
	rs->status = 200;
	rq.method = method;
	rq.path = path;
	rq.query = query ? query : "";
	rq.body = body;
	rq.body_len = body ? strlen(body) : 0;
	rq.actor = a;
	rq.db = db;
	for (const struct api_route *r = policy_routes; r->method; r++)
		if (strcmp(r->method, method) == 0 && strcmp(r->pattern, path) == 0)
			return r->fn(&rq, rs, e);
	return err_set(e, 404, "no_route", NULL, "no route");
}

TEST(routes_need_read_or_write_permission)
{
	int n = 0;
	for (const struct api_route *r = policy_routes; r->method; r++, n++)
		CHECK_EQ_INT(r->perm, strcmp(r->method, "GET") == 0 ? PERM_POLICY_READ : PERM_POLICY_WRITE);
	CHECK_EQ_INT(n, 4);
}

TEST(api_post_answers_201_with_the_stored_row_and_get_shows_it)
{
	struct db *db = open_seeded();
	struct actor c = county("370704");
	struct api_res rs;
	struct err e;
	char next[8], body[300], query[100];
	month_plus(1, next);
	put(db, "3707", "urban", MINPAY, 5000, "2019-07");
	snprintf(body, sizeof body,
		 "{\"unit_code\":\"370704\",\"residence_type\":\"urban\",\"key\":\"" MINPAY "\","
		 "\"value\":5600,\"effective_from\":\"%s\",\"note\":\"县文件\"}",
		 next);
	CHECK_EQ_INT(call(db, &c, "POST", "/api/v1/policy", NULL, body, &rs, &e), 0);
	CHECK_EQ_INT(rs.status, 201);
	CHECK_EQ_INT(json_integer_value(json_object_get(rs.body, "value")), 5600);
	CHECK_EQ_STR(json_string_value(json_object_get(rs.body, "effective_from")), next);
	CHECK_EQ_STR(json_string_value(json_object_get(rs.body, "set_by")), "county_staff_370704");
	json_decref(rs.body);

	snprintf(query, sizeof query, "unit=370704&residence=urban&month=%s", next);
	CHECK_EQ_INT(call(db, &c, "GET", "/api/v1/policy", query, NULL, &rs, &e), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(rs.body, "unit_code")), "370704");
	json_t *items = json_object_get(rs.body, "items");
	int found = 0;
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i);
		const char *key = json_string_value(json_object_get(it, "key"));
		if (strcmp(key, MINPAY) == 0) {
			found = 1;
			CHECK_EQ_INT(json_integer_value(json_object_get(it, "value")), 5600);
			CHECK_EQ_STR(json_string_value(json_object_get(it, "source_unit")), "370704");
			CHECK(json_is_true(json_object_get(it, "per_residence")));
		} else if (strcmp(key, URBAN_STD) == 0) {
			CHECK(json_is_null(json_object_get(it, "value")));
		}
	}
	CHECK(found);
	json_decref(rs.body);

	/* wrong JSON types name the field */
	CHECK_EQ_INT(call(db, &c, "POST", "/api/v1/policy", NULL,
			  "{\"unit_code\":\"370704\",\"key\":\"notice_days\",\"value\":7.5,"
			  "\"effective_from\":\"2999-01\"}",
			  &rs, &e),
		     -1);
	CHECK_EQ_STR(e.field, "value");
	CHECK_EQ_INT(call(db, &c, "POST", "/api/v1/policy", NULL,
			  "{\"unit_code\":370704,\"key\":\"notice_days\",\"value\":7}", &rs, &e),
		     -1);
	CHECK_EQ_STR(e.field, "unit_code");
	CHECK_EQ_INT(call(db, &c, "POST", "/api/v1/policy", NULL,
			  "{\"unit_code\":\"370704\",\"key\":\"notice_days\",\"effective_from\":\"2999-01\"}",
			  &rs, &e),
		     -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "value");
	db_close(db);
}

TEST(api_keys_lists_the_table)
{
	struct db *db = open_seeded();
	struct actor l = leader();
	struct api_res rs;
	struct err e;
	int n;
	policy_keys(&n);
	CHECK_EQ_INT(call(db, &l, "GET", "/api/v1/policy/keys", NULL, NULL, &rs, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(rs.body, "total")), n);
	json_t *first = json_array_get(json_object_get(rs.body, "items"), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(first, "key")), URBAN_STD);
	CHECK_EQ_STR(json_string_value(json_object_get(first, "unit")), "fen_month");
	CHECK_EQ_STR(json_string_value(json_object_get(first, "unit_label")), "元/月");
	json_decref(rs.body);
	db_close(db);
}

UNIT_MAIN(lookup_picks_the_row_in_force_for_a_past_month_after_a_later_change,
	  county_row_overrides_the_city_from_its_own_month_only,
	  zone_falls_back_to_the_city_not_to_the_county_its_townships_sit_in,
	  urban_and_rural_values_are_separate_for_per_residence_keys,
	  nothing_in_force_is_policy_missing_naming_key_unit_and_month,
	  lookup_refuses_unknown_keys_units_and_bad_months, month_format_is_yyyy_mm,
	  set_validates_every_input_and_names_the_field,
	  value_out_of_range_message_gives_the_range_in_yuan,
	  county_staff_cannot_set_another_county_and_nothing_is_stored,
	  a_zone_is_set_by_its_own_staff_or_the_city_not_by_the_county_around_it,
	  setting_needs_the_write_permission, past_months_are_locked_for_new_and_existing_rows,
	  the_current_and_future_months_may_be_set_again_which_replaces_the_value,
	  every_set_is_audited_with_old_and_new_in_the_same_transaction,
	  snapshot_has_every_key_with_source_and_marks_the_unset,
	  reads_need_the_unit_to_overlap_the_scope, history_lists_the_units_own_rows_newest_first,
	  demo_defaults_give_every_key_a_value_from_2019_07, key_table_is_consistent,
	  values_format_in_yuan_percent_and_units, routes_need_read_or_write_permission,
	  api_post_answers_201_with_the_stored_row_and_get_shows_it, api_keys_lists_the_table)
