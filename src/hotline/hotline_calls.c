/* hotline_calls.c — lines and call records (see hotline.h): the lines as data, recording a call
 * (and opening its case in the same transaction), corrections as new records, promised
 * callbacks, reading a call with its correction chain (masked unless unmasked and audited), the
 * call list and the retention purge.
 *
 * How it works:
 * - A call record is never updated (a trigger refuses it). A correction is a new row with
 *   corrects_id = the corrected row and root_id = the chain's first row; the UNIQUE corrects_id
 *   lets a record be corrected once, so a chain is a line and "the latest version" is the row no
 *   other row corrects. Lists show latest versions; a case refers to the chain's first row.
 * - Every read goes through SQL that appends scope_sql() on the call's region_code: a call
 *   outside the actor's scope is not found (404).
 * - Every write is one BEGIN IMMEDIATE transaction with its audit row.
 */
#include "hotline/hotline_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/strbuf.h"
#include "core/text.h"

/* ------------------------------------------------------------------------------------------ */
/* lines                                                                                      */
/* ------------------------------------------------------------------------------------------ */

int hotline_lines_list(struct db *db, const struct actor *a, struct hotline_line **out, int *n,
		       struct err *e)
{
	*out = NULL;
	*n = 0;
	if (!actor_can(a, PERM_HOTLINE))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看热线");
	struct db_stmt *st = db_prepare(db,
					"SELECT code, name, number, kind, active, updated_at, updated_by "
					"FROM hotline_lines ORDER BY active DESC, code",
					e);
	if (!st)
		return -1;
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(out, *n, &alloc, sizeof **out, 4) < 0) {
			db_done(st);
			free(*out);
			*out = NULL;
			*n = 0;
			return err_oom(e);
		}
		struct hotline_line *l = &(*out)[(*n)++];
		memset(l, 0, sizeof *l);
		text_copy(l->code, sizeof l->code, db_col_text(st, 0));
		text_copy(l->name, sizeof l->name, db_col_text(st, 1));
		text_copy(l->number, sizeof l->number, db_col_text(st, 2));
		text_copy(l->kind, sizeof l->kind, db_col_text(st, 3));
		l->active = (int)db_col_int(st, 4);
		text_copy(l->updated_at, sizeof l->updated_at, db_col_text(st, 5));
		text_copy(l->updated_by, sizeof l->updated_by, db_col_text(st, 6));
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

static int line_code_ok(const char *z)
{
	size_t n = z ? strlen(z) : 0;
	if (n < 2 || n > 20)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((z[i] >= 'a' && z[i] <= 'z') || (z[i] >= '0' && z[i] <= '9') || z[i] == '_'))
			return 0;
	return 1;
}

int hotline_line_set(struct db *db, const struct actor *a, const struct hotline_line *in,
		     struct err *e)
{
	if (!actor_can(a, PERM_HOTLINE) || !hotline_city_actor(a))
		return err_set(e, 403, "forbidden", NULL, "热线由市局统一设置，您无权修改");
	if (!line_code_ok(in->code))
		return err_set(e, 400, "invalid_value", "code",
			       "热线代码应为 2–20 位小写字母、数字或下划线（如 child）");
	if (text_check(in->name, HOTLINE_NAME_CHARS, 1, 0, "name", "热线名称", e) < 0 ||
	    hotline_code_check(hotline_line_kinds, in->kind, 1, "kind", "热线类别", e) < 0)
		return -1;
	long digits = 0;
	for (const char *p = in->number; *p; p++) {
		if ((*p >= '0' && *p <= '9'))
			digits++;
		else if (*p != '-' && *p != ' ' && *p != '(' && *p != ')')
			return err_set(e, 400, "invalid_value", "number",
				       "号码只能包含数字、空格、括号和“-”");
	}
	if (digits < 3 || strlen(in->number) > 30)
		return err_set(e, 400, "invalid_value", "number", "号码应为 3–30 个字符，至少 3 位数字");
	if (in->active != 0 && in->active != 1)
		return err_set(e, 400, "invalid_value", "active", "active 应为 true 或 false");
	char now[32], detail[256];
	hotline_now(now);
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO hotline_lines(code, name, number, kind, active, updated_at, updated_by) "
	    "VALUES (?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET name = excluded.name, number = "
	    "excluded.number, kind = excluded.kind, active = excluded.active, updated_at = "
	    "excluded.updated_at, updated_by = excluded.updated_by",
	    e);
	int rc = -1;
	if (st) {
		db_bind_text(st, 1, in->code);
		db_bind_text(st, 2, in->name);
		db_bind_text(st, 3, in->number);
		db_bind_text(st, 4, in->kind);
		db_bind_int(st, 5, in->active);
		db_bind_text(st, 6, now);
		db_bind_text(st, 7, a->username);
		rc = db_run(st, e);
	}
	if (rc == 0) {
		json_t *d = json_pack("{s:s, s:s, s:s, s:b}", "name", in->name, "number", in->number,
				      "kind", in->kind, "active", in->active);
		char *dump = d ? json_dumps(d, JSON_COMPACT) : NULL;
		snprintf(detail, sizeof detail, "%s", dump ? dump : "{}");
		free(dump);
		json_decref(d);
		char object[64];
		snprintf(object, sizeof object, "hotline_line:%s", in->code);
		rc = audit_append(db, a, "hotline.line_set", object, "ok", detail, e);
	}
	return hotline_finish(db, rc, e);
}

