#!/usr/bin/env bash
# load.sh — the mixed workload of a working day against the default demo city, with wrk at 1,000
# concurrent connections for 60 s: errors (must be 0), throughput, p50/p99 latency, the server's
# RSS before, after a warm-up and after the run (must stay flat), and the mixed throughput as a
# ratio of GET /healthz's at the same concurrency, measured in the same run.
#
# Usage: bench/load.sh [BUILD_DIR]        (default build)
# Environment (all optional):
#   LOAD_CONNS=1000 LOAD_SECONDS=60       connections and length of the measured run
#   LOAD_WARMUP=10 LOAD_BASE_SECONDS=15   the warm-up (the mix) and the baseline (GET /healthz)
#   LOAD_THREADS=2                        wrk threads
#   LOAD_RATES="login=2,dashboard=0.2,payroll=1,payroll_run=0.5"   kinds sent at a rate (per s)
#   LOAD_MIX="detail=300,search=220,…"    weights of the other kinds, per mille (default below)
#   LOAD_RSS_GROWTH_MIB=64                allowed RSS growth from after the warm-up to the end
#   LOAD_SERVER_THREADS=                  serve --threads (default: one per core)
#   LOAD_TIMEOUT=10                       wrk --timeout in seconds (a slower answer is an error)
# A quick run: LOAD_CONNS=200 LOAD_SECONDS=10 LOAD_WARMUP=3 LOAD_BASE_SECONDS=5 bench/load.sh
#
# The database, bench/out/load.db (git-ignored), is a copy of bench/out/load-demo.db: `minzheng
# init` + `minzheng demo` (the default city), made once per binary (about 20 s). Before the run,
# through the API and with bearer tokens made by `minzheng token create`, the script collects
# records in the users' scope and checks every request kind answers 2xx once:
#   detail    GET  /api/v1/persons/{id}                     county_370704 (坊子区)
#   search    GET  /api/v1/persons?q=…&limit=20              names and ID-number tails
#   ledger    GET  /api/v1/ledger/entries/{id}               county_370704
#   due       GET  /api/v1/ledger/entries?due=1&limit=20     township_370704008
#   visit     POST /api/v1/ledger/entries/{id}/visits        county_370704, 200 entries
#   report    POST /api/v1/institutions/{id}/reports         county_370704 files on behalf (代报):
#             the day's zero report was filed beforehand, so each is a correction with a reason
#   payroll   GET  /api/v1/payroll/runs?unit=…  and  …/runs/{id}   county_370704 (review)
#   session   GET  /api/v1/session                           several users
#   dashboard GET  /api/v1/dashboard                         leader (领导驾驶舱, city-wide)
#   login     POST /api/v1/session                           demo users, correct password
# The quick kinds go at wrk's pace in the LOAD_MIX proportions. Logins (argon2id: 64 MiB and
# tens of milliseconds of CPU each), the dashboard and the payroll review are what people do a
# few times a day: they come at a fixed rate (LOAD_RATES, per second): logins at 2/s (the demo
# city's 270 users all logging in within 2¼ minutes, a Monday morning), never with a wrong
# password (that would lock the account); the dashboard (city-wide or a county, recomputed after
# every write) every 5 s; the payroll review 1.5/s. At wrk's pace they would be a denial of
# service, not a working day.
# Per-kind answers come from the server's own /metrics (scraped before and after the run) and
# from load.lua's response() hook; wrk's "Non-2xx" and socket errors count as errors too.
# Everything it starts is stopped on exit (by pid). Lines starting with RESULT are for run.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
build=${1:-build}
case $build in /*) ;; *) build=$root/$build ;; esac
bin=$build/minzheng
out=$root/bench/out
conns=${LOAD_CONNS:-1000}
secs=${LOAD_SECONDS:-60}
warm=${LOAD_WARMUP:-10}
base_secs=${LOAD_BASE_SECONDS:-15}
threads=${LOAD_THREADS:-2}
rates=${LOAD_RATES:-login=2,dashboard=0.2,payroll=1,payroll_run=0.5}
mix=${LOAD_MIX:-detail=300,search=220,ledger=120,due=40,visit=60,report=60,session=200}
rss_slack=${LOAD_RSS_GROWTH_MIB:-64}
wrk_timeout=${LOAD_TIMEOUT:-10}
mkdir -p "$out"

fail() { echo "load.sh: FAIL: $*" >&2; exit 1; }
[ -x "$bin" ] || fail "$bin not built"
for c in wrk curl jq; do command -v $c >/dev/null || fail "$c not installed (scripts/deps.sh bench)"; done

# one descriptor per connection, on both sides
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((conns + 100)) ] ||
	fail "ulimit -n is $(ulimit -n): $conns connections need more (raise the hard limit)"

mz_pid=''
stop() { # stop the server we started, by pid: TERM, then KILL after 10 s
	local pid=$1
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}
cleanup() { stop "$mz_pid"; mz_pid=''; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the demo city ----
demo=$out/load-demo.db
db=$out/load.db
if [ ! -s "$demo" ] || [ "$bin" -nt "$demo" ]; then
	rm -f "$demo" "$demo-wal" "$demo-shm"
	echo "load: making the default demo city ($demo) …"
	"$bin" init --db "$demo" >/dev/null || fail "init failed"
	"$bin" demo --db "$demo" >"$out/load-demo.log" 2>&1 || fail "demo failed: $(tail -n 5 "$out/load-demo.log")"
fi
rm -f "$db" "$db-wal" "$db-shm"
cp "$demo" "$db"

tok() { "$bin" token create --db "$db" --username "$1" | tail -n 1; }
t_county=$(tok county_370704)
t_town=$(tok township_370704008)
t_leader=$(tok leader)
t_admin=$(tok admin)
for t in "$t_county" "$t_town" "$t_leader" "$t_admin"; do [ ${#t} -ge 32 ] || fail "token create gave no token"; done

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=${LOAD_PORT:-18680}
while ! port_free "$port"; do port=$((port + 1)); done
base="http://127.0.0.1:$port"
serve_args=(serve --db "$db" --listen "127.0.0.1:$port" --quiet)
[ -n "${LOAD_SERVER_THREADS:-}" ] && serve_args+=(--threads "$LOAD_SERVER_THREADS")
"$bin" "${serve_args[@]}" 2>"$out/load-serve.log" &
mz_pid=$!
for _ in $(seq 150); do
	curl -sf "$base/healthz" >/dev/null 2>&1 && break
	kill -0 "$mz_pid" 2>/dev/null || fail "serve exited: $(cat "$out/load-serve.log")"
	sleep 0.1
done
curl -sf "$base/healthz" >/dev/null || fail "serve did not answer /healthz: $(cat "$out/load-serve.log")"

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$mz_pid/status"; }
rss0=$(rss_mib)

# ---- the request list ----
api() { # api TOKEN PATH → body; fails unless 2xx
	local r
	r=$(curl -s -w '\n%{http_code}' -H "Authorization: Bearer $1" "$base$2")
	case ${r##*$'\n'} in 2??) printf '%s' "${r%$'\n'*}" ;; *) fail "GET $2: ${r: -300}" ;; esac
}
reqs=$out/load-reqs.tsv
: >"$reqs"
line() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$reqs"; }
uri() { jq -rn --arg v "$1" '$v | @uri'; }

for off in 0 2000 5000 9000 14000 20000; do
	api "$t_county" "/api/v1/persons?limit=100&offset=$off" | jq -r '.items[] | [.id, .name, .id_number] | @tsv'
done >"$out/load-persons.tsv"
[ -s "$out/load-persons.tsv" ] || fail "no persons in county_370704's scope"
while IFS=$'\t' read -r id name idn; do
	line detail GET "/api/v1/persons/$id" "$t_county" -
	line search GET "/api/v1/persons?q=$(uri "${name:0:2}")&limit=20" "$t_county" -
	line search GET "/api/v1/persons?q=${idn: -4}&limit=20" "$t_county" -
done <"$out/load-persons.tsv"

api "$t_county" "/api/v1/ledger/entries?limit=200" | jq -r '.items[].id' >"$out/load-entries.txt"
api "$t_county" "/api/v1/ledger/entries?limit=200&offset=3000" | jq -r '.items[].id' >>"$out/load-entries.txt"
n_entries=$(wc -l <"$out/load-entries.txt")
[ "$n_entries" -ge 100 ] || fail "only $n_entries ledger entries in scope"
i=0
while read -r id; do
	line ledger GET "/api/v1/ledger/entries/$id" "$t_county" -
	i=$((i + 1))
	[ $i -le 200 ] && line visit POST "/api/v1/ledger/entries/$id/visits" "$t_county" \
		'{"mode":"phone","visitor":"压测走访员","findings":"电话回访，生活正常","actions":"无"}'
done <"$out/load-entries.txt"
for off in 0 20 40 60; do
	line due GET "/api/v1/ledger/entries?due=1&limit=20&offset=$off" "$t_town" -
done

# institutions: today's zero report filed once now (201), so the run's filings are corrections
n_inst=0
for id in $(api "$t_county" "/api/v1/institutions?limit=200" | jq -r '.items[] | select(.closed_on == null) | .id'); do
	code=$(curl -s -o "$out/load-first.json" -w '%{http_code}' -H "Authorization: Bearer $t_county" \
		-X POST "$base/api/v1/institutions/$id/reports" -d '{"kind":"zero"}')
	case $code in
	201 | 200) ;;
	409) continue ;; # not open that day (institution_not_open): not for the mix
	*) fail "first report of institution $id: $code $(cat "$out/load-first.json")" ;;
	esac
	line report POST "/api/v1/institutions/$id/reports" "$t_county" '{"kind":"zero","reason":"压测：更正当日零报告"}'
	n_inst=$((n_inst + 1))
done
[ "$n_inst" -ge 5 ] || fail "only $n_inst institutions in scope take a report"

for id in $(api "$t_county" "/api/v1/payroll/runs?unit=370704&limit=20" | jq -r '.items[].id'); do
	line payroll_run GET "/api/v1/payroll/runs/$id" "$t_county" -
done
line payroll GET "/api/v1/payroll/runs?unit=370704&limit=20" "$t_county" -
line payroll GET "/api/v1/payroll/runs?limit=20" "$t_admin" -
line payroll GET "/api/v1/payroll/runs?month=2020-03&limit=20" "$t_county" -
for t in "$t_county" "$t_town" "$t_leader" "$t_admin"; do line session GET /api/v1/session "$t" -; done
line dashboard GET /api/v1/dashboard "$t_leader" -
line dashboard GET "/api/v1/dashboard?county=370704" "$t_county" -
for u in county_370704 county_370702 county_370703 county_370705 township_370704008 village_370704008231 leader admin; do
	line login POST /api/v1/session - "{\"username\":\"$u\",\"password\":\"Demo@2020\"}"
done

# every line once, as wrk will send it (the first 3 of each kind): 2xx or the run is pointless
checked=0
while IFS=$'\t' read -r kind method path t body; do
	args=(-s -o "$out/load-check.json" -w '%{http_code}' -X "$method")
	[ "$t" != - ] && args+=(-H "Authorization: Bearer $t")
	[ "$body" != - ] && args+=(-H 'Content-Type: application/json' -d "$body")
	code=$(curl "${args[@]}" "$base$path")
	case $code in 2??) ;; *) fail "$kind $method $path: $code $(head -c 300 "$out/load-check.json")" ;; esac
	checked=$((checked + 1))
done < <(awk -F'\t' '++n[$1] <= 3' "$reqs")
echo "load: $(wc -l <"$reqs") requests of $(cut -f1 "$reqs" | sort -u | wc -l) kinds prepared" \
	"($(cut -f1 "$reqs" | sort | uniq -c | awk '{ printf "%s%s %d", s, $2, $1; s = ", " }'));" \
	"$checked checked, all 2xx"
printf 'healthz\tGET\t/healthz\t-\t-\n' >"$out/load-healthz.tsv"

# ---- wrk ----
to_ms() { awk -v v="$1" 'BEGIN { printf "%.3f", v }'; }
run_wrk() { # run_wrk NAME SECONDS REQS MIX RATES → the wrk log
	local name=$1 d=$2 log=$out/load-wrk-$1.txt
	LOAD_REQS=$3 LOAD_MIX=$4 LOAD_RATES=$5 LOAD_THREADS=$threads \
		wrk -t"$threads" -c"$conns" -d"${d}s" --timeout "${wrk_timeout}s" --latency -s "$here/load.lua" "$base" \
		>"$log" 2>&1 || fail "wrk $name failed: $(tail -n 20 "$log")"
	grep -q '^LOAD summary' "$log" || fail "wrk $name printed no summary: $(tail -n 20 "$log")"
	echo "$log"
}
kv() { sed -n "s/.*\b$1=\([^ ]*\).*/\1/p"; }
errors_of() { # non-2xx answers + socket errors (wrk's Non-2xx is the same answers as non2xx)
	local s
	s=$(grep '^LOAD summary' "$1")
	echo $(($(echo "$s" | kv non2xx) + $(echo "$s" | kv connect) + $(echo "$s" | kv read) +
		$(echo "$s" | kv write) + $(echo "$s" | kv timeout)))
}
metrics() { curl -sf "$base/metrics" | grep '^minzheng_http_request' || true; }

