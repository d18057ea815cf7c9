/* report_dashboard.c — the leadership dashboard (领导驾驶舱, GET /api/v1/dashboard): one answer
 * with the management units side by side (recipients, amounts, ledger size, overdue visits,
 * report completeness), the trends by month (assistance) and by day (institution reports) and
 * the alerts of the last day (institution alerts still active, reports missing that day). All
 * from the modules' own functions — report_assistance, institutions_period_report,
 * institutions_alerts_list, institutions_calls — each time, in the caller's scope, and the two
 * ledger figures it shows from the ledger's one-pass count by county (ledger_end_by_county); a
 * county narrows every part to it. Sections of modules the caller may not read
 * are null. docs/stats.md has the keys and the measured time. */
#include "report/report.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "institutions/institutions.h"
#include "ledger/ledger.h"

#define DASH_MAX_DAYS 120
#define DASH_MAX_ALERTS 50

static int valid_date(const char *s)
{
	return s && strlen(s) == 10 && institutions_date_valid(s);
}

/* The default period: the month three months before `to`'s, from its first day. */
static void default_from(const char *to, char from[11])
{
	int y = atoi(to), m = atoi(to + 5) - 3;
	if (m < 1) {
		m += 12;
		y--;
	}
	snprintf(from, 11, "%04d-%02d-01", y, m);
}

static json_t *n_or_null(int known, int64_t v)
{
	return known ? json_integer(v) : json_null();
}

struct alerts_ctx {
	json_t *items;
	int64_t n;
};

static int alert_one(const struct institutions_alert *al, void *p)
{
	struct alerts_ctx *c = p;
	c->n++;
	if (json_array_size(c->items) < DASH_MAX_ALERTS)
		json_array_append_new(
		    c->items,
		    json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)al->id,
			      "institution_name", al->institution_name, "unit_code", al->unit_code,
			      "report_date", al->report_date, "kind", al->kind, "summary",
			      al->summary, "status", al->status, "raised_at", al->raised_at));
	return 0;
}

struct calls_ctx {
	json_t *items;
	int64_t due, overdue;
};

static int call_one(const struct institutions_call *c, void *p)
{
	struct calls_ctx *x = p;
	if (strcmp(c->status, "overdue") == 0)
		x->overdue++;
	else
		x->due++;
	if (json_array_size(x->items) < DASH_MAX_ALERTS)
		json_array_append_new(
		    x->items, json_pack("{s:I,s:s,s:s,s:s}", "institution_id",
					(json_int_t)c->inst.id, "institution_name", c->inst.name,
					"unit_code", c->inst.unit_code, "status", c->status));
	return 0;
}

static int ledger_part(struct db *db, const struct actor *a, const struct report_assistance *r,
		       json_t *units, json_t *totals, struct err *e)
{
	struct ledger_stats l;
	memset(&l, 0, sizeof l);
	if (ledger_stats_get(db, a, r->from, r->to, r->county, &l, e) < 0)
		return -1;
	json_object_set_new(totals, "ledger_entries", json_integer(l.total.entries));
	json_object_set_new(totals, "ledger_overdue", json_integer(l.total.overdue));
	int rc = 0;
	for (int u = 0; u < r->nunits && rc == 0; u++) {
		json_t *ju = json_array_get(units, (size_t)u);
		const struct ledger_figures *f = NULL;
		if (r->county[0])
			f = &l.total;
		for (int i = 0; !f && i < l.n; i++)
			if (strcmp(l.items[i].region_code, r->units[u].code) == 0)
				f = &l.items[i];
		struct ledger_stats one;
		memset(&one, 0, sizeof one);
		if (!f) { /* a unit that is not a child in the region tree (a functional zone) */
			rc = ledger_stats_get(db, a, r->from, r->to, r->units[u].code, &one, e);
			f = &one.total;
			if (rc < 0 && e->status == 404) { /* a zone only overlapping the scope */
				rc = 0;
				ledger_stats_release(&one);
				continue;
			}
		}
		if (rc == 0) {
			json_object_set_new(ju, "ledger_entries", json_integer(f->entries));
			json_object_set_new(ju, "ledger_overdue", json_integer(f->overdue));
		}
		ledger_stats_release(&one);
	}
	ledger_stats_release(&l);
	return rc;
}

