/* test_assistance_rules.c — the pure rules of the assistance programs
 * (src/assistance/assistance_rules.c; the rules in prose: docs/assistance-rules.md).
 *
 * Every expected value is computed by hand in the comment beside it. Amounts are fen: 71000 is
 * 710.00 yuan. Unless a test says otherwise the parameters are demo(): urban standard 710.00 a
 * month, rural 5,400.00 a year, minimum 50.00, uplifts elderly 20 % (age ≥ 60), severe
 * disability 30 %, serious illness 25 %, minor 10 %; 特困 factor 1.3 and the care table of
 * DOMAIN.md (centralised 12,360 / 7,416 / 989, scattered 8,652 / 4,944 / 742 yuan a year);
 * orphans 1,400 / 1,000, unsupported children 1,000 a month; phase-out 3 months; reviews 12 / 6
 * months; notice 7 days.
 */
#include "assistance/assistance_rules.h"
#include "unit.h"

static struct assistance_params demo(void)
{
	struct assistance_params p = {
	    .dibao_standard_urban_month_fen = 71000,
	    .dibao_standard_rural_year_fen = 540000,
	    .dibao_min_payment_fen = 5000,
	    .dibao_uplift_elderly_bp = 2000,
	    .dibao_uplift_severe_disability_bp = 3000,
	    .dibao_uplift_serious_illness_bp = 2500,
	    .dibao_uplift_minor_bp = 1000,
	    .dibao_elderly_age = 60,
	    .tekun_basic_factor_bp = 13000,
	    .tekun_care_centralised_full_year_fen = 1236000,
	    .tekun_care_centralised_half_year_fen = 741600,
	    .tekun_care_centralised_self_year_fen = 98900,
	    .tekun_care_scattered_full_year_fen = 865200,
	    .tekun_care_scattered_half_year_fen = 494400,
	    .tekun_care_scattered_self_year_fen = 74200,
	    .orphan_institutional_month_fen = 140000,
	    .orphan_scattered_month_fen = 100000,
	    .unsupported_child_month_fen = 100000,
	    .dibao_phaseout_months = 3,
	    .review_stable_months = 12,
	    .review_irregular_months = 6,
	    .notice_days = 7,
	};
	return p;
}

/* A 40-year-old with no category, earning `income` a month. */
static struct assistance_member adult(int64_t income)
{
	struct assistance_member m = {.age = 40, .income_month_fen = income};
	return m;
}

static int M(int y, int m)
{
	return assistance_month_make(y, m);
}

/* Run the 低保 computation, which must succeed. */
static struct assistance_dibao_result dibao(const struct assistance_params *p,
					    enum assistance_residence res,
					    const struct assistance_member *m, int n)
{
	struct assistance_dibao_result r;
	struct err e = {0};
	memset(&r, 0xab, sizeof r);
	CHECK_EQ_INT(assistance_dibao_amount(p, res, m, n, &r, &e), 0);
	return r;
}

/* ================================ months and dates ========================================== */

TEST(month_parse_format_and_add_cross_the_year)
{
	int m = 0;
	char out[8];
	CHECK_EQ_INT(assistance_month_parse("2020-05", &m), 0);
	CHECK_EQ_INT(m, 2020 * 12 + 4);
	assistance_month_format(m + 7, out); /* 2020-05 + 7 = 2020-12 */
	CHECK_EQ_STR(out, "2020-12");
	assistance_month_format(m + 8, out); /* + 8 = 2021-01 */
	CHECK_EQ_STR(out, "2021-01");
	CHECK(M(2020, 12) < M(2021, 1));
}

TEST(month_parse_rejects_malformed_text)
{
	int m = 7;
	CHECK_EQ_INT(assistance_month_parse("2020-13", &m), -1);
	CHECK_EQ_INT(assistance_month_parse("2020-00", &m), -1);
	CHECK_EQ_INT(assistance_month_parse("2020-5", &m), -1);
	CHECK_EQ_INT(assistance_month_parse("2020-05-01", &m), -1);
	CHECK_EQ_INT(assistance_month_parse("2020/05", &m), -1);
	CHECK_EQ_INT(assistance_month_parse("1899-12", &m), -1);
	CHECK_EQ_INT(assistance_month_parse("", &m), -1);
	CHECK_EQ_INT(assistance_month_parse(NULL, &m), -1);
	CHECK_EQ_INT(m, 7); /* untouched */
}

TEST(age_on_month_counts_a_birthday_on_the_first_day)
{
	int age = -1;
	/* born 1960-03-01: 60 on 2020-03-01, still 59 on 2020-02-01 */
	CHECK_EQ_INT(assistance_age_on_month("1960-03-01", M(2020, 3), &age), 0);
	CHECK_EQ_INT(age, 60);
	CHECK_EQ_INT(assistance_age_on_month("1960-03-01", M(2020, 2), &age), 0);
	CHECK_EQ_INT(age, 59);
	/* born 1960-03-02: the birthday comes after the 1st, so 59 for all of 2020-03 */
	CHECK_EQ_INT(assistance_age_on_month("1960-03-02", M(2020, 3), &age), 0);
	CHECK_EQ_INT(age, 59);
	/* born 2000-02-29: 21 from 2021-03-01 (a common year has no 29 February) */
	CHECK_EQ_INT(assistance_age_on_month("2000-02-29", M(2021, 3), &age), 0);
	CHECK_EQ_INT(age, 21);
	CHECK_EQ_INT(assistance_age_on_month("2020-03-02", M(2020, 3), &age), -1); /* not born */
	CHECK_EQ_INT(assistance_age_on_month("2019-02-29", M(2020, 3), &age), -1); /* no such day */
}

/* ================================ 低保 standard ============================================== */

TEST(urban_standard_is_the_monthly_parameter)
{
	struct assistance_params p = demo();
	int64_t s = 0;
	CHECK_EQ_INT(assistance_dibao_standard_month(&p, ASSISTANCE_URBAN, &s, NULL), 0);
	CHECK_EQ_INT(s, 71000); /* 710.00 */
}

TEST(rural_standard_is_the_year_divided_by_12)
{
	struct assistance_params p = demo();
	int64_t s = 0;
	CHECK_EQ_INT(assistance_dibao_standard_month(&p, ASSISTANCE_RURAL, &s, NULL), 0);
	CHECK_EQ_INT(s, 45000); /* 5,400.00 ÷ 12 = 450.00 exactly */
}

TEST(rural_standard_below_half_a_fen_rounds_down)
{
	struct assistance_params p = demo();
	int64_t s = 0;
	p.dibao_standard_rural_year_fen = 540100;
	CHECK_EQ_INT(assistance_dibao_standard_month(&p, ASSISTANCE_RURAL, &s, NULL), 0);
	CHECK_EQ_INT(s, 45008); /* 5,401.00 ÷ 12 = 450.0833… → 450.08 */
}

