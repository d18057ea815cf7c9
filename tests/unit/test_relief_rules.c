/* test_relief_rules.c — the pure rules of temporary assistance (relief_rules.c): the limits from
 * the 低保 standard, the approval level, case decisions above the maximum, the emergency minimum,
 * once per person per cause per year, and which step may follow which for whom.
 *
 * The figures are the demo city's (DOMAIN.md 临时救助): urban standard 710.00 yuan a month,
 * rural 5,400 yuan a year (450.00 a month), maximum 10 × the standard, emergency at least 2 ×,
 * the township approves up to 1,000 yuan.
 */
#include "relief/relief_rules.h"
#include "unit.h"

static const struct relief_params URBAN = {71000, 100000, 100000, 20000};
static const struct relief_params RURAL = {45000, 100000, 100000, 20000};

static struct relief_assess_in app(const char *kind, const char *cause, int64_t fen)
{
	struct relief_assess_in in = {
	    .kind = kind, .cause = cause, .form = "cash", .goods_note = "", .amount_fen = fen};
	return in;
}

TEST(rural_month_standard_is_the_year_cut_to_the_fen)
{
	CHECK_EQ_INT(relief_rural_month_fen(540000), 45000); /* 5,400 / 12 = 450.00 */
	CHECK_EQ_INT(relief_rural_month_fen(540011), 45000); /* 450.0091… cut */
	CHECK_EQ_INT(relief_rural_month_fen(540012), 45001);
}

TEST(maximum_is_ten_times_the_standard_and_emergency_minimum_twice)
{
	CHECK_EQ_INT(relief_max_fen(&URBAN), 710000);		/* 710 × 10 = 7,100.00 */
	CHECK_EQ_INT(relief_emergency_min_fen(&URBAN), 142000); /* 710 × 2 = 1,420.00 */
	CHECK_EQ_INT(relief_max_fen(&RURAL), 450000);		/* 450 × 10 = 4,500.00 */
	CHECK_EQ_INT(relief_emergency_min_fen(&RURAL), 90000);
	/* 1.5 × 450.01 = 675.015: the maximum is cut, the minimum raised to the fen */
	struct relief_params odd = {45001, 100000, 15000, 15000};
	CHECK_EQ_INT(relief_max_fen(&odd), 67501);
	CHECK_EQ_INT(relief_emergency_min_fen(&odd), 67502);
}

TEST(township_approves_up_to_its_limit_county_above)
{
	struct relief_assessment as;
	struct err e;
	struct relief_assess_in in = app("expense", "medical", 100000); /* exactly 1,000.00 */
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_STR(as.level, "township");
	CHECK_EQ_INT(as.needs_decision, 0);
	in.amount_fen = 100001;
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_STR(as.level, "county");
}

TEST(above_the_maximum_needs_a_case_decision_and_cannot_be_paid_first)
{
	struct relief_assessment as;
	struct err e;
	struct relief_assess_in in = app("emergency", "fire", 710000); /* = maximum: no decision */
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_INT(as.needs_decision, 0);
	in.amount_fen = 710001;
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_INT(as.needs_decision, 1);
	CHECK_EQ_STR(as.level, "county");
	in.pay_first = 1;
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.code, "decision_required");
	CHECK_EQ_INT(e.status, 409);
	/* rural maximum is 4,500.00 */
	in = app("emergency", "fire", 450001);
	CHECK_EQ_INT(relief_assess(&RURAL, &in, &as, &e), 0);
	CHECK_EQ_INT(as.needs_decision, 1);
}

TEST(emergency_grants_are_at_least_twice_the_standard_expense_grants_have_no_minimum)
{
	struct relief_assessment as;
	struct err e;
	struct relief_assess_in in = app("emergency", "epidemic_isolation", 141999);
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.code, "below_minimum");
	CHECK_EQ_STR(e.field, "amount_fen");
	CHECK(strstr(e.message, "1,420.00") != NULL);
	in.amount_fen = 142000;
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_INT(as.min_fen, 142000);
	in = app("emergency", "epidemic_isolation", 90000); /* rural minimum 900.00 */
	CHECK_EQ_INT(relief_assess(&RURAL, &in, &as, &e), 0);
	CHECK_EQ_STR(as.level, "township");
	in = app("expense", "basic_living", 100);
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_INT(as.min_fen, 0);
}

