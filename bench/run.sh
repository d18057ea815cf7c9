#!/usr/bin/env bash
# run.sh — every benchmark, then one summary table. Called by `make bench` after the build.
#
# Usage: bench/run.sh [BUILD_DIR]        (default build)
# Environment: BENCH_REBUILD=1 remakes the bench database; BENCH_SKIP_HTTP=1 / BENCH_SKIP_SEARCH=1
# skip one part; http.sh's BENCH_* settings pass through.
#
# The bench database, bench/out/bench.db (git-ignored), is a demo city of ≥ 1,000,000 persons
# (demo --seed 1 --scale 2.5 gives 1,06x,xxx; the exact count is printed). It is made once and
# reused while it still has ≥ 1,000,000 persons and the same schema as a fresh `minzheng init`
# (so a changed migration rebuilds it); the demo takes about a minute the first time.
#
# Each benchmark reports a ratio against a baseline measured in the same run, as medians of ≥ 3
# repetitions:
#   http    minzheng GET /api/v1/persons/{id} req/s ÷ nginx 1 KiB static file req/s (http.sh)
#   search  registry_person_search latency ÷ primary-key point read latency (search.c)
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
[ -x "$bin" ] || fail "$bin missing: run make $bin (or make bench)"
t_start=$(date +%s)

# ---- bench/search.c, built as the program is built ----
# The Makefile's own CFLAGS and library object list ($(LIB_OBJ): every src/*/*.o but main.o, and
# the generated assets), read from make itself so the two cannot drift apart.
mk() { make -s --no-print-directory BUILD="$build" --eval="bench-print-$1: ; @echo \$($1)" "bench-print-$1"; }
cflags=$(mk CFLAGS)
objs=$(mk LIB_OBJ)
[ -n "$cflags" ] && [ -n "$objs" ] || fail "cannot read CFLAGS / LIB_OBJ from the Makefile"
for o in $objs; do [ -f "$o" ] || fail "$o missing: make $bin first"; done
# shellcheck disable=SC2086
${CC:-gcc} $cflags -o "$out/search" bench/search.c $objs \
	$(pkg-config --libs libh2o-evloop sqlite3 jansson libsodium) -lpthread -lm ||
	fail "bench/search.c does not build"

# ---- the bench database ----
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
probe=$out/schema-probe.db
rm -f "$probe" "$probe-wal" "$probe-shm"
"$bin" init --db "$probe" >/dev/null || fail "minzheng init failed"
want_schema=$("$out/search" "$probe" --info | kv schema)
rm -f "$probe" "$probe-wal" "$probe-shm"

reuse=0
if [ -s "$db" ] && [ "${BENCH_REBUILD:-0}" != 1 ]; then
	inf=$("$out/search" "$db" --info || true)
	if [ "$(echo "$inf" | kv persons)" -ge "$min_persons" ] 2>/dev/null &&
		[ "$(echo "$inf" | kv schema)" = "$want_schema" ] && [ "$(echo "$inf" | kv users)" = 2 ]; then
		reuse=1
	else
		echo "bench: $db is stale ($inf; fresh schema=$want_schema): rebuilding"
	fi
fi
if [ $reuse = 0 ]; then
	rm -f "$db" "$db-wal" "$db-shm"
	echo "bench: creating $db (demo --seed $seed --scale $scale; about a minute) …"
	t0=$(date +%s)
	"$bin" init --db "$db" >/dev/null || fail "init failed"
	"$bin" demo --db "$db" --seed "$seed" --scale "$scale" >"$out/demo.log" 2>&1 ||
		fail "demo failed: $(tail -n 5 "$out/demo.log")"
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
	"$out/search" "$db" --queries "${BENCH_QUERIES:-300}" --reps "${BENCH_REPS:-3}" | tee "$out/search.txt"
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

# ---- summary ----
echo "== summary ($(nproc) cores, $have persons; medians of ${BENCH_REPS:-3} repetitions) =="
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
if grep -q '^RESULT search baseline' "$results"; then
	b=$(grep '^RESULT search baseline' "$results" | kv p50_us)
	grep '^RESULT search ' "$results" | grep -v baseline | while read -r _ _ who kind rest; do
		p50=$(echo "$rest" | kv p50_us) p99=$(echo "$rest" | kv p99_us)
		printf '%-44s %11s µs %11s µs %11sx\n' "search $who $kind p50" "$p50" "$b" "$(echo "$rest" | kv p50_ratio)"
		printf '%-44s %11s µs %11s µs %11sx\n' "search $who $kind p99" "$p99" "$b" "$(echo "$rest" | kv p99_ratio)"
	done
fi
echo "bench: done in $(($(date +%s) - t_start)) s; raw output in $out/"
