/* hotline_rules.c — the pure rules of hotlines and cases (see hotline_rules.h): code lists,
 * workflow transitions, the child-protection scope check, closure checks, due times and the
 * Asia/Shanghai time arithmetic under them. No I/O, no clock.
 *
 * Time arithmetic is done on day numbers (days since 1970-01-01, proleptic Gregorian, Howard
 * Hinnant's civil-from-days algorithm) so it never depends on the machine's TZ or on timegm.
 */
#include "hotline/hotline_rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- code lists ------------------------------------------------------------------------ */

const struct hotline_code hotline_line_kinds[] = {
	{"assistance", "救助热线"},
	{"child_protection", "儿童救助保护热线"},
	{NULL, NULL},
};

const struct hotline_code hotline_urgencies[] = {
	{"emergency", "紧急"},
	{"urgent", "较急"},
	{"normal", "一般"},
	{NULL, NULL},
};

const struct hotline_code hotline_categories[] = {
	{"living", "基本生活困难"},
	{"relief", "临时救助求助"},
	{"epidemic", "疫情防控相关求助"},
	{"elderly", "老年人照料"},
	{"homeless", "流浪乞讨人员"},
	{"child_care", "儿童监护照料"},
	{"disability", "残疾人帮扶"},
	{"policy", "政策咨询"},
	{"complaint", "投诉建议"},
	{"other", "其他"},
	{NULL, NULL},
};

const struct hotline_code hotline_call_outcomes[] = {
	{"advice", "已解答/给予建议"},
	{"case_opened", "已立案"},
	{"referred", "已转介"},
	{"no_action", "无需处理"},
	{NULL, NULL},
};

const struct hotline_code hotline_situations[] = {
	{"confirmed", "监护人确诊"},
	{"suspected", "监护人疑似"},
	{"isolated", "监护人被隔离"},
	{"epidemic_duty", "监护人参与疫情防控工作"},
	{"unable_other", "监护人因其他原因无法照料"},
	{"none", "监护人能够照料"},
	{NULL, NULL},
};

const struct hotline_code hotline_care_arrangements[] = {
	{"none", "无人照料"},
	{"guardian", "监护人照料"},
	{"relatives", "亲属照料"},
	{"foster", "临时家庭寄养"},
	{"institution", "机构临时照料"},
	{"village", "村（居）委会照料"},
	{"other", "其他"},
	{NULL, NULL},
};

const struct hotline_code hotline_placement_kinds[] = {
	{"relatives", "亲属照料"},
	{"foster", "临时家庭寄养"},
	{"institution", "机构临时照料"},
	{"village", "村（居）委会照料"},
	{"other", "其他"},
	{NULL, NULL},
};

const struct hotline_code hotline_referral_targets[] = {
	{"institution", "机构"},
	{"agency", "部门或组织"},
	{NULL, NULL},
};

const struct hotline_code hotline_resource_kinds[] = {
	{"temp_relief", "临时救助"},
	{"goods", "物资"},
	{"service", "服务（心理疏导、医疗、学习辅导等）"},
	{"other", "其他"},
	{NULL, NULL},
};

const struct hotline_code hotline_followup_methods[] = {
	{"home", "入户探访"},
	{"phone", "电话回访"},
	{"video", "视频回访"},
	{"other", "其他"},
	{NULL, NULL},
};

const struct hotline_code hotline_risks[] = {
	{"high", "高"},
	{"medium", "中"},
	{"low", "低"},
	{NULL, NULL},
};

const struct hotline_code hotline_close_outcomes[] = {
	{"guardian_resumed", "监护人恢复监护"},
	{"placed_long_term", "已长期安置"},
	{"referred", "已转介其他部门办理"},
	{"resolved", "问题已解决"},
	{"out_of_scope", "不属于受理范围"},
	{"other", "其他"},
	{NULL, NULL},
};

const struct hotline_code *hotline_code_find(const struct hotline_code *list, const char *code)
{
	if (!code || !*code)
		return NULL;
	for (; list->code; list++)
		if (strcmp(list->code, code) == 0)
			return list;
	return NULL;
}

const char *hotline_code_label(const struct hotline_code *list, const char *code)
{
	const struct hotline_code *c = hotline_code_find(list, code);
	return c ? c->label : "";
}

/* ---- workflow -------------------------------------------------------------------------- */

static const char *const status_names[] = {"intake", "assessed", "active", "closed"};

const char *hotline_status_name(enum hotline_status s)
{
	return (int)s >= 0 && (int)s < 4 ? status_names[s] : NULL;
}

