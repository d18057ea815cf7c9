/* goods_api.c — the goods module's HTTP routes (docs/goods.md, docs/api.md "Goods"):
 *
 *   GET   /api/v1/goods/items                     items (with unit and statistics line)
 *   POST  /api/v1/goods/items                     a new item
 *   GET   /api/v1/goods/warehouses                warehouses in scope with low-stock counts
 *   POST  /api/v1/goods/warehouses                a new warehouse
 *   GET   /api/v1/goods/warehouses/{id}[?date=]   one warehouse with its stock at a date
 *   PATCH /api/v1/goods/warehouses/{id}           rename, address, low-stock threshold
 *   GET   /api/v1/goods/stock                     stock at a date (?warehouse_id, date, low=1)
 *   GET   /api/v1/goods/movements                 movements (filters, paging; names masked)
 *   POST  /api/v1/goods/movements                 receive, transfer, distribute, adjust
 *   GET   /api/v1/goods/movements/{id}[?unmask=1] one movement
 *
 * Handlers only translate; the domain (goods_store.c) checks permission, scope and rules.
 * Every list exports with ?format=xlsx|csv through export_list. */
#include "goods/goods.h"
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON ----------------------------------------------------------------------------------- */

static json_t *item_json(const struct goods_item *it)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)it->id, "code", it->code,
			 "name", it->name, "unit", it->unit, "stat", it->stat);
}

static json_t *wh_json(const struct goods_warehouse *w)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I}", "id", (json_int_t)w->id,
			 "name", w->name, "region_code", w->region_code, "region_name",
			 w->region_name, "level", w->level, "address", w->address, "low_stock",
			 (json_int_t)w->low_stock, "items_low", (json_int_t)w->items_low,
			 "movements", (json_int_t)w->movements);
}

static json_t *stock_json(const struct goods_stock_row *r)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:I, s:b}", "warehouse_id",
			 (json_int_t)r->warehouse_id, "warehouse_name", r->warehouse_name,
			 "region_code", r->region_code, "item_id", (json_int_t)r->item.id,
			 "item_code", r->item.code, "item_name", r->item.name, "unit",
			 r->item.unit, "quantity", (json_int_t)r->quantity, "low", r->low);
}

static json_t *move_json(const struct goods_movement *m)
{
	json_t *o = json_pack(
	    "{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s}",
	    "id", (json_int_t)m->id, "warehouse_id", (json_int_t)m->warehouse_id, "warehouse_name",
	    m->warehouse_name, "region_code", m->region_code, "item_id", (json_int_t)m->item.id,
	    "item_code", m->item.code, "item_name", m->item.name, "unit", m->item.unit, "kind",
	    m->kind, "moved_on", m->moved_on, "quantity", (json_int_t)m->quantity, "value_fen",
	    (json_int_t)m->value_fen, "source", m->source, "party", m->party, "recipient_kind",
	    m->recipient_kind, "recipient_name", m->recipient_name, "reason", m->reason, "note",
	    m->note, "created_by", m->created_by, "created_at", m->created_at);
	if (!o)
		return NULL;
	json_object_set_new(o, "counterpart_id", api_json_opt_id(m->counterpart_id));
	json_object_set_new(o, "transfer_of", api_json_opt_id(m->transfer_of));
	json_object_set_new(o, "recipient_id", api_json_opt_id(m->recipient_id));
	json_object_set_new(o, "relief_grant_id", api_json_opt_id(m->relief_grant_id));
	json_object_set_new(o, "ledger_visit_id", api_json_opt_id(m->ledger_visit_id));
	json_object_set_new(o, "patrol_id", api_json_opt_id(m->patrol_id));
	json_object_set_new(o, "donation_id", api_json_opt_id(m->donation_id));
	return o;
}

/* ---- items ---------------------------------------------------------------------------------- */

static const struct export_col items_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"代码", EXPORT_TEXT, 16, "code", NULL},
	{"名称", EXPORT_TEXT, 16, "name", NULL},
	{"单位", EXPORT_TEXT, 8, "unit", NULL},
	{"统计口径", EXPORT_TEXT, 12, "stat",
	 "masks=口罩;protective_suits=防护服;disinfectant_kg=消毒液;alcohol_kg=酒精;other=其他物资"},
};

