/* payroll_api.c — the payroll routes (docs/api.md, "Payroll") and the "payroll.run" job.
 *
 *   POST /api/v1/payroll/runs                {month, unit_code?} → 202, a payroll.run job
 *   GET  /api/v1/payroll/runs?month=&unit=&limit=&offset=          runs the caller may see
 *   GET  /api/v1/payroll/runs/{id}           one run: totals per program + changes vs last month
 *   POST /api/v1/payroll/runs/{id}/confirm   lock a draft
 *   GET  /api/v1/payroll/runs/{id}/bank-file?format=xlsx|csv       the bank file (audited)
 *   POST /api/v1/payroll/returns             a bank return file (CSV body)
 *
 * Computing a run can take seconds for a large unit, so the API never computes on the event
 * loop: POST /runs checks what it can at once (month, unit in scope, not confirmed) and queues a
 * job; the runner thread computes it (payroll_job_run). Account numbers never appear in JSON
 * unmasked: the bank file is the only way out.
 */
#include "payroll/payroll.h"

#include "export/export.h"
#include "jobs/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *program_totals_json(const struct payroll_program_total *t)
{
	json_t *o = json_object();
	for (int i = 0; o && i < PAYROLL_NPROGRAMS; i++)
		json_object_set_new(o, payroll_programs[i],
				    json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "label",
					      payroll_program_label(payroll_programs[i]), "payments",
					      (json_int_t)t[i].n_payments, "persons",
					      (json_int_t)t[i].n_persons, "amount_fen",
					      (json_int_t)t[i].amount_fen, "reissues",
					      (json_int_t)t[i].n_reissues, "reissue_fen",
					      (json_int_t)t[i].reissue_fen));
	return o;
}

static json_t *run_json(const struct payroll_run_info *r)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			      "id", (json_int_t)r->id, "month", r->month, "unit_code", r->unit_code,
			      "unit_name", r->unit_name, "status", r->status, "computations",
			      r->computations, "payments", (json_int_t)r->n_payments, "persons",
			      (json_int_t)r->n_persons, "amount_fen", (json_int_t)r->amount_fen,
			      "reissues", (json_int_t)r->n_reissues, "reissue_fen",
			      (json_int_t)r->reissue_fen, "skipped", (json_int_t)r->n_skipped,
			      "failed", (json_int_t)r->n_failed);
	if (!o)
		return NULL;
	json_object_set_new(o, "total_fen", json_integer((json_int_t)(r->amount_fen + r->reissue_fen)));
	json_object_set_new(o, "created_at", json_string(r->created_at));
	json_object_set_new(o, "created_by", json_string(r->created_by));
	json_object_set_new(o, "computed_at", json_string(r->computed_at));
	json_object_set_new(o, "computed_by", json_string(r->computed_by));
	json_object_set_new(o, "confirmed_at", r->confirmed_at[0] ? json_string(r->confirmed_at) : json_null());
	json_object_set_new(o, "confirmed_by", r->confirmed_by[0] ? json_string(r->confirmed_by) : json_null());
	json_object_set_new(o, "programs", program_totals_json(r->programs));
	return o;
}

static json_t *changes_json(const struct payroll_changes *c)
{
	json_t *programs = json_object(), *items = json_array();
	for (int i = 0; i < PAYROLL_NPROGRAMS; i++)
		json_object_set_new(programs, payroll_programs[i],
				    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "new",
					      (json_int_t)c->n_new[i], "ended", (json_int_t)c->n_ended[i],
					      "changed", (json_int_t)c->n_changed[i], "new_fen",
					      (json_int_t)c->new_fen[i], "ended_fen",
					      (json_int_t)c->ended_fen[i], "changed_delta_fen",
					      (json_int_t)c->changed_delta_fen[i]));
	for (int i = 0; i < c->n_items; i++) {
		const struct payroll_change *x = &c->items[i];
		json_array_append_new(items,
				      json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "kind",
						x->kind, "program", x->program, "case_id",
						(json_int_t)x->case_id, "beneficiary_id",
						(json_int_t)x->beneficiary_id, "region_code",
						x->region_code, "payee_name", x->payee_name,
						"bank_account", x->account_masked, "old_fen",
						(json_int_t)x->old_fen, "new_fen", (json_int_t)x->new_fen));
	}
	return json_pack("{s:s, s:b, s:o, s:o, s:o, s:i}", "previous_month", c->previous_month,
			 "has_previous", c->has_previous, "previous_run_id",
			 c->has_previous ? json_integer((json_int_t)c->previous_run_id) : json_null(),
			 "programs", programs, "items", items, "items_limit", PAYROLL_CHANGES_MAX);
}

