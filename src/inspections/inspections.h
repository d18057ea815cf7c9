/* inspections.h — 督导检查与整改 (inspection teams, inspections, findings, rectification): public face.
 * (Owned by the inspections module: inspections_rules.c the pure rules — status transitions,
 * overdue and due-soon by deadline, dates —, inspections_schema.c the tables and the seeded
 * checklist, inspections_store.c teams, the checklist and inspections, inspections_rect.c the
 * rectification items, their actions, lists and summary, inspections_api.c the routes;
 * src/demo/demo_inspections.c the demo city's teams, visits and duty rosters.
 * docs/inspections.md explains it for people.)
 *
 * Model:
 *   - A team (督导组) belongs to a body (region_code: the city, 3707) and covers an area: a list
 *     of region codes (counties, townships). Members have a name, role (leader / member), title
 *     and phone (masked unless registry.unmask; an unmasked read is audited).
 *   - The checklist is data (inspection_checklist): closed management's four rules (staff do not
 *     go out, outsiders do not come in, residents do not go out except for illness, goods bought
 *     online and handed over without contact), disinfection, temperature logs, goods, emergency
 *     plan, and two items for counties and townships (daily reports, duty rosters). Items are
 *     added or retired by code (POST /api/v1/inspection-checklist), never deleted.
 *   - An inspection records a visit of a team (or of a county's own staff) to a region (county,
 *     township, village) or an institution on a day: a result for every active checklist item
 *     that applies (pass / fail / na), and findings. Every failed item is a finding; a finding is
 *     either fixed on site (立行立改) or becomes a rectification item with an owner (a region or
 *     an institution), a requirement and a deadline (default: the inspection day + the policy
 *     parameter rectification_deadline_days of the owner's unit in force that month).
 *   - A rectification item moves open → in_progress → submitted (evidence of closure) →
 *     verified; the inspecting side may reject a submission or reopen a verified item
 *     (→ reopened → in_progress / submitted …) and extend a deadline (inspections_next_status is
 *     the whole table). It is overdue on a day when it still waits for its owner (open,
 *     in_progress, reopened) and the day is after its deadline; a submission stops the clock.
 *
 * Who may do what (every function takes the acting user):
 *   - Read (teams, inspections, items): inspection, institution.read or institution.report, and
 *     the record in scope — a team when its area overlaps the caller's scope or the caller's
 *     scope covers the team's body; an inspection by its target's region; an item by its owner's
 *     region. Out of scope, unknown, or a caller without any of those permissions: 404
 *     not_found (existence is never revealed).
 *   - Teams and checklist items: inspection and a scope covering the team's body (city users).
 *   - Record an inspection: inspection and the target in scope; not one's own unit. With a team
 *     the caller must cover the team's body; the inspecting body (inspector_region) is then the
 *     team's, else the caller's own region code.
 *   - Start and submit an item (the owner's side): inspection, institution.manage or
 *     institution.report, the item in scope. An institution's reporter (institution.report
 *     without inspection or institution.read) sees and acts on the visits and items of its own
 *     institution only (institutions_attached), and no teams or summary.
 *   - Verify, reject, reopen, extend (the inspecting side): inspection, and the caller covers the
 *     inspecting body or is its own staff (region code equal); nobody verifies or rejects a
 *     submission they made themselves (409 same_person).
 *
 * Errors (struct err): 400 required / invalid_value / invalid_region / checklist_incomplete
 * (with the field), 403 forbidden, 404 not_found, 409 invalid_step / same_person / conflict,
 * the policy module's 404 policy_missing. Every write is one transaction with its audit row
 * (inspection.team, inspection.checklist, inspection.record, inspection.rect.<action>); nothing
 * is written when any check fails.
 */
#ifndef MZ_INSPECTIONS_H
#define MZ_INSPECTIONS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char inspections_schema_v1[];

/* The module's routes (inspections_api.c), ending with {0}: see docs/api.md "Inspections". */
extern const struct api_route inspections_routes[];

