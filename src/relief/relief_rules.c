/* relief_rules.c — the pure rules of temporary assistance (see relief_rules.h): the cause table,
 * the limits and approval level of an application, and which step may follow which. No I/O. */
#include "relief/relief_rules.h"

#include <string.h>

#include "core/text.h"

static const struct relief_cause causes[] = {
    /* 急难型 */
    {"fire", "emergency", "火灾"},
    {"traffic_accident", "emergency", "交通事故"},
    {"accident", "emergency", "其他意外事故"},
    {"sudden_illness", "emergency", "突发重大疾病"},
    {"epidemic_isolation", "emergency", "疫情隔离（居家或集中隔离）"},
    {"epidemic_infection", "emergency", "感染或疑似感染新冠肺炎"},
    {"natural_disaster", "emergency", "自然灾害"},
    {"other_emergency", "emergency", "其他急难情形"},
    /* 支出型 */
    {"medical", "expense", "医疗费用支出过大"},
    {"education", "expense", "教育费用支出过大"},
    {"epidemic_income_loss", "expense", "疫情致收入中断"},
    {"basic_living", "expense", "基本生活暂时困难"},
    {"other_expense", "expense", "其他支出型困难"},
};

const struct relief_cause *relief_causes(int *n)
{
	*n = (int)(sizeof causes / sizeof causes[0]);
	return causes;
}

const struct relief_cause *relief_cause_find(const char *code)
{
	for (size_t i = 0; code && i < sizeof causes / sizeof causes[0]; i++)
		if (strcmp(causes[i].code, code) == 0)
			return &causes[i];
	return NULL;
}

static const char *label_of(const char *const (*table)[2], size_t n, const char *v)
{
	for (size_t i = 0; v && i < n; i++)
		if (strcmp(table[i][0], v) == 0)
			return table[i][1];
	return "";
}

static const char *const kinds[][2] = {{"emergency", "急难型"}, {"expense", "支出型"}};
static const char *const forms[][2] = {{"cash", "现金"}, {"goods", "实物"}};
static const char *const applicants[][2] = {
    {"self", "本人申请"},
    {"village_worker", "村（居）代为申请"},
    {"hotline", "热线转办"},
    {"ledger_visit", "走访发现"},
};

const char *relief_kind_label(const char *kind)
{
	return label_of(kinds, sizeof kinds / sizeof kinds[0], kind);
}

const char *relief_form_label(const char *form)
{
	return label_of(forms, sizeof forms / sizeof forms[0], form);
}

const char *relief_applied_by_label(const char *applied_by)
{
	return label_of(applicants, sizeof applicants / sizeof applicants[0], applied_by);
}

int64_t relief_rural_month_fen(int64_t year_fen)
{
	return year_fen / 12;
}

int64_t relief_max_fen(const struct relief_params *p)
{
	return p->standard_month_fen * p->max_multiple_bp / 10000;
}

int64_t relief_emergency_min_fen(const struct relief_params *p)
{
	return (p->standard_month_fen * p->emergency_min_multiple_bp + 9999) / 10000;
}

/* "1,234.56" for messages. */
static void yuan(int64_t fen, char out[32])
{
	char digits[24];
	int n = 0;
	int64_t y = fen / 100;
	do {
		digits[n++] = (char)('0' + y % 10);
		y /= 10;
	} while (y && n < 20);
	int o = 0;
	for (int i = n - 1; i >= 0; i--) {
		out[o++] = digits[i];
		if (i && i % 3 == 0)
			out[o++] = ',';
	}
	out[o++] = '.';
	out[o++] = (char)('0' + (fen % 100) / 10);
	out[o++] = (char)('0' + fen % 10);
	out[o] = '\0';
}

