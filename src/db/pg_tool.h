/* pg_tool.h — running PostgreSQL's client programs (pg_dump, pg_restore of Debian's
 * postgresql-client) for the backups of a PostgreSQL database: no shell, and no password on
 * their command line.
 *
 * The connection (a postgresql:// URL or a libpq keyword string) is parsed with libpq's
 * PQconninfoParse; every option it gives becomes its libpq environment variable (PGHOST, PGPORT,
 * PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE, …) in the child's environment only, so `ps` never
 * shows the password. The program is looked up on PATH (a missing one is error code
 * "pg_tool_missing", naming the Debian package); its messages are read in English (LC_MESSAGES=C)
 * from a temporary file, so the first error line can be quoted and recognised.
 */
#ifndef MZ_PG_TOOL_H
#define MZ_PG_TOOL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "core/err.h"

#define PG_TOOL_PACKAGE "postgresql-client"

struct pg_tool {
	char prog[32];
	pid_t pid;
	int out;	/* read end of the child's standard output when asked for, else -1 */
	FILE *err;	/* the child's standard error (an unlinked temporary file) */
	char said[600]; /* after pg_tool_finish: the error and detail lines, without "prog: " */
};

/* 0 when prog is on PATH, else -1 with e ("pg_tool_missing", naming the package to install). */
int pg_tool_have(const char *prog, struct err *e);

/* Start prog (found on PATH) with args (NULL-terminated, after the program name) and the options
 * of conn (may be NULL) in its environment. want_stdout: t->out is a pipe from the child's
 * standard output (the caller reads it to the end); else it goes to /dev/null. 0, or -1 with e. */
int pg_tool_start(struct pg_tool *t, const char *prog, const char *const *args, const char *conn,
		  int want_stdout, struct err *e);

/* Wait for the program to end (closing t->out first when still open). 0 when it exited with
 * status 0; else -1 with e (500 "pg_tool_failed": the program and what it said) and t->said
 * filled. */
int pg_tool_finish(struct pg_tool *t, struct err *e);

/* Start and finish in one call (no standard output wanted). */
int pg_tool_run(struct pg_tool *t, const char *prog, const char *const *args, const char *conn,
		struct err *e);

#endif
