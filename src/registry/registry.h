/* registry.h — households and persons: public face.
 * (Owned by the registry module: registry_schema.c the tables, registry_rules.c validation,
 * registry_store.c the SQL, registry_json.c JSON in/out, registry_api.c the routes.)
 *
 * The registry is the city's list of households (户) and their members. Every household sits in
 * one village (12-digit region code) and every person carries the same region code, so a scope
 * check is always an index range on region_code. A citizen ID number is registered at most once
 * in the whole city; a member who is removed keeps their row (status "removed") and is restored
 * when the same ID is registered again.
 *
 * Domain functions take the db connection, the acting user (role, permissions, scope) and plain
 * structs; they know nothing of HTTP or JSON. They return 0, or -1 with e filled:
 *   400 invalid input (codes: required, invalid_value, invalid_id_number, invalid_phone,
 *       invalid_region, head_count, duplicate_id_number for the same ID twice in one request);
 *   403 out_of_scope (a village outside the caller's scope), forbidden (unmask without the
 *       permission);
 *   404 not_found (missing, or outside the caller's scope: existence is never revealed);
 *   409 duplicate_id_number, head_count, head_required, member_limit, person_removed.
 * Every write runs in one transaction together with its audit row; on any error nothing changes.
 * Input strings are expected to be UTF-8; fields in errors use the path form
 * "members[1].id_number".
 */
#ifndef MZ_REGISTRY_H
#define MZ_REGISTRY_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char registry_schema_v1[];

/* The registry's routes (registry_api.c), ending with {0}. */
extern const struct api_route registry_routes[];

#define REGISTRY_MAX_MEMBERS 20   /* active members per household */
#define REGISTRY_MAX_INCOME 10    /* income items per person */
#define REGISTRY_MAX_TAGS 16      /* room for every tag word (13 now); each at most once */
#define REGISTRY_NAME_CHARS 30
#define REGISTRY_ADDRESS_CHARS 200
#define REGISTRY_REASON_CHARS 200
#define REGISTRY_MAX_INCOME_FEN 10000000 /* one item, per month: 100,000 yuan */
#define REGISTRY_PAGE_MAX 200

/* Buffer sizes: characters × 4 UTF-8 bytes + NUL; short words (relation, tag…) fit 24. */
#define REGISTRY_NAME_SZ (REGISTRY_NAME_CHARS * 4 + 1)
#define REGISTRY_ADDRESS_SZ (REGISTRY_ADDRESS_CHARS * 4 + 1)
#define REGISTRY_REASON_SZ (REGISTRY_REASON_CHARS * 4 + 1)
#define REGISTRY_WORD_SZ 24
#define REGISTRY_RAW_SZ 48 /* raw ID number / phone as typed, before normalization */

struct registry_income {
	char type[REGISTRY_WORD_SZ]; /* wage business farming pension transfer property other */
	int64_t amount_fen;          /* per month, 0..REGISTRY_MAX_INCOME_FEN */
};

/* Which fields of an input are present (for PATCH; creation sets them all). */
enum registry_has {
	REGISTRY_HAS_ID_NUMBER = 1u << 0,
	REGISTRY_HAS_NAME = 1u << 1,
	REGISTRY_HAS_RELATION = 1u << 2,
	REGISTRY_HAS_PHONE = 1u << 3,
	REGISTRY_HAS_DISABILITY = 1u << 4,
	REGISTRY_HAS_ILLNESS = 1u << 5,
	REGISTRY_HAS_LABOUR = 1u << 6,
	REGISTRY_HAS_INCOME = 1u << 7,
	REGISTRY_HAS_TAGS = 1u << 8,
	REGISTRY_HAS_REGION = 1u << 9,
	REGISTRY_HAS_ADDRESS = 1u << 10,
	REGISTRY_HAS_RESIDENCE = 1u << 11,
};

/* A person as sent in. registry_person_check() validates it and normalizes in place: id_number
 * becomes the 18-character form, phone its normalized form, name loses surrounding spaces,
 * empty labour_capacity becomes "full", duplicate tags collapse; it fills the derived fields. */
struct registry_person_in {
	uint32_t has; /* enum registry_has bits */
	char id_number[REGISTRY_RAW_SZ];
	char name[REGISTRY_NAME_SZ];
	char relation[REGISTRY_WORD_SZ];
	char phone[REGISTRY_RAW_SZ];
	int disability_grade; /* 0 none, 1..4 */
	int serious_illness;  /* 0/1 */
	char labour_capacity[REGISTRY_WORD_SZ]; /* full partial none */
	int n_income;
	struct registry_income income[REGISTRY_MAX_INCOME];
	int n_tags;
	char tags[REGISTRY_MAX_TAGS][REGISTRY_WORD_SZ];
	/* derived by registry_person_check */
	char sex[8];        /* male / female */
	char birth_date[11];
	int64_t monthly_income_fen;
};

