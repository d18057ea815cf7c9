#!/usr/bin/env bash
# import.sh — `minzheng import households` of a 1,000,000-person CSV (every row validated with the
# registry's rules, households created with their audit rows) beside the sqlite3 shell's `.import`
# of the same file into a table with the same unique key (id_number), in the same run.
#
# Usage: bench/import.sh [BUILD_DIR]     Environment: BENCH_IMPORT_PERSONS (default 1000000).
# Prints RESULT lines: "RESULT import minzheng ms=… rows=…", "RESULT import baseline ms=…",
# "RESULT import ratio ratio=…". Its own databases in bench/out/ (import*.db, removed after).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"
build=${1:-build}
bin=$build/minzheng
out=bench/out
n=${BENCH_IMPORT_PERSONS:-1000000}
mkdir -p "$out"
csv=$out/import_persons.csv
db=$out/import.db
base=$out/import_sqlite.db
rm -f "$db" "$db"-* "$base"
"$bin" init --db "$db" >/dev/null

ms() { date +%s%3N; }

# villages of the built-in city; three persons per household, IDs with valid check digits
sqlite3 "$db" "SELECT code FROM regions WHERE level = 5 ORDER BY code" >"$out/import_villages.txt"
if [ ! -s "$csv" ] || [ "$(($(wc -l <"$csv") - 1))" != "$n" ]; then
	awk -v n="$n" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); split("1 0 X 9 8 7 6 5 4 3 2", cc, " ")
		split("head spouse child", rel, " ")
	}
	{ v[NR - 1] = $1 } END {
		nv = NR
		print "户编号,区划代码,地址,户籍类型,身份证号,姓名,与户主关系,联系电话"
		for (i = 0; i < n; i++) {
			y = 1940 + int(i / 336000); m = 1 + int(i / 28000) % 12; d = 1 + int(i / 1000) % 28
			body = sprintf("370702%04d%02d%02d%03d", y, m, d, i % 1000)
			s = 0; for (k = 1; k <= 17; k++) s += substr(body, k, 1) * w[k]
			hh = int(i / 3); vil = v[hh % nv]
			printf "H%d,%s,%s %d 号,%s,%s%s,居民%d,%s,%s\n", hh, vil, "示例路", hh, (hh % 2 ? "农村" : "城镇"), body, cc[s % 11 + 1], i, rel[i % 3 + 1], (i % 3 ? "" : sprintf("138%08d", hh))
		}
	}' "$out/import_villages.txt" >"$csv"
fi

t0=$(ms)
"$bin" import households "$csv" --db "$db" 2>/dev/null | tail -1 >"$out/import_last.txt"
t1=$(ms)
t_ours=$((t1 - t0))
last=$(cat "$out/import_last.txt")
case "$last" in "accepted $n, rejected 0") ;; *) echo "import.sh: unexpected: $last" >&2; exit 1 ;; esac

t0=$(ms)
sqlite3 "$base" <<SQL
CREATE TABLE persons(household_key TEXT, region_code TEXT, address TEXT, residence_type TEXT,
	id_number TEXT NOT NULL UNIQUE, name TEXT, relation TEXT, phone TEXT);
.mode csv
.import --skip 1 $csv persons
SQL
t1=$(ms)
t_base=$((t1 - t0))
rows=$(sqlite3 "$base" "SELECT count(*) FROM persons")
[ "$rows" = "$n" ] || { echo "import.sh: sqlite3 imported $rows rows" >&2; exit 1; }
echo "minzheng import households: $n persons in $t_ours ms ($last)"
echo "sqlite3 .import (unique id_number): $rows rows in $t_base ms"
echo "RESULT import minzheng ms=$t_ours rows=$n"
echo "RESULT import baseline ms=$t_base rows=$rows"
echo "RESULT import ratio ratio=$(awk -v a="$t_ours" -v b="$t_base" 'BEGIN { printf "%.2f", a / b }')"
rm -f "$db" "$db"-* "$base"
