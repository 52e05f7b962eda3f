-- wrk script for bench/checkout.py: one buyer per thread (and per connection). Each
-- buyer puts every variant of $BENCH_VARIANTS in its cart, then checks out with a fresh
-- Idempotency-Key, over and over. BENCH_CART=lines adds one line per request (a buyer
-- browsing); BENCH_CART=items adds them all in one request (`{"items": [...]}`).
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local tokens = {}
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    if #line > 0 then tokens[#tokens + 1] = line end
  end
  token = tokens[tid % #tokens + 1]
  variants = {}
  for id in string.gmatch(os.getenv("BENCH_VARIANTS"), "[^,]+") do
    variants[#variants + 1] = id
  end
  checkout_body = '{"payment_method":"cod","shipping_address":' .. os.getenv("BENCH_ADDRESS") .. '}'
  local items = {}
  for i, id in ipairs(variants) do
    items[i] = '{"variant_id":' .. id .. ',"quantity":1}'
  end
  items_body = '{"items":[' .. table.concat(items, ",") .. ']}'
  adds = os.getenv("BENCH_CART") == "items" and 1 or #variants
  step = 0
  seq = 1
  started = os.time()
end

-- The flow advances when an answer arrives, not when a request is generated: wrk may
-- generate a request it never sends (a thread's very first), which would otherwise skip
-- a step and send a checkout with an empty cart.
request = function()
  local headers = {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
  }
  if step < adds then
    if adds == 1 then
      return wrk.format("POST", "/api/v1/cart/items/", headers, items_body)
    end
    return wrk.format("POST", "/api/v1/cart/items/", headers,
      '{"variant_id":' .. variants[step + 1] .. ',"quantity":1}')
  end
  headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. seq .. "-" .. started
  return wrk.format("POST", "/api/v1/checkout/", headers, checkout_body)
end

-- A refused request is a finding, not noise: the first few are shown with their body.
local refused = 0
response = function(status, headers, body)
  if status >= 300 and refused < 5 then
    refused = refused + 1
    io.stderr:write("checkout flow: buyer " .. tid .. ", checkout " .. seq .. ": HTTP " .. status
      .. ": " .. string.sub(body, 1, 300) .. "\n")
  end
  if step == adds then
    step = 0
    seq = seq + 1
  else
    step = step + 1
  end
end
