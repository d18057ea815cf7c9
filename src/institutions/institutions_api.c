/* institutions_api.c — the institutions routes (docs/api.md, "Institutions"): JSON in, the
 * module's domain calls, JSON out. Nothing here decides who may do what: routes that name a
 * record ({id}) only require a login and let the domain answer 404 out of scope before 403
 * without the permission, so existence is never revealed by the router's permission check.
 *
 *   GET   /api/v1/institutions                     the registry in scope, with the day's status
 *   POST  /api/v1/institutions                     register one
 *   GET   /api/v1/institutions/mine                a reporter's institution and today's form
 *   GET   /api/v1/institutions/calls               non-reporters of a day (call list)
 *   GET   /api/v1/institutions/alerts              alerts
 *   GET   /api/v1/institutions/dashboard           the day per county, alerts, closed management, trend
 *   POST  /api/v1/institutions/alerts/{id}/ack     acknowledge
 *   POST  /api/v1/institutions/alerts/{id}/close   close with the action taken
 *   GET   /api/v1/institutions/{id}                one institution (?unmask=1: the full phone)
 *   PATCH /api/v1/institutions/{id}                change it
 *   POST  /api/v1/institutions/{id}/reporters      attach a reporter
 *   GET   /api/v1/institutions/{id}/reports        its reports (?date=: one day with versions)
 *   POST  /api/v1/institutions/{id}/reports        file a daily or zero report, or correct one
 *   GET   /api/v1/institutions/{id}/chases         its chasing log
 *   POST  /api/v1/institutions/{id}/chases         log a chase
 *   GET   /api/v1/reports/institutions             the period report
 */
#include "institutions/institutions.h"
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_label(const char *code)
{
	const struct institutions_type *t = institutions_type_find(code);
	return t ? t->label : "";
}

static const char *status_label(const char *s)
{
	static const struct {
		const char *code, *label;
	} labels[] = {
		{"closed", "不在开办期"}, {"on_time", "按时报送"}, {"late", "迟报"},
		{"due", "待报送"},        {"overdue", "逾期未报"},
	};
	for (size_t i = 0; s && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].code, s) == 0)
			return labels[i].label;
	return "";
}

static const char *alert_kind_label(const char *k)
{
	return strcmp(k, "health") == 0 ? "健康异常" : strcmp(k, "movement") == 0 ? "封闭期间人员变动" : "";
}

static const char *alert_status_label(const char *s)
{
	return strcmp(s, "open") == 0 ? "待确认" : strcmp(s, "acknowledged") == 0 ? "处置中" : "已关闭";
}

/* ================================================================ JSON out */

static json_t *institution_json(const struct institution *m, int with_reporters)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(m->id));
	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "type", json_string(m->type));
	json_object_set_new(o, "type_label", json_string(type_label(m->type)));
	json_object_set_new(o, "region_code", json_string(m->region_code));
	json_object_set_new(o, "region_name", json_string(m->region_name));
	json_object_set_new(o, "unit_code", json_string(m->unit_code));
	json_object_set_new(o, "unit_name", json_string(m->unit_name));
	json_object_set_new(o, "address", json_string(m->address));
	json_object_set_new(o, "capacity", json_integer(m->capacity));
	json_object_set_new(o, "residents", json_integer(m->residents));
	json_object_set_new(o, "staff", json_integer(m->staff));
	json_object_set_new(o, "contact_name", json_string(m->contact_name));
	json_object_set_new(o, "contact_phone", json_string(m->contact_phone));
	json_object_set_new(o, "phone_masked", json_boolean(!m->unmasked && m->contact_phone[0]));
	json_object_set_new(o, "opened_on", json_string(m->opened_on));
	json_object_set_new(o, "closed_on", api_json_opt_str(m->closed_on));
	json_object_set_new(o, "closed_management_from", api_json_opt_str(m->cm_from));
	json_object_set_new(o, "closed_management_to", api_json_opt_str(m->cm_to));
	json_object_set_new(o, "created_at", json_string(m->created_at));
	json_object_set_new(o, "updated_at", json_string(m->updated_at));
	if (with_reporters) {
		json_t *r = json_array();
		for (int i = 0; r && i < m->n_reporters; i++)
			json_array_append_new(r, json_string(m->reporters[i]));
		json_object_set_new(o, "reporters", r ? r : json_array());
	}
	return o;
}

static void set_values(json_t *o, const int64_t v[INSTITUTIONS_NFIELDS], uint32_t present)
{
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++)
		json_object_set_new(o, institutions_field_names[f],
				    (present >> f) & 1 ? json_integer(v[f]) : json_null());
}

