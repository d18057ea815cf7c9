/* export_api.c — the handler-layer helper that turns a JSON list route into a file download.
 *
 * A list handler starts with
 *     if ((x = export_requested(rq, e)) != 0)
 *             return x < 0 ? -1 : export_list(rq, rs, self, &spec, e);
 * and export_list() calls `self` again with the export parameters (format, encoding) and the
 * paging (limit, offset) taken out of the query and its own paging put in, page after page,
 * collecting the `items` arrays. Nothing here reads the database for rows: the rows are exactly
 * what the JSON list returns to the same user with the same filter — same scope, same masking
 * (?unmask=1 passes through to the handler, which checks the permission and audits as usual).
 * The export itself is audited (export.<list>, detail {format, encoding, rows, filter,
 * encrypted}) before the file is handed to the router.
 *
 * An encrypted export: the client sends a passphrase in the X-Export-Passphrase header (never in
 * the URL, which logs and browser history keep), percent-encoded UTF-8 as encodeURIComponent
 * makes it; the file is then wrapped in an AES-256 ZIP (export_zip.c) named ….xlsx.zip. The
 * passphrase is checked before any row is read, wiped after use, and never audited.
 */
#include "export/export.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/crypt_file.h"
#include "core/strbuf.h"
#include "export/export_zip.h"
#include "http/api.h"

#include <sodium.h>

#define PASS_HEADER "X-Export-Passphrase"

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				       : -1;
}

/* The header's percent-encoded passphrase decoded into out (n bytes, NUL-terminated) and
 * checked against the policy. 0, or -1 with e (400, field X-Export-Passphrase). */
static int decode_passphrase(const char *in, char *out, size_t n, struct err *e)
{
	size_t o = 0;
	for (const char *p = in; *p; p++) {
		int c = (unsigned char)*p;
		if (c == '%') {
			int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
			if (lo < 0)
				return err_set(e, 400, "invalid_value", PASS_HEADER,
					       "导出口令的编码无效（应为 encodeURIComponent 编码的 UTF-8）");
			c = hi * 16 + lo;
			p += 2;
		}
		if (o + 1 >= n)
			return err_set(e, 400, "weak_passphrase", PASS_HEADER, "导出口令过长（最多 %d 字节）",
				       CRYPT_PASS_MAX_BYTES);
		out[o++] = (char)c;
	}
	out[o] = '\0';
	if (crypt_passphrase_check(out, o, PASS_HEADER, e) < 0) {
		if (!strcmp(e->code, "weak_passphrase") && strstr(e->message, "至少"))
			err_set(e, 400, "weak_passphrase", PASS_HEADER,
				"导出口令至少需要 %d 个字符", CRYPT_PASS_MIN_CHARS);
		return -1;
	}
	return 0;
}

int export_requested(const struct api_req *rq, struct err *e)
{
	char fmt[16], enc[16];
	int have = api_query_str(rq, "format", fmt, sizeof fmt, e);
	if (have < 0)
		return -1;
	if (!have || strcmp(fmt, "json") == 0)
		return 0;
	if (strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "csv") != 0)
		return err_set(e, 400, "invalid_value", "format", "格式应为 json、xlsx 或 csv");
	have = api_query_str(rq, "encoding", enc, sizeof enc, e);
	if (have < 0)
		return -1;
	if (have && strcmp(enc, "utf-8") != 0 && strcmp(enc, "utf8") != 0 &&
	    strcmp(enc, "gb18030") != 0)
		return err_set(e, 400, "invalid_value", "encoding", "编码应为 utf-8 或 gb18030");
	return 1;
}

/* The query without format, encoding, limit and offset ("a=1&b=2"), into sb. */
static int query_filter(const char *q, struct strbuf *sb)
{
	static const char *const drop[] = {"format", "encoding", "limit", "offset"};
	int rc = 0;
	while (q && *q) {
		const char *end = strchr(q, '&');
		size_t n = end ? (size_t)(end - q) : strlen(q);
		const char *eq = memchr(q, '=', n);
		size_t kn = eq ? (size_t)(eq - q) : n;
		int skip = n == 0;
		for (size_t i = 0; i < sizeof drop / sizeof drop[0] && !skip; i++)
			skip = strlen(drop[i]) == kn && memcmp(drop[i], q, kn) == 0;
		if (!skip) {
			rc |= sb->len ? strbuf_addch(sb, '&') : 0;
			rc |= strbuf_add(sb, q, n);
		}
		q = end ? end + 1 : NULL;
	}
	return rc ? -1 : 0;
}

struct json_rows {
	json_t *items;
	const struct export_col *cols;
	int ncols;
	char num[64][32];   /* per column: numbers shown in text columns */
	char label[64][512]; /* per column: the label of a code, a joined list */
};

