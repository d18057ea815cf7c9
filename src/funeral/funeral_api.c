/* funeral_api.c — the funeral module's HTTP routes (docs/funeral.md, docs/api.md "Funeral homes"):
 *
 *   GET  /api/v1/funeral/homes                       the funeral homes in scope with counts
 *   GET  /api/v1/funeral/homes/{id}/daily[?date=]    a home's figures for its daily report
 *   GET  /api/v1/funeral/bodies                      body records (filters, paging; masked)
 *   POST /api/v1/funeral/bodies                      register a body
 *   GET  /api/v1/funeral/bodies/{id}[?unmask=1]      one record with its steps
 *   POST /api/v1/funeral/bodies/{id}/steps           record a step (transfer … ashes)
 *   POST /api/v1/funeral/bodies/{id}/farewell        record a farewell gathering
 *   GET  /api/v1/funeral/suspensions                 farewell-gathering suspensions
 *   POST /api/v1/funeral/suspensions                 add a suspension (the city)
 *
 * Handlers only translate JSON ⇄ the domain functions of funeral.h, which check permission,
 * scope and the rules. Routes by id need a login only, so that an actor without the funeral
 * permission is told 404 like for a record out of scope; the daily figures also serve the home's
 * own reporter. Every write answers with the record as stored (masked). */
#include "funeral/funeral.h"
#include "core/clock.h"
#include "export/export.h"

#include <stdlib.h>
#include <string.h>

/* ---- JSON --------------------------------------------------------------------------------- */

json_t *funeral_body_json(const struct funeral_body *b)
{
	json_t *steps = json_array();
	for (int i = 0; steps && i < b->n_steps; i++) {
		const struct funeral_step_rec *s = &b->steps[i];
		json_array_append_new(
		    steps, json_pack("{s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:s}", "step",
				     funeral_step_name(s->step), "at", s->at, "staff", s->staff,
				     "dedicated", s->dedicated, "vehicle", api_json_opt_str(s->vehicle),
				     "cremator", api_json_opt_str(s->cremator), "ashes",
				     api_json_opt_str(s->ashes), "receiver",
				     api_json_opt_str(s->receiver), "note", api_json_opt_str(s->note),
				     "recorded_by", s->recorded_by));
	}
	if (!steps)
		return NULL;
	json_t *o = json_pack(
	    "{s:I, s:I, s:s, s:s, s:b, s:o, s:o, s:o, s:s, s:s, s:b, s:s, s:b, s:o, s:s, s:o, s:o, "
	    "s:I, s:o, s:s, s:s, s:b}",
	    "id", (json_int_t)b->id, "institution_id", (json_int_t)b->institution_id, "home_name",
	    b->home_name, "region_code", b->region_code, "unidentified", b->unidentified,
	    "id_number", api_json_opt_str(b->id_number), "name", api_json_opt_str(b->name),
	    "description", api_json_opt_str(b->description), "died_on", b->died_on, "source",
	    b->source, "free_transfer", b->free_transfer, "cause", b->cause, "epidemic",
	    funeral_cause_epidemic(b->cause), "person_id", api_json_opt_id(b->person_id), "status",
	    b->status, "next_step", api_json_opt_str(b->next_step), "farewell_on",
	    api_json_opt_str(b->farewell_on), "farewell_attendees", (json_int_t)b->farewell_attendees,
	    "note", api_json_opt_str(b->note), "created_at", b->created_at, "created_by",
	    b->created_by, "masked", !b->unmasked);
	if (!o) {
		json_decref(steps);
		return NULL;
	}
	json_object_set_new(o, "steps", steps);
	return o;
}

static int body_reply(struct api_req *rq, struct api_res *rs, int64_t id, int unmask, int status,
		      struct err *e)
{
	struct funeral_body *b = calloc(1, sizeof *b);
	if (!b)
		return err_oom(e);
	int rc = -1;
	if (funeral_body_get(rq->db, rq->actor, id, unmask, b, e) == 0)
		rc = api_reply(rs, status, funeral_body_json(b), e);
	free(b);
	return rc;
}

/* ---- homes -------------------------------------------------------------------------------- */

