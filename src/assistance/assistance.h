/* assistance.h — assistance cases (低保, 特困, orphans, de-facto-unsupported children): public face.
 * (Owned by the assistance module: assistance_rules.{h,c} the pure formulas, assistance_schema.c
 * the tables, assistance_store.c the lifecycle SQL, assistance_api.c the routes,
 * assistance_entitlements.c what is owed for a month.)
 *
 * A case is one program for one household (低保) or one person (the others). Its lifecycle and
 * records are the module's own business; what the rest of the system needs is:
 *   - the entitlements of a month (who is owed how much, in which unit, to which account), which
 *     the payroll pays exactly once — see assistance_entitlements() below;
 *   - the routes for the UI and integrations.
 */
#ifndef MZ_ASSISTANCE_H
#define MZ_ASSISTANCE_H

#include <stdint.h>

#include "assistance/assistance_rules.h"
#include "core/actor.h"
#include "core/err.h"
#include "core/scope.h"
#include "db/db.h"
#include "http/api.h"

extern const char assistance_schema_v1[];
extern const char assistance_schema_v2[]; /* job-offer refusals */
extern const struct api_route assistance_routes[];

/* Program names, as stored and in the API. */
#define ASSISTANCE_DIBAO "dibao"
#define ASSISTANCE_TEKUN "tekun"
#define ASSISTANCE_ORPHAN "orphan"
#define ASSISTANCE_UNSUPPORTED_CHILD "unsupported_child"

/* What one case is owed for one month. The payroll writes one payment per
 * (program, case_id, month) from these, so enumerating the same month twice must give the same
 * rows (it reads only committed data and the parameters in force that month). */
struct assistance_entitlement {
	int64_t case_id;
	char program[20];          /* one of the names above */
	int64_t beneficiary_id;    /* person paid: 低保 the household head (payee), else the person */
	int64_t household_id;
	char region_code[16];      /* the village */
	char unit_code[16];        /* management unit (county-level unit or functional zone) */
	int64_t amount_fen;        /* > 0 */
	int n_persons;             /* persons covered: 低保 the counted members, else 1 */
	int64_t person_ids[ASSISTANCE_MAX_MEMBERS];
	char pay_status[16];       /* "active", "phaseout", "held" (epidemic hold of an exit) */
	char payee_name[128];
	char bank_name[128];
	char bank_account[40];     /* unmasked: bank files need it; never send it to a browser */
};

/* Call fn for every case owed a payment in `month` ("YYYY-MM") whose village lies in `scope`
 * (the payroll of every unit passes the caller's scope; one unit's payroll uses
 * assistance_entitlements_unit below), ordered by
 * unit_code, region_code, case_id. Persons removed from the registry (death, moving out) are not
 * owed anything from the month after their removal. fn returns non-zero to stop early.
 * Parameters are those in force in `month` for the case's unit and residence type. */
int assistance_entitlements(struct db *db, const struct scope *scope, const char *month,
			    int (*fn)(const struct assistance_entitlement *ent, void *ctx),
			    void *ctx, struct err *e);
/* (Returns 0 — also when fn stopped it early — or -1 with e: 400 invalid_value "month"; the
 * policy module's 404 policy_missing when a parameter a case needs is not in force for its unit,
 * residence and month; 500 with the case id when a case cannot be computed. It runs inside the
 * caller's transaction when one is open, else in a read transaction of its own; fn may write in
 * the caller's transaction but must not begin or end one. Measured: docs/assistance.md.) */

/* The same for one management unit: every case whose unit_code is `unit_code` (a county-level
 * unit or a functional zone — the cases that unit's payroll pays), ordered by region_code,
 * case_id, wherever their villages lie. The figures are those a city-wide run gives the same
 * cases (the 特困 roll is the whole city's). It reads only the unit's ranges of the case
 * indexes, so a payroll of one unit costs that unit's cases, not its scope's: a county's scope
 * also holds the townships a zone manages. 400 invalid_value "unit_code" when it is not a code
 * (an unknown unit simply has no cases); otherwise as assistance_entitlements. */
