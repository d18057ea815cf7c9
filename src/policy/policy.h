/* policy.h — policy parameters (政策参数): public face.
 * (Owned by the policy module: policy_keys.c the table of keys, policy_schema.c the table,
 * policy_store.c lookups, changes, history and the demo values, policy_api.c the routes.
 * docs/policy.md explains the rules for people.)
 *
 * Every standard, rate, limit and period the assistance programs use is data, never a constant
 * in code: one row per (management unit, residence type, key, effective month) in
 * policy_params. A change is a new row with a later effective month; rows are never updated
 * except the value of a row whose month has not yet passed (a payroll may already have used a
 * past month, so past months are immutable: 409 policy_locked).
 *
 * Lookup (policy_value): for a unit, residence and month, the unit's own row with the greatest
 * effective_from <= month; when the unit has none, the city's (units.city_code — 3707 for the 13
 * counties and the 3 functional zones alike). A county row therefore overrides the city from
 * its own effective month on, and keeps overriding later city changes until the county changes
 * it again. Keys with per_residence = 1 are stored and looked up per 'urban' / 'rural'; the
 * others are stored once as 'all' and any residence type finds them.
 *
 * Values are integers in the key's unit: fen (分) for money, basis points (10000 = 100 %) for
 * rates, whole months / years / days for periods. Nothing here rounds: an input with more
 * precision than the unit is refused by whoever parses it (UI, API, CLI).
 *
 * Errors (struct err): 400 required / invalid_value / invalid_region (with the field),
 * 403 forbidden (no policy.write) / out_of_scope (a unit outside the caller's scope on a write),
 * 404 not_found (a unit outside the caller's scope on a read, or unknown),
 * 404 policy_missing (nothing in force), 409 policy_locked (a month already past).
 */
#ifndef MZ_POLICY_H
#define MZ_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char policy_schema_v1[];

/* The module's routes (policy_api.c), ending with {0}: GET /api/v1/policy,
 * GET /api/v1/policy/history, GET /api/v1/policy/keys, POST /api/v1/policy. */
extern const struct api_route policy_routes[];

#define POLICY_MAX_KEYS 128
#define POLICY_NOTE_CHARS 200
#define POLICY_NOTE_SZ (POLICY_NOTE_CHARS * 4 + 1)
#define POLICY_CODE_SZ 16
#define POLICY_MONTH_SZ 8 /* "YYYY-MM" + NUL */
#define POLICY_DEMO_CITY "3707"
#define POLICY_DEMO_FROM "2019-07"

/* ---- the keys (policy_keys.c) ---- */

/* One parameter: its name, unit, whether urban and rural differ, the allowed range (inclusive,
 * in the unit), a Chinese label and a line of help. */
struct policy_key {
	const char *key;
	const char *unit; /* fen_month fen_year fen bp months years days */
	int per_residence;
	int64_t min, max;
	const char *label;
	const char *help;
};

/* The table, in display order; *n receives its length. */
const struct policy_key *policy_keys(int *n);
/* The key named `key`, or NULL. */
const struct policy_key *policy_key_find(const char *key);
/* Chinese name of a unit: "元/月", "元/年", "元", "%", "个月", "年", "天" ("" when unknown). */
const char *policy_unit_label(const char *unit);
/* A value in its unit for people: 71000 fen_month → "710.00 元/月", 1250 bp → "12.5%",
 * 13000 bp → "130%（1.3 倍）" (rates above 100 % also as a multiple), 3 months →
 * "3 个月". Display only (a multiple is cut, never rounded, past two decimals). Always
 * NUL-terminated. */
void policy_format_value(const struct policy_key *k, int64_t value, char *buf, size_t n);

/* ---- checks (policy_store.c) ---- */

/* 1 when s is "YYYY-MM" with a month 01–12 and a year 1900–2999. */
int policy_month_valid(const char *s);
/* The current month in Asia/Shanghai, "YYYY-MM", into out[8]. */
void policy_current_month(char out[POLICY_MONTH_SZ]);

/* ---- lookups ---- */

/* The value in force for (unit, residence, key) in month: see the top of this file. residence is
 * 'urban' or 'rural' ('all', "" or NULL only for keys that do not differ). Errors: 400
 * invalid_value (key, residence_type, month), 400 invalid_region (unit), 404 policy_missing
 * (a Chinese message naming the key, unit and month). Not scoped: callers (payroll) have
 * already checked the caller may act for the unit. from / source_unit may be NULL. */
