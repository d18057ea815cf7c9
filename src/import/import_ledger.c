/* import_ledger.c — the ledger kind: one row per hand-recorded ledger entry (see docs/import.md
 * for the columns): the person by ID number in the registry, the categories seen, the date
 * joined, a note and the helper.
 *
 * The ledger's rules live in its store functions, not in a separate check: so every row, dry
 * run or not, goes through ledger_entry_add (and ledger_entry_assign for the helper) inside one
 * write transaction and a savepoint per row — a row the ledger refuses is undone alone and
 * reported —; a dry run rolls the whole transaction back at the end, so it counts exactly what
 * an import would do and writes nothing. A person with an active entry is skipped (importing
 * the same file again changes nothing); an ID number seen earlier in the file is rejected.
 */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/idnum.h"
#include "core/scope.h"
#include "core/text.h"
#include "ledger/ledger.h"

enum col { C_ID, C_NAME, C_CATS, C_JOINED, C_NOTE, C_HUSER, C_HNAME, C_HPHONE, NCOL };

static const char *const col_names[NCOL][4] = {
	[C_ID] = {"id_number", "身份证号", "公民身份号码", NULL},
	[C_NAME] = {"name", "姓名", NULL},
	[C_CATS] = {"categories", "困难类别", NULL},
	[C_JOINED] = {"joined_on", "纳入日期", NULL},
	[C_NOTE] = {"note", "备注", NULL},
	[C_HUSER] = {"helper_username", "包帮责任人账号", NULL},
	[C_HNAME] = {"helper_name", "包帮责任人姓名", "包帮责任人", NULL},
	[C_HPHONE] = {"helper_phone", "包帮责任人电话", NULL},
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

/* The column of a ledger error field. */
static int field_col(const struct run *r, const char *field)
{
	static const char *const fields[][2] = {
		{"person_id", "id_number"}, {"categories", "categories"}, {"joined_on", "joined_on"},
		{"note", "note"},	    {"helper_user_id", "helper_username"},
		{"username", "helper_username"}, {"name", "helper_name"}, {"phone", "helper_phone"},
	};
	const char *f = strchr(field, '[') ? "categories" : field;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(f, fields[i][0]) == 0) {
			int c = col_of(fields[i][1]);
			return c >= 0 ? r->colmap[c] : -1;
		}
	return -1;
}

/* "独居老人、留守老人" or "elderly_alone,left_behind_elderly" → codes, parsed by the ledger's
 * own ledger_categories_parse (manual ones only, as the form). */
static int categories_of(const char *cell, unsigned *mask, struct err *e)
{
	char buf[512], *codes[LEDGER_NCAT + 4];
	int n = 0;
	text_copy(buf, sizeof buf, cell);
	char *p = buf;
	while (*p && n < (int)(sizeof codes / sizeof codes[0])) {
		static const char *const seps[] = {"、", "，", "；", ",", ";", "/", " "};
		char *end = NULL;
		size_t sl = 0;
		for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++) {
			char *q = strstr(p, seps[i]);
			if (q && (!end || q < end))
				end = q, sl = strlen(seps[i]);
		}
		if (end)
			*end = '\0';
		if (*p) {
			const struct ledger_category_def *d = ledger_category_defs();
			for (int c = 0; c < LEDGER_NCAT; c++)
				if (strcmp(p, d[c].label) == 0)
					p = (char *)d[c].code; /* not written through */
			codes[n++] = p;
		}
		if (!end)
			break;
		p = end + sl;
	}
	if (n == 0)
		return err_set(e, 400, "required", "categories", "请至少填写一个困难类别");
	return ledger_categories_parse((const char *const *)codes, n, 1, "categories", mask, e);
}

/* The registry person of an ID number (active): 1 (id, region), 0 none, -1. */
static int person_of(struct db *db, const char *id, int64_t *pid, char region[16], struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT id, region_code FROM persons "
					"WHERE id_number = ? AND status = 'active'",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		*pid = db_col_int(st, 0);
		text_copy(region, 16, db_col_text(st, 1));
	}
	db_done(st);
	return rc;
}

