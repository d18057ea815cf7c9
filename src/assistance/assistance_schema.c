/* assistance_schema.c — the tables the assistance module owns: cases, their lifecycle records,
 * objections to public notices, and the city's declared epidemic periods.
 *
 * Months are 'YYYY-MM' text and dates 'YYYY-MM-DD' text throughout ('' = none), so they sort and
 * compare like the months and days themselves. What the monthly entitlements read (see
 * assistance_entitlements.c) is all on the case row: the months it is paid (start_month,
 * end_month, the suspension interval, the phase-out), the amount decided last, the payee. */
#include "assistance/assistance.h"

const char assistance_schema_v1[] =
	/* One program for one household (dibao) or one person (tekun, orphan, unsupported_child).
	 * status: applied → investigated → (appraised) → notice → active | refused (children skip
	 * appraisal and notice, see assistance_store.c); active can become suspended (and resume),
	 * phaseout (paid unchanged until end_month) or terminated.
	 * start_month: the first month paid (the month after approval). end_month: the last month
	 * paid before any epidemic hold ('' = open): the decision month of a termination, F+N of a
	 * phase-out found in month F with N months. exit_holdable: 0 when the exit is a death or a
	 * move away (never held), else 1 — an epidemic period holds the exit (assistance_rules.h).
	 * suspended_from / suspended_until: the last suspension, months [from, until) not paid
	 * (until '' = still suspended). unit_code is the management unit (county-level unit or
	 * zone) whose parameters apply and which pays. The amount is computed each month by the
	 * rules from the registry and the parameters in force; monthly_amount_fen is the amount
	 * decided last (approval, review), which a phase-out or a held exit pays unchanged. */
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
	"  applied_at TEXT NOT NULL,"                  /* the written application's date */
	"  start_month TEXT NOT NULL DEFAULT '',"
	"  end_month TEXT NOT NULL DEFAULT '',"
	"  exit_holdable INTEGER NOT NULL DEFAULT 1,"
	"  exit_cause TEXT NOT NULL DEFAULT '',"      /* income death moved_away request other */
	"  suspended_from TEXT NOT NULL DEFAULT '',"
	"  suspended_until TEXT NOT NULL DEFAULT '',"
	"  monthly_amount_fen INTEGER NOT NULL DEFAULT 0,"
	"  review_category TEXT NOT NULL DEFAULT 'stable' CHECK (review_category IN ('stable','irregular')),"
	"  last_review_month TEXT NOT NULL DEFAULT '',"
	"  next_review_month TEXT NOT NULL DEFAULT '',"  /* as scheduled, before any postponement */
	"  phaseout_from TEXT NOT NULL DEFAULT '',"   /* review month that found income above */
	"  phaseout_months INTEGER NOT NULL DEFAULT 0,"
	"  adl_mask INTEGER NOT NULL DEFAULT 0,"       /* tekun: daily activities not possible */
	"  support_form TEXT NOT NULL DEFAULT '',"     /* tekun: centralised | scattered */
	"  child_category TEXT NOT NULL DEFAULT '',"   /* orphan_institutional | orphan_scattered | unsupported_child */
	"  child_placement TEXT NOT NULL DEFAULT '',"  /* institutional | scattered */
	"  parent_condition_1 TEXT NOT NULL DEFAULT '',"  /* assistance_parent_condition_code() */
	"  parent_condition_2 TEXT NOT NULL DEFAULT '',"
	"  assets_fen INTEGER NOT NULL DEFAULT 0,"
	"  payee_name TEXT NOT NULL DEFAULT '',"
	"  bank_name TEXT NOT NULL DEFAULT '',"
	"  bank_account TEXT NOT NULL DEFAULT '',"
	"  reason TEXT NOT NULL DEFAULT '',"           /* refusal / termination / suspension reason */
	"  notice_start TEXT NOT NULL DEFAULT '',"     /* the public notice: first and last day */
	"  notice_end TEXT NOT NULL DEFAULT '',"
	"  last_step_on TEXT NOT NULL DEFAULT '',"     /* date of the latest step: steps go forward */
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX assistance_cases_by_region ON assistance_cases(region_code, program, status);"
	"CREATE INDEX assistance_cases_by_unit ON assistance_cases(unit_code, status, program);"
	"CREATE INDEX assistance_cases_by_household ON assistance_cases(household_id);"
	"CREATE INDEX assistance_cases_by_person ON assistance_cases(person_id);"
	/* The monthly entitlements' last pass walks this in (unit_code, region_code, id) order, the
	 * order they are delivered in, and it covers every column that pass reads, so it never
	 * touches the table: reading 1 M case rows in this order from the table costs a random
	 * B-tree lookup each, about twice the whole index walk (measured, docs/assistance.md).
	 * Cases never paid (applications, refusals) are not in it at all. Keep it in step with
	 * ORDER_COLS in assistance_entitlements.c. */
	"CREATE INDEX assistance_cases_pay ON assistance_cases(unit_code, region_code, id, start_month,"
	"  end_month, exit_holdable, status, program, household_id, person_id, residence_type,"
	"  suspended_from, suspended_until, monthly_amount_fen, phaseout_from, phaseout_months,"
	"  adl_mask, support_form, child_placement, parent_condition_1, parent_condition_2,"
	"  payee_name, bank_name, bank_account)"
	"  WHERE status IN ('active','suspended','phaseout','terminated');"
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
	"  resolution TEXT NOT NULL DEFAULT '',"
	"  resolved_at TEXT NOT NULL DEFAULT '',"
	"  resolved_by TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX assistance_objections_by_case ON assistance_objections(case_id, id);"
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

/* v2: refusals of suitable job offers (DOMAIN.md: "a member able to work who refuses 3 suitable
 * job offers has their share reduced"). One row per refusal a township or county user records
 * on an active 低保 case, for a counted member of its household: the day the offer was refused,
 * what was offered, who recorded it and when. Rows are never changed or deleted (the sanction
 * follows from them; the audit log has the write). The monthly entitlements count, for each
 * member and month M, the refusals dated in M−12 … M−1 and recorded before M (see
 * assistance_entitlements.c, refusals_load), and pass the count to the rules. */
const char assistance_schema_v2[] =
	"CREATE TABLE assistance_job_refusals ("
	"  id INTEGER PRIMARY KEY,"
	"  case_id INTEGER NOT NULL REFERENCES assistance_cases(id),"
	"  person_id INTEGER NOT NULL REFERENCES persons(id),"
	"  refused_on TEXT NOT NULL,"   /* 'YYYY-MM-DD': the day the offer was refused */
	"  offer TEXT NOT NULL,"        /* the job offered: employer, post, wage… */
	"  at TEXT NOT NULL,"           /* recorded at (ISO timestamp, Asia/Shanghai) */
	"  by_user TEXT NOT NULL"       /* recorded by */
	");"
	/* the same refusal entered twice would count twice towards the sanction */
	"CREATE UNIQUE INDEX assistance_job_refusals_once ON assistance_job_refusals(case_id, "
	"  person_id, refused_on, offer);"
	"CREATE INDEX assistance_job_refusals_by_person ON assistance_job_refusals(person_id, "
	"  refused_on);"
	"CREATE INDEX assistance_job_refusals_by_day ON assistance_job_refusals(refused_on, "
	"  person_id, at);";
