/* export.h — every list as a spreadsheet: .xlsx (libxlsxwriter) and CSV.
 *
 * Two layers. The writers (export.c) are pure: a column spec (header text, kind, width) and a
 * row source (a callback filling one row's cells) become the bytes of an .xlsx workbook (one
 * sheet, bold header row, frozen panes under it, column widths, money as numbers in the format
 * 0.00, dates and times as real Excel dates) or of a CSV file (RFC 4180 quoting, CRLF line ends,
 * UTF-8 with a byte-order mark, or GB18030 through iconv for older Excel).
 *
 * The handler helper (export_api.c) turns any JSON list route into an export: the list handler
 * asks export_requested() first and, when ?format=xlsx|csv is given, hands itself to
 * export_list(), which calls the very same handler page by page (limit = the route's page
 * maximum, offset advancing) with the export parameters removed, takes each page's items, and
 * writes them with the list's column spec. The export therefore runs the same domain call with
 * the same scope filter and the same masking as the JSON list, and can never show more than it.
 * Every export appends one audit row export.<list> whose detail holds the format, the row count
 * and the filter (the query string without paging).
 */
#ifndef MZ_EXPORT_H
#define MZ_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum export_kind {
	EXPORT_TEXT = 0, /* a string, written as text (ID numbers stay text in Excel) */
	EXPORT_INT,      /* an integer */
	EXPORT_MONEY,    /* an integer count of fen shown as yuan: 12345 → 123.45, format 0.00 */
	EXPORT_DATE,     /* "YYYY-MM-DD" → an Excel date, format yyyy-mm-dd */
	EXPORT_DATETIME, /* "YYYY-MM-DD hh:mm[:ss]" or with 'T' → an Excel date-time */
	EXPORT_BOOL,     /* 1/0 → 是/否 */
};

struct export_col {
	const char *header; /* the header cell, Chinese */
	enum export_kind kind;
	int width;          /* column width in characters (xlsx); 0 → 12 */
	const char *key;    /* the JSON member of an item (export_api.c); "a.b" reaches into objects */
	const char *labels; /* optional, text columns: "code=标签;code2=标签2" shows codes as the UI
			     * does; an unknown code is shown as it is */
};

/* One cell of a row. Text-like kinds (TEXT, DATE, DATETIME) read s; INT, MONEY and BOOL read i.
 * null = 1 leaves the cell empty. A DATE/DATETIME that does not parse is written as text. */
struct export_cell {
	const char *s;
	int64_t i;
	int null;
};

/* The row source: fill cells[0..ncols-1] for row `row` (0, 1, 2, … in order). Return 1 when a
 * row was filled, 0 after the last row, -1 with e filled on failure. Strings in cells must
 * stay valid until the next call. */
typedef int (*export_row_fn)(void *ctx, int64_t row, struct export_cell *cells, struct err *e);

enum export_format { EXPORT_XLSX = 1, EXPORT_CSV = 2 };
enum export_encoding { EXPORT_UTF8 = 0, EXPORT_GB18030 = 1 };

/* Write the whole file. sheet: the worksheet name (xlsx only, ≤ 31 characters). *data is
 * malloc'd (caller frees), *len its size, *rows the data rows written. -1 with e (500 internal,
 * or 400 unencodable when a character has no GB18030 form — which cannot happen for Unicode
 * text, GB18030 covers all of it). */
int export_write(enum export_format fmt, enum export_encoding enc, const char *sheet,
		 const struct export_col *cols, int ncols, export_row_fn row, void *ctx,
		 char **data, size_t *len, int64_t *rows, struct err *e);

/* Fen as yuan with two decimals, integer arithmetic only: 12345 → "123.45", -5 → "-0.05".
 * out needs 24 bytes. */
void export_money_str(int64_t fen, char out[24]);

/* Append one CSV field to sb's text (quoted when it holds a comma, quote, CR or LF, or starts
 * or ends with a space; quotes doubled). Returns 0 or -1 (out of memory). */
struct strbuf;
int export_csv_field(struct strbuf *sb, const char *s);

/* UTF-8 → GB18030 with iconv. *out malloc'd (caller frees). 0, or -1 with e (400 unencodable
 * for invalid UTF-8, 500 when iconv is unavailable). */
int export_to_gb18030(const char *in, size_t n, char **out, size_t *out_len, struct err *e);

/* ---- the handler helper (export_api.c) ---------------------------------------------------- */

struct api_req;
struct api_res;
typedef int (*export_handler_fn)(struct api_req *rq, struct api_res *rs, struct err *e);

/* How one list exports. */
struct export_list_spec {
	const char *list;        /* audit action suffix and file name stem, e.g. "persons" */
	const char *title;       /* sheet name and Chinese file name, e.g. "人员" */
	const char *items_key;   /* the array in the JSON body, NULL → "items" */
	int page_max;            /* the route's largest ?limit=; 0 → the route does not page */
	const struct export_col *cols;
	int ncols;
};

/* The cols and ncols members of a spec from one static array: EXPORT_COLS(person_cols). */
#define EXPORT_COLS(a) (a), (int)(sizeof(a) / sizeof((a)[0]))

/* Rows beyond this refuse the export (400 export_too_large) instead of building a huge file. */
#define EXPORT_MAX_ROWS 200000

/* 1 when the request asks for a file (?format=xlsx or csv), 0 for JSON (format absent or
 * "json"), -1 with e (400 invalid_value, field format or encoding) for anything else. */
int export_requested(const struct api_req *rq, struct err *e);

/* Run `handler` over every page of the list and answer with the file (rs->file). The audit row
 * export.<list> is written before the file is handed over; no audit, no file. */
int export_list(struct api_req *rq, struct api_res *rs, export_handler_fn handler,
		const struct export_list_spec *spec, struct err *e);

#endif
