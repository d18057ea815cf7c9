/* test_backup_crypt.c — core/crypt_file: encrypted backups round-trip, and a wrong passphrase, a
 * truncated file, a changed byte anywhere, extra bytes and a bad header are each refused with
 * their own code. The cheapest Argon2id limits and 4 KiB chunks keep it fast and multi-chunk.
 * Also export/export_zip: the AES-256 ZIP of an export opens with its passphrase only, and
 * extraction refuses entry names that would leave the target directory. */
#include "unit.h"

#include "core/crypt_file.h"
#include "export/export_zip.h"

#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

static const char PASS[] = "正确的口令 correct";

static struct crypt_params fast(void)
{
	struct crypt_params p = {.opslimit = crypto_pwhash_OPSLIMIT_MIN,
				 .memlimit = crypto_pwhash_MEMLIMIT_MIN,
				 .chunk = 4096};
	return p;
}

/* n pseudo-random bytes (malloc'd). */
static unsigned char *sample(size_t n)
{
	unsigned char *b = malloc(n ? n : 1);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)((i * 2654435761u) >> 13);
	return b;
}

/* Encrypt buf into a malloc'd ciphertext (*clen bytes). */
static unsigned char *encrypt_buf(const unsigned char *buf, size_t n, const char *pass,
				  size_t *clen)
{
	FILE *in = tmpfile(), *out = tmpfile();
	struct crypt_params p = fast();
	struct err e;
	if (n)
		fwrite(buf, 1, n, in);
	rewind(in);
	int rc = crypt_stream_encrypt(in, out, pass, strlen(pass), &p, &e);
	CHECK_EQ_INT(rc, 0);
	long len = ftell(out);
	unsigned char *c = malloc((size_t)len + 1);
	rewind(out);
	*clen = fread(c, 1, (size_t)len, out);
	fclose(in);
	fclose(out);
	return c;
}

/* Decrypt c; the return value of crypt_stream_decrypt, the plaintext into *plain (malloc'd). */
static int decrypt_buf(const unsigned char *c, size_t clen, const char *pass, unsigned char **plain,
		       size_t *plen, struct err *e)
{
	FILE *in = tmpfile(), *out = tmpfile();
	fwrite(c, 1, clen, in);
	rewind(in);
	int rc = crypt_stream_decrypt(in, out, pass, pass ? strlen(pass) : 0, e);
	long len = ftell(out);
	*plain = malloc((size_t)len + 1);
	rewind(out);
	*plen = fread(*plain, 1, (size_t)len, out);
	fclose(in);
	fclose(out);
	return rc;
}

TEST(round_trip_of_several_sizes_gives_back_the_same_bytes)
{
	const size_t sizes[] = {0, 1, 4095, 4096, 8192, 3 * 4096 + 100};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		unsigned char *buf = sample(sizes[i]), *plain;
		size_t clen, plen;
		struct err e;
		unsigned char *c = encrypt_buf(buf, sizes[i], PASS, &clen);
		/* header + one 17-byte tag per chunk (an empty input is one empty FINAL chunk) */
		size_t chunks = sizes[i] == 0 ? 1 : (sizes[i] + 4095) / 4096;
		CHECK_EQ_INT(clen, CRYPT_HEADER_BYTES + sizes[i] + 17 * chunks);
		CHECK(crypt_has_magic(c, clen));
		CHECK_EQ_INT(decrypt_buf(c, clen, PASS, &plain, &plen, &e), 0);
		CHECK_EQ_INT(plen, sizes[i]);
		CHECK(sizes[i] == 0 || memcmp(plain, buf, sizes[i]) == 0);
		if (sizes[i] >= 64) /* the plaintext is nowhere in the file */
			CHECK(memmem(c, clen, buf + 32, 32) == NULL);
		free(buf);
		free(c);
		free(plain);
	}
}

TEST(the_same_plaintext_encrypts_differently_each_time)
{
	unsigned char *buf = sample(5000);
	size_t a_len, b_len;
	unsigned char *a = encrypt_buf(buf, 5000, PASS, &a_len),
		      *b = encrypt_buf(buf, 5000, PASS, &b_len);
	CHECK_EQ_INT(a_len, b_len);
	CHECK(memcmp(a + 24, b + 24, 16) != 0); /* fresh salt */
	CHECK(memcmp(a + CRYPT_HEADER_BYTES, b + CRYPT_HEADER_BYTES, a_len - CRYPT_HEADER_BYTES) !=
	      0);
	free(buf);
	free(a);
	free(b);
}

