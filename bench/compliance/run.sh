#!/usr/bin/env bash
# Compliance benchmark: the whole platform (PostgreSQL on a free port, the five
# services in release mode) and an agency of PEOPLE people × 100 training records
# × 12 requirements of every kind, then, through the Gateway:
#
# 1. GET /api/v1/personnel/{id}/compliance: wrk, CONNECTIONS clients rotating over
#    every person. Goal: p99 <= 20 ms at 16.
# 2. GET /api/v1/compliance/summary: sequential requests, p50 and p99.
#    Goals: p50 <= 150 ms, p99 <= 300 ms.
# 3. GET /api/v1/compliance.csv: every person × requirement row. Goal: <= 1 s.
#
# Each beside a plain PostgreSQL query that only sums hours per person per
# period on the same data (what any status needs at the least).
#
#   bench/compliance/run.sh
#   DURATION=30 CONNECTIONS=32 PEOPLE=500 bench/compliance/run.sh
#
# The people come through the personnel import, the records by SQL into the
# agency's schema; the requirements through the API (so they are validated).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-16} PEOPLE=${PEOPLE:-2000} SUMMARIES=${SUMMARIES:-40}
PG_PORT=${BENCH_PG_PORT:-55494}
BASE_PORT=${BENCH_BASE_PORT:-18600}
export PATH="/opt/swift/usr/bin:$PATH"

swift build -c release >/dev/null
bin="$(swift build -c release --show-bin-path)"

. bench/lib/cluster.sh
bench_cluster compliance "$PG_PORT"
bench_platform "$BASE_PORT"

BENCH_GATEWAY=$MUSTER_GATEWAY_URL BENCH_PG="postgresql://postgres@127.0.0.1:$PG_PORT" \
  BENCH_IDENTITY=$bin/identity BENCH_WORK=$work \
  python3 bench/compliance/bench.py
