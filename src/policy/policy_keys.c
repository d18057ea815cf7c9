/* policy_keys.c — the table of policy parameters (see policy.h): every key the programs may look
 * up, its unit, whether urban and rural differ, the allowed range and its Chinese label.
 *
 * A module that needs a new standard or rate adds one line here (the table is the whole list the
 * UI shows and the API accepts) and, when the demo city should have it, a value in
 * policy_store.c's demo table. Ranges are sanity limits against typing errors (an extra zero),
 * not policy: they are wide enough for any city's official notice.
 *
 * Units: fen_month / fen_year / fen — money in fen (分) per month, per year, or once;
 * bp — basis points, 10000 = 100 %; months, years (an age), days.
 */
#include "policy/policy.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define YUAN(y) ((int64_t)(y) * 100)

static const struct policy_key keys[] = {
	/* 低保 */
	{"dibao_standard_urban_month_fen", "fen_month", 0, 1, YUAN(10000), "城市低保标准",
	 "城市低保标准，元/人/月；城镇户按此计算补差"},
	{"dibao_standard_rural_year_fen", "fen_year", 0, 1, YUAN(120000), "农村低保标准",
	 "农村低保标准，元/人/年；农村户按月计算时除以 12"},
	{"dibao_min_payment_fen", "fen_month", 1, 0, YUAN(1000), "低保户月最低补差",
	 "按公式计算的户月补差低于此数时按此数发放，城乡分别设定"},
	{"dibao_uplift_elderly_bp", "bp", 0, 0, 10000, "分类施保加发比例：老年人",
	 "老年成员按低保标准的此比例加发"},
	{"dibao_uplift_severe_disability_bp", "bp", 0, 0, 10000, "分类施保加发比例：重度残疾人",
	 "重度残疾（一、二级）成员按低保标准的此比例加发"},
	{"dibao_uplift_serious_illness_bp", "bp", 0, 0, 10000, "分类施保加发比例：重病患者",
	 "重病成员按低保标准的此比例加发"},
	{"dibao_uplift_minor_bp", "bp", 0, 0, 10000, "分类施保加发比例：未成年人",
	 "未成年成员按低保标准的此比例加发"},
	{"dibao_elderly_age", "years", 0, 50, 100, "分类施保老年人年龄",
	 "年满此周岁的低保成员按老年人加发"},
	{"dibao_phaseout_months", "months", 0, 0, 24, "低保渐退期",
	 "复核发现收入超过标准（因就业等）后继续按原额发放的月数"},
	{"review_stable_months", "months", 0, 1, 36, "复核周期：收入稳定户",
	 "收入来源稳定的低保户每隔此月数复核一次"},
	{"review_irregular_months", "months", 0, 1, 12, "复核周期：收入不固定户",
	 "收入不固定且有劳动能力成员的低保户每隔此月数复核一次"},
	{"notice_days", "days", 0, 7, 30, "公示天数",
	 "审批前在村（居）公示的天数，不少于 7 天"},
	/* 特困 */
	{"tekun_basic_factor_bp", "bp", 0, 10000, 30000, "特困基本生活标准系数",
	 "特困人员基本生活标准 = 当地低保标准 × 此系数，通常不低于 130%"},
	{"tekun_care_centralised_full_year_fen", "fen_year", 0, 0, YUAN(100000),
	 "护理补贴：集中供养·全护理", "集中供养、生活全护理（6 项日常活动中 4 项及以上不能自理），元/人/年"},
	{"tekun_care_centralised_half_year_fen", "fen_year", 0, 0, YUAN(100000),
	 "护理补贴：集中供养·半护理", "集中供养、生活半护理（1 至 3 项不能自理），元/人/年"},
	{"tekun_care_centralised_self_year_fen", "fen_year", 0, 0, YUAN(100000),
	 "护理补贴：集中供养·全自理", "集中供养、生活全自理，元/人/年"},
	{"tekun_care_scattered_full_year_fen", "fen_year", 0, 0, YUAN(100000),
	 "护理补贴：分散供养·全护理", "分散供养、生活全护理，元/人/年"},
	{"tekun_care_scattered_half_year_fen", "fen_year", 0, 0, YUAN(100000),
	 "护理补贴：分散供养·半护理", "分散供养、生活半护理，元/人/年"},
	{"tekun_care_scattered_self_year_fen", "fen_year", 0, 0, YUAN(100000),
	 "护理补贴：分散供养·全自理", "分散供养、生活全自理，元/人/年"},
	/* 儿童 */
	{"orphan_institutional_month_fen", "fen_month", 0, 0, YUAN(10000), "孤儿基本生活费：机构养育",
	 "福利机构集中养育孤儿，元/人/月"},
	{"orphan_scattered_month_fen", "fen_month", 0, 0, YUAN(10000), "孤儿基本生活费：社会散居",
	 "社会散居孤儿，元/人/月"},
	{"unsupported_child_month_fen", "fen_month", 0, 0, YUAN(10000), "事实无人抚养儿童基本生活补贴",
	 "事实无人抚养儿童，元/人/月"},
	/* 临时救助 */
	{"temp_relief_township_limit_fen", "fen", 0, 0, YUAN(100000), "临时救助镇街审批限额",
	 "镇（街道）可审批的单次救助金额上限，超过由县级审批"},
	{"temp_relief_max_multiple_bp", "bp", 0, 10000, 500000, "临时救助上限倍数",
	 "单次临时救助一般不超过低保月标准 × 此倍数，超过须一事一议"},
};

