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
port=$BASE_PORT
for service in gateway identity records audit notify; do
  upper=${service^^}
  export "MUSTER_${upper}_PORT=$port" "MUSTER_${upper}_URL=http://127.0.0.1:$port"
  if [ "$service" != gateway ]; then
    password_var="MUSTER_${upper}_DB_PASSWORD"
    export "MUSTER_${upper}_DATABASE_URL=postgresql://muster_$service:${!password_var}@127.0.0.1:$PG_PORT/muster_$service"
  fi
  port=$((port + 1))
done
export MUSTER_GATEWAY_ADMIN_PORT=$port   # the next port after the services'
export MUSTER_GATEWAY_HOST=127.0.0.1 MUSTER_LOG_LEVEL=warning MUSTER_RATE_LIMITS=off MUSTER_MAIL_DIR="$work/mail"
export MUSTER_PASSWORD_HASH_THREADS=1

for service in identity records audit notify gateway; do
  "$bin/$service" serve >"$work/$service.log" 2>&1 &
  pids+=($!)
  [ "$service" = records ] && records_pid=$!
done
for service in identity records audit notify gateway; do
  var="MUSTER_${service^^}_URL"; url=${!var}
  # The Gateway answers /readyz on its admin port only.
  [ "$service" = gateway ] && url="http://127.0.0.1:$MUSTER_GATEWAY_ADMIN_PORT"
  for _ in $(seq 300); do curl -fsS "$url/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "$url/readyz" >/dev/null || { echo "$service is not ready; its log:" >&2; tail -20 "$work/$service.log" >&2; exit 1; }
done

BENCH_GATEWAY=$MUSTER_GATEWAY_URL BENCH_PG="postgresql://postgres@127.0.0.1:$PG_PORT" \
  BENCH_RECORDS_PID=$records_pid BENCH_IDENTITY=$bin/identity BENCH_WORK=$work \
  python3 bench/records/bench.py
