/* rescue_rules.c — the rescue station's pure rules (see rescue_rules.h): no database, no clock.
 *
 * Dates are "YYYY-MM-DD" and moments "YYYY-MM-DDTHH:MM:SS+08:00" in Asia/Shanghai (UTC+8, no
 * daylight saving), computed as UTC + 8 h so nothing depends on the machine's TZ. Day arithmetic
 * is the calendar module's (pure functions of calendar_rules.c). An isolation that starts on day
 * S for N days is planned to end on S + N: leaving on that day or later is not early.
 */
#include "rescue/rescue_rules.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "calendar/calendar.h"

#define SHANGHAI_OFFSET (8 * 3600)

/* ---- times and dates ---------------------------------------------------------------------- */

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int rescue_time_parse(const char *text, int64_t *out)
{
	char date[RESCUE_DATE_SZ];
	int hh, mm, ss = 0;
	size_t len = text ? strlen(text) : 0;
	if (len < 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':')
		return -1;
	memcpy(date, text, 10);
	date[10] = '\0';
	if (!calendar_date_valid(date) || digits(text + 11, 2, &hh) < 0 ||
	    digits(text + 14, 2, &mm) < 0)
		return -1;
	const char *rest = text + 16;
	if (*rest == ':') {
		if (digits(rest + 1, 2, &ss) < 0)
			return -1;
		rest += 3;
	}
	if (*rest && strcmp(rest, "+08:00") != 0)
		return -1;
	if (hh > 23 || mm > 59 || ss > 59)
		return -1;
	*out = calendar_days_from_date(date) * 86400 + hh * 3600 + mm * 60 + ss - SHANGHAI_OFFSET;
	return 0;
}

static void split(int64_t t, int64_t *day, int64_t *sec)
{
	int64_t local = t + SHANGHAI_OFFSET;
	*day = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	*sec = local - *day * 86400;
}

