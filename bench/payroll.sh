#!/usr/bin/env bash
# payroll.sh — `minzheng payroll run` for 1,000,000 active beneficiaries, beside a baseline of one
# `INSERT … SELECT` that writes 1,000,000 rows of the same shape with the sqlite3 shell, in the
# same run on the same database; prints both (medians of the repetitions) and the ratio.
#
# Usage: bench/payroll.sh BUILD_DIR
# Environment: BENCH_REPS=3 (repetitions of each side, alternating), BENCH_REBUILD=1 (remake the
# database), BENCH_MONTH=2020-03 (the month computed).
#
# The database, bench/out/payroll.db (git-ignored, ≈1.3 GB), is `minzheng init` + a tiny
# `minzheng demo` (regions, the 16 units, the demo policy parameters) + bench/payroll.sql: 1,000,000
# active cases (700,000 低保 households of 2, 250,000 特困, 40,000 orphans, 10,000 de-facto
# unsupported children) spread over every village. It is made once (about a minute) and reused
# while bench/out/payroll.db.meta matches the schema of a fresh `minzheng init` and the SQL file.
#
# payroll (what is timed: the whole process, as an operator runs it)
#   minzheng payroll run --db payroll.db --month 2020-03
#   — every unit in one transaction: 1,000,000 entitlements computed by the assistance rules
#   from the cases, members and parameters, 1,000,000 payments and 1,700,000 payment_persons
#   rows written, totals and audit rows; then the process closes the database (checkpoint).
#   Before each repetition the month's payroll rows are deleted (not timed). After it, the run
#   must hold exactly 1,000,000 payments covering 1,700,000 persons, or the bench fails.
# baseline (timed the same way: the whole sqlite3 process)
#   one INSERT INTO bench_payments … SELECT … FROM assistance_cases JOIN households, where
#   bench_payments is the payments table's own DDL (same columns, CHECKs, foreign key and
#   indexes, read from sqlite_master) under another name, with the connection settings
#   minzheng uses (WAL, synchronous NORMAL, foreign keys on, 64 MiB cache, memory temp store):
#   the cost of writing the payments alone, with nothing computed and no persons.
#
# PostgreSQL (left out with BENCH_SKIP_PG=1): the same recipe at BENCH_PG_CASES (100,000) cases,
# bench/out/payroll-small.db, is copied into PostgreSQL (bench/pg.sh: a throwaway cluster from
# tests/pg/cluster.sh, or the server of BENCH_PG_URL; database mz_bench_payroll), and BENCH_REPS
# more repetitions alternate on that size: the baseline on the small SQLite file, `payroll run` on
# it, and `payroll run --db postgresql://…` — so SQLite and PostgreSQL are compared on the same
# rows, each against the same baseline as above (at the same size). The smaller size keeps the
# PostgreSQL part to a few minutes: every statement there is a round trip to the server.
# Lines starting with RESULT are for run.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:?usage: bench/payroll.sh BUILD_DIR}
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/minzheng
out=$root/bench/out
db=$out/payroll.db
month=${BENCH_MONTH:-2020-03}
reps=${BENCH_REPS:-3}
want_payments=1000000
want_persons=1700000
mkdir -p "$out"

