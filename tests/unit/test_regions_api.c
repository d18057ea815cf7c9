/* test_regions_api.c — the regions routes (src/regions/regions_api.c) called as the router calls
 * them, checking the JSON shapes of docs/api.md "Regions" and that the caller's scope decides
 * what is visible and counted. Figures as in test_regions.c: 坊子区 has 7 townships, 太保庄街道
 * 370704008 (峡山区) 170 villages; 高新区 manages 新城街道 370705009 and 清池街道 370705010.
 */
#include <stdlib.h>
#include <string.h>

#include "regions/regions.h"
#include "testdb.h"
#include "unit.h"

static struct db *loaded_db(void)
{
	struct db *db = testdb_open();
	struct err e;
	if (regions_load_builtin(db, &e) < 0 ||
	    db_exec(
		db,
		"INSERT INTO households (id, region_code, residence_type, created_at, updated_at)"
		" VALUES (1, '370704008231', 'rural', 't', 't');"
		"INSERT INTO persons (household_id, region_code, id_number, id_rev, name, relation,"
		" sex, birth_date, status, created_at, updated_at) VALUES"
		" (1, '370704008231', 'A1', '1A', '甲', 'head', 'male', '1960-01-01', 'active', "
		"'t', 't'),"
		" (1, '370704008231', 'A2', '2A', '乙', 'spouse', 'female', '1960-01-01', "
		"'active', 't', 't');",
		&e) < 0) {
		fprintf(stderr, "  setup: %s\n", e.message);
		abort();
	}
	return db;
}

static void actor_with_scope(struct actor *a, const char *p1, const char *p2)
{
	memset(a, 0, sizeof *a);
	a->perms = PERM_REGION_READ;
	snprintf(a->scope.prefix[a->scope.n++], REGION_CODE_MAX, "%s", p1);
	if (p2)
		snprintf(a->scope.prefix[a->scope.n++], REGION_CODE_MAX, "%s", p2);
}

static const struct api_route *route(const char *pattern)
{
	for (const struct api_route *r = regions_routes; r->method; r++)
		if (strcmp(r->pattern, pattern) == 0)
			return r;
	return NULL;
}

/* Call the route; returns the handler's result, the body in *body (caller decrefs). */
static int call(struct db *db, const struct actor *a, const char *pattern, const char *query,
		const char *param, json_t **body, struct err *e)
{
	const struct api_route *r = route(pattern);
	struct api_req rq;
	struct api_res rs;
	memset(&rq, 0, sizeof rq);
	memset(&rs, 0, sizeof rs);
	rq.method = "GET";
	rq.path = pattern;
	rq.query = query ? query : "";
	if (param) {
		rq.params[0] = param;
		rq.nparams = 1;
	}
	rq.actor = a;
	rq.db = db;
	*body = NULL;
	if (!r)
		return -2;
	int rc = r->fn(&rq, &rs, e);
	*body = rs.body;
	if (rc == 0 && rs.status != 200)
		return -3;
	return rc;
}

static json_t *item_with_code(json_t *items, const char *code)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (strcmp(json_string_value(json_object_get(it, "code")), code) == 0)
			return it;
	}
	return NULL;
}

TEST(every_route_needs_region_read)
{
	int n = 0;
	for (const struct api_route *r = regions_routes; r->method; r++, n++) {
		CHECK_EQ_STR(r->method, "GET");
		CHECK_EQ_INT(r->perm, PERM_REGION_READ);
	}
	CHECK_EQ_INT(n, 3);
}

TEST(list_with_parent_has_every_region_key)
{
	struct db *db = loaded_db();
	struct actor a;
	struct err e;
	json_t *b;
	actor_with_scope(&a, "3707", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", "parent=370704", NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 7);
	json_t *t = item_with_code(json_object_get(b, "items"), "370704008");
	CHECK(t != NULL);
	if (t) {
		CHECK_EQ_INT(json_object_size(t), 9);
		CHECK_EQ_STR(json_string_value(json_object_get(t, "name")), "太保庄街道");
		CHECK_EQ_STR(json_string_value(json_object_get(t, "level")), "township");
		CHECK_EQ_STR(json_string_value(json_object_get(t, "parent_code")), "370704");
		CHECK_EQ_STR(json_string_value(json_object_get(t, "unit_code")), "370791");
		CHECK_EQ_STR(json_string_value(json_object_get(t, "unit_name")),
			     "峡山生态经济开发区");
		CHECK_EQ_INT(json_integer_value(json_object_get(t, "child_count")), 170);
		CHECK_EQ_INT(json_integer_value(json_object_get(t, "household_count")), 1);
		CHECK_EQ_INT(json_integer_value(json_object_get(t, "person_count")), 2);
	}
	json_decref(b);
	db_close(db);
}

TEST(list_without_parent_starts_at_the_scope_root)
{
	struct db *db = loaded_db();
	struct actor a;
	struct err e;
	json_t *b;
	/* one prefix: that region's children */
	actor_with_scope(&a, "3707", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", NULL, NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 13);
	json_decref(b);
	/* a zone user: the zone's townships themselves */
	actor_with_scope(&a, "370705009", "370705010");
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", NULL, NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 2);
	json_t *items = json_object_get(b, "items");
	CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(items, 0), "code")),
		     "370705009");
	CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(items, 1), "unit_code")),
		     "370790");
	json_decref(b);
	/* everything (""): the provinces, whose parent_code and unit are null */
	actor_with_scope(&a, "", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", NULL, NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 1);
	json_t *p = json_array_get(json_object_get(b, "items"), 0);
	CHECK(json_is_null(json_object_get(p, "parent_code")));
	CHECK(json_is_null(json_object_get(p, "unit_code")));
	CHECK_EQ_INT(json_integer_value(json_object_get(p, "person_count")), 2);
	json_decref(b);
	db_close(db);
}

