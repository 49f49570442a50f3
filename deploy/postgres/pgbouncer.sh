#!/usr/bin/env bash
# A throwaway PgBouncer (Debian's 1.18) in transaction mode in front of a local
# PostgreSQL, for the tests and benchmarks that run Muster through a pooler.
#
#   deploy/postgres/pgbouncer.sh start DIR PORT PG_PORT [POOL_SIZE]   # DIR: its config, log, pid
#   deploy/postgres/pgbouncer.sh stop DIR
#
# Clients authenticate with SCRAM against the cluster's own password hashes
# (auth_query as the postgres superuser); the superuser itself, from the loopback,
# is trusted, as the test cluster trusts it. Every database of the cluster is
# reachable under its own name. PgBouncer refuses to run as root: it runs as postgres.
set -euo pipefail
command=${1:?usage: pgbouncer.sh start|stop DIR [PORT PG_PORT [POOL_SIZE]]}
dir=${2:?DIR}
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case $command in
start)
  port=${3:?PORT}; pg_port=${4:?PG_PORT}; pool_size=${5:-4}
  mkdir -p "$dir"
  cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$pg_port

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pool_mode = transaction
; Few server connections per database and user, so that every client shares them:
; whatever one transaction left behind on a connection, another client would see.
default_pool_size = $pool_size
max_client_conn = 2000
auth_type = hba
auth_hba_file = $dir/hba.conf
auth_file = $dir/userlist.txt
auth_user = postgres
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
admin_users = postgres
stats_users = postgres
ignore_startup_parameters = extra_float_digits
INI
  printf 'host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$dir/hba.conf"
  printf '"postgres" ""\n' > "$dir/userlist.txt"
  rm -f "$dir/pgbouncer.log"
  [ "$(id -u)" = 0 ] && chown -R postgres "$dir"
  as_postgres pgbouncer -d -q "$dir/pgbouncer.ini"
  for _ in $(seq 50); do
    psql "postgresql://postgres@127.0.0.1:$port/pgbouncer" -qtAc 'SHOW VERSION' >/dev/null 2>&1 && exit 0
    sleep 0.1
  done
  echo "pgbouncer did not start:" >&2; cat "$dir/pgbouncer.log" >&2; exit 1
  ;;
stop)
  [ -f "$dir/pgbouncer.pid" ] || exit 0
  pid=$(cat "$dir/pgbouncer.pid")
  kill -INT "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.1; done
  ;;
*) echo "usage: pgbouncer.sh start|stop DIR ..." >&2; exit 2 ;;
esac
