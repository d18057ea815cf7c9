/* staff_store.c — the staff module's records and counts: deployments (staff_schema.c) and the
 * counting rule of staff.h.
 *
 * Every read goes through scope_prepare() on the post's region code, so a deployment outside the
 * caller's scope is not found (404). Every write checks its input first, then writes its row
 * and its audit row in one transaction (or in the caller's, when one is open). */
#include "staff/staff.h"

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
	return err_set(e, 403, "forbidden", NULL, "您没有干部下沉管理权限");
}

static int not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在", what);
}

/* unmask needs registry.unmask; the read is audited. */
static int unmask_check(struct db *db, const struct actor *a, int unmask, const char *object,
			struct err *e)
{
	if (!unmask)
		return 0;
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", "unmask", "您没有查看完整个人信息的权限");
	return audit_record(db, a, "staff.unmask", object, "ok", NULL, e);
}

/* ---- deployments -------------------------------------------------------------------------- */

static int create_txn(struct db *db, const struct actor *a, const struct staff_deployment_in *in,
		      const char *phone, int64_t *out_id, struct err *e)
{
	char now[32];
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO staff_deployments(staff_no, name, phone, from_unit, post, region_code, "
	    "type, start_date, end_date, note, created_by, created_at) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->staff_no);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, phone);
	db_bind_text(st, 4, in->from_unit);
	db_bind_text(st, 5, in->post);
	db_bind_text(st, 6, in->region_code);
	db_bind_text(st, 7, in->type);
	db_bind_text(st, 8, in->start_date);
	db_bind_text(st, 9, in->end_date);
	db_bind_text(st, 10, in->note);
	db_bind_text(st, 11, a->username);
	db_bind_text(st, 12, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"type\":\"%s\",\"region_code\":\"%s\",\"start_date\":\"%s\",\"end_date\":\"%s\"}",
		 in->type, in->region_code, in->start_date, in->end_date);
	return audit_append_id(db, a, "staff.deploy", "staff_deployment", *out_id, detail, e);
}

int staff_deployment_create(struct db *db, const struct actor *a,
			    const struct staff_deployment_in *in, int64_t *out_id, struct err *e)
{
	char phone[24] = "";
	if (!actor_can(a, PERM_STAFF))
		return forbidden(e);
	if (text_check(in->staff_no, 20, 1, 0, "staff_no", "工号", e) < 0 ||
	    text_check(in->name, 30, 1, 0, "name", "姓名", e) < 0 ||
	    text_check(in->from_unit, 60, 1, 0, "from_unit", "原单位", e) < 0 ||
	    text_check(in->post, 60, 1, 0, "post", "派驻岗位", e) < 0 ||
	    text_check(in->note, 500, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (!in->type[0])
		return err_set(e, 400, "required", "type", "请选择类型");
	if (!staff_type_valid(in->type))
		return err_set(e, 400, "invalid_value", "type", "类型应为 seconded 或 front_line");
	if (staff_dates_check(in->start_date, in->end_date, e) < 0)
		return -1;
	if (in->phone[0] && phone_validate(in->phone, phone, e) < 0)
		return -1;
	if (regions_check_in_scope(db, &a->scope, in->region_code, "region_code", e) < 0)
		return -1;
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, create_txn(db, a, in, phone, out_id, e), e);
}

static int end_txn(struct db *db, const struct actor *a, int64_t id, const char *end_date,
		   struct err *e)
{
	struct db_stmt *st = scope_prepare(db, &a->scope,
				    "SELECT start_date, end_date FROM staff_deployments "
				    "WHERE id = ? AND ", "region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	char start[16] = "", end[16] = "";
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(start, sizeof start, db_col_text(st, 0));
		text_copy(end, sizeof end, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return not_found(e, "派驻记录");
	if (end[0])
		return err_set(e, 409, "already_ended", "end_date", "该派驻已于 %s 结束", end);
	if (!end_date || !end_date[0])
		return err_set(e, 400, "required", "end_date", "请填写结束日期");
	if (staff_dates_check(start, end_date, e) < 0)
		return -1;
	st = db_prepare(db, "UPDATE staff_deployments SET end_date = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, end_date);
	db_bind_int(st, 2, id);
	if (db_run(st, e) < 0)
		return -1;
	char detail[64];
	snprintf(detail, sizeof detail, "{\"end_date\":\"%.10s\"}", end_date);
	return audit_append_id(db, a, "staff.end", "staff_deployment", id, detail, e);
}

int staff_deployment_end(struct db *db, const struct actor *a, int64_t id, const char *end_date,
			 struct err *e)
{
	if (!actor_can(a, PERM_STAFF))
		return not_found(e, "派驻记录");
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, end_txn(db, a, id, end_date, e), e);
}

#define DEP_COLS                                                                                   \
	"d.id, d.staff_no, d.name, d.phone, d.from_unit, d.post, d.region_code, "                 \
	"coalesce(g.name, ''), d.type, d.start_date, d.end_date, d.note"
#define DEP_FROM "staff_deployments d LEFT JOIN regions g ON g.code = d.region_code"

static json_t *dep_row(struct db_stmt *st, int unmask)
{
	char m[128];
	const char *name = db_col_text(st, 2), *type = db_col_text(st, 8);
	const char *start = db_col_text(st, 9), *end = db_col_text(st, 10);
	text_mask_name(name, m, sizeof m);
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, "
			      "s:b}",
			      "id", (json_int_t)db_col_int(st, 0), "staff_no", db_col_text(st, 1),
			      "name", unmask ? name : m, "phone", paged_list_phone(db_col_text(st, 3), unmask),
			      "from_unit", db_col_text(st, 4), "post", db_col_text(st, 5),
			      "region_code", db_col_text(st, 6), "region_name", db_col_text(st, 7),
			      "type", type, "type_label", staff_type_label(type), "start_date", start,
			      "end_date", api_json_opt_str(end), "note", db_col_text(st, 11),
			      "masked", !unmask);
	if (o && end[0])
		json_object_set_new(o, "days", json_integer(calendar_days_from_date(end) -
							    calendar_days_from_date(start) + 1));
	else if (o)
		json_object_set_new(o, "days", json_null());
	return o;
}

static int dep_bind(struct db_stmt *st, int i, const void *query)
{
	const struct staff_query *q = query;
	db_bind_text(st, i++, q->type);
	db_bind_text(st, i++, q->type);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->region);
	db_bind_text(st, i++, q->on);
	db_bind_text(st, i++, q->on);
	db_bind_text(st, i++, q->on);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->to);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->from);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	db_bind_text(st, i++, q->q);
	return i;
}

