/* price_api.c — the price module's routes (docs/api.md, "Price subsidies") and the
 * "price.generate" job:
 *   GET  /api/v1/price/indices            every month with an index: values, history, the city's
 *                                          trigger decision, due date, figures in scope
 *   POST /api/v1/price/indices            record a month's indices (201)
 *   POST /api/v1/price/generate {month}   generate a month's subsidies: 202, a price.generate job
 *   GET  /api/v1/price/subsidies?month=&unit=&region=&state=&as_of=&limit=&offset=
 *   POST /api/v1/price/accounts           the account of a person outside the assistance rolls
 * Handlers translate JSON ↔ price_store.c, which checks permission and scope. Generation walks
 * the whole city's rolls, so it runs on the job runner, never on an event loop.
 */
#include "price/price.h"

#include "jobs/jobs.h"
#include "payroll/payroll.h"
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *basis_name(int b)
{
	return b == PRICE_BASIS_FOOD ? "food_cpi" : b == PRICE_BASIS_CPI ? "cpi" : "larger";
}

static json_t *index_json(const struct price_index *x)
{
	return json_pack("{s:I, s:s, s:i, s:i, s:s, s:s, s:s, s:s}", "id", (json_int_t)x->id,
			 "month", x->month, "cpi_bp", x->cpi_bp, "food_cpi_bp", x->food_cpi_bp,
			 "published_on", x->published_on, "note", x->note, "set_by", x->set_by,
			 "set_at", x->set_at);
}

static json_t *trigger_json(const struct price_trigger *t)
{
	return json_pack("{s:b, s:b, s:b, s:b, s:s, s:s, s:i}", "reached_cpi", t->reached_cpi,
			 "reached_food", t->reached_food, "reached", t->reached, "triggered",
			 t->triggered, "why", t->why ? t->why : "", "basis",
			 t->triggered ? basis_name(t->basis) : "", "rise_bp", t->rise_bp);
}

static json_t *month_json(const struct price_month *m)
{
	json_t *o = index_json(&m->idx);
	json_t *hist = json_array();
	if (!o || !hist) {
		json_decref(o);
		json_decref(hist);
		return NULL;
	}
	json_object_set_new(o, "index_id", json_integer((json_int_t)m->idx.id));
	json_object_del(o, "id");
	for (int i = 0; i < m->nhistory; i++)
		json_array_append_new(hist, index_json(&m->history[i]));
	json_object_set_new(o, "history", hist);
	json_object_set_new(o, "city", m->city_params_ok ? trigger_json(&m->city) : json_null());
	json_object_set_new(o, "due_on", m->due_on[0] ? json_string(m->due_on) : json_null());
	json_object_set_new(
	    o, "figures",
	    json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "generated",
		      (json_int_t)m->generated, "generated_fen", (json_int_t)m->generated_fen, "paid",
		      (json_int_t)m->paid, "paid_fen", (json_int_t)m->paid_fen, "pending",
		      (json_int_t)m->pending, "failed", (json_int_t)m->failed, "unpaid",
		      (json_int_t)m->unpaid, "no_account", (json_int_t)m->no_account, "late",
		      (json_int_t)m->late, "late_fen", (json_int_t)m->late_fen));
	return o;
}

static const struct export_col indices_get_cols[] = {
	{"月份", EXPORT_TEXT, 10, "month", NULL},
	{"CPI 涨幅（基点）", EXPORT_INT, 14, "cpi_bp", NULL},
	{"食品 CPI 涨幅（基点）", EXPORT_INT, 18, "food_cpi_bp", NULL},
	{"发布日期", EXPORT_DATE, 12, "published_on", NULL},
	{"全市启动", EXPORT_BOOL, 8, "city.triggered", NULL},
	{"应发放日期", EXPORT_DATE, 12, "due_on", NULL},
	{"生成笔数", EXPORT_INT, 8, "figures.generated", NULL},
	{"生成金额（元）", EXPORT_MONEY, 14, "figures.generated_fen", NULL},
	{"已发笔数", EXPORT_INT, 8, "figures.paid", NULL},
	{"已发金额（元）", EXPORT_MONEY, 14, "figures.paid_fen", NULL},
	{"待发", EXPORT_INT, 8, "figures.pending", NULL},
	{"失败", EXPORT_INT, 8, "figures.failed", NULL},
	{"无账户", EXPORT_INT, 8, "figures.no_account", NULL},
	{"逾期笔数", EXPORT_INT, 8, "figures.late", NULL},
	{"备注", EXPORT_TEXT, 24, "note", NULL},
	{"录入人", EXPORT_TEXT, 10, "set_by", NULL},
};