/* ------------------------------------------------------------------------------------------ */
/* reading calls                                                                              */
/* ------------------------------------------------------------------------------------------ */

#define CALL_COLS                                                                                  \
	"c.id, c.line_code, coalesce(l.name, ''), coalesce(l.kind, ''), c.called_at, "            \
	"c.duration_seconds, c.caller_name, c.caller_phone, c.region_code, coalesce(r.name, ''), " \
	"c.address, c.category, c.description, c.urgency, c.operator, c.outcome, c.advice, "       \
	"c.callback_due, coalesce(cb.done_at, ''), coalesce(cb.done_by, ''), coalesce(cb.note, ''), " \
	"coalesce(c.corrects_id, 0), coalesce(nx.id, 0), c.correction_reason, "                    \
	"coalesce(k.id, 0), c.recorded_at, c.recorded_by "
#define CALL_FROM                                                                                  \
	" FROM hotline_calls c LEFT JOIN hotline_lines l ON l.code = c.line_code "                 \
	"LEFT JOIN regions r ON r.code = c.region_code "                                           \
	"LEFT JOIN hotline_callbacks cb ON cb.call_id = c.id "                                     \
	"LEFT JOIN hotline_calls nx ON nx.corrects_id = c.id "                                     \
	"LEFT JOIN hotline_cases k ON k.call_id = coalesce(c.root_id, c.id) "

static void call_read(struct db_stmt *st, struct hotline_call *c)
{
	int i = 0;
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, i++);
	text_copy(c->line_code, sizeof c->line_code, db_col_text(st, i++));
	text_copy(c->line_name, sizeof c->line_name, db_col_text(st, i++));
	text_copy(c->line_kind, sizeof c->line_kind, db_col_text(st, i++));
	text_copy(c->called_at, sizeof c->called_at, db_col_text(st, i++));
	c->duration_seconds = (int)db_col_int(st, i++);
	text_copy(c->caller_name, sizeof c->caller_name, db_col_text(st, i++));
	text_copy(c->caller_phone, sizeof c->caller_phone, db_col_text(st, i++));
	text_copy(c->region_code, sizeof c->region_code, db_col_text(st, i++));
	text_copy(c->region_name, sizeof c->region_name, db_col_text(st, i++));
	text_copy(c->address, sizeof c->address, db_col_text(st, i++));
	text_copy(c->category, sizeof c->category, db_col_text(st, i++));
	text_copy(c->description, sizeof c->description, db_col_text(st, i++));
	text_copy(c->urgency, sizeof c->urgency, db_col_text(st, i++));
	text_copy(c->operator_name, sizeof c->operator_name, db_col_text(st, i++));
	text_copy(c->outcome, sizeof c->outcome, db_col_text(st, i++));
	text_copy(c->advice, sizeof c->advice, db_col_text(st, i++));
	text_copy(c->callback_due, sizeof c->callback_due, db_col_text(st, i++));
	text_copy(c->callback_at, sizeof c->callback_at, db_col_text(st, i++));
	text_copy(c->callback_by, sizeof c->callback_by, db_col_text(st, i++));
	text_copy(c->callback_note, sizeof c->callback_note, db_col_text(st, i++));
	c->corrects_id = db_col_int(st, i++);
	c->corrected_by_id = db_col_int(st, i++);
	text_copy(c->correction_reason, sizeof c->correction_reason, db_col_text(st, i++));
	c->case_id = db_col_int(st, i++);
	text_copy(c->recorded_at, sizeof c->recorded_at, db_col_text(st, i++));
	text_copy(c->recorded_by, sizeof c->recorded_by, db_col_text(st, i++));
}

