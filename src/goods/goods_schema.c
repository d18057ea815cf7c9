/* goods_schema.c — the tables of the goods module (migration; see db/migrate.c). */
#include "goods/goods.h"

const char goods_schema_v1[] = "-- goods: tables come with the module\n";
