/* ledger_report.c — the overdue list (应访未访: active entries whose visit is due) of a village,
 * township or county, and the ledger's statistics per period and region.
 *
 * The overdue list is the hot path: a county's list over a million entries answers from the
 * partial index on (substr(region_code, 1, 6), next_due, region_code, person_id) — equality on
 * the county keeps the list's order in the index, so the page is the first rows of one index
 * range and needs no sort. The total and the per-township counts are sums over
 * ledger_due_counts (active entries per area and due day, kept by triggers), a few hundred rows
 * whatever the number of entries. A township's page walks its county's index in the same order,
 * skipping the other townships' rows; a village's uses (region_code, next_due, person_id); the
 * city's (and a functional zone's, whose scope is several townships) reads the active entries of
 * the scope and sorts them (the slowest, and the rarest). The page is chosen from the index first
 * and only its rows are joined to the registry.
 * The scope clause from scope_sql() is in every query, even where an area equality already
 * implies it. bench/ledger.c measures it on 1,000,000 entries and 10,000,000 visits.
 */
#include "ledger/ledger_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/array_grow.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "policy/policy.h"

/* The length of the codes one level below an area ("" = the city's counties); several scope
 * prefixes: the longest of them, so that every group lies inside one. */
static int group_len(const struct actor *a, const char *area, const char *region)
{
	size_t n = strlen(area);
	if (!*area && !(region && *region) && a->scope.n > 1) {
		size_t m = 0;
		for (int i = 0; i < a->scope.n; i++)
			if (strlen(a->scope.prefix[i]) > m)
				m = strlen(a->scope.prefix[i]);
		return m >= 12 ? 12 : m >= 9 ? 9 : m >= 6 ? 6 : 4;
	}
	if (n == 0)
		return 6;
	if (n < 4)
		return 4;
	if (n < 6)
		return 6;
	if (n < 9)
		return 9;
	return 12;
}

static void due_where(struct ledger_qb *qb, const struct actor *a, const char *area)
{
	ledger_qb_area(qb, a, area);
	ledger_qb_sql(qb, " AND e.status = 'active'");
}

/* The level of ledger_due_counts rows a count over `area` sums: the area's own level, or the
 * next level down for a prefix between levels (the city's, "3707", sums its counties); with
 * several scope prefixes (a functional zone's townships) the level of the longest. */
static int level_at_or_below(size_t n)
{
	return n <= 6 ? 6 : n <= 9 ? 9 : 12;
}

static int count_len(const struct actor *a, const char *area)
{
	size_t n = strlen(area);
	if (n)
		return level_at_or_below(n);
	size_t m = 0;
	for (int i = 0; i < a->scope.n; i++)
		if (strlen(a->scope.prefix[i]) > m)
			m = strlen(a->scope.prefix[i]);
	return level_at_or_below(m);
}

/* " FROM ledger_due_counts c WHERE c.len = ? AND <area> AND <scope>" */
static void counts_where(struct ledger_qb *qb, const struct actor *a, const char *area, int len)
{
	ledger_qb_int(qb, " FROM ledger_due_counts c WHERE c.len = ?", len);
	if ((int)strlen(area) == len)
		ledger_qb_text(qb, " AND c.area = ?", area);
	else if (*area)
		ledger_qb_prefix(qb, "c.area", area);
	ledger_qb_scope(qb, &a->scope, "c.area");
}