/* POST /api/v1/payroll/runs {month, unit_code} */
static int runs_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *month, *unit;
	int rc = -1;
	int64_t run_id = 0;
	struct payroll_run_info run;
	if (api_json_str_ref(body, "month", &month, "", e) < 0 ||
	    api_json_str_ref(body, "unit_code", &unit, "", e) < 0)
		goto out;
	if (!month[0]) {
		err_set(e, 400, "required", "month", "请填写发放月份（YYYY-MM）");
		goto out;
	}
	if (!payroll_month_valid(month)) {
		err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03：%s", month);
		goto out;
	}
	if (unit[0]) { /* refuse at once what the job would refuse */
		int found = payroll_run_find(rq->db, rq->actor, month, unit, &run_id, e);
		if (found < 0)
			goto out;
		if (found && payroll_run_get(rq->db, rq->actor, run_id, &run, e) < 0)
			goto out;
		if (found && strcmp(run.status, "confirmed") == 0) {
			err_set(e, 409, "run_confirmed", "month", "%s %s 的发放已确认，不能重新计算",
				unit, month);
			goto out;
		}
	} else {
		char units[1][16];
		int n;
		if (payroll_units(rq->db, rq->actor, units, 1, &n, e) < 0)
			goto out;
		if (n == 0) {
			err_set(e, 404, "not_found", "unit_code", "您的管辖范围内没有可发放的管理单位");
			goto out;
		}
	}
	/* a job without its unit_code would compute every unit in scope: both or nothing */
	json_t *params = unit[0] ? json_pack("{s:s, s:s}", "month", month, "unit_code", unit)
				 : json_pack("{s:s}", "month", month);
	if (!params) {
		err_oom(e);
		goto out;
	}
	rc = jobs_submit_reply(rq, rs, "payroll.run", params, e);
	json_decref(params);
out:
	json_decref(body);
	return rc;
}

struct list_ctx {
	json_t *items;
	long limit, offset, total;
};

static int list_one(const struct payroll_run_info *r, void *ctx)
{
	struct list_ctx *c = ctx;
	if (c->total >= c->offset && c->total < c->offset + c->limit)
		json_array_append_new(c->items, run_json(r));
	c->total++;
	return 0;
}

/* GET /api/v1/payroll/runs?month=&unit=&limit=&offset= */
static const struct export_col runs_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"月份", EXPORT_TEXT, 10, "month", NULL},
	{"单位代码", EXPORT_TEXT, 14, "unit_code", NULL},
	{"单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"状态", EXPORT_TEXT, 8, "status", "draft=草稿;confirmed=已确认"},
	{"计算次数", EXPORT_INT, 8, "computations", NULL},
	{"发放笔数", EXPORT_INT, 10, "payments", NULL},
	{"人数", EXPORT_INT, 8, "persons", NULL},
	{"金额（元）", EXPORT_MONEY, 14, "amount_fen", NULL},
	{"补发笔数", EXPORT_INT, 8, "reissues", NULL},
	{"补发金额（元）", EXPORT_MONEY, 14, "reissue_fen", NULL},
	{"合计（元）", EXPORT_MONEY, 14, "total_fen", NULL},
	{"跳过", EXPORT_INT, 8, "skipped", NULL},
	{"失败", EXPORT_INT, 8, "failed", NULL},
	{"计算时间", EXPORT_DATETIME, 18, "computed_at", NULL},
	{"计算人", EXPORT_TEXT, 12, "computed_by", NULL},
	{"确认时间", EXPORT_DATETIME, 18, "confirmed_at", NULL},
	{"确认人", EXPORT_TEXT, 12, "confirmed_by", NULL},
};

static int runs_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec runs_list_export = {
	"payroll_runs", "发放批次", NULL, 500, EXPORT_COLS(runs_list_cols)};

static int runs_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, runs_list, &runs_list_export, e);
	char month[16] = "", unit[32] = "";
	struct list_ctx c = {0};
	if (api_query_str(rq, "month", month, sizeof month, e) < 0 ||
	    api_query_str(rq, "unit", unit, sizeof unit, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, 500, &c.limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1000000, &c.offset, e) < 0)
		return -1;
	c.items = json_array();
	if (!c.items)
		return err_oom(e);
	if (payroll_run_list(rq->db, rq->actor, month, unit, list_one, &c, e) < 0) {
		json_decref(c.items);
		return -1;
	}
	rs->body = json_pack("{s:o, s:I, s:I, s:I}", "items", c.items, "total", (json_int_t)c.total,
			     "limit", (json_int_t)c.limit, "offset", (json_int_t)c.offset);
	return rs->body ? 0 : err_oom(e);
}

/* GET /api/v1/payroll/runs/{id} */
static int run_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct payroll_run_info r;
	struct payroll_changes ch;
	if (api_param_id(rq, 0, &id, e) < 0 || payroll_run_get(rq->db, rq->actor, id, &r, e) < 0 ||
	    payroll_run_changes(rq->db, rq->actor, id, &ch, e) < 0)
		return -1;
	json_t *o = run_json(&r);
	if (o)
		json_object_set_new(o, "changes", changes_json(&ch));
	payroll_changes_release(&ch);
	rs->body = o;
	return o ? 0 : err_oom(e);
}

