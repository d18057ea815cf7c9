/* charity_api.c — the charity module's HTTP routes (docs/charity.md, docs/api.md "Charity"):
 *
 *   GET  /api/v1/charity/appeals[?to=]                  appeals in scope with totals to a date
 *   POST /api/v1/charity/appeals                        a new appeal or staff donation drive
 *   GET  /api/v1/charity/appeals/{id}[?to=]             one appeal with totals and reconciliation
 *   GET  /api/v1/charity/appeals/{id}/donations         donations (donors masked; ?unmask=1)
 *   POST /api/v1/charity/appeals/{id}/donations         a money or goods donation
 *   GET  /api/v1/charity/appeals/{id}/uses              uses
 *   POST /api/v1/charity/appeals/{id}/uses              a use of money or goods
 *   GET  /api/v1/public/charity/appeals[?to=]           (no login) public appeals with totals
 *   GET  /api/v1/public/charity/appeals/{id}[?to=]      (no login) the disclosure of one appeal
 *
 * Handlers only translate; the domain checks permission, scope and the rules. Staff lists
 * export with ?format=xlsx|csv; the public routes answer JSON only (a citizen's page, not an
 * office's list, and nobody to audit the export to). */
#include "charity/charity.h"
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON ----------------------------------------------------------------------------------- */

static json_t *totals_json(const struct charity_totals *t)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:b}", "raised_fen",
			 (json_int_t)t->raised_fen, "used_fen", (json_int_t)t->used_fen,
			 "balance_fen", (json_int_t)t->balance_fen, "goods_value_fen",
			 (json_int_t)t->goods_value_fen, "goods_used_value_fen",
			 (json_int_t)t->goods_used_value_fen, "donations", (json_int_t)t->donations,
			 "money_donations", (json_int_t)t->donors_money, "uses",
			 (json_int_t)t->uses, "goods_donated", (json_int_t)t->goods_donated,
			 "goods_received", (json_int_t)t->goods_received, "goods_reconciled",
			 t->goods_donated == t->goods_received);
}

static json_t *appeal_json(const struct charity_appeal *p, int pub)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id,
			      "name", p->name, "organisation", p->organisation, "region_code",
			      p->region_code, "region_name", p->region_name, "kind", p->kind,
			      "started_on", p->started_on, "purpose", p->purpose);
	if (!o)
		return NULL;
	json_t *t = totals_json(&p->t);
	if (t) {
		/* flat copies for lists and exports */
		json_object_update(o, t);
		json_object_set_new(o, "totals", t);
	}
	if (!pub) {
		json_object_set_new(o, "created_by", json_string(p->created_by));
		json_object_set_new(o, "created_at", json_string(p->created_at));
	}
	return o;
}

static json_t *donation_json(const struct charity_donation *d, int pub)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:b, s:I, s:s, s:s, s:I}", "id",
			      (json_int_t)d->id, "kind", d->kind, "donated_on", d->donated_on,
			      "amount_fen", (json_int_t)d->amount_fen, "donor_kind", d->donor_kind,
			      "donor_name", d->donor_name, "anonymous", d->anonymous, "quantity",
			      (json_int_t)d->quantity, "item_name", d->item_name, "unit", d->unit,
			      "value_fen", (json_int_t)d->value_fen);
	if (!o || pub)
		return o;
	json_object_set_new(o, "appeal_id", json_integer((json_int_t)d->appeal_id));
	json_object_set_new(o, "disclose", json_boolean(d->disclose));
	json_object_set_new(o, "channel", json_string(d->channel));
	json_object_set_new(o, "receipt_no", json_string(d->receipt_no));
	json_object_set_new(o, "item_id", api_json_opt_id(d->item_id));
	json_object_set_new(o, "warehouse_id", api_json_opt_id(d->warehouse_id));
	json_object_set_new(o, "movement_id", api_json_opt_id(d->movement_id));
	json_object_set_new(o, "received", json_integer((json_int_t)d->received));
	json_object_set_new(o, "note", json_string(d->note));
	json_object_set_new(o, "created_by", json_string(d->created_by));
	json_object_set_new(o, "created_at", json_string(d->created_at));
	return o;
}

