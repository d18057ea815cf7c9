/* assistance_internal.h — what the files of the assistance module share with each other and with
 * nobody else: the parameters and epidemic periods of a month, and one case's month computed in
 * detail (the same code the monthly entitlements run, so the case page, the approval and the
 * payroll can never disagree). Not for other modules: their face is assistance.h. */
#ifndef MZ_ASSISTANCE_INTERNAL_H
#define MZ_ASSISTANCE_INTERNAL_H

#include "assistance/assistance.h"

/* Which parameters to load (assistance_params_load): each group the keys one kind of
 * computation needs. A key missing for the unit, residence and month is an error (404
 * policy_missing from the policy module), never a silent 0. */
#define ASSISTANCE_PG_DIBAO 1u	  /* standard of the residence type, minimum, uplifts, age */
#define ASSISTANCE_PG_TEKUN 2u	  /* standard of the residence type, basic factor, care */
#define ASSISTANCE_PG_CHILD 4u	  /* orphan and unsupported-child allowances */
#define ASSISTANCE_PG_CASEWORK 8u /* phase-out length, review intervals, notice days */

/* Fill the fields of p that `groups` name with the values in force in month ("YYYY-MM") for the
 * unit and residence ("urban" / "rural"); other fields are left as they are. */
int assistance_params_load(struct db *db, const char *unit_code, const char *residence,
			   const char *month, unsigned groups, struct assistance_params *p,
			   struct err *e);

/* Every declared epidemic period, ordered by start. *out is malloc'd (NULL when *n is 0); the
 * caller frees it. */
int assistance_periods_load(struct db *db, struct assistance_period **out, int *n,
			    struct err *e);

/* Refusals of suitable job offers (assistance_job_refusals): a member's refusals count in
 * month M when dated in M − ASSISTANCE_REFUSAL_WINDOW_MONTHS … M − 1 and recorded before M; the
 * rules withhold the member's share of the gap while ASSISTANCE_REFUSALS_LIMIT or more count.
 * (A rule of this system, not a policy parameter yet: docs/assistance.md.) */
#define ASSISTANCE_REFUSAL_WINDOW_MONTHS 12

/* "YYYY-MM" → month int (assistance_month_make); "" or anything invalid → 0. */
int assistance_month_or_zero(const char *z);

/* One household member as one month's computation saw them. */
struct assistance_calc_member {
	int64_t person_id;
	char name[128];
	char relation[24];
	int age;	  /* on the month's first day; -1 when not born by then */
	int removed;	  /* 1 when removed from the registry before the month */
	int is_tekun;	  /* 1 when on the 特困 roll that month (not counted) */
	int considered;	  /* 1 when passed to the rules (index into dibao.member[]) */
	int rules_index;  /* its index in the rules' member arrays, -1 when not considered */
	int64_t income_month_fen;
	int disability_grade;
	int serious_illness;
	int job_refusals; /* refusals of suitable job offers counted this month (see below) */
};

/* One case's month, computed. */
struct assistance_case_calc {
	int owed; /* 1 when a payment is owed (ent is filled) */
	enum assistance_pay_state state;
	int phaseout_k, phaseout_n;
	int exit_month;	      /* first month not paid after phase-out / termination and hold; 0 */
	int exit_held;	      /* 1 when an epidemic period moved that exit */
	char why[40];	      /* when not owed: not_started suspended ended person_removed
			       * income_not_below_standard no_counted_members work_refused
			       * over_age parent_able zero_amount */
	int has_dibao;	      /* dibao computed by the rules this month */
	struct assistance_dibao_result dibao;
	int has_tekun;
	struct assistance_tekun_result tekun;
	int has_child;
	struct assistance_child_result child;
	int n_members;
	struct assistance_calc_member members[ASSISTANCE_MAX_MEMBERS];
	struct assistance_entitlement ent;
};

/* Case `case_id` in `month`, with no scope check (the caller has already found the case in the
 * actor's scope). assume_active: evaluate as if the case were paid normally that month whatever
 * its status (the amount an approval or a review would decide). 404 not_found when no such case. */
int assistance_case_calc(struct db *db, int64_t case_id, const char *month, int assume_active,
			 struct assistance_case_calc *out, struct err *e);

/* 1 when `step` may follow the case's status for its program (the table of assistance.h), and
 * the permission the step needs (assistance.write or assistance.approve). */
int assistance_step_allowed(const struct assistance_case *c, enum assistance_step step);
uint32_t assistance_step_perm(enum assistance_step step);

#endif
