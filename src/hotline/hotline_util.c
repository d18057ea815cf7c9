/* hotline_util.c — the helpers the hotline module's files share (hotline_internal.h): code
 * checks, the clock, past times and days, regions and their units, permissions, transactions,
 * phones, lines and parameters. */
#include "hotline/hotline_internal.h"

#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/phone.h"
#include "core/text.h"
#include "policy/policy.h"
#include "regions/regions.h"

int hotline_code_check(const struct hotline_code *list, const char *z, int required,
		       const char *field, const char *label, struct err *e)
{
	if (!z || !*z) {
		if (required)
			return err_set(e, 400, "required", field, "请选择%s", label);
		return 0;
	}
	if (hotline_code_find(list, z))
		return 0;
	char allowed[400] = "";
	size_t used = 0;
	for (const struct hotline_code *c = list; c->code && used < sizeof allowed - 40; c++) {
		int w = snprintf(allowed + used, sizeof allowed - used, "%s%s（%s）",
				 used ? "、" : "", c->code, c->label);
		if (w < 0)
			break;
		used += (size_t)w;
		if (used >= sizeof allowed)
			used = sizeof allowed - 1;
	}
	return err_set(e, 400, "invalid_value", field, "%s应为：%s", label, allowed);
}

int hotline_not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在或不在您的管辖范围内", what);
}

void hotline_now(char out[32])
{
	clock_now_iso(out);
}

void hotline_today(char out[11])
{
	clock_today(out);
}

int hotline_past_time(const char *in, const char *field, const char *label, char out[32],
		      struct err *e)
{
	char now[32];
	hotline_now(now);
	if (!in || !*in) {
		text_copy(out, 32, now);
		return 0;
	}
	int64_t t, tn;
	if (hotline_time_parse(in, &t) < 0)
		return err_set(e, 400, "invalid_value", field,
			       "%s应为 YYYY-MM-DDTHH:MM（北京时间）格式的有效时间", label);
	hotline_time_parse(now, &tn);
	if (t > tn + 60)
		return err_set(e, 400, "invalid_value", field, "%s不能晚于现在", label);
	hotline_time_format(t, out);
	return 0;
}

int hotline_past_day(const char *in, const char *not_before, const char *field, char out[11],
		     struct err *e)
{
	char today[11];
	hotline_today(today);
	if (!in || !*in) {
		text_copy(out, 11, today);
		return 0;
	}
	if (!hotline_date_valid(in))
		return err_set(e, 400, "invalid_value", field, "日期应为 YYYY-MM-DD 格式的有效日期");
	if (strcmp(in, today) > 0)
		return err_set(e, 400, "invalid_value", field, "日期不能晚于今天（%s）", today);
	if (not_before && *not_before && strncmp(in, not_before, 10) < 0)
		return err_set(e, 400, "invalid_value", field, "日期不能早于 %.10s", not_before);
	text_copy(out, 11, in);
	return 0;
}

int hotline_region_check(struct db *db, const struct actor *a, const char *code,
			 const char *field, char *name, char *unit, struct err *e)
{
	struct region r;
	struct err ignore;
	if (!code || !*code)
		return err_set(e, 400, "required", field, "请选择所在地区（市、县区、镇街或村居）");
	if (regions_level_of_code(code) < REGIONS_CITY || regions_get(db, code, &r, &ignore) < 0)
		return err_set(e, 400, "invalid_region", field, "没有这个区划：%.20s", code);
	if (!scope_contains(&a->scope, code))
		return err_set(e, 404, "not_found", field, "地区 %s 不在您的管辖范围内", code);
	if (name)
		text_copy(name, 128, r.name);
	if (unit)
		text_copy(unit, 16, r.unit_code);
	return 0;
}

void hotline_region_unit(struct db *db, const char *code, char unit[16])
{
	struct region r;
	struct err ignore;
	unit[0] = '\0';
	if (code && regions_get(db, code, &r, &ignore) == 0 && r.unit_code[0])
		text_copy(unit, 16, r.unit_code);
	else if (code && strlen(code) >= 4)
		snprintf(unit, 16, "%.4s", code);
}

int hotline_city_actor(const struct actor *a)
{
	return a->user_id == 0 || strlen(a->region_code) <= 4;
}

int hotline_unmask_allowed(const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", NULL, "您没有查看完整身份证号和电话的权限");
	return 0;
}

int hotline_begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

void hotline_end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db); /* nothing was written */
}

int hotline_finish(struct db *db, int rc, struct err *e)
{
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int hotline_phone_norm(const char *in, const char *field, char out[24], struct err *e)
{
	out[0] = '\0';
	if (text_blank(in))
		return 0;
	if (phone_validate(in, out, e) < 0) {
		snprintf(e->field, sizeof e->field, "%s", field);
		return -1;
	}
	return 0;
}

int hotline_line_load(struct db *db, const char *code, struct hotline_line *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT code, name, number, kind, active, updated_at, updated_by "
					"FROM hotline_lines WHERE code = ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code ? code : "");
	int rc = db_step(st, e);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		text_copy(out->code, sizeof out->code, db_col_text(st, 0));
		text_copy(out->name, sizeof out->name, db_col_text(st, 1));
		text_copy(out->number, sizeof out->number, db_col_text(st, 2));
		text_copy(out->kind, sizeof out->kind, db_col_text(st, 3));
		out->active = (int)db_col_int(st, 4);
		text_copy(out->updated_at, sizeof out->updated_at, db_col_text(st, 5));
		text_copy(out->updated_by, sizeof out->updated_by, db_col_text(st, 6));
	}
	db_done(st);
	return rc < 0 ? -1 : rc == 1 ? 0 : 1;
}

int hotline_param(struct db *db, const char *region_code, const char *key, int64_t *out,
		  struct err *e)
{
	char unit[16], month[POLICY_MONTH_SZ];
	hotline_region_unit(db, region_code, unit);
	policy_current_month(month);
	return policy_value(db, unit, "all", key, month, out, e);
}

int64_t hotline_chain_case(struct db *db, int64_t call_id, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT k.id FROM hotline_calls c JOIN hotline_cases k ON "
					"k.call_id = coalesce(c.root_id, c.id) WHERE c.id = ?",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, call_id);
	int rc = db_step(st, e);
	int64_t id = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? -1 : id;
}

int hotline_region_filter(const struct actor *a, const char *region, struct err *e)
{
	int rc = scope_region_filter(&a->scope, region, e);
	if (rc > 0)
		return err_set(e, 404, "not_found", "region", "该区划不存在或不在您的管辖范围内");
	return rc;
}

int hotline_page_check(int *limit, int64_t offset, struct err *e)
{
	if (*limit == 0)
		*limit = 20;
	if (*limit < 1 || *limit > HOTLINE_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–%d", HOTLINE_PAGE_MAX);
	if (offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	return 0;
}