fail() { echo "payroll.sh: FAIL: $*" >&2; exit 1; }
# shellcheck source=bench/pg.sh
. "$here/pg.sh"
[ "${BENCH_SKIP_PG:-0}" = 1 ] || trap pg_cleanup EXIT
[ -x "$bin" ] || fail "$bin not built"
command -v sqlite3 >/dev/null || fail "sqlite3 not installed (the Debian package sqlite3)"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# ---- the database ----
probe=$out/payroll-probe.db
rm -f "$probe" "$probe-wal" "$probe-shm"
"$bin" init --db "$probe" >/dev/null || fail "minzheng init failed"
schema=$(sqlite3 "$probe" "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)" | sha256sum | cut -c1-16)
rm -f "$probe" "$probe-wal" "$probe-shm"
demo_scale=0.002 # the smallest demo with households in every county (regions, units, policy)
# make_db FILE CASES: the recipe above at CASES cases (bench/payroll.sql, its 1,000,000 scaled)
make_db() {
	local f=$1 n=$2 m
	m="schema=$schema sql=$(sha256sum "$here/payroll.sql" | cut -c1-16) demo=$demo_scale cases=$n"
	if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -s "$f" ] || [ "$(cat "$f.meta" 2>/dev/null)" != "$m" ]; then
		rm -f "$f" "$f-wal" "$f-shm" "$f.meta"
		echo "payroll.sh: creating $f ($n cases by SQL) …"
		local t0
		t0=$(date +%s)
		"$bin" init --db "$f" >/dev/null || fail "init failed"
		"$bin" demo --db "$f" --seed 1 --scale "$demo_scale" --no-assistance >"$out/payroll-demo.log" 2>&1 ||
			fail "demo failed: $(tail -n 3 "$out/payroll-demo.log")"
		sed "s/WHERE i < 999999)/WHERE i < $((n - 1)))/" "$here/payroll.sql" | sqlite3 "$f" >/dev/null ||
			fail "bench/payroll.sql failed"
		echo "$m" >"$f.meta"
		echo "payroll.sh: made in $(($(date +%s) - t0)) s"
	fi
}
make_db "$db" "$want_payments"
cases=$(sqlite3 "$db" "SELECT count(*) FROM assistance_cases WHERE status = 'active'")
[ "$cases" -ge "$want_payments" ] || fail "$db has only $cases active cases"
echo "payroll.sh: $db: $cases active cases, $(du -m "$db" | cut -f1) MiB"

# The month's payroll, removed before each payroll repetition (and at the end).
clear_month() {
	sqlite3 "$db" <<-SQL >/dev/null || fail "cannot clear $month"
		PRAGMA foreign_keys = ON;
		BEGIN;
		DELETE FROM payment_persons WHERE payment_id IN (SELECT p.id FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '$month');
		DELETE FROM payments WHERE run_id IN (SELECT id FROM payroll_runs WHERE month = '$month');
		DELETE FROM payroll_run_totals WHERE run_id IN (SELECT id FROM payroll_runs WHERE month = '$month');
		DELETE FROM payroll_runs WHERE month = '$month';
		DROP TABLE IF EXISTS bench_payments;
		DELETE FROM payroll_runs WHERE id = 999999999;
		COMMIT;
		PRAGMA wal_checkpoint(TRUNCATE);
	SQL
}

# The baseline table: the payments DDL under another name, and a run row for its foreign key.
baseline_setup() {
	clear_month
	{
		echo "BEGIN;"
		sqlite3 "$db" "SELECT sql || ';' FROM sqlite_master WHERE tbl_name = 'payments' AND sql IS NOT NULL ORDER BY type DESC, name" |
			sed 's/\bpayments\b/bench_payments/g; s/INDEX \([A-Za-z0-9_]*\) ON/INDEX bench_\1 ON/'
		echo "INSERT INTO payroll_runs(id, month, unit_code, status, created_at, created_by) VALUES (999999999, '1999-01', 'bench', 'draft', '', 'bench');"
		echo "COMMIT;"
		echo "PRAGMA wal_checkpoint(TRUNCATE);"
	} | sqlite3 "$db" >/dev/null || fail "cannot create the baseline table"
}

# The baseline statement, the same on both engines: every active case's payment in one
# INSERT … SELECT (written by the database engine alone, no round trips).
baseline_insert() {
	cat <<-SQL
		INSERT INTO bench_payments(run_id, program, case_id, beneficiary_id, household_id, region_code,
		  unit_code, month, amount_fen, n_persons, pay_status, payee_name, bank_name, bank_account)
		SELECT 999999999, c.program, c.id, coalesce(c.person_id, h.head_person_id), c.household_id,
		  c.region_code, c.unit_code, '$month', 30000 + c.id % 9973,
		  CASE c.program WHEN 'dibao' THEN 2 ELSE 1 END, 'active', '测' || (c.id % 9973), c.bank_name,
		  c.bank_account
		FROM assistance_cases c JOIN households h ON h.id = c.household_id
		WHERE c.status = 'active' ORDER BY c.unit_code, c.region_code, c.id;
	SQL
}

baseline_once() {
	baseline_setup
	sync
	local t0 t1
	t0=$(now_ms)
	sqlite3 "$db" <<-SQL >/dev/null || fail "baseline INSERT … SELECT failed"
		PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;
		PRAGMA cache_size = -65536;
		$(baseline_insert)
	SQL
	t1=$(now_ms)
	local n
	n=$(sqlite3 "$db" "SELECT count(*) FROM bench_payments")
	[ "$n" = "$want_payments" ] || fail "baseline wrote $n rows, not $want_payments"
	echo $((t1 - t0))
}