echo "load: wrk -t$threads -c$conns, warm-up ${warm}s (mix), baseline GET /healthz ${base_secs}s, mix ${secs}s"
echo "load: mix $mix; per second $rates"
log=$(run_wrk warm "$warm" "$reqs" "$mix" "$rates")
warm_err=$(errors_of "$log")
rss1=$(rss_mib)
log=$(run_wrk base "$base_secs" "$out/load-healthz.tsv" healthz=1 "")
base_err=$(errors_of "$log")
base_rps=$(grep '^LOAD summary' "$log" | kv rps)
metrics >"$out/load-metrics-before.txt"
log=$(run_wrk mix "$secs" "$reqs" "$mix" "$rates")
metrics >"$out/load-metrics-after.txt"
rss2=$(rss_mib)
sleep 2
rss3=$(rss_mib)
kill -0 "$mz_pid" 2>/dev/null || fail "the server died: $(tail -n 20 "$out/load-serve.log")"

s=$(grep '^LOAD summary' "$log")
total=$(echo "$s" | kv requests)
rps=$(echo "$s" | kv rps)
err=$(errors_of "$log")
p50=$(echo "$s" | kv p50_ms) p99=$(echo "$s" | kv p99_ms) pmax=$(echo "$s" | kv max_ms)
ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.3f", a / b }')
growth=$(awk -v a="$rss1" -v b="$rss3" 'BEGIN { printf "%.1f", b - a }')

