/* assistance_store.c — the lifecycle of assistance cases: applications, the township's
 * investigation, the village appraisal, the public notice and its objections, the county's
 * decisions (approve, refuse, suspend, resume, terminate), reviews with the phase-out, 特困
 * reassessments, refusals of suitable job offers on 低保 cases, the lists (cases, notices, due
 * reviews, held exits) and the city's epidemic periods. (Public face: assistance.h; the
 * figures: assistance_rules.c through assistance_entitlements.c's assistance_case_calc.)
 *
 * How it works:
 * - Every read of a case goes through case_load() / list SQL that appends scope_sql() for the
 *   case's village code, so a case outside the actor's scope is simply not found (404) — also
 *   for an actor who lacks the step's permission: the permission is checked after the case is
 *   found, so existence is never revealed.
 * - Every write is one BEGIN IMMEDIATE transaction: load the case, check the step is allowed
 *   from its status (the table in step_allowed()), change the case, append the step row with
 *   its record (JSON: what was found or decided), append the audit row, commit. Any error rolls
 *   the whole thing back.
 * - Decisions take effect from the month after they are made (approval: paid from the next
 *   month; suspension, resumption likewise; a termination pays the current month and ends),
 *   so a month the payroll may already have paid is never changed by a decision.
 * - The amounts an approval or a review decides come from assistance_case_calc(): the same code
 *   as the monthly entitlements.
 */
#include "core/array_grow.h"
#include "core/text.h"
#include "assistance/assistance_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/strbuf.h"
#include "policy/policy.h"

/* ------------------------------------------------------------------------------------------ */
/* helpers                                                                                    */
/* ------------------------------------------------------------------------------------------ */

static int not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "案件不存在或不在您的管辖范围内");
}

static int forbidden(struct err *e, const char *what)
{
	return err_set(e, 403, "forbidden", NULL, "您的角色无权%s", what);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* 1 when z is a real day "YYYY-MM-DD" in 1900–9999. */
static int date_valid(const char *z)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (z[i] < '0' || z[i] > '9'))
			return 0;
	int y = atoi(z), m = atoi(z + 5), d = atoi(z + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= (m == 2 && leap(y) ? 29 : dm[m - 1]);
}

/* The month int of a date "YYYY-MM-DD" (already valid). */
static int month_of(const char *date)
{
	char m[8];
	memcpy(m, date, 7);
	m[7] = '\0';
	return assistance_month_or_zero(m);
}

static void this_month(char out[8])
{
	char today[11];
	clock_today(today);
	memcpy(out, today, 7);
	out[7] = '\0';
}

static int this_month_int(void)
{
	char m[8];
	this_month(m);
	return assistance_month_or_zero(m);
}

/* A record's date: "" = today; a real day, not in the future, not before `not_before` (the
 * previous step's day, "" = no bound). */
static int record_date(const char *in, const char *not_before, const char *field, char out[11],
		       struct err *e)
{
	char today[11];
	clock_today(today);
	if (!in || !*in) {
		text_copy(out, 11, today);
		return 0;
	}
	if (!date_valid(in))
		return err_set(e, 400, "invalid_value", field, "日期应为 YYYY-MM-DD 格式的有效日期");
	if (strcmp(in, today) > 0)
		return err_set(e, 400, "invalid_value", field, "日期不能晚于今天（%s）", today);
	if (not_before && *not_before && strcmp(in, not_before) < 0)
		return err_set(e, 400, "invalid_value", field, "日期不能早于上一步的日期（%s）",
			       not_before);
	text_copy(out, 11, in);
	return 0;
}

static int begin(struct db *db, struct err *e)
{
	return db_begin_write(db, e);
}

static int finish(struct db *db, int rc, struct err *e)
{
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

static char *json_text(json_t *o)
{
	if (!o)
		return NULL;
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

static int audit_case(struct db *db, const struct actor *a, const char *action, int64_t id,
		      const char *detail, struct err *e)
{
	return audit_append_id(db, a, action, "assistance_case", id, detail, e);
}

/* ------------------------------------------------------------------------------------------ */
/* reading cases                                                                              */
/* ------------------------------------------------------------------------------------------ */

#define FULL_COLS                                                                                  \
	"c.id, c.program, c.household_id, coalesce(c.person_id, 0), c.region_code, c.unit_code, "  \
	"c.residence_type, c.status, c.applied_at, c.start_month, c.end_month, c.exit_holdable, "  \
	"c.exit_cause, c.suspended_from, c.suspended_until, c.monthly_amount_fen, "                \
	"c.review_category, c.last_review_month, c.next_review_month, c.phaseout_from, "           \
	"c.phaseout_months, c.adl_mask, c.support_form, c.child_category, c.child_placement, "     \
	"c.parent_condition_1, c.parent_condition_2, c.assets_fen, c.payee_name, c.bank_name, "    \
	"c.bank_account, c.reason, c.notice_start, c.notice_end, c.last_step_on, c.created_at, "   \
	"c.updated_at, coalesce(hp.name, ''), coalesce(hp.id_number, ''), coalesce(r.name, ''), "  \
	"coalesce(u.name, '') "
#define FULL_FROM                                                                                  \
	" FROM assistance_cases c JOIN households h ON h.id = c.household_id "                    \
	"LEFT JOIN persons hp ON hp.id = coalesce(c.person_id, h.head_person_id) "                 \
	"LEFT JOIN regions r ON r.code = c.region_code LEFT JOIN units u ON u.code = c.unit_code "

static void case_read(struct db_stmt *st, struct assistance_case *c)
{
	int i = 0;
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, i++);
	text_copy(c->program, sizeof c->program, db_col_text(st, i++));
	c->household_id = db_col_int(st, i++);
	c->person_id = db_col_int(st, i++);
	text_copy(c->region_code, sizeof c->region_code, db_col_text(st, i++));
	text_copy(c->unit_code, sizeof c->unit_code, db_col_text(st, i++));
	text_copy(c->residence_type, sizeof c->residence_type, db_col_text(st, i++));
	text_copy(c->status, sizeof c->status, db_col_text(st, i++));
	text_copy(c->applied_at, sizeof c->applied_at, db_col_text(st, i++));
	text_copy(c->start_month, sizeof c->start_month, db_col_text(st, i++));
	text_copy(c->end_month, sizeof c->end_month, db_col_text(st, i++));
	c->exit_holdable = (int)db_col_int(st, i++);
	text_copy(c->exit_cause, sizeof c->exit_cause, db_col_text(st, i++));
	text_copy(c->suspended_from, sizeof c->suspended_from, db_col_text(st, i++));
	text_copy(c->suspended_until, sizeof c->suspended_until, db_col_text(st, i++));
	c->monthly_amount_fen = db_col_int(st, i++);
	text_copy(c->review_category, sizeof c->review_category, db_col_text(st, i++));
	text_copy(c->last_review_month, sizeof c->last_review_month, db_col_text(st, i++));
	text_copy(c->next_review_month, sizeof c->next_review_month, db_col_text(st, i++));
	text_copy(c->phaseout_from, sizeof c->phaseout_from, db_col_text(st, i++));
	c->phaseout_months = (int)db_col_int(st, i++);
	c->adl_mask = (int)db_col_int(st, i++);
	text_copy(c->support_form, sizeof c->support_form, db_col_text(st, i++));
	text_copy(c->child_category, sizeof c->child_category, db_col_text(st, i++));
	text_copy(c->child_placement, sizeof c->child_placement, db_col_text(st, i++));
	text_copy(c->parent_condition[0], sizeof c->parent_condition[0], db_col_text(st, i++));
	text_copy(c->parent_condition[1], sizeof c->parent_condition[1], db_col_text(st, i++));
	c->assets_fen = db_col_int(st, i++);
	text_copy(c->payee_name, sizeof c->payee_name, db_col_text(st, i++));
	text_copy(c->bank_name, sizeof c->bank_name, db_col_text(st, i++));
	text_copy(c->bank_account, sizeof c->bank_account, db_col_text(st, i++));
	text_copy(c->reason, sizeof c->reason, db_col_text(st, i++));
	text_copy(c->notice_start, sizeof c->notice_start, db_col_text(st, i++));
	text_copy(c->notice_end, sizeof c->notice_end, db_col_text(st, i++));
	text_copy(c->last_step_on, sizeof c->last_step_on, db_col_text(st, i++));
	text_copy(c->created_at, sizeof c->created_at, db_col_text(st, i++));
	text_copy(c->updated_at, sizeof c->updated_at, db_col_text(st, i++));
	text_copy(c->name, sizeof c->name, db_col_text(st, i++));
	text_copy(c->id_number, sizeof c->id_number, db_col_text(st, i++));
	text_copy(c->region_name, sizeof c->region_name, db_col_text(st, i++));
	text_copy(c->unit_name, sizeof c->unit_name, db_col_text(st, i++));
}

/* The case id if it lies in the actor's scope: 0, or -1 with 404. */
static int case_load(struct db *db, const struct actor *a, int64_t id, struct assistance_case *c,
		     struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (id <= 0)
		return not_found(e);
	if (strbuf_addstr(&sql, "SELECT " FULL_COLS FULL_FROM "WHERE c.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1)
		case_read(st, c);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : not_found(e);
}

/* ------------------------------------------------------------------------------------------ */
/* applications                                                                               */
/* ------------------------------------------------------------------------------------------ */

/* The household's active members with their income items, for the record (a JSON array),
 * and their total monthly income. */
static json_t *household_snapshot(struct db *db, int64_t household_id, int64_t *total_income,
				  int *n, struct err *e)
{
	json_t *arr = json_array();
	*total_income = 0;
	*n = 0;
	if (!arr) {
		err_oom(e);
		return NULL;
	}
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT id, name, relation, birth_date, monthly_income_fen, disability_grade, "
	    "serious_illness, labour_capacity FROM persons WHERE household_id = ? AND "
	    "status = 'active' ORDER BY relation <> 'head', id",
	    e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, household_id);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:I, s:i, s:b, s:s, s:[]}", "person_id",
				      (json_int_t)db_col_int(st, 0), "name", db_col_text(st, 1),
				      "relation", db_col_text(st, 2), "birth_date",
				      db_col_text(st, 3), "monthly_income_fen",
				      (json_int_t)db_col_int(st, 4), "disability_grade",
				      (int)db_col_int(st, 5), "serious_illness",
				      (int)db_col_int(st, 6), "labour_capacity", db_col_text(st, 7),
				      "income_items");
		if (!m || json_array_append_new(arr, m) < 0) {
			db_done(st);
			err_oom(e);
			goto fail;
		}
		*total_income += db_col_int(st, 4);
		(*n)++;
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	/* the income items of each member */
	size_t i;
	json_t *m;
	json_array_foreach(arr, i, m)
	{
		struct db_stmt *it = db_prepare(
		    db, "SELECT type, amount_fen FROM person_incomes WHERE person_id = ? ORDER BY rowid",
		    e);
		if (!it)
			goto fail;
		db_bind_int(it, 1, json_integer_value(json_object_get(m, "person_id")));
		json_t *items = json_object_get(m, "income_items");
		while ((rc = db_step(it, e)) == 1)
			json_array_append_new(items,
					      json_pack("{s:s, s:I}", "type", db_col_text(it, 0),
							"amount_fen", (json_int_t)db_col_int(it, 1)));
		db_done(it);
		if (rc < 0)
			goto fail;
	}
	return arr;
fail:
	json_decref(arr);
	return NULL;
}

/* 1 when there is an open case (not terminated or refused) of `program` for the household
 * (person_id 0) or the person; -1 on error. */
