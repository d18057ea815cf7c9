/* institutions_rules.c — the institutions module's pure rules (see institutions.h): the types
 * and report fields, dates and deadlines, whether a report is on time, report validation, what a
 * zero report carries, which alerts a report raises, alert state changes, the record of what a
 * correction changed, and completeness / timeliness arithmetic. No I/O (the current time only
 * through institutions_now), no allocation: unit tests call everything here directly. */
#include "institutions/institutions.h"

#include "core/clock.h"
#include "core/utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ================================================================ types and fields */

static const struct institutions_type types[INSTITUTIONS_NTYPES] = {
	{"elderly_home", "养老机构", 1, "institution_deadline_elderly_home"},
	{"children_welfare_home", "儿童福利机构", 1, "institution_deadline_children_welfare_home"},
	{"rescue_station", "救助管理站", 1, "institution_deadline_rescue_station"},
	{"funeral_home", "殡仪馆", 0, "institution_deadline_funeral_home"},
	{"marriage_office", "婚姻登记处", 0, "institution_deadline_marriage_office"},
	{"lottery_outlet", "福彩销售站点", 0, "institution_deadline_lottery_outlet"},
	{"other", "其他机构", 1, "institution_deadline_other"},
};

const struct institutions_type *institutions_types(int *n)
{
	*n = INSTITUTIONS_NTYPES;
	return types;
}

const struct institutions_type *institutions_type_find(const char *code)
{
	for (int i = 0; code && i < INSTITUTIONS_NTYPES; i++)
		if (strcmp(types[i].code, code) == 0)
			return &types[i];
	return NULL;
}

const char *const institutions_field_names[INSTITUTIONS_NFIELDS] = {
	"residents_present", "staff_on_site", "admissions", "departures", "temperature_checks",
	"fever", "suspected", "confirmed", "isolated", "deaths", "goods_days",
};
const char *const institutions_field_labels[INSTITUTIONS_NFIELDS] = {
	"在院人数", "在岗工作人员", "新入住", "离开", "测温人数", "发热", "疑似",
	"确诊", "隔离观察", "死亡", "物资可用天数",
};

int institutions_field_index(const char *name)
{
	for (int i = 0; name && i < INSTITUTIONS_NFIELDS; i++)
		if (strcmp(institutions_field_names[i], name) == 0)
			return i;
	return -1;
}

/* Fields that only an institution with residents reports. */
static int residents_only(int f)
{
	return f == INST_RESIDENTS || f == INST_ADMISSIONS || f == INST_DEPARTURES;
}

/* ================================================================ dates */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int institutions_date_valid(const char *s)
{
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4) ||
	    !digits(s + 5, 2) || !digits(s + 8, 2))
		return 0;
	int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

int64_t institutions_day(const char *date)
{
	return days_from_civil(num(date, 4), num(date + 5, 2), num(date + 8, 2));
}

void institutions_day_date(int64_t day, char out[11])
{
	int64_t y;
	int m, d;
	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04d-%02d-%02d", (int)(y % 10000), m % 100, d % 100);
}

void institutions_date_add(const char *date, int n, char out[11])
{
	institutions_day_date(institutions_day(date) + n, out);
}

int institutions_at_valid(const char *at)
{
	/* 2020-03-01T09:58:00+08:00 */
	if (!at || strlen(at) != 25 || at[10] != 'T' || at[13] != ':' || at[16] != ':' ||
	    strcmp(at + 19, "+08:00") != 0 || !digits(at + 11, 2) || !digits(at + 14, 2) ||
	    !digits(at + 17, 2))
		return 0;
	char date[11];
	memcpy(date, at, 10);
	date[10] = '\0';
	return institutions_date_valid(date) && num(at + 11, 2) < 24 && num(at + 14, 2) < 60 &&
	       num(at + 17, 2) < 60;
}

void institutions_now(const char *at, char out[32])
{
	if (at && at[0])
		snprintf(out, 32, "%s", at);
	else
		clock_now_iso(out);
}

void institutions_deadline_at(const char *date, int64_t minutes, char out[32])
{
	char day[11];
	if (minutes < 0)
		minutes = 0;
	if (minutes > 1440)
		minutes = 1440;
	institutions_date_add(date, (int)(minutes / 1440), day);
	minutes %= 1440;
	snprintf(out, 32, "%sT%02d:%02d:00+08:00", day, (int)(minutes / 60), (int)(minutes % 60));
}