/* Call `id` if it lies in the actor's scope: 0, or -1 with 404. */
static int call_load(struct db *db, const struct actor *a, int64_t id, struct hotline_call *c,
		     struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (id <= 0)
		return hotline_not_found(e, "来电记录");
	if (strbuf_addstr(&sql, "SELECT " CALL_COLS CALL_FROM "WHERE c.id = ? AND ") < 0 ||
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
		call_read(st, c);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : hotline_not_found(e, "来电记录");
}

/* The rows of a chain (root = the first record's id), oldest first, appended to *arr. Scope is
 * the first record's business (checked by the caller): a correction keeps being the same call
 * even when it moved the location. */
static int chain_load(struct db *db, int64_t root, struct hotline_call **arr, int *n,
		      struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT " CALL_COLS CALL_FROM
					"WHERE coalesce(c.root_id, c.id) = ? ORDER BY c.id",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, root);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(arr, *n, &alloc, sizeof **arr, 2) < 0) {
			db_done(st);
			return err_oom(e);
		}
		call_read(st, &(*arr)[(*n)++]);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int64_t root_of(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, "SELECT coalesce(root_id, id) FROM hotline_calls WHERE id = ?",
					NULL);
	if (!st)
		return id;
	db_bind_int(st, 1, id);
	int64_t root = db_step(st, NULL) == 1 ? db_col_int(st, 0) : id;
	db_done(st);
	return root;
}

void hotline_call_detail_release(struct hotline_call_detail *d)
{
	if (!d)
		return;
	free(d->versions);
	d->versions = NULL;
	d->n_versions = 0;
}

static int call_get_txn(struct db *db, const struct actor *a, int64_t id,
			struct hotline_call_detail *out, struct err *e)
{
	if (call_load(db, a, id, &out->call, e) < 0)
		return -1;
	return chain_load(db, root_of(db, id), &out->versions, &out->n_versions, e);
}

int hotline_call_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct hotline_call_detail *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int rc;
	if (unmask) {
		/* found first: an out-of-scope call is 404 whatever the permission */
		if (db_begin_write(db, e) < 0)
			return -1;
		rc = call_get_txn(db, a, id, out, e);
		if (rc == 0)
			rc = hotline_unmask_allowed(a, e);
		if (rc == 0)
			rc = audit_append_id(db, a, "hotline_call.unmask", "hotline_call", id, NULL,
					     e);
		if (hotline_finish(db, rc, e) < 0) {
			hotline_call_detail_release(out);
			return -1;
		}
		out->unmasked = 1;
		return 0;
	}
	int began = hotline_begin_read(db, e);
	if (began < 0)
		return -1;
	rc = call_get_txn(db, a, id, out, e);
	hotline_end_read(db, began);
	if (rc < 0)
		hotline_call_detail_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* recording                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/* A call input checked and normalised into a struct hotline_call (the row to insert). */
