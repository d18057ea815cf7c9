/* marriage.h — 婚姻登记预约: marriage-registration appointments. Public face of the module.
 *
 * Owned by the marriage module: marriage_rules.c (pure: opening hours, slots, capacity under
 * the epidemic rules, legal ages, booking codes, throttle arithmetic), marriage_schema.c (the
 * tables), marriage_office.c (offices' settings, closed dates, dated epidemic rules),
 * marriage_booking.c (the public booking: book, show, change, cancel, throttle),
 * marriage_day.c (the registrar's day list, check-in, outcome, day statistics, bookings over a
 * reduced capacity, period counts for the statistics report), marriage_json.c (JSON shared by
 * the API and the CLI), marriage_api.c (routes). docs/marriage.md explains it for people.
 *
 * Offices are the institutions module's institutions of type marriage_office, referred to by
 * their institution id; an office takes bookings once its settings (weekly opening hours, slot
 * length, couples per slot) are stored here. A day is open when its weekday has hours, it is
 * not an official holiday (calendar module; a weekend made a working day uses Monday's hours)
 * and not one of the office's closed dates. Epidemic rules are dated per office (from a day on,
 * until the next rule): a capacity limit per slot, one couple at a time (capacity 1), and
 * counselling and ceremonies suspended. They are the office's own rows and not policy
 * parameters because an office must be able to cut capacity overnight, while policy values
 * change by month; the fever threshold is a policy parameter (marriage_fever_tenths_c).
 *
 * Changing hours, slot length, capacity, closed dates or rules never cancels a booking: the
 * bookings that no longer fit (over the slot's capacity in booking order, on a closed day, or
 * at a time that is no longer a slot) are listed for the office to call
 * (marriage_over_capacity).
 *
 * Personal data: names and the phone are stored as given (the registrar calls the couple and
 * checks them at the counter); ID numbers are never stored in full — only the masked form
 * (first 6 and last 4) for display, and a keyed BLAKE2b hash (libsodium crypto_generichash,
 * with a 32-byte key made by the migration in marriage_key) for the "one active booking per
 * person" rule and the public "booking code + ID number" lookup. Lists show names and phones
 * masked; registry.unmask and ?unmask=1 show them in full (audited marriage.unmask).
 *
 * The public side (no login) answers only about the booking whose code and ID number match;
 * a wrong code and a wrong ID number give the same 404. Every public request counts against
 * its client address (MARRIAGE_THROTTLE_MAX per MARRIAGE_THROTTLE_WINDOW seconds, counters in
 * the database so that several server processes share them); over the limit → 429 throttled.
 *
 * Errors (struct err): 400 required / invalid_value / invalid_id_number / invalid_phone /
 * under_age / same_person, 403 forbidden, 404 not_found (also out of scope), 409 slot_full /
 * already_booked / slot_unavailable / booking_closed / outcome_recorded / not_checked_in,
 * 429 throttled.
 */
#ifndef MZ_MARRIAGE_H
#define MZ_MARRIAGE_H

#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char marriage_schema_v1[];
extern const struct api_route marriage_routes[];

#define MARRIAGE_MAX_RANGES 4      /* opening ranges per weekday */
#define MARRIAGE_MAX_SLOTS 96      /* slots per day */
#define MARRIAGE_HOURS_SZ 200      /* the stored weekly hours text */
#define MARRIAGE_NAME_CHARS 30
#define MARRIAGE_NAME_SZ (MARRIAGE_NAME_CHARS * 4 + 1)
#define MARRIAGE_REASON_CHARS 100
#define MARRIAGE_REASON_SZ (MARRIAGE_REASON_CHARS * 4 + 1)
#define MARRIAGE_CODE_LEN 8
#define MARRIAGE_BOOK_DAYS 30      /* the public books from tomorrow up to this many days ahead */
#define MARRIAGE_THROTTLE_MAX 60   /* public requests per client address per window */
#define MARRIAGE_THROTTLE_WINDOW 600
#define MARRIAGE_MAX_CAPACITY 20
#define MARRIAGE_FEVER_KEY "marriage_fever_tenths_c"

/* ================================================================ rules (marriage_rules.c) */

struct marriage_range {
	int from, to; /* minutes after midnight, from < to */
};

struct marriage_week {
	int n[7]; /* ranges on Monday … Sunday */
	struct marriage_range r[7][MARRIAGE_MAX_RANGES];
};

