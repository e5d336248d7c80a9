-- Prints one machine-readable line of wrk's figures, with the 95th percentile wrk does not print by itself.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d seconds=%.2f errors=%d non_2xx=%d p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
