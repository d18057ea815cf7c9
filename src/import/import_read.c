/* import_read.c — turning the bytes of a CSV or .xlsx file into a table of normalised UTF-8
 * cells (see import.h for what is accepted). Pure: no database, no HTTP.
 *
 * CSV: the encoding is decided once for the whole file — valid UTF-8 (BOM dropped) or else
 * GB18030 converted with iconv — then one pass of an RFC 4180 state machine.
 * .xlsx: libzip opens the archive in memory; libxml2 parses sharedStrings.xml, styles.xml (which
 * cell styles are dates) and the first worksheet; merged ranges are filled afterwards.
 */
#include "import/import.h"

#include <ctype.h>
#include <iconv.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "core/strbuf.h"

/* ---- the table ---------------------------------------------------------------------------- */

void import_table_release(struct import_table *t)
{
	free(t->rows);
	free(t->cells);
	free(t->text);
	memset(t, 0, sizeof *t);
}

const char *import_cell(const struct import_table *t, int r, int c)
{
	if (r < 0 || r >= t->nrows || c < 0 || c >= t->rows[r].n)
		return "";
	return t->text + t->cells[t->rows[r].first + (size_t)c];
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

/* Append a cell of n bytes to the current (last) row, normalised. */
static int add_cell(struct import_table *t, const char *s, size_t n)
{
	struct import_row *r = &t->rows[t->nrows - 1];
	if (r->n >= IMPORT_MAX_COLS)
		return 0;
	if (grow((void **)&t->text, &t->text_cap, t->text_len + n + 1, 1) < 0 ||
	    grow((void **)&t->cells, &t->cells_cap, t->ncells + 1, sizeof *t->cells) < 0)
		return -1;
	char *dst = t->text + t->text_len;
	memcpy(dst, s, n);
	dst[n] = 0;
	import_normalise(dst);
	t->cells[t->ncells++] = t->text_len;
	t->text_len += strlen(dst) + 1;
	r->n++;
	return 0;
}

static int add_row(struct import_table *t, int line)
{
	size_t cap = (size_t)t->rows_cap;
	if (grow((void **)&t->rows, &cap, (size_t)t->nrows + 1, sizeof *t->rows) < 0)
		return -1;
	t->rows_cap = (int)cap;
	t->rows[t->nrows++] = (struct import_row){.line = line, .n = 0, .first = t->ncells};
	return 0;
}

/* Drop the last row when every cell is empty (blank lines, ",,,," lines). */
static void drop_if_blank(struct import_table *t)
{
	struct import_row *r = &t->rows[t->nrows - 1];
	for (int c = 0; c < r->n; c++)
		if (t->text[t->cells[r->first + (size_t)c]])
			return;
	t->ncells = r->first;
	t->text_len = r->n ? t->cells[r->first] : t->text_len;
	t->nrows--;
}

/* ---- cells -------------------------------------------------------------------------------- */

void import_normalise(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = (unsigned char *)s;
	while (*r) {
		/* full-width forms U+FF01..U+FF5E = EF BC 81..EF BD 9E → ASCII 0x21..0x7E */
		if (r[0] == 0xEF && (r[1] == 0xBC || r[1] == 0xBD) && r[2] >= 0x80 && r[2] <= 0xBF) {
			unsigned cp = 0xFF00u + ((r[1] & 0x03u) << 6) + (r[2] & 0x3Fu);
			if ((cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
			    (cp >= 0xFF41 && cp <= 0xFF5A)) {
				*w++ = (unsigned char)(cp - 0xFEE0u);
				r += 3;
				continue;
			}
		}
		if (r[0] == 0xE3 && r[1] == 0x80 && r[2] == 0x80) { /* U+3000 ideographic space */
			*w++ = ' ';
			r += 3;
			continue;
		}
		if (*r == '\r' || *r == '\t')
			*w++ = ' ', r++;
		else
			*w++ = *r++;
	}
	*w = 0;
	/* trim */
	size_t n = (size_t)(w - (unsigned char *)s);
	while (n && s[n - 1] == ' ')
		s[--n] = 0;
	size_t lead = 0;
	while (s[lead] == ' ')
		lead++;
	if (lead)
		memmove(s, s + lead, n - lead + 1);
}

int import_is_sci_notation(const char *s)
{
	const char *p = s;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p != 'E' && *p != 'e')
		return 0;
	p++;
	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (isdigit((unsigned char)*p))
		p++;
	return *p == 0;
}

int import_excel_date(double serial, char out[11])
{
	if (!(serial >= 61 && serial < 2958466))
		return -1;
	/* days since 1899-12-31 counting the fictitious 1900-02-29; from 61 on: days since 1899-12-30 */
	long days = (long)floor(serial) - 25569; /* days since 1970-01-01 */
	/* civil from days (Howard Hinnant) */
	long z = days + 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long y = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1;
	long m = mp < 10 ? mp + 3 : mp - 9;
	if (m <= 2)
		y++;
	snprintf(out, 11, "%04ld-%02ld-%02ld", y, m, d);
	return 0;
}

/* ---- CSV ---------------------------------------------------------------------------------- */

static int utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		int k = c >= 0xF5 ? -1 : c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 ? 1 : -1;
		if (k < 0 || n - i <= (size_t)k)
			return 0;
		for (int j = 1; j <= k; j++)
			if ((s[i + (size_t)j] & 0xC0) != 0x80)
				return 0;
		i += (size_t)k + 1;
	}
	return 1;
}

