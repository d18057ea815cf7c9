/* funeral_schema.c — the tables the funeral module owns (migration 21): the body records of the
 * funeral homes, their steps, and the farewell-gathering suspensions.
 *
 * Every record carries its funeral home's region_code (copied at insert; a home never moves), so
 * every scoped query is a range on region_code like the registry's. institution_id names the
 * institutions module's record of the home; no foreign key (that module owns its table). Times
 * are "YYYY-MM-DDTHH:MM" (Beijing time), dates "YYYY-MM-DD" ('' = none). */
#include "funeral/funeral.h"

const char funeral_schema_v1[] =
	/* status: registered, or the last step recorded (transfer … ashes). person_id: the
	 * registry's person with this ID number when one was found at registration. */
	"CREATE TABLE funeral_bodies ("
	"  id INTEGER PRIMARY KEY,"
	"  institution_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  unidentified INTEGER NOT NULL DEFAULT 0,"
	"  id_number TEXT NOT NULL DEFAULT '',"
	"  person_id INTEGER,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  description TEXT NOT NULL DEFAULT '',"
	"  died_on TEXT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('hospital','home','other')),"
	"  free_transfer INTEGER NOT NULL DEFAULT 0,"
	"  cause TEXT NOT NULL CHECK (cause IN ('confirmed','suspected','other')),"
	"  status TEXT NOT NULL DEFAULT 'registered' CHECK (status IN ('registered','transfer',"
	"    'cremation','disinfection','ashes')),"
	"  farewell_on TEXT NOT NULL DEFAULT '',"
	"  farewell_attendees INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX funeral_bodies_by_region ON funeral_bodies(region_code, died_on);"
	"CREATE INDEX funeral_bodies_by_home ON funeral_bodies(institution_id, died_on);"
	"CREATE INDEX funeral_bodies_by_day ON funeral_bodies(died_on);"
	"CREATE INDEX funeral_bodies_by_farewell ON funeral_bodies(farewell_on) "
	"WHERE farewell_on <> '';"
	/* One row per step and body. dedicated: transfer by the dedicated vehicle and channel, or
	 * cremation in the dedicated cremator. ashes: handed | held (the ashes step only). */
	"CREATE TABLE funeral_steps ("
	"  id INTEGER PRIMARY KEY,"
	"  body_id INTEGER NOT NULL REFERENCES funeral_bodies(id),"
	"  institution_id INTEGER NOT NULL,"
	"  step TEXT NOT NULL CHECK (step IN ('transfer','cremation','disinfection','ashes')),"
	"  at TEXT NOT NULL,"
	"  staff TEXT NOT NULL,"
	"  dedicated INTEGER NOT NULL DEFAULT 0,"
	"  vehicle TEXT NOT NULL DEFAULT '',"
	"  cremator TEXT NOT NULL DEFAULT '',"
	"  ashes TEXT NOT NULL DEFAULT '' CHECK (ashes IN ('','handed','held')),"
	"  receiver TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  recorded_at TEXT NOT NULL,"
	"  recorded_by TEXT NOT NULL,"
	"  UNIQUE (body_id, step)"
	");"
	"CREATE INDEX funeral_steps_by_home ON funeral_steps(institution_id, at);"
	/* Periods in which no farewell gathering may be held (to_date '' = until further notice). */
	"CREATE TABLE funeral_suspensions ("
	"  id INTEGER PRIMARY KEY,"
	"  from_date TEXT NOT NULL,"
	"  to_date TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL,"
	"  created_by TEXT NOT NULL"
	");";
