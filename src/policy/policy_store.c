/* policy_store.c — the policy module's SQL and rules: lookups with the city fallback, the
 * snapshot of every key, history, changes with their audit row, and the demo city's values.
 *
 * How it works:
 * - A lookup is at most two index probes on the UNIQUE (unit_code, residence_type, key,
 *   effective_from) index: the unit's newest row with effective_from <= month, else the city's.
 *   The city is units.city_code (so the functional zones 370790–370792, whose codes no region
 *   starts with, fall back to 3707 like the counties); the city itself has no fallback.
 * - Scope: the rows are per management unit, not per region, so the checks compare the unit
 *   with the actor's scope here rather than through scope_sql(). Read: the unit (or, for a zone,
 *   one of the townships it manages) overlaps the scope — a township user reads its county, its
 *   zone and the city. Write: the actor's own unit, or a scope that covers the unit (county or
 *   city code as a prefix; for a zone, the whole city) — so 坊子区's staff, whose scope contains
 *   the two townships 峡山区 manages, still cannot set 峡山区's parameters.
 * - Months are compared as 'YYYY-MM' text, which sorts like the months themselves.
 * - A write is one BEGIN IMMEDIATE transaction: read what was in force, insert or replace the
 *   row, append the audit row, commit; any failure rolls everything back.
 */
#include "core/array_grow.h"
#include "core/text.h"
#include "core/utf8.h"
#include "policy/policy.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/scope.h"
#include "regions/regions.h"

#define MAX_ZONE_TOWNSHIPS 64

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

int policy_month_valid(const char *s)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return 0;
	int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int month = (s[5] - '0') * 10 + (s[6] - '0');
	return year >= 1900 && year <= 2999 && month >= 1 && month <= 12;
}

void policy_current_month(char out[POLICY_MONTH_SZ])
{
	char today[11];
	clock_today(today);
	memcpy(out, today, 7);
	out[7] = '\0';
}

static const struct policy_key *key_or_err(const char *key, struct err *e)
{
	const struct policy_key *k = policy_key_find(key);
	if (!key || !*key)
		err_set(e, 400, "required", "key", "请选择政策参数");
	else if (!k)
		err_set(e, 400, "invalid_value", "key", "未知的政策参数：%.64s", key);
	return k;
}

/* The residence type rows of key k are stored under. strict (writes): per-residence keys take
 * 'urban'/'rural', the others 'all' or "" only. Lenient (lookups): the others take any of
 * urban/rural/all/"" and read 'all', so a caller can pass a household's residence for any key. */
static int residence_for(const struct policy_key *k, const char *res, int strict, char out[8],
			 struct err *e)
{
	const char *r = res ? res : "";
	int urban_rural = strcmp(r, "urban") == 0 || strcmp(r, "rural") == 0;
	if (k->per_residence) {
		if (!*r)
			return err_set(e, 400, "required", "residence_type",
				       "%s城乡分别设定，请选择城镇（urban）或农村（rural）", k->label);
		if (!urban_rural)
			return err_set(e, 400, "invalid_value", "residence_type",
				       "%s城乡分别设定，residence_type 应为 urban 或 rural", k->label);
		text_copy(out, 8, r);
		return 0;
	}
	if (*r && strcmp(r, "all") != 0 && (strict || !urban_rural))
		return err_set(e, 400, "invalid_value", "residence_type",
			       strict ? "%s城乡统一设定，residence_type 应为 all"
				      : "%s：residence_type 应为 urban、rural 或 all",
			       k->label);
	text_copy(out, 8, "all");
	return 0;
}

/* What kind of code unit is: "county" / "zone" (a row of units, with its city) or "city" (the
 * city_code of some unit). 0 when known, 1 when not, -1 on a database error. */