/* GB18030 → UTF-8 (malloc'd), or NULL when the bytes are not GB18030 either. */
static char *from_gb18030(const char *data, size_t len, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		return NULL;
	size_t cap = len * 2 + 16, left_out = cap, left_in = len;
	char *out = malloc(cap), *inp = (char *)data, *op = out;
	if (!out) {
		iconv_close(cd);
		return NULL;
	}
	if (iconv(cd, &inp, &left_in, &op, &left_out) == (size_t)-1) {
		free(out);
		out = NULL;
	} else {
		*out_len = cap - left_out;
	}
	iconv_close(cd);
	return out;
}

static int parse_csv(const char *s, size_t n, struct import_table *t, struct err *e)
{
	struct import_table z = {0};
	*t = z;
	char *field = NULL;
	size_t fcap = 0, flen = 0;
	size_t i = 0;
	int line = 0, rc = -1;
	while (i < n) {
		/* one record */
		line++;
		if (add_row(t, line) < 0)
			goto oom;
		for (;;) {
			flen = 0;
			if (i < n && s[i] == '"') {
				i++;
				for (;;) {
					if (i >= n)
						break; /* unterminated quote: take what there is */
					if (s[i] == '"') {
						if (i + 1 < n && s[i + 1] == '"') {
							i++;
						} else {
							i++;
							break;
						}
					}
					if (grow((void **)&field, &fcap, flen + 1, 1) < 0)
						goto oom;
					field[flen++] = s[i++];
				}
				/* text after the closing quote up to the separator is kept */
			}
			while (i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
				if (grow((void **)&field, &fcap, flen + 1, 1) < 0)
					goto oom;
				field[flen++] = s[i++];
			}
			if (add_cell(t, field ? field : "", flen) < 0)
				goto oom;
			if (i < n && s[i] == ',') {
				i++;
				continue;
			}
			break;
		}
		if (i < n && s[i] == '\r')
			i++;
		if (i < n && s[i] == '\n')
			i++;
		drop_if_blank(t);
	}
	rc = 0;
	goto out;
oom:
	err_set(e, 500, "internal", NULL, "内存不足");
out:
	free(field);
	return rc;
}