/* POST /api/v1/payroll/runs/{id}/confirm */
static int run_confirm(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct payroll_run_info r;
	if (api_param_id(rq, 0, &id, e) < 0 || payroll_confirm(rq->db, rq->actor, id, e) < 0 ||
	    payroll_run_get(rq->db, rq->actor, id, &r, e) < 0)
		return -1;
	rs->body = run_json(&r);
	return rs->body ? 0 : err_oom(e);
}

/* GET /api/v1/payroll/runs/{id}/bank-file?format=xlsx|csv */
static int run_bank_file(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char format[16] = "xlsx";
	if (api_param_id(rq, 0, &id, e) < 0 ||
	    api_query_str(rq, "format", format, sizeof format, e) < 0)
		return -1;
	enum payroll_file_format f = strcmp(format, "csv") == 0 ? PAYROLL_CSV
				     : strcmp(format, "xlsx") == 0 ? PAYROLL_XLSX
								   : 0;
	/* An unknown format is checked after the run is found, so that a foreign run is a 404
	 * whatever the query says (payroll_bank_file does both in that order). */
	if (payroll_bank_file(rq->db, rq->actor, id, f, &rs->file, &rs->file_len, rs->file_name,
			      e) < 0)
		return -1;
	rs->file_type = f == PAYROLL_CSV ? "text/csv; charset=utf-8"
					 : "application/vnd.openxmlformats-officedocument."
					   "spreadsheetml.sheet";
	return 0;
}

/* POST /api/v1/payroll/returns (CSV body) */
static int returns_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	struct payroll_returns_result r;
	if (payroll_returns_import(rq->db, rq->actor, rq->body, rq->body_len, &r, e) < 0)
		return -1;
	rs->body = json_pack("{s:I, s:I, s:I, s:I}", "lines", (json_int_t)r.lines, "marked",
			     (json_int_t)r.marked, "already", (json_int_t)r.already, "amount_fen",
			     (json_int_t)r.amount_fen);
	return rs->body ? 0 : err_oom(e);
}

const struct api_route payroll_routes[] = {
	{"POST", "/api/v1/payroll/runs", runs_post, PERM_PAYROLL, 0},
	{"GET", "/api/v1/payroll/runs", runs_list, PERM_PAYROLL, 0},
	{"GET", "/api/v1/payroll/runs/{id}", run_get, PERM_PAYROLL, 0},
	{"POST", "/api/v1/payroll/runs/{id}/confirm", run_confirm, PERM_PAYROLL, 0},
	{"GET", "/api/v1/payroll/runs/{id}/bank-file", run_bank_file, PERM_PAYROLL, 0},
	{"POST", "/api/v1/payroll/returns", returns_post, PERM_PAYROLL, 0},
	{0},
};

/* ================================================================ the job */

static json_t *result_json(const struct payroll_run_result *r)
{
	return json_pack("{s:I, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I}", "run_id",
			 (json_int_t)r->run_id, "unit_code", r->unit_code, "month", r->month,
			 "recomputed", r->recomputed, "payments", (json_int_t)r->n_payments,
			 "persons", (json_int_t)r->n_persons, "amount_fen", (json_int_t)r->amount_fen,
			 "reissues", (json_int_t)r->n_reissues, "reissue_fen",
			 (json_int_t)r->reissue_fen, "skipped", (json_int_t)r->n_skipped);
}

struct job_results {
	json_t *runs, *confirmed;
};

static int job_one(const struct payroll_run_result *r, void *ctx)
{
	struct job_results *jr = ctx;
	if (r->confirmed)
		json_array_append_new(jr->confirmed, json_pack("{s:s, s:I}", "unit_code", r->unit_code,
							       "run_id", (json_int_t)r->run_id));
	else
		json_array_append_new(jr->runs, result_json(r));
	return 0;
}

int payroll_job_run(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		    json_t **result, struct err *e)
{
	const char *month = json_string_value(json_object_get(params, "month"));
	const char *unit = json_string_value(json_object_get(params, "unit_code"));
	if (!month || !payroll_month_valid(month))
		return err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM");
	struct job_results jr = {json_array(), json_array()};
	if (!jr.runs || !jr.confirmed) {
		json_decref(jr.runs);
		json_decref(jr.confirmed);
		return err_oom(e);
	}
	/* One transaction (see payroll_run.c): progress is written before and after it. */
	job_progress(jc, 0, 1, unit && unit[0] ? "正在计算本单位的发放" : "正在计算全部单位的发放");
	int rc;
	if (unit && unit[0]) {
		struct payroll_run_result r;
		rc = payroll_run(db, a, month, unit, NULL, &r, e);
		if (rc == 0)
			job_one(&r, &jr);
	} else {
		rc = payroll_run_all(db, a, month, NULL, job_one, &jr, e);
	}
	if (rc < 0) {
		json_decref(jr.runs);
		json_decref(jr.confirmed);
		return -1;
	}
	job_progress(jc, 1, 1, "计算完成");
	*result = json_pack("{s:s, s:o, s:o}", "month", month, "runs", jr.runs, "confirmed",
			    jr.confirmed);
	return *result ? 0 : err_oom(e);
}
