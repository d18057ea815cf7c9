/* jobs_store.c — the jobs table: submitting, claiming, progress, results, and reading them back
 * (see jobs.h). */
#include "jobs/jobs.h"
#include "accounts/accounts.h"
#include "audit/audit.h"
#include "core/clock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char jobs_schema_v1[] =
	"CREATE TABLE jobs ("
	"  id INTEGER PRIMARY KEY,"
	"  kind TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('queued','running','done','failed')),"
	"  user_id INTEGER NOT NULL,"
	"  username TEXT NOT NULL,"
	"  params TEXT NOT NULL,"
	"  done INTEGER NOT NULL DEFAULT 0,"
	"  total INTEGER NOT NULL DEFAULT 0,"
	"  message TEXT NOT NULL DEFAULT '',"
	"  result TEXT,"
	"  error_code TEXT NOT NULL DEFAULT '',"
	"  error_message TEXT NOT NULL DEFAULT '',"
	"  created_at TEXT NOT NULL,"
	"  started_at TEXT NOT NULL DEFAULT '',"
	"  finished_at TEXT NOT NULL DEFAULT ''"
	");"
	"CREATE INDEX jobs_by_status ON jobs(status, id);"
	"CREATE INDEX jobs_by_user ON jobs(user_id, id);";

/* Which runner holds a running job, and when it last said it is alive (several servers may
 * share one database: one must not take another's running job for an interrupted one). */
const char jobs_schema_v2[] =
	"ALTER TABLE jobs ADD COLUMN runner TEXT NOT NULL DEFAULT '';"
	"ALTER TABLE jobs ADD COLUMN beat_at INTEGER NOT NULL DEFAULT 0;";

/* This process as a runner: "host:pid:start" (start in unix seconds, so a restarted container
 * that got the same pid is another runner). */
static char self_id[128];
static pthread_once_t self_once = PTHREAD_ONCE_INIT;

static void self_make(void)
{
	char host[64] = "";
	if (gethostname(host, sizeof host) < 0 || !host[0])
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = 0;
	for (char *c = host; *c; c++)
		if (*c == ':')
			*c = '_';
	snprintf(self_id, sizeof self_id, "%s:%ld:%lld", host, (long)getpid(), (long long)clock_unix());
}

const char *jobs_runner_id(void)
{
	pthread_once(&self_once, self_make);
	return self_id;
}

struct job_ctx {
	struct db *db;
	int64_t id;
	struct timespec last;
};

