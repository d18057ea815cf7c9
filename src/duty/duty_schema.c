/* duty_schema.c — the duty module's tables (migration 16; placeholder until the module lands). */
#include "duty/duty.h"

const char duty_schema_v1[] = "SELECT 1;";
