/* test_price_rules.c — the price subsidy's rules, pure (src/price/price_rules.c): the trigger
 * (CPI ≥ 3.5 % or food CPI ≥ 6 %, the mechanism in force), which rise the amount is based on,
 * and the amount month by month — standard × rise × multiplier, rounded half up, at least the
 * minimum — including the 2020 doubling (March–June) and the jiao rounding of a unit.
 *
 * Expected values are computed by hand beside each case. Indices: the national year-on-year
 * figures of 2020 (DOMAIN.md gives January–April; May–July are the published ones as well:
 * CPI 2.4 / 2.5 / 2.7 %, food 10.6 / 11.1 / 13.2 %). Standards: urban 710 yuan a month, rural
 * 5,400 yuan a year (450 a month). */
#include "unit.h"

#include "price/price.h"

/* The demo city's parameters in force in a month of 2020: the mechanism from March, doubled
 * March–June, the general CPI as the basis, to the yuan, at least 10 yuan. */
static struct price_params city(const char *month)
{
	struct price_params p = {
		.enabled = strcmp(month, "2020-03") >= 0,
		.trigger_cpi_bp = 350,
		.trigger_food_bp = 600,
		.basis = PRICE_BASIS_CPI,
		.multiplier_bp = strcmp(month, "2020-03") >= 0 && strcmp(month, "2020-06") <= 0 ? 20000
											       : 10000,
		.rounding_fen = 100,
		.min_fen = 1000,
		.due_working_days = 20,
		.groups = PRICE_G_DIBAO | PRICE_G_TEKUN,
		.standard_urban_month_fen = 71000,
		.standard_rural_year_fen = 540000,
	};
	return p;
}

static const struct {
	const char *month;
	int cpi, food;
	int triggered;
	int64_t urban_fen, rural_fen;
} months[] = {
	/* reached, but the mechanism is not in force before March: nothing */
	{"2020-01", 540, 2060, 0, 0, 0},
	{"2020-02", 520, 2190, 0, 0, 0},
	/* 710 × 4.3 % × 2 = 61.06 → 61; 450 × 8.6 % = 38.70 → 39 */
	{"2020-03", 430, 1830, 1, 6100, 3900},
	/* CPI 3.3 % is below 3.5 %, food 14.8 % triggers; the basis stays the CPI:
	 * 710 × 6.6 % = 46.86 → 47; 450 × 6.6 % = 29.70 → 30 */
	{"2020-04", 330, 1480, 1, 4700, 3000},
	/* 710 × 4.8 % = 34.08 → 34; 450 × 4.8 % = 21.60 → 22 */
	{"2020-05", 240, 1060, 1, 3400, 2200},
	/* 710 × 5.0 % = 35.50 → 36 (half up); 450 × 5.0 % = 22.50 → 23 */
	{"2020-06", 250, 1110, 1, 3600, 2300},
	/* the doubling is over: 710 × 2.7 % = 19.17 → 19; 450 × 2.7 % = 12.15 → 12 */
	{"2020-07", 270, 1320, 1, 1900, 1200},
};

TEST(formula_month_by_month_through_2020_including_the_doubling)
{
	for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
		struct price_params p = city(months[i].month);
		struct price_trigger t;
		int trig = price_rules_trigger(&p, months[i].cpi, months[i].food, &t);
		if (trig != months[i].triggered)
			fprintf(stderr, "  month %s\n", months[i].month);
		CHECK_EQ_INT(trig, months[i].triggered);
		CHECK_EQ_INT(t.reached, 1);
		int64_t u = trig ? price_rules_amount(&p, 1, t.rise_bp, NULL) : 0;
		int64_t r = trig ? price_rules_amount(&p, 0, t.rise_bp, NULL) : 0;
		if (u != months[i].urban_fen || r != months[i].rural_fen)
			fprintf(stderr, "  month %s\n", months[i].month);
		CHECK_EQ_INT(u, months[i].urban_fen);
		CHECK_EQ_INT(r, months[i].rural_fen);
	}
}

