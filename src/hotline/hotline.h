/* hotline.h — 热线来电与个案 (hotline calls and cases, incl. the child-protection line): the
 * module's whole public face. (Owned by the hotline module: hotline_rules.{h,c} the pure rules,
 * hotline_schema.c the tables, hotline_calls.c lines and call records, hotline_cases.c the case
 * workflow, hotline_views.c the task queue and the county overview, hotline_api.c the routes.
 * docs/hotline.md explains it for people.)
 *
 * Lines are data (hotline_lines): the 24-hour assistance line and the child-protection line in
 * the demo city, others added by the city. A line's kind (assistance | child_protection) says
 * which response-time parameters apply and whether its cases are checked against the
 * child-protection scope (DOMAIN.md: the guardian confirmed, suspected or isolated, away on
 * epidemic duty, or otherwise unable to care).
 *
 * A call record (time, duration, caller and phone, location, category, description, urgency,
 * operator, outcome, a callback if one was promised) is never edited: a correction is a new
 * record that references the one it corrects, and lists show the latest version of each call.
 * Records are kept at least hotline_call_retention_months (a parameter, at least 3 months; the
 * database itself refuses to delete a younger one); `minzheng hotline purge` removes older ones
 * that no case refers to.
 *
 * A case opens from a call (in the same transaction as the call record — one screen) or by
 * hand, links to registry persons (the child, the guardian) where they are known, and goes
 * intake → assessed → active (plan in force: temporary care placements, referrals with the
 * other side's accept/decline, resources such as temporary assistance, follow-up visits) →
 * closed with an outcome; a closed case may be reopened. Every step is a row with its time, who
 * took it and what was recorded. The assessment is due within the line's response time for the
 * urgency (policy, minutes, in force in the month the case opened for the case's management
 * unit); follow-ups every hotline_<kind>_followup_days while the case is active. Overdue
 * assessments, follow-ups and promised callbacks are the task queue.
 *
 * Scope: a call or case carries the region code of where the caller / child is (city, county,
 * township or village); county staff see their county's, operators (scope 3707) the whole city.
 * Out-of-scope records are 404. Caller and guardian phones and the child's ID number are
 * personal data: masked, unless read with unmask (registry.unmask), which is audited
 * (hotline_call.unmask, hotline_case.unmask).
 *
 * Errors (struct err): 400 required / invalid_value / invalid_phone / invalid_id_number /
 * invalid_region (with the field); 403 forbidden; 404 not_found (missing or out of scope),
 * policy_missing; 409 invalid_step, out_of_scope, placement_open, referral_pending,
 * already_corrected, callback_done, not_pending, duplicate; the relief module's errors when
 * temporary assistance is applied for. Every write is one transaction with its audit row
 * (hotline.line_set, hotline.call, hotline.call_correct, hotline.callback, hotline.case.open,
 * hotline.case.<step>, hotline.purge).
 */
#ifndef MZ_HOTLINE_H
#define MZ_HOTLINE_H

#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "hotline/hotline_rules.h"
#include "http/api.h"

extern const char hotline_schema_v1[];

/* The module's routes (hotline_api.c), ending with {0}. */
extern const struct api_route hotline_routes[];

#define HOTLINE_NAME_CHARS 30
#define HOTLINE_NAME_SZ (HOTLINE_NAME_CHARS * 4 + 1)
#define HOTLINE_SHORT_CHARS 100 /* addresses, places, agencies */
#define HOTLINE_SHORT_SZ (HOTLINE_SHORT_CHARS * 4 + 1)
#define HOTLINE_TEXT_CHARS 1000 /* descriptions, findings, plans, notes */
#define HOTLINE_TEXT_SZ (HOTLINE_TEXT_CHARS * 4 + 1)
#define HOTLINE_RAW_SZ 48 /* a phone or ID number as typed */
#define HOTLINE_CODE_SZ 24
#define HOTLINE_PAGE_MAX 200
#define HOTLINE_MAX_DURATION (24 * 3600)

/* ---- lines (hotline_calls.c) --------------------------------------------------------------- */

struct hotline_line {
	char code[HOTLINE_CODE_SZ];   /* "assist", "child" … (letters, digits, _ ; 2–20) */
	char name[HOTLINE_NAME_SZ];   /* 24小时救助热线 */
	char number[HOTLINE_RAW_SZ];  /* the number people dial, as published */
	char kind[20];		      /* assistance | child_protection */
	int active;
	char updated_at[32];
	char updated_by[64];
};

