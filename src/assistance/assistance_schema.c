/* assistance_schema.c — the tables the assistance module owns: cases, their lifecycle records,
 * objections to public notices, and the city's declared epidemic periods. */
#include "assistance/assistance.h"

const char assistance_schema_v1[] =
	/* One program for one household (dibao) or one person (tekun, orphan, unsupported_child).
	 * status: applied → investigated → appraised → notice → active | refused; active can become
	 * suspended (and resume), phaseout (paid unchanged until end_month) or terminated.
	 * start_month / end_month are 'YYYY-MM' ('' = open). unit_code is the management unit
	 * (county-level unit or zone) that approves and pays. The amount is computed each month by
	 * the rules from the household and the parameters in force; monthly_amount_fen is the last
	 * computed figure (for lists and the phase-out, which pays the previous amount unchanged). */
	"CREATE TABLE assistance_cases ("
	"  id INTEGER PRIMARY KEY,"
	"  program TEXT NOT NULL CHECK (program IN ('dibao','tekun','orphan','unsupported_child')),"
	"  household_id INTEGER NOT NULL REFERENCES households(id),"
	"  person_id INTEGER REFERENCES persons(id),"  /* NULL for dibao (the household) */
	"  region_code TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  residence_type TEXT NOT NULL CHECK (residence_type IN ('urban','rural')),"
	"  status TEXT NOT NULL CHECK (status IN ('applied','investigated','appraised','notice',"
	"    'active','suspended','phaseout','terminated','refused')),"
	"  applied_at TEXT NOT NULL,"
	"  start_month TEXT NOT NULL DEFAULT '',"
	"  end_month TEXT NOT NULL DEFAULT '',"
	"  monthly_amount_fen INTEGER NOT NULL DEFAULT 0,"
	"  review_category TEXT NOT NULL DEFAULT 'stable' CHECK (review_category IN ('stable','irregular')),"
	"  last_review_month TEXT NOT NULL DEFAULT '',"
	"  next_review_month TEXT NOT NULL DEFAULT '',"
	"  phaseout_from TEXT NOT NULL DEFAULT '',"   /* review month that found income above */
	"  phaseout_months INTEGER NOT NULL DEFAULT 0,"
	"  adl_mask INTEGER NOT NULL DEFAULT 0,"       /* tekun: daily activities not possible */
	"  support_form TEXT NOT NULL DEFAULT '',"     /* tekun: centralised | scattered */
	"  child_category TEXT NOT NULL DEFAULT '',"   /* orphan_institutional | orphan_scattered | unsupported */
	"  assets_fen INTEGER NOT NULL DEFAULT 0,"
	"  payee_name TEXT NOT NULL DEFAULT '',"
	"  bank_name TEXT NOT NULL DEFAULT '',"
	"  bank_account TEXT NOT NULL DEFAULT '',"
	"  reason TEXT NOT NULL DEFAULT '',"           /* refusal / termination / suspension reason */
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX assistance_cases_by_region ON assistance_cases(region_code, program, status);"
	"CREATE INDEX assistance_cases_by_unit ON assistance_cases(unit_code, status, program);"
	"CREATE INDEX assistance_cases_by_household ON assistance_cases(household_id);"
	"CREATE INDEX assistance_cases_by_person ON assistance_cases(person_id);"
	/* One row per lifecycle step: application, investigation, appraisal, notice (with its
	 * dates), approval, refusal, suspension, resumption, review, phase-out, termination. */
	"CREATE TABLE assistance_steps ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES assistance_cases(id),"
	"  step TEXT NOT NULL,"
	"  at TEXT NOT NULL,"
	"  by_user TEXT NOT NULL,"
	"  record TEXT NOT NULL DEFAULT '{}',"        /* JSON: what was found / decided */
	"  notice_start TEXT NOT NULL DEFAULT '',"    /* notice: 'YYYY-MM-DD' */
	"  notice_end TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX assistance_steps_by_case ON assistance_steps(case_id, id);"
	"CREATE TABLE assistance_objections ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES assistance_cases(id),"
	"  at TEXT NOT NULL,"
	"  by_user TEXT NOT NULL,"
	"  content TEXT NOT NULL,"
	"  resolution TEXT NOT NULL DEFAULT ''"
	");"
	/* Declared by the city: during [start_month, end_month] reviews are postponed and no exit
	 * takes effect (State Council, 6 March 2020). */
	"CREATE TABLE epidemic_periods ("
	"  id INTEGER PRIMARY KEY,"
	"  start_month TEXT NOT NULL,"
	"  end_month TEXT NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  declared_by TEXT NOT NULL,"
	"  declared_at TEXT NOT NULL"
	");";
