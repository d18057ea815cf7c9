/* test_import_kinds.c — the import kinds besides households (institutions, ledger, assistance rolls), against a fresh
 * database: accepted rows, a rejected row with the column at fault and its reason, duplicates
 * in the file and in the database, a region outside the importer's scope, and the same file
 * again (everything skipped, nothing written). */
#include "unit.h"
#include "testdb.h"

#include <stdlib.h>

#include "import/import.h"
#include "policy/policy.h"
#include "regions/regions.h"

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

static int run_kind(struct db *db, const struct actor *a, const char *kind, const char *csv,
		    int dry, struct import_result *r, struct err *e)
{
	struct import_opts o = {.dry_run = dry};
	return import_run(db, a, kind, csv, strlen(csv), &o, r, e);
}

static int run(struct db *db, const struct actor *a, const char *csv, int dry,
	       struct import_result *r, struct err *e)
{
	return run_kind(db, a, "institutions", csv, dry, r, e);
}

static int64_t institutions(struct db *db)
{
	return db_query_int(db, "SELECT count(*) FROM institutions", NULL);
}

/* code names as the header, Chinese labels and codes for the type */
#define INST_HDR "name,type,region_code,capacity,residents,staff,contact_phone,opened_on\n"
#define INST_A "甲敬老院,养老机构,370702001001,100,80,20,13800000001,2015-06-01\n"
#define INST_B "乙救助站,rescue_station,370702001,,,,,2016-01-01\n"

TEST(institutions_accepted_rows_are_created)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run(db, &sys, INST_HDR INST_A INST_B, 1, &r, &e), 0);
	CHECK_EQ_INT(r.rows, 2);
	CHECK_EQ_INT(r.accepted, 2);
	CHECK_EQ_INT(r.rejected, 0);
	CHECK_EQ_INT(institutions(db), 0); /* a dry run writes nothing */
	import_result_release(&r);
	CHECK_EQ_INT(run(db, &sys, INST_HDR INST_A INST_B, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 2);
	import_result_release(&r);
	CHECK_EQ_INT(institutions(db), 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT residents FROM institutions WHERE name = '甲敬老院'", NULL),
		     80);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'institution.create'",
				  NULL),
		     2);
	db_close(db);
}

TEST(institutions_rejected_row_names_cell_and_reason)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	/* Chinese header; residents 90 > capacity 50 (the module's rule), then a bad count */
	const char *csv = "机构名称,机构类型,区划代码,床位数,在院人数\n"
			  "丙敬老院,养老机构,370702001001,50,90\n"
			  "丁敬老院,养老机构,370702001001,五十,\n"
			  "戊站,未知类型,370702001001,,\n";
	CHECK_EQ_INT(run(db, &sys, csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 3);
	CHECK_EQ_INT(r.rejects[0].col, 4);
	CHECK(strstr(r.rejects[0].reason, "在院人数") != NULL);
	CHECK_EQ_INT(r.table.rows[r.rejects[0].row].line, 2);
	CHECK_EQ_INT(r.rejects[1].col, 3);
	CHECK(strstr(r.rejects[1].reason, "床位数应为整数") != NULL);
	CHECK_EQ_INT(r.rejects[2].col, 1);
	CHECK(strstr(r.rejects[2].reason, "机构类型") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(institutions(db), 0);
	db_close(db);
}

TEST(institutions_duplicate_in_file_and_in_database)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run(db, &sys, INST_HDR INST_A, 0, &r, &e), 0);
	import_result_release(&r);
	/* A again (in the database: skipped), B twice (the second rejected) */
	CHECK_EQ_INT(run(db, &sys, INST_HDR INST_A INST_B INST_B, 0, &r, &e), 0);
	CHECK_EQ_INT(r.skipped, 1);
	CHECK_EQ_INT(r.accepted, 1);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK_EQ_INT(r.table.rows[r.rejects[0].row].line, 4);
	CHECK(strstr(r.rejects[0].reason, "与第 3 行重复") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(institutions(db), 2);
	db_close(db);
}

