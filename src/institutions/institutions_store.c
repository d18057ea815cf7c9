/* institutions_store.c — the registry of institutions and their reporters (see institutions.h),
 * and the helpers the module's files share (institutions_internal.h): transactions, loading an
 * institution with the caller's right to it, deadlines from the policy module, masking. */
#include "institutions/institutions_internal.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/phone.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "policy/policy.h"
#include "regions/regions.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ shared helpers */

int inst_begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

void inst_end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db); /* nothing was written */
}

int inst_finish(struct db *db, int rc, struct err *e)
{
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e) < 0 ? -1 : 0;
}

void inst_from_row(struct db_stmt *st, int c, struct institution *o)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, c + 0);
	text_copy(o->name, sizeof o->name, db_col_text(st, c + 1));
	text_copy(o->type, sizeof o->type, db_col_text(st, c + 2));
	text_copy(o->region_code, sizeof o->region_code, db_col_text(st, c + 3));
	text_copy(o->unit_code, sizeof o->unit_code, db_col_text(st, c + 4));
	text_copy(o->area_code, sizeof o->area_code, db_col_text(st, c + 5));
	text_copy(o->address, sizeof o->address, db_col_text(st, c + 6));
	o->capacity = db_col_int(st, c + 7);
	o->residents = db_col_int(st, c + 8);
	o->staff = db_col_int(st, c + 9);
	text_copy(o->contact_name, sizeof o->contact_name, db_col_text(st, c + 10));
	text_copy(o->contact_phone, sizeof o->contact_phone, db_col_text(st, c + 11));
	text_copy(o->opened_on, sizeof o->opened_on, db_col_text(st, c + 12));
	text_copy(o->closed_on, sizeof o->closed_on, db_col_text(st, c + 13));
	text_copy(o->cm_from, sizeof o->cm_from, db_col_text(st, c + 14));
	text_copy(o->cm_to, sizeof o->cm_to, db_col_text(st, c + 15));
	text_copy(o->created_at, sizeof o->created_at, db_col_text(st, c + 16));
	text_copy(o->updated_at, sizeof o->updated_at, db_col_text(st, c + 17));
}

void report_from_row(struct db_stmt *st, int c, struct institutions_report *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, c + 0);
	r->institution_id = db_col_int(st, c + 1);
	text_copy(r->report_date, sizeof r->report_date, db_col_text(st, c + 2));
	text_copy(r->kind, sizeof r->kind, db_col_text(st, c + 3));
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		if (db_col_is_null(st, c + 4 + f))
			continue;
		r->v[f] = db_col_int(st, c + 4 + f);
		r->present |= 1u << f;
	}
	text_copy(r->note, sizeof r->note, db_col_text(st, c + 15));
	text_copy(r->submitted_at, sizeof r->submitted_at, db_col_text(st, c + 16));
	text_copy(r->submitted_by, sizeof r->submitted_by, db_col_text(st, c + 17));
	text_copy(r->deadline_at, sizeof r->deadline_at, db_col_text(st, c + 18));
	r->on_time = (int)db_col_int(st, c + 19);
	r->on_behalf = (int)db_col_int(st, c + 20);
	r->version = (int)db_col_int(st, c + 21);
	text_copy(r->updated_at, sizeof r->updated_at, db_col_text(st, c + 22));
	text_copy(r->updated_by, sizeof r->updated_by, db_col_text(st, c + 23));
}

int inst_unit_name(struct db *db, const char *unit_code, char out[128], struct err *e)
{
	struct regions_unit u;
	struct err ignore;
	out[0] = '\0';
	if (!unit_code[0])
		return 0;
	if (regions_unit_get(db, unit_code, &u, &ignore) == 0)
		text_copy(out, 128, u.name);
	else if (ignore.status >= 500) { /* a database error, not an unknown unit */
		*e = ignore;
		return -1;
	}
	return 0;
}

