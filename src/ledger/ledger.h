/* ledger.h — 特殊困难群众台账 (the hardship ledger): public face.
 * (Owned by the ledger module: ledger_rules.c the pure rules — categories, visit frequency,
 * due dates, visit modes, needs; ledger_schema.c the tables; ledger_store.c entries, visits,
 * needs, helpers and township contacts; ledger_sync.c who joins and leaves the ledger;
 * ledger_report.c the overdue list and the statistics; ledger_api.c the routes.
 * docs/ledger.md explains it for people.)
 *
 * The ledger is each village's live list of the people who need watching. One entry is one
 * registry person (its id is the person's id): a 低保 household appears as its head, everyone
 * else as themselves. An entry carries hardship categories — those that follow from the registry
 * tags and the assistance rolls (auto, kept by the sync) and those recorded by hand (manual) —,
 * an assigned helper (包帮责任人: a user, with a name and phone for the household to call), its
 * visits (走访探视) with the needs collected on them, and a status (active, or closed with a
 * reason).
 *
 * Visits are due by category: the most demanding category's frequency (policy parameters
 * ledger_visit_days_<category>, in force in the month of the last visit for the entry's
 * management unit) after the last visit; an entry never visited is due on the day it joined.
 * The entry keeps last_visit_on and next_due, updated in the visit's own transaction, so the
 * overdue list of a village, township or county is an index range over (area, next_due) and
 * never reads the visits.
 *
 * Errors (struct err): 400 required / invalid_value / invalid_phone (with the field);
 * 403 forbidden (no ledger permission, or unmask without registry.unmask); 404 not_found (no
 * such entry or region, or outside the caller's scope — existence is never revealed) and the
 * policy module's 404 policy_missing (no visit frequency in force); 409 entry_exists,
 * entry_closed, entry_open, no_category, person_removed, need_closed, need_relief (a need that
 * already has a temporary-assistance grant), invalid_helper. Every write is one transaction with
 * its audit row (ledger.add, ledger.update, ledger.assign, ledger.close, ledger.reopen,
 * ledger.visit, ledger.need, ledger.relief, ledger.contact, ledger.sync, ledger.unmask).
 */
#ifndef MZ_LEDGER_H
#define MZ_LEDGER_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

struct job_ctx;

extern const char ledger_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route ledger_routes[];

/* ------------------------------------------------------------------------------------------ */
/* rules (ledger_rules.c): pure, no I/O                                                        */
/* ------------------------------------------------------------------------------------------ */

/* The hardship categories, in display order. The bit of category i is 1u << i. */
enum ledger_category {
	LEDGER_CAT_ELDERLY_ALONE = 0,	/* 独居老人 */
	LEDGER_CAT_LEFT_BEHIND_ELDERLY, /* 留守老人 */
	LEDGER_CAT_LEFT_BEHIND_CHILD,	/* 留守儿童 */
	LEDGER_CAT_ORPHAN,		/* 孤儿 */
	LEDGER_CAT_UNSUPPORTED_CHILD,	/* 事实无人抚养儿童 */
	LEDGER_CAT_CHILD_IN_DIFFICULTY, /* 困境儿童 */
	LEDGER_CAT_SEVERELY_DISABLED,	/* 重度残疾人 */
	LEDGER_CAT_SERIOUSLY_ILL,	/* 重病患者 */
	LEDGER_CAT_COVID_FAMILY,	/* 新冠肺炎患者家庭 */
	LEDGER_CAT_ISOLATED_FAMILY,	/* 隔离家庭 */
	LEDGER_CAT_DIBAO,		/* 低保对象 */
	LEDGER_CAT_TEKUN,		/* 特困人员 */
	LEDGER_CAT_OTHER,		/* 其他困难群众 */
	LEDGER_NCAT
};

#define LEDGER_CAT_BIT(c) (1u << (c))
#define LEDGER_CAT_ALL ((1u << LEDGER_NCAT) - 1u)

struct ledger_category_def {
	const char *code;	/* "elderly_alone" … as stored and in the API */
	const char *label;	/* Chinese */
	const char *tag;	/* the registry person tag that brings a person in, or NULL */
	const char *program;	/* the assistance program whose roll brings a person in, or NULL */
	const char *policy_key; /* the visit frequency parameter (days) */
	int manual;		/* 1 when it may be recorded by hand (not 低保/特困: the rolls decide) */
};

