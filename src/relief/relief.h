/* relief.h — 临时救助与镇街备用金 (temporary assistance and township reserve funds): the module's
 * whole public face. (Owned by the relief module: relief_rules.{h,c} the pure rules,
 * relief_schema.c the tables, relief_store.c grants and their steps, relief_reserve.c the reserve
 * ledger, replenishment needs, reconciliation and the report totals, relief_api.c the routes.
 * docs/relief.md explains it for people.)
 *
 * A grant is one temporary-assistance payment to one person: emergency (急难型) or expense
 * (支出型) type, a cause, cash or goods (items and value), who applied and on whose behalf. Its
 * approval level follows from the parameters in force in the month of application for the
 * person's management unit (relief_rules.h): the township up to its delegated limit, the county
 * above it, and above the normal maximum only with a case decision (一事一议: date, participants,
 * decision) attached. One grant per person per cause per calendar year unless the county approves
 * another with a reason.
 *
 * Two paths:
 *   normal     apply → approve | refuse (by the level) → pay          decision deadline
 *   pay-first  apply = paid at once from the township's reserve fund    paperwork deadline
 *              (goods: drawn at once, handed over within the pay-first window)
 *              → papers → approve | refuse (by the level) [→ return]
 * Deadlines are working days (calendar module: weekends and official holidays do not count).
 *
 * The reserve fund of a township: allocations and replenishments from the county, disbursements
 * to pay-first grants, returns of money from grants. Its balance can never go negative: a
 * disbursement is one conditional UPDATE (balance >= amount) in the grant's write transaction,
 * and the table refuses a negative balance (CHECK) besides; a pay-first grant the reserve cannot
 * cover is refused (409 reserve_insufficient) and recorded as a replenishment need the county
 * sees.
 *
 * Errors (struct err): 400 required / invalid_value (with the field), below_minimum; 403
 * forbidden; 404 not_found (no such record, or outside the actor's scope — also for an actor
 * without the step's permission, so existence is never revealed); 409 invalid_step,
 * person_removed, once_per_year, decision_required, papers_missing, reserve_insufficient;
 * the policy module's 404 policy_missing; the calendar's errors. Every write is one transaction
 * with its audit row (relief.apply, relief.<step>, relief.reserve_move, relief.reserve_refused).
 */
#ifndef MZ_RELIEF_H
#define MZ_RELIEF_H

#include "core/actor.h"
#include "core/err.h"
#include "core/scope.h"
#include "http/api.h"
#include "relief/relief_rules.h"
#include <stdint.h>

struct db;

extern const char relief_schema_v1[];
extern const char relief_schema_v2[];

/* The module's routes (relief_api.c), ending with {0}. */
extern const struct api_route relief_routes[];

/* ---- Applying ------------------------------------------------------------------------------ */

struct relief_apply_in {
	int64_t person_id;	/* registry person (required) */
	const char *kind;	/* "emergency" | "expense" */
	const char *cause;	/* a cause code from relief_causes, e.g. "epidemic_isolation" */
	int64_t amount_fen;	/* requested/granted amount */
	const char *form;	/* "cash" | "goods" */
	const char *goods_note; /* items and value when goods, else "" */
	const char *applied_by; /* "self" | "village_worker" | "hotline" | "ledger_visit" */
	const char *source_ref; /* e.g. "ledger_visit:123", "hotline_case:9", or "" */
	int pay_first;		/* 1: 先行救助 — pay now from the township reserve */
	const char *reason;	/* free text */
	const char *request_key; /* optional: the client's key for this application (1–64 of
				  * A–Z a–z 0–9 - _ . :), so sending it again is answered with the
				  * first attempt's outcome, never applied twice */
};

/* Open a temporary-assistance grant for a person in the actor's scope (assistance.write), dated
 * today. A pay-first grant (township assistant or above) is paid at once from the township's
 * reserve: when the reserve cannot cover it the grant is refused (409 reserve_insufficient) and
 * the refusal is recorded as a replenishment need the county sees. Works inside the caller's
 * open write transaction when db_in_transaction(db) (then it neither begins nor commits, and a
 * refusal's need row is written in the caller's transaction), and opens its own otherwise. On
 * success *grant_id is the new grant. */
