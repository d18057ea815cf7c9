/* hotline_rules.h — the pure rules of hotlines and cases (hotline_rules.c): the code lists, the
 * case workflow's transitions, the child-protection scope check, closure checks, response-time
 * and follow-up due times, and the Asia/Shanghai timestamps they are computed on. No I/O, no
 * clock, no allocation: every function here is a function of its arguments, so the unit tests
 * state the rules with hand-computed values.
 *
 * Timestamps are ISO-8601 in the bureau's zone, "YYYY-MM-DDTHH:MM:SS+08:00"; stored that way
 * everywhere, they sort as text in time order (so SQL compares them with < and >).
 */
#ifndef MZ_HOTLINE_RULES_H
#define MZ_HOTLINE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* ---- code lists ------------------------------------------------------------------------ */

/* One code and its Chinese label. Lists end with {NULL, NULL}. */
struct hotline_code {
	const char *code;
	const char *label;
};

/* Line kinds: what a line's calls become and which response targets apply.
 *   assistance        24-hour assistance line (and other general lines)
 *   child_protection  child-protection line: its cases are checked against the scope rule */
extern const struct hotline_code hotline_line_kinds[];
/* Urgency of a call or case: emergency urgent normal. */
extern const struct hotline_code hotline_urgencies[];
/* Call categories: living relief epidemic elderly homeless child_care disability policy
 * complaint other. */
extern const struct hotline_code hotline_categories[];
/* What came of a call: advice case_opened referred no_action. */
extern const struct hotline_code hotline_call_outcomes[];
/* The guardian's situation (DOMAIN.md, child-protection scope): confirmed suspected isolated
 * epidemic_duty unable_other (each in scope), none (the guardian can care: out of scope). */
extern const struct hotline_code hotline_situations[];
/* Who cares for the child now: none guardian relatives foster institution village other. */
extern const struct hotline_code hotline_care_arrangements[];
/* Temporary care placements: relatives foster institution village other. */
extern const struct hotline_code hotline_placement_kinds[];
/* Referral targets: institution agency. */
extern const struct hotline_code hotline_referral_targets[];
/* Resources linked to a case: temp_relief goods service other. */
extern const struct hotline_code hotline_resource_kinds[];
/* Follow-up methods: home phone video other. */
extern const struct hotline_code hotline_followup_methods[];
/* Risk found by the assessment: high medium low. */
extern const struct hotline_code hotline_risks[];
/* Closure outcomes: guardian_resumed placed_long_term referred resolved out_of_scope other. */
extern const struct hotline_code hotline_close_outcomes[];

/* The entry of `code` in `list`, or NULL (also for NULL or ""). */
const struct hotline_code *hotline_code_find(const struct hotline_code *list, const char *code);
/* Its label, or "" when unknown. */
const char *hotline_code_label(const struct hotline_code *list, const char *code);

/* ---- the case workflow ----------------------------------------------------------------- */

/* A case's status:
 *   intake    opened (from a call or by hand), waiting for its assessment — due within the
 *             line's response time for the urgency;
 *   assessed  assessed (risk, the guardian's situation, whether in scope), waiting for a plan;
 *   active    a plan is in force: temporary care, referrals, resources, follow-ups;
 *   closed    closed with an outcome (a reopen sends it back to intake). */
enum hotline_status {
	HOTLINE_INTAKE = 0,
	HOTLINE_ASSESSED,
	HOTLINE_ACTIVE,
	HOTLINE_CLOSED,
};

enum hotline_step {
	HOTLINE_STEP_ASSESS = 1,
	HOTLINE_STEP_PLAN,
	HOTLINE_STEP_PLACE,	   /* start a temporary care placement */
	HOTLINE_STEP_PLACE_END,	   /* end one (the child goes home, or moves on) */
	HOTLINE_STEP_REFER,	   /* refer to an institution or agency */
	HOTLINE_STEP_REFER_ANSWER, /* the institution's / agency's accept or decline */
	HOTLINE_STEP_RESOURCE,	   /* link a resource: temporary assistance, goods, a service */
	HOTLINE_STEP_FOLLOWUP,	   /* a follow-up visit or call */
	HOTLINE_STEP_ASSIGN,	   /* make a worker responsible */
	HOTLINE_STEP_CLOSE,
	HOTLINE_STEP_REOPEN,
};
#define HOTLINE_STEP_MAX HOTLINE_STEP_REOPEN

/* "intake", "assessed", "active", "closed"; NULL for anything else. */
const char *hotline_status_name(enum hotline_status s);
/* The status named z, -1 when none. */
int hotline_status_from_name(const char *z);
/* "assess", "plan", "place", "place_end", "refer", "refer_answer", "resource", "followup",
 * "assign", "close", "reopen" (the API's route segments use dashes: place-end, refer-answer). */