/* The table (LEDGER_NCAT rows, in enum order). */
const struct ledger_category_def *ledger_category_defs(void);
/* The category named code, or -1. */
int ledger_category_find(const char *code);
/* The bit a registry tag / an assistance program brings, 0 when none. */
unsigned ledger_category_for_tag(const char *tag);
unsigned ledger_category_for_program(const char *program);
/* Categories as codes: parse a list of codes into a mask (400 invalid_value naming
 * field[i]; with manual_only, 低保/特困 are refused too). */
int ledger_categories_parse(const char *const *codes, int n, int manual_only, const char *field,
			    unsigned *mask, struct err *e);

/* The visit frequency of a set of categories: the smallest number of days among them
 * (days[i] is category i's parameter; 0 = not in force). *days_out the frequency, *cat_out
 * the category that sets it. 0, or -1 with e: 409 no_category (empty mask), 404 policy_missing
 * (a category of the mask has no parameter in force). */
int ledger_frequency(unsigned mask, const int days[LEDGER_NCAT], int *days_out, int *cat_out,
		     struct err *e);

/* Dates: "YYYY-MM-DD", proleptic Gregorian. */
int ledger_date_valid(const char *d);
/* d + n days into out[11]; -1 when d is not a date or the result leaves 1900–9999. */
int ledger_date_add(const char *d, int n, char out[11]);
/* a − b in days (both valid dates). */
int ledger_date_diff(const char *a, const char *b);

/* When the next visit is due: last_visit_on + freq_days; an entry never visited ("" last visit)
 * is due the day it joined; freq_days 0 (no parameter in force) keeps it due at the last visit
 * day. out[11]. */
void ledger_next_due(const char *joined_on, const char *last_visit_on, int freq_days, char out[11]);
/* Days past due on as_of: as_of − next_due (0 = due today; negative = not yet due). */
int ledger_days_overdue(const char *next_due, const char *as_of);

/* Visit modes: home phone wechat other survey (摸底). */
int ledger_mode_valid(const char *mode);
const char *ledger_mode_label(const char *mode);
/* Need kinds: food medicine masks care money other. */
int ledger_need_kind_valid(const char *kind);
const char *ledger_need_kind_label(const char *kind);
/* A need is open until it is resolved as met (已解决) or unmet (无法解决, with the reason);
 * a resolved need stays resolved (409 need_closed). to: "met" | "unmet". */
int ledger_need_resolve_check(const char *from, const char *to, struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* entries, visits, needs (ledger_store.c)                                                     */
/* ------------------------------------------------------------------------------------------ */

#define LEDGER_NOTE_CHARS 200
#define LEDGER_TEXT_CHARS 500
#define LEDGER_NAME_CHARS 30
#define LEDGER_VISITOR_CHARS 60
#define LEDGER_SZ(chars) ((chars) * 4 + 1)
#define LEDGER_MAX_NEEDS 10 /* per visit */
#define LEDGER_PAGE_MAX 200
#define LEDGER_VISITS_SHOWN 200 /* newest visits an entry's detail carries */

struct ledger_helper {
	int64_t user_id; /* 0 = none assigned */
	char username[64];
	char role[32];
	char region_code[16];
	char name[LEDGER_SZ(LEDGER_NAME_CHARS)];
	char phone[24];
	int64_t entries; /* active entries assigned (lists of helpers) */
};

struct ledger_entry {
	int64_t id; /* = the person's id */
	int64_t household_id;
	char region_code[16];
	char region_name[128];
	char unit_code[16];
	/* the person (registry), id_number and phone unmasked: mask before showing */
	char name[LEDGER_SZ(LEDGER_NAME_CHARS)];
	char sex[8];
	char birth_date[11];
	char id_number[19];
	char phone[24];
	char address[LEDGER_SZ(200)];
	char person_status[8]; /* active removed */
	unsigned auto_categories, manual_categories, categories;
	int frequency_days; /* 0 = no parameter in force */
	char status[8];	    /* active closed */
	char close_kind[8]; /* "" manual auto */
	char close_reason[LEDGER_SZ(LEDGER_NOTE_CHARS)];
	char closed_on[11];
	char joined_on[11];
	char source[8]; /* auto manual */
	struct ledger_helper helper;
	char note[LEDGER_SZ(LEDGER_NOTE_CHARS)];
	char last_visit_on[11];
	char next_due[11];
	int64_t visits;
	int64_t open_needs;
	char created_at[32], updated_at[32];
};

struct ledger_visit {
	int64_t id;
	int64_t entry_id;
	char region_code[16];
	char visited_on[11];
	char mode[8];
	char visitor[LEDGER_SZ(LEDGER_VISITOR_CHARS)];
	char findings[LEDGER_SZ(LEDGER_TEXT_CHARS)];
	char actions[LEDGER_SZ(LEDGER_TEXT_CHARS)];
	char due_on[11];   /* when this visit was due */
	char next_due[11]; /* when the next one became due */
	int late_days;	   /* visited_on − due_on when positive */
	char recorded_by[64], recorded_at[32];
};

struct ledger_need {
	int64_t id;
	int64_t entry_id;
	int64_t visit_id;
	char kind[12];
	char detail[LEDGER_SZ(LEDGER_NOTE_CHARS)];
	char raised_on[11];
	char status[8]; /* open met unmet */
	char resolved_on[11];
	char resolution[LEDGER_SZ(LEDGER_NOTE_CHARS)];
	char resolved_by[64];
	int64_t relief_grant_id; /* a temporary-assistance grant opened for it, 0 = none */
};

struct ledger_contact {
	char township_code[16];
	char township_name[128];
	char phone[24]; /* "" = not set */
	char note[LEDGER_SZ(100)];
	char set_by[64], set_at[32];
};

struct ledger_entry_detail {
	struct ledger_entry entry;
	int unmasked;
	int n_visits;
	struct ledger_visit *visits; /* newest first, at most LEDGER_VISITS_SHOWN */
	int64_t visits_total;
	int n_needs;
	struct ledger_need *needs; /* open first, then newest */
	struct ledger_contact contact; /* the township's 24-hour number */
};

/* An entry in scope with its visits, needs and the township's contact. unmask = 1 needs
 * registry.unmask (403) and is audited (ledger.unmask) before the data is returned. Release with
 * ledger_entry_detail_release. */
int ledger_entry_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct ledger_entry_detail *out, struct err *e);
void ledger_entry_detail_release(struct ledger_entry_detail *d);