echo "load: per route (the server's /metrics over the measured run; time = mean answer time on the server):"
awk '
	function lab(name,   i) { if (!match($0, name "=\"[^\"]*\"")) return ""; i = length(name) + 2; return substr($0, RSTART + i, RLENGTH - i - 1) }
	/^minzheng_http_requests_total\{/ { k = lab("method") " " lab("route") "|" lab("status"); v[FILENAME == ARGV[1], k] = $NF; keys[k] = 1 }
	/^minzheng_http_request_duration_seconds_sum\{/ { t[FILENAME == ARGV[1], lab("route")] = $NF }
	/^minzheng_http_request_duration_seconds_count\{/ { c[FILENAME == ARGV[1], lab("route")] = $NF }
	END {
		for (k in keys) { split(k, a, "|"); d = v[0, k] - v[1, k]; if (d <= 0) continue
			n[a[1]] += d; if (a[2] !~ /^2/) bad[a[1]] += d }
		for (r in n) { split(r, b, " "); dn = c[0, b[2]] - c[1, b[2]]
			ms = dn > 0 ? 1000 * (t[0, b[2]] - t[1, b[2]]) / dn : 0
			printf "  %-46s %9d answers %6d non-2xx %9.2f ms\n", r, n[r], bad[r], ms }
	}
' "$out/load-metrics-before.txt" "$out/load-metrics-after.txt" | sort -k3 -nr
grep '^LOAD sent' "$log" | sort | awk '{ printf "%s%s %s", s, $3, $4; s = ", " } END { print "" }' | sed 's/^/load: sent by kind: /'
if grep -q '^LOAD error' "$log"; then
	echo "load: errors by status and code:"
	grep '^LOAD error' "$log" | sed 's/^LOAD error /  /'
fi
grep -q 'Non-2xx' "$log" && echo "load: wrk: $(grep 'Non-2xx' "$log" | sed 's/^ *//')"
grep -q 'Socket errors' "$log" && echo "load: wrk: $(grep 'Socket errors' "$log" | sed 's/^ *//')"

printf 'load: %d requests in %ss, %d errors, %.0f req/s, p50 %s ms, p99 %s ms, max %s ms\n' \
	"$total" "$secs" "$err" "$rps" "$p50" "$p99" "$pmax"
printf 'load: baseline GET /healthz %.0f req/s (%d errors); mix/baseline %s\n' "$base_rps" "$base_err" "$ratio"
printf 'load: server RSS %s MiB at start, %s MiB after the warm-up, %s MiB at the end, %s MiB 2 s later (growth %s MiB)\n' \
	"$rss0" "$rss1" "$rss2" "$rss3" "$growth"
echo "RESULT load mix requests=$total errors=$err rps=$rps p50_ms=$p50 p99_ms=$p99 rss0_mib=$rss0 rss_warm_mib=$rss1 rss_end_mib=$rss3"
echo "RESULT load baseline rps=$base_rps"
echo "RESULT load ratio=$ratio"
[ "$warm_err" = 0 ] || fail "$warm_err errors in the warm-up"
[ "$base_err" = 0 ] || fail "$base_err errors in the baseline"
[ "$err" = 0 ] || fail "$err errors in the mixed run"
awk -v g="$growth" -v m="$rss_slack" 'BEGIN { exit !(g <= m) }' ||
	fail "server RSS grew by $growth MiB during the run (allowed $rss_slack MiB)"
cleanup