static json_t *report_json(const struct institutions_report *r)
{
	json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)r->id,
			      "institution_id", (json_int_t)r->institution_id, "report_date",
			      r->report_date, "kind", r->kind, "kind_label",
			      strcmp(r->kind, "zero") == 0 ? "零报告" : "日报");
	if (!o)
		return NULL;
	set_values(o, r->v, r->present);
	json_object_set_new(o, "note", json_string(r->note));
	json_object_set_new(o, "submitted_at", json_string(r->submitted_at));
	json_object_set_new(o, "submitted_by", json_string(r->submitted_by));
	json_object_set_new(o, "deadline_at", json_string(r->deadline_at));
	json_object_set_new(o, "on_time", json_boolean(r->on_time));
	json_object_set_new(o, "on_behalf", json_boolean(r->on_behalf));
	json_object_set_new(o, "version", json_integer(r->version));
	json_object_set_new(o, "updated_at", json_string(r->updated_at));
	json_object_set_new(o, "updated_by", json_string(r->updated_by));
	return o;
}

static json_t *version_json(const struct institutions_version *v)
{
	json_t *o = json_pack("{s:i, s:s}", "version", v->version, "kind", v->kind);
	if (!o)
		return NULL;
	set_values(o, v->v, v->present);
	json_object_set_new(o, "note", json_string(v->note));
	json_object_set_new(o, "at", json_string(v->at));
	json_object_set_new(o, "by", json_string(v->by));
	json_object_set_new(o, "reason", json_string(v->reason));
	json_t *ch = json_loads(v->changes, 0, NULL);
	json_object_set_new(o, "changes", ch ? ch : json_object());
	return o;
}

static json_t *alert_json(const struct institutions_alert *a)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "institution_id", json_integer(a->institution_id));
	json_object_set_new(o, "institution_name", json_string(a->institution_name));
	json_object_set_new(o, "type", json_string(a->type));
	json_object_set_new(o, "type_label", json_string(type_label(a->type)));
	json_object_set_new(o, "region_code", json_string(a->region_code));
	json_object_set_new(o, "unit_code", json_string(a->unit_code));
	json_object_set_new(o, "report_date", json_string(a->report_date));
	json_object_set_new(o, "kind", json_string(a->kind));
	json_object_set_new(o, "kind_label", json_string(alert_kind_label(a->kind)));
	json_object_set_new(o, "summary", json_string(a->summary));
	json_object_set_new(o, "status", json_string(a->status));
	json_object_set_new(o, "status_label", json_string(alert_status_label(a->status)));
	json_object_set_new(o, "raised_at", json_string(a->raised_at));
	json_object_set_new(o, "ack_at", api_json_opt_str(a->ack_at));
	json_object_set_new(o, "ack_by", api_json_opt_str(a->ack_by));
	json_object_set_new(o, "ack_note", json_string(a->ack_note));
	json_object_set_new(o, "closed_at", api_json_opt_str(a->closed_at));
	json_object_set_new(o, "closed_by", api_json_opt_str(a->closed_by));
	json_object_set_new(o, "action", json_string(a->action));
	return o;
}

static json_t *chase_json(const struct institutions_chase *c)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "id",
			 (json_int_t)c->id, "institution_id", (json_int_t)c->institution_id,
			 "report_date", c->report_date, "method", c->method, "method_label",
			 institutions_chase_method_label(c->method), "outcome", c->outcome,
			 "outcome_label", institutions_chase_outcome_label(c->outcome), "note",
			 c->note, "escalated", c->escalated, "chased_at", c->chased_at, "chased_by",
			 c->chased_by);
}

static json_t *tally_json(const struct institutions_tally *t)
{
	int64_t c = institutions_rate_bp(t->received, t->expected);
	int64_t o = institutions_rate_bp(t->on_time, t->expected);
	json_t *j = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "expected", (json_int_t)t->expected,
			      "received", (json_int_t)t->received, "on_time", (json_int_t)t->on_time,
			      "zero", (json_int_t)t->zero, "late",
			      (json_int_t)(t->received - t->on_time), "missing",
			      (json_int_t)(t->expected - t->received));
	if (j) {
		json_object_set_new(j, "completeness_bp", c < 0 ? json_null() : json_integer(c));
		json_object_set_new(j, "timeliness_bp", o < 0 ? json_null() : json_integer(o));
	}
	return j;
}

static json_t *unit_day_json(const struct institutions_unit_day *u)
{
	json_t *j = tally_json(&u->t);
	if (!j)
		return NULL;
	json_object_set_new(j, "unit_code", json_string(u->code));
	json_object_set_new(j, "name", json_string(u->name));
	json_object_set_new(j, "due", json_integer(u->due));
	json_object_set_new(j, "overdue", json_integer(u->overdue));
	json_object_set_new(j, "escalated", json_integer(u->escalated));
	return j;
}

/* ================================================================ JSON in */

