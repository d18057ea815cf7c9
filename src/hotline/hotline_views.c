/* hotline_views.c — the task queue and the county overview (see hotline.h).
 *
 * Tasks are not stored: they are what is due now, read from the cases and calls themselves —
 * an assessment of every case in intake (due at assess_due), a follow-up of every active case
 * (due at next_followup_due, a day), a callback of every call whose promised callback has not
 * been made (its latest version). One UNION query with the scope on each part; the parameters
 * that every part shares come first in a CTE so that scope_sql()'s positional parameters
 * follow them. The overview is two grouped queries (calls, cases) merged per county.
 */
#include "hotline/hotline_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array_grow.h"
#include "core/strbuf.h"
#include "core/text.h"

/* ------------------------------------------------------------------------------------------ */
/* tasks                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int tasks_sql(struct strbuf *sb, const struct scope *s, int count)
{
	if (strbuf_addstr(sb, "WITH p(now, today, mine, overdue_only, rlo, rhi) AS (SELECT ?1, ?2, "
			      "?3, CAST(?4 AS INTEGER), ?5, ?6), t AS (") < 0 ||
	    strbuf_addstr(sb, "SELECT 'assess' AS type, k.id AS case_id, 0 AS call_id, "
			      "k.region_code AS region_code, k.subject_name AS subject, k.urgency "
			      "AS urgency, k.line_code AS line_code, k.assess_due AS due, "
			      "k.assess_due < p.now AS overdue, CASE WHEN k.assigned_to <> '' THEN "
			      "k.assigned_to ELSE k.opened_by END AS owner FROM hotline_cases k, p "
			      "WHERE k.status = 'intake' AND ") < 0 ||
	    scope_sql(sb, s, "k.region_code") < 0 ||
	    strbuf_addstr(sb, " UNION ALL SELECT 'followup', k.id, 0, k.region_code, "
			      "k.subject_name, k.urgency, k.line_code, k.next_followup_due, "
			      "k.next_followup_due < p.today, CASE WHEN k.assigned_to <> '' THEN "
			      "k.assigned_to ELSE k.opened_by END FROM hotline_cases k, p WHERE "
			      "k.status = 'active' AND k.next_followup_due <> '' AND ") < 0 ||
	    scope_sql(sb, s, "k.region_code") < 0 ||
	    strbuf_addstr(sb, " UNION ALL SELECT 'callback', 0, c.id, c.region_code, "
			      "c.caller_name, c.urgency, c.line_code, c.callback_due, c.callback_due "
			      "< p.now, c.operator FROM hotline_calls c, p WHERE c.callback_due <> '' "
			      "AND NOT EXISTS (SELECT 1 FROM hotline_callbacks b WHERE b.call_id = "
			      "c.id) AND NOT EXISTS (SELECT 1 FROM hotline_calls n WHERE "
			      "n.corrects_id = c.id) AND ") < 0 ||
	    scope_sql(sb, s, "c.region_code") < 0 ||
	    strbuf_addstr(sb, ") ") < 0)
		return -1;
	if (count)
		return strbuf_addstr(sb, "SELECT count(*), coalesce(sum(t.overdue), 0) FROM t, p "
					 "WHERE (p.mine = '' OR t.owner = p.mine) AND (p.overdue_only "
					 "= 0 OR t.overdue = 1) AND t.region_code >= p.rlo AND "
					 "t.region_code < p.rhi");
	return strbuf_addstr(sb, "SELECT t.type, t.case_id, t.call_id, t.region_code, "
				 "coalesce(r.name, ''), t.subject, t.urgency, t.line_code, t.due, "
				 "t.overdue, t.owner FROM t CROSS JOIN p LEFT JOIN regions r ON "
				 "r.code = t.region_code WHERE (p.mine = '' OR t.owner = p.mine) AND "
				 "(p.overdue_only = 0 OR t.overdue = 1) AND t.region_code >= p.rlo "
				 "AND t.region_code < p.rhi ORDER BY t.overdue DESC, t.due, t.type, "
				 "t.case_id, t.call_id LIMIT ? OFFSET ?");
}

int hotline_tasks(struct db *db, const struct actor *a, const struct hotline_task_query *q,
		  struct hotline_task_page *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT, cnt = STRBUF_INIT;
	int limit = q->limit, rc = -1, alloc = 0;
	char now[32], today[11];
	memset(out, 0, sizeof *out);
	if (hotline_page_check(&limit, q->offset, e) < 0 ||
	    hotline_region_filter(a, q->region, e) < 0)
		return -1;
	if (tasks_sql(&sql, &a->scope, 0) < 0 || tasks_sql(&cnt, &a->scope, 1) < 0) {
		err_oom(e);
		goto out;
	}
	hotline_now(now);
	hotline_today(today);
	int began = hotline_begin_read(db, e);
	if (began < 0)
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(db, strbuf_str(pass ? &sql : &cnt), e);
		if (!st)
			goto read_out;
		db_bind_text(st, 1, now);
		db_bind_text(st, 2, today);
		db_bind_text(st, 3, q->mine ? a->username : "");
		db_bind_int(st, 4, q->overdue_only ? 1 : 0);
		int next = scope_bind_prefix(st, q->region, 5);
		for (int i = 0; i < 3; i++)
			next = scope_bind(st, &a->scope, next);
		if (pass == 0) {
			int r = db_step(st, e);
			if (r == 1) {
				out->total = db_col_int(st, 0);
				out->overdue = db_col_int(st, 1);
			}
			db_done(st);
			if (r < 0)
				goto read_out;
			continue;
		}
		db_bind_int(st, next, limit);
		db_bind_int(st, next + 1, q->offset);
		int r;
		while ((r = db_step(st, e)) == 1) {
			if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
				db_done(st);
				err_oom(e);
				goto read_out;
			}
			struct hotline_task *t = &out->items[out->n++];
			memset(t, 0, sizeof *t);
			text_copy(t->type, sizeof t->type, db_col_text(st, 0));
			t->case_id = db_col_int(st, 1);
			t->call_id = db_col_int(st, 2);
			text_copy(t->region_code, sizeof t->region_code, db_col_text(st, 3));
			text_copy(t->region_name, sizeof t->region_name, db_col_text(st, 4));
			text_copy(t->subject, sizeof t->subject, db_col_text(st, 5));
			text_copy(t->urgency, sizeof t->urgency, db_col_text(st, 6));
			text_copy(t->line_code, sizeof t->line_code, db_col_text(st, 7));
			text_copy(t->due, sizeof t->due, db_col_text(st, 8));
			t->overdue = (int)db_col_int(st, 9);
			text_copy(t->owner, sizeof t->owner, db_col_text(st, 10));
		}
		db_done(st);
		if (r < 0)
			goto read_out;
	}
	rc = 0;
read_out:
	hotline_end_read(db, began);
out:
	strbuf_release(&sql);
	strbuf_release(&cnt);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* the overview                                                                               */
