/* export_zip.h — an export as a ZIP encrypted with AES-256 (libzip, WinZip AE-2), and back.
 *
 * Staff open such a file with 7-Zip, WinRAR or 360压缩 and the passphrase they set when they
 * exported; `minzheng unzip-export` opens it on Linux. The passphrase is the UTF-8 text as typed
 * (what 7-Zip uses for AES entries); the policy is crypt_passphrase_check (at least 8
 * characters).
 */
#ifndef MZ_EXPORT_ZIP_H
#define MZ_EXPORT_ZIP_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* data (len bytes) as the one entry `name` (UTF-8) of a new ZIP whose entry is encrypted with
 * AES-256 under pass (NUL-terminated). store: keep the bytes as they are (an .xlsx is already
 * compressed), else deflate. *zip malloc'd (caller frees), *zip_len its size. 0, or -1 with e
 * (500 encryption_unavailable when libzip was built without AES, 500 internal). */
int export_zip_encrypt(const char *name, const char *data, size_t len, int store, const char *pass,
		       char **zip, size_t *zip_len, struct err *e);

/* Called for each entry extracted: its name, its size, and whether it was encrypted. */
typedef void (*export_zip_each_fn)(const char *name, uint64_t size, int encrypted, void *ctx);

/* Extract every entry of the ZIP file at path into the directory dir (files mode 0600, streamed
 * in small blocks). Entry names must be plain file names (no directories, no "..", no leading
 * dot); an existing file is replaced only with force. 0, or -1 with e (400 bad_zip,
 * wrong_passphrase, passphrase_required, zip_tampered; 409 exists; 500 write_failed); on failure
 * the file being written is removed. */
int export_zip_extract(const char *path, const char *dir, const char *pass, int force,
		       export_zip_each_fn each, void *ctx, struct err *e);

#endif
