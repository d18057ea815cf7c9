/* inspections_api.c — the inspections module's HTTP routes (docs/api.md, "Inspections"):
 *   GET   /api/v1/inspection-teams                 teams the caller may see
 *   POST  /api/v1/inspection-teams                 a team (201)
 *   GET   /api/v1/inspection-teams/{id}            one team [?unmask=1: phones, audited]
 *   PATCH /api/v1/inspection-teams/{id}            change name, area, members, active
 *   GET   /api/v1/inspection-checklist             the checklist [?all=1: retired items too]
 *   POST  /api/v1/inspection-checklist             add or change an item by its code
 *   GET   /api/v1/inspections                      visits in scope, newest first
 *   POST  /api/v1/inspections                      record a visit with results and findings (201)
 *   GET   /api/v1/inspections/{id}                 a visit with results, findings and items
 *   GET   /api/v1/rectifications                   rectification items in scope
 *   GET   /api/v1/rectifications/overdue           the overdue list [?as_of=DATE]
 *   GET   /api/v1/rectifications/summary           the dashboard's counts
 *   GET   /api/v1/rectifications/{id}              one item with its events
 *   POST  /api/v1/rectifications/{id}/<action>     start submit verify reject reopen extend
 * Handlers translate JSON and query strings to the structs of inspections.h and back; the
 * store checks permission and scope (records are found in scope first, so routes on a record
 * need only a login: a record outside the caller's scope is 404 for every role).
 */
#include "inspections/inspections_internal.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "export/export.h"

/* ---- JSON in ---------------------------------------------------------------------------- */

/* Prefix e's field with "what[i]." when it names a member of an element. */
static int in_elem(struct err *e, const char *what, size_t i)
{
	char prefix[48];
	snprintf(prefix, sizeof prefix, "%s[%zu]", what, i);
	err_prefix_field(e, prefix);
	return -1;
}

int inspections_team_from_json(json_t *b, struct inspections_team_in *in, struct err *e)
{
	json_t *v;
	memset(in, 0, sizeof *in);
	in->has_name = api_json_str(b, "name", in->name, sizeof in->name, e);
	if (in->has_name < 0)
		return -1;
	if (api_json_str(b, "region_code", in->region_code, sizeof in->region_code, e) < 0)
		return -1;
	if ((in->has_area = api_json_str(b, "area", in->area, sizeof in->area, e)) < 0 ||
	    (in->has_note = api_json_str(b, "note", in->note, sizeof in->note, e)) < 0 ||
	    (in->has_active = api_json_bool(b, "active", &in->active, e)) < 0)
		return -1;
	if ((v = json_object_get(b, "areas")) && !json_is_null(v)) {
		if (!json_is_array(v))
			return err_set(e, 400, "invalid_value", "areas", "areas 应为区划代码的数组");
		if (json_array_size(v) > INSPECTIONS_MAX_AREAS)
			return err_set(e, 400, "invalid_value", "areas", "督导地区最多 %d 个",
				       INSPECTIONS_MAX_AREAS);
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i);
			if (!json_is_string(x) || json_string_length(x) >= 16)
				return err_set(e, 400, "invalid_value", "areas", "areas 应为区划代码的数组");
			text_copy(in->areas[in->n_areas++], 16, json_string_value(x));
		}
		in->has_areas = 1;
	}
	if ((v = json_object_get(b, "members")) && !json_is_null(v)) {
		if (!json_is_array(v))
			return err_set(e, 400, "invalid_value", "members", "members 应为数组");
		if (json_array_size(v) > INSPECTIONS_MAX_MEMBERS)
			return err_set(e, 400, "invalid_value", "members", "成员最多 %d 人",
				       INSPECTIONS_MAX_MEMBERS);
		for (size_t i = 0; i < json_array_size(v); i++) {
			json_t *x = json_array_get(v, i);
			struct inspections_member *m = &in->members[in->n_members++];
			if (!json_is_object(x))
				return err_set(e, 400, "invalid_value", "members", "members 应为对象数组");
			if (api_json_str(x, "name", m->name, sizeof m->name, e) < 0 ||
			    api_json_str(x, "role", m->role, sizeof m->role, e) < 0 ||
			    api_json_str(x, "title", m->title, sizeof m->title, e) < 0 ||
			    api_json_str(x, "phone", m->phone, sizeof m->phone, e) < 0)
				return in_elem(e, "members", i);
		}
		in->has_members = 1;
	}
	return 0;
}

