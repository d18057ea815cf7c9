/* price_schema.c — migration 12: the price module's tables, and the payroll's payments table
 * widened to the new program "price_subsidy" (see price.h, payroll.h).
 *
 * The payments table's CHECK lists its programs, and SQLite cannot change a CHECK in place, so
 * the table is rebuilt: new table, rows copied with their ids (payment_persons and the bank
 * references MZ… key on them), old table dropped, new one renamed; bank_returns, which
 * references payments, is rebuilt the same way first, so that no row ever references a dropped
 * table (foreign keys stay on: the migration runs in one write transaction, where
 * PRAGMA foreign_keys cannot change). The renames rewrite the REFERENCES clauses to "payments".
 * (A PostgreSQL schema does this with ALTER TABLE … DROP/ADD CONSTRAINT.) The indexes are those
 * of payroll_schema.c, plus one partial index for the subsidies' payment state.
 */
#include "price/price.h"

const char price_schema_v1[] =
	/* ---- the payroll's payments, with the fifth program ---- */
	"CREATE TABLE payments_v12 ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES payroll_runs(id),"
	"  program TEXT NOT NULL CHECK (program = 'dibao' OR program = 'tekun' "
	"    OR program = 'orphan' OR program = 'unsupported_child' OR program = 'price_subsidy'),"
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
	"  reissue_of INTEGER REFERENCES payments_v12(id),"
	"  fail_reason TEXT NOT NULL DEFAULT '',"
	"  failed_at TEXT NOT NULL DEFAULT ''"
	");"
	"INSERT INTO payments_v12(id, run_id, program, case_id, beneficiary_id, household_id, "
	"  region_code, unit_code, month, amount_fen, n_persons, pay_status, payee_name, bank_name, "
	"  bank_account, status, reissue_of, fail_reason, failed_at) "
	"SELECT id, run_id, program, case_id, beneficiary_id, household_id, region_code, unit_code, "
	"  month, amount_fen, n_persons, pay_status, payee_name, bank_name, bank_account, status, "
	"  reissue_of, fail_reason, failed_at FROM payments;"
	"CREATE TABLE bank_returns_v12 ("
	"  id INTEGER PRIMARY KEY,"
	"  payment_id INTEGER NOT NULL REFERENCES payments_v12(id),"
	"  line_key TEXT NOT NULL,"
	"  amount_fen INTEGER NOT NULL,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  imported_at TEXT NOT NULL,"
	"  imported_by TEXT NOT NULL"
	");"
	"INSERT INTO bank_returns_v12(id, payment_id, line_key, amount_fen, reason, imported_at, "
	"  imported_by) SELECT id, payment_id, line_key, amount_fen, reason, imported_at, "
	"  imported_by FROM bank_returns;"
	"DROP TABLE bank_returns;"
	"DROP TABLE payments;"
	"ALTER TABLE payments_v12 RENAME TO payments;"
	"ALTER TABLE bank_returns_v12 RENAME TO bank_returns;"
	"CREATE UNIQUE INDEX payments_once ON payments(month, program, case_id) "
	"WHERE reissue_of IS NULL;"
	"CREATE UNIQUE INDEX payments_reissue_once ON payments(reissue_of) "
	"WHERE reissue_of IS NOT NULL;"
	"CREATE INDEX payments_by_run ON payments(run_id);"
	"CREATE INDEX payments_failed ON payments(unit_code) WHERE status = 'failed';"
	"CREATE INDEX bank_returns_by_payment ON bank_returns(payment_id);"
	/* A subsidy's payments (the normal one and any re-issues share program and case_id = the
	 * subsidy's id): its state is that of the latest. Partial, so the monthly allowances'
	 * inserts never pay for it. */
	"CREATE INDEX payments_price ON payments(case_id, id) WHERE program = 'price_subsidy';"

	/* ---- the price module ---- */
	/* Each entry of a month's indices; the latest (greatest id) of a month is in force. Rows
	 * are never changed (history). Rises year on year in basis points (5.4 % = 540). */
	"CREATE TABLE price_indices ("
	"  id INTEGER PRIMARY KEY,"
	"  month TEXT NOT NULL,"
	"  cpi_bp INTEGER NOT NULL,"
	"  food_cpi_bp INTEGER NOT NULL,"
	"  published_on TEXT NOT NULL,"  /* 'YYYY-MM-DD': the release the due date counts from */
	"  note TEXT NOT NULL DEFAULT '',"
	"  set_by TEXT NOT NULL,"
	"  set_at TEXT NOT NULL"
	");"
	"CREATE INDEX price_indices_by_month ON price_indices(month, id);"
	/* One subsidy per person and month, whatever groups they are in. The computation is kept
	 * with it (standard, rise, multiplier, rounding, minimum), so the amount can be explained
	 * and is never recomputed. payee/bank: the account of the person's assistance case at
	 * generation ('' for persons outside the rolls: price_accounts then, at payment). */
	"CREATE TABLE price_subsidies ("
	"  id INTEGER PRIMARY KEY,"
	"  month TEXT NOT NULL,"
	"  person_id INTEGER NOT NULL,"
	"  household_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  residence_type TEXT NOT NULL CHECK (residence_type IN ('urban','rural')),"
	"  groups TEXT NOT NULL,"
	"  index_id INTEGER NOT NULL REFERENCES price_indices(id),"
	"  basis TEXT NOT NULL CHECK (basis IN ('cpi','food_cpi')),"
	"  rise_bp INTEGER NOT NULL,"
	"  multiplier_bp INTEGER NOT NULL,"
	"  standard_fen INTEGER NOT NULL,"
	"  standard_per TEXT NOT NULL CHECK (standard_per IN ('month','year')),"
	"  rounding_fen INTEGER NOT NULL,"
	"  min_fen INTEGER NOT NULL,"
	"  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
	"  due_on TEXT NOT NULL,"
	"  payee_name TEXT NOT NULL DEFAULT '',"
	"  bank_name TEXT NOT NULL DEFAULT '',"
	"  bank_account TEXT NOT NULL DEFAULT '',"
	"  generated_at TEXT NOT NULL,"
	"  generated_by TEXT NOT NULL,"
	"  UNIQUE (month, person_id)"
	");"
	/* The payroll reads a unit's unpaid subsidies (price_payables_unit); lists narrow by month
	 * (the unique index) or unit. No index by region: a township's subsidies are a part of one
	 * unit's, and every index costs each of the ~100,000 inserts of a city's month. */
	"CREATE INDEX price_subsidies_by_unit ON price_subsidies(unit_code, month, region_code, id);"
	/* The account the subsidies of a person outside the assistance rolls are paid into. */
	"CREATE TABLE price_accounts ("
	"  person_id INTEGER PRIMARY KEY REFERENCES persons(id),"
	"  payee_name TEXT NOT NULL,"
	"  bank_name TEXT NOT NULL,"
	"  bank_account TEXT NOT NULL,"
	"  set_by TEXT NOT NULL,"
	"  set_at TEXT NOT NULL"
	");";
