/* price_rules.c — the price subsidy's rules, pure (no database, no clock): the eligible
 * groups, whether a month triggers, which rise the amount is based on, and the amount formula
 * with its multiplier, rounding and minimum (see price.h). Every number comes in through
 * struct price_params; nothing here is a rate or a standard.
 *
 * The amount is computed exactly in integers and rounded once:
 *     amount = standard × rise_bp / 10000 × multiplier_bp / 10000     (fen, urban monthly)
 *     amount = standard_year / 12 × rise_bp / 10000 × multiplier_bp / 10000   (rural)
 * i.e. raw_num / raw_den with raw_num = standard × rise × multiplier and raw_den = 10^8 (× 12
 * for a yearly standard); then rounded half up to a multiple of rounding_fen, then raised to
 * min_fen. Worked example (docs/price-subsidy.md): urban 710 yuan, CPI 4.3 % doubled →
 * 71000 × 430 × 20000 / 10^8 = 6106 fen → 6100 (to the yuan); rural 5,400 yuan a year →
 * 540000 × 430 × 20000 / (12 × 10^8) = 3870 fen → 3900.
 */
#include "price/price.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name, *label, *key;
} groups[PRICE_NGROUPS] = {
	{"dibao", "低保对象", "price_eligible_dibao"},
	{"tekun", "特困人员", "price_eligible_tekun"},
	{"orphan", "孤儿", "price_eligible_orphan"},
	{"unsupported_child", "事实无人抚养儿童", "price_eligible_unsupported_child"},
	{"entitled_veteran", "抚恤补助优抚对象", "price_eligible_entitled_veteran"},
	{"unemployment_insurance", "领取失业保险金人员", "price_eligible_unemployment_insurance"},
	{"unemployment_assistance", "领取失业补助金人员", "price_eligible_unemployment_assistance"},
};

const char *price_group_name(int i)
{
	return i >= 0 && i < PRICE_NGROUPS ? groups[i].name : NULL;
}

const char *price_group_label(int i)
{
	return i >= 0 && i < PRICE_NGROUPS ? groups[i].label : NULL;
}

const char *price_group_key(int i)
{
	return i >= 0 && i < PRICE_NGROUPS ? groups[i].key : NULL;
}

void price_groups_text(unsigned g, char *out, size_t n)
{
	size_t o = 0;
	if (!n)
		return;
	out[0] = '\0';
	for (int i = 0; i < PRICE_NGROUPS; i++) {
		if (!(g & (1u << i)))
			continue;
		int w = snprintf(out + o, n - o, "%s%s", o ? "," : "", groups[i].name);
		if (w < 0 || (size_t)w >= n - o) {
			out[o] = '\0'; /* whole names only */
			break;
		}
		o += (size_t)w;
	}
}

static int digits(const char *s, int from, int to)
{
	for (int i = from; i < to; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int price_month_valid(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-' || !digits(m, 0, 4) || !digits(m, 5, 7))
		return 0;
	int year = (m[0] - '0') * 1000 + (m[1] - '0') * 100 + (m[2] - '0') * 10 + (m[3] - '0');
	int mon = (m[5] - '0') * 10 + (m[6] - '0');
	return year >= 1900 && year <= 2999 && mon >= 1 && mon <= 12;
}

int price_date_valid(const char *d)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (!d || strlen(d) != 10 || d[7] != '-' || !digits(d, 8, 10))
		return 0;
	char m[8];
	memcpy(m, d, 7);
	m[7] = '\0';
	if (!price_month_valid(m))
		return 0;
	int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
	int mon = (d[5] - '0') * 10 + (d[6] - '0');
	int day = (d[8] - '0') * 10 + (d[9] - '0');
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	int max = mdays[mon - 1] + (mon == 2 && leap);
	return day >= 1 && day <= max;
}

int price_rules_trigger(const struct price_params *p, int cpi_bp, int food_cpi_bp,
			struct price_trigger *t)
{
	memset(t, 0, sizeof *t);
	t->why = "";
	t->reached_cpi = cpi_bp >= p->trigger_cpi_bp;
	t->reached_food = food_cpi_bp >= p->trigger_food_bp;
	t->reached = t->reached_cpi || t->reached_food;
	t->basis = p->basis;
	if (!t->reached) {
		t->why = "CPI 与食品 CPI 同比涨幅均未达到启动条件";
		return 0;
	}
	if (!p->enabled) {
		t->why = "价格指数已达到启动条件，但该月联动机制未启用";
		return 0;
	}
	switch (p->basis) {
	case PRICE_BASIS_CPI:
		t->rise_bp = cpi_bp;
		break;
	case PRICE_BASIS_FOOD:
		t->rise_bp = food_cpi_bp;
		break;
	default: /* the larger of the rises that reached their trigger */
		if (t->reached_cpi && (!t->reached_food || cpi_bp >= food_cpi_bp)) {
			t->basis = PRICE_BASIS_CPI;
			t->rise_bp = cpi_bp;
		} else {
			t->basis = PRICE_BASIS_FOOD;
			t->rise_bp = food_cpi_bp;
		}
	}
	if (t->rise_bp <= 0) {
		/* e.g. the general CPI as basis while only the food index rose */
		t->why = "作为补贴依据的涨幅不为正数";
		t->rise_bp = 0;
		return 0;
	}
	t->triggered = 1;
	return 1;
}

int64_t price_rules_amount(const struct price_params *p, int urban, int rise_bp,
			   struct price_amount *out)
{
	struct price_amount a;
	memset(&a, 0, sizeof a);
	if (urban || p->rural_on_urban) {
		a.standard_fen = p->standard_urban_month_fen;
		a.per_year = 0;
	} else {
		a.standard_fen = p->standard_rural_year_fen;
		a.per_year = 1;
	}
	if (rise_bp <= 0 || a.standard_fen <= 0 || p->multiplier_bp <= 0) {
		if (out)
			*out = a;
		return 0;
	}
	/* standard ≤ 10^7 fen, rise ≤ 10^4, multiplier ≤ 5·10^4: raw_num ≤ 5·10^15, no overflow */
	a.raw_num = a.standard_fen * (int64_t)rise_bp * (int64_t)p->multiplier_bp;
	a.raw_den = (int64_t)100000000 * (a.per_year ? 12 : 1);
	int64_t r = p->rounding_fen > 0 ? p->rounding_fen : 1;
	int64_t unit = a.raw_den * r; /* one rounding step, in raw units */
	a.rounded_fen = (a.raw_num + unit / 2) / unit * r;
	a.amount_fen = a.rounded_fen;
	if (a.amount_fen < p->min_fen) {
		a.amount_fen = p->min_fen;
		a.minimum_applied = 1;
	}
	if (out)
		*out = a;
	return a.amount_fen;
}
