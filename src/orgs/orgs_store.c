/* orgs_store.c — the orgs module's records and counts: organisations, engagements, volunteers
 * and their activities (tables in orgs_schema.c), and the counting rules of orgs.h.
 *
 * Every read goes through scope_prepare() on the row's region code, so a record outside the caller's
 * scope is simply not found (404). Every write checks its input first, then writes its rows
 * and its audit row in one transaction (or in the caller's, when one is open). */
#include "orgs/orgs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/paged_list.h"
#include "core/phone.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "regions/regions.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static int forbidden(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您没有社会组织管理权限");
}

static int not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在", what);
}

static int check_date(const char *d, const char *field, const char *label, struct err *e)
{
	if (!d[0])
		return err_set(e, 400, "required", field, "请填写%s", label);
	if (!calendar_date_valid(d))
		return err_set(e, 400, "invalid_value", field, "%s应为 YYYY-MM-DD：%.16s", label, d);
	char today[11];
	clock_today(today);
	if (strcmp(d, today) > 0)
		return err_set(e, 400, "invalid_value", field, "%s不能晚于今天", label);
	return 0;
}

/* unmask needs registry.unmask; the read is audited. */
static int unmask_check(struct db *db, const struct actor *a, int unmask, const char *object,
			struct err *e)
{
	if (!unmask)
		return 0;
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", "unmask", "您没有查看完整个人信息的权限");
	return audit_record(db, a, "orgs.unmask", object, "ok", NULL, e);
}

static int query_check(const struct actor *a, const struct orgs_query *q, struct err *e)
{
	int r = scope_region_filter(&a->scope, q->region, e);
	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, 403, "out_of_scope", "region", "%.15s 不在您的管辖范围内", q->region);
	if (q->from[0] && !calendar_date_valid(q->from))
		return err_set(e, 400, "invalid_value", "from", "日期应为 YYYY-MM-DD");
	if (q->to[0] && !calendar_date_valid(q->to))
		return err_set(e, 400, "invalid_value", "to", "日期应为 YYYY-MM-DD");
	return 0;
}

/* ---- organisations ------------------------------------------------------------------------ */

static int org_region(struct db *db, const struct actor *a, int64_t id, char region[16],
		      struct err *e)
{
	struct db_stmt *st =
	    scope_prepare(db, &a->scope, "SELECT region_code FROM orgs WHERE id = ? AND ", "region_code",
		   "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		text_copy(region, 16, db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : not_found(e, "社会组织");
}

static int org_create_txn(struct db *db, const struct actor *a, const struct orgs_org_in *in,
			  const char *phone, int64_t *out_id, struct err *e)
{
	char now[32];
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db, "SELECT (SELECT count(*) FROM orgs WHERE name = ?), "
					    "(SELECT count(*) FROM orgs WHERE reg_no = ?)", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->reg_no);
	if (db_step(st, e) < 0) {
		db_done(st);
		return -1;
	}
	int64_t dn = db_col_int(st, 0), dr = db_col_int(st, 1);
	db_done(st);
	if (dn)
		return err_set(e, 409, "duplicate_name", "name", "已有同名社会组织：%.90s", in->name);
	if (dr)
		return err_set(e, 409, "duplicate_reg_no", "reg_no", "登记证号已被使用：%.60s",
			       in->reg_no);
	st = db_prepare(db, "INSERT INTO orgs(name, type, reg_no, region_code, contact_name, "
			    "contact_phone, created_by, created_at) VALUES (?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->type);
	db_bind_text(st, 3, in->reg_no);
	db_bind_text(st, 4, in->region_code);
	db_bind_text(st, 5, in->contact_name);
	db_bind_text(st, 6, phone);
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	char detail[160];
	snprintf(detail, sizeof detail, "{\"type\":\"%s\",\"region_code\":\"%s\"}", in->type,
		 in->region_code);
	return audit_append_id(db, a, "orgs.create", "org", *out_id, detail, e);
}

int orgs_create(struct db *db, const struct actor *a, const struct orgs_org_in *in, int64_t *out_id,
		struct err *e)
{
	char phone[24] = "";
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	if (text_check(in->name, 60, 1, 0, "name", "组织名称", e) < 0 ||
	    text_check(in->reg_no, 30, 1, 0, "reg_no", "登记证号", e) < 0 ||
	    text_check(in->contact_name, 30, 0, 0, "contact_name", "联系人", e) < 0)
		return -1;
	if (!in->type[0])
		return err_set(e, 400, "required", "type", "请选择组织类型");
	if (!orgs_type_valid(in->type))
		return err_set(e, 400, "invalid_value", "type",
			       "组织类型应为 social_group、foundation、private_non_enterprise、"
			       "volunteer_team 或 other");
	if (in->contact_phone[0] && phone_validate(in->contact_phone, phone, e) < 0) {
		text_copy(e->field, sizeof e->field, "contact_phone");
		return -1;
	}
	if (regions_check_in_scope(db, &a->scope, in->region_code, "region_code", e) < 0)
		return -1;
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, org_create_txn(db, a, in, phone, out_id, e), e);
}

