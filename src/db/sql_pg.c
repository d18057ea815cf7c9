/* sql_pg.c — SQLite SQL text → PostgreSQL SQL text (see sql_pg.h for the rules).
 *
 * The text is cut into tokens (words, numbers, string literals, quoted names, parameters,
 * punctuation, spaces, comments); statements are split at top-level semicolons (a trigger's
 * body runs to its END), and each statement is written out token by token with the rewrites
 * applied. Literals and comments pass through unchanged.
 */
#include "db/sql_pg.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tk { T_WS, T_COMMENT, T_STR, T_QID, T_WORD, T_NUM, T_PARAM, T_PUNCT };

struct tok {
	enum tk t;
	const char *s;
	int n;
};

struct out {
	char *b;
	size_t len, alloc;
	int oom;
};

struct ctx {
	struct tok *tk;
	int ntk;
	struct out *o;
	int maxp; /* highest parameter number so far */
	int in_create_table;
	int in_insert; /* an INSERT … SELECT: conditions selected become integers */
	int nsub; /* derived tables named mz_sub1… */
	int upsert_set;	       /* the token after DO UPDATE SET, 0 when none */
	const struct tok *upsert_table; /* the INSERT's table: its columns there get qualified */
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->oom)
		return;
	if (o->len + n + 1 > o->alloc) {
		size_t a = o->alloc ? o->alloc : 256;
		while (a < o->len + n + 1)
			a *= 2;
		char *b = realloc(o->b, a);
		if (!b) {
			o->oom = 1;
			return;
		}
		o->b = b;
		o->alloc = a;
	}
	memcpy(o->b + o->len, s, n);
	o->len += n;
	o->b[o->len] = 0;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void putf(struct out *o, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int is_word_start(unsigned char c)
{
	return isalpha(c) || c == '_' || c >= 0x80;
}

static int is_word_char(unsigned char c)
{
	return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

/* Tokens of s; NULL when out of memory. */
static struct tok *tokenize(const char *s, int *count)
{
	size_t alloc = 64, n = 0;
	struct tok *v = malloc(alloc * sizeof *v);
	if (!v)
		return NULL;
	const char *p = s;
	while (*p) {
		struct tok t = {T_PUNCT, p, 1};
		const char *q = p;
		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)*q))
				q++;
			t.t = T_WS;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*q && *q != '\n')
				q++;
			t.t = T_COMMENT;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			q = end ? end + 2 : p + strlen(p);
			t.t = T_COMMENT;
		} else if (*p == '\'' || *p == '"' || *p == '`') {
			char quote = *p;
			q = p + 1;
			while (*q) {
				if (*q == quote && q[1] == quote)
					q += 2;
				else if (*q == quote)
					break;
				else
					q++;
			}
			if (*q)
				q++;
			t.t = quote == '\'' ? T_STR : T_QID;
		} else if (is_word_start((unsigned char)*p)) {
			while (is_word_char((unsigned char)*q))
				q++;
			t.t = T_WORD;
		} else if (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
			while (isalnum((unsigned char)*q) || *q == '.' ||
			       ((*q == '+' || *q == '-') && (q[-1] == 'e' || q[-1] == 'E')))
				q++;
			t.t = T_NUM;
		} else if (*p == '?') {
			q = p + 1;
			while (isdigit((unsigned char)*q))
				q++;
			t.t = T_PARAM;
		} else {
			static const char *two[] = {"||", "<=", ">=", "<>", "!=", "==", "::", "<<", ">>"};
			q = p + 1;
			for (size_t i = 0; i < sizeof two / sizeof two[0]; i++)
				if (p[0] == two[i][0] && p[1] == two[i][1])
					q = p + 2;
		}
		t.n = (int)(q - p);
		if (n == alloc) {
			alloc *= 2;
			struct tok *nv = realloc(v, alloc * sizeof *v);
			if (!nv) {
				free(v);
				return NULL;
			}
			v = nv;
		}
		v[n++] = t;
		p = q;
	}
	*count = (int)n;
	return v;
}

static int is_kw(const struct tok *t, const char *w)
{
	return t->t == T_WORD && (int)strlen(w) == t->n && strncasecmp(t->s, w, (size_t)t->n) == 0;
}

static int is_punct(const struct tok *t, char c)
{
	return t->t == T_PUNCT && t->n == 1 && t->s[0] == c;
}

/* The next token at or after i that is not space or comment (end when none before end). */
static int sig(const struct ctx *c, int i, int end)
{
	while (i < end && (c->tk[i].t == T_WS || c->tk[i].t == T_COMMENT))
		i++;
	return i;
}

/* i at '(': the index of its ')' (end when unbalanced). */
static int close_paren(const struct ctx *c, int i, int end)
{
	int depth = 0;
	for (; i < end; i++) {
		if (is_punct(&c->tk[i], '('))
			depth++;
		else if (is_punct(&c->tk[i], ')') && --depth == 0)
			return i;
	}
	return end;
}

