/* crosscheck_store.c — the cross-check's SQL (see crosscheck.h): recording deaths, finding the
 * payments made after them (overpayments), the recovery workflow, the lists, the monthly report
 * and the statistics pass.
 *
 * Finding a person's payments: the payroll keeps one normal payment per (month, program, case)
 * (its index payments_once, month first), and the persons each payment counted
 * (payment_persons, keyed by payment). So the person's cases are found first (特困, orphan,
 * unsupported child: by person; 低保: the household's case; price subsidies: by person), then
 * each month from the month after the death up to the latest payroll month is one exact index
 * lookup, a failed payment followed to its re-issue, and the person checked against the
 * payment's persons. Deaths are few beside payments, so this is cheap.
 *
 * The amount paid too much on a 低保 household: the payment less what the assistance module
 * now says the household was owed that month (assistance_entitlements over the household's
 * village, which already leaves the dead member out), so the household's other members keep
 * their share. */
#include "crosscheck/crosscheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance/assistance.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/strbuf.h"
#include "core/text.h"

/* ---- helpers ------------------------------------------------------------------------------ */

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

static int need_perm(const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_CROSSCHECK))
		return err_set(e, 403, "forbidden", NULL, "您没有死亡比对的权限");
	return 0;
}

static void next_month(char m[8])
{
	int y = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
	int mo = (m[5] - '0') * 10 + (m[6] - '0');
	if (++mo > 12) {
		mo = 1;
		y++;
	}
	snprintf(m, 8, "%04d-%02d", y % 10000, mo % 100);
}

/* ---- a person's payments ------------------------------------------------------------------ */

struct pcase {
	int64_t case_id;
	char program[20];
	char from[8]; /* price subsidies: the subsidy's own month (paid in a later run) */
};

/* The person's cases whose payments may count them: 低保 of their household, their own
 * one-person cases, their price subsidies of months >= stop. *out malloc'd. */
