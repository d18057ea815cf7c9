/* metrics.h — GET /metrics in the Prometheus text exposition format (version 0.0.4).
 *
 * Requests are counted by route pattern (the router's "/api/v1/persons/{id}", never the raw path,
 * so the label set stays bounded), method and status, and their durations go into one histogram
 * per route. Besides the API patterns there are four routes: "/healthz", "/metrics", "static"
 * (the web UI's files) and "other" (everything else: unknown API paths, 404s).
 *
 * Each event-loop thread owns a struct metrics_worker and is the only writer of its counters
 * (relaxed atomics, so a scrape on another thread reads them without a lock); a scrape sums the
 * workers. No allocation on the request path.
 */
#ifndef MZ_METRICS_H
#define MZ_METRICS_H

#include <stddef.h>
#include "db/db.h"

struct metrics_worker;

/* The route labels past the API patterns. */
enum { METRICS_HEALTHZ = -1, METRICS_METRICS = -2, METRICS_STATIC = -3, METRICS_OTHER = -4 };

/* Set up counters for nworkers event loops (the API patterns come from the router's table);
 * db_workers and db_jobs are the database connections the server keeps open (one per loop, the
 * job runner's). Once, before the loops start. 0, or -1 when out of memory. */
int metrics_init(int nworkers, int db_workers, int db_jobs);
void metrics_free(void);

/* Worker i's counters (0 <= i < nworkers). */
struct metrics_worker *metrics_worker(int i);

/* The route of an /api/ request as the router will match it: the index of its pattern, or
 * METRICS_OTHER. The first route whose pattern matches the path with this method wins, else the
 * first whose pattern matches the path (the router answers 405 for it). */
int metrics_route(const char *method, const char *path);

/* Count one finished request of route (a metrics_route() result or a METRICS_* value). */
void metrics_observe(struct metrics_worker *w, int route, const char *method, int status,
		     double seconds);

/* The exposition text (malloc'd, caller frees; *len its length), or NULL when out of memory.
 * db (the calling loop's connection) serves today's report completeness. */
char *metrics_render(struct db *db, size_t *len);

#endif