static int home_cb(const struct funeral_home *h, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:s, s:I, s:I, s:I}", "id",
					     (json_int_t)h->id, "name", h->name, "region_code",
					     h->region_code, "bodies", (json_int_t)h->bodies,
					     "epidemic", (json_int_t)h->epidemic, "open",
					     (json_int_t)h->open));
	return 0;
}

static const struct export_col homes_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"殡仪馆", EXPORT_TEXT, 20, "name", NULL},
	{"区划代码", EXPORT_TEXT, 14, "region_code", NULL},
	{"遗体记录", EXPORT_INT, 10, "bodies", NULL},
	{"其中确诊疑似", EXPORT_INT, 12, "epidemic", NULL},
	{"未办结", EXPORT_INT, 10, "open", NULL},
};

static int homes_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec homes_export = {"funeral_homes", "殡仪馆", NULL, 0,
						     EXPORT_COLS(homes_cols)};

static int homes_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, homes_list, &homes_export, e);
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (funeral_homes_list(rq->db, rq->actor, home_cb, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	size_t n = json_array_size(items);
	return api_reply(rs, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n), e);
}

static int home_daily(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	char date[16] = "";
	if (api_param_id(rq, 0, &id, e) < 0 || api_query_str(rq, "date", date, sizeof date, e) < 0)
		return -1;
	if (!date[0])
		clock_today(date); /* the home's day today (Beijing time) */
	struct funeral_daily d;
	if (funeral_daily_get(rq->db, rq->actor, id, date, &d, e) < 0)
		return -1;
	return api_reply(
	    rs, 200,
	    json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "institution_id",
		      (json_int_t)d.institution_id, "date", d.date, "registered",
		      (json_int_t)d.registered, "deaths", (json_int_t)d.deaths_registered, "transfers",
		      (json_int_t)d.transfers, "cremations", (json_int_t)d.cremations,
		      "epidemic_cremations", (json_int_t)d.epidemic_cremations, "disinfections",
		      (json_int_t)d.disinfections, "ashes", (json_int_t)d.ashes, "open",
		      (json_int_t)d.open, "gatherings", (json_int_t)d.gatherings),
	    e);
}

/* ---- bodies ------------------------------------------------------------------------------- */

static const struct export_col bodies_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"殡仪馆", EXPORT_TEXT, 18, "home_name", NULL},
	{"姓名", EXPORT_TEXT, 10, "name", NULL},
	{"身份证号", EXPORT_TEXT, 21, "id_number", NULL},
	{"身份不明", EXPORT_BOOL, 8, "unidentified", NULL},
	{"死亡日期", EXPORT_DATE, 12, "died_on", NULL},
	{"来源", EXPORT_TEXT, 8, "source", "hospital=医院;home=家中;other=其他"},
	{"免费接运", EXPORT_BOOL, 8, "free_transfer", NULL},
	{"死因类别", EXPORT_TEXT, 10, "cause", "confirmed=新冠确诊;suspected=新冠疑似;other=其他"},
	{"进度", EXPORT_TEXT, 10, "status",
	 "registered=已登记;transfer=已接运;cremation=已火化;disinfection=已终末消毒;ashes=骨灰已处置"},
	{"告别仪式", EXPORT_DATE, 12, "farewell_on", NULL},
};

static int body_cb(const struct funeral_body *b, void *ctx)
{
	json_t *o = funeral_body_json(b);
	if (o) {
		json_object_del(o, "steps");
		json_object_del(o, "next_step");
	}
	json_array_append_new(ctx, o);
	return 0;
}

static int bodies_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec bodies_export = {"funeral_bodies", "遗体接运火化", NULL,
						      FUNERAL_PAGE_MAX, EXPORT_COLS(bodies_cols)};

