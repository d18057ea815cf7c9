/* documents.h — 疫情防控政策文件：下发与签收 (epidemic policy documents, their distribution to
 * units and each unit's acknowledgement of receipt): public face. (Owned by the documents
 * module: documents_schema.c the tables, documents_store.c the records, visibility and counts,
 * documents_api.c the routes. docs/orgs.md, "防疫文件", explains it for people.)
 *
 * A document (number 文号 unique, title, issuing body, the issuing unit's region code, date,
 * scope of application, an attached file of at most DOCUMENTS_FILE_MAX bytes) is distributed
 * to recipients: region codes (county-level units, townships…) or institutions. Each recipient
 * acknowledges receipt once (签收): a user acknowledges for their own unit — the recipient
 * whose code is their region code — or, when attached to an institution as its reporter, for
 * that institution. The issuer sees who has not acknowledged yet.
 *
 * Who sees a document (and may download its file): users with the documents permission whose
 * scope holds the issuing unit or one of the recipients, and the recipients themselves (any
 * logged-in user of a recipient unit or institution). Anyone else gets 404 not_found.
 * Issuing needs the documents permission (county staff, city admin) with the issuing unit and
 * every recipient inside the caller's scope (403 out_of_scope).
 *
 * Counting rule: documents.issued over from..to = documents whose date lies in the period, in
 * the caller's scope by the issuing unit; per unit by the issuing unit (the city's own
 * documents count for the city only).
 *
 * Reads return jansson values. Writes are one transaction with their audit row
 * (documents.issue, documents.acknowledge). Errors: 400 required / invalid_value /
 * invalid_region, 403 forbidden / out_of_scope, 404 not_found, 409 duplicate_number /
 * already_acknowledged, 413 file_too_large.
 */
#ifndef MZ_DOCUMENTS_H
#define MZ_DOCUMENTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char documents_schema_v1[];
extern const struct api_route documents_routes[];

/* Request bodies are limited to 1 MiB and the file travels base64-encoded (4/3 of its size)
 * inside the JSON, so a file is at most 700 KiB. */
#define DOCUMENTS_FILE_MAX (700 * 1024)
#define DOCUMENTS_MAX_RECIPIENTS 200
#define DOCUMENTS_PAGE_MAX 200

struct documents_recipient_in {
	char code[24];		/* a region code, or "" for an institution */
	int64_t institution_id; /* 0 for a region */
};

struct documents_in {
	char number[128];
	char title[512];
	char issuing_body[256];
	char issuer_code[24]; /* "" = the caller's own region code */
	char issued_on[16];
	char scope_text[1024];
	char file_name[256];
	char file_type[128];
	const unsigned char *file; /* borrowed; NULL = no file */
	size_t file_len;
	int all_units; /* 1: every management unit of the city (the 16 units) */
	int n_recipients;
	const struct documents_recipient_in *recipients; /* borrowed */
};

int documents_issue(struct db *db, const struct actor *a, const struct documents_in *in,
		    int64_t *out_id, struct err *e);
/* Acknowledge receipt for the caller's unit or institution (404 when the document was not
 * distributed to it, 409 already_acknowledged). */
int documents_acknowledge(struct db *db, const struct actor *a, int64_t id, struct err *e);

struct documents_query {
	char q[64]; /* number or title contains */
	char from[16], to[16];
	int unacknowledged; /* 1: only documents the caller's unit has not acknowledged */
	int limit;
	int64_t offset;
};

/* {"items":[DOC…],"total","limit","offset"}; DOC = {"id","number","title","issuing_body",
 * "issuer_code","issuer_name","issued_on","scope_text","file_name","file_size","recipients",
 * "acknowledged","pending","mine":{"acknowledged_at"}|null}. */
int documents_list(struct db *db, const struct actor *a, const struct documents_query *q,
		   json_t **out, struct err *e);
/* DOC plus "recipients_list":[{"code","institution_id","name","acknowledged_at",
 * "acknowledged_by"}…] (the issuer's view: every recipient; a recipient sees its own row). */
int documents_get(struct db *db, const struct actor *a, int64_t id, json_t **out, struct err *e);
/* {"items":[{"code","institution_id","name"}…],"total"}: recipients not yet acknowledged. */
int documents_pending(struct db *db, const struct actor *a, int64_t id, json_t **out,
		      struct err *e);
/* The attached file: *data malloc'd (caller frees); 404 when the document has none. */
int documents_file(struct db *db, const struct actor *a, int64_t id, char **data, size_t *len,
		   char name[256], char type[128], struct err *e);

/* The content types a file may have, as static strings: the stored type when it is one of
 * them (PDF, Word, WPS, OFD, JPEG, PNG, plain text), else application/octet-stream. */
const char *documents_file_type(const char *type);

/* The counting rule over from..to: fn(ctx, issuer_code, count) per issuing unit. */
int documents_figures(struct db *db, const struct actor *a, const char *from, const char *to,
		      void (*fn)(void *ctx, const char *issuer_code, int64_t v), void *ctx,
		      struct err *e);

#endif
