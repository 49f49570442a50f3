#!/usr/bin/env bash
# Pool throughput vs pgbench, same cluster, same run, same number of clients:
#  1. the primary-key SELECT of `pgbench -S` (prepared statements on both sides);
#  2. an agency-scoped transaction: BEGIN + SET LOCAL search_path + the SELECT + COMMIT, against
#     pgbench running the same statements as a custom script, both one statement per round trip
#     and pipelined like the pool does it (BEGIN, SET, SELECT in one round trip; COMMIT in another).
# Goal: the pool reaches >= 0.9x pgbench's transactions per second.
#
#   bench/db/run.sh                         # 8 clients, 10 s per measurement
#   CLIENTS=16 SECONDS_PER_RUN=20 bench/db/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${CLIENTS:-8}
seconds=${SECONDS_PER_RUN:-10}
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

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
swift() { .build/release/bench-db "$url" "$clients" "$seconds" "$@" | sed -n 's/^tps=\([0-9]*\).*/\1/p'; }

echo "clients=$clients, ${seconds}s per run, pgbench -j $jobs, scale $scale; transactions per second:"
pg_pk=$(pgbench -S -M prepared -c "$clients" -j "$jobs" -T "$seconds")
swift_pk=$(swift pk)
swift_pk_loop=$(swift pk --on-pool-executor)
echo "primary-key SELECT:  pgbench $pg_pk | pool $swift_pk ($(ratio "$swift_pk" "$pg_pk")x) | pool, tasks on its executor $swift_pk_loop ($(ratio "$swift_pk_loop" "$pg_pk")x)"

pg_agency=$(pgbench -M prepared -f "$scripts/agency.sql" -c "$clients" -j "$jobs" -T "$seconds")
pg_agency_pipelined=$(pgbench -M prepared -f "$scripts/agency-pipelined.sql" -c "$clients" -j "$jobs" -T "$seconds")
swift_agency=$(swift agency "$agency")
swift_agency_loop=$(swift agency "$agency" --on-pool-executor)
echo "agency transaction:  pgbench $pg_agency (4 round trips), $pg_agency_pipelined (pipelined, 2 round trips) | pool $swift_agency ($(ratio "$swift_agency" "$pg_agency_pipelined")x pipelined, $(ratio "$swift_agency" "$pg_agency")x unpipelined) | pool, tasks on its executor $swift_agency_loop ($(ratio "$swift_agency_loop" "$pg_agency_pipelined")x pipelined)"
