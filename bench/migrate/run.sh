#!/usr/bin/env bash
# Migration benchmark: 1,000 (and, with AGENCIES="1000 5000", 5,000) agency schemas of ~13 tables.
# For each size, on a fresh database of a throwaway cluster: creating the schemas (v1), a start with
# nothing pending (goal < 1 s at 1,000), migrating all one version up (goal < 15 s at 1,000, < 60 s at
# 5,000), and creating one new agency schema (goal < 150 ms).
#
#   bench/migrate/run.sh                      # 1,000 agencies, 4 workers
#   AGENCIES="1000 5000" WORKERS=4 bench/migrate/run.sh
#   DURABLE=1 bench/migrate/run.sh            # fsync and synchronous_commit on (the dev cluster has them off)
set -euo pipefail
cd "$(dirname "$0")/../.."
agencies=${AGENCIES:-1000}
workers=${WORKERS:-4}
# Other clusters may run on this machine: take a port the kernel says is free.
port=${BENCH_PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
data=$(pwd)/.muster/bench-migrate-pg

swift build -c release --product bench-migrate >/dev/null
deploy/dev/postgres.sh start "$data" "$port" trust
trap 'deploy/dev/postgres.sh stop "$data"' EXIT
url_for() { echo "postgresql://postgres@127.0.0.1:$port/$1"; }
durable=$([ "${DURABLE:-0}" = 1 ] && echo on || echo off)
psql -q -h 127.0.0.1 -p "$port" -U postgres -c "ALTER SYSTEM SET fsync = $durable" \
  -c "ALTER SYSTEM SET synchronous_commit = $durable" -c "SELECT pg_reload_conf()" >/dev/null
echo "fsync and synchronous_commit: $durable"

for count in $agencies; do
  database="bench_migrate_$count"
  psql -q -h 127.0.0.1 -p "$port" -U postgres -c "DROP DATABASE IF EXISTS $database" -c "CREATE DATABASE $database"
  echo "== $count agency schemas, $workers workers"
  .build/release/bench-migrate "$(url_for "$database")" "$count" "$workers"
  psql -q -h 127.0.0.1 -p "$port" -U postgres -c "DROP DATABASE $database"
done
