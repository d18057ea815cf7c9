/* import_rejects.c — the workbooks the import hands out: the rejected rows (what the user fixes
 * and imports again) and an empty template per kind. Written with libxlsxwriter through
 * payroll_xlsx_begin/end; every cell is text, so ID numbers keep all their digits. Also the
 * kinds' shared pieces: collecting rejected rows and finding a header's column. */
#include "import/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/idnum.h"
#include "core/text.h"
#include "payroll/payroll.h"

int import_header_map(struct import_result *r, const char *const *names, int stride, int ncols,
		      int *colmap, const int *required, int nreq, const char *hint, struct err *e)
{
	const struct import_table *t = &r->table;
	int hdr = -1, best = 0;
	for (int i = 0; i < t->nrows && i < 10; i++) {
		int n = 0;
		for (int c = 0; c < t->rows[i].n; c++)
			n += import_column_of(names, stride, ncols, import_cell(t, i, c)) >= 0;
		if (n > best)
			best = n, hdr = i;
	}
	if (hdr < 0 || best < 2)
		return err_set(e, 400, "missing_column", NULL, "找不到表头行：第一行应为列名，如 %s",
			       hint);
	for (int c = 0; c < ncols; c++)
		colmap[c] = -1;
	for (int c = t->rows[hdr].n - 1; c >= 0; c--) {
		int k = import_column_of(names, stride, ncols, import_cell(t, hdr, c));
		if (k >= 0)
			colmap[k] = c;
	}
	for (int i = 0; i < nreq; i++)
		if (colmap[required[i]] < 0)
			return err_set(e, 400, "missing_column", names[required[i] * stride],
				       "缺少必需的列：%s（%s）", names[required[i] * stride + 1],
				       names[required[i] * stride]);
	r->header_row = hdr;
	return hdr;
}

int import_row_id(struct import_result *r, size_t *cap, int hdr, int i, int col, char (*ids)[19],
		  struct idnum *idn)
{
	const struct import_table *t = &r->table;
	int row = hdr + 1 + i;
	const char *id = import_cell(t, row, col);
	struct err re;
	if (import_is_sci_notation(id))
		return import_reject_add(r, cap, row, col,
					 "身份证号 %s 被 Excel 显示成了科学计数法，后几位已丢失：请把身份证号一列"
					 "设置为“文本”格式，重新录入后再导入",
					 id) < 0
			       ? -1
			       : 0;
	if (idnum_parse(id, NULL, idn, &re) < 0)
		return import_reject_add(r, cap, row, col, "身份证号：%s", re.message) < 0 ? -1 : 0;
	for (int j = 0; j < i; j++)
		if (strcmp(ids[j], idn->number) == 0)
			return import_reject_add(r, cap, row, col, "身份证号与第 %d 行重复",
						 t->rows[hdr + 1 + j].line) < 0
				       ? -1
				       : 0;
	text_copy(ids[i], sizeof ids[i], idn->number);
	return 1;
}

int import_rejects_xlsx(const struct import_result *r, char **data, size_t *len, struct err *e)
{
	lxw_workbook *wb;
	char path[64];
	if (payroll_xlsx_begin(&wb, path, e) < 0)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "未导入的行");
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_num_format(head, "@");
	lxw_format *txt = workbook_add_format(wb);
	format_set_num_format(txt, "@");
	lxw_format *bad = workbook_add_format(wb);
	format_set_num_format(bad, "@");
	format_set_bg_color(bad, 0xFFC7CE);
	format_set_font_color(bad, 0x9C0006);
	const struct import_table *t = &r->table;
	int ncols = t->nrows > r->header_row ? t->rows[r->header_row].n : 0;
	for (int c = 0; c < ncols; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, import_cell(t, r->header_row, c), head);
	worksheet_write_string(ws, 0, (lxw_col_t)ncols, "原文件行号", head);
	worksheet_write_string(ws, 0, (lxw_col_t)ncols + 1, "错误原因", head);
	worksheet_set_column(ws, 0, (lxw_col_t)(ncols ? ncols - 1 : 0), 16, txt);
	worksheet_set_column(ws, (lxw_col_t)ncols + 1, (lxw_col_t)ncols + 1, 60, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	for (int i = 0; i < r->nrejects; i++) {
		const struct import_reject *x = &r->rejects[i];
		lxw_row_t row = (lxw_row_t)i + 1;
		int n = t->rows[x->row].n > ncols ? t->rows[x->row].n : ncols;
		for (int c = 0; c < n; c++)
			worksheet_write_string(ws, row, (lxw_col_t)c, import_cell(t, x->row, c),
					       c == x->col ? bad : txt);
		worksheet_write_number(ws, row, (lxw_col_t)ncols, t->rows[x->row].line, NULL);
		worksheet_write_string(ws, row, (lxw_col_t)ncols + 1, x->reason, NULL);
	}
	return payroll_xlsx_end(wb, path, data, len, e);
}

