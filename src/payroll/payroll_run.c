/* payroll_run.c — computing runs and confirming them: the exactly-once core.
 *
 * How a computation goes (run_units), all inside ONE write transaction — for one unit
 * (payroll_run) or for every unit the caller may run (payroll_run_all):
 *   1. for each unit, find or create its run row of the month; a confirmed run is left alone;
 *   2. a draft being recomputed is emptied: its re-issued originals go back to 'failed', its
 *      payments, their persons and its totals are deleted;
 *   3. the unit's failed payments from earlier confirmed runs are loaded (re-issued in 5);
 *   4. the entitlement source is walked once (payroll_run: the unit's own cases; for every
 *      unit: the caller's scope); each entitlement of a unit being computed becomes one
 *      payment (INSERT … ON CONFLICT DO NOTHING against the unique index on (month, program,
 *      case_id): an entitlement some other run already paid is skipped and counted, never
 *      paid twice) with its persons; entitlements of other units are passed over;
 *   4b. each unit's price subsidies not paid yet (price_payables_unit: months up to the run's,
 *      with a bank account) become one payment each, program "price_subsidy", case_id = −(the
 *      subsidy's id), month = the subsidy's month, under the same unique index;
 *   5. each failed payment gets its re-issue (unique on reissue_of), with the bank details of
 *      this month's entitlement of the same case when there is one (the failure was often a
 *      wrong account, corrected since), and is marked 'reissued';
 *   6. totals per program, the run rows' figures and one audit row per run; commit.
 * A crash anywhere before the commit leaves the database as it was before; the next run does
 * it all again. Nothing is ever half-written, so there is nothing to resume or repair — which
 * is simpler and safer than committing in batches. The cost is that the write lock is held for
 * the computation (about 0.8 s per 100,000 payments, docs/payroll.md), which a monthly batch
 * can afford; `--county` / unit_code computes one unit in a shorter transaction.
 */
#include "core/array_grow.h"
#include "payroll/payroll.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "price/price.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A failed payment waiting for its re-issue (step 3). */
struct failed {
	int64_t id, case_id, beneficiary_id, household_id, amount_fen;
	int n_persons;
	char program[20];
	char region_code[16];
	char month[8];
	char pay_status[16];
	char payee_name[128], bank_name[128], bank_account[40];
};

/* One unit's run inside the transaction. */
struct unit_run {
	char unit[16];
	int64_t run_id;
	int recomputed;
	int confirmed; /* locked: its entitlements are passed over, nothing is written */
	struct payroll_program_total tot[PAYROLL_NPROGRAMS];
	int64_t skipped;
	struct failed *failed; /* sorted by case_id */
	int nfailed;
};

struct run_ctx {
	struct db *db;
	const char *month;
	struct unit_run *units;
	int nunits;
	int last; /* the unit of the previous entitlement: they arrive ordered by unit */
	int64_t seen, other_unit;
	const struct payroll_progress *progress;
	struct err *e;
	int rc;
	/* The per-entitlement statements, looked up once per computation rather than once per row
	 * (db_prepare hashes and compares the SQL text on every call). */
	struct db_stmt *ins_payment;
	struct db_stmt *ins_persons[ASSISTANCE_MAX_MEMBERS + 1];
};

