#!/usr/bin/env bash
# Pool throughput vs pgbench, same cluster, same run, same number of clients:
#  1. the primary-key SELECT of `pgbench -S` (prepared statements on both sides);
#  2. an agency-scoped transaction: BEGIN + SET LOCAL search_path + the SELECT + COMMIT, against
#     pgbench running the same statements as a custom script, in the same round trips:
#     withAgency { } sends BEGIN, SET and SELECT in one round trip and COMMIT in a second;
#     query(_:inAgency:) sends all four in one. pgbench also runs them one round trip each.
# Each pool variant also runs with its client tasks on the pool's executor.
# Threads: pgbench gets -j $(nproc); the pool runs one event loop per core too (its
# callers' tasks run on Swift's cooperative threads, one per core, or on those loops).
# Goal: the pool reaches >= 0.9x pgbench's transactions per second.
#
#   bench/db/run.sh                         # 8 clients, 3 rounds of 5 s per variant
#   CLIENTS=16 ROUNDS=5 SECONDS_PER_RUN=10 bench/db/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${CLIENTS:-8}
seconds=${SECONDS_PER_RUN:-5}
rounds=${ROUNDS:-3}
scale=${SCALE:-10}
jobs=$(nproc)
# Other clusters may run on this machine: take a port the kernel says is free.
port=${BENCH_PGPORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
data=$(pwd)/.muster/bench-db-pg
agency=6d7a1f0e-5b3c-4a2d-9e8f-0123456789ab
schema="agency_${agency//-/}"
scripts=$(mktemp -d)

swift build -c release --product bench-db >/dev/null
deploy/dev/postgres.sh start "$data" "$port" trust
trap 'deploy/dev/postgres.sh stop "$data"; rm -rf "$scripts"' EXIT
psql() { command psql -q -h 127.0.0.1 -p "$port" -U postgres "$@"; }
pgbench() { command pgbench -h 127.0.0.1 -p "$port" -U postgres "$@" bench 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p'; }
url="postgresql://postgres@127.0.0.1:$port/bench"

psql -d postgres -c "DROP DATABASE IF EXISTS bench" -c "CREATE DATABASE bench"
command pgbench -h 127.0.0.1 -p "$port" -U postgres -i -q -s "$scale" bench >/dev/null 2>&1
psql -d bench -c "CREATE SCHEMA $schema" \
  -c "CREATE TABLE $schema.pgbench_accounts (LIKE public.pgbench_accounts INCLUDING ALL)" \
  -c "INSERT INTO $schema.pgbench_accounts SELECT * FROM public.pgbench_accounts" -c "ANALYZE"

# The agency transaction as a pgbench script; $1 says where pipelines end: none (4 round trips),
# 2rt (BEGIN, SET, SELECT | COMMIT) or 1rt (all four together).
agency_script() {
  echo '\set aid random(1, 100000 * :scale)'
  [ "$1" = none ] || echo '\startpipeline'
  echo 'BEGIN;'
  echo "SET LOCAL search_path TO $schema;"
  echo 'SELECT abalance FROM pgbench_accounts WHERE aid = :aid;'
  [ "$1" = 2rt ] && echo '\endpipeline'
  echo 'COMMIT;'
  [ "$1" = 1rt ] && echo '\endpipeline'
  return 0
}
agency_script none > "$scripts/agency-4rt.sql"
agency_script 2rt > "$scripts/agency-2rt.sql"
agency_script 1rt > "$scripts/agency-1rt.sql"

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
pool() { .build/release/bench-db "$url" "$clients" "$seconds" "$@" | sed -n 's/^tps=\([0-9]*\).*/\1/p'; }

# The machine is shared: the variants take turns, round after round, and medians are compared.
variants=(pg_pk pool_pk pool_pk_executor pg_agency_4rt pg_agency_2rt pool_agency pool_agency_executor
          pg_agency_1rt pool_agency_query pool_agency_query_executor)
declare -A runs
measure() {
  case $1 in
    pg_pk) pgbench -S -M prepared -c "$clients" -j "$jobs" -T "$seconds" ;;
    pg_agency_4rt) pgbench -M prepared -f "$scripts/agency-4rt.sql" -c "$clients" -j "$jobs" -T "$seconds" ;;
    pg_agency_2rt) pgbench -M prepared -f "$scripts/agency-2rt.sql" -c "$clients" -j "$jobs" -T "$seconds" ;;
    pg_agency_1rt) pgbench -M prepared -f "$scripts/agency-1rt.sql" -c "$clients" -j "$jobs" -T "$seconds" ;;
    pool_pk) pool pk ;;
    pool_pk_executor) pool pk --on-pool-executor ;;
    pool_agency) pool agency "$agency" ;;
    pool_agency_executor) pool agency "$agency" --on-pool-executor ;;
    pool_agency_query) pool agency-query "$agency" ;;
    pool_agency_query_executor) pool agency-query "$agency" --on-pool-executor ;;
  esac
}
for round in $(seq "$rounds"); do
  for variant in "${variants[@]}"; do runs[$variant]+=" $(measure "$variant")"; done
done
declare -A tps
for variant in "${variants[@]}"; do
  # shellcheck disable=SC2086
  tps[$variant]=$(median ${runs[$variant]})
  echo "$variant:${runs[$variant]}"
done
line() { printf '  %-52s %8.0f  %sx\n' "$1" "${tps[$2]}" "$(ratio "${tps[$2]}" "${tps[$3]}")"; }

echo
echo "clients=$clients, $rounds rounds of ${seconds}s, pgbench -j $jobs, scale $scale; median transactions/s, ratio to pgbench:"
echo "primary-key SELECT"
line "pgbench -S -M prepared" pg_pk pg_pk
line "pool.query" pool_pk pg_pk
line "pool.query, tasks on the pool's executor" pool_pk_executor pg_pk
echo "agency transaction, 2 round trips"
line "pgbench (pipeline: BEGIN, SET, SELECT | COMMIT)" pg_agency_2rt pg_agency_2rt
line "pool.withAgency" pool_agency pg_agency_2rt
line "pool.withAgency, tasks on the pool's executor" pool_agency_executor pg_agency_2rt
line "pgbench, 4 round trips (no pipeline)" pg_agency_4rt pg_agency_2rt
echo "agency transaction, 1 round trip"
line "pgbench (pipeline: BEGIN, SET, SELECT, COMMIT)" pg_agency_1rt pg_agency_1rt
line "pool.query(_:inAgency:)" pool_agency_query pg_agency_1rt
line "pool.query(_:inAgency:), tasks on the pool's executor" pool_agency_query_executor pg_agency_1rt
