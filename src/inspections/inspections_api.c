/* inspections_api.c — the inspections module's routes (placeholder until the module lands). */
#include "inspections/inspections.h"

const struct api_route inspections_routes[] = {
	{0},
};
