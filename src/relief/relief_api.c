/* relief_api.c — the relief module's routes (placeholder until the module lands). */
#include "relief/relief.h"

const struct api_route relief_routes[] = {
	{0},
};