/* Every line (active first, then by code); *out malloc'd (free()). Needs hotline. */
int hotline_lines_list(struct db *db, const struct actor *a, struct hotline_line **out, int *n,
		       struct err *e);
/* Create or change a line (code is the key). City level only: hotline and a scope covering the
 * city (403 otherwise). Name 1–30 characters, number 3–30 characters, kind known. Audited
 * hotline.line_set. */
int hotline_line_set(struct db *db, const struct actor *a, const struct hotline_line *in,
		     struct err *e);

/* ---- calls (hotline_calls.c) --------------------------------------------------------------- */

/* Which fields of a call input are present (a correction copies the others). */
enum hotline_call_has {
	HOTLINE_HAS_LINE = 1u << 0,
	HOTLINE_HAS_CALLED_AT = 1u << 1,
	HOTLINE_HAS_DURATION = 1u << 2,
	HOTLINE_HAS_CALLER = 1u << 3,
	HOTLINE_HAS_PHONE = 1u << 4,
	HOTLINE_HAS_REGION = 1u << 5,
	HOTLINE_HAS_ADDRESS = 1u << 6,
	HOTLINE_HAS_CATEGORY = 1u << 7,
	HOTLINE_HAS_DESCRIPTION = 1u << 8,
	HOTLINE_HAS_URGENCY = 1u << 9,
	HOTLINE_HAS_OUTCOME = 1u << 10,
	HOTLINE_HAS_ADVICE = 1u << 11,
	HOTLINE_HAS_CALLBACK = 1u << 12,
	HOTLINE_HAS_ALL = (1u << 13) - 1,
};

struct hotline_call_in {
	uint32_t has;			    /* for corrections; a new record uses every field */
	char line_code[HOTLINE_CODE_SZ];
	char called_at[32];		    /* "" = now; not in the future */
	int duration_seconds;		    /* 0..HOTLINE_MAX_DURATION */
	char caller_name[HOTLINE_NAME_SZ];  /* "" = anonymous (stored as 匿名) */
	char caller_phone[HOTLINE_RAW_SZ];  /* "" = withheld; else a valid phone */
	char region_code[HOTLINE_CODE_SZ];  /* where: the city, a county, township or village */
	char address[HOTLINE_SHORT_SZ];
	char category[HOTLINE_CODE_SZ];
	char description[HOTLINE_TEXT_SZ];  /* required */
	char urgency[12];
	char outcome[16];		    /* advice case_opened referred no_action */
	char advice[HOTLINE_TEXT_SZ];	    /* what was advised / where referred (advice,
					     * referred: required) */
	char callback_due[32];		    /* a promised callback, by when ("" none) */
	char reason[HOTLINE_TEXT_SZ];	    /* corrections: why (required) */
};

struct hotline_call {
	int64_t id;
	char line_code[HOTLINE_CODE_SZ], line_name[HOTLINE_NAME_SZ], line_kind[20];
	char called_at[32];
	int duration_seconds;
	char caller_name[HOTLINE_NAME_SZ];
	char caller_phone[24];		    /* real: mask before showing */
	char region_code[HOTLINE_CODE_SZ], region_name[128];
	char address[HOTLINE_SHORT_SZ];
	char category[HOTLINE_CODE_SZ];
	char description[HOTLINE_TEXT_SZ];
	char urgency[12];
	char operator_name[64];		    /* the operator who took it (username) */
	char outcome[16];
	char advice[HOTLINE_TEXT_SZ];
	char callback_due[32];
	char callback_at[32], callback_by[64]; /* when the callback was made ("" not yet) */
	char callback_note[HOTLINE_TEXT_SZ];
	int64_t corrects_id;		    /* the record this one corrects, 0 */
	int64_t corrected_by_id;	    /* a newer record correcting this one, 0 */
	char correction_reason[HOTLINE_TEXT_SZ];
	int64_t case_id;		    /* the case opened from this call (its chain), 0 */
	char recorded_at[32], recorded_by[64];
};

/* The case a call opens (outcome case_opened): see struct hotline_case_in. */
struct hotline_case_in;

/* Record a call; *call_id the new record. With outcome case_opened, `open_case` (required then,
 * ignored otherwise) opens the case in the same transaction — its line, region and urgency
 * default to the call's — and *case_id (may be NULL) receives it. The operator is the actor.
 * Audited hotline.call (and hotline.case.open). */
