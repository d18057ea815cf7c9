/* registry_store.c — the registry's SQL: households, persons, incomes, tags, history.
 *
 * How it works:
 * - Every read of scoped rows goes through scope_prepare(), which appends scope_sql() for the
 *   row's region_code, so a row outside the caller's scope is simply not found (404: existence
 *   is never revealed). The one deliberate exception is the ID-number lookup before an insert:
 *   an ID is unique in the whole city, so the lookup is global, and what the caller is told
 *   about a hit outside their scope is cut down to the county (see duplicate_error()).
 * - Every write is one BEGIN IMMEDIATE transaction: checks, changes, history and the audit row,
 *   then COMMIT; any error rolls the whole thing back, so a rejected request changes nothing and
 *   leaves no audit row.
 * - Invariants kept here: persons.region_code (and person_tags.region_code) always equals the
 *   household's region_code; a household with active members has exactly one head and
 *   households.head_person_id names it (0 members ⇔ no head); persons.id_rev is id_number
 *   reversed, so "last 4–6 characters" is a prefix range on an index; monthly_income_fen is the
 *   sum of the person's income items.
 * - A removed person keeps their row (status 'removed', last household kept); registering the
 *   same ID again re-attaches that row ("restored" in the history) instead of a duplicate.
 */
#include "registry/registry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"

#define PERSON_COLS                                                                            \
	"p.id, p.household_id, p.region_code, p.id_number, p.name, p.relation, p.sex, "      \
	"p.birth_date, p.phone, p.disability_grade, p.serious_illness, p.labour_capacity, "  \
	"p.monthly_income_fen, p.status, p.created_at, p.updated_at"

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在或不在您的管辖范围内", what);
}

/* Begin a read transaction unless one is open (so several SELECTs see one snapshot).
 * Returns 1 when it began one (the caller ends it with end_read), 0 when not, -1 on error. */
static int begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

static void end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db); /* nothing was written; ending a read this way cannot fail */
}

static void person_from_row(struct db_stmt *st, struct registry_person *p)
{
	memset(p, 0, sizeof *p);
	p->id = db_col_int(st, 0);
	p->household_id = db_col_int(st, 1);
	text_copy(p->region_code, sizeof p->region_code, db_col_text(st, 2));
	text_copy(p->id_number, sizeof p->id_number, db_col_text(st, 3));
	text_copy(p->name, sizeof p->name, db_col_text(st, 4));
	text_copy(p->relation, sizeof p->relation, db_col_text(st, 5));
	text_copy(p->sex, sizeof p->sex, db_col_text(st, 6));
	text_copy(p->birth_date, sizeof p->birth_date, db_col_text(st, 7));
	text_copy(p->phone, sizeof p->phone, db_col_text(st, 8));
	p->disability_grade = (int)db_col_int(st, 9);
	p->serious_illness = db_col_int(st, 10) != 0;
	text_copy(p->labour_capacity, sizeof p->labour_capacity, db_col_text(st, 11));
	p->monthly_income_fen = db_col_int(st, 12);
	text_copy(p->status, sizeof p->status, db_col_text(st, 13));
	text_copy(p->created_at, sizeof p->created_at, db_col_text(st, 14));
	text_copy(p->updated_at, sizeof p->updated_at, db_col_text(st, 15));
}

