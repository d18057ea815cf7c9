#!/usr/bin/env bash
# http.sh — wrk against minzheng's GET /api/v1/persons/{id}, and against nginx serving a 1 KiB
# static file, in the same run with the same wrk settings; prints both req/s, the ratio
# minzheng/nginx and p50/p99 latency (medians of the repetitions).
#
# Usage: bench/http.sh BUILD_DIR DB
# Environment (all optional):
#   BENCH_USER=county_370704   the user whose bearer token is used (county or city user)
#   BENCH_THREADS=2 BENCH_CONNS=64 BENCH_SECONDS=10 BENCH_WARMUP=3 BENCH_REPS=5
#   BENCH_SERVER_THREADS=      minzheng serve --threads (default: the server's own, one per core)
#
# The requests are authenticated (bearer token of BENCH_USER), scoped and masked: the ids are
# fetched beforehand through the API (GET /api/v1/persons?limit=200 at offsets spread over the
# user's scope), so every request names a person that exists and is in scope. Before measuring,
# a sample of them must answer 200 with a masked id_number, and after each wrk run there must be
# no non-2xx answers and no socket errors other than timeouts — otherwise the script fails.
# Everything it starts is stopped on exit (by pid). Lines starting with RESULT are for run.sh.
#
# PostgreSQL (left out with BENCH_SKIP_PG=1): after the SQLite repetitions, the same database is
# copied into PostgreSQL (bench/pg.sh: a throwaway cluster from tests/pg/cluster.sh, or the server
# of BENCH_PG_URL; database mz_bench_http), and BENCH_PG_REPS (3) more repetitions alternate:
#   pg        one `minzheng serve --db postgresql://…` hit directly (ratio against nginx static)
#   nginx     the same static baseline again
#   pg-one    nginx proxying to that one instance (upstream with one server)
#   pg-two    nginx proxying to two instances on the same database (upstream with both)
# with the same wrk settings and the same id list; the two-instance figure is pg-two ÷ pg-one.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:?usage: bench/http.sh BUILD_DIR DB}
db=${2:?usage: bench/http.sh BUILD_DIR DB}
case $build in /*) ;; *) build=$root/$build ;; esac
case $db in /*) ;; *) db=$root/$db ;; esac
bin=$build/minzheng
out=$root/bench/out
user=${BENCH_USER:-county_370704}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNS:-64}
secs=${BENCH_SECONDS:-10}
warm=${BENCH_WARMUP:-3}
reps=${BENCH_REPS:-5}
pg_reps=${BENCH_PG_REPS:-3}
mkdir -p "$out"

fail() { echo "http.sh: FAIL: $*" >&2; exit 1; }
# shellcheck source=bench/pg.sh
. "$here/pg.sh"
[ -x "$bin" ] || fail "$bin not built"
[ -s "$db" ] || fail "no database $db"
command -v wrk >/dev/null || fail "wrk not installed (scripts/deps.sh bench)"
command -v nginx >/dev/null || fail "nginx not installed (scripts/deps.sh bench)"
command -v node >/dev/null || fail "node not installed (scripts/deps.sh bench)"

mz_pid='' ngx_pid='' pg_a_pid='' pg_b_pid='' px_pid=''
stop() { # stop one process we started, by pid: TERM, then KILL after 5 s
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
cleanup() {
	stop "$mz_pid"
	stop "$ngx_pid"
	stop "$px_pid"
	stop "$pg_a_pid"
	stop "$pg_b_pid"
	mz_pid='' ngx_pid='' px_pid='' pg_a_pid='' pg_b_pid=''
	[ "${BENCH_SKIP_PG:-0}" = 1 ] || pg_cleanup
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
	local p=$1
	while ! port_free "$p"; do p=$((p + 1)); done
	echo "$p"
}
mz_port=$(pick_port "${BENCH_MZ_PORT:-18480}")
ngx_port=$(pick_port $((mz_port + 1)))

# ---- minzheng ----
token=$("$bin" token create --db "$db" --username "$user" | tail -n 1)
[ ${#token} -ge 32 ] || fail "token create for $user gave no token"
auth="Bearer $token"
serve_args=(serve --db "$db" --listen "127.0.0.1:$mz_port" --quiet)
[ -n "${BENCH_SERVER_THREADS:-}" ] && serve_args+=(--threads "$BENCH_SERVER_THREADS")
"$bin" "${serve_args[@]}" 2>"$out/serve.log" &
mz_pid=$!
base="http://127.0.0.1:$mz_port"
node "$here/prepare.mjs" wait "$base/healthz" 30 ||
	fail "minzheng did not come up on $base: $(cat "$out/serve.log")"
kill -0 "$mz_pid" 2>/dev/null || fail "minzheng serve exited: $(cat "$out/serve.log")"

# ids in scope, through the API; a sample must answer 200 with a masked id_number
echo "minzheng: 127.0.0.1:$mz_port as $user (bearer token)"
BENCH_AUTH=$auth node "$here/prepare.mjs" ids "$base" "$out/paths.txt" | sed 's/^/  /'
[ "${PIPESTATUS[0]}" = 0 ] || fail "preparing the id list failed"

# ---- nginx ----
nd=$out/nginx
mkdir -p "$nd/www" "$nd/tmp"
head -c 1024 /dev/zero | tr '\0' 'x' >"$nd/www/1k.txt"
cat >"$nd/nginx.conf" <<EOF
# written by bench/http.sh
daemon off;
master_process on;
worker_processes auto;
pid $nd/nginx.pid;
error_log $nd/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	default_type text/plain;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	client_body_temp_path $nd/tmp/body;
	proxy_temp_path $nd/tmp/proxy;
	fastcgi_temp_path $nd/tmp/fastcgi;
	uwsgi_temp_path $nd/tmp/uwsgi;
	scgi_temp_path $nd/tmp/scgi;
	server {
		listen 127.0.0.1:$ngx_port;
		root $nd/www;
	}
}
EOF
chmod -R a+rX "$nd/www"
nginx -e "$nd/error.log" -p "$nd" -c "$nd/nginx.conf" &
ngx_pid=$!
node "$here/prepare.mjs" wait "http://127.0.0.1:$ngx_port/1k.txt" 15 ||
	fail "nginx did not come up: $(cat "$nd/error.log")"
node "$here/prepare.mjs" static "http://127.0.0.1:$ngx_port/1k.txt" 1024 || fail "nginx static check"
echo "/1k.txt" >"$nd/paths.txt"
echo "nginx:    127.0.0.1:$ngx_port, worker_processes auto, 1 KiB static file"

# ---- wrk ----
# run NAME URL PATHS AUTH SECONDS → prints "rps p50_ms p99_ms"; fails on errors
to_ms() { # 1.23ms / 456.00us / 1.20s → ms
	awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
		else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
run_wrk() {
	local name=$1 url=$2 paths=$3 a=$4 d=$5 log
	log=$out/wrk-$name.txt
	BENCH_PATHS=$paths BENCH_AUTH=$a wrk -t"$threads" -c"$conns" -d"${d}s" --latency \
		-s "$here/persons.lua" "$url" >"$log" 2>&1 || fail "wrk $name failed: $(cat "$log")"
	if grep -q 'Non-2xx or 3xx responses' "$log"; then
		fail "$name: $(grep 'Non-2xx' "$log") — not a benchmark of 200s"
	fi
	if grep -q 'Socket errors' "$log"; then # timeouts (> 2 s) are reported; anything else fails
		grep 'Socket errors' "$log" | grep -q 'connect 0, read 0, write 0' ||
			fail "$name: $(grep 'Socket errors' "$log")"
		echo "  WARNING: $name: $(grep 'Socket errors' "$log" | sed 's/^ *//')" >&2
	fi
	local rps p50 p99
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$log")
	p50=$(awk '$1 == "50%" { print $2 }' "$log")
	p99=$(awk '$1 == "99%" { print $2 }' "$log")
	[ -n "$rps" ] && [ -n "$p50" ] && [ -n "$p99" ] || fail "cannot parse wrk output: $(cat "$log")"
	echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "wrk -t$threads -c$conns -d${secs}s --latency, warm-up ${warm}s each, $reps repetitions (alternating)"
