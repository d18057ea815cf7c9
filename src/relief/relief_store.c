/* relief_store.c — temporary-assistance grants: applications (with pay-first from the township's
 * reserve), their steps (papers, case decision, approval, refusal, payment, hand-over, return),
 * reading one grant, the lists and the overdue lists, and the limits in force for a person.
 * (Public face: relief.h; the rules: relief_rules.c; the reserve ledger: relief_reserve.c.)
 *
 * How it works:
 * - Every read of a grant appends scope_sql() for its village code, so a grant outside the
 *   actor's scope is simply not found (404) — also for an actor who lacks the step's
 *   permission: the permission is checked after the grant is found.
 * - Every write is one BEGIN IMMEDIATE transaction (or the caller's, for relief_apply): load,
 *   check with relief_step_check(), change the grant, append its step row and the audit row,
 *   commit. Any error rolls the whole thing back, so bad input changes nothing.
 * - The parameters are those in force for the person's management unit and residence type in
 *   the month of application; the level, the limits and the deadlines are fixed then and kept
 *   on the grant, so a later change of parameters does not move a running case.
 */
#include "relief/relief_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/idnum.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "policy/policy.h"

/* ------------------------------------------------------------------------------------------ */
/* helpers (shared through relief_internal.h)                                                 */
/* ------------------------------------------------------------------------------------------ */

int relief_day(const char *in, const char *not_before, const char *field, char out[11],
	       struct err *e)
{
	char today[11];
	clock_today(today);
	if (!in || !*in) {
		text_copy(out, 11, today);
		in = today;
	} else {
		if (!calendar_date_valid(in))
			return err_set(e, 400, "invalid_value", field,
				       "日期应为 YYYY-MM-DD 格式的有效日期");
		if (strcmp(in, today) > 0)
			return err_set(e, 400, "invalid_value", field, "日期不能晚于今天（%s）",
				       today);
		text_copy(out, 11, in);
	}
	if (not_before && *not_before && strcmp(out, not_before) < 0)
		return err_set(e, 400, "invalid_value", field, "日期不能早于申请日期（%s）",
			       not_before);
	return 0;
}

void relief_who_of(const struct actor *a, struct relief_who *w)
{
	w->write = actor_can(a, PERM_ASSISTANCE_WRITE);
	w->county = actor_can(a, PERM_ASSISTANCE_APPROVE);
	/* a township assistant (or anyone with write above village level) acts for the township */
	w->township = w->county || (w->write && strlen(a->region_code) <= 9);
}

int relief_read_begin(struct db *db, int *own, struct err *e)
{
	*own = !db_in_transaction(db);
	if (*own && db_begin_read(db, e) < 0) {
		*own = 0;
		return -1;
	}
	return 0;
}

void relief_read_end(struct db *db, int own)
{
	if (own && db_in_transaction(db))
		db_rollback(db);
}

static int not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "临时救助记录不存在或不在您的管辖范围内");
}

static int audit_grant(struct db *db, const struct actor *a, const char *action, int64_t id,
		       const char *detail, struct err *e)
{
	return audit_append_id(db, a, action, "relief_grant", id, detail, e);
}

static int step_row(struct db *db, const struct actor *a, int64_t id, const char *step,
		    const char *on, const char *at, const char *note, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "INSERT INTO relief_steps(grant_id, step, on_date, at, by_user, "
		       "note) VALUES (?,?,?,?,?,?)",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, step);
	db_bind_text(st, 3, on);
	db_bind_text(st, 4, at);
	db_bind_text(st, 5, a->username);
	db_bind_text(st, 6, note ? note : "");
	return db_run(st, e);
}

/* ------------------------------------------------------------------------------------------ */
/* reading grants                                                                             */
/* ------------------------------------------------------------------------------------------ */

#define G_COLS                                                                                     \
	"g.id, g.person_id, coalesce(g.household_id, 0), coalesce(p.name, ''), "                   \
	"coalesce(p.id_number, ''), g.region_code, coalesce(r.name, ''), g.township_code, "        \
	"coalesce(t.name, ''), g.unit_code, g.residence_type, g.kind, g.cause, g.year, "           \
	"g.amount_fen, g.form, g.goods_note, g.applied_by, g.source_ref, g.reason, g.pay_first, "  \
	"g.level, g.needs_decision, EXISTS (SELECT 1 FROM relief_decisions d WHERE d.grant_id = "  \
	"g.id), coalesce(g.repeat_of, 0), g.standard_fen, g.max_fen, g.min_fen, "                  \
	"g.township_limit_fen, g.decision, g.payment, g.applied_on, g.applied_at, "                \
	"g.applied_user, g.decision_due, g.papers_due, g.papers_on, g.deliver_by, g.decided_on, "  \
	"g.decided_by, g.decision_note, g.paid_on, g.paid_by, g.returned_on, g.updated_at "
#define G_FROM                                                                                     \
	" FROM relief_grants g LEFT JOIN persons p ON p.id = g.person_id "                         \
	"LEFT JOIN regions r ON r.code = g.region_code LEFT JOIN regions t ON t.code = "           \
	"g.township_code "

