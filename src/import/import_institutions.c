/* import_institutions.c — the institutions kind: one row per institution (see docs/import.md
 * for the columns).
 *
 * Each row becomes an institution_in checked with institutions_check — the checks
 * institutions_create makes for POST /api/v1/institutions (name, type, counts, phone, dates,
 * region known and in the importer's scope). An institution is the same one when its name and
 * region code are: a second row with them in the file is rejected, one already registered is
 * skipped (so importing the same file again changes nothing). Unless a dry run, the accepted
 * rows are created with institutions_create, all in one transaction, each in a savepoint of it
 * so that a row the module refuses is undone alone and reported.
 */
#include "import/import.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "institutions/institutions.h"

enum col { C_NAME, C_TYPE, C_REGION, C_ADDRESS, C_CAPACITY, C_RESIDENTS, C_STAFF, C_CNAME,
	   C_CPHONE, C_OPENED, C_CLOSED, C_CMFROM, C_CMTO, NCOL };

static const char *const col_names[NCOL][4] = {
	[C_NAME] = {"name", "机构名称", "名称", NULL},
	[C_TYPE] = {"type", "机构类型", "类型", NULL},
	[C_REGION] = {"region_code", "区划代码", NULL},
	[C_ADDRESS] = {"address", "地址", NULL},
	[C_CAPACITY] = {"capacity", "床位数", NULL},
	[C_RESIDENTS] = {"residents", "在院人数", NULL},
	[C_STAFF] = {"staff", "工作人员数", NULL},
	[C_CNAME] = {"contact_name", "联系人", NULL},
	[C_CPHONE] = {"contact_phone", "联系电话", NULL},
	[C_OPENED] = {"opened_on", "开办日期", NULL},
	[C_CLOSED] = {"closed_on", "停办日期", NULL},
	[C_CMFROM] = {"closed_management_from", "封闭管理开始日期", NULL},
	[C_CMTO] = {"closed_management_to", "封闭管理结束日期", NULL},
};

static int col_of(const char *h)
{
	return import_column_of(&col_names[0][0], 4, NCOL, h);
}

struct run {
	struct import_result *out;
	size_t cap;
	int colmap[NCOL];
};

static int reject(struct run *r, int row, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int reject(struct run *r, int row, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = import_reject_vadd(r->out, &r->cap, row, col, fmt, ap);
	va_end(ap);
	return rc;
}

/* The column of an institutions error field, -1 when none. */
static int field_col(const struct run *r, const char *field)
{
	int c = col_of(field);
	return c >= 0 ? r->colmap[c] : -1;
}

/* A count cell: "" leaves it unset, else a whole number (the module checks the range). */
static int count_of(const char *s, int64_t *v)
{
	char *end;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (end == s || *end || errno)
		return -1;
	*v = n;
	return 0;
}

/* The row as an institution_in: -1 with *col and e when a cell cannot be read. */
static int inst_of(const struct import_table *t, int row, const struct run *r,
		   struct institution_in *in, int *col, struct err *e)
{
#define CELL(k) (r->colmap[k] >= 0 ? import_cell(t, row, r->colmap[k]) : "")
	memset(in, 0, sizeof *in);
	in->has = INST_HAS_NAME | INST_HAS_TYPE | INST_HAS_REGION | INST_HAS_ADDRESS |
		  INST_HAS_CONTACT_NAME | INST_HAS_CONTACT_PHONE;
	text_copy(in->name, sizeof in->name, CELL(C_NAME));
	const char *type = CELL(C_TYPE);
	int nt;
	const struct institutions_type *ts = institutions_types(&nt);
	for (int i = 0; i < nt; i++)
		if (strcmp(type, ts[i].label) == 0)
			type = ts[i].code;
	text_copy(in->type, sizeof in->type, type);
	text_copy(in->region_code, sizeof in->region_code, CELL(C_REGION));
	text_copy(in->address, sizeof in->address, CELL(C_ADDRESS));
	text_copy(in->contact_name, sizeof in->contact_name, CELL(C_CNAME));
	text_copy(in->contact_phone, sizeof in->contact_phone, CELL(C_CPHONE));
	static const struct {
		int col;
		uint32_t bit;
		size_t off;
		const char *label;
	} counts[] = {
		{C_CAPACITY, INST_HAS_CAPACITY, offsetof(struct institution_in, capacity), "床位数"},
		{C_RESIDENTS, INST_HAS_RESIDENTS, offsetof(struct institution_in, residents), "在院人数"},
		{C_STAFF, INST_HAS_STAFF, offsetof(struct institution_in, staff), "工作人员数"},
	};
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		const char *v = CELL(counts[i].col);
		if (!*v)
			continue;
		if (count_of(v, (int64_t *)(void *)((char *)in + counts[i].off)) < 0) {
			*col = r->colmap[counts[i].col];
			return err_set(e, 400, "invalid_value", col_names[counts[i].col][0],
				       "%s应为整数：%.32s", counts[i].label, v);
		}
		in->has |= counts[i].bit;
	}
	static const struct {
		int col;
		uint32_t bit;
		size_t off, n;
	} dates[] = {
		{C_OPENED, INST_HAS_OPENED, offsetof(struct institution_in, opened_on), 16},
		{C_CLOSED, INST_HAS_CLOSED, offsetof(struct institution_in, closed_on), 16},
		{C_CMFROM, INST_HAS_CM_FROM, offsetof(struct institution_in, cm_from), 16},
		{C_CMTO, INST_HAS_CM_TO, offsetof(struct institution_in, cm_to), 16},
	};
	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		const char *v = CELL(dates[i].col);
		if (!*v)
			continue;
		text_copy((char *)in + dates[i].off, dates[i].n, v);
		in->has |= dates[i].bit;
	}