struct ledger_query {
	char region[16];    /* "" or a code prefix narrowing the scope (must overlap it: else 404) */
	char category[32];  /* "" or one category code */
	char status[8];	    /* "" = active, active, closed, all */
	int due;	    /* 1: only entries due by as_of (next_due <= as_of) */
	char as_of[11];	    /* "" = today */
	int64_t helper;	    /* 0 = any; else the helper's user id */
	char q[LEDGER_SZ(LEDGER_NAME_CHARS)]; /* "" or a name prefix */
	int limit;	    /* 1..LEDGER_PAGE_MAX, 0 = 20 */
	int64_t offset;
};

struct ledger_page {
	int n;
	struct ledger_entry *items; /* malloc'd: ledger_page_release */
	int64_t total;
};

/* Entries in scope: active first, by next_due (the most overdue first), then id. */
int ledger_entry_list(struct db *db, const struct actor *a, const struct ledger_query *q,
		      struct ledger_page *out, struct err *e);
void ledger_page_release(struct ledger_page *p);

/* Adding by hand: a registry person in scope (active) with the categories seen (manual ones:
 * not 低保/特困) and a note. 409 entry_exists when the person already has an active entry; a
 * closed entry is reopened with these categories. The entry is due at once. */
struct ledger_add_in {
	int64_t person_id;
	unsigned manual_categories; /* at least one */
	char note[LEDGER_SZ(LEDGER_NOTE_CHARS)];
	char joined_on[11]; /* "" = today */
};
/* Called inside the caller's write transaction (an import, which runs ledger_refresh before
 * beginning it), ledger_entry_add and ledger_entry_assign write into it and leave the commit or
 * rollback to the caller. */
int ledger_entry_add(struct db *db, const struct actor *a, const struct ledger_add_in *in,
		     struct err *e);

/* Change the hand-recorded categories (has_categories) and/or the note (note != NULL). The
 * frequency and the due date follow the categories. 409 no_category when an active entry
 * would be left with none. */
int ledger_entry_update(struct db *db, const struct actor *a, int64_t id, int has_categories,
			unsigned manual_categories, const char *note, struct err *e);

/* Assign the helper: a user (by id or username) whose scope covers the entry's village and
 * who works the ledger (409 invalid_helper otherwise), with the name and phone the household
 * is given (kept per helper: "" keeps what is on file; required the first time). */
struct ledger_assign_in {
	int64_t user_id;
	char username[64];
	char name[LEDGER_SZ(LEDGER_NAME_CHARS)];
	char phone[48];
};
int ledger_entry_assign(struct db *db, const struct actor *a, int64_t id,
			const struct ledger_assign_in *in, struct err *e);

/* Close an active entry by hand with the reason (required); the sync never reopens it. */
int ledger_entry_close(struct db *db, const struct actor *a, int64_t id, const char *reason,
		       struct err *e);
