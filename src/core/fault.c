/* fault.c — the fault-injection rules, their counters, the MZ_FAULT parser and jansson's
 * allocator wrapper (see fault.h). SQLite's allocator wrapper lives in db/db_sqlite.c, which owns
 * everything SQLite.
 */
#include "core/fault.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule {
	_Atomic int armed;
	int every;
	uint64_t n, after;
	enum fault_kind kind;
	int at_ready; /* armed by fault_ready(), not at once */
	_Atomic uint64_t events, fired;
};

_Atomic int fault_armed_any;
static struct rule rules[FAULT_NPOINTS];
static int installed;
static void (*observer)(enum fault_point p);

void fault_set_observer(void (*fn)(enum fault_point p))
{
	observer = fn;
}

static const char *const point_names[FAULT_NPOINTS] = {"step", "alloc", "sqlmem", "json"};
static const char *const kind_names[] = {"busy",     "locked", "full",	  "ioerr",
					 "readonly", "nomem",  "corrupt", "mix"};
#define NKINDS (sizeof kind_names / sizeof kind_names[0])

int fault_arm(enum fault_point p, int every, uint64_t n, uint64_t after, enum fault_kind kind)
{
	if ((unsigned)p >= FAULT_NPOINTS || n == 0 || (unsigned)kind >= NKINDS)
		return -1;
	struct rule *r = &rules[p];
	r->armed = 0;
	atomic_store(&r->events, 0);
	atomic_store(&r->fired, 0);
	r->every = every;
	r->n = n;
	r->after = after;
	r->kind = kind;
	r->armed = 1;
	fault_armed_any = 1;
	return 0;
}

void fault_disarm(void)
{
	fault_armed_any = 0;
	for (int i = 0; i < FAULT_NPOINTS; i++)
		rules[i].armed = 0;
}

int fault_check(enum fault_point p)
{
	struct rule *r = &rules[p];
	if (!r->armed)
		return 0;
	uint64_t i = atomic_fetch_add_explicit(&r->events, 1, memory_order_relaxed) + 1;
	if (i <= r->after)
		return 0;
	i -= r->after;
	if (r->every ? i % r->n != 0 : i != r->n)
		return 0;
	uint64_t f = atomic_fetch_add_explicit(&r->fired, 1, memory_order_relaxed);
	if (observer)
		observer(p);
	if (r->kind == FAULT_KIND_MIX) {
		static const enum fault_kind turn[] = {FAULT_KIND_BUSY, FAULT_KIND_FULL,
						       FAULT_KIND_IOERR};
		return 1 + (int)turn[f % 3];
	}
	return 1 + (int)r->kind;
}

uint64_t fault_events(enum fault_point p)
{
	return atomic_load(&rules[p].events);
}

uint64_t fault_fired(enum fault_point p)
{
	return atomic_load(&rules[p].fired);
}

/* ---- MZ_FAULT ------------------------------------------------------------------------------ */

static int parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	if (len == 0 || len > 18)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static int spec_err(struct err *e, const char *rule, size_t len, const char *why)
{
	return err_set(e, 400, "fault_spec", NULL, "故障注入设置 MZ_FAULT 有误：“%.*s”%s", (int)len,
		       rule, why);
}

/* One rule "point:item:item…" (s[0..len)) into *p and *r (not armed yet). */
static int parse_rule(const char *s, size_t len, enum fault_point *p, struct rule *r, struct err *e)
{
	const char *end = s + len, *item = s;
	int first = 1, have_n = 0;
	memset(r, 0, sizeof *r);
	r->kind = FAULT_KIND_IOERR;
	while (item <= end) {
		const char *colon = memchr(item, ':', (size_t)(end - item));
		size_t n = (size_t)((colon ? colon : end) - item);
		if (first) {
			int found = 0;
			for (int i = 0; i < FAULT_NPOINTS; i++)
				if (strlen(point_names[i]) == n &&
				    !memcmp(item, point_names[i], n)) {
					*p = (enum fault_point)i;
					found = 1;
				}
			if (!found)
				return spec_err(e, s, len,
						"：故障点应为 step、alloc、sqlmem 或 json");
			first = 0;
		} else if (n > 4 && !memcmp(item, "nth=", 4)) {
			if (parse_u64(item + 4, n - 4, &r->n) < 0 || r->n == 0)
				return spec_err(e, s, len, "：nth= 应为正整数");
			r->every = 0;
			have_n = 1;
		} else if (n > 6 && !memcmp(item, "every=", 6)) {
			if (parse_u64(item + 6, n - 6, &r->n) < 0 || r->n == 0)
				return spec_err(e, s, len, "：every= 应为正整数");
			r->every = 1;
			have_n = 1;
		} else if (n == 5 && !memcmp(item, "ready", 5)) {
			r->at_ready = 1;
		} else if (n > 6 && !memcmp(item, "after=", 6)) {
			if (parse_u64(item + 6, n - 6, &r->after) < 0)
				return spec_err(e, s, len, "：after= 应为非负整数");
		} else {
			size_t k;
			for (k = 0; k < NKINDS; k++)
				if (strlen(kind_names[k]) == n && !memcmp(item, kind_names[k], n))
					break;
			if (k == NKINDS)
				return spec_err(e, s, len,
						"：未知的项（应为 nth=N、every=N、after=N、ready "
						"或 busy、locked、"
						"full、ioerr、readonly、nomem、corrupt、mix）");
			r->kind = (enum fault_kind)k;
		}
		if (!colon)
			break;
		item = colon + 1;
	}
	if (!have_n)
		return spec_err(e, s, len, "：缺少 nth=N 或 every=N");
	return 0;
}

