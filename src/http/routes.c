/* routes.c — which route tables the server serves. A new module adds one line. */
#include "http/routes.h"
#include "rescue/rescue.h"
#include "hotline/hotline.h"
#include "import/import.h"
#include "duty/duty.h"
#include "inspections/inspections.h"
#include "institutions/institutions.h"
#include "ledger/ledger.h"
#include "price/price.h"
#include "relief/relief.h"
#include "calendar/calendar.h"
#include "assistance/assistance.h"
#include "jobs/jobs.h"
#include "payroll/payroll.h"
#include "policy/policy.h"
#include "regions/regions.h"
#include "registry/registry.h"
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

extern const struct api_route session_routes[];

const struct api_route *const routes_all[] = {
	session_routes,
	regions_routes,
	registry_routes,
	jobs_routes,
	policy_routes,
	assistance_routes,
	payroll_routes,
	report_routes,
	calendar_routes,
	relief_routes,
	price_routes,
	ledger_routes,
	institutions_routes,
	inspections_routes,
	duty_routes,
	hotline_routes,
	rescue_routes,
	import_routes,
	funeral_routes,
	crosscheck_routes,
	marriage_routes,
	goods_routes,
	charity_routes,
	orgs_routes,
	staff_routes,
	documents_routes,
	lottery_routes,
	NULL,
};
