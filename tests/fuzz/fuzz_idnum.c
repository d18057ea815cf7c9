/* fuzz_idnum.c — libFuzzer target for the ID-number and phone parsers.
 *
 * Arbitrary bytes (as a NUL-terminated copy) go to idnum_parse, phone_validate and the masking and
 * age helpers. Bad input must only ever produce a filled struct err; anything accepted must obey
 * the invariants below, and anything else abort()s so the fuzzer records the input:
 *   ID:    18 chars, 17 digits + the check char idnum_check_char computes, birth_date equal to
 *          year-month-day and to the digits inside the number, address = first 6, sex = parity of
 *          the 17th digit, not after today, and re-parsing the normalized number gives the same.
 *   phone: digits and '-' only, re-validating the normalized form gives it back unchanged, and
 *          its mask has the same length.
 *   errors: status/code/field as documented, a non-empty message, and an emptied phone output.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_idnum.c \
 *         src/core/idnum.c src/core/phone.c src/core/err.c -o fuzz_idnum && ./fuzz_idnum
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/idnum.h"
#include "core/phone.h"

#define TODAY "2025-06-01"

static void require(int ok, const char *what, const char *input)
{
	if (!ok) {
		fprintf(stderr, "fuzz_idnum: invariant broken: %s (input \"%s\")\n", what, input);
		abort();
	}
}

static int all_digits(const char *z, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (z[i] < '0' || z[i] > '9')
			return 0;
	return 1;
}

static void check_idnum(const char *z)
{
	struct idnum id, again;
	struct err e = {0};
	char buf[32];

	if (idnum_parse(z, TODAY, &id, &e) < 0) {
		/* A fixed, well-formed today: every refusal is the input's fault. */
		require(e.status == 400, "error status 400", z);
		require(strcmp(e.code, "invalid_id_number") == 0, "error code", z);
		require(strcmp(e.field, "id_number") == 0, "error field", z);
		require(e.message[0] != '\0', "error message", z);
		require(id.number[0] == '\0', "output cleared on failure", z);
		return;
	}
	require(strlen(id.number) == 18, "18 characters", z);
	require(all_digits(id.number, 17), "17 leading digits", z);
	require(id.number[17] == idnum_check_char(id.number), "check char", z);
	require(id.year >= 1800 && id.month >= 1 && id.month <= 12 && id.day >= 1 && id.day <= 31,
		"date ranges", z);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", id.year, id.month, id.day);
	require(strcmp(buf, id.birth_date) == 0, "birth_date matches year/month/day", z);
	require(memcmp(id.number + 6, buf, 4) == 0 && memcmp(id.number + 10, buf + 5, 2) == 0 &&
		    memcmp(id.number + 12, buf + 8, 2) == 0,
		"birth_date matches the number", z);
	require(strlen(id.address) == 6 && memcmp(id.address, id.number, 6) == 0, "address", z);
	require(id.male == (id.number[16] - '0') % 2, "sex from sequence parity", z);
	require(strcmp(id.birth_date, TODAY) <= 0, "not after today", z);
	require(idnum_age_on(id.birth_date, TODAY) >= 0, "age defined", z);

	require(idnum_parse(id.number, TODAY, &again, NULL) == 0, "normalized re-parses", z);
	require(memcmp(&id, &again, sizeof id) == 0, "re-parse is identical", z);

	char masked[19];
	idnum_mask(id.number, masked);
	require(strlen(masked) == 18 && memcmp(masked + 6, "********", 8) == 0, "mask shape", z);
}

static void check_phone(const char *z)
{
	char out[24], again[24], masked[24];
	struct err e = {0};

	if (phone_validate(z, out, &e) < 0) {
		require(e.status == 400, "phone error status", z);
		require(strcmp(e.code, "invalid_phone") == 0, "phone error code", z);
		require(strcmp(e.field, "phone") == 0, "phone error field", z);
		require(e.message[0] != '\0', "phone error message", z);
		require(out[0] == '\0', "phone output cleared", z);
	} else {
		size_t n = strlen(out);
		require(n >= 11 && n <= 20, "phone length", z);
		require(strspn(out, "0123456789-") == n, "phone characters", z);
		require(phone_validate(out, again, NULL) == 0 && strcmp(out, again) == 0,
			"phone normalization is idempotent", z);
		phone_mask(out, masked);
		require(strlen(masked) == n, "phone mask length", z);
	}
	phone_mask(z, masked);
	require(strlen(masked) <= 23, "phone mask bounded", z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *z = malloc(size + 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';

	check_idnum(z);
	check_phone(z);

	/* The helpers must tolerate any string too. */
	char masked[19];
	idnum_mask(z, masked);
	require(strlen(masked) <= 18, "id mask bounded", z);
	(void)idnum_age_on(z, TODAY);
	(void)idnum_age_on(TODAY, z);
	(void)idnum_check_char(z);

	free(z);
	return 0;
}