#undef CELL
	return 0;
}

/* 1 when an institution with this name is registered in this region, 0 not, -1 error. */
static int registered(struct db *db, const char *name, const char *region, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT 1 FROM institutions WHERE name = ? AND region_code = ?",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, region);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

static void progress(const struct import_opts *o, int64_t done, int64_t total, const char *stage)
{
	if (o && o->progress)
		o->progress(o->progress_arg, done, total, stage);
}

int import_institutions(struct db *db, const struct actor *a, const char *data, size_t len,
			const struct import_opts *o, struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_INSTITUTION_MANAGE))
		return err_set(e, 403, "forbidden", NULL, "您没有导入机构的权限");
	struct import_table *t = &out->table;
	progress(o, 0, 0, "读取文件");
	if (import_read(data, len, t, e) < 0)
		return -1;
	struct run r = {.out = out};
	static const int required[] = {C_NAME, C_TYPE, C_REGION};
	int hdr = import_header_map(out, &col_names[0][0], 4, NCOL, r.colmap, required,
				    (int)(sizeof required / sizeof required[0]),
				    "机构名称、机构类型、区划代码", e);
	if (hdr < 0)
		return -1;

	int ndata = t->nrows - hdr - 1, rc = -1, in_txn = 0;
	struct institution_in *in = calloc(1, sizeof *in);
	int *ok = calloc((size_t)(ndata > 0 ? ndata : 1), sizeof *ok); /* 1: accepted so far */
	if (!in || !ok) {
		err_oom(e);
		goto out;
	}
	out->rows = ndata;
	if (!(o && o->dry_run)) {
		if (db_begin_write(db, e) < 0)
			goto out;
		in_txn = 1;
	}
	for (int i = 0; i < ndata; i++) {
		int row = hdr + 1 + i, col = -1;
		struct err re;
		if (i % 1024 == 0)
			progress(o, i, ndata, o && o->dry_run ? "检查" : "导入");
		if (inst_of(t, row, &r, in, &col, &re) < 0 || institutions_check(db, a, in, &re) < 0) {
			if (re.status >= 500) {
				*e = re;
				goto out;
			}
			if (col < 0)
				col = field_col(&r, re.field);
			if (reject(&r, row, col, "%s", re.message) < 0)
				goto oom;
			continue;
		}
		/* the same name in the same region: earlier in the file, or already registered */
		int dup = -1;
		for (int j = 0; j < i && dup < 0; j++)
			if (ok[j] &&
			    strcmp(import_cell(t, hdr + 1 + j, r.colmap[C_NAME]), in->name) == 0 &&
			    strcmp(import_cell(t, hdr + 1 + j, r.colmap[C_REGION]), in->region_code) == 0)
				dup = j;
		if (dup >= 0) {
			if (reject(&r, row, r.colmap[C_NAME], "同一区划内的机构名称与第 %d 行重复",
				   t->rows[hdr + 1 + dup].line) < 0)
				goto oom;
			continue;
		}
		int f = registered(db, in->name, in->region_code, e);
		if (f < 0)
			goto out;
		ok[i] = 1;
		if (f == 1) {
			out->skipped++;
			continue;
		}
		if (in_txn) {
			int64_t id;
			if (db_savepoint(db, e) < 0)
				goto out;
			int wrc = institutions_create(db, a, in, &id, &re);
			if (db_savepoint_end(db, wrc < 0, e) < 0)
				goto out;
			if (wrc < 0) {
				if (re.status >= 500) {
					*e = re;
					goto out;
				}
				ok[i] = 0;
				if (reject(&r, row, field_col(&r, re.field), "%s", re.message) < 0)
					goto oom;
				continue;
			}
		}
		out->accepted++;
	}
	if (in_txn) {
		in_txn = 0;
		if (db_commit(db, e) < 0)
			goto out;
	}
	out->rejected = out->nrejects;
	progress(o, ndata, ndata, "完成");
	rc = 0;
	goto out;
oom:
	err_oom(e);
out:
	if (in_txn) /* nothing of this file is kept when the import stops halfway */
		db_rollback(db);
	free(in);
	free(ok);
	return rc;
}
