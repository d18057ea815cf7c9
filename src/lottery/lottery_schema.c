/* lottery_schema.c — the tables of the lottery module (migration; see db/migrate.c). */
#include "lottery/lottery.h"

const char lottery_schema_v1[] = "-- lottery: tables come with the module\n";
