/* marriage_schema.c — the tables of the marriage module (migration; see db/migrate.c). */
#include "marriage/marriage.h"

const char marriage_schema_v1[] = "-- marriage: tables come with the module\n";
