/* test_config.c — the INI configuration file parser (src/core/config.c).
 *
 * Rules under test: `[section]` lines, `key = value` lines, whole-line `#`/`;` comments and
 * blank lines; keys and values trimmed; "…" quotes with \" \\ \n \t escapes and '…' literal
 * quotes; an unquoted value ends at a `#`/`;` that follows whitespace; keys before any section
 * are [global]; errors name the file and the 1-based line.
 */
#include "core/config.h"
#include "unit.h"

#include <stdlib.h>
#include <unistd.h>

TEST(sections_and_keys)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	CHECK_EQ_INT(config_parse(&c, "a.conf",
				  "[global]\ndb = /var/lib/minzheng/minzheng.db\n"
				  "[serve]\nlisten = 127.0.0.1:8080\nthreads = 4\n",
				  &e),
		     0);
	CHECK_EQ_INT(c.n, 3);
	CHECK_EQ_STR(config_get(&c, "global", "db", NULL), "/var/lib/minzheng/minzheng.db");
	int line = 0;
	CHECK_EQ_STR(config_get(&c, "serve", "threads", &line), "4");
	CHECK_EQ_INT(line, 5);
	CHECK(config_get(&c, "serve", "db", NULL) == NULL);
	CHECK(config_get(&c, "backup", "threads", NULL) == NULL);
	config_release(&c);
}

TEST(keys_before_any_section_are_global)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	CHECK_EQ_INT(config_parse(&c, "a.conf", "db = x.db\n[serve]\nquiet = yes\n", &e), 0);
	CHECK_EQ_STR(config_get(&c, "global", "db", NULL), "x.db");
	CHECK_EQ_STR(config_get(&c, "serve", "quiet", NULL), "yes");
	config_release(&c);
}

TEST(comments_blank_lines_and_whitespace)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	const char *text = "# a comment\n"
			   "; another\n"
			   "\n"
			   "   \t\n"
			   "  [ serve ]  \r\n"
			   "\tlisten\t=\t0.0.0.0:80  \r\n"
			   "  threads=2 # two loops\n"
			   "name = a#b ; c\n"
			   "empty =\n"
			   "only_comment = # nothing\n";
	CHECK_EQ_INT(config_parse(&c, "a.conf", text, &e), 0);
	CHECK_EQ_STR(config_get(&c, "serve", "listen", NULL), "0.0.0.0:80");
	CHECK_EQ_STR(config_get(&c, "serve", "threads", NULL), "2");
	CHECK_EQ_STR(config_get(&c, "serve", "name", NULL), "a#b"); /* '#' not after a space */
	CHECK_EQ_STR(config_get(&c, "serve", "empty", NULL), "");
	CHECK_EQ_STR(config_get(&c, "serve", "only_comment", NULL), "");
	CHECK_EQ_INT(c.n, 5);
	config_release(&c);
}

TEST(quoted_values)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	const char *text = "a = \"  spaced  \"\n"
			   "b = \"say \\\"hi\\\" \\\\ # not a comment\" # a comment\n"
			   "c = 'C:\\path\\n'\n"
			   "d = \"tab\\tnl\\n\"\n"
			   "e = \"\"\n";
	CHECK_EQ_INT(config_parse(&c, "q.conf", text, &e), 0);
	CHECK_EQ_STR(config_get(&c, "global", "a", NULL), "  spaced  ");
	CHECK_EQ_STR(config_get(&c, "global", "b", NULL), "say \"hi\" \\ # not a comment");
	CHECK_EQ_STR(config_get(&c, "global", "c", NULL), "C:\\path\\n");
	CHECK_EQ_STR(config_get(&c, "global", "d", NULL), "tab\tnl\n");
	CHECK_EQ_STR(config_get(&c, "global", "e", NULL), "");
	config_release(&c);
}

TEST(utf8_values_and_byte_order_mark)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	CHECK_EQ_INT(config_parse(&c, "u.conf", "\xef\xbb\xbf[global]\ntitle = 潍坊市民政局\n", &e), 0);
	CHECK_EQ_STR(config_get(&c, "global", "title", NULL), "潍坊市民政局");
	config_release(&c);
}