/* api_json_str, except that buf is "" unless the member is a string that fits. */
static int body_str(json_t *body, const char *name, char *buf, size_t n, struct err *e)
{
	buf[0] = '\0';
	return api_json_str(body, name, buf, n, e);
}

/* An integer member: 1 present, 0 absent or null, -1 not an integer. */
static int body_int(json_t *body, const char *name, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(body, name);
	*out = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return err_set(e, 400, "invalid_value", name, "%s 应为整数", name);
	*out = json_integer_value(v);
	return 1;
}

static int parse_institution(json_t *body, struct institution_in *in, struct err *e)
{
	memset(in, 0, sizeof *in);
	struct {
		const char *name;
		char *buf;
		size_t n;
		uint32_t bit;
	} strs[] = {
		{"name", in->name, sizeof in->name, INST_HAS_NAME},
		{"type", in->type, sizeof in->type, INST_HAS_TYPE},
		{"region_code", in->region_code, sizeof in->region_code, INST_HAS_REGION},
		{"address", in->address, sizeof in->address, INST_HAS_ADDRESS},
		{"contact_name", in->contact_name, sizeof in->contact_name, INST_HAS_CONTACT_NAME},
		{"contact_phone", in->contact_phone, sizeof in->contact_phone, INST_HAS_CONTACT_PHONE},
		{"opened_on", in->opened_on, sizeof in->opened_on, INST_HAS_OPENED},
		{"closed_on", in->closed_on, sizeof in->closed_on, INST_HAS_CLOSED},
		{"closed_management_from", in->cm_from, sizeof in->cm_from, INST_HAS_CM_FROM},
		{"closed_management_to", in->cm_to, sizeof in->cm_to, INST_HAS_CM_TO},
	};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		int rc = body_str(body, strs[i].name, strs[i].buf, strs[i].n, e);
		if (rc < 0)
			return -1;
		/* a present key (even null: clears a date or the phone) marks the field */
		if (rc > 0 || json_object_get(body, strs[i].name))
			in->has |= strs[i].bit;
	}
	struct {
		const char *name;
		int64_t *v;
		uint32_t bit;
	} ints[] = {
		{"capacity", &in->capacity, INST_HAS_CAPACITY},
		{"residents", &in->residents, INST_HAS_RESIDENTS},
		{"staff", &in->staff, INST_HAS_STAFF},
	};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		int rc = body_int(body, ints[i].name, ints[i].v, e);
		if (rc < 0)
			return -1;
		if (rc > 0)
			in->has |= ints[i].bit;
	}
	return 0;
}

static int parse_report(json_t *body, struct institutions_report_in *in, struct err *e)
{
	memset(in, 0, sizeof *in);
	if (body_str(body, "report_date", in->report_date, sizeof in->report_date, e) < 0 ||
	    body_str(body, "kind", in->kind, sizeof in->kind, e) < 0 ||
	    body_str(body, "note", in->note, sizeof in->note, e) < 0 ||
	    body_str(body, "reason", in->reason, sizeof in->reason, e) < 0)
		return -1;
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		int rc = body_int(body, institutions_field_names[f], &in->v[f], e);
		if (rc < 0)
			return -1;
		if (rc > 0)
			in->present |= 1u << f;
	}
	return 0;
}

/* ================================================================ the registry */

struct page {
	json_t *items;
	long limit, offset, total;
};

static int page_query(struct api_req *rq, struct page *p, long def, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (api_query_int(rq, "limit", def, 1, 5000, &p->limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 10000000, &p->offset, e) < 0)
		return -1;
	p->items = json_array();
	return p->items ? 0 : err_oom(e);
}

static int page_take(struct page *p)
{
	int take = p->total >= p->offset && p->total < p->offset + p->limit;
	p->total++;
	return take;
}

static int page_reply(struct api_res *rs, struct page *p, json_t *extra, struct err *e)
{
	rs->body = json_pack("{s:o, s:I, s:I, s:I}", "items", p->items, "total",
			     (json_int_t)p->total, "limit", (json_int_t)p->limit, "offset",
			     (json_int_t)p->offset);
	if (rs->body && extra)
		json_object_update(rs->body, extra);
	json_decref(extra);
	return rs->body ? 0 : err_oom(e);
}

static int list_one(const struct institutions_row *r, void *ctx)
{
	struct page *p = ctx;
	if (!page_take(p))
		return 0;
	json_t *o = institution_json(&r->inst, 0);
	if (o) {
		json_object_set_new(o, "date", json_string(r->date));
		json_object_set_new(o, "day_status", json_string(r->day_status));
		json_object_set_new(o, "day_status_label", json_string(status_label(r->day_status)));
		json_object_set_new(o, "deadline_at", api_json_opt_str(r->deadline_at));
		json_object_set_new(o, "report_kind", api_json_opt_str(r->kind));
		json_object_set_new(o, "under_closed_management", json_boolean(r->under_cm));
		json_array_append_new(p->items, o);
	}
	return 0;
}