const struct job_kind *jobs_kind_find(const char *name)
{
	for (const struct job_kind *k = jobs_kinds; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

void jobs_info_release(struct job_info *j)
{
	free(j->result_json);
	j->result_json = NULL;
}

int jobs_submit(struct db *db, const struct actor *a, const char *kind, json_t *params,
		int64_t *id, struct err *e)
{
	const struct job_kind *k = jobs_kind_find(kind ? kind : "");
	char at[32], object[64];
	if (!k)
		return err_set(e, 400, "invalid_value", "kind", "未知的任务类型：%s", kind ? kind : "");
	if (!actor_can(a, k->perm))
		return err_set(e, 403, "forbidden", "kind", "您的角色无权执行任务：%s", k->label);
	char *ptext = params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
	if (!ptext)
		return err_set(e, 500, "internal", NULL, "内存不足");
	clock_now_iso(at);
	if (db_begin_write(db, e) < 0) {
		free(ptext);
		return -1;
	}
	struct db_stmt *st = db_prepare(db, "INSERT INTO jobs(kind, status, user_id, username, params, "
					    "created_at) VALUES (?, 'queued', ?, ?, ?, ?)", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, k->name);
	db_bind_int(st, 2, a->user_id);
	db_bind_text(st, 3, a->username);
	db_bind_text(st, 4, ptext);
	db_bind_text(st, 5, at);
	if (db_run(st, e) < 0)
		goto fail;
	*id = db_last_id(db);
	snprintf(object, sizeof object, "job:%lld", (long long)*id);
	if (audit_append(db, a, "job.submit", object, "ok", k->name, e) < 0)
		goto fail;
	free(ptext);
	if (db_commit(db, e) < 0)
		return -1;
	jobs_runner_wake();
	return 0;
fail:
	free(ptext);
	db_rollback(db);
	return -1;
}

int jobs_get(struct db *db, const struct actor *a, int64_t id, struct job_info *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	struct db_stmt *st = db_prepare(db, "SELECT id, kind, status, username, done, total, message, "
					    "result, error_code, error_message, created_at, started_at, "
					    "finished_at, user_id FROM jobs WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st, e);
	if (rc == 1) {
		if (db_col_int(st, 13) != a->user_id) {
			rc = 0; /* somebody else's job: not found */
		} else {
			out->id = db_col_int(st, 0);
			snprintf(out->kind, sizeof out->kind, "%s", db_col_text(st, 1));
			snprintf(out->status, sizeof out->status, "%s", db_col_text(st, 2));
			snprintf(out->username, sizeof out->username, "%s", db_col_text(st, 3));
			out->done = db_col_int(st, 4);
			out->total = db_col_int(st, 5);
			snprintf(out->message, sizeof out->message, "%s", db_col_text(st, 6));
			if (!db_col_is_null(st, 7))
				out->result_json = strdup(db_col_text(st, 7));
			snprintf(out->error_code, sizeof out->error_code, "%s", db_col_text(st, 8));
			snprintf(out->error_message, sizeof out->error_message, "%s", db_col_text(st, 9));
			snprintf(out->created_at, sizeof out->created_at, "%s", db_col_text(st, 10));
			snprintf(out->started_at, sizeof out->started_at, "%s", db_col_text(st, 11));
			snprintf(out->finished_at, sizeof out->finished_at, "%s", db_col_text(st, 12));
		}
	}
	db_done(st);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, 404, "not_found", NULL, "任务不存在");
	return 0;
}

void job_progress(struct job_ctx *jc, int64_t done, int64_t total, const char *message)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	int64_t ms = (now.tv_sec - jc->last.tv_sec) * 1000 + (now.tv_nsec - jc->last.tv_nsec) / 1000000;
	if (ms < 200 && done < total)
		return;
	jc->last = now;
	struct err e;
	/* Progress is advisory: written outside any transaction the job may hold would need a
	 * second connection, so a job holding a write transaction reports when it commits. */
	if (db_in_transaction(jc->db))
		return;
	struct db_stmt *st = db_prepare(jc->db, "UPDATE jobs SET done = ?, total = ?, message = ? "
						"WHERE id = ?", &e);
	if (!st)
		return;
	db_bind_int(st, 1, done);
	db_bind_int(st, 2, total);
	db_bind_text(st, 3, message ? message : "");
	db_bind_int(st, 4, jc->id);
	db_run(st, &e);
}

static int job_finish(struct db *db, int64_t id, const char *status, const char *result,
		      const struct err *je, struct err *e)
{
	char at[32];
	clock_now_iso(at);
	struct db_stmt *st = db_prepare(db, "UPDATE jobs SET status = ?, result = ?, error_code = ?, "
					    "error_message = ?, finished_at = ? WHERE id = ?", e);
	if (!st)
		return -1;
	db_bind_text(st, 1, status);
	db_bind_text(st, 2, result);
	db_bind_text(st, 3, je ? je->code : "");
	db_bind_text(st, 4, je ? je->message : "");
	db_bind_text(st, 5, at);
	db_bind_int(st, 6, id);
	return db_run(st, e);
}

int jobs_run_next(struct db *db, struct err *e)
{
	char at[32], kind[40] = "";
	int64_t id = 0, user_id = 0;
	char *ptext = NULL;
	clock_now_iso(at);
	/* Claim: one write transaction, so two runners can never take the same job. */
	if (db_begin_write(db, e) < 0)
		return -1;
	struct db_stmt *st = db_prepare(db, "SELECT id, kind, user_id, params FROM jobs "
					    "WHERE status = 'queued' ORDER BY id LIMIT 1", e);
	if (!st)
		goto fail;
	int rc = db_step(st, e);
	if (rc == 1) {
		id = db_col_int(st, 0);
		snprintf(kind, sizeof kind, "%s", db_col_text(st, 1));
		user_id = db_col_int(st, 2);
		ptext = strdup(db_col_text(st, 3));
	}
	db_done(st);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		db_rollback(db);
		return 0;
	}
	st = db_prepare(db, "UPDATE jobs SET status = 'running', started_at = ?, runner = ?, beat_at = ? "
			    "WHERE id = ?", e);
	if (!st)
		goto fail;
	db_bind_text(st, 1, at);
	db_bind_text(st, 2, jobs_runner_id());
	db_bind_int(st, 3, clock_unix());
	db_bind_int(st, 4, id);
	if (db_run(st, e) < 0 || db_commit(db, e) < 0)
		goto fail;

	struct err je;
	struct actor a;
	json_t *result = NULL;
	json_t *params = json_loads(ptext ? ptext : "{}", 0, NULL);
	const struct job_kind *k = jobs_kind_find(kind);
	int ok = -1;
	err_clear(&je);
	if (!k)
		err_set(&je, 500, "internal", NULL, "未知的任务类型：%s", kind);
	else if (!params)
		err_set(&je, 500, "internal", NULL, "任务参数损坏");
	else if (accounts_actor_for_user(db, user_id, &a, &je) == 0) {
		snprintf(a.client, sizeof a.client, "job:%lld", (long long)id);
		struct job_ctx jc = {.db = db, .id = id};
		ok = k->run(db, &a, params, &jc, &result, &je);
		if (db_in_transaction(db))
			db_rollback(db); /* a job must not leave a transaction open */
	}
	char *rtext = ok == 0 && result ? json_dumps(result, JSON_COMPACT) : NULL;
	int frc = job_finish(db, id, ok == 0 ? "done" : "failed", rtext, ok == 0 ? NULL : &je, e);
	free(rtext);
	json_decref(result);
	json_decref(params);
	free(ptext);
	return frc < 0 ? -1 : 1;
fail:
	free(ptext);
	db_rollback(db);
	return -1;
}