#define INSPECTIONS_NAME_CHARS 60
#define INSPECTIONS_NAME_SZ (INSPECTIONS_NAME_CHARS * 4 + 1)
#define INSPECTIONS_TEXT_CHARS 1000
#define INSPECTIONS_TEXT_SZ (INSPECTIONS_TEXT_CHARS * 4 + 1)
#define INSPECTIONS_MAX_AREAS 16
#define INSPECTIONS_MAX_MEMBERS 20
#define INSPECTIONS_MAX_FINDINGS 50
#define INSPECTIONS_MAX_RESULTS 64
#define INSPECTIONS_PAGE_MAX 500

/* ---- rules (inspections_rules.c): pure, no I/O ------------------------------------------ */

enum inspections_status {
	INSPECTIONS_OPEN = 0,
	INSPECTIONS_IN_PROGRESS,
	INSPECTIONS_SUBMITTED,
	INSPECTIONS_VERIFIED,
	INSPECTIONS_REOPENED,
	INSPECTIONS_NSTATUS,
};

enum inspections_action {
	INSPECTIONS_START = 0, /* owner: begins work */
	INSPECTIONS_SUBMIT,    /* owner: evidence of closure */
	INSPECTIONS_VERIFY,    /* inspecting side: accepts the evidence */
	INSPECTIONS_REJECT,    /* inspecting side: refuses the evidence, back to the owner */
	INSPECTIONS_REOPEN,    /* inspecting side: a verified item found wanting again */
	INSPECTIONS_EXTEND,    /* inspecting side: a later deadline (status unchanged) */
	INSPECTIONS_NACTIONS,
};

/* "open", "in_progress", "submitted", "verified", "reopened"; "" when out of range. */
const char *inspections_status_name(int status);
/* Chinese: 待整改, 整改中, 待核验, 已销号, 重新整改. */
const char *inspections_status_label(int status);
/* The status named s, or -1. */
int inspections_status_parse(const char *s);
/* "start", "submit", "verify", "reject", "reopen", "extend"; the action named s, or -1. */
const char *inspections_action_name(int action);
int inspections_action_parse(const char *s);
/* 1 for the actions of the inspecting side (verify, reject, reopen, extend), 0 for the owner's. */
int inspections_action_by_inspector(int action);

/* The status after `action` from `status`, or -1 when the action is not allowed from it:
 *   start   open, reopened            → in_progress
 *   submit  open, in_progress, reopened → submitted
 *   verify  submitted                 → verified
 *   reject  submitted                 → reopened
 *   reopen  verified                  → reopened
 *   extend  open, in_progress, reopened → (unchanged) */
int inspections_next_status(int status, int action);

/* 1 when an item waits for its owner (open, in_progress, reopened). */
int inspections_owner_pending(int status);
/* 1 when an item with this status and deadline ("YYYY-MM-DD", inclusive) is overdue on day
 * `today`: it waits for its owner and today > deadline. */
int inspections_is_overdue(int status, const char *deadline, const char *today);
/* Days past the deadline on `today` when overdue, else 0 (deadline 03-05, today 03-08 → 3). */
int inspections_days_overdue(int status, const char *deadline, const char *today);
/* 1 when not overdue but due within `soon_days` days: it waits for its owner and
 * 0 <= deadline − today <= soon_days. */
int inspections_is_due_soon(int status, const char *deadline, const char *today, int soon_days);

/* 1 when z is a real day "YYYY-MM-DD" in 1900–9999. */
int inspections_date_valid(const char *z);
/* Day number since 1970-01-01 of a valid date. */
int64_t inspections_date_days(const char *z);
/* The date n days after (before, n < 0) a valid date, into out[11]. */
void inspections_date_add(const char *z, int n, char out[11]);

/* ---- teams (inspections_store.c) ------------------------------------------------------- */

struct inspections_member {
	char name[INSPECTIONS_NAME_SZ];
	char role[8];  /* "leader" | "member" */
	char title[INSPECTIONS_NAME_SZ]; /* 职务, free text */
	char phone[24]; /* normalized (core/phone.h); masked on reads unless unmasked */
};

struct inspections_team {
	int64_t id;
	char name[INSPECTIONS_NAME_SZ];
	char region_code[16]; /* the body the team belongs to (the city) */
	char region_name[128];
	char area[INSPECTIONS_TEXT_SZ]; /* description of where it works */
	char note[INSPECTIONS_TEXT_SZ];
	int active;
	int n_areas;
	char areas[INSPECTIONS_MAX_AREAS][16];
	char area_names[INSPECTIONS_MAX_AREAS][128];
	int n_members;
	struct inspections_member members[INSPECTIONS_MAX_MEMBERS];
	int64_t n_inspections;
	char created_at[32];
	char created_by[64];
	char updated_at[32];
	int unmasked; /* phones as stored (an audited read) */
};

