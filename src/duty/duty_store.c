/* duty_store.c — rosters, shifts, shift reports, handovers and the "on duty now" view (see
 * duty.h).
 *
 * How it works:
 * - Every read of a roster, shift, report or handover appends scope_sql() for the roster's
 *   region code (shifts and handovers carry a copy of it), so a record outside the caller's
 *   scope is simply not found: 404, also for a write naming it.
 * - "Now" is the bureau's wall clock (core/clock.h) cut to the minute; a shift has begun when
 *   its start is not after now. Times are compared as "YYYY-MM-DDTHH:MM" text, which sorts as
 *   the instants do; the rules (duty_rules.c) do the arithmetic in minutes.
 * - Every write is one transaction with its audit row; a read that unmasks phones is one write
 *   transaction too (the read and its audit row).
 */
#include "duty/duty.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/phone.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "policy/policy.h"
#include "regions/regions.h"

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int can_read(const struct actor *a)
{
	return actor_can(a, PERM_DUTY) || actor_can(a, PERM_INSTITUTION_READ);
}

static int roster_not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "值班表不存在或不在您的管辖范围内");
}

static int shift_not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "值班班次不存在或不在您的管辖范围内");
}

static int write_denied(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您的角色无权编排值班或填写值班记录");
}

/* The local wall clock, minutes. */
static int64_t now_minutes(void)
{
	char iso[32];
	int64_t m = 0;
	clock_now_iso(iso);
	iso[16] = '\0';
	duty_time_parse(iso, &m);
	return m;
}

static int begin_write(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_write(db, e) < 0 ? -1 : 1;
}

static int end_write(struct db *db, int began, int rc, struct err *e)
{
	if (began != 1)
		return rc;
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e) < 0 ? -1 : 0;
}

/* A read that writes its audit row (an unmask): always its own write transaction, which ends a
 * read transaction the router may have opened for the GET (a read cannot be upgraded). */
