/* audit_chain.c — the row-by-row rules of the audit chain (see audit_chain.h). */
#include "audit/audit_chain.h"
#include "db/db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void audit_chain_init(struct audit_chain *c, const char *prev, int64_t next_id, int64_t v2_from)
{
	snprintf(c->prev, sizeof c->prev, "%s", prev);
	c->next_id = next_id;
	c->v2_from = v2_from;
	c->last_alg = AUDIT_ALG_NONE;
	c->rows = 0;
}

int audit_chain_broken(int64_t *bad_id, int64_t id, char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	*bad_id = id;
	return 1;
}

int audit_chain_step(struct audit_chain *c, const struct audit_row *r, int64_t *bad_id, char *why,
		     size_t why_len, struct err *e)
{
	long long id = (long long)r->id;
	if (c->next_id && r->id != c->next_id) {
		if (r->id > c->next_id)
			return audit_chain_broken(bad_id, c->next_id, why, why_len,
				      "第 %lld 条之前缺少记录（应为第 %lld 条）：有记录被删除", id,
				      (long long)c->next_id);
		return audit_chain_broken(bad_id, r->id, why, why_len,
			      "第 %lld 条的编号不连续（应为第 %lld 条）", id,
			      (long long)c->next_id);
	}
	if (strcmp(r->prev_hash, c->prev) != 0)
		return audit_chain_broken(bad_id, r->id, why, why_len,
			      "第 %lld 条的前序哈希与上一条不符：上一条被改动或删除", id);
	enum audit_alg alg = audit_alg_parse(r->alg);
	int format = r->id >= c->v2_from ? 2 : 1;
	if (alg == AUDIT_ALG_NONE)
		return audit_chain_broken(bad_id, r->id, why, why_len,
			      "第 %lld 条的哈希算法“%s”未知：该记录被改动", id, r->alg);
	if (format == 1 && alg != AUDIT_ALG_SHA256)
		return audit_chain_broken(bad_id, r->id, why, why_len,
			      "第 %lld 条早于算法升级，只能是 sha256，却标为 %s：该记录被改动", id,
			      r->alg);
	if (c->last_alg == AUDIT_ALG_SM3 && alg == AUDIT_ALG_SHA256)
		return audit_chain_broken(bad_id, r->id, why, why_len,
			      "第 %lld 条由 SM3 降级为 SHA-256：审计链不允许降级，该记录被改动",
			      id);
	char hash[AUDIT_HASH_HEX];
	if (audit_row_hash(format, alg, c->prev, r->fields, hash, e) < 0)
		return -1;
	if (strcmp(hash, r->hash) != 0)
		return audit_chain_broken(bad_id, r->id, why, why_len,
			      "第 %lld 条的内容与其哈希不符：该记录被改动", id);
	memcpy(c->prev, hash, sizeof c->prev);
	c->next_id = r->id + 1;
	c->last_alg = alg;
	c->rows++;
	return 0;
}

void audit_row_from_stmt(struct db_stmt *st, struct audit_row *r)
{
	r->id = db_col_int(st, 0);
	for (int i = 0; i < 7; i++)
		r->fields[i] = db_col_text(st, i + 1);
	r->alg = db_col_text(st, 8);
	r->prev_hash = db_col_text(st, 9);
	r->hash = db_col_text(st, 10);
}
