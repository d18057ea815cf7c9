/* marriage_office.c — marriage offices' settings (weekly hours, slot length, couples per slot),
 * closed dates and dated epidemic rules, and the day plan (slots with capacity and bookings)
 * that the public page, the booking checks and the registrar read. See marriage.h. */
#include "marriage/marriage_internal.h"
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/text.h"
#include "institutions/institutions.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mar_now(const char *at, char out[32], char day[11])
{
	if (at && at[0])
		text_copy(out, 32, at);
	else
		clock_now_iso(out);
	memcpy(day, out, 10);
	day[10] = '\0';
}

int mar_begin(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_write(db, e) < 0 ? -1 : 1;
}

int mar_end(struct db *db, int own, int rc, struct err *e)
{
	if (!own)
		return rc < 0 ? -1 : 0;
	if (rc == 0)
		return db_commit(db, e);
	db_rollback(db);
	return -1;
}

int mar_id_hash(struct db *db, const char *number, char out[65], struct err *e)
{
	unsigned char key[32], h[32];
	struct db_stmt *st = db_prepare(db, "SELECT k FROM marriage_key WHERE id = 1", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	if (rc != 1 || db_col_bytes(st, 0) != 32) {
		db_done(st);
		return rc < 0 ? -1 : err_set(e, 500, "internal", NULL, "婚姻登记模块的密钥缺失");
	}
	memcpy(key, db_col_blob(st, 0), 32);
	db_done(st);
	crypto_generichash(h, sizeof h, (const unsigned char *)number, strlen(number), key,
			   sizeof key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, 65, h, sizeof h);
	return 0;
}

int mar_office_row(struct db *db, int64_t id, struct marriage_office *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT name, region_code, unit_code, address, hours, "
					    "slot_minutes, capacity, updated_at FROM marriage_offices "
					    "WHERE office_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		out->id = id;
		text_copy(out->name, sizeof out->name, db_col_text(st, 0));
		text_copy(out->region_code, sizeof out->region_code, db_col_text(st, 1));
		text_copy(out->unit_code, sizeof out->unit_code, db_col_text(st, 2));
		text_copy(out->address, sizeof out->address, db_col_text(st, 3));
		text_copy(out->hours, sizeof out->hours, db_col_text(st, 4));
		out->slot_minutes = (int)db_col_int(st, 5);
		out->capacity = (int)db_col_int(st, 6);
		text_copy(out->updated_at, sizeof out->updated_at, db_col_text(st, 7));
		out->configured = 1;
	}
	db_done(st);
	return rc;
}

static void rule_from_row(struct db_stmt *st, struct marriage_rule *r)
{
	r->id = db_col_int(st, 0);
	text_copy(r->effective_from, sizeof r->effective_from, db_col_text(st, 1));
	r->capacity_limit = (int)db_col_int(st, 2);
	r->one_couple = (int)db_col_int(st, 3);
	r->counselling_suspended = (int)db_col_int(st, 4);
	r->ceremony_suspended = (int)db_col_int(st, 5);
	text_copy(r->note, sizeof r->note, db_col_text(st, 6));
	text_copy(r->set_by, sizeof r->set_by, db_col_text(st, 7));
	text_copy(r->set_at, sizeof r->set_at, db_col_text(st, 8));
}

#define RULE_COLS                                                                                 \
	"id, effective_from, capacity_limit, one_couple, counselling_suspended, ceremony_suspended, " \
	"note, set_by, set_at"

int mar_rule_on(struct db *db, int64_t office_id, const char *date, struct marriage_rule *out,
		struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM marriage_rules WHERE "
					    "office_id = ? AND effective_from <= ? "
					    "ORDER BY effective_from DESC LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, office_id);
	db_bind_text(st, 2, date);
	int rc = db_step(st, e);
	if (rc == 1)
		rule_from_row(st, out);
	db_done(st);
	return rc;
}

