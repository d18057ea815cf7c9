/* funeral_schema.c — the tables of the funeral module (migration; see db/migrate.c). */
#include "funeral/funeral.h"

const char funeral_schema_v1[] = "-- funeral: tables come with the module\n";
