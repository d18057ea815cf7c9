/* test_report.c — the assistance report, computed from payments: which payments count (paid
 * only: no drafts, no returned ones, re-issues in the month that paid them), persons distinct
 * over the range, per month, per program and over all programs, per county, and the scope.
 * Every expected figure is worked out by hand next to the check. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "assistance/assistance.h"
#include "payroll/payroll.h"
#include "regions/regions.h"
#include "report/report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static char V704[16], V705[16];

static struct assistance_entitlement fake[16];
static int nfake;

static int fake_source(struct db *db, const struct scope *scope, const char *month,
		       int (*fn)(const struct assistance_entitlement *ent, void *ctx), void *ctx,
		       struct err *e)
{
	(void)db;
	(void)month;
	(void)e;
	for (int i = 0; i < nfake; i++)
		if (scope_contains(scope, fake[i].region_code) && fn(&fake[i], ctx))
			break;
	return 0;
}

static void ent(int64_t case_id, const char *program, const char *unit, const char *village,
		int64_t fen, ...)
{
	struct assistance_entitlement *x = &fake[nfake++];
	memset(x, 0, sizeof *x);
	x->case_id = case_id;
	snprintf(x->program, sizeof x->program, "%s", program);
	x->household_id = 1000 + case_id;
	snprintf(x->region_code, sizeof x->region_code, "%s", village);
	snprintf(x->unit_code, sizeof x->unit_code, "%s", unit);
	x->amount_fen = fen;
	snprintf(x->payee_name, sizeof x->payee_name, "户主%lld", (long long)case_id);
	snprintf(x->bank_account, sizeof x->bank_account, "62280000%011lld", (long long)case_id);
	va_list ap;
	va_start(ap, fen);
	int64_t p;
	while ((p = va_arg(ap, int64_t)) != 0)
		x->person_ids[x->n_persons++] = p;
	va_end(ap);
	x->beneficiary_id = x->person_ids[0];
}

static void village_of(struct db *db, const char *unit, char out[16])
{
	struct err e;
	struct db_stmt *st = db_prepare(db, "SELECT code FROM regions WHERE level = 5 "
					    "AND unit_code = ? ORDER BY code LIMIT 1", &e);
	db_bind_text(st, 1, unit);
	if (db_step(st, &e) != 1)
		abort();
	snprintf(out, 16, "%s", db_col_text(st, 0));
	db_done(st);
}

static void must(int rc, const struct err *e, const char *what)
{
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", what, e->message);
		abort();
	}
}

static void run_and_confirm(struct db *db, const struct actor *a, const char *month,
			    const char *unit, int confirm)
{
	struct payroll_run_result r;
	struct err e;
	must(payroll_run_source(db, a, month, unit, fake_source, NULL, &r, &e), &e, "run");
	if (confirm)
		must(payroll_confirm(db, a, r.run_id, &e), &e, "confirm");
}

/* January, February (confirmed), March (a draft) — see the figures in the tests. */
static struct db *scenario(struct actor *city)
{
	struct db *db = testdb_open();
	struct err e;
	must(regions_load_builtin(db, &e), &e, "regions");
	village_of(db, "370704", V704);
	village_of(db, "370705", V705);
	*city = testactor_user(db, "city", "city_admin", "3707");

	/* January: 坊子区 a 低保 household {101,102,103} 600.00, 特困 201 1,541.00, 特困 101
	 * 500.00 (the same person 101 in two programs); 奎文区 特困 401 1,200.00 */
	nfake = 0;
	ent(1, "dibao", "370704", V704, 60000, (int64_t)101, (int64_t)102, (int64_t)103, (int64_t)0);
	ent(2, "tekun", "370704", V704, 154100, (int64_t)201, (int64_t)0);
	ent(5, "tekun", "370704", V704, 50000, (int64_t)101, (int64_t)0);
	ent(4, "tekun", "370705", V705, 120000, (int64_t)401, (int64_t)0);
	run_and_confirm(db, city, "2020-01", "370704", 1);
	run_and_confirm(db, city, "2020-01", "370705", 1);
	/* the bank returns 201's January payment */
	char csv[64], ref[24];
	payroll_reference(db_query_int(db, "SELECT id FROM payments WHERE case_id = 2", NULL), ref);
	snprintf(csv, sizeof csv, "%s,1541.00,销户\n", ref);
	struct payroll_returns_result rr;
	must(payroll_returns_import(db, city, csv, strlen(csv), &rr, &e), &e, "returns");