void rescue_time_format(int64_t t, char out[RESCUE_TIME_SZ])
{
	int64_t day, sec;
	char date[RESCUE_DATE_SZ];
	split(t, &day, &sec);
	calendar_date_from_days(day, date);
	snprintf(out, RESCUE_TIME_SZ, "%sT%02d:%02d:%02d+08:00", date, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
}

void rescue_time_date(int64_t t, char out[RESCUE_DATE_SZ])
{
	int64_t day, sec;
	split(t, &day, &sec);
	calendar_date_from_days(day, out);
}

int rescue_date_valid(const char *d)
{
	return d && calendar_date_valid(d);
}

void rescue_date_add(const char *d, int64_t n, char out[RESCUE_DATE_SZ])
{
	calendar_date_from_days(calendar_days_from_date(d) + n, out);
}

int64_t rescue_days_between(const char *from, const char *to)
{
	return calendar_days_from_date(to) - calendar_days_from_date(from);
}

/* "37.3" for 373. */
static void degrees(int64_t tenths, char out[16])
{
	int64_t a = tenths < 0 ? -tenths : tenths;
	snprintf(out, 16, "%s%" PRId64 ".%" PRId64, tenths < 0 ? "-" : "", a / 10, a % 10);
}

/* ---- screening ---------------------------------------------------------------------------- */

int rescue_is_fever(int64_t temperature_tenths, int64_t threshold_tenths)
{
	return temperature_tenths >= threshold_tenths;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s == '\0';
}

int rescue_screening_check(const struct rescue_screening *s, struct err *e)
{
	const char *d = s->decision ? s->decision : "";
	const char *risk = s->risk ? s->risk : "";
	char t[16], limit[16];
	if (!*d)
		return err_set(e, 400, "required", "decision",
			       "请选择处置决定：收入站内、收入隔离区、送医或不予收留");
	if (strcmp(d, "admit") != 0 && strcmp(d, "isolate") != 0 && strcmp(d, "hospital") != 0 &&
	    strcmp(d, "refuse") != 0)
		return err_set(e, 400, "invalid_value", "decision",
			       "处置决定应为 admit、isolate、hospital 或 refuse");
	if (strcmp(risk, "low") != 0 && strcmp(risk, "medium_high") != 0 &&
	    strcmp(risk, "unverifiable") != 0)
		return err_set(e, 400, "invalid_value", "risk",
			       "14 天行程风险应为 low（低风险）、medium_high（来自中高风险地区）或 "
			       "unverifiable（无法核实）");
	degrees(s->temperature_tenths, t);
	degrees(s->fever_threshold, limit);
	if (rescue_is_fever(s->temperature_tenths, s->fever_threshold)) {
		if (strcmp(d, "hospital") != 0)
			return err_set(e, 409, "fever_referral_required", "decision",
				       "体温 %s °C，达到发热标准（%s "
				       "°C）：不得收入站内，须送医并报告疫情防控指挥部",
				       t, limit);
		if (blank(s->report_to))
			return err_set(e, 400, "required", "report_to",
				       "发热人员须报告疫情防控指挥部：请填写报告对象");
	}
	if (strcmp(d, "admit") == 0 && strcmp(risk, "low") != 0)
		return err_set(
		    e, 409, "isolation_required", "decision",
		    strcmp(risk, "medium_high") == 0
			? "14 天内来自中高风险地区：须收入隔离区单独观察，不能直接收入站内"
			: "健康状况和行程无法核实：须收入隔离区单独观察，不能直接收入站内");
	if (strcmp(d, "refuse") == 0 && blank(s->reason))
		return err_set(e, 400, "required", "reason", "不予收留须写明理由");
	if (strcmp(d, "hospital") == 0 && blank(s->hospital))
		return err_set(e, 400, "required", "hospital", "送医须填写送往的医院");
	if ((strcmp(d, "admit") == 0 || strcmp(d, "isolate") == 0) && s->room_id <= 0)
		return err_set(e, 400, "required", "room_id",
			       strcmp(d, "isolate") == 0 ? "请选择隔离区的房间"
							 : "请选择安置的房间");
	return 0;
}

/* ---- isolation and stay ------------------------------------------------------------------- */

void rescue_isolation_end(const char *start, int64_t days, char out[RESCUE_DATE_SZ])
{
	rescue_date_add(start, days, out);
}

int rescue_end_change_check(const char *start, const char *current_end, const char *new_end,
			    const char *reason, const char **kind, struct err *e)
{
	if (!new_end || !*new_end)
		return err_set(e, 400, "required", "new_end",
			       "请填写新的计划解除日期（YYYY-MM-DD）");
	if (!rescue_date_valid(new_end))
		return err_set(e, 400, "invalid_value", "new_end",
			       "计划解除日期应为有效日期 YYYY-MM-DD：%.20s", new_end);
	if (strcmp(new_end, start) <= 0)
		return err_set(e, 400, "invalid_value", "new_end",
			       "计划解除日期须晚于隔离开始日 %s", start);
	if (strcmp(new_end, current_end) == 0)
		return err_set(e, 400, "invalid_value", "new_end",
			       "新的计划解除日期与当前相同（%s）", current_end);
	if (blank(reason))
		return err_set(e, 400, "required", "reason", "延长或缩短隔离期须写明理由");
	*kind = strcmp(new_end, current_end) > 0 ? "extend" : "reduce";
	return 0;
}

void rescue_stay_until(const char *arrival_date, int64_t limit_days, const char *isolation_end,
		       char out[RESCUE_DATE_SZ])
{
	rescue_date_add(arrival_date, limit_days, out);
	if (isolation_end && *isolation_end && strcmp(isolation_end, out) > 0)
		snprintf(out, RESCUE_DATE_SZ, "%s", isolation_end);
}

int rescue_stay_extend_check(const char *current_until, const char *new_until, const char *reason,
			     const char *approved_by, struct err *e)
{
	if (!new_until || !*new_until)
		return err_set(e, 400, "required", "until", "请填写延长后的救助期限（YYYY-MM-DD）");
	if (!rescue_date_valid(new_until))
		return err_set(e, 400, "invalid_value", "until",
			       "救助期限应为有效日期 YYYY-MM-DD：%.20s", new_until);
	if (strcmp(new_until, current_until) <= 0)
		return err_set(e, 400, "invalid_value", "until",
			       "延长后的救助期限须晚于当前期限 %s", current_until);
	if (blank(reason))
		return err_set(e, 400, "required", "reason", "延长救助期限须写明理由");
	if (blank(approved_by))
		return err_set(e, 400, "required", "approved_by",
			       "延长救助期限须经批准：请填写批准人");
	return 0;
}

int rescue_max_stay_check(const char *stay_until, const char *leave_date, struct err *e)
{
	if (strcmp(leave_date, stay_until) < 0)
		return err_set(e, 409, "stay_not_reached", "kind",
			       "最长救助期限至 %s，尚未届满（离站日 %s）：不能按期满离站办理",
			       stay_until, leave_date);
	return 0;
}

/* ---- early leave -------------------------------------------------------------------------- */

int rescue_early_leave_check(const char *planned_end, int64_t leave_at,
			     const struct rescue_test_rec *tests, int n, int64_t valid_hours,
			     int *early, int *used_test, struct err *e)
{
	char leave_date[RESCUE_DATE_SZ], when[RESCUE_TIME_SZ];
	if (early)
		*early = 0;
	if (used_test)
		*used_test = -1;
	rescue_time_date(leave_at, leave_date);
	if (!planned_end || !*planned_end || strcmp(leave_date, planned_end) >= 0)
		return 0;
	if (early)
		*early = 1;
	int latest = -1;
	for (int i = 0; i < n; i++)
		if (tests[i].sampled <= leave_at &&
		    (latest < 0 || tests[i].sampled >= tests[latest].sampled))
			latest = i;
	if (latest < 0)
		return err_set(e, 409, "negative_test_required", NULL,
			       "隔离期至 %s 届满，提前离站须有 %" PRId64
			       " 小时内采样的核酸检测阴性结果：目前没有检测记录",
			       planned_end, valid_hours);
	rescue_time_format(tests[latest].sampled, when);
	when[16] = '\0'; /* "YYYY-MM-DDTHH:MM" */
	when[10] = ' ';
	if (tests[latest].positive)
		return err_set(
		    e, 409, "negative_test_required", NULL,
		    "隔离期至 %s 届满；最近一次核酸检测（%s 采样）结果为阳性，不能提前离站，"
		    "请送医并报告疫情防控指挥部",
		    planned_end, when);
	if (leave_at - tests[latest].sampled > valid_hours * 3600)
		return err_set(
		    e, 409, "negative_test_required", NULL,
		    "隔离期至 %s 届满，提前离站须有 %" PRId64
		    " 小时内采样的核酸检测阴性结果：最近一次阴性结果采样于 %s，已超过 %" PRId64
		    " 小时",
		    planned_end, valid_hours, when, valid_hours);
	if (used_test)
		*used_test = latest;
	return 0;
}

/* ---- discharge ---------------------------------------------------------------------------- */

int rescue_discharge_check(const struct rescue_discharge_rec *d, struct err *e)
{
	const char *k = d->kind ? d->kind : "";
	if (!*k)
		return err_set(e, 400, "required", "kind",
			       "请选择离站方式：返乡、转介、送医、自愿离站或期满离站");
	if (strcmp(k, "return_home") == 0) {
		if (blank(d->ticket))
			return err_set(e, 400, "required", "ticket", "返乡须登记车（船）票");
		if (blank(d->destination))
			return err_set(e, 400, "required", "destination", "返乡须填写目的地");
		return 0;
	}
	if (strcmp(k, "transfer") == 0 || strcmp(k, "hospital") == 0) {
		if (blank(d->transfer_to))
			return err_set(e, 400, "required", "transfer_to",
				       strcmp(k, "hospital") == 0 ? "送医须填写医院"
								  : "转介须填写接收机构");
		return 0;
	}
	if (strcmp(k, "voluntary") == 0) {
		if (!d->declaration_signed)
			return err_set(e, 400, "declaration_required", "declaration_signed",
				       "自愿离站须由本人签署自愿离站声明，并在此确认已签署");
		return 0;
	}
	if (strcmp(k, "max_stay") == 0)
		return 0;
	return err_set(e, 400, "invalid_value", "kind",
		       "离站方式应为 return_home、transfer、hospital、voluntary 或 max_stay");
}

/* ---- personal data ------------------------------------------------------------------------ */

int64_t rescue_family_search_due(int64_t arrived, int64_t hours)
{
	return arrived + hours * 3600;
}