TEST(kind_cause_form_and_amount_are_checked)
{
	struct relief_assessment as;
	struct err e;
	struct relief_assess_in in = app("", "fire", 100000);
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "kind");
	in = app("urgent", "fire", 100000);
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.field, "kind");
	in = app("expense", "fire", 100000); /* a fire is an emergency */
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK_EQ_STR(e.field, "cause");
	in = app("expense", "lottery", 100000);
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.field, "cause");
	in = app("expense", "medical", 0);
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.field, "amount_fen");
	in = app("expense", "medical", 100000);
	in.form = "voucher";
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.field, "form");
	in.form = "goods";
	in.goods_note = "  ";
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "goods_note");
	in.goods_note = "米 2 袋、油 1 桶，折价 300 元";
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
}

TEST(a_second_grant_for_the_same_cause_this_year_is_the_countys_and_never_paid_first)
{
	struct relief_assessment as;
	struct err e;
	struct relief_assess_in in =
	    app("expense", "medical", 50000); /* within the township's limit */
	in.prior_same_cause = 1;
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), 0);
	CHECK_EQ_INT(as.repeat, 1);
	CHECK_EQ_STR(as.level, "county");
	in = app("emergency", "epidemic_isolation", 150000);
	in.prior_same_cause = 1;
	in.pay_first = 1;
	CHECK_EQ_INT(relief_assess(&URBAN, &in, &as, &e), -1);
	CHECK_EQ_STR(e.code, "once_per_year");
	CHECK_EQ_INT(e.status, 409);
}

/* ---- steps ---- */

static const struct relief_who VILLAGE = {1, 0, 0}, TOWN = {1, 0, 1}, COUNTY = {1, 1, 1},
			       READER = {0, 0, 0};

static struct relief_state normal(const char *level)
{
	struct relief_state s = {
	    .level = level, .decision = "pending", .payment = "none", .form = "cash"};
	return s;
}

TEST(the_township_approves_its_level_the_county_both_a_village_worker_neither)
{
	struct err e;
	struct relief_state s = normal("township");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &TOWN, "", &e), 0);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &COUNTY, "", &e), 0);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &VILLAGE, "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	s = normal("county");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &TOWN, "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK(strstr(e.message, "县级") != NULL);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_REFUSE, &TOWN, "不符合条件", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &COUNTY, "", &e), 0);
}

TEST(approval_above_the_maximum_waits_for_the_case_decision)
{
	struct err e;
	struct relief_state s = normal("county");
	s.needs_decision = 1;
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &COUNTY, "", &e), -1);
	CHECK_EQ_STR(e.code, "decision_required");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_DECISION, &TOWN, "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_DECISION, &COUNTY, "", &e), 0);
	s.has_decision = 1;
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_DECISION, &COUNTY, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &COUNTY, "", &e), 0);
	struct relief_state plain =
	    normal("county"); /* within the maximum: no decision to record */
	CHECK_EQ_INT(relief_step_check(&plain, RELIEF_STEP_DECISION, &COUNTY, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
}

TEST(a_repeat_is_approved_by_the_county_with_a_reason)
{
	struct err e;
	struct relief_state s = normal("county");
	s.repeat = 1;
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &COUNTY, " ", &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "note");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &COUNTY, "隔离期延长", &e), 0);
	s.level = "township"; /* a repeat is the county's whatever the amount */
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &TOWN, "隔离期延长", &e), -1);
	CHECK_EQ_INT(e.status, 403);
}

TEST(pay_first_papers_come_before_approval)
{
	struct err e;
	struct relief_state s = normal("township");
	s.pay_first = 1;
	s.payment = "paid";
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "papers_missing");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAPERS, &VILLAGE, "", &e), 0);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAPERS, &READER, "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	s.papers_done = 1;
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAPERS, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &TOWN, "", &e), 0);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAY, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step"); /* paid from the reserve already */
	struct relief_state n = normal("township");
	CHECK_EQ_INT(relief_step_check(&n, RELIEF_STEP_PAPERS, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
}

TEST(a_normal_grant_is_paid_once_after_approval)
{
	struct err e;
	struct relief_state s = normal("township");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAY, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	s.decision = "approved";
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAY, &VILLAGE, "", &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAY, &TOWN, "", &e), 0);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_APPROVE, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	s.payment = "paid";
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_PAY, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
}

