/* relief.h — 临时救助与镇街备用金: public face. (Owned by the relief module; placeholder until it lands.) */
#ifndef MZ_RELIEF_H
#define MZ_RELIEF_H

#include "http/api.h"

extern const char relief_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route relief_routes[];

#endif
