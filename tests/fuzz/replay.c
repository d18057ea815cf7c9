/* replay.c — runs a fuzz target's corpus without libFuzzer: every regular file of the
 * directories (and the files) named on the command line, in name order, is read and handed to
 * LLVMFuzzerTestOneInput once. Linked with each tests/fuzz/fuzz_*.c by gcc with the build's flags,
 * so `make test` replays the corpora in the normal build and `make asan` under ASan + UBSan
 * (where a crash or a leak aborts the process). Prints "N inputs, 0 crashes" and then the
 * "1 passed, 0 failed" line tests/run.sh counts; exits non-zero when an input cannot be read or
 * a target returns non-zero.
 *
 * Usage: replay DIR_OR_FILE... */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inputs, failures;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		failures++;
		return;
	}
	size_t cap = 4096, len = 0, got;
	uint8_t *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			uint8_t *bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	int bad = ferror(f) || !buf;
	fclose(f);
	if (bad) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		free(buf);
		failures++;
		return;
	}
	/* An exact-size copy, so ASan sees a read one byte past the input. */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(buf);
		failures++;
		return;
	}
	memcpy(exact, buf, len);
	free(buf);
	inputs++;
	if (LLVMFuzzerTestOneInput(exact, len) != 0) {
		fprintf(stderr, "replay: %s: the target returned non-zero\n", path);
		failures++;
	}
	free(exact);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: cannot open directory %s\n", dir);
		failures++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **bigger = realloc(names, cap * sizeof *names);
			if (!bigger)
				break;
			names = bigger;
		}
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, by_name);
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(l);
		if (path) {
			snprintf(path, l, "%s/%s", dir, names[i]);
			struct stat st;
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				run_file(path);
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: no such file or directory: %s\n", argv[i]);
			failures++;
		} else if (S_ISDIR(st.st_mode)) {
			run_dir(argv[i]);
		} else {
			run_file(argv[i]);
		}
	}
	if (inputs == 0) {
		fprintf(stderr, "replay: no inputs (an empty corpus)\n");
		failures++;
	}
	printf("%d inputs, %d crashes\n", inputs, failures);
	printf("%d passed, %d failed\n", failures ? 0 : 1, failures ? 1 : 0);
	return failures ? 1 : 0;
}
