/* err.c — filling struct err (see err.h). */
#include "core/err.h"

#include <stdio.h>
#include <string.h>

int err_vset(struct err *e, int status, const char *code, const char *field, const char *fmt,
	     va_list ap)
{
	if (!e)
		return -1;
	e->status = status;
	snprintf(e->code, sizeof e->code, "%s", code);
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	vsnprintf(e->message, sizeof e->message, fmt, ap);
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