static json_t *use_json(const struct charity_use *u, int pub)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "id",
			      (json_int_t)u->id, "kind", u->kind, "used_on", u->used_on,
			      "amount_fen", (json_int_t)u->amount_fen, "recipient_kind",
			      u->recipient_kind, "recipient_name", u->recipient_name, "purpose",
			      u->purpose, "evidence", u->evidence, "item_name", u->item_name, "unit",
			      u->unit, "quantity", (json_int_t)u->quantity, "value_fen",
			      (json_int_t)u->value_fen);
	if (!o || pub)
		return o;
	json_object_set_new(o, "appeal_id", json_integer((json_int_t)u->appeal_id));
	json_object_set_new(o, "item_id", api_json_opt_id(u->item_id));
	json_object_set_new(o, "created_by", json_string(u->created_by));
	json_object_set_new(o, "created_at", json_string(u->created_at));
	return o;
}

static int read_to(struct api_req *rq, char to[11], struct err *e)
{
	char buf[16] = "";
	if (api_query_str(rq, "to", buf, sizeof buf, e) < 0)
		return -1;
	if (strlen(buf) > 10)
		return err_set(e, 400, "invalid_value", "to", "截止日期应为 YYYY-MM-DD 格式的有效日期");
	memcpy(to, buf, 11);
	return 0;
}

static int page_query(struct api_req *rq, struct charity_page_query *q, struct err *e)
{
	long limit, offset;
	memset(q, 0, sizeof *q);
	if (api_query_int(rq, "limit", 50, 1, CHARITY_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0 ||
	    api_query_str(rq, "kind", q->kind, sizeof q->kind, e) < 0 ||
	    api_query_str(rq, "from", q->from, sizeof q->from, e) < 0 ||
	    api_query_str(rq, "to", q->to, sizeof q->to, e) < 0)
		return -1;
	q->limit = (int)limit;
	q->offset = offset;
	return 0;
}

/* ---- appeals -------------------------------------------------------------------------------- */

static const struct export_col appeal_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"募捐活动", EXPORT_TEXT, 28, "name", NULL},
	{"组织单位", EXPORT_TEXT, 20, "organisation", NULL},
	{"所在地", EXPORT_TEXT, 12, "region_name", NULL},
	{"类型", EXPORT_TEXT, 12, "kind", "public=面向社会募捐;staff=干部职工捐款"},
	{"开始日期", EXPORT_DATE, 12, "started_on", NULL},
	{"募集资金", EXPORT_MONEY, 16, "raised_fen", NULL},
	{"使用资金", EXPORT_MONEY, 16, "used_fen", NULL},
	{"资金余额", EXPORT_MONEY, 16, "balance_fen", NULL},
	{"捐赠物资折价", EXPORT_MONEY, 14, "goods_value_fen", NULL},
	{"捐赠笔数", EXPORT_INT, 10, "donations", NULL},
	{"使用笔数", EXPORT_INT, 10, "uses", NULL},
};

static int appeals_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec appeals_export = {"charity_appeals", "募捐活动", NULL, 0,
						       EXPORT_COLS(appeal_cols)};

