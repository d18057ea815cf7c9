/* test_jobs.c — the job queue and runner: submit, claim, run as the submitter, results, errors,
 * visibility, recovery after a stop. */
#include "unit.h"
#include "testdb.h"
#include "testactor.h"

#include "accounts/accounts.h"
#include "audit/audit.h"
#include "jobs/jobs.h"
#include "regions/regions.h"

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
	  runner_thread_runs_a_job_submitted_after_it_started)
