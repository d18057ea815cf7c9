/* relief_reserve.c — the townships' reserve funds (备用金): the write path of disbursements and
 * returns (called inside a grant's transaction), the county's allocations and replenishments,
 * the replenishment needs, the balances and movements, the reconciliation with the grants, and
 * the report totals of paid grants. (Public face: relief.h.)
 *
 * The balance can never go negative, whatever runs at the same time: a disbursement is the one
 * statement
 *     UPDATE relief_reserves SET balance_fen = balance_fen - :amount
 *      WHERE township_code = :t AND balance_fen >= :amount
 * inside the grant's write transaction, and the grant is paid only when it changed a row. Two
 * grants racing for the last balance are serialized by the write lock (SQLite: BEGIN IMMEDIATE;
 * PostgreSQL: the row lock the UPDATE takes), so the second sees the first's balance and changes
 * nothing. relief_reserves.balance_fen also carries CHECK (balance_fen >= 0) as a backstop.
 * Every change appends a movement row with the balance after it; relief_reconcile() checks the
 * chain and the sums against the grants.
 */
#include "relief/relief_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/strbuf.h"
#include "core/text.h"

#define RESERVE_MAX_FEN 10000000000LL /* 100,000,000 yuan: a sanity limit on one movement */

static void yuan(int64_t fen, char out[32])
{
	snprintf(out, 32, "%lld.%02lld", (long long)(fen / 100), (long long)(fen % 100));
}

static int township_not_found(struct err *e)
{
	return err_set(e, 404, "not_found", "township", "镇（街道）不存在或不在您的管辖范围内");
}