int hotline_status_from_name(const char *z)
{
	for (int i = 0; z && i < 4; i++)
		if (strcmp(status_names[i], z) == 0)
			return i;
	return -1;
}

static const struct {
	const char *name, *label;
} steps[HOTLINE_STEP_MAX + 1] = {
	[HOTLINE_STEP_ASSESS] = {"assess", "评估"},
	[HOTLINE_STEP_PLAN] = {"plan", "制定帮扶计划"},
	[HOTLINE_STEP_PLACE] = {"place", "临时照料安置"},
	[HOTLINE_STEP_PLACE_END] = {"place_end", "结束临时照料"},
	[HOTLINE_STEP_REFER] = {"refer", "转介"},
	[HOTLINE_STEP_REFER_ANSWER] = {"refer_answer", "转介答复"},
	[HOTLINE_STEP_RESOURCE] = {"resource", "链接资源"},
	[HOTLINE_STEP_FOLLOWUP] = {"followup", "跟进回访"},
	[HOTLINE_STEP_ASSIGN] = {"assign", "指定责任人"},
	[HOTLINE_STEP_CLOSE] = {"close", "结案"},
	[HOTLINE_STEP_REOPEN] = {"reopen", "重新开启"},
};

const char *hotline_step_name(enum hotline_step s)
{
	return (int)s >= 1 && (int)s <= HOTLINE_STEP_MAX ? steps[s].name : NULL;
}

const char *hotline_step_label(enum hotline_step s)
{
	return (int)s >= 1 && (int)s <= HOTLINE_STEP_MAX ? steps[s].label : "";
}

enum hotline_step hotline_step_from_name(const char *z)
{
	char norm[32];
	size_t n = z ? strlen(z) : 0;
	if (n == 0 || n >= sizeof norm)
		return 0;
	for (size_t i = 0; i <= n; i++)
		norm[i] = z[i] == '-' ? '_' : z[i];
	for (int i = 1; i <= HOTLINE_STEP_MAX; i++)
		if (strcmp(steps[i].name, norm) == 0)
			return (enum hotline_step)i;
	return 0;
}

int hotline_step_allowed(enum hotline_status from, enum hotline_step step,
			 enum hotline_status *next)
{
	enum hotline_status to = from;
	int ok = 0;
	switch (step) {
	case HOTLINE_STEP_ASSESS:
		ok = from == HOTLINE_INTAKE || from == HOTLINE_ASSESSED || from == HOTLINE_ACTIVE;
		if (from == HOTLINE_INTAKE)
			to = HOTLINE_ASSESSED;
		break;
	case HOTLINE_STEP_PLAN:
		ok = from == HOTLINE_ASSESSED || from == HOTLINE_ACTIVE;
		to = HOTLINE_ACTIVE;
		break;
	case HOTLINE_STEP_PLACE:
	case HOTLINE_STEP_PLACE_END:
	case HOTLINE_STEP_REFER:
	case HOTLINE_STEP_REFER_ANSWER:
	case HOTLINE_STEP_RESOURCE:
	case HOTLINE_STEP_FOLLOWUP:
		ok = from == HOTLINE_ACTIVE;
		break;
	case HOTLINE_STEP_ASSIGN:
		ok = from == HOTLINE_INTAKE || from == HOTLINE_ASSESSED || from == HOTLINE_ACTIVE;
		break;
	case HOTLINE_STEP_CLOSE:
		ok = from == HOTLINE_ASSESSED || from == HOTLINE_ACTIVE;
		to = HOTLINE_CLOSED;
		break;
	case HOTLINE_STEP_REOPEN:
		ok = from == HOTLINE_CLOSED;
		to = HOTLINE_INTAKE;
		break;
	}
	if (ok && next)
		*next = to;
	return ok;
}

const char *hotline_step_refusal(enum hotline_status from, enum hotline_step step)
{
	if (from == HOTLINE_CLOSED && step != HOTLINE_STEP_REOPEN)
		return "个案已结案；如需继续处理，请先重新开启";
	switch (step) {
	case HOTLINE_STEP_PLAN:
		return "请先完成评估，再制定帮扶计划";
	case HOTLINE_STEP_CLOSE:
		return "个案尚未评估，不能结案；请先评估（不属于受理范围的，评估后以“不属于受理范围”结案）";
	case HOTLINE_STEP_REOPEN:
		return "个案未结案，无需重新开启";
	case HOTLINE_STEP_PLACE:
	case HOTLINE_STEP_PLACE_END:
	case HOTLINE_STEP_REFER:
	case HOTLINE_STEP_REFER_ANSWER:
	case HOTLINE_STEP_RESOURCE:
	case HOTLINE_STEP_FOLLOWUP:
		return "请先评估并制定帮扶计划，再开展安置、转介、链接资源和回访";
	default:
		return "当前状态下不能进行此操作";
	}
}

