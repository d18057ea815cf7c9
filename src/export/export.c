/* export.c — the writers: a column spec and a row source become an .xlsx or a CSV file.
 *
 * No I/O of its own beyond the workbook's private temporary file (payroll_xlsx_begin/end, which
 * the bank file and the reports share) and no knowledge of HTTP or of any list. Money never goes
 * through floating point on the CSV side (export_money_str); in the workbook the cell is a
 * number (fen / 100, exact to the cent for any amount below 2^53 fen) shown with 0.00, so that
 * Excel can sum the column.
 */
#include "export/export.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "core/strbuf.h"
#include "payroll/payroll.h"

#define EXPORT_MAX_COLS 64

void export_money_str(int64_t fen, char out[24])
{
	/* Work on the magnitude as unsigned so INT64_MIN does not overflow. */
	uint64_t m = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(out, 24, "%s%llu.%02llu", fen < 0 ? "-" : "", (unsigned long long)(m / 100),
		 (unsigned long long)(m % 100));
}

int export_csv_field(struct strbuf *sb, const char *s)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	int quote = n > 0 && (s[0] == ' ' || s[n - 1] == ' ');
	if (!quote && strpbrk(s, ",\"\r\n"))
		quote = 1;
	if (!quote)
		return strbuf_add(sb, s, n);
	int rc = strbuf_addch(sb, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			rc |= strbuf_addch(sb, '"');
		rc |= strbuf_addch(sb, *p);
	}
	rc |= strbuf_addch(sb, '"');
	return rc ? -1 : 0;
}

int export_to_gb18030(const char *in, size_t n, char **out, size_t *out_len, struct err *e)
{
	*out = NULL;
	*out_len = 0;
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	if (cd == (iconv_t)-1)
		return err_set(e, 500, "internal", NULL, "系统不支持 GB18030 编码转换");
	/* GB18030 needs at most 4 bytes per character, and a character is at least 1 UTF-8 byte. */
	size_t cap = n * 2 + 16;
	char *buf = malloc(cap);
	if (!buf) {
		iconv_close(cd);
		return err_set(e, 500, "internal", NULL, "内存不足");
	}
	char *ip = (char *)(uintptr_t)in, *op = buf;
	size_t il = n, ol = cap;
	int rc = 0;
	while (il > 0) {
		if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(op - buf);
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				rc = err_set(e, 500, "internal", NULL, "内存不足");
				break;
			}
			buf = nb;
			op = buf + used;
			ol += cap;
			cap *= 2;
			continue;
		}
		rc = err_set(e, 400, "unencodable", "encoding", "内容含有无法转换为 GB18030 的字符");
		break;
	}
	iconv_close(cd);
	if (rc < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*out_len = (size_t)(op - buf);
	return 0;
}

/* "YYYY-MM-DD[ T]hh:mm[:ss]" → dt; 0 when it parses, -1 otherwise. want_time: the time part may
 * be present (DATETIME); for DATE only the date is read. */