/* The ledger's two figures the dashboard shows — entries on the ledger at the end of the
 * period and, of them, those overdue for a visit — from ledger_end_by_county, the ledger's own
 * one-pass count by county with the conditions of its statistics (ledger_stats_get computes three
 * more figures and ran once more per functional zone: 250 ms of the city's first answer, now
 * about 70 ms, docs/stats.md). The end: the last day of the period's last month, or today.
 * tests/api/dashboard.test.mjs compares both with GET /api/v1/ledger/stats. Units whose codes are
 * not county-length codes take ledger_part. */
struct ledger_sums {
	const struct report_assistance *r;
	int64_t entries[REPORT_MAX_UNITS], overdue[REPORT_MAX_UNITS];
	int64_t all_entries, all_overdue;
};

static int ledger_sum(const char *county6, int64_t n, int64_t late, void *p)
{
	struct ledger_sums *ls = p;
	ls->all_entries += n;
	ls->all_overdue += late;
	for (int u = 0; u < ls->r->nunits; u++)
		if (strcmp(county6, ls->r->units[u].code) == 0) {
			ls->entries[u] += n;
			ls->overdue[u] += late;
		}
	return 0;
}

static int ledger_fast(struct db *db, const struct actor *a, const struct report_assistance *r,
		       json_t *units, json_t *totals, struct err *e)
{
	for (int u = 0; u < r->nunits; u++)
		if (strlen(r->units[u].code) != 6)
			return ledger_part(db, a, r, units, totals, e);
	char end[11], first[11], today[11];
	int y = atoi(r->to), mo = atoi(r->to + 5);
	snprintf(first, sizeof first, "%04d-%02d-01", mo == 12 ? y + 1 : y, mo == 12 ? 1 : mo + 1);
	institutions_date_add(first, -1, end);
	clock_today(today);
	if (strcmp(end, today) > 0)
		snprintf(end, sizeof end, "%s", today);
	struct ledger_sums *ls = calloc(1, sizeof *ls);
	if (!ls)
		return err_oom(e);
	ls->r = r;
	int rc = ledger_end_by_county(db, a, r->county, end, ledger_sum, ls, e);
	if (rc == 0) {
		json_object_set_new(totals, "ledger_entries", json_integer(ls->all_entries));
		json_object_set_new(totals, "ledger_overdue", json_integer(ls->all_overdue));
		for (int u = 0; u < r->nunits; u++) {
			json_t *ju = json_array_get(units, (size_t)u);
			json_object_set_new(ju, "ledger_entries", json_integer(ls->entries[u]));
			json_object_set_new(ju, "ledger_overdue", json_integer(ls->overdue[u]));
		}
	}
	free(ls);
	return rc;
}

static int institutions_part(struct db *db, const struct actor *a,
			     const struct report_assistance *r, const char *from, const char *to,
			     json_t *units, json_t *days, json_t *totals, json_t *alerts,
			     struct err *e)
{
	struct institutions_period *p = malloc(sizeof *p);
	if (!p)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int rc = institutions_period_report(db, a, from, to, r->county, p, e);
	if (rc == 0) {
		json_object_set_new(totals, "reports_expected", json_integer(p->reports.expected));
		json_object_set_new(totals, "reports_received", json_integer(p->reports.received));
		int64_t bp = institutions_rate_bp(p->reports.received, p->reports.expected);
		json_object_set_new(totals, "completeness_bp", n_or_null(bp >= 0, bp));
		for (int u = 0; u < r->nunits; u++) {
			json_t *ju = json_array_get(units, (size_t)u);
			const struct institutions_tally *t = NULL;
			for (int k = 0; !t && k < p->nunits; k++)
				if (strcmp(p->units[k].code, r->units[u].code) == 0)
					t = &p->units[k].t;
			if (!t && r->county[0])
				t = &p->reports;
			int64_t ub = t ? institutions_rate_bp(t->received, t->expected) : -1;
			json_object_set_new(ju, "reports_expected",
					    json_integer(t ? t->expected : 0));
			json_object_set_new(ju, "reports_received",
					    json_integer(t ? t->received : 0));
			json_object_set_new(ju, "completeness_bp", n_or_null(ub >= 0, ub));
		}
	}
	/* by day: the whole scope from the institutions dashboard's trend (one pass over the day
	 * counters); one county from a period report per day (each a few indexed reads) */
	int64_t d0 = institutions_day(from), d1 = institutions_day(to);
	struct institutions_dashboard *dash = NULL;
	if (rc == 0 && !r->county[0]) {
		dash = malloc(sizeof *dash);
		if (!dash)
			rc = err_set(e, 500, "internal", NULL, "内存不足");
		else
			rc = institutions_dashboard(db, a, to, (int)(d1 - d0 + 1), NULL, dash, e);
	}
	for (int64_t d = d0; rc == 0 && d <= d1; d++) {
		char day[11];
		institutions_date_add(from, (int)(d - d0), day);
		const struct institutions_tally *t;
		if (dash) {
			t = &dash->trend[d - d0];
		} else {
			rc = institutions_period_report(db, a, day, day, r->county, p, e);
			t = &p->reports;
		}
		if (rc == 0) {
			int64_t bp = institutions_rate_bp(t->received, t->expected);
			json_array_append_new(days,
					      json_pack("{s:s,s:I,s:I,s:I,s:o}", "date", day,
							"expected", (json_int_t)t->expected,
							"received", (json_int_t)t->received,
							"on_time", (json_int_t)t->on_time,
							"completeness_bp", n_or_null(bp >= 0, bp)));
		}
	}
	free(dash);
	int64_t last_missing = 0; /* reports missing on the last day (expected − received) */
	json_t *last = json_array_get(days, json_array_size(days) - 1);
	if (last)
		last_missing = json_integer_value(json_object_get(last, "expected")) -
			       json_integer_value(json_object_get(last, "received"));
	free(p);
	if (rc < 0)
		return -1;

