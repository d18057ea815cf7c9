/* payroll_bank.c — what goes to and comes back from the bank: the bank file of a confirmed run
 * (CSV or XLSX, the only place account numbers leave unmasked, audited) and the import of a
 * return file that marks payments failed so the next run re-issues them. See payroll.h. */
#include "payroll/payroll.h"

#include "audit/audit.h"
#include "core/clock.h"
#include "core/strbuf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* ================================================================ xlsx in memory */

int payroll_xlsx_begin(struct lxw_workbook **wb, char path[64], struct err *e)
{
	const char *dir = getenv("TMPDIR");
	snprintf(path, 64, "%s/mz-xlsx-XXXXXX", dir && dir[0] && strlen(dir) < 40 ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return err_set(e, 500, "internal", NULL, "无法创建临时文件");
	close(fd);
	lxw_workbook_options opt = {.constant_memory = 1, .tmpdir = NULL, .use_zip64 = 0};
	*wb = workbook_new_opt(path, &opt);
	if (!*wb) {
		unlink(path);
		return err_set(e, 500, "internal", NULL, "无法创建 Excel 文件");
	}
	return 0;
}

int payroll_xlsx_end(struct lxw_workbook *wb, const char *path, char **data, size_t *len,
		     struct err *e)
{
	*data = NULL;
	*len = 0;
	lxw_error le = workbook_close(wb);
	FILE *f = le == LXW_NO_ERROR ? fopen(path, "rb") : NULL;
	struct stat sb;
	int rc = -1;
	if (f && fstat(fileno(f), &sb) == 0 && sb.st_size > 0 && (*data = malloc((size_t)sb.st_size)) &&
	    fread(*data, 1, (size_t)sb.st_size, f) == (size_t)sb.st_size) {
		*len = (size_t)sb.st_size;
		rc = 0;
	}
	if (f)
		fclose(f);
	unlink(path);
	if (rc < 0) {
		free(*data);
		*data = NULL;
		return err_set(e, 500, "internal", NULL, "生成 Excel 文件失败%s%s",
			       le != LXW_NO_ERROR ? "：" : "",
			       le != LXW_NO_ERROR ? lxw_strerror(le) : "");
	}
	return 0;
}

/* ================================================================ bank file */

/* One CSV field, RFC 4180: quoted when it holds a comma, quote, CR or LF. */
static int csv_field(struct strbuf *sb, const char *s, int last)
{
	int rc = 0;
	if (strpbrk(s, ",\"\r\n")) {
		rc |= strbuf_addch(sb, '"');
		for (; *s; s++) {
			if (*s == '"')
				rc |= strbuf_addch(sb, '"');
			rc |= strbuf_addch(sb, *s);
		}
		rc |= strbuf_addch(sb, '"');
	} else {
		rc |= strbuf_addstr(sb, s);
	}
	rc |= strbuf_addstr(sb, last ? "\r\n" : ",");
	return rc < 0 ? -1 : 0;
}

static const char *const bank_header[] = {
	"序号", "户名", "账号", "开户行", "金额（元）", "业务编号", "项目", "所属月份",
};
#define BANK_COLS (int)(sizeof bank_header / sizeof bank_header[0])

int payroll_bank_file(struct db *db, const struct actor *a, int64_t run_id,
		      enum payroll_file_format format, char **data, size_t *len, char name[128],
		      struct err *e)
{
	struct payroll_run_info run;
	*data = NULL;
	*len = 0;
	if (payroll_run_get(db, a, run_id, &run, e) < 0)
		return -1; /* first: a run out of scope is 404 whatever else is asked */
	if (format != PAYROLL_CSV && format != PAYROLL_XLSX)
		return err_set(e, 400, "invalid_value", "format", "格式应为 xlsx 或 csv");
	if (strcmp(run.status, "confirmed") != 0)
		return err_set(e, 409, "run_not_confirmed", NULL,
			       "%s %s 的发放尚未确认：确认后才能生成银行代发文件", run.unit_code,
			       run.month);
	snprintf(name, 128, "代发_%s_%s.%s", run.unit_code, run.month,
		 format == PAYROLL_CSV ? "csv" : "xlsx");

	struct strbuf sql = STRBUF_INIT, out = STRBUF_INIT;
	int rc = strbuf_addstr(&sql, "SELECT p.id, p.payee_name, p.bank_account, p.bank_name, "
				     "p.amount_fen, p.program, p.month FROM payments p "
				     "WHERE p.run_id = ? AND ");
	rc |= scope_sql(&sql, &a->scope, "p.region_code");
	rc |= strbuf_addstr(&sql, " ORDER BY p.id");
	if (rc < 0) {
		strbuf_release(&sql);
		return err_set(e, 500, "internal", NULL, "内存不足");
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, run_id);
	scope_bind(st, &a->scope, 2);

	lxw_workbook *wb = NULL;
	lxw_worksheet *ws = NULL;
	lxw_format *money = NULL, *bold = NULL;
	char path[64];
	if (format == PAYROLL_XLSX) {
		if (payroll_xlsx_begin(&wb, path, e) < 0) {
			db_done(st);
			return -1;
		}
		ws = workbook_add_worksheet(wb, "代发明细");
		money = workbook_add_format(wb);
		format_set_num_format(money, "0.00");
		bold = workbook_add_format(wb);
		format_set_bold(bold);
		static const double widths[BANK_COLS] = {8, 14, 24, 24, 14, 16, 18, 10};
		for (int i = 0; i < BANK_COLS; i++)
			worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i], NULL);
		for (int i = 0; i < BANK_COLS; i++)
			worksheet_write_string(ws, 0, (lxw_col_t)i, bank_header[i], bold);
	} else {
		rc = strbuf_addstr(&out, "\xEF\xBB\xBF"); /* BOM: Excel then reads UTF-8 */
		for (int i = 0; i < BANK_COLS; i++)
			rc |= csv_field(&out, bank_header[i], i == BANK_COLS - 1);
	}
	int64_t rows = 0, total = 0;
	int r = 0;
	while (rc == 0 && (r = db_step(st, e)) == 1) {
		char seq[24], yuan[32], ref[24];
		const char *program = db_col_text(st, 5);
		char label[64];
		int64_t fen = db_col_int(st, 4);
		rows++;
		total += fen;
		snprintf(seq, sizeof seq, "%lld", (long long)rows);
		payroll_yuan(fen, yuan);
		payroll_reference(db_col_int(st, 0), ref);
		snprintf(label, sizeof label, "%s", payroll_program_label(program));
		if (format == PAYROLL_XLSX) {
			lxw_row_t row = (lxw_row_t)rows;
			if (rows >= 1048576) {
				rc = err_set(e, 413, "too_large", NULL,
					     "超过 Excel 的行数上限，请改用 CSV 格式");
				break;
			}
			worksheet_write_number(ws, row, 0, (double)rows, NULL);
			worksheet_write_string(ws, row, 1, db_col_text(st, 1), NULL);
			worksheet_write_string(ws, row, 2, db_col_text(st, 2), NULL);
			worksheet_write_string(ws, row, 3, db_col_text(st, 3), NULL);
			/* A cell is a binary double: fen ÷ 100 is the nearest double to the exact
			 * amount, which Excel shows exactly with two decimals (amounts < 2^53 fen). */
			worksheet_write_number(ws, row, 4, (double)fen / 100.0, money);
			worksheet_write_string(ws, row, 5, ref, NULL);
			worksheet_write_string(ws, row, 6, label, NULL);
			worksheet_write_string(ws, row, 7, db_col_text(st, 6), NULL);
		} else {
			const char *f[BANK_COLS] = {seq,   db_col_text(st, 1), db_col_text(st, 2),
						    db_col_text(st, 3), yuan, ref, label,
						    db_col_text(st, 6)};
			for (int i = 0; i < BANK_COLS && rc == 0; i++)
				rc = csv_field(&out, f[i], i == BANK_COLS - 1);
			if (rc < 0)
				err_set(e, 413, "too_large", NULL, "银行文件过大");
		}
	}
	db_done(st);
	if (r < 0)
		rc = -1;
	if (format == PAYROLL_XLSX) {
		char *bytes;
		size_t n;
		int xrc = payroll_xlsx_end(wb, path, &bytes, &n, rc < 0 ? &(struct err){0} : e);
		if (rc == 0 && xrc == 0) {
			*data = bytes;
			*len = n;
		} else {
			free(bytes);
			rc = -1;
		}
	} else if (rc == 0) {
		*data = strbuf_detach(&out, len);
	}
	strbuf_release(&out);
	if (rc < 0)
		return -1;

	char object[48], detail[200];
	snprintf(object, sizeof object, "payroll_run:%lld", (long long)run_id);
	snprintf(detail, sizeof detail, "{\"format\":\"%s\",\"rows\":%lld,\"amount_fen\":%lld}",
		 format == PAYROLL_CSV ? "csv" : "xlsx", (long long)rows, (long long)total);
	if (audit_record(db, a, "payroll.bank_file", object, "ok", detail, e) < 0) {
		free(*data);
		*data = NULL;
		*len = 0;
		return -1;
	}
	return 0;
}

