/* test_goods.c — the goods module against a fresh database (src/goods): the shape rules of a
 * movement, stock as the sum of movements at any date, stock never negative (also for a
 * back-dated movement that would empty a later day), transfers as a pair, the low-stock
 * warning, scope (404) and permission (403), audit rows, and that a refused movement leaves
 * nothing behind. */
#include "goods/goods.h"
#include "core/text.h"
#include "testdb.h"
#include "unit.h"

#include <string.h>

static void exec(struct db *db, const char *sql)
{
	struct err e;
	if (db_exec(db, sql, &e) < 0) {
		fprintf(stderr, "exec: %s\n%s\n", e.message, sql);
		abort();
	}
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static struct db *open_seeded(void)
{
	struct db *db = testdb_open();
	exec(db,
	     "INSERT INTO regions(code, name, level, parent_code, unit_code) VALUES"
	     " ('37', '山东省', 1, NULL, NULL), ('3707', '潍坊市', 2, '37', NULL),"
	     " ('370704', '坊子区', 3, '3707', '370704'), ('370705', '奎文区', 3, '3707', '370705'),"
	     " ('370704008', '太保庄街道', 4, '370704', '370704'),"
	     " ('370704008231', '栾家山后村', 5, '370704008', '370704');");
	return db;
}

static struct actor actor_of(const char *role, const char *region, uint32_t perms)
{
	struct actor a;
	memset(&a, 0, sizeof a);
	a.user_id = 9;
	snprintf(a.username, sizeof a.username, "%s_%s", role, region);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.region_code, sizeof a.region_code, "%s", region);
	a.perms = perms;
	a.scope.n = 1;
	snprintf(a.scope.prefix[0], REGION_CODE_MAX, "%s", region);
	snprintf(a.client, sizeof a.client, "test");
	return a;
}

#define STAFF (PERM_LOGIN | PERM_REGION_READ | PERM_GOODS)

static int64_t warehouse(struct db *db, const struct actor *a, const char *name, const char *code,
			 int64_t low)
{
	struct goods_warehouse w;
	struct err e;
	int64_t id = 0;
	memset(&w, 0, sizeof w);
	snprintf(w.name, sizeof w.name, "%s", name);
	snprintf(w.region_code, sizeof w.region_code, "%s", code);
	w.low_stock = low;
	if (goods_warehouse_create(db, a, &w, &id, &e) < 0) {
		fprintf(stderr, "warehouse: %s\n", e.message);
		abort();
	}
	return id;
}

static int64_t masks(struct db *db)
{
	return q(db, "SELECT id FROM goods_items WHERE code = 'masks'");
}

static int move(struct db *db, const struct actor *a, const char *kind, int64_t wh, int64_t to,
		int64_t qty, const char *date, struct err *e)
{
	struct goods_move_in in;
	int64_t id;
	memset(&in, 0, sizeof in);
	snprintf(in.kind, sizeof in.kind, "%s", kind);
	in.warehouse_id = wh;
	in.to_warehouse_id = to;
	in.item_id = masks(db);
	in.quantity = qty;
	snprintf(in.date, sizeof in.date, "%s", date);
	if (strcmp(kind, "receive") == 0)
		snprintf(in.source, sizeof in.source, "purchase");
	if (strcmp(kind, "adjust") == 0)
		snprintf(in.reason, sizeof in.reason, "盘点");
	return goods_move(db, a, &in, &id, e);
}

static int64_t stock(struct db *db, int64_t wh, const char *date)
{
	int64_t v = -1;
	struct err e;
	if (goods_stock_at(db, wh, masks(db), date, &v, &e) < 0)
		abort();
	return v;
}

TEST(stock_at_a_date_is_the_sum_of_movements_up_to_its_end)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF);
	struct err e;
	int64_t w = warehouse(db, &a, "坊子区物资库", "370704", 0);
	CHECK_EQ_INT(move(db, &a, "receive", w, 0, 1000, "2020-02-01", &e), 0);
	CHECK_EQ_INT(move(db, &a, "receive", w, 0, 500, "2020-02-10", &e), 0);
	CHECK_EQ_INT(move(db, &a, "adjust", w, 0, -20, "2020-02-15", &e), 0);
	CHECK_EQ_INT(stock(db, w, "2020-01-31"), 0);
	CHECK_EQ_INT(stock(db, w, "2020-02-01"), 1000);
	CHECK_EQ_INT(stock(db, w, "2020-02-09"), 1000);
	CHECK_EQ_INT(stock(db, w, "2020-02-10"), 1500);
	CHECK_EQ_INT(stock(db, w, "2020-02-15"), 1480);
	CHECK_EQ_INT(stock(db, w, ""), 1480);
	/* every movement audited */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'goods.move'"), 3);
	db_close(db);
}

