/* phone.h — mainland China phone numbers: validation, normalization, masking.
 *
 * Two shapes are accepted:
 *   mobile    11 digits, "1" then 3–9:            "138 1234 5678" -> "13812345678"
 *   landline  area code + 7–8 digit number, optional extension, '-' between area and number
 *             optional: "0536 8123456", "05368123456" -> "0536-8123456"; "010-12345678-123".
 * Area codes follow the numbering plan: 010 and 020–029 have three digits, every other code
 * (0 + 3 digits, e.g. 0536 Weifang) has four; this also splits a number typed without '-'.
 * Pure functions, no I/O, no allocation.
 */
#ifndef MZ_PHONE_H
#define MZ_PHONE_H

#include "core/err.h"

/* Validate `text` (ASCII whitespace anywhere is ignored) and write the normalized form into out
 * (mobile: 11 digits; landline: "AREA-NUMBER" or "AREA-NUMBER-EXT"). Returns 0, or -1 and fills
 * e (status 400, code "invalid_phone", field "phone") with a Chinese reason; out is then "". */
int phone_validate(const char *text, char out[24], struct err *e);

/* Masked form for lists. A mobile keeps the first 3 and last 4 digits: "138****5678"; a landline
 * keeps its area code, its dashes and its last 2 digits: "0536-*****56". Anything that is not a
 * valid phone is starred entirely (one star per byte, at most 23). */
void phone_mask(const char *phone, char out[24]);

#endif