#define ORG_COLS                                                                                   \
	"o.id, o.name, o.type, o.reg_no, o.region_code, coalesce(g.name, ''), o.contact_name, "   \
	"o.contact_phone, (SELECT count(*) FROM orgs_engagements x WHERE x.org_id = o.id), "       \
	"(SELECT count(*) FROM orgs_volunteers v WHERE v.org_id = o.id), "                        \
	"(SELECT coalesce(max(date), '') FROM orgs_engagements x WHERE x.org_id = o.id)"
#define ORG_FROM "orgs o LEFT JOIN regions g ON g.code = o.region_code"

static json_t *org_row(struct db_stmt *st, int unmask)
{
	const char *type = db_col_text(st, 2);
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:o}", "id",
			      (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1), "type", type,
			      "type_label", orgs_label(type), "reg_no", db_col_text(st, 3),
			      "region_code", db_col_text(st, 4), "region_name", db_col_text(st, 5),
			      "contact_phone", paged_list_phone(db_col_text(st, 7), unmask), "engagements",
			      (json_int_t)db_col_int(st, 8), "volunteers",
			      (json_int_t)db_col_int(st, 9), "last_engaged_on",
			      api_json_opt_str(db_col_text(st, 10)));
	if (o) {
		char m[128];
		const char *c = db_col_text(st, 6);
		text_mask_name(c, m, sizeof m);
		json_object_set_new(o, "contact_name", json_string(unmask ? c : m));
		json_object_set_new(o, "masked", json_boolean(!unmask));
	}
	return o;
}

static int org_bind(struct db_stmt *st, int i, const void *query)
{
	const struct orgs_query *q = query;
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->type);
	db_bind_text(st, i++, q->type);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->region);
	db_bind_int(st, i++, q->org_id);
	db_bind_int(st, i++, q->org_id);
	return i;
}

int orgs_list(struct db *db, const struct actor *a, const struct orgs_query *q, int unmask,
	      json_t **out, struct err *e)
{
	*out = NULL;
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	if (query_check(a, q, e) < 0 || unmask_check(db, a, unmask, "orgs:list", e) < 0)
		return -1;
	struct paged_list m = {
	    ORG_COLS, ORG_FROM, "o.region_code",
	    "AND (? = '' OR instr(o.name, ?) > 0) AND (? = '' OR o.type = ?) "
	    "AND (? = '' OR o.region_code LIKE ? || '%') AND (? = 0 OR o.id = ?)",
	    "o.region_code, o.name", org_bind, org_row, q, q->limit, q->offset, unmask};
	return paged_list_run(db, &a->scope, &m, out, e);
}

/* ---- engagements -------------------------------------------------------------------------- */

#define ENG_COLS                                                                                   \
	"e.id, e.org_id, o.name, e.date, e.region_code, coalesce(g.name, ''), e.activity, "       \
	"e.area_m2, e.households, e.volunteers, "                                                 \
	"(SELECT count(*) FROM orgs_activities x WHERE x.engagement_id = e.id), "                 \
	"(SELECT coalesce(sum(hours_tenths), 0) FROM orgs_activities x WHERE x.engagement_id = e.id), " \
	"e.note"
#define ENG_FROM                                                                                   \
	"orgs_engagements e JOIN orgs o ON o.id = e.org_id "                                       \
	"LEFT JOIN regions g ON g.code = e.region_code"