static int call_check(struct db *db, const struct actor *a, const struct hotline_call_in *in,
		      int correction, struct hotline_call *c, struct err *e)
{
	struct hotline_line line;
	int r;
	if (!in->line_code[0])
		return err_set(e, 400, "required", "line_code", "请选择热线");
	if ((r = hotline_line_load(db, in->line_code, &line, e)) < 0)
		return -1;
	if (r == 1)
		return err_set(e, 400, "invalid_value", "line_code", "没有这条热线：%.20s",
			       in->line_code);
	if (!line.active && !correction)
		return err_set(e, 400, "invalid_value", "line_code", "热线“%s”已停用", line.name);
	text_copy(c->line_code, sizeof c->line_code, line.code);
	text_copy(c->line_kind, sizeof c->line_kind, line.kind);
	if (hotline_past_time(in->called_at, "called_at", "来电时间", c->called_at, e) < 0)
		return -1;
	if (in->duration_seconds < 0 || in->duration_seconds > HOTLINE_MAX_DURATION)
		return err_set(e, 400, "invalid_value", "duration_seconds",
			       "通话时长应为 0–86400 秒");
	c->duration_seconds = in->duration_seconds;
	if (text_check(in->caller_name, HOTLINE_NAME_CHARS, 0, 0, "caller_name",
			       "来电人姓名", e) < 0 ||
	    hotline_phone_norm(in->caller_phone, "caller_phone", c->caller_phone, e) < 0 ||
	    hotline_region_check(db, a, in->region_code, "region_code", c->region_name, NULL, e) <
		0 ||
	    text_check(in->address, HOTLINE_SHORT_CHARS, 0, 0, "address", "地址", e) < 0 ||
	    hotline_code_check(hotline_categories, in->category, 1, "category", "来电类别", e) < 0 ||
	    text_check(in->description, HOTLINE_TEXT_CHARS, 1, 1, "description",
			       "来电内容", e) < 0 ||
	    hotline_code_check(hotline_urgencies, in->urgency, 1, "urgency", "紧急程度", e) < 0 ||
	    hotline_code_check(hotline_call_outcomes, in->outcome, 1, "outcome", "处理结果", e) <
		0)
		return -1;
	int needs_advice = strcmp(in->outcome, "advice") == 0 || strcmp(in->outcome, "referred") == 0;
	if (text_check(in->advice, HOTLINE_TEXT_CHARS, needs_advice, 1, "advice",
			       strcmp(in->outcome, "referred") == 0 ? "转介去向" : "给予的建议",
			       e) < 0)
		return -1;
	text_copy(c->caller_name, sizeof c->caller_name,
		     text_blank(in->caller_name) ? "匿名" : in->caller_name);
	text_copy(c->region_code, sizeof c->region_code, in->region_code);
	text_copy(c->address, sizeof c->address, in->address);
	text_copy(c->category, sizeof c->category, in->category);
	text_copy(c->description, sizeof c->description, in->description);
	text_copy(c->urgency, sizeof c->urgency, in->urgency);
	text_copy(c->outcome, sizeof c->outcome, in->outcome);
	text_copy(c->advice, sizeof c->advice, in->advice);
	c->callback_due[0] = '\0';
	if (in->callback_due[0]) {
		int64_t t, tc;
		if (hotline_time_parse(in->callback_due, &t) < 0)
			return err_set(e, 400, "invalid_value", "callback_due",
				       "回访时间应为 YYYY-MM-DDTHH:MM（北京时间）格式的有效时间");
		hotline_time_parse(c->called_at, &tc);
		if (t <= tc)
			return err_set(e, 400, "invalid_value", "callback_due",
				       "约定回访时间应晚于来电时间");
		hotline_time_format(t, c->callback_due);
	}
	if (!c->caller_phone[0] && c->callback_due[0])
		return err_set(e, 400, "required", "caller_phone", "约定回访的，请登记来电人电话");
	return 0;
}