int relief_apply(struct db *db, const struct actor *a, const struct relief_apply_in *in,
		 int64_t *grant_id, struct err *e);

/* The same, dated `on` ("YYYY-MM-DD", not in the future; NULL or "" = today): a paper
 * application recorded late, or the demo's history. Deadlines count from `on`.
 * Both return 0 for a new grant and 1 when in->request_key names an application this user has
 * already made for the same person (then *grant_id is that grant and nothing is written); an
 * application refused for want of reserve funds is refused again the same way, without a second
 * replenishment need. */
int relief_apply_on(struct db *db, const struct actor *a, const struct relief_apply_in *in,
		    const char *on, int64_t *grant_id, struct err *e);

/* ---- Reading ------------------------------------------------------------------------------- */

#define RELIEF_TEXT_CHARS 500
#define RELIEF_TEXT_SZ (RELIEF_TEXT_CHARS * 4 + 1)
#define RELIEF_NOTE_CHARS 200
#define RELIEF_NOTE_SZ (RELIEF_NOTE_CHARS * 4 + 1)
#define RELIEF_REF_SZ 65
#define RELIEF_PAGE_MAX 200

struct relief_grant {
	int64_t id;
	int64_t person_id, household_id;
	char name[128];
	char id_number[19];   /* masked (first 6, last 4) */
	char region_code[16]; /* the person's village at application */
	char region_name[128];
	char township_code[16];
	char township_name[128];
	char unit_code[16];
	char residence_type[8];
	char kind[12];
	char cause[32];
	int year;
	int64_t amount_fen;
	char form[8];
	char goods_note[RELIEF_NOTE_SZ];
	char applied_by[16];
	char source_ref[RELIEF_REF_SZ];
	char reason[RELIEF_TEXT_SZ];
	int pay_first;
	char level[12];	    /* township | county: who approves */
	int needs_decision; /* above the normal maximum: a case decision is required */
	int has_decision;
	int64_t repeat_of; /* an earlier grant for the same cause this year, else 0 */
	int64_t standard_fen, max_fen, min_fen, township_limit_fen; /* as assessed */
	char decision[12];					    /* pending approved refused */
	char payment[12];					    /* none drawn paid returned */
	char applied_on[11];
	char applied_at[32];
	char applied_user[64];
	char decision_due[11]; /* applied_on + decision working days */
	char papers_due[11];   /* pay-first: applied_on + paperwork working days */
	char papers_on[11];
	char deliver_by[11]; /* pay-first goods: handed over by this day */
	char decided_on[11];
	char decided_by[64];
	char decision_note[RELIEF_TEXT_SZ];
	char paid_on[11];
	char paid_by[64];
	char returned_on[11];
	char updated_at[32];
};

/* The grant as the step rules see it (pointers into g), and its label (relief_state_label). */
void relief_grant_state(const struct relief_grant *g, struct relief_state *out);
const char *relief_grant_label(const struct relief_grant *g);

struct relief_case_decision { /* 一事一议 */
	char decided_on[11];
	char participants[RELIEF_NOTE_SZ];
	char decision[RELIEF_TEXT_SZ];
	char recorded_by[64];
	char recorded_at[32];
};

struct relief_step_row {
	char step[16]; /* apply pay papers decision approve refuse deliver return */
	char on[11];
	char at[32];
	char by_user[64];
	char note[RELIEF_TEXT_SZ];
};

/* One grant in scope (404 otherwise; needs assistance.read). decision may be NULL; steps are
 * passed to fn in order (fn may be NULL). */
int relief_grant_get(struct db *db, const struct actor *a, int64_t id, struct relief_grant *out,
		     struct relief_case_decision *decision,
		     int (*fn)(const struct relief_step_row *s, void *ctx), void *ctx,
		     struct err *e);

