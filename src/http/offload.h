/* offload.h — a few threads, each with a database connection of its own, for the API requests
 * that take tens of milliseconds of CPU (a login's argon2id, the leadership dashboard): run on
 * an event loop they would stop every other connection of that loop meanwhile. The loop hands
 * the request over (a copy: the pool never sees h2o's request), a pool thread runs it through
 * the router and sends the finished job back to the loop's h2o receiver, where the answer is
 * written. The queue is bounded: a full one refuses at once (the caller answers 503 busy).
 */
#ifndef MZ_OFFLOAD_H
#define MZ_OFFLOAD_H

#include <h2o.h>
#include <h2o/multithread.h>

#include "core/err.h"
#include "http/router.h"

#define OFFLOAD_QUEUE_MAX 4096

struct offload_job {
	h2o_multithread_message_t msg;         /* first: how the job travels back */
	h2o_multithread_receiver_t *reply_to;  /* the submitting loop's receiver */
	struct offload_job *next;              /* the pool's queue */
	struct http_in in;                     /* owned copies, see offload_job_new */
	struct http_out out;                   /* filled by the pool thread */
};

/* Start n threads with their own connection to db_path. 0, or -1 with e set. */
int offload_start(const char *db_path, int n, struct err *e);

/* Stop after the running jobs: the threads are joined, queued jobs never started are freed.
 * Only once the event loops have stopped submitting. */
void offload_stop(void);

/* A zeroed job of size bytes (≥ sizeof (struct offload_job): a caller's struct that starts with
 * one) holding copies of in's strings and body (NULL ones stay NULL); NULL when out of memory.
 * Freed with offload_job_free (which also frees out.body). */
struct offload_job *offload_job_new(size_t size, const struct http_in *in,
				    h2o_multithread_receiver_t *reply_to);
void offload_job_free(struct offload_job *job);

/* Queue a job; 0, or -1 when the queue is full or the pool is stopping (the job stays the
 * caller's). */
int offload_submit(struct offload_job *job);

#endif