static int appeals_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, appeals_list, &appeals_export, e);
	char to[11];
	struct charity_appeal_list l;
	if (read_to(rq, to, e) < 0 || charity_appeal_list(rq->db, rq->actor, to, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, appeal_json(&l.items[i], 0));
	int n = l.n;
	free(l.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int appeal_reply(struct api_req *rq, struct api_res *rs, int64_t id, int status,
			struct err *e)
{
	char to[11];
	struct charity_appeal *p = malloc(sizeof *p);
	if (!p)
		return err_oom(e);
	int rc = -1;
	if (read_to(rq, to, e) == 0 && charity_appeal_get(rq->db, rq->actor, id, to, p, e) == 0)
		rc = api_reply(rs, status, appeal_json(p, 0), e);
	free(p);
	return rc;
}

static int appeal_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct charity_appeal_in in;
	memset(&in, 0, sizeof in);
	int64_t id = 0;
	int rc = -1;
	if (api_json_str(body, "name", in.name, sizeof in.name, e) >= 0 &&
	    api_json_str(body, "organisation", in.organisation, sizeof in.organisation, e) >= 0 &&
	    api_json_str(body, "region_code", in.region_code, sizeof in.region_code, e) >= 0 &&
	    api_json_str(body, "kind", in.kind, sizeof in.kind, e) >= 0 &&
	    api_json_str(body, "started_on", in.started_on, sizeof in.started_on, e) >= 0 &&
	    api_json_str(body, "purpose", in.purpose, sizeof in.purpose, e) >= 0 &&
	    charity_appeal_create(rq->db, rq->actor, &in, &id, e) == 0)
		rc = appeal_reply(rq, rs, id, 201, e);
	json_decref(body);
	return rc;
}

static int appeal_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return appeal_reply(rq, rs, id, 200, e);
}

/* ---- donations ------------------------------------------------------------------------------ */

static const struct export_col donation_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "donated_on", NULL},
	{"类型", EXPORT_TEXT, 8, "kind", "money=资金;goods=物资"},
	{"捐赠人类型", EXPORT_TEXT, 10, "donor_kind", "person=个人;organisation=单位"},
	{"捐赠人", EXPORT_TEXT, 20, "donor_name", NULL},
	{"匿名", EXPORT_BOOL, 6, "anonymous", NULL},
	{"同意公开", EXPORT_BOOL, 8, "disclose", NULL},
	{"金额", EXPORT_MONEY, 14, "amount_fen", NULL},
	{"渠道", EXPORT_TEXT, 8, "channel", "bank=银行转账;wechat=微信;alipay=支付宝;cash=现金;other=其他"},
	{"收据编号", EXPORT_TEXT, 16, "receipt_no", NULL},
	{"物资", EXPORT_TEXT, 12, "item_name", NULL},
	{"数量", EXPORT_INT, 10, "quantity", NULL},
	{"单位", EXPORT_TEXT, 6, "unit", NULL},
	{"折价", EXPORT_MONEY, 12, "value_fen", NULL},
	{"已入库数量", EXPORT_INT, 10, "received", NULL},
};

static int donations_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec donations_export = {
	"charity_donations", "慈善捐赠", NULL, CHARITY_PAGE_MAX, EXPORT_COLS(donation_cols)};

static int donations_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, donations_list, &donations_export, e);
	int64_t id;
	struct charity_page_query q;
	struct charity_donation_page pg;
	int unmask = api_query_flag(rq, "unmask");
	if (api_param_id(rq, 0, &id, e) < 0 || page_query(rq, &q, e) < 0 ||
	    charity_donation_list(rq->db, rq->actor, id, &q, unmask, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, donation_json(&pg.items[i], 0));
	free(pg.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
			 json_pack("{s:o, s:I, s:i, s:I, s:b}", "items", items, "total",
				   (json_int_t)pg.total, "limit", q.limit, "offset",
				   (json_int_t)q.offset, "unmasked", unmask),
			 e);
}

