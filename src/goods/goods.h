/* goods.h — 救灾物资：仓库、库存与出入库: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_GOODS_H
#define MZ_GOODS_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char goods_schema_v1[];
extern const struct api_route goods_routes[];

#endif
