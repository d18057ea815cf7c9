/* assistance_rules.c — the arithmetic and the eligibility tests of the assistance programs
 * (public face and every rule: assistance_rules.h; the same rules in prose, Chinese and English:
 * docs/assistance-rules.md).
 *
 * Pure: no I/O, no allocation, no globals. All values are non-negative int64 fen or basis
 * points, bounded (ASSISTANCE_MAX_FEN × ASSISTANCE_MAX_MEMBERS × ASSISTANCE_MAX_BP stays far
 * below 2^63), so products never overflow and every rounding is the one helper round_half_up().
 * Months are ints (year × 12 + month − 1), days are counts from 1970-01-01 (civil calendar
 * conversion after Howard Hinnant's days_from_civil), so month and day arithmetic is plain
 * integer arithmetic.
 *
 * Each function checks the parameters it uses (500 invalid_parameter: a stored policy value out
 * of range is the server's problem, not the user's) and its inputs (400 invalid_value) before
 * computing anything, and fills its result only on success.
 */
#include "assistance/assistance_rules.h"

#include <stdio.h>
#include <string.h>

#define BP_ONE 10000
#define MONTH_MIN (1900 * 12)
#define MONTH_MAX (9999 * 12 + 11)

/* ---- rounding -------------------------------------------------------------------------- */

/* num ÷ den rounded half up, for num ≥ 0 and den > 0: floor(num/den + 1/2). */
static int64_t round_half_up(int64_t num, int64_t den)
{
	return (2 * num + den) / (2 * den);
}

/* ---- parameter and input checks -------------------------------------------------------- */

static int bad_param(struct err *e, int status, const char *key, const char *range)
{
	return err_set(e, status, "invalid_parameter", key, "参数 %s 超出范围（应为 %s）", key,
		       range);
}

#define FEN_RANGE "0–10000000000 分"
#define BP_RANGE "0–100000 基点"