/* Parse weekly hours: seven day parts Monday … Sunday separated by ';', each "" (closed) or
 * ranges "HH:MM-HH:MM" separated by ',' in increasing order, not overlapping, e.g.
 * "09:00-12:00,13:30-17:00;09:00-12:00;…;;". 0, or -1 with e (400 invalid_value, field hours). */
int marriage_hours_parse(const char *text, struct marriage_week *w, struct err *e);
/* The slots of a weekday (1 = Monday … 7 = Sunday): start minutes of every slot of
 * slot_minutes that fits wholly inside a range, in order. Returns the count (≤ max). */
int marriage_day_slots(const struct marriage_week *w, int weekday, int slot_minutes, int *out,
		       int max);
/* "HH:MM" → minutes after midnight, -1 when malformed. */
int marriage_time_parse(const char *s);
/* minutes → "HH:MM" into out[6]. */
void marriage_time_str(int minutes, char out[6]);

/* One dated epidemic rule of an office (in force from effective_from until the next one). */
struct marriage_rule {
	int64_t id;
	char effective_from[11];
	int capacity_limit;        /* couples per slot at most; 0 = no limit */
	int one_couple;            /* one couple in the room at a time: capacity 1 */
	int counselling_suspended; /* 婚姻家庭辅导暂停 */
	int ceremony_suspended;    /* 颁证仪式暂停 */
	char note[MARRIAGE_REASON_SZ];
	char set_by[64];
	char set_at[32];
};

/* Couples per slot on a day: the office's capacity, cut to the rule's limit, 1 under "one couple
 * at a time"; rule NULL = none in force. */
int marriage_capacity_on(int capacity, const struct marriage_rule *rule);
/* Legal age on the appointment date: men 22, women 20 (whole years on that day: a man born
 * 1998-03-01 may book 2020-03-01, not 2020-02-29). 1 when old enough. */
int marriage_age_ok(const char *birth_date, int male, const char *date);
/* A booking code from random bytes: MARRIAGE_CODE_LEN characters of an alphabet without
 * look-alikes (no 0 O 1 I). out[MARRIAGE_CODE_LEN + 1]. */
void marriage_code_from_bytes(const unsigned char *bytes, char *out);
/* 1 when s is a well-formed booking code (upper case; callers upper-case input first). */
int marriage_code_valid(const char *s);
/* The throttle: a window starting at *start with *count requests; at `now` (seconds) one more
 * request. Returns 1 (allowed; *start, *count updated) or 0 (over MARRIAGE_THROTTLE_MAX within
 * MARRIAGE_THROTTLE_WINDOW seconds; not counted). */
int marriage_throttle_step(int64_t now, int64_t *start, int64_t *count);

/* ================================================================ offices (marriage_office.c) */

struct marriage_office {
	int64_t id;             /* the institution id */
	char name[256];
	char region_code[16];
	char unit_code[16];
	char address[801];
	int configured;         /* settings stored (takes bookings) */
	char hours[MARRIAGE_HOURS_SZ];
	int slot_minutes;
	int capacity;
	char updated_at[32];
};

struct marriage_office_list {
	int n;
	struct marriage_office *items; /* malloc'd; marriage_office_list_release */
};
void marriage_office_list_release(struct marriage_office_list *l);

/* The marriage offices (institutions of type marriage_office) in the caller's scope, configured
 * or not, by region then name. marriage permission (403). */
int marriage_office_list(struct db *db, const struct actor *a, struct marriage_office_list *out,
			 struct err *e);
/* The configured offices for the public page (no login, no scope): id, name, address, hours. */
int marriage_public_offices(struct db *db, struct marriage_office_list *out, struct err *e);

struct marriage_office_in {
	char hours[MARRIAGE_HOURS_SZ + 8];
	int64_t slot_minutes; /* 10–240 */
	int64_t capacity;     /* 1–MARRIAGE_MAX_CAPACITY couples per slot */
};

/* Store an office's settings (marriage permission, the institution a marriage office in
 * scope, else 404). Audited marriage.office_set. Bookings are never cancelled by it. */
int marriage_office_set(struct db *db, const struct actor *a, int64_t id,
			const struct marriage_office_in *in, struct err *e);
/* One office (scoped as above). */
int marriage_office_get(struct db *db, const struct actor *a, int64_t id,
			struct marriage_office *out, struct err *e);

struct marriage_closed_day {
	char date[11];
	char reason[MARRIAGE_REASON_SZ];
};
/* Close (closed = 1, reason 1–100 characters) or reopen (closed = 0) a date. Audited
 * marriage.closed_set. */
