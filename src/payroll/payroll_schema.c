/* payroll_schema.c — the tables the payroll module owns: runs, their per-program totals,
 * payments, the persons each payment covers, and bank returns (see payroll.h).
 *
 * Indexes are few on purpose: a run writes one payments row and n payment_persons rows per
 * entitlement, and every index is paid for on every one of them (bench/payroll.sh). */
#include "payroll/payroll.h"

const char payroll_schema_v1[] =
	/* One management unit's payroll for one month. status: draft (recomputable) → confirmed
	 * (locked). The figures are those of the last computation; computations counts them. */
	"CREATE TABLE payroll_runs ("
	"  id INTEGER PRIMARY KEY,"
	"  month TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('draft','confirmed')),"
	"  computations INTEGER NOT NULL DEFAULT 0,"
	"  n_payments INTEGER NOT NULL DEFAULT 0,"
	"  n_persons INTEGER NOT NULL DEFAULT 0,"
	"  amount_fen INTEGER NOT NULL DEFAULT 0,"
	"  n_reissues INTEGER NOT NULL DEFAULT 0,"
	"  reissue_fen INTEGER NOT NULL DEFAULT 0,"
	"  n_skipped INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  computed_at TEXT NOT NULL DEFAULT '',"
	"  computed_by TEXT NOT NULL DEFAULT '',"
	"  confirmed_at TEXT NOT NULL DEFAULT '',"
	"  confirmed_by TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (month, unit_code)"
	");"
	"CREATE INDEX payroll_runs_by_unit ON payroll_runs(unit_code, month);"
	"CREATE TABLE payroll_run_totals ("
	"  run_id INTEGER NOT NULL REFERENCES payroll_runs(id),"
	"  program TEXT NOT NULL,"
	"  n_payments INTEGER NOT NULL,"
	"  n_persons INTEGER NOT NULL,"
	"  amount_fen INTEGER NOT NULL,"
	"  n_reissues INTEGER NOT NULL,"
	"  reissue_fen INTEGER NOT NULL,"
	"  PRIMARY KEY (run_id, program)"
	");"
	/* One payment. month is the month the money is for (a re-issue keeps the failed payment's
	 * month); the run's month is when it was paid. Payee and bank fields are a snapshot taken
	 * when the run was computed. reissue_of is NULL for a normal payment, else the failed
	 * payment this one replaces. No foreign keys to cases or persons: a payment is a ledger
	 * entry that must outlive any change to them. */
	"CREATE TABLE payments ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES payroll_runs(id),"
	/* The CHECKs spell out OR instead of IN (…): SQLite builds a temporary table for an IN
	 * list of more than two constants on every execution of a statement, which for the
	 * one-row INSERTs of a run cost more than the insert itself (bench/payroll.sh). */
	"  program TEXT NOT NULL CHECK (program = 'dibao' OR program = 'tekun' "
	"    OR program = 'orphan' OR program = 'unsupported_child'),"
	"  case_id INTEGER NOT NULL,"
	"  beneficiary_id INTEGER NOT NULL,"
	"  household_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  month TEXT NOT NULL,"
	"  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
	"  n_persons INTEGER NOT NULL CHECK (n_persons >= 1),"
	"  pay_status TEXT NOT NULL DEFAULT 'active',"
	"  payee_name TEXT NOT NULL DEFAULT '',"
	"  bank_name TEXT NOT NULL DEFAULT '',"
	"  bank_account TEXT NOT NULL DEFAULT '',"
	"  status TEXT NOT NULL DEFAULT 'pending' CHECK (status = 'pending' OR status = 'paid' "
	"    OR status = 'failed' OR status = 'reissued'),"
	"  reissue_of INTEGER REFERENCES payments(id),"
	"  fail_reason TEXT NOT NULL DEFAULT '',"
	"  failed_at TEXT NOT NULL DEFAULT ''"
	");"
	/* Exactly once: one normal payment per (month, program, case) — the brief's
	 * UNIQUE(program, case_id, month), month first so a run's inserts land in one region of the
	 * index — and one re-issue per failed payment. Partial indexes are standard SQL in
	 * PostgreSQL as well. */
	"CREATE UNIQUE INDEX payments_once ON payments(month, program, case_id) "
	"WHERE reissue_of IS NULL;"
	"CREATE UNIQUE INDEX payments_reissue_once ON payments(reissue_of) "
	"WHERE reissue_of IS NOT NULL;"
	"CREATE INDEX payments_by_run ON payments(run_id);"
	/* Failed payments waiting for their re-issue, per unit (a handful at any time). */
	"CREATE INDEX payments_failed ON payments(unit_code) WHERE status = 'failed';"
	/* The persons a payment covers (低保: the counted members; otherwise the one person), so
	 * reports count distinct persons. WITHOUT ROWID: one B-tree, appended in key order while a
	 * run writes (a PostgreSQL schema drops the clause). Written only by payroll_run.c, in
	 * the same statement sequence as its payment and deleted before it: a foreign key would
	 * check a row that was inserted a microsecond earlier, 1.7 million times in a city-size
	 * run (a fifth of the run's write time, bench/payroll.sh). */
	"CREATE TABLE payment_persons ("
	"  payment_id INTEGER NOT NULL,"  /* payments(id); no REFERENCES: see below */
	"  person_id INTEGER NOT NULL,"
	"  PRIMARY KEY (payment_id, person_id)"
	") WITHOUT ROWID;"
	/* Each line of an imported bank return file that failed a payment. */
	"CREATE TABLE bank_returns ("
	"  id INTEGER PRIMARY KEY,"
	"  payment_id INTEGER NOT NULL REFERENCES payments(id),"
	"  line_key TEXT NOT NULL,"          /* the reference or account number as given */
	"  amount_fen INTEGER NOT NULL,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  imported_at TEXT NOT NULL,"
	"  imported_by TEXT NOT NULL"
	");"
	"CREATE INDEX bank_returns_by_payment ON bank_returns(payment_id);";
