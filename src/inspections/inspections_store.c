/* inspections_store.c — teams, the checklist and inspections (see inspections.h), and the
 * helpers the module's files share (inspections_internal.h).
 *
 * How it works:
 * - Teams are few (a city has a handful): lists read them all and keep those the caller may
 *   see (the area overlaps the scope, or the scope covers the team's body), so the rule is in
 *   one C function (team_visible) rather than spread over SQL.
 * - Inspections are scoped by the target's region code through scope_sql(); a detail read is
 *   the same query with the id, so an inspection outside the scope is simply not found.
 * - Recording checks everything first (reads only), then writes the inspection, its results,
 *   findings, rectification items and their first events and the audit row in one
 *   transaction. Inside a transaction the caller already holds (the demo), it writes there.
 */
#include "inspections/inspections_internal.h"

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
#include "institutions/institutions.h"
#include "policy/policy.h"
#include "regions/regions.h"

/* ------------------------------------------------------------------------------------------ */
/* shared helpers (inspections_internal.h)                                                    */
/* ------------------------------------------------------------------------------------------ */

int insp_can_read(const struct actor *a)
{
	return actor_can(a, PERM_INSPECTION) || actor_can(a, PERM_INSTITUTION_READ) ||
	       actor_can(a, PERM_INSTITUTION_REPORT);
}

int insp_reporter(struct db *db, const struct actor *a, int64_t *inst, struct err *e)
{
	*inst = 0;
	if (actor_can(a, PERM_INSPECTION) || actor_can(a, PERM_INSTITUTION_READ) ||
	    !actor_can(a, PERM_INSTITUTION_REPORT))
		return 0;
	if (institutions_attached(db, a, inst, e) < 0)
		return -1;
	return 1;
}

void insp_today(char out[11])
{
	clock_today(out);
}

void insp_now(char out[32])
{
	clock_now_iso(out);
}

int insp_day(const char *in, const char *field, char out[11], struct err *e)
{
	char today[11];
	insp_today(today);
	if (!in || !*in) {
		text_copy(out, 11, today);
		return 0;
	}
	if (!inspections_date_valid(in))
		return err_set(e, 400, "invalid_value", field, "日期应为 YYYY-MM-DD 格式的有效日期");
	if (strcmp(in, today) > 0)
		return err_set(e, 400, "invalid_value", field, "日期不能晚于今天（%s）", today);
	text_copy(out, 11, in);
	return 0;
}

int insp_begin(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_write(db, e) < 0 ? -1 : 1;
}

int insp_end(struct db *db, int began, int rc, struct err *e)
{
	if (began != 1)
		return rc;
	if (rc < 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, e) < 0 ? -1 : 0;
}

int insp_begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

void insp_end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db); /* nothing was written */
}

char *insp_json_text(json_t *o)
{
	if (!o)
		return NULL;
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

void insp_region_name(struct db *db, const char *code, char out[128])
{
	struct region r;
	struct err ignore;
	out[0] = '\0';
	if (code && *code && regions_get(db, code, &r, &ignore) == 0)
		text_copy(out, 128, r.name);
}

void insp_region_unit(struct db *db, const char *code, char out[16])
{
	struct region r;
	struct err ignore;
	out[0] = '\0';
	if (code && *code && regions_get(db, code, &r, &ignore) == 0)
		text_copy(out, 16, r.unit_code);
}

int insp_institution_lookup(struct db *db, int64_t id, char name[INSPECTIONS_NAME_SZ],
			    char region[16], struct err *e)
{
	/* The institutions module owns its table and may not have created it in this database
	 * (an older schema): look before reading, so a missing table is "not found", not an
	 * error. Only the columns id, name and region_code are relied on. */
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
					    "AND name = 'institutions'", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	db_done(st);
	if (rc <= 0)
		return rc;
	st = db_prepare(db, "SELECT name, region_code FROM institutions WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	rc = db_step(st, e);
	if (rc == 1) {
		text_copy(name, INSPECTIONS_NAME_SZ, db_col_text(st, 0));
		text_copy(region, 16, db_col_text(st, 1));
	}
	db_done(st);
	return rc == 0 ? 2 : rc;
}

int insp_soon_days(struct db *db, const char *unit_code, const char *as_of)
{
	char month[8];
	int64_t v = 0;
	struct err ignore;
	if (!unit_code || !*unit_code || !as_of || strlen(as_of) < 7)
		return 0;
	text_copy(month, sizeof month, as_of);
	if (policy_value(db, unit_code, "all", "rectification_due_soon_days", month, &v, &ignore) < 0)
		return 0;
	return (int)v;
}

static int forbidden(struct err *e, const char *what)
{
	return err_set(e, 403, "forbidden", NULL, "您的角色无权%s", what);
}

/* ------------------------------------------------------------------------------------------ */
/* teams                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int team_not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "督导组不存在或不在您的管辖范围内");
}

/* 1 when the caller may see the team: a read permission and the body covered or an area
 * overlapping the scope. */
static int team_visible(const struct actor *a, const struct inspections_team *t)
{
	if (!actor_can(a, PERM_INSPECTION) && !actor_can(a, PERM_INSTITUTION_READ))
		return 0; /* an institution's reporter sees its own visits, not the teams */
	if (scope_covers(&a->scope, t->region_code))
		return 1;
	for (int i = 0; i < t->n_areas; i++)
		if (scope_overlaps(&a->scope, t->areas[i]))
			return 1;
	return 0;
}

/* 1 when the caller may manage the team (and record for it): inspection and the body covered. */
static int team_manager(const struct actor *a, const char *body)
{
	return actor_can(a, PERM_INSPECTION) && scope_covers(&a->scope, body);
}

static void mask_members(struct inspections_team *t)
{
	for (int i = 0; i < t->n_members; i++) {
		char m[24];
		if (!t->members[i].phone[0])
			continue;
		phone_mask(t->members[i].phone, m);
		text_copy(t->members[i].phone, sizeof t->members[i].phone, m);
	}
}

/* The team's row, areas and members (phones as stored); 1 found, 0 not, -1 error. */
static int team_load(struct db *db, int64_t id, struct inspections_team *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT t.id, t.name, t.region_code, coalesce(g.name, ''), t.area, t.note, t.active, "
	    "t.created_at, t.created_by, t.updated_at, "
	    "(SELECT count(*) FROM inspections i WHERE i.team_id = t.id) "
	    "FROM inspection_teams t LEFT JOIN regions g ON g.code = t.region_code WHERE t.id = ?",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		t->id = db_col_int(st, 0);
		text_copy(t->name, sizeof t->name, db_col_text(st, 1));
		text_copy(t->region_code, sizeof t->region_code, db_col_text(st, 2));
		text_copy(t->region_name, sizeof t->region_name, db_col_text(st, 3));
		text_copy(t->area, sizeof t->area, db_col_text(st, 4));
		text_copy(t->note, sizeof t->note, db_col_text(st, 5));
		t->active = (int)db_col_int(st, 6);
		text_copy(t->created_at, sizeof t->created_at, db_col_text(st, 7));
		text_copy(t->created_by, sizeof t->created_by, db_col_text(st, 8));
		text_copy(t->updated_at, sizeof t->updated_at, db_col_text(st, 9));
		t->n_inspections = db_col_int(st, 10);
	}
	db_done(st);
	if (rc <= 0)
		return rc;
	st = db_prepare(db, "SELECT a.region_code, coalesce(g.name, '') FROM inspection_team_areas a "
			    "LEFT JOIN regions g ON g.code = a.region_code WHERE a.team_id = ? "
			    "ORDER BY a.region_code", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, e)) == 1 && t->n_areas < INSPECTIONS_MAX_AREAS) {
		text_copy(t->areas[t->n_areas], 16, db_col_text(st, 0));
		text_copy(t->area_names[t->n_areas], 128, db_col_text(st, 1));
		t->n_areas++;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db, "SELECT name, role, title, phone FROM inspection_team_members "
			    "WHERE team_id = ? ORDER BY position", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	while ((rc = db_step(st, e)) == 1 && t->n_members < INSPECTIONS_MAX_MEMBERS) {
		struct inspections_member *m = &t->members[t->n_members++];
		text_copy(m->name, sizeof m->name, db_col_text(st, 0));
		text_copy(m->role, sizeof m->role, db_col_text(st, 1));
		text_copy(m->title, sizeof m->title, db_col_text(st, 2));
		text_copy(m->phone, sizeof m->phone, db_col_text(st, 3));
	}
	db_done(st);
	return rc < 0 ? -1 : 1;
}

