/* db_errors.h — for src/db/ only: the stable code and the Chinese message of each database-level
 * failure, the same from both backends (db_sqlite.c maps SQLite's result codes to them, db_pg.c
 * the SQLSTATEs), so an operator reads one text whatever the engine. `where` names the database
 * (a file's path, or "dbname@host" for a PostgreSQL server); `what` the operation that failed.
 * Each fills e and returns -1. */
#ifndef MZ_DB_ERRORS_H
#define MZ_DB_ERRORS_H

#include "core/err.h"

/* 503 busy: locked past the busy timeout (db_busy_timeout()). */
int db_err_busy(struct err *e, const char *what);
/* 507 disk_full: nothing of the change was kept. */
int db_err_disk_full(struct err *e, const char *where, const char *what);
/* 503 db_readonly: server != 0 for a database server that refuses writes (a standby, or
 * default_transaction_read_only), else a file that cannot be written. */
int db_err_readonly(struct err *e, int server, const char *where, const char *what);
/* 500 io_error. */
int db_err_io(struct err *e, const char *where, const char *what);
/* 503 out_of_memory. */
int db_err_nomem(struct err *e, const char *what);
/* 500 db_corrupt: server as for db_err_readonly. */
int db_err_corrupt(struct err *e, int server, const char *where, const char *what);
/* 500 txn_aborted: the write transaction was ended under its owner by an earlier failure. */
int db_err_txn_aborted(struct err *e);

/* MZ_FAULT_TRACE: print which statement met an injected fault (for reading a test's findings). */
void db_fault_trace(const char *what, const char *sql);

#endif
