/* ledger_store.c — the ledger's entries, visits, needs, helpers and township contacts: reading
 * them within the caller's scope and every change to them. (Public face: ledger.h; who joins and
 * leaves: ledger_sync.c; the overdue list and statistics: ledger_report.c.)
 *
 * How it works:
 * - Every read of an entry goes through entry_load() or list SQL that appends scope_sql() for
 *   the entry's village code, so an entry outside the actor's scope is simply not found (404).
 * - Before the ledger is read or written, ledger_refresh() applies the registry and roll changes
 *   noted since the last sync, so what a worker sees is live.
 * - Every write is one BEGIN IMMEDIATE transaction: load the entry, check, change, audit, commit;
 *   any error rolls the whole thing back. A visit moves the entry's last_visit_on and next_due in
 *   the same transaction, which is what keeps the overdue list an index range.
 * - The visit frequency comes from the policy parameters in force in the month of the visit for
 *   the entry's management unit (ledger_schedule); the rule itself is ledger_rules.c's.
 */
#include "ledger/ledger_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/phone.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "policy/policy.h"
#include "relief/relief.h"

/* ------------------------------------------------------------------------------------------ */
/* shared helpers (ledger_internal.h)                                                          */
/* ------------------------------------------------------------------------------------------ */

int ledger_not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "台账对象不存在或不在您的管辖范围内");
}

int ledger_forbidden(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您的角色无权使用困难群众台账");
}

void ledger_today(char out[11])
{
	clock_today(out);
}

int ledger_finish(struct db *db, int rc, struct err *e)
{
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int ledger_region_check(const struct actor *a, const char *region, struct err *e)
{
	if (!region || !*region)
		return 0;
	size_t n = strlen(region);
	for (size_t i = 0; i < n; i++)
		if (region[i] < '0' || region[i] > '9')
			return err_set(e, 400, "invalid_value", "region", "区划代码应为数字");
	if (n < 2 || n > 12)
		return err_set(e, 400, "invalid_value", "region", "区划代码应为 2–12 位数字");
	if (!scope_overlaps(&a->scope, region))
		return err_set(e, 404, "not_found", "region", "该区划不在您的管辖范围内");
	return 0;
}

int ledger_audit(struct db *db, const struct actor *a, const char *action, int64_t id,
		 const char *detail, struct err *e)
{
	return audit_append_id(db, a, action, "ledger_entry", id, detail, e);
}

void ledger_entry_read(struct db_stmt *st, struct ledger_entry *en)
{
	int i = 0;
	memset(en, 0, sizeof *en);
	en->id = db_col_int(st, i++);
	en->household_id = db_col_int(st, i++);
	text_copy(en->region_code, sizeof en->region_code, db_col_text(st, i++));
	text_copy(en->region_name, sizeof en->region_name, db_col_text(st, i++));
	text_copy(en->unit_code, sizeof en->unit_code, db_col_text(st, i++));
	text_copy(en->name, sizeof en->name, db_col_text(st, i++));
	text_copy(en->sex, sizeof en->sex, db_col_text(st, i++));
	text_copy(en->birth_date, sizeof en->birth_date, db_col_text(st, i++));
	text_copy(en->id_number, sizeof en->id_number, db_col_text(st, i++));
	text_copy(en->phone, sizeof en->phone, db_col_text(st, i++));
	text_copy(en->address, sizeof en->address, db_col_text(st, i++));
	text_copy(en->person_status, sizeof en->person_status, db_col_text(st, i++));
	en->auto_categories = (unsigned)db_col_int(st, i++);
	en->manual_categories = (unsigned)db_col_int(st, i++);
	en->categories = (unsigned)db_col_int(st, i++);
	en->frequency_days = (int)db_col_int(st, i++);
	text_copy(en->status, sizeof en->status, db_col_text(st, i++));
	text_copy(en->close_kind, sizeof en->close_kind, db_col_text(st, i++));
	text_copy(en->close_reason, sizeof en->close_reason, db_col_text(st, i++));
	text_copy(en->closed_on, sizeof en->closed_on, db_col_text(st, i++));
	text_copy(en->joined_on, sizeof en->joined_on, db_col_text(st, i++));
	text_copy(en->source, sizeof en->source, db_col_text(st, i++));
	en->helper.user_id = db_col_int(st, i++);
	text_copy(en->helper.username, sizeof en->helper.username, db_col_text(st, i++));
	text_copy(en->helper.role, sizeof en->helper.role, db_col_text(st, i++));
	text_copy(en->helper.region_code, sizeof en->helper.region_code, db_col_text(st, i++));
	text_copy(en->helper.name, sizeof en->helper.name, db_col_text(st, i++));
	text_copy(en->helper.phone, sizeof en->helper.phone, db_col_text(st, i++));
	text_copy(en->note, sizeof en->note, db_col_text(st, i++));
	text_copy(en->last_visit_on, sizeof en->last_visit_on, db_col_text(st, i++));
	text_copy(en->next_due, sizeof en->next_due, db_col_text(st, i++));
	en->visits = db_col_int(st, i++);
	en->open_needs = db_col_int(st, i++);
	text_copy(en->created_at, sizeof en->created_at, db_col_text(st, i++));
	text_copy(en->updated_at, sizeof en->updated_at, db_col_text(st, i++));
}

/* ---- query building ---- */

static void qb_push(struct ledger_qb *q, int kind, int64_t i, const char *s, const struct scope *sc)
{
	if (q->n >= (int)(sizeof q->v / sizeof q->v[0])) {
		q->failed = 1;
		return;
	}
	q->v[q->n].kind = kind;
	q->v[q->n].i = i;
	text_copy(q->v[q->n].s, sizeof q->v[q->n].s, s ? s : "");
	q->v[q->n].scope = sc;
	q->n++;
}

void ledger_qb_sql(struct ledger_qb *q, const char *fragment)
{
	if (strbuf_addstr(q->sql, fragment) < 0)
		q->failed = 1;
}

void ledger_qb_int(struct ledger_qb *q, const char *fragment, int64_t v)
{
	ledger_qb_sql(q, fragment);
	qb_push(q, 0, v, NULL, NULL);
}

void ledger_qb_text(struct ledger_qb *q, const char *fragment, const char *v)
{
	ledger_qb_sql(q, fragment);
	qb_push(q, 1, 0, v, NULL);
}

void ledger_qb_scope(struct ledger_qb *q, const struct scope *s, const char *col)
{
	ledger_qb_sql(q, " AND ");
	if (scope_sql(q->sql, s, col) < 0)
		q->failed = 1;
	qb_push(q, 2, 0, NULL, s);
}

void ledger_qb_prefix(struct ledger_qb *q, const char *col, const char *prefix)
{
	if (strbuf_addf(q->sql, " AND (%s >= ? AND %s < ?)", col, col) < 0)
		q->failed = 1;
	qb_push(q, 3, 0, prefix, NULL);
}

struct db_stmt *ledger_qb_prepare(struct db *db, struct ledger_qb *q, struct err *e)
{
	if (q->failed) {
		err_oom(e);
		return NULL;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(q->sql), e);
	if (!st)
		return NULL;
	int idx = 1;
	for (int i = 0; i < q->n; i++) {
		switch (q->v[i].kind) {
		case 0:
			db_bind_int(st, idx++, q->v[i].i);
			break;
		case 1:
			db_bind_text(st, idx++, q->v[i].s);
			break;
		case 2:
			idx = scope_bind(st, q->v[i].scope, idx);
			break;
		default:
			idx = scope_bind_prefix(st, q->v[i].s, idx);
			break;
		}
	}
	return st;
}

void ledger_area_of(const struct actor *a, const char *region, char area[16])
{
	if (region && *region)
		text_copy(area, 16, region);
	else if (a->scope.n == 1)
		text_copy(area, 16, a->scope.prefix[0]);
	else
		area[0] = '\0';
}

void ledger_qb_area(struct ledger_qb *qb, const struct actor *a, const char *area)
{
	size_t n = strlen(area);
	if (n == 6) {
		ledger_qb_text(qb, " AND substr(e.region_code, 1, 6) = ?", area);
		ledger_qb_scope(qb, &a->scope, "e.region_code || ''");
	} else if (n == 12) {
		ledger_qb_text(qb, " AND e.region_code = ?", area);
		ledger_qb_scope(qb, &a->scope, "e.region_code");
	} else if (n >= 7) {
		/* a township: its county's index, in the lists' order, filtered to the township
		 * (a range over the village index would read every entry of it, then sort) */
		char county[7];
		memcpy(county, area, 6);
		county[6] = '\0';
		ledger_qb_text(qb, " AND substr(e.region_code, 1, 6) = ?", county);
		ledger_qb_prefix(qb, "e.region_code || ''", area);
		ledger_qb_scope(qb, &a->scope, "e.region_code || ''");
	} else {
		if (n)
			ledger_qb_prefix(qb, "e.region_code || ''", area);
		ledger_qb_scope(qb, &a->scope, "e.region_code || ''");
	}
}

/* ---- the visit frequency ---- */

int ledger_days_for(struct db *db, struct ledger_days_cache *c, const char *unit,
		    const char *month, const int **days, struct err *e)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->slot[i].unit, unit) == 0 && strcmp(c->slot[i].month, month) == 0) {
			*days = c->slot[i].days;
			return 0;
		}
	int k = c->n < (int)(sizeof c->slot / sizeof c->slot[0]) ? c->n++ : 0;
	text_copy(c->slot[k].unit, sizeof c->slot[k].unit, unit);
	text_copy(c->slot[k].month, sizeof c->slot[k].month, month);
	const struct ledger_category_def *defs = ledger_category_defs();
	for (int i = 0; i < LEDGER_NCAT; i++) {
		int64_t v = 0;
		struct err ignore;
		if (!unit[0] || policy_value(db, unit, "all", defs[i].policy_key, month, &v, &ignore) < 0) {
			if (unit[0] && strcmp(ignore.code, "policy_missing") != 0 &&
			    strcmp(ignore.code, "invalid_region") != 0) {
				c->n = k; /* not cached: the next call tries again */
				if (e)
					*e = ignore;
				return -1;
			}
			v = 0;
		}
		c->slot[k].days[i] = (int)v;
	}
	*days = c->slot[k].days;
	return 0;
}

