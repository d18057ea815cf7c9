/* fuzz_import_csv.c — libFuzzer target: arbitrary bytes as an uploaded CSV file, through
 * import_read (format detection, UTF-8/GB18030 decoding, RFC 4180 quoting, cell normalisation)
 * and import_read_csv directly. Invariants: a refusal is 400 invalid_file with a message; a table
 * read has rows in increasing line order whose cells lie inside the cell array, every cell is a
 * NUL-terminated string inside the text, valid for import_cell, and normalised (normalising it
 * again changes nothing). The table is released either way (LeakSanitizer checks). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_import_csv: invariant broken: %s\n", what);
		abort();
	}
}

static void check_table(int rc, const struct import_table *t, const struct err *e, int csv)
{
	if (rc < 0) {
		require(e->status == 400 || e->status == 413 || e->status == 500, "error status");
		require(e->message[0] != '\0', "error message");
		return;
	}
	require(rc == 0, "return value");
	require(t->nrows >= 0, "row count");
	int last = 0;
	for (int r = 0; r < t->nrows; r++) {
		const struct import_row *row = &t->rows[r];
		if (csv)
			require(row->line > last, "record numbers increase");
		last = row->line;
		require(row->n >= 0 && row->first + (size_t)row->n <= t->ncells, "cells in range");
		for (int c = 0; c < row->n + 2; c++) {
			const char *z = import_cell(t, r, c);
			require(z != NULL, "import_cell never NULL");
			if (c >= row->n) {
				require(z[0] == '\0', "cell beyond the row is empty");
				continue;
			}
			require(t->cells[row->first + (size_t)c] < t->text_len + 1, "cell inside text");
			size_t n = strlen(z);
			char *copy = malloc(n + 1);
			require(copy != NULL, "malloc");
			memcpy(copy, z, n + 1);
			import_normalise(copy);
			require(strcmp(copy, z) == 0, "cells are normalised");
			free(copy);
			(void)import_is_sci_notation(z);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_table t;
	struct err e;

	memset(&t, 0, sizeof t);
	err_clear(&e);
	int rc = import_read_csv((const char *)data, size, &t, &e);
	check_table(rc, &t, &e, 1);
	if (rc == 0)
		require(strncmp(t.format, "csv", 3) == 0, "csv format name");
	import_table_release(&t);

	/* The upload path: detection first (a zip signature goes to the .xlsx reader). */
	memset(&t, 0, sizeof t);
	err_clear(&e);
	rc = import_read((const char *)data, size, &t, &e);
	check_table(rc, &t, &e, strncmp(t.format, "csv", 3) == 0);
	import_table_release(&t);
	return 0;
}