TEST(stock_never_goes_negative_and_a_refusal_changes_nothing)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF);
	struct err e;
	int64_t w = warehouse(db, &a, "坊子区物资库", "370704", 0);
	int64_t t = warehouse(db, &a, "太保庄街道物资点", "370704008", 0);
	CHECK_EQ_INT(move(db, &a, "receive", w, 0, 100, "2020-02-01", &e), 0);
	int64_t before = q(db, "SELECT count(*) FROM goods_movements");
	int64_t audits = q(db, "SELECT count(*) FROM audit_log");
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 101, "2020-02-02", &e), -1);
	CHECK_EQ_STR(e.code, "insufficient_stock");
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(move(db, &a, "adjust", w, 0, -101, "2020-02-02", &e), -1);
	CHECK_EQ_STR(e.code, "insufficient_stock");
	/* nothing before the receipt */
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 1, "2020-01-31", &e), -1);
	CHECK_EQ_STR(e.code, "insufficient_stock");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM goods_movements"), before);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log"), audits);
	/* the last units can go */
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 100, "2020-02-02", &e), 0);
	CHECK_EQ_INT(stock(db, w, ""), 0);
	CHECK_EQ_INT(stock(db, t, ""), 100);
	db_close(db);
}

TEST(a_back_dated_movement_cannot_empty_a_later_day)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF);
	struct err e;
	int64_t w = warehouse(db, &a, "坊子区物资库", "370704", 0);
	int64_t t = warehouse(db, &a, "太保庄街道物资点", "370704008", 0);
	CHECK_EQ_INT(move(db, &a, "receive", w, 0, 10, "2020-03-01", &e), 0);
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 8, "2020-03-10", &e), 0);
	/* on 03-05 there are 10, but taking 5 then would leave 10 − 5 − 8 < 0 on 03-10 */
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 5, "2020-03-05", &e), -1);
	CHECK_EQ_STR(e.code, "insufficient_stock");
	CHECK(strstr(e.message, "可用 2") != NULL);
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 2, "2020-03-05", &e), 0);
	CHECK_EQ_INT(stock(db, w, "2020-03-05"), 8);
	CHECK_EQ_INT(stock(db, w, "2020-03-10"), 0);
	db_close(db);
}

TEST(a_transfer_is_a_pair_of_rows_tied_together)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF);
	struct err e;
	int64_t w = warehouse(db, &a, "坊子区物资库", "370704", 0);
	int64_t t = warehouse(db, &a, "太保庄街道物资点", "370704008", 0);
	CHECK_EQ_INT(move(db, &a, "receive", w, 0, 50, "2020-02-01", &e), 0);
	CHECK_EQ_INT(move(db, &a, "transfer", w, t, 30, "2020-02-03", &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM goods_movements WHERE kind = 'transfer_out' AND "
			   "quantity = -30 AND transfer_of = id"),
		     1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM goods_movements i JOIN goods_movements o ON "
			   "o.id = i.transfer_of WHERE i.kind = 'transfer_in' AND i.quantity = 30 "
			   "AND o.kind = 'transfer_out'"),
		     1);
	CHECK_EQ_INT(move(db, &a, "transfer", w, w, 1, "2020-02-03", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "to_warehouse_id");
	db_close(db);
}

TEST(low_stock_warning_per_warehouse_threshold)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF);
	struct err e;
	int64_t w = warehouse(db, &a, "坊子区物资库", "370704", 100);
	CHECK_EQ_INT(move(db, &a, "receive", w, 0, 150, "2020-02-01", &e), 0);
	struct goods_stock_list l;
	CHECK_EQ_INT(goods_stock_list(db, &a, w, "", 1, &l, &e), 0);
	CHECK_EQ_INT(l.n, 0);
	free(l.items);
	CHECK_EQ_INT(move(db, &a, "adjust", w, 0, -60, "2020-02-02", &e), 0);
	CHECK_EQ_INT(goods_stock_list(db, &a, w, "", 1, &l, &e), 0);
	CHECK_EQ_INT(l.n, 1);
	if (l.n == 1) {
		CHECK_EQ_INT(l.items[0].quantity, 90);
		CHECK(l.items[0].low);
	}
	free(l.items);
	/* the warehouse list counts it; the day before it was fine */
	struct goods_warehouse got;
	CHECK_EQ_INT(goods_warehouse_get(db, &a, w, &got, &e), 0);
	CHECK_EQ_INT(got.items_low, 1);
	CHECK_EQ_INT(goods_stock_list(db, &a, w, "2020-02-01", 1, &l, &e), 0);
	CHECK_EQ_INT(l.n, 0);
	free(l.items);
	db_close(db);
}