int inspections_record_from_json(json_t *b, struct inspections_in *in, struct err *e)
{
	json_t *v;
	memset(in, 0, sizeof *in);
	if (api_json_id(b, "team_id", &in->team_id, e) < 0 ||
	    api_json_str(b, "target_kind", in->target_kind, sizeof in->target_kind, e) < 0 ||
	    api_json_str(b, "region_code", in->region_code, sizeof in->region_code, e) < 0 ||
	    api_json_id(b, "institution_id", &in->institution_id, e) < 0 ||
	    api_json_str(b, "target_name", in->target_name, sizeof in->target_name, e) < 0 ||
	    api_json_str(b, "visited_on", in->visited_on, sizeof in->visited_on, e) < 0 ||
	    api_json_str(b, "inspectors", in->inspectors, sizeof in->inspectors, e) < 0 ||
	    api_json_str(b, "summary", in->summary, sizeof in->summary, e) < 0)
		return -1;
	if (!in->target_kind[0])
		text_copy(in->target_kind, sizeof in->target_kind,
			  in->institution_id ? "institution" : "region");
	v = json_object_get(b, "results");
	if (v && !json_is_null(v) && !json_is_array(v))
		return err_set(e, 400, "invalid_value", "results", "results 应为数组");
	size_t n = v ? json_array_size(v) : 0;
	if (n > INSPECTIONS_MAX_RESULTS)
		return err_set(e, 400, "invalid_value", "results", "检查结果过多");
	if (n && !(in->results = calloc(n, sizeof *in->results)))
		return err_oom(e);
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(v, i);
		struct inspections_result_in *r = &in->results[in->n_results++];
		if (!json_is_object(x))
			return err_set(e, 400, "invalid_value", "results", "results 应为对象数组");
		if (api_json_id(x, "item_id", &r->item_id, e) < 0 ||
		    api_json_str(x, "code", r->code, sizeof r->code, e) < 0 ||
		    api_json_str(x, "result", r->result, sizeof r->result, e) < 0 ||
		    api_json_str(x, "note", r->note, sizeof r->note, e) < 0)
			return in_elem(e, "results", i);
	}
	v = json_object_get(b, "findings");
	if (v && !json_is_null(v) && !json_is_array(v))
		return err_set(e, 400, "invalid_value", "findings", "findings 应为数组");
	n = v ? json_array_size(v) : 0;
	if (n > INSPECTIONS_MAX_FINDINGS)
		return err_set(e, 400, "invalid_value", "findings", "发现问题最多 %d 条",
			       INSPECTIONS_MAX_FINDINGS);
	if (n && !(in->findings = calloc(n, sizeof *in->findings)))
		return err_oom(e);
	for (size_t i = 0; i < n; i++) {
		json_t *x = json_array_get(v, i);
		struct inspections_finding_in *f = &in->findings[in->n_findings++];
		if (!json_is_object(x))
			return err_set(e, 400, "invalid_value", "findings", "findings 应为对象数组");
		if (api_json_id(x, "item_id", &f->item_id, e) < 0 ||
		    api_json_str(x, "code", f->code, sizeof f->code, e) < 0 ||
		    api_json_str(x, "description", f->description, sizeof f->description, e) < 0 ||
		    api_json_bool(x, "fixed_on_site", &f->fixed_on_site, e) < 0 ||
		    api_json_str(x, "requirement", f->requirement, sizeof f->requirement, e) < 0 ||
		    api_json_str(x, "deadline", f->deadline, sizeof f->deadline, e) < 0 ||
		    api_json_str(x, "owner_kind", f->owner_kind, sizeof f->owner_kind, e) < 0 ||
		    api_json_str(x, "owner_region", f->owner_region, sizeof f->owner_region,
				 e) < 0 ||
		    api_json_id(x, "owner_institution_id", &f->owner_institution_id, e) < 0 ||
		    api_json_str(x, "owner_name", f->owner_name, sizeof f->owner_name, e) < 0)
			return in_elem(e, "findings", i);
	}
	return 0;
}