/* Check (and normalize) the fields an input gives; the body is known. */
static int team_check(struct db *db, const struct inspections_team_in *in, const char *body,
		      int create, struct inspections_team_in *out, struct err *e)
{
	*out = *in;
	if ((create || in->has_name) &&
	    text_check(in->name, INSPECTIONS_NAME_CHARS, 1, 0, "name", "督导组名称", e) < 0)
		return -1;
	if ((create || in->has_area) &&
	    text_check(in->area, INSPECTIONS_TEXT_CHARS, 0, 1, "area", "督导区域说明", e) < 0)
		return -1;
	if ((create || in->has_note) &&
	    text_check(in->note, INSPECTIONS_TEXT_CHARS, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (create || in->has_areas) {
		if (in->n_areas < 1)
			return err_set(e, 400, "required", "areas", "请至少选择一个督导地区");
		if (in->n_areas > INSPECTIONS_MAX_AREAS)
			return err_set(e, 400, "invalid_value", "areas", "督导地区最多 %d 个",
				       INSPECTIONS_MAX_AREAS);
		for (int i = 0; i < in->n_areas; i++) {
			char field[32];
			struct region r;
			struct err ignore;
			snprintf(field, sizeof field, "areas[%d]", i);
			if (regions_get(db, in->areas[i], &r, &ignore) < 0 || r.level < REGIONS_COUNTY)
				return err_set(e, 400, "invalid_region", field,
					       "督导地区应为县级或以下的区划代码：%.15s", in->areas[i]);
			if (strncmp(in->areas[i], body, strlen(body)) != 0)
				return err_set(e, 400, "invalid_region", field,
					       "督导地区 %.15s 不在督导组所属的 %.15s 范围内",
					       in->areas[i], body);
			for (int j = 0; j < i; j++)
				if (strcmp(in->areas[j], in->areas[i]) == 0)
					return err_set(e, 400, "invalid_value", field,
						       "督导地区 %.15s 重复", in->areas[i]);
		}
	}
	if (create || in->has_members) {
		int leaders = 0;
		if (in->n_members > INSPECTIONS_MAX_MEMBERS)
			return err_set(e, 400, "invalid_value", "members", "成员最多 %d 人",
				       INSPECTIONS_MAX_MEMBERS);
		for (int i = 0; i < in->n_members; i++) {
			const struct inspections_member *m = &in->members[i];
			struct inspections_member *o = &out->members[i];
			char field[40];
			snprintf(field, sizeof field, "members[%d].name", i);
			if (text_check(m->name, INSPECTIONS_NAME_CHARS, 1, 0, field, "成员姓名", e) < 0)
				return -1;
			snprintf(field, sizeof field, "members[%d].title", i);
			if (text_check(m->title, INSPECTIONS_NAME_CHARS, 0, 0, field, "职务", e) < 0)
				return -1;
			snprintf(field, sizeof field, "members[%d].role", i);
			if (!m->role[0])
				text_copy(o->role, sizeof o->role, "member");
			else if (strcmp(m->role, "leader") != 0 && strcmp(m->role, "member") != 0)
				return err_set(e, 400, "invalid_value", field,
					       "成员角色应为 leader（组长）或 member（组员）");
			leaders += strcmp(o->role, "leader") == 0;
			if (m->phone[0]) {
				snprintf(field, sizeof field, "members[%d].phone", i);
				if (phone_validate(m->phone, o->phone, e) < 0) {
					err_prefix_field(e, field);
					snprintf(e->field, sizeof e->field, "%s", field);
					return -1;
				}
			}
		}
		if (leaders > 1)
			return err_set(e, 400, "invalid_value", "members", "一个督导组只能有一名组长");
	}
	return 0;
}

static int team_write_lists(struct db *db, int64_t id, const struct inspections_team_in *in,
			    struct err *e)
{
	struct db_stmt *st;
	if (in->has_areas) {
		if (!(st = db_prepare(db, "DELETE FROM inspection_team_areas WHERE team_id = ?", e)))
			return -1;
		db_bind_int(st, 1, id);
		if (db_run(st, e) < 0)
			return -1;
		for (int i = 0; i < in->n_areas; i++) {
			if (!(st = db_prepare(db, "INSERT INTO inspection_team_areas (team_id, "
						  "region_code) VALUES (?, ?)", e)))
				return -1;
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, in->areas[i]);
			if (db_run(st, e) < 0)
				return -1;
		}
	}
	if (in->has_members) {
		if (!(st = db_prepare(db, "DELETE FROM inspection_team_members WHERE team_id = ?", e)))
			return -1;
		db_bind_int(st, 1, id);
		if (db_run(st, e) < 0)
			return -1;
		for (int i = 0; i < in->n_members; i++) {
			const struct inspections_member *m = &in->members[i];
			if (!(st = db_prepare(db, "INSERT INTO inspection_team_members (team_id, "
						  "position, name, role, title, phone) VALUES "
						  "(?, ?, ?, ?, ?, ?)", e)))
				return -1;
			db_bind_int(st, 1, id);
			db_bind_int(st, 2, i + 1);
			db_bind_text(st, 3, m->name);
			db_bind_text(st, 4, m->role);
			db_bind_text(st, 5, m->title);
			db_bind_text(st, 6, m->phone);
			if (db_run(st, e) < 0)
				return -1;
		}
	}
	return 0;
}

static int name_taken(struct db *db, const char *body, const char *name, int64_t except,
		      struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM inspection_teams WHERE region_code = ? "
					    "AND name = ? AND id <> ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, body);
	db_bind_text(st, 2, name);
	db_bind_int(st, 3, except);
	int rc = db_step(st, e);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return err_set(e, 409, "conflict", "name", "已有同名的督导组：%s", name);
	return 0;
}

static int audit_team(struct db *db, const struct actor *a, int64_t id, const char *what,
		      const struct inspections_team_in *in, struct err *e)
{
	char object[48];
	snprintf(object, sizeof object, "inspection_team:%lld", (long long)id);
	json_t *d = json_pack("{s:s}", "change", what);
	if (d && in->has_name)
		json_object_set_new(d, "name", json_string(in->name));
	if (d && in->has_areas)
		json_object_set_new(d, "areas", json_integer(in->n_areas));
	if (d && in->has_members)
		json_object_set_new(d, "members", json_integer(in->n_members));
	if (d && in->has_active)
		json_object_set_new(d, "active", json_boolean(in->active));
	char *detail = insp_json_text(d);
	int rc = audit_append(db, a, "inspection.team", object, "ok", detail, e);
	free(detail);
	return rc;
}

int inspections_team_create(struct db *db, const struct actor *a, const struct inspections_team_in *in,
			    int64_t *id, struct err *e)
{
	struct inspections_team_in *v = malloc(sizeof *v);
	char body[16], now[32];
	int rc = -1, began = 0;
	if (!v)
		return err_oom(e);
	if (!actor_can(a, PERM_INSPECTION)) {
		forbidden(e, "管理督导组");
		goto out;
	}
	text_copy(body, sizeof body, in->region_code[0] ? in->region_code : a->region_code);
	if (!body[0] || !regions_exists(db, body)) {
		err_set(e, 400, "invalid_region", "region_code", "请给出督导组所属单位的区划代码");
		goto out;
	}
	if (!scope_covers(&a->scope, body)) {
		err_set(e, 403, "out_of_scope", "region_code", "区划 %.15s 不在您的管辖范围内", body);
		goto out;
	}
	if (team_check(db, in, body, 1, v, e) < 0)
		goto out;
	v->has_areas = v->has_members = 1;
	v->has_name = v->has_area = v->has_note = 1;
	if ((began = insp_begin(db, e)) < 0)
		goto out;
	insp_now(now);
	if (name_taken(db, body, v->name, 0, e) < 0)
		goto end;
	struct db_stmt *st = db_prepare(db, "INSERT INTO inspection_teams (name, region_code, area, "
					    "note, created_at, created_by, updated_at) VALUES "
					    "(?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		goto end;
	db_bind_text(st, 1, v->name);
	db_bind_text(st, 2, body);
	db_bind_text(st, 3, v->area);
	db_bind_text(st, 4, v->note);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, a->username);
	db_bind_text(st, 7, now);
	if (db_run(st, e) < 0)
		goto end;
	*id = db_last_id(db);
	if (team_write_lists(db, *id, v, e) < 0 || audit_team(db, a, *id, "create", v, e) < 0)
		goto end;
	rc = 0;
end:
	rc = insp_end(db, began, rc, e);
out:
	free(v);
	return rc;
}

int inspections_team_update(struct db *db, const struct actor *a, int64_t id,
			    const struct inspections_team_in *in, struct err *e)
{
	struct inspections_team *t = malloc(sizeof *t);
	struct inspections_team_in *v = malloc(sizeof *v);
	char now[32];
	int rc = -1, began = 0, found;
	if (!t || !v) {
		err_oom(e);
		goto out;
	}
	if ((began = insp_begin(db, e)) < 0)
		goto out;
	if ((found = team_load(db, id, t, e)) < 0)
		goto end;
	if (!found || !team_visible(a, t)) {
		team_not_found(e);
		goto end;
	}
	if (!team_manager(a, t->region_code)) {
		forbidden(e, "修改该督导组");
		goto end;
	}
	if (team_check(db, in, t->region_code, 0, v, e) < 0 ||
	    (in->has_name && name_taken(db, t->region_code, v->name, id, e) < 0))
		goto end;
	insp_now(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE inspection_teams SET name = CASE WHEN ?1 THEN ?2 ELSE name END, "
	    "area = CASE WHEN ?3 THEN ?4 ELSE area END, note = CASE WHEN ?5 THEN ?6 ELSE note END, "
	    "active = CASE WHEN ?7 THEN ?8 ELSE active END, updated_at = ?9 WHERE id = ?10",
	    e);
	if (!st)
		goto end;
	db_bind_int(st, 1, in->has_name);
	db_bind_text(st, 2, v->name);
	db_bind_int(st, 3, in->has_area);
	db_bind_text(st, 4, v->area);
	db_bind_int(st, 5, in->has_note);
	db_bind_text(st, 6, v->note);
	db_bind_int(st, 7, in->has_active);
	db_bind_int(st, 8, in->active ? 1 : 0);
	db_bind_text(st, 9, now);
	db_bind_int(st, 10, id);
	if (db_run(st, e) < 0 || team_write_lists(db, id, v, e) < 0 ||
	    audit_team(db, a, id, "update", v, e) < 0)
		goto end;
	rc = 0;
end:
	rc = insp_end(db, began, rc, e);
out:
	free(t);
	free(v);
	return rc;
}

int inspections_team_get(struct db *db, const struct actor *a, int64_t id, int unmask,
			 struct inspections_team *out, struct err *e)
{
	int began, found;
	if (unmask) {
		/* an audited read: the read and its audit row in one write transaction of its own
		 * (which ends the read transaction the router opened for the GET) */
		if (db_begin_write(db, e) < 0)
			return -1;
		began = 1;
		int rc = -1;
		if ((found = team_load(db, id, out, e)) < 0)
			goto end;
		if (!found || !team_visible(a, out)) {
			team_not_found(e);
			goto end;
		}
		if (!actor_can(a, PERM_REGISTRY_UNMASK)) {
			err_set(e, 403, "forbidden", NULL, "您没有查看完整电话号码的权限");
			goto end;
		}
		char object[48];
		snprintf(object, sizeof object, "inspection_team:%lld", (long long)id);
		rc = audit_append(db, a, "inspection.team.unmask", object, "ok", NULL, e);
	end:
		if (insp_end(db, began, rc, e) < 0)
			return -1;
		out->unmasked = 1;
		return 0;
	}
	if ((began = insp_begin_read(db, e)) < 0)
		return -1;
	found = team_load(db, id, out, e);
	insp_end_read(db, began);
	if (found < 0)
		return -1;
	if (!found || !team_visible(a, out))
		return team_not_found(e);
	mask_members(out);
	return 0;
}

int inspections_team_list(struct db *db, const struct actor *a, int include_inactive,
			  struct inspections_team **out, int *n, struct err *e)
{
	int64_t *ids = NULL;
	int nids = 0, alloc = 0, rc = -1, began;
	*out = NULL;
	*n = 0;
	if (!actor_can(a, PERM_INSPECTION) && !actor_can(a, PERM_INSTITUTION_READ))
		return forbidden(e, "查看督导组");
	if ((began = insp_begin_read(db, e)) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT id FROM inspection_teams WHERE active = 1 OR ? "
					    "ORDER BY name, id", e);
	if (!st)
		goto out;
	db_bind_int(st, 1, include_inactive ? 1 : 0);
	int r;
	while ((r = db_step(st, e)) == 1) {
		if (array_grow(&ids, nids, &alloc, sizeof *ids, 8) < 0) {
			db_done(st);
			err_oom(e);
			goto out;
		}
		ids[nids++] = db_col_int(st, 0);
	}
	db_done(st);
	if (r < 0)
		goto out;
	*out = calloc(nids ? (size_t)nids : 1, sizeof **out);
	if (!*out) {
		err_oom(e);
		goto out;
	}
	for (int i = 0; i < nids; i++) {
		struct inspections_team *t = &(*out)[*n];
		if (team_load(db, ids[i], t, e) < 0)
			goto out;
		if (!team_visible(a, t))
			continue;
		mask_members(t);
		(*n)++;
	}
	rc = 0;
out:
	insp_end_read(db, began);
	free(ids);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* the checklist                                                                              */
/* ------------------------------------------------------------------------------------------ */

static void item_read(struct db_stmt *st, struct inspections_check_item *it)
{
	memset(it, 0, sizeof *it);
	it->id = db_col_int(st, 0);
	text_copy(it->code, sizeof it->code, db_col_text(st, 1));
	text_copy(it->category, sizeof it->category, db_col_text(st, 2));
	text_copy(it->label, sizeof it->label, db_col_text(st, 3));
	text_copy(it->guidance, sizeof it->guidance, db_col_text(st, 4));
	text_copy(it->applies_to, sizeof it->applies_to, db_col_text(st, 5));
	it->position = (int)db_col_int(st, 6);
	it->active = (int)db_col_int(st, 7);
}

static int checklist_load(struct db *db, int include_inactive, struct inspections_check_item **out,
			  int *n, struct err *e)
{
	int alloc = 0, rc;
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db, "SELECT id, code, category, label, guidance, applies_to, "
					    "position, active FROM inspection_checklist "
					    "WHERE active = 1 OR ? ORDER BY position, id", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, include_inactive ? 1 : 0);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		item_read(st, &(*out)[(*n)++]);
	}
	db_done(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int inspections_checklist(struct db *db, const struct actor *a, int include_inactive,
			  struct inspections_check_item **out, int *n, struct err *e)
{
	if (!insp_can_read(a))
		return forbidden(e, "查看督导检查项");
	int began = insp_begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = checklist_load(db, include_inactive, out, n, e);
	insp_end_read(db, began);
	return rc;
}

int inspections_checklist_put(struct db *db, const struct actor *a,
			      const struct inspections_check_item *in, int64_t *id, int *created,
			      struct err *e)
{
	char now[32];
	*created = 0;
	/* the checklist is the city's: city users (a scope code of at most 4 digits; the CLI's
	 * system actor has "") */
	if (!actor_can(a, PERM_INSPECTION) || strlen(a->region_code) > 4)
		return forbidden(e, "修改督导检查项（须市级督导权限）");
	size_t cl = strlen(in->code);
	if (cl == 0)
		return err_set(e, 400, "required", "code", "请填写检查项代码");
	if (cl > 32)
		return err_set(e, 400, "invalid_value", "code", "检查项代码最长 32 个字符");
	for (size_t i = 0; i < cl; i++)
		if (!((in->code[i] >= 'a' && in->code[i] <= 'z') ||
		      (in->code[i] >= '0' && in->code[i] <= '9') || in->code[i] == '_'))
			return err_set(e, 400, "invalid_value", "code",
				       "检查项代码只能由小写字母、数字和下划线组成");
	if (text_check(in->label, 100, 1, 0, "label", "检查内容", e) < 0 ||
	    text_check(in->category, INSPECTIONS_NAME_CHARS, 1, 0, "category", "类别", e) < 0 ||
	    text_check(in->guidance, INSPECTIONS_TEXT_CHARS, 0, 1, "guidance", "检查要点", e) < 0)
		return -1;
	const char *applies = in->applies_to[0] ? in->applies_to : "all";
	if (strcmp(applies, "all") != 0 && strcmp(applies, "institution") != 0 &&
	    strcmp(applies, "region") != 0)
		return err_set(e, 400, "invalid_value", "applies_to",
			       "适用范围应为 all（全部）、institution（机构）或 region（县镇）");
	int began = insp_begin(db, e), rc = -1;
	if (began < 0)
		return -1;
	insp_now(now);
	struct db_stmt *st = db_prepare(db, "SELECT id FROM inspection_checklist WHERE code = ?", e);
	if (!st)
		goto end;
	db_bind_text(st, 1, in->code);
	int r = db_step(st, e);
	*id = r == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (r < 0)
		goto end;
	if (*id) {
		st = db_prepare(db, "UPDATE inspection_checklist SET category = ?, label = ?, "
				    "guidance = ?, applies_to = ?, active = ?, "
				    "position = CASE WHEN ? > 0 THEN ? ELSE position END WHERE id = ?",
				e);
		if (!st)
			goto end;
		db_bind_text(st, 1, in->category);
		db_bind_text(st, 2, in->label);
		db_bind_text(st, 3, in->guidance);
		db_bind_text(st, 4, applies);
		db_bind_int(st, 5, in->active ? 1 : 0);
		db_bind_int(st, 6, in->position);
		db_bind_int(st, 7, in->position);
		db_bind_int(st, 8, *id);
	} else {
		st = db_prepare(db, "INSERT INTO inspection_checklist (code, category, label, "
				    "guidance, applies_to, position, active, created_at, created_by) "
				    "VALUES (?, ?, ?, ?, ?, CASE WHEN ? > 0 THEN ? ELSE (SELECT "
				    "coalesce(max(position), 0) + 10 FROM inspection_checklist) END, "
				    "?, ?, ?)", e);
		if (!st)
			goto end;
		db_bind_text(st, 1, in->code);
		db_bind_text(st, 2, in->category);
		db_bind_text(st, 3, in->label);
		db_bind_text(st, 4, in->guidance);
		db_bind_text(st, 5, applies);
		db_bind_int(st, 6, in->position);
		db_bind_int(st, 7, in->position);
		db_bind_int(st, 8, in->active ? 1 : 0);
		db_bind_text(st, 9, now);
		db_bind_text(st, 10, a->username);
	}
	if (db_run(st, e) < 0)
		goto end;
	if (!*id) {
		*id = db_last_id(db);
		*created = 1;
	}
	char object[64], *detail;
	snprintf(object, sizeof object, "inspection_checklist:%s", in->code);
	detail = insp_json_text(json_pack("{s:s, s:s, s:b}", "change", *created ? "create" : "update",
					  "label", in->label, "active", in->active));
	rc = audit_append(db, a, "inspection.checklist", object, "ok", detail, e);
	free(detail);
end:
	return insp_end(db, began, rc, e);
}

/* ------------------------------------------------------------------------------------------ */
/* recording an inspection                                                                    */
/* ------------------------------------------------------------------------------------------ */

struct finding_plan {
	int64_t item_id;
	char description[INSPECTIONS_TEXT_SZ];
	int fixed_on_site;
	char requirement[INSPECTIONS_TEXT_SZ];
	char deadline[11];
	char owner_kind[16];
	char owner_region[16];
	int64_t owner_institution_id;
	char owner_name[INSPECTIONS_NAME_SZ];
};

struct record_plan {
	char inspector_region[16];
	char region_code[16];
	char target_name[INSPECTIONS_NAME_SZ];
	char visited_on[11];
	int n_items;
	struct inspections_check_item *items; /* the applicable active items */
	char (*result)[8];                    /* per item */
	int *result_index;                    /* the input result of each item */
	int n_pass, n_fail, n_na;
	int n_findings;
	struct finding_plan findings[INSPECTIONS_MAX_FINDINGS + INSPECTIONS_MAX_RESULTS];
};

static void plan_release(struct record_plan *p)
{
	free(p->items);
	free(p->result);
	free(p->result_index);
}

/* 1 when one of the codes is a prefix of the other (the same line of the tree). */
static int same_line(const char *x, const char *y)
{
	size_t a = strlen(x), b = strlen(y), m = a < b ? a : b;
	return strncmp(x, y, m) == 0;
}

/* The default deadline: visited_on + rectification_deadline_days of the owner's unit. */
static int default_deadline(struct db *db, const char *owner_region, const char *visited_on,
			    char out[11], struct err *e)
{
	char unit[16], month[8];
	int64_t days;
	insp_region_unit(db, owner_region, unit);
	text_copy(month, sizeof month, visited_on);
	if (policy_value(db, unit[0] ? unit : owner_region, "all", "rectification_deadline_days",
			 month, &days, e) < 0)
		return -1;
	inspections_date_add(visited_on, (int)days, out);
	return 0;
}

static int check_owner(struct db *db, const struct actor *a, const struct inspections_in *in,
		       const struct record_plan *p, const struct inspections_finding_in *f, int i,
		       struct finding_plan *fp, struct err *e)
{
	char field[48];
	snprintf(field, sizeof field, "findings[%d].owner_region", i);
	const char *kind = f->owner_kind[0] ? f->owner_kind : "";
	if (!*kind || (strcmp(kind, in->target_kind) == 0 && !f->owner_region[0] &&
		       !f->owner_institution_id)) {
		/* the target itself */
		text_copy(fp->owner_kind, sizeof fp->owner_kind, in->target_kind);
		text_copy(fp->owner_region, sizeof fp->owner_region, p->region_code);
		fp->owner_institution_id = in->institution_id;
		text_copy(fp->owner_name, sizeof fp->owner_name, p->target_name);
		return 0;
	}
	if (strcmp(kind, "region") == 0) {
		struct region r;
		struct err ignore;
		if (!f->owner_region[0])
			return err_set(e, 400, "required", field, "请填写整改责任单位的区划代码");
		if (regions_get(db, f->owner_region, &r, &ignore) < 0 || r.level < REGIONS_COUNTY)
			return err_set(e, 400, "invalid_region", field,
				       "整改责任单位应为县级或以下的区划：%.15s", f->owner_region);
		text_copy(fp->owner_kind, sizeof fp->owner_kind, "region");
		text_copy(fp->owner_region, sizeof fp->owner_region, f->owner_region);
		fp->owner_institution_id = 0;
		text_copy(fp->owner_name, sizeof fp->owner_name, r.name);
	} else if (strcmp(kind, "institution") == 0) {
		char name[INSPECTIONS_NAME_SZ] = "", region[16] = "";
		int64_t iid = f->owner_institution_id ? f->owner_institution_id : in->institution_id;
		snprintf(field, sizeof field, "findings[%d].owner_institution_id", i);
		if (iid <= 0)
			return err_set(e, 400, "required", field, "请选择整改责任机构");
		int found = insp_institution_lookup(db, iid, name, region, e);
		if (found < 0)
			return -1;
		if (found == 2)
			return err_set(e, 400, "invalid_value", field, "机构登记中没有编号为 %lld 的机构",
				       (long long)iid);
		if (!found) {
			text_copy(name, sizeof name, f->owner_name[0] ? f->owner_name
					: iid == in->institution_id ? p->target_name : "");
			text_copy(region, sizeof region, f->owner_region[0] ? f->owner_region
					: iid == in->institution_id ? p->region_code : "");
		}
		snprintf(field, sizeof field, "findings[%d].owner_name", i);
		if (text_check(name, INSPECTIONS_NAME_CHARS, 1, 0, field, "整改责任机构名称", e) < 0)
			return -1;
		snprintf(field, sizeof field, "findings[%d].owner_region", i);
		if (!regions_exists(db, region) || regions_level_of_code(region) < REGIONS_COUNTY)
			return err_set(e, 400, "invalid_region", field,
				       "整改责任机构的区划代码无效：%.15s", region);
		text_copy(fp->owner_kind, sizeof fp->owner_kind, "institution");
		text_copy(fp->owner_region, sizeof fp->owner_region, region);
		fp->owner_institution_id = iid;
		text_copy(fp->owner_name, sizeof fp->owner_name, name);
	} else {
		snprintf(field, sizeof field, "findings[%d].owner_kind", i);
		return err_set(e, 400, "invalid_value", field,
			       "整改责任方应为 region（县镇村）或 institution（机构）");
	}
	if (!scope_contains(&a->scope, fp->owner_region))
		return err_set(e, 403, "out_of_scope", field, "整改责任单位 %.15s 不在您的管辖范围内",
			       fp->owner_region);
	if (!same_line(fp->owner_region, p->region_code))
		return err_set(e, 400, "invalid_region", field,
			       "整改责任单位 %.15s 应为被检查对象本身、其上级（至县级）或其下属",
			       fp->owner_region);
	if (strcmp(fp->owner_region, p->inspector_region) == 0)
		return err_set(e, 400, "invalid_region", field, "督导方不能作为整改责任单位");
	return 0;
}

static int item_index(const struct record_plan *p, int64_t id, const char *code)
{
	for (int k = 0; k < p->n_items; k++)
		if ((id > 0 && p->items[k].id == id) || (id <= 0 && code && code[0] &&
							 strcmp(p->items[k].code, code) == 0))
			return k;
	return -1;
}

static int plan_finding(struct db *db, const struct actor *a, const struct inspections_in *in,
			struct record_plan *p, const struct inspections_finding_in *f, int i,
			struct err *e)
{
	struct finding_plan *fp = &p->findings[p->n_findings];
	char field[48];
	memset(fp, 0, sizeof *fp);
	if (f->item_id > 0 || f->code[0]) {
		int k = item_index(p, f->item_id, f->code);
		snprintf(field, sizeof field, "findings[%d].item_id", i);
		if (k < 0 || strcmp(p->result[k], "fail") != 0)
			return err_set(e, 400, "invalid_value", field,
				       "发现的问题只能对应判为“不符合”的检查项");
		fp->item_id = p->items[k].id;
	}
	snprintf(field, sizeof field, "findings[%d].description", i);
	if (text_check(f->description, INSPECTIONS_TEXT_CHARS, 1, 1, field, "问题描述", e) < 0)
		return -1;
	text_copy(fp->description, sizeof fp->description, f->description);
	fp->fixed_on_site = f->fixed_on_site ? 1 : 0;
	snprintf(field, sizeof field, "findings[%d].requirement", i);
	if (text_check(f->requirement, INSPECTIONS_TEXT_CHARS, 0, 1, field, "整改要求", e) < 0)
		return -1;
	text_copy(fp->requirement, sizeof fp->requirement,
		  text_blank(f->requirement) ? f->description : f->requirement);
	if (check_owner(db, a, in, p, f, i, fp, e) < 0)
		return -1;
	snprintf(field, sizeof field, "findings[%d].deadline", i);
	if (!fp->fixed_on_site) {
		if (!f->deadline[0]) {
			if (default_deadline(db, fp->owner_region, p->visited_on, fp->deadline, e) < 0)
				return -1;
		} else {
			char latest[11];
			if (!inspections_date_valid(f->deadline))
				return err_set(e, 400, "invalid_value", field,
					       "整改期限应为 YYYY-MM-DD 格式的有效日期");
			if (strcmp(f->deadline, p->visited_on) < 0)
				return err_set(e, 400, "invalid_value", field,
					       "整改期限不能早于检查日期（%s）", p->visited_on);
			inspections_date_add(p->visited_on, 366, latest);
			if (strcmp(f->deadline, latest) > 0)
				return err_set(e, 400, "invalid_value", field,
					       "整改期限不能晚于检查日期后一年（%s）", latest);
			text_copy(fp->deadline, sizeof fp->deadline, f->deadline);
		}
	}
	p->n_findings++;
	return 0;
}

static int plan_record(struct db *db, const struct actor *a, const struct inspections_in *in,
		       struct record_plan *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (!actor_can(a, PERM_INSPECTION))
		return forbidden(e, "记录督导检查");
	/* the inspecting body */
	if (in->team_id) {
		struct inspections_team *t = malloc(sizeof *t);
		if (!t)
			return err_oom(e);
		int found = team_load(db, in->team_id, t, e);
		int rc = 0;
		if (found < 0)
			rc = -1;
		else if (!found || !team_visible(a, t))
			rc = err_set(e, 404, "not_found", "team_id", "督导组不存在或不在您的管辖范围内");
		else if (!team_manager(a, t->region_code))
			rc = err_set(e, 403, "forbidden", "team_id", "只有督导组所属单位的人员可以记录该组的检查");
		else if (!t->active)
			rc = err_set(e, 409, "conflict", "team_id", "该督导组已撤销");
		else
			text_copy(p->inspector_region, sizeof p->inspector_region, t->region_code);
		free(t);
		if (rc < 0)
			return -1;
	} else {
		if (!a->region_code[0])
			return err_set(e, 400, "required", "team_id", "请选择督导组");
		text_copy(p->inspector_region, sizeof p->inspector_region, a->region_code);
	}
	/* the target */
	int institution = strcmp(in->target_kind, "institution") == 0;
	if (!institution && strcmp(in->target_kind, "region") != 0)
		return err_set(e, 400, in->target_kind[0] ? "invalid_value" : "required",
			       "target_kind", "被检查对象类型应为 region（县镇村）或 institution（机构）");
	if (institution) {
		char name[INSPECTIONS_NAME_SZ] = "", region[16] = "";
		if (in->institution_id <= 0)
			return err_set(e, 400, "required", "institution_id", "请选择被检查的机构");
		int found = insp_institution_lookup(db, in->institution_id, name, region, e);
		if (found < 0)
			return -1;
		if (found == 2)
			return err_set(e, 400, "invalid_value", "institution_id",
				       "机构登记中没有编号为 %lld 的机构", (long long)in->institution_id);
		if (!found) {
			text_copy(name, sizeof name, in->target_name);
			text_copy(region, sizeof region, in->region_code);
		}
		if (text_check(name, INSPECTIONS_NAME_CHARS, 1, 0, "target_name", "机构名称", e) < 0)
			return -1;
		text_copy(p->target_name, sizeof p->target_name, name);
		text_copy(p->region_code, sizeof p->region_code, region);
	} else {
		text_copy(p->region_code, sizeof p->region_code, in->region_code);
	}
	if (!p->region_code[0])
		return err_set(e, 400, "required", "region_code", "请填写被检查对象的区划代码");
	struct region r;
	struct err ignore;
	if (regions_get(db, p->region_code, &r, &ignore) < 0 || r.level < REGIONS_COUNTY)
		return err_set(e, 400, "invalid_region", "region_code",
			       "被检查对象的区划应为县级或以下的区划代码：%.15s", p->region_code);
	if (!institution)
		text_copy(p->target_name, sizeof p->target_name, r.name);
	if (!scope_contains(&a->scope, p->region_code))
		return err_set(e, 403, "out_of_scope", "region_code", "区划 %.15s 不在您的管辖范围内",
			       p->region_code);
	if (!institution && strcmp(p->region_code, p->inspector_region) == 0)
		return err_set(e, 400, "invalid_region", "region_code", "不能督导检查本单位");
	if (insp_day(in->visited_on, "visited_on", p->visited_on, e) < 0 ||
	    text_check(in->inspectors, INSPECTIONS_TEXT_CHARS, 0, 0, "inspectors", "检查人员", e) < 0 ||
	    text_check(in->summary, INSPECTIONS_TEXT_CHARS, 0, 1, "summary", "检查情况", e) < 0)
		return -1;
	/* the checklist: one result for every active item that applies, nothing else */
	struct inspections_check_item *all;
	int nall;
	if (checklist_load(db, 0, &all, &nall, e) < 0)
		return -1;
	p->items = calloc(nall ? (size_t)nall : 1, sizeof *p->items);
	p->result = calloc(nall ? (size_t)nall : 1, sizeof *p->result);
	p->result_index = calloc(nall ? (size_t)nall : 1, sizeof *p->result_index);
	if (!p->items || !p->result || !p->result_index) {
		free(all);
		return err_oom(e);
	}
	for (int k = 0; k < nall; k++)
		if (strcmp(all[k].applies_to, "all") == 0 ||
		    strcmp(all[k].applies_to, institution ? "institution" : "region") == 0)
			p->items[p->n_items++] = all[k];
	free(all);
	if (in->n_results > INSPECTIONS_MAX_RESULTS)
		return err_set(e, 400, "invalid_value", "results", "检查结果过多");
	for (int i = 0; i < in->n_results; i++) {
		const struct inspections_result_in *res = &in->results[i];
		char field[40];
		snprintf(field, sizeof field, "results[%d].item_id", i);
		int k = item_index(p, res->item_id, res->code);
		if (k < 0)
			return err_set(e, 400, "invalid_value", field,
				       "检查项不存在、已停用或不适用于该类检查对象");
		if (p->result[k][0])
			return err_set(e, 400, "invalid_value", field, "检查项“%s”重复填写",
				       p->items[k].label);
		snprintf(field, sizeof field, "results[%d].result", i);
		if (strcmp(res->result, "pass") != 0 && strcmp(res->result, "fail") != 0 &&
		    strcmp(res->result, "na") != 0)
			return err_set(e, 400, res->result[0] ? "invalid_value" : "required", field,
				       "检查结果应为 pass（符合）、fail（不符合）或 na（不适用）");
		snprintf(field, sizeof field, "results[%d].note", i);
		if (text_check(res->note, INSPECTIONS_TEXT_CHARS, 0, 1, field, "说明", e) < 0)
			return -1;
		text_copy(p->result[k], 8, res->result);
		p->result_index[k] = i;
		p->n_pass += res->result[0] == 'p';
		p->n_fail += res->result[0] == 'f';
		p->n_na += res->result[0] == 'n';
	}
	for (int k = 0; k < p->n_items; k++)
		if (!p->result[k][0])
			return err_set(e, 400, "checklist_incomplete", "results",
				       "检查项“%s”未填写结果（每一项都须判定：符合、不符合或不适用）",
				       p->items[k].label);
	/* findings: those given, then one for each failed item without one */
	if (in->n_findings > INSPECTIONS_MAX_FINDINGS)
		return err_set(e, 400, "invalid_value", "findings", "发现问题最多 %d 条",
			       INSPECTIONS_MAX_FINDINGS);
	for (int i = 0; i < in->n_findings; i++)
		if (plan_finding(db, a, in, p, &in->findings[i], i, e) < 0)
			return -1;
	for (int k = 0; k < p->n_items; k++) {
		if (strcmp(p->result[k], "fail") != 0)
			continue;
		int covered = 0;
		for (int j = 0; j < p->n_findings && !covered; j++)
			covered = p->findings[j].item_id == p->items[k].id;
		if (covered)
			continue;
		struct inspections_finding_in *f = calloc(1, sizeof *f);
		if (!f)
			return err_oom(e);
		const char *note = in->results[p->result_index[k]].note;
		f->item_id = p->items[k].id;
		if (text_blank(note))
			snprintf(f->description, sizeof f->description, "不符合：%s", p->items[k].label);
		else
			snprintf(f->description, sizeof f->description, "%s：%s", p->items[k].label, note);
		int rc = plan_finding(db, a, in, p, f, in->n_findings, e);
		free(f);
		if (rc < 0) {
			snprintf(e->field, sizeof e->field, "results[%d]", p->result_index[k]);
			return -1;
		}
	}
	return 0;
}

static int insert_rect(struct db *db, const struct actor *a, int64_t inspection_id,
		       int64_t finding_id, const struct record_plan *p,
		       const struct finding_plan *f, const char *now, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO rectifications (inspection_id, finding_id, inspector_region, owner_kind, "
	    "region_code, institution_id, owner_name, requirement, deadline, status, last_on, "
	    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, inspection_id);
	db_bind_int(st, 2, finding_id);
	db_bind_text(st, 3, p->inspector_region);
	db_bind_text(st, 4, f->owner_kind);
	db_bind_text(st, 5, f->owner_region);
	if (f->owner_institution_id > 0)
		db_bind_int(st, 6, f->owner_institution_id);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, f->owner_name);
	db_bind_text(st, 8, f->requirement);
	db_bind_text(st, 9, f->deadline);
	db_bind_text(st, 10, p->visited_on);
	db_bind_text(st, 11, now);
	db_bind_text(st, 12, now);
	if (db_run(st, e) < 0)
		return -1;
	int64_t id = db_last_id(db);
	st = db_prepare(db, "INSERT INTO rectification_events (rectification_id, action, "
			    "from_status, to_status, on_day, at, by_user, note, deadline) VALUES "
			    "(?, 'create', '', 'open', ?, ?, ?, '', ?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, p->visited_on);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, a->username);
	db_bind_text(st, 5, f->deadline);
	return db_run(st, e);
}

static int write_record(struct db *db, const struct actor *a, const struct inspections_in *in,
			const struct record_plan *p, int64_t *id, struct err *e)
{
	char now[32];
	int n_items = 0;
	insp_now(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO inspections (team_id, inspector_region, target_kind, region_code, "
	    "institution_id, target_name, visited_on, inspectors, summary, n_pass, n_fail, n_na, "
	    "n_findings, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    e);
	if (!st)
		return -1;
	if (in->team_id)
		db_bind_int(st, 1, in->team_id);
	else
		db_bind_null(st, 1);
	db_bind_text(st, 2, p->inspector_region);
	db_bind_text(st, 3, in->target_kind);
	db_bind_text(st, 4, p->region_code);
	if (strcmp(in->target_kind, "institution") == 0)
		db_bind_int(st, 5, in->institution_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, p->target_name);
	db_bind_text(st, 7, p->visited_on);
	db_bind_text(st, 8, in->inspectors);
	db_bind_text(st, 9, in->summary);
	db_bind_int(st, 10, p->n_pass);
	db_bind_int(st, 11, p->n_fail);
	db_bind_int(st, 12, p->n_na);
	db_bind_int(st, 13, p->n_findings);
	db_bind_text(st, 14, now);
	db_bind_text(st, 15, a->username);
	if (db_run(st, e) < 0)
		return -1;
	*id = db_last_id(db);
	for (int k = 0; k < p->n_items; k++) {
		st = db_prepare(db, "INSERT INTO inspection_results (inspection_id, item_id, result, "
				    "note) VALUES (?, ?, ?, ?)", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, *id);
		db_bind_int(st, 2, p->items[k].id);
		db_bind_text(st, 3, p->result[k]);
		db_bind_text(st, 4, in->results[p->result_index[k]].note);
		if (db_run(st, e) < 0)
			return -1;
	}
	for (int j = 0; j < p->n_findings; j++) {
		const struct finding_plan *f = &p->findings[j];
		st = db_prepare(db, "INSERT INTO inspection_findings (inspection_id, item_id, "
				    "description, fixed_on_site) VALUES (?, ?, ?, ?)", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, *id);
		if (f->item_id > 0)
			db_bind_int(st, 2, f->item_id);
		else
			db_bind_null(st, 2);
		db_bind_text(st, 3, f->description);
		db_bind_int(st, 4, f->fixed_on_site);
		if (db_run(st, e) < 0)
			return -1;
		if (f->fixed_on_site)
			continue;
		if (insert_rect(db, a, *id, db_last_id(db), p, f, now, e) < 0)
			return -1;
		n_items++;
	}
	char object[48];
	snprintf(object, sizeof object, "inspection:%lld", (long long)*id);
	char *detail = insp_json_text(json_pack(
	    "{s:s, s:s, s:s, s:i, s:i, s:i}", "target_kind", in->target_kind, "region_code",
	    p->region_code, "visited_on", p->visited_on, "failed", p->n_fail, "findings",
	    p->n_findings, "rectifications", n_items));
	int rc = audit_append(db, a, "inspection.record", object, "ok", detail, e);
	free(detail);
	return rc;
}

int inspections_record(struct db *db, const struct actor *a, const struct inspections_in *in,
		       int64_t *id, struct err *e)
{
	struct record_plan *p = malloc(sizeof *p);
	int rc = -1, began = 0;
	if (!p)
		return err_oom(e);
	/* checks read the database; a caller's transaction (the demo) covers them too */
	if ((began = insp_begin(db, e)) < 0) {
		free(p);
		return -1;
	}
	if (plan_record(db, a, in, p, e) == 0)
		rc = write_record(db, a, in, p, id, e);
	plan_release(p);
	free(p);
	return insp_end(db, began, rc, e);
}

/* ------------------------------------------------------------------------------------------ */
/* reading inspections                                                                        */
/* ------------------------------------------------------------------------------------------ */

#define VISIT_COLS                                                                               \
	"i.id, coalesce(i.team_id, 0), coalesce(t.name, ''), i.inspector_region, i.target_kind, " \
	"i.region_code, coalesce(g.name, ''), coalesce(i.institution_id, 0), i.target_name, "    \
	"i.visited_on, i.inspectors, i.summary, i.n_pass, i.n_fail, i.n_na, i.n_findings, "      \
	"(SELECT count(*) FROM rectifications r WHERE r.inspection_id = i.id), "                  \
	"(SELECT count(*) FROM rectifications r WHERE r.inspection_id = i.id AND r.status <> "    \
	"'verified'), i.created_at, i.created_by "
#define VISIT_FROM                                                                               \
	" FROM inspections i LEFT JOIN inspection_teams t ON t.id = i.team_id "                   \
	"LEFT JOIN regions g ON g.code = i.region_code "

static void visit_read(struct db_stmt *st, struct inspections_visit *v)
{
	int c = 0;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, c++);
	v->team_id = db_col_int(st, c++);
	text_copy(v->team_name, sizeof v->team_name, db_col_text(st, c++));
	text_copy(v->inspector_region, sizeof v->inspector_region, db_col_text(st, c++));
	text_copy(v->target_kind, sizeof v->target_kind, db_col_text(st, c++));
	text_copy(v->region_code, sizeof v->region_code, db_col_text(st, c++));
	text_copy(v->region_name, sizeof v->region_name, db_col_text(st, c++));
	v->institution_id = db_col_int(st, c++);
	text_copy(v->target_name, sizeof v->target_name, db_col_text(st, c++));
	text_copy(v->visited_on, sizeof v->visited_on, db_col_text(st, c++));
	text_copy(v->inspectors, sizeof v->inspectors, db_col_text(st, c++));
	text_copy(v->summary, sizeof v->summary, db_col_text(st, c++));
	v->n_pass = (int)db_col_int(st, c++);
	v->n_fail = (int)db_col_int(st, c++);
	v->n_na = (int)db_col_int(st, c++);
	v->n_findings = (int)db_col_int(st, c++);
	v->n_items = (int)db_col_int(st, c++);
	v->n_open_items = (int)db_col_int(st, c++);
	text_copy(v->created_at, sizeof v->created_at, db_col_text(st, c++));
	text_copy(v->created_by, sizeof v->created_by, db_col_text(st, c++));
}

void inspections_detail_release(struct inspections_detail *d)
{
	free(d->results);
	free(d->findings);
	free(d->rects);
	d->results = NULL;
	d->findings = NULL;
	d->rects = NULL;
	d->n_results = d->n_findings = d->n_rects = 0;
}

static int detail_lists(struct db *db, struct inspections_detail *d, struct err *e)
{
	int alloc = 0, rc;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT c.id, c.code, c.category, c.label, x.result, x.note FROM inspection_results x "
	    "JOIN inspection_checklist c ON c.id = x.item_id WHERE x.inspection_id = ? "
	    "ORDER BY c.position, c.id",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->v.id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->results, d->n_results, &alloc, sizeof *d->results, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		struct inspections_result *x = &d->results[d->n_results++];
		x->item_id = db_col_int(st, 0);
		text_copy(x->code, sizeof x->code, db_col_text(st, 1));
		text_copy(x->category, sizeof x->category, db_col_text(st, 2));
		text_copy(x->label, sizeof x->label, db_col_text(st, 3));
		text_copy(x->result, sizeof x->result, db_col_text(st, 4));
		text_copy(x->note, sizeof x->note, db_col_text(st, 5));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	alloc = 0;
	st = db_prepare(db,
			"SELECT f.id, coalesce(f.item_id, 0), coalesce(c.label, ''), f.description, "
			"f.fixed_on_site, coalesce(r.id, 0) FROM inspection_findings f "
			"LEFT JOIN inspection_checklist c ON c.id = f.item_id "
			"LEFT JOIN rectifications r ON r.finding_id = f.id "
			"WHERE f.inspection_id = ? ORDER BY f.id",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->v.id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->findings, d->n_findings, &alloc, sizeof *d->findings, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		struct inspections_finding *f = &d->findings[d->n_findings++];
		f->id = db_col_int(st, 0);
		f->item_id = db_col_int(st, 1);
		text_copy(f->item_label, sizeof f->item_label, db_col_text(st, 2));
		text_copy(f->description, sizeof f->description, db_col_text(st, 3));
		f->fixed_on_site = (int)db_col_int(st, 4);
		f->rectification_id = db_col_int(st, 5);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	/* the items of the inspection, whoever owns them: their owners lie on the target's line,
	 * inside the recording caller's scope, and the reader already sees the target */
	char today[11];
	insp_today(today);
	alloc = 0;
	st = db_prepare(db, "SELECT " INSP_RECT_COLS INSP_RECT_FROM
			    "WHERE r.inspection_id = ? ORDER BY r.id", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->v.id);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->rects, d->n_rects, &alloc, sizeof *d->rects, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		insp_rect_read(st, &d->rects[d->n_rects++], today, 0);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int inspections_get(struct db *db, const struct actor *a, int64_t id,
		    struct inspections_detail *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	int rc = -1, began;
	memset(out, 0, sizeof *out);
	if (!insp_can_read(a))
		return err_set(e, 404, "not_found", NULL, "督导检查记录不存在或不在您的管辖范围内");
	if (strbuf_addstr(&sql, "SELECT " VISIT_COLS VISIT_FROM "WHERE i.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "i.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	if ((began = insp_begin_read(db, e)) < 0)
		goto out;
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto end;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int r = db_step(st, e);
	if (r == 1)
		visit_read(st, &out->v);
	db_done(st);
	if (r < 0)
		goto end;
	int64_t inst;
	int reporter = r == 1 ? insp_reporter(db, a, &inst, e) : 0;
	if (reporter < 0)
		goto end;
	if (r == 0 || (reporter && (inst <= 0 || out->v.institution_id != inst))) {
		err_set(e, 404, "not_found", NULL, "督导检查记录不存在或不在您的管辖范围内");
		goto end;
	}
	if (detail_lists(db, out, e) < 0) {
		inspections_detail_release(out);
		goto end;
	}
	rc = 0;
end:
	insp_end_read(db, began);
out:
	strbuf_release(&sql);
	return rc;
}

void inspections_page_release(struct inspections_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

int insp_region_filter(const struct actor *a, const char *region, struct err *e)
{
	int rc = scope_region_filter(&a->scope, region, e);
	if (rc > 0)
		return err_set(e, 403, "out_of_scope", "region", "区划 %s 不在您的管辖范围内", region);
	return rc;
}

#define VISIT_WHERE                                                                              \
	"(?1 = 0 OR i.team_id = ?1) AND (?2 = 0 OR i.institution_id = ?2) AND "                   \
	"(?3 = '' OR i.visited_on >= ?3) AND (?4 = '' OR i.visited_on <= ?4) AND "                \
	"i.region_code >= ?5 AND i.region_code < ?6 AND "

int inspections_list(struct db *db, const struct actor *a, const struct inspections_query *q,
		     struct inspections_page *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT, cnt = STRBUF_INIT;
	int limit = q->limit ? q->limit : 50, rc = -1, began = 0;
	memset(out, 0, sizeof *out);
	if (!insp_can_read(a))
		return forbidden(e, "查看督导检查记录");
	if (limit < 1 || limit > INSPECTIONS_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–%d", INSPECTIONS_PAGE_MAX);
	if (q->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	if ((q->from[0] && !inspections_date_valid(q->from)) || (q->to[0] && !inspections_date_valid(q->to)))
		return err_set(e, 400, "invalid_value", q->from[0] && !inspections_date_valid(q->from) ? "from" : "to",
			       "日期应为 YYYY-MM-DD");
	if (insp_region_filter(a, q->region, e) < 0)
		return -1;
	if (strbuf_addstr(&sql, "SELECT " VISIT_COLS VISIT_FROM "WHERE " VISIT_WHERE) < 0 ||
	    scope_sql(&sql, &a->scope, "i.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY i.visited_on DESC, i.id DESC LIMIT ? OFFSET ?") < 0 ||
	    strbuf_addstr(&cnt, "SELECT count(*) FROM inspections i WHERE " VISIT_WHERE) < 0 ||
	    scope_sql(&cnt, &a->scope, "i.region_code") < 0) {
		err_oom(e);
		goto out;
	}
	if ((began = insp_begin_read(db, e)) < 0)
		goto out;
	int64_t inst = q->institution_id, own;
	int reporter = insp_reporter(db, a, &own, e);
	if (reporter < 0)
		goto out;
	if (reporter)
		inst = own > 0 && (!q->institution_id || q->institution_id == own) ? own : -1;
	int alloc = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(db, strbuf_str(pass ? &sql : &cnt), e);
		if (!st)
			goto out;
		db_bind_int(st, 1, q->team_id);
		db_bind_int(st, 2, inst);
		db_bind_text(st, 3, q->from);
		db_bind_text(st, 4, q->to);
		int next = scope_bind_prefix(st, q->region, 5);
		next = scope_bind(st, &a->scope, next);
		if (pass == 0) {
			int r = db_step(st, e);
			out->total = r == 1 ? db_col_int(st, 0) : 0;
			db_done(st);
			if (r < 0)
				goto out;
			continue;
		}
		db_bind_int(st, next, limit);
		db_bind_int(st, next + 1, q->offset);
		int r;
		while ((r = db_step(st, e)) == 1) {
			if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
				r = err_oom(e);
				break;
			}
			visit_read(st, &out->items[out->n++]);
		}
		db_done(st);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	insp_end_read(db, began);
	strbuf_release(&sql);
	strbuf_release(&cnt);
	if (rc < 0)
		inspections_page_release(out);
	return rc;
}
