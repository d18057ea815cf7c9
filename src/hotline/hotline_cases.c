/* hotline_cases.c — the case workflow (see hotline.h): opening a case from a call or by hand,
 * its steps (assessment, plan, temporary care placements, referrals and their answers, linked
 * resources incl. temporary assistance through the relief module, follow-ups, assignment,
 * closure, reopening), reading a case with its record, and the case list.
 *
 * How it works:
 * - Every read of a case goes through case_load() / list SQL that appends scope_sql() for the
 *   case's region code, so a case outside the actor's scope is simply not found (404). A step
 *   finds the case first and only then looks at its input, so a step on another county's case
 *   answers 404 whatever was sent.
 * - Every step is one BEGIN IMMEDIATE transaction: load the case, check the step is allowed from
 *   its status (hotline_step_allowed), check the input, change the case (and its placement or
 *   referral row), append the step row with its record (JSON: what was found, decided, done),
 *   append the audit row hotline.case.<step>, commit. Any error rolls it all back — except a
 *   temporary-assistance application the township reserve cannot cover: the relief module
 *   records that refusal as a replenishment need, which is committed (and nothing of the step).
 * - Due times come from the policy parameters in force this month for the case's management
 *   unit: the assessment after hotline_<kind>_response_minutes_<urgency>, follow-ups every
 *   hotline_<kind>_followup_days (or the plan's own interval).
 */
#include "hotline/hotline_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/array_grow.h"
#include "core/idnum.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "registry/registry.h"
#include "relief/relief.h"

#define MAX_AMOUNT_FEN 100000000 /* one resource's value: 1,000,000 yuan (a typing-error guard) */

/* ------------------------------------------------------------------------------------------ */
/* reading                                                                                    */
/* ------------------------------------------------------------------------------------------ */

#define CASE_COLS                                                                                  \
	"k.id, k.kind, k.line_code, coalesce(l.name, ''), coalesce(k.call_id, 0), k.region_code, " \
	"coalesce(r.name, ''), k.urgency, k.status, k.subject_name, "                              \
	"coalesce(k.subject_person_id, 0), k.subject_id_number, k.subject_birth_date, "           \
	"k.guardian_name, coalesce(k.guardian_person_id, 0), k.guardian_phone, "                   \
	"k.guardian_situation, k.guardian_note, k.care_arrangement, k.care_note, k.summary, "     \
	"k.risk, coalesce(k.in_scope, -1), k.scope_reason, k.plan, k.followup_days, "              \
	"k.assigned_to, k.opened_at, k.opened_by, k.assess_due, k.assessed_at, "                   \
	"k.next_followup_due, k.closed_at, k.closed_by, k.outcome, k.outcome_note, "               \
	"k.reopen_count, k.updated_at, "                                                           \
	"(SELECT count(*) FROM hotline_placements p WHERE p.case_id = k.id AND p.end_date = ''), " \
	"(SELECT count(*) FROM hotline_referrals f WHERE f.case_id = k.id AND f.status = "        \
	"'pending') "
#define CASE_FROM                                                                                  \
	" FROM hotline_cases k LEFT JOIN hotline_lines l ON l.code = k.line_code "                 \
	"LEFT JOIN regions r ON r.code = k.region_code "

static void case_read(struct db_stmt *st, struct hotline_case *c, const char *now,
		      const char *today)
{
	int i = 0;
	memset(c, 0, sizeof *c);
	c->id = db_col_int(st, i++);
	text_copy(c->kind, sizeof c->kind, db_col_text(st, i++));
	text_copy(c->line_code, sizeof c->line_code, db_col_text(st, i++));
	text_copy(c->line_name, sizeof c->line_name, db_col_text(st, i++));
	c->call_id = db_col_int(st, i++);
	text_copy(c->region_code, sizeof c->region_code, db_col_text(st, i++));
	text_copy(c->region_name, sizeof c->region_name, db_col_text(st, i++));
	text_copy(c->urgency, sizeof c->urgency, db_col_text(st, i++));
	text_copy(c->status, sizeof c->status, db_col_text(st, i++));
	text_copy(c->subject_name, sizeof c->subject_name, db_col_text(st, i++));
	c->subject_person_id = db_col_int(st, i++);
	text_copy(c->subject_id_number, sizeof c->subject_id_number, db_col_text(st, i++));
	text_copy(c->subject_birth_date, sizeof c->subject_birth_date, db_col_text(st, i++));
	text_copy(c->guardian_name, sizeof c->guardian_name, db_col_text(st, i++));
	c->guardian_person_id = db_col_int(st, i++);
	text_copy(c->guardian_phone, sizeof c->guardian_phone, db_col_text(st, i++));
	text_copy(c->guardian_situation, sizeof c->guardian_situation, db_col_text(st, i++));
	text_copy(c->guardian_note, sizeof c->guardian_note, db_col_text(st, i++));
	text_copy(c->care_arrangement, sizeof c->care_arrangement, db_col_text(st, i++));
	text_copy(c->care_note, sizeof c->care_note, db_col_text(st, i++));
	text_copy(c->summary, sizeof c->summary, db_col_text(st, i++));
	text_copy(c->risk, sizeof c->risk, db_col_text(st, i++));
	c->in_scope = (int)db_col_int(st, i++);
	text_copy(c->scope_reason, sizeof c->scope_reason, db_col_text(st, i++));
	text_copy(c->plan, sizeof c->plan, db_col_text(st, i++));
	c->followup_days = (int)db_col_int(st, i++);
	text_copy(c->assigned_to, sizeof c->assigned_to, db_col_text(st, i++));
	text_copy(c->opened_at, sizeof c->opened_at, db_col_text(st, i++));
	text_copy(c->opened_by, sizeof c->opened_by, db_col_text(st, i++));
	text_copy(c->assess_due, sizeof c->assess_due, db_col_text(st, i++));
	text_copy(c->assessed_at, sizeof c->assessed_at, db_col_text(st, i++));
	text_copy(c->next_followup_due, sizeof c->next_followup_due, db_col_text(st, i++));
	text_copy(c->closed_at, sizeof c->closed_at, db_col_text(st, i++));
	text_copy(c->closed_by, sizeof c->closed_by, db_col_text(st, i++));
	text_copy(c->outcome, sizeof c->outcome, db_col_text(st, i++));
	text_copy(c->outcome_note, sizeof c->outcome_note, db_col_text(st, i++));
	c->reopen_count = (int)db_col_int(st, i++);
	text_copy(c->updated_at, sizeof c->updated_at, db_col_text(st, i++));
	c->open_placements = (int)db_col_int(st, i++);
	c->pending_referrals = (int)db_col_int(st, i++);
	c->assess_overdue = strcmp(c->status, "intake") == 0 && strcmp(c->assess_due, now) < 0;
	c->followup_overdue = strcmp(c->status, "active") == 0 && c->next_followup_due[0] &&
			      strcmp(c->next_followup_due, today) < 0;
}