#define NEED_FEN(p, key, status, e)                                                                \
	do {                                                                                       \
		if ((p)->key < 0 || (p)->key > ASSISTANCE_MAX_FEN)                                 \
			return bad_param(e, status, #key, FEN_RANGE);                              \
	} while (0)
#define NEED_BP(p, key, status, e)                                                                 \
	do {                                                                                       \
		if ((p)->key < 0 || (p)->key > ASSISTANCE_MAX_BP)                                  \
			return bad_param(e, status, #key, BP_RANGE);                               \
	} while (0)
#define NEED_INT(p, key, lo, hi, status, e)                                                        \
	do {                                                                                       \
		if ((p)->key < (lo) || (p)->key > (hi)) {                                          \
			char range_[32];                                                           \
			snprintf(range_, sizeof range_, "%d–%d", (int)(lo), (int)(hi));            \
			return bad_param(e, status, #key, range_);                                 \
		}                                                                                  \
	} while (0)

static int bad_value(struct err *e, const char *field, const char *what)
{
	return err_set(e, 400, "invalid_value", field, "%s", what);
}

static int bad_member(struct err *e, int i, const char *name, const char *what)
{
	char field[64];
	snprintf(field, sizeof field, "members[%d].%s", i, name);
	return bad_value(e, field, what);
}

static int bad_parent(struct err *e, int i, const char *name, const char *what)
{
	char field[64];
	snprintf(field, sizeof field, "parents[%d].%s", i, name);
	return bad_value(e, field, what);
}

static int params_for_standard(const struct assistance_params *p, int status, struct err *e)
{
	NEED_FEN(p, dibao_standard_urban_month_fen, status, e);
	NEED_FEN(p, dibao_standard_rural_year_fen, status, e);
	return 0;
}

int assistance_params_check(const struct assistance_params *p, struct err *e)
{
	const int st = 400;
	if (!p)
		return bad_value(e, "params", "缺少参数");
	if (params_for_standard(p, st, e) < 0)
		return -1;
	NEED_FEN(p, dibao_min_payment_fen, st, e);
	NEED_BP(p, dibao_uplift_elderly_bp, st, e);
	NEED_BP(p, dibao_uplift_severe_disability_bp, st, e);
	NEED_BP(p, dibao_uplift_serious_illness_bp, st, e);
	NEED_BP(p, dibao_uplift_minor_bp, st, e);
	NEED_INT(p, dibao_elderly_age, 0, ASSISTANCE_MAX_AGE, st, e);
	NEED_BP(p, tekun_basic_factor_bp, st, e);
	NEED_FEN(p, tekun_care_centralised_full_year_fen, st, e);
	NEED_FEN(p, tekun_care_centralised_half_year_fen, st, e);
	NEED_FEN(p, tekun_care_centralised_self_year_fen, st, e);
	NEED_FEN(p, tekun_care_scattered_full_year_fen, st, e);
	NEED_FEN(p, tekun_care_scattered_half_year_fen, st, e);
	NEED_FEN(p, tekun_care_scattered_self_year_fen, st, e);
	NEED_FEN(p, orphan_institutional_month_fen, st, e);
	NEED_FEN(p, orphan_scattered_month_fen, st, e);
	NEED_FEN(p, unsupported_child_month_fen, st, e);
	NEED_INT(p, dibao_phaseout_months, 0, ASSISTANCE_MAX_PERIOD_MONTHS, st, e);
	NEED_INT(p, review_stable_months, 1, ASSISTANCE_MAX_PERIOD_MONTHS, st, e);
	NEED_INT(p, review_irregular_months, 1, ASSISTANCE_MAX_PERIOD_MONTHS, st, e);
	NEED_INT(p, notice_days, ASSISTANCE_NOTICE_MIN_DAYS, ASSISTANCE_MAX_NOTICE_DAYS, st, e);
	return 0;
}

/* ---- months and days ------------------------------------------------------------------- */

int assistance_month_make(int year, int mon)
{
	return year * 12 + (mon - 1);
}

int assistance_month_valid(int month)
{
	return month >= MONTH_MIN && month <= MONTH_MAX;
}

static int digits(const char *z, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (z[i] < '0' || z[i] > '9')
			return -1;
		v = v * 10 + (z[i] - '0');
	}
	*out = v;
	return 0;
}

int assistance_month_parse(const char *z, int *month)
{
	int y, m;
	if (!z || strlen(z) != 7 || z[4] != '-' || digits(z, 4, &y) < 0 || digits(z + 5, 2, &m) < 0)
		return -1;
	if (y < 1900 || m < 1 || m > 12)
		return -1;
	*month = assistance_month_make(y, m);
	return 0;
}

void assistance_month_format(int month, char out[8])
{
	if (!assistance_month_valid(month)) {
		out[0] = '\0';
		return;
	}
	snprintf(out, 8, "%04d-%02d", month / 12, month % 12 + 1);
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Strict "YYYY-MM-DD", a real calendar day in 1900..9999. */
static int parse_date(const char *z, int *y, int *m, int *d)
{
	if (!z || strlen(z) != 10 || z[4] != '-' || z[7] != '-' || digits(z, 4, y) < 0 ||
	    digits(z + 5, 2, m) < 0 || digits(z + 8, 2, d) < 0)
		return -1;
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return -1;
	return 0;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian; years here are ≥ 1900). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	const int64_t era = y / 400;
	const int64_t yoe = y - era * 400;
	const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	const int64_t era = z / 146097;
	const int64_t doe = z - era * 146097;
	const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static void format_date(int64_t days, char out[11])
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

int assistance_age_on_month(const char *birth_date, int month, int *age)
{
	int by, bm, bd;
	if (parse_date(birth_date, &by, &bm, &bd) < 0 || !assistance_month_valid(month))
		return -1;
	const int y = month / 12, m = month % 12 + 1; /* the first day: y-m-01 */
	if (by > y || (by == y && (bm > m || (bm == m && bd > 1))))
		return -1;
	int a = y - by;
	if (m < bm || (m == bm && 1 < bd))
		a--; /* the birthday of year y has not come by the 1st */
	*age = a;
	return 0;
}

/* ---- 低保 standard ---------------------------------------------------------------------- */

static int standard_month(const struct assistance_params *p, enum assistance_residence residence,
			  int64_t *standard_fen, struct err *e)
{
	if (residence == ASSISTANCE_URBAN) {
		NEED_FEN(p, dibao_standard_urban_month_fen, 500, e);
		*standard_fen = p->dibao_standard_urban_month_fen;
		return 0;
	}
	if (residence == ASSISTANCE_RURAL) {
		NEED_FEN(p, dibao_standard_rural_year_fen, 500, e);
		*standard_fen = round_half_up(p->dibao_standard_rural_year_fen, 12);
		return 0;
	}
	return bad_value(e, "residence", "户籍类型应为城镇或农村");
}

int assistance_dibao_standard_month(const struct assistance_params *p,
				    enum assistance_residence residence, int64_t *standard_fen,
				    struct err *e)
{
	return standard_month(p, residence, standard_fen, e);
}

/* ---- 低保 household amount -------------------------------------------------------------- */

/* The member's category with the largest rate (first in enum order on a tie); NONE when no
 * category applies or every applying rate is 0. */
static enum assistance_uplift member_uplift(const struct assistance_params *p,
					    const struct assistance_member *m, int32_t *bp)
{
	enum assistance_uplift best = ASSISTANCE_UPLIFT_NONE;
	int32_t best_bp = 0;
	const struct {
		int applies;
		enum assistance_uplift kind;
		int32_t bp;
	} cand[] = {
	    {p->dibao_elderly_age > 0 && m->age >= p->dibao_elderly_age, ASSISTANCE_UPLIFT_ELDERLY,
	     p->dibao_uplift_elderly_bp},
	    {m->disability_grade == 1 || m->disability_grade == 2,
	     ASSISTANCE_UPLIFT_SEVERE_DISABILITY, p->dibao_uplift_severe_disability_bp},
	    {m->seriously_ill != 0, ASSISTANCE_UPLIFT_SERIOUS_ILLNESS,
	     p->dibao_uplift_serious_illness_bp},
	    {m->age < ASSISTANCE_ADULT_AGE, ASSISTANCE_UPLIFT_MINOR, p->dibao_uplift_minor_bp},
	};
	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
		if (cand[i].applies && cand[i].bp > best_bp) {
			best = cand[i].kind;
			best_bp = cand[i].bp;
		}
	}
	*bp = best_bp;
	return best;
}

static int check_member(const struct assistance_member *m, int i, struct err *e)
{
	if (m->age < 0 || m->age > ASSISTANCE_MAX_AGE)
		return bad_member(e, i, "age", "年龄应为0–150");
	if (m->disability_grade < 0 || m->disability_grade > 4)
		return bad_member(e, i, "disability_grade", "残疾等级应为0（无）或1–4");
	if (m->income_month_fen < 0 || m->income_month_fen > ASSISTANCE_MAX_FEN)
		return bad_member(e, i, "income_month_fen", "月收入超出范围");
	if (m->job_refusals < 0)
		return bad_member(e, i, "job_refusals", "拒绝就业次数不能为负");
	return 0;
}

int assistance_dibao_amount(const struct assistance_params *p, enum assistance_residence residence,
			    const struct assistance_member *members, int n_members,
			    struct assistance_dibao_result *out, struct err *e)
{
	struct assistance_dibao_result r;
	int64_t s;

	memset(&r, 0, sizeof r);
	if (standard_month(p, residence, &s, e) < 0)
		return -1;
	NEED_FEN(p, dibao_min_payment_fen, 500, e);
	NEED_BP(p, dibao_uplift_elderly_bp, 500, e);
	NEED_BP(p, dibao_uplift_severe_disability_bp, 500, e);
	NEED_BP(p, dibao_uplift_serious_illness_bp, 500, e);
	NEED_BP(p, dibao_uplift_minor_bp, 500, e);
	NEED_INT(p, dibao_elderly_age, 0, ASSISTANCE_MAX_AGE, 500, e);
	if (!members || n_members < 1 || n_members > ASSISTANCE_MAX_MEMBERS)
		return bad_value(e, "members", "家庭成员应为1–20人");
	for (int i = 0; i < n_members; i++)
		if (check_member(&members[i], i, e) < 0)
			return -1;

	r.standard_fen = s;
	r.members = n_members;
	for (int i = 0; i < n_members; i++) {
		const struct assistance_member *m = &members[i];
		int32_t bp;
		if (m->is_tekun)
			continue; /* supported separately: not in this household's amount */
		r.member[i].counted = 1;
		r.member[i].refused = m->job_refusals >= ASSISTANCE_REFUSALS_LIMIT;
		r.member[i].uplift = member_uplift(p, m, &bp);
		r.counted_members++;
		r.refusing_members += r.member[i].refused;
		r.total_income_fen += m->income_month_fen;
	}
	const int64_t n = r.counted_members;
	if (n == 0) {
		r.reason = ASSISTANCE_DIBAO_NO_COUNTED_MEMBERS;
		*out = r;
		return 0;
	}
	r.per_capita_income_fen = round_half_up(r.total_income_fen, n);
	if (r.total_income_fen >= s * n) {
		r.reason = ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD;
		*out = r;
		return 0;
	}

	r.eligible = 1;
	r.gap_fen = s * n - r.total_income_fen;
	r.gap_paid_fen = r.refusing_members == 0
			     ? r.gap_fen
			     : round_half_up(r.gap_fen * (n - r.refusing_members), n);
	r.gap_withheld_fen = r.gap_fen - r.gap_paid_fen;
	for (int i = 0; i < n_members; i++) {
		int32_t bp;
		if (!r.member[i].counted)
			continue;
		member_uplift(p, &members[i], &bp);
		r.member[i].uplift_fen = round_half_up(s * bp, BP_ONE);
		r.uplift_fen += r.member[i].uplift_fen;
	}
	r.computed_fen = r.gap_paid_fen + r.uplift_fen;
	r.amount_fen = r.computed_fen;
	if (r.refusing_members < n && r.computed_fen < p->dibao_min_payment_fen) {
		r.amount_fen = p->dibao_min_payment_fen;
		r.minimum_applied = 1;
	}
	r.reason = r.amount_fen > 0 ? ASSISTANCE_DIBAO_PAID : ASSISTANCE_DIBAO_WORK_REFUSED;
	*out = r;
	return 0;
}

const char *assistance_dibao_reason_code(enum assistance_dibao_reason reason)
{
	switch (reason) {
	case ASSISTANCE_DIBAO_PAID:
		return "paid";
	case ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD:
		return "income_not_below_standard";
	case ASSISTANCE_DIBAO_NO_COUNTED_MEMBERS:
		return "no_counted_members";
	case ASSISTANCE_DIBAO_WORK_REFUSED:
		return "work_refused";
	}
	return "unknown";
}

const char *assistance_dibao_reason_text(enum assistance_dibao_reason reason)
{
	switch (reason) {
	case ASSISTANCE_DIBAO_PAID:
		return "按标准发放";
	case ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD:
		return "家庭人均收入不低于当地低保标准";
	case ASSISTANCE_DIBAO_NO_COUNTED_MEMBERS:
		return "家庭成员均已纳入特困供养，不再计入低保";
	case ASSISTANCE_DIBAO_WORK_REFUSED:
		return "有劳动能力的成员无正当理由拒绝就业，相应份额不予发放";
	}
	return "未知";
}

const char *assistance_uplift_code(enum assistance_uplift uplift)
{
	switch (uplift) {
	case ASSISTANCE_UPLIFT_NONE:
		return "none";
	case ASSISTANCE_UPLIFT_ELDERLY:
		return "elderly";
	case ASSISTANCE_UPLIFT_SEVERE_DISABILITY:
		return "severe_disability";
	case ASSISTANCE_UPLIFT_SERIOUS_ILLNESS:
		return "serious_illness";
	case ASSISTANCE_UPLIFT_MINOR:
		return "minor";
	}
	return "none";
}

/* ---- 特困 -------------------------------------------------------------------------------- */

int assistance_tekun_care_level(unsigned cannot, enum assistance_care_level *level, struct err *e)
{
	if (cannot & ~(unsigned)ASSISTANCE_ADL_ALL)
		return bad_value(e, "adl", "日常生活活动只有6项");
	int k = 0;
	for (unsigned b = cannot; b; b &= b - 1)
		k++;
	*level = k == 0	  ? ASSISTANCE_CARE_SELF
		 : k <= 3 ? ASSISTANCE_CARE_HALF
			  : ASSISTANCE_CARE_FULL;
	return 0;
}

int assistance_tekun_amount(const struct assistance_params *p, enum assistance_residence residence,
			    enum assistance_support_form form, enum assistance_care_level level,
			    struct assistance_tekun_result *out, struct err *e)
{
	struct assistance_tekun_result r;
	int64_t care_year;

	memset(&r, 0, sizeof r);
	if (standard_month(p, residence, &r.standard_fen, e) < 0)
		return -1;
	NEED_BP(p, tekun_basic_factor_bp, 500, e);
	if (form != ASSISTANCE_SUPPORT_CENTRALISED && form != ASSISTANCE_SUPPORT_SCATTERED)
		return bad_value(e, "support_form", "供养方式应为集中或分散");
	if (level != ASSISTANCE_CARE_SELF && level != ASSISTANCE_CARE_HALF &&
	    level != ASSISTANCE_CARE_FULL)
		return bad_value(e, "care_level", "护理等级应为全自理、半护理或全护理");
	if (form == ASSISTANCE_SUPPORT_CENTRALISED) {
		NEED_FEN(p, tekun_care_centralised_full_year_fen, 500, e);
		NEED_FEN(p, tekun_care_centralised_half_year_fen, 500, e);
		NEED_FEN(p, tekun_care_centralised_self_year_fen, 500, e);
		care_year = level == ASSISTANCE_CARE_FULL ? p->tekun_care_centralised_full_year_fen
			    : level == ASSISTANCE_CARE_HALF
				? p->tekun_care_centralised_half_year_fen
				: p->tekun_care_centralised_self_year_fen;
	} else {
		NEED_FEN(p, tekun_care_scattered_full_year_fen, 500, e);
		NEED_FEN(p, tekun_care_scattered_half_year_fen, 500, e);
		NEED_FEN(p, tekun_care_scattered_self_year_fen, 500, e);
		care_year = level == ASSISTANCE_CARE_FULL   ? p->tekun_care_scattered_full_year_fen
			    : level == ASSISTANCE_CARE_HALF ? p->tekun_care_scattered_half_year_fen
							    : p->tekun_care_scattered_self_year_fen;
	}
	r.basic_fen = round_half_up(r.standard_fen * p->tekun_basic_factor_bp, BP_ONE);
	r.care_year_fen = care_year;
	r.care_fen = round_half_up(care_year, 12);
	r.total_fen = r.basic_fen + r.care_fen;
	*out = r;
	return 0;
}

/* ---- orphans and de-facto-unsupported children ----------------------------------------- */

enum assistance_parent_condition assistance_parent_condition(const struct assistance_parent *pa)
{
	const int g = pa->disability_grade;
	const int mind = pa->disability_kind == ASSISTANCE_DISABILITY_INTELLECTUAL ||
			 pa->disability_kind == ASSISTANCE_DISABILITY_MENTAL;
	if (pa->dead)
		return ASSISTANCE_PARENT_DEAD;
	if (pa->missing)
		return ASSISTANCE_PARENT_MISSING;
	if (g == 1 || g == 2 || (mind && (g == 3 || g == 4)))
		return ASSISTANCE_PARENT_SEVERELY_DISABLED;
	if (pa->seriously_ill)
		return ASSISTANCE_PARENT_SERIOUSLY_ILL;
	if (pa->detained_months >= ASSISTANCE_ABSENCE_MONTHS)
		return ASSISTANCE_PARENT_DETAINED;
	if (pa->out_of_contact_months >= ASSISTANCE_ABSENCE_MONTHS)
		return ASSISTANCE_PARENT_OUT_OF_CONTACT;
	return ASSISTANCE_PARENT_ABLE;
}

static int check_parent(const struct assistance_parent *pa, int i, struct err *e)
{
	if (pa->disability_grade < 0 || pa->disability_grade > 4)
		return bad_parent(e, i, "disability_grade", "残疾等级应为0（无）或1–4");
	if (pa->disability_kind < ASSISTANCE_DISABILITY_NONE ||
	    pa->disability_kind > ASSISTANCE_DISABILITY_MULTIPLE)
		return bad_parent(e, i, "disability_kind", "残疾类别无效");
	if (pa->detained_months < 0)
		return bad_parent(e, i, "detained_months", "月数不能为负");
	if (pa->out_of_contact_months < 0)
		return bad_parent(e, i, "out_of_contact_months", "月数不能为负");
	return 0;
}

static int dead_or_missing(enum assistance_parent_condition c)
{
	return c == ASSISTANCE_PARENT_DEAD || c == ASSISTANCE_PARENT_MISSING;
}

int assistance_child_assess(const struct assistance_params *p, const struct assistance_child *c,
			    int month, struct assistance_child_result *out, struct err *e)
{
	struct assistance_child_result r;

	memset(&r, 0, sizeof r);
	r.parent = -1;
	NEED_FEN(p, orphan_institutional_month_fen, 500, e);
	NEED_FEN(p, orphan_scattered_month_fen, 500, e);
	NEED_FEN(p, unsupported_child_month_fen, 500, e);
	if (!assistance_month_valid(month))
		return bad_value(e, "month", "月份无效");
	if (!assistance_month_valid(c->birth_month) || c->birth_month > month)
		return bad_value(e, "birth_month", "出生年月无效或晚于评估月份");
	if (c->placement != ASSISTANCE_PLACEMENT_INSTITUTIONAL &&
	    c->placement != ASSISTANCE_PLACEMENT_SCATTERED)
		return bad_value(e, "placement", "养育方式应为机构或散居");
	for (int i = 0; i < 2; i++) {
		if (check_parent(&c->parents[i], i, e) < 0)
			return -1;
		r.condition[i] = assistance_parent_condition(&c->parents[i]);
	}

	r.last_month = c->birth_month + ASSISTANCE_ADULT_AGE * 12;
	if (month > r.last_month) {
		r.reason = ASSISTANCE_CHILD_OVER_AGE;
		*out = r;
		return 0;
	}
	if (dead_or_missing(r.condition[0]) && dead_or_missing(r.condition[1])) {
		const int inst = c->placement == ASSISTANCE_PLACEMENT_INSTITUTIONAL;
		r.category = inst ? ASSISTANCE_CHILD_ORPHAN_INSTITUTIONAL
				  : ASSISTANCE_CHILD_ORPHAN_SCATTERED;
		r.amount_fen =
		    inst ? p->orphan_institutional_month_fen : p->orphan_scattered_month_fen;
	} else if (r.condition[0] != ASSISTANCE_PARENT_ABLE &&
		   r.condition[1] != ASSISTANCE_PARENT_ABLE) {
		r.category = ASSISTANCE_CHILD_UNSUPPORTED;
		r.amount_fen = p->unsupported_child_month_fen;
	} else {
		r.reason = ASSISTANCE_CHILD_PARENT_ABLE;
		r.parent = r.condition[0] == ASSISTANCE_PARENT_ABLE ? 0 : 1;
	}
	*out = r;
	return 0;
}

const char *assistance_child_category_code(enum assistance_child_category c)
{
	switch (c) {
	case ASSISTANCE_CHILD_NONE:
		return "none";
	case ASSISTANCE_CHILD_ORPHAN_INSTITUTIONAL:
		return "orphan_institutional";
	case ASSISTANCE_CHILD_ORPHAN_SCATTERED:
		return "orphan_scattered";
	case ASSISTANCE_CHILD_UNSUPPORTED:
		return "unsupported_child";
	}
	return "none";
}

const char *assistance_parent_condition_code(enum assistance_parent_condition c)
{
	switch (c) {
	case ASSISTANCE_PARENT_ABLE:
		return "able";
	case ASSISTANCE_PARENT_DEAD:
		return "dead";
	case ASSISTANCE_PARENT_MISSING:
		return "missing";
	case ASSISTANCE_PARENT_SEVERELY_DISABLED:
		return "severely_disabled";
	case ASSISTANCE_PARENT_SERIOUSLY_ILL:
		return "seriously_ill";
	case ASSISTANCE_PARENT_DETAINED:
		return "detained";
	case ASSISTANCE_PARENT_OUT_OF_CONTACT:
		return "out_of_contact";
	}
	return "able";
}

/* ---- epidemic periods, phase-out, pay status ------------------------------------------- */

static int check_periods(const struct assistance_period *periods, int n, struct err *e)
{
	if (n < 0 || (n > 0 && !periods))
		return bad_value(e, "periods", "疫情期间列表无效");
	for (int i = 0; i < n; i++) {
		if (!assistance_month_valid(periods[i].start_month) ||
		    !assistance_month_valid(periods[i].end_month) ||
		    periods[i].start_month > periods[i].end_month) {
			char field[32];
			snprintf(field, sizeof field, "periods[%d]", i);
			return bad_value(e, field, "疫情期间的起止月份无效");
		}
	}
	return 0;
}

/* Move `month` past every period containing it. Each period can move it at most once (after a
 * move the month lies beyond that period's end), so this ends after at most n + 1 passes. */
static int hold_past_periods(int month, const struct assistance_period *periods, int n)
{
	for (int moved = 1; moved;) {
		moved = 0;
		for (int i = 0; i < n; i++) {
			if (periods[i].start_month <= month && month <= periods[i].end_month) {
				month = periods[i].end_month + 1;
				moved = 1;
			}
		}
	}
	return month;
}

int assistance_exit_hold(int exit_month, const struct assistance_period *periods, int n_periods,
			 int *held_exit_month, struct err *e)
{
	if (!assistance_month_valid(exit_month))
		return bad_value(e, "exit_month", "月份无效");
	if (check_periods(periods, n_periods, e) < 0)
		return -1;
	*held_exit_month = hold_past_periods(exit_month, periods, n_periods);
	return 0;
}

int assistance_phaseout_plan(int found_month, int months, const struct assistance_period *periods,
			     int n_periods, struct assistance_phaseout *out, struct err *e)
{
	struct assistance_phaseout r;

	if (!assistance_month_valid(found_month))
		return bad_value(e, "found_month", "月份无效");
	if (months < 0 || months > ASSISTANCE_MAX_PERIOD_MONTHS)
		return bad_value(e, "phaseout_months", "渐退期应为0–120个月");
	if (check_periods(periods, n_periods, e) < 0)
		return -1;
	memset(&r, 0, sizeof r);
	r.found_month = found_month;
	r.months = months;
	r.first_month = found_month + 1;
	r.last_month = found_month + months;
	r.unheld_exit_month = found_month + months + 1;
	r.exit_month = hold_past_periods(r.unheld_exit_month, periods, n_periods);
	r.held = r.exit_month != r.unheld_exit_month;
	*out = r;
	return 0;
}

int assistance_pay_status(const struct assistance_case_months *c,
			  const struct assistance_period *periods, int n_periods, int month,
			  struct assistance_pay_status *out, struct err *e)
{
	struct assistance_pay_status r;
	struct assistance_phaseout plan;

	if (!assistance_month_valid(month))
		return bad_value(e, "month", "月份无效");
	if (!assistance_month_valid(c->start_month))
		return bad_value(e, "start_month", "月份无效");
	if (c->found_month != 0 &&
	    (!assistance_month_valid(c->found_month) || c->found_month < c->start_month))
		return bad_value(e, "found_month", "复核月份无效或早于起始月份");
	if (c->phaseout_months < 0 || c->phaseout_months > ASSISTANCE_MAX_PERIOD_MONTHS)
		return bad_value(e, "phaseout_months", "渐退期应为0–120个月");
	if (check_periods(periods, n_periods, e) < 0)
		return -1;

	memset(&r, 0, sizeof r);
	if (month < c->start_month) {
		r.state = ASSISTANCE_PAY_NOT_STARTED;
		*out = r;
		return 0;
	}
	if (c->found_month == 0) {
		r.state = ASSISTANCE_PAY_ACTIVE;
		r.paid = 1;
		*out = r;
		return 0;
	}
	if (assistance_phaseout_plan(c->found_month, c->phaseout_months, periods, n_periods, &plan,
				     e) < 0)
		return -1;
	r.phaseout_n = plan.months;
	r.exit_month = plan.exit_month;
	if (month <= plan.found_month) {
		r.state = ASSISTANCE_PAY_ACTIVE;
	} else if (month <= plan.last_month) {
		r.state = ASSISTANCE_PAY_PHASEOUT;
		r.phaseout_k = month - plan.found_month;
	} else if (month < plan.exit_month) {
		r.state = ASSISTANCE_PAY_HELD;
	} else {
		r.state = ASSISTANCE_PAY_ENDED;
	}
	r.paid = r.state != ASSISTANCE_PAY_ENDED;
	*out = r;
	return 0;
}

const char *assistance_pay_state_code(enum assistance_pay_state s)
{
	switch (s) {
	case ASSISTANCE_PAY_NOT_STARTED:
		return "not_started";
	case ASSISTANCE_PAY_ACTIVE:
		return "active";
	case ASSISTANCE_PAY_PHASEOUT:
		return "phaseout";
	case ASSISTANCE_PAY_HELD:
		return "held";
	case ASSISTANCE_PAY_ENDED:
		return "ended";
	}
	return "unknown";
}

/* ---- reviews ---------------------------------------------------------------------------- */

int assistance_review_next(const struct assistance_params *p, int last_review_month,
			   enum assistance_review_category category,
			   const struct assistance_period *periods, int n_periods,
			   struct assistance_review_due *out, struct err *e)
{
	int interval;

	if (category == ASSISTANCE_REVIEW_STABLE) {
		NEED_INT(p, review_stable_months, 1, ASSISTANCE_MAX_PERIOD_MONTHS, 500, e);
		interval = p->review_stable_months;
	} else if (category == ASSISTANCE_REVIEW_IRREGULAR) {
		NEED_INT(p, review_irregular_months, 1, ASSISTANCE_MAX_PERIOD_MONTHS, 500, e);
		interval = p->review_irregular_months;
	} else {
		return bad_value(e, "category", "复核类别应为稳定或收入不固定");
	}
	if (!assistance_month_valid(last_review_month))
		return bad_value(e, "last_review_month", "月份无效");
	if (check_periods(periods, n_periods, e) < 0)
		return -1;
	out->scheduled_month = last_review_month + interval;
	out->due_month = hold_past_periods(out->scheduled_month, periods, n_periods);
	out->postponed = out->due_month != out->scheduled_month;
	return 0;
}

/* ---- public notice ---------------------------------------------------------------------- */

int assistance_notice_window(const struct assistance_params *p, const char *start_date,
			     struct assistance_notice *out, struct err *e)
{
	int y, m, d;

	NEED_INT(p, notice_days, ASSISTANCE_NOTICE_MIN_DAYS, ASSISTANCE_MAX_NOTICE_DAYS, 500, e);
	if (parse_date(start_date, &y, &m, &d) < 0)
		return bad_value(e, "start_date", "公示开始日期应为有效的 YYYY-MM-DD");
	const int64_t start = days_from_civil(y, m, d);
	format_date(start + p->notice_days - 1, out->last_day);
	format_date(start + p->notice_days, out->approve_from);
	return 0;
}
