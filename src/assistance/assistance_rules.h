/* assistance_rules.h — the pure rules of the assistance programs: 低保 (dibao) household amounts,
 * 特困 (tekun) support, orphan and de-facto-unsupported child allowances, phase-out (渐退) with the
 * epidemic hold, review scheduling and the public-notice window.
 * (Owned by the assistance module; the rules live in assistance_rules.c. docs/assistance-rules.md
 * states every formula in Chinese and English with a worked example.)
 *
 * Everything here is pure: no I/O, no allocation, no globals, integer arithmetic only. Money is
 * int64_t fen (1 yuan = 100 fen); rates are integer basis points (10000 bp = 100 %). Every
 * division rounds in one stated way, and every input value is ≥ 0, so "half up" means
 * floor(x + 1/2), computed as (2·num + den) / (2·den).
 *
 * Parameters come in as struct assistance_params, which the caller fills from the policy module
 * with the values in force for the month computed (field names are the policy keys; a key the
 * policy module keeps per residence type, such as dibao_min_payment_fen, is filled with the value
 * for the household's residence type). Months are plain ints: year × 12 + (month − 1)
 * (assistance_month_make), so adding months is `+` and comparing is `<`; 0 means "none" where a
 * field says so. Valid years are 1900–9999.
 *
 * Fallible functions return 0, or -1 and fill e (when not NULL):
 *   400 invalid_value      an input field out of range (field: "members[1].age", "adl", …);
 *   500 invalid_parameter  a parameter the function needs is out of range (field: the key) —
 *                          the policy editor should have refused it (assistance_params_check);
 *   400 invalid_parameter  from assistance_params_check itself.
 */
#ifndef MZ_ASSISTANCE_RULES_H
#define MZ_ASSISTANCE_RULES_H

#include <stdint.h>

#include "core/err.h"

#define ASSISTANCE_MAX_MEMBERS 20	 /* household members considered */
#define ASSISTANCE_MAX_FEN 10000000000LL /* any one money value: 100,000,000.00 yuan */
#define ASSISTANCE_MAX_BP 100000	 /* any one rate: 1000 % */
#define ASSISTANCE_MAX_AGE 150
#define ASSISTANCE_MAX_PERIOD_MONTHS 120 /* phase-out length, review interval */
#define ASSISTANCE_MAX_NOTICE_DAYS 365
#define ASSISTANCE_NOTICE_MIN_DAYS 7 /* statutory floor: "public notice of at least 7 days" */
#define ASSISTANCE_ADULT_AGE 18	     /* legal age of majority: a minor is under 18 */
#define ASSISTANCE_REFUSALS_LIMIT 3  /* refused suitable job offers that trigger the cut */
#define ASSISTANCE_ABSENCE_MONTHS 6  /* detention / loss of contact that makes a parent unable */

/* ------------------------------------------------------------------------------------------ */
/* Parameters                                                                                  */
/* ------------------------------------------------------------------------------------------ */

struct assistance_params {
	int64_t dibao_standard_urban_month_fen; /* urban 低保 standard, per person per month */
	int64_t dibao_standard_rural_year_fen;	/* rural 低保 standard, per person per year */
	int64_t dibao_min_payment_fen;	 /* minimum monthly payment per household; 0 = none */
	int32_t dibao_uplift_elderly_bp; /* uplift per member, share of the standard */
	int32_t dibao_uplift_severe_disability_bp;
	int32_t dibao_uplift_serious_illness_bp;
	int32_t dibao_uplift_minor_bp;
	int32_t dibao_elderly_age;     /* elderly = age ≥ this; 0 = no elderly uplift */
	int32_t tekun_basic_factor_bp; /* 特困 basic = 低保 standard × this (13000 = 1.3) */
	int64_t tekun_care_centralised_full_year_fen; /* care allowances, per person per year */
	int64_t tekun_care_centralised_half_year_fen;
	int64_t tekun_care_centralised_self_year_fen;
	int64_t tekun_care_scattered_full_year_fen;
	int64_t tekun_care_scattered_half_year_fen;
	int64_t tekun_care_scattered_self_year_fen;
	int64_t orphan_institutional_month_fen; /* per child per month */
	int64_t orphan_scattered_month_fen;
	int64_t unsupported_child_month_fen;
	int32_t dibao_phaseout_months;	 /* 0..120; 0 = no phase-out, the exit is immediate */
	int32_t review_stable_months;	 /* 1..120 */
	int32_t review_irregular_months; /* 1..120 */
	int32_t notice_days;		 /* 7..365 */
};