	/* February: the household is {101,102} 650.00, 201 1,541.00 (+ the re-issue of January's
	 * 1,541.00), 101 500.00, a new orphan 601 1,000.00; 奎文区 401 1,200.00 */
	nfake = 0;
	ent(1, "dibao", "370704", V704, 65000, (int64_t)101, (int64_t)102, (int64_t)0);
	ent(2, "tekun", "370704", V704, 154100, (int64_t)201, (int64_t)0);
	ent(5, "tekun", "370704", V704, 50000, (int64_t)101, (int64_t)0);
	ent(6, "orphan", "370704", V704, 100000, (int64_t)601, (int64_t)0);
	ent(4, "tekun", "370705", V705, 120000, (int64_t)401, (int64_t)0);
	run_and_confirm(db, city, "2020-02", "370704", 1);
	run_and_confirm(db, city, "2020-02", "370705", 1);

	/* March: a draft only — not money paid, not in the report */
	run_and_confirm(db, city, "2020-03", "370704", 0);
	return db;
}

static int64_t at(const struct report_assistance *r, int u, int m, int p, int what)
{
	const struct report_cell *c = report_cell_at(r, u, m, p);
	return what == 0 ? c->persons : what == 1 ? c->amount_fen : c->payments;
}

static int unit_idx(const struct report_assistance *r, const char *code)
{
	for (int i = 0; i < r->nunits; i++)
		if (!strcmp(r->units[i].code, code))
			return i;
	return -1;
}

enum { DIBAO, TEKUN, ORPHAN, CHILD, ALLP };
enum { PERSONS, AMOUNT, PAYMENTS };

TEST(over_the_range_persons_are_distinct_and_amounts_count_only_paid_payments)
{
	struct actor city;
	struct db *db = scenario(&city);
	struct report_assistance r;
	struct err e;
	CHECK_EQ_INT(report_assistance(db, &city, "2020-01", "2020-02", "", &r, &e), 0);
	int U = r.nunits, M = r.nmonths;
	CHECK_EQ_INT(M, 2);
	CHECK_EQ_INT(U, 16);
	/* 低保: persons {101,102,103} = 3; 600.00 + 650.00 */
	CHECK_EQ_INT(at(&r, U, M, DIBAO, PERSONS), 3);
	CHECK_EQ_INT(at(&r, U, M, DIBAO, AMOUNT), 125000);
	CHECK_EQ_INT(at(&r, U, M, DIBAO, PAYMENTS), 2);
	/* 特困: January 101 500.00, 401 1,200.00 (201's 1,541.00 returned: not counted);
	 * February 201 1,541.00, its re-issue 1,541.00, 101 500.00, 401 1,200.00;
	 * persons {101, 201, 401} = 3; 1,700.00 + 4,782.00 = 6,482.00 in 6 payments */
	CHECK_EQ_INT(at(&r, U, M, TEKUN, PERSONS), 3);
	CHECK_EQ_INT(at(&r, U, M, TEKUN, AMOUNT), 648200);
	CHECK_EQ_INT(at(&r, U, M, TEKUN, PAYMENTS), 6);
	CHECK_EQ_INT(at(&r, U, M, ORPHAN, PERSONS), 1);
	CHECK_EQ_INT(at(&r, U, M, ORPHAN, AMOUNT), 100000);
	CHECK_EQ_INT(at(&r, U, M, CHILD, PERSONS), 0);
	CHECK_EQ_INT(at(&r, U, M, CHILD, AMOUNT), 0);
	/* all programs: {101,102,103,201,401,601} = 6 (101 counted once though in two programs);
	 * 1,250.00 + 6,482.00 + 1,000.00 = 8,732.00 */
	CHECK_EQ_INT(at(&r, U, M, ALLP, PERSONS), 6);
	CHECK_EQ_INT(at(&r, U, M, ALLP, AMOUNT), 873200);
	CHECK_EQ_INT(at(&r, U, M, ALLP, PAYMENTS), 9);
	report_assistance_release(&r);
	db_close(db);
}