static int begin_audited(struct db *db, struct err *e)
{
	return db_begin_write(db, e) < 0 ? -1 : 1;
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

static int audit_json(struct db *db, const struct actor *a, const char *action, const char *kind,
		      int64_t id, json_t *detail, struct err *e)
{
	char object[48];
	snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
	char *text = detail ? json_dumps(detail, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(detail);
	int rc = audit_append(db, a, action, object, "ok", text, e);
	free(text);
	return rc;
}

static void mask_phone(char phone[24])
{
	char m[24];
	if (!phone[0])
		return;
	phone_mask(phone, m);
	text_copy(phone, 24, m);
}

/* Prepare literal SQL with the scope condition for col appended (after "... AND "). */
static struct db_stmt *prepare_scoped(struct db *db, const struct actor *a, const char *head,
				      const char *col, const char *tail, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_stmt *st = NULL;
	if (strbuf_addstr(&sql, head) < 0 || scope_sql(&sql, &a->scope, col) < 0 ||
	    strbuf_addstr(&sql, tail ? tail : "") < 0)
		err_oom(e);
	else
		st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	return st;
}

static int region_filter(const struct actor *a, const char *region, struct err *e)
{
	int rc = scope_region_filter(&a->scope, region, e);
	if (rc > 0)
		return err_set(e, 403, "out_of_scope", "region", "区划 %s 不在您的管辖范围内", region);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* rosters                                                                                    */
/* ------------------------------------------------------------------------------------------ */

#define ROSTER_COLS                                                                              \
	"o.id, o.unit_kind, o.region_code, coalesce(g.name, ''), coalesce(o.institution_id, 0), "  \
	"o.name, o.duty_phone, o.note, o.created_at, o.created_by, o.updated_at"
#define ROSTER_FROM " FROM duty_rosters o LEFT JOIN regions g ON g.code = o.region_code "

static void roster_read(struct db_stmt *st, int c, struct duty_roster *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, c++);
	text_copy(r->unit_kind, sizeof r->unit_kind, db_col_text(st, c++));
	text_copy(r->region_code, sizeof r->region_code, db_col_text(st, c++));
	text_copy(r->region_name, sizeof r->region_name, db_col_text(st, c++));
	r->institution_id = db_col_int(st, c++);
	text_copy(r->name, sizeof r->name, db_col_text(st, c++));
	text_copy(r->duty_phone, sizeof r->duty_phone, db_col_text(st, c++));
	text_copy(r->note, sizeof r->note, db_col_text(st, c++));
	text_copy(r->created_at, sizeof r->created_at, db_col_text(st, c++));
	text_copy(r->created_by, sizeof r->created_by, db_col_text(st, c++));
	text_copy(r->updated_at, sizeof r->updated_at, db_col_text(st, c++));
}

/* The roster in scope: 1, 0 not found, -1. */
static int roster_load(struct db *db, const struct actor *a, int64_t id, struct duty_roster *r,
		       struct err *e)
{
	struct db_stmt *st = prepare_scoped(db, a, "SELECT " ROSTER_COLS ROSTER_FROM
						      "WHERE o.id = ? AND ", "o.region_code", NULL, e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		roster_read(st, 0, r);
	db_done(st);
	return rc;
}

/* The institution's name and region from the institutions registry: 1 found, 2 the registry has
 * no such institution, 0 there is no registry in this database, -1 on error. Only its columns id,
 * name, region_code are relied on (no foreign key: that module owns its schema). */
static int institution_lookup(struct db *db, int64_t id, char name[DUTY_NAME_SZ], char region[16],
			      struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
					    "AND name = 'institutions'", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	db_done(st);
	if (rc <= 0)
		return rc;
	if (!(st = db_prepare(db, "SELECT name, region_code FROM institutions WHERE id = ?", e)))
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1) {
		text_copy(name, DUTY_NAME_SZ, db_col_text(st, 0));
		text_copy(region, 16, db_col_text(st, 1));
	}
	db_done(st);
	return rc == 0 ? 2 : rc;
}

static int roster_check(struct db *db, const struct actor *a, const struct duty_roster *in,
			struct duty_roster *v, struct err *e)
{
	*v = *in;
	static const struct {
		const char *kind;
		size_t len;
	} kinds[] = {{"city", 4}, {"county", 6}, {"township", 9}, {"institution", 0}};
	size_t want = 99;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(in->unit_kind, kinds[i].kind) == 0)
			want = kinds[i].len;
	if (want == 99)
		return err_set(e, 400, in->unit_kind[0] ? "invalid_value" : "required", "unit_kind",
			       "单位类型应为 city（市）、county（县区）、township（镇街）或 "
			       "institution（机构）");
	if (want == 0 && in->institution_id > 0) {
		char name[DUTY_NAME_SZ] = "", region[16] = "";
		int found = institution_lookup(db, in->institution_id, name, region, e);
		if (found < 0)
			return -1;
		if (found == 2)
			return err_set(e, 400, "invalid_value", "institution_id",
				       "机构登记中没有编号为 %lld 的机构", (long long)in->institution_id);
		if (found == 1) {
			text_copy(v->name, sizeof v->name, name);
			text_copy(v->region_code, sizeof v->region_code, region);
		}
	}
	struct region r;
	struct err ignore;
	if (!v->region_code[0])
		return err_set(e, 400, "required", "region_code", "请填写单位的区划代码");
	if (regions_get(db, v->region_code, &r, &ignore) < 0 ||
	    (want && strlen(v->region_code) != want) || (!want && r.level < REGIONS_COUNTY))
		return err_set(e, 400, "invalid_region", "region_code",
			       "区划代码 %.15s 与单位类型不符（市 4 位、县区 6 位、镇街 9 位，机构为县级或以下）",
			       v->region_code);
	if (!scope_contains(&a->scope, v->region_code))
		return err_set(e, 403, "out_of_scope", "region_code", "区划 %.15s 不在您的管辖范围内",
			       v->region_code);
	if (want == 0) {
		if (text_check(v->name, DUTY_NAME_CHARS, 1, 0, "name", "机构名称", e) < 0)
			return -1;
	} else if (text_blank(v->name)) {
		snprintf(v->name, sizeof v->name, "%s值班", r.name);
	} else if (text_check(v->name, DUTY_NAME_CHARS, 1, 0, "name", "值班表名称", e) < 0) {
		return -1;
	}
	if (want)
		v->institution_id = 0;
	if (text_check(v->note, DUTY_TEXT_CHARS, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (v->duty_phone[0] && phone_validate(in->duty_phone, v->duty_phone, e) < 0) {
		snprintf(e->field, sizeof e->field, "duty_phone");
		return -1;
	}
	return 0;
}

int duty_roster_create(struct db *db, const struct actor *a, const struct duty_roster *in,
		       int64_t *id, struct err *e)
{
	struct duty_roster *v = malloc(sizeof *v);
	char now[32];
	int rc = -1, began;
	if (!v)
		return err_oom(e);
	if (!actor_can(a, PERM_DUTY)) {
		write_denied(e);
		goto out;
	}
	if ((began = begin_write(db, e)) < 0)
		goto out;
	if (roster_check(db, a, in, v, e) < 0)
		goto end;
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO duty_rosters (unit_kind, region_code, "
					    "institution_id, name, duty_phone, note, created_at, "
					    "created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
					e);
	if (!st)
		goto end;
	db_bind_text(st, 1, v->unit_kind);
	db_bind_text(st, 2, v->region_code);
	if (v->institution_id > 0)
		db_bind_int(st, 3, v->institution_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, v->name);
	db_bind_text(st, 5, v->duty_phone);
	db_bind_text(st, 6, v->note);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, a->username);
	db_bind_text(st, 9, now);
	if (db_run(st, e) < 0) {
		if (strcmp(e->code, "conflict") == 0)
			err_set(e, 409, "conflict", "region_code", "该单位已有值班表");
		goto end;
	}
	*id = db_last_id(db);
	rc = audit_json(db, a, "duty.roster", "duty_roster", *id,
			json_pack("{s:s, s:s, s:s, s:s}", "change", "create", "unit_kind",
				  v->unit_kind, "region_code", v->region_code, "name", v->name),
			e);
end:
	rc = end_write(db, began, rc, e);
out:
	free(v);
	return rc;
}

int duty_roster_update(struct db *db, const struct actor *a, int64_t id,
		       const struct duty_roster_patch *p, struct err *e)
{
	struct duty_roster r;
	char phone[24] = "", now[32];
	int rc = -1, began, found;
	if (!can_read(a))
		return roster_not_found(e);
	if ((began = begin_write(db, e)) < 0)
		return -1;
	if ((found = roster_load(db, a, id, &r, e)) <= 0) {
		if (found == 0)
			roster_not_found(e);
		goto end;
	}
	if (!actor_can(a, PERM_DUTY)) {
		write_denied(e);
		goto end;
	}
	if ((p->has_name && text_check(p->name, DUTY_NAME_CHARS, 1, 0, "name", "值班表名称", e) < 0) ||
	    (p->has_note && text_check(p->note, DUTY_TEXT_CHARS, 0, 1, "note", "备注", e) < 0))
		goto end;
	if (p->has_phone && p->duty_phone[0] && phone_validate(p->duty_phone, phone, e) < 0) {
		snprintf(e->field, sizeof e->field, "duty_phone");
		goto end;
	}
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE duty_rosters SET name = CASE WHEN ?1 THEN ?2 ELSE name END, "
	    "duty_phone = CASE WHEN ?3 THEN ?4 ELSE duty_phone END, "
	    "note = CASE WHEN ?5 THEN ?6 ELSE note END, updated_at = ?7 WHERE id = ?8",
	    e);
	if (!st)
		goto end;
	db_bind_int(st, 1, p->has_name);
	db_bind_text(st, 2, p->name);
	db_bind_int(st, 3, p->has_phone);
	db_bind_text(st, 4, phone);
	db_bind_int(st, 5, p->has_note);
	db_bind_text(st, 6, p->note);
	db_bind_text(st, 7, now);
	db_bind_int(st, 8, id);
	if (db_run(st, e) < 0)
		goto end;
	rc = audit_json(db, a, "duty.roster", "duty_roster", id,
			json_pack("{s:s, s:b, s:b, s:b}", "change", "update", "name", p->has_name,
				  "duty_phone", p->has_phone, "note", p->has_note),
			e);
end:
	return end_write(db, began, rc, e);
}

int duty_roster_get(struct db *db, const struct actor *a, int64_t id, struct duty_roster *out,
		    struct err *e)
{
	if (!can_read(a))
		return roster_not_found(e);
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int found = roster_load(db, a, id, out, e);
	end_read(db, began);
	if (found == 0)
		return roster_not_found(e);
	return found < 0 ? -1 : 0;
}

void duty_roster_page_release(struct duty_roster_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

#define ROSTER_WHERE                                                                             \
	"(?1 = '' OR o.unit_kind = ?1) AND o.region_code >= ?2 AND o.region_code < ?3 AND "

int duty_roster_list(struct db *db, const struct actor *a, const struct duty_roster_query *q,
		     struct duty_roster_page *out, struct err *e)
{
	int limit = q->limit ? q->limit : 100, rc = -1, began, alloc = 0;
	memset(out, 0, sizeof *out);
	if (!can_read(a))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看值班表");
	if (limit < 1 || limit > DUTY_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–%d", DUTY_PAGE_MAX);
	if (q->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	if (q->kind[0] && strcmp(q->kind, "city") != 0 && strcmp(q->kind, "county") != 0 &&
	    strcmp(q->kind, "township") != 0 && strcmp(q->kind, "institution") != 0)
		return err_set(e, 400, "invalid_value", "kind",
			       "kind 应为 city、county、township 或 institution");
	if (region_filter(a, q->region, e) < 0)
		return -1;
	if ((began = begin_read(db, e)) < 0)
		return -1;
	struct db_stmt *st = prepare_scoped(db, a, "SELECT count(*) FROM duty_rosters o WHERE "
						      ROSTER_WHERE, "o.region_code", NULL, e);
	if (!st)
		goto out;
	db_bind_text(st, 1, q->kind);
	scope_bind(st, &a->scope, scope_bind_prefix(st, q->region, 2));
	int r = db_step(st, e);
	out->total = r == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (r < 0)
		goto out;
	st = prepare_scoped(db, a, "SELECT " ROSTER_COLS ROSTER_FROM "WHERE " ROSTER_WHERE,
			    "o.region_code", " ORDER BY o.region_code, o.unit_kind, o.id LIMIT ? OFFSET ?",
			    e);
	if (!st)
		goto out;
	db_bind_text(st, 1, q->kind);
	int next = scope_bind(st, &a->scope, scope_bind_prefix(st, q->region, 2));
	db_bind_int(st, next, limit);
	db_bind_int(st, next + 1, q->offset);
	while ((r = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			r = err_oom(e);
			break;
		}
		roster_read(st, 0, &out->items[out->n++]);
	}
	db_done(st);
	if (r < 0)
		goto out;
	rc = 0;
out:
	end_read(db, began);
	if (rc < 0)
		duty_roster_page_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* shifts                                                                                     */
/* ------------------------------------------------------------------------------------------ */

#define SHIFT_COLS                                                                               \
	"s.id, s.roster_id, s.region_code, s.post, s.person_name, s.phone, s.start_at, s.end_at, " \
	"s.note, coalesce(p.kind, ''), coalesce(p.events, ''), coalesce(p.reported_at, ''), "     \
	"coalesce(p.reported_by, ''), coalesce(h.id, 0), coalesce(h.to_shift_id, 0), "            \
	"coalesce(h.notes, ''), coalesce(h.handed_at, '')"
#define SHIFT_FROM                                                                               \
	" FROM duty_shifts s LEFT JOIN duty_reports p ON p.shift_id = s.id "                      \
	"LEFT JOIN duty_handovers h ON h.from_shift_id = s.id "

static void shift_read(struct db_stmt *st, struct duty_shift *s)
{
	int c = 0;
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, c++);
	s->roster_id = db_col_int(st, c++);
	text_copy(s->region_code, sizeof s->region_code, db_col_text(st, c++));
	text_copy(s->post, sizeof s->post, db_col_text(st, c++));
	text_copy(s->person_name, sizeof s->person_name, db_col_text(st, c++));
	text_copy(s->phone, sizeof s->phone, db_col_text(st, c++));
	text_copy(s->start_at, sizeof s->start_at, db_col_text(st, c++));
	text_copy(s->end_at, sizeof s->end_at, db_col_text(st, c++));
	text_copy(s->note, sizeof s->note, db_col_text(st, c++));
	text_copy(s->report_kind, sizeof s->report_kind, db_col_text(st, c++));
	text_copy(s->report_events, sizeof s->report_events, db_col_text(st, c++));
	text_copy(s->reported_at, sizeof s->reported_at, db_col_text(st, c++));
	text_copy(s->reported_by, sizeof s->reported_by, db_col_text(st, c++));
	s->handover_id = db_col_int(st, c++);
	s->handed_to = db_col_int(st, c++);
	text_copy(s->handover_notes, sizeof s->handover_notes, db_col_text(st, c++));
	text_copy(s->handed_at, sizeof s->handed_at, db_col_text(st, c++));
}

static int shift_load(struct db *db, const struct actor *a, int64_t id, struct duty_shift *s,
		      struct err *e)
{
	struct db_stmt *st = prepare_scoped(db, a, "SELECT " SHIFT_COLS SHIFT_FROM
						      "WHERE s.id = ? AND ", "s.region_code", NULL, e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		shift_read(st, s);
	db_done(st);
	return rc;
}

/* The unit whose policy applies to a roster's region: its management unit, or the region
 * itself for the city. */
static void policy_unit(struct db *db, const char *region, char out[16])
{
	struct region r;
	struct err ignore;
	text_copy(out, 16, region);
	if (regions_get(db, region, &r, &ignore) == 0 && r.unit_code[0])
		text_copy(out, 16, r.unit_code);
}

static int shift_check(struct db *db, const struct duty_roster *r, const struct duty_shift *in,
		       struct duty_shift *v, int64_t *start, int64_t *end, struct err *e)
{
	memset(v, 0, sizeof *v);
	if (strcmp(in->post, "leader") != 0 && strcmp(in->post, "officer") != 0)
		return err_set(e, 400, in->post[0] ? "invalid_value" : "required", "post",
			       "岗位应为 leader（带班领导）或 officer（值班员）");
	text_copy(v->post, sizeof v->post, in->post);
	if (text_check(in->person_name, DUTY_NAME_CHARS, 1, 0, "person_name", "值班人员姓名", e) < 0 ||
	    text_check(in->note, DUTY_TEXT_CHARS, 0, 1, "note", "备注", e) < 0)
		return -1;
	text_copy(v->person_name, sizeof v->person_name, in->person_name);
	text_copy(v->note, sizeof v->note, in->note);
	if (!in->phone[0])
		return err_set(e, 400, "required", "phone", "请填写值班人员的联系电话");
	if (phone_validate(in->phone, v->phone, e) < 0)
		return -1;
	if (duty_time_parse(in->start_at, start) < 0)
		return err_set(e, 400, in->start_at[0] ? "invalid_value" : "required", "start_at",
			       "开始时间应为 YYYY-MM-DDTHH:MM 格式的有效时间，如 2020-02-01T08:00");
	if (duty_time_parse(in->end_at, end) < 0)
		return err_set(e, 400, in->end_at[0] ? "invalid_value" : "required", "end_at",
			       "结束时间应为 YYYY-MM-DDTHH:MM 格式的有效时间，如 2020-02-01T20:00");
	if (*end <= *start)
		return err_set(e, 400, "invalid_value", "end_at",
			       "结束时间应晚于开始时间（跨夜的班次结束于次日）");
	char unit[16], month[8];
	int64_t max_days;
	duty_time_format(*start, v->start_at);
	duty_time_format(*end, v->end_at);
	policy_unit(db, r->region_code, unit);
	text_copy(month, sizeof month, v->start_at);
	if (policy_value(db, unit, "all", "duty_shift_max_days", month, &max_days, e) < 0)
		return -1;
	if (*end - *start > max_days * 1440)
		return err_set(e, 400, "invalid_value", "end_at", "一个班次最长 %lld 天（%lld 小时）",
			       (long long)max_days, (long long)max_days * 24);
	return 0;
}

int duty_shift_add(struct db *db, const struct actor *a, int64_t roster_id,
		   const struct duty_shift *in, int64_t *id, struct err *e)
{
	struct duty_roster r;
	struct duty_shift *v = malloc(sizeof *v);
	int64_t start, end;
	char now[32];
	int rc = -1, began, found;
	if (!v)
		return err_oom(e);
	if (!can_read(a)) {
		roster_not_found(e);
		goto out;
	}
	if ((began = begin_write(db, e)) < 0)
		goto out;
	if ((found = roster_load(db, a, roster_id, &r, e)) <= 0) {
		if (found == 0)
			roster_not_found(e);
		goto end;
	}
	if (!actor_can(a, PERM_DUTY)) {
		write_denied(e);
		goto end;
	}
	if (shift_check(db, &r, in, v, &start, &end, e) < 0)
		goto end;
	/* the same person twice at once in the same roster */
	struct db_stmt *st = db_prepare(db, "SELECT start_at, end_at FROM duty_shifts WHERE "
					    "roster_id = ? AND person_name = ? AND phone = ? AND "
					    "start_at < ? AND end_at > ? LIMIT 1", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, roster_id);
	db_bind_text(st, 2, v->person_name);
	db_bind_text(st, 3, v->phone);
	db_bind_text(st, 4, v->end_at);
	db_bind_text(st, 5, v->start_at);
	int clash = db_step(st, e);
	if (clash == 1)
		err_set(e, 409, "shift_overlap", "start_at", "%s 在 %s 至 %s 已有班次", v->person_name,
			db_col_text(st, 0), db_col_text(st, 1));
	db_done(st);
	if (clash != 0)
		goto end;
	clock_now_iso(now);
	st = db_prepare(db, "INSERT INTO duty_shifts (roster_id, region_code, post, person_name, "
			    "phone, start_at, end_at, note, created_at, created_by) VALUES "
			    "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, roster_id);
	db_bind_text(st, 2, r.region_code);
	db_bind_text(st, 3, v->post);
	db_bind_text(st, 4, v->person_name);
	db_bind_text(st, 5, v->phone);
	db_bind_text(st, 6, v->start_at);
	db_bind_text(st, 7, v->end_at);
	db_bind_text(st, 8, v->note);
	db_bind_text(st, 9, now);
	db_bind_text(st, 10, a->username);
	if (db_run(st, e) < 0)
		goto end;
	*id = db_last_id(db);
	rc = audit_json(db, a, "duty.shift", "duty_shift", *id,
			json_pack("{s:I, s:s, s:s, s:s}", "roster_id", (json_int_t)roster_id, "post",
				  v->post, "start_at", v->start_at, "end_at", v->end_at),
			e);
end:
	rc = end_write(db, began, rc, e);
out:
	free(v);
	return rc;
}

int duty_shift_delete(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	struct duty_shift *s = malloc(sizeof *s);
	char now[DUTY_TIME_SZ];
	int rc = -1, began, found;
	if (!s)
		return err_oom(e);
	if (!can_read(a)) {
		shift_not_found(e);
		goto out;
	}
	if ((began = begin_write(db, e)) < 0)
		goto out;
	if ((found = shift_load(db, a, id, s, e)) <= 0) {
		if (found == 0)
			shift_not_found(e);
		goto end;
	}
	if (!actor_can(a, PERM_DUTY)) {
		write_denied(e);
		goto end;
	}
	duty_time_format(now_minutes(), now);
	if (strcmp(s->start_at, now) <= 0 || s->report_kind[0] || s->handover_id) {
		err_set(e, 409, "shift_started", NULL, "班次已开始（%s），不能删除", s->start_at);
		goto end;
	}
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM duty_handovers WHERE to_shift_id = ?", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, id);
	int used = db_step(st, e);
	db_done(st);
	if (used != 0) {
		if (used == 1)
			err_set(e, 409, "shift_started", NULL, "已有班次交接给该班次，不能删除");
		goto end;
	}
	if (!(st = db_prepare(db, "DELETE FROM duty_shifts WHERE id = ?", e)))
		goto end;
	db_bind_int(st, 1, id);
	if (db_run(st, e) < 0)
		goto end;
	rc = audit_json(db, a, "duty.shift.delete", "duty_shift", id,
			json_pack("{s:I, s:s, s:s}", "roster_id", (json_int_t)s->roster_id,
				  "start_at", s->start_at, "end_at", s->end_at),
			e);
end:
	rc = end_write(db, began, rc, e);
out:
	free(s);
	return rc;
}

static int unmask_check(const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", NULL, "您没有查看完整电话号码的权限");
	return 0;
}

int duty_shift_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		   struct duty_shift *out, struct err *e)
{
	int began, found, rc = -1;
	if (!can_read(a))
		return shift_not_found(e);
	if ((began = unmask ? begin_audited(db, e) : begin_read(db, e)) < 0)
		return -1;
	if ((found = shift_load(db, a, id, out, e)) <= 0) {
		if (found == 0)
			shift_not_found(e);
		goto end;
	}
	if (unmask) {
		if (unmask_check(a, e) < 0)
			goto end;
		rc = audit_json(db, a, "duty.unmask", "duty_shift", id, NULL, e);
	} else {
		mask_phone(out->phone);
		rc = 0;
	}
end:
	if (unmask)
		return end_write(db, began, rc, e);
	end_read(db, began);
	return rc;
}

static int check_period(int64_t from, int64_t to, struct err *e)
{
	if (to <= from)
		return err_set(e, 400, "invalid_value", "to", "结束时间应晚于开始时间");
	if (to - from > 366LL * 1440)
		return err_set(e, 400, "invalid_value", "to", "查询期间最长 366 天");
	return 0;
}

int duty_shifts(struct db *db, const struct actor *a, int64_t roster_id, int64_t from, int64_t to,
		int64_t at, int unmask, struct duty_shift **out, int *n, struct err *e)
{
	struct duty_roster r;
	char f[DUTY_TIME_SZ], t[DUTY_TIME_SZ];
	int began, found, rc = -1, alloc = 0;
	*out = NULL;
	*n = 0;
	if (!can_read(a))
		return roster_not_found(e);
	if (check_period(from, to, e) < 0)
		return -1;
	if ((began = unmask ? begin_audited(db, e) : begin_read(db, e)) < 0)
		return -1;
	if ((found = roster_load(db, a, roster_id, &r, e)) <= 0) {
		if (found == 0)
			roster_not_found(e);
		goto end;
	}
	if (unmask && unmask_check(a, e) < 0)
		goto end;
	duty_time_format(from, f);
	duty_time_format(to, t);
	struct db_stmt *st = db_prepare(db, "SELECT " SHIFT_COLS SHIFT_FROM
					    "WHERE s.roster_id = ? AND s.start_at < ? AND "
					    "s.end_at > ? ORDER BY s.start_at, s.post, s.id", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, roster_id);
	db_bind_text(st, 2, t);
	db_bind_text(st, 3, f);
	int s;
	while ((s = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 32) < 0) {
			s = err_oom(e);
			break;
		}
		struct duty_shift *x = &(*out)[(*n)++];
		shift_read(st, x);
		int64_t xs, xe;
		if (at >= 0 && duty_time_parse(x->start_at, &xs) == 0 &&
		    duty_time_parse(x->end_at, &xe) == 0)
			x->on_duty = duty_on_duty(xs, xe, at);
		if (!unmask)
			mask_phone(x->phone);
	}
	db_done(st);
	if (s < 0)
		goto end;
	rc = unmask ? audit_json(db, a, "duty.unmask", "duty_roster", roster_id,
				 json_pack("{s:s, s:s, s:i}", "from", f, "to", t, "shifts", *n), e)
		    : 0;
end:
	if (unmask)
		rc = end_write(db, began, rc, e);
	else
		end_read(db, began);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

int duty_roster_coverage(struct db *db, const struct actor *a, int64_t roster_id, int64_t from,
			 int64_t to, struct duty_coverage *out, struct err *e)
{
	struct duty_roster r;
	struct duty_span *spans = NULL;
	char f[DUTY_TIME_SZ], t[DUTY_TIME_SZ];
	int began, found, rc = -1, n = 0, alloc = 0;
	memset(out, 0, sizeof *out);
	if (!can_read(a))
		return roster_not_found(e);
	if (check_period(from, to, e) < 0)
		return -1;
	if ((began = begin_read(db, e)) < 0)
		return -1;
	if ((found = roster_load(db, a, roster_id, &r, e)) <= 0) {
		if (found == 0)
			roster_not_found(e);
		goto end;
	}
	duty_time_format(from, f);
	duty_time_format(to, t);
	struct db_stmt *st = db_prepare(db, "SELECT start_at, end_at FROM duty_shifts WHERE "
					    "roster_id = ? AND post = 'officer' AND start_at < ? AND "
					    "end_at > ?", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, roster_id);
	db_bind_text(st, 2, t);
	db_bind_text(st, 3, f);
	int s;
	while ((s = db_step(st, e)) == 1) {
		if (array_grow(&spans, n, &alloc, sizeof *spans, 64) < 0) {
			s = err_oom(e);
			break;
		}
		if (duty_time_parse(db_col_text(st, 0), &spans[n].start) == 0 &&
		    duty_time_parse(db_col_text(st, 1), &spans[n].end) == 0)
			n++;
	}
	db_done(st);
	if (s < 0)
		goto end;
	rc = duty_coverage_compute(spans, n, from, to, out) < 0 ? err_oom(e) : 0;
end:
	end_read(db, began);
	free(spans);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* reports and handovers                                                                      */
/* ------------------------------------------------------------------------------------------ */

int duty_shift_report(struct db *db, const struct actor *a, int64_t shift_id, int zero,
		      const char *events, struct err *e)
{
	struct duty_shift *s = malloc(sizeof *s);
	char now[32], nowm[DUTY_TIME_SZ];
	int rc = -1, began, found;
	if (!s)
		return err_oom(e);
	if (!can_read(a)) {
		shift_not_found(e);
		goto out;
	}
	if ((began = begin_write(db, e)) < 0)
		goto out;
	if ((found = shift_load(db, a, shift_id, s, e)) <= 0) {
		if (found == 0)
			shift_not_found(e);
		goto end;
	}
	if (!actor_can(a, PERM_DUTY)) {
		write_denied(e);
		goto end;
	}
	duty_time_format(now_minutes(), nowm);
	if (strcmp(s->start_at, nowm) > 0) {
		err_set(e, 409, "shift_not_started", NULL, "班次尚未开始（%s），不能报告", s->start_at);
		goto end;
	}
	if (s->report_kind[0]) {
		err_set(e, 409, "already_reported", NULL, "该班次已于 %s 报告", s->reported_at);
		goto end;
	}
	if (zero && !text_blank(events)) {
		err_set(e, 400, "invalid_value", "events", "零报告不能填写事件；有事件请填写值班情况");
		goto end;
	}
	if (!zero && text_check(events, DUTY_TEXT_CHARS, 1, 1, "events", "值班期间发生的情况", e) < 0)
		goto end;
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO duty_reports (shift_id, kind, events, "
					    "reported_at, reported_by) VALUES (?, ?, ?, ?, ?)", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, shift_id);
	db_bind_text(st, 2, zero ? "zero" : "events");
	db_bind_text(st, 3, zero ? "" : events);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, a->username);
	if (db_run(st, e) < 0)
		goto end;
	rc = audit_json(db, a, "duty.report", "duty_shift", shift_id,
			json_pack("{s:s}", "kind", zero ? "zero" : "events"), e);
end:
	rc = end_write(db, began, rc, e);
out:
	free(s);
	return rc;
}

int duty_handover(struct db *db, const struct actor *a, int64_t shift_id, int64_t to_shift_id,
		  const char *notes, const char *at, int64_t *id, struct err *e)
{
	struct duty_shift *s = calloc(2, sizeof *s), *to;
	char now[32], nowm[DUTY_TIME_SZ], when[DUTY_TIME_SZ];
	int rc = -1, began, found;
	if (!s)
		return err_oom(e);
	to = &s[1];
	if (!can_read(a)) {
		shift_not_found(e);
		goto out;
	}
	if ((began = begin_write(db, e)) < 0)
		goto out;
	if ((found = shift_load(db, a, shift_id, s, e)) <= 0) {
		if (found == 0)
			shift_not_found(e);
		goto end;
	}
	if (!actor_can(a, PERM_DUTY)) {
		write_denied(e);
		goto end;
	}
	duty_time_format(now_minutes(), nowm);
	if (strcmp(s->start_at, nowm) > 0) {
		err_set(e, 409, "shift_not_started", NULL, "班次尚未开始（%s），不能交班", s->start_at);
		goto end;
	}
	if (s->handover_id) {
		err_set(e, 409, "already_handed_over", NULL, "该班次已于 %s 交班", s->handed_at);
		goto end;
	}
	if (to_shift_id <= 0) {
		err_set(e, 400, "required", "to_shift_id", "请选择接班的班次");
		goto end;
	}
	if ((found = shift_load(db, a, to_shift_id, to, e)) < 0)
		goto end;
	if (!found || to->roster_id != s->roster_id || strcmp(to->post, s->post) != 0 ||
	    strcmp(to->start_at, s->end_at) > 0 || strcmp(to->end_at, s->end_at) <= 0) {
		err_set(e, 400, "invalid_value", "to_shift_id",
			"接班班次应为同一值班表、同一岗位的下一班（不晚于本班结束时开始，且在本班结束后结束）");
		goto end;
	}
	if (text_check(notes, DUTY_TEXT_CHARS, 0, 1, "notes", "交接事项", e) < 0)
		goto end;
	if (!at || !*at) {
		text_copy(when, sizeof when, nowm);
	} else {
		int64_t m;
		if (duty_time_parse(at, &m) < 0) {
			err_set(e, 400, "invalid_value", "at", "交班时间应为 YYYY-MM-DDTHH:MM 格式的有效时间");
			goto end;
		}
		duty_time_format(m, when);
		if (strcmp(when, s->start_at) < 0 || strcmp(when, nowm) > 0) {
			err_set(e, 400, "invalid_value", "at", "交班时间应在本班开始（%s）之后、不晚于现在",
				s->start_at);
			goto end;
		}
	}
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO duty_handovers (from_shift_id, to_shift_id, "
					    "roster_id, region_code, handed_at, notes, created_at, "
					    "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		goto end;
	db_bind_int(st, 1, shift_id);
	db_bind_int(st, 2, to_shift_id);
	db_bind_int(st, 3, s->roster_id);
	db_bind_text(st, 4, s->region_code);
	db_bind_text(st, 5, when);
	db_bind_text(st, 6, notes ? notes : "");
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, a->username);
	if (db_run(st, e) < 0)
		goto end;
	*id = db_last_id(db);
	rc = audit_json(db, a, "duty.handover", "duty_shift", shift_id,
			json_pack("{s:I, s:I, s:s}", "handover_id", (json_int_t)*id, "to_shift_id",
				  (json_int_t)to_shift_id, "handed_at", when),
			e);
end:
	rc = end_write(db, began, rc, e);
out:
	free(s);
	return rc;
}

void duty_handover_page_release(struct duty_handover_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

#define HANDOVER_WHERE                                                                           \
	"(?1 = 0 OR h.roster_id = ?1) AND (?2 = '' OR h.handed_at >= ?2) AND "                     \
	"(?3 = '' OR h.handed_at < ?3) AND h.region_code >= ?4 AND h.region_code < ?5 AND "

int duty_handover_list(struct db *db, const struct actor *a, const struct duty_handover_query *q,
		       struct duty_handover_page *out, struct err *e)
{
	char from[DUTY_TIME_SZ] = "", to[DUTY_TIME_SZ] = "";
	int limit = q->limit ? q->limit : 50, rc = -1, began, alloc = 0;
	int64_t m;
	memset(out, 0, sizeof *out);
	if (!can_read(a))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看交接班记录");
	if (limit < 1 || limit > DUTY_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–%d", DUTY_PAGE_MAX);
	if (q->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	if (q->from[0]) {
		if (duty_time_parse(q->from, &m) < 0)
			return err_set(e, 400, "invalid_value", "from", "from 应为 YYYY-MM-DDTHH:MM");
		duty_time_format(m, from);
	}
	if (q->to[0]) {
		if (duty_time_parse(q->to, &m) < 0)
			return err_set(e, 400, "invalid_value", "to", "to 应为 YYYY-MM-DDTHH:MM");
		duty_time_format(m, to);
	}
	if (region_filter(a, q->region, e) < 0)
		return -1;
	if ((began = begin_read(db, e)) < 0)
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st =
		    pass == 0
			? prepare_scoped(db, a, "SELECT count(*) FROM duty_handovers h WHERE " HANDOVER_WHERE,
					 "h.region_code", NULL, e)
			: prepare_scoped(db, a,
					 "SELECT h.id, h.roster_id, o.name, h.region_code, "
					 "h.from_shift_id, h.to_shift_id, f.person_name, "
					 "t.person_name, f.post, h.handed_at, h.notes, h.created_by "
					 "FROM duty_handovers h JOIN duty_rosters o ON o.id = h.roster_id "
					 "JOIN duty_shifts f ON f.id = h.from_shift_id "
					 "JOIN duty_shifts t ON t.id = h.to_shift_id WHERE " HANDOVER_WHERE,
					 "h.region_code", " ORDER BY h.handed_at DESC, h.id DESC LIMIT ? OFFSET ?",
					 e);
		if (!st)
			goto out;
		db_bind_int(st, 1, q->roster_id);
		db_bind_text(st, 2, from);
		db_bind_text(st, 3, to);
		int next = scope_bind(st, &a->scope, scope_bind_prefix(st, q->region, 4));
		int r;
		if (pass == 0) {
			r = db_step(st, e);
			out->total = r == 1 ? db_col_int(st, 0) : 0;
			db_done(st);
			if (r < 0)
				goto out;
			continue;
		}
		db_bind_int(st, next, limit);
		db_bind_int(st, next + 1, q->offset);
		while ((r = db_step(st, e)) == 1) {
			if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
				r = err_oom(e);
				break;
			}
			struct duty_handover_row *h = &out->items[out->n++];
			memset(h, 0, sizeof *h);
			h->id = db_col_int(st, 0);
			h->roster_id = db_col_int(st, 1);
			text_copy(h->roster_name, sizeof h->roster_name, db_col_text(st, 2));
			text_copy(h->region_code, sizeof h->region_code, db_col_text(st, 3));
			h->from_shift_id = db_col_int(st, 4);
			h->to_shift_id = db_col_int(st, 5);
			text_copy(h->from_person, sizeof h->from_person, db_col_text(st, 6));
			text_copy(h->to_person, sizeof h->to_person, db_col_text(st, 7));
			text_copy(h->post, sizeof h->post, db_col_text(st, 8));
			text_copy(h->handed_at, sizeof h->handed_at, db_col_text(st, 9));
			text_copy(h->notes, sizeof h->notes, db_col_text(st, 10));
			text_copy(h->created_by, sizeof h->created_by, db_col_text(st, 11));
		}
		db_done(st);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	end_read(db, began);
	if (rc < 0)
		duty_handover_page_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* who is on duty now                                                                         */
/* ------------------------------------------------------------------------------------------ */

void duty_now_release(struct duty_now *n)
{
	free(n->units);
	n->units = NULL;
	n->n = 0;
}

static int by_post(const void *x, const void *y)
{
	const struct duty_person *a = x, *b = y;
	int c = strcmp(a->post, b->post); /* "leader" < "officer" */
	return c ? c : strcmp(a->start_at, b->start_at);
}

/* Who of roster u is on duty at `at`, and its officers' missing reports of the last 7 days (the
 * shift report is the officer's; the leader in charge files none of his own). */
static int now_fill(struct db *db, struct duty_now_unit *u, const char *at, const char *week_ago,
		    struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, post, person_name, phone, start_at, end_at "
					    "FROM duty_shifts WHERE roster_id = ? AND start_at <= ? "
					    "AND end_at > ? ORDER BY post, start_at", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, u->roster.id);
	db_bind_text(st, 2, at);
	db_bind_text(st, 3, at);
	int r;
	while ((r = db_step(st, e)) == 1) {
		if (u->n_on_duty >= (int)(sizeof u->on_duty / sizeof u->on_duty[0]))
			continue;
		struct duty_person *p = &u->on_duty[u->n_on_duty++];
		memset(p, 0, sizeof *p);
		p->shift_id = db_col_int(st, 0);
		text_copy(p->post, sizeof p->post, db_col_text(st, 1));
		text_copy(p->person_name, sizeof p->person_name, db_col_text(st, 2));
		text_copy(p->phone, sizeof p->phone, db_col_text(st, 3));
		text_copy(p->start_at, sizeof p->start_at, db_col_text(st, 4));
		text_copy(p->end_at, sizeof p->end_at, db_col_text(st, 5));
		u->officer_on_duty |= strcmp(p->post, "officer") == 0;
	}
	db_done(st);
	if (r < 0)
		return -1;
	qsort(u->on_duty, (size_t)u->n_on_duty, sizeof u->on_duty[0], by_post);
	if (!(st = db_prepare(db, "SELECT count(*) FROM duty_shifts s LEFT JOIN duty_reports p ON "
				  "p.shift_id = s.id WHERE s.roster_id = ? AND s.post = 'officer' AND "
				  "s.end_at <= ? AND s.end_at > ? AND p.shift_id IS NULL", e)))
		return -1;
	db_bind_int(st, 1, u->roster.id);
	db_bind_text(st, 2, at);
	db_bind_text(st, 3, week_ago);
	r = db_step(st, e);
	u->report_missing = r == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return r < 0 ? -1 : 0;
}

static void now_mask(struct duty_now_unit *u)
{
	for (int i = 0; i < u->n_on_duty; i++)
		mask_phone(u->on_duty[i].phone);
}

int duty_now(struct db *db, const struct actor *a, const char *region, const char *at, int unmask,
	     struct duty_now *out, struct err *e)
{
	char week_ago[DUTY_TIME_SZ];
	int64_t t;
	int began, rc = -1, alloc = 0;
	memset(out, 0, sizeof *out);
	if (!can_read(a))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看值班情况");
	if (at && *at) {
		if (duty_time_parse(at, &t) < 0)
			return err_set(e, 400, "invalid_value", "at", "at 应为 YYYY-MM-DDTHH:MM 格式的有效时间");
	} else {
		t = now_minutes();
	}
	duty_time_format(t, out->at);
	duty_time_format(t - 7 * 1440, week_ago);
	if (region_filter(a, region, e) < 0)
		return -1;
	if (unmask && unmask_check(a, e) < 0)
		return -1;
	if ((began = unmask ? begin_audited(db, e) : begin_read(db, e)) < 0)
		return -1;
	struct db_stmt *st = prepare_scoped(db, a, "SELECT " ROSTER_COLS ROSTER_FROM
						      "WHERE o.region_code >= ? AND o.region_code < ? AND ",
					    "o.region_code", " ORDER BY o.region_code, o.unit_kind, o.id LIMIT ?", e);
	if (!st)
		goto end;
	db_bind_int(st, scope_bind(st, &a->scope, scope_bind_prefix(st, region ? region : "", 1)),
		    DUTY_PAGE_MAX);
	int r;
	while ((r = db_step(st, e)) == 1) {
		if (array_grow(&out->units, out->n, &alloc, sizeof *out->units, 16) < 0) {
			r = err_oom(e);
			break;
		}
		struct duty_now_unit *u = &out->units[out->n++];
		memset(u, 0, sizeof *u);
		roster_read(st, 0, &u->roster);
	}
	db_done(st);
	if (r < 0)
		goto end;
	for (int i = 0; i < out->n; i++)
		if (now_fill(db, &out->units[i], out->at, week_ago, e) < 0)
			goto end;
	/* the units above the caller's own (city, county): whom to call */
	size_t own = strlen(a->region_code);
	static const size_t levels[] = {4, 6};
	for (size_t k = 0; k < 2; k++) {
		char code[16];
		if (own <= levels[k])
			continue;
		text_copy(code, levels[k] + 1, a->region_code);
		st = db_prepare(db, "SELECT " ROSTER_COLS ROSTER_FROM "WHERE o.region_code = ? AND "
				    "o.unit_kind IN ('city', 'county') ORDER BY o.id LIMIT 1", e);
		if (!st)
			goto end;
		db_bind_text(st, 1, code);
		r = db_step(st, e);
		if (r == 1) {
			struct duty_now_unit *u = &out->upward[out->n_upward++];
			memset(u, 0, sizeof *u);
			roster_read(st, 0, &u->roster);
		}
		db_done(st);
		if (r < 0)
			goto end;
		if (r == 1 && now_fill(db, &out->upward[out->n_upward - 1], out->at, week_ago, e) < 0)
			goto end;
	}
	if (unmask) {
		out->unmasked = 1;
		rc = audit_json(db, a, "duty.unmask", "duty_now", 0,
				json_pack("{s:s, s:s, s:i}", "at", out->at, "region",
					  region ? region : "", "rosters", out->n + out->n_upward),
				e);
	} else {
		for (int i = 0; i < out->n; i++)
			now_mask(&out->units[i]);
		for (int i = 0; i < out->n_upward; i++)
			now_mask(&out->upward[i]);
		rc = 0;
	}
end:
	if (unmask)
		rc = end_write(db, began, rc, e);
	else
		end_read(db, began);
	if (rc < 0)
		duty_now_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* bulk loading                                                                               */
/* ------------------------------------------------------------------------------------------ */

int duty_bulk_shift(struct db *db, int64_t roster_id, const char *region_code, const char *post,
		    const char *person_name, const char *phone, const char *start_at,
		    const char *end_at, const char *created_at, const char *by, int64_t *id,
		    struct err *e)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO duty_shifts (roster_id, region_code, post, "
					    "person_name, phone, start_at, end_at, created_at, "
					    "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, roster_id);
	db_bind_text(st, 2, region_code);
	db_bind_text(st, 3, post);
	db_bind_text(st, 4, person_name);
	db_bind_text(st, 5, phone);
	db_bind_text(st, 6, start_at);
	db_bind_text(st, 7, end_at);
	db_bind_text(st, 8, created_at);
	db_bind_text(st, 9, by);
	if (db_run(st, e) < 0)
		return -1;
	*id = db_last_id(db);
	return 0;
}

int duty_bulk_report(struct db *db, int64_t shift_id, int zero, const char *events,
		     const char *reported_at, const char *by, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO duty_reports (shift_id, kind, events, "
					    "reported_at, reported_by) VALUES (?, ?, ?, ?, ?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, shift_id);
	db_bind_text(st, 2, zero ? "zero" : "events");
	db_bind_text(st, 3, zero ? "" : events);
	db_bind_text(st, 4, reported_at);
	db_bind_text(st, 5, by);
	return db_run(st, e);
}

int duty_bulk_handover(struct db *db, int64_t from_shift_id, int64_t to_shift_id,
		       int64_t roster_id, const char *region_code, const char *handed_at,
		       const char *notes, const char *created_at, const char *by, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO duty_handovers (from_shift_id, to_shift_id, "
					    "roster_id, region_code, handed_at, notes, created_at, "
					    "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, from_shift_id);
	db_bind_int(st, 2, to_shift_id);
	db_bind_int(st, 3, roster_id);
	db_bind_text(st, 4, region_code);
	db_bind_text(st, 5, handed_at);
	db_bind_text(st, 6, notes);
	db_bind_text(st, 7, created_at);
	db_bind_text(st, 8, by);
	return db_run(st, e);
}
