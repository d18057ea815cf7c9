/* db_internal.h — for the files of src/db/ only: the SQLite handle behind a struct db (the
 * online backup in db_backup.c), and which backend a connection or a name is. Modules use db.h. */
#ifndef MZ_DB_INTERNAL_H
#define MZ_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

sqlite3 *db_sqlite_handle(struct db *db); /* SQLite connections only */

/* db_is_pg, db_is_pg_url: in db.h. */

#endif