TEST(other_county_gets_not_found_and_no_permission_is_forbidden)
{
	struct db *db = open_seeded();
	struct actor a = actor_of("county_staff", "370704", STAFF);
	struct actor other = actor_of("county_staff", "370705", STAFF);
	struct actor village = actor_of("village_worker", "370704008231", PERM_LOGIN);
	struct err e;
	int64_t w = warehouse(db, &a, "坊子区物资库", "370704", 0);
	struct goods_warehouse got;
	CHECK_EQ_INT(goods_warehouse_get(db, &other, w, &got, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(move(db, &other, "receive", w, 0, 5, "2020-02-01", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(move(db, &village, "receive", w, 0, 5, "2020-02-01", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	struct goods_warehouse in;
	memset(&in, 0, sizeof in);
	snprintf(in.name, sizeof in.name, "奎文区库");
	snprintf(in.region_code, sizeof in.region_code, "370705");
	int64_t id;
	CHECK_EQ_INT(goods_warehouse_create(db, &a, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "out_of_scope");
	/* a village holds no warehouse */
	snprintf(in.region_code, sizeof in.region_code, "370704008231");
	CHECK_EQ_INT(goods_warehouse_create(db, &a, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	db_close(db);
}

TEST(movement_shape_rules)
{
	struct goods_move_in in;
	struct err e;
	memset(&in, 0, sizeof in);
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "kind");
	snprintf(in.kind, sizeof in.kind, "distribute");
	in.warehouse_id = 1;
	in.item_id = 1;
	in.quantity = 5;
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "recipient_kind");
	snprintf(in.recipient_kind, sizeof in.recipient_kind, "household");
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "recipient_id");
	in.recipient_id = 7;
	CHECK_EQ_INT(goods_rules_check(&in, &e), 0);
	in.ledger_visit_id = 3; /* a ledger visit belongs to a person */
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "ledger_visit_id");
	snprintf(in.recipient_kind, sizeof in.recipient_kind, "person");
	CHECK_EQ_INT(goods_rules_check(&in, &e), 0);
	in.quantity = -5;
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "quantity");
	memset(&in, 0, sizeof in);
	snprintf(in.kind, sizeof in.kind, "receive");
	in.warehouse_id = 1;
	in.item_id = 1;
	in.quantity = 5;
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "source");
	snprintf(in.source, sizeof in.source, "donation"); /* only through the charity module */
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	snprintf(in.source, sizeof in.source, "allocation");
	CHECK_EQ_INT(goods_rules_check(&in, &e), 0);
	snprintf(in.date, sizeof in.date, "2020-02-30");
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "date");
	memset(&in, 0, sizeof in);
	snprintf(in.kind, sizeof in.kind, "adjust");
	in.warehouse_id = 1;
	in.item_id = 1;
	in.quantity = -3;
	CHECK_EQ_INT(goods_rules_check(&in, &e), -1);
	CHECK_EQ_STR(e.field, "reason");
}

TEST(available_is_the_smallest_running_stock)
{
	int64_t later[] = {-8, 5, -6};
	/* 10 → 2 → 7 → 1 */
	CHECK_EQ_INT(goods_rules_available(10, later, 3), 1);
	CHECK_EQ_INT(goods_rules_available(10, NULL, 0), 10);
	int64_t up[] = {5, 5};
	CHECK_EQ_INT(goods_rules_available(3, up, 2), 3);
	char out[32];
	text_mask_name("王小明", out, sizeof out);
	CHECK_EQ_STR(out, "王**");
	text_mask_name("李", out, sizeof out);
	CHECK_EQ_STR(out, "李*");
}

UNIT_MAIN(stock_at_a_date_is_the_sum_of_movements_up_to_its_end,
	  stock_never_goes_negative_and_a_refusal_changes_nothing,
	  a_back_dated_movement_cannot_empty_a_later_day, a_transfer_is_a_pair_of_rows_tied_together,
	  low_stock_warning_per_warehouse_threshold,
	  other_county_gets_not_found_and_no_permission_is_forbidden, movement_shape_rules,
	  available_is_the_smallest_running_stock)
