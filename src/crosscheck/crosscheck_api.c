/* crosscheck_api.c — the HTTP routes of the crosscheck module: handlers only translate. */
#include "crosscheck/crosscheck.h"

const struct api_route crosscheck_routes[] = {
	{0},
};
