/* payroll_store.c — reading runs: one run with its totals per program, the list of runs, the
 * changes against last month; and the small helpers the module shares (programs, months, money
 * text, masking, references, who may act for which unit). See payroll.h. */
#include "core/array_grow.h"
#include "payroll/payroll.h"

#include "accounts/accounts.h"
#include "core/strbuf.h"
#include "price/price.h"
#include "regions/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ================================================================ helpers */

const char *const payroll_programs[PAYROLL_NPROGRAMS] = {
	ASSISTANCE_DIBAO,	      ASSISTANCE_TEKUN, ASSISTANCE_ORPHAN,
	ASSISTANCE_UNSUPPORTED_CHILD, PRICE_PROGRAM,
};
static const char *const program_labels[PAYROLL_NPROGRAMS] = {
	"低保", "特困", "孤儿", "事实无人抚养儿童", "价格临时补贴",
};

int payroll_program_index(const char *program)
{
	for (int i = 0; program && i < PAYROLL_NPROGRAMS; i++)
		if (strcmp(program, payroll_programs[i]) == 0)
			return i;
	return -1;
}

const char *payroll_program_label(const char *program)
{
	int i = payroll_program_index(program);
	return i < 0 ? "" : program_labels[i];
}

int payroll_month_valid(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return 0;
	int year = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
	int mon = (m[5] - '0') * 10 + (m[6] - '0');
	return year >= 1900 && year <= 2999 && mon >= 1 && mon <= 12;
}

void payroll_month_add(const char *month, int delta, char out[8])
{
	int year = atoi(month), mon = atoi(month + 5);
	int t = year * 12 + (mon - 1) + delta;
	snprintf(out, 8, "%04d-%02d", t / 12 % 10000, t % 12 + 1);
}

void payroll_yuan(int64_t fen, char out[32])
{
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(out, 32, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(a / 100),
		 (unsigned long long)(a % 100));
}

void payroll_mask_account(const char *account, char out[48])
{
	size_t n = strlen(account);
	if (n == 0) {
		out[0] = '\0';
		return;
	}
	size_t head = n > 8 ? 4 : 0, tail = n > 4 ? 4 : 0, o = 0;
	for (size_t i = 0; i < n && o + 1 < 48; i++)
		out[o++] = (i < head || i >= n - tail) ? account[i] : '*';
	out[o] = '\0';
}

void payroll_reference(int64_t payment_id, char out[24])
{
	snprintf(out, 24, "MZ%010lld", (long long)payment_id);
}

/* ================================================================ access */

int payroll_check_unit(struct db *db, const struct actor *a, const char *unit_code, struct err *e)
{
	struct regions_unit u;
	struct scope us;
	struct err ignore;
	if (!actor_can(a, PERM_PAYROLL))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权办理发放");
	err_clear(&ignore);
	if (!unit_code || !unit_code[0] || strlen(unit_code) >= sizeof u.code ||
	    regions_unit_get(db, unit_code, &u, &ignore) < 0 ||
	    accounts_resolve_scope(db, unit_code, &us, &ignore) < 0) {
		if (ignore.status >= 500) { /* a database failure is not "no such unit" */
			*e = ignore;
			return -1;
		}
		return err_set(e, 404, "not_found", "unit_code", "管理单位不存在，或不在您的管辖范围内：%s",
			       unit_code ? unit_code : "");
	}
	for (int i = 0; i < us.n; i++)
		if (!scope_contains(&a->scope, us.prefix[i]))
			return err_set(e, 404, "not_found", "unit_code",
				       "管理单位不存在，或不在您的管辖范围内：%s", unit_code);
	/* A unit's own staff act for that unit only: a county's code is a prefix of the townships
	 * a functional zone manages (370705 covers 高新区's), but the zone pays its own. */
	err_clear(&ignore);
	if (a->region_code[0] && strcmp(a->region_code, unit_code) != 0 &&
	    regions_unit_get(db, a->region_code, &u, &ignore) == 0)
		return err_set(e, 404, "not_found", "unit_code", "管理单位不存在，或不在您的管辖范围内：%s",
			       unit_code);
	if (ignore.status >= 500) { /* unknown whether the actor is a unit's: refuse */
		*e = ignore;
		return -1;
	}
	return 0;
}

