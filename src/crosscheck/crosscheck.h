/* crosscheck.h — 死亡比对：死亡名单、停发与多发追回: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_CROSSCHECK_H
#define MZ_CROSSCHECK_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char crosscheck_schema_v1[];
extern const struct api_route crosscheck_routes[];

#endif
