/* test_payroll.c — the monthly payroll: one payment per (program, case, month) whatever runs
 * it, recomputing a draft, confirmation locking it, atomicity when the computation fails half
 * way, the changes against last month, bank files, bank returns and their re-issue exactly once
 * in the next run, and scope.
 *
 * The entitlements come from a stand-in source (payroll_run_source) so every figure is chosen
 * by hand; one test at the end runs the real assistance_entitlements on cases made by SQL. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "assistance/assistance.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "regions/regions.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------------ */
/* fixtures                                                                                   */
/* ------------------------------------------------------------------------------------------ */

static char V704[16], V705[16]; /* a village of unit 370704 (坊子区), one of 370705 (奎文区) */

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	if (regions_load_builtin(db, &e) < 0)
		abort();
	struct db_stmt *st = db_prepare(db, "SELECT code FROM regions WHERE level = 5 "
					    "AND unit_code = ? ORDER BY code LIMIT 1", &e);
	db_bind_text(st, 1, "370704");
	if (db_step(st, &e) == 1)
		snprintf(V704, sizeof V704, "%s", db_col_text(st, 0));
	db_done(st);
	db_bind_text(st, 1, "370705");
	if (db_step(st, &e) == 1)
		snprintf(V705, sizeof V705, "%s", db_col_text(st, 0));
	db_done(st);
	if (!V704[0] || !V705[0])
		abort();
	return db;
}

/* The stand-in entitlement source: fake[0..nfake) in order, filtered by scope like the real one;
 * fail_after >= 0 makes it fail after delivering that many (a crash half way). */
static struct assistance_entitlement fake[32];
static int nfake, fail_after = -1;

static int fake_source(struct db *db, const struct scope *scope, const char *month,
		       int (*fn)(const struct assistance_entitlement *ent, void *ctx), void *ctx,
		       struct err *e)
{
	(void)db;
	(void)month;
	int delivered = 0;
	for (int i = 0; i < nfake; i++) {
		if (!scope_contains(scope, fake[i].region_code))
			continue;
		if (fail_after >= 0 && delivered == fail_after)
			return err_set(e, 500, "internal", NULL, "模拟故障");
		delivered++;
		if (fn(&fake[i], ctx))
			break;
	}
	return 0;
}

static void reset_fake(void)
{
	nfake = 0;
	fail_after = -1;
}

/* Add an entitlement: case, program, unit, village, amount, account, persons (0-terminated). */
static struct assistance_entitlement *ent(int64_t case_id, const char *program, const char *unit,
					  const char *village, int64_t fen, const char *account, ...)
{
	struct assistance_entitlement *x = &fake[nfake++];
	memset(x, 0, sizeof *x);
	x->case_id = case_id;
	snprintf(x->program, sizeof x->program, "%s", program);
	x->household_id = 1000 + case_id;
	snprintf(x->region_code, sizeof x->region_code, "%s", village);
	snprintf(x->unit_code, sizeof x->unit_code, "%s", unit);
	x->amount_fen = fen;
	snprintf(x->pay_status, sizeof x->pay_status, "active");
	snprintf(x->payee_name, sizeof x->payee_name, "户主%lld", (long long)case_id);
	snprintf(x->bank_name, sizeof x->bank_name, "潍坊农商银行");
	snprintf(x->bank_account, sizeof x->bank_account, "%s", account);
	va_list ap;
	va_start(ap, account);
	int64_t p;
	while ((p = va_arg(ap, int64_t)) != 0)
		x->person_ids[x->n_persons++] = p;
	va_end(ap);
	x->beneficiary_id = x->person_ids[0];
	return x;
}

static int run(struct db *db, const struct actor *a, const char *month, const char *unit,
	       struct payroll_run_result *r, struct err *e)
{
	struct payroll_run_result ignore;
	return payroll_run_source(db, a, month, unit, fake_source, NULL, r ? r : &ignore, e);
}

static int64_t q(struct db *db, const char *sql)
{
	return db_query_int(db, sql, NULL);
}

static int64_t q1(struct db *db, const char *sql, const char *param)
{
	return db_query_int(db, sql, param);
}

/* The standard three: a 低保 household of 3 (600.00), a 特困 person (1,541.00), an orphan
 * (1,000.00) in 坊子区, and a 特困 person in 奎文区 (1,200.00). */