TEST(wrong_or_missing_passphrase_is_refused_before_any_plaintext)
{
	unsigned char *buf = sample(9000), *plain;
	size_t clen, plen;
	struct err e;
	unsigned char *c = encrypt_buf(buf, 9000, PASS, &clen);
	CHECK_EQ_INT(decrypt_buf(c, clen, "正确的口令 correcT", &plain, &plen, &e), -1);
	CHECK_EQ_STR(e.code, "wrong_passphrase");
	CHECK(strstr(e.message, "口令不正确") != NULL);
	CHECK_EQ_INT(plen, 0);
	free(plain);
	CHECK_EQ_INT(decrypt_buf(c, clen, NULL, &plain, &plen, &e), -1);
	CHECK_EQ_STR(e.code, "passphrase_required");
	CHECK(strstr(e.message, "需要口令") != NULL);
	free(plain);
	free(buf);
	free(c);
}

TEST(truncation_anywhere_is_detected)
{
	unsigned char *buf = sample(3 * 4096 + 100), *plain;
	size_t clen, plen;
	struct err e;
	unsigned char *c = encrypt_buf(buf, 3 * 4096 + 100, PASS, &clen);
	const size_t block = 4096 + 17;
	/* at a chunk boundary (no FINAL chunk at all), inside a chunk, inside the last one, a byte
	 */
	const size_t cuts[] = {CRYPT_HEADER_BYTES + block, CRYPT_HEADER_BYTES + 3 * block,
			       CRYPT_HEADER_BYTES + 100, clen - 1, CRYPT_HEADER_BYTES};
	for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
		CHECK_EQ_INT(decrypt_buf(c, cuts[i], PASS, &plain, &plen, &e), -1);
		CHECK_EQ_STR(e.code, "backup_truncated");
		free(plain);
	}
	CHECK_EQ_INT(decrypt_buf(c, 40, PASS, &plain, &plen, &e), -1); /* inside the header */
	CHECK_EQ_STR(e.code, "backup_truncated");
	free(plain);
	free(buf);
	free(c);
}

TEST(a_changed_byte_or_extra_bytes_are_detected)
{
	unsigned char *buf = sample(3 * 4096 + 100), *plain;
	size_t clen, plen;
	struct err e;
	unsigned char *c = encrypt_buf(buf, 3 * 4096 + 100, PASS, &clen);
	/* a byte of each chunk body, and of a tag */
	const size_t at[] = {CRYPT_HEADER_BYTES + 10, CRYPT_HEADER_BYTES + 4113 + 5000, clen - 3};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		c[at[i]] ^= 0x01;
		CHECK_EQ_INT(decrypt_buf(c, clen, PASS, &plain, &plen, &e), -1);
		CHECK(strcmp(e.code, "backup_tampered") == 0 ||
		      strcmp(e.code, "backup_truncated") == 0);
		free(plain);
		c[at[i]] ^= 0x01;
	}
	/* the stream header and the salt: the key check or the first chunk fails */
	c[50] ^= 0x80;
	CHECK_EQ_INT(decrypt_buf(c, clen, PASS, &plain, &plen, &e), -1);
	CHECK(strcmp(e.code, "wrong_passphrase") == 0 || strcmp(e.code, "backup_tampered") == 0);
	free(plain);
	c[50] ^= 0x80;
	/* two whole chunks swapped */
	unsigned char *sw = malloc(clen);
	memcpy(sw, c, clen);
	memcpy(sw + CRYPT_HEADER_BYTES, c + CRYPT_HEADER_BYTES + 4113, 4113);
	memcpy(sw + CRYPT_HEADER_BYTES + 4113, c + CRYPT_HEADER_BYTES, 4113);
	CHECK_EQ_INT(decrypt_buf(sw, clen, PASS, &plain, &plen, &e), -1);
	CHECK_EQ_STR(e.code, "backup_tampered");
	free(plain);
	free(sw);
	/* bytes appended after the FINAL chunk: a few join the short last chunk (its tag fails:
	 * "truncated or changed"); more than a chunk's worth leave bytes after FINAL (tampered) */
	unsigned char *more = calloc(1, clen + 9000);
	memcpy(more, c, clen);
	CHECK_EQ_INT(decrypt_buf(more, clen + 10, PASS, &plain, &plen, &e), -1);
	CHECK(strcmp(e.code, "backup_tampered") == 0 || strcmp(e.code, "backup_truncated") == 0);
	free(plain);
	CHECK_EQ_INT(decrypt_buf(more, clen + 9000, PASS, &plain, &plen, &e), -1);
	CHECK_EQ_STR(e.code, "backup_tampered");
	free(plain);
	free(more);
	/* untouched, it still decrypts */
	CHECK_EQ_INT(decrypt_buf(c, clen, PASS, &plain, &plen, &e), 0);
	free(plain);
	free(buf);
	free(c);
}

