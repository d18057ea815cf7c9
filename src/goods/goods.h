/* goods.h — 救灾物资：仓库、库存与出入库: the goods module's whole public face.
 *
 * (Owned by the goods module: goods_rules.c the pure rules — movement kinds, signs, recipients,
 * the running-stock check; goods_schema.c the tables (migration 24); goods_store.c items,
 * warehouses, movements and stock; goods_api.c the routes. docs/goods.md for people.)
 *
 * Items are data (masks, protective suits, disinfectant kg, …, each with its unit and the
 * statistics line it counts in). Warehouses sit at city, county or township level (the region
 * code of a level-2, -3 or -4 region) and carry a low-stock threshold: any item whose stock is
 * held there and is below the threshold is a warning.
 *
 * Stock is never stored: it is the sum of the movements of a (warehouse, item) up to the end of a
 * date, so the stock at any date is computable and can never drift from the ledger. A movement
 * is one signed row (transfers are two rows, out of one warehouse and into another, tied by
 * transfer_of). Every movement that takes goods out checks, inside the write transaction that
 * inserts it, that the running stock from its date on never falls below zero (409
 * insufficient_stock with the quantity available); two concurrent distributions of the last
 * units therefore cannot both succeed.
 *
 * Receipts are purchases, donations (with the charity module's donation id, see
 * goods_receive_txn) or allocations from above. Distributions go to a household, a person, an
 * institution or a street-outreach patrol, with optional links to a temporary-assistance grant
 * (relief), a ledger visit (ledger: the person is the entry) or a street patrol (rescue); linked
 * records are checked through those modules' read functions in the caller's scope (404
 * otherwise). Scope: a warehouse's region code; a record outside the caller's scope is 404.
 * Every write is audited (goods.item, goods.warehouse, goods.move) in its transaction.
 */
#ifndef MZ_GOODS_H
#define MZ_GOODS_H

#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char goods_schema_v1[];
extern const struct api_route goods_routes[];

#define GOODS_PAGE_MAX 500
#define GOODS_NAME_SZ 128 /* 40 characters */
#define GOODS_NOTE_SZ 604 /* 200 characters */

/* ---- items ---------------------------------------------------------------------------------- */

/* The statistics line an item counts in (report goods.*). */
#define GOODS_STATS "masks protective_suits disinfectant_kg alcohol_kg other"

struct goods_item {
	int64_t id;
	char code[32];
	char name[GOODS_NAME_SZ];
	char unit[32];
	char stat[24];
};

struct goods_item_list {
	int n;
	struct goods_item *items; /* malloc'd; free() */
};

/* Every item (needs goods or charity permission: 403). */
int goods_item_list(struct db *db, const struct actor *a, struct goods_item_list *out,
		    struct err *e);
/* A new item (goods permission; code [a-z0-9_] 2–30, name and unit required, stat one of
 * GOODS_STATS, default other). 409 duplicate_code. Audited goods.item. */
int goods_item_create(struct db *db, const struct actor *a, const struct goods_item *in,
		      int64_t *out_id, struct err *e);
/* One item by id (any logged-in reader; 404 when absent). */
int goods_item_get(struct db *db, int64_t id, struct goods_item *out, struct err *e);

/* ---- warehouses ----------------------------------------------------------------------------- */

struct goods_warehouse {
	int64_t id;
	char name[GOODS_NAME_SZ];
	char region_code[16];
	char region_name[128];
	char level[12]; /* city county township */
	char address[GOODS_NAME_SZ * 2];
	int64_t low_stock; /* warn when a held item's stock is below this; 0 = no warning */
	int64_t items_low; /* items below the threshold now (lists) */
	int64_t movements;
};

struct goods_warehouse_list {
	int n;
	struct goods_warehouse *items; /* malloc'd; free() */
};

/* Warehouses in scope (goods permission, 403), region "" or a prefix narrowing it. */
int goods_warehouse_list(struct db *db, const struct actor *a, const char *region,
			 struct goods_warehouse_list *out, struct err *e);
/* New warehouse: name unique (409 duplicate_name), region a city, county or township in scope
 * (400 invalid_region, 403 out_of_scope). Audited goods.warehouse. */
int goods_warehouse_create(struct db *db, const struct actor *a, const struct goods_warehouse *in,
			   int64_t *out_id, struct err *e);
/* Change name, address or threshold. Audited goods.warehouse. */
int goods_warehouse_update(struct db *db, const struct actor *a, int64_t id,
			   const struct goods_warehouse *in, struct err *e);
/* One warehouse in scope (404 otherwise). Needs goods or charity permission. */
int goods_warehouse_get(struct db *db, const struct actor *a, int64_t id,
			struct goods_warehouse *out, struct err *e);

/* ---- stock ---------------------------------------------------------------------------------- */

struct goods_stock_row {
	int64_t warehouse_id;
	char warehouse_name[GOODS_NAME_SZ];
	char region_code[16];
	struct goods_item item;
	int64_t quantity;
	int low; /* below the warehouse's threshold */
};

struct goods_stock_list {
	int n;
	struct goods_stock_row *items; /* malloc'd; free() */
};

/* Stock at the end of `date` ("" = today) of every (warehouse, item) with movements, in scope;
 * warehouse_id 0 = all; low_only keeps the warnings. */