/* Case `id` if it lies in the actor's scope: 0, or -1 with 404. */
static int case_load(struct db *db, const struct actor *a, int64_t id, struct hotline_case *c,
		     struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	char now[32], today[11];
	if (id <= 0)
		return hotline_not_found(e, "个案");
	if (strbuf_addstr(&sql, "SELECT " CASE_COLS CASE_FROM "WHERE k.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "k.region_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	hotline_now(now);
	hotline_today(today);
	int rc = db_step(st, e);
	if (rc == 1)
		case_read(st, c, now, today);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : hotline_not_found(e, "个案");
}

static int steps_load(struct db *db, struct hotline_case_detail *d, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT id, step, at, by_user, record FROM hotline_case_steps "
					"WHERE case_id = ? ORDER BY id",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->c.id);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->steps, d->n_steps, &alloc, sizeof *d->steps, 8) < 0) {
			db_done(st);
			return err_oom(e);
		}
		struct hotline_step_row *s = &d->steps[d->n_steps];
		memset(s, 0, sizeof *s);
		s->id = db_col_int(st, 0);
		text_copy(s->step, sizeof s->step, db_col_text(st, 1));
		text_copy(s->at, sizeof s->at, db_col_text(st, 2));
		text_copy(s->by, sizeof s->by, db_col_text(st, 3));
		s->record = strdup(db_col_text(st, 4));
		if (!s->record) {
			db_done(st);
			return err_oom(e);
		}
		d->n_steps++;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int placements_load(struct db *db, struct hotline_case_detail *d, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT id, kind, coalesce(institution_id, 0), place_name, carer_name, carer_phone, "
	    "start_date, end_date, end_note, started_by, ended_by FROM hotline_placements WHERE "
	    "case_id = ? ORDER BY id",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->c.id);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->placements, d->n_placements, &alloc, sizeof *d->placements, 4) <
		    0) {
			db_done(st);
			return err_oom(e);
		}
		struct hotline_placement *p = &d->placements[d->n_placements++];
		memset(p, 0, sizeof *p);
		p->id = db_col_int(st, 0);
		text_copy(p->kind, sizeof p->kind, db_col_text(st, 1));
		p->institution_id = db_col_int(st, 2);
		text_copy(p->place_name, sizeof p->place_name, db_col_text(st, 3));
		text_copy(p->carer_name, sizeof p->carer_name, db_col_text(st, 4));
		text_copy(p->carer_phone, sizeof p->carer_phone, db_col_text(st, 5));
		text_copy(p->start_date, sizeof p->start_date, db_col_text(st, 6));
		text_copy(p->end_date, sizeof p->end_date, db_col_text(st, 7));
		text_copy(p->end_note, sizeof p->end_note, db_col_text(st, 8));
		text_copy(p->started_by, sizeof p->started_by, db_col_text(st, 9));
		text_copy(p->ended_by, sizeof p->ended_by, db_col_text(st, 10));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int referrals_load(struct db *db, struct hotline_case_detail *d, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT id, target, coalesce(institution_id, 0), agency_name, reason, status, "
	    "referred_at, referred_by, answered_at, answered_by, answer_note FROM hotline_referrals "
	    "WHERE case_id = ? ORDER BY id",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, d->c.id);
	int rc, alloc = 0;
	while ((rc = db_step(st, e)) == 1) {
		if (array_grow(&d->referrals, d->n_referrals, &alloc, sizeof *d->referrals, 4) < 0) {
			db_done(st);
			return err_oom(e);
		}
		struct hotline_referral *f = &d->referrals[d->n_referrals++];
		memset(f, 0, sizeof *f);
		f->id = db_col_int(st, 0);
		text_copy(f->target, sizeof f->target, db_col_text(st, 1));
		f->institution_id = db_col_int(st, 2);
		text_copy(f->agency_name, sizeof f->agency_name, db_col_text(st, 3));
		text_copy(f->reason, sizeof f->reason, db_col_text(st, 4));
		text_copy(f->status, sizeof f->status, db_col_text(st, 5));
		text_copy(f->referred_at, sizeof f->referred_at, db_col_text(st, 6));
		text_copy(f->referred_by, sizeof f->referred_by, db_col_text(st, 7));
		text_copy(f->answered_at, sizeof f->answered_at, db_col_text(st, 8));
		text_copy(f->answered_by, sizeof f->answered_by, db_col_text(st, 9));
		text_copy(f->answer_note, sizeof f->answer_note, db_col_text(st, 10));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

void hotline_case_detail_release(struct hotline_case_detail *d)
{
	if (!d)
		return;
	for (int i = 0; i < d->n_steps; i++)
		free(d->steps[i].record);
	free(d->steps);
	free(d->placements);
	free(d->referrals);
	d->steps = NULL;
	d->placements = NULL;
	d->referrals = NULL;
	d->n_steps = d->n_placements = d->n_referrals = 0;
}

static int case_get_txn(struct db *db, const struct actor *a, int64_t id,
			struct hotline_case_detail *out, struct err *e)
{
	if (case_load(db, a, id, &out->c, e) < 0 || steps_load(db, out, e) < 0 ||
	    placements_load(db, out, e) < 0 || referrals_load(db, out, e) < 0)
		return -1;
	return 0;
}

int hotline_case_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct hotline_case_detail *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	int rc;
	if (unmask) {
		if (db_begin_write(db, e) < 0)
			return -1;
		rc = case_get_txn(db, a, id, out, e);
		if (rc == 0)
			rc = hotline_unmask_allowed(a, e);
		if (rc == 0)
			rc = audit_append_id(db, a, "hotline_case.unmask", "hotline_case", id, NULL,
					     e);
		if (hotline_finish(db, rc, e) < 0) {
			hotline_case_detail_release(out);
			return -1;
		}
		out->unmasked = 1;
		return 0;
	}
	int began = hotline_begin_read(db, e);
	if (began < 0)
		return -1;
	rc = case_get_txn(db, a, id, out, e);
	hotline_end_read(db, began);
	if (rc < 0)
		hotline_case_detail_release(out);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* helpers for writes                                                                         */
/* ------------------------------------------------------------------------------------------ */

static int step_row(struct db *db, const struct actor *a, int64_t case_id, const char *step,
		    json_t *record, const char *now, struct err *e)
{
	char *text = record ? json_dumps(record, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	if (!text)
		return err_oom(e);
	struct db_stmt *st = db_prepare(
	    db, "INSERT INTO hotline_case_steps(case_id, step, at, by_user, record) VALUES (?,?,?,?,?)",
	    e);
	int rc = -1;
	if (st) {
		db_bind_int(st, 1, case_id);
		db_bind_text(st, 2, step);
		db_bind_text(st, 3, now);
		db_bind_text(st, 4, a->username);
		db_bind_text(st, 5, text);
		rc = db_run(st, e);
	}
	if (rc == 0) {
		char action[48];
		snprintf(action, sizeof action, "hotline.case.%s", step);
		rc = audit_append_id(db, a, action, "hotline_case", case_id, text, e);
	}
	free(text);
	return rc;
}

/* A worker who may be made responsible for a case in region: an enabled user with the hotline
 * permission whose scope contains the region. */
static int worker_check(struct db *db, const char *username, const char *region, struct err *e)
{
	if (!username || !*username)
		return err_set(e, 400, "required", "username", "请选择责任人");
	struct db_stmt *st = db_prepare(
	    db, "SELECT id, role, region_code, disabled FROM users WHERE username = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, username);
	int rc = db_step(st, e);
	int64_t uid = 0;
	char role[32] = "", rcode[16] = "";
	int disabled = 0;
	if (rc == 1) {
		uid = db_col_int(st, 0);
		text_copy(role, sizeof role, db_col_text(st, 1));
		text_copy(rcode, sizeof rcode, db_col_text(st, 2));
		disabled = (int)db_col_int(st, 3);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0 || disabled)
		return err_set(e, 400, "invalid_value", "username", "没有这个用户，或已停用：%.40s",
			       username);
	struct actor w;
	struct err ignore;
	if (accounts_actor_fill(db, uid, username, role, rcode, 0, &w, &ignore) < 0 ||
	    !actor_can(&w, PERM_HOTLINE) || !scope_contains(&w.scope, region))
		return err_set(e, 400, "invalid_value", "username",
			       "用户 %.40s 没有热线个案权限，或个案不在其管辖范围内", username);
	return 0;
}

/* The linked registry person (in the actor's scope, else 404). */
static int person_load(struct db *db, const struct actor *a, int64_t id, const char *field,
		       struct registry_person *out, struct err *e)
{
	struct registry_person_detail d;
	if (registry_person_get(db, a, id, 0, &d, e) < 0) {
		if (e->status == 404)
			err_set(e, 404, "not_found", field, "关联的人员不存在或不在您的管辖范围内");
		return -1;
	}
	*out = d.person;
	registry_person_detail_release(&d);
	return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* opening                                                                                    */
/* ------------------------------------------------------------------------------------------ */

struct call_defaults {
	int64_t root;
	char line_code[HOTLINE_CODE_SZ], region_code[HOTLINE_CODE_SZ], urgency[12];
	char *description; /* malloc'd */
};

static int call_defaults_load(struct db *db, const struct actor *a, int64_t id,
			      struct call_defaults *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT coalesce(c.root_id, c.id), c.line_code, c.region_code, "
				"c.urgency, c.description FROM hotline_calls c WHERE c.id = ? AND ") <
		0 ||
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
	if (rc == 1) {
		out->root = db_col_int(st, 0);
		text_copy(out->line_code, sizeof out->line_code, db_col_text(st, 1));
		text_copy(out->region_code, sizeof out->region_code, db_col_text(st, 2));
		text_copy(out->urgency, sizeof out->urgency, db_col_text(st, 3));
		out->description = strdup(db_col_text(st, 4));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", "call_id", "来电记录不存在或不在您的管辖范围内");
	return out->description ? 0 : err_oom(e);
}

/* The case row being opened, checked. */
struct opening {
	struct hotline_line line;
	char region[HOTLINE_CODE_SZ];
	char urgency[12];
	char subject_name[HOTLINE_NAME_SZ];
	char id_number[19];
	char birth_date[11];
	char guardian_name[HOTLINE_NAME_SZ];
	char guardian_phone[24];
	char care[20];
	const char *summary;
	int in_scope;
	int age;
};

int hotline_case_open_txn(struct db *db, const struct actor *a, const struct hotline_case_in *in,
			  int64_t *out_id, struct err *e)
{
	struct call_defaults cd = {0};
	struct opening *o = calloc(1, sizeof *o);
	struct registry_person subj, guard;
	char now[32], today[11], due[32], why[200] = "";
	int rc = -1, r;
	json_t *rec = NULL;
	if (!o)
		return err_oom(e);
	hotline_now(now);
	hotline_today(today);
	if (in->call_id) {
		if (call_defaults_load(db, a, in->call_id, &cd, e) < 0)
			goto out;
		int64_t existing = hotline_chain_case(db, in->call_id, e);
		if (existing < 0)
			goto out;
		if (existing) {
			err_set(e, 409, "duplicate", "call_id", "这次来电已立案（第 %lld 号个案）",
				(long long)existing);
			goto out;
		}
	}
	const char *line_code = in->line_code[0] ? in->line_code : cd.line_code;
	if (!line_code[0]) {
		err_set(e, 400, "required", "line_code", "请选择热线");
		goto out;
	}
	if ((r = hotline_line_load(db, line_code, &o->line, e)) < 0)
		goto out;
	if (r == 1 || !o->line.active) {
		err_set(e, 400, "invalid_value", "line_code", "没有这条热线，或已停用：%.20s",
			line_code);
		goto out;
	}
	int child = strcmp(o->line.kind, "child_protection") == 0;
	/* the persons, where known */
	if (in->subject_person_id && person_load(db, a, in->subject_person_id,
						 "subject_person_id", &subj, e) < 0)
		goto out;
	if (in->guardian_person_id && person_load(db, a, in->guardian_person_id,
						  "guardian_person_id", &guard, e) < 0)
		goto out;
	if (in->subject_person_id && in->guardian_person_id &&
	    in->subject_person_id == in->guardian_person_id) {
		err_set(e, 400, "invalid_value", "guardian_person_id", "监护人不能是儿童本人");
		goto out;
	}
	/* where */
	const char *region = in->region_code[0]	       ? in->region_code
			     : in->subject_person_id ? subj.region_code
						     : cd.region_code;
	if (hotline_region_check(db, a, region, "region_code", NULL, NULL, e) < 0)
		goto out;
	text_copy(o->region, sizeof o->region, region);
	text_copy(o->urgency, sizeof o->urgency, in->urgency[0] ? in->urgency : cd.urgency);
	if (hotline_code_check(hotline_urgencies, o->urgency, 1, "urgency", "紧急程度", e) < 0)
		goto out;
	/* who */
	const char *name = !text_blank(in->subject_name) ? in->subject_name
			   : in->subject_person_id	   ? subj.name
							   : "";
	if (text_check(name, HOTLINE_NAME_CHARS, 1, 0, "subject_name",
			       child ? "儿童姓名" : "求助对象姓名", e) < 0)
		goto out;
	text_copy(o->subject_name, sizeof o->subject_name, name);
	if (in->subject_person_id) {
		text_copy(o->id_number, sizeof o->id_number, subj.id_number);
		text_copy(o->birth_date, sizeof o->birth_date, subj.birth_date);
		if (!text_blank(in->subject_id_number)) {
			struct idnum id;
			struct err ignore;
			if (idnum_parse(in->subject_id_number, today, &id, &ignore) < 0 ||
			    strcmp(id.number, subj.id_number) != 0) {
				err_set(e, 400, "invalid_value", "subject_id_number",
					"身份证号与户籍登记的不一致");
				goto out;
			}
		}
	} else if (!text_blank(in->subject_id_number)) {
		struct idnum id;
		if (idnum_parse(in->subject_id_number, today, &id, e) < 0) {
			snprintf(e->field, sizeof e->field, "subject_id_number");
			goto out;
		}
		text_copy(o->id_number, sizeof o->id_number, id.number);
		text_copy(o->birth_date, sizeof o->birth_date, id.birth_date);
	}
	if (!o->birth_date[0] && in->subject_birth_date[0]) {
		if (!hotline_date_valid(in->subject_birth_date) ||
		    strcmp(in->subject_birth_date, today) > 0) {
			err_set(e, 400, "invalid_value", "subject_birth_date",
				"出生日期应为不晚于今天的有效日期（YYYY-MM-DD）");
			goto out;
		}
		text_copy(o->birth_date, sizeof o->birth_date, in->subject_birth_date);
	}
	o->age = o->birth_date[0] ? hotline_age_on(o->birth_date, today) : -1;
	const char *gname = !text_blank(in->guardian_name) ? in->guardian_name
			    : in->guardian_person_id	     ? guard.name
							     : "";
	if (text_check(gname, HOTLINE_NAME_CHARS, 0, 0, "guardian_name", "监护人姓名", e) <
	    0)
		goto out;
	text_copy(o->guardian_name, sizeof o->guardian_name, gname);
	const char *gphone = !text_blank(in->guardian_phone) ? in->guardian_phone
			     : in->guardian_person_id	       ? guard.phone
							       : "";
	if (hotline_phone_norm(gphone, "guardian_phone", o->guardian_phone, e) < 0)
		goto out;
	/* the guardian's situation and the child-protection scope */
	if (hotline_code_check(hotline_situations, in->guardian_situation, child,
			       "guardian_situation", "监护人情况", e) < 0 ||
	    text_check(in->guardian_note, HOTLINE_TEXT_CHARS, 0, 1, "guardian_note",
			       "监护情况说明", e) < 0 ||
	    hotline_code_check(hotline_care_arrangements, in->care_arrangement, 0,
			       "care_arrangement", "目前照料情况", e) < 0 ||
	    text_check(in->care_note, HOTLINE_TEXT_CHARS, 0, 1, "care_note", "照料情况说明",
			       e) < 0)
		goto out;
	o->in_scope = 1;
	if (child) {
		o->in_scope = hotline_child_in_scope(in->guardian_situation, o->age, in->guardian_note,
						     why, sizeof why);
		if (o->in_scope != 1) {
			err_set(e, 409, "out_of_scope", "guardian_situation", "%s", why);
			goto out;
		}
	}
	text_copy(o->care, sizeof o->care,
		     in->care_arrangement[0] ? in->care_arrangement : child ? "none" : "");
	o->summary = !text_blank(in->summary) ? in->summary : cd.description ? cd.description : "";
	if (text_check(o->summary, HOTLINE_TEXT_CHARS, 1, 1, "summary", "个案概要", e) < 0)
		goto out;
	if (in->assigned_to[0] && worker_check(db, in->assigned_to, o->region, e) < 0)
		goto out;
	/* when the assessment is due */
	int64_t minutes;
	if (hotline_param(db, o->region, hotline_response_key(o->line.kind, o->urgency), &minutes,
			  e) < 0)
		goto out;
	hotline_assess_due(now, minutes, due);
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO hotline_cases(kind, line_code, call_id, region_code, urgency, status, "
	    "subject_name, subject_person_id, subject_id_number, subject_birth_date, guardian_name, "
	    "guardian_person_id, guardian_phone, guardian_situation, guardian_note, "
	    "care_arrangement, care_note, summary, assigned_to, opened_at, opened_by, assess_due, "
	    "updated_at) VALUES (?,?,?,?,?,'intake',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		goto out;
	db_bind_text(st, 1, o->line.kind);
	db_bind_text(st, 2, o->line.code);
	if (in->call_id)
		db_bind_int(st, 3, cd.root);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, o->region);
	db_bind_text(st, 5, o->urgency);
	db_bind_text(st, 6, o->subject_name);
	if (in->subject_person_id)
		db_bind_int(st, 7, in->subject_person_id);
	else
		db_bind_null(st, 7);
	db_bind_text(st, 8, o->id_number);
	db_bind_text(st, 9, o->birth_date);
	db_bind_text(st, 10, o->guardian_name);
	if (in->guardian_person_id)
		db_bind_int(st, 11, in->guardian_person_id);
	else
		db_bind_null(st, 11);
	db_bind_text(st, 12, o->guardian_phone);
	db_bind_text(st, 13, in->guardian_situation);
	db_bind_text(st, 14, in->guardian_note);
	db_bind_text(st, 15, o->care);
	db_bind_text(st, 16, in->care_note);
	db_bind_text(st, 17, o->summary);
	db_bind_text(st, 18, in->assigned_to);
	db_bind_text(st, 19, now);
	db_bind_text(st, 20, a->username);
	db_bind_text(st, 21, due);
	db_bind_text(st, 22, now);
	if (db_run(st, e) < 0)
		goto out;
	*out_id = db_last_id(db);
	rec = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "line", o->line.code, "kind",
			o->line.kind, "urgency", o->urgency, "region_code", o->region,
			"response_minutes", (json_int_t)minutes, "assess_due", due);
	if (rec && in->call_id)
		json_object_set_new(rec, "call_id", json_integer((json_int_t)cd.root));
	if (rec && child) {
		json_object_set_new(rec, "guardian_situation", json_string(in->guardian_situation));
		json_object_set_new(rec, "age", o->age >= 0 ? json_integer(o->age) : json_null());
	}
	if (rec && in->assigned_to[0])
		json_object_set_new(rec, "assigned_to", json_string(in->assigned_to));
	rc = step_row(db, a, *out_id, "open", rec, now, e);
out:
	json_decref(rec);
	free(cd.description);
	free(o);
	return rc;
}

int hotline_case_open(struct db *db, const struct actor *a, const struct hotline_case_in *in,
		      int64_t *out_id, struct err *e)
{
	if (db_begin_write(db, e) < 0)
		return -1;
	return hotline_finish(db, hotline_case_open_txn(db, a, in, out_id, e), e);
}

/* ------------------------------------------------------------------------------------------ */
/* steps                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/* UPDATE hotline_cases SET <set> WHERE id = ?1, with the statement's other parameters bound by
 * the caller through the returned statement (NULL on error). */
static struct db_stmt *case_update(struct db *db, const char *sql, int64_t id, struct err *e)
{
	struct db_stmt *st = db_prepare(db, sql, e);
	if (st)
		db_bind_int(st, 1, id);
	return st;
}

static int step_assess(struct db *db, const struct hotline_case *c, const struct hotline_step_in *in,
		       enum hotline_status next, const char *now, json_t *rec, struct err *e)
{
	int child = strcmp(c->kind, "child_protection") == 0;
	char today[11], why[200] = "";
	hotline_today(today);
	if (hotline_code_check(hotline_risks, in->risk, 1, "risk", "风险等级", e) < 0 ||
	    text_check(in->findings, HOTLINE_TEXT_CHARS, 1, 1, "findings", "评估情况", e) <
		0 ||
	    hotline_code_check(hotline_situations, in->guardian_situation, child,
			       "guardian_situation", "监护人情况", e) < 0 ||
	    text_check(in->guardian_note, HOTLINE_TEXT_CHARS, 0, 1, "guardian_note",
			       "监护情况说明", e) < 0 ||
	    hotline_code_check(hotline_care_arrangements, in->care_arrangement, 0,
			       "care_arrangement", "目前照料情况", e) < 0 ||
	    text_check(in->care_note, HOTLINE_TEXT_CHARS, 0, 1, "care_note", "照料情况说明",
			       e) < 0)
		return -1;
	const char *situation = in->guardian_situation[0] ? in->guardian_situation
							  : c->guardian_situation;
	const char *gnote = !text_blank(in->guardian_note) ? in->guardian_note : c->guardian_note;
	int age = c->subject_birth_date[0] ? hotline_age_on(c->subject_birth_date, today) : -1;
	int in_scope = 1;
	if (child) {
		in_scope = hotline_child_in_scope(situation, age, gnote, why, sizeof why);
		if (in_scope < 0)
			in_scope = 0;
	}
	const char *care = in->care_arrangement[0] ? in->care_arrangement : c->care_arrangement;
	const char *cnote = !text_blank(in->care_note) ? in->care_note : c->care_note;
	int first = !c->assessed_at[0];
	struct db_stmt *st = case_update(
	    db,
	    "UPDATE hotline_cases SET status = ?2, risk = ?3, guardian_situation = ?4, "
	    "guardian_note = ?5, care_arrangement = ?6, care_note = ?7, in_scope = ?8, "
	    "scope_reason = ?9, assessed_at = CASE WHEN assessed_at = '' THEN ?10 ELSE assessed_at "
	    "END, updated_at = ?10 WHERE id = ?1",
	    c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, hotline_status_name(next));
	db_bind_text(st, 3, in->risk);
	db_bind_text(st, 4, situation);
	db_bind_text(st, 5, gnote);
	db_bind_text(st, 6, care);
	db_bind_text(st, 7, cnote);
	db_bind_int(st, 8, in_scope);
	db_bind_text(st, 9, why);
	db_bind_text(st, 10, now);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "risk", json_string(in->risk));
	json_object_set_new(rec, "findings", json_string(in->findings));
	if (child) {
		json_object_set_new(rec, "guardian_situation", json_string(situation));
		json_object_set_new(rec, "in_scope", json_boolean(in_scope));
		if (!in_scope)
			json_object_set_new(rec, "scope_reason", json_string(why));
	}
	if (care[0])
		json_object_set_new(rec, "care_arrangement", json_string(care));
	if (first) {
		int ok;
		int64_t late = hotline_minutes_between(c->assess_due, now, &ok);
		json_object_set_new(rec, "assess_due", json_string(c->assess_due));
		json_object_set_new(rec, "on_time", json_boolean(!ok || late <= 0));
	}
	return 0;
}

static int step_plan(struct db *db, const struct hotline_case *c, const struct hotline_step_in *in,
		     const char *now, json_t *rec, struct err *e)
{
	char today[11], due[11];
	int64_t days = in->followup_days;
	hotline_today(today);
	if (hotline_plan_check(c->kind, c->in_scope, e) < 0 ||
	    text_check(in->plan, HOTLINE_TEXT_CHARS, 1, 1, "plan", "帮扶计划", e) < 0)
		return -1;
	if (days == 0 && hotline_param(db, c->region_code, hotline_followup_key(c->kind), &days, e) <
			     0)
		return -1;
	if (days < 1 || days > 90)
		return err_set(e, 400, "invalid_value", "followup_days", "回访间隔应为 1–90 天");
	hotline_followup_due(today, days, due);
	struct db_stmt *st = case_update(db,
					 "UPDATE hotline_cases SET status = 'active', plan = ?2, "
					 "followup_days = ?3, next_followup_due = ?4, updated_at = ?5 "
					 "WHERE id = ?1",
					 c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, in->plan);
	db_bind_int(st, 3, days);
	db_bind_text(st, 4, due);
	db_bind_text(st, 5, now);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "plan", json_string(in->plan));
	json_object_set_new(rec, "followup_days", json_integer((json_int_t)days));
	json_object_set_new(rec, "next_followup_due", json_string(due));
	return 0;
}

static int step_place(struct db *db, const struct actor *a, const struct hotline_case *c,
		      const struct hotline_step_in *in, const char *now, json_t *rec,
		      int64_t *out_item, struct err *e)
{
	char phone[24], start[11];
	if (hotline_code_check(hotline_placement_kinds, in->kind, 1, "kind", "安置方式", e) < 0 ||
	    text_check(in->place_name, HOTLINE_SHORT_CHARS, 1, 0, "place_name",
			       strcmp(in->kind, "institution") == 0 ? "机构名称" : "安置地点",
			       e) < 0 ||
	    text_check(in->carer_name, HOTLINE_NAME_CHARS, 0, 0, "carer_name", "照料人",
			       e) < 0 ||
	    hotline_phone_norm(in->carer_phone, "carer_phone", phone, e) < 0 ||
	    text_check(in->note, HOTLINE_TEXT_CHARS, 0, 1, "note", "说明", e) < 0 ||
	    hotline_past_day(in->date, c->opened_at, "date", start, e) < 0)
		return -1;
	if (in->institution_id < 0 ||
	    (in->institution_id && strcmp(in->kind, "institution") != 0))
		return err_set(e, 400, "invalid_value", "institution_id",
			       "只有机构临时照料可以关联机构");
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO hotline_placements(case_id, kind, institution_id, place_name, carer_name, "
	    "carer_phone, start_date, started_by) VALUES (?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->id);
	db_bind_text(st, 2, in->kind);
	if (in->institution_id)
		db_bind_int(st, 3, in->institution_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, in->place_name);
	db_bind_text(st, 5, in->carer_name);
	db_bind_text(st, 6, phone);
	db_bind_text(st, 7, start);
	db_bind_text(st, 8, a->username);
	if (db_run(st, e) < 0)
		return -1;
	int64_t pid = db_last_id(db);
	st = case_update(db,
			 "UPDATE hotline_cases SET care_arrangement = ?2, care_note = ?3, "
			 "updated_at = ?4 WHERE id = ?1",
			 c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, in->kind);
	db_bind_text(st, 3, in->place_name);
	db_bind_text(st, 4, now);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "placement_id", json_integer((json_int_t)pid));
	json_object_set_new(rec, "kind", json_string(in->kind));
	if (in->institution_id)
		json_object_set_new(rec, "institution_id", json_integer((json_int_t)in->institution_id));
	json_object_set_new(rec, "place_name", json_string(in->place_name));
	if (in->carer_name[0])
		json_object_set_new(rec, "carer_name", json_string(in->carer_name));
	json_object_set_new(rec, "start_date", json_string(start));
	if (!text_blank(in->note))
		json_object_set_new(rec, "note", json_string(in->note));
	if (out_item)
		*out_item = pid;
	return 0;
}

static int step_place_end(struct db *db, const struct actor *a, const struct hotline_case *c,
			  const struct hotline_step_in *in, const char *now, json_t *rec,
			  struct err *e)
{
	char start[11] = "", end_date[11] = "", end[11];
	struct db_stmt *st = db_prepare(
	    db, "SELECT start_date, end_date FROM hotline_placements WHERE id = ? AND case_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, in->item_id);
	db_bind_int(st, 2, c->id);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(start, sizeof start, db_col_text(st, 0));
		text_copy(end_date, sizeof end_date, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 400, "invalid_value", "placement_id", "这个个案没有这项临时照料安置");
	if (end_date[0])
		return err_set(e, 409, "not_pending", "placement_id", "这项临时照料已于 %s 结束",
			       end_date);
	if (hotline_past_day(in->date, start, "date", end, e) < 0 ||
	    text_check(in->note, HOTLINE_TEXT_CHARS, 1, 1, "note", "结束原因及去向", e) <
		0 ||
	    hotline_code_check(hotline_care_arrangements, in->care_arrangement, 0,
			       "care_arrangement", "结束后的照料情况", e) < 0)
		return -1;
	st = db_prepare(db,
			"UPDATE hotline_placements SET end_date = ?, end_note = ?, ended_by = ? WHERE "
			"id = ?",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, end);
	db_bind_text(st, 2, in->note);
	db_bind_text(st, 3, a->username);
	db_bind_int(st, 4, in->item_id);
	if (db_run(st, e) < 0)
		return -1;
	/* the last open placement ended: who cares for the child now */
	const char *care = in->care_arrangement[0] ? in->care_arrangement : "guardian";
	if (c->open_placements <= 1) {
		st = case_update(db,
				 "UPDATE hotline_cases SET care_arrangement = ?2, care_note = ?3, "
				 "updated_at = ?4 WHERE id = ?1",
				 c->id, e);
		if (!st)
			return -1;
		db_bind_text(st, 2, care);
		db_bind_text(st, 3, in->note);
		db_bind_text(st, 4, now);
		if (db_run(st, e) < 0)
			return -1;
		json_object_set_new(rec, "care_arrangement", json_string(care));
	}
	json_object_set_new(rec, "placement_id", json_integer((json_int_t)in->item_id));
	json_object_set_new(rec, "end_date", json_string(end));
	json_object_set_new(rec, "note", json_string(in->note));
	return 0;
}

static int step_refer(struct db *db, const struct actor *a, const struct hotline_case *c,
		      const struct hotline_step_in *in, const char *now, json_t *rec,
		      int64_t *out_item, struct err *e)
{
	if (hotline_code_check(hotline_referral_targets, in->kind, 1, "kind", "转介对象", e) < 0 ||
	    text_check(in->place_name, HOTLINE_SHORT_CHARS, 1, 0, "place_name",
			       strcmp(in->kind, "institution") == 0 ? "机构名称" : "部门或组织名称",
			       e) < 0 ||
	    text_check(in->note, HOTLINE_TEXT_CHARS, 1, 1, "note", "转介事由", e) < 0)
		return -1;
	if (in->institution_id < 0 ||
	    (in->institution_id && strcmp(in->kind, "institution") != 0))
		return err_set(e, 400, "invalid_value", "institution_id", "只有转介机构时可以关联机构");
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO hotline_referrals(case_id, target, institution_id, agency_name, reason, "
	    "status, referred_at, referred_by) VALUES (?,?,?,?,?,'pending',?,?)",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, c->id);
	db_bind_text(st, 2, in->kind);
	if (in->institution_id)
		db_bind_int(st, 3, in->institution_id);
	else
		db_bind_null(st, 3);
	db_bind_text(st, 4, in->place_name);
	db_bind_text(st, 5, in->note);
	db_bind_text(st, 6, now);
	db_bind_text(st, 7, a->username);
	if (db_run(st, e) < 0)
		return -1;
	int64_t fid = db_last_id(db);
	json_object_set_new(rec, "referral_id", json_integer((json_int_t)fid));
	json_object_set_new(rec, "target", json_string(in->kind));
	if (in->institution_id)
		json_object_set_new(rec, "institution_id", json_integer((json_int_t)in->institution_id));
	json_object_set_new(rec, "agency_name", json_string(in->place_name));
	json_object_set_new(rec, "reason", json_string(in->note));
	if (out_item)
		*out_item = fid;
	return 0;
}

static int step_refer_answer(struct db *db, const struct actor *a, const struct hotline_case *c,
			     const struct hotline_step_in *in, const char *now, json_t *rec,
			     struct err *e)
{
	char status[12] = "", agency[HOTLINE_SHORT_SZ] = "";
	struct db_stmt *st = db_prepare(
	    db, "SELECT status, agency_name FROM hotline_referrals WHERE id = ? AND case_id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, in->item_id);
	db_bind_int(st, 2, c->id);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(status, sizeof status, db_col_text(st, 0));
		text_copy(agency, sizeof agency, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 400, "invalid_value", "referral_id", "这个个案没有这项转介");
	if (strcmp(status, "pending") != 0)
		return err_set(e, 409, "not_pending", "referral_id", "这项转介已答复（%s）",
			       strcmp(status, "accepted") == 0 ? "已接收" : "已拒绝");
	int accept = strcmp(in->answer, "accept") == 0;
	if (!accept && strcmp(in->answer, "decline") != 0)
		return err_set(e, 400, in->answer[0] ? "invalid_value" : "required", "answer",
			       "答复应为 accept（接收）或 decline（拒绝）");
	if (text_check(in->note, HOTLINE_TEXT_CHARS, !accept, 1, "note",
			       accept ? "答复说明" : "拒绝理由", e) < 0)
		return -1;
	st = db_prepare(db,
			"UPDATE hotline_referrals SET status = ?, answered_at = ?, answered_by = ?, "
			"answer_note = ? WHERE id = ?",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, accept ? "accepted" : "declined");
	db_bind_text(st, 2, now);
	db_bind_text(st, 3, a->username);
	db_bind_text(st, 4, in->note);
	db_bind_int(st, 5, in->item_id);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "referral_id", json_integer((json_int_t)in->item_id));
	json_object_set_new(rec, "agency_name", json_string(agency));
	json_object_set_new(rec, "answer", json_string(accept ? "accepted" : "declined"));
	if (!text_blank(in->note))
		json_object_set_new(rec, "note", json_string(in->note));
	return 0;
}

/* 1 when the relief module refused an application the township reserve cannot cover: it has
 * recorded the refusal as a replenishment need in our transaction, which must be committed. */
static int relief_need_recorded(const struct err *e)
{
	return strcmp(e->code, "reserve_insufficient") == 0;
}

static int step_resource(struct db *db, const struct actor *a, const struct hotline_case *c,
			 const struct hotline_step_in *in, json_t *rec, int64_t *out_item,
			 int *commit_anyway, struct err *e)
{
	if (hotline_code_check(hotline_resource_kinds, in->kind, 1, "kind", "资源类型", e) < 0 ||
	    text_check(in->note, HOTLINE_TEXT_CHARS, 1, 1, "note", "资源内容", e) < 0)
		return -1;
	if (in->amount_fen < 0 || in->amount_fen > MAX_AMOUNT_FEN)
		return err_set(e, 400, "invalid_value", "amount_fen", "金额（分）应为 0–%d",
			       MAX_AMOUNT_FEN);
	json_object_set_new(rec, "kind", json_string(in->kind));
	json_object_set_new(rec, "note", json_string(in->note));
	json_object_set_new(rec, "amount_fen", json_integer((json_int_t)in->amount_fen));
	if (!in->apply_relief) {
		json_object_set_new(rec, "resource_status",
				    json_string(strcmp(in->kind, "temp_relief") == 0 ? "requested"
										      : "linked"));
		return 0;
	}
	if (strcmp(in->kind, "temp_relief") != 0)
		return err_set(e, 400, "invalid_value", "apply_relief", "只有临时救助可以直接提出申请");
	/* temporary assistance through the relief module, in this transaction: it checks the
	 * actor's own permission (assistance.write) and the person's scope itself */
	int64_t person = in->relief_person_id ? in->relief_person_id
			 : c->guardian_person_id ? c->guardian_person_id
						 : c->subject_person_id;
	if (!person)
		return err_set(e, 400, "required", "relief_person_id",
			       "申请临时救助须关联户籍人员（监护人或儿童）");
	char ref[48], cause[32];
	snprintf(ref, sizeof ref, "hotline_case:%lld", (long long)c->id);
	text_copy(cause, sizeof cause, in->relief_cause[0] ? in->relief_cause : "");
	struct relief_apply_in ri = {
		.person_id = person,
		.kind = in->relief_kind[0] ? in->relief_kind : "emergency",
		.cause = cause,
		.amount_fen = in->amount_fen,
		.form = in->relief_form[0] ? in->relief_form : "cash",
		.goods_note = strcmp(in->relief_form, "goods") == 0 ? in->note : "",
		.applied_by = "hotline",
		.source_ref = ref,
		.pay_first = in->pay_first ? 1 : 0,
		.reason = in->note,
	};
	int64_t grant = 0;
	if (relief_apply(db, a, &ri, &grant, e) < 0) {
		static const char *const fields[][2] = {{"kind", "relief_kind"},
							{"cause", "relief_cause"},
							{"form", "relief_form"},
							{"person_id", "relief_person_id"},
							{"reason", "note"},
							{"goods_note", "note"}};
		for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
			if (strcmp(e->field, fields[i][0]) == 0) {
				snprintf(e->field, sizeof e->field, "%s", fields[i][1]);
				break;
			}
		if (relief_need_recorded(e))
			*commit_anyway = 1;
		return -1;
	}
	json_object_set_new(rec, "resource_status", json_string("applied"));
	json_object_set_new(rec, "relief_grant_id", json_integer((json_int_t)grant));
	json_object_set_new(rec, "relief_person_id", json_integer((json_int_t)person));
	json_object_set_new(rec, "pay_first", json_boolean(ri.pay_first));
	if (out_item)
		*out_item = grant;
	return 0;
}

static int step_followup(struct db *db, const struct hotline_case *c,
			 const struct hotline_step_in *in, const char *now, json_t *rec,
			 struct err *e)
{
	char day[11], due[11];
	if (hotline_code_check(hotline_followup_methods, in->kind, 1, "kind", "回访方式", e) < 0 ||
	    hotline_past_day(in->date, c->opened_at, "date", day, e) < 0 ||
	    text_check(in->note, HOTLINE_TEXT_CHARS, 1, 1, "note", "回访情况", e) < 0)
		return -1;
	int days = c->followup_days > 0 ? c->followup_days : 7;
	hotline_followup_due(day, days, due);
	/* a follow-up recorded late for an earlier day never moves the next one back */
	const char *next = strcmp(due, c->next_followup_due) > 0 ? due : c->next_followup_due;
	struct db_stmt *st = case_update(db,
					 "UPDATE hotline_cases SET next_followup_due = ?2, "
					 "updated_at = ?3 WHERE id = ?1",
					 c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, next);
	db_bind_text(st, 3, now);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "method", json_string(in->kind));
	json_object_set_new(rec, "date", json_string(day));
	json_object_set_new(rec, "note", json_string(in->note));
	json_object_set_new(rec, "next_followup_due", json_string(next));
	return 0;
}

static int step_close(struct db *db, const struct hotline_case *c, const struct hotline_step_in *in,
		      const char *now, json_t *rec, struct err *e)
{
	if (hotline_close_check(c->kind, c->plan[0] != '\0', in->outcome, c->open_placements,
				c->pending_referrals, e) < 0 ||
	    text_check(in->note, HOTLINE_TEXT_CHARS, strcmp(in->outcome, "other") == 0, 1,
			       "note", "结案说明", e) < 0)
		return -1;
	struct db_stmt *st = case_update(
	    db,
	    "UPDATE hotline_cases SET status = 'closed', outcome = ?2, outcome_note = ?3, "
	    "closed_at = ?4, closed_by = ?5, next_followup_due = '', updated_at = ?4 WHERE id = ?1",
	    c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, in->outcome);
	db_bind_text(st, 3, in->note);
	db_bind_text(st, 4, now);
	db_bind_text(st, 5, in->username);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "outcome", json_string(in->outcome));
	if (!text_blank(in->note))
		json_object_set_new(rec, "note", json_string(in->note));
	return 0;
}