int hotline_call_record(struct db *db, const struct actor *a, const struct hotline_call_in *in,
			const struct hotline_case_in *open_case, int64_t *call_id, int64_t *case_id,
			struct err *e);

/* Correct call `id` (in scope, else 404): a new record with the fields `in->has` names changed
 * and the others copied, referencing it; *new_id the new record. Only the latest version can be
 * corrected (409 already_corrected names the newer one); a correction cannot open a case (open
 * one by hand with call_id) nor drop the outcome case_opened. reason required. Audited
 * hotline.call_correct. */
int hotline_call_correct(struct db *db, const struct actor *a, int64_t id,
			 const struct hotline_call_in *in, int64_t *new_id, struct err *e);

/* Record that the promised callback of call `id` was made (note optional). 409 invalid_step
 * when none was promised, callback_done when already made, already_corrected when the call has
 * a newer version (the callback belongs to the latest). Audited hotline.callback. */
int hotline_call_callback(struct db *db, const struct actor *a, int64_t id, const char *note,
			  struct err *e);

struct hotline_call_detail {
	struct hotline_call call;
	int n_versions;
	struct hotline_call *versions; /* the whole correction chain, oldest first (incl. call) */
	int unmasked;
};

/* A call with its correction chain. unmask=1 needs registry.unmask (403) and is audited
 * (hotline_call.unmask) before the data is returned. Release with hotline_call_detail_release. */
int hotline_call_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct hotline_call_detail *out, struct err *e);
void hotline_call_detail_release(struct hotline_call_detail *d);

struct hotline_call_query {
	char line[HOTLINE_CODE_SZ];    /* "" = any */
	char outcome[16];	       /* "" = any */
	char category[HOTLINE_CODE_SZ];
	char region[HOTLINE_CODE_SZ];  /* "" or a code prefix narrowing the scope */
	char from[11], to[11];	       /* call days, inclusive; "" = open */
	char q[HOTLINE_NAME_SZ];       /* caller name prefix, or the last 4 digits of the phone */
	int all_versions;	       /* 1: corrected records too */
	int limit;		       /* 1..HOTLINE_PAGE_MAX, 0 = 20 */
	int64_t offset;
};

struct hotline_call_page {
	int n;
	struct hotline_call *items; /* malloc'd: free() */
	int64_t total;
};

/* Calls in scope, newest first. 400 invalid_value for a bad filter; a region filter outside the
 * scope gives nothing. */
int hotline_call_list(struct db *db, const struct actor *a, const struct hotline_call_query *q,
		      struct hotline_call_page *out, struct err *e);

/* Purge the call records older than the retention parameter in force this month (city
 * value) that no case refers to (with their callbacks; a correction chain goes whole or not at
 * all). City level only. dry_run counts without deleting. *n the records (to be) purged,
 * *cutoff (32 bytes, may be NULL) the moment before which they were made. Audited
 * hotline.purge. */
int hotline_calls_purge(struct db *db, const struct actor *a, int dry_run, int64_t *n,
			char cutoff[32], struct err *e);

/* ---- cases (hotline_cases.c) --------------------------------------------------------------- */

struct hotline_case_in {
	char line_code[HOTLINE_CODE_SZ];    /* "" = the call's */
	int64_t call_id;		    /* the call it opens from, 0 = by hand */
	char region_code[HOTLINE_CODE_SZ];  /* where the child / person is ("" = the linked
					     * person's village, else the call's region) */
	char urgency[12];		    /* "" = the call's */
	char subject_name[HOTLINE_NAME_SZ]; /* the child / person in need ("" = the linked
					     * person's name) */
	int64_t subject_person_id;	    /* registry person, 0 unknown */
	char subject_id_number[HOTLINE_RAW_SZ];
	char subject_birth_date[11];	    /* "" = from the ID number or the registry */
	char guardian_name[HOTLINE_NAME_SZ];
	int64_t guardian_person_id;
	char guardian_phone[HOTLINE_RAW_SZ];
	char guardian_situation[20];	    /* child protection: required, in scope */
	char guardian_note[HOTLINE_TEXT_SZ];
	char care_arrangement[20];	    /* who cares for the child now ("" = none) */
	char care_note[HOTLINE_TEXT_SZ];
	char summary[HOTLINE_TEXT_SZ];	    /* required ("" from a call = its description) */
	char assigned_to[64];		    /* a worker (username) responsible, "" = none yet */
};