/* ---- scope and checks ------------------------------------------------------------------ */

static int blank(const char *z)
{
	for (; z && *z; z++)
		if (*z != ' ' && *z != '\t' && *z != '\n' && *z != '\r')
			return 0;
	return 1;
}

int hotline_child_in_scope(const char *situation, int age, const char *note, char *why, size_t n)
{
	if (!hotline_code_find(hotline_situations, situation))
		return -1;
	if (age >= 18) {
		snprintf(why, n, "已满 18 周岁（%d 岁），不属于儿童救助保护范围", age);
		return 0;
	}
	if (strcmp(situation, "none") == 0) {
		snprintf(why, n, "监护人能够照料，不属于儿童救助保护范围（可给予建议后结束）");
		return 0;
	}
	if (strcmp(situation, "unable_other") == 0 && blank(note)) {
		snprintf(why, n, "监护人因其他原因无法照料的，须说明原因");
		return 0;
	}
	if (n)
		why[0] = '\0';
	return 1;
}

int hotline_close_check(const char *kind, int has_plan, const char *outcome, int open_placements,
			int pending_referrals, struct err *e)
{
	if (!outcome || !*outcome)
		return err_set(e, 400, "required", "outcome", "请选择结案结果");
	if (!hotline_code_find(hotline_close_outcomes, outcome))
		return err_set(e, 400, "invalid_value", "outcome",
			       "结案结果应为 guardian_resumed、placed_long_term、referred、resolved、"
			       "out_of_scope 或 other");
	if (strcmp(outcome, "guardian_resumed") == 0 &&
	    (!kind || strcmp(kind, "child_protection") != 0))
		return err_set(e, 400, "invalid_value", "outcome",
			       "“监护人恢复监护”只用于儿童救助保护个案");
	if (!has_plan && strcmp(outcome, "out_of_scope") != 0 && strcmp(outcome, "referred") != 0 &&
	    strcmp(outcome, "resolved") != 0)
		return err_set(e, 409, "invalid_step", "outcome",
			       "未制定帮扶计划的个案只能以“不属于受理范围”“已转介”或“问题已解决”结案");
	if (open_placements > 0)
		return err_set(e, 409, "placement_open", NULL,
			       "儿童仍在临时照料中（%d 处安置未结束）；请先结束临时照料（监护人接回或转入长期安置），再结案",
			       open_placements);
	if (pending_referrals > 0)
		return err_set(e, 409, "referral_pending", NULL,
			       "还有 %d 项转介等待对方答复；请先登记接收或拒绝，再结案",
			       pending_referrals);
	return 0;
}

int hotline_plan_check(const char *kind, int in_scope, struct err *e)
{
	if (kind && strcmp(kind, "child_protection") == 0 && in_scope == 0)
		return err_set(e, 409, "out_of_scope", NULL,
			       "评估结论为不属于儿童救助保护范围，不能制定帮扶计划；请以“不属于受理范围”或“已转介”结案");
	return 0;
}

/* ---- time ------------------------------------------------------------------------------ */

#define ZONE_SECONDS (8 * 3600)

static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* n digits at s into *out; 0 or -1. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int parse_date(const char *s, int *y, int *m, int *d)
{
	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, y) < 0 ||
	    digits(s + 5, 2, m) < 0 || digits(s + 8, 2, d) < 0)
		return -1;
	if (*y < 1900 || *y > 2999 || *m < 1 || *m > 12 || *d < 1 || *d > month_days(*y, *m))
		return -1;
	return 0;
}

int hotline_date_valid(const char *s)
{
	int y, m, d;
	return s && strlen(s) == 10 && parse_date(s, &y, &m, &d) == 0;
}

