/* crypt_file.c — passphrase-encrypted files (see crypt_file.h for the format).
 *
 * Owns the header, the key derivation and the chunked secretstream; every primitive is
 * libsodium's. Keys and the passphrase copies live in sodium_malloc'd memory (guarded, locked,
 * wiped on free); plaintext chunk buffers are wiped before they are freed.
 */
#include "core/crypt_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/utf8.h"

#define ALG_ARGON2ID_SECRETSTREAM 1
#define CHUNK_MIN 4096u
#define CHUNK_MAX (16u << 20)
#define OPS_MAX 64u
#define MEM_MAX (4ull << 30)
#define KDF_CONTEXT "MZBACKUP"
#define CHECK_OFFSET 68

struct keys {
	unsigned char stream[crypto_secretstream_xchacha20poly1305_KEYBYTES];
	unsigned char check[crypto_generichash_KEYBYTES];
};

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void crypt_params_for(enum crypt_strength s, struct crypt_params *p)
{
	p->chunk = CRYPT_CHUNK_DEFAULT;
	switch (s) {
	case CRYPT_INTERACTIVE:
		p->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
		p->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
		break;
	case CRYPT_SENSITIVE:
		p->opslimit = crypto_pwhash_OPSLIMIT_SENSITIVE;
		p->memlimit = crypto_pwhash_MEMLIMIT_SENSITIVE;
		break;
	case CRYPT_MODERATE:
	default:
		p->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
		p->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
		break;
	}
}

int crypt_strength_parse(const char *s, enum crypt_strength *out, struct err *e)
{
	if (s && strcmp(s, "interactive") == 0)
		*out = CRYPT_INTERACTIVE;
	else if (s && strcmp(s, "moderate") == 0)
		*out = CRYPT_MODERATE;
	else if (s && strcmp(s, "sensitive") == 0)
		*out = CRYPT_SENSITIVE;
	else
		return err_set(e, 400, "invalid_value", "kdf-strength",
			       "口令派生强度应为 interactive、moderate 或 sensitive");
	return 0;
}

int crypt_has_magic(const unsigned char *buf, size_t n)
{
	return n >= CRYPT_MAGIC_LEN && memcmp(buf, CRYPT_MAGIC, CRYPT_MAGIC_LEN) == 0;
}

int crypt_file_is_encrypted(const char *path, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, 404, "not_found", NULL, "无法读取文件 %s：%s", path,
			       strerror(errno));
	unsigned char buf[CRYPT_MAGIC_LEN];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return crypt_has_magic(buf, n);
}

int crypt_header_parse(const unsigned char *buf, size_t n, struct crypt_header *h, struct err *e)
{
	memset(h, 0, sizeof *h);
	if (!crypt_has_magic(buf, n))
		return err_set(e, 400, "bad_backup", NULL,
			       "不是 minzheng 加密备份文件（缺少 MZBK1 标识）");
	if (n < CRYPT_HEADER_BYTES)
		return err_set(e, 400, "backup_truncated", NULL,
			       "加密备份文件不完整（文件头被截断）");
	h->alg = buf[5];
	if (h->alg != ALG_ARGON2ID_SECRETSTREAM || buf[6] || buf[7])
		return err_set(e, 400, "unsupported_backup", NULL,
			       "加密备份使用了本程序不支持的算法（%u），请用更新的 minzheng 处理",
			       h->alg);
	h->opslimit = get64(buf + 8);
	h->memlimit = get64(buf + 16);
	memcpy(h->salt, buf + 24, sizeof h->salt);
	h->chunk = get32(buf + 40);
	memcpy(h->stream, buf + 44, sizeof h->stream);
	memcpy(h->check, buf + CHECK_OFFSET, sizeof h->check);
	if (h->opslimit < crypto_pwhash_OPSLIMIT_MIN || h->opslimit > OPS_MAX ||
	    h->memlimit < crypto_pwhash_MEMLIMIT_MIN || h->memlimit > MEM_MAX ||
	    h->memlimit > SIZE_MAX || h->chunk < CHUNK_MIN || h->chunk > CHUNK_MAX)
		return err_set(e, 400, "bad_backup", NULL,
			       "加密备份文件头中的参数超出允许范围（文件已损坏或被篡改）");
	return 0;
}