TEST(institutions_region_outside_scope_is_rejected)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	struct actor t = sys;
	t.scope.n = 1;
	snprintf(t.scope.prefix[0], sizeof t.scope.prefix[0], "370702002");
	CHECK_EQ_INT(run(db, &t, INST_HDR INST_A, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK_EQ_INT(r.rejects[0].col, 2);
	CHECK(strstr(r.rejects[0].reason, "管辖范围") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(institutions(db), 0);
	db_close(db);
}

TEST(institutions_same_file_again_changes_nothing)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run(db, &sys, INST_HDR INST_A INST_B, 0, &r, &e), 0);
	import_result_release(&r);
	int64_t audit = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK_EQ_INT(run(db, &sys, INST_HDR INST_A INST_B, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.skipped, 2);
	CHECK_EQ_INT(r.rejected, 0);
	import_result_release(&r);
	CHECK_EQ_INT(institutions(db), 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), audit);
	db_close(db);
}

TEST(institutions_template_has_the_header)
{
	char *data;
	size_t len;
	struct err e;
	CHECK_EQ_INT(import_template_xlsx("institutions", &data, &len, &e), 0);
	struct import_table t = {0};
	CHECK_EQ_INT(import_read(data, len, &t, &e), 0);
	CHECK_EQ_STR(import_cell(&t, 0, 0), "机构名称");
	CHECK_EQ_STR(import_cell(&t, 1, 1), "养老机构");
	import_table_release(&t);
	free(data);
}

/* ---- ledger ---- */

/* IDs with their check digits (GB 11643), as in test_import_households.c */
#define P1 "370702198001010018"
#define P2 "370702198202020028"
#define P3 "370702201003030033"

/* three persons in 370702001001 (P1, P2 one household, P3 another) */
static struct db *setup_persons(void)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	const char *csv = "户编号,区划代码,户籍类型,身份证号,姓名,与户主关系\n"
			  "1,370702001001,城镇," P1 ",张一,户主\n"
			  "1,370702001001,城镇," P2 ",李二,配偶\n"
			  "2,370702001001,农村," P3 ",王三,户主\n";
	if (run_kind(db, &sys, "households", csv, 0, &r, &e) < 0 || r.accepted != 3) {
		fprintf(stderr, "setup_persons: %lld %s\n", (long long)r.accepted, r.nrejects ? r.rejects[0].reason : "");
		abort();
	}
	import_result_release(&r);
	return db;
}

static int64_t entries(struct db *db)
{
	return db_query_int(db, "SELECT count(*) FROM ledger_entries WHERE status = 'active'", NULL);
}

#define LEDGER_HDR "身份证号,姓名,困难类别,纳入日期,备注\n"

TEST(ledger_accepted_rows_join_the_ledger)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	const char *csv = LEDGER_HDR P1 ",张一,独居老人、重病患者,2024-01-15,独居\n"
			  P3 ",王三,留守儿童,,\n";
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", csv, 1, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 2);
	CHECK_EQ_INT(r.rejected, 0);
	CHECK_EQ_INT(entries(db), 0); /* the dry run is rolled back */
	import_result_release(&r);
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 2);
	import_result_release(&r);
	CHECK_EQ_INT(entries(db), 2);
	/* 独居老人 bit 0 + 重病患者 bit 7 = 1 + 128 */
	CHECK_EQ_INT(db_query_int(db, "SELECT manual_categories FROM ledger_entries e JOIN persons p "
				      "ON p.id = e.person_id WHERE p.id_number = ?", P1),
		     129);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action = 'ledger.add'", NULL),
		     2);
	db_close(db);
}

