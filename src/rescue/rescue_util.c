/* rescue_util.c — the helpers the rescue module's files share (see rescue_internal.h). */
#include "rescue/rescue_internal.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/idnum.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "core/utf8.h"
#include "policy/policy.h"

int rescue_not_found(struct err *e, const char *what)
{
	return err_set(e, 404, "not_found", NULL, "%s不存在或不在您的管辖范围内", what);
}

int rescue_now(const char *now, char text[RESCUE_TIME_SZ], int64_t *t, struct err *e)
{
	if (now && *now) {
		if (rescue_time_parse(now, t) < 0)
			return err_set(e, 400, "invalid_value", "now",
				       "当前时间应为 YYYY-MM-DDTHH:MM[:SS]（北京时间）：%.32s",
				       now);
	} else {
		*t = clock_unix();
	}
	rescue_time_format(*t, text);
	return 0;
}

static void minute_text(int64_t t, char out[RESCUE_TIME_SZ])
{
	rescue_time_format(t, out);
	out[16] = '\0';
	out[10] = ' ';
}

int rescue_event_time(const char *text, const char *field, int64_t now, int64_t not_before,
		      const char *not_before_what, char out[RESCUE_TIME_SZ], int64_t *t,
		      struct err *e)
{
	char when[RESCUE_TIME_SZ];
	int64_t v = now;
	if (text && *text && rescue_time_parse(text, &v) < 0)
		return err_set(e, 400, "invalid_value", field,
			       "时间应为 YYYY-MM-DDTHH:MM（北京时间），如 2020-02-01T21:30：%.32s",
			       text);
	if (v > now) {
		minute_text(now, when);
		return err_set(e, 400, "invalid_value", field, "时间不能晚于当前时间（%s）", when);
	}
	if (not_before > INT64_MIN && v < not_before) {
		minute_text(not_before, when);
		return err_set(e, 400, "invalid_value", field, "时间不能早于%s（%s）",
			       not_before_what ? not_before_what : "开始时间", when);
	}
	rescue_time_format(v, out);
	*t = v;
	return 0;
}

int rescue_text_check(const char *s, long max_chars, int multiline, int required, const char *field,
		      const char *label, struct err *e)
{
	const char *p = s ? s : "";
	long n = utf8_text_chars(p, multiline);
	if (n < 0)
		return err_set(e, 400, "invalid_value", field, "%s含有无效字符", label);
	if (n > max_chars)
		return err_set(e, 400, "invalid_value", field, "%s最多 %ld 个字", label, max_chars);
	if (required) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			return err_set(e, 400, "required", field, "请填写%s", label);
	}
	return 0;
}

int rescue_begin(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_write(db, e) < 0 ? -1 : 1;
}

int rescue_finish(struct db *db, int began, int rc, struct err *e)
{
	if (began != 1)
		return rc;
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, e);
}

int rescue_begin_read(struct db *db, struct err *e)
{
	if (db_in_transaction(db))
		return 0;
	return db_begin_read(db, e) < 0 ? -1 : 1;
}

void rescue_end_read(struct db *db, int began)
{
	if (began == 1)
		db_rollback(db); /* nothing was written */
}

int rescue_policy(struct db *db, const char *unit_code, const char *key, const char *date,
		  int64_t *out, struct err *e)
{
	char month[POLICY_MONTH_SZ];
	text_copy(month, sizeof month, date);
	return policy_value(db, unit_code, "all", key, month, out, e);
}

int rescue_station_load(struct db *db, const struct actor *a, int64_t id,
			struct rescue_station *out, struct err *e)
{
	struct db_stmt *st = scope_prepare(
	    db, &a->scope,
	    "SELECT s.id, s.name, s.region_code, coalesce(g.name, ''), s.unit_code, "
	    "coalesce(s.institution_id, 0), s.address, s.phone, s.created_at "
	    "FROM rescue_stations s LEFT JOIN regions g ON g.code = s.region_code "
	    "WHERE s.id = ? AND ",
	    "s.region_code", "", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	scope_bind(st, &a->scope, 2);
	int rc = db_step(st, e);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		out->id = db_col_int(st, 0);
		text_copy(out->name, sizeof out->name, db_col_text(st, 1));
		text_copy(out->region_code, sizeof out->region_code, db_col_text(st, 2));
		text_copy(out->region_name, sizeof out->region_name, db_col_text(st, 3));
		text_copy(out->unit_code, sizeof out->unit_code, db_col_text(st, 4));
		out->institution_id = db_col_int(st, 5);
		text_copy(out->address, sizeof out->address, db_col_text(st, 6));
		text_copy(out->phone, sizeof out->phone, db_col_text(st, 7));
		text_copy(out->created_at, sizeof out->created_at, db_col_text(st, 8));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	return rc == 0 ? rescue_not_found(e, "该救助站") : 0;
}

int rescue_id_check(const char *raw, const char *field, const char *today, char out[19],
		    struct err *e)
{
	struct idnum id;
	out[0] = '\0';
	if (!raw || !*raw)
		return 0;
	if (idnum_parse(raw, today, &id, e) < 0) {
		text_copy(e->field, sizeof e->field, field);
		return -1;
	}
	text_copy(out, 19, id.number);
	return 0;
}
