/* serve.c — `minzheng serve --db PATH [--listen HOST:PORT] [--threads N]
 * [--request-timeout SECONDS] [--audit-hash sha256|sm3] [--quiet]` (each also from the [serve]
 * section of the config file). */
#include "audit/audit.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "http/server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_serve(int argc, char **argv)
{
	if (cli_flag(argc, argv, "help")) {
		printf("用法: minzheng serve --db PATH [--listen 127.0.0.1:8080] [--threads N]\n"
		       "                      [--request-timeout 秒] [--audit-hash sha256|sm3] [--quiet]\n"
		       "启动 Web 服务：/api/v1 接口与中文界面；每个请求记一行日志（--quiet 关闭）；\n"
		       "--request-timeout：一个请求（请求头与请求体）须在此秒数内收完，空闲的长连接\n"
		       "同样在此后关闭（默认 10，1–3600）；\n"
		       "收到 SIGTERM/SIGINT 时处理完在途请求后关闭数据库退出。\n"
		       "usage: serve the JSON API and the web UI until SIGTERM/SIGINT.\n");
		return 0;
	}
	struct server_options o = {.host = "127.0.0.1", .port = 8080, .access_log = 1};
	char host[64];
	o.db_path = cli_opt(argc, argv, "db");
	if (!o.db_path) {
		fprintf(stderr, "错误：缺少 --db PATH\n");
		return 2;
	}
	/* Migrate and apply audit-hash now, so a bad or downgrading setting stops the start. */
	struct db *db;
	struct err e;
	if (cli_open_db(o.db_path, &db) < 0)
		return 2;
	int hash_rc = audit_check_hash(db, &e);
	db_close(db);
	if (hash_rc < 0) {
		cli_print_err(&e);
		return 2;
	}
	const char *listen = cli_opt(argc, argv, "listen");
	if (listen) {
		const char *colon = strrchr(listen, ':');
		char *end;
		long port = colon ? strtol(colon + 1, &end, 10) : 0;
		if (!colon || *end || port <= 0 || port > 65535 || (size_t)(colon - listen) >= sizeof host) {
			fprintf(stderr, "错误：--listen 应为 HOST:PORT，例如 127.0.0.1:8080\n");
			return 2;
		}
		memcpy(host, listen, (size_t)(colon - listen));
		host[colon - listen] = '\0';
		o.host = host;
		o.port = (int)port;
	}
	const char *threads = cli_opt(argc, argv, "threads");
	if (threads)
		o.threads = atoi(threads);
	const char *timeout = cli_opt(argc, argv, "request-timeout");
	if (timeout) {
		char *end;
		long sec = strtol(timeout, &end, 10);
		if (end == timeout || *end || sec < 1 || sec > 3600) {
			fprintf(stderr, "错误：--request-timeout 应为 1–3600 之间的秒数\n");
			return 2;
		}
		o.request_timeout_ms = (int)sec * 1000;
	}
	if (cli_flag(argc, argv, "quiet"))
		o.access_log = 0;
	return server_run(&o) == 0 ? 0 : 1;
}
