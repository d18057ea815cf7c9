/* duty_api.c — the duty module's routes (placeholder until the module lands). */
#include "duty/duty.h"

const struct api_route duty_routes[] = {
	{0},
};
