/* institutions_reports.c — daily and zero reports, their corrections (every version kept), the
 * incremental completeness / timeliness counters, the alerts a report raises and their handling,
 * and the log of chasing missing reports (see institutions.h).
 *
 * Filing a report is one write transaction: the report row (or its new version), the version
 * row, one upsert of inst_report_stats for (day, area, type) by institutions_tally_delta, the
 * alerts, the audit row. Nothing else keeps the figures: the dashboard reads the counters. */
#include "institutions/institutions_internal.h"

#include "audit/audit.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(f) (1u << (f))

/* ================================================================ reading reports */

/* The report of (id, date): 1 found, 0 none. */
static int load_report(struct db *db, int64_t id, const char *date, struct institutions_report *r,
		       struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT " REPORT_COLUMNS " FROM inst_reports r "
					    "WHERE r.institution_id = ? AND r.report_date = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, date);
	int rc = db_step(st, e);
	if (rc == 1)
		report_from_row(st, 0, r);
	db_done(st);
	return rc;
}

/* What a zero report on `date` carries: the latest report before it, else the registry. */
static int load_carry(struct db *db, const struct institution *m, const char *date,
		      int64_t carry[INSTITUTIONS_NFIELDS], uint32_t *present, char from[11],
		      struct err *e)
{
	const struct institutions_type *t = institutions_type_find(m->type);
	memset(carry, 0, sizeof(int64_t) * INSTITUTIONS_NFIELDS);
	*present = 0;
	from[0] = '\0';
	struct db_stmt *st = db_prepare(db, "SELECT report_date, residents_present, staff_on_site, "
					    "goods_days FROM inst_reports WHERE institution_id = ? "
					    "AND report_date < ? ORDER BY report_date DESC LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->id);
	db_bind_text(st, 2, date);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(from, 11, db_col_text(st, 0));
		static const int cols[] = {INST_RESIDENTS, INST_STAFF, INST_GOODS_DAYS};
		for (int i = 0; i < 3; i++)
			if (!db_col_is_null(st, 1 + i)) {
				carry[cols[i]] = db_col_int(st, 1 + i);
				*present |= BIT(cols[i]);
			}
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0) { /* the first report: the registry's headcounts */
		carry[INST_RESIDENTS] = t && t->has_residents ? m->residents : 0;
		carry[INST_STAFF] = m->staff;
		*present = BIT(INST_RESIDENTS) | BIT(INST_STAFF);
	}
	if (t && !t->has_residents) {
		carry[INST_RESIDENTS] = 0;
		*present |= BIT(INST_RESIDENTS);
	}
	return 0;
}

/* ================================================================ filing */

static void bind_values(struct db_stmt *st, int first, const int64_t v[INSTITUTIONS_NFIELDS],
			uint32_t present)
{
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		if (present & BIT(f))
			db_bind_int(st, first + f, v[f]);
		else
			db_bind_null(st, first + f);
	}
}