static void three_and_one(void)
{
	reset_fake();
	ent(1, "dibao", "370704", V704, 60000, "6228480000000000011", (int64_t)101, (int64_t)102,
	    (int64_t)103, (int64_t)0);
	ent(2, "tekun", "370704", V704, 154100, "6228480000000000022", (int64_t)201, (int64_t)0);
	ent(3, "orphan", "370704", V704, 100000, "6228480000000000033", (int64_t)301, (int64_t)0);
	ent(4, "tekun", "370705", V705, 120000, "6228480000000000044", (int64_t)401, (int64_t)0);
}

/* ------------------------------------------------------------------------------------------ */
/* computing a run                                                                            */
/* ------------------------------------------------------------------------------------------ */

TEST(a_run_writes_one_payment_per_entitlement_of_its_unit_with_its_persons)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct err e;
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 3);
	CHECK_EQ_INT(r.n_persons, 5);            /* 3 + 1 + 1 */
	CHECK_EQ_INT(r.amount_fen, 314100);      /* 600.00 + 1,541.00 + 1,000.00 */
	CHECK_EQ_INT(r.recomputed, 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payment_persons"), 5);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'pending'"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE unit_code = '370705'"), 0);
	CHECK_EQ_INT(q(db, "SELECT n_persons FROM payments WHERE case_id = 1"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs WHERE status = 'draft'"), 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.run'"), 1);
	struct payroll_run_info info;
	CHECK_EQ_INT(payroll_run_get(db, &county, r.run_id, &info, &e), 0);
	CHECK_EQ_INT(info.programs[0].amount_fen, 60000);  /* dibao */
	CHECK_EQ_INT(info.programs[0].n_persons, 3);
	CHECK_EQ_INT(info.programs[1].amount_fen, 154100); /* tekun */
	CHECK_EQ_INT(info.programs[2].n_payments, 1);      /* orphan */
	CHECK_EQ_INT(info.programs[3].n_payments, 0);      /* unsupported_child */
	CHECK_EQ_STR(info.status, "draft");
	CHECK_EQ_STR(info.unit_name, "坊子区");
	db_close(db);
}

TEST(running_a_draft_again_recomputes_it_without_duplicates)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r1, r2;
	struct err e;
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r1, &e), 0);
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r2, &e), 0);
	CHECK_EQ_INT(r2.run_id, r1.run_id);
	CHECK_EQ_INT(r2.recomputed, 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payment_persons"), 5);
	CHECK_EQ_INT(q(db, "SELECT computations FROM payroll_runs"), 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_run_totals"), 4); /* one row per program */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.recompute'"), 1);
	db_close(db);
}

TEST(recomputing_a_draft_follows_changed_entitlements)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct err e;
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", NULL, &e), 0);
	fake[0].amount_fen = 65000; /* the household's amount went up by 50.00 */
	fake[2] = fake[3];          /* the orphan ended; the list is now dibao, tekun, 奎文 tekun */
	nfake = 3;
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 2);
	CHECK_EQ_INT(r.amount_fen, 65000 + 154100);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE case_id = 3"), 0);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM payments WHERE case_id = 1"), 65000);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM payroll_runs"), 219100);
	db_close(db);
}

