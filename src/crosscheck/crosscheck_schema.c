/* crosscheck_schema.c — the tables of the crosscheck module (migration; see db/migrate.c). */
#include "crosscheck/crosscheck.h"

const char crosscheck_schema_v1[] = "-- crosscheck: tables come with the module\n";