int goods_stock_list(struct db *db, const struct actor *a, int64_t warehouse_id, const char *date,
		     int low_only, struct goods_stock_list *out, struct err *e);
/* The stock of one (warehouse, item) at the end of date ("" = every movement). */
int goods_stock_at(struct db *db, int64_t warehouse_id, int64_t item_id, const char *date,
		   int64_t *out, struct err *e);

/* ---- movements ------------------------------------------------------------------------------ */

/* kind: receive (source purchase | donation | allocation), transfer (to to_warehouse_id),
 * distribute (recipient_kind household | person | institution | outreach), adjust (stocktake:
 * signed quantity, reason required). */
struct goods_move_in {
	char kind[16];
	int64_t warehouse_id;
	int64_t item_id;
	int64_t quantity; /* > 0; adjust: non-zero, signed */
	char date[11];	  /* "" = today; never after today */
	char source[16];
	char party[GOODS_NAME_SZ]; /* who delivered / allocated (receive) */
	int64_t value_fen;	   /* valuation, ≥ 0 */
	int64_t to_warehouse_id;
	char recipient_kind[16];
	int64_t recipient_id; /* household / person / institution id; 0 for outreach */
	char recipient_name[GOODS_NAME_SZ]; /* filled from the linked record when empty */
	int64_t relief_grant_id, ledger_visit_id, patrol_id;
	int64_t donation_id; /* set by the charity module only */
	char reason[GOODS_NOTE_SZ];
	char note[GOODS_NOTE_SZ];
};

struct goods_movement {
	int64_t id;
	int64_t warehouse_id;
	char warehouse_name[GOODS_NAME_SZ];
	char region_code[16];
	struct goods_item item;
	char kind[16]; /* receive transfer_out transfer_in distribute adjust */
	char moved_on[11];
	int64_t quantity; /* signed */
	int64_t value_fen;
	char source[16];
	char party[GOODS_NAME_SZ];
	int64_t counterpart_id; /* the other warehouse of a transfer */
	int64_t transfer_of;
	char recipient_kind[16];
	int64_t recipient_id;
	char recipient_name[GOODS_NAME_SZ]; /* masked in lists unless unmasked */
	int64_t relief_grant_id, ledger_visit_id, patrol_id, donation_id;
	char reason[GOODS_NOTE_SZ];
	char note[GOODS_NOTE_SZ];
	char created_by[64];
	char created_at[32];
};

/* Record a movement in its own write transaction (goods permission 403; warehouses in scope
 * 404; 400 required / invalid_value; 409 insufficient_stock). *out_id: the movement (a
 * transfer: its out row). Audited goods.move. */
int goods_move(struct db *db, const struct actor *a, const struct goods_move_in *in,
	       int64_t *out_id, struct err *e);
/* A receipt inside the caller's open write transaction (the charity module's goods donation:
 * in->kind "receive", source "donation", donation_id set). Checks and audits as goods_move;
 * the actor needs goods or charity permission. */
int goods_receive_txn(struct db *db, const struct actor *a, const struct goods_move_in *in,
		      int64_t *out_id, struct err *e);

struct goods_move_query {
	int64_t warehouse_id, item_id;
	char kind[16];
	char from[11], to[11];
	int64_t donation_id;
	int limit;
	int64_t offset;
};

struct goods_move_page {
	int n;
	struct goods_movement *items; /* malloc'd; free() */
	int64_t total;
};

/* Movements in scope, newest first. unmask shows recipients' names (registry.unmask, 403;
 * audited goods.unmask). */
int goods_move_list(struct db *db, const struct actor *a, const struct goods_move_query *q,
		    int unmask, struct goods_move_page *out, struct err *e);
int goods_move_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		   struct goods_movement *out, struct err *e);

/* Quantity received into warehouses per donation (reconciliation): the sum of the receive
 * movements carrying donation_id. */
int goods_donation_received(struct db *db, int64_t donation_id, int64_t *quantity, struct err *e);

/* ---- statistics ----------------------------------------------------------------------------- */

/* Call fn for each (warehouse region code, item statistics line) with the quantity distributed
 * (to households, persons, institutions and on street outreach) on days from..to inclusive, in
 * scope; goods permission (403). */
int goods_distributed(struct db *db, const struct actor *a, const char *from, const char *to,
		      int (*fn)(void *ctx, const char *region, const char *stat, int64_t quantity),
		      void *ctx, struct err *e);

/* ---- pure rules (goods_rules.c) ------------------------------------------------------------- */

/* Check a movement's shape (kind, sign of quantity, source, recipient, links); 0 or -1 with e
 * (400 required / invalid_value, field named). */
int goods_rules_check(const struct goods_move_in *in, struct err *e);
/* 1 when a region level (2 city, 3 county, 4 township) may hold a warehouse; its name. */
const char *goods_rules_level(int level);
/* What a movement dated d may take out: the smallest stock from the end of d on — base (the
 * stock at the end of d) and base plus each later date's net change in turn (later[0..n-1], in
 * date order) — so that a back-dated distribution can never make a later day's stock
 * negative. */
int64_t goods_rules_available(int64_t base, const int64_t *later, int n);

#endif