TEST(ledger_rejected_rows_name_cell_and_reason)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	const char *csv = LEDGER_HDR P1 ",张一,低保对象,,\n"          /* rolls decide 低保 */
			  "370702198001010019,某,独居老人,,\n"             /* wrong check digit */
			  "110101199003070011,某,独居老人,,\n"             /* not registered */
			  P2 ",李二,独居老人,2999-01-01,\n";               /* joined in the future */
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 4);
	CHECK_EQ_INT(r.rejects[0].col, 2);
	CHECK(strstr(r.rejects[0].reason, "救助名册") != NULL);
	CHECK_EQ_INT(r.rejects[1].col, 0);
	CHECK(strstr(r.rejects[1].reason, "校验位") != NULL);
	CHECK_EQ_INT(r.rejects[2].col, 0);
	CHECK(strstr(r.rejects[2].reason, "未在户籍中登记") != NULL);
	CHECK_EQ_INT(r.rejects[3].col, 3);
	CHECK(strstr(r.rejects[3].reason, "晚于今天") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(entries(db), 0);
	db_close(db);
}

TEST(ledger_duplicate_in_file_and_in_database)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", LEDGER_HDR P1 ",张一,独居老人,,\n", 0, &r, &e), 0);
	import_result_release(&r);
	const char *csv = LEDGER_HDR P1 ",张一,独居老人,,\n" P2 ",李二,其他困难群众,,\n"
			  P2 ",李二,独居老人,,\n";
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.skipped, 1);
	CHECK_EQ_INT(r.accepted, 1);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK(strstr(r.rejects[0].reason, "与第 3 行重复") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(entries(db), 2);
	db_close(db);
}

TEST(ledger_person_outside_scope_is_rejected)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	struct actor t = sys;
	t.scope.n = 1;
	snprintf(t.scope.prefix[0], sizeof t.scope.prefix[0], "370702002");
	CHECK_EQ_INT(run_kind(db, &t, "ledger", LEDGER_HDR P1 ",张一,独居老人,,\n", 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK(strstr(r.rejects[0].reason, "管辖范围") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(entries(db), 0);
	db_close(db);
}

TEST(ledger_same_file_again_changes_nothing)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	const char *csv = LEDGER_HDR P1 ",张一,独居老人,,\n" P3 ",王三,留守儿童,,\n";
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", csv, 0, &r, &e), 0);
	import_result_release(&r);
	int64_t audit = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK_EQ_INT(run_kind(db, &sys, "ledger", csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.skipped, 2);
	CHECK_EQ_INT(r.rejected, 0);
	import_result_release(&r);
	CHECK_EQ_INT(entries(db), 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), audit);
	db_close(db);
}

/* ---- assistance rolls ---- */

static int64_t open_cases(struct db *db)
{
	return db_query_int(db, "SELECT count(*) FROM assistance_cases WHERE status = 'active'", NULL);
}

#define ROLL_HDR "救助项目,身份证号,姓名,起始月份,月救助金额,供养方式,银行账号\n"
/* P1's household (P1, P2) on 低保; P3 特困 */
#define ROLL_DIBAO "低保," P1 ",张一,2019-03,580.5,,6222000000000001\n"
#define ROLL_TEKUN "特困," P3 ",王三,2018-07,900,分散供养,6222000000000002\n"

TEST(assistance_accepted_rows_are_active_from_their_month)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", ROLL_HDR ROLL_DIBAO ROLL_TEKUN, 1, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 2);
	CHECK_EQ_INT(r.rejected, 0);
	CHECK_EQ_INT(open_cases(db), 0); /* the dry run is rolled back */
	import_result_release(&r);
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", ROLL_HDR ROLL_DIBAO ROLL_TEKUN, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 2);
	import_result_release(&r);
	CHECK_EQ_INT(open_cases(db), 2);
	/* 580.5 yuan = 58050 fen */
	CHECK_EQ_INT(db_query_int(db, "SELECT monthly_amount_fen FROM assistance_cases WHERE "
				      "program = 'dibao' AND start_month = '2019-03'", NULL),
		     58050);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE "
				      "action = 'assistance.record_existing'", NULL),
		     2);
	db_close(db);
}