static int unit_kind(struct db *db, const char *unit, char kind[8], char city[POLICY_CODE_SZ],
		     struct err *e)
{
	kind[0] = city[0] = '\0';
	if (!unit || !*unit || strlen(unit) >= POLICY_CODE_SZ)
		return 1;
	for (const char *p = unit; *p; p++)
		if (*p < '0' || *p > '9')
			return 1;
	struct db_stmt *st = db_prepare(db, "SELECT kind, city_code FROM units WHERE code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(kind, 8, db_col_text(st, 0));
		text_copy(city, POLICY_CODE_SZ, db_col_text(st, 1));
	}
	db_done(st);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	st = db_prepare(db, "SELECT 1 FROM units WHERE city_code = ? LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit);
	rc = db_step(st, e);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 1;
	text_copy(kind, 8, "city");
	return 0;
}

static int unit_unknown(struct err *e, const char *unit)
{
	return err_set(e, 400, "invalid_region", "unit_code",
		       "未知的管理单位代码：%.15s（应为市代码或县级管理单位代码，如 3707、370704、370791）",
		       unit ? unit : "");
}

static int unit_not_found(struct err *e, const char *unit)
{
	return err_set(e, 404, "not_found", NULL, "管理单位 %.15s 不存在或不在您的管辖范围内",
		       unit ? unit : "");
}

/* 1 when the actor may read the unit's parameters (see the top of the file), 0 when not, -1
 * with e when the zone's townships could not be read. */
static int may_read(struct db *db, const struct actor *a, const char *unit, const char *kind,
		    struct err *e)
{
	if (strcmp(a->region_code, unit) == 0 || scope_overlaps(&a->scope, unit))
		return 1;
	if (strcmp(kind, "zone") != 0)
		return 0;
	char(*towns)[16] = calloc(MAX_ZONE_TOWNSHIPS, sizeof *towns);
	int n = 0, ok = 0;
	if (!towns)
		return err_oom(e);
	struct err why;
	err_clear(&why);
	if (regions_unit_townships(db, unit, towns, MAX_ZONE_TOWNSHIPS, &n, &why) == 0)
		for (int i = 0; i < n && !ok; i++)
			ok = scope_overlaps(&a->scope, towns[i]);
	else if (why.status >= 500) { /* a database error, not "none in scope" */
		*e = why;
		ok = -1;
	}
	free(towns);
	return ok;
}

/* 1 when the actor may change the unit's parameters. */
static int may_write(const struct actor *a, const char *unit, const char *kind, const char *city)
{
	if (strcmp(a->region_code, unit) == 0)
		return 1;
	if (strcmp(kind, "zone") == 0)
		return scope_covers(&a->scope, city);
	return scope_covers(&a->scope, unit);
}

/* Permission, a known unit, and the read scope: the common start of every read. */
static int check_read(struct db *db, const struct actor *a, const char *unit, char kind[8],
		      char city[POLICY_CODE_SZ], struct err *e)
{
	if (!actor_can(a, PERM_POLICY_READ))
		return err_set(e, 403, "forbidden", NULL, "您没有查看政策参数的权限");
	if (!unit || !*unit)
		return err_set(e, 400, "required", "unit", "请选择管理单位");
	int rc = unit_kind(db, unit, kind, city, e);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return unit_not_found(e, unit);
	rc = may_read(db, a, unit, kind, e);
	if (rc < 0)
		return -1;
	return rc ? 0 : unit_not_found(e, unit);
}

static int begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

static void end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db);
}

/* The newest row of one unit in force in month: 1 found, 0 none, -1 error. */
static int lookup_unit(struct db *db, const char *unit, const char *res, const char *key,
		       const char *month, int64_t *value, char from[POLICY_MONTH_SZ], struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT value, effective_from FROM policy_params "
					"WHERE unit_code = ? AND residence_type = ? AND key = ? "
					"AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, res);
	db_bind_text(st, 3, key);
	db_bind_text(st, 4, month);
	int rc = db_step(st, e);
	if (rc == 1) {
		*value = db_col_int(st, 0);
		text_copy(from, POLICY_MONTH_SZ, db_col_text(st, 1));
	}
	db_done(st);
	return rc;
}

/* The unit's row, else the city's: 1 found (source filled), 0 none, -1 error. */
static int lookup(struct db *db, const char *unit, const char *city, const char *res,
		  const char *key, const char *month, int64_t *value, char from[POLICY_MONTH_SZ],
		  char source[POLICY_CODE_SZ], struct err *e)
{
	int rc = lookup_unit(db, unit, res, key, month, value, from, e);
	if (rc == 1)
		text_copy(source, POLICY_CODE_SZ, unit);
	if (rc != 0 || !city[0] || strcmp(city, unit) == 0)
		return rc;
	rc = lookup_unit(db, city, res, key, month, value, from, e);
	if (rc == 1)
		text_copy(source, POLICY_CODE_SZ, city);
	return rc;
}

