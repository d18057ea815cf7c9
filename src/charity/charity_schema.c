/* charity_schema.c — the tables the charity module owns (migration 25): appeals, donations to
 * them and the uses of what was raised.
 *
 * Donations and uses carry their appeal's region_code (copied at insert; an appeal never
 * moves), so scoped lists are a range on region_code. Money is INTEGER fen; goods are integer
 * quantities in the item's unit (goods_items, owned by the goods module: a plain id, no foreign
 * key across modules) with their valuation in fen. A goods donation names the warehouse it
 * went into and the goods movement that received it. Totals are never stored: they are sums
 * of these rows to a date. */
#include "charity/charity.h"

const char charity_schema_v1[] =
	/* kind: public (an appeal to society) or staff (the bureau's staff donation drive) */
	"CREATE TABLE charity_appeals ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  organisation TEXT NOT NULL,"
	"  region_code TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('public','staff')),"
	"  started_on TEXT NOT NULL,"
	"  purpose TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX charity_appeals_by_region ON charity_appeals(region_code);"
	/* amount_fen: money given (kind money); goods: item_id, quantity, value_fen (valuation),
	 * warehouse_id and movement_id. donor_name '' when anonymous; disclose: the donor agreed to
	 * be named in the public disclosure. */
	"CREATE TABLE charity_donations ("
	"  id INTEGER PRIMARY KEY,"
	"  appeal_id INTEGER NOT NULL REFERENCES charity_appeals(id),"
	"  region_code TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('money','goods')),"
	"  donated_on TEXT NOT NULL,"
	"  amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
	"  donor_kind TEXT NOT NULL CHECK (donor_kind IN ('person','organisation')),"
	"  donor_name TEXT NOT NULL DEFAULT '',"
	"  anonymous INTEGER NOT NULL DEFAULT 0,"
	"  disclose INTEGER NOT NULL DEFAULT 0,"
	"  channel TEXT NOT NULL DEFAULT '',"
	"  receipt_no TEXT NOT NULL DEFAULT '',"
	"  item_id INTEGER,"
	"  quantity INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),"
	"  value_fen INTEGER NOT NULL DEFAULT 0 CHECK (value_fen >= 0),"
	"  warehouse_id INTEGER,"
	"  movement_id INTEGER,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX charity_donations_by_appeal ON charity_donations(appeal_id, donated_on);"
	"CREATE INDEX charity_donations_by_region ON charity_donations(region_code, donated_on);"
	"CREATE UNIQUE INDEX charity_donations_receipt ON charity_donations(appeal_id, receipt_no)"
	"  WHERE receipt_no <> '';"
	/* recipient_kind: institution, township or project (named in recipient_name) */
	"CREATE TABLE charity_uses ("
	"  id INTEGER PRIMARY KEY,"
	"  appeal_id INTEGER NOT NULL REFERENCES charity_appeals(id),"
	"  region_code TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind IN ('money','goods')),"
	"  used_on TEXT NOT NULL,"
	"  amount_fen INTEGER NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),"
	"  recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('institution','township',"
	"    'project')),"
	"  recipient_name TEXT NOT NULL,"
	"  purpose TEXT NOT NULL,"
	"  evidence TEXT NOT NULL DEFAULT '',"
	"  item_id INTEGER,"
	"  quantity INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),"
	"  value_fen INTEGER NOT NULL DEFAULT 0 CHECK (value_fen >= 0),"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX charity_uses_by_appeal ON charity_uses(appeal_id, used_on);"
	"CREATE INDEX charity_uses_by_region ON charity_uses(region_code, used_on);";
