/* fuzz_dates_money.c — libFuzzer target for the date, time and money parsers of outside input.
 *
 * The input (as a NUL-terminated string) goes to every public date check — calendar, hotline,
 * rescue, institutions, inspections, ledger, price — the month checks (payroll, policy, price,
 * assistance), the time parsers (hotline, rescue, duty, marriage) and marriage opening hours;
 * its first 8 bytes as a double, and its text through strtod, go to import_excel_date; and the
 * raw bytes go to payroll_returns_import as a bank return file, whose amount column is read by
 * parse_yuan (static in payroll/payroll_bank.c, so reached through its public caller on an
 * in-memory database with no payments: every line is refused or skipped, nothing is written).
 * The yuan parsers of the command line (parse_yuan in cmd/relief.c, parse_percent in
 * cmd/price.c) are static and read only the operator's arguments; they are not fuzzed here.
 *
 * Invariants: the "YYYY-MM-DD, 1900–2999" checks agree with calendar_date_valid (inspections,
 * 1900–9999, accepts a superset); an accepted date survives days→date; the YYYY-MM checks agree;
 * a parsed time formats and re-parses to the same instant; an Excel serial gives a valid date. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assistance/assistance_rules.h"
#include "calendar/calendar.h"
#include "db/db.h"
#include "db/migrate.h"
#include "duty/duty.h"
#include "hotline/hotline_rules.h"
#include "import/import.h"
#include "inspections/inspections.h"
#include "institutions/institutions.h"
#include "ledger/ledger.h"
#include "marriage/marriage.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "price/price.h"
#include "rescue/rescue_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;

static void require(int ok, const char *what, const char *input)
{
	if (!ok) {
		fprintf(stderr, "fuzz_dates_money: invariant broken: %s (input \"%s\")\n", what, input);
		abort();
	}
}

static void check_dates(const char *z)
{
	int cal = calendar_date_valid(z);
	require(hotline_date_valid(z) == cal, "hotline_date_valid agrees", z);
	require(rescue_date_valid(z) == cal, "rescue_date_valid agrees", z);
	require(institutions_date_valid(z) == cal, "institutions_date_valid agrees", z);
	require(price_date_valid(z) == cal, "price_date_valid agrees", z);
	require(!cal || inspections_date_valid(z), "inspections_date_valid accepts the calendar's", z);
	(void)ledger_date_valid(z);
	if (cal) {
		char back[11];
		calendar_date_from_days(calendar_days_from_date(z), back);
		require(strcmp(back, z) == 0, "days round trip", z);
		int wd = calendar_weekday(z);
		require(wd >= 1 && wd <= 7, "weekday", z);
		char later[11];
		calendar_add_days(z, 400, later);
		require(strlen(later) == 10, "add days", z);
	}
}

static void check_months(const char *z)
{
	int pay = payroll_month_valid(z);
	require(policy_month_valid(z) == pay, "policy_month_valid agrees", z);
	require(price_month_valid(z) == pay, "price_month_valid agrees", z);
	int m = -1;
	if (assistance_month_parse(z, &m) == 0)
		require(assistance_month_valid(m), "assistance month in range", z);
	if (pay)
		require(assistance_month_parse(z, &m) == 0, "assistance accepts a payroll month", z);
}

static void check_times(const char *z)
{
	int64_t t, again;
	char buf[RESCUE_TIME_SZ > 32 ? RESCUE_TIME_SZ : 32];
	if (hotline_time_parse(z, &t) == 0) {
		hotline_time_format(t, buf);
		require(hotline_time_parse(buf, &again) == 0 && again == t, "hotline time round trip", z);
	}
	if (rescue_time_parse(z, &t) == 0) {
		rescue_time_format(t, buf);
		require(rescue_time_parse(buf, &again) == 0 && again == t, "rescue time round trip", z);
		char day[RESCUE_DATE_SZ];
		rescue_time_date(t, day);
	}
	if (duty_time_parse(z, &t) == 0) {
		char dbuf[DUTY_TIME_SZ];
		duty_time_format(t, dbuf);
		require(duty_time_parse(dbuf, &again) == 0 && again == t, "duty time round trip", z);
	}
	int mt = marriage_time_parse(z);
	if (mt >= 0) {
		char hm[6];
		marriage_time_str(mt, hm);
		require(mt <= 24 * 60 && marriage_time_parse(hm) == mt, "marriage time round trip", z);
	}
	struct marriage_week w;
	struct err e;
	err_clear(&e);
	if (marriage_hours_parse(z, &w, &e) == 0) {
		for (int d = 0; d < 7; d++) {
			require(w.n[d] >= 0 && w.n[d] <= MARRIAGE_MAX_RANGES, "ranges per day", z);
			for (int i = 0; i < w.n[d]; i++)
				require(w.r[d][i].from < w.r[d][i].to, "ranges ordered", z);
			int slots[256];
			int n = marriage_day_slots(&w, d + 1, 30, slots, 256);
			require(n >= 0 && n <= 256, "slot count", z);
		}
	} else {
		require(e.status == 400, "marriage hours error", z);
	}
}

static void check_excel(double serial, const char *z)
{
	char out[11];
	memset(out, 'Z', sizeof out);
	if (import_excel_date(serial, out) == 0)
		require(inspections_date_valid(out), "Excel serial gives a real date", z);
}

static void check_returns(const char *csv, size_t len)
{
	struct actor sys;
	struct payroll_returns_result r;
	struct err e;
	actor_system(&sys);
	err_clear(&e);
	if (payroll_returns_import(db, &sys, csv, len, &r, &e) == 0)
		require(r.marked == 0 && r.amount_fen == 0, "no payments to mark", "(returns)");
	else
		require(e.status >= 400 && e.status <= 500 && e.message[0], "returns error",
			"(returns)");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!db) {
		struct err e;
		if (db_open(&db, ":memory:", &e) < 0 || db_migrate(db, &e) < 0) {
			fprintf(stderr, "fuzz setup: %s\n", e.message);
			abort();
		}
	}
	if (size > 4096)
		return 0;
	char *z = malloc(size + 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';

	check_dates(z);
	check_months(z);
	check_times(z);
	(void)import_is_sci_notation(z);

	double d;
	if (size >= sizeof d) {
		memcpy(&d, data, sizeof d);
		check_excel(d, z);
	}
	check_excel(strtod(z, NULL), z);

	check_returns((const char *)data, size);
	/* The input as the amount of a line naming a payment by reference. */
	size_t nl = strcspn(z, "\n");
	char *line = malloc(nl + 32);
	if (line) {
		int n = snprintf(line, nl + 32, "MZ0000000001,%.*s,退回\n", (int)nl, z);
		check_returns(line, (size_t)n);
		free(line);
	}
	free(z);
	return 0;
}