	/* the alerts: still active (any day), and the reports missing on the last day */
	struct institutions_alert_filter f;
	memset(&f, 0, sizeof f);
	snprintf(f.status, sizeof f.status, "active");
	snprintf(f.unit, sizeof f.unit, "%s", r->county);
	struct alerts_ctx ac = {json_array(), 0};
	json_object_set_new(alerts, "institution_alerts", ac.items);
	if (institutions_alerts_list(db, a, &f, alert_one, &ac, e) < 0)
		return -1;
	json_object_set_new(alerts, "institution_alerts_active", json_integer(ac.n));
	struct calls_ctx cc = {json_array(), 0, 0};
	json_object_set_new(alerts, "missing_reports", cc.items);
	char at[32];
	snprintf(at, sizeof at, "%sT23:59:59+08:00", to);
	/* only asked when someone is missing (the call list of a day with none is empty) */
	char today[11];
	clock_today(today);
	if (last_missing > 0 && strcmp(to, today) <= 0 &&
	    institutions_calls(db, a, to, r->county, 0, at, call_one, &cc, e) < 0)
		return -1;
	json_object_set_new(alerts, "missing_due", json_integer(cc.due));
	json_object_set_new(alerts, "missing_overdue", json_integer(cc.overdue));
	return 0;
}

/* ================================================================ the parts on threads
 * The ledger and the institutions parts read other tables than the payments, so each runs on a
 * thread with a connection of its own (kept in a small pool between answers) while the calling
 * thread sums the payments; the whole-city first answer takes the longest part's time instead of
 * their sum (docs/stats.md). Each part writes into JSON of its own — an object per unit, the
 * totals, the days and the alerts — which the calling thread merges after joining. Without a
 * database file to open again (an in-memory database) the parts run on the caller's connection
 * after the payments. */

struct part {
	int (*run)(struct db *db, struct part *p, struct err *e); /* NULL: not for this caller */
	const struct actor *a;
	const struct report_assistance *r; /* the units, the county, the months */
	const char *from, *to;
	json_t *units, *totals, *days, *alerts; /* the part's own answer */
	struct db *db;                          /* its connection while it runs on a thread */
	pthread_t thread;
	int rc;
	struct err e;
};

static int ledger_job(struct db *db, struct part *p, struct err *e)
{
	return ledger_fast(db, p->a, p->r, p->units, p->totals, e);
}

static int institutions_job(struct db *db, struct part *p, struct err *e)
{
	return institutions_part(db, p->a, p->r, p->from, p->to, p->units, p->days, p->totals,
				 p->alerts, e);
}

#define POOL_SIZE 4
static struct {
	char path[512];
	struct db *db;
} pool[POOL_SIZE];
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;

/* A connection to the file path: an idle one of the pool, or a new one; NULL when none. */
static struct db *pool_acquire(const char *path)
{
	if (!path[0] || strlen(path) >= sizeof pool[0].path)
		return NULL;
	struct db *db = NULL;
	pthread_mutex_lock(&pool_lock);
	for (int i = 0; i < POOL_SIZE && !db; i++)
		if (pool[i].db && strcmp(pool[i].path, path) == 0) {
			db = pool[i].db;
			pool[i].db = NULL;
		}
	pthread_mutex_unlock(&pool_lock);
	struct err ignore;
	if (!db && db_open(&db, path, &ignore) < 0)
		db = NULL;
	return db;
}

