/* price.h — 价格临时补贴 (price-linked subsidies): the module's whole public face.
 * (Owned by the price module: price_rules.c the pure rules — trigger, rise, amount formula,
 * rounding, minimum, multiplier —, price_schema.c the tables (migration 12, which also widens
 * the payroll's payments table to the new program), price_store.c the indices, generation, the
 * subsidies the payroll pays and the lists, price_api.c the routes and the "price.generate" job.
 * docs/price-subsidy.md explains it for people.)
 *
 * How it works:
 *   1. The city enters each month's national price indices — CPI and food CPI, year on year,
 *      in basis points (5.4 % = 540) — with the day they were published. Every entry is a new
 *      row (history kept, audited); the latest row of a month is in force. A month whose
 *      subsidies have been generated cannot be changed any more (409 month_generated).
 *   2. Whether a month triggers, which rise the amount is based on, the multiplier, rounding,
 *      minimum, due period and eligible groups are policy parameters (keys price_*, see
 *      policy_keys.c) in force that month for each management unit (units may override the
 *      city). price_rules.c decides; nothing here is a constant.
 *   3. Generating a month (price_generate) makes one subsidy per eligible person: the persons
 *      the assistance module says are owed a 低保 / 特困 / orphan / unsupported-child payment
 *      that month (assistance_entitlements), plus the active persons carrying an eligible group
 *      tag in the registry (entitled_veteran, unemployment_insurance, unemployment_assistance,
 *      orphan, unsupported_child). A person in several groups gets ONE subsidy (unique
 *      (month, person_id)); unit and residence type come from their case, else from their
 *      village and household. Amount = 低保 standard (urban monthly, or rural yearly ÷ 12; a
 *      unit may put rural residents on the urban standard) × the rise × the multiplier, rounded
 *      half up to the rounding unit, at least the minimum. Due date = publication date + the
 *      due period in working days (calendar module). Generating again adds only persons not
 *      yet generated and changes nothing already there (idempotent).
 *   4. The payroll pays them: every run of a unit for month R pays that unit's subsidies of
 *      months <= R that no normal payment covers yet (price_payables_unit), as program
 *      "price_subsidy" with case_id = −(the subsidy's id) — negative, so that no query joining
 *      payments to assistance cases by case_id can ever take a subsidy for a case —, under the
 *      payroll's unique index on (month, program, case_id): a subsidy is paid exactly once,
 *      whichever run or unit.
 *      Subsidies without a bank account (persons outside the assistance rolls with no account
 *      recorded, price_account_set) wait until one is recorded.
 *   5. A subsidy's state is that of its latest payment: none → unpaid, pending (draft), paid,
 *      failed (returned by the bank, re-issued by the next run). Late = not paid and the due
 *      date has passed.
 *
 * Access: entering indices needs policy.write and a scope covering the whole city (403
 * forbidden); generating needs the payroll permission and covers the units the actor may pay
 * (payroll_units); reading indices needs policy.read; subsidies are read through scope_sql()
 * on their village (assistance.read), ID numbers only masked. Accounts need assistance.write
 * and the person in scope (404 otherwise).
 *
 * Errors (struct err): 400 required / invalid_value (with the field), 403 forbidden,
 * 404 not_found / index_missing, 409 month_generated / not_triggered, and the policy module's
 * 404 policy_missing.
 */
#ifndef MZ_PRICE_H
#define MZ_PRICE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char price_schema_v1[];

/* The module's routes (price_api.c), ending with {0}: GET/POST /api/v1/price/indices,
 * POST /api/v1/price/generate, GET /api/v1/price/subsidies, POST /api/v1/price/accounts. */
extern const struct api_route price_routes[];

#define PRICE_PROGRAM "price_subsidy" /* the payroll program name */

/* ---- the rules (price_rules.c: pure, no database) ---------------------------------------- */

/* Eligible groups, as bits. */
enum price_group {
	PRICE_G_DIBAO = 1u << 0,
	PRICE_G_TEKUN = 1u << 1,
	PRICE_G_ORPHAN = 1u << 2,
	PRICE_G_UNSUPPORTED_CHILD = 1u << 3,
	PRICE_G_ENTITLED_VETERAN = 1u << 4,
	PRICE_G_UNEMPLOYMENT_INSURANCE = 1u << 5,
	PRICE_G_UNEMPLOYMENT_ASSISTANCE = 1u << 6,
};
#define PRICE_NGROUPS 7

/* Group i (0..PRICE_NGROUPS-1): its name (also its registry tag or assistance program), its
 * Chinese label and its policy key ("price_eligible_<name>"). NULL past the end. */
const char *price_group_name(int i);
const char *price_group_label(int i);
const char *price_group_key(int i);
/* "dibao,orphan" for a bit set, into out (size n). */
void price_groups_text(unsigned groups, char *out, size_t n);