int ledger_schedule(struct db *db, struct ledger_days_cache *c, const char *unit,
		    unsigned categories, const char *joined_on, const char *last_visit_on,
		    int strict, int *freq, char next_due[11], struct err *e)
{
	const char *base = last_visit_on && *last_visit_on ? last_visit_on : joined_on;
	char month[8];
	const int *days;
	struct err why;
	text_copy(month, sizeof month, base);
	*freq = 0;
	if (ledger_days_for(db, c, unit, month, &days, e) < 0)
		return -1;
	if (categories && ledger_frequency(categories, days, freq, NULL, &why) < 0) {
		*freq = 0;
		if (strict) {
			if (e)
				*e = why;
			return -1;
		}
	}
	ledger_next_due(joined_on, last_visit_on, *freq, next_due);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* reading entries                                                                            */
/* ------------------------------------------------------------------------------------------ */

static int need_ledger(const struct actor *a, struct err *e)
{
	return actor_can(a, PERM_LEDGER) ? 0 : ledger_forbidden(e);
}

/* A read transaction unless one is open: 1 when begun here (end it with read_end), 0, -1. */
static int read_begin(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

static void read_end(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db);
}

/* The entry `id` when it lies in the actor's scope: 0, or -1 with 404. */
static int entry_load(struct db *db, const struct actor *a, int64_t id, struct ledger_entry *en,
		      struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (id <= 0)
		return ledger_not_found(e);
	if (strbuf_addstr(&sql, "SELECT " LEDGER_ENTRY_COLS "FROM ledger_entries e" LEDGER_ENTRY_JOINS
				"WHERE e.person_id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "e.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		ledger_entry_read(st, en);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : ledger_not_found(e);
}

/* Scope first: an entry outside the actor's scope is 404 before anything about the input is
 * said (so a refusal never hints at what lies outside). Applies the pending sync first. */
static int entry_in_scope(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	struct ledger_entry *en = malloc(sizeof *en);
	if (!en)
		return err_oom(e);
	int rc = ledger_refresh(db, a, e);
	if (rc == 0)
		rc = entry_load(db, a, id, en, e);
	free(en);
	return rc;
}

static int contact_load(struct db *db, const char *code, struct ledger_contact *c, struct err *e)
{
	memset(c, 0, sizeof *c);
	text_copy(c->township_code, sizeof c->township_code, code);
	if (strlen(c->township_code) > 9)
		c->township_code[9] = '\0';
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT coalesce(r.name, ''), coalesce(c.phone, ''), coalesce(c.note, ''), "
	    "coalesce(c.set_by, ''), coalesce(c.set_at, '') FROM (SELECT ? AS code) k "
	    "LEFT JOIN regions r ON r.code = k.code LEFT JOIN ledger_contacts c ON "
	    "c.township_code = k.code",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, c->township_code);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(c->township_name, sizeof c->township_name, db_col_text(st, 0));
		text_copy(c->phone, sizeof c->phone, db_col_text(st, 1));
		text_copy(c->note, sizeof c->note, db_col_text(st, 2));
		text_copy(c->set_by, sizeof c->set_by, db_col_text(st, 3));
		text_copy(c->set_at, sizeof c->set_at, db_col_text(st, 4));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static void visit_read(struct db_stmt *st, struct ledger_visit *v)
{
	int i = 0;
	memset(v, 0, sizeof *v);
	v->id = db_col_int(st, i++);
	v->entry_id = db_col_int(st, i++);
	text_copy(v->region_code, sizeof v->region_code, db_col_text(st, i++));
	text_copy(v->visited_on, sizeof v->visited_on, db_col_text(st, i++));
	text_copy(v->mode, sizeof v->mode, db_col_text(st, i++));
	text_copy(v->visitor, sizeof v->visitor, db_col_text(st, i++));
	text_copy(v->findings, sizeof v->findings, db_col_text(st, i++));
	text_copy(v->actions, sizeof v->actions, db_col_text(st, i++));
	text_copy(v->due_on, sizeof v->due_on, db_col_text(st, i++));
	text_copy(v->next_due, sizeof v->next_due, db_col_text(st, i++));
	v->late_days = (int)db_col_int(st, i++);
	text_copy(v->recorded_by, sizeof v->recorded_by, db_col_text(st, i++));
	text_copy(v->recorded_at, sizeof v->recorded_at, db_col_text(st, i++));
}

#define NEED_COLS                                                                                  \
	"id, person_id, visit_id, kind, detail, raised_on, status, resolved_on, resolution, "      \
	"resolved_by, coalesce(relief_grant_id, 0) "

static void need_read(struct db_stmt *st, struct ledger_need *n)
{
	int i = 0;
	memset(n, 0, sizeof *n);
	n->id = db_col_int(st, i++);
	n->entry_id = db_col_int(st, i++);
	n->visit_id = db_col_int(st, i++);
	text_copy(n->kind, sizeof n->kind, db_col_text(st, i++));
	text_copy(n->detail, sizeof n->detail, db_col_text(st, i++));
	text_copy(n->raised_on, sizeof n->raised_on, db_col_text(st, i++));
	text_copy(n->status, sizeof n->status, db_col_text(st, i++));
	text_copy(n->resolved_on, sizeof n->resolved_on, db_col_text(st, i++));
	text_copy(n->resolution, sizeof n->resolution, db_col_text(st, i++));
	text_copy(n->resolved_by, sizeof n->resolved_by, db_col_text(st, i++));
	n->relief_grant_id = db_col_int(st, i++);
}

static int detail_load(struct db *db, const struct actor *a, int64_t id,
		       struct ledger_entry_detail *d, struct err *e)
{
	int rc, alloc = 0;
	if (entry_load(db, a, id, &d->entry, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT id, person_id, region_code, visited_on, mode, visitor, findings, actions, due_on, "
	    "next_due, late_days, recorded_by, recorded_at FROM ledger_visits WHERE person_id = ? "
	    "ORDER BY visited_on DESC, id DESC LIMIT ?",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, LEDGER_VISITS_SHOWN);
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->visits, d->n_visits, &alloc, sizeof *d->visits, 16) < 0) {
			db_done(st);
			return err_oom(e);
		}
		visit_read(st, &d->visits[d->n_visits++]);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	d->visits_total = d->entry.visits;
	st = db_prepare(db,
			"SELECT " NEED_COLS "FROM ledger_needs WHERE person_id = ? "
			"ORDER BY status <> 'open', raised_on DESC, id DESC LIMIT 500",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->needs, d->n_needs, &alloc, sizeof *d->needs, 8) < 0) {
			db_done(st);
			return err_oom(e);
		}
		need_read(st, &d->needs[d->n_needs++]);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return contact_load(db, d->entry.region_code, &d->contact, e);
}

int ledger_entry_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct ledger_entry_detail *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (need_ledger(a, e) < 0 || ledger_refresh(db, a, e) < 0)
		return -1;
	if (unmask) {
		if (!actor_can(a, PERM_REGISTRY_UNMASK))
			return err_set(e, 403, "forbidden", NULL, "您没有查看完整身份证号和电话的权限");
		if (db_begin_write(db, e) < 0)
			return -1;
		int rc = detail_load(db, a, id, out, e);
		if (rc == 0)
			rc = ledger_audit(db, a, "ledger.unmask", id, NULL, e);
		if (ledger_finish(db, rc, e) < 0) {
			ledger_entry_detail_release(out);
			return -1;
		}
		out->unmasked = 1;
		return 0;
	}
	int began = read_begin(db, e);
	if (began < 0)
		return -1;
	int rc = detail_load(db, a, id, out, e);
	read_end(db, began);
	if (rc < 0)
		ledger_entry_detail_release(out);
	return rc;
}

