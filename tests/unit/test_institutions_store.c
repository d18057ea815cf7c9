/* test_institutions_store.c — the institutions module against a fresh database: who may file
 * for which institution, deadlines from the policy per unit and type, late reports accepted and
 * marked, zero reports carrying the previous headcounts, corrections keeping every version,
 * completeness and timeliness with institutions opening and closing mid-period (and the
 * incremental counters equal to a recount), alerts from raise to close, chasing and the call list
 * before and after the deadline, the period report's figures, scope, and the audit chain.
 *
 * Every time of day is given (`at`), so nothing depends on when the test runs. The deadline in
 * force is the demo policy's 10:00 unless a test sets another. */
#include "unit.h"
#include "testdb.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "institutions/institutions.h"
#include "policy/policy.h"
#include "regions/regions.h"

#include <stdlib.h>
#include <string.h>

#define BIT(f) (1u << (f))
#define T370704 "370704003" /* 凤凰街道, 坊子区 (managed by the county itself) */
#define T370705 "370705001"

static struct actor sys;

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	actor_system(&sys);
	if (regions_load_builtin(db, &e) < 0 || policy_load_demo_defaults(db, &sys, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	return db;
}

static struct actor user(struct db *db, const char *name, const char *role, const char *region)
{
	struct actor a;
	struct err e;
	static char hash[128];
	if (!hash[0] && accounts_password_hash("password-123", hash, &e) < 0)
		abort();
	if (accounts_user_add_hashed(db, &sys, name, role, region, hash, &e) < 0) {
		fprintf(stderr, "user %s: %s\n", name, e.message);
		abort();
	}
	int64_t id = db_query_int(db, "SELECT id FROM users WHERE username = ?", name);
	if (accounts_actor_for_user(db, id, &a, &e) < 0)
		abort();
	return a;
}

/* An institution by the system actor; aborts on error. */
static int64_t inst(struct db *db, const char *name, const char *type, const char *region,
		    const char *opened, const char *closed, const char *cm_from, int64_t residents,
		    int64_t staff)
{
	struct institution_in in;
	struct err e;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.has = INST_HAS_NAME | INST_HAS_TYPE | INST_HAS_REGION | INST_HAS_OPENED |
		 INST_HAS_CLOSED | INST_HAS_CM_FROM | INST_HAS_RESIDENTS | INST_HAS_STAFF;
	snprintf(in.name, sizeof in.name, "%s", name);
	snprintf(in.type, sizeof in.type, "%s", type);
	snprintf(in.region_code, sizeof in.region_code, "%s", region);
	snprintf(in.opened_on, sizeof in.opened_on, "%s", opened);
	snprintf(in.closed_on, sizeof in.closed_on, "%s", closed);
	snprintf(in.cm_from, sizeof in.cm_from, "%s", cm_from);
	in.residents = residents;
	in.staff = staff;
	if (institutions_create(db, &sys, &in, &id, &e) < 0) {
		fprintf(stderr, "inst %s: %s\n", name, e.message);
		abort();
	}
	return id;
}

static char at_buf[8][32];
static int at_i;
/* "2020-03-DDTHH:MM:SS+08:00" for day DD of March 2020. */
static const char *at(int day, int h, int m)
{
	char *b = at_buf[at_i++ % 8];
	snprintf(b, 32, "2020-03-%02dT%02d:%02d:00+08:00", day, h, m);
	return b;
}

static const char *date(int day)
{
	static char b[8][11];
	static int i;
	char *d = b[i++ % 8];
	snprintf(d, 11, "2020-03-%02d", day);
	return d;
}

/* File a report: kind zero (residents < 0: no confirmation) or daily with the given counts. */
static int file(struct db *db, const struct actor *a, int64_t id, const char *day, const char *kind,
		const char *when, int64_t residents, int64_t staff, int64_t fever, const char *reason,
		struct institutions_file_result *out, struct err *e)
{
	struct institutions_report_in in;
	struct institutions_file_result ignore;
	memset(&in, 0, sizeof in);
	snprintf(in.report_date, sizeof in.report_date, "%s", day);
	snprintf(in.kind, sizeof in.kind, "%s", kind);
	snprintf(in.reason, sizeof in.reason, "%s", reason ? reason : "");
	in.at = when;
	if (strcmp(kind, "daily") == 0) {
		int64_t v[INSTITUTIONS_NFIELDS] = {residents, staff, 0, 0, residents + staff, fever, 0, 0, 0, 0, 20};
		memcpy(in.v, v, sizeof v);
		in.present = (1u << INSTITUTIONS_NFIELDS) - 1;
	} else if (residents >= 0) {
		in.v[INST_RESIDENTS] = residents;
		in.v[INST_STAFF] = staff;
		in.present = BIT(INST_RESIDENTS) | BIT(INST_STAFF);
	}
	return institutions_report_file(db, a, id, &in, out ? out : &ignore, e);
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static int64_t q1(struct db *db, const char *sql, const char *p)
{
	return db_query_int(db, sql, p);
}

/* ------------------------------------------------------------------------------------------ */

TEST(registering_checks_input_and_scope_and_writes_nothing_on_error)
{
	struct db *db = setup();
	struct actor county = user(db, "c704", "county_staff", "370704");
	struct actor town = user(db, "t704", "township_assistant", T370704);
	struct institution_in in;
	struct err e;
	int64_t id;
	memset(&in, 0, sizeof in);
	in.has = INST_HAS_NAME | INST_HAS_TYPE | INST_HAS_REGION;
	snprintf(in.type, sizeof in.type, "elderly_home");
	snprintf(in.region_code, sizeof in.region_code, T370704);
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1); /* no name */
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_STR(e.field, "name");
	snprintf(in.name, sizeof in.name, "太保庄街道敬老院");
	snprintf(in.type, sizeof in.type, "nursing_home");
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "type");
	snprintf(in.type, sizeof in.type, "elderly_home");
	snprintf(in.region_code, sizeof in.region_code, "370799");
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_region");
	snprintf(in.region_code, sizeof in.region_code, T370705); /* another county */
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_STR(e.code, "out_of_scope");
	snprintf(in.region_code, sizeof in.region_code, T370704);
	in.has |= INST_HAS_CAPACITY | INST_HAS_RESIDENTS;
	in.capacity = 50;
	in.residents = 51;
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "residents");
	in.residents = 50;
	in.has |= INST_HAS_OPENED | INST_HAS_CLOSED;
	snprintf(in.opened_on, sizeof in.opened_on, "2020-03-01");
	snprintf(in.closed_on, sizeof in.closed_on, "2020-03-01");
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1);
	CHECK_EQ_STR(e.field, "closed_on");
	in.closed_on[0] = '\0';
	in.has |= INST_HAS_CONTACT_PHONE;
	snprintf(in.contact_phone, sizeof in.contact_phone, "12345");
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_phone");
	CHECK_EQ_INT(institutions_create(db, &town, &in, &id, &e), -1); /* a township may not */
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM institutions"), 0);
	snprintf(in.contact_phone, sizeof in.contact_phone, "0536 8123456");
	CHECK_EQ_INT(institutions_create(db, &county, &in, &id, &e), 0);
	struct institution m;
	CHECK_EQ_INT(institutions_get(db, &town, id, 0, &m, &e), 0);
	CHECK_EQ_STR(m.unit_code, "370704");
	CHECK_EQ_STR(m.area_code, T370704);
	CHECK_EQ_STR(m.contact_phone, "0536-*****56"); /* masked */
	CHECK_EQ_INT(institutions_get(db, &town, id, 1, &m, &e), 0); /* townships may unmask */
	CHECK_EQ_STR(m.contact_phone, "0536-8123456");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'institution.unmask'"), 1);
	db_close(db);
}