static int indices_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec indices_get_export = {
	"price_indices", "价格指数", NULL, 0, EXPORT_COLS(indices_get_cols)};

/* GET /api/v1/price/indices */
static int indices_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, indices_get, &indices_get_export, e);
	struct price_month *m;
	int n;
	if (price_months(rq->db, rq->actor, &m, &n, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < n; i++) {
		json_t *o = month_json(&m[i]);
		if (!o || json_array_append_new(items, o) < 0) {
			json_decref(items);
			items = NULL;
		}
	}
	price_months_release(m, n);
	if (!items)
		return err_oom(e);
	rs->body = json_pack("{s:o, s:i}", "items", items, "total", n);
	return rs->body ? 0 : err_oom(e);
}

/* An integer member (required). */
static int body_int(json_t *body, const char *name, const char *what, int64_t *out, struct err *e)
{
	json_t *v = json_object_get(body, name);
	if (!v || json_is_null(v))
		return err_set(e, 400, "required", name, "请填写%s", what);
	if (!json_is_integer(v))
		return err_set(e, 400, "invalid_value", name, "%s应为整数（基点，5.4%% = 540）", what);
	*out = (int64_t)json_integer_value(v);
	return 0;
}

/* POST /api/v1/price/indices {month, cpi_bp, food_cpi_bp, published_on, note} */
static int indices_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *month, *published, *note;
	int64_t cpi, food, id;
	struct price_index x;
	int rc = -1;
	if (api_json_str_ref(body, "month", &month, "", e) < 0 ||
	    api_json_str_ref(body, "published_on", &published, "", e) < 0 ||
	    api_json_str_ref(body, "note", &note, "", e) < 0)
		goto out;
	if (!month[0]) {
		err_set(e, 400, "required", "month", "请填写指数所属月份（YYYY-MM）");
		goto out;
	}
	if (body_int(body, "cpi_bp", "CPI 同比涨幅", &cpi, e) < 0 ||
	    body_int(body, "food_cpi_bp", "食品 CPI 同比涨幅", &food, e) < 0)
		goto out;
	if (cpi < -5000 || cpi > 10000 || food < -5000 || food > 10000) {
		err_set(e, 400, "invalid_value", cpi < -5000 || cpi > 10000 ? "cpi_bp" : "food_cpi_bp",
			"同比涨幅应在 -50%% 至 100%% 之间（基点：-5000 至 10000）");
		goto out;
	}
	if (price_index_set(rq->db, rq->actor, month, (int)cpi, (int)food, published, note, &id, e) < 0)
		goto out;
	int found = price_index_get(rq->db, month, &x, e);
	if (found <= 0) {
		if (found == 0)
			err_set(e, 500, "internal", NULL, "刚录入的指数读不到");
		goto out;
	}
	rs->status = 201;
	rs->body = index_json(&x);
	rc = rs->body ? 0 : err_oom(e);
out:
	json_decref(body);
	return rc;
}

