/* testdb.h — a fresh, migrated in-memory database for each unit test. */
#ifndef MZ_TESTDB_H
#define MZ_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include "db/db.h"
#include "db/migrate.h"

static inline struct db *testdb_open(void)
{
	struct db *db = NULL;
	struct err e;
	if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0) {
		fprintf(stderr, "testdb: %s\n", e.message);
		abort();
	}
	return db;
}

#endif
