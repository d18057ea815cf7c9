/* documents_schema.c — the tables the documents module owns (migration 28): epidemic policy
 * documents, their attached file, the units they were distributed to and each unit's
 * acknowledgement of receipt.
 *
 * issuer_code is the issuing unit (the city 3707 or a county-level unit); a recipient is a
 * region code (a county-level unit, a township…) or an institution (institution_id, with its
 * region code copied into recipient_code for the scope). acknowledged_at '' = not yet. The file
 * is kept in its own table so that lists never read it. */
#include "documents/documents.h"

const char documents_schema_v1[] =
	"CREATE TABLE documents ("
	"  id INTEGER PRIMARY KEY,"
	"  number TEXT NOT NULL UNIQUE,"
	"  title TEXT NOT NULL,"
	"  issuing_body TEXT NOT NULL,"
	"  issuer_code TEXT NOT NULL,"
	"  issued_on TEXT NOT NULL,"
	"  scope_text TEXT NOT NULL DEFAULT '',"
	"  file_name TEXT NOT NULL DEFAULT '',"
	"  file_type TEXT NOT NULL DEFAULT '',"
	"  file_size INTEGER NOT NULL DEFAULT 0,"
	"  created_by TEXT NOT NULL,"
	"  created_at TEXT NOT NULL"
	");"
	"CREATE INDEX documents_by_issuer ON documents(issuer_code, issued_on);"
	"CREATE TABLE documents_files ("
	"  document_id INTEGER PRIMARY KEY REFERENCES documents(id),"
	"  content BLOB NOT NULL"
	");"
	"CREATE TABLE documents_recipients ("
	"  id INTEGER PRIMARY KEY,"
	"  document_id INTEGER NOT NULL REFERENCES documents(id),"
	"  recipient_code TEXT NOT NULL,"
	"  institution_id INTEGER NOT NULL DEFAULT 0,"
	"  name TEXT NOT NULL,"
	"  acknowledged_at TEXT NOT NULL DEFAULT '',"
	"  acknowledged_by TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (document_id, recipient_code, institution_id)"
	");"
	"CREATE INDEX documents_recipients_by_code ON documents_recipients(recipient_code);";
