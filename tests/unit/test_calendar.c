/* test_calendar.c — working days and official holidays (src/calendar/) against a fresh database
 * carrying the built-in 2019–2021 notices. */
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "testdb.h"
#include "unit.h"

#include <string.h>

static struct actor user(const char *role, const char *region, uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 9;
	snprintf(a.username, sizeof a.username, "%s", role);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	snprintf(a.scope.prefix[a.scope.n++], REGION_CODE_MAX, "%s", region);
	return a;
}

TEST(dates_are_checked_strictly)
{
	CHECK(calendar_date_valid("2020-02-29"));
	CHECK(!calendar_date_valid("2019-02-29"));
	CHECK(!calendar_date_valid("2020-13-01"));
	CHECK(!calendar_date_valid("2020-1-01"));
	CHECK(!calendar_date_valid("1899-12-31"));
	CHECK(!calendar_date_valid(NULL));
	CHECK_EQ_INT(calendar_weekday("2020-01-24"), 5); /* 除夕, a Friday */
	CHECK_EQ_INT(calendar_weekday("1970-01-01"), 4);
	char d[11];
	calendar_add_days("2020-02-28", 2, d);
	CHECK_EQ_STR(d, "2020-03-01");
	calendar_add_days("2021-01-01", -1, d);
	CHECK_EQ_STR(d, "2020-12-31");
}

TEST(weekends_holidays_and_working_weekends)
{
	struct db *db = testdb_open();
	struct err e;
	int w = -1;
	CHECK(calendar_is_working_day(db, "2020-01-22", &w, &e) == 0 && w == 1); /* Wednesday */
	CHECK(calendar_is_working_day(db, "2020-01-25", &w, &e) == 0 && w == 0); /* 春节 */
	CHECK(calendar_is_working_day(db, "2020-01-31", &w, &e) == 0 && w == 0); /* extension */
	CHECK(calendar_is_working_day(db, "2020-02-01", &w, &e) == 0 && w == 0); /* a rest day again */
	CHECK(calendar_is_working_day(db, "2020-02-03", &w, &e) == 0 && w == 1);
	CHECK(calendar_is_working_day(db, "2020-01-19", &w, &e) == 0 && w == 1); /* Sunday worked */
	CHECK(calendar_is_working_day(db, "2020-03-07", &w, &e) == 0 && w == 0); /* Saturday */
	CHECK(calendar_is_working_day(db, "2020-02-30", &w, &e) < 0);
	CHECK_EQ_STR(e.code, "invalid_value");
	db_close(db);
}

TEST(adding_working_days_skips_the_extended_spring_festival)
{
	struct db *db = testdb_open();
	struct err e;
	char d[11];
	/* pay first on 2020-01-23 (Thursday): papers due 5 working days later */
	CHECK(calendar_add_working_days(db, "2020-01-23", 5, d, &e) == 0);
	CHECK_EQ_STR(d, "2020-02-07");
	/* a Friday + 1 is the Monday */
	CHECK(calendar_add_working_days(db, "2020-03-06", 1, d, &e) == 0);
	CHECK_EQ_STR(d, "2020-03-09");
	/* the March index published 2020-04-10: 20 working days across 劳动节 and its two
	 * working weekend days (04-26, 05-09) */
	CHECK(calendar_add_working_days(db, "2020-04-10", 20, d, &e) == 0);
	CHECK_EQ_STR(d, "2020-05-11");
	CHECK(calendar_add_working_days(db, "2020-04-10", 0, d, &e) == 0);
	CHECK_EQ_STR(d, "2020-04-10");
	CHECK(calendar_add_working_days(db, "2020-04-10", -1, d, &e) < 0);
	CHECK(calendar_add_working_days(db, "2020-04-10", CALENDAR_MAX_SPAN + 1, d, &e) < 0);
	int n = -1;
	CHECK(calendar_working_days_between(db, "2020-01-23", "2020-02-07", &n, &e) == 0);
	CHECK_EQ_INT(n, 5);
	CHECK(calendar_working_days_between(db, "2020-02-07", "2020-01-23", &n, &e) == 0);
	CHECK_EQ_INT(n, 0);
	db_close(db);
}

TEST(only_the_city_changes_the_calendar_and_it_is_audited)
{
	struct db *db = testdb_open();
	struct err e;
	struct actor county = user("county_staff", "370704", PERM_LOGIN | PERM_POLICY_WRITE);
	struct actor reader = user("leader", "3707", PERM_LOGIN | PERM_POLICY_READ);
	struct actor city = user("city_admin", "3707", 0xffffffffu);
	CHECK(calendar_set(db, &county, "2022-01-31", "holiday", "春节", &e) < 0);
	CHECK_EQ_INT(e.status, 403);
	CHECK(calendar_set(db, &reader, "2022-01-31", "holiday", "春节", &e) < 0);
	CHECK_EQ_INT(e.status, 403);
	CHECK(calendar_set(db, &city, "2022-01-31", "vacation", "春节", &e) < 0);
	CHECK_EQ_STR(e.field, "kind");
	CHECK(calendar_set(db, &city, "2022-01-31", "holiday", "", &e) < 0);
	CHECK_EQ_STR(e.field, "name");
	int64_t audits = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK(calendar_set(db, &city, "2022-01-31", "holiday", "春节", &e) == 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), audits + 1);
	int w = -1;
	CHECK(calendar_is_working_day(db, "2022-01-31", &w, &e) == 0 && w == 0);
	CHECK(calendar_set(db, &city, "2022-01-31", "normal", NULL, &e) == 0);
	CHECK(calendar_is_working_day(db, "2022-01-31", &w, &e) == 0 && w == 1);
	db_close(db);
}

TEST(import_is_all_or_nothing)
{
	struct db *db = testdb_open();
	struct err e;
	struct actor city = user("city_admin", "3707", 0xffffffffu);
	int n = -1;
	const char bad[] = "date,kind,name\n2022-10-01,holiday,国庆节\n2022-10-32,holiday,国庆节\n";
	CHECK(calendar_import(db, &city, bad, strlen(bad), &n, &e) < 0);
	CHECK_EQ_STR(e.field, "line 3");
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM calendar_days WHERE day >= '2022'", NULL), 0);
	const char good[] = "\xEF\xBB\xBF" "date,kind,name\r\n2022-10-01,holiday,国庆节\r\n"
			    "2022-10-08,workday,国庆节调休上班\r\n";
	CHECK(calendar_import(db, &city, good, strlen(good), &n, &e) == 0);
	CHECK_EQ_INT(n, 2);
	int w = -1;
	CHECK(calendar_is_working_day(db, "2022-10-08", &w, &e) == 0 && w == 1); /* a Saturday */
	db_close(db);
}

UNIT_MAIN(dates_are_checked_strictly, weekends_holidays_and_working_weekends,
	  adding_working_days_skips_the_extended_spring_festival,
	  only_the_city_changes_the_calendar_and_it_is_audited, import_is_all_or_nothing)