static void row_from(struct db_stmt *st, struct policy_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	text_copy(r->unit_code, sizeof r->unit_code, db_col_text(st, 1));
	text_copy(r->residence_type, sizeof r->residence_type, db_col_text(st, 2));
	text_copy(r->key, sizeof r->key, db_col_text(st, 3));
	r->value = db_col_int(st, 4);
	text_copy(r->effective_from, sizeof r->effective_from, db_col_text(st, 5));
	text_copy(r->note, sizeof r->note, db_col_text(st, 6));
	text_copy(r->set_by, sizeof r->set_by, db_col_text(st, 7));
	text_copy(r->set_at, sizeof r->set_at, db_col_text(st, 8));
}

#define ROW_COLS "id, unit_code, residence_type, key, value, effective_from, note, set_by, set_at"

/* ------------------------------------------------------------------------------------------ */
/* lookups                                                                                    */
/* ------------------------------------------------------------------------------------------ */

int policy_value_ex(struct db *db, const char *unit_code, const char *residence_type,
		    const char *key, const char *month, int64_t *out,
		    char from[POLICY_MONTH_SZ], char source_unit[POLICY_CODE_SZ], struct err *e)
{
	char res[8], kind[8], city[POLICY_CODE_SZ], f[POLICY_MONTH_SZ], src[POLICY_CODE_SZ];
	const struct policy_key *k = key_or_err(key, e);
	if (!k || residence_for(k, residence_type, 0, res, e) < 0)
		return -1;
	if (!policy_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM 格式：%.16s",
			       month ? month : "");
	int rc = unit_kind(db, unit_code, kind, city, e);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return unit_unknown(e, unit_code);
	rc = lookup(db, unit_code, city, res, key, month, out, f, src, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "policy_missing", NULL,
			       "政策参数“%s”（%s%s%s）在 %s 对管理单位 %s 没有生效的值，请先设置",
			       k->label, key, k->per_residence ? "，" : "",
			       k->per_residence ? (strcmp(res, "urban") == 0 ? "城镇" : "农村") : "",
			       month, unit_code);
	if (from)
		text_copy(from, POLICY_MONTH_SZ, f);
	if (source_unit)
		text_copy(source_unit, POLICY_CODE_SZ, src);
	return 0;
}

int policy_value(struct db *db, const char *unit_code, const char *residence_type,
		 const char *key, const char *month, int64_t *out, struct err *e)
{
	return policy_value_ex(db, unit_code, residence_type, key, month, out, NULL, NULL, e);
}

int policy_snapshot(struct db *db, const struct actor *a, const char *unit_code,
		    const char *residence_type, const char *month, struct policy_snapshot *out,
		    struct err *e)
{
	char kind[8], city[POLICY_CODE_SZ];
	memset(out, 0, sizeof *out);
	const char *r = residence_type ? residence_type : "";
	if (strcmp(r, "urban") != 0 && strcmp(r, "rural") != 0)
		return err_set(e, 400, "invalid_value", "residence", "residence 应为 urban（城镇）或 rural（农村）");
	if (!policy_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM 格式：%.16s",
			       month ? month : "");
	if (check_read(db, a, unit_code, kind, city, e) < 0)
		return -1;
	text_copy(out->unit_code, sizeof out->unit_code, unit_code);
	text_copy(out->residence_type, sizeof out->residence_type, r);
	text_copy(out->month, sizeof out->month, month);

	int nkeys, rc = 0;
	const struct policy_key *keys = policy_keys(&nkeys);
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	for (int i = 0; i < nkeys && i < POLICY_MAX_KEYS; i++) {
		struct policy_item *it = &out->items[out->n++];
		it->def = &keys[i];
		rc = lookup(db, unit_code, city, keys[i].per_residence ? r : "all", keys[i].key, month,
			    &it->value, it->effective_from, it->source_unit, e);
		if (rc < 0)
			break;
		it->present = rc;
		rc = 0;
	}
	end_read(db, began);
	return rc;
}

