/* testdb.h — a fresh, migrated database for each unit test: in memory on SQLite, or, with
 * MZ_TEST_PG_URL set (a postgresql:// URL, as tests/run.sh sets it for its PostgreSQL round), a
 * new database on that server copied from a migrated template (CREATE DATABASE … TEMPLATE): the
 * template is made once per test binary build, the copies are dropped as soon as they are closed
 * (at the next open) and at exit. */
#ifndef MZ_TESTDB_H
#define MZ_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "db/db.h"
#include "db/migrate.h"

#define TESTDB_MAX_OPEN 4096

static char testdb_made[TESTDB_MAX_OPEN][64];
static int testdb_nmade;
static int testdb_ndropped;

/* url with its database name replaced by name, into out. */
static inline void testdb_url_for(const char *url, const char *name, char *out, size_t n)
{
	const char *host = strstr(url, "://");
	const char *slash = host ? strchr(host + 3, '/') : NULL;
	size_t keep = slash ? (size_t)(slash - url) : strlen(url);
	const char *query = slash ? strchr(slash, '?') : NULL;
	snprintf(out, n, "%.*s/%s%s", (int)keep, url, name, query ? query : "");
}

static inline void testdb_fail(const char *what, struct err *e)
{
	fprintf(stderr, "testdb: %s: %s\n", what, e->message);
	abort();
}

static inline void testdb_admin(const char *sql, int must)
{
	struct db *admin = NULL;
	struct err e;
	if (db_open(&admin, getenv("MZ_TEST_PG_URL"), &e) < 0)
		testdb_fail("connect", &e);
	if (db_exec(admin, sql, &e) < 0 && must)
		testdb_fail(sql, &e);
	db_close(admin);
}

/* Drop this process's earlier copies that nothing holds open any more (force: all of them). */
static inline void testdb_drop_made(int force)
{
	struct db *admin = NULL;
	struct err e;
	if (db_open(&admin, getenv("MZ_TEST_PG_URL"), &e) < 0)
		return;
	for (int i = testdb_ndropped; i < testdb_nmade; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s%s", testdb_made[i], force ? " WITH (FORCE)" : "");
		if (db_exec(admin, sql, &e) < 0)
			break; /* still open: kept for the next time */
		testdb_ndropped = i + 1;
	}
	db_close(admin);
}

static inline void testdb_drop_all(void)
{
	testdb_drop_made(1);
}

static inline struct db *testdb_open_pg(const char *url)
{
	struct stat self;
	if (stat("/proc/self/exe", &self) < 0)
		self.st_mtime = 0;
	char tpl[64], url_for[512], sql[256];
	snprintf(tpl, sizeof tpl, "mz_unit_tpl_%lx", (unsigned long)self.st_mtime);
	struct db *admin = NULL, *db = NULL;
	struct err e;
	if (db_open(&admin, url, &e) < 0)
		testdb_fail("connect", &e);
	if (db_query_int(admin, "SELECT count(*) FROM pg_database WHERE datname = ?", tpl) != 1) {
		char tmp[64];
		snprintf(tmp, sizeof tmp, "mz_unit_new_%d", (int)getpid());
		snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", tmp);
		if (db_exec(admin, sql, &e) < 0)
			testdb_fail(sql, &e);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", tmp);
		if (db_exec(admin, sql, &e) < 0)
			testdb_fail(sql, &e);
		testdb_url_for(url, tmp, url_for, sizeof url_for);
		if (db_open(&db, url_for, &e) < 0 || db_migrate(db, &e) < 0)
			testdb_fail("migrate the template", &e);
		db_close(db);
		snprintf(sql, sizeof sql, "ALTER DATABASE %s RENAME TO %s", tmp, tpl);
		if (db_exec(admin, sql, &e) < 0) { /* made by another test binary meanwhile */
			snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", tmp);
			db_exec(admin, sql, &e);
		}
	}
	db_close(admin);
	if (testdb_nmade == TESTDB_MAX_OPEN) {
		fprintf(stderr, "testdb: more than %d databases in one test binary\n", TESTDB_MAX_OPEN);
		abort();
	}
	if (testdb_nmade == 0)
		atexit(testdb_drop_all);
	else
		testdb_drop_made(0);
	char *name = testdb_made[testdb_nmade];
	snprintf(name, sizeof testdb_made[0], "mz_u_%d_%d", (int)getpid(), testdb_nmade);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE %s", name, tpl);
	testdb_admin(sql, 1);
	testdb_nmade++;
	testdb_url_for(url, name, url_for, sizeof url_for);
	if (db_open(&db, url_for, &e) < 0)
		testdb_fail("open the copy", &e);
	return db;
}

static inline struct db *testdb_open(void)
{
	const char *pg_url = getenv("MZ_TEST_PG_URL");
	if (pg_url && *pg_url)
		return testdb_open_pg(pg_url);
	struct db *db = NULL;
	struct err e;
	if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0) {
		fprintf(stderr, "testdb: %s\n", e.message);
		abort();
	}
	return db;
}

#endif
