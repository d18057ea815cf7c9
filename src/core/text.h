/* text.h — small helpers for C strings that every module needs: copying a column or an input
 * value into a struct's fixed-size char array (longer text is cut at the buffer's end; callers
 * check lengths first where cutting would matter, so here it is only a guard against overflow),
 * checking a free-text input field (blank, length in characters, well-formed UTF-8), and masking
 * a person's name. */
#ifndef MZ_TEXT_H
#define MZ_TEXT_H

#include <stddef.h>

struct err;

/* Copy src (NULL counts as "") into dst[n], cut to n-1 bytes, always NUL-terminated; does
 * nothing when n is 0. */
void text_copy(char *dst, size_t n, const char *src);

/* 1 when z is NULL, "" or only spaces, tabs, CR and LF; 0 otherwise. */
int text_blank(const char *z);

/* Check a text field: a blank one is 400 required (when required) or fine; otherwise it must be
 * well-formed UTF-8 without control characters (multiline allows newlines and tabs) — else 400
 * invalid_value "<label>含有无效字符" — of at most max characters — else 400 invalid_value
 * "<label>最多 N 个字". field names the input in e. 0 fine, -1 with e filled. */
int text_check(const char *z, long max, int required, int multiline, const char *field,
	       const char *label, struct err *e);

/* A person's name as lists show it to those who may not see it: the first character, then one
 * star for each further character, at least one and at most three ("张三丰" → "张**", "李" →
 * "李*", "欧阳小明" → "欧***"); "" stays "". Cut to out[n]. */
void text_mask_name(const char *name, char *out, size_t n);

#endif
