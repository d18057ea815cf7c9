/* staff_api.c — the HTTP routes of the staff module: handlers only translate. */
#include "staff/staff.h"

const struct api_route staff_routes[] = {
	{0},
};