static int query_check(const struct actor *a, const struct staff_query *q, struct err *e)
{
	int r = scope_region_filter(&a->scope, q->region, e);
	if (r < 0)
		return -1;
	if (r > 0)
		return err_set(e, 403, "out_of_scope", "region", "%.15s 不在您的管辖范围内", q->region);
	if (q->type[0] && !staff_type_valid(q->type))
		return err_set(e, 400, "invalid_value", "type", "类型应为 seconded 或 front_line");
	if (q->on[0] && !calendar_date_valid(q->on))
		return err_set(e, 400, "invalid_value", "on", "日期应为 YYYY-MM-DD");
	if (q->from[0] && !calendar_date_valid(q->from))
		return err_set(e, 400, "invalid_value", "from", "日期应为 YYYY-MM-DD");
	if (q->to[0] && !calendar_date_valid(q->to))
		return err_set(e, 400, "invalid_value", "to", "日期应为 YYYY-MM-DD");
	return 0;
}

int staff_deployment_list(struct db *db, const struct actor *a, const struct staff_query *q,
			  int unmask, json_t **out, struct err *e)
{
	*out = NULL;
	if (!actor_can(a, PERM_STAFF))
		return forbidden(e);
	if (query_check(a, q, e) < 0 || unmask_check(db, a, unmask, "staff:list", e) < 0)
		return -1;
	struct paged_list l = {
	    DEP_COLS, DEP_FROM, "d.region_code",
	    "AND (? = '' OR d.type = ?) AND (? = '' OR d.region_code LIKE ? || '%') "
	    "AND (? = '' OR (d.start_date <= ? AND (d.end_date = '' OR d.end_date >= ?))) "
	    "AND (? = '' OR d.start_date <= ?) AND (? = '' OR d.end_date = '' OR d.end_date >= ?) "
	    "AND (? = '' OR d.staff_no = ? OR d.name LIKE ? || '%')",
	    "d.start_date DESC, d.id DESC", dep_bind, dep_row, q, q->limit, q->offset, unmask};
	return paged_list_run(db, &a->scope, &l, out, e);
}

