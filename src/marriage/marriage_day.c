/* marriage_day.c — the registrar's side (see marriage.h): the day's list of an office with its
 * statistics, check-in with the temperature (fever turns the couple away), the outcome, the
 * bookings that no longer fit after a change of hours, capacity, closed dates or rules, and the
 * per-office counts of a period for the statistics report. */
#include "marriage/marriage_internal.h"
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "policy/policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int finish(struct db *db, int rc, struct err *e)
{
	if (rc == 0)
		return db_commit(db, e);
	db_rollback(db);
	return -1;
}

void marriage_day_list_release(struct marriage_day_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void marriage_over_list_release(struct marriage_over_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static void stats_add(struct marriage_day_stats *s, const struct marriage_booking *b)
{
	s->booked++;
	if (b->checked_in_at[0])
		s->arrived++;
	if (strcmp(b->outcome, "registered") == 0)
		s->registered++;
	else if (strcmp(b->outcome, "not_registered") == 0)
		s->not_registered++;
	else if (strcmp(b->outcome, "no_show") == 0)
		s->no_show++;
	if (b->fever)
		s->fever++;
}

int marriage_day(struct db *db, const struct actor *a, int64_t office_id, const char *date,
		 int unmask, struct marriage_day_list *out, struct err *e)
{
	struct marriage_office o;
	memset(out, 0, sizeof *out);
	if (!date || !date[0])
		return err_set(e, 400, "required", "date", "请选择日期");
	if (!calendar_date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "日期格式不正确：%.16s", date);
	if (unmask && db_begin_write(db, e) < 0)
		return -1;
	int rc = mar_office_access(db, a, office_id, &o, e);
	if (rc == 0 && unmask && !actor_can(a, PERM_REGISTRY_UNMASK))
		rc = err_set(e, 403, "forbidden", NULL, "您没有查看完整姓名和电话的权限");
	struct db_stmt *st = NULL;
	if (rc == 0 && !(st = db_prepare(db, "SELECT " MAR_BOOKING_COLS MAR_BOOKING_FROM
					     "WHERE b.office_id = ? AND b.slot_date = ? AND "
					     "b.status = 'booked' ORDER BY b.slot_time, b.id", e)))
		rc = -1;
	if (rc == 0) {
		db_bind_int(st, 1, office_id);
		db_bind_text(st, 2, date);
		int cap = 0, step;
		while ((step = db_step(st, e)) == 1) {
			if (out->n == cap) {
				cap = cap ? cap * 2 : 16;
				void *p = realloc(out->items, (size_t)cap * sizeof *out->items);
				if (!p) {
					step = err_oom(e);
					break;
				}
				out->items = p;
			}
			struct marriage_booking *b = &out->items[out->n++];
			mar_booking_from_row(st, b, NULL);
			b->unmasked = unmask;
			stats_add(&out->stats, b);
		}
		db_done(st);
		if (step < 0)
			rc = -1;
	}
	if (rc == 0 && unmask) {
		char detail[64];
		snprintf(detail, sizeof detail, "{\"date\":\"%s\",\"rows\":%d}", date, out->n);
		rc = audit_append_id(db, a, "marriage.unmask", "marriage_office", office_id, detail, e);
	}
	if (unmask)
		rc = finish(db, rc, e);
	if (rc < 0)
		marriage_day_list_release(out);
	return rc < 0 ? -1 : 0;
}

/* The booking by id, for the registrar: permission and scope (404 otherwise). */
static int booking_access(struct db *db, const struct actor *a, int64_t id,
			  struct marriage_booking *out, struct err *e)
{
	if (!actor_can(a, PERM_MARRIAGE))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权管理婚姻登记预约");
	struct db_stmt *st = db_prepare(db, "SELECT " MAR_BOOKING_COLS MAR_BOOKING_FROM
					    "WHERE b.id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1)
		mar_booking_from_row(st, out, NULL);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0 || !scope_contains(&a->scope, out->region_code))
		return err_set(e, 404, "not_found", NULL, "预约不存在，或不在您的管辖范围内");
	return 0;
}

int marriage_booking_get(struct db *db, const struct actor *a, int64_t id,
			 struct marriage_booking *out, struct err *e)
{
	return booking_access(db, a, id, out, e);
}

int marriage_checkin(struct db *db, const struct actor *a, int64_t id, int temperature_tenths,
		     const char *at, struct err *e)
{
	struct marriage_booking b;
	char now[32], today[11], month[8];
	if (temperature_tenths < 340 || temperature_tenths > 430)
		return err_set(e, 400, "invalid_value", "temperature",
			       "体温须在 34.0–43.0 ℃ 之间");
	mar_now(at, now, today);
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = booking_access(db, a, id, &b, e);
	if (rc == 0 && strcmp(b.status, "booked") != 0)
		rc = err_set(e, 409, "booking_closed", NULL, "该预约已取消");
	if (rc == 0 && b.outcome[0])
		rc = err_set(e, 409, "outcome_recorded", NULL, "该预约已记录办理结果");
	int64_t threshold = 373;
	struct marriage_office o;
	memset(&o, 0, sizeof o);
	if (rc == 0 && mar_office_row(db, b.office_id, &o, e) < 0)
		rc = -1;
	if (rc == 0) {
		snprintf(month, sizeof month, "%.7s", b.date);
		rc = policy_value(db, o.unit_code, "all", MARRIAGE_FEVER_KEY, month, &threshold, e);
	}
	int fever = temperature_tenths >= threshold;
	if (rc == 0) {
		char reason[120] = "";
		if (fever)
			snprintf(reason, sizeof reason, "发热（%d.%d ℃），劝返就医", temperature_tenths / 10,
				 temperature_tenths % 10);
		struct db_stmt *st = db_prepare(db, "UPDATE marriage_bookings SET checked_in_at = ?, "
						    "temperature_tenths = ?, fever = ?, outcome = ?, "
						    "outcome_reason = ?, updated_at = ? WHERE id = ?", e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, now);
			db_bind_int(st, 2, temperature_tenths);
			db_bind_int(st, 3, fever);
			db_bind_text(st, 4, fever ? "not_registered" : "");
			db_bind_text(st, 5, reason);
			db_bind_text(st, 6, now);
			db_bind_int(st, 7, id);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		char detail[64];
		snprintf(detail, sizeof detail, "{\"temperature_tenths\":%d,\"fever\":%d}",
			 temperature_tenths, fever);
		rc = audit_append_id(db, a, "marriage.checkin", "marriage_booking", id, detail, e);
	}
	return mar_end(db, own, rc, e);
}

int marriage_outcome(struct db *db, const struct actor *a, int64_t id, const char *outcome,
		     const char *reason, struct err *e)
{
	struct marriage_booking b;
	char now[32], today[11];
	if (!outcome || !outcome[0])
		return err_set(e, 400, "required", "outcome", "请选择办理结果");
	int reg = strcmp(outcome, "registered") == 0, notreg = strcmp(outcome, "not_registered") == 0,
	    noshow = strcmp(outcome, "no_show") == 0;
	if (!reg && !notreg && !noshow)
		return err_set(e, 400, "invalid_value", "outcome",
			       "办理结果须为 registered、not_registered 或 no_show");
	if (notreg && text_check(reason, MARRIAGE_REASON_CHARS, 1, 0, "reason", "未办理原因", e) < 0)
		return -1;
	if (!notreg && reason && reason[0] &&
	    text_check(reason, MARRIAGE_REASON_CHARS, 0, 0, "reason", "说明", e) < 0)
		return -1;
	mar_now(NULL, now, today);
	int own = mar_begin(db, e);
	if (own < 0)
		return -1;
	int rc = booking_access(db, a, id, &b, e);
	if (rc == 0 && strcmp(b.status, "booked") != 0)
		rc = err_set(e, 409, "booking_closed", NULL, "该预约已取消");
	if (rc == 0 && b.outcome[0])
		rc = err_set(e, 409, "outcome_recorded", NULL, "该预约已记录办理结果");
	if (rc == 0 && (reg || notreg) && !b.checked_in_at[0])
		rc = err_set(e, 409, "not_checked_in", NULL, "请先登记到场和体温");
	if (rc == 0 && noshow && b.checked_in_at[0])
		rc = err_set(e, 409, "invalid_value", "outcome", "已到场登记的预约不能记为未到");
	if (rc == 0) {
		struct db_stmt *st = db_prepare(db, "UPDATE marriage_bookings SET outcome = ?, "
						    "outcome_reason = ?, updated_at = ? WHERE id = ?", e);
		if (!st) {
			rc = -1;
		} else {
			db_bind_text(st, 1, outcome);
			db_bind_text(st, 2, reason ? reason : "");
			db_bind_text(st, 3, now);
			db_bind_int(st, 4, id);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		char detail[48];
		snprintf(detail, sizeof detail, "{\"outcome\":\"%s\"}", outcome);
		rc = audit_append_id(db, a, "marriage.outcome", "marriage_booking", id, detail, e);
	}
	return mar_end(db, own, rc, e);
}

int marriage_over_capacity(struct db *db, const struct actor *a, int64_t office_id,
			   const char *from, struct marriage_over_list *out, struct err *e)
{
	struct marriage_office o;
	char now[32], today[11];
	memset(out, 0, sizeof *out);
	mar_now(NULL, now, today);
	if (!from || !from[0])
		from = today;
	else if (!calendar_date_valid(from))
		return err_set(e, 400, "invalid_value", "from", "日期格式不正确");
	if (mar_office_access(db, a, office_id, &o, e) < 0)
		return -1;
	if (!o.configured)
		return 0;
	struct marriage_day_plan *plan = calloc(1, sizeof *plan);
	if (!plan)
		return err_oom(e);
	struct db_stmt *st = db_prepare(db, "SELECT " MAR_BOOKING_COLS MAR_BOOKING_FROM
					    "WHERE b.office_id = ? AND b.slot_date >= ? AND "
					    "b.status = 'booked' AND b.outcome = '' "
					    "ORDER BY b.slot_date, b.slot_time, b.id", e);
	int rc = st ? 0 : -1, step = 0, cap = 0;
	/* Read every candidate first: the plan reads statements of its own. */
	struct marriage_booking *all = NULL;
	int n = 0;
	if (st) {
		db_bind_int(st, 1, office_id);
		db_bind_text(st, 2, from);
		while ((step = db_step(st, e)) == 1) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				void *p = realloc(all, (size_t)cap * sizeof *all);
				if (!p) {
					step = err_oom(e);
					break;
				}
				all = p;
			}
			mar_booking_from_row(st, &all[n++], NULL);
		}
		db_done(st);
		if (step < 0)
			rc = -1;
	}
	if (rc == 0 && n > 0 && !(out->items = calloc((size_t)n, sizeof *out->items)))
		rc = err_oom(e);
	char plan_date[11] = "";
	int rank = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		struct marriage_booking *b = &all[i];
		if (strcmp(plan_date, b->date) != 0) {
			if (marriage_day_plan(db, office_id, b->date, plan, e) < 0) {
				rc = -1;
				break;
			}
			text_copy(plan_date, sizeof plan_date, b->date);
		}
		if (i == 0 || strcmp(all[i - 1].date, b->date) != 0 ||
		    strcmp(all[i - 1].time, b->time) != 0)
			rank = 0;
		rank++;
		const char *why = NULL;
		int slot_cap = 0;
		if (!plan->open) {
			why = "closed";
		} else {
			int found = -1;
			for (int s = 0; s < plan->nslots; s++)
				if (strcmp(plan->slots[s].time, b->time) == 0)
					found = s;
			if (found < 0)
				why = "no_slot";
			else if (rank > (slot_cap = plan->slots[found].capacity))
				why = "over_capacity";
		}
		if (why) {
			struct marriage_over *x = &out->items[out->n++];
			x->b = *b;
			text_copy(x->why, sizeof x->why, why);
			x->capacity = slot_cap;
		}
	}
	free(all);
	free(plan);
	if (rc < 0)
		marriage_over_list_release(out);
	return rc < 0 ? -1 : 0;
}

int marriage_period_counts(struct db *db, const struct actor *a, const char *from, const char *to,
			   int (*fn)(const struct marriage_period_row *r, void *ctx), void *ctx,
			   struct err *e)
{
	if (!actor_can(a, PERM_MARRIAGE))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看婚姻登记预约");
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT b.office_id, b.region_code, count(*), "
				"sum(b.outcome = 'registered'), sum(b.outcome = 'no_show') "
				"FROM marriage_bookings b WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "b.region_code") < 0 ||
	    strbuf_addstr(&sql, " AND b.status = 'booked' AND b.slot_date >= ? AND b.slot_date <= ? "
				"GROUP BY b.office_id, b.region_code ORDER BY b.office_id") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	int p = scope_bind(st, &a->scope, 1);
	db_bind_text(st, p++, from);
	db_bind_text(st, p++, to);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		struct marriage_period_row r;
		memset(&r, 0, sizeof r);
		r.office_id = db_col_int(st, 0);
		text_copy(r.region_code, sizeof r.region_code, db_col_text(st, 1));
		r.booked = db_col_int(st, 2);
		r.registered = db_col_int(st, 3);
		r.no_show = db_col_int(st, 4);
		if (fn(&r, ctx))
			break;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