/* ------------------------------------------------------------------------------------------ */

struct rows {
	struct hotline_overview_row *r;
	int n, alloc;
};

static struct hotline_overview_row *row_for(struct rows *rs, const char *code)
{
	for (int i = 0; i < rs->n; i++)
		if (strcmp(rs->r[i].region_code, code) == 0)
			return &rs->r[i];
	if (array_grow(&rs->r, rs->n, &rs->alloc, sizeof *rs->r, 16) < 0)
		return NULL;
	struct hotline_overview_row *row = &rs->r[rs->n++];
	memset(row, 0, sizeof *row);
	text_copy(row->region_code, sizeof row->region_code, code);
	return row;
}

static int cmp_rows(const void *x, const void *y)
{
	return strcmp(((const struct hotline_overview_row *)x)->region_code,
		      ((const struct hotline_overview_row *)y)->region_code);
}

static int overview_calls(struct db *db, const struct actor *a, const char *from, const char *to,
			  struct rows *rs, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT substr(c.region_code, 1, 6), count(*), "
				"coalesce(sum(l.kind = 'child_protection'), 0), "
				"coalesce(sum(c.outcome = 'case_opened'), 0) FROM hotline_calls c "
				"JOIN hotline_lines l ON l.code = c.line_code WHERE (?1 = '' OR "
				"c.called_at >= ?1) AND (?2 = '' OR c.called_at < ?2) AND NOT EXISTS "
				"(SELECT 1 FROM hotline_calls n WHERE n.corrects_id = c.id) AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " GROUP BY 1") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	scope_bind(st, &a->scope, 3);
	int r;
	while ((r = db_step(st, e)) == 1) {
		struct hotline_overview_row *row = row_for(rs, db_col_text(st, 0));
		if (!row) {
			db_done(st);
			return err_oom(e);
		}
		row->calls = db_col_int(st, 1);
		row->calls_child = db_col_int(st, 2);
		row->calls_case_opened = db_col_int(st, 3);
	}
	db_done(st);
	return r < 0 ? -1 : 0;
}