/* 1 when the person has an active ledger entry, 0 not, -1. */
static int on_ledger(struct db *db, int64_t pid, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT 1 FROM ledger_entries WHERE person_id = ? AND status = 'active'",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, pid);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

static void progress(const struct import_opts *o, int64_t done, int64_t total, const char *stage)
{
	if (o && o->progress)
		o->progress(o->progress_arg, done, total, stage);
}

/* One row: add the entry and assign the helper (when given). 0, or -1 with e (the row's fault
 * when e->status < 500). */
static int add_row(struct db *db, const struct actor *a, const struct import_table *t, int row,
		   const struct run *r, int64_t pid, unsigned mask, struct err *e)
{
#define CELL(k) (r->colmap[k] >= 0 ? import_cell(t, row, r->colmap[k]) : "")
	struct ledger_add_in in;
	memset(&in, 0, sizeof in);
	in.person_id = pid;
	in.manual_categories = mask;
	text_copy(in.note, sizeof in.note, CELL(C_NOTE));
	if (strlen(CELL(C_JOINED)) >= sizeof in.joined_on)
		return err_set(e, 400, "invalid_value", "joined_on", "日期应为 YYYY-MM-DD 格式的有效日期");
	text_copy(in.joined_on, sizeof in.joined_on, CELL(C_JOINED));
	if (ledger_entry_add(db, a, &in, e) < 0)
		return -1;
	if (!*CELL(C_HUSER) && !*CELL(C_HNAME) && !*CELL(C_HPHONE))
		return 0;
	struct ledger_assign_in as;
	memset(&as, 0, sizeof as);
	text_copy(as.username, sizeof as.username, CELL(C_HUSER));
	text_copy(as.name, sizeof as.name, CELL(C_HNAME));
	text_copy(as.phone, sizeof as.phone, CELL(C_HPHONE));
	return ledger_entry_assign(db, a, pid, &as, e);
#undef CELL
}

int import_ledger(struct db *db, const struct actor *a, const char *data, size_t len,
		  const struct import_opts *o, struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_LEDGER))
		return err_set(e, 403, "forbidden", NULL, "您没有导入台账的权限");
	struct import_table *t = &out->table;
	progress(o, 0, 0, "读取文件");
	if (import_read(data, len, t, e) < 0)
		return -1;
	struct run r = {.out = out};
	static const int required[] = {C_ID, C_CATS};
	int hdr = import_header_map(out, &col_names[0][0], 4, NCOL, r.colmap, required,
				    (int)(sizeof required / sizeof required[0]),
				    "身份证号、困难类别", e);
	if (hdr < 0)
		return -1;

	int ndata = t->nrows - hdr - 1, rc = -1, in_txn = 0;
	char (*ids)[19] = calloc((size_t)(ndata > 0 ? ndata : 1), sizeof *ids);
	if (!ids) {
		err_oom(e);
		goto out;
	}
	out->rows = ndata;
	/* the ledger is brought up to date first: inside the transaction it is not refreshed */
	if (ledger_refresh(db, a, e) < 0 || db_begin_write(db, e) < 0)
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
		unsigned mask = 0;
		if (categories_of(import_cell(t, row, r.colmap[C_CATS]), &mask, &re) < 0) {
			if (reject(&r, row, r.colmap[C_CATS], "困难类别：%s", re.message) < 0)
				goto oom;
			continue;
		}
		int64_t pid = 0;
		char region[16] = "";
		int f = person_of(db, idn.number, &pid, region, e);
		if (f < 0)
			goto out;
		if (f == 0) {
			if (reject(&r, row, r.colmap[C_ID], "该身份证号未在户籍中登记（或已注销）：请先登记户籍") < 0)
				goto oom;
			continue;
		}
		/* the scope first, so an entry outside it is not revealed as present (the ledger's
		 * own message for a person out of scope) */
		if (!scope_contains(&a->scope, region)) {
			if (reject(&r, row, r.colmap[C_ID], "该人员不存在或不在您的管辖范围内") < 0)
				goto oom;
			continue;
		}
		int on = on_ledger(db, pid, e);
		if (on < 0)
			goto out;
		if (db_savepoint(db, e) < 0)
			goto out;
		int wrc = on ? 0 : add_row(db, a, t, row, &r, pid, mask, &re);
		if (db_savepoint_end(db, wrc < 0, e) < 0)
			goto out;
		if (wrc < 0) {
			if (re.status >= 500) {
				*e = re;
				goto out;
			}
			if (reject(&r, row, field_col(&r, re.field), "%s", re.message) < 0)
				goto oom;
			continue;
		}
		if (on)
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
	if (in_txn) /* nothing of this file is kept when the import stops halfway */
		db_rollback(db);
	free(ids);
	return rc;
}
