/* institutions.h — 机构、日报告与零报告: public face.
 * (Owned by the institutions module: institutions_rules.c the pure rules — report validation,
 * the zero report's carry-over, deadlines and lateness, completeness and timeliness, alert
 * conditions —, institutions_schema.c the tables, institutions_store.c the registry and its
 * reporters, institutions_reports.c daily reports, corrections, alerts and chasing,
 * institutions_stats.c the call list, the dashboard and the period report, institutions_api.c
 * the routes. docs/institutions.md explains it for people.)
 *
 * The city's service institutions (elderly homes, the children's welfare home, rescue stations,
 * funeral homes, marriage offices, lottery outlets, other) each file a daily report, and a zero
 * report ("nothing abnormal today", headcounts carried from the previous report) when nothing
 * happened. A missing report is itself an alarm: the county sees, per day, who was expected
 * (institutions open that day), who reported, on time (by the deadline of the institution's
 * type, a policy parameter) or late, and who has not; it calls them and logs the chasing.
 * Any fever, suspected, confirmed, isolated or death count above zero, and any closed
 * institution whose residents or staff moved, raises an alert that the county or city
 * acknowledges and closes with an action.
 *
 * Completeness and timeliness are kept incrementally: each report's transaction adds itself to
 * inst_report_stats (day × township × type: received, on time, zero), nothing is recomputed in
 * batches. Expected reports are counted from the registry's opening and closing dates when read
 * (a report is refused for a day its institution was not open, and the dates cannot be moved
 * past a filed report), so a rate never exceeds 100 %.
 *
 * Access: every function takes the acting user. Reading needs institution.read and scope (the
 * institution's region code under the caller's scope; out of scope is 404 not_found, never 403);
 * the registry, alerts and chasing need institution.manage. A reporter (institution.report) is
 * attached to one institution (institution_reporters) and files and reads that one only,
 * whatever their region scope; a county or city user with institution.manage may file on an
 * institution's behalf (代报, recorded). Contact phones are masked unless the caller has
 * registry.unmask and asks (audited, institution.unmask).
 *
 * Time: all in Asia/Shanghai. Functions that depend on the time of day take `at`
 * ("YYYY-MM-DDTHH:MM:SS+08:00"; NULL or "" = now): the API never passes it, the CLI's --at and
 * the unit tests do.
 *
 * Errors (struct err): 400 required / invalid_value / invalid_phone / invalid_region (with the
 * field), 403 forbidden / out_of_scope, 404 not_found / not_attached / policy_missing,
 * 409 report_exists / institution_not_open / carry_changed / reports_outside_period /
 * already_reported / alert_state, 500 internal. Every write is one transaction with its audit
 * row; on any error nothing changes.
 */
#ifndef MZ_INSTITUTIONS_H
#define MZ_INSTITUTIONS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char institutions_schema_v1[];

/* The module's routes (institutions_api.c), ending with {0}: see docs/api.md, "Institutions". */
extern const struct api_route institutions_routes[];

#define INSTITUTIONS_NAME_CHARS 60
#define INSTITUTIONS_ADDRESS_CHARS 200
#define INSTITUTIONS_CONTACT_CHARS 30
#define INSTITUTIONS_NOTE_CHARS 500
#define INSTITUTIONS_NAME_SZ (INSTITUTIONS_NAME_CHARS * 4 + 1)
#define INSTITUTIONS_ADDRESS_SZ (INSTITUTIONS_ADDRESS_CHARS * 4 + 1)
#define INSTITUTIONS_CONTACT_SZ (INSTITUTIONS_CONTACT_CHARS * 4 + 1)
#define INSTITUTIONS_NOTE_SZ (INSTITUTIONS_NOTE_CHARS * 4 + 1)
#define INSTITUTIONS_MAX_COUNT 100000   /* any head count or case count in one report */
#define INSTITUTIONS_MAX_GOODS_DAYS 3650
#define INSTITUTIONS_MAX_REPORTERS 20   /* listed per institution */
#define INSTITUTIONS_MAX_DAYS 400       /* a period report or trend spans at most this many days */
#define INSTITUTIONS_TRACE_SZ 1024      /* a version's "what changed" JSON */

