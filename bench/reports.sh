#!/usr/bin/env bash
# reports.sh — 10,000 institutions file their daily report in one burst over HTTP, beside the
# sqlite3 shell inserting the same rows one transaction each, in the same run; prints throughput,
# latency percentiles and the ratio (medians of the repetitions), and checks durability: the server
# is killed with SIGKILL right after each burst and every report it acknowledged (201) must be in
# the database, counted, with the audit chain intact.
#
# Usage: bench/reports.sh BUILD_DIR
# Environment: BENCH_REPORTS=10000 (institutions), BENCH_CONNS=64 (client connections),
# BENCH_REPS=3, BENCH_SERVER_THREADS= (serve --threads; default one per core).
#
# The database, bench/out/reports.db (git-ignored, remade each run: a few seconds), is
# `minzheng init` + a small `minzheng demo` (regions, the demo policy with its 10:00 deadlines,
# users) + bench/reports_prep.mjs: N elderly homes over the city's villages, each with its own
# reporter account, attachment and bearer token.
#
# minzheng (timed: the burst, by bench/reports.c)
#   N × POST /api/v1/institutions/{id}/reports {"report_date": D, "kind": "zero"}, each with its
#   reporter's token, over BENCH_CONNS keep-alive connections: authentication, the reporter's
#   attachment, the deadline from the policy, the carried headcounts, the report, its version,
#   the day's counter, the audit row — one transaction each, committed before the 201.
# baseline (timed: the whole sqlite3 process)
#   the same report, version and counter rows inserted by the sqlite3 shell, one transaction per
#   report, into copies of the tables (same DDL) with the server's connection settings: the cost
#   of the writes alone, with no HTTP, no checks and no audit chain.
# Lines starting with RESULT are for run.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:?usage: bench/reports.sh BUILD_DIR}
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/minzheng
out=$root/bench/out
db=$out/reports.db
n=${BENCH_REPORTS:-10000}
conns=${BENCH_CONNS:-64}
reps=${BENCH_REPS:-3}
mkdir -p "$out"

fail() { echo "reports.sh: FAIL: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "$bin not built"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed (the Debian package sqlite3)"
command -v node >/dev/null || fail "node not installed"
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }

mz_pid=''
cleanup() {
	if [ -n "$mz_pid" ]; then kill -KILL "$mz_pid" 2>/dev/null || true; wait "$mz_pid" 2>/dev/null || true; fi
	mz_pid=''
}
trap cleanup EXIT
trap 'exit 130' INT TERM

${CC:-cc} -O2 -Wall -Wextra -o "$out/reports-load" "$here/reports.c" || fail "bench/reports.c does not build"

# ---- the database ----
t0=$(now_ms)
rm -f "$db" "$db-wal" "$db-shm"
"$bin" init --db "$db" >/dev/null || fail "init failed"
"$bin" demo --db "$db" --scale 0.02 --no-assistance >"$out/reports-demo.log" 2>&1 || fail "demo failed: $(tail -n 5 "$out/reports-demo.log")"
node "$here/reports_prep.mjs" setup "$n" "$out/reports-setup.sql" "$out/reports-list.txt"
sqlite3 -batch "$db" <"$out/reports-setup.sql" >/dev/null || fail "setting up $n institutions failed"
sqlite3 -batch "$db" "SELECT sql FROM sqlite_master WHERE tbl_name IN ('inst_reports', 'inst_report_versions', 'inst_report_stats') AND sql IS NOT NULL" >"$out/reports-ddl.sql"
have=$(sqlite3 -batch "$db" "SELECT count(*) FROM institution_reporters WHERE institution_id > 1000000")
[ "$have" = "$n" ] || fail "$have institutions with reporters, want $n"
echo "reports: $db with $n institutions, each with its reporter and token ($(($(now_ms) - t0)) ms)"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${BENCH_REPORTS_PORT:-18490}
while ! port_free "$port"; do port=$((port + 1)); done

