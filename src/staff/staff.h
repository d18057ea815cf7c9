/* staff.h — 干部抽调与下沉一线: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_STAFF_H
#define MZ_STAFF_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char staff_schema_v1[];
extern const struct api_route staff_routes[];

#endif