int policy_history(struct db *db, const struct actor *a, const char *unit_code, const char *key,
		   struct policy_history *out, struct err *e)
{
	char kind[8], city[POLICY_CODE_SZ];
	memset(out, 0, sizeof *out);
	if (!key_or_err(key, e) || check_read(db, a, unit_code, kind, city, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db,
					"SELECT " ROW_COLS " FROM policy_params "
					"WHERE unit_code = ? AND key = ? "
					"ORDER BY effective_from DESC, residence_type",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit_code);
	db_bind_text(st, 2, key);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->rows, out->n, &alloc, sizeof *out->rows, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		row_from(st, &out->rows[out->n++]);
	}
	db_done(st);
	if (rc < 0) {
		policy_history_release(out);
		return -1;
	}
	return 0;
}

void policy_history_release(struct policy_history *h)
{
	free(h->rows);
	h->rows = NULL;
	h->n = 0;
}

/* The exact row, without checks: 1 found, 0 none, -1 error. */
static int row_load(struct db *db, const char *unit, const char *res, const char *key,
		    const char *from, struct policy_row *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT " ROW_COLS " FROM policy_params WHERE unit_code = ? "
					"AND residence_type = ? AND key = ? AND effective_from = ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit);
	db_bind_text(st, 2, res);
	db_bind_text(st, 3, key);
	db_bind_text(st, 4, from);
	int rc = db_step(st, e);
	if (rc == 1)
		row_from(st, out);
	db_done(st);
	return rc;
}

int policy_row_get(struct db *db, const struct actor *a, const char *unit_code,
		   const char *residence_type, const char *key, const char *effective_from,
		   struct policy_row *out, struct err *e)
{
	char kind[8], city[POLICY_CODE_SZ], res[8];
	const struct policy_key *k = key_or_err(key, e);
	if (!k || residence_for(k, residence_type, 1, res, e) < 0 ||
	    check_read(db, a, unit_code, kind, city, e) < 0)
		return -1;
	int rc = policy_month_valid(effective_from)
		     ? row_load(db, unit_code, res, key, effective_from, out, e)
		     : 0;
	if (rc < 0)
		return -1;
	return rc ? 0 : err_set(e, 404, "not_found", NULL, "没有这条政策参数记录");
}

/* ------------------------------------------------------------------------------------------ */
/* changes                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The audit detail: {"residence_type","effective_from","old","old_from","old_unit","new",
 * "replaced","note"} — old is the value in force for that month before the change (null when
 * nothing was). A new string (caller frees) or NULL. */
static char *set_detail(const char *res, const char *from, int had_old, int64_t old,
			const char *old_from, const char *old_unit, int64_t value, int replaced,
			const char *note)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:I, s:b, s:s}", "residence_type", res,
			      "effective_from", from,
			      "old", had_old ? json_integer((json_int_t)old) : json_null(),
			      "old_from", had_old ? json_string(old_from) : json_null(),
			      "old_unit", had_old ? json_string(old_unit) : json_null(),
			      "new", (json_int_t)value, "replaced", replaced, "note", note);
	if (!o)
		return NULL;
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

