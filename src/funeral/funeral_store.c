/* funeral_store.c — the funeral module's SQL (see funeral.h): body records and their steps,
 * farewell gatherings and their suspensions, a home's daily figures, the homes list and the
 * statistics pass.
 *
 * Scope: every read of a record goes through body_load() or a list statement whose WHERE comes
 * from scope_sql() on the record's region_code (its home's). A write joins the caller's open
 * transaction when there is one (the demo writes many records in one) and otherwise is its own,
 * always with its audit row. The cross-check is told of a registry match in the same
 * transaction (crosscheck_death_record). */
#include "funeral/funeral.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "crosscheck/crosscheck.h"
#include "institutions/institutions.h"

/* ---- small helpers ------------------------------------------------------------------------ */

static int not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在或不在您的管辖范围内", what);
}

static int need_perm(const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_FUNERAL))
		return err_set(e, 403, "forbidden", NULL, "您没有殡葬服务的权限");
	return 0;
}

/* 1 began, 0 joined the caller's, -1 error. */
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

static void now_minute(const char *now, char out[17])
{
	if (now && *now && funeral_time_norm(now, out) == 0)
		return;
	char iso[32];
	clock_now_iso(iso);
	memcpy(out, iso, 16);
	out[16] = '\0';
}

/* ---- homes -------------------------------------------------------------------------------- */

struct home_row {
	int64_t id;
	char name[128];
	char region_code[16];
};