static int open_case(struct db *db, const char *program, int64_t household_id, int64_t person_id,
		     struct err *e)
{
	struct db_stmt *st =
	    person_id ? db_prepare(db,
				   "SELECT 1 FROM assistance_cases WHERE person_id = ? AND program = ? "
				   "AND status NOT IN ('terminated','refused') LIMIT 1",
				   e)
		      : db_prepare(db,
				   "SELECT 1 FROM assistance_cases WHERE household_id = ? AND "
				   "program = ? AND status NOT IN ('terminated','refused') LIMIT 1",
				   e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id ? person_id : household_id);
	db_bind_text(st, 2, program);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

static const char *program_label(const char *p)
{
	if (strcmp(p, ASSISTANCE_DIBAO) == 0)
		return "低保";
	if (strcmp(p, ASSISTANCE_TEKUN) == 0)
		return "特困供养";
	if (strcmp(p, ASSISTANCE_ORPHAN) == 0)
		return "孤儿基本生活费";
	if (strcmp(p, ASSISTANCE_UNSUPPORTED_CHILD) == 0)
		return "事实无人抚养儿童生活补贴";
	return p;
}

static int is_child_program(const char *p)
{
	return strcmp(p, ASSISTANCE_ORPHAN) == 0 || strcmp(p, ASSISTANCE_UNSUPPORTED_CHILD) == 0;
}

/* Digits only, 8–32 of them, spaces and dashes dropped (bank card and passbook numbers). */
static int bank_account_norm(const char *in, char out[ASSISTANCE_ACCOUNT_SZ], struct err *e)
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (*p < '0' || *p > '9' || n >= ASSISTANCE_ACCOUNT_SZ - 1)
			return err_set(e, 400, "invalid_value", "bank_account",
				       "收款账号应为 8–32 位数字");
		out[n++] = *p;
	}
	out[n] = '\0';
	if (n == 0)
		return err_set(e, 400, "required", "bank_account", "请填写收款账号（银行卡或存折号）");
	if (n < 8 || n > 32)
		return err_set(e, 400, "invalid_value", "bank_account", "收款账号应为 8–32 位数字");
	return 0;
}

static const char *parent_condition_label(enum assistance_parent_condition c)
{
	switch (c) {
	case ASSISTANCE_PARENT_ABLE:
		return "有抚养能力";
	case ASSISTANCE_PARENT_DEAD:
		return "死亡";
	case ASSISTANCE_PARENT_MISSING:
		return "失踪";
	case ASSISTANCE_PARENT_SEVERELY_DISABLED:
		return "重度残疾";
	case ASSISTANCE_PARENT_SERIOUSLY_ILL:
		return "重病";
	case ASSISTANCE_PARENT_DETAINED:
		return "服刑在押或强制隔离满 6 个月";
	case ASSISTANCE_PARENT_OUT_OF_CONTACT:
		return "失联满 6 个月";
	}
	return "";
}

struct target {
	int64_t household_id, person_id, head_id;
	char region[16], unit[16], residence[8], birth_date[11], name[128];
};

