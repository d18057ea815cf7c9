/* demo_assist.c — the demo city's 低保 households and 特困 persons (docs/demo.md).
 *
 * The bureau published, for January–April 2020: 低保 87,840 persons and 52,701,000 yuan, 特困
 * 14,367 persons and 18,358,000 yuan (DOMAIN.md). The demo city reproduces these from individual
 * payments: the payroll module pays its cases month by month with the assistance module's rules
 * and the policy parameters in force, and the report counts what was paid. Nothing here stores a
 * total; what this file chooses is who is on which roll, since when, with what income — and it
 * chooses so that the rules, applied by the payroll, come out at the published figures.
 *
 * How (all integer arithmetic, every random choice from the demo's own PRNG, so a seed gives the
 * same city, cases and payments on every machine):
 *   1. survey — the generator's households are made twice from the same seed: a first pass hands
 *      each one to demo_assist_survey (members, ages, health, generated incomes), nothing written;
 *   2. plan —
 *      a. 特困 persons living alone or as an old couple (both 70+, unable to work), chosen by
 *         weighted priority (rural, older, unable to work, disabled or ill first);
 *      b. 低保 households among the rest, weighted by how poor the generated household is, until
 *         the persons they cover are exactly the target (a household that would overshoot is
 *         passed over; single-person households close the count). Each is ongoing (on the roll
 *         before 2020), new (approved during the epidemic, paid from February, March or April),
 *         or in phase-out (a review in late 2019 found that someone had found work: paid the
 *         previous amount for 3 months; exits falling in the epidemic period 2020-03..2020-06 are
 *         held). Some severely disabled members of 低保 households are certified 特困 from April
 *         (the rules then leave them out of the household's amount);
 *      c. 特困 months: the published amount is only ≈ 319 yuan per person-month over four
 *         months, below any plausible support level (≥ 1.3 × the rural 低保 standard = 585 yuan),
 *         so the demo's 特困 roll grows: a January roll, a few approvals paid from February and
 *         March, and a large first-quarter certification paid from April. The start month of
 *         each person living alone or couple is drawn from that mix, steered towards the target
 *         (the share of the January roll follows what remains to pay); the last 16 persons
 *         living alone (8 urban, 8 rural) are then solved exactly: a subset-sum over fen of
 *         their 24 ways of being paid (support form × care level × first month) — urban and
 *         rural together, since the half and full care allowances are all multiples of 103
 *         yuan and one residence alone reaches only a fifth of the totals;
 *      d. 低保 incomes: each ongoing or new household gets a monthly income (its generated income
 *         items rescaled, whole yuan) that gives it about its share of what remains to pay,
 *         jittered ±60 %, computed month by month with assistance_dibao_amount exactly as the
 *         payroll will (ages on each month's first day, 特困 members, the minimum, a decision
 *         that stands when income is no longer below the standard); what remains after them is
 *         paid by the phase-out households, whose monthly amount is the one decided before
 *         their income rose — free within what the rules could have given them (their previous
 *         income is then recorded accordingly), so those amounts land the total exactly;
 *   3. apply — the second pass writes the households; those on 低保 get the planned incomes;
 *   4. write — the cases with their steps (application, approval, review, phase-out), the
 *      epidemic period, all inside the demo's one transaction.
 * The payroll (payroll_run_all + payroll_confirm for each month) and the report run afterwards
 * in demo.c, with the real functions. Exactness is promised at scale 1.0 only; at other scales
 * the targets are the published figures × scale and usually met as well.
 */
#include "demo/demo.h"
#include "demo/demo_internal.h"

#include "assistance/assistance.h"
#include "policy/policy.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMONTHS 4	  /* 2020-01 .. 2020-04 */
#define PARAM_MONTHS 10	  /* parameters are looked up for 2019-07 .. 2020-04 */
#define MAX_UNITS 32
#define FLEX_TEKUN 16	  /* 特困 persons solved exactly at the end */
#define TEKUN_IN_DIBAO_BP 400 /* share of the 特困 roll certified from 低保 households */

enum { LAB_FULL, LAB_PARTIAL, LAB_NONE };
enum { ROLE_NONE, ROLE_DIBAO, ROLE_TEKUN };
enum { D_ONGOING, D_NEW, D_PO1, D_PO4 };
enum { T_SINGLE, T_COUPLE, T_IN_DIBAO };

static const char *const income_types[] = {"wage",     "business", "farming", "pension",
					   "transfer", "property", "other"};
#define NINCOME_TYPES (int)(sizeof income_types / sizeof income_types[0])
enum { INC_WAGE = 0, INC_FARMING = 2, INC_PENSION = 3, INC_TRANSFER = 4 };

/* One person as surveyed. */
struct sm {
	char birth[11]; /* "YYYY-MM-DD" */
	uint8_t disability, illness, labour, head;
	uint8_t nin;
	uint8_t itype[DEMO_MAX_INCOMES];
	int32_t iyuan[DEMO_MAX_INCOMES];
};

/* One household as surveyed, and its role in the plan. */
struct shh {
	int32_t village;
	int32_t first; /* its first member in demo_assist.m */
	uint8_t n, urban, role;
	int32_t plan; /* index into demo_assist.d, -1 */
};

/* The incomes a planned household's member gets instead of the generated ones. */
struct oinc {
	uint8_t n;
	uint8_t type[DEMO_MAX_INCOMES];
	int32_t yuan[DEMO_MAX_INCOMES];
};

/* One 低保 household. Months are assistance months (year × 12 + month − 1). */
struct dplan {
	int32_t hh;
	uint8_t kind, irregular;
	int8_t tekun_member; /* member certified 特困 from 2020-04, -1 */
	int8_t job_member;   /* phase-out: the member who found work, -1 */
	int32_t out;	     /* first oinc of its members */
	int start_month, decided_month, found_month, next_review_month;
	int64_t decided_fen;   /* monthly_amount_fen: the amount decided last */
	int64_t income_fen;    /* the household's income in the registry now */
	int64_t prev_income_fen; /* phase-out: before the job */
	int64_t paid[NMONTHS]; /* what each month's payroll pays */
	int64_t k_fen, lo_fen, hi_fen, nat_fen; /* phase-out: the range of the previous amount */
	int64_t assets_fen;
	int32_t persons;
};

/* One 特困 person. */
struct tplan {
	int32_t hh;
	int8_t member;
	uint8_t kind, form, level, adl;
	int8_t first; /* first month paid: 0 = 2020-01 (on the roll before), 1..3 = Feb..Apr */
	int start_month;
	int64_t paid[NMONTHS];
};

struct pslot {
	int loaded;
	struct assistance_params p;
	int64_t tekun[3][4]; /* [form][level], fen per month */
};

struct demo_assist {
	const struct demo_village *v;
	int nv;
	double scale;
	uint64_t seed;
	int month0; /* 2020-01 */
	int nunits;
	char unit[MAX_UNITS][16];
	int *vunit; /* village → unit index */
	struct pslot *ps; /* [unit][urban][PARAM_MONTHS] */
	struct assistance_period epi;

	struct shh *hh;
	int64_t nhh, cap_hh;
	struct sm *m;
	int64_t nm, cap_m;

	struct dplan *d;
	int64_t nd, cap_d;
	struct tplan *t;
	int64_t nt, cap_t;
	struct oinc *out;
	int64_t nout;

	struct demo_assist_counts counts;
};

static int grow(void **p, int64_t *cap, int64_t need, size_t size, struct err *e)
{
	if (need <= *cap)
		return 0;
	int64_t ncap = *cap ? *cap * 2 : 1024;
	while (ncap < need)
		ncap *= 2;
	void *q = realloc(*p, (size_t)ncap * size);
	if (!q)
		return err_oom(e);
	*p = q;
	*cap = ncap;
	return 0;
}

/* ---- set-up and survey ------------------------------------------------------------------ */

struct demo_assist *demo_assist_new(const struct demo_village *villages, int nvillages,
				    double scale, uint64_t seed, struct err *e)
{
	struct demo_assist *a = calloc(1, sizeof *a);
	if (!a) {
		err_oom(e);
		return NULL;
	}
	a->v = villages;
	a->nv = nvillages;
	a->scale = scale;
	a->seed = seed;
	a->month0 = assistance_month_make(2020, 1);
	a->epi.start_month = assistance_month_make(2020, 3);
	a->epi.end_month = assistance_month_make(2020, 6);
	a->vunit = calloc((size_t)(nvillages > 0 ? nvillages : 1), sizeof *a->vunit);
	if (!a->vunit) {
		free(a);
		err_oom(e);
		return NULL;
	}
	for (int i = 0; i < nvillages; i++) {
		int u = 0;
		while (u < a->nunits && strcmp(a->unit[u], villages[i].unit) != 0)
			u++;
		if (u == a->nunits) {
			if (a->nunits == MAX_UNITS) {
				demo_assist_free(a);
				err_set(e, 500, "internal", NULL, "演示数据：管理单位过多");
				return NULL;
			}
			snprintf(a->unit[a->nunits++], 16, "%s", villages[i].unit);
		}
		a->vunit[i] = u;
	}
	a->ps = calloc((size_t)(a->nunits ? a->nunits : 1) * 2 * PARAM_MONTHS, sizeof *a->ps);
	if (!a->ps) {
		demo_assist_free(a);
		err_oom(e);
		return NULL;
	}
	return a;
}

void demo_assist_free(struct demo_assist *a)
{
	if (!a)
		return;
	free(a->vunit);
	free(a->ps);
	free(a->hh);
	free(a->m);
	free(a->d);
	free(a->t);
	free(a->out);
	free(a);
}

