/* strbuf.h — a growable, size-capped, always NUL-terminated byte buffer (after git's strbuf).
 *
 * STRBUF_INIT gives an empty buffer; strbuf_release frees it. Appends that would pass the cap
 * (default 64 MiB) fail with -1 and leave the buffer as it was, so code building output from
 * outside input fails cleanly instead of growing without bound.
 */
#ifndef MZ_STRBUF_H
#define MZ_STRBUF_H

#include <stddef.h>
#include <stdarg.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
	size_t cap; /* 0 = default cap */
};

#define STRBUF_INIT {0}

int strbuf_add(struct strbuf *sb, const void *data, size_t n);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, char c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);
/* The contents ("" when empty; never NULL). Valid until the next append. */
const char *strbuf_str(const struct strbuf *sb);
/* Hand the buffer to the caller (who frees it with free()); the strbuf becomes empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);

#endif