static int bodies_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, bodies_list, &bodies_export, e);
	struct funeral_filter f;
	long home, limit, offset;
	memset(&f, 0, sizeof f);
	if (api_query_int(rq, "institution_id", 0, 0, 1L << 40, &home, e) < 0 ||
	    api_query_int(rq, "limit", 50, 1, FUNERAL_PAGE_MAX, &limit, e) < 0 ||
	    api_query_int(rq, "offset", 0, 0, 1L << 30, &offset, e) < 0 ||
	    api_query_str(rq, "cause", f.cause, sizeof f.cause, e) < 0 ||
	    api_query_str(rq, "status", f.status, sizeof f.status, e) < 0 ||
	    api_query_str(rq, "from", f.from, sizeof f.from, e) < 0 ||
	    api_query_str(rq, "to", f.to, sizeof f.to, e) < 0)
		return -1;
	f.institution_id = home;
	f.limit = (int)limit;
	f.offset = (int)offset;
	f.unmask = api_query_flag(rq, "unmask");
	json_t *items = json_array();
	int64_t total = 0;
	if (!items)
		return err_oom(e);
	if (funeral_body_list(rq->db, rq->actor, &f, body_cb, items, &total, e) < 0) {
		json_decref(items);
		return -1;
	}
	return api_reply(rs, 200,
			 json_pack("{s:o, s:I, s:i, s:i}", "items", items, "total", (json_int_t)total,
				   "limit", (int)limit, "offset", (int)offset),
			 e);
}

static int body_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct funeral_body_in *in = calloc(1, sizeof *in);
	int rc = -1, unid = 0;
	int64_t id = 0;
	if (!in) {
		err_oom(e);
		goto out;
	}
	if (api_json_id(body, "institution_id", &in->institution_id, e) < 0 ||
	    api_json_bool(body, "unidentified", &unid, e) < 0 ||
	    api_json_str(body, "id_number", in->id_number, sizeof in->id_number, e) < 0 ||
	    api_json_str(body, "name", in->name, sizeof in->name, e) < 0 ||
	    api_json_str(body, "description", in->description, sizeof in->description, e) < 0 ||
	    api_json_str(body, "died_on", in->died_on, sizeof in->died_on, e) < 0 ||
	    api_json_str(body, "source", in->source, sizeof in->source, e) < 0 ||
	    api_json_str(body, "cause", in->cause, sizeof in->cause, e) < 0 ||
	    api_json_str(body, "note", in->note, sizeof in->note, e) < 0)
		goto out;
	in->unidentified = unid;
	if (funeral_body_create(rq->db, rq->actor, in, NULL, &id, e) < 0)
		goto out;
	rc = body_reply(rq, rs, id, 0, 201, e);
out:
	free(in);
	json_decref(body);
	return rc;
}

static int body_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	return body_reply(rq, rs, id, api_query_flag(rq, "unmask"), 200, e);
}

static int step_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	struct funeral_step_in *in = calloc(1, sizeof *in);
	char step[24] = "";
	int rc = -1, dedicated = 0;
	if (!in) {
		err_oom(e);
		goto out;
	}
	if (api_json_str(body, "step", step, sizeof step, e) < 0 ||
	    api_json_str(body, "at", in->at, sizeof in->at, e) < 0 ||
	    api_json_str(body, "staff", in->staff, sizeof in->staff, e) < 0 ||
	    api_json_bool(body, "dedicated", &dedicated, e) < 0 ||
	    api_json_str(body, "vehicle", in->vehicle, sizeof in->vehicle, e) < 0 ||
	    api_json_str(body, "cremator", in->cremator, sizeof in->cremator, e) < 0 ||
	    api_json_str(body, "ashes", in->ashes, sizeof in->ashes, e) < 0 ||
	    api_json_str(body, "receiver", in->receiver, sizeof in->receiver, e) < 0 ||
	    api_json_str(body, "note", in->note, sizeof in->note, e) < 0)
		goto out;
	/* an absent or unknown step is refused by the domain once the record is found (404 first) */
	in->step = step[0] ? funeral_step_of(step) : FUNERAL_STEP_NONE;
	in->dedicated = dedicated;
	if (funeral_step_record(rq->db, rq->actor, id, in, NULL, e) < 0)
		goto out;
	rc = body_reply(rq, rs, id, 0, 201, e);
out:
	free(in);
	json_decref(body);
	return rc;
}

