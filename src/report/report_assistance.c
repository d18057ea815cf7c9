/* report_assistance.c — the assistance payments report (see report.h), computed from payments.
 *
 * Two passes, both in index order with no sorting in SQL (docs/stats.md has the timings):
 *   1. the 'paid' payments of confirmed runs in the range, in scope (a covering index,
 *      report_schema.c): amounts and payment counts into every cell they fall in — these add
 *      up, so every coarser cell is a sum — and each payment's (unit, month, program) kept by id;
 *   2. distinct persons, which do not add up: payment_persons read in stretches of those
 *      payment ids, in its key order, each row tagged with its payment's cell; the rows grouped
 *      by person here (a counting sort over the person ids) and for each person every cell they
 *      fall in (at all eight levels of unit/all × month/all × program/all) counted once. One
 *      pass instead of eight COUNT(DISTINCT) queries.
 * The "all programs" level (total) adds up the monthly allowances only: the price subsidy has
 * its own cells and is left out of it (report.h). The temporary assistance comes from the
 * relief module (relief_report_totals), once for the range and once per month.
 */
#include "core/array_grow.h"
#include "report/report.h"

#include "accounts/accounts.h"
#include "core/strbuf.h"
#include "payroll/payroll.h"
#include "price/price.h"
#include "regions/regions.h"
#include "relief/relief.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

static int month_num(const char *m)
{
	return atoi(m) * 12 + atoi(m + 5) - 1;
}

struct report_cell *report_cell_at(const struct report_assistance *r, int unit, int month,
				   int program)
{
	size_t i = ((size_t)unit * (size_t)(r->nmonths + 1) + (size_t)month) * (REPORT_PRICE + 1) +
		   (size_t)program;
	return &r->cells[i];
}

struct report_relief_cell *report_relief_at(const struct report_assistance *r, int unit,
					    int month)
{
	return &r->relief[(size_t)unit * (size_t)(r->nmonths + 1) + (size_t)month];
}

void report_assistance_release(struct report_assistance *r)
{
	free(r->cells);
	r->cells = NULL;
	free(r->relief);
	r->relief = NULL;
}

/* The units overlapping the actor's scope (or just `county`), in code order. */
int report_units_list(struct db *db, const struct actor *a, const char *county,
		      struct report_assistance *r, struct err *e)
{
	struct regions_unit *units;
	int n;
	if (regions_units(db, "", &units, &n, e) < 0)
		return -1;
	for (int i = 0; i < n && r->nunits < REPORT_MAX_UNITS; i++) {
		struct scope us;
		struct err ignore;
		if (county[0] && strcmp(county, units[i].code) != 0)
			continue;
		if (accounts_resolve_scope(db, units[i].code, &us, &ignore) < 0)
			continue;
		int overlap = 0;
		for (int k = 0; k < us.n && !overlap; k++)
			overlap = scope_overlaps(&a->scope, us.prefix[k]);
		if (!overlap)
			continue;
		struct report_unit *u = &r->units[r->nunits++];
		snprintf(u->code, sizeof u->code, "%s", units[i].code);
		snprintf(u->name, sizeof u->name, "%s", units[i].name);
	}
	regions_units_free(units, n);
	if (county[0] && r->nunits == 0)
		return err_set(e, 404, "not_found", "county", "管理单位不存在，或不在您的管辖范围内：%s",
			       county);
	return 0;
}

static int unit_index(const struct report_assistance *r, const char *code)
{
	for (int i = 0; i < r->nunits; i++)
		if (strcmp(r->units[i].code, code) == 0)
			return i;
	return -1;
}

/* The paid payments of one confirmed run in the actor's scope (the covering index of
 * report_schema.c, by run_id); binds: run id, scope. */
static int payments_sql(struct strbuf *sb, const struct actor *a)
{
	int rc = strbuf_addstr(sb, "SELECT p.id, p.unit_code, p.program, p.amount_fen FROM payments p "
				   "WHERE p.run_id = ? AND p.status = 'paid' AND ");
	rc |= scope_sql(sb, &a->scope, "p.region_code");
	return rc < 0 ? -1 : 0;
}