const struct policy_key *policy_keys(int *n)
{
	*n = (int)(sizeof keys / sizeof keys[0]);
	return keys;
}

const struct policy_key *policy_key_find(const char *key)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	return NULL;
}

const char *policy_unit_label(const char *unit)
{
	static const struct {
		const char *unit, *label;
	} labels[] = {
		{"fen_month", "元/月"}, {"fen_year", "元/年"}, {"fen", "元"}, {"bp", "%"},
		{"months", "个月"},     {"years", "岁"},        {"days", "天"},
	};
	for (size_t i = 0; unit && i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].unit, unit) == 0)
			return labels[i].label;
	return "";
}

/* 123456 → "1,234.56" (integer arithmetic only). */
static void format_yuan(int64_t fen, char *buf, size_t n)
{
	char digits[32], grouped[48];
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	snprintf(digits, sizeof digits, "%" PRIu64, a / 100);
	size_t len = strlen(digits), o = 0;
	for (size_t i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[o++] = ',';
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	snprintf(buf, n, "%s%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(a % 100));
}

/* 13000 → "130", 1250 → "12.5", 5 → "0.05" (basis points as a percentage, no trailing zeros). */
static void format_percent(int64_t bp, char *buf, size_t n)
{
	uint64_t a = bp < 0 ? (uint64_t)0 - (uint64_t)bp : (uint64_t)bp;
	unsigned frac = (unsigned)(a % 100);
	if (frac == 0)
		snprintf(buf, n, "%s%" PRIu64, bp < 0 ? "-" : "", a / 100);
	else if (frac % 10 == 0)
		snprintf(buf, n, "%s%" PRIu64 ".%u", bp < 0 ? "-" : "", a / 100, frac / 10);
	else
		snprintf(buf, n, "%s%" PRIu64 ".%02u", bp < 0 ? "-" : "", a / 100, frac);
}

void policy_format_value(const struct policy_key *k, int64_t value, char *buf, size_t n)
{
	char num[48];
	if (!n)
		return;
	if (!k) {
		snprintf(buf, n, "%" PRId64, value);
		return;
	}
	if (strncmp(k->unit, "fen", 3) == 0) {
		format_yuan(value, num, sizeof num);
		snprintf(buf, n, "%s %s", num, policy_unit_label(k->unit));
	} else if (strcmp(k->unit, "bp") == 0) {
		/* a factor or multiple (130 %, 1000 %) reads better with its × beside it */
		format_percent(value, num, sizeof num);
		if (value > 10000) {
			char times[48];
			format_percent(value / 100, times, sizeof times);
			snprintf(buf, n, "%s%%（%s 倍）", num, times);
		} else {
			snprintf(buf, n, "%s%%", num);
		}
	} else {
		snprintf(buf, n, "%" PRId64 " %s", value, policy_unit_label(k->unit));
	}
}
