/* regions_api.c — the regions module's HTTP routes (docs/api.md "Regions"):
 *   GET /api/v1/regions[?parent=CODE]   children of CODE, or of the caller's scope root
 *   GET /api/v1/regions/{code}          one region with its ancestors
 *   GET /api/v1/units                   the management units (counties and functional zones)
 * Handlers only translate between the query string / JSON and regions_store.c. Visibility is
 * the caller's scope: a region that does not overlap it answers 404 (existence is not revealed
 * beyond the path down to the scope), and every count covers the scope only.
 */
#include "regions/regions.h"

#include <stdlib.h>
#include <string.h>

static json_t *region_json(const struct region *r)
{
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:I, s:I, s:I}", "code", r->code, "name",
			 r->name, "level", regions_level_name(r->level), "parent_code",
			 api_json_opt_str(r->parent_code), "unit_code",
			 api_json_opt_str(r->unit_code), "unit_name",
			 api_json_opt_str(r->unit_name), "child_count", (json_int_t)r->child_count,
			 "household_count", (json_int_t)r->household_count, "person_count",
			 (json_int_t)r->person_count);
}

static int list_reply(struct api_res *rs, const struct region *items, int n, struct err *e)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, region_json(&items[i])) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	json_t *body = arr ? json_pack("{s:o, s:i}", "items", arr, "total", n) : NULL;
	if (!body)
		return err_set(e, 500, "internal", NULL, "生成 JSON 失败");
	rs->status = 200;
	rs->body = body;
	return 0;
}

/* A path or query code: digits of a region length, else NULL. */
static int valid_code(const char *s)
{
	return regions_level_of_code(s) != 0;
}

/* GET /api/v1/regions[?parent=CODE]: CODE a region or a functional zone's unit code (whose
 * children are its townships). Without parent, the scope root — for one prefix the children of
 * that region (of the top level for the whole-country scope ""), for a zone's several township
 * prefixes the townships themselves. */
static int regions_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	const struct scope *sc = &rq->actor->scope;
	char parent[32];
	int have = api_query_str(rq, "parent", parent, sizeof parent, e);
	if (have < 0)
		return -1;
	const char *p = have ? parent : NULL;
	struct region *items = NULL;
	int n = 0, rc;
	if (p && p[0]) {
		if (!valid_code(p))
			return err_set(e, 400, "invalid_value", "parent", "parent 应为区划代码：%s",
				       p);
		/* A region outside the scope is not found. A zone code (370791) does not overlap
		 * its users' township prefixes, so it is judged by its visible townships. */
		rc = regions_children(rq->db, sc, p, &items, &n, e);
		if (rc == 0 && n == 0 && !scope_overlaps(sc, p)) {
			free(items);
			return err_set(e, 404, "not_found", "parent", "没有这个区划：%s", p);
		}
	} else if (sc->n == 1) {
		rc = regions_children(rq->db, sc, sc->prefix[0], &items, &n, e);
	} else {
		rc = 0;
		items = sc->n ? calloc((size_t)sc->n, sizeof *items) : NULL;
		if (sc->n && !items)
			rc = err_set(e, 500, "internal", NULL, "内存不足");
		for (int i = 0; rc == 0 && i < sc->n; i++) {
			struct err missing;
			if (regions_get(rq->db, sc->prefix[i], &items[n], &missing) < 0)
				continue; /* a prefix that is no region (stale scope): nothing to
					     show */
			rc = regions_count(rq->db, sc, &items[n], e);
			n++;
		}
	}
	if (rc == 0)
		rc = list_reply(rs, items, n, e);
	free(items);
	return rc;
}

/* GET /api/v1/regions/{code} */
static int regions_show(struct api_req *rq, struct api_res *rs, struct err *e)
{
	const struct scope *sc = &rq->actor->scope;
	const char *code = rq->nparams > 0 ? rq->params[0] : "";
	struct region r, anc[REGIONS_VILLAGE];
	int nanc = 0;
	if (!valid_code(code) || !scope_overlaps(sc, code))
		return err_set(e, 404, "not_found", NULL, "没有这个区划：%s", code);
	if (regions_get(rq->db, code, &r, e) < 0 || regions_count(rq->db, sc, &r, e) < 0 ||
	    regions_ancestors(rq->db, code, anc, REGIONS_VILLAGE, &nanc, e) < 0)
		return -1;
	json_t *body = region_json(&r);
	json_t *arr = json_array();
	int ok = body && arr;
	for (int i = 0; ok && i < nanc; i++)
		ok = json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "code", anc[i].code,
							  "name", anc[i].name, "level",
							  regions_level_name(anc[i].level))) == 0;
	if (!ok)
		json_decref(arr);
	else
		ok = json_object_set_new(body, "ancestors", arr) == 0; /* steals arr either way */
	if (!ok) {
		json_decref(body);
		return err_set(e, 500, "internal", NULL, "生成 JSON 失败");
	}
	rs->status = 200;
	rs->body = body;
	return 0;
}

/* GET /api/v1/units: the units the caller can see — those with a township in scope (listing
 * only those townships), and units without townships that the scope covers. A city-wide user
 * sees all of the city's units. */
static int units_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	const struct scope *sc = &rq->actor->scope;
	struct regions_unit *units;
	int n;
	if (regions_units(rq->db, NULL, &units, &n, e) < 0)
		return -1;
	json_t *items = json_array();
	int ok = items != NULL;
	for (int i = 0; ok && i < n; i++) {
		const struct regions_unit *u = &units[i];
		json_t *towns = json_array();
		ok = towns != NULL;
		for (int t = 0; ok && t < u->ntownships; t++)
			if (scope_overlaps(sc, u->townships[t]))
				ok =
				    json_array_append_new(towns, json_string(u->townships[t])) == 0;
		if (!ok) {
			json_decref(towns);
			break;
		}
		if (json_array_size(towns) == 0 &&
		    !(u->ntownships == 0 && scope_covers(sc, u->code))) {
			json_decref(towns);
			continue;
		}
		ok = json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:o}", "code", u->code,
							    "name", u->name, "kind", u->kind,
							    "townships", towns)) == 0;
	}
	regions_units_free(units, n);
	json_t *body = ok ? json_pack("{s:o, s:I}", "items", items, "total",
				      (json_int_t)json_array_size(items))
			  : NULL;
	if (!body) {
		if (!ok)
			json_decref(items);
		return err_set(e, 500, "internal", NULL, "生成 JSON 失败");
	}
	rs->status = 200;
	rs->body = body;
	return 0;
}

const struct api_route regions_routes[] = {
    {"GET", "/api/v1/regions", regions_list, PERM_REGION_READ, 0},
    {"GET", "/api/v1/regions/{code}", regions_show, PERM_REGION_READ, 0},
    {"GET", "/api/v1/units", units_list, PERM_REGION_READ, 0},
    {0},
};