/* Open a case by hand (in->call_id 0) or from a call that has none yet (409 duplicate
 * otherwise). Checks: the line (and its kind), region known and in scope (400 / 404), persons
 * in scope (404), ID number and phone valid, and for a child-protection case the scope rule
 * (409 out_of_scope with the reason). The assessment falls due after the line's response time
 * for the urgency. *out_id the case. Audited hotline.case.open. */
int hotline_case_open(struct db *db, const struct actor *a, const struct hotline_case_in *in,
		      int64_t *out_id, struct err *e);

/* The fields a step uses (the others are ignored): see docs/hotline.md. */
struct hotline_step_in {
	/* assess */
	char risk[8];			      /* high medium low (required) */
	char findings[HOTLINE_TEXT_SZ];	      /* required */
	char guardian_situation[20];	      /* child protection: required (confirms or corrects) */
	char guardian_note[HOTLINE_TEXT_SZ];
	char care_arrangement[20];	      /* "" = unchanged */
	char care_note[HOTLINE_TEXT_SZ];
	/* plan */
	char plan[HOTLINE_TEXT_SZ];	      /* required */
	int followup_days;		      /* 0 = the parameter */
	/* place, refer, resource, followup: the kind / target / method */
	char kind[HOTLINE_CODE_SZ];
	int64_t institution_id;		      /* place (institution), refer (institution) */
	char place_name[HOTLINE_SHORT_SZ];    /* place: where / with whom; refer: the agency */
	char carer_name[HOTLINE_NAME_SZ];
	char carer_phone[HOTLINE_RAW_SZ];
	char date[11];			      /* place: start; place_end: end; followup: the day
					       * ("" = today; not in the future) */
	int64_t item_id;		      /* place_end: the placement; refer_answer: the
					       * referral */
	char answer[12];		      /* refer_answer: accept | decline */
	char note[HOTLINE_TEXT_SZ];	      /* reasons, what was found, what was given */
	/* resource */
	int64_t amount_fen;		      /* value / amount (≥ 0) */
	int apply_relief;		      /* temp_relief: apply through the relief module now */
	int64_t relief_person_id;	      /* the grant's person (0 = guardian, else child) */
	char relief_kind[12];		      /* emergency | expense */
	char relief_cause[32];
	char relief_form[8];		      /* cash | goods */
	int pay_first;
	/* close */
	char outcome[24];
	/* assign */
	char username[64];
	/* reopen */
	char reason[HOTLINE_TEXT_SZ];
};

/* One step on case `id` (see hotline_step_allowed for which status allows which). The case is
 * found in the actor's scope first (404), so a step on another county's case reveals nothing.
 * *out_item (may be NULL) receives the placement / referral made, or the relief grant. */
int hotline_case_step(struct db *db, const struct actor *a, int64_t id, enum hotline_step step,
		      const struct hotline_step_in *in, int64_t *out_item, struct err *e);

struct hotline_case {
	int64_t id;
	char kind[20];
	char line_code[HOTLINE_CODE_SZ], line_name[HOTLINE_NAME_SZ];
	int64_t call_id;
	char region_code[HOTLINE_CODE_SZ], region_name[128];
	char urgency[12];
	char status[12];
	char subject_name[HOTLINE_NAME_SZ];
	int64_t subject_person_id;
	char subject_id_number[19];	    /* real: mask before showing */
	char subject_birth_date[11];
	char guardian_name[HOTLINE_NAME_SZ];
	int64_t guardian_person_id;
	char guardian_phone[24];	    /* real: mask before showing */
	char guardian_situation[20];
	char guardian_note[HOTLINE_TEXT_SZ];
	char care_arrangement[20];
	char care_note[HOTLINE_TEXT_SZ];
	char summary[HOTLINE_TEXT_SZ];
	char risk[8];
	int in_scope;			    /* -1 not assessed, 0, 1 */
	char scope_reason[400];
	char plan[HOTLINE_TEXT_SZ];
	int followup_days;
	char assigned_to[64];
	char opened_at[32], opened_by[64];
	char assess_due[32];
	char assessed_at[32];
	char next_followup_due[11];
	char closed_at[32], closed_by[64];
	char outcome[24];
	char outcome_note[HOTLINE_TEXT_SZ];
	int reopen_count;
	char updated_at[32];
	/* computed on read, at `now` */
	int assess_overdue;   /* intake and past assess_due */
	int followup_overdue; /* active and past next_followup_due */
	int open_placements;
	int pending_referrals;
};

