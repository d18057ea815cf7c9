/* ledger_schema.c — the tables the ledger module owns (migration 13): entries, visits, needs,
 * helpers' contact details, townships' 24-hour numbers, and the queue of persons whose registry
 * or roll data changed (ledger_dirty, filled by triggers on the registry's and the assistance
 * module's tables; ledger_sync.c empties it).
 *
 * Dates are 'YYYY-MM-DD' text ('' = none), so they sort and compare like the days themselves.
 * Categories are a bit mask in the order of enum ledger_category (ledger.h).
 *
 * The overdue list is the hot path (docs/bench.md): each active entry keeps next_due, updated in
 * the transaction of the visit that moves it, and partial indexes over the active entries are
 * keyed by the area and next_due, so "due by D in county C, most overdue first" is one index
 * range that stops after a page, and its count and per-township counts read index entries only
 * (status is a key column, last, because SQLite 3.40 does not treat a partial index's WHERE
 * column as covered; person_id is named before it so the index holds the lists' order). The county index is on substr(region_code, 1, 6): an equality there keeps next_due
 * in index order, where a range over region codes would not.
 */
#include "ledger/ledger.h"

const char ledger_schema_v1[] =
	/* One entry per registry person: a 低保 household appears as its head. auto_categories
	 * follow the registry tags and the assistance rolls (the sync), manual_categories are
	 * recorded by hand, categories = both. frequency_days: the most demanding category's
	 * parameter in force in the month of the last visit (0 = none in force). next_due: the day
	 * the next visit is due — joined_on until the first visit, then last_visit_on +
	 * frequency_days. close_kind: 'manual' (by a user, with the reason; the sync leaves it
	 * closed) or 'auto' (by the sync: no category left, or the person removed). */
	"CREATE TABLE ledger_entries ("
	"  person_id INTEGER PRIMARY KEY REFERENCES persons(id),"
	"  household_id INTEGER NOT NULL,"
	"  region_code TEXT NOT NULL,"		/* the person's village, kept in step */
	"  unit_code TEXT NOT NULL,"		/* management unit whose parameters apply */
	"  auto_categories INTEGER NOT NULL DEFAULT 0,"
	"  manual_categories INTEGER NOT NULL DEFAULT 0,"
	"  categories INTEGER NOT NULL DEFAULT 0,"
	"  frequency_days INTEGER NOT NULL DEFAULT 0,"
	"  status TEXT NOT NULL CHECK (status IN ('active','closed')),"
	"  close_kind TEXT NOT NULL DEFAULT '' CHECK (close_kind IN ('','manual','auto')),"
	"  close_reason TEXT NOT NULL DEFAULT '',"
	"  closed_on TEXT NOT NULL DEFAULT '',"
	"  joined_on TEXT NOT NULL,"
	"  source TEXT NOT NULL CHECK (source IN ('auto','manual')),"
	"  helper_user_id INTEGER REFERENCES users(id),"
	"  note TEXT NOT NULL DEFAULT '',"
	"  last_visit_on TEXT NOT NULL DEFAULT '',"
	"  next_due TEXT NOT NULL,"
	"  visits INTEGER NOT NULL DEFAULT 0,"
	"  open_needs INTEGER NOT NULL DEFAULT 0,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	/* village and township lists, and the due list of a village or township */
	"CREATE INDEX ledger_entries_due ON ledger_entries(region_code, next_due, person_id, status) "
	"  WHERE status = 'active';"
	/* a county's due list: in the lists' order (next_due, region_code, person_id), so a page
	 * needs no sort */
	"CREATE INDEX ledger_entries_due_county ON ledger_entries(substr(region_code, 1, 6), "
	"  next_due, region_code, person_id, status) WHERE status = 'active';"
	/* closed entries (the lists' "closed" filter), and helpers' entries */
	"CREATE INDEX ledger_entries_closed ON ledger_entries(region_code, status) "
	"  WHERE status = 'closed';"
	"CREATE INDEX ledger_entries_by_helper ON ledger_entries(helper_user_id, status) "
	"  WHERE helper_user_id IS NOT NULL;"
	/* How many active entries fall due on each day, per area: each county (len 6), township (9)
	 * and village (12); the city's are the sums of its counties'. The overdue list's total and its per-area counts are
	 * sums over a few hundred of these rows instead of counts over tens of thousands of
	 * entries. Kept by the triggers below in the same transaction as any change to an entry's
	 * status, due day or village; bench/ledger.c checks them against a full count. */
	"CREATE TABLE ledger_due_counts ("
	"  len INTEGER NOT NULL,"
	"  area TEXT NOT NULL,"
	"  next_due TEXT NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (len, area, next_due)"
	") WITHOUT ROWID;"
	"CREATE TRIGGER ledger_due_in AFTER INSERT ON ledger_entries WHEN NEW.status = 'active' BEGIN "
	"  INSERT INTO ledger_due_counts(len, area, next_due, n) VALUES "
	"    (6, substr(NEW.region_code, 1, 6), NEW.next_due, 1), "
	"    (9, substr(NEW.region_code, 1, 9), NEW.next_due, 1), "
	"    (12, NEW.region_code, NEW.next_due, 1) "
	"  ON CONFLICT (len, area, next_due) DO UPDATE SET n = n + 1; END;"
	"CREATE TRIGGER ledger_due_out AFTER DELETE ON ledger_entries WHEN OLD.status = 'active' BEGIN "
	"  UPDATE ledger_due_counts SET n = n - 1 WHERE next_due = OLD.next_due AND ("
	"    (len = 6 AND area = substr(OLD.region_code, 1, 6)) OR "
	"    (len = 9 AND area = substr(OLD.region_code, 1, 9)) OR "
	"    (len = 12 AND area = OLD.region_code)); END;"
	"CREATE TRIGGER ledger_due_move_out AFTER UPDATE OF status, next_due, region_code "
	"  ON ledger_entries WHEN OLD.status = 'active' AND (NEW.status IS NOT OLD.status OR "
	"  NEW.next_due IS NOT OLD.next_due OR NEW.region_code IS NOT OLD.region_code) BEGIN "
	"  UPDATE ledger_due_counts SET n = n - 1 WHERE next_due = OLD.next_due AND ("
	"    (len = 6 AND area = substr(OLD.region_code, 1, 6)) OR "
	"    (len = 9 AND area = substr(OLD.region_code, 1, 9)) OR "
	"    (len = 12 AND area = OLD.region_code)); END;"
	"CREATE TRIGGER ledger_due_move_in AFTER UPDATE OF status, next_due, region_code "
	"  ON ledger_entries WHEN NEW.status = 'active' AND (NEW.status IS NOT OLD.status OR "
	"  NEW.next_due IS NOT OLD.next_due OR NEW.region_code IS NOT OLD.region_code) BEGIN "
	"  INSERT INTO ledger_due_counts(len, area, next_due, n) VALUES "
	"    (6, substr(NEW.region_code, 1, 6), NEW.next_due, 1), "
	"    (9, substr(NEW.region_code, 1, 9), NEW.next_due, 1), "
	"    (12, NEW.region_code, NEW.next_due, 1) "
	"  ON CONFLICT (len, area, next_due) DO UPDATE SET n = n + 1; END;"
	/* A recorded contact. due_on: when it was due (the latest earlier visit + the frequency, or
	 * the day the entry joined); next_due: when the next became due; late_days: how late. */
	"CREATE TABLE ledger_visits ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES ledger_entries(person_id),"
	"  region_code TEXT NOT NULL,"
	"  visited_on TEXT NOT NULL,"
	"  mode TEXT NOT NULL CHECK (mode IN ('home','phone','wechat','other','survey')),"
	"  visitor TEXT NOT NULL,"
	"  findings TEXT NOT NULL DEFAULT '',"
	"  actions TEXT NOT NULL DEFAULT '',"
	"  due_on TEXT NOT NULL DEFAULT '',"
	"  next_due TEXT NOT NULL DEFAULT '',"
	"  late_days INTEGER NOT NULL DEFAULT 0,"
	"  recorded_by TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL"
	");"
	"CREATE INDEX ledger_visits_by_entry ON ledger_visits(person_id, visited_on, id);"
	"CREATE INDEX ledger_visits_by_region ON ledger_visits(region_code, visited_on, mode, "
	"  late_days);"
	/* A need collected on a visit, open until settled as met or unmet. */
	"CREATE TABLE ledger_needs ("
	"  id INTEGER PRIMARY KEY,"
	"  person_id INTEGER NOT NULL REFERENCES ledger_entries(person_id),"
	"  visit_id INTEGER NOT NULL REFERENCES ledger_visits(id),"
	"  region_code TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('food','medicine','masks','care','money','other')),"
	"  detail TEXT NOT NULL DEFAULT '',"
	"  raised_on TEXT NOT NULL,"
	"  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','met','unmet')),"
	"  resolved_on TEXT NOT NULL DEFAULT '',"
	"  resolution TEXT NOT NULL DEFAULT '',"
	"  resolved_by TEXT NOT NULL DEFAULT '',"
	"  relief_grant_id INTEGER,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX ledger_needs_by_entry ON ledger_needs(person_id, status, id);"
	"CREATE INDEX ledger_needs_by_visit ON ledger_needs(visit_id);"
	"CREATE INDEX ledger_needs_by_region ON ledger_needs(region_code, raised_on);"
	/* What a household is told about its helper (包帮责任人): kept per user, set on assignment. */
	"CREATE TABLE ledger_helpers ("
	"  user_id INTEGER PRIMARY KEY REFERENCES users(id),"
	"  name TEXT NOT NULL,"
	"  phone TEXT NOT NULL,"
	"  updated_by TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	/* Each township's 24-hour number, shown on the ledger and printed on notices. */
	"CREATE TABLE ledger_contacts ("
	"  township_code TEXT PRIMARY KEY,"
	"  phone TEXT NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  set_by TEXT NOT NULL,"
	"  set_at TEXT NOT NULL"
	");"
	/* Persons whose tags, status, village, household or rolls changed since the last sync. The
	 * triggers only note the person; what it means is ledger_sync.c's business. Existing data
	 * is noted once here, so an upgraded database's ledger fills at the first sync. */
	"CREATE TABLE ledger_dirty (person_id INTEGER PRIMARY KEY);"
	"INSERT INTO ledger_dirty(person_id) SELECT DISTINCT person_id FROM person_tags WHERE 1 "
	"  ON CONFLICT DO NOTHING;"
	"INSERT INTO ledger_dirty(person_id) SELECT person_id FROM assistance_cases "
	"  WHERE person_id IS NOT NULL ON CONFLICT DO NOTHING;"
	"INSERT INTO ledger_dirty(person_id) SELECT h.head_person_id FROM assistance_cases c "
	"  JOIN households h ON h.id = c.household_id WHERE h.head_person_id IS NOT NULL "
	"  ON CONFLICT DO NOTHING;"
	"CREATE TRIGGER ledger_dirty_tag_in AFTER INSERT ON person_tags BEGIN "
	"  INSERT INTO ledger_dirty(person_id) VALUES (NEW.person_id) ON CONFLICT DO NOTHING; END;"
	"CREATE TRIGGER ledger_dirty_tag_out AFTER DELETE ON person_tags BEGIN "
	"  INSERT INTO ledger_dirty(person_id) VALUES (OLD.person_id) ON CONFLICT DO NOTHING; END;"
	"CREATE TRIGGER ledger_dirty_person AFTER UPDATE OF status, region_code, household_id "
	"  ON persons BEGIN "
	"  INSERT INTO ledger_dirty(person_id) VALUES (NEW.id) ON CONFLICT DO NOTHING; END;"
	"CREATE TRIGGER ledger_dirty_head AFTER UPDATE OF head_person_id ON households BEGIN "
	"  INSERT INTO ledger_dirty(person_id) SELECT OLD.head_person_id "
	"    WHERE OLD.head_person_id IS NOT NULL ON CONFLICT DO NOTHING;"
	"  INSERT INTO ledger_dirty(person_id) SELECT NEW.head_person_id "
	"    WHERE NEW.head_person_id IS NOT NULL ON CONFLICT DO NOTHING; END;"
	"CREATE TRIGGER ledger_dirty_case_in AFTER INSERT ON assistance_cases BEGIN "
	"  INSERT INTO ledger_dirty(person_id) SELECT coalesce(NEW.person_id, "
	"    (SELECT head_person_id FROM households WHERE id = NEW.household_id)) "
	"    WHERE coalesce(NEW.person_id, (SELECT head_person_id FROM households "
	"    WHERE id = NEW.household_id)) IS NOT NULL ON CONFLICT DO NOTHING; END;"
	"CREATE TRIGGER ledger_dirty_case AFTER UPDATE OF status ON assistance_cases BEGIN "
	"  INSERT INTO ledger_dirty(person_id) SELECT coalesce(NEW.person_id, "
	"    (SELECT head_person_id FROM households WHERE id = NEW.household_id)) "
	"    WHERE coalesce(NEW.person_id, (SELECT head_person_id FROM households "
	"    WHERE id = NEW.household_id)) IS NOT NULL ON CONFLICT DO NOTHING; END;";
