/* export_zip.c — AES-256 encrypted ZIPs of exports with libzip (see export_zip.h).
 *
 * Writing: the ZIP is built in a libzip memory buffer (the export itself is already bounded by
 * EXPORT_MAX_ROWS) and copied out once. Reading: each entry is streamed to a temporary file
 * next to its final name in 64 KiB blocks and renamed only when libzip has checked it (AES
 * entries carry an HMAC, checked at the end of the entry).
 */
#include "export/export_zip.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

int export_zip_encrypt(const char *name, const char *data, size_t len, int store, const char *pass,
		       char **zip, size_t *zip_len, struct err *e)
{
	*zip = NULL;
	*zip_len = 0;
	if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1))
		return err_set(e, 500, "encryption_unavailable", NULL,
			       "本机的 libzip 不支持 AES-256 加密，无法加密导出");
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *out = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_t *za = out ? zip_open_from_source(out, ZIP_TRUNCATE, &ze) : NULL;
	int rc = -1;
	if (!za) {
		err_set(e, 500, "internal", NULL, "无法创建 ZIP：%s", zip_error_strerror(&ze));
		zip_source_free(out);
		zip_error_fini(&ze);
		return -1;
	}
	zip_source_keep(out); /* read back after zip_close */
	zip_source_t *in = zip_source_buffer(za, data, len, 0);
	zip_int64_t idx = in ? zip_file_add(za, name, in, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE) : -1;
	if (idx < 0) {
		zip_source_free(in);
		err_set(e, 500, "internal", NULL, "无法写入 ZIP：%s", zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	if (zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, pass) < 0 ||
	    zip_set_file_compression(za, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE,
				     0) < 0) {
		err_set(e, 500, "internal", NULL, "无法设置 ZIP 加密：%s", zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	if (zip_close(za) < 0) {
		err_set(e, 500, "internal", NULL, "无法生成加密 ZIP：%s", zip_strerror(za));
		zip_discard(za);
		goto out;
	}
	zip_stat_t st;
	if (zip_source_stat(out, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    zip_source_open(out) < 0) {
		err_set(e, 500, "internal", NULL, "无法读取生成的 ZIP");
		goto out;
	}
	char *buf = malloc(st.size ? st.size : 1);
	zip_int64_t got = buf ? zip_source_read(out, buf, st.size) : -1;
	zip_source_close(out);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(buf);
		err_set(e, 500, "internal", NULL, buf ? "无法读取生成的 ZIP" : "内存不足");
		goto out;
	}
	*zip = buf;
	*zip_len = (size_t)st.size;
	rc = 0;
out:
	zip_source_free(out);
	zip_error_fini(&ze);
	return rc;
}

/* A plain file name: not empty, no directory part, not hidden, no control characters. */
static int plain_name(const char *s)
{
	if (!s || !*s || *s == '.' || strlen(s) > 200)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

static int zip_err(struct err *e, int code, const char *what, const char *msg)
{
	if (code == ZIP_ER_WRONGPASSWD)
		return err_set(e, 400, "wrong_passphrase", NULL, "口令不正确，无法解开 %s", what);
	if (code == ZIP_ER_NOPASSWD)
		return err_set(
		    e, 400, "passphrase_required", NULL,
		    "%s 已加密，需要口令：请用 --passphrase-file 或环境变量 MZ_EXPORT_PASSPHRASE",
		    what);
	if (code == ZIP_ER_CRC)
		return err_set(e, 400, "zip_tampered", NULL, "%s 已损坏或被篡改（校验失败）", what);
	return err_set(e, 400, "bad_zip", NULL, "%s 无法读取：%s", what, msg);
}

/* Stream entry i into dest (created 0600, exclusive). */
static int extract_one(zip_t *za, zip_uint64_t i, const char *name, const char *pass,
		       const char *dest, uint64_t *size, struct err *e)
{
	zip_file_t *zf = zip_fopen_index_encrypted(za, i, 0, pass);
	if (!zf)
		return zip_err(e, zip_error_code_zip(zip_get_error(za)), name, zip_strerror(za));
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		zip_fclose(zf);
		return err_set(e, 500, "write_failed", NULL, "无法创建 %s：%s", dest,
			       strerror(errno));
	}
	enum { BLOCK = 65536 };
	char *buf = malloc(BLOCK);
	int rc = buf ? 0 : err_oom(e);
	*size = 0;
	while (rc == 0) {
		zip_int64_t n = zip_fread(zf, buf, BLOCK);
		if (n < 0) {
			rc = zip_err(e, zip_error_code_zip(zip_file_get_error(zf)), name,
				     zip_file_strerror(zf));
			break;
		}
		if (n == 0)
			break;
		if (write(fd, buf, (size_t)n) != (ssize_t)n) {
			rc = err_set(e, 500, "write_failed", NULL, "写入 %s 失败：%s", dest,
				     strerror(errno));
			break;
		}
		*size += (uint64_t)n;
	}
	if (buf)
		sodium_memzero(buf, BLOCK);
	free(buf);
	int closed = zip_fclose(zf);
	if (rc == 0 && closed != 0)
		rc = zip_err(e, closed, name, zip_error_strerror(zip_get_error(za)));
	if (rc == 0 && fsync(fd) != 0)
		rc = err_set(e, 500, "write_failed", NULL, "写入 %s 失败：%s", dest,
			     strerror(errno));
	close(fd);
	if (rc < 0)
		unlink(dest);
	return rc;
}

int export_zip_extract(const char *path, const char *dir, const char *pass, int force,
		       export_zip_each_fn each, void *ctx, struct err *e)
{
	int zerr = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
	if (!za) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		err_set(e, 400, "bad_zip", NULL, "%s 不是可读取的 ZIP 文件：%s", path,
			zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	zip_int64_t n = zip_get_num_entries(za, 0);
	int rc = 0;
	/* Every name is checked before anything is written. */
	for (zip_int64_t i = 0; i < n && rc == 0; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		char final[4400];
		if (!plain_name(name)) {
			rc = err_set(e, 400, "bad_zip", NULL, "ZIP 中的文件名不安全：%s",
				     name ? name : "");
			break;
		}
		snprintf(final, sizeof final, "%s/%s", dir, name);
		if (!force && access(final, F_OK) == 0)
			rc = err_set(e, 409, "exists", NULL, "文件已存在：%s（覆盖请加 --force）",
				     final);
	}
	for (zip_int64_t i = 0; i < n && rc == 0; i++) {
		const char *name = zip_get_name(za, (zip_uint64_t)i, ZIP_FL_ENC_GUESS);
		zip_stat_t st;
		zip_stat_init(&st);
		int enc = zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 &&
			  (st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
			  st.encryption_method != ZIP_EM_NONE;
		char final[4400], tmp[4500];
		snprintf(final, sizeof final, "%s/%s", dir, name);
		snprintf(tmp, sizeof tmp, "%s.partial-%ld", final, (long)getpid());
		unlink(tmp);
		uint64_t size = 0;
		rc = extract_one(za, (zip_uint64_t)i, name, pass, tmp, &size, e);
		if (rc == 0 && rename(tmp, final) != 0) {
			rc = err_set(e, 500, "write_failed", NULL, "无法写入 %s：%s", final,
				     strerror(errno));
			unlink(tmp);
		}
		if (rc == 0 && each)
			each(name, size, enc, ctx);
	}
	zip_discard(za);
	return rc;
}