TEST(the_same_program_case_and_month_is_never_paid_twice_even_by_another_unit)
{
	struct db *db = setup();
	struct actor city = testactor_user(db, "city", "city_admin", "3707");
	struct payroll_run_result r;
	struct err e;
	three_and_one();
	/* case 2 shows up again, as 奎文区's (a case moved between the two computations) */
	ent(2, "tekun", "370705", V705, 154100, "6228480000000000022", (int64_t)201, (int64_t)0);
	CHECK_EQ_INT(run(db, &city, "2020-03", "370704", NULL, &e), 0);
	CHECK_EQ_INT(run(db, &city, "2020-03", "370705", &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 1);
	CHECK_EQ_INT(r.n_skipped, 1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE case_id = 2"), 1);
	CHECK_EQ_INT(q(db, "SELECT n_skipped FROM payroll_runs WHERE unit_code = '370705'"), 1);
	/* and the index refuses it whoever writes */
	CHECK(db_exec(db, "INSERT INTO payments(run_id, program, case_id, beneficiary_id, "
			  "household_id, region_code, unit_code, month, amount_fen, n_persons) "
			  "SELECT run_id, program, case_id, beneficiary_id, household_id, region_code, "
			  "unit_code, month, amount_fen, n_persons FROM payments WHERE case_id = 2",
		      &e) < 0);
	CHECK_EQ_STR(e.code, "conflict");
	/* another month is another payment */
	CHECK_EQ_INT(run(db, &city, "2020-04", "370704", NULL, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE case_id = 2"), 2);
	db_close(db);
}

TEST(a_computation_that_fails_half_way_leaves_nothing_behind)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	three_and_one();
	fail_after = 2; /* two payments written, then the source fails: as if the process died */
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", NULL, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payment_persons"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action LIKE 'payroll.%'"), 0);
	/* a draft that fails to recompute keeps its previous figures */
	fail_after = -1;
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", NULL, &e), 0);
	fake[0].amount_fen = 99900;
	fail_after = 1;
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", NULL, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments"), 3);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM payments WHERE case_id = 1"), 60000);
	CHECK_EQ_INT(q(db, "SELECT computations FROM payroll_runs"), 1);
	db_close(db);
}

TEST(an_invalid_month_or_unknown_unit_is_refused_and_writes_nothing)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct err e;
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-13", "370704", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "month");
	CHECK_EQ_INT(run(db, &county, "2020-03", "999999", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs"), 0);
	db_close(db);
}

TEST(confirming_locks_the_run_and_marks_its_payments_paid)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct payroll_run_info info;
	struct err e;
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r, &e), 0);
	CHECK_EQ_INT(payroll_confirm(db, &county, r.run_id, &e), 0);
	CHECK_EQ_INT(payroll_run_get(db, &county, r.run_id, &info, &e), 0);
	CHECK_EQ_STR(info.status, "confirmed");
	CHECK_EQ_STR(info.confirmed_by, "c704");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'paid'"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.confirm'"), 1);
	/* locked: no recompute, no second confirmation, nothing changes */
	fake[0].amount_fen = 1;
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "run_confirmed");
	CHECK_EQ_INT(payroll_confirm(db, &county, r.run_id, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM payments WHERE case_id = 1"), 60000);
	CHECK_EQ_INT(q(db, "SELECT computations FROM payroll_runs"), 1);
	db_close(db);
}

struct collected {
	struct payroll_run_result r[64];
	int n;
};

static int collect(const struct payroll_run_result *r, void *ctx)
{
	struct collected *c = ctx;
	if (c->n < 64)
		c->r[c->n++] = *r;
	return 0;
}

TEST(a_whole_city_run_computes_every_unit_in_one_pass_and_leaves_confirmed_ones)
{
	struct db *db = setup();
	struct actor city = testactor_user(db, "city", "city_admin", "3707");
	struct err e;
	struct collected c = {.n = 0};
	three_and_one();
	CHECK_EQ_INT(run(db, &city, "2020-03", "370705", NULL, &e), 0);
	int64_t kw = q(db, "SELECT id FROM payroll_runs WHERE unit_code = '370705'");
	CHECK_EQ_INT(payroll_confirm(db, &city, kw, &e), 0);
	fake[3].amount_fen = 1; /* would change 奎文区 if it were recomputed */
	CHECK_EQ_INT(payroll_run_all_source(db, &city, "2020-03", fake_source, NULL, collect, &c, &e),
		     0);
	CHECK_EQ_INT(c.n, 16); /* every unit of the city has a result */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs WHERE month = '2020-03'"), 16);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments"), 4);
	CHECK_EQ_INT(q(db, "SELECT amount_fen FROM payments WHERE case_id = 4"), 120000);
	CHECK_EQ_INT(q(db, "SELECT n_payments FROM payroll_runs WHERE unit_code = '370704'"), 3);
	for (int i = 0; i < c.n; i++)
		if (strcmp(c.r[i].unit_code, "370705") == 0)
			CHECK_EQ_INT(c.r[i].confirmed, 1);
	/* all or nothing as well */
	fail_after = 1;
	CHECK_EQ_INT(payroll_run_all_source(db, &city, "2020-04", fake_source, NULL, NULL, NULL, &e),
		     -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payroll_runs WHERE month = '2020-04'"), 0);
	db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* changes against last month                                                                 */
/* ------------------------------------------------------------------------------------------ */

TEST(changes_against_last_month_list_new_ended_and_changed_amounts)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result feb, mar;
	struct payroll_changes ch;
	struct err e;
	/* February: A 100.00, B 200.00, C 300.00 (all 低保) */
	reset_fake();
	ent(11, "dibao", "370704", V704, 10000, "6001", (int64_t)1101, (int64_t)0);
	ent(12, "dibao", "370704", V704, 20000, "6002", (int64_t)1201, (int64_t)0);
	ent(13, "dibao", "370704", V704, 30000, "6003", (int64_t)1301, (int64_t)0);
	CHECK_EQ_INT(run(db, &county, "2020-02", "370704", &feb, &e), 0);
	/* with no January run, everything in February is new */
	CHECK_EQ_INT(payroll_run_changes(db, &county, feb.run_id, &ch, &e), 0);
	CHECK_EQ_INT(ch.has_previous, 0);
	CHECK_EQ_INT(ch.n_new[0], 3);
	CHECK_EQ_INT(ch.new_fen[0], 60000);
	payroll_changes_release(&ch);
	/* March: A unchanged, B 250.00, C ended, D 400.00 new (特困) */
	reset_fake();
	ent(11, "dibao", "370704", V704, 10000, "6001", (int64_t)1101, (int64_t)0);
	ent(12, "dibao", "370704", V704, 25000, "6002", (int64_t)1201, (int64_t)0);
	ent(14, "tekun", "370704", V704, 40000, "6004", (int64_t)1401, (int64_t)0);
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &mar, &e), 0);
	CHECK_EQ_INT(payroll_run_changes(db, &county, mar.run_id, &ch, &e), 0);
	CHECK_EQ_INT(ch.has_previous, 1);
	CHECK_EQ_INT(ch.previous_run_id, feb.run_id);
	CHECK_EQ_STR(ch.previous_month, "2020-02");
	CHECK_EQ_INT(ch.n_new[0], 0);
	CHECK_EQ_INT(ch.n_new[1], 1);            /* D, 特困 */
	CHECK_EQ_INT(ch.new_fen[1], 40000);
	CHECK_EQ_INT(ch.n_ended[0], 1);          /* C */
	CHECK_EQ_INT(ch.ended_fen[0], 30000);
	CHECK_EQ_INT(ch.n_changed[0], 1);        /* B */
	CHECK_EQ_INT(ch.changed_delta_fen[0], 5000); /* 250.00 − 200.00 */
	CHECK_EQ_INT(ch.n_items, 3);
	int seen = 0;
	for (int i = 0; i < ch.n_items; i++) {
		const struct payroll_change *x = &ch.items[i];
		if (!strcmp(x->kind, "new") && x->case_id == 14 && x->new_fen == 40000 && x->old_fen == 0 &&
		    !strcmp(x->account_masked, "****")) /* a 4-digit account: nothing shown */
			seen |= 1;
		if (!strcmp(x->kind, "ended") && x->case_id == 13 && x->old_fen == 30000 && x->new_fen == 0)
			seen |= 2;
		if (!strcmp(x->kind, "changed") && x->case_id == 12 && x->old_fen == 20000 &&
		    x->new_fen == 25000)
			seen |= 4;
	}
	CHECK_EQ_INT(seen, 7);
	payroll_changes_release(&ch);
	db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* bank files                                                                                 */