static const char *const households_header[] = {
	"户编号", "区划代码", "地址", "户籍类型", "身份证号", "姓名", "与户主关系", "联系电话",
	"残疾等级", "重病", "劳动能力", NULL};
static const char *const households_example[] = {
	"1", "370702001001", "潍城区城关街道示例社区 1 号", "城镇", "370702198001010018", "张三",
	"户主", "13800000000", "无", "否", "完全", NULL};

static const char *const institutions_header[] = {
	"机构名称", "机构类型", "区划代码", "地址", "床位数", "在院人数", "工作人员数", "联系人",
	"联系电话", "开办日期", "停办日期", "封闭管理开始日期", "封闭管理结束日期", NULL};
static const char *const institutions_example[] = {
	"示例敬老院", "养老机构", "370702001001", "潍城区城关街道示例路 1 号", "120", "80", "20",
	"李四", "13800000000", "2015-06-01", "", "", "", NULL};

static const char *const ledger_header[] = {
	"身份证号", "姓名", "困难类别", "纳入日期", "备注", "包帮责任人账号", "包帮责任人姓名",
	"包帮责任人电话", NULL};
static const char *const ledger_example[] = {
	"370702198001010018", "张三", "独居老人、重病患者", "2024-01-15", "", "", "", "", NULL};

static const char *const assistance_header[] = {
	"救助项目", "身份证号", "姓名", "起始月份", "月救助金额", "供养方式", "复核类别", "收款人",
	"开户银行", "银行账号", "养育方式", "父亲情况", "母亲情况", NULL};
static const char *const assistance_example[] = {
	"低保", "370702198001010018", "张三", "2019-03", "580.00", "", "收入稳定", "",
	"示例银行", "6222000000000000000", "", "", "", NULL};

static const struct {
	const char *kind, *sheet;
	const char *const *header, *const *example;
} templates[] = {
	{"households", "户籍导入", households_header, households_example},
	{"institutions", "机构导入", institutions_header, institutions_example},
	{"ledger", "台账导入", ledger_header, ledger_example},
	{"assistance", "救助名册导入", assistance_header, assistance_example},
	{"deaths", "死亡名单导入", import_deaths_header, import_deaths_example},
};

int import_template_xlsx(const char *kind, char **data, size_t *len, struct err *e)
{
	size_t k = 0;
	while (k < sizeof templates / sizeof templates[0] && strcmp(kind, templates[k].kind) != 0)
		k++;
	if (k == sizeof templates / sizeof templates[0])
		return err_set(e, 404, "unknown_kind", "kind", "不支持的导入类型：%s", kind);
	lxw_workbook *wb;
	char path[64];
	if (payroll_xlsx_begin(&wb, path, e) < 0)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, templates[k].sheet);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	lxw_format *txt = workbook_add_format(wb);
	format_set_num_format(txt, "@"); /* text: long ID numbers keep their digits */
	worksheet_set_column(ws, 0, 12, 18, txt);
	worksheet_freeze_panes(ws, 1, 0);
	/* row by row: the workbook is written in constant-memory mode */
	for (int c = 0; templates[k].header[c]; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, templates[k].header[c], head);
	for (int c = 0; templates[k].example[c]; c++)
		if (*templates[k].example[c])
			worksheet_write_string(ws, 1, (lxw_col_t)c, templates[k].example[c], txt);
	return payroll_xlsx_end(wb, path, data, len, e);
}

int import_reject_vadd(struct import_result *r, size_t *cap, int row, int col, const char *fmt,
		       va_list ap)
{
	if ((size_t)r->nrejects + 1 > *cap) {
		size_t n = *cap ? *cap * 2 : 64;
		void *q = realloc(r->rejects, n * sizeof *r->rejects);
		if (!q)
			return -1;
		r->rejects = q;
		*cap = n;
	}
	struct import_reject *x = &r->rejects[r->nrejects++];
	x->row = row;
	x->col = col;
	vsnprintf(x->reason, sizeof x->reason, fmt, ap);
	return 0;
}

int import_reject_add(struct import_result *r, size_t *cap, int row, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = import_reject_vadd(r, cap, row, col, fmt, ap);
	va_end(ap);
	return rc;
}

int import_column_of(const char *const *names, int stride, int ncols, const char *header)
{
	for (int c = 0; c < ncols; c++)
		for (int k = 0; k < stride && names[c * stride + k]; k++)
			if (strcmp(header, names[c * stride + k]) == 0)
				return c;
	return -1;
}
