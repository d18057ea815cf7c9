/* goods_schema.c — the tables the goods module owns (migration 24): items, warehouses and the
 * movements that make up the stock.
 *
 * Stock is not a table: it is the sum of a (warehouse, item)'s signed movements up to a date
 * (goods_movements_stock is the index that sum reads). Every movement row carries its
 * warehouse's region_code, so scoped lists are a range on region_code. Links to other modules'
 * records (households, persons, institutions, relief grants, ledger visits, street patrols,
 * charity donations) are plain ids checked through those modules' functions — no foreign keys
 * across modules. Dates are "YYYY-MM-DD", moments "YYYY-MM-DDTHH:MM:SS+08:00". */
#include "goods/goods.h"

const char goods_schema_v1[] =
	/* stat: the statistics line (report goods.*) the item's distributions count in */
	"CREATE TABLE goods_items ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"
	"  name TEXT NOT NULL,"
	"  unit TEXT NOT NULL,"
	"  stat TEXT NOT NULL DEFAULT 'other' CHECK (stat IN ('masks','protective_suits',"
	"    'disinfectant_kg','alcohol_kg','other')),"
	"  created_at TEXT NOT NULL DEFAULT ''"
	");"
	"INSERT INTO goods_items(code, name, unit, stat) VALUES"
	" ('masks', '口罩', '个', 'masks'),"
	" ('protective_suits', '防护服', '套', 'protective_suits'),"
	" ('disinfectant', '消毒液', '千克', 'disinfectant_kg'),"
	" ('alcohol', '酒精', '千克', 'alcohol_kg'),"
	" ('eggs', '鸡蛋', '千克', 'other'),"
	" ('rice', '大米', '袋', 'other'),"
	" ('flour', '面粉', '袋', 'other'),"
	" ('oil', '食用油', '桶', 'other'),"
	" ('vegetables', '蔬菜', '千克', 'other'),"
	" ('warm_clothing', '御寒衣物', '件', 'other'),"
	" ('other', '其他物资', '件', 'other');"
	/* level: city (region level 2), county (3), township (4). low_stock: the warning threshold
	 * (units of any item held there), 0 = none */
	"CREATE TABLE goods_warehouses ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  region_code TEXT NOT NULL,"
	"  level TEXT NOT NULL CHECK (level IN ('city','county','township')),"
	"  address TEXT NOT NULL DEFAULT '',"
	"  low_stock INTEGER NOT NULL DEFAULT 0 CHECK (low_stock >= 0),"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL"
	");"
	"CREATE INDEX goods_warehouses_by_region ON goods_warehouses(region_code);"
	/* One signed movement. kind: receive (source purchase|donation|allocation), transfer_out /
	 * transfer_in (a pair: transfer_of = the out row's id on both, counterpart_id = the other
	 * warehouse), distribute (recipient_kind household|person|institution|outreach), adjust
	 * (stocktake, reason). quantity: + into the warehouse, − out of it. */
	"CREATE TABLE goods_movements ("
	"  id INTEGER PRIMARY KEY,"
	"  warehouse_id INTEGER NOT NULL REFERENCES goods_warehouses(id),"
	"  region_code TEXT NOT NULL,"
	"  item_id INTEGER NOT NULL REFERENCES goods_items(id),"
	"  kind TEXT NOT NULL CHECK (kind IN ('receive','transfer_out','transfer_in','distribute',"
	"    'adjust')),"
	"  moved_on TEXT NOT NULL,"
	"  quantity INTEGER NOT NULL CHECK (quantity <> 0),"
	"  value_fen INTEGER NOT NULL DEFAULT 0 CHECK (value_fen >= 0),"
	"  source TEXT NOT NULL DEFAULT '',"
	"  party TEXT NOT NULL DEFAULT '',"
	"  counterpart_id INTEGER,"
	"  transfer_of INTEGER,"
	"  recipient_kind TEXT NOT NULL DEFAULT '',"
	"  recipient_id INTEGER,"
	"  recipient_name TEXT NOT NULL DEFAULT '',"
	"  relief_grant_id INTEGER,"
	"  ledger_visit_id INTEGER,"
	"  patrol_id INTEGER,"
	"  donation_id INTEGER,"
	"  reason TEXT NOT NULL DEFAULT '',"
	"  note TEXT NOT NULL DEFAULT '',"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX goods_movements_stock ON goods_movements(warehouse_id, item_id, moved_on);"
	"CREATE INDEX goods_movements_by_region ON goods_movements(region_code, moved_on);"
	"CREATE INDEX goods_movements_by_kind ON goods_movements(kind, moved_on);"
	"CREATE INDEX goods_movements_by_donation ON goods_movements(donation_id)"
	"  WHERE donation_id IS NOT NULL;";
