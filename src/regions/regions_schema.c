/* regions_schema.c — the tables the regions module owns (GB/T 2260 tree + management units). */
#include "regions/regions.h"

const char regions_schema_v1[] =
	/* level: 1 province, 2 city, 3 county, 4 township, 5 village.
	 * unit_code: the county-level management unit the region belongs to — the official county,
	 * or a functional zone (units.kind='zone') that manages the township though its code sits
	 * under another county. NULL above county level. */
	"CREATE TABLE regions ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),"
	"  parent_code TEXT,"
	"  unit_code TEXT"
	");"
	"CREATE INDEX regions_by_parent ON regions(parent_code, code);"
	"CREATE INDEX regions_by_unit ON regions(unit_code, level);"
	/* kind: 'county' (an official county-level code) or 'zone' (a functional zone). Zone codes
	 * are not GB/T 2260 codes: no region code starts with them. */
	"CREATE TABLE units ("
	"  code TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('county','zone')),"
	"  city_code TEXT NOT NULL"
	");";
