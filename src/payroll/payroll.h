/* payroll.h — the monthly payroll (发放): runs, payments, bank files, bank returns: public face.
 * (Owned by the payroll module: payroll_schema.c the tables, payroll_run.c computing and
 * confirming a run — the exactly-once core —, payroll_store.c reading runs, totals and the
 * changes against last month, payroll_bank.c bank files and return files, payroll_api.c the
 * routes and the "payroll.run" job. docs/payroll.md explains it for people.)
 *
 * A run is one management unit's payroll for one month: one row in payroll_runs per
 * (month, unit_code), a draft until it is confirmed. Computing it asks the assistance module what
 * every case in the unit is owed that month (assistance_entitlements) and writes one payment per
 * entitlement, plus one payment per price subsidy of the unit not paid yet (the price module's
 * price_payables_unit: subsidies of months up to the run's month with a bank account; program
 * "price_subsidy", case_id = −(the subsidy's id), month = the subsidy's month), plus one re-issue
 * per payment of the unit that the bank returned as failed since the last run. Computing a
 * draft again recomputes it (its payments are replaced); a confirmed run is locked (409
 * run_confirmed).
 *
 * Exactly once, by construction rather than by care:
 *   - one write transaction per computation — one unit (payroll_run), or every unit the caller
 *     may run (payroll_run_all, one pass over the entitlements): the run rows, every payment
 *     and re-issue, the totals and the audit rows commit together or not at all, so a process
 *     killed at any point (kill -9) leaves either the previous state or the whole new one —
 *     running again completes it, and nothing in between can be seen;
 *   - a unique index on (month, program, case_id) over normal payments: the same entitlement
 *     cannot be paid twice, whichever run or unit tries (a second one is skipped and counted as
 *     "already paid", never inserted); a unique index on reissue_of: a failed payment is
 *     re-issued at most once. A price subsidy is one row per (month, person) in the price
 *     module, and its payment is keyed by −(the subsidy's id): a person generated once is
 *     paid once, whichever run or unit.
 *
 * Payment status: pending (in a draft) → paid (the run was confirmed and handed to the bank) →
 * failed (the bank returned it: POST /api/v1/payroll/returns) → reissued (a later run carries a
 * new payment for the same money, reissue_of = the failed one). Reports count status 'paid'
 * only, by the month of the run that paid it (see report/report.h).
 *
 * Access: every function takes the acting user. The payroll permission is needed (403
 * forbidden); a run is visible only when the caller's scope covers its whole unit (else 404
 * not_found: existence is never revealed); payment rows are read through scope_sql() as well.
 * Account numbers leave this module unmasked only in a bank file (audited download).
 *
 * Errors (struct err): 400 invalid_value / invalid_region / invalid_return (with the field),
 * 403 forbidden, 404 not_found, 409 run_confirmed / run_not_confirmed, 500 internal.
 */
#ifndef MZ_PAYROLL_H
#define MZ_PAYROLL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "assistance/assistance.h"
#include "core/actor.h"
#include "core/err.h"
#include "core/scope.h"
#include "db/db.h"
#include "http/api.h"

extern const char payroll_schema_v1[];

/* The routes (payroll_api.c), ending with {0}: POST/GET /api/v1/payroll/runs,
 * GET /api/v1/payroll/runs/{id}, POST /api/v1/payroll/runs/{id}/confirm,
 * GET /api/v1/payroll/runs/{id}/bank-file, POST /api/v1/payroll/returns. */
extern const struct api_route payroll_routes[];

#define PAYROLL_NPROGRAMS 5
#define PAYROLL_CHANGES_MAX 200   /* change items listed per kind (the counts are complete) */
#define PAYROLL_RETURN_LINES 20000 /* lines in one return file */

/* The programs in display order: dibao, tekun, orphan, unsupported_child — the monthly
 * allowances, whose entitlements come from the assistance module — then price_subsidy, the
 * price module's one-off subsidies (price/price.h: case_id is −(the subsidy's id)). */