static int groups_load(struct db *db, const struct actor *a, const char *area, int glen,
		       const char *as_of, struct ledger_group **out, int *n, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	int alloc = 0, rc;
	ledger_qb_text(&qb, "SELECT k.g, coalesce(r.name, ''), k.n, k.o FROM (SELECT c.area AS g, "
			    "sum(c.n) AS n, sum(CASE WHEN c.next_due <= ? THEN c.n ELSE 0 END) AS o",
		       as_of);
	counts_where(&qb, a, area, glen);
	ledger_qb_sql(&qb, " GROUP BY c.area HAVING sum(c.n) > 0) k LEFT JOIN regions r ON "
			   "r.code = k.g ORDER BY k.g");
	struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 16) < 0) {
			db_done(st);
			return err_oom(e);
		}
		struct ledger_group *g = &(*out)[(*n)++];
		memset(g, 0, sizeof *g);
		text_copy(g->region_code, sizeof g->region_code, db_col_text(st, 0));
		text_copy(g->name, sizeof g->name, db_col_text(st, 1));
		g->active = db_col_int(st, 2);
		g->overdue = db_col_int(st, 3);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int overdue_load(struct db *db, const struct actor *a, const char *area, int glen,
			int limit, int64_t offset, int groups, struct ledger_overdue *out,
			struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	int64_t ids[LEDGER_PAGE_MAX];
	int nids = 0, rc;
	/* the total: a sum over the due-day counts (one row per area and day) */
	ledger_qb_sql(&qb, "SELECT coalesce(sum(c.n), 0)");
	counts_where(&qb, a, area, count_len(a, area));
	ledger_qb_text(&qb, " AND c.next_due <= ?", out->as_of);
	struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
	if (!st)
		goto fail;
	if ((rc = db_step(st, e)) == 1)
		out->page.total = db_col_int(st, 0);
	db_done(st);
	if (rc < 0)
		goto fail;

	strbuf_reset(&sql);
	memset(&qb, 0, sizeof qb);
	qb.sql = &sql;
	ledger_qb_sql(&qb, "SELECT e.person_id FROM ledger_entries e WHERE 1");
	due_where(&qb, a, area);
	ledger_qb_text(&qb, " AND e.next_due <= ?", out->as_of);
	ledger_qb_int(&qb, " ORDER BY e.next_due, e.region_code, e.person_id LIMIT ?", limit);
	ledger_qb_int(&qb, " OFFSET ?", offset);
	if (!(st = ledger_qb_prepare(db, &qb, e)))
		goto fail;
	while ((rc = db_step(st, e)) == 1 && nids < LEDGER_PAGE_MAX)
		ids[nids++] = db_col_int(st, 0);
	db_done(st);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	if (nids) {
		out->page.items = calloc((size_t)nids, sizeof *out->page.items);
		if (!out->page.items)
			return err_oom(e);
	}
	st = db_prepare(db,
			"SELECT " LEDGER_ENTRY_COLS "FROM ledger_entries e" LEDGER_ENTRY_JOINS
			"WHERE e.person_id = ?",
			e);
	if (!st)
		return -1;
	for (int i = 0; i < nids; i++) {
		db_bind_int(st, 1, ids[i]);
		rc = db_step(st, e);
		if (rc == 1)
			ledger_entry_read(st, &out->page.items[out->page.n++]);
		db_done(st);
		if (rc < 0)
			return -1;
	}
	if (groups && glen > (int)strlen(area))
		return groups_load(db, a, area, glen, out->as_of, &out->groups, &out->n_groups, e);
	return 0;
fail:
	strbuf_release(&sql);
	return -1;
}

int ledger_overdue_list(struct db *db, const struct actor *a, const char *region,
			const char *as_of, int limit, int64_t offset, int groups,
			struct ledger_overdue *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_LEDGER))
		return ledger_forbidden(e);
	if (ledger_region_check(a, region, e) < 0)
		return -1;
	if (as_of && *as_of) {
		if (!ledger_date_valid(as_of))
			return err_set(e, 400, "invalid_value", "date",
				       "日期应为 YYYY-MM-DD 格式的有效日期");
		text_copy(out->as_of, sizeof out->as_of, as_of);
	} else {
		ledger_today(out->as_of);
	}
	if (limit <= 0 || limit > LEDGER_PAGE_MAX)
		limit = 20;
	if (offset < 0)
		offset = 0;
	char area[16];
	ledger_area_of(a, region, area);
	text_copy(out->region, sizeof out->region, region ? region : "");
	const int glen = group_len(a, area, region);
	if (ledger_refresh(db, a, e) < 0)
		return -1;
	int began = 0;
	if (!db_in_transaction(db)) {
		if (db_begin_read(db, e) < 0)
			return -1;
		began = 1;
	}
	int rc = overdue_load(db, a, area, glen, limit, offset, groups, out, e);
	if (began)
		db_rollback(db);
	if (rc < 0)
		ledger_overdue_release(out);
	return rc;
}