/* A household as sent in (creation), or the changed fields of a PATCH (has bits). */
struct registry_household_in {
	uint32_t has;
	char region_code[REGISTRY_WORD_SZ]; /* village, 12 digits */
	char address[REGISTRY_ADDRESS_SZ];
	char residence_type[REGISTRY_WORD_SZ]; /* urban rural */
	char phone[REGISTRY_RAW_SZ];
	int n_members;
	struct registry_person_in members[REGISTRY_MAX_MEMBERS];
};

/* A stored person. id_number and phone are the real values; masking is the caller's job
 * (registry_json.c masks unless the read was unmasked). */
struct registry_person {
	int64_t id;
	int64_t household_id;
	char region_code[REGISTRY_WORD_SZ];
	char id_number[19];
	char name[REGISTRY_NAME_SZ];
	char relation[REGISTRY_WORD_SZ];
	char sex[8];
	char birth_date[11];
	char phone[REGISTRY_WORD_SZ];
	int disability_grade;
	int serious_illness;
	char labour_capacity[REGISTRY_WORD_SZ];
	int n_income;
	struct registry_income income[REGISTRY_MAX_INCOME];
	int64_t monthly_income_fen;
	int n_tags;
	char tags[REGISTRY_MAX_TAGS][REGISTRY_WORD_SZ];
	char status[8]; /* active removed */
	char created_at[32];
	char updated_at[32];
};

struct registry_history {
	char at[32];
	char action[16]; /* registered moved removed restored */
	int64_t from_household_id; /* 0 = none */
	int64_t to_household_id;   /* 0 = none */
	char by[64];
	char reason[REGISTRY_REASON_SZ];
};

/* A person with their history (oldest first). history is malloc'd: registry_person_detail_release. */
struct registry_person_detail {
	struct registry_person person;
	int n_history;
	struct registry_history *history;
	int unmasked; /* 1 when read with unmask (and audited) */
};

/* A stored household with its active members (head first, then by id). */
struct registry_household {
	int64_t id;
	char region_code[REGISTRY_WORD_SZ];
	char region_name[REGISTRY_NAME_SZ * 2]; /* the village's name */
	char address[REGISTRY_ADDRESS_SZ];
	char residence_type[REGISTRY_WORD_SZ];
	char phone[REGISTRY_WORD_SZ];
	int64_t head_person_id; /* 0 = none (every member removed or moved out) */
	char created_at[32];
	char updated_at[32];
	int n_members;
	struct registry_person members[REGISTRY_MAX_MEMBERS];
	int unmasked;
};

/* Search. q: "" (everyone in scope), a full ID number (18 characters, or a legacy 15-digit one),
 * the last 4–6 characters of an ID number (digits, the last may be X), or a name prefix.
 * region: "" or a code prefix narrowing the scope (must overlap it). tag: "" or one tag. */
struct registry_person_query {
	char q[REGISTRY_NAME_SZ];
	char region[REGISTRY_WORD_SZ];
	char tag[REGISTRY_WORD_SZ];
	int limit;      /* 1..REGISTRY_PAGE_MAX; 0 means 20 */
	int64_t offset; /* ≥ 0 */
};

/* One page of results. items is malloc'd: registry_person_page_release. */
struct registry_person_page {
	int n;
	struct registry_person *items;
	int64_t total;
	int limit;
	int64_t offset;
};

/* ---- rules (registry_rules.c): pure validation, no I/O ---- */

/* Validate and normalize a person as described at struct registry_person_in. `today` is
 * "YYYY-MM-DD" (NULL: the current date). Error fields are relative: "id_number",
 * "income_items[1].amount_fen". */
int registry_person_check(struct registry_person_in *p, const char *today, struct err *e);

/* Validate a household for creation: region_code 12 digits, residence_type, address ≤ 200
 * characters, phone, 1–20 members each valid (fields "members[i]…"), exactly one head (400
 * head_count, field "members"), no ID number twice (400 duplicate_id_number). */
int registry_household_check(struct registry_household_in *h, const char *today, struct err *e);