static json_t *eng_row(struct db_stmt *st, int unmask)
{
	(void)unmask;
	const char *act = db_col_text(st, 6);
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:s}",
			 "id", (json_int_t)db_col_int(st, 0), "org_id",
			 (json_int_t)db_col_int(st, 1), "org_name", db_col_text(st, 2), "date",
			 db_col_text(st, 3), "region_code", db_col_text(st, 4), "region_name",
			 db_col_text(st, 5), "activity", act, "activity_label", orgs_label(act),
			 "area_m2", (json_int_t)db_col_int(st, 7), "households",
			 (json_int_t)db_col_int(st, 8), "volunteers",
			 (json_int_t)db_col_int(st, 9), "activities",
			 (json_int_t)db_col_int(st, 10), "hours_tenths",
			 (json_int_t)db_col_int(st, 11), "note", db_col_text(st, 12));
}

static int eng_bind(struct db_stmt *st, int i, const void *query)
{
	const struct orgs_query *q = query;
	db_bind_int(st, i++, q->org_id);
	db_bind_int(st, i++, q->org_id);
	db_bind_text(st, i++, q->type);
	db_bind_text(st, i++, q->type);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	return i;
}

int orgs_engagement_list(struct db *db, const struct actor *a, const struct orgs_query *q,
			 json_t **out, struct err *e)
{
	*out = NULL;
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	if (query_check(a, q, e) < 0)
		return -1;
	struct paged_list l = {
	    ENG_COLS, ENG_FROM, "e.region_code",
	    "AND (? = 0 OR e.org_id = ?) AND (? = '' OR e.activity = ?) "
	    "AND (? = '' OR e.region_code LIKE ? || '%') AND (? = '' OR e.date >= ?) "
	    "AND (? = '' OR e.date <= ?) AND (? = '' OR instr(o.name, ?) > 0)",
	    "e.date DESC, e.id DESC", eng_bind, eng_row, q, q->limit, q->offset, 0};
	return paged_list_run(db, &a->scope, &l, out, e);
}

static int engagement_txn(struct db *db, const struct actor *a,
			  const struct orgs_engagement_in *in, const char *org_region,
			  int64_t *out_id, struct err *e)
{
	char now[32];
	clock_now_iso(now);
	int64_t volunteers = in->volunteers;
	if (volunteers < in->n_activities)
		volunteers = in->n_activities;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO orgs_engagements(org_id, org_region, region_code, date, activity, area_m2, "
	    "households, volunteers, note, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, in->org_id);
	db_bind_text(st, 2, org_region);
	db_bind_text(st, 3, in->region_code);
	db_bind_text(st, 4, in->date);
	db_bind_text(st, 5, in->activity);
	db_bind_int(st, 6, in->area_m2);
	db_bind_int(st, 7, in->households);
	db_bind_int(st, 8, volunteers);
	db_bind_text(st, 9, in->note);
	db_bind_text(st, 10, a->username);
	db_bind_text(st, 11, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	for (int i = 0; i < in->n_activities; i++) {
		const struct orgs_activity_in *x = &in->activities[i];
		char field[48];
		snprintf(field, sizeof field, "activities[%d].volunteer_id", i);
		st = db_prepare(db, "SELECT count(*) FROM orgs_volunteers WHERE id = ? AND org_id = ?",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, x->volunteer_id);
		db_bind_int(st, 2, in->org_id);
		int64_t found = db_step(st, e) == 1 ? db_col_int(st, 0) : -1;
		db_done(st);
		if (found < 0)
			return -1;
		if (!found)
			return err_set(e, 400, "invalid_value", field, "志愿者 %" PRId64
				       " 不是该组织的志愿者", x->volunteer_id);
		st = db_prepare(db, "INSERT OR IGNORE INTO orgs_activities(engagement_id, "
				    "volunteer_id, org_id, region_code, date, hours_tenths) "
				    "VALUES (?,?,?,?,?,?)", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, *out_id);
		db_bind_int(st, 2, x->volunteer_id);
		db_bind_int(st, 3, in->org_id);
		db_bind_text(st, 4, org_region);
		db_bind_text(st, 5, in->date);
		db_bind_int(st, 6, x->hours_tenths);
		if (db_run(st, e) < 0)
			return -1;
		if (db_changes(db) == 0)
			return err_set(e, 409, "duplicate_activity", field,
				       "志愿者 %" PRId64 " 在本次活动中重复登记", x->volunteer_id);
	}
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"org_id\":%" PRId64 ",\"date\":\"%s\",\"activity\":\"%s\",\"area_m2\":%" PRId64
		 ",\"households\":%" PRId64 ",\"volunteers\":%" PRId64 ",\"activities\":%d}",
		 in->org_id, in->date, in->activity, in->area_m2, in->households, volunteers,
		 in->n_activities);
	return audit_append_id(db, a, "orgs.engagement", "org_engagement", *out_id, detail, e);
}

int orgs_engagement_create(struct db *db, const struct actor *a,
			   const struct orgs_engagement_in *in, int64_t *out_id, struct err *e)
{
	char region[16];
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	if (in->org_id <= 0)
		return err_set(e, 400, "required", "org_id", "请选择社会组织");
	if (org_region(db, a, in->org_id, region, e) < 0) {
		if (e->status == 404)
			text_copy(e->field, sizeof e->field, "org_id");
		return -1;
	}
	if (check_date(in->date, "date", "活动日期", e) < 0)
		return -1;
	if (!in->activity[0])
		return err_set(e, 400, "required", "activity", "请选择活动类型");
	if (!orgs_activity_valid(in->activity))
		return err_set(e, 400, "invalid_value", "activity",
			       "活动类型应为 disinfection、screening、delivery、donation 或 other");
	if (in->area_m2 < 0 || in->area_m2 > ORGS_MAX_AREA_M2)
		return err_set(e, 400, "invalid_value", "area_m2", "消杀面积应在 0 到 1000 平方千米之间");
	if (in->households < 0 || in->households > ORGS_MAX_COUNT)
		return err_set(e, 400, "invalid_value", "households", "排查户数应在 0 到 1000000 之间");
	if (in->volunteers < 0 || in->volunteers > ORGS_MAX_COUNT)
		return err_set(e, 400, "invalid_value", "volunteers", "志愿者人数应在 0 到 1000000 之间");
	if (in->n_activities < 0 || in->n_activities > ORGS_MAX_ACTIVITIES)
		return err_set(e, 400, "invalid_value", "activities", "一次最多登记 500 名志愿者");
	for (int i = 0; i < in->n_activities; i++)
		if (in->activities[i].hours_tenths < 1 || in->activities[i].hours_tenths > 240) {
			char field[48];
			snprintf(field, sizeof field, "activities[%d].hours_tenths", i);
			return err_set(e, 400, "invalid_value", field, "服务时长应在 0.1 到 24 小时之间");
		}
	if (text_check(in->note, 500, 0, 1, "note", "备注", e) < 0 ||
	    regions_check_in_scope(db, &a->scope, in->region_code, "region_code", e) < 0)
		return -1;
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, engagement_txn(db, a, in, region, out_id, e), e);
}

