/* regions_store.c — the regions module's queries: the region tree, management units, and the
 * per-region counts of households and persons that the API and the UI show.
 *
 * The tables (regions_schema.c) are reference data, not scoped rows: a region row says nothing
 * about anyone. What is scoped is what hangs under a region — households and persons — and
 * every count of those goes through scope_sql()/scope_bind(), so a user only ever counts rows
 * in their scope. Which regions a user may *see* is decided with scope_overlaps(): a region is
 * visible when its subtree and the scope meet (a township assistant sees their province, city
 * and county as the path down to their township, and the county's child list holds only their
 * township).
 *
 * Counting is one index range query per region and table (code >= X AND code < X||'z'), never
 * a scan: households_by_region and persons_by_region cover it.
 */
#include "regions/regions.h"
#include "core/scope.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

/* ---- names and codes ---- */

static const char *const level_names[] = {"", "province", "city", "county", "township", "village"};
static const size_t level_code_len[] = {0, 2, 4, 6, 9, 12};

const char *regions_level_name(int level)
{
	if (level < REGIONS_PROVINCE || level > REGIONS_VILLAGE)
		return "";
	return level_names[level];
}

int regions_level_of_code(const char *code)
{
	if (!code)
		return 0;
	size_t n = strlen(code);
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return 0;
	for (int l = REGIONS_PROVINCE; l <= REGIONS_VILLAGE; l++)
		if (level_code_len[l] == n)
			return l;
	return 0;
}

/* A code we may look up at all: non-empty, shorter than the buffers. */
static int code_ok(const char *code)
{
	return code && code[0] && strlen(code) < sizeof((struct region *)0)->code;
}

/* ---- point queries ---- */

#define REGION_COLS                                                                                \
	"r.code, r.name, r.level, coalesce(r.parent_code, ''), coalesce(r.unit_code, ''), "        \
	"coalesce(u.name, '') "
#define REGION_FROM " FROM regions r LEFT JOIN units u ON u.code = r.unit_code "

static void region_from_row(struct db_stmt *st, struct region *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->code, sizeof out->code, "%s", db_col_text(st, 0));
	snprintf(out->name, sizeof out->name, "%s", db_col_text(st, 1));
	out->level = (int)db_col_int(st, 2);
	snprintf(out->parent_code, sizeof out->parent_code, "%s", db_col_text(st, 3));
	snprintf(out->unit_code, sizeof out->unit_code, "%s", db_col_text(st, 4));
	snprintf(out->unit_name, sizeof out->unit_name, "%s", db_col_text(st, 5));
}

int regions_get(struct db *db, const char *code, struct region *out, struct err *e)
{
	if (!code_ok(code))
		return err_set(e, 404, "not_found", NULL, "没有这个区划：%s", code ? code : "");
	struct db_stmt *st =
	    db_prepare(db, "SELECT " REGION_COLS REGION_FROM "WHERE r.code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st, e);
	if (rc == 1)
		region_from_row(st, out);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "没有这个区划：%s", code);
	return 0;
}