int institutions_on_time(const char *submitted_at, const char *deadline_at)
{
	/* both are fixed-width +08:00 strings, so text order is time order */
	return strcmp(submitted_at, deadline_at) <= 0;
}

int institutions_open_on(const char *opened_on, const char *closed_on, const char *date)
{
	if (!opened_on[0] || strcmp(date, opened_on) < 0)
		return 0;
	return !closed_on[0] || strcmp(date, closed_on) < 0;
}

int institutions_cm_on(const char *cm_from, const char *cm_to, const char *date)
{
	if (!cm_from[0] || strcmp(date, cm_from) < 0)
		return 0;
	return !cm_to[0] || strcmp(date, cm_to) <= 0;
}

const char *institutions_day_status(int open, int has_report, int on_time, const char *now,
				    const char *deadline_at)
{
	if (has_report)
		return on_time ? "on_time" : "late";
	if (!open)
		return "closed";
	return strcmp(now, deadline_at) <= 0 ? "due" : "overdue";
}

/* ================================================================ reports */

#define FIELD_BIT(f) (1u << (f))

int institutions_report_check(const struct institutions_type *t, struct institutions_report_in *in,
			      struct err *e)
{
	if (!in->report_date[0])
		return err_set(e, 400, "required", "report_date", "请填写报告日期（YYYY-MM-DD）");
	if (!institutions_date_valid(in->report_date))
		return err_set(e, 400, "invalid_value", "report_date",
			       "报告日期应为 YYYY-MM-DD 格式的有效日期：%s", in->report_date);
	if (!in->kind[0])
		snprintf(in->kind, sizeof in->kind, "daily");
	int zero = strcmp(in->kind, "zero") == 0;
	if (!zero && strcmp(in->kind, "daily") != 0)
		return err_set(e, 400, "invalid_value", "kind",
			       "报告类型应为 daily（日报）或 zero（零报告）：%s", in->kind);
	long nc = utf8_text_chars(in->note, 1), rc = utf8_text_chars(in->reason, 1);
	if (nc < 0 || nc > INSTITUTIONS_NOTE_CHARS)
		return err_set(e, 400, "invalid_value", "note", "情况说明最多 %d 个字，且不能含控制字符",
			       INSTITUTIONS_NOTE_CHARS);
	if (rc < 0 || rc > INSTITUTIONS_NOTE_CHARS)
		return err_set(e, 400, "invalid_value", "reason", "更正原因最多 %d 个字，且不能含控制字符",
			       INSTITUTIONS_NOTE_CHARS);
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		if (!(in->present & FIELD_BIT(f))) {
			in->v[f] = 0;
			continue;
		}
		int64_t max = f == INST_GOODS_DAYS ? INSTITUTIONS_MAX_GOODS_DAYS : INSTITUTIONS_MAX_COUNT;
		if (in->v[f] < 0 || in->v[f] > max)
			return err_set(e, 400, "invalid_value", institutions_field_names[f],
				       "%s应为 0 到 %" PRId64 " 之间的整数", institutions_field_labels[f],
				       max);
		if (!t->has_residents && residents_only(f) && in->v[f] != 0)
			return err_set(e, 400, "invalid_value", institutions_field_names[f],
				       "%s没有在院人员，不填写%s", t->label, institutions_field_labels[f]);
		if (zero && f != INST_RESIDENTS && f != INST_STAFF)
			return err_set(e, 400, "invalid_value", institutions_field_names[f],
				       "零报告表示今日无异常，不填写%s；有情况请填报日报",
				       institutions_field_labels[f]);
	}
	if (!t->has_residents)
		in->present &= ~(FIELD_BIT(INST_RESIDENTS) | FIELD_BIT(INST_ADMISSIONS) |
				 FIELD_BIT(INST_DEPARTURES));
	if (zero)
		return 0;
	/* a daily report: every field that applies must be given (blank is not zero) */
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		if (f == INST_GOODS_DAYS || (!t->has_residents && residents_only(f)))
			continue;
		if (!(in->present & FIELD_BIT(f)))
			return err_set(e, 400, "required", institutions_field_names[f],
				       "请填写%s（没有请填 0；今日无异常可直接零报告）",
				       institutions_field_labels[f]);
	}
	int64_t people = in->v[INST_RESIDENTS] + in->v[INST_STAFF];
	if (in->v[INST_CHECKS] > people)
		return err_set(e, 400, "invalid_value", "temperature_checks",
			       "测温人数（%" PRId64 "）不能超过在院人数与在岗工作人员之和（%" PRId64 "）",
			       in->v[INST_CHECKS], people);
	if (in->v[INST_FEVER] > in->v[INST_CHECKS])
		return err_set(e, 400, "invalid_value", "fever",
			       "发热人数（%" PRId64 "）不能超过测温人数（%" PRId64 "）", in->v[INST_FEVER],
			       in->v[INST_CHECKS]);
	static const int cases[] = {INST_SUSPECTED, INST_CONFIRMED, INST_ISOLATED};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (in->v[cases[i]] > people)
			return err_set(e, 400, "invalid_value", institutions_field_names[cases[i]],
				       "%s人数（%" PRId64 "）不能超过在院人数与在岗工作人员之和（%" PRId64
				       "）",
				       institutions_field_labels[cases[i]], in->v[cases[i]], people);
	return 0;
}

