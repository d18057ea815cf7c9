/* import_assistance.c — the assistance rolls kind: recipients already on a roll before the
 * system, one row per case (see docs/import.md for the columns): the program, the ID number of
 * the household's member (低保) or of the person (特困), the month they started, the monthly
 * amount on the old roll and the bank account.
 *
 * Each row goes through assistance_case_record_existing — the application's own checks and
 * records (assistance_case_apply's), then the case active from the start month — inside one
 * write transaction and a savepoint per row, so a row the module refuses is undone alone and
 * reported; a dry run rolls the whole transaction back at the end, so it counts exactly what an
 * import would do. A case already open for the program and household (低保) or person is
 * skipped (importing the same file again changes nothing); the same case twice in the file is
 * rejected. The child allowances (孤儿, 事实无人抚养儿童) are decided from the parents'
 * circumstances, so their rows carry the placement (机构养育 / 社会散居) and each parent's
 * circumstances in words (父亲情况, 母亲情况: 死亡、失踪、重度残疾、重病、服刑在押、失联 or
 * 健在), which the module checks against the program as it does for an application.
 */
#include "import/import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance/assistance.h"
#include "core/idnum.h"
#include "core/scope.h"
#include "core/text.h"

enum col { C_PROGRAM, C_ID, C_NAME, C_START, C_AMOUNT, C_SUPPORT, C_REVIEW, C_PAYEE, C_BANK,
	   C_ACCOUNT, C_PLACEMENT, C_FATHER, C_MOTHER, NCOL };

static const char *const col_names[NCOL][4] = {
	[C_PROGRAM] = {"program", "救助项目", "项目", NULL},
	[C_ID] = {"id_number", "身份证号", "公民身份号码", NULL},
	[C_NAME] = {"name", "姓名", NULL},
	[C_START] = {"start_month", "起始月份", "享受起始年月", NULL},
	[C_AMOUNT] = {"monthly_amount", "月救助金额", "月救助金额（元）", NULL},
	[C_SUPPORT] = {"support_form", "供养方式", NULL},
	[C_REVIEW] = {"review_category", "复核类别", NULL},
	[C_PAYEE] = {"payee_name", "收款人", NULL},
	[C_BANK] = {"bank_name", "开户银行", NULL},
	[C_ACCOUNT] = {"bank_account", "银行账号", NULL},
	[C_PLACEMENT] = {"placement", "养育方式", NULL},
	[C_FATHER] = {"father", "父亲情况", NULL},
	[C_MOTHER] = {"mother", "母亲情况", NULL},
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

/* The column of an assistance error field. */
static int field_col(const struct run *r, const char *field)
{
	static const char *const fields[][2] = {
		{"program", "program"},		  {"household_id", "id_number"},
		{"person_id", "id_number"},	  {"start_month", "start_month"},
		{"monthly_amount_fen", "monthly_amount"}, {"support_form", "support_form"},
		{"review_category", "review_category"},	  {"payee_name", "payee_name"},
		{"bank_name", "bank_name"},	  {"bank_account", "bank_account"},
		{"placement", "placement"},	  {"parents", "father"},
		{"parents[0]", "father"},	  {"parents[1]", "mother"},
	};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strcmp(field, fields[i][0]) == 0) {
			int c = col_of(fields[i][1]);
			return c >= 0 ? r->colmap[c] : -1;
		}
	return -1;
}

static const char *const words[][2] = {
	{"低保", "dibao"},	     {"最低生活保障", "dibao"}, {"城乡低保", "dibao"},
	{"特困", "tekun"},	     {"特困人员", "tekun"},     {"特困供养", "tekun"},
	{"孤儿", "orphan"},	     {"事实无人抚养儿童", "unsupported_child"},
	{"集中供养", "centralised"}, {"集中", "centralised"},  {"分散供养", "scattered"},
	{"分散", "scattered"},	     {"收入稳定", "stable"},    {"稳定", "stable"},
	{"收入不固定", "irregular"}, {"不固定", "irregular"},
	{"机构养育", "institutional"}, {"机构", "institutional"}, {"社会散居", "scattered"},
	{"散居", "scattered"},
};