/* ================================================================ types (rules) */

enum { INSTITUTIONS_NTYPES = 7 };

struct institutions_type {
	const char *code;          /* elderly_home children_welfare_home rescue_station funeral_home
				    * marriage_office lottery_outlet other */
	const char *label;         /* 养老机构 … */
	int has_residents;         /* the report has residents, admissions, departures */
	const char *deadline_key;  /* its policy key: institution_deadline_<code> */
};

/* The types in display order (*n = INSTITUTIONS_NTYPES). */
const struct institutions_type *institutions_types(int *n);
/* The type with this code, NULL when unknown. */
const struct institutions_type *institutions_type_find(const char *code);

/* ================================================================ report fields (rules) */

enum institutions_field {
	INST_RESIDENTS,   /* residents_present: residents in the institution today */
	INST_STAFF,       /* staff_on_site */
	INST_ADMISSIONS,  /* admissions today */
	INST_DEPARTURES,  /* departures today (discharges, hospital, home) */
	INST_CHECKS,      /* temperature_checks: persons whose temperature was taken */
	INST_FEVER,       /* new fever cases (≥ 37.3 °C) today */
	INST_SUSPECTED,   /* new suspected cases today */
	INST_CONFIRMED,   /* new confirmed cases today */
	INST_ISOLATED,    /* persons in isolation today */
	INST_DEATHS,      /* deaths today */
	INST_GOODS_DAYS,  /* days the goods on hand last (optional) */
	INSTITUTIONS_NFIELDS
};

/* JSON / SQL column name and Chinese label of a field. */
extern const char *const institutions_field_names[INSTITUTIONS_NFIELDS];
extern const char *const institutions_field_labels[INSTITUTIONS_NFIELDS];
/* The field with this name, -1 when none. */
int institutions_field_index(const char *name);

/* A report as filed (POST …/reports, `minzheng institutions report`). present has bit (1u << f)
 * for each field given; absent fields of a zero report are carried, of a daily report are
 * blank (NULL). */
struct institutions_report_in {
	char report_date[16];
	char kind[8];        /* daily | zero */
	uint32_t present;
	int64_t v[INSTITUTIONS_NFIELDS];
	char note[INSTITUTIONS_NOTE_SZ];
	char reason[INSTITUTIONS_NOTE_SZ]; /* correction reason: required to change a filed report */
	const char *at;      /* NULL or "": now */
};

/* ================================================================ dates and times (rules) */

/* "YYYY-MM-DD", a real calendar day between 1900 and 2999. */
int institutions_date_valid(const char *s);
/* Days since 1970-01-01 of a valid date. */
int64_t institutions_day(const char *date);
/* The date of a day number into out[11]. */
void institutions_day_date(int64_t day, char out[11]);
/* date + n days into out[11]. */
void institutions_date_add(const char *date, int n, char out[11]);
/* "YYYY-MM-DDTHH:MM:SS+08:00" (the form clock_now_iso writes). */
int institutions_at_valid(const char *at);
/* at, or the current time when at is NULL or "", into out[32]. */
void institutions_now(const char *at, char out[32]);
/* The deadline of a report for `date`, `minutes` after its midnight (0–1440), as an at string
 * into out[32]: 600 → "2020-03-01T10:00:00+08:00", 1440 → the next day's "T00:00:00". */
void institutions_deadline_at(const char *date, int64_t minutes, char out[32]);
/* 1 when submitted_at is at or before deadline_at (both at strings). */
int institutions_on_time(const char *submitted_at, const char *deadline_at);
/* 1 when an institution opened on opened_on and closed on closed_on ("" = still open; the
 * closing day itself is not open) is open on date. */
int institutions_open_on(const char *opened_on, const char *closed_on, const char *date);
/* 1 when closed management (cm_from "" = none; cm_to "" = ongoing, else its last day) covers
 * date. */
int institutions_cm_on(const char *cm_from, const char *cm_to, const char *date);