void institutions_zero_values(const struct institutions_type *t, const int64_t carry[INSTITUTIONS_NFIELDS],
			      uint32_t carry_present, int64_t out[INSTITUTIONS_NFIELDS],
			      uint32_t *out_present)
{
	memset(out, 0, sizeof(int64_t) * INSTITUTIONS_NFIELDS);
	*out_present = 0;
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		if (f == INST_GOODS_DAYS || (!t->has_residents && residents_only(f)))
			continue;
		*out_present |= FIELD_BIT(f);
	}
	if (t->has_residents && (carry_present & FIELD_BIT(INST_RESIDENTS)))
		out[INST_RESIDENTS] = carry[INST_RESIDENTS];
	if (carry_present & FIELD_BIT(INST_STAFF))
		out[INST_STAFF] = carry[INST_STAFF];
	out[INST_CHECKS] = out[INST_RESIDENTS] + out[INST_STAFF];
	if (carry_present & FIELD_BIT(INST_GOODS_DAYS)) {
		out[INST_GOODS_DAYS] = carry[INST_GOODS_DAYS];
		*out_present |= FIELD_BIT(INST_GOODS_DAYS);
	}
}

/* Append "label n 人" to a summary, with "，" between items. */
static void add_item(char *buf, size_t n, const char *text)
{
	size_t used = strlen(buf);
	if (used + 1 >= n)
		return;
	snprintf(buf + used, n - used, "%s%s", used ? "，" : "", text);
}

unsigned institutions_alert_check(const int64_t v[INSTITUTIONS_NFIELDS],
				  const int64_t base[INSTITUTIONS_NFIELDS], int under_cm,
				  char *health, size_t health_n, char *movement, size_t movement_n)
{
	unsigned bits = 0;
	char item[96];
	if (health_n)
		health[0] = '\0';
	if (movement_n)
		movement[0] = '\0';
	static const int watched[] = {INST_FEVER, INST_SUSPECTED, INST_CONFIRMED, INST_ISOLATED,
				      INST_DEATHS};
	for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++) {
		int f = watched[i];
		if (v[f] > 0) {
			bits |= INST_ALERT_HEALTH;
			snprintf(item, sizeof item, "%s %" PRId64 " 人", institutions_field_labels[f], v[f]);
			add_item(health, health_n, item);
		}
	}
	if (under_cm) {
		if (v[INST_RESIDENTS] != base[INST_RESIDENTS]) {
			bits |= INST_ALERT_MOVEMENT;
			snprintf(item, sizeof item, "在院人数 %" PRId64 "→%" PRId64, base[INST_RESIDENTS],
				 v[INST_RESIDENTS]);
			add_item(movement, movement_n, item);
		}
		if (v[INST_STAFF] != base[INST_STAFF]) {
			bits |= INST_ALERT_MOVEMENT;
			snprintf(item, sizeof item, "在岗工作人员 %" PRId64 "→%" PRId64, base[INST_STAFF],
				 v[INST_STAFF]);
			add_item(movement, movement_n, item);
		}
		if (v[INST_ADMISSIONS] > 0) {
			bits |= INST_ALERT_MOVEMENT;
			snprintf(item, sizeof item, "新入住 %" PRId64 " 人", v[INST_ADMISSIONS]);
			add_item(movement, movement_n, item);
		}
		if (v[INST_DEPARTURES] > 0) {
			bits |= INST_ALERT_MOVEMENT;
			snprintf(item, sizeof item, "离开 %" PRId64 " 人", v[INST_DEPARTURES]);
			add_item(movement, movement_n, item);
		}
	}
	return bits;
}