: >"$out/reports-reps.txt"
printf '  %-4s %10s %10s %9s %9s %9s %12s %9s\n' rep "burst r/s" "seconds" "p50 ms" "p99 ms" "max ms" "sqlite3 r/s" ratio
for r in $(seq "$reps"); do
	day=$(printf '2020-05-%02d' "$r") # a day of its own for each burst (one report per home and day)
	args=(serve --db "$db" --listen "127.0.0.1:$port" --quiet)
	[ -n "${BENCH_SERVER_THREADS:-}" ] && args+=(--threads "$BENCH_SERVER_THREADS")
	"$bin" "${args[@]}" 2>"$out/reports-serve.log" &
	mz_pid=$!
	node "$here/prepare.mjs" wait "http://127.0.0.1:$port/healthz" 30 || fail "server did not come up: $(cat "$out/reports-serve.log")"
	res=$("$out/reports-load" 127.0.0.1 "$port" "$out/reports-list.txt" "$day" "$conns") || fail "burst failed: $res"
	# durability: kill -9 at once; every acknowledged report must be there
	kill -KILL "$mz_pid"
	wait "$mz_pid" 2>/dev/null || true
	mz_pid=''
	got=$(sqlite3 -batch "$db" "SELECT count(*) FROM inst_reports WHERE report_date = '$day' AND institution_id > 1000000")
	counted=$(sqlite3 -batch "$db" "SELECT coalesce(sum(received), 0) FROM inst_report_stats WHERE report_date = '$day'")
	[ "$got" = "$n" ] && [ "$counted" = "$n" ] || fail "after kill -9: $got reports and $counted counted for $day, want $n"
	# the baseline
	node "$here/reports_prep.mjs" baseline "$n" "$day" "$out/reports-ddl.sql" "$out/reports-baseline.sql"
	b0=$(now_ms)
	rows=$(sqlite3 -batch "$db" <"$out/reports-baseline.sql" | grep '^rows|' | cut -d'|' -f2) || fail "baseline failed"
	b_ms=$(($(now_ms) - b0))
	[ "$rows" = "$n" ] || fail "baseline wrote $rows rows, want $n"
	rps=$(echo "$res" | kv rps)
	b_rps=$(awk -v n="$n" -v ms="$b_ms" 'BEGIN { printf "%.0f", n * 1000 / ms }')
	ratio=$(awk -v a="$rps" -v b="$b_rps" 'BEGIN { printf "%.3f", a / b }')
	echo "$rps $(echo "$res" | kv seconds) $(echo "$res" | kv p50_ms) $(echo "$res" | kv p99_ms) $(echo "$res" | kv max_ms) $b_rps $ratio" >>"$out/reports-reps.txt"
	printf '  %-4s %10.0f %10.3f %9.2f %9.2f %9.2f %12.0f %9.3f\n' "$r" "$rps" "$(echo "$res" | kv seconds)" \
		"$(echo "$res" | kv p50_ms)" "$(echo "$res" | kv p99_ms)" "$(echo "$res" | kv max_ms)" "$b_rps" "$ratio"
done
col() { awk -v c="$1" '{ print $c }' "$out/reports-reps.txt" | median; }
printf '  %-4s %10.0f %10.3f %9.2f %9.2f %9.2f %12.0f %9.3f\n' med "$(col 1)" "$(col 2)" "$(col 3)" "$(col 4)" "$(col 5)" "$(col 6)" "$(col 7)"
"$bin" audit verify --db "$db" >"$out/reports-audit.txt" 2>&1 || fail "audit chain broken after the bursts: $(cat "$out/reports-audit.txt")"
echo "  durable: after each kill -9 all $n acknowledged reports were in the database and counted; audit chain intact"
echo "RESULT reports minzheng n=$n rps=$(col 1) p50_ms=$(col 3) p99_ms=$(col 4) max_ms=$(col 5)"
echo "RESULT reports baseline rps=$(col 6)"
echo "RESULT reports ratio=$(col 7)"