int orgs_get(struct db *db, const struct actor *a, int64_t id, int unmask, json_t **out,
	     struct err *e)
{
	char region[16], object[40];
	*out = NULL;
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return not_found(e, "社会组织");
	if (org_region(db, a, id, region, e) < 0)
		return -1;
	snprintf(object, sizeof object, "org:%" PRId64, id);
	if (unmask_check(db, a, unmask, object, e) < 0)
		return -1;
	struct orgs_query q;
	memset(&q, 0, sizeof q);
	q.org_id = id;
	q.limit = 1;
	json_t *l = NULL, *en = NULL;
	if (orgs_list(db, a, &q, 0, &l, e) < 0)
		return -1;
	json_t *org = json_incref(json_array_get(json_object_get(l, "items"), 0));
	json_decref(l);
	if (!org)
		return not_found(e, "社会组织");
	if (unmask) { /* the list masks; the record read asked for the full values (audited above) */
		struct db_stmt *st = db_prepare(
		    db, "SELECT contact_name, contact_phone FROM orgs WHERE id = ?", e);
		if (!st) {
			json_decref(org);
			return -1;
		}
		db_bind_int(st, 1, id);
		if (db_step(st, e) == 1) {
			json_object_set_new(org, "contact_name", json_string(db_col_text(st, 0)));
			json_object_set_new(org, "contact_phone",
					    api_json_opt_str(db_col_text(st, 1)));
			json_object_set_new(org, "masked", json_false());
		}
		db_done(st);
	}
	q.limit = 20;
	if (orgs_engagement_list(db, a, &q, &en, e) < 0) {
		json_decref(org);
		return -1;
	}
	json_object_set(org, "recent_engagements", json_object_get(en, "items"));
	json_decref(en);
	*out = org;
	return 0;
}

/* ---- volunteers --------------------------------------------------------------------------- */

