/* db_internal.h — for the files of src/db/ only: the SQLite handle behind a struct db (the
 * online backup in db_backup.c), and which backend a connection or a name is. Modules use db.h. */
#ifndef MZ_DB_INTERNAL_H
#define MZ_DB_INTERNAL_H

#include <sqlite3.h>

#include "db/db.h"

sqlite3 *db_sqlite_handle(struct db *db); /* SQLite connections only */

/* 1 when the connection is a PostgreSQL one (db_pg.c), 0 for SQLite. */
int db_is_pg(struct db *db);
/* 1 when path names a PostgreSQL database: a postgresql:// or postgres:// URL, or a libpq
 * keyword string (host=… dbname=…). */
int db_is_pg_url(const char *path);

#endif