/* The region's and the unit's names ("" when unknown): 0, or -1 with e on a database error. */
static int fill_names(struct db *db, struct institution *o, struct err *e)
{
	struct region r;
	struct err ignore;
	if (regions_get(db, o->region_code, &r, &ignore) == 0)
		text_copy(o->region_name, sizeof o->region_name, r.name);
	else if (ignore.status >= 500) {
		*e = ignore;
		return -1;
	}
	return inst_unit_name(db, o->unit_code, o->unit_name, e);
}

static int is_attached(struct db *db, int64_t user_id, int64_t inst_id, struct err *e)
{
	if (user_id <= 0)
		return 0;
	struct db_stmt *st = db_prepare(db, "SELECT institution_id FROM institution_reporters "
					    "WHERE user_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, user_id);
	int rc = db_step(st, e);
	int yes = rc == 1 && db_col_int(st, 0) == inst_id;
	db_done(st);
	return rc < 0 ? -1 : yes;
}

int inst_access(struct db *db, const struct actor *a, int64_t id, enum inst_need need,
		struct institution *out, int *attached, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT " INST_COLUMNS " FROM institutions i "
					    "WHERE i.id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1)
		inst_from_row(st, 0, out);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "机构不存在，或不在您的管辖范围内");
	int mine = 0;
	if ((need == INST_NEED_FILE || need == INST_NEED_VIEW) &&
	    actor_can(a, PERM_INSTITUTION_REPORT)) {
		mine = is_attached(db, a->user_id, id, e);
		if (mine < 0)
			return -1;
	}
	if (attached)
		*attached = mine;
	if (!mine) {
		if (!scope_contains(&a->scope, out->region_code))
			return err_set(e, 404, "not_found", NULL, "机构不存在，或不在您的管辖范围内");
		uint32_t perm = need == INST_NEED_READ || need == INST_NEED_VIEW ? PERM_INSTITUTION_READ
										: PERM_INSTITUTION_MANAGE;
		if (!actor_can(a, perm))
			return err_set(e, 403, "forbidden", NULL,
				       need == INST_NEED_FILE ? "您不是该机构的填报员，也无权代报"
				       : perm == PERM_INSTITUTION_READ ? "您的角色无权查看机构"
								       : "您的角色无权管理机构");
	}
	return fill_names(db, out, e);
}

int inst_deadline(struct db *db, const char *unit_code, const char *type, const char *date,
		  char out[32], int64_t *minutes, struct err *e)
{
	const struct institutions_type *t = institutions_type_find(type);
	char month[8];
	int64_t m;
	if (!t)
		return err_set(e, 500, "internal", NULL, "未知的机构类型：%s", type);
	snprintf(month, sizeof month, "%.7s", date);
	if (policy_value(db, unit_code, "all", t->deadline_key, month, &m, e) < 0)
		return -1;
	institutions_deadline_at(date, m, out);
	if (minutes)
		*minutes = m;
	return 0;
}

int inst_deadline_cached(struct db *db, struct inst_deadline_cache *c, const char *unit_code,
			 const char *type, const char *date, char out[32], struct err *e)
{
	if (strcmp(c->date, date) != 0) {
		text_copy(c->date, sizeof c->date, date);
		c->n = 0;
	}
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->item[i].unit, unit_code) == 0 && strcmp(c->item[i].type, type) == 0) {
			text_copy(out, 32, c->item[i].at);
			return 0;
		}
	if (inst_deadline(db, unit_code, type, date, out, NULL, e) < 0)
		return -1;
	if (c->n < (int)(sizeof c->item / sizeof c->item[0])) {
		text_copy(c->item[c->n].unit, sizeof c->item[c->n].unit, unit_code);
		text_copy(c->item[c->n].type, sizeof c->item[c->n].type, type);
		text_copy(c->item[c->n].at, sizeof c->item[c->n].at, out);
		c->n++;
	}
	return 0;
}

void inst_mask(struct institution *inst)
{
	if (inst->unmasked || !inst->contact_phone[0])
		return;
	char m[24];
	phone_mask(inst->contact_phone, m);
	text_copy(inst->contact_phone, sizeof inst->contact_phone, m);
}