void inspections_record_release(struct inspections_in *in)
{
	free(in->results);
	free(in->findings);
	in->results = NULL;
	in->findings = NULL;
}

/* ---- JSON out --------------------------------------------------------------------------- */

json_t *inspections_team_json(const struct inspections_team *t)
{
	json_t *areas = json_array(), *members = json_array();
	for (int i = 0; areas && i < t->n_areas; i++)
		json_array_append_new(areas, json_pack("{s:s, s:s}", "code", t->areas[i], "name",
						       t->area_names[i]));
	for (int i = 0; members && i < t->n_members; i++) {
		const struct inspections_member *m = &t->members[i];
		json_array_append_new(members, json_pack("{s:s, s:s, s:s, s:s}", "name", m->name,
							 "role", m->role, "title", m->title, "phone",
							 m->phone));
	}
	if (!areas || !members) {
		json_decref(areas);
		json_decref(members);
		return NULL;
	}
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:I, s:b, s:s, s:s, s:s}",
			 "id", (json_int_t)t->id, "name", t->name, "region_code", t->region_code,
			 "region_name", t->region_name, "area", t->area, "note", t->note, "active",
			 t->active, "areas", areas, "members", members, "inspections",
			 (json_int_t)t->n_inspections, "masked", !t->unmasked, "created_at",
			 t->created_at, "created_by", t->created_by, "updated_at", t->updated_at);
}

static json_t *item_json(const struct inspections_check_item *it)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:b}", "id", (json_int_t)it->id,
			 "code", it->code, "category", it->category, "label", it->label, "guidance",
			 it->guidance, "applies_to", it->applies_to, "position", it->position,
			 "active", it->active);
}

json_t *inspections_visit_json(const struct inspections_visit *v)
{
	json_t *o = json_pack(
	    "{s:I, s:o, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
	    (json_int_t)v->id, "team_id", api_json_opt_id(v->team_id), "team_name", v->team_name,
	    "inspector_region", v->inspector_region, "target_kind", v->target_kind, "region_code",
	    v->region_code, "region_name", v->region_name, "institution_id",
	    api_json_opt_id(v->institution_id), "target_name", v->target_name, "visited_on",
	    v->visited_on, "inspectors", v->inspectors, "summary", v->summary, "created_at",
	    v->created_at, "created_by", v->created_by);
	if (o)
		json_object_set_new(o, "counts",
				    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}", "pass", v->n_pass,
					      "fail", v->n_fail, "na", v->n_na, "findings",
					      v->n_findings, "items", v->n_items, "open_items",
					      v->n_open_items));
	return o;
}

json_t *inspections_rect_json(const struct inspections_rect *r)
{
	json_t *o = json_pack(
	    "{s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s}", "id",
	    (json_int_t)r->id, "inspection_id", (json_int_t)r->inspection_id, "finding_id",
	    (json_int_t)r->finding_id, "status", inspections_status_name(r->status), "status_label",
	    inspections_status_label(r->status), "owner_kind", r->owner_kind, "owner_name",
	    r->owner_name, "region_code", r->region_code, "region_name", r->region_name,
	    "unit_code", r->unit_code, "institution_id", api_json_opt_id(r->institution_id),
	    "finding", r->finding, "requirement", r->requirement, "deadline", r->deadline,
	    "evidence", r->evidence);
	json_t *more = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:i, s:b, s:b, s:s, s:s}",
	    "submitted_on", r->submitted_on, "submitted_by", r->submitted_by, "verified_on",
	    r->verified_on, "verified_by", r->verified_by, "last_note", r->last_note,
	    "reopened_count", r->reopened_count, "visited_on", r->visited_on, "target_name",
	    r->target_name, "team_name", r->team_name, "inspector_region", r->inspector_region,
	    "overdue", r->overdue, "days_overdue", r->days_overdue, "due_soon", r->due_soon,
	    "closed_late", r->closed_late, "created_at", r->created_at, "updated_at",
	    r->updated_at);
	if (!o || !more || json_object_update(o, more) < 0) {
		json_decref(o);
		json_decref(more);
		return NULL;
	}
	json_decref(more);
	return o;
}

