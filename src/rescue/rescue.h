/* rescue.h — 救助管理站与街面巡查 (rescue stations and street outreach): public face.
 * (Owned by the rescue module: rescue_rules.{h,c} the pure rules, rescue_schema.c the tables,
 * rescue_store.c stations, rooms and intakes with isolation, tests and discharge,
 * rescue_outreach.c patrols and the dashboard, rescue_json.c JSON in and out (API and CLI),
 * rescue_api.c the routes. docs/rescue.md explains it for people.)
 *
 * A station (rescue_stations) sits in a region (the city, a county or a township) and keeps
 * rooms with beds, each in the general or the isolation zone. It may name the institutions
 * module's record of it (institution_id; no foreign key into that module's table). Every row of
 * the module carries its station's region code, so a scope check is an index range on
 * region_code (core/scope.h): a county's staff see their county's station, the city's rescue
 * workers every station. Records outside the caller's scope are 404 not_found.
 *
 * An intake (rescue_intakes) is one arrival: the person (name and ID number, or unidentified
 * with a description and a family-search notice due within rescue_family_search_hours),
 * belongings, screening at the door (temperature in tenths of °C, mask, symptoms, the 14-day
 * travel and contact history and its risk, health certificate) and the decision: admit (a room
 * in the general zone), isolate (a room in the isolation zone; planned end = arrival date +
 * rescue_isolation_days), hospital (fever: the report to the epidemic command recorded) or
 * refuse (with a reason). The stay ends by rescue_max_stay_days after the arrival (the value in
 * force in the arrival month: 10 normally, 14 in the epidemic), never before the isolation's
 * planned end; it may be extended with approval. Then: daily observations, nucleic-acid tests,
 * extension or reduction of the isolation (the previous end and the reason are kept in
 * rescue_changes), the end of isolation, and the discharge — return home (ticket), transfer,
 * hospital, voluntary departure (signed declaration) or end of the maximum stay. Leaving
 * isolation before its planned end (ending it, or any discharge but to hospital) is refused
 * unless a negative test sampled within rescue_test_valid_hours is on record (409
 * negative_test_required, the reason in Chinese).
 *
 * Status: in_station (general zone) ⇄ isolation; both end as discharged; an intake decided
 * hospital is referred, refuse is refused (neither occupies a bed).
 *
 * Personal data: names and ID numbers are masked ("张**", "370704********123X") unless read
 * with unmask, which needs registry.unmask (403 forbidden) and is audited (rescue.unmask) like
 * the registry's.
 *
 * Time: every function takes `now` ("YYYY-MM-DDTHH:MM[:SS][+08:00]"), the moment the call
 * happens, or NULL for the clock (Asia/Shanghai). Tests, the demo and the CLI pass it. Event
 * times in the input (arrived_at, sampled_at, at…) default to now and may lie in the past (a
 * worker records the night's arrivals in the morning) but not after now (400 invalid_value) nor
 * before the arrival.
 *
 * Permissions: rescue (rescue_worker, county_staff, city_admin). Lists and new records need it
 * (the router answers 403); a record by id answers 404 to an actor without it, as for one out
 * of scope, so existence is never revealed.
 *
 * Every write is one transaction with its audit row (rescue.station, rescue.room, rescue.intake,
 * rescue.family_search, rescue.observation, rescue.test, rescue.isolation, rescue.stay,
 * rescue.discharge, rescue.patrol); when the caller already has a write transaction open (the
 * demo), the function writes inside it. On any error nothing is written.
 *
 * Errors: 400 required / invalid_value / invalid_id_number / invalid_region /
 * declaration_required (with the field); 403 forbidden / out_of_scope; 404 not_found; 409
 * fever_referral_required, isolation_required, negative_test_required, stay_not_reached,
 * room_full, wrong_zone, invalid_step, duplicate_name, beds_in_use; the policy module's 404
 * policy_missing.
 */
#ifndef MZ_RESCUE_H
#define MZ_RESCUE_H

#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"
#include "rescue/rescue_rules.h"

extern const char rescue_schema_v1[];

/* The module's routes (rescue_api.c), ending with {0}. */
extern const struct api_route rescue_routes[];

