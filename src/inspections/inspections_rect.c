/* inspections_rect.c — rectification items: reading one, the lists (the overdue list among
 * them), the owner's and the inspecting side's actions, and the dashboard's summary (see
 * inspections.h).
 *
 * How it works:
 * - An item's scope is its owner's region (r.region_code): every read appends scope_sql() for
 *   it, so an item outside the caller's scope is not found (404) whatever the action.
 * - The overdue list is the SQL form of inspections_is_overdue (status waiting for the owner and
 *   deadline < the day); the flags on each row (overdue, days_overdue, due_soon, closed_late) are
 *   computed by the rules in C from the same columns, and the summary counts rows with those same
 *   functions, so the list, the flags and the counts cannot disagree.
 * - An action is one transaction: load the item in scope, check the permission for the side
 *   that acts, the transition (inspections_next_status), the day and the text, update the item,
 *   append its event and the audit row.
 */
#include "inspections/inspections_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "regions/regions.h"

static int not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "整改事项不存在或不在您的管辖范围内");
}

void insp_rect_read(struct db_stmt *st, struct inspections_rect *r, const char *as_of,
		    int soon_days)
{
	int c = 0;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, c++);
	r->inspection_id = db_col_int(st, c++);
	r->finding_id = db_col_int(st, c++);
	text_copy(r->inspector_region, sizeof r->inspector_region, db_col_text(st, c++));
	text_copy(r->owner_kind, sizeof r->owner_kind, db_col_text(st, c++));
	text_copy(r->region_code, sizeof r->region_code, db_col_text(st, c++));
	text_copy(r->region_name, sizeof r->region_name, db_col_text(st, c++));
	text_copy(r->unit_code, sizeof r->unit_code, db_col_text(st, c++));
	r->institution_id = db_col_int(st, c++);
	text_copy(r->owner_name, sizeof r->owner_name, db_col_text(st, c++));
	text_copy(r->finding, sizeof r->finding, db_col_text(st, c++));
	text_copy(r->requirement, sizeof r->requirement, db_col_text(st, c++));
	text_copy(r->deadline, sizeof r->deadline, db_col_text(st, c++));
	r->status = inspections_status_parse(db_col_text(st, c++));
	text_copy(r->evidence, sizeof r->evidence, db_col_text(st, c++));
	text_copy(r->submitted_on, sizeof r->submitted_on, db_col_text(st, c++));
	text_copy(r->submitted_by, sizeof r->submitted_by, db_col_text(st, c++));
	text_copy(r->verified_on, sizeof r->verified_on, db_col_text(st, c++));
	text_copy(r->verified_by, sizeof r->verified_by, db_col_text(st, c++));
	text_copy(r->last_note, sizeof r->last_note, db_col_text(st, c++));
	r->reopened_count = (int)db_col_int(st, c++);
	text_copy(r->visited_on, sizeof r->visited_on, db_col_text(st, c++));
	text_copy(r->target_name, sizeof r->target_name, db_col_text(st, c++));
	text_copy(r->team_name, sizeof r->team_name, db_col_text(st, c++));
	text_copy(r->created_at, sizeof r->created_at, db_col_text(st, c++));
	text_copy(r->updated_at, sizeof r->updated_at, db_col_text(st, c++));
	r->overdue = inspections_is_overdue(r->status, r->deadline, as_of);
	r->days_overdue = inspections_days_overdue(r->status, r->deadline, as_of);
	r->due_soon = !r->overdue && inspections_is_due_soon(r->status, r->deadline, as_of, soon_days);
	r->closed_late = r->submitted_on[0] && strcmp(r->submitted_on, r->deadline) > 0;
}

/* The due-soon window per unit, looked up once per unit for a list. */
struct soon_cache {
	int n;
	char unit[32][16];
	int days[32];
};

static int soon_for(struct db *db, struct soon_cache *c, const char *unit, const char *as_of)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->unit[i], unit) == 0)
			return c->days[i];
	int d = insp_soon_days(db, unit, as_of);
	if (c->n < 32) {
		text_copy(c->unit[c->n], 16, unit);
		c->days[c->n++] = d;
	}
	return d;
}

