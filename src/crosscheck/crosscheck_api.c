/* crosscheck_api.c — the cross-check's HTTP routes (docs/funeral.md, docs/api.md "Death
 * cross-check"):
 *
 *   GET  /api/v1/crosscheck/deaths                        recorded deaths (filters, paging; masked)
 *   GET  /api/v1/crosscheck/overpayments                  payments made after death
 *   GET  /api/v1/crosscheck/overpayments/{id}             one overpayment
 *   POST /api/v1/crosscheck/overpayments/{id}/actions     notify | recover | write_off (reason)
 *   POST /api/v1/crosscheck/scan                          look again for overpayments
 *   GET  /api/v1/crosscheck/report?month=                 the monthly report per unit
 *
 * Handlers only translate JSON ⇄ crosscheck.h, which checks permission, scope and the rules.
 * Lists export as .xlsx / CSV (?format=) through export_list. */
#include "crosscheck/crosscheck.h"
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

static int filter_read(struct api_req *rq, struct crosscheck_filter *f, long *limit, long *offset,
		       struct err *e)
{
	memset(f, 0, sizeof *f);
	if (api_query_int(rq, "limit", 50, 1, CROSSCHECK_PAGE_MAX, limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 30, offset, e) < 0 ||
	    api_query_str(rq, "month", f->month, sizeof f->month, e) < 0 ||
	    api_query_str(rq, "region", f->region, sizeof f->region, e) < 0 ||
	    api_query_str(rq, "status", f->status, sizeof f->status, e) < 0)
		return -1;
	f->limit = (int)*limit;
	f->offset = (int)*offset;
	f->unmask = api_query_flag(rq, "unmask");
	return 0;
}

/* ---- deaths ------------------------------------------------------------------------------- */

static int death_cb(const struct crosscheck_death *d, void *ctx)
{
	json_array_append_new(
	    ctx, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:I, "
			   "s:I}",
			   "id", (json_int_t)d->id, "person_id", (json_int_t)d->person_id, "name",
			   d->name, "id_number", d->id_number, "region_code", d->region_code,
			   "region_name", d->region_name, "unit_code", d->unit_code, "died_on",
			   d->died_on, "source", d->source, "source_ref", d->source_ref,
			   "recorded_at", d->recorded_at, "recorded_by", d->recorded_by, "on_roll",
			   d->on_roll, "overpayments", (json_int_t)d->overpayments, "overpaid_fen",
			   (json_int_t)d->overpaid_fen));
	return 0;
}

static const struct export_col deaths_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"死亡日期", EXPORT_DATE, 12, "died_on", NULL},
	{"来源", EXPORT_TEXT, 10, "source", "funeral=殡仪馆记录;import=部门死亡名单"},
	{"来源说明", EXPORT_TEXT, 14, "source_ref", NULL},
	{"在保对象", EXPORT_BOOL, 8, "on_roll", NULL},
	{"多发笔数", EXPORT_INT, 8, "overpayments", NULL},
	{"多发金额", EXPORT_MONEY, 12, "overpaid_fen", NULL},
};

static int deaths_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec deaths_export = {
	"crosscheck_deaths", "死亡比对名单", NULL, CROSSCHECK_PAGE_MAX, EXPORT_COLS(deaths_cols)};

static int deaths_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, deaths_list, &deaths_export, e);
	struct crosscheck_filter f;
	long limit, offset;
	int64_t total = 0;
	if (filter_read(rq, &f, &limit, &offset, e) < 0)
		return -1;
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (crosscheck_deaths_list(rq->db, rq->actor, &f, death_cb, items, &total, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(rs, 200,
			 json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
				   "limit", (int)limit, "offset", (int)offset),
			 e);
}

/* ---- overpayments ------------------------------------------------------------------------- */

static json_t *over_json(const struct crosscheck_overpayment *o)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:s, s:s, "
			 "s:s, s:s, s:o, s:s, s:s, s:s}",
			 "id", (json_int_t)o->id, "payment_id", (json_int_t)o->payment_id,
			 "person_id", (json_int_t)o->person_id, "case_id", (json_int_t)o->case_id,
			 "name", o->name, "id_number", o->id_number, "program", o->program, "month",
			 o->month, "died_on", o->died_on, "paid_fen", (json_int_t)o->paid_fen,
			 "amount_fen", (json_int_t)o->amount_fen, "recovered_fen",
			 (json_int_t)o->recovered_fen, "region_code", o->region_code, "region_name",
			 o->region_name, "unit_code", o->unit_code, "status", o->status, "reason",
			 api_json_opt_str(o->reason), "found_at", o->found_at, "updated_at",
			 o->updated_at, "updated_by", o->updated_by);
}

static int over_cb(const struct crosscheck_overpayment *o, void *ctx)
{
	json_array_append_new(ctx, over_json(o));
	return 0;
}

static const struct export_col over_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"项目", EXPORT_TEXT, 12, "program",
	 "dibao=低保;tekun=特困;orphan=孤儿;unsupported_child=事实无人抚养儿童;price_subsidy=价格临时补贴"},
	{"发放月份", EXPORT_TEXT, 10, "month", NULL},
	{"死亡日期", EXPORT_DATE, 12, "died_on", NULL},
	{"发放金额", EXPORT_MONEY, 12, "paid_fen", NULL},
	{"多发金额", EXPORT_MONEY, 12, "amount_fen", NULL},
	{"已追回", EXPORT_MONEY, 12, "recovered_fen", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"管理单位", EXPORT_TEXT, 10, "unit_code", NULL},
	{"状态", EXPORT_TEXT, 10, "status",
	 "found=已发现;notified=已通知;recovered=已追回;written_off=已核销"},
	{"核销原因", EXPORT_TEXT, 24, "reason", NULL},
};

