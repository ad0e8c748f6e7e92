-- wrk script: POST one new donor.registered event per request, each with an
-- id of its own (thread and counter), as a fund manager's system would.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
  prefix = os.getenv("FUNDLEDGER_BENCH_PREFIX") or "bench"
end

function request()
  counter = counter + 1
  local donor = prefix .. "-" .. thread_id .. "-" .. counter
  local body = '{"id":"' .. donor .. '","type":"donor.registered","data":{"donor":"' .. donor ..
               '","name":"Donor ' .. donor .. '","kind":"foundation"}}'
  return wrk.format("POST", "/v1/events", {["Content-Type"] = "application/json",
                                           ["Authorization"] = "Bearer " .. os.getenv("FUNDLEDGER_TOKEN")}, body)
end

local created = 0
function response(status, headers, body)
  if status ~= 201 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
  end
end