static int donation_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t appeal, id = 0;
	if (api_param_id(rq, 0, &appeal, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct charity_donation_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in) {
		err_oom(e);
		goto out;
	}
	in->appeal_id = appeal;
	if (api_json_str(body, "kind", in->kind, sizeof in->kind, e) < 0 ||
	    api_json_str(body, "donated_on", in->donated_on, sizeof in->donated_on, e) < 0 ||
	    api_json_int(body, "amount_fen", 0, INT64_C(100000000000), &in->amount_fen, e) < 0 ||
	    api_json_str(body, "donor_kind", in->donor_kind, sizeof in->donor_kind, e) < 0 ||
	    api_json_str(body, "donor_name", in->donor_name, sizeof in->donor_name, e) < 0 ||
	    api_json_bool(body, "anonymous", &in->anonymous, e) < 0 ||
	    api_json_bool(body, "disclose", &in->disclose, e) < 0 ||
	    api_json_str(body, "channel", in->channel, sizeof in->channel, e) < 0 ||
	    api_json_str(body, "receipt_no", in->receipt_no, sizeof in->receipt_no, e) < 0 ||
	    api_json_id(body, "item_id", &in->item_id, e) < 0 ||
	    api_json_int(body, "quantity", 0, 100000000, &in->quantity, e) < 0 ||
	    api_json_int(body, "value_fen", 0, INT64_C(100000000000), &in->value_fen, e) < 0 ||
	    api_json_id(body, "warehouse_id", &in->warehouse_id, e) < 0 ||
	    api_json_str(body, "note", in->note, sizeof in->note, e) < 0)
		goto out;
	if (charity_donation_add(rq->db, rq->actor, in, &id, e) < 0)
		goto out;
	/* the stored record, as a list shows it */
	struct charity_page_query q;
	struct charity_donation_page pg;
	memset(&q, 0, sizeof q);
	q.id = id;
	q.limit = 1;
	if (charity_donation_list(rq->db, rq->actor, appeal, &q, 0, &pg, e) < 0)
		goto out;
	json_t *o = pg.n == 1 ? donation_json(&pg.items[0], 0) : NULL;
	free(pg.items);
	rc = o ? api_reply(rs, 201, o, e) : err_oom(e);
out:
	free(in);
	json_decref(body);
	return rc;
}

/* ---- uses ----------------------------------------------------------------------------------- */

static const struct export_col use_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "used_on", NULL},
	{"类型", EXPORT_TEXT, 8, "kind", "money=资金;goods=物资"},
	{"受助对象类型", EXPORT_TEXT, 10, "recipient_kind", "institution=机构;township=镇街;project=项目"},
	{"受助对象", EXPORT_TEXT, 24, "recipient_name", NULL},
	{"用途", EXPORT_TEXT, 30, "purpose", NULL},
	{"凭证", EXPORT_TEXT, 20, "evidence", NULL},
	{"金额", EXPORT_MONEY, 14, "amount_fen", NULL},
	{"物资", EXPORT_TEXT, 12, "item_name", NULL},
	{"数量", EXPORT_INT, 10, "quantity", NULL},
	{"折价", EXPORT_MONEY, 12, "value_fen", NULL},
};

static int uses_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec uses_export = {"charity_uses", "慈善款物使用", NULL,
						    CHARITY_PAGE_MAX, EXPORT_COLS(use_cols)};

static int uses_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, uses_list, &uses_export, e);
	int64_t id;
	struct charity_page_query q;
	struct charity_use_page pg;
	if (api_param_id(rq, 0, &id, e) < 0 || page_query(rq, &q, e) < 0 ||
	    charity_use_list(rq->db, rq->actor, id, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, use_json(&pg.items[i], 0));
	free(pg.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
			 json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total",
				   (json_int_t)pg.total, "limit", q.limit, "offset",
				   (json_int_t)q.offset),
			 e);
}