int import_read_csv(const char *data, size_t len, struct import_table *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (utf8_valid((const unsigned char *)data, len)) {
		int rc = parse_csv(data, len, t, e);
		snprintf(t->format, sizeof t->format, "csv-utf8");
		return rc;
	}
	size_t ulen = 0;
	char *u = from_gb18030(data, len, &ulen);
	if (!u)
		return err_set(e, 400, "invalid_file", NULL,
			       "文件编码无法识别：请另存为 UTF-8 或 GB18030 编码的 CSV，或 Excel (.xlsx) 文件");
	int rc = parse_csv(u, ulen, t, e);
	free(u);
	snprintf(t->format, sizeof t->format, "csv-gb");
	return rc;
}

/* ---- .xlsx -------------------------------------------------------------------------------- */

struct xlsx {
	zip_t *zip;
	char **shared;
	size_t nshared;
	unsigned char *date_style; /* per cellXfs index: 1 when a date format */
	size_t nstyles;
};

/* A zip member's bytes (malloc'd, NUL-terminated), or NULL. The buffer grows with the bytes
 * actually read, never to the size the member's header claims (a small crafted upload must not
 * make the server allocate a gigabyte), up to 4 × IMPORT_MAX_BYTES. */
static char *zip_read(zip_t *z, const char *name, size_t *len)
{
	const size_t max = IMPORT_MAX_BYTES * (size_t)4;
	zip_stat_t st;
	if (zip_stat(z, name, 0, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > max)
		return NULL;
	zip_file_t *f = zip_fopen(z, name, 0);
	if (!f)
		return NULL;
	size_t cap = st.size < (1u << 20) ? (size_t)st.size + 1 : (1u << 20), n = 0;
	char *buf = malloc(cap);
	zip_int64_t got = 1;
	while (buf && got > 0) {
		if (n + 1 >= cap) {
			size_t want = cap * 2 > max + 1 ? max + 1 : cap * 2;
			char *bigger = want > cap ? realloc(buf, want) : NULL;
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap = want;
		}
		got = zip_fread(f, buf + n, cap - 1 - n);
		if (got > 0)
			n += (size_t)got;
	}
	zip_fclose(f);
	if (!buf || got < 0 || n != st.size) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static xmlDocPtr zip_xml(zip_t *z, const char *name)
{
	size_t len = 0;
	char *buf = zip_read(z, name, &len);
	if (!buf)
		return NULL;
	xmlDocPtr d = xmlReadMemory(buf, (int)len, name, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_HUGE |
					    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(buf);
	return d;
}

static int is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The text of every <t> under n, skipping phonetic runs (<rPh>), appended to sb. */
static int text_of(xmlNodePtr n, struct strbuf *sb)
{
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (is(c, "rPh"))
			continue;
		if (is(c, "t")) {
			xmlChar *v = xmlNodeGetContent(c);
			int rc = v ? strbuf_addstr(sb, (const char *)v) : 0;
			xmlFree(v);
			if (rc < 0)
				return -1;
		} else if (c->type == XML_ELEMENT_NODE && text_of(c, sb) < 0) {
			return -1;
		}
	}
	return 0;
}

static int load_shared(struct xlsx *x)
{
	xmlDocPtr d = zip_xml(x->zip, "xl/sharedStrings.xml");
	if (!d)
		return 0; /* a workbook without text */
	xmlNodePtr root = xmlDocGetRootElement(d);
	size_t cap = 0;
	int rc = 0;
	for (xmlNodePtr si = root ? root->children : NULL; si && rc == 0; si = si->next) {
		if (!is(si, "si"))
			continue;
		struct strbuf sb = STRBUF_INIT;
		if (text_of(si, &sb) < 0 || strbuf_addstr(&sb, "") < 0 ||
		    grow((void **)&x->shared, &cap, x->nshared + 1, sizeof *x->shared) < 0) {
			strbuf_release(&sb);
			rc = -1;
			break;
		}
		x->shared[x->nshared++] = strbuf_detach(&sb, NULL);
	}
	xmlFreeDoc(d);
	return rc;
}

/* A custom number format is a date when it has d, m or y outside quotes and brackets. */
static int format_is_date(const char *f)
{
	int q = 0, b = 0;
	for (; *f; f++) {
		if (*f == '"')
			q = !q;
		else if (!q && *f == '[')
			b = 1;
		else if (!q && *f == ']')
			b = 0;
		else if (!q && !b && (*f == 'd' || *f == 'm' || *f == 'y' || *f == 'D' || *f == 'Y'))
			return 1;
		else if (*f == '\\' && f[1])
			f++;
	}
	return 0;
}

static void load_styles(struct xlsx *x)
{
	xmlDocPtr d = zip_xml(x->zip, "xl/styles.xml");
	if (!d)
		return;
	int custom_ids[256], ncustom = 0;
	xmlNodePtr root = xmlDocGetRootElement(d);
	for (xmlNodePtr s = root ? root->children : NULL; s; s = s->next) {
		if (is(s, "numFmts")) {
			for (xmlNodePtr f = s->children; f; f = f->next) {
				if (!is(f, "numFmt") || ncustom >= 256)
					continue;
				xmlChar *id = xmlGetProp(f, (const xmlChar *)"numFmtId");
				xmlChar *code = xmlGetProp(f, (const xmlChar *)"formatCode");
				if (id && code && format_is_date((const char *)code))
					custom_ids[ncustom++] = atoi((const char *)id);
				xmlFree(id);
				xmlFree(code);
			}
		} else if (is(s, "cellXfs")) {
			size_t cap = 0;
			for (xmlNodePtr f = s->children; f; f = f->next) {
				if (!is(f, "xf"))
					continue;
				if (grow((void **)&x->date_style, &cap, x->nstyles + 1, 1) < 0)
					break;
				xmlChar *id = xmlGetProp(f, (const xmlChar *)"numFmtId");
				int n = id ? atoi((const char *)id) : 0, date = (n >= 14 && n <= 22) ||
										 (n >= 27 && n <= 36) ||
										 (n >= 45 && n <= 47) ||
										 (n >= 50 && n <= 58);
				for (int i = 0; i < ncustom; i++)
					date |= custom_ids[i] == n;
				xmlFree(id);
				x->date_style[x->nstyles++] = (unsigned char)date;
			}
		}
	}
	xmlFreeDoc(d);
}

/* "BC12" → column 54 (0-based) and row 12; -1 when malformed. */
static int cell_ref(const char *r, int *col, int *row)
{
	int c = 0, n = 0;
	while (*r >= 'A' && *r <= 'Z') {
		c = c * 26 + (*r++ - 'A' + 1);
		if (c > 16384)
			return -1;
	}
	while (*r >= '0' && *r <= '9') {
		n = n * 10 + (*r++ - '0');
		if (n > 1048576)
			return -1;
	}
	if (!c || !n || *r)
		return -1;
	*col = c - 1;
	*row = n;
	return 0;
}

/* A number as Excel shows it in General format: integers whole; others shortest text. */
static void number_text(const char *v, int date, char *out, size_t n)
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end) {
		snprintf(out, n, "%s", v);
		return;
	}
	if (date && import_excel_date(d, out) == 0)
		return;
	if (d == floor(d) && fabs(d) < 1e15)
		snprintf(out, n, "%.0f", d);
	else if (fabs(d) >= 1e15)
		snprintf(out, n, "%.5E", d); /* what Excel would show: the digits are lost */
	else
		snprintf(out, n, "%.15g", d);
}

