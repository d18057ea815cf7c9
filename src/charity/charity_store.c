/* charity_store.c — the charity module's SQL (charity.h): appeals with their totals to a date,
 * donations (goods received into a warehouse through the goods module in the same
 * transaction), uses with the never-negative balance checked inside the write transaction, and
 * the money sums the statistics report reads.
 *
 * Every staff read goes through prep_scoped(), which appends scope_sql() on the appeal's
 * region code. */
#include "charity/charity_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/clock.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "goods/goods.h"

static int forbidden(struct err *e)
{
	return err_set(e, 403, "forbidden", NULL, "您没有慈善募捐管理的权限");
}

static int not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "该募捐活动不存在或不在您的管辖范围内");
}

/* ---- totals --------------------------------------------------------------------------------- */

int charity_totals_to(struct db *db, int64_t appeal_id, const char *to, struct charity_totals *t,
		      struct err *e)
{
	memset(t, 0, sizeof *t);
	const char *d = to ? to : "";
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT coalesce(sum(CASE WHEN kind = 'money' THEN amount_fen END), 0), "
	    "coalesce(sum(CASE WHEN kind = 'goods' THEN value_fen END), 0), count(*), "
	    "count(CASE WHEN kind = 'money' THEN 1 END), "
	    "coalesce(sum(CASE WHEN kind = 'goods' THEN quantity END), 0) "
	    "FROM charity_donations WHERE appeal_id = ? AND (? = '' OR donated_on <= ?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	db_bind_text(st, 2, d);
	db_bind_text(st, 3, d);
	int rc = db_step(st, e);
	if (rc == 1) {
		t->raised_fen = db_col_int(st, 0);
		t->goods_value_fen = db_col_int(st, 1);
		t->donations = db_col_int(st, 2);
		t->donors_money = db_col_int(st, 3);
		t->goods_donated = db_col_int(st, 4);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	/* the reconciliation: what the goods module received for these donations */
	st = db_prepare(db,
			"SELECT id FROM charity_donations WHERE appeal_id = ? AND kind = 'goods' "
			"AND (? = '' OR donated_on <= ?) ORDER BY id",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	db_bind_text(st, 2, d);
	db_bind_text(st, 3, d);
	int64_t *ids = NULL;
	int n = 0, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&ids, n, &alloc, sizeof *ids, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		ids[n++] = db_col_int(st, 0);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < n; i++) {
		int64_t q = 0;
		rc = goods_donation_received(db, ids[i], &q, e);
		t->goods_received += q;
	}
	free(ids);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"SELECT coalesce(sum(CASE WHEN kind = 'money' THEN amount_fen END), 0), "
			"coalesce(sum(CASE WHEN kind = 'goods' THEN value_fen END), 0), count(*) "
			"FROM charity_uses WHERE appeal_id = ? AND (? = '' OR used_on <= ?)",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	db_bind_text(st, 2, d);
	db_bind_text(st, 3, d);
	rc = db_step(st, e);
	if (rc == 1) {
		t->used_fen = db_col_int(st, 0);
		t->goods_used_value_fen = db_col_int(st, 1);
		t->uses = db_col_int(st, 2);
	}
	db_done(st);
	t->balance_fen = t->raised_fen - t->used_fen;
	return rc < 0 ? -1 : 0;
}

/* ---- appeals -------------------------------------------------------------------------------- */

#define APPEAL_COLS                                                                                \
	"p.id, p.name, p.organisation, p.region_code, coalesce(g.name, ''), p.kind, p.started_on, " \
	"p.purpose, p.created_by, p.created_at"

void charity_appeal_from_row(struct db_stmt *st, struct charity_appeal *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	text_copy(p->name, sizeof p->name, db_col_text(st, 1));
	text_copy(p->organisation, sizeof p->organisation, db_col_text(st, 2));
	text_copy(p->region_code, sizeof p->region_code, db_col_text(st, 3));
	text_copy(p->region_name, sizeof p->region_name, db_col_text(st, 4));
	text_copy(p->kind, sizeof p->kind, db_col_text(st, 5));
	text_copy(p->started_on, sizeof p->started_on, db_col_text(st, 6));
	text_copy(p->purpose, sizeof p->purpose, db_col_text(st, 7));
	text_copy(p->created_by, sizeof p->created_by, db_col_text(st, 8));
	text_copy(p->created_at, sizeof p->created_at, db_col_text(st, 9));
}

int charity_appeal_create(struct db *db, const struct actor *a, const struct charity_appeal_in *in,
			  int64_t *out_id, struct err *e)
{
	if (!actor_can(a, PERM_CHARITY))
		return forbidden(e);
	if (charity_rules_appeal(in, e) < 0)
		return -1;
	int64_t level = db_query_int(db, "SELECT level FROM regions WHERE code = ?", in->region_code);
	if (level != 2 && level != 3)
		return err_set(e, 400, "invalid_region", "region_code",
			       "区划代码 %.15s 不是已知的市或县（市、区）", in->region_code);
	if (!scope_contains(&a->scope, in->region_code))
		return err_set(e, 403, "out_of_scope", "region_code", "%.15s 不在您的管辖范围内",
			       in->region_code);
	char now[32], today[11], detail[96];
	clock_now_iso(now);
	clock_today(today);
	if (strcmp(in->started_on, today) > 0)
		return err_set(e, 400, "invalid_value", "started_on", "开始日期不能晚于今天（%s）", today);
	if (db_begin_write(db, e) < 0)
		return -1;
	int rc = -1;
	if (db_query_int(db, "SELECT count(*) FROM charity_appeals WHERE name = ?", in->name) > 0) {
		err_set(e, 409, "duplicate_name", "name", "已有同名的募捐活动：%s", in->name);
		goto out;
	}
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO charity_appeals(name, organisation, region_code, "
					"kind, started_on, purpose, created_by, created_at) "
					"VALUES (?,?,?,?,?,?,?,?)",
					e);
	if (!st)
		goto out;
	db_bind_text(st, 1, in->name);
	db_bind_text(st, 2, in->organisation);
	db_bind_text(st, 3, in->region_code);
	db_bind_text(st, 4, in->kind);
	db_bind_text(st, 5, in->started_on);
	db_bind_text(st, 6, in->purpose);
	db_bind_text(st, 7, a->username);
	db_bind_text(st, 8, now);
	if (db_run(st, e) < 0)
		goto out;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail, "{\"region_code\":\"%s\",\"kind\":\"%s\"}", in->region_code,
		 in->kind);
	rc = audit_append_id(db, a, "charity.appeal", "charity_appeal", *out_id, detail, e);
out:
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

static int valid_to(const char *to, struct err *e)
{
	if (to && *to && !charity_rules_date(to))
		return err_set(e, 400, "invalid_value", "to", "截止日期应为 YYYY-MM-DD 格式的有效日期");
	return 0;
}

int charity_appeal_list(struct db *db, const struct actor *a, const char *to,
			struct charity_appeal_list *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_CHARITY))
		return forbidden(e);
	if (valid_to(to, e) < 0)
		return -1;
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " APPEAL_COLS " FROM charity_appeals p LEFT JOIN regions g ON "
	    "g.code = p.region_code WHERE ",
	    "p.region_code", " ORDER BY p.started_on, p.id", e);
	if (!st)
		return -1;
	scope_bind(st, &a->scope, 1);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		charity_appeal_from_row(st, &out->items[out->n++]);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < out->n; i++)
		rc = charity_totals_to(db, out->items[i].id, to, &out->items[i].t, e);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

