/* rescue_api.c — the rescue module's HTTP routes (docs/api.md, "Rescue stations"):
 *
 *   GET   /api/v1/rescue/stations                          stations in scope, with occupancy
 *   POST  /api/v1/rescue/stations                          new station
 *   GET   /api/v1/rescue/stations/{id}                     one station with its rooms
 *   POST  /api/v1/rescue/stations/{id}/rooms               new room
 *   PATCH /api/v1/rescue/rooms/{id}                        rename, change beds
 *   GET   /api/v1/rescue/intakes                           arrivals (filters, paging; masked)
 *   POST  /api/v1/rescue/intakes                           an arrival with screening and decision
 *   GET   /api/v1/rescue/intakes/{id}[?unmask=1]           one arrival with its records
 *   POST  /api/v1/rescue/intakes/{id}/family-search        family-search notice posted
 *   POST  /api/v1/rescue/intakes/{id}/observations         daily observation
 *   POST  /api/v1/rescue/intakes/{id}/tests                nucleic-acid test
 *   POST  /api/v1/rescue/intakes/{id}/isolation            move into isolation
 *   POST  /api/v1/rescue/intakes/{id}/isolation/change     extend or reduce the isolation
 *   POST  /api/v1/rescue/intakes/{id}/isolation/end        end the isolation
 *   POST  /api/v1/rescue/intakes/{id}/stay                 extend the stay (approved)
 *   POST  /api/v1/rescue/intakes/{id}/discharge            leave the station
 *   GET   /api/v1/rescue/patrols                           street patrols
 *   POST  /api/v1/rescue/patrols                           a patrol with the people met
 *   GET   /api/v1/rescue/patrols/{id}                      one patrol
 *   GET   /api/v1/rescue/dashboard                         the dashboard
 *
 * Handlers only translate (rescue_json.c); the domain checks permission, scope and the rules.
 * Routes by id need a login only, so that an actor without the rescue permission is told 404
 * like for a record out of scope; the others need the rescue permission (403). Every write
 * answers with the record as stored (masked).
 */
#include "rescue/rescue.h"
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

/* ---- stations and rooms ------------------------------------------------------------------- */

static int station_reply(struct api_req *rq, struct api_res *rs, int64_t id, int status,
			 struct err *e)
{
	struct rescue_station_detail d;
	if (rescue_station_get(rq->db, rq->actor, id, &d, e) < 0)
		return -1;
	int rc = api_reply(rs, status, rescue_station_detail_json(&d), e);
	rescue_station_detail_release(&d);
	return rc;
}

static const struct export_col stations_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"名称", EXPORT_TEXT, 20, "name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"所在地", EXPORT_TEXT, 16, "region_name", NULL},
	{"地址", EXPORT_TEXT, 24, "address", NULL},
	{"电话", EXPORT_TEXT, 14, "phone", NULL},
	{"房间数", EXPORT_INT, 8, "rooms", NULL},
	{"床位", EXPORT_INT, 8, "beds", NULL},
	{"已用床位", EXPORT_INT, 8, "beds_used", NULL},
	{"空余床位", EXPORT_INT, 8, "beds_free", NULL},
	{"隔离床位", EXPORT_INT, 8, "isolation_beds", NULL},
	{"隔离已用", EXPORT_INT, 8, "isolation_used", NULL},
	{"隔离空余", EXPORT_INT, 8, "isolation_free", NULL},
	{"在站人数", EXPORT_INT, 8, "in_station", NULL},
	{"隔离观察人数", EXPORT_INT, 10, "in_isolation", NULL},
};

static int stations_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec stations_list_export = {
	"rescue_stations", "救助站", NULL, 0, EXPORT_COLS(stations_list_cols)};

static int stations_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, stations_list, &stations_list_export, e);
	struct rescue_station_list l;
	if (rescue_station_list(rq->db, rq->actor, &l, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < l.n; i++)
		json_array_append_new(items, rescue_station_json(&l.items[i]));
	int n = l.n;
	rescue_station_list_release(&l);
	if (!items)
		return err_oom(e);
	return api_reply(rs, 200, json_pack("{s:o, s:i}", "items", items, "total", n), e);
}

static int station_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	struct rescue_station_in *in = calloc(1, sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!body)
		goto out;
	if (!in)
		err_oom(e);
	else if (rescue_station_from_json(body, in, e) == 0 &&
		 rescue_station_create(rq->db, rq->actor, in, NULL, &id, e) == 0)
		rc = station_reply(rq, rs, id, 201, e);