#define RESCUE_NAME_CHARS 30
#define RESCUE_SHORT_CHARS 60
#define RESCUE_TEXT_CHARS 500
#define RESCUE_NAME_SZ (RESCUE_NAME_CHARS * 4 + 1)
#define RESCUE_SHORT_SZ (RESCUE_SHORT_CHARS * 4 + 1)
#define RESCUE_TEXT_SZ (RESCUE_TEXT_CHARS * 4 + 1)
#define RESCUE_WORD_SZ 24
#define RESCUE_CODE_SZ 16
#define RESCUE_RAW_SZ 48
#define RESCUE_PAGE_MAX 200
#define RESCUE_MAX_CONTACTS 50
#define RESCUE_MAX_GOODS 10000 /* of one kind, to one person on one patrol */
#define RESCUE_MAX_BEDS 500
#define RESCUE_DASH_MAX_DAYS 120
#define RESCUE_TEMP_MIN 300 /* 30.0 °C: below is a typing error */
#define RESCUE_TEMP_MAX 450

/* ---- stations and rooms ------------------------------------------------------------------- */

struct rescue_station_in {
	char name[RESCUE_SHORT_SZ];
	char region_code[RESCUE_WORD_SZ]; /* the city (3707), a county or a township */
	int64_t institution_id;		  /* 0 = none */
	char address[RESCUE_TEXT_SZ];
	char phone[RESCUE_RAW_SZ];
};

struct rescue_station {
	int64_t id;
	char name[RESCUE_SHORT_SZ];
	char region_code[RESCUE_CODE_SZ];
	char region_name[RESCUE_SHORT_SZ];
	char unit_code[RESCUE_CODE_SZ]; /* whose policy parameters apply */
	int64_t institution_id;
	char address[RESCUE_TEXT_SZ];
	char phone[RESCUE_WORD_SZ];
	char created_at[RESCUE_TIME_SZ];
	/* occupancy now */
	int rooms, beds, beds_used, isolation_beds, isolation_used;
	int in_station, in_isolation;
	/* the parameters in force today for its unit (0 when none is in force) */
	int64_t fever_threshold, isolation_days, max_stay_days, test_valid_hours;
};

struct rescue_room_in {
	unsigned has; /* RESCUE_ROOM_HAS_* (update); creation needs all three */
	char name[RESCUE_SHORT_SZ];
	char zone[RESCUE_WORD_SZ]; /* general | isolation (fixed after creation) */
	int64_t beds;		   /* 0..RESCUE_MAX_BEDS */
};
#define RESCUE_ROOM_HAS_NAME 1u
#define RESCUE_ROOM_HAS_ZONE 2u
#define RESCUE_ROOM_HAS_BEDS 4u

struct rescue_room {
	int64_t id;
	int64_t station_id;
	char region_code[RESCUE_CODE_SZ];
	char name[RESCUE_SHORT_SZ];
	char zone[RESCUE_WORD_SZ];
	int beds, used;
};

struct rescue_station_list {
	int n;
	struct rescue_station *items; /* malloc'd; rescue_station_list_release */
};

struct rescue_station_detail {
	struct rescue_station station;
	int n_rooms;
	struct rescue_room *rooms; /* malloc'd; rescue_station_detail_release */
};

/* Create a station: name 1–60 characters, unique (409 duplicate_name); region_code a known city,
 * county or township (400 invalid_region) inside the caller's scope (403 out_of_scope); phone
 * and address optional. Audited rescue.station. */
int rescue_station_create(struct db *db, const struct actor *a, const struct rescue_station_in *in,
			  const char *now, int64_t *out_id, struct err *e);
/* The stations in the caller's scope with their occupancy, by region code then name. */
int rescue_station_list(struct db *db, const struct actor *a, struct rescue_station_list *out,
			struct err *e);
void rescue_station_list_release(struct rescue_station_list *l);
/* One station with its rooms (by zone, then name). */
int rescue_station_get(struct db *db, const struct actor *a, int64_t id,
		       struct rescue_station_detail *out, struct err *e);
void rescue_station_detail_release(struct rescue_station_detail *d);

