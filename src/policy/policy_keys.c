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
	{"temp_relief_emergency_min_multiple_bp", "bp", 0, 0, 500000, "急难型临时救助最低倍数",
	 "急难型临时救助一次不低于低保月标准 × 此倍数"},
	{"temp_relief_pay_first_days", "days", 0, 1, 10, "先行救助发放时限",
	 "先行救助（现金或实物）须在此天数内发放到位，2 天即 48 小时"},
	{"temp_relief_papers_working_days", "days", 0, 1, 60, "先行救助补办手续时限",
	 "先行救助后须在此个工作日内补齐申请审批材料（节假日不计）"},
	{"temp_relief_decision_working_days", "days", 0, 1, 90, "临时救助审批时限",
	 "一般程序自受理之日起此个工作日内作出审批决定（节假日不计）"},
	/* 督导检查与整改、值班值守 */
	{"rectification_deadline_days", "days", 0, 1, 365, "整改期限（默认）",
	 "督导检查发现的问题未另定期限时，自检查之日起此天数内整改到位"},
	{"rectification_due_soon_days", "days", 0, 0, 60, "整改临期提醒天数",
	 "距整改期限不超过此天数的未完成事项标为“临期”"},
	{"duty_shift_max_days", "days", 0, 1, 3, "值班班次最长天数",
	 "一个值班班次的时长不得超过此天数（1 即 24 小时值班）"},
	/* 价格临时补贴 (src/price/, docs/price-subsidy.md). flag: 1 = yes, 0 = no; code: a choice */
	{"price_linkage_enabled", "flag", 0, 0, 1, "价格补贴联动机制启用",
	 "1 = 该月启用社会救助和保障标准与物价上涨挂钩的联动机制，0 = 未启用"},
	{"price_trigger_cpi_bp", "bp", 0, 0, 350, "启动条件：CPI 同比涨幅",
	 "居民消费价格指数（CPI）同比涨幅达到此值即启动；地方只能降低、不能提高（国家为 3.5%）"},
	{"price_trigger_food_cpi_bp", "bp", 0, 0, 600, "启动条件：食品 CPI 同比涨幅",
	 "食品价格指数同比涨幅达到此值即启动；地方只能降低、不能提高（国家为 6%）"},
	{"price_rise_basis", "code", 0, 0, 2, "补贴依据的涨幅",
	 "0 = 达到启动条件的涨幅中较高者（国家规定），1 = 一律按 CPI 涨幅，2 = 一律按食品 CPI 涨幅"},
	{"price_multiplier_bp", "bp", 0, 10000, 50000, "价格临时补贴提标倍数",
	 "补贴 = 低保标准 × 涨幅 × 此倍数；阶段性提高标准时设定（2020 年 3–6 月为 200%，即翻倍）"},
	{"price_rounding_fen", "fen", 0, 1, 10000, "价格临时补贴取整单位",
	 "按四舍五入取整到此金额的整数倍：1.00 元 = 取整到元，0.10 元 = 保留到角"},
	{"price_min_fen", "fen", 0, 0, 100000, "价格临时补贴最低额", "每人每月补贴不足此数的按此数发放"},
	{"price_due_working_days", "days", 0, 1, 60, "价格临时补贴发放时限",
	 "指数发布后此个工作日内发放到位（节假日不计），逾期未发的列入逾期清单"},
	{"price_rural_on_urban_standard", "flag", 0, 0, 1, "农村居民按城市低保标准计发",
	 "1 = 城乡统一按城市低保标准计算价格临时补贴（城区、功能区常见），0 = 农村居民按农村低保标准"},
	{"price_eligible_dibao", "flag", 0, 0, 1, "补贴对象：低保对象", "1 = 当月在册低保对象享受"},
	{"price_eligible_tekun", "flag", 0, 0, 1, "补贴对象：特困人员", "1 = 当月在册特困人员享受"},
	{"price_eligible_orphan", "flag", 0, 0, 1, "补贴对象：孤儿",
	 "1 = 孤儿（领取孤儿基本生活费或户籍标注孤儿）享受"},
	{"price_eligible_unsupported_child", "flag", 0, 0, 1, "补贴对象：事实无人抚养儿童",
	 "1 = 事实无人抚养儿童享受"},
	{"price_eligible_entitled_veteran", "flag", 0, 0, 1, "补贴对象：抚恤补助优抚对象",
	 "1 = 户籍标注 entitled_veteran 的优抚对象享受"},
	{"price_eligible_unemployment_insurance", "flag", 0, 0, 1, "补贴对象：领取失业保险金人员",
	 "1 = 户籍标注 unemployment_insurance 的人员享受"},
	{"price_eligible_unemployment_assistance", "flag", 0, 0, 1, "补贴对象：领取失业补助金人员",
	 "1 = 户籍标注 unemployment_assistance 的人员享受"},
	/* 特殊困难群众台账: visit frequency by category (the most demanding category of an entry wins) */
	{"ledger_visit_days_elderly_alone", "days", 0, 1, 180, "走访频次：独居老人",
	 "独居老人每隔此天数至少走访探视一次"},
	{"ledger_visit_days_left_behind_elderly", "days", 0, 1, 180, "走访频次：留守老人",
	 "留守老人每隔此天数至少走访探视一次"},
	{"ledger_visit_days_left_behind_child", "days", 0, 1, 180, "走访频次：留守儿童",
	 "留守儿童每隔此天数至少走访探视一次"},
	{"ledger_visit_days_orphan", "days", 0, 1, 180, "走访频次：孤儿", "孤儿每隔此天数至少走访探视一次"},
	{"ledger_visit_days_unsupported_child", "days", 0, 1, 180, "走访频次：事实无人抚养儿童",
	 "事实无人抚养儿童每隔此天数至少走访探视一次"},
	{"ledger_visit_days_child_in_difficulty", "days", 0, 1, 180, "走访频次：困境儿童",
	 "困境儿童每隔此天数至少走访探视一次"},
	{"ledger_visit_days_severely_disabled", "days", 0, 1, 180, "走访频次：重度残疾人",
	 "重度残疾人每隔此天数至少走访探视一次"},
	{"ledger_visit_days_seriously_ill", "days", 0, 1, 180, "走访频次：重病患者",
	 "重病患者每隔此天数至少走访探视一次"},
	{"ledger_visit_days_covid_patient_family", "days", 0, 1, 180, "走访频次：新冠肺炎患者家庭",
	 "确诊、疑似患者家庭每隔此天数至少联系一次"},
	{"ledger_visit_days_isolated_family", "days", 0, 1, 180, "走访频次：隔离家庭",
	 "居家隔离家庭每隔此天数至少联系一次"},
	{"ledger_visit_days_dibao", "days", 0, 1, 180, "走访频次：低保对象",
	 "低保户每隔此天数至少走访探视一次"},
	{"ledger_visit_days_tekun", "days", 0, 1, 180, "走访频次：特困人员",
	 "分散供养特困人员每隔此天数至少走访探视一次"},
	{"ledger_visit_days_other", "days", 0, 1, 180, "走访频次：其他困难群众",
	 "手工登记的其他困难群众每隔此天数至少走访探视一次"},
	/* 机构日报: the daily report's deadline per institution type, minutes after midnight
	 * (Asia/Shanghai) of the report's day: 600 = 10:00; 1440 = by the end of the day */
	{"institution_deadline_elderly_home", "time_of_day", 0, 0, 1440, "日报截止时间：养老机构",
	 "养老机构当日日报（含零报告）须在此时刻前报送，晚于此时刻为迟报"},
	{"institution_deadline_children_welfare_home", "time_of_day", 0, 0, 1440,
	 "日报截止时间：儿童福利机构", "儿童福利院当日日报须在此时刻前报送"},
	{"institution_deadline_rescue_station", "time_of_day", 0, 0, 1440, "日报截止时间：救助管理站",
	 "救助管理站当日日报须在此时刻前报送"},
	{"institution_deadline_funeral_home", "time_of_day", 0, 0, 1440, "日报截止时间：殡仪馆",
	 "殡仪馆当日日报须在此时刻前报送"},
	{"institution_deadline_marriage_office", "time_of_day", 0, 0, 1440, "日报截止时间：婚姻登记处",
	 "婚姻登记机关当日日报须在此时刻前报送"},
	{"institution_deadline_lottery_outlet", "time_of_day", 0, 0, 1440, "日报截止时间：福彩销售站点",
	 "福利彩票销售站点当日日报须在此时刻前报送"},
	{"institution_deadline_other", "time_of_day", 0, 0, 1440, "日报截止时间：其他机构",
	 "其他民政服务机构当日日报须在此时刻前报送"},
	/* 救助站: screening, isolation and stay limits (src/rescue/, docs/rescue.md) */
	{"rescue_fever_tenths_c", "tenths_c", 0, 360, 400, "救助站发热体温标准",
	 "入站测温或隔离观察体温达到或超过此值即为发热：不得收入站内，须送医并报告疫情防控指挥部"},
	{"rescue_isolation_days", "days", 0, 1, 60, "救助站隔离观察期",
	 "来自中高风险地区或健康状况无法核实的受助人员在隔离区观察的天数：计划解除日 = 开始日 + 此天数"},
	{"rescue_max_stay_days", "days", 0, 1, 90, "救助站最长救助期限",
	 "受助人员在站救助一般不超过此天数（正常时期 10 天，疫情防控期间 14 天，按生效月份设定）；经批准可延长"},
	{"rescue_test_valid_hours", "hours", 0, 1, 168, "核酸检测有效时限",
	 "隔离期未满提前离站，须有离站前此小时数内采样的核酸检测阴性结果"},
	{"rescue_family_search_hours", "hours", 0, 1, 168, "寻亲公告时限",
	 "身份不明的受助人员入站后此小时数内须发布寻亲公告"},
	/* 热线与个案 (src/hotline/, docs/hotline.md): response times from a case's opening to its
	 * assessment, per line kind and urgency; follow-up intervals; how long call records are kept */
	{"hotline_assistance_response_minutes_emergency", "minutes", 0, 5, 10080,
	 "救助热线响应时限：紧急", "24 小时救助热线紧急个案自立案起此分钟数内完成评估"},
	{"hotline_assistance_response_minutes_urgent", "minutes", 0, 5, 10080,
	 "救助热线响应时限：较急", "24 小时救助热线较急个案自立案起此分钟数内完成评估"},
	{"hotline_assistance_response_minutes_normal", "minutes", 0, 5, 10080,
	 "救助热线响应时限：一般", "24 小时救助热线一般个案自立案起此分钟数内完成评估"},
	{"hotline_child_response_minutes_emergency", "minutes", 0, 5, 10080,
	 "儿童保护热线响应时限：紧急", "儿童救助保护热线紧急个案自立案起此分钟数内完成评估（到场或联系上儿童）"},
	{"hotline_child_response_minutes_urgent", "minutes", 0, 5, 10080,
	 "儿童保护热线响应时限：较急", "儿童救助保护热线较急个案自立案起此分钟数内完成评估"},
	{"hotline_child_response_minutes_normal", "minutes", 0, 5, 10080,
	 "儿童保护热线响应时限：一般", "儿童救助保护热线一般个案自立案起此分钟数内完成评估"},
	{"hotline_assistance_followup_days", "days", 0, 1, 90, "救助热线个案回访间隔",
	 "救助热线个案制定帮扶计划后每隔此天数至少跟进回访一次"},
	{"hotline_child_followup_days", "days", 0, 1, 90, "儿童保护个案回访间隔",
	 "儿童救助保护个案（含临时照料中的儿童）每隔此天数至少跟进回访一次"},
	{"hotline_call_retention_months", "months", 0, 3, 120, "热线来电记录保存期限",
	 "来电记录至少保存此月数（不少于 3 个月），期满且未立案的记录可以清理"},
	/* 殡葬 (src/funeral/, docs/funeral.md) */
	/* @funeral-keys */
	/* 婚姻登记 (src/marriage/, docs/marriage.md) */
	/* @marriage-keys */
	{"marriage_fever_tenths_c", "tenths_c", 0, 360, 400, "婚姻登记处发热体温标准",
	 "到场测温达到或超过此值即为发热：当日不予办理，劝返就医"},
	/* 物资与慈善 (src/goods/, src/charity/) */
	/* @goods-keys */
	/* 社会组织、干部、文件、福彩 (src/orgs/, src/staff/, src/documents/, src/lottery/) */
	/* @orgs-keys */
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
		{"time_of_day", "时刻"},
		{"tenths_c", "°C"},   {"hours", "小时"},
		{"minutes", "分钟"},
		{"flag", "（1 是，0 否）"}, {"code", "（选项）"},
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
	} else if (strcmp(k->unit, "tenths_c") == 0) {
		/* tenths of a degree Celsius: 373 → "37.3 °C" */
		snprintf(buf, n, "%s%" PRId64 ".%" PRId64 " °C", value < 0 ? "-" : "",
			 (value < 0 ? -value : value) / 10, (value < 0 ? -value : value) % 10);
	} else if (strcmp(k->unit, "time_of_day") == 0) {
		/* minutes after midnight as a clock time: 600 → "10:00", 1440 → "24:00" */
		snprintf(buf, n, "%02" PRId64 ":%02" PRId64, value / 60, value % 60);
	} else {
		snprintf(buf, n, "%" PRId64 " %s", value, policy_unit_label(k->unit));
	}
}
