/* staff_rules.c — the staff module's pure rules: deployment types, their dates, and when a
 * deployment overlaps a period. No I/O. Dates are "YYYY-MM-DD", which compare as text. */
#include "staff/staff.h"

#include <string.h>

#include "calendar/calendar.h"

int staff_type_valid(const char *type)
{
	return type && (strcmp(type, "seconded") == 0 || strcmp(type, "front_line") == 0);
}

const char *staff_type_label(const char *type)
{
	if (type && strcmp(type, "seconded") == 0)
		return "抽调督导";
	if (type && strcmp(type, "front_line") == 0)
		return "下沉一线";
	return "";
}

int staff_overlaps(const char *start, const char *end, const char *from, const char *to)
{
	if (strcmp(start, to) > 0)
		return 0;
	return !end || !end[0] || strcmp(end, from) >= 0;
}

int staff_dates_check(const char *start, const char *end, struct err *e)
{
	if (!start || !start[0])
		return err_set(e, 400, "required", "start_date", "请填写开始日期");
	if (!calendar_date_valid(start))
		return err_set(e, 400, "invalid_value", "start_date", "开始日期应为 YYYY-MM-DD");
	if (end && end[0]) {
		if (!calendar_date_valid(end))
			return err_set(e, 400, "invalid_value", "end_date", "结束日期应为 YYYY-MM-DD");
		if (strcmp(end, start) < 0)
			return err_set(e, 400, "invalid_value", "end_date", "结束日期不能早于开始日期");
	}
	return 0;
}
