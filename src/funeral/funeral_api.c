/* funeral_api.c — the HTTP routes of the funeral module: handlers only translate. */
#include "funeral/funeral.h"

const struct api_route funeral_routes[] = {
	{0},
};