/* Which rise the amount is based on (policy key price_rise_basis). */
enum price_basis {
	PRICE_BASIS_LARGER = 0, /* the larger of the rises that reached their trigger (national) */
	PRICE_BASIS_CPI = 1,    /* always the general CPI rise */
	PRICE_BASIS_FOOD = 2,   /* always the food CPI rise */
};

/* The parameters in force for one unit and month (price_store.c loads them from the policy
 * module; tests fill them by hand). */
struct price_params {
	int enabled;		 /* price_linkage_enabled */
	int trigger_cpi_bp;	 /* price_trigger_cpi_bp (national 350 = 3.5 %) */
	int trigger_food_bp;	 /* price_trigger_food_cpi_bp (national 600 = 6 %) */
	int basis;		 /* enum price_basis */
	int multiplier_bp;	 /* price_multiplier_bp (10000 = ×1; 20000 in March–June 2020) */
	int64_t rounding_fen;	 /* price_rounding_fen (100 = to the yuan) */
	int64_t min_fen;	 /* price_min_fen */
	int due_working_days;	 /* price_due_working_days */
	unsigned groups;	 /* eligible groups (price_eligible_*) */
	int rural_on_urban;	 /* price_rural_on_urban_standard: rural residents on the urban standard */
	int64_t standard_urban_month_fen; /* dibao_standard_urban_month_fen */
	int64_t standard_rural_year_fen;  /* dibao_standard_rural_year_fen */
};

struct price_trigger {
	int reached_cpi, reached_food; /* each index at or above its trigger */
	int reached;		       /* either */
	int triggered;		       /* reached and the mechanism enabled */
	int basis;		       /* enum price_basis actually used (LARGER resolves to CPI/FOOD) */
	int rise_bp;		       /* the rise the amount is based on (0 when not triggered) */
	const char *why;	       /* not triggered: a Chinese reason; "" otherwise */
};

/* Decide a month for one unit from its indices. Always fills *t; returns t->triggered. */
int price_rules_trigger(const struct price_params *p, int cpi_bp, int food_cpi_bp,
			struct price_trigger *t);

struct price_amount {
	int64_t standard_fen;	/* the standard used, in its unit */
	int per_year;		/* 1 when standard_fen is per year (rural: ÷ 12) */
	int64_t raw_num, raw_den; /* the exact amount in fen = raw_num / raw_den */
	int64_t rounded_fen;	/* rounded half up to rounding_fen */
	int64_t amount_fen;	/* max(rounded, min) */
	int minimum_applied;
};

/* One person's amount: the residence's standard (urban: monthly; rural: yearly ÷ 12, or the
 * urban monthly when rural_on_urban) × rise_bp × multiplier_bp, rounded half up to a multiple
 * of rounding_fen (at least 1), at least min_fen. Exact integer arithmetic (no floating point,
 * one rounding at the end). Returns amount_fen (0 when rise_bp <= 0). */
int64_t price_rules_amount(const struct price_params *p, int urban, int rise_bp,
			   struct price_amount *out);

/* The parameters in force in month ("YYYY-MM") for a management unit (its own values, else
 * the city's: policy_value). The policy module's 404 policy_missing names a key not set. */
int price_params_load(struct db *db, const char *unit_code, const char *month,
		      struct price_params *p, struct err *e);

/* "YYYY-MM" (1900–2999) and "YYYY-MM-DD" checks. */
int price_month_valid(const char *m);
int price_date_valid(const char *d);

/* ---- indices (price_store.c) ------------------------------------------------------------- */

struct price_index {
	int64_t id;
	char month[8];
	int cpi_bp, food_cpi_bp; /* year-on-year, basis points (may be negative) */
	char published_on[11];
	char note[404];
	char set_by[64], set_at[32];
};

/* Record a month's indices (a new row; the latest row is in force). Checks: policy.write and
 * a city-wide scope (403 forbidden); month "YYYY-MM" (400 month); cpi_bp / food_cpi_bp within
 * −5000..10000 (400); published_on a real date after the month and not in the future (400
 * published_on); note at most 100 characters; no subsidies generated for the month yet (409
 * month_generated). One transaction with its audit row (price.index). */
int price_index_set(struct db *db, const struct actor *a, const char *month, int cpi_bp,
		    int food_cpi_bp, const char *published_on, const char *note, int64_t *id,
		    struct err *e);

/* The index in force for month: 1 found, 0 none, -1 error. */
int price_index_get(struct db *db, const char *month, struct price_index *out, struct err *e);

/* A month as the city sees it: the index in force, its history, the city's decision and the
 * figures of the subsidies in the actor's scope. */
struct price_month {
	struct price_index idx;
	int nhistory;
	struct price_index *history; /* newest first; malloc'd (price_months_release) */
	struct price_trigger city;   /* with the city's parameters (a unit may differ) */
	int city_params_ok;	     /* 0 when a parameter is missing for the month */
	char due_on[11];	     /* with the city's due period; "" when unknown */
	int64_t generated, generated_fen; /* subsidies in scope */
	int64_t paid, paid_fen, pending, failed, unpaid, no_account, late, late_fen;
};