struct hotline_step_row {
	int64_t id;
	char step[16];
	char at[32];
	char by[64];
	char *record; /* JSON object text, malloc'd */
};

struct hotline_placement {
	int64_t id;
	char kind[20];
	int64_t institution_id;
	char place_name[HOTLINE_SHORT_SZ];
	char carer_name[HOTLINE_NAME_SZ];
	char carer_phone[24];
	char start_date[11], end_date[11];
	char end_note[HOTLINE_TEXT_SZ];
	char started_by[64], ended_by[64];
};

struct hotline_referral {
	int64_t id;
	char target[16];
	int64_t institution_id;
	char agency_name[HOTLINE_SHORT_SZ];
	char reason[HOTLINE_TEXT_SZ];
	char status[12]; /* pending accepted declined */
	char referred_at[32], referred_by[64];
	char answered_at[32], answered_by[64];
	char answer_note[HOTLINE_TEXT_SZ];
};

struct hotline_case_detail {
	struct hotline_case c;
	int n_steps;
	struct hotline_step_row *steps; /* oldest first */
	int n_placements;
	struct hotline_placement *placements;
	int n_referrals;
	struct hotline_referral *referrals;
	int unmasked;
};

/* A case in scope with its steps, placements and referrals. unmask as hotline_call_get
 * (hotline_case.unmask). Release with hotline_case_detail_release. */
int hotline_case_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct hotline_case_detail *out, struct err *e);
void hotline_case_detail_release(struct hotline_case_detail *d);

struct hotline_case_query {
	char stage[12];		      /* "" | open | overdue | closed | in_care */
	char status[12];	      /* "" or a status */
	char kind[20];		      /* "" or a line kind */
	char region[HOTLINE_CODE_SZ]; /* "" or a code prefix narrowing the scope */
	int mine;		      /* assigned to the actor */
	char q[HOTLINE_NAME_SZ];      /* the child's / person's name prefix */
	int limit;
	int64_t offset;
};

struct hotline_case_page {
	int n;
	struct hotline_case *items; /* malloc'd: free() */
	int64_t total;
};

/* Cases in scope, newest first (overdue: most overdue first). */
int hotline_case_list(struct db *db, const struct actor *a, const struct hotline_case_query *q,
		      struct hotline_case_page *out, struct err *e);

/* ---- the queue and the overview (hotline_views.c) ------------------------------------------ */

struct hotline_task {
	char type[12];	      /* assess | followup | callback */
	int64_t case_id;      /* assess, followup */
	int64_t call_id;      /* callback */
	char region_code[HOTLINE_CODE_SZ], region_name[128];
	char subject[HOTLINE_NAME_SZ]; /* the child / person, or the caller */
	char urgency[12];
	char line_code[HOTLINE_CODE_SZ];
	char due[32];	      /* an ISO time (assess, callback) or a day (followup) */
	int overdue;
	char owner[64];	      /* assigned worker (cases), operator (callbacks) */
};

struct hotline_task_query {
	int mine;	      /* the actor's own: cases assigned to them (or opened by them while
			       * unassigned) and callbacks they promised */
	int overdue_only;
	char region[HOTLINE_CODE_SZ];
	int limit;
	int64_t offset;
};

struct hotline_task_page {
	int n;
	struct hotline_task *items; /* malloc'd: free() */
	int64_t total;
	int64_t overdue;	    /* of the total */
};

/* Open tasks in scope, the earliest due first. */
int hotline_tasks(struct db *db, const struct actor *a, const struct hotline_task_query *q,
		  struct hotline_task_page *out, struct err *e);

/* One county's figures (cases at city level, with no county yet, are the row "3707"). */
struct hotline_overview_row {
	char region_code[HOTLINE_CODE_SZ]; /* the county (6 digits) or the city (4) */
	char region_name[128];
	int64_t calls, calls_child, calls_case_opened; /* in the period (latest versions) */
	int64_t opened, closed;			       /* cases opened / closed in the period */
	int64_t assessed_on_time, assessed_late;       /* assessments of cases opened in it */
	int64_t open, intake, overdue_assess, overdue_followup, in_care, pending_referrals; /* now */
};

/* The county view: a row per county in scope with anything in it, in code order; from / to
 * ("YYYY-MM-DD", inclusive, "" = open) bound the period figures. */
int hotline_overview(struct db *db, const struct actor *a, const char *from, const char *to,
		     struct hotline_overview_row **out, int *n, struct err *e);

#endif