TEST(the_trigger_is_at_or_above_the_threshold_and_needs_the_mechanism)
{
	struct price_params p = city("2020-03");
	struct price_trigger t;
	CHECK_EQ_INT(price_rules_trigger(&p, 350, 0, &t), 1); /* exactly 3.5 % */
	CHECK_EQ_INT(t.reached_cpi, 1);
	CHECK_EQ_INT(t.rise_bp, 350);
	CHECK_EQ_INT(price_rules_trigger(&p, 349, 599, &t), 0); /* 3.49 % and 5.99 % */
	CHECK_EQ_INT(t.reached, 0);
	CHECK_EQ_INT(t.rise_bp, 0);
	CHECK(strstr(t.why, "未达到") != NULL);
	CHECK_EQ_INT(price_rules_trigger(&p, 100, 600, &t), 1); /* food exactly 6 % */
	CHECK_EQ_INT(t.reached_food, 1);
	CHECK_EQ_INT(t.basis, PRICE_BASIS_CPI);
	CHECK_EQ_INT(t.rise_bp, 100);
	p.enabled = 0;
	CHECK_EQ_INT(price_rules_trigger(&p, 540, 2060, &t), 0);
	CHECK_EQ_INT(t.reached, 1);
	CHECK_EQ_INT(t.triggered, 0);
	CHECK(strstr(t.why, "未启用") != NULL);
	/* a lower local trigger (never higher): 3 % */
	p = city("2020-03");
	p.trigger_cpi_bp = 300;
	CHECK_EQ_INT(price_rules_trigger(&p, 330, 500, &t), 1);
	CHECK_EQ_INT(t.reached_cpi, 1);
	CHECK_EQ_INT(t.reached_food, 0);
}

TEST(the_national_basis_is_the_larger_of_the_rises_that_reached_their_trigger)
{
	struct price_params p = city("2020-03");
	struct price_trigger t;
	p.basis = PRICE_BASIS_LARGER;
	/* March 2020: both reach; food 18.3 % is larger → 710 × 36.6 % = 259.86 → 260 */
	CHECK_EQ_INT(price_rules_trigger(&p, 430, 1830, &t), 1);
	CHECK_EQ_INT(t.basis, PRICE_BASIS_FOOD);
	CHECK_EQ_INT(t.rise_bp, 1830);
	CHECK_EQ_INT(price_rules_amount(&p, 1, t.rise_bp, NULL), 26000);
	/* only the CPI reaches: 4.0 % even though food is 5.9 % (below its trigger) */
	CHECK_EQ_INT(price_rules_trigger(&p, 400, 590, &t), 1);
	CHECK_EQ_INT(t.basis, PRICE_BASIS_CPI);
	CHECK_EQ_INT(t.rise_bp, 400);
	/* only food reaches: 6.5 %, although the CPI 3.4 % is below its trigger */
	CHECK_EQ_INT(price_rules_trigger(&p, 340, 650, &t), 1);
	CHECK_EQ_INT(t.basis, PRICE_BASIS_FOOD);
	CHECK_EQ_INT(t.rise_bp, 650);
	/* always food */
	p.basis = PRICE_BASIS_FOOD;
	CHECK_EQ_INT(price_rules_trigger(&p, 430, 1830, &t), 1);
	CHECK_EQ_INT(t.rise_bp, 1830);
	/* the CPI as basis while the CPI fell: triggered by food, but no positive rise to pay on */
	p.basis = PRICE_BASIS_CPI;
	CHECK_EQ_INT(price_rules_trigger(&p, -50, 700, &t), 0);
	CHECK_EQ_INT(t.reached, 1);
	CHECK(strstr(t.why, "不为正数") != NULL);
}

