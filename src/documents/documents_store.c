/* documents_store.c — the documents module's records: issuing with distribution, the
 * acknowledgement of receipt, who may see a document (visible_sql), the unacknowledged list,
 * the attached file and the count of documents issued. */
#include "documents/documents.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "calendar/calendar.h"
#include "core/clock.h"
#include "core/scope.h"
#include "core/strbuf.h"
#include "core/text.h"
#include "institutions/institutions.h"
#include "regions/regions.h"

static int not_found(struct err *e)
{
	return err_set(e, 404, "not_found", NULL, "文件不存在");
}

/* The caller as a recipient: their region code, and the institution they report for (0). */
struct me {
	char code[REGION_CODE_MAX];
	int64_t inst;
};

static int me_of(struct db *db, const struct actor *a, struct me *m, struct err *e)
{
	text_copy(m->code, sizeof m->code, a->region_code);
	m->inst = 0;
	if (!a->user_id)
		return 0;
	return institutions_attached(db, a, &m->inst, e) < 0 ? -1 : 0;
}

#define MINE_SQL                                                                                   \
	"(r.document_id = d.id AND ((r.institution_id = 0 AND r.recipient_code = ?) OR "          \
	"(r.institution_id > 0 AND r.institution_id = ?)))"

/* The condition "the caller may see document d" (see documents.h). */
static int visible_sql(struct strbuf *sb, const struct actor *a)
{
	if (strbuf_addstr(sb, "((? AND ") < 0 || scope_sql(sb, &a->scope, "d.issuer_code") < 0 ||
	    strbuf_addstr(sb, ") OR (? AND EXISTS (SELECT 1 FROM documents_recipients r WHERE "
			      "r.document_id = d.id AND ") < 0 ||
	    scope_sql(sb, &a->scope, "r.recipient_code") < 0 ||
	    strbuf_addstr(sb, ")) OR EXISTS (SELECT 1 FROM documents_recipients r WHERE " MINE_SQL
			      "))") < 0)
		return -1;
	return 0;
}

static int visible_bind(struct db_stmt *st, const struct actor *a, const struct me *m, int i)
{
	int can = actor_can(a, PERM_DOCUMENTS);
	db_bind_int(st, i++, can);
	i = scope_bind(st, &a->scope, i);
	db_bind_int(st, i++, can);
	i = scope_bind(st, &a->scope, i);
	db_bind_text(st, i++, m->code);
	db_bind_int(st, i++, m->inst);
	return i;
}

/* ---- issuing ------------------------------------------------------------------------------ */

static int add_recipient(struct db *db, int64_t doc, const char *code, int64_t inst,
			 const char *name, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "INSERT OR IGNORE INTO documents_recipients(document_id, "
					    "recipient_code, institution_id, name) VALUES (?,?,?,?)",
					e);
	if (!st)
		return -1;
	db_bind_int(st, 1, doc);
	db_bind_text(st, 2, code);
	db_bind_int(st, 3, inst);
	db_bind_text(st, 4, name);
	return db_run(st, e);
}

static int region_recipient(struct db *db, const struct actor *a, int64_t doc, const char *code,
			    const char *field, struct err *e)
{
	struct region rg;
	if (regions_get(db, code, &rg, e) < 0) {
		if (e->status == 404)
			return err_set(e, 400, "invalid_region", field, "区划代码不存在：%.15s", code);
		return -1;
	}
	if (!scope_contains(&a->scope, code))
		return err_set(e, 403, "out_of_scope", field, "%.15s 不在您的管辖范围内", code);
	return add_recipient(db, doc, code, 0, rg.name, e);
}

