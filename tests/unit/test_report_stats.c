/* test_report_stats.c — the statistics report (report_stats.c, docs/stats.md) on a city with its
 * regions and no records: the checks on its arguments (each a 400 with the field, nothing
 * computed), permission (403) and scope (404), the item table (unique keys; the items no module
 * records are always unknown, the others zero when nothing happened — never invented), the JSON
 * and the A4 HTML walking the same table. The figures from real records are checked against the
 * modules' own reports by tests/api/stats.test.mjs and, at the default scale, against the
 * published table by tests/api/demo_report.test.mjs. */
#include "testactor.h"
#include "testdb.h"
#include "unit.h"

#include "regions/regions.h"
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

static struct db *city(void)
{
	struct db *db = testdb_open();
	struct err e;
	if (regions_load_builtin(db, &e) < 0) {
		fprintf(stderr, "regions: %s\n", e.message);
		abort();
	}
	return db;
}

static void check_bad(struct db *db, const struct actor *a, const char *from, const char *to,
		      int status, const char *code, const char *field)
{
	struct report_stats *r = malloc(sizeof *r);
	struct err e = {0};
	CHECK_EQ_INT(report_stats(db, a, from, to, "", r, &e), -1);
	CHECK_EQ_INT(e.status, status);
	CHECK_EQ_STR(e.code, code);
	CHECK_EQ_STR(e.field, field);
	CHECK(e.message[0] != '\0');
	free(r);
}

TEST(bad_dates_are_400_with_the_field)
{
	struct db *db = city();
	struct actor sys;
	actor_system(&sys);
	check_bad(db, &sys, "", "2020-04-26", 400, "required", "from");
	check_bad(db, &sys, "2020-01-24", NULL, 400, "required", "to");
	check_bad(db, &sys, "2020-01", "2020-04-26", 400, "invalid_value", "from");
	check_bad(db, &sys, "2020-01-24", "2020-02-30", 400, "invalid_value", "to");
	check_bad(db, &sys, "2020-04-26", "2020-01-24", 400, "invalid_value", "to");
	/* 2020-01-01 … 2020-04-30 is 121 days: one too many; 2020-01-01 … 2020-04-29 is 120 */
	check_bad(db, &sys, "2020-01-01", "2020-04-30", 400, "invalid_value", "to");
	struct report_stats *r = malloc(sizeof *r);
	struct err e;
	CHECK_EQ_INT(report_stats(db, &sys, "2020-01-01", "2020-04-29", "", r, &e), 0);
	free(r);
	db_close(db);
}

TEST(needs_assistance_read_and_a_county_in_scope)
{
	struct db *db = city();
	struct actor rescue = testactor_user(db, "rescue1", "rescue_worker", "370704");
	check_bad(db, &rescue, "2020-01-24", "2020-04-26", 403, "forbidden", "");
	struct actor county = testactor_user(db, "county1", "county_staff", "370704");
	struct report_stats *r = malloc(sizeof *r);
	struct err e = {0};
	CHECK_EQ_INT(report_stats(db, &county, "2020-01-24", "2020-04-26", "370702", r, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(report_stats(db, &county, "2020-01-24", "2020-04-26", "370704", r, &e), 0);
	CHECK_EQ_INT(r->nunits, 1);
	CHECK_EQ_STR(r->units[0].code, "370704");
	free(r);
	db_close(db);
}

TEST(item_keys_are_unique_and_every_item_is_recorded)
{
	const struct report_stats_item *it = report_stats_items();
	int unrecorded = 0;
	for (int i = 0; i < RS_NITEMS; i++) {
		CHECK(it[i].key && it[i].label && it[i].section && it[i].unit);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(it[i].key, it[j].key) != 0);
		if (!it[i].source)
			unrecorded++;
		if (it[i].kind == RS_FEN)
			CHECK(strstr(it[i].key, "fen") != NULL);
	}
	CHECK_EQ_INT(unrecorded, 0); /* every figure of the published table has its module */
	struct db *db = city();
	struct actor sys;
	actor_system(&sys);
	struct report_stats *r = malloc(sizeof *r);
	struct err e;
	CHECK_EQ_INT(report_stats(db, &sys, "2020-01-24", "2020-04-26", "", r, &e), 0);
	CHECK_EQ_INT(r->nunits, 16); /* 13 counties and 3 functional zones */
	CHECK_EQ_INT(r->city.v[RS_UNITS], 16);
	for (int i = 0; i < RS_NITEMS; i++) {
		if (!it[i].source) {
			CHECK_EQ_INT(r->city.known[i], 0);
			CHECK_EQ_INT(r->units[3].known[i], 0);
		} else if (i != RS_UNITS && i != RS_REPORTS_BP) {
			/* nothing happened in this city: zero, and known (a rate of nothing is
			 * unknown) */
			CHECK_EQ_INT(r->city.known[i], 1);
			CHECK_EQ_INT(r->city.v[i], 0);
		}
	}
	CHECK_EQ_INT(r->city.known[RS_REPORTS_BP], 0);

	json_t *j = report_stats_json(r);
	CHECK_EQ_INT(
	    json_integer_value(json_object_get(json_object_get(j, "city"), "dibao_persons")), 0);
	CHECK_EQ_INT(json_array_size(json_object_get(j, "not_recorded")), 0);
	CHECK_EQ_INT(json_object_size(json_object_get(j, "counties")), 16);
	CHECK(json_object_get(json_object_get(json_object_get(j, "counties"), "370704"),
			      "county_units") == NULL);
	json_decref(j);

	size_t len = 0;
	char *html = report_stats_html(r, &len);
	CHECK(html && strlen(html) == len);
	CHECK(strstr(html, "@page{size:A4") != NULL);
	CHECK(strstr(html, "thead{display:table-header-group}") != NULL);
	CHECK(strstr(html, "尚未记录") == NULL);
	CHECK(strstr(html, "坊子区") != NULL);
	free(html);

	char *x = NULL;
	CHECK_EQ_INT(report_stats_xlsx(r, &x, &len, &e), 0);
	CHECK(len > 1000 && memcmp(x, "PK", 2) == 0);
	free(x);
	free(r);
	db_close(db);
}

UNIT_MAIN(bad_dates_are_400_with_the_field, needs_assistance_read_and_a_county_in_scope,
	  item_keys_are_unique_and_every_item_is_recorded)
