/* lottery_store.c — the lottery module's records: closures, reopening checklists and
 * reopenings of lottery outlets (lottery_schema.c), the outlet list with each outlet's status
 * on a day, and the count of open outlets. Outlets themselves come from the institutions
 * module's public functions, which apply its permission and scope. */
#include "lottery/lottery.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/text.h"
#include "institutions/institutions.h"

/* The outlet through the institutions module (its permission and scope); 404 for another type. */
static int outlet_load(struct db *db, const struct actor *a, int64_t id, struct institution *x,
		       struct err *e)
{
	if (institutions_get(db, a, id, 0, x, e) < 0)
		return -1;
	if (strcmp(x->type, "lottery_outlet") != 0)
		return err_set(e, 404, "not_found", NULL, "福彩销售网点不存在");
	return 0;
}

/* The latest event on or before `date` ("" = any date): kind and date into the buffers ("" when
 * none). */
static int latest_event(struct db *db, int64_t id, const char *date, char kind[16], char on[16],
			struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT kind, date FROM lottery_events WHERE "
					    "institution_id = ? AND (? = '' OR date <= ?) "
					    "ORDER BY date DESC, id DESC LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, date);
	kind[0] = on[0] = '\0';
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(kind, 16, db_col_text(st, 0));
		text_copy(on, 16, db_col_text(st, 1));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The latest checklist dated on or before `date`: 1 found, 0 none. */
static int latest_checklist(struct db *db, int64_t id, const char *date, struct lottery_checklist *c,
			    int64_t *cid, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, checked_on, checked_by, temperature, masks, "
					    "distance, disinfection FROM lottery_checklists WHERE "
					    "institution_id = ? AND checked_on <= ? "
					    "ORDER BY checked_on DESC, id DESC LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, date);
	memset(c, 0, sizeof *c);
	int rc = db_step(st, e);
	if (rc == 1) {
		*cid = db_col_int(st, 0);
		text_copy(c->checked_on, sizeof c->checked_on, db_col_text(st, 1));
		text_copy(c->checked_by, sizeof c->checked_by, db_col_text(st, 2));
		c->temperature = (int)db_col_int(st, 3);
		c->masks = (int)db_col_int(st, 4);
		c->distance = (int)db_col_int(st, 5);
		c->disinfection = (int)db_col_int(st, 6);
	}
	db_done(st);
	return rc;
}

static int check_day(const char *date, const char *field, struct err *e)
{
	char today[11];
	if (!date || !date[0])
		return err_set(e, 400, "required", field, "请填写日期");
	if (!calendar_date_valid(date))
		return err_set(e, 400, "invalid_value", field, "日期应为 YYYY-MM-DD");
	clock_today(today);
	if (strcmp(date, today) > 0)
		return err_set(e, 400, "invalid_value", field, "日期不能晚于今天");
	return 0;
}

static int add_event(struct db *db, const struct actor *a, const struct institution *x,
		     const char *kind, const char *date, int64_t checklist_id, const char *note,
		     struct err *e)
{
	char now[32];
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db, "INSERT INTO lottery_events(institution_id, region_code, "
					    "kind, date, checklist_id, note, created_by, created_at) "
					    "VALUES (?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->id);
	db_bind_text(st, 2, x->region_code);
	db_bind_text(st, 3, kind);
	db_bind_text(st, 4, date);
	if (checklist_id)
		db_bind_int(st, 5, checklist_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, note ? note : "");
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, now);
	if (db_run(st, e) < 0)
		return -1;
	char action[32], detail[120];
	snprintf(action, sizeof action, "lottery.%s", kind);
	snprintf(detail, sizeof detail, "{\"date\":\"%s\",\"checklist_id\":%" PRId64 "}", date,
		 checklist_id);
	return audit_append_id(db, a, action, "institution", x->id, detail, e);
}

struct write_args {
	const char *date, *note;
	const struct lottery_checklist *c;
	int kind; /* 0 closure, 1 checklist, 2 reopening */
};

