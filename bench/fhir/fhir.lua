-- wrk script for the FHIR benchmark (bench/fhir/__main__.py runs it; one script for every scenario).
--
--   wrk ... -s bench/fhir/fhir.lua URL -- get PATHS_FILE HEADERS_FILE
--       GET a path drawn at random (seeded per thread) from PATHS_FILE, one request path a line.
--   wrk ... -s bench/fhir/fhir.lua URL -- post TEMPLATE_FILE SUBJECTS_FILE HEADERS_FILE TAG
--       POST the template with @SUBJECT@ replaced by a subject drawn from SUBJECTS_FILE and @ID@ by a business
--       identifier unique to this run (TAG), thread and request, to the URL's path.
--
-- HEADERS_FILE holds "Name: value" lines sent with every request (the bearer token, X-Forwarded-Proto), so no
-- token appears on a command line. At the end the script prints one line, "BENCH-JSON {...}", that the runner
-- reads: requests, duration, errors and the latency percentiles (microseconds).

local counter = 0
local threads = {}

function setup(thread)
   counter = counter + 1
   thread:set("thread_number", counter)
   table.insert(threads, thread)
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

local function read_all(path)
   local file = assert(io.open(path, "r"))
   local text = file:read("*a")
   file:close()
   return text
end

local mode, paths, template, subjects, tag
local sequence = 0

function init(args)
   mode = args[1]
   math.randomseed(1000 + (thread_number or 0))
   local headers_file
   if mode == "get" then
      paths = lines(args[2])
      headers_file = args[3]
   elseif mode == "post" then
      template = read_all(args[2])
      subjects = lines(args[3])
      headers_file = args[4]
      tag = args[5] or "run"
      wrk.method = "POST"
   else
      error("mode must be get or post, not " .. tostring(mode))
   end
   for _, line in ipairs(lines(headers_file)) do
      local name, value = line:match("^([^:]+):%s*(.*)$")
      if name then
         wrk.headers[name] = value
      end
   end
end

function request()
   if mode == "get" then
      return wrk.format("GET", paths[math.random(#paths)])
   end
   sequence = sequence + 1
   local id = tag .. "-" .. (thread_number or 0) .. "-" .. sequence
   local body = template:gsub("@ID@", id):gsub("@SUBJECT@", subjects[math.random(#subjects)])
   return wrk.format("POST", nil, nil, body)
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, "write": %d, ' ..
      '"status": %d, "timeout": %d, "p50": %d, "p90": %d, "p99": %d, "mean": %.1f, "max": %d}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
