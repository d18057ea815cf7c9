/* migrate.h — versioned schema migrations, applied in order at start-up.
 *
 * The schema_version table records each applied version; db_migrate applies every newer one,
 * each in its own transaction, so a newer binary upgrades an older database in place. A module
 * owns its tables: its migration SQL lives in its _store.c file and is listed in migrate.c.
 */
#ifndef MZ_MIGRATE_H
#define MZ_MIGRATE_H

#include "db/db.h"

int db_migrate(struct db *db, struct err *e);
/* The newest schema version this binary knows. */
int db_schema_latest(void);
/* The version the database is at (0 for an empty database). */
int db_schema_current(struct db *db);

#endif
