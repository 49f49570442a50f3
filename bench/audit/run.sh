#!/usr/bin/env bash
# Audit benchmarks, against a throwaway PostgreSQL (fsync and synchronous_commit on)
# and a release build of the real Audit service:
#  1. ingest: events/s through POST /internal/events in batches of 100 (normalized,
#     hash-chained, one writer per agency), against a plain INSERT … SELECT of the
#     same rows into an unchained table with the same indexes, same run, same
#     concurrency (1 client, then 4 clients on 4 agencies). Goal: ratio >= 0.5.
#  2. query: GET /api/v1/audit/events latency by query shape on one agency with
#     1,000,000 events (appended as a real chain). Goal: p95 < 100 ms.
#  3. the time to verify that million-event chain (GET /api/v1/audit/verify).
#
#   bench/audit/run.sh
#   INGEST_EVENTS=40000 QUERY_EVENTS=200000 QUERY_SAMPLES=200 bench/audit/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${BENCH_PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
audit_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(pwd)/.muster/bench-audit-pg

swift build -c release --product audit >/dev/null
swift build -c release --product bench-audit >/dev/null
deploy/dev/postgres.sh stop "$data" || true
rm -rf "$data"
deploy/dev/postgres.sh start "$data" "$port" trust
trap 'deploy/dev/postgres.sh stop "$data"; rm -rf "$data"' EXIT
# A durable cluster, as in production: every commit is flushed.
psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "ALTER SYSTEM SET fsync = on" -c "ALTER SYSTEM SET synchronous_commit = on"
deploy/dev/postgres.sh restart "$data"

BENCH_ADMIN_URL="postgresql://postgres@127.0.0.1:$port/postgres" AUDIT_BIN=.build/release/audit BENCH_AUDIT_PORT=$audit_port \
  .build/release/bench-audit
