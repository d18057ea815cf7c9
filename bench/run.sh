#!/usr/bin/env bash
# run.sh — every benchmark, then one summary table. Called by `make bench` after the build.
#
# Usage: bench/run.sh [BUILD_DIR]        (default build)
# Environment: BENCH_REBUILD=1 remakes the bench database; BENCH_SKIP_HTTP=1 / BENCH_SKIP_SEARCH=1
# skip one part; http.sh's BENCH_* settings pass through. BENCH_SKIP_PG=1 leaves out the PostgreSQL
# runs of http.sh and payroll.sh (a throwaway cluster from tests/pg/cluster.sh, MZ_PG_PORT /
# MZ_PG_DIR, or the server of BENCH_PG_URL; see bench/pg.sh).
#
# The bench database, bench/out/bench.db (git-ignored), is a demo city of ≥ 1,000,000 persons
# (demo --seed 1 --scale 2.5: 375,000 households, 1,062,923 persons; the exact count is printed).
# It is made once and reused while it has ≥ 1,000,000 persons, was made with the same seed and
# scale (bench/out/bench.db.meta), and has the same schema as a fresh `minzheng init` — so a
# changed migration rebuilds it. Making it takes about a minute.
#
# Each benchmark reports a ratio against a baseline measured in the same run, as medians of 5
# repetitions (BENCH_REPS):
#   http    minzheng GET /api/v1/persons/{id} req/s ÷ nginx 1 KiB static file req/s (http.sh); the
#           same on PostgreSQL (the bench database copied in), and two instances on one PostgreSQL
#           database behind nginx ÷ one instance behind the same nginx
#   search  registry_person_search latency ÷ primary-key point read latency (search.c)
#   dashboard GET /api/v1/dashboard first answer after a write ÷ GET /api/v1/session (dashboard.sh,
#           the default demo city; BENCH_SKIP_DASHBOARD=1 skips it)
#   payroll `payroll run` for 1,000,000 beneficiaries ÷ one INSERT … SELECT of 1,000,000 payment
#           rows (payroll.sh, its own database; BENCH_SKIP_PAYROLL=1 skips it, 3 repetitions); then
#           100,000 beneficiaries on SQLite and on PostgreSQL, each ÷ the same INSERT … SELECT
#   load    the mixed workload (logins, searches, detail reads, report filings, ledger visits,
#           payroll review, dashboard) with wrk at 1,000 connections for 60 s on the default demo
#           city, req/s ÷ GET /healthz req/s at the same concurrency; 0 errors and a flat server
#           RSS required (load.sh, its own database; one run; LOAD_* settings pass through;
#           BENCH_SKIP_LOAD=1 skips it)
# See docs/bench.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
build=${1:-build}
bin=$build/minzheng
out=bench/out
db=$out/bench.db
seed=1
scale=${BENCH_SCALE:-2.5}
min_persons=1000000
mkdir -p "$out"

fail() { echo "bench: FAIL: $*" >&2; exit 1; }
t_start=$(date +%s)
# make's own view of the Makefile (no jobserver or flags inherited from a parent make)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" "$@"; }
# The binary and the library objects must match the sources (a no-op under `make bench`).
mk -s "$bin" >/dev/null || fail "$bin does not build"

# The figures are only as good as the machine is quiet: say so when it is not (CPU time used by
# others over one second, from /proc/stat; the load average would still count the build).
cpu_busy() {
	local a b
	a=$(head -n 1 /proc/stat)
	sleep 1
	b=$(head -n 1 /proc/stat)
	awk -v a="$a" -v b="$b" 'BEGIN { n = split(a, x); split(b, y); t = 0
		for (i = 2; i <= n; i++) t += y[i] - x[i]
		idle = (y[5] - x[5]) + (y[6] - x[6]); printf "%.0f", (t > 0 ? 100 * (t - idle) / t : 0) }'
}
busy=$(cpu_busy)
echo "bench: $(nproc) cores, ${busy} % busy before starting, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)"
if [ "$busy" -gt 10 ]; then
	echo "bench: WARNING: other work is using ${busy} % of the CPUs: the figures will be low and noisy"
fi

# ---- bench/search.c, built as the program is built ----
# The Makefile's own CFLAGS, library object list ($(LIB_OBJ): every src/*/*.o but main.o, and the
# generated assets) and LDLIBS, read from make itself so the two cannot drift apart.
mkvar() { mk -s --eval="bench-print-$1: ; @echo \$($1)" "bench-print-$1"; }
cflags=$(mkvar CFLAGS)
objs=$(mkvar LIB_OBJ)
ldlibs=$(mkvar LDLIBS)
[ -n "$cflags" ] && [ -n "$objs" ] || fail "cannot read CFLAGS / LIB_OBJ from the Makefile"
[ -n "$ldlibs" ] || ldlibs="$(pkg-config --libs libh2o-evloop sqlite3 jansson libsodium) -lpthread -lm"
for o in $objs; do [ -f "$o" ] || fail "$o missing: make $bin first"; done
# shellcheck disable=SC2086
${CC:-gcc} $cflags -o "$out/search" bench/search.c $objs $ldlibs || fail "bench/search.c does not build"

