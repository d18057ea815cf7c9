/* ledger_sync.c — who is on the ledger: persons join from the registry's hardship tags and the
 * assistance rolls, their entries follow tags, rolls, moves and removals, and leave (closed
 * with the reason) when nothing keeps them on it (the rules are at "joining and leaving" in
 * ledger.h; docs/ledger.md explains them for people).
 *
 * How it works:
 * - Triggers on person_tags, persons, households and assistance_cases (ledger_schema.c) note the
 *   person whose data changed in ledger_dirty, in the same transaction as the change. They
 *   decide nothing: ledger_refresh() looks at each noted person here — what the tags and rolls
 *   give them now (ledger_basis_person), their entry — and applies the difference, then empties
 *   the queue, in one transaction with one audit row. The ledger's reads and writes call it
 *   first, so a tag set in the registry shows on the ledger at the next look.
 * - ledger_sync() walks everyone in a scope instead (the CLI, the job, the demo, an upgraded
 *   database): the persons the tags and rolls bring, by three scoped queries merged in memory
 *   by person id, against the entries of the scope, in id order; new entries are inserted,
 *   changed ones updated, the rest left alone — a second run changes nothing.
 */
#include "ledger/ledger_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "jobs/jobs.h"

#define REASON_REMOVED "该人员已从户籍登记中注销（死亡、迁出等）"
#define REASON_NOT_ELIGIBLE "已不在低保、特困等救助名册，也没有困难群众标签"

/* A user who may be an entry's default helper (see default_helper). */
struct dflt {
	char region[16];
	int village; /* 1 village_worker, 0 township_assistant */
	int64_t uid;
};

struct ctx {
	char today[11];
	char now[32];
	struct ledger_days_cache days;
	struct ledger_sync_result r;
	struct dflt *helpers; /* sorted by region, then village first; malloc'd */
	int nhelpers, helpers_loaded;
};

struct basis {
	int64_t person_id;
	unsigned mask;
	int64_t household_id;
	char region[16];
	char unit[16];
};

/* An entry as the sync sees it, with its person as the registry has it now. */
struct row {
	int64_t id, household;
	unsigned autom, manual;
	int freq;
	char status[8], close_kind[8], close_reason[LEDGER_SZ(LEDGER_NOTE_CHARS)], closed_on[11];
	char region[16], unit[16], joined[11], last[11], next_due[11];
	char pstatus[8], pregion[16], punit[16];
	int64_t phousehold;
};

/* ---- what the registry and the rolls give ---- */