int payroll_units(struct db *db, const struct actor *a, char (*out)[16], int max, int *n,
		  struct err *e)
{
	struct regions_unit *units;
	int nu;
	struct err ignore;
	*n = 0;
	if (!actor_can(a, PERM_PAYROLL))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权办理发放");
	if (regions_units(db, "", &units, &nu, e) < 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < nu && *n < max; i++) {
		err_clear(&ignore);
		if (payroll_check_unit(db, a, units[i].code, &ignore) == 0)
			snprintf(out[(*n)++], 16, "%s", units[i].code);
		else if (ignore.status >= 500) { /* a unit left out unseen would go unpaid */
			*e = ignore;
			rc = -1;
			break;
		}
	}
	regions_units_free(units, nu);
	return rc;
}

/* ================================================================ runs */

#define RUN_COLUMNS                                                                          \
	"id, month, unit_code, status, computations, n_payments, n_persons, amount_fen, "    \
	"n_reissues, reissue_fen, n_skipped, created_at, created_by, computed_at, computed_by, " \
	"confirmed_at, confirmed_by"

static void run_from_row(struct db_stmt *st, struct payroll_run_info *r)
{
	memset(r, 0, sizeof *r);
	r->id = db_col_int(st, 0);
	snprintf(r->month, sizeof r->month, "%s", db_col_text(st, 1));
	snprintf(r->unit_code, sizeof r->unit_code, "%s", db_col_text(st, 2));
	snprintf(r->status, sizeof r->status, "%s", db_col_text(st, 3));
	r->computations = (int)db_col_int(st, 4);
	r->n_payments = db_col_int(st, 5);
	r->n_persons = db_col_int(st, 6);
	r->amount_fen = db_col_int(st, 7);
	r->n_reissues = db_col_int(st, 8);
	r->reissue_fen = db_col_int(st, 9);
	r->n_skipped = db_col_int(st, 10);
	snprintf(r->created_at, sizeof r->created_at, "%s", db_col_text(st, 11));
	snprintf(r->created_by, sizeof r->created_by, "%s", db_col_text(st, 12));
	snprintf(r->computed_at, sizeof r->computed_at, "%s", db_col_text(st, 13));
	snprintf(r->computed_by, sizeof r->computed_by, "%s", db_col_text(st, 14));
	snprintf(r->confirmed_at, sizeof r->confirmed_at, "%s", db_col_text(st, 15));
	snprintf(r->confirmed_by, sizeof r->confirmed_by, "%s", db_col_text(st, 16));
}