static int call_insert(struct db *db, const struct actor *a, const struct hotline_call *c,
		       int64_t corrects, int64_t root, const char *reason, int64_t *out_id,
		       struct err *e)
{
	char now[32];
	hotline_now(now);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO hotline_calls(line_code, called_at, duration_seconds, caller_name, "
	    "caller_phone, region_code, address, category, description, urgency, operator, outcome, "
	    "advice, callback_due, corrects_id, root_id, correction_reason, recorded_at, recorded_by) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_text(st, 1, c->line_code);
	db_bind_text(st, 2, c->called_at);
	db_bind_int(st, 3, c->duration_seconds);
	db_bind_text(st, 4, c->caller_name);
	db_bind_text(st, 5, c->caller_phone);
	db_bind_text(st, 6, c->region_code);
	db_bind_text(st, 7, c->address);
	db_bind_text(st, 8, c->category);
	db_bind_text(st, 9, c->description);
	db_bind_text(st, 10, c->urgency);
	db_bind_text(st, 11, c->operator_name);
	db_bind_text(st, 12, c->outcome);
	db_bind_text(st, 13, c->advice);
	db_bind_text(st, 14, c->callback_due);
	if (corrects)
		db_bind_int(st, 15, corrects);
	else
		db_bind_null(st, 15);
	if (root)
		db_bind_int(st, 16, root);
	else
		db_bind_null(st, 16);
	db_bind_text(st, 17, reason ? reason : "");
	db_bind_text(st, 18, now);
	db_bind_text(st, 19, a->username);
	if (db_run(st, e) < 0)
		return -1;
	*out_id = db_last_id(db);
	return 0;
}

static char *call_detail(const struct hotline_call *c, int64_t case_id)
{
	json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:s}", "line", c->line_code, "region_code",
			      c->region_code, "category", c->category, "urgency", c->urgency,
			      "outcome", c->outcome);
	if (d && case_id)
		json_object_set_new(d, "case_id", json_integer((json_int_t)case_id));
	char *s = d ? json_dumps(d, JSON_COMPACT) : NULL;
	json_decref(d);
	return s;
}

int hotline_call_record(struct db *db, const struct actor *a, const struct hotline_call_in *in,
			const struct hotline_case_in *open_case, int64_t *call_id, int64_t *case_id,
			struct err *e)
{
	struct hotline_call *c = calloc(1, sizeof *c);
	struct hotline_case_in *ci = NULL;
	char *detail = NULL;
	int rc = -1;
	int64_t kid = 0;
	if (!c)
		return err_oom(e);
	if (call_check(db, a, in, 0, c, e) < 0)
		goto out;
	int opens = strcmp(c->outcome, "case_opened") == 0;
	if (opens && !open_case) {
		err_set(e, 400, "required", "case", "处理结果为“已立案”的，请填写个案信息");
		goto out;
	}
	text_copy(c->operator_name, sizeof c->operator_name, a->username);
	if (db_begin_write(db, e) < 0)
		goto out;
	rc = call_insert(db, a, c, 0, 0, NULL, call_id, e);
	if (rc == 0 && opens) {
		ci = malloc(sizeof *ci);
		if (!ci) {
			rc = err_oom(e);
		} else {
			*ci = *open_case;
			ci->call_id = *call_id;
			rc = hotline_case_open_txn(db, a, ci, &kid, e);
			if (rc < 0 && e->field[0] && strncmp(e->field, "case.", 5) != 0)
				err_prefix_field(e, "case");
		}
	}
	if (rc == 0) {
		detail = call_detail(c, kid);
		rc = audit_append_id(db, a, "hotline.call", "hotline_call", *call_id, detail, e);
	}
	if (hotline_finish(db, rc, e) < 0) {
		rc = -1;
		goto out;
	}
	if (case_id)
		*case_id = kid;
out:
	free(detail);
	free(ci);
	free(c);
	return rc;
}

