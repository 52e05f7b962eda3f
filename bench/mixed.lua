-- wrk script for bench/mixed.py: a busy evening's buyers, one connection per wrk thread
-- (run with -tN -cN, so that each thread's request and answer alternate and a request's
-- latency is the time from request() to response(), taken with CLOCK_MONOTONIC).
--
-- Each turn picks what the buyer does: 80 browse (listing 25, filtered listing 15,
-- search 15, product detail 25; paths from $BENCH_PATHS, "kind<TAB>path" a line),
-- 15 a cart change (the thread's cart buyer adds a variant, then changes its quantity,
-- then removes it), 5 a checkout (the thread's checkout buyer puts a hot variant in
-- its cart, then checks out by card: two requests, kinds `checkout_cart` and
-- `checkout`). done() writes per kind: requests, 2xx, expected 4xx (409: out of stock,
-- changed, not on sale), other answers, p50 and p99 in microseconds, to $BENCH_OUT.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local KINDS = { "listing", "filtered", "search", "detail", "cart", "checkout_cart", "checkout" }
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

local function split(text, sep)
  local out = {}
  for part in string.gmatch(text, "[^" .. sep .. "]+") do out[#out + 1] = part end
  return out
end

function init(args)
  math.randomseed(tid * 7919 + os.time())
  paths = { listing = {}, filtered = {}, search = {}, detail = {} }
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    local kind, path = string.match(line, "^(%w+)\t(.+)$")
    if kind then table.insert(paths[kind], path) end
  end
  local buyers = {}
  for line in io.lines(os.getenv("BENCH_BUYERS")) do
    if #line > 0 then buyers[#buyers + 1] = split(line, "\t") end
  end
  local mine = buyers[tid % #buyers + 1]
  cart_auth, checkout_auth = "Bearer " .. mine[1], "Bearer " .. mine[2]
  cart_variants = split(os.getenv("BENCH_CART_VARIANTS"), ",")
  hot_variants = split(os.getenv("BENCH_HOT_VARIANTS"), ",")
  checkout_body = '{"payment_method":"stripe","shipping_address":' .. os.getenv("BENCH_ADDRESS") .. "}"
  phase = os.getenv("BENCH_PHASE")
  -- One global per kind and figure: wrk's thread:get() copies flat tables and numbers
  -- (Debian's wrk 4.1.0 crashes copying a table of tables).
  for _, kind in ipairs(KINDS) do
    _G["lat_" .. kind], _G["ok_" .. kind], _G["expected_" .. kind], _G["bad_" .. kind] = {}, 0, 0, 0
  end
  cart_step, cart_item = 0, nil
  checkout_next = false
  seq = 0
  current, started = nil, 0
end

local function pick()
  if checkout_next then return "checkout" end
  local roll = math.random(100)
  if roll <= 25 then return "listing"
  elseif roll <= 40 then return "filtered"
  elseif roll <= 55 then return "search"
  elseif roll <= 80 then return "detail"
  elseif roll <= 95 then return "cart"
  end
  return "checkout_cart"
end

local function json_headers(auth)
  return { ["Authorization"] = auth, ["Content-Type"] = "application/json" }
end

request = function()
  current = pick()
  started = now_us()
  local list = paths[current]
  if list then
    return wrk.format("GET", list[math.random(#list)])
  elseif current == "cart" then
    if cart_step == 1 then
      return wrk.format("PATCH", "/api/v1/cart/items/" .. cart_item .. "/",
        json_headers(cart_auth), '{"quantity":2}')
    elseif cart_step == 2 then
      return wrk.format("DELETE", "/api/v1/cart/items/" .. cart_item .. "/", json_headers(cart_auth))
    end
    return wrk.format("POST", "/api/v1/cart/items/", json_headers(cart_auth),
      '{"variant_id":' .. cart_variants[math.random(#cart_variants)] .. ',"quantity":1}')
  elseif current == "checkout_cart" then
    return wrk.format("POST", "/api/v1/cart/items/", json_headers(checkout_auth),
      '{"variant_id":' .. hot_variants[math.random(#hot_variants)] .. ',"quantity":1}')
  end
  local headers = json_headers(checkout_auth)
  headers["Idempotency-Key"] = "mixed-" .. phase .. "-" .. tid .. "-" .. seq
  return wrk.format("POST", "/api/v1/checkout/", headers, checkout_body)
end

local shown = 0
response = function(status, headers, body)
  local kind = current
  local list = _G["lat_" .. kind]
  list[#list + 1] = now_us() - started
  local counter = status < 300 and "ok_" or status == 409 and "expected_" or "bad_"
  _G[counter .. kind] = _G[counter .. kind] + 1
  if counter == "bad_" then
    if shown < 5 then
      shown = shown + 1
      io.stderr:write("mixed: " .. kind .. ": HTTP " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  end
  -- The flows advance on answers (wrk may generate a request it never sends).
  if kind == "cart" then
    if status >= 300 then
      cart_step = 0
    elseif cart_step == 0 then
      -- The cart answers with its lines; the buyer's cart holds the one just added.
      cart_item = string.match(body, '"id"%s*:%s*(%d+)')
      cart_step = cart_item and 1 or 0
    else
      cart_step = (cart_step + 1) % 3
    end
  elseif kind == "checkout_cart" then
    checkout_next = status < 300
  elseif kind == "checkout" then
    checkout_next = false
    seq = seq + 1
  end
end

local function percentile(sorted, p)
  if #sorted == 0 then return 0 end
  return sorted[math.max(1, math.ceil(#sorted * p / 100))]
end

-- "browse" sums the four browsing kinds.
local GROUPS = {
  { "listing" }, { "filtered" }, { "search" }, { "detail" },
  { "listing", "filtered", "search", "detail", name = "browse" },
  { "cart" }, { "checkout_cart" }, { "checkout" },
}

done = function(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_OUT"), "w")
  for _, group in ipairs(GROUPS) do
    local all, n_ok, n_expected, n_bad = {}, 0, 0, 0
    for _, kind in ipairs(group) do
      for _, t in ipairs(threads) do
        for _, us in ipairs(t:get("lat_" .. kind)) do all[#all + 1] = us end
        n_ok = n_ok + t:get("ok_" .. kind)
        n_expected = n_expected + t:get("expected_" .. kind)
        n_bad = n_bad + t:get("bad_" .. kind)
      end
    end
    table.sort(all)
    out:write(string.format("%s %d %d %d %d %.0f %.0f\n", group.name or group[1], #all, n_ok,
      n_expected, n_bad, percentile(all, 50), percentile(all, 99)))
  end
  out:write(string.format("# socket_errors connect %d read %d write %d timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  out:close()
end