TEST(refusals_and_returns_need_a_reason_deliveries_only_drawn_goods)
{
	struct err e;
	struct relief_state s = normal("township");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_REFUSE, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.field, "note");
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_REFUSE, &TOWN, "收入超过标准", &e), 0);
	CHECK_EQ_INT(relief_step_check(&s, RELIEF_STEP_RETURN, &TOWN, "退回", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
	struct relief_state g = normal("township");
	g.pay_first = 1;
	g.form = "goods";
	g.payment = "drawn";
	CHECK_EQ_INT(relief_step_check(&g, RELIEF_STEP_DELIVER, &TOWN, "", &e), 0);
	CHECK_EQ_INT(relief_step_check(&g, RELIEF_STEP_RETURN, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.field, "note");
	CHECK_EQ_INT(relief_step_check(&g, RELIEF_STEP_RETURN, &TOWN, "物资未送出", &e), 0);
	g.payment = "paid";
	CHECK_EQ_INT(relief_step_check(&g, RELIEF_STEP_DELIVER, &TOWN, "", &e), -1);
	CHECK_EQ_STR(e.code, "invalid_step");
}

TEST(state_labels_say_where_a_grant_stands)
{
	struct relief_state s = normal("township");
	CHECK_EQ_STR(relief_state_label(&s), "待审批");
	s.needs_decision = 1;
	CHECK_EQ_STR(relief_state_label(&s), "待一事一议");
	s = normal("township");
	s.decision = "approved";
	CHECK_EQ_STR(relief_state_label(&s), "已批准·待发放");
	s.payment = "paid";
	CHECK_EQ_STR(relief_state_label(&s), "已发放");
	s = normal("township");
	s.pay_first = 1;
	s.payment = "paid";
	CHECK_EQ_STR(relief_state_label(&s), "先行救助·待补材料");
	s.papers_done = 1;
	CHECK_EQ_STR(relief_state_label(&s), "先行救助·待审批");
	s.payment = "returned";
	CHECK_EQ_STR(relief_state_label(&s), "已退回");
}

TEST(every_cause_belongs_to_a_kind_and_has_a_label)
{
	int n;
	const struct relief_cause *c = relief_causes(&n);
	CHECK(n >= 10);
	for (int i = 0; i < n; i++) {
		CHECK(relief_kind_label(c[i].kind)[0] != '\0');
		CHECK(c[i].label[0] != '\0');
		CHECK(relief_cause_find(c[i].code) == &c[i]);
	}
	CHECK_EQ_STR(relief_cause_find("epidemic_isolation")->kind, "emergency");
	CHECK(relief_cause_find("nope") == NULL);
	CHECK_EQ_STR(relief_applied_by_label("ledger_visit"), "走访发现");
	CHECK_EQ_STR(relief_applied_by_label("fax"), "");
}

UNIT_MAIN(rural_month_standard_is_the_year_cut_to_the_fen,
	  maximum_is_ten_times_the_standard_and_emergency_minimum_twice,
	  township_approves_up_to_its_limit_county_above,
	  above_the_maximum_needs_a_case_decision_and_cannot_be_paid_first,
	  emergency_grants_are_at_least_twice_the_standard_expense_grants_have_no_minimum,
	  kind_cause_form_and_amount_are_checked,
	  a_second_grant_for_the_same_cause_this_year_is_the_countys_and_never_paid_first,
	  the_township_approves_its_level_the_county_both_a_village_worker_neither,
	  approval_above_the_maximum_waits_for_the_case_decision,
	  a_repeat_is_approved_by_the_county_with_a_reason, pay_first_papers_come_before_approval,
	  a_normal_grant_is_paid_once_after_approval,
	  refusals_and_returns_need_a_reason_deliveries_only_drawn_goods,
	  state_labels_say_where_a_grant_stands, every_cause_belongs_to_a_kind_and_has_a_label)