/* A parent's circumstances as the roll writes them: words separated by 、，,；; or spaces. */
static const struct {
	const char *word;
	int what; /* 0 able, 1 dead, 2 missing, 3 severely disabled, 4 seriously ill, 5 detained,
		   * 6 out of contact */
} parent_words[] = {
	{"健在", 0},	 {"正常", 0},	  {"无", 0},	     {"死亡", 1},	 {"已故", 1},
	{"去世", 1},	 {"宣告死亡", 1}, {"失踪", 2},	     {"宣告失踪", 2},	 {"重度残疾", 3},
	{"重残", 3},	 {"一级残疾", 3}, {"二级残疾", 3},   {"重病", 4},	 {"服刑在押", 5},
	{"服刑", 5},	 {"在押", 5},	  {"强制隔离戒毒", 5}, {"失联", 6},
};

static int unknown_parent(struct run *r, int row, int col, const char *word)
{
	return reject(r, row, col,
		      "父母情况“%s”无法识别：请写 死亡、失踪、重度残疾、重病、服刑在押、失联 或 健在，"
		      "多项用顿号分开",
		      word) < 0
		       ? -1
		       : 1;
}

/* Fill pa from the words; -1 with the unknown word in bad (size n). */
static int parent_of(const char *text, struct assistance_parent *pa, char *bad, size_t n)
{
	memset(pa, 0, sizeof *pa);
	char buf[256];
	text_copy(buf, sizeof buf, text);
	const char *seps[] = {"、", "，", "；", ",", ";", " ", "/"};
	for (size_t i = 0; i < sizeof seps / sizeof seps[0]; i++)
		for (char *p; (p = strstr(buf, seps[i]));)
			for (size_t k = 0; k < strlen(seps[i]); k++)
				p[k] = '\n';
	for (char *save = NULL, *w = strtok_r(buf, "\n", &save); w; w = strtok_r(NULL, "\n", &save)) {
		size_t i = 0;
		while (i < sizeof parent_words / sizeof parent_words[0] &&
		       strcmp(w, parent_words[i].word) != 0)
			i++;
		if (i == sizeof parent_words / sizeof parent_words[0]) {
			text_copy(bad, n, w);
			return -1;
		}
		switch (parent_words[i].what) {
		case 1: pa->dead = 1; break;
		case 2: pa->missing = 1; break;
		case 3: pa->disability_grade = 1; break;
		case 4: pa->seriously_ill = 1; break;
		case 5: pa->detained_months = ASSISTANCE_ABSENCE_MONTHS; break;
		case 6: pa->out_of_contact_months = ASSISTANCE_ABSENCE_MONTHS; break;
		default: break;
		}
	}
	return 0;
}

static void map_word(const char *in, char *out, size_t n)
{
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(in, words[i][0]) == 0) {
			text_copy(out, n, words[i][1]);
			return;
		}
	text_copy(out, n, in);
}

/* "1234.5" yuan → fen (at most two decimals, no sign). 0 or -1. */
static int yuan_to_fen(const char *s, int64_t *fen)
{
	int64_t v = 0;
	int digits = 0, dec = -1;
	for (; *s; s++) {
		if (*s == '.' && dec < 0) {
			dec = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || dec >= 2 || v > 100000000000LL)
			return -1;
		v = v * 10 + (*s - '0');
		digits++;
		if (dec >= 0)
			dec++;
	}
	if (!digits)
		return -1;
	for (int k = dec < 0 ? 0 : dec; k < 2; k++)
		v *= 10;
	*fen = v;
	return 0;
}

/* "2019-03", "2019/03", "2019-03-01" (a date cell) → "2019-03"; the module checks the month. */
static void month_of(const char *s, char out[16])
{
	text_copy(out, 16, s);
	if (strlen(out) >= 7 && (out[4] == '/' || out[4] == '.'))
		out[4] = '-';
	if (strlen(out) == 10 && out[4] == '-' && (out[7] == '-' || out[7] == '/' || out[7] == '.'))
		out[7] = '\0';
}