/* A day's state for one institution: "closed" (not open, nothing expected), "on_time",
 * "late", "due" (no report, deadline not passed), "overdue" (no report, deadline passed). */
const char *institutions_day_status(int open, int has_report, int on_time, const char *now,
				    const char *deadline_at);

/* ================================================================ rules on reports */

/* Check a report before it is written, for an institution of type t. A daily report needs every
 * field that applies to its type except goods_days (blank is not zero: 400 required), each
 * 0..INSTITUTIONS_MAX_COUNT (goods 0..INSTITUTIONS_MAX_GOODS_DAYS), fever ≤ temperature checks
 * ≤ residents + staff, suspected, confirmed and isolated ≤ residents + staff; types without
 * residents take none (400 invalid_value). A zero report takes only residents_present and
 * staff_on_site, as the confirmation of the carried headcounts. note ≤ 500 characters. Also
 * checks report_date and kind. Normalizes in place (absent fields become 0 and not present). */
int institutions_report_check(const struct institutions_type *t, struct institutions_report_in *in,
			      struct err *e);

/* The values of a zero report: residents, staff and goods days carried from `carry` (the
 * previous report, or the registry's headcounts when there is none: carry_present says which
 * were known), temperature checks = residents + staff (everyone checked, none with fever),
 * every other count 0. out_present gets the fields that are set (goods days only when carried). */
void institutions_zero_values(const struct institutions_type *t, const int64_t carry[INSTITUTIONS_NFIELDS],
			      uint32_t carry_present, int64_t out[INSTITUTIONS_NFIELDS],
			      uint32_t *out_present);

enum institutions_alert_bits {
	INST_ALERT_HEALTH = 1u << 0,   /* fever, suspected, confirmed, isolated or deaths > 0 */
	INST_ALERT_MOVEMENT = 1u << 1, /* under closed management and residents or staff moved */
};

/* Which alerts a report raises: health when any of fever, suspected, confirmed, isolated, deaths
 * is above zero; movement when the institution is under closed management that day and there
 * were admissions or departures, or residents present or staff on site differ from `base` (the
 * previous report's, or the registry's). Summaries in Chinese ("发热 1 人，隔离 2 人";
 * "在院人数 80→79，离开 1 人") into health[n] / movement[n]. */
unsigned institutions_alert_check(const int64_t v[INSTITUTIONS_NFIELDS],
				  const int64_t base[INSTITUTIONS_NFIELDS], int under_cm,
				  char *health, size_t health_n, char *movement, size_t movement_n);

/* Alert states: open → acknowledged (ack) → closed (close, with an action). 0 when the action
 * is allowed from `status`, else 409 alert_state. action: "ack" or "close". */
int institutions_alert_transition(const char *status, const char *action, struct err *e);

/* What changed between two versions of a report as a JSON object {"field":[old,new],…} into
 * out (kind as strings, blank values as null); 0 changed fields gives "{}". Returns the number
 * of changed fields. */
int institutions_report_diff(const char *old_kind, const int64_t old_v[INSTITUTIONS_NFIELDS],
			     uint32_t old_present, const char *old_note, const char *new_kind,
			     const int64_t new_v[INSTITUTIONS_NFIELDS], uint32_t new_present,
			     const char *new_note, char *out, size_t n);

/* Completeness and timeliness. */
struct institutions_tally {
	int64_t expected;  /* institution-days open */
	int64_t received;  /* reports filed for those days */
	int64_t on_time;   /* of which first filed by the deadline */
	int64_t zero;      /* of which zero reports (as last corrected) */
};
/* num / den in basis points, rounded down (10000 = 100 %); -1 when den is 0. */
int64_t institutions_rate_bp(int64_t num, int64_t den);
/* How a report's stats row changes when a report goes from (old_exists, old_on_time, old_zero) to
 * (1, new_on_time, new_zero): deltas of received, on_time, zero into d. A correction never
 * changes timeliness (the first filing decides it). */
