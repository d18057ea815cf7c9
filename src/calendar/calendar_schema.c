/* calendar_schema.c — the calendar module's tables (migration 10; placeholder until the module lands). */
#include "calendar/calendar.h"

const char calendar_schema_v1[] = "SELECT 1;";