/* The top-level commas of the argument list (open, close): their indexes into commas[]. */
static int split_args(const struct ctx *c, int open, int close, int *commas, int max)
{
	int depth = 0, n = 0;
	for (int i = open + 1; i < close; i++) {
		if (is_punct(&c->tk[i], '('))
			depth++;
		else if (is_punct(&c->tk[i], ')'))
			depth--;
		else if (depth == 0 && is_punct(&c->tk[i], ',') && n < max)
			commas[n++] = i;
	}
	return n;
}

static void emit_range(struct ctx *c, int from, int to);

/* A string literal's content (quotes removed, '' undone) into buf. */
static void str_content(const struct tok *t, char *buf, size_t n)
{
	size_t k = 0;
	for (int i = 1; i < t->n - 1 && k + 1 < n; i++) {
		buf[k++] = t->s[i];
		if (t->s[i] == '\'' && i + 1 < t->n - 1 && t->s[i + 1] == '\'')
			i++;
	}
	buf[k] = 0;
}

/* A strftime format → a to_char format: %Y %m %d %H %M %S %j; other text double-quoted. */
static void to_char_format(struct out *o, const char *f)
{
	static const struct {
		char c;
		const char *pg;
	} map[] = {{'Y', "YYYY"}, {'m', "MM"}, {'d', "DD"}, {'H', "HH24"}, {'M', "MI"}, {'S', "SS"}, {'j', "DDD"}};
	int quoted = 0;
	puts_(o, "'");
	for (const char *p = f; *p; p++) {
		const char *pg = NULL;
		if (*p == '%' && p[1])
			for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
				if (map[i].c == p[1])
					pg = map[i].pg;
		if (pg) {
			if (quoted)
				puts_(o, "\"");
			quoted = 0;
			puts_(o, pg);
			p++;
			continue;
		}
		if (!quoted)
			puts_(o, "\"");
		quoted = 1;
		if (*p == '\'')
			puts_(o, "''");
		else if (*p == '"')
			puts_(o, "\\\"");
		else
			put(o, p, 1);
	}
	if (quoted)
		puts_(o, "\"");
	puts_(o, "'");
}

/* strftime(fmt, time, modifier…) at i (the word), its '(' at open, ')' at close. */
static void emit_strftime(struct ctx *c, int open, int close)
{
	int commas[16];
	int n = split_args(c, open, close, commas, 16);
	int f = sig(c, open + 1, close);
	struct out *o = c->o;
	char fmt[128];
	if (n < 1 || c->tk[f].t != T_STR || sig(c, f + 1, close) != commas[0]) {
		/* not a form we know: leave it for PostgreSQL to reject loudly */
		puts_(o, "strftime");
		emit_range(c, open, close + 1);
		return;
	}
	str_content(&c->tk[f], fmt, sizeof fmt);
	int epoch = strcmp(fmt, "%s") == 0;
	puts_(o, epoch ? "floor(extract(epoch FROM " : "to_char(");
	/* the time value, then each modifier wrapped around it */
	int lo = commas[0] + 1, hi = n > 1 ? commas[1] : close;
	int tv = sig(c, lo, hi);
	for (int m = n - 1; m >= 1; m--) {
		int ms = sig(c, commas[m] + 1, m + 1 < n ? commas[m + 1] : close);
		char mod[64] = "";
		if (c->tk[ms].t == T_STR)
			str_content(&c->tk[ms], mod, sizeof mod);
		if (strncmp(mod, "start of ", 9) == 0)
			putf(o, "date_trunc('%s', ", mod + 9);
		else
			puts_(o, "(");
	}
	if (c->tk[tv].t == T_STR && c->tk[tv].n == 5 && strncasecmp(c->tk[tv].s, "'now'", 5) == 0) {
		puts_(o, "(now() AT TIME ZONE 'UTC')");
	} else {
		puts_(o, "CAST(");
		emit_range(c, lo, hi);
		puts_(o, " AS timestamp)");
	}
	for (int m = 1; m < n; m++) {
		int mlo = commas[m] + 1, mhi = m + 1 < n ? commas[m + 1] : close;
		int ms = sig(c, mlo, mhi);
		char mod[64] = "";
		int literal = c->tk[ms].t == T_STR && sig(c, ms + 1, mhi) == mhi;
		if (literal)
			str_content(&c->tk[ms], mod, sizeof mod);
		if (literal && strncmp(mod, "start of ", 9) == 0) {
			puts_(o, ")");
		} else if (literal) {
			puts_(o, " + interval ");
			put(o, c->tk[ms].s, (size_t)c->tk[ms].n);
			puts_(o, ")");
		} else {
			puts_(o, " + CAST(");
			emit_range(c, mlo, mhi);
			puts_(o, " AS interval))");
		}
	}
	if (epoch) {
		puts_(o, "))::bigint");
	} else {
		puts_(o, ", ");
		to_char_format(o, fmt);
		puts_(o, ")");
	}
}