static int items_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec items_export = {"goods_items", "物资品类", NULL, 0,
						     EXPORT_COLS(items_cols)};

static int items_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, items_list, &items_export, e);
	struct goods_item_list l;
	if (goods_item_list(rq->db, rq->actor, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, item_json(&l.items[i]));
	int n = l.n;
	free(l.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int item_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct goods_item in;
	memset(&in, 0, sizeof in);
	int64_t id = 0;
	int rc = -1;
	if (api_json_str(body, "code", in.code, sizeof in.code, e) >= 0 &&
	    api_json_str(body, "name", in.name, sizeof in.name, e) >= 0 &&
	    api_json_str(body, "unit", in.unit, sizeof in.unit, e) >= 0 &&
	    api_json_str(body, "stat", in.stat, sizeof in.stat, e) >= 0 &&
	    goods_item_create(rq->db, rq->actor, &in, &id, e) == 0 &&
	    goods_item_get(rq->db, id, &in, e) == 0)
		rc = api_reply(rs, 201, item_json(&in), e);
	json_decref(body);
	return rc;
}

/* ---- warehouses ----------------------------------------------------------------------------- */

static const struct export_col wh_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"仓库", EXPORT_TEXT, 24, "name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"层级", EXPORT_TEXT, 8, "level", "city=市级;county=县级;township=镇街"},
	{"地址", EXPORT_TEXT, 24, "address", NULL},
	{"库存预警线", EXPORT_INT, 10, "low_stock", NULL},
	{"低于预警的品类", EXPORT_INT, 12, "items_low", NULL},
	{"出入库笔数", EXPORT_INT, 10, "movements", NULL},
};

static int wh_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec wh_export = {"goods_warehouses", "物资仓库", NULL, 0,
						  EXPORT_COLS(wh_cols)};

static int wh_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, wh_list, &wh_export, e);
	char region[16] = "";
	if (api_query_str(rq, "region", region, sizeof region, e) < 0)
		return -1;
	struct goods_warehouse_list l;
	if (goods_warehouse_list(rq->db, rq->actor, region, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, wh_json(&l.items[i]));
	int n = l.n;
	free(l.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int wh_from_json(const json_t *body, struct goods_warehouse *in, struct err *e)
{
	if (api_json_str(body, "name", in->name, sizeof in->name, e) < 0 ||
	    api_json_str(body, "region_code", in->region_code, sizeof in->region_code, e) < 0 ||
	    api_json_str(body, "address", in->address, sizeof in->address, e) < 0 ||
	    api_json_int(body, "low_stock", 0, 100000000, &in->low_stock, e) < 0)
		return -1;
	return 0;
}

static int wh_reply(struct api_req *rq, struct api_res *rs, int64_t id, int status,
		    struct err *e)
{
	struct goods_warehouse w;
	struct goods_stock_list l;
	char date[11] = "";
	if (api_query_str(rq, "date", date, sizeof date, e) < 0 ||
	    goods_warehouse_get(rq->db, rq->actor, id, &w, e) < 0 ||
	    goods_stock_list(rq->db, rq->actor, id, date, 0, &l, e) < 0)
		return -1;
	json_t *o = wh_json(&w), *stock = json_array();
	for (int i = 0; stock && i < l.n; i++)
		json_array_append_new(stock, stock_json(&l.items[i]));
	free(l.items);
	if (!o || !stock) {
		json_decref(o);
		json_decref(stock);
		return err_oom(e);
	}
	json_object_set_new(o, "stock", stock);
	json_object_set_new(o, "stock_date", api_json_opt_str(date));
	return api_reply(rs, status, o, e);
}

static int wh_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct goods_warehouse in;
	memset(&in, 0, sizeof in);
	int64_t id = 0;
	int rc = -1;
	if (wh_from_json(body, &in, e) == 0 &&
	    goods_warehouse_create(rq->db, rq->actor, &in, &id, e) == 0)
		rc = wh_reply(rq, rs, id, 201, e);
	json_decref(body);
	return rc;
}

static int wh_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return wh_reply(rq, rs, id, 200, e);
}

