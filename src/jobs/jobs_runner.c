/* jobs_runner.c — the one thread that runs queued jobs, with its own database connection.
 * Woken by jobs_runner_wake() after a submit, and every second in any case (so a job queued by
 * another process, such as the CLI or another server, is picked up too). Beside it a heartbeat
 * thread, with a connection of its own, renews this process's running jobs every
 * JOBS_BEAT_SECONDS and marks the jobs of runners that are gone as interrupted (jobs.h). */
#include "jobs/jobs.h"

#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t thread;
static pthread_t beat_thread;
static int running, stop_requested, pending, beating;
static struct db *runner_db, *beat_db;

static void *beat_main(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&lock);
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += JOBS_BEAT_SECONDS;
		while (!stop_requested &&
		       pthread_cond_timedwait(&wake, &lock, &until) == 0)
			; /* woken for the runner: keep waiting out the period */
		int stop = stop_requested;
		pthread_mutex_unlock(&lock);
		if (stop)
			break;
		struct err e;
		if (jobs_beat(beat_db, &e) < 0 || jobs_recover(beat_db, &e) < 0)
			fprintf(stderr, "minzheng: 任务心跳出错：%s\n", e.message);
	}
	return NULL;
}

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
	if (db_readonly(runner_db))
		return 0;
	if (db_open(&beat_db, db_path, e) < 0 || pthread_create(&beat_thread, NULL, beat_main, NULL) != 0) {
		if (beat_db)
			err_set(e, 500, "internal", NULL, "无法启动任务心跳线程");
		db_close(beat_db);
		beat_db = NULL;
		jobs_runner_stop();
		return -1;
	}
	beating = 1;
	return 0;
}

void jobs_runner_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stop_requested = 1;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	if (beating)
		pthread_join(beat_thread, NULL);
	db_close(runner_db);
	db_close(beat_db);
	runner_db = beat_db = NULL;
	running = beating = 0;
}

void jobs_runner_wake(void)
{
	pthread_mutex_lock(&lock);
	pending = 1;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
}