struct grid_cell {
	int row, col;
	char *text; /* malloc'd */
};

static int cmp_cell(const void *a, const void *b)
{
	const struct grid_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

int import_read_xlsx(const char *data, size_t len, struct import_table *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	snprintf(t->format, sizeof t->format, "xlsx");
	struct xlsx x = {0};
	struct grid_cell *g = NULL;
	size_t ng = 0, gcap = 0;
	int rc = -1;
	xmlDocPtr sheet = NULL;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (src && !(x.zip = zip_open_from_source(src, ZIP_RDONLY, &ze)))
		zip_source_free(src);
	zip_error_fini(&ze);
	if (!x.zip) {
		err_set(e, 400, "invalid_file", NULL, "无法打开 Excel 文件：文件已损坏或不是 .xlsx 格式");
		goto out;
	}
	if (load_shared(&x) < 0)
		goto oom;
	load_styles(&x);
	sheet = zip_xml(x.zip, "xl/worksheets/sheet1.xml");
	if (!sheet) {
		/* the first worksheet under another name */
		zip_int64_t ne = zip_get_num_entries(x.zip, 0);
		for (zip_int64_t i = 0; i < ne && !sheet; i++) {
			const char *nm = zip_get_name(x.zip, (zip_uint64_t)i, 0);
			if (nm && strncmp(nm, "xl/worksheets/", 14) == 0 && !strchr(nm + 14, '/'))
				sheet = zip_xml(x.zip, nm);
		}
	}
	if (!sheet) {
		err_set(e, 400, "invalid_file", NULL, "Excel 文件中没有工作表");
		goto out;
	}
	xmlNodePtr root = xmlDocGetRootElement(sheet);
	for (xmlNodePtr s = root ? root->children : NULL; s; s = s->next) {
		if (is(s, "sheetData")) {
			int rowno = 0;
			for (xmlNodePtr r = s->children; r; r = r->next) {
				if (!is(r, "row"))
					continue;
				xmlChar *rr = xmlGetProp(r, (const xmlChar *)"r");
				rowno = rr ? atoi((const char *)rr) : rowno + 1;
				xmlFree(rr);
				int colno = -1;
				for (xmlNodePtr c = r->children; c; c = c->next) {
					if (!is(c, "c"))
						continue;
					int col = colno + 1, row = rowno;
					xmlChar *ref = xmlGetProp(c, (const xmlChar *)"r");
					if (ref && cell_ref((const char *)ref, &col, &row) < 0)
						col = colno + 1, row = rowno;
					xmlFree(ref);
					colno = col;
					if (col >= IMPORT_MAX_COLS)
						continue;
					xmlChar *type = xmlGetProp(c, (const xmlChar *)"t");
					xmlChar *style = xmlGetProp(c, (const xmlChar *)"s");
					const char *ty = type ? (const char *)type : "n";
					size_t si = style ? (size_t)atol((const char *)style) : 0;
					int date = si < x.nstyles && x.date_style[si];
					xmlFree(style);
					struct strbuf sb = STRBUF_INIT;
					int bad = 0;
					if (strcmp(ty, "inlineStr") == 0) {
						for (xmlNodePtr k = c->children; k; k = k->next)
							if (is(k, "is"))
								bad |= text_of(k, &sb) < 0;
					} else {
						for (xmlNodePtr k = c->children; k; k = k->next) {
							if (!is(k, "v"))
								continue;
							xmlChar *v = xmlNodeGetContent(k);
							const char *vs = v ? (const char *)v : "";
							char num[64];
							if (strcmp(ty, "s") == 0) {
								size_t idx = (size_t)atol(vs);
								bad |= strbuf_addstr(&sb, idx < x.nshared ? x.shared[idx] : "") < 0;
							} else if (strcmp(ty, "n") == 0) {
								number_text(vs, date, num, sizeof num);
								bad |= strbuf_addstr(&sb, num) < 0;
							} else if (strcmp(ty, "b") == 0) {
								bad |= strbuf_addstr(&sb, strcmp(vs, "1") == 0 ? "TRUE" : "FALSE") < 0;
							} else {
								bad |= strbuf_addstr(&sb, vs) < 0; /* str, e, d */
							}
							xmlFree(v);
						}
					}
					xmlFree(type);
					if (bad || strbuf_addstr(&sb, "") < 0 ||
					    grow((void **)&g, &gcap, ng + 1, sizeof *g) < 0) {
						strbuf_release(&sb);
						goto oom;
					}
					g[ng++] = (struct grid_cell){row, col, strbuf_detach(&sb, NULL)};
				}
			}
		} else if (is(s, "mergeCells")) {
			/* fill each merged range with its top-left value */
			for (xmlNodePtr m = s->children; m; m = m->next) {
				if (!is(m, "mergeCell"))
					continue;
				xmlChar *ref = xmlGetProp(m, (const xmlChar *)"ref");
				char a[16] = "", b[16] = "";
				const char *colon = ref ? strchr((const char *)ref, ':') : NULL;
				int c1, r1, c2, r2;
				if (colon && colon - (const char *)ref < 16) {
					memcpy(a, ref, (size_t)(colon - (const char *)ref));
					snprintf(b, sizeof b, "%s", colon + 1);
				}
				xmlFree(ref);
				if (cell_ref(a, &c1, &r1) < 0 || cell_ref(b, &c2, &r2) < 0 || c2 < c1 || r2 < r1 ||
				    (long)(c2 - c1 + 1) * (r2 - r1 + 1) > 4096)
					continue;
				const char *v = NULL;
				for (size_t i = 0; i < ng; i++)
					if (g[i].row == r1 && g[i].col == c1)
						v = g[i].text;
				if (!v || !*v)
					continue;
				for (int r = r1; r <= r2; r++)
					for (int c = c1; c <= c2 && c < IMPORT_MAX_COLS; c++) {
						if (r == r1 && c == c1)
							continue;
						char *dup = strdup(v);
						if (!dup || grow((void **)&g, &gcap, ng + 1, sizeof *g) < 0) {
							free(dup);
							goto oom;
						}
						v = NULL; /* g may have moved */
						g[ng++] = (struct grid_cell){r, c, dup};
						v = g[ng - 1].text;
					}
			}
		}
	}
	if (ng) /* a sheet without cells leaves g NULL, and qsort's base must not be */
		qsort(g, ng, sizeof *g, cmp_cell);
	for (size_t i = 0; i < ng;) {
		int row = g[i].row;
		if (add_row(t, row) < 0)
			goto oom;
		int col = 0;
		while (i < ng && g[i].row == row) {
			/* a merged fill over an (empty) real cell: keep the longer text */
			size_t best = i;
			while (i + 1 < ng && g[i + 1].row == row && g[i + 1].col == g[best].col) {
				i++;
				if (strlen(g[i].text) > strlen(g[best].text))
					best = i;
			}
			i++;
			for (; col < g[best].col; col++)
				if (add_cell(t, "", 0) < 0)
					goto oom;
			if (add_cell(t, g[best].text, strlen(g[best].text)) < 0)
				goto oom;
			col++;
		}
		drop_if_blank(t);
	}
	rc = 0;
	goto out;
oom:
	err_set(e, 500, "internal", NULL, "内存不足");
out:
	for (size_t i = 0; i < ng; i++)
		free(g[i].text);
	free(g);
	if (sheet)
		xmlFreeDoc(sheet);
	for (size_t i = 0; i < x.nshared; i++)
		free(x.shared[i]);
	free(x.shared);
	free(x.date_style);
	if (x.zip)
		zip_discard(x.zip);
	return rc;
}

int import_read(const char *data, size_t len, struct import_table *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (len > IMPORT_MAX_BYTES)
		return err_set(e, 413, "too_large", NULL, "文件过大（最大 256 MB）");
	if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return import_read_xlsx(data, len, t, e);
	if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0)
		return err_set(e, 400, "invalid_file", NULL,
			       "不支持旧版 Excel (.xls) 文件：请在 Excel 中另存为 .xlsx 后再导入");
	return import_read_csv(data, len, t, e);
}