int policy_set(struct db *db, const struct actor *a, const char *unit_code,
	       const char *residence_type, const char *key, int64_t value,
	       const char *effective_from, const char *note, struct err *e)
{
	char res[8], kind[8], city[POLICY_CODE_SZ], now_month[POLICY_MONTH_SZ], at[32];
	char note_buf[POLICY_NOTE_SZ], vmin[48], vmax[48];
	if (!actor_can(a, PERM_POLICY_WRITE))
		return err_set(e, 403, "forbidden", NULL, "您没有修改政策参数的权限");
	const struct policy_key *k = key_or_err(key, e);
	if (!k || residence_for(k, residence_type, 1, res, e) < 0)
		return -1;
	if (value < k->min || value > k->max) {
		policy_format_value(k, k->min, vmin, sizeof vmin);
		policy_format_value(k, k->max, vmax, sizeof vmax);
		return err_set(e, 400, "invalid_value", "value", "%s应在 %s 至 %s 之间（%lld%s）",
			       k->label, vmin, vmax, (long long)value,
			       strcmp(k->unit, "bp") == 0 ? " 基点" : "");
	}
	if (!effective_from || !*effective_from)
		return err_set(e, 400, "required", "effective_from", "请填写生效月份");
	if (!policy_month_valid(effective_from))
		return err_set(e, 400, "invalid_value", "effective_from",
			       "生效月份应为 YYYY-MM 格式，如 2020-07：%.16s", effective_from);
	/* the note: surrounding spaces dropped, at most 200 characters of plain text */
	const char *z = note ? note : "";
	while (*z == ' ' || *z == '\t')
		z++;
	size_t zn = strlen(z);
	while (zn && (z[zn - 1] == ' ' || z[zn - 1] == '\t'))
		zn--;
	if (zn >= sizeof note_buf)
		return err_set(e, 400, "invalid_value", "note", "备注最多 %d 个字", POLICY_NOTE_CHARS);
	memcpy(note_buf, z, zn);
	note_buf[zn] = '\0';
	long chars = utf8_text_chars(note_buf, 0);
	if (chars < 0)
		return err_set(e, 400, "invalid_value", "note", "备注含有无效字符");
	if (chars > POLICY_NOTE_CHARS)
		return err_set(e, 400, "invalid_value", "note", "备注最多 %d 个字", POLICY_NOTE_CHARS);

	if (!unit_code || !*unit_code)
		return err_set(e, 400, "required", "unit_code", "请选择管理单位");
	int rc = unit_kind(db, unit_code, kind, city, e);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return unit_unknown(e, unit_code);
	if (!may_write(a, unit_code, kind, city))
		return err_set(e, 403, "out_of_scope", "unit_code",
			       "只能设置本单位的政策参数，不能设置 %s 的", unit_code);
	policy_current_month(now_month);
	if (strcmp(effective_from, now_month) < 0)
		return err_set(e, 409, "policy_locked", "effective_from",
			       "%s 已过去，该月的参数可能已用于发放，不能再改；"
			       "请从本月（%s）或以后的月份起设置新值",
			       effective_from, now_month);

	if (db_begin_write(db, e) < 0)
		return -1;
	struct policy_row old_row;
	int64_t old = 0;
	char old_from[POLICY_MONTH_SZ] = "", old_unit[POLICY_CODE_SZ] = "";
	char object[128], *detail = NULL;
	int had_old;
	int existing = row_load(db, unit_code, res, key, effective_from, &old_row, e);
	if (existing < 0)
		goto fail;
	had_old = lookup(db, unit_code, city, res, key, effective_from, &old, old_from, old_unit, e);
	if (had_old < 0)
		goto fail;
	clock_now_iso(at);
	struct db_stmt *st;
	if (existing) {
		st = db_prepare(db,
				"UPDATE policy_params SET value = ?, note = ?, set_by = ?, set_at = ? "
				"WHERE id = ?",
				e);
		if (!st)
			goto fail;
		db_bind_int(st, 1, value);
		db_bind_text(st, 2, note_buf);
		db_bind_text(st, 3, a->username);
		db_bind_text(st, 4, at);
		db_bind_int(st, 5, old_row.id);
	} else {
		st = db_prepare(db,
				"INSERT INTO policy_params(unit_code, residence_type, key, value, "
				"effective_from, note, set_by, set_at) VALUES (?,?,?,?,?,?,?,?)",
				e);
		if (!st)
			goto fail;
		db_bind_text(st, 1, unit_code);
		db_bind_text(st, 2, res);
		db_bind_text(st, 3, key);
		db_bind_int(st, 4, value);
		db_bind_text(st, 5, effective_from);
		db_bind_text(st, 6, note_buf);
		db_bind_text(st, 7, a->username);
		db_bind_text(st, 8, at);
	}
	if (db_run(st, e) < 0)
		goto fail;
	snprintf(object, sizeof object, "policy:%s:%s", unit_code, key);
	detail = set_detail(res, effective_from, had_old, old, old_from, old_unit, value, existing,
			    note_buf);
	if (!detail) {
		err_oom(e);
		goto fail;
	}
	if (audit_append(db, a, "policy.set", object, "ok", detail, e) < 0)
		goto fail;
	free(detail);
	return db_commit(db, e);
fail:
	free(detail);
	db_rollback(db);
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* the demo city                                                                              */
/* ------------------------------------------------------------------------------------------ */

/* Plausible Weifang values, not an official notice (DOMAIN.md: demo values). */
static const struct {
	const char *key;
	int64_t value;
} demo_values[] = {
	{"dibao_standard_urban_month_fen", 71000},   /* 710 元/人/月 */
	{"dibao_standard_rural_year_fen", 540000},   /* 5,400 元/人/年 */
	{"dibao_min_payment_fen", 5000},             /* 50 元/户/月, urban and rural */
	{"dibao_uplift_elderly_bp", 1000},           /* 10 % */
	{"dibao_uplift_severe_disability_bp", 3000}, /* 30 % */
	{"dibao_uplift_serious_illness_bp", 2000},   /* 20 % */
	{"dibao_uplift_minor_bp", 1000},             /* 10 % */
	{"dibao_elderly_age", 60},
	{"dibao_phaseout_months", 3},
	{"review_stable_months", 12},
	{"review_irregular_months", 6},
	{"notice_days", 7},
	{"tekun_basic_factor_bp", 13000},            /* 1.3 × 低保标准 */
	{"tekun_care_centralised_full_year_fen", 1236000},
	{"tekun_care_centralised_half_year_fen", 741600},
	{"tekun_care_centralised_self_year_fen", 98900},
	{"tekun_care_scattered_full_year_fen", 865200},
	{"tekun_care_scattered_half_year_fen", 494400},
	{"tekun_care_scattered_self_year_fen", 74200},
	{"orphan_institutional_month_fen", 140000},
	{"orphan_scattered_month_fen", 100000},
	{"unsupported_child_month_fen", 100000},
	{"temp_relief_township_limit_fen", 100000},  /* 1,000 元 */
	{"temp_relief_max_multiple_bp", 100000},     /* 10 × 低保月标准 */
	{"temp_relief_emergency_min_multiple_bp", 20000}, /* 急难型至少 2 × 低保月标准 */
	{"temp_relief_pay_first_days", 2},           /* 48 小时 */
	{"temp_relief_papers_working_days", 5},
	{"temp_relief_decision_working_days", 15},
	/* 督导检查与整改、值班值守 */
	{"rectification_deadline_days", 7},
	{"rectification_due_soon_days", 2},
	{"duty_shift_max_days", 1},                  /* 24 小时 */
	/* 价格临时补贴: national triggers; the demo city bases the amount on the general CPI. The
	 * mechanism (from 2020-03), the doubling (2020-03..06) and the groups added for 2020-03..06
	 * are dated rows the demo adds (src/demo/demo_price.c). */
	{"price_linkage_enabled", 0},
	{"price_trigger_cpi_bp", 350},               /* 3.5 % */
	{"price_trigger_food_cpi_bp", 600},          /* 6 % */
	{"price_rise_basis", 1},                     /* the general CPI */
	{"price_multiplier_bp", 10000},
	{"price_rounding_fen", 100},                 /* to the yuan */
	{"price_min_fen", 1000},                     /* 10 元 */
	{"price_due_working_days", 20},
	{"price_rural_on_urban_standard", 0},
	{"price_eligible_dibao", 1},
	{"price_eligible_tekun", 1},
	{"price_eligible_orphan", 0},
	{"price_eligible_unsupported_child", 0},
	{"price_eligible_entitled_veteran", 1},
	{"price_eligible_unemployment_insurance", 1},
	{"price_eligible_unemployment_assistance", 0},
	/* 特殊困难群众台账: days between visits, by category */
	{"ledger_visit_days_elderly_alone", 7},
	{"ledger_visit_days_left_behind_elderly", 14},
	{"ledger_visit_days_left_behind_child", 7},
	{"ledger_visit_days_orphan", 7},
	{"ledger_visit_days_unsupported_child", 7},
	{"ledger_visit_days_child_in_difficulty", 14},
	{"ledger_visit_days_severely_disabled", 14},
	{"ledger_visit_days_seriously_ill", 7},
	{"ledger_visit_days_covid_patient_family", 3},
	{"ledger_visit_days_isolated_family", 1},
	{"ledger_visit_days_dibao", 30},
	{"ledger_visit_days_tekun", 14},
	{"ledger_visit_days_other", 30},
	/* 机构日报: report deadlines, minutes after midnight */
	{"institution_deadline_elderly_home", 600},          /* 10:00 */
	{"institution_deadline_children_welfare_home", 600},
	{"institution_deadline_rescue_station", 600},
	{"institution_deadline_funeral_home", 600},
	{"institution_deadline_marriage_office", 600},
	{"institution_deadline_lottery_outlet", 600},
	{"institution_deadline_other", 600},
	/* 救助站: the demo city is in its epidemic period (2020), so the stay limit is 14, not 10 */
	{"rescue_fever_tenths_c", 373},      /* 37.3 °C */
	{"rescue_isolation_days", 14},
	{"rescue_max_stay_days", 14},
	{"rescue_test_valid_hours", 72},
	{"rescue_family_search_hours", 24},
	/* 热线与个案: assessment within 1 h / 4 h / 24 h (child line 30 min / 2 h / 12 h) */
	{"hotline_assistance_response_minutes_emergency", 60},
	{"hotline_assistance_response_minutes_urgent", 240},
	{"hotline_assistance_response_minutes_normal", 1440},
	{"hotline_child_response_minutes_emergency", 30},
	{"hotline_child_response_minutes_urgent", 120},
	{"hotline_child_response_minutes_normal", 720},
	{"hotline_assistance_followup_days", 7},
	{"hotline_child_followup_days", 3},
	{"hotline_call_retention_months", 6},
	/* @funeral-values */
	/* @marriage-values */
	{"marriage_fever_tenths_c", 373}, /* 37.3 °C */
	/* @goods-values */
	/* @orgs-values */
};

#define DEMO_NOTE "演示值（非正式文件）"
#define DEMO_SET_AT "2019-07-01T00:00:00+08:00"

static int demo_insert(struct db *db, const struct actor *a, const char *res, const char *key,
		       int64_t value, int *written, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO policy_params(unit_code, residence_type, key, value, effective_from, "
	    "note, set_by, set_at) VALUES (?,?,?,?,?,?,?,?) "
	    "ON CONFLICT (unit_code, residence_type, key, effective_from) DO NOTHING",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, POLICY_DEMO_CITY);
	db_bind_text(st, 2, res);
	db_bind_text(st, 3, key);
	db_bind_int(st, 4, value);
	db_bind_text(st, 5, POLICY_DEMO_FROM);
	db_bind_text(st, 6, DEMO_NOTE);
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, DEMO_SET_AT);
	if (db_run(st, e) < 0)
		return -1;
	*written += db_changes(db);
	return 0;
}