/* The appeal in scope without its totals (the write paths and the lists of one appeal). */
static int appeal_find(struct db *db, const struct actor *a, int64_t id,
		       struct charity_appeal *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_CHARITY))
		return not_found(e);
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT " APPEAL_COLS " FROM charity_appeals p LEFT JOIN regions g ON "
	    "g.code = p.region_code WHERE p.id = ? AND ",
	    "p.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		charity_appeal_from_row(st, out);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 0 ? not_found(e) : 0;
}

int charity_appeal_get(struct db *db, const struct actor *a, int64_t id, const char *to,
		       struct charity_appeal *out, struct err *e)
{
	if (valid_to(to, e) < 0 || appeal_find(db, a, id, out, e) < 0)
		return -1;
	return charity_totals_to(db, id, to, &out->t, e);
}

/* ---- donations ------------------------------------------------------------------------------ */

static int dated(const char *given, const struct charity_appeal *p, const char *field, char out[11],
		 struct err *e)
{
	char today[11];
	clock_today(today);
	text_copy(out, 11, given && *given ? given : today);
	if (strcmp(out, today) > 0)
		return err_set(e, 400, "invalid_value", field, "日期不能晚于今天（%s）", today);
	if (strcmp(out, p->started_on) < 0)
		return err_set(e, 400, "invalid_value", field, "日期不能早于募捐活动开始日期（%s）",
			       p->started_on);
	return 0;
}

