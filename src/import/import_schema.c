/* import_schema.c — the import module's tables (migration 19): none. An import is stateless —
 * the file travels with each request (dry run, rejects, commit) and what it creates belongs to
 * the registry's tables, audited there — so the migration only reserves the number. */
#include "import/import.h"

const char import_schema_v1[] = "SELECT 1;";