/* POST /api/v1/price/generate {month} → 202 job */
static int generate_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *month;
	struct price_index x;
	int rc = -1;
	char units[1][16];
	int n;
	if (api_json_str_ref(body, "month", &month, "", e) < 0)
		goto out;
	if (!month[0]) {
		err_set(e, 400, "required", "month", "请填写补贴所属月份（YYYY-MM）");
		goto out;
	}
	if (!price_month_valid(month)) {
		err_set(e, 400, "invalid_value", "month", "月份应为 YYYY-MM，如 2020-03：%.16s", month);
		goto out;
	}
	/* refuse at once what the job would refuse */
	int found = price_index_get(rq->db, month, &x, e);
	if (found < 0)
		goto out;
	if (!found) {
		err_set(e, 404, "index_missing", "month", "%s 的价格指数尚未录入", month);
		goto out;
	}
	if (payroll_units(rq->db, rq->actor, units, 1, &n, e) < 0)
		goto out;
	if (n == 0) {
		err_set(e, 404, "not_found", NULL, "您的管辖范围内没有可发放的管理单位");
		goto out;
	}
	json_t *params = json_pack("{s:s}", "month", month);
	if (!params) {
		err_oom(e);
		goto out;
	}
	rc = jobs_submit_reply(rq, rs, "price.generate", params, e);
	json_decref(params);
out:
	json_decref(body);
	return rc;
}

static json_t *groups_json(const char *text)
{
	json_t *a = json_array();
	char buf[96];
	snprintf(buf, sizeof buf, "%s", text);
	for (char *p = buf; a && *p;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		json_array_append_new(a, json_string(p));
		if (!comma)
			break;
		p = comma + 1;
	}
	return a;
}

static json_t *subsidy_json(const struct price_subsidy *s)
{
	json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:i, "
			      "s:i, s:I, s:s, s:I, s:I, s:I, s:s}",
			      "id", (json_int_t)s->id, "month", s->month, "person_id",
			      (json_int_t)s->person_id, "household_id", (json_int_t)s->household_id,
			      "name", s->name, "id_number", s->id_number_masked, "region_code",
			      s->region_code, "region_name", s->region_name, "unit_code", s->unit_code,
			      "residence_type", s->residence_type, "groups", groups_json(s->groups),
			      "basis", s->basis, "rise_bp", s->rise_bp, "multiplier_bp",
			      s->multiplier_bp, "standard_fen", (json_int_t)s->standard_fen,
			      "standard_per", s->per_year ? "year" : "month", "rounding_fen",
			      (json_int_t)s->rounding_fen, "min_fen", (json_int_t)s->min_fen,
			      "amount_fen", (json_int_t)s->amount_fen, "due_on", s->due_on);
	if (!o)
		return NULL;
	json_object_set_new(o, "state", json_string(s->state));
	json_object_set_new(o, "has_account", json_boolean(s->has_account));
	json_object_set_new(o, "payment_id", s->payment_id ? json_integer((json_int_t)s->payment_id) : json_null());
	json_object_set_new(o, "paid_month", s->paid_month[0] ? json_string(s->paid_month) : json_null());
	json_object_set_new(o, "paid_on", s->paid_on[0] ? json_string(s->paid_on) : json_null());
	json_object_set_new(o, "late", json_boolean(s->late));
	json_object_set_new(o, "paid_late", json_boolean(s->paid_late));
	return o;
}

static const struct export_col subsidies_get_cols[] = {
	{"月份", EXPORT_TEXT, 8, "month", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"村居", EXPORT_TEXT, 16, "region_name", NULL},
	{"户籍类型", EXPORT_TEXT, 8, "residence_type", "urban=城镇;rural=农村"},
	{"补贴金额（元）", EXPORT_MONEY, 14, "amount_fen", NULL},
	{"应发日期", EXPORT_DATE, 12, "due_on", NULL},
	{"状态", EXPORT_TEXT, 10, "state", "unpaid=未发放;pending=待确认;paid=已发放;failed=银行退回"},
	{"已有账户", EXPORT_BOOL, 8, "has_account", NULL},
	{"发放月份", EXPORT_TEXT, 10, "paid_month", NULL},
	{"发放日期", EXPORT_DATE, 12, "paid_on", NULL},
	{"逾期", EXPORT_BOOL, 6, "late", NULL},
};