json_t *inspections_detail_json(const struct inspections_detail *d)
{
	json_t *o = inspections_visit_json(&d->v);
	json_t *results = json_array(), *findings = json_array(), *rects = json_array();
	if (!o || !results || !findings || !rects)
		goto fail;
	for (int i = 0; i < d->n_results; i++) {
		const struct inspections_result *x = &d->results[i];
		if (json_array_append_new(results, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "item_id",
							     (json_int_t)x->item_id, "code", x->code,
							     "category", x->category, "label", x->label,
							     "result", x->result, "note", x->note)) < 0)
			goto fail;
	}
	for (int i = 0; i < d->n_findings; i++) {
		const struct inspections_finding *f = &d->findings[i];
		if (json_array_append_new(
			findings,
			json_pack("{s:I, s:o, s:s, s:s, s:b, s:o}", "id", (json_int_t)f->id,
				  "item_id", api_json_opt_id(f->item_id), "item_label",
				  f->item_label, "description", f->description, "fixed_on_site",
				  f->fixed_on_site, "rectification_id",
				  api_json_opt_id(f->rectification_id))) < 0)
			goto fail;
	}
	for (int i = 0; i < d->n_rects; i++)
		if (json_array_append_new(rects, inspections_rect_json(&d->rects[i])) < 0)
			goto fail;
	json_object_set_new(o, "results", results);
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "rectifications", rects);
	return o;
fail:
	json_decref(o);
	json_decref(results);
	json_decref(findings);
	json_decref(rects);
	return NULL;
}

/* ---- teams ------------------------------------------------------------------------------ */

static const struct export_col teams_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"名称", EXPORT_TEXT, 18, "name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"区划", EXPORT_TEXT, 16, "region_name", NULL},
	{"负责片区", EXPORT_TEXT, 24, "area", NULL},
	{"在用", EXPORT_BOOL, 6, "active", NULL},
	{"检查次数", EXPORT_INT, 8, "inspections", NULL},
	{"备注", EXPORT_TEXT, 24, "note", NULL},
	{"更新时间", EXPORT_DATETIME, 18, "updated_at", NULL},
};

static int teams_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec teams_list_export = {
	"inspection_teams", "督导组", NULL, 0, EXPORT_COLS(teams_list_cols)};

static int teams_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, teams_list, &teams_list_export, e);
	struct inspections_team *teams;
	int n;
	if (inspections_team_list(rq->db, rq->actor, api_query_flag(rq, "all"), &teams, &n, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < n; i++)
		if (json_array_append_new(items, inspections_team_json(&teams[i])) < 0) {
			json_decref(items);
			items = NULL;
		}
	free(teams);
	return api_reply(rs, 200,
			 items ? json_pack("{s:o, s:i}", "items", items, "total", n) : NULL, e);
}

static int team_reply(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		      struct err *e)
{
	struct inspections_team *t = malloc(sizeof *t);
	if (!t)
		return err_oom(e);
	int rc = inspections_team_get(rq->db, rq->actor, id, unmask, t, e);
	if (rc == 0)
		rc = api_reply(rs, status, inspections_team_json(t), e);
	free(t);
	return rc;
}

static int team_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *b = api_body_object(rq, e);
	struct inspections_team_in *in = malloc(sizeof *in);
	int64_t id;
	int rc = -1;
	if (b && in && inspections_team_from_json(b, in, e) == 0 &&
	    inspections_team_create(rq->db, rq->actor, in, &id, e) == 0)
		rc = team_reply(rq, rs, id, 0, 201, e);
	else if (b && !in)
		err_oom(e);
	json_decref(b);
	free(in);
	return rc;
}

