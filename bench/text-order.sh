#!/usr/bin/env bash
# Regenerates Sources/outreach/text-order.txt: the functions a worker runs (start-up, idle
# wake-ups and `bench e2e` batches over all three channels), recorded with callgrind, which
# the release link places first and together (Package.swift, README "Performance").
#
# Needs valgrind and a reachable DATABASE_URL; run after changes to the worker's path, then
# rebuild. Names that no longer exist are skipped by the linker, so a stale list only costs
# memory, never correctness.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL}"
command -v valgrind >/dev/null || apt-get install -y valgrind >/dev/null
swift build -c release --product outreach
work=$(mktemp -d)
trap 'pkill -TERM -f "$work/outreach worker" 2>/dev/null || true; rm -rf "$work"' EXIT
# Valgrind cannot read the toolchain's DWARF 5; the symbol table is all it needs.
strip --strip-debug -o "$work/outreach" .build/release/outreach
.build/release/outreach migrate >/dev/null
port=19191
export RESEND_API_KEY=re_bench RESEND_BASE_URL=http://127.0.0.1:$port WHATSAPP_ACCESS_TOKEN=EAAbench
export WHATSAPP_BASE_URL=http://127.0.0.1:$port TELEGRAM_BOT_TOKEN=1:bench TELEGRAM_BASE_URL=http://127.0.0.1:$port
export OUTREACH_RATE_RESEND=1000000 OUTREACH_RATE_WHATSAPP=1000000 OUTREACH_RATE_TELEGRAM=1000000 OUTREACH_POLL_MS=100
export OUTREACH_LOG_LEVEL=error
valgrind --tool=callgrind --callgrind-out-file="$work/worker.cg" "$work/outreach" worker --name text-order \
    --concurrency 200 --batch 100 >"$work/worker.log" 2>&1 &
sleep 15  # start-up under valgrind
# The profiled worker claims its share of the batches beside a normal one.
.build/release/outreach bench e2e --workers 1 --sends 6000 --port $port | tail -1
pkill -TERM -f "$work/outreach worker"
for _ in $(seq 1 60); do pgrep -f "$work/outreach worker" >/dev/null || break; sleep 1; done
python3 bench/text-order.py "$work/outreach" "$work/worker.cg" > Sources/outreach/text-order.txt
echo "wrote Sources/outreach/text-order.txt ($(wc -l < Sources/outreach/text-order.txt) functions)"