TEST(assistance_rejected_rows_name_cell_and_reason)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	const char *csv = ROLL_HDR "低保," P1 ",张一,2019-03,五百,,\n"          /* amount */
			  "特困," P3 ",王三,2018-07,900,,\n"                        /* support form */
			  "孤儿," P3 ",王三,2018-07,900,,\n"                        /* no parents given */
			  "特困," P2 ",李二,2999-01,900,集中供养,\n";              /* future month */
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 4);
	CHECK_EQ_INT(r.rejects[0].col, 4);
	CHECK(strstr(r.rejects[0].reason, "月救助金额") != NULL);
	CHECK_EQ_INT(r.rejects[1].col, 5);
	CHECK(strstr(r.rejects[1].reason, "供养方式") != NULL);
	CHECK_EQ_INT(r.rejects[2].col, -1); /* the file has no 父亲情况 column: the whole row */
	CHECK(strstr(r.rejects[2].reason, "须填写父亲情况和母亲情况") != NULL);
	CHECK_EQ_INT(r.rejects[3].col, 3);
	CHECK(strstr(r.rejects[3].reason, "起始月份") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(open_cases(db), 0);
	db_close(db);
}

TEST(assistance_duplicate_in_file_and_in_database)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", ROLL_HDR ROLL_TEKUN, 0, &r, &e), 0);
	import_result_release(&r);
	/* P2 is in P1's household: the same 低保 case as P1's row */
	const char *csv = ROLL_HDR ROLL_TEKUN ROLL_DIBAO "低保," P2 ",李二,2019-03,580,,\n";
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.skipped, 1);
	CHECK_EQ_INT(r.accepted, 1);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK(strstr(r.rejects[0].reason, "与第 3 行重复") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(open_cases(db), 2);
	db_close(db);
}

TEST(assistance_person_outside_scope_is_rejected)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	struct actor t = sys;
	t.scope.n = 1;
	snprintf(t.scope.prefix[0], sizeof t.scope.prefix[0], "370702002");
	CHECK_EQ_INT(run_kind(db, &t, "assistance", ROLL_HDR ROLL_TEKUN, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK(strstr(r.rejects[0].reason, "管辖范围") != NULL);
	import_result_release(&r);
	CHECK_EQ_INT(open_cases(db), 0);
	db_close(db);
}

TEST(assistance_same_file_again_changes_nothing)
{
	struct db *db = setup_persons();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", ROLL_HDR ROLL_DIBAO ROLL_TEKUN, 0, &r, &e), 0);
	import_result_release(&r);
	int64_t audit = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK_EQ_INT(run_kind(db, &sys, "assistance", ROLL_HDR ROLL_DIBAO ROLL_TEKUN, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.skipped, 2);
	CHECK_EQ_INT(r.rejected, 0);
	import_result_release(&r);
	CHECK_EQ_INT(open_cases(db), 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), audit);
	db_close(db);
}

UNIT_MAIN(institutions_accepted_rows_are_created, institutions_rejected_row_names_cell_and_reason,
	  institutions_duplicate_in_file_and_in_database, institutions_region_outside_scope_is_rejected,
	  institutions_same_file_again_changes_nothing, institutions_template_has_the_header,
	  ledger_accepted_rows_join_the_ledger, ledger_rejected_rows_name_cell_and_reason,
	  ledger_duplicate_in_file_and_in_database, ledger_person_outside_scope_is_rejected,
	  ledger_same_file_again_changes_nothing, assistance_accepted_rows_are_active_from_their_month,
	  assistance_rejected_rows_name_cell_and_reason, assistance_duplicate_in_file_and_in_database,
	  assistance_person_outside_scope_is_rejected, assistance_same_file_again_changes_nothing)