/* The household (低保) or person (others) applied for, in scope, active. */
static int load_target(struct db *db, const struct actor *a, const struct assistance_apply_in *in,
		       int dibao, struct target *t, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	memset(t, 0, sizeof *t);
	int rc = dibao ? strbuf_addstr(&sql, "SELECT h.id, 0, coalesce(h.head_person_id, 0), "
					     "h.region_code, h.residence_type, '', '', '', "
					     "coalesce(r.unit_code, '') FROM households h LEFT JOIN "
					     "regions r ON r.code = h.region_code WHERE h.id = ? AND ")
		       : strbuf_addstr(&sql, "SELECT h.id, p.id, coalesce(h.head_person_id, 0), "
					     "h.region_code, h.residence_type, p.birth_date, p.name, "
					     "p.status, coalesce(r.unit_code, '') FROM persons p JOIN "
					     "households h ON h.id = p.household_id LEFT JOIN regions r "
					     "ON r.code = h.region_code WHERE p.id = ? AND ");
	if (rc < 0 || scope_sql(&sql, &a->scope, "h.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, dibao ? in->household_id : in->person_id);
	scope_bind(st, &a->scope, 2);
	char status[16] = "";
	rc = db_step(st, e);
	if (rc == 1) {
		t->household_id = db_col_int(st, 0);
		t->person_id = db_col_int(st, 1);
		t->head_id = db_col_int(st, 2);
		text_copy(t->region, sizeof t->region, db_col_text(st, 3));
		text_copy(t->residence, sizeof t->residence, db_col_text(st, 4));
		text_copy(t->birth_date, sizeof t->birth_date, db_col_text(st, 5));
		text_copy(t->name, sizeof t->name, db_col_text(st, 6));
		text_copy(status, sizeof status, db_col_text(st, 7));
		text_copy(t->unit, sizeof t->unit, db_col_text(st, 8));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", dibao ? "household_id" : "person_id",
			       dibao ? "该户不存在或不在您的管辖范围内"
				     : "该人员不存在或不在您的管辖范围内");
	if (!dibao && strcmp(status, "active") != 0)
		return err_set(e, 409, "person_removed", "person_id", "该人员已注销，不能申请");
	if (!t->unit[0])
		return err_set(e, 500, "internal", NULL, "村（居）%s 没有所属管理单位", t->region);
	return 0;
}

/* The child's eligibility this month by the rules; fills category and conditions. */
static int child_check(struct db *db, const struct assistance_apply_in *in, const struct target *t,
		       struct assistance_child_result *res, struct err *e)
{
	struct assistance_params p;
	struct assistance_child ch;
	char month[8];
	int by, bm;
	memset(&p, 0, sizeof p);
	memset(&ch, 0, sizeof ch);
	this_month(month);
	if (strcmp(in->placement, "institutional") == 0)
		ch.placement = ASSISTANCE_PLACEMENT_INSTITUTIONAL;
	else if (strcmp(in->placement, "scattered") == 0)
		ch.placement = ASSISTANCE_PLACEMENT_SCATTERED;
	else if (!in->placement[0])
		return err_set(e, 400, "required", "placement", "请选择养育方式（机构养育或社会散居）");
	else
		return err_set(e, 400, "invalid_value", "placement",
			       "养育方式应为 institutional（机构养育）或 scattered（社会散居）");
	if (sscanf(t->birth_date, "%4d-%2d", &by, &bm) != 2)
		return err_set(e, 500, "internal", NULL, "人员出生日期无效");
	ch.birth_month = assistance_month_make(by, bm);
	ch.parents[0] = in->parents[0];
	ch.parents[1] = in->parents[1];
	if (assistance_params_load(db, t->unit, t->residence, month, ASSISTANCE_PG_CHILD, &p, e) < 0 ||
	    assistance_child_assess(&p, &ch, this_month_int(), res, e) < 0)
		return -1;
	if (res->category == ASSISTANCE_CHILD_NONE) {
		if (res->reason == ASSISTANCE_CHILD_OVER_AGE)
			return err_set(e, 409, "not_eligible", "person_id",
				       "该儿童已满 18 周岁（最后发放月 %04d-%02d），不符合条件",
				       res->last_month / 12, res->last_month % 12 + 1);
		return err_set(e, 409, "not_eligible", "parents",
			       "不符合条件：%s亲无死亡、失踪、重度残疾、重病、服刑在押或失联满 6 个月"
			       "等情形，仍有抚养能力",
			       res->parent == 0 ? "父（母）一方" : "另一方");
	}
	const int orphan = res->category != ASSISTANCE_CHILD_UNSUPPORTED;
	if (orphan != (strcmp(in->program, ASSISTANCE_ORPHAN) == 0))
		return err_set(e, 409, "not_eligible", "program",
			       orphan ? "按父母情况该儿童属于孤儿，请申请孤儿基本生活费（orphan）"
				      : "按父母情况该儿童属于事实无人抚养儿童，请申请事实无人抚养"
					"儿童生活补贴（unsupported_child）");
	return 0;
}

static int apply_txn(struct db *db, const struct actor *a, const struct assistance_apply_in *in,
		     int64_t *out_id, struct err *e)
{
	const int dibao = strcmp(in->program, ASSISTANCE_DIBAO) == 0;
	const int tekun = strcmp(in->program, ASSISTANCE_TEKUN) == 0;
	const int child = is_child_program(in->program);
	struct target t;
	struct assistance_child_result cres;
	char applied[11], now[32], account[ASSISTANCE_ACCOUNT_SZ];
	json_t *members = NULL;
	int64_t income = 0;
	int n_members = 0, rc;

	if (load_target(db, a, in, dibao, &t, e) < 0)
		return -1;
	if (record_date(in->applied_on, NULL, "applied_on", applied, e) < 0)
		return -1;
	if (bank_account_norm(in->bank_account, account, e) < 0)
		return -1;
	if ((rc = open_case(db, in->program, t.household_id, dibao ? 0 : t.person_id, e)) != 0)
		return rc < 0 ? -1
			      : err_set(e, 409, "duplicate_case", NULL,
					"%s已有一件未结束的%s案件", dibao ? "该户" : "该人员",
					program_label(in->program));
	if (tekun || child) {
		/* 特困 and the child allowances are not paid to one person at once */
		const char *other[] = {ASSISTANCE_TEKUN, ASSISTANCE_ORPHAN, ASSISTANCE_UNSUPPORTED_CHILD};
		for (int i = 0; i < 3; i++) {
			if (strcmp(other[i], in->program) == 0 ||
			    (child && is_child_program(other[i])))
				continue;
			if ((rc = open_case(db, other[i], t.household_id, t.person_id, e)) != 0)
				return rc < 0 ? -1
					      : err_set(e, 409, "program_conflict", "program",
							"该人员已有%s案件，不能同时享受%s",
							program_label(other[i]),
							program_label(in->program));
		}
	}
	if (child && child_check(db, in, &t, &cres, e) < 0)
		return -1;
	if (dibao) {
		if (!(members = household_snapshot(db, t.household_id, &income, &n_members, e)))
			return -1;
		if (n_members == 0) {
			json_decref(members);
			return err_set(e, 409, "invalid_step", "household_id",
				       "该户没有在册成员，不能申请低保");
		}
	}

	clock_now_iso(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO assistance_cases(program, household_id, person_id, region_code, unit_code, "
	    "residence_type, status, applied_at, review_category, adl_mask, support_form, "
	    "child_category, child_placement, parent_condition_1, parent_condition_2, assets_fen, "
	    "payee_name, bank_name, bank_account, last_step_on, created_at, updated_at) "
	    "VALUES (?,?,?,?,?,?,'applied',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st) {
		json_decref(members);
		return -1;
	}
	db_bind_text(st, 1, in->program);
	db_bind_int(st, 2, t.household_id);
	if (dibao)
		db_bind_null(st, 3);
	else
		db_bind_int(st, 3, t.person_id);
	db_bind_text(st, 4, t.region);
	db_bind_text(st, 5, t.unit);
	db_bind_text(st, 6, t.residence);
	db_bind_text(st, 7, applied);
	db_bind_text(st, 8, dibao && in->review_category[0] ? in->review_category : "stable");
	db_bind_int(st, 9, tekun ? in->adl_mask : 0);
	db_bind_text(st, 10, tekun ? in->support_form : "");
	db_bind_text(st, 11, child ? assistance_child_category_code(cres.category) : "");
	db_bind_text(st, 12, child ? in->placement : "");
	db_bind_text(st, 13, child ? assistance_parent_condition_code(cres.condition[0]) : "");
	db_bind_text(st, 14, child ? assistance_parent_condition_code(cres.condition[1]) : "");
	db_bind_int(st, 15, in->assets_fen);
	db_bind_text(st, 16, in->payee_name);
	db_bind_text(st, 17, in->bank_name);
	db_bind_text(st, 18, account);
	db_bind_text(st, 19, applied);
	db_bind_text(st, 20, now);
	db_bind_text(st, 21, now);
	if (db_run(st, e) < 0) {
		json_decref(members);
		return -1;
	}
	*out_id = db_last_id(db);

	json_t *rec = json_pack("{s:s, s:s, s:I, s:s}", "date", applied, "program", in->program,
				"assets_fen", (json_int_t)in->assets_fen, "note", in->note);
	/* the record is stored: a member that failed to be built (out of memory) fails it whole,
	 * never a record quietly missing a figure */
	int jbad = 0;
	if (rec && dibao) {
		jbad |= json_object_set_new(rec, "members", members);
		members = NULL; /* the call took it, even when it failed */
		jbad |= json_object_set_new(rec, "total_income_fen", json_integer((json_int_t)income));
	}
	if (rec && tekun) {
		enum assistance_care_level lv = ASSISTANCE_CARE_SELF;
		assistance_tekun_care_level((unsigned)in->adl_mask, &lv, NULL);
		jbad |= json_object_set_new(rec, "adl_mask", json_integer(in->adl_mask));
		jbad |= json_object_set_new(rec, "care_level",
				    json_string(lv == ASSISTANCE_CARE_FULL   ? "full"
						: lv == ASSISTANCE_CARE_HALF ? "half"
									     : "self"));
		jbad |= json_object_set_new(rec, "support_form", json_string(in->support_form));
	}
	if (rec && child) {
		json_t *ps = json_array();
		for (int i = 0; i < 2 && ps; i++) {
			const struct assistance_parent *pa = &in->parents[i];
			jbad |= json_array_append_new(
			    ps, json_pack("{s:b, s:b, s:i, s:i, s:b, s:i, s:i, s:s, s:s}", "dead",
					  pa->dead, "missing", pa->missing, "disability_grade",
					  pa->disability_grade, "disability_kind",
					  (int)pa->disability_kind, "seriously_ill", pa->seriously_ill,
					  "detained_months", pa->detained_months,
					  "out_of_contact_months", pa->out_of_contact_months,
					  "condition",
					  assistance_parent_condition_code(cres.condition[i]),
					  "condition_label", parent_condition_label(cres.condition[i])));
		}
		if (!ps)
			jbad = -1;
		jbad |= json_object_set_new(rec, "parents", ps);
		jbad |= json_object_set_new(rec, "placement", json_string(in->placement));
		jbad |= json_object_set_new(rec, "category",
				    json_string(assistance_child_category_code(cres.category)));
	}
	json_decref(members);
	char *record = jbad ? NULL : json_text(rec);
	if (jbad)
		json_decref(rec);
	if (!record)
		return err_oom(e);
	st = db_prepare(db,
			"INSERT INTO assistance_steps(case_id, step, at, by_user, record) "
			"VALUES (?, 'apply', ?, ?, ?)",
			e);
	if (!st) {
		free(record);
		return -1;
	}
	db_bind_int(st, 1, *out_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, a->username);
	db_bind_text(st, 4, record);
	free(record);
	if (db_run(st, e) < 0)
		return -1;
	char detail[160];
	snprintf(detail, sizeof detail, "program=%s household_id=%lld person_id=%lld", in->program,
		 (long long)t.household_id, (long long)(dibao ? 0 : t.person_id));
	return audit_case(db, a, "assistance.apply", *out_id, detail, e);
}

/* The fields of an application (assistance_case_apply, assistance_case_record_existing). */
static int apply_check(const struct assistance_apply_in *in, struct err *e)
{
	if (!in->program[0])
		return err_set(e, 400, "required", "program", "请选择救助项目");
	const int dibao = strcmp(in->program, ASSISTANCE_DIBAO) == 0;
	const int tekun = strcmp(in->program, ASSISTANCE_TEKUN) == 0;
	if (!dibao && !tekun && !is_child_program(in->program))
		return err_set(e, 400, "invalid_value", "program",
			       "救助项目应为 dibao、tekun、orphan 或 unsupported_child");
	if (dibao && in->household_id <= 0)
		return err_set(e, 400, "required", "household_id", "请选择申请低保的家庭");
	if (!dibao && in->person_id <= 0)
		return err_set(e, 400, "required", "person_id", "请选择申请人");
	if (in->assets_fen < 0 || in->assets_fen > ASSISTANCE_MAX_FEN)
		return err_set(e, 400, "invalid_value", "assets_fen", "家庭财产金额超出范围");
	if (dibao && in->review_category[0] && strcmp(in->review_category, "stable") != 0 &&
	    strcmp(in->review_category, "irregular") != 0)
		return err_set(e, 400, "invalid_value", "review_category",
			       "复核类别应为 stable（收入稳定）或 irregular（收入不固定）");
	if (tekun) {
		if (in->adl_mask < 0 || in->adl_mask > (int)ASSISTANCE_ADL_ALL)
			return err_set(e, 400, "invalid_value", "adl_mask",
				       "日常生活活动只有 6 项（adl_mask 0–63）");
		if (!in->support_form[0])
			return err_set(e, 400, "required", "support_form",
				       "请选择供养方式（集中供养或分散供养）");
		if (strcmp(in->support_form, "centralised") != 0 &&
		    strcmp(in->support_form, "scattered") != 0)
			return err_set(e, 400, "invalid_value", "support_form",
				       "供养方式应为 centralised（集中）或 scattered（分散）");
	}
	if (text_check(in->payee_name, 30, 0, 0, "payee_name", "收款人姓名", e) < 0 ||
	    text_check(in->bank_name, ASSISTANCE_SHORT_CHARS, 0, 0, "bank_name", "开户银行", e) < 0 ||
	    text_check(in->note, ASSISTANCE_TEXT_CHARS, 0, 1, "note", "申请说明", e) < 0)
		return -1;
	return 0;
}

int assistance_case_apply(struct db *db, const struct actor *a, const struct assistance_apply_in *in,
			  int64_t *out_id, struct err *e)
{
	if (!actor_can(a, PERM_ASSISTANCE_WRITE))
		return forbidden(e, "受理救助申请");
	if (apply_check(in, e) < 0)
		return -1;
	if (begin(db, e) < 0)
		return -1;
	return finish(db, apply_txn(db, a, in, out_id, e), e);
}

/* ------------------------------------------------------------------------------------------ */
/* steps                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static const char *const step_names[] = {
    NULL,      "investigate", "appraise",  "notice", "approve", "refuse",
    "suspend", "resume",      "terminate", "review", "reassess",
};

const char *assistance_step_name(enum assistance_step s)
{
	return s >= ASSISTANCE_STEP_INVESTIGATE && s <= ASSISTANCE_STEP_REASSESS ? step_names[s]
										  : NULL;
}

enum assistance_step assistance_step_from_name(const char *z)
{
	for (int i = ASSISTANCE_STEP_INVESTIGATE; z && i <= ASSISTANCE_STEP_REASSESS; i++)
		if (strcmp(step_names[i], z) == 0)
			return (enum assistance_step)i;
	return 0;
}

static const char *status_label(const char *s)
{
	static const struct {
		const char *code, *label;
	} t[] = {
	    {"applied", "已申请"},	{"investigated", "已调查"}, {"appraised", "已评议"},
	    {"notice", "公示中"},	{"active", "在保"},	    {"suspended", "已暂停"},
	    {"phaseout", "渐退中"}, {"terminated", "已终止"},   {"refused", "不予批准"},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].code, s) == 0)
			return t[i].label;
	return s;
}

/* 1 when `step` may follow status for the program. */
int assistance_step_allowed(const struct assistance_case *c, enum assistance_step step)
{
	const char *s = c->status;
	const int dibao = strcmp(c->program, ASSISTANCE_DIBAO) == 0;
	const int tekun = strcmp(c->program, ASSISTANCE_TEKUN) == 0;
	const int child = is_child_program(c->program);
	switch (step) {
	case ASSISTANCE_STEP_INVESTIGATE:
		return strcmp(s, "applied") == 0;
	case ASSISTANCE_STEP_APPRAISE:
		return !child && strcmp(s, "investigated") == 0;
	case ASSISTANCE_STEP_NOTICE:
		return (dibao && strcmp(s, "appraised") == 0) ||
		       (tekun && (strcmp(s, "investigated") == 0 || strcmp(s, "appraised") == 0));
	case ASSISTANCE_STEP_APPROVE:
		return child ? strcmp(s, "investigated") == 0 : strcmp(s, "notice") == 0;
	case ASSISTANCE_STEP_REFUSE:
		return strcmp(s, "applied") == 0 || strcmp(s, "investigated") == 0 ||
		       strcmp(s, "appraised") == 0 || strcmp(s, "notice") == 0;
	case ASSISTANCE_STEP_SUSPEND:
		return strcmp(s, "active") == 0;
	case ASSISTANCE_STEP_RESUME:
		return strcmp(s, "suspended") == 0;
	case ASSISTANCE_STEP_TERMINATE:
		return strcmp(s, "active") == 0 || strcmp(s, "suspended") == 0 ||
		       strcmp(s, "phaseout") == 0;
	case ASSISTANCE_STEP_REVIEW:
		return dibao && strcmp(s, "active") == 0;
	case ASSISTANCE_STEP_REASSESS:
		return tekun && (strcmp(s, "active") == 0 || strcmp(s, "suspended") == 0);
	}
	return 0;
}

static int step_refused(const struct assistance_case *c, enum assistance_step step, struct err *e)
{
	const int child = is_child_program(c->program);
	if (child && (step == ASSISTANCE_STEP_APPRAISE || step == ASSISTANCE_STEP_NOTICE))
		return err_set(e, 409, "invalid_step", NULL,
			       "儿童保障案件不经民主评议和公示（保护儿童个人信息），调查后直接报县级审批");
	if (step == ASSISTANCE_STEP_REVIEW && strcmp(c->program, ASSISTANCE_DIBAO) != 0)
		return err_set(e, 409, "invalid_step", NULL, "只有低保案件按类别定期复核");
	if (step == ASSISTANCE_STEP_REASSESS && strcmp(c->program, ASSISTANCE_TEKUN) != 0)
		return err_set(e, 409, "invalid_step", NULL, "只有特困案件评估生活自理能力");
	return err_set(e, 409, "invalid_step", NULL, "案件当前状态为“%s”，不能%s",
		       status_label(c->status),
		       step == ASSISTANCE_STEP_INVESTIGATE ? "录入入户调查"
		       : step == ASSISTANCE_STEP_APPRAISE  ? "录入民主评议"
		       : step == ASSISTANCE_STEP_NOTICE	   ? "开始公示"
		       : step == ASSISTANCE_STEP_APPROVE   ? "审批"
		       : step == ASSISTANCE_STEP_REFUSE	   ? "不予批准"
		       : step == ASSISTANCE_STEP_SUSPEND   ? "暂停发放"
		       : step == ASSISTANCE_STEP_RESUME	   ? "恢复发放"
		       : step == ASSISTANCE_STEP_TERMINATE ? "终止"
		       : step == ASSISTANCE_STEP_REVIEW	   ? "复核"
							   : "重新评估");
}

uint32_t assistance_step_perm(enum assistance_step step)
{
	switch (step) {
	case ASSISTANCE_STEP_APPROVE:
	case ASSISTANCE_STEP_REFUSE:
	case ASSISTANCE_STEP_SUSPEND:
	case ASSISTANCE_STEP_RESUME:
	case ASSISTANCE_STEP_TERMINATE:
		return PERM_ASSISTANCE_APPROVE;
	default:
		return PERM_ASSISTANCE_WRITE;
	}
}

/* The case row's changes of one step, written by one UPDATE. Strings are copied as given. */
struct change {
	const char *status;
	char start_month[8], end_month[8], suspended_from[8], suspended_until[8];
	char last_review_month[8], next_review_month[8], phaseout_from[8], review_category[12];
	char exit_cause[16], support_form[16];
	char notice_start[11], notice_end[11], last_step_on[11];
	int64_t monthly_amount_fen, assets_fen;
	int phaseout_months, exit_holdable, adl_mask;
	const char *reason;
};

static void change_from(struct change *ch, const struct assistance_case *c)
{
	memset(ch, 0, sizeof *ch);
	ch->status = c->status;
	text_copy(ch->start_month, 8, c->start_month);
	text_copy(ch->end_month, 8, c->end_month);
	text_copy(ch->suspended_from, 8, c->suspended_from);
	text_copy(ch->suspended_until, 8, c->suspended_until);
	text_copy(ch->last_review_month, 8, c->last_review_month);
	text_copy(ch->next_review_month, 8, c->next_review_month);
	text_copy(ch->phaseout_from, 8, c->phaseout_from);
	text_copy(ch->review_category, sizeof ch->review_category, c->review_category);
	text_copy(ch->exit_cause, sizeof ch->exit_cause, c->exit_cause);
	text_copy(ch->support_form, sizeof ch->support_form, c->support_form);
	text_copy(ch->notice_start, 11, c->notice_start);
	text_copy(ch->notice_end, 11, c->notice_end);
	text_copy(ch->last_step_on, 11, c->last_step_on);
	ch->monthly_amount_fen = c->monthly_amount_fen;
	ch->assets_fen = c->assets_fen;
	ch->phaseout_months = c->phaseout_months;
	ch->exit_holdable = c->exit_holdable;
	ch->adl_mask = c->adl_mask;
	ch->reason = c->reason;
}

static int change_write(struct db *db, int64_t id, const struct change *ch, const char *now,
			struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "UPDATE assistance_cases SET status = ?, start_month = ?, end_month = ?, "
	    "suspended_from = ?, suspended_until = ?, last_review_month = ?, next_review_month = ?, "
	    "phaseout_from = ?, review_category = ?, exit_cause = ?, support_form = ?, "
	    "notice_start = ?, notice_end = ?, last_step_on = ?, monthly_amount_fen = ?, "
	    "assets_fen = ?, phaseout_months = ?, exit_holdable = ?, adl_mask = ?, reason = ?, "
	    "updated_at = ? WHERE id = ?",
	    e);
	if (!st)
		return -1;
	int i = 1;
	db_bind_text(st, i++, ch->status);
	db_bind_text(st, i++, ch->start_month);
	db_bind_text(st, i++, ch->end_month);
	db_bind_text(st, i++, ch->suspended_from);
	db_bind_text(st, i++, ch->suspended_until);
	db_bind_text(st, i++, ch->last_review_month);
	db_bind_text(st, i++, ch->next_review_month);
	db_bind_text(st, i++, ch->phaseout_from);
	db_bind_text(st, i++, ch->review_category);
	db_bind_text(st, i++, ch->exit_cause);
	db_bind_text(st, i++, ch->support_form);
	db_bind_text(st, i++, ch->notice_start);
	db_bind_text(st, i++, ch->notice_end);
	db_bind_text(st, i++, ch->last_step_on);
	db_bind_int(st, i++, ch->monthly_amount_fen);
	db_bind_int(st, i++, ch->assets_fen);
	db_bind_int(st, i++, ch->phaseout_months);
	db_bind_int(st, i++, ch->exit_holdable);
	db_bind_int(st, i++, ch->adl_mask);
	db_bind_text(st, i++, ch->reason ? ch->reason : "");
	db_bind_text(st, i++, now);
	db_bind_int(st, i++, id);
	return db_run(st, e);
}

static int step_insert(struct db *db, const struct actor *a, int64_t id, const char *step,
		       json_t *record, const char *notice_start, const char *notice_end,
		       const char *now, struct err *e)
{
	char *text = json_text(record);
	if (!text)
		return err_oom(e);
	struct db_stmt *st = db_prepare(db,
					"INSERT INTO assistance_steps(case_id, step, at, by_user, "
					"record, notice_start, notice_end) VALUES (?,?,?,?,?,?,?)",
					e);
	if (!st) {
		free(text);
		return -1;
	}
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, step);
	db_bind_text(st, 3, now);
	db_bind_text(st, 4, a->username);
	db_bind_text(st, 5, text);
	db_bind_text(st, 6, notice_start ? notice_start : "");
	db_bind_text(st, 7, notice_end ? notice_end : "");
	free(text);
	return db_run(st, e);
}

static void fmt_month(int m, char out[8])
{
	assistance_month_format(m, out);
}

/* The dibao result as a record. */
static json_t *dibao_json(const struct assistance_dibao_result *r)
{
	return json_pack("{s:I, s:b, s:s, s:I, s:i, s:I, s:I, s:I, s:I, s:b}", "amount_fen",
			 (json_int_t)r->amount_fen, "eligible", r->eligible, "reason",
			 assistance_dibao_reason_code(r->reason), "standard_fen",
			 (json_int_t)r->standard_fen, "counted_members", r->counted_members,
			 "total_income_fen", (json_int_t)r->total_income_fen, "gap_fen",
			 (json_int_t)r->gap_fen, "uplift_fen", (json_int_t)r->uplift_fen,
			 "computed_fen", (json_int_t)r->computed_fen, "minimum_applied",
			 r->minimum_applied);
}

/* The amount an approval or review decides for `month` (the case as if paid normally then). */
static int decide_amount(struct db *db, const struct assistance_case *c, int month,
			 struct assistance_case_calc *calc, struct err *e)
{
	char m[8];
	fmt_month(month, m);
	return assistance_case_calc(db, c->id, m, 1, calc, e);
}

static int not_eligible_error(const struct assistance_case *c, const struct assistance_case_calc *k,
			      struct err *e)
{
	if (k->has_dibao)
		return err_set(e, 409, "not_eligible", NULL, "按现有登记信息计算不予保障：%s",
			       assistance_dibao_reason_text(k->dibao.reason));
	if (strcmp(k->why, "over_age") == 0)
		return err_set(e, 409, "not_eligible", NULL, "该儿童已超过发放年龄");
	if (strcmp(k->why, "person_removed") == 0)
		return err_set(e, 409, "not_eligible", NULL, "该人员已从户籍登记中注销");
	return err_set(e, 409, "not_eligible", NULL, "按现有登记信息计算，%s金额为 0",
		       program_label(c->program));
}

/* The review schedule after a review or approval in month `last`. */
static int schedule_review(struct db *db, const struct assistance_case *c, int last,
			   const char *category, char next[8], struct err *e)
{
	struct assistance_params p;
	struct assistance_review_due due;
	char m[8];
	memset(&p, 0, sizeof p);
	fmt_month(last, m);
	if (assistance_params_load(db, c->unit_code, c->residence_type, m, ASSISTANCE_PG_CASEWORK,
				   &p, e) < 0 ||
	    assistance_review_next(&p, last,
				   strcmp(category, "irregular") == 0 ? ASSISTANCE_REVIEW_IRREGULAR
								      : ASSISTANCE_REVIEW_STABLE,
				   NULL, 0, &due, e) < 0)
		return -1;
	fmt_month(due.scheduled_month, next);
	return 0;
}

/* 1 when an objection of the case is unresolved, -1 on error. */
static int open_objection(struct db *db, int64_t id, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT 1 FROM assistance_objections WHERE case_id = ? AND "
					"resolution = '' LIMIT 1",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

static int step_txn(struct db *db, const struct actor *a, int64_t id, enum assistance_step step,
		    const struct assistance_step_in *in, struct err *e)
{
	struct assistance_case *c = calloc(1, sizeof *c);
	struct assistance_case_calc *calc = NULL;
	struct change ch;
	json_t *rec = NULL;
	char now[32], today[11], date[11], m[8];
	const char *name = assistance_step_name(step);
	int rc = -1;
	const int cur = this_month_int();

	if (!c)
		return err_oom(e);
	if (case_load(db, a, id, c, e) < 0)
		goto out;
	if (!actor_can(a, assistance_step_perm(step))) {
		forbidden(e, assistance_step_perm(step) == PERM_ASSISTANCE_APPROVE
				 ? "作出审批决定（需县级审批权限）"
				 : "办理救助案件");
		goto out;
	}
	if (!assistance_step_allowed(c, step)) {
		step_refused(c, step, e);
		goto out;
	}
	/* the input, after scope and permission (a foreign case is 404 whatever was sent) */
	if (text_check(in->text, ASSISTANCE_TEXT_CHARS, 0, 1, "text", "说明", e) < 0 ||
	    text_check(in->people, ASSISTANCE_SHORT_CHARS, 0, 0, "people", "参加人员", e) < 0 ||
	    text_check(in->place, ASSISTANCE_SHORT_CHARS, 0, 0, "place", "公示地点", e) < 0)
		goto out;
	clock_now_iso(now);
	clock_today(today);
	change_from(&ch, c);
	if (!(rec = json_object())) {
		err_oom(e);
		goto out;
	}
	json_object_set_new(rec, "text", json_string(in->text));

	switch (step) {
	case ASSISTANCE_STEP_INVESTIGATE: {
		int64_t income;
		int n;
		if (record_date(in->date, c->last_step_on, "date", date, e) < 0)
			goto out;
		if (strcmp(in->result, "eligible") != 0 && strcmp(in->result, "ineligible") != 0) {
			err_set(e, 400, in->result[0] ? "invalid_value" : "required", "result",
				"请选择调查结论：eligible（符合条件）或 ineligible（不符合条件）");
			goto out;
		}
		if (in->assets_fen > ASSISTANCE_MAX_FEN) {
			err_set(e, 400, "invalid_value", "assets_fen", "家庭财产金额超出范围");
			goto out;
		}
		if (in->assets_fen >= 0)
			ch.assets_fen = in->assets_fen;
		json_object_set_new(rec, "date", json_string(date));
		json_object_set_new(rec, "result", json_string(in->result));
		json_object_set_new(rec, "people", json_string(in->people));
		json_object_set_new(rec, "assets_fen", json_integer((json_int_t)ch.assets_fen));
		json_t *mem = household_snapshot(db, c->household_id, &income, &n, e);
		if (!mem)
			goto out;
		json_object_set_new(rec, "members", mem);
		json_object_set_new(rec, "total_income_fen", json_integer((json_int_t)income));
		ch.status = "investigated";
		text_copy(ch.last_step_on, 11, date);
		break;
	}
	case ASSISTANCE_STEP_APPRAISE:
		if (record_date(in->date, c->last_step_on, "date", date, e) < 0)
			goto out;
		if (strcmp(in->result, "agree") != 0 && strcmp(in->result, "disagree") != 0) {
			err_set(e, 400, in->result[0] ? "invalid_value" : "required", "result",
				"请选择评议结果：agree（同意）或 disagree（不同意）");
			goto out;
		}
		if (in->attendees < 0 || in->votes_for < 0 || in->votes_for > in->attendees) {
			err_set(e, 400, "invalid_value", "votes_for",
				"同意人数应在 0 与参加人数之间");
			goto out;
		}
		json_object_set_new(rec, "date", json_string(date));
		json_object_set_new(rec, "result", json_string(in->result));
		json_object_set_new(rec, "people", json_string(in->people));
		json_object_set_new(rec, "attendees", json_integer(in->attendees));
		json_object_set_new(rec, "votes_for", json_integer(in->votes_for));
		ch.status = "appraised";
		text_copy(ch.last_step_on, 11, date);
		break;
	case ASSISTANCE_STEP_NOTICE: {
		/* the first day may lie a little ahead (posted tomorrow) or behind (posted before it
		 * was entered), never before the previous step */
		struct assistance_params p;
		struct assistance_notice win;
		memset(&p, 0, sizeof p);
		if (!in->date[0])
			text_copy(date, 11, today);
		else if (!date_valid(in->date)) {
			err_set(e, 400, "invalid_value", "date", "公示开始日期应为 YYYY-MM-DD 格式的有效日期");
			goto out;
		} else
			text_copy(date, 11, in->date);
		if (c->last_step_on[0] && strcmp(date, c->last_step_on) < 0) {
			err_set(e, 400, "invalid_value", "date", "公示开始日期不能早于上一步的日期（%s）",
				c->last_step_on);
			goto out;
		}
		if (month_of(date) > cur + 1) {
			err_set(e, 400, "invalid_value", "date", "公示开始日期最多可提前到下个月");
			goto out;
		}
		text_copy(m, 8, date);
		m[7] = '\0';
		if (assistance_params_load(db, c->unit_code, c->residence_type, m,
					   ASSISTANCE_PG_CASEWORK, &p, e) < 0 ||
		    assistance_notice_window(&p, date, &win, e) < 0)
			goto out;
		text_copy(ch.notice_start, 11, date);
		text_copy(ch.notice_end, 11, win.last_day);
		json_object_set_new(rec, "date", json_string(date));
		json_object_set_new(rec, "place", json_string(in->place));
		json_object_set_new(rec, "notice_days", json_integer(p.notice_days));
		json_object_set_new(rec, "last_day", json_string(win.last_day));
		json_object_set_new(rec, "approve_from", json_string(win.approve_from));
		ch.status = "notice";
		text_copy(ch.last_step_on, 11, date);
		break;
	}
	case ASSISTANCE_STEP_APPROVE: {
		if (strcmp(c->status, "notice") == 0) {
			if (!c->notice_end[0] || strcmp(today, c->notice_end) <= 0) {
				err_set(e, 409, "notice_running", NULL,
					"公示期（%s 至 %s）尚未届满，期满后的次日方可审批",
					c->notice_start, c->notice_end);
				goto out;
			}
			int o = open_objection(db, c->id, e);
			if (o != 0) {
				if (o > 0)
					err_set(e, 409, "objection_open", NULL,
						"公示期间有异议尚未核实处理，请先录入处理结果");
				goto out;
			}
		}
		if (!(calc = malloc(sizeof *calc))) {
			err_oom(e);
			goto out;
		}
		const int start = cur + 1;
		if (decide_amount(db, c, start, calc, e) < 0)
			goto out;
		if (!calc->owed) {
			not_eligible_error(c, calc, e);
			goto out;
		}
		ch.status = "active";
		fmt_month(start, ch.start_month);
		ch.end_month[0] = '\0';
		ch.monthly_amount_fen = calc->ent.amount_fen;
		ch.reason = "";
		text_copy(ch.last_step_on, 11, today);
		if (strcmp(c->program, ASSISTANCE_DIBAO) == 0) {
			fmt_month(cur, ch.last_review_month);
			if (schedule_review(db, c, cur, c->review_category, ch.next_review_month, e) < 0)
				goto out;
			json_object_set_new(rec, "dibao", dibao_json(&calc->dibao));
			json_object_set_new(rec, "next_review_month",
					    json_string(ch.next_review_month));
		}
		if (calc->has_tekun)
			json_object_set_new(
			    rec, "tekun",
			    json_pack("{s:I, s:I, s:I, s:I}", "standard_fen",
				      (json_int_t)calc->tekun.standard_fen, "basic_fen",
				      (json_int_t)calc->tekun.basic_fen, "care_fen",
				      (json_int_t)calc->tekun.care_fen, "total_fen",
				      (json_int_t)calc->tekun.total_fen));
		json_object_set_new(rec, "start_month", json_string(ch.start_month));
		json_object_set_new(rec, "amount_fen", json_integer((json_int_t)ch.monthly_amount_fen));
		break;
	}
	case ASSISTANCE_STEP_REFUSE:
	case ASSISTANCE_STEP_SUSPEND:
	case ASSISTANCE_STEP_RESUME:
	case ASSISTANCE_STEP_TERMINATE: {
		const int need = step != ASSISTANCE_STEP_RESUME;
		if (text_check(in->text, ASSISTANCE_TEXT_CHARS, need, 1, "text",
			       step == ASSISTANCE_STEP_REFUSE	 ? "不予批准的理由"
			       : step == ASSISTANCE_STEP_SUSPEND ? "暂停发放的理由"
			       : step == ASSISTANCE_STEP_RESUME	 ? "恢复发放的说明"
								 : "终止的理由",
			       e) < 0)
			goto out;
		text_copy(ch.last_step_on, 11, today);
		if (step == ASSISTANCE_STEP_REFUSE) {
			ch.status = "refused";
			ch.reason = in->text;
		} else if (step == ASSISTANCE_STEP_SUSPEND) {
			ch.status = "suspended";
			ch.reason = in->text;
			fmt_month(cur + 1, ch.suspended_from);
			ch.suspended_until[0] = '\0';
			json_object_set_new(rec, "from_month", json_string(ch.suspended_from));
		} else if (step == ASSISTANCE_STEP_RESUME) {
			ch.status = "active";
			ch.reason = "";
			fmt_month(cur + 1, ch.suspended_until);
			json_object_set_new(rec, "from_month", json_string(ch.suspended_until));
		} else {
			static const char *const causes[] = {"income", "death", "moved_away",
							     "request", "other"};
			int ok = 0;
			for (size_t i = 0; i < sizeof causes / sizeof causes[0]; i++)
				ok |= strcmp(in->cause, causes[i]) == 0;
			if (!ok) {
				err_set(e, 400, in->cause[0] ? "invalid_value" : "required", "cause",
					"请选择终止原因：income（收入超标）、death（死亡）、"
					"moved_away（迁出）、request（本人申请）或 other（其他）");
				goto out;
			}
			ch.status = "terminated";
			ch.reason = in->text;
			text_copy(ch.exit_cause, sizeof ch.exit_cause, in->cause);
			ch.exit_holdable =
			    strcmp(in->cause, "death") != 0 && strcmp(in->cause, "moved_away") != 0;
			fmt_month(cur, ch.end_month);
			json_object_set_new(rec, "cause", json_string(in->cause));
			json_object_set_new(rec, "last_month", json_string(ch.end_month));
			json_object_set_new(rec, "exit_holdable", json_boolean(ch.exit_holdable));
		}
		break;
	}
	case ASSISTANCE_STEP_REVIEW: {
		const int start = assistance_month_or_zero(c->start_month);
		if (cur < start) {
			err_set(e, 409, "review_too_early", NULL,
				"该案件从 %s 起发放，首次发放前无需复核", c->start_month);
			goto out;
		}
		const char *cat = in->category[0] ? in->category : c->review_category;
		if (strcmp(cat, "stable") != 0 && strcmp(cat, "irregular") != 0) {
			err_set(e, 400, "invalid_value", "category",
				"复核类别应为 stable（收入稳定）或 irregular（收入不固定）");
			goto out;
		}
		if (!(calc = malloc(sizeof *calc))) {
			err_oom(e);
			goto out;
		}
		if (decide_amount(db, c, cur, calc, e) < 0)
			goto out;
		text_copy(ch.review_category, sizeof ch.review_category, cat);
		fmt_month(cur, ch.last_review_month);
		text_copy(ch.last_step_on, 11, today);
		json_object_set_new(rec, "month", json_string(ch.last_review_month));
		json_object_set_new(rec, "category", json_string(cat));
		json_object_set_new(rec, "dibao", dibao_json(&calc->dibao));
		if (calc->dibao.reason == ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD) {
			/* income has reached the standard: the phase-out of the rules */
			struct assistance_params p;
			struct assistance_period *periods = NULL;
			struct assistance_phaseout plan;
			int np = 0;
			memset(&p, 0, sizeof p);
			if (assistance_params_load(db, c->unit_code, c->residence_type,
						   ch.last_review_month, ASSISTANCE_PG_CASEWORK, &p,
						   e) < 0 ||
			    assistance_periods_load(db, &periods, &np, e) < 0)
				goto out;
			int prc = assistance_phaseout_plan(cur, p.dibao_phaseout_months, periods, np,
							   &plan, e);
			free(periods);
			if (prc < 0)
				goto out;
			ch.status = "phaseout";
			fmt_month(cur, ch.phaseout_from);
			ch.phaseout_months = plan.months;
			fmt_month(plan.last_month, ch.end_month);
			ch.exit_holdable = 1;
			text_copy(ch.exit_cause, sizeof ch.exit_cause, "income");
			ch.next_review_month[0] = '\0';
			char first[8], last[8], exitm[8];
			fmt_month(plan.first_month, first);
			fmt_month(plan.last_month, last);
			fmt_month(plan.exit_month, exitm);
			json_object_set_new(rec, "result", json_string("phaseout"));
			json_object_set_new(
			    rec, "phaseout",
			    json_pack("{s:i, s:s, s:s, s:s, s:b, s:I}", "months", plan.months,
				      "first_month", first, "last_month", last, "exit_month", exitm,
				      "held", plan.held, "amount_fen",
				      (json_int_t)c->monthly_amount_fen));
		} else {
			if (schedule_review(db, c, cur, cat, ch.next_review_month, e) < 0)
				goto out;
			if (calc->owed) {
				ch.monthly_amount_fen = calc->ent.amount_fen;
				json_object_set_new(rec, "result", json_string("continue"));
			} else {
				json_object_set_new(rec, "result", json_string("not_eligible"));
			}
			json_object_set_new(rec, "amount_fen",
					    json_integer((json_int_t)ch.monthly_amount_fen));
			json_object_set_new(rec, "next_review_month",
					    json_string(ch.next_review_month));
		}
		break;
	}
	case ASSISTANCE_STEP_REASSESS: {
		const int adl = in->adl_mask >= 0 ? in->adl_mask : c->adl_mask;
		const char *form = in->support_form[0] ? in->support_form : c->support_form;
		if (adl > (int)ASSISTANCE_ADL_ALL) {
			err_set(e, 400, "invalid_value", "adl_mask", "日常生活活动只有 6 项（adl_mask 0–63）");
			goto out;
		}
		if (strcmp(form, "centralised") != 0 && strcmp(form, "scattered") != 0) {
			err_set(e, 400, "invalid_value", "support_form",
				"供养方式应为 centralised（集中）或 scattered（分散）");
			goto out;
		}
		if (record_date(in->date, c->last_step_on, "date", date, e) < 0)
			goto out;
		json_object_set_new(rec, "date", json_string(date));
		json_object_set_new(rec, "old_adl_mask", json_integer(c->adl_mask));
		json_object_set_new(rec, "old_support_form", json_string(c->support_form));
		json_object_set_new(rec, "adl_mask", json_integer(adl));
		json_object_set_new(rec, "support_form", json_string(form));
		ch.adl_mask = adl;
		text_copy(ch.support_form, sizeof ch.support_form, form);
		text_copy(ch.last_step_on, 11, date);
		/* write first, then compute the amount the new level gives from next month */
		if (change_write(db, c->id, &ch, now, e) < 0)
			goto out;
		if (!(calc = malloc(sizeof *calc))) {
			err_oom(e);
			goto out;
		}
		if (decide_amount(db, c, cur + 1, calc, e) < 0)
			goto out;
		if (calc->owed)
			ch.monthly_amount_fen = calc->ent.amount_fen;
		json_object_set_new(rec, "amount_fen", json_integer((json_int_t)ch.monthly_amount_fen));
		break;
	}
	}

	if (change_write(db, c->id, &ch, now, e) < 0)
		goto out;
	if (step_insert(db, a, c->id, name, rec, step == ASSISTANCE_STEP_NOTICE ? ch.notice_start : "",
			step == ASSISTANCE_STEP_NOTICE ? ch.notice_end : "", now, e) < 0) {
		rec = NULL;
		goto out;
	}
	rec = NULL;
	char action[40], detail[200];
	snprintf(action, sizeof action, "assistance.%s", name);
	snprintf(detail, sizeof detail, "status=%s->%s amount_fen=%lld", c->status, ch.status,
		 (long long)ch.monthly_amount_fen);
	rc = audit_case(db, a, action, c->id, detail, e);
out:
	json_decref(rec);
	free(calc);
	free(c);
	return rc;
}

int assistance_case_step(struct db *db, const struct actor *a, int64_t id, enum assistance_step step,
			 const struct assistance_step_in *in, struct err *e)
{
	if (!assistance_step_name(step))
		return err_set(e, 404, "not_found", NULL, "没有这个办理环节");
	if (!actor_can(a, PERM_ASSISTANCE_READ))
		return not_found(e);
	if (begin(db, e) < 0)
		return -1;
	return finish(db, step_txn(db, a, id, step, in, e), e);
}

/* ------------------------------------------------------------------------------------------ */
/* objections                                                                                 */
/* ------------------------------------------------------------------------------------------ */

static int objection_txn(struct db *db, const struct actor *a, int64_t case_id,
			 const char *content, const char *resolution, int64_t objection_id,
			 int64_t *out_id, struct err *e)
{
	struct assistance_case *c = calloc(1, sizeof *c);
	char now[32], detail[96];
	int rc = -1;
	if (!c)
		return err_oom(e);
	if (case_load(db, a, case_id, c, e) < 0)
		goto out;
	if (!actor_can(a, PERM_ASSISTANCE_WRITE)) {
		forbidden(e, "登记公示异议");
		goto out;
	}
	clock_now_iso(now);
	struct db_stmt *st;
	if (!objection_id) {
		if (strcmp(c->status, "notice") != 0) {
			err_set(e, 409, "invalid_step", NULL, "只有公示中的案件可以登记异议（当前：%s）",
				status_label(c->status));
			goto out;
		}
		if (text_check(content, ASSISTANCE_TEXT_CHARS, 1, 1, "content", "异议内容", e) < 0 ||
		    text_check(resolution, ASSISTANCE_TEXT_CHARS, 0, 1, "resolution", "核实处理结果",
			       e) < 0)
			goto out;
		const int resolved = !text_blank(resolution);
		if (!(st = db_prepare(db,
				      "INSERT INTO assistance_objections(case_id, at, by_user, "
				      "content, resolution, resolved_at, resolved_by) "
				      "VALUES (?,?,?,?,?,?,?)",
				      e)))
			goto out;
		db_bind_int(st, 1, case_id);
		db_bind_text(st, 2, now);
		db_bind_text(st, 3, a->username);
		db_bind_text(st, 4, content);
		db_bind_text(st, 5, resolved ? resolution : "");
		db_bind_text(st, 6, resolved ? now : "");
		db_bind_text(st, 7, resolved ? a->username : "");
		if (db_run(st, e) < 0)
			goto out;
		*out_id = db_last_id(db);
		snprintf(detail, sizeof detail, "objection_id=%lld resolved=%d", (long long)*out_id,
			 resolved);
	} else {
		if (objection_id < 0) {
			err_set(e, 400, "required", "objection_id", "请指明要处理的异议");
			goto out;
		}
		if (text_check(resolution, ASSISTANCE_TEXT_CHARS, 1, 1, "resolution", "核实处理结果",
			       e) < 0)
			goto out;
		if (!(st = db_prepare(db,
				      "SELECT resolution FROM assistance_objections WHERE id = ? AND "
				      "case_id = ?",
				      e)))
			goto out;
		db_bind_int(st, 1, objection_id);
		db_bind_int(st, 2, case_id);
		int found = db_step(st, e);
		int settled = found == 1 && db_col_text(st, 0)[0] != '\0';
		db_done(st);
		if (found < 0)
			goto out;
		if (found == 0) {
			err_set(e, 404, "not_found", "objection_id", "该案件没有这条异议");
			goto out;
		}
		if (settled) {
			err_set(e, 409, "invalid_step", "objection_id", "这条异议已经处理");
			goto out;
		}
		if (!(st = db_prepare(db,
				      "UPDATE assistance_objections SET resolution = ?, resolved_at = ?, "
				      "resolved_by = ? WHERE id = ?",
				      e)))
			goto out;
		db_bind_text(st, 1, resolution);
		db_bind_text(st, 2, now);
		db_bind_text(st, 3, a->username);
		db_bind_int(st, 4, objection_id);
		if (db_run(st, e) < 0)
			goto out;
		snprintf(detail, sizeof detail, "objection_id=%lld resolved=1",
			 (long long)objection_id);
	}
	rc = audit_case(db, a, "assistance.objection", case_id, detail, e);
out:
	free(c);
	return rc;
}

int assistance_objection_add(struct db *db, const struct actor *a, int64_t case_id,
			     const char *content, const char *resolution, int64_t *out_id,
			     struct err *e)
{
	int64_t id = 0;
	if (begin(db, e) < 0)
		return -1;
	int rc = finish(db, objection_txn(db, a, case_id, content, resolution, 0, &id, e), e);
	if (rc == 0 && out_id)
		*out_id = id;
	return rc;
}

int assistance_objection_resolve(struct db *db, const struct actor *a, int64_t case_id,
				 int64_t objection_id, const char *resolution, struct err *e)
{
	int64_t unused;
	if (begin(db, e) < 0)
		return -1;
	return finish(db,
		      objection_txn(db, a, case_id, "", resolution, objection_id > 0 ? objection_id : -1,
				    &unused, e),
		      e);
}

/* ------------------------------------------------------------------------------------------ */
/* refusals of suitable job offers                                                            */
/* ------------------------------------------------------------------------------------------ */

#define WORKING_AGE 16 /* Labour Law art. 15: nobody younger may be employed */

static int refusal_txn(struct db *db, const struct actor *a, int64_t case_id,
		       const struct assistance_job_refusal_in *in, int64_t *out_id, struct err *e)
{
	struct assistance_case *c = calloc(1, sizeof *c);
	struct assistance_case_calc *k = NULL;
	struct db_stmt *st;
	char now[32], date[11], month[8], detail[160];
	int rc = -1, found;

	if (!c)
		return err_oom(e);
	if (case_load(db, a, case_id, c, e) < 0)
		goto out;
	if (!actor_can(a, PERM_ASSISTANCE_WRITE)) {
		forbidden(e, "登记拒绝就业");
		goto out;
	}
	if (strcmp(c->program, ASSISTANCE_DIBAO) != 0 || strcmp(c->status, "active") != 0) {
		err_set(e, 409, "invalid_step", NULL,
			"只有正常发放中的低保案件可以登记拒绝就业（当前：%s，%s）",
			program_label(c->program), status_label(c->status));
		goto out;
	}
	/* the input, after scope and permission (a foreign case is 404 whatever was sent) */
	if (in->person_id <= 0) {
		err_set(e, 400, "required", "person_id", "请选择拒绝就业的家庭成员");
		goto out;
	}
	if (record_date(in->date, c->applied_at, "date", date, e) < 0 ||
	    text_check(in->offer, ASSISTANCE_TEXT_CHARS, 1, 1, "offer", "推荐的工作", e) < 0)
		goto out;
	/* a counted member: one this month's computation counts in the household (a member of the
	 * household, not removed, not on the 特困 roll) — the same code as the payroll */
	this_month(month);
	if (!(k = malloc(sizeof *k))) {
		err_oom(e);
		goto out;
	}
	if (assistance_case_calc(db, case_id, month, 1, k, e) < 0)
		goto out;
	const struct assistance_calc_member *m = NULL;
	for (int i = 0; i < k->n_members; i++)
		if (k->members[i].person_id == in->person_id && k->members[i].considered &&
		    !k->members[i].is_tekun)
			m = &k->members[i];
	if (!m) {
		err_set(e, 400, "invalid_value", "person_id", "该人员不是本户计入低保的家庭成员");
		goto out;
	}
	/* "a member able to work" (DOMAIN.md): the registry's labour capacity, and the legal age */
	if (!(st = db_prepare(db, "SELECT labour_capacity FROM persons WHERE id = ?", e)))
		goto out;
	db_bind_int(st, 1, in->person_id);
	found = db_step(st, e);
	const int unable = found == 1 && strcmp(db_col_text(st, 0), "none") == 0;
	db_done(st);
	if (found < 0)
		goto out;
	if (unable || m->age < WORKING_AGE) {
		err_set(e, 409, "not_able_to_work", "person_id",
			unable ? "%s登记为无劳动能力，不适用拒绝就业的规定"
			       : "%s未满 16 周岁，不适用拒绝就业的规定",
			m->name);
		goto out;
	}
	/* the same refusal twice would count twice towards the sanction */
	if (!(st = db_prepare(db,
			      "SELECT 1 FROM assistance_job_refusals WHERE case_id = ? AND "
			      "person_id = ? AND refused_on = ? AND offer = ?",
			      e)))
		goto out;
	db_bind_int(st, 1, case_id);
	db_bind_int(st, 2, in->person_id);
	db_bind_text(st, 3, date);
	db_bind_text(st, 4, in->offer);
	found = db_step(st, e);
	db_done(st);
	if (found < 0)
		goto out;
	if (found == 1) {
		err_set(e, 409, "duplicate_refusal", NULL, "这次拒绝就业已经登记过（%s %s）", m->name,
			date);
		goto out;
	}
	clock_now_iso(now);
	if (!(st = db_prepare(db,
			      "INSERT INTO assistance_job_refusals(case_id, person_id, refused_on, "
			      "offer, at, by_user) VALUES (?,?,?,?,?,?)",
			      e)))
		goto out;
	db_bind_int(st, 1, case_id);
	db_bind_int(st, 2, in->person_id);
	db_bind_text(st, 3, date);
	db_bind_text(st, 4, in->offer);
	db_bind_text(st, 5, now);
	db_bind_text(st, 6, a->username);
	if (db_run(st, e) < 0)
		goto out;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail, "refusal_id=%lld person_id=%lld date=%s", (long long)*out_id,
		 (long long)in->person_id, date);
	rc = audit_case(db, a, "assistance.job_refusal", case_id, detail, e);
out:
	free(k);
	free(c);
	return rc;
}

int assistance_job_refusal_add(struct db *db, const struct actor *a, int64_t case_id,
			       const struct assistance_job_refusal_in *in, int64_t *out_id,
			       struct err *e)
{
	int64_t id = 0;
	if (!actor_can(a, PERM_ASSISTANCE_READ))
		return not_found(e);
	if (begin(db, e) < 0)
		return -1;
	int rc = finish(db, refusal_txn(db, a, case_id, in, &id, e), e);
	if (rc == 0 && out_id)
		*out_id = id;
	return rc;
}

/* "YYYY-MM" of a month int plus n into out (refusal windows). */
static void month_plus(const char *date, int n, char out[8])
{
	char m[8];
	text_copy(m, sizeof m, date);
	assistance_month_format(assistance_month_or_zero(m) + n, out);
}

/* ------------------------------------------------------------------------------------------ */
/* case detail                                                                                */
/* ------------------------------------------------------------------------------------------ */

void assistance_case_detail_release(struct assistance_case_detail *d)
{
	for (int i = 0; i < d->n_steps; i++)
		free(d->steps[i].record);
	free(d->steps);
	free(d->objections);
	free(d->refusals);
	d->steps = NULL;
	d->objections = NULL;
	d->refusals = NULL;
	d->n_steps = d->n_objections = d->n_refusals = 0;
}

int assistance_case_get(struct db *db, const struct actor *a, int64_t id,
			struct assistance_case_detail *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (case_load(db, a, id, &out->c, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db,
					"SELECT id, step, at, by_user, record, notice_start, "
					"notice_end FROM assistance_steps WHERE case_id = ? ORDER BY id",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->steps, out->n_steps, &alloc, sizeof *out->steps, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		struct assistance_step_row *s = &out->steps[out->n_steps];
		memset(s, 0, sizeof *s);
		s->id = db_col_int(st, 0);
		text_copy(s->step, sizeof s->step, db_col_text(st, 1));
		text_copy(s->at, sizeof s->at, db_col_text(st, 2));
		text_copy(s->by, sizeof s->by, db_col_text(st, 3));
		s->record = strdup(db_col_text(st, 4));
		text_copy(s->notice_start, sizeof s->notice_start, db_col_text(st, 5));
		text_copy(s->notice_end, sizeof s->notice_end, db_col_text(st, 6));
		out->n_steps++;
		if (!s->record) {
			rc = err_oom(e);
			break;
		}
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	st = db_prepare(db,
			"SELECT id, at, by_user, content, resolution, resolved_at, resolved_by "
			"FROM assistance_objections WHERE case_id = ? ORDER BY id",
			e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, id);
	alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->objections, out->n_objections, &alloc, sizeof *out->objections, 4) < 0) {
			rc = err_oom(e);
			break;
		}
		struct assistance_objection *o = &out->objections[out->n_objections++];
		o->id = db_col_int(st, 0);
		text_copy(o->at, sizeof o->at, db_col_text(st, 1));
		text_copy(o->by, sizeof o->by, db_col_text(st, 2));
		text_copy(o->content, sizeof o->content, db_col_text(st, 3));
		text_copy(o->resolution, sizeof o->resolution, db_col_text(st, 4));
		text_copy(o->resolved_at, sizeof o->resolved_at, db_col_text(st, 5));
		text_copy(o->resolved_by, sizeof o->resolved_by, db_col_text(st, 6));
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	st = db_prepare(db,
			"SELECT f.id, f.person_id, coalesce(p.name, ''), f.refused_on, f.offer, f.at, "
			"f.by_user FROM assistance_job_refusals f LEFT JOIN persons p ON "
			"p.id = f.person_id WHERE f.case_id = ? ORDER BY f.refused_on, f.id",
			e);
	if (!st)
		goto fail;
	db_bind_int(st, 1, id);
	alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->refusals, out->n_refusals, &alloc, sizeof *out->refusals, 4) < 0) {
			rc = err_oom(e);
			break;
		}
		struct assistance_job_refusal *f = &out->refusals[out->n_refusals++];
		memset(f, 0, sizeof *f);
		f->id = db_col_int(st, 0);
		f->person_id = db_col_int(st, 1);
		text_copy(f->name, sizeof f->name, db_col_text(st, 2));
		text_copy(f->date, sizeof f->date, db_col_text(st, 3));
		text_copy(f->offer, sizeof f->offer, db_col_text(st, 4));
		text_copy(f->at, sizeof f->at, db_col_text(st, 5));
		text_copy(f->by, sizeof f->by, db_col_text(st, 6));
		/* counts from the month after it happened and was recorded, for 12 months */
		char from_day[11];
		text_copy(from_day, sizeof from_day, strcmp(f->at, f->date) > 0 ? f->at : f->date);
		month_plus(from_day, 1, f->counts_from);
		month_plus(f->date, ASSISTANCE_REFUSAL_WINDOW_MONTHS, f->counts_until);
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	return 0;
fail:
	assistance_case_detail_release(out);
	return -1;
}

