/* jobs_kinds.c — the kinds of long work the runner knows. A module adds one line here. */
#include "jobs/jobs.h"
#include "audit/audit.h"
#include "payroll/payroll.h"
#include "price/price.h"
#include "ledger/ledger.h"
#include "import/import.h"

#include <stdio.h>

/* Walk the whole audit chain (millions of rows on a long-lived database). */
static int job_audit_verify(struct db *db, const struct actor *a, json_t *params,
			    struct job_ctx *jc, json_t **result, struct err *e)
{
	(void)a;
	(void)params;
	int64_t rows = 0, bad = 0;
	char why[512] = "";
	int64_t total = db_query_int(db, "SELECT count(*) FROM audit_log", NULL);
	job_progress(jc, 0, total, "正在校验审计日志哈希链");
	int rc = audit_verify(db, &rows, &bad, why, sizeof why, e);
	if (rc < 0)
		return -1;
	job_progress(jc, total, total, rc ? "发现被篡改的记录" : "校验完成");
	if (rc)
		*result = json_pack("{s:b,s:I,s:I,s:s}", "intact", 0, "rows", (json_int_t)rows,
				    "first_bad_id", (json_int_t)bad, "reason", why);
	else
		*result = json_pack("{s:b,s:I}", "intact", 1, "rows", (json_int_t)rows);
	return 0;
}

const struct job_kind jobs_kinds[] = {
	{"audit.verify", job_audit_verify, PERM_AUDIT_READ, "审计日志校验"},
	{"payroll.run", payroll_job_run, PERM_PAYROLL, "计算发放"},
	{"price.generate", price_job_generate, PERM_PAYROLL, "生成价格临时补贴"},
	{"ledger.sync", ledger_job_sync, PERM_LEDGER, "困难群众台账同步"},
	/* the kind's own permission is checked by import_run, as the uploading user */
	{"import.file", import_job_run, PERM_LOGIN, "导入文件"},
	{0},
};