static const char sqlite_master_view[] =
	"(SELECT c.relname::text AS name, t.relname::text AS tbl_name, "
	"CASE c.relkind WHEN 'i' THEN 'index' WHEN 'v' THEN 'view' ELSE 'table' END AS type, "
	"CASE WHEN c.relkind = 'i' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) "
	"THEN pg_get_indexdef(c.oid) END AS sql "
	"FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace "
	"LEFT JOIN pg_index x ON x.indexrelid = c.oid "
	"LEFT JOIN pg_class t ON t.oid = coalesce(x.indrelid, c.oid) "
	"WHERE ns.nspname = current_schema() AND c.relkind IN ('r', 'p', 'i', 'v')) AS sqlite_master";

/* Whether the number at i stands alone as a condition ("WHERE 1", "AND 0 OR …"): PostgreSQL
 * wants a boolean there. */
static int truth_position(const struct ctx *c, int from, int i, int to)
{
	int p = i - 1;
	while (p >= from && (c->tk[p].t == T_WS || c->tk[p].t == T_COMMENT))
		p--;
	if (p < from)
		return 0;
	const struct tok *a = &c->tk[p];
	if (!(is_kw(a, "WHERE") || is_kw(a, "AND") || is_kw(a, "OR") || is_kw(a, "WHEN") || is_kw(a, "NOT")))
		return 0;
	int n = sig(c, i + 1, to);
	if (n >= to)
		return 1;
	const struct tok *b = &c->tk[n];
	static const char *const after[] = {"AND", "OR", "ORDER", "GROUP", "LIMIT", "HAVING", "THEN",
					    "ON", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "OFFSET"};
	for (size_t k = 0; k < sizeof after / sizeof after[0]; k++)
		if (is_kw(b, after[k]))
			return 1;
	return is_punct(b, ')') || is_punct(b, ';');
}

static const char *const keywords[] = {
	"AND", "OR", "NOT", "NULL", "IS", "IN", "CASE", "WHEN", "THEN", "ELSE", "END", "BETWEEN",
	"LIKE", "TRUE", "FALSE", "DISTINCT", "FROM", "AS", "CAST", "WHERE", "EXISTS", "SELECT",
	"BIGINT", "INTEGER", "TEXT", "REAL", "RETURNING", "excluded", "ESCAPE", "SET", "COLLATE"};

/* In DO UPDATE SET … of an upsert, a bare column on the right-hand side means the row already
 * there: PostgreSQL wants it qualified with the table's name. */
static int upsert_column(const struct ctx *c, int i, int to)
{
	const struct tok *t = &c->tk[i];
	if (!c->upsert_set || i < c->upsert_set || t->t != T_WORD)
		return 0;
	for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
		if (is_kw(t, keywords[k]))
			return 0;
	int n = sig(c, i + 1, to);
	if (n < to && (is_punct(&c->tk[n], '(') || is_punct(&c->tk[n], '.')))
		return 0;
	int p = i - 1;
	while (p > 0 && (c->tk[p].t == T_WS || c->tk[p].t == T_COMMENT))
		p--;
	if (is_punct(&c->tk[p], '.'))
		return 0;
	/* the assigned column itself: "SET col =" or ", col =" */
	if ((is_kw(&c->tk[p], "SET") || is_punct(&c->tk[p], ',')) && n < to && is_punct(&c->tk[n], '='))
		return 0;
	return 1;
}

/* i at '(' of "FROM (SELECT …)" or "JOIN (SELECT …)" with no alias after it: PostgreSQL 15
 * wants one. */
static int derived_table_without_alias(const struct ctx *c, int from, int i, int to)
{
	int p = i - 1;
	while (p >= from && (c->tk[p].t == T_WS || c->tk[p].t == T_COMMENT))
		p--;
	if (p < from || !(is_kw(&c->tk[p], "FROM") || is_kw(&c->tk[p], "JOIN")))
		return 0;
	int n = sig(c, i + 1, to);
	if (n >= to || !(is_kw(&c->tk[n], "SELECT") || is_kw(&c->tk[n], "WITH") || is_kw(&c->tk[n], "VALUES")))
		return 0;
	int close = close_paren(c, i, to);
	int a = close < to ? sig(c, close + 1, to) : to;
	if (a >= to || c->tk[a].t == T_QID || is_kw(&c->tk[a], "AS"))
		return a >= to;
	if (c->tk[a].t != T_WORD)
		return 1;
	static const char *const follow[] = {"WHERE", "GROUP", "ORDER", "LIMIT", "JOIN", "LEFT", "INNER",
					     "CROSS", "ON", "UNION", "EXCEPT", "INTERSECT", "HAVING", "WINDOW",
					     "OFFSET", "NATURAL", "USING", "RETURNING"};
	for (size_t k = 0; k < sizeof follow / sizeof follow[0]; k++)
		if (is_kw(&c->tk[a], follow[k]))
			return 1;
	return 0;
}

