/* marriage.h — 婚姻登记预约：登记处、时段、公众预约与登记员当日名单: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_MARRIAGE_H
#define MZ_MARRIAGE_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char marriage_schema_v1[];
extern const struct api_route marriage_routes[];

#endif
