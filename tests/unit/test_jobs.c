/* test_jobs.c — the job queue and runner: submit, claim, run as the submitter, results, errors,
 * visibility, recovery after a stop. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "jobs/jobs.h"
#include "regions/regions.h"
#include "core/clock.h"

#include <string.h>
#include <unistd.h>

static struct db *setup(void)
{
	struct db *db = testdb_open();
	struct err e;
	if (regions_load_builtin(db, &e) < 0)
		abort();
	return db;
}

TEST(submitted_job_is_queued_then_done_with_its_result)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	struct err e;
	int64_t id;
	struct job_info j;
	CHECK_EQ_INT(jobs_submit(db, &admin, "audit.verify", NULL, &id, &e), 0);
	CHECK_EQ_INT(jobs_get(db, &admin, id, &j, &e), 0);
	CHECK_EQ_STR(j.status, "queued");
	jobs_info_release(&j);
	CHECK_EQ_INT(jobs_run_next(db, &e), 1);
	CHECK_EQ_INT(jobs_run_next(db, &e), 0); /* queue now empty */
	CHECK_EQ_INT(jobs_get(db, &admin, id, &j, &e), 0);
	CHECK_EQ_STR(j.status, "done");
	CHECK(j.result_json && strstr(j.result_json, "\"intact\":true"));
	CHECK(j.finished_at[0] != '\0');
	CHECK_EQ_INT(j.done, j.total);
	jobs_info_release(&j);
	db_close(db);
}

TEST(submit_is_audited_in_the_same_transaction)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	struct err e;
	int64_t id;
	int64_t before = db_query_int(db, "SELECT count(*) FROM audit_log WHERE action='job.submit'", NULL);
	CHECK_EQ_INT(jobs_submit(db, &admin, "audit.verify", NULL, &id, &e), 0);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM audit_log WHERE action='job.submit'", NULL),
		     before + 1);
	db_close(db);
}

TEST(unknown_kind_is_400_and_queues_nothing)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	struct err e;
	int64_t id;
	CHECK_EQ_INT(jobs_submit(db, &admin, "no.such.job", NULL, &id, &e), -1);
	CHECK_EQ_INT(e.status, 400);
	CHECK_EQ_STR(e.field, "kind");
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM jobs", NULL), 0);
	db_close(db);
}

TEST(kind_permission_is_checked_before_queueing)
{
	struct db *db = setup();
	struct actor twp = testactor_user(db, "twp1", "township_assistant", "370704008");
	struct err e;
	int64_t id;
	CHECK_EQ_INT(jobs_submit(db, &twp, "audit.verify", NULL, &id, &e), -1);
	CHECK_EQ_INT(e.status, 403);
	CHECK_EQ_INT(db_query_int(db, "SELECT count(*) FROM jobs", NULL), 0);
	db_close(db);
}

TEST(another_users_job_is_not_found)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	struct actor other = testactor_user(db, "admin2", "city_admin", "3707");
	struct err e;
	int64_t id;
	struct job_info j;
	CHECK_EQ_INT(jobs_submit(db, &admin, "audit.verify", NULL, &id, &e), 0);
	CHECK_EQ_INT(jobs_get(db, &other, id, &j, &e), -1);
	CHECK_EQ_INT(e.status, 404);
	db_close(db);
}

TEST(job_left_running_by_a_stopped_server_is_marked_interrupted)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	struct err e;
	int64_t id;
	struct job_info j;
	CHECK_EQ_INT(jobs_submit(db, &admin, "audit.verify", NULL, &id, &e), 0);
	db_exec(db, "UPDATE jobs SET status='running'", &e); /* as if the process died mid-job */
	CHECK_EQ_INT(jobs_recover(db, &e), 0);
	CHECK_EQ_INT(jobs_get(db, &admin, id, &j, &e), 0);
	CHECK_EQ_STR(j.status, "failed");
	CHECK_EQ_STR(j.error_code, "interrupted");
	jobs_info_release(&j);
	db_close(db);
}