static int donation_txn(struct db *db, const struct actor *a, const struct charity_donation_in *in,
			const struct charity_appeal *p, const char *on, int64_t *out_id,
			struct err *e)
{
	char now[32], detail[160];
	clock_now_iso(now);
	int goods = strcmp(in->kind, "goods") == 0;
	if (in->receipt_no[0]) {
		struct db_stmt *st = db_prepare(
		    db, "SELECT count(*) FROM charity_donations WHERE appeal_id = ? AND receipt_no = ?",
		    e);
		if (!st)
			return -1;
		db_bind_int(st, 1, p->id);
		db_bind_text(st, 2, in->receipt_no);
		int rc = db_step(st, e);
		int64_t n = rc == 1 ? db_col_int(st, 0) : 0;
		db_done(st);
		if (rc < 0)
			return -1;
		if (n > 0)
			return err_set(e, 409, "duplicate_receipt", "receipt_no",
				       "收据编号 %s 已在本募捐活动中使用", in->receipt_no);
	}
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO charity_donations(appeal_id, region_code, kind, donated_on, amount_fen, "
	    "donor_kind, donor_name, anonymous, disclose, channel, receipt_no, item_id, quantity, "
	    "value_fen, warehouse_id, note, created_by, created_at) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, p->region_code);
	db_bind_text(st, 3, in->kind);
	db_bind_text(st, 4, on);
	db_bind_int(st, 5, goods ? 0 : in->amount_fen);
	db_bind_text(st, 6, in->donor_kind);
	db_bind_text(st, 7, in->anonymous ? "" : in->donor_name);
	db_bind_int(st, 8, in->anonymous ? 1 : 0);
	db_bind_int(st, 9, in->disclose && !in->anonymous ? 1 : 0);
	db_bind_text(st, 10, in->channel);
	db_bind_text(st, 11, in->receipt_no);
	if (goods) {
		db_bind_int(st, 12, in->item_id);
		db_bind_int(st, 15, in->warehouse_id);
	} else {
		db_bind_null(st, 12);
		db_bind_null(st, 15);
	}
	db_bind_int(st, 13, goods ? in->quantity : 0);
	db_bind_int(st, 14, goods ? in->value_fen : 0);
	db_bind_text(st, 16, in->note);
	db_bind_text(st, 17, a->username);
	db_bind_text(st, 18, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	if (goods) {
		struct goods_move_in *m = calloc(1, sizeof *m);
		int64_t mid = 0;
		if (!m)
			return err_oom(e);
		text_copy(m->kind, sizeof m->kind, "receive");
		text_copy(m->source, sizeof m->source, "donation");
		text_copy(m->date, sizeof m->date, on);
		m->warehouse_id = in->warehouse_id;
		m->item_id = in->item_id;
		m->quantity = in->quantity;
		m->value_fen = in->value_fen;
		m->donation_id = *out_id;
		snprintf(m->party, sizeof m->party, "%s", p->organisation);
		snprintf(m->note, sizeof m->note, "%.60s 捐赠", p->name);
		int rc = goods_receive_txn(db, a, m, &mid, e);
		free(m);
		if (rc < 0)
			return -1;
		st = db_prepare(db, "UPDATE charity_donations SET movement_id = ? WHERE id = ?", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, mid);
		db_bind_int(st, 2, *out_id);
		if (db_run(st, e) < 0)
			return -1;
	}
	snprintf(detail, sizeof detail,
		 "{\"appeal_id\":%lld,\"kind\":\"%s\",\"amount_fen\":%lld,\"quantity\":%lld}",
		 (long long)p->id, in->kind, (long long)(goods ? in->value_fen : in->amount_fen),
		 (long long)(goods ? in->quantity : 0));
	return audit_append_id(db, a, "charity.donation", "charity_donation", *out_id, detail, e);
}

int charity_donation_add(struct db *db, const struct actor *a, const struct charity_donation_in *in,
			 int64_t *out_id, struct err *e)
{
	struct charity_appeal p;
	char on[11];
	if (!actor_can(a, PERM_CHARITY))
		return forbidden(e);
	if (charity_rules_donation(in, e) < 0)
		return -1;
	if (appeal_find(db, a, in->appeal_id, &p, e) < 0 ||
	    dated(in->donated_on, &p, "donated_on", on, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		return -1;
	if (donation_txn(db, a, in, &p, on, out_id, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

#define DONATION_COLS                                                                              \
	"d.id, d.appeal_id, d.kind, d.donated_on, d.amount_fen, d.donor_kind, d.donor_name, "      \
	"d.anonymous, d.disclose, d.channel, d.receipt_no, coalesce(d.item_id, 0), "              \
	"'', '', d.quantity, d.value_fen, coalesce(d.warehouse_id, 0), "                          \
	"coalesce(d.movement_id, 0), 0, d.note, d.created_by, d.created_at"

/* mode: 0 masked (staff), 1 unmasked (staff), 2 public name */
void charity_donation_from_row(struct db_stmt *st, struct charity_donation *d, int mode)
{
	memset(d, 0, sizeof *d);
	d->id = db_col_int(st, 0);
	d->appeal_id = db_col_int(st, 1);
	text_copy(d->kind, sizeof d->kind, db_col_text(st, 2));
	text_copy(d->donated_on, sizeof d->donated_on, db_col_text(st, 3));
	d->amount_fen = db_col_int(st, 4);
	text_copy(d->donor_kind, sizeof d->donor_kind, db_col_text(st, 5));
	const char *name = db_col_text(st, 6);
	d->anonymous = (int)db_col_int(st, 7);
	d->disclose = (int)db_col_int(st, 8);
	if (mode == 2)
		charity_rules_public_name(d->donor_kind, name, d->anonymous, d->disclose,
					  d->donor_name, sizeof d->donor_name);
	else if (mode == 1 || strcmp(d->donor_kind, "organisation") == 0)
		text_copy(d->donor_name, sizeof d->donor_name, name);
	else
		text_mask_name(name, d->donor_name, sizeof d->donor_name);
	text_copy(d->channel, sizeof d->channel, db_col_text(st, 9));
	text_copy(d->receipt_no, sizeof d->receipt_no, db_col_text(st, 10));
	d->item_id = db_col_int(st, 11);
	text_copy(d->item_name, sizeof d->item_name, db_col_text(st, 12));
	text_copy(d->unit, sizeof d->unit, db_col_text(st, 13));
	d->quantity = db_col_int(st, 14);
	d->value_fen = db_col_int(st, 15);
	d->warehouse_id = db_col_int(st, 16);
	d->movement_id = db_col_int(st, 17);
	d->received = db_col_int(st, 18);
	text_copy(d->note, sizeof d->note, db_col_text(st, 19));
	text_copy(d->created_by, sizeof d->created_by, db_col_text(st, 20));
	text_copy(d->created_at, sizeof d->created_at, db_col_text(st, 21));
}

int charity_donation_page(struct db *db, int64_t appeal_id, const struct charity_page_query *q,
			  int mode, struct charity_donation_page *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT count(*) FROM charity_donations d WHERE d.appeal_id = ? AND "
	    "(? = '' OR d.kind = ?) AND (? = '' OR d.donated_on >= ?) AND "
	    "(? = '' OR d.donated_on <= ?) AND (? = 0 OR d.id = ?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	for (int i = 0; i < 2; i++) {
		db_bind_text(st, 2 + i, q->kind);
		db_bind_text(st, 4 + i, q->from);
		db_bind_text(st, 6 + i, q->to);
		db_bind_int(st, 8 + i, q->id);
	}
	int rc = db_step(st, e);
	out->total = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"SELECT " DONATION_COLS " FROM charity_donations d "
			"WHERE d.appeal_id = ? AND (? = '' OR d.kind = ?) AND "
			"(? = '' OR d.donated_on >= ?) AND (? = '' OR d.donated_on <= ?) "
			"AND (? = 0 OR d.id = ?) ORDER BY d.donated_on DESC, d.id DESC LIMIT ? OFFSET ?",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	for (int i = 0; i < 2; i++) {
		db_bind_text(st, 2 + i, q->kind);
		db_bind_text(st, 4 + i, q->from);
		db_bind_text(st, 6 + i, q->to);
		db_bind_int(st, 8 + i, q->id);
	}
	db_bind_int(st, 10, q->limit > 0 ? q->limit : 50);
	db_bind_int(st, 11, q->offset);
	int alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		charity_donation_from_row(st, &out->items[out->n++], mode);
	}
	db_done(st);
	/* item names and the quantities received, from the goods module */
	for (int i = 0; rc == 0 && i < out->n; i++) {
		struct charity_donation *d = &out->items[i];
		struct goods_item it;
		if (!d->item_id)
			continue;
		rc = goods_item_get(db, d->item_id, &it, e);
		if (rc == 0) {
			text_copy(d->item_name, sizeof d->item_name, it.name);
			text_copy(d->unit, sizeof d->unit, it.unit);
			rc = goods_donation_received(db, d->id, &d->received, e);
		}
	}
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int charity_donation_list(struct db *db, const struct actor *a, int64_t appeal_id,
			  const struct charity_page_query *q, int unmask,
			  struct charity_donation_page *out, struct err *e)
{
	struct charity_appeal p;
	memset(out, 0, sizeof *out);
	if (appeal_find(db, a, appeal_id, &p, e) < 0)
		return -1;
	if (unmask) {
		if (!actor_can(a, PERM_REGISTRY_UNMASK))
			return err_set(e, 403, "forbidden", "unmask", "您没有查看完整个人信息的权限");
		if (db_begin_write(db, e) < 0)
			return -1;
		if (audit_append_id(db, a, "charity.unmask", "charity_appeal", appeal_id, NULL, e) <
		    0) {
			db_rollback(db);
			return -1;
		}
		if (db_commit(db, e) < 0)
			return -1;
	}
	return charity_donation_page(db, appeal_id, q, unmask ? 1 : 0, out, e);
}

/* ---- uses ----------------------------------------------------------------------------------- */

/* The smallest balance from `on` on, money (item 0) or one item's quantity, inside the write
 * transaction. */
static int min_balance_from(struct db *db, int64_t appeal_id, int64_t item, const char *on,
			    int64_t *out, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT d, sum(v) FROM ("
	    " SELECT donated_on d, CASE WHEN ? = 0 THEN amount_fen ELSE quantity END v"
	    "  FROM charity_donations WHERE appeal_id = ? AND"
	    "  ((? = 0 AND kind = 'money') OR (? > 0 AND kind = 'goods' AND item_id = ?))"
	    " UNION ALL"
	    " SELECT used_on, -(CASE WHEN ? = 0 THEN amount_fen ELSE quantity END)"
	    "  FROM charity_uses WHERE appeal_id = ? AND"
	    "  ((? = 0 AND kind = 'money') OR (? > 0 AND kind = 'goods' AND item_id = ?)))"
	    " GROUP BY d ORDER BY d",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, item);
	db_bind_int(st, 2, appeal_id);
	db_bind_int(st, 3, item);
	db_bind_int(st, 4, item);
	db_bind_int(st, 5, item);
	db_bind_int(st, 6, item);
	db_bind_int(st, 7, appeal_id);
	db_bind_int(st, 8, item);
	db_bind_int(st, 9, item);
	db_bind_int(st, 10, item);
	int64_t base = 0, *later = NULL;
	int n = 0, alloc = 0, rc;
	while ((rc = db_step(st, e)) == 1) {
		if (strcmp(db_col_text(st, 0), on) <= 0) {
			base += db_col_int(st, 1);
			continue;
		}
		if (array_grow(&later, n, &alloc, sizeof *later, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		later[n++] = db_col_int(st, 1);
	}
	db_done(st);
	if (rc == 0)
		*out = charity_rules_min_balance(base, later, n);
	free(later);
	return rc < 0 ? -1 : 0;
}

static int use_txn(struct db *db, const struct actor *a, const struct charity_use_in *in,
		   const struct charity_appeal *p, const char *on, int64_t *out_id, struct err *e)
{
	char now[32], detail[160];
	clock_now_iso(now);
	int goods = strcmp(in->kind, "goods") == 0;
	int64_t avail = 0, want = goods ? in->quantity : in->amount_fen;
	if (min_balance_from(db, p->id, goods ? in->item_id : 0, on, &avail, e) < 0)
		return -1;
	if (avail < want) {
		if (goods)
			return err_set(e, 409, "insufficient_goods", "quantity",
				       "捐赠物资余量不足：%s 及以后该物资可用 %lld，不能使用 %lld", on,
				       (long long)(avail < 0 ? 0 : avail), (long long)want);
		return err_set(e, 409, "insufficient_balance", "amount_fen",
			       "募捐余额不足：%s 及以后可用余额 %lld.%02lld 元，不能使用 %lld.%02lld 元", on,
			       (long long)(avail < 0 ? 0 : avail) / 100,
			       (long long)(avail < 0 ? 0 : avail) % 100, (long long)want / 100,
			       (long long)want % 100);
	}
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO charity_uses(appeal_id, region_code, kind, used_on, amount_fen, "
	    "recipient_kind, recipient_name, purpose, evidence, item_id, quantity, value_fen, "
	    "created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	db_bind_text(st, 2, p->region_code);
	db_bind_text(st, 3, in->kind);
	db_bind_text(st, 4, on);
	db_bind_int(st, 5, goods ? 0 : in->amount_fen);
	db_bind_text(st, 6, in->recipient_kind);
	db_bind_text(st, 7, in->recipient_name);
	db_bind_text(st, 8, in->purpose);
	db_bind_text(st, 9, in->evidence);
	if (goods)
		db_bind_int(st, 10, in->item_id);
	else
		db_bind_null(st, 10);
	db_bind_int(st, 11, goods ? in->quantity : 0);
	db_bind_int(st, 12, goods ? in->value_fen : 0);
	db_bind_text(st, 13, a->username);
	db_bind_text(st, 14, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail,
		 "{\"appeal_id\":%lld,\"kind\":\"%s\",\"amount_fen\":%lld,\"quantity\":%lld}",
		 (long long)p->id, in->kind, (long long)(goods ? in->value_fen : in->amount_fen),
		 (long long)(goods ? in->quantity : 0));
	return audit_append_id(db, a, "charity.use", "charity_use", *out_id, detail, e);
}

int charity_use_add(struct db *db, const struct actor *a, const struct charity_use_in *in,
		    int64_t *out_id, struct err *e)
{
	struct charity_appeal p;
	char on[11];
	if (!actor_can(a, PERM_CHARITY))
		return forbidden(e);
	if (charity_rules_use(in, e) < 0)
		return -1;
	if (appeal_find(db, a, in->appeal_id, &p, e) < 0 ||
	    dated(in->used_on, &p, "used_on", on, e) < 0)
		return -1;
	if (strcmp(in->kind, "goods") == 0) {
		struct goods_item it;
		if (goods_item_get(db, in->item_id, &it, e) < 0)
			return -1;
	}
	if (db_begin_write(db, e) < 0)
		return -1;
	if (use_txn(db, a, in, &p, on, out_id, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

#define USE_COLS                                                                                   \
	"u.id, u.appeal_id, u.kind, u.used_on, u.amount_fen, u.recipient_kind, u.recipient_name, " \
	"u.purpose, u.evidence, coalesce(u.item_id, 0), '', "                                      \
	"'', u.quantity, u.value_fen, u.created_by, u.created_at"

static void use_from_row(struct db_stmt *st, struct charity_use *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, 0);
	u->appeal_id = db_col_int(st, 1);
	text_copy(u->kind, sizeof u->kind, db_col_text(st, 2));
	text_copy(u->used_on, sizeof u->used_on, db_col_text(st, 3));
	u->amount_fen = db_col_int(st, 4);
	text_copy(u->recipient_kind, sizeof u->recipient_kind, db_col_text(st, 5));
	text_copy(u->recipient_name, sizeof u->recipient_name, db_col_text(st, 6));
	text_copy(u->purpose, sizeof u->purpose, db_col_text(st, 7));
	text_copy(u->evidence, sizeof u->evidence, db_col_text(st, 8));
	u->item_id = db_col_int(st, 9);
	text_copy(u->item_name, sizeof u->item_name, db_col_text(st, 10));
	text_copy(u->unit, sizeof u->unit, db_col_text(st, 11));
	u->quantity = db_col_int(st, 12);
	u->value_fen = db_col_int(st, 13);
	text_copy(u->created_by, sizeof u->created_by, db_col_text(st, 14));
	text_copy(u->created_at, sizeof u->created_at, db_col_text(st, 15));
}

int charity_use_page(struct db *db, int64_t appeal_id, const struct charity_page_query *q,
		     struct charity_use_page *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_prepare(db,
					"SELECT count(*) FROM charity_uses u WHERE u.appeal_id = ? "
					"AND (? = '' OR u.kind = ?) AND (? = '' OR u.used_on >= ?) "
					"AND (? = '' OR u.used_on <= ?)",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	for (int i = 0; i < 2; i++) {
		db_bind_text(st, 2 + i, q->kind);
		db_bind_text(st, 4 + i, q->from);
		db_bind_text(st, 6 + i, q->to);
	}
	int rc = db_step(st, e);
	out->total = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	st = db_prepare(db,
			"SELECT " USE_COLS " FROM charity_uses u "
			"WHERE u.appeal_id = ? AND (? = '' OR u.kind = ?) AND "
			"(? = '' OR u.used_on >= ?) AND (? = '' OR u.used_on <= ?) "
			"ORDER BY u.used_on DESC, u.id DESC LIMIT ? OFFSET ?",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, appeal_id);
	for (int i = 0; i < 2; i++) {
		db_bind_text(st, 2 + i, q->kind);
		db_bind_text(st, 4 + i, q->from);
		db_bind_text(st, 6 + i, q->to);
	}
	db_bind_int(st, 8, q->limit > 0 ? q->limit : 50);
	db_bind_int(st, 9, q->offset);
	int alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		use_from_row(st, &out->items[out->n++]);
	}
	db_done(st);
	for (int i = 0; rc == 0 && i < out->n; i++) {
		struct charity_use *u = &out->items[i];
		struct goods_item it;
		if (!u->item_id)
			continue;
		rc = goods_item_get(db, u->item_id, &it, e);
		if (rc == 0) {
			text_copy(u->item_name, sizeof u->item_name, it.name);
			text_copy(u->unit, sizeof u->unit, it.unit);
		}
	}
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
		return -1;
	}
	return 0;
}

int charity_use_list(struct db *db, const struct actor *a, int64_t appeal_id,
		     const struct charity_page_query *q, struct charity_use_page *out,
		     struct err *e)
{
	struct charity_appeal p;
	memset(out, 0, sizeof *out);
	if (appeal_find(db, a, appeal_id, &p, e) < 0)
		return -1;
	return charity_use_page(db, appeal_id, q, out, e);
}

/* ---- statistics ----------------------------------------------------------------------------- */

int charity_money_to(struct db *db, const struct actor *a, const char *to,
		     int (*fn)(void *ctx, const char *region, const char *kind, int64_t raised_fen,
			       int64_t used_fen),
		     void *ctx, struct err *e)
{
	if (!actor_can(a, PERM_CHARITY))
		return forbidden(e);
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT p.region_code, p.kind, "
	    "coalesce((SELECT sum(d.amount_fen) FROM charity_donations d WHERE d.appeal_id = p.id "
	    "  AND d.kind = 'money' AND d.donated_on <= ?), 0), "
	    "coalesce((SELECT sum(u.amount_fen) FROM charity_uses u WHERE u.appeal_id = p.id "
	    "  AND u.kind = 'money' AND u.used_on <= ?), 0) "
	    "FROM charity_appeals p WHERE ",
	    "p.region_code", " ORDER BY p.id", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, to);
	scope_bind(st, &a->scope, 3);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		if (fn(ctx, db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2),
		       db_col_int(st, 3)) < 0) {
			rc = err_oom(e);
			break;
		}
	db_done(st);
	return rc < 0 ? -1 : 0;
}