TEST(rural_standard_exact_half_fen_rounds_up)
{
	struct assistance_params p = demo();
	int64_t s = 0;
	p.dibao_standard_rural_year_fen = 540006;
	CHECK_EQ_INT(assistance_dibao_standard_month(&p, ASSISTANCE_RURAL, &s, NULL), 0);
	CHECK_EQ_INT(s, 45001); /* 5,400.06 ÷ 12 = 450.005 → 450.01 (half up) */
	p.dibao_standard_rural_year_fen = 540005;
	CHECK_EQ_INT(assistance_dibao_standard_month(&p, ASSISTANCE_RURAL, &s, NULL), 0);
	CHECK_EQ_INT(s, 45000); /* 5,400.05 ÷ 12 = 450.00417 → 450.00 */
}

TEST(standard_of_unknown_residence_is_refused)
{
	struct assistance_params p = demo();
	int64_t s = 0;
	struct err e = {0};
	CHECK_EQ_INT(assistance_dibao_standard_month(&p, (enum assistance_residence)0, &s, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "residence");
}

/* ================================ 低保 household amount ====================================== */

TEST(dibao_gap_is_standard_times_members_minus_income)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(40000), adult(50000), adult(30000)};
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* 710.00 × 3 − (400 + 500 + 300 = 1,200.00) = 2,130.00 − 1,200.00 = 930.00 */
	CHECK_EQ_INT(r.standard_fen, 71000);
	CHECK_EQ_INT(r.counted_members, 3);
	CHECK_EQ_INT(r.total_income_fen, 120000);
	CHECK_EQ_INT(r.gap_fen, 93000);
	CHECK_EQ_INT(r.uplift_fen, 0);
	CHECK_EQ_INT(r.amount_fen, 93000);
	CHECK_EQ_INT(r.eligible, 1);
	CHECK_EQ_INT(r.reason, ASSISTANCE_DIBAO_PAID);
}

TEST(dibao_gap_avoids_per_capita_rounding)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(100000), adult(0), adult(0)};
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* 710.00 × 3 − 1,000.00 = 1,130.00. Rounding per capita first would give
	 * (710.00 − 333.33) × 3 = 1,130.01: one fen too much. */
	CHECK_EQ_INT(r.gap_fen, 113000);
	CHECK_EQ_INT(r.amount_fen, 113000);
	CHECK_EQ_INT(r.per_capita_income_fen,
		     33333); /* 1,000.00 ÷ 3 = 333.333 → 333.33, shown only */
}

TEST(dibao_elderly_member_adds_a_share_of_the_standard)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(0), adult(60000), adult(60000)};
	m[0].age = 65;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* gap 2,130.00 − 1,200.00 = 930.00; uplift 710.00 × 20 % = 142.00; 930.00 + 142.00 =
	 * 1,072.00 */
	CHECK_EQ_INT(r.gap_fen, 93000);
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_ELDERLY);
	CHECK_EQ_INT(r.member[0].uplift_fen, 14200);
	CHECK_EQ_INT(r.member[1].uplift_fen, 0);
	CHECK_EQ_INT(r.uplift_fen, 14200);
	CHECK_EQ_INT(r.amount_fen, 107200);
}

TEST(dibao_uplift_rounds_half_up_to_the_fen)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	p.dibao_standard_urban_month_fen = 71010;
	p.dibao_uplift_elderly_bp = 500;
	m[0].age = 70;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* 710.10 × 5 % = 35.505 → 35.51; gap 710.10 − 0 = 710.10; 710.10 + 35.51 = 745.61 */
	CHECK_EQ_INT(r.member[0].uplift_fen, 3551);
	CHECK_EQ_INT(r.amount_fen, 74561);
}

TEST(dibao_member_in_several_categories_gets_the_largest_uplift_only)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	m[0].age = 65;		   /* elderly 20 % */
	m[0].disability_grade = 1; /* severe disability 30 % */
	m[0].seriously_ill = 1;	   /* serious illness 25 % */
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* only 30 %: 710.00 × 30 % = 213.00 (not 20 + 30 + 25 = 75 % = 532.50);
	 * 710.00 + 213.00 = 923.00 */
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_SEVERE_DISABILITY);
	CHECK_EQ_INT(r.member[0].uplift_fen, 21300);
	CHECK_EQ_INT(r.amount_fen, 92300);
}

TEST(dibao_equal_uplift_rates_report_the_first_category)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	p.dibao_uplift_serious_illness_bp = 2000; /* same as elderly */
	m[0].age = 65;
	m[0].seriously_ill = 1;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* 20 % either way: 142.00, reported as elderly (first in enum order); 710 + 142 = 852.00 */
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_ELDERLY);
	CHECK_EQ_INT(r.member[0].uplift_fen, 14200);
	CHECK_EQ_INT(r.amount_fen, 85200);
}

TEST(dibao_each_member_in_a_category_adds_their_own_uplift)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(0), adult(0)};
	m[0].age = 65;
	m[1].age = 68;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 2);
	/* gap 710.00 × 2 = 1,420.00; uplifts 142.00 × 2 = 284.00; total 1,704.00 */
	CHECK_EQ_INT(r.uplift_fen, 28400);
	CHECK_EQ_INT(r.amount_fen, 170400);
}

TEST(dibao_elderly_uplift_starts_at_the_elderly_age)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(0), adult(0)};
	m[0].age = 59;
	m[1].age = 60;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 2);
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_NONE);    /* 59 < 60 */
	CHECK_EQ_INT(r.member[1].uplift, ASSISTANCE_UPLIFT_ELDERLY); /* 60 ≥ 60: 142.00 */
	CHECK_EQ_INT(r.uplift_fen, 14200);
}

TEST(dibao_minor_uplift_ends_at_18)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(0), adult(0)};
	m[0].age = 17;
	m[1].age = 18;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 2);
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_MINOR); /* 710.00 × 10 % = 71.00 */
	CHECK_EQ_INT(r.member[0].uplift_fen, 7100);
	CHECK_EQ_INT(r.member[1].uplift, ASSISTANCE_UPLIFT_NONE); /* 18 is an adult */
	CHECK_EQ_INT(r.amount_fen, 149100);			  /* 1,420.00 + 71.00 */
}

TEST(dibao_severe_disability_is_grade_1_or_2)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(0), adult(0)};
	m[0].disability_grade = 2;
	m[1].disability_grade = 3;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 2);
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_SEVERE_DISABILITY); /* 213.00 */
	CHECK_EQ_INT(r.member[1].uplift, ASSISTANCE_UPLIFT_NONE);
	CHECK_EQ_INT(r.amount_fen, 163300); /* 1,420.00 + 213.00 */
}

TEST(dibao_minimum_payment_replaces_a_smaller_amount)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(70000)};
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* 710.00 − 700.00 = 10.00 < minimum 50.00 → 50.00 */
	CHECK_EQ_INT(r.computed_fen, 1000);
	CHECK_EQ_INT(r.amount_fen, 5000);
	CHECK_EQ_INT(r.minimum_applied, 1);
	CHECK_EQ_INT(r.reason, ASSISTANCE_DIBAO_PAID);
}

TEST(dibao_minimum_payment_leaves_a_larger_amount_alone)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(65000)};
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* 710.00 − 650.00 = 60.00 ≥ 50.00 */
	CHECK_EQ_INT(r.amount_fen, 6000);
	CHECK_EQ_INT(r.minimum_applied, 0);
}