void ledger_overdue_release(struct ledger_overdue *o)
{
	ledger_page_release(&o->page);
	free(o->groups);
	o->groups = NULL;
	o->n_groups = 0;
}

/* ------------------------------------------------------------------------------------------ */
/* statistics                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static struct ledger_figures *figures_for(struct ledger_stats *s, int *alloc, const char *g,
					  struct err *e)
{
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->items[i].region_code, g) == 0)
			return &s->items[i];
	if (array_grow(&s->items, s->n, alloc, sizeof *s->items, 16) < 0) {
		err_oom(e);
		return NULL;
	}
	struct ledger_figures *f = &s->items[s->n++];
	memset(f, 0, sizeof *f);
	text_copy(f->region_code, sizeof f->region_code, g);
	return f;
}

/* One statistics query: head "SELECT substr(x.region_code, 1, ?) AS g, <figures> FROM <table> x
 * WHERE 1" with the group length and then the head's values bound, the scope and area, tail
 * (the rest of the WHERE) with its values, grouped by g. */
struct stat_query {
	const char *head;
	int nhead;
	const char *headv[8];
	const char *tail;
	int ntail;
	const char *tailv[4];
};

static int stats_run(struct db *db, const struct actor *a, const char *area, int glen,
		     const struct stat_query *q, struct ledger_stats *s, int *alloc, int which,
		     struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	ledger_qb_int(&qb, q->head, glen);
	for (int i = 0; i < q->nhead; i++)
		ledger_qb_text(&qb, "", q->headv[i]);
	ledger_qb_scope(&qb, &a->scope, "x.region_code");
	if (*area)
		ledger_qb_prefix(&qb, "x.region_code", area);
	ledger_qb_sql(&qb, q->tail);
	for (int i = 0; i < q->ntail; i++)
		ledger_qb_text(&qb, "", q->tailv[i]);
	ledger_qb_sql(&qb, " GROUP BY g");
	struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		struct ledger_figures *f = figures_for(s, alloc, db_col_text(st, 0), e);
		if (!f) {
			db_done(st);
			return -1;
		}
		int c = 1;
		switch (which) {
		case 0:
			f->entries = db_col_int(st, c++);
			for (int k = 0; k < LEDGER_NCAT; k++)
				f->by_category[k] = db_col_int(st, c++);
			break;
		case 1:
			f->joined = db_col_int(st, c++);
			f->closed = db_col_int(st, c++);
			break;
		case 2:
			f->visits = db_col_int(st, c++);
			for (int k = 0; k < 5; k++)
				f->visits_by_mode[k] = db_col_int(st, c++);
			f->late_visits = db_col_int(st, c++);
			break;
		case 3:
			f->needs_raised = db_col_int(st, c++);
			f->needs_met = db_col_int(st, c++);
			f->needs_unmet = db_col_int(st, c++);
			f->needs_open = db_col_int(st, c++);
			break;
		default:
			f->overdue = db_col_int(st, c++);
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

#define CAT_SUMS                                                                                   \
	"sum((x.categories & 1) != 0), sum((x.categories & 2) != 0), "                             \
	"sum((x.categories & 4) != 0), sum((x.categories & 8) != 0), "                             \
	"sum((x.categories & 16) != 0), sum((x.categories & 32) != 0), "                           \
	"sum((x.categories & 64) != 0), sum((x.categories & 128) != 0), "                          \
	"sum((x.categories & 256) != 0), sum((x.categories & 512) != 0), "                         \
	"sum((x.categories & 1024) != 0), sum((x.categories & 2048) != 0), "                       \
	"sum((x.categories & 4096) != 0)"

/* The two end-of-period conditions, shared by the statistics and ledger_end_by_county: on the
 * ledger at the end (binds end, end), and due but not visited by then (binds end, end) — the due
 * date the latest visit by then had set, or the day the entry joined. */
#define ON_LEDGER_AT_END " AND x.joined_on <= ? AND (x.status = 'active' OR x.closed_on > ?)"
#define DUE_AT_END                                                                                 \
	"coalesce((SELECT v.next_due FROM ledger_visits v WHERE v.person_id = x.person_id AND "    \
	"v.visited_on <= ? ORDER BY v.visited_on DESC, v.id DESC LIMIT 1), x.joined_on) <= ?"

int ledger_end_by_county(struct db *db, const struct actor *a, const char *county,
			 const char *end,
			 int (*fn)(const char *county6, int64_t entries, int64_t overdue, void *ctx),
			 void *ctx, struct err *e)
{
	if (!actor_can(a, PERM_LEDGER))
		return err_set(e, 403, "forbidden", NULL, "没有查看困难群众台账的权限");
	if (ledger_refresh(db, a, e) < 0)
		return -1;
	struct strbuf sql = STRBUF_INIT;
	int rc = strbuf_addstr(&sql, "SELECT substr(x.region_code, 1, 6) AS g, count(*), sum(" DUE_AT_END
				     ") FROM ledger_entries x WHERE ");
	rc |= scope_sql(&sql, &a->scope, "x.region_code");
	if (county && county[0])
		rc |= strbuf_addstr(&sql, " AND (x.region_code >= ? AND x.region_code < ?)");
	rc |= strbuf_addstr(&sql, ON_LEDGER_AT_END " GROUP BY g");
	if (rc < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, end);
	db_bind_text(st, 2, end);
	int k = scope_bind(st, &a->scope, 3);
	if (county && county[0])
		k = scope_bind_prefix(st, county, k);
	db_bind_text(st, k++, end);
	db_bind_text(st, k, end);
	int step;
	while ((step = db_step(st, e)) == 1)
		if (fn(db_col_text(st, 0), db_col_int(st, 1), db_col_int(st, 2), ctx) != 0)
			break;
	db_done(st);
	return step < 0 ? -1 : 0;
}

static int stats_load(struct db *db, const struct actor *a, const char *area, int glen,
		      const char *start, const char *end, struct ledger_stats *s, struct err *e)
{
	int alloc = 0;
	const struct stat_query qs[] = {
	    /* on the ledger at the end: joined by then, and active or closed after it */
	    {"SELECT substr(x.region_code, 1, ?) AS g, count(*), " CAT_SUMS
	     " FROM ledger_entries x WHERE 1",
	     0, {NULL},
	     ON_LEDGER_AT_END, 2, {end, end}},
	    /* joined and closed during the period */
	    {"SELECT substr(x.region_code, 1, ?) AS g, sum(x.joined_on BETWEEN ? AND ?), "
	     "sum(x.status = 'closed' AND x.closed_on BETWEEN ? AND ?) FROM ledger_entries x "
	     "WHERE 1",
	     4, {start, end, start, end}, "", 0, {NULL}},
	    {"SELECT substr(x.region_code, 1, ?) AS g, count(*), sum(x.mode = 'home'), "
	     "sum(x.mode = 'phone'), sum(x.mode = 'wechat'), sum(x.mode = 'other'), "
	     "sum(x.mode = 'survey'), sum(x.late_days > 0) FROM ledger_visits x WHERE 1",
	     0, {NULL}, " AND x.visited_on BETWEEN ? AND ?", 2, {start, end}},
	    /* needs raised, settled as met or unmet in the period; open at its end */
	    {"SELECT substr(x.region_code, 1, ?) AS g, sum(x.raised_on BETWEEN ? AND ?), "
	     "sum(x.status = 'met' AND x.resolved_on BETWEEN ? AND ?), "
	     "sum(x.status = 'unmet' AND x.resolved_on BETWEEN ? AND ?), "
	     "sum(x.raised_on <= ? AND (x.status = 'open' OR x.resolved_on > ?)) "
	     "FROM ledger_needs x WHERE 1",
	     8, {start, end, start, end, start, end, end, end}, "", 0, {NULL}},
	    /* due and not visited at the end: the due date the latest visit by then had set */
	    {"SELECT substr(x.region_code, 1, ?) AS g, count(*) FROM ledger_entries x WHERE 1",
	     0, {NULL},
	     ON_LEDGER_AT_END " AND " DUE_AT_END, 4, {end, end, end, end}},
	};
	for (int i = 0; i < 5; i++)
		if (stats_run(db, a, area, glen, &qs[i], s, &alloc, i, e) < 0)
			return -1;
	return 0;
}

static int cmp_figures(const void *x, const void *y)
{
	return strcmp(((const struct ledger_figures *)x)->region_code,
		      ((const struct ledger_figures *)y)->region_code);
}

/* The last day of month m ("YYYY-MM") into out[11]. */
static void month_end(const char *m, char out[11])
{
	char first[11], next[11];
	int y = atoi(m), mo = atoi(m + 5);
	snprintf(first, sizeof first, "%04d-%02d-01", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
	if (ledger_date_add(first, -1, next) < 0)
		snprintf(next, sizeof next, "%s-28", m);
	text_copy(out, 11, next);
}

int ledger_stats_get(struct db *db, const struct actor *a, const char *from, const char *to,
		     const char *region, struct ledger_stats *out, struct err *e)
{
	char today[11], this_month[8], start[11], end[11], area[16];
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_LEDGER))
		return ledger_forbidden(e);
	if (ledger_region_check(a, region, e) < 0)
		return -1;
	ledger_today(today);
	text_copy(this_month, sizeof this_month, today);
	text_copy(out->from, sizeof out->from, from && *from ? from : this_month);
	text_copy(out->to, sizeof out->to, to && *to ? to : out->from);
	if (!policy_month_valid(out->from))
		return err_set(e, 400, "invalid_value", "from", "起始月份应为 YYYY-MM");
	if (!policy_month_valid(out->to))
		return err_set(e, 400, "invalid_value", "to", "截止月份应为 YYYY-MM");
	if (strcmp(out->to, out->from) < 0)
		return err_set(e, 400, "invalid_value", "to", "截止月份不能早于起始月份");
	if ((atoi(out->to) - atoi(out->from)) * 12 + atoi(out->to + 5) - atoi(out->from + 5) >= 120)
		return err_set(e, 400, "invalid_value", "to", "统计期最长 120 个月");
	snprintf(start, sizeof start, "%s-01", out->from);
	month_end(out->to, end);
	if (strcmp(end, today) > 0)
		text_copy(end, sizeof end, today);
	text_copy(out->end, sizeof out->end, end);
	text_copy(out->region, sizeof out->region, region ? region : "");
	ledger_area_of(a, region, area);
	const int glen = group_len(a, area, region);
	if (ledger_refresh(db, a, e) < 0)
		return -1;
	int began = 0;
	if (!db_in_transaction(db)) {
		if (db_begin_read(db, e) < 0)
			return -1;
		began = 1;
	}
	int rc = stats_load(db, a, area, glen, start, end, out, e);
	/* names, and the totals */
	struct db_stmt *st = rc < 0 ? NULL : db_prepare(db, "SELECT name FROM regions WHERE code = ?", e);
	if (rc == 0 && !st)
		rc = -1;
	for (int i = 0; rc == 0 && i < out->n; i++) {
		struct ledger_figures *f = &out->items[i], *t = &out->total;
		db_bind_text(st, 1, f->region_code);
		int step = db_step(st, e);
		if (step == 1)
			text_copy(f->name, sizeof f->name, db_col_text(st, 0));
		db_done(st);
		if (step < 0) {
			rc = -1;
			break;
		}
		t->entries += f->entries;
		for (int k = 0; k < LEDGER_NCAT; k++)
			t->by_category[k] += f->by_category[k];
		t->joined += f->joined;
		t->closed += f->closed;
		t->visits += f->visits;
		for (int k = 0; k < 5; k++)
			t->visits_by_mode[k] += f->visits_by_mode[k];
		t->late_visits += f->late_visits;
		t->overdue += f->overdue;
		t->needs_raised += f->needs_raised;
		t->needs_met += f->needs_met;
		t->needs_unmet += f->needs_unmet;
		t->needs_open += f->needs_open;
	}
	if (began)
		db_rollback(db);
	if (rc < 0) {
		ledger_stats_release(out);
		return -1;
	}
	if (out->n)
		qsort(out->items, (size_t)out->n, sizeof *out->items, cmp_figures);
	text_copy(out->total.region_code, sizeof out->total.region_code, area);
	text_copy(out->total.name, sizeof out->total.name, "合计");
	return 0;
}

void ledger_stats_release(struct ledger_stats *s)
{
	free(s->items);
	s->items = NULL;
	s->n = 0;
}
