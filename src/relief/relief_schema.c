/* relief_schema.c — the tables the relief module owns (migration 11): temporary-assistance
 * grants with their steps and case decisions (一事一议), the townships' reserve funds with every
 * movement, and the replenishment needs recorded when a reserve could not pay.
 *
 * Dates are 'YYYY-MM-DD' text ('' = none), timestamps ISO-8601 with +08:00. Money is integer fen.
 * Every grant carries the person's village code (region_code) for scope checks, its township
 * (whose reserve pays first) and its management unit (the report's county). Reserve rows and
 * needs carry the township code as their scope code. */
#include "relief/relief.h"

const char relief_schema_v1[] =
    /* decision: pending → approved | refused. payment: none → paid (a normal grant, by the pay
     * step) or, for pay-first, drawn (goods out of the reserve, not yet handed over) / paid at
     * once → returned (the money came back). The report counts payment = 'paid' by paid_on.
     * level, needs_decision, repeat_of and the figures are fixed at application (the parameters
     * in force in the month of application). */
    "CREATE TABLE relief_grants ("
    "  id INTEGER PRIMARY KEY,"
    "  person_id INTEGER NOT NULL REFERENCES persons(id),"
    "  household_id INTEGER,"
    "  region_code TEXT NOT NULL,"
    "  township_code TEXT NOT NULL,"
    "  unit_code TEXT NOT NULL,"
    "  residence_type TEXT NOT NULL CHECK (residence_type IN ('urban','rural')),"
    "  kind TEXT NOT NULL CHECK (kind IN ('emergency','expense')),"
    "  cause TEXT NOT NULL,"
    "  year INTEGER NOT NULL,"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  form TEXT NOT NULL CHECK (form IN ('cash','goods')),"
    "  goods_note TEXT NOT NULL DEFAULT '',"
    "  applied_by TEXT NOT NULL CHECK (applied_by IN "
    "('self','village_worker','hotline','ledger_visit')),"
    "  source_ref TEXT NOT NULL DEFAULT '',"
    "  reason TEXT NOT NULL DEFAULT '',"
    "  pay_first INTEGER NOT NULL DEFAULT 0 CHECK (pay_first IN (0,1)),"
    "  level TEXT NOT NULL CHECK (level IN ('township','county')),"
    "  needs_decision INTEGER NOT NULL DEFAULT 0,"
    "  repeat_of INTEGER REFERENCES relief_grants(id),"
    "  standard_fen INTEGER NOT NULL,"
    "  max_fen INTEGER NOT NULL,"
    "  min_fen INTEGER NOT NULL,"
    "  township_limit_fen INTEGER NOT NULL,"
    "  decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN "
    "('pending','approved','refused')),"
    "  payment TEXT NOT NULL DEFAULT 'none' CHECK (payment IN ('none','drawn','paid','returned')),"
    "  applied_on TEXT NOT NULL,"
    "  applied_at TEXT NOT NULL,"
    "  applied_user TEXT NOT NULL,"
    "  decision_due TEXT NOT NULL,"
    "  papers_due TEXT NOT NULL DEFAULT '',"
    "  papers_on TEXT NOT NULL DEFAULT '',"
    "  deliver_by TEXT NOT NULL DEFAULT '',"
    "  decided_on TEXT NOT NULL DEFAULT '',"
    "  decided_by TEXT NOT NULL DEFAULT '',"
    "  decision_note TEXT NOT NULL DEFAULT '',"
    "  paid_on TEXT NOT NULL DEFAULT '',"
    "  paid_by TEXT NOT NULL DEFAULT '',"
    "  returned_on TEXT NOT NULL DEFAULT '',"
    "  updated_at TEXT NOT NULL"
    ");"
    "CREATE INDEX relief_grants_by_region ON relief_grants(region_code, id);"
    "CREATE INDEX relief_grants_by_person ON relief_grants(person_id, cause, year);"
    /* the report: paid grants by payment day, covering what it sums */
    "CREATE INDEX relief_grants_paid ON relief_grants(paid_on, region_code, unit_code, amount_fen) "
    "  WHERE payment = 'paid';"
    /* the overdue lists */
    "CREATE INDEX relief_grants_papers_due ON relief_grants(papers_due, region_code) "
    "  WHERE pay_first = 1 AND papers_on = '';"
    "CREATE INDEX relief_grants_decision_due ON relief_grants(decision_due, region_code) "
    "  WHERE decision = 'pending';"
    "CREATE INDEX relief_grants_deliver_by ON relief_grants(deliver_by, region_code) "
    "  WHERE payment = 'drawn';"
    "CREATE INDEX relief_grants_by_township ON relief_grants(township_code, pay_first);"
    /* 一事一议: the record a grant above the normal maximum needs before approval */
    "CREATE TABLE relief_decisions ("
    "  grant_id INTEGER PRIMARY KEY REFERENCES relief_grants(id),"
    "  decided_on TEXT NOT NULL,"
    "  participants TEXT NOT NULL,"
    "  decision TEXT NOT NULL,"
    "  recorded_by TEXT NOT NULL,"
    "  recorded_at TEXT NOT NULL"
    ");"
    "CREATE TABLE relief_steps ("
    "  id INTEGER PRIMARY KEY,"
    "  grant_id INTEGER NOT NULL REFERENCES relief_grants(id),"
    "  step TEXT NOT NULL,"
    "  on_date TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  by_user TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX relief_steps_by_grant ON relief_steps(grant_id, id);"
    /* A township's reserve: the balance can never go negative. Disbursements are a conditional
     * UPDATE (balance_fen >= amount) inside the grant's transaction; the CHECK is the backstop. */
    "CREATE TABLE relief_reserves ("
    "  township_code TEXT PRIMARY KEY,"
    "  unit_code TEXT NOT NULL,"
    "  balance_fen INTEGER NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),"
    "  updated_at TEXT NOT NULL"
    ");"
    /* Every movement, with the balance after it. amount_fen > 0; disbursements take it off. A
     * grant is drawn at most once and returned at most once. */
    "CREATE TABLE relief_reserve_moves ("
    "  id INTEGER PRIMARY KEY,"
    "  township_code TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('allocation','replenishment','disbursement','return')),"
    "  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
    "  balance_after_fen INTEGER NOT NULL CHECK (balance_after_fen >= 0),"
    "  grant_id INTEGER REFERENCES relief_grants(id),"
    "  on_date TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  by_user TEXT NOT NULL,"
    "  note TEXT NOT NULL DEFAULT ''"
    ");"
    "CREATE INDEX relief_reserve_moves_by_township ON relief_reserve_moves(township_code, id);"
    "CREATE UNIQUE INDEX relief_reserve_moves_once ON relief_reserve_moves(grant_id, kind) "
    "  WHERE grant_id IS NOT NULL;"
    /* A pay-first grant the reserve could not cover: the county's replenishment list. */
    "CREATE TABLE relief_needs ("
    "  id INTEGER PRIMARY KEY,"
    "  township_code TEXT NOT NULL,"
    "  unit_code TEXT NOT NULL,"
    "  person_id INTEGER NOT NULL REFERENCES persons(id),"
    "  cause TEXT NOT NULL,"
    "  amount_fen INTEGER NOT NULL,"
    "  balance_fen INTEGER NOT NULL,"
    "  on_date TEXT NOT NULL,"
    "  at TEXT NOT NULL,"
    "  by_user TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','met')),"
    "  met_move_id INTEGER REFERENCES relief_reserve_moves(id)"
    ");"
    "CREATE INDEX relief_needs_by_township ON relief_needs(township_code, status, id);";

/* Migration 32: the client's request key, so an application sent again (its answer lost to a
 * dropped connection or a server restart) is answered with what the first one did instead of
 * being applied twice: a grant, or the refusal recorded as a replenishment need. Unique per
 * user; NULL for applications sent without one (the CLI, the demo, older clients). */
const char relief_schema_v2[] =
    "ALTER TABLE relief_grants ADD COLUMN request_key TEXT;"
    "CREATE UNIQUE INDEX relief_grants_request_key ON relief_grants(applied_user, request_key) "
    "  WHERE request_key IS NOT NULL;"
    "ALTER TABLE relief_needs ADD COLUMN request_key TEXT;"
    "CREATE UNIQUE INDEX relief_needs_request_key ON relief_needs(by_user, request_key) "
    "  WHERE request_key IS NOT NULL;";