/* A (unit, month, program) cell index triple, and a person id (a payment id in pass 1). */
struct prow {
	int u, m, p;
	int64_t person;
};

static int cmp_person(const void *x, const void *y)
{
	int64_t a = ((const struct prow *)x)->person, b = ((const struct prow *)y)->person;
	return (a > b) - (a < b);
}

/* Put each person's rows together (in person order): a counting sort when the ids are dense
 * (rowids of persons: a pass to count, a pass to place), else qsort. -1 when out of memory. */
static int group_by_person(struct prow **prows, int n)
{
	struct prow *rows = *prows;
	if (n < 2)
		return 0;
	int64_t lo = rows[0].person, hi = rows[0].person;
	for (int i = 1; i < n; i++) {
		if (rows[i].person < lo)
			lo = rows[i].person;
		if (rows[i].person > hi)
			hi = rows[i].person;
	}
	if (hi - lo > 4 * (int64_t)n + 1024) {
		qsort(rows, (size_t)n, sizeof *rows, cmp_person);
		return 0;
	}
	size_t span = (size_t)(hi - lo) + 2;
	int *start = calloc(span, sizeof *start);
	struct prow *sorted = malloc((size_t)n * sizeof *sorted);
	if (!start || !sorted) {
		free(start);
		free(sorted);
		return -1;
	}
	for (int i = 0; i < n; i++)
		start[rows[i].person - lo + 1]++;
	for (size_t k = 1; k < span; k++)
		start[k] += start[k - 1];
	for (int i = 0; i < n; i++)
		sorted[start[rows[i].person - lo]++] = rows[i];
	free(start);
	free(rows);
	*prows = sorted;
	return 0;
}

/* Payment ids further apart than this start a new stretch of payment_persons to read. */
#define PERSONS_GAP 256

/* The (person, cell) rows of the payments pays[0..n) (their .person is the payment id; sorted
 * here): payment_persons read stretch by stretch of ids, in key order. *rows malloc'd. */
