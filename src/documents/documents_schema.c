/* documents_schema.c — the tables of the documents module (migration; see db/migrate.c). */
#include "documents/documents.h"

const char documents_schema_v1[] = "-- documents: tables come with the module\n";
