/* jobs.h — long work off the event loops: a queue of jobs in the database and one runner thread.
 *
 * A handler (or the CLI) submits a job of a known kind with JSON parameters; it is stored as
 * 'queued' (audited) and the runner thread, which has its own database connection, claims it,
 * runs it as the submitting user, and records progress, the JSON result or the error. The loops
 * never wait for it: clients poll GET /api/v1/jobs/{id}. Several servers may share one database
 * (PostgreSQL, or one SQLite file): a running job carries its runner ("host:pid:start") and a
 * heartbeat the runner's server renews every JOBS_BEAT_SECONDS. A job whose runner is gone — a
 * process no longer alive on this host, or no heartbeat for JOBS_STALE_SECONDS — is marked
 * failed ("interrupted") by the next server that starts or looks (each does every
 * JOBS_BEAT_SECONDS); job functions must be safe to run again (payroll and imports are
 * idempotent by design).
 *
 * Kinds are a table in jobs_kinds.c: {name, function, permission}; a module adds one line.
 */
#ifndef MZ_JOBS_H
#define MZ_JOBS_H

#include <jansson.h>
#include <stdint.h>

#include "core/actor.h"
#include "db/db.h"
#include "http/api.h"

extern const char jobs_schema_v1[];
extern const char jobs_schema_v2[];

#define JOBS_BEAT_SECONDS 10
#define JOBS_STALE_SECONDS 60
extern const struct api_route jobs_routes[];

struct job_ctx; /* progress reporting for a running job */

/* Run the job. params is the submitted JSON object (borrowed). On success set *result to a new
 * JSON value (the runner takes it) and return 0; on failure return -1 with e filled. */
typedef int (*job_fn)(struct db *db, const struct actor *a, json_t *params, struct job_ctx *jc,
		      json_t **result, struct err *e);

struct job_kind {
	const char *name;  /* "audit.verify" */
	job_fn run;
	uint32_t perm;     /* permission the submitter needs */
	const char *label; /* Chinese, for people */
};

/* The kinds (jobs_kinds.c), ending with {0}. */
extern const struct job_kind jobs_kinds[];
const struct job_kind *jobs_kind_find(const char *name);

struct job_info {
	int64_t id;
	char kind[40];
	char status[12]; /* queued running done failed */
	char username[64];
	int64_t done, total;
	char message[256];
	char *result_json; /* malloc'd or NULL (release with jobs_info_release) */
	char error_code[40];
	char error_message[400];
	char created_at[32], started_at[32], finished_at[32];
};
void jobs_info_release(struct job_info *j);

/* Queue a job (one transaction with its audit row) and wake the runner. 400 for an unknown kind,
 * 403 when the actor lacks the kind's permission. */
int jobs_submit(struct db *db, const struct actor *a, const char *kind, json_t *params,
		int64_t *id, struct err *e);

/* A job as its submitter sees it; anyone else gets 404. */
int jobs_get(struct db *db, const struct actor *a, int64_t id, struct job_info *out, struct err *e);

/* A job as the API shows it: {"id","kind","status","username","done","total","message",
 * "created_at","started_at","finished_at","result","error"?}. New reference or NULL. */
json_t *jobs_info_json(const struct job_info *j);
/* Submit a job for the request's actor and answer 202 with it (the handlers that start long
 * work). params borrowed. */
int jobs_submit_reply(struct api_req *rq, struct api_res *rs, const char *kind, json_t *params,
		      struct err *e);

/* Report progress (done of total, with a short message); written at most every 200 ms. */
void job_progress(struct job_ctx *jc, int64_t done, int64_t total, const char *message);

/* Claim the oldest queued job and run it to the end on this connection. 1 = ran one, 0 = queue
 * empty, -1 = database error. Used by the runner thread, and by tests and the CLI directly. */
int jobs_run_next(struct db *db, struct err *e);

/* Mark jobs left 'running' by a runner that is gone as failed ("interrupted"). */
int jobs_recover(struct db *db, struct err *e);
/* Renew the heartbeat of this process's running jobs. */
int jobs_beat(struct db *db, struct err *e);
/* This process as a runner: "host:pid:start". */
const char *jobs_runner_id(void);

/* The runner thread (one per server). start opens its own connection to db_path. */
int jobs_runner_start(const char *db_path, struct err *e);
void jobs_runner_stop(void);
/* Wake the runner after a submit (no-op when no runner is started, e.g. in the CLI). */
void jobs_runner_wake(void);

#endif
