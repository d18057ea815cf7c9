/* scope.h — region scopes: who may see which rows. The one place scope is decided.
 *
 * A scope is a set of region-code prefixes (usually one: the user's region code; a functional
 * zone such as 峡山区 expands to the townships it manages). A row is in scope when its region
 * code starts with one of the prefixes. In SQL a prefix is an index range scan
 * (code >= prefix AND code < prefix || 'z'); scope_sql() writes that condition for a column from
 * literal fragments only, and scope_bind() binds its values, so every scoped query reads
 *     WHERE <scope_sql(p.region_code)> AND ...
 * and no query on scoped data can be written without it going through here.
 */
#ifndef MZ_SCOPE_H
#define MZ_SCOPE_H

#include <stddef.h>

#define SCOPE_MAX_PREFIXES 8
#define REGION_CODE_MAX 16

struct strbuf;
struct db_stmt;
struct err;

struct scope {
	int n;
	char prefix[SCOPE_MAX_PREFIXES][REGION_CODE_MAX];
};

/* 1 when region_code lies inside the scope. */
int scope_contains(const struct scope *s, const char *region_code);

/* 1 when the whole subtree under `code` lies inside the scope (code extends a prefix). */
int scope_covers(const struct scope *s, const char *code);

/* 1 when the subtree under `code` and the scope overlap (either is a prefix of the other). */
int scope_overlaps(const struct scope *s, const char *code);

/* A narrowing region filter from a list query (?region=): 0 when region is NULL or "" (no filter)
 * or digits (at most 12) whose subtree overlaps the scope; 1 when it is well-formed but outside
 * the scope (e untouched: the caller answers 403 or 404 as its module does); -1 with e (400
 * invalid_value, field "region") when it is not digits or longer than 12. */
int scope_region_filter(const struct scope *s, const char *region, struct err *e);

/* Append "(col >= ? AND col < ?) OR ..." wrapped in parentheses for the scope's prefixes; with
 * no prefixes it appends "(1=0)". `col` must be literal SQL text — a column name, or an
 * expression of one such as "p.region_code || ''" (which filters the same rows but keeps the
 * planner from driving the query by the region index). Returns 0 or -1. */
int scope_sql(struct strbuf *sql, const struct scope *s, const char *col);

/* A prepared statement of head + the scope condition on col + tail (literal SQL fragments), or
 * NULL with e; bind its parameters with scope_bind from the first after head's. */
struct err;
struct db;
struct db_stmt *scope_prepare(struct db *db, const struct scope *s, const char *head,
			      const char *col, const char *tail, struct err *e);

/* Bind the values for scope_sql() starting at parameter `first`; returns the next free index. */
int scope_bind(struct db_stmt *st, const struct scope *s, int first);

/* Append a single-prefix range "(col >= ? AND col < ?)" and bind helper for a narrowing filter. */
int scope_bind_prefix(struct db_stmt *st, const char *prefix, int first);

#endif