static void grant_read(struct db_stmt *st, int i, struct relief_grant *g)
{
	memset(g, 0, sizeof *g);
	g->id = db_col_int(st, i++);
	g->person_id = db_col_int(st, i++);
	g->household_id = db_col_int(st, i++);
	text_copy(g->name, sizeof g->name, db_col_text(st, i++));
	idnum_mask(db_col_text(st, i++), g->id_number);
	text_copy(g->region_code, sizeof g->region_code, db_col_text(st, i++));
	text_copy(g->region_name, sizeof g->region_name, db_col_text(st, i++));
	text_copy(g->township_code, sizeof g->township_code, db_col_text(st, i++));
	text_copy(g->township_name, sizeof g->township_name, db_col_text(st, i++));
	text_copy(g->unit_code, sizeof g->unit_code, db_col_text(st, i++));
	text_copy(g->residence_type, sizeof g->residence_type, db_col_text(st, i++));
	text_copy(g->kind, sizeof g->kind, db_col_text(st, i++));
	text_copy(g->cause, sizeof g->cause, db_col_text(st, i++));
	g->year = (int)db_col_int(st, i++);
	g->amount_fen = db_col_int(st, i++);
	text_copy(g->form, sizeof g->form, db_col_text(st, i++));
	text_copy(g->goods_note, sizeof g->goods_note, db_col_text(st, i++));
	text_copy(g->applied_by, sizeof g->applied_by, db_col_text(st, i++));
	text_copy(g->source_ref, sizeof g->source_ref, db_col_text(st, i++));
	text_copy(g->reason, sizeof g->reason, db_col_text(st, i++));
	g->pay_first = (int)db_col_int(st, i++);
	text_copy(g->level, sizeof g->level, db_col_text(st, i++));
	g->needs_decision = (int)db_col_int(st, i++);
	g->has_decision = (int)db_col_int(st, i++);
	g->repeat_of = db_col_int(st, i++);
	g->standard_fen = db_col_int(st, i++);
	g->max_fen = db_col_int(st, i++);
	g->min_fen = db_col_int(st, i++);
	g->township_limit_fen = db_col_int(st, i++);
	text_copy(g->decision, sizeof g->decision, db_col_text(st, i++));
	text_copy(g->payment, sizeof g->payment, db_col_text(st, i++));
	text_copy(g->applied_on, sizeof g->applied_on, db_col_text(st, i++));
	text_copy(g->applied_at, sizeof g->applied_at, db_col_text(st, i++));
	text_copy(g->applied_user, sizeof g->applied_user, db_col_text(st, i++));
	text_copy(g->decision_due, sizeof g->decision_due, db_col_text(st, i++));
	text_copy(g->papers_due, sizeof g->papers_due, db_col_text(st, i++));
	text_copy(g->papers_on, sizeof g->papers_on, db_col_text(st, i++));
	text_copy(g->deliver_by, sizeof g->deliver_by, db_col_text(st, i++));
	text_copy(g->decided_on, sizeof g->decided_on, db_col_text(st, i++));
	text_copy(g->decided_by, sizeof g->decided_by, db_col_text(st, i++));
	text_copy(g->decision_note, sizeof g->decision_note, db_col_text(st, i++));
	text_copy(g->paid_on, sizeof g->paid_on, db_col_text(st, i++));
	text_copy(g->paid_by, sizeof g->paid_by, db_col_text(st, i++));
	text_copy(g->returned_on, sizeof g->returned_on, db_col_text(st, i++));
	text_copy(g->updated_at, sizeof g->updated_at, db_col_text(st, i++));
}

void relief_grant_state(const struct relief_grant *g, struct relief_state *s)
{
	memset(s, 0, sizeof *s);
	s->pay_first = g->pay_first;
	s->level = g->level;
	s->decision = g->decision;
	s->payment = g->payment;
	s->form = g->form;
	s->papers_done = g->papers_on[0] != '\0';
	s->needs_decision = g->needs_decision;
	s->has_decision = g->has_decision;
	s->repeat = g->repeat_of != 0;
}

const char *relief_grant_label(const struct relief_grant *g)
{
	struct relief_state s;
	relief_grant_state(g, &s);
	return relief_state_label(&s);
}