# ---- the bench database ----
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
probe=$out/schema-probe.db
rm -f "$probe" "$probe-wal" "$probe-shm"
"$bin" init --db "$probe" >/dev/null || fail "minzheng init failed"
want_schema=$("$out/search" "$probe" --info | kv schema)
rm -f "$probe" "$probe-wal" "$probe-shm"

meta="seed=$seed scale=$scale"
reuse=0
if [ -s "$db" ] && [ "${BENCH_REBUILD:-0}" != 1 ]; then
	inf=$("$out/search" "$db" --info || true)
	if [ "$(echo "$inf" | kv persons)" -ge "$min_persons" ] 2>/dev/null &&
		[ "$(echo "$inf" | kv schema)" = "$want_schema" ] && [ "$(echo "$inf" | kv users)" = 2 ] &&
		[ "$(cat "$db.meta" 2>/dev/null)" = "$meta" ]; then
		reuse=1
	else
		echo "bench: $db is stale ($inf $(cat "$db.meta" 2>/dev/null); want schema=$want_schema $meta): rebuilding"
	fi
fi
if [ $reuse = 0 ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$db.meta"
	echo "bench: creating $db (demo --seed $seed --scale $scale; about a minute) …"
	t0=$(date +%s)
	"$bin" init --db "$db" >/dev/null || fail "init failed"
	"$bin" demo --db "$db" --seed "$seed" --scale "$scale" --no-assistance >"$out/demo.log" 2>&1 ||
		fail "demo failed: $(tail -n 5 "$out/demo.log")"
	echo "$meta" >"$db.meta"
	echo "bench: made in $(($(date +%s) - t0)) s"
fi
inf=$("$out/search" "$db" --info)
have=$(echo "$inf" | kv persons)
[ "$have" -ge "$min_persons" ] || fail "demo --scale $scale gave only $have persons (< $min_persons): set BENCH_SCALE higher"
echo "bench: database $db: $have persons ($(echo "$inf" | kv active) active), $(echo "$inf" | kv households) households, $(du -m "$db" | cut -f1) MiB (seed $seed, scale $scale)"
echo

results=$out/results.txt
: >"$results"

# ---- search ----
if [ "${BENCH_SKIP_SEARCH:-0}" != 1 ]; then
	echo "== search: registry_person_search vs primary-key read (bench/search.c) =="
	"$out/search" "$db" --queries "${BENCH_QUERIES:-300}" --reps "${BENCH_REPS:-5}" | tee "$out/search.txt"
	grep '^RESULT' "$out/search.txt" >>"$results" || true
	echo
fi

# ---- http ----
if [ "${BENCH_SKIP_HTTP:-0}" != 1 ]; then
	echo "== http: GET /api/v1/persons/{id} vs nginx 1 KiB static (bench/http.sh) =="
	bench/http.sh "$build" "$db" | tee "$out/http.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "http.sh failed"
	grep '^RESULT' "$out/http.txt" >>"$results" || true
	echo
fi

# ---- payroll (its own 1,000,000-case database, bench/out/payroll.db) ----
if [ "${BENCH_SKIP_PAYROLL:-0}" != 1 ]; then
	echo "== payroll: 1,000,000 beneficiaries vs one INSERT … SELECT (bench/payroll.sh) =="
	BENCH_REPS=${BENCH_PAYROLL_REPS:-3} bench/payroll.sh "$build" | tee "$out/payroll.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "payroll.sh failed"
	grep '^RESULT' "$out/payroll.txt" >>"$results" || true
	echo
fi

# ---- ledger (its own database of 1,000,000 entries and 10,000,000 visits, bench/out/ledger.db) ----
if [ "${BENCH_SKIP_LEDGER:-0}" != 1 ]; then
	echo "== ledger: the overdue list over 1,000,000 entries vs primary-key reads of its rows (bench/ledger.sh) =="
	bench/ledger.sh "$build" | tee "$out/ledger.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "ledger.sh failed"
	grep '^RESULT' "$out/ledger.txt" >>"$results" || true
	echo
fi

# ---- summary ----
echo "== summary ($(nproc) cores, $have persons; medians of ${BENCH_REPS:-5} repetitions) =="
printf '%-44s %14s %14s %12s\n' benchmark figure baseline ratio
if grep -q '^RESULT http ratio' "$results"; then
	m=$(grep '^RESULT http minzheng' "$results")
	n=$(grep '^RESULT http nginx' "$results")
	r=$(grep '^RESULT http ratio' "$results" | kv ratio)
	printf '%-44s %10.0f r/s %10.0f r/s %11.1f%%\n' "http GET /persons/{id} vs nginx 1 KiB" \
		"$(echo "$m" | kv rps)" "$(echo "$n" | kv rps)" "$(awk -v r="$r" 'BEGIN { print r * 100 }')"
	printf '%-44s %11s ms %11s ms\n' "  latency p50 (minzheng / nginx)" "$(echo "$m" | kv p50_ms)" "$(echo "$n" | kv p50_ms)"
	printf '%-44s %11s ms %11s ms\n' "  latency p99 (minzheng / nginx)" "$(echo "$m" | kv p99_ms)" "$(echo "$n" | kv p99_ms)"
fi
if grep -q '^RESULT http pg_ratio' "$results"; then
	g=$(grep '^RESULT http pg ' "$results")
	printf '%-44s %10.0f r/s %10.0f r/s %11.1f%%\n' "http on PostgreSQL vs nginx 1 KiB" \
		"$(echo "$g" | kv rps)" "$(grep '^RESULT http pg_nginx' "$results" | kv rps)" \
		"$(awk -v r="$(grep '^RESULT http pg_ratio' "$results" | kv ratio)" 'BEGIN { print r * 100 }')"
	printf '%-44s %11s ms %11s ms %11sx\n' "  latency p50 / p99; ÷ SQLite's ratio" "$(echo "$g" | kv p50_ms)" \
		"$(echo "$g" | kv p99_ms)" "$(grep '^RESULT http pg_ratio' "$results" | kv vs_sqlite)"
	printf '%-44s %10.0f r/s %10.0f r/s %11sx\n' "http PostgreSQL, 2 instances vs 1 (nginx)" \
		"$(grep '^RESULT http pg_two ' "$results" | kv rps)" "$(grep '^RESULT http pg_one ' "$results" | kv rps)" \
		"$(grep '^RESULT http pg_two_ratio' "$results" | kv ratio)"
fi
if grep -q '^RESULT search baseline' "$results"; then
	b=$(grep '^RESULT search baseline' "$results" | kv p50_us)
	grep '^RESULT search ' "$results" | grep -v baseline | while read -r _ _ who kind rest; do
		p50=$(echo "$rest" | kv p50_us) p99=$(echo "$rest" | kv p99_us)
		printf '%-44s %11s µs %11s µs %11sx\n' "search $who $kind p50" "$p50" "$b" "$(echo "$rest" | kv p50_ratio)"
		printf '%-44s %11s µs %11s µs %11sx\n' "search $who $kind p99" "$p99" "$b" "$(echo "$rest" | kv p99_ratio)"
	done
fi
if grep -q '^RESULT payroll ratio' "$results"; then
	printf '%-44s %11s ms %11s ms %11sx\n' "payroll 1M beneficiaries vs INSERT…SELECT" \
		"$(grep '^RESULT payroll minzheng' "$results" | kv ms)" \
		"$(grep '^RESULT payroll baseline' "$results" | kv ms)" \
		"$(grep '^RESULT payroll ratio' "$results" | kv ratio)"
fi
if grep -q '^RESULT payroll pg ' "$results"; then
	g=$(grep '^RESULT payroll pg ' "$results")
	b=$(grep '^RESULT payroll small_baseline' "$results")
	k=$(($(echo "$b" | kv rows) / 1000))
	printf '%-44s %11s ms %11s ms %11sx\n' "payroll ${k}k, SQLite vs INSERT…SELECT" \
		"$(grep '^RESULT payroll small_sqlite' "$results" | kv ms)" "$(echo "$b" | kv ms)" \
		"$(grep '^RESULT payroll small_sqlite' "$results" | kv ratio)"
	printf '%-44s %11s ms %11s ms %11sx\n' "payroll ${k}k, PostgreSQL vs INSERT…SELECT" \
		"$(echo "$g" | kv ms)" "$(echo "$b" | kv ms)" "$(echo "$g" | kv ratio)"
	printf '%-45s %27s %11sx\n' "  PostgreSQL ÷ SQLite" "" "$(echo "$g" | kv vs_sqlite)"
fi
# ---- reports: 10,000 institutions file their daily report in one burst (bench/reports.sh, its own
# database bench/out/reports.db) vs the sqlite3 shell writing the same rows; BENCH_SKIP_REPORTS=1 skips ----
if [ "${BENCH_SKIP_REPORTS:-0}" != 1 ]; then
	echo
	echo "== reports: 10,000 daily reports over HTTP vs the sqlite3 shell, one transaction each (bench/reports.sh) =="
	BENCH_REPS=${BENCH_REPORTS_REPS:-3} bench/reports.sh "$build" | tee "$out/reports.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "reports.sh failed"
	m=$(grep '^RESULT reports minzheng' "$out/reports.txt")
	printf '%-44s %10.0f r/s %10.0f r/s %11sx\n' "reports burst vs sqlite3 shell" "$(echo "$m" | kv rps)" \
		"$(grep '^RESULT reports baseline' "$out/reports.txt" | kv rps)" "$(grep '^RESULT reports ratio' "$out/reports.txt" | kv ratio)"
	printf '%-44s %11s ms %11s ms\n' "  latency p50 / p99 (minzheng)" "$(echo "$m" | kv p50_ms)" "$(echo "$m" | kv p99_ms)"
fi
# ---- import: 1,000,000 persons from CSV through `minzheng import households` vs the sqlite3 shell's
# .import of the same file into a table with the same unique key (bench/import.sh, its own
# databases); BENCH_SKIP_IMPORT=1 skips ----
if [ "${BENCH_SKIP_IMPORT:-0}" != 1 ]; then
	echo
	echo "== import: 1,000,000 persons from CSV vs sqlite3 .import (bench/import.sh) =="
	bench/import.sh "$build" | tee "$out/import.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "import.sh failed"
	printf '%-44s %11s ms %11s ms %11sx\n' "import 1M persons vs sqlite3 .import" \
		"$(grep '^RESULT import minzheng' "$out/import.txt" | kv ms)" \
		"$(grep '^RESULT import baseline' "$out/import.txt" | kv ms)" \
		"$(grep '^RESULT import ratio' "$out/import.txt" | kv ratio)"
fi
# ---- dashboard: GET /api/v1/dashboard's first answer after a write on the default demo city
# (bench/dashboard.sh, its own database bench/out/dashboard.db) vs GET /api/v1/session in the
# same run; BENCH_SKIP_DASHBOARD=1 skips ----
if [ "${BENCH_SKIP_DASHBOARD:-0}" != 1 ]; then
	echo
	echo "== dashboard: first answer after a write, demo city (bench/dashboard.sh) =="
	bench/dashboard.sh "$build" | tee "$out/dashboard.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "dashboard.sh failed"
	m=$(grep '^RESULT dashboard minzheng' "$out/dashboard.txt")
	printf '%-44s %11s ms %11s ms %11sx\n' "dashboard city, first answer vs GET session" \
		"$(echo "$m" | kv city_ms)" "$(grep '^RESULT dashboard baseline' "$out/dashboard.txt" | kv session_ms)" \
		"$(grep '^RESULT dashboard ratio' "$out/dashboard.txt" | kv ratio)"
	printf '%-44s %11s ms %11s ms\n' "  county / kept answer (target 200 ms)" "$(echo "$m" | kv county_ms)" "$(echo "$m" | kv cached_ms)"
fi
# ---- load: the mixed workload at 1,000 connections for 60 s (bench/load.sh, its own database
# bench/out/load.db) vs GET /healthz at the same concurrency; BENCH_SKIP_LOAD=1 skips ----
if [ "${BENCH_SKIP_LOAD:-0}" != 1 ]; then
	echo
	echo "== load: mixed workload, ${LOAD_CONNS:-1000} connections, ${LOAD_SECONDS:-60} s, demo city (bench/load.sh) =="
	bench/load.sh "$build" | tee "$out/load.txt"
	[ "${PIPESTATUS[0]}" = 0 ] || fail "load.sh failed"
	m=$(grep '^RESULT load mix' "$out/load.txt")
	printf '%-44s %10.0f r/s %10.0f r/s %11sx\n' "load mix vs GET /healthz, same concurrency" \
		"$(echo "$m" | kv rps)" "$(grep '^RESULT load baseline' "$out/load.txt" | kv rps)" \
		"$(grep '^RESULT load ratio' "$out/load.txt" | kv ratio)"
	printf '%-44s %11s ms %11s ms %7s errors\n' "  latency p50 / p99, errors" "$(echo "$m" | kv p50_ms)" \
		"$(echo "$m" | kv p99_ms)" "$(echo "$m" | kv errors)"
	printf '%-44s %10s MiB %10s MiB\n' "  server RSS after warm-up / at the end" "$(echo "$m" | kv rss_warm_mib)" \
		"$(echo "$m" | kv rss_end_mib)"
fi
echo "bench: done in $(($(date +%s) - t_start)) s; raw output in $out/"
