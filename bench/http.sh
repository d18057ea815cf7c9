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
mkdir -p "$out"

fail() { echo "http.sh: FAIL: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "$bin not built"
[ -s "$db" ] || fail "no database $db"
command -v wrk >/dev/null || fail "wrk not installed (scripts/deps.sh bench)"
command -v nginx >/dev/null || fail "nginx not installed (scripts/deps.sh bench)"
command -v node >/dev/null || fail "node not installed (scripts/deps.sh bench)"

mz_pid='' ngx_pid=''
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
	mz_pid='' ngx_pid=''
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
cleanup