/* The grant if it lies in the actor's scope: 0, or -1 with 404. */
static int grant_load(struct db *db, const struct actor *a, int64_t id, struct relief_grant *g,
		      struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	if (id <= 0)
		return not_found(e);
	if (strbuf_addstr(&sql, "SELECT " G_COLS G_FROM "WHERE g.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "g.region_code") < 0) {
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
		grant_read(st, 0, g);
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : not_found(e);
}

int relief_grant_get(struct db *db, const struct actor *a, int64_t id, struct relief_grant *out,
		     struct relief_case_decision *d,
		     int (*fn)(const struct relief_step_row *s, void *ctx), void *ctx,
		     struct err *e)
{
	int own, rc = -1;
	if (relief_read_begin(db, &own, e) < 0)
		return -1;
	if (grant_load(db, a, id, out, e) < 0)
		goto out;
	if (d) {
		memset(d, 0, sizeof *d);
		struct db_stmt *st = db_prepare(db,
						"SELECT decided_on, participants, decision, "
						"recorded_by, recorded_at FROM relief_decisions "
						"WHERE grant_id = ?",
						e);
		if (!st)
			goto out;
		db_bind_int(st, 1, id);
		int r = db_step(st, e);
		if (r == 1) {
			text_copy(d->decided_on, sizeof d->decided_on, db_col_text(st, 0));
			text_copy(d->participants, sizeof d->participants, db_col_text(st, 1));
			text_copy(d->decision, sizeof d->decision, db_col_text(st, 2));
			text_copy(d->recorded_by, sizeof d->recorded_by, db_col_text(st, 3));
			text_copy(d->recorded_at, sizeof d->recorded_at, db_col_text(st, 4));
		}
		db_done(st);
		if (r < 0)
			goto out;
	}
	if (fn) {
		struct db_stmt *st = db_prepare(db,
						"SELECT step, on_date, at, by_user, note FROM "
						"relief_steps WHERE grant_id = ? ORDER BY id",
						e);
		if (!st)
			goto out;
		db_bind_int(st, 1, id);
		int r;
		struct relief_step_row *s = malloc(sizeof *s);
		if (!s) {
			db_done(st);
			err_oom(e);
			goto out;
		}
		while ((r = db_step(st, e)) == 1) {
			text_copy(s->step, sizeof s->step, db_col_text(st, 0));
			text_copy(s->on, sizeof s->on, db_col_text(st, 1));
			text_copy(s->at, sizeof s->at, db_col_text(st, 2));
			text_copy(s->by_user, sizeof s->by_user, db_col_text(st, 3));
			text_copy(s->note, sizeof s->note, db_col_text(st, 4));
			if (fn(s, ctx))
				break;
		}
		free(s);
		db_done(st);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	relief_read_end(db, own);
	return rc;
}

static int region_arg(const char *z, struct err *e)
{
	size_t n = z ? strlen(z) : 0;
	if (n > 12)
		return err_set(e, 400, "invalid_value", "region", "区划代码应为 2–12 位数字");
	for (size_t i = 0; i < n; i++)
		if (z[i] < '0' || z[i] > '9')
			return err_set(e, 400, "invalid_value", "region",
				       "区划代码应为 2–12 位数字");
	return 0;
}

static int enum_arg(const char *z, const char *const *allowed, const char *field, struct err *e)
{
	if (!z || !*z)
		return 0;
	for (; *allowed; allowed++)
		if (strcmp(*allowed, z) == 0)
			return 0;
	return err_set(e, 400, "invalid_value", field, "%s 的取值无效：%.20s", field, z);
}

static const char *const decisions[] = {"pending", "approved", "refused", NULL};
static const char *const payments[] = {"none", "drawn", "paid", "returned", NULL};

/* WHERE … of the list (binds: scope, then filter_bind). */
static int filter_sql(struct strbuf *sb, const struct actor *a, const struct relief_filter *f)
{
	int rc = strbuf_addstr(sb, G_FROM "WHERE ");
	rc |= scope_sql(sb, &a->scope, "g.region_code");
	rc |= strbuf_addstr(sb,
			    " AND (? = '' OR g.decision = ?) AND (? = '' OR g.payment = ?) "
			    "AND (? < 0 OR g.pay_first = ?) AND (? = 0 OR g.person_id = ?) "
			    "AND (? = '' OR g.applied_user = ?) AND (? = '' OR g.applied_on >= ?) "
			    "AND (? = '' OR g.applied_on <= ?) AND g.region_code >= ? AND "
			    "g.region_code < ? || 'z'");
	return rc < 0 ? -1 : 0;
}

static int filter_bind(struct db_stmt *st, const struct actor *a, const struct relief_filter *f)
{
	int i = scope_bind(st, &a->scope, 1);
	const char *s[][1] = {{f->decision}, {f->payment}};
	for (int k = 0; k < 2; k++) {
		db_bind_text(st, i++, s[k][0] ? s[k][0] : "");
		db_bind_text(st, i++, s[k][0] ? s[k][0] : "");
	}
	db_bind_int(st, i++, f->pay_first);
	db_bind_int(st, i++, f->pay_first);
	db_bind_int(st, i++, f->person_id);
	db_bind_int(st, i++, f->person_id);
	const char *t[] = {f->applied_user, f->from, f->to};
	for (int k = 0; k < 3; k++) {
		db_bind_text(st, i++, t[k] ? t[k] : "");
		db_bind_text(st, i++, t[k] ? t[k] : "");
	}
	db_bind_text(st, i++, f->region ? f->region : "");
	db_bind_text(st, i++, f->region ? f->region : "");
	return i;
}

int relief_grant_list(struct db *db, const struct actor *a, const struct relief_filter *f,
		      int (*fn)(const struct relief_grant *g, void *ctx), void *ctx, int64_t *total,
		      struct err *e)
{
	if (region_arg(f->region, e) < 0 || enum_arg(f->decision, decisions, "decision", e) < 0 ||
	    enum_arg(f->payment, payments, "payment", e) < 0)
		return -1;
	if ((f->from && *f->from && !calendar_date_valid(f->from)) ||
	    (f->to && *f->to && !calendar_date_valid(f->to)))
		return err_set(e, 400, "invalid_value",
			       f->from && *f->from && !calendar_date_valid(f->from) ? "from" : "to",
			       "日期应为 YYYY-MM-DD 格式的有效日期");
	int limit = f->limit <= 0 ? 50 : f->limit > RELIEF_PAGE_MAX ? RELIEF_PAGE_MAX : f->limit;
	int offset = f->offset < 0 ? 0 : f->offset;
	struct strbuf cnt = STRBUF_INIT, sql = STRBUF_INIT;
	int own, rc = -1;
	struct relief_grant *g = malloc(sizeof *g);
	if (!g || strbuf_addstr(&cnt, "SELECT count(*)") < 0 || filter_sql(&cnt, a, f) < 0 ||
	    strbuf_addstr(&sql, "SELECT " G_COLS) < 0 || filter_sql(&sql, a, f) < 0 ||
	    strbuf_addstr(&sql, " ORDER BY g.id DESC LIMIT ? OFFSET ?") < 0) {
		strbuf_release(&cnt);
		strbuf_release(&sql);
		free(g);
		return err_oom(e);
	}
	if (relief_read_begin(db, &own, e) < 0)
		goto out;
	struct db_stmt *st = db_prepare(db, strbuf_str(&cnt), e);
	if (!st)
		goto out;
	filter_bind(st, a, f);
	int r = db_step(st, e);
	if (total)
		*total = r == 1 ? db_col_int(st, 0) : 0;
	db_done(st);
	if (r < 0)
		goto out;
	st = db_prepare(db, strbuf_str(&sql), e);
	if (!st)
		goto out;
	int i = filter_bind(st, a, f);
	db_bind_int(st, i++, limit);
	db_bind_int(st, i, offset);
	while ((r = db_step(st, e)) == 1) {
		grant_read(st, 0, g);
		if (fn && fn(g, ctx))
			break;
	}
	db_done(st);
	if (r < 0)
		goto out;
	rc = 0;
out:
	relief_read_end(db, own);
	strbuf_release(&cnt);
	strbuf_release(&sql);
	free(g);
	return rc;
}

/* ---- overdue lists --------------------------------------------------------------------------- */

static int overdue_kind(struct db *db, const struct actor *a, const char *kind, const char *as_of,
			int (*fn)(const struct relief_overdue *o, void *ctx), void *ctx, int *stop,
			struct err *e)
{
	const char *cond, *due_col;
	if (strcmp(kind, "papers") == 0) {
		cond = "g.pay_first = 1 AND g.papers_on = '' AND g.decision <> 'refused' AND "
		       "g.papers_due < ?";
		due_col = "papers_due";
	} else if (strcmp(kind, "decisions") == 0) {
		cond = "g.decision = 'pending' AND g.decision_due < ?";
		due_col = "decision_due";
	} else {
		cond = "g.payment = 'drawn' AND g.deliver_by < ?";
		due_col = "deliver_by";
	}
	struct strbuf sql = STRBUF_INIT;
	int rc = strbuf_addstr(&sql, "SELECT " G_COLS G_FROM "WHERE ");
	rc |= strbuf_addstr(&sql, cond);
	rc |= strbuf_addstr(&sql, " AND ");
	rc |= scope_sql(&sql, &a->scope, "g.region_code");
	rc |= strbuf_addf(&sql, " ORDER BY g.%s, g.id", due_col);
	if (rc < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, as_of);
	scope_bind(st, &a->scope, 2);
	struct relief_overdue *o = malloc(sizeof *o);
	if (!o) {
		db_done(st);
		return err_oom(e);
	}
	/* rows are read first: the working-day counts query the calendar on the same connection */
	struct relief_overdue *rows = NULL;
	int n = 0, alloc = 0, r;
	while ((r = db_step(st, e)) == 1) {
		if (n == alloc) {
			int na = alloc ? alloc * 2 : 16;
			struct relief_overdue *more = realloc(rows, (size_t)na * sizeof *rows);
			if (!more) {
				r = err_oom(e);
				break;
			}
			rows = more;
			alloc = na;
		}
		memset(&rows[n], 0, sizeof rows[n]);
		grant_read(st, 0, &rows[n].g);
		n++;
	}
	db_done(st);
	rc = r < 0 ? -1 : 0;
	for (int i = 0; rc == 0 && i < n && !*stop; i++) {
		struct relief_overdue *x = &rows[i];
		text_copy(x->kind, sizeof x->kind, kind);
		const char *due = strcmp(kind, "papers") == 0	   ? x->g.papers_due
				  : strcmp(kind, "decisions") == 0 ? x->g.decision_due
								   : x->g.deliver_by;
		text_copy(x->due, sizeof x->due, due);
		if (strcmp(kind, "deliveries") == 0) {
			x->days_late =
			    (int)(calendar_days_from_date(as_of) - calendar_days_from_date(due));
		} else if (calendar_working_days_between(db, due, as_of, &x->days_late, e) < 0) {
			rc = -1;
			break;
		}
		*o = *x;
		if (fn && fn(o, ctx))
			*stop = 1;
	}
	free(rows);
	free(o);
	return rc;
}

int relief_overdue_list(struct db *db, const struct actor *a, const char *kind, const char *as_of,
			int (*fn)(const struct relief_overdue *o, void *ctx), void *ctx,
			struct err *e)
{
	static const char *const kinds[] = {"papers", "decisions", "deliveries", NULL};
	char day[11];
	if (enum_arg(kind, kinds, "kind", e) < 0)
		return -1;
	if (as_of && *as_of) {
		if (!calendar_date_valid(as_of))
			return err_set(e, 400, "invalid_value", "as_of",
				       "日期应为 YYYY-MM-DD 格式的有效日期");
		text_copy(day, sizeof day, as_of);
	} else {
		clock_today(day);
	}
	int own, stop = 0, rc = 0;
	if (relief_read_begin(db, &own, e) < 0)
		return -1;
	for (int k = 0; kinds[k] && rc == 0 && !stop; k++)
		if (!kind || !*kind || strcmp(kind, kinds[k]) == 0)
			rc = overdue_kind(db, a, kinds[k], day, fn, ctx, &stop, e);
	relief_read_end(db, own);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* the person, the parameters, the once-per-year count                                        */
/* ------------------------------------------------------------------------------------------ */

struct person_row {
	int64_t id, household_id;
	char region_code[16];
	char township_code[16];
	char unit_code[16];
	char residence_type[8];
	char status[12];
};

static int person_load(struct db *db, const struct actor *a, int64_t id, struct person_row *p,
		       struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	memset(p, 0, sizeof *p);
	if (id <= 0)
		return err_set(e, 404, "not_found", "person_id", "人员不存在或不在您的管辖范围内");
	if (strbuf_addstr(&sql,
			  "SELECT p.id, coalesce(p.household_id, 0), p.region_code, p.status, "
			  "coalesce(h.residence_type, ''), coalesce(r.unit_code, '') FROM "
			  "persons p LEFT JOIN households h ON h.id = p.household_id LEFT JOIN "
			  "regions r ON r.code = p.region_code WHERE p.id = ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "p.region_code") < 0) {
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
		p->id = db_col_int(st, 0);
		p->household_id = db_col_int(st, 1);
		text_copy(p->region_code, sizeof p->region_code, db_col_text(st, 2));
		text_copy(p->status, sizeof p->status, db_col_text(st, 3));
		text_copy(p->residence_type, sizeof p->residence_type, db_col_text(st, 4));
		text_copy(p->unit_code, sizeof p->unit_code, db_col_text(st, 5));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", "person_id", "人员不存在或不在您的管辖范围内");
	if (strlen(p->region_code) < 9 || !p->unit_code[0] || !p->residence_type[0])
		return err_set(e, 409, "invalid_step", "person_id",
			       "此人没有所属的村（居）和家庭，请先在户籍中补全");
	text_copy(p->township_code, 10, p->region_code);
	return 0;
}

struct relief_setup {
	struct relief_params p;
	int64_t papers_days, decision_days, pay_first_days;
};

static int params_load(struct db *db, const char *unit, const char *residence, const char *month,
		       struct relief_setup *s, struct err *e)
{
	int64_t std;
	memset(s, 0, sizeof s[0]);
	if (strcmp(residence, "urban") == 0) {
		if (policy_value(db, unit, residence, "dibao_standard_urban_month_fen", month, &std,
				 e) < 0)
			return -1;
	} else {
		if (policy_value(db, unit, residence, "dibao_standard_rural_year_fen", month, &std,
				 e) < 0)
			return -1;
		std = relief_rural_month_fen(std);
	}
	s->p.standard_month_fen = std;
	struct {
		const char *key;
		int64_t *dst;
	} keys[] = {
	    {"temp_relief_township_limit_fen", &s->p.township_limit_fen},
	    {"temp_relief_max_multiple_bp", &s->p.max_multiple_bp},
	    {"temp_relief_emergency_min_multiple_bp", &s->p.emergency_min_multiple_bp},
	    {"temp_relief_papers_working_days", &s->papers_days},
	    {"temp_relief_decision_working_days", &s->decision_days},
	    {"temp_relief_pay_first_days", &s->pay_first_days},
	};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (policy_value(db, unit, residence, keys[i].key, month, keys[i].dst, e) < 0)
			return -1;
	return 0;
}

/* The grants counted for the once-per-year rule: same person and year, not refused, not
 * returned; per cause (cause NULL: all, into out). Returns the count, -1 on error. */
static int prior_grants(struct db *db, int64_t person_id, int year, const char *cause,
			int64_t *first_id, struct relief_limits *out, struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db,
		       "SELECT id, cause FROM relief_grants WHERE person_id = ? AND "
		       "year = ? AND (? = '' OR cause = ?) AND decision <> 'refused' "
		       "AND payment <> 'returned' ORDER BY id",
		       e);
	if (!st)
		return -1;
	db_bind_int(st, 1, person_id);
	db_bind_int(st, 2, year);
	db_bind_text(st, 3, cause ? cause : "");
	db_bind_text(st, 4, cause ? cause : "");
	int n = 0, rc;
	while ((rc = db_step(st, e)) == 1) {
		if (n == 0 && first_id)
			*first_id = db_col_int(st, 0);
		if (out && out->nprior < (int)(sizeof out->prior / sizeof out->prior[0])) {
			text_copy(out->prior[out->nprior].cause, sizeof out->prior[0].cause,
				    db_col_text(st, 1));
			out->prior[out->nprior].grant_id = db_col_int(st, 0);
			out->nprior++;
		}
		n++;
	}
	db_done(st);
	return rc < 0 ? -1 : n;
}

int relief_person_limits(struct db *db, const struct actor *a, int64_t person_id, const char *on,
			 struct relief_limits *out, struct err *e)
{
	char day[11];
	struct person_row p;
	struct relief_setup s;
	memset(out, 0, sizeof *out);
	if (on && *on) {
		if (!calendar_date_valid(on))
			return err_set(e, 400, "invalid_value", "on",
				       "日期应为 YYYY-MM-DD 格式的有效日期");
		text_copy(day, sizeof day, on);
	} else {
		clock_today(day);
	}
	int own, rc = -1;
	if (relief_read_begin(db, &own, e) < 0)
		return -1;
	if (person_load(db, a, person_id, &p, e) < 0)
		goto out;
	text_copy(out->month, sizeof out->month, day);
	text_copy(out->unit_code, sizeof out->unit_code, p.unit_code);
	text_copy(out->township_code, sizeof out->township_code, p.township_code);
	text_copy(out->residence_type, sizeof out->residence_type, p.residence_type);
	if (params_load(db, p.unit_code, p.residence_type, out->month, &s, e) < 0)
		goto out;
	out->p = s.p;
	out->max_fen = relief_max_fen(&s.p);
	out->emergency_min_fen = relief_emergency_min_fen(&s.p);
	if (relief_reserve_balance(db, p.township_code, &out->reserve_balance_fen, e) < 0)
		goto out;
	if (prior_grants(db, person_id, atoi(day), NULL, NULL, out, e) < 0)
		goto out;
	rc = 0;
out:
	relief_read_end(db, own);
	return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* applying                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static int apply_checks(const struct relief_apply_in *in, struct err *e)
{
	if (!in->applied_by || !*in->applied_by)
		return err_set(e, 400, "required", "applied_by", "请选择申请方式");
	if (!relief_applied_by_label(in->applied_by)[0])
		return err_set(e, 400, "invalid_value", "applied_by",
			       "申请方式应为 self village_worker hotline ledger_visit 之一");
	if (text_check(in->goods_note, RELIEF_NOTE_CHARS, 0, 1, "goods_note", "实物清单",
			      e) < 0 ||
	    text_check(in->reason, RELIEF_TEXT_CHARS, 0, 1, "reason", "申请事由说明", e) < 0)
		return -1;
	if (in->source_ref && strlen(in->source_ref) >= RELIEF_REF_SZ)
		return err_set(e, 400, "invalid_value", "source_ref", "来源编号最多 64 个字符");
	if (text_check(in->source_ref, RELIEF_REF_SZ - 1, 0, 0, "source_ref", "来源编号",
			      e) < 0)
		return -1;
	if (in->pay_first != 0 && in->pay_first != 1)
		return err_set(e, 400, "invalid_value", "pay_first", "pay_first 应为 0 或 1");
	if (in->request_key) {
		size_t n = strlen(in->request_key);
		if (n == 0 || n > 64 ||
		    strspn(in->request_key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					    "0123456789-_.:") != n)
			return err_set(e, 400, "invalid_value", "request_key",
				       "请求编号应为 1 至 64 个字母、数字或 - _ . : 字符");
	}
	return 0;
}

/* An application this user already made with the same request key: 1 with its grant id in *id,
 * or 2 with the first attempt's refusal in e (a replenishment need was recorded then); 0 when
 * the key is new; -1 on a database error or a key reused for another person (409). Inside the
 * write transaction, so two attempts with one key cannot both be new. */
static int apply_replay(struct db *db, const struct actor *a, const struct relief_apply_in *in,
			int64_t *id, struct err *e)
{
	static const char *const sql[2] = {
	    "SELECT id, person_id FROM relief_grants WHERE applied_user = ? AND request_key = ?",
	    "SELECT id, person_id FROM relief_needs WHERE by_user = ? AND request_key = ?"};
	for (int k = 0; k < 2; k++) {
		struct db_stmt *st = db_prepare(db, sql[k], e);
		if (!st)
			return -1;
		db_bind_text(st, 1, a->username);
		db_bind_text(st, 2, in->request_key);
		int rc = db_step(st, e);
		int64_t found = rc == 1 ? db_col_int(st, 0) : 0, person = rc == 1 ? db_col_int(st, 1) : 0;
		db_done(st);
		if (rc < 0)
			return -1;
		if (!found)
			continue;
		if (person != in->person_id)
			return err_set(e, 409, "request_key_reused", "request_key",
				       "该请求编号已用于另一人的申请，请重新打开申请表再提交");
		if (k == 1) {
			err_set(e, 409, "reserve_insufficient", "amount_fen",
				"此申请已因镇街备用金不足被登记为补充需求（同一请求再次提交，未重复登记），"
				"请县级民政部门补充后再办理，或按一般程序申请");
			return 2;
		}
		*id = found;
		return 1;
	}
	return 0;
}

static int apply_tx(struct db *db, const struct actor *a, const struct relief_apply_in *in,
		    const char *day, const char *at, int64_t *grant_id, int *need_written,
		    struct err *e)
{
	struct person_row p;
	struct relief_setup s;
	struct relief_assessment as;
	char month[8], decision_due[11], papers_due[11] = "", deliver_by[11] = "";
	struct relief_who w;

	relief_who_of(a, &w);
	if (person_load(db, a, in->person_id, &p, e) < 0)
		return -1;
	if (in->request_key) {
		int seen = apply_replay(db, a, in, grant_id, e);
		if (seen < 0)
			return -1;
		if (seen == 2)
			return -1; /* the refusal again, nothing written */
		if (seen == 1)
			return 1;
	}
	if (!w.write)
		return err_set(e, 403, "forbidden", NULL, "您的角色无权申请临时救助");
	if (in->pay_first && !w.township)
		return err_set(e, 403, "forbidden", "pay_first",
			       "先行救助须由镇街民政助理或县级民政部门办理，请联系镇街");
	if (strcmp(p.status, "active") != 0)
		return err_set(e, 409, "person_removed", "person_id",
			       "此人已从户籍中移除（死亡或迁出），不能申请临时救助");
	text_copy(month, sizeof month, day);
	if (params_load(db, p.unit_code, p.residence_type, month, &s, e) < 0)
		return -1;
	int year = atoi(day);
	int64_t prior_id = 0;
	int prior = 0;
	if (in->cause && relief_cause_find(in->cause)) {
		prior = prior_grants(db, p.id, year, in->cause, &prior_id, NULL, e);
		if (prior < 0)
			return -1;
	}
	struct relief_assess_in ai = {
	    .kind = in->kind,
	    .cause = in->cause,
	    .form = in->form,
	    .goods_note = in->goods_note,
	    .amount_fen = in->amount_fen,
	    .pay_first = in->pay_first,
	    .prior_same_cause = prior,
	};
	if (relief_assess(&s.p, &ai, &as, e) < 0)
		return -1;
	if (calendar_add_working_days(db, day, (int)s.decision_days, decision_due, e) < 0)
		return -1;
	if (in->pay_first) {
		if (calendar_add_working_days(db, day, (int)s.papers_days, papers_due, e) < 0)
			return -1;
		if (strcmp(in->form, "goods") == 0)
			calendar_add_days(day, (int)s.pay_first_days, deliver_by);
	}

	/* the reserve first: a refusal writes only the replenishment need */
	int64_t balance_after = 0;
	if (in->pay_first &&
	    relief_reserve_take(db, p.township_code, in->amount_fen, &balance_after, e) < 0) {
		if (strcmp(e->code, "reserve_insufficient") != 0)
			return -1;
		struct err saved = *e;
		if (relief_need_record(db, a, p.township_code, p.unit_code, p.id, in->cause,
				       in->amount_fen, balance_after, day, at, in->request_key, e) < 0)
			return -1;
		*need_written = 1;
		*e = saved;
		return -1;
	}

	const char *payment = !in->pay_first		       ? "none"
			      : strcmp(in->form, "goods") == 0 ? "drawn"
							       : "paid";
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO relief_grants(person_id, household_id, region_code, township_code, "
	    "unit_code, residence_type, kind, cause, year, amount_fen, form, goods_note, "
	    "applied_by, "
	    "source_ref, reason, pay_first, level, needs_decision, repeat_of, standard_fen, "
	    "max_fen, "
	    "min_fen, township_limit_fen, decision, payment, applied_on, applied_at, applied_user, "
	    "decision_due, papers_due, deliver_by, paid_on, paid_by, updated_at, request_key) "
	    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'pending',?,?,?,?,?,?,?,?,?,?,?)",
	    e);
	if (!st)
		return -1;
	int i = 1;
	db_bind_int(st, i++, p.id);
	if (p.household_id)
		db_bind_int(st, i++, p.household_id);
	else
		db_bind_null(st, i++);
	db_bind_text(st, i++, p.region_code);
	db_bind_text(st, i++, p.township_code);
	db_bind_text(st, i++, p.unit_code);
	db_bind_text(st, i++, p.residence_type);
	db_bind_text(st, i++, in->kind);
	db_bind_text(st, i++, in->cause);
	db_bind_int(st, i++, year);
	db_bind_int(st, i++, in->amount_fen);
	db_bind_text(st, i++, in->form);
	db_bind_text(st, i++,
		     strcmp(in->form, "goods") == 0 && in->goods_note ? in->goods_note : "");
	db_bind_text(st, i++, in->applied_by);
	db_bind_text(st, i++, in->source_ref ? in->source_ref : "");
	db_bind_text(st, i++, in->reason ? in->reason : "");
	db_bind_int(st, i++, in->pay_first);
	db_bind_text(st, i++, as.level);
	db_bind_int(st, i++, as.needs_decision);
	if (prior_id)
		db_bind_int(st, i++, prior_id);
	else
		db_bind_null(st, i++);
	db_bind_int(st, i++, s.p.standard_month_fen);
	db_bind_int(st, i++, as.max_fen);
	db_bind_int(st, i++, as.min_fen);
	db_bind_int(st, i++, s.p.township_limit_fen);
	db_bind_text(st, i++, payment);
	db_bind_text(st, i++, day);
	db_bind_text(st, i++, at);
	db_bind_text(st, i++, a->username);
	db_bind_text(st, i++, decision_due);
	db_bind_text(st, i++, papers_due);
	db_bind_text(st, i++, deliver_by);
	db_bind_text(st, i++, strcmp(payment, "paid") == 0 ? day : "");
	db_bind_text(st, i++, strcmp(payment, "paid") == 0 ? a->username : "");
	db_bind_text(st, i++, at);
	db_bind_text(st, i++, in->request_key);
	if (db_run(st, e) < 0)
		return -1;
	int64_t id = db_last_id(db);
	if (step_row(db, a, id, "apply", day, at, in->reason, e) < 0)
		return -1;
	if (in->pay_first) {
		if (relief_reserve_draw_record(db, a, p.township_code, in->amount_fen,
					       balance_after, id, day, at, e) < 0 ||
		    step_row(db, a, id, "pay", day, at,
			     strcmp(payment, "paid") == 0 ? "先行救助，从镇街备用金发放"
							  : "先行救助，从镇街备用金领出物资",
			     e) < 0)
			return -1;
	}
	char detail[512];
	snprintf(detail, sizeof detail,
		 "{\"person_id\":%lld,\"kind\":\"%s\",\"cause\":\"%s\",\"amount_fen\":%lld,"
		 "\"form\":\"%s\",\"pay_first\":%s,\"level\":\"%s\",\"needs_decision\":%s,"
		 "\"repeat_of\":%lld,\"applied_on\":\"%s\"}",
		 (long long)p.id, in->kind, in->cause, (long long)in->amount_fen, in->form,
		 in->pay_first ? "true" : "false", as.level, as.needs_decision ? "true" : "false",
		 (long long)prior_id, day);
	if (audit_grant(db, a, "relief.apply", id, detail, e) < 0)
		return -1;
	*grant_id = id;
	return 0;
}

int relief_apply_on(struct db *db, const struct actor *a, const struct relief_apply_in *in,
		    const char *on, int64_t *grant_id, struct err *e)
{
	char day[11], at[32];
	int64_t id = 0;
	int need = 0, rc;
	if (!in)
		return err_set(e, 400, "required", NULL, "缺少申请内容");
	if (relief_day(on, NULL, "applied_on", day, e) < 0 || apply_checks(in, e) < 0)
		return -1;
	clock_now_iso(at);
	if (db_in_transaction(db)) {
		if ((rc = apply_tx(db, a, in, day, at, &id, &need, e)) < 0)
			return -1;
	} else {
		if (db_begin_write(db, e) < 0)
			return -1;
		if ((rc = apply_tx(db, a, in, day, at, &id, &need, e)) < 0) {
			if (!need) {
				db_rollback(db);
				return -1;
			}
			/* the refusal stands recorded as a replenishment need */
			struct err saved = *e;
			if (db_commit(db, e) < 0)
				return -1;
			*e = saved;
			return -1;
		}
		if (db_commit(db, e) < 0)
			return -1;
	}
	if (grant_id)
		*grant_id = id;
	return rc;
}

int relief_apply(struct db *db, const struct actor *a, const struct relief_apply_in *in,
		 int64_t *grant_id, struct err *e)
{
	return relief_apply_on(db, a, in, NULL, grant_id, e);
}

/* ------------------------------------------------------------------------------------------ */
/* steps                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int step_tx(struct db *db, const struct actor *a, int64_t id, enum relief_step step,
		   const struct relief_step_in *in, struct err *e)
{
	struct relief_grant *g = malloc(sizeof *g);
	char day[11], at[32], detail[256];
	struct relief_who w;
	int rc = -1;
	const char *note = in && in->note ? in->note : "";
	if (!g)
		return err_oom(e);
	if (grant_load(db, a, id, g, e) < 0)
		goto out;
	relief_who_of(a, &w);
	struct relief_state s;
	relief_grant_state(g, &s);
	if (relief_step_check(&s, step, &w, note, e) < 0)
		goto out;
	if (text_check(note, RELIEF_TEXT_CHARS, 0, 1, "note", "意见或理由", e) < 0 ||
	    relief_day(in ? in->on : NULL, g->applied_on, "on", day, e) < 0)
		goto out;
	clock_now_iso(at);
	const char *sql = NULL;
	switch (step) {
	case RELIEF_STEP_PAPERS:
		sql = "UPDATE relief_grants SET papers_on = ?2, updated_at = ?3 WHERE id = ?1";
		break;
	case RELIEF_STEP_DECISION: {
		const char *who = in ? in->participants : NULL, *what = in ? in->decision : NULL;
		if (text_check(who, RELIEF_NOTE_CHARS, 1, 0, "participants", "参会人员", e) <
			0 ||
		    text_check(what, RELIEF_TEXT_CHARS, 1, 1, "decision", "议定结论", e) < 0)
			goto out;
		struct db_stmt *st =
		    db_prepare(db,
			       "INSERT INTO relief_decisions(grant_id, decided_on, "
			       "participants, decision, recorded_by, recorded_at) "
			       "VALUES (?,?,?,?,?,?)",
			       e);
		if (!st)
			goto out;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, day);
		db_bind_text(st, 3, who);
		db_bind_text(st, 4, what);
		db_bind_text(st, 5, a->username);
		db_bind_text(st, 6, at);
		if (db_run(st, e) < 0)
			goto out;
		sql = "UPDATE relief_grants SET updated_at = ?3 WHERE id = ?1";
		note = what;
		break;
	}
	case RELIEF_STEP_APPROVE:
		sql = "UPDATE relief_grants SET decision = 'approved', decided_on = ?2, updated_at "
		      "= ?3, "
		      "decided_by = ?4, decision_note = ?5 WHERE id = ?1";
		break;
	case RELIEF_STEP_REFUSE:
		sql = "UPDATE relief_grants SET decision = 'refused', decided_on = ?2, updated_at "
		      "= ?3, "
		      "decided_by = ?4, decision_note = ?5 WHERE id = ?1";
		break;
	case RELIEF_STEP_PAY:
	case RELIEF_STEP_DELIVER:
		sql = "UPDATE relief_grants SET payment = 'paid', paid_on = ?2, updated_at = ?3, "
		      "paid_by = ?4 WHERE id = ?1";
		break;
	case RELIEF_STEP_RETURN:
		if (g->pay_first && relief_reserve_give_back(db, a, g->township_code, g->amount_fen,
							     id, day, at, note, e) < 0)
			goto out;
		sql = "UPDATE relief_grants SET payment = 'returned', returned_on = ?2, "
		      "updated_at = ?3 WHERE id = ?1";
		break;
	}
	struct db_stmt *st = db_prepare(db, sql, e);
	if (!st)
		goto out;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, day);
	db_bind_text(st, 3, at);
	if (step == RELIEF_STEP_APPROVE || step == RELIEF_STEP_REFUSE || step == RELIEF_STEP_PAY ||
	    step == RELIEF_STEP_DELIVER)
		db_bind_text(st, 4, a->username);
	if (step == RELIEF_STEP_APPROVE || step == RELIEF_STEP_REFUSE)
		db_bind_text(st, 5, note);
	if (db_run(st, e) < 0)
		goto out;
	if (step_row(db, a, id, relief_step_name(step), day, at, note, e) < 0)
		goto out;
	char action[32];
	snprintf(action, sizeof action, "relief.%s", relief_step_name(step));
	snprintf(detail, sizeof detail, "{\"on\":\"%s\",\"amount_fen\":%lld,\"level\":\"%s\"}", day,
		 (long long)g->amount_fen, g->level);
	if (audit_grant(db, a, action, id, detail, e) < 0)
		goto out;
	rc = 0;
out:
	free(g);
	return rc;
}

/* One step: its own transaction, or the caller's when one is open (the demo's, a module that
 * opens a grant and decides it in one go). */
static int step_run(struct db *db, const struct actor *a, int64_t id, enum relief_step step,
		    const struct relief_step_in *in, struct err *e)
{
	if (db_in_transaction(db))
		return step_tx(db, a, id, step, in, e);
	if (db_begin_write(db, e) < 0)
		return -1;
	if (step_tx(db, a, id, step, in, e) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int relief_papers(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
		  struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_PAPERS, in, e);
}

int relief_decide_case(struct db *db, const struct actor *a, int64_t id,
		       const struct relief_step_in *in, struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_DECISION, in, e);
}

int relief_approve(struct db *db, const struct actor *a, int64_t id,
		   const struct relief_step_in *in, struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_APPROVE, in, e);
}

int relief_refuse(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
		  struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_REFUSE, in, e);
}

int relief_pay(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
	       struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_PAY, in, e);
}

int relief_deliver(struct db *db, const struct actor *a, int64_t id,
		   const struct relief_step_in *in, struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_DELIVER, in, e);
}

int relief_return(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
		  struct err *e)
{
	return step_run(db, a, id, RELIEF_STEP_RETURN, in, e);
}