static const struct export_col inst_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"机构名称", EXPORT_TEXT, 24, "name", NULL},
	{"类型", EXPORT_TEXT, 14, "type_label", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"管理单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"地址", EXPORT_TEXT, 28, "address", NULL},
	{"床位", EXPORT_INT, 8, "capacity", NULL},
	{"在院人数", EXPORT_INT, 8, "residents", NULL},
	{"工作人员", EXPORT_INT, 8, "staff", NULL},
	{"联系人", EXPORT_TEXT, 10, "contact_name", NULL},
	{"联系电话", EXPORT_TEXT, 15, "contact_phone", NULL},
	{"日期", EXPORT_DATE, 12, "date", NULL},
	{"当日报告", EXPORT_TEXT, 12, "day_status_label", NULL},
	{"封闭管理", EXPORT_BOOL, 8, "under_closed_management", NULL},
};

static int inst_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec inst_list_export = {
	"institutions", "服务机构", NULL, 5000, EXPORT_COLS(inst_list_cols)};

/* GET /api/v1/institutions?type=&unit=&q=&date=&limit=&offset= */
static int inst_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, inst_list, &inst_list_export, e);
	struct institutions_filter f;
	struct page p;
	memset(&f, 0, sizeof f);
	if (api_query_str(rq, "type", f.type, sizeof f.type, e) < 0 ||
	    api_query_str(rq, "unit", f.unit, sizeof f.unit, e) < 0 ||
	    api_query_str(rq, "q", f.q, sizeof f.q, e) < 0 ||
	    api_query_str(rq, "date", f.date, sizeof f.date, e) < 0 || page_query(rq, &p, 200, e) < 0)
		return -1;
	if (institutions_list(rq->db, rq->actor, &f, list_one, &p, e) < 0) {
		json_decref(p.items);
		return -1;
	}
	return page_reply(rs, &p, NULL, e);
}

static int reply_institution(struct api_req *rq, struct api_res *rs, int64_t id, int unmask,
			     int status, struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	if (!m)
		return err_oom(e);
	int rc = institutions_get(rq->db, rq->actor, id, unmask, m, e);
	if (rc == 0) {
		rs->status = status;
		rs->body = institution_json(m, 1);
		rc = rs->body ? 0 : err_oom(e);
	}
	free(m);
	return rc;
}

/* POST /api/v1/institutions */
static int inst_create(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	struct institution_in *in = calloc(1, sizeof *in);
	int64_t id;
	int rc = -1;
	if (body && in && parse_institution(body, in, e) == 0 &&
	    institutions_create(rq->db, rq->actor, in, &id, e) == 0)
		rc = reply_institution(rq, rs, id, 0, 201, e);
	else if (body && !in)
		err_oom(e);
	json_decref(body);
	free(in);
	return rc;
}

/* GET /api/v1/institutions/{id}[?unmask=1] */
static int inst_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return reply_institution(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

/* PATCH /api/v1/institutions/{id} */
static int inst_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	struct institution_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (body && in && parse_institution(body, in, e) == 0 &&
	    institutions_update(rq->db, rq->actor, id, in, e) == 0)
		rc = reply_institution(rq, rs, id, 0, 200, e);
	else if (body && !in)
		err_oom(e);
	json_decref(body);
	free(in);
	return rc;
}

