/* pg_tool.c — running pg_dump / pg_restore with the connection in their environment (see
 * pg_tool.h).
 *
 * posix_spawn, no shell: the arguments are passed as they are. Connection options that libpq has
 * no environment variable for (keepalives, sslpassword, …) are not passed on; the URL's host,
 * port, user, password, database and SSL settings all are.
 */
#include "db/pg_tool.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_ENV 512

/* The full path of prog on PATH into out; 0, or -1 when it is not there. */
static int find_on_path(const char *prog, char *out, size_t n)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *p = path; *p;) {
		const char *end = strchr(p, ':');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len > 0 && (size_t)snprintf(out, n, "%.*s/%s", (int)len, p, prog) < n &&
		    access(out, X_OK) == 0)
			return 0;
		p += len + (end ? 1 : 0);
	}
	return -1;
}

int pg_tool_have(const char *prog, struct err *e)
{
	char exe[4096];
	if (find_on_path(prog, exe, sizeof exe) == 0)
		return 0;
	return err_set(e, 500, "pg_tool_missing", NULL,
		       "找不到 %s：PostgreSQL 数据库的备份与恢复要用它，请安装 PostgreSQL 客户端"
		       "（apt-get install " PG_TOOL_PACKAGE "）",
		       prog);
}

static void free_env(char **env, int n)
{
	for (int i = 0; i < n; i++) {
		explicit_bzero(env[i], strlen(env[i])); /* one of them holds the password */
		free(env[i]);
	}
	free(env);
}

/* Whether the environment entry kv ("NAME=value") sets one of the names in set. */
static int names_one_of(const char *kv, char **set, int n)
{
	const char *eq = strchr(kv, '=');
	size_t len = eq ? (size_t)(eq - kv) : strlen(kv);
	for (int i = 0; i < n; i++)
		if (strncmp(set[i], kv, len) == 0 && set[i][len] == '=')
			return 1;
	return 0;
}

/* The child's environment: ours, with conn's options as libpq variables and English messages.
 * *count receives the number of entries (for free_env). NULL with e on failure. */
static char **child_env(const char *conn, int *count, struct err *e)
{
	char **env = calloc(MAX_ENV + 1, sizeof *env);
	int n = 0;
	if (!env) {
		err_oom(e);
		return NULL;
	}
	if (conn) {
		char *why = NULL;
		PQconninfoOption *opts = PQconninfoParse(conn, &why);
		if (!opts) {
			err_set(e, 400, "invalid_value", "db", "数据库连接串无法解析：%s",
				why ? why : "内存不足");
			PQfreemem(why);
			free(env);
			return NULL;
		}
		for (PQconninfoOption *o = opts; o->keyword && n < MAX_ENV / 2; o++) {
			if (!o->val || !*o->val || !o->envvar)
				continue;
			if (asprintf(&env[n], "%s=%s", o->envvar, o->val) < 0) {
				env[n] = NULL;
				PQconninfoFree(opts);
				free_env(env, n);
				err_oom(e);
				return NULL;
			}
			n++;
		}
		PQconninfoFree(opts);
	}
	int given = n;
	if (!(env[n] = strdup("LC_MESSAGES=C"))) {
		free_env(env, n);
		err_oom(e);
		return NULL;
	}
	n++;
	for (char **v = environ; v && *v && n < MAX_ENV; v++) {
		if (names_one_of(*v, env, given) || !strncmp(*v, "LC_MESSAGES=", 12) ||
		    !strncmp(*v, "LC_ALL=", 7) || !strncmp(*v, "LANGUAGE=", 9))
			continue;
		if (!(env[n] = strdup(*v))) {
			free_env(env, n);
			err_oom(e);
			return NULL;
		}
		n++;
	}
	*count = n;
	return env;
}

