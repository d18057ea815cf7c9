/* inspections_schema.c — the inspections module's tables (migration 15; placeholder until the module lands). */
#include "inspections/inspections.h"

const char inspections_schema_v1[] = "SELECT 1;";
