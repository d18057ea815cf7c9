/* relief_rules.h — the pure rules of temporary assistance (临时救助): kinds, causes, forms, the
 * amount limits and approval level, and which step may follow which. No database, no clock:
 * everything the rules need is passed in, so tests/unit/test_relief_rules.c checks them with
 * hand-computed figures. (Part of the relief module; see relief.h.)
 *
 * The figures (DOMAIN.md 临时救助; every one a policy parameter in force for the person's unit in
 * the month of application):
 *   standard   the 低保 monthly standard of the person's residence type (urban: the monthly
 *              standard; rural: the yearly standard ÷ 12, cut to the fen)
 *   maximum    standard × temp_relief_max_multiple_bp / 10000, cut to the fen — the normal
 *              maximum of one grant; above it only with a case decision (一事一议)
 *   minimum    emergency type only: standard × temp_relief_emergency_min_multiple_bp / 10000,
 *              raised to the fen — an emergency grant is at least this
 *   township   temp_relief_township_limit_fen — the township approves up to it, the county above
 * A repeat (another grant for the same person and cause in the same calendar year) is always the
 * county's, and is never paid first: the county approves another, with a reason, first.
 * A pay-first grant may not exceed the maximum (a case decision comes first).
 */
#ifndef MZ_RELIEF_RULES_H
#define MZ_RELIEF_RULES_H

#include <stdint.h>

#include "core/err.h"

#define RELIEF_MAX_FEN 100000000LL /* 1,000,000 yuan: a sanity limit on one grant */

struct relief_cause {
	const char *code;
	const char *kind; /* emergency | expense */
	const char *label;
};

/* The causes, in display order; *n their number. */
const struct relief_cause *relief_causes(int *n);
const struct relief_cause *relief_cause_find(const char *code);

/* Chinese labels; "" for an unknown value. */
const char *relief_kind_label(const char *kind);
const char *relief_form_label(const char *form);
const char *relief_applied_by_label(const char *applied_by);

/* The parameters the rules need, in force for the person's unit, residence and month. */
struct relief_params {
	int64_t standard_month_fen;	   /* 低保 monthly standard (rural: yearly ÷ 12) */
	int64_t township_limit_fen;	   /* temp_relief_township_limit_fen */
	int64_t max_multiple_bp;	   /* temp_relief_max_multiple_bp */
	int64_t emergency_min_multiple_bp; /* temp_relief_emergency_min_multiple_bp */
};

/* The rural monthly standard: the yearly standard ÷ 12, cut to the fen. */
int64_t relief_rural_month_fen(int64_t year_fen);
int64_t relief_max_fen(const struct relief_params *p);
int64_t relief_emergency_min_fen(const struct relief_params *p);

struct relief_assess_in {
	const char *kind; /* emergency | expense */
	const char *cause;
	const char *form;	/* cash | goods */
	const char *goods_note; /* required for goods */
	int64_t amount_fen;
	int pay_first;
	int prior_same_cause; /* grants this person already has for this cause this year */
};

struct relief_assessment {
	char level[12];	    /* township | county */
	int needs_decision; /* above the maximum */
	int repeat;	    /* prior_same_cause > 0 */
	int64_t max_fen, min_fen;
};

/* Check an application and decide its level. Errors: 400 required / invalid_value (kind,
 * cause — also a cause of the other kind —, form, goods_note, amount_fen), 400 below_minimum
 * (amount_fen: an emergency grant under the minimum), 409 decision_required (pay_first above
 * the maximum), 409 once_per_year (pay_first for a repeat). */
int relief_assess(const struct relief_params *p, const struct relief_assess_in *in,
		  struct relief_assessment *out, struct err *e);

/* The state of a grant, as the step rules see it. */
struct relief_state {
	int pay_first;
	const char *level;    /* township | county */
	const char *decision; /* pending approved refused */
	const char *payment;  /* none drawn paid returned */
	const char *form;
	int papers_done;
	int needs_decision, has_decision, repeat;
};

/* What the acting user may do: record (assistance.write: apply, papers), approve as the county
 * (assistance.approve), act for a township (assistance.write at township level or above:
 * approve within the limit, pay, pay first, hand over, take back). */
struct relief_who {
	int write;    /* assistance.write */
	int county;   /* assistance.approve */
	int township; /* assistance.write at township level or above (or the county) */
};

enum relief_step {
	RELIEF_STEP_PAPERS = 1,
	RELIEF_STEP_DECISION,
	RELIEF_STEP_APPROVE,
	RELIEF_STEP_REFUSE,
	RELIEF_STEP_PAY,
	RELIEF_STEP_DELIVER,
	RELIEF_STEP_RETURN,
};

/* "papers", "decision", "approve", "refuse", "pay", "deliver", "return"; NULL when unknown. */
const char *relief_step_name(enum relief_step s);

/* Where a grant stands, in Chinese for lists: 待审批, 先行救助·待补材料, 已发放 … */
const char *relief_state_label(const struct relief_state *s);

/* May `who` take `step` now? note is the step's text (the reason where one is required).
 * Errors: 403 forbidden (the level or role), 409 invalid_step (not from this state),
 * papers_missing (approving a pay-first grant before its papers), decision_required (approving
 * above the maximum without a case decision), 400 required (field note: a refusal's or a
 * return's reason, the reason for approving a repeat). */
int relief_step_check(const struct relief_state *s, enum relief_step step,
		      const struct relief_who *who, const char *note, struct err *e);

#endif