/* Add a room: name 1–60 characters unique in the station (409 duplicate_name), zone general or
 * isolation, beds 0..500. Audited rescue.room. */
int rescue_room_create(struct db *db, const struct actor *a, int64_t station_id,
		       const struct rescue_room_in *in, const char *now, int64_t *out_id,
		       struct err *e);
/* Rename a room or change its beds (not below the beds in use: 409 beds_in_use); the zone is
 * fixed (400 invalid_value). Audited rescue.room. */
int rescue_room_update(struct db *db, const struct actor *a, int64_t room_id,
		       const struct rescue_room_in *in, const char *now, struct err *e);

/* ---- intakes ------------------------------------------------------------------------------ */

struct rescue_intake_in {
	int64_t station_id;
	char arrived_at[RESCUE_TIME_SZ]; /* "" = now */
	int unidentified;		 /* 1: no name; description required */
	char name[RESCUE_NAME_SZ];
	char id_number[RESCUE_RAW_SZ];	  /* optional; checked (GB 11643) and normalized */
	char sex[RESCUE_WORD_SZ];	  /* male | female | "" */
	char description[RESCUE_TEXT_SZ]; /* appearance, estimated age, speech… */
	char origin[RESCUE_SHORT_SZ];	  /* where from, as told */
	char belongings[RESCUE_TEXT_SZ];
	int64_t temperature_tenths; /* 365 = 36.5 °C */
	int mask;		    /* wore a mask (or was given one) */
	char symptoms[RESCUE_TEXT_SZ];
	char travel_history[RESCUE_TEXT_SZ];	  /* the last 14 days: where */
	char contact_history[RESCUE_TEXT_SZ];	  /* the last 14 days: contacts with cases */
	char risk[RESCUE_WORD_SZ];		  /* low | medium_high | unverifiable */
	char health_certificate[RESCUE_SHORT_SZ]; /* what was shown ("" = none) */
	char decision[RESCUE_WORD_SZ];		  /* admit | isolate | hospital | refuse */
	char reason[RESCUE_TEXT_SZ];		  /* refuse: why; otherwise a note */
	int64_t room_id;			  /* admit / isolate */
	char hospital[RESCUE_SHORT_SZ];		  /* hospital */
	char report_to[RESCUE_SHORT_SZ];	  /* fever: the epidemic command reported to */
	char report_at[RESCUE_TIME_SZ];		  /* "" = the arrival */
	char report_note[RESCUE_TEXT_SZ];
};

struct rescue_observation {
	int64_t id;
	char observed_at[RESCUE_TIME_SZ];
	int64_t temperature_tenths;
	int fever;
	char symptoms[RESCUE_TEXT_SZ];
	char report_to[RESCUE_SHORT_SZ];
	char by_user[64];
};

struct rescue_test {
	int64_t id;
	char sampled_at[RESCUE_TIME_SZ];
	char result[RESCUE_WORD_SZ]; /* negative | positive */
	char lab[RESCUE_SHORT_SZ];
	char by_user[64];
	char at[RESCUE_TIME_SZ];
};

struct rescue_change {
	int64_t id;
	char what[RESCUE_WORD_SZ]; /* isolation | stay */
	char kind[RESCUE_WORD_SZ]; /* start | extend | reduce | end | early_end */
	char previous_end[RESCUE_DATE_SZ];
	char new_end[RESCUE_DATE_SZ];
	char reason[RESCUE_TEXT_SZ];
	char approved_by[RESCUE_SHORT_SZ];
	char at[RESCUE_TIME_SZ];
	char by_user[64];
};