/* POST /api/v1/institutions/{id}/reporters {username} */
static int inst_attach(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char username[80];
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	int rc = -1;
	if (body && body_str(body, "username", username, sizeof username, e) >= 0 &&
	    institutions_attach(rq->db, rq->actor, id, username, e) == 0)
		rc = reply_institution(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

/* ================================================================ reports */

static int collect_report(const struct institutions_report *r, void *ctx)
{
	json_t *items = ctx;
	json_array_append_new(items, report_json(r));
	return 0;
}

static json_t *carry_json(const struct institutions_today *t)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	static const int fields[] = {INST_RESIDENTS, INST_STAFF, INST_GOODS_DAYS};
	for (int i = 0; i < 3; i++) {
		int f = fields[i];
		json_object_set_new(o, institutions_field_names[f],
				    (t->carry_present >> f) & 1 ? json_integer(t->carry[f]) : json_null());
	}
	json_object_set_new(o, "from", api_json_opt_str(t->carry_from));
	return o;
}

/* The day view shared by /mine and /{id}/reports?date=: the institution's state for the day. */
static json_t *today_json(struct api_req *rq, const struct institutions_today *t, int with_inst,
			  struct err *e)
{
	json_t *o = json_object(), *fields = json_array();
	if (!o || !fields) {
		json_decref(o);
		json_decref(fields);
		err_oom(e);
		return NULL;
	}
	const struct institutions_type *ty = institutions_type_find(t->inst.type);
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		if (ty && !ty->has_residents &&
		    (f == INST_RESIDENTS || f == INST_ADMISSIONS || f == INST_DEPARTURES))
			continue;
		json_array_append_new(fields, json_pack("{s:s, s:s}", "name",
							institutions_field_names[f], "label",
							institutions_field_labels[f]));
	}
	if (with_inst)
		json_object_set_new(o, "institution", institution_json(&t->inst, 0));
	json_object_set_new(o, "date", json_string(t->date));
	json_object_set_new(o, "now", json_string(t->now));
	json_object_set_new(o, "deadline_at", json_string(t->deadline_at));
	json_object_set_new(o, "day_status", json_string(t->day_status));
	json_object_set_new(o, "day_status_label", json_string(status_label(t->day_status)));
	json_object_set_new(o, "open", json_boolean(t->open));
	json_object_set_new(o, "under_closed_management", json_boolean(t->under_cm));
	json_object_set_new(o, "report", t->has_report ? report_json(&t->report) : json_null());
	json_object_set_new(o, "carry", carry_json(t));
	json_object_set_new(o, "fields", fields);
	/* the last week's reports, newest first */
	json_t *recent = json_array();
	char from[11];
	institutions_date_add(t->date, -6, from);
	if (!recent || institutions_reports_list(rq->db, rq->actor, t->inst.id, from, t->date,
						 collect_report, recent, e) < 0) {
		json_decref(recent);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "recent", recent);
	return o;
}

/* GET /api/v1/institutions/mine?date= */
static int inst_mine(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char date[16] = "";
	struct institutions_today *t = calloc(1, sizeof *t);
	int rc = -1;
	if (!t)
		return err_oom(e);
	if (api_query_str(rq, "date", date, sizeof date, e) >= 0 &&
	    institutions_today(rq->db, rq->actor, 0, date, NULL, t, e) == 0) {
		rs->body = today_json(rq, t, 1, e);
		rc = rs->body ? 0 : -1;
	}
	free(t);
	return rc;
}

/* GET /api/v1/institutions/{id}/reports?from=&to= | ?date= */
static int reports_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char from[16] = "", to[16] = "", date[16] = "";
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	if (!date[0]) {
		json_t *items = json_array();
		if (!items)
			return err_oom(e);
		if (institutions_reports_list(rq->db, rq->actor, id, from, to, collect_report, items,
					      e) < 0) {
			json_decref(items);
			return -1;
		}
		rs->body = json_pack("{s:o, s:I}", "items", items, "total",
				     (json_int_t)json_array_size(items));
		return rs->body ? 0 : err_oom(e);
	}
	/* one day: the report with every version, and what a zero report would carry */
	struct institutions_report r;
	struct institutions_version *vs = NULL;
	int nv = 0;
	int rc = institutions_report_get(rq->db, rq->actor, id, date, &r, &vs, &nv, e);
	if (rc < 0)
		return -1;
	json_t *versions = json_array();
	for (int i = 0; versions && i < nv; i++)
		json_array_append_new(versions, version_json(&vs[i]));
	free(vs);
	struct institutions_today *t = calloc(1, sizeof *t);
	json_t *o = NULL;
	/* a user who may read but not file (a township) gets the report without the form state */
	struct err ignore;
	err_clear(&ignore);
	if (t && institutions_today(rq->db, rq->actor, id, date, NULL, t, &ignore) == 0)
		o = today_json(rq, t, 0, e);
	else if (ignore.status >= 500) { /* a database error is not "may not file" */
		free(t);
		json_decref(versions);
		*e = ignore;
		return -1;
	} else
		o = json_pack("{s:s}", "date", date);
	free(t);
	if (!o || !versions) {
		json_decref(o);
		json_decref(versions);
		return err_oom(e);
	}
	json_object_set_new(o, "report", rc == 0 ? report_json(&r) : json_null());
	json_object_set_new(o, "versions", versions);
	rs->body = o;
	return 0;
}

/* POST /api/v1/institutions/{id}/reports */
static int reports_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct institutions_report_in *in = calloc(1, sizeof *in);
	struct institutions_file_result *res = calloc(1, sizeof *res);
	int rc = -1;
	if (!in || !res) {
		err_oom(e);
		goto out;
	}
	if (parse_report(body, in, e) < 0)
		goto out;
	if (!in->report_date[0]) { /* today */
		char now[32];
		institutions_now(NULL, now);
		snprintf(in->report_date, sizeof in->report_date, "%.10s", now);
	}
	if (institutions_report_file(rq->db, rq->actor, id, in, res, e) < 0)
		goto out;
	json_t *alerts = json_array();
	for (int i = 0; alerts && i < res->n_alerts; i++)
		json_array_append_new(alerts, json_pack("{s:I, s:s, s:s}", "id",
							(json_int_t)res->alert_id[i], "kind",
							res->alert_kind[i], "kind_label",
							alert_kind_label(res->alert_kind[i])));
	rs->status = res->created ? 201 : 200;
	rs->body = json_pack("{s:o, s:b, s:o}", "report", report_json(&res->report), "created",
			     res->created, "alerts", alerts ? alerts : json_array());
	rc = rs->body ? 0 : err_oom(e);