int inst_date_or_today(const char *in, const char *at, const char *field, char out[11],
		       struct err *e)
{
	if (!in || !in[0]) {
		char now[32];
		institutions_now(at, now);
		snprintf(out, 11, "%.10s", now);
		return 0;
	}
	if (!institutions_date_valid(in))
		return err_set(e, 400, "invalid_value", field, "日期应为 YYYY-MM-DD 格式的有效日期：%.16s",
			       in);
	text_copy(out, 11, in);
	return 0;
}

/* ================================================================ checking input */

static int check_text(const char *v, int max, int multiline, int required, const char *field,
		      const char *label, struct err *e)
{
	long n = utf8_text_chars(v, multiline);
	if (n < 0)
		return err_set(e, 400, "invalid_value", field, "%s含有无效字符", label);
	if (required && n == 0)
		return err_set(e, 400, "required", field, "请填写%s", label);
	if (n > max)
		return err_set(e, 400, "invalid_value", field, "%s最多 %d 个字", label, max);
	return 0;
}

static int check_count(int64_t v, const char *field, const char *label, struct err *e)
{
	if (v < 0 || v > INSTITUTIONS_MAX_COUNT)
		return err_set(e, 400, "invalid_value", field, "%s应为 0 到 %d 之间的整数", label,
			       INSTITUTIONS_MAX_COUNT);
	return 0;
}

static int check_date(const char *v, int required, const char *field, const char *label,
		      struct err *e)
{
	if (!v[0]) {
		if (required)
			return err_set(e, 400, "required", field, "请填写%s（YYYY-MM-DD）", label);
		return 0;
	}
	if (!institutions_date_valid(v))
		return err_set(e, 400, "invalid_value", field, "%s应为 YYYY-MM-DD 格式的有效日期：%.16s",
			       label, v);
	return 0;
}