static int cases_of(struct db *db, int64_t person_id, const char *stop, struct pcase **out,
		    int *n, struct err *e)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT c.id, c.program, '' FROM assistance_cases c WHERE c.person_id = ?1 AND "
	    "c.program <> 'dibao' UNION ALL SELECT c.id, c.program, '' FROM persons p JOIN "
	    "assistance_cases c ON c.household_id = p.household_id WHERE p.id = ?1 AND c.program = "
	    "'dibao' UNION ALL SELECT -s.id, 'price_subsidy', s.month FROM price_subsidies s WHERE "
	    "s.person_id = ?1 AND s.month >= ?2",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, stop);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (*n == alloc) {
			int na = alloc ? alloc * 2 : 8;
			struct pcase *nv = realloc(*out, (size_t)na * sizeof *nv);
			if (!nv) {
				rc = err_oom(e);
				break;
			}
			*out = nv;
			alloc = na;
		}
		struct pcase *c = &(*out)[(*n)++];
		c->case_id = db_col_int(st, 0);
		text_copy(c->program, sizeof c->program, db_col_text(st, 1));
		text_copy(c->from, sizeof c->from, db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

struct payrow {
	int64_t id, amount, household_id;
	char status[12], region[16], unit[16], month[8];
};

static int pay_read(struct db_stmt *st, struct payrow *p, struct err *e)
{
	int rc = db_step(st, e);
	if (rc == 1) {
		p->id = db_col_int(st, 0);
		p->amount = db_col_int(st, 1);
		text_copy(p->status, sizeof p->status, db_col_text(st, 2));
		text_copy(p->region, sizeof p->region, db_col_text(st, 3));
		text_copy(p->unit, sizeof p->unit, db_col_text(st, 4));
		p->household_id = db_col_int(st, 5);
		text_copy(p->month, sizeof p->month, db_col_text(st, 6));
	}
	db_done(st);
	return rc;
}

#define PAY_COLS "id, amount_fen, status, region_code, unit_code, household_id, month "

/* The payment of (month, program, case) that stands — the normal one, or the end of its chain
 * of re-issues when it failed: 1 found (into p), 0 none, -1 error. */
static int payment_of(struct db *db, const char *month, const struct pcase *c, struct payrow *p,
		      struct err *e)
{
	struct db_stmt *st;
	if (strcmp(c->program, "price_subsidy") == 0) {
		/* a subsidy is paid once by whichever run: its payment is found by the case */
		st = db_prepare(db,
				"SELECT " PAY_COLS "FROM payments WHERE program = 'price_subsidy' AND "
				"case_id = ?1 AND reissue_of IS NULL",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, c->case_id);
	} else {
		st = db_prepare(db,
				"SELECT " PAY_COLS "FROM payments WHERE month = ?1 AND program = ?2 AND "
				"case_id = ?3 AND reissue_of IS NULL",
				e);
		if (!st)
			return -1;
		db_bind_text(st, 1, month);
		db_bind_text(st, 2, c->program);
		db_bind_int(st, 3, c->case_id);
	}
	int rc = pay_read(st, p, e);
	for (int hops = 0; rc == 1 && strcmp(p->status, "paid") != 0 && hops < 24; hops++) {
		if (!(st = db_prepare(db, "SELECT " PAY_COLS "FROM payments WHERE reissue_of = ?", e)))
			return -1;
		db_bind_int(st, 1, p->id);
		struct payrow q;
		int r = pay_read(st, &q, e);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		*p = q;
	}
	return rc;
}

static int counted(struct db *db, int64_t payment_id, int64_t person_id, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db, "SELECT 1 FROM payment_persons WHERE payment_id = ? AND person_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, payment_id);
	db_bind_int(st, 2, person_id);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

struct owed_ctx {
	int64_t case_id, amount;
};

static int owed_cb(const struct assistance_entitlement *ent, void *ctx)
{
	struct owed_ctx *o = ctx;
	if (ent->case_id == o->case_id) {
		o->amount = ent->amount_fen;
		return 1;
	}
	return 0;
}

/* What a 低保 case is owed for month now (its village's entitlements), 0 when nothing. */
static int dibao_owed(struct db *db, int64_t case_id, const char *village, const char *month,
		      int64_t *out, struct err *e)
{
	struct scope s;
	memset(&s, 0, sizeof s);
	s.n = 1;
	text_copy(s.prefix[0], sizeof s.prefix[0], village);
	struct owed_ctx o = {case_id, 0};
	if (assistance_entitlements(db, &s, month, owed_cb, &o, e) < 0)
		return -1;
	*out = o.amount;
	return 0;
}

/* Record (or update, while still only found) the overpayment of payment p. 1 new, 0 known. */
static int overpayment_put(struct db *db, const struct actor *a, int64_t person_id,
			   const char *died_on, const struct pcase *c, const struct payrow *p,
			   int64_t amount, struct err *e)
{
	char now[32];
	clock_now_iso(now);
	struct db_stmt *st =
	    db_prepare(db, "SELECT id FROM crosscheck_overpayments WHERE payment_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	int rc = db_step(st, e);
	int64_t id = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	if (id) {
		st = db_prepare(db,
				"UPDATE crosscheck_overpayments SET amount_fen = ? WHERE id = ? AND "
				"status = 'found' AND amount_fen <> ?",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, amount);
		db_bind_int(st, 2, id);
		db_bind_int(st, 3, amount);
		return db_run(st, e) < 0 ? -1 : 0;
	}
	st = db_prepare(db,
			"INSERT INTO crosscheck_overpayments(payment_id, person_id, died_on, program, "
			"case_id, month, paid_fen, amount_fen, region_code, unit_code, found_at, "
			"updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_int(st, 2, person_id);
	db_bind_text(st, 3, died_on);
	db_bind_text(st, 4, c->program);
	db_bind_int(st, 5, c->case_id);
	db_bind_text(st, 6, p->month);
	db_bind_int(st, 7, p->amount);
	db_bind_int(st, 8, amount);
	db_bind_text(st, 9, p->region);
	db_bind_text(st, 10, p->unit);
	db_bind_text(st, 11, now);
	db_bind_text(st, 12, now);
	db_bind_text(st, 13, a->username);
	if (db_run(st, e) < 0)
		return -1;
	id = db_last_id(db);
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"payment_id\":%lld,\"person_id\":%lld,\"month\":\"%s\",\"amount_fen\":%lld}",
		 (long long)p->id, (long long)person_id, p->month, (long long)amount);
	if (audit_append_id(db, a, "crosscheck.overpayment", "crosscheck_overpayment", id, detail,
			    e) < 0)
		return -1;
	return 1;
}

/* Find the overpayments of one dead person (inside the caller's write transaction). */
static int scan_person(struct db *db, const struct actor *a, int64_t person_id, int *found,
		       struct err *e)
{
	char died[11] = "", stop[8], last[8] = "";
	struct db_stmt *st =
	    db_prepare(db, "SELECT min(died_on) FROM crosscheck_deaths WHERE person_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	int rc = db_step(st, e);
	if (rc == 1)
		text_copy(died, sizeof died, db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	if (crosscheck_stop_month(died, stop) < 0)
		return 0;
	if (!(st = db_prepare(db, "SELECT coalesce(max(month), '') FROM payments WHERE reissue_of "
				  "IS NULL",
			      e)))
		return -1;
	rc = db_step(st, e);
	if (rc == 1)
		text_copy(last, sizeof last, db_col_text(st, 0));
	db_done(st);
	if (rc < 0)
		return -1;
	if (!last[0] || strcmp(last, stop) < 0)
		return 0;
	struct pcase *cs;
	int n;
	if (cases_of(db, person_id, stop, &cs, &n, e) < 0)
		return -1;
	rc = 0;
	for (int i = 0; rc == 0 && i < n; i++) {
		const int price = strcmp(cs[i].program, "price_subsidy") == 0;
		char m[8];
		text_copy(m, sizeof m, stop);
		for (; rc == 0 && strcmp(m, last) <= 0; next_month(m)) {
			struct payrow p;
			int r = payment_of(db, m, &cs[i], &p, e);
			if (r < 0) {
				rc = -1;
				break;
			}
			if (r == 1 && strcmp(p.status, "paid") == 0) {
				int k = counted(db, p.id, person_id, e);
				if (k < 0) {
					rc = -1;
					break;
				}
				int64_t amount = p.amount;
				if (k == 1 && strcmp(cs[i].program, "dibao") == 0) {
					int64_t owed;
					if (dibao_owed(db, cs[i].case_id, p.region, p.month, &owed, e) < 0) {
						rc = -1;
						break;
					}
					amount = p.amount - owed;
				}
				if (k == 1 && amount > 0) {
					int put = overpayment_put(db, a, person_id, died, &cs[i], &p, amount, e);
					if (put < 0)
						rc = -1;
					else if (put == 1 && found)
						(*found)++;
				}
			}
			if (price)
				break; /* a subsidy has one payment, whatever the run's month */
		}
	}
	free(cs);
	return rc;
}

/* ---- deaths ------------------------------------------------------------------------------- */

int crosscheck_death_record(struct db *db, const struct actor *a, const char *id_number,
			    const char *died_on, const char *source, const char *source_ref,
			    int64_t *person_id, int *n_over, struct err *e)
{
	char now[32], region[16] = "";
	int64_t pid = 0;
	if (n_over)
		*n_over = 0;
	if (strcmp(source, "funeral") != 0 && strcmp(source, "import") != 0)
		return err_set(e, 500, "internal", NULL, "crosscheck: 未知来源");
	if (!db_in_transaction(db))
		return err_set(e, 500, "internal", NULL, "crosscheck_death_record: 须在事务内调用");
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, region_code FROM persons WHERE id_number = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id_number);
	int rc = db_step(st, e);
	if (rc == 1) {
		pid = db_col_int(st, 0);
		text_copy(region, sizeof region, db_col_text(st, 1));
	}
	db_done(st);
	if (rc <= 0)
		return rc;
	if (person_id)
		*person_id = pid;
	clock_now_iso(now);
	if (!(st = db_prepare(db,
			      "INSERT OR IGNORE INTO crosscheck_deaths(person_id, id_number, "
			      "region_code, died_on, source, source_ref, recorded_at, recorded_by) "
			      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			      e)))
		return -1;
	db_bind_int(st, 1, pid);
	db_bind_text(st, 2, id_number);
	db_bind_text(st, 3, region);
	db_bind_text(st, 4, died_on);
	db_bind_text(st, 5, source);
	db_bind_text(st, 6, source_ref ? source_ref : "");
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, a->username);
	if (db_run(st, e) < 0)
		return -1;
	if (db_changes(db) == 0)
		return 2;
	int64_t id = db_last_id(db);
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"person_id\":%lld,\"died_on\":\"%s\",\"source\":\"%s\"}", (long long)pid,
		 died_on, source);
	if (audit_append_id(db, a, "crosscheck.death", "crosscheck_death", id, detail, e) < 0)
		return -1;
	if (scan_person(db, a, pid, n_over, e) < 0)
		return -1;
	return 1;
}

int crosscheck_died_on(struct db *db, int64_t person_id, char out[11], struct err *e)
{
	out[0] = '\0';
	struct db_stmt *st = db_prepare(
	    db, "SELECT min(died_on) FROM crosscheck_deaths WHERE person_id = ? HAVING count(*) > 0",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	int rc = db_step(st, e);
	if (rc == 1)
		text_copy(out, 11, db_col_text(st, 0));
	db_done(st);
	return rc;
}

int crosscheck_scan(struct db *db, const struct actor *a, int *found, struct err *e)
{
	if (need_perm(a, e) < 0)
		return -1;
	*found = 0;
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	int64_t *ids = NULL;
	int n = 0, alloc = 0, rc = 0;
	struct db_stmt *st = scope_prepare(db, &a->scope,
					    "SELECT DISTINCT person_id FROM crosscheck_deaths WHERE ",
					    "region_code", " ORDER BY person_id", e);
	if (!st)
		rc = -1;
	else {
		scope_bind(st, &a->scope, 1);
		int s;
		while ((s = db_step(st, e)) == 1) {
			if (n == alloc) {
				int na = alloc ? alloc * 2 : 64;
				int64_t *nv = realloc(ids, (size_t)na * sizeof *nv);
				if (!nv) {
					s = err_oom(e);
					break;
				}
				ids = nv;
				alloc = na;
			}
			ids[n++] = db_col_int(st, 0);
		}
		db_done(st);
		if (s < 0)
			rc = -1;
	}
	for (int i = 0; rc == 0 && i < n; i++)
		rc = scan_person(db, a, ids[i], found, e);
	free(ids);
	if (rc == 0) {
		char detail[80];
		snprintf(detail, sizeof detail, "{\"deaths\":%d,\"found\":%d}", n, *found);
		rc = audit_append(db, a, "crosscheck.scan", "crosscheck", "ok", detail, e);
	}
	return db_write_finish(db, began, rc, e);
}

/* ---- lists -------------------------------------------------------------------------------- */

/* Unmasked reads are audited in their own small transaction before the read. */
static int unmask_audit(struct db *db, const struct actor *a, const char *list, struct err *e)
{
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", NULL, "您没有查看完整姓名和身份证号的权限");
	return audit_record(db, a, "crosscheck.unmask", list, "ok", NULL, e);
}

static int filter_check(const struct actor *a, const struct crosscheck_filter *f, struct err *e)
{
	if (f->month[0]) {
		char tmp[8];
		if (crosscheck_prev_month(f->month, tmp) < 0)
			return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM");
	}
	int r = scope_region_filter(&a->scope, f->region, e);
	if (r < 0)
		return -1;
	if (r == 1)
		return err_set(e, 403, "out_of_scope", "region", "所选区域不在您的管辖范围内");
	return 0;
}

#define DEATH_FILTER                                                                               \
	" AND (?1 = '' OR substr(d.died_on, 1, 7) = ?1) AND (?2 = '' OR (d.region_code >= ?2 AND "  \
	"d.region_code < ?2 || 'z'))"
#define DEATH_COLS                                                                                 \
	"d.id, d.person_id, coalesce(p.name, ''), d.id_number, d.region_code, coalesce(r.name, ''), " \
	"coalesce(r.unit_code, ''), d.died_on, d.source, d.source_ref, d.recorded_at, "               \
	"d.recorded_by, EXISTS (SELECT 1 FROM assistance_cases c WHERE (c.person_id = d.person_id " \
	"OR (c.program = 'dibao' AND c.household_id = p.household_id)) AND c.start_month <> ''), "    \
	"(SELECT count(*) FROM crosscheck_overpayments o WHERE o.person_id = d.person_id), "         \
	"(SELECT coalesce(sum(amount_fen), 0) FROM crosscheck_overpayments o WHERE o.person_id = "   \
	"d.person_id) FROM crosscheck_deaths d LEFT JOIN persons p ON p.id = d.person_id LEFT JOIN " \
	"regions r ON r.code = d.region_code WHERE "

int crosscheck_deaths_list(struct db *db, const struct actor *a, const struct crosscheck_filter *f,
			   int (*fn)(const struct crosscheck_death *d, void *ctx), void *ctx,
			   int64_t *total, struct err *e)
{
	if (need_perm(a, e) < 0 || filter_check(a, f, e) < 0)
		return -1;
	if (f->unmask && unmask_audit(db, a, "crosscheck_deaths", e) < 0)
		return -1;
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = 0;
	/* the filter's numbered parameters come first in the text: the scope's follow them */
	struct db_stmt *st = scope_prepare(db, &a->scope,
					    "SELECT count(*) FROM crosscheck_deaths d WHERE 1 = 1"
					    DEATH_FILTER " AND ",
					    "d.region_code", "", e);
	if (!st)
		rc = -1;
	else {
		db_bind_text(st, 1, f->month);
		db_bind_text(st, 2, f->region);
		scope_bind(st, &a->scope, 3);
		int s = db_step(st, e);
		if (s == 1 && total)
			*total = db_col_int(st, 0);
		db_done(st);
		rc = s < 0 ? -1 : 0;
	}
	if (rc == 0 &&
	    !(st = scope_prepare(db, &a->scope, "SELECT " DEATH_COLS "1 = 1" DEATH_FILTER " AND ",
				  "d.region_code", " ORDER BY d.died_on DESC, d.id DESC LIMIT ?20 OFFSET ?21",
				  e)))
		rc = -1;
	if (rc == 0) {
		db_bind_text(st, 1, f->month);
		db_bind_text(st, 2, f->region);
		scope_bind(st, &a->scope, 3);
		db_bind_int(st, 20, f->limit > 0 ? f->limit : 50);
		db_bind_int(st, 21, f->offset);
		struct crosscheck_death d;
		int s;
		while ((s = db_step(st, e)) == 1) {
			memset(&d, 0, sizeof d);
			d.id = db_col_int(st, 0);
			d.person_id = db_col_int(st, 1);
			text_copy(d.name, sizeof d.name, db_col_text(st, 2));
			text_copy(d.id_number, sizeof d.id_number, db_col_text(st, 3));
			text_copy(d.region_code, sizeof d.region_code, db_col_text(st, 4));
			text_copy(d.region_name, sizeof d.region_name, db_col_text(st, 5));
			text_copy(d.unit_code, sizeof d.unit_code, db_col_text(st, 6));
			text_copy(d.died_on, sizeof d.died_on, db_col_text(st, 7));
			text_copy(d.source, sizeof d.source, db_col_text(st, 8));
			text_copy(d.source_ref, sizeof d.source_ref, db_col_text(st, 9));
			text_copy(d.recorded_at, sizeof d.recorded_at, db_col_text(st, 10));
			text_copy(d.recorded_by, sizeof d.recorded_by, db_col_text(st, 11));
			d.on_roll = (int)db_col_int(st, 12);
			d.overpayments = db_col_int(st, 13);
			d.overpaid_fen = db_col_int(st, 14);
			if (!f->unmask) {
				char m[128], idm[19];
				text_mask_name(d.name, m, sizeof m);
				text_copy(d.name, sizeof d.name, m);
				idnum_mask(d.id_number, idm);
				text_copy(d.id_number, sizeof d.id_number, idm);
			}
			if (fn(&d, ctx))
				break;
		}
		db_done(st);
		rc = s < 0 ? -1 : 0;
	}
	end_read(db, began);
	return rc;
}

#define OVER_FILTER                                                                                \
	" AND (?1 = '' OR o.month = ?1) AND (?2 = '' OR (o.region_code >= ?2 AND o.region_code < "  \
	"?2 || 'z')) AND (?3 = '' OR o.status = ?3 OR (?3 = 'open' AND o.status IN "                \
	"('found','notified')))"
#define OVER_COLS                                                                                  \
	"o.id, o.payment_id, o.person_id, o.case_id, coalesce(p.name, ''), coalesce(p.id_number, "  \
	"''), o.program, o.month, o.died_on, o.paid_fen, o.amount_fen, o.recovered_fen, "            \
	"o.region_code, coalesce(r.name, ''), o.unit_code, o.status, o.reason, o.found_at, "          \
	"o.updated_at, o.updated_by FROM crosscheck_overpayments o LEFT JOIN persons p ON p.id = "  \
	"o.person_id LEFT JOIN regions r ON r.code = o.region_code WHERE "

static void over_read(struct db_stmt *st, struct crosscheck_overpayment *o, int unmask)
{
	memset(o, 0, sizeof *o);
	o->id = db_col_int(st, 0);
	o->payment_id = db_col_int(st, 1);
	o->person_id = db_col_int(st, 2);
	o->case_id = db_col_int(st, 3);
	text_copy(o->name, sizeof o->name, db_col_text(st, 4));
	text_copy(o->id_number, sizeof o->id_number, db_col_text(st, 5));
	text_copy(o->program, sizeof o->program, db_col_text(st, 6));
	text_copy(o->month, sizeof o->month, db_col_text(st, 7));
	text_copy(o->died_on, sizeof o->died_on, db_col_text(st, 8));
	o->paid_fen = db_col_int(st, 9);
	o->amount_fen = db_col_int(st, 10);
	o->recovered_fen = db_col_int(st, 11);
	text_copy(o->region_code, sizeof o->region_code, db_col_text(st, 12));
	text_copy(o->region_name, sizeof o->region_name, db_col_text(st, 13));
	text_copy(o->unit_code, sizeof o->unit_code, db_col_text(st, 14));
	text_copy(o->status, sizeof o->status, db_col_text(st, 15));
	text_copy(o->reason, sizeof o->reason, db_col_text(st, 16));
	text_copy(o->found_at, sizeof o->found_at, db_col_text(st, 17));
	text_copy(o->updated_at, sizeof o->updated_at, db_col_text(st, 18));
	text_copy(o->updated_by, sizeof o->updated_by, db_col_text(st, 19));
	if (!unmask) {
		char m[128], idm[19];
		text_mask_name(o->name, m, sizeof m);
		text_copy(o->name, sizeof o->name, m);
		idnum_mask(o->id_number, idm);
		text_copy(o->id_number, sizeof o->id_number, idm);
	}
}

int crosscheck_overpayments_list(struct db *db, const struct actor *a,
				 const struct crosscheck_filter *f,
				 int (*fn)(const struct crosscheck_overpayment *o, void *ctx),
				 void *ctx, int64_t *total, struct err *e)
{
	if (need_perm(a, e) < 0 || filter_check(a, f, e) < 0)
		return -1;
	if (f->status[0] && strcmp(f->status, "found") != 0 && strcmp(f->status, "notified") != 0 &&
	    strcmp(f->status, "recovered") != 0 && strcmp(f->status, "written_off") != 0 &&
	    strcmp(f->status, "open") != 0)
		return err_set(e, 400, "invalid_value", "status",
			       "status 应为 found、notified、recovered、written_off 或 open");
	if (f->unmask && unmask_audit(db, a, "crosscheck_overpayments", e) < 0)
		return -1;
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = 0;
	struct db_stmt *st = scope_prepare(db, &a->scope,
					    "SELECT count(*) FROM crosscheck_overpayments o WHERE 1 = 1"
					    OVER_FILTER " AND ",
					    "o.region_code", "", e);
	if (!st)
		rc = -1;
	else {
		db_bind_text(st, 1, f->month);
		db_bind_text(st, 2, f->region);
		db_bind_text(st, 3, f->status);
		scope_bind(st, &a->scope, 4);
		int s = db_step(st, e);
		if (s == 1 && total)
			*total = db_col_int(st, 0);
		db_done(st);
		rc = s < 0 ? -1 : 0;
	}
	if (rc == 0 &&
	    !(st = scope_prepare(db, &a->scope, "SELECT " OVER_COLS "1 = 1" OVER_FILTER " AND ",
				  "o.region_code", " ORDER BY o.month DESC, o.id DESC LIMIT ?20 OFFSET ?21",
				  e)))
		rc = -1;
	if (rc == 0) {
		db_bind_text(st, 1, f->month);
		db_bind_text(st, 2, f->region);
		db_bind_text(st, 3, f->status);
		scope_bind(st, &a->scope, 4);
		db_bind_int(st, 20, f->limit > 0 ? f->limit : 50);
		db_bind_int(st, 21, f->offset);
		struct crosscheck_overpayment *o = malloc(sizeof *o);
		int s = 0;
		if (!o)
			rc = err_oom(e);
		while (o && (s = db_step(st, e)) == 1) {
			over_read(st, o, f->unmask);
			if (fn(o, ctx))
				break;
		}
		db_done(st);
		free(o);
		if (s < 0)
			rc = -1;
	}
	end_read(db, began);
	return rc;
}

static int over_load(struct db *db, const struct actor *a, int64_t id,
		     struct crosscheck_overpayment *out, struct err *e)
{
	struct db_stmt *st = scope_prepare(db, &a->scope, "SELECT " OVER_COLS "o.id = ? AND ",
					    "o.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		over_read(st, out, 0);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0
		       : err_set(e, 404, "not_found", NULL, "多发款项不存在或不在您的管辖范围内");
}

int crosscheck_overpayment_get(struct db *db, const struct actor *a, int64_t id,
			       struct crosscheck_overpayment *out, struct err *e)
{
	if (!actor_can(a, PERM_CROSSCHECK))
		return err_set(e, 404, "not_found", NULL, "多发款项不存在或不在您的管辖范围内");
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = over_load(db, a, id, out, e);
	end_read(db, began);
	return rc;
}

int crosscheck_overpayment_act(struct db *db, const struct actor *a, int64_t id,
			       const char *action, const char *reason, struct err *e)
{
	if (!actor_can(a, PERM_CROSSCHECK))
		return err_set(e, 404, "not_found", NULL, "多发款项不存在或不在您的管辖范围内");
	char now[32], to[16];
	clock_now_iso(now);
	struct crosscheck_overpayment *o = malloc(sizeof *o);
	if (!o)
		return err_oom(e);
	int began = db_write_join(db, e);
	if (began < 0) {
		free(o);
		return -1;
	}
	int rc = over_load(db, a, id, o, e);
	if (rc == 0)
		rc = crosscheck_transition(o->status, action ? action : "", reason ? reason : "", to,
					   e);
	if (rc == 0) {
		struct db_stmt *st = db_prepare(
		    db,
		    "UPDATE crosscheck_overpayments SET status = ?2, recovered_fen = CASE WHEN ?2 = "
		    "'recovered' THEN amount_fen ELSE recovered_fen END, reason = CASE WHEN ?3 <> '' "
		    "THEN ?3 ELSE reason END, updated_at = ?4, updated_by = ?5 WHERE id = ?1",
		    e);
		if (!st)
			rc = -1;
		else {
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, to);
			db_bind_text(st, 3, reason ? reason : "");
			db_bind_text(st, 4, now);
			db_bind_text(st, 5, a->username);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		char act[40], detail[80];
		snprintf(act, sizeof act, "crosscheck.%s", action);
		snprintf(detail, sizeof detail, "{\"from\":\"%s\",\"to\":\"%s\"}", o->status, to);
		rc = audit_append_id(db, a, act, "crosscheck_overpayment", id, detail, e);
	}
	free(o);
	return db_write_finish(db, began, rc, e);
}

/* ---- the monthly report ------------------------------------------------------------------- */

static struct crosscheck_report_row *row_of(struct crosscheck_report *r, const char *unit)
{
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->rows[i].unit_code, unit) == 0)
			return &r->rows[i];
	return NULL;
}

/* 1 when the person is counted in a payment of month (any state), 0 not, -1 error. */
static int paid_in(struct db *db, int64_t person_id, const char *month, const struct pcase *cs,
		   int n, struct err *e)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(cs[i].program, "price_subsidy") == 0)
			continue;
		struct payrow p;
		int r = payment_of(db, month, &cs[i], &p, e);
		if (r < 0)
			return -1;
		if (r == 1) {
			int k = counted(db, p.id, person_id, e);
			if (k != 0)
				return k;
		}
	}
	return 0;
}