static int volunteer_insert(struct db *db, const struct actor *a, const struct orgs_volunteer_in *in,
			    const char *region, const char *now, int64_t *out_id, struct err *e)
{
	char phone[24] = "";
	if (text_check(in->name, 30, 1, 0, "name", "志愿者姓名", e) < 0 ||
	    text_check(in->skills, 100, 0, 0, "skills", "技能特长", e) < 0)
		return -1;
	if (in->phone[0] && phone_validate(in->phone, phone, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "INSERT INTO orgs_volunteers(org_id, region_code, name, "
					    "phone, skills, created_by, created_at) VALUES "
					    "(?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, in->org_id);
	db_bind_text(st, 2, region);
	db_bind_text(st, 3, in->name);
	db_bind_text(st, 4, phone);
	db_bind_text(st, 5, in->skills);
	db_bind_text(st, 6, a->username);
	db_bind_text(st, 7, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	return 0;
}

static int volunteers_txn(struct db *db, const struct actor *a, int64_t org_id, int n,
			  const struct orgs_volunteer_in *in, int64_t *ids, struct err *e)
{
	char region[16], now[32];
	clock_now_iso(now);
	if (org_region(db, a, org_id, region, e) < 0) {
		if (e->status == 404)
			text_copy(e->field, sizeof e->field, "org_id");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (in[i].org_id != org_id)
			return err_set(e, 400, "invalid_value", "org_id", "志愿者须属于同一社会组织");
		if (volunteer_insert(db, a, &in[i], region, now, &ids[i], e) < 0) {
			if (n > 1) {
				char p[24];
				snprintf(p, sizeof p, "volunteers[%d]", i);
				err_prefix_field(e, p);
			}
			return -1;
		}
	}
	if (n == 1)
		return audit_append_id(db, a, "orgs.volunteer", "org_volunteer", ids[0], NULL, e);
	char detail[64];
	snprintf(detail, sizeof detail, "{\"count\":%d}", n);
	return audit_append_id(db, a, "orgs.volunteer_import", "org", org_id, detail, e);
}

int orgs_volunteer_import(struct db *db, const struct actor *a, int64_t org_id, int n,
			  const struct orgs_volunteer_in *in, int64_t *out_ids, struct err *e)
{
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	if (org_id <= 0)
		return err_set(e, 400, "required", "org_id", "请选择社会组织");
	if (n < 1)
		return err_set(e, 400, "required", "volunteers", "请填写志愿者");
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, volunteers_txn(db, a, org_id, n, in, out_ids, e), e);
}

int orgs_volunteer_create(struct db *db, const struct actor *a, const struct orgs_volunteer_in *in,
			  int64_t *out_id, struct err *e)
{
	return orgs_volunteer_import(db, a, in->org_id, 1, in, out_id, e);
}

#define VOL_COLS                                                                                   \
	"v.id, v.org_id, o.name, v.name, v.phone, v.skills, "                                     \
	"(SELECT count(*) FROM orgs_activities x WHERE x.volunteer_id = v.id), "                  \
	"(SELECT coalesce(sum(hours_tenths), 0) FROM orgs_activities x WHERE x.volunteer_id = v.id), " \
	"v.region_code"
#define VOL_FROM "orgs_volunteers v JOIN orgs o ON o.id = v.org_id"

static json_t *vol_row(struct db_stmt *st, int unmask)
{
	char m[128];
	const char *name = db_col_text(st, 3);
	text_mask_name(name, m, sizeof m);
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:I, s:I, s:b, s:s}", "id",
			 (json_int_t)db_col_int(st, 0), "org_id", (json_int_t)db_col_int(st, 1),
			 "org_name", db_col_text(st, 2), "name", unmask ? name : m, "phone",
			 paged_list_phone(db_col_text(st, 4), unmask), "skills", db_col_text(st, 5),
			 "activities", (json_int_t)db_col_int(st, 6), "hours_tenths",
			 (json_int_t)db_col_int(st, 7), "masked", !unmask, "region_code",
			 db_col_text(st, 8));
}

static int vol_bind(struct db_stmt *st, int i, const void *query)
{
	const struct orgs_query *q = query;
	db_bind_int(st, i++, q->org_id);
	db_bind_int(st, i++, q->org_id);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	return i;
}

int orgs_volunteer_list(struct db *db, const struct actor *a, const struct orgs_query *q,
			int unmask, json_t **out, struct err *e)
{
	*out = NULL;
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	if (query_check(a, q, e) < 0 ||
	    unmask_check(db, a, unmask, "org_volunteers:list", e) < 0)
		return -1;
	struct paged_list l = {VOL_COLS, VOL_FROM, "v.region_code",
			  "AND (? = 0 OR v.org_id = ?) AND (? = '' OR v.region_code LIKE ? || '%') "
			  "AND (? = '' OR v.name LIKE ? || '%')",
			  "v.org_id, v.id", vol_bind, vol_row, q, q->limit, q->offset, unmask};
	return paged_list_run(db, &a->scope, &l, out, e);
}

