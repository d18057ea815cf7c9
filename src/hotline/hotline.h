/* hotline.h — 热线来电与个案: public face. (Owned by the hotline module; placeholder until it lands.) */
#ifndef MZ_HOTLINE_H
#define MZ_HOTLINE_H

#include "http/api.h"

extern const char hotline_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route hotline_routes[];

#endif