int policy_value_ex(struct db *db, const char *unit_code, const char *residence_type,
		    const char *key, const char *month, int64_t *out,
		    char from[POLICY_MONTH_SZ], char source_unit[POLICY_CODE_SZ], struct err *e);
int policy_value(struct db *db, const char *unit_code, const char *residence_type,
		 const char *key, const char *month, int64_t *out, struct err *e);

struct policy_item {
	const struct policy_key *def;
	int present;                        /* 0: nothing in force (value etc. empty) */
	int64_t value;
	char effective_from[POLICY_MONTH_SZ];
	char source_unit[POLICY_CODE_SZ];   /* the unit itself, or the city it fell back to */
};

struct policy_snapshot {
	char unit_code[POLICY_CODE_SZ];
	char residence_type[8];
	char month[POLICY_MONTH_SZ];
	int n;
	struct policy_item items[POLICY_MAX_KEYS]; /* every key, in table order */
};

/* Every key in force for (unit, residence 'urban'|'rural', month), read in one snapshot; keys
 * with nothing in force have present = 0 (not an error: the UI shows them as unset, payroll
 * refuses them). The unit must overlap the actor's scope (else 404 not_found) and the actor
 * needs policy.read (403 forbidden). */
int policy_snapshot(struct db *db, const struct actor *a, const char *unit_code,
		    const char *residence_type, const char *month, struct policy_snapshot *out,
		    struct err *e);

struct policy_row {
	int64_t id;
	char unit_code[POLICY_CODE_SZ];
	char residence_type[8];
	char key[64];
	int64_t value;
	char effective_from[POLICY_MONTH_SZ];
	char note[POLICY_NOTE_SZ];
	char set_by[64];
	char set_at[32];
};

struct policy_history {
	int n;
	struct policy_row *rows; /* malloc'd; newest effective month first; policy_history_release */
};

/* The rows of one unit's key (every residence type), newest effective month first, then
 * residence type. The unit's own rows only — not the city's it may inherit. Scope and
 * permission as policy_snapshot; 400 invalid_value for an unknown key. */
int policy_history(struct db *db, const struct actor *a, const char *unit_code, const char *key,
		   struct policy_history *out, struct err *e);
void policy_history_release(struct policy_history *h);

/* The one row stored for exactly (unit, residence, key, effective_from); 404 not_found when
 * none. Scope and permission as policy_snapshot. (The API answers a write with it.) */
int policy_row_get(struct db *db, const struct actor *a, const char *unit_code,
		   const char *residence_type, const char *key, const char *effective_from,
		   struct policy_row *out, struct err *e);

/* ---- changes ---- */

/* Set key = value for (unit, residence) from effective_from on. Checks, in order: policy.write
 * (403 forbidden); key known (400 invalid_value, field key); residence allowed for the key —
 * 'urban'/'rural' for per-residence keys, 'all' (or "") for the others (400, residence_type);
 * value within the key's min..max (400, value); month "YYYY-MM" (400, effective_from); note at
 * most 200 characters (400, note); unit the city or a known unit (400 invalid_region, unit_code);
 * the actor's scope covers the unit — a county or zone user only their own unit, a city user
 * any (403 out_of_scope, unit_code); effective_from not before the current month (409
 * policy_locked: a new or changed row in a past month would change what was in force then).
 * Setting an existing (unit, residence, key, month) again replaces that row's value and note.
 * One transaction with its audit row (action policy.set, object "policy:UNIT:KEY", detail JSON
 * with residence, effective month, the value in force before and the new one). On any error
 * nothing is written. note may be NULL. */
int policy_set(struct db *db, const struct actor *a, const char *unit_code,
	       const char *residence_type, const char *key, int64_t value,
	       const char *effective_from, const char *note, struct err *e);

/* The demo city's plausible Weifang values (note 演示值), effective POLICY_DEMO_FROM for
 * POLICY_DEMO_CITY, every key (per-residence keys for urban and rural). Rows already present are
 * left as they are. Inside an open write transaction (the demo's) it writes no audit row of its
 * own — the caller's (demo.generate) covers it; otherwise it opens one and audits
 * "policy.demo_defaults". Needs no clock: set_at is fixed. */
int policy_load_demo_defaults(struct db *db, const struct actor *a, struct err *e);

#endif