/* The person of an ID number (active): 1 (ids, region), 0 none, -1. */
static int person_of(struct db *db, const char *id, int64_t *pid, int64_t *hid, char region[16],
		     struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT id, household_id, region_code FROM persons "
					"WHERE id_number = ? AND status = 'active'",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		*pid = db_col_int(st, 0);
		*hid = db_col_int(st, 1);
		text_copy(region, 16, db_col_text(st, 2));
	}
	db_done(st);
	return rc;
}

/* 1 when a case of the program is open (not terminated or refused) for the household (低保)
 * or person, 0 not, -1. */
static int open_case(struct db *db, const char *program, int64_t hid, int64_t pid, struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT 1 FROM assistance_cases WHERE program = ?1 AND "
					"status NOT IN ('terminated','refused') AND "
					"(CASE WHEN ?1 = 'dibao' THEN household_id = ?2 ELSE person_id = ?3 END) "
					"LIMIT 1",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, program);
	db_bind_int(st, 2, hid);
	db_bind_int(st, 3, pid);
	int rc = db_step(st, e);
	db_done(st);
	return rc;
}

static void progress(const struct import_opts *o, int64_t done, int64_t total, const char *stage)
{
	if (o && o->progress)
		o->progress(o->progress_arg, done, total, stage);
}

struct key {
	char program[20];
	int64_t who; /* household (低保) or person */
};

int import_assistance(struct db *db, const struct actor *a, const char *data, size_t len,
		      const struct import_opts *o, struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_ASSISTANCE_WRITE) || !actor_can(a, PERM_ASSISTANCE_APPROVE))
		return err_set(e, 403, "forbidden", NULL, "您没有导入救助名册的权限（需受理和审批权限）");
	struct import_table *t = &out->table;
	progress(o, 0, 0, "读取文件");
	if (import_read(data, len, t, e) < 0)
		return -1;
	struct run r = {.out = out};
	static const int required[] = {C_PROGRAM, C_ID, C_START, C_AMOUNT};
	int hdr = import_header_map(out, &col_names[0][0], 4, NCOL, r.colmap, required,
				    (int)(sizeof required / sizeof required[0]),
				    "救助项目、身份证号、起始月份、月救助金额", e);
	if (hdr < 0)
		return -1;

	int ndata = t->nrows - hdr - 1, rc = -1, in_txn = 0;
	struct key *keys = calloc((size_t)(ndata > 0 ? ndata : 1), sizeof *keys);
	struct assistance_apply_in *in = calloc(1, sizeof *in);
	if (!keys || !in) {
		err_oom(e);
		goto out;
	}
	out->rows = ndata;
	if (db_begin_write(db, e) < 0)
		goto out;
	in_txn = 1;
