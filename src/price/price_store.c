/* price_store.c — the price module's SQL: the monthly indices, the parameters of a unit and
 * month, generating a month's subsidies, the subsidies the payroll pays, the lists, and the
 * accounts of persons outside the assistance rolls (see price.h).
 *
 * Generating a month (price_generate), in ONE write transaction:
 *   1. the units the actor may pay (payroll_units), each with its parameters in force that
 *      month, the trigger decision (price_rules_trigger) and its due date (publication date +
 *      due period in working days, calendar module) — worked out before the transaction;
 *   2. the candidates: every person of an entitlement the assistance module gives for the month
 *      (one pass of assistance_entitlements over the actor's scope; its unit, village and
 *      payee), then every active person carrying an eligible tag (one index range per tag),
 *      each with the group bit — kept only where their unit's parameters make that group
 *      eligible;
 *   3. sorted by person and merged: one subsidy per person (the groups OR-ed; unit, village and
 *      payee from the roll when the person is on one), the amount by price_rules_amount with the
 *      unit's parameters and the household's residence type;
 *   4. INSERT … ON CONFLICT (month, person_id) DO NOTHING: a person already generated keeps the
 *      row they have (amount, due date, and any payment of it); one audit row; commit.
 * Reading the state of a subsidy joins its latest payment through the partial index
 * payments_price (case_id, id) WHERE program = 'price_subsidy' (price_schema.c); a subsidy's
 * payments carry case_id = −(the subsidy's id) (price.h).
 */
#include "core/array_grow.h"
#include "price/price.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance/assistance.h"
#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "payroll/payroll.h"
#include "policy/policy.h"

