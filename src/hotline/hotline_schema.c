/* hotline_schema.c — the hotline module's tables (migration 17; placeholder until the module lands). */
#include "hotline/hotline.h"

const char hotline_schema_v1[] = "SELECT 1;";
