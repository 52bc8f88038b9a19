-- wrk script for bench/serve.py: GET one path, each request with a session drawn at random from a file.
--
--   wrk ... -s bench/serve.lua URL -- PATH HEADERS_FILE [SESSIONS_FILE]
--
-- HEADERS_FILE holds "Name: value" lines sent with every request (X-Forwarded-Proto). SESSIONS_FILE, if given, holds
-- one Cookie header value a line (a logged-in browser's session each): many users, not one session row that every
-- request would update in turn. At the end one line, "BENCH-JSON {...}", as bench/fhir/fhir.lua prints it.

local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("thread_number", counter)
end

local function lines(path)
   local found = {}
   local file = assert(io.open(path, "r"))
   for line in file:lines() do
      if line ~= "" then
         found[#found + 1] = line
      end
   end
   file:close()
   return found
end

local path, cookies

function init(args)
   path = args[1]
   math.randomseed(2000 + (thread_number or 0))
   for _, line in ipairs(lines(args[2])) do
      local name, value = line:match("^([^:]+):%s*(.*)$")
      if name then
         wrk.headers[name] = value
      end
   end
   if args[3] then
      cookies = lines(args[3])
   end
end

function request()
   if cookies then
      wrk.headers["Cookie"] = cookies[math.random(#cookies)]
   end
   return wrk.format("GET", path)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
      '"status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
