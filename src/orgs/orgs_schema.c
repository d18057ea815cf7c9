/* orgs_schema.c — the tables of the orgs module (migration; see db/migrate.c). */
#include "orgs/orgs.h"

const char orgs_schema_v1[] = "-- orgs: tables come with the module\n";