static int wh_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	struct goods_warehouse cur;
	if (goods_warehouse_get(rq->db, rq->actor, id, &cur, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (wh_from_json(body, &cur, e) == 0 &&
	    goods_warehouse_update(rq->db, rq->actor, id, &cur, e) == 0)
		rc = wh_reply(rq, rs, id, 200, e);
	json_decref(body);
	return rc;
}

/* ---- stock ---------------------------------------------------------------------------------- */

static const struct export_col stock_cols[] = {
	{"仓库", EXPORT_TEXT, 24, "warehouse_name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"物资", EXPORT_TEXT, 14, "item_name", NULL},
	{"单位", EXPORT_TEXT, 8, "unit", NULL},
	{"库存", EXPORT_INT, 10, "quantity", NULL},
	{"低于预警", EXPORT_BOOL, 8, "low", NULL},
};

static int stock_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec stock_export = {"goods_stock", "物资库存", NULL, 0,
						     EXPORT_COLS(stock_cols)};

static int stock_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, stock_list, &stock_export, e);
	long wh;
	char date[16] = "";
	if (api_query_int(rq, "warehouse_id", 0, 0, 1L << 40, &wh, e) < 0 ||
	    api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	if (date[0] && strlen(date) != 10)
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD");
	struct goods_stock_list l;
	if (goods_stock_list(rq->db, rq->actor, wh, date, api_query_flag(rq, "low"), &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, stock_json(&l.items[i]));
	int n = l.n;
	free(l.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

/* ---- movements ------------------------------------------------------------------------------ */

static const struct export_col move_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "moved_on", NULL},
	{"仓库", EXPORT_TEXT, 22, "warehouse_name", NULL},
	{"类型", EXPORT_TEXT, 10, "kind",
	 "receive=入库;transfer_out=调出;transfer_in=调入;distribute=发放;adjust=盘点调整"},
	{"来源", EXPORT_TEXT, 10, "source", "purchase=采购;donation=捐赠;allocation=上级调拨"},
	{"物资", EXPORT_TEXT, 12, "item_name", NULL},
	{"单位", EXPORT_TEXT, 6, "unit", NULL},
	{"数量", EXPORT_INT, 10, "quantity", NULL},
	{"折价", EXPORT_MONEY, 12, "value_fen", NULL},
	{"交付单位", EXPORT_TEXT, 16, "party", NULL},
	{"发放对象", EXPORT_TEXT, 10, "recipient_kind",
	 "household=家庭;person=个人;institution=机构;outreach=街面巡查"},
	{"领取人", EXPORT_TEXT, 16, "recipient_name", NULL},
	{"原因", EXPORT_TEXT, 20, "reason", NULL},
	{"备注", EXPORT_TEXT, 20, "note", NULL},
	{"经办人", EXPORT_TEXT, 12, "created_by", NULL},
};

static int moves_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec moves_export = {"goods_movements", "物资出入库", NULL,
						     GOODS_PAGE_MAX, EXPORT_COLS(move_cols)};

static int moves_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, moves_list, &moves_export, e);
	struct goods_move_query q;
	memset(&q, 0, sizeof q);
	long wh, item, don, limit, offset;
	if (api_query_int(rq, "warehouse_id", 0, 0, 1L << 40, &wh, e) < 0 ||
	    api_query_int(rq, "item_id", 0, 0, 1L << 40, &item, e) < 0 ||
	    api_query_int(rq, "donation_id", 0, 0, 1L << 40, &don, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, GOODS_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0 ||
	    api_query_str(rq, "kind", q.kind, sizeof q.kind, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0)
		return -1;
	q.warehouse_id = wh;
	q.item_id = item;
	q.donation_id = don;
	q.limit = (int)limit;
	q.offset = offset;
	struct goods_move_page pg;
	int unmask = api_query_flag(rq, "unmask");
	if (goods_move_list(rq->db, rq->actor, &q, unmask, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, move_json(&pg.items[i]));
	free(pg.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
			 json_pack("{s:o, s:I, s:i, s:I, s:b}", "items", items, "total",
				   (json_int_t)pg.total, "limit", (int)limit, "offset",
				   (json_int_t)offset, "unmasked", unmask),
			 e);
}

static int move_reply(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		      struct err *e)
{
	struct goods_movement *m = malloc(sizeof *m);
	if (!m)
		return err_oom(e);
	int rc = -1;
	if (goods_move_get(rq->db, rq->actor, id, unmask, m, e) == 0)
		rc = api_reply(rs, status, move_json(m), e);
	free(m);
	return rc;
}

static int move_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct goods_move_in *in = calloc(1, sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!in) {
		err_oom(e);
		goto out;
	}
	if (api_json_str(body, "kind", in->kind, sizeof in->kind, e) < 0 ||
	    api_json_id(body, "warehouse_id", &in->warehouse_id, e) < 0 ||
	    api_json_id(body, "item_id", &in->item_id, e) < 0 ||
	    api_json_int(body, "quantity", -100000000, 100000000, &in->quantity, e) < 0 ||
	    api_json_str(body, "date", in->date, sizeof in->date, e) < 0 ||
	    api_json_str(body, "source", in->source, sizeof in->source, e) < 0 ||
	    api_json_str(body, "party", in->party, sizeof in->party, e) < 0 ||
	    api_json_int(body, "value_fen", 0, INT64_C(1000000000000), &in->value_fen, e) < 0 ||
	    api_json_id(body, "to_warehouse_id", &in->to_warehouse_id, e) < 0 ||
	    api_json_str(body, "recipient_kind", in->recipient_kind, sizeof in->recipient_kind,
			 e) < 0 ||
	    api_json_id(body, "recipient_id", &in->recipient_id, e) < 0 ||
	    api_json_id(body, "relief_grant_id", &in->relief_grant_id, e) < 0 ||
	    api_json_id(body, "ledger_visit_id", &in->ledger_visit_id, e) < 0 ||
	    api_json_id(body, "patrol_id", &in->patrol_id, e) < 0 ||
	    api_json_str(body, "reason", in->reason, sizeof in->reason, e) < 0 ||
	    api_json_str(body, "note", in->note, sizeof in->note, e) < 0)
		goto out;
	if (json_object_get(body, "donation_id")) {
		err_set(e, 400, "invalid_value", "donation_id",
			"捐赠物资请在慈善募捐中登记捐赠，由捐赠记录入库");
		goto out;
	}
	if (strcmp(in->kind, "distribute") == 0 && strcmp(in->recipient_kind, "outreach") == 0 &&
	    api_json_str(body, "recipient_name", in->recipient_name, sizeof in->recipient_name,
			 e) < 0)
		goto out;
	if (goods_move(rq->db, rq->actor, in, &id, e) == 0)
		rc = move_reply(rq, rs, id, 0, 201, e);
out:
	free(in);
	json_decref(body);
	return rc;
}

static int move_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return move_reply(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

const struct api_route goods_routes[] = {
    {"GET", "/api/v1/goods/items", items_list, PERM_GOODS, 0},
    {"POST", "/api/v1/goods/items", item_post, PERM_GOODS, 0},
    {"GET", "/api/v1/goods/warehouses", wh_list, PERM_GOODS, 0},
    {"POST", "/api/v1/goods/warehouses", wh_post, PERM_GOODS, 0},
    {"GET", "/api/v1/goods/warehouses/{id}", wh_get, PERM_LOGIN, 0},
    {"PATCH", "/api/v1/goods/warehouses/{id}", wh_patch, PERM_LOGIN, 0},
    {"GET", "/api/v1/goods/stock", stock_list, PERM_GOODS, 0},
    {"GET", "/api/v1/goods/movements", moves_list, PERM_GOODS, 0},
    {"POST", "/api/v1/goods/movements", move_post, PERM_GOODS, 0},
    {"GET", "/api/v1/goods/movements/{id}", move_get, PERM_LOGIN, 0},
    {0},
};