/* ================================================================ return files */

#define FIELD_MAX 256

struct csv_reader {
	const char *p, *end;
	int line; /* 1-based line number of the record being read */
};

/* Read one record into up to nf fields of FIELD_MAX bytes. 1 = a record, 0 = end of input,
 * -1 = malformed (a field too long or an unterminated quote). *n = fields read. */
static int csv_record(struct csv_reader *r, char (*f)[FIELD_MAX], int nf, int *n)
{
	*n = 0;
	if (r->p >= r->end)
		return 0;
	r->line++;
	int col = 0;
	size_t len = 0;
	int quoted = 0, any = 0;
	for (int k = 0; k < nf; k++)
		f[k][0] = '\0';
	while (r->p < r->end) {
		char c = *r->p++;
		if (quoted) {
			if (c == '"') {
				if (r->p < r->end && *r->p == '"') {
					r->p++;
				} else {
					quoted = 0;
					continue;
				}
			}
			if (c == '\n')
				r->line++;
		} else if (c == '"' && len == 0) {
			quoted = 1;
			any = 1;
			continue;
		} else if (c == ',') {
			col++;
			len = 0;
			any = 1;
			continue;
		} else if (c == '\r') {
			continue;
		} else if (c == '\n') {
			break;
		}
		any = 1;
		if (col < nf) {
			if (len + 1 >= FIELD_MAX)
				return -1;
			f[col][len++] = c;
			f[col][len] = '\0';
		}
	}
	if (quoted)
		return -1;
	*n = any ? col + 1 : 0;
	return 1;
}