void ledger_entry_detail_release(struct ledger_entry_detail *d)
{
	free(d->visits);
	free(d->needs);
	d->visits = NULL;
	d->needs = NULL;
	d->n_visits = d->n_needs = 0;
}

/* The WHERE clause of an entry list (after "WHERE 1"). */
static int list_where(struct ledger_qb *qb, const struct actor *a, const struct ledger_query *q,
		      const char *as_of, int cat, struct err *e)
{
	const int active = !q->status[0] || strcmp(q->status, "active") == 0;
	if (active) {
		/* the active entries: by the due-date indexes, already in the list's order */
		char area[16];
		ledger_area_of(a, q->region, area);
		ledger_qb_area(qb, a, area);
		ledger_qb_sql(qb, " AND e.status = 'active'");
	} else if (strcmp(q->status, "closed") == 0 || strcmp(q->status, "all") == 0) {
		ledger_qb_scope(qb, &a->scope, "e.region_code");
		if (q->region[0])
			ledger_qb_prefix(qb, "e.region_code", q->region);
		if (strcmp(q->status, "closed") == 0)
			ledger_qb_sql(qb, " AND e.status = 'closed'");
	} else {
		return err_set(e, 400, "invalid_value", "status", "状态应为 active、closed 或 all");
	}
	if (cat >= 0)
		ledger_qb_int(qb, " AND (e.categories & ?) != 0", (int64_t)LEDGER_CAT_BIT(cat));
	if (q->due)
		ledger_qb_text(qb, " AND e.status = 'active' AND e.next_due <= ?", as_of);
	if (q->helper > 0)
		ledger_qb_int(qb, " AND e.helper_user_id = ?", q->helper);
	if (q->q[0]) {
		long chars = utf8_text_chars(q->q, 0);
		if (chars <= 0)
			return err_set(e, 400, "invalid_value", "q", "姓名含有无效字符");
		ledger_qb_int(qb, " AND substr(p.name, 1, ?)", chars);
		ledger_qb_text(qb, " = ?", q->q);
	}
	return 0;
}

int ledger_entry_list(struct db *db, const struct actor *a, const struct ledger_query *q,
		      struct ledger_page *out, struct err *e)
{
	char as_of[11];
	int cat = -1, alloc = 0, rc = -1;
	memset(out, 0, sizeof *out);
	if (need_ledger(a, e) < 0 || ledger_region_check(a, q->region, e) < 0)
		return -1;
	if (q->category[0] && (cat = ledger_category_find(q->category)) < 0)
		return err_set(e, 400, "invalid_value", "category", "困难类别无效");
	if (q->as_of[0] && !ledger_date_valid(q->as_of))
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
	if (q->as_of[0])
		text_copy(as_of, sizeof as_of, q->as_of);
	else
		ledger_today(as_of);
	const int limit = q->limit > 0 && q->limit <= LEDGER_PAGE_MAX ? q->limit : 20;
	if (ledger_refresh(db, a, e) < 0)
		return -1;
	int began = read_begin(db, e);
	if (began < 0)
		return -1;

	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	ledger_qb_sql(&qb, "SELECT count(*) FROM ledger_entries e");
	if (q->q[0])
		ledger_qb_sql(&qb, " JOIN persons p ON p.id = e.person_id");
	ledger_qb_sql(&qb, " WHERE 1");
	if (list_where(&qb, a, q, as_of, cat, e) < 0)
		goto out;
	struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
	if (!st)
		goto out;
	int counted = db_step(st, e);
	if (counted == 1)
		out->total = db_col_int(st, 0);
	db_done(st);
	if (counted < 0)
		goto out;

	strbuf_reset(&sql);
	memset(&qb, 0, sizeof qb);
	qb.sql = &sql;
	ledger_qb_sql(&qb, "SELECT " LEDGER_ENTRY_COLS "FROM ledger_entries e" LEDGER_ENTRY_JOINS
			   "WHERE 1");
	if (list_where(&qb, a, q, as_of, cat, e) < 0)
		goto out;
	if (!q->status[0] || strcmp(q->status, "active") == 0)
		ledger_qb_int(&qb, " ORDER BY e.next_due, e.region_code, e.person_id LIMIT ?", limit);
	else
		ledger_qb_int(&qb, " ORDER BY e.status <> 'active', e.next_due, e.region_code, "
				   "e.person_id LIMIT ?", limit);
	ledger_qb_int(&qb, " OFFSET ?", q->offset > 0 ? q->offset : 0);
	if (!(st = ledger_qb_prepare(db, &qb, e)))
		goto out;
	int step;
	while ((step = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, limit) < 0) {
			db_done(st);
			err_oom(e);
			goto out;
		}
		ledger_entry_read(st, &out->items[out->n++]);
	}
	db_done(st);
	rc = step < 0 ? -1 : 0;
out:
	strbuf_release(&sql);
	read_end(db, began);
	if (rc < 0)
		ledger_page_release(out);
	return rc;
}

