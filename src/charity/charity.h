/* charity.h — 慈善募捐：募捐活动、捐赠、使用与公开: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_CHARITY_H
#define MZ_CHARITY_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char charity_schema_v1[];
extern const struct api_route charity_routes[];

#endif