/* Reopen a closed entry (409 entry_open when active; 409 no_category without categories; 409
 * person_removed when the person has left the registry). */
int ledger_entry_reopen(struct db *db, const struct actor *a, int64_t id, struct err *e);

struct ledger_need_in {
	char kind[12];
	char detail[LEDGER_SZ(LEDGER_NOTE_CHARS)];
};

struct ledger_resolve_in {
	int64_t need_id;
	char status[8]; /* met unmet */
	char resolution[LEDGER_SZ(LEDGER_NOTE_CHARS)]; /* required for unmet */
	char date[11];	/* "" = today (a visit: its date) */
};

/* A visit: the day (not in the future), the mode, who visited ("" = the recording user), what
 * was found and done, the needs collected, and earlier needs settled on this visit. */
struct ledger_visit_in {
	char visited_on[11]; /* "" = today */
	char mode[8];
	char visitor[LEDGER_SZ(LEDGER_VISITOR_CHARS)];
	char findings[LEDGER_SZ(LEDGER_TEXT_CHARS)];
	char actions[LEDGER_SZ(LEDGER_TEXT_CHARS)];
	int n_needs;
	struct ledger_need_in needs[LEDGER_MAX_NEEDS];
	int n_resolve;
	struct ledger_resolve_in resolve[LEDGER_MAX_NEEDS];
};

/* Record a visit on an active entry (409 entry_closed). When it is the latest, the entry's
 * last_visit_on becomes its day and next_due that day + the frequency in force that month
 * (404 policy_missing when none). *visit_id the visit. */
int ledger_visit_add(struct db *db, const struct actor *a, int64_t id,
		     const struct ledger_visit_in *in, int64_t *visit_id, struct err *e);

/* Settle one open need of the entry (404 not_found when the need is not this entry's). */
int ledger_need_resolve(struct db *db, const struct actor *a, int64_t id,
			const struct ledger_resolve_in *in, struct err *e);

/* A need opening a temporary-assistance case (临时救助) in one step: the relief module's
 * relief_apply in the same transaction, on behalf of the entry's person ("ledger_visit",
 * source "ledger_visit:<visit id>"), the need linked to the grant. */
struct ledger_relief_in {
	int64_t need_id;
	char kind[16];	/* emergency expense */
	char cause[32];
	int64_t amount_fen;
	char form[8];	/* cash goods */
	char goods_note[LEDGER_SZ(LEDGER_NOTE_CHARS)];
	int pay_first;
	char reason[LEDGER_SZ(LEDGER_NOTE_CHARS)];
};
int ledger_need_relief(struct db *db, const struct actor *a, int64_t id,
		       const struct ledger_relief_in *in, int64_t *grant_id, struct err *e);

/* ---- helpers and township contacts ---- */

/* Users in scope (narrowed to region) who work the ledger, with the name and phone on file
 * and their active entries; ordered by region, username. fn returns non-zero to stop. */
int ledger_helpers(struct db *db, const struct actor *a, const char *region,
		   int (*fn)(const struct ledger_helper *h, void *ctx), void *ctx, struct err *e);

/* Set a township's 24-hour contact number. The caller's scope must cover the whole township
 * (township, county and city users; else 404). phone required and valid. */
int ledger_contact_set(struct db *db, const struct actor *a, const char *township,
		       const char *phone, const char *note, struct err *e);

/* The printable notice of a village or township in scope: the township's 24-hour number and
 * the helpers of its active entries (name, phone, how many they look after) — never the names
 * of the people on the ledger. */
struct ledger_notice {
	char region_code[16];
	char region_name[128];
	int level; /* 4 township, 5 village */
	struct ledger_contact contact;
	int n_helpers;
	struct ledger_helper *helpers; /* malloc'd: free() */
	int64_t entries;	       /* active entries in the region */
	int64_t unassigned;	       /* of them without a helper */
};
int ledger_notice_get(struct db *db, const struct actor *a, const char *code,
		      struct ledger_notice *out, struct err *e);

/* ------------------------------------------------------------------------------------------ */
/* the overdue list and statistics (ledger_report.c)                                           */
/* ------------------------------------------------------------------------------------------ */

struct ledger_group {
	char region_code[16];
	char name[128];
	int64_t active;	 /* active entries */
	int64_t overdue; /* of them due by as_of */
};

struct ledger_overdue {
	char as_of[11];
	char region[16]; /* the area listed ("" = the caller's whole scope) */
	struct ledger_page page;
	int n_groups;
	struct ledger_group *groups; /* one level below the area (malloc'd) */
};

