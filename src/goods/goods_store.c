/* goods_store.c — the goods module's SQL (goods.h): items, warehouses, stock as sums of
 * movements, and the movements themselves with the never-negative check inside the write
 * transaction that inserts them.
 *
 * Every read of warehouses and movements goes through prep_scoped(), which appends scope_sql()
 * on the warehouse's region code. Links to other modules are checked (before the write
 * transaction opens) through their read functions in goods_links.c. */
#include "goods/goods_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"

static int forbidden(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您没有物资管理的权限");
}

static int not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在或不在您的管辖范围内", what);
}

static int may_read(const struct actor *a)
{
	return actor_can(a, PERM_GOODS) || actor_can(a, PERM_CHARITY);
}

/* ---- items ---------------------------------------------------------------------------------- */

static void item_from_row(struct db_stmt *st, int c, struct goods_item *it)
{
	it->id = db_col_int(st, c);
	text_copy(it->code, sizeof it->code, db_col_text(st, c + 1));
	text_copy(it->name, sizeof it->name, db_col_text(st, c + 2));
	text_copy(it->unit, sizeof it->unit, db_col_text(st, c + 3));
	text_copy(it->stat, sizeof it->stat, db_col_text(st, c + 4));
}

int goods_item_list(struct db *db, const struct actor *a, struct goods_item_list *out,
		    struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!may_read(a))
		return forbidden(e);
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, code, name, unit, stat FROM goods_items ORDER BY id", e);
	if (!st)
		return -1;
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		item_from_row(st, 0, &out->items[out->n++]);
	}
	db_done(st);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int goods_item_get(struct db *db, int64_t id, struct goods_item *out, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT id, code, name, unit, stat FROM goods_items WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1)
		item_from_row(st, 0, out);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : err_set(e, 404, "not_found", "item_id", "物资品类不存在");
}