TEST(header_parsing_reads_the_fields_and_refuses_bad_values)
{
	unsigned char *buf = sample(10);
	size_t clen;
	struct err e;
	struct crypt_header h;
	unsigned char *c = encrypt_buf(buf, 10, PASS, &clen);
	CHECK_EQ_INT(crypt_header_parse(c, clen, &h, &e), 0);
	CHECK_EQ_INT(h.alg, 1);
	CHECK_EQ_INT(h.opslimit, crypto_pwhash_OPSLIMIT_MIN);
	CHECK_EQ_INT(h.memlimit, crypto_pwhash_MEMLIMIT_MIN);
	CHECK_EQ_INT(h.chunk, 4096);
	CHECK(memcmp(c, "MZBK1", 5) == 0);

	unsigned char bad[CRYPT_HEADER_BYTES];
	memcpy(bad, c, sizeof bad);
	bad[5] = 7; /* an algorithm from a later version */
	CHECK_EQ_INT(crypt_header_parse(bad, sizeof bad, &h, &e), -1);
	CHECK_EQ_STR(e.code, "unsupported_backup");
	memcpy(bad, c, sizeof bad);
	bad[16 + 6] = 0x40; /* memlimit far beyond 4 GiB */
	CHECK_EQ_INT(crypt_header_parse(bad, sizeof bad, &h, &e), -1);
	CHECK_EQ_STR(e.code, "bad_backup");
	memcpy(bad, c, sizeof bad);
	bad[40] = 1, bad[41] = 0; /* a 1-byte chunk */
	CHECK_EQ_INT(crypt_header_parse(bad, sizeof bad, &h, &e), -1);
	CHECK_EQ_STR(e.code, "bad_backup");
	CHECK_EQ_INT(crypt_header_parse((const unsigned char *)"SQLite format 3", 16, &h, &e), -1);
	CHECK_EQ_STR(e.code, "bad_backup");
	CHECK_EQ_INT(crypt_header_parse(c, 30, &h, &e), -1);
	CHECK_EQ_STR(e.code, "backup_truncated");
	free(buf);
	free(c);
}

TEST(passphrase_policy_needs_eight_characters_of_text)
{
	struct err e;
	CHECK_EQ_INT(crypt_passphrase_check("1234567", 7, "p", &e), -1);
	CHECK_EQ_STR(e.code, "weak_passphrase");
	CHECK(strstr(e.message, "至少需要 8 个字符") != NULL);
	CHECK_EQ_INT(crypt_passphrase_check("12345678", 8, "p", &e), 0);
	CHECK_EQ_INT(
	    crypt_passphrase_check("民政局备份口令八", strlen("民政局备份口令八"), "p", &e), 0);
	CHECK_EQ_INT(crypt_passphrase_check("民政局备份口令", strlen("民政局备份口令"), "p", &e),
		     -1);
	CHECK_EQ_INT(crypt_passphrase_check("abc\x01"
					    "defgh",
					    9, "p", &e),
		     -1);
	CHECK_EQ_INT(crypt_passphrase_check("abcd\xff\xfe"
					    "efgh",
					    10, "p", &e),
		     -1);
	/* encrypting with a short passphrase is refused too */
	struct crypt_params p = fast();
	FILE *in = tmpfile(), *out = tmpfile();
	CHECK_EQ_INT(crypt_stream_encrypt(in, out, "short", 5, &p, &e), -1);
	CHECK_EQ_STR(e.code, "weak_passphrase");
	CHECK_EQ_INT(ftell(out), 0);
	fclose(in);
	fclose(out);
}

TEST(passphrase_file_first_line_or_environment)
{
	char path[] = "/tmp/mz-pass-XXXXXX", out[256];
	struct err e;
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("secret phrase 1\r\nsecond line\n", f);
	fclose(f);
	CHECK_EQ_INT(crypt_passphrase_load(path, NULL, out, sizeof out, &e), 1);
	CHECK_EQ_STR(out, "secret phrase 1");
	f = fopen(path, "w");
	fputs("short\n", f);
	fclose(f);
	CHECK_EQ_INT(crypt_passphrase_load(path, NULL, out, sizeof out, &e), -1);
	CHECK_EQ_STR(e.code, "weak_passphrase");
	f = fopen(path, "w");
	fclose(f);
	CHECK_EQ_INT(crypt_passphrase_load(path, NULL, out, sizeof out, &e), -1);
	CHECK(strstr(e.message, "空的") != NULL);
	unlink(path);
	CHECK_EQ_INT(crypt_passphrase_load(path, NULL, out, sizeof out, &e), -1);
	CHECK_EQ_STR(e.code, "passphrase_file");
	setenv("MZ_TEST_PASSPHRASE", "from the environment", 1);
	CHECK_EQ_INT(crypt_passphrase_load(NULL, "MZ_TEST_PASSPHRASE", out, sizeof out, &e), 1);
	CHECK_EQ_STR(out, "from the environment");
	unsetenv("MZ_TEST_PASSPHRASE");
	CHECK_EQ_INT(crypt_passphrase_load(NULL, "MZ_TEST_PASSPHRASE", out, sizeof out, &e), 0);
}