static int issue_txn(struct db *db, const struct actor *a, const struct documents_in *in,
		     const char *issuer, int64_t *out_id, struct err *e)
{
	char now[32], field[48];
	clock_now_iso(now);
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM documents WHERE number = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->number);
	int64_t dup = db_step(st, e) == 1 ? db_col_int(st, 0) : -1;
	db_done(st);
	if (dup < 0)
		return -1;
	if (dup)
		return err_set(e, 409, "duplicate_number", "number", "文号已存在：%.100s", in->number);
	st = db_prepare(db, "INSERT INTO documents(number, title, issuing_body, issuer_code, "
			    "issued_on, scope_text, file_name, file_type, file_size, created_by, "
			    "created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, in->number);
	db_bind_text(st, 2, in->title);
	db_bind_text(st, 3, in->issuing_body);
	db_bind_text(st, 4, issuer);
	db_bind_text(st, 5, in->issued_on);
	db_bind_text(st, 6, in->scope_text);
	db_bind_text(st, 7, in->file ? in->file_name : "");
	db_bind_text(st, 8, in->file ? in->file_type : "");
	db_bind_int(st, 9, in->file ? (int64_t)in->file_len : 0);
	db_bind_text(st, 10, a->username);
	db_bind_text(st, 11, now);
	if (db_run(st, e) < 0)
		return -1;
	int64_t id = *out_id = db_last_id(db);
	if (in->file) {
		st = db_prepare(db, "INSERT INTO documents_files(document_id, content) VALUES (?,?)",
				e);
		if (!st)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_blob(st, 2, in->file, (int)in->file_len);
		if (db_run(st, e) < 0)
			return -1;
	}
	if (in->all_units) {
		struct regions_unit *u = NULL;
		int n = 0, rc = 0;
		if (regions_units(db, "3707", &u, &n, e) < 0)
			return -1;
		for (int i = 0; rc == 0 && i < n; i++)
			if (scope_overlaps(&a->scope, u[i].code))
				rc = add_recipient(db, id, u[i].code, 0, u[i].name, e);
		regions_units_free(u, n);
		if (rc < 0)
			return -1;
	}
	for (int i = 0; i < in->n_recipients; i++) {
		const struct documents_recipient_in *r = &in->recipients[i];
		if (r->institution_id > 0) {
			struct institution *x = calloc(1, sizeof *x);
			if (!x)
				return err_oom(e);
			int rc = institutions_get(db, a, r->institution_id, 0, x, e);
			if (rc == 0)
				rc = add_recipient(db, id, x->region_code, x->id, x->name, e);
			else if (e->status == 404 || e->status == 403) {
				snprintf(field, sizeof field, "recipients[%d].institution_id", i);
				err_set(e, 400, "invalid_value", field, "机构不存在或不在您的管辖范围内");
			}
			free(x);
			if (rc < 0)
				return -1;
		} else {
			snprintf(field, sizeof field, "recipients[%d].code", i);
			if (!r->code[0])
				return err_set(e, 400, "required", field, "请填写接收单位的区划代码");
			if (region_recipient(db, a, id, r->code, field, e) < 0)
				return -1;
		}
	}
	int64_t n = db_query_int(db, "SELECT count(*) FROM documents_recipients WHERE document_id = "
				     "(SELECT max(id) FROM documents WHERE number = ?)", in->number);
	if (n <= 0)
		return err_set(e, 400, "required", "recipients", "请选择接收单位");
	char detail[200];
	snprintf(detail, sizeof detail,
		 "{\"issuer_code\":\"%s\",\"issued_on\":\"%s\",\"recipients\":%" PRId64
		 ",\"file_size\":%zu}",
		 issuer, in->issued_on, n, in->file ? in->file_len : 0);
	return audit_append_id(db, a, "documents.issue", "document", id, detail, e);
}