int hotline_call_correct(struct db *db, const struct actor *a, int64_t id,
			 const struct hotline_call_in *in, int64_t *new_id, struct err *e)
{
	struct hotline_call *old = calloc(1, sizeof *old), *c = calloc(1, sizeof *c);
	struct hotline_call_in *m = calloc(1, sizeof *m);
	char *detail = NULL;
	int rc = -1;
	if (!old || !c || !m) {
		err_oom(e);
		goto out;
	}
	if (db_begin_write(db, e) < 0)
		goto out;
	rc = call_load(db, a, id, old, e);
	if (rc == 0 && old->corrected_by_id) {
		rc = err_set(e, 409, "already_corrected", NULL,
			     "该记录已被第 %lld 号记录更正，请在最新的记录上更正",
			     (long long)old->corrected_by_id);
	}
	if (rc == 0)
		rc = text_check(in->reason, HOTLINE_TEXT_CHARS, 1, 1, "reason", "更正原因", e);
	if (rc == 0) {
		/* the corrected record's values, then the fields present in the correction */
		text_copy(m->line_code, sizeof m->line_code,
			     in->has & HOTLINE_HAS_LINE ? in->line_code : old->line_code);
		text_copy(m->called_at, sizeof m->called_at,
			     in->has & HOTLINE_HAS_CALLED_AT ? in->called_at : old->called_at);
		m->duration_seconds = in->has & HOTLINE_HAS_DURATION ? in->duration_seconds
								       : old->duration_seconds;
		text_copy(m->caller_name, sizeof m->caller_name,
			     in->has & HOTLINE_HAS_CALLER ? in->caller_name : old->caller_name);
		text_copy(m->caller_phone, sizeof m->caller_phone,
			     in->has & HOTLINE_HAS_PHONE ? in->caller_phone : old->caller_phone);
		text_copy(m->region_code, sizeof m->region_code,
			     in->has & HOTLINE_HAS_REGION ? in->region_code : old->region_code);
		text_copy(m->address, sizeof m->address,
			     in->has & HOTLINE_HAS_ADDRESS ? in->address : old->address);
		text_copy(m->category, sizeof m->category,
			     in->has & HOTLINE_HAS_CATEGORY ? in->category : old->category);
		text_copy(m->description, sizeof m->description,
			     in->has & HOTLINE_HAS_DESCRIPTION ? in->description : old->description);
		text_copy(m->urgency, sizeof m->urgency,
			     in->has & HOTLINE_HAS_URGENCY ? in->urgency : old->urgency);
		text_copy(m->outcome, sizeof m->outcome,
			     in->has & HOTLINE_HAS_OUTCOME ? in->outcome : old->outcome);
		text_copy(m->advice, sizeof m->advice,
			     in->has & HOTLINE_HAS_ADVICE ? in->advice : old->advice);
		text_copy(m->callback_due, sizeof m->callback_due,
			     in->has & HOTLINE_HAS_CALLBACK ? in->callback_due : old->callback_due);
		int was_case = strcmp(old->outcome, "case_opened") == 0;
		int is_case = strcmp(m->outcome, "case_opened") == 0;
		if (was_case != is_case)
			rc = err_set(e, 409, "invalid_step", "outcome",
				     was_case ? "已立案的来电不能更正为未立案；如个案有误，请在个案中处理"
					      : "更正不能立案；请在个案中“新建个案”并关联此来电");
	}
	if (rc == 0)
		rc = call_check(db, a, m, 1, c, e);
	if (rc == 0) {
		/* who took the call does not change; who corrected it is recorded_by */
		text_copy(c->operator_name, sizeof c->operator_name, old->operator_name);
		int64_t root = root_of(db, id);
		rc = call_insert(db, a, c, id, root, in->reason, new_id, e);
	}
	if (rc == 0) {
		detail = call_detail(c, 0);
		json_t *d = detail ? json_loads(detail, 0, NULL) : NULL;
		if (d) {
			json_object_set_new(d, "corrects", json_integer((json_int_t)id));
			free(detail);
			detail = json_dumps(d, JSON_COMPACT);
			json_decref(d);
		}
		rc = audit_append_id(db, a, "hotline.call_correct", "hotline_call", *new_id, detail,
				     e);
	}
	rc = hotline_finish(db, rc, e);
out:
	free(detail);
	free(old);
	free(c);
	free(m);
	return rc;
}

int hotline_call_callback(struct db *db, const struct actor *a, int64_t id, const char *note,
			  struct err *e)
{
	struct hotline_call *c = calloc(1, sizeof *c);
	if (!c)
		return err_oom(e);
	if (db_begin_write(db, e) < 0) {
		free(c);
		return -1;
	}
	int rc = call_load(db, a, id, c, e);
	if (rc == 0 && c->corrected_by_id)
		rc = err_set(e, 409, "already_corrected", NULL,
			     "该记录已被第 %lld 号记录更正，请在最新的记录上登记回访",
			     (long long)c->corrected_by_id);
	if (rc == 0 && !c->callback_due[0])
		rc = err_set(e, 409, "invalid_step", NULL, "这次来电没有约定回访");
	if (rc == 0 && c->callback_at[0])
		rc = err_set(e, 409, "callback_done", NULL, "已于 %.16s 回访（%s）", c->callback_at,
			     c->callback_by);
	if (rc == 0)
		rc = text_check(note, HOTLINE_TEXT_CHARS, 0, 1, "note", "回访情况", e);
	if (rc == 0) {
		char now[32];
		hotline_now(now);
		struct db_stmt *st = db_prepare(
		    db, "INSERT INTO hotline_callbacks(call_id, done_at, done_by, note) VALUES (?,?,?,?)",
		    e);
		rc = -1;
		if (st) {
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, now);
			db_bind_text(st, 3, a->username);
			db_bind_text(st, 4, note ? note : "");
			rc = db_run(st, e);
		}
	}
	if (rc == 0)
		rc = audit_append_id(db, a, "hotline.callback", "hotline_call", id, NULL, e);
	free(c);
	return hotline_finish(db, rc, e);
}

