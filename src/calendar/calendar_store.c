/* calendar_store.c — the calendar's lookups and changes (see calendar.h): is a day a working
 * day, n working days after a date, working days between two dates, a year's rows, setting a
 * day and importing a notice. */
#include "calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/utf8.h"

#define NAME_CHARS 30

static int bad_date(struct err *e, const char *field, const char *s)
{
	return err_set(e, 400, "invalid_value", field, "日期须为 YYYY-MM-DD 格式的有效日期：%s",
		       s ? s : "");
}

/* The rows from..to (inclusive) into a bitmap of the span: kind per day offset, 0 none,
 * 1 holiday, 2 workday. */
static int load_span(struct db *db, const char *from, const char *to, unsigned char *kinds,
		     int64_t first, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT day, kind FROM calendar_days WHERE day >= ? AND day <= ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int rc;
	while ((rc = db_step(st, e)) == 1) {
		int64_t off = calendar_days_from_date(db_col_text(st, 0)) - first;
		kinds[off] = strcmp(db_col_text(st, 1), "holiday") == 0 ? 1 : 2;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int working(const unsigned char *kinds, int64_t off, int64_t day)
{
	if (kinds[off] == 1)
		return 0;
	if (kinds[off] == 2)
		return 1;
	int64_t w = (day % 7 + 7 + 3) % 7; /* 0 = Monday */
	return w < 5;
}

int calendar_is_working_day(struct db *db, const char *date, int *out, struct err *e)
{
	if (!calendar_date_valid(date))
		return bad_date(e, "date", date);
	unsigned char k = 0;
	int64_t day = calendar_days_from_date(date);
	if (load_span(db, date, date, &k, day, e) < 0)
		return -1;
	*out = working(&k, 0, day);
	return 0;
}

int calendar_add_working_days(struct db *db, const char *date, int n, char out[11],
			      struct err *e)
{
	if (!calendar_date_valid(date))
		return bad_date(e, "date", date);
	if (n < 0 || n > CALENDAR_MAX_SPAN)
		return err_set(e, 400, "invalid_value", "n", "工作日数须在 0–%d 之间：%d",
			       CALENDAR_MAX_SPAN, n);
	/* n working days never take more than 2n + 60 calendar days (the longest official
	 * holiday is 10 days); look at the whole span in one query */
	int span = 2 * n + 60;
	unsigned char *kinds = calloc((size_t)span + 1, 1);
	if (!kinds)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int64_t first = calendar_days_from_date(date);
	char last[11];
	calendar_date_from_days(first + span, last);
	if (load_span(db, date, last, kinds, first, e) < 0) {
		free(kinds);
		return -1;
	}
	int64_t off = 0;
	for (int left = n; left > 0;) {
		off++;
		if (off > span) {
			free(kinds);
			return err_set(e, 500, "internal", NULL, "日历中节假日过多，无法推算工作日");
		}
		if (working(kinds, off, first + off))
			left--;
	}
	free(kinds);
	calendar_date_from_days(first + off, out);
	return 0;
}

int calendar_working_days_between(struct db *db, const char *from, const char *to, int *out,
				  struct err *e)
{
	if (!calendar_date_valid(from))
		return bad_date(e, "from", from);
	if (!calendar_date_valid(to))
		return bad_date(e, "to", to);
	int64_t a = calendar_days_from_date(from), b = calendar_days_from_date(to);
	*out = 0;
	if (b <= a)
		return 0;
	if (b - a > 3660)
		return err_set(e, 400, "invalid_value", "to", "日期跨度不能超过十年");
	unsigned char *kinds = calloc((size_t)(b - a) + 1, 1);
	if (!kinds)
		return err_set(e, 500, "internal", NULL, "内存不足");
	if (load_span(db, from, to, kinds, a, e) < 0) {
		free(kinds);
		return -1;
	}
	int count = 0;
	for (int64_t off = 1; off <= b - a; off++)
		count += working(kinds, off, a + off);
	free(kinds);
	*out = count;
	return 0;
}

int calendar_list(struct db *db, int year, int (*fn)(const struct calendar_day *d, void *ctx),
		  void *ctx, struct err *e)
{
	if (year < 1900 || year > 2999)
		return err_set(e, 400, "invalid_value", "year", "年份须在 1900–2999 之间：%d", year);
	char from[11], to[11];
	snprintf(from, sizeof from, "%04d-01-01", year);
	snprintf(to, sizeof to, "%04d-12-31", year);
	struct db_stmt *st = db_prepare(db,
					"SELECT day, kind, name, set_by, set_at FROM calendar_days "
					"WHERE day >= ? AND day <= ? ORDER BY day",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	int rc;
	struct calendar_day d;
	while ((rc = db_step(st, e)) == 1) {
		snprintf(d.date, sizeof d.date, "%s", db_col_text(st, 0));
		snprintf(d.kind, sizeof d.kind, "%s", db_col_text(st, 1));
		snprintf(d.name, sizeof d.name, "%s", db_col_text(st, 2));
		snprintf(d.set_by, sizeof d.set_by, "%s", db_col_text(st, 3));
		snprintf(d.set_at, sizeof d.set_at, "%s", db_col_text(st, 4));
		if (fn(&d, ctx) != 0) {
			rc = 0;
			break;
		}
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static int check_city(const struct actor *a, struct err *e)
{
	if (!actor_can(a, PERM_POLICY_WRITE))
		return err_set(e, 403, "forbidden", NULL, "没有修改节假日的权限");
	/* the whole city: the system actor (scope "") or a user whose scope is the city itself */
	if (a->user_id != 0 && strlen(a->region_code) > 4)
		return err_set(e, 403, "forbidden", NULL, "节假日由市局统一维护，县区不能修改");
	return 0;
}

/* Validate and write one day (inside the caller's transaction). */
static int set_one(struct db *db, const struct actor *a, const char *date, const char *kind,
		   const char *name, const char *field_prefix, struct err *e)
{
	char f_date[48], f_kind[48], f_name[48];
	snprintf(f_date, sizeof f_date, "%s%s", field_prefix, field_prefix[0] ? "" : "date");
	snprintf(f_kind, sizeof f_kind, "%s%s", field_prefix, field_prefix[0] ? "" : "kind");
	snprintf(f_name, sizeof f_name, "%s%s", field_prefix, field_prefix[0] ? "" : "name");
	if (!calendar_date_valid(date))
		return bad_date(e, f_date, date);
	if (!kind || (strcmp(kind, "holiday") && strcmp(kind, "workday") && strcmp(kind, "normal")))
		return err_set(e, 400, "invalid_value", f_kind,
			       "类型须为 holiday（放假）、workday（调休上班）或 normal（恢复平常）：%s",
			       kind ? kind : "");
	struct db_stmt *st;
	if (strcmp(kind, "normal") == 0) {
		st = db_prepare(db, "DELETE FROM calendar_days WHERE day = ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, date);
		return db_run(st, e);
	}
	long chars = name ? utf8_text_chars(name, 0) : -1;
	if (chars < 1 || chars > NAME_CHARS)
		return err_set(e, 400, "invalid_value", f_name, "名称须为 1–%d 个字符（如“春节”）",
			       NAME_CHARS);
	char now[32];
	clock_now_iso(now);
	st = db_prepare(db,
			"INSERT INTO calendar_days(day, kind, name, set_by, set_at) VALUES (?,?,?,?,?) "
			"ON CONFLICT(day) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
			"set_by = excluded.set_by, set_at = excluded.set_at",
			e);
	if (!st)
		return -1;
	db_bind_text(st, 1, date);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, a->username);
	db_bind_text(st, 5, now);
	return db_run(st, e);
}

int calendar_set(struct db *db, const struct actor *a, const char *date, const char *kind,
		 const char *name, struct err *e)
{
	if (check_city(a, e) < 0)
		return -1;
	int own = !db_in_transaction(db);
	if (own && db_begin_write(db, e) < 0)
		return -1;
	char object[32], detail[200];
	snprintf(object, sizeof object, "calendar:%s", date && strlen(date) < 12 ? date : "?");
	json_t *d = json_pack("{s:s, s:s}", "kind", kind ? kind : "", "name", name ? name : "");
	char *dump = d ? json_dumps(d, JSON_COMPACT) : NULL;
	snprintf(detail, sizeof detail, "%s", dump ? dump : "{}");
	free(dump);
	json_decref(d);
	if (set_one(db, a, date, kind, name, "", e) < 0 ||
	    audit_append(db, a, "calendar.set", object, "ok", detail, e) < 0 ||
	    (own && db_commit(db, e) < 0)) {
		if (own)
			db_rollback(db);
		return -1;
	}
	return 0;
}

int calendar_import(struct db *db, const struct actor *a, const char *csv, size_t len, int *n,
		    struct err *e)
{
	*n = 0;
	if (check_city(a, e) < 0)
		return -1;
	if (len >= 3 && (unsigned char)csv[0] == 0xEF && (unsigned char)csv[1] == 0xBB &&
	    (unsigned char)csv[2] == 0xBF) {
		csv += 3;
		len -= 3;
	}
	int own = !db_in_transaction(db);
	if (own && db_begin_write(db, e) < 0)
		return -1;
	size_t pos = 0;
	int lineno = 0, written = 0;
	while (pos < len) {
		size_t end = pos;
		while (end < len && csv[end] != '\n')
			end++;
		lineno++;
		char line[256];
		size_t l = end - pos;
		if (l > 0 && csv[pos + l - 1] == '\r')
			l--;
		if (l >= sizeof line) {
			err_set(e, 400, "invalid_value", NULL, "第 %d 行过长", lineno);
			goto fail;
		}
		memcpy(line, csv + pos, l);
		line[l] = '\0';
		pos = end + 1;
		if (!line[0] || (lineno == 1 && strncmp(line, "date", 4) == 0))
			continue;
		char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
		char field[32];
		snprintf(field, sizeof field, "line %d", lineno);
		if (!c1 || !c2) {
			err_set(e, 400, "invalid_value", field,
				"第 %d 行须为“日期,类型,名称”三列：%s", lineno, line);
			goto fail;
		}
		*c1 = *c2 = '\0';
		if (set_one(db, a, line, c1 + 1, c2 + 1, field, e) < 0) {
			char why[sizeof e->message];
			snprintf(why, sizeof why, "%s", e->message);
			err_set(e, 400, "invalid_value", field, "第 %d 行：%s", lineno, why);
			goto fail;
		}
		written++;
	}
	char detail[64];
	snprintf(detail, sizeof detail, "{\"rows\":%d}", written);
	if (audit_append(db, a, "calendar.import", "calendar", "ok", detail, e) < 0 ||
	    (own && db_commit(db, e) < 0))
		goto fail;
	*n = written;
	return 0;
fail:
	if (own)
		db_rollback(db);
	return -1;
}