void institutions_tally_delta(int old_exists, int old_on_time, int old_zero, int new_on_time,
			      int new_zero, struct institutions_tally *d);
/* The number of days in [from_day, to_day] on which an institution opened on opened_day and
 * closed on closed_day (-1 = still open; exclusive) is open. */
int64_t institutions_open_days(int64_t opened_day, int64_t closed_day, int64_t from_day,
			       int64_t to_day);

/* ================================================================ the registry (store) */

struct institution {
	int64_t id;
	char name[INSTITUTIONS_NAME_SZ];
	char type[24];
	char region_code[16];
	char region_name[128];
	char unit_code[16];   /* its management unit (county or functional zone) */
	char unit_name[128];
	char area_code[16];   /* the township (9 digits) or county (6) its figures are kept under */
	char address[INSTITUTIONS_ADDRESS_SZ];
	int64_t capacity, residents, staff; /* registered: beds, residents, staff in post */
	char contact_name[INSTITUTIONS_CONTACT_SZ];
	char contact_phone[24]; /* real value; masked by the caller unless unmasked */
	char opened_on[11], closed_on[11]; /* closed_on "" = open */
	char cm_from[11], cm_to[11];       /* closed management; "" = none / ongoing */
	char created_at[32], updated_at[32];
	int unmasked;          /* 1 when contact_phone may be shown (the read was audited) */
	int n_reporters;
	char reporters[INSTITUTIONS_MAX_REPORTERS][64]; /* usernames attached */
};

enum institutions_has {
	INST_HAS_NAME = 1u << 0,
	INST_HAS_TYPE = 1u << 1,
	INST_HAS_REGION = 1u << 2,
	INST_HAS_ADDRESS = 1u << 3,
	INST_HAS_CAPACITY = 1u << 4,
	INST_HAS_RESIDENTS = 1u << 5,
	INST_HAS_STAFF = 1u << 6,
	INST_HAS_CONTACT_NAME = 1u << 7,
	INST_HAS_CONTACT_PHONE = 1u << 8,
	INST_HAS_OPENED = 1u << 9,
	INST_HAS_CLOSED = 1u << 10,
	INST_HAS_CM_FROM = 1u << 11,
	INST_HAS_CM_TO = 1u << 12,
};

/* An institution as sent in: every field on creation (name, type, region_code, opened_on
 * required), the changed ones (has bits) on a PATCH. */
struct institution_in {
	uint32_t has;
	char name[INSTITUTIONS_NAME_SZ + 8];
	char type[32];
	char region_code[24];
	char address[INSTITUTIONS_ADDRESS_SZ + 8];
	int64_t capacity, residents, staff;
	char contact_name[INSTITUTIONS_CONTACT_SZ + 8];
	char contact_phone[48];
	char opened_on[16], closed_on[16], cm_from[16], cm_to[16];
};

/* Create (institution.manage; the region a known county, township or village code in the
 * caller's scope, else 403 out_of_scope / 400 invalid_region). Checks: name 1–60 characters,
 * type known, counts 0..INSTITUTIONS_MAX_COUNT with residents ≤ capacity when a capacity is
 * given, contact phone valid (phone.h), dates valid with closed_on after opened_on and
 * closed-management end not before its start. Audited institution.create. */
int institutions_create(struct db *db, const struct actor *a, struct institution_in *in,
			int64_t *out_id, struct err *e);
/* The checks institutions_create makes, without writing (the import validates each row with
 * them): 0, or -1 with e as institutions_create would fail. Fills in->opened_on (today) when
 * absent. Inside the caller's transaction institutions_create writes into it (the caller
 * commits or rolls back) instead of opening its own. */
int institutions_check(struct db *db, const struct actor *a, struct institution_in *in,
		       struct err *e);
/* Change the fields in in->has (the region cannot change: 400). Dates that would leave a filed
 * report outside the open period are 409 reports_outside_period. Audited institution.update. */
int institutions_update(struct db *db, const struct actor *a, int64_t id,
			struct institution_in *in, struct err *e);
/* One institution (institution.read + scope, or the caller's own institution for a reporter).
 * unmask: the contact phone in full (registry.unmask, else 403; audited institution.unmask). */