/* ------------------------------------------------------------------------------------------ */
/* lists                                                                                      */
/* ------------------------------------------------------------------------------------------ */

void assistance_case_page_release(struct assistance_case_page *p)
{
	free(p->items);
	p->items = NULL;
	p->n = 0;
}

/* A narrowing region filter: "" or digits that overlap the actor's scope. */
static int region_filter(const struct actor *a, const char *region, struct err *e)
{
	int rc = scope_region_filter(&a->scope, region, e);
	if (rc > 0)
		return err_set(e, 404, "not_found", "region", "该区划不存在或不在您的管辖范围内");
	return rc;
}

/* Run a list query (sql has its binds: ?1.. given by bind_fn) collecting cases into out. */
static int collect(struct db_stmt *st, struct assistance_case_page *out, struct err *e)
{
	int rc, alloc = out->n;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
			rc = err_oom(e);
			break;
		}
		case_read(st, &out->items[out->n++]);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

#define LIST_WHERE                                                                                 \
	"(?1 = '' OR c.program = ?1) AND (?2 = '' OR c.status = ?2) AND (?3 = '' OR "             \
	"(?3 = 'pending' AND c.status IN ('applied','investigated','appraised','notice')) OR "    \
	"(?3 = 'on_roll' AND c.status IN ('active','suspended','phaseout')) OR "                   \
	"(?3 = 'closed' AND c.status IN ('terminated','refused'))) AND c.region_code >= ?4 AND "  \
	"c.region_code < ?5 AND "