/* j at the JOIN of CROSS JOIN: whether "table [[AS] alias] ON" follows. */
static int cross_with_on(const struct ctx *c, int j, int to)
{
	int k = sig(c, j + 1, to);
	if (k >= to)
		return 0;
	k = sig(c, k + 1, to);
	if (k < to && is_kw(&c->tk[k], "AS"))
		k = sig(c, k + 1, to);
	if (k < to && c->tk[k].t == T_WORD && !is_kw(&c->tk[k], "ON"))
		k = sig(c, k + 1, to);
	return k < to && is_kw(&c->tk[k], "ON");
}

/* The end of the select list that starts at i (after SELECT [DISTINCT|ALL]): the first FROM,
 * WHERE, … or unmatched ')' outside parentheses and CASE … END. */
static int select_list_end(const struct ctx *c, int i, int to)
{
	static const char *const stop[] = {"FROM", "WHERE", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT",
					   "INTERSECT", "HAVING", "WINDOW", "OFFSET", "INTO"};
	int depth = 0;
	for (; i < to; i++) {
		const struct tok *t = &c->tk[i];
		if (is_punct(t, '(') || is_kw(t, "CASE"))
			depth++;
		else if (is_punct(t, ')') || is_kw(t, "END")) {
			if (--depth < 0)
				return i;
		} else if (depth == 0 && is_punct(t, ';'))
			return i;
		else if (depth == 0)
			for (size_t k = 0; k < sizeof stop / sizeof stop[0]; k++)
				if (is_kw(t, stop[k]))
					return i;
	}
	return to;
}

/* Whether [lo, hi) is a condition at its top level (a comparison, IN, BETWEEN, LIKE, IS, NOT,
 * AND, OR, EXISTS): in a select list SQLite gives 0/1, PostgreSQL a boolean. */
static int is_condition(const struct ctx *c, int lo, int hi)
{
	static const char *const ops[] = {"BETWEEN", "IN", "LIKE", "GLOB", "IS", "NOT", "AND", "OR", "EXISTS"};
	int depth = 0;
	for (int i = lo; i < hi; i++) {
		const struct tok *t = &c->tk[i];
		if (is_punct(t, '(') || is_kw(t, "CASE"))
			depth++;
		else if (is_punct(t, ')') || is_kw(t, "END"))
			depth--;
		else if (depth != 0)
			continue;
		else if (t->t == T_PUNCT && (t->s[0] == '=' || t->s[0] == '<' || t->s[0] == '>' ||
					     (t->s[0] == '!' && t->n == 2)))
			return 1;
		else
			for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
				if (is_kw(t, ops[k]))
					return 1;
	}
	return 0;
}

/* Whether the SELECT at i is one branch of a UNION/EXCEPT/INTERSECT (within its parentheses). */
static int compound(const struct ctx *c, int from, int i, int to)
{
	int p = i - 1;
	while (p >= from && (c->tk[p].t == T_WS || c->tk[p].t == T_COMMENT))
		p--;
	if (p >= from && (is_kw(&c->tk[p], "UNION") || is_kw(&c->tk[p], "ALL") ||
			  is_kw(&c->tk[p], "EXCEPT") || is_kw(&c->tk[p], "INTERSECT")))
		return 1;
	int depth = 0;
	for (int k = i + 1; k < to; k++) {
		if (is_punct(&c->tk[k], '('))
			depth++;
		else if (is_punct(&c->tk[k], ')') && --depth < 0)
			return 0;
		else if (depth == 0 && is_punct(&c->tk[k], ';'))
			return 0;
		else if (depth == 0 && (is_kw(&c->tk[k], "UNION") || is_kw(&c->tk[k], "EXCEPT") ||
					is_kw(&c->tk[k], "INTERSECT")))
			return 1;
	}
	return 0;
}

/* A select list [lo, hi): each item that is a condition is cast to an integer, as in SQLite. */
static void emit_select_list(struct ctx *c, int lo, int hi)
{
	int commas[512];
	int n = split_args(c, lo - 1, hi, commas, 512);
	for (int k = 0; k <= n; k++) {
		int a = k ? commas[k - 1] + 1 : lo, b = k < n ? commas[k] : hi;
		int alias = b; /* "AS name" at the end stays outside the cast */
		for (int q = a; q < b; q++)
			if (is_kw(&c->tk[q], "AS") && sig(c, sig(c, q + 1, b) + 1, b) == b)
				alias = q;
		if (k)
			puts_(c->o, ",");
		if (is_condition(c, a, alias)) {
			puts_(c->o, " CAST((");
			emit_range(c, a, alias);
			puts_(c->o, ") AS integer) ");
			emit_range(c, alias, b);
		} else {
			emit_range(c, a, b);
		}
	}
}