/* What a create or update gives. For an update, has_* say which fields replace the stored ones
 * (a create ignores them and takes every field). */
struct inspections_team_in {
	char name[INSPECTIONS_NAME_SZ];
	char region_code[16]; /* create: the body; "" = the caller's region code */
	char area[INSPECTIONS_TEXT_SZ];
	char note[INSPECTIONS_TEXT_SZ];
	int active;           /* update only */
	int n_areas;
	char areas[INSPECTIONS_MAX_AREAS][16];
	int n_members;
	struct inspections_member members[INSPECTIONS_MAX_MEMBERS];
	int has_name, has_area, has_note, has_active, has_areas, has_members;
};

/* Create a team: a name (unique within the body), areas (1–16 region codes of county level or
 * below, inside the body), at most 20 members with at most one leader; phones validated.
 * Audited (inspection.team). */
int inspections_team_create(struct db *db, const struct actor *a, const struct inspections_team_in *in,
			    int64_t *id, struct err *e);
int inspections_team_update(struct db *db, const struct actor *a, int64_t id,
			    const struct inspections_team_in *in, struct err *e);
/* One team; unmask (registry.unmask, else 403) shows the members' phones and is audited. */
int inspections_team_get(struct db *db, const struct actor *a, int64_t id, int unmask,
			 struct inspections_team *out, struct err *e);
/* The teams the caller may see, by name; *out malloc'd (free()), phones masked. */
int inspections_team_list(struct db *db, const struct actor *a, int include_inactive,
			  struct inspections_team **out, int *n, struct err *e);

/* ---- the checklist (inspections_store.c) ----------------------------------------------- */

struct inspections_check_item {
	int64_t id;
	char code[40];     /* stable key, [a-z0-9_] */
	char category[INSPECTIONS_NAME_SZ];
	char label[INSPECTIONS_NAME_SZ * 2];
	char guidance[INSPECTIONS_TEXT_SZ];
	char applies_to[16]; /* "all", "institution" (institution visits), "region" (county / township visits) */
	int position;
	int active;
};

/* The checklist in display order (retired items too when include_inactive); *out malloc'd. Any
 * logged-in caller with one of the read permissions. */
int inspections_checklist(struct db *db, const struct actor *a, int include_inactive,
			  struct inspections_check_item **out, int *n, struct err *e);
/* Add an item, or change the one with the same code (label, category, guidance, applies_to,
 * active). *created is 1 for a new item. inspection and a city-wide scope (403). Audited. */
int inspections_checklist_put(struct db *db, const struct actor *a,
			      const struct inspections_check_item *in, int64_t *id, int *created,
			      struct err *e);

/* ---- inspections (inspections_store.c) ------------------------------------------------- */

struct inspections_result_in {
	int64_t item_id;     /* or 0 and code */
	char code[40];
	char result[8];      /* "pass" | "fail" | "na" */
	char note[INSPECTIONS_TEXT_SZ];
};

struct inspections_finding_in {
	int64_t item_id;     /* the failed checklist item, 0 for a problem outside the checklist */
	char code[40];       /* or its code */
	char description[INSPECTIONS_TEXT_SZ];
	int fixed_on_site;   /* 立行立改: no rectification item */
	char requirement[INSPECTIONS_TEXT_SZ]; /* "" = the description */
	char deadline[11];   /* "" = visited_on + rectification_deadline_days */
	char owner_kind[16]; /* "" = the target; "region" | "institution" */
	char owner_region[16];
	int64_t owner_institution_id;
	char owner_name[INSPECTIONS_NAME_SZ];
};

struct inspections_in {
	int64_t team_id;      /* 0: the caller's own unit inspects */
	char target_kind[16]; /* "region" | "institution" */
	char region_code[16]; /* the region inspected, or the institution's region */
	int64_t institution_id;
	char target_name[INSPECTIONS_NAME_SZ]; /* institution: its name ("" = read from the
						* institutions registry when it has the id) */
	char visited_on[11];  /* "" = today; not in the future */
	char inspectors[INSPECTIONS_TEXT_SZ]; /* who went (names) */
	char summary[INSPECTIONS_TEXT_SZ];
	int n_results;
	struct inspections_result_in *results;
	int n_findings;
	struct inspections_finding_in *findings;
};