struct rescue_intake {
	int64_t id;
	int64_t station_id;
	char station_name[RESCUE_SHORT_SZ];
	char region_code[RESCUE_CODE_SZ];
	char unit_code[RESCUE_CODE_SZ]; /* the station's: whose parameters apply */
	char arrived_at[RESCUE_TIME_SZ];
	char arrived_date[RESCUE_DATE_SZ];
	int unidentified;
	char name[RESCUE_NAME_SZ]; /* as stored; masking is rescue_json's job */
	char id_number[RESCUE_WORD_SZ];
	char sex[RESCUE_WORD_SZ];
	char description[RESCUE_TEXT_SZ];
	char origin[RESCUE_SHORT_SZ];
	char belongings[RESCUE_TEXT_SZ];
	int64_t temperature_tenths;
	int fever;
	int mask;
	char symptoms[RESCUE_TEXT_SZ];
	char travel_history[RESCUE_TEXT_SZ];
	char contact_history[RESCUE_TEXT_SZ];
	char risk[RESCUE_WORD_SZ];
	char health_certificate[RESCUE_SHORT_SZ];
	char decision[RESCUE_WORD_SZ];
	char reason[RESCUE_TEXT_SZ];
	char hospital[RESCUE_SHORT_SZ];
	char report_to[RESCUE_SHORT_SZ];
	char report_at[RESCUE_TIME_SZ];
	char report_note[RESCUE_TEXT_SZ];
	char status[RESCUE_WORD_SZ];
	int64_t room_id;
	char room_name[RESCUE_SHORT_SZ];
	char room_zone[RESCUE_WORD_SZ];
	int64_t stay_limit_days;
	char stay_until[RESCUE_DATE_SZ];
	char family_search_due[RESCUE_TIME_SZ];
	char family_search_at[RESCUE_TIME_SZ];
	char family_search_channel[RESCUE_SHORT_SZ];
	char family_search_text[RESCUE_TEXT_SZ];
	char isolation_start[RESCUE_DATE_SZ];
	char isolation_end[RESCUE_DATE_SZ];	 /* planned, after any change */
	char isolation_ended_at[RESCUE_TIME_SZ]; /* "" while it runs */
	int isolation_early;
	char left_at[RESCUE_TIME_SZ];
	char discharge_kind[RESCUE_WORD_SZ];
	char ticket[RESCUE_SHORT_SZ];
	char destination[RESCUE_SHORT_SZ];
	char transfer_to[RESCUE_SHORT_SZ];
	int declaration_signed;
	char discharge_note[RESCUE_TEXT_SZ];
	int64_t early_test_id;
	char created_by[64];
	char created_at[RESCUE_TIME_SZ];
};

/* An intake with its records, as read at `now` (for the derived fields). */
struct rescue_intake_detail {
	struct rescue_intake in;
	int n_observations;
	struct rescue_observation *observations; /* oldest first */
	int n_tests;
	struct rescue_test *tests; /* oldest sample first */
	int n_changes;
	struct rescue_change *changes; /* oldest first */
	int unmasked;
	char now[RESCUE_TIME_SZ];
	/* derived at now */
	int64_t days_in_station;
	int over_stay; /* present and past stay_until */
	int family_search_overdue;
	int early_leave_now;	/* in isolation and today is before the planned end */
	int leave_allowed_now;	/* rescue_early_leave_check passes now */
	char leave_reason[400]; /* why not, when not */
	int64_t fever_threshold;
	int64_t test_valid_hours;
};

/* Record an arrival. Checks, in order: the station in scope (404); the person (identified: a
 * name; unidentified: a description; ID number valid when given); temperature 30.0–45.0 °C;
 * risk; texts within their lengths; arrived_at not after now; then the rules' screening with the
 * fever threshold in force (rescue_screening_check); the room in the station, in the right zone
 * (409 wrong_zone) and with a free bed (409 room_full). One transaction with its audit row
 * (rescue.intake). */
int rescue_intake_create(struct db *db, const struct actor *a, struct rescue_intake_in *in,
			 const char *now, int64_t *out_id, struct err *e);

/* Read an intake with its observations, tests and changes. unmask needs registry.unmask (403
 * forbidden) and is audited (rescue.unmask). Release with rescue_intake_detail_release. */
int rescue_intake_get(struct db *db, const struct actor *a, int64_t id, int unmask, const char *now,
		      struct rescue_intake_detail *out, struct err *e);
void rescue_intake_detail_release(struct rescue_intake_detail *d);

struct rescue_intake_query {
	int64_t station_id;	     /* 0 = every station in scope */
	char status[RESCUE_WORD_SZ]; /* "" | present (in_station + isolation) | one status */
	char from[RESCUE_DATE_SZ];   /* arrival dates, "" = open */
	char to[RESCUE_DATE_SZ];
	char q[RESCUE_NAME_SZ]; /* a name prefix or a whole ID number */
	int limit;		/* 1..RESCUE_PAGE_MAX, 0 = 50 */
	int64_t offset;
};