static int team_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return team_reply(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

static int team_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *b = api_body_object(rq, e);
	struct inspections_team_in *in = malloc(sizeof *in);
	int rc = -1;
	if (b && in && inspections_team_from_json(b, in, e) == 0 &&
	    inspections_team_update(rq->db, rq->actor, id, in, e) == 0)
		rc = team_reply(rq, rs, id, 0, 200, e);
	else if (b && !in)
		err_oom(e);
	json_decref(b);
	free(in);
	return rc;
}

/* ---- the checklist ---------------------------------------------------------------------- */

static int checklist_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct inspections_check_item *items;
	int n;
	if (inspections_checklist(rq->db, rq->actor, api_query_flag(rq, "all"), &items, &n, e) < 0)
		return -1;
	json_t *arr = json_array();
	for (int i = 0; arr && i < n; i++)
		if (json_array_append_new(arr, item_json(&items[i])) < 0) {
			json_decref(arr);
			arr = NULL;
		}
	free(items);
	return api_reply(rs, 200, arr ? json_pack("{s:o, s:i}", "items", arr, "total", n) : NULL,
			 e);
}

static int checklist_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *b = api_body_object(rq, e);
	if (!b)
		return -1;
	struct inspections_check_item *in = calloc(1, sizeof *in);
	int64_t id, pos = 0;
	int created, rc = -1;
	if (!in) {
		json_decref(b);
		return err_oom(e);
	}
	in->active = 1;
	json_t *p = json_object_get(b, "position");
	if (p && !json_is_null(p)) {
		if (!json_is_integer(p) || json_integer_value(p) < 1 || json_integer_value(p) > 100000) {
			err_set(e, 400, "invalid_value", "position", "position 应为 1–100000 的整数");
			goto out;
		}
		pos = (int64_t)json_integer_value(p);
	}
	in->position = (int)pos;
	if (api_json_str(b, "code", in->code, sizeof in->code, e) < 0 ||
	    api_json_str(b, "category", in->category, sizeof in->category, e) < 0 ||
	    api_json_str(b, "label", in->label, sizeof in->label, e) < 0 ||
	    api_json_str(b, "guidance", in->guidance, sizeof in->guidance, e) < 0 ||
	    api_json_str(b, "applies_to", in->applies_to, sizeof in->applies_to, e) < 0 ||
	    api_json_bool(b, "active", &in->active, e) < 0 ||
	    inspections_checklist_put(rq->db, rq->actor, in, &id, &created, e) < 0)
		goto out;
	in->id = id;
	/* answer with the stored item */
	struct inspections_check_item *all;
	int n;
	if (inspections_checklist(rq->db, rq->actor, 1, &all, &n, e) < 0)
		goto out;
	for (int i = 0; i < n; i++)
		if (all[i].id == id)
			rc = api_reply(rs, created ? 201 : 200, item_json(&all[i]), e);
	free(all);
	if (rc < 0 && !e->code[0])
		err_oom(e);
out:
	json_decref(b);
	free(in);
	return rc;
}

/* ---- inspections ------------------------------------------------------------------------ */

static int detail_reply(struct api_req *rq, struct api_res *rs, int64_t id, int status,
			struct err *e)
{
	struct inspections_detail *d = malloc(sizeof *d);
	if (!d)
		return err_oom(e);
	int rc = inspections_get(rq->db, rq->actor, id, d, e);
	if (rc == 0) {
		rc = api_reply(rs, status, inspections_detail_json(d), e);
		inspections_detail_release(d);
	}
	free(d);
	return rc;
}

static const struct export_col inspections_list_get_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"检查日期", EXPORT_DATE, 12, "visited_on", NULL},
	{"督导组", EXPORT_TEXT, 16, "team_name", NULL},
	{"对象类型", EXPORT_TEXT, 10, "target_kind", "region=县镇村;institution=机构"},
	{"检查对象", EXPORT_TEXT, 20, "target_name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"区划", EXPORT_TEXT, 16, "region_name", NULL},
	{"检查人员", EXPORT_TEXT, 16, "inspectors", NULL},
	{"合格项", EXPORT_INT, 8, "counts.pass", NULL},
	{"不合格项", EXPORT_INT, 8, "counts.fail", NULL},
	{"不适用项", EXPORT_INT, 8, "counts.na", NULL},
	{"发现问题", EXPORT_INT, 8, "counts.findings", NULL},
	{"整改事项", EXPORT_INT, 8, "counts.items", NULL},
	{"未办结整改", EXPORT_INT, 10, "counts.open_items", NULL},
	{"检查情况", EXPORT_TEXT, 30, "summary", NULL},
};

