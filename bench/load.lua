-- load.lua — wrk script of bench/load.sh: the mixed workload of a working day.
--
-- Environment:
--   LOAD_REQS     file written by load.sh, one request per line, tab-separated:
--                 KIND  METHOD  PATH  TOKEN  BODY   (TOKEN "-" = none, BODY "-" = none)
--   LOAD_MIX      weights of the quick kinds, "detail=300,search=200,…" (per mille when they add
--                 up to 1000; kinds absent from it and from LOAD_RATES are not sent)
--   LOAD_RATES    kinds sent at a fixed rate instead, per second over all wrk threads,
--                 "login=4,dashboard=0.5,…"
--   LOAD_THREADS  wrk's -t (to split the rates)
--
-- Every request is prebuilt once per thread (wrk.format in init). request() walks a fixed
-- schedule of 1000 slots laid out from the weights (each thread starts at another place in it);
-- when a rated kind is due (wall clock, whole seconds) it is sent instead. Rated kinds are the
-- ones people do a few times a day — a login (argon2id: 64 MiB, tens of milliseconds of CPU),
-- the leadership dashboard, the payroll review: at wrk's pace they would be a denial of service,
-- not a working day. response() counts answers by status and, for errors, by the error code of
-- the JSON body; done() sums the threads and prints lines starting with LOAD for load.sh.

local reqs_file = os.getenv("LOAD_REQS")
local mix = os.getenv("LOAD_MIX") or ""
local rates_env = os.getenv("LOAD_RATES") or ""
local nthreads_env = tonumber(os.getenv("LOAD_THREADS") or "1")

local lines = {}
for line in io.lines(reqs_file) do
	if line ~= "" then
		local kind, method, path, token, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
		assert(kind, "load.lua: bad line in " .. reqs_file .. ": " .. line)
		lines[#lines + 1] = {kind = kind, method = method, path = path, token = token, body = body}
	end
end

local rates = {}
for k, r in rates_env:gmatch("([%w_]+)=([%d.]+)") do
	rates[k] = tonumber(r)
end

local weights, kinds_in_mix = {}, {}
for k, w in mix:gmatch("([%w_]+)=(%d+)") do
	weights[k] = tonumber(w)
	kinds_in_mix[#kinds_in_mix + 1] = k
end

local threads = {}
local nthreads = 0
function setup(thread)
	thread:set("tid", nthreads)
	nthreads = nthreads + 1
	threads[#threads + 1] = thread
end

local SLOTS = 1000
local by_kind = {}   -- kind → list of prebuilt requests
local pos = {}       -- kind → next index
local schedule = {}  -- SLOTS kinds
local slot = 0
local rated = {} -- {kind, every (seconds, this thread), next (os.time)}
-- per-thread counters, read by done() through thread:get
sent = {}
status = {}
codes = {}

function init(args)
	for _, l in ipairs(lines) do
		local headers = {Host = wrk.host}
		if l.token ~= "-" then
			headers["Authorization"] = "Bearer " .. l.token
		end
		local body = nil
		if l.body ~= "-" then
			body = l.body
			headers["Content-Type"] = "application/json"
		end
		by_kind[l.kind] = by_kind[l.kind] or {}
		table.insert(by_kind[l.kind], wrk.format(l.method, l.path, headers, body))
	end
	-- the schedule: each kind's share of SLOTS slots, interleaved (the largest credit first)
	local total = 0
	for _, k in ipairs(kinds_in_mix) do
		if weights[k] > 0 then
			assert(by_kind[k], "load.lua: no requests of kind " .. k .. " in " .. reqs_file)
			total = total + weights[k]
		end
	end
	assert(total > 0, "load.lua: LOAD_MIX gives no weight to any kind")
	local credit = {}
	for i = 1, SLOTS do
		local best, bestc = nil, -1e9
		for _, k in ipairs(kinds_in_mix) do
			credit[k] = (credit[k] or 0) + weights[k] / total
			if weights[k] > 0 and credit[k] > bestc then
				best, bestc = k, credit[k]
			end
		end
		credit[best] = credit[best] - 1
		schedule[i] = best
	end
	for k, list in pairs(by_kind) do
		pos[k] = (tid * 7919) % #list
	end
	slot = (tid * 379) % SLOTS
	for k, r in pairs(rates) do
		if r > 0 then
			assert(by_kind[k], "load.lua: no requests of kind " .. k .. " in " .. reqs_file)
			local every = nthreads_env / r -- seconds between this thread's requests of k
			rated[#rated + 1] = {kind = k, every = every, next = os.time() + 1 + (tid % 2) * every / 2}
		end
	end
end

local wall = os.time -- whole seconds: enough for a rate of a few per second

local function next_of(k)
	local list = by_kind[k]
	local p = pos[k] % #list + 1
	pos[k] = p
	sent[k] = (sent[k] or 0) + 1
	return list[p]
end

request = function()
	if #rated > 0 then
		local now = wall()
		for _, r in ipairs(rated) do
			if now >= r.next then
				r.next = r.next + r.every
				if r.next < now then
					r.next = now + r.every
				end
				return next_of(r.kind)
			end
		end
	end
	slot = slot % SLOTS + 1
	return next_of(schedule[slot])
end

response = function(st, headers, body)
	local key = tostring(st)
	status[key] = (status[key] or 0) + 1
	if st < 200 or st >= 300 then
		local code = body and body:match('"code"%s*:%s*"([^"]+)"') or "(no code)"
		local c = key .. " " .. code
		codes[c] = (codes[c] or 0) + 1
	end
end

function done(summary, latency, requests)
	local sum_sent, sum_status, sum_codes = {}, {}, {}
	for _, t in ipairs(threads) do
		for k, v in pairs(t:get("sent") or {}) do sum_sent[k] = (sum_sent[k] or 0) + v end
		for k, v in pairs(t:get("status") or {}) do sum_status[k] = (sum_status[k] or 0) + v end
		for k, v in pairs(t:get("codes") or {}) do sum_codes[k] = (sum_codes[k] or 0) + v end
	end
	local non2xx = 0
	for k, v in pairs(sum_status) do
		local s = tonumber(k)
		if s < 200 or s >= 300 then non2xx = non2xx + v end
		io.write(string.format("LOAD status %s %d\n", k, v))
	end
	for k, v in pairs(sum_sent) do
		io.write(string.format("LOAD sent %s %d\n", k, v))
	end
	for k, v in pairs(sum_codes) do
		io.write(string.format("LOAD error %s %d\n", k, v))
	end
	local e = summary.errors
	io.write(string.format("LOAD summary requests=%d duration_s=%.3f rps=%.1f non2xx=%d " ..
		"connect=%d read=%d write=%d status=%d timeout=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
		summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6), non2xx,
		e.connect, e.read, e.write, e.status, e.timeout,
		latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
		latency.max / 1000))
end