static int write_txn(struct db *db, const struct actor *a, struct institution *x,
		     const struct write_args *w, struct err *e)
{
	char kind[16], on[16];
	if (latest_event(db, x->id, "", kind, on, e) < 0)
		return -1;
	if (w->kind == 0) {
		if (strcmp(kind, "closure") == 0)
			return err_set(e, 409, "already_closed", NULL, "该网点已于 %s 停业", on);
		if (on[0] && strcmp(w->date, on) < 0)
			return err_set(e, 409, "invalid_step", "date",
				       "停业日期不能早于上次复业日期 %s", on);
		return add_event(db, a, x, "closure", w->date, 0, w->note, e);
	}
	if (w->kind == 1) {
		char now[32];
		clock_now_iso(now);
		struct db_stmt *st = db_prepare(
		    db,
		    "INSERT INTO lottery_checklists(institution_id, region_code, checked_on, "
		    "checked_by, temperature, masks, distance, disinfection, note, created_by, "
		    "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
		    e);
		if (!st)
			return -1;
		db_bind_int(st, 1, x->id);
		db_bind_text(st, 2, x->region_code);
		db_bind_text(st, 3, w->c->checked_on);
		db_bind_text(st, 4, w->c->checked_by);
		db_bind_int(st, 5, w->c->temperature ? 1 : 0);
		db_bind_int(st, 6, w->c->masks ? 1 : 0);
		db_bind_int(st, 7, w->c->distance ? 1 : 0);
		db_bind_int(st, 8, w->c->disinfection ? 1 : 0);
		db_bind_text(st, 9, w->note ? w->note : "");
		db_bind_text(st, 10, a->username);
		db_bind_text(st, 11, now);
		if (db_run(st, e) < 0)
			return -1;
		char detail[120];
		snprintf(detail, sizeof detail,
			 "{\"checked_on\":\"%s\",\"complete\":%d}", w->c->checked_on,
			 lottery_checklist_complete(w->c));
		return audit_append_id(db, a, "lottery.checklist", "institution", x->id, detail, e);
	}
	struct lottery_checklist c;
	int64_t cid = 0;
	int found = latest_checklist(db, x->id, w->date, &c, &cid, e);
	if (found < 0)
		return -1;
	if (lottery_reopen_check(strcmp(kind, "closure") == 0 ? on : "", w->date,
				 found ? &c : NULL, e) < 0)
		return -1;
	return add_event(db, a, x, "reopening", w->date, cid, w->note, e);
}