static int valid_code(const char *c)
{
	size_t n = strlen(c);
	if (n < 2 || n > 30)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((c[i] >= 'a' && c[i] <= 'z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '_'))
			return 0;
	return 1;
}

int goods_item_create(struct db *db, const struct actor *a, const struct goods_item *in,
		      int64_t *out_id, struct err *e)
{
	if (!actor_can(a, PERM_GOODS))
		return forbidden(e);
	const char *stat = in->stat[0] ? in->stat : "other";
	if (!in->code[0])
		return err_set(e, 400, "required", "code", "请填写物资代码");
	if (!valid_code(in->code))
		return err_set(e, 400, "invalid_value", "code",
			       "物资代码应为 2–30 个小写字母、数字或下划线");
	if (text_check(in->name, 40, 1, 0, "name", "物资名称", e) < 0 ||
	    text_check(in->unit, 8, 1, 0, "unit", "计量单位", e) < 0)
		return -1;
	static const char *const stats[] = {"masks", "protective_suits", "disinfectant_kg",
					    "alcohol_kg", "other"};
	int ok = 0;
	for (size_t i = 0; i < sizeof stats / sizeof stats[0]; i++)
		ok |= strcmp(stat, stats[i]) == 0;
	if (!ok)
		return err_set(e, 400, "invalid_value", "stat",
			       "统计口径应为 masks、protective_suits、disinfectant_kg、alcohol_kg 或 other");
	char now[32], detail[128];
	clock_now_iso(now);
	if (db_begin_write(db, e) < 0)
		return -1;
	int rc = -1;
	if (db_query_int(db, "SELECT count(*) FROM goods_items WHERE code = ?", in->code) > 0) {
		err_set(e, 409, "duplicate_code", "code", "已有代码为 %s 的物资", in->code);
		goto out;
	}
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO goods_items(code, name, unit, stat, created_at) VALUES (?,?,?,?,?)", e);
	if (!st)
		goto out;
	db_bind_text(st, 1, in->code);
	db_bind_text(st, 2, in->name);
	db_bind_text(st, 3, in->unit);
	db_bind_text(st, 4, stat);
	db_bind_text(st, 5, now);
	if (db_run(st, e) < 0)
		goto out;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail, "{\"code\":\"%s\",\"stat\":\"%s\"}", in->code, stat);
	rc = audit_append_id(db, a, "goods.item", "goods_item", *out_id, detail, e);
out:
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

/* ---- warehouses ----------------------------------------------------------------------------- */

#define WH_COLS                                                                                    \
	"w.id, w.name, w.region_code, coalesce(g.name, ''), w.level, w.address, w.low_stock, "     \
	"(SELECT count(*) FROM (SELECT sum(m.quantity) q FROM goods_movements m "                 \
	"  WHERE m.warehouse_id = w.id GROUP BY m.item_id) WHERE w.low_stock > 0 AND "            \
	"  q < w.low_stock), "                                                                     \
	"(SELECT count(*) FROM goods_movements m WHERE m.warehouse_id = w.id)"

static void wh_from_row(struct db_stmt *st, struct goods_warehouse *w)
{
	memset(w, 0, sizeof *w);
	w->id = db_col_int(st, 0);
	text_copy(w->name, sizeof w->name, db_col_text(st, 1));
	text_copy(w->region_code, sizeof w->region_code, db_col_text(st, 2));
	text_copy(w->region_name, sizeof w->region_name, db_col_text(st, 3));
	text_copy(w->level, sizeof w->level, db_col_text(st, 4));
	text_copy(w->address, sizeof w->address, db_col_text(st, 5));
	w->low_stock = db_col_int(st, 6);
	w->items_low = db_col_int(st, 7);
	w->movements = db_col_int(st, 8);
}

int goods_warehouse_list(struct db *db, const struct actor *a, const char *region,
			 struct goods_warehouse_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!may_read(a))
		return forbidden(e);
	int f = scope_region_filter(&a->scope, region, e);
	if (f < 0)
		return -1;
	if (f == 1)
		return not_found(e, "该区划");
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " WH_COLS " FROM goods_warehouses w LEFT JOIN regions g ON g.code = "
	    "w.region_code WHERE w.region_code >= ? AND w.region_code < ? || 'z' AND ",
	    "w.region_code", " ORDER BY w.region_code, w.name", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, region ? region : "");
	db_bind_text(st, 2, region ? region : "");
	scope_bind(st, &a->scope, 3);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		wh_from_row(st, &out->items[out->n++]);
	}
	db_done(st);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int goods_warehouse_get(struct db *db, const struct actor *a, int64_t id,
			struct goods_warehouse *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!may_read(a))
		return not_found(e, "该仓库");
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " WH_COLS " FROM goods_warehouses w LEFT JOIN regions g ON g.code = "
	    "w.region_code WHERE w.id = ? AND ",
	    "w.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		wh_from_row(st, out);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : not_found(e, "该仓库");
}

static int wh_check(const struct goods_warehouse *in, struct err *e)
{
	if (text_check(in->name, 40, 1, 0, "name", "仓库名称", e) < 0 ||
	    text_check(in->address, 80, 0, 0, "address", "地址", e) < 0)
		return -1;
	if (in->low_stock < 0 || in->low_stock > 100000000)
		return err_set(e, 400, "invalid_value", "low_stock", "库存预警线应为非负整数");
	return 0;
}