out:
	free(in);
	json_decref(body);
	return rc;
}

static int station_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return station_reply(rq, rs, id, 200, e);
}

static int room_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t sid, rid = 0;
	struct rescue_room_in in;
	if (api_param_id(rq, 0, &sid, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (rescue_room_from_json(body, &in, e) == 0 &&
	    rescue_room_create(rq->db, rq->actor, sid, &in, NULL, &rid, e) == 0)
		rc = station_reply(rq, rs, sid, 201, e);
	json_decref(body);
	return rc;
}

static int room_patch(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t rid;
	struct rescue_room_in in;
	if (api_param_id(rq, 0, &rid, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (rescue_room_from_json(body, &in, e) == 0 &&
	    rescue_room_update(rq->db, rq->actor, rid, &in, NULL, e) == 0)
		rc = api_reply(rs, 200,
			       json_pack("{s:I, s:b}", "id", (json_int_t)rid, "updated", 1), e);
	json_decref(body);
	return rc;
}

/* ---- intakes ------------------------------------------------------------------------------ */

static int intake_reply(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
			struct err *e)
{
	struct rescue_intake_detail *d = calloc(1, sizeof *d);
	int rc = -1;
	if (!d)
		return err_oom(e);
	if (rescue_intake_get(rq->db, rq->actor, id, unmask, NULL, d, e) == 0) {
		rc = api_reply(rs, status, rescue_intake_detail_json(d), e);
		rescue_intake_detail_release(d);
	}
	free(d);
	return rc;
}

static const struct export_col intakes_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"救助站", EXPORT_TEXT, 18, "station_name", NULL},
	{"到站时间", EXPORT_DATETIME, 17, "arrived_at", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"性别", EXPORT_TEXT, 6, "sex", "male=男;female=女"},
	{"体温", EXPORT_TEXT, 6, "temperature", NULL},
	{"发热", EXPORT_BOOL, 6, "fever", NULL},
	{"风险", EXPORT_TEXT, 22, "risk", "low=低风险;medium_high=来自中高风险地区;unverifiable=无法核实"},
	{"处置", EXPORT_TEXT, 14, "decision", "admit=收入生活区;isolate=收入隔离区观察;hospital=送医;refuse=不予收留"},
	{"状态", EXPORT_TEXT, 10, "status",
	 "in_station=在站;isolation=隔离观察中;referred=已送医;refused=未收留;"
	 "discharged=已离站"},
	{"房间", EXPORT_TEXT, 10, "room_name", NULL},
	{"隔离结束", EXPORT_DATE, 12, "isolation_end", NULL},
	{"离站时间", EXPORT_DATETIME, 17, "left_at", NULL},
};

static int intakes_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec intakes_list_export = {
	"rescue_intakes", "救助站入站登记", NULL, RESCUE_PAGE_MAX, EXPORT_COLS(intakes_list_cols)};

static int intakes_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, intakes_list, &intakes_list_export, e);
	struct rescue_intake_query q;
	struct rescue_intake_page pg;
	long station, limit, offset;
	memset(&q, 0, sizeof q);
	if (api_query_int(rq, "station_id", 0, 0, 1L << 40, &station, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, RESCUE_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0 ||
	    api_query_str(rq, "status", q.status, sizeof q.status, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0 ||
	    api_query_str(rq, "q", q.q, sizeof q.q, e) < 0)
		return -1;
	q.station_id = station;
	q.limit = (int)limit;
	q.offset = offset;
	if (rescue_intake_list(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, rescue_intake_row_json(&pg.items[i]));
	json_t *body =
	    items ? json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg.total,
			      "limit", pg.limit, "offset", (json_int_t)pg.offset)
		  : NULL;
	rescue_intake_page_release(&pg);
	return api_reply(rs, 200, body, e);
}

static int intake_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	struct rescue_intake_in *in = calloc(1, sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!body)
		goto out;
	if (!in)
		err_oom(e);
	else if (rescue_intake_from_json(body, in, e) == 0 &&
		 rescue_intake_create(rq->db, rq->actor, in, NULL, &id, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 201, e);
out:
	free(in);
	json_decref(body);
	return rc;
}

static int intake_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return intake_reply(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

/* The body of a step on an intake: {id} first (so a bad id is 404 before a bad body). */
static json_t *step_body(struct api_req *rq, int64_t *id, struct err *e)
{
	if (api_param_id(rq, 0, id, e) < 0)
		return NULL;
	return api_body_object(rq, e);
}

#define STR(o, key, buf) (rescue_json_str(o, key, buf, sizeof buf, e) < 0)

static int family_search_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char at[RESCUE_TIME_SZ], channel[RESCUE_SHORT_SZ], text[RESCUE_TEXT_SZ];
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (!STR(body, "posted_at", at) && !STR(body, "channel", channel) &&
	    !STR(body, "text", text) &&
	    rescue_family_search(rq->db, rq->actor, id, at, channel, text, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

static int observation_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct rescue_observation_in in;
	int fever = 0;
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (rescue_observation_from_json(body, &in, e) == 0 &&
	    rescue_observation_add(rq->db, rq->actor, id, &in, NULL, &fever, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 201, e);
	json_decref(body);
	return rc;
}

static int test_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char at[RESCUE_TIME_SZ], result[RESCUE_WORD_SZ], lab[RESCUE_SHORT_SZ];
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (!STR(body, "sampled_at", at) && !STR(body, "result", result) &&
	    !STR(body, "lab", lab) &&
	    rescue_test_add(rq->db, rq->actor, id, at, result, lab, NULL, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 201, e);
	json_decref(body);
	return rc;
}

static int isolation_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, room = 0;
	char at[RESCUE_TIME_SZ], reason[RESCUE_TEXT_SZ];
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (!STR(body, "at", at) && !STR(body, "reason", reason) &&
	    rescue_json_int(body, "room_id", 0, &room, e) == 0 &&
	    rescue_isolation_start(rq->db, rq->actor, id, at, room, reason, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

static int isolation_change_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char end[RESCUE_DATE_SZ + 8], reason[RESCUE_TEXT_SZ];
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (!STR(body, "new_end", end) && !STR(body, "reason", reason) &&
	    rescue_isolation_change(rq->db, rq->actor, id, end, reason, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

static int isolation_end_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, room = 0;
	char at[RESCUE_TIME_SZ];
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (!STR(body, "at", at) && rescue_json_int(body, "room_id", 0, &room, e) == 0 &&
	    rescue_isolation_end_now(rq->db, rq->actor, id, at, room, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

static int stay_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char until[RESCUE_DATE_SZ + 8], reason[RESCUE_TEXT_SZ], approved[RESCUE_SHORT_SZ];
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (!STR(body, "until", until) && !STR(body, "reason", reason) &&
	    !STR(body, "approved_by", approved) &&
	    rescue_stay_extend(rq->db, rq->actor, id, until, reason, approved, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

static int discharge_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct rescue_discharge_in in;
	json_t *body = step_body(rq, &id, e);
	int rc = -1;
	if (!body)
		return -1;
	if (rescue_discharge_from_json(body, &in, e) == 0 &&
	    rescue_discharge(rq->db, rq->actor, id, &in, NULL, e) == 0)
		rc = intake_reply(rq, rs, id, 0, 200, e);
	json_decref(body);
	return rc;
}

#undef STR

/* ---- patrols and dashboard ---------------------------------------------------------------- */

static int patrol_reply(struct api_req *rq, struct api_res *rs, int64_t id, int status,
			struct err *e)
{
	struct rescue_patrol_detail d;
	if (rescue_patrol_get(rq->db, rq->actor, id, &d, e) < 0)
		return -1;
	int rc = api_reply(rs, status, rescue_patrol_detail_json(&d), e);
	rescue_patrol_detail_release(&d);
	return rc;
}

static const struct export_col patrols_list_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"日期", EXPORT_DATE, 12, "date", NULL},
	{"救助站", EXPORT_TEXT, 18, "station_name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"巡查区域", EXPORT_TEXT, 20, "area", NULL},
	{"巡查人员", EXPORT_TEXT, 16, "staff", NULL},
	{"发现人数", EXPORT_INT, 8, "people", NULL},
	{"接受救助", EXPORT_INT, 8, "accepted", NULL},
	{"发放口罩", EXPORT_INT, 8, "masks", NULL},
	{"发放御寒衣物", EXPORT_INT, 10, "warm_clothing", NULL},
	{"发放食品", EXPORT_INT, 8, "food", NULL},
	{"备注", EXPORT_TEXT, 24, "note", NULL},
	{"登记人", EXPORT_TEXT, 10, "created_by", NULL},
};

static int patrols_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec patrols_list_export = {
	"rescue_patrols", "街面巡查", NULL, RESCUE_PAGE_MAX, EXPORT_COLS(patrols_list_cols)};

static int patrols_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x_ = export_requested(rq, e);
	if (x_ != 0)
		return x_ < 0 ? -1 : export_list(rq, rs, patrols_list, &patrols_list_export, e);
	struct rescue_patrol_query q;
	struct rescue_patrol_page pg;
	long station, limit, offset;
	memset(&q, 0, sizeof q);
	if (api_query_int(rq, "station_id", 0, 0, 1L << 40, &station, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, RESCUE_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 40, &offset, e) < 0 ||
	    api_query_str(rq, "from", q.from, sizeof q.from, e) < 0 ||
	    api_query_str(rq, "to", q.to, sizeof q.to, e) < 0)
		return -1;
	q.station_id = station;
	q.limit = (int)limit;
	q.offset = offset;
	if (rescue_patrol_list(rq->db, rq->actor, &q, &pg, e) < 0)
		return -1;
	json_t *items = json_array();
	for (int i = 0; items && i < pg.n; i++)
		json_array_append_new(items, rescue_patrol_json(&pg.items[i]));
	json_t *body =
	    items ? json_pack("{s:o, s:I, s:i, s:I}", "items", items, "total", (json_int_t)pg.total,
			      "limit", pg.limit, "offset", (json_int_t)pg.offset)
		  : NULL;
	rescue_patrol_page_release(&pg);
	return api_reply(rs, 200, body, e);
}

static int patrol_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	struct rescue_patrol_in *in = calloc(1, sizeof *in);
	int64_t id = 0;
	int rc = -1;
	if (!body)
		goto out;
	if (!in)
		err_oom(e);
	else if (rescue_patrol_from_json(body, in, e) == 0 &&
		 rescue_patrol_create(rq->db, rq->actor, in, NULL, &id, e) == 0)
		rc = patrol_reply(rq, rs, id, 201, e);
out:
	free(in);
	json_decref(body);
	return rc;
}

static int patrol_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return patrol_reply(rq, rs, id, 200, e);
}

static int dashboard_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	long station;
	char from[16] = "", to[16] = "";
	if (api_query_int(rq, "station_id", 0, 0, 1L << 40, &station, e) < 0 ||
	    api_query_str(rq, "from", from, sizeof from, e) < 0 ||
	    api_query_str(rq, "to", to, sizeof to, e) < 0)
		return -1;
	struct rescue_dashboard *d = calloc(1, sizeof *d);
	int rc = -1;
	if (!d)
		return err_oom(e);
	if (rescue_dashboard_get(rq->db, rq->actor, station, from, to, NULL, d, e) == 0) {
		rc = api_reply(rs, 200, rescue_dashboard_json(d), e);
		rescue_dashboard_release(d);
	}
	free(d);
	return rc;
}

#define INTAKE "/api/v1/rescue/intakes/{id}"

const struct api_route rescue_routes[] = {
    {"GET", "/api/v1/rescue/stations", stations_list, PERM_RESCUE, 0},
    {"POST", "/api/v1/rescue/stations", station_post, PERM_RESCUE, 0},
    {"GET", "/api/v1/rescue/stations/{id}", station_get, PERM_LOGIN, 0},
    {"POST", "/api/v1/rescue/stations/{id}/rooms", room_post, PERM_LOGIN, 0},
    {"PATCH", "/api/v1/rescue/rooms/{id}", room_patch, PERM_LOGIN, 0},
    {"GET", "/api/v1/rescue/intakes", intakes_list, PERM_RESCUE, 0},
    {"POST", "/api/v1/rescue/intakes", intake_post, PERM_RESCUE, 0},
    {"GET", INTAKE, intake_get, PERM_LOGIN, 0},
    {"POST", INTAKE "/family-search", family_search_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/observations", observation_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/tests", test_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/isolation", isolation_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/isolation/change", isolation_change_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/isolation/end", isolation_end_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/stay", stay_post, PERM_LOGIN, 0},
    {"POST", INTAKE "/discharge", discharge_post, PERM_LOGIN, 0},
    {"GET", "/api/v1/rescue/patrols", patrols_list, PERM_RESCUE, 0},
    {"POST", "/api/v1/rescue/patrols", patrol_post, PERM_RESCUE, 0},
    {"GET", "/api/v1/rescue/patrols/{id}", patrol_get, PERM_LOGIN, 0},
    {"GET", "/api/v1/rescue/dashboard", dashboard_get, PERM_RESCUE, 0},
    {0},
};