TEST(each_month_counts_its_own_persons_and_the_reissue_in_the_month_that_paid_it)
{
	struct actor city;
	struct db *db = scenario(&city);
	struct report_assistance r;
	struct err e;
	CHECK_EQ_INT(report_assistance(db, &city, "2020-01", "2020-02", "", &r, &e), 0);
	int U = r.nunits;
	CHECK_EQ_STR(r.months[0], "2020-01");
	CHECK_EQ_STR(r.months[1], "2020-02");
	/* January: 低保 3 persons 600.00; 特困 {101, 401} 1,700.00; all {101,102,103,401} */
	CHECK_EQ_INT(at(&r, U, 0, DIBAO, PERSONS), 3);
	CHECK_EQ_INT(at(&r, U, 0, DIBAO, AMOUNT), 60000);
	CHECK_EQ_INT(at(&r, U, 0, TEKUN, PERSONS), 2);
	CHECK_EQ_INT(at(&r, U, 0, TEKUN, AMOUNT), 170000);
	CHECK_EQ_INT(at(&r, U, 0, ALLP, PERSONS), 4);
	CHECK_EQ_INT(at(&r, U, 0, ALLP, AMOUNT), 230000);
	/* February: 低保 {101,102} 650.00; 特困 {201,101,401} 4,782.00 (re-issue included);
	 * 孤儿 1 1,000.00; all {101,102,201,401,601} = 5, 6,432.00 */
	CHECK_EQ_INT(at(&r, U, 1, DIBAO, PERSONS), 2);
	CHECK_EQ_INT(at(&r, U, 1, DIBAO, AMOUNT), 65000);
	CHECK_EQ_INT(at(&r, U, 1, TEKUN, PERSONS), 3);
	CHECK_EQ_INT(at(&r, U, 1, TEKUN, AMOUNT), 478200);
	CHECK_EQ_INT(at(&r, U, 1, ORPHAN, PERSONS), 1);
	CHECK_EQ_INT(at(&r, U, 1, ALLP, PERSONS), 5);
	CHECK_EQ_INT(at(&r, U, 1, ALLP, AMOUNT), 643200);
	/* months add up to the range in money (not in persons) */
	CHECK_EQ_INT(at(&r, U, 0, ALLP, AMOUNT) + at(&r, U, 1, ALLP, AMOUNT), 873200);
	report_assistance_release(&r);
	/* the March draft is not in a March report */
	CHECK_EQ_INT(report_assistance(db, &city, "2020-03", "2020-03", "", &r, &e), 0);
	CHECK_EQ_INT(at(&r, r.nunits, r.nmonths, ALLP, PAYMENTS), 0);
	report_assistance_release(&r);
	db_close(db);
}

TEST(per_county_figures_and_the_county_filter)
{
	struct actor city;
	struct db *db = scenario(&city);
	struct report_assistance r;
	struct err e;
	CHECK_EQ_INT(report_assistance(db, &city, "2020-01", "2020-02", "", &r, &e), 0);
	int fz = unit_idx(&r, "370704"), kw = unit_idx(&r, "370705"), M = r.nmonths;
	CHECK(fz >= 0 && kw >= 0);
	CHECK_EQ_STR(r.units[fz].name, "坊子区");
	/* 坊子区: 低保 3 / 1,250.00; 特困 {101,201} 500 + 1,541 + 500 + 1,541 = 4,082.00;
	 * 孤儿 1 / 1,000.00; all {101,102,103,201,601} = 5, 6,332.00 */
	CHECK_EQ_INT(at(&r, fz, M, DIBAO, PERSONS), 3);
	CHECK_EQ_INT(at(&r, fz, M, TEKUN, PERSONS), 2);
	CHECK_EQ_INT(at(&r, fz, M, TEKUN, AMOUNT), 408200);
	CHECK_EQ_INT(at(&r, fz, M, ALLP, PERSONS), 5);
	CHECK_EQ_INT(at(&r, fz, M, ALLP, AMOUNT), 633200);
	/* 坊子区 in February, 特困: {201, 101}, 1,541 + 500 + 1,541 = 3,582.00 */
	CHECK_EQ_INT(at(&r, fz, 1, TEKUN, PERSONS), 2);
	CHECK_EQ_INT(at(&r, fz, 1, TEKUN, AMOUNT), 358200);
	/* 奎文区: 401 twice */
	CHECK_EQ_INT(at(&r, kw, M, TEKUN, PERSONS), 1);
	CHECK_EQ_INT(at(&r, kw, M, TEKUN, AMOUNT), 240000);
	report_assistance_release(&r);
	/* --county 370704: one unit, the same figures */
	CHECK_EQ_INT(report_assistance(db, &city, "2020-01", "2020-02", "370704", &r, &e), 0);
	CHECK_EQ_INT(r.nunits, 1);
	CHECK_EQ_INT(at(&r, 1, r.nmonths, ALLP, AMOUNT), 633200);
	CHECK_EQ_INT(at(&r, 1, r.nmonths, ALLP, PERSONS), 5);
	report_assistance_release(&r);
	db_close(db);
}