static int inspections_list_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec inspections_list_get_export = {
	"inspections", "督导检查", NULL, INSPECTIONS_PAGE_MAX, EXPORT_COLS(inspections_list_get_cols)};

static int inspections_list_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, inspections_list_get, &inspections_list_get_export, e);
	struct inspections_query q;
	struct inspections_page page;
	long limit, offset, team, inst;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0 ||
	    api_query_int(rq, "team_id", 0, 0, 1L << 40, &team, e) < 0 ||
	    api_query_int(rq, "institution_id", 0, 0, 1L << 40, &inst, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, INSPECTIONS_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q.team_id = team;
	q.institution_id = inst;
	q.limit = (int)limit;
	q.offset = (int)offset;
	if (inspections_list(rq->db, rq->actor, &q, &page, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < page.n; i++)
		if (json_array_append_new(items, inspections_visit_json(&page.items[i])) < 0) {
			json_decref(items);
			items = NULL;
		}
	inspections_page_release(&page);
	return api_reply(rs, 200, items ? json_pack("{s:o, s:I}", "items", items, "total",
					       (json_int_t)page.total) : NULL, e);
}

static int inspection_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *b = api_body_object(rq, e);
	struct inspections_in in;
	int64_t id;
	int rc = -1;
	memset(&in, 0, sizeof in);
	if (b && inspections_record_from_json(b, &in, e) == 0 &&
	    inspections_record(rq->db, rq->actor, &in, &id, e) == 0)
		rc = detail_reply(rq, rs, id, 201, e);
	inspections_record_release(&in);
	json_decref(b);
	return rc;
}

static int inspection_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return detail_reply(rq, rs, id, 200, e);
}

/* ---- rectification items ---------------------------------------------------------------- */

static int rect_list_common(struct api_req *rq, struct api_res *rs, int overdue, struct err *e)
{
	struct inspections_rect_query q;
	struct inspections_rect_page page;
	long limit, offset, insp, team;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "status", q.status, sizeof q.status, e) < 0 ||
	    api_query_str(rq, "as_of", q.as_of, sizeof q.as_of, e) < 0 ||
	    api_query_int(rq, "inspection_id", 0, 0, 1L << 40, &insp, e) < 0 ||
	    api_query_int(rq, "team_id", 0, 0, 1L << 40, &team, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, INSPECTIONS_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0)
		return -1;
	q.overdue = overdue || api_query_flag(rq, "overdue");
	q.inspection_id = insp;
	q.team_id = team;
	q.limit = (int)limit;
	q.offset = (int)offset;
	if (inspections_rect_list(rq->db, rq->actor, &q, &page, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < page.n; i++)
		if (json_array_append_new(items, inspections_rect_json(&page.items[i])) < 0) {
			json_decref(items);
			items = NULL;
		}
	json_t *body = items ? json_pack("{s:o, s:I, s:s}", "items", items, "total",
					 (json_int_t)page.total, "as_of", page.as_of)
			     : NULL;
	inspections_rect_page_release(&page);
	return api_reply(rs, 200, body, e);
}

static const struct export_col rect_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"检查对象", EXPORT_TEXT, 22, "target_name", NULL},
	{"检查日期", EXPORT_DATE, 12, "visited_on", NULL},
	{"检查组", EXPORT_TEXT, 14, "team_name", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"责任方", EXPORT_TEXT, 16, "owner_name", NULL},
	{"问题", EXPORT_TEXT, 30, "finding", NULL},
	{"整改要求", EXPORT_TEXT, 30, "requirement", NULL},
	{"整改期限", EXPORT_DATE, 12, "deadline", NULL},
	{"状态", EXPORT_TEXT, 10, "status_label", NULL},
	{"逾期天数", EXPORT_INT, 8, "days_overdue", NULL},
	{"提交日期", EXPORT_DATE, 12, "submitted_on", NULL},
	{"验收日期", EXPORT_DATE, 12, "verified_on", NULL},
};