/* One running job per runner description; which of them jobs_recover takes for interrupted. */
static const char *recovered_status(struct db *db, struct actor *admin, const char *runner, int64_t beat_age)
{
	static char status[16];
	struct err e;
	int64_t id;
	struct job_info j;
	CHECK_EQ_INT(jobs_submit(db, admin, "audit.verify", NULL, &id, &e), 0);
	struct db_stmt *st = db_prepare(db, "UPDATE jobs SET status = 'running', runner = ?, beat_at = ? WHERE id = ?", &e);
	CHECK(st != NULL);
	db_bind_text(st, 1, runner);
	db_bind_int(st, 2, clock_unix() - beat_age);
	db_bind_int(st, 3, id);
	CHECK_EQ_INT(db_run(st, &e), 0);
	CHECK_EQ_INT(jobs_recover(db, &e), 0);
	CHECK_EQ_INT(jobs_get(db, admin, id, &j, &e), 0);
	snprintf(status, sizeof status, "%s", j.status);
	jobs_info_release(&j);
	return status;
}

TEST(another_servers_running_job_is_left_alone_while_its_runner_lives)
{
	struct db *db = setup();
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	char host[64], live[160], dead[160], again[160];
	/* this host as jobs_runner_id names it */
	snprintf(host, sizeof host, "%s", jobs_runner_id());
	*strchr(host, ':') = 0;
	/* pid 1 always exists; a pid far above pid_max never does */
	snprintf(live, sizeof live, "%s:1:100", host);
	snprintf(dead, sizeof dead, "%s:2147483000:100", host);
	snprintf(again, sizeof again, "%s:%ld:100", host, (long)getpid()); /* this pid, an earlier life */
	/* another host, heard from 5 s ago: running on; silent past JOBS_STALE_SECONDS: interrupted */
	CHECK_EQ_STR(recovered_status(db, &admin, "other-host:4242:100", 5), "running");
	CHECK_EQ_STR(recovered_status(db, &admin, "other-host:4242:100", JOBS_STALE_SECONDS + 5), "failed");
	/* this host: a live process runs on, a gone one or an earlier life of this pid is interrupted
	 * at once, heartbeat or not */
	CHECK_EQ_STR(recovered_status(db, &admin, live, 5), "running");
	CHECK_EQ_STR(recovered_status(db, &admin, dead, 5), "failed");
	CHECK_EQ_STR(recovered_status(db, &admin, again, 5), "failed");
	CHECK_EQ_STR(recovered_status(db, &admin, jobs_runner_id(), 5), "running");
	/* the heartbeat renews this process's jobs only */
	struct err e;
	db_exec(db, "UPDATE jobs SET beat_at = 0 WHERE status = 'running'", &e);
	CHECK_EQ_INT(jobs_beat(db, &e), 0);
	CHECK_EQ_INT((int)db_query_int(db, "SELECT count(*) FROM jobs WHERE status = 'running' AND beat_at > 0", NULL), 1);
	CHECK_EQ_INT(jobs_recover(db, &e), 0);
	CHECK_EQ_INT((int)db_query_int(db, "SELECT count(*) FROM jobs WHERE status = 'running'", NULL), 1);
	db_close(db);
}

TEST(runner_thread_runs_a_job_submitted_after_it_started)
{
	/* A file database: the runner has its own connection. */
	char path[] = "/tmp/mz-test-jobs-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	struct db *db;
	struct err e;
	CHECK_EQ_INT(db_open(&db, path, &e), 0);
	CHECK_EQ_INT(db_migrate(db, &e), 0);
	CHECK_EQ_INT(regions_load_builtin(db, &e), 0);
	struct actor admin = testactor_user(db, "admin1", "city_admin", "3707");
	CHECK_EQ_INT(jobs_runner_start(path, &e), 0);
	int64_t id;
	struct job_info j = {0};
	CHECK_EQ_INT(jobs_submit(db, &admin, "audit.verify", NULL, &id, &e), 0);
	for (int i = 0; i < 100; i++) { /* up to 5 s */
		jobs_get(db, &admin, id, &j, &e);
		int finished = strcmp(j.status, "done") == 0 || strcmp(j.status, "failed") == 0;
		jobs_info_release(&j);
		if (finished)
			break;
		usleep(50000);
	}
	CHECK_EQ_STR(j.status, "done");
	jobs_runner_stop();
	db_close(db);
	unlink(path);
	char side[64];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

UNIT_MAIN(submitted_job_is_queued_then_done_with_its_result, submit_is_audited_in_the_same_transaction,
	  unknown_kind_is_400_and_queues_nothing, kind_permission_is_checked_before_queueing,
	  another_users_job_is_not_found, job_left_running_by_a_stopped_server_is_marked_interrupted,
	  another_servers_running_job_is_left_alone_while_its_runner_lives,
	  runner_thread_runs_a_job_submitted_after_it_started)