TEST(dibao_household_one_fen_below_the_standard_gets_the_minimum)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(71000), adult(71000), adult(70999)};
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* 2,130.00 − 2,129.99 = 0.01 > 0: eligible, below the minimum → 50.00 */
	CHECK_EQ_INT(r.eligible, 1);
	CHECK_EQ_INT(r.gap_fen, 1);
	CHECK_EQ_INT(r.amount_fen, 5000);
}

TEST(dibao_household_exactly_at_the_standard_is_not_eligible)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(71000), adult(71000), adult(71000)};
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* per capita 710.00 is not below 710.00 */
	CHECK_EQ_INT(r.eligible, 0);
	CHECK_EQ_INT(r.amount_fen, 0);
	CHECK_EQ_INT(r.gap_fen, 0);
	CHECK_EQ_INT(r.reason, ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD);
}

TEST(dibao_household_just_above_the_standard_gets_zero_with_the_reason)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(71000), adult(71000), adult(71001)};
	m[0].age = 70; /* an uplift category does not make an ineligible household eligible */
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* 2,130.01 > 2,130.00 */
	CHECK_EQ_INT(r.eligible, 0);
	CHECK_EQ_INT(r.amount_fen, 0);
	CHECK_EQ_INT(r.uplift_fen, 0);
	CHECK_EQ_INT(r.member[0].uplift_fen, 0);
	CHECK_EQ_INT(r.minimum_applied, 0);
	CHECK_EQ_INT(r.total_income_fen, 213001);
	CHECK_EQ_STR(assistance_dibao_reason_code(r.reason), "income_not_below_standard");
}

TEST(dibao_tekun_member_is_not_counted)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(30000), adult(40000), adult(50000)};
	m[0].age = 80;
	m[0].is_tekun = 1;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* the 特困 member's count, income and elderly uplift are left out:
	 * 710.00 × 2 − (400.00 + 500.00) = 1,420.00 − 900.00 = 520.00 */
	CHECK_EQ_INT(r.members, 3);
	CHECK_EQ_INT(r.counted_members, 2);
	CHECK_EQ_INT(r.total_income_fen, 90000);
	CHECK_EQ_INT(r.member[0].counted, 0);
	CHECK_EQ_INT(r.member[0].uplift_fen, 0);
	CHECK_EQ_INT(r.uplift_fen, 0);
	CHECK_EQ_INT(r.amount_fen, 52000);
}

TEST(dibao_household_of_only_tekun_members_is_not_eligible)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	m[0].is_tekun = 1;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	CHECK_EQ_INT(r.eligible, 0);
	CHECK_EQ_INT(r.counted_members, 0);
	CHECK_EQ_INT(r.amount_fen, 0);
	CHECK_EQ_STR(assistance_dibao_reason_code(r.reason), "no_counted_members");
}

TEST(dibao_two_job_refusals_change_nothing)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(40000), adult(50000), adult(30000)};
	m[1].job_refusals = 2;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	CHECK_EQ_INT(r.refusing_members, 0);
	CHECK_EQ_INT(r.gap_withheld_fen, 0);
	CHECK_EQ_INT(r.amount_fen, 93000); /* as without refusals: 930.00 */
}

TEST(dibao_three_job_refusals_withhold_that_members_share_of_the_gap)
{
	struct assistance_params p = demo();
	struct assistance_member m[3] = {adult(40000), adult(50000), adult(30000)};
	m[1].job_refusals = 3;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 3);
	/* gap 930.00 (the refusing member still counts in income and members);
	 * paid 930.00 × 2/3 = 620.00; withheld 930.00 − 620.00 = 310.00 */
	CHECK_EQ_INT(r.counted_members, 3);
	CHECK_EQ_INT(r.refusing_members, 1);
	CHECK_EQ_INT(r.member[1].refused, 1);
	CHECK_EQ_INT(r.gap_fen, 93000);
	CHECK_EQ_INT(r.gap_paid_fen, 62000);
	CHECK_EQ_INT(r.gap_withheld_fen, 31000);
	CHECK_EQ_INT(r.amount_fen, 62000);
}

TEST(dibao_refusal_share_rounds_half_up_in_the_households_favour)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(48999), adult(0)};
	m[0].job_refusals = 4;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 2);
	/* gap 1,420.00 − 489.99 = 930.01; paid 930.01 × 1/2 = 465.005 → 465.01; withheld 465.00 */
	CHECK_EQ_INT(r.gap_fen, 93001);
	CHECK_EQ_INT(r.gap_paid_fen, 46501);
	CHECK_EQ_INT(r.gap_withheld_fen, 46500);
	CHECK_EQ_INT(r.amount_fen, 46501);
}

TEST(dibao_refusing_member_keeps_their_uplift)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(0), adult(60000)};
	m[0].age = 62;
	m[0].job_refusals = 3;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 2);
	/* gap 1,420.00 − 600.00 = 820.00; paid 820.00 × 1/2 = 410.00;
	 * elderly uplift 142.00 still paid; 410.00 + 142.00 = 552.00 */
	CHECK_EQ_INT(r.gap_paid_fen, 41000);
	CHECK_EQ_INT(r.member[0].uplift_fen, 14200);
	CHECK_EQ_INT(r.amount_fen, 55200);
}

TEST(dibao_household_where_everyone_refused_gets_no_minimum)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	m[0].job_refusals = 3;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* gap 710.00, all withheld; the 50.00 minimum would undo the sanction: 0 */
	CHECK_EQ_INT(r.eligible, 1);
	CHECK_EQ_INT(r.gap_withheld_fen, 71000);
	CHECK_EQ_INT(r.amount_fen, 0);
	CHECK_EQ_INT(r.minimum_applied, 0);
	CHECK_EQ_STR(assistance_dibao_reason_code(r.reason), "work_refused");
}

TEST(dibao_household_where_everyone_refused_still_gets_uplifts_without_minimum)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	p.dibao_uplift_elderly_bp = 500;
	m[0].age = 61;
	m[0].job_refusals = 3;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* gap withheld; uplift 710.00 × 5 % = 35.50, below the 50.00 minimum, paid as it is */
	CHECK_EQ_INT(r.amount_fen, 3550);
	CHECK_EQ_INT(r.minimum_applied, 0);
	CHECK_EQ_INT(r.reason, ASSISTANCE_DIBAO_PAID);
}

TEST(dibao_rural_household_uses_the_rounded_monthly_standard)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(30000), adult(0)};
	p.dibao_standard_rural_year_fen = 540100;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_RURAL, m, 2);
	/* 5,401.00 ÷ 12 = 450.08; 450.08 × 2 − 300.00 = 600.16
	 * (from the year: 5,401.00 ÷ 6 − 300.00 = 600.1666… would differ) */
	CHECK_EQ_INT(r.standard_fen, 45008);
	CHECK_EQ_INT(r.amount_fen, 60016);
}

TEST(dibao_standard_of_zero_makes_nobody_eligible)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	p.dibao_standard_urban_month_fen = 0;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* income 0 is not below 0 */
	CHECK_EQ_INT(r.eligible, 0);
	CHECK_EQ_INT(r.amount_fen, 0);
	CHECK_EQ_INT(r.reason, ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD);
}