static int add_version(struct db *db, int64_t report_id, int version, const char *kind,
		       const int64_t v[INSTITUTIONS_NFIELDS], uint32_t present, const char *note,
		       const char *at, const char *by, const char *reason, const char *changes,
		       struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO inst_report_versions(report_id, version, kind, residents_present, "
	    "staff_on_site, admissions, departures, temperature_checks, fever, suspected, confirmed, "
	    "isolated, deaths, goods_days, note, changed_at, changed_by, reason, changes) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, report_id);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, kind);
	bind_values(st, 4, v, present);
	db_bind_text(st, 15, note);
	db_bind_text(st, 16, at);
	db_bind_text(st, 17, by);
	db_bind_text(st, 18, reason);
	db_bind_text(st, 19, changes);
	return db_run(st, e);
}

static int add_stats(struct db *db, const struct institution *m, const char *date,
		     const struct institutions_tally *d, struct err *e)
{
	if (!d->received && !d->on_time && !d->zero)
		return 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO inst_report_stats(report_date, area_code, type, unit_code, received, "
	    "on_time, zero) VALUES (?,?,?,?,?,?,?) ON CONFLICT (report_date, area_code, type) "
	    "DO UPDATE SET received = received + excluded.received, "
	    "on_time = on_time + excluded.on_time, zero = zero + excluded.zero",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, date);
	db_bind_text(st, 2, m->area_code);
	db_bind_text(st, 3, m->type);
	db_bind_text(st, 4, m->unit_code);
	db_bind_int(st, 5, d->received);
	db_bind_int(st, 6, d->on_time);
	db_bind_int(st, 7, d->zero);
	return db_run(st, e);
}

/* Raise (or, while still open, update) the alert of (institution, date, kind). *new_id > 0 when
 * a new alert was raised. */
static int raise_alert(struct db *db, const struct actor *a, const struct institution *m,
		       const char *date,
		       const char *kind, const char *summary, const char *now, int64_t *new_id,
		       struct err *e)
{
	*new_id = 0;
	struct db_stmt *st = db_prepare(db, "SELECT id, status FROM inst_alerts WHERE "
					    "institution_id = ? AND report_date = ? AND kind = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->id);
	db_bind_text(st, 2, date);
	db_bind_text(st, 3, kind);
	int rc = db_step(st, e);
	int64_t id = rc == 1 ? db_col_int(st, 0) : 0;
	int open = rc == 1 && strcmp(db_col_text(st, 1), "open") == 0;
	db_done(st);
	if (rc < 0)
		return -1;
	if (id) {
		if (!open) /* acknowledged or closed: handled already, left as it is */
			return 0;
		st = db_prepare(db, "UPDATE inst_alerts SET summary = ? WHERE id = ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, summary);
		db_bind_int(st, 2, id);
		return db_run(st, e);
	}
	st = db_prepare(db, "INSERT INTO inst_alerts(institution_id, region_code, unit_code, "
			    "report_date, kind, summary, raised_at) VALUES (?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, m->id);
	db_bind_text(st, 2, m->region_code);
	db_bind_text(st, 3, m->unit_code);
	db_bind_text(st, 4, date);
	db_bind_text(st, 5, kind);
	db_bind_text(st, 6, summary);
	db_bind_text(st, 7, now);
	if (db_run(st, e) < 0)
		return -1;
	*new_id = db_last_id(db);
	char detail[96];
	snprintf(detail, sizeof detail, "{\"institution\":%" PRId64 ",\"date\":\"%s\",\"kind\":\"%s\"}",
		 m->id, date, kind);
	return audit_append_id(db, a, "institution.alert", "institution_alert", *new_id, detail, e);
}

struct filing {
	struct institution m;
	struct institutions_report old, cur;
	char now[32], carry_from[11];
	int64_t carry[INSTITUTIONS_NFIELDS];
	uint32_t carry_present;
	char changes[INSTITUTIONS_TRACE_SZ];
	char health[256], movement[256];
};

static int file_txn(struct db *db, const struct actor *a, int64_t id,
		    struct institutions_report_in *in, struct filing *w,
		    struct institutions_file_result *out, struct err *e)
{
	int attached = 0;
	if (inst_access(db, a, id, INST_NEED_FILE, &w->m, &attached, e) < 0)
		return -1;
	const struct institutions_type *t = institutions_type_find(w->m.type);
	if (!t)
		return err_set(e, 500, "internal", NULL, "机构类型有误：%s", w->m.type);
	if (in->at && in->at[0] && !institutions_at_valid(in->at))
		return err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM:SS+08:00：%.32s",
			       in->at);
	if (institutions_report_check(t, in, e) < 0)
		return -1;
	institutions_now(in->at, w->now);
	const char *date = in->report_date;
	if (strncmp(date, w->now, 10) > 0)
		return err_set(e, 400, "invalid_value", "report_date",
			       "不能填报今天（%.10s）以后的日报：%s", w->now, date);
	if (!institutions_open_on(w->m.opened_on, w->m.closed_on, date))
		return err_set(e, 409, "institution_not_open", "report_date",
			       "%s 在 %s 不在开办期内（开办 %s%s%s），无需填报", w->m.name, date,
			       w->m.opened_on, w->m.closed_on[0] ? "，停办 " : "", w->m.closed_on);
	int exists = load_report(db, id, date, &w->old, e);
	if (exists < 0)
		return -1;
	if (exists && !in->reason[0])
		return err_set(e, 409, "report_exists", "report_date",
			       "%s %s 的日报已于 %.16s 报送；如需更正，请填写更正原因", w->m.name, date,
			       w->old.submitted_at);
	if (load_carry(db, &w->m, date, w->carry, &w->carry_present, w->carry_from, e) < 0)
		return -1;

	/* the values as they will stand */
	struct institutions_report *r = &w->cur;
	memset(r, 0, sizeof *r);
	text_copy(r->kind, sizeof r->kind, in->kind);
	if (strcmp(in->kind, "zero") == 0) {
		static const int confirm[] = {INST_RESIDENTS, INST_STAFF};
		for (int i = 0; i < 2; i++) {
			int f = confirm[i];
			if ((in->present & BIT(f)) && (w->carry_present & BIT(f)) &&
			    in->v[f] != w->carry[f])
				return err_set(e, 409, "carry_changed", institutions_field_names[f],
					       "%s已变为 %" PRId64 "（%s），与您确认的 %" PRId64
					       " 不同，请刷新后重新确认",
					       institutions_field_labels[f], w->carry[f],
					       w->carry_from[0] ? w->carry_from : "机构登记", in->v[f]);
		}
		institutions_zero_values(t, w->carry, w->carry_present, r->v, &r->present);
	} else {
		memcpy(r->v, in->v, sizeof r->v);
		r->present = in->present;
	}
	text_copy(r->note, sizeof r->note, in->note);

	/* timeliness: the first filing's, against the deadline in force for the day's month */
	if (exists) {
		text_copy(r->submitted_at, sizeof r->submitted_at, w->old.submitted_at);
		text_copy(r->submitted_by, sizeof r->submitted_by, w->old.submitted_by);
		text_copy(r->deadline_at, sizeof r->deadline_at, w->old.deadline_at);
		r->on_time = w->old.on_time;
		r->on_behalf = w->old.on_behalf;
		r->version = w->old.version + 1;
	} else {
		if (inst_deadline(db, w->m.unit_code, w->m.type, date, r->deadline_at, NULL, e) < 0)
			return -1;
		text_copy(r->submitted_at, sizeof r->submitted_at, w->now);
		text_copy(r->submitted_by, sizeof r->submitted_by, a->username);
		r->on_time = institutions_on_time(w->now, r->deadline_at);
		r->on_behalf = !attached;
		r->version = 1;
	}

	/* the report row */
	struct db_stmt *st;
	if (exists) {
		institutions_report_diff(w->old.kind, w->old.v, w->old.present, w->old.note, r->kind,
					 r->v, r->present, r->note, w->changes, sizeof w->changes);
		st = db_prepare(db, "UPDATE inst_reports SET kind = ?, residents_present = ?, "
				    "staff_on_site = ?, admissions = ?, departures = ?, "
				    "temperature_checks = ?, fever = ?, suspected = ?, confirmed = ?, "
				    "isolated = ?, deaths = ?, goods_days = ?, note = ?, version = ?, "
				    "updated_at = ?, updated_by = ? WHERE id = ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, r->kind);
		bind_values(st, 2, r->v, r->present);
		db_bind_text(st, 13, r->note);
		db_bind_int(st, 14, r->version);
		db_bind_text(st, 15, w->now);
		db_bind_text(st, 16, a->username);
		db_bind_int(st, 17, w->old.id);
		if (db_run(st, e) < 0)
			return -1;
		r->id = w->old.id;
	} else {
		snprintf(w->changes, sizeof w->changes, "{}");
		st = db_prepare(db, "INSERT INTO inst_reports(institution_id, report_date, region_code, "
				    "kind, residents_present, staff_on_site, admissions, departures, "
				    "temperature_checks, fever, suspected, confirmed, isolated, deaths, "
				    "goods_days, note, submitted_at, submitted_by, deadline_at, on_time, "
				    "on_behalf, version, updated_at, updated_by) "
				    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, date);
		db_bind_text(st, 3, w->m.region_code);
		db_bind_text(st, 4, r->kind);
		bind_values(st, 5, r->v, r->present);
		db_bind_text(st, 16, r->note);
		db_bind_text(st, 17, w->now);
		db_bind_text(st, 18, a->username);
		db_bind_text(st, 19, r->deadline_at);
		db_bind_int(st, 20, r->on_time);
		db_bind_int(st, 21, r->on_behalf);
		db_bind_text(st, 22, w->now);
		db_bind_text(st, 23, a->username);
		if (db_run(st, e) < 0)
			return -1;
		r->id = db_last_id(db);
	}
	r->institution_id = id;
	text_copy(r->report_date, sizeof r->report_date, date);
	text_copy(r->updated_at, sizeof r->updated_at, w->now);
	text_copy(r->updated_by, sizeof r->updated_by, a->username);
	if (add_version(db, r->id, r->version, r->kind, r->v, r->present, r->note, w->now,
			a->username, exists ? in->reason : "", w->changes, e) < 0)
		return -1;

	/* the day's counters */
	struct institutions_tally d;
	institutions_tally_delta(exists, w->old.on_time, exists && strcmp(w->old.kind, "zero") == 0,
				 r->on_time, strcmp(r->kind, "zero") == 0, &d);
	if (add_stats(db, &w->m, date, &d, e) < 0)
		return -1;

	/* alerts */
	memset(out, 0, sizeof *out);
	int under_cm = institutions_cm_on(w->m.cm_from, w->m.cm_to, date);
	unsigned bits = institutions_alert_check(r->v, w->carry, under_cm, w->health,
						 sizeof w->health, w->movement, sizeof w->movement);
	static const struct {
		unsigned bit;
		const char *kind;
	} kinds[] = {{INST_ALERT_HEALTH, "health"}, {INST_ALERT_MOVEMENT, "movement"}};
	for (int i = 0; i < 2; i++) {
		if (!(bits & kinds[i].bit))
			continue;
		int64_t aid;
		if (raise_alert(db, a, &w->m, date, kinds[i].kind,
				kinds[i].bit == INST_ALERT_HEALTH ? w->health : w->movement, w->now,
				&aid, e) < 0)
			return -1;
		if (aid) {
			out->alert_id[out->n_alerts] = aid;
			text_copy(out->alert_kind[out->n_alerts], sizeof out->alert_kind[0],
				  kinds[i].kind);
			out->n_alerts++;
		}
	}

	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"institution\":%" PRId64 ",\"date\":\"%s\",\"kind\":\"%s\",\"version\":%d,"
		 "\"on_time\":%s,\"on_behalf\":%s}",
		 id, date, r->kind, r->version, r->on_time ? "true" : "false",
		 r->on_behalf ? "true" : "false");
	if (audit_append_id(db, a, exists ? "institution.correct" : "institution.report",
		       "institution_report", r->id, detail, e) < 0)
		return -1;
	out->report = *r;
	out->created = !exists;
	return 0;
}

int institutions_report_file(struct db *db, const struct actor *a, int64_t id,
			     struct institutions_report_in *in, struct institutions_file_result *out,
			     struct err *e)
{
	struct filing *w = calloc(1, sizeof *w);
	if (!w)
		return err_oom(e);
	int rc = -1;
	if (db_begin_write(db, e) == 0)
		rc = inst_finish(db, file_txn(db, a, id, in, w, out, e), e);
	free(w);
	return rc;
}

/* ================================================================ reading reports */

int institutions_reports_list(struct db *db, const struct actor *a, int64_t id, const char *from,
			      const char *to,
			      int (*fn)(const struct institutions_report *r, void *ctx), void *ctx,
			      struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	struct institutions_report *r = calloc(1, sizeof *r);
	char f[11], t[11];
	int rc = -1, began = 0;
	if (!m || !r) {
		err_oom(e);
		goto out;
	}
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (inst_access(db, a, id, INST_NEED_VIEW, m, NULL, e) < 0 ||
	    inst_date_or_today(to, NULL, "to", t, e) < 0)
		goto done;
	if (from && from[0]) {
		if (inst_date_or_today(from, NULL, "from", f, e) < 0)
			goto done;
	} else {
		institutions_date_add(t, -30, f);
	}
	if (strcmp(f, t) > 0) {
		err_set(e, 400, "invalid_value", "to", "截止日期不能早于起始日期");
		goto done;
	}
	if (institutions_day(t) - institutions_day(f) >= INSTITUTIONS_MAX_DAYS) {
		err_set(e, 400, "invalid_value", "from", "一次最多查询 %d 天", INSTITUTIONS_MAX_DAYS);
		goto done;
	}
	struct db_stmt *st = db_prepare(db, "SELECT " REPORT_COLUMNS " FROM inst_reports r "
					    "WHERE r.institution_id = ? AND r.report_date >= ? "
					    "AND r.report_date <= ? ORDER BY r.report_date DESC", e);
	if (!st)
		goto done;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, f);
	db_bind_text(st, 3, t);
	int step;
	while ((step = db_step(st, e)) == 1) {
		report_from_row(st, 0, r);
		if (fn(r, ctx))
			break;
	}
	db_done(st);
	rc = step < 0 ? -1 : 0;
done:
	inst_end_read(db, began);
out:
	free(m);
	free(r);
	return rc;
}

int institutions_report_get(struct db *db, const struct actor *a, int64_t id, const char *date,
			    struct institutions_report *out, struct institutions_version **versions,
			    int *n_versions, struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	struct institutions_version *vs = NULL;
	int n = 0, rc = -1, began = 0;
	*versions = NULL;
	*n_versions = 0;
	if (!m)
		return err_oom(e);
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (inst_access(db, a, id, INST_NEED_VIEW, m, NULL, e) < 0)
		goto done;
	if (!institutions_date_valid(date)) {
		err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
		goto done;
	}
	int found = load_report(db, id, date, out, e);
	if (found <= 0) {
		rc = found < 0 ? -1 : 1;
		goto done;
	}
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT version, kind, residents_present, staff_on_site, admissions, departures, "
	    "temperature_checks, fever, suspected, confirmed, isolated, deaths, goods_days, note, "
	    "changed_at, changed_by, reason, changes FROM inst_report_versions WHERE report_id = ? "
	    "ORDER BY version",
	    e);
	if (!st)
		goto done;
	db_bind_int(st, 1, out->id);
	int step, alloc = 0;
	while ((step = db_step(st, e)) == 1) {
		if (n == alloc) {
			int na = alloc ? alloc * 2 : 4;
			struct institutions_version *more = realloc(vs, (size_t)na * sizeof *vs);
			if (!more) {
				step = err_oom(e);
				break;
			}
			vs = more;
			alloc = na;
		}
		struct institutions_version *v = &vs[n++];
		memset(v, 0, sizeof *v);
		v->version = (int)db_col_int(st, 0);
		text_copy(v->kind, sizeof v->kind, db_col_text(st, 1));
		for (int f = 0; f < INSTITUTIONS_NFIELDS; f++)
			if (!db_col_is_null(st, 2 + f)) {
				v->v[f] = db_col_int(st, 2 + f);
				v->present |= BIT(f);
			}
		text_copy(v->note, sizeof v->note, db_col_text(st, 13));
		text_copy(v->at, sizeof v->at, db_col_text(st, 14));
		text_copy(v->by, sizeof v->by, db_col_text(st, 15));
		text_copy(v->reason, sizeof v->reason, db_col_text(st, 16));
		text_copy(v->changes, sizeof v->changes, db_col_text(st, 17));
	}
	db_done(st);
	if (step < 0) {
		free(vs);
		goto done;
	}
	*versions = vs;
	*n_versions = n;
	rc = 0;
done:
	inst_end_read(db, began);
out:
	free(m);
	return rc;
}

int institutions_today(struct db *db, const struct actor *a, int64_t id, const char *date,
		       const char *at, struct institutions_today *out, struct err *e)
{
	int began, rc = -1;
	memset(out, 0, sizeof *out);
	if (at && at[0] && !institutions_at_valid(at))
		return err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM:SS+08:00");
	if ((began = inst_begin_read(db, e)) < 0)
		return -1;
	if (id <= 0) {
		int got = institutions_attached(db, a, &id, e);
		if (got < 0)
			goto done;
		if (got == 0) {
			err_set(e, 404, "not_attached", NULL,
				"您的账号尚未关联机构，请联系县区民政局在机构信息中添加您为填报员");
			goto done;
		}
	}
	if (inst_access(db, a, id, INST_NEED_FILE, &out->inst, NULL, e) < 0)
		goto done;
	institutions_now(at, out->now);
	if (inst_date_or_today(date, at, "date", out->date, e) < 0)
		goto done;
	out->open = institutions_open_on(out->inst.opened_on, out->inst.closed_on, out->date);
	out->under_cm = institutions_cm_on(out->inst.cm_from, out->inst.cm_to, out->date);
	if (inst_deadline(db, out->inst.unit_code, out->inst.type, out->date, out->deadline_at, NULL,
			  e) < 0)
		goto done;
	int has = load_report(db, id, out->date, &out->report, e);
	if (has < 0)
		goto done;
	out->has_report = has;
	out->day_status = institutions_day_status(out->open, has, has && out->report.on_time,
						  out->now, out->deadline_at);
	if (load_carry(db, &out->inst, out->date, out->carry, &out->carry_present, out->carry_from,
		       e) < 0)
		goto done;
	inst_mask(&out->inst);
	rc = 0;
done:
	inst_end_read(db, began);
	return rc;
}

/* ================================================================ alerts */

#define ALERT_COLUMNS                                                                        \
	"a.id, a.institution_id, i.name, i.type, a.region_code, a.unit_code, a.report_date, "    \
	"a.kind, a.summary, a.status, a.raised_at, a.ack_at, a.ack_by, a.ack_note, a.closed_at, " \
	"a.closed_by, a.action"

static void alert_from_row(struct db_stmt *st, struct institutions_alert *al)
{
	memset(al, 0, sizeof *al);
	al->id = db_col_int(st, 0);
	al->institution_id = db_col_int(st, 1);
	text_copy(al->institution_name, sizeof al->institution_name, db_col_text(st, 2));
	text_copy(al->type, sizeof al->type, db_col_text(st, 3));
	text_copy(al->region_code, sizeof al->region_code, db_col_text(st, 4));
	text_copy(al->unit_code, sizeof al->unit_code, db_col_text(st, 5));
	text_copy(al->report_date, sizeof al->report_date, db_col_text(st, 6));
	text_copy(al->kind, sizeof al->kind, db_col_text(st, 7));
	text_copy(al->summary, sizeof al->summary, db_col_text(st, 8));
	text_copy(al->status, sizeof al->status, db_col_text(st, 9));
	text_copy(al->raised_at, sizeof al->raised_at, db_col_text(st, 10));
	text_copy(al->ack_at, sizeof al->ack_at, db_col_text(st, 11));
	text_copy(al->ack_by, sizeof al->ack_by, db_col_text(st, 12));
	text_copy(al->ack_note, sizeof al->ack_note, db_col_text(st, 13));
	text_copy(al->closed_at, sizeof al->closed_at, db_col_text(st, 14));
	text_copy(al->closed_by, sizeof al->closed_by, db_col_text(st, 15));
	text_copy(al->action, sizeof al->action, db_col_text(st, 16));
}

int institutions_alerts_list(struct db *db, const struct actor *a,
			     const struct institutions_alert_filter *f,
			     int (*fn)(const struct institutions_alert *al, void *ctx), void *ctx,
			     struct err *e)
{
	static const char *const statuses[] = {"", "open", "acknowledged", "closed", "active"};
	int ok = 0;
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		ok |= strcmp(f->status, statuses[i]) == 0;
	if (!actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看机构预警");
	if (!ok)
		return err_set(e, 400, "invalid_value", "status",
			       "status 应为 open、acknowledged、closed 或 active：%.16s", f->status);
	if (f->date[0] && !institutions_date_valid(f->date))
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
	struct strbuf sql = STRBUF_INIT;
	struct institutions_alert *al = calloc(1, sizeof *al);
	int rc = -1, began = 0;
	if (!al)
		return err_oom(e);
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (inst_check_unit(db, a, f->unit, e) < 0)
		goto done;
	if (strbuf_addstr(&sql, "SELECT " ALERT_COLUMNS " FROM inst_alerts a "
				"JOIN institutions i ON i.id = a.institution_id WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "a.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND (? = '' OR a.status = ? OR (? = 'active' AND a.status <> 'closed')) "
				"AND (? = '' OR a.report_date = ?) AND (? = '' OR a.unit_code = ?) "
				"AND (? = 0 OR a.institution_id = ?) "
				"ORDER BY a.report_date DESC, a.id DESC") < 0) {
		err_oom(e);
		goto done;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto done;
	int p = scope_bind(st, &a->scope, 1);
	db_bind_text(st, p++, f->status);
	db_bind_text(st, p++, f->status);
	db_bind_text(st, p++, f->status);
	db_bind_text(st, p++, f->date);
	db_bind_text(st, p++, f->date);
	db_bind_text(st, p++, f->unit);
	db_bind_text(st, p++, f->unit);
	db_bind_int(st, p++, f->institution_id);
	db_bind_int(st, p++, f->institution_id);
	int step;
	while ((step = db_step(st, e)) == 1) {
		alert_from_row(st, al);
		if (fn(al, ctx))
			break;
	}
	db_done(st);
	rc = step < 0 ? -1 : 0;
done:
	inst_end_read(db, began);
out:
	strbuf_release(&sql);
	free(al);
	return rc;
}

/* One alert with scope (404 out of scope) and the permission (403). */
static int load_alert(struct db *db, const struct actor *a, int64_t alert_id, uint32_t perm,
		      struct institutions_alert *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT " ALERT_COLUMNS " FROM inst_alerts a "
					    "JOIN institutions i ON i.id = a.institution_id "
					    "WHERE a.id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, alert_id);
	int rc = db_step(st, e);
	if (rc == 1)
		alert_from_row(st, out);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0 || !scope_contains(&a->scope, out->region_code))
		return err_set(e, 404, "not_found", NULL, "预警不存在，或不在您的管辖范围内");
	if (!actor_can(a, perm))
		return err_set(e, 403, "forbidden", NULL,
			       perm == PERM_INSTITUTION_READ ? "您的角色无权查看机构预警"
							     : "您的角色无权处置机构预警");
	return 0;
}

int institutions_alert_get(struct db *db, const struct actor *a, int64_t alert_id,
			   struct institutions_alert *out, struct err *e)
{
	int began = inst_begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = load_alert(db, a, alert_id, PERM_INSTITUTION_READ, out, e);
	inst_end_read(db, began);
	return rc;
}

static int alert_change(struct db *db, const struct actor *a, int64_t alert_id,
			const char *action, const char *text, const char *at, struct err *e)
{
	struct institutions_alert *al = calloc(1, sizeof *al);
	char now[32];
	int rc = -1;
	if (!al)
		return err_oom(e);
	int closing = strcmp(action, "close") == 0;
	if (at && at[0] && !institutions_at_valid(at)) {
		free(al);
		return err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM:SS+08:00");
	}
	institutions_now(at, now);
	if (db_begin_write(db, e) < 0)
		goto out;
	/* the alert and the caller's right to it first: out of scope is 404 whatever the body says */
	rc = load_alert(db, a, alert_id, PERM_INSTITUTION_MANAGE, al, e);
	long n = utf8_text_chars(text ? text : "", 1);
	if (rc == 0 && (n < 0 || n > INSTITUTIONS_NOTE_CHARS))
		rc = err_set(e, 400, "invalid_value", closing ? "action" : "note",
			     "%s最多 %d 个字，且不能含控制字符", closing ? "处置措施" : "说明",
			     INSTITUTIONS_NOTE_CHARS);
	if (rc == 0 && closing && n == 0)
		rc = err_set(e, 400, "required", "action", "关闭预警须填写采取的处置措施");
	if (rc == 0)
		rc = institutions_alert_transition(al->status, action, e);
	if (rc == 0) {
		struct db_stmt *st = db_prepare(
		    db,
		    closing ? "UPDATE inst_alerts SET status = 'closed', closed_at = ?, closed_by = ?, "
			      "action = ? WHERE id = ?"
			    : "UPDATE inst_alerts SET status = 'acknowledged', ack_at = ?, ack_by = ?, "
			      "ack_note = ? WHERE id = ?",
		    e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, now);
			db_bind_text(st, 2, a->username);
			db_bind_text(st, 3, text ? text : "");
			db_bind_int(st, 4, alert_id);
			rc = db_run(st, e);
		}
	}
	if (rc == 0)
		rc = audit_append_id(db, a,
				     closing ? "institution.alert_close" : "institution.alert_ack",
				     "institution_alert", alert_id, NULL, e);
	rc = inst_finish(db, rc, e);
out:
	free(al);
	return rc;
}

int institutions_alert_ack(struct db *db, const struct actor *a, int64_t alert_id,
			   const char *note, const char *at, struct err *e)
{
	return alert_change(db, a, alert_id, "ack", note, at, e);
}

int institutions_alert_close(struct db *db, const struct actor *a, int64_t alert_id,
			     const char *action, const char *at, struct err *e)
{
	return alert_change(db, a, alert_id, "close", action, at, e);
}

/* ================================================================ chasing */

const char *institutions_chase_method_label(const char *method)
{
	if (!method)
		return "";
	if (strcmp(method, "phone") == 0)
		return "电话";
	if (strcmp(method, "sms") == 0)
		return "短信";
	if (strcmp(method, "visit") == 0)
		return "上门";
	return "";
}

const char *institutions_chase_outcome_label(const char *outcome)
{
	if (!outcome)
		return "";
	if (strcmp(outcome, "promised") == 0)
		return "已联系，承诺补报";
	if (strcmp(outcome, "no_answer") == 0)
		return "无人接听/未回复";
	if (strcmp(outcome, "unreachable") == 0)
		return "无法联系";
	if (strcmp(outcome, "other") == 0)
		return "其他";
	return "";
}

int institutions_chase_add(struct db *db, const struct actor *a, int64_t id,
			   const struct institutions_chase_in *in, int64_t *out_id, struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	struct institutions_report *r = calloc(1, sizeof *r);
	char now[32], date[11], detail[160];
	int rc = -1;
	if (!m || !r) {
		free(m);
		free(r);
		return err_oom(e);
	}
	if (db_begin_write(db, e) < 0)
		goto out;
	if (inst_access(db, a, id, INST_NEED_MANAGE, m, NULL, e) < 0)
		goto fail;
	if (in->at && in->at[0] && !institutions_at_valid(in->at)) {
		err_set(e, 400, "invalid_value", "at", "时间应为 YYYY-MM-DDTHH:MM:SS+08:00");
		goto fail;
	}
	institutions_now(in->at, now);
	if (inst_date_or_today(in->report_date, in->at, "report_date", date, e) < 0)
		goto fail;
	if (strncmp(date, now, 10) > 0) {
		err_set(e, 400, "invalid_value", "report_date", "不能催报今天以后的日报");
		goto fail;
	}
	if (!*institutions_chase_method_label(in->method)) {
		err_set(e, 400, in->method[0] ? "invalid_value" : "required", "method",
			"催报方式应为 phone（电话）、sms（短信）或 visit（上门）");
		goto fail;
	}
	if (!*institutions_chase_outcome_label(in->outcome)) {
		err_set(e, 400, in->outcome[0] ? "invalid_value" : "required", "outcome",
			"催报结果应为 promised、no_answer、unreachable 或 other");
		goto fail;
	}
	long n = utf8_text_chars(in->note, 1);
	if (n < 0 || n > INSTITUTIONS_NOTE_CHARS) {
		err_set(e, 400, "invalid_value", "note", "说明最多 %d 个字，且不能含控制字符",
			INSTITUTIONS_NOTE_CHARS);
		goto fail;
	}
	if (!institutions_open_on(m->opened_on, m->closed_on, date)) {
		err_set(e, 409, "institution_not_open", "report_date", "%s 在 %s 不在开办期内，无需催报",
			m->name, date);
		goto fail;
	}
	int has = load_report(db, id, date, r, e);
	if (has < 0)
		goto fail;
	if (has) {
		err_set(e, 409, "already_reported", "report_date", "%s %s 的日报已于 %.16s 报送，无需催报",
			m->name, date, r->submitted_at);
		goto fail;
	}
	struct db_stmt *st = db_prepare(db, "INSERT INTO inst_chases(institution_id, region_code, "
					    "report_date, method, outcome, note, escalated, chased_at, "
					    "chased_by) VALUES (?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, m->region_code);
	db_bind_text(st, 3, date);
	db_bind_text(st, 4, in->method);
	db_bind_text(st, 5, in->outcome);
	db_bind_text(st, 6, in->note);
	db_bind_int(st, 7, in->escalate ? 1 : 0);
	db_bind_text(st, 8, now);
	db_bind_text(st, 9, a->username);
	rc = db_run(st, e);
	if (rc == 0) {
		*out_id = db_last_id(db);
		snprintf(detail, sizeof detail,
			 "{\"institution\":%" PRId64 ",\"date\":\"%s\",\"method\":\"%s\","
			 "\"outcome\":\"%s\",\"escalated\":%s}",
			 id, date, in->method, in->outcome, in->escalate ? "true" : "false");
		rc = audit_append_id(db, a, "institution.chase", "institution_chase", *out_id,
				     detail, e);
	}
	rc = inst_finish(db, rc, e);
	goto out;
fail:
	db_rollback(db);
out:
	free(m);
	free(r);
	return rc;
}

int institutions_chases_list(struct db *db, const struct actor *a, int64_t id, const char *date,
			     int (*fn)(const struct institutions_chase *c, void *ctx), void *ctx,
			     struct err *e)
{
	struct institution *m = calloc(1, sizeof *m);
	struct institutions_chase c;
	int rc = -1, began = 0;
	if (!m)
		return err_oom(e);
	if ((began = inst_begin_read(db, e)) < 0)
		goto out;
	if (inst_access(db, a, id, INST_NEED_READ, m, NULL, e) < 0)
		goto done;
	if (date && date[0] && !institutions_date_valid(date)) {
		err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
		goto done;
	}
	struct db_stmt *st = db_prepare(db, "SELECT id, institution_id, report_date, method, outcome, "
					    "note, escalated, chased_at, chased_by FROM inst_chases "
					    "WHERE institution_id = ? AND (? = '' OR report_date = ?) "
					    "ORDER BY chased_at DESC, id DESC", e);
	if (!st)
		goto done;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, date ? date : "");
	db_bind_text(st, 3, date ? date : "");
	int step;
	while ((step = db_step(st, e)) == 1) {
		memset(&c, 0, sizeof c);
		c.id = db_col_int(st, 0);
		c.institution_id = db_col_int(st, 1);
		text_copy(c.report_date, sizeof c.report_date, db_col_text(st, 2));
		text_copy(c.method, sizeof c.method, db_col_text(st, 3));
		text_copy(c.outcome, sizeof c.outcome, db_col_text(st, 4));
		text_copy(c.note, sizeof c.note, db_col_text(st, 5));
		c.escalated = (int)db_col_int(st, 6);
		text_copy(c.chased_at, sizeof c.chased_at, db_col_text(st, 7));
		text_copy(c.chased_by, sizeof c.chased_by, db_col_text(st, 8));
		if (fn(&c, ctx))
			break;
	}
	db_done(st);
	rc = step < 0 ? -1 : 0;
done:
	inst_end_read(db, began);
out:
	free(m);
	return rc;
}
