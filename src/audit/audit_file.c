/* audit_file.c — reading and checking an audit archive file (format in audit_archive.h).
 *
 * The file is read line by line; the header gives the anchor (prev_hash, from_id) and the
 * format-2 boundary, and every row goes through the same audit_chain_step as the database's, so
 * an edited, removed or reordered row is named by its id. The header's totals are checked last.
 */
#include "audit/audit_archive.h"
#include "audit/audit_chain.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const row_keys[7] = {"at",	   "user_name", "action", "object",
					"outcome", "client",	"detail"};

static const char *str_of(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int hash_ok(const char *h)
{
	if (!h || strlen(h) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

/* The header line into info; 0, or 1 with why. */
static int read_header(const char *line, struct audit_archive_info *info, int64_t *bad_id,
		       char *why, size_t why_len)
{
	json_t *h = json_loads(line, 0, NULL);
	const char *format = h ? str_of(h, "format") : NULL;
	int rc = 0;
	if (!h || !json_is_object(h) || !format || strcmp(format, AUDIT_ARCHIVE_FORMAT) != 0) {
		rc =
		    audit_chain_broken(bad_id, 0, why, why_len,
			"文件头不是审计归档文件头（应含 \"format\":\"%s\"）", AUDIT_ARCHIVE_FORMAT);
	} else if (json_integer_value(json_object_get(h, "version")) != 1) {
		rc = audit_chain_broken(bad_id, 0, why, why_len, "不支持的归档文件版本（本程序读取第 1 版）");
	} else {
		info->from_id = json_integer_value(json_object_get(h, "from_id"));
		info->to_id = json_integer_value(json_object_get(h, "to_id"));
		info->rows = json_integer_value(json_object_get(h, "rows"));
		info->format2_from = json_integer_value(json_object_get(h, "format2_from_id"));
		const char *prev = str_of(h, "prev_hash"), *last = str_of(h, "last_hash");
		const char *cutoff = str_of(h, "cutoff");
		if (info->from_id < 1 || info->to_id < info->from_id || info->format2_from < 1 ||
		    !hash_ok(prev) || !hash_ok(last) || !cutoff)
			rc = audit_chain_broken(bad_id, 0, why, why_len,
				 "文件头缺少或含有无效的 from_id、to_id、format2_from_id、"
				 "prev_hash、last_hash 或 cutoff");
		else {
			snprintf(info->prev_hash, sizeof info->prev_hash, "%s", prev);
			snprintf(info->last_hash, sizeof info->last_hash, "%s", last);
			snprintf(info->cutoff, sizeof info->cutoff, "%s", cutoff);
		}
	}
	json_decref(h);
	return rc;
}

/* One row line through the chain; 0, 1 (why) or -1 (e). */
static int read_row(const char *line, struct audit_chain *c, int64_t *bad_id, char *why,
		    size_t why_len, struct err *e)
{
	json_t *o = json_loads(line, 0, NULL);
	int64_t expect = c->next_id;
	if (!o || !json_is_object(o) || !json_is_integer(json_object_get(o, "id"))) {
		json_decref(o);
		return audit_chain_broken(bad_id, expect, why, why_len,
			   "第 %lld 条所在的行不是有效的审计记录（JSON 无法解析或缺少 id）",
			   (long long)expect);
	}
	struct audit_row r = {.id = json_integer_value(json_object_get(o, "id")),
			      .alg = str_of(o, "alg"),
			      .prev_hash = str_of(o, "prev_hash"),
			      .hash = str_of(o, "hash")};
	int missing = !r.alg || !r.prev_hash || !r.hash;
	for (int i = 0; i < 7; i++)
		missing |= !(r.fields[i] = str_of(o, row_keys[i]));
	int rc = missing ? audit_chain_broken(bad_id, r.id, why, why_len,
			       "第 %lld 条缺少字段或字段不是字符串：该记录被改动", (long long)r.id)
			 : audit_chain_step(c, &r, bad_id, why, why_len, e);
	json_decref(o);
	return rc;
}

int audit_archive_check(const char *path, struct audit_archive_info *info, int64_t *bad_id,
			char *why, size_t why_len, struct err *e)
{
	memset(info, 0, sizeof *info);
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, 400, "audit_archive_unreadable", "archive",
			       "无法读取归档文件 %s：%s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	struct audit_chain c;
	if ((n = getline(&line, &cap, f)) <= 0)
		rc = audit_chain_broken(bad_id, 0, why, why_len, "归档文件为空");
	else
		rc = read_header(line, info, bad_id, why, why_len);
	if (rc == 0)
		audit_chain_init(&c, info->prev_hash, info->from_id, info->format2_from);
	while (rc == 0 && (n = getline(&line, &cap, f)) > 0) {
		if (c.rows >= info->rows) {
			rc = audit_chain_broken(bad_id, c.next_id, why, why_len,
				 "文件头记载 %lld 条，文件中却有更多记录", (long long)info->rows);
			break;
		}
		rc = read_row(line, &c, bad_id, why, why_len, e);
		if (rc == 0 && c.rows == 1)
			info->first_alg = c.last_alg;
	}
	free(line);
	if (rc == 0 && ferror(f))
		rc = err_set(e, 400, "audit_archive_unreadable", "archive", "读取归档文件 %s 出错",
			     path);
	fclose(f);
	if (rc != 0)
		return rc;
	if (c.rows != info->rows || c.next_id != info->to_id + 1)
		return audit_chain_broken(bad_id, c.next_id, why, why_len,
			   "文件头记载第 %lld–%lld 条共 %lld 条，文件中只有 %lld 条：有记录被删除",
			   (long long)info->from_id, (long long)info->to_id, (long long)info->rows,
			   (long long)c.rows);
	if (strcmp(c.prev, info->last_hash) != 0)
		return audit_chain_broken(bad_id, info->to_id, why, why_len,
			   "最后一条的哈希与文件头记载的 last_hash 不符");
	info->last_alg = c.last_alg;
	return audit_archive_digest(path, c.last_alg, info->digest, e) < 0 ? -1 : 0;
}

int audit_archive_digest(const char *path, enum audit_alg alg, char out[AUDIT_DIGEST_MAX],
			 struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, 400, "audit_archive_unreadable", "archive",
			       "无法读取归档文件 %s：%s", path, strerror(errno));
	struct audit_digest *d = audit_digest_new(alg, e);
	if (!d) {
		fclose(f);
		return -1;
	}
	char buf[65536], hex[AUDIT_HASH_HEX];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		audit_digest_add(d, buf, n);
	int failed = ferror(f);
	fclose(f);
	audit_digest_end(d, hex);
	if (failed)
		return err_set(e, 400, "audit_archive_unreadable", "archive",
			       "读取归档文件 %s 出错", path);
	snprintf(out, AUDIT_DIGEST_MAX, "%s:%s", audit_alg_name(alg), hex);
	return 0;
}
