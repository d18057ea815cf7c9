/* charity_rules.c — the charity module's pure rules (charity.h): the shape of an appeal, a
 * donation and a use; the donor's public name; masking; the running balance. No I/O. */
#include "charity/charity.h"

#include <string.h>

#include "core/text.h"

int charity_rules_date(const char *d)
{
	if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
			return 0;
	int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int m = (d[5] - '0') * 10 + (d[6] - '0'), dd = (d[8] - '0') * 10 + (d[9] - '0');
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1900 || m < 1 || m > 12 || dd < 1)
		return 0;
	return dd <= mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static int one_of(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

#define MAX_FEN INT64_C(100000000000) /* 10 亿元 */

int charity_rules_appeal(const struct charity_appeal_in *in, struct err *e)
{
	static const char *const kinds[] = {"public", "staff", NULL};
	if (text_check(in->name, 40, 1, 0, "name", "募捐活动名称", e) < 0 ||
	    text_check(in->organisation, 40, 1, 0, "organisation", "组织单位", e) < 0 ||
	    text_check(in->purpose, 200, 0, 1, "purpose", "募捐目的", e) < 0)
		return -1;
	if (!in->region_code[0])
		return err_set(e, 400, "required", "region_code", "请选择组织单位所在的市或县（市、区）");
	if (!in->kind[0])
		return err_set(e, 400, "required", "kind", "请选择类型（面向社会募捐或干部职工捐款）");
	if (!one_of(in->kind, kinds))
		return err_set(e, 400, "invalid_value", "kind", "类型应为 public（面向社会）或 staff（干部职工捐款）");
	if (!in->started_on[0])
		return err_set(e, 400, "required", "started_on", "请填写开始日期");
	if (!charity_rules_date(in->started_on))
		return err_set(e, 400, "invalid_value", "started_on", "开始日期应为 YYYY-MM-DD 格式的有效日期");
	return 0;
}

int charity_rules_donation(const struct charity_donation_in *in, struct err *e)
{
	static const char *const kinds[] = {"money", "goods", NULL};
	static const char *const donors[] = {"person", "organisation", NULL};
	static const char *const channels[] = {"bank", "wechat", "alipay", "cash", "other", NULL};
	if (in->appeal_id <= 0)
		return err_set(e, 400, "required", "appeal_id", "请选择募捐活动");
	if (!in->kind[0])
		return err_set(e, 400, "required", "kind", "请选择捐赠类型（资金或物资）");
	if (!one_of(in->kind, kinds))
		return err_set(e, 400, "invalid_value", "kind", "捐赠类型应为 money（资金）或 goods（物资）");
	if (in->donated_on[0] && !charity_rules_date(in->donated_on))
		return err_set(e, 400, "invalid_value", "donated_on", "捐赠日期应为 YYYY-MM-DD 格式的有效日期");
	if (!in->donor_kind[0])
		return err_set(e, 400, "required", "donor_kind", "请选择捐赠人类型（个人或单位）");
	if (!one_of(in->donor_kind, donors))
		return err_set(e, 400, "invalid_value", "donor_kind", "捐赠人类型应为 person（个人）或 organisation（单位）");
	if (!in->anonymous && text_blank(in->donor_name))
		return err_set(e, 400, "required", "donor_name", "请填写捐赠人姓名或单位名称（匿名捐赠请勾选匿名）");
	if (in->anonymous && !text_blank(in->donor_name))
		return err_set(e, 400, "invalid_value", "donor_name", "匿名捐赠不记录捐赠人姓名");
	if (text_check(in->donor_name, 40, 0, 0, "donor_name", "捐赠人", e) < 0 ||
	    text_check(in->receipt_no, 30, 0, 0, "receipt_no", "收据编号", e) < 0 ||
	    text_check(in->note, 200, 0, 1, "note", "备注", e) < 0)
		return -1;
	if (strcmp(in->kind, "money") == 0) {
		if (in->amount_fen <= 0)
			return err_set(e, 400, in->amount_fen == 0 ? "required" : "invalid_value",
				       "amount_fen", "请填写捐款金额（大于 0 的整数分）");
		if (in->amount_fen > MAX_FEN)
			return err_set(e, 400, "invalid_value", "amount_fen", "捐款金额过大");
		if (!in->channel[0])
			return err_set(e, 400, "required", "channel", "请选择捐款渠道");
		if (!one_of(in->channel, channels))
			return err_set(e, 400, "invalid_value", "channel",
				       "捐款渠道应为 bank、wechat、alipay、cash 或 other");
		if (in->item_id || in->quantity || in->warehouse_id || in->value_fen)
			return err_set(e, 400, "invalid_value", "item_id", "资金捐赠不填物资、数量和仓库");
		return 0;
	}
	if (in->item_id <= 0)
		return err_set(e, 400, "required", "item_id", "请选择捐赠的物资");
	if (in->quantity <= 0 || in->quantity > 100000000)
		return err_set(e, 400, in->quantity == 0 ? "required" : "invalid_value", "quantity",
			       "请填写物资数量（正整数）");
	if (in->warehouse_id <= 0)
		return err_set(e, 400, "required", "warehouse_id", "请选择物资入库的仓库");
	if (in->value_fen < 0 || in->value_fen > MAX_FEN)
		return err_set(e, 400, "invalid_value", "value_fen", "折价金额应为非负整数分");
	if (in->amount_fen || in->channel[0])
		return err_set(e, 400, "invalid_value", "amount_fen", "物资捐赠不填金额和渠道（折价填 value_fen）");
	return 0;
}

int charity_rules_use(const struct charity_use_in *in, struct err *e)
{
	static const char *const kinds[] = {"money", "goods", NULL};
	static const char *const recipients[] = {"institution", "township", "project", NULL};
	if (in->appeal_id <= 0)
		return err_set(e, 400, "required", "appeal_id", "请选择募捐活动");
	if (!in->kind[0])
		return err_set(e, 400, "required", "kind", "请选择使用类型（资金或物资）");
	if (!one_of(in->kind, kinds))
		return err_set(e, 400, "invalid_value", "kind", "使用类型应为 money（资金）或 goods（物资）");
	if (in->used_on[0] && !charity_rules_date(in->used_on))
		return err_set(e, 400, "invalid_value", "used_on", "使用日期应为 YYYY-MM-DD 格式的有效日期");
	if (!in->recipient_kind[0])
		return err_set(e, 400, "required", "recipient_kind", "请选择受助对象类型（机构、镇街或项目）");
	if (!one_of(in->recipient_kind, recipients))
		return err_set(e, 400, "invalid_value", "recipient_kind",
			       "受助对象类型应为 institution（机构）、township（镇街）或 project（项目）");
	if (text_check(in->recipient_name, 40, 1, 0, "recipient_name", "受助对象", e) < 0 ||
	    text_check(in->purpose, 200, 1, 1, "purpose", "用途", e) < 0 ||
	    text_check(in->evidence, 200, 1, 1, "evidence", "使用凭证", e) < 0)
		return -1;
	if (strcmp(in->kind, "money") == 0) {
		if (in->amount_fen <= 0 || in->amount_fen > MAX_FEN)
			return err_set(e, 400, in->amount_fen == 0 ? "required" : "invalid_value",
				       "amount_fen", "请填写使用金额（大于 0 的整数分）");
		if (in->item_id || in->quantity || in->value_fen)
			return err_set(e, 400, "invalid_value", "item_id", "资金使用不填物资和数量");
		return 0;
	}
	if (in->item_id <= 0)
		return err_set(e, 400, "required", "item_id", "请选择物资");
	if (in->quantity <= 0 || in->quantity > 100000000)
		return err_set(e, 400, in->quantity == 0 ? "required" : "invalid_value", "quantity",
			       "请填写物资数量（正整数）");
	if (in->value_fen < 0 || in->value_fen > MAX_FEN)
		return err_set(e, 400, "invalid_value", "value_fen", "折价金额应为非负整数分");
	if (in->amount_fen)
		return err_set(e, 400, "invalid_value", "amount_fen", "物资使用不填金额（折价填 value_fen）");
	return 0;
}

void charity_rules_public_name(const char *donor_kind, const char *name, int anonymous,
			       int disclose, char *out, size_t n)
{
	if (anonymous || !name || !*name)
		text_copy(out, n, "匿名");
	else if (strcmp(donor_kind, "organisation") == 0 || disclose)
		text_copy(out, n, name);
	else
		text_copy(out, n, "爱心人士");
}

int64_t charity_rules_min_balance(int64_t base, const int64_t *later, int n)
{
	int64_t min = base, run = base;
	for (int i = 0; i < n; i++) {
		run += later[i];
		if (run < min)
			min = run;
	}
	return min;
}
