/* fuzz_import_xlsx.c — libFuzzer target: arbitrary bytes as an uploaded .xlsx workbook, through
 * import_read_xlsx (libzip on an in-memory zip, libxml2 on workbook.xml, the sheet, shared
 * strings and styles; merged ranges; date styles; inline strings) (fuzz_import_csv
 * covers import_read's detection).
 * Seeds are small real workbooks, so mutations land inside the zip entries. Invariants: a refusal
 * is a 4xx/500 with a message; a table read has its cells inside the cell array and text, each
 * a NUL-terminated string; the table is released either way (LeakSanitizer checks). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_import_xlsx: invariant broken: %s\n", what);
		abort();
	}
}

static void check_table(int rc, const struct import_table *t, const struct err *e)
{
	if (rc < 0) {
		require(e->status >= 400 && e->status <= 500, "error status");
		require(e->message[0] != '\0', "error message");
		return;
	}
	require(rc == 0 && t->nrows >= 0, "return value and row count");
	for (int r = 0; r < t->nrows; r++) {
		const struct import_row *row = &t->rows[r];
		require(row->line >= 1, "sheet rows are 1-based");
		require(row->n >= 0 && row->n <= IMPORT_MAX_COLS, "columns within the cap");
		require(row->first + (size_t)row->n <= t->ncells, "cells in range");
		for (int c = 0; c < row->n; c++) {
			require(t->cells[row->first + (size_t)c] < t->text_len + 1, "cell inside text");
			const char *z = import_cell(t, r, c);
			(void)import_is_sci_notation(z);
			(void)strlen(z);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct import_table t;
	struct err e;

	memset(&t, 0, sizeof t);
	err_clear(&e);
	int rc = import_read_xlsx((const char *)data, size, &t, &e);
	check_table(rc, &t, &e);
	if (rc == 0)
		require(strcmp(t.format, "xlsx") == 0, "xlsx format name");
	import_table_release(&t);
	return 0;
}
