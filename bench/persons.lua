-- persons.lua — wrk script for bench/http.sh.
--
-- Environment:
--   BENCH_PATHS  file with one request path per line (e.g. /api/v1/persons/123); required
--   BENCH_AUTH   value of the Authorization header ("Bearer …"); optional
--
-- Every request is prebuilt once per wrk thread (wrk.format, in init), and request() only cycles
-- through them, so wrk spends the same few instructions per request whatever the target: http.sh uses
-- this script for both minzheng and nginx (with a one-line path file for nginx), which keeps the
-- client side of the comparison equal. Each thread starts at a different place in the list.

local paths_file = os.getenv("BENCH_PATHS")
local auth = os.getenv("BENCH_AUTH")

local paths = {}
for line in io.lines(paths_file) do
	if line ~= "" then
		paths[#paths + 1] = line
	end
end
assert(#paths > 0, "persons.lua: no paths in " .. tostring(paths_file))

local nthreads = 0
function setup(thread)
	thread:set("start", nthreads * 7919)
	nthreads = nthreads + 1
end

-- Built in init(), not at load time: wrk.host (the Host header) is only known by then, and
-- without a Host header an HTTP/1.1 server rightly answers 400.
local reqs = {}
local i = 0
function init(args)
	local headers = {Host = wrk.host}
	if auth and auth ~= "" then
		headers["Authorization"] = auth
	end
	for k, p in ipairs(paths) do
		reqs[k] = wrk.format("GET", p, headers)
	end
	i = (start or 0) % #reqs
end

request = function()
	i = i % #reqs + 1
	return reqs[i]
end
