/* token.c — `minzheng token create|revoke --db PATH --username U`: integration bearer tokens. */
#include "accounts/accounts.h"
#include "cmd/cli.h"
#include "cmd/commands.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int cmd_token(int argc, char **argv)
{
	int create = argc >= 2 && strcmp(argv[1], "create") == 0;
	int revoke = argc >= 2 && strcmp(argv[1], "revoke") == 0;
	if (argc < 2 || cli_flag(argc, argv, "help") || (!create && !revoke)) {
		FILE *f = cli_flag(argc, argv, "help") ? stdout : stderr;
		fprintf(f, "用法 / usage: minzheng token create --db PATH --username U\n"
			   "              minzheng token revoke --db PATH --username U\n"
			   "create 为系统集成创建访问令牌（以 Authorization: Bearer <令牌> 使用）；令牌只显示这一次，\n"
			   "数据库只保存其哈希。revoke 撤销该用户的全部令牌，撤销后的令牌立即得到 401。\n");
		return f == stdout ? 0 : 2;
	}
	const char *username = cli_opt(argc, argv, "username");
	if (!username) {
		fprintf(stderr, "错误：缺少 --username\n");
		return 2;
	}
	struct db *db;
	struct err e;
	struct actor sys;
	char token[ACCOUNTS_TOKEN_HEX];
	int rc, n = 0;
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc, argv, "db"), &db) < 0)
		return 1;
	if (revoke) {
		rc = accounts_token_revoke(db, &sys, username, &n, &e);
		if (rc < 0)
			cli_print_err(&e);
		else
			printf("已撤销用户 %s 的 %d 个令牌\n", username, n);
		db_close(db);
		return rc < 0 ? 1 : 0;
	}
	rc = accounts_token_create(db, &sys, username, token, &e);
	if (rc < 0)
		cli_print_err(&e);
	else
		printf("%s\n", token);
	sodium_memzero(token, sizeof token);
	db_close(db);
	return rc < 0 ? 1 : 0;
}