int institutions_alert_transition(const char *status, const char *action, struct err *e)
{
	if (strcmp(action, "ack") == 0) {
		if (strcmp(status, "open") == 0)
			return 0;
		return err_set(e, 409, "alert_state", NULL, "该预警已%s，不能再次确认",
			       strcmp(status, "closed") == 0 ? "关闭" : "确认");
	}
	if (strcmp(action, "close") == 0) {
		if (strcmp(status, "acknowledged") == 0)
			return 0;
		return err_set(e, 409, "alert_state", NULL, "%s",
			       strcmp(status, "open") == 0 ? "预警须先确认，处置后再关闭"
							   : "该预警已关闭");
	}
	return err_set(e, 400, "invalid_value", NULL, "未知的预警操作：%s", action);
}

/* Write a JSON string of trusted ASCII (field names, kinds). */
static void json_value(char *buf, size_t n, int present, int64_t v)
{
	if (present)
		snprintf(buf, n, "%" PRId64, v);
	else
		snprintf(buf, n, "null");
}

int institutions_report_diff(const char *old_kind, const int64_t old_v[INSTITUTIONS_NFIELDS],
			     uint32_t old_present, const char *old_note, const char *new_kind,
			     const int64_t new_v[INSTITUTIONS_NFIELDS], uint32_t new_present,
			     const char *new_note, char *out, size_t n)
{
	int changed = 0;
	size_t used = 0;
	char a[32], b[32];
#define EMIT(...)                                                                   \
	do {                                                                        \
		int w_ = snprintf(out + used, used < n ? n - used : 0, __VA_ARGS__); \
		if (w_ > 0)                                                         \
			used += (size_t)w_;                                          \
	} while (0)
	if (n == 0)
		return 0;
	out[0] = '\0';
	EMIT("{");
	if (strcmp(old_kind, new_kind) != 0) {
		EMIT("\"kind\":[\"%s\",\"%s\"]", old_kind, new_kind);
		changed++;
	}
	for (int f = 0; f < INSTITUTIONS_NFIELDS; f++) {
		int op = (old_present >> f) & 1, np = (new_present >> f) & 1;
		if (op == np && (!op || old_v[f] == new_v[f]))
			continue;
		json_value(a, sizeof a, op, old_v[f]);
		json_value(b, sizeof b, np, new_v[f]);
		EMIT("%s\"%s\":[%s,%s]", changed ? "," : "", institutions_field_names[f], a, b);
		changed++;
	}
	if (strcmp(old_note, new_note) != 0) {
		/* the note's text is in the version itself; only say that it changed */
		EMIT("%s\"note\":true", changed ? "," : "");
		changed++;
	}
	EMIT("}");
#undef EMIT
	if (used >= n) /* cut: keep it valid JSON by saying only that something changed */
		snprintf(out, n, "{\"truncated\":true}");
	return changed;
}

/* ================================================================ completeness and timeliness */

int64_t institutions_rate_bp(int64_t numer, int64_t den)
{
	if (den <= 0)
		return -1;
	return numer * 10000 / den;
}

void institutions_tally_delta(int old_exists, int old_on_time, int old_zero, int new_on_time,
			      int new_zero, struct institutions_tally *d)
{
	memset(d, 0, sizeof *d);
	if (!old_exists) {
		d->received = 1;
		d->on_time = new_on_time ? 1 : 0;
		d->zero = new_zero ? 1 : 0;
		return;
	}
	(void)new_on_time; /* the first filing decides timeliness */
	(void)old_on_time;
	d->zero = (new_zero ? 1 : 0) - (old_zero ? 1 : 0);
}

int64_t institutions_open_days(int64_t opened_day, int64_t closed_day, int64_t from_day,
			       int64_t to_day)
{
	int64_t lo = opened_day > from_day ? opened_day : from_day;
	int64_t hi = to_day; /* inclusive */
	if (closed_day >= 0 && closed_day - 1 < hi)
		hi = closed_day - 1;
	return hi >= lo ? hi - lo + 1 : 0;
}