#define CELL(k) (r.colmap[k] >= 0 ? import_cell(t, row, r.colmap[k]) : "")
	for (int i = 0; i < ndata; i++) {
		int row = hdr + 1 + i;
		struct err re;
		struct idnum idn;
		if (i % 1024 == 0)
			progress(o, i, ndata, o && o->dry_run ? "检查" : "导入");
		memset(in, 0, sizeof *in);
		map_word(CELL(C_PROGRAM), in->program, sizeof in->program);
		if (strcmp(in->program, ASSISTANCE_ORPHAN) == 0 ||
		    strcmp(in->program, ASSISTANCE_UNSUPPORTED_CHILD) == 0) {
			char bad[64];
			const char *fa = CELL(C_FATHER), *mo = CELL(C_MOTHER);
			int rj = 0;
			if (!*fa || !*mo)
				rj = reject(&r, row, r.colmap[!*fa ? C_FATHER : C_MOTHER],
					    "孤儿、事实无人抚养儿童须填写父亲情况和母亲情况（如 死亡、失踪、"
					    "重度残疾、重病、服刑在押、失联 或 健在）") < 0 ? -1 : 1;
			else if (parent_of(fa, &in->parents[0], bad, sizeof bad) < 0)
				rj = unknown_parent(&r, row, r.colmap[C_FATHER], bad);
			else if (parent_of(mo, &in->parents[1], bad, sizeof bad) < 0)
				rj = unknown_parent(&r, row, r.colmap[C_MOTHER], bad);
			if (rj < 0)
				goto oom;
			if (rj)
				continue;
			map_word(CELL(C_PLACEMENT), in->placement, sizeof in->placement);
		}
		const char *id = CELL(C_ID);
		if (import_is_sci_notation(id)) {
			if (reject(&r, row, r.colmap[C_ID],
				   "身份证号 %s 被 Excel 显示成了科学计数法，后几位已丢失：请把身份证号一列设置为“文本”格式，重新录入后再导入",
				   id) < 0)
				goto oom;
			continue;
		}
		if (idnum_parse(id, NULL, &idn, &re) < 0) {
			if (reject(&r, row, r.colmap[C_ID], "身份证号：%s", re.message) < 0)
				goto oom;
			continue;
		}
		int64_t fen = 0;
		if (!*CELL(C_AMOUNT) || yuan_to_fen(CELL(C_AMOUNT), &fen) < 0) {
			if (reject(&r, row, r.colmap[C_AMOUNT], "月救助金额应为元，最多两位小数：%.32s",
				   CELL(C_AMOUNT)) < 0)
				goto oom;
			continue;
		}
		int64_t pid = 0, hid = 0;
		char region[16] = "", start[16];
		int f = person_of(db, idn.number, &pid, &hid, region, e);
		if (f < 0)
			goto out;
		if (f == 0) {
			if (reject(&r, row, r.colmap[C_ID], "该身份证号未在户籍中登记（或已注销）：请先登记户籍") < 0)
				goto oom;
			continue;
		}
		if (!scope_contains(&a->scope, region)) {
			if (reject(&r, row, r.colmap[C_ID], "该人员不存在或不在您的管辖范围内") < 0)
				goto oom;
			continue;
		}
		const int dibao = strcmp(in->program, ASSISTANCE_DIBAO) == 0;
		text_copy(keys[i].program, sizeof keys[i].program, in->program);
		keys[i].who = dibao ? hid : pid;
		int dup = -1;
		for (int j = 0; j < i && dup < 0; j++)
			if (keys[j].who == keys[i].who && strcmp(keys[j].program, keys[i].program) == 0)
				dup = j;
		if (dup >= 0) {
			keys[i].who = 0;
			if (reject(&r, row, r.colmap[C_ID], "%s与第 %d 行重复", dibao ? "同一户的低保" : "同一人的救助",
				   t->rows[hdr + 1 + dup].line) < 0)
				goto oom;
			continue;
		}
		int on = open_case(db, in->program, hid, pid, e);
		if (on < 0)
			goto out;
		if (on) {
			out->skipped++;
			continue;
		}
		in->household_id = dibao ? hid : 0;
		in->person_id = dibao ? 0 : pid;
		map_word(CELL(C_SUPPORT), in->support_form, sizeof in->support_form);
		map_word(CELL(C_REVIEW), in->review_category, sizeof in->review_category);
		text_copy(in->payee_name, sizeof in->payee_name, CELL(C_PAYEE));
		text_copy(in->bank_name, sizeof in->bank_name, CELL(C_BANK));
		text_copy(in->bank_account, sizeof in->bank_account, CELL(C_ACCOUNT));
		month_of(CELL(C_START), start);
		int64_t case_id;
		if (db_savepoint(db, e) < 0)
			goto out;
		int wrc = assistance_case_record_existing(db, a, in, start, fen, &case_id, &re);
		if (db_savepoint_end(db, wrc < 0, e) < 0)
			goto out;
		if (wrc < 0) {
			if (re.status >= 500) {
				*e = re;
				goto out;
			}
			keys[i].who = 0;
			if (reject(&r, row, field_col(&r, re.field), "%s", re.message) < 0)
				goto oom;
			continue;
		}
		out->accepted++;
	}
#undef CELL
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
	free(keys);
	free(in);
	return rc;
}