static int cmp_failed(const void *x, const void *y)
{
	const struct failed *a = x, *b = y;
	if (a->case_id != b->case_id)
		return a->case_id < b->case_id ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Step 2: empty a draft that is computed again. */
static int clear_draft(struct db *db, int64_t run_id, struct err *e)
{
	static const char *const sql[] = {
		"UPDATE payments SET status = 'failed' WHERE status = 'reissued' AND id IN "
		"(SELECT reissue_of FROM payments WHERE run_id = ? AND reissue_of IS NOT NULL)",
		"DELETE FROM payment_persons WHERE payment_id IN "
		"(SELECT id FROM payments WHERE run_id = ?)",
		"DELETE FROM payments WHERE run_id = ?",
		"DELETE FROM payroll_run_totals WHERE run_id = ?",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		struct db_stmt *st = db_prepare(db, sql[i], e);
		if (!st)
			return -1;
		db_bind_int(st, 1, run_id);
		if (db_run(st, e) < 0)
			return -1;
	}
	return 0;
}

/* Step 3: the unit's failed payments from confirmed runs of earlier months, by case. */
static int load_failed(struct run_ctx *c, struct unit_run *u)
{
	struct db_stmt *st = db_prepare(
	    c->db,
	    "SELECT p.id, p.program, p.case_id, p.beneficiary_id, p.household_id, p.region_code, "
	    "p.month, p.amount_fen, p.n_persons, p.pay_status, p.payee_name, p.bank_name, "
	    "p.bank_account FROM payments p JOIN payroll_runs r ON r.id = p.run_id "
	    "WHERE p.unit_code = ? AND p.status = 'failed' AND r.month < ? AND r.status = 'confirmed' "
	    "ORDER BY p.case_id, p.id",
	    c->e);
	if (!st)
		return -1;
	db_bind_text(st, 1, u->unit);
	db_bind_text(st, 2, c->month);
	int rc, alloc = 0;
	while ((rc = db_step(st, c->e)) == 1) {
		if (array_grow(&u->failed, u->nfailed, &alloc, sizeof *u->failed, 16) < 0) {
			rc = err_oom(c->e);
			break;
		}
		struct failed *f = &u->failed[u->nfailed++];
		f->id = db_col_int(st, 0);
		snprintf(f->program, sizeof f->program, "%s", db_col_text(st, 1));
		f->case_id = db_col_int(st, 2);
		f->beneficiary_id = db_col_int(st, 3);
		f->household_id = db_col_int(st, 4);
		snprintf(f->region_code, sizeof f->region_code, "%s", db_col_text(st, 5));
		snprintf(f->month, sizeof f->month, "%s", db_col_text(st, 6));
		f->amount_fen = db_col_int(st, 7);
		f->n_persons = (int)db_col_int(st, 8);
		snprintf(f->pay_status, sizeof f->pay_status, "%s", db_col_text(st, 9));
		snprintf(f->payee_name, sizeof f->payee_name, "%s", db_col_text(st, 10));
		snprintf(f->bank_name, sizeof f->bank_name, "%s", db_col_text(st, 11));
		snprintf(f->bank_account, sizeof f->bank_account, "%s", db_col_text(st, 12));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (u->nfailed > 1)
		qsort(u->failed, (size_t)u->nfailed, sizeof *u->failed, cmp_failed);
	return 0;
}

/* Step 1 (and 2, 3) for one unit: its run row, emptied when it is a draft computed again. */
static int open_unit(struct run_ctx *c, const struct actor *a, struct unit_run *u)
{
	char at[32];
	struct db_stmt *st = db_prepare(c->db, "SELECT id, status FROM payroll_runs "
					       "WHERE month = ? AND unit_code = ?", c->e);
	if (!st)
		return -1;
	db_bind_text(st, 1, c->month);
	db_bind_text(st, 2, u->unit);
	int rc = db_step(st, c->e);
	if (rc == 1) {
		u->run_id = db_col_int(st, 0);
		u->confirmed = strcmp(db_col_text(st, 1), "confirmed") == 0;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (u->confirmed)
		return 0;
	if (u->run_id) {
		u->recomputed = 1;
		if (clear_draft(c->db, u->run_id, c->e) < 0)
			return -1;
	} else {
		clock_now_iso(at);
		st = db_prepare(c->db, "INSERT INTO payroll_runs(month, unit_code, status, created_at, "
				       "created_by) VALUES (?, ?, 'draft', ?, ?)", c->e);
		if (!st)
			return -1;
		db_bind_text(st, 1, c->month);
		db_bind_text(st, 2, u->unit);
		db_bind_text(st, 3, at);
		db_bind_text(st, 4, a->username);
		if (db_run(st, c->e) < 0)
			return -1;
		u->run_id = db_last_id(c->db);
	}
	return load_failed(c, u);
}

/* This month's entitlement of a case with failed payments carries the current bank details. */
static void refresh_failed(struct unit_run *u, const struct assistance_entitlement *ent)
{
	int lo = 0, hi = u->nfailed;
	while (lo < hi) { /* first index with case_id >= ent->case_id */
		int mid = lo + (hi - lo) / 2;
		if (u->failed[mid].case_id < ent->case_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = lo; i < u->nfailed && u->failed[i].case_id == ent->case_id; i++) {
		struct failed *f = &u->failed[i];
		if (strcmp(f->program, ent->program) != 0)
			continue; /* same id, another program: not this case's payment */
		snprintf(f->payee_name, sizeof f->payee_name, "%s", ent->payee_name);
		snprintf(f->bank_name, sizeof f->bank_name, "%s", ent->bank_name);
		snprintf(f->bank_account, sizeof f->bank_account, "%s", ent->bank_account);
	}
}

static struct unit_run *unit_of(struct run_ctx *c, const char *unit)
{
	if (c->last >= 0 && strcmp(c->units[c->last].unit, unit) == 0)
		return &c->units[c->last];
	for (int i = 0; i < c->nunits; i++)
		if (strcmp(c->units[i].unit, unit) == 0) {
			c->last = i;
			return &c->units[i];
		}
	return NULL;
}

/* "INSERT INTO payment_persons … VALUES (?,?),(?,?)…" for 1..ASSISTANCE_MAX_MEMBERS rows,
 * literal text written out by the preprocessor. */
#define PP_HEAD "INSERT INTO payment_persons(payment_id, person_id) VALUES (?,?)"
#define PP1 ",(?,?)"
#define PP2 PP1 PP1
#define PP4 PP2 PP2
#define PP8 PP4 PP4
#define PP_TAIL " ON CONFLICT DO NOTHING"
static const char *const persons_sql[ASSISTANCE_MAX_MEMBERS + 1] = {
	NULL,
	PP_HEAD PP_TAIL,
	PP_HEAD PP1 PP_TAIL,
	PP_HEAD PP2 PP_TAIL,
	PP_HEAD PP2 PP1 PP_TAIL,
	PP_HEAD PP4 PP_TAIL,
	PP_HEAD PP4 PP1 PP_TAIL,
	PP_HEAD PP4 PP2 PP_TAIL,
	PP_HEAD PP4 PP2 PP1 PP_TAIL,
	PP_HEAD PP8 PP_TAIL,
	PP_HEAD PP8 PP1 PP_TAIL,
	PP_HEAD PP8 PP2 PP_TAIL,
	PP_HEAD PP8 PP2 PP1 PP_TAIL,
	PP_HEAD PP8 PP4 PP_TAIL,
	PP_HEAD PP8 PP4 PP1 PP_TAIL,
	PP_HEAD PP8 PP4 PP2 PP_TAIL,
	PP_HEAD PP8 PP4 PP2 PP1 PP_TAIL,
	PP_HEAD PP8 PP8 PP_TAIL,
	PP_HEAD PP8 PP8 PP1 PP_TAIL,
	PP_HEAD PP8 PP8 PP2 PP_TAIL,
	PP_HEAD PP8 PP8 PP2 PP1 PP_TAIL,
};
_Static_assert(ASSISTANCE_MAX_MEMBERS == 20, "persons_sql has a statement per member count");

#define INSERT_PAYMENT                                                                        \
	"INSERT INTO payments(run_id, program, case_id, beneficiary_id, household_id, "        \
	"region_code, unit_code, month, amount_fen, n_persons, pay_status, payee_name, "       \
	"bank_name, bank_account) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING"

/* Step 4: one entitlement → one payment (or a counted skip). Returns non-zero to stop. */
static int on_entitlement(const struct assistance_entitlement *ent, void *ctx)
{
	struct run_ctx *c = ctx;
	struct db *db = c->db;
	c->seen++;
	if (c->progress && c->progress->fn && c->seen % 20000 == 0)
		c->progress->fn(c->progress->ctx, c->seen, "正在计算");
	/* Another unit's case (a county's code covers the townships a functional zone manages,
	 * and a whole-city pass sees every unit), or a unit whose run is confirmed: not here. */
	struct unit_run *u = unit_of(c, ent->unit_code);
	if (!u || u->confirmed) {
		c->other_unit++;
		return 0;
	}
	int pi = payroll_program_index(ent->program);
	if (pi < 0 || pi >= PAYROLL_NALLOWANCES || ent->amount_fen <= 0 || ent->n_persons < 1 ||
	    ent->n_persons > ASSISTANCE_MAX_MEMBERS) {
		c->rc = err_set(c->e, 500, "invalid_entitlement", NULL,
				"救助对象 %lld 的应发数据无效（项目 %s，金额 %lld 分，人数 %d）",
				(long long)ent->case_id, ent->program, (long long)ent->amount_fen,
				ent->n_persons);
		return 1;
	}
	struct db_stmt *st = c->ins_payment;
	if (!st && !(st = c->ins_payment = db_prepare(db, INSERT_PAYMENT, c->e)))
		goto fail;
	db_bind_int(st, 1, u->run_id);
	db_bind_text(st, 2, payroll_programs[pi]);
	db_bind_int(st, 3, ent->case_id);
	db_bind_int(st, 4, ent->beneficiary_id);
	db_bind_int(st, 5, ent->household_id);
	db_bind_text(st, 6, ent->region_code);
	db_bind_text(st, 7, ent->unit_code);
	db_bind_text(st, 8, c->month);
	db_bind_int(st, 9, ent->amount_fen);
	db_bind_int(st, 10, ent->n_persons);
	db_bind_text(st, 11, ent->pay_status[0] ? ent->pay_status : "active");
	db_bind_text(st, 12, ent->payee_name);
	db_bind_text(st, 13, ent->bank_name);
	db_bind_text(st, 14, ent->bank_account);
	if (db_run(st, c->e) < 0)
		goto fail;
	if (db_changes(db) == 0) { /* (month, program, case) already paid by another run */
		u->skipped++;
		return 0;
	}
	int64_t pid = db_last_id(db);
	/* All the payment's persons in one statement: one execution instead of n. */
	st = c->ins_persons[ent->n_persons];
	if (!st && !(st = c->ins_persons[ent->n_persons] = db_prepare(db, persons_sql[ent->n_persons], c->e)))
		goto fail;
	for (int i = 0; i < ent->n_persons; i++) {
		db_bind_int(st, 2 * i + 1, pid);
		db_bind_int(st, 2 * i + 2, ent->person_ids[i]);
	}
	if (db_run(st, c->e) < 0)
		goto fail;
	struct payroll_program_total *t = &u->tot[pi];
	t->n_payments++;
	t->n_persons += ent->n_persons;
	t->amount_fen += ent->amount_fen;
	if (u->nfailed)
		refresh_failed(u, ent);
	return 0;
fail:
	c->rc = -1;
	return 1;
}

/* Step 4b: one price subsidy → one payment (or a counted skip). */
struct subsidy_ctx {
	struct run_ctx *c;
	struct unit_run *u;
};

static int on_subsidy(const struct price_payable *p, void *ctx)
{
	struct subsidy_ctx *sc = ctx;
	struct run_ctx *c = sc->c;
	struct unit_run *u = sc->u;
	int pi = payroll_program_index(PRICE_PROGRAM);
	struct db_stmt *st = c->ins_payment;
	if (!st && !(st = c->ins_payment = db_prepare(c->db, INSERT_PAYMENT, c->e)))
		return -1;
	db_bind_int(st, 1, u->run_id);
	db_bind_text(st, 2, PRICE_PROGRAM);
	db_bind_int(st, 3, -p->subsidy_id); /* never an assistance case's id */
	db_bind_int(st, 4, p->person_id);
	db_bind_int(st, 5, p->household_id);
	db_bind_text(st, 6, p->region_code);
	db_bind_text(st, 7, p->unit_code);
	db_bind_text(st, 8, p->month);
	db_bind_int(st, 9, p->amount_fen);
	db_bind_int(st, 10, 1);
	db_bind_text(st, 11, "active");
	db_bind_text(st, 12, p->payee_name);
	db_bind_text(st, 13, p->bank_name);
	db_bind_text(st, 14, p->bank_account);
	if (db_run(st, c->e) < 0)
		return -1;
	if (db_changes(c->db) == 0) { /* cannot happen: the payables have no payment yet */
		u->skipped++;
		return 0;
	}
	int64_t pid = db_last_id(c->db);
	st = c->ins_persons[1];
	if (!st && !(st = c->ins_persons[1] = db_prepare(c->db, persons_sql[1], c->e)))
		return -1;
	db_bind_int(st, 1, pid);
	db_bind_int(st, 2, p->person_id);
	if (db_run(st, c->e) < 0)
		return -1;
	struct payroll_program_total *t = &u->tot[pi];
	t->n_payments++;
	t->n_persons++;
	t->amount_fen += p->amount_fen;
	return 0;
}

static int pay_subsidies(struct run_ctx *c, struct unit_run *u)
{
	struct subsidy_ctx sc = {c, u};
	return price_payables_unit(c->db, u->unit, c->month, on_subsidy, &sc, c->e) != 0 ? -1 : 0;
}

/* Step 5: re-issue every failed payment loaded in step 3. */
static int reissue_failed(struct run_ctx *c, struct unit_run *u)
{
	for (int i = 0; i < u->nfailed; i++) {
		const struct failed *f = &u->failed[i];
		int pi = payroll_program_index(f->program);
		if (pi < 0)
			return err_set(c->e, 500, "internal", NULL, "未知项目：%s", f->program);
		struct db_stmt *st = db_prepare(
		    c->db,
		    "INSERT INTO payments(run_id, program, case_id, beneficiary_id, household_id, "
		    "region_code, unit_code, month, amount_fen, n_persons, pay_status, payee_name, "
		    "bank_name, bank_account, reissue_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
		    "ON CONFLICT DO NOTHING",
		    c->e);
		if (!st)
			return -1;
		db_bind_int(st, 1, u->run_id);
		db_bind_text(st, 2, f->program);
		db_bind_int(st, 3, f->case_id);
		db_bind_int(st, 4, f->beneficiary_id);
		db_bind_int(st, 5, f->household_id);
		db_bind_text(st, 6, f->region_code);
		db_bind_text(st, 7, u->unit);
		db_bind_text(st, 8, f->month);
		db_bind_int(st, 9, f->amount_fen);
		db_bind_int(st, 10, f->n_persons);
		db_bind_text(st, 11, f->pay_status);
		db_bind_text(st, 12, f->payee_name);
		db_bind_text(st, 13, f->bank_name);
		db_bind_text(st, 14, f->bank_account);
		db_bind_int(st, 15, f->id);
		if (db_run(st, c->e) < 0)
			return -1;
		if (db_changes(c->db) == 0)
			continue; /* already re-issued (cannot happen while it is 'failed') */
		int64_t pid = db_last_id(c->db);
		st = db_prepare(c->db, "INSERT INTO payment_persons(payment_id, person_id) "
				       "SELECT ?, person_id FROM payment_persons WHERE payment_id = ?",
				c->e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pid);
		db_bind_int(st, 2, f->id);
		if (db_run(st, c->e) < 0)
			return -1;
		st = db_prepare(c->db, "UPDATE payments SET status = 'reissued' WHERE id = ? "
				       "AND status = 'failed'", c->e);
		if (!st)
			return -1;
		db_bind_int(st, 1, f->id);
		if (db_run(st, c->e) < 0)
			return -1;
		u->tot[pi].n_reissues++;
		u->tot[pi].reissue_fen += f->amount_fen;
	}
	return 0;
}

/* Step 6: totals, run figures, audit. */
static int finish_unit(struct run_ctx *c, const struct actor *a, struct unit_run *u,
		       struct payroll_run_result *out)
{
	char at[32], object[48];
	struct payroll_program_total sum = {0};
	memset(out, 0, sizeof *out);
	out->run_id = u->run_id;
	snprintf(out->month, sizeof out->month, "%s", c->month);
	snprintf(out->unit_code, sizeof out->unit_code, "%s", u->unit);
	out->confirmed = u->confirmed;
	if (u->confirmed)
		return 0;
	for (int i = 0; i < PAYROLL_NPROGRAMS; i++) {
		const struct payroll_program_total *t = &u->tot[i];
		sum.n_payments += t->n_payments;
		sum.n_persons += t->n_persons;
		sum.amount_fen += t->amount_fen;
		sum.n_reissues += t->n_reissues;
		sum.reissue_fen += t->reissue_fen;
		/* a row per allowance always; the price subsidy's only in runs that pay some */
		if (i >= PAYROLL_NALLOWANCES && !t->n_payments && !t->n_reissues)
			continue;
		struct db_stmt *st = db_prepare(c->db,
						"INSERT INTO payroll_run_totals(run_id, program, n_payments, "
						"n_persons, amount_fen, n_reissues, reissue_fen) "
						"VALUES (?,?,?,?,?,?,?)",
						c->e);
		if (!st)
			return -1;
		db_bind_int(st, 1, u->run_id);
		db_bind_text(st, 2, payroll_programs[i]);
		db_bind_int(st, 3, t->n_payments);
		db_bind_int(st, 4, t->n_persons);
		db_bind_int(st, 5, t->amount_fen);
		db_bind_int(st, 6, t->n_reissues);
		db_bind_int(st, 7, t->reissue_fen);
		if (db_run(st, c->e) < 0)
			return -1;
	}
	clock_now_iso(at);
	struct db_stmt *st = db_prepare(
	    c->db,
	    "UPDATE payroll_runs SET computations = computations + 1, n_payments = ?, n_persons = ?, "
	    "amount_fen = ?, n_reissues = ?, reissue_fen = ?, n_skipped = ?, computed_at = ?, "
	    "computed_by = ? WHERE id = ?",
	    c->e);
	if (!st)
		return -1;
	db_bind_int(st, 1, sum.n_payments);
	db_bind_int(st, 2, sum.n_persons);
	db_bind_int(st, 3, sum.amount_fen);
	db_bind_int(st, 4, sum.n_reissues);
	db_bind_int(st, 5, sum.reissue_fen);
	db_bind_int(st, 6, u->skipped);
	db_bind_text(st, 7, at);
	db_bind_text(st, 8, a->username);
	db_bind_int(st, 9, u->run_id);
	if (db_run(st, c->e) < 0)
		return -1;
	char detail[400];
	snprintf(detail, sizeof detail,
		 "{\"month\":\"%s\",\"unit_code\":\"%s\",\"recomputed\":%s,\"payments\":%lld,"
		 "\"amount_fen\":%lld,\"reissues\":%lld,\"reissue_fen\":%lld,\"skipped\":%lld}",
		 c->month, u->unit, u->recomputed ? "true" : "false", (long long)sum.n_payments,
		 (long long)sum.amount_fen, (long long)sum.n_reissues, (long long)sum.reissue_fen,
		 (long long)u->skipped);
	snprintf(object, sizeof object, "payroll_run:%lld", (long long)u->run_id);
	if (audit_append(c->db, a, u->recomputed ? "payroll.recompute" : "payroll.run", object,
			 "ok", detail, c->e) < 0)
		return -1;
	out->recomputed = u->recomputed;
	out->n_payments = sum.n_payments;
	out->n_persons = sum.n_persons;
	out->amount_fen = sum.amount_fen;
	out->n_reissues = sum.n_reissues;
	out->reissue_fen = sum.reissue_fen;
	out->n_skipped = u->skipped;
	return 0;
}

/* The whole computation for the units in c->units over the entitlements of `scope`, in one
 * write transaction. results[i] receives unit i's figures. */
static int run_units(struct run_ctx *c, const struct actor *a, const struct scope *scope,
		     payroll_source_fn source, struct payroll_run_result *results)
{
	struct db *db = c->db;
	if (db_begin_write(db, c->e) < 0)
		return -1;
	for (int i = 0; i < c->nunits; i++) /* steps 1–3 */
		if (open_unit(c, a, &c->units[i]) < 0)
			goto fail;
	if (source(db, scope, c->month, on_entitlement, c, c->e) < 0 || c->rc < 0) /* step 4 */
		goto fail;
	for (int i = 0; i < c->nunits; i++) {
		struct unit_run *u = &c->units[i];
		if (!u->confirmed && pay_subsidies(c, u) < 0) /* step 4b */
			goto fail;
		if (!u->confirmed && reissue_failed(c, u) < 0) /* step 5 */
			goto fail;
		if (finish_unit(c, a, u, &results[i]) < 0) /* step 6 */
			goto fail;
		results[i].n_other_unit = c->other_unit;
	}
	if (db_commit(db, c->e) < 0)
		return -1;
	if (c->progress && c->progress->fn)
		c->progress->fn(c->progress->ctx, c->seen, "完成");
	return 0;
fail:
	db_rollback(db);
	return -1;
}

static void ctx_release(struct run_ctx *c)
{
	for (int i = 0; i < c->nunits; i++)
		free(c->units[i].failed);
	free(c->units);
}

int payroll_run_source(struct db *db, const struct actor *a, const char *month,
		       const char *unit_code, payroll_source_fn source,
		       const struct payroll_progress *progress, struct payroll_run_result *out,
		       struct err *e)
{
	if (!month || !payroll_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03：%s",
			       month ? month : "");
	if (!unit_code || !unit_code[0])
		return err_set(e, 400, "required", "unit_code", "请选择管理单位（县级单位代码）");
	if (payroll_check_unit(db, a, unit_code, e) < 0)
		return -1;
	struct scope uscope;
	if (accounts_resolve_scope(db, unit_code, &uscope, e) < 0)
		return -1;
	struct run_ctx c = {.db = db, .month = month, .nunits = 1, .last = -1,
			    .progress = progress, .e = e};
	struct payroll_run_result r;
	if (!(c.units = calloc(1, sizeof *c.units)))
		return err_oom(e);
	snprintf(c.units[0].unit, sizeof c.units[0].unit, "%s", unit_code);
	int rc = run_units(&c, a, &uscope, source, &r);
	ctx_release(&c);
	if (rc == 0 && r.confirmed)
		return err_set(e, 409, "run_confirmed", "month", "%s %s 的发放已确认，不能重新计算",
			       unit_code, month);
	if (rc == 0 && out)
		*out = r;
	return rc;
}

/* One unit's entitlements: only the cases of that unit (assistance_entitlements_unit), not every
 * case whose village lies in the unit's scope (a county's scope holds the townships a zone
 * manages). ctx is run_units' run_ctx, whose one unit is the one computed. */
static int unit_source(struct db *db, const struct scope *scope, const char *month,
		       int (*fn)(const struct assistance_entitlement *ent, void *ctx), void *ctx,
		       struct err *e)
{
	const struct run_ctx *c = ctx;
	(void)scope;
	return assistance_entitlements_unit(db, c->units[0].unit, month, fn, ctx, e);
}

int payroll_run(struct db *db, const struct actor *a, const char *month, const char *unit_code,
		const struct payroll_progress *progress, struct payroll_run_result *out,
		struct err *e)
{
	return payroll_run_source(db, a, month, unit_code, unit_source, progress, out, e);
}

int payroll_run_all_source(struct db *db, const struct actor *a, const char *month,
			   payroll_source_fn source, const struct payroll_progress *progress,
			   int (*fn)(const struct payroll_run_result *r, void *ctx), void *ctx,
			   struct err *e)
{
	char units[64][16];
	int n;
	if (!month || !payroll_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03：%s",
			       month ? month : "");
	if (payroll_units(db, a, units, 64, &n, e) < 0)
		return -1;
	if (n == 0)
		return err_set(e, 404, "not_found", "unit_code", "您的管辖范围内没有可发放的管理单位");
	struct run_ctx c = {.db = db, .month = month, .nunits = n, .last = -1,
			    .progress = progress, .e = e};
	struct payroll_run_result *results = calloc((size_t)n, sizeof *results);
	if (!results || !(c.units = calloc((size_t)n, sizeof *c.units))) {
		free(results);
		return err_oom(e);
	}
	for (int i = 0; i < n; i++)
		snprintf(c.units[i].unit, sizeof c.units[i].unit, "%s", units[i]);
	/* One pass over the actor's whole scope: every unit's entitlements arrive once, in unit
	 * order, instead of one walk of the case index per unit. */
	int rc = run_units(&c, a, &a->scope, source, results);
	for (int i = 0; rc == 0 && fn && i < n; i++)
		if (fn(&results[i], ctx))
			break;
	ctx_release(&c);
	free(results);
	return rc;
}

int payroll_run_all(struct db *db, const struct actor *a, const char *month,
		    const struct payroll_progress *progress,
		    int (*fn)(const struct payroll_run_result *r, void *ctx), void *ctx,
		    struct err *e)
{
	return payroll_run_all_source(db, a, month, assistance_entitlements, progress, fn, ctx, e);
}

int payroll_confirm(struct db *db, const struct actor *a, int64_t run_id, struct err *e)
{
	char at[32], object[48], unit[16] = "", month[8] = "", status[12] = "";
	if (!actor_can(a, PERM_PAYROLL))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权确认发放");
	clock_now_iso(at);
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT unit_code, month, status FROM payroll_runs "
					    "WHERE id = ?", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, run_id);
	int rc = db_step(st, e);
	if (rc == 1) {
		snprintf(unit, sizeof unit, "%s", db_col_text(st, 0));
		snprintf(month, sizeof month, "%s", db_col_text(st, 1));
		snprintf(status, sizeof status, "%s", db_col_text(st, 2));
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	if (rc == 0 || payroll_check_unit(db, a, unit, e) < 0) {
		err_set(e, 404, "not_found", NULL, "发放批次不存在，或不在您的管辖范围内");
		goto fail;
	}
	if (strcmp(status, "confirmed") == 0) {
		err_set(e, 409, "run_confirmed", NULL, "%s %s 的发放已经确认过", unit, month);
		goto fail;
	}
	/* a death recorded since the draft was computed (the cross-check: a funeral home's record
	 * or a death list) for someone the draft pays from a month after their death: the draft is
	 * stale and would pay the dead — it must be computed again first */
	st = db_prepare(db,
			"SELECT count(DISTINCT pp.person_id) FROM payments p JOIN payment_persons pp "
			"ON pp.payment_id = p.id JOIN crosscheck_deaths d ON d.person_id = pp.person_id "
			"WHERE p.run_id = ? AND p.status = 'pending' AND d.died_on < ? || '-01'",
			e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, run_id);
	db_bind_text(st, 2, month);
	rc = db_step(st, e);
	int64_t dead = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		goto fail;
	if (dead > 0) {
		err_set(e, 409, "run_stale", NULL,
			"%s %s 的发放计算后，又登记了其中 %lld 人在 %s 之前死亡：请重新计算后再确认",
			unit, month, (long long)dead, month);
		goto fail;
	}
	st = db_prepare(db, "UPDATE payroll_runs SET status = 'confirmed', confirmed_at = ?, "
			    "confirmed_by = ? WHERE id = ? AND status = 'draft'", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, at);
	db_bind_text(st, 2, a->username);
	db_bind_int(st, 3, run_id);
	if (db_run(st, e) < 0)
		goto fail;
	st = db_prepare(db, "UPDATE payments SET status = 'paid' WHERE run_id = ? "
			    "AND status = 'pending'", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, run_id);
	if (db_run(st, e) < 0)
		goto fail;
	int64_t n = db_changes(db);
	char detail[160];
	snprintf(detail, sizeof detail, "{\"month\":\"%s\",\"unit_code\":\"%s\",\"payments\":%lld}",
		 month, unit, (long long)n);
	snprintf(object, sizeof object, "payroll_run:%lld", (long long)run_id);
	if (audit_append(db, a, "payroll.confirm", object, "ok", detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
