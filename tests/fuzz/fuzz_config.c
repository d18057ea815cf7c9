/* fuzz_config.c — libFuzzer target: arbitrary bytes as the INI configuration file, through
 * config_parse (sections, keys, quoted values with escapes, trailing comments). Invariants: a
 * refusal is 400 "config" naming the file and leaves the config empty; an accepted file gives
 * entries with valid section and key names whose line numbers increase, each found again by
 * config_get (the first of a key is the only one: duplicates are refused), and config_bool is
 * -1, 0 or 1 for every value. Everything is released (LeakSanitizer checks). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_config: invariant broken: %s\n", what);
		abort();
	}
}

static int name_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '.'))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > CONFIG_MAX_BYTES)
		return 0;
	char *z = malloc(size + 1);
	if (!z)
		return 0;
	memcpy(z, data, size);
	z[size] = '\0';

	struct config c = CONFIG_INIT;
	struct err e;
	err_clear(&e);
	if (config_parse(&c, "fuzz.conf", z, &e) < 0) {
		require(e.status == 400 && strcmp(e.code, "config") == 0, "error status and code");
		require(strstr(e.message, "fuzz.conf") != NULL, "error names the file");
		require(c.n == 0, "config left empty");
	} else {
		int last = 0;
		for (int i = 0; i < c.n; i++) {
			const struct config_entry *en = &c.entries[i];
			require(name_ok(en->section) && name_ok(en->key), "names");
			require(en->value != NULL, "a value");
			require(en->line > last, "lines increase");
			last = en->line;
			int line = 0;
			const char *v = config_get(&c, en->section, en->key, &line);
			require(v == en->value && line == en->line, "config_get finds the entry");
			int b = config_bool(en->value);
			require(b >= -1 && b <= 1, "config_bool");
		}
		require(config_get(&c, "no such section!", "key", NULL) == NULL, "unknown section");
	}
	config_release(&c);
	free(z);
	return 0;
}
