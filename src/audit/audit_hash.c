/* audit_hash.c — SHA-256 and SM3 for the audit chain, through OpenSSL's EVP (see audit_hash.h).
 *
 * The two EVP_MD objects are fetched once per process (EVP_MD_fetch is slow and takes a lock)
 * and then shared by every thread, each digest using its own EVP_MD_CTX. SM3 may be missing
 * from an OpenSSL build (a FIPS-only provider); it is then NULL and refused with a message.
 */
#include "audit/audit_hash.h"

#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static EVP_MD *mds[2];
static pthread_once_t mds_once = PTHREAD_ONCE_INIT;

static void mds_fetch(void)
{
	mds[AUDIT_ALG_SHA256] = EVP_MD_fetch(NULL, "SHA256", NULL);
	mds[AUDIT_ALG_SM3] = EVP_MD_fetch(NULL, "SM3", NULL);
}

enum audit_alg audit_alg_parse(const char *name)
{
	if (name && strcmp(name, "sha256") == 0)
		return AUDIT_ALG_SHA256;
	if (name && strcmp(name, "sm3") == 0)
		return AUDIT_ALG_SM3;
	return AUDIT_ALG_NONE;
}

const char *audit_alg_name(enum audit_alg alg)
{
	return alg == AUDIT_ALG_SM3 ? "sm3" : "sha256";
}

static const EVP_MD *md_of(enum audit_alg alg, struct err *e)
{
	pthread_once(&mds_once, mds_fetch);
	const EVP_MD *md = alg == AUDIT_ALG_SHA256 || alg == AUDIT_ALG_SM3 ? mds[alg] : NULL;
	if (!md && alg == AUDIT_ALG_SM3)
		err_set(e, 500, "audit_hash_unavailable", "audit-hash",
			"本机的 OpenSSL 不提供 SM3 摘要算法，无法计算审计日志哈希；"
			"请安装带 SM3 的 OpenSSL 3，或改用 audit-hash = sha256");
	else if (!md)
		err_set(e, 500, "audit_hash_unavailable", NULL,
			"本机的 OpenSSL 不提供 SHA-256 摘要算法，无法计算审计日志哈希；"
			"请检查 OpenSSL 的配置（OPENSSL_CONF）是否载入了 default 提供者");
	return md;
}

int audit_alg_available(enum audit_alg alg, struct err *e)
{
	return md_of(alg, e) ? 0 : -1;
}

struct audit_digest {
	EVP_MD_CTX *ctx;
};

struct audit_digest *audit_digest_new(enum audit_alg alg, struct err *e)
{
	const EVP_MD *md = md_of(alg, e);
	if (!md)
		return NULL;
	struct audit_digest *d = malloc(sizeof *d);
	if (!d || !(d->ctx = EVP_MD_CTX_new()) || !EVP_DigestInit_ex2(d->ctx, md, NULL)) {
		if (d)
			EVP_MD_CTX_free(d->ctx);
		free(d);
		err_set(e, 500, "audit_hash_failed", NULL, "无法初始化审计日志摘要计算");
		return NULL;
	}
	return d;
}

void audit_digest_add(struct audit_digest *d, const void *data, size_t n)
{
	EVP_DigestUpdate(d->ctx, data, n);
}

void audit_digest_end(struct audit_digest *d, char out[AUDIT_HASH_HEX])
{
	unsigned char bin[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	EVP_DigestFinal_ex(d->ctx, bin, &len);
	if (out) {
		static const char hex[] = "0123456789abcdef";
		for (unsigned int i = 0; i < len && i < 32; i++) {
			out[2 * i] = hex[bin[i] >> 4];
			out[2 * i + 1] = hex[bin[i] & 15];
		}
		out[len < 32 ? 2 * len : 64] = '\0';
	}
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

int audit_digest_hex(enum audit_alg alg, const void *data, size_t n, char out[AUDIT_HASH_HEX],
		     struct err *e)
{
	struct audit_digest *d = audit_digest_new(alg, e);
	if (!d)
		return -1;
	audit_digest_add(d, data, n);
	audit_digest_end(d, out);
	return 0;
}

int audit_row_hash(int format, enum audit_alg alg, const char *prev, const char *const fields[7],
		   char out[AUDIT_HASH_HEX], struct err *e)
{
	if (format == 1 && alg != AUDIT_ALG_SHA256)
		return err_set(e, 500, "audit_hash_failed", NULL,
			       "旧格式的审计记录只能使用 SHA-256");
	struct audit_digest *d = audit_digest_new(alg, e);
	if (!d)
		return -1;
	const unsigned char sep = 0x1f;
	audit_digest_add(d, prev, strlen(prev));
	if (format >= 2) {
		const char *name = audit_alg_name(alg);
		audit_digest_add(d, &sep, 1);
		audit_digest_add(d, name, strlen(name));
	}
	for (int i = 0; i < 7; i++) {
		audit_digest_add(d, &sep, 1);
		audit_digest_add(d, fields[i], strlen(fields[i]));
	}
	audit_digest_end(d, out);
	return 0;
}
