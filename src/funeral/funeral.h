/* funeral.h — 殡葬服务：遗体接运、火化与消毒记录: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_FUNERAL_H
#define MZ_FUNERAL_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char funeral_schema_v1[];
extern const struct api_route funeral_routes[];

#endif