static int subsidies_get(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec subsidies_get_export = {
	"price_subsidies", "价格临时补贴", NULL, 500, EXPORT_COLS(subsidies_get_cols)};

/* GET /api/v1/price/subsidies?month=&unit=&region=&state=&as_of=&limit=&offset= */
static int subsidies_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, subsidies_get, &subsidies_get_export, e);
	struct price_subsidy_query q;
	struct price_subsidy_page page;
	long limit, offset;
	memset(&q, 0, sizeof q);
	if (api_query_str(rq, "month", q.month, sizeof q.month, e) < 0 ||
	    api_query_str(rq, "unit", q.unit, sizeof q.unit, e) < 0 ||
	    api_query_str(rq, "region", q.region, sizeof q.region, e) < 0 ||
	    api_query_str(rq, "state", q.state, sizeof q.state, e) < 0 ||
	    api_query_str(rq, "as_of", q.as_of, sizeof q.as_of, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, 500, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 100000000, &offset, e) < 0)
		return -1;
	q.limit = (int)limit;
	q.offset = offset;
	if (price_subsidies(rq->db, rq->actor, &q, &page, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < page.n; i++) {
		json_t *o = subsidy_json(&page.items[i]);
		if (!o || json_array_append_new(items, o) < 0) {
			json_decref(items);
			items = NULL;
		}
	}
	free(page.items);
	if (!items)
		return err_oom(e);
	rs->body = json_pack("{s:o, s:I, s:I, s:i, s:I}", "items", items, "total",
			     (json_int_t)page.total, "total_fen", (json_int_t)page.total_fen, "limit",
			     q.limit, "offset", (json_int_t)q.offset);
	return rs->body ? 0 : err_oom(e);
}

/* POST /api/v1/price/accounts {person_id, payee_name, bank_name, bank_account} */
static int accounts_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *payee, *bank, *account;
	int rc = -1;
	json_t *pid = json_object_get(body, "person_id");
	if (api_json_str_ref(body, "payee_name", &payee, "", e) < 0 ||
	    api_json_str_ref(body, "bank_name", &bank, "", e) < 0 ||
	    api_json_str_ref(body, "bank_account", &account, "", e) < 0)
		goto out;
	if (!pid || json_is_null(pid)) {
		err_set(e, 400, "required", "person_id", "请选择人员");
		goto out;
	}
	if (!json_is_integer(pid) || json_integer_value(pid) <= 0) {
		err_set(e, 400, "invalid_value", "person_id", "person_id 应为正整数");
		goto out;
	}
	int64_t id = (int64_t)json_integer_value(pid);
	if (price_account_set(rq->db, rq->actor, id, payee, bank, account, e) < 0)
		goto out;
	char masked[48], digits[40];
	size_t n = 0;
	for (const char *p = account; *p && n + 1 < sizeof digits; p++)
		if (*p != ' ')
			digits[n++] = *p;
	digits[n] = '\0';
	payroll_mask_account(digits, masked);
	rs->body = json_pack("{s:I, s:s, s:s}", "person_id", (json_int_t)id, "bank_name", bank,
			     "bank_account", masked);
	rc = rs->body ? 0 : err_oom(e);
out:
	json_decref(body);
	return rc;
}

const struct api_route price_routes[] = {
	{"GET", "/api/v1/price/indices", indices_get, PERM_POLICY_READ, 0},
	{"POST", "/api/v1/price/indices", indices_post, PERM_POLICY_WRITE, 0},
	{"POST", "/api/v1/price/generate", generate_post, PERM_PAYROLL, 0},
	{"GET", "/api/v1/price/subsidies", subsidies_get, PERM_ASSISTANCE_READ, 0},
	{"POST", "/api/v1/price/accounts", accounts_post, PERM_ASSISTANCE_WRITE, 0},
	{0},
};

/* ================================================================ the job */

static void job_progress_fn(void *ctx, int64_t done)
{
	job_progress(ctx, done, 0, "正在生成");
}

int price_job_generate(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		       json_t **result, struct err *e)
{
	const char *month = json_string_value(json_object_get(params, "month"));
	struct price_generate_result *r = malloc(sizeof *r);
	if (!r)
		return err_oom(e);
	job_progress(jc, 0, 1, "正在生成价格临时补贴");
	if (price_generate(db, a, month ? month : "", job_progress_fn, jc, r, e) < 0) {
		free(r);
		return -1;
	}
	job_progress(jc, 1, 1, "生成完成");
	*result = price_generate_json(r);
	free(r);
	return *result ? 0 : err_oom(e);
}