int crypt_passphrase_check(const char *p, size_t n, const char *field, struct err *e)
{
	if (n > CRYPT_PASS_MAX_BYTES)
		return err_set(e, 400, "weak_passphrase", field, "口令过长（最多 %d 字节）",
			       CRYPT_PASS_MAX_BYTES);
	if (memchr(p, '\0', n))
		return err_set(e, 400, "weak_passphrase", field, "口令含有不允许的字符");
	char buf[CRYPT_PASS_MAX_BYTES + 1];
	memcpy(buf, p, n);
	buf[n] = '\0';
	long chars = utf8_text_chars(buf, 0);
	sodium_memzero(buf, sizeof buf);
	if (chars < 0)
		return err_set(e, 400, "weak_passphrase", field,
			       "口令含有控制字符或不是有效的 UTF-8 文本");
	if (chars < CRYPT_PASS_MIN_CHARS)
		return err_set(e, 400, "weak_passphrase", field, "口令至少需要 %d 个字符",
			       CRYPT_PASS_MIN_CHARS);
	return 0;
}

int crypt_passphrase_load(const char *file, const char *env, char *out, size_t n, struct err *e)
{
	out[0] = '\0';
	if (file) {
		FILE *f = fopen(file, "rb");
		if (!f)
			return err_set(e, 400, "passphrase_file", "passphrase-file",
				       "无法读取口令文件 %s：%s", file, strerror(errno));
		size_t got = fread(out, 1, n - 1, f);
		int more = fgetc(f) != EOF;
		fclose(f);
		out[got] = '\0';
		char *nl = memchr(out, '\n', got);
		if (nl) {
			got = (size_t)(nl - out);
			if (got > 0 && out[got - 1] == '\r')
				got--;
			out[got] = '\0';
		} else if (more) {
			sodium_memzero(out, n);
			return err_set(e, 400, "weak_passphrase", "passphrase-file",
				       "口令文件 %s 的第一行过长", file);
		}
		if (got == 0)
			return err_set(e, 400, "weak_passphrase", "passphrase-file",
				       "口令文件 %s 的第一行是空的", file);
		if (crypt_passphrase_check(out, got, "passphrase-file", e) < 0) {
			sodium_memzero(out, n);
			return -1;
		}
		return 1;
	}
	const char *v = env ? getenv(env) : NULL;
	if (!v || !*v)
		return 0;
	size_t len = strlen(v);
	if (len >= n || crypt_passphrase_check(v, len, env, e) < 0) {
		if (len >= n)
			err_set(e, 400, "weak_passphrase", env, "环境变量 %s 中的口令过长", env);
		return -1;
	}
	memcpy(out, v, len + 1);
	return 1;
}

/* Header bytes 0..67 (without the check) from its fields. */
static void header_write(unsigned char *buf, const struct crypt_header *h)
{
	memset(buf, 0, CRYPT_HEADER_BYTES);
	memcpy(buf, CRYPT_MAGIC, CRYPT_MAGIC_LEN);
	buf[5] = (unsigned char)h->alg;
	put64(buf + 8, h->opslimit);
	put64(buf + 16, h->memlimit);
	memcpy(buf + 24, h->salt, sizeof h->salt);
	put32(buf + 40, h->chunk);
	memcpy(buf + 44, h->stream, sizeof h->stream);
}

