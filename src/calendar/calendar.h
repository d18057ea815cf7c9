/* calendar.h — 工作日历（节假日为数据）: public face. (Owned by the calendar module; placeholder until it lands.) */
#ifndef MZ_CALENDAR_H
#define MZ_CALENDAR_H

#include "http/api.h"

extern const char calendar_schema_v1[];

/* The module's routes, ending with {0}. */
extern const struct api_route calendar_routes[];

#endif
