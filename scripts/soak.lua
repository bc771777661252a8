-- wrk script for scripts/soak: a mix of the main read routes and one write
-- route, with the tokens of two roles.  Environment: SOAK_OFFICER and
-- SOAK_DESK (bearer tokens), SOAK_RESIDENTS (highest resident id),
-- SOAK_VACANCIES (comma-separated vacancy ids), SOAK_DESK_IDS (ids of
-- residents in the desk's kelurahan, comma-separated).  Every request is
-- valid, so any answer other than 2xx counts as a failure; done() prints
-- the count by status and the latency percentiles.
local officer = os.getenv("SOAK_OFFICER")
local desk = os.getenv("SOAK_DESK")
local residents = tonumber(os.getenv("SOAK_RESIDENTS"))
local function split(s)
  local t = {}
  for v in string.gmatch(s or "", "[^,]+") do t[#t + 1] = v end
  return t
end
local vacancies = split(os.getenv("SOAK_VACANCIES"))
local desk_ids = split(os.getenv("SOAK_DESK_IDS"))

local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

local counter = 0
local bad = 0
local statuses = {}
local writes = 0

function init(args)
  math.randomseed(os.time() + (id or 0) * 7919)
end

local function get(path, token)
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end

function request()
  counter = counter + 1
  local r = math.random(100)
  local rid = math.random(residents)
  if r <= 20 then
    return get("/v1/residents?limit=20", officer)
  elseif r <= 40 then
    return get("/v1/residents/" .. rid, officer)
  elseif r <= 52 then
    return get("/v1/vacancies?limit=20", officer)
  elseif r <= 60 then
    return get("/v1/vacancies/" .. vacancies[math.random(#vacancies)], officer)
  elseif r <= 68 then
    return get("/v1/kelurahan", officer)
  elseif r <= 76 then
    return get("/v1/me", desk)
  elseif r <= 84 then
    return get("/v1/residents?limit=20", desk)
  elseif r <= 90 then
    return get("/v1/residents/" .. desk_ids[math.random(#desk_ids)], desk)
  elseif r <= 95 then
    return get("/v1/courses?limit=20", officer)
  else
    writes = writes + 1
    local body = string.format('{"phone":"0812-%04d-%04d","reason":"soak test"}',
                               math.random(9999), math.random(9999))
    return wrk.format("PATCH", "/v1/residents/" .. rid,
                      {["Authorization"] = "Bearer " .. officer,
                       ["Content-Type"] = "application/json"}, body)
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status < 200 or status > 299 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_bad = 0
  local by = {}
  for _, t in ipairs(threads) do
    total_bad = total_bad + (t:get("bad") or 0)
    local s = t:get("statuses")
    for k, v in pairs(s or {}) do by[k] = (by[k] or 0) + v end
  end
  io.write(string.format("requests %d, socket errors: connect %d read %d write %d timeout %d\n",
                         summary.requests, summary.errors.connect, summary.errors.read,
                         summary.errors.write, summary.errors.timeout))
  io.write(string.format("non-2xx %d\n", total_bad))
  for k, v in pairs(by) do io.write(string.format("status %d: %d\n", k, v)) end
  for _, p in ipairs({50, 90, 99, 99.9}) do
    io.write(string.format("latency p%g %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
