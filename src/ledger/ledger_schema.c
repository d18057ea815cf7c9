/* ledger_schema.c — the ledger module's tables (migration 13; placeholder until the module lands). */
#include "ledger/ledger.h"

const char ledger_schema_v1[] = "SELECT 1;";
