/* marriage_schema.c — the tables the marriage module owns (migration 23): offices' settings,
 * closed dates, dated epidemic rules, bookings, the hashing key and the public throttle.
 *
 * office_id is the institutions module's institution id (no foreign key: that module owns its
 * table); name, address, region and unit are copied when the settings are stored so that the
 * public page and the scoped lists need no other module's table. Every booking carries its
 * office's region_code, so scoped queries are a range on it. Dates "YYYY-MM-DD", times "HH:MM",
 * moments "YYYY-MM-DDTHH:MM:SS+08:00". Temperatures are integer tenths of °C. ID numbers are
 * kept only masked and as a keyed hash (see marriage.h). */
#include "marriage/marriage.h"

const char marriage_schema_v1[] =
	"CREATE TABLE marriage_offices ("
	"  office_id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  unit_code TEXT NOT NULL,"
	"  address TEXT NOT NULL DEFAULT '',"
	"  hours TEXT NOT NULL,"
	"  slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 10 AND 240),"
	"  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 20),"
	"  updated_by TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX marriage_offices_by_region ON marriage_offices(region_code);"
	"CREATE TABLE marriage_closed ("
	"  office_id INTEGER NOT NULL REFERENCES marriage_offices(office_id),"
	"  day TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  set_by TEXT NOT NULL,"
	"  set_at TEXT NOT NULL,"
	"  PRIMARY KEY (office_id, day)"
	");"
	/* An epidemic rule is in force from effective_from until the next one of the office. */
	"CREATE TABLE marriage_rules ("
	"  id INTEGER PRIMARY KEY,"
	"  office_id INTEGER NOT NULL REFERENCES marriage_offices(office_id),"
	"  effective_from TEXT NOT NULL,"
	"  capacity_limit INTEGER NOT NULL DEFAULT 0 CHECK (capacity_limit BETWEEN 0 AND 20),"
	"  one_couple INTEGER NOT NULL DEFAULT 0,"
	"  counselling_suspended INTEGER NOT NULL DEFAULT 0,"
	"  ceremony_suspended INTEGER NOT NULL DEFAULT 0,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  set_by TEXT NOT NULL,"
	"  set_at TEXT NOT NULL,"
	"  UNIQUE (office_id, effective_from)"
	");"
	/* status booked | cancelled; outcome '' (open) | registered | not_registered | no_show.
	 * a_* / b_*: the two parties; *_id_hash the keyed hash of the ID number (hex). */
	"CREATE TABLE marriage_bookings ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  office_id INTEGER NOT NULL REFERENCES marriage_offices(office_id),"
	"  region_code TEXT NOT NULL,"
	"  slot_date TEXT NOT NULL,"
	"  slot_time TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('booked','cancelled')),"
	"  a_name TEXT NOT NULL, a_id_masked TEXT NOT NULL, a_id_hash TEXT NOT NULL,"
	"  a_sex TEXT NOT NULL, a_birth TEXT NOT NULL,"
	"  b_name TEXT NOT NULL, b_id_masked TEXT NOT NULL, b_id_hash TEXT NOT NULL,"
	"  b_sex TEXT NOT NULL, b_birth TEXT NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  checked_in_at TEXT NOT NULL DEFAULT '',"
	"  temperature_tenths INTEGER NOT NULL DEFAULT 0,"
	"  fever INTEGER NOT NULL DEFAULT 0,"
	"  outcome TEXT NOT NULL DEFAULT '' CHECK (outcome IN ('','registered','not_registered',"
	"    'no_show')),"
	"  outcome_reason TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX marriage_bookings_by_slot ON marriage_bookings(office_id, slot_date, slot_time);"
	"CREATE INDEX marriage_bookings_by_region ON marriage_bookings(region_code, slot_date);"
	"CREATE INDEX marriage_bookings_by_a ON marriage_bookings(a_id_hash);"
	"CREATE INDEX marriage_bookings_by_b ON marriage_bookings(b_id_hash);"
	/* The key of the ID-number hash, made once when the table is created. */
	"CREATE TABLE marriage_key (id INTEGER PRIMARY KEY CHECK (id = 1), k BLOB NOT NULL);"
	"INSERT INTO marriage_key(id, k) VALUES (1, randomblob(32));"
	/* Public requests per client address: the current window's start (unix seconds) and count. */
	"CREATE TABLE marriage_throttle ("
	"  client TEXT PRIMARY KEY,"
	"  window_start INTEGER NOT NULL,"
	"  count INTEGER NOT NULL"
	");"
	"CREATE INDEX marriage_throttle_by_start ON marriage_throttle(window_start);";
