/* ledger.h — 特殊困难群众台账: public face. (Owned by the ledger module; placeholder until it lands.) */
#ifndef MZ_LEDGER_H
#define MZ_LEDGER_H

#include "http/api.h"

extern const char ledger_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route ledger_routes[];

#endif
