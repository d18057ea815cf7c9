/* fuzz_region.c — libFuzzer target for region codes from outside: the ?region= list filter
 * (scope_region_filter) and the scope predicates under several scopes, the level of a code, the
 * point lookups on the shipped region tree (regions_get, regions_exists, regions_ancestors,
 * regions_children), and — on a second, scratch database — regions_import_csv with the input as
 * the regions file (and as the units overlay beside a small valid regions file).
 *
 * Input: the first line is the code; the whole input is the CSV. Invariants: the filter answers
 * -1 exactly when the code is not digits or longer than 12 (400 invalid_value, field region),
 * else 0 when it overlaps the scope and 1 when not; a code inside a scope overlaps it; a code's
 * level follows its length; every ancestor of a known code is a proper prefix of it; a refused
 * import changes nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/actor.h"
#include "core/scope.h"
#include "db/db.h"
#include "db/migrate.h"
#include "regions/regions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db, *scratch;

static void require(int ok, const char *what, const char *input)
{
	if (!ok) {
		fprintf(stderr, "fuzz_region: invariant broken: %s (input \"%s\")\n", what, input);
		abort();
	}
}

static struct db *open_db(int builtin)
{
	struct db *d;
	struct err e;
	if (db_open(&d, ":memory:", &e) < 0 || db_migrate(d, &e) < 0 ||
	    (builtin && regions_load_builtin(d, &e) < 0)) {
		fprintf(stderr, "fuzz setup: %s\n", e.message);
		abort();
	}
	return d;
}

static void check_scopes(const char *z)
{
	static const char *const prefixes[][2] = {
		{"", NULL}, {"37", NULL}, {"3707", NULL}, {"370704", NULL}, {"370704008", "370705"},
	};
	size_t len = strlen(z);
	int digits = strspn(z, "0123456789") == len;
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		struct scope s;
		memset(&s, 0, sizeof s);
		for (int k = 0; k < 2 && prefixes[i][k]; k++)
			snprintf(s.prefix[s.n++], REGION_CODE_MAX, "%s", prefixes[i][k]);
		struct err e;
		err_clear(&e);
		int rc = scope_region_filter(&s, z, &e);
		int in = scope_contains(&s, z), covers = scope_covers(&s, z);
		int overlaps = scope_overlaps(&s, z);
		if (len == 0) {
			require(rc == 0, "an empty filter is no filter", z);
			continue;
		}
		if (!digits || len > 12) {
			require(rc == -1 && e.status == 400 && strcmp(e.field, "region") == 0,
				"a malformed filter is 400", z);
			continue;
		}
		require(rc == (overlaps ? 0 : 1), "filter = overlap", z);
		require(!in || overlaps, "inside implies overlap", z);
		require(!covers || in, "covered implies inside", z);
	}
	/* The empty scope: nothing is inside, a well-formed filter is outside. */
	struct scope none;
	memset(&none, 0, sizeof none);
	require(!scope_contains(&none, z), "empty scope holds nothing", z);
	int lvl = regions_level_of_code(z);
	static const size_t lens[] = {0, 2, 4, 6, 9, 12};
	require(lvl >= 0 && lvl <= 5, "level range", z);
	if (lvl)
		require(digits && len == lens[lvl], "level from length", z);
	(void)regions_level_name(lvl);
	(void)regions_level_name(len > 0 ? (unsigned char)z[0] : -1);
}

static void check_lookups(const char *z)
{
	struct region r, anc[8];
	struct err e;
	int known = regions_exists(db, z);
	err_clear(&e);
	int got = regions_get(db, z, &r, &e);
	require((got == 0) == (known == 1), "regions_get agrees with regions_exists", z);
	(void)regions_is_village(db, z);
	int n = 0;
	if (regions_ancestors(db, z, anc, 8, &n, &e) == 0) {
		require(n >= 0 && n <= 8, "ancestor count", z);
		for (int i = 0; i < n; i++)
			require(strlen(anc[i].code) < strlen(z) &&
					strncmp(anc[i].code, z, strlen(anc[i].code)) == 0,
				"ancestors are prefixes", z);
	}
	struct actor sys;
	actor_system(&sys);
	struct region *kids = NULL;
	int nk = 0;
	if (regions_children(db, &sys.scope, z, &kids, &nk, &e) == 0)
		require(nk >= 0 && (nk == 0 || kids), "children", z);
	free(kids);
}

static void check_import(const char *data, size_t size)
{
	static const char regions[] = "code,name,level,parent_code\n37,山东省,1,\n3707,潍坊市,2,37\n"
				      "370704,坊子区,3,3707\n370704008,坊安街道,4,370704\n";
	struct err e;
	int64_t before = db_query_int(scratch, "SELECT count(*) FROM regions", NULL);
	err_clear(&e);
	int rc = regions_import_csv(scratch, data, size, NULL, 0, &e);
	if (rc < 0)
		require(db_query_int(scratch, "SELECT count(*) FROM regions", NULL) == before,
			"a refused import changes nothing", "(csv)");
	int rc2 = regions_import_csv(scratch, regions, sizeof regions - 1, data, size, &e);
	if (rc == 0 || rc2 == 0) {
		/* Start the next input from the same empty database (determinism). */
		db_close(scratch);
		scratch = open_db(0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		db = open_db(1);
		scratch = open_db(0);
	}
	if (size > 8192)
		return 0;
	size_t nl = 0;
	while (nl < size && data[nl] != '\n' && data[nl] != '\0')
		nl++;
	char *z = malloc(nl + 1);
	if (!z)
		return 0;
	memcpy(z, data, nl);
	z[nl] = '\0';
	check_scopes(z);
	check_lookups(z);
	free(z);
	check_import((const char *)data, size);
	return 0;
}
