/* db_internal.h — for the files of src/db/ only: the SQLite handle behind a struct db (the
 * online backup in db_backup.c). Modules use db.h. */
#ifndef MZ_DB_INTERNAL_H
#define MZ_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

sqlite3 *db_sqlite_handle(struct db *db);

#endif