payroll_once() {
	clear_month
	sync
	local t0 t1
	t0=$(now_ms)
	"$bin" payroll run --db "$db" --month "$month" >"$out/payroll-run.txt" 2>&1 ||
		fail "payroll run failed: $(tail -n 3 "$out/payroll-run.txt")"
	t1=$(now_ms)
	local got
	got=$(sqlite3 "$db" "SELECT count(*) || ' ' || sum(n_persons) || ' ' || (SELECT count(*) FROM payment_persons pp JOIN payments q ON q.id = pp.payment_id WHERE q.month = '$month') FROM payments WHERE month = '$month'")
	[ "$got" = "$want_payments $want_persons $want_persons" ] ||
		fail "the run wrote payments/persons/person rows $got, not $want_payments $want_persons $want_persons"
	echo $((t1 - t0))
}

load=$(cut -d' ' -f1 /proc/loadavg)
echo "payroll.sh: $(nproc) cores, load average $load; $reps repetitions of each, alternating"
: >"$out/payroll-reps.txt"
for i in $(seq "$reps"); do
	b=$(baseline_once)
	p=$(payroll_once)
	echo "payroll.sh: rep $i: baseline $b ms, payroll $p ms" | tee -a "$out/payroll-reps.txt"
	echo "$b" >>"$out/payroll-b.txt.$$"
	echo "$p" >>"$out/payroll-p.txt.$$"
done
b_med=$(median <"$out/payroll-b.txt.$$")
p_med=$(median <"$out/payroll-p.txt.$$")
rm -f "$out/payroll-b.txt.$$" "$out/payroll-p.txt.$$"
clear_month
ratio=$(awk -v p="$p_med" -v b="$b_med" 'BEGIN { printf "%.2f", p / b }')
echo "payroll.sh: payroll $p_med ms, baseline $b_med ms (medians), ratio $ratio (aim: ≤ 2)"
echo "RESULT payroll minzheng ms=$p_med payments=$want_payments persons=$want_persons"
echo "RESULT payroll baseline ms=$b_med rows=$want_payments"
echo "RESULT payroll ratio=$ratio"

# ---- PostgreSQL: the same recipe at a smaller size, on both engines ----
[ "${BENCH_SKIP_PG:-0}" = 1 ] && exit 0
small_cases=${BENCH_PG_CASES:-100000}
db=$out/payroll-small.db
want_payments=$small_cases
want_persons=$((small_cases + small_cases * 7 / 10))
make_db "$db" "$small_cases"
n=$(sqlite3 "$db" "SELECT count(*) FROM assistance_cases WHERE status = 'active'")
[ "$n" = "$small_cases" ] || fail "$db has $n active cases, not $small_cases"
clear_month
pg_server
echo "payroll.sh: copying $(basename "$db") into PostgreSQL database mz_bench_payroll (bench/pg.sh) …"
secs_copy=$(pg_copy "$db" mz_bench_payroll)
pg_url=$(pg_db_url mz_bench_payroll)
echo "payroll.sh: PostgreSQL: $small_cases cases, $(($(pg_size mz_bench_payroll) / 1048576)) MiB, copied in $secs_copy s"

pg_payroll_once() {
	psql "$pg_url" -qX -v ON_ERROR_STOP=1 >/dev/null <<-SQL || fail "cannot clear $month on PostgreSQL"
		BEGIN;
		DELETE FROM payment_persons WHERE payment_id IN (SELECT p.id FROM payments p JOIN payroll_runs r ON r.id = p.run_id WHERE r.month = '$month');
		DELETE FROM payments WHERE run_id IN (SELECT id FROM payroll_runs WHERE month = '$month');
		DELETE FROM payroll_run_totals WHERE run_id IN (SELECT id FROM payroll_runs WHERE month = '$month');
		DELETE FROM payroll_runs WHERE month = '$month';
		COMMIT;
		VACUUM ANALYZE payments;
		VACUUM ANALYZE payment_persons;
		CHECKPOINT;
	SQL
	local t0 t1 got
	t0=$(now_ms)
	"$bin" payroll run --db "$pg_url" --month "$month" >"$out/payroll-pg-run.txt" 2>&1 ||
		fail "payroll run on PostgreSQL failed: $(tail -n 3 "$out/payroll-pg-run.txt")"
	t1=$(now_ms)
	got=$(psql "$pg_url" -AtqX -c "SELECT count(*) || ' ' || sum(n_persons) || ' ' || (SELECT count(*) FROM payment_persons pp JOIN payments q ON q.id = pp.payment_id WHERE q.month = '$month') FROM payments WHERE month = '$month'")
	[ "$got" = "$want_payments $want_persons $want_persons" ] ||
		fail "the PostgreSQL run wrote payments/persons/person rows $got, not $want_payments $want_persons $want_persons"
	echo $((t1 - t0))
}

