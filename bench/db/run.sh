#!/usr/bin/env bash
# Pool throughput vs pgbench, same cluster, same run, same number of clients:
#  1. the primary-key SELECT of `pgbench -S` (prepared statements on both sides);
#  2. an agency-scoped transaction: BEGIN + SET LOCAL search_path + the SELECT + COMMIT, against
#     pgbench running the same statements as a custom script, both one statement per round trip
#     and pipelined like the pool does it (BEGIN, SET, SELECT in one round trip; COMMIT in another).
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

cat > "$scripts/agency.sql" <<SQL
\set aid random(1, 100000 * :scale)
BEGIN;
SET LOCAL search_path TO $schema;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
COMMIT;
SQL
cat > "$scripts/agency-pipelined.sql" <<SQL
\set aid random(1, 100000 * :scale)
\startpipeline
BEGIN;
SET LOCAL search_path TO $schema;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
\endpipeline
COMMIT;
SQL

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
pool() { .build/release/bench-db "$url" "$clients" "$seconds" "$@" | sed -n 's/^tps=\([0-9]*\).*/\1/p'; }

# The machine is shared: the variants take turns, round after round, and medians are compared.
declare -A runs
for round in $(seq "$rounds"); do
  runs[pg_pk]+=" $(pgbench -S -M prepared -c "$clients" -j "$jobs" -T "$seconds")"
  runs[pool_pk]+=" $(pool pk)"
  runs[pool_pk_executor]+=" $(pool pk --on-pool-executor)"
  runs[pg_agency]+=" $(pgbench -M prepared -f "$scripts/agency.sql" -c "$clients" -j "$jobs" -T "$seconds")"
  runs[pg_agency_pipelined]+=" $(pgbench -M prepared -f "$scripts/agency-pipelined.sql" -c "$clients" -j "$jobs" -T "$seconds")"
  runs[pool_agency]+=" $(pool agency "$agency")"
  runs[pool_agency_executor]+=" $(pool agency "$agency" --on-pool-executor)"
done
declare -A tps
for variant in "${!runs[@]}"; do
  # shellcheck disable=SC2086
  tps[$variant]=$(median ${runs[$variant]})
  echo "$variant:${runs[$variant]} (median ${tps[$variant]})"
done

echo
echo "clients=$clients, $rounds rounds of ${seconds}s, pgbench -j $jobs, scale $scale; median transactions per second:"
echo "primary-key SELECT   pgbench ${tps[pg_pk]}"
echo "                     pool ${tps[pool_pk]} ($(ratio "${tps[pool_pk]}" "${tps[pg_pk]}")x)"
echo "                     pool, tasks on its executor ${tps[pool_pk_executor]} ($(ratio "${tps[pool_pk_executor]}" "${tps[pg_pk]}")x)"
echo "agency transaction   pgbench ${tps[pg_agency]} (4 round trips), ${tps[pg_agency_pipelined]} (pipelined: 2 round trips, like the pool)"
echo "                     pool ${tps[pool_agency]} ($(ratio "${tps[pool_agency]}" "${tps[pg_agency_pipelined]}")x pipelined, $(ratio "${tps[pool_agency]}" "${tps[pg_agency]}")x unpipelined)"
echo "                     pool, tasks on its executor ${tps[pool_agency_executor]} ($(ratio "${tps[pool_agency_executor]}" "${tps[pg_agency_pipelined]}")x pipelined)"