extern const char *const payroll_programs[PAYROLL_NPROGRAMS];
#define PAYROLL_NALLOWANCES 4 /* the first four: the monthly allowances */
/* Index of a program name in payroll_programs, -1 when unknown. */
int payroll_program_index(const char *program);
/* Chinese name: 低保, 特困, 孤儿, 事实无人抚养儿童, 价格临时补贴 ("" when unknown). */
const char *payroll_program_label(const char *program);

/* "YYYY-MM" with month 01–12 (years 1900–2999). */
int payroll_month_valid(const char *month);
/* The month before / after "YYYY-MM" into out[8]. */
void payroll_month_add(const char *month, int delta, char out[8]);
/* fen as yuan with two decimals, no grouping ("1234.05", "-0.50") into out[32]. */
void payroll_yuan(int64_t fen, char out[32]);
/* An account number for people: the first 4 and last 4 characters around '*'s
 * ("6228********1234"); short numbers keep only the last 4 visible. */
void payroll_mask_account(const char *account, char out[48]);
/* The bank reference of a payment: "MZ" + the id in 10 digits ("MZ0000001234"). */
void payroll_reference(int64_t payment_id, char out[24]);

/* ---- access ---------------------------------------------------------------------------- */

/* 0 when the actor has the payroll permission (403 forbidden), its scope covers every prefix
 * of the unit's scope, and — for a user of a management unit — the unit is their own (404
 * not_found, also for an unknown unit). The last rule matters for functional zones: 奎文区's
 * scope prefix 370705 covers the townships 高新区 manages, but each unit runs its own payroll;
 * city users may act for every unit. */
int payroll_check_unit(struct db *db, const struct actor *a, const char *unit_code, struct err *e);

/* The management units the actor may run payroll for (as payroll_check_unit), ordered by
 * code: codes into out[max][16], *n their number. */
int payroll_units(struct db *db, const struct actor *a, char (*out)[16], int max, int *n,
		  struct err *e);

/* ---- computing and confirming a run (payroll_run.c) ------------------------------------ */

/* Where entitlements come from: assistance_entitlements, or a test's stand-in with the same
 * contract (ordered, repeatable for the same committed data). */
typedef int (*payroll_source_fn)(struct db *db, const struct scope *scope, const char *month,
				 int (*fn)(const struct assistance_entitlement *ent, void *ctx),
				 void *ctx, struct err *e);

/* Optional progress for the CLI (called inside the run's transaction, so it must not touch the
 * database): done entitlements so far, message. */
struct payroll_progress {
	void (*fn)(void *ctx, int64_t done, const char *message);
	void *ctx;
};

struct payroll_run_result {
	int64_t run_id;
	char month[8];
	char unit_code[16];
	int confirmed;           /* payroll_run_all: 1 when the unit's run was already confirmed
				  * (left as it was; the figures below are 0) */
	int recomputed;          /* 1 when a draft existed and was recomputed */
	int64_t n_payments;      /* normal payments written */
	int64_t n_persons;       /* persons covered (sum over payments) */
	int64_t amount_fen;      /* normal payments */
	int64_t n_reissues;      /* re-issues of failed payments */
	int64_t reissue_fen;
	int64_t n_skipped;       /* entitlements already paid by another run (never paid twice) */
	int64_t n_other_unit;    /* entitlements in the scope walked that were passed over:
				  * another unit's, or a confirmed unit's */
};

/* Compute the draft run of (month, unit_code) from assistance_entitlements: see the top of this
 * file. One write transaction with its audit row (payroll.run, object payroll_run:ID). Errors:
 * 400 invalid_value (month), 403 forbidden, 404 not_found (unit unknown or out of scope),
 * 409 run_confirmed, and whatever the entitlement source reports (nothing is written then). */