TEST(dibao_zero_minimum_and_zero_rates_pay_the_gap_only)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(70000)};
	p.dibao_min_payment_fen = 0;
	p.dibao_uplift_elderly_bp = 0;
	m[0].age = 70;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	/* 710.00 − 700.00 = 10.00; no minimum, the 0 % elderly rate is no uplift */
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_NONE);
	CHECK_EQ_INT(r.amount_fen, 1000);
	CHECK_EQ_INT(r.minimum_applied, 0);
}

TEST(dibao_elderly_age_of_zero_disables_the_elderly_uplift)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	p.dibao_elderly_age = 0;
	m[0].age = 90;
	struct assistance_dibao_result r = dibao(&p, ASSISTANCE_URBAN, m, 1);
	CHECK_EQ_INT(r.member[0].uplift, ASSISTANCE_UPLIFT_NONE);
	CHECK_EQ_INT(r.amount_fen, 71000);
}

TEST(dibao_invalid_member_names_the_field)
{
	struct assistance_params p = demo();
	struct assistance_member m[2] = {adult(0), adult(0)};
	struct assistance_dibao_result r;
	struct err e = {0};
	m[1].disability_grade = 5;
	CHECK_EQ_INT(assistance_dibao_amount(&p, ASSISTANCE_URBAN, m, 2, &r, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "members[1].disability_grade");
	m[1].disability_grade = 0;
	m[0].income_month_fen = -1;
	CHECK_EQ_INT(assistance_dibao_amount(&p, ASSISTANCE_URBAN, m, 2, &r, &e), -1);
	CHECK_EQ_STR(e.field, "members[0].income_month_fen");
	CHECK_EQ_INT(assistance_dibao_amount(&p, ASSISTANCE_URBAN, m, 0, &r, &e), -1);
	CHECK_EQ_STR(e.field, "members");
}

TEST(dibao_negative_parameter_is_a_server_error_naming_the_key)
{
	struct assistance_params p = demo();
	struct assistance_member m[1] = {adult(0)};
	struct assistance_dibao_result r;
	struct err e = {0};
	p.dibao_min_payment_fen = -1;
	CHECK_EQ_INT(assistance_dibao_amount(&p, ASSISTANCE_URBAN, m, 1, &r, &e), -1);
	CHECK_EQ_INT(e.status, 500);
	CHECK_EQ_STR(e.code, "invalid_parameter");
	CHECK_EQ_STR(e.field, "dibao_min_payment_fen");
}

TEST(dibao_reason_and_uplift_codes_are_stable)
{
	CHECK_EQ_STR(assistance_dibao_reason_code(ASSISTANCE_DIBAO_PAID), "paid");
	CHECK_EQ_STR(assistance_dibao_reason_code(ASSISTANCE_DIBAO_WORK_REFUSED), "work_refused");
	CHECK_EQ_STR(assistance_dibao_reason_text(ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD),
		     "家庭人均收入不低于当地低保标准");
	CHECK_EQ_STR(assistance_dibao_reason_code((enum assistance_dibao_reason)99), "unknown");
	CHECK_EQ_STR(assistance_uplift_code(ASSISTANCE_UPLIFT_SEVERE_DISABILITY),
		     "severe_disability");
}

/* ================================ 特困 ======================================================= */

static enum assistance_care_level level_of(unsigned cannot)
{
	enum assistance_care_level l = 0;
	CHECK_EQ_INT(assistance_tekun_care_level(cannot, &l, NULL), 0);
	return l;
}

TEST(care_level_with_no_activity_lost_is_self_care)
{
	CHECK_EQ_INT(level_of(0), ASSISTANCE_CARE_SELF); /* 0 of 6 → 全自理 */
}

TEST(care_level_with_one_activity_lost_is_half_care)
{
	CHECK_EQ_INT(level_of(ASSISTANCE_ADL_BATHING), ASSISTANCE_CARE_HALF); /* 1 → 半护理 */
}

TEST(care_level_with_three_activities_lost_is_half_care)
{
	CHECK_EQ_INT(
	    level_of(ASSISTANCE_ADL_EATING | ASSISTANCE_ADL_DRESSING | ASSISTANCE_ADL_TOILETING),
	    ASSISTANCE_CARE_HALF); /* 3 → 半护理 */
}

TEST(care_level_with_four_activities_lost_is_full_care)
{
	CHECK_EQ_INT(level_of(ASSISTANCE_ADL_EATING | ASSISTANCE_ADL_DRESSING |
			      ASSISTANCE_ADL_TOILETING | ASSISTANCE_ADL_BED_TRANSFER),
		     ASSISTANCE_CARE_FULL); /* 4 → 全护理 */
}

TEST(care_level_with_all_six_activities_lost_is_full_care)
{
	CHECK_EQ_INT(level_of(ASSISTANCE_ADL_ALL), ASSISTANCE_CARE_FULL); /* 6 → 全护理 */
}

TEST(care_level_refuses_a_seventh_activity_bit)
{
	enum assistance_care_level l = ASSISTANCE_CARE_SELF;
	struct err e = {0};
	CHECK_EQ_INT(assistance_tekun_care_level(1u << 6, &l, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "adl");
}

static struct assistance_tekun_result tekun(const struct assistance_params *p,
					    enum assistance_residence res,
					    enum assistance_support_form form,
					    enum assistance_care_level level)
{
	struct assistance_tekun_result r;
	struct err e = {0};
	memset(&r, 0xab, sizeof r);
	CHECK_EQ_INT(assistance_tekun_amount(p, res, form, level, &r, &e), 0);
	return r;
}

TEST(tekun_basic_is_the_standard_times_the_factor)
{
	struct assistance_params p = demo();
	struct assistance_tekun_result r =
	    tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_CENTRALISED, ASSISTANCE_CARE_SELF);
	CHECK_EQ_INT(r.basic_fen, 92300); /* 710.00 × 1.3 = 923.00 */
}

TEST(tekun_basic_rounds_half_up_from_the_rounded_rural_standard)
{
	struct assistance_params p = demo();
	p.dibao_standard_rural_year_fen = 540100;
	struct assistance_tekun_result r =
	    tekun(&p, ASSISTANCE_RURAL, ASSISTANCE_SUPPORT_SCATTERED, ASSISTANCE_CARE_SELF);
	/* 5,401.00 ÷ 12 = 450.08; 450.08 × 1.3 = 585.104 → 585.10 */
	CHECK_EQ_INT(r.standard_fen, 45008);
	CHECK_EQ_INT(r.basic_fen, 58510);
	p.dibao_standard_rural_year_fen = 540060;
	r = tekun(&p, ASSISTANCE_RURAL, ASSISTANCE_SUPPORT_SCATTERED, ASSISTANCE_CARE_SELF);
	/* 5,400.60 ÷ 12 = 450.05; 450.05 × 1.3 = 585.065 → 585.07 (half up) */
	CHECK_EQ_INT(r.standard_fen, 45005);
	CHECK_EQ_INT(r.basic_fen, 58507);
}

TEST(tekun_care_is_the_yearly_allowance_divided_by_12_half_up)
{
	struct assistance_params p = demo();
	struct assistance_tekun_result r =
	    tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_CENTRALISED, ASSISTANCE_CARE_SELF);
	CHECK_EQ_INT(r.care_year_fen, 98900);
	CHECK_EQ_INT(r.care_fen, 8242); /* 989.00 ÷ 12 = 82.4166… → 82.42 */
	r = tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_SCATTERED, ASSISTANCE_CARE_SELF);
	CHECK_EQ_INT(r.care_fen, 6183); /* 742.00 ÷ 12 = 61.8333… → 61.83 */
}

