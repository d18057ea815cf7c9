/* import_households.c — the households kind: one row per person, rows with the same 户编号
 * form one household (see docs/import.md for the columns).
 *
 * Staged in one pass over the rows read: map the header, turn each row into a
 * registry_person_in and validate it with registry_person_check (the API's own rules), reject
 * an ID number seen earlier in the file, group by household key, then per household: a person
 * already registered is skipped (so a second import of the same file changes nothing), a
 * household whose members are all new is checked with registry_household_check and the
 * region/scope rules and — unless a dry run — created with registry_household_create; new
 * members of an already-imported household are added with registry_member_add.
 */
#include "import/import.h"

#include <stdlib.h>
#include <string.h>

#include "core/scope.h"
#include "core/text.h"
#include "regions/regions.h"
#include "registry/registry.h"

enum col { C_KEY, C_REGION, C_ADDRESS, C_RES, C_ID, C_NAME, C_REL, C_PHONE, C_DISAB, C_ILL,
	   C_LABOUR, NCOL };

static const char *const col_names[NCOL][5] = {
	[C_KEY] = {"household_key", "户编号", "户号", "家庭编号", NULL},
	[C_REGION] = {"region_code", "区划代码", "村（社区）代码", "村社区代码", NULL},
	[C_ADDRESS] = {"address", "地址", "家庭住址", "住址", NULL},
	[C_RES] = {"residence_type", "户籍类型", "户口性质", "户籍性质", NULL},
	[C_ID] = {"id_number", "身份证号", "身份证号码", "公民身份号码", NULL},
	[C_NAME] = {"name", "姓名", NULL},
	[C_REL] = {"relation", "与户主关系", "关系", NULL},
	[C_PHONE] = {"phone", "联系电话", "电话", "手机号", NULL},
	[C_DISAB] = {"disability_grade", "残疾等级", NULL},
	[C_ILL] = {"serious_illness", "重病", "是否重病", NULL},
	[C_LABOUR] = {"labour_capacity", "劳动能力", NULL},
};
static const char *const col_label[NCOL] = {"户编号", "区划代码", "地址", "户籍类型", "身份证号",
					    "姓名", "与户主关系", "联系电话", "残疾等级", "重病",
					    "劳动能力"};

static int col_of(const char *h)
{
	return import_column_of(&col_names[0][0], 5, NCOL, h);
}

static const char *const words[][2] = {
	{"户主", "head"},     {"本人", "head"},        {"配偶", "spouse"},     {"妻", "spouse"},
	{"妻子", "spouse"},   {"夫", "spouse"},        {"丈夫", "spouse"},     {"子女", "child"},
	{"子", "child"},      {"女", "child"},         {"儿子", "child"},      {"女儿", "child"},
	{"长子", "child"},    {"长女", "child"},       {"次子", "child"},      {"次女", "child"},
	{"父母", "parent"},   {"父亲", "parent"},      {"母亲", "parent"},     {"孙子女", "grandchild"},
	{"孙子", "grandchild"}, {"孙女", "grandchild"}, {"祖父母", "grandparent"},
	{"兄弟姐妹", "sibling"}, {"其他", "other"},
};

static void map_relation(const char *in, char *out, size_t n)
{
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (strcmp(in, words[i][0]) == 0) {
			text_copy(out, n, words[i][1]);
			return;
		}
	text_copy(out, n, in);
}

static void map_residence(const char *in, char *out, size_t n)
{
	if (strcmp(in, "城镇") == 0 || strcmp(in, "城市") == 0 || strcmp(in, "非农业") == 0)
		in = "urban";
	else if (strcmp(in, "农村") == 0 || strcmp(in, "农业") == 0)
		in = "rural";
	text_copy(out, n, in);
}

/* ---- a small string → int hash map (ID numbers, household keys) ---- */

