#!/usr/bin/env bash
# run.sh — link each tests/fuzz/fuzz_*.c against the clang-built library and run it briefly.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS. Corpora live in tests/fuzz/corpus/NAME/ (seeds kept
# in git; new finds go to build dir). A crash fails the run and leaves the input in BUILD_DIR.
# Without libFuzzer, tests/fuzz/replay.c runs the seeds once in make test (docs/reliability.md).
set -euo pipefail
build=${1:-build-fuzz}
secs=${2:-20}
cd "$(dirname "$0")/../.."
libs=$(pkg-config --libs libh2o-evloop sqlite3 jansson libsodium xlsxwriter libzip libxml-2.0)
objs=$(find "$build/obj" -name '*.o' ! -path "$build/obj/main.o")
status=0
for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	bin="$build/fuzz/$name"
	mkdir -p "$build/fuzz" "$build/corpus/$name"
	clang -std=c17 -D_GNU_SOURCE -DH2O_USE_LIBUV=0 -g -O1 -Isrc -Ibuild/gen \
		$(pkg-config --cflags jansson) -fsanitize=fuzzer,address,undefined \
		-o "$bin" "$src" $objs $libs -lpthread -lm
	seeds=()
	[ -d "tests/fuzz/corpus/$name" ] && seeds=("tests/fuzz/corpus/$name")
	echo "== $name (${secs}s)"
	if ! "$bin" -max_total_time="$secs" -artifact_prefix="$build/fuzz/$name-" \
		"$build/corpus/$name" "${seeds[@]}" 2>"$build/fuzz/$name.log"; then
		tail -n 30 "$build/fuzz/$name.log"
		status=1
	else
		grep -E "^#[0-9]+[[:space:]]+DONE|^Done" "$build/fuzz/$name.log" | tail -n 2 || true
	fi
done
exit $status