TEST(tekun_total_is_basic_plus_care_centralised_full)
{
	struct assistance_params p = demo();
	struct assistance_tekun_result r =
	    tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_CENTRALISED, ASSISTANCE_CARE_FULL);
	/* 923.00 + 12,360.00 ÷ 12 = 923.00 + 1,030.00 = 1,953.00 */
	CHECK_EQ_INT(r.care_fen, 103000);
	CHECK_EQ_INT(r.total_fen, 195300);
}

TEST(tekun_scattered_support_uses_the_scattered_table)
{
	struct assistance_params p = demo();
	struct assistance_tekun_result r =
	    tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_SCATTERED, ASSISTANCE_CARE_HALF);
	/* 923.00 + 4,944.00 ÷ 12 = 923.00 + 412.00 = 1,335.00 (centralised half: 618.00) */
	CHECK_EQ_INT(r.care_fen, 41200);
	CHECK_EQ_INT(r.total_fen, 133500);
}

TEST(tekun_factor_of_zero_pays_the_care_allowance_only)
{
	struct assistance_params p = demo();
	p.tekun_basic_factor_bp = 0;
	p.tekun_care_scattered_full_year_fen = 0;
	struct assistance_tekun_result r =
	    tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_SCATTERED, ASSISTANCE_CARE_HALF);
	CHECK_EQ_INT(r.basic_fen, 0);
	CHECK_EQ_INT(r.total_fen, 41200); /* 0 + 412.00 */
	r = tekun(&p, ASSISTANCE_URBAN, ASSISTANCE_SUPPORT_SCATTERED, ASSISTANCE_CARE_FULL);
	CHECK_EQ_INT(r.total_fen, 0); /* 0 + 0 ÷ 12 */
}

TEST(tekun_unknown_support_form_is_refused)
{
	struct assistance_params p = demo();
	struct assistance_tekun_result r;
	struct err e = {0};
	CHECK_EQ_INT(assistance_tekun_amount(&p, ASSISTANCE_URBAN, (enum assistance_support_form)3,
					     ASSISTANCE_CARE_SELF, &r, &e),
		     -1);
	CHECK_EQ_STR(e.field, "support_form");
}

/* ================================ orphans and unsupported children ======================== */

/* A child born 2010-03, scattered, both parents able. */
static struct assistance_child child(void)
{
	struct assistance_child c = {.birth_month = 2010 * 12 + 2,
				     .placement = ASSISTANCE_PLACEMENT_SCATTERED};
	return c;
}

static struct assistance_child_result assess(const struct assistance_params *p,
					     const struct assistance_child *c, int month)
{
	struct assistance_child_result r;
	struct err e = {0};
	memset(&r, 0xab, sizeof r);
	CHECK_EQ_INT(assistance_child_assess(p, c, month, &r, &e), 0);
	return r;
}

TEST(orphan_with_both_parents_dead_in_an_institution)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.placement = ASSISTANCE_PLACEMENT_INSTITUTIONAL;
	c.parents[0].dead = 1;
	c.parents[1].dead = 1;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_ORPHAN_INSTITUTIONAL);
	CHECK_EQ_INT(r.reason, ASSISTANCE_CHILD_OK);
	CHECK_EQ_INT(r.amount_fen, 140000); /* 1,400.00 */
}

TEST(orphan_with_one_parent_dead_and_the_other_missing_scattered)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.parents[0].missing = 1;
	c.parents[1].dead = 1;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_ORPHAN_SCATTERED);
	CHECK_EQ_INT(r.amount_fen, 100000); /* 1,000.00 */
	CHECK_EQ_STR(assistance_child_category_code(r.category), "orphan_scattered");
}

TEST(orphan_with_both_parents_missing)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.parents[0].missing = 1;
	c.parents[1].missing = 1;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_ORPHAN_SCATTERED);
}

TEST(child_allowance_is_paid_through_the_18th_birthday_month_only)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.birth_month = M(2002, 5);
	c.parents[0].dead = 1;
	c.parents[1].dead = 1;
	/* born 2002-05: 18 in 2020-05, the last month paid; 2020-06 is over age */
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.last_month, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_ORPHAN_SCATTERED);
	CHECK_EQ_INT(r.amount_fen, 100000);
	r = assess(&p, &c, M(2020, 6));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_NONE);
	CHECK_EQ_INT(r.reason, ASSISTANCE_CHILD_OVER_AGE);
	CHECK_EQ_INT(r.amount_fen, 0);
}

TEST(unsupported_child_when_both_parents_have_a_condition)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.parents[0].disability_grade = 2;
	c.parents[0].disability_kind = ASSISTANCE_DISABILITY_PHYSICAL;
	c.parents[1].detained_months = 36;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_UNSUPPORTED);
	CHECK_EQ_INT(r.condition[0], ASSISTANCE_PARENT_SEVERELY_DISABLED);
	CHECK_EQ_INT(r.condition[1], ASSISTANCE_PARENT_DETAINED);
	CHECK_EQ_INT(r.amount_fen, 100000);
}

TEST(unsupported_child_when_the_surviving_parent_is_seriously_ill)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.parents[0].dead = 1;
	c.parents[1].seriously_ill = 1;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_UNSUPPORTED);
}

TEST(unsupported_child_when_one_parent_is_missing_and_the_other_out_of_contact)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.parents[0].missing = 1; /* counts like a dead parent */
	c.parents[1].out_of_contact_months = 8;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_UNSUPPORTED);
	CHECK_EQ_STR(assistance_parent_condition_code(r.condition[1]), "out_of_contact");
}

TEST(unsupported_child_allowance_ignores_the_placement)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.placement = ASSISTANCE_PLACEMENT_INSTITUTIONAL;
	c.parents[0].seriously_ill = 1;
	c.parents[1].seriously_ill = 1;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_UNSUPPORTED);
	CHECK_EQ_INT(r.amount_fen, 100000); /* not the institutional orphan 1,400.00 */
}

TEST(parent_severe_disability_is_grade_1_2_or_mental_and_intellectual_3_4)
{
	struct assistance_parent pa = {0};
	pa.disability_grade = 1;
	pa.disability_kind = ASSISTANCE_DISABILITY_VISUAL;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_SEVERELY_DISABLED);
	pa.disability_grade = 3;
	pa.disability_kind = ASSISTANCE_DISABILITY_MENTAL;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_SEVERELY_DISABLED);
	pa.disability_grade = 4;
	pa.disability_kind = ASSISTANCE_DISABILITY_INTELLECTUAL;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_SEVERELY_DISABLED);
	pa.disability_grade = 3;
	pa.disability_kind = ASSISTANCE_DISABILITY_PHYSICAL;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_ABLE);
	pa.disability_kind = ASSISTANCE_DISABILITY_MULTIPLE;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_ABLE);
}