static int rect_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec rect_list_export = {
	"rectifications", "整改事项", NULL, INSPECTIONS_PAGE_MAX, EXPORT_COLS(rect_list_cols)};

static int rect_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, rect_list, &rect_list_export, e);
	return rect_list_common(rq, rs, 0, e);
}

static const struct export_col rect_overdue_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"检查对象", EXPORT_TEXT, 22, "target_name", NULL},
	{"检查日期", EXPORT_DATE, 12, "visited_on", NULL},
	{"检查组", EXPORT_TEXT, 14, "team_name", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"责任方", EXPORT_TEXT, 16, "owner_name", NULL},
	{"问题", EXPORT_TEXT, 30, "finding", NULL},
	{"整改要求", EXPORT_TEXT, 30, "requirement", NULL},
	{"整改期限", EXPORT_DATE, 12, "deadline", NULL},
	{"状态", EXPORT_TEXT, 10, "status_label", NULL},
	{"逾期天数", EXPORT_INT, 8, "days_overdue", NULL},
	{"提交日期", EXPORT_DATE, 12, "submitted_on", NULL},
	{"验收日期", EXPORT_DATE, 12, "verified_on", NULL},
};

static int rect_overdue(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec rect_overdue_export = {
	"rectifications_overdue", "逾期整改事项", NULL, INSPECTIONS_PAGE_MAX, EXPORT_COLS(rect_overdue_cols)};

static int rect_overdue(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, rect_overdue, &rect_overdue_export, e);
	return rect_list_common(rq, rs, 1, e);
}

static int rect_summary(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char region[16] = "", as_of[16] = "";
	struct inspections_summary s;
	if (api_query_str(rq, "region", region, sizeof region, e) < 0 ||
	    api_query_str(rq, "as_of", as_of, sizeof as_of, e) < 0 ||
	    inspections_rect_summary(rq->db, rq->actor, region, as_of, &s, e) < 0)
		return -1;
	json_t *status = json_object(), *units = json_array();
	for (int i = 0; status && i < INSPECTIONS_NSTATUS; i++)
		json_object_set_new(status, inspections_status_name(i), json_integer(s.by_status[i]));
	for (int i = 0; units && i < s.n_units; i++) {
		const struct inspections_unit_counts *u = &s.units[i];
		json_array_append_new(units, json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
						       "unit_code", u->unit_code, "unit_name",
						       u->unit_name, "total", (json_int_t)u->total,
						       "pending", (json_int_t)u->pending, "submitted",
						       (json_int_t)u->submitted, "verified",
						       (json_int_t)u->verified, "overdue",
						       (json_int_t)u->overdue, "due_soon",
						       (json_int_t)u->due_soon));
	}
	json_t *body = status && units
			   ? json_pack("{s:s, s:I, s:o, s:I, s:I, s:I, s:o}", "as_of", s.as_of, "total",
				       (json_int_t)s.total, "by_status", status, "overdue",
				       (json_int_t)s.overdue, "due_soon", (json_int_t)s.due_soon,
				       "closed_late", (json_int_t)s.closed_late, "units", units)
			   : NULL;
	if (!body) {
		json_decref(status);
		json_decref(units);
	}
	inspections_summary_release(&s);
	return api_reply(rs, 200, body, e);
}

