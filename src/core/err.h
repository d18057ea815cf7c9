/* err.h — the error value every fallible function fills.
 *
 * Functions return 0 on success or a negative value and fill a struct err with a stable code
 * (for programs), an HTTP status, the input field at fault (optional) and a human message in
 * Chinese. One function (http/respond.c) turns it into the JSON error body; the CLI prints it.
 */
#ifndef MZ_ERR_H
#define MZ_ERR_H

#include <stdarg.h>

struct err {
	int status;       /* HTTP status that fits: 400, 401, 403, 404, 409, 413, 429, 500, 503 */
	char code[40];    /* stable machine code, e.g. "invalid_id_number" */
	char field[80];   /* input field at fault, e.g. "members[1].id_number"; "" when none */
	char message[400];/* Chinese, for people */
};

/* Fill e (when not NULL) and return -1, so callers can write `return err_set(e, ...)`. */
int err_set(struct err *e, int status, const char *code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int err_vset(struct err *e, int status, const char *code, const char *field, const char *fmt,
	     va_list ap) __attribute__((format(printf, 5, 0)));

/* Prefix the field of an already-filled error, e.g. "id_number" -> "members[1].id_number". */
void err_prefix_field(struct err *e, const char *prefix);

/* Fill e with 500 internal "内存不足" (an allocation failed) and return -1. */
int err_oom(struct err *e);

void err_clear(struct err *e);

#endif