int institutions_get(struct db *db, const struct actor *a, int64_t id, int unmask,
		     struct institution *out, struct err *e);

struct institutions_filter {
	char type[32];      /* "" = every type */
	char unit[16];      /* management unit, "" = every unit in scope (404 when out of scope) */
	char q[64];         /* name contains */
	char date[16];      /* the day whose status each row carries ("" = today) */
	const char *at;     /* NULL = now */
};

/* A listed institution with its state on the filter's date. */
struct institutions_row {
	struct institution inst; /* reporters not filled; contact phone masked */
	char date[11];
	const char *day_status;  /* institutions_day_status */
	char deadline_at[32];
	char kind[8];            /* the day's report kind, "" when none */
	int under_cm;
};

/* The institutions in scope (institution.read), by unit, type, name; fn returns non-zero to
 * stop. */
int institutions_list(struct db *db, const struct actor *a, const struct institutions_filter *f,
		      int (*fn)(const struct institutions_row *r, void *ctx), void *ctx,
		      struct err *e);

/* Attach a user (who must hold institution.report) to the institution as its reporter; a user
 * attached elsewhere moves (one institution per user). institution.manage + scope; the
 * institution must lie in the user's own scope (400 invalid_value, field username). Audited
 * institution.attach. */
int institutions_attach(struct db *db, const struct actor *a, int64_t id, const char *username,
			struct err *e);
/* The institution the actor reports for: 1 (into *id), 0 when not attached. */
int institutions_attached(struct db *db, const struct actor *a, int64_t *id, struct err *e);

/* ================================================================ reports (store) */

struct institutions_report {
	int64_t id, institution_id;
	char report_date[11];
	char kind[8];
	int64_t v[INSTITUTIONS_NFIELDS];
	uint32_t present;
	char note[INSTITUTIONS_NOTE_SZ];
	char submitted_at[32], submitted_by[64]; /* the first filing: decides timeliness */
	char deadline_at[32];
	int on_time;
	int on_behalf;        /* filed by someone who is not the institution's reporter */
	int version;          /* 1 = never corrected */
	char updated_at[32], updated_by[64];
};

struct institutions_version {
	int version;
	char kind[8];
	int64_t v[INSTITUTIONS_NFIELDS];
	uint32_t present;
	char note[INSTITUTIONS_NOTE_SZ];
	char at[32], by[64];
	char reason[INSTITUTIONS_NOTE_SZ];
	char changes[INSTITUTIONS_TRACE_SZ]; /* institutions_report_diff against the version before */
};

struct institutions_file_result {
	struct institutions_report report; /* as stored now */
	int created;          /* 1 the day's first report, 0 a correction */
	int n_alerts;         /* alerts raised by this filing (0–2) */
	int64_t alert_id[2];
	char alert_kind[2][12];
};

/* File the report of `id` for in->report_date: the attached reporter, or institution.manage +
 * scope on the institution's behalf. Refused: a future date (400 invalid_value), a day the
 * institution is not open (409 institution_not_open), a second report for the day without a
 * correction reason (409 report_exists), a zero report whose confirmed headcounts differ from the
 * carried ones (409 carry_changed). Timeliness: the first filing's time against the deadline of
 * the institution's type in force for the report's month (policy; 404 policy_missing). A
 * correction keeps the first filing's time and adds a version with who, when, why and what
 * changed. Alerts per institutions_alert_check (one per institution, day and kind). One
 * transaction with the stats row and the audit row (institution.report / institution.correct). */
int institutions_report_file(struct db *db, const struct actor *a, int64_t id,
			     struct institutions_report_in *in, struct institutions_file_result *out,
			     struct err *e);

/* The reports of one institution between from and to (at most INSTITUTIONS_MAX_DAYS), newest
 * first: the reporter of it, or institution.read + scope. */
int institutions_reports_list(struct db *db, const struct actor *a, int64_t id, const char *from,
			      const char *to,
			      int (*fn)(const struct institutions_report *r, void *ctx), void *ctx,
			      struct err *e);