static void trim(char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (n > i && isspace((unsigned char)s[n - 1]))
		n--;
	memmove(s, s + i, n - i);
	s[n - i] = '\0';
}

/* "1,234.5" → 123450 fen; at most two decimals, > 0. 0 or -1. */
static int parse_yuan(const char *s, int64_t *fen)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, fdigits = 0, dot = 0;
	for (; *s; s++) {
		if (*s == ',' && !dot)
			continue;
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		if (dot) {
			if (++fdigits > 2)
				return -1;
			frac = frac * 10 + (*s - '0');
		} else {
			if (++digits > 13)
				return -1;
			whole = whole * 10 + (*s - '0');
		}
	}
	if (!digits && !fdigits)
		return -1;
	if (fdigits == 1)
		frac *= 10;
	*fen = whole * 100 + frac;
	return *fen > 0 ? 0 : -1;
}

/* "MZ0000001234" → 1234; 0 when the key is not a reference. */
static int64_t reference_id(const char *key)
{
	if ((key[0] != 'M' && key[0] != 'm') || (key[1] != 'Z' && key[1] != 'z'))
		return 0;
	int64_t id = 0;
	int n = 0;
	for (const char *s = key + 2; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 15)
			return 0;
		id = id * 10 + (*s - '0');
	}
	return n ? id : 0;
}