out:
	json_decref(body);
	free(in);
	free(res);
	return rc;
}

/* ================================================================ chasing and calls */

static int collect_chase(const struct institutions_chase *c, void *ctx)
{
	json_array_append_new((json_t *)ctx, chase_json(c));
	return 0;
}

/* GET /api/v1/institutions/{id}/chases?date= */
static int chases_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char date[16] = "";
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (institutions_chases_list(rq->db, rq->actor, id, date, collect_chase, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	rs->body = json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return rs->body ? 0 : err_oom(e);
}

/* POST /api/v1/institutions/{id}/chases {report_date, method, outcome, note, escalate} */
static int chases_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, cid;
	struct institutions_chase_in *in = calloc(1, sizeof *in);
	if (!in)
		return err_oom(e);
	json_t *body = NULL;
	int rc = -1;
	if (api_param_id(rq, 0, &id, e) < 0 || !(body = api_body_object(rq, e)))
		goto out;
	if (body_str(body, "report_date", in->report_date, sizeof in->report_date, e) < 0 ||
	    body_str(body, "method", in->method, sizeof in->method, e) < 0 ||
	    body_str(body, "outcome", in->outcome, sizeof in->outcome, e) < 0 ||
	    body_str(body, "note", in->note, sizeof in->note, e) < 0)
		goto out;
	json_t *esc = json_object_get(body, "escalate");
	if (esc && !json_is_boolean(esc) && !json_is_null(esc)) {
		err_set(e, 400, "invalid_value", "escalate", "escalate 应为 true 或 false");
		goto out;
	}
	in->escalate = esc && json_is_true(esc);
	if (institutions_chase_add(rq->db, rq->actor, id, in, &cid, e) < 0)
		goto out;
	json_t *items = json_array();
	if (!items || institutions_chases_list(rq->db, rq->actor, id, in->report_date[0] ? in->report_date : NULL,
					       collect_chase, items, e) < 0) {
		json_decref(items);
		goto out;
	}
	rs->status = 201;
	rs->body = json_pack("{s:I, s:o}", "id", (json_int_t)cid, "chases", items);
	rc = rs->body ? 0 : err_oom(e);
out:
	json_decref(body);
	free(in);
	return rc;
}

struct calls_ctx {
	struct page p;
	long overdue, due, escalated;
};

static int call_one(const struct institutions_call *c, void *ctx)
{
	struct calls_ctx *cc = ctx;
	if (strcmp(c->status, "overdue") == 0)
		cc->overdue++;
	else
		cc->due++;
	cc->escalated += c->escalated != 0;
	if (!page_take(&cc->p))
		return 0;
	json_t *o = institution_json(&c->inst, 0);
	if (!o)
		return 0;
	json_object_set_new(o, "status", json_string(c->status));
	json_object_set_new(o, "status_label", json_string(status_label(c->status)));
	json_object_set_new(o, "deadline_at", json_string(c->deadline_at));
	json_object_set_new(o, "chases", json_integer(c->chases));
	json_object_set_new(o, "escalated", json_boolean(c->escalated));
	json_object_set_new(o, "last_chase", c->chases ? chase_json(&c->last) : json_null());
	json_array_append_new(cc->p.items, o);
	return 0;
}

static const struct export_col calls_get_cols[] = {
	{"机构名称", EXPORT_TEXT, 24, "name", NULL},
	{"类型", EXPORT_TEXT, 14, "type_label", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"管理单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"联系人", EXPORT_TEXT, 10, "contact_name", NULL},
	{"联系电话", EXPORT_TEXT, 15, "contact_phone", NULL},
	{"状态", EXPORT_TEXT, 10, "status_label", NULL},
	{"截止时间", EXPORT_DATETIME, 17, "deadline_at", NULL},
	{"催报次数", EXPORT_INT, 8, "chases", NULL},
	{"已上报领导", EXPORT_BOOL, 10, "escalated", NULL},
};

static int calls_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec calls_get_export = {
	"institution_calls", "日报催报名单", NULL, 5000, EXPORT_COLS(calls_get_cols)};

/* GET /api/v1/institutions/calls?date=&unit=&unmask=1 */
static int calls_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, calls_get, &calls_get_export, e);
	char date[16] = "", unit[16] = "";
	struct calls_ctx cc;
	memset(&cc, 0, sizeof cc);
	if (api_query_str(rq, "date", date, sizeof date, e) < 0 ||
	    api_query_str(rq, "unit", unit, sizeof unit, e) < 0 || page_query(rq, &cc.p, 500, e) < 0)
		return -1;
	if (institutions_calls(rq->db, rq->actor, date, unit, api_query_flag(rq, "unmask"), NULL,
			       call_one, &cc, e) < 0) {
		json_decref(cc.p.items);
		return -1;
	}
	char now[32], day[11];
	institutions_now(NULL, now);
	snprintf(day, sizeof day, "%s", date[0] ? date : now);
	return page_reply(rs, &cc.p,
			  json_pack("{s:s, s:I, s:I, s:I}", "date", day,
				    "overdue", (json_int_t)cc.overdue, "due", (json_int_t)cc.due,
				    "escalated", (json_int_t)cc.escalated),
			  e);
}

