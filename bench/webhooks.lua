-- wrk script for bench/webhooks.py: POSTs the pre-signed Stripe events listed in
-- $BENCH_EVENTS_FILE (one a line: the Stripe-Signature header, a tab, the body) to the
-- URL's path. Thread k of $BENCH_THREADS takes lines k, k + n, k + 2n, ...: no two
-- threads (nor two connections of one thread, which share its list) send the same event.
-- With BENCH_CHECK=1 it keeps the ids answered 200 as new events, counts the answers
-- that say "duplicate", and writes them to $BENCH_ANSWERED when the run ends.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  local nthreads = tonumber(os.getenv("BENCH_THREADS"))
  check = os.getenv("BENCH_CHECK") == "1"
  requests = {}
  local n = 0
  for line in io.lines(os.getenv("BENCH_EVENTS_FILE")) do
    if n % nthreads == tid and #line > 0 then
      local tab = string.find(line, "\t", 1, true)
      requests[#requests + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["Stripe-Signature"] = string.sub(line, 1, tab - 1),
      }, string.sub(line, tab + 1))
    end
    n = n + 1
  end
  sent = 0
  -- Requests made after the list ran out (it starts over: the webhook would answer
  -- "duplicate"); bench/webhooks.py sizes the list so this stays 0 for the webhook.
  exhausted = 0
  answered = {}
  duplicates = 0
  refused = 0
end

request = function()
  sent = sent + 1
  if sent > #requests then
    exhausted = exhausted + 1
    return requests[(sent - 1) % #requests + 1]
  end
  return requests[sent]
end

response = function(status, headers, body)
  if status ~= 200 then
    refused = refused + 1
    if refused <= 5 then
      io.stderr:write("webhooks: HTTP " .. status .. ": " .. string.sub(body, 1, 300) .. "\n")
    end
  elseif check then
    if string.find(body, '"duplicate":false', 1, true) then
      answered[#answered + 1] = string.match(body, '"id":"([^"]*)"') or "?"
    else
      duplicates = duplicates + 1
    end
  end
end

done = function(summary, latency, requests)
  local path = os.getenv("BENCH_ANSWERED")
  if not path then return end
  local out = io.open(path, "w")
  local totals = {duplicates = 0, refused = 0, exhausted = 0}
  for _, thread in ipairs(threads) do
    for _, id in ipairs(thread:get("answered") or {}) do
      out:write(id, "\n")
    end
    for name in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  out:write(string.format("# duplicates %d refused %d exhausted %d\n",
    totals.duplicates, totals.refused, totals.exhausted))
  out:close()
end
