/* utf8.h — checking text that people typed: well-formed UTF-8 without control characters. */
#ifndef MZ_UTF8_H
#define MZ_UTF8_H

/* The number of characters in z, or -1 when z is not well-formed UTF-8 (overlong forms,
 * surrogates, beyond U+10FFFF) or holds a control character (C0, DEL, C1) — nothing a name,
 * address, note or reason should contain. With multiline, newline, carriage return and tab are
 * allowed. */
long utf8_text_chars(const char *z, int multiline);

#endif