int fault_parse(const char *spec, struct err *e)
{
	enum fault_point ps[FAULT_NPOINTS * 2];
	struct rule rs[FAULT_NPOINTS * 2];
	int count = 0;
	const char *s = spec;
	if (!spec || !*spec)
		return err_set(e, 400, "fault_spec", NULL, "故障注入设置 MZ_FAULT 为空");
	for (;;) {
		const char *comma = strchr(s, ',');
		size_t len = comma ? (size_t)(comma - s) : strlen(s);
		if (count == FAULT_NPOINTS * 2)
			return spec_err(e, s, len, "：规则过多");
		if (parse_rule(s, len, &ps[count], &rs[count], e) < 0)
			return -1;
		count++;
		if (!comma)
			break;
		s = comma + 1;
	}
	for (int i = 0; i < count; i++) {
		if (rs[i].at_ready) {
			struct rule *r = &rules[ps[i]];
			r->armed = 0;
			r->every = rs[i].every;
			r->n = rs[i].n;
			r->after = rs[i].after;
			r->kind = rs[i].kind;
			r->at_ready = 1;
		} else {
			fault_arm(ps[i], rs[i].every, rs[i].n, rs[i].after, rs[i].kind);
		}
	}
	return 0;
}

void fault_ready(void)
{
	for (int i = 0; i < FAULT_NPOINTS; i++)
		if (rules[i].at_ready) {
			rules[i].at_ready = 0;
			fault_arm((enum fault_point)i, rules[i].every, rules[i].n, rules[i].after,
				  rules[i].kind);
		}
}

static void report_at_exit(void)
{
	char line[512];
	size_t o = (size_t)snprintf(line, sizeof line, "故障注入：");
	for (int i = 0; i < FAULT_NPOINTS && o < sizeof line; i++)
		if (rules[i].armed || rules[i].at_ready)
			o += (size_t)snprintf(line + o, sizeof line - o,
					      "%s 事件 %llu 次，注入故障 %llu 次；", point_names[i],
					      (unsigned long long)fault_events((enum fault_point)i),
					      (unsigned long long)fault_fired((enum fault_point)i));
	fprintf(stderr, "%s\n", line);
}

int fault_from_env(void)
{
	struct err e;
	const char *spec = getenv("MZ_FAULT");
	if (!spec || !*spec)
		return 0;
	fault_install();
	if (fault_parse(spec, &e) < 0) {
		fprintf(stderr, "错误：%s\n", e.message);
		return -1;
	}
	fprintf(stderr,
		"警告：故障注入已启用（MZ_FAULT=%s）：数据库操作与内存分配将按设定失败，"
		"仅供测试，切勿用于生产\n",
		spec);
	atexit(report_at_exit);
	return 0;
}

/* ---- allocators ---------------------------------------------------------------------------- */

/* jansson reports an allocation that failed while parsing as a syntax error (its lexer cannot
 * tell), so the allocator remembers it for the thread: api_body_object answers 503, not 400. */
static _Thread_local int json_failed;

static void *json_alloc(size_t n)
{
	void *p = fault_hit(FAULT_ALLOC) || fault_hit(FAULT_JSON) ? NULL : malloc(n);
	if (!p)
		json_failed = 1;
	return p;
}

static void json_free(void *p)
{
	free(p);
}

void fault_json_watch(void)
{
	json_set_alloc_funcs(json_alloc, json_free);
}

int fault_json_failed(void)
{
	int f = json_failed;
	json_failed = 0;
	return f;
}

void fault_install(void)
{
	if (installed)
		return;
	installed = 1;
	fault_json_watch();
}

int fault_installed(void)
{
	return installed;
}
