/* ledger_api.c — the ledger module's routes (placeholder until the module lands). */
#include "ledger/ledger.h"

const struct api_route ledger_routes[] = {
	{0},
};
