/* report_api.c — GET /api/v1/reports/assistance?from=&to=&county=&format=json|xlsx
 * (docs/api.md, "Reports"). The JSON answer or the same figures as an Excel download. */
#include "report/report.h"

#include <stdio.h>
#include <string.h>

static int assistance_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "", county[32] = "", format[16] = "json";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_str(rq, "county", county, sizeof county, e) < 0 ||
	    api_query_str(rq, "format", format, sizeof format, e) < 0)
		return -1;
	int xlsx = strcmp(format, "xlsx") == 0;
	if (!xlsx && strcmp(format, "json") != 0)
		return err_set(e, 400, "invalid_value", "format", "格式应为 json 或 xlsx");
	struct report_assistance r;
	if (report_assistance(rq->db, rq->actor, from, to, county, &r, e) < 0)
		return -1;
	int rc = 0;
	if (xlsx) {
		rc = report_assistance_xlsx(&r, &rs->file, &rs->file_len, e);
		rs->file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		snprintf(rs->file_name, sizeof rs->file_name, "救助发放统计_%s%s%s_%s_%s.xlsx",
			 r.county[0] ? "" : "全部", r.county, "", r.from, r.to);
	} else {
		rs->body = report_assistance_json(&r);
		if (!rs->body)
			rc = err_set(e, 500, "internal", NULL, "内存不足");
	}
	report_assistance_release(&r);
	return rc;
}

const struct api_route report_routes[] = {
	{"GET", "/api/v1/reports/assistance", assistance_get, PERM_ASSISTANCE_READ, 0},
	{0},
};
