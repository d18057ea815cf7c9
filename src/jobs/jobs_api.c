/* jobs_api.c — POST /api/v1/jobs (submit), GET /api/v1/jobs/{id} (poll). */
#include "jobs/jobs.h"

#include <string.h>

json_t *jobs_info_json(const struct job_info *j)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)j->id,
			      "kind", j->kind, "status", j->status, "username", j->username, "done",
			      (json_int_t)j->done, "total", (json_int_t)j->total, "message",
			      j->message, "created_at", j->created_at, "started_at", j->started_at,
			      "finished_at", j->finished_at);
	if (!o)
		return NULL;
	json_t *result = j->result_json ? json_loads(j->result_json, 0, NULL) : NULL;
	json_object_set_new(o, "result", result ? result : json_null());
	if (strcmp(j->status, "failed") == 0)
		json_object_set_new(o, "error", json_pack("{s:s,s:s}", "code", j->error_code,
							  "message", j->error_message));
	return o;
}

int jobs_submit_reply(struct api_req *rq, struct api_res *rs, const char *kind, json_t *params,
		      struct err *e)
{
	int64_t id;
	struct job_info j;
	if (jobs_submit(rq->db, rq->actor, kind, params, &id, e) < 0 ||
	    jobs_get(rq->db, rq->actor, id, &j, e) < 0)
		return -1;
	rs->status = 202;
	rs->body = jobs_info_json(&j);
	jobs_info_release(&j);
	return rs->body ? 0 : err_oom(e);
}

static int job_submit(struct api_req *rq, struct api_res *rs, struct err *e)
{
	json_t *body = api_body_object(rq, e);
	if (!body)
		return -1;
	const char *kind = json_string_value(json_object_get(body, "kind"));
	json_t *params = json_object_get(body, "params");
	if (params && !json_is_object(params)) {
		json_decref(body);
		return err_set(e, 400, "invalid_value", "params", "params 应为 JSON 对象");
	}
	int64_t id;
	int rc = jobs_submit(rq->db, rq->actor, kind, params, &id, e);
	json_decref(body);
	if (rc < 0)
		return -1;
	struct job_info j;
	if (jobs_get(rq->db, rq->actor, id, &j, e) < 0)
		return -1;
	rs->status = 202;
	rs->body = jobs_info_json(&j);
	jobs_info_release(&j);
	return 0;
}

static int job_get(struct api_req *rq, struct api_res *rs, struct err *e)
{
	int64_t id;
	struct job_info j;
	if (api_param_id(rq, 0, &id, e) < 0 || jobs_get(rq->db, rq->actor, id, &j, e) < 0)
		return -1;
	rs->body = jobs_info_json(&j);
	jobs_info_release(&j);
	return 0;
}

const struct api_route jobs_routes[] = {
	{"POST", "/api/v1/jobs", job_submit, PERM_LOGIN, 0},
	{"GET", "/api/v1/jobs/{id}", job_get, PERM_LOGIN, 0},
	{0},
};