int goods_warehouse_create(struct db *db, const struct actor *a, const struct goods_warehouse *in,
			   int64_t *out_id, struct err *e)
{
	if (!actor_can(a, PERM_GOODS))
		return forbidden(e);
	if (wh_check(in, e) < 0)
		return -1;
	if (!in->region_code[0])
		return err_set(e, 400, "required", "region_code", "请选择仓库所在的区划");
	int64_t level = db_query_int(db, "SELECT level FROM regions WHERE code = ?", in->region_code);
	const char *lv = goods_rules_level((int)level);
	if (!lv)
		return err_set(e, 400, "invalid_region", "region_code",
			       "区划代码 %.15s 不是已知的市、县（市、区）或镇（街道）", in->region_code);
	if (!scope_contains(&a->scope, in->region_code))
		return err_set(e, 403, "out_of_scope", "region_code", "%.15s 不在您的管辖范围内",
			       in->region_code);
	char now[32], detail[96];
	clock_now_iso(now);
	int began = db_in_transaction(db) ? 0 : 1;
	if (began && db_begin_write(db, e) < 0)
		return -1;
	int rc = -1;
	if (db_query_int(db, "SELECT count(*) FROM goods_warehouses WHERE name = ?", in->name) > 0) {
		err_set(e, 409, "duplicate_name", "name", "已有同名的仓库：%s", in->name);
		goto out;
	}
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO goods_warehouses(name, region_code, level, address, low_stock, created_by, "
	    "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		goto out;
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->region_code);
	db_bind_text(st, 3, lv);
	db_bind_text(st, 4, in->address);
	db_bind_int(st, 5, in->low_stock);
	db_bind_text(st, 6, a->username);
	db_bind_text(st, 7, now);
	db_bind_text(st, 8, now);
	if (db_run(st, e) < 0)
		goto out;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail, "{\"region_code\":\"%s\",\"low_stock\":%lld}",
		 in->region_code, (long long)in->low_stock);
	rc = audit_append_id(db, a, "goods.warehouse", "goods_warehouse", *out_id, detail, e);
out:
	if (!began)
		return rc;
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int goods_warehouse_update(struct db *db, const struct actor *a, int64_t id,
			   const struct goods_warehouse *in, struct err *e)
{
	struct goods_warehouse cur;
	if (!actor_can(a, PERM_GOODS))
		return not_found(e, "该仓库");
	if (goods_warehouse_get(db, a, id, &cur, e) < 0 || wh_check(in, e) < 0)
		return -1;
	char now[32], detail[96];
	clock_now_iso(now);
	if (db_begin_write(db, e) < 0)
		return -1;
	int rc = -1;
	if (db_query_int(db, "SELECT count(*) FROM goods_warehouses WHERE name = ?", in->name) >
		0 &&
	    strcmp(in->name, cur.name) != 0) {
		err_set(e, 409, "duplicate_name", "name", "已有同名的仓库：%s", in->name);
		goto out;
	}
	struct db_stmt *st = db_prepare(db,
					"UPDATE goods_warehouses SET name = ?, address = ?, "
					"low_stock = ?, updated_at = ? WHERE id = ?",
					e);
	if (!st)
		goto out;
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->address);
	db_bind_int(st, 3, in->low_stock);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, id);
	if (db_run(st, e) < 0)
		goto out;
	snprintf(detail, sizeof detail, "{\"low_stock\":%lld}", (long long)in->low_stock);
	rc = audit_append_id(db, a, "goods.warehouse", "goods_warehouse", id, detail, e);
out:
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

/* ---- stock ---------------------------------------------------------------------------------- */

int goods_stock_at(struct db *db, int64_t warehouse_id, int64_t item_id, const char *date,
		   int64_t *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT coalesce(sum(quantity), 0) FROM goods_movements "
					"WHERE warehouse_id = ? AND item_id = ? AND "
					"(? = '' OR moved_on <= ?)",
					e);
	if (!st)
		return -1;
	const char *d = date ? date : "";
	db_bind_int(st, 1, warehouse_id);
	db_bind_int(st, 2, item_id);
	db_bind_text(st, 3, d);
	db_bind_text(st, 4, d);
	int rc = db_step(st, e);
	*out = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int goods_stock_list(struct db *db, const struct actor *a, int64_t warehouse_id, const char *date,
		     int low_only, struct goods_stock_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!may_read(a))
		return forbidden(e);
	char today[11];
	clock_today(today);
	const char *d = date && *date ? date : today;
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT w.id, w.name, w.region_code, i.id, i.code, i.name, i.unit, i.stat, "
	    "sum(m.quantity), w.low_stock FROM goods_movements m "
	    "JOIN goods_warehouses w ON w.id = m.warehouse_id "
	    "JOIN goods_items i ON i.id = m.item_id "
	    "WHERE m.moved_on <= ? AND (? = 0 OR w.id = ?) AND ",
	    "w.region_code",
	    " GROUP BY w.id, i.id HAVING ? = 0 OR (w.low_stock > 0 AND sum(m.quantity) < "
	    "w.low_stock) ORDER BY w.region_code, w.name, i.id",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, d);
	db_bind_int(st, 2, warehouse_id);
	db_bind_int(st, 3, warehouse_id);
	int next = scope_bind(st, &a->scope, 4);
	db_bind_int(st, next, low_only ? 1 : 0);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 32) < 0) {
			rc = err_oom(e);
			break;
		}
		struct goods_stock_row *r = &out->items[out->n++];
		memset(r, 0, sizeof *r);
		r->warehouse_id = db_col_int(st, 0);
		text_copy(r->warehouse_name, sizeof r->warehouse_name, db_col_text(st, 1));
		text_copy(r->region_code, sizeof r->region_code, db_col_text(st, 2));
		item_from_row(st, 3, &r->item);
		r->quantity = db_col_int(st, 8);
		int64_t low = db_col_int(st, 9);
		r->low = low > 0 && r->quantity < low;
	}
	db_done(st);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