struct relief_filter {
	const char *region;	  /* a code prefix inside the scope ("" = whole scope) */
	const char *decision;	  /* "" or pending approved refused */
	const char *payment;	  /* "" or none drawn paid returned */
	int pay_first;		  /* -1 any, 0, 1 */
	int64_t person_id;	  /* 0 = any */
	const char *applied_user; /* "" = anyone ("mine") */
	const char *from, *to;	  /* applied_on range, "" = open */
	int limit, offset;
};

/* Grants in scope, newest first, limit/offset paging; *total counts every match. */
int relief_grant_list(struct db *db, const struct actor *a, const struct relief_filter *f,
		      int (*fn)(const struct relief_grant *g, void *ctx), void *ctx, int64_t *total,
		      struct err *e);

/* Overdue lists, as of a day ("" = today): papers (pay-first grants whose papers are not in by
 * papers_due), decisions (grants still pending after decision_due), deliveries (pay-first goods
 * drawn but not handed over by deliver_by). kind "" = all three. days_late: working days for
 * papers and decisions, calendar days for deliveries. */
struct relief_overdue {
	char kind[12];
	char due[11];
	int days_late;
	struct relief_grant g;
};
int relief_overdue_list(struct db *db, const struct actor *a, const char *kind, const char *as_of,
			int (*fn)(const struct relief_overdue *o, void *ctx), void *ctx,
			struct err *e);

/* ---- Steps --------------------------------------------------------------------------------- */

struct relief_step_in {
	const char *on;	  /* the day it happened, "" = today (not in the future) */
	const char *note; /* approve: opinion; refuse / return: the reason (required);
			   * approve of a repeat grant: the reason for another (required) */
	/* decision (一事一议) only: */
	const char *participants;
	const char *decision;
};

/* Each step runs in its own write transaction, or in the caller's when db_in_transaction(db).
 * Papers of a pay-first grant completed (assistance.write). */
int relief_papers(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
		  struct err *e);
/* Attach the case decision (county: assistance.approve) to a grant above the normal maximum. */
int relief_decide_case(struct db *db, const struct actor *a, int64_t id,
		       const struct relief_step_in *in, struct err *e);
/* Approve / refuse by the grant's level: township (assistance.write at township level or above)
 * or county (assistance.approve). */
int relief_approve(struct db *db, const struct actor *a, int64_t id,
		   const struct relief_step_in *in, struct err *e);
int relief_refuse(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
		  struct err *e);
/* Hand over an approved normal grant (cash or goods). */
int relief_pay(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
	       struct err *e);
/* Hand over the goods of a pay-first grant drawn from the reserve. */
int relief_deliver(struct db *db, const struct actor *a, int64_t id,
		   const struct relief_step_in *in, struct err *e);
/* Money (or goods) came back: a pay-first grant's amount returns to the reserve. */
int relief_return(struct db *db, const struct actor *a, int64_t id, const struct relief_step_in *in,
		  struct err *e);

/* The limits in force for a person in scope on a day ("" = today): the 低保 monthly standard of
 * their residence type, the normal maximum, the emergency minimum, the township limit, and the
 * grants this year per cause (for the once-per-year rule). */
struct relief_limits {
	char unit_code[16];
	char township_code[16];
	char residence_type[8];
	char month[8];
	struct relief_params p;
	int64_t max_fen, emergency_min_fen;
	int64_t reserve_balance_fen; /* the township's reserve */
	int nprior;
	struct {
		char cause[32];
		int64_t grant_id;
	} prior[16]; /* grants counted this year (not refused, not returned) */
};
int relief_person_limits(struct db *db, const struct actor *a, int64_t person_id, const char *on,
			 struct relief_limits *out, struct err *e);

/* ---- Reserve funds (relief_reserve.c) ------------------------------------------------------ */

struct relief_reserve {
	char township_code[16];
	char township_name[128];
	char unit_code[16];
	int64_t balance_fen;
	int64_t allocated_fen, replenished_fen, disbursed_fen, returned_fen;
	int64_t open_needs, open_need_fen; /* replenishment needs not yet met, their shortfall */
	char updated_at[32];
};

