#!/usr/bin/env bash
# The product's real routes on the platform `make run` starts (deploy/dev/run.sh,
# here with its own state folder, ports and PostgreSQL, rate limits off), with
# an agency of 2,000 users. For each read route and the main writes: req/s and
# p50/p99 at 16 and 64 connections through the Gateway and direct to the
# service, CPU per request (Gateway / service / PostgreSQL, from /proc),
# transactions, statements and round trips per request, and the ratio to
# pgbench replaying the route's own statements (captured from PostgreSQL's log)
# at the same concurrency. Prints one table (also saved to $MUSTER_STATE/routes.md).
#
#   bench/routes/run.sh                      # every route, 3 s per cell
#   DURATION=5 ROUTES=me,jwks bench/routes/run.sh
#   KEEP=1 bench/routes/run.sh               # leave the platform running afterwards
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export MUSTER_STATE=${MUSTER_STATE:-$root/.muster/bench-routes}
export MUSTER_PG_PORT=${BENCH_PG_PORT:-55470}
export MUSTER_GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18680} MUSTER_IDENTITY_PORT=${BENCH_IDENTITY_PORT:-18681}
export MUSTER_RECORDS_PORT=${BENCH_RECORDS_PORT:-18682} MUSTER_AUDIT_PORT=${BENCH_AUDIT_PORT:-18683}
export MUSTER_NOTIFY_PORT=${BENCH_NOTIFY_PORT:-18684} MUSTER_GATEWAY_ADMIN_PORT=${BENCH_GATEWAY_ADMIN_PORT:-18685}
export MUSTER_RATE_LIMITS=off MUSTER_LOG_LEVEL=warning
export PATH="/opt/swift/usr/bin:$PATH"

# A fresh platform each run: the numbers must not depend on what an earlier run left.
deploy/dev/postgres.sh stop "$MUSTER_STATE/pg" >/dev/null 2>&1 || true
rm -rf "$MUSTER_STATE"; mkdir -p "$MUSTER_STATE"
deploy/dev/run.sh > "$MUSTER_STATE/platform.out" 2>&1 &
platform=$!
stop() { kill -TERM "$platform" 2>/dev/null || true; wait "$platform" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 1800); do
  grep -q "Muster is running" "$MUSTER_STATE/platform.out" 2>/dev/null && break
  kill -0 "$platform" 2>/dev/null || { cat "$MUSTER_STATE/platform.out" >&2; exit 1; }
  sleep 0.5
done
grep -q "Muster is running" "$MUSTER_STATE/platform.out" || { echo "the platform did not start" >&2; exit 1; }

python3 bench/routes/routes.py
if [ -n "${KEEP:-}" ]; then echo "platform left running (pid $platform); Ctrl-C stops it"; trap - EXIT; wait "$platform"; fi
