/* relief_schema.c — the relief module's tables (migration 11; placeholder until the module lands). */
#include "relief/relief.h"

const char relief_schema_v1[] = "SELECT 1;";