int mar_office_access(struct db *db, const struct actor *a, int64_t id, struct marriage_office *out,
		      struct err *e)
{
	if (!actor_can(a, PERM_MARRIAGE))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权管理婚姻登记预约");
	/* The registrar reads the institution record within their own scope only. */
	struct actor reader = *a;
	reader.perms |= PERM_INSTITUTION_READ;
	struct institution *inst = calloc(1, sizeof *inst);
	if (!inst)
		return err_oom(e);
	struct err ignore;
	int rc = institutions_get(db, &reader, id, 0, inst, &ignore);
	if (rc < 0 || strcmp(inst->type, "marriage_office") != 0) {
		free(inst);
		return err_set(e, 404, "not_found", NULL, "婚姻登记处不存在，或不在您的管辖范围内");
	}
	memset(out, 0, sizeof *out);
	out->id = id;
	text_copy(out->name, sizeof out->name, inst->name);
	text_copy(out->region_code, sizeof out->region_code, inst->region_code);
	text_copy(out->unit_code, sizeof out->unit_code, inst->unit_code);
	text_copy(out->address, sizeof out->address, inst->address);
	free(inst);
	struct marriage_office stored;
	memset(&stored, 0, sizeof stored);
	rc = mar_office_row(db, id, &stored, e);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		out->configured = 1;
		text_copy(out->hours, sizeof out->hours, stored.hours);
		out->slot_minutes = stored.slot_minutes;
		out->capacity = stored.capacity;
		text_copy(out->updated_at, sizeof out->updated_at, stored.updated_at);
	}
	return 0;
}

/* ================================================================ lists */

void marriage_office_list_release(struct marriage_office_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

struct collect {
	struct marriage_office_list *l;
	int cap;
	int oom;
};

static int collect_inst(const struct institutions_row *r, void *ctx)
{
	struct collect *c = ctx;
	if (c->l->n == c->cap) {
		int cap = c->cap ? c->cap * 2 : 16;
		void *p = realloc(c->l->items, (size_t)cap * sizeof *c->l->items);
		if (!p) {
			c->oom = 1;
			return 1;
		}
		c->l->items = p;
		c->cap = cap;
	}
	struct marriage_office *o = &c->l->items[c->l->n++];
	memset(o, 0, sizeof *o);
	o->id = r->inst.id;
	text_copy(o->name, sizeof o->name, r->inst.name);
	text_copy(o->region_code, sizeof o->region_code, r->inst.region_code);
	text_copy(o->unit_code, sizeof o->unit_code, r->inst.unit_code);
	text_copy(o->address, sizeof o->address, r->inst.address);
	return 0;
}

int marriage_office_list(struct db *db, const struct actor *a, struct marriage_office_list *out,
			 struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_MARRIAGE))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权管理婚姻登记预约");
	struct actor reader = *a;
	reader.perms |= PERM_INSTITUTION_READ;
	struct institutions_filter f;
	memset(&f, 0, sizeof f);
	snprintf(f.type, sizeof f.type, "marriage_office");
	struct collect c = {out, 0, 0};
	if (institutions_list(db, &reader, &f, collect_inst, &c, e) < 0 || c.oom) {
		if (c.oom)
			err_oom(e);
		marriage_office_list_release(out);
		return -1;
	}
	for (int i = 0; i < out->n; i++) {
		struct marriage_office *o = &out->items[i], s;
		memset(&s, 0, sizeof s);
		int rc = mar_office_row(db, o->id, &s, e);
		if (rc < 0) {
			marriage_office_list_release(out);
			return -1;
		}
		if (rc == 1) {
			o->configured = 1;
			text_copy(o->hours, sizeof o->hours, s.hours);
			o->slot_minutes = s.slot_minutes;
			o->capacity = s.capacity;
			text_copy(o->updated_at, sizeof o->updated_at, s.updated_at);
		}
	}
	return 0;
}

int marriage_public_offices(struct db *db, struct marriage_office_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_prepare(db, "SELECT office_id FROM marriage_offices "
					    "ORDER BY region_code, name, office_id", e);
	if (!st)
		return -1;
	int cap = 0, rc;
	int64_t *ids = NULL;
	int n = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			int64_t *p = realloc(ids, (size_t)cap * sizeof *ids);
			if (!p) {
				rc = err_oom(e);
				break;
			}
			ids = p;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc == 0 && n > 0 && !(out->items = calloc((size_t)n, sizeof *out->items)))
		rc = err_oom(e);
	for (int i = 0; rc == 0 && i < n; i++)
		if (mar_office_row(db, ids[i], &out->items[out->n++], e) < 0)
			rc = -1;
	free(ids);
	if (rc < 0)
		marriage_office_list_release(out);
	return rc < 0 ? -1 : 0;
}

