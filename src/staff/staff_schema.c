/* staff_schema.c — the tables of the staff module (migration; see db/migrate.c). */
#include "staff/staff.h"

const char staff_schema_v1[] = "-- staff: tables come with the module\n";
