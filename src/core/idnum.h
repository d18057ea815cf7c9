/* idnum.h — citizen ID numbers (GB 11643-1999): parsing, validation, legacy conversion, masking.
 *
 * An 18-character ID = 6-digit address code + birth date YYYYMMDD + 3-digit sequence (odd male,
 * even female) + check character ("10X98765432"[Σ dᵢ·Wᵢ mod 11]). A legacy 15-digit ID (address
 * + YYMMDD + sequence) converts by inserting "19" before the year and computing the check.
 * Address codes are NOT checked against the current region tree (old IDs keep retired codes).
 * Pure functions, no I/O, no allocation.
 */
#ifndef MZ_IDNUM_H
#define MZ_IDNUM_H

#include "core/err.h"

struct idnum {
	char number[19];     /* normalized 18 chars, upper-case X, NUL-terminated */
	char address[7];     /* 6-digit address code */
	char birth_date[11]; /* YYYY-MM-DD */
	int year, month, day;
	int male;            /* 1 male, 0 female */
};

/* Parse and validate `text` (surrounding spaces allowed, lower-case x accepted). `today` is
 * "YYYY-MM-DD" and rejects future birth dates (NULL means clock_today(): the current date in Asia/Shanghai).
 * Returns 0 and fills *out, or -1 and fills e (status 400, code "invalid_id_number", field
 * "id_number") with a Chinese reason: wrong length, bad characters, impossible date, future date,
 * or a wrong check character naming the expected one, e.g. "校验位错误：应为 X，实为 5". */
int idnum_parse(const char *text, const char *today, struct idnum *out, struct err *e);

/* The check character for the first 17 digits of `id17` ('0'..'9' or 'X'). */
char idnum_check_char(const char *id17);

/* Masked form for lists: first 6 and last 4 kept, 8 stars between: "370704********123X".
 * `out` must hold 19 bytes. Input shorter than 10 chars is fully starred. */
void idnum_mask(const char *number, char *out);

/* Age in whole years on `today` ("YYYY-MM-DD") for a birth date "YYYY-MM-DD". */
int idnum_age_on(const char *birth_date, const char *today);

#endif