/* Income items and tags of a person already loaded (and scope-checked) by id. */
static int person_load_extras(struct db *db, struct registry_person *p, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT type, amount_fen FROM person_incomes WHERE person_id = ? "
					"ORDER BY type, amount_fen DESC",
					e);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	p->n_income = 0;
	while ((rc = db_step(st, e)) == 1 && p->n_income < REGISTRY_MAX_INCOME) {
		struct registry_income *it = &p->income[p->n_income++];
		text_copy(it->type, sizeof it->type, db_col_text(st, 0));
		it->amount_fen = db_col_int(st, 1);
	}
	db_done(st);
	if (rc < 0)
		return -1;

	st = db_prepare(db, "SELECT tag FROM person_tags WHERE person_id = ? ORDER BY tag", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, p->id);
	p->n_tags = 0;
	while ((rc = db_step(st, e)) == 1 && p->n_tags < REGISTRY_MAX_TAGS)
		text_copy(p->tags[p->n_tags++], sizeof p->tags[0], db_col_text(st, 0));
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* One person by id within the actor's scope; 404 when missing or out of scope. */
static int person_load(struct db *db, const struct actor *a, int64_t id,
		       struct registry_person *p, struct err *e)
{
	struct db_stmt *st = scope_prepare(db, &a->scope,
					    "SELECT " PERSON_COLS " FROM persons p WHERE p.id = ? AND ",
					    "p.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		person_from_row(st, p);
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return not_found(e, "该人员");
	return person_load_extras(db, p, e);
}

/* One household row (no members) by id within the actor's scope. */
static int household_load(struct db *db, const struct actor *a, int64_t id,
			  struct registry_household *h, struct err *e)
{
	struct db_stmt *st = scope_prepare(
		db, &a->scope,
		"SELECT h.id, h.region_code, coalesce(r.name, ''), h.address, h.residence_type, "
		"h.phone, coalesce(h.head_person_id, 0), h.created_at, h.updated_at "
		"FROM households h LEFT JOIN regions r ON r.code = h.region_code "
		"WHERE h.id = ? AND ",
		"h.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1) {
		h->id = db_col_int(st, 0);
		text_copy(h->region_code, sizeof h->region_code, db_col_text(st, 1));
		text_copy(h->region_name, sizeof h->region_name, db_col_text(st, 2));
		text_copy(h->address, sizeof h->address, db_col_text(st, 3));
		text_copy(h->residence_type, sizeof h->residence_type, db_col_text(st, 4));
		text_copy(h->phone, sizeof h->phone, db_col_text(st, 5));
		h->head_person_id = db_col_int(st, 6);
		text_copy(h->created_at, sizeof h->created_at, db_col_text(st, 7));
		text_copy(h->updated_at, sizeof h->updated_at, db_col_text(st, 8));
		h->n_members = 0;
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 0 ? not_found(e, "该户") : 0;
}

static int household_load_members(struct db *db, const struct actor *a,
				   struct registry_household *h, struct err *e)
{
	struct db_stmt *st = scope_prepare(
		db, &a->scope,
		"SELECT " PERSON_COLS " FROM persons p "
		"WHERE p.household_id = ? AND p.status = 'active' AND ",
		"p.region_code", " ORDER BY CASE WHEN p.relation = 'head' THEN 0 ELSE 1 END, p.id", e);
	int rc;
	if (!st)
		return -1;
	db_bind_int(st, 1, h->id);
	scope_bind(st, &a->scope, 2);
	h->n_members = 0;
	while ((rc = db_step(st, e)) == 1 && h->n_members < REGISTRY_MAX_MEMBERS)
		person_from_row(st, &h->members[h->n_members++]);
	db_done(st);
	if (rc < 0)
		return -1;
	for (int i = 0; i < h->n_members; i++)
		if (person_load_extras(db, &h->members[i], e) < 0)
			return -1;
	return 0;
}

/* Active members of a household already scope-checked by household_load. */
static int64_t active_count(struct db *db, int64_t household_id, struct err *e)
{
	struct db_stmt *st = db_prepare(
		db, "SELECT count(*) FROM persons WHERE household_id = ? AND status = 'active'", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, household_id);
	int64_t n = -1;
	if (db_step(st, e) == 1)
		n = db_col_int(st, 0);
	db_done(st);
	return n;
}

static int touch_household(struct db *db, int64_t id, int64_t head, int set_head,
			   const char *now, struct err *e)
{
	struct db_stmt *st;
	if (set_head) {
		st = db_prepare(db,
				"UPDATE households SET head_person_id = ?, updated_at = ? WHERE id = ?",
				e);
		if (!st)
			return -1;
		if (head)
			db_bind_int(st, 1, head);
		else
			db_bind_null(st, 1);
		db_bind_text(st, 2, now);
		db_bind_int(st, 3, id);
	} else {
		st = db_prepare(db, "UPDATE households SET updated_at = ? WHERE id = ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, now);
		db_bind_int(st, 2, id);
	}
	return db_run(st, e);
}

static int history_add(struct db *db, const struct actor *a, int64_t person_id,
		       const char *action, int64_t from, int64_t to, const char *reason,
		       const char *now, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO person_history(person_id, at, action, "
					"from_household_id, to_household_id, by_user, reason) "
					"VALUES (?, ?, ?, ?, ?, ?, ?)",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, action);
	if (from)
		db_bind_int(st, 4, from);
	else
		db_bind_null(st, 4);
	if (to)
		db_bind_int(st, 5, to);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, a->username);
	db_bind_text(st, 7, reason ? reason : "");
	return db_run(st, e);
}

/* Replace a person's income items and tags (tags carry the person's region code); a person
 * just inserted (fresh) has none to delete. */
static int replace_extras(struct db *db, int64_t pid, const char *region,
			  const struct registry_person_in *in, int fresh, struct err *e)
{
	struct db_stmt *st;
	if (!fresh) {
		st = db_prepare(db, "DELETE FROM person_incomes WHERE person_id = ?", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pid);
		if (db_run(st, e) < 0)
			return -1;
		st = db_prepare(db, "DELETE FROM person_tags WHERE person_id = ?", e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pid);
		if (db_run(st, e) < 0)
			return -1;
	}
	for (int i = 0; i < in->n_income; i++) {
		st = db_prepare(db,
				"INSERT INTO person_incomes(person_id, type, amount_fen) VALUES (?, ?, ?)",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pid);
		db_bind_text(st, 2, in->income[i].type);
		db_bind_int(st, 3, in->income[i].amount_fen);
		if (db_run(st, e) < 0)
			return -1;
	}
	for (int i = 0; i < in->n_tags; i++) {
		st = db_prepare(db,
				"INSERT INTO person_tags(person_id, tag, region_code) VALUES (?, ?, ?)",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pid);
		db_bind_text(st, 2, in->tags[i]);
		db_bind_text(st, 3, region);
		if (db_run(st, e) < 0)
			return -1;
	}
	return 0;
}

static void reverse(const char *z, char out[19])
{
	size_t n = strlen(z);
	if (n > 18)
		n = 18;
	for (size_t i = 0; i < n; i++)
		out[i] = z[n - 1 - i];
	out[n] = '\0';
}

/* What is already registered under an ID number (city-wide, deliberately unscoped). */
struct existing {
	int64_t id; /* 0 = none */
	int removed;
	int64_t household_id;
	char region_code[REGISTRY_WORD_SZ];
};

static int lookup_id(struct db *db, const char *id_number, struct existing *x, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT id, status, coalesce(household_id, 0), region_code "
					"FROM persons WHERE id_number = ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id_number);
	memset(x, 0, sizeof *x);
	int rc = db_step(st, e);
	if (rc == 1) {
		x->id = db_col_int(st, 0);
		x->removed = strcmp(db_col_text(st, 1), "removed") == 0;
		x->household_id = db_col_int(st, 2);
		text_copy(x->region_code, sizeof x->region_code, db_col_text(st, 3));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* "坊子区太保庄街道栾家山后村": the names of the county, township and village of a code. */
static void village_full_name(struct db *db, const char *code, char *out, size_t n)
{
	struct err ignore;
	char c6[7] = "", c9[10] = "";
	out[0] = '\0';
	if (strlen(code) >= 9) {
		memcpy(c6, code, 6);
		c6[6] = '\0';
		memcpy(c9, code, 9);
		c9[9] = '\0';
	}
	struct db_stmt *st = db_prepare(
		db, "SELECT name FROM regions WHERE code IN (?, ?, ?) ORDER BY level", &ignore);
	if (!st)
		return;
	db_bind_text(st, 1, c6);
	db_bind_text(st, 2, c9);
	db_bind_text(st, 3, code);
	size_t len = 0;
	while (db_step(st, &ignore) == 1 && len + 1 < n) {
		int w = snprintf(out + len, n - len, "%s", db_col_text(st, 0));
		len += w > 0 ? (size_t)w : 0;
		if (len >= n)
			len = n - 1;
	}
	db_done(st);
	if (!out[0])
		snprintf(out, n, "%s", code);
}

/* The management unit (or the official county) a village belongs to, for out-of-scope hits. */
static void county_name(struct db *db, const char *code, char *out, size_t n)
{
	struct err ignore;
	char c6[7] = "";
	if (strlen(code) >= 6) {
		memcpy(c6, code, 6);
		c6[6] = '\0';
	}
	out[0] = '\0';
	struct db_stmt *st = db_prepare(
		db,
		"SELECT coalesce((SELECT u.name FROM regions v JOIN units u ON u.code = v.unit_code "
		"WHERE v.code = ?), (SELECT name FROM regions WHERE code = ?), '')",
		&ignore);
	if (!st)
		return;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, c6);
	if (db_step(st, &ignore) == 1)
		text_copy(out, n, db_col_text(st, 0));
	db_done(st);
	if (!out[0])
		snprintf(out, n, "其他县（市、区）");
}

/* 409 duplicate_id_number naming where the ID is registered: the village and household when
 * that is in the caller's scope, only the county otherwise. */
static int duplicate_error(struct db *db, const struct actor *a, const char *id_number,
			   const struct existing *x, const char *field, struct err *e)
{
	char masked[19], where[400];
	idnum_mask(id_number, masked);
	if (scope_contains(&a->scope, x->region_code)) {
		village_full_name(db, x->region_code, where, sizeof where);
		return err_set(e, 409, "duplicate_id_number", field,
			       "身份证号 %s 已登记在 %s（户编号 %lld）", masked, where,
			       (long long)x->household_id);
	}
	county_name(db, x->region_code, where, sizeof where);
	return err_set(e, 409, "duplicate_id_number", field,
		       "身份证号 %s 已在 %s 登记，不在您的管辖范围内", masked, where);
}

/* Insert a new person, or re-attach the removed person x with that ID; history either way. */
static int put_person(struct db *db, const struct actor *a, int64_t household_id,
		      const char *region, const struct registry_person_in *in,
		      const struct existing *x, const char *now, int64_t *out_pid, struct err *e)
{
	struct db_stmt *st;
	int64_t pid;
	if (x->id) {
		st = db_prepare(db,
				"UPDATE persons SET household_id = ?, region_code = ?, name = ?, "
				"relation = ?, phone = ?, disability_grade = ?, serious_illness = ?, "
				"labour_capacity = ?, monthly_income_fen = ?, status = 'active', "
				"updated_at = ? WHERE id = ?",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, household_id);
		db_bind_text(st, 2, region);
		db_bind_text(st, 3, in->name);
		db_bind_text(st, 4, in->relation);
		db_bind_text(st, 5, in->phone);
		db_bind_int(st, 6, in->disability_grade);
		db_bind_int(st, 7, in->serious_illness);
		db_bind_text(st, 8, in->labour_capacity);
		db_bind_int(st, 9, in->monthly_income_fen);
		db_bind_text(st, 10, now);
		db_bind_int(st, 11, x->id);
		if (db_run(st, e) < 0)
			return -1;
		pid = x->id;
	} else {
		char rev[19];
		reverse(in->id_number, rev);
		st = db_prepare(db,
				"INSERT INTO persons(household_id, region_code, id_number, id_rev, name, "
				"relation, sex, birth_date, phone, disability_grade, serious_illness, "
				"labour_capacity, monthly_income_fen, status, created_at, updated_at) "
				"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, household_id);
		db_bind_text(st, 2, region);
		db_bind_text(st, 3, in->id_number);
		db_bind_text(st, 4, rev);
		db_bind_text(st, 5, in->name);
		db_bind_text(st, 6, in->relation);
		db_bind_text(st, 7, in->sex);
		db_bind_text(st, 8, in->birth_date);
		db_bind_text(st, 9, in->phone);
		db_bind_int(st, 10, in->disability_grade);
		db_bind_int(st, 11, in->serious_illness);
		db_bind_text(st, 12, in->labour_capacity);
		db_bind_int(st, 13, in->monthly_income_fen);
		db_bind_text(st, 14, now);
		db_bind_text(st, 15, now);
		if (db_run(st, e) < 0)
			return -1;
		pid = db_last_id(db);
	}
	if (replace_extras(db, pid, region, in, !x->id, e) < 0)
		return -1;
	if (history_add(db, a, pid, x->id ? "restored" : "registered",
			x->id ? x->household_id : 0, household_id, "", now, e) < 0)
		return -1;
	*out_pid = pid;
	return 0;
}

/* Commit, or roll back and pass -1 on. */
static int finish(struct db *db, int rc, struct err *e)
{
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (db_commit(db, e) < 0)
		return -1;
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* households                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static int check_village(struct db *db, const struct actor *a, const char *code, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT level FROM regions WHERE code = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st, e);
	int64_t level = rc == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return -1;
	if (level != 5)
		return err_set(e, 400, "invalid_region", "region_code",
			       "区划代码 %s 不是已知的村（社区）", code);
	if (!scope_contains(&a->scope, code))
		return err_set(e, 403, "out_of_scope", "region_code",
			       "村（社区）%s 不在您的管辖范围内", code);
	return 0;
}

static int household_create_txn(struct db *db, const struct actor *a,
				struct registry_household_in *in, int64_t *out_id, struct err *e)
{
	char now[32], field[40], detail[128];
	struct existing found[REGISTRY_MAX_MEMBERS];
	int restored = 0;

	if (check_village(db, a, in->region_code, e) < 0)
		return -1;
	for (int i = 0; i < in->n_members; i++) {
		if (lookup_id(db, in->members[i].id_number, &found[i], e) < 0)
			return -1;
		if (found[i].id && !found[i].removed) {
			snprintf(field, sizeof field, "members[%d].id_number", i);
			return duplicate_error(db, a, in->members[i].id_number, &found[i], field, e);
		}
		restored += found[i].id != 0;
	}

	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO households(region_code, address, residence_type, "
					"phone, head_person_id, created_at, updated_at) "
					"VALUES (?, ?, ?, ?, NULL, ?, ?)",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->region_code);
	db_bind_text(st, 2, in->address);
	db_bind_text(st, 3, in->residence_type);
	db_bind_text(st, 4, in->phone);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, now);
	if (db_run(st, e) < 0)
		return -1;
	int64_t hid = db_last_id(db), head = 0;

	for (int i = 0; i < in->n_members; i++) {
		int64_t pid;
		if (put_person(db, a, hid, in->region_code, &in->members[i], &found[i], now, &pid,
			       e) < 0)
			return -1;
		if (strcmp(in->members[i].relation, "head") == 0)
			head = pid;
	}
	if (touch_household(db, hid, head, 1, now, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "region_code=%s members=%d restored=%d", in->region_code,
		 in->n_members, restored);
	if (audit_append_id(db, a, "household.create", "household", hid, detail, e) < 0)
		return -1;
	*out_id = hid;
	return 0;
}

int registry_household_create(struct db *db, const struct actor *a,
			      struct registry_household_in *in, int64_t *out_id, struct err *e)
{
	if (registry_household_check(in, NULL, e) < 0)
		return -1;
	if (db_in_transaction(db)) /* the caller's (an import): it commits or rolls back */
		return household_create_txn(db, a, in, out_id, e);
	if (db_begin_write(db, e) < 0)
		return -1;
	return finish(db, household_create_txn(db, a, in, out_id, e), e);
}

static int unmask_allowed(const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_REGISTRY_UNMASK))
		return err_set(e, 403, "forbidden", NULL, "您没有查看完整身份证号和电话的权限");
	return 0;
}

int registry_household_get(struct db *db, const struct actor *a, int64_t id, int unmask,
			   struct registry_household *out, struct err *e)
{
	int began, rc;
	memset(out, 0, sizeof *out);
	if (unmask) {
		if (unmask_allowed(a, e) < 0 || db_begin_write(db, e) < 0)
			return -1;
		rc = household_load(db, a, id, out, e);
		if (rc == 0)
			rc = household_load_members(db, a, out, e);
		if (rc == 0)
			rc = audit_append_id(db, a, "household.unmask", "household", id, NULL, e);
		if (finish(db, rc, e) < 0)
			return -1;
		out->unmasked = 1;
		return 0;
	}
	if ((began = begin_read(db, e)) < 0)
		return -1;
	rc = household_load(db, a, id, out, e);
	if (rc == 0)
		rc = household_load_members(db, a, out, e);
	end_read(db, began);
	return rc;
}

static int household_patch_txn(struct db *db, const struct actor *a, int64_t id,
			       const struct registry_household_in *in, struct err *e)
{
	struct registry_household *h = calloc(1, sizeof *h);
	char now[32], detail[80];
	int rc = -1;
	if (!h)
		return err_oom(e);
	if (household_load(db, a, id, h, e) < 0)
		goto out;
	if ((in->has & REGISTRY_HAS_REGION) && strcmp(in->region_code, h->region_code) != 0) {
		err_set(e, 400, "invalid_value", "region_code",
			"不能修改户的所在村（社区）；请把成员迁入目标村的户");
		goto out;
	}
	if (in->has & REGISTRY_HAS_ADDRESS)
		text_copy(h->address, sizeof h->address, in->address);
	if (in->has & REGISTRY_HAS_RESIDENCE)
		text_copy(h->residence_type, sizeof h->residence_type, in->residence_type);
	if (in->has & REGISTRY_HAS_PHONE)
		text_copy(h->phone, sizeof h->phone, in->phone);
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db,
					"UPDATE households SET address = ?, residence_type = ?, phone = ?, "
					"updated_at = ? WHERE id = ?",
					e);
	if (!st)
		goto out;
	db_bind_text(st, 1, h->address);
	db_bind_text(st, 2, h->residence_type);
	db_bind_text(st, 3, h->phone);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, id);
	if (db_run(st, e) < 0)
		goto out;
	snprintf(detail, sizeof detail, "fields=%s%s%s",
		 in->has & REGISTRY_HAS_ADDRESS ? "address," : "",
		 in->has & REGISTRY_HAS_RESIDENCE ? "residence_type," : "",
		 in->has & REGISTRY_HAS_PHONE ? "phone," : "");
	rc = audit_append_id(db, a, "household.update", "household", id, detail, e);
out:
	free(h);
	return rc;
}