static int use_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t appeal, id = 0;
	if (api_param_id(rq, 0, &appeal, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct charity_use_in *in = calloc(1, sizeof *in);
	int rc = -1;
	if (!in) {
		err_oom(e);
		goto out;
	}
	in->appeal_id = appeal;
	if (api_json_str(body, "kind", in->kind, sizeof in->kind, e) < 0 ||
	    api_json_str(body, "used_on", in->used_on, sizeof in->used_on, e) < 0 ||
	    api_json_int(body, "amount_fen", 0, INT64_C(100000000000), &in->amount_fen, e) < 0 ||
	    api_json_str(body, "recipient_kind", in->recipient_kind, sizeof in->recipient_kind,
			 e) < 0 ||
	    api_json_str(body, "recipient_name", in->recipient_name, sizeof in->recipient_name,
			 e) < 0 ||
	    api_json_str(body, "purpose", in->purpose, sizeof in->purpose, e) < 0 ||
	    api_json_str(body, "evidence", in->evidence, sizeof in->evidence, e) < 0 ||
	    api_json_id(body, "item_id", &in->item_id, e) < 0 ||
	    api_json_int(body, "quantity", 0, 100000000, &in->quantity, e) < 0 ||
	    api_json_int(body, "value_fen", 0, INT64_C(100000000000), &in->value_fen, e) < 0)
		goto out;
	if (charity_use_add(rq->db, rq->actor, in, &id, e) == 0)
		rc = appeal_reply(rq, rs, appeal, 201, e);
	if (rc == 0)
		json_object_set_new(rs->body, "use_id", json_integer((json_int_t)id));
out:
	free(in);
	json_decref(body);
	return rc;
}

/* ---- the public disclosure ------------------------------------------------------------------ */

static int pub_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char to[11];
	struct charity_appeal_list l;
	if (read_to(rq, to, e) < 0 || charity_public_list(rq->db, to, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, appeal_json(&l.items[i], 1));
	int n = l.n;
	free(l.items);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200,
			 json_pack("{s:o, s:i, s:o}", "items", items, "total", n, "to",
				   api_json_opt_str(to)),
			 e);
}

static int pub_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char to[11];
	if (api_param_id(rq, 0, &id, e) < 0 || read_to(rq, to, e) < 0)
		return -1;
	struct charity_appeal *p = malloc(sizeof *p);
	struct charity_use_page uses;
	struct charity_donation_page dons;
	if (!p)
		return err_oom(e);
	if (charity_public_get(rq->db, id, to, p, &uses, &dons, e) < 0) {
		free(p);
		return -1;
	}
	json_t *o = appeal_json(p, 1), *u = json_array(), *d = json_array();
	for (int i = 0; u && i < uses.n; i++)
		json_array_append_new(u, use_json(&uses.items[i], 1));
	for (int i = 0; d && i < dons.n; i++)
		json_array_append_new(d, donation_json(&dons.items[i], 1));
	free(uses.items);
	free(dons.items);
	free(p);
	if (!o || !u || !d) {
		json_decref(o);
		json_decref(u);
		json_decref(d);
		return err_oom(e);
	}
	json_object_set_new(o, "uses", u);
	json_object_set_new(o, "donation_list", d);
	json_object_set_new(o, "to", api_json_opt_str(to));
	return api_reply(rs, 200, o, e);
}

#define APPEAL "/api/v1/charity/appeals/{id}"

const struct api_route charity_routes[] = {
    {"GET", "/api/v1/charity/appeals", appeals_list, PERM_CHARITY, 0},
    {"POST", "/api/v1/charity/appeals", appeal_post, PERM_CHARITY, 0},
    {"GET", APPEAL, appeal_get, PERM_LOGIN, 0},
    {"GET", APPEAL "/donations", donations_list, PERM_LOGIN, 0},
    {"POST", APPEAL "/donations", donation_post, PERM_LOGIN, 0},
    {"GET", APPEAL "/uses", uses_list, PERM_LOGIN, 0},
    {"POST", APPEAL "/uses", use_post, PERM_LOGIN, 0},
    {"GET", "/api/v1/public/charity/appeals", pub_list, PERM_PUBLIC, 0},
    {"GET", "/api/v1/public/charity/appeals/{id}", pub_get, PERM_PUBLIC, 0},
    {0},
};