/* Record an inspection with its results, findings and rectification items (checks, in order:
 * permission, team, target, date, a result for every active item that applies and nothing
 * else, findings — a failed item without a finding gets one from its note —, owners in scope
 * and on the target's line (one a prefix of the other, county level or below), deadlines not
 * before the visit). One transaction, one audit row (inspection.record). *id the inspection. */
int inspections_record(struct db *db, const struct actor *a, const struct inspections_in *in,
		       int64_t *id, struct err *e);

struct inspections_visit {
	int64_t id;
	int64_t team_id;
	char team_name[INSPECTIONS_NAME_SZ];
	char inspector_region[16];
	char target_kind[16];
	char region_code[16];
	char region_name[128];
	int64_t institution_id;
	char target_name[INSPECTIONS_NAME_SZ];
	char visited_on[11];
	char inspectors[INSPECTIONS_TEXT_SZ];
	char summary[INSPECTIONS_TEXT_SZ];
	int n_pass, n_fail, n_na, n_findings, n_items, n_open_items;
	char created_at[32];
	char created_by[64];
};

struct inspections_result {
	int64_t item_id;
	char code[40];
	char category[INSPECTIONS_NAME_SZ];
	char label[INSPECTIONS_NAME_SZ * 2];
	char result[8];
	char note[INSPECTIONS_TEXT_SZ];
};

struct inspections_finding {
	int64_t id;
	int64_t item_id;
	char item_label[INSPECTIONS_NAME_SZ * 2];
	char description[INSPECTIONS_TEXT_SZ];
	int fixed_on_site;
	int64_t rectification_id; /* 0 when fixed on site */
};

struct inspections_rect; /* below */

struct inspections_detail {
	struct inspections_visit v;
	int n_results;
	struct inspections_result *results;
	int n_findings;
	struct inspections_finding *findings;
	int n_rects;
	struct inspections_rect *rects;
};

int inspections_get(struct db *db, const struct actor *a, int64_t id,
		    struct inspections_detail *out, struct err *e);
void inspections_detail_release(struct inspections_detail *d);

struct inspections_query {
	char region[16];      /* narrowing region prefix ("" = the whole scope) */
	int64_t team_id;
	int64_t institution_id;
	char from[11], to[11]; /* visited_on range, inclusive ("" = open) */
	int limit, offset;
};

struct inspections_page {
	int64_t total;
	int n;
	struct inspections_visit *items;
};

/* Newest visits first. */
int inspections_list(struct db *db, const struct actor *a, const struct inspections_query *q,
		     struct inspections_page *out, struct err *e);
void inspections_page_release(struct inspections_page *p);

/* ---- rectification items (inspections_rect.c) ------------------------------------------ */

struct inspections_rect {
	int64_t id;
	int64_t inspection_id;
	int64_t finding_id;
	char inspector_region[16];
	char owner_kind[16];
	char region_code[16]; /* the owner's region: the scope of the item */
	char region_name[128];
	char unit_code[16];   /* the owner's management unit */
	int64_t institution_id;
	char owner_name[INSPECTIONS_NAME_SZ];
	char finding[INSPECTIONS_TEXT_SZ];
	char requirement[INSPECTIONS_TEXT_SZ];
	char deadline[11];
	int status;
	char evidence[INSPECTIONS_TEXT_SZ];
	char submitted_on[11];
	char submitted_by[64];
	char verified_on[11];
	char verified_by[64];
	char last_note[INSPECTIONS_TEXT_SZ]; /* the last rejection / reopening / extension reason */
	int reopened_count;
	char visited_on[11];
	char target_name[INSPECTIONS_NAME_SZ];
	char team_name[INSPECTIONS_NAME_SZ];
	char created_at[32];
	char updated_at[32];
	/* computed for the day the list was asked for (as_of) */
	int overdue, days_overdue, due_soon;
	int closed_late; /* submitted after the deadline */
};