/* Whether the runner named id ("host:pid:start") is known to be gone: on this host, a process
 * that no longer exists, or this pid in another incarnation. A runner on another host is judged
 * by its heartbeat only. */
static int runner_gone(const char *id)
{
	const char *self = jobs_runner_id();
	const char *c1 = strchr(id, ':');
	const char *s1 = strchr(self, ':');
	if (!c1 || !s1 || c1 - id != s1 - self || strncmp(id, self, (size_t)(c1 - id)) != 0)
		return 0;
	long pid = strtol(c1 + 1, NULL, 10);
	if (pid <= 0)
		return 1;
	if (pid == (long)getpid())
		return strcmp(id, self) != 0;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

int jobs_recover(struct db *db, struct err *e)
{
	char at[32];
	clock_now_iso(at);
	int64_t stale = clock_unix() - JOBS_STALE_SECONDS;
	/* the running jobs and their runners, judged here (the process check is not SQL) */
	struct db_stmt *st = db_prepare(db, "SELECT id, runner, beat_at FROM jobs WHERE status = 'running' "
					    "ORDER BY id", e);
	if (!st)
		return -1;
	int64_t gone[64];
	int n = 0, rc;
	while ((rc = db_step(st, e)) == 1 && n < (int)(sizeof gone / sizeof gone[0])) {
		const char *runner = db_col_text(st, 1);
		if (!runner[0] || db_col_int(st, 2) < stale || runner_gone(runner))
			gone[n++] = db_col_int(st, 0);
	}
	db_done(st);
	if (rc < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		st = db_prepare(db, "UPDATE jobs SET status = 'failed', error_code = 'interrupted', "
				    "error_message = '服务停止时任务未完成，请重新提交', finished_at = ? "
				    "WHERE id = ? AND status = 'running'", e);
		if (!st)
			return -1;
		db_bind_text(st, 1, at);
		db_bind_int(st, 2, gone[i]);
		if (db_run(st, e) < 0)
			return -1;
	}
	return 0;
}

int jobs_beat(struct db *db, struct err *e)
{
	struct db_stmt *st = db_prepare(db, "UPDATE jobs SET beat_at = ? WHERE runner = ? AND status = 'running'", e);
	if (!st)
		return -1;
	db_bind_int(st, 1, clock_unix());
	db_bind_text(st, 2, jobs_runner_id());
	return db_run(st, e);
}
