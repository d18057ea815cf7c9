/* calendar_api.c — the calendar module's routes (placeholder until the module lands). */
#include "calendar/calendar.h"

const struct api_route calendar_routes[] = {
	{0},
};