/* Argon2id → master key → stream and check keys. */
static int derive(const char *pass, size_t pass_len, const struct crypt_header *h, struct keys *k,
		  struct err *e)
{
	unsigned char *master = sodium_malloc(crypto_kdf_KEYBYTES);
	if (!master)
		return err_oom(e);
	if (crypto_pwhash(master, crypto_kdf_KEYBYTES, pass, pass_len, h->salt,
			  (unsigned long long)h->opslimit, (size_t)h->memlimit,
			  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(master);
		return err_set(e, 500, "internal", NULL,
			       "口令派生密钥失败（内存不足？需要 %llu MiB）",
			       (unsigned long long)(h->memlimit >> 20));
	}
	crypto_kdf_derive_from_key(k->stream, sizeof k->stream, 1, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(k->check, sizeof k->check, 2, KDF_CONTEXT, master);
	sodium_free(master);
	return 0;
}

static void key_check(const unsigned char *header, const struct keys *k, unsigned char out[16])
{
	crypto_generichash(out, 16, header, CHECK_OFFSET, k->check, sizeof k->check);
}

static int write_all(FILE *out, const void *p, size_t n, struct err *e)
{
	if (n && fwrite(p, 1, n, out) != n)
		return err_set(e, 500, "write_failed", NULL, "写入失败：%s", strerror(errno));
	return 0;
}

/* The buffers one encryption or decryption pass works with: the derived keys (in guarded memory),
 * a plaintext chunk and a ciphertext chunk, and the stream state. */
struct pass_bufs {
	struct keys *k;
	unsigned char *plain, *cipher;
	size_t chunk;
	crypto_secretstream_xchacha20poly1305_state st;
};

static int bufs_alloc(struct pass_bufs *b, size_t chunk, struct err *e)
{
	memset(b, 0, sizeof *b);
	b->chunk = chunk;
	b->k = sodium_malloc(sizeof *b->k);
	b->plain = malloc(chunk);
	b->cipher = malloc(chunk + crypto_secretstream_xchacha20poly1305_ABYTES);
	if (!b->k || !b->plain || !b->cipher)
		return err_oom(e);
	return 0;
}

/* End a pass: on success flush out (a failed flush is a failed pass); always wipe and free. */
static int bufs_end(struct pass_bufs *b, FILE *out, int rc, struct err *e)
{
	if (rc == 0 && fflush(out) != 0)
		rc = err_set(e, 500, "write_failed", NULL, "写入失败：%s", strerror(errno));
	sodium_memzero(&b->st, sizeof b->st);
	if (b->plain)
		sodium_memzero(b->plain, b->chunk);
	free(b->plain);
	free(b->cipher);
	sodium_free(b->k);
	return rc;
}

int crypt_stream_encrypt(FILE *in, FILE *out, const char *pass, size_t pass_len,
			 const struct crypt_params *p, struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, 500, "internal", NULL, "libsodium 初始化失败");
	if (crypt_passphrase_check(pass, pass_len, "passphrase", e) < 0)
		return -1;
	struct crypt_header h = {.alg = ALG_ARGON2ID_SECRETSTREAM,
				 .opslimit = p->opslimit,
				 .memlimit = p->memlimit,
				 .chunk = p->chunk ? p->chunk : CRYPT_CHUNK_DEFAULT};
	randombytes_buf(h.salt, sizeof h.salt);
	unsigned char header[CRYPT_HEADER_BYTES];
	header_write(header, &h);
	struct crypt_header check;
	if (crypt_header_parse(header, sizeof header, &check, e) < 0) /* limits in range */
		return -1;
	struct pass_bufs b;
	int rc = bufs_alloc(&b, h.chunk, e);
	if (rc < 0)
		goto out;
	rc = -1;
	struct keys *k = b.k;
	unsigned char *plain = b.plain, *cipher = b.cipher;
	if (derive(pass, pass_len, &h, k, e) < 0)
		goto out;
	crypto_secretstream_xchacha20poly1305_init_push(&b.st, h.stream, k->stream);
	memcpy(header + 44, h.stream, sizeof h.stream);
	key_check(header, k, header + CHECK_OFFSET);
	if (write_all(out, header, sizeof header, e) < 0)
		goto out;
	const unsigned char *ad = header;
	size_t ad_len = sizeof header;
	for (;;) {
		size_t n = fread(plain, 1, h.chunk, in);
		if (ferror(in)) {
			err_set(e, 500, "read_failed", NULL, "读取失败：%s", strerror(errno));
			goto out;
		}
		int last = n < h.chunk;
		if (!last) {
			int c = fgetc(in);
			if (c == EOF)
				last = 1;
			else
				ungetc(c, in);
		}
		unsigned long long clen = 0;
		crypto_secretstream_xchacha20poly1305_push(
		    &b.st, cipher, &clen, plain, n, ad, ad_len,
		    last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		ad = NULL;
		ad_len = 0;
		if (write_all(out, cipher, (size_t)clen, e) < 0)
			goto out;
		if (last)
			break;
	}
	rc = 0;
out:
	return bufs_end(&b, out, rc, e);
}

int crypt_stream_decrypt(FILE *in, FILE *out, const char *pass, size_t pass_len, struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, 500, "internal", NULL, "libsodium 初始化失败");
	unsigned char header[CRYPT_HEADER_BYTES];
	size_t hn = fread(header, 1, sizeof header, in);
	struct crypt_header h;
	if (crypt_header_parse(header, hn, &h, e) < 0)
		return -1;
	if (!pass || pass_len == 0)
		return err_set(e, 400, "passphrase_required", NULL,
			       "这是加密备份，需要口令：请用 --passphrase-file 指定口令文件，"
			       "或设置环境变量 MZ_BACKUP_PASSPHRASE");
	size_t clen_max = (size_t)h.chunk + crypto_secretstream_xchacha20poly1305_ABYTES;
	struct pass_bufs b;
	int rc = bufs_alloc(&b, h.chunk, e);
	if (rc < 0)
		goto out;
	rc = -1;
	struct keys *k = b.k;
	unsigned char *plain = b.plain, *cipher = b.cipher;
	if (derive(pass, pass_len, &h, k, e) < 0)
		goto out;
	unsigned char check[16];
	key_check(header, k, check);
	if (sodium_memcmp(check, h.check, sizeof check) != 0) {
		err_set(e, 400, "wrong_passphrase", NULL, "口令不正确，无法解密备份文件");
		goto out;
	}
	if (crypto_secretstream_xchacha20poly1305_init_pull(&b.st, h.stream, k->stream) != 0) {
		err_set(e, 400, "backup_tampered", NULL, "加密备份文件已损坏或被篡改（流头无效）");
		goto out;
	}
	const unsigned char *ad = header;
	size_t ad_len = sizeof header;
	for (;;) {
		size_t n = fread(cipher, 1, clen_max, in);
		if (ferror(in)) {
			err_set(e, 500, "read_failed", NULL, "读取失败：%s", strerror(errno));
			goto out;
		}
		if (n == 0) {
			err_set(e, 400, "backup_truncated", NULL,
				"加密备份文件不完整（在结束标记之前就结束了，可能被截断）");
			goto out;
		}
		unsigned long long plen = 0;
		unsigned char tag = 0;
		if (n < crypto_secretstream_xchacha20poly1305_ABYTES ||
		    crypto_secretstream_xchacha20poly1305_pull(&b.st, plain, &plen, &tag, cipher, n,
							       ad, ad_len) != 0) {
			if (n < clen_max)
				err_set(e, 400, "backup_truncated", NULL,
					"加密备份文件不完整或已损坏（最后一块校验失败：被截断或被改"
					"动）");
			else
				err_set(e, 400, "backup_tampered", NULL,
					"加密备份文件已损坏或被篡改（数据块校验失败）");
			goto out;
		}
		ad = NULL;
		ad_len = 0;
		if (write_all(out, plain, (size_t)plen, e) < 0)
			goto out;
		if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
			if (fgetc(in) != EOF) {
				err_set(e, 400, "backup_tampered", NULL,
					"加密备份文件已被篡改（结束标记之后还有多余的数据）");
				goto out;
			}
			break;
		}
		if (n < clen_max) {
			err_set(e, 400, "backup_truncated", NULL,
				"加密备份文件不完整（缺少结束标记，可能被截断）");
			goto out;
		}
	}
	rc = 0;
out:
	return bufs_end(&b, out, rc, e);
}

