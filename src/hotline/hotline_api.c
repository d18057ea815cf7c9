/* hotline_api.c — the hotline module's routes (placeholder until the module lands). */
#include "hotline/hotline.h"

const struct api_route hotline_routes[] = {
	{0},
};
