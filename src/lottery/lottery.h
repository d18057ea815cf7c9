/* lottery.h — 福利彩票销售网点：停业、复业核查: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_LOTTERY_H
#define MZ_LOTTERY_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char lottery_schema_v1[];
extern const struct api_route lottery_routes[];

#endif
