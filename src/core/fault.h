/* fault.h — fault injection for anomaly tests: the Nth (or every Nth) event of a point fails.
 *
 * Points: FAULT_STEP (a database step: db_step, db_run, db_exec, commit — db/db_sqlite.c answers
 * the injected SQLite error as if SQLite had returned it), FAULT_ALLOC (any allocation by SQLite
 * or jansson: one counter for both), FAULT_SQLMEM (SQLite's allocations only) and FAULT_JSON
 * (jansson's only).
 *
 * On PostgreSQL (db/db_pg.c) the same points are met: FAULT_STEP at every db_step (each row),
 * db_exec, begin, commit and savepoint, the kind answered as the SQLSTATE it stands for (busy and
 * locked → 55P03 lock timeout, full → 53100, ioerr → 58030, readonly → 25006, nomem → 53200,
 * corrupt → XX001) with the same status, code and message as on SQLite; inside a transaction the
 * server is made to fail a statement with that SQLSTATE, so the transaction is aborted as by a
 * real error, and its commit rolls back. SQLite's allocator has no counterpart there: FAULT_SQLMEM
 * (and FAULT_ALLOC) fail db_pg.c's libpq allocation points instead — a statement's result and the
 * copy of a bound value — answered 503 out_of_memory like a failed SQLite allocation. A rule fails the Nth event of its point only (nth=N) or every Nth (every=N;
 * a prime period walks through every position of a repeating request), after skipping the first
 * `after` events. For FAULT_STEP the rule names the error: busy, locked, full, ioerr, readonly,
 * nomem, corrupt, or mix (busy, full, ioerr in turn). A rule with `ready` is armed only when
 * the server is up and serving (fault_ready), so its start-up is not what fails.
 *
 * Armed in-process by fault_arm() (unit tests), or at process start from the environment:
 *   MZ_FAULT="step:every=37:busy,alloc:nth=5000,json:every=211:after=1000"
 * which prints a warning line to stderr. The allocator wrappers are installed only when
 * fault_install() ran before the first database was opened (fault_from_env does it), so a
 * normal run keeps the libraries' own allocators; the check itself is one predictable branch
 * on a global flag (fault_hit below).
 *
 * Thread-safe: counters are atomic, so a multi-threaded server counts events across threads.
 */
#ifndef MZ_FAULT_H
#define MZ_FAULT_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/err.h"

enum fault_point { FAULT_STEP, FAULT_ALLOC, FAULT_SQLMEM, FAULT_JSON, FAULT_NPOINTS };

enum fault_kind {
	FAULT_KIND_BUSY,
	FAULT_KIND_LOCKED,
	FAULT_KIND_FULL,
	FAULT_KIND_IOERR,
	FAULT_KIND_READONLY,
	FAULT_KIND_NOMEM,
	FAULT_KIND_CORRUPT,
	FAULT_KIND_MIX,
};

/* Nonzero while any rule is armed: read by fault_hit's fast path. */
extern _Atomic int fault_armed_any;

/* Arm point p: every != 0 fails every nth event, else only the nth; the first `after` events
 * never fail. Counters of p restart at 0. n must be >= 1; -1 otherwise. */
int fault_arm(enum fault_point p, int every, uint64_t n, uint64_t after, enum fault_kind kind);
/* Disarm every point (counters are kept for fault_events / fault_fired). */
void fault_disarm(void);

/* Parse a MZ_FAULT-style spec and arm its rules; -1 with e (400 "fault_spec") when malformed,
 * nothing armed then. */
int fault_parse(const char *spec, struct err *e);
/* Install the allocator wrappers (before the first db_open) and arm $MZ_FAULT when set, printing
 * "警告：故障注入已启用 …" to stderr; at exit prints how many faults fired. 0, or -1 (with the
 * message printed) when the spec is malformed. */
int fault_from_env(void);
/* Arm the rules that wait for `ready` (http/server.c, once its loops run). */
void fault_ready(void);
/* Install the allocator wrappers: jansson's at once; SQLite's is installed by db/db_sqlite.c
 * when it configures SQLite (before the first db_open) and fault_installed() says so. */
void fault_install(void);
int fault_installed(void);

/* Slow path of fault_hit: count the event; 0 when it goes through, else 1 + the enum fault_kind
 * it must fail with (mix resolved to busy, full or ioerr in turn). */
int fault_check(enum fault_point p);
static inline int fault_hit(enum fault_point p)
{
	if (__builtin_expect(!atomic_load_explicit(&fault_armed_any, memory_order_relaxed), 1))
		return 0;
	return fault_check(p);
}

/* Call fn (or nothing, NULL) whenever a fault fires, on the thread it fires on: tests note
 * what had happened by then (how many transactions had committed). */
void fault_set_observer(void (*fn)(enum fault_point p));

/* jansson's allocator wrapped (main installs it at start; fault_install does too): it notes,
 * per thread, that an allocation failed — jansson's parser reports that as a syntax error.
 * fault_json_failed() says whether one failed since the last call, and clears the note. */
void fault_json_watch(void);
int fault_json_failed(void);

/* Events seen and faults fired at p since it was last armed. */
uint64_t fault_events(enum fault_point p);
uint64_t fault_fired(enum fault_point p);

#endif
