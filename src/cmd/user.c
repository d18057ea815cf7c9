/* user.c — `minzheng user add|list|disable|passwd`: account administration from the shell. */
#include "accounts/accounts.h"
#include "cmd/cli.h"
#include "cmd/commands.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

static void user_usage(FILE *f)
{
	fprintf(f, "用法 / usage:\n"
		   "  minzheng user add --db PATH --username U --role ROLE --region CODE [--password-stdin]\n"
		   "  minzheng user list --db PATH\n"
		   "  minzheng user disable --db PATH --username U\n"
		   "  minzheng user passwd --db PATH --username U [--password-stdin]\n"
		   "角色 / roles: city_admin county_staff township_assistant village_worker\n"
		   "              institution_reporter inspector rescue_worker hotline_operator\n"
		   "              funeral_worker registrar charity_officer leader\n"
		   "--region 为区划代码前缀（如 3707、370704、370704008）或功能区管理单位代码。\n"
		   "没有 --password-stdin 时在终端提示输入两次密码。密码 8–128 字节，含大写字母、小写字母、\n"
		   "数字、其他符号中的至少三类，且不含用户名。\n");
}

/* Read a password: one line from stdin, or twice from the terminal without echo. */
static int read_password(int from_stdin, char *out, size_t n)
{
	if (from_stdin || !isatty(0)) {
		if (!fgets(out, (int)n, stdin))
			return -1;
		out[strcspn(out, "\r\n")] = '\0';
		return 0;
	}
	char again[256];
	struct termios old, quiet;
	tcgetattr(0, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	fprintf(stderr, "密码：");
	tcsetattr(0, TCSANOW, &quiet);
	int ok = fgets(out, (int)n, stdin) != NULL;
	fprintf(stderr, "\n再次输入密码：");
	ok = ok && fgets(again, sizeof again, stdin) != NULL;
	tcsetattr(0, TCSANOW, &old);
	fprintf(stderr, "\n");
	if (!ok)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	again[strcspn(again, "\r\n")] = '\0';
	int same = strcmp(out, again) == 0;
	sodium_memzero(again, sizeof again);
	if (!same) {
		fprintf(stderr, "错误：两次输入的密码不一致\n");
		return -1;
	}
	return 0;
}

static int print_user(const struct user_info *u, void *ctx)
{
	(void)ctx;
	printf("%-28s %-22s %-14s %-6s %s\n", u->username, u->role, u->region_code,
	       u->disabled ? "停用" : "正常", u->created_at);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help")) {
		user_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *sub = argv[1];
	const char *username = cli_opt(argc, argv, "username");
	struct db *db;
	struct err e;
	struct actor sys;
	char password[256];
	int rc = 1;
	actor_system(&sys);
	if (strcmp(sub, "list") && strcmp(sub, "add") && strcmp(sub, "disable") && strcmp(sub, "passwd")) {
		fprintf(stderr, "未知子命令：%s\n", sub);
		user_usage(stderr);
		return 2;
	}
	if (strcmp(sub, "list") && !username) {
		fprintf(stderr, "错误：缺少 --username\n");
		return 2;
	}
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	if (!strcmp(sub, "list")) {
		printf("%-28s %-22s %-14s %-6s %s\n", "用户名", "角色", "范围", "状态", "创建时间");
		rc = accounts_user_list(db, print_user, NULL, &e) < 0 ? 1 : 0;
	} else if (!strcmp(sub, "disable")) {
		rc = accounts_user_disable(db, &sys, username, &e) < 0 ? 1 : 0;
		if (!rc)
			printf("已停用用户 %s\n", username);
	} else {
		const char *role = cli_opt(argc, argv, "role");
		const char *region = cli_opt(argc, argv, "region");
		if (!strcmp(sub, "add") && (!role || !region)) {
			fprintf(stderr, "错误：user add 需要 --role 和 --region\n");
			db_close(db);
			return 2;
		}
		if (read_password(cli_flag(argc, argv, "password-stdin"), password, sizeof password) < 0) {
			fprintf(stderr, "错误：未读到密码\n");
			db_close(db);
			return 1;
		}
		if (accounts_password_check(username, password, &e) < 0)
			rc = 1; /* the policy for a password a person chooses (accounts.h) */
		else if (!strcmp(sub, "add"))
			rc = accounts_user_add(db, &sys, username, role, region, password, &e) < 0;
		else
			rc = accounts_user_set_password(db, &sys, username, password, &e) < 0;
		sodium_memzero(password, sizeof password);
		if (!rc)
			printf("%s用户 %s\n", !strcmp(sub, "add") ? "已创建" : "已修改密码：", username);
	}
	if (rc)
		cli_print_err(&e);
	db_close(db);
	return rc;
}
