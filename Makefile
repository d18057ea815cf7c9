# minzheng — build, run, test. `make run` and `make test` are the two commands a newcomer needs.
# Everything builds into build/; nothing is installed system-wide.

CC ?= gcc
PKGS := libh2o-evloop sqlite3 libpq jansson libsodium xlsxwriter libzip libxml-2.0 libcrypto
# snprintf truncating into fixed buffers is deliberate (bounded output), so its warning is off.
WARN := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wno-unused-parameter -Wno-format-truncation -Wno-unknown-warning-option
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -Isrc -Ibuild/gen $(WARN)
OPT ?= -O2 -g -D_FORTIFY_SOURCE=2
SAN :=
ifdef SANITIZER
SAN := -fsanitize=$(SANITIZER),undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT := -O1 -g
endif
ifdef FUZZ
SAN += -fsanitize=fuzzer-no-link
endif
BUILD ?= build
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS := $(CFLAGS_BASE) $(OPT) $(SAN) $(PKG_CFLAGS) -include src/core/banned.h
LDLIBS := $(PKG_LIBS) -lpthread -lm

LIB_SRC := $(filter-out src/main.c,$(wildcard src/*/*.c))
LIB_OBJ := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/gen/assets.o \
	$(BUILD)/obj/gen/data_assets.o
WEB_FILES := $(shell cd web 2>/dev/null && find . -type f ! -name '*~' | sed 's|^\./||' | sort)
DATA_FILES := $(shell cd data 2>/dev/null && find . -maxdepth 1 -type f -name '*.csv' | sed 's|^\./||' | sort)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
# Each fuzz target linked with tests/fuzz/replay.c (no libFuzzer): replays its corpus in make test.
FUZZ_REPLAY := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz-replay/%,$(FUZZ_SRC))

DB ?= data/minzheng.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps run test unit asan tsan bench fuzz lib clean
all: $(BUILD)/minzheng

deps:
	@scripts/deps.sh build

$(BUILD)/minzheng: $(LIB_OBJ) $(BUILD)/obj/main.o
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LDLIBS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	@$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -o $@ $<

$(BUILD)/gen/assets.c: $(BUILD)/tools/embed $(addprefix web/,$(WEB_FILES)) Makefile
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ assets web $(WEB_FILES)

$(BUILD)/gen/data_assets.c: $(BUILD)/tools/embed $(addprefix data/,$(DATA_FILES)) Makefile
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ data_assets data $(DATA_FILES)

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDLIBS)

run:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory $(BUILD)/minzheng
	@scripts/run.sh $(BUILD)/minzheng $(DB) $(LISTEN)

$(BUILD)/fuzz-replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	@echo "  LD  $@"
	@$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay.c $(LIB_OBJ) $(LDLIBS)

unit: $(UNIT_BIN) $(FUZZ_REPLAY)

test:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/minzheng unit
	@tests/run.sh $(BUILD)

# The kill -9 rounds per operation under the sanitizers (100 in make test): the sanitized binaries
# start and run several times slower, and the crash paths are the same.
SAN_CRASH_ROUNDS ?= 25

# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own tree, on
# SQLite (ASAN_ENGINES=sqlite,postgresql adds the PostgreSQL round: about as long again).
ASAN_ENGINES ?= sqlite
asan:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory SANITIZER=address BUILD=build-asan build-asan/minzheng unit
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 MZ_CRASH_ROUNDS=$(SAN_CRASH_ROUNDS) \
		MZ_TEST_ENGINES="$(ASAN_ENGINES)" tests/run.sh build-asan

# The threaded server under ThreadSanitizer (+ UBSan), in its own tree: the API suite and a
# concurrency stress against it, the other commands from $(BUILD) (tests/tsan.sh); any data race
# report fails the run. On SQLite: the server's threads are the same on both engines.
tsan:
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory $(BUILD)/minzheng
	@$(MAKE) --no-print-directory SANITIZER=thread BUILD=build-tsan build-tsan/minzheng
	@env -u MZ_TEST_PG_URL TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 MZ_CRASH_ROUNDS=$(SAN_CRASH_ROUNDS) \
		tests/tsan.sh build-tsan $(BUILD)

bench:
	@scripts/deps.sh bench
	@$(MAKE) --no-print-directory $(BUILD)/minzheng
	@bench/run.sh $(BUILD)

# Fuzz targets: the library built with clang + coverage, each target linked with libFuzzer.
FUZZ_SECONDS ?= 20
fuzz:
	@scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory CC=clang SANITIZER=address FUZZ=1 BUILD=build-fuzz lib
	@tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS)

lib: $(LIB_OBJ)

clean:
	rm -rf build build-asan build-tsan build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