int crosscheck_report_month(struct db *db, const struct actor *a, const char *month,
			    struct crosscheck_report *out, struct err *e)
{
	char prev[8];
	memset(out, 0, sizeof *out);
	if (need_perm(a, e) < 0)
		return -1;
	if (!month || strlen(month) != 7 || crosscheck_prev_month(month, prev) < 0)
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM");
	text_copy(out->month, sizeof out->month, month);
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	int rc = 0, s;
	struct db_stmt *st = db_prepare(db, "SELECT code, name FROM units ORDER BY code", e);
	if (!st)
		rc = -1;
	else {
		while ((s = db_step(st, e)) == 1) {
			const char *code = db_col_text(st, 0);
			if (a->scope.n && !scope_overlaps(&a->scope, code))
				continue;
			if (out->n >= (int)(sizeof out->rows / sizeof out->rows[0]))
				break;
			struct crosscheck_report_row *r = &out->rows[out->n++];
			text_copy(r->unit_code, sizeof r->unit_code, code);
			text_copy(r->unit_name, sizeof r->unit_name, db_col_text(st, 1));
		}
		db_done(st);
		if (s < 0)
			rc = -1;
	}
	/* deaths: matched in the month; stopped: dead before it, paid last month, not this one (a
	 * person on two lists of different units counts once, under the lower unit code) */
	if (rc == 0 &&
	    !(st = scope_prepare(db, &a->scope,
				  "SELECT d.person_id, min(d.died_on), min(coalesce(r.unit_code, '')) FROM "
				  "crosscheck_deaths d LEFT JOIN regions r ON r.code = d.region_code "
				  "WHERE d.died_on < ?1 AND ",
				  "d.region_code", " GROUP BY d.person_id", e)))
		rc = -1;
	if (rc == 0) {
		char next_first[11];
		char nm[8];
		text_copy(nm, sizeof nm, month);
		next_month(nm);
		snprintf(next_first, sizeof next_first, "%s-01", nm);
		db_bind_text(st, 1, next_first);
		scope_bind(st, &a->scope, 2);
		struct dead {
			int64_t pid;
			char died[11], unit[16];
		} *v = NULL;
		int n = 0, alloc = 0;
		while ((s = db_step(st, e)) == 1) {
			if (n == alloc) {
				int na = alloc ? alloc * 2 : 64;
				struct dead *nv = realloc(v, (size_t)na * sizeof *nv);
				if (!nv) {
					s = err_oom(e);
					break;
				}
				v = nv;
				alloc = na;
			}
			v[n].pid = db_col_int(st, 0);
			text_copy(v[n].died, sizeof v[n].died, db_col_text(st, 1));
			text_copy(v[n].unit, sizeof v[n].unit, db_col_text(st, 2));
			n++;
		}
		db_done(st);
		if (s < 0)
			rc = -1;
		for (int i = 0; rc == 0 && i < n; i++) {
			struct crosscheck_report_row *r = row_of(out, v[i].unit);
			if (strncmp(v[i].died, month, 7) == 0) {
				if (r)
					r->matched++;
				out->total.matched++;
				continue;
			}
			/* died before the month */
			struct pcase *cs;
			int nc;
			if (cases_of(db, v[i].pid, "9999-99", &cs, &nc, e) < 0) {
				rc = -1;
				break;
			}
			int before = paid_in(db, v[i].pid, prev, cs, nc, e);
			int now = before == 1 ? paid_in(db, v[i].pid, month, cs, nc, e) : 0;
			free(cs);
			if (before < 0 || now < 0) {
				rc = -1;
				break;
			}
			if (before == 1 && now == 0) {
				if (r)
					r->stopped++;
				out->total.stopped++;
			}
		}
		free(v);
	}
	if (rc == 0 &&
	    !(st = scope_prepare(db, &a->scope,
				  "SELECT o.unit_code, count(*), sum(o.amount_fen), sum(o.status = "
				  "'recovered'), sum(o.recovered_fen) FROM crosscheck_overpayments o "
				  "WHERE o.month = ?1 AND ",
				  "o.region_code", " GROUP BY o.unit_code", e)))
		rc = -1;
	if (rc == 0) {
		db_bind_text(st, 1, month);
		scope_bind(st, &a->scope, 2);
		while ((s = db_step(st, e)) == 1) {
			struct crosscheck_report_row *r = row_of(out, db_col_text(st, 0));
			struct crosscheck_report_row *rows[2] = {r, &out->total};
			for (int k = 0; k < 2; k++) {
				if (!rows[k])
					continue;
				rows[k]->overpayments += db_col_int(st, 1);
				rows[k]->overpaid_fen += db_col_int(st, 2);
				rows[k]->recovered += db_col_int(st, 3);
				rows[k]->recovered_fen += db_col_int(st, 4);
			}
		}
		db_done(st);
		if (s < 0)
			rc = -1;
	}
	text_copy(out->total.unit_code, sizeof out->total.unit_code, "");
	text_copy(out->total.unit_name, sizeof out->total.unit_name, "合计");
	end_read(db, began);
	return rc;
}

/* ---- statistics --------------------------------------------------------------------------- */

int crosscheck_stats_each(struct db *db, const char *from, const char *to,
			  void (*fn)(int kind, const char *region_code, int64_t fen, void *ctx),
			  void *ctx, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT 0, region_code, 0 FROM crosscheck_deaths d WHERE d.id = (SELECT x.id FROM "
	    "crosscheck_deaths x WHERE x.person_id = d.person_id ORDER BY x.died_on, x.id LIMIT 1) "
	    "AND d.died_on BETWEEN ?1 AND ?2 UNION ALL SELECT 1, region_code, amount_fen FROM "
	    "crosscheck_overpayments WHERE month || '-01' BETWEEN ?1 AND ?2",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		fn((int)db_col_int(st, 0), db_col_text(st, 1), db_col_int(st, 2), ctx);
	db_done(st);
	return rc < 0 ? -1 : 0;
}