int ledger_basis_person(struct db *db, int64_t person_id, unsigned *mask, struct err *e)
{
	int rc;
	*mask = 0;
	struct db_stmt *st = db_prepare(db, "SELECT status FROM persons WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	rc = db_step(st, e);
	int active = rc == 1 && strcmp(db_col_text(st, 0), "active") == 0;
	db_done(st);
	if (rc < 0)
		return -1;
	if (!active)
		return 0;
	st = db_prepare(db, "SELECT tag FROM person_tags WHERE person_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	while ((rc = db_step(st, e)) == 1)
		*mask |= ledger_category_for_tag(db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"SELECT program FROM assistance_cases WHERE person_id = ? AND "
			"status IN ('active','phaseout')",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	while ((rc = db_step(st, e)) == 1)
		*mask |= ledger_category_for_program(db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"SELECT 1 FROM persons p JOIN households h ON h.id = p.household_id AND "
			"h.head_person_id = p.id JOIN assistance_cases c ON c.household_id = h.id "
			"WHERE p.id = ? AND c.program = 'dibao' AND c.status IN ('active','phaseout') "
			"LIMIT 1",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	rc = db_step(st, e);
	if (rc == 1)
		*mask |= ledger_category_for_program("dibao");
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int cmp_basis(const void *x, const void *y)
{
	const struct basis *a = x, *b = y;
	return a->person_id < b->person_id ? -1 : a->person_id > b->person_id;
}

/* Everyone in scope (narrowed to region) the tags and rolls bring, sorted by person, one row
 * each with the categories merged. *out malloc'd. The queries are driven by the tags and the
 * cases (CROSS JOIN keeps that order, "|| ''" keeps the region index out): a walk of the
 * persons by region would read every person of the scope, most of whom have neither. */
static int basis_collect(struct db *db, const struct scope *s, const char *region,
			 struct basis **out, int *n, struct err *e)
{
	static const char *const queries[] = {
	    "SELECT t.person_id, t.tag, p.household_id, p.region_code, coalesce(r.unit_code, '') "
	    "FROM person_tags t CROSS JOIN persons p ON p.id = t.person_id LEFT JOIN regions r ON "
	    "r.code = p.region_code WHERE p.status = 'active'",
	    "SELECT c.person_id, c.program, p.household_id, p.region_code, coalesce(r.unit_code, '') "
	    "FROM assistance_cases c CROSS JOIN persons p ON p.id = c.person_id LEFT JOIN regions r ON "
	    "r.code = p.region_code WHERE c.person_id IS NOT NULL AND c.status IN "
	    "('active','phaseout') AND p.status = 'active'",
	    "SELECT p.id, c.program, p.household_id, p.region_code, coalesce(r.unit_code, '') "
	    "FROM assistance_cases c JOIN households h ON h.id = c.household_id JOIN persons p ON "
	    "p.id = h.head_person_id LEFT JOIN regions r ON r.code = p.region_code WHERE "
	    "c.program = 'dibao' AND c.status IN ('active','phaseout') AND p.status = 'active'",
	};
	struct basis *b = NULL;
	int nb = 0, alloc = 0, rc = 0;
	for (int q = 0; q < 3 && rc == 0; q++) {
		struct strbuf sql = STRBUF_INIT;
		struct ledger_qb qb = {.sql = &sql};
		ledger_qb_sql(&qb, queries[q]);
		ledger_qb_scope(&qb, s, "p.region_code || ''");
		if (region && *region)
			ledger_qb_prefix(&qb, "p.region_code || ''", region);
		struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
		strbuf_release(&sql);
		if (!st) {
			rc = -1;
			break;
		}
		while ((rc = db_step(st, e)) == 1) {
			unsigned bit = q == 0 ? ledger_category_for_tag(db_col_text(st, 1))
					      : ledger_category_for_program(db_col_text(st, 1));
			if (!bit)
				continue;
			if (array_grow(&b, nb, &alloc, sizeof *b, 1024) < 0) {
				rc = err_oom(e);
				break;
			}
			struct basis *x = &b[nb++];
			x->person_id = db_col_int(st, 0);
			x->mask = bit;
			x->household_id = db_col_int(st, 2);
			text_copy(x->region, sizeof x->region, db_col_text(st, 3));
			text_copy(x->unit, sizeof x->unit, db_col_text(st, 4));
		}
		db_done(st);
	}
	if (rc < 0) {
		free(b);
		return -1;
	}
	if (nb)
		qsort(b, (size_t)nb, sizeof *b, cmp_basis);
	int m = 0;
	for (int i = 0; i < nb; i++) {
		if (m && b[m - 1].person_id == b[i].person_id)
			b[m - 1].mask |= b[i].mask;
		else
			b[m++] = b[i];
	}
	*out = b;
	*n = m;
	return 0;
}

/* ---- applying ---- */

#define ROW_SELECT                                                                                 \
	"SELECT e.person_id, e.household_id, e.auto_categories, e.manual_categories, "             \
	"e.frequency_days, e.status, e.close_kind, e.close_reason, e.closed_on, e.region_code, "   \
	"e.unit_code, e.joined_on, e.last_visit_on, e.next_due, coalesce(p.status, 'removed'), "   \
	"coalesce(p.region_code, e.region_code), coalesce(r.unit_code, e.unit_code), "            \
	"coalesce(p.household_id, e.household_id) FROM ledger_entries e LEFT JOIN persons p ON "   \
	"p.id = e.person_id LEFT JOIN regions r ON r.code = p.region_code "

static void row_read(struct db_stmt *st, struct row *r)
{
	int i = 0;
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, i++);
	r->household = db_col_int(st, i++);
	r->autom = (unsigned)db_col_int(st, i++);
	r->manual = (unsigned)db_col_int(st, i++);
	r->freq = (int)db_col_int(st, i++);
	text_copy(r->status, sizeof r->status, db_col_text(st, i++));
	text_copy(r->close_kind, sizeof r->close_kind, db_col_text(st, i++));
	text_copy(r->close_reason, sizeof r->close_reason, db_col_text(st, i++));
	text_copy(r->closed_on, sizeof r->closed_on, db_col_text(st, i++));
	text_copy(r->region, sizeof r->region, db_col_text(st, i++));
	text_copy(r->unit, sizeof r->unit, db_col_text(st, i++));
	text_copy(r->joined, sizeof r->joined, db_col_text(st, i++));
	text_copy(r->last, sizeof r->last, db_col_text(st, i++));
	text_copy(r->next_due, sizeof r->next_due, db_col_text(st, i++));
	text_copy(r->pstatus, sizeof r->pstatus, db_col_text(st, i++));
	text_copy(r->pregion, sizeof r->pregion, db_col_text(st, i++));
	text_copy(r->punit, sizeof r->punit, db_col_text(st, i++));
	r->phousehold = db_col_int(st, i++);
}

/* Bring entry r in line with the categories the registry and the rolls give now (newauto). */
static int apply(struct db *db, struct ctx *c, const struct row *r, unsigned newauto,
		 struct err *e)
{
	struct row n = *r;
	const int person_active = strcmp(r->pstatus, "active") == 0;
	int reopened = 0, closed = 0;
	if (person_active) {
		text_copy(n.region, sizeof n.region, r->pregion);
		text_copy(n.unit, sizeof n.unit, r->punit);
		n.household = r->phousehold;
		n.autom = newauto;
	}
	const unsigned cats = n.autom | n.manual;
	if (strcmp(r->status, "active") == 0) {
		if (!person_active || !cats) {
			text_copy(n.status, sizeof n.status, "closed");
			text_copy(n.close_kind, sizeof n.close_kind, "auto");
			text_copy(n.close_reason, sizeof n.close_reason,
				    person_active ? REASON_NOT_ELIGIBLE : REASON_REMOVED);
			text_copy(n.closed_on, sizeof n.closed_on, c->today);
			closed = 1;
		}
	} else if (strcmp(r->close_kind, "auto") == 0 && person_active && cats) {
		text_copy(n.status, sizeof n.status, "active");
		n.close_kind[0] = n.close_reason[0] = n.closed_on[0] = '\0';
		reopened = 1;
	}
	if ((n.autom | n.manual) != (r->autom | r->manual) || reopened || strcmp(n.unit, r->unit))
		if (ledger_schedule(db, &c->days, n.unit, n.autom | n.manual, n.joined, n.last, 0,
				    &n.freq, n.next_due, e) < 0)
			return -1;
	if (n.autom == r->autom && n.household == r->household && !strcmp(n.region, r->region) &&
	    !strcmp(n.unit, r->unit) && !strcmp(n.status, r->status) && n.freq == r->freq &&
	    !strcmp(n.next_due, r->next_due) && !strcmp(n.close_kind, r->close_kind))
		return 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE ledger_entries SET household_id = ?, region_code = ?, unit_code = ?, "
	    "auto_categories = ?, categories = ?, frequency_days = ?, status = ?, close_kind = ?, "
	    "close_reason = ?, closed_on = ?, next_due = ?, updated_at = ? WHERE person_id = ?",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, n.household);
	db_bind_text(st, 2, n.region);
	db_bind_text(st, 3, n.unit);
	db_bind_int(st, 4, n.autom);
	db_bind_int(st, 5, n.autom | n.manual);
	db_bind_int(st, 6, n.freq);
	db_bind_text(st, 7, n.status);
	db_bind_text(st, 8, n.close_kind);
	db_bind_text(st, 9, n.close_reason);
	db_bind_text(st, 10, n.closed_on);
	db_bind_text(st, 11, n.next_due);
	db_bind_text(st, 12, c->now);
	db_bind_int(st, 13, n.id);
	if (db_run(st, e) < 0)
		return -1;
	if (closed)
		c->r.closed++;
	else if (reopened)
		c->r.reopened++;
	else
		c->r.updated++;
	return 0;
}

static int cmp_dflt(const void *x, const void *y)
{
	const struct dflt *a = x, *b = y;
	int c = strcmp(a->region, b->region);
	return c ? c : b->village - a->village;
}

static int helpers_load(struct db *db, struct ctx *c, struct err *e)
{
	int alloc = 0, rc;
	if (c->helpers_loaded)
		return 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT id, role, region_code FROM users WHERE disabled = 0 AND "
					"role IN ('village_worker', 'township_assistant')",
					e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&c->helpers, c->nhelpers, &alloc, sizeof *c->helpers, 64) < 0) {
			db_done(st);
			return err_oom(e);
		}
		struct dflt *d = &c->helpers[c->nhelpers++];
		d->uid = db_col_int(st, 0);
		d->village = strcmp(db_col_text(st, 1), "village_worker") == 0;
		text_copy(d->region, sizeof d->region, db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (c->nhelpers)
		qsort(c->helpers, (size_t)c->nhelpers, sizeof *c->helpers, cmp_dflt);
	c->helpers_loaded = 1;
	return 0;
}

/* The only user of `village` as role (village_worker), 0 when none or several. */
static int64_t only_user(const struct ctx *c, const char *region, int village)
{
	int lo = 0, hi = c->nhelpers;
	while (lo < hi) { /* the first row >= (region, village first) */
		int mid = (lo + hi) / 2;
		struct dflt key;
		text_copy(key.region, sizeof key.region, region);
		key.village = village;
		if (cmp_dflt(&c->helpers[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= c->nhelpers || strcmp(c->helpers[lo].region, region) ||
	    c->helpers[lo].village != village)
		return 0;
	if (lo + 1 < c->nhelpers && !strcmp(c->helpers[lo + 1].region, region) &&
	    c->helpers[lo + 1].village == village)
		return 0;
	return c->helpers[lo].uid;
}

/* An entry that joins by itself is given a default helper, so no one waits for an assignment:
 * the village's one village worker, else the township's one assistant; none when there is no
 * single such user (a worker changes it on the entry). */
static int64_t default_helper(const struct ctx *c, const char *village)
{
	char township[16];
	int64_t uid = only_user(c, village, 1);
	if (uid)
		return uid;
	text_copy(township, sizeof township, village);
	if (strlen(township) > 9)
		township[9] = '\0';
	return only_user(c, township, 0);
}

/* A new entry for b; 1 when one was inserted, 0 when the person already has one (elsewhere). */
static int join(struct db *db, struct ctx *c, const struct basis *b, struct err *e)
{
	int freq = 0;
	char due[11];
	if (ledger_schedule(db, &c->days, b->unit, b->mask, c->today, "", 0, &freq, due, e) < 0 ||
	    helpers_load(db, c, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO ledger_entries(person_id, household_id, region_code, unit_code, "
	    "auto_categories, manual_categories, categories, frequency_days, status, joined_on, "
	    "source, next_due, created_at, updated_at, helper_user_id) VALUES (?,?,?,?,?,0,?,?,"
	    "'active',?,'auto',?,?,?,nullif(?, 0)) ON CONFLICT (person_id) DO NOTHING",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, b->person_id);
	db_bind_int(st, 2, b->household_id);
	db_bind_text(st, 3, b->region);
	db_bind_text(st, 4, b->unit);
	db_bind_int(st, 5, b->mask);
	db_bind_int(st, 6, b->mask);
	db_bind_int(st, 7, freq);
	db_bind_text(st, 8, c->today);
	db_bind_text(st, 9, due);
	db_bind_text(st, 10, c->now);
	db_bind_text(st, 11, c->now);
	db_bind_int(st, 12, default_helper(c, b->region));
	if (db_run(st, e) < 0)
		return -1;
	if (db_changes(db) == 0)
		return 0;
	c->r.joined++;
	return 1;
}

/* One person, whatever their entry or region: the pending queue's path. */
static int sync_person(struct db *db, struct ctx *c, int64_t person_id, struct err *e)
{
	unsigned mask = 0;
	struct row r;
	c->r.examined++;
	if (ledger_basis_person(db, person_id, &mask, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, ROW_SELECT "WHERE e.person_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	int rc = db_step(st, e);
	if (rc == 1)
		row_read(st, &r);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return apply(db, c, &r, mask, e);
	if (!mask)
		return 0;
	struct basis b = {.person_id = person_id, .mask = mask};
	st = db_prepare(db,
			"SELECT p.household_id, p.region_code, coalesce(r.unit_code, '') FROM persons p "
			"LEFT JOIN regions r ON r.code = p.region_code WHERE p.id = ?",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	rc = db_step(st, e);
	if (rc == 1) {
		b.household_id = db_col_int(st, 0);
		text_copy(b.region, sizeof b.region, db_col_text(st, 1));
		text_copy(b.unit, sizeof b.unit, db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 && join(db, c, &b, e) < 0 ? -1 : 0;
}

/* Everything noted in ledger_dirty, then the queue emptied. *n the persons looked at. */
static int pending(struct db *db, struct ctx *c, int64_t *n, struct err *e)
{
	int64_t *ids = NULL;
	int nids = 0, alloc = 0, rc;
	struct db_stmt *st = db_prepare(db, "SELECT person_id FROM ledger_dirty ORDER BY person_id", e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&ids, nids, &alloc, sizeof *ids, 64) < 0) {
			rc = err_oom(e);
			break;
		}
		ids[nids++] = db_col_int(st, 0);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < nids; i++)
		rc = sync_person(db, c, ids[i], e);
	free(ids);
	if (rc < 0)
		return -1;
	*n = nids;
	return db_exec(db, "DELETE FROM ledger_dirty", e);
}

static void ctx_init(struct ctx *c, const char *today)
{
	memset(c, 0, sizeof *c);
	if (today && *today) {
		text_copy(c->today, sizeof c->today, today);
		snprintf(c->now, sizeof c->now, "%sT00:00:00+08:00", c->today);
	} else {
		clock_today(c->today);
		clock_now_iso(c->now);
	}
}

static int audit_sync(struct db *db, const struct actor *a, const char *mode, const char *region,
		      const struct ledger_sync_result *r, struct err *e)
{
	char detail[256];
	snprintf(detail, sizeof detail,
		 "{\"mode\":\"%s\",\"region\":\"%s\",\"examined\":%" PRId64 ",\"joined\":%" PRId64
		 ",\"updated\":%" PRId64 ",\"closed\":%" PRId64 ",\"reopened\":%" PRId64 "}",
		 mode, region ? region : "", r->examined, r->joined, r->updated, r->closed,
		 r->reopened);
	return audit_append(db, a, "ledger.sync", "ledger", "ok", detail, e);
}

/* 1 when persons wait in ledger_dirty, 0 when none, -1 with e when the queue could not be read
 * (then the ledger is not known to be current, and nothing may be read or written from it). */
static int dirty_pending(struct db *db, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM ledger_dirty LIMIT 1", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

int ledger_refresh(struct db *db, const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_LEDGER))
		return ledger_forbidden(e);
	int dirty = dirty_pending(db, e);
	if (dirty <= 0)
		return dirty;
	struct ctx *c = malloc(sizeof *c);
	if (!c)
		return err_oom(e);
	ctx_init(c, NULL);
	int64_t n = 0;
	int rc = db_begin_write(db, e);
	if (rc == 0) {
		rc = pending(db, c, &n, e);
		/* another connection may have emptied the queue between the look and the lock */
		if (rc == 0 && n > 0)
			rc = audit_sync(db, a, "pending", "", &c->r, e);
		rc = ledger_finish(db, rc, e);
	}
	free(c->helpers);
	free(c);
	return rc;
}

/* The persons of `fresh` (new to the ledger, in person order) join in one INSERT … SELECT
 * through a temporary table: at the demo's 70,000 entries about half the cost of an INSERT per
 * person. Those who already have an entry outside the scope (they moved in) go the one-person way. */
static int join_all(struct db *db, struct ctx *c, const struct basis *fresh, int n, struct err *e)
{
	if (!n)
		return 0;
	if (helpers_load(db, c, e) < 0)
		return -1;
	if (db_exec(db,
		    "CREATE TEMP TABLE IF NOT EXISTS ledger_join (person_id INTEGER PRIMARY KEY, "
		    "household_id INTEGER, region_code TEXT, unit_code TEXT, mask INTEGER, "
		    "freq INTEGER, due TEXT, helper INTEGER);"
		    "DELETE FROM temp.ledger_join;",
		    e) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		int freq = 0;
		char due[11];
		if (ledger_schedule(db, &c->days, fresh[i].unit, fresh[i].mask, c->today, "", 0, &freq,
				    due, e) < 0)
			return -1;
		struct db_stmt *st = db_prepare(db, "INSERT INTO temp.ledger_join VALUES (?,?,?,?,?,?,?,?)", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, fresh[i].person_id);
		db_bind_int(st, 2, fresh[i].household_id);
		db_bind_text(st, 3, fresh[i].region);
		db_bind_text(st, 4, fresh[i].unit);
		db_bind_int(st, 5, fresh[i].mask);
		db_bind_int(st, 6, freq);
		db_bind_text(st, 7, due);
		db_bind_int(st, 8, default_helper(c, fresh[i].region));
		if (db_run(st, e) < 0)
			return -1;
	}
	/* persons with an entry elsewhere */
	int64_t *moved = NULL;
	int nmoved = 0, alloc = 0, rc;
	struct db_stmt *st = db_prepare(db,
					"SELECT j.person_id FROM temp.ledger_join j WHERE EXISTS (SELECT 1 "
					"FROM ledger_entries e WHERE e.person_id = j.person_id)",
					e);
	if (!st)
		return -1;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&moved, nmoved, &alloc, sizeof *moved, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		moved[nmoved++] = db_col_int(st, 0);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < nmoved; i++) {
		rc = sync_person(db, c, moved[i], e);
		if (rc == 0 && (st = db_prepare(db, "DELETE FROM temp.ledger_join WHERE person_id = ?", e))) {
			db_bind_int(st, 1, moved[i]);
			rc = db_run(st, e);
		} else if (rc == 0) {
			rc = -1;
		}
	}
	free(moved);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"INSERT INTO ledger_entries(person_id, household_id, region_code, unit_code, "
			"auto_categories, manual_categories, categories, frequency_days, status, "
			"joined_on, source, next_due, created_at, updated_at, helper_user_id) SELECT "
			"person_id, household_id, region_code, unit_code, mask, 0, mask, freq, 'active', "
			"?1, 'auto', due, ?2, ?2, nullif(helper, 0) FROM temp.ledger_join ORDER BY "
			"person_id",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, c->today);
	db_bind_text(st, 2, c->now);
	if (db_run(st, e) < 0)
		return -1;
	c->r.joined += db_changes(db);
	c->r.examined += db_changes(db);
	return db_exec(db, "DELETE FROM temp.ledger_join", e);
}

static int full_sync(struct db *db, const struct actor *a, const char *region, struct ctx *c,
		     struct err *e)
{
	struct basis *b = NULL, *fresh = NULL;
	int nb = 0, nfresh = 0, rc;
	if (basis_collect(db, &a->scope, region, &b, &nb, e) < 0)
		return -1;
	struct strbuf sql = STRBUF_INIT;
	struct ledger_qb qb = {.sql = &sql};
	ledger_qb_sql(&qb, ROW_SELECT "WHERE 1");
	ledger_qb_scope(&qb, &a->scope, "e.region_code || ''");
	if (region && *region)
		ledger_qb_prefix(&qb, "e.region_code || ''", region);
	ledger_qb_sql(&qb, " ORDER BY e.person_id");
	/* the entries are read into memory first: the statement must not run while they change */
	struct row *rows = NULL;
	int nrows = 0, alloc = 0;
	struct db_stmt *st = ledger_qb_prepare(db, &qb, e);
	strbuf_release(&sql);
	if (!st) {
		free(b);
		return -1;
	}
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&rows, nrows, &alloc, sizeof *rows, 1024) < 0) {
			rc = err_oom(e);
			break;
		}
		row_read(st, &rows[nrows++]);
	}
	db_done(st);
	if (rc == 0 && nb && !(fresh = malloc(sizeof *fresh * (size_t)nb)))
		rc = err_oom(e);
	int i = 0, j = 0;
	while (rc == 0 && (i < nb || j < nrows)) {
		if (j >= nrows || (i < nb && b[i].person_id < rows[j].id)) {
			fresh[nfresh++] = b[i++]; /* joins below, all at once */
		} else if (i >= nb || rows[j].id < b[i].person_id) {
			c->r.examined++;
			rc = apply(db, c, &rows[j], 0, e);
			j++;
		} else {
			c->r.examined++;
			rc = apply(db, c, &rows[j], b[i].mask, e);
			i++, j++;
		}
	}
	if (rc == 0)
		rc = join_all(db, c, fresh, nfresh, e);
	free(fresh);
	free(rows);
	free(b);
	if (rc < 0)
		return -1;
	/* everyone in the scope was looked at: what is noted for them is done; the rest of the
	 * queue (persons elsewhere) is handled as usual */
	if (a->scope.n == 1 && !a->scope.prefix[0][0] && !(region && *region)) {
		if (db_exec(db, "DELETE FROM ledger_dirty", e) < 0)
			return -1;
		return 0;
	}
	sql = (struct strbuf)STRBUF_INIT;
	memset(&qb, 0, sizeof qb);
	qb.sql = &sql;
	ledger_qb_sql(&qb, "DELETE FROM ledger_dirty WHERE person_id IN (SELECT d.person_id FROM "
			   "ledger_dirty d CROSS JOIN persons p ON p.id = d.person_id WHERE 1");
	ledger_qb_scope(&qb, &a->scope, "p.region_code || ''");
	if (region && *region)
		ledger_qb_prefix(&qb, "p.region_code || ''", region);
	ledger_qb_sql(&qb, ")");
	st = ledger_qb_prepare(db, &qb, e);
	strbuf_release(&sql);
	if (!st || db_run(st, e) < 0)
		return -1;
	int64_t n = 0;
	return pending(db, c, &n, e);
}

int ledger_sync(struct db *db, const struct actor *a, const char *region, const char *today,
		struct ledger_sync_result *out, struct err *e)
{
	if (!actor_can(a, PERM_LEDGER))
		return ledger_forbidden(e);
	if (ledger_region_check(a, region, e) < 0)
		return -1;
	if (today && *today && !ledger_date_valid(today))
		return err_set(e, 400, "invalid_value", "today", "日期应为 YYYY-MM-DD 格式的有效日期");
	struct ctx *c = malloc(sizeof *c);
	if (!c)
		return err_oom(e);
	ctx_init(c, today);
	int rc = db_begin_write(db, e);
	if (rc == 0) {
		rc = full_sync(db, a, region, c, e);
		if (rc == 0)
			rc = audit_sync(db, a, "full", region, &c->r, e);
		rc = ledger_finish(db, rc, e);
	}
	if (rc == 0 && out)
		*out = c->r;
	free(c->helpers);
	free(c);
	return rc;
}

int ledger_job_sync(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		    json_t **result, struct err *e)
{
	char region[16] = "";
	json_t *v = params ? json_object_get(params, "region") : NULL;
	if (v && !json_is_null(v)) {
		if (!json_is_string(v) || json_string_length(v) >= sizeof region)
			return err_set(e, 400, "invalid_value", "region", "区划代码应为 2–12 位数字");
		text_copy(region, sizeof region, json_string_value(v));
	}
	struct ledger_sync_result r;
	job_progress(jc, 0, 1, "正在同步困难群众台账");
	if (ledger_sync(db, a, region, NULL, &r, e) < 0)
		return -1;
	job_progress(jc, 1, 1, "同步完成");
	*result = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "region", region, "examined",
			    (json_int_t)r.examined, "joined", (json_int_t)r.joined, "updated",
			    (json_int_t)r.updated, "closed", (json_int_t)r.closed, "reopened",
			    (json_int_t)r.reopened);
	return *result ? 0 : err_oom(e);
}