int marriage_closed_set(struct db *db, const struct actor *a, int64_t id, const char *date,
			int closed, const char *reason, struct err *e);
/* An office's closed dates from `from` on (at most max, date order). Returns the count or -1. */
int marriage_closed_list(struct db *db, const struct actor *a, int64_t id, const char *from,
			 struct marriage_closed_day *out, int max, struct err *e);

/* Set the rule in force from in->effective_from (replaces a rule of the same day). capacity
 * limit 0–MARRIAGE_MAX_CAPACITY, note ≤ 100 characters. Audited marriage.rule_set. */
int marriage_rule_set(struct db *db, const struct actor *a, int64_t id,
		      const struct marriage_rule *in, struct err *e);
/* An office's rules, newest first (at most max). Returns the count or -1. */
int marriage_rule_list(struct db *db, const struct actor *a, int64_t id,
		       struct marriage_rule *out, int max, struct err *e);

/* ---- slots (no scope: the public page asks too) ---- */

struct marriage_slot {
	char time[6];     /* "HH:MM" */
	int capacity;     /* couples per slot that day */
	int booked;       /* active bookings */
};

struct marriage_day_plan {
	int64_t office_id;
	char date[11];
	int open;                 /* 0: closed that day (reason says why) */
	char reason[MARRIAGE_REASON_SZ];
	int slot_minutes;
	struct marriage_rule rule; /* the rule in force (rule.id 0 = none) */
	int nslots;
	struct marriage_slot slots[MARRIAGE_MAX_SLOTS];
};

/* The slots of a configured office on a date with their capacity and bookings (404 when the
 * office is not configured; 400 invalid_value for a bad date). */
int marriage_day_plan(struct db *db, int64_t office_id, const char *date,
		      struct marriage_day_plan *out, struct err *e);

/* ================================================================ bookings (marriage_booking.c) */

struct marriage_party_in {
	char name[MARRIAGE_NAME_SZ + 8];
	char id_number[32];
};

struct marriage_booking_in {
	int64_t office_id;
	char date[16];
	char time[8];
	struct marriage_party_in party[2];
	char phone[32];
	char code[MARRIAGE_CODE_LEN + 1]; /* "" = a random code (the demo passes its own) */
};

struct marriage_booking {
	int64_t id;
	char code[MARRIAGE_CODE_LEN + 1];
	int64_t office_id;
	char office_name[256];
	char office_address[801];
	char region_code[16];
	char date[11];
	char time[6];
	char status[12];       /* booked | cancelled */
	char names[2][MARRIAGE_NAME_SZ];
	char id_masked[2][19];
	char sex[2][8];        /* male | female */
	char phone[24];
	char checked_in_at[32];
	int temperature_tenths; /* 0 = not taken */
	int fever;
	char outcome[16];      /* "" | registered | not_registered | no_show */
	char outcome_reason[MARRIAGE_REASON_SZ];
	char created_at[32];
	int unmasked;          /* names and phone in full */
};

/* Book (public). `at` NULL = now (the demo passes its moments). Checks, in order: office
 * configured (404), date within tomorrow … MARRIAGE_BOOK_DAYS ahead (400 invalid_value, date),
 * names (400 required / invalid_value), ID numbers valid (400 invalid_id_number,
 * party[i].id_number), not the same person twice (400 same_person), legal age on the date
 * (400 under_age, field party[i].id_number), phone (400 invalid_phone), the day open and the
 * time one of its slots (409 slot_unavailable), then inside one write transaction: no active
 * booking (booked, no outcome, date not past) for either person (409 already_booked) and a
 * place left in the slot (409 slot_full). Audited marriage.book. *out gets the booking. */
int marriage_book(struct db *db, const struct actor *a, struct marriage_booking_in *in,
		  const char *at, struct marriage_booking *out, struct err *e);
/* The booking with this code of which id_number is one party (public): 404 not_found for a
 * wrong code and a wrong ID number alike. Masked. */
int marriage_public_get(struct db *db, const char *code, const char *id_number,
			struct marriage_booking *out, struct err *e);
/* Move a booking to another date and time at the same office, with the same checks as booking
 * (age on the new date, slot open and free). Only an active booking whose date has not passed
 * (409 booking_closed). Audited marriage.change. */
int marriage_public_change(struct db *db, const struct actor *a, const char *code,
			   const char *id_number, const char *date, const char *time,
			   struct marriage_booking *out, struct err *e);