static int farewell_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id, attendees = 0;
	char on[16] = "";
	if (api_param_id(rq, 0, &id, e) < 0)
		return -1;
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	int rc = -1;
	if (api_json_str(body, "on", on, sizeof on, e) < 0 ||
	    api_json_int(body, "attendees", 0, 500, &attendees, e) < 0)
		goto out;
	if (funeral_farewell_record(rq->db, rq->actor, id, on, attendees, e) < 0)
		goto out;
	rc = body_reply(rq, rs, id, 0, 201, e);
out:
	json_decref(body);
	return rc;
}

/* ---- suspensions -------------------------------------------------------------------------- */

static int susp_cb(const struct funeral_suspension *s, void *ctx)
{
	json_array_append_new(ctx, json_pack("{s:I, s:s, s:o, s:o, s:s, s:s}", "id",
					     (json_int_t)s->id, "from_date", s->from_date, "to_date",
					     api_json_opt_str(s->to_date), "note",
					     api_json_opt_str(s->note), "created_by", s->created_by,
					     "created_at", s->created_at));
	return 0;
}

static const struct export_col susp_cols[] = {
	{"编号", EXPORT_INT, 8, "id", NULL},
	{"开始日期", EXPORT_DATE, 12, "from_date", NULL},
	{"结束日期", EXPORT_DATE, 12, "to_date", NULL},
	{"说明", EXPORT_TEXT, 30, "note", NULL},
	{"设定人", EXPORT_TEXT, 12, "created_by", NULL},
};

static int susp_list(struct api_req *rq, struct api_res *rs, struct err *e);
static const struct export_list_spec susp_export = {"funeral_suspensions", "暂停告别仪式", NULL, 0,
						    EXPORT_COLS(susp_cols)};

static int susp_list(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int x = export_requested(rq, e);
	if (x != 0)
		return x < 0 ? -1 : export_list(rq, rs, susp_list, &susp_export, e);
	json_t *items = json_array();
	if (!items)
		return err_oom(e);
	if (funeral_suspensions_list(rq->db, susp_cb, items, e) < 0) {
		json_decref(items);
		return -1;
	}
	size_t n = json_array_size(items);
	return api_reply(rs, 200, json_pack("{s:o, s:I}", "items", items, "total", (json_int_t)n), e);
}

static int susp_post(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	char from[16] = "", to[16] = "", note[FUNERAL_TEXT_SZ] = "";
	int64_t id;
	int rc = -1;
	if (api_json_str(body, "from_date", from, sizeof from, e) < 0 ||
	    api_json_str(body, "to_date", to, sizeof to, e) < 0 ||
	    api_json_str(body, "note", note, sizeof note, e) < 0 ||
	    funeral_suspension_add(rq->db, rq->actor, from, to, note, &id, e) < 0)
		goto out;
	rc = api_reply(rs, 201,
		       json_pack("{s:I, s:s, s:o, s:o}", "id", (json_int_t)id, "from_date", from,
				 "to_date", api_json_opt_str(to), "note", api_json_opt_str(note)),
		       e);
out:
	json_decref(body);
	return rc;
}

const struct api_route funeral_routes[] = {
	{"GET", "/api/v1/funeral/homes", homes_list, PERM_FUNERAL, 0},
	{"GET", "/api/v1/funeral/homes/{id}/daily", home_daily, PERM_LOGIN, 0},
	{"GET", "/api/v1/funeral/bodies", bodies_list, PERM_FUNERAL, 0},
	{"POST", "/api/v1/funeral/bodies", body_post, PERM_FUNERAL, 0},
	{"GET", "/api/v1/funeral/bodies/{id}", body_get, PERM_LOGIN, 0},
	{"POST", "/api/v1/funeral/bodies/{id}/steps", step_post, PERM_FUNERAL, 0},
	{"POST", "/api/v1/funeral/bodies/{id}/farewell", farewell_post, PERM_FUNERAL, 0},
	{"GET", "/api/v1/funeral/suspensions", susp_list, PERM_FUNERAL, 0},
	{"POST", "/api/v1/funeral/suspensions", susp_post, PERM_FUNERAL, 0},
	{0},
};
