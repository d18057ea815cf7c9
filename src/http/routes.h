/* routes.h — the list of every module's route table (defined in routes.c). */
#ifndef MZ_ROUTES_H
#define MZ_ROUTES_H

#include "http/api.h"

/* NULL-terminated. A new module adds its table in routes.c. */
extern const struct api_route *const routes_all[];

#endif
