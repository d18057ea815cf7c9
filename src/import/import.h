/* import.h — importing spreadsheets (Excel .xlsx, CSV in UTF-8 or GB18030): public face.
 * (Owned by the import module: import_read.c the readers, import_households.c the households
 * kind, import_rejects.c the rejected-rows and template workbooks, import_api.c the routes,
 * import_schema.c its tables.)
 *
 * Reading turns the bytes of a file into a table of UTF-8 text cells, whatever the format:
 *   - .xlsx (recognised by its zip signature): the first sheet; shared and inline strings;
 *     numbers as their shortest text (integers without ".0"); cells whose style is a date
 *     become "YYYY-MM-DD"; the value of a merged range is copied into every cell of the range
 *     (so a header cell spanning two rows or columns names each of them).
 *   - CSV: UTF-8 with or without a BOM, or GB18030/GBK when the bytes are not valid UTF-8
 *     (converted with iconv); RFC 4180 quoting (quoted commas, doubled quotes, line breaks).
 * Every cell is normalised: surrounding spaces (including the full-width space U+3000) go,
 * full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ) become ASCII. Rows with no text at all are
 * dropped; every kept row remembers its line (CSV record number / sheet row number, 1-based)
 * so messages point at the row the user sees.
 *
 * Importing a kind (households; institutions, ledger and assistance in import_institutions.c,
 * import_ledger.c and import_assistance.c) is staged: import_households() reads, validates every
 * row with the registry's own rules (registry_person_check, registry_household_check), checks
 * region and scope, duplicates inside the file and against the database, and — unless it is a
 * dry run — creates the accepted households through registry_household_create. Persons already
 * registered are counted as skipped, so importing the same file twice changes nothing.
 */
#ifndef MZ_IMPORT_H
#define MZ_IMPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char import_schema_v1[];
extern const char import_schema_v2[]; /* uploads (migration 30) */

/* The module's routes, ending with {0}. */
extern const struct api_route import_routes[];

#define IMPORT_MAX_BYTES (256u << 20) /* largest file accepted: 256 MiB */
#define IMPORT_MAX_COLS 64            /* columns beyond this are ignored */

/* ---- reading (import_read.c): pure, bytes in, cells out ---- */

struct import_row {
	int line;    /* 1-based row number in the file */
	int n;       /* cells in this row */
	size_t first; /* index of the first cell in table.cells */
};

struct import_table {
	int nrows;
	struct import_row *rows;
	size_t ncells;
	size_t *cells; /* offsets into text */
	char *text;    /* NUL-terminated cell texts */
	size_t text_len;
	char format[12]; /* "xlsx", "csv-utf8", "csv-gb" */
	/* private: capacities */
	int rows_cap;
	size_t cells_cap, text_cap;
};

/* Read a file's bytes (format detected). 0, or -1 with e (400 invalid_file, a Chinese message).
 * Release with import_table_release (also after a failure). */
int import_read(const char *data, size_t len, struct import_table *t, struct err *e);
int import_read_csv(const char *data, size_t len, struct import_table *t, struct err *e);
int import_read_xlsx(const char *data, size_t len, struct import_table *t, struct err *e);
void import_table_release(struct import_table *t);

/* Cell c of row r ("" when the row is shorter). */
const char *import_cell(const struct import_table *t, int r, int c);

/* Normalise one cell in place: trim (ASCII and full-width spaces), full-width digits/letters to
 * ASCII. Never grows the text. */
void import_normalise(char *s);

/* 1 when s looks like a number Excel wrote in scientific notation ("1.23457E+17", "1.1E17"). */
int import_is_sci_notation(const char *s);

/* Excel serial day number (1900 system; 60 is the fictitious 1900-02-29) → "YYYY-MM-DD".
 * 0 or -1 when out of range (before 1900-03-01 or after 9999). */
int import_excel_date(double serial, char out[11]);

/* ---- kinds ---- */