/* ------------------------------------------------------------------------------------------ */

/* Split CSV text (no quoted commas in these fixtures) into rows of fields. */
static int csv_rows(const char *data, size_t len, char rows[][8][64], int max)
{
	int n = 0, f = 0;
	size_t o = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	for (size_t i = 0; i < len && n < max; i++) {
		char ch = data[i];
		if (ch == '\r')
			continue;
		if (ch == ',' || ch == '\n') {
			rows[n][f][o] = '\0';
			o = 0;
			if (ch == '\n') {
				n++;
				f = 0;
			} else if (f < 7) {
				f++;
			}
			continue;
		}
		if (o + 1 < 64)
			rows[n][f][o++] = ch;
	}
	return n;
}

TEST(the_bank_file_of_a_confirmed_run_has_holder_account_yuan_and_reference)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct err e;
	char *data;
	size_t len;
	char name[128];
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r, &e), 0);
	/* a draft has no bank file */
	CHECK_EQ_INT(payroll_bank_file(db, &county, r.run_id, PAYROLL_CSV, &data, &len, name, &e), -1);
	CHECK_EQ_INT(e.status, 409);
	CHECK_EQ_STR(e.code, "run_not_confirmed");
	CHECK_EQ_INT(payroll_confirm(db, &county, r.run_id, &e), 0);
	CHECK_EQ_INT(payroll_bank_file(db, &county, r.run_id, PAYROLL_CSV, &data, &len, name, &e), 0);
	CHECK_EQ_STR(name, "代发_370704_2020-03.csv");
	CHECK(len > 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0);
	static char rows[8][8][64];
	int n = csv_rows(data, len, rows, 8);
	CHECK_EQ_INT(n, 4); /* header + 3 payments */
	CHECK_EQ_STR(rows[0][1], "户名");
	CHECK_EQ_STR(rows[0][2], "账号");
	CHECK_EQ_STR(rows[0][4], "金额（元）");
	CHECK_EQ_STR(rows[0][5], "业务编号");
	int64_t id1 = q(db, "SELECT id FROM payments WHERE case_id = 1");
	char ref[24];
	payroll_reference(id1, ref);
	CHECK_EQ_STR(rows[1][0], "1");
	CHECK_EQ_STR(rows[1][1], "户主1");
	CHECK_EQ_STR(rows[1][2], "6228480000000000011"); /* unmasked: the bank needs it */
	CHECK_EQ_STR(rows[1][4], "600.00");
	CHECK_EQ_STR(rows[1][5], ref);
	CHECK_EQ_STR(rows[1][6], "低保");
	CHECK_EQ_STR(rows[1][7], "2020-03");
	CHECK_EQ_STR(rows[2][4], "1541.00");
	CHECK_EQ_STR(rows[3][4], "1000.00");
	CHECK(strstr(data, "6228480000000000044") == NULL); /* 奎文区's payment is not in it */
	free(data);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.bank_file'"), 1);
	/* xlsx: a zip holding the worksheet */
	CHECK_EQ_INT(payroll_bank_file(db, &county, r.run_id, PAYROLL_XLSX, &data, &len, name, &e), 0);
	CHECK_EQ_STR(name, "代发_370704_2020-03.xlsx");
	CHECK(len > 1000 && memcmp(data, "PK\x03\x04", 4) == 0);
	CHECK(memmem(data, len, "xl/worksheets/sheet1.xml", 24) != NULL);
	free(data);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.bank_file'"), 2);
	db_close(db);
}