int relief_assess(const struct relief_params *p, const struct relief_assess_in *in,
		  struct relief_assessment *out, struct err *e)
{
	char a[32], b[32];
	memset(out, 0, sizeof *out);
	if (text_blank(in->kind))
		return err_set(e, 400, "required", "kind", "请选择救助类型（急难型或支出型）");
	if (!relief_kind_label(in->kind)[0])
		return err_set(e, 400, "invalid_value", "kind",
			       "救助类型应为 emergency（急难型）或 expense（支出型）");
	if (text_blank(in->cause))
		return err_set(e, 400, "required", "cause", "请选择救助事由");
	const struct relief_cause *c = relief_cause_find(in->cause);
	if (!c)
		return err_set(e, 400, "invalid_value", "cause", "未知的救助事由：%.40s",
			       in->cause);
	if (strcmp(c->kind, in->kind) != 0)
		return err_set(e, 400, "invalid_value", "cause",
			       "事由“%s”属于%s救助，与所选类型不符", c->label,
			       relief_kind_label(c->kind));
	if (text_blank(in->form))
		return err_set(e, 400, "required", "form", "请选择救助形式（现金或实物）");
	if (!relief_form_label(in->form)[0])
		return err_set(e, 400, "invalid_value", "form",
			       "救助形式应为 cash（现金）或 goods（实物）");
	if (strcmp(in->form, "goods") == 0 && text_blank(in->goods_note))
		return err_set(e, 400, "required", "goods_note", "实物救助请写明物品及折价");
	if (in->amount_fen <= 0)
		return err_set(e, 400, "invalid_value", "amount_fen", "救助金额应大于 0");
	if (in->amount_fen > RELIEF_MAX_FEN)
		return err_set(e, 400, "invalid_value", "amount_fen", "救助金额过大，请核对");
	out->max_fen = relief_max_fen(p);
	out->min_fen = strcmp(in->kind, "emergency") == 0 ? relief_emergency_min_fen(p) : 0;
	if (in->amount_fen < out->min_fen) {
		yuan(out->min_fen, a);
		return err_set(e, 400, "below_minimum", "amount_fen",
			       "急难型临时救助一次不低于低保月标准的 %lld.%02lld 倍，即 %s 元",
			       (long long)(p->emergency_min_multiple_bp / 10000),
			       (long long)(p->emergency_min_multiple_bp % 10000 / 100), a);
	}
	out->needs_decision = in->amount_fen > out->max_fen;
	out->repeat = in->prior_same_cause > 0;
	int county = out->repeat || in->amount_fen > p->township_limit_fen;
	memcpy(out->level, county ? "county" : "township", county ? 7 : 9);
	if (in->pay_first && out->needs_decision) {
		yuan(in->amount_fen, a);
		yuan(out->max_fen, b);
		return err_set(e, 409, "decision_required", "amount_fen",
			       "金额 %s 元超过临时救助上限 %s 元，须先经一事一议，不能先行救助", a,
			       b);
	}
	if (in->pay_first && out->repeat)
		return err_set(e, 409, "once_per_year", "cause",
			       "此人本年度已因“%s”获得临时救助，再次救助须县级批准，不能先行救助",
			       c->label);
	return 0;
}

const char *relief_step_name(enum relief_step s)
{
	switch (s) {
	case RELIEF_STEP_PAPERS:
		return "papers";
	case RELIEF_STEP_DECISION:
		return "decision";
	case RELIEF_STEP_APPROVE:
		return "approve";
	case RELIEF_STEP_REFUSE:
		return "refuse";
	case RELIEF_STEP_PAY:
		return "pay";
	case RELIEF_STEP_DELIVER:
		return "deliver";
	case RELIEF_STEP_RETURN:
		return "return";
	}
	return NULL;
}

static int is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static int step_invalid(struct err *e, const char *why)
{
	return err_set(e, 409, "invalid_step", NULL, "%s", why);
}

/* The approving level: a repeat or an amount above the township's limit is the county's. */
static int level_check(const struct relief_state *s, const struct relief_who *w, const char *what,
		       struct err *e)
{
	if (is(s->level, "county") || s->repeat) {
		if (!w->county)
			return err_set(
			    e, 403, "forbidden", NULL, "%s须由县级民政部门%s",
			    s->repeat ? "同一事由本年度再次救助" : "金额超过镇街审批限额，", what);
		return 0;
	}
	if (!w->township && !w->county)
		return err_set(e, 403, "forbidden", NULL, "须由镇街或县级民政部门%s", what);
	return 0;
}