int assistance_case_list(struct db *db, const struct actor *a, const struct assistance_case_query *q,
			 struct assistance_case_page *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT, cnt = STRBUF_INIT;
	int limit = q->limit ? q->limit : 20, rc = -1;
	memset(out, 0, sizeof *out);
	if (limit < 1 || limit > ASSISTANCE_PAGE_MAX)
		return err_set(e, 400, "invalid_value", "limit", "limit 应为 1–200");
	if (q->offset < 0)
		return err_set(e, 400, "invalid_value", "offset", "offset 不能为负");
	if (q->program[0] && strcmp(q->program, ASSISTANCE_DIBAO) != 0 &&
	    strcmp(q->program, ASSISTANCE_TEKUN) != 0 && !is_child_program(q->program))
		return err_set(e, 400, "invalid_value", "program", "未知的救助项目");
	if (q->status[0] && strcmp(status_label(q->status), q->status) == 0)
		return err_set(e, 400, "invalid_value", "status", "未知的案件状态");
	if (q->stage[0] && strcmp(q->stage, "pending") != 0 && strcmp(q->stage, "on_roll") != 0 &&
	    strcmp(q->stage, "closed") != 0)
		return err_set(e, 400, "invalid_value", "stage",
			       "stage 应为 pending（审核中）、on_roll（在册）或 closed（已结束）");
	if (region_filter(a, q->region, e) < 0)
		return -1;
	if (strbuf_addstr(&sql, "SELECT " FULL_COLS FULL_FROM "WHERE " LIST_WHERE) < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY c.id DESC LIMIT ? OFFSET ?") < 0 ||
	    strbuf_addstr(&cnt, "SELECT count(*) FROM assistance_cases c WHERE " LIST_WHERE) < 0 ||
	    scope_sql(&cnt, &a->scope, "c.region_code") < 0) {
		err_oom(e);
		goto out;
	}
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(db, strbuf_str(pass ? &sql : &cnt), e);
		if (!st)
			goto out;
		db_bind_text(st, 1, q->program);
		db_bind_text(st, 2, q->status);
		db_bind_text(st, 3, q->stage);
		int next = scope_bind_prefix(st, q->region, 4);
		next = scope_bind(st, &a->scope, next);
		if (pass == 0) {
			int r = db_step(st, e);
			out->total = r == 1 ? db_col_int(st, 0) : 0;
			db_done(st);
			if (r < 0)
				goto out;
		} else {
			db_bind_int(st, next, limit);
			db_bind_int(st, next + 1, q->offset);
			if (collect(st, out, e) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	strbuf_release(&sql);
	strbuf_release(&cnt);
	if (rc < 0)
		assistance_case_page_release(out);
	return rc;
}

int assistance_notices(struct db *db, const struct actor *a, const char *region, const char *date,
		       struct assistance_case_page *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	char day[11];
	memset(out, 0, sizeof *out);
	if (region_filter(a, region, e) < 0)
		return -1;
	if (!date || !*date)
		clock_today(day);
	else if (!date_valid(date))
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
	else
		text_copy(day, sizeof day, date);
	if (strbuf_addstr(&sql, "SELECT " FULL_COLS FULL_FROM
				"WHERE c.status = 'notice' AND c.notice_start <= ?1 AND "
				"c.notice_end >= ?1 AND c.region_code >= ?2 AND c.region_code < ?3 "
				"AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY c.region_code, c.id LIMIT 1000") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, day);
	scope_bind(st, &a->scope, scope_bind_prefix(st, region ? region : "", 2));
	if (collect(st, out, e) < 0) {
		assistance_case_page_release(out);
		return -1;
	}
	out->total = out->n;
	return 0;
}

static int month_arg(const char *month, int *m, struct err *e)
{
	if (!month || !*month) {
		*m = this_month_int();
		return 0;
	}
	*m = assistance_month_or_zero(month);
	if (!*m)
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM 格式");
	return 0;
}

int assistance_reviews_due(struct db *db, const struct actor *a, const char *region,
			   const char *month, struct assistance_review_list *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct assistance_case_page pg = {0};
	struct assistance_period *periods = NULL;
	struct assistance_params p;
	int np = 0, m, rc = -1;
	char ms[8];
	memset(out, 0, sizeof *out);
	if (month_arg(month, &m, e) < 0 || region_filter(a, region, e) < 0)
		return -1;
	fmt_month(m, ms);
	if (strbuf_addstr(&sql, "SELECT " FULL_COLS FULL_FROM
				"WHERE c.program = 'dibao' AND c.status = 'active' AND "
				"c.next_review_month <> '' AND c.next_review_month <= ?1 AND "
				"c.region_code >= ?2 AND c.region_code < ?3 AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY c.region_code, c.id") < 0) {
		err_oom(e);
		goto out;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	db_bind_text(st, 1, ms);
	scope_bind(st, &a->scope, scope_bind_prefix(st, region ? region : "", 2));
	if (collect(st, &pg, e) < 0 || assistance_periods_load(db, &periods, &np, e) < 0)
		goto out;
	if (pg.n && !(out->items = calloc((size_t)pg.n, sizeof *out->items))) {
		err_oom(e);
		goto out;
	}
	memset(&p, 0, sizeof p);
	for (int i = 0; i < pg.n; i++) {
		const struct assistance_case *c = &pg.items[i];
		struct assistance_review_due due;
		int last = assistance_month_or_zero(c->last_review_month);
		int sched = assistance_month_or_zero(c->next_review_month);
		if (!last || !sched)
			continue;
		/* the interval is what was scheduled; the periods may postpone it */
		p.review_stable_months = p.review_irregular_months = sched - last;
		if (sched - last < 1 ||
		    assistance_review_next(&p, last,
					   strcmp(c->review_category, "irregular") == 0
					       ? ASSISTANCE_REVIEW_IRREGULAR
					       : ASSISTANCE_REVIEW_STABLE,
					   periods, np, &due, e) < 0)
			continue;
		if (due.due_month > m) {
			out->postponed++;
			continue;
		}
		struct assistance_review_item *it = &out->items[out->n++];
		it->c = *c;
		fmt_month(due.scheduled_month, it->scheduled_month);
		fmt_month(due.due_month, it->due_month);
		it->postponed = due.postponed;
		it->overdue = due.due_month < m;
	}
	rc = 0;
out:
	strbuf_release(&sql);
	assistance_case_page_release(&pg);
	free(periods);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

int assistance_held_exits(struct db *db, const struct actor *a, const char *region,
			  const char *month, struct assistance_held_list *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct assistance_case_page pg = {0};
	struct assistance_period *periods = NULL;
	int np = 0, m, rc = -1;
	char ms[8];
	memset(out, 0, sizeof *out);
	if (month_arg(month, &m, e) < 0 || region_filter(a, region, e) < 0)
		return -1;
	fmt_month(m, ms);
	if (assistance_periods_load(db, &periods, &np, e) < 0)
		goto out;
	if (np == 0) {
		rc = 0;
		goto out;
	}
	if (strbuf_addstr(&sql, "SELECT " FULL_COLS FULL_FROM
				"WHERE c.status IN ('phaseout','terminated') AND c.exit_holdable = 1 "
				"AND c.end_month <> '' AND c.region_code >= ?1 AND "
				"c.region_code < ?2 AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY c.region_code, c.id") < 0) {
		err_oom(e);
		goto out;
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	scope_bind(st, &a->scope, scope_bind_prefix(st, region ? region : "", 1));
	if (collect(st, &pg, e) < 0)
		goto out;
	if (pg.n && !(out->items = calloc((size_t)pg.n, sizeof *out->items))) {
		err_oom(e);
		goto out;
	}
	for (int i = 0; i < pg.n; i++) {
		const struct assistance_case *c = &pg.items[i];
		const int start = assistance_month_or_zero(c->start_month);
		const int end = assistance_month_or_zero(c->end_month);
		const int po = assistance_month_or_zero(c->phaseout_from);
		int exit, held;
		const char *state;
		if (!start || !end)
			continue;
		if (strcmp(c->status, "phaseout") == 0 && po) {
			struct assistance_phaseout plan;
			struct assistance_pay_status ps;
			struct assistance_case_months cm = {start, po, c->phaseout_months};
			if (assistance_phaseout_plan(po, c->phaseout_months, periods, np, &plan, e) < 0 ||
			    assistance_pay_status(&cm, periods, np, m, &ps, e) < 0)
				continue;
			exit = plan.unheld_exit_month;
			held = plan.exit_month;
			state = assistance_pay_state_code(ps.state);
		} else {
			exit = end + 1;
			if (assistance_exit_hold(exit, periods, np, &held, e) < 0)
				continue;
			state = m <= end ? "active" : "held";
		}
		if (held == exit || held <= m)
			continue; /* not held, or the held exit has happened */
		struct assistance_held_item *it = &out->items[out->n++];
		it->c = *c;
		fmt_month(exit, it->exit_month);
		fmt_month(held, it->held_exit_month);
		text_copy(it->state, sizeof it->state, state);
	}
	rc = 0;
out:
	strbuf_release(&sql);
	assistance_case_page_release(&pg);
	free(periods);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* epidemic periods                                                                           */
/* ------------------------------------------------------------------------------------------ */

static int epidemic_txn(struct db *db, const struct actor *a, const char *start, const char *end,
			const char *note, int64_t *out_id, struct err *e)
{
	char now[32], detail[200];
	struct db_stmt *st = db_prepare(db,
					"SELECT start_month, end_month FROM epidemic_periods WHERE "
					"start_month <= ? AND end_month >= ? LIMIT 1",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, end);
	db_bind_text(st, 2, start);
	int rc = db_step(st, e);
	if (rc == 1) {
		char s[8], t[8];
		text_copy(s, sizeof s, db_col_text(st, 0));
		text_copy(t, sizeof t, db_col_text(st, 1));
		db_done(st);
		return err_set(e, 409, "period_overlap", "start_month",
			       "与已宣布的疫情期间 %s 至 %s 重叠", s, t);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	clock_now_iso(now);
	if (!(st = db_prepare(db,
			      "INSERT INTO epidemic_periods(start_month, end_month, note, "
			      "declared_by, declared_at) VALUES (?,?,?,?,?)",
			      e)))
		return -1;
	db_bind_text(st, 1, start);
	db_bind_text(st, 2, end);
	db_bind_text(st, 3, note ? note : "");
	db_bind_text(st, 4, a->username);
	db_bind_text(st, 5, now);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	snprintf(detail, sizeof detail, "start_month=%s end_month=%s", start, end);
	char object[48];
	snprintf(object, sizeof object, "epidemic_period:%lld", (long long)*out_id);
	return audit_append(db, a, "assistance.epidemic", object, "ok", detail, e);
}

int assistance_epidemic_declare(struct db *db, const struct actor *a, const char *start_month,
				const char *end_month, const char *note, int64_t *out_id,
				struct err *e)
{
	const size_t rn = strlen(a->region_code);
	/* the city's decision: the city admin (a city-wide scope) or the system */
	if (!actor_can(a, PERM_ASSISTANCE_APPROVE) || rn > 4 || a->scope.n != 1 ||
	    strlen(a->scope.prefix[0]) > 4)
		return forbidden(e, "宣布疫情期间（须市级管理员）");
	int s = assistance_month_or_zero(start_month), t = assistance_month_or_zero(end_month);
	if (!start_month || !*start_month)
		return err_set(e, 400, "required", "start_month", "请填写开始月份");
	if (!s)
		return err_set(e, 400, "invalid_value", "start_month", "开始月份应为 YYYY-MM 格式");
	if (!end_month || !*end_month)
		return err_set(e, 400, "required", "end_month", "请填写结束月份");
	if (!t)
		return err_set(e, 400, "invalid_value", "end_month", "结束月份应为 YYYY-MM 格式");
	if (t < s)
		return err_set(e, 400, "invalid_value", "end_month", "结束月份不能早于开始月份");
	if (t - s >= ASSISTANCE_MAX_PERIOD_MONTHS)
		return err_set(e, 400, "invalid_value", "end_month", "一个疫情期间最长 120 个月");
	if (text_check(note, 200, 0, 1, "note", "说明（文件依据）", e) < 0)
		return -1;
	if (s < this_month_int()) {
		char cur[8];
		this_month(cur);
		return err_set(e, 409, "period_locked", "start_month",
			       "%s 已过去，该月可能已经发放；疫情期间只能从本月（%s）或以后开始",
			       start_month, cur);
	}
	if (begin(db, e) < 0)
		return -1;
	return finish(db, epidemic_txn(db, a, start_month, end_month, note, out_id, e), e);
}

int assistance_epidemic_list(struct db *db, struct assistance_epidemic_period **out, int *n,
			     struct err *e)
{
	*out = NULL;
	*n = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT id, start_month, end_month, note, declared_by, "
					"declared_at FROM epidemic_periods ORDER BY start_month DESC, id DESC",
					e);
	if (!st)
		return -1;
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 8) < 0) {
			rc = err_oom(e);
			break;
		}
		struct assistance_epidemic_period *x = &(*out)[(*n)++];
		x->id = db_col_int(st, 0);
		text_copy(x->start_month, sizeof x->start_month, db_col_text(st, 1));
		text_copy(x->end_month, sizeof x->end_month, db_col_text(st, 2));
		text_copy(x->note, sizeof x->note, db_col_text(st, 3));
		text_copy(x->declared_by, sizeof x->declared_by, db_col_text(st, 4));
		text_copy(x->declared_at, sizeof x->declared_at, db_col_text(st, 5));
	}
	db_done(st);
	if (rc < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* recipients already on the roll                                                             */
/* ------------------------------------------------------------------------------------------ */

/* The application as assistance_case_apply records it (same checks, same audit row), then the
 * case goes straight to active from start_month with the amount on the old roll: a step
 * "record_existing" holding both, audited assistance.record_existing. */
static int record_existing_txn(struct db *db, const struct actor *a,
			       const struct assistance_apply_in *in, int start, int64_t amount_fen,
			       int64_t *out_id, struct err *e)
{
	char start_month[8], today[11], now[32], next_review[8] = "", last_review[8] = "";
	const int dibao = strcmp(in->program, ASSISTANCE_DIBAO) == 0;
	if (apply_txn(db, a, in, out_id, e) < 0)
		return -1;
	fmt_month(start, start_month);
	clock_today(today);
	clock_now_iso(now);
	if (dibao) {
		struct assistance_case *c = calloc(1, sizeof *c);
		if (!c)
			return err_oom(e);
		int rc = case_load(db, a, *out_id, c, e);
		if (rc == 0) {
			fmt_month(this_month_int(), last_review);
			rc = schedule_review(db, c, this_month_int(), c->review_category, next_review, e);
		}
		free(c);
		if (rc < 0)
			return -1;
	}
	struct db_stmt *st = db_prepare(db,
					"UPDATE assistance_cases SET status = 'active', start_month = ?, "
					"end_month = '', monthly_amount_fen = ?, last_step_on = ?, "
					"last_review_month = ?, next_review_month = ?, updated_at = ? "
					"WHERE id = ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, start_month);
	db_bind_int(st, 2, amount_fen);
	db_bind_text(st, 3, today);
	db_bind_text(st, 4, last_review);
	db_bind_text(st, 5, next_review);
	db_bind_text(st, 6, now);
	db_bind_int(st, 7, *out_id);
	if (db_run(st, e) < 0)
		return -1;
	char record[128], detail[160];
	snprintf(record, sizeof record, "{\"start_month\":\"%s\",\"amount_fen\":%lld}", start_month,
		 (long long)amount_fen);
	st = db_prepare(db,
			"INSERT INTO assistance_steps(case_id, step, at, by_user, record) "
			"VALUES (?, 'record_existing', ?, ?, ?)",
			e);
	if (!st)
		return -1;
	db_bind_int(st, 1, *out_id);
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, a->username);
	db_bind_text(st, 4, record);
	if (db_run(st, e) < 0)
		return -1;
	snprintf(detail, sizeof detail, "program=%s start_month=%s amount_fen=%lld", in->program,
		 start_month, (long long)amount_fen);
	return audit_case(db, a, "assistance.record_existing", *out_id, detail, e);
}

int assistance_case_record_existing(struct db *db, const struct actor *a,
				    const struct assistance_apply_in *in, const char *start_month,
				    int64_t monthly_amount_fen, int64_t *out_id, struct err *e)
{
	int start;
	if (!actor_can(a, PERM_ASSISTANCE_WRITE) || !actor_can(a, PERM_ASSISTANCE_APPROVE))
		return forbidden(e, "登记已在册的救助对象");
	if (apply_check(in, e) < 0)
		return -1;
	if (!start_month || !start_month[0])
		return err_set(e, 400, "required", "start_month", "请填写起始月份（YYYY-MM）");
	if (assistance_month_parse(start_month, &start) < 0)
		return err_set(e, 400, "invalid_value", "start_month", "起始月份应为 YYYY-MM 格式：%.16s",
			       start_month);
	if (start > this_month_int())
		return err_set(e, 400, "invalid_value", "start_month",
			       "起始月份不能晚于本月：已在册的对象应已开始享受");
	if (monthly_amount_fen <= 0 || monthly_amount_fen > ASSISTANCE_MAX_FEN)
		return err_set(e, 400, "invalid_value", "monthly_amount_fen", "月救助金额应大于 0");
	if (db_in_transaction(db)) /* the caller's (an import): it commits or rolls back */
		return record_existing_txn(db, a, in, start, monthly_amount_fen, out_id, e);
	if (begin(db, e) < 0)
		return -1;
	return finish(db, record_existing_txn(db, a, in, start, monthly_amount_fen, out_id, e), e);
}