void ledger_page_release(struct ledger_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* changing entries                                                                           */
/* ------------------------------------------------------------------------------------------ */

static void now_iso(char out[32])
{
	clock_now_iso(out);
}

static int open_needs_count(struct db *db, int64_t id, int64_t *n, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT count(*) FROM ledger_needs WHERE person_id = ? AND status = 'open'", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	*n = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* Write back what a change decided: categories, schedule, status and note of en. */
static int entry_save(struct db *db, const struct ledger_entry *en, struct err *e)
{
	char now[32];
	now_iso(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE ledger_entries SET auto_categories = ?, manual_categories = ?, categories = ?, "
	    "frequency_days = ?, status = ?, close_kind = ?, close_reason = ?, closed_on = ?, "
	    "note = ?, last_visit_on = ?, next_due = ?, visits = ?, open_needs = ?, "
	    "helper_user_id = nullif(?, 0), updated_at = ? WHERE person_id = ?",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, en->auto_categories);
	db_bind_int(st, 2, en->manual_categories);
	db_bind_int(st, 3, en->auto_categories | en->manual_categories);
	db_bind_int(st, 4, en->frequency_days);
	db_bind_text(st, 5, en->status);
	db_bind_text(st, 6, en->close_kind);
	db_bind_text(st, 7, en->close_reason);
	db_bind_text(st, 8, en->closed_on);
	db_bind_text(st, 9, en->note);
	db_bind_text(st, 10, en->last_visit_on);
	db_bind_text(st, 11, en->next_due);
	db_bind_int(st, 12, en->visits);
	db_bind_int(st, 13, en->open_needs);
	db_bind_int(st, 14, en->helper.user_id);
	db_bind_text(st, 15, now);
	db_bind_int(st, 16, en->id);
	return db_run(st, e);
}

/* Recompute the frequency and due date of en from its categories and visits (not strict: a
 * missing parameter leaves it due at its last visit). */
static int entry_reschedule(struct db *db, struct ledger_entry *en, struct err *e)
{
	struct ledger_days_cache *c = calloc(1, sizeof *c);
	if (!c)
		return err_oom(e);
	int rc = ledger_schedule(db, c, en->unit_code, en->auto_categories | en->manual_categories,
				 en->joined_on, en->last_visit_on, 0, &en->frequency_days,
				 en->next_due, e);
	free(c);
	return rc;
}

static void categories_detail(char *buf, size_t n, unsigned mask)
{
	const struct ledger_category_def *defs = ledger_category_defs();
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < LEDGER_NCAT; i++)
		if (mask & LEDGER_CAT_BIT(i)) {
			int w = snprintf(buf + used, n - used, "%s%s", used ? "," : "", defs[i].code);
			if (w < 0 || (size_t)w >= n - used)
				return;
			used += (size_t)w;
		}
}

static int add_txn(struct db *db, const struct actor *a, const struct ledger_add_in *in,
		   const char *joined, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	char region[16] = "", unit[16] = "", pstatus[8] = "", now[32], cats[400], detail[512];
	int64_t household = 0;
	if (strbuf_addstr(&sql, "SELECT p.household_id, p.region_code, coalesce(r.unit_code, ''), "
				"p.status FROM persons p LEFT JOIN regions r ON r.code = p.region_code "
				"WHERE p.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "p.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, in->person_id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1) {
		household = db_col_int(st, 0);
		text_copy(region, sizeof region, db_col_text(st, 1));
		text_copy(unit, sizeof unit, db_col_text(st, 2));
		text_copy(pstatus, sizeof pstatus, db_col_text(st, 3));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", "person_id", "该人员不存在或不在您的管辖范围内");
	if (strcmp(pstatus, "active") != 0)
		return err_set(e, 409, "person_removed", "person_id", "该人员已注销，不能登记入台账");

	unsigned auto_mask = 0;
	if (ledger_basis_person(db, in->person_id, &auto_mask, e) < 0)
		return -1;
	struct ledger_entry en;
	memset(&en, 0, sizeof en);
	rc = entry_load(db, a, in->person_id, &en, e);
	const int reopened = rc == 0;
	if (reopened) {
		if (strcmp(en.status, "active") == 0)
			return err_set(e, 409, "entry_exists", "person_id",
				       "该人员已在台账中（%s），请在台账中修改其困难类别", en.region_name);
		/* a closed entry comes back with what was seen now */
		en.manual_categories |= in->manual_categories;
		en.auto_categories = auto_mask;
		text_copy(en.status, sizeof en.status, "active");
		en.close_kind[0] = en.close_reason[0] = en.closed_on[0] = '\0';
		if (!text_blank(in->note))
			text_copy(en.note, sizeof en.note, in->note);
		if (entry_reschedule(db, &en, e) < 0 || entry_save(db, &en, e) < 0)
			return -1;
	} else {
		if (strcmp(e->code, "not_found") != 0)
			return -1;
		err_clear(e);
		int freq = 0;
		char due[11];
		struct ledger_days_cache *c = calloc(1, sizeof *c);
		if (!c)
			return err_oom(e);
		rc = ledger_schedule(db, c, unit, auto_mask | in->manual_categories, joined, "", 0,
				     &freq, due, e);
		free(c);
		if (rc < 0)
			return -1;
		now_iso(now);
		st = db_prepare(
		    db,
		    "INSERT INTO ledger_entries(person_id, household_id, region_code, unit_code, "
		    "auto_categories, manual_categories, categories, frequency_days, status, joined_on, "
		    "source, note, next_due, created_at, updated_at) "
		    "VALUES (?,?,?,?,?,?,?,?,'active',?,'manual',?,?,?,?)",
		    e);
		if (!st)
			return -1;
		db_bind_int(st, 1, in->person_id);
		db_bind_int(st, 2, household);
		db_bind_text(st, 3, region);
		db_bind_text(st, 4, unit);
		db_bind_int(st, 5, auto_mask);
		db_bind_int(st, 6, in->manual_categories);
		db_bind_int(st, 7, auto_mask | in->manual_categories);
		db_bind_int(st, 8, freq);
		db_bind_text(st, 9, joined);
		db_bind_text(st, 10, in->note);
		db_bind_text(st, 11, due);
		db_bind_text(st, 12, now);
		db_bind_text(st, 13, now);
		if (db_run(st, e) < 0)
			return -1;
	}
	categories_detail(cats, sizeof cats, in->manual_categories);
	snprintf(detail, sizeof detail, "{\"categories\":\"%s\",\"reopened\":%s}", cats,
		 reopened ? "true" : "false");
	return ledger_audit(db, a, "ledger.add", in->person_id, detail, e);
}

int ledger_entry_add(struct db *db, const struct actor *a, const struct ledger_add_in *in,
		     struct err *e)
{
	char joined[11], today[11];
	if (need_ledger(a, e) < 0)
		return -1;
	if (in->person_id <= 0)
		return err_set(e, 400, "required", "person_id", "请选择要登记的人员");
	if (!in->manual_categories)
		return err_set(e, 400, "required", "categories", "请至少选择一个困难类别");
	if (in->manual_categories & ~LEDGER_CAT_ALL)
		return err_set(e, 400, "invalid_value", "categories", "困难类别无效");
	for (int i = 0; i < LEDGER_NCAT; i++)
		if ((in->manual_categories & LEDGER_CAT_BIT(i)) && !ledger_category_defs()[i].manual)
			return err_set(e, 400, "invalid_value", "categories",
				       "%s由救助名册自动认定，不能手工登记",
				       ledger_category_defs()[i].label);
	if (text_check(in->note, LEDGER_NOTE_CHARS, 0, 1, "note", "备注", e) < 0)
		return -1;
	ledger_today(today);
	if (in->joined_on[0]) {
		if (!ledger_date_valid(in->joined_on))
			return err_set(e, 400, "invalid_value", "joined_on",
				       "日期应为 YYYY-MM-DD 格式的有效日期");
		if (strcmp(in->joined_on, today) > 0)
			return err_set(e, 400, "invalid_value", "joined_on", "登记日期不能晚于今天");
		text_copy(joined, sizeof joined, in->joined_on);
	} else {
		text_copy(joined, sizeof joined, today);
	}
	/* inside the caller's transaction (an import, which refreshed before it began): the
	 * caller commits or rolls back */
	if (db_in_transaction(db))
		return add_txn(db, a, in, joined, e);
	if (ledger_refresh(db, a, e) < 0 || db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, add_txn(db, a, in, joined, e), e);
}

static int update_txn(struct db *db, const struct actor *a, int64_t id, int has_categories,
		      unsigned manual, const char *note, struct err *e)
{
	struct ledger_entry en;
	char cats[400], detail[512];
	if (entry_load(db, a, id, &en, e) < 0)
		return -1;
	if (has_categories) {
		if (strcmp(en.status, "active") == 0 && !(en.auto_categories | manual))
			return err_set(e, 409, "no_category", "categories",
				       "在册对象至少要有一个困难类别；不再需要关注请办理销号");
		en.manual_categories = manual;
	}
	if (note)
		text_copy(en.note, sizeof en.note, note);
	if (entry_reschedule(db, &en, e) < 0 || entry_save(db, &en, e) < 0)
		return -1;
	categories_detail(cats, sizeof cats, en.manual_categories);
	snprintf(detail, sizeof detail, "{\"manual_categories\":\"%s\",\"note\":%s}", cats,
		 note ? "true" : "false");
	return ledger_audit(db, a, "ledger.update", id, detail, e);
}

int ledger_entry_update(struct db *db, const struct actor *a, int64_t id, int has_categories,
			unsigned manual_categories, const char *note, struct err *e)
{
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0)
		return -1;
	if (has_categories) {
		if (manual_categories & ~LEDGER_CAT_ALL)
			return err_set(e, 400, "invalid_value", "categories", "困难类别无效");
		for (int i = 0; i < LEDGER_NCAT; i++)
			if ((manual_categories & LEDGER_CAT_BIT(i)) && !ledger_category_defs()[i].manual)
				return err_set(e, 400, "invalid_value", "categories",
					       "%s由救助名册自动认定，不能手工登记",
					       ledger_category_defs()[i].label);
	}
	if (note && text_check(note, LEDGER_NOTE_CHARS, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (!has_categories && !note)
		return err_set(e, 400, "required", NULL, "请提供要修改的困难类别或备注");
	if (db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, update_txn(db, a, id, has_categories, manual_categories, note, e), e);
}

/* ---- helpers ---- */

/* 1 when the role may work the ledger. */
static int role_works_ledger(const char *role)
{
	uint32_t perms = 0;
	return roles_perms(role, &perms) == 0 && (perms & PERM_LEDGER) == PERM_LEDGER;
}

static int assign_txn(struct db *db, const struct actor *a, int64_t id,
		      const struct ledger_assign_in *in, struct err *e)
{
	struct ledger_entry en;
	char username[64] = "", role[32] = "", region[16] = "", now[32], detail[256];
	int64_t uid = 0, disabled = 0;
	if (entry_load(db, a, id, &en, e) < 0)
		return -1;
	struct db_stmt *st =
	    in->user_id > 0
		? db_prepare(db, "SELECT id, username, role, region_code, disabled FROM users WHERE id = ?", e)
		: db_prepare(db, "SELECT id, username, role, region_code, disabled FROM users WHERE username = ?", e);
	if (!st)
		return -1;
	if (in->user_id > 0)
		db_bind_int(st, 1, in->user_id);
	else
		db_bind_text(st, 1, in->username);
	int rc = db_step(st, e);
	if (rc == 1) {
		uid = db_col_int(st, 0);
		text_copy(username, sizeof username, db_col_text(st, 1));
		text_copy(role, sizeof role, db_col_text(st, 2));
		text_copy(region, sizeof region, db_col_text(st, 3));
		disabled = db_col_int(st, 4);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	const char *field = in->user_id > 0 ? "helper_user_id" : "helper_username";
	if (rc == 0)
		return err_set(e, 409, "invalid_helper", field, "没有这个用户");
	if (disabled)
		return err_set(e, 409, "invalid_helper", field, "用户 %s 已停用，不能担任包帮责任人",
			       username);
	if (!role_works_ledger(role))
		return err_set(e, 409, "invalid_helper", field,
			       "用户 %s 的角色不办理困难群众台账，不能担任包帮责任人", username);
	struct scope hs;
	struct err why;
	if (accounts_resolve_scope(db, region, &hs, &why) < 0 ||
	    !scope_contains(&hs, en.region_code))
		return err_set(e, 409, "invalid_helper", field,
			       "用户 %s 的管辖范围不包括%s，不能担任该对象的包帮责任人", username,
			       en.region_name);

	/* the name and phone the household is given: new ones, or those on file */
	char name[LEDGER_SZ(LEDGER_NAME_CHARS)] = "", phone[24] = "";
	int on_file = 0;
	st = db_prepare(db, "SELECT name, phone FROM ledger_helpers WHERE user_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, uid);
	if ((rc = db_step(st, e)) == 1) {
		on_file = 1;
		text_copy(name, sizeof name, db_col_text(st, 0));
		text_copy(phone, sizeof phone, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (!text_blank(in->name)) {
		if (text_check(in->name, LEDGER_NAME_CHARS, 1, 0, "helper_name",
				      "包帮责任人姓名", e) < 0)
			return -1;
		text_copy(name, sizeof name, in->name);
	} else if (!on_file) {
		return err_set(e, 400, "required", "helper_name", "请填写包帮责任人姓名（告知群众）");
	}
	if (!text_blank(in->phone)) {
		if (phone_validate(in->phone, phone, e) < 0) {
			text_copy(e->field, sizeof e->field, "helper_phone");
			return -1;
		}
	} else if (!on_file) {
		return err_set(e, 400, "required", "helper_phone", "请填写包帮责任人联系电话");
	}
	now_iso(now);
	st = db_prepare(db,
			"INSERT INTO ledger_helpers(user_id, name, phone, updated_by, updated_at) "
			"VALUES (?,?,?,?,?) ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, "
			"phone = excluded.phone, updated_by = excluded.updated_by, "
			"updated_at = excluded.updated_at",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, uid);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, phone);
	db_bind_text(st, 4, a->username);
	db_bind_text(st, 5, now);
	if (db_run(st, e) < 0)
		return -1;
	en.helper.user_id = uid;
	if (entry_save(db, &en, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "{\"helper\":\"%s\",\"helper_user_id\":%" PRId64 "}",
		 username, uid);
	return ledger_audit(db, a, "ledger.assign", id, detail, e);
}

int ledger_entry_assign(struct db *db, const struct actor *a, int64_t id,
			const struct ledger_assign_in *in, struct err *e)
{
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0)
		return -1;
	if (in->user_id <= 0 && text_blank(in->username))
		return err_set(e, 400, "required", "helper_user_id", "请选择包帮责任人");
	if (db_in_transaction(db)) /* the caller's (an import): it commits or rolls back */
		return assign_txn(db, a, id, in, e);
	if (db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, assign_txn(db, a, id, in, e), e);
}

/* ---- closing and reopening ---- */

static int close_txn(struct db *db, const struct actor *a, int64_t id, const char *reason,
		     struct err *e)
{
	struct ledger_entry en;
	if (entry_load(db, a, id, &en, e) < 0)
		return -1;
	if (strcmp(en.status, "active") != 0)
		return err_set(e, 409, "entry_closed", NULL, "该对象已销号（%s）", en.close_reason);
	text_copy(en.status, sizeof en.status, "closed");
	text_copy(en.close_kind, sizeof en.close_kind, "manual");
	text_copy(en.close_reason, sizeof en.close_reason, reason);
	ledger_today(en.closed_on);
	if (entry_save(db, &en, e) < 0)
		return -1;
	json_t *d = json_pack("{s:s}", "reason", reason);
	char *detail = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	int rc = ledger_audit(db, a, "ledger.close", id, detail, e);
	free(detail);
	return rc;
}

int ledger_entry_close(struct db *db, const struct actor *a, int64_t id, const char *reason,
		       struct err *e)
{
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0 ||
	    text_check(reason, LEDGER_NOTE_CHARS, 1, 1, "reason", "销号原因", e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, close_txn(db, a, id, reason, e), e);
}

static int reopen_txn(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	struct ledger_entry en;
	if (entry_load(db, a, id, &en, e) < 0)
		return -1;
	if (strcmp(en.status, "active") == 0)
		return err_set(e, 409, "entry_open", NULL, "该对象在册，无需恢复");
	if (strcmp(en.person_status, "active") != 0)
		return err_set(e, 409, "person_removed", NULL, "该人员已从户籍登记中注销，不能恢复");
	if (!(en.auto_categories | en.manual_categories))
		return err_set(e, 409, "no_category", "categories",
			       "该对象已没有困难类别，请先登记困难类别（重新登记入台账）");
	text_copy(en.status, sizeof en.status, "active");
	en.close_kind[0] = en.close_reason[0] = en.closed_on[0] = '\0';
	if (entry_reschedule(db, &en, e) < 0 || entry_save(db, &en, e) < 0)
		return -1;
	return ledger_audit(db, a, "ledger.reopen", id, NULL, e);
}

int ledger_entry_reopen(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0 || db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, reopen_txn(db, a, id, e), e);
}

/* ------------------------------------------------------------------------------------------ */
/* visits and needs                                                                           */
/* ------------------------------------------------------------------------------------------ */

static int resolve_check(const struct ledger_resolve_in *r, const char *field, struct err *e)
{
	if (r->need_id <= 0)
		goto bad_id;
	if (strcmp(r->status, "met") != 0 && strcmp(r->status, "unmet") != 0) {
		err_set(e, 400, "invalid_value", "status", "处理结果应为 met（已解决）或 unmet（无法解决）");
		goto prefix;
	}
	if (text_check(r->resolution, LEDGER_NOTE_CHARS, strcmp(r->status, "unmet") == 0, 1,
			      "resolution", "处理情况（无法解决的须说明原因）", e) < 0)
		goto prefix;
	if (r->date[0] && !ledger_date_valid(r->date)) {
		err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
		goto prefix;
	}
	return 0;
bad_id:
	err_set(e, 400, "required", "need_id", "请指明要处理的需求");
prefix:
	if (field)
		err_prefix_field(e, field);
	return -1;
}

/* Settle need r->need_id of entry id on `day`. */
static int resolve_one(struct db *db, const struct actor *a, int64_t id,
		       const struct ledger_resolve_in *r, const char *day, const char *field,
		       struct err *e)
{
	char status[8] = "";
	struct db_stmt *st =
	    db_prepare(db, "SELECT status FROM ledger_needs WHERE id = ? AND person_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->need_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st, e);
	if (rc == 1)
		text_copy(status, sizeof status, db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		err_set(e, 404, "not_found", "need_id", "该对象没有这条需求记录");
		goto prefix;
	}
	if (ledger_need_resolve_check(status, r->status, e) < 0)
		goto prefix;
	st = db_prepare(db,
			"UPDATE ledger_needs SET status = ?, resolved_on = ?, resolution = ?, "
			"resolved_by = ? WHERE id = ?",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, r->status);
	db_bind_text(st, 2, day);
	db_bind_text(st, 3, r->resolution);
	db_bind_text(st, 4, a->username);
	db_bind_int(st, 5, r->need_id);
	return db_run(st, e);
prefix:
	if (field)
		err_prefix_field(e, field);
	return -1;
}

static int visit_txn(struct db *db, const struct actor *a, int64_t id,
		     const struct ledger_visit_in *in, const char *day, int64_t *visit_id,
		     struct err *e)
{
	struct ledger_entry en;
	char prev[11] = "", due_on[11], next_due[11], now[32], detail[256], field[48];
	int freq_prev = 0, freq = 0, rc = -1;
	struct ledger_days_cache *c = NULL;
	if (entry_load(db, a, id, &en, e) < 0)
		return -1;
	if (strcmp(en.status, "active") != 0)
		return err_set(e, 409, "entry_closed", NULL, "该对象已销号（%s），不能记录走访",
			       en.close_reason);
	if (!(c = calloc(1, sizeof *c)))
		return err_oom(e);
	/* when it was due: after the latest visit on or before this day, or since joining */
	struct db_stmt *st = db_prepare(db,
					"SELECT visited_on FROM ledger_visits WHERE person_id = ? AND "
					"visited_on <= ? ORDER BY visited_on DESC, id DESC LIMIT 1",
					e);
	if (!st)
		goto out;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, day);
	int step = db_step(st, e);
	if (step == 1)
		text_copy(prev, sizeof prev, db_col_text(st, 0));
	db_done(st);
	if (step < 0)
		goto out;
	if (ledger_schedule(db, c, en.unit_code, en.categories, en.joined_on, prev, 0, &freq_prev,
			    due_on, e) < 0)
		goto out;
	int late = ledger_date_diff(day, due_on);
	if (late < 0)
		late = 0;
	const int latest = strcmp(day, en.last_visit_on) >= 0;
	/* the latest visit moves the entry: its frequency must be in force (strict) */
	if (ledger_schedule(db, c, en.unit_code, en.categories, en.joined_on, day, latest, &freq,
			    next_due, e) < 0)
		goto out;

	now_iso(now);
	st = db_prepare(db,
			"INSERT INTO ledger_visits(person_id, region_code, visited_on, mode, visitor, "
			"findings, actions, due_on, next_due, late_days, recorded_by, recorded_at) "
			"VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
			e);
	if (!st)
		goto out;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, en.region_code);
	db_bind_text(st, 3, day);
	db_bind_text(st, 4, in->mode);
	db_bind_text(st, 5, text_blank(in->visitor) ? a->username : in->visitor);
	db_bind_text(st, 6, in->findings);
	db_bind_text(st, 7, in->actions);
	db_bind_text(st, 8, due_on);
	db_bind_text(st, 9, next_due);
	db_bind_int(st, 10, late);
	db_bind_text(st, 11, a->username);
	db_bind_text(st, 12, now);
	if (db_run(st, e) < 0)
		goto out;
	*visit_id = db_last_id(db);
	for (int i = 0; i < in->n_needs; i++) {
		st = db_prepare(db,
				"INSERT INTO ledger_needs(person_id, visit_id, region_code, kind, detail, "
				"raised_on, status, created_at) VALUES (?,?,?,?,?,?,'open',?)",
				e);
		if (!st)
			goto out;
		db_bind_int(st, 1, id);
		db_bind_int(st, 2, *visit_id);
		db_bind_text(st, 3, en.region_code);
		db_bind_text(st, 4, in->needs[i].kind);
		db_bind_text(st, 5, in->needs[i].detail);
		db_bind_text(st, 6, day);
		db_bind_text(st, 7, now);
		if (db_run(st, e) < 0)
			goto out;
	}
	for (int i = 0; i < in->n_resolve; i++) {
		snprintf(field, sizeof field, "resolve[%d]", i);
		if (resolve_one(db, a, id, &in->resolve[i], in->resolve[i].date[0] ? in->resolve[i].date : day,
				field, e) < 0)
			goto out;
	}
	if (latest) {
		text_copy(en.last_visit_on, sizeof en.last_visit_on, day);
		text_copy(en.next_due, sizeof en.next_due, next_due);
		en.frequency_days = freq;
	}
	en.visits++;
	if (open_needs_count(db, id, &en.open_needs, e) < 0 || entry_save(db, &en, e) < 0)
		goto out;
	snprintf(detail, sizeof detail,
		 "{\"visit_id\":%" PRId64 ",\"date\":\"%s\",\"mode\":\"%s\",\"needs\":%d,"
		 "\"resolved\":%d,\"late_days\":%d}",
		 *visit_id, day, in->mode, in->n_needs, in->n_resolve, late);
	rc = ledger_audit(db, a, "ledger.visit", id, detail, e);
out:
	free(c);
	return rc;
}

int ledger_visit_add(struct db *db, const struct actor *a, int64_t id,
		     const struct ledger_visit_in *in, int64_t *visit_id, struct err *e)
{
	char day[11], today[11], field[48];
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0)
		return -1;
	ledger_today(today);
	if (!in->visited_on[0]) {
		text_copy(day, sizeof day, today);
	} else {
		if (!ledger_date_valid(in->visited_on))
			return err_set(e, 400, "invalid_value", "visited_on",
				       "走访日期应为 YYYY-MM-DD 格式的有效日期");
		if (strcmp(in->visited_on, today) > 0)
			return err_set(e, 400, "invalid_value", "visited_on",
				       "走访日期不能晚于今天（%s）", today);
		text_copy(day, sizeof day, in->visited_on);
	}
	if (!in->mode[0])
		return err_set(e, 400, "required", "mode", "请选择走访方式");
	if (!ledger_mode_valid(in->mode))
		return err_set(e, 400, "invalid_value", "mode",
			       "走访方式应为 home（入户）、phone（电话）、wechat（微信）、other 或 survey（摸底）");
	if (text_check(in->visitor, LEDGER_VISITOR_CHARS, 0, 0, "visitor", "走访人", e) < 0 ||
	    text_check(in->findings, LEDGER_TEXT_CHARS, 0, 1, "findings", "走访情况", e) < 0 ||
	    text_check(in->actions, LEDGER_TEXT_CHARS, 0, 1, "actions", "采取的措施", e) < 0)
		return -1;
	if (in->n_needs < 0 || in->n_needs > LEDGER_MAX_NEEDS || in->n_resolve < 0 ||
	    in->n_resolve > LEDGER_MAX_NEEDS)
		return err_set(e, 400, "invalid_value", "needs", "一次走访最多登记 %d 项需求",
			       LEDGER_MAX_NEEDS);
	for (int i = 0; i < in->n_needs; i++) {
		snprintf(field, sizeof field, "needs[%d].kind", i);
		if (!in->needs[i].kind[0])
			return err_set(e, 400, "required", field, "请选择需求类别");
		if (!ledger_need_kind_valid(in->needs[i].kind))
			return err_set(e, 400, "invalid_value", field,
				       "需求类别应为 food、medicine、masks、care、money 或 other");
		snprintf(field, sizeof field, "needs[%d].detail", i);
		if (text_check(in->needs[i].detail, LEDGER_NOTE_CHARS, 0, 1, field, "需求说明",
				      e) < 0)
			return -1;
	}
	for (int i = 0; i < in->n_resolve; i++) {
		snprintf(field, sizeof field, "resolve[%d]", i);
		if (resolve_check(&in->resolve[i], field, e) < 0)
			return -1;
	}
	if (db_begin_write(db, e) < 0)
		return -1;
	int64_t vid = 0;
	int rc = ledger_finish(db, visit_txn(db, a, id, in, day, &vid, e), e);
	if (rc == 0 && visit_id)
		*visit_id = vid;
	return rc;
}

static int need_txn(struct db *db, const struct actor *a, int64_t id,
		    const struct ledger_resolve_in *in, const char *day, struct err *e)
{
	struct ledger_entry en;
	char detail[160];
	if (entry_load(db, a, id, &en, e) < 0 || resolve_one(db, a, id, in, day, NULL, e) < 0 ||
	    open_needs_count(db, id, &en.open_needs, e) < 0 || entry_save(db, &en, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "{\"need_id\":%" PRId64 ",\"status\":\"%s\",\"date\":\"%s\"}",
		 in->need_id, in->status, day);
	return ledger_audit(db, a, "ledger.need", id, detail, e);
}

int ledger_need_resolve(struct db *db, const struct actor *a, int64_t id,
			const struct ledger_resolve_in *in, struct err *e)
{
	char day[11], today[11];
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0 ||
	    resolve_check(in, NULL, e) < 0)
		return -1;
	ledger_today(today);
	text_copy(day, sizeof day, in->date[0] ? in->date : today);
	if (strcmp(day, today) > 0)
		return err_set(e, 400, "invalid_value", "date", "处理日期不能晚于今天（%s）", today);
	if (db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, need_txn(db, a, id, in, day, e), e);
}

/* ---- a need opens a temporary-assistance case ---- */

static int relief_txn(struct db *db, const struct actor *a, int64_t id,
		      const struct ledger_relief_in *in, int64_t *grant_id, int *keep,
		      struct err *e)
{
	struct ledger_entry en;
	char status[8] = "", ref[48], detail[200];
	int64_t visit = 0, linked = 0;
	if (entry_load(db, a, id, &en, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db,
					"SELECT status, visit_id, coalesce(relief_grant_id, 0) FROM "
					"ledger_needs WHERE id = ? AND person_id = ?",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, in->need_id);
	db_bind_int(st, 2, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(status, sizeof status, db_col_text(st, 0));
		visit = db_col_int(st, 1);
		linked = db_col_int(st, 2);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", "need_id", "该对象没有这条需求记录");
	if (linked)
		return err_set(e, 409, "need_relief", "need_id",
			       "该需求已发起临时救助（救助编号 %" PRId64 "）", linked);
	if (strcmp(status, "open") != 0)
		return err_set(e, 409, "need_closed", "need_id", "该需求已处理，不能再发起临时救助");
	snprintf(ref, sizeof ref, "ledger_visit:%" PRId64, visit);
	struct relief_apply_in ri = {
	    .person_id = id,
	    .kind = in->kind,
	    .cause = in->cause,
	    .amount_fen = in->amount_fen,
	    .form = in->form[0] ? in->form : "cash",
	    .goods_note = in->goods_note,
	    .applied_by = "ledger_visit",
	    .source_ref = ref,
	    .pay_first = in->pay_first,
	    .reason = in->reason,
	};
	if (relief_apply(db, a, &ri, grant_id, e) < 0) {
		/* a refused pay-first grant is recorded by the relief module as a replenishment
		 * need the county sees: that row stays, nothing of ours was written */
		*keep = strcmp(e->code, "reserve_insufficient") == 0;
		return -1;
	}
	st = db_prepare(db, "UPDATE ledger_needs SET relief_grant_id = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, *grant_id);
	db_bind_int(st, 2, in->need_id);
	if (db_run(st, e) < 0)
		return -1;
	snprintf(detail, sizeof detail,
		 "{\"need_id\":%" PRId64 ",\"grant_id\":%" PRId64 ",\"amount_fen\":%" PRId64
		 ",\"pay_first\":%s}",
		 in->need_id, *grant_id, in->amount_fen, in->pay_first ? "true" : "false");
	return ledger_audit(db, a, "ledger.relief", id, detail, e);
}

int ledger_need_relief(struct db *db, const struct actor *a, int64_t id,
		       const struct ledger_relief_in *in, int64_t *grant_id, struct err *e)
{
	int keep = 0;
	int64_t gid = 0;
	if (need_ledger(a, e) < 0 || entry_in_scope(db, a, id, e) < 0)
		return -1;
	if (in->need_id <= 0)
		return err_set(e, 400, "required", "need_id", "请指明要发起救助的需求");
	if (db_begin_write(db, e) < 0)
		return -1;
	if (relief_txn(db, a, id, in, &gid, &keep, e) < 0) {
		if (keep) {
			struct err saved = *e;
			if (db_commit(db, e) < 0)
				return -1;
			*e = saved;
			return -1;
		}
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, e) < 0)
		return -1;
	if (grant_id)
		*grant_id = gid;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* helpers, contacts and the notice                                                           */
/* ------------------------------------------------------------------------------------------ */

int ledger_helpers(struct db *db, const struct actor *a, const char *region,
		   int (*fn)(const struct ledger_helper *h, void *ctx), void *ctx, struct err *e)
{
	if (need_ledger(a, e) < 0 || ledger_region_check(a, region, e) < 0)
		return -1;
	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	ledger_qb_sql(&qb, "SELECT u.id, u.username, u.role, u.region_code, coalesce(lh.name, ''), "
			   "coalesce(lh.phone, ''), (SELECT count(*) FROM ledger_entries e WHERE "
			   "e.helper_user_id = u.id AND e.status = 'active') FROM users u LEFT JOIN "
			   "ledger_helpers lh ON lh.user_id = u.id WHERE u.disabled = 0");
	ledger_qb_scope(&qb, &a->scope, "u.region_code");
	if (region && *region)
		ledger_qb_prefix(&qb, "u.region_code", region);
	ledger_qb_sql(&qb, " ORDER BY u.region_code, u.username");
	int began = read_begin(db, e), rc = -1;
	struct db_stmt *st = began < 0 ? NULL : ledger_qb_prepare(db, &qb, e);
	strbuf_release(&sql);
	if (!st)
		goto out;
	int step;
	while ((step = db_step(st, e)) == 1) {
		struct ledger_helper h;
		memset(&h, 0, sizeof h);
		h.user_id = db_col_int(st, 0);
		text_copy(h.username, sizeof h.username, db_col_text(st, 1));
		text_copy(h.role, sizeof h.role, db_col_text(st, 2));
		text_copy(h.region_code, sizeof h.region_code, db_col_text(st, 3));
		text_copy(h.name, sizeof h.name, db_col_text(st, 4));
		text_copy(h.phone, sizeof h.phone, db_col_text(st, 5));
		h.entries = db_col_int(st, 6);
		if (!role_works_ledger(h.role))
			continue;
		if (fn(&h, ctx))
			break;
	}
	db_done(st);
	rc = step < 0 ? -1 : 0;
out:
	if (began >= 0)
		read_end(db, began);
	return rc;
}

/* The region `code` of `level` (0 = township or village) with its name: 0, or -1 with 404. */
static int region_of(struct db *db, const char *code, int *level, char name[128], struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT level, name FROM regions WHERE code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st, e);
	if (rc == 1) {
		*level = (int)db_col_int(st, 0);
		text_copy(name, 128, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : err_set(e, 404, "not_found", NULL, "没有这个区划");
}

static int contact_txn(struct db *db, const struct actor *a, const char *township,
		       const char *phone, const char *note, struct err *e)
{
	char now[32], name[128];
	int level = 0;
	if (region_of(db, township, &level, name, e) < 0)
		return -1;
	if (level != 4)
		return err_set(e, 404, "not_found", NULL, "%s 不是镇（街道）", township);
	now_iso(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO ledger_contacts(township_code, phone, note, set_by, set_at) VALUES "
	    "(?,?,?,?,?) ON CONFLICT (township_code) DO UPDATE SET phone = excluded.phone, "
	    "note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, township);
	db_bind_text(st, 2, phone);
	db_bind_text(st, 3, note ? note : "");
	db_bind_text(st, 4, a->username);
	db_bind_text(st, 5, now);
	if (db_run(st, e) < 0)
		return -1;
	char object[40], detail[96];
	snprintf(object, sizeof object, "township:%s", township);
	snprintf(detail, sizeof detail, "{\"phone\":\"%s\"}", phone);
	return audit_append(db, a, "ledger.contact", object, "ok", detail, e);
}

int ledger_contact_set(struct db *db, const struct actor *a, const char *township,
		       const char *phone, const char *note, struct err *e)
{
	char norm[24];
	if (need_ledger(a, e) < 0)
		return -1;
	/* scope first: a township outside the caller's (or one a village user only sits in) is
	 * not theirs to set, and is answered like any record outside the scope */
	if (!township || strlen(township) != 9 || strspn(township, "0123456789") != 9 ||
	    !scope_covers(&a->scope, township))
		return err_set(e, 404, "not_found", NULL,
			       "该镇（街道）不存在或不在您的管辖范围内（村居工作人员不能设置）");
	if (text_blank(phone))
		return err_set(e, 400, "required", "phone", "请填写 24 小时值守电话");
	if (phone_validate(phone, norm, e) < 0)
		return -1;
	if (text_check(note, 100, 0, 0, "note", "说明", e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		return -1;
	return ledger_finish(db, contact_txn(db, a, township, norm, note, e), e);
}

static int notice_load(struct db *db, const struct actor *a, const char *code,
		       struct ledger_notice *out, struct err *e)
{
	int alloc = 0, rc;
	if (region_of(db, code, &out->level, out->region_name, e) < 0)
		return -1;
	if (out->level != 4 && out->level != 5)
		return err_set(e, 400, "invalid_region", "code", "告示按镇（街道）或村（居）打印");
	if (contact_load(db, code, &out->contact, e) < 0)
		return -1;
	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	ledger_qb_sql(&qb, "SELECT count(*), sum(e.helper_user_id IS NULL) FROM ledger_entries e "
			   "WHERE e.status = 'active'");
	ledger_qb_scope(&qb, &a->scope, "e.region_code");
	ledger_qb_prefix(&qb, "e.region_code", code);
	struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
	if (!st) {
		strbuf_release(&sql);
		return -1;
	}
	if ((rc = db_step(st, e)) == 1) {
		out->entries = db_col_int(st, 0);
		out->unassigned = db_col_int(st, 1);
	}
	db_done(st);
	if (rc < 0) {
		strbuf_release(&sql);
		return -1;
	}
	strbuf_reset(&sql);
	memset(&qb, 0, sizeof qb);
	qb.sql = &sql;
	ledger_qb_sql(&qb, "SELECT u.id, u.username, u.role, u.region_code, coalesce(lh.name, ''), "
			   "coalesce(lh.phone, ''), count(*) FROM ledger_entries e JOIN users u ON "
			   "u.id = e.helper_user_id LEFT JOIN ledger_helpers lh ON lh.user_id = u.id "
			   "WHERE e.status = 'active'");
	ledger_qb_scope(&qb, &a->scope, "e.region_code");
	ledger_qb_prefix(&qb, "e.region_code", code);
	ledger_qb_sql(&qb, " GROUP BY u.id, lh.user_id ORDER BY u.region_code DESC, lh.name, u.username");
	st = ledger_qb_prepare(db, &qb, e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->helpers, out->n_helpers, &alloc, sizeof *out->helpers, 8) < 0) {
			db_done(st);
			return err_oom(e);
		}
		struct ledger_helper *h = &out->helpers[out->n_helpers++];
		memset(h, 0, sizeof *h);
		h->user_id = db_col_int(st, 0);
		text_copy(h->username, sizeof h->username, db_col_text(st, 1));
		text_copy(h->role, sizeof h->role, db_col_text(st, 2));
		text_copy(h->region_code, sizeof h->region_code, db_col_text(st, 3));
		text_copy(h->name, sizeof h->name, db_col_text(st, 4));
		text_copy(h->phone, sizeof h->phone, db_col_text(st, 5));
		h->entries = db_col_int(st, 6);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int ledger_notice_get(struct db *db, const struct actor *a, const char *code,
		      struct ledger_notice *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (need_ledger(a, e) < 0)
		return -1;
	if (!code || (strlen(code) != 9 && strlen(code) != 12) ||
	    strspn(code, "0123456789") != strlen(code) || !scope_contains(&a->scope, code))
		return err_set(e, 404, "not_found", NULL, "该区划不存在或不在您的管辖范围内");
	text_copy(out->region_code, sizeof out->region_code, code);
	if (ledger_refresh(db, a, e) < 0)
		return -1;
	int began = read_begin(db, e);
	if (began < 0)
		return -1;
	int rc = notice_load(db, a, code, out, e);
	read_end(db, began);
	if (rc < 0) {
		free(out->helpers);
		out->helpers = NULL;
		out->n_helpers = 0;
	}
	return rc;
}