/* The label of code s in "a=甲;b=乙", copied into out; s itself when not listed. */
static const char *label_of(const char *labels, const char *s, char *out, size_t n)
{
	size_t sl = strlen(s);
	for (const char *p = labels; p && *p;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		if (eq && (size_t)(eq - p) == sl && memcmp(p, s, sl) == 0) {
			size_t ln = len - sl - 1;
			if (ln >= n)
				break;
			memcpy(out, eq + 1, ln);
			out[ln] = '\0';
			return out;
		}
		p = semi ? semi + 1 : NULL;
	}
	return s;
}

static json_t *member(json_t *o, const char *key)
{
	char part[64];
	while (o && json_is_object(o)) {
		const char *dot = strchr(key, '.');
		if (!dot)
			return json_object_get(o, key);
		size_t n = (size_t)(dot - key);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, key, n);
		part[n] = '\0';
		o = json_object_get(o, part);
		key = dot + 1;
	}
	return NULL;
}

static int json_row(void *ctx, int64_t row, struct export_cell *cells, struct err *e)
{
	(void)e;
	struct json_rows *jr = ctx;
	if ((size_t)row >= json_array_size(jr->items))
		return 0;
	json_t *it = json_array_get(jr->items, (size_t)row);
	for (int c = 0; c < jr->ncols && c < 64; c++) {
		json_t *v = member(it, jr->cols[c].key);
		struct export_cell *x = &cells[c];
		if (json_is_string(v)) {
			x->s = json_string_value(v);
			if (jr->cols[c].labels)
				x->s = label_of(jr->cols[c].labels, x->s, jr->label[c],
						sizeof jr->label[c]);
			if (jr->cols[c].kind == EXPORT_INT || jr->cols[c].kind == EXPORT_MONEY)
				x->i = strtoll(x->s, NULL, 10);
		} else if (json_is_integer(v)) {
			x->i = json_integer_value(v);
			snprintf(jr->num[c], sizeof jr->num[c], "%lld", (long long)x->i);
			x->s = jr->num[c];
		} else if (json_is_real(v)) {
			x->i = (int64_t)json_real_value(v);
			snprintf(jr->num[c], sizeof jr->num[c], "%g", json_real_value(v));
			x->s = jr->num[c];
		} else if (json_is_array(v)) {
			/* A list of codes (categories, tags): their labels joined with 、 */
			char *out = jr->label[c], one[96];
			size_t used = 0, n = sizeof jr->label[c];
			out[0] = '\0';
			for (size_t k = 0; k < json_array_size(v); k++) {
				json_t *el = json_array_get(v, k);
				if (!json_is_string(el))
					continue;
				const char *t = label_of(jr->cols[c].labels, json_string_value(el), one,
							 sizeof one);
				int w = snprintf(out + used, n - used, "%s%s", used ? "、" : "", t);
				if (w < 0 || (size_t)w >= n - used) {
					out[used] = '\0';
					break;
				}
				used += (size_t)w;
			}
			x->s = out;
		} else if (json_is_boolean(v)) {
			x->i = json_is_true(v);
			x->s = x->i ? "是" : "否";
		} else {
			x->null = 1;
		}
	}
	return 1;
}

/* Call the handler once with query q; on success *body is its JSON (caller decrefs). */
static int call_page(struct api_req *rq, export_handler_fn handler, const char *q,
		     json_t **body, struct err *e)
{
	struct api_req sub = *rq;
	sub.query = q;
	struct api_res srs;
	memset(&srs, 0, sizeof srs);
	srs.status = 200;
	*body = NULL;
	if (handler(&sub, &srs, e) < 0) {
		json_decref(srs.body);
		free(srs.file);
		return -1;
	}
	free(srs.file);
	if (!srs.body || srs.status != 200) {
		json_decref(srs.body);
		return err_set(e, 500, "internal", NULL, "列表未返回数据，无法导出");
	}
	*body = srs.body;
	return 0;
}