static void pool_release(const char *path, struct db *db)
{
	pthread_mutex_lock(&pool_lock);
	for (int i = 0; i < POOL_SIZE && db; i++)
		if (!pool[i].db) {
			snprintf(pool[i].path, sizeof pool[i].path, "%s", path);
			pool[i].db = db;
			db = NULL;
		}
	pthread_mutex_unlock(&pool_lock);
	db_close(db); /* the pool is full */
}

static void *part_thread(void *arg)
{
	struct part *p = arg;
	p->rc = p->run(p->db, p, &p->e);
	return NULL;
}

static void parts_start(struct db *db, struct part *parts, int n)
{
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];
		if (!p->run)
			continue;
		p->units = json_array();
		for (int u = 0; u < p->r->nunits; u++)
			json_array_append_new(p->units, json_object());
		p->totals = json_object();
		p->days = json_array();
		p->alerts = json_object();
		memset(&p->e, 0, sizeof p->e);
		p->db = pool_acquire(db_filename(db));
		if (p->db && pthread_create(&p->thread, NULL, part_thread, p) != 0) {
			pool_release(db_filename(db), p->db);
			p->db = NULL;
		}
	}
}

/* Join the threads (or run the parts here). -1 when a part failed: e gets its error (when e is
 * not NULL: the caller's own error comes first). */
static int parts_finish(struct db *db, struct part *parts, int n, struct err *e)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];
		if (!p->run)
			continue;
		if (p->db) {
			pthread_join(p->thread, NULL);
			pool_release(db_filename(db), p->db);
			p->db = NULL;
		} else if (e) {
			p->rc = p->run(db, p, &p->e);
		} else {
			continue; /* the caller failed: nothing more to compute */
		}
		if (p->rc < 0 && rc == 0) {
			if (e)
				*e = p->e;
			rc = -1;
		}
	}
	return rc;
}

static void parts_release(struct part *parts, int n)
{
	for (int i = 0; i < n; i++) {
		json_decref(parts[i].units);
		json_decref(parts[i].totals);
		json_decref(parts[i].days);
		json_decref(parts[i].alerts);
	}
}

/* ================================================================ the answer cache
 * The answer is a pure function of the records, the caller's scope and permissions, the
 * arguments and the day, and every write in minzheng is one transaction with its audit row. So
 * the last answers are kept with the newest audit row (its id and hash, which also tells one
 * database file from another): any write anywhere in the database makes every kept answer
 * stale, and the next call computes afresh from the records. Nothing is a stored total, only a
 * memo of the last computation; a change made outside minzheng (the sqlite3 shell) leaves no
 * audit row, so an answer is never kept longer than DASH_CACHE_SECONDS either. */

#define DASH_CACHE_SLOTS 16
#define DASH_CACHE_SECONDS 60

struct dash_slot {
	char key[352];
	char *text;   /* the JSON answer, malloc'd */
	int64_t made; /* clock_unix() when computed */
	uint64_t used;
};

static struct dash_slot cache[DASH_CACHE_SLOTS];
static uint64_t cache_clock;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The key: who asks (role, scope, permissions), what, the day, and the newest audit row. 0, or
 * -1 when the audit log cannot be read (then nothing is kept). */
static int cache_key(struct db *db, const struct actor *a, const char *county, const char *from,
		     const char *to, char key[352])
{
	char today[11];
	clock_today(today);
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1", NULL);
	if (!st)
		return -1;
	int rc = db_step(st, NULL);
	snprintf(key, 352, "%s|%s|%u|%s|%s|%s|%s|%" PRId64 "|%.64s", a->role, a->region_code,
		 (unsigned)a->perms, county ? county : "", from ? from : "", to ? to : "", today,
		 rc == 1 ? db_col_int(st, 0) : 0, rc == 1 ? db_col_text(st, 1) : "");
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static json_t *cache_get(const char *key)
{
	json_t *j = NULL;
	int64_t now = clock_unix();
	pthread_mutex_lock(&cache_lock);
	for (int i = 0; i < DASH_CACHE_SLOTS; i++) {
		struct dash_slot *s = &cache[i];
		if (s->text && strcmp(s->key, key) == 0 && now - s->made < DASH_CACHE_SECONDS &&
		    now >= s->made) {
			s->used = ++cache_clock;
			j = json_loads(s->text, 0, NULL);
			break;
		}
	}
	pthread_mutex_unlock(&cache_lock);
	return j;
}

static void cache_put(const char *key, const json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!text)
		return;
	pthread_mutex_lock(&cache_lock);
	struct dash_slot *victim = &cache[0];
	for (int i = 0; i < DASH_CACHE_SLOTS; i++) {
		struct dash_slot *s = &cache[i];
		if (strcmp(s->key, key) == 0) {
			victim = s;
			break;
		}
		if (s->used < victim->used)
			victim = s;
	}
	free(victim->text);
	snprintf(victim->key, sizeof victim->key, "%s", key);
	victim->text = text;
	victim->made = clock_unix();
	victim->used = ++cache_clock;
	pthread_mutex_unlock(&cache_lock);
}

