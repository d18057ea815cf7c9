/* text.c — copying into fixed-size strings and checking text fields (see text.h). */
#include "core/text.h"

#include <string.h>

#include "core/err.h"
#include "core/utf8.h"

void text_copy(char *dst, size_t n, const char *src)
{
	size_t len = src ? strlen(src) : 0;
	if (!n)
		return;
	if (len >= n)
		len = n - 1;
	if (len)
		memcpy(dst, src, len);
	dst[len] = '\0';
}

int text_blank(const char *z)
{
	for (; z && *z; z++)
		if (*z != ' ' && *z != '\n' && *z != '\r' && *z != '\t')
			return 0;
	return 1;
}

int text_check(const char *z, long max, int required, int multiline, const char *field,
	       const char *label, struct err *e)
{
	if (text_blank(z)) {
		if (required)
			return err_set(e, 400, "required", field, "请填写%s", label);
		return 0;
	}
	long n = utf8_text_chars(z, multiline);
	if (n < 0)
		return err_set(e, 400, "invalid_value", field, "%s含有无效字符", label);
	if (n > max)
		return err_set(e, 400, "invalid_value", field, "%s最多 %ld 个字", label, max);
	return 0;
}

void text_mask_name(const char *name, char *out, size_t n)
{
	if (!n)
		return;
	out[0] = '\0';
	if (!name || !*name)
		return;
	size_t first = 1;
	while (name[first] && ((unsigned char)name[first] & 0xc0) == 0x80)
		first++;
	int rest = 0;
	for (const char *p = name + first; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			rest++;
	if (rest < 1)
		rest = 1;
	if (rest > 3)
		rest = 3;
	if (first + (size_t)rest + 1 > n)
		return;
	memcpy(out, name, first);
	memset(out + first, '*', (size_t)rest);
	out[first + (size_t)rest] = '\0';
}