static int income_type_index(const char *type)
{
	for (int i = 0; i < NINCOME_TYPES; i++)
		if (strcmp(income_types[i], type) == 0)
			return i;
	return NINCOME_TYPES - 1;
}

int demo_assist_survey(struct demo_assist *a, int64_t k, int v, const struct demo_household *h,
		       struct err *e)
{
	if (k != a->nhh || h->n < 1 || h->n > DEMO_MAX_MEMBERS)
		return err_set(e, 500, "internal", NULL, "演示数据：住户顺序错乱");
	if (grow((void **)&a->hh, &a->cap_hh, a->nhh + 1, sizeof *a->hh, e) < 0 ||
	    grow((void **)&a->m, &a->cap_m, a->nm + h->n, sizeof *a->m, e) < 0)
		return -1;
	struct shh *x = &a->hh[a->nhh++];
	x->village = v;
	x->first = (int32_t)a->nm;
	x->n = (uint8_t)h->n;
	x->urban = (uint8_t)h->urban;
	x->role = ROLE_NONE;
	x->plan = -1;
	for (int i = 0; i < h->n; i++) {
		const struct demo_person *p = &h->m[i];
		struct sm *s = &a->m[a->nm++];
		memset(s, 0, sizeof *s);
		memcpy(s->birth, p->birth_date, sizeof s->birth);
		s->disability = (uint8_t)p->disability_grade;
		s->illness = (uint8_t)(p->serious_illness != 0);
		s->labour = strcmp(p->labour, "full") == 0      ? LAB_FULL
			    : strcmp(p->labour, "partial") == 0 ? LAB_PARTIAL
								: LAB_NONE;
		s->head = strcmp(p->relation, "head") == 0;
		s->nin = (uint8_t)p->nincome;
		for (int j = 0; j < p->nincome; j++) {
			s->itype[j] = (uint8_t)income_type_index(p->income[j].type);
			s->iyuan[j] = (int32_t)(p->income[j].fen / 100);
		}
	}
	return 0;
}

/* ---- parameters and the rules ------------------------------------------------------------ */

#define PF64(f) offsetof(struct assistance_params, f), 1
#define PF32(f) offsetof(struct assistance_params, f), 0

static const struct {
	const char *key;
	size_t off;
	int wide;
} pkeys[] = {
    {"dibao_standard_urban_month_fen", PF64(dibao_standard_urban_month_fen)},
    {"dibao_standard_rural_year_fen", PF64(dibao_standard_rural_year_fen)},
    {"dibao_min_payment_fen", PF64(dibao_min_payment_fen)},
    {"dibao_uplift_elderly_bp", PF32(dibao_uplift_elderly_bp)},
    {"dibao_uplift_severe_disability_bp", PF32(dibao_uplift_severe_disability_bp)},
    {"dibao_uplift_serious_illness_bp", PF32(dibao_uplift_serious_illness_bp)},
    {"dibao_uplift_minor_bp", PF32(dibao_uplift_minor_bp)},
    {"dibao_elderly_age", PF32(dibao_elderly_age)},
    {"tekun_basic_factor_bp", PF32(tekun_basic_factor_bp)},
    {"tekun_care_centralised_full_year_fen", PF64(tekun_care_centralised_full_year_fen)},
    {"tekun_care_centralised_half_year_fen", PF64(tekun_care_centralised_half_year_fen)},
    {"tekun_care_centralised_self_year_fen", PF64(tekun_care_centralised_self_year_fen)},
    {"tekun_care_scattered_full_year_fen", PF64(tekun_care_scattered_full_year_fen)},
    {"tekun_care_scattered_half_year_fen", PF64(tekun_care_scattered_half_year_fen)},
    {"tekun_care_scattered_self_year_fen", PF64(tekun_care_scattered_self_year_fen)},
    {"dibao_phaseout_months", PF32(dibao_phaseout_months)},
    {"review_stable_months", PF32(review_stable_months)},
    {"review_irregular_months", PF32(review_irregular_months)},
};

/* The parameters in force for (unit, residence, month) — the same lookup the payroll makes —
 * with the month's 特困 amounts by support form and care level. NULL with e. */
static const struct pslot *params(struct demo_assist *a, struct db *db, int unit, int urban,
				  int month, struct err *e)
{
	int mi = month - (a->month0 - 6);
	if (unit < 0 || unit >= a->nunits || mi < 0 || mi >= PARAM_MONTHS) {
		err_set(e, 500, "internal", NULL, "演示数据：参数月份超出范围");
		return NULL;
	}
	struct pslot *s = &a->ps[((size_t)unit * 2 + (urban ? 1 : 0)) * PARAM_MONTHS + (size_t)mi];
	if (s->loaded)
		return s;
	char ms[8];
	assistance_month_format(month, ms);
	const char *res = urban ? "urban" : "rural";
	memset(&s->p, 0, sizeof s->p);
	s->p.review_stable_months = s->p.review_irregular_months = 12;
	s->p.notice_days = 7;
	for (size_t i = 0; i < sizeof pkeys / sizeof pkeys[0]; i++) {
		int64_t v;
		if (policy_value(db, a->unit[unit], res, pkeys[i].key, ms, &v, e) < 0)
			return NULL;
		char *f = (char *)&s->p + pkeys[i].off;
		if (pkeys[i].wide) {
			memcpy(f, &v, sizeof v);
		} else {
			int32_t v32 = (int32_t)(v > INT32_MAX ? INT32_MAX : v);
			memcpy(f, &v32, sizeof v32);
		}
	}
	for (int form = 1; form <= 2; form++)
		for (int level = 1; level <= 3; level++) {
			struct assistance_tekun_result r;
			if (assistance_tekun_amount(&s->p, urban ? ASSISTANCE_URBAN : ASSISTANCE_RURAL,
						    (enum assistance_support_form)form,
						    (enum assistance_care_level)level, &r, e) < 0)
				return NULL;
			s->tekun[form][level] = r.total_fen;
		}
	s->loaded = 1;
	return s;
}

static int64_t standard_of(const struct pslot *s, int urban)
{
	int64_t v = 0;
	assistance_dibao_standard_month(&s->p, urban ? ASSISTANCE_URBAN : ASSISTANCE_RURAL, &v,
					NULL);
	return v;
}

/* Full years on the first day of `month` (the rules' own function), -1 when not born yet. */
static int age_on(const struct sm *p, int month)
{
	int age;
	return assistance_age_on_month(p->birth, month, &age) < 0 ? -1 : age;
}

static int hh_unit(const struct demo_assist *a, const struct shh *h)
{
	return a->vunit[h->village];
}

/* The 低保 amount of household d in `month` by the rules, as the payroll computes it: members
 * born by the 1st, a 特困 member left out from the month his case is paid, incomes inc (fen,
 * per member). *counted: the members the payment covers. */
static int dibao_rules(struct demo_assist *a, struct db *db, const struct dplan *d, int month,
		       const int64_t *inc, struct assistance_dibao_result *res, int *counted,
		       struct err *e)
{
	const struct shh *h = &a->hh[d->hh];
	struct assistance_member mem[DEMO_MAX_MEMBERS];
	int n = 0;
	*counted = 0;
	for (int i = 0; i < h->n; i++) {
		int age = age_on(&a->m[h->first + i], month);
		if (age < 0)
			continue;
		memset(&mem[n], 0, sizeof mem[n]);
		mem[n].age = age;
		mem[n].disability_grade = a->m[h->first + i].disability;
		mem[n].seriously_ill = a->m[h->first + i].illness;
		mem[n].is_tekun = i == d->tekun_member && month >= a->month0 + 3;
		mem[n].income_month_fen = inc[i];
		*counted += !mem[n].is_tekun;
		n++;
	}
	memset(res, 0, sizeof *res);
	if (n == 0) {
		res->reason = ASSISTANCE_DIBAO_NO_COUNTED_MEMBERS;
		return 0;
	}
	const struct pslot *s = params(a, db, hh_unit(a, h), h->urban, month, e);
	if (!s)
		return -1;
	return assistance_dibao_amount(&s->p, h->urban ? ASSISTANCE_URBAN : ASSISTANCE_RURAL, mem,
				       n, res, e);
}

/* What month index mi pays household d (0 when nothing), mirroring the payroll: the pay
 * status of the case, then the rules' amount (active) or the amount decided last (phase-out,
 * held exit, or an active case whose income is no longer below the standard). */
static int dibao_paid(struct demo_assist *a, struct db *db, const struct dplan *d, int mi,
		      const int64_t *inc, int64_t *paid, int *counted, struct err *e)
{
	const int month = a->month0 + mi;
	*paid = 0;
	*counted = 0;
	enum assistance_pay_state state = ASSISTANCE_PAY_ACTIVE;
	if (month < d->start_month)
		return 0;
	if (d->kind == D_PO1 || d->kind == D_PO4) {
		struct assistance_case_months cm = {d->start_month, d->found_month, 0};
		struct assistance_pay_status ps;
		const struct shh *h = &a->hh[d->hh];
		const struct pslot *s = params(a, db, hh_unit(a, h), h->urban, d->found_month, e);
		if (!s)
			return -1;
		cm.phaseout_months = s->p.dibao_phaseout_months;
		if (assistance_pay_status(&cm, &a->epi, 1, month, &ps, e) < 0)
			return -1;
		if (!ps.paid)
			return 0;
		state = ps.state;
	}
	struct assistance_dibao_result res;
	if (dibao_rules(a, db, d, month, inc, &res, counted, e) < 0)
		return -1;
	if (*counted == 0)
		return 0;
	if (state != ASSISTANCE_PAY_ACTIVE || res.reason == ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD)
		*paid = d->decided_fen;
	else
		*paid = res.amount_fen > 0 ? res.amount_fen : 0;
	if (*paid == 0)
		*counted = 0;
	return 0;
}