/* Active entries in scope (narrowed to region) due by as_of ("" = today): next_due <= as_of,
 * the most overdue first, one page and the total; with groups, also the active and overdue
 * counts per township (a county's list), per village (a township's) or per county (the city's).
 * The hot path: an index range over (area, next_due); docs/bench.md has the figures. Release
 * with ledger_overdue_release. */
int ledger_overdue_list(struct db *db, const struct actor *a, const char *region,
			const char *as_of, int limit, int64_t offset, int groups,
			struct ledger_overdue *out, struct err *e);
void ledger_overdue_release(struct ledger_overdue *o);

/* Figures for months from..to ("YYYY-MM", inclusive) per region one level below the area. */
struct ledger_figures {
	char region_code[16];
	char name[128];
	int64_t entries;			/* active at the end of the period */
	int64_t by_category[LEDGER_NCAT];	/* of them, with each category */
	int64_t joined, closed;			/* during the period */
	int64_t visits;				/* visits made in the period */
	int64_t visits_by_mode[5];		/* home phone wechat other survey */
	int64_t late_visits;			/* of them made after they were due */
	int64_t overdue;			/* entries due and not visited at the end */
	int64_t needs_raised, needs_met, needs_unmet; /* raised / settled in the period */
	int64_t needs_open;			/* open at the end */
};

struct ledger_stats {
	char from[8], to[8];
	char end[11]; /* the day the end-of-period figures are taken (the last day, or today) */
	char region[16];
	int n;
	struct ledger_figures *items; /* malloc'd */
	struct ledger_figures total;
};

int ledger_stats_get(struct db *db, const struct actor *a, const char *from, const char *to,
		     const char *region, struct ledger_stats *out, struct err *e);
void ledger_stats_release(struct ledger_stats *s);

/* Two of those figures, cheaply, by county (the first six digits of the entries' codes): on the
 * ledger at `end` and, of them, due but not visited by then — exactly as ledger_stats_get counts
 * them. In the actor's scope, narrowed to `county` ("" = all); fn per county in any order
 * (non-zero stops). Needs the ledger permission (403). The leadership dashboard uses it. */
int ledger_end_by_county(struct db *db, const struct actor *a, const char *county,
			 const char *end,
			 int (*fn)(const char *county6, int64_t entries, int64_t overdue, void *ctx),
			 void *ctx, struct err *e);
/* The statistics as the API answers them (ledger_api.c; the CLI prints the same). New reference. */
json_t *ledger_stats_json(const struct ledger_stats *s);

/* ------------------------------------------------------------------------------------------ */
/* joining and leaving (ledger_sync.c)                                                          */
/* ------------------------------------------------------------------------------------------ */

/* Who is on the ledger follows from the registry and the rolls: a person with a hardship tag,
 * the head of a household on the 低保 roll, a person on the 特困 roll or receiving an orphan's
 * or unsupported child's allowance (cases active or in phase-out). Triggers on the registry's
 * and the assistance module's tables note which persons changed (ledger_dirty); the sync turns
 * that into entries:
 *   - a person who qualifies and has no entry joins (source auto, due at once), with a default
 *     helper: the village's one village worker, else the township's one assistant (none when
 *     there is no single such user);
 *   - an entry's auto categories follow the person's tags and rolls; its village follows moves;
 *   - an entry left with no category is closed (close_kind auto, reason "no longer eligible");
 *     one whose person was removed from the registry is closed (reason "removed");
 *   - an entry closed automatically reopens when the person qualifies again; one closed by hand
 *     stays closed.
 * Idempotent: a second run changes nothing. */

struct ledger_sync_result {
	int64_t examined; /* persons looked at */
	int64_t joined, updated, closed, reopened;
};

/* The changes noted since the last sync, city-wide (any caller with the ledger permission;
 * it reveals nothing): run before the ledger is read or written, so the lists are live. One
 * transaction with one ledger.sync audit row when anything was pending; nothing when not. */
int ledger_refresh(struct db *db, const struct actor *a, struct err *e);

/* Every person in the actor's scope (narrowed to region, "" = all), whatever is noted: the
 * CLI's `ledger sync`, the job ledger.sync and the demo. today "" = the clock's (entries join on
 * it). One transaction with its audit row. */
int ledger_sync(struct db *db, const struct actor *a, const char *region, const char *today,
		struct ledger_sync_result *out, struct err *e);

/* The job kind "ledger.sync" (jobs_kinds.c): params {"region"}; result the counts. */
int ledger_job_sync(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		    json_t **result, struct err *e);

#endif
