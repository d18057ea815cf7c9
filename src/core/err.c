/* err.c — filling struct err (see err.h). */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

/* A message cut by vsnprintf (a long value quoted in it) may end inside a UTF-8 character, which
 * no JSON encoder accepts: drop the incomplete character so the error still reaches the client. */
static void utf8_cut(char *z)
{
	size_t len = strlen(z), start = len;
	while (start > 0 && ((unsigned char)z[start - 1] & 0xC0) == 0x80)
		start--;
	if (start == 0)
		return;
	unsigned char lead = (unsigned char)z[start - 1];
	size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	if (len - (start - 1) < want)
		z[start - 1] = '\0';
}

int err_vset(struct err *e, int status, const char *code, const char *field, const char *fmt,
	     va_list ap)
{
	if (!e)
		return -1;
	e->status = status;
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	int n = vsnprintf(e->message, sizeof e->message, fmt, ap);
	if (n >= (int)sizeof e->message)
		utf8_cut(e->message);
	return -1;
}

int err_set(struct err *e, int status, const char *code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(e, status, code, field, fmt, ap);
	va_end(ap);
	return -1;
}

void err_prefix_field(struct err *e, const char *prefix)
{
	char buf[sizeof e->field];
	if (!e)
		return;
	if (e->field[0])
		snprintf(buf, sizeof buf, "%s.%s", prefix, e->field);
	else
		snprintf(buf, sizeof buf, "%s", prefix);
	memcpy(e->field, buf, sizeof buf);
}

void err_clear(struct err *e)
{
	if (e)
		memset(e, 0, sizeof *e);
}

int err_oom(struct err *e)
{
	return err_set(e, 500, "internal", NULL, "内存不足");
}