/* The item if it lies in the caller's scope: 1, 0 (not found), -1. */
static int rect_load(struct db *db, const struct actor *a, int64_t id, struct inspections_rect *r,
		     const char *as_of, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	int rc = -1;
	if (strbuf_addstr(&sql, "SELECT " INSP_RECT_COLS INSP_RECT_FROM "WHERE r.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "r.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (st) {
		db_bind_int(st, 1, id);
		scope_bind(st, &a->scope, 2);
		rc = db_step(st, e);
		if (rc == 1)
			insp_rect_read(st, r, as_of, 0);
		db_done(st);
	}
	strbuf_release(&sql);
	int64_t inst;
	int reporter = rc == 1 ? insp_reporter(db, a, &inst, e) : 0;
	if (reporter < 0)
		return -1;
	if (reporter && (inst <= 0 || strcmp(r->owner_kind, "institution") != 0 ||
			 r->institution_id != inst))
		return 0; /* a reporter's own institution's items only */
	if (rc == 1) {
		struct soon_cache c = {0};
		r->due_soon = !r->overdue && inspections_is_due_soon(r->status, r->deadline, as_of,
								     soon_for(db, &c, r->unit_code, as_of));
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* reading                                                                                    */
/* ------------------------------------------------------------------------------------------ */

void inspections_rect_detail_release(struct inspections_rect_detail *d)
{
	free(d->events);
	d->events = NULL;
	d->n_events = 0;
}

int inspections_rect_get(struct db *db, const struct actor *a, int64_t id,
			 struct inspections_rect_detail *out, struct err *e)
{
	char today[11];
	int began, rc = -1;
	memset(out, 0, sizeof *out);
	if (!insp_can_read(a))
		return not_found(e);
	insp_today(today);
	if ((began = insp_begin_read(db, e)) < 0)
		return -1;
	int found = rect_load(db, a, id, &out->r, today, e);
	if (found <= 0) {
		if (found == 0)
			not_found(e);
		goto out;
	}
	struct db_stmt *st = db_prepare(db, "SELECT id, action, from_status, to_status, on_day, at, "
					    "by_user, note, deadline FROM rectification_events "
					    "WHERE rectification_id = ? ORDER BY id", e);
	if (!st)
		goto out;
	db_bind_int(st, 1, id);
	int r, alloc = 0;
	while ((r = db_step(st, e)) == 1) {
		if (array_grow(&out->events, out->n_events, &alloc, sizeof *out->events, 8) < 0) {
			r = err_oom(e);
			break;
		}
		struct inspections_rect_event *ev = &out->events[out->n_events++];
		memset(ev, 0, sizeof *ev);
		ev->id = db_col_int(st, 0);
		text_copy(ev->action, sizeof ev->action, db_col_text(st, 1));
		text_copy(ev->from_status, sizeof ev->from_status, db_col_text(st, 2));
		text_copy(ev->to_status, sizeof ev->to_status, db_col_text(st, 3));
		text_copy(ev->on, sizeof ev->on, db_col_text(st, 4));
		text_copy(ev->at, sizeof ev->at, db_col_text(st, 5));
		text_copy(ev->by, sizeof ev->by, db_col_text(st, 6));
		text_copy(ev->note, sizeof ev->note, db_col_text(st, 7));
		text_copy(ev->deadline, sizeof ev->deadline, db_col_text(st, 8));
	}
	db_done(st);
	if (r < 0) {
		inspections_rect_detail_release(out);
		goto out;
	}
	rc = 0;
out:
	insp_end_read(db, began);
	return rc;
}

void inspections_rect_page_release(struct inspections_rect_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

#define RECT_WHERE                                                                               \
	"(?1 = '' OR r.status = ?1 OR (?1 = 'pending' AND r.status IN ('open', 'in_progress', "    \
	"'reopened'))) AND (?2 = 0 OR (r.status IN ('open', 'in_progress', 'reopened') AND "       \
	"r.deadline < ?3)) AND (?4 = 0 OR r.inspection_id = ?4) AND (?5 = 0 OR i.team_id = ?5) "   \
	"AND r.region_code >= ?6 AND r.region_code < ?7 AND (?8 = 0 OR (r.owner_kind = "          \
	"'institution' AND r.institution_id = ?8)) AND "

static int as_of_day(const char *in, char out[11], struct err *e)
{
	if (!in || !*in) {
		insp_today(out);
		return 0;
	}
	if (!inspections_date_valid(in))
		return err_set(e, 400, "invalid_value", "as_of", "as_of 应为 YYYY-MM-DD 格式的有效日期");
	text_copy(out, 11, in);
	return 0;
}

int inspections_rect_list(struct db *db, const struct actor *a,
			  const struct inspections_rect_query *q, struct inspections_rect_page *out,
			  struct err *e)
{
	struct strbuf sql = STRBUF_INIT, cnt = STRBUF_INIT;
	int limit = q->limit ? q->limit : 50, rc = -1, began = 0;
	struct soon_cache *cache = NULL;
	memset(out, 0, sizeof *out);
	if (!insp_can_read(a))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看整改事项");
	if (limit < 1 || limit > INSPECTIONS_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–%d", INSPECTIONS_PAGE_MAX);
	if (q->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	if (q->status[0] && strcmp(q->status, "pending") != 0 && inspections_status_parse(q->status) < 0)
		return err_set(e, 400, "invalid_value", "status",
			       "status 应为 open、in_progress、submitted、verified、reopened 或 pending");
	if (as_of_day(q->as_of, out->as_of, e) < 0 || insp_region_filter(a, q->region, e) < 0)
		return -1;
	const char *order = q->overdue || strcmp(q->status, "pending") == 0
				? " ORDER BY r.deadline, r.id LIMIT ? OFFSET ?"
				: " ORDER BY r.id DESC LIMIT ? OFFSET ?";
	if (strbuf_addstr(&sql, "SELECT " INSP_RECT_COLS INSP_RECT_FROM "WHERE " RECT_WHERE) < 0 ||
	    scope_sql(&sql, &a->scope, "r.region_code") < 0 || strbuf_addstr(&sql, order) < 0 ||
	    strbuf_addstr(&cnt, "SELECT count(*) FROM rectifications r JOIN inspections i ON "
				"i.id = r.inspection_id WHERE " RECT_WHERE) < 0 ||
	    scope_sql(&cnt, &a->scope, "r.region_code") < 0 || !(cache = calloc(1, sizeof *cache))) {
		err_oom(e);
		goto out;
	}
	if ((began = insp_begin_read(db, e)) < 0)
		goto out;
	int64_t inst;
	int reporter = insp_reporter(db, a, &inst, e);
	if (reporter < 0)
		goto out;
	if (reporter && inst <= 0)
		inst = -1; /* attached to no institution: nothing */
	int alloc = 0;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(db, strbuf_str(pass ? &sql : &cnt), e);
		if (!st)
			goto out;
		db_bind_text(st, 1, q->status);
		db_bind_int(st, 2, q->overdue ? 1 : 0);
		db_bind_text(st, 3, out->as_of);
		db_bind_int(st, 4, q->inspection_id);
		db_bind_int(st, 5, q->team_id);
		scope_bind_prefix(st, q->region, 6);
		db_bind_int(st, 8, reporter ? inst : 0);
		int next = scope_bind(st, &a->scope, 9);
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
			insp_rect_read(st, &out->items[out->n++], out->as_of, 0);
		}
		db_done(st);
		if (r < 0)
			goto out;
	}
	/* the due-soon window is per unit: looked up after the statement is done */
	for (int i = 0; i < out->n; i++) {
		struct inspections_rect *r = &out->items[i];
		r->due_soon = !r->overdue &&
			      inspections_is_due_soon(r->status, r->deadline, out->as_of,
						      soon_for(db, cache, r->unit_code, out->as_of));
	}
	rc = 0;
out:
	insp_end_read(db, began);
	strbuf_release(&sql);
	strbuf_release(&cnt);
	free(cache);
	if (rc < 0)
		inspections_rect_page_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* the summary                                                                                */
/* ------------------------------------------------------------------------------------------ */

void inspections_summary_release(struct inspections_summary *s)
{
	free(s->units);
	s->units = NULL;
	s->n_units = 0;
}

static struct inspections_unit_counts *unit_slot(struct inspections_summary *s, int *alloc,
						 const char *unit)
{
	for (int i = 0; i < s->n_units; i++)
		if (strcmp(s->units[i].unit_code, unit) == 0)
			return &s->units[i];
	if (array_grow(&s->units, s->n_units, alloc, sizeof *s->units, 16) < 0)
		return NULL;
	struct inspections_unit_counts *u = &s->units[s->n_units++];
	memset(u, 0, sizeof *u);
	text_copy(u->unit_code, sizeof u->unit_code, unit);
	return u;
}

static int by_unit_code(const void *x, const void *y)
{
	return strcmp(((const struct inspections_unit_counts *)x)->unit_code,
		      ((const struct inspections_unit_counts *)y)->unit_code);
}

int inspections_rect_summary(struct db *db, const struct actor *a, const char *region,
			     const char *as_of, struct inspections_summary *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct soon_cache *cache = NULL;
	int rc = -1, began = 0, alloc = 0;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_INSPECTION) && !actor_can(a, PERM_INSTITUTION_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看整改事项统计");
	if (as_of_day(as_of, out->as_of, e) < 0 || insp_region_filter(a, region, e) < 0)
		return -1;
	if (strbuf_addstr(&sql, "SELECT coalesce(g.unit_code, ''), r.status, r.deadline, "
				"r.submitted_on FROM rectifications r LEFT JOIN regions g ON "
				"g.code = r.region_code WHERE r.region_code >= ? AND "
				"r.region_code < ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "r.region_code") < 0 || !(cache = calloc(1, sizeof *cache))) {
		err_oom(e);
		goto out;
	}
	if ((began = insp_begin_read(db, e)) < 0)
		goto out;
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	scope_bind(st, &a->scope, scope_bind_prefix(st, region ? region : "", 1));
	int r;
	while ((r = db_step(st, e)) == 1) {
		int status = inspections_status_parse(db_col_text(st, 1));
		const char *deadline = db_col_text(st, 2), *submitted = db_col_text(st, 3);
		struct inspections_unit_counts *u = unit_slot(out, &alloc, db_col_text(st, 0));
		if (!u || status < 0) {
			r = u ? err_set(e, 500, "internal", NULL, "整改事项状态无效") : err_oom(e);
			break;
		}
		int overdue = inspections_is_overdue(status, deadline, out->as_of);
		out->total++;
		out->by_status[status]++;
		out->overdue += overdue;
		out->closed_late += submitted[0] && strcmp(submitted, deadline) > 0;
		u->total++;
		u->pending += inspections_owner_pending(status);
		u->submitted += status == INSPECTIONS_SUBMITTED;
		u->verified += status == INSPECTIONS_VERIFIED;
		u->overdue += overdue;
		/* due soon needs the unit's window: counted below, per unit, from the deadlines */
	}
	db_done(st);
	if (r < 0)
		goto out;
	/* due soon: a second pass over the pending items only (few), with each unit's window */
	strbuf_reset(&sql);
	if (strbuf_addstr(&sql, "SELECT coalesce(g.unit_code, ''), r.status, r.deadline FROM "
				"rectifications r LEFT JOIN regions g ON g.code = r.region_code "
				"WHERE r.status IN ('open', 'in_progress', 'reopened') AND "
				"r.deadline >= ? AND r.region_code >= ? AND r.region_code < ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "r.region_code") < 0) {
		err_oom(e);
		goto out;
	}
	struct due {
		char unit[16];
		int status;
		char deadline[11];
	} *due = NULL;
	int ndue = 0, dalloc = 0;
	if (!(st = db_prepare(db, strbuf_str(&sql), e)))
		goto out;
	db_bind_text(st, 1, out->as_of);
	scope_bind(st, &a->scope, scope_bind_prefix(st, region ? region : "", 2));
	while ((r = db_step(st, e)) == 1) {
		if (array_grow(&due, ndue, &dalloc, sizeof *due, 16) < 0) {
			r = err_oom(e);
			break;
		}
		text_copy(due[ndue].unit, 16, db_col_text(st, 0));
		due[ndue].status = inspections_status_parse(db_col_text(st, 1));
		text_copy(due[ndue].deadline, 11, db_col_text(st, 2));
		ndue++;
	}
	db_done(st);
	for (int i = 0; r >= 0 && i < ndue; i++) {
		if (!inspections_is_due_soon(due[i].status, due[i].deadline, out->as_of,
					     soon_for(db, cache, due[i].unit, out->as_of)))
			continue;
		struct inspections_unit_counts *u = unit_slot(out, &alloc, due[i].unit);
		if (!u) {
			r = err_oom(e);
			break;
		}
		out->due_soon++;
		u->due_soon++;
	}
	free(due);
	if (r < 0)
		goto out;
	qsort(out->units, (size_t)out->n_units, sizeof *out->units, by_unit_code);
	for (int i = 0; i < out->n_units; i++) {
		struct regions_unit ru;
		struct err ignore;
		if (out->units[i].unit_code[0] &&
		    regions_unit_get(db, out->units[i].unit_code, &ru, &ignore) == 0)
			text_copy(out->units[i].unit_name, sizeof out->units[i].unit_name, ru.name);
	}
	rc = 0;
out:
	insp_end_read(db, began);
	strbuf_release(&sql);
	free(cache);
	if (rc < 0)
		inspections_summary_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* actions                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static const char *const action_labels[INSPECTIONS_NACTIONS] = {
	"开始整改", "提交整改材料", "核验销号", "退回重新整改", "重新打开", "延长期限",
};

static int may_act(const struct actor *a, const struct inspections_rect *r, int action,
		   struct err *e)
{
	if (inspections_action_by_inspector(action)) {
		if (!actor_can(a, PERM_INSPECTION) ||
		    !(scope_covers(&a->scope, r->inspector_region) ||
		      strcmp(a->region_code, r->inspector_region) == 0))
			return err_set(e, 403, "forbidden", NULL, "只有督导方可以%s",
				       action_labels[action]);
		return 0;
	}
	if (!actor_can(a, PERM_INSPECTION) && !actor_can(a, PERM_INSTITUTION_MANAGE) &&
	    !actor_can(a, PERM_INSTITUTION_REPORT))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权%s", action_labels[action]);
	return 0;
}

static int act_txn(struct db *db, const struct actor *a, int64_t id,
		   const struct inspections_rect_action_in *in, struct err *e)
{
	struct inspections_rect *r = malloc(sizeof *r);
	char today[11], on[11], now[32], deadline[11];
	int rc = -1;
	if (!r)
		return err_oom(e);
	insp_today(today);
	int found = rect_load(db, a, id, r, today, e);
	if (found <= 0) {
		if (found == 0)
			not_found(e);
		goto out;
	}
	int action = in->action;
	if (action < 0 || action >= INSPECTIONS_NACTIONS) {
		err_set(e, 400, "invalid_value", "action", "未知的整改操作");
		goto out;
	}
	if (may_act(a, r, action, e) < 0)
		goto out;
	int next = inspections_next_status(r->status, action);
	if (next < 0) {
		err_set(e, 409, "invalid_step", NULL, "整改事项当前为“%s”，不能%s",
			inspections_status_label(r->status), action_labels[action]);
		goto out;
	}
	if (insp_day(in->on, "on", on, e) < 0)
		goto out;
	struct db_stmt *st = db_prepare(db, "SELECT last_on FROM rectifications WHERE id = ?", e);
	if (!st)
		goto out;
	db_bind_int(st, 1, id);
	int s = db_step(st, e);
	char last_on[11] = "";
	if (s == 1)
		text_copy(last_on, sizeof last_on, db_col_text(st, 0));
	db_done(st);
	if (s < 0)
		goto out;
	if (strcmp(on, last_on) < 0) {
		err_set(e, 400, "invalid_value", "on", "日期不能早于该事项上一次办理的日期（%s）",
			last_on);
		goto out;
	}
	int text_required = action == INSPECTIONS_SUBMIT || action == INSPECTIONS_REJECT ||
			    action == INSPECTIONS_REOPEN || action == INSPECTIONS_EXTEND;
	if (text_check(in->text, INSPECTIONS_TEXT_CHARS, text_required, 1, "text",
		      action == INSPECTIONS_SUBMIT ? "整改情况和佐证材料说明" : "理由", e) < 0)
		goto out;
	if ((action == INSPECTIONS_VERIFY || action == INSPECTIONS_REJECT) &&
	    strcmp(a->username, r->submitted_by) == 0) {
		err_set(e, 409, "same_person", NULL, "提交整改材料的人不能核验自己的提交");
		goto out;
	}
	text_copy(deadline, sizeof deadline, r->deadline);
	if (action == INSPECTIONS_EXTEND || in->deadline[0]) {
		if (action != INSPECTIONS_EXTEND && action != INSPECTIONS_REJECT &&
		    action != INSPECTIONS_REOPEN) {
			err_set(e, 400, "invalid_value", "deadline", "该操作不能修改整改期限");
			goto out;
		}
		if (!in->deadline[0]) {
			err_set(e, 400, "required", "deadline", "请填写新的整改期限");
			goto out;
		}
		if (!inspections_date_valid(in->deadline)) {
			err_set(e, 400, "invalid_value", "deadline", "整改期限应为 YYYY-MM-DD 格式的有效日期");
			goto out;
		}
		if (action == INSPECTIONS_EXTEND && strcmp(in->deadline, r->deadline) <= 0) {
			err_set(e, 400, "invalid_value", "deadline", "新的整改期限应晚于原期限（%s）",
				r->deadline);
			goto out;
		}
		if (strcmp(in->deadline, on) < 0) {
			err_set(e, 400, "invalid_value", "deadline", "整改期限不能早于办理日期（%s）", on);
			goto out;
		}
		text_copy(deadline, sizeof deadline, in->deadline);
	}
	insp_now(now);
	const char *note = action == INSPECTIONS_SUBMIT ? "" : in->text;
	st = db_prepare(
	    db,
	    "UPDATE rectifications SET status = ?1, deadline = ?2, last_on = ?3, updated_at = ?4, "
	    "evidence = CASE WHEN ?5 = 'submit' THEN ?6 ELSE evidence END, "
	    "submitted_on = CASE WHEN ?5 = 'submit' THEN ?3 WHEN ?5 IN ('reject', 'reopen') THEN '' "
	    "  ELSE submitted_on END, "
	    "submitted_by = CASE WHEN ?5 = 'submit' THEN ?7 WHEN ?5 IN ('reject', 'reopen') THEN '' "
	    "  ELSE submitted_by END, "
	    "verified_on = CASE WHEN ?5 = 'verify' THEN ?3 WHEN ?5 = 'reopen' THEN '' "
	    "  ELSE verified_on END, "
	    "verified_by = CASE WHEN ?5 = 'verify' THEN ?7 WHEN ?5 = 'reopen' THEN '' "
	    "  ELSE verified_by END, "
	    "last_note = CASE WHEN ?5 IN ('reject', 'reopen', 'extend') THEN ?6 ELSE last_note END, "
	    "reopened_count = reopened_count + (?5 IN ('reject', 'reopen')) WHERE id = ?8",
	    e);
	if (!st)
		goto out;
	db_bind_text(st, 1, inspections_status_name(next));
	db_bind_text(st, 2, deadline);
	db_bind_text(st, 3, on);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, inspections_action_name(action));
	db_bind_text(st, 6, in->text);
	db_bind_text(st, 7, a->username);
	db_bind_int(st, 8, id);
	if (db_run(st, e) < 0)
		goto out;
	st = db_prepare(db, "INSERT INTO rectification_events (rectification_id, action, "
			    "from_status, to_status, on_day, at, by_user, note, deadline) VALUES "
			    "(?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!st)
		goto out;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, inspections_action_name(action));
	db_bind_text(st, 3, inspections_status_name(r->status));
	db_bind_text(st, 4, inspections_status_name(next));
	db_bind_text(st, 5, on);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, action == INSPECTIONS_SUBMIT ? in->text : note);
	db_bind_text(st, 9, deadline);
	if (db_run(st, e) < 0)
		goto out;
	char object[48], action_name[48];
	snprintf(object, sizeof object, "rectification:%lld", (long long)id);
	snprintf(action_name, sizeof action_name, "inspection.rect.%s", inspections_action_name(action));
	char *detail = insp_json_text(json_pack("{s:s, s:s, s:s, s:s}", "from",
						inspections_status_name(r->status), "to",
						inspections_status_name(next), "on", on, "deadline",
						deadline));
	rc = audit_append(db, a, action_name, object, "ok", detail, e);
	free(detail);
out:
	free(r);
	return rc;
}

int inspections_rect_act(struct db *db, const struct actor *a, int64_t id,
			 const struct inspections_rect_action_in *in, struct err *e)
{
	if (!insp_can_read(a))
		return not_found(e);
	int began = insp_begin(db, e);
	if (began < 0)
		return -1;
	return insp_end(db, began, act_txn(db, a, id, in, e), e);
}
