/* offload.c — the pool of threads for CPU-heavy API requests (see offload.h): a mutex-guarded
 * FIFO, a condition variable, n threads each with its own SQLite connection, and the hand-back
 * through h2o's multithread queue (its own mutex and a pipe wake the loop). */
#include "http/offload.h"
#include "db/db.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define OFFLOAD_MAX_THREADS 16

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct offload_job *head, *tail;
	int queued;
	int stopping;
	int n;
	pthread_t threads[OFFLOAD_MAX_THREADS];
	struct db *dbs[OFFLOAD_MAX_THREADS];
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static struct offload_job *take(void)
{
	pthread_mutex_lock(&pool.lock);
	while (!pool.head && !pool.stopping)
		pthread_cond_wait(&pool.wake, &pool.lock);
	struct offload_job *j = pool.head;
	if (j && !pool.stopping) {
		pool.head = j->next;
		if (!pool.head)
			pool.tail = NULL;
		pool.queued--;
	} else {
		j = NULL;
	}
	pthread_mutex_unlock(&pool.lock);
	return j;
}

static void *pool_main(void *arg)
{
	struct db *db = arg;
	struct offload_job *j;
	while ((j = take()) != NULL) {
		router_handle(db, &j->in, &j->out);
		h2o_multithread_send_message(j->reply_to, &j->msg);
	}
	return NULL;
}

int offload_start(const char *db_path, int n, struct err *e)
{
	if (n < 1)
		n = 1;
	if (n > OFFLOAD_MAX_THREADS)
		n = OFFLOAD_MAX_THREADS;
	pool.stopping = 0;
	for (int i = 0; i < n; i++) {
		if (db_open(&pool.dbs[i], db_path, e) < 0)
			goto fail;
		if (pthread_create(&pool.threads[i], NULL, pool_main, pool.dbs[i]) != 0) {
			db_close(pool.dbs[i]);
			pool.dbs[i] = NULL;
			err_set(e, 500, "internal", NULL, "无法启动工作线程");
			goto fail;
		}
		pool.n++;
	}
	return 0;
fail:
	offload_stop();
	return -1;
}

void offload_stop(void)
{
	pthread_mutex_lock(&pool.lock);
	pool.stopping = 1;
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
	for (int i = 0; i < pool.n; i++) {
		pthread_join(pool.threads[i], NULL);
		db_close(pool.dbs[i]);
		pool.dbs[i] = NULL;
	}
	pool.n = 0;
	struct offload_job *j = pool.head;
	while (j) {
		struct offload_job *next = j->next;
		offload_job_free(j);
		j = next;
	}
	pool.head = pool.tail = NULL;
	pool.queued = 0;
}

static int dup_into(const char **dst, const char *src)
{
	if (!src)
		return 0;
	char *d = strdup(src);
	*dst = d;
	return d ? 0 : -1;
}

struct offload_job *offload_job_new(size_t size, const struct http_in *in,
				    h2o_multithread_receiver_t *reply_to)
{
	struct offload_job *j = calloc(1, size < sizeof *j ? sizeof *j : size);
	if (!j)
		return NULL;
	j->reply_to = reply_to;
	j->in.body_len = in->body ? in->body_len : 0;
	if (in->body) {
		char *b = malloc(in->body_len + 1);
		if (!b)
			goto fail;
		memcpy(b, in->body, in->body_len);
		b[in->body_len] = '\0';
		j->in.body = b;
	}
	if (dup_into(&j->in.method, in->method) < 0 || dup_into(&j->in.path, in->path) < 0 ||
	    dup_into(&j->in.query, in->query) < 0 || dup_into(&j->in.cookie, in->cookie) < 0 ||
	    dup_into(&j->in.csrf_header, in->csrf_header) < 0 ||
	    dup_into(&j->in.authorization, in->authorization) < 0 ||
	    dup_into(&j->in.client, in->client) < 0)
		goto fail;
	return j;
fail:
	offload_job_free(j);
	return NULL;
}

void offload_job_free(struct offload_job *j)
{
	if (!j)
		return;
	free((char *)j->in.method);
	free((char *)j->in.path);
	free((char *)j->in.query);
	free((char *)j->in.body);
	free((char *)j->in.cookie);
	free((char *)j->in.csrf_header);
	free((char *)j->in.authorization);
	free((char *)j->in.client);
	free(j->out.body);
	free(j);
}

int offload_submit(struct offload_job *j)
{
	int rc = -1;
	j->next = NULL;
	pthread_mutex_lock(&pool.lock);
	if (!pool.stopping && pool.n > 0 && pool.queued < OFFLOAD_QUEUE_MAX) {
		if (pool.tail)
			pool.tail->next = j;
		else
			pool.head = j;
		pool.tail = j;
		pool.queued++;
		pthread_cond_signal(&pool.wake);
		rc = 0;
	}
	pthread_mutex_unlock(&pool.lock);
	return rc;
}