static int step_reopen(struct db *db, const struct hotline_case *c,
		       const struct hotline_step_in *in, const char *now, json_t *rec,
		       struct err *e)
{
	int64_t minutes;
	char due[32];
	if (text_check(in->reason, HOTLINE_TEXT_CHARS, 1, 1, "reason", "重新开启的原因", e) <
		0 ||
	    hotline_param(db, c->region_code, hotline_response_key(c->kind, c->urgency), &minutes,
			  e) < 0)
		return -1;
	hotline_assess_due(now, minutes, due);
	struct db_stmt *st = case_update(
	    db,
	    "UPDATE hotline_cases SET status = 'intake', assess_due = ?2, assessed_at = '', "
	    "in_scope = NULL, scope_reason = '', closed_at = '', closed_by = '', outcome = '', "
	    "outcome_note = '', reopen_count = reopen_count + 1, updated_at = ?3 WHERE id = ?1",
	    c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, due);
	db_bind_text(st, 3, now);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "reason", json_string(in->reason));
	json_object_set_new(rec, "previous_outcome", json_string(c->outcome));
	json_object_set_new(rec, "assess_due", json_string(due));
	return 0;
}

static int step_assign(struct db *db, const struct hotline_case *c,
		       const struct hotline_step_in *in, const char *now, json_t *rec,
		       struct err *e)
{
	if (worker_check(db, in->username, c->region_code, e) < 0)
		return -1;
	struct db_stmt *st = case_update(
	    db, "UPDATE hotline_cases SET assigned_to = ?2, updated_at = ?3 WHERE id = ?1", c->id, e);
	if (!st)
		return -1;
	db_bind_text(st, 2, in->username);
	db_bind_text(st, 3, now);
	if (db_run(st, e) < 0)
		return -1;
	json_object_set_new(rec, "assigned_to", json_string(in->username));
	if (c->assigned_to[0])
		json_object_set_new(rec, "previous", json_string(c->assigned_to));
	return 0;
}