/* ------------------------------------------------------------------------------------------ */
/* the list                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static int day_filter(const char *z, const char *field, struct err *e)
{
	if (z[0] && !hotline_date_valid(z))
		return err_set(e, 400, "invalid_value", field, "日期应为 YYYY-MM-DD 格式的有效日期");
	return 0;
}

#define CALL_WHERE                                                                                 \
	"(?1 = '' OR c.line_code = ?1) AND (?2 = '' OR c.outcome = ?2) AND "                      \
	"(?3 = '' OR c.category = ?3) AND (?4 = '' OR c.called_at >= ?4) AND "                     \
	"(?5 = '' OR c.called_at < ?5) AND (?6 = 1 OR NOT EXISTS (SELECT 1 FROM hotline_calls n2 " \
	"WHERE n2.corrects_id = c.id)) AND (?7 = '' OR (?8 = 1 AND c.caller_phone LIKE '%' || ?7) " \
	"OR (?8 = 0 AND substr(c.caller_name, 1, length(?7)) = ?7)) AND c.region_code >= ?9 AND "  \
	"c.region_code < ?10 AND "

int hotline_call_list(struct db *db, const struct actor *a, const struct hotline_call_query *q,
		      struct hotline_call_page *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT, cnt = STRBUF_INIT;
	int limit = q->limit, rc = -1, alloc = 0;
	char to_next[11] = "";
	memset(out, 0, sizeof *out);
	if (hotline_page_check(&limit, q->offset, e) < 0 ||
	    hotline_region_filter(a, q->region, e) < 0 || day_filter(q->from, "from", e) < 0 ||
	    day_filter(q->to, "to", e) < 0 ||
	    hotline_code_check(hotline_call_outcomes, q->outcome, 0, "outcome", "处理结果", e) <
		0 ||
	    hotline_code_check(hotline_categories, q->category, 0, "category", "来电类别", e) < 0)
		return -1;
	if (q->to[0])
		hotline_date_add(q->to, 1, to_next);
	int phone_tail = strlen(q->q) == 4;
	for (int i = 0; phone_tail && i < 4; i++)
		phone_tail = q->q[i] >= '0' && q->q[i] <= '9';
	if (strbuf_addstr(&sql, "SELECT " CALL_COLS CALL_FROM "WHERE " CALL_WHERE) < 0 ||
	    scope_sql(&sql, &a->scope, "c.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY c.called_at DESC, c.id DESC LIMIT ? OFFSET ?") < 0 ||
	    strbuf_addstr(&cnt, "SELECT count(*) FROM hotline_calls c WHERE " CALL_WHERE) < 0 ||
	    scope_sql(&cnt, &a->scope, "c.region_code") < 0) {
		err_oom(e);
		goto out;
	}
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(db, strbuf_str(pass ? &sql : &cnt), e);
		if (!st)
			goto out;
		db_bind_text(st, 1, q->line);
		db_bind_text(st, 2, q->outcome);
		db_bind_text(st, 3, q->category);
		db_bind_text(st, 4, q->from);
		db_bind_text(st, 5, to_next);
		db_bind_int(st, 6, q->all_versions ? 1 : 0);
		db_bind_text(st, 7, q->q);
		db_bind_int(st, 8, phone_tail);
		int next = scope_bind_prefix(st, q->region, 9);
		next = scope_bind(st, &a->scope, next);
		if (pass == 0) {
			int r = db_step(st, e);
			out->total = r == 1 ? db_col_int(st, 0) : 0;
			db_done(st);
			if (r < 0)
				goto out;
			continue;
		}
		db_bind_int(st, next, limit);
		db_bind_int(st, next + 1, q->offset);
		int r;
		while ((r = db_step(st, e)) == 1) {
			if (array_grow(&out->items, out->n, &alloc, sizeof *out->items, 16) < 0) {
				db_done(st);
				err_oom(e);
				goto out;
			}
			call_read(st, &out->items[out->n++]);
		}
		db_done(st);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	strbuf_release(&sql);
	strbuf_release(&cnt);
	if (rc < 0) {
		free(out->items);
		memset(out, 0, sizeof *out);
	}
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* retention                                                                                  */
/* ------------------------------------------------------------------------------------------ */

