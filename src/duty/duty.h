/* duty.h — 值班值守: public face. (Owned by the duty module; placeholder until it lands.) */
#ifndef MZ_DUTY_H
#define MZ_DUTY_H

#include "http/api.h"

extern const char duty_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route duty_routes[];

#endif