int hotline_case_step(struct db *db, const struct actor *a, int64_t id, enum hotline_step step,
		      const struct hotline_step_in *in, int64_t *out_item, struct err *e)
{
	struct hotline_case *c = calloc(1, sizeof *c);
	struct hotline_step_in *m = NULL;
	json_t *rec = json_object();
	char now[32];
	int rc = -1, commit_anyway = 0;
	if (!c || !rec) {
		free(c);
		json_decref(rec);
		return err_oom(e);
	}
	if (out_item)
		*out_item = 0;
	if (db_begin_write(db, e) < 0)
		goto out;
	hotline_now(now);
	if (case_load(db, a, id, c, e) < 0)
		goto done;
	if (!actor_can(a, PERM_HOTLINE)) {
		err_set(e, 403, "forbidden", NULL, "您的角色无权办理热线个案");
		goto done;
	}
	enum hotline_status from = (enum hotline_status)hotline_status_from_name(c->status), next;
	if (!hotline_step_name(step)) {
		err_set(e, 404, "not_found", NULL, "没有这个办理环节");
		goto done;
	}
	if (!hotline_step_allowed(from, step, &next)) {
		err_set(e, 409, "invalid_step", NULL, "%s", hotline_step_refusal(from, step));
		goto done;
	}
	switch (step) {
	case HOTLINE_STEP_ASSESS:
		rc = step_assess(db, c, in, next, now, rec, e);
		break;
	case HOTLINE_STEP_PLAN:
		rc = step_plan(db, c, in, now, rec, e);
		break;
	case HOTLINE_STEP_PLACE:
		rc = step_place(db, a, c, in, now, rec, out_item, e);
		break;
	case HOTLINE_STEP_PLACE_END:
		rc = step_place_end(db, a, c, in, now, rec, e);
		break;
	case HOTLINE_STEP_REFER:
		rc = step_refer(db, a, c, in, now, rec, out_item, e);
		break;
	case HOTLINE_STEP_REFER_ANSWER:
		rc = step_refer_answer(db, a, c, in, now, rec, e);
		break;
	case HOTLINE_STEP_RESOURCE:
		rc = step_resource(db, a, c, in, rec, out_item, &commit_anyway, e);
		break;
	case HOTLINE_STEP_FOLLOWUP:
		rc = step_followup(db, c, in, now, rec, e);
		break;
	case HOTLINE_STEP_ASSIGN:
		rc = step_assign(db, c, in, now, rec, e);
		break;
	case HOTLINE_STEP_CLOSE:
		m = malloc(sizeof *m);
		if (!m) {
			rc = err_oom(e);
			break;
		}
		*m = *in;
		text_copy(m->username, sizeof m->username, a->username);
		rc = step_close(db, c, m, now, rec, e);
		break;
	case HOTLINE_STEP_REOPEN:
		rc = step_reopen(db, c, in, now, rec, e);
		break;
	}
	if (rc == 0 && (step == HOTLINE_STEP_REFER || step == HOTLINE_STEP_REFER_ANSWER ||
			step == HOTLINE_STEP_RESOURCE)) {
		struct db_stmt *st = case_update(
		    db, "UPDATE hotline_cases SET updated_at = ?2 WHERE id = ?1", c->id, e);
		rc = st ? 0 : -1;
		if (st) {
			db_bind_text(st, 2, now);
			rc = db_run(st, e);
		}
	}
	if (rc == 0) {
		json_object_set_new(rec, "status_before", json_string(c->status));
		json_object_set_new(rec, "status", json_string(hotline_status_name(next)));
		rc = step_row(db, a, c->id, hotline_step_name(step), rec, now, e);
	}
done:
	if (rc < 0 && commit_anyway) {
		/* only the relief module's record of the refused application is committed */
		struct err saved = *e;
		if (db_commit(db, e) == 0)
			*e = saved;
		rc = -1;
	} else {
		rc = hotline_finish(db, rc, e);
	}
out:
	free(m);
	free(c);
	json_decref(rec);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* the list                                                                                   */
/* ------------------------------------------------------------------------------------------ */

#define CASE_WHERE                                                                                 \
	"(?1 = '' OR (?1 = 'open' AND k.status <> 'closed') OR (?1 = 'closed' AND k.status = "    \
	"'closed') OR (?1 = 'overdue' AND ((k.status = 'intake' AND k.assess_due < ?2) OR "       \
	"(k.status = 'active' AND k.next_followup_due <> '' AND k.next_followup_due < ?3))) OR "   \
	"(?1 = 'in_care' AND EXISTS (SELECT 1 FROM hotline_placements p WHERE p.case_id = k.id "  \
	"AND p.end_date = ''))) AND (?4 = '' OR k.status = ?4) AND (?5 = '' OR k.kind = ?5) AND "  \
	"(?6 = '' OR k.assigned_to = ?6) AND (?7 = '' OR substr(k.subject_name, 1, length(?7)) = " \
	"?7) AND k.region_code >= ?8 AND k.region_code < ?9 AND "

int hotline_case_list(struct db *db, const struct actor *a, const struct hotline_case_query *q,
		      struct hotline_case_page *out, struct err *e)
{
	struct strbuf sql = STRBUF_INIT, cnt = STRBUF_INIT;
	int limit = q->limit, rc = -1, alloc = 0;
	char now[32], today[11];
	memset(out, 0, sizeof *out);
	if (hotline_page_check(&limit, q->offset, e) < 0 ||
	    hotline_region_filter(a, q->region, e) < 0)
		return -1;
	if (q->stage[0] && strcmp(q->stage, "open") && strcmp(q->stage, "closed") &&
	    strcmp(q->stage, "overdue") && strcmp(q->stage, "in_care"))
		return err_set(e, 400, "invalid_value", "stage",
			       "stage 应为 open（办理中）、overdue（逾期）、in_care（临时照料中）或 "
			       "closed（已结案）");
	if (q->status[0] && hotline_status_from_name(q->status) < 0)
		return err_set(e, 400, "invalid_value", "status",
			       "status 应为 intake、assessed、active 或 closed");
	if (hotline_code_check(hotline_line_kinds, q->kind, 0, "kind", "热线类别", e) < 0)
		return -1;
	hotline_now(now);
	hotline_today(today);
	if (strbuf_addstr(&sql, "SELECT " CASE_COLS CASE_FROM "WHERE " CASE_WHERE) < 0 ||
	    scope_sql(&sql, &a->scope, "k.region_code") < 0 ||
	    strbuf_addstr(&sql, " ORDER BY CASE WHEN ?1 = 'overdue' THEN (CASE k.status WHEN "
				"'intake' THEN k.assess_due ELSE k.next_followup_due END) ELSE '' "
				"END, k.opened_at DESC, k.id DESC LIMIT ? OFFSET ?") < 0 ||
	    strbuf_addstr(&cnt, "SELECT count(*) FROM hotline_cases k WHERE " CASE_WHERE) < 0 ||
	    scope_sql(&cnt, &a->scope, "k.region_code") < 0) {
		err_oom(e);
		goto out;
	}
	for (int pass = 0; pass < 2; pass++) {
		struct db_stmt *st = db_prepare(db, strbuf_str(pass ? &sql : &cnt), e);
		if (!st)
			goto out;
		db_bind_text(st, 1, q->stage);
		db_bind_text(st, 2, now);
		db_bind_text(st, 3, today);
		db_bind_text(st, 4, q->status);
		db_bind_text(st, 5, q->kind);
		db_bind_text(st, 6, q->mine ? a->username : "");
		db_bind_text(st, 7, q->q);
		int next = scope_bind_prefix(st, q->region, 8);
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
			case_read(st, &out->items[out->n++], now, today);
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