const char *hotline_step_name(enum hotline_step s);
/* The step named z (underscore or dash form), 0 when none. */
enum hotline_step hotline_step_from_name(const char *z);
/* Chinese name of a step ("评估", "临时照料安置"…), "" when unknown. */
const char *hotline_step_label(enum hotline_step s);

/* 1 when `step` may be taken from status `from`, and *next (may be NULL) the status after it:
 *   assess              intake → assessed; assessed, active → unchanged (a re-assessment)
 *   plan                assessed → active; active → active (a revised plan)
 *   place place_end refer refer_answer resource followup    active only
 *   assign              any status but closed
 *   close               assessed, active → closed (never straight from intake: the call is
 *                       assessed first)
 *   reopen              closed → intake
 * 0 otherwise. */
int hotline_step_allowed(enum hotline_status from, enum hotline_step step,
			 enum hotline_status *next);

/* The reason a step is not allowed from a status, in Chinese, for 409 invalid_step. */
const char *hotline_step_refusal(enum hotline_status from, enum hotline_step step);

/* ---- the child-protection scope (DOMAIN.md, Hotlines) ---------------------------------- */

/* Is a child-protection case in scope? In scope when the child is a minor (age under 18; age -1
 * = not known yet, taken as a minor until the assessment knows) and the guardian is confirmed,
 * suspected or isolated, away on epidemic duty, or otherwise cannot care for the child
 * (unable_other, which needs a note saying why). Returns 1 in scope, 0 out of scope, -1 for an
 * unknown situation; when not in scope `why` (n bytes) says why in Chinese. */
int hotline_child_in_scope(const char *situation, int age, const char *note, char *why, size_t n);

/* The checks of a closure: outcome a known code (400 invalid_value "outcome"; "required" when
 * empty); guardian_resumed only for a child-protection case (400); a case without a plan (only
 * assessed) closes only as out_of_scope, referred or resolved (409 invalid_step); no temporary
 * care placement still open (409 placement_open: the child's care must be ended or handed over
 * first); no referral waiting for an answer (409 referral_pending). */
int hotline_close_check(const char *kind, int has_plan, const char *outcome, int open_placements,
			int pending_referrals, struct err *e);

/* The plan's check: a child-protection case assessed out of scope gets no plan (409
 * out_of_scope — close it with outcome out_of_scope or referred). in_scope: 1, 0, or -1 not
 * assessed. */
int hotline_plan_check(const char *kind, int in_scope, struct err *e);

/* ---- times and due times --------------------------------------------------------------- */

/* Parse "YYYY-MM-DDTHH:MM[:SS][+08:00]" (a space may stand for the T; no offset means the
 * bureau's zone; a "Z" or another offset is converted) into seconds since the epoch. 0, or -1
 * when malformed or not a real time (2020-02-30, 24:00). */
int hotline_time_parse(const char *s, int64_t *out);
/* Seconds since the epoch → "YYYY-MM-DDTHH:MM:SS+08:00" into out[32]. */
void hotline_time_format(int64_t t, char out[32]);
/* 1 when s is a real day "YYYY-MM-DD" (1900–2999). */
int hotline_date_valid(const char *s);
/* date + n days into out[11] (date valid). */
void hotline_date_add(const char *date, int n, char out[11]);
/* Whole years of age on `today` for a birth date (both "YYYY-MM-DD"); -1 when either is bad or
 * the birth is after today. */
int hotline_age_on(const char *birth_date, const char *today);

/* The policy keys of a line kind: the response time (minutes from opening to assessment) for
 * an urgency, and the follow-up interval (days). NULL for an unknown kind or urgency. */
const char *hotline_response_key(const char *kind, const char *urgency);
const char *hotline_followup_key(const char *kind);
#define HOTLINE_RETENTION_KEY "hotline_call_retention_months"

/* When the assessment of a case opened at `opened` (ISO) is due: opened + minutes, into
 * out[32]. -1 when opened is malformed or minutes < 0. */
int hotline_assess_due(const char *opened, int64_t minutes, char out[32]);

/* The next follow-up: the day `days` after `from` (a date or an ISO time: its day), into
 * out[11]. -1 when from is malformed or days < 1. */
int hotline_followup_due(const char *from, int64_t days, char out[11]);

/* Whole minutes from a to b (ISO times; negative when b is before a); 0 with *ok = 0 when
 * either is malformed. */
int64_t hotline_minutes_between(const char *a, const char *b, int *ok);

/* The retention cut-off: `months` before `now` (same day of the month, clamped to the month's
 * end; same time of day), into out[32]. A call made before it has been kept `months` months and
 * may be purged (the database itself refuses to delete one younger than 3 months whatever the
 * parameter says). -1 when now is malformed or months < 3. */
int hotline_retention_cutoff(const char *now, int months, char out[32]);

#endif
