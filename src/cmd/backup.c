/* cmd/backup.c — `minzheng backup --db PATH --to FILE [--force] [--passphrase-file PF]` and
 * `minzheng restore --from FILE --db PATH [--force] [--passphrase-file PF]`.
 *
 * backup: an online copy with SQLite's backup API (db/db_backup.c) — safe while a server writes —
 * into a temporary file next to FILE, checked (integrity_check and the audit chain) before it is
 * renamed to FILE, so FILE is never a half-written copy. The backup is recorded in the source's
 * audit log (backup.create, with the file name and size).
 *
 * restore: the backup is copied into a temporary file next to PATH and checked there (integrity,
 * a schema version this binary knows, the audit chain), migrated, restore.apply recorded in it,
 * and only then renamed over PATH. A PATH still open by a running server is refused.
 *
 * Encrypted backups (core/crypt_file.h): with a passphrase (--passphrase-file, or the environment
 * variable MZ_BACKUP_PASSPHRASE; never a command-line argument, which ps shows) the checked copy
 * is made next to the database (where the plaintext already is), encrypted into the temporary
 * file next to FILE, and removed; restore recognises the MZBK1 header and decrypts into the
 * temporary file it checks, so every check above applies to an encrypted backup too.
 *
 * A PostgreSQL database (--db postgresql://…) is backed up with pg_dump and restored with
 * pg_restore: cmd/backup_pg.c, after the checks of the arguments made here for both.
 */
#include "audit/audit.h"
#include "cmd/backup.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "core/actor.h"
#include "core/crypt_file.h"
#include "db/db_backup.h"
#include "db/migrate.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct progress {
	const char *what;
	int shown;
};

static void show_progress(int done, int total, void *ctx)
{
	struct progress *p = ctx;
	if (total <= 0)
		return;
	fprintf(stderr, "\r%s %3d%%（%d/%d 页）", p->what, (int)((int64_t)done * 100 / total), done,
		total);
	p->shown = 1;
}

static void end_progress(struct progress *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}

/* A temporary name in the same directory as path (so that rename() is atomic). */
void backup_temp_name(char *out, size_t n, const char *path, const char *tag)
{
	snprintf(out, n, "%s.%s-%ld", path, tag, (long)getpid());
}

static void remove_db_files(const char *path)
{
	char side[4200];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

/* fsync a file and the directory holding it, so a completed rename survives a power cut. */
void backup_sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

long long backup_file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (long long)sb.st_size : -1;
}

int backup_check_audit(struct db *db, int64_t *rows)
{
	struct err e;
	int64_t bad = 0;
	char why[512] = "";
	int rc = audit_verify(db, rows, &bad, why, sizeof why, &e);
	if (rc < 0) {
		cli_print_err(&e);
		return -1;
	}
	if (rc > 0) {
		fprintf(stderr, "错误：审计日志哈希链校验未通过：%s（记录 id=%lld）\n", why,
			(long long)bad);
		return -1;
	}
	return 0;
}