TEST(parent_detained_counts_from_six_months)
{
	struct assistance_parent pa = {0};
	pa.detained_months = 5;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_ABLE);
	pa.detained_months = 6;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_DETAINED);
}

TEST(parent_out_of_contact_counts_from_six_months)
{
	struct assistance_parent pa = {0};
	pa.out_of_contact_months = 5;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_ABLE);
	pa.out_of_contact_months = 6;
	CHECK_EQ_INT(assistance_parent_condition(&pa), ASSISTANCE_PARENT_OUT_OF_CONTACT);
}

TEST(child_with_one_able_parent_is_not_eligible_and_names_that_parent)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	c.parents[0].dead = 1;
	c.parents[1].disability_grade = 3; /* physical grade 3: not severe */
	c.parents[1].disability_kind = ASSISTANCE_DISABILITY_PHYSICAL;
	c.parents[1].detained_months = 5; /* under 6 months */
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_NONE);
	CHECK_EQ_INT(r.reason, ASSISTANCE_CHILD_PARENT_ABLE);
	CHECK_EQ_INT(r.parent, 1);
	CHECK_EQ_INT(r.amount_fen, 0);
}

TEST(child_allowance_of_zero_keeps_the_category_and_pays_zero)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	p.orphan_scattered_month_fen = 0;
	c.parents[0].dead = 1;
	c.parents[1].dead = 1;
	struct assistance_child_result r = assess(&p, &c, M(2020, 5));
	CHECK_EQ_INT(r.category, ASSISTANCE_CHILD_ORPHAN_SCATTERED);
	CHECK_EQ_INT(r.amount_fen, 0);
}

TEST(child_born_after_the_month_is_refused)
{
	struct assistance_params p = demo();
	struct assistance_child c = child();
	struct assistance_child_result r;
	struct err e = {0};
	c.birth_month = M(2020, 6);
	CHECK_EQ_INT(assistance_child_assess(&p, &c, M(2020, 5), &r, &e), -1);
	CHECK_EQ_STR(e.field, "birth_month");
}

/* ================================ phase-out and epidemic hold ============================== */

static struct assistance_pay_status status_of(const struct assistance_case_months *c,
					      const struct assistance_period *ep, int n, int month)
{
	struct assistance_pay_status s;
	struct err e = {0};
	memset(&s, 0xab, sizeof s);
	CHECK_EQ_INT(assistance_pay_status(c, ep, n, month, &s, &e), 0);
	return s;
}

TEST(phaseout_plan_of_three_months_found_in_may)
{
	struct assistance_phaseout ph;
	CHECK_EQ_INT(assistance_phaseout_plan(M(2020, 5), 3, NULL, 0, &ph, NULL), 0);
	CHECK_EQ_INT(ph.first_month, M(2020, 6)); /* paid 06, 07, 08 */
	CHECK_EQ_INT(ph.last_month, M(2020, 8));
	CHECK_EQ_INT(ph.exit_month, M(2020, 9)); /* ended from 09 */
	CHECK_EQ_INT(ph.held, 0);
}

TEST(phaseout_month_by_month)
{
	struct assistance_case_months c = {M(2019, 1), M(2020, 5), 3};
	struct assistance_pay_status s;
	s = status_of(&c, NULL, 0, M(2020, 5)); /* the review month itself: still active */
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_ACTIVE);
	CHECK_EQ_INT(s.paid, 1);
	s = status_of(&c, NULL, 0, M(2020, 6));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_PHASEOUT);
	CHECK_EQ_INT(s.phaseout_k, 1);
	CHECK_EQ_INT(s.phaseout_n, 3);
	s = status_of(&c, NULL, 0, M(2020, 7));
	CHECK_EQ_INT(s.phaseout_k, 2);
	s = status_of(&c, NULL, 0, M(2020, 8));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_PHASEOUT);
	CHECK_EQ_INT(s.phaseout_k, 3);
	CHECK_EQ_INT(s.paid, 1);
	s = status_of(&c, NULL, 0, M(2020, 9));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_ENDED);
	CHECK_EQ_INT(s.paid, 0);
	CHECK_EQ_INT(s.exit_month, M(2020, 9));
	s = status_of(&c, NULL, 0, M(2021, 1));
	CHECK_EQ_STR(assistance_pay_state_code(s.state), "ended");
}

TEST(phaseout_of_zero_months_ends_the_month_after_the_review)
{
	struct assistance_case_months c = {M(2019, 1), M(2020, 5), 0};
	CHECK_EQ_INT(status_of(&c, NULL, 0, M(2020, 5)).state, ASSISTANCE_PAY_ACTIVE);
	CHECK_EQ_INT(status_of(&c, NULL, 0, M(2020, 6)).state, ASSISTANCE_PAY_ENDED);
}

TEST(phaseout_exit_inside_an_epidemic_is_held_until_the_month_after_it_ends)
{
	/* found 2020-01, N = 1: phase-out 2020-02; the exit 2020-03 falls inside 2020-02..2020-06,
	 * so 03, 04, 05, 06 are paid as held and the case ends from 2020-07 */
	struct assistance_period ep[1] = {{M(2020, 2), M(2020, 6)}};
	struct assistance_case_months c = {M(2019, 1), M(2020, 1), 1};
	struct assistance_pay_status s;
	s = status_of(&c, ep, 1, M(2020, 2));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_PHASEOUT); /* a phase-out month inside the period */
	CHECK_EQ_INT(s.phaseout_k, 1);
	for (int mo = 3; mo <= 6; mo++) {
		s = status_of(&c, ep, 1, M(2020, mo));
		CHECK_EQ_INT(s.state, ASSISTANCE_PAY_HELD);
		CHECK_EQ_INT(s.paid, 1);
	}
	s = status_of(&c, ep, 1, M(2020, 7));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_ENDED);
	CHECK_EQ_INT(s.exit_month, M(2020, 7));
}

TEST(exit_before_an_epidemic_period_is_not_held)
{
	struct assistance_period ep[1] = {{M(2020, 2), M(2020, 6)}};
	struct assistance_phaseout ph;
	/* found 2019-09, N = 3: phase-out 10, 11, 12; exit 2020-01, the month before the period */
	CHECK_EQ_INT(assistance_phaseout_plan(M(2019, 9), 3, ep, 1, &ph, NULL), 0);
	CHECK_EQ_INT(ph.exit_month, M(2020, 1));
	CHECK_EQ_INT(ph.held, 0);
}

TEST(exit_on_the_first_or_last_month_of_a_period_is_held)
{
	struct assistance_period ep[1] = {{M(2020, 1), M(2020, 3)}};
	int held = 0;
	CHECK_EQ_INT(assistance_exit_hold(M(2020, 1), ep, 1, &held, NULL), 0);
	CHECK_EQ_INT(held, M(2020, 4)); /* first month of 2020-01..03 → 2020-04 */
	CHECK_EQ_INT(assistance_exit_hold(M(2020, 3), ep, 1, &held, NULL), 0);
	CHECK_EQ_INT(held, M(2020, 4)); /* last month → 2020-04 */
}

