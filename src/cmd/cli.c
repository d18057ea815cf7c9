/* cli.c — helpers shared by the subcommands (see cli.h): opening the database (and what the
 * database options say: --busy-timeout), and options.
 *
 * Options come from the command line first, then from the configuration file (core/config.h):
 * `--name` of subcommand X is looked up in section [X], then in [global]. The file is
 * `--config PATH` anywhere on the command line, else $MINZHENG_CONFIG, else
 * /etc/minzheng/minzheng.conf (which may be missing); it is read once, on the first lookup. A
 * missing explicit file or a malformed line ends the process with exit status 2: a command must
 * not run with half its configuration.
 *
 * X is the word after `minzheng`. Subcommands hand their sub-subcommands a shifted argv
 * (`payroll run …` calls cli_opt with argv[0] = "run"), so the process's own argv is kept by a
 * constructor (glibc passes argc/argv to .init_array functions) to name the section and find
 * --config wherever it is.
 */
#include "cmd/cli.h"
#include <errno.h>
#include "audit/audit.h"
#include "core/config.h"
#include "db/migrate.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_DEFAULT "/etc/minzheng/minzheng.conf"

static const char *audit_hash_option(void);

int cli_open_db(const char *path, struct db **out)
{
	struct err e;
	if (!path) {
		fprintf(stderr, "错误：缺少 --db PATH（数据库文件）\n");
		return -1;
	}
	if (db_open(out, path, &e) < 0) {
		cli_print_err(&e);
		return -1;
	}
	/* audit-hash (sha256|sm3) picks the algorithm of the audit rows this process appends */
	if (db_migrate(*out, &e) < 0 || audit_use_hash(audit_hash_option(), &e) < 0) {
		cli_print_err(&e);
		db_close(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* ---- the command line ------------------------------------------------------------------- */

static int main_argc;
static char **main_argv;

__attribute__((constructor)) static void cli_keep_argv(int argc, char **argv, char **envp)
{
	(void)envp;
	main_argc = argc;
	main_argv = argv;
}

static const char *argv_opt(int argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || strncmp(argv[i] + 2, name, n) != 0)
			continue;
		const char *rest = argv[i] + 2 + n;
		if (*rest == '=')
			return rest + 1;
		if (*rest == '\0' && i + 1 < argc)
			return argv[i + 1];
	}
	return NULL;
}

static int argv_flag(int argc, char **argv, const char *name)
{
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, name) == 0)
			return 1;
	return 0;
}

/* ---- the configuration file ------------------------------------------------------------- */

static struct config config = CONFIG_INIT;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void config_fail(const struct err *e)
{
	fprintf(stderr, "错误：%s\n", e->message);
	exit(2);
}

static void config_read(void)
{
	struct err e;
	const char *path = main_argv ? argv_opt(main_argc, main_argv, "config") : NULL;
	const char *env = getenv("MINZHENG_CONFIG");
	int explicit = 1;
	if (!path && env && *env)
		path = env;
	if (!path) {
		path = CONFIG_DEFAULT;
		explicit = 0;
	}
	if (config_load(&config, path, explicit, &e) < 0)
		config_fail(&e);
}

/* The configured value of name for this command ([X], then [global]), or NULL. */
static const char *config_value(char **argv, const char *name, int *line)
{
	/* --help must work whatever the file says; --config names the file itself. */
	if (!strcmp(name, "help") || !strcmp(name, "config"))
		return NULL;
	pthread_once(&config_once, config_read);
	const char *command = main_argv && main_argc > 1 ? main_argv[1] : argv[0];
	const char *v = command ? config_get(&config, command, name, line) : NULL;
	return v ? v : config_get(&config, "global", name, line);
}

/* --audit-hash anywhere on the command line, else [X] / [global] audit-hash. */
static const char *audit_hash_option(void)
{
	static char *none[] = {(char *)"", NULL};
	const char *v = main_argv ? argv_opt(main_argc, main_argv, "audit-hash") : NULL;
	return v ? v : config_value(main_argv ? main_argv + 1 : none, "audit-hash", NULL);
}

const char *cli_opt(int argc, char **argv, const char *name)
{
	const char *v = argv_opt(argc, argv, name);
	return v ? v : config_value(argv, name, NULL);
}