int documents_issue(struct db *db, const struct actor *a, const struct documents_in *in,
		    int64_t *out_id, struct err *e)
{
	if (!actor_can(a, PERM_DOCUMENTS))
		return err_set(e, 403, "forbidden", NULL, "您没有下发文件的权限");
	if (text_check(in->number, 40, 1, 0, "number", "文号", e) < 0 ||
	    text_check(in->title, 120, 1, 0, "title", "标题", e) < 0 ||
	    text_check(in->issuing_body, 60, 1, 0, "issuing_body", "发文机关", e) < 0 ||
	    text_check(in->scope_text, 200, 0, 1, "scope_text", "适用范围", e) < 0)
		return -1;
	if (!in->issued_on[0])
		return err_set(e, 400, "required", "issued_on", "请填写成文日期");
	if (!calendar_date_valid(in->issued_on))
		return err_set(e, 400, "invalid_value", "issued_on", "成文日期应为 YYYY-MM-DD");
	char today[11];
	clock_today(today);
	if (strcmp(in->issued_on, today) > 0)
		return err_set(e, 400, "invalid_value", "issued_on", "成文日期不能晚于今天");
	if (in->file) {
		if (in->file_len > DOCUMENTS_FILE_MAX)
			return err_set(e, 413, "file_too_large", "file",
				       "附件不能超过 700 KB（本附件 %zu KB）", in->file_len / 1024);
		if (in->file_len == 0)
			return err_set(e, 400, "invalid_value", "file", "附件为空");
		if (text_check(in->file_name, 100, 1, 0, "file.name", "附件文件名", e) < 0)
			return -1;
		if (strchr(in->file_name, '/') || strchr(in->file_name, '\\'))
			return err_set(e, 400, "invalid_value", "file.name", "附件文件名不能含有 / 或 \\");
		if (!in->file_type[0])
			return err_set(e, 400, "required", "file.type", "请填写附件类型");
		if (strcmp(documents_file_type(in->file_type), in->file_type) != 0)
			return err_set(e, 400, "invalid_value", "file.type",
				       "附件类型应为 PDF、Word、OFD、JPEG、PNG、纯文本或 "
				       "application/octet-stream");
	}
	if (in->n_recipients < 0 || in->n_recipients > DOCUMENTS_MAX_RECIPIENTS)
		return err_set(e, 400, "invalid_value", "recipients", "接收单位最多 200 个");
	if (!in->all_units && in->n_recipients == 0)
		return err_set(e, 400, "required", "recipients", "请选择接收单位");
	const char *issuer = in->issuer_code[0] ? in->issuer_code : a->region_code;
	if (!issuer[0])
		issuer = "3707";
	if (!regions_exists(db, issuer))
		return err_set(e, 400, "invalid_region", "issuer_code", "区划代码不存在：%.15s",
			       issuer);
	if (!scope_contains(&a->scope, issuer))
		return err_set(e, 403, "out_of_scope", "issuer_code", "%.15s 不在您的管辖范围内",
			       issuer);
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, issue_txn(db, a, in, issuer, out_id, e), e);
}

const char *documents_file_type(const char *type)
{
	static const char *const types[] = {
	    "application/pdf",
	    "application/msword",
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	    "application/vnd.ms-works",
	    "application/ofd",
	    "image/jpeg",
	    "image/png",
	    "text/plain",
	};
	for (size_t i = 0; type && i < sizeof types / sizeof types[0]; i++)
		if (strcmp(type, types[i]) == 0)
			return types[i];
	return "application/octet-stream";
}

/* ---- reading ------------------------------------------------------------------------------ */

#define DOC_COLS                                                                                   \
	"d.id, d.number, d.title, d.issuing_body, d.issuer_code, coalesce(g.name, ''), "          \
	"d.issued_on, d.scope_text, d.file_name, d.file_size, "                                   \
	"(SELECT count(*) FROM documents_recipients x WHERE x.document_id = d.id), "              \
	"(SELECT count(*) FROM documents_recipients x WHERE x.document_id = d.id AND "            \
	"x.acknowledged_at <> ''), "                                                               \
	"(SELECT count(*) FROM documents_recipients r WHERE " MINE_SQL "), "                      \
	"(SELECT max(r.acknowledged_at) FROM documents_recipients r WHERE " MINE_SQL ")"
#define DOC_FROM " FROM documents d LEFT JOIN regions g ON g.code = d.issuer_code WHERE "

static int cols_bind(struct db_stmt *st, const struct me *m)
{
	db_bind_text(st, 1, m->code);
	db_bind_int(st, 2, m->inst);
	db_bind_text(st, 3, m->code);
	db_bind_int(st, 4, m->inst);
	return 5;
}

