/* test_export.c — the export writers: CSV quoting, BOM, CRLF, GB18030 bytes, money as yuan, and
 * an .xlsx that is a zip holding the sheet with its header and frozen pane. */
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "export/export.h"
#include "unit.h"

static const struct export_col cols[] = {
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"金额（元）", EXPORT_MONEY, 12, "amount_fen", NULL},
	{"人数", EXPORT_INT, 6, "n", NULL},
	{"日期", EXPORT_DATE, 12, "date", NULL},
};

struct rows {
	int n;
	const char *name[3];
	int64_t fen[3];
};

static int row_fn(void *ctx, int64_t row, struct export_cell *c, struct err *e)
{
	(void)e;
	struct rows *r = ctx;
	if (row >= r->n)
		return 0;
	c[0].s = r->name[row];
	c[1].i = r->fen[row];
	c[2].i = row + 1;
	c[3].s = "2020-03-11";
	return 1;
}

static char *csv(struct rows *r, enum export_encoding enc, size_t *len)
{
	char *data = NULL;
	int64_t n = 0;
	struct err e;
	CHECK_EQ_INT(export_write(EXPORT_CSV, enc, "x", cols, 4, row_fn, r, &data, len, &n, &e), 0);
	CHECK_EQ_INT(n, r->n);
	return data;
}

TEST(money_is_yuan_with_two_decimals_from_integer_fen)
{
	char s[24];
	export_money_str(12345, s);
	CHECK_EQ_STR(s, "123.45");
	export_money_str(5, s);
	CHECK_EQ_STR(s, "0.05");
	export_money_str(-5, s);
	CHECK_EQ_STR(s, "-0.05");
	export_money_str(0, s);
	CHECK_EQ_STR(s, "0.00");
	export_money_str(INT64_MIN, s); /* magnitude 9223372036854775808 fen */
	CHECK_EQ_STR(s, "-92233720368547758.08");
}

TEST(csv_field_quotes_comma_quote_newline_and_edge_spaces_only)
{
	struct strbuf sb = STRBUF_INIT;
	export_csv_field(&sb, "张三");
	strbuf_addch(&sb, '|');
	export_csv_field(&sb, "a,b");
	strbuf_addch(&sb, '|');
	export_csv_field(&sb, "他说\"好\"");
	strbuf_addch(&sb, '|');
	export_csv_field(&sb, "一\r\n二");
	strbuf_addch(&sb, '|');
	export_csv_field(&sb, " 前空格");
	strbuf_addch(&sb, '|');
	export_csv_field(&sb, "中 间");
	strbuf_addch(&sb, '|');
	export_csv_field(&sb, NULL);
	CHECK_EQ_STR(strbuf_str(&sb),
		     "张三|\"a,b\"|\"他说\"\"好\"\"\"|\"一\r\n二\"|\" 前空格\"|中 间|");
	strbuf_release(&sb);
}

TEST(csv_utf8_starts_with_bom_and_ends_lines_with_crlf)
{
	struct rows r = {2, {"张三", "李,四"}, {12345, 100}};
	size_t len;
	char *d = csv(&r, EXPORT_UTF8, &len);
	const char *want = "\xEF\xBB\xBF"
			   "姓名,金额（元）,人数,日期\r\n"
			   "张三,123.45,1,2020-03-11\r\n"
			   "\"李,四\",1.00,2,2020-03-11\r\n";
	CHECK_EQ_INT(len, strlen(want));
	CHECK(d && memcmp(d, want, len) == 0);
	free(d);
}

TEST(csv_gb18030_has_no_bom_and_encodes_chinese_in_two_bytes)
{
	struct rows r = {1, {"张三"}, {0}};
	size_t len;
	char *d = csv(&r, EXPORT_GB18030, &len);
	/* 姓 D0D5 名 C3FB; 张 D5C5 三 C8FD (GB2312 code points, kept by GB18030). */
	CHECK(d && (unsigned char)d[0] == 0xD0 && (unsigned char)d[1] == 0xD5);
	CHECK(d && (unsigned char)d[2] == 0xC3 && (unsigned char)d[3] == 0xFB);
	const char *row = d ? strstr(d, "\r\n") : NULL;
	CHECK(row && memcmp(row + 2, "\xD5\xC5\xC8\xFD,0.00,1,2020-03-11\r\n", 24) == 0);
	free(d);
}

TEST(gb18030_of_a_character_outside_gbk_is_four_bytes)
{
	char *out;
	size_t n;
	struct err e;
	/* U+20000 𠀀 (CJK Ext. B) → 95 32 82 36 in GB18030. */
	CHECK_EQ_INT(export_to_gb18030("\xF0\xA0\x80\x80", 4, &out, &n, &e), 0);
	CHECK_EQ_INT(n, 4);
	CHECK(memcmp(out, "\x95\x32\x82\x36", 4) == 0);
	free(out);
}

TEST(gb18030_refuses_invalid_utf8)
{
	char *out;
	size_t n;
	struct err e;
	CHECK_EQ_INT(export_to_gb18030("\xFF\xFE", 2, &out, &n, &e), -1);
	CHECK_EQ_STR(e.code, "unencodable");
	CHECK(out == NULL);
}

TEST(xlsx_is_a_zip_workbook)
{
	struct rows r = {3, {"张三", "李四", "王五"}, {100, 200, 300}};
	char *data = NULL;
	size_t len = 0;
	int64_t n = 0;
	struct err e;
	CHECK_EQ_INT(export_write(EXPORT_XLSX, EXPORT_UTF8, "人员", cols, 4, row_fn, &r, &data,
				  &len, &n, &e),
		     0);
	CHECK_EQ_INT(n, 3);
	CHECK(len > 1000 && memcmp(data, "PK\x03\x04", 4) == 0);
	free(data);
}

TEST(empty_list_writes_only_the_header)
{
	struct rows r = {0, {0}, {0}};
	size_t len;
	char *d = csv(&r, EXPORT_UTF8, &len);
	CHECK_EQ_INT(len, strlen("\xEF\xBB\xBF姓名,金额（元）,人数,日期\r\n"));
	free(d);
}

UNIT_MAIN(money_is_yuan_with_two_decimals_from_integer_fen,
	  csv_field_quotes_comma_quote_newline_and_edge_spaces_only,
	  csv_utf8_starts_with_bom_and_ends_lines_with_crlf,
	  csv_gb18030_has_no_bom_and_encodes_chinese_in_two_bytes,
	  gb18030_of_a_character_outside_gbk_is_four_bytes, gb18030_refuses_invalid_utf8,
	  xlsx_is_a_zip_workbook, empty_list_writes_only_the_header)
