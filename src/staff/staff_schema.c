/* staff_schema.c — the table the staff module owns (migration 27): deployments of the bureau's
 * own staff, seconded to supervision or sent to the front line.
 *
 * A person is their staff number (工号, staff_no): the counts are of distinct staff numbers, so
 * one person with repeated or overlapping deployments counts once. region_code is where the
 * post is (the destination: a county, a township or village checkpoint, or the city for an
 * inspection team), so a scope check is an index range. end_date '' = open-ended. */
#include "staff/staff.h"

const char staff_schema_v1[] =
	"CREATE TABLE staff_deployments ("
	"  id INTEGER PRIMARY KEY,"
	"  staff_no TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  phone TEXT NOT NULL DEFAULT '',"
	"  from_unit TEXT NOT NULL,"
	"  post TEXT NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  type TEXT NOT NULL CHECK (type IN ('seconded','front_line')),"
	"  start_date TEXT NOT NULL,"
	"  end_date TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX staff_deployments_by_region ON staff_deployments(region_code, start_date);"
	"CREATE INDEX staff_deployments_by_no ON staff_deployments(staff_no);";
