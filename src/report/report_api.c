/* report_api.c — GET /api/v1/reports/assistance?from=&to=&county=&format=json|xlsx,
 * GET /api/v1/reports/stats?from=&to=&county=&format=json|xlsx|html (the statistics report) and
 * GET /api/v1/dashboard?county=&from=&to= (docs/api.md, "Reports"; docs/stats.md). The JSON
 * answer or the same figures as a download; the handlers only translate. */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
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

static int stats_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "", county[32] = "", format[16] = "json";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_str(rq, "county", county, sizeof county, e) < 0 ||
	    api_query_str(rq, "format", format, sizeof format, e) < 0)
		return -1;
	int xlsx = strcmp(format, "xlsx") == 0, html = strcmp(format, "html") == 0;
	if (!xlsx && !html && strcmp(format, "json") != 0)
		return err_set(e, 400, "invalid_value", "format", "格式应为 json、xlsx 或 html");
	struct report_stats *r = malloc(sizeof *r);
	if (!r)
		return err_set(e, 500, "internal", NULL, "内存不足");
	int rc = report_stats(rq->db, rq->actor, from, to, county, r, e);
	if (rc == 0 && xlsx) {
		rc = report_stats_xlsx(r, &rs->file, &rs->file_len, e);
		rs->file_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		snprintf(rs->file_name, sizeof rs->file_name, "民政统计报表_%s_%s_%s.xlsx",
			 r->county[0] ? r->county : "全市", r->from, r->to);
	} else if (rc == 0 && html) {
		rs->file = report_stats_html(r, &rs->file_len);
		rs->file_type = "text/html; charset=utf-8";
		snprintf(rs->file_name, sizeof rs->file_name, "民政统计报表_%s_%s_%s.html",
			 r->county[0] ? r->county : "全市", r->from, r->to);
		if (!rs->file)
			rc = err_set(e, 500, "internal", NULL, "内存不足");
	} else if (rc == 0) {
		rs->body = report_stats_json(r);
		if (!rs->body)
			rc = err_set(e, 500, "internal", NULL, "内存不足");
	}
	free(r);
	return rc;
}

static int dashboard_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	char from[16] = "", to[16] = "", county[32] = "";
	if (api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0 ||
	    api_query_str(rq, "county", county, sizeof county, e) < 0)
		return -1;
	rs->body = report_dashboard(rq->db, rq->actor, county, from, to, e);
	return rs->body ? 0 : -1;
}

const struct api_route report_routes[] = {
	{"GET", "/api/v1/reports/assistance", assistance_get, PERM_ASSISTANCE_READ, 0},
	{"GET", "/api/v1/reports/stats", stats_get, PERM_ASSISTANCE_READ, 0},
	{"GET", "/api/v1/dashboard", dashboard_get, PERM_ASSISTANCE_READ, 0},
	{0},
};