/* One day's report with every version (oldest first; *versions malloc'd, free()). 0 found, 1 no
 * report that day (nothing allocated). Access as institutions_reports_list. */
int institutions_report_get(struct db *db, const struct actor *a, int64_t id, const char *date,
			    struct institutions_report *out, struct institutions_version **versions,
			    int *n_versions, struct err *e);

/* What the reporter's page starts from: the institution, the day's deadline and report (if any),
 * and the values a zero report would carry. */
struct institutions_today {
	struct institution inst;
	char date[11];
	char now[32];
	char deadline_at[32];
	const char *day_status;
	int open, under_cm;
	int has_report;
	struct institutions_report report;
	int64_t carry[INSTITUTIONS_NFIELDS];
	uint32_t carry_present;
	char carry_from[11];  /* the previous report's date; "" when carried from the registry */
};
/* For the caller's own institution (404 not_attached when none) or, with institution id > 0,
 * any institution the caller may file for. date "" = today. */
int institutions_today(struct db *db, const struct actor *a, int64_t id, const char *date,
		       const char *at, struct institutions_today *out, struct err *e);

/* ================================================================ alerts (store) */

struct institutions_alert {
	int64_t id, institution_id;
	char institution_name[INSTITUTIONS_NAME_SZ];
	char type[24];
	char region_code[16], unit_code[16];
	char report_date[11];
	char kind[12];        /* health | movement */
	char summary[512];
	char status[16];      /* open | acknowledged | closed */
	char raised_at[32];
	char ack_at[32], ack_by[64], ack_note[INSTITUTIONS_NOTE_SZ];
	char closed_at[32], closed_by[64], action[INSTITUTIONS_NOTE_SZ];
};

struct institutions_alert_filter {
	char status[16];      /* "" every, open, acknowledged, closed, active (open + acknowledged) */
	char date[16];        /* report date, "" every */
	char unit[16];
	int64_t institution_id; /* 0 every */
};

/* Alerts in scope (institution.read), newest report date first. */
int institutions_alerts_list(struct db *db, const struct actor *a,
			     const struct institutions_alert_filter *f,
			     int (*fn)(const struct institutions_alert *al, void *ctx), void *ctx,
			     struct err *e);
int institutions_alert_get(struct db *db, const struct actor *a, int64_t alert_id,
			   struct institutions_alert *out, struct err *e);
/* Acknowledge (open → acknowledged, note optional) or close (acknowledged → closed, the action
 * taken required: 400 required). institution.manage + scope; 409 alert_state otherwise.
 * Audited institution.alert_ack / institution.alert_close. */
int institutions_alert_ack(struct db *db, const struct actor *a, int64_t alert_id,
			   const char *note, const char *at, struct err *e);
int institutions_alert_close(struct db *db, const struct actor *a, int64_t alert_id,
			     const char *action, const char *at, struct err *e);

/* ================================================================ chasing (store) */

struct institutions_chase_in {
	char report_date[16];
	char method[16];      /* phone | sms | visit */
	char outcome[16];     /* promised | no_answer | unreachable | other */
	char note[INSTITUTIONS_NOTE_SZ];
	int escalate;         /* reported to the county bureau */
	const char *at;
};

struct institutions_chase {
	int64_t id, institution_id;
	char report_date[11];
	char method[16], outcome[16];
	char note[INSTITUTIONS_NOTE_SZ];
	int escalated;
	char chased_at[32], chased_by[64];
};

/* Log a chase of a missing report (institution.manage + scope). 409 already_reported when the
 * day's report is in; 409 institution_not_open for a day it was not open; 400 for a future day,
 * unknown method or outcome. Audited institution.chase. */
int institutions_chase_add(struct db *db, const struct actor *a, int64_t id,
			   const struct institutions_chase_in *in, int64_t *out_id, struct err *e);
/* The chases of one institution (date "" = every day), newest first; institution.read + scope. */
int institutions_chases_list(struct db *db, const struct actor *a, int64_t id, const char *date,
			     int (*fn)(const struct institutions_chase *c, void *ctx), void *ctx,
			     struct err *e);