/* ================================================================ alerts */

static int alert_one(const struct institutions_alert *a, void *ctx)
{
	struct page *p = ctx;
	if (page_take(p))
		json_array_append_new(p->items, alert_json(a));
	return 0;
}

static const struct export_col alerts_get_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"机构", EXPORT_TEXT, 20, "institution_name", NULL},
	{"机构类型", EXPORT_TEXT, 12, "type_label", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"报告日期", EXPORT_DATE, 12, "report_date", NULL},
	{"预警类型", EXPORT_TEXT, 14, "kind_label", NULL},
	{"摘要", EXPORT_TEXT, 30, "summary", NULL},
	{"状态", EXPORT_TEXT, 8, "status_label", NULL},
	{"预警时间", EXPORT_DATETIME, 17, "raised_at", NULL},
	{"签收时间", EXPORT_DATETIME, 17, "ack_at", NULL},
	{"签收人", EXPORT_TEXT, 10, "ack_by", NULL},
	{"签收说明", EXPORT_TEXT, 20, "ack_note", NULL},
	{"关闭时间", EXPORT_DATETIME, 17, "closed_at", NULL},
	{"关闭人", EXPORT_TEXT, 10, "closed_by", NULL},
	{"处置措施", EXPORT_TEXT, 24, "action", NULL},
};

static int alerts_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec alerts_get_export = {
	"institution_alerts", "机构预警", NULL, 5000, EXPORT_COLS(alerts_get_cols)};

/* GET /api/v1/institutions/alerts?status=&date=&unit=&institution= */
static int alerts_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, alerts_get, &alerts_get_export, e);
	struct institutions_alert_filter f;
	struct page p;
	long inst = 0;
	memset(&f, 0, sizeof f);
	if (api_query_str(rq, "status", f.status, sizeof f.status, e) < 0 ||
	    api_query_str(rq, "date", f.date, sizeof f.date, e) < 0 ||
	    api_query_str(rq, "unit", f.unit, sizeof f.unit, e) < 0 ||
	    api_query_int(rq, "institution", 0, 0, 1L << 40, &inst, e) < 0 ||
	    page_query(rq, &p, 100, e) < 0)
		return -1;
	f.institution_id = inst;
	if (institutions_alerts_list(rq->db, rq->actor, &f, alert_one, &p, e) < 0) {
		json_decref(p.items);
		return -1;
	}
	return page_reply(rs, &p, NULL, e);
}

static int alert_action(struct api_req *rq, struct api_res *rs, int closing, struct err *e)
{
	int64_t id;
	char text[INSTITUTIONS_NOTE_SZ];
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = body_str(body, closing ? "action" : "note", text, sizeof text, e);
	json_decref(body);
	if (rc < 0)
		return -1;
	if ((closing ? institutions_alert_close(rq->db, rq->actor, id, text, NULL, e)
		     : institutions_alert_ack(rq->db, rq->actor, id, text, NULL, e)) < 0)
		return -1;
	struct institutions_alert *a = calloc(1, sizeof *a);
	if (!a)
		return err_oom(e);
	rc = institutions_alert_get(rq->db, rq->actor, id, a, e);
	if (rc == 0) {
		rs->body = alert_json(a);
		rc = rs->body ? 0 : err_oom(e);
	}
	free(a);
	return rc;
}

static int alert_ack(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return alert_action(rq, rs, 0, e);
}

static int alert_close(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return alert_action(rq, rs, 1, e);
}

/* ================================================================ dashboard and report */

