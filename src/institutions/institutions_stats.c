/* institutions_stats.c — the figures read from the records (see institutions.h): the call list
 * of non-reporters, the dashboard (a day per county and type, open alerts, closed management,
 * the trend) and the period report behind `minzheng report institutions`.
 *
 * Received / on time / zero come from inst_report_stats, which each report's transaction keeps;
 * expected comes from the registry's opening and closing dates, counted here for each day (a
 * difference array over the period), so nothing is stored as a total and nothing is rebuilt in
 * batches. Everything is read through scope_sql(): an institution's region code, or for the
 * counters its township (area_code), under the caller's scope. */
#include "institutions/institutions_internal.h"

#include "audit/audit.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int type_index(const char *code)
{
	int n;
	const struct institutions_type *t = institutions_types(&n);
	for (int i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return i;
	return -1;
}

/* ================================================================ institutions in scope */

struct lite {
	int64_t id;
	int type;
	char unit[16];
	int64_t opened, closed; /* day numbers; closed -1 = open */
	char cm_from[11], cm_to[11];
	int64_t residents, staff;
};

struct lites {
	int n, alloc;
	struct lite *v;
};

/* Every institution in scope (unit "" = every unit), lightly. */
static int load_lites(struct db *db, const struct actor *a, const char *unit, struct lites *out,
		      struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	memset(out, 0, sizeof *out);
	if (strbuf_addstr(&sql, "SELECT id, type, unit_code, opened_on, closed_on, cm_from, cm_to, "
				"residents, staff FROM institutions i WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "i.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND (? = '' OR i.unit_code = ?) ORDER BY i.unit_code, i.id") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	int p = scope_bind(st, &a->scope, 1);
	db_bind_text(st, p++, unit);
	db_bind_text(st, p++, unit);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		if (out->n == out->alloc) {
			int na = out->alloc ? out->alloc * 2 : 64;
			struct lite *more = realloc(out->v, (size_t)na * sizeof *more);
			if (!more) {
				rc = err_oom(e);
				break;
			}
			out->v = more;
			out->alloc = na;
		}
		struct lite *l = &out->v[out->n];
		memset(l, 0, sizeof *l);
		l->id = db_col_int(st, 0);
		l->type = type_index(db_col_text(st, 1));
		text_copy(l->unit, sizeof l->unit, db_col_text(st, 2));
		const char *o = db_col_text(st, 3), *c = db_col_text(st, 4);
		if (l->type < 0 || !institutions_date_valid(o))
			continue; /* cannot happen: the CHECK and the writers validate */
		l->opened = institutions_day(o);
		l->closed = institutions_date_valid(c) ? institutions_day(c) : -1;
		text_copy(l->cm_from, sizeof l->cm_from, db_col_text(st, 5));
		text_copy(l->cm_to, sizeof l->cm_to, db_col_text(st, 6));
		l->residents = db_col_int(st, 7);
		l->staff = db_col_int(st, 8);
		out->n++;
	}
	db_done(st);
	if (rc < 0) {
		free(out->v);
		out->v = NULL;
		return -1;
	}
	return 0;
}

/* The unit row for code in units[0..*n), added when missing; NULL when full. */
static struct institutions_unit_day *unit_row(struct db *db, struct institutions_unit_day *units,
					      int *n, int max, const char *code)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(units[i].code, code) == 0)
			return &units[i];
	if (*n >= max)
		return NULL;
	struct institutions_unit_day *u = &units[(*n)++];
	memset(u, 0, sizeof *u);
	text_copy(u->code, sizeof u->code, code);
	return u; /* its name: unit_names, once the rows are complete */
}

/* The names of the unit rows: 0, or -1 with e when one could not be read (a database error is
 * not an unnamed unit). */
static int unit_names(struct db *db, struct institutions_unit_day *units, int n, struct err *e)
{
	for (int i = 0; i < n; i++)
		if (inst_unit_name(db, units[i].code, units[i].name, e) < 0)
			return -1;
	return 0;
}

static int cmp_units(const void *x, const void *y)
{
	return strcmp(((const struct institutions_unit_day *)x)->code,
		      ((const struct institutions_unit_day *)y)->code);
}

static void tally_add(struct institutions_tally *t, const struct institutions_tally *d)
{
	t->expected += d->expected;
	t->received += d->received;
	t->on_time += d->on_time;
	t->zero += d->zero;
}