/* A list row: the few fields a list shows. */
struct rescue_intake_row {
	int64_t id;
	int64_t station_id;
	char station_name[RESCUE_SHORT_SZ];
	char region_code[RESCUE_CODE_SZ];
	char arrived_at[RESCUE_TIME_SZ];
	int unidentified;
	char name[RESCUE_NAME_SZ];
	char id_number[RESCUE_WORD_SZ];
	char sex[RESCUE_WORD_SZ];
	int64_t temperature_tenths;
	int fever;
	char risk[RESCUE_WORD_SZ];
	char decision[RESCUE_WORD_SZ];
	char status[RESCUE_WORD_SZ];
	char room_name[RESCUE_SHORT_SZ];
	char isolation_end[RESCUE_DATE_SZ];
	char stay_until[RESCUE_DATE_SZ];
	char left_at[RESCUE_TIME_SZ];
	char discharge_kind[RESCUE_WORD_SZ];
	char family_search_due[RESCUE_TIME_SZ];
	char family_search_at[RESCUE_TIME_SZ];
};

struct rescue_intake_page {
	int n;
	struct rescue_intake_row
	    *items; /* malloc'd; newest arrival first; rescue_intake_page_release */
	int64_t total;
	int limit;
	int64_t offset;
};

int rescue_intake_list(struct db *db, const struct actor *a, const struct rescue_intake_query *q,
		       struct rescue_intake_page *out, struct err *e);
void rescue_intake_page_release(struct rescue_intake_page *p);

/* The family-search notice of an unidentified person: when it was posted (not after now, not
 * before the arrival), where (channel, required) and its text. 409 invalid_step when the person
 * is identified. Audited rescue.family_search. */
int rescue_family_search(struct db *db, const struct actor *a, int64_t id, const char *posted_at,
			 const char *channel, const char *text, const char *now, struct err *e);

struct rescue_observation_in {
	char observed_at[RESCUE_TIME_SZ]; /* "" = now */
	int64_t temperature_tenths;
	char symptoms[RESCUE_TEXT_SZ];
	char report_to[RESCUE_SHORT_SZ]; /* required when the temperature is a fever */
};

/* A daily observation of a person present (409 invalid_step otherwise). A fever needs the report
 * to the epidemic command (400 required, report_to); *fever gets 1 then (the person should go to
 * hospital: a discharge of kind hospital). Audited rescue.observation. */
int rescue_observation_add(struct db *db, const struct actor *a, int64_t id,
			   const struct rescue_observation_in *in, const char *now, int *fever,
			   struct err *e);

/* A nucleic-acid test: sampled_at (not after now), result negative | positive, lab (optional).
 * Allowed while the person is present. Audited rescue.test. *out_id may be NULL. */
int rescue_test_add(struct db *db, const struct actor *a, int64_t id, const char *sampled_at,
		    const char *result, const char *lab, const char *now, int64_t *out_id,
		    struct err *e);

/* Move a person present in the general zone into isolation from `at` (default now) in an
 * isolation room, with a reason: planned end = the date of `at` + rescue_isolation_days.
 * Audited rescue.isolation. */
int rescue_isolation_start(struct db *db, const struct actor *a, int64_t id, const char *at,
			   int64_t room_id, const char *reason, const char *now, struct err *e);

/* Extend or reduce the running isolation's planned end (rescue_end_change_check); the previous
 * end and the reason are kept; the stay is pushed to the new end when it would end before it.
 * Audited rescue.isolation. */
int rescue_isolation_change(struct db *db, const struct actor *a, int64_t id, const char *new_end,
			    const char *reason, const char *now, struct err *e);

/* End the isolation at `at` (default now), moving the person to a general room: before the
 * planned end only with a valid negative test (rescue_early_leave_check). Audited
 * rescue.isolation. */
int rescue_isolation_end_now(struct db *db, const struct actor *a, int64_t id, const char *at,
			     int64_t room_id, const char *now, struct err *e);

