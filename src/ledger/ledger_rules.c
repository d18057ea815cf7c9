/* ledger_rules.c — the ledger's pure rules: the hardship categories and what brings a person in
 * (registry tags, assistance rolls), the visit frequency of an entry (its most demanding
 * category), due dates and days overdue, visit modes, need kinds and how a need is settled.
 * No I/O: the parameters come in as arguments (ledger_store.c reads them from the policy
 * module), so tests/unit/test_ledger_rules.c checks every rule with figures worked by hand.
 */
#include "ledger/ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- categories ----------------------------------------------------------------------------- */

static const struct ledger_category_def cats[LEDGER_NCAT] = {
    [LEDGER_CAT_ELDERLY_ALONE] = {"elderly_alone", "独居老人", "elderly_alone", NULL,
				  "ledger_visit_days_elderly_alone", 1},
    [LEDGER_CAT_LEFT_BEHIND_ELDERLY] = {"left_behind_elderly", "留守老人", "left_behind_elderly",
					NULL, "ledger_visit_days_left_behind_elderly", 1},
    [LEDGER_CAT_LEFT_BEHIND_CHILD] = {"left_behind_child", "留守儿童", "left_behind_child", NULL,
				      "ledger_visit_days_left_behind_child", 1},
    [LEDGER_CAT_ORPHAN] = {"orphan", "孤儿", "orphan", "orphan", "ledger_visit_days_orphan", 1},
    [LEDGER_CAT_UNSUPPORTED_CHILD] = {"unsupported_child", "事实无人抚养儿童", "unsupported_child",
				      "unsupported_child", "ledger_visit_days_unsupported_child", 1},
    [LEDGER_CAT_CHILD_IN_DIFFICULTY] = {"child_in_difficulty", "困境儿童", "child_in_difficulty",
					NULL, "ledger_visit_days_child_in_difficulty", 1},
    [LEDGER_CAT_SEVERELY_DISABLED] = {"severely_disabled", "重度残疾人", "severely_disabled", NULL,
				      "ledger_visit_days_severely_disabled", 1},
    [LEDGER_CAT_SERIOUSLY_ILL] = {"seriously_ill", "重病患者", "seriously_ill", NULL,
				  "ledger_visit_days_seriously_ill", 1},
    [LEDGER_CAT_COVID_FAMILY] = {"covid_patient_family", "新冠肺炎患者家庭", "covid_patient_family",
				 NULL, "ledger_visit_days_covid_patient_family", 1},
    [LEDGER_CAT_ISOLATED_FAMILY] = {"isolated_family", "隔离家庭", "isolated_family", NULL,
				    "ledger_visit_days_isolated_family", 1},
    [LEDGER_CAT_DIBAO] = {"dibao", "低保对象", NULL, "dibao", "ledger_visit_days_dibao", 0},
    [LEDGER_CAT_TEKUN] = {"tekun", "特困人员", NULL, "tekun", "ledger_visit_days_tekun", 0},
    [LEDGER_CAT_OTHER] = {"other", "其他困难群众", NULL, NULL, "ledger_visit_days_other", 1},
};

const struct ledger_category_def *ledger_category_defs(void)
{
	return cats;
}

int ledger_category_find(const char *code)
{
	for (int i = 0; code && i < LEDGER_NCAT; i++)
		if (strcmp(cats[i].code, code) == 0)
			return i;
	return -1;
}

unsigned ledger_category_for_tag(const char *tag)
{
	for (int i = 0; tag && i < LEDGER_NCAT; i++)
		if (cats[i].tag && strcmp(cats[i].tag, tag) == 0)
			return LEDGER_CAT_BIT(i);
	return 0;
}

unsigned ledger_category_for_program(const char *program)
{
	for (int i = 0; program && i < LEDGER_NCAT; i++)
		if (cats[i].program && strcmp(cats[i].program, program) == 0)
			return LEDGER_CAT_BIT(i);
	return 0;
}

int ledger_categories_parse(const char *const *codes, int n, int manual_only, const char *field,
			    unsigned *mask, struct err *e)
{
	char f[96];
	*mask = 0;
	for (int i = 0; i < n; i++) {
		int c = ledger_category_find(codes[i]);
		snprintf(f, sizeof f, "%s[%d]", field, i);
		if (c < 0)
			return err_set(e, 400, "invalid_value", f, "困难类别无效：%.40s", codes[i] ? codes[i] : "");
		if (manual_only && !cats[c].manual)
			return err_set(e, 400, "invalid_value", f,
				       "%s由救助名册自动认定，不能手工登记", cats[c].label);
		*mask |= LEDGER_CAT_BIT(c);
	}
	return 0;
}