TEST(money_text_masks_and_references)
{
	char y[32], m[48], ref[24], next[8];
	payroll_yuan(154100, y);
	CHECK_EQ_STR(y, "1541.00");
	payroll_yuan(5, y);
	CHECK_EQ_STR(y, "0.05");
	payroll_yuan(-150, y);
	CHECK_EQ_STR(y, "-1.50");
	payroll_mask_account("6228480000000001234", m);
	CHECK_EQ_STR(m, "6228***********1234");
	payroll_mask_account("12345678", m);
	CHECK_EQ_STR(m, "****5678");
	payroll_mask_account("", m);
	CHECK_EQ_STR(m, "");
	payroll_reference(1234, ref);
	CHECK_EQ_STR(ref, "MZ0000001234");
	payroll_month_add("2020-01", -1, next);
	CHECK_EQ_STR(next, "2019-12");
	payroll_month_add("2020-12", 1, next);
	CHECK_EQ_STR(next, "2021-01");
	CHECK(payroll_month_valid("2020-02"));
	CHECK(!payroll_month_valid("2020-00"));
	CHECK(!payroll_month_valid("2020-2"));
	CHECK(!payroll_month_valid("20200-1"));
}

/* ------------------------------------------------------------------------------------------ */
/* bank returns and re-issues                                                                 */
/* ------------------------------------------------------------------------------------------ */

static int returns(struct db *db, const struct actor *a, const char *csv,
		   struct payroll_returns_result *r, struct err *e)
{
	return payroll_returns_import(db, a, csv, strlen(csv), r, e);
}