int relief_step_check(const struct relief_state *s, enum relief_step step,
		      const struct relief_who *w, const char *note, struct err *e)
{
	switch (step) {
	case RELIEF_STEP_PAPERS:
		if (!w->write)
			return err_set(e, 403, "forbidden", NULL, "您的角色无权补办材料");
		if (!s->pay_first)
			return step_invalid(e, "一般程序的申请材料随申请提交，无需补办");
		if (s->papers_done)
			return step_invalid(e, "材料已补齐");
		if (is(s->decision, "refused"))
			return step_invalid(e, "已不予救助");
		return 0;
	case RELIEF_STEP_DECISION:
		if (!w->county)
			return err_set(e, 403, "forbidden", NULL, "一事一议须由县级民政部门记录");
		if (!is(s->decision, "pending"))
			return step_invalid(e, "已作出审批决定");
		if (!s->needs_decision)
			return step_invalid(e, "金额未超过临时救助上限，无需一事一议");
		if (s->has_decision)
			return step_invalid(e, "已附一事一议记录");
		return 0;
	case RELIEF_STEP_APPROVE:
		if (!is(s->decision, "pending"))
			return step_invalid(e, "已作出审批决定");
		if (level_check(s, w, "审批", e) < 0)
			return -1;
		if (s->pay_first && !s->papers_done)
			return err_set(e, 409, "papers_missing", NULL,
				       "先行救助的申请审批材料尚未补齐，补齐后方可审批");
		if (s->needs_decision && !s->has_decision)
			return err_set(e, 409, "decision_required", NULL,
				       "金额超过临时救助上限，须附一事一议记录后方可审批");
		if (s->repeat && text_blank(note))
			return err_set(e, 400, "required", "note",
				       "同一事由本年度再次救助，请写明同意再次救助的理由");
		return 0;
	case RELIEF_STEP_REFUSE:
		if (!is(s->decision, "pending"))
			return step_invalid(e, "已作出审批决定");
		if (level_check(s, w, "审批", e) < 0)
			return -1;
		if (text_blank(note))
			return err_set(e, 400, "required", "note", "请写明不予救助的理由");
		return 0;
	case RELIEF_STEP_PAY:
		if (!w->township && !w->county)
			return err_set(e, 403, "forbidden", NULL, "须由镇街或县级民政部门发放");
		if (s->pay_first)
			return step_invalid(e, "先行救助已从备用金发放");
		if (!is(s->decision, "approved"))
			return step_invalid(e, "尚未审批同意，不能发放");
		if (!is(s->payment, "none"))
			return step_invalid(e, "已发放");
		return 0;
	case RELIEF_STEP_DELIVER:
		if (!w->township && !w->county)
			return err_set(e, 403, "forbidden", NULL, "须由镇街或县级民政部门发放");
		if (!s->pay_first || !is(s->payment, "drawn"))
			return step_invalid(e,
					    "只有已从备用金领出、尚未送达的先行救助物资可登记送达");
		return 0;
	case RELIEF_STEP_RETURN:
		if (!w->township && !w->county)
			return err_set(e, 403, "forbidden", NULL, "须由镇街或县级民政部门登记退回");
		if (!is(s->payment, "paid") && !is(s->payment, "drawn"))
			return step_invalid(e, "尚未发放，无可退回");
		if (text_blank(note))
			return err_set(e, 400, "required", "note", "请写明退回的原因");
		return 0;
	}
	return err_set(e, 400, "invalid_value", "step", "未知的步骤");
}

const char *relief_state_label(const struct relief_state *s)
{
	if (is(s->payment, "returned"))
		return "已退回";
	if (is(s->decision, "refused"))
		return is(s->payment, "paid") || is(s->payment, "drawn") ? "不予救助·已先行发放"
									 : "不予救助";
	if (s->pay_first) {
		if (is(s->payment, "drawn"))
			return "先行救助·物资待送达";
		if (!s->papers_done)
			return "先行救助·待补材料";
		if (is(s->decision, "pending"))
			return "先行救助·待审批";
		return "已发放·已审批";
	}
	if (is(s->decision, "pending"))
		return s->needs_decision && !s->has_decision ? "待一事一议" : "待审批";
	if (is(s->payment, "paid"))
		return "已发放";
	return "已批准·待发放";
}
