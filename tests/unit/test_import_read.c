/* test_import_read.c — the import readers: CSV encodings and quoting, cell normalisation,
 * scientific-notation detection, Excel dates, and the .xlsx fixture with merged header cells. */
#include "unit.h"

#include <stdlib.h>

#include "import/import.h"

static int read_csv(const char *s, struct import_table *t)
{
	struct err e;
	return import_read(s, strlen(s), t, &e);
}

TEST(csv_utf8_with_bom_and_quotes)
{
	struct import_table t;
	CHECK_EQ_INT(read_csv("\xEF\xBB\xBF" "a,b,c\n\"x, y\",\"he said \"\"hi\"\"\",\"two\nlines\"\n", &t), 0);
	CHECK_EQ_STR(t.format, "csv-utf8");
	CHECK_EQ_INT(t.nrows, 2);
	CHECK_EQ_STR(import_cell(&t, 0, 0), "a"); /* the BOM is not part of the first header */
	CHECK_EQ_STR(import_cell(&t, 1, 0), "x, y");
	CHECK_EQ_STR(import_cell(&t, 1, 1), "he said \"hi\"");
	CHECK_EQ_STR(import_cell(&t, 1, 2), "two\nlines");
	CHECK_EQ_STR(import_cell(&t, 1, 9), ""); /* past the row's end */
	import_table_release(&t);
}

TEST(csv_blank_lines_are_dropped_and_lines_kept)
{
	struct import_table t;
	CHECK_EQ_INT(read_csv("h1,h2\r\n\r\n1,2\r\n,,\r\n  ,\r\n3,4", &t), 0);
	CHECK_EQ_INT(t.nrows, 3);
	CHECK_EQ_INT(t.rows[1].line, 3); /* record numbers as the user sees them */
	CHECK_EQ_INT(t.rows[2].line, 6);
	CHECK_EQ_STR(import_cell(&t, 2, 1), "4");
	import_table_release(&t);
}

TEST(csv_gb18030_is_detected_and_converted)
{
	/* "姓名,地址\n张三,北京" in GB18030 */
	const char gb[] = "\xD0\xD5\xC3\xFB,\xB5\xD8\xD6\xB7\n\xD5\xC5\xC8\xFD,\xB1\xB1\xBE\xA9\n";
	struct import_table t;
	struct err e;
	CHECK_EQ_INT(import_read(gb, sizeof gb - 1, &t, &e), 0);
	CHECK_EQ_STR(t.format, "csv-gb");
	CHECK_EQ_STR(import_cell(&t, 0, 0), "姓名");
	CHECK_EQ_STR(import_cell(&t, 1, 1), "北京");
	import_table_release(&t);
}

TEST(cells_are_trimmed_and_full_width_normalised)
{
	char a[] = "  张三 \t", b[] = "３７０７０２ＡＢｘ", c[] = "\xE3\x80\x80" "13800000001" "\xE3\x80\x80";
	import_normalise(a);
	import_normalise(b);
	import_normalise(c);
	CHECK_EQ_STR(a, "张三");
	CHECK_EQ_STR(b, "370702ABx");
	CHECK_EQ_STR(c, "13800000001");
}

TEST(scientific_notation_is_recognised)
{
	CHECK(import_is_sci_notation("1.23457E+17"));
	CHECK(import_is_sci_notation("3.70702E17"));
	CHECK(import_is_sci_notation("1e+17"));
	CHECK(!import_is_sci_notation("370702198001010011"));
	CHECK(!import_is_sci_notation("37070219800101001X"));
	CHECK(!import_is_sci_notation("E+17"));
	CHECK(!import_is_sci_notation("1.2E"));
}

TEST(excel_serials_become_dates)
{
	char d[11];
	CHECK_EQ_INT(import_excel_date(45292, d), 0); /* Excel shows 2024-01-01 */
	CHECK_EQ_STR(d, "2024-01-01");
	CHECK_EQ_INT(import_excel_date(61, d), 0);
	CHECK_EQ_STR(d, "1900-03-01");
	CHECK_EQ_INT(import_excel_date(36526.75, d), 0); /* time of day dropped */
	CHECK_EQ_STR(d, "2000-01-01");
	CHECK_EQ_INT(import_excel_date(10, d), -1); /* before the fictitious 1900-02-29 */
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	*len = buf ? fread(buf, 1, 1 << 20, f) : 0;
	fclose(f);
	return buf;
}

TEST(xlsx_shared_inline_numbers_dates_and_merged_headers)
{
	size_t len;
	char *data = slurp("tests/fixtures/import/households_merged.xlsx", &len);
	CHECK(data != NULL);
	if (!data)
		return;
	struct import_table t;
	struct err e;
	CHECK_EQ_INT(import_read(data, len, &t, &e), 0);
	CHECK_EQ_STR(t.format, "xlsx");
	CHECK_EQ_INT(t.nrows, 5);
	/* the title merged over A1:G1 fills every cell of the range */
	CHECK_EQ_STR(import_cell(&t, 0, 6), "某街道困难家庭花名册");
	CHECK_EQ_INT(t.rows[1].line, 2);
	CHECK_EQ_STR(import_cell(&t, 1, 7), "登记日期"); /* inline string */
	/* 地址 merged over C2:C3: row 3 holds it too */
	CHECK_EQ_INT(t.rows[2].line, 3);
	CHECK_EQ_STR(import_cell(&t, 2, 2), "地址");
	CHECK_EQ_STR(import_cell(&t, 3, 1), "370702001001"); /* a number cell, no ".0" or E+11 */
	CHECK_EQ_STR(import_cell(&t, 3, 7), "2024-01-01");   /* serial 45292 with a date style */
	CHECK_EQ_STR(import_cell(&t, 4, 4), "370702197209090091"); /* inline, spaces trimmed */
	import_table_release(&t);
	free(data);
}

TEST(garbage_is_a_clear_error)
{
	struct import_table t;
	struct err e;
	CHECK_EQ_INT(import_read("PK\x03\x04garbage", 11, &t, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_file");
	import_table_release(&t);
	CHECK_EQ_INT(import_read("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, &t, &e), -1);
	CHECK(strstr(e.message, ".xlsx") != NULL);
	import_table_release(&t);
	const char bad[] = "\xFF\xFF\xFF";
	CHECK_EQ_INT(import_read(bad, 3, &t, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_file");
	import_table_release(&t);
}

UNIT_MAIN(csv_utf8_with_bom_and_quotes, csv_blank_lines_are_dropped_and_lines_kept,
	  csv_gb18030_is_detected_and_converted, cells_are_trimmed_and_full_width_normalised,
	  scientific_notation_is_recognised, excel_serials_become_dates,
	  xlsx_shared_inline_numbers_dates_and_merged_headers, garbage_is_a_clear_error)