/* One rejected row: its table row index and the reason (which column, why). */
struct import_reject {
	int row;  /* index into table.rows */
	int col;  /* the column at fault, -1 when the whole row */
	char reason[200];
};

struct import_result {
	int64_t rows;      /* data rows read (persons for households) */
	int64_t accepted;  /* rows that are (dry run: would be) imported */
	int64_t rejected;
	int64_t skipped;   /* already present in the database */
	int64_t households; /* households created (dry run: would be) */
	int nrejects;
	struct import_reject *rejects; /* malloc'd */
	struct import_table table;     /* the rows read, for the rejects workbook */
	int header_row;                /* index of the header row in table.rows */
};

/* Progress: called now and then with rows done and the total; may be NULL. */
typedef void (*import_progress_fn)(void *arg, int64_t done, int64_t total, const char *stage);

struct import_opts {
	int dry_run;
	import_progress_fn progress;
	void *progress_arg;
};

/* Import households (one row per person; see docs/import.md for the columns). Needs
 * PERM_REGISTRY_WRITE (else 403). Returns 0 when the file was processed — rows may still be
 * rejected, see out — or -1 with e when the file itself is unusable (400 invalid_file,
 * missing_column) or the database failed. Release out with import_result_release. */
int import_households(struct db *db, const struct actor *a, const char *data, size_t len,
		      const struct import_opts *o, struct import_result *out, struct err *e);
void import_result_release(struct import_result *r);

/* Import institutions (one row per institution; docs/import.md). Needs PERM_INSTITUTION_MANAGE
 * (else 403). Each row is checked with institutions_check and created with institutions_create;
 * one with the same name and region code as a registered institution is skipped, as a second
 * one in the file is rejected. Returns and out as import_households (households stays 0). */
int import_institutions(struct db *db, const struct actor *a, const char *data, size_t len,
			const struct import_opts *o, struct import_result *out, struct err *e);

/* Import hand-recorded ledger entries (one row per person, by ID number; docs/import.md). Needs
 * PERM_LEDGER (else 403). Every row goes through ledger_entry_add (and ledger_entry_assign for
 * the helper) in one transaction and a savepoint per row; a dry run rolls it all back at the end
 * (so it takes the write lock while it runs). A person with an active entry is skipped. */
int import_ledger(struct db *db, const struct actor *a, const char *data, size_t len,
		  const struct import_opts *o, struct import_result *out, struct err *e);

/* Import an assistance roll: recipients already on it (one row per case; docs/import.md). Needs
 * PERM_ASSISTANCE_WRITE and PERM_ASSISTANCE_APPROVE (else 403). Every row goes through
 * assistance_case_record_existing in one transaction and a savepoint per row; a dry run rolls it
 * all back at the end. A case already open for the program and household (低保) or person is
 * skipped; 孤儿 and 事实无人抚养儿童 rows are rejected (decided from the parents, not a roll). */
int import_assistance(struct db *db, const struct actor *a, const char *data, size_t len,
		      const struct import_opts *o, struct import_result *out, struct err *e);

/* Import a death list from another department (health, public security; one row per person;
 * docs/import.md): each row matched to the registry by ID number marks the person deceased
 * with the date, as a funeral home's cremation record does. Needs PERM_CROSSCHECK (else 403).
 * (import_deaths.c, owned by the crosscheck module.) Its template's header and example row: */
int import_deaths(struct db *db, const struct actor *a, const char *data, size_t len,
		  const struct import_opts *o, struct import_result *out, struct err *e);
extern const char *const import_deaths_header[];
extern const char *const import_deaths_example[];

/* Run a kind by name ("households", "institutions", "ledger", "assistance", "deaths"); 404
 * unknown_kind for others. */
int import_run(struct db *db, const struct actor *a, const char *kind, const char *data,
	       size_t len, const struct import_opts *o, struct import_result *out, struct err *e);

/* 1 when import_run knows the kind. */
int import_kind_known(const char *kind);