static void count_entry(const char *name, uint64_t size, int encrypted, void *ctx)
{
	(void)name;
	int *n = ctx;
	*n += encrypted && size == 13 ? 1 : 100;
}

TEST(an_export_zip_opens_with_its_passphrase_only)
{
	char dir[] = "/tmp/mz-zip-XXXXXX", file[300], out[300];
	CHECK(mkdtemp(dir) != NULL);
	char *zip = NULL;
	size_t zip_len = 0;
	struct err e;
	CHECK_EQ_INT(export_zip_encrypt("人员.csv", "a,b\r\n1,2\r\n123", 13, 0, "zip passphrase",
					&zip, &zip_len, &e),
		     0);
	CHECK(zip_len > 30 && memcmp(zip, "PK\x03\x04", 4) == 0);
	CHECK_EQ_INT((unsigned char)zip[8], 99); /* compression method 99: WinZip AES */
	CHECK(memmem(zip, zip_len, "1,2", 3) == NULL);
	snprintf(file, sizeof file, "%s/in.zip", dir);
	FILE *f = fopen(file, "wb");
	fwrite(zip, 1, zip_len, f);
	fclose(f);
	free(zip);
	int n = 0;
	CHECK_EQ_INT(export_zip_extract(file, dir, "wrong passphrase", 0, count_entry, &n, &e), -1);
	CHECK_EQ_STR(e.code, "wrong_passphrase");
	snprintf(out, sizeof out, "%s/人员.csv", dir);
	CHECK(access(out, F_OK) != 0); /* nothing left */
	CHECK_EQ_INT(export_zip_extract(file, dir, NULL, 0, count_entry, &n, &e), -1);
	CHECK_EQ_STR(e.code, "passphrase_required");
	CHECK_EQ_INT(export_zip_extract(file, dir, "zip passphrase", 0, count_entry, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	struct stat sb;
	CHECK(stat(out, &sb) == 0 && sb.st_size == 13 && (sb.st_mode & 077) == 0);
	CHECK_EQ_INT(export_zip_extract(file, dir, "zip passphrase", 0, count_entry, &n, &e), -1);
	CHECK_EQ_STR(e.code, "exists");
	CHECK_EQ_INT(export_zip_extract(file, dir, "zip passphrase", 1, count_entry, &n, &e), 0);
	unlink(out);
	unlink(file);
	rmdir(dir);
}

TEST(extraction_refuses_names_outside_the_directory)
{
	const char *names[] = {"../escape.csv", "sub/file.csv", ".hidden", "/abs.csv"};
	char dir[] = "/tmp/mz-zip-XXXXXX", file[300];
	CHECK(mkdtemp(dir) != NULL);
	snprintf(file, sizeof file, "%s/bad.zip", dir);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		int zerr = 0;
		zip_t *za = zip_open(file, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
		zip_source_t *src = zip_source_buffer(za, "x", 1, 0);
		CHECK(zip_file_add(za, names[i], src, 0) >= 0);
		CHECK_EQ_INT(zip_close(za), 0);
		struct err e;
		int n = 0;
		CHECK_EQ_INT(export_zip_extract(file, dir, NULL, 1, count_entry, &n, &e), -1);
		CHECK_EQ_STR(e.code, "bad_zip");
		CHECK_EQ_INT(n, 0);
	}
	char up[320];
	snprintf(up, sizeof up, "%s/../escape.csv", dir);
	CHECK(access(up, F_OK) != 0);
	unlink(file);
	rmdir(dir);
}

UNIT_MAIN(round_trip_of_several_sizes_gives_back_the_same_bytes,
	  the_same_plaintext_encrypts_differently_each_time,
	  wrong_or_missing_passphrase_is_refused_before_any_plaintext,
	  truncation_anywhere_is_detected, a_changed_byte_or_extra_bytes_are_detected,
	  header_parsing_reads_the_fields_and_refuses_bad_values,
	  passphrase_policy_needs_eight_characters_of_text,
	  passphrase_file_first_line_or_environment, an_export_zip_opens_with_its_passphrase_only,
	  extraction_refuses_names_outside_the_directory)
