/* config.c — the INI configuration file parser (see config.h).
 *
 * Hand-written rather than a library: the format is a dozen lines of rules, and the errors must
 * be Chinese and name the file and line. The whole file is read at once (at most 1 MiB) and
 * every entry copied out, so the text can be freed.
 */
#include "core/config.h"
#include "core/array_grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-' || ch == '.';
}

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trim spaces and tabs from both ends of s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
	while (*n && is_space(*s)) {
		s++;
		(*n)--;
	}
	while (*n && is_space(s[*n - 1]))
		(*n)--;
	return s;
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!is_name_char(s[i]))
			return 0;
	return 1;
}

static int line_err(struct err *e, const char *path, int line, const char *what)
{
	return err_set(e, 400, "config", NULL, "配置文件 %s 第 %d 行：%s", path, line, what);
}

/* The value part of a `key = value` line (s[0..n), already trimmed) into a malloc'd string. */
static int parse_value(const char *s, size_t n, char **out, const char **why)
{
	char *v = malloc(n + 1);
	size_t o = 0, i = 0;
	if (!v) {
		*why = "内存不足";
		return -1;
	}
	if (n && (s[0] == '"' || s[0] == '\'')) {
		char q = s[0];
		for (i = 1; i < n && s[i] != q; i++) {
			if (q == '"' && s[i] == '\\' && i + 1 < n) {
				char c = s[++i];
				v[o++] = c == 'n' ? '\n' : c == 't' ? '\t' : c;
			} else {
				v[o++] = s[i];
			}
		}
		if (i >= n) {
			free(v);
			*why = "引号没有闭合";
			return -1;
		}
		for (i++; i < n && is_space(s[i]); i++)
			;
		if (i < n && s[i] != '#' && s[i] != ';') {
			free(v);
			*why = "引号后只能是注释";
			return -1;
		}
	} else {
		/* An unquoted value ends at a comment that follows whitespace (the value was
		 * trimmed, so one at its very start followed "=" or whitespace: all comment). */
		size_t end = n;
		for (i = 0; i < n; i++)
			if ((s[i] == '#' || s[i] == ';') && (i == 0 || is_space(s[i - 1]))) {
				end = i;
				break;
			}
		s = trim(s, &end);
		memcpy(v, s, end);
		o = end;
	}
	v[o] = '\0';
	*out = v;
	return 0;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

int config_parse(struct config *c, const char *path, const char *text, struct err *e)
{
	char section[128] = "global";
	const char *p = text;
	int line = 0;
	if (!(c->path = strdup(path ? path : "")))
		return err_oom(e);
	if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
		p += 3; /* a UTF-8 byte-order mark, as Windows editors write */
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		const char *next = eol ? eol + 1 : p + n;
		line++;
		if (n && p[n - 1] == '\r')
			n--;
		const char *s = trim(p, &n);
		p = next;
		if (n == 0 || s[0] == '#' || s[0] == ';')
			continue;
		if (s[0] == '[') {
			if (s[n - 1] != ']') {
				line_err(e, path, line, "节名缺少右方括号 ]");
				goto fail;
			}
			size_t m = n - 2;
			const char *name = trim(s + 1, &m);
			if (!valid_name(name, m) || m >= sizeof section) {
				line_err(e, path, line, "节名只能由字母、数字、_、-、. 组成");
				goto fail;
			}
			memcpy(section, name, m);
			section[m] = '\0';
			continue;
		}
		const char *eq = memchr(s, '=', n);
		if (!eq) {
			line_err(e, path, line, "应为“键 = 值”或“[节名]”");
			goto fail;
		}
		size_t kn = (size_t)(eq - s), vn = n - kn - 1;
		const char *key = trim(s, &kn), *val = trim(eq + 1, &vn);
		if (!valid_name(key, kn)) {
			line_err(e, path, line, kn ? "键名只能由字母、数字、_、-、. 组成" : "缺少键名");
			goto fail;
		}
		char *value = NULL;
		const char *why = NULL;
		if (parse_value(val, vn, &value, &why) < 0) {
			line_err(e, path, line, why);
			goto fail;
		}
		char *k = dup_n(key, kn);
		if (!k) {
			free(value);
			err_oom(e);
			goto fail;
		}
		int prev = 0;
		if (config_get(c, section, k, &prev)) {
			char why2[300];
			snprintf(why2, sizeof why2, "[%s] 中的 %s 在第 %d 行已设置过", section, k, prev);
			free(k);
			free(value);
			line_err(e, path, line, why2);
			goto fail;
		}
		char *sec = strdup(section);
		if (!sec || array_grow(&c->entries, c->n, &c->alloc, sizeof *c->entries, 16) < 0) {
			free(sec);
			free(k);
			free(value);
			err_oom(e);
			goto fail;
		}
		c->entries[c->n++] = (struct config_entry){sec, k, value, line};
	}
	return 0;
fail:
	config_release(c);
	return -1;
}

int config_load(struct config *c, const char *path, int must_exist, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return err_set(e, 400, "config", NULL, "无法读取配置文件 %s：%s", path,
			       errno == ENOENT ? "文件不存在" : errno == EACCES ? "没有读权限" : strerror(errno));
	}
	char *text = malloc(CONFIG_MAX_BYTES + 1);
	if (!text) {
		fclose(f);
		return err_oom(e);
	}
	size_t n = fread(text, 1, CONFIG_MAX_BYTES + 1, f);
	int bad = ferror(f);
	fclose(f);
	if (bad || n > CONFIG_MAX_BYTES) {
		free(text);
		return err_set(e, 400, "config", NULL, bad ? "无法读取配置文件 %s" : "配置文件 %s 过大（上限 1 MiB）",
			       path);
	}
	text[n] = '\0';
	if (memchr(text, '\0', n)) {
		free(text);
		return err_set(e, 400, "config", NULL, "配置文件 %s 不是文本文件", path);
	}
	int rc = config_parse(c, path, text, e);
	free(text);
	return rc;
}

const char *config_get(const struct config *c, const char *section, const char *key, int *line)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->entries[i].section, section) == 0 && strcmp(c->entries[i].key, key) == 0) {
			if (line)
				*line = c->entries[i].line;
			return c->entries[i].value;
		}
	return NULL;
}

int config_bool(const char *v)
{
	static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"0", "false", "no", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
		if (strcasecmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

void config_release(struct config *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->entries[i].section);
		free(c->entries[i].key);
		free(c->entries[i].value);
	}
	free(c->entries);
	free(c->path);
	memset(c, 0, sizeof *c);
}