/* Open src for reading and create dest (0600, exclusive). */
static int open_pair(const char *src, const char *dest, FILE **in, FILE **out, struct err *e)
{
	*in = fopen(src, "rb");
	if (!*in)
		return err_set(e, 404, "not_found", NULL, "无法读取文件 %s：%s", src,
			       strerror(errno));
	int fd = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	*out = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!*out) {
		err_set(e, errno == EEXIST ? 409 : 500, errno == EEXIST ? "exists" : "write_failed",
			NULL, "无法创建文件 %s：%s", dest, strerror(errno));
		if (fd >= 0)
			close(fd);
		fclose(*in);
		return -1;
	}
	return 0;
}

static int close_pair(FILE *in, FILE *out, const char *dest, int rc, struct err *e)
{
	fclose(in);
	if (rc == 0 && (fflush(out) != 0 || fsync(fileno(out)) != 0))
		rc = err_set(e, 500, "write_failed", NULL, "写入 %s 失败：%s", dest,
			     strerror(errno));
	if (fclose(out) != 0 && rc == 0)
		rc = err_set(e, 500, "write_failed", NULL, "写入 %s 失败：%s", dest,
			     strerror(errno));
	if (rc < 0)
		unlink(dest);
	return rc;
}

int crypt_file_encrypt(const char *src, const char *dest, const char *pass, size_t pass_len,
		       const struct crypt_params *p, struct err *e)
{
	FILE *in, *out;
	if (open_pair(src, dest, &in, &out, e) < 0)
		return -1;
	int rc = crypt_stream_encrypt(in, out, pass, pass_len, p, e);
	return close_pair(in, out, dest, rc, e);
}

int crypt_file_decrypt(const char *src, const char *dest, const char *pass, size_t pass_len,
		       struct err *e)
{
	FILE *in, *out;
	if (open_pair(src, dest, &in, &out, e) < 0)
		return -1;
	int rc = crypt_stream_decrypt(in, out, pass, pass_len, e);
	return close_pair(in, out, dest, rc, e);
}