int staff_deployment_get(struct db *db, const struct actor *a, int64_t id, int unmask,
			 json_t **out, struct err *e)
{
	char object[48];
	*out = NULL;
	if (!actor_can(a, PERM_STAFF))
		return not_found(e, "派驻记录");
	struct db_stmt *st = scope_prepare(db, &a->scope, "SELECT " DEP_COLS " FROM " DEP_FROM
				    " WHERE d.id = ? AND ", "d.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	json_t *o = rc == 1 ? dep_row(st, unmask) : NULL;
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return not_found(e, "派驻记录");
	snprintf(object, sizeof object, "staff_deployment:%" PRId64, id);
	if (unmask_check(db, a, unmask, object, e) < 0) {
		json_decref(o);
		return -1;
	}
	*out = o;
	return o ? 0 : err_oom(e);
}

/* ---- counts ------------------------------------------------------------------------------- */

int staff_count(struct db *db, const struct actor *a, const char *from, const char *to,
		const char *prefix, int64_t out[STAFF_NFIGURES], struct err *e)
{
	out[STAFF_SECONDED] = out[STAFF_FRONT_LINE] = 0;
	if (!actor_can(a, PERM_STAFF))
		return forbidden(e);
	struct db_stmt *st = scope_prepare(db, &a->scope,
				    "SELECT type, count(DISTINCT staff_no) FROM staff_deployments "
				    "WHERE start_date <= ? AND (end_date = '' OR end_date >= ?) AND "
				    "region_code LIKE ? || '%' AND ",
				    "region_code", " GROUP BY type", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, from);
	db_bind_text(st, 3, prefix ? prefix : "");
	scope_bind(st, &a->scope, 4);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		out[strcmp(db_col_text(st, 0), "seconded") == 0 ? STAFF_SECONDED : STAFF_FRONT_LINE] =
		    db_col_int(st, 1);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int staff_summary(struct db *db, const struct actor *a, const char *from, const char *to,
		  json_t **out, struct err *e)
{
	int64_t f[STAFF_NFIGURES] = {0};
	*out = NULL;
	if (!from[0] || !calendar_date_valid(from))
		return err_set(e, 400, from[0] ? "invalid_value" : "required", "from",
			       "开始日期应为 YYYY-MM-DD");
	if (!to[0] || !calendar_date_valid(to))
		return err_set(e, 400, to[0] ? "invalid_value" : "required", "to",
			       "结束日期应为 YYYY-MM-DD");
	if (strcmp(from, to) > 0)
		return err_set(e, 400, "invalid_value", "to", "结束日期不能早于开始日期");
	if (staff_count(db, a, from, to, "", f, e) < 0)
		return -1;
	*out = json_pack("{s:s, s:s, s:I, s:I}", "from", from, "to", to, "seconded",
			 (json_int_t)f[STAFF_SECONDED], "front_line", (json_int_t)f[STAFF_FRONT_LINE]);
	return *out ? 0 : err_oom(e);
}
