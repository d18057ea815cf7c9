/* price_schema.c — the price module's tables (migration 12; placeholder until the module lands). */
#include "price/price.h"

const char price_schema_v1[] = "SELECT 1;";
