#!/usr/bin/env bash
# Records benchmark: the whole platform (PostgreSQL on a free port, the five
# services in release mode) and an agency of PEOPLE people with 100 training
# records and 5 certifications each, then, through the Gateway:
#
# 1. GET /api/v1/personnel/{id}/training-records: wrk, CONNECTIONS clients
#    rotating over every person (a Lua script). Goal: p99 <= 15 ms at 16.
# 2. A 50,000-row training import end to end (POST /api/v1/imports/training-records),
#    beside PostgreSQL COPY of the same rows into the same table. Goal: <= 10 s.
# 3. GET /api/v1/training-records.csv of every record (200,000 rows) in MB/s, with
#    the Records process's RSS before, at its highest during, and after.
#    Goals: >= 50 MB/s, RSS growth < 20 MB.
#
#   bench/records/run.sh
#   DURATION=30 CONNECTIONS=32 PEOPLE=500 IMPORT_ROWS=20000 bench/records/run.sh
#
# The bulk of the agency (personnel through the import route, records and
# certifications by SQL into the agency's schema) is seeded fast; only what is
# measured goes through the Gateway.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export DURATION=${DURATION:-15} CONNECTIONS=${CONNECTIONS:-16} PEOPLE=${PEOPLE:-2000} IMPORT_ROWS=${IMPORT_ROWS:-50000}
PG_PORT=${BENCH_PG_PORT:-55493}
BASE_PORT=${BENCH_BASE_PORT:-18590}
export PATH="/opt/swift/usr/bin:$PATH"

swift build -c release >/dev/null
bin="$(swift build -c release --show-bin-path)"

. bench/lib/cluster.sh
bench_cluster records "$PG_PORT"
bench_platform "$BASE_PORT"

BENCH_GATEWAY=$MUSTER_GATEWAY_URL BENCH_PG="postgresql://postgres@127.0.0.1:$PG_PORT" \
  BENCH_RECORDS_PID=$records_pid BENCH_IDENTITY=$bin/identity BENCH_WORK=$work \
  python3 bench/records/bench.py