static int over_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec over_export = {
	"crosscheck_overpayments", "死亡后多发", NULL, CROSSCHECK_PAGE_MAX, EXPORT_COLS(over_cols)};

static int over_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, over_list, &over_export, e);
	struct crosscheck_filter f;
	long limit, offset;
	int64_t total = 0;
	if (filter_read(rq, &f, &limit, &offset, e) < 0)
		return -1;
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (crosscheck_overpayments_list(rq->db, rq->actor, &f, over_cb, items, &total, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(rs, 200,
			 json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
				   "limit", (int)limit, "offset", (int)offset),
			 e);
}

static int over_reply(struct api_req *rq, struct api_res *rs, int64_t id, struct err *e)
{
	struct crosscheck_overpayment *o = malloc(sizeof *o);
	if (!o)
		return err_oom(e);
	int rc = -1;
	if (crosscheck_overpayment_get(rq->db, rq->actor, id, o, e) == 0)
		rc = api_reply(rs, 200, over_json(o), e);
	free(o);
	return rc;
}

static int over_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return over_reply(rq, rs, id, e);
}

static int over_act(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	char action[24] = "", reason[1024] = "";
	int rc = -1;
	if (api_json_str(body, "action", action, sizeof action, e) < 0 ||
	    api_json_str(body, "reason", reason, sizeof reason, e) < 0)
		goto out;
	/* an absent action is refused by the domain once the record is found (404 first) */
	if (crosscheck_overpayment_act(rq->db, rq->actor, id, action, reason, e) < 0)
		goto out;
	rc = over_reply(rq, rs, id, e);
out:
	json_decref(body);
	return rc;
}

static int scan_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int found = 0;
	if (rq->body_len) {
		json_t *body = api_body_object(rq, e);
		if (!body)
			return -1;
		json_decref(body);
	}
	if (crosscheck_scan(rq->db, rq->actor, &found, e) < 0)
		return -1;
	return api_reply(rs, 200, json_pack("{s:i}", "found", found), e);
}

/* ---- the monthly report ------------------------------------------------------------------- */

static json_t *row_json(const struct crosscheck_report_row *r)
{
	return json_pack("{s:o, s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "unit_code",
			 api_json_opt_str(r->unit_code), "unit_name", r->unit_name, "matched",
			 (json_int_t)r->matched, "stopped", (json_int_t)r->stopped, "overpayments",
			 (json_int_t)r->overpayments, "overpaid_fen", (json_int_t)r->overpaid_fen,
			 "recovered", (json_int_t)r->recovered, "recovered_fen",
			 (json_int_t)r->recovered_fen);
}

static const struct export_col report_cols[] = {
	{"管理单位代码", EXPORT_TEXT, 12, "unit_code", NULL},
	{"管理单位", EXPORT_TEXT, 16, "unit_name", NULL},
	{"比对死亡人数", EXPORT_INT, 12, "matched", NULL},
	{"停发人数", EXPORT_INT, 10, "stopped", NULL},
	{"多发笔数", EXPORT_INT, 10, "overpayments", NULL},
	{"多发金额", EXPORT_MONEY, 12, "overpaid_fen", NULL},
	{"追回笔数", EXPORT_INT, 10, "recovered", NULL},
	{"追回金额", EXPORT_MONEY, 12, "recovered_fen", NULL},
};

static int report_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec report_export = {"crosscheck_report", "死亡比对月报", NULL, 0,
						      EXPORT_COLS(report_cols)};

static int report_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, report_get, &report_export, e);
	char month[16] = "";
	if (api_query_str(rq, "month", month, sizeof month, e) < 0)
		return -1;
	if (!month[0])
		return err_set(e, 400, "required", "month", "请选择月份");
	struct crosscheck_report *r = malloc(sizeof *r);
	if (!r)
		return err_oom(e);
	int rc = -1;
	if (crosscheck_report_month(rq->db, rq->actor, month, r, e) == 0) {
		json_t *items = json_array();
		for (int i = 0; items && i < r->n; i++)
			json_array_append_new(items, row_json(&r->rows[i]));
		rc = items ? api_reply(rs, 200,
				       json_pack("{s:s, s:o, s:o, s:i}", "month", r->month, "items",
						 items, "total_row", row_json(&r->total), "total",
						 r->n),
				       e)
			   : err_oom(e);
	}
	free(r);
	return rc;
}

const struct api_route crosscheck_routes[] = {
	{"GET", "/api/v1/crosscheck/deaths", deaths_list, PERM_CROSSCHECK, 0},
	{"GET", "/api/v1/crosscheck/overpayments", over_list, PERM_CROSSCHECK, 0},
	{"GET", "/api/v1/crosscheck/overpayments/{id}", over_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/crosscheck/overpayments/{id}/actions", over_act, PERM_LOGIN, 0},
	{"POST", "/api/v1/crosscheck/scan", scan_post, PERM_CROSSCHECK, 0},
	{"GET", "/api/v1/crosscheck/report", report_get, PERM_CROSSCHECK, 0},
	{0},
};