/* Write tokens [from, to) with the expression-level rewrites. */
static void emit_range(struct ctx *c, int from, int to)
{
	struct out *o = c->o;
	for (int i = from; i < to; i++) {
		const struct tok *t = &c->tk[i];
		int nx = sig(c, i + 1, to);
		int call = nx < to && is_punct(&c->tk[nx], '(');
		if (is_kw(t, "SELECT") && !c->in_create_table && (c->in_insert || compound(c, from, i, to))) {
			int lo = nx < to && (is_kw(&c->tk[nx], "DISTINCT") || is_kw(&c->tk[nx], "ALL")) ? nx + 1 : i + 1;
			int hi = select_list_end(c, lo, to);
			put(o, t->s, (size_t)t->n);
			emit_range(c, i + 1, lo);
			emit_select_list(c, lo, hi);
			i = hi - 1;
		} else if (upsert_column(c, i, to)) {
			put(o, c->upsert_table->s, (size_t)c->upsert_table->n);
			puts_(o, ".");
			put(o, t->s, (size_t)t->n);
		} else if (t->t == T_PARAM) {
			int k = t->n > 1 ? atoi(t->s + 1) : c->maxp + 1;
			if (k > c->maxp)
				c->maxp = k;
			putf(o, "$%d", k);
		} else if (t->t == T_PUNCT && t->n == 2 && t->s[0] == '=' && t->s[1] == '=') {
			puts_(o, "=");
		} else if (t->t == T_NUM && t->n == 1 && (t->s[0] == '1' || t->s[0] == '0') &&
			   truth_position(c, from, i, to)) {
			puts_(o, t->s[0] == '1' ? "TRUE" : "FALSE");
		} else if (is_punct(t, '(') && derived_table_without_alias(c, from, i, to)) {
			int close = close_paren(c, i, to);
			emit_range(c, i, close + 1);
			putf(o, " AS mz_sub%d", ++c->nsub);
			i = close;
		} else if (t->t != T_WORD) {
			put(o, t->s, (size_t)t->n);
		} else if (call && is_kw(t, "ifnull")) {
			puts_(o, "coalesce");
		} else if (call && is_kw(t, "instr")) {
			puts_(o, "strpos");
		} else if (call && (is_kw(t, "max") || is_kw(t, "min"))) {
			int commas[1];
			int close = close_paren(c, nx, to);
			int two = split_args(c, nx, close, commas, 1) > 0;
			put(o, two ? (is_kw(t, "max") ? "greatest" : "least") : t->s,
			    two ? (is_kw(t, "max") ? 8 : 5) : (size_t)t->n);
		} else if (call && is_kw(t, "strftime")) {
			int close = close_paren(c, nx, to);
			emit_strftime(c, nx, close);
			i = close;
		} else if (call && is_kw(t, "randomblob")) {
			int close = close_paren(c, nx, to);
			puts_(o, "substring(sha512(convert_to(gen_random_uuid()::text || gen_random_uuid()::text"
				 " || gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')) FROM 1 FOR ");
			emit_range(c, nx + 1, close);
			puts_(o, ")");
			i = close;
		} else if (is_kw(t, "CROSS") && nx < to && is_kw(&c->tk[nx], "JOIN") && cross_with_on(c, nx, to)) {
			/* SQLite's CROSS JOIN … ON fixes the join order; PostgreSQL wants JOIN … ON */
			puts_(o, "JOIN");
			i = nx;
		} else if (is_kw(t, "temp") && i + 1 < to && is_punct(&c->tk[i + 1], '.')) {
			puts_(o, "pg_temp");
		} else if (is_kw(t, "INDEXED") && nx < to && is_kw(&c->tk[nx], "BY")) {
			/* SQLite's index hint: the PostgreSQL planner chooses */
			i = sig(c, nx + 1, to);
		} else if (is_kw(t, "NOT") && nx < to && is_kw(&c->tk[nx], "INDEXED")) {
			i = nx;
		} else if (is_kw(t, "rowid")) {
			/* insertion order, as near as PostgreSQL has it (a table without a key column) */
			puts_(o, "ctid");
		} else if (is_kw(t, "sqlite_master")) {
			puts_(o, sqlite_master_view);
		} else if (is_kw(t, "INTEGER")) {
			int k = nx < to && is_kw(&c->tk[nx], "PRIMARY") ? sig(c, nx + 1, to) : to;
			if (c->in_create_table && k < to && is_kw(&c->tk[k], "KEY")) {
				puts_(o, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
				i = k;
			} else {
				puts_(o, "BIGINT");
			}
		} else if (is_kw(t, "REAL")) {
			puts_(o, "DOUBLE PRECISION");
		} else if (is_kw(t, "BLOB")) {
			puts_(o, "BYTEA");
		} else if (is_kw(t, "AUTOINCREMENT")) {
			/* identity columns never reuse a value */
		} else if (is_kw(t, "WITHOUT") && nx < to && is_kw(&c->tk[nx], "ROWID")) {
			i = nx;
		} else if (is_kw(t, "IS") && nx < to) {
			const struct tok *a = &c->tk[nx];
			if (is_kw(a, "NOT")) {
				int b = sig(c, nx + 1, to);
				if (b < to && (is_kw(&c->tk[b], "NULL") || is_kw(&c->tk[b], "TRUE") ||
					       is_kw(&c->tk[b], "FALSE") || is_kw(&c->tk[b], "DISTINCT")))
					put(o, t->s, (size_t)t->n);
				else {
					puts_(o, "IS DISTINCT FROM");
					i = nx;
				}
			} else if (is_kw(a, "NULL") || is_kw(a, "TRUE") || is_kw(a, "FALSE") ||
				   is_kw(a, "DISTINCT")) {
				put(o, t->s, (size_t)t->n);
			} else {
				puts_(o, "IS NOT DISTINCT FROM");
			}
		} else {
			put(o, t->s, (size_t)t->n);
		}
	}
}

/* The end of the statement starting at i: its top-level ';' (or end); a trigger runs past its
 * body's END. */
static int stmt_end(const struct ctx *c, int i, int end)
{
	int a = sig(c, i, end), b = a < end ? sig(c, a + 1, end) : end;
	int trigger = a < end && is_kw(&c->tk[a], "CREATE") && b < end &&
		      (is_kw(&c->tk[b], "TRIGGER") ||
		       ((is_kw(&c->tk[b], "TEMP") || is_kw(&c->tk[b], "TEMPORARY")) &&
			sig(c, b + 1, end) < end && is_kw(&c->tk[sig(c, b + 1, end)], "TRIGGER")));
	int depth = 0, in_body = 0, cases = 0;
	for (int k = i; k < end; k++) {
		const struct tok *t = &c->tk[k];
		if (is_punct(t, '('))
			depth++;
		else if (is_punct(t, ')'))
			depth--;
		else if (trigger && depth == 0 && !in_body && is_kw(t, "BEGIN"))
			in_body = 1;
		else if (in_body && is_kw(t, "CASE"))
			cases++;
		else if (in_body && is_kw(t, "END")) {
			if (cases > 0)
				cases--;
			else
				in_body = 0, trigger = 0;
		} else if (is_punct(t, ';') && depth == 0 && !in_body && !trigger)
			return k;
	}
	return end;
}

static void emit_stmt(struct ctx *c, int from, int to);

/* CREATE TRIGGER [IF NOT EXISTS] name timing event ON table [FOR EACH ROW] [WHEN cond] BEGIN
 * body END → function + trigger. a = the CREATE token. */
static void emit_trigger(struct ctx *c, int a, int to)
{
	struct out *o = c->o;
	int k = sig(c, a + 1, to);
	if (is_kw(&c->tk[k], "TEMP") || is_kw(&c->tk[k], "TEMPORARY"))
		k = sig(c, k + 1, to);
	k = sig(c, k + 1, to); /* after TRIGGER */
	int replace = 0;
	if (is_kw(&c->tk[k], "IF")) {
		replace = 1;
		k = sig(c, sig(c, sig(c, k + 1, to) + 1, to), to); /* past NOT EXISTS */
		k = sig(c, k, to);
	}
	const struct tok *name = &c->tk[k];
	int timing = sig(c, k + 1, to);
	int before = is_kw(&c->tk[timing], "BEFORE");
	int ev = sig(c, timing + 1, to);
	if (is_kw(&c->tk[timing], "INSTEAD"))
		ev = sig(c, ev + 1, to);
	int del = is_kw(&c->tk[ev], "DELETE");
	int on = ev;
	while (on < to && !is_kw(&c->tk[on], "ON"))
		on++;
	int table = sig(c, on + 1, to);
	int p = sig(c, table + 1, to);
	if (p < to && is_kw(&c->tk[p], "FOR"))
		p = sig(c, sig(c, sig(c, p + 1, to) + 1, to) + 1, to); /* FOR EACH ROW */
	int when = -1, begin = p;
	if (p < to && is_kw(&c->tk[p], "WHEN")) {
		when = p + 1;
		int depth = 0;
		for (begin = when; begin < to; begin++) {
			if (is_punct(&c->tk[begin], '('))
				depth++;
			else if (is_punct(&c->tk[begin], ')'))
				depth--;
			else if (depth == 0 && is_kw(&c->tk[begin], "BEGIN"))
				break;
		}
	}
	int body_end = to; /* the body's END */
	for (int q = to - 1; q > begin; q--)
		if (is_kw(&c->tk[q], "END")) {
			body_end = q;
			break;
		}

	puts_(o, "CREATE OR REPLACE FUNCTION ");
	put(o, name->s, (size_t)name->n);
	puts_(o, "_fn() RETURNS trigger LANGUAGE plpgsql AS $mz$BEGIN ");
	if (when >= 0) {
		puts_(o, "IF (");
		emit_range(c, when, begin);
		puts_(o, ") THEN ");
	}
	for (int s = begin + 1; s < body_end;) {
		int e = s;
		int depth = 0;
		while (e < body_end && !(depth == 0 && is_punct(&c->tk[e], ';'))) {
			if (is_punct(&c->tk[e], '('))
				depth++;
			else if (is_punct(&c->tk[e], ')'))
				depth--;
			e++;
		}
		int w = sig(c, s, e);
		if (w < e) {
			int r = sig(c, w + 1, e), rp = r < e ? sig(c, r + 1, e) : e;
			if (is_kw(&c->tk[w], "SELECT") && r < e && is_kw(&c->tk[r], "RAISE") && rp < e &&
			    is_punct(&c->tk[rp], '(')) {
				int close = close_paren(c, rp, e);
				int commas[2];
				int msg = split_args(c, rp, close, commas, 2) == 1 ? sig(c, commas[0] + 1, close) : close;
				int wh = sig(c, close + 1, e);
				int cond = wh < e && is_kw(&c->tk[wh], "WHERE");
				if (cond) {
					puts_(o, "IF (");
					emit_range(c, wh + 1, e);
					puts_(o, ") THEN ");
				}
				puts_(o, "RAISE EXCEPTION '%', ");
				if (msg < close)
					put(o, c->tk[msg].s, (size_t)c->tk[msg].n);
				else
					puts_(o, "'trigger'");
				puts_(o, " USING ERRCODE = '23000'; ");
				if (cond)
					puts_(o, "END IF; ");
			} else {
				emit_stmt(c, w, e);
				puts_(o, "; ");
			}
		}
		s = e + 1;
	}
	if (when >= 0)
		puts_(o, "END IF; ");
	puts_(o, before ? (del ? "RETURN OLD; END$mz$; " : "RETURN NEW; END$mz$; ")
			: "RETURN NULL; END$mz$; ");
	puts_(o, replace ? "CREATE OR REPLACE TRIGGER " : "CREATE TRIGGER ");
	put(o, name->s, (size_t)name->n);
	puts_(o, " ");
	emit_range(c, timing, table + 1);
	puts_(o, " FOR EACH ROW EXECUTE FUNCTION ");
	put(o, name->s, (size_t)name->n);
	puts_(o, "_fn()");
}

/* DROP TRIGGER [IF EXISTS] name: PostgreSQL names the table too; look it up. */
static void emit_drop_trigger(struct ctx *c, int a, int to)
{
	int k = sig(c, sig(c, a + 1, to) + 1, to);
	int if_exists = 0;
	if (k < to && is_kw(&c->tk[k], "IF")) {
		if_exists = 1;
		k = sig(c, sig(c, k + 1, to) + 1, to);
	}
	char name[128];
	int n = c->tk[k].n < (int)sizeof name - 1 ? c->tk[k].n : (int)sizeof name - 1;
	memcpy(name, c->tk[k].s, (size_t)n);
	name[n] = 0;
	putf(c->o,
	     "DO $mz$DECLARE t text; BEGIN SELECT c.relname INTO t FROM pg_trigger g JOIN pg_class c "
	     "ON c.oid = g.tgrelid WHERE g.tgname = '%s' AND NOT g.tgisinternal; IF t IS NOT NULL THEN "
	     "EXECUTE format('DROP TRIGGER %%I ON %%I', '%s', t); ",
	     name, name);
	if (!if_exists)
		putf(c->o, "ELSE RAISE EXCEPTION 'no such trigger: %s'; ", name);
	puts_(c->o, "END IF; END$mz$");
}

/* CREATE [UNIQUE] INDEX … ON t (key, …) [WHERE …]: PostgreSQL wants each key that is an
 * expression (not a column or a function call) in parentheses. */
static void emit_index(struct ctx *c, int from, int to)
{
	int on = from;
	while (on < to && !is_kw(&c->tk[on], "ON"))
		on++;
	int open = on < to ? sig(c, sig(c, on + 1, to) + 1, to) : to;
	if (open >= to || !is_punct(&c->tk[open], '(')) {
		emit_range(c, from, to);
		return;
	}
	int close = close_paren(c, open, to);
	int commas[64];
	int n = split_args(c, open, close, commas, 64);
	emit_range(c, from, open + 1);
	for (int k = 0; k <= n; k++) {
		int lo = k ? commas[k - 1] + 1 : open + 1, hi = k < n ? commas[k] : close;
		int a = sig(c, lo, hi), b = a < hi ? sig(c, a + 1, hi) : hi;
		int simple_key = a < hi && (c->tk[a].t == T_WORD || c->tk[a].t == T_QID) &&
				 (b >= hi || is_kw(&c->tk[b], "ASC") || is_kw(&c->tk[b], "DESC") ||
				  is_kw(&c->tk[b], "COLLATE"));
		if (k)
			puts_(c->o, ",");
		if (!simple_key)
			puts_(c->o, "(");
		emit_range(c, lo, hi);
		if (!simple_key)
			puts_(c->o, ")");
	}
	emit_range(c, close, to);
}

/* One statement [from, to) (no trailing ';'). */
static void emit_stmt_inner(struct ctx *c, int from, int to)
{
	int a = sig(c, from, to);
	if (a >= to) {
		emit_range(c, from, to);
		return;
	}
	int b = sig(c, a + 1, to);
	const struct tok *t = &c->tk[a];
	if (is_kw(t, "PRAGMA")) {
		puts_(c->o, "SELECT 0");
		return;
	}
	if (is_kw(t, "BEGIN")) {
		puts_(c->o, "BEGIN");
		return;
	}
	if (is_kw(t, "CREATE") && b < to &&
	    (is_kw(&c->tk[b], "TRIGGER") || is_kw(&c->tk[b], "TEMP") || is_kw(&c->tk[b], "TEMPORARY"))) {
		int k = is_kw(&c->tk[b], "TRIGGER") ? b : sig(c, b + 1, to);
		if (k < to && is_kw(&c->tk[k], "TRIGGER")) {
			emit_trigger(c, a, to);
			return;
		}
	}
	if (is_kw(t, "DROP") && b < to && is_kw(&c->tk[b], "TRIGGER")) {
		emit_drop_trigger(c, a, to);
		return;
	}
	if (is_kw(t, "INSERT")) {
		int k = a;
		while (k < to && !is_kw(&c->tk[k], "INTO"))
			k++;
		k = k < to ? sig(c, k + 1, to) : to;
		for (int u = k; u < to; u++)
			if (is_kw(&c->tk[u], "DO")) {
				int v = sig(c, u + 1, to), w = v < to ? sig(c, v + 1, to) : to;
				if (v < to && is_kw(&c->tk[v], "UPDATE") && w < to && is_kw(&c->tk[w], "SET")) {
					c->upsert_set = w + 1;
					c->upsert_table = &c->tk[k];
				}
			}
	}
	if (is_kw(t, "INSERT") && b < to && is_kw(&c->tk[b], "OR")) {
		int k = sig(c, b + 1, to);
		if (k < to && is_kw(&c->tk[k], "IGNORE")) {
			emit_range(c, from, a + 1);
			emit_range(c, k + 1, to);
			/* trailing spaces stay inside; the clause goes at the end */
			puts_(c->o, " ON CONFLICT DO NOTHING");
			return;
		}
	}
	if (is_kw(t, "CREATE") && b < to && (is_kw(&c->tk[b], "INDEX") || is_kw(&c->tk[b], "UNIQUE"))) {
		emit_index(c, from, to);
		return;
	}
	c->in_create_table = is_kw(t, "CREATE") && b < to &&
			     (is_kw(&c->tk[b], "TABLE") || is_kw(&c->tk[b], "TEMP") || is_kw(&c->tk[b], "TEMPORARY"));
	emit_range(c, from, to);
	c->in_create_table = 0;
	c->upsert_set = 0;
}

static void emit_stmt(struct ctx *c, int from, int to)
{
	int outer = c->in_insert, a = sig(c, from, to);
	c->in_insert = a < to && is_kw(&c->tk[a], "INSERT");
	emit_stmt_inner(c, from, to);
	c->in_insert = outer;
}

char *sql_pg_translate(const char *sql, int *nparams)
{
	struct out o = {0};
	struct ctx c = {0};
	c.o = &o;
	c.tk = tokenize(sql, &c.ntk);
	if (!c.tk)
		return NULL;
	puts_(&o, "");
	for (int i = 0; i < c.ntk;) {
		int e = stmt_end(&c, i, c.ntk);
		emit_stmt(&c, i, e);
		if (e < c.ntk)
			puts_(&o, ";");
		i = e + 1;
	}
	free(c.tk);
	if (o.oom) {
		free(o.b);
		return NULL;
	}
	if (nparams)
		*nparams = c.maxp;
	return o.b;
}

int sql_pg_insert_table(const char *sql, char *table, size_t n)
{
	struct ctx c = {0};
	c.tk = tokenize(sql, &c.ntk);
	if (!c.tk)
		return 0;
	int found = 0, k = sig(&c, 0, c.ntk);
	if (k < c.ntk && is_kw(&c.tk[k], "INSERT")) {
		while (k < c.ntk && !is_kw(&c.tk[k], "INTO"))
			k++;
		k = sig(&c, k + 1, c.ntk);
		if (k < c.ntk && (c.tk[k].t == T_WORD || c.tk[k].t == T_QID)) {
			found = 1;
			for (int i = k + 1; i < c.ntk; i++) {
				if (is_kw(&c.tk[i], "RETURNING")) {
					found = 0;
					break;
				}
				if (is_punct(&c.tk[i], ';')) {
					found = sig(&c, i + 1, c.ntk) == c.ntk;
					break;
				}
			}
			const struct tok *t = &c.tk[k];
			int q = t->t == T_QID;
			size_t len = (size_t)t->n - (q ? 2 : 0);
			if (found && len < n) {
				for (size_t i = 0; i < len; i++)
					table[i] = (char)tolower((unsigned char)t->s[i + q]);
				table[len] = 0;
			} else {
				found = 0;
			}
		}
	}
	free(c.tk);
	return found;
}

void sql_pg_first_word(const char *sql, char *word, size_t n)
{
	size_t k = 0;
	const char *p = sql;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			break;
		}
	}
	while (isalpha((unsigned char)*p) && k + 1 < n)
		word[k++] = (char)toupper((unsigned char)*p++);
	word[k] = 0;
}
