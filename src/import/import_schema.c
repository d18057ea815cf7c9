/* import_schema.c — the import module's tables. Migration 19: none — an import through the CLI
 * or POST /api/v1/imports is stateless (the file travels with each request, and what it creates
 * belongs to the registry's tables, audited there). Migration 30: import_uploads, the files the
 * web UI uploads to be checked and imported by a job (import_uploads.c). */
#include "import/import.h"

const char import_schema_v1[] = "SELECT 1;";

const char import_schema_v2[] =
    "CREATE TABLE import_uploads ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL,"
    "  username TEXT NOT NULL,"
    "  kind TEXT NOT NULL,"
    "  file_name TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  data BLOB,"              /* NULL once imported */
    "  result TEXT,"            /* the latest run's JSON */
    "  rejects BLOB,"           /* the latest run's rejected rows (.xlsx), when any */
    "  created_at INTEGER NOT NULL" /* unix seconds */
    ");"
    "CREATE INDEX import_uploads_created ON import_uploads(created_at);";
