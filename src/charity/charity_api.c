/* charity_api.c — the HTTP routes of the charity module: handlers only translate. */
#include "charity/charity.h"

const struct api_route charity_routes[] = {
	{0},
};