/* Check a copy: integrity, and the audit chain (rows counted into *rows). 0, or -1 printed. */
static int check_copy(struct db *db, int64_t *rows)
{
	struct err e;
	if (db_backup_integrity(db, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	return backup_check_audit(db, rows);
}

/* {"file":…,"bytes":…,…} for the audit row; malloc'd (caller frees) or NULL. */
char *backup_detail_json(const char *key, const char *file, long long bytes, int64_t rows,
			 int encrypted)
{
	json_t *o = json_pack("{s:s,s:I,s:I,s:b}", key, file, "bytes", (json_int_t)bytes,
			      "audit_rows", (json_int_t)rows, "encrypted", encrypted);
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(o);
	return s;
}

int backup_record(struct db *db, const char *action, const char *object, const char *detail)
{
	struct err e;
	struct actor sys;
	actor_system(&sys);
	if (audit_record(db, &sys, action, object, "ok", detail, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	return 0;
}

int backup_record_created(struct db *db, const char *to, int64_t rows, int encrypted, long long *bytes)
{
	backup_sync_path(to);
	*bytes = backup_file_size(to);
	char object[300], *detail = backup_detail_json("file", to, *bytes, rows, encrypted);
	char base[4200];
	snprintf(base, sizeof base, "%s", to);
	snprintf(object, sizeof object, "backup:%s", basename(base));
	int arc = detail ? backup_record(db, "backup.create", object, detail) : -1;
	free(detail);
	if (arc < 0) {
		fprintf(stderr, "错误：备份已写入 %s，但未能记入审计日志\n", to);
		return -1;
	}
	return 0;
}

/* The passphrase of an encrypted backup: --passphrase-file (command line or config file), else
 * $MZ_BACKUP_PASSPHRASE. 1 loaded into out, 0 none, -1 printed (a passphrase given as a plain
 * --passphrase argument is refused: every user on the machine can read it with ps). */
int backup_load_passphrase(int argc, char **argv, char *out, size_t n)
{
	struct err e;
	if (cli_opt(argc, argv, "passphrase")) {
		fprintf(stderr, "错误：不接受 --passphrase 口令参数（命令行对本机所有用户可见），"
				"请用 --passphrase-file 口令文件或环境变量 MZ_BACKUP_PASSPHRASE\n");
		return -1;
	}
	const char *file = cli_opt(argc, argv, "passphrase-file");
	int rc = crypt_passphrase_load(file, "MZ_BACKUP_PASSPHRASE", out, n, &e);
	if (rc < 0)
		cli_print_err(&e);
	return rc;
}

/* Encrypt the checked plaintext copy plain into enc (next to to) and rename it to to. */
static int encrypt_copy(const char *plain, const char *enc, const char *to, const char *pass,
			const struct crypt_params *cp, int quiet)
{
	struct err e;
	if (!quiet && isatty(2))
		fprintf(stderr, "加密备份（Argon2id 派生密钥，XChaCha20-Poly1305 分块加密）…\n");
	remove_db_files(enc);
	if (crypt_file_encrypt(plain, enc, pass, strlen(pass), cp, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	if (rename(enc, to) != 0) {
		fprintf(stderr, "错误：无法写入备份文件 %s：%s\n", to, strerror(errno));
		unlink(enc);
		return -1;
	}
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help")) {
		printf("用法: minzheng backup --db PATH --to FILE [--force] [--quiet]\n"
		       "                        [--passphrase-file PF] [--kdf-strength moderate]\n"
		       "在线备份数据库（SQLite 在线备份接口，服务运行时也可执行，得到一致的快照）；\n"
		       "PostgreSQL 数据库（--db postgresql://…）用 pg_dump --format=custom 备份\n"
		       "（需要 postgresql-client，其版本不低于服务器的主版本）；\n"
		       "备份文件经完整性检查与审计日志哈希链校验后才落盘为 FILE；FILE 已存在时需 --force；\n"
		       "备份操作记入源数据库的审计日志（backup.create）。\n"
		       "加密备份：--passphrase-file 口令文件（取第一行，至少 8 个字符）或环境变量\n"
		       "MZ_BACKUP_PASSPHRASE；Argon2id 派生密钥（--kdf-strength\n"
		       "interactive|moderate|sensitive，默认 moderate），XChaCha20-Poly1305 分块加密。\n"
		       "口令不可写在命令行上。\n"
		       "usage: consistent online backup of the database into FILE, verified,\n"
		       "optionally encrypted.\n");
		return 0;
	}
	const char *path = cli_opt(argc, argv, "db"), *to = cli_opt(argc, argv, "to");
	int force = cli_flag(argc, argv, "force"), quiet = cli_flag(argc, argv, "quiet");
	if (!path || !to) {
		fprintf(stderr, "错误：用法 minzheng backup --db PATH --to FILE [--force]\n");
		return 2;
	}
	int pg = db_backup_is_pg(path);
	if (!pg && access(path, F_OK) != 0) {
		fprintf(stderr, "错误：数据库文件不存在：%s\n", path);
		return 2;
	}
	if (access(to, F_OK) == 0 && !force) {
		fprintf(stderr, "错误：备份文件已存在：%s（覆盖请加 --force）\n", to);
		return 2;
	}
	if (pg && db_backup_is_pg(to)) {
		fprintf(stderr, "错误：备份文件不能是数据库本身：--to 应是文件路径，不是数据库连接串\n");
		return 2;
	}
	if (!pg && same_file(path, to)) {
		fprintf(stderr, "错误：备份文件不能是数据库本身：%s\n", to);
		return 2;
	}
	char *pass = sodium_init() < 0 ? NULL : sodium_malloc(CRYPT_PASS_MAX_BYTES + 2);
	if (!pass) {
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	int encrypted = backup_load_passphrase(argc, argv, pass, CRYPT_PASS_MAX_BYTES + 2);
	struct crypt_params cp;
	enum crypt_strength strength = CRYPT_MODERATE;
	struct err e;
	const char *ks = cli_opt(argc, argv, "kdf-strength");
	if (encrypted >= 0 && ks && crypt_strength_parse(ks, &strength, &e) < 0) {
		cli_print_err(&e);
		encrypted = -1;
	}
	if (encrypted < 0) {
		sodium_free(pass);
		return 2;
	}
	crypt_params_for(strength, &cp);
	umask(077); /* personal data: every file made here is readable by the service's user only */
	struct db *db, *copy = NULL;
	/* Not migrated: a backup taken before an upgrade must be of the database as it was. */
	if (db_open(&db, path, &e) < 0) {
		cli_print_err(&e);
		sodium_free(pass);
		return 2;
	}
	if (pg) {
		int prc = backup_pg(db, path, to, encrypted ? pass : NULL, &cp, quiet);
		db_close(db);
		sodium_free(pass);
		return prc;
	}
	if (db_schema_current(db) <= 0) {
		fprintf(stderr, "错误：%s 不是 minzheng 的数据库（没有 schema_version）\n", path);
		db_close(db);
		sodium_free(pass);
		return 2;
	}
	/* The plaintext copy: next to FILE, or next to the database when FILE is to be encrypted. */
	char tmp[4200], enc[4200];
	backup_temp_name(tmp, sizeof tmp, encrypted ? path : to, "partial");
	backup_temp_name(enc, sizeof enc, to, "partial");
	remove_db_files(tmp);
	struct progress p = {.what = "备份中"};
	int pages = 0, rc = 1;
	int64_t rows = 0;
	if (db_backup_copy(db, tmp, quiet || !isatty(2) ? NULL : show_progress, &p, &pages, &e) < 0) {
		end_progress(&p);
		cli_print_err(&e);
		goto out;
	}
	end_progress(&p);
	if (!quiet && isatty(2))
		fprintf(stderr, "校验备份副本（完整性检查、审计日志哈希链）…\n");
	if (db_open(&copy, tmp, &e) < 0) {
		cli_print_err(&e);
		goto out;
	}
	if (check_copy(copy, &rows) < 0 || db_backup_single_file(copy, &e) < 0) {
		if (e.message[0])
			cli_print_err(&e);
		fprintf(stderr, "错误：备份副本校验未通过，未生成 %s\n", to);
		goto out;
	}
	db_close(copy);
	copy = NULL;
	(void)chmod(tmp, 0600); /* personal data: readable by the service's user only */
	if (encrypted) {
		if (encrypt_copy(tmp, enc, to, pass, &cp, quiet) < 0)
			goto out;
	} else if (rename(tmp, to) != 0) {
		fprintf(stderr, "错误：无法写入备份文件 %s：%s\n", to, strerror(errno));
		goto out;
	}
	long long bytes;
	if (backup_record_created(db, to, rows, encrypted, &bytes) < 0)
		goto out;
	printf("备份完成：%s（%lld 字节，%d 页%s；完整性检查通过，审计日志 %lld 条记录哈希链完好）\n",
	       to, bytes, pages, encrypted ? "，已加密" : "", (long long)rows);
	rc = 0;
out:
	e.message[0] = '\0';
	db_close(copy);
	if (rc != 0 || encrypted)
		remove_db_files(tmp);
	db_close(db);
	sodium_free(pass);
	return rc;
}

/* Whether another process still has path open: our own open + close checkpoints and removes the
 * WAL unless someone else holds the database. */
static int in_use(const char *path)
{
	struct db *db;
	struct err e;
	char wal[4200];
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (db_open(&db, path, &e) < 0)
		return access(wal, F_OK) == 0;
	db_close(db);
	return access(wal, F_OK) == 0;
}

int cmd_restore(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help")) {
		printf("用法: minzheng restore --from FILE --db PATH [--force] [--quiet]\n"
		       "                         [--passphrase-file PF]\n"
		       "从备份恢复数据库：先在 PATH 旁的临时文件中检查备份（完整性、数据库版本不新于本程序、\n"
		       "审计日志哈希链完好），通过后才替换 PATH；PATH 已存在时需 --force，且须先停止服务。\n"
		       "恢复操作记入恢复后数据库的审计日志（restore.apply）。\n"
		       "PostgreSQL 数据库（--db postgresql://…）用 pg_restore 恢复：库须已建好；\n"
		       "已有数据表时需 --force，且不能有其他连接（先停止服务）；原有数据在恢复的数据\n"
		       "通过全部检查前一直保留。\n"
		       "加密备份（MZBK1）需要口令：--passphrase-file 口令文件或环境变量 MZ_BACKUP_PASSPHRASE。\n"
		       "usage: check a backup and put it in place of the database at PATH.\n");
		return 0;
	}
	const char *from = cli_opt(argc, argv, "from"), *path = cli_opt(argc, argv, "db");
	int force = cli_flag(argc, argv, "force"), quiet = cli_flag(argc, argv, "quiet");
	if (!from || !path) {
		fprintf(stderr, "错误：用法 minzheng restore --from FILE --db PATH [--force]\n");
		return 2;
	}
	if (db_backup_is_pg(path))
		return restore_pg(argc, argv, from, path, force, quiet);
	if (access(from, R_OK) != 0) {
		fprintf(stderr, "错误：无法读取备份文件：%s\n", from);
		return 2;
	}
	int exists = access(path, F_OK) == 0;
	if (exists && !force) {
		fprintf(stderr, "错误：数据库文件已存在：%s（用备份替换它请加 --force）\n", path);
		return 2;
	}
	struct err e;
	int encrypted = crypt_file_is_encrypted(from, &e);
	if (encrypted < 0) {
		cli_print_err(&e);
		return 2;
	}
	char *pass = sodium_init() < 0 ? NULL : sodium_malloc(CRYPT_PASS_MAX_BYTES + 2);
	if (!pass) {
		fprintf(stderr, "错误：内存不足\n");
		return 1;
	}
	int have = backup_load_passphrase(argc, argv, pass, CRYPT_PASS_MAX_BYTES + 2);
	if (have < 0 || (encrypted && have == 0)) {
		if (have == 0)
			fprintf(stderr, "错误：备份文件 %s 是加密备份，需要口令：请用 --passphrase-file "
					"指定口令文件，或设置环境变量 MZ_BACKUP_PASSPHRASE"
					"（passphrase_required）\n",
				from);
		sodium_free(pass);
		return 2;
	}
	char tmp[4200];
	backup_temp_name(tmp, sizeof tmp, path, "restoring");
	remove_db_files(tmp);
	struct db *db = NULL;
	struct progress p = {.what = "恢复中"};
	int64_t rows = 0;
	int rc = 1;
	if (encrypted) {
		if (!quiet && isatty(2))
			fprintf(stderr, "解密备份…\n");
		if (crypt_file_decrypt(from, tmp, pass, strlen(pass), &e) < 0) {
			fprintf(stderr, "错误：备份文件 %s 无法解密：%s（%s），未恢复\n", from, e.message,
				e.code);
			goto out;
		}
	} else if (db_backup_copy_file(from, tmp, quiet || !isatty(2) ? NULL : show_progress, &p,
				       &e) < 0) {
		end_progress(&p);
		fprintf(stderr, "错误：备份文件 %s 无法使用：%s\n", from, e.message);
		goto out;
	}
	end_progress(&p);
	if (!quiet && isatty(2))
		fprintf(stderr, "校验备份（完整性检查、数据库版本、审计日志哈希链）…\n");
	if (db_open(&db, tmp, &e) < 0) {
		fprintf(stderr, "错误：备份文件 %s 无法使用：%s\n", from, e.message);
		goto out;
	}
	if (db_backup_integrity(db, &e) < 0) {
		fprintf(stderr, "错误：备份文件 %s 已损坏：%s\n", from, e.message);
		goto out;
	}
	int version = db_schema_current(db);
	if (version <= 0) {
		fprintf(stderr, "错误：备份文件 %s 不是 minzheng 的数据库（没有 schema_version）\n", from);
		goto out;
	}
	if (version > db_schema_latest()) {
		fprintf(stderr, "错误：备份的数据库版本 %d 比本程序支持的版本 %d 新，请用更新的 minzheng 恢复\n",
			version, db_schema_latest());
		goto out;
	}
	if (check_copy(db, &rows) < 0) {
		fprintf(stderr, "错误：备份文件 %s 未通过校验，未恢复\n", from);
		goto out;
	}
	if (db_migrate(db, &e) < 0) {
		cli_print_err(&e);
		goto out;
	}
	char *detail = backup_detail_json("from", from, backup_file_size(from), rows, encrypted);
	int arc = detail ? backup_record(db, "restore.apply", "database", detail) : -1;
	free(detail);
	if (arc < 0)
		goto out;
	db_close(db);
	db = NULL;
	if (exists && in_use(path)) {
		fprintf(stderr, "错误：数据库 %s 正被其他进程使用（服务仍在运行？），请先停止服务再恢复\n",
			path);
		goto out;
	}
	if (rename(tmp, path) != 0) {
		fprintf(stderr, "错误：无法替换 %s：%s\n", path, strerror(errno));
		goto out;
	}
	backup_sync_path(path);
	printf("恢复完成：%s → %s（%s完整性检查通过，审计日志 %lld 条记录哈希链完好；已记录 restore.apply）\n",
	       from, path, encrypted ? "已解密，" : "", (long long)rows);
	rc = 0;
out:
	db_close(db);
	if (rc != 0)
		remove_db_files(tmp);
	sodium_free(pass);
	return rc;
}
