/* orgs_schema.c — the tables the orgs module owns (migration 26): social organisations, their
 * engagement records, their volunteers and the volunteers' activity hours.
 *
 * Every row carries a region code so that a scope check is an index range (core/scope.h): an
 * organisation its registration region, an engagement the region of the area it worked in, a
 * volunteer and an activity their organisation's region. Dates are "YYYY-MM-DD"; areas are
 * integer square metres (1 km² = 1,000,000 m²); hours are integer tenths of an hour. */
#include "orgs/orgs.h"

const char orgs_schema_v1[] =
	"CREATE TABLE orgs ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  type TEXT NOT NULL,"
	"  reg_no TEXT NOT NULL UNIQUE,"
	"  region_code TEXT NOT NULL,"
	"  contact_name TEXT NOT NULL DEFAULT '',"
	"  contact_phone TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX orgs_by_region ON orgs(region_code);"
	/* One day's work of an organisation in an area. volunteers: how many it mobilised that day
	 * (0 for a donation of money or goods). */
	"CREATE TABLE orgs_engagements ("
	"  id INTEGER PRIMARY KEY,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  org_region TEXT NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  activity TEXT NOT NULL CHECK (activity IN"
	"    ('disinfection','screening','delivery','donation','other')),"
	"  area_m2 INTEGER NOT NULL DEFAULT 0 CHECK (area_m2 >= 0),"
	"  households INTEGER NOT NULL DEFAULT 0 CHECK (households >= 0),"
	"  volunteers INTEGER NOT NULL DEFAULT 0 CHECK (volunteers >= 0),"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX orgs_engagements_by_region ON orgs_engagements(region_code, date);"
	"CREATE INDEX orgs_engagements_by_org ON orgs_engagements(org_id, date);"
	"CREATE TABLE orgs_volunteers ("
	"  id INTEGER PRIMARY KEY,"
	"  org_id INTEGER NOT NULL REFERENCES orgs(id),"
	"  region_code TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  phone TEXT NOT NULL DEFAULT '',"
	"  skills TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX orgs_volunteers_by_region ON orgs_volunteers(region_code);"
	"CREATE INDEX orgs_volunteers_by_org ON orgs_volunteers(org_id);"
	/* A volunteer's part in one engagement: hours in tenths. Once per volunteer and engagement. */
	"CREATE TABLE orgs_activities ("
	"  id INTEGER PRIMARY KEY,"
	"  engagement_id INTEGER NOT NULL REFERENCES orgs_engagements(id),"
	"  volunteer_id INTEGER NOT NULL REFERENCES orgs_volunteers(id),"
	"  org_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  date TEXT NOT NULL,"
	"  hours_tenths INTEGER NOT NULL CHECK (hours_tenths BETWEEN 1 AND 240),"
	"  UNIQUE (engagement_id, volunteer_id)"
	");"
	"CREATE INDEX orgs_activities_by_date ON orgs_activities(date, volunteer_id);"
	"CREATE INDEX orgs_activities_by_volunteer ON orgs_activities(volunteer_id);";