/* ---- choosing --------------------------------------------------------------------------- */

struct cand {
	uint64_t key;
	int64_t hh;
};

static int by_key(const void *x, const void *y)
{
	const struct cand *p = x, *q = y;
	if (p->key != q->key)
		return p->key < q->key ? -1 : 1;
	return p->hh < q->hh ? -1 : p->hh > q->hh;
}

/* A priority key for weight w > 0: smaller first, u / w with u uniform (priority sampling). */
static uint64_t prio(struct demo_rng *r, uint32_t w)
{
	return (demo_rng_next(r) >> 24) / (w ? w : 1);
}

static int64_t natural_income_fen(const struct demo_assist *a, const struct shh *h)
{
	int64_t sum = 0;
	for (int i = 0; i < h->n; i++)
		for (int j = 0; j < a->m[h->first + i].nin; j++)
			sum += (int64_t)a->m[h->first + i].iyuan[j] * 100;
	return sum;
}

/* 特困 candidates living alone or as an old couple: weight 0 when not one. *persons 1 or 2.
 * Mostly rural (农村特困, the former 五保), far fewer urban (城市"三无"人员), and rarely someone
 * with a pension above the rural basic one (demo_assist_apply then leaves only that). */
static uint32_t tekun_weight(const struct demo_assist *a, const struct shh *h, int *persons)
{
	const struct sm *m = &a->m[h->first];
	*persons = h->n;
	if (h->n == 1) {
		int age = age_on(m, a->month0);
		uint32_t w = 0;
		if (age >= 60) {
			w = m->labour == LAB_NONE ? 10 : m->labour == LAB_PARTIAL ? 4 : 1;
			if (age >= 80)
				w *= 2;
			if (m->disability == 1 || m->disability == 2 || m->illness)
				w += 4;
		} else if (age >= 18 && m->labour == LAB_NONE) {
			w = 6;
		}
		w = h->urban ? w : w * 4;
		return natural_income_fen(a, h) <= 30000 ? w * 4 : w;
	}
	if (h->n == 2 && m[0].head && age_on(&m[0], a->month0) >= 70 &&
	    age_on(&m[1], a->month0) >= 70 && m[0].labour == LAB_NONE && m[1].labour == LAB_NONE)
		return (h->urban ? 3 : 12) * (natural_income_fen(a, h) <= 60000 ? 4 : 1);
	return 0;
}

/* How likely a household is to be on 低保: by its generated per-capita income against the
 * standard, more for the disabled, the ill, the old and the countryside. */
static uint32_t dibao_weight(const struct demo_assist *a, const struct shh *h, int64_t standard)
{
	int64_t nat = natural_income_fen(a, h);
	int64_t q = standard > 0 ? nat * 1000 / (standard * h->n) : 9999;
	uint32_t w = q < 600 ? 1000 : q < 1000 ? 700 : q < 1500 ? 180 : q < 2000 ? 60 : 10;
	int frail = 0;
	for (int i = 0; i < h->n; i++) {
		const struct sm *m = &a->m[h->first + i];
		frail |= m->disability == 1 || m->disability == 2 || m->illness;
	}
	if (frail)
		w *= 2;
	if (age_on(&a->m[h->first], a->month0) >= 60)
		w = w * 3 / 2;
	if (!h->urban)
		w = w * 13 / 10;
	return w;
}

/* A member who can have found work: 18–55, able to work, not severely disabled. */
static int job_member(const struct demo_assist *a, const struct shh *h)
{
	for (int i = 0; i < h->n; i++) {
		const struct sm *m = &a->m[h->first + i];
		int age = age_on(m, a->month0);
		if (age >= 18 && age <= 55 && m->labour != LAB_NONE && m->disability != 1 &&
		    m->disability != 2)
			return i;
	}
	return -1;
}

static int add_tekun(struct demo_assist *a, int64_t hh, int member, int kind, struct err *e)
{
	if (grow((void **)&a->t, &a->cap_t, a->nt + 1, sizeof *a->t, e) < 0)
		return -1;
	struct tplan *t = &a->t[a->nt++];
	memset(t, 0, sizeof *t);
	t->hh = (int32_t)hh;
	t->member = (int8_t)member;
	t->kind = (uint8_t)kind;
	t->first = kind == T_IN_DIBAO ? 3 : 0;
	return 0;
}

static int by_tplan(const void *x, const void *y)
{
	const struct tplan *p = x, *q = y;
	if (p->hh != q->hh)
		return p->hh < q->hh ? -1 : 1;
	return p->member - q->member;
}

static int by_dplan(const void *x, const void *y)
{
	const struct dplan *p = x, *q = y;
	return p->hh < q->hh ? -1 : p->hh > q->hh;
}

static int choose(struct demo_assist *a, struct db *db, struct err *e)
{
	const int64_t p_tekun = (int64_t)(DEMO_PUBLISHED_TEKUN_PERSONS * a->scale + 0.5);
	const int64_t p_dibao = (int64_t)(DEMO_PUBLISHED_DIBAO_PERSONS * a->scale + 0.5);
	const int64_t in_dibao_target = p_tekun * TEKUN_IN_DIBAO_BP / 10000;
	struct demo_rng r;
	struct cand *c = malloc((size_t)(a->nhh ? a->nhh : 1) * sizeof *c);
	int64_t nc = 0, taken = 0, pos = 0;
	if (!c)
		return err_oom(e);

	/* a. 特困 persons living alone or as an old couple */
	demo_rng_seed(&r, a->seed, 3);
	for (int64_t i = 0; i < a->nhh; i++) {
		int persons;
		uint32_t w = tekun_weight(a, &a->hh[i], &persons);
		if (w)
			c[nc++] = (struct cand){prio(&r, w), i};
	}
	qsort(c, (size_t)nc, sizeof *c, by_key);
	for (; pos < nc && taken < p_tekun - in_dibao_target; pos++) {
		struct shh *h = &a->hh[c[pos].hh];
		if (taken + h->n > p_tekun - in_dibao_target)
			continue;
		h->role = ROLE_TEKUN;
		for (int i = 0; i < h->n; i++)
			if (add_tekun(a, c[pos].hh, i, h->n == 1 ? T_SINGLE : T_COUPLE, e) < 0)
				goto fail;
		taken += h->n;
	}

	/* b. 低保 households among the others */
	struct cand *dc = malloc((size_t)(a->nhh ? a->nhh : 1) * sizeof *dc);
	int64_t ndc = 0, need = p_dibao, in_dibao = 0;
	if (!dc)
		goto fail_oom;
	demo_rng_seed(&r, a->seed, 4);
	for (int64_t i = 0; i < a->nhh; i++) {
		const struct shh *h = &a->hh[i];
		uint64_t u = demo_rng_next(&r) >> 24; /* drawn for every household: stable keys */
		if (h->role != ROLE_NONE)
			continue;
		const struct pslot *s = params(a, db, hh_unit(a, h), h->urban, a->month0, e);
		if (!s) {
			free(dc);
			goto fail;
		}
		dc[ndc++] = (struct cand){u / dibao_weight(a, h, standard_of(s, h->urban)), i};
	}
	qsort(dc, (size_t)ndc, sizeof *dc, by_key);
	struct demo_rng kr;
	demo_rng_seed(&kr, a->seed, 5);
	for (int64_t i = 0; i < ndc && need > 0; i++) {
		struct shh *h = &a->hh[dc[i].hh];
		uint32_t roll = demo_rng_below(&kr, 10000), pick = demo_rng_below(&kr, 10000);
		if (h->n > need)
			continue;
		if (grow((void **)&a->d, &a->cap_d, a->nd + 1, sizeof *a->d, e) < 0) {
			free(dc);
			goto fail;
		}
		struct dplan *d = &a->d[a->nd++];
		memset(d, 0, sizeof *d);
		d->hh = (int32_t)dc[i].hh;
		d->tekun_member = d->job_member = -1;
		/* 0.6 % phase-out paid January only, 1.2 % phase-out held; 2.5 % new from each of
		 * February, March, April (the epidemic's quick intake); the rest on the roll */
		d->kind = roll < 60 ? D_PO1 : roll < 180 ? D_PO4 : roll < 930 ? D_NEW : D_ONGOING;
		if (d->kind == D_PO1 || d->kind == D_PO4) {
			d->job_member = (int8_t)job_member(a, h);
			if (d->job_member < 0)
				d->kind = D_ONGOING;
		}
		d->start_month = a->month0 + (d->kind == D_NEW ? 1 + (int)((roll - 180) / 250) : 0);
		if ((d->kind == D_ONGOING || (d->kind == D_NEW && d->start_month < a->month0 + 3)) &&
		    h->n >= 2 && in_dibao < in_dibao_target && pick < 7000) {
			for (int k = 1; k < h->n; k++) {
				const struct sm *m = &a->m[h->first + k];
				if ((m->disability == 1 || m->disability == 2) &&
				    m->labour == LAB_NONE && age_on(m, a->month0) >= 18) {
					d->tekun_member = (int8_t)k;
					break;
				}
			}
			if (d->tekun_member >= 0) {
				if (add_tekun(a, dc[i].hh, d->tekun_member, T_IN_DIBAO, e) < 0) {
					free(dc);
					goto fail;
				}
				in_dibao++;
			}
		}
		h->role = ROLE_DIBAO;
		need -= h->n;
	}
	free(dc);

	/* the 特困 roll's remainder, when the 低保 households had fewer to certify */
	for (; pos < nc && taken + in_dibao < p_tekun; pos++) {
		struct shh *h = &a->hh[c[pos].hh];
		if (h->role != ROLE_NONE || taken + in_dibao + h->n > p_tekun)
			continue;
		h->role = ROLE_TEKUN;
		for (int i = 0; i < h->n; i++)
			if (add_tekun(a, c[pos].hh, i, h->n == 1 ? T_SINGLE : T_COUPLE, e) < 0)
				goto fail;
		taken += h->n;
	}
	free(c);
	qsort(a->d, (size_t)a->nd, sizeof *a->d, by_dplan);
	for (int64_t i = 0; i < a->nd; i++)
		a->hh[a->d[i].hh].plan = (int32_t)i;
	qsort(a->t, (size_t)a->nt, sizeof *a->t, by_tplan);
	a->counts.dibao_persons_target = p_dibao;
	a->counts.tekun_persons_target = p_tekun;
	return 0;
fail_oom:
	err_oom(e);
fail:
	free(c);
	return -1;
}