run_wrk mz-warm "$base" "$out/paths.txt" "$auth" "$warm" >/dev/null
run_wrk nginx-warm "http://127.0.0.1:$ngx_port" "$nd/paths.txt" "" "$warm" >/dev/null
: >"$out/http-reps.txt"
printf '  %-4s %12s %9s %9s %12s %9s %9s %7s\n' rep "minzheng r/s" "p50 ms" "p99 ms" "nginx r/s" "p50 ms" "p99 ms" ratio
for r in $(seq "$reps"); do
	res=$(run_wrk mz "$base" "$out/paths.txt" "$auth" "$secs")
	read -r m_rps m_p50 m_p99 <<<"$res"
	res=$(run_wrk nginx "http://127.0.0.1:$ngx_port" "$nd/paths.txt" "" "$secs")
	read -r n_rps n_p50 n_p99 <<<"$res"
	ratio=$(awk -v a="$m_rps" -v b="$n_rps" 'BEGIN { printf "%.3f", a / b }')
	echo "$m_rps $m_p50 $m_p99 $n_rps $n_p50 $n_p99 $ratio" >>"$out/http-reps.txt"
	printf '  %-4s %12.0f %9.3f %9.3f %12.0f %9.3f %9.3f %7.3f\n' "$r" "$m_rps" "$m_p50" "$m_p99" \
		"$n_rps" "$n_p50" "$n_p99" "$ratio"
