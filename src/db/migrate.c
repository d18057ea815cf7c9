/* migrate.c — the ordered list of migrations and the code that applies them (see migrate.h):
 * a database newer than this binary is refused (db_too_new), and one that needs upgrading but
 * cannot be written says so (db_readonly). */
#include "db/migrate.h"

#include "accounts/accounts.h"
#include "assistance/assistance.h"
#include "audit/audit.h"
#include "jobs/jobs.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "regions/regions.h"
#include "registry/registry.h"

#include "calendar/calendar.h"
#include "relief/relief.h"
#include "price/price.h"
#include "ledger/ledger.h"
#include "institutions/institutions.h"
#include "inspections/inspections.h"
#include "duty/duty.h"
#include "rescue/rescue.h"
#include "hotline/hotline.h"
#include "import/import.h"
#include "report/report.h"
#include "funeral/funeral.h"
#include "crosscheck/crosscheck.h"
#include "marriage/marriage.h"
#include "goods/goods.h"
#include "charity/charity.h"
#include "orgs/orgs.h"
#include "staff/staff.h"
#include "documents/documents.h"
#include "lottery/lottery.h"

#include <stdio.h>

struct migration {
	int version;
	const char *owner;
	const char *sql;
};

/* Append only: never edit a migration that has shipped; add a new version instead. */
static const struct migration migrations[] = {
	{1, "audit", audit_schema_v1},
	{2, "accounts", accounts_schema_v1},
	{3, "regions", regions_schema_v1},
	{4, "registry", registry_schema_v1},
	{5, "jobs", jobs_schema_v1},
	{6, "policy", policy_schema_v1},
	{7, "assistance", assistance_schema_v1},
	{8, "payroll", payroll_schema_v1},
	{9, "assistance", assistance_schema_v2},
	{10, "calendar", calendar_schema_v1},
	{11, "relief", relief_schema_v1},
	{12, "price", price_schema_v1},
	{13, "ledger", ledger_schema_v1},
	{14, "institutions", institutions_schema_v1},
	{15, "inspections", inspections_schema_v1},
	{16, "duty", duty_schema_v1},
	{17, "hotline", hotline_schema_v1},
	{18, "rescue", rescue_schema_v1},
	{19, "import", import_schema_v1},
	{20, "report", report_schema_v1},
	{21, "funeral", funeral_schema_v1},
	{22, "crosscheck", crosscheck_schema_v1},
	{23, "marriage", marriage_schema_v1},
	{24, "goods", goods_schema_v1},
	{25, "charity", charity_schema_v1},
	{26, "orgs", orgs_schema_v1},
	{27, "staff", staff_schema_v1},
	{28, "documents", documents_schema_v1},
	{29, "lottery", lottery_schema_v1},
	{30, "import", import_schema_v2},
	{31, "audit", audit_schema_v2},
	{32, "relief", relief_schema_v2},
	{33, "jobs", jobs_schema_v2},
};

int db_schema_latest(void)
{
	return migrations[sizeof migrations / sizeof migrations[0] - 1].version;
}

int db_schema_current(struct db *db)
{
	int64_t have = db_query_int(db, "SELECT count(*) FROM sqlite_master WHERE name='schema_version'", NULL);
	if (have <= 0)
		return 0;
	int64_t v = db_query_int(db, "SELECT coalesce(max(version),0) FROM schema_version", NULL);
	return v < 0 ? 0 : (int)v;
}

/* The version, or -1 with e when it cannot be read (locked, damaged, …): a read that failed must
 * not pass for an empty database, which would have every migration applied again. */
static int schema_version_read(struct db *db, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "SELECT count(*) FROM sqlite_master WHERE name='schema_version'", e);
	if (!st || db_step(st, e) != 1) {
		db_done(st);
		return -1;
	}
	int64_t have = db_col_int(st, 0);
	db_done(st);
	if (have == 0)
		return 0;
	if (!(st = db_prepare(db, "SELECT coalesce(max(version),0) FROM schema_version", e)) ||
	    db_step(st, e) != 1) {
		db_done(st);
		return -1;
	}
	int64_t v = db_col_int(st, 0);
	db_done(st);
	return (int)v;
}

int db_schema_check(struct db *db, struct err *e)
{
	int current = schema_version_read(db, e);
	if (current < 0)
		return -1;
	if (current > db_schema_latest())
		return err_set(e, 409, "db_too_new", NULL,
			       "数据库 %s 的版本为第 %d 版，高于本程序支持的第 %d 版，请升级 minzheng",
			       db_display_name(db)[0] ? db_display_name(db) : "（内存数据库）", current,
			       db_schema_latest());
	return current;
}

int db_migrate(struct db *db, struct err *e)
{
	int current = db_schema_check(db, e);
	if (current < 0)
		return -1;
	if (current == db_schema_latest())
		return 0; /* nothing to do: a read-only database may still be served */
	if (db_readonly(db)) {
		db_readonly_err(db, e);
		char why[sizeof e->message];
		snprintf(why, sizeof why, "%s", e->message);
		return err_set(e, 503, "db_readonly", NULL, "数据库需要升级到第 %d 版，但%s",
			       db_schema_latest(), why);
	}
	/* Under the writers' lock, each step re-reads the version: several servers starting on one
	 * database at once (PostgreSQL) wait for each other, and the later ones find it done. */
	if (db_begin_write(db, e) < 0)
		return -1;
	if (db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version ("
			"version INTEGER PRIMARY KEY, owner TEXT NOT NULL, applied_at TEXT NOT NULL)",
		    e) < 0 || db_commit(db, e) < 0) {
		db_rollback(db);
		return -1;
	}
	for (size_t i = 0; i < sizeof migrations / sizeof migrations[0]; i++) {
		const struct migration *m = &migrations[i];
		if (m->version <= current)
			continue;
		if (db_begin_write(db, e) < 0)
			return -1;
		int now = schema_version_read(db, e);
		if (now < 0) {
			db_rollback(db);
			return -1;
		}
		if (m->version <= now) {
			db_rollback(db);
			continue;
		}
		if (db_exec(db, m->sql, e) < 0) {
			db_rollback(db);
			char what[300];
			snprintf(what, sizeof what, "%s", e->message);
			return err_set(e, 500, "migration_failed", NULL, "数据库升级到第 %d 版（%s）失败：%s",
				       m->version, m->owner, what);
		}
		struct db_stmt *st = db_prepare(db, "INSERT INTO schema_version(version, owner, applied_at) "
						    "VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%S','now','+8 hours'))", e);
		if (!st) {
			db_rollback(db);
			return -1;
		}
		db_bind_int(st, 1, m->version);
		db_bind_text(st, 2, m->owner);
		if (db_run(st, e) < 0 || db_commit(db, e) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	return 0;
}
