/* test_import_households.c — the households kind against a fresh database: counts of a dry run
 * (nothing written), a commit and the same file again (everything skipped), scope, permission,
 * a household without a head, missing columns. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include <stdlib.h>

#include "import/import.h"
#include "regions/regions.h"

static struct actor sys;

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	actor_system(&sys);
	if (regions_load_builtin(db, &e) < 0) {
		fprintf(stderr, "setup: %s\n", e.message);
		abort();
	}
	return db;
}

static int64_t persons(struct db *db)
{
	return db_query_int(db, "SELECT count(*) FROM persons", NULL);
}

static int run(struct db *db, const struct actor *a, const char *csv, int dry, struct import_result *r,
	       struct err *e)
{
	struct import_opts o = {.dry_run = dry};
	return import_households(db, a, csv, strlen(csv), &o, r, e);
}

/* IDs with their check digits (GB 11643): hand-computed. */
#define HEAD "370702198001010018"
#define WIFE "370702198202020028"
#define KID "370702201003030033"
#define HDR "户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话\n"

TEST(dry_run_counts_and_writes_nothing)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	const char *csv = HDR "1,370702001001,甲路 1 号,城镇," HEAD ",张一,户主,13800000001\n"
			  "1,370702001001,甲路 1 号,城镇," WIFE ",李二,配偶,\n"
			  "2,370702001001,乙路 2 号,农村," KID ",王三,子女,\n"; /* no head */
	CHECK_EQ_INT(run(db, &sys, csv, 1, &r, &e), 0);
	CHECK_EQ_INT(r.rows, 3);
	CHECK_EQ_INT(r.accepted, 2);
	CHECK_EQ_INT(r.rejected, 1);
	CHECK_EQ_INT(r.households, 1);
	CHECK_EQ_INT(r.nrejects, 1);
	CHECK_EQ_INT(r.table.rows[r.rejects[0].row].line, 4);
	CHECK(strstr(r.rejects[0].reason, "户主") != NULL);
	CHECK_EQ_INT(persons(db), 0);
	import_result_release(&r);
	db_close(db);
}

TEST(commit_then_same_file_again_changes_nothing)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	const char *csv = HDR "1,370702001001,甲路 1 号,城镇," HEAD ",张一,户主,\n"
			  "1,370702001001,甲路 1 号,城镇," WIFE ",李二,配偶,\n";
	CHECK_EQ_INT(run(db, &sys, csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 2);
	CHECK_EQ_INT(r.households, 1);
	import_result_release(&r);
	CHECK_EQ_INT(persons(db), 2);
	int64_t audit = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	CHECK_EQ_INT(run(db, &sys, csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.skipped, 2);
	CHECK_EQ_INT(r.rejected, 0);
	import_result_release(&r);
	CHECK_EQ_INT(persons(db), 2);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log", NULL), audit);
	/* the file again with a new member: the member joins the household imported before */
	char more[1024];
	snprintf(more, sizeof more, "%s1,370702001001,甲路 1 号,城镇," KID ",张小,子女,\n", csv);
	CHECK_EQ_INT(run(db, &sys, more, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 1);
	import_result_release(&r);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(DISTINCT household_id) FROM persons", NULL), 1);
	db_close(db);
}

TEST(rows_outside_scope_are_rejected)
{
	struct db *db = setup();
	struct actor t = testactor_user(db, "town1", "township_assistant", "370702002");
	struct import_result r;
	struct err e;
	const char *csv = HDR "1,370702001001,甲路 1 号,城镇," HEAD ",张一,户主,\n"
			  "2,370702999999,乙路,城镇," WIFE ",李二,户主,\n";
	CHECK_EQ_INT(run(db, &t, csv, 0, &r, &e), 0);
	CHECK_EQ_INT(r.accepted, 0);
	CHECK_EQ_INT(r.rejected, 2);
	CHECK(strstr(r.rejects[0].reason, "管辖范围") != NULL);
	CHECK(strstr(r.rejects[1].reason, "不是已知的村") != NULL);
	CHECK_EQ_INT(persons(db), 0);
	import_result_release(&r);
	db_close(db);
}

TEST(read_only_users_may_not_import)
{
	struct db *db = setup();
	struct actor l = testactor_user(db, "lead1", "leader", "3707");
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run(db, &l, HDR, 1, &r, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	import_result_release(&r);
	db_close(db);
}

TEST(missing_columns_name_the_column)
{
	struct db *db = setup();
	struct import_result r;
	struct err e;
	CHECK_EQ_INT(run(db, &sys, "户编号,姓名,身份证号,与户主关系\n1,张一," HEAD ",户主\n", 1, &r, &e), -1);
	CHECK_EQ_STR(e.code, "missing_column");
	CHECK(strstr(e.message, "区划代码") != NULL);
	import_result_release(&r);
	db_close(db);
}

UNIT_MAIN(dry_run_counts_and_writes_nothing, commit_then_same_file_again_changes_nothing,
	  rows_outside_scope_are_rejected, read_only_users_may_not_import,
	  missing_columns_name_the_column)