int marriage_office_get(struct db *db, const struct actor *a, int64_t id,
			struct marriage_office *out, struct err *e)
{
	return mar_office_access(db, a, id, out, e);
}

/* ================================================================ changes */

int marriage_office_set(struct db *db, const struct actor *a, int64_t id,
			const struct marriage_office_in *in, struct err *e)
{
	struct marriage_week w;
	struct marriage_office o;
	char now[32], day[11], detail[400];
	if (marriage_hours_parse(in->hours, &w, e) < 0)
		return -1;
	if (in->slot_minutes < 10 || in->slot_minutes > 240)
		return err_set(e, 400, "invalid_value", "slot_minutes", "每个时段的长度须为 10–240 分钟");
	if (in->capacity < 1 || in->capacity > MARRIAGE_MAX_CAPACITY)
		return err_set(e, 400, "invalid_value", "capacity", "每个时段可预约的对数须为 1–%d",
			       MARRIAGE_MAX_CAPACITY);
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = mar_office_access(db, a, id, &o, e);
	mar_now(NULL, now, day);
	struct db_stmt *st = NULL;
	if (rc == 0 &&
	    !(st = db_prepare(db, "INSERT INTO marriage_offices(office_id, name, region_code, "
				  "unit_code, address, hours, slot_minutes, capacity, updated_by, "
				  "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(office_id) DO "
				  "UPDATE SET name = excluded.name, address = excluded.address, "
				  "hours = excluded.hours, slot_minutes = excluded.slot_minutes, "
				  "capacity = excluded.capacity, updated_by = excluded.updated_by, "
				  "updated_at = excluded.updated_at", e)))
		rc = -1;
	if (rc == 0) {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, o.name);
		db_bind_text(st, 3, o.region_code);
		db_bind_text(st, 4, o.unit_code);
		db_bind_text(st, 5, o.address);
		db_bind_text(st, 6, in->hours);
		db_bind_int(st, 7, in->slot_minutes);
		db_bind_int(st, 8, in->capacity);
		db_bind_text(st, 9, a->username);
		db_bind_text(st, 10, now);
		rc = db_run(st, e);
	}
	if (rc == 0) {
		snprintf(detail, sizeof detail,
			 "{\"slot_minutes\":%lld,\"capacity\":%lld,\"was_capacity\":%d}",
			 (long long)in->slot_minutes, (long long)in->capacity, o.capacity);
		rc = audit_append_id(db, a, "marriage.office_set", "marriage_office", id, detail, e);
	}
	return mar_end(db, own, rc, e);
}

static int need_configured(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	struct marriage_office o;
	if (mar_office_access(db, a, id, &o, e) < 0)
		return -1;
	if (!o.configured)
		return err_set(e, 409, "not_configured", NULL, "请先设置该登记处的开放时间与时段");
	return 0;
}

int marriage_closed_set(struct db *db, const struct actor *a, int64_t id, const char *date,
			int closed, const char *reason, struct err *e)
{
	char now[32], day[11];
	if (!date || !date[0])
		return err_set(e, 400, "required", "date", "请填写日期");
	if (!calendar_date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "日期格式不正确：%.16s", date);
	if (closed && text_check(reason, MARRIAGE_REASON_CHARS, 1, 0, "reason", "闭馆原因", e) < 0)
		return -1;
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = need_configured(db, a, id, e);
	mar_now(NULL, now, day);
	struct db_stmt *st = NULL;
	if (rc == 0) {
		st = closed ? db_prepare(db, "INSERT INTO marriage_closed(office_id, day, reason, "
					     "set_by, set_at) VALUES (?,?,?,?,?) ON CONFLICT(office_id, day) "
					     "DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by, "
					     "set_at = excluded.set_at", e)
			    : db_prepare(db, "DELETE FROM marriage_closed WHERE office_id = ? AND day = ?",
					 e);
		if (!st)
			rc = -1;
	}
	if (rc == 0) {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, date);
		if (closed) {
			db_bind_text(st, 3, reason);
			db_bind_text(st, 4, a->username);
			db_bind_text(st, 5, now);
		}
		rc = db_run(st, e);
	}
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "{\"date\":\"%s\",\"closed\":%s}", date,
			 closed ? "true" : "false");
		rc = audit_append_id(db, a, "marriage.closed_set", "marriage_office", id, detail, e);
	}
	return mar_end(db, own, rc, e);
}

