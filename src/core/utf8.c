/* utf8.c — counting and checking typed UTF-8 text (see utf8.h). */
#include "core/utf8.h"

long utf8_text_chars(const char *z, int multiline)
{
	const unsigned char *s = (const unsigned char *)z;
	long n = 0;
	while (*s) {
		unsigned c = *s, cp;
		int len;
		if (c < 0x80) {
			if ((c < 0x20 && !(multiline && (c == '\n' || c == '\r' || c == '\t'))) ||
			    c == 0x7F)
				return -1;
			s++;
			n++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			len = 3;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return -1;
		}
		for (int i = 1; i < len; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		/* overlong forms, surrogates, beyond U+10FFFF, C1 controls */
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
			return -1;
		s += len;
		n++;
	}
	return n;
}
