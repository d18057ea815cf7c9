/* goods_rules.c — the goods module's pure rules (goods.h): the shape of a movement, which
 * region levels hold warehouses, what a back-dated movement may take out, and masking a
 * recipient's name. No I/O. */
#include "goods/goods.h"

#include <string.h>

#include "core/text.h"

static int is_one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

static const char *const kinds[] = {"receive", "transfer", "distribute", "adjust", NULL};
static const char *const sources[] = {"purchase", "donation", "allocation", NULL};
static const char *const recipients[] = {"household", "person", "institution", "outreach", NULL};

static int valid_date(const char *d)
{
	if (strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int m = (d[5] - '0') * 10 + (d[6] - '0'), dd = (d[8] - '0') * 10 + (d[9] - '0');
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || m < 1 || m > 12 || dd < 1)
		return 0;
	int max = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	return dd <= max;
}

int goods_rules_check(const struct goods_move_in *in, struct err *e)
{
	if (!in->kind[0])
		return err_set(e, 400, "required", "kind", "请选择出入库类型");
	if (!is_one_of(in->kind, kinds))
		return err_set(e, 400, "invalid_value", "kind",
			       "出入库类型应为 receive（入库）、transfer（调拨）、distribute（发放）或 "
			       "adjust（盘点调整）");
	if (in->warehouse_id <= 0)
		return err_set(e, 400, "required", "warehouse_id", "请选择仓库");
	if (in->item_id <= 0)
		return err_set(e, 400, "required", "item_id", "请选择物资");
	if (in->date[0] && !valid_date(in->date))
		return err_set(e, 400, "invalid_value", "date", "日期应为 YYYY-MM-DD 格式的有效日期");
	if (in->value_fen < 0)
		return err_set(e, 400, "invalid_value", "value_fen", "折价金额不能为负");
	int adjust = strcmp(in->kind, "adjust") == 0;
	if (in->quantity == 0)
		return err_set(e, 400, "required", "quantity",
			       adjust ? "请填写盘点调整数量（盘盈为正，盘亏为负）" : "请填写数量");
	if (!adjust && in->quantity < 0)
		return err_set(e, 400, "invalid_value", "quantity", "数量应为正整数");
	if (in->quantity > 100000000 || in->quantity < -100000000)
		return err_set(e, 400, "invalid_value", "quantity", "数量过大");
	if (strcmp(in->kind, "receive") == 0) {
		if (!in->source[0])
			return err_set(e, 400, "required", "source", "请选择来源（采购、捐赠或上级调拨）");
		if (!is_one_of(in->source, sources))
			return err_set(e, 400, "invalid_value", "source",
				       "来源应为 purchase（采购）、donation（捐赠）或 allocation（上级调拨）");
		if (strcmp(in->source, "donation") == 0 && in->donation_id <= 0)
			return err_set(e, 400, "invalid_value", "source",
				       "捐赠物资请在慈善募捐中登记捐赠，由捐赠记录入库");
	} else if (in->source[0] || in->donation_id > 0) {
		return err_set(e, 400, "invalid_value", "source", "只有入库才有来源");
	}
	if (strcmp(in->kind, "transfer") == 0) {
		if (in->to_warehouse_id <= 0)
			return err_set(e, 400, "required", "to_warehouse_id", "请选择调入仓库");
		if (in->to_warehouse_id == in->warehouse_id)
			return err_set(e, 400, "invalid_value", "to_warehouse_id",
				       "调入仓库不能与调出仓库相同");
	} else if (in->to_warehouse_id > 0) {
		return err_set(e, 400, "invalid_value", "to_warehouse_id", "只有调拨才有调入仓库");
	}
	int distribute = strcmp(in->kind, "distribute") == 0;
	if (distribute) {
		if (!in->recipient_kind[0])
			return err_set(e, 400, "required", "recipient_kind",
				       "请选择发放对象（家庭、个人、机构或街面巡查）");
		if (!is_one_of(in->recipient_kind, recipients))
			return err_set(e, 400, "invalid_value", "recipient_kind",
				       "发放对象应为 household、person、institution 或 outreach");
		int outreach = strcmp(in->recipient_kind, "outreach") == 0;
		if (!outreach && in->recipient_id <= 0)
			return err_set(e, 400, "required", "recipient_id", "请选择领取物资的家庭、个人或机构");
		if (outreach && in->patrol_id <= 0)
			return err_set(e, 400, "required", "patrol_id", "街面巡查发放请关联巡查记录");
		if (outreach && in->recipient_id > 0)
			return err_set(e, 400, "invalid_value", "recipient_id", "街面巡查发放不填领取人编号");
		if (in->ledger_visit_id > 0 && strcmp(in->recipient_kind, "person") != 0)
			return err_set(e, 400, "invalid_value", "ledger_visit_id",
				       "关联台账走访时，发放对象应为台账中的个人");
		if (strcmp(in->recipient_kind, "institution") == 0 &&
		    (in->relief_grant_id > 0 || in->ledger_visit_id > 0 || in->patrol_id > 0))
			return err_set(e, 400, "invalid_value", "recipient_kind",
				       "发放给机构的物资不关联临时救助、走访或巡查");
	} else if (in->recipient_kind[0] || in->recipient_id > 0 || in->relief_grant_id > 0 ||
		   in->ledger_visit_id > 0 || in->patrol_id > 0) {
		return err_set(e, 400, "invalid_value", "recipient_kind", "只有发放才有领取对象");
	}
	if (adjust && text_blank(in->reason))
		return err_set(e, 400, "required", "reason", "盘点调整请写明原因");
	if (text_check(in->reason, 200, 0, 1, "reason", "原因", e) < 0 ||
	    text_check(in->note, 200, 0, 1, "note", "备注", e) < 0 ||
	    text_check(in->party, 40, 0, 0, "party", "交付单位", e) < 0 ||
	    text_check(in->recipient_name, 40, 0, 0, "recipient_name", "领取人", e) < 0)
		return -1;
	return 0;
}

const char *goods_rules_level(int level)
{
	switch (level) {
	case 2: return "city";
	case 3: return "county";
	case 4: return "township";
	default: return NULL;
	}
}

int64_t goods_rules_available(int64_t base, const int64_t *later, int n)
{
	int64_t min = base, run = base;
	for (int i = 0; i < n; i++) {
		run += later[i];
		if (run < min)
			min = run;
	}
	return min;
}