struct smap {
	size_t cap, n;
	const char **key;
	int *val;
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static int smap_init(struct smap *m, size_t want)
{
	m->cap = 64;
	while (m->cap < want * 2)
		m->cap *= 2;
	m->n = 0;
	m->key = calloc(m->cap, sizeof *m->key);
	m->val = calloc(m->cap, sizeof *m->val);
	return m->key && m->val ? 0 : -1;
}

static void smap_free(struct smap *m)
{
	free(m->key);
	free(m->val);
}

/* The value stored for key, or -1; with put >= 0 stores it when absent (keys are borrowed). */
static int smap_get_put(struct smap *m, const char *key, int put)
{
	size_t i = (size_t)hash(key) & (m->cap - 1);
	while (m->key[i]) {
		if (strcmp(m->key[i], key) == 0)
			return m->val[i];
		i = (i + 1) & (m->cap - 1);
	}
	if (put >= 0 && m->n + 1 < m->cap / 2 + m->cap / 4) {
		m->key[i] = key;
		m->val[i] = put;
		m->n++;
	}
	return -1;
}

/* ---- rows ---- */

struct prow {
	int row;       /* table row */
	int group;     /* household group, -1 when rejected before grouping */
	int rejected;
	int skipped;
	int64_t existing_hid; /* household the person is already in */
	char id[19];          /* the normalised ID number (the person is rebuilt from the row when
			       * needed: a registry_person_in per row would be ~1 KiB × rows) */
};

struct result_build {
	struct import_result *out;
	size_t cap;
};

static int reject(struct result_build *rb, struct prow *pr, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int reject(struct result_build *rb, struct prow *pr, int col, const char *fmt, ...)
{
	if (pr->rejected)
		return 0;
	va_list ap;
	va_start(ap, fmt);
	int rc = import_reject_vadd(rb->out, &rb->cap, pr->row, col, fmt, ap);
	va_end(ap);
	if (rc == 0)
		pr->rejected = 1;
	return rc;
}

/* The column of a registry error field ("id_number", "members[2].phone" …). */
static int field_col(const char *field, const int *colmap)
{
	const char *f = strrchr(field, '.');
	f = f ? f + 1 : field;
	int c = col_of(f);
	if (strcmp(f, "members") == 0)
		c = C_REL;
	return c >= 0 ? colmap[c] : -1;
}

/* "身份证号：" for a registry error naming a column, so the reason says where. */
static const char *field_label(const char *field)
{
	static const char *const with_colon[NCOL] = {
		"户编号：", "区划代码：", "地址：", "户籍类型：", "身份证号：", "姓名：", "与户主关系：",
		"联系电话：", "残疾等级：", "重病：", "劳动能力："};
	const char *f = strrchr(field, '.');
	int c = col_of(f ? f + 1 : field);
	return c < 0 ? "" : with_colon[c];
}

/* The row as a person, validated by registry_person_check; -1 with *col (the column at fault, or
 * -1) and e (message prefixed with the column's name). */
static int person_of(const struct import_table *t, int row, const int *colmap,
		     struct registry_person_in *p, int *col, struct err *e)
{
#define RCELL(k) (colmap[k] >= 0 ? import_cell(t, row, colmap[k]) : "")
	memset(p, 0, sizeof *p);
	p->has = REGISTRY_HAS_ID_NUMBER | REGISTRY_HAS_NAME | REGISTRY_HAS_RELATION |
		 REGISTRY_HAS_PHONE;
	text_copy(p->id_number, sizeof p->id_number, RCELL(C_ID));
	text_copy(p->name, sizeof p->name, RCELL(C_NAME));
	map_relation(RCELL(C_REL), p->relation, sizeof p->relation);
	text_copy(p->phone, sizeof p->phone, RCELL(C_PHONE));
	const char *d = RCELL(C_DISAB);
	if (*d) {
		static const char *const cn[] = {"一级", "二级", "三级", "四级"};
		p->disability_grade = -1;
		for (int k = 0; k < 4; k++)
			if (strcmp(d, cn[k]) == 0 || (d[0] == '1' + k && !d[1]))
				p->disability_grade = k + 1;
		if (strcmp(d, "无") == 0 || strcmp(d, "0") == 0)
			p->disability_grade = 0;
		p->has |= REGISTRY_HAS_DISABILITY;
		if (p->disability_grade < 0) {
			*col = colmap[C_DISAB];
			return err_set(e, 400, "invalid_value", "disability_grade",
				       "残疾等级无效：应为 一级…四级、1…4 或 无");
		}
	}
	const char *ill = RCELL(C_ILL);
	if (*ill) {
		p->serious_illness = strcmp(ill, "是") == 0 || strcmp(ill, "有") == 0 ||
				     strcmp(ill, "1") == 0 || strcmp(ill, "true") == 0;
		p->has |= REGISTRY_HAS_ILLNESS;
	}
	const char *lab = RCELL(C_LABOUR);
	if (*lab) {
		if (strstr(lab, "部分"))
			lab = "partial";
		else if (strstr(lab, "无") || strstr(lab, "丧失"))
			lab = "none";
		else if (strstr(lab, "完全") || strcmp(lab, "有") == 0)
			lab = "full";
		text_copy(p->labour_capacity, sizeof p->labour_capacity, lab);
		p->has |= REGISTRY_HAS_LABOUR;
	}
#undef RCELL
	if (registry_person_check(p, NULL, e) < 0) {
		char msg[sizeof e->message];
		*col = field_col(e->field, colmap);
		snprintf(msg, sizeof msg, "%s%s", field_label(e->field), e->message);
		snprintf(e->message, sizeof e->message, "%s", msg);
		return -1;
	}
	return 0;
}

void import_result_release(struct import_result *r)
{
	free(r->rejects);
	import_table_release(&r->table);
	memset(r, 0, sizeof *r);
}

/* Look an ID number up: 1 active (hid, region filled), 0 not registered (or removed), -1. */
static int lookup(struct db *db, const char *id, int64_t *hid, char *region, size_t n,
		  struct err *e)
{
	struct db_stmt *st = db_prepare(db,
					"SELECT household_id, region_code FROM persons "
					"WHERE id_number = ? AND status = 'active'",
					e);
	if (!st)
		return -1;
	db_bind_text(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		*hid = db_col_int(st, 0);
		text_copy(region, n, db_col_text(st, 1));
	}
	db_done(st);
	return rc;
}

static void progress(const struct import_opts *o, int64_t done, int64_t total, const char *stage)
{
	if (o && o->progress)
		o->progress(o->progress_arg, done, total, stage);
}

/* Each household (or member) is written in a savepoint of the import's one transaction, so that
 * one the registry refuses is undone alone. begin: 0, or -2 when the savepoint cannot be set.
 * end(rc of the registry call): 0 kept, -1 refused and undone, -2 the savepoint failed (e). */
static int savepoint_begin(struct db *db, struct err *e)
{
	return db_savepoint(db, e) < 0 ? -2 : 0;
}

static int savepoint_end(struct db *db, int rc, struct err *e)
{
	if (db_savepoint_end(db, rc < 0, e) < 0)
		return -2;
	return rc < 0 ? -1 : 0;
}

int import_households(struct db *db, const struct actor *a, const char *data, size_t len,
		      const struct import_opts *o, struct import_result *out, struct err *e)
{
	int in_txn = 0, sp = 0;
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_REGISTRY_WRITE))
		return err_set(e, 403, "forbidden", NULL, "您没有导入户籍数据的权限");
	struct import_table *t = &out->table;
	progress(o, 0, 0, "读取文件");
	if (import_read(data, len, t, e) < 0)
		return -1;

