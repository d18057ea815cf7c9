/* jobs_runner.c — the one thread that runs queued jobs, with its own database connection.
 * Woken by jobs_runner_wake() after a submit, and every second in any case (so a job queued by
 * another process, such as the CLI, is picked up too). */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static int running, stop_requested, pending;
static struct db *runner_db;

static void *runner_main(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		if (!pending && !stop_requested) {
			struct timespec until;
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_sec += 1;
			pthread_cond_timedwait(&wake, &lock, &until);
		}
		int stop = stop_requested;
		pending = 0;
		pthread_mutex_unlock(&lock);
		if (stop)
			break;
		struct err e;
		int rc;
		while ((rc = jobs_run_next(runner_db, &e)) == 1)
			;
		if (rc < 0)
			fprintf(stderr, "minzheng: 任务执行出错：%s\n", e.message);
	}
	return NULL;
}

int jobs_runner_start(const char *db_path, struct err *e)
{
	if (db_open(&runner_db, db_path, e) < 0)
		return -1;
	/* A read-only database (served for reading only) had no writer to leave a job running. */
	if (!db_readonly(runner_db) && jobs_recover(runner_db, e) < 0) {
		db_close(runner_db);
		return -1;
	}
	if (pthread_create(&thread, NULL, runner_main, NULL) != 0) {
		db_close(runner_db);
		return err_set(e, 500, "internal", NULL, "无法启动任务线程");
	}
	running = 1;
	return 0;
}

void jobs_runner_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stop_requested = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	db_close(runner_db);
	running = 0;
}

void jobs_runner_wake(void)
{
	pthread_mutex_lock(&lock);
	pending = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}
