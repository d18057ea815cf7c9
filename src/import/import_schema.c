/* import_schema.c — the import module's tables (migration 19; placeholder until the module lands). */
#include "import/import.h"

const char import_schema_v1[] = "SELECT 1;";
