/* lottery_api.c — the lottery module's HTTP routes (docs/orgs.md, "福彩网点"):
 *
 *   GET  /api/v1/lottery/outlets                      outlets in scope with their status on
 *                                                     ?date (default today), ?status; export
 *   GET  /api/v1/lottery/outlets/{id}                 one outlet with its events and checklists
 *   POST /api/v1/lottery/outlets/{id}/closure         closed on a day
 *   POST /api/v1/lottery/outlets/{id}/checklist       a reopening checklist
 *   POST /api/v1/lottery/outlets/{id}/reopening       reopened on a day (the checklist gate)
 *
 * Handlers only translate; lottery_store.c checks permission, scope and the gate. */
#include "lottery/lottery.h"

#include <string.h>

#include "export/export.h"

static const struct export_col outlet_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"网点名称", EXPORT_TEXT, 36, "name", NULL},
	{"所属单位", EXPORT_TEXT, 12, "unit_name", NULL},
	{"所在地", EXPORT_TEXT, 14, "region_name", NULL},
	{"状态", EXPORT_TEXT, 8, "status", "open=营业;closed=停业;not_open=未开业"},
	{"停业日期", EXPORT_DATE, 12, "closed_on", NULL},
	{"复业日期", EXPORT_DATE, 12, "reopened_on", NULL},
	{"复业核查完成", EXPORT_BOOL, 10, "checklist_ok", NULL},
};

static int outlets_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec outlet_export = {"lottery_outlets", "福彩销售网点", NULL,
						      LOTTERY_PAGE_MAX, EXPORT_COLS(outlet_cols)};

static int outlets_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, outlets_list, &outlet_export, e);
	char date[16] = "", status[16] = "";
	long limit, offset;
	json_t *out;
	if (api_query_str(rq, "date", date, sizeof date, e) < 0 ||
	    api_query_str(rq, "status", status, sizeof status, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, LOTTERY_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0 ||
	    lottery_outlet_list(rq->db, rq->actor, date, status, (int)limit, offset, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

static int outlet_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	json_t *out;
	if (api_param_id(rq, 0, &id, e) < 0 || lottery_outlet_get(rq->db, rq->actor, id, &out, e) < 0)
		return -1;
	return api_reply(rs, 200, out, e);
}

/* kind: 0 closure, 1 checklist, 2 reopening */
static int outlet_write(struct api_req *rq, struct api_res *rs, int kind, struct err *e)
{
	int64_t id;
	char date[16] = "", note[1024] = "";
	struct lottery_checklist c;
	json_t *out = NULL, *b;
	memset(&c, 0, sizeof c);
	if (api_param_id(rq, 0, &id, e) < 0 || !(b = api_body_object(rq, e)))
		return -1;
	int rc = -1, w = -1;
	if (api_json_str(b, "note", note, sizeof note, e) < 0)
		goto out;
	if (kind == 1) {
		if (api_json_str(b, "checked_on", c.checked_on, sizeof c.checked_on, e) < 0 ||
		    api_json_str(b, "checked_by", c.checked_by, sizeof c.checked_by, e) < 0 ||
		    api_json_bool(b, "temperature", &c.temperature, e) < 0 ||
		    api_json_bool(b, "masks", &c.masks, e) < 0 ||
		    api_json_bool(b, "distance", &c.distance, e) < 0 ||
		    api_json_bool(b, "disinfection", &c.disinfection, e) < 0)
			goto out;
		w = lottery_checklist_record(rq->db, rq->actor, id, &c, note, e);
	} else {
		if (api_json_str(b, "date", date, sizeof date, e) < 0)
			goto out;
		w = kind == 0 ? lottery_close(rq->db, rq->actor, id, date, note, e)
			      : lottery_reopen(rq->db, rq->actor, id, date, note, e);
	}
	if (w == 0 && lottery_outlet_get(rq->db, rq->actor, id, &out, e) == 0)
		rc = api_reply(rs, kind == 1 ? 201 : 200, out, e);
out:
	json_decref(b);
	return rc;
}

static int outlet_close(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return outlet_write(rq, rs, 0, e);
}

static int outlet_checklist(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return outlet_write(rq, rs, 1, e);
}

static int outlet_reopen(struct api_req *rq, struct api_res *rs, struct err *e)
{
	return outlet_write(rq, rs, 2, e);
}

const struct api_route lottery_routes[] = {
	{"GET", "/api/v1/lottery/outlets", outlets_list, PERM_INSTITUTION_READ, 0},
	{"GET", "/api/v1/lottery/outlets/{id}", outlet_get, PERM_INSTITUTION_READ, 0},
	{"POST", "/api/v1/lottery/outlets/{id}/closure", outlet_close, PERM_INSTITUTION_MANAGE, 0},
	{"POST", "/api/v1/lottery/outlets/{id}/checklist", outlet_checklist,
	 PERM_INSTITUTION_MANAGE, 0},
	{"POST", "/api/v1/lottery/outlets/{id}/reopening", outlet_reopen, PERM_INSTITUTION_MANAGE,
	 0},
	{0},
};