void hotline_date_add(const char *date, int n, char out[11])
{
	int y, m, d;
	if (parse_date(date, &y, &m, &d) < 0) {
		out[0] = '\0';
		return;
	}
	civil_from_days(days_from_civil(y, m, d) + n, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
}

int hotline_age_on(const char *birth_date, const char *today)
{
	int by, bm, bd, ty, tm, td;
	if (parse_date(birth_date, &by, &bm, &bd) < 0 || parse_date(today, &ty, &tm, &td) < 0)
		return -1;
	int age = ty - by - ((tm < bm || (tm == bm && td < bd)) ? 1 : 0);
	return age < 0 ? -1 : age;
}

int hotline_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, hh, mi, ss = 0;
	if (parse_date(s, &y, &mo, &d) < 0)
		return -1;
	const char *p = s + 10;
	if ((*p != 'T' && *p != ' ') || digits(p + 1, 2, &hh) < 0 || p[3] != ':' ||
	    digits(p + 4, 2, &mi) < 0)
		return -1;
	p += 6;
	if (*p == ':') {
		if (digits(p + 1, 2, &ss) < 0)
			return -1;
		p += 3;
	}
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	int64_t offset = ZONE_SECONDS;
	if (*p == 'Z') {
		offset = 0;
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;
		if (digits(p + 1, 2, &oh) < 0 || p[3] != ':' || digits(p + 4, 2, &om) < 0 ||
		    oh > 14 || om > 59)
			return -1;
		offset = (int64_t)(oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
		p += 6;
	}
	if (*p)
		return -1;
	*out = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss - offset;
	return 0;
}

void hotline_time_format(int64_t t, char out[32])
{
	int64_t local = t + ZONE_SECONDS;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t sec = local - days * 86400;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", y % 10000, m % 100, d % 100,
		 (int)(sec / 3600), (int)(sec / 60 % 60), (int)(sec % 60));
}

const char *hotline_response_key(const char *kind, const char *urgency)
{
	static const char *const keys[2][3] = {
		{"hotline_assistance_response_minutes_emergency",
		 "hotline_assistance_response_minutes_urgent",
		 "hotline_assistance_response_minutes_normal"},
		{"hotline_child_response_minutes_emergency", "hotline_child_response_minutes_urgent",
		 "hotline_child_response_minutes_normal"},
	};
	int k = !kind ? -1 : strcmp(kind, "assistance") == 0 ? 0
			 : strcmp(kind, "child_protection") == 0 ? 1
								  : -1;
	int u = !urgency ? -1 : strcmp(urgency, "emergency") == 0 ? 0
			    : strcmp(urgency, "urgent") == 0	  ? 1
			    : strcmp(urgency, "normal") == 0	  ? 2
								  : -1;
	return k < 0 || u < 0 ? NULL : keys[k][u];
}

const char *hotline_followup_key(const char *kind)
{
	if (kind && strcmp(kind, "assistance") == 0)
		return "hotline_assistance_followup_days";
	if (kind && strcmp(kind, "child_protection") == 0)
		return "hotline_child_followup_days";
	return NULL;
}

int hotline_assess_due(const char *opened, int64_t minutes, char out[32])
{
	int64_t t;
	if (minutes < 0 || hotline_time_parse(opened, &t) < 0)
		return -1;
	hotline_time_format(t + minutes * 60, out);
	return 0;
}

int hotline_followup_due(const char *from, int64_t days, char out[11])
{
	char day[11];
	if (days < 1 || days > 3660 || !from || strlen(from) < 10)
		return -1;
	if (strlen(from) == 10) {
		if (!hotline_date_valid(from))
			return -1;
		memcpy(day, from, 11);
	} else {
		int64_t t;
		if (hotline_time_parse(from, &t) < 0)
			return -1;
		char iso[32];
		hotline_time_format(t, iso);
		memcpy(day, iso, 10);
		day[10] = '\0';
	}
	hotline_date_add(day, (int)days, out);
	return 0;
}

int64_t hotline_minutes_between(const char *a, const char *b, int *ok)
{
	int64_t ta, tb;
	if (hotline_time_parse(a, &ta) < 0 || hotline_time_parse(b, &tb) < 0) {
		if (ok)
			*ok = 0;
		return 0;
	}
	if (ok)
		*ok = 1;
	int64_t d = tb - ta;
	return d >= 0 ? d / 60 : -((-d) / 60);
}

int hotline_retention_cutoff(const char *now, int months, char out[32])
{
	int64_t t;
	if (months < 3 || hotline_time_parse(now, &t) < 0)
		return -1;
	char iso[32];
	hotline_time_format(t, iso); /* in the bureau's zone, whatever offset now had */
	int y, m, d;
	parse_date(iso, &y, &m, &d);
	int total = y * 12 + (m - 1) - months;
	y = total / 12;
	m = total % 12 + 1;
	if (d > month_days(y, m))
		d = month_days(y, m);
	snprintf(out, 32, "%04d-%02d-%02d%s", y % 10000, m % 100, d % 100, iso + 10);
	return 0;
}
