/* cmd/documents.c — `minzheng documents …`: epidemic policy documents from the command line
 * (the documents module, src/documents/, does the work; this file parses options, reads the
 * attached file and prints the same JSON as the API). Acts as the system user, which issues
 * but does not acknowledge (a unit acknowledges itself). */
#include "cmd/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "core/actor.h"
#include "core/text.h"
#include "documents/documents.h"

static const char usage[] =
    "用法：\n"
    "  minzheng documents list --db PATH [--q 文号或标题] [--from D] [--to D] [--limit N]\n"
    "  minzheng documents show --db PATH --id N\n"
    "  minzheng documents pending --db PATH --id N\n"
    "      尚未签收的接收单位。\n"
    "  minzheng documents issue --db PATH --number 文号 --title 标题 --body 发文机关\n"
    "                           --date YYYY-MM-DD (--all-units | --to CODE[,CODE…]) [--issuer CODE]\n"
    "                           [--scope 适用范围] [--file PATH --type MIME]\n"
    "      下发文件（附件不超过 700 KB），输出编号。\n"
    "\n"
    "usage: minzheng documents list|show|pending|issue --db PATH …\n"
    "退出码 / exit status: 0 成功 ok, 1 失败 failed, 2 用法错误 usage error.\n";

static int64_t num(int argc, char **argv, const char *name)
{
	const char *v = cli_opt(argc, argv, name);
	return v ? strtoll(v, NULL, 10) : 0;
}

static int print(json_t *o)
{
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return 1;
	puts(s);
	free(s);
	return 0;
}

static int fail(const struct err *e)
{
	cli_print_err(e);
	return 1;
}

static int issue(struct db *db, const struct actor *a, int argc, char **argv)
{
	struct documents_in in;
	struct documents_recipient_in r[DOCUMENTS_MAX_RECIPIENTS];
	struct err e;
	unsigned char *file = NULL;
	int64_t id;
	memset(&in, 0, sizeof in);
	memset(r, 0, sizeof r);
	text_copy(in.number, sizeof in.number, cli_opt_or_empty(argc, argv, "number"));
	text_copy(in.title, sizeof in.title, cli_opt_or_empty(argc, argv, "title"));
	text_copy(in.issuing_body, sizeof in.issuing_body, cli_opt_or_empty(argc, argv, "body"));
	text_copy(in.issuer_code, sizeof in.issuer_code, cli_opt_or_empty(argc, argv, "issuer"));
	text_copy(in.issued_on, sizeof in.issued_on, cli_opt_or_empty(argc, argv, "date"));
	text_copy(in.scope_text, sizeof in.scope_text, cli_opt_or_empty(argc, argv, "scope"));
	in.all_units = cli_flag(argc, argv, "all-units");
	char to[2048];
	text_copy(to, sizeof to, cli_opt_or_empty(argc, argv, "to"));
	for (char *p = to; *p && in.n_recipients < DOCUMENTS_MAX_RECIPIENTS;) {
		size_t n = strcspn(p, ",");
		if (n)
			snprintf(r[in.n_recipients++].code, sizeof r[0].code, "%.*s", (int)n, p);
		p += n + (p[n] == ',');
	}
	in.recipients = r;
	const char *path = cli_opt(argc, argv, "file");
	if (path) {
		FILE *f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "错误：无法打开附件 %s\n", path);
			return 1;
		}
		file = malloc(DOCUMENTS_FILE_MAX + 2);
		size_t n = file ? fread(file, 1, DOCUMENTS_FILE_MAX + 1, f) : 0;
		fclose(f);
		if (!file)
			return 1;
		const char *slash = strrchr(path, '/');
		text_copy(in.file_name, sizeof in.file_name, slash ? slash + 1 : path);
		text_copy(in.file_type, sizeof in.file_type, cli_opt_or_empty(argc, argv, "type"));
		in.file = file;
		in.file_len = n;
	}
	int rc = documents_issue(db, a, &in, &id, &e);
	free(file);
	if (rc < 0)
		return fail(&e);
	printf("%lld\n", (long long)id);
	return 0;
}

static int run(struct db *db, const struct actor *a, const char *sub, int argc, char **argv)
{
	struct err e;
	json_t *out;
	if (strcmp(sub, "list") == 0) {
		struct documents_query q;
		memset(&q, 0, sizeof q);
		text_copy(q.q, sizeof q.q, cli_opt_or_empty(argc, argv, "q"));
		text_copy(q.from, sizeof q.from, cli_opt_or_empty(argc, argv, "from"));
		text_copy(q.to, sizeof q.to, cli_opt_or_empty(argc, argv, "to"));
		q.limit = (int)num(argc, argv, "limit");
		if (q.limit < 1 || q.limit > DOCUMENTS_PAGE_MAX)
			q.limit = DOCUMENTS_PAGE_MAX;
		if (documents_list(db, a, &q, &out, &e) < 0)
			return fail(&e);
		return print(out);
	}
	if (strcmp(sub, "show") == 0 || strcmp(sub, "pending") == 0) {
		int64_t id = num(argc, argv, "id");
		if ((sub[0] == 's' ? documents_get(db, a, id, &out, &e)
				   : documents_pending(db, a, id, &out, &e)) < 0)
			return fail(&e);
		return print(out);
	}
	if (strcmp(sub, "issue") == 0)
		return issue(db, a, argc, argv);
	fprintf(stderr, "未知的子命令：%s\n\n%s", sub, usage);
	return 2;
}

int cmd_documents(int argc, char **argv)
{
	if (argc < 2 || cli_flag(argc, argv, "help") || cli_flag(argc, argv, "h") ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	struct db *db;
	struct actor sys;
	actor_system(&sys);
	if (cli_open_db(cli_opt(argc - 1, argv + 1, "db"), &db) < 0)
		return 1;
	int rc = run(db, &sys, argv[1], argc - 1, argv + 1);
	db_close(db);
	return rc;
}