/* ---- 特困: care levels, start months, the exact total ------------------------------------ */

static uint8_t adl_for(struct demo_rng *r, int level)
{
	int bits = level == ASSISTANCE_CARE_SELF   ? 0
		   : level == ASSISTANCE_CARE_HALF ? 1 + (int)demo_rng_below(r, 3)
						   : 4 + (int)demo_rng_below(r, 3);
	uint8_t mask = 0;
	while (bits > 0) {
		uint8_t b = (uint8_t)(1u << demo_rng_below(r, 6));
		if (!(mask & b)) {
			mask |= b;
			bits--;
		}
	}
	return mask;
}

/* The 特困 total of person t paid from month index `first` with (form, level). */
static int tekun_total(struct demo_assist *a, struct db *db, const struct tplan *t, int form,
		       int level, int first, int64_t *out, struct err *e)
{
	const struct shh *h = &a->hh[t->hh];
	*out = 0;
	for (int mi = first; mi < NMONTHS; mi++) {
		const struct pslot *s = params(a, db, hh_unit(a, h), h->urban, a->month0 + mi, e);
		if (!s)
			return -1;
		*out += s->tekun[form][level];
	}
	return 0;
}

/* The months person t is paid, from t->first on. */
static int tekun_fix(struct demo_assist *a, struct db *db, struct tplan *t, struct err *e)
{
	const struct shh *h = &a->hh[t->hh];
	memset(t->paid, 0, sizeof t->paid);
	for (int mi = t->first; mi < NMONTHS; mi++) {
		const struct pslot *s = params(a, db, hh_unit(a, h), h->urban, a->month0 + mi, e);
		if (!s)
			return -1;
		t->paid[mi] = s->tekun[t->form][t->level];
	}
	return 0;
}

/* The months mix of the scenario, steered: P(January roll) = theta (bp), 3 % each from
 * February and March, the rest from April. */
static int draw_first(struct demo_rng *r, int64_t theta)
{
	int64_t u = demo_rng_below(r, 10000);
	return u < theta ? 0 : u < theta + 300 ? 1 : u < theta + 600 ? 2 : 3;
}

/* One option of a flexible person: form, level, first month and its total. */
struct topt {
	uint8_t form, level, first;
	int64_t fen;
};

/* The 24 ways person t can be paid: support form × care level × first month. */
static int options_for(struct demo_assist *a, struct db *db, const struct tplan *t,
		       struct topt *o, int *n, struct err *e)
{
	static const uint8_t levels[3] = {ASSISTANCE_CARE_SELF, ASSISTANCE_CARE_HALF,
					  ASSISTANCE_CARE_FULL};
	static const uint8_t firsts[4] = {3, 0, 2, 1};
	*n = 0;
	for (int li = 0; li < 3; li++)
		for (int form = 2; form >= 1; form--)
			for (int fi = 0; fi < 4; fi++) {
				int64_t fen;
				if (tekun_total(a, db, t, form, levels[li], firsts[fi], &fen, e) < 0)
					return -1;
				o[(*n)++] = (struct topt){(uint8_t)form, levels[li], firsts[fi], fen};
			}
	return 0;
}

static int bit_get(const uint64_t *b, int64_t i)
{
	return (int)((b[i >> 6] >> (i & 63)) & 1u);
}

/* Exactly `target` fen from the flexible persons fx[0..nf), each paid by one of its 24
 * options: a subset-sum over fen, one bitset of reachable totals per person (totals above
 * the target are of no use: every option is positive). 1 solved (fx updated), 0 not
 * possible, -1 error. */
static int tekun_solve(struct demo_assist *a, struct db *db, struct tplan **fx, int nf,
		       int64_t target, struct err *e)
{
	struct topt opt[FLEX_TEKUN][24];
	int nopt[FLEX_TEKUN] = {0};
	if (target < 0 || nf > FLEX_TEKUN)
		return 0;
	int64_t maxsum = 0;
	for (int k = 0; k < nf; k++) {
		int64_t mx = 0;
		if (options_for(a, db, fx[k], opt[k], &nopt[k], e) < 0)
			return -1;
		for (int j = 0; j < nopt[k]; j++)
			mx = opt[k][j].fen > mx ? opt[k][j].fen : mx;
		maxsum += mx;
	}
	if (target > maxsum) /* out of reach (and the bitsets would be needlessly large) */
		return 0;
	const int64_t words = target / 64 + 1;
	uint64_t *bits = calloc((size_t)(nf + 1) * (size_t)words, sizeof *bits);
	if (!bits)
		return err_oom(e);
	bits[0] = 1; /* nobody yet: 0 */
	for (int k = 0; k < nf; k++) {
		const uint64_t *src = bits + (size_t)k * (size_t)words;
		uint64_t *dst = bits + (size_t)(k + 1) * (size_t)words;
		for (int j = 0; j < nopt[k]; j++) {
			const int64_t sh = opt[k][j].fen, ws = sh / 64;
			const int bs = (int)(sh % 64);
			for (int64_t w = words - 1; w >= ws; w--) {
				uint64_t v = src[w - ws] << bs;
				if (bs && w - ws >= 1)
					v |= src[w - ws - 1] >> (64 - bs);
				dst[w] |= v;
			}
		}
	}
	int found = bit_get(bits + (size_t)nf * (size_t)words, target);
	for (int64_t y = target, k = nf; found && k > 0; k--) {
		const uint64_t *prev = bits + (size_t)(k - 1) * (size_t)words;
		for (int j = 0; j < nopt[k - 1]; j++) {
			const int64_t v = opt[k - 1][j].fen;
			if (v <= y && bit_get(prev, y - v)) {
				fx[k - 1]->form = opt[k - 1][j].form;
				fx[k - 1]->level = opt[k - 1][j].level;
				fx[k - 1]->first = (int8_t)opt[k - 1][j].first;
				y -= v;
				break;
			}
		}
	}
	free(bits);
	return found;
}

