/* hotline_internal.h — what the files of the hotline module share with each other and with
 * nobody else: small helpers for codes, times, regions, permissions, transactions and list
 * filters (hotline_util.c), and opening a case inside a call's transaction
 * (hotline_cases.c). Not for other modules: their face is hotline.h. */
#ifndef MZ_HOTLINE_INTERNAL_H
#define MZ_HOTLINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "hotline/hotline.h"

/* A code from a list: required or not ("" allowed then). 400 with field. */
int hotline_code_check(const struct hotline_code *list, const char *z, int required,
		       const char *field, const char *label, struct err *e);

int hotline_not_found(struct err *e, const char *what);

/* The current time "YYYY-MM-DDTHH:MM:SS+08:00" and day. */
void hotline_now(char out[32]);
void hotline_today(char out[11]);

/* A time the user gave for something that happened: "" = now; otherwise parsed (any offset)
 * and normalised to the bureau's zone; not in the future (a minute's grace for clocks). 400
 * invalid_value with field. */
int hotline_past_time(const char *in, const char *field, const char *label, char out[32],
		      struct err *e);
/* A day that happened: "" = today; a real day, not after today, not before not_before ("" = no
 * bound). 400 invalid_value with field. */
int hotline_past_day(const char *in, const char *not_before, const char *field, char out[11],
		     struct err *e);

/* The region `code`: known in the tree (400 invalid_region, field), under the city, and in the
 * actor's scope (404 not_found). name (128 bytes) and unit (16 bytes, "" above county level)
 * may be NULL. */
int hotline_region_check(struct db *db, const struct actor *a, const char *code,
			 const char *field, char *name, char *unit, struct err *e);
/* The management unit whose parameters apply to a region: its unit, else the city (the first 4
 * digits). */
void hotline_region_unit(struct db *db, const char *code, char unit[16]);

/* 1 when the actor acts for the whole city (the system, or a user whose scope code is at most
 * the city's 4 digits). */
int hotline_city_actor(const struct actor *a);
/* 403 unless the actor has registry.unmask. */
int hotline_unmask_allowed(const struct actor *a, struct err *e);

/* Begin a read transaction unless one is open: 1 began (end with hotline_end_read), 0 not, -1. */
int hotline_begin_read(struct db *db, struct err *e);
void hotline_end_read(struct db *db, int began);

/* End a write: commit when rc is 0, else roll back; returns 0 or -1. */
int hotline_finish(struct db *db, int rc, struct err *e);

/* A phone as typed ("" allowed) → its normalised form (core/phone.h); 400 invalid_phone with
 * the field. */
int hotline_phone_norm(const char *in, const char *field, char out[24], struct err *e);

/* A line by code (active or not): 0 found, 1 none, -1 error. */
int hotline_line_load(struct db *db, const char *code, struct hotline_line *out, struct err *e);

/* The value of a policy key in force this month for a region's unit (404 policy_missing). */
int hotline_param(struct db *db, const char *region_code, const char *key, int64_t *out,
		  struct err *e);

/* The case a call's correction chain has opened (0 none), -1 on error. */
int64_t hotline_chain_case(struct db *db, int64_t call_id, struct err *e);

/* A region filter for lists: "" or digits (≤ 12) overlapping the scope (404 otherwise). */
int hotline_region_filter(const struct actor *a, const char *region, struct err *e);
/* limit 0 → 20; 1..HOTLINE_PAGE_MAX; offset ≥ 0 (400 otherwise). */
int hotline_page_check(int *limit, int64_t offset, struct err *e);

/* Open a case inside the caller's write transaction (hotline_case_open without the
 * transaction; hotline_call_record uses it for a call that opens a case). */
int hotline_case_open_txn(struct db *db, const struct actor *a, const struct hotline_case_in *in,
			  int64_t *out_id, struct err *e);

#endif
