/* orgs.h — 社会组织与志愿者：参与记录与志愿服务: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_ORGS_H
#define MZ_ORGS_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char orgs_schema_v1[];
extern const struct api_route orgs_routes[];

#endif