static int bad_line(struct err *e, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad_line(struct err *e, int line, const char *fmt, ...)
{
	char field[32], msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(field, sizeof field, "lines[%d]", line);
	return err_set(e, 400, "invalid_return", field, "退回文件第 %d 行：%s", line, msg);
}

/* The payment a line names: *id, *status, *amount. 1 found, 0 none, -1 error; -2 ambiguous. */
static int find_by_reference(struct db *db, const struct actor *a, int64_t ref, int64_t *id,
			     char status[12], int64_t *amount, char run_status[12], struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	int rc = strbuf_addstr(&sql, "SELECT p.id, p.status, p.amount_fen, r.status, r.unit_code "
				     "FROM payments p JOIN payroll_runs r ON r.id = p.run_id "
				     "WHERE p.id = ? AND ");
	rc |= scope_sql(&sql, &a->scope, "p.region_code");
	if (rc < 0) {
		strbuf_release(&sql);
		return err_set(e, 500, "internal", NULL, "内存不足");
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_int(st, 1, ref);
	scope_bind(st, &a->scope, 2);
	rc = db_step(st, e);
	char unit[16] = "";
	if (rc == 1) {
		*id = db_col_int(st, 0);
		snprintf(status, 12, "%s", db_col_text(st, 1));
		*amount = db_col_int(st, 2);
		snprintf(run_status, 12, "%s", db_col_text(st, 3));
		snprintf(unit, sizeof unit, "%s", db_col_text(st, 4));
	}
	db_done(st);
	struct err ignore;
	err_clear(&ignore);
	if (rc == 1 && payroll_check_unit(db, a, unit, &ignore) < 0) {
		if (ignore.status >= 500) { /* a database error: not known whose payment it is */
			*e = ignore;
			return -1;
		}
		rc = 0; /* another unit's payment (a zone's, inside a county's code): not this caller's */
	}
	return rc;
}

/* By account and amount, in the latest confirmed run of each unit: 1 one paid payment (or, with
 * none paid, one already failed), 0 none, -2 more than one paid, -1 error. */
static int find_by_account(struct db *db, const struct actor *a, const char *account,
			   int64_t amount, int64_t *id, char status[12], struct err *e)
{
	struct strbuf sql = STRBUF_INIT;
	int rc = strbuf_addstr(
	    &sql, "SELECT p.id, p.status, p.unit_code FROM payments p WHERE p.run_id IN (SELECT r.id "
		  "FROM payroll_runs r WHERE r.status = 'confirmed' AND r.month = (SELECT max(r2.month) "
		  "FROM payroll_runs r2 WHERE r2.unit_code = r.unit_code AND r2.status = 'confirmed')) "
		  "AND p.bank_account = ? AND p.amount_fen = ? AND ");
	rc |= scope_sql(&sql, &a->scope, "p.region_code");
	rc |= strbuf_addstr(&sql, " ORDER BY p.id");
	if (rc < 0) {
		strbuf_release(&sql);
		return err_set(e, 500, "internal", NULL, "内存不足");
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, account);
	db_bind_int(st, 2, amount);
	scope_bind(st, &a->scope, 3);
	int paid = 0, other = 0;
	struct err ignore;
	while ((rc = db_step(st, e)) == 1) {
		const char *s = db_col_text(st, 1);
		err_clear(&ignore);
		if (payroll_check_unit(db, a, db_col_text(st, 2), &ignore) < 0) {
			if (ignore.status >= 500) { /* a database error: not known whose it is */
				*e = ignore;
				rc = -1;
				break;
			}
			continue; /* another unit's payment */
		}
		if (strcmp(s, "paid") == 0) {
			if (paid++ == 0) {
				*id = db_col_int(st, 0);
				snprintf(status, 12, "%s", s);
			}
		} else if (!paid && other++ == 0) {
			*id = db_col_int(st, 0);
			snprintf(status, 12, "%s", s);
		}
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (paid > 1)
		return -2;
	return paid || other ? 1 : 0;
}

int payroll_returns_import(struct db *db, const struct actor *a, const char *csv, size_t len,
			   struct payroll_returns_result *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_PAYROLL))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权导入银行退回文件");
	if (!csv || len == 0)
		return err_set(e, 400, "required", "body", "请提交退回文件内容（CSV）");
	struct csv_reader rd = {.p = csv, .end = csv + len, .line = 0};
	if (len >= 3 && memcmp(csv, "\xEF\xBB\xBF", 3) == 0)
		rd.p += 3;
	char at[32];
	clock_now_iso(at);
	if (db_begin_write(db, e) < 0)
		return -1;
	char f[3][FIELD_MAX];
	int nf, rc, first = 1;
	while ((rc = csv_record(&rd, f, 3, &nf)) == 1) {
		if (nf == 0)
			continue; /* empty line */
		for (int i = 0; i < 3; i++)
			trim(f[i]);
		int64_t amount = 0;
		int amount_ok = parse_yuan(f[1], &amount) == 0;
		if (first) {
			first = 0;
			if (!amount_ok && !reference_id(f[0]))
				continue; /* a header line */
		}
		if (++out->lines > PAYROLL_RETURN_LINES) {
			err_set(e, 413, "too_large", NULL, "退回文件超过 %d 行", PAYROLL_RETURN_LINES);
			goto fail;
		}
		if (nf < 2 || !f[0][0]) {
			bad_line(e, rd.line, "%s", "每行应为：业务编号或账号,金额,原因");
			goto fail;
		}
		if (!amount_ok) {
			bad_line(e, rd.line, "金额“%s”无效（元，最多两位小数）", f[1]);
			goto fail;
		}
		int64_t id = 0, paid_fen = 0;
		char status[12] = "", run_status[12] = "confirmed";
		int64_t ref = reference_id(f[0]);
		int found;
		if (ref) {
			found = find_by_reference(db, a, ref, &id, status, &paid_fen, run_status, e);
		} else {
			char account[64];
			size_t o = 0;
			for (const char *s = f[0]; *s && o + 1 < sizeof account; s++)
				if (*s != ' ' && *s != '-')
					account[o++] = *s;
			account[o] = '\0';
			found = find_by_account(db, a, account, amount, &id, status, e);
			paid_fen = amount;
		}
		if (found == -1)
			goto fail;
		if (found == -2) {
			bad_line(e, rd.line, "账号 %s 在最近一次发放中有多笔同金额的款项，请改用业务编号", f[0]);
			goto fail;
		}
		if (found == 0) {
			if (ref)
				bad_line(e, rd.line, "找不到业务编号 %s（或不在您的管辖范围内）", f[0]);
			else
				bad_line(e, rd.line, "在各单位最近一次已确认的发放中找不到账号 %s 的这笔款项",
					 f[0]);
			goto fail;
		}
		if (strcmp(run_status, "confirmed") != 0) {
			bad_line(e, rd.line, "业务编号 %s 所在的发放尚未确认", f[0]);
			goto fail;
		}
		if (paid_fen != amount) {
			char want[32];
			payroll_yuan(paid_fen, want);
			bad_line(e, rd.line, "金额与发放金额 %s 元不符", want);
			goto fail;
		}
		if (strcmp(status, "paid") != 0) {
			out->already++;
			continue;
		}
		const char *reason = f[2][0] ? f[2] : "银行退回";
		struct db_stmt *st = db_prepare(db, "UPDATE payments SET status = 'failed', "
						    "fail_reason = ?, failed_at = ? WHERE id = ? "
						    "AND status = 'paid'", e);
		if (!st)
			goto fail;
		db_bind_text(st, 1, reason);
		db_bind_text(st, 2, at);
		db_bind_int(st, 3, id);
		if (db_run(st, e) < 0)
			goto fail;
		st = db_prepare(db, "INSERT INTO bank_returns(payment_id, line_key, amount_fen, reason, "
				    "imported_at, imported_by) VALUES (?,?,?,?,?,?)", e);
		if (!st)
			goto fail;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, f[0]);
		db_bind_int(st, 3, amount);
		db_bind_text(st, 4, reason);
		db_bind_text(st, 5, at);
		db_bind_text(st, 6, a->username);
		if (db_run(st, e) < 0)
			goto fail;
		out->marked++;
		out->amount_fen += amount;
	}
	if (rc < 0) {
		bad_line(e, rd.line, "%s", "CSV 格式错误（字段过长或引号未闭合）");
		goto fail;
	}
	if (out->lines == 0) {
		err_set(e, 400, "invalid_return", "body", "退回文件没有数据行");
		goto fail;
	}
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"lines\":%lld,\"marked\":%lld,\"already\":%lld,\"amount_fen\":%lld}",
		 (long long)out->lines, (long long)out->marked, (long long)out->already,
		 (long long)out->amount_fen);
	if (audit_append(db, a, "payroll.returns", "payroll_returns", "ok", detail, e) < 0)
		goto fail;
	return db_commit(db, e);
fail:
	db_rollback(db);
	return -1;
}