/* Cancel (409 booking_closed as above). Audited marriage.cancel. */
int marriage_public_cancel(struct db *db, const struct actor *a, const char *code,
			   const char *id_number, struct marriage_booking *out, struct err *e);
/* Count one public request of a client address: 0, or -1 with e (429 throttled). Its own
 * write transaction (the counter must survive a refused request). */
int marriage_throttle(struct db *db, const char *client, struct err *e);

/* ================================================================ registrar (marriage_day.c) */

struct marriage_day_stats {
	int64_t booked, arrived, registered, not_registered, no_show, fever;
};

struct marriage_day_list {
	int n;
	struct marriage_booking *items; /* malloc'd; marriage_day_list_release */
	struct marriage_day_stats stats;
};
void marriage_day_list_release(struct marriage_day_list *l);

/* The day's bookings of an office (marriage permission + scope), by time then booking order,
 * cancelled ones left out; unmask: names and phones in full (registry.unmask else 403; audited
 * marriage.unmask). Stats over the same bookings. */
int marriage_day(struct db *db, const struct actor *a, int64_t office_id, const char *date,
		 int unmask, struct marriage_day_list *out, struct err *e);
/* One booking by id (marriage permission + scope; 404 otherwise), masked. */
int marriage_booking_get(struct db *db, const struct actor *a, int64_t id,
			 struct marriage_booking *out, struct err *e);
/* Check-in with the temperature in tenths of °C (340–430). At or above the fever threshold
 * (policy marriage_fever_tenths_c) the couple is turned away: fever = 1, outcome
 * not_registered with the reason. Only a booked booking without outcome (409). `at` NULL =
 * now. Audited marriage.checkin. */
int marriage_checkin(struct db *db, const struct actor *a, int64_t id, int temperature_tenths,
		     const char *at, struct err *e);
/* Record the outcome: registered (checked in), not_registered (checked in, reason 1–100
 * characters), no_show (not checked in). Once recorded it stays (409 outcome_recorded).
 * Audited marriage.outcome. */
int marriage_outcome(struct db *db, const struct actor *a, int64_t id, const char *outcome,
		     const char *reason, struct err *e);

struct marriage_over {
	struct marriage_booking b; /* masked */
	char why[16];              /* over_capacity | closed | no_slot */
	int capacity;              /* the slot's capacity now */
};
struct marriage_over_list {
	int n;
	struct marriage_over *items; /* malloc'd; marriage_over_list_release */
};
void marriage_over_list_release(struct marriage_over_list *l);
/* The active bookings from `from` (NULL = today) on that no longer fit the office's plan: on a
 * closed day, at a time that is no longer a slot, or beyond the slot's capacity (the latest
 * booked are the ones over). The office calls them; nothing is cancelled. */
int marriage_over_capacity(struct db *db, const struct actor *a, int64_t office_id,
			   const char *from, struct marriage_over_list *out, struct err *e);

/* Per office in scope (marriage permission): bookings (not cancelled), registered, no-shows
 * with a date in from..to, with the office's region code; fn returns non-zero to stop. */
struct marriage_period_row {
	int64_t office_id;
	char region_code[16];
	int64_t booked, registered, no_show;
};
int marriage_period_counts(struct db *db, const struct actor *a, const char *from, const char *to,
			   int (*fn)(const struct marriage_period_row *r, void *ctx), void *ctx,
			   struct err *e);

/* ================================================================ JSON (marriage_json.c) */

#include <jansson.h>
json_t *marriage_office_json(const struct marriage_office *o);
json_t *marriage_rule_json(const struct marriage_rule *r);
/* The registrar's view (names/phone masked unless b->unmasked; ID numbers always masked). */
json_t *marriage_booking_json(const struct marriage_booking *b);
/* The public view: code, office, date, time, status, masked names and ID numbers, no phone. */
json_t *marriage_public_booking_json(const struct marriage_booking *b);
json_t *marriage_stats_json(const struct marriage_day_stats *s);
json_t *marriage_plan_json(const struct marriage_day_plan *p, int public_view);
/* A party from {"name","id_number"}; a booking from the public POST body. */
int marriage_booking_from_json(const json_t *o, struct marriage_booking_in *in, struct err *e);
int marriage_office_from_json(const json_t *o, struct marriage_office_in *in, struct err *e);
int marriage_rule_from_json(const json_t *o, struct marriage_rule *in, struct err *e);

#endif
