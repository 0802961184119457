#!/usr/bin/env bash
# SPEC §10 figures, side by side with the peers from the same server in the same run.
# Usage: DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/db bench/run-all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL}"
bin=${OUTREACH_BIN:-}
if [[ -z $bin ]]; then swift build -c release --product outreach >/dev/null; bin=.build/release/outreach; fi
"$bin" migrate >/dev/null
peers=${PEERS:-../shared/peers/run-peers}
if [[ -x $peers ]]; then "$peers" 200000 | tee /tmp/outreach-peers.txt; fi
"$bin" bench queue --jobs 200000 --workers 2 | tail -1
"$bin" bench e2e --sends 20000 --workers 2 --latency-ms 50 | tail -2
# Worker memory is specified at 200 sends in flight (peak_worker_rss_mb).
"$bin" bench e2e --sends 20000 --workers 2 --latency-ms 50 --concurrency 200 --batch 100 | tail -2
"$bin" bench scheduler --enrollments 1000000 --due 100000 | tail -2
"$bin" bench latency --jobs 500 | tail -2
