/* import_deaths.c — the deaths kind: a death list from another department (health, public
 * security), one row per person (see docs/funeral.md for the columns): ID number, name, day of
 * death, the department. Owned by the crosscheck module.
 *
 * Each row is matched to the registry by ID number and recorded with crosscheck_death_record
 * (source "import", the department as its reference), which also finds the payments made after
 * the death — the same as a funeral home's record. Decisions:
 *   - an ID number not in the registry is rejected with the reason (the list goes back to the
 *     department: a death the bureau cannot place is worth a look, never silently dropped);
 *   - a name that differs from the registry's is rejected (a mistyped ID number must not stop
 *     someone else's payments);
 *   - a person outside the caller's scope is rejected as unknown (not revealed);
 *   - the same person already recorded from the same department is skipped, so importing the
 *     file again changes nothing; an ID number twice in the file is rejected.
 * One write transaction with a savepoint per row; a dry run rolls it all back at the end. */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/idnum.h"
#include "core/scope.h"
#include "core/text.h"
#include "crosscheck/crosscheck.h"
#include "institutions/institutions.h"

const char *const import_deaths_header[] = {"身份证号", "姓名", "死亡日期", "来源部门", NULL};
const char *const import_deaths_example[] = {"370702198001010018", "张三", "2020-02-03", "卫生健康委",
					     NULL};

enum col { C_ID, C_NAME, C_DIED, C_DEPT, NCOL };

static const char *const col_names[NCOL][4] = {
	[C_ID] = {"id_number", "身份证号", "公民身份号码", NULL},
	[C_NAME] = {"name", "姓名", NULL},
	[C_DIED] = {"died_on", "死亡日期", NULL},
	[C_DEPT] = {"department", "来源部门", "报送部门", NULL},
};

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

static void progress(const struct import_opts *o, int64_t done, int64_t total, const char *stage)
{
	if (o && o->progress)
		o->progress(o->progress_arg, done, total, stage);
}

/* "2020-02-03", "2020/2/3", "2020.02.03" or an Excel day number → out[11]; 0 or -1. */
static int date_of(const char *cell, char out[11])
{
	int y, m, d;
	char sep1, sep2;
	if (cell[0] && strspn(cell, "0123456789.") == strlen(cell) && !strchr(cell, '-') &&
	    strlen(cell) <= 6) {
		double serial = strtod(cell, NULL);
		return import_excel_date(serial, out) == 0 && institutions_date_valid(out) ? 0 : -1;
	}
	if (sscanf(cell, "%4d%c%2d%c%2d", &y, &sep1, &m, &sep2, &d) != 5 || sep1 != sep2 ||
	    (sep1 != '-' && sep1 != '/' && sep1 != '.'))
		return -1;
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
	return institutions_date_valid(out) ? 0 : -1;
}

/* The registry person of an ID number: 1 (name, region), 0 none, -1. */
static int person_of(struct db *db, const char *id, char *name, size_t n, char region[16],
		     struct err *e)
{
	struct db_stmt *st =
	    db_prepare(db, "SELECT name, region_code FROM persons WHERE id_number = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		text_copy(name, n, db_col_text(st, 0));
		text_copy(region, 16, db_col_text(st, 1));
	}
	db_done(st);
	return rc;
}

int import_deaths(struct db *db, const struct actor *a, const char *data, size_t len,
		  const struct import_opts *o, struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_CROSSCHECK))
		return err_set(e, 403, "forbidden", NULL, "您没有导入死亡名单的权限");
	struct import_table *t = &out->table;
	progress(o, 0, 0, "读取文件");
	if (import_read(data, len, t, e) < 0)
		return -1;
	struct run r = {.out = out};
	static const int required[] = {C_ID, C_DIED};
	int hdr = import_header_map(out, &col_names[0][0], 4, NCOL, r.colmap, required,
				    (int)(sizeof required / sizeof required[0]),
				    "身份证号、死亡日期", e);
	if (hdr < 0)
		return -1;

	char today[11];
	clock_today(today);
	int ndata = t->nrows - hdr - 1, rc = -1, in_txn = 0;
	char (*ids)[19] = calloc((size_t)(ndata > 0 ? ndata : 1), sizeof *ids);
	if (!ids) {
		err_oom(e);
		goto out;
	}
	out->rows = ndata;
	if (db_begin_write(db, e) < 0)
		goto out;
	in_txn = 1;
	for (int i = 0; i < ndata; i++) {
		int row = hdr + 1 + i;
		struct err re;
		struct idnum idn;
		if (i % 1024 == 0)
			progress(o, i, ndata, o && o->dry_run ? "检查" : "导入");
		int idok = import_row_id(out, &r.cap, hdr, i, r.colmap[C_ID], ids, &idn);
		if (idok < 0)
			goto oom;
		if (!idok)
			continue;
		char died[11];
		const char *dcell = import_cell(t, row, r.colmap[C_DIED]);
		if (!*dcell || date_of(dcell, died) < 0) {
			if (reject(&r, row, r.colmap[C_DIED],
				   *dcell ? "死亡日期应为 YYYY-MM-DD 格式的有效日期：%s"
					  : "请填写死亡日期%s",
				   dcell) < 0)
				goto oom;
			continue;
		}
		if (strcmp(died, today) > 0 || strcmp(died, idn.birth_date) < 0) {
			if (reject(&r, row, r.colmap[C_DIED], "死亡日期 %s 不能晚于今天或早于出生日期",
				   died) < 0)
				goto oom;
			continue;
		}
		char pname[128] = "", region[16] = "";
		int f = person_of(db, idn.number, pname, sizeof pname, region, e);
		if (f < 0)
			goto out;
		if (f == 0 || !scope_contains(&a->scope, region)) {
			if (reject(&r, row, r.colmap[C_ID],
				   "该身份证号未在户籍中登记（或不在您的管辖范围内），无法比对") < 0)
				goto oom;
			continue;
		}
		const char *name = r.colmap[C_NAME] >= 0 ? import_cell(t, row, r.colmap[C_NAME]) : "";
		if (*name && strcmp(name, pname) != 0) {
			if (reject(&r, row, r.colmap[C_NAME],
				   "姓名与户籍登记不一致，请核对身份证号") < 0)
				goto oom;
			continue;
		}
		char dept[128] = "";
		if (r.colmap[C_DEPT] >= 0)
			text_copy(dept, sizeof dept, import_cell(t, row, r.colmap[C_DEPT]));
		if (!dept[0])
			text_copy(dept, sizeof dept, "其他部门");
		if (db_exec(db, "SAVEPOINT import_row", e) < 0)
			goto out;
		int wrc = crosscheck_death_record(db, a, idn.number, died, "import", dept, NULL, NULL,
						  &re);
		if (db_exec(db, wrc < 0 ? "ROLLBACK TO import_row; RELEASE import_row" : "RELEASE import_row",
			    e) < 0)
			goto out;
		if (wrc < 0) {
			if (re.status >= 500) {
				*e = re;
				goto out;
			}
			if (reject(&r, row, -1, "%s", re.message) < 0)
				goto oom;
			continue;
		}
		if (wrc == 2)
			out->skipped++;
		else
			out->accepted++;
	}
	in_txn = 0;
	if (o && o->dry_run)
		db_rollback(db); /* a dry run: everything undone */
	else if (db_commit(db, e) < 0)
		goto out;
	out->rejected = out->nrejects;
	progress(o, ndata, ndata, "完成");
	rc = 0;
	goto out;
oom:
	err_oom(e);
out:
	if (in_txn)
		db_rollback(db);
	free(ids);
	return rc;
}