TEST(a_returned_payment_is_reissued_by_the_next_run_exactly_once)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result mar, apr, may;
	struct payroll_returns_result rr;
	struct err e;
	char csv[256], ref[24];
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &mar, &e), 0);
	CHECK_EQ_INT(payroll_confirm(db, &county, mar.run_id, &e), 0);
	int64_t p1 = q(db, "SELECT id FROM payments WHERE case_id = 1");
	payroll_reference(p1, ref);
	/* by reference (the 低保 household) and by account (the 特困 person) */
	snprintf(csv, sizeof csv,
		 "业务编号或账号,金额,原因\r\n%s,600.00,账户已销户\r\n6228480000000000022,1541,户名不符\r\n",
		 ref);
	CHECK_EQ_INT(returns(db, &county, csv, &rr, &e), 0);
	CHECK_EQ_INT(rr.lines, 2);
	CHECK_EQ_INT(rr.marked, 2);
	CHECK_EQ_INT(rr.amount_fen, 214100);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'failed'"), 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM bank_returns"), 2);
	/* the same file again changes nothing */
	CHECK_EQ_INT(returns(db, &county, csv, &rr, &e), 0);
	CHECK_EQ_INT(rr.marked, 0);
	CHECK_EQ_INT(rr.already, 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM bank_returns"), 2);

	/* April: the household's account was corrected in the meantime */
	snprintf(fake[0].bank_account, sizeof fake[0].bank_account, "6228480000000000099");
	CHECK_EQ_INT(run(db, &county, "2020-04", "370704", &apr, &e), 0);
	CHECK_EQ_INT(apr.n_payments, 3);
	CHECK_EQ_INT(apr.n_reissues, 2);
	CHECK_EQ_INT(apr.reissue_fen, 214100);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE reissue_of IS NOT NULL"), 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'reissued'"), 2);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT month || '/' || amount_fen || '/' || bank_account || '/' || "
				  "n_persons FROM payments WHERE reissue_of = %lld", (long long)p1);
	struct db_stmt *st = db_prepare(db, sql, &e);
	CHECK(st && db_step(st, &e) == 1);
	CHECK_EQ_STR(db_col_text(st, 0), "2020-03/60000/6228480000000000099/3");
	db_done(st);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payment_persons pp JOIN payments p "
			   "ON p.id = pp.payment_id WHERE p.reissue_of IS NOT NULL"), 4); /* 3 + 1 */
	/* recomputing April does not re-issue twice */
	CHECK_EQ_INT(run(db, &county, "2020-04", "370704", &apr, &e), 0);
	CHECK_EQ_INT(apr.n_reissues, 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE reissue_of IS NOT NULL"), 2);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'reissued'"), 2);
	CHECK_EQ_INT(payroll_confirm(db, &county, apr.run_id, &e), 0);
	/* May: nothing left to re-issue */
	CHECK_EQ_INT(run(db, &county, "2020-05", "370704", &may, &e), 0);
	CHECK_EQ_INT(may.n_reissues, 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE reissue_of IS NOT NULL"), 2);
	db_close(db);
}

TEST(a_reissue_that_fails_again_is_reissued_again_once)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct payroll_returns_result rr;
	struct err e;
	char csv[128], ref[24];
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r, &e), 0);
	CHECK_EQ_INT(payroll_confirm(db, &county, r.run_id, &e), 0);
	payroll_reference(q(db, "SELECT id FROM payments WHERE case_id = 3"), ref);
	snprintf(csv, sizeof csv, "%s,1000.00,账号错误\n", ref);
	CHECK_EQ_INT(returns(db, &county, csv, &rr, &e), 0);
	CHECK_EQ_INT(run(db, &county, "2020-04", "370704", &r, &e), 0);
	CHECK_EQ_INT(payroll_confirm(db, &county, r.run_id, &e), 0);
	payroll_reference(q(db, "SELECT id FROM payments WHERE case_id = 3 AND reissue_of IS NOT NULL"),
			  ref);
	snprintf(csv, sizeof csv, "%s,1000.00,仍然错误\n", ref);
	CHECK_EQ_INT(returns(db, &county, csv, &rr, &e), 0);
	CHECK_EQ_INT(rr.marked, 1);
	CHECK_EQ_INT(run(db, &county, "2020-05", "370704", &r, &e), 0);
	CHECK_EQ_INT(r.n_reissues, 1);
	/* three rows for case 3's March money: the original, its re-issue, the re-issue's */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE case_id = 3 AND month = '2020-03'"), 3);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE case_id = 3 AND month = '2020-03' "
			   "AND status IN ('pending','paid')"), 1);
	db_close(db);
}