TEST(the_json_has_the_documented_keys)
{
	struct actor city;
	struct db *db = scenario(&city);
	struct report_assistance r;
	struct err e;
	CHECK_EQ_INT(report_assistance(db, &city, "2020-01", "2020-02", "", &r, &e), 0);
	json_t *j = report_assistance_json(&r);
	json_t *p = json_object_get(j, "programs");
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(p, "dibao"), "persons")), 3);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(p, "dibao"), "amount_fen")),
		     125000);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(p, "tekun"), "persons")), 3);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(p, "tekun"), "amount_fen")),
		     648200);
	CHECK(json_object_get(p, "orphan") && json_object_get(p, "unsupported_child"));
	json_t *c = json_object_get(json_object_get(j, "counties"), "370704");
	CHECK_EQ_INT(json_integer_value(json_object_get(
			 json_object_get(json_object_get(c, "programs"), "tekun"), "persons")),
		     2);
	json_t *feb = json_object_get(json_object_get(c, "months"), "2020-02");
	CHECK_EQ_INT(json_integer_value(json_object_get(
			 json_object_get(json_object_get(feb, "programs"), "tekun"), "amount_fen")),
		     358200);
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(j, "total"), "persons")), 6);
	json_t *jan = json_object_get(json_object_get(j, "months"), "2020-01");
	CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(jan, "total"), "amount_fen")),
		     230000);
	CHECK_EQ_STR(json_string_value(json_array_get(json_object_get(j, "counted_statuses"), 0)),
		     "paid");
	json_decref(j);
	char *data;
	size_t len;
	CHECK_EQ_INT(report_assistance_xlsx(&r, &data, &len, &e), 0);
	CHECK(len > 1000 && memcmp(data, "PK\x03\x04", 4) == 0);
	CHECK(memmem(data, len, "xl/worksheets/sheet1.xml", 24) != NULL);
	free(data);
	report_assistance_release(&r);
	db_close(db);
}

TEST(a_county_sees_only_its_scope_a_township_its_villages_and_bad_input_is_400)
{
	struct actor city;
	struct db *db = scenario(&city);
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	char town[16];
	snprintf(town, 10, "%s", V704);
	struct actor t704 = testactor_user(db, "town704", "township_assistant", town);
	struct actor inst = testactor_user(db, "inst1", "institution_reporter", "370704");
	struct report_assistance r;
	struct err e;
	CHECK_EQ_INT(report_assistance(db, &c705, "2020-01", "2020-02", "", &r, &e), 0);
	CHECK_EQ_INT(unit_idx(&r, "370704"), -1);
	CHECK(unit_idx(&r, "370705") >= 0);
	CHECK_EQ_INT(at(&r, r.nunits, r.nmonths, ALLP, PERSONS), 1);
	CHECK_EQ_INT(at(&r, r.nunits, r.nmonths, ALLP, AMOUNT), 240000);
	report_assistance_release(&r);
	CHECK_EQ_INT(report_assistance(db, &c705, "2020-01", "2020-02", "370704", &r, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* the township holding every 坊子区 payment of the scenario */
	CHECK_EQ_INT(report_assistance(db, &t704, "2020-01", "2020-02", "", &r, &e), 0);
	CHECK_EQ_INT(r.nunits, 1);
	CHECK_EQ_INT(at(&r, 1, r.nmonths, ALLP, AMOUNT), 633200);
	report_assistance_release(&r);
	CHECK_EQ_INT(report_assistance(db, &inst, "2020-01", "2020-02", "", &r, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(report_assistance(db, &city, "2020-02", "2020-01", "", &r, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "to");
	CHECK_EQ_INT(report_assistance(db, &city, "2020-1", "2020-02", "", &r, &e), -1);
	CHECK_EQ_STR(e.field, "from");
	CHECK_EQ_INT(report_assistance(db, &city, "2000-01", "2020-02", "", &r, &e), -1);
	CHECK_EQ_STR(e.field, "to"); /* longer than 120 months */
	db_close(db);
}

UNIT_MAIN(over_the_range_persons_are_distinct_and_amounts_count_only_paid_payments,
	  each_month_counts_its_own_persons_and_the_reissue_in_the_month_that_paid_it,
	  per_county_figures_and_the_county_filter, the_json_has_the_documented_keys,
	  a_county_sees_only_its_scope_a_township_its_villages_and_bad_input_is_400)