# The baseline on PostgreSQL too (for reading the figures, not a ratio of its own): the same
# INSERT … SELECT through psql into a copy of the payments table (LIKE … INCLUDING ALL: columns,
# CHECKs, indexes; no foreign key), timed as the whole psql process.
pg_baseline_once() {
	psql "$pg_url" -qX -v ON_ERROR_STOP=1 >/dev/null <<-SQL || fail "cannot create the baseline table on PostgreSQL"
		SET client_min_messages = warning;
		DROP TABLE IF EXISTS bench_payments;
		CREATE TABLE bench_payments (LIKE payments INCLUDING ALL);
		CHECKPOINT;
	SQL
	local t0 t1 n
	t0=$(now_ms)
	psql "$pg_url" -qX -v ON_ERROR_STOP=1 >/dev/null <<-SQL || fail "baseline INSERT … SELECT on PostgreSQL failed"
		$(baseline_insert)
	SQL
	t1=$(now_ms)
	n=$(psql "$pg_url" -AtqX -c "SELECT count(*) FROM bench_payments")
	[ "$n" = "$want_payments" ] || fail "baseline on PostgreSQL wrote $n rows, not $want_payments"
	psql "$pg_url" -qX -c "DROP TABLE bench_payments" >/dev/null
	echo $((t1 - t0))
}

echo "payroll.sh: $small_cases cases on both engines; load average $(cut -d' ' -f1 /proc/loadavg); $reps repetitions of each, alternating"
: >"$out/payroll-pg-reps.txt"
for i in $(seq "$reps"); do
	b=$(baseline_once)
	p=$(payroll_once)
	g=$(pg_payroll_once)
	gb=$(pg_baseline_once)
	echo "payroll.sh: rep $i at $small_cases: baseline $b ms, payroll SQLite $p ms, payroll PostgreSQL $g ms (INSERT … SELECT on PostgreSQL $gb ms)" |
		tee -a "$out/payroll-pg-reps.txt"
	echo "$b $p $g $gb" >>"$out/payroll-pg.txt.$$"
done
sb_med=$(awk '{ print $1 }' "$out/payroll-pg.txt.$$" | median)
sp_med=$(awk '{ print $2 }' "$out/payroll-pg.txt.$$" | median)
pg_med=$(awk '{ print $3 }' "$out/payroll-pg.txt.$$" | median)
gb_med=$(awk '{ print $4 }' "$out/payroll-pg.txt.$$" | median)
rm -f "$out/payroll-pg.txt.$$"
clear_month
s_ratio=$(awk -v p="$sp_med" -v b="$sb_med" 'BEGIN { printf "%.2f", p / b }')
g_ratio=$(awk -v p="$pg_med" -v b="$sb_med" 'BEGIN { printf "%.2f", p / b }')
gs_ratio=$(awk -v p="$pg_med" -v b="$sp_med" 'BEGIN { printf "%.2f", p / b }')
echo "payroll.sh: at $small_cases cases: SQLite $sp_med ms (÷ baseline $s_ratio), PostgreSQL $pg_med ms (÷ baseline $g_ratio), baseline $sb_med ms; PostgreSQL ÷ SQLite $gs_ratio"
echo "RESULT payroll small_baseline ms=$sb_med rows=$small_cases"
echo "RESULT payroll small_sqlite ms=$sp_med ratio=$s_ratio payments=$small_cases"
echo "payroll.sh: the same INSERT … SELECT on PostgreSQL: $gb_med ms (PostgreSQL payroll ÷ it: $(awk -v p="$pg_med" -v b="$gb_med" 'BEGIN { printf "%.2f", p / b }'))"
echo "RESULT payroll pg ms=$pg_med ratio=$g_ratio vs_sqlite=$gs_ratio payments=$small_cases"
echo "RESULT payroll pg_baseline ms=$gb_med rows=$small_cases"
