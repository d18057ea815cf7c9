/* crosscheck_schema.c — the tables the crosscheck module owns (migration 22): the recorded
 * deaths and the overpayments found with their recovery.
 *
 * crosscheck_deaths is read by the assistance module's entitlements (a recorded death counts as
 * a removal dated the day of death), by person_id: the primary key (person_id, source,
 * source_ref) answers that with one seek. region_code is the person's village at the time of
 * recording, so every scoped query is a range on it. */
#include "crosscheck/crosscheck.h"

const char crosscheck_schema_v1[] =
	"CREATE TABLE crosscheck_deaths ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL,"
	"  id_number TEXT NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  died_on TEXT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('funeral','import')),"
	"  source_ref TEXT NOT NULL DEFAULT '',"
	"  recorded_at TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL,"
	"  UNIQUE (person_id, source, source_ref)"
	");"
	"CREATE INDEX crosscheck_deaths_by_person ON crosscheck_deaths(person_id, died_on);"
	"CREATE INDEX crosscheck_deaths_by_region ON crosscheck_deaths(region_code, died_on);"
	"CREATE INDEX crosscheck_deaths_by_day ON crosscheck_deaths(died_on);"
	/* One per paid payment that counted a person after the month of their death. amount_fen:
	 * what was paid too much (see crosscheck.h); paid_fen: the payment's whole amount. */
	"CREATE TABLE crosscheck_overpayments ("
	"  id INTEGER PRIMARY KEY,"
	"  payment_id INTEGER NOT NULL UNIQUE,"
	"  person_id INTEGER NOT NULL,"
	"  died_on TEXT NOT NULL,"
	"  program TEXT NOT NULL,"
	"  case_id INTEGER NOT NULL,"
	"  month TEXT NOT NULL,"
	"  paid_fen INTEGER NOT NULL,"
	"  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),"
	"  recovered_fen INTEGER NOT NULL DEFAULT 0,"
	"  region_code TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'found' CHECK (status IN ('found','notified','recovered',"
	"    'written_off')),"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  found_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL,"
	"  updated_by TEXT NOT NULL"
	");"
	"CREATE INDEX crosscheck_overpayments_by_region ON crosscheck_overpayments(region_code, month);"
	"CREATE INDEX crosscheck_overpayments_by_month ON crosscheck_overpayments(month);"
	"CREATE INDEX crosscheck_overpayments_by_person ON crosscheck_overpayments(person_id);";