static int write(struct db *db, const struct actor *a, int64_t id, const struct write_args *w,
		 struct err *e)
{
	if (!actor_can(a, PERM_INSTITUTION_MANAGE))
		return err_set(e, 403, "forbidden", NULL, "您没有管理福彩网点的权限");
	if (w->note && text_check(w->note, 200, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (w->kind == 1) {
		if (check_day(w->c->checked_on, "checked_on", e) < 0 ||
		    text_check(w->c->checked_by, 30, 1, 0, "checked_by", "核查人", e) < 0)
			return -1;
	} else if (check_day(w->date, "date", e) < 0) {
		return -1;
	}
	struct institution *x = calloc(1, sizeof *x);
	if (!x)
		return err_oom(e);
	int rc = -1, began = -1;
	if (outlet_load(db, a, id, x, e) == 0 && (began = db_write_join(db, e)) >= 0)
		rc = db_write_finish(db, began, write_txn(db, a, x, w, e), e);
	free(x);
	return rc;
}

int lottery_close(struct db *db, const struct actor *a, int64_t institution_id, const char *date,
		  const char *note, struct err *e)
{
	struct write_args w = {date, note, NULL, 0};
	return write(db, a, institution_id, &w, e);
}

int lottery_checklist_record(struct db *db, const struct actor *a, int64_t institution_id,
			     const struct lottery_checklist *c, const char *note, struct err *e)
{
	struct write_args w = {NULL, note, c, 1};
	return write(db, a, institution_id, &w, e);
}

int lottery_reopen(struct db *db, const struct actor *a, int64_t institution_id, const char *date,
		   const char *note, struct err *e)
{
	struct write_args w = {date, note, NULL, 2};
	return write(db, a, institution_id, &w, e);
}

/* ---- reading ------------------------------------------------------------------------------ */

struct outlet {
	int64_t id;
	char name[INSTITUTIONS_NAME_SZ];
	char region_code[16], region_name[128], unit_code[16], unit_name[128];
	char opened_on[11], closed_on[11];
};

struct outlets {
	int n, alloc;
	struct outlet *v;
	int oom;
};

static int collect(const struct institutions_row *r, void *ctx)
{
	struct outlets *o = ctx;
	if (array_grow(&o->v, o->n, &o->alloc, sizeof *o->v, 16) < 0) {
		o->oom = 1;
		return 1;
	}
	struct outlet *x = &o->v[o->n++];
	memset(x, 0, sizeof *x);
	x->id = r->inst.id;
	text_copy(x->name, sizeof x->name, r->inst.name);
	text_copy(x->region_code, sizeof x->region_code, r->inst.region_code);
	text_copy(x->region_name, sizeof x->region_name, r->inst.region_name);
	text_copy(x->unit_code, sizeof x->unit_code, r->inst.unit_code);
	text_copy(x->unit_name, sizeof x->unit_name, r->inst.unit_name);
	text_copy(x->opened_on, sizeof x->opened_on, r->inst.opened_on);
	text_copy(x->closed_on, sizeof x->closed_on, r->inst.closed_on);
	return 0;
}

static int outlets_load(struct db *db, const struct actor *a, const char *date, struct outlets *o,
			struct err *e)
{
	struct institutions_filter f;
	memset(&f, 0, sizeof f);
	memset(o, 0, sizeof *o);
	text_copy(f.type, sizeof f.type, "lottery_outlet");
	text_copy(f.date, sizeof f.date, date);
	if (institutions_list(db, a, &f, collect, o, e) < 0) {
		free(o->v);
		return -1;
	}
	if (o->oom) {
		free(o->v);
		return err_oom(e);
	}
	return 0;
}

/* The outlet's status on `date`, its latest closure and reopening, and whether a complete
 * checklist follows its latest closure. */
struct state {
	const char *status;
	char closed_on[16], reopened_on[16];
	int checklist_ok;
};

static int state_of(struct db *db, const struct outlet *x, const char *date, struct state *s,
		    struct err *e)
{
	char kind[16], on[16];
	memset(s, 0, sizeof s[0]);
	if (latest_event(db, x->id, date, kind, on, e) < 0)
		return -1;
	if (!institutions_open_on(x->opened_on, x->closed_on, date))
		s->status = "not_open";
	else
		s->status = strcmp(kind, "closure") == 0 ? "closed" : "open";
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT (SELECT coalesce(max(date), '') FROM lottery_events WHERE institution_id = ?1 "
	    "AND kind = 'closure' AND date <= ?2), (SELECT coalesce(max(date), '') FROM "
	    "lottery_events WHERE institution_id = ?1 AND kind = 'reopening' AND date <= ?2)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, x->id);
	db_bind_text(st, 2, date);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(s->closed_on, sizeof s->closed_on, db_col_text(st, 0));
		text_copy(s->reopened_on, sizeof s->reopened_on, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	struct lottery_checklist c;
	int64_t cid;
	int found = latest_checklist(db, x->id, date, &c, &cid, e);
	if (found < 0)
		return -1;
	s->checklist_ok = found && lottery_checklist_complete(&c) &&
			  strcmp(c.checked_on, s->closed_on) >= 0;
	return 0;
}

static json_t *outlet_json(const struct outlet *x, const struct state *s)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id",
			 (json_int_t)x->id, "name", x->name, "region_code", x->region_code,
			 "region_name", x->region_name, "unit_code", x->unit_code, "unit_name",
			 x->unit_name, "status", s->status, "closed_on",
			 api_json_opt_str(s->closed_on), "reopened_on",
			 api_json_opt_str(s->reopened_on), "checklist_ok", s->checklist_ok);
}

static int date_or_today(const char *date, char out[16], struct err *e)
{
	if (!date || !date[0]) {
		char t[11];
		clock_today(t);
		text_copy(out, 16, t);
		return 0;
	}
	if (!calendar_date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD");
	text_copy(out, 16, date);
	return 0;
}

int lottery_outlet_list(struct db *db, const struct actor *a, const char *date,
			const char *status_filter, int limit, int64_t offset, json_t **out,
			struct err *e)
{
	char day[16];
	struct outlets o;
	*out = NULL;
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您没有查看服务机构的权限");
	if (date_or_today(date, day, e) < 0)
		return -1;
	if (status_filter && status_filter[0] && strcmp(status_filter, "open") != 0 &&
	    strcmp(status_filter, "closed") != 0 && strcmp(status_filter, "not_open") != 0)
		return err_set(e, 400, "invalid_value", "status", "状态应为 open、closed 或 not_open");
	if (outlets_load(db, a, day, &o, e) < 0)
		return -1;
	json_t *items = json_array();
	int64_t total = 0, open = 0, closed = 0;
	int rc = items ? 0 : err_oom(e);
	for (int i = 0; rc == 0 && i < o.n; i++) {
		struct state s;
		if ((rc = state_of(db, &o.v[i], day, &s, e)) < 0)
			break;
		open += strcmp(s.status, "open") == 0;
		closed += strcmp(s.status, "closed") == 0;
		if (status_filter && status_filter[0] && strcmp(status_filter, s.status) != 0)
			continue;
		if (total++ >= offset && (int64_t)json_array_size(items) < limit)
			json_array_append_new(items, outlet_json(&o.v[i], &s));
	}
	free(o.v);
	if (rc < 0) {
		json_decref(items);
		return -1;
	}
	*out = json_pack("{s:s, s:o, s:I, s:I, s:I, s:i, s:I}", "date", day, "items", items, "total",
			 (json_int_t)total, "open", (json_int_t)open, "closed", (json_int_t)closed,
			 "limit", limit, "offset", (json_int_t)offset);
	return *out ? 0 : err_oom(e);
}

int lottery_outlet_get(struct db *db, const struct actor *a, int64_t id, json_t **out,
		       struct err *e)
{
	char day[16];
	*out = NULL;
	struct institution *x = calloc(1, sizeof *x);
	if (!x)
		return err_oom(e);
	if (outlet_load(db, a, id, x, e) < 0) {
		free(x);
		return -1;
	}
	struct outlet o;
	memset(&o, 0, sizeof o);
	o.id = x->id;
	text_copy(o.name, sizeof o.name, x->name);
	text_copy(o.region_code, sizeof o.region_code, x->region_code);
	text_copy(o.region_name, sizeof o.region_name, x->region_name);
	text_copy(o.unit_code, sizeof o.unit_code, x->unit_code);
	text_copy(o.unit_name, sizeof o.unit_name, x->unit_name);
	text_copy(o.opened_on, sizeof o.opened_on, x->opened_on);
	text_copy(o.closed_on, sizeof o.closed_on, x->closed_on);
	free(x);
	date_or_today("", day, e);
	struct state s;
	if (state_of(db, &o, day, &s, e) < 0)
		return -1;
	json_t *j = outlet_json(&o, &s), *ev = json_array(), *cl = json_array();
	struct db_stmt *st = db_prepare(db, "SELECT kind, date, note, created_by, created_at FROM "
					    "lottery_events WHERE institution_id = ? "
					    "ORDER BY date, id", e);
	int rc = st ? 0 : -1;
	if (st) {
		db_bind_int(st, 1, id);
		while ((rc = db_step(st, e)) == 1)
			json_array_append_new(
			    ev, json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", db_col_text(st, 0),
					  "date", db_col_text(st, 1), "note", db_col_text(st, 2), "by",
					  db_col_text(st, 3), "at", db_col_text(st, 4)));
		db_done(st);
	}
	if (rc == 0 && (st = db_prepare(db, "SELECT checked_on, checked_by, temperature, masks, "
					    "distance, disinfection, note, created_by FROM "
					    "lottery_checklists WHERE institution_id = ? "
					    "ORDER BY checked_on, id", e))) {
		db_bind_int(st, 1, id);
		while ((rc = db_step(st, e)) == 1) {
			struct lottery_checklist c;
			memset(&c, 0, sizeof c);
			text_copy(c.checked_on, sizeof c.checked_on, db_col_text(st, 0));
			text_copy(c.checked_by, sizeof c.checked_by, db_col_text(st, 1));
			c.temperature = (int)db_col_int(st, 2);
			c.masks = (int)db_col_int(st, 3);
			c.distance = (int)db_col_int(st, 4);
			c.disinfection = (int)db_col_int(st, 5);
			json_array_append_new(
			    cl, json_pack("{s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:s, s:s}",
					  "checked_on", c.checked_on, "checked_by", c.checked_by,
					  "temperature", c.temperature, "masks", c.masks, "distance",
					  c.distance, "disinfection", c.disinfection, "complete",
					  lottery_checklist_complete(&c), "note", db_col_text(st, 6),
					  "by", db_col_text(st, 7)));
		}
		db_done(st);
	} else if (rc == 0) {
		rc = -1;
	}
	if (rc < 0 || !j || !ev || !cl) {
		json_decref(j);
		json_decref(ev);
		json_decref(cl);
		return rc < 0 ? -1 : err_oom(e);
	}
	json_object_set_new(j, "events", ev);
	json_object_set_new(j, "checklists", cl);
	*out = j;
	return 0;
}

int lottery_figures(struct db *db, const struct actor *a, const char *date,
		    void (*fn)(void *ctx, const char *region_code, int64_t v), void *ctx,
		    struct err *e)
{
	struct outlets o;
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您没有查看服务机构的权限");
	if (outlets_load(db, a, date, &o, e) < 0)
		return -1;
	int rc = 0;
	for (int i = 0; rc == 0 && i < o.n; i++) {
		struct state s;
		rc = state_of(db, &o.v[i], date, &s, e);
		if (rc == 0 && strcmp(s.status, "open") == 0)
			fn(ctx, o.v[i].region_code, 1);
	}
	free(o.v);
	return rc;
}