/* Method / outcome labels ("" when unknown). */
const char *institutions_chase_method_label(const char *method);
const char *institutions_chase_outcome_label(const char *outcome);

/* ================================================================ the call list, dashboard, report (stats) */

/* One institution that has not reported for the day. */
struct institutions_call {
	struct institution inst; /* contact phone masked unless the list was unmasked */
	const char *status;       /* due | overdue */
	char deadline_at[32];
	int chases;
	int escalated;
	struct institutions_chase last; /* valid when chases > 0 */
};

/* The non-reporters in scope for `date` ("" today; not in the future): open that day, no report.
 * Overdue first, escalated first, then by unit and region. unit narrows (404 out of scope).
 * unmask as institutions_get (one audit row for the list). institution.read. */
int institutions_calls(struct db *db, const struct actor *a, const char *date, const char *unit,
		       int unmask, const char *at,
		       int (*fn)(const struct institutions_call *c, void *ctx), void *ctx,
		       struct err *e);

struct institutions_unit_day {
	char code[16];
	char name[128];
	struct institutions_tally t;
	int64_t due, overdue;  /* missing reports whose deadline has / has not passed */
	int64_t escalated;     /* missing institutions escalated to the county */
};

struct institutions_type_cm {
	int64_t institutions, residents, staff;
};

struct institutions_dashboard {
	char date[11];
	char now[32];
	int nunits;
	struct institutions_unit_day units[64];   /* units with institutions in scope, by code */
	struct institutions_unit_day total;
	struct institutions_tally types[INSTITUTIONS_NTYPES];
	int64_t alerts_open, alerts_acknowledged;
	/* closed management on the date: institutions, and residents / staff from each one's
	 * latest report up to the date (the registry's before its first report) */
	struct institutions_type_cm cm[INSTITUTIONS_NTYPES];
	struct institutions_type_cm cm_total;
	int ndays;                                  /* the trend: date − ndays + 1 … date */
	char trend_from[11];
	struct institutions_tally trend[INSTITUTIONS_MAX_DAYS];
	char latest_report_date[11];               /* the newest report in scope, "" none */
};

/* Today's (or date's) picture for the caller's scope (institution.read); days 1..
 * INSTITUTIONS_MAX_DAYS of trend. The struct is large: allocate it. */
int institutions_dashboard(struct db *db, const struct actor *a, const char *date, int days,
			   const char *at, struct institutions_dashboard *out, struct err *e);

struct institutions_period_type {
	int64_t count;       /* institutions of the type that reported in the period */
	int64_t residents;   /* Σ residents present on each one's last report in the period */
	int64_t staff;       /* Σ staff on site, likewise */
	int64_t infections;  /* Σ confirmed over every report in the period */
	int64_t registered;  /* institutions of the type open at some time in the period */
};

struct institutions_period {
	char from[11], to[11];
	char unit[16];
	struct institutions_period_type types[INSTITUTIONS_NTYPES];
	struct institutions_tally reports;
	int nunits;
	struct institutions_unit_day units[64];
	int64_t alerts_health, alerts_movement, alerts_closed;
};

/* The period report (`minzheng report institutions`, GET /api/v1/reports/institutions): see
 * docs/institutions.md, "Figures". From the records each time; scope as the dashboard; unit
 * narrows. 400 for bad dates, to before from, or more than INSTITUTIONS_MAX_DAYS days. */
int institutions_period_report(struct db *db, const struct actor *a, const char *from,
			       const char *to, const char *unit, struct institutions_period *out,
			       struct err *e);
/* Its JSON: {"from","to","unit","institutions":{TYPE:{"label","count","residents","staff",
 * "infections","registered"}…},"reports":{"expected","received","on_time","zero","late",
 * "missing","completeness_bp","timeliness_bp"},"counties":{CODE:{"name",…reports…}},
 * "alerts":{…}}. */
json_t *institutions_period_json(const struct institutions_period *p);

#endif