int hotline_calls_purge(struct db *db, const struct actor *a, int dry_run, int64_t *n,
			char cutoff[32], struct err *e)
{
	int64_t months;
	char now[32], cut[32];
	*n = 0;
	if (!actor_can(a, PERM_HOTLINE) || !hotline_city_actor(a))
		return err_set(e, 403, "forbidden", NULL, "只有市局可以清理到期的来电记录");
	if (db_begin_write(db, e) < 0)
		return -1;
	int rc = hotline_param(db, "3707", HOTLINE_RETENTION_KEY, &months, e);
	if (rc == 0) {
		hotline_now(now);
		if (hotline_retention_cutoff(now, (int)months, cut) < 0)
			rc = err_set(e, 500, "internal", NULL, "来电记录保存期限参数无效：%lld 个月",
				     (long long)months);
	}
	/* Whole chains only: every record of the chain made before the cut-off and no case on
	 * it. Newest first, so a correction goes before the record it corrects. */
	struct db_stmt *st = NULL;
	if (rc == 0)
		st = db_prepare(
		    db,
		    "SELECT c.id FROM hotline_calls c WHERE NOT EXISTS (SELECT 1 FROM hotline_calls "
		    "x WHERE coalesce(x.root_id, x.id) = coalesce(c.root_id, c.id) AND x.called_at >= "
		    "?) AND NOT EXISTS (SELECT 1 FROM hotline_cases k WHERE k.call_id = "
		    "coalesce(c.root_id, c.id)) ORDER BY c.id DESC",
		    e);
	if (rc == 0 && !st)
		rc = -1;
	int64_t *ids = NULL;
	int nids = 0, alloc = 0;
	if (st) {
		db_bind_text(st, 1, cut);
		int r;
		while ((r = db_step(st, e)) == 1) {
			if (array_grow(&ids, nids, &alloc, sizeof *ids, 64) < 0) {
				rc = err_oom(e);
				break;
			}
			ids[nids++] = db_col_int(st, 0);
		}
		db_done(st);
		if (r < 0)
			rc = -1;
	}
	for (int i = 0; rc == 0 && !dry_run && i < nids; i++) {
		struct db_stmt *d = db_prepare(db, "DELETE FROM hotline_callbacks WHERE call_id = ?", e);
		if (!d) {
			rc = -1;
			break;
		}
		db_bind_int(d, 1, ids[i]);
		rc = db_run(d, e);
		if (rc == 0) {
			d = db_prepare(db, "DELETE FROM hotline_calls WHERE id = ?", e);
			rc = d ? 0 : -1;
			if (d) {
				db_bind_int(d, 1, ids[i]);
				rc = db_run(d, e);
			}
		}
	}
	free(ids);
	if (rc == 0 && !dry_run) {
		char detail[128];
		snprintf(detail, sizeof detail, "{\"purged\":%d,\"before\":\"%s\",\"months\":%lld}", nids,
			 cut, (long long)months);
		rc = audit_append(db, a, "hotline.purge", "hotline_calls", "ok", detail, e);
	}
	if (dry_run) {
		db_rollback(db);
		if (rc < 0)
			return -1;
	} else if (hotline_finish(db, rc, e) < 0) {
		return -1;
	}
	*n = nids;
	if (cutoff)
		text_copy(cutoff, 32, cut);
	return 0;
}