/* ================================================================ the call list */

struct call_list {
	int n, alloc;
	struct institutions_call *v;
};

static int cmp_calls(const void *x, const void *y)
{
	const struct institutions_call *a = x, *b = y;
	int ao = strcmp(a->status, "overdue") == 0, bo = strcmp(b->status, "overdue") == 0;
	if (ao != bo)
		return bo - ao;
	if (a->escalated != b->escalated)
		return b->escalated - a->escalated;
	int c = strcmp(a->inst.unit_code, b->inst.unit_code);
	if (c)
		return c;
	c = strcmp(a->inst.region_code, b->inst.region_code);
	if (c)
		return c;
	return a->inst.id < b->inst.id ? -1 : a->inst.id > b->inst.id;
}

int institutions_calls(struct db *db, const struct actor *a, const char *date, const char *unit,
		       int unmask, const char *at,
		       int (*fn)(const struct institutions_call *c, void *ctx), void *ctx,
		       struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct call_list list = {0};
	struct inst_deadline_cache *dc = NULL;
	char now[32], day[11];
	int rc = -1, began = 0;
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看机构日报");
	if (unmask && !actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", NULL, "您没有查看完整联系电话的权限");
	if (at && at[0] && !institutions_at_valid(at))
		return err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM:SS+08:00");
	institutions_now(at, now);
	if (inst_date_or_today(date, at, "date", day, e) < 0)
		return -1;
	if (strncmp(day, now, 10) > 0)
		return err_set(e, 400, "invalid_value", "date", "不能查看今天以后的未报名单");
	if (!unit)
		unit = "";
	if (unmask) { /* the access is recorded before anything is read */
		char object[48];
		snprintf(object, sizeof object, "institution_calls:%s", day);
		if (db_in_transaction(db))
			db_rollback(db); /* the request's read: audit_record takes the write lock */
		if (audit_record(db, a, "institution.unmask", object, "ok", NULL, e) < 0)
			return -1;
	}
	dc = calloc(1, sizeof *dc);
	if (!dc)
		return err_oom(e);
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (inst_check_unit(db, a, unit, e) < 0)
		goto done;
	if (strbuf_addstr(&sql, "SELECT " INST_COLUMNS ", g.name, u.name, coalesce(c.n, 0), "
				"coalesce(c.esc, 0), coalesce(c.last_id, 0) FROM institutions i "
				"LEFT JOIN regions g ON g.code = i.region_code "
				"LEFT JOIN units u ON u.code = i.unit_code "
				"LEFT JOIN (SELECT institution_id, count(*) AS n, max(escalated) AS esc, "
				"  max(id) AS last_id FROM inst_chases WHERE report_date = ? "
				"  GROUP BY institution_id) c ON c.institution_id = i.id WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "i.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND (? = '' OR i.unit_code = ?) AND i.opened_on <= ? "
				"AND (i.closed_on = '' OR i.closed_on > ?) AND NOT EXISTS (SELECT 1 "
				"FROM inst_reports r WHERE r.institution_id = i.id "
				"AND r.report_date = ?)") < 0) {
		err_oom(e);
		goto done;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto done;
	int p = 1;
	db_bind_text(st, p++, day);
	p = scope_bind(st, &a->scope, p);
	db_bind_text(st, p++, unit);
	db_bind_text(st, p++, unit);
	db_bind_text(st, p++, day);
	db_bind_text(st, p++, day);
	db_bind_text(st, p++, day);
	int step;
	while ((step = db_step(st, e)) == 1) {
		if (list.n == list.alloc) {
			int na = list.alloc ? list.alloc * 2 : 32;
			struct institutions_call *more = realloc(list.v, (size_t)na * sizeof *more);
			if (!more) {
				step = err_oom(e);
				break;
			}
			list.v = more;
			list.alloc = na;
		}
		struct institutions_call *c = &list.v[list.n++];
		memset(c, 0, sizeof *c);
		inst_from_row(st, 0, &c->inst);
		text_copy(c->inst.region_name, sizeof c->inst.region_name,
			  db_col_text(st, INST_NCOLUMNS));
		text_copy(c->inst.unit_name, sizeof c->inst.unit_name,
			  db_col_text(st, INST_NCOLUMNS + 1));
		c->chases = (int)db_col_int(st, INST_NCOLUMNS + 2);
		c->escalated = (int)db_col_int(st, INST_NCOLUMNS + 3);
		c->last.id = db_col_int(st, INST_NCOLUMNS + 4);
	}
	db_done(st);
	if (step < 0)
		goto done;
	/* deadlines, last chases, masking */
	struct db_stmt *ls = NULL;
	for (int i = 0; i < list.n; i++) {
		struct institutions_call *c = &list.v[i];
		if (inst_deadline_cached(db, dc, c->inst.unit_code, c->inst.type, day, c->deadline_at,
					 e) < 0)
			goto done;
		c->status = institutions_day_status(1, 0, 0, now, c->deadline_at);
		c->inst.unmasked = unmask;
		inst_mask(&c->inst);
		if (!c->last.id)
			continue;
		if (!ls && !(ls = db_prepare(db, "SELECT report_date, method, outcome, note, escalated, "
						 "chased_at, chased_by FROM inst_chases WHERE id = ?",
					     e)))
			goto done;
		db_bind_int(ls, 1, c->last.id);
		int found = db_step(ls, e);
		if (found == 1) {
			c->last.institution_id = c->inst.id;
			text_copy(c->last.report_date, sizeof c->last.report_date,
				  db_col_text(ls, 0));
			text_copy(c->last.method, sizeof c->last.method, db_col_text(ls, 1));
			text_copy(c->last.outcome, sizeof c->last.outcome, db_col_text(ls, 2));
			text_copy(c->last.note, sizeof c->last.note, db_col_text(ls, 3));
			c->last.escalated = (int)db_col_int(ls, 4);
			text_copy(c->last.chased_at, sizeof c->last.chased_at, db_col_text(ls, 5));
			text_copy(c->last.chased_by, sizeof c->last.chased_by, db_col_text(ls, 6));
		}
		db_done(ls);
		if (found < 0)
			goto done;
	}
	if (list.n > 0) /* qsort's pointer must not be NULL, even for no rows */
		qsort(list.v, (size_t)list.n, sizeof *list.v, cmp_calls);
	for (int i = 0; i < list.n; i++)
		if (fn(&list.v[i], ctx))
			break;
	rc = 0;
done:
	inst_end_read(db, began);
out:
	strbuf_release(&sql);
	free(list.v);
	free(dc);
	return rc;
}

/* ================================================================ counters */

/* Σ of inst_report_stats over [from, to] in scope (unit "" = every), per (unit, type) via fn. */
static int read_stats(struct db *db, const struct actor *a, const char *from, const char *to,
		      const char *unit, int by_day,
		      void (*fn)(const char *key, int type, const struct institutions_tally *t,
				 void *ctx),
		      void *ctx, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addf(&sql, "SELECT %s, type, sum(received), sum(on_time), sum(zero) "
			      "FROM inst_report_stats s WHERE s.report_date >= ? AND s.report_date <= ? "
			      "AND ", by_day ? "report_date" : "unit_code") < 0 ||
	    scope_sql(&sql, &a->scope, "s.area_code") < 0 ||
	    strbuf_addf(&sql, " AND (? = '' OR s.unit_code = ?) GROUP BY %s, type",
			by_day ? "report_date" : "unit_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int p = scope_bind(st, &a->scope, 3);
	db_bind_text(st, p++, unit);
	db_bind_text(st, p++, unit);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		struct institutions_tally t = {0, db_col_int(st, 2), db_col_int(st, 3), db_col_int(st, 4)};
		fn(db_col_text(st, 0), type_index(db_col_text(st, 1)), &t, ctx);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ================================================================ the dashboard */

struct dash_ctx {
	struct db *db;
	struct institutions_dashboard *d;
	int64_t from_day;
	int overflow;
};

static void dash_day(const char *key, int type, const struct institutions_tally *t, void *ctx)
{
	struct dash_ctx *c = ctx;
	if (!institutions_date_valid(key))
		return;
	int64_t i = institutions_day(key) - c->from_day;
	if (i < 0 || i >= c->d->ndays)
		return;
	(void)type;
	struct institutions_tally x = *t;
	x.expected = 0;
	tally_add(&c->d->trend[i], &x);
}

static void dash_unit(const char *key, int type, const struct institutions_tally *t, void *ctx)
{
	struct dash_ctx *c = ctx;
	struct institutions_unit_day *u = unit_row(c->db, c->d->units, &c->d->nunits, 64, key);
	struct institutions_tally x = *t;
	x.expected = 0;
	if (!u) {
		c->overflow = 1;
		return;
	}
	tally_add(&u->t, &x);
	if (type >= 0)
		tally_add(&c->d->types[type], &x);
}

/* Missing reports of (unit, type) on the day, split by the deadline into due / overdue. */
struct missing {
	char unit[16];
	int type;
	int64_t expected, received;
};

int institutions_dashboard(struct db *db, const struct actor *a, const char *date, int days,
			   const char *at, struct institutions_dashboard *out, struct err *e)
{
	struct lites ls = {0};
	struct strbuf sql = STRBUF_INIT;
	struct inst_deadline_cache *dc = NULL;
	struct missing *ms = NULL;
	int nms = 0, rc = -1, began = 0;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看机构日报");
	if (at && at[0] && !institutions_at_valid(at))
		return err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM:SS+08:00");
	if (days < 1 || days > INSTITUTIONS_MAX_DAYS)
		return err_set(e, 400, "invalid_value", "days", "趋势天数应为 1 到 %d",
			       INSTITUTIONS_MAX_DAYS);
	institutions_now(at, out->now);
	if (inst_date_or_today(date, at, "date", out->date, e) < 0)
		return -1;
	out->ndays = days;
	institutions_date_add(out->date, -(days - 1), out->trend_from);
	int64_t dday = institutions_day(out->date), from_day = dday - days + 1;
	dc = calloc(1, sizeof *dc);
	if (!dc)
		return err_oom(e);
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (load_lites(db, a, "", &ls, e) < 0)
		goto done;
	ms = calloc((size_t)(ls.n ? ls.n : 1), sizeof *ms);
	if (!ms) {
		err_oom(e);
		goto done;
	}

	/* expected: the day per unit and type, and every day of the trend (a difference array) */
	int64_t *diff = calloc((size_t)days + 1, sizeof *diff);
	if (!diff) {
		err_oom(e);
		goto done;
	}
	for (int i = 0; i < ls.n; i++) {
		const struct lite *l = &ls.v[i];
		int64_t lo = l->opened > from_day ? l->opened : from_day;
		int64_t hi = l->closed >= 0 && l->closed <= dday ? l->closed : dday + 1; /* exclusive */
		if (lo < hi) {
			diff[lo - from_day]++;
			diff[hi - from_day]--;
		}
		if (!(l->opened <= dday && (l->closed < 0 || dday < l->closed)))
			continue;
		struct institutions_unit_day *u = unit_row(db, out->units, &out->nunits, 64, l->unit);
		if (!u) {
			free(diff);
			err_set(e, 500, "internal", NULL, "管理单位过多");
			goto done;
		}
		u->t.expected++;
		out->types[l->type].expected++;
		int k;
		for (k = 0; k < nms; k++)
			if (ms[k].type == l->type && strcmp(ms[k].unit, l->unit) == 0)
				break;
		if (k == nms) {
			text_copy(ms[k].unit, sizeof ms[k].unit, l->unit);
			ms[k].type = l->type;
			nms++;
		}
		ms[k].expected++;
	}
	int64_t running = 0;
	for (int i = 0; i < days; i++) {
		running += diff[i];
		out->trend[i].expected = running;
	}
	free(diff);

	/* received, on time, zero */
	struct dash_ctx c = {db, out, from_day, 0};
	if (read_stats(db, a, out->date, out->date, "", 0, dash_unit, &c, e) < 0 ||
	    read_stats(db, a, out->trend_from, out->date, "", 1, dash_day, &c, e) < 0)
		goto done;
	if (c.overflow) {
		err_set(e, 500, "internal", NULL, "管理单位过多");
		goto done;
	}
	/* missing per (unit, type): due or overdue by that deadline */
	struct db_stmt *st = NULL;
	{
		struct strbuf q = STRBUF_INIT;
		if (strbuf_addstr(&q, "SELECT unit_code, type, sum(received) FROM inst_report_stats s "
				      "WHERE report_date = ? AND ") < 0 ||
		    scope_sql(&q, &a->scope, "s.area_code") < 0 ||
		    strbuf_addstr(&q, " GROUP BY unit_code, type") < 0) {
			strbuf_release(&q);
			err_oom(e);
			goto done;
		}
		st = db_prepare(db, strbuf_str(&q), e);
		strbuf_release(&q);
	}
	if (!st)
		goto done;
	db_bind_text(st, 1, out->date);
	scope_bind(st, &a->scope, 2);
	int step;
	while ((step = db_step(st, e)) == 1) {
		int t = type_index(db_col_text(st, 1));
		for (int k = 0; k < nms; k++)
			if (ms[k].type == t && strcmp(ms[k].unit, db_col_text(st, 0)) == 0)
				ms[k].received += db_col_int(st, 2);
	}
	db_done(st);
	if (step < 0)
		goto done;
	for (int k = 0; k < nms; k++) {
		int64_t missing = ms[k].expected - ms[k].received;
		if (missing <= 0)
			continue;
		char dl[32];
		int n;
		const struct institutions_type *types = institutions_types(&n);
		if (inst_deadline_cached(db, dc, ms[k].unit, types[ms[k].type].code, out->date, dl,
					 e) < 0)
			goto done;
		struct institutions_unit_day *u = unit_row(db, out->units, &out->nunits, 64, ms[k].unit);
		int overdue = strcmp(out->now, dl) > 0;
		if (u) {
			if (overdue)
				u->overdue += missing;
			else
				u->due += missing;
		}
	}

	/* escalations of the day's missing reports */
	strbuf_reset(&sql);
	if (strbuf_addstr(&sql, "SELECT i.unit_code, count(DISTINCT c.institution_id) FROM inst_chases c "
				"JOIN institutions i ON i.id = c.institution_id WHERE c.report_date = ? "
				"AND c.escalated = 1 AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND NOT EXISTS (SELECT 1 FROM inst_reports r WHERE "
				"r.institution_id = c.institution_id AND r.report_date = c.report_date) "
				"GROUP BY i.unit_code") < 0) {
		err_oom(e);
		goto done;
	}
	if (!(st = db_prepare(db, strbuf_str(&sql), e)))
		goto done;
	db_bind_text(st, 1, out->date);
	scope_bind(st, &a->scope, 2);
	while ((step = db_step(st, e)) == 1) {
		struct institutions_unit_day *u =
		    unit_row(db, out->units, &out->nunits, 64, db_col_text(st, 0));
		if (u)
			u->escalated += db_col_int(st, 1);
	}
	db_done(st);
	if (step < 0)
		goto done;

	/* active alerts */
	strbuf_reset(&sql);
	if (strbuf_addstr(&sql, "SELECT status, count(*) FROM inst_alerts a WHERE status <> 'closed' "
				"AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "a.region_code") < 0 ||
	    strbuf_addstr(&sql, " GROUP BY status") < 0) {
		err_oom(e);
		goto done;
	}
	if (!(st = db_prepare(db, strbuf_str(&sql), e)))
		goto done;
	scope_bind(st, &a->scope, 1);
	while ((step = db_step(st, e)) == 1) {
		if (strcmp(db_col_text(st, 0), "open") == 0)
			out->alerts_open = db_col_int(st, 1);
		else
			out->alerts_acknowledged = db_col_int(st, 1);
	}
	db_done(st);
	if (step < 0)
		goto done;

	/* closed management: headcounts from each one's latest report up to the day */
	if (!(st = db_prepare(db, "SELECT residents_present, staff_on_site FROM inst_reports "
				  "WHERE institution_id = ? AND report_date <= ? "
				  "ORDER BY report_date DESC LIMIT 1", e)))
		goto done;
	for (int i = 0; i < ls.n; i++) {
		const struct lite *l = &ls.v[i];
		if (!(l->opened <= dday && (l->closed < 0 || dday < l->closed)) ||
		    !institutions_cm_on(l->cm_from, l->cm_to, out->date))
			continue;
		int64_t res = l->residents, staff = l->staff;
		db_bind_int(st, 1, l->id);
		db_bind_text(st, 2, out->date);
		step = db_step(st, e);
		if (step == 1) {
			if (!db_col_is_null(st, 0))
				res = db_col_int(st, 0);
			if (!db_col_is_null(st, 1))
				staff = db_col_int(st, 1);
		}
		db_done(st);
		if (step < 0)
			goto done;
		struct institutions_type_cm *t = &out->cm[l->type];
		t->institutions++;
		t->residents += res;
		t->staff += staff;
		out->cm_total.institutions++;
		out->cm_total.residents += res;
		out->cm_total.staff += staff;
	}

	/* the newest report in scope (the demo's data ends in 2020: the page offers to go there) */
	strbuf_reset(&sql);
	if (strbuf_addstr(&sql, "SELECT max(report_date) FROM inst_report_stats s WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "s.area_code") < 0) {
		err_oom(e);
		goto done;
	}
	if (!(st = db_prepare(db, strbuf_str(&sql), e)))
		goto done;
	scope_bind(st, &a->scope, 1);
	step = db_step(st, e);
	if (step == 1)
		text_copy(out->latest_report_date, sizeof out->latest_report_date,
			  db_col_text(st, 0));
	db_done(st);
	if (step < 0 || unit_names(db, out->units, out->nunits, e) < 0)
		goto done;

	qsort(out->units, (size_t)out->nunits, sizeof out->units[0], cmp_units);
	for (int i = 0; i < out->nunits; i++) {
		tally_add(&out->total.t, &out->units[i].t);
		out->total.due += out->units[i].due;
		out->total.overdue += out->units[i].overdue;
		out->total.escalated += out->units[i].escalated;
	}
	rc = 0;
done:
	inst_end_read(db, began);
out:
	strbuf_release(&sql);
	free(ls.v);
	free(dc);
	free(ms);
	return rc;
}

/* ================================================================ the period report */

struct period_ctx {
	struct db *db;
	struct institutions_period *p;
	int overflow;
};

static void period_unit(const char *key, int type, const struct institutions_tally *t, void *ctx)
{
	struct period_ctx *c = ctx;
	struct institutions_unit_day *u = unit_row(c->db, c->p->units, &c->p->nunits, 64, key);
	struct institutions_tally x = *t;
	(void)type;
	x.expected = 0;
	if (!u) {
		c->overflow = 1;
		return;
	}
	tally_add(&u->t, &x);
	tally_add(&c->p->reports, &x);
}

int institutions_period_report(struct db *db, const struct actor *a, const char *from,
			       const char *to, const char *unit, struct institutions_period *out,
			       struct err *e)
{
	struct lites ls = {0};
	struct strbuf sql = STRBUF_INIT;
	int rc = -1, began = 0;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看机构日报");
	if (!from || !from[0])
		return err_set(e, 400, "required", "from", "请填写起始日期（YYYY-MM-DD）");
	if (!to || !to[0])
		return err_set(e, 400, "required", "to", "请填写截止日期（YYYY-MM-DD）");
	if (!institutions_date_valid(from))
		return err_set(e, 400, "invalid_value", "from", "起始日期应为 YYYY-MM-DD：%.16s", from);
	if (!institutions_date_valid(to))
		return err_set(e, 400, "invalid_value", "to", "截止日期应为 YYYY-MM-DD：%.16s", to);
	if (strcmp(to, from) < 0)
		return err_set(e, 400, "invalid_value", "to", "截止日期不能早于起始日期");
	int64_t f = institutions_day(from), t = institutions_day(to);
	if (t - f >= INSTITUTIONS_MAX_DAYS)
		return err_set(e, 400, "invalid_value", "to", "一次最多统计 %d 天", INSTITUTIONS_MAX_DAYS);
	if (!unit)
		unit = "";
	text_copy(out->from, sizeof out->from, from);
	text_copy(out->to, sizeof out->to, to);
	text_copy(out->unit, sizeof out->unit, unit);
	if ((began = inst_begin_read(db, e)) < 0)
		return -1;
	if (inst_check_unit(db, a, unit, e) < 0 || load_lites(db, a, unit, &ls, e) < 0)
		goto done;

	/* expected: institution-days open in the period; registered: open at some time in it */
	for (int i = 0; i < ls.n; i++) {
		const struct lite *l = &ls.v[i];
		int64_t days = institutions_open_days(l->opened, l->closed, f, t);
		if (!days)
			continue;
		struct institutions_unit_day *u = unit_row(db, out->units, &out->nunits, 64, l->unit);
		if (!u) {
			err_set(e, 500, "internal", NULL, "管理单位过多");
			goto done;
		}
		u->t.expected += days;
		out->reports.expected += days;
		out->types[l->type].registered++;
	}
	struct period_ctx c = {db, out, 0};
	if (read_stats(db, a, from, to, unit, 0, period_unit, &c, e) < 0)
		goto done;
	if (c.overflow) {
		err_set(e, 500, "internal", NULL, "管理单位过多");
		goto done;
	}

	/* per type: who reported, their last headcounts, the confirmed cases */
	if (strbuf_addstr(&sql, "SELECT r.institution_id, i.type, r.residents_present, "
				"r.staff_on_site, r.confirmed FROM inst_reports r "
				"JOIN institutions i ON i.id = r.institution_id "
				"WHERE r.report_date >= ? AND r.report_date <= ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "r.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND (? = '' OR i.unit_code = ?) "
				"ORDER BY r.institution_id, r.report_date") < 0) {
		err_oom(e);
		goto done;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto done;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int p = scope_bind(st, &a->scope, 3);
	db_bind_text(st, p++, unit);
	db_bind_text(st, p++, unit);
	int step, cur_type = -1;
	int64_t cur = 0, last_res = 0, last_staff = 0;
	while ((step = db_step(st, e)) == 1) {
		int64_t id = db_col_int(st, 0);
		if (id != cur) {
			if (cur && cur_type >= 0) {
				out->types[cur_type].residents += last_res;
				out->types[cur_type].staff += last_staff;
			}
			cur = id;
			cur_type = type_index(db_col_text(st, 1));
			if (cur_type >= 0)
				out->types[cur_type].count++;
		}
		last_res = db_col_int(st, 2); /* NULL (no residents) reads as 0 */
		last_staff = db_col_int(st, 3);
		if (cur_type >= 0)
			out->types[cur_type].infections += db_col_int(st, 4);
	}
	db_done(st);
	if (step < 0)
		goto done;
	if (cur && cur_type >= 0) {
		out->types[cur_type].residents += last_res;
		out->types[cur_type].staff += last_staff;
	}

	/* alerts raised for days in the period */
	strbuf_reset(&sql);
	if (strbuf_addstr(&sql, "SELECT kind, status, count(*) FROM inst_alerts a "
				"WHERE a.report_date >= ? AND a.report_date <= ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "a.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND (? = '' OR a.unit_code = ?) GROUP BY kind, status") < 0) {
		err_oom(e);
		goto done;
	}
	if (!(st = db_prepare(db, strbuf_str(&sql), e)))
		goto done;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	p = scope_bind(st, &a->scope, 3);
	db_bind_text(st, p++, unit);
	db_bind_text(st, p++, unit);
	while ((step = db_step(st, e)) == 1) {
		int64_t n = db_col_int(st, 2);
		if (strcmp(db_col_text(st, 0), "health") == 0)
			out->alerts_health += n;
		else
			out->alerts_movement += n;
		if (strcmp(db_col_text(st, 1), "closed") == 0)
			out->alerts_closed += n;
	}
	db_done(st);
	if (step < 0 || unit_names(db, out->units, out->nunits, e) < 0)
		goto done;
	qsort(out->units, (size_t)out->nunits, sizeof out->units[0], cmp_units);
	rc = 0;
done:
	inst_end_read(db, began);
	strbuf_release(&sql);
	free(ls.v);
	return rc;
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

json_t *institutions_period_json(const struct institutions_period *p)
{
	json_t *types = json_object(), *counties = json_object();
	int n;
	const struct institutions_type *t = institutions_types(&n);
	for (int i = 0; types && i < n; i++) {
		const struct institutions_period_type *x = &p->types[i];
		json_object_set_new(types, t[i].code,
				    json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "label", t[i].label,
					      "count", (json_int_t)x->count, "residents",
					      (json_int_t)x->residents, "staff", (json_int_t)x->staff,
					      "infections", (json_int_t)x->infections, "registered",
					      (json_int_t)x->registered));
	}
	for (int i = 0; counties && i < p->nunits; i++) {
		json_t *u = tally_json(&p->units[i].t);
		if (u)
			json_object_set_new(u, "name", json_string(p->units[i].name));
		json_object_set_new(counties, p->units[i].code, u);
	}
	return json_pack("{s:s, s:s, s:s?, s:o, s:o, s:o, s:{s:I, s:I, s:I}}", "from", p->from, "to",
			 p->to, "unit", p->unit[0] ? p->unit : NULL, "institutions", types, "reports",
			 tally_json(&p->reports), "counties", counties, "alerts", "health",
			 (json_int_t)p->alerts_health, "movement", (json_int_t)p->alerts_movement,
			 "closed", (json_int_t)p->alerts_closed);
}