int export_list(struct api_req *rq, struct api_res *rs, export_handler_fn handler,
		const struct export_list_spec *spec, struct err *e)
{
	char fmt_s[16] = "xlsx", enc_s[16] = "utf-8";
	if (api_query_str(rq, "format", fmt_s, sizeof fmt_s, e) < 0 ||
	    api_query_str(rq, "encoding", enc_s, sizeof enc_s, e) < 0)
		return -1;
	enum export_format fmt = strcmp(fmt_s, "csv") == 0 ? EXPORT_CSV : EXPORT_XLSX;
	enum export_encoding enc = strcmp(enc_s, "gb18030") == 0 ? EXPORT_GB18030 : EXPORT_UTF8;
	const char *key = spec->items_key ? spec->items_key : "items";

	/* An encrypted export: the passphrase is checked before any row is read. */
	char pass[CRYPT_PASS_MAX_BYTES + 1];
	int encrypt = rq->export_passphrase != NULL;
	if (encrypt && decode_passphrase(rq->export_passphrase, pass, sizeof pass, e) < 0) {
		sodium_memzero(pass, sizeof pass);
		return -1;
	}

	struct strbuf filter = STRBUF_INIT, q = STRBUF_INIT;
	json_t *all = json_array();
	int rc = -1;
	if (!all || query_filter(rq->query, &filter) < 0) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	for (long offset = 0;;) {
		strbuf_reset(&q);
		if (strbuf_addstr(&q, strbuf_str(&filter)) < 0 ||
		    (spec->page_max > 0 &&
		     strbuf_addf(&q, "%slimit=%d&offset=%ld", filter.len ? "&" : "", spec->page_max,
				 offset) < 0)) {
			err_set(e, 500, "internal", NULL, "内存不足");
			goto out;
		}
		json_t *body;
		if (call_page(rq, handler, strbuf_str(&q), &body, e) < 0)
			goto out;
		json_t *items = json_object_get(body, key);
		json_t *tv = json_object_get(body, "total");
		/* read before body is released: tv is borrowed from it */
		const json_int_t total = json_is_integer(tv) ? json_integer_value(tv) : -1;
		size_t got = json_array_size(items);
		if (total > EXPORT_MAX_ROWS) {
			json_decref(body);
			err_set(e, 400, "export_too_large", NULL,
				"共 %lld 行，超过导出上限 %d 行，请缩小筛选范围",
				(long long)total, EXPORT_MAX_ROWS);
			goto out;
		}
		if (json_is_array(items))
			json_array_extend(all, items);
		json_decref(body);
		if (json_array_size(all) > EXPORT_MAX_ROWS) {
			err_set(e, 400, "export_too_large", NULL,
				"超过导出上限 %d 行，请缩小筛选范围", EXPORT_MAX_ROWS);
			goto out;
		}
		if (spec->page_max <= 0 || got < (size_t)spec->page_max ||
		    (total >= 0 && (json_int_t)json_array_size(all) >= total))
			break;
		offset += (long)got;
	}

	struct json_rows *jr = calloc(1, sizeof *jr);
	if (!jr) {
		err_set(e, 500, "internal", NULL, "内存不足");
		goto out;
	}
	jr->items = all;
	jr->cols = spec->cols;
	jr->ncols = spec->ncols;
	char *data = NULL;
	size_t len = 0;
	int64_t rows = 0;
	int w = export_write(fmt, enc, spec->title, spec->cols, spec->ncols, json_row, jr, &data,
			     &len, &rows, e);
	free(jr);
	/* The rows are in the file now: free them before the ZIP copy is made (memory peak). */
	json_decref(all);
	all = NULL;
	if (w < 0)
		goto out;
	if (encrypt) {
		char name[160], *zip = NULL;
		size_t zip_len = 0;
		int xlsx = fmt == EXPORT_XLSX;
		snprintf(name, sizeof name, "%s.%s", spec->title, xlsx ? "xlsx" : "csv");
		int z = export_zip_encrypt(name, data, len, xlsx, pass, &zip, &zip_len, e);
		sodium_memzero(data, len); /* the plaintext file does not outlive the request */
		free(data);
		if (z < 0)
			goto out;
		data = zip;
		len = zip_len;
	}

	char action[64], *detail = NULL;
	snprintf(action, sizeof action, "export.%s", spec->list);
	json_t *d = json_pack("{s:s, s:s, s:I, s:s, s:b}", "format", fmt_s, "encoding",
			      fmt == EXPORT_CSV ? (enc == EXPORT_GB18030 ? "gb18030" : "utf-8") : "",
			      "rows", (json_int_t)rows, "filter", strbuf_str(&filter), "encrypted",
			      encrypt);
	detail = d ? json_dumps(d, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	json_decref(d);
	if (!detail || audit_record(rq->db, rq->actor, action, spec->list, "ok", detail, e) < 0) {
		if (!detail)
			err_set(e, 500, "internal", NULL, "内存不足");
		free(detail);
		free(data);
		goto out;
	}
	free(detail);
	rs->status = 200;
	rs->body = NULL;
	rs->file = data;
	rs->file_len = len;
	rs->file_type = encrypt ? "application/zip"
			: fmt == EXPORT_XLSX
			    ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			: enc == EXPORT_GB18030 ? "text/csv; charset=GB18030"
						: "text/csv; charset=utf-8";
	snprintf(rs->file_name, sizeof rs->file_name, "%s.%s%s", spec->title,
		 fmt == EXPORT_XLSX ? "xlsx" : "csv", encrypt ? ".zip" : "");
	rc = 0;
out:
	sodium_memzero(pass, sizeof pass);
	json_decref(all);
	strbuf_release(&filter);
	strbuf_release(&q);
	return rc;
}
