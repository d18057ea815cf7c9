/* charity_schema.c — the tables of the charity module (migration; see db/migrate.c). */
#include "charity/charity.h"

const char charity_schema_v1[] = "-- charity: tables come with the module\n";