struct relief_move {
	int64_t id;
	char township_code[16];
	char kind[16];	    /* allocation replenishment disbursement return */
	int64_t amount_fen; /* > 0; disbursements take it off the balance */
	int64_t balance_after_fen;
	int64_t grant_id; /* 0 for allocations and replenishments */
	char on[11];
	char at[32];
	char by_user[64];
	char note[RELIEF_NOTE_SZ];
};

/* Every township in scope with its reserve (zero when none was ever allocated), in code order. */
int relief_reserve_list(struct db *db, const struct actor *a,
			int (*fn)(const struct relief_reserve *r, void *ctx), void *ctx,
			struct err *e);
/* One township's reserve and its movements, newest first (fn may be NULL; at most limit). */
int relief_reserve_get(struct db *db, const struct actor *a, const char *township,
		       struct relief_reserve *out,
		       int (*fn)(const struct relief_move *m, void *ctx), void *ctx, int limit,
		       struct err *e);
/* The county allocates or replenishes a township's reserve (assistance.approve; kind
 * "allocation" | "replenishment"; amount > 0; on "" = today). Open replenishment needs of the
 * township are marked met by it. *move_id may be NULL. Inside the caller's write transaction when
 * one is open. */
int relief_reserve_add(struct db *db, const struct actor *a, const char *township, const char *kind,
		       int64_t amount_fen, const char *on, const char *note, int64_t *move_id,
		       struct err *e);

struct relief_need {
	int64_t id;
	char township_code[16];
	char township_name[128];
	char region_code[16]; /* the township's code (scoped like the reserve) */
	int64_t person_id;
	char name[128];
	char cause[32];
	int64_t amount_fen;  /* the pay-first grant refused */
	int64_t balance_fen; /* the reserve's balance then */
	int64_t shortfall_fen;
	char on[11];
	char at[32];
	char by_user[64];
	char status[8]; /* open met */
	int64_t met_move_id;
};
/* Replenishment needs in scope, newest first; status "" = all, "open", "met". */
int relief_need_list(struct db *db, const struct actor *a, const char *status,
		     int (*fn)(const struct relief_need *n, void *ctx), void *ctx, struct err *e);

/* Reconcile every reserve in scope (township "" = all) with the grants: the balance equals
 * allocations + replenishments − disbursements + returns; the disbursements equal the pay-first
 * grants drawn (each exactly once, for its amount); the returns equal the pay-first grants
 * returned; the movements' running balances chain. fn gets each township (may be NULL);
 * *mismatches counts the townships that do not reconcile. */
struct relief_reconcile_row {
	char township_code[16];
	int64_t balance_fen, moves_fen;	  /* stored balance, Σ movements */
	int64_t disbursed_fen, drawn_fen; /* Σ disbursements, Σ pay-first grants drawn */
	int64_t returned_fen, grant_returned_fen;
	int64_t grants_without_draw; /* pay-first grants with no (or a wrong) draw */
	int chain_ok;
	int ok;
};
int relief_reconcile(struct db *db, const struct actor *a, const char *township,
		     int (*fn)(const struct relief_reconcile_row *r, void *ctx), void *ctx,
		     int *mismatches, struct err *e);

/* ---- Reporting (the assistance report's contract) ----------------------------------------- */

struct relief_totals {
	int64_t person_times;
	int64_t amount_fen;
};

/* Grants paid (money actually handed over, cash or goods value) with their payment date in
 * months from..to ("YYYY-MM", inclusive), within scope; per management unit in code order via
 * per_unit (may be NULL; called only for units with grants paid), city total in *city. A
 * per_unit callback returning non-zero stops the walk and that value is returned. Not a
 * permission check: the caller has one. 400 invalid_value for a bad month range. */
int relief_report_totals(struct db *db, const struct scope *scope, const char *from_month,
			 const char *to_month,
			 int (*per_unit)(const char *unit_code, const struct relief_totals *t,
					 void *ctx),
			 void *ctx, struct relief_totals *city, struct err *e);

#endif