int relief_reserve_balance(struct db *db, const char *township, int64_t *out, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT balance_fen FROM relief_reserves WHERE township_code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, township);
	int rc = db_step(st, e);
	*out = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int move_insert(struct db *db, const struct actor *a, const char *township, const char *kind,
		       int64_t amount, int64_t balance_after, int64_t grant_id, const char *on,
		       const char *at, const char *note, int64_t *id, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO relief_reserve_moves(township_code, kind, "
		       "amount_fen, balance_after_fen, grant_id, on_date, at, by_user, "
		       "note) VALUES (?,?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_text(st, 1, township);
	db_bind_text(st, 2, kind);
	db_bind_int(st, 3, amount);
	db_bind_int(st, 4, balance_after);
	if (grant_id)
		db_bind_int(st, 5, grant_id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, on);
	db_bind_text(st, 7, at);
	db_bind_text(st, 8, a->username);
	db_bind_text(st, 9, note ? note : "");
	if (db_run(st, e) < 0)
		return -1;
	if (id)
		*id = db_last_id(db);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* the write path inside a grant's transaction                                                */
/* ------------------------------------------------------------------------------------------ */

int relief_reserve_take(struct db *db, const char *township, int64_t amount_fen,
			int64_t *balance_after, struct err *e)
{
	char at[32], a[32], b[32];
	clock_now_iso(at);
	struct db_stmt *st =
	    db_prepare(db,
		       "UPDATE relief_reserves SET balance_fen = balance_fen - ?1, "
		       "updated_at = ?3 WHERE township_code = ?2 AND balance_fen >= ?1",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, amount_fen);
	db_bind_text(st, 2, township);
	db_bind_text(st, 3, at);
	if (db_run(st, e) < 0)
		return -1;
	int changed = db_changes(db);
	if (relief_reserve_balance(db, township, balance_after, e) < 0)
		return -1;
	if (changed == 1)
		return 0;
	yuan(*balance_after, a);
	yuan(amount_fen, b);
	return err_set(e, 409, "reserve_insufficient", "amount_fen",
		       "镇街备用金余额 %s 元，不足以先行支付 %s 元。已登记为备用金补充需求，"
		       "请县级民政部门补充后再办理，或按一般程序申请",
		       a, b);
}

int relief_reserve_draw_record(struct db *db, const struct actor *a, const char *township,
			       int64_t amount_fen, int64_t balance_after, int64_t grant_id,
			       const char *on, const char *at, struct err *e)
{
	return move_insert(db, a, township, "disbursement", amount_fen, balance_after, grant_id, on,
			   at, "先行救助", NULL, e);
}

int relief_reserve_give_back(struct db *db, const struct actor *a, const char *township,
			     int64_t amount_fen, int64_t grant_id, const char *on, const char *at,
			     const char *note, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "UPDATE relief_reserves SET balance_fen = balance_fen + ?1, "
		       "updated_at = ?3 WHERE township_code = ?2",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, amount_fen);
	db_bind_text(st, 2, township);
	db_bind_text(st, 3, at);
	if (db_run(st, e) < 0)
		return -1;
	if (db_changes(db) != 1)
		return err_set(e, 500, "internal", NULL, "镇街 %s 没有备用金账户，无法退回",
			       township);
	int64_t balance;
	if (relief_reserve_balance(db, township, &balance, e) < 0)
		return -1;
	return move_insert(db, a, township, "return", amount_fen, balance, grant_id, on, at, note,
			   NULL, e);
}

int relief_need_record(struct db *db, const struct actor *a, const char *township, const char *unit,
		       int64_t person_id, const char *cause, int64_t amount_fen,
		       int64_t balance_fen, const char *on, const char *at, const char *request_key,
		       struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO relief_needs(township_code, unit_code, person_id, "
		       "cause, amount_fen, balance_fen, on_date, at, by_user, request_key) VALUES "
		       "(?,?,?,?,?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_text(st, 1, township);
	db_bind_text(st, 2, unit);
	db_bind_int(st, 3, person_id);
	db_bind_text(st, 4, cause);
	db_bind_int(st, 5, amount_fen);
	db_bind_int(st, 6, balance_fen);
	db_bind_text(st, 7, on);
	db_bind_text(st, 8, at);
	db_bind_text(st, 9, a->username);
	db_bind_text(st, 10, request_key && *request_key ? request_key : NULL);
	if (db_run(st, e) < 0)
		return -1;
	char object[48], detail[160];
	snprintf(object, sizeof object, "relief_reserve:%s", township);
	snprintf(detail, sizeof detail,
		 "{\"need_id\":%lld,\"person_id\":%lld,\"amount_fen\":%lld,\"balance_fen\":%lld}",
		 (long long)db_last_id(db), (long long)person_id, (long long)amount_fen,
		 (long long)balance_fen);
	return audit_append(db, a, "relief.reserve_refused", object, "ok", detail, e);
}

/* ------------------------------------------------------------------------------------------ */
/* the county's allocations and replenishments                                                */
/* ------------------------------------------------------------------------------------------ */

/* A township (level 4) inside the actor's scope: its unit into unit[16]; 404 otherwise. */
static int township_in_scope(struct db *db, const struct actor *a, const char *code, char unit[16],
			     char name[128], struct err *e)
{
	size_t n = code ? strlen(code) : 0;
	if (n != 9)
		return township_not_found(e);
	for (size_t i = 0; i < n; i++)
		if (code[i] < '0' || code[i] > '9')
			return township_not_found(e);
	if (!scope_contains(&a->scope, code))
		return township_not_found(e);
	struct db_stmt *st = db_prepare(
	    db, "SELECT coalesce(unit_code, ''), name FROM regions WHERE code = ? AND level = 4",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(unit, 16, db_col_text(st, 0));
		if (name)
			text_copy(name, 128, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : township_not_found(e);
}

int relief_reserve_add(struct db *db, const struct actor *a, const char *township, const char *kind,
		       int64_t amount_fen, const char *on, const char *note, int64_t *move_id,
		       struct err *e)
{
	char unit[16], day[11], at[32];
	int64_t id = 0;
	int own = !db_in_transaction(db); /* inside the caller's transaction when one is open */
	if (own && db_begin_write(db, e) < 0)
		return -1;
	if (township_in_scope(db, a, township, unit, NULL, e) < 0)
		goto fail;
	if (!actor_can(a, PERM_ASSISTANCE_APPROVE)) {
		err_set(e, 403, "forbidden", NULL, "备用金由县级民政部门拨付和补充");
		goto fail;
	}
	if (!kind || (strcmp(kind, "allocation") != 0 && strcmp(kind, "replenishment") != 0)) {
		err_set(e, 400, "invalid_value", "kind",
			"类型应为 allocation（拨付）或 replenishment（补充）");
		goto fail;
	}
	if (amount_fen <= 0 || amount_fen > RESERVE_MAX_FEN) {
		err_set(e, 400, "invalid_value", "amount_fen", "金额应大于 0 且不超过 1 亿元");
		goto fail;
	}
	if (text_check(note, RELIEF_NOTE_CHARS, 0, 1, "note", "说明", e) < 0 ||
	    relief_day(on, NULL, "on", day, e) < 0)
		goto fail;
	clock_now_iso(at);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO relief_reserves(township_code, unit_code, balance_fen, updated_at) VALUES "
	    "(?1, ?2, ?3, ?4) ON CONFLICT (township_code) DO UPDATE SET balance_fen = "
	    "balance_fen + ?3, updated_at = ?4",
	    e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, township);
	db_bind_text(st, 2, unit);
	db_bind_int(st, 3, amount_fen);
	db_bind_text(st, 4, at);
	if (db_run(st, e) < 0)
		goto fail;
	int64_t balance;
	if (relief_reserve_balance(db, township, &balance, e) < 0 ||
	    move_insert(db, a, township, kind, amount_fen, balance, 0, day, at, note, &id, e) < 0)
		goto fail;
	st = db_prepare(db,
			"UPDATE relief_needs SET status = 'met', met_move_id = ? WHERE "
			"township_code = ? AND status = 'open'",
			e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, township);
	if (db_run(st, e) < 0)
		goto fail;
	int met = db_changes(db);
	char object[48], detail[200];
	snprintf(object, sizeof object, "relief_reserve:%s", township);
	snprintf(detail, sizeof detail,
		 "{\"move_id\":%lld,\"kind\":\"%s\",\"amount_fen\":%lld,\"balance_fen\":%lld,"
		 "\"needs_met\":%d,\"on\":\"%s\"}",
		 (long long)id, kind, (long long)amount_fen, (long long)balance, met, day);
	if (audit_append(db, a, "relief.reserve_move", object, "ok", detail, e) < 0 ||
	    (own && db_commit(db, e) < 0))
		goto fail;
	if (move_id)
		*move_id = id;
	return 0;
fail:
	if (own)
		db_rollback(db);
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* balances and movements                                                                     */
/* ------------------------------------------------------------------------------------------ */

#define RESERVE_COLS                                                                               \
	"t.code, t.name, coalesce(t.unit_code, ''), coalesce(rs.balance_fen, 0), "                 \
	"coalesce(rs.updated_at, ''), "                                                            \
	"(SELECT coalesce(sum(amount_fen), 0) FROM relief_reserve_moves m WHERE m.township_code "  \
	"= t.code AND m.kind = 'allocation'), "                                                    \
	"(SELECT coalesce(sum(amount_fen), 0) FROM relief_reserve_moves m WHERE m.township_code "  \
	"= t.code AND m.kind = 'replenishment'), "                                                 \
	"(SELECT coalesce(sum(amount_fen), 0) FROM relief_reserve_moves m WHERE m.township_code "  \
	"= t.code AND m.kind = 'disbursement'), "                                                  \
	"(SELECT coalesce(sum(amount_fen), 0) FROM relief_reserve_moves m WHERE m.township_code "  \
	"= t.code AND m.kind = 'return'), "                                                        \
	"(SELECT count(*) FROM relief_needs n WHERE n.township_code = t.code AND n.status = "      \
	"'open'), "                                                                                \
	"(SELECT coalesce(sum(n.amount_fen - n.balance_fen), 0) FROM relief_needs n WHERE "        \
	"n.township_code = t.code AND n.status = 'open') "                                         \
	"FROM regions t LEFT JOIN relief_reserves rs ON rs.township_code = t.code "

static void reserve_read(struct db_stmt *st, struct relief_reserve *r)
{
	memset(r, 0, sizeof *r);
	text_copy(r->township_code, sizeof r->township_code, db_col_text(st, 0));
	text_copy(r->township_name, sizeof r->township_name, db_col_text(st, 1));
	text_copy(r->unit_code, sizeof r->unit_code, db_col_text(st, 2));
	r->balance_fen = db_col_int(st, 3);
	text_copy(r->updated_at, sizeof r->updated_at, db_col_text(st, 4));
	r->allocated_fen = db_col_int(st, 5);
	r->replenished_fen = db_col_int(st, 6);
	r->disbursed_fen = db_col_int(st, 7);
	r->returned_fen = db_col_int(st, 8);
	r->open_needs = db_col_int(st, 9);
	r->open_need_fen = db_col_int(st, 10);
}

int relief_reserve_list(struct db *db, const struct actor *a,
			int (*fn)(const struct relief_reserve *r, void *ctx), void *ctx,
			struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT " RESERVE_COLS "WHERE t.level = 4 AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "t.code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY t.code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	int own, rc = -1;
	if (relief_read_begin(db, &own, e) < 0) {
		strbuf_release(&sql);
		return -1;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (st) {
		scope_bind(st, &a->scope, 1);
		struct relief_reserve r;
		int s;
		while ((s = db_step(st, e)) == 1) {
			reserve_read(st, &r);
			if (fn && fn(&r, ctx))
				break;
		}
		db_done(st);
		rc = s < 0 ? -1 : 0;
	}
	relief_read_end(db, own);
	strbuf_release(&sql);
	return rc;
}

int relief_reserve_get(struct db *db, const struct actor *a, const char *township,
		       struct relief_reserve *out,
		       int (*fn)(const struct relief_move *m, void *ctx), void *ctx, int limit,
		       struct err *e)
{
	char unit[16];
	int own, rc = -1;
	if (relief_read_begin(db, &own, e) < 0)
		return -1;
	if (township_in_scope(db, a, township, unit, NULL, e) < 0)
		goto out;
	struct db_stmt *st = db_prepare(db, "SELECT " RESERVE_COLS "WHERE t.code = ?", e);
	if (!st)
		goto out;
	db_bind_text(st, 1, township);
	int s = db_step(st, e);
	if (s == 1)
		reserve_read(st, out);
	db_done(st);
	if (s < 0)
		goto out;
	if (s == 0) {
		township_not_found(e);
		goto out;
	}
	if (fn) {
		st = db_prepare(
		    db,
		    "SELECT id, township_code, kind, amount_fen, balance_after_fen, "
		    "coalesce(grant_id, 0), on_date, at, by_user, note FROM "
		    "relief_reserve_moves WHERE township_code = ? ORDER BY id DESC LIMIT ?",
		    e);
		if (!st)
			goto out;
		db_bind_text(st, 1, township);
		db_bind_int(st, 2, limit > 0 ? limit : 200);
		struct relief_move *m = malloc(sizeof *m);
		if (!m) {
			db_done(st);
			err_oom(e);
			goto out;
		}
		while ((s = db_step(st, e)) == 1) {
			memset(m, 0, sizeof *m);
			m->id = db_col_int(st, 0);
			text_copy(m->township_code, sizeof m->township_code, db_col_text(st, 1));
			text_copy(m->kind, sizeof m->kind, db_col_text(st, 2));
			m->amount_fen = db_col_int(st, 3);
			m->balance_after_fen = db_col_int(st, 4);
			m->grant_id = db_col_int(st, 5);
			text_copy(m->on, sizeof m->on, db_col_text(st, 6));
			text_copy(m->at, sizeof m->at, db_col_text(st, 7));
			text_copy(m->by_user, sizeof m->by_user, db_col_text(st, 8));
			text_copy(m->note, sizeof m->note, db_col_text(st, 9));
			if (fn(m, ctx))
				break;
		}
		free(m);
		db_done(st);
		if (s < 0)
			goto out;
	}
	rc = 0;
out:
	relief_read_end(db, own);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* replenishment needs                                                                        */
/* ------------------------------------------------------------------------------------------ */

int relief_need_list(struct db *db, const struct actor *a, const char *status,
		     int (*fn)(const struct relief_need *n, void *ctx), void *ctx, struct err *e)
{
	if (status && *status && strcmp(status, "open") != 0 && strcmp(status, "met") != 0)
		return err_set(e, 400, "invalid_value", "status", "status 应为 open 或 met");
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql,
			  "SELECT n.id, n.township_code, coalesce(t.name, ''), n.person_id, "
			  "coalesce(p.name, ''), n.cause, n.amount_fen, n.balance_fen, "
			  "n.on_date, n.at, n.by_user, n.status, coalesce(n.met_move_id, 0) "
			  "FROM relief_needs n LEFT JOIN regions t ON t.code = n.township_code "
			  "LEFT JOIN persons p ON p.id = n.person_id WHERE (? = '' OR "
			  "n.status = ?) AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "n.township_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY n.id DESC") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	int own, rc = -1;
	if (relief_read_begin(db, &own, e) < 0) {
		strbuf_release(&sql);
		return -1;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (st) {
		db_bind_text(st, 1, status ? status : "");
		db_bind_text(st, 2, status ? status : "");
		scope_bind(st, &a->scope, 3);
		struct relief_need n;
		int s;
		while ((s = db_step(st, e)) == 1) {
			memset(&n, 0, sizeof n);
			n.id = db_col_int(st, 0);
			text_copy(n.township_code, sizeof n.township_code, db_col_text(st, 1));
			text_copy(n.region_code, sizeof n.region_code, db_col_text(st, 1));
			text_copy(n.township_name, sizeof n.township_name, db_col_text(st, 2));
			n.person_id = db_col_int(st, 3);
			text_copy(n.name, sizeof n.name, db_col_text(st, 4));
			text_copy(n.cause, sizeof n.cause, db_col_text(st, 5));
			n.amount_fen = db_col_int(st, 6);
			n.balance_fen = db_col_int(st, 7);
			n.shortfall_fen = n.amount_fen - n.balance_fen;
			text_copy(n.on, sizeof n.on, db_col_text(st, 8));
			text_copy(n.at, sizeof n.at, db_col_text(st, 9));
			text_copy(n.by_user, sizeof n.by_user, db_col_text(st, 10));
			text_copy(n.status, sizeof n.status, db_col_text(st, 11));
			n.met_move_id = db_col_int(st, 12);
			if (fn && fn(&n, ctx))
				break;
		}
		db_done(st);
		rc = s < 0 ? -1 : 0;
	}
	relief_read_end(db, own);
	strbuf_release(&sql);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* reconciliation                                                                             */
/* ------------------------------------------------------------------------------------------ */

/* The movements' running balances chain from zero: 1, 0 when a row's balance_after is not the
 * previous one plus or minus its amount; -1 on error. */
static int chain_ok(struct db *db, const char *township, int64_t *end, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT kind, amount_fen, balance_after_fen FROM "
					"relief_reserve_moves WHERE township_code = ? ORDER BY id",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, township);
	int64_t bal = 0;
	int ok = 1, s;
	while ((s = db_step(st, e)) == 1) {
		int64_t amount = db_col_int(st, 1);
		bal += strcmp(db_col_text(st, 0), "disbursement") == 0 ? -amount : amount;
		if (bal < 0 || bal != db_col_int(st, 2))
			ok = 0;
	}
	db_done(st);
	*end = bal;
	return s < 0 ? -1 : ok;
}

int relief_reconcile(struct db *db, const struct actor *a, const char *township,
		     int (*fn)(const struct relief_reconcile_row *r, void *ctx), void *ctx,
		     int *mismatches, struct err *e)
{
	*mismatches = 0;
	if (!actor_can(a, PERM_ASSISTANCE_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看备用金");
	struct strbuf sql = STRBUF_INIT;
	int rc = strbuf_addstr(
	    &sql,
	    "SELECT t.code, coalesce((SELECT balance_fen FROM relief_reserves r WHERE "
	    "r.township_code = t.code), 0), "
	    "(SELECT coalesce(sum(CASE kind WHEN 'disbursement' THEN -amount_fen ELSE amount_fen "
	    "END), 0) FROM relief_reserve_moves m WHERE m.township_code = t.code), "
	    "(SELECT coalesce(sum(amount_fen), 0) FROM relief_reserve_moves m WHERE "
	    "m.township_code "
	    "= t.code AND m.kind = 'disbursement'), "
	    "(SELECT coalesce(sum(amount_fen), 0) FROM relief_grants g WHERE g.township_code = "
	    "t.code AND g.pay_first = 1), "
	    "(SELECT coalesce(sum(amount_fen), 0) FROM relief_reserve_moves m WHERE "
	    "m.township_code "
	    "= t.code AND m.kind = 'return'), "
	    "(SELECT coalesce(sum(amount_fen), 0) FROM relief_grants g WHERE g.township_code = "
	    "t.code AND g.pay_first = 1 AND g.payment = 'returned'), "
	    "(SELECT count(*) FROM relief_grants g WHERE g.township_code = t.code AND g.pay_first "
	    "= "
	    "1 AND NOT EXISTS (SELECT 1 FROM relief_reserve_moves m WHERE m.grant_id = g.id AND "
	    "m.kind = 'disbursement' AND m.amount_fen = g.amount_fen AND m.township_code = "
	    "g.township_code)) "
	    "FROM (SELECT township_code AS code FROM relief_reserves UNION SELECT township_code "
	    "FROM "
	    "relief_reserve_moves UNION SELECT township_code FROM relief_grants WHERE pay_first = "
	    "1) "
	    "t WHERE (? = '' OR t.code = ?) AND ");
	rc |= scope_sql(&sql, &a->scope, "t.code");
	rc |= strbuf_addstr(&sql, " ORDER BY t.code");
	if (rc < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct relief_reconcile_row *rows = NULL;
	int n = 0, alloc = 0, own;
	rc = -1;
	if (relief_read_begin(db, &own, e) < 0) {
		strbuf_release(&sql);
		return -1;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	db_bind_text(st, 1, township ? township : "");
	db_bind_text(st, 2, township ? township : "");
	scope_bind(st, &a->scope, 3);
	int s;
	while ((s = db_step(st, e)) == 1) {
		if (n == alloc) {
			int na = alloc ? alloc * 2 : 32;
			struct relief_reconcile_row *more =
			    realloc(rows, (size_t)na * sizeof *rows);
			if (!more) {
				db_done(st);
				err_oom(e);
				goto out;
			}
			rows = more;
			alloc = na;
		}
		struct relief_reconcile_row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		text_copy(r->township_code, sizeof r->township_code, db_col_text(st, 0));
		r->balance_fen = db_col_int(st, 1);
		r->moves_fen = db_col_int(st, 2);
		r->disbursed_fen = db_col_int(st, 3);
		r->drawn_fen = db_col_int(st, 4);
		r->returned_fen = db_col_int(st, 5);
		r->grant_returned_fen = db_col_int(st, 6);
		r->grants_without_draw = db_col_int(st, 7);
	}
	db_done(st);
	if (s < 0)
		goto out;
	for (int i = 0; i < n; i++) {
		struct relief_reconcile_row *r = &rows[i];
		int64_t end;
		int c = chain_ok(db, r->township_code, &end, e);
		if (c < 0)
			goto out;
		r->chain_ok = c && end == r->balance_fen;
		r->ok = r->chain_ok && r->balance_fen == r->moves_fen &&
			r->disbursed_fen == r->drawn_fen &&
			r->returned_fen == r->grant_returned_fen && r->grants_without_draw == 0;
		if (!r->ok)
			(*mismatches)++;
		if (fn && fn(r, ctx))
			break;
	}
	rc = 0;
out:
	relief_read_end(db, own);
	free(rows);
	strbuf_release(&sql);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* the report totals                                                                          */
/* ------------------------------------------------------------------------------------------ */

static int month_ok(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return 0;
	int mon = (m[5] - '0') * 10 + (m[6] - '0');
	return mon >= 1 && mon <= 12;
}

int relief_report_totals(struct db *db, const struct scope *scope, const char *from_month,
			 const char *to_month,
			 int (*per_unit)(const char *unit_code, const struct relief_totals *t,
					 void *ctx),
			 void *ctx, struct relief_totals *city, struct err *e)
{
	struct relief_totals sum = {0, 0};
	if (city)
		*city = sum;
	if (!month_ok(from_month))
		return err_set(e, 400, "invalid_value", "from", "月份应为 YYYY-MM");
	if (!month_ok(to_month))
		return err_set(e, 400, "invalid_value", "to", "月份应为 YYYY-MM");
	if (strcmp(from_month, to_month) > 0)
		return err_set(e, 400, "invalid_value", "to", "结束月份不能早于开始月份");
	char lo[11], hi[11];
	snprintf(lo, sizeof lo, "%s-01", from_month);
	snprintf(hi, sizeof hi, "%s-31", to_month); /* days compare as text: every day <= -31 */
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT unit_code, count(*), coalesce(sum(amount_fen), 0) FROM "
				"relief_grants WHERE payment = 'paid' AND paid_on >= ? AND paid_on "
				"<= ? AND ") < 0 ||
	    scope_sql(&sql, scope, "region_code") < 0 ||
	    strbuf_addstr(&sql, " GROUP BY unit_code ORDER BY unit_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	int own, rc = -1;
	if (relief_read_begin(db, &own, e) < 0) {
		strbuf_release(&sql);
		return -1;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (st) {
		db_bind_text(st, 1, lo);
		db_bind_text(st, 2, hi);
		scope_bind(st, scope, 3);
		int s, stop = 0;
		char unit[16];
		while ((s = db_step(st, e)) == 1) {
			struct relief_totals t = {db_col_int(st, 1), db_col_int(st, 2)};
			text_copy(unit, sizeof unit, db_col_text(st, 0));
			sum.person_times += t.person_times;
			sum.amount_fen += t.amount_fen;
			if (per_unit && (stop = per_unit(unit, &t, ctx)) != 0)
				break;
		}
		db_done(st);
		if (s < 0)
			rc = -1;
		else if (stop)
			rc = stop;
		else
			rc = 0;
	}
	relief_read_end(db, own);
	strbuf_release(&sql);
	if (city && rc == 0)
		*city = sum;
	return rc;
}