/* ---- counts ------------------------------------------------------------------------------- */

/* Each query yields (region code, value) rows for one figure, over ?..? (from, to). */
static const struct {
	int figure;
	const char *head, *col, *tail;
} figure_sql[] = {
    {ORGS_ENGAGED,
     "SELECT org_region, count(DISTINCT org_id) FROM orgs_engagements "
     "WHERE date >= ? AND date <= ? AND ",
     "org_region", " GROUP BY org_region"},
    {ORGS_MOBILISING,
     "SELECT r, count(DISTINCT o) FROM ("
     "SELECT org_region AS r, org_id AS o FROM orgs_engagements "
     "WHERE date >= ?1 AND date <= ?2 AND volunteers > 0 "
     "UNION SELECT region_code, org_id FROM orgs_activities WHERE date >= ?1 AND date <= ?2"
     ") WHERE ",
     "r", " GROUP BY r"},
    {ORGS_VOLUNTEERS,
     "SELECT region_code, count(DISTINCT volunteer_id) FROM orgs_activities "
     "WHERE date >= ? AND date <= ? AND ",
     "region_code", " GROUP BY region_code"},
    {ORGS_AREA_M2,
     "SELECT region_code, sum(area_m2) FROM orgs_engagements WHERE date >= ? AND date <= ? AND ",
     "region_code", " GROUP BY region_code"},
    {ORGS_HOUSEHOLDS,
     "SELECT region_code, sum(households) FROM orgs_engagements "
     "WHERE date >= ? AND date <= ? AND ",
     "region_code", " GROUP BY region_code"},
};

int orgs_figures(struct db *db, const struct actor *a, const char *from, const char *to,
		 void (*fn)(void *ctx, const char *region_code, int figure, int64_t v), void *ctx,
		 struct err *e)
{
	if (!actor_can(a, PERM_SOCIAL_ORG))
		return forbidden(e);
	for (size_t i = 0; i < sizeof figure_sql / sizeof figure_sql[0]; i++) {
		struct db_stmt *st = scope_prepare(db, &a->scope, figure_sql[i].head, figure_sql[i].col,
					    figure_sql[i].tail, e);
		if (!st)
			return -1;
		db_bind_text(st, 1, from);
		db_bind_text(st, 2, to);
		scope_bind(st, &a->scope, 3);
		int rc;
		while ((rc = db_step(st, e)) == 1)
			if (db_col_int(st, 1))
				fn(ctx, db_col_text(st, 0), figure_sql[i].figure, db_col_int(st, 1));
		db_done(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static void sum_fn(void *ctx, const char *region_code, int figure, int64_t v)
{
	(void)region_code;
	((int64_t *)ctx)[figure] += v;
}

int orgs_summary(struct db *db, const struct actor *a, const char *from, const char *to,
		 json_t **out, struct err *e)
{
	int64_t f[ORGS_NFIGURES] = {0};
	*out = NULL;
	if (!from[0] || !calendar_date_valid(from))
		return err_set(e, 400, from[0] ? "invalid_value" : "required", "from",
			       "开始日期应为 YYYY-MM-DD");
	if (!to[0] || !calendar_date_valid(to))
		return err_set(e, 400, to[0] ? "invalid_value" : "required", "to",
			       "结束日期应为 YYYY-MM-DD");
	if (strcmp(from, to) > 0)
		return err_set(e, 400, "invalid_value", "to", "结束日期不能早于开始日期");
	if (orgs_figures(db, a, from, to, sum_fn, f, e) < 0)
		return -1;
	*out = json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "from", from, "to", to,
			 "engaged", (json_int_t)f[ORGS_ENGAGED], "mobilising",
			 (json_int_t)f[ORGS_MOBILISING], "volunteers",
			 (json_int_t)f[ORGS_VOLUNTEERS], "disinfected_m2",
			 (json_int_t)f[ORGS_AREA_M2], "disinfected_km2",
			 (json_int_t)orgs_km2(f[ORGS_AREA_M2]), "households_screened",
			 (json_int_t)f[ORGS_HOUSEHOLDS]);
	return *out ? 0 : err_oom(e);
}