/* Each malformed text, the line it fails on and the Chinese reason. */
TEST(errors_name_the_file_and_line)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{"[serve]\nlisten 127.0.0.1:8080\n", "配置文件 /etc/x.conf 第 2 行：应为“键 = 值”或“[节名]”"},
		{"# c\n\n[serve\n", "配置文件 /etc/x.conf 第 3 行：节名缺少右方括号 ]"},
		{"[se rve]\n", "配置文件 /etc/x.conf 第 1 行：节名只能由字母、数字、_、-、. 组成"},
		{"[]\n", "配置文件 /etc/x.conf 第 1 行：节名只能由字母、数字、_、-、. 组成"},
		{"a = 1\n = 2\n", "配置文件 /etc/x.conf 第 2 行：缺少键名"},
		{"my key = 2\n", "配置文件 /etc/x.conf 第 1 行：键名只能由字母、数字、_、-、. 组成"},
		{"a = \"open\n", "配置文件 /etc/x.conf 第 1 行：引号没有闭合"},
		{"a = \"x\" y\n", "配置文件 /etc/x.conf 第 1 行：引号后只能是注释"},
		{"[serve]\nthreads = 2\n\nthreads = 4\n",
		 "配置文件 /etc/x.conf 第 4 行：[serve] 中的 threads 在第 2 行已设置过"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c = CONFIG_INIT;
		struct err e = {0};
		CHECK_EQ_INT(config_parse(&c, "/etc/x.conf", cases[i].text, &e), -1);
		CHECK_EQ_STR(e.code, "config");
		CHECK_EQ_STR(e.message, cases[i].message);
		CHECK_EQ_INT(c.n, 0); /* nothing kept from a file with an error */
		config_release(&c);
	}
}

TEST(same_key_in_two_sections_is_fine)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	CHECK_EQ_INT(config_parse(&c, "a.conf", "[serve]\ndb = a\n[backup]\ndb = b\n", &e), 0);
	CHECK_EQ_STR(config_get(&c, "serve", "db", NULL), "a");
	CHECK_EQ_STR(config_get(&c, "backup", "db", NULL), "b");
	config_release(&c);
}

TEST(booleans)
{
	CHECK_EQ_INT(config_bool("true"), 1);
	CHECK_EQ_INT(config_bool("YES"), 1);
	CHECK_EQ_INT(config_bool("1"), 1);
	CHECK_EQ_INT(config_bool("on"), 1);
	CHECK_EQ_INT(config_bool("false"), 0);
	CHECK_EQ_INT(config_bool("No"), 0);
	CHECK_EQ_INT(config_bool("0"), 0);
	CHECK_EQ_INT(config_bool("off"), 0);
	CHECK_EQ_INT(config_bool("2"), -1);
	CHECK_EQ_INT(config_bool(""), -1);
	CHECK_EQ_INT(config_bool("真"), -1);
}

TEST(load_missing_file)
{
	struct config c = CONFIG_INIT;
	struct err e = {0};
	CHECK_EQ_INT(config_load(&c, "/nonexistent-dir/minzheng.conf", 0, &e), 0);
	CHECK_EQ_INT(c.n, 0);
	CHECK_EQ_INT(config_load(&c, "/nonexistent-dir/minzheng.conf", 1, &e), -1);
	CHECK_EQ_STR(e.message, "无法读取配置文件 /nonexistent-dir/minzheng.conf：文件不存在");
	config_release(&c);
}

TEST(load_reads_a_file)
{
	char path[] = "/tmp/test_config_XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	const char text[] = "[serve]\nlisten = 127.0.0.1:9090\n";
	CHECK_EQ_INT(write(fd, text, sizeof text - 1), (long long)(sizeof text - 1));
	close(fd);
	struct config c = CONFIG_INIT;
	struct err e = {0};
	CHECK_EQ_INT(config_load(&c, path, 1, &e), 0);
	CHECK_EQ_STR(config_get(&c, "serve", "listen", NULL), "127.0.0.1:9090");
	CHECK_EQ_STR(c.path, path);
	config_release(&c);
	unlink(path);
}

UNIT_MAIN(sections_and_keys, keys_before_any_section_are_global, comments_blank_lines_and_whitespace,
	  quoted_values, utf8_values_and_byte_order_mark, errors_name_the_file_and_line,
	  same_key_in_two_sections_is_fine, booleans, load_missing_file, load_reads_a_file)