struct inspections_rect_event {
	int64_t id;
	char action[16];
	char from_status[16], to_status[16];
	char on[11];     /* the day it happened */
	char at[32];     /* when it was recorded */
	char by[64];
	char note[INSPECTIONS_TEXT_SZ];
	char deadline[11]; /* the deadline after the action */
};

struct inspections_rect_detail {
	struct inspections_rect r;
	int n_events;
	struct inspections_rect_event *events;
};

struct inspections_rect_query {
	char region[16];
	char status[16];   /* a status name, "pending" (open, in_progress, reopened), or "" */
	int overdue;       /* only items overdue on as_of */
	char as_of[11];    /* "" = today */
	int64_t inspection_id;
	int64_t team_id;
	int limit, offset;
};

struct inspections_rect_page {
	int64_t total;
	char as_of[11];
	int n;
	struct inspections_rect *items;
};

/* Items in scope: the overdue list (overdue = 1) is ordered by deadline, oldest first; other
 * lists by deadline then id. */
int inspections_rect_list(struct db *db, const struct actor *a,
			  const struct inspections_rect_query *q, struct inspections_rect_page *out,
			  struct err *e);
void inspections_rect_page_release(struct inspections_rect_page *p);

int inspections_rect_get(struct db *db, const struct actor *a, int64_t id,
			 struct inspections_rect_detail *out, struct err *e);
void inspections_rect_detail_release(struct inspections_rect_detail *d);

struct inspections_rect_action_in {
	int action;          /* enum inspections_action */
	char on[11];         /* the day it happened, "" = today; not in the future, not before the
			      * item's last event */
	char text[INSPECTIONS_TEXT_SZ]; /* submit: the evidence (required); reject, reopen,
					 * extend: the reason (required); start, verify: a note */
	char deadline[11];   /* extend: the new deadline, later than the current one */
};

/* Act on an item (rules in inspections_next_status and the top of this file). One
 * transaction with its event row and audit row (inspection.rect.<action>). */
int inspections_rect_act(struct db *db, const struct actor *a, int64_t id,
			 const struct inspections_rect_action_in *in, struct err *e);

/* The dashboard's counts over the items in scope on day as_of ("" = today). */
struct inspections_unit_counts {
	char unit_code[16];
	char unit_name[128];
	int64_t total, pending, submitted, verified, overdue, due_soon;
};

struct inspections_summary {
	char as_of[11];
	int64_t total;
	int64_t by_status[INSPECTIONS_NSTATUS];
	int64_t overdue, due_soon, closed_late;
	int n_units;
	struct inspections_unit_counts *units; /* malloc'd; by unit code */
};

int inspections_rect_summary(struct db *db, const struct actor *a, const char *region,
			     const char *as_of, struct inspections_summary *out, struct err *e);
void inspections_summary_release(struct inspections_summary *s);

/* ---- JSON (inspections_api.c): the API's shapes, shared with the CLI ---------------------- */

/* Parse a team / an inspection from a JSON object as POST /api/v1/inspection-teams and
 * POST /api/v1/inspections take it (400 invalid_value with the field on a wrong type).
 * inspections_record_release frees what inspections_record_from_json allocated (also after a
 * failure). */
int inspections_team_from_json(json_t *b, struct inspections_team_in *in, struct err *e);
int inspections_record_from_json(json_t *b, struct inspections_in *in, struct err *e);
void inspections_record_release(struct inspections_in *in);
/* New references (NULL when out of memory). */
json_t *inspections_team_json(const struct inspections_team *t);
json_t *inspections_visit_json(const struct inspections_visit *v);
json_t *inspections_detail_json(const struct inspections_detail *d);
json_t *inspections_rect_json(const struct inspections_rect *r);

/* ---- the demo step (src/demo/demo_inspections.c) ---------------------------------------- */

struct demo_options;
struct demo_report;

/* The demo city's six teams, their visits to every county-level unit and to a sample of
 * institutions in 2020-02..2020-04, findings and rectification items (mostly verified, a few
 * still open or overdue): one transaction, one audit row, a pure function of the seed. Runs
 * after the institutions step (it samples their institutions when the registry has any). */
int demo_inspections(struct db *db, const struct actor *sys, const struct demo_options *o,
		     struct demo_report *r, struct err *e);

#endif