/* Trim ASCII spaces at both ends, in place. */
static void trim(char *s)
{
	size_t n = strlen(s), b = 0;
	while (b < n && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (n > b && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	memmove(s, s + b, n - b);
	s[n - b] = '\0';
}

/* The merged record (current values overridden by the input's fields) checked as a whole. */
static int check_merged(const struct institution *m, struct err *e)
{
	if (check_text(m->name, INSTITUTIONS_NAME_CHARS, 0, 1, "name", "机构名称", e) < 0 ||
	    check_text(m->address, INSTITUTIONS_ADDRESS_CHARS, 0, 0, "address", "地址", e) < 0 ||
	    check_text(m->contact_name, INSTITUTIONS_CONTACT_CHARS, 0, 0, "contact_name", "联系人",
		       e) < 0)
		return -1;
	if (!institutions_type_find(m->type))
		return err_set(e, 400, "invalid_value", "type",
			       "机构类型应为 elderly_home、children_welfare_home、rescue_station、"
			       "funeral_home、marriage_office、lottery_outlet 或 other：%.32s",
			       m->type);
	if (check_count(m->capacity, "capacity", "床位数", e) < 0 ||
	    check_count(m->residents, "residents", "在院人数", e) < 0 ||
	    check_count(m->staff, "staff", "工作人员数", e) < 0)
		return -1;
	if (m->capacity > 0 && m->residents > m->capacity)
		return err_set(e, 400, "invalid_value", "residents",
			       "在院人数（%" PRId64 "）不能超过床位数（%" PRId64 "）", m->residents,
			       m->capacity);
	if (check_date(m->opened_on, 1, "opened_on", "开办日期", e) < 0 ||
	    check_date(m->closed_on, 0, "closed_on", "停办日期", e) < 0 ||
	    check_date(m->cm_from, 0, "closed_management_from", "封闭管理开始日期", e) < 0 ||
	    check_date(m->cm_to, 0, "closed_management_to", "封闭管理结束日期", e) < 0)
		return -1;
	if (m->closed_on[0] && strcmp(m->closed_on, m->opened_on) <= 0)
		return err_set(e, 400, "invalid_value", "closed_on", "停办日期应晚于开办日期");
	if (m->cm_to[0] && !m->cm_from[0])
		return err_set(e, 400, "required", "closed_management_from",
			       "填写封闭管理结束日期前，请先填写开始日期");
	if (m->cm_to[0] && strcmp(m->cm_to, m->cm_from) < 0)
		return err_set(e, 400, "invalid_value", "closed_management_to",
			       "封闭管理结束日期不能早于开始日期");
	return 0;
}

/* Apply the input's fields to m (phone normalized). */
static int apply(struct institution *m, struct institution_in *in, struct err *e)
{
	if (in->has & INST_HAS_NAME) {
		trim(in->name);
		text_copy(m->name, sizeof m->name, in->name);
		if (strlen(in->name) >= sizeof m->name)
			return err_set(e, 400, "invalid_value", "name", "机构名称最多 %d 个字",
				       INSTITUTIONS_NAME_CHARS);
	}
	if (in->has & INST_HAS_TYPE)
		text_copy(m->type, sizeof m->type, in->type);
	if (in->has & INST_HAS_ADDRESS) {
		trim(in->address);
		if (strlen(in->address) >= sizeof m->address)
			return err_set(e, 400, "invalid_value", "address", "地址最多 %d 个字",
				       INSTITUTIONS_ADDRESS_CHARS);
		text_copy(m->address, sizeof m->address, in->address);
	}
	if (in->has & INST_HAS_CAPACITY)
		m->capacity = in->capacity;
	if (in->has & INST_HAS_RESIDENTS)
		m->residents = in->residents;
	if (in->has & INST_HAS_STAFF)
		m->staff = in->staff;
	if (in->has & INST_HAS_CONTACT_NAME) {
		trim(in->contact_name);
		if (strlen(in->contact_name) >= sizeof m->contact_name)
			return err_set(e, 400, "invalid_value", "contact_name", "联系人最多 %d 个字",
				       INSTITUTIONS_CONTACT_CHARS);
		text_copy(m->contact_name, sizeof m->contact_name, in->contact_name);
	}
	if (in->has & INST_HAS_CONTACT_PHONE) {
		trim(in->contact_phone);
		if (!in->contact_phone[0]) {
			m->contact_phone[0] = '\0';
		} else {
			char norm[24];
			if (phone_validate(in->contact_phone, norm, e) < 0) {
				snprintf(e->field, sizeof e->field, "contact_phone");
				return -1;
			}
			text_copy(m->contact_phone, sizeof m->contact_phone, norm);
		}
	}
	struct {
		uint32_t bit;
		const char *src;
		char *dst;
		const char *field;
	} dates[] = {
		{INST_HAS_OPENED, in->opened_on, m->opened_on, "opened_on"},
		{INST_HAS_CLOSED, in->closed_on, m->closed_on, "closed_on"},
		{INST_HAS_CM_FROM, in->cm_from, m->cm_from, "closed_management_from"},
		{INST_HAS_CM_TO, in->cm_to, m->cm_to, "closed_management_to"},
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		if (!(in->has & dates[i].bit))
			continue;
		if (strlen(dates[i].src) > 10)
			return err_set(e, 400, "invalid_value", dates[i].field,
				       "日期应为 YYYY-MM-DD 格式：%.16s", dates[i].src);
		text_copy(dates[i].dst, 11, dates[i].src);
	}
	return 0;
}

/* The region of a new institution: a known county, township or village in scope; fills the
 * region, unit and area codes. */
static int place(struct db *db, const struct actor *a, const char *code, struct institution *m,
		 struct err *e)
{
	struct region r;
	struct err ignore;
	if (!code[0])
		return err_set(e, 400, "required", "region_code", "请选择机构所在的县区、镇街或村居");
	err_clear(&ignore);
	int known = strlen(code) < sizeof m->region_code ? regions_get(db, code, &r, &ignore) : -1;
	if (known < 0 && ignore.status >= 500) { /* a database error, not an unknown region */
		*e = ignore;
		return -1;
	}
	if (known < 0 || r.level < REGIONS_COUNTY || !r.unit_code[0])
		return err_set(e, 400, "invalid_region", "region_code",
			       "机构所在地应为县区、镇街或村居的区划代码：%.16s", code);
	if (!scope_contains(&a->scope, code))
		return err_set(e, 403, "out_of_scope", "region_code", "不能在管辖范围之外登记机构：%s",
			       code);
	text_copy(m->region_code, sizeof m->region_code, r.code);
	text_copy(m->unit_code, sizeof m->unit_code, r.unit_code);
	snprintf(m->area_code, sizeof m->area_code, "%.*s", r.level == REGIONS_COUNTY ? 6 : 9, r.code);
	return 0;
}

/* ================================================================ create, update */

static int write_row(struct db *db, const struct institution *m, int64_t id, const char *now,
		     const char *by, struct err *e)
{
	struct db_stmt *st;
	if (id == 0)
		st = db_prepare(db,
				"INSERT INTO institutions(name, type, region_code, unit_code, area_code, "
				"address, capacity, residents, staff, contact_name, contact_phone, "
				"opened_on, closed_on, cm_from, cm_to, created_at, created_by, updated_at) "
				"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
				e);
	else
		st = db_prepare(db,
				"UPDATE institutions SET name = ?, type = ?, region_code = ?, "
				"unit_code = ?, area_code = ?, address = ?, capacity = ?, residents = ?, "
				"staff = ?, contact_name = ?, contact_phone = ?, opened_on = ?, "
				"closed_on = ?, cm_from = ?, cm_to = ?, updated_at = ? WHERE id = ?",
				e);
	if (!st)
		return -1;
	int i = 1;
	db_bind_text(st, i++, m->name);
	db_bind_text(st, i++, m->type);
	db_bind_text(st, i++, m->region_code);
	db_bind_text(st, i++, m->unit_code);
	db_bind_text(st, i++, m->area_code);
	db_bind_text(st, i++, m->address);
	db_bind_int(st, i++, m->capacity);
	db_bind_int(st, i++, m->residents);
	db_bind_int(st, i++, m->staff);
	db_bind_text(st, i++, m->contact_name);
	db_bind_text(st, i++, m->contact_phone);
	db_bind_text(st, i++, m->opened_on);
	db_bind_text(st, i++, m->closed_on);
	db_bind_text(st, i++, m->cm_from);
	db_bind_text(st, i++, m->cm_to);
	if (id == 0) {
		db_bind_text(st, i++, now);
		db_bind_text(st, i++, by);
		db_bind_text(st, i++, now);
	} else {
		db_bind_text(st, i++, now);
		db_bind_int(st, i++, id);
	}
	return db_run(st, e);
}

/* The checks of a new institution (institutions_create, institutions_check): opened today
 * unless said, the type required, the merged fields' rules, the region and scope. */
static int check_new(struct db *db, const struct actor *a, struct institution_in *in,
		     const char *now, struct institution *m, struct err *e)
{
	if (!(in->has & INST_HAS_OPENED) || !in->opened_on[0]) { /* opened today unless said */
		snprintf(in->opened_on, sizeof in->opened_on, "%.10s", now);
		in->has |= INST_HAS_OPENED;
	}
	if (!(in->has & INST_HAS_TYPE))
		return err_set(e, 400, "required", "type", "请选择机构类型");
	if (apply(m, in, e) < 0 || check_merged(m, e) < 0 ||
	    place(db, a, (in->has & INST_HAS_REGION) ? in->region_code : "", m, e) < 0)
		return -1;
	return 0;
}

int institutions_check(struct db *db, const struct actor *a, struct institution_in *in,
		       struct err *e)
{
	char now[32];
	struct institution *m = calloc(1, sizeof *m);
	if (!m)
		return err_oom(e);
	institutions_now(NULL, now);
	int rc = check_new(db, a, in, now, m, e);
	free(m);
	return rc;
}

int institutions_create(struct db *db, const struct actor *a, struct institution_in *in,
			int64_t *out_id, struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	char now[32], detail[160];
	int rc = -1;
	if (!m)
		return err_oom(e);
	if (!actor_can(a, PERM_INSTITUTION_MANAGE)) {
		err_set(e, 403, "forbidden", NULL, "您的角色无权登记机构");
		goto out;
	}
	institutions_now(NULL, now);
	if (check_new(db, a, in, now, m, e) < 0)
		goto out;
	/* inside the caller's transaction (an import), the caller commits or rolls back */
	int own = !db_in_transaction(db);
	if (own && db_begin_write(db, e) < 0)
		goto out;
	rc = write_row(db, m, 0, now, a->username, e);
	if (rc == 0) {
		*out_id = db_last_id(db);
		snprintf(detail, sizeof detail, "{\"type\":\"%s\",\"region_code\":\"%s\"}", m->type,
			 m->region_code);
		rc =
		    audit_append_id(db, a, "institution.create", "institution", *out_id, detail, e);
	}
	if (own)
		rc = inst_finish(db, rc, e);
out:
	free(m);
	return rc;
}

/* Filed reports must stay inside the open period. */
static int check_period(struct db *db, const struct institution *m, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT min(report_date), max(report_date) FROM "
					    "inst_reports WHERE institution_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->id);
	int rc = db_step(st, e);
	char lo[11] = "", hi[11] = "";
	if (rc == 1 && !db_col_is_null(st, 0)) {
		text_copy(lo, sizeof lo, db_col_text(st, 0));
		text_copy(hi, sizeof hi, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (lo[0] && strcmp(m->opened_on, lo) > 0)
		return err_set(e, 409, "reports_outside_period", "opened_on",
			       "该机构 %s 已有日报，开办日期不能晚于它", lo);
	if (hi[0] && m->closed_on[0] && strcmp(m->closed_on, hi) <= 0)
		return err_set(e, 409, "reports_outside_period", "closed_on",
			       "该机构 %s 已有日报，停办日期应晚于它", hi);
	return 0;
}

int institutions_update(struct db *db, const struct actor *a, int64_t id,
			struct institution_in *in, struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	char now[32], detail[80];
	int rc = -1;
	if (!m)
		return err_oom(e);
	if (db_begin_write(db, e) < 0)
		goto out;
	if (inst_access(db, a, id, INST_NEED_MANAGE, m, NULL, e) < 0)
		goto fail;
	if ((in->has & INST_HAS_REGION) && strcmp(in->region_code, m->region_code) != 0) {
		err_set(e, 400, "invalid_value", "region_code",
			"机构所在地不能修改；迁址请停办原机构并登记新机构");
		goto fail;
	}
	if (apply(m, in, e) < 0 || check_merged(m, e) < 0 || check_period(db, m, e) < 0)
		goto fail;
	institutions_now(NULL, now);
	snprintf(detail, sizeof detail, "{\"fields\":%u}", (unsigned)in->has);
	rc = write_row(db, m, id, now, a->username, e);
	if (rc == 0)
		rc = audit_append_id(db, a, "institution.update", "institution", id, detail, e);
	rc = inst_finish(db, rc, e);
	goto out;
fail:
	db_rollback(db);
out:
	free(m);
	return rc;
}

/* ================================================================ reading */

static int load_reporters(struct db *db, struct institution *o, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT u.username FROM institution_reporters r "
					    "JOIN users u ON u.id = r.user_id "
					    "WHERE r.institution_id = ? ORDER BY u.username", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, o->id);
	int rc;
	o->n_reporters = 0;
	while ((rc = db_step(st, e)) == 1)
		if (o->n_reporters < INSTITUTIONS_MAX_REPORTERS)
			text_copy(o->reporters[o->n_reporters++], 64, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int institutions_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct institution *out, struct err *e)
{
	int began, rc;
	if (unmask) {
		if (db_begin_write(db, e) < 0)
			return -1;
		rc = inst_access(db, a, id, INST_NEED_READ, out, NULL, e);
		if (rc == 0 && !actor_can(a, PERM_REGISTRY_UNMASK))
			rc = err_set(e, 403, "forbidden", NULL, "您没有查看完整联系电话的权限");
		if (rc == 0)
			rc = load_reporters(db, out, e);
		if (rc == 0)
			rc = audit_append_id(db, a, "institution.unmask", "institution", id, NULL,
					     e);
		if (inst_finish(db, rc, e) < 0)
			return -1;
		out->unmasked = 1;
		return 0;
	}
	if ((began = inst_begin_read(db, e)) < 0)
		return -1;
	rc = inst_access(db, a, id, INST_NEED_READ, out, NULL, e);
	if (rc == 0)
		rc = load_reporters(db, out, e);
	inst_end_read(db, began);
	if (rc == 0)
		inst_mask(out);
	return rc;
}

int inst_check_unit(struct db *db, const struct actor *a, const char *unit, struct err *e)
{
	struct regions_unit u;
	struct scope us;
	struct err ignore;
	if (!unit[0])
		return 0;
	err_clear(&ignore);
	if (strlen(unit) >= sizeof u.code || regions_unit_get(db, unit, &u, &ignore) < 0 ||
	    accounts_resolve_scope(db, unit, &us, &ignore) < 0) {
		if (ignore.status >= 500) { /* a database error, not an unknown unit */
			*e = ignore;
			return -1;
		}
		return err_set(e, 404, "not_found", "unit", "管理单位不存在，或不在您的管辖范围内：%.16s",
			       unit);
	}
	for (int i = 0; i < us.n; i++)
		if (scope_overlaps(&a->scope, us.prefix[i]))
			return 0;
	return err_set(e, 404, "not_found", "unit", "管理单位不存在，或不在您的管辖范围内：%s", unit);
}

int institutions_list(struct db *db, const struct actor *a, const struct institutions_filter *f,
		      int (*fn)(const struct institutions_row *r, void *ctx), void *ctx,
		      struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct institutions_row *row = NULL;
	struct inst_deadline_cache *dc = NULL;
	char now[32], date[11];
	int rc = -1, began = 0;
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看机构");
	if (f->type[0] && !institutions_type_find(f->type))
		return err_set(e, 400, "invalid_value", "type", "未知的机构类型：%.32s", f->type);
	institutions_now(f->at, now);
	if (inst_date_or_today(f->date, f->at, "date", date, e) < 0)
		return -1;
	row = calloc(1, sizeof *row);
	dc = calloc(1, sizeof *dc);
	if (!row || !dc) {
		err_oom(e);
		goto out;
	}
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (inst_check_unit(db, a, f->unit, e) < 0)
		goto done;
	if (strbuf_addstr(&sql, "SELECT " INST_COLUMNS ", r.kind, r.on_time, g.name, u.name "
				"FROM institutions i "
				"LEFT JOIN inst_reports r ON r.institution_id = i.id AND r.report_date = ? "
				"LEFT JOIN regions g ON g.code = i.region_code "
				"LEFT JOIN units u ON u.code = i.unit_code WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "i.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND (? = '' OR i.type = ?) AND (? = '' OR i.unit_code = ?) "
				"AND (? = '' OR instr(i.name, ?) > 0) "
				"ORDER BY i.unit_code, i.type, i.name, i.id") < 0) {
		err_oom(e);
		goto done;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto done;
	int p = 1;
	db_bind_text(st, p++, date);
	p = scope_bind(st, &a->scope, p);
	db_bind_text(st, p++, f->type);
	db_bind_text(st, p++, f->type);
	db_bind_text(st, p++, f->unit);
	db_bind_text(st, p++, f->unit);
	db_bind_text(st, p++, f->q);
	db_bind_text(st, p++, f->q);
	int step;
	rc = 0;
	while ((step = db_step(st, e)) == 1) {
		memset(row, 0, sizeof *row);
		inst_from_row(st, 0, &row->inst);
		int has = !db_col_is_null(st, INST_NCOLUMNS);
		text_copy(row->kind, sizeof row->kind, has ? db_col_text(st, INST_NCOLUMNS) : "");
		int on_time = has && db_col_int(st, INST_NCOLUMNS + 1);
		text_copy(row->inst.region_name, sizeof row->inst.region_name,
			  db_col_text(st, INST_NCOLUMNS + 2));
		text_copy(row->inst.unit_name, sizeof row->inst.unit_name,
			  db_col_text(st, INST_NCOLUMNS + 3));
		inst_mask(&row->inst);
		text_copy(row->date, sizeof row->date, date);
		int open = institutions_open_on(row->inst.opened_on, row->inst.closed_on, date);
		row->under_cm = institutions_cm_on(row->inst.cm_from, row->inst.cm_to, date);
		if (open || has) {
			if (inst_deadline_cached(db, dc, row->inst.unit_code, row->inst.type, date,
						 row->deadline_at, e) < 0) {
				rc = -1;
				break;
			}
		}
		row->day_status = institutions_day_status(open, has, on_time, now, row->deadline_at);
		if (fn(row, ctx))
			break;
	}
	db_done(st);
	if (step < 0)
		rc = -1;
done:
	inst_end_read(db, began);
out:
	strbuf_release(&sql);
	free(row);
	free(dc);
	return rc;
}

/* ================================================================ reporters */

int institutions_attach(struct db *db, const struct actor *a, int64_t id, const char *username,
			struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	struct actor u;
	char now[32], detail[160];
	int rc = -1;
	if (!m)
		return err_oom(e);
	if (db_begin_write(db, e) < 0)
		goto out;
	if (inst_access(db, a, id, INST_NEED_MANAGE, m, NULL, e) < 0)
		goto fail;
	if (!username || !username[0]) {
		err_set(e, 400, "required", "username", "请填写填报员的用户名");
		goto fail;
	}
	int64_t uid;
	if (accounts_user_id(db, username, &uid, e) < 0)
		goto fail;
	if (uid <= 0 || accounts_actor_for_user(db, uid, &u, e) < 0) {
		if (uid > 0 && e->status >= 500)
			goto fail;
		err_set(e, 400, "invalid_value", "username", "用户不存在或已停用：%.64s", username);
		goto fail;
	}
	if (!actor_can(&u, PERM_INSTITUTION_REPORT)) {
		err_set(e, 400, "invalid_value", "username",
			"用户 %s 的角色（%s）不能填报机构日报，请使用机构填报员账号", username,
			roles_label(u.role));
		goto fail;
	}
	if (!scope_contains(&u.scope, m->region_code)) {
		err_set(e, 400, "invalid_value", "username",
			"机构不在用户 %s 的所属区划（%s）内，不能关联", username, u.region_code);
		goto fail;
	}
	institutions_now(NULL, now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO institution_reporters(user_id, institution_id, "
					    "attached_at, attached_by) VALUES (?,?,?,?) "
					    "ON CONFLICT (user_id) DO UPDATE SET institution_id = "
					    "excluded.institution_id, attached_at = excluded.attached_at, "
					    "attached_by = excluded.attached_by", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, uid);
	db_bind_int(st, 2, id);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, a->username);
	rc = db_run(st, e);
	snprintf(detail, sizeof detail, "{\"username\":\"%s\"}", username);
	if (rc == 0)
		rc = audit_append_id(db, a, "institution.attach", "institution", id, detail, e);
	rc = inst_finish(db, rc, e);
	goto out;
fail:
	db_rollback(db);
out:
	free(m);
	return rc;
}

int institutions_attached(struct db *db, const struct actor *a, int64_t *id, struct err *e)
{
	*id = 0;
	if (a->user_id <= 0)
		return 0;
	struct db_stmt *st = db_prepare(db, "SELECT institution_id FROM institution_reporters "
					    "WHERE user_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, a->user_id);
	int rc = db_step(st, e);
	if (rc == 1)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? -1 : rc;
}