/* Extend the stay limit with approval (rescue_stay_extend_check). Audited rescue.stay. */
int rescue_stay_extend(struct db *db, const struct actor *a, int64_t id, const char *until,
		       const char *reason, const char *approved_by, const char *now, struct err *e);

struct rescue_discharge_in {
	char at[RESCUE_TIME_SZ];   /* "" = now */
	char kind[RESCUE_WORD_SZ]; /* return_home transfer hospital voluntary max_stay */
	char ticket[RESCUE_SHORT_SZ];
	char destination[RESCUE_SHORT_SZ];
	char transfer_to[RESCUE_SHORT_SZ];
	int declaration_signed;
	char note[RESCUE_TEXT_SZ];
};

/* Discharge a person present: the kind's details (rescue_discharge_check), max_stay only from
 * stay_until on (rescue_max_stay_check), and out of a running isolation before its planned end
 * only with a valid negative test — except to hospital (rescue_early_leave_check). The bed is
 * freed. Audited rescue.discharge. */
int rescue_discharge(struct db *db, const struct actor *a, int64_t id,
		     const struct rescue_discharge_in *in, const char *now, struct err *e);

/* ---- street outreach (rescue_outreach.c) --------------------------------------------------- */

struct rescue_contact {
	char name[RESCUE_NAME_SZ];	    /* when identified */
	char id_number[RESCUE_WORD_SZ];	    /* optional, checked */
	char description[RESCUE_TEXT_SZ];   /* when not identified (or in addition) */
	int accepted;			    /* accepted to come to the station */
	int64_t masks, warm_clothing, food; /* pieces given */
	char note[RESCUE_TEXT_SZ];
};

struct rescue_patrol_in {
	int64_t station_id;
	char date[RESCUE_DATE_SZ];
	char area[RESCUE_SHORT_SZ];
	char staff[RESCUE_SHORT_SZ]; /* who went */
	char note[RESCUE_TEXT_SZ];
	int n_contacts;
	struct rescue_contact contacts[RESCUE_MAX_CONTACTS];
};

struct rescue_patrol {
	int64_t id;
	int64_t station_id;
	char station_name[RESCUE_SHORT_SZ];
	char region_code[RESCUE_CODE_SZ];
	char date[RESCUE_DATE_SZ];
	char area[RESCUE_SHORT_SZ];
	char staff[RESCUE_SHORT_SZ];
	char note[RESCUE_TEXT_SZ];
	int64_t people, accepted, masks, warm_clothing, food; /* totals of its contacts */
	char created_by[64];
	char created_at[RESCUE_TIME_SZ];
};

struct rescue_patrol_detail {
	struct rescue_patrol patrol;
	int n_contacts;
	struct rescue_contact *contacts; /* malloc'd; rescue_patrol_detail_release */
};

/* Record a patrol: the station in scope (404), date not after today, area and staff required,
 * 0–50 people met, each with a name or a description (400 required,
 * contacts[i].description), goods 0..RESCUE_MAX_GOODS. Audited rescue.patrol. */
int rescue_patrol_create(struct db *db, const struct actor *a, struct rescue_patrol_in *in,
			 const char *now, int64_t *out_id, struct err *e);
int rescue_patrol_get(struct db *db, const struct actor *a, int64_t id,
		      struct rescue_patrol_detail *out, struct err *e);
void rescue_patrol_detail_release(struct rescue_patrol_detail *d);

struct rescue_patrol_query {
	int64_t station_id;
	char from[RESCUE_DATE_SZ], to[RESCUE_DATE_SZ];
	int limit;
	int64_t offset;
};

struct rescue_patrol_page {
	int n;
	struct rescue_patrol *items; /* newest first */
	int64_t total;
	int limit;
	int64_t offset;
};

int rescue_patrol_list(struct db *db, const struct actor *a, const struct rescue_patrol_query *q,
		       struct rescue_patrol_page *out, struct err *e);
void rescue_patrol_page_release(struct rescue_patrol_page *p);

/* ---- dashboard (rescue_outreach.c) -------------------------------------------------------- */