int assistance_entitlements_unit(struct db *db, const char *unit_code, const char *month,
				 int (*fn)(const struct assistance_entitlement *ent, void *ctx),
				 void *ctx, struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* Lifecycle (assistance_store.c)                                                              */
/* ------------------------------------------------------------------------------------------ */

/* The steps of a case (docs/assistance.md has the diagram):
 *   低保  applied → investigated → appraised → notice → active | refused
 *   特困  applied → investigated → [appraised →] notice → active | refused
 *   儿童  applied → investigated → active | refused   (no village appraisal, no public notice:
 *         data on children is kept from notice boards, PIPL art. 28/31)
 *   active ⇄ suspended; active → phaseout (a review finding income above the standard, 低保);
 *   active, suspended, phaseout → terminated.
 * Township and village staff (assistance.write) record applications, investigations,
 * appraisals, notices, objections, reviews and 特困 reassessments; the county
 * (assistance.approve) approves, refuses, suspends, resumes and terminates. Decisions take
 * effect from the month after they are made; records may carry the day they happened (not in
 * the future, not before the previous step).
 *
 * Every function returns 0 or -1 with e: 400 required / invalid_value (with the field);
 * 403 forbidden (the permission); 404 not_found (no such case, or outside the actor's scope —
 * also for an actor without the permission, so existence is never revealed); 409 invalid_step
 * (not from this status), duplicate_case, program_conflict, person_removed, notice_running,
 * objection_open, not_eligible, review_too_early, period_overlap, period_locked,
 * not_able_to_work, duplicate_refusal; the policy module's 404 policy_missing. Every write is one
 * transaction with its audit row (assistance.apply, assistance.<step>, assistance.objection,
 * assistance.job_refusal, assistance.epidemic). */

#define ASSISTANCE_TEXT_CHARS 500 /* findings, opinions, reasons */
#define ASSISTANCE_TEXT_SZ (ASSISTANCE_TEXT_CHARS * 4 + 1)
#define ASSISTANCE_SHORT_CHARS 60 /* names, places, bank names */
#define ASSISTANCE_SHORT_SZ (ASSISTANCE_SHORT_CHARS * 4 + 1)
#define ASSISTANCE_ACCOUNT_SZ 40
#define ASSISTANCE_PAGE_MAX 200

struct assistance_apply_in {
	char program[20];
	int64_t household_id; /* 低保: the household */
	int64_t person_id;    /* the others: the person */
	char applied_on[11];  /* the written application's date, "" = today */
	int64_t assets_fen;   /* declared assets (savings, vehicles…) */
	char review_category[12]; /* 低保: stable | irregular ("" = stable) */
	int adl_mask;		  /* 特困: daily activities NOT possible (enum assistance_adl) */
	char support_form[16];	  /* 特困: centralised | scattered */
	char placement[16];	  /* 儿童: institutional | scattered */
	struct assistance_parent parents[2]; /* 儿童: the parents as the papers show */
	char payee_name[ASSISTANCE_SHORT_SZ]; /* "" = the head / the person */
	char bank_name[ASSISTANCE_SHORT_SZ];
	char bank_account[ASSISTANCE_ACCOUNT_SZ]; /* digits, 8–32 (spaces dropped) */
	char note[ASSISTANCE_TEXT_SZ];
};

enum assistance_step {
	ASSISTANCE_STEP_INVESTIGATE = 1,
	ASSISTANCE_STEP_APPRAISE,
	ASSISTANCE_STEP_NOTICE,
	ASSISTANCE_STEP_APPROVE,
	ASSISTANCE_STEP_REFUSE,
	ASSISTANCE_STEP_SUSPEND,
	ASSISTANCE_STEP_RESUME,
	ASSISTANCE_STEP_TERMINATE,
	ASSISTANCE_STEP_REVIEW,
	ASSISTANCE_STEP_REASSESS,
};

/* "investigate", … "reassess" (the route's last segment); NULL for an unknown step. */
const char *assistance_step_name(enum assistance_step s);
/* The step named z, 0 when none. */
enum assistance_step assistance_step_from_name(const char *z);

/* The fields a step uses (the others are ignored). */
struct assistance_step_in {
	char date[11];			/* investigate/appraise: the day; notice: the first day */
	char text[ASSISTANCE_TEXT_SZ];	/* findings / opinion / reason (refuse, suspend,
					 * terminate: required) */
	char result[16];		/* investigate: eligible | ineligible; appraise: agree |
					 * disagree (required) */
	char people[ASSISTANCE_SHORT_SZ]; /* investigators, appraisal panel */
	int attendees, votes_for;	  /* appraise */
	int64_t assets_fen;		  /* investigate: assets found (-1 = unchanged) */
	char place[ASSISTANCE_SHORT_SZ];  /* notice: where it is posted */
	char cause[16];			  /* terminate: income death moved_away request other */
	char category[12];		  /* review: stable | irregular ("" = unchanged) */
	int adl_mask;			  /* reassess (-1 = unchanged) */
	char support_form[16];		  /* reassess ("" = unchanged) */
};

/* A case as stored, with the names the lists show. */
struct assistance_case {
	int64_t id;
	char program[20];
	int64_t household_id, person_id;
	char region_code[16], unit_code[16], residence_type[8], status[16];
	char applied_at[11], start_month[8], end_month[8];
	int exit_holdable;
	char exit_cause[16];
	char suspended_from[8], suspended_until[8];
	int64_t monthly_amount_fen;
	char review_category[12], last_review_month[8], next_review_month[8];
	char phaseout_from[8];
	int phaseout_months;
	int adl_mask;
	char support_form[16], child_category[24], child_placement[16], parent_condition[2][24];
	int64_t assets_fen;
	char payee_name[ASSISTANCE_SHORT_SZ], bank_name[ASSISTANCE_SHORT_SZ];
	char bank_account[ASSISTANCE_ACCOUNT_SZ];
	char reason[ASSISTANCE_TEXT_SZ];
	char notice_start[11], notice_end[11], last_step_on[11];
	char created_at[32], updated_at[32];
	/* joined */
	char name[128];	     /* the head (低保) or the person */
	char id_number[19];  /* theirs, unmasked: mask before showing */
	char region_name[128];
	char unit_name[128];
};

struct assistance_step_row {
	int64_t id;
	char step[16];
	char at[32];
	char by[64];
	char *record; /* JSON object text, malloc'd */
	char notice_start[11], notice_end[11];
};

struct assistance_objection {
	int64_t id;
	char at[32], by[64];
	char content[ASSISTANCE_TEXT_SZ];
	char resolution[ASSISTANCE_TEXT_SZ];
	char resolved_at[32], resolved_by[64];
};

/* A refusal of a suitable job offer by a member of a 低保 household (assistance_job_refusal_add). */
struct assistance_job_refusal {
	int64_t id;
	int64_t person_id;
	char name[128];			/* the member */
	char date[11];			/* the day the offer was refused */
	char offer[ASSISTANCE_TEXT_SZ]; /* what was offered */
	char at[32], by[64];		/* recorded when, by whom */
	char counts_from[8];		/* first month it counts: after it happened and was recorded */
	char counts_until[8];		/* last month it counts: 12 months after the month it happened */
};

struct assistance_case_detail {
	struct assistance_case c;
	int n_steps;
	struct assistance_step_row *steps; /* oldest first */
	int n_objections;
	struct assistance_objection *objections;
	int n_refusals;
	struct assistance_job_refusal *refusals; /* by date */
};

/* Apply; *out_id receives the case. Checks the household / person in scope (404), active
 * members, one open case per program and household (低保) or person (409 duplicate_case), no
 * 特困 and child allowance for the same person at once (409 program_conflict), a child's
 * eligibility by the rules for this month (409 not_eligible with the reason). */
int assistance_case_apply(struct db *db, const struct actor *a, const struct assistance_apply_in *in,
			  int64_t *out_id, struct err *e);

/* A recipient already on the roll before the system (an import of the old roll): the
 * application is recorded as assistance_case_apply records it (same checks, its audit row
 * assistance.apply), then the case is active from start_month ("YYYY-MM", not after this month)
 * with monthly_amount_fen (> 0) as on the old roll — no investigation, appraisal or notice
 * steps, which happened on paper: one step "record_existing" with the month and the amount,
 * audited assistance.record_existing. A 低保 case's next review is scheduled from this month.
 * Needs assistance.write and assistance.approve (403). Inside the caller's write transaction it
 * writes into it (the caller commits or rolls back). */
int assistance_case_record_existing(struct db *db, const struct actor *a,
				    const struct assistance_apply_in *in, const char *start_month,
				    int64_t monthly_amount_fen, int64_t *out_id, struct err *e);

/* One step on case id (see the top of this section). Approval computes monthly_amount_fen for
 * the first month (the next one) and refuses 409 not_eligible when the rules give nothing,
 * 409 notice_running before the notice has run notice_days (policy, ≥ 7) and 409
 * objection_open while an objection is unresolved. A 低保 review in the current month
 * recomputes the amount, or — when income has reached the standard — starts the phase-out of
 * dibao_phaseout_months (in force that month); the exit is held by epidemic periods. */
int assistance_case_step(struct db *db, const struct actor *a, int64_t id, enum assistance_step step,
			 const struct assistance_step_in *in, struct err *e);

/* Record an objection to a case under public notice (409 invalid_step otherwise); *out_id the
 * objection. resolution may be "" (resolved later). */
int assistance_objection_add(struct db *db, const struct actor *a, int64_t case_id,
			     const char *content, const char *resolution, int64_t *out_id,
			     struct err *e);
/* Record how an objection was settled (404 when it is not this case's, 409 when settled). */
int assistance_objection_resolve(struct db *db, const struct actor *a, int64_t case_id,
				 int64_t objection_id, const char *resolution, struct err *e);

/* Refusals of suitable job offers (DOMAIN.md: "a member able to work who refuses 3 suitable job
 * offers has their share reduced"). */
struct assistance_job_refusal_in {
	int64_t person_id;		/* a counted member of the case's household */
	char date[11];			/* the day it was refused, "" = today */
	char offer[ASSISTANCE_TEXT_SZ]; /* the job offered (required) */
};

/* Record on an active 低保 case that a member refused a suitable job offer (assistance.write);
 * *out_id the refusal. The member must be one this month's computation counts in the household
 * (400 invalid_value "person_id" otherwise — also for an unknown person), able to work (409
 * not_able_to_work: labour capacity "none" in the registry, or under 16); the date a real day,
 * not in the future nor before the application; the same refusal (member, day, offer) is
 * recorded once (409 duplicate_refusal). 409 invalid_step for another program or status. A
 * refusal counts in the months after it happened and was recorded, for 12 months; from the
 * month in which a member has 3 counting, their share of the gap is withheld (the rules). One
 * transaction with the audit row assistance.job_refusal. */
int assistance_job_refusal_add(struct db *db, const struct actor *a, int64_t case_id,
			       const struct assistance_job_refusal_in *in, int64_t *out_id,
			       struct err *e);

/* A case in scope with its steps, objections and job-offer refusals. Release with
 * assistance_case_detail_release. */
int assistance_case_get(struct db *db, const struct actor *a, int64_t id,
			struct assistance_case_detail *out, struct err *e);
void assistance_case_detail_release(struct assistance_case_detail *d);

struct assistance_case_query {
	char program[20]; /* "" = any */
	char status[16];  /* "" = any */
	char stage[12];	  /* "" | pending (applied…notice) | on_roll (active, suspended,
			   * phaseout) | closed (terminated, refused) */
	char region[16];  /* "" or a code prefix narrowing the scope (must overlap it) */
	int limit;	  /* 1..ASSISTANCE_PAGE_MAX, 0 = 20 */
	int64_t offset;
};

struct assistance_case_page {
	int n;
	struct assistance_case *items; /* malloc'd: assistance_case_page_release */
	int64_t total;
};

/* Cases in scope, newest first. */
int assistance_case_list(struct db *db, const struct actor *a, const struct assistance_case_query *q,
			 struct assistance_case_page *out, struct err *e);
void assistance_case_page_release(struct assistance_case_page *p);

/* Cases of `region` (a code prefix in scope; "" = the whole scope) under public notice on `date`
 * ("" = today): status notice and notice_start <= date <= notice_end; ordered by village, id. */
int assistance_notices(struct db *db, const struct actor *a, const char *region, const char *date,
		       struct assistance_case_page *out, struct err *e);

/* One row of the due-review list. */
struct assistance_review_item {
	struct assistance_case c;
	char scheduled_month[8]; /* last review + interval */
	char due_month[8];	 /* after any epidemic postponement */
	int postponed;
	int overdue; /* due before `month` */
};

struct assistance_review_list {
	int n;
	struct assistance_review_item *items; /* malloc'd: free() */
	int postponed; /* reviews scheduled by `month` that an epidemic period moved later */
};

/* Active 低保 cases in scope (narrowed to region) whose review is due by `month` ("" = this
 * month), postponed by the epidemic periods; ordered by due month, village, id. */
int assistance_reviews_due(struct db *db, const struct actor *a, const char *region,
			   const char *month, struct assistance_review_list *out, struct err *e);

struct assistance_held_item {
	struct assistance_case c;
	char exit_month[8];	 /* the exit the decision or the phase-out set */
	char held_exit_month[8]; /* the first month not paid, after the hold */
	char state[12];		 /* in `month`: active, phaseout, held */
};

struct assistance_held_list {
	int n;
	struct assistance_held_item *items; /* malloc'd: free() */
};

/* Exits in scope that an epidemic period holds and that have not happened by `month` ("" = this
 * month): phase-outs and terminations (not deaths or moves away) whose exit moved. */
int assistance_held_exits(struct db *db, const struct actor *a, const char *region,
			  const char *month, struct assistance_held_list *out, struct err *e);

struct assistance_epidemic_period {
	int64_t id;
	char start_month[8], end_month[8];
	char note[ASSISTANCE_TEXT_SZ];
	char declared_by[64], declared_at[32];
};

/* Declare a period (city level: city_admin or the system; 403 forbidden otherwise). Months
 * "YYYY-MM", start ≤ end, at most 120 months, not starting before this month (409
 * period_locked: past months may already be paid), not overlapping another (409
 * period_overlap). *out_id the period. */
int assistance_epidemic_declare(struct db *db, const struct actor *a, const char *start_month,
				const char *end_month, const char *note, int64_t *out_id,
				struct err *e);
/* Every period, newest first; *out malloc'd (free()). */
int assistance_epidemic_list(struct db *db, struct assistance_epidemic_period **out, int *n,
			     struct err *e);

#endif