int payroll_run(struct db *db, const struct actor *a, const char *month, const char *unit_code,
		const struct payroll_progress *progress, struct payroll_run_result *out,
		struct err *e);
/* The same with another entitlement source (tests, benchmarks). */
int payroll_run_source(struct db *db, const struct actor *a, const char *month,
		       const char *unit_code, payroll_source_fn source,
		       const struct payroll_progress *progress, struct payroll_run_result *out,
		       struct err *e);

/* Every unit the actor may run (payroll_units) for `month`, in ONE write transaction and one
 * walk of the entitlements over the actor's scope: drafts are computed or recomputed, units
 * whose run is confirmed are left alone (reported with confirmed = 1). After the commit fn is
 * called once per unit in code order (may be NULL). Faster than a payroll_run per unit (the
 * case index is walked once, not once per unit); the write lock is held for the whole city.
 * Errors as payroll_run; 404 not_found when the actor may run no unit. */
int payroll_run_all(struct db *db, const struct actor *a, const char *month,
		    const struct payroll_progress *progress,
		    int (*fn)(const struct payroll_run_result *r, void *ctx), void *ctx,
		    struct err *e);
int payroll_run_all_source(struct db *db, const struct actor *a, const char *month,
			   payroll_source_fn source, const struct payroll_progress *progress,
			   int (*fn)(const struct payroll_run_result *r, void *ctx), void *ctx,
			   struct err *e);

/* Confirm a draft: it becomes locked and its payments 'paid' (handed to the bank). One
 * transaction with its audit row. 404 not_found, 409 run_confirmed (already confirmed). */
int payroll_confirm(struct db *db, const struct actor *a, int64_t run_id, struct err *e);

/* ---- reading runs (payroll_store.c) ----------------------------------------------------- */

struct payroll_program_total {
	int64_t n_payments, n_persons, amount_fen, n_reissues, reissue_fen;
};

struct payroll_run_info {
	int64_t id;
	char month[8];
	char unit_code[16];
	char unit_name[128];
	char status[12]; /* draft confirmed */
	int computations;
	int64_t n_payments, n_persons, amount_fen, n_reissues, reissue_fen, n_skipped;
	int64_t n_failed; /* payments of this run the bank returned */
	char created_at[32], created_by[64];
	char computed_at[32], computed_by[64];
	char confirmed_at[32], confirmed_by[64];
	struct payroll_program_total programs[PAYROLL_NPROGRAMS]; /* by payroll_programs order */
};

/* One run (404 not_found when missing or out of scope). */
int payroll_run_get(struct db *db, const struct actor *a, int64_t run_id,
		    struct payroll_run_info *out, struct err *e);
/* The run of (month, unit): 1 found (into *run_id), 0 none; scope as payroll_check_unit. */
int payroll_run_find(struct db *db, const struct actor *a, const char *month,
		     const char *unit_code, int64_t *run_id, struct err *e);

/* The runs the actor may see, newest month first then unit; month / unit_code filter when not
 * "" (an out-of-scope unit filter is 404). fn returns non-zero to stop. */
int payroll_run_list(struct db *db, const struct actor *a, const char *month,
		     const char *unit_code,
		     int (*fn)(const struct payroll_run_info *r, void *ctx), void *ctx,
		     struct err *e);

/* Changes against the previous month's run of the same unit, by (program, case): new (paid now,
 * not then), ended (paid then, not now), amount changed. Counts per program are complete; the
 * items are the first PAYROLL_CHANGES_MAX of each kind in case order. Re-issues are not
 * changes. With no previous run every payment is new (has_previous = 0). */
struct payroll_change {
	char kind[8]; /* new ended changed */
	char program[20];
	int64_t case_id;
	int64_t beneficiary_id;
	char region_code[16];
	char payee_name[128];
	char account_masked[48]; /* payroll_mask_account: the full number never leaves in JSON */
	int64_t old_fen, new_fen; /* 0 for the side that does not exist */
};

