/* scope.c — region scopes (see scope.h). */
#include "core/scope.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "db/db.h"

#include <string.h>

int scope_contains(const struct scope *s, const char *region_code)
{
	for (int i = 0; i < s->n; i++) {
		size_t n = strlen(s->prefix[i]);
		if (strncmp(region_code, s->prefix[i], n) == 0)
			return 1;
	}
	return 0;
}

int scope_covers(const struct scope *s, const char *code)
{
	return scope_contains(s, code);
}

int scope_overlaps(const struct scope *s, const char *code)
{
	size_t cn = strlen(code);
	for (int i = 0; i < s->n; i++) {
		size_t n = strlen(s->prefix[i]);
		size_t m = n < cn ? n : cn;
		if (strncmp(code, s->prefix[i], m) == 0)
			return 1;
	}
	return 0;
}

int scope_region_filter(const struct scope *s, const char *region, struct err *e)
{
	if (!region || !*region)
		return 0;
	size_t n = strlen(region);
	for (size_t i = 0; i < n; i++)
		if (region[i] < '0' || region[i] > '9')
			return err_set(e, 400, "invalid_value", "region", "区划代码应为数字");
	if (n > 12)
		return err_set(e, 400, "invalid_value", "region", "区划代码最长 12 位");
	return scope_overlaps(s, region) ? 0 : 1;
}

int scope_sql(struct strbuf *sql, const struct scope *s, const char *col)
{
	if (s->n == 0)
		return strbuf_addstr(sql, "(1=0)");
	if (strbuf_addch(sql, '(') < 0)
		return -1;
	for (int i = 0; i < s->n; i++) {
		if (i && strbuf_addstr(sql, " OR ") < 0)
			return -1;
		if (strbuf_addf(sql, "(%s >= ? AND %s < ?)", col, col) < 0)
			return -1;
	}
	return strbuf_addch(sql, ')');
}

int scope_bind_prefix(struct db_stmt *st, const char *prefix, int first)
{
	char hi[REGION_CODE_MAX + 2];
	size_t n = strlen(prefix);
	if (n > REGION_CODE_MAX)
		n = REGION_CODE_MAX;
	memcpy(hi, prefix, n);
	hi[n] = 'z'; /* every code character is a digit, which sorts before 'z' */
	hi[n + 1] = '\0';
	db_bind_text(st, first, prefix);
	db_bind_text(st, first + 1, hi);
	return first + 2;
}

int scope_bind(struct db_stmt *st, const struct scope *s, int first)
{
	for (int i = 0; i < s->n; i++)
		first = scope_bind_prefix(st, s->prefix[i], first);
	return first;
}

struct db_stmt *scope_prepare(struct db *db, const struct scope *s, const char *head,
			      const char *col, const char *tail, struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	struct db_stmt *st = NULL;
	if (strbuf_addstr(&sql, head) < 0 || scope_sql(&sql, s, col) < 0 ||
	    strbuf_addstr(&sql, tail) < 0)
		err_oom(e);
	else
		st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	return st;
}
