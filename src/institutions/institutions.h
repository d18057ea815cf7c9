/* institutions.h — 机构、日报告与零报告: public face. (Owned by the institutions module; placeholder until it lands.) */
#ifndef MZ_INSTITUTIONS_H
#define MZ_INSTITUTIONS_H

#include "http/api.h"

extern const char institutions_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route institutions_routes[];

#endif