int registry_household_patch(struct db *db, const struct actor *a, int64_t id,
			     struct registry_household_in *in, struct err *e)
{
	if (registry_household_patch_check(in, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		return -1;
	return finish(db, household_patch_txn(db, a, id, in, e), e);
}

/* ------------------------------------------------------------------------------------------ */
/* members                                                                                    */
/* ------------------------------------------------------------------------------------------ */

/* Can `relation` join household h (already loaded) now? Keeps one head per non-empty household
 * and at most REGISTRY_MAX_MEMBERS active members. */
static int can_join(struct db *db, const struct registry_household *h, const char *relation,
		    const char *field, struct err *e)
{
	int64_t n = active_count(db, h->id, e);
	if (n < 0)
		return -1;
	if (n >= REGISTRY_MAX_MEMBERS)
		return err_set(e, 409, "member_limit", NULL, "每户最多 %d 名成员，该户已满",
			       REGISTRY_MAX_MEMBERS);
	int is_head = strcmp(relation, "head") == 0;
	if (is_head && h->head_person_id)
		return err_set(e, 409, "head_count", field,
			       "该户已有户主（人员编号 %lld）；请先将其他成员设为户主或改为其他关系",
			       (long long)h->head_person_id);
	if (!is_head && !h->head_person_id)
		return err_set(e, 409, "head_required", field, "该户目前没有户主，请先登记户主");
	return 0;
}

static int member_add_txn(struct db *db, const struct actor *a, int64_t household_id,
			  const struct registry_person_in *in, int64_t *out_pid, struct err *e)
{
	struct registry_household *h = calloc(1, sizeof *h);
	struct existing x;
	char now[32], detail[64];
	int64_t pid;
	int rc = -1;
	if (!h)
		return err_oom(e);
	if (household_load(db, a, household_id, h, e) < 0)
		goto out;
	if (lookup_id(db, in->id_number, &x, e) < 0)
		goto out;
	if (x.id && !x.removed) {
		duplicate_error(db, a, in->id_number, &x, "id_number", e);
		goto out;
	}
	if (can_join(db, h, in->relation, "relation", e) < 0)
		goto out;
	clock_now_iso(now);
	if (put_person(db, a, household_id, h->region_code, in, &x, now, &pid, e) < 0)
		goto out;
	int is_head = strcmp(in->relation, "head") == 0;
	if (touch_household(db, household_id, pid, is_head, now, e) < 0)
		goto out;
	snprintf(detail, sizeof detail, "household_id=%lld%s", (long long)household_id,
		 x.id ? " restored=1" : "");
	if (audit_append_id(db, a, "person.add", "person", pid, detail, e) < 0)
		goto out;
	*out_pid = pid;
	rc = 0;
out:
	free(h);
	return rc;
}

int registry_member_add(struct db *db, const struct actor *a, int64_t household_id,
			struct registry_person_in *in, int64_t *out_person_id, struct err *e)
{
	if (registry_person_check(in, NULL, e) < 0)
		return -1;
	if (db_in_transaction(db)) /* the caller's (an import): it commits or rolls back */
		return member_add_txn(db, a, household_id, in, out_person_id, e);
	if (db_begin_write(db, e) < 0)
		return -1;
	return finish(db, member_add_txn(db, a, household_id, in, out_person_id, e), e);
}

static void person_to_input(const struct registry_person *p, struct registry_person_in *in)
{
	memset(in, 0, sizeof *in);
	text_copy(in->id_number, sizeof in->id_number, p->id_number);
	text_copy(in->name, sizeof in->name, p->name);
	text_copy(in->relation, sizeof in->relation, p->relation);
	text_copy(in->phone, sizeof in->phone, p->phone);
	in->disability_grade = p->disability_grade;
	in->serious_illness = p->serious_illness;
	text_copy(in->labour_capacity, sizeof in->labour_capacity, p->labour_capacity);
	in->n_income = p->n_income;
	memcpy(in->income, p->income, sizeof in->income);
	in->n_tags = p->n_tags;
	memcpy(in->tags, p->tags, sizeof in->tags);
}

static int person_patch_txn(struct db *db, const struct actor *a, int64_t pid,
			    const struct registry_person_in *patch, struct err *e)
{
	struct registry_person p;
	struct registry_person_in m;
	char now[32], detail[160];
	if (person_load(db, a, pid, &p, e) < 0)
		return -1;
	if (strcmp(p.status, "active") != 0)
		return err_set(e, 409, "person_removed", NULL, "该人员已注销，不能修改");

	/* Merge the present fields over the stored ones, then check the whole person again
	 * (the ID number is not patchable: it is the person). */
	person_to_input(&p, &m);
	uint32_t has = patch->has;
	if (has & REGISTRY_HAS_NAME)
		text_copy(m.name, sizeof m.name, patch->name);
	if (has & REGISTRY_HAS_RELATION)
		text_copy(m.relation, sizeof m.relation, patch->relation);
	if (has & REGISTRY_HAS_PHONE)
		text_copy(m.phone, sizeof m.phone, patch->phone);
	if (has & REGISTRY_HAS_DISABILITY)
		m.disability_grade = patch->disability_grade;
	if (has & REGISTRY_HAS_ILLNESS)
		m.serious_illness = patch->serious_illness;
	if (has & REGISTRY_HAS_LABOUR)
		text_copy(m.labour_capacity, sizeof m.labour_capacity, patch->labour_capacity);
	if (has & REGISTRY_HAS_INCOME) {
		m.n_income = patch->n_income;
		memcpy(m.income, patch->income, sizeof m.income);
	}
	if (has & REGISTRY_HAS_TAGS) {
		m.n_tags = patch->n_tags;
		memcpy(m.tags, patch->tags, sizeof m.tags);
	}
	if (registry_person_check(&m, NULL, e) < 0)
		return -1;

	clock_now_iso(now);
	int was_head = strcmp(p.relation, "head") == 0, now_head = strcmp(m.relation, "head") == 0;
	int64_t demoted = 0;
	if (was_head && !now_head)
		return err_set(e, 409, "head_required", "relation",
			       "户主不能直接改为其他关系；请把另一名成员设为户主（原户主随之改为“其他”）");
	if (!was_head && now_head) {
		struct registry_household *h = calloc(1, sizeof *h);
		if (!h)
			return err_oom(e);
		int rc = household_load(db, a, p.household_id, h, e);
		demoted = h->head_person_id;
		free(h);
		if (rc < 0)
			return -1;
		if (demoted) {
			struct db_stmt *st = db_prepare(
				db, "UPDATE persons SET relation = 'other', updated_at = ? WHERE id = ?",
				e);
			if (!st)
				return -1;
			db_bind_text(st, 1, now);
			db_bind_int(st, 2, demoted);
			if (db_run(st, e) < 0)
				return -1;
		}
		if (touch_household(db, p.household_id, pid, 1, now, e) < 0)
			return -1;
	}

	struct db_stmt *st = db_prepare(db,
					"UPDATE persons SET name = ?, relation = ?, phone = ?, "
					"disability_grade = ?, serious_illness = ?, labour_capacity = ?, "
					"monthly_income_fen = ?, updated_at = ? WHERE id = ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, m.name);
	db_bind_text(st, 2, m.relation);
	db_bind_text(st, 3, m.phone);
	db_bind_int(st, 4, m.disability_grade);
	db_bind_int(st, 5, m.serious_illness);
	db_bind_text(st, 6, m.labour_capacity);
	db_bind_int(st, 7, m.monthly_income_fen);
	db_bind_text(st, 8, now);
	db_bind_int(st, 9, pid);
	if (db_run(st, e) < 0)
		return -1;
	if ((has & (REGISTRY_HAS_INCOME | REGISTRY_HAS_TAGS)) &&
	    replace_extras(db, pid, p.region_code, &m, 0, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "fields=%s%s%s%s%s%s%s%s", has & REGISTRY_HAS_NAME ? "name," : "",
		 has & REGISTRY_HAS_RELATION ? "relation," : "", has & REGISTRY_HAS_PHONE ? "phone," : "",
		 has & REGISTRY_HAS_DISABILITY ? "disability_grade," : "",
		 has & REGISTRY_HAS_ILLNESS ? "serious_illness," : "",
		 has & REGISTRY_HAS_LABOUR ? "labour_capacity," : "",
		 has & REGISTRY_HAS_INCOME ? "income_items," : "", has & REGISTRY_HAS_TAGS ? "tags," : "");
	if (demoted) {
		size_t n = strlen(detail);
		snprintf(detail + n, sizeof detail - n, " demoted_head=%lld", (long long)demoted);
	}
	return audit_append_id(db, a, "person.update", "person", pid, detail, e);
}

int registry_person_patch(struct db *db, const struct actor *a, int64_t person_id,
			  struct registry_person_in *in, struct err *e)
{
	if (!(in->has & ~(uint32_t)REGISTRY_HAS_ID_NUMBER))
		return err_set(e, 400, "required", NULL,
			       "请至少提供一个要修改的字段：name、relation、phone、disability_grade、"
			       "serious_illness、labour_capacity、income_items、tags");
	if (db_begin_write(db, e) < 0)
		return -1;
	return finish(db, person_patch_txn(db, a, person_id, in, e), e);
}

static int member_remove_txn(struct db *db, const struct actor *a, int64_t household_id,
			     int64_t pid, const char *reason, struct err *e)
{
	struct registry_person p;
	char now[32];
	struct strbuf detail = STRBUF_INIT;
	if (person_load(db, a, pid, &p, e) < 0)
		return -1;
	if (p.household_id != household_id)
		return not_found(e, "该户的这名成员");
	if (strcmp(p.status, "active") != 0)
		return err_set(e, 409, "person_removed", NULL, "该人员已注销");
	int is_head = strcmp(p.relation, "head") == 0;
	if (is_head) {
		int64_t n = active_count(db, household_id, e);
		if (n < 0)
			return -1;
		if (n > 1)
			return err_set(e, 409, "head_required", NULL,
				       "户主不能在其他成员仍在户时注销；请先把另一名成员设为户主");
	}
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(
		db, "UPDATE persons SET status = 'removed', updated_at = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_int(st, 2, pid);
	if (db_run(st, e) < 0)
		return -1;
	if (touch_household(db, household_id, 0, is_head, now, e) < 0)
		return -1;
	if (history_add(db, a, pid, "removed", household_id, 0, reason, now, e) < 0)
		return -1;
	if (strbuf_addf(&detail, "household_id=%lld reason=%s", (long long)household_id, reason) < 0)
		return err_oom(e);
	int rc = audit_append_id(db, a, "person.remove", "person", pid, strbuf_str(&detail), e);
	strbuf_release(&detail);
	return rc;
}

int registry_member_remove(struct db *db, const struct actor *a, int64_t household_id,
			   int64_t person_id, const char *reason, struct err *e)
{
	if (registry_reason_check(reason, 1, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		return -1;
	return finish(db, member_remove_txn(db, a, household_id, person_id, reason, e), e);
}

static int person_move_txn(struct db *db, const struct actor *a, int64_t pid, int64_t to,
			   const char *relation, const char *reason, struct err *e)
{
	struct registry_person p;
	struct registry_household *h = NULL;
	struct strbuf detail = STRBUF_INIT;
	char now[32];
	int rc = -1;
	if (person_load(db, a, pid, &p, e) < 0)
		return -1;
	if (strcmp(p.status, "active") != 0)
		return err_set(e, 409, "person_removed", NULL, "该人员已注销，不能迁移");
	if (p.household_id == to)
		return err_set(e, 400, "invalid_value", "household_id", "该人员已在这一户");
	if (!(h = calloc(1, sizeof *h)))
		return err_oom(e);
	if (household_load(db, a, to, h, e) < 0) {
		err_set(e, 404, "not_found", "household_id", "迁入的户不存在或不在您的管辖范围内");
		goto out;
	}
	int was_head = strcmp(p.relation, "head") == 0, now_head = strcmp(relation, "head") == 0;
	if (was_head) {
		int64_t n = active_count(db, p.household_id, e);
		if (n < 0)
			goto out;
		if (n > 1) {
			err_set(e, 409, "head_required", NULL,
				"户主迁出后原户将没有户主；请先把原户另一名成员设为户主");
			goto out;
		}
	}
	if (can_join(db, h, relation, "relation", e) < 0)
		goto out;

	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db,
					"UPDATE persons SET household_id = ?, region_code = ?, relation = ?, "
					"updated_at = ? WHERE id = ?",
					e);
	if (!st)
		goto out;
	db_bind_int(st, 1, to);
	db_bind_text(st, 2, h->region_code);
	db_bind_text(st, 3, relation);
	db_bind_text(st, 4, now);
	db_bind_int(st, 5, pid);
	if (db_run(st, e) < 0)
		goto out;
	if (!(st = db_prepare(db, "UPDATE person_tags SET region_code = ? WHERE person_id = ?", e)))
		goto out;
	db_bind_text(st, 1, h->region_code);
	db_bind_int(st, 2, pid);
	if (db_run(st, e) < 0)
		goto out;
	if (touch_household(db, p.household_id, 0, was_head, now, e) < 0 ||
	    touch_household(db, to, pid, now_head, now, e) < 0)
		goto out;
	if (history_add(db, a, pid, "moved", p.household_id, to, reason, now, e) < 0)
		goto out;
	if (strbuf_addf(&detail, "from=%lld to=%lld relation=%s reason=%s",
			(long long)p.household_id, (long long)to, relation, reason ? reason : "") < 0) {
		err_oom(e);
		goto out;
	}
	rc = audit_append_id(db, a, "person.move", "person", pid, strbuf_str(&detail), e);
out:
	strbuf_release(&detail);
	free(h);
	return rc;
}

int registry_person_move(struct db *db, const struct actor *a, int64_t person_id,
			 int64_t to_household_id, const char *relation, const char *reason,
			 struct err *e)
{
	if (!relation || !relation[0])
		return err_set(e, 400, "required", "relation", "请填写迁入后与户主的关系");
	if (!registry_relation_valid(relation))
		return err_set(e, 400, "invalid_value", "relation", "与户主关系无效");
	if (to_household_id <= 0)
		return err_set(e, 400, "required", "household_id", "请选择迁入的户");
	if (registry_reason_check(reason, 0, e) < 0)
		return -1;
	if (db_begin_write(db, e) < 0)
		return -1;
	return finish(db, person_move_txn(db, a, person_id, to_household_id, relation, reason, e),
		      e);
}

/* ------------------------------------------------------------------------------------------ */
/* person detail                                                                              */
/* ------------------------------------------------------------------------------------------ */

static int history_load(struct db *db, struct registry_person_detail *d, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT at, action, coalesce(from_household_id, 0), "
					"coalesce(to_household_id, 0), by_user, reason "
					"FROM person_history WHERE person_id = ? ORDER BY id",
					e);
	int rc, cap = 0;
	if (!st)
		return -1;
	db_bind_int(st, 1, d->person.id);
	while ((rc = db_step(st, e)) == 1) {
		if (d->n_history == cap) {
			int ncap = cap ? cap * 2 : 8;
			struct registry_history *nh = realloc(d->history, (size_t)ncap * sizeof *nh);
			if (!nh) {
				db_done(st);
				return err_oom(e);
			}
			d->history = nh;
			cap = ncap;
		}
		struct registry_history *h = &d->history[d->n_history++];
		text_copy(h->at, sizeof h->at, db_col_text(st, 0));
		text_copy(h->action, sizeof h->action, db_col_text(st, 1));
		h->from_household_id = db_col_int(st, 2);
		h->to_household_id = db_col_int(st, 3);
		text_copy(h->by, sizeof h->by, db_col_text(st, 4));
		text_copy(h->reason, sizeof h->reason, db_col_text(st, 5));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

void registry_person_detail_release(struct registry_person_detail *d)
{
	if (!d)
		return;
	free(d->history);
	d->history = NULL;
	d->n_history = 0;
}

int registry_person_get(struct db *db, const struct actor *a, int64_t person_id, int unmask,
			struct registry_person_detail *out, struct err *e)
{
	int began, rc;
	memset(out, 0, sizeof *out);
	if (unmask) {
		if (unmask_allowed(a, e) < 0 || db_begin_write(db, e) < 0)
			return -1;
		rc = person_load(db, a, person_id, &out->person, e);
		if (rc == 0)
			rc = history_load(db, out, e);
		if (rc == 0)
			rc = audit_append_id(db, a, "person.unmask", "person", person_id, NULL, e);
		if (finish(db, rc, e) < 0) {
			registry_person_detail_release(out);
			return -1;
		}
		out->unmasked = 1;
		return 0;
	}
	if ((began = begin_read(db, e)) < 0)
		return -1;
	rc = person_load(db, a, person_id, &out->person, e);
	if (rc == 0)
		rc = history_load(db, out, e);
	end_read(db, began);
	if (rc < 0)
		registry_person_detail_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* search                                                                                     */
/* ------------------------------------------------------------------------------------------ */

enum q_form { Q_ALL, Q_ID, Q_SUFFIX, Q_NAME };

/* What the q text asks for, with the bound value(s) it needs. */
struct q_plan {
	enum q_form form;
	char lo[REGISTRY_NAME_SZ + 8];
	char hi[REGISTRY_NAME_SZ + 8];
};

static int classify_q(const char *raw, struct q_plan *qp, struct err *e)
{
	char q[REGISTRY_NAME_SZ];
	text_copy(q, sizeof q, raw);
	/* trim ASCII spaces */
	size_t n = strlen(q), i = 0;
	while (i < n && q[i] == ' ')
		i++;
	while (n > i && q[n - 1] == ' ')
		n--;
	memmove(q, q + i, n - i);
	n -= i;
	q[n] = '\0';
	memset(qp, 0, sizeof *qp);
	if (n == 0) {
		qp->form = Q_ALL;
		return 0;
	}
	size_t digits = 0;
	while (digits < n && q[digits] >= '0' && q[digits] <= '9')
		digits++;
	int idlike = digits == n || (digits == n - 1 && (q[n - 1] == 'X' || q[n - 1] == 'x'));
	if (!idlike) {
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)q[k] < 0x20 || q[k] == 0x7F)
				return err_set(e, 400, "invalid_value", "q", "查询内容含有控制字符");
		qp->form = Q_NAME;
		memcpy(qp->lo, q, n + 1);
		/* Upper bound: q followed by U+10FFFF, the largest code point, so every name that
		 * starts with q sorts below it (byte order = code point order in UTF-8) and the
		 * bound is itself valid UTF-8 for engines that insist on it. */
		memcpy(qp->hi, q, n);
		memcpy(qp->hi + n, "\xF4\x8F\xBF\xBF", 5);
		return 0;
	}
	if (q[n - 1] == 'x')
		q[n - 1] = 'X';
	if (n == 18 || n == 15) {
		struct idnum id;
		if (idnum_parse(q, NULL, &id, e) < 0) {
			/* Not a valid ID: nothing can match, but say why rather than answer empty. */
			snprintf(e->field, sizeof e->field, "q");
			return -1;
		}
		qp->form = Q_ID;
		text_copy(qp->lo, sizeof qp->lo, id.number);
		return 0;
	}
	if (n >= 4 && n <= 6) {
		qp->form = Q_SUFFIX;
		reverse(q, qp->lo);
		memcpy(qp->hi, qp->lo, n);
		qp->hi[n] = 'z'; /* digits and X sort below 'z' */
		qp->hi[n + 1] = '\0';
		return 0;
	}
	return err_set(e, 400, "invalid_value", "q",
		       "请输入姓名开头、完整身份证号或身份证号末 4–6 位");
}

static int check_region_filter(const struct actor *a, const char *region, struct err *e)
{
	size_t n = strlen(region);
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (region[i] < '0' || region[i] > '9')
			return err_set(e, 400, "invalid_region", "region", "区划代码应为数字");
	if (n > 12)
		return err_set(e, 400, "invalid_region", "region", "区划代码最长 12 位");
	if (!scope_overlaps(&a->scope, region))
		return err_set(e, 403, "out_of_scope", "region", "区划 %s 不在您的管辖范围内", region);
	return 0;
}

/* The FROM/WHERE part shared by the count and the page, built from literal fragments only;
 * bind_where() binds its values in the same order.
 *
 * Which index drives the query is decided here, not left to the planner's guess about unbound
 * ranges. The scope is always ANDed on p.region_code, but written on the expression
 * `p.region_code || ''`, which filters exactly the same rows while no index matches it (in
 * SQLite and PostgreSQL alike). The driver is then
 *   - a full ID: the unique index on id_number (equality always wins);
 *   - a suffix: persons_active_by_id_rev; a name prefix: persons_active_by_name, or inside
 *     one county persons_active_by_county_name (county code, name) — their matches are few,
 *     and scanning the scope instead would touch every person in it;
 *   - a tag: person_tags_by_tag (tag, region_code) with a range on the tag row's copy of the
 *     region code;
 *   - otherwise persons_active_by_region with a range on p.region_code.
 * The range is the region filter when that lies inside the scope, else the scope's span: its
 * one prefix, or for a multi-prefix scope (a functional zone) the span from the lowest prefix
 * to the highest, which contains every prefix; the exact scope test is the AND above. */
struct where_plan {
	int tag;
	int driver;        /* 0: an index on q drives; 1: range on p.region_code; 2: on t.region_code */
	int region_filter; /* the region filter is a plain (non-driving) condition */
	int scope_drives;  /* driver 1 on a one-prefix scope: the scope condition is the range */
	char lo[REGISTRY_WORD_SZ + 2], hi[REGISTRY_WORD_SZ + 2]; /* the driving range */
	char county[8]; /* name search inside one county: persons_active_by_county_name drives */
};

static void plan_where(const struct actor *a, const struct registry_person_query *q,
		       const struct q_plan *qp, struct where_plan *wp)
{
	memset(wp, 0, sizeof *wp);
	wp->tag = q->tag[0] != 0;
	wp->driver = wp->tag ? 2 : qp->form == Q_ALL ? 1 : 0;
	int region = q->region[0] != 0;
	int region_drives = region && wp->driver && scope_covers(&a->scope, q->region);
	wp->region_filter = region && !region_drives;
	if (!wp->driver) {
		/* A name inside one county (one scope prefix of ≥ 6 digits, or a region filter
		 * of ≥ 6 digits): the county-first name index narrows the count to the county. */
		const char *narrow = region && strlen(q->region) >= 6 ? q->region
				   : a->scope.n == 1 && strlen(a->scope.prefix[0]) >= 6
					   ? a->scope.prefix[0]
					   : NULL;
		if (qp->form == Q_NAME && narrow) {
			memcpy(wp->county, narrow, 6);
			wp->county[6] = '\0';
		}
		return;
	}
	/* The common case, one prefix listed without filters: scope_sql on the plain column is
	 * already the driving range (and saves evaluating the expression on every row). */
	wp->scope_drives = wp->driver == 1 && !region_drives && a->scope.n == 1;
	if (region_drives) {
		text_copy(wp->lo, sizeof wp->lo, q->region);
		text_copy(wp->hi, sizeof wp->hi, q->region);
	} else {
		for (int i = 0; i < a->scope.n; i++) {
			const char *pfx = a->scope.prefix[i];
			if (i == 0 || strcmp(pfx, wp->lo) < 0)
				text_copy(wp->lo, sizeof wp->lo, pfx);
			if (i == 0 || strcmp(pfx, wp->hi) > 0)
				text_copy(wp->hi, sizeof wp->hi, pfx);
		}
		if (a->scope.n == 0)
			return; /* lo = hi = "": an empty range, as scope_sql's (1=0) */
	}
	size_t n = strlen(wp->hi);
	wp->hi[n] = 'z'; /* every code character is a digit, which sorts before 'z' */
	wp->hi[n + 1] = '\0';
}

static int build_where(struct strbuf *sql, const struct actor *a, const struct q_plan *qp,
		       const struct where_plan *wp)
{
	int rc = 0;
	if (wp->tag)
		rc |= strbuf_addstr(sql, " FROM person_tags t JOIN persons p ON p.id = t.person_id "
					 "WHERE t.tag = ? AND ");
	else
		rc |= strbuf_addstr(sql, " FROM persons p WHERE ");
	if (wp->driver == 1 && !wp->scope_drives)
		rc |= strbuf_addstr(sql, "p.region_code >= ? AND p.region_code < ? AND ");
	else if (wp->driver == 2)
		rc |= strbuf_addstr(sql, "t.region_code >= ? AND t.region_code < ? AND ");
	rc |= scope_sql(sql, &a->scope, wp->scope_drives ? "p.region_code" : "p.region_code || ''");
	rc |= strbuf_addstr(sql, " AND p.status = 'active'");
	if (wp->region_filter)
		rc |= strbuf_addstr(sql, " AND p.region_code || '' >= ? AND p.region_code || '' < ?");
	switch (qp->form) {
	case Q_ID:
		rc |= strbuf_addstr(sql, " AND p.id_number = ?");
		break;
	case Q_SUFFIX:
		rc |= strbuf_addstr(sql, " AND p.id_rev >= ? AND p.id_rev < ?");
		break;
	case Q_NAME:
		if (wp->county[0])
			rc |= strbuf_addstr(sql, " AND substr(p.region_code, 1, 6) = ?");
		rc |= strbuf_addstr(sql, " AND p.name >= ? AND p.name < ?");
		break;
	case Q_ALL:
		break;
	}
	return rc ? -1 : 0;
}

static int bind_where(struct db_stmt *st, const struct actor *a,
		      const struct registry_person_query *q, const struct q_plan *qp,
		      const struct where_plan *wp)
{
	int i = 1;
	if (wp->tag)
		db_bind_text(st, i++, q->tag);
	if (wp->driver && !wp->scope_drives) {
		db_bind_text(st, i++, wp->lo);
		db_bind_text(st, i++, wp->hi);
	}
	i = scope_bind(st, &a->scope, i);
	if (wp->region_filter)
		i = scope_bind_prefix(st, q->region, i);
	switch (qp->form) {
	case Q_ID:
		db_bind_text(st, i++, qp->lo);
		break;
	case Q_NAME:
		if (wp->county[0])
			db_bind_text(st, i++, wp->county);
		/* fall through */
	case Q_SUFFIX:
		db_bind_text(st, i++, qp->lo);
		db_bind_text(st, i++, qp->hi);
		break;
	case Q_ALL:
		break;
	}
	return i;
}

void registry_person_page_release(struct registry_person_page *pg)
{
	if (!pg)
		return;
	free(pg->items);
	pg->items = NULL;
	pg->n = 0;
}

/* One query of the search for actor a: the count of matches into *total (when total is not
 * NULL), else up to `limit` ids from `offset` into ids[] and *n — ids only, so a sort (when there is
 * one) moves narrow rows and the driving index can answer alone. */
static int search_part(struct db *db, const struct actor *a, const struct registry_person_query *q,
		       const struct q_plan *qp, int64_t *total, int64_t offset, int limit,
		       int64_t *ids, int *n, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct where_plan wp;
	struct db_stmt *st;
	int rc = -1, step;

	plan_where(a, q, qp, &wp);
	if (strbuf_addstr(&sql, total ? "SELECT count(*)" : "SELECT p.id") < 0 ||
	    build_where(&sql, a, qp, &wp) < 0 ||
	    (!total && strbuf_addstr(&sql, qp->form == Q_NAME
						   ? " ORDER BY p.name, p.region_code, p.id LIMIT ? OFFSET ?"
						   : " ORDER BY p.region_code, p.household_id, p.id "
						     "LIMIT ? OFFSET ?") < 0)) {
		err_oom(e);
		goto out;
	}
	if (!(st = db_prepare(db, strbuf_str(&sql), e)))
		goto out;
	int i = bind_where(st, a, q, qp, &wp);
	if (total) {
		step = db_step(st, e);
		*total = step == 1 ? db_col_int(st, 0) : 0;
	} else {
		db_bind_int(st, i, limit);
		db_bind_int(st, i + 1, offset);
		while ((step = db_step(st, e)) == 1 && *n < limit)
			ids[(*n)++] = db_col_int(st, 0);
	}
	db_done(st);
	rc = step < 0 ? -1 : 0;
out:
	strbuf_release(&sql);
	return rc;
}

static int cmp_prefix(const void *x, const void *y)
{
	return strcmp((const char *)x, (const char *)y);
}

/* A multi-prefix scope (a functional zone) listed by region: each prefix is one range, and as
 * the prefixes are disjoint their results in region order are the ranges' results one after
 * another. So count each range and take the page from the ranges it falls in — each part a
 * one-prefix search, which drives its index exactly (one OR-ed query would sort or scan). */
static int search_split(struct db *db, const struct actor *a,
			const struct registry_person_query *q, const struct q_plan *qp,
			struct registry_person_page *out, int64_t *ids, int *n, struct err *e)
{
	struct actor sub = *a;
	char pfx[SCOPE_MAX_PREFIXES][REGION_CODE_MAX];
	int64_t counts[SCOPE_MAX_PREFIXES];
	int np = 0;

	memcpy(pfx, a->scope.prefix, sizeof pfx);
	qsort(pfx, (size_t)a->scope.n, sizeof pfx[0], cmp_prefix);
	for (int i = 0; i < a->scope.n; i++) {
		/* sorted, so a prefix covering this one is the last kept one */
		if (np && strncmp(pfx[i], pfx[np - 1], strlen(pfx[np - 1])) == 0)
			continue;
		memmove(pfx[np++], pfx[i], sizeof pfx[0]);
	}
	sub.scope.n = 1;
	out->total = 0;
	for (int i = 0; i < np; i++) {
		memcpy(sub.scope.prefix[0], pfx[i], sizeof pfx[0]);
		if (search_part(db, &sub, q, qp, &counts[i], 0, 0, NULL, NULL, e) < 0)
			return -1;
		out->total += counts[i];
	}
	int64_t skip = out->offset;
	for (int i = 0; i < np && *n < out->limit; i++) {
		if (skip >= counts[i]) {
			skip -= counts[i];
			continue;
		}
		memcpy(sub.scope.prefix[0], pfx[i], sizeof pfx[0]);
		int got = 0;
		if (search_part(db, &sub, q, qp, NULL, skip, out->limit - *n, ids + *n, &got, e) < 0)
			return -1;
		*n += got;
		skip = 0;
	}
	return 0;
}

static int search_run(struct db *db, const struct actor *a, const struct registry_person_query *q,
		      const struct q_plan *qp, struct registry_person_page *out, struct err *e)
{
	int64_t *ids = malloc((size_t)out->limit * sizeof *ids);
	int n = 0, rc = -1;
	if (!ids)
		return err_oom(e);
	int by_region = q->tag[0] || qp->form == Q_ALL;
	int region_drives = q->region[0] && scope_covers(&a->scope, q->region);
	if (by_region && !region_drives && a->scope.n > 1) {
		if (search_split(db, a, q, qp, out, ids, &n, e) < 0)
			goto out;
	} else {
		if (search_part(db, a, q, qp, &out->total, 0, 0, NULL, NULL, e) < 0)
			goto out;
		if (out->total > out->offset &&
		    search_part(db, a, q, qp, NULL, out->offset, out->limit, ids, &n, e) < 0)
			goto out;
	}
	for (int k = 0; k < n; k++) {
		if (person_load(db, a, ids[k], &out->items[out->n], e) < 0)
			goto out;
		out->n++;
	}
	rc = 0;
out:
	free(ids);
	return rc;
}

int registry_person_search(struct db *db, const struct actor *a,
			   const struct registry_person_query *q, struct registry_person_page *out,
			   struct err *e)
{
	struct q_plan qp;
	memset(out, 0, sizeof *out);
	out->limit = q->limit ? q->limit : 20;
	out->offset = q->offset;
	if (out->limit < 1 || out->limit > REGISTRY_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "每页条数应在 1 至 %d 之间",
			       REGISTRY_PAGE_MAX);
	if (out->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负数");
	if (q->tag[0] && !registry_tag_valid(q->tag))
		return err_set(e, 400, "invalid_value", "tag", "标签无效");
	if (check_region_filter(a, q->region, e) < 0 || classify_q(q->q, &qp, e) < 0)
		return -1;
	if (!(out->items = calloc((size_t)out->limit, sizeof *out->items)))
		return err_oom(e);
	int began = begin_read(db, e);
	if (began < 0) {
		registry_person_page_release(out);
		return -1;
	}
	int rc = search_run(db, a, q, &qp, out, e);
	end_read(db, began);
	if (rc < 0)
		registry_person_page_release(out);
	return rc;
}