/* The result of a run as the API gives it: {"kind","format","dry_run","rows","accepted",
 * "rejected","skipped","households","rejects":[{"line","column","reason"}…]} with at most
 * IMPORT_REJECTS_IN_JSON rejects (the rest are in the rejects workbook). New reference or NULL. */
#define IMPORT_REJECTS_IN_JSON 500
json_t *import_result_json(const char *kind, int dry_run, const struct import_result *r);

/* ---- uploads (import_uploads.c): files from the web UI, checked and imported by a job ---- */

#define IMPORT_UPLOAD_MAX (32u << 20) /* bytes of one uploaded file */

/* Store a file for the actor (their own until it is a day old; audited import.upload). 404
 * unknown_kind, 400 required (empty), 413 body_too_large. */
int import_upload_store(struct db *db, const struct actor *a, const char *kind, const char *name,
			const char *data, size_t len, int64_t *id, struct err *e);
/* 0 when the upload exists and is the actor's, else 404 not_found. */
int import_upload_find(struct db *db, const struct actor *a, int64_t id, struct err *e);
/* The rejected rows of the upload's latest run as .xlsx (*data malloc'd; audited
 * import.rejects). 404 when the upload is not the actor's, or has no rejects yet. */
int import_upload_rejects(struct db *db, const struct actor *a, int64_t id, char **data,
			  size_t *len, struct err *e);
/* The job "import.file" (jobs_kinds.c): params {"upload_id", "dry_run"}; progress = rows done
 * of total; result = import_result_json plus "upload_id". A committing run drops the file's
 * bytes (409 already_imported for a second one). */
struct job_ctx;
int import_job_run(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		   json_t **result, struct err *e);

/* ---- workbooks (import_rejects.c) ---- */

/* Append a rejected row (row index into table.rows, column at fault or -1, the reason) to
 * r->rejects, growing it; *cap is the caller's running capacity (start at 0). 0, or -1 when
 * out of memory. */
int import_reject_add(struct import_result *r, size_t *cap, int row, int col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
int import_reject_vadd(struct import_result *r, size_t *cap, int row, int col, const char *fmt,
		       va_list ap) __attribute__((format(printf, 5, 0)));

/* The field a header cell names: names is a kind's table of column names, ncols rows of
 * `stride` entries each (code name, Chinese names, NULL-terminated within the row). The column
 * index, or -1 when the header names none. */
int import_column_of(const char *const *names, int stride, int ncols, const char *header);

/* Find the header row of r->table (the one of the first ten naming most columns, at least two)
 * and map its cells: colmap[NCOL] gets each field's column (-1 when absent); every field of
 * required[0..nreq) must be there. Sets r->header_row and returns it, or -1 with e: 400
 * missing_column, naming the missing field, or saying "找不到表头行：第一行应为列名，如 <hint>". */
int import_header_map(struct import_result *r, const char *const *names, int stride, int ncols,
		      int *colmap, const int *required, int nreq, const char *hint, struct err *e);

/* The ID number of data row i (table row hdr + 1 + i) in column col: rejected with the reason
 * (into r, running capacity *cap) when Excel showed it in scientific notation, when it fails the
 * GB 11643 check, or when an earlier row of the file has it (ids[0..i): the numbers seen, ""
 * for rows rejected before); else its normalised form goes into ids[i] and *idn. 1 accepted,
 * 0 rejected, -1 out of memory. */
struct idnum;
int import_row_id(struct import_result *r, size_t *cap, int hdr, int i, int col, char (*ids)[19],
		  struct idnum *idn);

/* The rejected rows as .xlsx: the header row, then each rejected row as it was read with a
 * last column 错误原因 and the cell at fault filled red. *data malloc'd (caller frees). */
int import_rejects_xlsx(const struct import_result *r, char **data, size_t *len, struct err *e);

/* A template for a kind: the header row (Chinese names) and one example row. 404 unknown_kind. */
int import_template_xlsx(const char *kind, char **data, size_t *len, struct err *e);

#endif