static int persons_rows(struct db *db, struct prow *pays, int n, struct prow **rows, int *nrows,
			struct err *e)
{
	int alloc = 0;
	if (n > 1)
		qsort(pays, (size_t)n, sizeof *pays, cmp_person); /* by payment id */
	for (int i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && pays[j].person - pays[j - 1].person <= PERSONS_GAP; j++)
			;
		struct db_stmt *st = db_prepare(db,
						"SELECT payment_id, person_id FROM payment_persons "
						"WHERE payment_id >= ? AND payment_id <= ?",
						e);
		if (!st)
			return -1;
		db_bind_int(st, 1, pays[i].person);
		db_bind_int(st, 2, pays[j - 1].person);
		int r, k = i; /* pays[k]: the payment of the row, or the next one after it */
		while ((r = db_step(st, e)) == 1) {
			int64_t id = db_col_int(st, 0);
			while (k < j && pays[k].person < id)
				k++;
			if (k == j || pays[k].person != id)
				continue; /* not paid, or outside the scope or range */
			if (array_grow(rows, *nrows, &alloc, sizeof **rows, 4096) < 0) {
				r = err_oom(e);
				break;
			}
			(*rows)[*nrows] = pays[k];
			(*rows)[(*nrows)++].person = db_col_int(st, 1);
		}
		db_done(st);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* unit_index, remembering the last code looked up (a run's payments share their unit). */
struct unit_cache {
	char code[16];
	int index;
};

static int unit_index_cached(const struct report_assistance *r, const char *code,
			     struct unit_cache *c)
{
	if (c->code[0] && strcmp(c->code, code) == 0)
		return c->index;
	c->index = unit_index(r, code);
	snprintf(c->code, sizeof c->code, "%s", code);
	return c->index;
}

/* One payment's amount into every cell it falls in (these add up). */
static void add_payment(struct report_assistance *r, const struct prow *pr, int64_t amount_fen)
{
	for (int level = 0; level < 8; level++) {
		if ((level & 4) && pr->p >= REPORT_NPROGRAMS)
			continue; /* not in the allowances' total */
		struct report_cell *c = report_cell_at(r, level & 1 ? r->nunits : pr->u,
						       level & 2 ? r->nmonths : pr->m,
						       level & 4 ? REPORT_NPROGRAMS : pr->p);
		c->payments++;
		c->amount_fen += amount_fen;
	}
}

/* A payment's program as a cell index: the allowances 0..3, the price subsidy REPORT_PRICE. */
static int cell_program(const char *program)
{
	int pi = payroll_program_index(program);
	if (pi >= 0 && pi < REPORT_NPROGRAMS)
		return pi;
	return strcmp(program, PRICE_PROGRAM) == 0 ? REPORT_PRICE : -1;
}

/* Count one person into every cell they fall in, once per cell. The all-programs level counts
 * the allowances only. */
static void count_person(struct report_assistance *r, const struct prow *rows, int k)
{
	for (int level = 0; level < 8; level++) {
		int all_u = level & 1, all_m = level & 2, all_p = level & 4;
		for (int i = 0; i < k; i++) {
			if (all_p && rows[i].p >= REPORT_NPROGRAMS)
				continue;
			int u = all_u ? r->nunits : rows[i].u;
			int m = all_m ? r->nmonths : rows[i].m;
			int p = all_p ? REPORT_NPROGRAMS : rows[i].p;
			int seen = 0;
			for (int j = 0; j < i && !seen; j++)
				seen = (!all_p || rows[j].p < REPORT_NPROGRAMS) &&
				       (all_u || rows[j].u == rows[i].u) &&
				       (all_m || rows[j].m == rows[i].m) &&
				       (all_p || rows[j].p == rows[i].p);
			if (!seen)
				report_cell_at(r, u, m, p)->persons++;
		}
	}
}

struct relief_ctx {
	struct report_assistance *r;
	int month; /* index, or nmonths for the whole range */
};

static int relief_unit(const char *unit_code, const struct relief_totals *t, void *ctx)
{
	struct relief_ctx *c = ctx;
	int u = unit_index(c->r, unit_code);
	if (u < 0)
		return 0; /* not a unit of this report (another county filtered out) */
	struct report_relief_cell *cell = report_relief_at(c->r, u, c->month);
	cell->person_times += t->person_times;
	cell->amount_fen += t->amount_fen;
	struct report_relief_cell *all = report_relief_at(c->r, c->r->nunits, c->month);
	all->person_times += t->person_times;
	all->amount_fen += t->amount_fen;
	return 0;
}

/* The temporary assistance: the range, then each month (the relief module's totals are per
 * unit for a range of months). */
static int relief_cells(struct db *db, const struct actor *a, struct report_assistance *r,
			struct err *e)
{
	struct relief_totals city;
	for (int m = 0; m <= r->nmonths; m++) {
		struct relief_ctx c = {r, m};
		const char *from = m < r->nmonths ? r->months[m] : r->from;
		const char *to = m < r->nmonths ? r->months[m] : r->to;
		if (relief_report_totals(db, &a->scope, from, to, relief_unit, &c, &city, e) < 0)
			return -1;
	}
	return 0;
}

int report_assistance(struct db *db, const struct actor *a, const char *from, const char *to,
		      const char *county, struct report_assistance *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	if (!actor_can(a, PERM_ASSISTANCE_READ))
		return err_set(e, 403, "forbidden", NULL, "您的角色无权查看救助统计");
	if (!from || !from[0])
		return err_set(e, 400, "required", "from", "请填写起始月份（YYYY-MM）");
	if (!to || !to[0])
		return err_set(e, 400, "required", "to", "请填写截止月份（YYYY-MM）");
	if (!payroll_month_valid(from))
		return err_set(e, 400, "invalid_value", "from", "起始月份应为 YYYY-MM，如 2020-01");
	if (!payroll_month_valid(to))
		return err_set(e, 400, "invalid_value", "to", "截止月份应为 YYYY-MM，如 2020-04");
	int n0 = month_num(from), n1 = month_num(to);
	if (n1 < n0)
		return err_set(e, 400, "invalid_value", "to", "截止月份不能早于起始月份");
	if (n1 - n0 + 1 > REPORT_MAX_MONTHS)
		return err_set(e, 400, "invalid_value", "to", "统计期间最长 %d 个月", REPORT_MAX_MONTHS);
	if (county && strlen(county) >= sizeof out->county)
		return err_set(e, 404, "not_found", "county", "管理单位不存在，或不在您的管辖范围内");
	snprintf(out->from, sizeof out->from, "%s", from);
	snprintf(out->to, sizeof out->to, "%s", to);
	snprintf(out->county, sizeof out->county, "%s", county ? county : "");
	out->nmonths = n1 - n0 + 1;
	for (int i = 0; i < out->nmonths; i++)
		payroll_month_add(from, i, out->months[i]);
	if (report_units_list(db, a, out->county, out, e) < 0)
		return -1;
	size_t ncells = (size_t)(out->nunits + 1) * (size_t)(out->nmonths + 1) * (REPORT_PRICE + 1);
	out->cells = calloc(ncells, sizeof *out->cells);
	out->relief = calloc((size_t)(out->nunits + 1) * (size_t)(out->nmonths + 1),
			     sizeof *out->relief);
	if (!out->cells || !out->relief) {
		report_assistance_release(out);
		return err_oom(e);
	}

	/* A read transaction: both queries see the same payments. */
	struct strbuf sql = STRBUF_INIT;
	struct prow *rows = NULL;
	int rc = -1, nrows = 0;
	struct unit_cache ucache = {"", -1};
	struct prow *pays = NULL;
	int npays = 0, pay_alloc = 0;
	int own_txn = !db_in_transaction(db);
	if (own_txn && db_begin_read(db, e) < 0)
		goto out;

	/* 1. the confirmed runs of the months, then each run's paid payments (a covering index,
	 * report_schema.c; run by run rather than joined: the run gives the month, and the rows
	 * are read in index order): amounts into the cells, and each payment's cell by id for the
	 * persons' pass */
	struct run_month {
		int64_t id;
		int m;
	} *runs = NULL;
	int nruns = 0, runs_alloc = 0, r = 0;
	struct db_stmt *st = db_prepare(db,
					"SELECT id, month FROM payroll_runs WHERE status = 'confirmed' "
					"AND month >= ? AND month <= ? AND (? = '' OR unit_code = ?) "
					"ORDER BY id",
					e);
	if (!st)
		goto out;
	db_bind_text(st, 1, out->from);
	db_bind_text(st, 2, out->to);
	db_bind_text(st, 3, out->county);
	db_bind_text(st, 4, out->county);
	while ((r = db_step(st, e)) == 1) {
		if (array_grow(&runs, nruns, &runs_alloc, sizeof *runs, 64) < 0) {
			r = err_oom(e);
			break;
		}
		runs[nruns].id = db_col_int(st, 0);
		runs[nruns++].m = month_num(db_col_text(st, 1)) - n0;
	}
	db_done(st);
	if (r < 0 || payments_sql(&sql, a) < 0) {
		if (r >= 0)
			err_oom(e);
		free(runs);
		goto out;
	}
	for (int k = 0; k < nruns && r >= 0; k++) {
		st = db_prepare(db, strbuf_str(&sql), e);
		if (!st) {
			r = -1;
			break;
		}
		db_bind_int(st, 1, runs[k].id);
		scope_bind(st, &a->scope, 2);
		while ((r = db_step(st, e)) == 1) {
			struct prow pr = {unit_index_cached(out, db_col_text(st, 1), &ucache), runs[k].m,
					  cell_program(db_col_text(st, 2)), db_col_int(st, 0)};
			if (pr.u < 0 || pr.m < 0 || pr.m >= out->nmonths || pr.p < 0)
				continue; /* a unit outside the listed ones cannot be in scope */
			add_payment(out, &pr, db_col_int(st, 3));
			if (array_grow(&pays, npays, &pay_alloc, sizeof *pays, 4096) < 0) {
				r = err_oom(e);
				break;
			}
			pays[npays++] = pr; /* .person holds the payment id here */
		}
		db_done(st);
	}
	free(runs);
	if (r < 0)
		goto out;

	/* 2. their persons: payment_persons read in stretches of payment ids (its key order)
	 * rather than looked up payment by payment (half the cost), each row kept when its
	 * payment is one of the above; then grouped by person */
	if (persons_rows(db, pays, npays, &rows, &nrows, e) < 0)
		goto out;
	if (group_by_person(&rows, nrows) < 0) {
		err_oom(e);
		goto out;
	}
	for (int i = 0, j; i < nrows; i = j) {
		for (j = i + 1; j < nrows && rows[j].person == rows[i].person; j++)
			;
		count_person(out, rows + i, j - i);
	}
	if (relief_cells(db, a, out, e) < 0)
		goto out;
	rc = 0;
out:
	if (own_txn && db_in_transaction(db))
		db_rollback(db); /* read only: ending it is all that is left */
	strbuf_release(&sql);
	free(pays);
	free(rows);
	if (rc < 0)
		report_assistance_release(out);
	return rc;
}

/* ================================================================ JSON */

static json_t *cell_json(const struct report_cell *c, const char *label)
{
	json_t *o = json_pack("{s:I, s:I, s:I}", "persons", (json_int_t)c->persons, "amount_fen",
			      (json_int_t)c->amount_fen, "payments", (json_int_t)c->payments);
	if (o && label)
		json_object_set_new(o, "label", json_string(label));
	return o;
}

/* {"programs":{…},"total":{…}} for (unit, month). */
static json_t *block_json(const struct report_assistance *r, int u, int m)
{
	json_t *programs = json_object();
	for (int p = 0; p < REPORT_NPROGRAMS; p++)
		json_object_set_new(programs, payroll_programs[p],
				    cell_json(report_cell_at(r, u, m, p),
					      payroll_program_label(payroll_programs[p])));
	json_object_set_new(programs, PRICE_PROGRAM,
			    cell_json(report_cell_at(r, u, m, REPORT_PRICE),
				      payroll_program_label(PRICE_PROGRAM)));
	const struct report_relief_cell *rc = report_relief_at(r, u, m);
	json_object_set_new(programs, "temp_relief",
			    json_pack("{s:s, s:I, s:I}", "label", "临时救助", "person_times",
				      (json_int_t)rc->person_times, "amount_fen",
				      (json_int_t)rc->amount_fen));
	return json_pack("{s:o, s:o}", "programs", programs, "total",
			 cell_json(report_cell_at(r, u, m, REPORT_NPROGRAMS), NULL));
}

static json_t *months_json(const struct report_assistance *r, int u)
{
	json_t *o = json_object();
	for (int m = 0; m < r->nmonths; m++)
		json_object_set_new(o, r->months[m], block_json(r, u, m));
	return o;
}

json_t *report_assistance_json(const struct report_assistance *r)
{
	json_t *o = json_object(), *all = block_json(r, r->nunits, r->nmonths);
	if (!o || !all) {
		json_decref(o);
		json_decref(all);
		return NULL;
	}
	json_object_set_new(o, "from", json_string(r->from));
	json_object_set_new(o, "to", json_string(r->to));
	json_object_set_new(o, "county", r->county[0] ? json_string(r->county) : json_null());
	json_object_set_new(o, "counted_statuses", json_pack("[s]", "paid"));
	json_object_set_new(o, "month_basis", json_string("run"));
	json_object_update(o, all); /* programs, total */
	json_decref(all);
	json_object_set_new(o, "months", months_json(r, r->nunits));
	json_t *counties = json_object();
	for (int u = 0; u < r->nunits; u++) {
		json_t *c = block_json(r, u, r->nmonths);
		json_object_set_new(c, "name", json_string(r->units[u].name));
		json_object_set_new(c, "months", months_json(r, u));
		json_object_set_new(counties, r->units[u].code, c);
	}
	json_object_set_new(o, "counties", counties);
	return o;
}

/* ================================================================ XLSX */

int report_assistance_xlsx(const struct report_assistance *r, char **data, size_t *len,
			   struct err *e)
{
	lxw_workbook *wb;
	char path[64];
	if (payroll_xlsx_begin(&wb, path, e) < 0)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "救助发放统计");
	lxw_format *bold = workbook_add_format(wb), *money = workbook_add_format(wb),
		   *money_bold = workbook_add_format(wb), *int_bold = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_num_format(money, "#,##0.00");
	format_set_num_format(money_bold, "#,##0.00");
	format_set_bold(money_bold);
	format_set_bold(int_bold);
	char title[160];
	snprintf(title, sizeof title, "救助发放统计 %s 至 %s", r->from, r->to);
	worksheet_write_string(ws, 0, 0, title, bold);
	worksheet_write_string(ws, 1, 0,
			       "人数为该期间（或该月）内去重后的人数；金额为已确认发放且未被银行退回的款项，"
			       "按发放批次所属月份统计。合计为低保、特困、孤儿、事实无人抚养儿童；价格临时"
			       "补贴与临时救助（人次，按发放日期）另列，不计入合计。", NULL);
	lxw_row_t row = 3;
	lxw_col_t col = 0;
	const char *fixed[] = {"单位代码", "单位名称", "月份"};
	/* the cells in their index order: the allowances, their total (合计), the price subsidy */
	for (int i = 0; i < 3; i++)
		worksheet_write_string(ws, row, col++, fixed[i], bold);
	for (int p = 0; p <= REPORT_PRICE; p++) {
		const char *name = p < REPORT_NPROGRAMS ? payroll_program_label(payroll_programs[p])
				   : p == REPORT_NPROGRAMS ? "合计"
							   : payroll_program_label(PRICE_PROGRAM);
		char h[96];
		snprintf(h, sizeof h, "%s人数", name);
		worksheet_write_string(ws, row, col++, h, bold);
		snprintf(h, sizeof h, "%s金额（元）", name);
		worksheet_write_string(ws, row, col++, h, bold);
	}
	worksheet_write_string(ws, row, col++, "临时救助人次", bold);
	worksheet_write_string(ws, row, col++, "临时救助金额（元）", bold);
	worksheet_set_column(ws, 0, 0, 10, NULL);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_set_column(ws, 2, 2, 9, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(3 + 2 * (REPORT_PRICE + 2) - 1), 15, NULL);
	row++;
	/* One block per unit, then the whole scope; each month, then 合计 over the range. */
	for (int u = 0; u <= r->nunits; u++) {
		const char *code = u < r->nunits ? r->units[u].code : "";
		const char *name = u < r->nunits ? r->units[u].name : (r->county[0] ? "合计" : "全部");
		for (int m = 0; m <= r->nmonths; m++, row++) {
			int total = m == r->nmonths;
			worksheet_write_string(ws, row, 0, code, total ? bold : NULL);
			worksheet_write_string(ws, row, 1, name, total ? bold : NULL);
			worksheet_write_string(ws, row, 2, total ? "合计" : r->months[m], total ? bold : NULL);
			col = 3;
			for (int p = 0; p <= REPORT_PRICE; p++) {
				const struct report_cell *c = report_cell_at(r, u, m, p);
				worksheet_write_number(ws, row, col++, (double)c->persons,
						       total ? int_bold : NULL);
				/* exact fen ÷ 100 is the nearest double; shown with two decimals */
				worksheet_write_number(ws, row, col++, (double)c->amount_fen / 100.0,
						       total ? money_bold : money);
			}
			const struct report_relief_cell *rc = report_relief_at(r, u, m);
			worksheet_write_number(ws, row, col++, (double)rc->person_times,
					       total ? int_bold : NULL);
			worksheet_write_number(ws, row, col++, (double)rc->amount_fen / 100.0,
					       total ? money_bold : money);
		}
		row++; /* a blank line between blocks */
	}
	return payroll_xlsx_end(wb, path, data, len, e);
}