/* GET /api/v1/institutions/dashboard?date=&days= */
static int dashboard_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char date[16] = "";
	long days;
	if (api_query_str(rq, "date", date, sizeof date, e) < 0 ||
	    api_query_int(rq, "days", 30, 1, INSTITUTIONS_MAX_DAYS, &days, e) < 0)
		return -1;
	struct institutions_dashboard *d = malloc(sizeof *d);
	if (!d)
		return err_oom(e);
	if (institutions_dashboard(rq->db, rq->actor, date, (int)days, NULL, d, e) < 0) {
		free(d);
		return -1;
	}
	json_t *counties = json_array(), *types = json_object(), *cm_types = json_object(),
	       *trend = json_array();
	int n;
	const struct institutions_type *t = institutions_types(&n);
	for (int i = 0; counties && i < d->nunits; i++)
		json_array_append_new(counties, unit_day_json(&d->units[i]));
	for (int i = 0; types && cm_types && i < n; i++) {
		json_t *x = tally_json(&d->types[i]);
		if (x)
			json_object_set_new(x, "label", json_string(t[i].label));
		json_object_set_new(types, t[i].code, x);
		json_object_set_new(cm_types, t[i].code,
				    json_pack("{s:s, s:I, s:I, s:I}", "label", t[i].label,
					      "institutions", (json_int_t)d->cm[i].institutions,
					      "residents", (json_int_t)d->cm[i].residents, "staff",
					      (json_int_t)d->cm[i].staff));
	}
	for (int i = 0; trend && i < d->ndays; i++) {
		char day[11];
		institutions_date_add(d->trend_from, i, day);
		json_t *x = tally_json(&d->trend[i]);
		if (x)
			json_object_set_new(x, "date", json_string(day));
		json_array_append_new(trend, x);
	}
	json_t *total = unit_day_json(&d->total);
	if (total) {
		json_object_del(total, "unit_code");
		json_object_del(total, "name");
	}
	rs->body = json_pack("{s:s, s:s, s:o, s:o, s:o, s:{s:I, s:I}, s:{s:I, s:I, s:I, s:o}, s:o, s:s?}",
			     "date", d->date, "now", d->now, "counties", counties, "total", total,
			     "types", types, "alerts", "open", (json_int_t)d->alerts_open,
			     "acknowledged", (json_int_t)d->alerts_acknowledged,
			     "closed_management", "institutions",
			     (json_int_t)d->cm_total.institutions, "residents",
			     (json_int_t)d->cm_total.residents, "staff", (json_int_t)d->cm_total.staff,
			     "types", cm_types, "trend", trend, "latest_report_date",
			     d->latest_report_date[0] ? d->latest_report_date : NULL);
	free(d);
	return rs->body ? 0 : err_oom(e);
}

/* GET /api/v1/reports/institutions?from=&to=&unit= */
static int period_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "", unit[16] = "";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_str(rq, "unit", unit, sizeof unit, e) < 0)
		return -1;
	if (!unit[0] && api_query_str(rq, "county", unit, sizeof unit, e) < 0)
		return -1;
	struct institutions_period *p = malloc(sizeof *p);
	if (!p)
		return err_oom(e);
	int rc = institutions_period_report(rq->db, rq->actor, from, to, unit, p, e);
	if (rc == 0) {
		rs->body = institutions_period_json(p);
		rc = rs->body ? 0 : err_oom(e);
	}
	free(p);
	return rc;
}

/* Fixed paths come before /institutions/{id}: the router takes the first pattern that matches. */
const struct api_route institutions_routes[] = {
	{"GET", "/api/v1/institutions", inst_list, PERM_INSTITUTION_READ, 0},
	{"POST", "/api/v1/institutions", inst_create, PERM_INSTITUTION_MANAGE, 0},
	{"GET", "/api/v1/institutions/mine", inst_mine, PERM_INSTITUTION_REPORT, 0},
	{"GET", "/api/v1/institutions/calls", calls_get, PERM_INSTITUTION_READ, 0},
	{"GET", "/api/v1/institutions/alerts", alerts_get, PERM_INSTITUTION_READ, 0},
	{"GET", "/api/v1/institutions/dashboard", dashboard_get, PERM_INSTITUTION_READ, 0},
	{"POST", "/api/v1/institutions/alerts/{id}/ack", alert_ack, PERM_LOGIN, 0},
	{"POST", "/api/v1/institutions/alerts/{id}/close", alert_close, PERM_LOGIN, 0},
	{"GET", "/api/v1/institutions/{id}", inst_get, PERM_LOGIN, 0},
	{"PATCH", "/api/v1/institutions/{id}", inst_patch, PERM_LOGIN, 0},
	{"POST", "/api/v1/institutions/{id}/reporters", inst_attach, PERM_LOGIN, 0},
	{"GET", "/api/v1/institutions/{id}/reports", reports_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/institutions/{id}/reports", reports_post, PERM_LOGIN, 0},
	{"GET", "/api/v1/institutions/{id}/chases", chases_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/institutions/{id}/chases", chases_post, PERM_LOGIN, 0},
	{"GET", "/api/v1/reports/institutions", period_get, PERM_INSTITUTION_READ, 0},
	{0},
};
