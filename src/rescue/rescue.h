/* rescue.h — 救助管理站与街面巡查: public face. (Owned by the rescue module; placeholder until it lands.) */
#ifndef MZ_RESCUE_H
#define MZ_RESCUE_H

#include "http/api.h"

extern const char rescue_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route rescue_routes[];

#endif
