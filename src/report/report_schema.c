/* report_schema.c — the report module owns no tables, only an index the assistance report
 * reads (see report.h).
 *
 * report_assistance reads every paid payment of the confirmed runs in a range: the run, the
 * village (scope), the unit, the program and the amount. From the payments rows themselves
 * that is every column of a wide row (payee, bank account, …); this index holds just those,
 * for the paid payments only (a partial index): a run's inserts (status 'pending') do not
 * touch it, its confirmation adds the run's entries, a bank return removes one. Measured on the
 * demo city: docs/stats.md, "驾驶舱". */
#include "report/report.h"

const char report_schema_v1[] =
	"CREATE INDEX report_payments_paid ON payments(run_id, status, region_code, unit_code, "
	"program, amount_fen) WHERE status = 'paid';";
