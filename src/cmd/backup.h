/* cmd/backup.h — what `minzheng backup` and `restore` share between an SQLite database
 * (cmd/backup.c) and a PostgreSQL one (cmd/backup_pg.c). Functions that print do so on stderr
 * and return -1.
 */
#ifndef MZ_CMD_BACKUP_H
#define MZ_CMD_BACKUP_H

#include <stddef.h>
#include <stdint.h>

#include "core/crypt_file.h"
#include "db/db.h"

/* A temporary name next to path: "PATH.TAG-PID" (same directory, so rename() is atomic). */
void backup_temp_name(char *out, size_t n, const char *path, const char *tag);
/* fsync a file and its directory. */
void backup_sync_path(const char *path);
long long backup_file_size(const char *path);
/* audit verify on db (rows counted into *rows): 0, or -1 printed. */
int backup_check_audit(struct db *db, int64_t *rows);
/* {KEY:file,"bytes":…,"audit_rows":…,"encrypted":…} for the audit row; malloc'd, or NULL. */
char *backup_detail_json(const char *key, const char *file, long long bytes, int64_t rows,
			 int encrypted);
/* An audit row by the system actor: 0, or -1 printed. */
int backup_record(struct db *db, const char *action, const char *object, const char *detail);
/* The finished backup file `to`: synced, then backup.create recorded with its size in *bytes:
 * 0, or -1 printed. */
int backup_record_created(struct db *db, const char *to, int64_t rows, int encrypted, long long *bytes);
/* The passphrase (--passphrase-file, config, MZ_BACKUP_PASSPHRASE): 1 loaded, 0 none, -1
 * printed. */
int backup_load_passphrase(int argc, char **argv, char *out, size_t n);

/* The PostgreSQL side (cmd/backup_pg.c), called once the common checks have passed: the exit
 * code of the command. backup: db is open on conn (not migrated); pass NULL for a plain backup. */
int backup_pg(struct db *db, const char *conn, const char *to, const char *pass,
	      const struct crypt_params *cp, int quiet);
int restore_pg(int argc, char **argv, const char *from, const char *conn, int force, int quiet);

#endif