static json_t *compute(struct db *db, const struct actor *a, const char *county,
		       const char *from_in, const char *to_in, struct err *e);

json_t *report_dashboard(struct db *db, const struct actor *a, const char *county,
			 const char *from_in, const char *to_in, struct err *e)
{
	if (!actor_can(a, PERM_ASSISTANCE_READ))
		return err_set(e, 403, "forbidden", NULL, "没有查看统计的权限"), NULL;
	char key[352];
	int keep = cache_key(db, a, county, from_in, to_in, key) == 0;
	json_t *j = keep ? cache_get(key) : NULL;
	if (j)
		return j;
	/* stats.read (the leader's role) sees every part's aggregate figures in its scope */
	struct actor reader = *a;
	if (actor_can(a, PERM_STATS))
		reader.perms |= REPORT_STATS_READ_PERMS;
	j = compute(db, &reader, county, from_in, to_in, e);
	if (j && keep)
		cache_put(key, j);
	return j;
}

static json_t *compute(struct db *db, const struct actor *a, const char *county,
		       const char *from_in, const char *to_in, struct err *e)
{
	char from[11], to[11];
	if (to_in && *to_in) {
		if (!valid_date(to_in))
			return err_set(e, 400, "invalid_value", "to",
				       "结束日期应为 YYYY-MM-DD 格式的有效日期"),
			       NULL;
		snprintf(to, sizeof to, "%s", to_in);
	} else {
		/* the newest day with institution reports, else today */
		struct institutions_dashboard *d = malloc(sizeof *d);
		if (!d)
			return err_set(e, 500, "internal", NULL, "内存不足"), NULL;
		int rc = actor_can(a, PERM_INSTITUTION_READ)
			     ? institutions_dashboard(db, a, "", 1, NULL, d, e)
			     : -1;
		if (rc == 0 && d->latest_report_date[0])
			snprintf(to, sizeof to, "%s", d->latest_report_date);
		else
			snprintf(to, sizeof to, "%s", rc == 0 ? d->date : "");
		free(d);
		if (!to[0])
			clock_today(to);
	}
	if (from_in && *from_in) {
		if (!valid_date(from_in))
			return err_set(e, 400, "invalid_value", "from",
				       "开始日期应为 YYYY-MM-DD 格式的有效日期"),
			       NULL;
		snprintf(from, sizeof from, "%s", from_in);
	} else {
		default_from(to, from);
	}
	if (strcmp(from, to) > 0)
		return err_set(e, 400, "invalid_value", "to", "结束日期不能早于开始日期"), NULL;
	/* (the default period, four calendar months at most, may be a few days longer) */
	if (from_in && *from_in && institutions_day(to) - institutions_day(from) + 1 > DASH_MAX_DAYS)
		return err_set(e, 400, "invalid_value", "from", "驾驶舱期间最长 120 天"), NULL;

	char mfrom[8], mto[8];
	snprintf(mfrom, sizeof mfrom, "%.7s", from);
	snprintf(mto, sizeof mto, "%.7s", to);
	/* the units first (the other parts need them), then the ledger and the institutions parts
	 * on threads of their own while this one sums the payments */
	struct report_assistance *ru = calloc(1, sizeof *ru);
	if (!ru)
		return err_oom(e), NULL;
	snprintf(ru->from, sizeof ru->from, "%s", mfrom);
	snprintf(ru->to, sizeof ru->to, "%s", mto);
	snprintf(ru->county, sizeof ru->county, "%s", county ? county : "");
	if (report_units_list(db, a, ru->county, ru, e) < 0) {
		free(ru);
		return NULL;
	}
	struct part parts[2] = {
	    {.run = actor_can(a, PERM_LEDGER) ? ledger_job : NULL},
	    {.run = actor_can(a, PERM_INSTITUTION_READ) ? institutions_job : NULL},
	};
	for (int i = 0; i < 2; i++) {
		parts[i].a = a;
		parts[i].r = ru;
		parts[i].from = from;
		parts[i].to = to;
	}
	parts_start(db, parts, 2);

	struct report_assistance r;
	int arc = report_assistance(db, a, mfrom, mto, county ? county : "", &r, e);
	int prc = parts_finish(db, parts, 2, arc == 0 ? e : NULL);
	free(ru);
	if (arc < 0 || prc < 0) {
		if (arc == 0)
			report_assistance_release(&r);
		parts_release(parts, 2);
		return NULL;
	}
	json_t *units = json_array(), *months = json_array(), *days = json_array();
	json_t *totals = json_object(), *alerts = json_object();
	for (int u = 0; u <= r.nunits; u++) {
		const struct report_cell *d = report_cell_at(&r, u, r.nmonths, 0);
		const struct report_cell *t = report_cell_at(&r, u, r.nmonths, 1);
		const struct report_cell *all = report_cell_at(&r, u, r.nmonths, REPORT_NPROGRAMS);
		const struct report_cell *p = report_cell_at(&r, u, r.nmonths, REPORT_PRICE);
		const struct report_relief_cell *rl = report_relief_at(&r, u, r.nmonths);
		json_t *o = u < r.nunits ? json_pack("{s:s,s:s}", "code", r.units[u].code, "name",
						     r.units[u].name)
					 : totals;
		json_object_set_new(o, "recipients", json_integer(all->persons));
		json_object_set_new(o, "dibao_persons", json_integer(d->persons));
		json_object_set_new(o, "tekun_persons", json_integer(t->persons));
		json_object_set_new(o, "amount_fen", json_integer(all->amount_fen));
		json_object_set_new(o, "price_subsidy_persons", json_integer(p->persons));
		json_object_set_new(o, "price_subsidy_amount_fen", json_integer(p->amount_fen));
		json_object_set_new(o, "temp_relief_person_times", json_integer(rl->person_times));
		json_object_set_new(o, "temp_relief_amount_fen", json_integer(rl->amount_fen));
		json_object_set_new(o, "ledger_entries", json_null());
		json_object_set_new(o, "ledger_overdue", json_null());
		json_object_set_new(o, "reports_expected", json_null());
		json_object_set_new(o, "reports_received", json_null());
		json_object_set_new(o, "completeness_bp", json_null());
		/* the parts' figures of this unit (or of all) over the nulls */
		for (int i = 0; i < 2; i++)
			if (parts[i].run) {
				json_t *src = u < r.nunits ? json_array_get(parts[i].units, (size_t)u)
							   : parts[i].totals;
				json_object_update(o, src);
			}
		if (u < r.nunits)
			json_array_append_new(units, o);
	}
	for (int m = 0; m < r.nmonths; m++) {
		const struct report_cell *d = report_cell_at(&r, r.nunits, m, 0);
		const struct report_cell *t = report_cell_at(&r, r.nunits, m, 1);
		const struct report_cell *all = report_cell_at(&r, r.nunits, m, REPORT_NPROGRAMS);
		const struct report_cell *p = report_cell_at(&r, r.nunits, m, REPORT_PRICE);
		const struct report_relief_cell *rl = report_relief_at(&r, r.nunits, m);
		json_array_append_new(
		    months,
		    json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "month", r.months[m],
			      "recipients", (json_int_t)all->persons, "dibao_persons",
			      (json_int_t)d->persons, "tekun_persons", (json_int_t)t->persons,
			      "amount_fen", (json_int_t)all->amount_fen, "price_subsidy_amount_fen",
			      (json_int_t)p->amount_fen, "temp_relief_person_times",
			      (json_int_t)rl->person_times, "temp_relief_amount_fen",
			      (json_int_t)rl->amount_fen));
	}
	if (parts[1].run) {
		json_array_extend(days, parts[1].days);
		json_object_update(alerts, parts[1].alerts);
	}
	parts_release(parts, 2);
	json_t *out = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "from", from, "to", to,
				"county", r.county, "totals", totals, "units", units, "months",
				months, "days", days, "alerts", alerts);
	report_assistance_release(&r);
	if (!out)
		err_set(e, 500, "internal", NULL, "内存不足");
	return out;
}