int cli_flag(int argc, char **argv, const char *name)
{
	if (argv_flag(argc, argv, name))
		return 1;
	char no[128];
	snprintf(no, sizeof no, "no-%s", name);
	if (argv_flag(argc, argv, no))
		return 0; /* --no-quiet overrides quiet = true in the file */
	int line = 0;
	const char *v = config_value(argv, name, &line);
	if (!v)
		return 0;
	int b = config_bool(v);
	if (b < 0) {
		struct err e;
		err_set(&e, 400, "config", NULL, "配置文件 %s 第 %d 行：%s 应为 true/false、yes/no 或 1/0，而不是“%s”",
			config.path, line, name, v);
		config_fail(&e);
	}
	return b;
}

void cli_print_err(const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "错误：%s（%s，字段 %s）\n", e->message, e->code, e->field);
	else
		fprintf(stderr, "错误：%s（%s）\n", e->message, e->code);
	/* What the operator can do about the database-level ones. */
	if (!strcmp(e->code, "busy"))
		fprintf(stderr, "提示：数据库正被其他进程使用（运行中的服务、备份或另一条命令）；"
				"稍后重试，或用 --busy-timeout 毫秒数 延长等待\n");
	else if (!strcmp(e->code, "disk_full"))
		fprintf(stderr, "提示：磁盘已满，本次修改未保存；清理磁盘空间后重试\n");
	else if (!strcmp(e->code, "db_readonly") && strstr(e->message, "数据库服务器"))
		fprintf(stderr, "提示：数据库服务器只读；请检查是否连到了备库，或该库设置了 "
				"default_transaction_read_only\n");
	else if (!strcmp(e->code, "db_readonly"))
		fprintf(stderr, "提示：数据库文件只读；请检查数据库文件及所在目录的权限，或所在磁盘是否以只读方式挂载\n");
}

int cli_db_setup(void)
{
	if (!main_argv || main_argc < 2)
		return 0;
	const char *v = argv_opt(main_argc, main_argv, "busy-timeout");
	if (!v)
		v = config_value(main_argv + 1, "busy-timeout", NULL);
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long ms = strtol(v, &end, 10);
	if (errno || *end || !*v || ms < 0 || ms > 3600000) {
		fprintf(stderr, "错误：--busy-timeout 应为 0 到 3600000 之间的毫秒数，而不是“%s”\n", v);
		return -1;
	}
	db_set_busy_timeout((int)ms);
	return 0;
}

void cli_warn_readonly(const char *path)
{
	struct db *db;
	struct err e;
	if (!path || db_open(&db, path, &e) < 0)
		return; /* the command itself reports why it cannot open it */
	if (db_readonly(db) && db_is_pg(db))
		fprintf(stderr, "警告：数据库只读：%s；服务只能查询，一切修改将被拒绝（503 db_readonly）。"
				"请检查是否连到了备库，或该库设置了 default_transaction_read_only\n",
			db_display_name(db));
	else if (db_readonly(db))
		fprintf(stderr, "警告：数据库文件只读：%s；服务只能查询，一切修改将被拒绝（503 db_readonly）。"
				"请检查该文件及所在目录的写权限\n",
			path);
	db_close(db);
}

const char *cli_opt_or_empty(int argc, char **argv, const char *name)
{
	const char *v = cli_opt(argc, argv, name);
	return v ? v : "";
}

int64_t cli_opt_int64(int argc, char **argv, const char *name, int *bad)
{
	const char *v = cli_opt(argc, argv, name);
	char *end;
	if (!v)
		return 0;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || *end || !*v) {
		fprintf(stderr, "错误：--%s 应为整数\n", name);
		*bad = 1;
		return 0;
	}
	return (int64_t)x;
}

int cli_subcommand(int argc, char **argv, const char *usage, const char *const *cmds)
{
	if (cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") || argc < 2 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	for (int i = 0; cmds[i]; i++)
		if (strcmp(argv[1], cmds[i]) == 0)
			return -1;
	fprintf(stderr, "错误：未知的子命令 %s\n\n%s", argv[1], usage);
	return 2;
}
