/* institutions_api.c — the institutions module's routes (placeholder until the module lands). */
#include "institutions/institutions.h"

const struct api_route institutions_routes[] = {
	{0},
};
