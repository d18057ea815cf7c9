/* config.h — the INI configuration file (/etc/minzheng/minzheng.conf).
 *
 * Format: `[section]` lines; `key = value` lines; whole-line comments starting with `#` or `;`;
 * blank lines. Keys and values are trimmed of spaces and tabs. A value may be quoted with "…"
 * (escapes \" \\ \n \t) or '…' (taken literally) to keep leading or trailing spaces or a `#`;
 * an unquoted value ends at ` #` or ` ;` (a comment after whitespace). Keys before the first
 * section belong to [global]. Section and key names are letters, digits, `_`, `-` and `.`.
 * A key given twice in one section, a line that is none of these, an unterminated quote or
 * section is an error naming the file and the line.
 *
 * The command line reads it through cmd/cli.c: `--name` of subcommand X comes from the command
 * line, else [X] name, else [global] name.
 */
#ifndef MZ_CONFIG_H
#define MZ_CONFIG_H

#include <stddef.h>
#include "core/err.h"

#define CONFIG_MAX_BYTES (1 << 20)

struct config_entry {
	char *section;
	char *key;
	char *value;
	int line;
};

struct config {
	char *path; /* the file it came from ("" when parsed from text) */
	struct config_entry *entries;
	int n, alloc;
};

#define CONFIG_INIT {0}

/* Parse INI text (NUL-terminated) into c, which must be empty (CONFIG_INIT); path names the file
 * in error messages ("配置文件 PATH 第 N 行：…", code "config", status 400). 0 or -1; on error c
 * is left empty. Free with config_release. */
int config_parse(struct config *c, const char *path, const char *text, struct err *e);

/* Read and parse the file at path. A missing file is an error when must_exist, else c stays
 * empty and 0 is returned. */
int config_load(struct config *c, const char *path, int must_exist, struct err *e);

/* The value of key in section, or NULL; *line (when not NULL) receives its line number. */
const char *config_get(const struct config *c, const char *section, const char *key, int *line);

/* A boolean value: 1 for true/yes/on/1, 0 for false/no/off/0 (any case), -1 otherwise. */
int config_bool(const char *value);

void config_release(struct config *c);

#endif