TEST(list_of_parent_outside_scope_is_404_and_bad_parent_400)
{
	struct db *db = loaded_db();
	struct actor a;
	struct err e;
	json_t *b;
	actor_with_scope(&a, "370704008", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", "parent=370705", NULL, &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", "parent=37x", NULL, &b, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "parent");
	/* 峡山区 manages this township: its zone code lists it; 高新区's does not exist here */
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", "parent=370791", NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 1);
	json_decref(b);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", "parent=370790", NULL, &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* the way down is visible, with only the scope's township under 坊子区 */
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions", "parent=370704", NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 1);
	json_decref(b);
	db_close(db);
}

TEST(show_has_ancestors_top_first_and_hides_out_of_scope)
{
	struct db *db = loaded_db();
	struct actor a;
	struct err e;
	json_t *b;
	actor_with_scope(&a, "370704008", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions/{code}", NULL, "370704008231", &b, &e), 0);
	CHECK_EQ_STR(json_string_value(json_object_get(b, "level")), "village");
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "person_count")), 2);
	json_t *anc = json_object_get(b, "ancestors");
	CHECK_EQ_INT(json_array_size(anc), 4);
	CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(anc, 0), "code")), "37");
	CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(anc, 0), "level")),
		     "province");
	CHECK_EQ_STR(json_string_value(json_object_get(json_array_get(anc, 3), "name")),
		     "太保庄街道");
	CHECK_EQ_INT(json_object_size(json_array_get(anc, 3)), 3);
	json_decref(b);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions/{code}", NULL, "370705009", &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions/{code}", NULL, "370704008999", &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(call(db, &a, "/api/v1/regions/{code}", NULL, "abc", &b, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(units_for_the_city_are_16_with_their_townships)
{
	struct db *db = loaded_db();
	struct actor a;
	struct err e;
	json_t *b;
	actor_with_scope(&a, "3707", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/units", NULL, NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 16);
	json_t *xs = item_with_code(json_object_get(b, "items"), "370791");
	CHECK(xs != NULL);
	if (xs) {
		CHECK_EQ_INT(json_object_size(xs), 4);
		CHECK_EQ_STR(json_string_value(json_object_get(xs, "kind")), "zone");
		CHECK_EQ_STR(json_string_value(json_object_get(xs, "name")), "峡山生态经济开发区");
		json_t *t = json_object_get(xs, "townships");
		CHECK_EQ_INT(json_array_size(t), 2);
		CHECK_EQ_STR(json_string_value(json_array_get(t, 0)), "370704008");
	}
	json_t *fz = item_with_code(json_object_get(b, "items"), "370704");
	CHECK(fz != NULL);
	if (fz) {
		CHECK_EQ_STR(json_string_value(json_object_get(fz, "kind")), "county");
		CHECK_EQ_INT(json_array_size(json_object_get(fz, "townships")), 5);
	}
	json_decref(b);
	/* a township assistant sees the unit that manages their township, and only that */
	actor_with_scope(&a, "370704008", NULL);
	CHECK_EQ_INT(call(db, &a, "/api/v1/units", NULL, NULL, &b, &e), 0);
	CHECK_EQ_INT(json_integer_value(json_object_get(b, "total")), 1);
	CHECK_EQ_STR(json_string_value(
			 json_object_get(json_array_get(json_object_get(b, "items"), 0), "code")),
		     "370791");
	json_decref(b);
	db_close(db);
}

UNIT_MAIN(every_route_needs_region_read, list_with_parent_has_every_region_key,
	  list_without_parent_starts_at_the_scope_root,
	  list_of_parent_outside_scope_is_404_and_bad_parent_400,
	  show_has_ancestors_top_first_and_hides_out_of_scope,
	  units_for_the_city_are_16_with_their_townships)