static int plan_tekun(struct demo_assist *a, struct db *db, struct err *e)
{
	const int64_t target = (int64_t)(DEMO_PUBLISHED_TEKUN_FEN * a->scale + 0.5);
	struct demo_rng r;
	demo_rng_seed(&r, a->seed, 6);
	int64_t rest = target;
	/* care level and support form for everyone; 低保 members from April (fixed when their
	 * household was chosen) */
	for (int64_t i = 0; i < a->nt; i++) {
		struct tplan *t = &a->t[i];
		uint32_t u = demo_rng_below(&r, 10000);
		t->level = u < 7800 ? ASSISTANCE_CARE_SELF : u < 9100 ? ASSISTANCE_CARE_HALF
								      : ASSISTANCE_CARE_FULL;
		uint32_t central = t->level == ASSISTANCE_CARE_SELF ? 1200
				   : t->level == ASSISTANCE_CARE_HALF ? 3000
								      : 5000;
		t->form = demo_rng_bp(&r, central) ? ASSISTANCE_SUPPORT_CENTRALISED
						   : ASSISTANCE_SUPPORT_SCATTERED;
		if (t->kind == T_IN_DIBAO) {
			if (tekun_fix(a, db, t, e) < 0)
				return -1;
			for (int mi = 0; mi < NMONTHS; mi++)
				rest -= t->paid[mi];
		}
	}
	/* the flexible: the last FLEX_TEKUN / 2 urban and rural persons living alone (urban and
	 * rural amounts together reach every total in fen near the target; either alone does
	 * not: the care allowances of half and full care are all multiples of 103 yuan) */
	struct tplan *fx[FLEX_TEKUN];
	int nf = 0, nu = 0, nr = 0;
	for (int64_t i = a->nt - 1; i >= 0 && nf < FLEX_TEKUN; i--) {
		struct tplan *t = &a->t[i];
		if (t->kind != T_SINGLE)
			continue;
		int urban = a->hh[t->hh].urban;
		if ((urban ? nu : nr) >= FLEX_TEKUN / 2)
			continue;
		urban ? nu++ : nr++;
		t->kind = T_SINGLE | 0x80; /* flexible, for now */
		fx[nf++] = t;
	}
	for (int64_t i = a->nt - 1; i >= 0 && nf < FLEX_TEKUN; i--) /* one kind short: others */
		if (a->t[i].kind == T_SINGLE) {
			a->t[i].kind = T_SINGLE | 0x80;
			fx[nf++] = &a->t[i];
		}
	/* the others, alone or as a couple (one start for both), steered: the remaining amount
	 * over the remaining persons' monthly amounts gives the months wanted on average */
	int64_t est = (int64_t)nf * 230000; /* the flexible: care allowances, mid-range */
	for (int64_t i = 0; i < a->nt; i++) {
		struct tplan *t = &a->t[i];
		int64_t apr;
		if (t->kind != T_SINGLE && t->kind != T_COUPLE)
			continue;
		if (tekun_total(a, db, t, t->form, t->level, 3, &apr, e) < 0)
			return -1;
		est += apr;
	}
	for (int64_t i = 0; i < a->nt; i++) {
		struct tplan *t = &a->t[i];
		if (t->kind != T_SINGLE && t->kind != T_COUPLE)
			continue;
		int n = t->kind == T_COUPLE ? 2 : 1;
		int64_t d1000 = est > 0 ? rest * 1000 / est : 1000;
		int64_t theta = (d1000 - 1090) * 10 / 3;
		theta = theta < 0 ? 0 : theta > 9400 ? 9400 : theta;
		int first = draw_first(&r, theta);
		for (int k = 0; k < n && i + k < a->nt; k++) {
			struct tplan *x = &a->t[i + k];
			int64_t apr;
			if (tekun_total(a, db, x, x->form, x->level, 3, &apr, e) < 0)
				return -1;
			x->first = (int8_t)first;
			if (tekun_fix(a, db, x, e) < 0)
				return -1;
			for (int mi = 0; mi < NMONTHS; mi++)
				rest -= x->paid[mi];
			est -= apr;
		}
		i += n - 1;
	}
	int solved = nf > 0 ? tekun_solve(a, db, fx, nf, rest, e) : rest == 0;
	if (solved < 0)
		return -1;
	for (int k = 0; k < nf; k++) {
		fx[k]->kind = T_SINGLE;
		if (!solved) /* not exact (tiny scales): the scenario's mix */
			fx[k]->first = (int8_t)draw_first(&r, 2200);
		if (tekun_fix(a, db, fx[k], e) < 0)
			return -1;
	}
	for (int64_t i = 0; i < a->nt; i++) {
		struct tplan *t = &a->t[i];
		t->adl = adl_for(&r, t->level);
		t->start_month = a->month0 + t->first;
		if (t->first == 0) /* on the roll before 2020: approved some time in 2012–2019 */
			t->start_month = assistance_month_make(2012, 1) +
					 (int)demo_rng_below(&r, 8 * 12);
	}
	a->counts.tekun_fen_target = target;
	return 0;
}

/* ---- 低保: incomes and amounts --------------------------------------------------------- */

/* Spread total_yuan over the members of household h (not `skip`) in proportion to their
 * generated income items, whole yuan; with no generated income, to one member as a pension
 * (60 and over), farming or wage income (able to work), else support from relatives. */
static void distribute(const struct demo_assist *a, const struct shh *h, int skip,
		       int64_t total_yuan, struct oinc *out)
{
	int64_t nat = 0;
	for (int i = 0; i < h->n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		if (i == skip)
			continue;
		for (int j = 0; j < a->m[h->first + i].nin; j++)
			nat += a->m[h->first + i].iyuan[j];
	}
	if (total_yuan <= 0)
		return;
	if (nat > 0) {
		int64_t given = 0;
		int bi = -1, bj = -1;
		int32_t best = -1;
		for (int i = 0; i < h->n; i++) {
			const struct sm *m = &a->m[h->first + i];
			if (i == skip)
				continue;
			for (int j = 0; j < m->nin; j++) {
				int64_t y = total_yuan * m->iyuan[j] / nat;
				out[i].type[j] = m->itype[j];
				out[i].yuan[j] = (int32_t)y;
				given += y;
				if (m->iyuan[j] > best) {
					best = m->iyuan[j];
					bi = i;
					bj = j;
				}
			}
			out[i].n = m->nin;
		}
		out[bi].yuan[bj] += (int32_t)(total_yuan - given);
		for (int i = 0; i < h->n; i++) { /* drop items that came to nothing */
			int k = 0;
			for (int j = 0; j < out[i].n; j++)
				if (out[i].yuan[j] > 0) {
					out[i].type[k] = out[i].type[j];
					out[i].yuan[k++] = out[i].yuan[j];
				}
			out[i].n = (uint8_t)k;
		}
		return;
	}
	int who = -1, type = INC_TRANSFER;
	for (int i = 0; i < h->n && who < 0; i++)
		if (i != skip && age_on(&a->m[h->first + i], a->month0) >= 60)
			who = i, type = INC_PENSION;
	for (int i = 0; i < h->n && who < 0; i++)
		if (i != skip && age_on(&a->m[h->first + i], a->month0) >= 16 &&
		    a->m[h->first + i].labour != LAB_NONE)
			who = i, type = h->urban ? INC_WAGE : INC_FARMING;
	for (int i = 0; i < h->n && who < 0; i++)
		if (i != skip)
			who = i;
	if (who < 0)
		return;
	out[who].n = 1;
	out[who].type[0] = (uint8_t)type;
	out[who].yuan[0] = (int32_t)total_yuan;
}

static void incomes_fen(const struct shh *h, const struct oinc *out, int64_t *inc)
{
	for (int i = 0; i < h->n; i++) {
		inc[i] = 0;
		for (int j = 0; j < out[i].n; j++)
			inc[i] += (int64_t)out[i].yuan[j] * 100;
	}
}