/* Validate the fields present in a household PATCH (address, residence_type, phone; at least
 * one). region_code may not change in v1: registry_household_patch refuses a different one. */
int registry_household_patch_check(struct registry_household_in *h, struct err *e);

/* A reason for removal or a move: required or optional, ≤ 200 characters, no control chars. */
int registry_reason_check(const char *reason, int required, struct err *e);

/* 1 when `word` is one of the relation / tag names of docs/api.md. */
int registry_relation_valid(const char *word);
int registry_tag_valid(const char *word);

/* ---- store (registry_store.c) ---- */

/* Create a household with its members (validates first). Audited "household.create".
 * *out_id receives the new household's id. One write transaction of its own, or — when the
 * caller has one open (an import) — inside the caller's, which then commits or rolls back
 * (a failure may leave part of the household written: wrap the call in a savepoint). */
int registry_household_create(struct db *db, const struct actor *a,
			      struct registry_household_in *in, int64_t *out_id, struct err *e);

/* Read a household and its active members. unmask=1 needs PERM_REGISTRY_UNMASK (else 403
 * forbidden) and is audited "household.unmask" before the data is returned. */
int registry_household_get(struct db *db, const struct actor *a, int64_t id, int unmask,
			   struct registry_household *out, struct err *e);

/* Change address / residence_type / phone (the has bits of in). Audited "household.update". */
int registry_household_patch(struct db *db, const struct actor *a, int64_t id,
			     struct registry_household_in *in, struct err *e);

/* Add a member (or restore a removed person with that ID). Audited "person.add". Its own
 * transaction, or the caller's when one is open (as registry_household_create). 
 * 409 head_count when adding a second head; 409 member_limit past 20 active members. */
int registry_member_add(struct db *db, const struct actor *a, int64_t household_id,
			struct registry_person_in *in, int64_t *out_person_id, struct err *e);

/* Change the fields present in `in` (at least one; id_number is ignored: it is the person,
 * and a client may send back what it read). Making a member the head demotes the
 * current head to "other" (so a household always has one head); the head itself can't be
 * demoted directly (409 head_required). Audited "person.update". */
int registry_person_patch(struct db *db, const struct actor *a, int64_t person_id,
			  struct registry_person_in *in, struct err *e);

/* Mark a member removed (kept for history). reason required. The head can't be removed while
 * other active members remain (409 head_required). Audited "person.remove". */
int registry_member_remove(struct db *db, const struct actor *a, int64_t household_id,
			   int64_t person_id, const char *reason, struct err *e);

/* Move an active person into another household (both in scope) with a new relation. Moving the
 * head out is refused while others remain (409 head_required); moving in as head where there is
 * one is refused (409 head_count). Audited "person.move", with history. */
int registry_person_move(struct db *db, const struct actor *a, int64_t person_id,
			 int64_t to_household_id, const char *relation, const char *reason,
			 struct err *e);

/* Read a person (any status) with history. unmask as for registry_household_get
 * ("person.unmask"). Release with registry_person_detail_release. */
int registry_person_get(struct db *db, const struct actor *a, int64_t person_id, int unmask,
			struct registry_person_detail *out, struct err *e);
void registry_person_detail_release(struct registry_person_detail *d);

/* Search active persons in the caller's scope; see struct registry_person_query. Order:
 * region_code, household_id, id; for a name prefix: name, region_code, id (the name index
 * order, so a page never sorts every match). Release with registry_person_page_release. */
int registry_person_search(struct db *db, const struct actor *a,
			   const struct registry_person_query *q, struct registry_person_page *out,
			   struct err *e);
void registry_person_page_release(struct registry_person_page *pg);

/* ---- JSON (registry_json.c) ---- */

/* PERSON / HOUSEHOLD of docs/api.md; id_number and phone masked unless unmasked. New
 * references (caller owns). `today` "YYYY-MM-DD" for age, NULL: the current date. */
json_t *registry_person_json(const struct registry_person *p, int unmasked, const char *today);
json_t *registry_person_detail_json(const struct registry_person_detail *d, const char *today);
json_t *registry_household_json(const struct registry_household *h, const char *today);

/* JSON → input. Unknown keys are ignored; a wrong JSON type or an over-long string answers 400
 * (invalid_value, or invalid_id_number / invalid_phone for those fields) naming the field.
 * Sets the has bits of the keys present; values are validated later by the rules. */
int registry_person_from_json(const json_t *o, struct registry_person_in *out, struct err *e);
int registry_household_from_json(const json_t *o, struct registry_household_in *out,
				 struct err *e);

#endif