/* Every month with an index, newest first, with figures over the actor's scope (policy.read).
 * *out malloc'd; price_months_release. */
int price_months(struct db *db, const struct actor *a, struct price_month **out, int *n,
		 struct err *e);
void price_months_release(struct price_month *m, int n);

/* ---- generation (price_store.c) ---------------------------------------------------------- */

struct price_generate_unit {
	char unit_code[16];
	int triggered;
	char why[160];		/* not triggered: the reason */
	struct price_trigger trig;
	char due_on[11];
	int64_t added, added_fen; /* new subsidies */
	int64_t existing;	  /* already generated before (left as they were) */
};

struct price_generate_result {
	char month[8];
	int64_t index_id;
	int nunits;
	struct price_generate_unit units[64];
	int64_t added, added_fen, existing, eligible;
	int64_t no_account; /* new subsidies without a bank account yet */
};

/* Generate month's subsidies for every unit the actor may pay (see the top of this file). One
 * write transaction with one audit row (price.generate). 404 index_missing without an index;
 * 409 not_triggered when no unit triggers (with the reason); 404 not_found when the actor may
 * pay no unit. progress may be NULL (called with persons examined so far). */
int price_generate(struct db *db, const struct actor *a, const char *month,
		   void (*progress)(void *ctx, int64_t done), void *pctx,
		   struct price_generate_result *out, struct err *e);

/* ---- what the payroll pays (price_store.c) ----------------------------------------------- */

/* One subsidy to pay. */
struct price_payable {
	int64_t subsidy_id;
	char month[8];		/* the month the subsidy is for (the payment's month) */
	int64_t person_id, household_id;
	char region_code[16], unit_code[16];
	int64_t amount_fen;
	char payee_name[128], bank_name[128], bank_account[40];
};

/* Every subsidy of unit_code with month <= run_month, a bank account, and no normal payment
 * yet, ordered by region_code, id. Runs inside the caller's transaction (the payroll's). fn
 * returns non-zero to stop (that value is returned). */
int price_payables_unit(struct db *db, const char *unit_code, const char *run_month,
			int (*fn)(const struct price_payable *p, void *ctx), void *ctx,
			struct err *e);

/* ---- reading subsidies (price_store.c) --------------------------------------------------- */

struct price_subsidy {
	int64_t id;
	char month[8];
	int64_t person_id, household_id;
	char name[128];
	char id_number_masked[19];
	char region_code[16], region_name[128], unit_code[16];
	char residence_type[8];
	char groups[96];
	char basis[12]; /* cpi | food_cpi */
	int rise_bp, multiplier_bp;
	int64_t standard_fen;
	int per_year;
	int64_t rounding_fen, min_fen, amount_fen;
	char due_on[11];
	char state[12];	    /* unpaid pending paid failed */
	int has_account;
	int64_t payment_id; /* the latest payment, 0 when none */
	char paid_month[8]; /* the run month that paid it */
	char paid_on[11];   /* the day that run was confirmed */
	int late;	    /* due_on passed (as of the query's day) and not paid */
	int paid_late;	    /* paid after due_on */
};

struct price_subsidy_query {
	char month[8];	/* "" = every month */
	char unit[16];	/* "" = every unit in scope */
	char region[16]; /* "" or a prefix narrowing the scope */
	char state[12]; /* "" | unpaid | pending | paid | failed | late | no_account */
	char as_of[11]; /* late as of this day; "" = today */
	int limit;	/* 1..500, 0 = 50 */
	int64_t offset;
};

struct price_subsidy_page {
	int n;
	struct price_subsidy *items; /* malloc'd; free() */
	int64_t total, total_fen;
};

/* Subsidies in the actor's scope (assistance.read), by month, village, id. 400 for a bad
 * filter; a region filter outside the scope is 404. */
int price_subsidies(struct db *db, const struct actor *a, const struct price_subsidy_query *q,
		    struct price_subsidy_page *out, struct err *e);

/* ---- accounts of persons outside the assistance rolls (price_store.c) -------------------- */

/* Record the account a person's subsidies are paid into (social security card or bank card):
 * assistance.write, the person active and in scope (404), bank_account 8–32 digits (spaces
 * dropped), bank_name 1–60 characters, payee_name "" = the person. Replaces an earlier one.
 * One transaction with its audit row (price.account; the number is not in the audit detail). */
int price_account_set(struct db *db, const struct actor *a, int64_t person_id,
		      const char *payee_name, const char *bank_name, const char *bank_account,
		      struct err *e);

/* ---- the job (price_api.c) --------------------------------------------------------------- */

struct job_ctx;
/* Job kind "price.generate": params {"month"}; result as POST /api/v1/price/generate. */
int price_job_generate(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		       json_t **result, struct err *e);
/* The generation result as JSON (API, job, CLI --json). */
json_t *price_generate_json(const struct price_generate_result *r);

#endif
