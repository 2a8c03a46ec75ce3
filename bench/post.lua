-- wrk script for bench/echo_rps.py and bench/table.py: send the target's request, then print one
-- machine-readable result line. Method, body, If-None-Match and Cookie come from the environment so one script
-- serves every target; a GET sends no body.

wrk.method = os.getenv("BENCH_METHOD") or "POST"
if wrk.method == "POST" then
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = os.getenv("BENCH_BODY") or '{"text": "hello"}'
end
local etag = os.getenv("BENCH_IF_NONE_MATCH")
if etag then wrk.headers["If-None-Match"] = etag end
local cookie = os.getenv("BENCH_COOKIE")
if cookie then wrk.headers["Cookie"] = cookie end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
