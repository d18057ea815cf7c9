/* price.h — 价格临时补贴: public face. (Owned by the price module; placeholder until it lands.) */
#ifndef MZ_PRICE_H
#define MZ_PRICE_H

#include "http/api.h"

extern const char price_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route price_routes[];

#endif