/* Totals per program, the unit's name and the count of returned payments. */
static int run_details(struct db *db, struct payroll_run_info *r, struct err *e)
{
	struct regions_unit u;
	struct err ignore;
	err_clear(&ignore);
	if (regions_unit_get(db, r->unit_code, &u, &ignore) == 0)
		snprintf(r->unit_name, sizeof r->unit_name, "%s", u.name);
	else if (ignore.status >= 500) { /* a database error, not an unknown unit */
		*e = ignore;
		return -1;
	}
	struct db_stmt *st = db_prepare(db, "SELECT program, n_payments, n_persons, amount_fen, "
					    "n_reissues, reissue_fen FROM payroll_run_totals "
					    "WHERE run_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->id);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		int pi = payroll_program_index(db_col_text(st, 0));
		if (pi < 0)
			continue;
		struct payroll_program_total *t = &r->programs[pi];
		t->n_payments = db_col_int(st, 1);
		t->n_persons = db_col_int(st, 2);
		t->amount_fen = db_col_int(st, 3);
		t->n_reissues = db_col_int(st, 4);
		t->reissue_fen = db_col_int(st, 5);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db, "SELECT count(DISTINCT b.payment_id) FROM bank_returns b "
			    "JOIN payments p ON p.id = b.payment_id WHERE p.run_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, r->id);
	rc = db_step(st, e);
	if (rc == 1)
		r->n_failed = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int payroll_run_get(struct db *db, const struct actor *a, int64_t run_id,
		    struct payroll_run_info *out, struct err *e)
{
	if (!actor_can(a, PERM_PAYROLL))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看发放");
	struct db_stmt *st = db_prepare(db, "SELECT " RUN_COLUMNS " FROM payroll_runs WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, run_id);
	int rc = db_step(st, e);
	if (rc == 1)
		run_from_row(st, out);
	db_done(st);
	if (rc < 0)
		return -1;
	struct err ignore;
	err_clear(&ignore);
	if (rc == 0 || payroll_check_unit(db, a, out->unit_code, &ignore) < 0) {
		if (ignore.status >= 500) { /* a database error, not a run out of scope */
			*e = ignore;
			return -1;
		}
		return err_set(e, 404, "not_found", NULL, "发放批次不存在，或不在您的管辖范围内");
	}
	return run_details(db, out, e);
}

int payroll_run_find(struct db *db, const struct actor *a, const char *month,
		     const char *unit_code, int64_t *run_id, struct err *e)
{
	if (payroll_check_unit(db, a, unit_code, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT id FROM payroll_runs WHERE month = ? "
					    "AND unit_code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, month);
	db_bind_text(st, 2, unit_code);
	int rc = db_step(st, e);
	if (rc == 1)
		*run_id = db_col_int(st, 0);
	db_done(st);
	return rc;
}

int payroll_run_list(struct db *db, const struct actor *a, const char *month,
		     const char *unit_code,
		     int (*fn)(const struct payroll_run_info *r, void *ctx), void *ctx,
		     struct err *e)
{
	char units[64][16];
	int nunits = 0;
	if (month && month[0] && !payroll_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03");
	if (unit_code && unit_code[0]) {
		if (payroll_check_unit(db, a, unit_code, e) < 0)
			return -1;
		snprintf(units[0], sizeof units[0], "%s", unit_code);
		nunits = 1;
	} else if (payroll_units(db, a, units, 64, &nunits, e) < 0) {
		return -1;
	}
	/* Runs are per unit, not per region row: the scope decision is the unit list above
	 * (payroll_check_unit), and only runs of those units are passed on. */
	struct db_stmt *st = db_prepare(db, "SELECT " RUN_COLUMNS " FROM payroll_runs "
					    "WHERE (? = '' OR month = ?) "
					    "ORDER BY month DESC, unit_code", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, month ? month : "");
	db_bind_text(st, 2, month ? month : "");
	struct payroll_run_info *runs = NULL;
	int n = 0, alloc = 0, rc;
	while ((rc = db_step(st, e)) == 1) {
		const char *u = db_col_text(st, 2);
		int ok = 0;
		for (int i = 0; i < nunits && !ok; i++)
			ok = strcmp(units[i], u) == 0;
		if (!ok)
			continue;
		if (array_grow(&runs, n, &alloc, sizeof *runs, 32) < 0) {
			rc = err_set(e, 500, "internal", NULL, "内存不足");
			break;
		}
		run_from_row(st, &runs[n++]);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < n; i++) {
		if (run_details(db, &runs[i], e) < 0)
			rc = -1;
		else if (fn(&runs[i], ctx))
			break;
	}
	free(runs);
	return rc < 0 ? -1 : 0;
}

/* ================================================================ changes */

void payroll_changes_release(struct payroll_changes *c)
{
	free(c->items);
	c->items = NULL;
	c->n_items = 0;
}

/* The SQL of one kind of change: p = the side that has the payment, q = the other month's run.
 * `what` is the select list; the scope condition and `tail` (GROUP BY / ORDER BY) follow.
 * Price subsidies are one-off payments, not a roll that continues from month to month: they
 * are never "changes" (the run's totals show them). */
static int change_sql(struct strbuf *sb, const struct scope *scope, int kind, const char *what,
		      const char *tail)
{
	strbuf_reset(sb);
	int rc = strbuf_addstr(sb, "SELECT ");
	rc |= strbuf_addstr(sb, what);
	if (kind == 2) /* changed: both sides, different amounts */
		rc |= strbuf_addstr(sb, " FROM payments p JOIN payments q ON q.month = ? "
					"AND q.program = p.program AND q.case_id = p.case_id "
					"AND q.reissue_of IS NULL AND q.run_id = ? "
					"WHERE p.run_id = ? AND p.reissue_of IS NULL "
					"AND q.amount_fen <> p.amount_fen AND p.program <> 'price_subsidy' AND ");
	else /* new (p = this run) or ended (p = the previous run): no counterpart */
		rc |= strbuf_addstr(sb, " FROM payments p WHERE NOT EXISTS (SELECT 1 FROM payments q "
					"WHERE q.month = ? AND q.program = p.program "
					"AND q.case_id = p.case_id AND q.reissue_of IS NULL "
					"AND q.run_id = ?) AND p.run_id = ? AND p.reissue_of IS NULL "
					"AND p.program <> 'price_subsidy' AND ");
	rc |= scope_sql(sb, scope, "p.region_code");
	rc |= strbuf_addstr(sb, tail);
	return rc < 0 ? -1 : 0;
}

int payroll_run_changes(struct db *db, const struct actor *a, int64_t run_id,
			struct payroll_changes *out, struct err *e)
{
	static const char *const kinds[3] = {"new", "ended", "changed"};
	struct payroll_run_info run;
	memset(out, 0, sizeof *out);
	if (payroll_run_get(db, a, run_id, &run, e) < 0)
		return -1;
	payroll_month_add(run.month, -1, out->previous_month);
	struct db_stmt *st = db_prepare(db, "SELECT id FROM payroll_runs WHERE month = ? "
					    "AND unit_code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, out->previous_month);
	db_bind_text(st, 2, run.unit_code);
	int rc = db_step(st, e);
	if (rc == 1) {
		out->has_previous = 1;
		out->previous_run_id = db_col_int(st, 0);
	}
	db_done(st);
	if (rc < 0)
		return -1;

	out->items = calloc(3 * PAYROLL_CHANGES_MAX, sizeof *out->items);
	if (!out->items)
		return err_set(e, 500, "internal", NULL, "内存不足");
	struct strbuf sb = STRBUF_INIT;
	rc = 0;
	for (int k = 0; k < 3 && rc == 0; k++) {
		/* new: p = this run, q = previous; ended: the other way round; changed: p = this. */
		int64_t p_run = k == 1 ? out->previous_run_id : run_id;
		int64_t q_run = k == 1 ? run_id : out->previous_run_id;
		const char *q_month = k == 1 ? run.month : out->previous_month;
		if (k == 1 && !out->has_previous)
			continue; /* nothing ended when there was nothing before */
		for (int pass = 0; pass < 2 && rc == 0; pass++) {
			const char *what =
			    pass == 0 ? (k == 2 ? "p.program, count(*), sum(p.amount_fen - q.amount_fen)"
						: "p.program, count(*), sum(p.amount_fen)")
				      : (k == 2 ? "p.program, p.case_id, p.beneficiary_id, p.region_code, "
						  "p.payee_name, q.amount_fen, p.amount_fen, p.bank_account"
						: "p.program, p.case_id, p.beneficiary_id, p.region_code, "
						  "p.payee_name, 0, p.amount_fen, p.bank_account");
			const char *tail = pass == 0 ? " GROUP BY p.program"
						     : " ORDER BY p.case_id, p.program LIMIT ?";
			if (change_sql(&sb, &a->scope, k, what, tail) < 0) {
				rc = err_set(e, 500, "internal", NULL, "内存不足");
				break;
			}
			st = db_prepare(db, strbuf_str(&sb), e);
			if (!st) {
				rc = -1;
				break;
			}
			int idx;
			if (k == 2) {
				db_bind_text(st, 1, out->previous_month);
				db_bind_int(st, 2, out->previous_run_id);
				db_bind_int(st, 3, run_id);
			} else {
				db_bind_text(st, 1, q_month);
				db_bind_int(st, 2, q_run);
				db_bind_int(st, 3, p_run);
			}
			idx = scope_bind(st, &a->scope, 4);
			if (pass == 1)
				db_bind_int(st, idx, PAYROLL_CHANGES_MAX);
			int r;
			while ((r = db_step(st, e)) == 1) {
				int pi = payroll_program_index(db_col_text(st, 0));
				if (pi < 0)
					continue;
				if (pass == 0) {
					int64_t cnt = db_col_int(st, 1), sum = db_col_int(st, 2);
					if (k == 0) {
						out->n_new[pi] = cnt;
						out->new_fen[pi] = sum;
					} else if (k == 1) {
						out->n_ended[pi] = cnt;
						out->ended_fen[pi] = sum;
					} else {
						out->n_changed[pi] = cnt;
						out->changed_delta_fen[pi] = sum;
					}
					continue;
				}
				struct payroll_change *c = &out->items[out->n_items++];
				snprintf(c->kind, sizeof c->kind, "%s", kinds[k]);
				snprintf(c->program, sizeof c->program, "%s", payroll_programs[pi]);
				c->case_id = db_col_int(st, 1);
				c->beneficiary_id = db_col_int(st, 2);
				snprintf(c->region_code, sizeof c->region_code, "%s", db_col_text(st, 3));
				snprintf(c->payee_name, sizeof c->payee_name, "%s", db_col_text(st, 4));
				payroll_mask_account(db_col_text(st, 7), c->account_masked);
				if (k == 1) { /* ended: the amount was last month's */
					c->old_fen = db_col_int(st, 6);
					c->new_fen = 0;
				} else {
					c->old_fen = db_col_int(st, 5);
					c->new_fen = db_col_int(st, 6);
				}
			}
			db_done(st);
			if (r < 0)
				rc = -1;
		}
	}
	strbuf_release(&sb);
	if (rc < 0)
		payroll_changes_release(out);
	return rc;
}
