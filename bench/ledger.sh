#!/usr/bin/env bash
# ledger.sh — the hardship ledger's overdue list (应访未访) for a county over 1,000,000 ledger
# entries and 10,000,000 visits: p50/p99 latency of ledger_overdue_list() as the API calls it,
# each as a ratio against reading the same rows by primary key, measured in the same run; and the
# same list computed the naive way, from the visits (bench/ledger.c has the details).
#
# Usage: bench/ledger.sh BUILD_DIR
# Environment: BENCH_REPS=5 (timed repetitions), BENCH_LEDGER_QUERIES=200 (queries per kind),
# BENCH_REBUILD=1 (remake the database).
#
# The database, bench/out/ledger.db (git-ignored, ≈3 GB), is `minzheng init` + a tiny
# `minzheng demo` (regions, units, users, policy parameters) + bench/ledger.sql. It is made once
# (a few minutes) and reused while bench/out/ledger.db.meta matches the schema of a fresh
# `minzheng init` and the SQL file. Lines starting with RESULT are for run.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:?usage: bench/ledger.sh BUILD_DIR}
cd "$root"
bin=$build/minzheng
out=bench/out
db=$out/ledger.db
mkdir -p "$out"

fail() { echo "ledger.sh: FAIL: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "$bin not built"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed (the Debian package sqlite3)"

# ---- bench/ledger.c, built as the program is built (the Makefile's CFLAGS, objects, LDLIBS) ----
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$build" "$@"; }
mkvar() { mk -s --eval="bench-print-$1: ; @echo \$($1)" "bench-print-$1"; }
cflags=$(mkvar CFLAGS)
objs=$(mkvar LIB_OBJ)
ldlibs=$(mkvar LDLIBS)
[ -n "$cflags" ] && [ -n "$objs" ] && [ -n "$ldlibs" ] || fail "cannot read CFLAGS / LIB_OBJ / LDLIBS from the Makefile"
for o in $objs; do [ -f "$o" ] || fail "$o missing: make $bin first"; done
# shellcheck disable=SC2086
${CC:-gcc} $cflags -o "$out/ledger" bench/ledger.c $objs $ldlibs || fail "bench/ledger.c does not build"

# ---- the database ----
probe=$out/ledger-probe.db
rm -f "$probe" "$probe-wal" "$probe-shm"
"$bin" init --db "$probe" >/dev/null || fail "minzheng init failed"
schema=$(sqlite3 "$probe" "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)" | sha256sum | cut -c1-16)
rm -f "$probe" "$probe-wal" "$probe-shm"
meta="schema=$schema sql=$(sha256sum bench/ledger.sql | cut -c1-16)"
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -s "$db" ] || [ "$(cat "$db.meta" 2>/dev/null)" != "$meta" ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$db.meta"
	echo "ledger.sh: creating $db (1,000,000 entries, 10,000,000 visits by SQL; a few minutes) …"
	t0=$(date +%s)
	"$bin" init --db "$db" >/dev/null || fail "init failed"
	"$bin" demo --db "$db" --seed 1 --scale 0.001 --no-assistance >"$out/ledger-demo.log" 2>&1 || fail "demo failed"
	sqlite3 "$db" "DELETE FROM ledger_needs; DELETE FROM ledger_visits; DELETE FROM ledger_entries;" || fail "cannot clear the demo's ledger"
	sqlite3 "$db" <bench/ledger.sql >/dev/null || fail "bench/ledger.sql failed"
	sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	echo "$meta" >"$db.meta"
	echo "ledger.sh: made in $(($(date +%s) - t0)) s"
fi
inf=$("$out/ledger" "$db" --info)
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
[ "$(echo "$inf" | kv entries)" -ge 1000000 ] && [ "$(echo "$inf" | kv visits)" -ge 10000000 ] ||
	fail "$db is not the bench database ($inf)"
echo "ledger.sh: $db: $inf, $(du -m "$db" | cut -f1) MiB; $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
"$out/ledger" "$db" --queries "${BENCH_LEDGER_QUERIES:-200}" --reps "${BENCH_REPS:-5}"
