-- wrk script: cycle through the request paths listed (one per line) in $BENCH_PATHS.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

-- wrk's --latency table has no 95th percentile (the catalogue's search target): add
-- it in the table's own format, so `harness.wrk_percentile_ms(output, 95)` reads it.
done = function(summary, latency, requests)
  io.write(string.format("     95%%    %dus\n", latency:percentile(95)))
end
