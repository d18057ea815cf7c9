/* cmd/crypt.c — `minzheng decrypt` (an encrypted backup back to the plain SQLite file or pg_dump
 * archive) and `minzheng unzip-export` (an encrypted export ZIP opened on Linux, where 7-Zip may
 * be missing).
 *
 * Both take the passphrase from a file (--passphrase-file, also settable in the config file) or
 * from the environment (MZ_BACKUP_PASSPHRASE, MZ_EXPORT_PASSPHRASE), never from a command-line
 * argument; the work itself is core/crypt_file.c and export/export_zip.c.
 */
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "core/crypt_file.h"
#include "export/export_zip.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The passphrase into a sodium_malloc'd buffer (*out, caller sodium_free's). 1 loaded, 0 none,
 * -1 printed. */
static int passphrase(int argc, char **argv, const char *env, char **out)
{
	struct err e;
	*out = sodium_init() < 0 ? NULL : sodium_malloc(CRYPT_PASS_MAX_BYTES + 2);
	if (!*out) {
		fprintf(stderr, "错误：内存不足\n");
		return -1;
	}
	if (cli_opt(argc, argv, "passphrase")) {
		fprintf(stderr,
			"错误：不接受 --passphrase 口令参数（命令行对本机所有用户可见），"
			"请用 --passphrase-file 口令文件或环境变量 %s\n",
			env);
		return -1;
	}
	int rc = crypt_passphrase_load(cli_opt(argc, argv, "passphrase-file"), env, *out,
				       CRYPT_PASS_MAX_BYTES + 2, &e);
	if (rc < 0)
		cli_print_err(&e);
	return rc;
}

int cmd_decrypt(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help")) {
		printf(
		    "用法: minzheng decrypt --from FILE --to PLAIN [--force] --passphrase-file PF\n"
		    "把加密备份（MZBK1）解密为普通的备份文件 PLAIN（权限 0600），例如供检查：\n"
		    "SQLite 数据库的备份解密为 SQLite 文件，PostgreSQL 的备份解密为 pg_dump 归档\n"
		    "（可用 pg_restore 查看或恢复）；\n"
		    "口令取自口令文件的第一行，或环境变量 MZ_BACKUP_PASSPHRASE。\n"
		    "口令错误、文件被截断或被篡改时报错，不留下 PLAIN。\n"
		    "usage: decrypt an encrypted backup into a plain database file or pg_dump archive.\n");
		return 0;
	}
	const char *from = cli_opt(argc, argv, "from"), *to = cli_opt(argc, argv, "to");
	int force = cli_flag(argc, argv, "force");
	if (!from || !to) {
		fprintf(
		    stderr,
		    "错误：用法 minzheng decrypt --from FILE --to PLAIN --passphrase-file PF\n");
		return 2;
	}
	struct err e;
	int enc = crypt_file_is_encrypted(from, &e);
	if (enc < 0) {
		cli_print_err(&e);
		return 2;
	}
	if (!enc) {
		fprintf(stderr, "错误：%s 不是加密备份（没有 MZBK1 文件头），无需解密\n", from);
		return 2;
	}
	if (access(to, F_OK) == 0 && !force) {
		fprintf(stderr, "错误：文件已存在：%s（覆盖请加 --force）\n", to);
		return 2;
	}
	char *pass;
	int have = passphrase(argc, argv, "MZ_BACKUP_PASSPHRASE", &pass);
	if (have <= 0) {
		if (have == 0)
			fprintf(
			    stderr,
			    "错误：%s 是加密备份，需要口令：请用 --passphrase-file 指定口令文件，"
			    "或设置环境变量 MZ_BACKUP_PASSPHRASE（passphrase_required）\n",
			    from);
		sodium_free(pass);
		return 2;
	}
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.partial-%ld", to, (long)getpid());
	unlink(tmp);
	int rc = 1;
	if (crypt_file_decrypt(from, tmp, pass, strlen(pass), &e) < 0) {
		fprintf(stderr, "错误：%s 无法解密：%s（%s），未生成 %s\n", from, e.message, e.code,
			to);
	} else if (rename(tmp, to) != 0) {
		fprintf(stderr, "错误：无法写入 %s：%s\n", to, strerror(errno));
		unlink(tmp);
	} else {
		struct stat sb;
		long long bytes = stat(to, &sb) == 0 ? (long long)sb.st_size : -1;
		printf("解密完成：%s → %s（%lld 字节；每一块都已校验，文件完整）\n", from, to,
		       bytes);
		rc = 0;
	}
	sodium_free(pass);
	return rc;
}

static void show_entry(const char *name, uint64_t size, int encrypted, void *ctx)
{
	const char *dir = ctx;
	printf("%s/%s（%llu 字节%s）\n", dir, name, (unsigned long long)size,
	       encrypted ? "，已解密" : "，未加密");
}

int cmd_unzip_export(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help")) {
		printf("用法: minzheng unzip-export --from FILE.zip --to DIR [--force] "
		       "--passphrase-file PF\n"
		       "解开加密导出的 ZIP（AES-256），把其中的 Excel/CSV 文件写入目录 DIR（权限 "
		       "0600）；\n"
		       "口令取自口令文件的第一行，或环境变量 MZ_EXPORT_PASSPHRASE。\n"
		       "usage: extract an encrypted export ZIP (AES-256) into DIR.\n");
		return 0;
	}
	const char *from = cli_opt(argc, argv, "from"), *dir = cli_opt(argc, argv, "to");
	int force = cli_flag(argc, argv, "force");
	if (!from || !dir) {
		fprintf(stderr, "错误：用法 minzheng unzip-export --from FILE.zip --to DIR "
				"--passphrase-file PF\n");
		return 2;
	}
	struct stat sb;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		fprintf(stderr, "错误：目录不存在：%s\n", dir);
		return 2;
	}
	char *pass;
	int have = passphrase(argc, argv, "MZ_EXPORT_PASSPHRASE", &pass);
	if (have < 0) {
		sodium_free(pass);
		return 2;
	}
	struct err e;
	int rc =
	    export_zip_extract(from, dir, have ? pass : NULL, force, show_entry, (void *)dir, &e);
	sodium_free(pass);
	if (rc < 0) {
		cli_print_err(&e);
		return !strcmp(e.code, "passphrase_required") || !strcmp(e.code, "exists") ? 2 : 1;
	}
	return 0;
}
