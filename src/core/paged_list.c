/* paged_list.c — a page of a scoped list (see paged_list.h). */
#include "core/paged_list.h"

#include "core/phone.h"
#include "core/strbuf.h"

int paged_list_run(struct db *db, const struct scope *scope, const struct paged_list *l,
		   json_t **out, struct err *e)
{
	struct strbuf head = STRBUF_INIT, tail = STRBUF_INIT;
	int rc = -1;
	int64_t total = 0;
	json_t *items = json_array();
	*out = NULL;
	if (!items || strbuf_addf(&head, "SELECT count(*) FROM %s WHERE ", l->from) < 0 ||
	    strbuf_addf(&tail, " %s", l->filters) < 0) {
		err_oom(e);
		goto done;
	}
	struct db_stmt *st =
	    scope_prepare(db, scope, strbuf_str(&head), l->scope_col, strbuf_str(&tail), e);
	if (!st)
		goto done;
	l->bind(st, scope_bind(st, scope, 1), l->query);
	if (db_step(st, e) < 0) {
		db_done(st);
		goto done;
	}
	total = db_col_int(st, 0);
	db_done(st);
	strbuf_reset(&head);
	strbuf_reset(&tail);
	if (strbuf_addf(&head, "SELECT %s FROM %s WHERE ", l->cols, l->from) < 0 ||
	    strbuf_addf(&tail, " %s ORDER BY %s LIMIT ? OFFSET ?", l->filters, l->order) < 0) {
		err_oom(e);
		goto done;
	}
	st = scope_prepare(db, scope, strbuf_str(&head), l->scope_col, strbuf_str(&tail), e);
	if (!st)
		goto done;
	int i = l->bind(st, scope_bind(st, scope, 1), l->query);
	db_bind_int(st, i++, l->limit);
	db_bind_int(st, i, l->offset);
	int s;
	while ((s = db_step(st, e)) == 1)
		json_array_append_new(items, l->row(st, l->unmask));
	db_done(st);
	if (s < 0)
		goto done;
	*out = json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)total,
			 "limit", l->limit, "offset", (json_int_t)l->offset);
	items = NULL;
	rc = *out ? 0 : err_oom(e);
done:
	json_decref(items);
	strbuf_release(&head);
	strbuf_release(&tail);
	return rc;
}

json_t *paged_list_phone(const char *phone, int unmask)
{
	char m[24];
	if (!phone || !phone[0])
		return json_null();
	if (unmask)
		return json_string(phone);
	phone_mask(phone, m);
	return json_string(m);
}
