/* documents.h — 疫情防控政策文件：下发与签收: public face. The module's schema, routes and functions are declared
 * here as they land. */
#ifndef MZ_DOCUMENTS_H
#define MZ_DOCUMENTS_H

#include "core/actor.h"
#include "core/err.h"
#include "db/db.h"
#include "http/api.h"

extern const char documents_schema_v1[];
extern const struct api_route documents_routes[];

#endif