done
col() { awk -v c="$1" '{ print $c }' "$out/http-reps.txt" | median; }
m_rps=$(col 1) m_p50=$(col 2) m_p99=$(col 3) n_rps=$(col 4) n_p50=$(col 5) n_p99=$(col 6) ratio=$(col 7)
printf '  %-4s %12.0f %9.3f %9.3f %12.0f %9.3f %9.3f %7.3f\n' med "$m_rps" "$m_p50" "$m_p99" \
	"$n_rps" "$n_p50" "$n_p99" "$ratio"
echo "RESULT http minzheng rps=$m_rps p50_ms=$m_p50 p99_ms=$m_p99"
echo "RESULT http nginx rps=$n_rps p50_ms=$n_p50 p99_ms=$n_p99"
echo "RESULT http ratio=$ratio"

# ---- PostgreSQL: the same data, one instance, and two instances behind nginx ----
if [ "${BENCH_SKIP_PG:-0}" = 1 ]; then
	cleanup
	exit 0
fi
stop "$mz_pid"
mz_pid=''
pg_server
echo
echo "postgresql: copying $(basename "$db") into database mz_bench_http (bench/pg.sh) …"
secs_copy=$(pg_copy "$db" mz_bench_http)
pg_url=$(pg_db_url mz_bench_http)
pg_persons=$(psql "$pg_url" -AtqX -c "SELECT count(*) FROM persons")
[ "$pg_persons" = "$(sqlite3 "$db" "SELECT count(*) FROM persons")" ] || fail "PostgreSQL has $pg_persons persons, SQLite a different number"
pg_bytes=$(pg_size mz_bench_http)
echo "postgresql: $pg_persons persons, $((pg_bytes / 1048576)) MiB (pg_database_size), copied in ${secs_copy} s"
pg_token=$("$bin" token create --db "$pg_url" --username "$user" | tail -n 1)
[ ${#pg_token} -ge 32 ] || fail "token create on PostgreSQL for $user gave no token"
pg_auth="Bearer $pg_token"

pg_a_port=$(pick_port $((ngx_port + 1)))
pg_b_port=$(pick_port $((pg_a_port + 1)))
px1_port=$(pick_port $((pg_b_port + 1)))
px2_port=$(pick_port $((px1_port + 1)))
pg_args=(serve --db "$pg_url" --quiet)
[ -n "${BENCH_SERVER_THREADS:-}" ] && pg_args+=(--threads "$BENCH_SERVER_THREADS")
"$bin" "${pg_args[@]}" --listen "127.0.0.1:$pg_a_port" >"$out/serve-pg-a.log" 2>&1 &
pg_a_pid=$!
"$bin" "${pg_args[@]}" --listen "127.0.0.1:$pg_b_port" >"$out/serve-pg-b.log" 2>&1 &
pg_b_pid=$!
for p in "$pg_a_port" "$pg_b_port"; do
	node "$here/prepare.mjs" wait "http://127.0.0.1:$p/healthz" 60 ||
		fail "minzheng on PostgreSQL did not come up on port $p: $(cat "$out"/serve-pg-*.log)"
done
# the same id list serves on PostgreSQL: the API's own list there must check out too
for p in "$pg_a_port" "$pg_b_port"; do
	BENCH_AUTH=$pg_auth node "$here/prepare.mjs" ids "http://127.0.0.1:$p" "$out/paths-pg.txt" >/dev/null ||
		fail "preparing the id list on PostgreSQL (port $p) failed"
done

# nginx in front: one upstream with one instance, one with both (round robin, kept-alive upstream
# connections), from bench/nginx-proxy.conf
px=$out/nginx-proxy
mkdir -p "$px/tmp"
sed -e "s|@DIR@|$px|g; s|@A@|127.0.0.1:$pg_a_port|g; s|@B@|127.0.0.1:$pg_b_port|g" \
	-e "s|@ONE@|127.0.0.1:$px1_port|g; s|@TWO@|127.0.0.1:$px2_port|g" "$here/nginx-proxy.conf" >"$px/nginx.conf"
nginx -e "$px/error.log" -p "$px" -c "$px/nginx.conf" &
px_pid=$!
node "$here/prepare.mjs" wait "http://127.0.0.1:$px2_port/healthz" 15 ||
	fail "nginx proxy did not come up: $(cat "$px/error.log")"
echo "postgresql: two instances 127.0.0.1:$pg_a_port and :$pg_b_port on one database; nginx upstream with one (:$px1_port) and with both (:$px2_port)"

echo "wrk as above, $pg_reps repetitions (alternating pg / nginx / pg behind nginx, one instance / two)"
run_wrk pg-warm "http://127.0.0.1:$pg_a_port" "$out/paths.txt" "$pg_auth" "$warm" >/dev/null
run_wrk pg-one-warm "http://127.0.0.1:$px1_port" "$out/paths.txt" "$pg_auth" "$warm" >/dev/null
run_wrk pg-two-warm "http://127.0.0.1:$px2_port" "$out/paths.txt" "$pg_auth" "$warm" >/dev/null
: >"$out/http-pg-reps.txt"
printf '  %-4s %10s %8s %8s %10s %7s %10s %10s %8s %8s %7s\n' rep "pg r/s" "p50 ms" "p99 ms" "nginx r/s" "pg÷ngx" \
	"1 inst r/s" "2 inst r/s" "p50 ms" "p99 ms" "2÷1"
for r in $(seq "$pg_reps"); do
	res=$(run_wrk pg "http://127.0.0.1:$pg_a_port" "$out/paths.txt" "$pg_auth" "$secs")
	read -r g_rps g_p50 g_p99 <<<"$res"
	res=$(run_wrk nginx "http://127.0.0.1:$ngx_port" "$nd/paths.txt" "" "$secs")
	read -r n_rps _ _ <<<"$res"
	res=$(run_wrk pg-one "http://127.0.0.1:$px1_port" "$out/paths.txt" "$pg_auth" "$secs")
	read -r o_rps o_p50 o_p99 <<<"$res"
	res=$(run_wrk pg-two "http://127.0.0.1:$px2_port" "$out/paths.txt" "$pg_auth" "$secs")
	read -r t_rps t_p50 t_p99 <<<"$res"
	g_ratio=$(awk -v a="$g_rps" -v b="$n_rps" 'BEGIN { printf "%.3f", a / b }')
	two_ratio=$(awk -v a="$t_rps" -v b="$o_rps" 'BEGIN { printf "%.3f", a / b }')
	echo "$g_rps $g_p50 $g_p99 $n_rps $g_ratio $o_rps $o_p50 $o_p99 $t_rps $t_p50 $t_p99 $two_ratio" >>"$out/http-pg-reps.txt"
	printf '  %-4s %10.0f %8.3f %8.3f %10.0f %7.3f %10.0f %10.0f %8.3f %8.3f %7.3f\n' "$r" "$g_rps" "$g_p50" "$g_p99" \
		"$n_rps" "$g_ratio" "$o_rps" "$t_rps" "$t_p50" "$t_p99" "$two_ratio"
done
pcol() { awk -v c="$1" '{ print $c }' "$out/http-pg-reps.txt" | median; }
g_rps=$(pcol 1) g_p50=$(pcol 2) g_p99=$(pcol 3) n2_rps=$(pcol 4) g_ratio=$(pcol 5)
o_rps=$(pcol 6) o_p50=$(pcol 7) o_p99=$(pcol 8) t_rps=$(pcol 9) t_p50=$(pcol 10) t_p99=$(pcol 11) two_ratio=$(pcol 12)
printf '  %-4s %10.0f %8.3f %8.3f %10.0f %7.3f %10.0f %10.0f %8.3f %8.3f %7.3f\n' med "$g_rps" "$g_p50" "$g_p99" \
	"$n2_rps" "$g_ratio" "$o_rps" "$t_rps" "$t_p50" "$t_p99" "$two_ratio"
pg_vs_sqlite=$(awk -v a="$g_ratio" -v b="$ratio" 'BEGIN { printf "%.3f", a / b }')
echo "postgresql ÷ sqlite (each ÷ nginx static): $pg_vs_sqlite"
echo "RESULT http pg rps=$g_rps p50_ms=$g_p50 p99_ms=$g_p99 persons=$pg_persons db_bytes=$pg_bytes"
echo "RESULT http pg_nginx rps=$n2_rps"
echo "RESULT http pg_ratio ratio=$g_ratio vs_sqlite=$pg_vs_sqlite"
echo "RESULT http pg_one rps=$o_rps p50_ms=$o_p50 p99_ms=$o_p99"
echo "RESULT http pg_two rps=$t_rps p50_ms=$t_p50 p99_ms=$t_p99"
echo "RESULT http pg_two_ratio ratio=$two_ratio"
cleanup