int marriage_closed_list(struct db *db, const struct actor *a, int64_t id, const char *from,
			 struct marriage_closed_day *out, int max, struct err *e)
{
	struct marriage_office o;
	if (mar_office_access(db, a, id, &o, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT day, reason FROM marriage_closed WHERE "
					    "office_id = ? AND day >= ? ORDER BY day LIMIT ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, from ? from : "");
	db_bind_int(st, 3, max);
	int n = 0, rc;
	while ((rc = db_step(st, e)) == 1 && n < max) {
		text_copy(out[n].date, sizeof out[n].date, db_col_text(st, 0));
		text_copy(out[n].reason, sizeof out[n].reason, db_col_text(st, 1));
		n++;
	}
	db_done(st);
	return rc < 0 ? -1 : n;
}

int marriage_rule_set(struct db *db, const struct actor *a, int64_t id,
		      const struct marriage_rule *in, struct err *e)
{
	char now[32], day[11];
	if (!in->effective_from[0])
		return err_set(e, 400, "required", "effective_from", "请填写生效日期");
	if (!calendar_date_valid(in->effective_from))
		return err_set(e, 400, "invalid_value", "effective_from", "生效日期格式不正确");
	if (in->capacity_limit < 0 || in->capacity_limit > MARRIAGE_MAX_CAPACITY)
		return err_set(e, 400, "invalid_value", "capacity_limit",
			       "每个时段限约对数须为 0（不限）至 %d", MARRIAGE_MAX_CAPACITY);
	if (text_check(in->note, MARRIAGE_REASON_CHARS, 0, 0, "note", "说明", e) < 0)
		return -1;
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = need_configured(db, a, id, e);
	mar_now(NULL, now, day);
	struct db_stmt *st = NULL;
	if (rc == 0 &&
	    !(st = db_prepare(db, "INSERT INTO marriage_rules(office_id, effective_from, "
				  "capacity_limit, one_couple, counselling_suspended, ceremony_suspended, "
				  "note, set_by, set_at) VALUES (?,?,?,?,?,?,?,?,?) "
				  "ON CONFLICT(office_id, effective_from) DO UPDATE SET "
				  "capacity_limit = excluded.capacity_limit, one_couple = excluded.one_couple, "
				  "counselling_suspended = excluded.counselling_suspended, "
				  "ceremony_suspended = excluded.ceremony_suspended, note = excluded.note, "
				  "set_by = excluded.set_by, set_at = excluded.set_at", e)))
		rc = -1;
	if (rc == 0) {
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, in->effective_from);
		db_bind_int(st, 3, in->capacity_limit);
		db_bind_int(st, 4, in->one_couple ? 1 : 0);
		db_bind_int(st, 5, in->counselling_suspended ? 1 : 0);
		db_bind_int(st, 6, in->ceremony_suspended ? 1 : 0);
		db_bind_text(st, 7, in->note);
		db_bind_text(st, 8, a->username);
		db_bind_text(st, 9, now);
		rc = db_run(st, e);
	}
	if (rc == 0) {
		char detail[200];
		snprintf(detail, sizeof detail,
			 "{\"effective_from\":\"%s\",\"capacity_limit\":%d,\"one_couple\":%d,"
			 "\"counselling_suspended\":%d,\"ceremony_suspended\":%d}",
			 in->effective_from, in->capacity_limit, in->one_couple ? 1 : 0,
			 in->counselling_suspended ? 1 : 0, in->ceremony_suspended ? 1 : 0);
		rc = audit_append_id(db, a, "marriage.rule_set", "marriage_office", id, detail, e);
	}
	return mar_end(db, own, rc, e);
}

int marriage_rule_list(struct db *db, const struct actor *a, int64_t id,
		       struct marriage_rule *out, int max, struct err *e)
{
	struct marriage_office o;
	if (mar_office_access(db, a, id, &o, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT " RULE_COLS " FROM marriage_rules WHERE "
					    "office_id = ? ORDER BY effective_from DESC LIMIT ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, max);
	int n = 0, rc;
	while ((rc = db_step(st, e)) == 1 && n < max)
		rule_from_row(st, &out[n++]);
	db_done(st);
	return rc < 0 ? -1 : n;
}

/* ================================================================ the day plan */

struct day_kind {
	const char *date;
	char kind[8];
	char name[64];
};

static int find_day(const struct calendar_day *d, void *ctx)
{
	struct day_kind *k = ctx;
	if (strcmp(d->date, k->date) == 0) {
		text_copy(k->kind, sizeof k->kind, d->kind);
		text_copy(k->name, sizeof k->name, d->name);
		return 1;
	}
	return 0;
}

int marriage_day_plan(struct db *db, int64_t office_id, const char *date,
		      struct marriage_day_plan *out, struct err *e)
{
	struct marriage_office o;
	struct marriage_week w;
	memset(out, 0, sizeof *out);
	if (!date || !date[0])
		return err_set(e, 400, "required", "date", "请选择日期");
	if (!calendar_date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "日期格式不正确：%.16s", date);
	memset(&o, 0, sizeof o);
	int rc = mar_office_row(db, office_id, &o, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "婚姻登记处不存在或尚未开放预约");
	out->office_id = office_id;
	text_copy(out->date, sizeof out->date, date);
	out->slot_minutes = o.slot_minutes;
	if (marriage_hours_parse(o.hours, &w, e) < 0 || mar_rule_on(db, office_id, date, &out->rule, e) < 0)
		return -1;

	/* Closed dates of the office, then official holidays, then the weekday's hours. */
	struct db_stmt *st = db_prepare(db, "SELECT reason FROM marriage_closed WHERE office_id = ? "
					    "AND day = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, office_id);
	db_bind_text(st, 2, date);
	rc = db_step(st, e);
	if (rc == 1)
		snprintf(out->reason, sizeof out->reason, "闭馆：%s", db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	/* One lookup tells a plain working day, a holiday on a weekday and a weekend made a working
	 * day apart; only a holiday (for its name) or a weekend day the office opens on needs the
	 * year's rows. */
	struct day_kind k = {date, "", ""};
	int weekday = calendar_weekday(date), working = 0;
	if (calendar_is_working_day(db, date, &working, e) < 0)
		return -1;
	if (working && weekday >= 6)
		text_copy(k.kind, sizeof k.kind, "workday");
	else if ((!working && weekday <= 5) || (!working && w.n[weekday - 1] > 0))
		if (calendar_list(db, atoi(date), find_day, &k, e) < 0)
			return -1;
	if (strcmp(k.kind, "holiday") == 0) {
		snprintf(out->reason, sizeof out->reason, "法定节假日：%s", k.name);
		return 0;
	}
	if (strcmp(k.kind, "workday") == 0 && weekday >= 6)
		weekday = 1; /* a weekend made a working day keeps Monday's hours */
	int starts[MARRIAGE_MAX_SLOTS];
	int n = marriage_day_slots(&w, weekday, o.slot_minutes, starts, MARRIAGE_MAX_SLOTS);
	if (n == 0) {
		snprintf(out->reason, sizeof out->reason, "当日不开放");
		return 0;
	}
	out->open = 1;
	int cap = marriage_capacity_on(o.capacity, out->rule.id ? &out->rule : NULL);
	for (int i = 0; i < n; i++) {
		marriage_time_str(starts[i], out->slots[i].time);
		out->slots[i].capacity = cap;
	}
	out->nslots = n;
	st = db_prepare(db, "SELECT slot_time, count(*) FROM marriage_bookings WHERE office_id = ? "
			    "AND slot_date = ? AND status = 'booked' GROUP BY slot_time", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, office_id);
	db_bind_text(st, 2, date);
	while ((rc = db_step(st, e)) == 1)
		for (int i = 0; i < n; i++)
			if (strcmp(out->slots[i].time, db_col_text(st, 0)) == 0)
				out->slots[i].booked = (int)db_col_int(st, 1);
	db_done(st);
	return rc < 0 ? -1 : 0;
}
