/* rescue_api.c — the rescue module's routes (placeholder until the module lands). */
#include "rescue/rescue.h"

const struct api_route rescue_routes[] = {
	{0},
};