TEST(a_return_file_with_one_bad_line_changes_nothing)
{
	struct db *db = setup();
	struct actor county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct payroll_returns_result rr;
	struct err e;
	char csv[256], ref1[24], ref2[24];
	three_and_one();
	CHECK_EQ_INT(run(db, &county, "2020-03", "370704", &r, &e), 0);
	payroll_reference(q(db, "SELECT id FROM payments WHERE case_id = 1"), ref1);
	payroll_reference(q(db, "SELECT id FROM payments WHERE case_id = 2"), ref2);
	/* a draft's payment cannot be returned */
	snprintf(csv, sizeof csv, "%s,600.00,x\n", ref1);
	CHECK_EQ_INT(returns(db, &county, csv, &rr, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_return");
	CHECK_EQ_INT(payroll_confirm(db, &county, r.run_id, &e), 0);
	/* line 3 has the wrong amount: line 2 is not applied either */
	snprintf(csv, sizeof csv, "reference,amount,reason\n%s,600.00,x\n%s,1541.01,y\n", ref1, ref2);
	CHECK_EQ_INT(returns(db, &county, csv, &rr, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.code, "invalid_return");
	CHECK_EQ_STR(e.field, "lines[3]");
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'failed'"), 0);
	/* unknown reference, unknown account, bad amount, empty file */
	CHECK_EQ_INT(returns(db, &county, "MZ0000099999,1.00,x\n", &rr, &e), -1);
	CHECK_EQ_STR(e.field, "lines[1]");
	CHECK_EQ_INT(returns(db, &county, "6228000000000000000,600.00,x\n", &rr, &e), -1);
	CHECK_EQ_INT(returns(db, &county, "MZ0000000001,abc,x\n", &rr, &e), -1);
	CHECK_EQ_INT(returns(db, &county, "\n\n", &rr, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'failed'"), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM audit_log WHERE action = 'payroll.returns'"), 0);
	db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* scope                                                                                      */
/* ------------------------------------------------------------------------------------------ */

static int count_run(const struct payroll_run_info *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

TEST(another_county_gets_404_for_every_run_operation_and_a_township_403)
{
	struct db *db = setup();
	struct actor c704 = testactor_user(db, "c704", "county_staff", "370704");
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	struct actor town = testactor_user(db, "town1", "township_assistant", "370704003");
	struct payroll_run_result r;
	struct payroll_run_info info;
	struct payroll_changes ch;
	struct payroll_returns_result rr;
	struct err e;
	char *data = NULL, name[128], csv[64], ref[24];
	size_t len;
	three_and_one();
	CHECK_EQ_INT(run(db, &c704, "2020-03", "370704", &r, &e), 0);
	CHECK_EQ_INT(run(db, &c705, "2020-03", "370704", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(payroll_run_get(db, &c705, r.run_id, &info, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(payroll_run_changes(db, &c705, r.run_id, &ch, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(payroll_confirm(db, &c705, r.run_id, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(payroll_confirm(db, &c704, r.run_id, &e), 0);
	CHECK_EQ_INT(payroll_bank_file(db, &c705, r.run_id, PAYROLL_CSV, &data, &len, name, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK(data == NULL);
	payroll_reference(q(db, "SELECT id FROM payments WHERE case_id = 2"), ref);
	snprintf(csv, sizeof csv, "%s,1541.00,x\n", ref);
	CHECK_EQ_INT(returns(db, &c705, csv, &rr, &e), -1); /* not found in its scope */
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'failed'"), 0);
	int n = 0;
	CHECK_EQ_INT(payroll_run_list(db, &c705, "", "", count_run, &n, &e), 0);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(payroll_run_list(db, &c704, "", "", count_run, &n, &e), 0);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(payroll_run_list(db, &c705, "", "370704", count_run, &n, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* a township has no payroll permission at all */
	CHECK_EQ_INT(run(db, &town, "2020-03", "370704", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(payroll_run_get(db, &town, r.run_id, &info, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	char units[64][16];
	int nu;
	CHECK_EQ_INT(payroll_units(db, &c705, units, 64, &nu, &e), 0);
	CHECK_EQ_INT(nu, 1);
	CHECK_EQ_STR(units[0], "370705");
	db_close(db);
}

TEST(a_county_cannot_act_for_the_zone_whose_townships_its_code_covers)
{
	struct db *db = setup();
	struct actor c705 = testactor_user(db, "c705", "county_staff", "370705");
	struct actor z790 = testactor_user(db, "z790", "county_staff", "370790");
	struct payroll_run_result r;
	struct payroll_returns_result rr;
	struct err e;
	char v790[16] = "", csv[64], ref[24];
	struct db_stmt *st = db_prepare(db, "SELECT code FROM regions WHERE level = 5 "
					    "AND unit_code = '370790' AND code LIKE '370705%' LIMIT 1", &e);
	if (db_step(st, &e) == 1)
		snprintf(v790, sizeof v790, "%s", db_col_text(st, 0));
	db_done(st);
	CHECK(v790[0] != '\0'); /* 高新区 manages townships whose codes lie under 奎文区's 370705 */
	reset_fake();
	ent(9, "tekun", "370790", v790, 120000, "6228480000000000099", (int64_t)901, (int64_t)0);
	CHECK_EQ_INT(run(db, &c705, "2020-03", "370790", NULL, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	/* 奎文区's own run passes over the zone's case; the zone pays it */
	CHECK_EQ_INT(run(db, &c705, "2020-03", "370705", &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 0);
	CHECK_EQ_INT(run(db, &z790, "2020-03", "370790", &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 1);
	CHECK_EQ_INT(payroll_confirm(db, &c705, r.run_id, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	CHECK_EQ_INT(payroll_confirm(db, &z790, r.run_id, &e), 0);
	payroll_reference(q(db, "SELECT id FROM payments WHERE case_id = 9"), ref);
	snprintf(csv, sizeof csv, "%s,1200.00,x\n", ref);
	CHECK_EQ_INT(returns(db, &c705, csv, &rr, &e), -1);
	CHECK_EQ_INT(returns(db, &c705, "6228480000000000099,1200.00,x\n", &rr, &e), -1);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE status = 'failed'"), 0);
	CHECK_EQ_INT(returns(db, &z790, csv, &rr, &e), 0);
	CHECK_EQ_INT(rr.marked, 1);
	db_close(db);
}

/* ------------------------------------------------------------------------------------------ */
/* with the real entitlements                                                                 */
/* ------------------------------------------------------------------------------------------ */

TEST(the_real_entitlements_of_cases_made_by_sql_are_paid_once)
{
	struct db *db = setup();
	struct actor sys, county = testactor_user(db, "c704", "county_staff", "370704");
	struct payroll_run_result r;
	struct err e;
	actor_system(&sys);
	CHECK_EQ_INT(policy_load_demo_defaults(db, &sys, &e), 0);
	char sql[2400];
	/* one household, its head on the 特困 roll (scattered, self-care), active from 2020-01 */
	snprintf(sql, sizeof sql,
		 "INSERT INTO households(id, region_code, residence_type, head_person_id, created_at, "
		 "updated_at) VALUES (7, '%s', 'rural', 70, 'x', 'x');"
		 "INSERT INTO persons(id, household_id, region_code, id_number, id_rev, name, relation, "
		 "sex, birth_date, created_at, updated_at) VALUES (70, 7, '%s', '11010519491231002X', "
		 "'X20013219491501011', '张老汉', 'head', 'male', '1940-02-02', 'x', 'x');"
		 "INSERT INTO assistance_cases(id, program, household_id, person_id, region_code, "
		 "unit_code, residence_type, status, applied_at, start_month, support_form, bank_name, "
		 "bank_account, created_at, updated_at) VALUES (77, 'tekun', 7, 70, '%s', '370704', "
		 "'rural', 'active', '2019-12-01', '2020-01', 'scattered', '潍坊农商银行', "
		 "'6228000000000000777', 'x', 'x');",
		 V704, V704, V704);
	CHECK_EQ_INT(db_exec(db, sql, &e), 0);
	CHECK_EQ_INT(payroll_run(db, &county, "2020-03", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 1);
	CHECK(r.amount_fen > 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments WHERE case_id = 77 AND program = 'tekun' "
			   "AND beneficiary_id = 70 AND bank_account = '6228000000000000777'"), 1);
	CHECK_EQ_INT(q(db, "SELECT person_id FROM payment_persons"), 70);
	CHECK_EQ_INT(payroll_run(db, &county, "2020-03", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(q(db, "SELECT count(*) FROM payments"), 1);
	/* not before the case started */
	CHECK_EQ_INT(payroll_run(db, &county, "2019-12", "370704", NULL, &r, &e), 0);
	CHECK_EQ_INT(r.n_payments, 0);
	(void)q1;
	db_close(db);
}

UNIT_MAIN(a_run_writes_one_payment_per_entitlement_of_its_unit_with_its_persons,
	  running_a_draft_again_recomputes_it_without_duplicates,
	  recomputing_a_draft_follows_changed_entitlements,
	  the_same_program_case_and_month_is_never_paid_twice_even_by_another_unit,
	  a_computation_that_fails_half_way_leaves_nothing_behind,
	  an_invalid_month_or_unknown_unit_is_refused_and_writes_nothing,
	  confirming_locks_the_run_and_marks_its_payments_paid,
	  a_whole_city_run_computes_every_unit_in_one_pass_and_leaves_confirmed_ones,
	  changes_against_last_month_list_new_ended_and_changed_amounts,
	  the_bank_file_of_a_confirmed_run_has_holder_account_yuan_and_reference,
	  money_text_masks_and_references,
	  a_returned_payment_is_reissued_by_the_next_run_exactly_once,
	  a_reissue_that_fails_again_is_reissued_again_once,
	  a_return_file_with_one_bad_line_changes_nothing,
	  another_county_gets_404_for_every_run_operation_and_a_township_403,
	  a_county_cannot_act_for_the_zone_whose_townships_its_code_covers,
	  the_real_entitlements_of_cases_made_by_sql_are_paid_once)