/* Every month of household d from its incomes: paid amounts, persons, the decided amount. */
static int dibao_months(struct demo_assist *a, struct db *db, struct dplan *d, const int64_t *inc,
			int64_t *total, struct err *e)
{
	const struct shh *h = &a->hh[d->hh];
	int covered[DEMO_MAX_MEMBERS] = {0};
	*total = 0;
	d->persons = 0;
	for (int mi = 0; mi < NMONTHS; mi++) {
		int counted;
		if (dibao_paid(a, db, d, mi, inc, &d->paid[mi], &counted, e) < 0)
			return -1;
		*total += d->paid[mi];
		if (d->paid[mi] > 0)
			for (int i = 0; i < h->n; i++)
				covered[i] |= !(i == d->tekun_member && a->month0 + mi >= a->month0 + 3);
	}
	for (int i = 0; i < h->n; i++)
		d->persons += covered[i];
	return 0;
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Spread `total` (fen, whole yuan) over plans idx[0..n) within [lo, hi], near nat. */
static void spread(struct demo_assist *a, const int64_t *idx, int64_t n, int64_t total)
{
	int64_t lo = 0, slack = 0;
	for (int64_t i = 0; i < n; i++) {
		lo += a->d[idx[i]].lo_fen;
		slack += a->d[idx[i]].nat_fen - a->d[idx[i]].lo_fen;
	}
	int64_t extra = total - lo, given = 0;
	for (int64_t i = 0; i < n; i++) {
		struct dplan *d = &a->d[idx[i]];
		int64_t s = slack > 0 ? extra * (d->nat_fen - d->lo_fen) / slack : 0;
		d->decided_fen = clamp64(d->lo_fen + s / 100 * 100, d->lo_fen, d->hi_fen);
		given += d->decided_fen;
	}
	for (int64_t i = 0; i < n && given != total; i++) { /* what rounding left, in turn */
		struct dplan *d = &a->d[idx[i]];
		int64_t want = clamp64(d->decided_fen + (total - given), d->lo_fen, d->hi_fen);
		given += want - d->decided_fen;
		d->decided_fen = want;
	}
}

static int plan_dibao(struct demo_assist *a, struct db *db, struct err *e)
{
	const int64_t target = (int64_t)(DEMO_PUBLISHED_DIBAO_FEN / 100 * a->scale + 0.5) * 100;
	struct demo_rng r;
	demo_rng_seed(&r, a->seed, 7);
	int64_t nmem = 0;
	for (int64_t i = 0; i < a->nd; i++)
		nmem += a->hh[a->d[i].hh].n;
	if (!(a->out = calloc((size_t)(nmem ? nmem : 1), sizeof *a->out)))
		return err_oom(e);
	int64_t *pm = calloc((size_t)(a->nd ? a->nd : 1), sizeof *pm);
	int64_t *g1 = calloc((size_t)(a->nd ? a->nd : 1), sizeof *g1);
	int64_t *g4 = calloc((size_t)(a->nd ? a->nd : 1), sizeof *g4);
	if (!pm || !g1 || !g4)
		goto fail_oom;
	int64_t zero[DEMO_MAX_MEMBERS] = {0}, pm_rest = 0, expect_po = 0, fixed_po = 0, n1 = 0,
		n4 = 0;

	/* when each case started and was last decided; person-months; the phase-out ranges */
	for (int64_t i = 0; i < a->nd; i++) {
		struct dplan *d = &a->d[i];
		const struct shh *h = &a->hh[d->hh];
		d->out = (int32_t)a->nout;
		a->nout += h->n;
		d->irregular = job_member(a, h) >= 0;
		d->assets_fen = (int64_t)demo_rng_range(&r, 0, 200) * 10000;
		if (d->kind == D_NEW) {
			d->decided_month = d->start_month - 1; /* approved the month before */
		} else {
			d->start_month =
			    assistance_month_make(2015, 1) + (int)demo_rng_range(&r, 0, 4 * 12 + 5);
			/* the last review: 2019-07..12 (irregular households 2019-09..12) */
			d->decided_month = a->month0 - 6 + (int)demo_rng_range(&r, d->irregular ? 2 : 0, 5);
		}
		if (d->kind == D_PO1 || d->kind == D_PO4) {
			/* previous decision at the 2019-07 review; found in 2019-10 (exit in February, not
			 * held) or 2019-11/12 (exit in March/April: held by the epidemic period) */
			d->decided_month = a->month0 - 6;
			d->found_month = d->kind == D_PO1 ? a->month0 - 3
							  : a->month0 - 2 + (int)demo_rng_range(&r, 0, 1);
			d->decided_fen = 1; /* a placeholder: paid months are all that matter here */
			int64_t tot;
			if (dibao_months(a, db, d, zero, &tot, e) < 0)
				goto fail;
			struct assistance_dibao_result res;
			int counted;
			if (dibao_rules(a, db, d, d->decided_month, zero, &res, &counted, e) < 0)
				goto fail;
			const struct pslot *s =
			    params(a, db, hh_unit(a, h), h->urban, d->decided_month, e);
			if (!s)
				goto fail;
			/* the amount the rules give for a previous income I (whole yuan, < S × n):
			 * S × n − I + uplifts, when at least the minimum */
			d->k_fen = res.standard_fen * counted + res.uplift_fen;
			d->lo_fen = res.uplift_fen + 100 > s->p.dibao_min_payment_fen
					? res.uplift_fen + 100
					: s->p.dibao_min_payment_fen;
			d->lo_fen = (d->lo_fen + 99) / 100 * 100;
			d->hi_fen = d->k_fen / 100 * 100;
			d->nat_fen = clamp64((res.standard_fen * counted * 35 / 100 + res.uplift_fen) /
						 100 * 100,
					     d->lo_fen, d->hi_fen);
			int64_t months = tot; /* each paid month paid the placeholder 1 fen */
			if (months == 1)
				g1[n1++] = i;
			else if (months == NMONTHS)
				g4[n4++] = i;
			else /* other phase-out or epidemic parameters: paid as it comes */
				fixed_po += d->nat_fen * months;
			d->decided_fen = d->nat_fen;
			expect_po += d->nat_fen * months;
			continue;
		}
		for (int mi = 0; mi < NMONTHS; mi++) {
			int counted;
			int64_t paid;
			d->decided_fen = 1;
			if (dibao_paid(a, db, d, mi, zero, &paid, &counted, e) < 0)
				goto fail;
			pm[i] += counted;
		}
		pm_rest += pm[i];
	}

	/* ongoing and new households: incomes that pay about their share */
	int64_t rest = target - expect_po;
	for (int64_t i = 0; i < a->nd; i++) {
		struct dplan *d = &a->d[i];
		const struct shh *h = &a->hh[d->hh];
		if (d->kind == D_PO1 || d->kind == D_PO4 || pm[i] == 0)
			continue;
		int64_t share = pm_rest > 0 ? rest * pm[i] / pm_rest : 0;
		int64_t want = share * demo_rng_range(&r, 400, 1600) / 1000;
		int months = 0, first = -1;
		int64_t uplift = 0;
		for (int mi = 0; mi < NMONTHS; mi++) {
			struct assistance_dibao_result res;
			int counted;
			if (a->month0 + mi < d->start_month)
				continue;
			if (dibao_rules(a, db, d, a->month0 + mi, zero, &res, &counted, e) < 0)
				goto fail;
			if (first < 0)
				first = mi;
			months++;
			uplift += res.uplift_fen;
		}
		struct assistance_dibao_result r1;
		int c1;
		if (dibao_rules(a, db, d, a->month0 + first, zero, &r1, &c1, e) < 0)
			goto fail;
		int64_t gap = want / months - uplift / months;
		int64_t income = clamp64(r1.standard_fen * c1 - gap, 0, r1.standard_fen * c1 - 100);
		struct oinc *out = &a->out[d->out];
		int64_t inc[DEMO_MAX_MEMBERS];
		distribute(a, h, d->tekun_member, income / 100, out);
		incomes_fen(h, out, inc);
		d->income_fen = 0;
		for (int k = 0; k < h->n; k++)
			d->income_fen += inc[k];
		/* the amount decided last: the review (ongoing) or the approval for the first month */
		struct assistance_dibao_result rd;
		int cd;
		int dm = d->kind == D_NEW ? d->start_month : d->decided_month;
		if (dibao_rules(a, db, d, dm, inc, &rd, &cd, e) < 0)
			goto fail;
		d->decided_fen = rd.amount_fen;
		int64_t tot;
		if (dibao_months(a, db, d, inc, &tot, e) < 0)
			goto fail;
		rest -= tot;
		pm_rest -= pm[i];
	}

	/* phase-out households: their previous amounts pay what remains */
	int64_t lo1 = 0, hi1 = 0, nat1 = 0, lo4 = 0, hi4 = 0;
	for (int64_t i = 0; i < n1; i++) {
		lo1 += a->d[g1[i]].lo_fen;
		hi1 += a->d[g1[i]].hi_fen;
		nat1 += a->d[g1[i]].nat_fen;
	}
	for (int64_t i = 0; i < n4; i++) {
		lo4 += a->d[g4[i]].lo_fen;
		hi4 += a->d[g4[i]].hi_fen;
	}
	/* what remains = y + 4x: x over the held group (paid January–April), y over January only */
	rest += expect_po - fixed_po;
	int64_t ry = rest / 100, x;
	int64_t xlo = (ry - hi1 / 100 + 3) / 4, xhi = (ry - lo1 / 100) / 4;
	if (ry - hi1 / 100 < 0)
		xlo = -((hi1 / 100 - ry) / 4);
	if (xlo < lo4 / 100)
		xlo = lo4 / 100;
	if (xhi > hi4 / 100)
		xhi = hi4 / 100;
	x = clamp64((ry - nat1 / 100) / 4, xlo, xhi);
	if (xlo > xhi)
		x = clamp64((ry - nat1 / 100) / 4, lo4 / 100, hi4 / 100);
	spread(a, g4, n4, x * 100);
	spread(a, g1, n1, clamp64(rest - 4 * x * 100, lo1, hi1));
	for (int64_t i = 0; i < a->nd; i++) {
		struct dplan *d = &a->d[i];
		if (d->kind != D_PO1 && d->kind != D_PO4)
			continue;
		const struct shh *h = &a->hh[d->hh];
		struct oinc *out = &a->out[d->out];
		int64_t inc[DEMO_MAX_MEMBERS];
		d->prev_income_fen = d->k_fen - d->decided_fen;
		distribute(a, h, -1, d->prev_income_fen / 100, out);
		/* the job: the household's income now at least the standard */
		struct assistance_dibao_result res;
		int counted;
		if (dibao_rules(a, db, d, d->found_month, zero, &res, &counted, e) < 0)
			goto fail;
		int64_t wage = (res.standard_fen * counted - d->prev_income_fen) / 100 +
			       demo_rng_range(&r, 100, 800);
		struct oinc *o = &out[d->job_member];
		int j = 0;
		while (j < o->n && o->type[j] != INC_WAGE)
			j++;
		if (j == o->n && o->n < DEMO_MAX_INCOMES) {
			o->type[o->n] = INC_WAGE;
			o->yuan[o->n++] = 0;
		} else if (j == o->n) {
			j = 0;
		}
		o->yuan[j] += (int32_t)wage;
		incomes_fen(h, out, inc);
		d->income_fen = 0;
		for (int k = 0; k < h->n; k++)
			d->income_fen += inc[k];
		int64_t tot;
		if (dibao_months(a, db, d, inc, &tot, e) < 0)
			goto fail;
		d->next_review_month = 0;
	}
	for (int64_t i = 0; i < a->nd; i++) {
		struct dplan *d = &a->d[i];
		if (d->kind == D_PO1 || d->kind == D_PO4)
			continue;
		const struct shh *h = &a->hh[d->hh];
		const struct pslot *s = params(a, db, hh_unit(a, h), h->urban, d->decided_month, e);
		if (!s)
			goto fail;
		d->next_review_month = d->decided_month + (d->irregular ? s->p.review_irregular_months
									: s->p.review_stable_months);
	}
	a->counts.dibao_fen_target = target;
	free(pm);
	free(g1);
	free(g4);
	return 0;
fail_oom:
	err_oom(e);
fail:
	free(pm);
	free(g1);
	free(g4);
	return -1;
}

int demo_assist_plan(struct demo_assist *a, struct db *db, struct err *e)
{
	if (choose(a, db, e) < 0 || plan_tekun(a, db, e) < 0 || plan_dibao(a, db, e) < 0)
		return -1;
	struct demo_assist_counts *c = &a->counts;
	for (int64_t i = 0; i < a->nd; i++) {
		const struct dplan *d = &a->d[i];
		c->dibao_cases++;
		c->dibao_new += d->kind == D_NEW;
		c->dibao_phaseout += d->kind == D_PO1 || d->kind == D_PO4;
		c->dibao_persons += d->persons;
		for (int mi = 0; mi < NMONTHS; mi++)
			c->dibao_fen += d->paid[mi];
	}
	for (int64_t i = 0; i < a->nt; i++) {
		const struct tplan *t = &a->t[i];
		c->tekun_cases++;
		c->tekun_new += t->first > 0;
		c->tekun_in_dibao += t->kind == T_IN_DIBAO;
		c->tekun_persons++;
		for (int mi = 0; mi < NMONTHS; mi++)
			c->tekun_fen += t->paid[mi];
	}
	return 0;
}

void demo_assist_counts(const struct demo_assist *a, struct demo_assist_counts *out)
{
	*out = a->counts;
}

void demo_assist_apply(const struct demo_assist *a, int64_t k, struct demo_household *h)
{
	if (k < 0 || k >= a->nhh)
		return;
	if (a->hh[k].role == ROLE_TEKUN) {
		/* 特困: no income and nobody to support them — at most the rural basic pension
		 * (up to 300 yuan a month), which the rules leave out of account anyway */
		for (int i = 0; i < h->n; i++) {
			struct demo_person *p = &h->m[i];
			int n = 0;
			p->income_fen = 0;
			for (int j = 0; j < p->nincome; j++)
				if (strcmp(p->income[j].type, "pension") == 0 && p->income[j].fen <= 30000) {
					p->income[n++] = p->income[j];
					p->income_fen += p->income[j].fen;
				}
			p->nincome = n;
		}
		return;
	}
	if (a->hh[k].plan < 0)
		return;
	const struct dplan *d = &a->d[a->hh[k].plan];
	for (int i = 0; i < h->n; i++) {
		const struct oinc *o = &a->out[d->out + i];
		struct demo_person *p = &h->m[i];
		p->nincome = o->n;
		p->income_fen = 0;
		for (int j = 0; j < o->n; j++) {
			p->income[j].type = income_types[o->type[j]];
			p->income[j].fen = (int64_t)o->yuan[j] * 100;
			p->income_fen += p->income[j].fen;
		}
	}
}

/* ---- writing the cases ------------------------------------------------------------------ */

/* Cases and steps go in by multi-row INSERTs of up to WBATCH rows, with the case ids given
 * (the table is empty, as is the whole registry, when the demo runs): one statement per batch
 * instead of per row — the cases table's CHECK … IN (…) lists cost SQLite a temporary table on
 * every execution of a statement, more than the row itself. */
#define WBATCH 64

static const char sql_case_head[] =
    "INSERT INTO assistance_cases(id, program, household_id, person_id, region_code, unit_code, "
    "residence_type, status, applied_at, start_month, end_month, exit_holdable, exit_cause, "
    "monthly_amount_fen, review_category, last_review_month, next_review_month, phaseout_from, "
    "phaseout_months, adl_mask, support_form, assets_fen, payee_name, bank_name, bank_account, "
    "notice_start, notice_end, last_step_on, created_at, updated_at) VALUES ";
static const char sql_case_row[] = "(?,?,?,?,?,?,?,?,?,?,?,1,?,?,?,?,?,?,?,?,?,?,'',?,?,?,?,?,?,?)";
#define CASE_COLS 28
static const char sql_step_head[] =
    "INSERT INTO assistance_steps(case_id, step, at, by_user, record) VALUES ";
static const char sql_step_row[] = "(?,?,?,?,?)";
#define STEP_COLS 5

struct bank {
	const char *name, *prefix;
};
static const struct bank banks_rural[] = {{"潍坊农村商业银行", "6231"},
					  {"中国农业银行", "6228"},
					  {"中国邮政储蓄银行", "6221"}};
static const struct bank banks_urban[] = {{"中国工商银行", "6222"},
					  {"中国建设银行", "6217"},
					  {"中国邮政储蓄银行", "6221"}};

/* One case row as it will be bound. */
struct case_row {
	int64_t id;
	const char *program;
	int64_t household_id, person_id; /* person 0 = NULL */
	const struct shh *h;
	const char *status;
	char applied[11];
	int start_month, end_month, decided_month, next_review_month, phaseout_from;
	int phaseout_months, adl;
	const char *exit_cause, *review_category, *support_form;
	int64_t amount, assets;
	char notice_start[11], notice_end[11], last_step[11];
	const struct bank *bank;
	char account[24];
};

struct step_row {
	int64_t case_id;
	const char *name;
	char at[32];
	char by[32];
	char record[640];
};

struct writer {
	struct demo_assist *a;
	struct db *db;
	struct demo_rng r;
	int64_t hid0, pid0, next_case;
	int nc, ns;
	struct case_row cases[WBATCH];
	struct step_row steps[WBATCH];
};

/* The statement inserting n rows (head + row × n), prepared once per n. */
static struct db_stmt *rows_stmt(struct db *db, const char *head, const char *row, int n,
				 struct err *e)
{
	char sql[8192];
	size_t len = (size_t)snprintf(sql, sizeof sql, "%s", head);
	for (int i = 0; i < n && len < sizeof sql; i++)
		len += (size_t)snprintf(sql + len, sizeof sql - len, "%s%s", i ? "," : "", row);
	if (len >= sizeof sql) {
		err_set(e, 500, "internal", NULL, "演示数据：语句过长");
		return NULL;
	}
	return db_prepare(db, sql, e);
}

static void day_of(int month, int day, char out[11])
{
	char m[8];
	assistance_month_format(month, m);
	snprintf(out, 11, "%s-%02d", m, day);
}

static void month_of(int month, char out[8])
{
	if (month)
		assistance_month_format(month, out);
	else
		out[0] = '\0';
}

/* The unit's staff user (county_370704, zone_370791) and the township's (township_370704008). */
static void users_of(const struct demo_assist *a, const struct shh *h, char county[32],
		     char township[32])
{
	const struct demo_village *v = &a->v[h->village];
	snprintf(county, 32, "%s_%s", v->zone >= 0 ? "zone" : "county", v->unit);
	snprintf(township, 32, "township_%.9s", v->code);
}

static int flush_steps(struct writer *w, struct err *e)
{
	if (w->ns == 0)
		return 0;
	struct db_stmt *st = rows_stmt(w->db, sql_step_head, sql_step_row, w->ns, e);
	if (!st)
		return -1;
	for (int i = 0; i < w->ns; i++) {
		const struct step_row *x = &w->steps[i];
		int b = i * STEP_COLS;
		db_bind_int(st, b + 1, x->case_id);
		db_bind_text(st, b + 2, x->name);
		db_bind_text(st, b + 3, x->at);
		db_bind_text(st, b + 4, x->by);
		db_bind_text(st, b + 5, x->record);
	}
	w->ns = 0;
	return db_run(st, e);
}

static int flush_cases(struct writer *w, struct err *e)
{
	if (w->nc == 0)
		return 0;
	struct db_stmt *st = rows_stmt(w->db, sql_case_head, sql_case_row, w->nc, e);
	if (!st)
		return -1;
	for (int k = 0; k < w->nc; k++) {
		const struct case_row *c = &w->cases[k];
		const struct demo_village *v = &w->a->v[c->h->village];
		char sm[8], em[8], lr[8], nr[8], po[8], created[32], updated[32];
		month_of(c->start_month, sm);
		month_of(c->end_month, em);
		month_of(c->decided_month, lr);
		month_of(c->next_review_month, nr);
		month_of(c->phaseout_from, po);
		snprintf(created, sizeof created, "%sT09:00:00+08:00", c->applied);
		snprintf(updated, sizeof updated, "%sT16:00:00+08:00", c->last_step);
		int i = k * CASE_COLS + 1;
		db_bind_int(st, i++, c->id);
		db_bind_text(st, i++, c->program);
		db_bind_int(st, i++, c->household_id);
		if (c->person_id)
			db_bind_int(st, i++, c->person_id);
		else
			db_bind_null(st, i++);
		db_bind_textn(st, i++, v->code, 12);
		db_bind_text(st, i++, v->unit);
		db_bind_text(st, i++, c->h->urban ? "urban" : "rural");
		db_bind_text(st, i++, c->status);
		db_bind_text(st, i++, c->applied);
		db_bind_text(st, i++, sm);
		db_bind_text(st, i++, em);
		db_bind_text(st, i++, c->exit_cause);
		db_bind_int(st, i++, c->amount);
		db_bind_text(st, i++, c->review_category);
		db_bind_text(st, i++, lr);
		db_bind_text(st, i++, nr);
		db_bind_text(st, i++, po);
		db_bind_int(st, i++, c->phaseout_months);
		db_bind_int(st, i++, c->adl);
		db_bind_text(st, i++, c->support_form);
		db_bind_int(st, i++, c->assets);
		db_bind_text(st, i++, c->bank->name);
		db_bind_text(st, i++, c->account);
		db_bind_text(st, i++, c->notice_start);
		db_bind_text(st, i++, c->notice_end);
		db_bind_text(st, i++, c->last_step);
		db_bind_text(st, i++, created);
		db_bind_text(st, i++, updated);
	}
	w->nc = 0;
	return db_run(st, e);
}

/* A step of case case_id, written with the next batch (after its case's batch). */
static int step(struct writer *w, int64_t case_id, const char *name, const char *day,
		const char *by, const char *record, struct err *e)
{
	if (w->ns == WBATCH && (flush_cases(w, e) < 0 || flush_steps(w, e) < 0))
		return -1;
	struct step_row *x = &w->steps[w->ns++];
	x->case_id = case_id;
	x->name = name;
	snprintf(x->at, sizeof x->at, "%sT10:00:00+08:00", day);
	snprintf(x->by, sizeof x->by, "%s", by);
	snprintf(x->record, sizeof x->record, "%s", record);
	return 0;
}

/* Queue case c (its bank and account drawn here); *id receives its id. */
static int case_insert(struct writer *w, const struct case_row *c, int64_t *id, struct err *e)
{
	if (w->nc == WBATCH && flush_cases(w, e) < 0)
		return -1;
	struct case_row *x = &w->cases[w->nc++];
	*x = *c;
	x->id = *id = w->next_case++;
	x->bank = c->h->urban ? &banks_urban[demo_rng_below(&w->r, 3)]
			      : &banks_rural[demo_rng_below(&w->r, 3)];
	snprintf(x->account, sizeof x->account, "%s%015llu", x->bank->prefix,
		 (unsigned long long)(demo_rng_next(&w->r) % 1000000000000000ULL));
	return 0;
}

/* The application, notice and approval of a case approved in month am (days in that month). */
static void approval_days(struct writer *w, int am, struct case_row *c, char approved[11])
{
	int ns = (int)demo_rng_range(&w->r, 2, 9), ad = ns + 7 + (int)demo_rng_range(&w->r, 0, 4);
	day_of(am - 1, (int)demo_rng_range(&w->r, 3, 26), c->applied);
	day_of(am, ns, c->notice_start);
	day_of(am, ns + 6, c->notice_end);
	day_of(am, ad, approved);
}

static int write_dibao(struct writer *w, const struct dplan *d, struct err *e)
{
	struct demo_assist *a = w->a;
	const struct shh *h = &a->hh[d->hh];
	struct case_row c;
	char county[32], township[32], approved[11], rec[600], sm[8], m1[8], m2[8], m3[8];
	int64_t id;
	memset(&c, 0, sizeof c);
	users_of(a, h, county, township);
	c.program = ASSISTANCE_DIBAO;
	c.household_id = w->hid0 + d->hh;
	c.h = h;
	c.start_month = d->start_month;
	c.decided_month = d->decided_month;
	c.next_review_month = d->next_review_month;
	c.amount = d->decided_fen;
	c.assets = d->assets_fen;
	c.review_category = d->irregular ? "irregular" : "stable";
	c.exit_cause = "";
	c.support_form = "";
	c.status = "active";
	approval_days(w, d->start_month - 1, &c, approved);
	month_of(d->start_month, sm);
	if (d->kind == D_NEW) {
		snprintf(c.last_step, sizeof c.last_step, "%s", approved);
		if (case_insert(w, &c, &id, e) < 0)
			return -1;
		snprintf(rec, sizeof rec,
			 "{\"date\":\"%s\",\"program\":\"dibao\",\"assets_fen\":%lld,"
			 "\"total_income_fen\":%lld,\"note\":\"疫情期间因收入减少申请（演示数据）\"}",
			 c.applied, (long long)d->assets_fen, (long long)d->income_fen);
		if (step(w, id, "apply", c.applied, township, rec, e) < 0)
			return -1;
		snprintf(rec, sizeof rec,
			 "{\"date\":\"%s\",\"start_month\":\"%s\",\"amount_fen\":%lld,"
			 "\"note\":\"公示 %s 至 %s 无异议\"}",
			 approved, sm, (long long)d->decided_fen, c.notice_start, c.notice_end);
		return step(w, id, "approve", approved, county, rec, e);
	}
	char reviewed[11];
	int rm = d->kind == D_ONGOING ? d->decided_month : d->found_month;
	day_of(rm, (int)demo_rng_range(&w->r, 5, 25), reviewed);
	snprintf(c.last_step, sizeof c.last_step, "%s", reviewed);
	if (d->kind != D_ONGOING) {
		const struct pslot *s = &a->ps[((size_t)hh_unit(a, h) * 2 + h->urban) * PARAM_MONTHS +
					       (size_t)(d->found_month - (a->month0 - 6))];
		struct assistance_phaseout plan;
		if (assistance_phaseout_plan(d->found_month, s->p.dibao_phaseout_months, &a->epi, 1,
					     &plan, e) < 0)
			return -1;
		c.status = "phaseout";
		c.decided_month = d->found_month;
		c.next_review_month = 0;
		c.phaseout_from = d->found_month;
		c.phaseout_months = plan.months;
		c.end_month = plan.last_month;
		c.exit_cause = "income";
		if (case_insert(w, &c, &id, e) < 0)
			return -1;
		month_of(plan.first_month, m1);
		month_of(plan.last_month, m2);
		month_of(plan.exit_month, m3);
		snprintf(rec, sizeof rec, "{\"date\":\"%s\",\"note\":\"自 %s 起享受低保（演示数据：在册案件）\"}",
			 approved, sm);
		if (step(w, id, "approve", approved, county, rec, e) < 0)
			return -1;
		char fm[8];
		month_of(d->found_month, fm);
		snprintf(rec, sizeof rec,
			 "{\"date\":\"%s\",\"month\":\"%s\",\"category\":\"irregular\","
			 "\"result\":\"phaseout\",\"phaseout\":{\"months\":%d,\"first_month\":\"%s\","
			 "\"last_month\":\"%s\",\"exit_month\":\"%s\",\"held\":%s,\"amount_fen\":%lld},"
			 "\"total_income_fen\":%lld,\"note\":\"家庭成员就业，收入超过标准；此前家庭月收入 "
			 "%lld.%02lld 元\"}",
			 reviewed, fm, plan.months, m1, m2, m3, plan.held ? "true" : "false",
			 (long long)d->decided_fen, (long long)d->income_fen,
			 (long long)(d->prev_income_fen / 100), (long long)(d->prev_income_fen % 100));
		return step(w, id, "review", reviewed, township, rec, e);
	}
	if (case_insert(w, &c, &id, e) < 0)
		return -1;
	snprintf(rec, sizeof rec, "{\"date\":\"%s\",\"note\":\"自 %s 起享受低保（演示数据：在册案件）\"}",
		 approved, sm);
	if (step(w, id, "approve", approved, county, rec, e) < 0)
		return -1;
	char lr[8], nr[8];
	month_of(d->decided_month, lr);
	month_of(d->next_review_month, nr);
	snprintf(rec, sizeof rec,
		 "{\"date\":\"%s\",\"month\":\"%s\",\"category\":\"%s\",\"result\":\"continue\","
		 "\"amount_fen\":%lld,\"next_review_month\":\"%s\",\"total_income_fen\":%lld}",
		 reviewed, lr, c.review_category, (long long)d->decided_fen, nr,
		 (long long)d->income_fen);
	return step(w, id, "review", reviewed, township, rec, e);
}

static int write_tekun(struct writer *w, const struct tplan *t, struct err *e)
{
	struct demo_assist *a = w->a;
	const struct shh *h = &a->hh[t->hh];
	struct case_row c;
	char county[32], township[32], approved[11], rec[400], sm[8];
	int64_t id;
	static const char *const care[4] = {"", "self", "half", "full"};
	memset(&c, 0, sizeof c);
	users_of(a, h, county, township);
	c.program = ASSISTANCE_TEKUN;
	c.household_id = w->hid0 + t->hh;
	c.person_id = w->pid0 + h->first + t->member;
	c.h = h;
	c.status = "active";
	c.start_month = t->start_month;
	c.amount = t->paid[t->first];
	c.adl = t->adl;
	c.exit_cause = "";
	c.review_category = "stable";
	c.support_form = t->form == ASSISTANCE_SUPPORT_CENTRALISED ? "centralised" : "scattered";
	approval_days(w, t->start_month - 1, &c, approved);
	snprintf(c.last_step, sizeof c.last_step, "%s", approved);
	if (case_insert(w, &c, &id, e) < 0)
		return -1;
	month_of(t->start_month, sm);
	const char *note = t->kind == T_IN_DIBAO ? "低保家庭成员单独认定为特困人员（演示数据）"
			   : t->first == 0	     ? "演示数据：在册特困人员"
			   : t->first < 3	     ? "疫情期间及时认定（演示数据）"
						     : "2020 年一季度特困人员集中排查认定（演示数据）";
	snprintf(rec, sizeof rec,
		 "{\"date\":\"%s\",\"start_month\":\"%s\",\"amount_fen\":%lld,\"care_level\":\"%s\","
		 "\"support_form\":\"%s\",\"note\":\"%s\"}",
		 approved, sm, (long long)c.amount, care[t->level], c.support_form, note);
	return step(w, id, "approve", approved, county, rec, e);
}

int demo_assist_write(struct demo_assist *a, struct db *db, int64_t first_household,
		      int64_t first_person, struct err *e)
{
	struct writer *w = calloc(1, sizeof *w);
	if (!w)
		return err_oom(e);
	w->a = a;
	w->db = db;
	w->hid0 = first_household;
	w->pid0 = first_person;
	w->next_case = db_query_int(db, "SELECT coalesce(max(id), 0) + 1 FROM assistance_cases", NULL);
	demo_rng_seed(&w->r, a->seed, 8);
	int rc = w->next_case > 0 ? 0 : err_set(e, 500, "internal", NULL, "演示数据：读取案件编号失败");
	for (int64_t i = 0; rc == 0 && i < a->nd; i++)
		rc = write_dibao(w, &a->d[i], e);
	for (int64_t i = 0; rc == 0 && i < a->nt; i++)
		rc = write_tekun(w, &a->t[i], e);
	if (rc == 0 && (flush_cases(w, e) < 0 || flush_steps(w, e) < 0))
		rc = -1;
	free(w);
	if (rc < 0)
		return -1;
	struct db_stmt *st = db_prepare(
	    db,
	    "INSERT INTO epidemic_periods(start_month, end_month, note, declared_by, declared_at) "
	    "VALUES (?, ?, ?, 'admin', '2020-03-06T18:00:00+08:00')",
	    e);
	if (!st)
		return -1;
	char s[8], t[8];
	month_of(a->epi.start_month, s);
	month_of(a->epi.end_month, t);
	db_bind_text(st, 1, s);
	db_bind_text(st, 2, t);
	db_bind_text(st, 3,
		     "疫情防控期间暂停低保、特困退出，复核顺延（国务院 2020 年 3 月 6 日要求；演示数据）");
	return db_run(st, e);
}
