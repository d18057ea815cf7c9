/* migrate.h — versioned schema migrations, applied in order at start-up.
 *
 * The schema_version table records each applied version; db_migrate applies every newer one,
 * each in its own transaction, so a newer binary upgrades an older database in place. A module
 * owns its tables: its migration SQL lives in its _store.c file and is listed in migrate.c.
 */
#ifndef MZ_MIGRATE_H
#define MZ_MIGRATE_H

#include "db/db.h"

/* Apply the missing migrations. -1 with e: 409 "db_too_new" when the database is newer than this
 * binary ("数据库 … 的版本为第 N 版，高于本程序支持的第 M 版，请升级 minzheng"), 503
 * "db_readonly" when it needs upgrading but cannot be written, or the failed migration. */
int db_migrate(struct db *db, struct err *e);
/* The database's version, or -1 with e when it cannot be read or is newer than this binary
 * (db_too_new, as above). Does not write. */
int db_schema_check(struct db *db, struct err *e);
/* The newest schema version this binary knows. */
int db_schema_latest(void);
/* The version the database is at (0 for an empty database). */
int db_schema_current(struct db *db);

#endif