static int overview_cases(struct db *db, const struct actor *a, const char *from, const char *to,
			  struct rows *rs, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	char now[32], today[11];
	hotline_now(now);
	hotline_today(today);
	if (strbuf_addstr(
		&sql,
		"SELECT substr(k.region_code, 1, 6), "
		"coalesce(sum((?1 = '' OR k.opened_at >= ?1) AND (?2 = '' OR k.opened_at < ?2)), 0), "
		"coalesce(sum(k.status = 'closed' AND (?1 = '' OR k.closed_at >= ?1) AND (?2 = '' OR "
		"k.closed_at < ?2)), 0), "
		"coalesce(sum((?1 = '' OR k.opened_at >= ?1) AND (?2 = '' OR k.opened_at < ?2) AND "
		"k.assessed_at <> '' AND k.assessed_at <= k.assess_due), 0), "
		"coalesce(sum((?1 = '' OR k.opened_at >= ?1) AND (?2 = '' OR k.opened_at < ?2) AND "
		"k.assessed_at > k.assess_due), 0), "
		"coalesce(sum(k.status <> 'closed'), 0), coalesce(sum(k.status = 'intake'), 0), "
		"coalesce(sum(k.status = 'intake' AND k.assess_due < ?3), 0), "
		"coalesce(sum(k.status = 'active' AND k.next_followup_due <> '' AND "
		"k.next_followup_due < ?4), 0), "
		"coalesce(sum(EXISTS (SELECT 1 FROM hotline_placements p WHERE p.case_id = k.id AND "
		"p.end_date = '')), 0), "
		"coalesce(sum((SELECT count(*) FROM hotline_referrals f WHERE f.case_id = k.id AND "
		"f.status = 'pending')), 0) "
		"FROM hotline_cases k WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "k.region_code") < 0 ||
	    strbuf_addstr(&sql, " GROUP BY 1") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, today);
	scope_bind(st, &a->scope, 5);
	int r;
	while ((r = db_step(st, e)) == 1) {
		struct hotline_overview_row *row = row_for(rs, db_col_text(st, 0));
		if (!row) {
			db_done(st);
			return err_oom(e);
		}
		int i = 1;
		row->opened = db_col_int(st, i++);
		row->closed = db_col_int(st, i++);
		row->assessed_on_time = db_col_int(st, i++);
		row->assessed_late = db_col_int(st, i++);
		row->open = db_col_int(st, i++);
		row->intake = db_col_int(st, i++);
		row->overdue_assess = db_col_int(st, i++);
		row->overdue_followup = db_col_int(st, i++);
		row->in_care = db_col_int(st, i++);
		row->pending_referrals = db_col_int(st, i++);
	}
	db_done(st);
	return r < 0 ? -1 : 0;
}

int hotline_overview(struct db *db, const struct actor *a, const char *from, const char *to,
		     struct hotline_overview_row **out, int *n, struct err *e)
{
	struct rows rs = {0};
	char f[11] = "", t[11] = "";
	*out = NULL;
	*n = 0;
	if (from && *from) {
		if (!hotline_date_valid(from))
			return err_set(e, 400, "invalid_value", "from", "日期应为 YYYY-MM-DD 格式的有效日期");
		text_copy(f, sizeof f, from);
	}
	if (to && *to) {
		if (!hotline_date_valid(to))
			return err_set(e, 400, "invalid_value", "to", "日期应为 YYYY-MM-DD 格式的有效日期");
		if (f[0] && strcmp(to, f) < 0)
			return err_set(e, 400, "invalid_value", "to", "结束日期不能早于开始日期");
		hotline_date_add(to, 1, t); /* inclusive: up to the next day's start */
	}
	int began = hotline_begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = overview_calls(db, a, f, t, &rs, e);
	if (rc == 0)
		rc = overview_cases(db, a, f, t, &rs, e);
	for (int i = 0; rc == 0 && i < rs.n; i++) {
		struct db_stmt *st = db_prepare(db, "SELECT name FROM regions WHERE code = ?", e);
		if (!st) {
			rc = -1;
			break;
		}
		db_bind_text(st, 1, rs.r[i].region_code);
		if (db_step(st, e) == 1)
			text_copy(rs.r[i].region_name, sizeof rs.r[i].region_name,
				     db_col_text(st, 0));
		db_done(st);
	}
	hotline_end_read(db, began);
	if (rc < 0) {
		free(rs.r);
		return -1;
	}
	if (rs.n > 1)
		qsort(rs.r, (size_t)rs.n, sizeof *rs.r, cmp_rows);
	*out = rs.r;
	*n = rs.n;
	return 0;
}