int policy_load_demo_defaults(struct db *db, const struct actor *a, struct err *e)
{
	int own = !db_in_transaction(db), written = 0;
	if (own && db_begin_write(db, e) < 0)
		return -1;
	for (size_t i = 0; i < sizeof demo_values / sizeof demo_values[0]; i++) {
		const struct policy_key *k = policy_key_find(demo_values[i].key);
		if (!k || demo_values[i].value < k->min || demo_values[i].value > k->max) {
			err_set(e, 500, "internal", NULL, "演示政策参数 %s 不在参数表中或超出范围",
				demo_values[i].key);
			goto fail;
		}
		if (k->per_residence) {
			if (demo_insert(db, a, "urban", k->key, demo_values[i].value, &written, e) < 0 ||
			    demo_insert(db, a, "rural", k->key, demo_values[i].value, &written, e) < 0)
				goto fail;
		} else if (demo_insert(db, a, "all", k->key, demo_values[i].value, &written, e) < 0) {
			goto fail;
		}
	}
	if (own) {
		char detail[96];
		snprintf(detail, sizeof detail, "{\"effective_from\":\"%s\",\"rows\":%d}",
			 POLICY_DEMO_FROM, written);
		if (audit_append(db, a, "policy.demo_defaults", "policy:" POLICY_DEMO_CITY, "ok",
				 detail, e) < 0 ||
		    db_commit(db, e) < 0)
			goto fail;
	}
	return 0;
fail:
	if (own)
		db_rollback(db);
	return -1;
}