TEST(a_reporter_files_for_their_own_institution_only)
{
	struct db *db = setup();
	struct actor county = user(db, "c704", "county_staff", "370704");
	struct actor other_county = user(db, "c705", "county_staff", "370705");
	struct actor town = user(db, "t704", "township_assistant", T370704);
	struct actor rep = user(db, "rep704", "institution_reporter", "370704");
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 80, 20);
	int64_t b = inst(db, "乙敬老院", "elderly_home", T370704, "2019-01-01", "", "", 50, 10);
	int64_t c = inst(db, "丙敬老院", "elderly_home", T370705, "2019-01-01", "", "", 50, 10);
	struct err e;
	struct institutions_file_result r;
	CHECK_EQ_INT(institutions_attach(db, &county, a, "c705", &e), -1); /* not a reporter role */
	CHECK_EQ_STR(e.field, "username");
	CHECK_EQ_INT(institutions_attach(db, &sys, c, "rep704", &e), -1); /* outside its scope */
	CHECK_EQ_INT(institutions_attach(db, &other_county, a, "rep704", &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(institutions_attach(db, &county, a, "rep704", &e), 0);
	CHECK_EQ_INT(file(db, &rep, a, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, &r, &e), 0);
	CHECK(!r.report.on_behalf);
	CHECK_EQ_STR(r.report.submitted_by, "rep704");
	CHECK_EQ_INT(file(db, &rep, b, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403); /* in its region, not its institution */
	CHECK_EQ_INT(file(db, &rep, c, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404); /* outside its region: not revealed */
	CHECK_EQ_INT(file(db, &town, b, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403); /* a township reads, does not file */
	CHECK_EQ_INT(file(db, &other_county, b, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(file(db, &county, b, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, &r, &e), 0);
	CHECK(r.report.on_behalf); /* 代报 */
	/* the reporter's page */
	struct institutions_today *t = calloc(1, sizeof *t);
	CHECK_EQ_INT(institutions_today(db, &rep, 0, date(2), at(2, 9, 0), t, &e), 0);
	CHECK_EQ_INT(t->inst.id, a);
	CHECK_EQ_STR(t->day_status, "due");
	CHECK_EQ_STR(t->carry_from, date(1));
	CHECK_EQ_INT(institutions_today(db, &county, 0, date(2), at(2, 9, 0), t, &e), -1);
	CHECK_EQ_STR(e.code, "not_attached");
	free(t);
	db_close(db);
}

TEST(deadline_comes_from_the_policy_per_unit_and_late_reports_are_accepted)
{
	struct db *db = setup();
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 80, 20);
	int64_t b = inst(db, "乙敬老院", "elderly_home", T370705, "2019-01-01", "", "", 50, 10);
	int64_t m = inst(db, "坊子区婚姻登记处", "marriage_office", "370704", "2019-01-01", "", "", 0, 6);
	struct err e;
	struct institutions_file_result r;
	/* the demo's 10:00: on time at 10:00:00, late a second later */
	CHECK_EQ_INT(file(db, &sys, a, date(1), "zero", "2020-03-01T10:00:00+08:00", -1, 0, 0, NULL, &r, &e), 0);
	CHECK(r.report.on_time);
	CHECK_EQ_STR(r.report.deadline_at, "2020-03-01T10:00:00+08:00");
	CHECK_EQ_INT(file(db, &sys, b, date(1), "zero", "2020-03-01T10:00:01+08:00", -1, 0, 0, NULL, &r, &e), 0);
	CHECK(!r.report.on_time);
	/* 坊子区 sets 09:00 for elderly homes from March 2020 (a row as if set then) */
	CHECK_EQ_INT(db_exec(db, "INSERT INTO policy_params(unit_code, residence_type, key, value, "
				 "effective_from, note, set_by, set_at) VALUES ('370704', 'all', "
				 "'institution_deadline_elderly_home', 540, '2020-03', '', 'test', "
				 "'2020-02-20T00:00:00+08:00')", &e), 0);
	CHECK_EQ_INT(file(db, &sys, a, date(2), "zero", at(2, 9, 30), -1, 0, 0, NULL, &r, &e), 0);
	CHECK(!r.report.on_time); /* late by 坊子区's 09:00 */
	CHECK_EQ_INT(file(db, &sys, b, date(2), "zero", at(2, 9, 30), -1, 0, 0, NULL, &r, &e), 0);
	CHECK(r.report.on_time); /* 奎文区 keeps the city's 10:00 */
	CHECK_EQ_INT(file(db, &sys, m, date(2), "zero", at(2, 9, 30), -1, 0, 0, NULL, &r, &e), 0);
	CHECK(r.report.on_time); /* other types keep theirs */
	/* a report days later is still accepted, and late */
	CHECK_EQ_INT(file(db, &sys, a, date(3), "zero", at(6, 8, 0), -1, 0, 0, NULL, &r, &e), 0);
	CHECK(!r.report.on_time);
	/* never for a day not yet come */
	CHECK_EQ_INT(file(db, &sys, a, date(7), "zero", at(6, 8, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.field, "report_date");
	db_close(db);
}

TEST(a_zero_report_carries_the_previous_headcounts)
{
	struct db *db = setup();
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 80, 20);
	struct err e;
	struct institutions_file_result r;
	/* the first report is a zero report: the registry's 80 and 20 */
	CHECK_EQ_INT(file(db, &sys, a, date(1), "zero", at(1, 8, 0), -1, 0, 0, NULL, &r, &e), 0);
	CHECK_EQ_INT(r.report.v[INST_RESIDENTS], 80);
	CHECK_EQ_INT(r.report.v[INST_STAFF], 20);
	CHECK_EQ_INT(r.report.v[INST_CHECKS], 100);
	CHECK(!(r.report.present & BIT(INST_GOODS_DAYS)));
	CHECK_EQ_INT(file(db, &sys, a, date(2), "daily", at(2, 8, 0), 79, 20, 0, NULL, &r, &e), 0);
	CHECK_EQ_INT(file(db, &sys, a, date(3), "zero", at(3, 8, 0), 80, 20, 0, NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "carry_changed"); /* the page showed 80, yesterday said 79 */
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(file(db, &sys, a, date(3), "zero", at(3, 8, 0), 79, 20, 0, NULL, &r, &e), 0);
	CHECK_EQ_STR(r.report.kind, "zero");
	CHECK_EQ_INT(r.report.v[INST_RESIDENTS], 79);
	CHECK_EQ_INT(r.report.v[INST_CHECKS], 99);
	CHECK_EQ_INT(r.report.v[INST_GOODS_DAYS], 20); /* carried from the daily report */
	CHECK_EQ_INT(r.report.v[INST_FEVER], 0);
	/* a late report for an earlier day carries from before it, not from after */
	CHECK_EQ_INT(file(db, &sys, a, "2020-02-28", "zero", at(3, 9, 0), -1, 0, 0, NULL, &r, &e), 0);
	CHECK_EQ_INT(r.report.v[INST_RESIDENTS], 80);
	db_close(db);
}

TEST(a_correction_keeps_every_version_and_the_first_filings_timeliness)
{
	struct db *db = setup();
	struct actor rep = user(db, "rep704", "institution_reporter", "370704");
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "2020-01-24", 80, 20);
	struct err e;
	struct institutions_file_result r;
	CHECK_EQ_INT(institutions_attach(db, &sys, a, "rep704", &e), 0);
	CHECK_EQ_INT(file(db, &rep, a, date(1), "zero", at(1, 9, 0), -1, 0, 0, NULL, &r, &e), 0);
	CHECK_EQ_INT(q1(db, "SELECT zero FROM inst_report_stats WHERE report_date = ?", date(1)), 1);
	/* a second filing without a reason changes nothing */
	CHECK_EQ_INT(file(db, &rep, a, date(1), "daily", at(1, 15, 0), 80, 20, 1, NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "report_exists");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inst_report_versions"), 1);
	CHECK_EQ_INT(file(db, &rep, a, date(1), "daily", at(1, 15, 0), 80, 20, 1, "下午复测发现发热", &r, &e), 0);
	CHECK(!r.created);
	CHECK_EQ_INT(r.report.version, 2);
	CHECK(r.report.on_time); /* still the 09:00 filing */
	CHECK_EQ_STR(r.report.submitted_at, at(1, 9, 0));
	CHECK_EQ_STR(r.report.updated_at, at(1, 15, 0));
	CHECK_EQ_INT(r.n_alerts, 1);
	struct institutions_report cur;
	struct institutions_version *vs;
	int nv;
	CHECK_EQ_INT(institutions_report_get(db, &rep, a, date(1), &cur, &vs, &nv, &e), 0);
	CHECK_EQ_INT(nv, 2);
	if (nv == 2) {
		CHECK_EQ_STR(vs[0].kind, "zero");
		CHECK_EQ_STR(vs[0].by, "rep704");
		CHECK_EQ_STR(vs[1].reason, "下午复测发现发热");
		CHECK_EQ_STR(vs[1].at, at(1, 15, 0));
		CHECK(strstr(vs[1].changes, "\"fever\":[0,1]") != NULL);
		CHECK(strstr(vs[1].changes, "\"kind\":[\"zero\",\"daily\"]") != NULL);
	}
	free(vs);
	/* the day's counters: still one report, on time, no longer a zero report */
	CHECK_EQ_INT(q1(db, "SELECT received FROM inst_report_stats WHERE report_date = ?", date(1)), 1);
	CHECK_EQ_INT(q1(db, "SELECT on_time FROM inst_report_stats WHERE report_date = ?", date(1)), 1);
	CHECK_EQ_INT(q1(db, "SELECT zero FROM inst_report_stats WHERE report_date = ?", date(1)), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'institution.correct'"), 1);
	db_close(db);
}

/* The counters equal a recount from the reports (the incremental upkeep never drifts). */
static void check_counters(struct db *db)
{
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM (SELECT r.report_date, i.area_code, i.type, count(*) AS n, "
			   "sum(r.on_time) AS t, sum(r.kind = 'zero') AS z FROM inst_reports r JOIN "
			   "institutions i ON i.id = r.institution_id GROUP BY 1, 2, 3) x "
			   "FULL JOIN inst_report_stats s ON s.report_date = x.report_date AND "
			   "s.area_code = x.area_code AND s.type = x.type "
			   "WHERE x.n IS NOT s.received OR x.t IS NOT s.on_time OR x.z IS NOT s.zero"),
		     0);
}

TEST(completeness_and_timeliness_with_institutions_opening_and_closing_mid_period)
{
	struct db *db = setup();
	struct actor county = user(db, "c704", "county_staff", "370704");
	/* A opens 03-03; B closes 03-04 (not open that day); C all along. 03-01..03-05:
	 * expected A 3 (03, 04, 05) + B 3 (01, 02, 03) + C 5 = 11 */
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2020-03-03", "", "", 30, 5);
	int64_t b = inst(db, "乙敬老院", "elderly_home", T370704, "2019-01-01", "2020-03-04", "", 30, 5);
	int64_t c = inst(db, "丙救助站", "rescue_station", "370704", "2019-01-01", "", "", 10, 5);
	struct err e;
	for (int d = 1; d <= 5; d++) /* C: every day, on time; a zero report but on day 3 */
		CHECK_EQ_INT(file(db, &sys, c, date(d), d == 3 ? "daily" : "zero", at(d, 9, 0), 10, 5, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, a, date(3), "zero", at(3, 11, 0), -1, 0, 0, NULL, NULL, &e), 0); /* late */
	CHECK_EQ_INT(file(db, &sys, a, date(4), "zero", at(4, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, b, date(1), "zero", at(1, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	/* not open: before A opened, on and after B closed */
	CHECK_EQ_INT(file(db, &sys, a, date(2), "zero", at(2, 9, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "institution_not_open");
	CHECK_EQ_INT(file(db, &sys, b, date(4), "zero", at(4, 9, 0), -1, 0, 0, NULL, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "institution_not_open");
	check_counters(db);

	struct institutions_period *p = calloc(1, sizeof *p);
	CHECK_EQ_INT(institutions_period_report(db, &county, date(1), date(5), "", p, &e), 0);
	CHECK_EQ_INT(p->reports.expected, 11);
	CHECK_EQ_INT(p->reports.received, 8);  /* C 5 + A 2 + B 1 */
	CHECK_EQ_INT(p->reports.on_time, 7);   /* all but A's 03-03 */
	CHECK_EQ_INT(p->reports.zero, 7);      /* all but C's 03-03 */
	CHECK_EQ_INT(institutions_rate_bp(p->reports.received, p->reports.expected), 7272); /* 8/11 */
	CHECK_EQ_INT(institutions_rate_bp(p->reports.on_time, p->reports.expected), 6363);  /* 7/11 */
	CHECK_EQ_INT(p->nunits, 1);
	CHECK_EQ_INT(p->units[0].t.expected, 11);
	free(p);

	/* the dashboard's 03-04 at 11:00: A and C expected (B closed), both in, no trend above 100 % */
	struct institutions_dashboard *d = calloc(1, sizeof *d);
	CHECK_EQ_INT(institutions_dashboard(db, &county, date(4), 4, at(4, 11, 0), d, &e), 0);
	CHECK_EQ_INT(d->total.t.expected, 2);
	CHECK_EQ_INT(d->total.t.received, 2);
	CHECK_EQ_INT(d->total.overdue, 0);
	CHECK_EQ_STR(d->trend_from, date(1)); /* 4 days ending 03-04 */
	static const int64_t want_expected[4] = {2, 2, 3, 2}; /* B+C, B+C, A+B+C, A+C */
	static const int64_t want_received[4] = {2, 1, 2, 2};
	for (int i = 0; i < 4; i++) {
		CHECK_EQ_INT(d->trend[i].expected, want_expected[i]);
		CHECK_EQ_INT(d->trend[i].received, want_received[i]);
		CHECK(d->trend[i].received <= d->trend[i].expected);
	}
	free(d);
	db_close(db);
}

TEST(dates_cannot_move_past_a_filed_report)
{
	struct db *db = setup();
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 30, 5);
	struct err e;
	CHECK_EQ_INT(file(db, &sys, a, date(2), "zero", at(2, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, a, date(5), "zero", at(5, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	struct institution_in in;
	memset(&in, 0, sizeof in);
	in.has = INST_HAS_OPENED;
	snprintf(in.opened_on, sizeof in.opened_on, "2020-03-03");
	CHECK_EQ_INT(institutions_update(db, &sys, a, &in, &e), -1);
	CHECK_EQ_STR(e.code, "reports_outside_period");
	in.has = INST_HAS_CLOSED;
	snprintf(in.closed_on, sizeof in.closed_on, "2020-03-05");
	CHECK_EQ_INT(institutions_update(db, &sys, a, &in, &e), -1);
	CHECK_EQ_STR(e.code, "reports_outside_period");
	snprintf(in.closed_on, sizeof in.closed_on, "2020-03-06"); /* the day after the last report */
	CHECK_EQ_INT(institutions_update(db, &sys, a, &in, &e), 0);
	in.has = INST_HAS_REGION;
	snprintf(in.region_code, sizeof in.region_code, T370705);
	CHECK_EQ_INT(institutions_update(db, &sys, a, &in, &e), -1);
	CHECK_EQ_STR(e.field, "region_code");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM institutions WHERE closed_on = '2020-03-06' "
			   "AND region_code = '" T370704 "'"), 1);
	db_close(db);
}

static int count_alert(const struct institutions_alert *al, void *ctx)
{
	(void)al;
	(*(int *)ctx)++;
	return 0;
}

TEST(alerts_are_raised_and_must_be_acknowledged_then_closed_with_an_action)
{
	struct db *db = setup();
	struct actor county = user(db, "c704", "county_staff", "370704");
	struct actor other = user(db, "c705", "county_staff", "370705");
	struct actor town = user(db, "t704", "township_assistant", T370704);
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "2020-01-24", 80, 20);
	int64_t open_home = inst(db, "乙敬老院", "elderly_home", T370704, "2019-01-01", "", "", 80, 20);
	struct err e;
	struct institutions_file_result r;
	CHECK_EQ_INT(file(db, &sys, a, date(1), "daily", at(1, 8, 0), 80, 20, 1, NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_alerts, 1);
	CHECK_EQ_STR(r.alert_kind[0], "health");
	int64_t health = r.alert_id[0];
	/* closed management: one resident fewer than yesterday is a movement */
	CHECK_EQ_INT(file(db, &sys, a, date(2), "daily", at(2, 8, 0), 79, 20, 0, NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_alerts, 1);
	CHECK_EQ_STR(r.alert_kind[0], "movement");
	/* not under closed management: the same change raises nothing */
	CHECK_EQ_INT(file(db, &sys, open_home, date(2), "daily", at(2, 8, 0), 79, 20, 0, NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_alerts, 0);
	/* a correction of the fever day raises no second alert of the same kind */
	CHECK_EQ_INT(file(db, &sys, a, date(1), "daily", at(1, 12, 0), 80, 20, 2, "两人发热", &r, &e), 0);
	CHECK_EQ_INT(r.n_alerts, 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inst_alerts"), 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM inst_alerts WHERE summary = '发热 2 人'"), 1); /* open: updated */

	CHECK_EQ_INT(institutions_alert_close(db, &county, health, "已处置", at(1, 9, 0), &e), -1);
	CHECK_EQ_STR(e.code, "alert_state");
	CHECK_EQ_INT(institutions_alert_ack(db, &town, health, "", at(1, 9, 0), &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(institutions_alert_ack(db, &other, health, "", at(1, 9, 0), &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(institutions_alert_ack(db, &county, health, "已电话核实", at(1, 9, 0), &e), 0);
	CHECK_EQ_INT(institutions_alert_close(db, &county, health, "", at(2, 9, 0), &e), -1);
	CHECK_EQ_STR(e.code, "required");
	CHECK_EQ_INT(institutions_alert_close(db, &county, health, "复测正常，解除观察", at(2, 9, 0), &e), 0);
	struct institutions_alert al;
	CHECK_EQ_INT(institutions_alert_get(db, &town, health, &al, &e), 0);
	CHECK_EQ_STR(al.status, "closed");
	CHECK_EQ_STR(al.ack_by, "c704");
	CHECK_EQ_STR(al.action, "复测正常，解除观察");
	struct institutions_alert_filter f;
	memset(&f, 0, sizeof f);
	snprintf(f.status, sizeof f.status, "active");
	int n = 0;
	CHECK_EQ_INT(institutions_alerts_list(db, &town, &f, count_alert, &n, &e), 0);
	CHECK_EQ_INT(n, 1); /* the movement alert */
	n = 0;
	CHECK_EQ_INT(institutions_alerts_list(db, &other, &f, count_alert, &n, &e), 0);
	CHECK_EQ_INT(n, 0); /* another county sees none */
	db_close(db);
}

struct calls {
	int n, overdue, escalated;
	int64_t first;
};

static int count_call(const struct institutions_call *c, void *ctx)
{
	struct calls *x = ctx;
	if (!x->n)
		x->first = c->inst.id;
	x->n++;
	x->overdue += strcmp(c->status, "overdue") == 0;
	x->escalated += c->escalated;
	return 0;
}

TEST(the_call_list_turns_overdue_at_the_deadline_and_logs_chasing)
{
	struct db *db = setup();
	struct actor county = user(db, "c704", "county_staff", "370704");
	struct actor town = user(db, "t704", "township_assistant", T370704);
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 30, 5);
	int64_t b = inst(db, "乙敬老院", "elderly_home", T370704, "2019-01-01", "", "", 30, 5);
	struct err e;
	struct calls x = {0};
	CHECK_EQ_INT(institutions_calls(db, &county, date(5), "", 0, at(5, 9, 30), count_call, &x, &e), 0);
	CHECK_EQ_INT(x.n, 2);
	CHECK_EQ_INT(x.overdue, 0); /* 09:30: still due */
	memset(&x, 0, sizeof x);
	CHECK_EQ_INT(institutions_calls(db, &county, date(5), "", 0, at(5, 10, 5), count_call, &x, &e), 0);
	CHECK_EQ_INT(x.overdue, 2); /* 10:05 */
	struct institutions_chase_in ch;
	int64_t cid;
	memset(&ch, 0, sizeof ch);
	snprintf(ch.report_date, sizeof ch.report_date, "%s", date(5));
	snprintf(ch.method, sizeof ch.method, "phone");
	snprintf(ch.outcome, sizeof ch.outcome, "no_answer");
	ch.escalate = 1;
	ch.at = at(5, 10, 10);
	CHECK_EQ_INT(institutions_chase_add(db, &town, b, &ch, &cid, &e), -1); /* townships read */
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(institutions_chase_add(db, &county, b, &ch, &cid, &e), 0);
	snprintf(ch.method, sizeof ch.method, "fax");
	CHECK_EQ_INT(institutions_chase_add(db, &county, b, &ch, &cid, &e), -1);
	CHECK_EQ_STR(e.field, "method");
	memset(&x, 0, sizeof x);
	CHECK_EQ_INT(institutions_calls(db, &town, date(5), "", 0, at(5, 10, 15), count_call, &x, &e), 0);
	CHECK_EQ_INT(x.escalated, 1);
	CHECK_EQ_INT(x.first, b); /* escalated first */
	struct institutions_dashboard *d = calloc(1, sizeof *d);
	CHECK_EQ_INT(institutions_dashboard(db, &county, date(5), 1, at(5, 10, 15), d, &e), 0);
	CHECK_EQ_INT(d->total.escalated, 1);
	CHECK_EQ_INT(d->total.overdue, 2);
	/* once in, off the list; chasing a report that is in is refused */
	CHECK_EQ_INT(file(db, &sys, a, date(5), "zero", at(5, 10, 20), -1, 0, 0, NULL, NULL, &e), 0);
	memset(&x, 0, sizeof x);
	CHECK_EQ_INT(institutions_calls(db, &county, date(5), "", 0, at(5, 10, 25), count_call, &x, &e), 0);
	CHECK_EQ_INT(x.n, 1);
	snprintf(ch.method, sizeof ch.method, "sms");
	CHECK_EQ_INT(institutions_chase_add(db, &county, a, &ch, &cid, &e), -1);
	CHECK_EQ_STR(e.code, "already_reported");
	CHECK_EQ_INT(institutions_dashboard(db, &county, date(5), 1, at(5, 10, 25), d, &e), 0);
	CHECK_EQ_INT(d->total.t.received, 1);
	CHECK_EQ_INT(d->total.t.on_time, 0);
	CHECK_EQ_INT(d->total.overdue, 1);
	free(d);
	/* the future cannot be chased */
	snprintf(ch.report_date, sizeof ch.report_date, "%s", date(6));
	CHECK_EQ_INT(institutions_chase_add(db, &county, b, &ch, &cid, &e), -1);
	CHECK_EQ_STR(e.field, "report_date");
	db_close(db);
}

TEST(the_period_report_counts_reporters_last_headcounts_and_confirmed_cases)
{
	struct db *db = setup();
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 80, 20);
	int64_t b = inst(db, "乙敬老院", "elderly_home", T370705, "2019-01-01", "", "", 50, 10);
	inst(db, "丙敬老院", "elderly_home", T370705, "2019-01-01", "", "", 40, 8); /* never reports */
	int64_t w = inst(db, "福利院", "children_welfare_home", "370705", "2019-01-01", "", "", 108, 120);
	struct err e;
	struct institutions_report_in in;
	struct institutions_file_result r;
	CHECK_EQ_INT(file(db, &sys, a, date(1), "daily", at(1, 9, 0), 80, 20, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, a, date(2), "daily", at(2, 9, 0), 78, 19, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, b, date(1), "zero", at(1, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	/* two confirmed cases in b on 03-02 */
	memset(&in, 0, sizeof in);
	snprintf(in.report_date, sizeof in.report_date, "%s", date(2));
	snprintf(in.kind, sizeof in.kind, "daily");
	int64_t v[INSTITUTIONS_NFIELDS] = {50, 10, 0, 0, 60, 2, 0, 2, 2, 0, 10};
	memcpy(in.v, v, sizeof v);
	in.present = (1u << INSTITUTIONS_NFIELDS) - 1;
	in.at = at(2, 9, 0);
	CHECK_EQ_INT(institutions_report_file(db, &sys, b, &in, &r, &e), 0);
	CHECK_EQ_INT(file(db, &sys, w, date(2), "daily", at(2, 9, 0), 108, 53, 0, NULL, NULL, &e), 0);
	struct institutions_period *p = calloc(1, sizeof *p);
	CHECK_EQ_INT(institutions_period_report(db, &sys, date(1), date(3), "", p, &e), 0);
	CHECK_EQ_INT(p->types[0].count, 2);       /* a and b reported; c did not */
	CHECK_EQ_INT(p->types[0].registered, 3);
	CHECK_EQ_INT(p->types[0].residents, 128); /* a's last 78 + b's last 50 */
	CHECK_EQ_INT(p->types[0].staff, 29);      /* 19 + 10 */
	CHECK_EQ_INT(p->types[0].infections, 2);
	CHECK_EQ_INT(p->types[1].staff, 53);      /* on site, not the 120 registered */
	CHECK_EQ_INT(p->alerts_health, 1);
	/* one unit narrows; a bad range is refused */
	CHECK_EQ_INT(institutions_period_report(db, &sys, date(1), date(3), "370704", p, &e), 0);
	CHECK_EQ_INT(p->types[0].count, 1);
	CHECK_EQ_INT(p->types[0].residents, 78);
	CHECK_EQ_INT(institutions_period_report(db, &sys, date(3), date(1), "", p, &e), -1);
	CHECK_EQ_STR(e.field, "to");
	CHECK_EQ_INT(institutions_period_report(db, &sys, "2020-01-01", "2021-03-01", "", p, &e), -1);
	json_t *j = NULL;
	CHECK_EQ_INT(institutions_period_report(db, &sys, date(1), date(3), "", p, &e), 0);
	j = institutions_period_json(p);
	CHECK(j != NULL);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(json_object_get(j, "institutions"),
									  "elderly_home"), "residents")), 128);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(j, "reports"), "expected")), 12);
	json_decref(j);
	free(p);
	db_close(db);
}

static int count_row(const struct institutions_row *r, void *ctx)
{
	struct calls *x = ctx;
	x->n++;
	x->overdue += strncmp(r->inst.region_code, T370704, 9) != 0; /* anything outside */
	return 0;
}

TEST(lists_and_figures_stay_inside_the_scope_and_the_audit_chain_holds)
{
	struct db *db = setup();
	struct actor town = user(db, "t704", "township_assistant", T370704);
	struct actor leader = user(db, "lead", "leader", "3707");
	int64_t a = inst(db, "甲敬老院", "elderly_home", T370704, "2019-01-01", "", "", 30, 5);
	int64_t b = inst(db, "乙敬老院", "elderly_home", "370704004", "2019-01-01", "", "", 30, 5);
	int64_t c = inst(db, "丙敬老院", "elderly_home", T370705, "2019-01-01", "", "", 30, 5);
	struct err e;
	CHECK_EQ_INT(file(db, &sys, a, date(1), "zero", at(1, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, b, date(1), "zero", at(1, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	CHECK_EQ_INT(file(db, &sys, c, date(1), "zero", at(1, 9, 0), -1, 0, 0, NULL, NULL, &e), 0);
	struct institutions_filter f;
	memset(&f, 0, sizeof f);
	snprintf(f.date, sizeof f.date, "%s", date(1));
	f.at = at(1, 12, 0);
	struct calls x = {0};
	CHECK_EQ_INT(institutions_list(db, &town, &f, count_row, &x, &e), 0);
	CHECK_EQ_INT(x.n, 1);
	CHECK_EQ_INT(x.overdue, 0);
	snprintf(f.unit, sizeof f.unit, "370705");
	CHECK_EQ_INT(institutions_list(db, &town, &f, count_row, &x, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	struct institution m;
	CHECK_EQ_INT(institutions_get(db, &town, c, 0, &m, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(institutions_get(db, &leader, c, 1, &m, &e), -1); /* leaders may not unmask */
	CHECK_EQ_INT(e.status, 403);
	struct institutions_period *p = calloc(1, sizeof *p);
	CHECK_EQ_INT(institutions_period_report(db, &town, date(1), date(1), "", p, &e), 0);
	CHECK_EQ_INT(p->reports.expected, 1);
	CHECK_EQ_INT(p->reports.received, 1);
	CHECK_EQ_INT(institutions_period_report(db, &leader, date(1), date(1), "", p, &e), 0);
	CHECK_EQ_INT(p->reports.received, 3);
	free(p);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'institution.report'"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'institution.create'"), 3);
	int64_t rows, bad;
	char why[200];
	CHECK_EQ_INT(audit_verify(db, &rows, &bad, why, sizeof why, &e), 0);
	db_close(db);
}

UNIT_MAIN(registering_checks_input_and_scope_and_writes_nothing_on_error,
	  a_reporter_files_for_their_own_institution_only,
	  deadline_comes_from_the_policy_per_unit_and_late_reports_are_accepted,
	  a_zero_report_carries_the_previous_headcounts,
	  a_correction_keeps_every_version_and_the_first_filings_timeliness,
	  completeness_and_timeliness_with_institutions_opening_and_closing_mid_period,
	  dates_cannot_move_past_a_filed_report,
	  alerts_are_raised_and_must_be_acknowledged_then_closed_with_an_action,
	  the_call_list_turns_overdue_at_the_deadline_and_logs_chasing,
	  the_period_report_counts_reporters_last_headcounts_and_confirmed_cases,
	  lists_and_figures_stay_inside_the_scope_and_the_audit_chain_holds)