#define NOTE_CHARS 100
#define MAX_UNITS 64

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* The city the units belong to ("3707"), into city[16]; "" when no unit is known. */
static int city_code(struct db *db, char city[16], struct err *e)
{
	city[0] = '\0';
	struct db_stmt *st = db_prepare(db, "SELECT city_code FROM units ORDER BY code LIMIT 1", e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	if (rc == 1)
		text_copy(city, 16, db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

static void end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db);
}

/* ------------------------------------------------------------------------------------------ */
/* parameters                                                                                 */
/* ------------------------------------------------------------------------------------------ */

int price_params_load(struct db *db, const char *unit_code, const char *month,
		      struct price_params *p, struct err *e)
{
	static const char *const keys[] = {
		"price_linkage_enabled",     "price_trigger_cpi_bp",
		"price_trigger_food_cpi_bp", "price_rise_basis",
		"price_multiplier_bp",       "price_rounding_fen",
		"price_min_fen",	     "price_due_working_days",
		"price_rural_on_urban_standard", "dibao_standard_urban_month_fen",
		"dibao_standard_rural_year_fen",
	};
	int64_t v[sizeof keys / sizeof keys[0]];
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (policy_value(db, unit_code, "", keys[i], month, &v[i], e) < 0)
			return -1;
	p->enabled = v[0] != 0;
	p->trigger_cpi_bp = (int)v[1];
	p->trigger_food_bp = (int)v[2];
	p->basis = (int)v[3];
	p->multiplier_bp = (int)v[4];
	p->rounding_fen = v[5];
	p->min_fen = v[6];
	p->due_working_days = (int)v[7];
	p->rural_on_urban = v[8] != 0;
	p->standard_urban_month_fen = v[9];
	p->standard_rural_year_fen = v[10];
	for (int i = 0; i < PRICE_NGROUPS; i++) {
		int64_t g;
		if (policy_value(db, unit_code, "", price_group_key(i), month, &g, e) < 0)
			return -1;
		if (g)
			p->groups |= 1u << i;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* indices                                                                                    */
/* ------------------------------------------------------------------------------------------ */

#define INDEX_COLS "id, month, cpi_bp, food_cpi_bp, published_on, note, set_by, set_at"

static void index_from(struct db_stmt *st, struct price_index *x)
{
	memset(x, 0, sizeof *x);
	x->id = db_col_int(st, 0);
	text_copy(x->month, sizeof x->month, db_col_text(st, 1));
	x->cpi_bp = (int)db_col_int(st, 2);
	x->food_cpi_bp = (int)db_col_int(st, 3);
	text_copy(x->published_on, sizeof x->published_on, db_col_text(st, 4));
	text_copy(x->note, sizeof x->note, db_col_text(st, 5));
	text_copy(x->set_by, sizeof x->set_by, db_col_text(st, 6));
	text_copy(x->set_at, sizeof x->set_at, db_col_text(st, 7));
}

int price_index_get(struct db *db, const char *month, struct price_index *out, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT " INDEX_COLS " FROM price_indices "
					    "WHERE month = ? ORDER BY id DESC LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, month);
	int rc = db_step(st, e);
	if (rc == 1)
		index_from(st, out);
	db_done(st);
	return rc;
}

/* The first day of the month after m, into out[11]. */
static void next_month_first(const char *m, char out[11])
{
	int year = atoi(m), mon = atoi(m + 5);
	if (++mon > 12) {
		mon = 1;
		year++;
	}
	snprintf(out, 11, "%04d-%02d-01", year % 10000, mon);
}

static int rise_ok(int v)
{
	return v >= -5000 && v <= 10000;
}

int price_index_set(struct db *db, const struct actor *a, const char *month, int cpi_bp,
		    int food_cpi_bp, const char *published_on, const char *note, int64_t *id,
		    struct err *e)
{
	char city[16], first[11], today[11], at[32], object[48], detail[400];
	if (!actor_can(a, PERM_POLICY_WRITE))
		return err_set(e, 403, "forbidden", NULL, "您没有录入价格指数的权限");
	if (city_code(db, city, e) < 0)
		return -1;
	if (!scope_covers(&a->scope, city[0] ? city : "0"))
		return err_set(e, 403, "forbidden", NULL, "价格指数由市级统一录入");
	if (!month || !month[0])
		return err_set(e, 400, "required", "month", "请填写指数所属月份（YYYY-MM）");
	if (!price_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03：%.16s",
			       month);
	if (!rise_ok(cpi_bp))
		return err_set(e, 400, "invalid_value", "cpi_bp",
			       "CPI 同比涨幅应在 -50%% 至 100%% 之间（基点：-5000 至 10000）");
	if (!rise_ok(food_cpi_bp))
		return err_set(e, 400, "invalid_value", "food_cpi_bp",
			       "食品 CPI 同比涨幅应在 -50%% 至 100%% 之间（基点：-5000 至 10000）");
	if (!published_on || !published_on[0])
		return err_set(e, 400, "required", "published_on", "请填写指数发布日期（YYYY-MM-DD）");
	if (!price_date_valid(published_on))
		return err_set(e, 400, "invalid_value", "published_on",
			       "发布日期应为有效日期 YYYY-MM-DD，如 2020-04-10：%.16s", published_on);
	next_month_first(month, first);
	if (strcmp(published_on, first) < 0)
		return err_set(e, 400, "invalid_value", "published_on",
			       "%s 的指数不可能在 %s 之前发布（发布日期 %s）", month, first, published_on);
	clock_today(today);
	if (strcmp(published_on, today) > 0)
		return err_set(e, 400, "invalid_value", "published_on", "发布日期不能晚于今天（%s）",
			       today);
	const char *z = note ? note : "";
	long chars = utf8_text_chars(z, 0);
	if (chars < 0)
		return err_set(e, 400, "invalid_value", "note", "备注含有无效字符");
	if (chars > NOTE_CHARS)
		return err_set(e, 400, "invalid_value", "note", "备注最多 %d 个字", NOTE_CHARS);

	if (db_begin_write(db, e) < 0)
		return -1;
	int64_t generated = -1;
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM price_subsidies WHERE month = ?", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, month);
	if (db_step(st, e) == 1)
		generated = db_col_int(st, 0);
	db_done(st);
	if (generated < 0)
		goto fail;
	if (generated > 0) {
		err_set(e, 409, "month_generated", "month",
			"%s 的价格临时补贴已生成（%lld 人），指数不能再修改", month,
			(long long)generated);
		goto fail;
	}
	clock_now_iso(at);
	st = db_prepare(db, "INSERT INTO price_indices(month, cpi_bp, food_cpi_bp, published_on, "
			    "note, set_by, set_at) VALUES (?,?,?,?,?,?,?)", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, month);
	db_bind_int(st, 2, cpi_bp);
	db_bind_int(st, 3, food_cpi_bp);
	db_bind_text(st, 4, published_on);
	db_bind_text(st, 5, z);
	db_bind_text(st, 6, a->username);
	db_bind_text(st, 7, at);
	if (db_run(st, e) < 0)
		goto fail;
	int64_t new_id = db_last_id(db);
	json_t *d = json_pack("{s:s, s:i, s:i, s:s, s:s}", "month", month, "cpi_bp", cpi_bp,
			      "food_cpi_bp", food_cpi_bp, "published_on", published_on, "note", z);
	char *text = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(d);
	if (!text) {
		err_oom(e);
		goto fail;
	}
	text_copy(detail, sizeof detail, text);
	free(text);
	snprintf(object, sizeof object, "price_index:%s", month);
	if (audit_append(db, a, "price.index", object, "ok", detail, e) < 0)
		goto fail;
	if (db_commit(db, e) < 0)
		return -1;
	if (id)
		*id = new_id;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* subsidy state (shared by the month figures and the list)                                   */
/* ------------------------------------------------------------------------------------------ */

/* The latest payment of subsidy s (normal or re-issue: same program and case_id = −s.id). */
#define LATEST_JOIN                                                                            \
	" LEFT JOIN payments x ON x.id = (SELECT max(y.id) FROM payments y "                    \
	"WHERE y.program = 'price_subsidy' AND y.case_id = -s.id) "                             \
	"LEFT JOIN payroll_runs pr ON pr.id = x.run_id "
#define STATE_SQL                                                                              \
	"(CASE WHEN x.id IS NULL THEN 'unpaid' WHEN x.status = 'reissued' THEN 'failed' "       \
	"ELSE x.status END)"
#define HAS_ACCOUNT_SQL                                                                        \
	"(s.bank_account <> '' OR EXISTS (SELECT 1 FROM price_accounts pa "                    \
	"WHERE pa.person_id = s.person_id))"

/* ------------------------------------------------------------------------------------------ */
/* months                                                                                     */
/* ------------------------------------------------------------------------------------------ */

void price_months_release(struct price_month *m, int n)
{
	for (int i = 0; m && i < n; i++)
		free(m[i].history);
	free(m);
}

static int month_index_of(struct price_month *m, int n, const char *month)
{
	for (int i = 0; i < n; i++)
		if (strcmp(m[i].idx.month, month) == 0)
			return i;
	return -1;
}

int price_months(struct db *db, const struct actor *a, struct price_month **out, int *n,
		 struct err *e)
{
	struct price_month *m = NULL;
	int nm = 0, alloc = 0, rc = -1;
	char city[16], today[11];
	struct strbuf sql = STRBUF_INIT;
	*out = NULL;
	*n = 0;
	if (!actor_can(a, PERM_POLICY_READ))
		return err_set(e, 403, "forbidden", NULL, "您没有查看价格指数的权限");
	if (city_code(db, city, e) < 0)
		return -1;
	clock_today(today);
	int began = begin_read(db, e);
	if (began < 0)
		return -1;
	/* every row, newest month first, newest row first: the first of a month is in force */
	struct db_stmt *st = db_prepare(db, "SELECT " INDEX_COLS " FROM price_indices "
					    "ORDER BY month DESC, id DESC", e);
	if (!st)
		goto out;
	int r;
	while ((r = db_step(st, e)) == 1) {
		struct price_index x;
		index_from(st, &x);
		int i = nm ? (strcmp(m[nm - 1].idx.month, x.month) == 0 ? nm - 1 : -1) : -1;
		if (i < 0) {
			if (array_grow(&m, nm, &alloc, sizeof *m, 16) < 0) {
				r = err_oom(e);
				break;
			}
			i = nm++;
			memset(&m[i], 0, sizeof m[i]);
			m[i].idx = x;
		}
		struct price_month *pm = &m[i];
		struct price_index *h = realloc(pm->history, (size_t)(pm->nhistory + 1) * sizeof *h);
		if (!h) {
			r = err_oom(e);
			break;
		}
		pm->history = h;
		pm->history[pm->nhistory++] = x;
	}
	db_done(st);
	if (r < 0)
		goto out;
	/* the city's decision for each month */
	for (int i = 0; i < nm; i++) {
		struct price_params p;
		struct err ignore;
		err_clear(&ignore);
		if (!city[0] || price_params_load(db, city, m[i].idx.month, &p, &ignore) < 0) {
			if (ignore.status >= 500) { /* a database error, not a city without them */
				*e = ignore;
				goto out;
			}
			continue;
		}
		m[i].city_params_ok = 1;
		price_rules_trigger(&p, m[i].idx.cpi_bp, m[i].idx.food_cpi_bp, &m[i].city);
		err_clear(&ignore);
		if (calendar_add_working_days(db, m[i].idx.published_on, p.due_working_days,
					      m[i].due_on, &ignore) < 0) {
			if (ignore.status >= 500) {
				*e = ignore;
				goto out;
			}
			m[i].due_on[0] = '\0';
		}
	}
	/* the figures in scope, by month, state, lateness and account */
	if (strbuf_addstr(&sql, "SELECT s.month, " STATE_SQL " AS state, s.due_on < ? AS overdue, "
				HAS_ACCOUNT_SQL ", count(*), sum(s.amount_fen) "
				"FROM price_subsidies s" LATEST_JOIN "WHERE ") < 0 ||
	    scope_sql(&sql, &a->scope, "s.region_code") < 0 ||
	    strbuf_addstr(&sql, " GROUP BY 1, 2, 3, 4") < 0) {
		err_oom(e);
		goto out;
	}
	st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	db_bind_text(st, 1, today);
	scope_bind(st, &a->scope, 2);
	while ((r = db_step(st, e)) == 1) {
		int i = month_index_of(m, nm, db_col_text(st, 0));
		if (i < 0)
			continue;
		struct price_month *pm = &m[i];
		const char *state = db_col_text(st, 1);
		int overdue = (int)db_col_int(st, 2), account = (int)db_col_int(st, 3);
		int64_t cnt = db_col_int(st, 4), fen = db_col_int(st, 5);
		pm->generated += cnt;
		pm->generated_fen += fen;
		if (strcmp(state, "paid") == 0) {
			pm->paid += cnt;
			pm->paid_fen += fen;
			continue;
		}
		if (strcmp(state, "pending") == 0)
			pm->pending += cnt;
		else if (strcmp(state, "failed") == 0)
			pm->failed += cnt;
		else {
			pm->unpaid += cnt;
			if (!account)
				pm->no_account += cnt;
		}
		if (overdue) {
			pm->late += cnt;
			pm->late_fen += fen;
		}
	}
	db_done(st);
	if (r < 0)
		goto out;
	rc = 0;
out:
	end_read(db, began);
	strbuf_release(&sql);
	if (rc < 0) {
		price_months_release(m, nm);
		return -1;
	}
	*out = m;
	*n = nm;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* generation                                                                                 */
/* ------------------------------------------------------------------------------------------ */

struct gunit {
	char code[16];
	struct price_params p;
	int params_ok;
	struct price_trigger t;
	char why[160];
	char due[11];
	int64_t added, added_fen, existing;
};

struct cand {
	int64_t person, household;
	char region[16];
	int unit;	  /* index into gen.units */
	unsigned groups;
	int64_t payee;	  /* offset into gen.pool of "name\0bank\0account\0", -1 none */
};

struct gen {
	struct db *db;
	const char *month;
	struct gunit *units;
	int nunits, last;
	struct cand *c;
	int nc, alloc;
	char *pool;
	size_t npool, apool;
	struct err *e;
	int rc;
};

static int unit_find(struct gen *g, const char *code)
{
	if (g->last >= 0 && strcmp(g->units[g->last].code, code) == 0)
		return g->last;
	for (int i = 0; i < g->nunits; i++)
		if (strcmp(g->units[i].code, code) == 0)
			return g->last = i;
	return -1;
}

static int64_t pool_add(struct gen *g, const char *name, const char *bank, const char *acct)
{
	size_t a = strlen(name) + 1, b = strlen(bank) + 1, c = strlen(acct) + 1;
	if (g->npool + a + b + c > g->apool) {
		size_t n = g->apool ? g->apool * 2 : 1 << 16;
		while (n < g->npool + a + b + c)
			n *= 2;
		char *p = realloc(g->pool, n);
		if (!p)
			return -2;
		g->pool = p;
		g->apool = n;
	}
	int64_t off = (int64_t)g->npool;
	memcpy(g->pool + g->npool, name, a);
	memcpy(g->pool + g->npool + a, bank, b);
	memcpy(g->pool + g->npool + a + b, acct, c);
	g->npool += a + b + c;
	return off;
}

static int cand_add(struct gen *g, int64_t person, int64_t household, const char *region,
		    int unit, unsigned groups, int64_t payee)
{
	if (array_grow(&g->c, g->nc, &g->alloc, sizeof *g->c, 4096) < 0)
		return err_oom(g->e);
	struct cand *c = &g->c[g->nc++];
	c->person = person;
	c->household = household;
	text_copy(c->region, sizeof c->region, region);
	c->unit = unit;
	c->groups = groups;
	c->payee = payee;
	return 0;
}

static unsigned program_group(const char *program)
{
	if (strcmp(program, ASSISTANCE_DIBAO) == 0)
		return PRICE_G_DIBAO;
	if (strcmp(program, ASSISTANCE_TEKUN) == 0)
		return PRICE_G_TEKUN;
	if (strcmp(program, ASSISTANCE_ORPHAN) == 0)
		return PRICE_G_ORPHAN;
	if (strcmp(program, ASSISTANCE_UNSUPPORTED_CHILD) == 0)
		return PRICE_G_UNSUPPORTED_CHILD;
	return 0;
}

/* Step 2a: the persons of one entitlement. */
static int on_entitlement(const struct assistance_entitlement *ent, void *ctx)
{
	struct gen *g = ctx;
	int u = unit_find(g, ent->unit_code);
	unsigned bit = program_group(ent->program);
	if (u < 0 || !g->units[u].t.triggered || !(g->units[u].p.groups & bit))
		return 0;
	int64_t payee = pool_add(g, ent->payee_name, ent->bank_name, ent->bank_account);
	if (payee < -1) {
		g->rc = err_oom(g->e);
		return 1;
	}
	for (int i = 0; i < ent->n_persons && i < ASSISTANCE_MAX_MEMBERS; i++)
		if (cand_add(g, ent->person_ids[i], ent->household_id, ent->region_code, u, bit,
			     payee) < 0) {
			g->rc = -1;
			return 1;
		}
	return 0;
}

/* Step 2b: the active persons carrying one eligible tag, in scope (not dead before the month). */
static int tagged(struct gen *g, const struct scope *scope, int group)
{
	unsigned bit = 1u << group;
	int any = 0;
	for (int i = 0; i < g->nunits && !any; i++)
		any = g->units[i].t.triggered && (g->units[i].p.groups & bit);
	if (!any)
		return 0;
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT p.id, coalesce(p.household_id, 0), p.region_code, "
				"coalesce(r.unit_code, '') FROM person_tags t JOIN persons p ON "
				"p.id = t.person_id LEFT JOIN regions r ON r.code = p.region_code "
				"WHERE t.tag = ? AND p.status = 'active' AND NOT EXISTS (SELECT 1 FROM "
				"crosscheck_deaths xd WHERE xd.person_id = p.id AND xd.died_on < ?) AND ") < 0 ||
	    scope_sql(&sql, scope, "t.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(g->e);
	}
	struct db_stmt *st = db_prepare(g->db, strbuf_str(&sql), g->e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	/* a person whose death the cross-check recorded before the month is not a recipient */
	char first[16];
	snprintf(first, sizeof first, "%.7s-01", g->month);
	db_bind_text(st, 1, price_group_name(group));
	db_bind_text(st, 2, first);
	scope_bind(st, scope, 3);
	int rc;
	while ((rc = db_step(st, g->e)) == 1) {
		int u = unit_find(g, db_col_text(st, 3));
		if (u < 0 || !g->units[u].t.triggered || !(g->units[u].p.groups & bit))
			continue;
		if (cand_add(g, db_col_int(st, 0), db_col_int(st, 1), db_col_text(st, 2), u, bit,
			     -1) < 0) {
			rc = -1;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int cmp_cand(const void *x, const void *y)
{
	const struct cand *a = x, *b = y;
	if (a->person != b->person)
		return a->person < b->person ? -1 : 1;
	/* a roll's entry (with its payee) first: it decides unit, village and payee */
	if ((a->payee >= 0) != (b->payee >= 0))
		return a->payee >= 0 ? -1 : 1;
	return 0;
}

#define INSERT_SUBSIDY                                                                         \
	"INSERT INTO price_subsidies(month, person_id, household_id, region_code, unit_code, "  \
	"residence_type, groups, index_id, basis, rise_bp, multiplier_bp, standard_fen, "       \
	"standard_per, rounding_fen, min_fen, amount_fen, due_on, payee_name, bank_name, "      \
	"bank_account, generated_at, generated_by) "                                            \
	"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "                                  \
	"ON CONFLICT (month, person_id) DO NOTHING"

static void unit_why(struct gunit *u)
{
	snprintf(u->why, sizeof u->why, "%s", u->t.why);
}

json_t *price_generate_json(const struct price_generate_result *r)
{
	json_t *units = json_array();
	for (int i = 0; units && i < r->nunits; i++) {
		const struct price_generate_unit *u = &r->units[i];
		json_array_append_new(
		    units, json_pack("{s:s, s:b, s:s, s:s, s:i, s:s, s:I, s:I, s:I}", "unit_code",
				     u->unit_code, "triggered", u->triggered, "why", u->why,
				     "basis", u->trig.basis == PRICE_BASIS_FOOD ? "food_cpi" : "cpi",
				     "rise_bp", u->trig.rise_bp, "due_on", u->due_on, "added",
				     (json_int_t)u->added, "added_fen", (json_int_t)u->added_fen,
				     "existing", (json_int_t)u->existing));
	}
	return json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "month", r->month, "index_id",
			 (json_int_t)r->index_id, "eligible", (json_int_t)r->eligible, "added",
			 (json_int_t)r->added, "added_fen", (json_int_t)r->added_fen, "existing",
			 (json_int_t)r->existing, "no_account", (json_int_t)r->no_account, "units",
			 units ? units : json_array());
}

/* Steps 3 and 4: merge by person, compute, insert. */
static int write_subsidies(struct gen *g, const struct actor *a, const struct price_index *idx,
			   struct price_generate_result *out,
			   void (*progress)(void *ctx, int64_t done), void *pctx)
{
	char at[32], groups_text[96];
	struct db *db = g->db;
	struct err *e = g->e;
	clock_now_iso(at);
	if (g->nc > 1)
		qsort(g->c, (size_t)g->nc, sizeof *g->c, cmp_cand);
	struct db_stmt *hh = db_prepare(db, "SELECT residence_type FROM households WHERE id = ?", e);
	if (!hh)
		return -1;
	/* prepared once: db_prepare's cache lookup hashes the text, per row a tenth of the cost */
	struct db_stmt *st = db_prepare(db, INSERT_SUBSIDY, e);
	if (!st)
		return -1;
	for (int i = 0; i < g->nc;) {
		int j = i;
		unsigned groups = 0;
		while (j < g->nc && g->c[j].person == g->c[i].person)
			groups |= g->c[j++].groups;
		const struct cand *c = &g->c[i]; /* the roll's entry when there is one */
		i = j;
		if (progress && out->eligible % 20000 == 0)
			progress(pctx, out->eligible);
		struct gunit *u = &g->units[c->unit];
		db_bind_int(hh, 1, c->household);
		int r = db_step(hh, e);
		char res[8] = "";
		if (r == 1)
			text_copy(res, sizeof res, db_col_text(hh, 0));
		db_done(hh);
		if (r < 0)
			return -1;
		if (r == 0)
			continue; /* no household: no residence type to compute with */
		int urban = strcmp(res, "urban") == 0;
		struct price_amount am;
		if (price_rules_amount(&u->p, urban, u->t.rise_bp, &am) <= 0)
			continue;
		out->eligible++;
		const char *name = "", *bank = "", *acct = "";
		if (c->payee >= 0) {
			name = g->pool + c->payee;
			bank = name + strlen(name) + 1;
			acct = bank + strlen(bank) + 1;
		}
		price_groups_text(groups, groups_text, sizeof groups_text);
		db_bind_text(st, 1, g->month);
		db_bind_int(st, 2, c->person);
		db_bind_int(st, 3, c->household);
		db_bind_text(st, 4, c->region);
		db_bind_text(st, 5, u->code);
		db_bind_text(st, 6, urban ? "urban" : "rural");
		db_bind_text(st, 7, groups_text);
		db_bind_int(st, 8, idx->id);
		db_bind_text(st, 9, u->t.basis == PRICE_BASIS_FOOD ? "food_cpi" : "cpi");
		db_bind_int(st, 10, u->t.rise_bp);
		db_bind_int(st, 11, u->p.multiplier_bp);
		db_bind_int(st, 12, am.standard_fen);
		db_bind_text(st, 13, am.per_year ? "year" : "month");
		db_bind_int(st, 14, u->p.rounding_fen);
		db_bind_int(st, 15, u->p.min_fen);
		db_bind_int(st, 16, am.amount_fen);
		db_bind_text(st, 17, u->due);
		db_bind_text(st, 18, name);
		db_bind_text(st, 19, bank);
		db_bind_text(st, 20, acct);
		db_bind_text(st, 21, at);
		db_bind_text(st, 22, a->username);
		if (db_run(st, e) < 0)
			return -1;
		if (db_changes(db) == 0) {
			u->existing++;
			out->existing++;
			continue;
		}
		u->added++;
		u->added_fen += am.amount_fen;
		out->added++;
		out->added_fen += am.amount_fen;
		if (!acct[0])
			out->no_account++;
	}
	return 0;
}

int price_generate(struct db *db, const struct actor *a, const char *month,
		   void (*progress)(void *ctx, int64_t done), void *pctx,
		   struct price_generate_result *out, struct err *e)
{
	char codes[MAX_UNITS][16];
	struct price_index idx;
	int n = 0;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_PAYROLL))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权生成价格临时补贴");
	if (!month || !month[0])
		return err_set(e, 400, "required", "month", "请填写补贴所属月份（YYYY-MM）");
	if (!price_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03：%.16s",
			       month);
	text_copy(out->month, sizeof out->month, month);
	int found = price_index_get(db, month, &idx, e);
	if (found < 0)
		return -1;
	if (!found)
		return err_set(e, 404, "index_missing", "month", "%s 的价格指数尚未录入", month);
	out->index_id = idx.id;
	if (payroll_units(db, a, codes, MAX_UNITS, &n, e) < 0)
		return -1;
	if (n == 0)
		return err_set(e, 404, "not_found", NULL, "您的管辖范围内没有可发放的管理单位");

	struct gen g = {.db = db, .month = month, .nunits = n, .last = -1, .e = e};
	if (!(g.units = calloc((size_t)n, sizeof *g.units)))
		return err_oom(e);
	int triggered = 0, rc = -1;
	const char *why = "";
	for (int i = 0; i < n; i++) {
		struct gunit *u = &g.units[i];
		text_copy(u->code, sizeof u->code, codes[i]);
		if (price_params_load(db, u->code, month, &u->p, e) < 0)
			goto out;
		price_rules_trigger(&u->p, idx.cpi_bp, idx.food_cpi_bp, &u->t);
		unit_why(u);
		if (!u->t.triggered) {
			why = u->t.why;
			continue;
		}
		if (calendar_add_working_days(db, idx.published_on, u->p.due_working_days, u->due, e) < 0)
			goto out;
		triggered++;
	}
	if (!triggered) {
		err_set(e, 409, "not_triggered", "month", "%s 不启动价格临时补贴：%s（CPI %d.%02d%%，食品 "
			"CPI %d.%02d%%）", month, why, idx.cpi_bp / 100, abs(idx.cpi_bp % 100),
			idx.food_cpi_bp / 100, abs(idx.food_cpi_bp % 100));
		goto out;
	}
	if (db_begin_write(db, e) < 0)
		goto out;
	if (assistance_entitlements(db, &a->scope, month, on_entitlement, &g, e) < 0 || g.rc < 0)
		goto rollback;
	for (int k = 0; k < PRICE_NGROUPS; k++) {
		unsigned bit = 1u << k;
		if (bit == PRICE_G_DIBAO || bit == PRICE_G_TEKUN)
			continue; /* rolls only: there is no such tag */
		if (tagged(&g, &a->scope, k) < 0)
			goto rollback;
	}
	if (write_subsidies(&g, a, &idx, out, progress, pctx) < 0)
		goto rollback;
	char detail[300], object[48];
	snprintf(detail, sizeof detail,
		 "{\"month\":\"%s\",\"index_id\":%lld,\"units\":%d,\"eligible\":%lld,\"added\":%lld,"
		 "\"added_fen\":%lld,\"existing\":%lld}",
		 month, (long long)idx.id, triggered, (long long)out->eligible,
		 (long long)out->added, (long long)out->added_fen, (long long)out->existing);
	snprintf(object, sizeof object, "price_month:%s", month);
	if (audit_append(db, a, "price.generate", object, "ok", detail, e) < 0)
		goto rollback;
	if (db_commit(db, e) < 0)
		goto out;
	out->nunits = n;
	for (int i = 0; i < n; i++) {
		struct price_generate_unit *r = &out->units[i];
		const struct gunit *u = &g.units[i];
		text_copy(r->unit_code, sizeof r->unit_code, u->code);
		r->triggered = u->t.triggered;
		text_copy(r->why, sizeof r->why, u->why);
		r->trig = u->t;
		r->trig.why = "";
		text_copy(r->due_on, sizeof r->due_on, u->due);
		r->added = u->added;
		r->added_fen = u->added_fen;
		r->existing = u->existing;
	}
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	free(g.units);
	free(g.c);
	free(g.pool);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* what the payroll pays                                                                      */
/* ------------------------------------------------------------------------------------------ */

int price_payables_unit(struct db *db, const char *unit_code, const char *run_month,
			int (*fn)(const struct price_payable *p, void *ctx), void *ctx,
			struct err *e)
{
	/* price_accounts first (recorded for the person), else the roll's account snapshot */
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT s.id, s.month, s.person_id, s.household_id, s.region_code, s.unit_code, "
	    "s.amount_fen, CASE WHEN pa.person_id IS NOT NULL THEN pa.payee_name ELSE s.payee_name "
	    "END, CASE WHEN pa.person_id IS NOT NULL THEN pa.bank_name ELSE s.bank_name END, "
	    "CASE WHEN pa.person_id IS NOT NULL THEN pa.bank_account ELSE s.bank_account END "
	    "FROM price_subsidies s LEFT JOIN price_accounts pa ON pa.person_id = s.person_id "
	    "WHERE s.unit_code = ? AND s.month <= ? AND (pa.person_id IS NOT NULL OR "
	    "s.bank_account <> '') AND NOT EXISTS (SELECT 1 FROM payments p WHERE "
	    "p.month = s.month AND p.program = 'price_subsidy' AND p.case_id = -s.id AND "
	    "p.reissue_of IS NULL) ORDER BY s.region_code, s.id",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, unit_code);
	db_bind_text(st, 2, run_month);
	int rc, stop = 0;
	struct price_payable p;
	while ((rc = db_step(st, e)) == 1) {
		memset(&p, 0, sizeof p);
		p.subsidy_id = db_col_int(st, 0);
		text_copy(p.month, sizeof p.month, db_col_text(st, 1));
		p.person_id = db_col_int(st, 2);
		p.household_id = db_col_int(st, 3);
		text_copy(p.region_code, sizeof p.region_code, db_col_text(st, 4));
		text_copy(p.unit_code, sizeof p.unit_code, db_col_text(st, 5));
		p.amount_fen = db_col_int(st, 6);
		text_copy(p.payee_name, sizeof p.payee_name, db_col_text(st, 7));
		text_copy(p.bank_name, sizeof p.bank_name, db_col_text(st, 8));
		text_copy(p.bank_account, sizeof p.bank_account, db_col_text(st, 9));
		if ((stop = fn(&p, ctx)) != 0)
			break;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return stop;
}

/* ------------------------------------------------------------------------------------------ */
/* the list                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static int digits_only(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n > max)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The inner SELECT of the list: every subsidy in scope with its state. Numbered binds: ?1 the
 * state filter (used by LIST_FILTER, after it), ?2 as_of, ?3 month, ?4 unit, ?5/?6 the region
 * range; the scope's plain '?' then number from 7 on, and LIMIT/OFFSET follow. */
static int list_inner(struct strbuf *sb, const struct actor *a)
{
	int rc = strbuf_addstr(
	    sb, "SELECT s.id, s.month, s.person_id, s.household_id, coalesce(p.name, '') AS name, "
		"coalesce(p.id_number, '') AS id_number, s.region_code, "
		"coalesce(rg.name, '') AS region_name, s.unit_code, s.residence_type, s.groups, "
		"s.basis, s.rise_bp, s.multiplier_bp, s.standard_fen, s.standard_per, "
		"s.rounding_fen, s.min_fen, s.amount_fen, s.due_on, " STATE_SQL " AS state, "
		HAS_ACCOUNT_SQL " AS has_account, coalesce(x.id, 0) AS payment_id, "
		"coalesce(pr.month, '') AS paid_month, "
		"CASE WHEN x.status = 'paid' THEN substr(pr.confirmed_at, 1, 10) ELSE '' END "
		"AS paid_on, s.due_on < ?2 AS overdue "
		"FROM price_subsidies s LEFT JOIN persons p ON p.id = s.person_id "
		"LEFT JOIN regions rg ON rg.code = s.region_code" LATEST_JOIN
		"WHERE (?3 = '' OR s.month = ?3) AND (?4 = '' OR s.unit_code = ?4) "
		"AND s.region_code >= ?5 AND s.region_code < ?6 AND ");
	rc |= scope_sql(sb, &a->scope, "s.region_code");
	return rc < 0 ? -1 : 0;
}

#define LIST_FILTER                                                                            \
	" WHERE (?1 = '' OR (?1 = 'late' AND overdue AND state <> 'paid') OR "                  \
	"(?1 = 'no_account' AND state = 'unpaid' AND NOT has_account) OR state = ?1)"

int price_subsidies(struct db *db, const struct actor *a, const struct price_subsidy_query *q,
		    struct price_subsidy_page *out, struct err *e)
{
	static const char *const states[] = {"unpaid", "pending", "paid", "failed", "late",
					     "no_account"};
	char as_of[11];
	int limit = q->limit ? q->limit : 50, rc = -1;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_ASSISTANCE_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看价格临时补贴");
	if (limit < 1 || limit > 500)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–500");
	if (q->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	if (q->month[0] && !price_month_valid(q->month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03");
	if (q->unit[0] && !digits_only(q->unit, 15))
		return err_set(e, 400, "invalid_value", "unit", "管理单位代码应为数字");
	if (q->region[0] && !digits_only(q->region, 12))
		return err_set(e, 400, "invalid_value", "region", "区划代码应为数字，最长 12 位");
	if (q->region[0] && !scope_overlaps(&a->scope, q->region))
		return err_set(e, 404, "not_found", "region", "该区划不存在或不在您的管辖范围内");
	int known = !q->state[0];
	for (size_t i = 0; !known && i < sizeof states / sizeof states[0]; i++)
		known = strcmp(q->state, states[i]) == 0;
	if (!known)
		return err_set(e, 400, "invalid_value", "state",
			       "state 应为 unpaid、pending、paid、failed、late 或 no_account");
	if (q->as_of[0] && !price_date_valid(q->as_of))
		return err_set(e, 400, "invalid_value", "as_of", "日期应为 YYYY-MM-DD");
	if (q->as_of[0])
		text_copy(as_of, sizeof as_of, q->as_of);
	else
		clock_today(as_of);

	struct strbuf inner = STRBUF_INIT, sql = STRBUF_INIT;
	if (list_inner(&inner, a) < 0 ||
	    strbuf_addstr(&sql, "SELECT count(*), coalesce(sum(amount_fen), 0) FROM (") < 0 ||
	    strbuf_addstr(&sql, strbuf_str(&inner)) < 0 || strbuf_addstr(&sql, ")" LIST_FILTER) < 0) {
		err_oom(e);
		goto done;
	}
	int began = begin_read(db, e);
	if (began < 0)
		goto done;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			strbuf_reset(&sql);
			if (strbuf_addstr(&sql, "SELECT * FROM (") < 0 ||
			    strbuf_addstr(&sql, strbuf_str(&inner)) < 0 ||
			    strbuf_addstr(&sql, ")" LIST_FILTER " ORDER BY month, region_code, id "
						"LIMIT ? OFFSET ?") < 0) {
				err_oom(e);
				break;
			}
		}
		struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
		if (!st)
			break;
		db_bind_text(st, 1, q->state);
		db_bind_text(st, 2, as_of);
		db_bind_text(st, 3, q->month);
		db_bind_text(st, 4, q->unit);
		int next = scope_bind_prefix(st, q->region, 5);
		next = scope_bind(st, &a->scope, next);
		int r;
		if (pass == 0) {
			r = db_step(st, e);
			if (r == 1) {
				out->total = db_col_int(st, 0);
				out->total_fen = db_col_int(st, 1);
			}
			db_done(st);
			if (r < 0)
				break;
			continue;
		}
		db_bind_int(st, next, limit);
		db_bind_int(st, next + 1, q->offset);
		int alloc = 0;
		while ((r = db_step(st, e)) == 1) {
			if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 32) < 0) {
				r = err_oom(e);
				break;
			}
			struct price_subsidy *s = &out->items[out->n++];
			memset(s, 0, sizeof *s);
			s->id = db_col_int(st, 0);
			text_copy(s->month, sizeof s->month, db_col_text(st, 1));
			s->person_id = db_col_int(st, 2);
			s->household_id = db_col_int(st, 3);
			text_copy(s->name, sizeof s->name, db_col_text(st, 4));
			if (db_col_text(st, 5)[0])
				idnum_mask(db_col_text(st, 5), s->id_number_masked);
			text_copy(s->region_code, sizeof s->region_code, db_col_text(st, 6));
			text_copy(s->region_name, sizeof s->region_name, db_col_text(st, 7));
			text_copy(s->unit_code, sizeof s->unit_code, db_col_text(st, 8));
			text_copy(s->residence_type, sizeof s->residence_type, db_col_text(st, 9));
			text_copy(s->groups, sizeof s->groups, db_col_text(st, 10));
			text_copy(s->basis, sizeof s->basis, db_col_text(st, 11));
			s->rise_bp = (int)db_col_int(st, 12);
			s->multiplier_bp = (int)db_col_int(st, 13);
			s->standard_fen = db_col_int(st, 14);
			s->per_year = strcmp(db_col_text(st, 15), "year") == 0;
			s->rounding_fen = db_col_int(st, 16);
			s->min_fen = db_col_int(st, 17);
			s->amount_fen = db_col_int(st, 18);
			text_copy(s->due_on, sizeof s->due_on, db_col_text(st, 19));
			text_copy(s->state, sizeof s->state, db_col_text(st, 20));
			s->has_account = (int)db_col_int(st, 21);
			s->payment_id = db_col_int(st, 22);
			text_copy(s->paid_month, sizeof s->paid_month, db_col_text(st, 23));
			text_copy(s->paid_on, sizeof s->paid_on, db_col_text(st, 24));
			s->late = db_col_int(st, 25) && strcmp(s->state, "paid") != 0;
			s->paid_late = strcmp(s->state, "paid") == 0 && s->paid_on[0] &&
				       strcmp(s->paid_on, s->due_on) > 0;
		}
		db_done(st);
		if (r < 0)
			break;
		rc = 0;
	}
	end_read(db, began);
done:
	strbuf_release(&inner);
	strbuf_release(&sql);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* accounts                                                                                   */
/* ------------------------------------------------------------------------------------------ */

int price_account_set(struct db *db, const struct actor *a, int64_t person_id,
		      const char *payee_name, const char *bank_name, const char *bank_account,
		      struct err *e)
{
	char acct[40], name[256], region[16], at[32], object[48], detail[512];
	size_t n = 0;
	if (!actor_can(a, PERM_ASSISTANCE_WRITE))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权登记收款账户");
	for (const char *p = bank_account ? bank_account : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (*p < '0' || *p > '9' || n + 1 >= sizeof acct)
			return err_set(e, 400, "invalid_value", "bank_account", "账号应为 8–32 位数字");
		acct[n++] = *p;
	}
	acct[n] = '\0';
	if (n == 0)
		return err_set(e, 400, "required", "bank_account", "请填写收款账号");
	if (n < 8 || n > 32)
		return err_set(e, 400, "invalid_value", "bank_account", "账号应为 8–32 位数字");
	long bn = utf8_text_chars(bank_name ? bank_name : "", 0);
	if (!bank_name || !bank_name[0])
		return err_set(e, 400, "required", "bank_name", "请填写开户行（如 社会保障卡·农商银行）");
	if (bn < 0 || bn > 60)
		return err_set(e, 400, "invalid_value", "bank_name", "开户行最多 60 个字");
	long pn = utf8_text_chars(payee_name ? payee_name : "", 0);
	if (pn < 0 || pn > 60)
		return err_set(e, 400, "invalid_value", "payee_name", "户名最多 60 个字");

	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT name, region_code, status FROM persons "
					    "WHERE id = ?", e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, person_id);
	int rc = db_step(st, e), active = 0;
	if (rc == 1) {
		text_copy(name, sizeof name, db_col_text(st, 0));
		text_copy(region, sizeof region, db_col_text(st, 1));
		active = strcmp(db_col_text(st, 2), "active") == 0;
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	if (rc == 0 || !active || !scope_contains(&a->scope, region)) {
		err_set(e, 404, "not_found", "person_id", "人员不存在，或不在您的管辖范围内");
		goto fail;
	}
	clock_now_iso(at);
	st = db_prepare(db, "INSERT INTO price_accounts(person_id, payee_name, bank_name, "
			    "bank_account, set_by, set_at) VALUES (?,?,?,?,?,?) "
			    "ON CONFLICT (person_id) DO UPDATE SET payee_name = excluded.payee_name, "
			    "bank_name = excluded.bank_name, bank_account = excluded.bank_account, "
			    "set_by = excluded.set_by, set_at = excluded.set_at", e);
	if (!st)
		goto fail;
	const char *payee = payee_name && payee_name[0] ? payee_name : name;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, payee);
	db_bind_text(st, 3, bank_name);
	db_bind_text(st, 4, acct);
	db_bind_text(st, 5, a->username);
	db_bind_text(st, 6, at);
	if (db_run(st, e) < 0)
		goto fail;
	json_t *d = json_pack("{s:s, s:s, s:s}", "payee_name", payee, "bank_name", bank_name,
			      "account_last4", acct + n - 4);
	char *text = d ? json_dumps(d, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(d);
	if (!text) {
		err_oom(e);
		goto fail;
	}
	text_copy(detail, sizeof detail, text);
	free(text);
	snprintf(object, sizeof object, "person:%lld", (long long)person_id);
	if (audit_append(db, a, "price.account", object, "ok", detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
