/* crypt_file.h — files encrypted with a passphrase (encrypted backups), with libsodium only.
 *
 * The passphrase becomes a 32-byte key with crypto_pwhash (Argon2id, a random salt, the limits
 * chosen when the file was written); crypto_kdf splits it into a stream key and a check key.
 * The contents follow as a crypto_secretstream_xchacha20poly1305 stream of fixed-size chunks
 * (each one authenticated; the last tagged FINAL), so a file of any size is encrypted and
 * decrypted in constant memory, and truncation, reordering or any changed byte is detected.
 *
 * The file starts with an 84-byte header (all integers little-endian):
 *     0   5  magic "MZBK1" (the version is part of the magic)
 *     5   1  algorithm: 1 = Argon2id13 + secretstream XChaCha20-Poly1305
 *     6   2  reserved, 0
 *     8   8  Argon2id opslimit
 *    16   8  Argon2id memlimit (bytes)
 *    24  16  salt
 *    40   4  plaintext bytes per chunk
 *    44  24  secretstream header
 *    68  16  key check: BLAKE2b-128 of bytes 0..67 keyed with the check key
 * The key check tells a wrong passphrase from a damaged file; the whole header is also the
 * additional data of the first chunk, so no header byte can be changed unnoticed.
 *
 * Error codes (400 unless said): passphrase_required, weak_passphrase, wrong_passphrase,
 * backup_truncated, backup_tampered, bad_backup (not a file of this kind / limits out of range),
 * unsupported_backup (an algorithm this binary does not know), write_failed / read_failed (500).
 */
#ifndef MZ_CRYPT_FILE_H
#define MZ_CRYPT_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

#define CRYPT_MAGIC "MZBK1"
#define CRYPT_MAGIC_LEN 5
#define CRYPT_HEADER_BYTES 84
#define CRYPT_SALT_BYTES 16
#define CRYPT_PASS_MIN_CHARS 8 /* the passphrase policy, backups and exports alike */
#define CRYPT_PASS_MAX_BYTES 1024
#define CRYPT_CHUNK_DEFAULT (1u << 20)

/* Argon2id cost: libsodium's named limits. MODERATE is the default for backups. */
enum crypt_strength { CRYPT_INTERACTIVE = 1, CRYPT_MODERATE, CRYPT_SENSITIVE };

struct crypt_params {
	uint64_t opslimit;
	uint64_t memlimit;
	uint32_t chunk; /* plaintext bytes per chunk */
};

struct crypt_header {
	unsigned alg;
	uint64_t opslimit, memlimit;
	uint32_t chunk;
	unsigned char salt[CRYPT_SALT_BYTES];
	unsigned char stream[24];
	unsigned char check[16];
};

/* The limits of a strength, with the default chunk size. */
void crypt_params_for(enum crypt_strength s, struct crypt_params *p);
/* "interactive", "moderate" or "sensitive" → *out; -1 with e (400 invalid_value) otherwise. */
int crypt_strength_parse(const char *s, enum crypt_strength *out, struct err *e);

/* 1 when buf (n bytes read from the start of a file) begins with the magic. */
int crypt_has_magic(const unsigned char *buf, size_t n);
/* 1 when the file at path is one of ours, 0 when not, -1 with e when it cannot be read. */
int crypt_file_is_encrypted(const char *path, struct err *e);
/* Parse and check the header in buf (n bytes): 0, or -1 with e (bad_backup, backup_truncated,
 * unsupported_backup). The limits must be within what this binary accepts. */
int crypt_header_parse(const unsigned char *buf, size_t n, struct crypt_header *h, struct err *e);

/* The passphrase policy: at least 8 characters of valid UTF-8, at most 1024 bytes, no control
 * characters. 0, or -1 with e (400 weak_passphrase, field). */
int crypt_passphrase_check(const char *p, size_t n, const char *field, struct err *e);
/* The passphrase from the first line of file (when file is not NULL), else from the environment
 * variable env (when set and not empty), checked by crypt_passphrase_check, into out (size n, NUL
 * terminated). 1 when loaded, 0 when neither gives one, -1 with e. */
int crypt_passphrase_load(const char *file, const char *env, char *out, size_t n, struct err *e);

/* Encrypt everything read from in to out. 0, or -1 with e. */
int crypt_stream_encrypt(FILE *in, FILE *out, const char *pass, size_t pass_len,
			 const struct crypt_params *p, struct err *e);
/* Decrypt in (which starts with the header) to out. 0, or -1 with e; on failure out holds a
 * prefix of the plaintext at most and must be discarded. */
int crypt_stream_decrypt(FILE *in, FILE *out, const char *pass, size_t pass_len, struct err *e);

/* The same between files: dest is created (mode 0600, it must not exist), synced, and removed
 * again on any failure. */
int crypt_file_encrypt(const char *src, const char *dest, const char *pass, size_t pass_len,
		       const struct crypt_params *p, struct err *e);
int crypt_file_decrypt(const char *src, const char *dest, const char *pass, size_t pass_len,
		       struct err *e);

#endif