/* The funeral home `id` in the actor's scope (404 otherwise, also for another type). */
static int home_load(struct db *db, const struct actor *a, int64_t id, struct home_row *h,
		     struct err *e)
{
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT id, name, region_code FROM institutions WHERE id = ? AND type = 'funeral_home' "
	    "AND ",
	    "region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1) {
		h->id = db_col_int(st, 0);
		text_copy(h->name, sizeof h->name, db_col_text(st, 1));
		text_copy(h->region_code, sizeof h->region_code, db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : not_found(e, "殡仪馆");
}

/* ---- records ------------------------------------------------------------------------------ */

#define BODY_COLS                                                                                  \
	"b.id, b.institution_id, coalesce(i.name, ''), b.region_code, b.unidentified, b.id_number, " \
	"coalesce(b.person_id, 0), b.name, b.description, b.died_on, b.source, b.free_transfer, "    \
	"b.cause, b.status, b.farewell_on, b.farewell_attendees, b.note, b.created_at, b.created_by "
#define BODY_FROM " FROM funeral_bodies b LEFT JOIN institutions i ON i.id = b.institution_id "

static void body_read(struct db_stmt *st, struct funeral_body *b)
{
	memset(b, 0, sizeof *b);
	b->id = db_col_int(st, 0);
	b->institution_id = db_col_int(st, 1);
	text_copy(b->home_name, sizeof b->home_name, db_col_text(st, 2));
	text_copy(b->region_code, sizeof b->region_code, db_col_text(st, 3));
	b->unidentified = (int)db_col_int(st, 4);
	text_copy(b->id_number, sizeof b->id_number, db_col_text(st, 5));
	b->person_id = db_col_int(st, 6);
	text_copy(b->name, sizeof b->name, db_col_text(st, 7));
	text_copy(b->description, sizeof b->description, db_col_text(st, 8));
	text_copy(b->died_on, sizeof b->died_on, db_col_text(st, 9));
	text_copy(b->source, sizeof b->source, db_col_text(st, 10));
	b->free_transfer = (int)db_col_int(st, 11);
	text_copy(b->cause, sizeof b->cause, db_col_text(st, 12));
	text_copy(b->status, sizeof b->status, db_col_text(st, 13));
	text_copy(b->farewell_on, sizeof b->farewell_on, db_col_text(st, 14));
	b->farewell_attendees = db_col_int(st, 15);
	text_copy(b->note, sizeof b->note, db_col_text(st, 16));
	text_copy(b->created_at, sizeof b->created_at, db_col_text(st, 17));
	text_copy(b->created_by, sizeof b->created_by, db_col_text(st, 18));
}

static void body_mask(struct funeral_body *b)
{
	char m[FUNERAL_NAME_SZ];
	text_mask_name(b->name, m, sizeof m);
	text_copy(b->name, sizeof b->name, m);
	if (b->id_number[0]) {
		char idm[19];
		idnum_mask(b->id_number, idm);
		text_copy(b->id_number, sizeof b->id_number, idm);
	}
}

/* The state the rules need, from the record and its steps (b->steps filled). */
static void body_state(const struct funeral_body *b, struct funeral_state *s)
{
	memset(s, 0, sizeof *s);
	s->epidemic = funeral_cause_epidemic(b->cause);
	text_copy(s->died_on, sizeof s->died_on, b->died_on);
	for (int i = 0; i < b->n_steps; i++) {
		s->done |= 1u << b->steps[i].step;
		if (strcmp(b->steps[i].at, s->last_at) > 0)
			text_copy(s->last_at, sizeof s->last_at, b->steps[i].at);
	}
}

static int steps_load(struct db *db, struct funeral_body *b, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT step, at, staff, dedicated, vehicle, cremator, ashes, receiver, note, recorded_by "
	    "FROM funeral_steps WHERE body_id = ? ORDER BY at, id",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, b->id);
	int rc;
	b->n_steps = 0;
	while ((rc = db_step(st, e)) == 1 && b->n_steps < FUNERAL_NSTEPS) {
		struct funeral_step_rec *r = &b->steps[b->n_steps];
		r->step = funeral_step_of(db_col_text(st, 0));
		if (r->step < 0)
			continue;
		text_copy(r->at, sizeof r->at, db_col_text(st, 1));
		text_copy(r->staff, sizeof r->staff, db_col_text(st, 2));
		r->dedicated = (int)db_col_int(st, 3);
		text_copy(r->vehicle, sizeof r->vehicle, db_col_text(st, 4));
		text_copy(r->cremator, sizeof r->cremator, db_col_text(st, 5));
		text_copy(r->ashes, sizeof r->ashes, db_col_text(st, 6));
		text_copy(r->receiver, sizeof r->receiver, db_col_text(st, 7));
		text_copy(r->note, sizeof r->note, db_col_text(st, 8));
		text_copy(r->recorded_by, sizeof r->recorded_by, db_col_text(st, 9));
		b->n_steps++;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static void next_step_fill(struct funeral_body *b)
{
	struct funeral_state s;
	body_state(b, &s);
	int k = funeral_next_step(&s);
	text_copy(b->next_step, sizeof b->next_step, k < FUNERAL_NSTEPS ? funeral_step_name(k) : "");
}

/* One record in the actor's scope with its steps (404 otherwise). Unmasked. */
static int body_load(struct db *db, const struct actor *a, int64_t id, struct funeral_body *b,
		     struct err *e)
{
	struct db_stmt *st = scope_prepare(db, &a->scope,
					    "SELECT " BODY_COLS BODY_FROM "WHERE b.id = ? AND ",
					    "b.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		body_read(st, b);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return not_found(e, "遗体记录");
	if (steps_load(db, b, e) < 0)
		return -1;
	next_step_fill(b);
	return 0;
}

int funeral_body_create(struct db *db, const struct actor *a, struct funeral_body_in *in,
			const char *today, int64_t *out_id, struct err *e)
{
	char day[11], now[32];
	struct home_row h;
	if (need_perm(a, e) < 0)
		return -1;
	if (today && *today)
		text_copy(day, sizeof day, today);
	else
		clock_today(day);
	if (funeral_body_check(in, day, e) < 0)
		return -1;
	clock_now_iso(now);
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	int rc = home_load(db, a, in->institution_id, &h, e);
	int64_t id = 0;
	if (rc == 0) {
		struct db_stmt *st = db_prepare(
		    db,
		    "INSERT INTO funeral_bodies(institution_id, region_code, unidentified, id_number, "
		    "person_id, name, description, died_on, source, free_transfer, cause, note, "
		    "created_at, created_by, updated_at) VALUES (?1, ?2, ?3, ?4, (SELECT id FROM "
		    "persons WHERE id_number = ?4 AND ?4 <> ''), ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		    "?13, ?12)",
		    e);
		if (!st)
			rc = -1;
		else {
			db_bind_int(st, 1, h.id);
			db_bind_text(st, 2, h.region_code);
			db_bind_int(st, 3, in->unidentified ? 1 : 0);
			db_bind_text(st, 4, in->unidentified ? "" : in->id_number);
			db_bind_text(st, 5, in->name);
			db_bind_text(st, 6, in->description);
			db_bind_text(st, 7, in->died_on);
			db_bind_text(st, 8, in->source);
			db_bind_int(st, 9, strcmp(in->source, "hospital") == 0);
			db_bind_text(st, 10, in->cause);
			db_bind_text(st, 11, in->note);
			db_bind_text(st, 12, now);
			db_bind_text(st, 13, a->username);
			rc = db_run(st, e);
			id = db_last_id(db);
		}
	}
	if (rc == 0) {
		char detail[160];
		snprintf(detail, sizeof detail,
			 "{\"institution_id\":%lld,\"cause\":\"%s\",\"died_on\":\"%s\"}",
			 (long long)h.id, in->cause, in->died_on);
		rc = audit_append_id(db, a, "funeral.body", "funeral_body", id, detail, e);
	}
	if (rc == 0 && !in->unidentified) {
		char ref[24];
		snprintf(ref, sizeof ref, "%lld", (long long)id);
		if (crosscheck_death_record(db, a, in->id_number, in->died_on, "funeral", ref, NULL,
					    NULL, e) < 0)
			rc = -1;
	}
	rc = db_write_finish(db, began, rc, e);
	if (rc == 0 && out_id)
		*out_id = id;
	return rc;
}

int funeral_step_record(struct db *db, const struct actor *a, int64_t body_id,
			struct funeral_step_in *in, const char *now, struct err *e)
{
	char nowm[17], stamp[32];
	if (need_perm(a, e) < 0)
		return -1;
	now_minute(now, nowm);
	clock_now_iso(stamp);
	struct funeral_body *b = calloc(1, sizeof *b);
	if (!b)
		return err_oom(e);
	int began = db_write_join(db, e);
	if (began < 0) {
		free(b);
		return -1;
	}
	int rc = body_load(db, a, body_id, b, e);
	struct funeral_state s;
	if (rc == 0) {
		body_state(b, &s);
		rc = funeral_step_check(&s, in, nowm, e);
	}
	if (rc == 0) {
		struct db_stmt *st = db_prepare(
		    db,
		    "INSERT INTO funeral_steps(body_id, institution_id, step, at, staff, dedicated, "
		    "vehicle, cremator, ashes, receiver, note, recorded_at, recorded_by) VALUES (?, ?, "
		    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    e);
		if (!st)
			rc = -1;
		else {
			db_bind_int(st, 1, b->id);
			db_bind_int(st, 2, b->institution_id);
			db_bind_text(st, 3, funeral_step_name(in->step));
			db_bind_text(st, 4, in->at);
			db_bind_text(st, 5, in->staff);
			db_bind_int(st, 6, in->dedicated ? 1 : 0);
			db_bind_text(st, 7, in->vehicle);
			db_bind_text(st, 8, in->cremator);
			db_bind_text(st, 9, in->ashes);
			db_bind_text(st, 10, in->receiver);
			db_bind_text(st, 11, in->note);
			db_bind_text(st, 12, stamp);
			db_bind_text(st, 13, a->username);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		/* the status is the furthest step along the order */
		struct db_stmt *st = db_prepare(
		    db,
		    "UPDATE funeral_bodies SET status = CASE WHEN ?2 > CASE status WHEN 'transfer' "
		    "THEN 0 WHEN 'cremation' THEN 1 WHEN 'disinfection' THEN 2 WHEN 'ashes' THEN 3 ELSE "
		    "-1 END THEN ?3 ELSE status END, updated_at = ?4 WHERE id = ?1",
		    e);
		if (!st)
			rc = -1;
		else {
			db_bind_int(st, 1, b->id);
			db_bind_int(st, 2, in->step);
			db_bind_text(st, 3, funeral_step_name(in->step));
			db_bind_text(st, 4, stamp);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		char detail[200];
		snprintf(detail, sizeof detail, "{\"step\":\"%s\",\"at\":\"%s\",\"dedicated\":%d}",
			 funeral_step_name(in->step), in->at, in->dedicated ? 1 : 0);
		rc = audit_append_id(db, a, "funeral.step", "funeral_body", b->id, detail, e);
	}
	free(b);
	return db_write_finish(db, began, rc, e);
}

int funeral_suspended_on(struct db *db, const char *day, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT count(*) FROM funeral_suspensions WHERE from_date <= ?1 "
					"AND (to_date = '' OR to_date >= ?1)",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, day);
	int rc = db_step(st, e);
	int64_t n = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? -1 : n > 0;
}

int funeral_farewell_record(struct db *db, const struct actor *a, int64_t body_id,
			    const char *day, int64_t attendees, struct err *e)
{
	char stamp[32];
	if (need_perm(a, e) < 0)
		return -1;
	clock_now_iso(stamp);
	struct funeral_body *b = calloc(1, sizeof *b);
	if (!b)
		return err_oom(e);
	int began = db_write_join(db, e);
	if (began < 0) {
		free(b);
		return -1;
	}
	int rc = body_load(db, a, body_id, b, e);
	if (rc == 0 && (attendees < 0 || attendees > 500))
		rc = err_set(e, 400, "invalid_value", "attendees", "参加人数应在 0–500 之间");
	if (rc == 0 && b->farewell_on[0])
		rc = err_set(e, 409, "step_done", "on", "该遗体的告别仪式已登记");
	int suspended = 0;
	if (rc == 0 && day && institutions_date_valid(day) && (suspended = funeral_suspended_on(db, day, e)) < 0)
		rc = -1;
	if (rc == 0) {
		struct funeral_state s;
		body_state(b, &s);
		rc = funeral_farewell_check(&s, day, suspended, e);
	}
	if (rc == 0) {
		struct db_stmt *st = db_prepare(db,
						"UPDATE funeral_bodies SET farewell_on = ?, "
						"farewell_attendees = ?, updated_at = ? WHERE id = ?",
						e);
		if (!st)
			rc = -1;
		else {
			db_bind_text(st, 1, day);
			db_bind_int(st, 2, attendees);
			db_bind_text(st, 3, stamp);
			db_bind_int(st, 4, b->id);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		char detail[120];
		snprintf(detail, sizeof detail, "{\"on\":\"%s\",\"attendees\":%lld}", day,
			 (long long)attendees);
		rc = audit_append_id(db, a, "funeral.farewell", "funeral_body", b->id, detail, e);
	}
	free(b);
	return db_write_finish(db, began, rc, e);
}

int funeral_body_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct funeral_body *out, struct err *e)
{
	if (!actor_can(a, PERM_FUNERAL))
		return not_found(e, "遗体记录");
	if (unmask) {
		if (db_begin_write(db, e) < 0)
			return -1;
		int rc = body_load(db, a, id, out, e);
		if (rc == 0 && !actor_can(a, PERM_REGISTRY_UNMASK))
			rc = err_set(e, 403, "forbidden", NULL, "您没有查看完整姓名和身份证号的权限");
		if (rc == 0)
			rc = audit_append_id(db, a, "funeral.unmask", "funeral_body", id, NULL, e);
		if (rc < 0) {
			db_rollback(db);
			return -1;
		}
		if (db_commit(db, e) < 0)
			return -1;
		out->unmasked = 1;
		return 0;
	}
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = body_load(db, a, id, out, e);
	end_read(db, began);
	if (rc == 0)
		body_mask(out);
	return rc;
}

/* The list's WHERE after the scope: ?1 home (0 = any), ?2 cause, ?3 status, ?4 from, ?5 to. */
#define LIST_FILTER                                                                                \
	" AND (?1 = 0 OR b.institution_id = ?1) AND (?2 = '' OR b.cause = ?2 OR (?2 = 'epidemic' "  \
	"AND b.cause IN ('confirmed','suspected'))) AND (?3 = '' OR b.status = ?3 OR (?3 = 'open' " \
	"AND b.status <> 'ashes')) AND (?4 = '' OR b.died_on >= ?4) AND (?5 = '' OR b.died_on <= ?5)"

static void list_bind(struct db_stmt *st, const struct funeral_filter *f)
{
	db_bind_int(st, 1, f->institution_id);
	db_bind_text(st, 2, f->cause);
	db_bind_text(st, 3, f->status);
	db_bind_text(st, 4, f->from);
	db_bind_text(st, 5, f->to);
}

int funeral_body_list(struct db *db, const struct actor *a, const struct funeral_filter *f,
		      int (*fn)(const struct funeral_body *b, void *ctx), void *ctx, int64_t *total,
		      struct err *e)
{
	if (need_perm(a, e) < 0)
		return -1;
	if (f->cause[0] && strcmp(f->cause, "epidemic") != 0 && strcmp(f->cause, "confirmed") != 0 &&
	    strcmp(f->cause, "suspected") != 0 && strcmp(f->cause, "other") != 0)
		return err_set(e, 400, "invalid_value", "cause",
			       "cause 应为 confirmed、suspected、other 或 epidemic");
	if (f->status[0] && strcmp(f->status, "open") != 0 && strcmp(f->status, "registered") != 0 &&
	    funeral_step_of(f->status) < 0)
		return err_set(e, 400, "invalid_value", "status", "status 无效");
	if ((f->from[0] && !institutions_date_valid(f->from)) ||
	    (f->to[0] && !institutions_date_valid(f->to)))
		return err_set(e, 400, "invalid_value", f->from[0] && !institutions_date_valid(f->from)
							     ? "from"
							     : "to",
			       "日期应为 YYYY-MM-DD");
	if (f->unmask) {
		if (!actor_can(a, PERM_REGISTRY_UNMASK))
			return err_set(e, 403, "forbidden", NULL, "您没有查看完整姓名和身份证号的权限");
		if (audit_record(db, a, "funeral.unmask", "funeral_bodies", "ok", NULL, e) < 0)
			return -1;
	}
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = 0;
	/* the filter's numbered parameters come before the scope's in the text, so that the
	 * scope's unnumbered ones are numbered after them (6, 7, …) */
	struct db_stmt *st = scope_prepare(db, &a->scope,
					    "SELECT count(*) FROM funeral_bodies b WHERE 1 = 1" LIST_FILTER
					    " AND ",
					    "b.region_code", "", e);
	if (!st)
		rc = -1;
	else {
		list_bind(st, f);
		scope_bind(st, &a->scope, 6);
		rc = db_step(st, e);
		if (rc == 1 && total)
			*total = db_col_int(st, 0);
		db_done(st);
		rc = rc < 0 ? -1 : 0;
	}
	if (rc == 0 &&
	    !(st = scope_prepare(db, &a->scope,
				  "SELECT " BODY_COLS BODY_FROM "WHERE 1 = 1" LIST_FILTER " AND ",
				  "b.region_code", " ORDER BY b.died_on DESC, b.id DESC LIMIT ?20 OFFSET ?21",
				  e)))
		rc = -1;
	if (rc == 0) {
		list_bind(st, f);
		scope_bind(st, &a->scope, 6);
		db_bind_int(st, 20, f->limit > 0 ? f->limit : 50);
		db_bind_int(st, 21, f->offset);
		struct funeral_body *b = calloc(1, sizeof *b);
		if (!b)
			rc = err_oom(e);
		int step = 0;
		while (b && (step = db_step(st, e)) == 1) {
			body_read(st, b);
			b->n_steps = 0;
			if (!f->unmask)
				body_mask(b);
			if (fn(b, ctx))
				break;
		}
		db_done(st);
		free(b);
		if (step < 0)
			rc = -1;
	}
	end_read(db, began);
	return rc;
}

int funeral_daily_get(struct db *db, const struct actor *a, int64_t institution_id,
		      const char *date, struct funeral_daily *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!date || !institutions_date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD");
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = 0;
	int64_t attached = 0;
	struct home_row h;
	if (actor_can(a, PERM_FUNERAL)) {
		rc = home_load(db, a, institution_id, &h, e);
	} else {
		int r = actor_can(a, PERM_INSTITUTION_REPORT) ? institutions_attached(db, a, &attached, e)
							       : 0;
		if (r < 0)
			rc = -1;
		else if (r == 0 || attached != institution_id)
			rc = not_found(e, "殡仪馆");
		else {
			struct db_stmt *st = db_prepare(
			    db, "SELECT count(*) FROM institutions WHERE id = ? AND type = 'funeral_home'",
			    e);
			if (!st)
				rc = -1;
			else {
				db_bind_int(st, 1, institution_id);
				int s = db_step(st, e);
				int64_t n = s == 1 ? db_col_int(st, 0) : 0;
				db_done(st);
				rc = s < 0 ? -1 : n ? 0 : not_found(e, "殡仪馆");
			}
		}
	}
	if (rc == 0) {
		char d0[20], d1[20];
		snprintf(d0, sizeof d0, "%sT00:00", date);
		snprintf(d1, sizeof d1, "%sT99:99", date);
		struct db_stmt *st = db_prepare(
		    db,
		    "SELECT (SELECT count(*) FROM funeral_bodies WHERE institution_id = ?1 AND "
		    "substr(created_at, 1, 10) = ?2), "
		    "(SELECT count(*) FROM funeral_steps WHERE institution_id = ?1 AND at BETWEEN ?3 AND "
		    "?4 AND step = 'transfer'), "
		    "(SELECT count(*) FROM funeral_steps WHERE institution_id = ?1 AND at BETWEEN ?3 AND "
		    "?4 AND step = 'cremation'), "
		    "(SELECT count(*) FROM funeral_steps s JOIN funeral_bodies b ON b.id = s.body_id "
		    "WHERE s.institution_id = ?1 AND s.at BETWEEN ?3 AND ?4 AND s.step = 'cremation' AND "
		    "b.cause IN ('confirmed','suspected')), "
		    "(SELECT count(*) FROM funeral_steps WHERE institution_id = ?1 AND at BETWEEN ?3 AND "
		    "?4 AND step = 'disinfection'), "
		    "(SELECT count(*) FROM funeral_steps WHERE institution_id = ?1 AND at BETWEEN ?3 AND "
		    "?4 AND step = 'ashes'), "
		    "(SELECT count(*) FROM funeral_bodies b WHERE b.institution_id = ?1 AND b.died_on <= "
		    "?2 AND NOT EXISTS (SELECT 1 FROM funeral_steps s WHERE s.body_id = b.id AND s.step = "
		    "'ashes' AND s.at <= ?4)), "
		    "(SELECT count(*) FROM funeral_bodies WHERE institution_id = ?1 AND farewell_on = ?2), "
		    "(SELECT count(*) FROM funeral_bodies WHERE institution_id = ?1 AND died_on = ?2)",
		    e);
		if (!st)
			rc = -1;
		else {
			db_bind_int(st, 1, institution_id);
			db_bind_text(st, 2, date);
			db_bind_text(st, 3, d0);
			db_bind_text(st, 4, d1);
			int s = db_step(st, e);
			if (s == 1) {
				out->registered = db_col_int(st, 0);
				out->transfers = db_col_int(st, 1);
				out->cremations = db_col_int(st, 2);
				out->epidemic_cremations = db_col_int(st, 3);
				out->disinfections = db_col_int(st, 4);
				out->ashes = db_col_int(st, 5);
				out->open = db_col_int(st, 6);
				out->gatherings = db_col_int(st, 7);
				out->deaths_registered = db_col_int(st, 8);
			}
			db_done(st);
			rc = s < 0 ? -1 : 0;
		}
	}
	end_read(db, began);
	out->institution_id = institution_id;
	text_copy(out->date, sizeof out->date, date);
	return rc;
}

int funeral_homes_list(struct db *db, const struct actor *a,
		       int (*fn)(const struct funeral_home *h, void *ctx), void *ctx, struct err *e)
{
	if (need_perm(a, e) < 0)
		return -1;
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT i.id, i.name, i.region_code, (SELECT count(*) FROM funeral_bodies b WHERE "
	    "b.institution_id = i.id), (SELECT count(*) FROM funeral_bodies b WHERE b.institution_id "
	    "= i.id AND b.cause IN ('confirmed','suspected')), (SELECT count(*) FROM funeral_bodies b "
	    "WHERE b.institution_id = i.id AND b.status <> 'ashes') FROM institutions i WHERE "
	    "i.type = 'funeral_home' AND ",
	    "i.region_code", " ORDER BY i.region_code, i.id", e);
	int rc = 0;
	if (!st)
		rc = -1;
	else {
		scope_bind(st, &a->scope, 1);
		struct funeral_home h;
		int s;
		while ((s = db_step(st, e)) == 1) {
			memset(&h, 0, sizeof h);
			h.id = db_col_int(st, 0);
			text_copy(h.name, sizeof h.name, db_col_text(st, 1));
			text_copy(h.region_code, sizeof h.region_code, db_col_text(st, 2));
			h.bodies = db_col_int(st, 3);
			h.epidemic = db_col_int(st, 4);
			h.open = db_col_int(st, 5);
			if (fn(&h, ctx))
				break;
		}
		db_done(st);
		rc = s < 0 ? -1 : 0;
	}
	end_read(db, began);
	return rc;
}

/* ---- suspensions -------------------------------------------------------------------------- */

int funeral_suspension_add(struct db *db, const struct actor *a, const char *from_date,
			   const char *to_date, const char *note, int64_t *out_id, struct err *e)
{
	char now[32];
	if (need_perm(a, e) < 0)
		return -1;
	if (!(a->scope.n == 0 || (a->scope.n == 1 && strlen(a->scope.prefix[0]) <= 4)))
		return err_set(e, 403, "forbidden", NULL, "暂停告别仪式由市局设定");
	if (!from_date || !*from_date)
		return err_set(e, 400, "required", "from_date", "请填写开始日期");
	if (!institutions_date_valid(from_date))
		return err_set(e, 400, "invalid_value", "from_date", "开始日期应为 YYYY-MM-DD");
	if (to_date && *to_date &&
	    (!institutions_date_valid(to_date) || strcmp(to_date, from_date) < 0))
		return err_set(e, 400, "invalid_value", "to_date",
			       "结束日期应为 YYYY-MM-DD，且不早于开始日期");
	if (text_check(note, 200, 0, 1, "note", "说明", e) < 0)
		return -1;
	clock_now_iso(now);
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	int rc = 0;
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO funeral_suspensions(from_date, to_date, note, "
					"created_at, created_by) VALUES (?, ?, ?, ?, ?)",
					e);
	if (!st)
		rc = -1;
	else {
		db_bind_text(st, 1, from_date);
		db_bind_text(st, 2, to_date ? to_date : "");
		db_bind_text(st, 3, note ? note : "");
		db_bind_text(st, 4, now);
		db_bind_text(st, 5, a->username);
		rc = db_run(st, e);
	}
	int64_t id = db_last_id(db);
	if (rc == 0) {
		char detail[80];
		snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\"}", from_date,
			 to_date ? to_date : "");
		rc = audit_append_id(db, a, "funeral.suspension", "funeral_suspension", id, detail, e);
	}
	rc = db_write_finish(db, began, rc, e);
	if (rc == 0 && out_id)
		*out_id = id;
	return rc;
}

int funeral_suspensions_list(struct db *db, int (*fn)(const struct funeral_suspension *s, void *ctx),
			     void *ctx, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT id, from_date, to_date, note, created_by, created_at "
					"FROM funeral_suspensions ORDER BY from_date DESC, id DESC",
					e);
	if (!st)
		return -1;
	struct funeral_suspension s;
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		memset(&s, 0, sizeof s);
		s.id = db_col_int(st, 0);
		text_copy(s.from_date, sizeof s.from_date, db_col_text(st, 1));
		text_copy(s.to_date, sizeof s.to_date, db_col_text(st, 2));
		text_copy(s.note, sizeof s.note, db_col_text(st, 3));
		text_copy(s.created_by, sizeof s.created_by, db_col_text(st, 4));
		text_copy(s.created_at, sizeof s.created_at, db_col_text(st, 5));
		if (fn(&s, ctx))
			break;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- statistics --------------------------------------------------------------------------- */

int funeral_stats_each(struct db *db, const char *from, const char *to,
		       void (*fn)(const char *region_code, int body, int epidemic, int gathering,
				  void *ctx),
		       void *ctx, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT region_code, died_on BETWEEN ?1 AND ?2, cause IN ('confirmed','suspected'), "
	    "farewell_on <> '' AND farewell_on BETWEEN ?1 AND ?2 FROM funeral_bodies "
	    "WHERE died_on BETWEEN ?1 AND ?2 UNION ALL "
	    "SELECT region_code, 0, 0, 1 FROM funeral_bodies WHERE farewell_on <> '' AND "
	    "farewell_on BETWEEN ?1 AND ?2 AND NOT (died_on BETWEEN ?1 AND ?2)",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		fn(db_col_text(st, 0), (int)db_col_int(st, 1), (int)db_col_int(st, 2),
		   (int)db_col_int(st, 3), ctx);
	db_done(st);
	return rc < 0 ? -1 : 0;
}
