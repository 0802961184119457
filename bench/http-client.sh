#!/usr/bin/env bash
# HTTP client benchmark (issue 3): 20 000 requests through the libcurl multi client to the
# sandbox with 50 ms latency, at 1, 50 and 200 in flight; prints requests/s and p50/p99.
# (1 in flight sends 400 requests: at 50 ms each, 20 000 would take 17 minutes.)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${OUTREACH_BIN:-}
if [[ -z $bin ]]; then swift build -c release --product outreach >/dev/null; bin=.build/release/outreach; fi
port=${PORT:-19292}
"$bin" sandbox --port "$port" --latency-ms 50 >/dev/null 2>&1 &
sandbox=$!
trap 'kill $sandbox 2>/dev/null' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/_sandbox/stats" && break; sleep 0.1; done
for inflight in 1 50 200; do
  n=20000; [[ $inflight == 1 ]] && n=400
  curl -s -X DELETE "http://127.0.0.1:$port/_sandbox/messages" >/dev/null
  echo "in_flight=$inflight $("$bin" bench http --url "http://127.0.0.1:$port" --requests $n --in-flight $inflight | tail -1)"
done