TEST(exit_the_month_after_a_period_is_not_held)
{
	struct assistance_period ep[1] = {{M(2020, 1), M(2020, 3)}};
	int held = 0;
	CHECK_EQ_INT(assistance_exit_hold(M(2020, 4), ep, 1, &held, NULL), 0);
	CHECK_EQ_INT(held, M(2020, 4));
	CHECK_EQ_INT(assistance_exit_hold(M(2019, 12), ep, 1, &held, NULL), 0);
	CHECK_EQ_INT(held, M(2019, 12));
}

TEST(exit_held_into_an_adjoining_period_is_held_again)
{
	/* listed out of order on purpose: 2020-03 → 2020-04 (after the first period) → 2020-06 */
	struct assistance_period ep[2] = {{M(2020, 4), M(2020, 5)}, {M(2020, 1), M(2020, 3)}};
	int held = 0;
	CHECK_EQ_INT(assistance_exit_hold(M(2020, 3), ep, 2, &held, NULL), 0);
	CHECK_EQ_INT(held, M(2020, 6));
}

TEST(pay_status_before_the_start_month_is_not_started)
{
	struct assistance_case_months c = {M(2020, 3), 0, 0};
	struct assistance_pay_status s = status_of(&c, NULL, 0, M(2020, 2));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_NOT_STARTED);
	CHECK_EQ_INT(s.paid, 0);
}

TEST(pay_status_without_a_phaseout_is_active)
{
	struct assistance_case_months c = {M(2020, 3), 0, 0};
	struct assistance_pay_status s = status_of(&c, NULL, 0, M(2030, 1));
	CHECK_EQ_INT(s.state, ASSISTANCE_PAY_ACTIVE);
	CHECK_EQ_INT(s.paid, 1);
	CHECK_EQ_INT(s.exit_month, 0);
}

TEST(pay_status_refuses_a_review_before_the_start_and_a_reversed_period)
{
	struct assistance_case_months c = {M(2020, 3), M(2020, 2), 3};
	struct assistance_period ep[1] = {{M(2020, 6), M(2020, 5)}};
	struct assistance_pay_status s;
	struct err e = {0};
	CHECK_EQ_INT(assistance_pay_status(&c, NULL, 0, M(2020, 5), &s, &e), -1);
	CHECK_EQ_STR(e.field, "found_month");
	c.found_month = M(2020, 4);
	CHECK_EQ_INT(assistance_pay_status(&c, ep, 1, M(2020, 5), &s, &e), -1);
	CHECK_EQ_STR(e.field, "periods[0]");
}

/* ================================ reviews ================================================== */

TEST(review_of_a_stable_household_is_due_after_12_months)
{
	struct assistance_params p = demo();
	struct assistance_review_due d;
	CHECK_EQ_INT(
	    assistance_review_next(&p, M(2020, 1), ASSISTANCE_REVIEW_STABLE, NULL, 0, &d, NULL), 0);
	CHECK_EQ_INT(d.due_month, M(2021, 1)); /* 2020-01 + 12 */
	CHECK_EQ_INT(d.postponed, 0);
}

TEST(review_of_an_irregular_household_is_due_after_6_months)
{
	struct assistance_params p = demo();
	struct assistance_review_due d;
	CHECK_EQ_INT(
	    assistance_review_next(&p, M(2019, 9), ASSISTANCE_REVIEW_IRREGULAR, NULL, 0, &d, NULL),
	    0);
	CHECK_EQ_INT(d.due_month, M(2020, 3)); /* 2019-09 + 6 */
}

TEST(review_due_inside_an_epidemic_moves_to_the_month_after_it)
{
	struct assistance_params p = demo();
	struct assistance_period ep[1] = {{M(2020, 2), M(2020, 5)}};
	struct assistance_review_due d;
	CHECK_EQ_INT(
	    assistance_review_next(&p, M(2019, 9), ASSISTANCE_REVIEW_IRREGULAR, ep, 1, &d, NULL),
	    0);
	CHECK_EQ_INT(d.scheduled_month, M(2020, 3)); /* inside 2020-02..05 */
	CHECK_EQ_INT(d.due_month, M(2020, 6));
	CHECK_EQ_INT(d.postponed, 1);
}

TEST(review_due_after_an_epidemic_is_not_moved)
{
	struct assistance_params p = demo();
	struct assistance_period ep[1] = {{M(2020, 2), M(2020, 5)}};
	struct assistance_review_due d;
	CHECK_EQ_INT(
	    assistance_review_next(&p, M(2019, 12), ASSISTANCE_REVIEW_IRREGULAR, ep, 1, &d, NULL),
	    0);
	CHECK_EQ_INT(d.due_month, M(2020, 6)); /* 2019-12 + 6, already after the period */
	CHECK_EQ_INT(d.postponed, 0);
}

TEST(review_interval_of_zero_is_an_invalid_parameter)
{
	struct assistance_params p = demo();
	struct assistance_review_due d;
	struct err e = {0};
	p.review_stable_months = 0;
	CHECK_EQ_INT(
	    assistance_review_next(&p, M(2020, 1), ASSISTANCE_REVIEW_STABLE, NULL, 0, &d, &e), -1);
	CHECK_EQ_INT(e.status, 500);
	CHECK_EQ_STR(e.code, "invalid_parameter");
	CHECK_EQ_STR(e.field, "review_stable_months");
}

/* ================================ public notice ============================================ */

TEST(notice_of_seven_days_counts_the_posting_day)
{
	struct assistance_params p = demo();
	struct assistance_notice n;
	CHECK_EQ_INT(assistance_notice_window(&p, "2020-03-02", &n, NULL), 0);
	CHECK_EQ_STR(n.last_day, "2020-03-08"); /* 02..08 = 7 days */
	CHECK_EQ_STR(n.approve_from, "2020-03-09");
}

TEST(notice_crosses_the_end_of_february_in_leap_and_common_years)
{
	struct assistance_params p = demo();
	struct assistance_notice n;
	CHECK_EQ_INT(assistance_notice_window(&p, "2020-02-25", &n, NULL), 0);
	CHECK_EQ_STR(n.last_day, "2020-03-02"); /* 25 26 27 28 29 | 1 2 */
	CHECK_EQ_INT(assistance_notice_window(&p, "2021-02-25", &n, NULL), 0);
	CHECK_EQ_STR(n.last_day, "2021-03-03"); /* 25 26 27 28 | 1 2 3 */
	CHECK_EQ_INT(assistance_notice_window(&p, "2020-12-28", &n, NULL), 0);
	CHECK_EQ_STR(n.approve_from, "2021-01-04"); /* 28..03 = 7 days */
}

TEST(notice_shorter_than_seven_days_is_an_invalid_parameter)
{
	struct assistance_params p = demo();
	struct assistance_notice n;
	struct err e = {0};
	p.notice_days = 0;
	CHECK_EQ_INT(assistance_notice_window(&p, "2020-03-02", &n, &e), -1);
	CHECK_EQ_STR(e.field, "notice_days");
	p.notice_days = 6;
	CHECK_EQ_INT(assistance_notice_window(&p, "2020-03-02", &n, &e), -1);
	p.notice_days = 7;
	CHECK_EQ_INT(assistance_notice_window(&p, "2021-02-29", &n, &e), -1); /* no such day */
	CHECK_EQ_STR(e.field, "start_date");
}