int regions_known(struct db *db, const char *code, struct err *e)
{
	if (!code_ok(code))
		return 0;
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM regions WHERE code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

int regions_exists(struct db *db, const char *code)
{
	struct err ignore;
	return regions_known(db, code, &ignore) > 0;
}

int regions_check_in_scope(struct db *db, const struct scope *scope, const char *code,
			   const char *field, struct err *e)
{
	if (!code[0])
		return err_set(e, 400, "required", field, "请填写所在区划");
	int known = regions_known(db, code, e);
	if (known < 0)
		return -1;
	if (!known)
		return err_set(e, 400, "invalid_region", field, "区划代码不存在：%.15s", code);
	if (!scope_contains(scope, code))
		return err_set(e, 403, "out_of_scope", field, "%.15s 不在您的管辖范围内", code);
	return 0;
}

int regions_is_village(struct db *db, const char *code)
{
	if (!code_ok(code))
		return 0;
	return db_query_int(db, "SELECT count(*) FROM regions WHERE code = ? AND level = 5", code) >
	       0;
}

int regions_ancestors(struct db *db, const char *code, struct region *out, int max, int *n,
		      struct err *e)
{
	/* Walk up by parent_code (at most 4 steps in a 5-level tree; the bound guards a cycle
	 * that the importer's checks should make impossible), then write top first. */
	struct region chain[REGIONS_VILLAGE];
	int depth = 0;
	struct region cur;
	*n = 0;
	if (regions_get(db, code, &cur, e) < 0)
		return -1;
	while (cur.parent_code[0] && depth < REGIONS_VILLAGE) {
		if (regions_get(db, cur.parent_code, &chain[depth], e) < 0)
			return err_set(e, 500, "internal", NULL, "区划 %s 的上级 %s 不存在",
				       cur.code, cur.parent_code);
		cur = chain[depth++];
	}
	for (int i = depth - 1; i >= 0 && *n < max; i--)
		out[(*n)++] = chain[i];
	return 0;
}

/* ---- scoped counts ---- */

/* count(*) of one table's rows under `code` and in the scope. `head` is a literal query that
 * ends in a WHERE clause waiting for the subtree range; the scope condition is appended. */
static int count_in_subtree(struct db *db, const struct scope *scope, const char *head,
			    const char *code, int64_t *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	int rc = -1;
	if (strbuf_addstr(&sql, head) < 0 ||
	    strbuf_addstr(&sql, "region_code >= ? AND region_code < ? AND ") < 0 ||
	    scope_sql(&sql, scope, "region_code") < 0) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	int next = scope_bind_prefix(st, code, 1);
	scope_bind(st, scope, next);
	int step = db_step(st, e);
	if (step == 1) {
		*out = db_col_int(st, 0);
		rc = 0;
	} else if (step == 0) {
		*out = 0;
		rc = 0;
	}
	db_done(st);
out:
	strbuf_release(&sql);
	return rc;
}

static int count_children(struct db *db, const struct scope *scope, const char *code, int64_t *out,
			  struct err *e)
{
	*out = 0;
	if (scope_covers(scope, code)) {
		/* The whole subtree is visible: the parent index answers. */
		struct db_stmt *st =
		    db_prepare(db, "SELECT count(*) FROM regions WHERE parent_code = ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, code);
		int rc = db_step(st, e);
		if (rc == 1)
			*out = db_col_int(st, 0);
		db_done(st);
		return rc < 0 ? -1 : 0;
	}
	/* Partly visible (code is above the scope's prefixes): only the children on the way down
	 * to a prefix count. A region has at most a few hundred children. */
	struct db_stmt *st = db_prepare(db, "SELECT code FROM regions WHERE parent_code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		if (scope_overlaps(scope, db_col_text(st, 0)))
			(*out)++;
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int regions_count(struct db *db, const struct scope *scope, struct region *r, struct err *e)
{
	r->child_count = r->household_count = r->person_count = 0;
	if (!scope_overlaps(scope, r->code))
		return 0;
	if (count_children(db, scope, r->code, &r->child_count, e) < 0)
		return -1;
	if (count_in_subtree(db, scope, "SELECT count(*) FROM households WHERE ", r->code,
			     &r->household_count, e) < 0)
		return -1;
	return count_in_subtree(db, scope,
				"SELECT count(*) FROM persons WHERE status = 'active' AND ",
				r->code, &r->person_count, e);
}

int regions_children(struct db *db, const struct scope *scope, const char *parent,
		     struct region **out, int *n, struct err *e)
{
	struct region *items = NULL;
	int count = 0, alloc = 0;
	*out = NULL;
	*n = 0;
	int top = !parent || !parent[0], zone = 0;
	int known = top ? 1 : regions_known(db, parent, e);
	if (known < 0)
		return -1;
	if (!known) {
		struct regions_unit u;
		struct err ignore;
		err_clear(&ignore);
		zone =
		    regions_unit_get(db, parent, &u, &ignore) == 0 && strcmp(u.kind, "zone") == 0;
		if (!zone && ignore.status >= 500) { /* a database error, not an unknown parent */
			*e = ignore;
			return -1;
		}
		if (!zone)
			return err_set(e, 404, "not_found", "parent", "没有这个区划：%s", parent);
	}
	struct db_stmt *st;
	if (top)
		st = db_prepare(db,
				"SELECT " REGION_COLS REGION_FROM
				"WHERE r.parent_code IS NULL ORDER BY r.code",
				e);
	else if (zone) /* a functional zone's "children" are the townships it manages */
		st = db_prepare(db,
				"SELECT " REGION_COLS REGION_FROM
				"WHERE r.unit_code = ? AND r.level = 4 ORDER BY r.code",
				e);
	else
		st = db_prepare(
		    db, "SELECT " REGION_COLS REGION_FROM "WHERE r.parent_code = ? ORDER BY r.code",
		    e);
	if (!st)
		return -1;
	if (!top)
		db_bind_text(st, 1, parent);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		if (!scope_overlaps(scope, db_col_text(st, 0)))
			continue;
		if (count == alloc) {
			int na = alloc ? alloc * 2 : 16;
			struct region *p = realloc(items, (size_t)na * sizeof *items);
			if (!p) {
				rc = err_set(e, 500, "internal", NULL, "内存不足");
				break;
			}
			items = p;
			alloc = na;
		}
		region_from_row(st, &items[count++]);
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	/* Counted after the listing statement is done, so no two statements interleave. */
	for (int i = 0; i < count; i++)
		if (regions_count(db, scope, &items[i], e) < 0)
			goto fail;
	*out = items;
	*n = count;
	return 0;
fail:
	free(items);
	return -1;
}

int regions_level_counts(struct db *db, const char *prefix, int64_t counts[6], struct err *e)
{
	memset(counts, 0, 6 * sizeof counts[0]);
	struct db_stmt *st = db_prepare(
	    db, "SELECT level, count(*) FROM regions WHERE code >= ? AND code < ? GROUP BY level",
	    e);
	if (!st)
		return -1;
	scope_bind_prefix(st, prefix ? prefix : "", 1);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		int64_t level = db_col_int(st, 0);
		if (level >= REGIONS_PROVINCE && level <= REGIONS_VILLAGE) {
			counts[level] = db_col_int(st, 1);
			counts[0] += counts[level];
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- management units ---- */

static void unit_from_row(struct db_stmt *st, struct regions_unit *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->code, sizeof u->code, "%s", db_col_text(st, 0));
	snprintf(u->name, sizeof u->name, "%s", db_col_text(st, 1));
	snprintf(u->kind, sizeof u->kind, "%s", db_col_text(st, 2));
	snprintf(u->city_code, sizeof u->city_code, "%s", db_col_text(st, 3));
}

int regions_unit_get(struct db *db, const char *unit_code, struct regions_unit *out, struct err *e)
{
	if (!code_ok(unit_code))
		return err_set(e, 404, "not_found", NULL, "没有这个管理单位：%s",
			       unit_code ? unit_code : "");
	struct db_stmt *st =
	    db_prepare(db, "SELECT code, name, kind, city_code FROM units WHERE code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit_code);
	int rc = db_step(st, e);
	if (rc == 1)
		unit_from_row(st, out);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "没有这个管理单位：%s", unit_code);
	return 0;
}

/* The township codes of a unit into a malloc'd array (NULL when none). */
static int unit_townships_alloc(struct db *db, const char *unit_code, char (**out)[16], int *n,
				struct err *e)
{
	char(*list)[16] = NULL;
	int count = 0, alloc = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(
	    db, "SELECT code FROM regions WHERE unit_code = ? AND level = 4 ORDER BY code", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit_code);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		if (count == alloc) {
			int na = alloc ? alloc * 2 : 16;
			char(*p)[16] = realloc(list, (size_t)na * sizeof *list);
			if (!p) {
				rc = err_set(e, 500, "internal", NULL, "内存不足");
				break;
			}
			list = p;
			alloc = na;
		}
		snprintf(list[count++], sizeof list[0], "%s", db_col_text(st, 0));
	}
	db_done(st);
	if (rc < 0) {
		free(list);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

int regions_units(struct db *db, const char *city, struct regions_unit **out, int *n, struct err *e)
{
	struct regions_unit *units = NULL;
	int count = 0, alloc = 0;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT code, name, kind, city_code FROM units "
					"WHERE ? = '' OR city_code = ? ORDER BY code",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, city ? city : "");
	db_bind_text(st, 2, city ? city : "");
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		if (count == alloc) {
			int na = alloc ? alloc * 2 : 16;
			struct regions_unit *p = realloc(units, (size_t)na * sizeof *units);
			if (!p) {
				rc = err_set(e, 500, "internal", NULL, "内存不足");
				break;
			}
			units = p;
			alloc = na;
		}
		unit_from_row(st, &units[count++]);
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	for (int i = 0; i < count; i++)
		if (unit_townships_alloc(db, units[i].code, &units[i].townships,
					 &units[i].ntownships, e) < 0)
			goto fail;
	*out = units;
	*n = count;
	return 0;
fail:
	regions_units_free(units, count);
	return -1;
}

void regions_units_free(struct regions_unit *units, int n)
{
	if (!units)
		return;
	for (int i = 0; i < n; i++)
		free(units[i].townships);
	free(units);
}

int regions_unit_townships(struct db *db, const char *unit_code, char (*out)[16], int max, int *n,
			   struct err *e)
{
	struct regions_unit u;
	char(*list)[16];
	int count;
	*n = 0;
	if (regions_unit_get(db, unit_code, &u, e) < 0)
		return -1;
	if (unit_townships_alloc(db, unit_code, &list, &count, e) < 0)
		return -1;
	if (count > max) {
		free(list);
		return err_set(e, 400, "too_many_townships", NULL,
			       "管理单位 %s 管辖 %d 个乡镇（街道），超过上限 %d", unit_code, count,
			       max);
	}
	if (count)
		memcpy(out, list, (size_t)count * sizeof *list);
	free(list);
	*n = count;
	return 0;
}
