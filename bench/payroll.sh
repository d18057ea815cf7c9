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
meta="schema=$schema sql=$(sha256sum "$here/payroll.sql" | cut -c1-16)"
if [ "${BENCH_REBUILD:-0}" = 1 ] || [ ! -s "$db" ] || [ "$(cat "$db.meta" 2>/dev/null)" != "$meta" ]; then
	rm -f "$db" "$db-wal" "$db-shm" "$db.meta"
	echo "payroll.sh: creating $db (1,000,000 cases by SQL; about a minute) …"
	t0=$(date +%s)
	"$bin" init --db "$db" >/dev/null || fail "init failed"
	"$bin" demo --db "$db" --seed 1 --scale 0.001 --no-assistance >"$out/payroll-demo.log" 2>&1 || fail "demo failed"
	sqlite3 "$db" <"$here/payroll.sql" >/dev/null || fail "bench/payroll.sql failed"
	echo "$meta" >"$db.meta"
	echo "payroll.sh: made in $(($(date +%s) - t0)) s"
fi
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
			sed 's/\bpayments\b/bench_payments/g; s/\bpayments_/bench_payments_/g'
		echo "INSERT INTO payroll_runs(id, month, unit_code, status, created_at, created_by) VALUES (999999999, '1999-01', 'bench', 'draft', '', 'bench');"
		echo "COMMIT;"
		echo "PRAGMA wal_checkpoint(TRUNCATE);"
	} | sqlite3 "$db" >/dev/null || fail "cannot create the baseline table"
}

baseline_once() {
	baseline_setup
	sync
	local t0 t1
	t0=$(now_ms)
	sqlite3 "$db" <<-SQL >/dev/null || fail "baseline INSERT … SELECT failed"
		PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;
		PRAGMA cache_size = -65536;
		INSERT INTO bench_payments(run_id, program, case_id, beneficiary_id, household_id, region_code,
		  unit_code, month, amount_fen, n_persons, pay_status, payee_name, bank_name, bank_account)
		SELECT 999999999, c.program, c.id, coalesce(c.person_id, h.head_person_id), c.household_id,
		  c.region_code, c.unit_code, '$month', 30000 + c.id % 9973,
		  CASE c.program WHEN 'dibao' THEN 2 ELSE 1 END, 'active', '测' || (c.id % 9973), c.bank_name,
		  c.bank_account
		FROM assistance_cases c JOIN households h ON h.id = c.household_id
		WHERE c.status = 'active' ORDER BY c.unit_code, c.region_code, c.id;
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