/* What may leave (warehouse, item) on `date`: the smallest stock from that day on
 * (goods_rules_available). Inside the write transaction. */
static int available_on(struct db *db, int64_t wh, int64_t item, const char *date, int64_t *out,
			struct err *e)
{
	int64_t base;
	if (goods_stock_at(db, wh, item, date, &base, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db,
					"SELECT sum(quantity) FROM goods_movements WHERE "
					"warehouse_id = ? AND item_id = ? AND moved_on > ? "
					"GROUP BY moved_on ORDER BY moved_on",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, wh);
	db_bind_int(st, 2, item);
	db_bind_text(st, 3, date);
	int64_t *later = NULL;
	int n = 0, alloc = 0, rc;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&later, n, &alloc, sizeof *later, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		later[n++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc == 0)
		*out = goods_rules_available(base, later, n);
	free(later);
	return rc < 0 ? -1 : 0;
}

/* ---- movements ------------------------------------------------------------------------------ */

static int insert_move(struct db *db, const struct actor *a, const struct goods_move_in *in,
		       const char *kind, const char *region, int64_t wh, int64_t qty,
		       int64_t counterpart, int64_t transfer_of, const char *now, int64_t *out_id,
		       struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO goods_movements(warehouse_id, region_code, item_id, kind, moved_on, "
	    "quantity, value_fen, source, party, counterpart_id, transfer_of, recipient_kind, "
	    "recipient_id, recipient_name, relief_grant_id, ledger_visit_id, patrol_id, donation_id, "
	    "reason, note, created_by, created_at) VALUES "
	    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
#define OPT_ID(i, v)                                                                               \
	do {                                                                                       \
		if ((v) > 0)                                                                       \
			db_bind_int(st, i, v);                                                     \
		else                                                                               \
			db_bind_null(st, i);                                                       \
	} while (0)
	db_bind_int(st, 1, wh);
	db_bind_text(st, 2, region);
	db_bind_int(st, 3, in->item_id);
	db_bind_text(st, 4, kind);
	db_bind_text(st, 5, in->date);
	db_bind_int(st, 6, qty);
	db_bind_int(st, 7, in->value_fen);
	db_bind_text(st, 8, in->source);
	db_bind_text(st, 9, in->party);
	OPT_ID(10, counterpart);
	OPT_ID(11, transfer_of);
	db_bind_text(st, 12, in->recipient_kind);
	OPT_ID(13, in->recipient_id);
	db_bind_text(st, 14, in->recipient_name);
	OPT_ID(15, in->relief_grant_id);
	OPT_ID(16, in->ledger_visit_id);
	OPT_ID(17, in->patrol_id);
	OPT_ID(18, in->donation_id);
	db_bind_text(st, 19, in->reason);
	db_bind_text(st, 20, in->note);
	db_bind_text(st, 21, a->username);
	db_bind_text(st, 22, now);
#undef OPT_ID
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	return 0;
}

/* The write itself, inside an open write transaction: warehouses in scope, the stock check,
 * the row(s) and the audit row. in->date is filled. */
static int move_txn(struct db *db, const struct actor *a, const struct goods_move_in *in,
		    int64_t *out_id, struct err *e)
{
	struct goods_warehouse from, to;
	struct goods_item item;
	char now[32], detail[256];
	clock_now_iso(now);
	if (goods_warehouse_get(db, a, in->warehouse_id, &from, e) < 0) {
		e->field[0] = '\0';
		text_copy(e->field, sizeof e->field, "warehouse_id");
		return -1;
	}
	if (goods_item_get(db, in->item_id, &item, e) < 0)
		return -1;
	if (strcmp(in->kind, "transfer") == 0 &&
	    goods_warehouse_get(db, a, in->to_warehouse_id, &to, e) < 0) {
		text_copy(e->field, sizeof e->field, "to_warehouse_id");
		return -1;
	}
	int64_t delta = in->quantity;
	const char *kind = in->kind;
	if (strcmp(in->kind, "transfer") == 0) {
		delta = -in->quantity;
		kind = "transfer_out";
	} else if (strcmp(in->kind, "distribute") == 0) {
		delta = -in->quantity;
	}
	if (delta < 0) {
		int64_t avail = 0;
		if (available_on(db, from.id, item.id, in->date, &avail, e) < 0)
			return -1;
		if (avail + delta < 0)
			return err_set(e, 409, "insufficient_stock", "quantity",
				       "库存不足：%s 的%s在 %s 及以后可用 %lld %s，不能出库 %lld %s",
				       from.name, item.name, in->date, (long long)(avail < 0 ? 0 : avail),
				       item.unit, (long long)-delta, item.unit);
	}
	if (insert_move(db, a, in, kind, from.region_code, from.id, delta,
			strcmp(kind, "transfer_out") == 0 ? to.id : 0, 0, now, out_id, e) < 0)
		return -1;
	if (strcmp(kind, "transfer_out") == 0) {
		int64_t in_id;
		if (insert_move(db, a, in, "transfer_in", to.region_code, to.id, in->quantity, from.id,
				*out_id, now, &in_id, e) < 0)
			return -1;
		struct db_stmt *st =
		    db_prepare(db, "UPDATE goods_movements SET transfer_of = ? WHERE id = ?", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, *out_id);
		db_bind_int(st, 2, *out_id);
		if (db_run(st, e) < 0)
			return -1;
	}
	snprintf(detail, sizeof detail,
		 "{\"kind\":\"%s\",\"warehouse_id\":%lld,\"item\":\"%s\",\"quantity\":%lld,"
		 "\"date\":\"%s\"}",
		 kind, (long long)from.id, item.code, (long long)delta, in->date);
	return audit_append_id(db, a, "goods.move", "goods_movement", *out_id, detail, e);
}

static int prepare_in(const struct goods_move_in *in, struct goods_move_in *w, struct err *e)
{
	char today[11];
	*w = *in;
	if (goods_rules_check(in, e) < 0)
		return -1;
	clock_today(today);
	if (!w->date[0])
		text_copy(w->date, sizeof w->date, today);
	if (strcmp(w->date, today) > 0)
		return err_set(e, 400, "invalid_value", "date", "日期不能晚于今天（%s）", today);
	return 0;
}

int goods_move(struct db *db, const struct actor *a, const struct goods_move_in *in,
	       int64_t *out_id, struct err *e)
{
	if (!actor_can(a, PERM_GOODS))
		return forbidden(e);
	struct goods_move_in *w = malloc(sizeof *w);
	if (!w)
		return err_oom(e);
	int rc = -1;
	if (prepare_in(in, w, e) < 0)
		goto out;
	if (w->donation_id > 0) {
		err_set(e, 400, "invalid_value", "source", "捐赠物资请在慈善募捐中登记捐赠，由捐赠记录入库");
		goto out;
	}
	/* other modules' records first, outside the write transaction */
	if (goods_links_check(db, a, w, e) < 0)
		goto out;
	if (db_begin_write(db, e) < 0)
		goto out;
	rc = move_txn(db, a, w, out_id, e);
	if (rc < 0)
		db_rollback(db);
	else
		rc = db_commit(db, e);
out:
	free(w);
	return rc;
}

int goods_receive_txn(struct db *db, const struct actor *a, const struct goods_move_in *in,
		      int64_t *out_id, struct err *e)
{
	if (!may_read(a))
		return forbidden(e);
	if (!db_in_transaction(db))
		return err_set(e, 500, "internal", NULL, "入库须在调用方的事务中进行");
	if (strcmp(in->kind, "receive") != 0)
		return err_set(e, 400, "invalid_value", "kind", "只能入库");
	struct goods_move_in *w = malloc(sizeof *w);
	if (!w)
		return err_oom(e);
	int rc = prepare_in(in, w, e) < 0 ? -1 : move_txn(db, a, w, out_id, e);
	free(w);
	return rc;
}

#define MOVE_COLS                                                                                  \
	"m.id, m.warehouse_id, w.name, m.region_code, i.id, i.code, i.name, i.unit, i.stat, "      \
	"m.kind, m.moved_on, m.quantity, m.value_fen, m.source, m.party, "                         \
	"coalesce(m.counterpart_id, 0), coalesce(m.transfer_of, 0), m.recipient_kind, "           \
	"coalesce(m.recipient_id, 0), m.recipient_name, coalesce(m.relief_grant_id, 0), "          \
	"coalesce(m.ledger_visit_id, 0), coalesce(m.patrol_id, 0), coalesce(m.donation_id, 0), "  \
	"m.reason, m.note, m.created_by, m.created_at"

static void move_from_row(struct db_stmt *st, struct goods_movement *m, int unmask)
{
	memset(m, 0, sizeof *m);
	m->id = db_col_int(st, 0);
	m->warehouse_id = db_col_int(st, 1);
	text_copy(m->warehouse_name, sizeof m->warehouse_name, db_col_text(st, 2));
	text_copy(m->region_code, sizeof m->region_code, db_col_text(st, 3));
	item_from_row(st, 4, &m->item);
	text_copy(m->kind, sizeof m->kind, db_col_text(st, 9));
	text_copy(m->moved_on, sizeof m->moved_on, db_col_text(st, 10));
	m->quantity = db_col_int(st, 11);
	m->value_fen = db_col_int(st, 12);
	text_copy(m->source, sizeof m->source, db_col_text(st, 13));
	text_copy(m->party, sizeof m->party, db_col_text(st, 14));
	m->counterpart_id = db_col_int(st, 15);
	m->transfer_of = db_col_int(st, 16);
	text_copy(m->recipient_kind, sizeof m->recipient_kind, db_col_text(st, 17));
	m->recipient_id = db_col_int(st, 18);
	const char *name = db_col_text(st, 19);
	/* institutions are not personal data */
	if (unmask || strcmp(m->recipient_kind, "institution") == 0)
		text_copy(m->recipient_name, sizeof m->recipient_name, name);
	else
		text_mask_name(name, m->recipient_name, sizeof m->recipient_name);
	m->relief_grant_id = db_col_int(st, 20);
	m->ledger_visit_id = db_col_int(st, 21);
	m->patrol_id = db_col_int(st, 22);
	m->donation_id = db_col_int(st, 23);
	text_copy(m->reason, sizeof m->reason, db_col_text(st, 24));
	text_copy(m->note, sizeof m->note, db_col_text(st, 25));
	text_copy(m->created_by, sizeof m->created_by, db_col_text(st, 26));
	text_copy(m->created_at, sizeof m->created_at, db_col_text(st, 27));
}

static int audit_unmask(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", "unmask", "您没有查看完整个人信息的权限");
	if (db_begin_write(db, e) < 0)
		return -1;
	if (audit_append(db, a, "goods.unmask", id ? "goods_movement" : "goods_movements", "ok",
			 NULL, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

#define MOVE_FILTER                                                                                \
	" FROM goods_movements m JOIN goods_warehouses w ON w.id = m.warehouse_id "               \
	"JOIN goods_items i ON i.id = m.item_id WHERE (? = 0 OR m.warehouse_id = ?) AND "         \
	"(? = 0 OR m.item_id = ?) AND (? = '' OR m.kind = ? OR (? = 'transfer' AND m.kind IN "    \
	"('transfer_out','transfer_in'))) AND (? = '' OR m.moved_on >= ?) AND "                    \
	"(? = '' OR m.moved_on <= ?) AND (? = 0 OR m.donation_id = ?) AND "

static int bind_filter(struct db_stmt *st, const struct goods_move_query *q)
{
	db_bind_int(st, 1, q->warehouse_id);
	db_bind_int(st, 2, q->warehouse_id);
	db_bind_int(st, 3, q->item_id);
	db_bind_int(st, 4, q->item_id);
	db_bind_text(st, 5, q->kind);
	db_bind_text(st, 6, q->kind);
	db_bind_text(st, 7, q->kind);
	db_bind_text(st, 8, q->from);
	db_bind_text(st, 9, q->from);
	db_bind_text(st, 10, q->to);
	db_bind_text(st, 11, q->to);
	db_bind_int(st, 12, q->donation_id);
	db_bind_int(st, 13, q->donation_id);
	return 14;
}

int goods_move_list(struct db *db, const struct actor *a, const struct goods_move_query *q,
		    int unmask, struct goods_move_page *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!may_read(a))
		return forbidden(e);
	if (unmask && audit_unmask(db, a, 0, e) < 0)
		return -1;
	struct db_stmt *st = scope_prepare(db, &a->scope, "SELECT count(*)" MOVE_FILTER,
					       "m.region_code", "", e);
	if (!st)
		return -1;
	scope_bind(st, &a->scope, bind_filter(st, q));
	int rc = db_step(st, e);
	out->total = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	st = scope_prepare(db, &a->scope, "SELECT " MOVE_COLS MOVE_FILTER, "m.region_code",
			       " ORDER BY m.moved_on DESC, m.id DESC LIMIT ? OFFSET ?", e);
	if (!st)
		return -1;
	int next = scope_bind(st, &a->scope, bind_filter(st, q));
	db_bind_int(st, next, q->limit > 0 ? q->limit : 50);
	db_bind_int(st, next + 1, q->offset);
	int alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		move_from_row(st, &out->items[out->n++], unmask);
	}
	db_done(st);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int goods_move_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		   struct goods_movement *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!may_read(a))
		return not_found(e, "该出入库记录");
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " MOVE_COLS " FROM goods_movements m JOIN goods_warehouses w ON "
	    "w.id = m.warehouse_id JOIN goods_items i ON i.id = m.item_id WHERE m.id = ? AND ",
	    "m.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		move_from_row(st, out, unmask);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return not_found(e, "该出入库记录");
	if (unmask && audit_unmask(db, a, id, e) < 0)
		return -1;
	return 0;
}

int goods_donation_received(struct db *db, int64_t donation_id, int64_t *quantity, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT coalesce(sum(quantity), 0) FROM goods_movements "
					"WHERE donation_id = ? AND kind = 'receive'",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, donation_id);
	int rc = db_step(st, e);
	*quantity = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* ---- statistics ----------------------------------------------------------------------------- */

int goods_distributed(struct db *db, const struct actor *a, const char *from, const char *to,
		      int (*fn)(void *ctx, const char *region, const char *stat, int64_t quantity),
		      void *ctx, struct err *e)
{
	if (!actor_can(a, PERM_GOODS))
		return forbidden(e);
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT m.region_code, i.stat, -sum(m.quantity) FROM goods_movements m "
	    "JOIN goods_items i ON i.id = m.item_id WHERE m.kind = 'distribute' AND "
	    "m.moved_on >= ? AND m.moved_on <= ? AND ",
	    "m.region_code", " GROUP BY m.region_code, i.stat", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	scope_bind(st, &a->scope, 3);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		if (fn(ctx, db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2)) < 0) {
			rc = err_oom(e);
			break;
		}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
