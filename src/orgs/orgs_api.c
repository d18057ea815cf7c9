/* orgs_api.c — the HTTP routes of the orgs module: handlers only translate. */
#include "orgs/orgs.h"

const struct api_route orgs_routes[] = {
	{0},
};
