/* idcheck.c — `minzheng idcheck ID...`: check citizen ID numbers without a database.
 *
 * For each argument, a valid ID prints
 *   ID<TAB>normalized<TAB>birth_date<TAB>male|female<TAB>address_code
 * on stdout (a 15-digit ID shows its 18-digit form), an invalid one prints
 *   ID<TAB>错误：reason
 * on stderr. The echoed ID is trimmed and has control characters replaced by spaces, so every
 * input stays exactly one line of tab-separated output. Birth dates are checked against today in
 * Asia/Shanghai. Exit status: 0 all valid, 1 any invalid, 2 usage error.
 */
#include "cmd/idcheck.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/idnum.h"

static const char usage[] =
    "用法：minzheng idcheck 身份证号...\n"
    "  校验一个或多个公民身份号码（18位或15位，GB 11643-1999）。\n"
    "  有效号码输出到标准输出：号码<TAB>18位号码<TAB>出生日期<TAB>male|female<TAB>地址码\n"
    "  无效号码输出到标准错误：号码<TAB>错误：原因\n"
    "  退出码：0 全部有效，1 有无效号码，2 用法错误。\n"
    "\n"
    "usage: minzheng idcheck ID...\n"
    "  Check one or more citizen ID numbers (18 or 15 digits, GB 11643-1999).\n"
    "  Valid IDs print to stdout: ID<TAB>18-digit ID<TAB>birth date<TAB>male|female<TAB>region\n"
    "  Invalid IDs print to stderr: ID<TAB>错误：reason\n"
    "  Exit status: 0 all valid, 1 any invalid, 2 usage error.\n";

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Print arg trimmed, with control characters as spaces, so it cannot break the line format. */
static void put_arg(FILE *f, const char *arg)
{
	size_t n = strlen(arg);
	while (n > 0 && is_ascii_space((unsigned char)arg[0])) {
		arg++;
		n--;
	}
	while (n > 0 && is_ascii_space((unsigned char)arg[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)arg[i];
		fputc(c < 0x20 || c == 0x7F ? ' ' : c, f);
	}
}

int cmd_idcheck(int argc, char **argv)
{
	int first = 1, bad = 0;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	else if (argc > 1 && argv[1][0] == '-') {
		fprintf(stderr, "minzheng idcheck: 未知选项 / unknown option: %s\n\n", argv[1]);
		fputs(usage, stderr);
		return 2;
	}
	if (first >= argc) {
		fputs(usage, stderr);
		return 2;
	}

	for (int i = first; i < argc; i++) {
		struct idnum id;
		struct err e = {0};
		if (idnum_parse(argv[i], NULL, &id, &e) < 0) {
			put_arg(stderr, argv[i]);
			fprintf(stderr, "\t错误：%s\n", e.message);
			bad = 1;
			continue;
		}
		put_arg(stdout, argv[i]);
		printf("\t%s\t%s\t%s\t%s\n", id.number, id.birth_date, id.male ? "male" : "female",
		       id.address);
	}
	if (fflush(stdout) != 0) {
		perror("minzheng idcheck: stdout");
		return 1;
	}
	return bad;
}