int pg_tool_start(struct pg_tool *t, const char *prog, const char *const *args, const char *conn,
		  int want_stdout, struct err *e)
{
	memset(t, 0, sizeof *t);
	t->pid = -1;
	t->out = -1;
	snprintf(t->prog, sizeof t->prog, "%s", prog);
	char exe[4096];
	if (find_on_path(prog, exe, sizeof exe) < 0)
		return pg_tool_have(prog, e);
	const char *argv[64];
	int argc = 0;
	argv[argc++] = exe;
	for (const char *const *a = args; *a && argc < 63; a++)
		argv[argc++] = *a;
	argv[argc] = NULL;

	int count = 0, pipefd[2] = {-1, -1};
	char **env = child_env(conn, &count, e);
	if (!env)
		return -1;
	t->err = tmpfile();
	if (!t->err || (want_stdout && pipe2(pipefd, O_CLOEXEC) != 0)) {
		int why = errno;
		free_env(env, count);
		if (t->err)
			fclose(t->err);
		t->err = NULL;
		return err_set(e, 500, "pg_tool_failed", NULL, "无法运行 %s：%s", prog,
			       strerror(why));
	}
	(void)fcntl(fileno(t->err), F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (want_stdout)
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	else
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fileno(t->err), 2);
	int rc = posix_spawn(&t->pid, exe, &fa, NULL, (char *const *)argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free_env(env, count);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	if (rc != 0) {
		if (pipefd[0] >= 0)
			close(pipefd[0]);
		fclose(t->err);
		t->err = NULL;
		t->pid = -1;
		return err_set(e, 500, "pg_tool_failed", NULL, "无法运行 %s：%s", exe,
			       strerror(rc));
	}
	t->out = pipefd[0];
	return 0;
}

/* Cut s at most max bytes long, at a UTF-8 character boundary. */
static void cut_utf8(char *s, size_t max)
{
	size_t n = strlen(s);
	if (n <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	s[max] = '\0';
}

/* What the program said: its error, detail and hint lines, "prog: " taken off; else its last
 * line. */
static void read_said(struct pg_tool *t)
{
	char buf[8192], last[600] = "";
	size_t used = 0, n;
	rewind(t->err);
	n = fread(buf, 1, sizeof buf - 1, t->err);
	buf[n] = '\0';
	t->said[0] = '\0';
	size_t plen = strlen(t->prog);
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, t->prog, plen) && !strncmp(line + plen, ": ", 2))
			line += plen + 2;
		if (!*line)
			continue;
		snprintf(last, sizeof last, "%s", line);
		if (strncmp(line, "error: ", 7) && strncmp(line, "detail: ", 8) &&
		    strncmp(line, "hint: ", 6) && strncmp(line, "FATAL: ", 7))
			continue;
		int w =
		    snprintf(t->said + used, sizeof t->said - used, "%s%s", used ? " " : "", line);
		if (w < 0 || (size_t)w >= sizeof t->said - used)
			break;
		used += (size_t)w;
	}
	if (!t->said[0])
		snprintf(t->said, sizeof t->said, "%s", last);
	cut_utf8(t->said, sizeof t->said - 1);
}

int pg_tool_finish(struct pg_tool *t, struct err *e)
{
	if (t->out >= 0) {
		close(t->out);
		t->out = -1;
	}
	if (t->pid <= 0)
		return err_set(e, 500, "internal", NULL, "%s 未启动", t->prog);
	int status = 0;
	while (waitpid(t->pid, &status, 0) < 0 && errno == EINTR)
		;
	t->pid = -1;
	int rc = 0;
	if (t->err) {
		read_said(t);
		fclose(t->err);
		t->err = NULL;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char said[240];
		snprintf(said, sizeof said, "%s", t->said);
		cut_utf8(said, 200);
		if (WIFEXITED(status))
			rc = err_set(e, 500, "pg_tool_failed", NULL, "%s 失败（退出码 %d）：%s",
				     t->prog, WEXITSTATUS(status), said);
		else
			rc = err_set(e, 500, "pg_tool_failed", NULL, "%s 被信号 %d 终止：%s",
				     t->prog, WTERMSIG(status), said);
	}
	return rc;
}

int pg_tool_run(struct pg_tool *t, const char *prog, const char *const *args, const char *conn,
		struct err *e)
{
	if (pg_tool_start(t, prog, args, conn, 0, e) < 0)
		return -1;
	return pg_tool_finish(t, e);
}