struct payroll_changes {
	char previous_month[8];
	int has_previous;
	int64_t previous_run_id;
	int64_t n_new[PAYROLL_NPROGRAMS], n_ended[PAYROLL_NPROGRAMS], n_changed[PAYROLL_NPROGRAMS];
	int64_t new_fen[PAYROLL_NPROGRAMS], ended_fen[PAYROLL_NPROGRAMS];
	int64_t changed_delta_fen[PAYROLL_NPROGRAMS]; /* Σ (new − old) over changed cases */
	int n_items;
	struct payroll_change *items; /* malloc'd: payroll_changes_release */
};
int payroll_run_changes(struct db *db, const struct actor *a, int64_t run_id,
			struct payroll_changes *out, struct err *e);
void payroll_changes_release(struct payroll_changes *c);

/* ---- bank files and returns (payroll_bank.c) ------------------------------------------- */

enum payroll_file_format { PAYROLL_CSV = 1, PAYROLL_XLSX = 2 };

/* The bank file of a confirmed run (409 run_not_confirmed for a draft): one row per payment of
 * the run (re-issues included) with 序号, 户名 (account holder), 账号 (account number, unmasked),
 * 开户行, 金额（元） (yuan with two decimals), 业务编号 (reference), 项目, 所属月份. CSV is UTF-8
 * with a byte-order mark and CRLF line ends (RFC 4180 quoting); XLSX has one sheet 代发明细 with
 * amounts as numbers in the format 0.00. The download is audited (payroll.bank_file).
 * *data is malloc'd (caller frees); name gets "代发_370704_2020-03.csv". */
int payroll_bank_file(struct db *db, const struct actor *a, int64_t run_id,
		      enum payroll_file_format format, char **data, size_t *len, char name[128],
		      struct err *e);

struct payroll_returns_result {
	int64_t lines;        /* data lines read */
	int64_t marked;       /* payments newly marked failed */
	int64_t already;      /* lines naming a payment already failed or re-issued */
	int64_t amount_fen;   /* of the newly failed */
};

/* Import a bank return file (CSV, UTF-8, optional BOM and header line): each line
 *   reference_or_account,amount,reason
 * names a paid payment by its reference (MZ…) — any confirmed run — or by its account number —
 * then only in the latest confirmed run of each unit in scope, and the amount must single one
 * out. The amount (yuan, up to two decimals) must equal the payment's. The payment becomes
 * 'failed' with the reason; the next run computed for its unit re-issues it. A line naming a
 * payment already failed is counted, not an error (importing a file twice changes nothing).
 * All or nothing: any bad line is 400 invalid_return with field "line N" and nothing changes.
 * One transaction with its audit row (payroll.returns). */
int payroll_returns_import(struct db *db, const struct actor *a, const char *csv, size_t len,
			   struct payroll_returns_result *out, struct err *e);

/* ---- xlsx in memory (payroll_bank.c; reports use it too) ------------------------------- */

struct lxw_workbook;
/* A workbook written to a private temporary file. begin: 0 or -1 (500); the path buffer must
 * live until end. end closes it, reads the bytes into *data (malloc'd), removes the file. */
int payroll_xlsx_begin(struct lxw_workbook **wb, char path[64], struct err *e);
int payroll_xlsx_end(struct lxw_workbook *wb, const char *path, char **data, size_t *len,
		     struct err *e);

/* ---- the job (payroll_api.c) ------------------------------------------------------------ */

struct job_ctx;
/* Job kind "payroll.run": params {"month": "YYYY-MM", "unit_code": "370704"} (no unit_code:
 * every unit the submitter may run, payroll_run_all); result {"month", "runs": [{run_id,
 * unit_code, month, recomputed, payments, persons, amount_fen, reissues, reissue_fen, skipped}],
 * "confirmed": [{unit_code, run_id}]} (units already confirmed, left as they were). */
int payroll_job_run(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		    json_t **result, struct err *e);

#endif