	/* the header: the row among the first ten naming the most known columns */
	int hdr = -1, best = 0, colmap[NCOL];
	for (int r = 0; r < t->nrows && r < 10; r++) {
		int n = 0;
		for (int c = 0; c < t->rows[r].n; c++)
			n += col_of(import_cell(t, r, c)) >= 0;
		if (n > best)
			best = n, hdr = r;
	}
	if (hdr < 0 || best < 2)
		return err_set(e, 400, "missing_column", NULL,
			       "找不到表头行：第一行应为列名，如 户编号、区划代码、身份证号、姓名、与户主关系");
	for (int c = 0; c < NCOL; c++)
		colmap[c] = -1;
	for (int c = t->rows[hdr].n - 1; c >= 0; c--) {
		int k = col_of(import_cell(t, hdr, c));
		if (k >= 0)
			colmap[k] = c;
	}
	static const int required[] = {C_KEY, C_REGION, C_ID, C_NAME, C_REL};
	for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
		if (colmap[required[i]] < 0)
			return err_set(e, 400, "missing_column", col_names[required[i]][0],
				       "缺少必需的列：%s（%s）", col_label[required[i]],
				       col_names[required[i]][0]);
	out->header_row = hdr;

	int ndata = t->nrows - hdr - 1;
	struct prow *rows = calloc((size_t)(ndata > 0 ? ndata : 1), sizeof *rows);
	int *group_last = NULL;
	int *group_first = NULL, *next_in_group = calloc((size_t)(ndata > 0 ? ndata : 1), sizeof(int));
	struct smap ids = {0}, keys = {0};
	struct result_build rb = {out, 0};
	int ngroups = 0, rc = -1;
	struct registry_household_in *h = calloc(1, sizeof *h);
	struct registry_person_in *tmp = calloc(1, sizeof *tmp);
	if (!rows || !next_in_group || !h || !tmp || smap_init(&ids, (size_t)ndata) < 0 ||
	    smap_init(&keys, (size_t)ndata) < 0 ||
	    !(group_first = malloc((size_t)(ndata > 0 ? ndata : 1) * sizeof(int)))) {
		err_oom(e);
		goto out;
	}
	out->rows = ndata;
	group_last = malloc((size_t)(ndata > 0 ? ndata : 1) * sizeof(int));
	if (!group_last) {
		err_oom(e);
		goto out;
	}

#define CELL(k) (colmap[k] >= 0 ? import_cell(t, pr->row, colmap[k]) : "")
	/* rows → persons, validated one by one */
	for (int i = 0; i < ndata; i++) {
		struct prow *pr = &rows[i];
		struct err re;
		pr->row = hdr + 1 + i;
		pr->group = -1;
		next_in_group[i] = -1;
		if (i % 4096 == 0)
			progress(o, i, ndata, "校验");
		/* the lower part of a header merged over two rows: skipped, not a person */
		int same = 1;
		for (int c = 0; c < t->rows[pr->row].n && same; c++) {
			const char *v = import_cell(t, pr->row, c);
			same = !*v || strcmp(v, import_cell(t, hdr, c)) == 0;
		}
		if (same) {
			pr->skipped = 1;
			out->rows--;
			continue;
		}
		const char *id = CELL(C_ID);
		if (import_is_sci_notation(id)) {
			if (reject(&rb, pr, colmap[C_ID],
				   "身份证号 %s 被 Excel 显示成了科学计数法，后几位已丢失：请把身份证号一列设置为“文本”格式，重新录入后再导入",
				   id) < 0)
				goto oom;
			continue;
		}
		if (!*CELL(C_KEY)) {
			if (reject(&rb, pr, colmap[C_KEY], "户编号为空") < 0)
				goto oom;
			continue;
		}
		struct registry_person_in *p = tmp;
		int bad_col;
		if (person_of(t, pr->row, colmap, p, &bad_col, &re) < 0) {
			if (reject(&rb, pr, bad_col, "%s", re.message) < 0)
				goto oom;
			continue;
		}
		memcpy(pr->id, p->id_number, sizeof pr->id);
		int prev = smap_get_put(&ids, pr->id, i);
		if (prev >= 0) {
			if (reject(&rb, pr, colmap[C_ID], "身份证号与第 %d 行重复", t->rows[rows[prev].row].line) < 0)
				goto oom;
			continue;
		}
		int g = smap_get_put(&keys, CELL(C_KEY), ngroups);
		if (g < 0) {
			g = ngroups++;
			group_first[g] = group_last[g] = i;
		} else {
			next_in_group[group_last[g]] = i;
			group_last[g] = i;
		}
		pr->group = g;
	}