/* ================================ parameters =============================================== */

TEST(params_check_accepts_the_demo_values)
{
	struct assistance_params p = demo();
	struct err e = {0};
	CHECK_EQ_INT(assistance_params_check(&p, &e), 0);
}

TEST(params_check_names_the_first_bad_key)
{
	struct assistance_params p = demo();
	struct err e = {0};
	p.review_irregular_months = 0;
	CHECK_EQ_INT(assistance_params_check(&p, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_parameter");
	CHECK_EQ_STR(e.field, "review_irregular_months");
	CHECK_EQ_STR(e.message, "参数 review_irregular_months 超出范围（应为 1–120）");
	p = demo();
	p.dibao_uplift_minor_bp = -1;
	CHECK_EQ_INT(assistance_params_check(&p, &e), -1);
	CHECK_EQ_STR(e.field, "dibao_uplift_minor_bp");
}

TEST(params_check_accepts_zero_money_rates_and_phaseout)
{
	struct assistance_params p = {0};
	struct err e = {0};
	/* every money value, rate, the elderly age and the phase-out may be 0; reviews and the
	 * notice may not */
	p.review_stable_months = 1;
	p.review_irregular_months = 1;
	p.notice_days = 7;
	CHECK_EQ_INT(assistance_params_check(&p, &e), 0);
}

/* unit.h's UNIT_MAIN takes at most 40 tests, so the case table is built from two lists. */
int main(void)
{
	static const struct unit_case cases[] = {
	    UNIT_FOREACH_(
		UNIT_CASE_, month_parse_format_and_add_cross_the_year,
		month_parse_rejects_malformed_text, age_on_month_counts_a_birthday_on_the_first_day,
		urban_standard_is_the_monthly_parameter, rural_standard_is_the_year_divided_by_12,
		rural_standard_below_half_a_fen_rounds_down,
		rural_standard_exact_half_fen_rounds_up, standard_of_unknown_residence_is_refused,
		dibao_gap_is_standard_times_members_minus_income,
		dibao_gap_avoids_per_capita_rounding,
		dibao_elderly_member_adds_a_share_of_the_standard,
		dibao_uplift_rounds_half_up_to_the_fen,
		dibao_member_in_several_categories_gets_the_largest_uplift_only,
		dibao_equal_uplift_rates_report_the_first_category,
		dibao_each_member_in_a_category_adds_their_own_uplift,
		dibao_elderly_uplift_starts_at_the_elderly_age, dibao_minor_uplift_ends_at_18,
		dibao_severe_disability_is_grade_1_or_2,
		dibao_minimum_payment_replaces_a_smaller_amount,
		dibao_minimum_payment_leaves_a_larger_amount_alone,
		dibao_household_one_fen_below_the_standard_gets_the_minimum,
		dibao_household_exactly_at_the_standard_is_not_eligible,
		dibao_household_just_above_the_standard_gets_zero_with_the_reason,
		dibao_tekun_member_is_not_counted,
		dibao_household_of_only_tekun_members_is_not_eligible,
		dibao_two_job_refusals_change_nothing,
		dibao_three_job_refusals_withhold_that_members_share_of_the_gap,
		dibao_refusal_share_rounds_half_up_in_the_households_favour,
		dibao_refusing_member_keeps_their_uplift,
		dibao_household_where_everyone_refused_gets_no_minimum,
		dibao_household_where_everyone_refused_still_gets_uplifts_without_minimum,
		dibao_rural_household_uses_the_rounded_monthly_standard,
		dibao_standard_of_zero_makes_nobody_eligible,
		dibao_zero_minimum_and_zero_rates_pay_the_gap_only,
		dibao_elderly_age_of_zero_disables_the_elderly_uplift,
		dibao_invalid_member_names_the_field,
		dibao_negative_parameter_is_a_server_error_naming_the_key,
		dibao_reason_and_uplift_codes_are_stable)
		UNIT_FOREACH_(
		    UNIT_CASE_, care_level_with_no_activity_lost_is_self_care,
		    care_level_with_one_activity_lost_is_half_care,
		    care_level_with_three_activities_lost_is_half_care,
		    care_level_with_four_activities_lost_is_full_care,
		    care_level_with_all_six_activities_lost_is_full_care,
		    care_level_refuses_a_seventh_activity_bit,
		    tekun_basic_is_the_standard_times_the_factor,
		    tekun_basic_rounds_half_up_from_the_rounded_rural_standard,
		    tekun_care_is_the_yearly_allowance_divided_by_12_half_up,
		    tekun_total_is_basic_plus_care_centralised_full,
		    tekun_scattered_support_uses_the_scattered_table,
		    tekun_factor_of_zero_pays_the_care_allowance_only,
		    tekun_unknown_support_form_is_refused,
		    orphan_with_both_parents_dead_in_an_institution,
		    orphan_with_one_parent_dead_and_the_other_missing_scattered,
		    orphan_with_both_parents_missing,
		    child_allowance_is_paid_through_the_18th_birthday_month_only,
		    unsupported_child_when_both_parents_have_a_condition,
		    unsupported_child_when_the_surviving_parent_is_seriously_ill,
		    unsupported_child_when_one_parent_is_missing_and_the_other_out_of_contact,
		    unsupported_child_allowance_ignores_the_placement,
		    parent_severe_disability_is_grade_1_2_or_mental_and_intellectual_3_4,
		    parent_detained_counts_from_six_months,
		    parent_out_of_contact_counts_from_six_months,
		    child_with_one_able_parent_is_not_eligible_and_names_that_parent,
		    child_allowance_of_zero_keeps_the_category_and_pays_zero,
		    child_born_after_the_month_is_refused,
		    phaseout_plan_of_three_months_found_in_may, phaseout_month_by_month,
		    phaseout_of_zero_months_ends_the_month_after_the_review,
		    phaseout_exit_inside_an_epidemic_is_held_until_the_month_after_it_ends,
		    exit_before_an_epidemic_period_is_not_held,
		    exit_on_the_first_or_last_month_of_a_period_is_held,
		    exit_the_month_after_a_period_is_not_held,
		    exit_held_into_an_adjoining_period_is_held_again,
		    pay_status_before_the_start_month_is_not_started,
		    pay_status_without_a_phaseout_is_active,
		    pay_status_refuses_a_review_before_the_start_and_a_reversed_period)
		    UNIT_FOREACH_(UNIT_CASE_, review_of_a_stable_household_is_due_after_12_months,
				  review_of_an_irregular_household_is_due_after_6_months,
				  review_due_inside_an_epidemic_moves_to_the_month_after_it,
				  review_due_after_an_epidemic_is_not_moved,
				  review_interval_of_zero_is_an_invalid_parameter,
				  notice_of_seven_days_counts_the_posting_day,
				  notice_crosses_the_end_of_february_in_leap_and_common_years,
				  notice_shorter_than_seven_days_is_an_invalid_parameter,
				  params_check_accepts_the_demo_values,
				  params_check_names_the_first_bad_key,
				  params_check_accepts_zero_money_rates_and_phaseout)};
	return unit_run(cases, sizeof cases / sizeof cases[0]);
}
