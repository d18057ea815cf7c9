/* rescue_schema.c — the rescue module's tables (migration 18; placeholder until the module lands). */
#include "rescue/rescue.h"

const char rescue_schema_v1[] = "SELECT 1;";