	/* households: all of them in one write transaction (none for a dry run), each in its own
	 * savepoint so that a household the registry refuses is rolled back alone and reported */
	if (!(o && o->dry_run)) {
		if (db_begin_write(db, e) < 0)
			goto out;
		in_txn = 1;
	}
	for (int g = 0; g < ngroups; g++) {
		struct err re;
		if (g % 1024 == 0)
			progress(o, g, ngroups, o && o->dry_run ? "检查" : "导入");
		struct prow *first = &rows[group_first[g]], *pr = first;
		const char *region = CELL(C_REGION);
		int64_t existing = 0;
		int nnew = 0;
		for (int i = group_first[g]; i >= 0; i = next_in_group[i]) {
			pr = &rows[i];
			if (strcmp(CELL(C_REGION), region) != 0) {
				if (reject(&rb, pr, colmap[C_REGION], "与同一户编号的第 %d 行区划代码不一致",
					   t->rows[first->row].line) < 0)
					goto oom;
				continue;
			}
			char where[24] = "";
			int f = lookup(db, pr->id, &pr->existing_hid, where, sizeof where, e);
			if (f < 0)
				goto out;
			if (f == 1 && !scope_contains(&a->scope, where)) {
				if (reject(&rb, pr, colmap[C_ID], "该身份证号已在您管辖范围以外的地区登记") < 0)
					goto oom;
			} else if (f == 1) {
				pr->skipped = 1;
				out->skipped++;
				if (!existing)
					existing = pr->existing_hid;
			} else {
				nnew++;
			}
		}
		if (!nnew)
			continue;
		pr = first;
		if (!regions_is_village(db, region) || !scope_contains(&a->scope, region)) {
			int village = regions_is_village(db, region);
			for (int i = group_first[g]; i >= 0; i = next_in_group[i])
				if (!rows[i].skipped &&
				    reject(&rb, &rows[i], colmap[C_REGION], village ? "村（社区）%s 不在您的管辖范围内"
										: "区划代码 %s 不是已知的村（社区）",
					   region) < 0)
					goto oom;
			continue;
		}
		if (existing) {
			/* new members of a household imported before */
			for (int i = group_first[g]; i >= 0; i = next_in_group[i]) {
				pr = &rows[i];
				if (pr->rejected || pr->skipped)
					continue;
				int64_t pid;
				int bc;
				if (person_of(t, pr->row, colmap, tmp, &bc, &re) < 0) {
					*e = re; /* validated in the first pass: cannot happen */
					goto out;
				}
				if (o && o->dry_run) {
					out->accepted++;
				} else if ((sp = savepoint_begin(db, e)) < 0 ||
					   (sp = savepoint_end(db, registry_member_add(db, a, existing, tmp, &pid, &re), e)) != 0) {
					if (sp < -1) /* the savepoint itself failed */
						goto out;
					if (re.status >= 500) {
						*e = re;
						goto out;
					}
					if (reject(&rb, pr, field_col(re.field, colmap), "%s", re.message) < 0)
						goto oom;
				} else {
					out->accepted++;
				}
			}
			continue;
		}
		memset(h, 0, sizeof *h);
		h->has = REGISTRY_HAS_REGION | REGISTRY_HAS_ADDRESS | REGISTRY_HAS_RESIDENCE |
			 REGISTRY_HAS_PHONE;
		text_copy(h->region_code, sizeof h->region_code, region);
		text_copy(h->address, sizeof h->address, CELL(C_ADDRESS));
		map_residence(CELL(C_RES), h->residence_type, sizeof h->residence_type);
		int member_row[REGISTRY_MAX_MEMBERS], too_many = 0;
		for (int i = group_first[g]; i >= 0; i = next_in_group[i]) {
			if (rows[i].rejected || rows[i].skipped)
				continue;
			if (h->n_members == REGISTRY_MAX_MEMBERS) {
				too_many = 1;
				break;
			}
			int bc;
			if (person_of(t, rows[i].row, colmap, &h->members[h->n_members], &bc, &re) < 0) {
				*e = re; /* validated in the first pass: cannot happen */
				goto out;
			}
			if (strcmp(h->members[h->n_members].relation, "head") == 0 && !*h->phone)
				text_copy(h->phone, sizeof h->phone, h->members[h->n_members].phone);
			member_row[h->n_members++] = i;
		}
		int bad = too_many;
		if (too_many)
			err_set(&re, 400, "member_limit", "members", "一户最多 %d 名成员", REGISTRY_MAX_MEMBERS);
		else if (registry_household_check(h, NULL, &re) < 0)
			bad = 1;
		int64_t hid;
		if (!bad && !(o && o->dry_run) &&
		    ((sp = savepoint_begin(db, e)) < 0 ||
		     (sp = savepoint_end(db, registry_household_create(db, a, h, &hid, &re), e)) != 0)) {
			if (sp < -1) /* the savepoint itself failed */
				goto out;
			if (re.status >= 500) {
				*e = re;
				goto out;
			}
			bad = 1;
		}
		if (bad) {
			/* a member's own field: that row; a household field or the head count: every row */
			int at = -1;
			if (strncmp(re.field, "members[", 8) == 0 && strchr(re.field, '.'))
				at = atoi(re.field + 8);
			const char *hf = strcmp(re.field, "members") == 0 ? "本户" : "";
			for (int i = group_first[g]; i >= 0; i = next_in_group[i]) {
				if (rows[i].rejected || rows[i].skipped)
					continue;
				if (at >= 0 && at < h->n_members && member_row[at] != i) {
					if (reject(&rb, &rows[i], -1, "同户的第 %d 行有错误，整户未导入",
						   t->rows[rows[member_row[at]].row].line) < 0)
						goto oom;
					continue;
				}
				if (reject(&rb, &rows[i], field_col(re.field, colmap), "%s%s%s", hf,
					   field_label(re.field), re.message) < 0)
					goto oom;
			}
			continue;
		}
		out->households++;
		out->accepted += h->n_members;
	}
#undef CELL
	if (in_txn) {
		in_txn = 0;
		if (db_commit(db, e) < 0)
			goto out;
	}
	out->rejected = out->nrejects;
	progress(o, ngroups, ngroups, "完成");
	rc = 0;
	goto out;
oom:
	err_oom(e);
out:
	if (in_txn) /* nothing of this file is kept when the import stops halfway */
		db_rollback(db);
	free(group_last);
	free(rows);
	free(group_first);
	free(next_in_group);
	free(h);
	free(tmp);
	smap_free(&ids);
	smap_free(&keys);
	return rc;
}

int import_kind_known(const char *kind)
{
	static const char *const kinds[] = {"households", "institutions", "ledger", "assistance",
					    "deaths"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

int import_run(struct db *db, const struct actor *a, const char *kind, const char *data,
	       size_t len, const struct import_opts *o, struct import_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (strcmp(kind, "households") == 0)
		return import_households(db, a, data, len, o, out, e);
	if (strcmp(kind, "institutions") == 0)
		return import_institutions(db, a, data, len, o, out, e);
	if (strcmp(kind, "ledger") == 0)
		return import_ledger(db, a, data, len, o, out, e);
	if (strcmp(kind, "assistance") == 0)
		return import_assistance(db, a, data, len, o, out, e);
	if (strcmp(kind, "deaths") == 0)
		return import_deaths(db, a, data, len, o, out, e);
	return err_set(e, 404, "unknown_kind", "kind",
		       "不支持的导入类型：%s（可用：households、institutions、ledger、assistance、deaths）",
		       kind);
}
