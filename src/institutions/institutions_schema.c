/* institutions_schema.c — the institutions module's tables (migration 14; placeholder until the module lands). */
#include "institutions/institutions.h"

const char institutions_schema_v1[] = "SELECT 1;";
