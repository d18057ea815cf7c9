/* marriage_api.c — the HTTP routes of the marriage module: handlers only translate. */
#include "marriage/marriage.h"

const struct api_route marriage_routes[] = {
	{0},
};
