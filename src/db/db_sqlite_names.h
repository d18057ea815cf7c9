/* db_sqlite_names.h — included first by db_sqlite.c only: its public functions take the names
 * sqlite_db_*, and db.c (the dispatcher) defines the db_* names of db.h, sending each call to
 * the SQLite or the PostgreSQL backend (db_backend.h). */
#ifndef MZ_DB_SQLITE_NAMES_H
#define MZ_DB_SQLITE_NAMES_H

#define db_open sqlite_db_open
#define db_close sqlite_db_close
#define db_filename sqlite_db_filename
#define db_exec sqlite_db_exec
#define db_begin_write sqlite_db_begin_write
#define db_begin_read sqlite_db_begin_read
#define db_commit sqlite_db_commit
#define db_rollback sqlite_db_rollback
#define db_in_transaction sqlite_db_in_transaction
#define db_write_join sqlite_db_write_join
#define db_write_finish sqlite_db_write_finish
#define db_savepoint sqlite_db_savepoint
#define db_savepoint_end sqlite_db_savepoint_end
#define db_prepare sqlite_db_prepare
#define db_bind_int sqlite_db_bind_int
#define db_bind_text sqlite_db_bind_text
#define db_bind_textn sqlite_db_bind_textn
#define db_bind_blob sqlite_db_bind_blob
#define db_bind_null sqlite_db_bind_null
#define db_step sqlite_db_step
#define db_col_int sqlite_db_col_int
#define db_col_text sqlite_db_col_text
#define db_col_bytes sqlite_db_col_bytes
#define db_col_blob sqlite_db_col_blob
#define db_col_is_null sqlite_db_col_is_null
#define db_done sqlite_db_done
#define db_run sqlite_db_run
#define db_last_id sqlite_db_last_id
#define db_changes sqlite_db_changes
#define db_query_int sqlite_db_query_int
#define db_readonly sqlite_db_readonly
#define db_readonly_err sqlite_db_readonly_err

#endif