struct rescue_dash_day {
	char date[RESCUE_DATE_SZ];
	int arrivals, admitted, isolated, referred, refused, discharges;
};

struct rescue_dash_isolation {
	int64_t intake_id;
	int64_t station_id;
	char station_name[RESCUE_SHORT_SZ];
	char name[RESCUE_NAME_SZ]; /* as stored: masked by the JSON */
	int unidentified;
	char room_name[RESCUE_SHORT_SZ];
	char start[RESCUE_DATE_SZ];
	char planned_end[RESCUE_DATE_SZ];
	int64_t days_left; /* planned_end − today (≤ 0: due) */
};

struct rescue_dashboard {
	int64_t station_id; /* 0 = every station in scope */
	char now[RESCUE_TIME_SZ];
	char today[RESCUE_DATE_SZ];
	char from[RESCUE_DATE_SZ], to[RESCUE_DATE_SZ];
	int stations;
	char last_arrival[RESCUE_DATE_SZ]; /* the latest arrival date in scope ("" = none) */
	int in_station;			   /* present: general zone + isolation */
	int in_isolation;
	int beds, beds_used, beds_free;
	int isolation_beds, isolation_used, isolation_free;
	int over_stay; /* present past their stay limit */
	int family_search_overdue;
	int n_days;
	struct rescue_dash_day days[RESCUE_DASH_MAX_DAYS];
	int arrivals, admitted, isolated, referred, refused, discharges; /* over the days */
	int64_t patrols, people_met, accepted, masks, warm_clothing,
	    food; /* outreach, over the days */
	int n_isolation;
	struct rescue_dash_isolation *isolation; /* malloc'd; planned end first */
};

/* The dashboard of one station (404 when out of scope) or of every station in scope, as of now:
 * who is present and in isolation, beds, and per day of [from, to] (default the 14 days up to
 * today; at most RESCUE_DASH_MAX_DAYS: 400 invalid_value) arrivals by decision, discharges and
 * outreach. Release with rescue_dashboard_release. */
int rescue_dashboard_get(struct db *db, const struct actor *a, int64_t station_id, const char *from,
			 const char *to, const char *now, struct rescue_dashboard *out,
			 struct err *e);
void rescue_dashboard_release(struct rescue_dashboard *d);

/* ---- JSON (rescue_json.c), shared by the API and the CLI ---------------------------------- */

json_t *rescue_station_json(const struct rescue_station *s);
json_t *rescue_station_detail_json(const struct rescue_station_detail *d);
json_t *rescue_room_json(const struct rescue_room *r);
/* Names and ID numbers masked unless d->unmasked. */
json_t *rescue_intake_detail_json(const struct rescue_intake_detail *d);
/* A list row: always masked. */
json_t *rescue_intake_row_json(const struct rescue_intake_row *r);
json_t *rescue_patrol_json(const struct rescue_patrol *p);
/* Contacts' names and ID numbers masked. */
json_t *rescue_patrol_detail_json(const struct rescue_patrol_detail *d);
json_t *rescue_dashboard_json(const struct rescue_dashboard *d);

/* JSON → input: a wrong JSON type or an over-long string is 400 invalid_value naming the field;
 * unknown keys are ignored. Values are checked by the domain functions. */
int rescue_station_from_json(const json_t *o, struct rescue_station_in *out, struct err *e);
int rescue_room_from_json(const json_t *o, struct rescue_room_in *out, struct err *e);
int rescue_intake_from_json(const json_t *o, struct rescue_intake_in *out, struct err *e);
int rescue_observation_from_json(const json_t *o, struct rescue_observation_in *out, struct err *e);
int rescue_discharge_from_json(const json_t *o, struct rescue_discharge_in *out, struct err *e);
int rescue_patrol_from_json(const json_t *o, struct rescue_patrol_in *out, struct err *e);
/* A string member into buf[n]: absent or null → "" (0); -1 with e when not a string or too long. */
int rescue_json_str(const json_t *o, const char *key, char *buf, size_t n, struct err *e);
/* An integer member: absent or null → def; -1 with e when not an integer. */
int rescue_json_int(const json_t *o, const char *key, int64_t def, int64_t *out, struct err *e);

#endif
