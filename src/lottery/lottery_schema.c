/* lottery_schema.c — the tables the lottery module owns (migration 29): the closure and
 * reopening events of lottery outlets and their reopening checklists.
 *
 * An outlet is the institutions module's record of type lottery_outlet (institution_id; no
 * foreign key into that module's table); its region code is copied so that a scope check is an
 * index range. An outlet is open on a day when the institution is open and its latest event on
 * or before that day is not a closure. */
#include "lottery/lottery.h"

const char lottery_schema_v1[] =
	"CREATE TABLE lottery_events ("
	"  id INTEGER PRIMARY KEY,"
	"  institution_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('closure','reopening')),"
	"  date TEXT NOT NULL,"
	"  checklist_id INTEGER,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX lottery_events_by_outlet ON lottery_events(institution_id, date);"
	"CREATE INDEX lottery_events_by_region ON lottery_events(region_code);"
	"CREATE TABLE lottery_checklists ("
	"  id INTEGER PRIMARY KEY,"
	"  institution_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  checked_on TEXT NOT NULL,"
	"  checked_by TEXT NOT NULL,"
	"  temperature INTEGER NOT NULL,"
	"  masks INTEGER NOT NULL,"
	"  distance INTEGER NOT NULL,"
	"  disinfection INTEGER NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX lottery_checklists_by_outlet ON lottery_checklists(institution_id, checked_on);";