TEST(rounding_minimum_and_the_units_own_rules)
{
	struct price_params p = city("2020-03");
	struct price_amount a;
	/* to the jiao: 61.06 → 61.10; rural on the rural standard 38.70 stays 38.70 */
	p.rounding_fen = 10;
	CHECK_EQ_INT(price_rules_amount(&p, 1, 430, &a), 6110);
	CHECK_EQ_INT(a.raw_num, (int64_t)71000 * 430 * 20000);
	CHECK_EQ_INT(a.raw_den, 100000000);
	CHECK_EQ_INT(a.per_year, 0);
	CHECK_EQ_INT(price_rules_amount(&p, 0, 430, &a), 3870);
	CHECK_EQ_INT(a.per_year, 1);
	CHECK_EQ_INT(a.raw_den, 1200000000);
	/* rural residents on the urban standard (城乡统一): 61.10 for everyone */
	p.rural_on_urban = 1;
	CHECK_EQ_INT(price_rules_amount(&p, 0, 430, &a), 6110);
	CHECK_EQ_INT(a.standard_fen, 71000);
	/* to the fen: 61.06 */
	p.rounding_fen = 1;
	CHECK_EQ_INT(price_rules_amount(&p, 1, 430, NULL), 6106);
	/* the minimum: 710 × 0.5 % × 1 = 3.55 → 4 < 10 → 10 */
	p = city("2020-07");
	CHECK_EQ_INT(price_rules_amount(&p, 1, 50, &a), 1000);
	CHECK_EQ_INT(a.rounded_fen, 400);
	CHECK_EQ_INT(a.minimum_applied, 1);
	/* a yearly standard not divisible by 12, computed exactly and rounded once:
	 * 5,000 / 12 × 4.3 % = 17.916… → 18 (rounding 416.67 first would give the same here, but
	 * 5,000 × 0.35 % / 12 = 1.458… → 1 yuan, then the minimum) */
	p = city("2020-07");
	p.standard_rural_year_fen = 500000;
	CHECK_EQ_INT(price_rules_amount(&p, 0, 430, NULL), 1800);
	CHECK_EQ_INT(price_rules_amount(&p, 0, 35, &a), 1000);
	CHECK_EQ_INT(a.rounded_fen, 100);
	/* nothing without a rise */
	CHECK_EQ_INT(price_rules_amount(&p, 1, 0, NULL), 0);
	CHECK_EQ_INT(price_rules_amount(&p, 1, -120, NULL), 0);
}

TEST(half_up_at_the_exact_half)
{
	struct price_params p = city("2020-07");
	/* 1,000 yuan × 2.25 % = 22.50 → 23; × 2.24 % = 22.40 → 22; × 2.26 % = 22.60 → 23 */
	p.standard_urban_month_fen = 100000;
	CHECK_EQ_INT(price_rules_amount(&p, 1, 225, NULL), 2300);
	CHECK_EQ_INT(price_rules_amount(&p, 1, 224, NULL), 2200);
	CHECK_EQ_INT(price_rules_amount(&p, 1, 226, NULL), 2300);
	/* to 5 yuan: 22.50 is half way between 20 and 25 → 25; 22.40 → 20 */
	p.rounding_fen = 500;
	CHECK_EQ_INT(price_rules_amount(&p, 1, 225, NULL), 2500);
	CHECK_EQ_INT(price_rules_amount(&p, 1, 224, NULL), 2000);
}

TEST(groups_months_and_dates)
{
	char t[96];
	price_groups_text(PRICE_G_DIBAO | PRICE_G_ORPHAN | PRICE_G_UNEMPLOYMENT_ASSISTANCE, t, sizeof t);
	CHECK_EQ_STR(t, "dibao,orphan,unemployment_assistance");
	price_groups_text(0, t, sizeof t);
	CHECK_EQ_STR(t, "");
	price_groups_text(PRICE_G_ENTITLED_VETERAN, t, 8); /* too small: cut, terminated */
	CHECK_EQ_STR(t, "");
	CHECK_EQ_STR(price_group_name(4), "entitled_veteran");
	CHECK_EQ_STR(price_group_key(5), "price_eligible_unemployment_insurance");
	CHECK(price_group_name(PRICE_NGROUPS) == NULL);
	CHECK(strstr(price_group_label(1), "特困") != NULL);
	CHECK_EQ_INT(price_month_valid("2020-03"), 1);
	CHECK_EQ_INT(price_month_valid("2020-13"), 0);
	CHECK_EQ_INT(price_month_valid("2020-3"), 0);
	CHECK_EQ_INT(price_month_valid(NULL), 0);
	CHECK_EQ_INT(price_date_valid("2020-02-29"), 1);
	CHECK_EQ_INT(price_date_valid("2019-02-29"), 0);
	CHECK_EQ_INT(price_date_valid("2020-04-31"), 0);
	CHECK_EQ_INT(price_date_valid("2020-04-1"), 0);
	CHECK_EQ_INT(price_date_valid("2000-02-29"), 1);
	CHECK_EQ_INT(price_date_valid("1900-02-29"), 0);
}

UNIT_MAIN(formula_month_by_month_through_2020_including_the_doubling,
	  the_trigger_is_at_or_above_the_threshold_and_needs_the_mechanism,
	  the_national_basis_is_the_larger_of_the_rises_that_reached_their_trigger,
	  rounding_minimum_and_the_units_own_rules, half_up_at_the_exact_half,
	  groups_months_and_dates)
