/* test_pg_tool.c — db/pg_tool: the connection of a PostgreSQL backup reaches pg_dump/pg_restore
 * through the environment (password included) and never through the arguments; a missing program
 * names the package to install; a failing one is quoted. Also db_pg_describe: a connection named
 * in messages without its password. No PostgreSQL server is needed: `env` and `sh` stand in for
 * the client programs. */
#include "unit.h"

#include "db/db_backup.h"
#include "db/pg_tool.h"

#include <stdlib.h>
#include <unistd.h>

/* Everything the child printed on standard output (malloc'd). */
static char *slurp(int fd)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	ssize_t r;
	while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return buf;
}

/* The environment `env` sees when started for conn. */
static char *child_env(const char *conn)
{
	struct pg_tool t;
	struct err e;
	const char *args[] = {NULL};
	if (pg_tool_start(&t, "env", args, conn, 1, &e) < 0) {
		fprintf(stderr, "  %s\n", e.message);
		return NULL;
	}
	char *out = slurp(t.out);
	CHECK_EQ_INT(pg_tool_finish(&t, &e), 0);
	return out;
}

TEST(the_url_goes_into_the_environment_with_its_password)
{
	setenv("PGHOST", "inherited-host", 1);
	setenv("PGCONNECT_TIMEOUT", "7", 1);
	setenv("LC_ALL", "zh_CN.UTF-8", 1);
	char *env = child_env("postgresql://alice:s3cret@db.invalid:6543/city?sslmode=require");
	CHECK(env != NULL);
	if (env) {
		CHECK(strstr(env, "PGPASSWORD=s3cret\n") != NULL);
		CHECK(strstr(env, "PGHOST=db.invalid\n") != NULL);
		CHECK(strstr(env, "PGPORT=6543\n") != NULL);
		CHECK(strstr(env, "PGUSER=alice\n") != NULL);
		CHECK(strstr(env, "PGDATABASE=city\n") != NULL);
		CHECK(strstr(env, "PGSSLMODE=require\n") != NULL);
		CHECK(strstr(env, "inherited-host") == NULL); /* the URL wins */
		CHECK(strstr(env, "PGCONNECT_TIMEOUT=7\n") != NULL); /* the rest is inherited */
		CHECK(strstr(env, "LC_MESSAGES=C\n") != NULL);
		CHECK(strstr(env, "LC_ALL=") == NULL); /* it would override LC_MESSAGES */
	}
	free(env);
	unsetenv("PGHOST");
	unsetenv("PGCONNECT_TIMEOUT");
	unsetenv("LC_ALL");
}

TEST(a_keyword_string_works_the_same)
{
	char *env = child_env("host=/run/postgresql dbname='民政 city' password='p w\\'x'");
	CHECK(env != NULL);
	if (env) {
		CHECK(strstr(env, "PGHOST=/run/postgresql\n") != NULL);
		CHECK(strstr(env, "PGDATABASE=民政 city\n") != NULL);
		CHECK(strstr(env, "PGPASSWORD=p w'x\n") != NULL);
	}
	free(env);
}

TEST(a_connection_libpq_cannot_parse_is_refused)
{
	struct pg_tool t;
	struct err e;
	const char *args[] = {NULL};
	CHECK_EQ_INT(pg_tool_start(&t, "env", args, "postgresql://[bad", 1, &e), -1);
	CHECK_EQ_STR(e.code, "invalid_value");
	CHECK(strstr(e.message, "连接串") != NULL);
}

TEST(a_missing_program_names_the_package)
{
	struct err e;
	CHECK_EQ_INT(pg_tool_have("mz-no-such-program", &e), -1);
	CHECK_EQ_STR(e.code, "pg_tool_missing");
	CHECK(strstr(e.message, "apt-get install postgresql-client") != NULL);
	CHECK_EQ_INT(pg_tool_have("sh", &e), 0);
	struct pg_tool t;
	const char *args[] = {NULL};
	CHECK_EQ_INT(pg_tool_run(&t, "mz-no-such-program", args, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "pg_tool_missing");
}

TEST(a_failing_program_is_quoted_with_its_exit_status)
{
	struct pg_tool t;
	struct err e;
	const char *args[] = {"-c", "echo 'sh: warning: ignored'; echo 'sh: error: it broke' >&2; "
				    "echo 'sh: detail: the reason' >&2; exit 3",
			      NULL};
	CHECK_EQ_INT(pg_tool_run(&t, "sh", args, NULL, &e), -1);
	CHECK_EQ_STR(e.code, "pg_tool_failed");
	CHECK(strstr(e.message, "退出码 3") != NULL);
	CHECK_EQ_STR(t.said, "error: it broke detail: the reason");
	const char *ok[] = {"-c", "echo 'sh: warning: only a warning' >&2", NULL};
	CHECK_EQ_INT(pg_tool_run(&t, "sh", ok, NULL, &e), 0);
}

TEST(a_connection_is_described_without_its_password)
{
	char out[200];
	db_pg_describe("postgresql://alice:s3cret@db.invalid:6543/city", out, sizeof out);
	CHECK_EQ_STR(out, "city@db.invalid:6543");
	db_pg_describe("dbname=city password=s3cret", out, sizeof out);
	CHECK_EQ_STR(out, "city");
	CHECK_EQ_INT(db_backup_is_pg("postgresql://h/city"), 1);
	CHECK_EQ_INT(db_backup_is_pg("/var/lib/minzheng/minzheng.db"), 0);
}

UNIT_MAIN(the_url_goes_into_the_environment_with_its_password, a_keyword_string_works_the_same,
	  a_connection_libpq_cannot_parse_is_refused, a_missing_program_names_the_package,
	  a_failing_program_is_quoted_with_its_exit_status,
	  a_connection_is_described_without_its_password)