static int rect_reply(struct api_req *rq, struct api_res *rs, int64_t id, struct err *e)
{
	struct inspections_rect_detail *d = malloc(sizeof *d);
	if (!d)
		return err_oom(e);
	int rc = inspections_rect_get(rq->db, rq->actor, id, d, e);
	if (rc == 0) {
		json_t *o = inspections_rect_json(&d->r), *events = json_array();
		for (int i = 0; events && i < d->n_events; i++) {
			const struct inspections_rect_event *ev = &d->events[i];
			json_array_append_new(events,
					      json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
							"id", (json_int_t)ev->id, "action", ev->action,
							"from_status", ev->from_status, "to_status",
							ev->to_status, "on", ev->on, "at", ev->at, "by",
							ev->by, "note", ev->note, "deadline", ev->deadline));
		}
		if (o && events)
			json_object_set_new(o, "events", events);
		else {
			json_decref(o);
			json_decref(events);
			o = NULL;
		}
		rc = api_reply(rs, 200, o, e);
		inspections_rect_detail_release(d);
	}
	free(d);
	return rc;
}

static int rect_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return rect_reply(rq, rs, id, e);
}

/* POST /api/v1/rectifications/{id}/<action> {"on", "text", "deadline"}; the action is the last
 * path segment. The answer is the item with its events. */
static int rect_act(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	const char *slash = strrchr(rq->path, '/');
	struct inspections_rect_action_in in;
	memset(&in, 0, sizeof in);
	in.action = inspections_action_parse(slash ? slash + 1 : "");
	json_t *b = NULL;
	if (rq->body && rq->body_len) {
		if (!(b = api_body_object(rq, e)))
			return -1;
		if (api_json_str(b, "on", in.on, sizeof in.on, e) < 0 ||
		    api_json_str(b, "text", in.text, sizeof in.text, e) < 0 ||
		    api_json_str(b, "deadline", in.deadline, sizeof in.deadline, e) < 0) {
			json_decref(b);
			return -1;
		}
		/* friendlier names for the text: evidence (submit), reason / note (others) */
		if (!in.text[0] &&
		    (api_json_str(b, "evidence", in.text, sizeof in.text, e) < 0 ||
		     (!in.text[0] && api_json_str(b, "reason", in.text, sizeof in.text, e) < 0) ||
		     (!in.text[0] && api_json_str(b, "note", in.text, sizeof in.text, e) < 0))) {
			json_decref(b);
			return -1;
		}
		json_decref(b);
	}
	if (inspections_rect_act(rq->db, rq->actor, id, &in, e) < 0)
		return -1;
	return rect_reply(rq, rs, id, e);
}

#define TEAM "/api/v1/inspection-teams/{id}"
#define RECT "/api/v1/rectifications/{id}"

const struct api_route inspections_routes[] = {
	{"GET", "/api/v1/inspection-teams", teams_list, PERM_LOGIN, 0},
	{"POST", "/api/v1/inspection-teams", team_post, PERM_INSPECTION, 0},
	{"GET", TEAM, team_get, PERM_LOGIN, 0},
	{"PATCH", TEAM, team_patch, PERM_LOGIN, 0},
	{"GET", "/api/v1/inspection-checklist", checklist_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/inspection-checklist", checklist_post, PERM_INSPECTION, 0},
	{"GET", "/api/v1/inspections", inspections_list_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/inspections", inspection_post, PERM_INSPECTION, 0},
	{"GET", "/api/v1/inspections/{id}", inspection_get, PERM_LOGIN, 0},
	{"GET", "/api/v1/rectifications", rect_list, PERM_LOGIN, 0},
	/* before RECT: "overdue" and "summary" are not ids */
	{"GET", "/api/v1/rectifications/overdue", rect_overdue, PERM_LOGIN, 0},
	{"GET", "/api/v1/rectifications/summary", rect_summary, PERM_LOGIN, 0},
	{"GET", RECT, rect_get, PERM_LOGIN, 0},
	{"POST", RECT "/start", rect_act, PERM_LOGIN, 0},
	{"POST", RECT "/submit", rect_act, PERM_LOGIN, 0},
	{"POST", RECT "/verify", rect_act, PERM_LOGIN, 0},
	{"POST", RECT "/reject", rect_act, PERM_LOGIN, 0},
	{"POST", RECT "/reopen", rect_act, PERM_LOGIN, 0},
	{"POST", RECT "/extend", rect_act, PERM_LOGIN, 0},
	{0},
};
