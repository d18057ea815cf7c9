/* inspections.h — 督导检查与整改: public face. (Owned by the inspections module; placeholder until it lands.) */
#ifndef MZ_INSPECTIONS_H
#define MZ_INSPECTIONS_H

#include "http/api.h"

extern const char inspections_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route inspections_routes[];

#endif