int ledger_frequency(unsigned mask, const int days[LEDGER_NCAT], int *days_out, int *cat_out,
		     struct err *e)
{
	int best = 0, best_cat = -1;
	mask &= LEDGER_CAT_ALL;
	if (!mask)
		return err_set(e, 409, "no_category", "categories", "该对象没有困难类别，无法确定走访频次");
	for (int i = 0; i < LEDGER_NCAT; i++) {
		if (!(mask & LEDGER_CAT_BIT(i)))
			continue;
		if (days[i] <= 0)
			return err_set(e, 404, "policy_missing", NULL,
				       "未设置走访频次参数：%s（%s）", cats[i].label, cats[i].policy_key);
		if (best_cat < 0 || days[i] < best) {
			best = days[i];
			best_cat = i;
		}
	}
	*days_out = best;
	if (cat_out)
		*cat_out = best_cat;
	return 0;
}

/* ---- dates ---------------------------------------------------------------------------------- */

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const long era = (y >= 0 ? y : y - 399) / 400;
	const long yoe = y - era * 400;
	const long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	const long era = (z >= 0 ? z : z - 146096) / 146097;
	const long doe = z - era * 146097;
	const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int ledger_date_valid(const char *z)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (z[i] < '0' || z[i] > '9'))
			return 0;
	int y = atoi(z), m = atoi(z + 5), d = atoi(z + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= (m == 2 && leap ? 29 : dm[m - 1]);
}

static long day_number(const char *z)
{
	return days_from_civil(atoi(z), atoi(z + 5), atoi(z + 8));
}

int ledger_date_add(const char *d, int n, char out[11])
{
	int y, m, dd;
	if (!ledger_date_valid(d))
		return -1;
	civil_from_days(day_number(d) + n, &y, &m, &dd);
	if (y < 1900 || y > 9999)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, dd);
	return 0;
}

int ledger_date_diff(const char *a, const char *b)
{
	return (int)(day_number(a) - day_number(b));
}

void ledger_next_due(const char *joined_on, const char *last_visit_on, int freq_days, char out[11])
{
	const char *base = last_visit_on && *last_visit_on ? last_visit_on : NULL;
	if (!base) {
		snprintf(out, 11, "%s", joined_on ? joined_on : "");
		return;
	}
	if (freq_days <= 0 || ledger_date_add(base, freq_days, out) < 0)
		snprintf(out, 11, "%s", base);
}

int ledger_days_overdue(const char *next_due, const char *as_of)
{
	if (!ledger_date_valid(next_due) || !ledger_date_valid(as_of))
		return 0;
	return ledger_date_diff(as_of, next_due);
}

/* ---- modes and needs ------------------------------------------------------------------------ */

static const struct {
	const char *code, *label;
} modes[] = {
    {"home", "入户走访"}, {"phone", "电话联系"}, {"wechat", "微信视频"},
    {"other", "其他方式"}, {"survey", "摸底登记"},
};

int ledger_mode_valid(const char *mode)
{
	for (size_t i = 0; mode && i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(modes[i].code, mode) == 0)
			return 1;
	return 0;
}

const char *ledger_mode_label(const char *mode)
{
	for (size_t i = 0; mode && i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(modes[i].code, mode) == 0)
			return modes[i].label;
	return "";
}

static const struct {
	const char *code, *label;
} kinds[] = {
    {"food", "生活物资"}, {"medicine", "药品就医"}, {"masks", "口罩防护"},
    {"care", "照料看护"}, {"money", "资金困难"}, {"other", "其他"},
};

int ledger_need_kind_valid(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].code, kind) == 0)
			return 1;
	return 0;
}

const char *ledger_need_kind_label(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].code, kind) == 0)
			return kinds[i].label;
	return "";
}

int ledger_need_resolve_check(const char *from, const char *to, struct err *e)
{
	if (!to || (strcmp(to, "met") != 0 && strcmp(to, "unmet") != 0))
		return err_set(e, 400, "invalid_value", "status",
			       "处理结果应为 met（已解决）或 unmet（无法解决）");
	if (!from || strcmp(from, "open") != 0)
		return err_set(e, 409, "need_closed", "need_id", "该需求已处理（%s），不能再次处理",
			       from && strcmp(from, "met") == 0 ? "已解决" : "无法解决");
	return 0;
}