/* Check every field: money 0..ASSISTANCE_MAX_FEN, rates 0..ASSISTANCE_MAX_BP, dibao_elderly_age
 * 0..150, dibao_phaseout_months 0..120, review intervals 1..120, notice_days 7..365. On the first
 * bad field: -1, e = 400 invalid_parameter, field = the key. For the policy editor; the functions
 * below check the fields they use themselves (500). */
int assistance_params_check(const struct assistance_params *p, struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* Months and dates                                                                            */
/* ------------------------------------------------------------------------------------------ */

/* year × 12 + (mon − 1). No range check: see assistance_month_valid. */
int assistance_month_make(int year, int mon);
/* 1 when the month lies in 1900-01..9999-12. */
int assistance_month_valid(int month);
/* Strict "YYYY-MM" (4 digits, '-', 2 digits 01..12, nothing else). 0, or -1 (*month untouched). */
int assistance_month_parse(const char *z, int *month);
/* "YYYY-MM" into out[8]; "" for an invalid month. */
void assistance_month_format(int month, char out[8]);
/* Full years of age on the first day of `month` for a birth date "YYYY-MM-DD" (strict, a real
 * calendar day). Someone born on the 1st has their birthday counted in that month; someone born
 * on 29 February is a year older from 1 March in a common year. -1 when the date is invalid or
 * after the first day of the month. */
int assistance_age_on_month(const char *birth_date, int month, int *age);

/* ------------------------------------------------------------------------------------------ */
/* 低保 standard                                                                               */
/* ------------------------------------------------------------------------------------------ */

enum assistance_residence {
	ASSISTANCE_URBAN = 1, /* 城镇: the standard is set per month */
	ASSISTANCE_RURAL = 2, /* 农村: the standard is set per year */
};

/* The monthly 低保 standard per person.
 *   urban: dibao_standard_urban_month_fen as it is;
 *   rural: dibao_standard_rural_year_fen ÷ 12, rounded half up to the fen
 *          (5,400.00/yr → 450.00; 5,401.00/yr → 450.0833 → 450.08; 5,400.06/yr → 450.005 → 450.01).
 * Every other figure built on the standard (gap, uplifts, 特困 basic) starts from this rounded
 * monthly value, the one published. 400 invalid_value "residence" for another residence. */
int assistance_dibao_standard_month(const struct assistance_params *p,
				    enum assistance_residence residence, int64_t *standard_fen,
				    struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* 低保 household amount                                                                       */
/* ------------------------------------------------------------------------------------------ */

/* One household member as the month's computation sees them. */
struct assistance_member {
	int age;	      /* full years on the first day of the month, 0..150 */
	int disability_grade; /* 0 none, 1..4 (1 most severe); severe for the uplift = 1 or 2 */
	int seriously_ill;    /* nonzero: seriously ill (重病) */
	int is_tekun;	      /* nonzero: supported as 特困 — not counted in this household */
	int64_t income_month_fen; /* the member's monthly income, 0..ASSISTANCE_MAX_FEN */
	int job_refusals; /* suitable job offers refused, ≥ 0; ≥ 3 withholds their gap share */
};

enum assistance_uplift {
	ASSISTANCE_UPLIFT_NONE = 0,
	ASSISTANCE_UPLIFT_ELDERLY,	     /* age ≥ dibao_elderly_age (when that is > 0) */
	ASSISTANCE_UPLIFT_SEVERE_DISABILITY, /* disability grade 1 or 2 */
	ASSISTANCE_UPLIFT_SERIOUS_ILLNESS,   /* seriously_ill */
	ASSISTANCE_UPLIFT_MINOR,	     /* age < 18 */
};

enum assistance_dibao_reason {
	ASSISTANCE_DIBAO_PAID = 0,		    /* amount > 0 */
	ASSISTANCE_DIBAO_INCOME_NOT_BELOW_STANDARD, /* per-capita income ≥ standard */
	ASSISTANCE_DIBAO_NO_COUNTED_MEMBERS,	    /* every member is supported as 特困 */
	ASSISTANCE_DIBAO_WORK_REFUSED,		    /* eligible, but nothing is payable once the
						     * refusing members' gap share is withheld */
};

struct assistance_member_result {
	int counted;		       /* 0 for a 特困 member */
	int refused;		       /* counted and job_refusals ≥ 3 */
	enum assistance_uplift uplift; /* the member's category with the largest rate, NONE when
					* none (shown even when the household is not eligible) */
	int64_t uplift_fen;	       /* standard × rate ÷ 10000, half up; 0 when not eligible */
};

/* Everything the UI and the public notice show about one household's month. */
struct assistance_dibao_result {
	int64_t amount_fen; /* what is paid */
	int eligible;	    /* passes the income test: total income < standard × counted */
	enum assistance_dibao_reason reason;
	int64_t standard_fen;	       /* monthly standard for the residence type */
	int members;		       /* members given */
	int counted_members;	       /* members − 特困 members */
	int refusing_members;	       /* counted members with ≥ 3 refusals */
	int64_t total_income_fen;      /* sum over counted members */
	int64_t per_capita_income_fen; /* total ÷ counted, half up — for display only, never used */
	int64_t gap_fen;	       /* max(0, standard × counted − total income) */
	int64_t gap_withheld_fen;      /* refusing members' share: gap − gap_paid */
	int64_t gap_paid_fen;	       /* gap × (counted − refusing) ÷ counted, half up */
	int64_t uplift_fen;	       /* sum of member uplifts */
	int64_t computed_fen;	       /* gap_paid + uplift */
	int minimum_applied;	       /* 1 when the minimum replaced a smaller computed amount */
	struct assistance_member_result member[ASSISTANCE_MAX_MEMBERS];
};

/* The 低保 amount of one household for one month.
 *
 *   S = monthly standard (assistance_dibao_standard_month); members with is_tekun are left out
 *   entirely (their income, their count, their uplift): a 特困 person is supported separately
 *   and is not also counted in a 低保 household's amount.
 *   n = counted members, I = their total income.
 *   Eligible ⇔ n > 0 and I < S × n (per-capita income below the standard, tested without
 *   dividing: no per-capita rounding anywhere).
 *   gap = S × n − I (≥ 0; 0 when not eligible).
 *   Refusals: a counted member with ≥ 3 refusals of suitable job offers has their share of the
 *   gap withheld; with r such members, gap_paid = gap × (n − r) ÷ n rounded half up (one
 *   rounding for the household, in the household's favour at exactly half a fen), withheld =
 *   gap − gap_paid. The refusing member's uplift is still paid: it follows from age, disability
 *   or illness, not from work.
 *   Uplift: each counted member in a category gets S × rate ÷ 10000 rounded half up to the fen,
 *   rounded per member; a member in several categories gets only the largest rate (equal rates:
 *   the first in enum order is reported). A rate of 0 is no uplift.
 *   computed = gap_paid + Σ uplift.
 *   Minimum: an eligible household whose computed amount is below dibao_min_payment_fen is paid
 *   the minimum — except when every counted member refused work (the minimum would undo the
 *   sanction), where computed (the uplifts alone) is paid as it is.
 *   Reason: PAID when the amount is > 0; WORK_REFUSED when eligible but 0 (only possible with
 *   refusals); not eligible: amount 0, uplifts 0, reason INCOME_NOT_BELOW_STANDARD or
 *   NO_COUNTED_MEMBERS. The other fields are filled as far as the computation got.
 *
 * n_members 1..ASSISTANCE_MAX_MEMBERS. Errors: 400 invalid_value ("members", "members[i].age",
 * ".disability_grade", ".income_month_fen", ".job_refusals", "residence"); 500
 * invalid_parameter for the standard, minimum, rates or elderly age. */
int assistance_dibao_amount(const struct assistance_params *p, enum assistance_residence residence,
			    const struct assistance_member *members, int n_members,
			    struct assistance_dibao_result *out, struct err *e);

/* Stable code ("paid", "income_not_below_standard", "no_counted_members", "work_refused")
 * and Chinese text for the notice. Unknown values give "unknown" / "未知". */
const char *assistance_dibao_reason_code(enum assistance_dibao_reason reason);
const char *assistance_dibao_reason_text(enum assistance_dibao_reason reason);
/* "elderly", "severe_disability", "serious_illness", "minor", "none". */
const char *assistance_uplift_code(enum assistance_uplift uplift);

/* ------------------------------------------------------------------------------------------ */
/* 特困                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* The six daily activities; a bit set means the person CANNOT do it. */
enum assistance_adl {
	ASSISTANCE_ADL_EATING = 1u << 0,	  /* 吃饭 */
	ASSISTANCE_ADL_DRESSING = 1u << 1,	  /* 穿衣 */
	ASSISTANCE_ADL_BED_TRANSFER = 1u << 2,	  /* 上下床 */
	ASSISTANCE_ADL_TOILETING = 1u << 3,	  /* 如厕 */
	ASSISTANCE_ADL_WALKING_INDOORS = 1u << 4, /* 室内行走 */
	ASSISTANCE_ADL_BATHING = 1u << 5,	  /* 洗澡 */
	ASSISTANCE_ADL_ALL = 0x3fu,
};

enum assistance_care_level {
	ASSISTANCE_CARE_SELF = 1, /* 全自理: all six possible */
	ASSISTANCE_CARE_HALF = 2, /* 半护理: 1–3 not possible */
	ASSISTANCE_CARE_FULL = 3, /* 全护理: 4–6 not possible */
};

enum assistance_support_form {
	ASSISTANCE_SUPPORT_CENTRALISED = 1, /* 集中供养: in an institution */
	ASSISTANCE_SUPPORT_SCATTERED = 2,   /* 分散供养: at home */
};

/* Self-care level from the activities that cannot be done: 0 → SELF, 1–3 → HALF, 4–6 → FULL.
 * 400 invalid_value "adl" when a bit outside ASSISTANCE_ADL_ALL is set. */
int assistance_tekun_care_level(unsigned cannot, enum assistance_care_level *level, struct err *e);

struct assistance_tekun_result {
	int64_t standard_fen;  /* monthly 低保 standard for the residence type */
	int64_t basic_fen;     /* standard × tekun_basic_factor_bp ÷ 10000, half up */
	int64_t care_year_fen; /* the yearly care allowance for (form, level) */
	int64_t care_fen;      /* care_year ÷ 12, half up */
	int64_t total_fen;     /* basic + care */
};

/* Monthly 特困 support: basic (from the rounded monthly standard: 710.00 × 1.3 = 923.00;
 * rural 450.08 × 1.3 = 585.104 → 585.10) + care (989.00/yr ÷ 12 = 82.4167 → 82.42).
 * 400 invalid_value "residence", "support_form", "care_level"; 500 invalid_parameter. */
int assistance_tekun_amount(const struct assistance_params *p, enum assistance_residence residence,
			    enum assistance_support_form form, enum assistance_care_level level,
			    struct assistance_tekun_result *out, struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* Orphans (孤儿) and de-facto-unsupported children (事实无人抚养儿童)                           */
/* ------------------------------------------------------------------------------------------ */

enum assistance_disability_kind {
	ASSISTANCE_DISABILITY_NONE = 0,
	ASSISTANCE_DISABILITY_VISUAL,	    /* 视力 */
	ASSISTANCE_DISABILITY_HEARING,	    /* 听力 */
	ASSISTANCE_DISABILITY_SPEECH,	    /* 言语 */
	ASSISTANCE_DISABILITY_PHYSICAL,	    /* 肢体 */
	ASSISTANCE_DISABILITY_INTELLECTUAL, /* 智力 */
	ASSISTANCE_DISABILITY_MENTAL,	    /* 精神 */
	ASSISTANCE_DISABILITY_MULTIPLE,	    /* 多重 */
};

/* A parent as established by the papers, as of the month assessed. */
struct assistance_parent {
	int dead;	      /* nonzero: dead (死亡, incl. declared dead) */
	int missing;	      /* nonzero: missing (宣告失踪 or registered missing) */
	int disability_grade; /* 0 none, 1..4 */
	enum assistance_disability_kind disability_kind;
	int seriously_ill;	   /* nonzero: seriously ill (重病) */
	int detained_months;	   /* length of imprisonment, detention or compulsory isolation
				    * (服刑在押、强制隔离戒毒、其他限制人身自由), months; 0 none */
	int out_of_contact_months; /* full months without contact (失联) up to the month; 0 none */
};

/* Why a parent cannot raise the child; NONE when they can. First match in this order. */
enum assistance_parent_condition {
	ASSISTANCE_PARENT_ABLE = 0,
	ASSISTANCE_PARENT_DEAD,
	ASSISTANCE_PARENT_MISSING,
	ASSISTANCE_PARENT_SEVERELY_DISABLED, /* grade 1–2 of any kind, or intellectual/mental 3–4 */
	ASSISTANCE_PARENT_SERIOUSLY_ILL,
	ASSISTANCE_PARENT_DETAINED,	  /* detained_months ≥ 6 */
	ASSISTANCE_PARENT_OUT_OF_CONTACT, /* out_of_contact_months ≥ 6 */
};

enum assistance_child_placement {
	ASSISTANCE_PLACEMENT_INSTITUTIONAL = 1, /* 机构养育 (welfare home) */
	ASSISTANCE_PLACEMENT_SCATTERED = 2,	/* 散居 (with relatives, foster family) */
};

struct assistance_child {
	int birth_month; /* month of birth (assistance_month_make) */
	enum assistance_child_placement placement;
	struct assistance_parent parents[2];
};

enum assistance_child_category {
	ASSISTANCE_CHILD_NONE = 0,
	ASSISTANCE_CHILD_ORPHAN_INSTITUTIONAL,
	ASSISTANCE_CHILD_ORPHAN_SCATTERED,
	ASSISTANCE_CHILD_UNSUPPORTED,
};

enum assistance_child_reason {
	ASSISTANCE_CHILD_OK = 0,
	ASSISTANCE_CHILD_OVER_AGE,    /* the month is after the 18th-birthday month */
	ASSISTANCE_CHILD_PARENT_ABLE, /* result.parent names a parent with no qualifying condition
				       */
};

struct assistance_child_result {
	enum assistance_child_category category;
	enum assistance_child_reason reason;
	int parent; /* the parent (0/1) that fails the test, -1 otherwise */
	enum assistance_parent_condition condition[2]; /* each parent's condition */
	int last_month;	    /* last month within age: birth_month + 18 × 12 */
	int64_t amount_fen; /* monthly allowance for the category; 0 when NONE */
};

/* The condition of one parent (order as in the enum). Severely disabled: grade 1–2 of any kind,
 * or grade 3–4 of the intellectual or mental kind (DOMAIN.md); multiple-disability grade 3–4
 * does not qualify. */
enum assistance_parent_condition assistance_parent_condition(const struct assistance_parent *pa);

/* Assess a child for `month`.
 *   Age: the allowance is paid up to and including the month of the 18th birthday; from the
 *   following month the child is over age (born 2002-05 → last paid 2020-05, not 2020-06).
 *   Orphan: both parents dead or missing (this covers "one dead and the other missing").
 *   Category by placement: ORPHAN_INSTITUTIONAL / ORPHAN_SCATTERED.
 *   De-facto unsupported: not an orphan, and every parent is dead, missing, or has one of the
 *   four conditions (severely disabled, seriously ill, detained ≥ 6 months, out of contact ≥ 6
 *   months) — i.e. both parents have a condition, or one is dead/missing and the surviving
 *   parent has one. A missing parent counts like a dead one, as in the orphan definition.
 *   Otherwise NONE with PARENT_ABLE and parent = the first able parent.
 *   Over age is reported before the parent test (category NONE, reason OVER_AGE).
 * Amount: orphan_institutional / orphan_scattered / unsupported_child _month_fen (the latter
 * whatever the placement). 400 invalid_value "month", "birth_month" (invalid, or after month),
 * "placement", "parents[i].disability_grade", …; 500 invalid_parameter. */
int assistance_child_assess(const struct assistance_params *p, const struct assistance_child *c,
			    int month, struct assistance_child_result *out, struct err *e);

const char *assistance_child_category_code(enum assistance_child_category c);
const char *assistance_parent_condition_code(enum assistance_parent_condition c);

/* ------------------------------------------------------------------------------------------ */
/* Epidemic periods, phase-out (渐退) and the month's pay status                               */
/* ------------------------------------------------------------------------------------------ */

/* A declared epidemic period, months inclusive: start_month ≤ end_month. */
struct assistance_period {
	int start_month;
	int end_month;
};

/* The epidemic hold: an exit (the first month no longer paid) that falls inside a period
 * (start ≤ exit ≤ end) moves to the month after the period ends; repeated while the moved exit
 * falls inside another period. Nobody falls off a roll during a period. Meant for exits decided
 * by the rules (phase-out end, a review's finding), not for death or moving away. n_periods may
 * be 0 (periods NULL). 400 invalid_value "exit_month", "periods[i]". */
int assistance_exit_hold(int exit_month, const struct assistance_period *periods, int n_periods,
			 int *held_exit_month, struct err *e);

/* A phase-out: a review in found_month F found income above the standard; N months.
 *   F itself is paid normally (the case is still active that month);
 *   F+1 .. F+N are paid at the previous amount (phase-out month k = month − F, of N);
 *   F+N+1 is the first month not paid — unless it falls in an epidemic period, then the exit is
 *   held (assistance_exit_hold) and the months up to it are paid as "held".
 *   N = 3, F = 2020-05 → paid 06, 07, 08; ended from 2020-09. N = 0 → ended from F+1. */
struct assistance_phaseout {
	int found_month;
	int months;	       /* N */
	int first_month;       /* F+1 (when N > 0) */
	int last_month;	       /* F+N; equals F when N = 0 */
	int unheld_exit_month; /* F+N+1 */
	int exit_month;	       /* first month not paid, after any hold */
	int held;	       /* 1 when a period moved the exit */
};

int assistance_phaseout_plan(int found_month, int months, const struct assistance_period *periods,
			     int n_periods, struct assistance_phaseout *out, struct err *e);

/* One case's months. N is fixed when the phase-out starts (normally dibao_phaseout_months; a
 * local rule may give pensioners, graduates or placed job-seekers longer), so a parameter change
 * during the phase-out does not move its end. */
struct assistance_case_months {
	int start_month;     /* first month paid (the month after approval) */
	int found_month;     /* 0 = no phase-out; else ≥ start_month */
	int phaseout_months; /* N, 0..120 */
};

enum assistance_pay_state {
	ASSISTANCE_PAY_NOT_STARTED = 1, /* month < start_month */
	ASSISTANCE_PAY_ACTIVE,		/* paid normally */
	ASSISTANCE_PAY_PHASEOUT,	/* paid at the previous amount, month k of N */
	ASSISTANCE_PAY_HELD,		/* paid: the exit is held by an epidemic period */
	ASSISTANCE_PAY_ENDED,		/* not paid: from the exit month on */
};

struct assistance_pay_status {
	enum assistance_pay_state state;
	int paid;	/* 1 for ACTIVE, PHASEOUT, HELD */
	int phaseout_k; /* 1..N in PHASEOUT, else 0 */
	int phaseout_n; /* N when a phase-out exists, else 0 */
	int exit_month; /* first unpaid month after phase-out and hold; 0 without a phase-out */
};

/* Paid or not for `month`, and why. 400 invalid_value "month", "start_month", "found_month",
 * "phaseout_months", "periods[i]". */
int assistance_pay_status(const struct assistance_case_months *c,
			  const struct assistance_period *periods, int n_periods, int month,
			  struct assistance_pay_status *out, struct err *e);

/* "not_started", "active", "phaseout", "held", "ended"; "unknown" otherwise. */
const char *assistance_pay_state_code(enum assistance_pay_state s);

/* ------------------------------------------------------------------------------------------ */
/* Reviews (复核)                                                                              */
/* ------------------------------------------------------------------------------------------ */

enum assistance_review_category {
	ASSISTANCE_REVIEW_STABLE = 1, /* stable income, nobody able to work: review_stable_months */
	ASSISTANCE_REVIEW_IRREGULAR = 2, /* irregular income or members able to work:
					  * review_irregular_months */
};

struct assistance_review_due {
	int scheduled_month; /* last review + interval */
	int due_month;	     /* after any epidemic postponement */
	int postponed;	     /* 1 when a period moved it */
};

/* Next review: last_review_month + interval of the category; a review due inside an epidemic
 * period moves to the month after the period ends (repeated across adjoining periods, as
 * assistance_exit_hold). 2020-01 stable (12) → 2021-01; 2019-09 irregular (6) → 2020-03, with
 * a period 2020-02..2020-05 → 2020-06. 400 invalid_value "last_review_month", "category",
 * "periods[i]"; 500 invalid_parameter review_*_months (0 is refused: a review cannot be due
 * the month of the last one). */
int assistance_review_next(const struct assistance_params *p, int last_review_month,
			   enum assistance_review_category category,
			   const struct assistance_period *periods, int n_periods,
			   struct assistance_review_due *out, struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* Public notice (公示)                                                                        */
/* ------------------------------------------------------------------------------------------ */

struct assistance_notice {
	char last_day[11];     /* "YYYY-MM-DD": start + notice_days − 1 */
	char approve_from[11]; /* "YYYY-MM-DD": start + notice_days, the first day approval may
				  happen */
};

/* The notice window: the posting day counts as day 1, so a 7-day notice posted 2020-03-02 runs
 * to 2020-03-08 and the county may approve from 2020-03-09. notice_days below 7 is refused (the
 * statutory minimum). 400 invalid_value "start_date"; 500 invalid_parameter notice_days. */
int assistance_notice_window(const struct assistance_params *p, const char *start_date,
			     struct assistance_notice *out, struct err *e);

#endif