static json_t *doc_row(struct db_stmt *st)
{
	int64_t n = db_col_int(st, 10), ack = db_col_int(st, 11);
	json_t *mine = db_col_int(st, 12)
			   ? json_pack("{s:o}", "acknowledged_at", api_json_opt_str(db_col_text(st, 13)))
			   : json_null();
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I, s:I, s:I, s:I, s:o}",
			 "id", (json_int_t)db_col_int(st, 0), "number", db_col_text(st, 1), "title",
			 db_col_text(st, 2), "issuing_body", db_col_text(st, 3), "issuer_code",
			 db_col_text(st, 4), "issuer_name", db_col_text(st, 5), "issued_on",
			 db_col_text(st, 6), "scope_text", db_col_text(st, 7), "file_name",
			 api_json_opt_str(db_col_text(st, 8)), "file_size",
			 (json_int_t)db_col_int(st, 9), "recipients", (json_int_t)n, "acknowledged",
			 (json_int_t)ack, "pending", (json_int_t)(n - ack), "mine", mine);
}

int documents_list(struct db *db, const struct actor *a, const struct documents_query *q,
		   json_t **out, struct err *e)
{
	struct me m;
	struct strbuf where = STRBUF_INIT, sql = STRBUF_INIT;
	json_t *items = json_array();
	int rc = -1;
	int64_t total = 0;
	*out = NULL;
	if (!items)
		return err_oom(e);
	if ((q->from[0] && !calendar_date_valid(q->from)) || (q->to[0] && !calendar_date_valid(q->to))) {
		json_decref(items);
		return err_set(e, 400, "invalid_value", q->from[0] && !calendar_date_valid(q->from) ? "from" : "to",
			       "日期应为 YYYY-MM-DD");
	}
	if (me_of(db, a, &m, e) < 0) {
		json_decref(items);
		return -1;
	}
	if (visible_sql(&where, a) < 0 ||
	    strbuf_addstr(&where, " AND (? = '' OR instr(d.number, ?) > 0 OR instr(d.title, ?) > 0)"
				  " AND (? = '' OR d.issued_on >= ?) AND (? = '' OR d.issued_on <= ?)"
				  " AND (? = 0 OR EXISTS (SELECT 1 FROM documents_recipients r WHERE "
				  MINE_SQL " AND r.acknowledged_at = ''))") < 0 ||
	    strbuf_addstr(&sql, "SELECT count(*)") < 0 || strbuf_addstr(&sql, DOC_FROM) < 0 ||
	    strbuf_addstr(&sql, strbuf_str(&where)) < 0) {
		err_oom(e);
		goto done;
	}
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			strbuf_reset(&sql);
			if (strbuf_addstr(&sql, "SELECT " DOC_COLS DOC_FROM) < 0 ||
			    strbuf_addstr(&sql, strbuf_str(&where)) < 0 ||
			    strbuf_addstr(&sql, " ORDER BY d.issued_on DESC, d.id DESC LIMIT ? OFFSET ?") <
				0) {
				err_oom(e);
				goto done;
			}
		}
		struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
		if (!st)
			goto done;
		int i = pass ? cols_bind(st, &m) : 1;
		i = visible_bind(st, a, &m, i);
		for (int k = 0; k < 3; k++)
			db_bind_text(st, i++, q->q);
		db_bind_text(st, i++, q->from);
		db_bind_text(st, i++, q->from);
		db_bind_text(st, i++, q->to);
		db_bind_text(st, i++, q->to);
		db_bind_int(st, i++, q->unacknowledged);
		db_bind_text(st, i++, m.code);
		db_bind_int(st, i++, m.inst);
		if (pass) {
			db_bind_int(st, i++, q->limit);
			db_bind_int(st, i++, q->offset);
		}
		int s;
		while ((s = db_step(st, e)) == 1) {
			if (pass)
				json_array_append_new(items, doc_row(st));
			else
				total = db_col_int(st, 0);
		}
		db_done(st);
		if (s < 0)
			goto done;
	}
	*out = json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)total, "limit",
			 q->limit, "offset", (json_int_t)q->offset);
	items = NULL;
	rc = *out ? 0 : err_oom(e);
done:
	json_decref(items);
	strbuf_release(&where);
	strbuf_release(&sql);
	return rc;
}