static int parse_dt(const char *s, int want_time, lxw_datetime *dt)
{
	memset(dt, 0, sizeof *dt);
	if (!s || strlen(s) < 10)
		return -1;
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9')
			return -1;
	dt->year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	dt->month = (uint8_t)((s[5] - '0') * 10 + (s[6] - '0'));
	dt->day = (uint8_t)((s[8] - '0') * 10 + (s[9] - '0'));
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12 || dt->day < 1 || dt->day > 31)
		return -1;
	if (!want_time || (s[10] != ' ' && s[10] != 'T'))
		return want_time || s[10] == '\0' ? 0 : -1;
	const char *t = s + 11;
	if (strlen(t) < 5 || t[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (t[i] < '0' || t[i] > '9'))
			return -1;
	dt->hour = (uint8_t)((t[0] - '0') * 10 + (t[1] - '0'));
	dt->min = (uint8_t)((t[3] - '0') * 10 + (t[4] - '0'));
	if (t[5] == ':' && t[6] >= '0' && t[6] <= '9' && t[7] >= '0' && t[7] <= '9')
		dt->sec = (t[6] - '0') * 10 + (t[7] - '0');
	return dt->hour < 24 && dt->min < 60 ? 0 : -1;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static int write_csv(enum export_encoding enc, const struct export_col *cols, int ncols,
		     export_row_fn row, void *ctx, char **data, size_t *len, int64_t *rows,
		     struct err *e)
{
	struct strbuf sb = STRBUF_INIT;
	struct export_cell cells[EXPORT_MAX_COLS];
	int rc = enc == EXPORT_UTF8 ? strbuf_addstr(&sb, "\xEF\xBB\xBF") : 0;
	for (int c = 0; c < ncols; c++) {
		rc |= c ? strbuf_addch(&sb, ',') : 0;
		rc |= export_csv_field(&sb, cols[c].header);
	}
	rc |= strbuf_addstr(&sb, "\r\n");
	int64_t n = 0;
	for (;;) {
		memset(cells, 0, sizeof cells);
		int got = row(ctx, n, cells, e);
		if (got < 0) {
			strbuf_release(&sb);
			return -1;
		}
		if (got == 0)
			break;
		for (int c = 0; c < ncols; c++) {
			char num[32] = "";
			lxw_datetime dt;
			const char *s = cells[c].s;
			if (cells[c].null)
				s = "";
			else if (cols[c].kind == EXPORT_MONEY)
				export_money_str(cells[c].i, num), s = num;
			else if (cols[c].kind == EXPORT_INT)
				snprintf(num, sizeof num, "%lld", (long long)cells[c].i), s = num;
			else if (cols[c].kind == EXPORT_BOOL)
				s = cells[c].i ? "是" : "否";
			else if (cols[c].kind == EXPORT_DATETIME && parse_dt(s, 1, &dt) == 0)
				/* "2020-04-29T14:18:46+08:00" → "2020-04-29 14:18:46", as Excel shows it */
				snprintf(num, sizeof num, "%04d-%02d-%02d %02d:%02d:%02d", dt.year,
					 dt.month, dt.day, dt.hour, dt.min, (int)dt.sec),
				    s = num;
			rc |= c ? strbuf_addch(&sb, ',') : 0;
			rc |= export_csv_field(&sb, s);
		}
		rc |= strbuf_addstr(&sb, "\r\n");
		n++;
	}
	if (rc) {
		strbuf_release(&sb);
		return err_set(e, 500, "internal", NULL, "内存不足");
	}
	*rows = n;
	if (enc == EXPORT_GB18030) {
		int r = export_to_gb18030(strbuf_str(&sb), sb.len, data, len, e);
		strbuf_release(&sb);
		return r;
	}
	*data = strbuf_detach(&sb, len);
	return 0;
}

/* ---- xlsx --------------------------------------------------------------------------------- */

static int write_xlsx(const char *sheet, const struct export_col *cols, int ncols,
		      export_row_fn row, void *ctx, char **data, size_t *len, int64_t *rows,
		      struct err *e)
{
	lxw_workbook *wb;
	char path[64];
	if (payroll_xlsx_begin(&wb, path, e) < 0)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, sheet && sheet[0] ? sheet : "Sheet1");
	lxw_format *head = workbook_add_format(wb), *money = workbook_add_format(wb),
		   *date = workbook_add_format(wb), *dtime = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xE8EEF7);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_num_format(money, "0.00");
	format_set_num_format(date, "yyyy-mm-dd");
	format_set_num_format(dtime, "yyyy-mm-dd hh:mm");
	int fail = !ws;
	for (int c = 0; !fail && c < ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c,
				     cols[c].width > 0 ? cols[c].width : 12, NULL);
	if (!fail)
		worksheet_freeze_panes(ws, 1, 0);
	for (int c = 0; !fail && c < ncols; c++)
		fail |= worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].header, head) !=
			LXW_NO_ERROR;
	struct export_cell cells[EXPORT_MAX_COLS];
	int64_t n = 0;
	int rc = 0;
	while (!fail) {
		memset(cells, 0, sizeof cells);
		int got = row(ctx, n, cells, e);
		if (got < 0) {
			rc = -1;
			break;
		}
		if (got == 0)
			break;
		if (n + 1 >= LXW_ROW_MAX) {
			rc = err_set(e, 400, "export_too_large", NULL, "行数超过 Excel 上限，请缩小筛选范围");
			break;
		}
		lxw_row_t r = (lxw_row_t)(n + 1);
		for (int c = 0; c < ncols && !fail; c++) {
			const struct export_cell *x = &cells[c];
			lxw_col_t k = (lxw_col_t)c;
			lxw_datetime dt;
			lxw_error le = LXW_NO_ERROR;
			if (x->null || (!x->s && (cols[c].kind == EXPORT_TEXT ||
						  cols[c].kind == EXPORT_DATE ||
						  cols[c].kind == EXPORT_DATETIME)))
				continue;
			switch (cols[c].kind) {
			case EXPORT_INT:
				le = worksheet_write_number(ws, r, k, (double)x->i, NULL);
				break;
			case EXPORT_MONEY:
				le = worksheet_write_number(ws, r, k, (double)x->i / 100.0, money);
				break;
			case EXPORT_BOOL:
				le = worksheet_write_string(ws, r, k, x->i ? "是" : "否", NULL);
				break;
			case EXPORT_DATE:
			case EXPORT_DATETIME:
				if (parse_dt(x->s, cols[c].kind == EXPORT_DATETIME, &dt) == 0) {
					le = worksheet_write_datetime(
					    ws, r, k, &dt, cols[c].kind == EXPORT_DATE ? date : dtime);
					break;
				}
				/* not a date: keep the text */
				__attribute__((fallthrough));
			case EXPORT_TEXT:
				if (x->s[0])
					le = worksheet_write_string(ws, r, k, x->s, NULL);
				break;
			}
			fail |= le != LXW_NO_ERROR;
		}
		n++;
	}
	char *bytes = NULL;
	size_t nbytes = 0;
	int end = payroll_xlsx_end(wb, path, &bytes, &nbytes, rc < 0 || fail ? NULL : e);
	if (rc < 0 || fail || end < 0) {
		free(bytes);
		if (rc < 0)
			return -1;
		return fail ? err_set(e, 500, "internal", NULL, "写入 Excel 单元格失败") : -1;
	}
	*data = bytes;
	*len = nbytes;
	*rows = n;
	return 0;
}

int export_write(enum export_format fmt, enum export_encoding enc, const char *sheet,
		 const struct export_col *cols, int ncols, export_row_fn row, void *ctx,
		 char **data, size_t *len, int64_t *rows, struct err *e)
{
	*data = NULL;
	*len = 0;
	*rows = 0;
	if (ncols <= 0 || ncols > EXPORT_MAX_COLS)
		return err_set(e, 500, "internal", NULL, "导出列数无效");
	if (fmt == EXPORT_XLSX)
		return write_xlsx(sheet, cols, ncols, row, ctx, data, len, rows, e);
	return write_csv(enc, cols, ncols, row, ctx, data, len, rows, e);
}