/* The document if the caller may see it: *out DOC, *issuer 1 when the caller sees it as an
 * issuer (documents permission and scope), not only as a recipient. */
static int doc_load(struct db *db, const struct actor *a, int64_t id, json_t **out, int *issuer,
		    struct err *e)
{
	struct me m;
	struct strbuf sql = STRBUF_INIT;
	*out = NULL;
	if (me_of(db, a, &m, e) < 0)
		return -1;
	if (strbuf_addstr(&sql, "SELECT " DOC_COLS ", ((? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "d.issuer_code") < 0 ||
	    strbuf_addstr(&sql, ") OR (? AND EXISTS (SELECT 1 FROM documents_recipients r WHERE "
				"r.document_id = d.id AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "r.recipient_code") < 0 ||
	    strbuf_addstr(&sql, ")))" DOC_FROM "d.id = ? AND ") < 0 || visible_sql(&sql, a) < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	int i = cols_bind(st, &m);
	int can = actor_can(a, PERM_DOCUMENTS);
	db_bind_int(st, i++, can);
	i = scope_bind(st, &a->scope, i);
	db_bind_int(st, i++, can);
	i = scope_bind(st, &a->scope, i);
	db_bind_int(st, i++, id);
	visible_bind(st, a, &m, i);
	int rc = db_step(st, e);
	if (rc == 1) {
		*out = doc_row(st);
		*issuer = (int)db_col_int(st, 14);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return not_found(e);
	return *out ? 0 : err_oom(e);
}

static int recipients_json(struct db *db, int64_t id, int pending_only, const struct me *only,
			   json_t **out, struct err *e)
{
	struct db_stmt *st = db_prepare(
	    db,
	    "SELECT recipient_code, institution_id, name, acknowledged_at, acknowledged_by "
	    "FROM documents_recipients WHERE document_id = ? AND (? = 0 OR acknowledged_at = '') "
	    "AND (? = 0 OR (institution_id = 0 AND recipient_code = ?) OR "
	    "(institution_id > 0 AND institution_id = ?)) ORDER BY recipient_code, institution_id",
	    e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, pending_only);
	db_bind_int(st, 3, only != NULL);
	db_bind_text(st, 4, only ? only->code : "");
	db_bind_int(st, 5, only ? only->inst : 0);
	json_t *a = json_array();
	int rc;
	while (a && (rc = db_step(st, e)) == 1)
		json_array_append_new(
		    a, json_pack("{s:s, s:o, s:s, s:o, s:o}", "code", db_col_text(st, 0),
				 "institution_id", api_json_opt_id(db_col_int(st, 1)), "name",
				 db_col_text(st, 2), "acknowledged_at",
				 api_json_opt_str(db_col_text(st, 3)), "acknowledged_by",
				 api_json_opt_str(db_col_text(st, 4))));
	db_done(st);
	if (!a)
		return err_oom(e);
	if (rc < 0) {
		json_decref(a);
		return -1;
	}
	*out = a;
	return 0;
}

int documents_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e)
{
	int issuer = 0;
	json_t *d, *r;
	struct me m;
	if (doc_load(db, a, id, &d, &issuer, e) < 0)
		return -1;
	if (me_of(db, a, &m, e) < 0 || recipients_json(db, id, 0, issuer ? NULL : &m, &r, e) < 0) {
		json_decref(d);
		return -1;
	}
	json_object_set_new(d, "recipients_list", r);
	json_object_set_new(d, "issuer_view", json_boolean(issuer));
	*out = d;
	return 0;
}

int documents_pending(struct db *db, const struct actor *a, int64_t id, json_t **out,
		      struct err *e)
{
	int issuer = 0;
	json_t *d, *r;
	*out = NULL;
	if (doc_load(db, a, id, &d, &issuer, e) < 0)
		return -1;
	json_decref(d);
	if (!issuer)
		return not_found(e);
	if (recipients_json(db, id, 1, NULL, &r, e) < 0)
		return -1;
	*out = json_pack("{s:I, s:o, s:I}", "document_id", (json_int_t)id, "items", r, "total",
			 (json_int_t)json_array_size(r));
	return *out ? 0 : err_oom(e);
}

static int ack_txn(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	struct me m;
	json_t *d;
	int issuer;
	char now[32];
	if (doc_load(db, a, id, &d, &issuer, e) < 0)
		return -1;
	json_decref(d);
	if (me_of(db, a, &m, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT r.id, r.acknowledged_at FROM documents_recipients r, "
					    "documents d WHERE d.id = ? AND " MINE_SQL
					    " ORDER BY r.institution_id DESC LIMIT 1", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, m.code);
	db_bind_int(st, 3, m.inst);
	int64_t rid = 0;
	char at[32] = "";
	int rc = db_step(st, e);
	if (rc == 1) {
		rid = db_col_int(st, 0);
		text_copy(at, sizeof at, db_col_text(st, 1));
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (!rid)
		return err_set(e, 404, "not_found", NULL, "该文件未下发给您的单位");
	if (at[0])
		return err_set(e, 409, "already_acknowledged", NULL, "您的单位已于 %.19s 签收该文件",
			       at);
	clock_now_iso(now);
	st = db_prepare(db, "UPDATE documents_recipients SET acknowledged_at = ?, acknowledged_by = ? "
			    "WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, now);
	db_bind_text(st, 2, a->username);
	db_bind_int(st, 3, rid);
	if (db_run(st, e) < 0)
		return -1;
	char detail[80];
	snprintf(detail, sizeof detail, "{\"recipient_id\":%" PRId64 "}", rid);
	return audit_append_id(db, a, "documents.acknowledge", "document", id, detail, e);
}

int documents_acknowledge(struct db *db, const struct actor *a, int64_t id, struct err *e)
{
	int began = db_write_join(db, e);
	if (began < 0)
		return -1;
	return db_write_finish(db, began, ack_txn(db, a, id, e), e);
}

int documents_file(struct db *db, const struct actor *a, int64_t id, char **data, size_t *len,
		   char name[256], char type[128], struct err *e)
{
	json_t *d;
	int issuer;
	*data = NULL;
	*len = 0;
	if (doc_load(db, a, id, &d, &issuer, e) < 0)
		return -1;
	json_decref(d);
	struct db_stmt *st = db_prepare(db, "SELECT d.file_name, d.file_type, f.content FROM "
					    "documents d JOIN documents_files f ON f.document_id = d.id "
					    "WHERE d.id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		int n = db_col_bytes(st, 2);
		text_copy(name, 256, db_col_text(st, 0));
		text_copy(type, 128, db_col_text(st, 1));
		*data = malloc(n > 0 ? (size_t)n : 1);
		if (*data) {
			memcpy(*data, db_col_blob(st, 2), (size_t)n);
			*len = (size_t)n;
		}
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "该文件没有附件");
	return *data ? 0 : err_oom(e);
}

int documents_figures(struct db *db, const struct actor *a, const char *from, const char *to,
		      void (*fn)(void *ctx, const char *issuer_code, int64_t v), void *ctx,
		      struct err *e)
{
	if (!actor_can(a, PERM_DOCUMENTS))
		return err_set(e, 403, "forbidden", NULL, "您没有下发文件的权限");
	struct strbuf sql = STRBUF_INIT;
	if (strbuf_addstr(&sql, "SELECT d.issuer_code, count(*) FROM documents d WHERE "
				"d.issued_on >= ? AND d.issued_on <= ? AND ") < 0 ||
	    scope_sql(&sql, &a->scope, "d.issuer_code") < 0 ||
	    strbuf_addstr(&sql, " GROUP BY d.issuer_code") < 0) {
		strbuf_release(&sql);
		return err_oom(e);
	}
	struct db_stmt *st = db_prepare(db, strbuf_str(&sql), e);
	strbuf_release(&sql);
	if (!st)
		return -1;
	db_bind_text(st, 1, from);
	db_bind_text(st, 2, to);
	scope_bind(st, &a->scope, 3);
	int rc;
	while ((rc = db_step(st, e)) == 1)
		fn(ctx, db_col_text(st, 0), db_col_int(st, 1));
	db_done(st);
	return rc < 0 ? -1 : 0;
}
