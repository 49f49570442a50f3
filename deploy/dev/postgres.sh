#!/usr/bin/env bash
# A project-local PostgreSQL cluster for `make run` and `make test`.
#
#   postgres.sh start   DATA_DIR PORT [trust|scram]
#   postgres.sh stop    DATA_DIR
#   postgres.sh restart DATA_DIR
#   postgres.sh status  DATA_DIR
#
# initdb runs on first start. The cluster listens on 127.0.0.1:PORT and on a unix
# socket inside DATA_DIR. PostgreSQL refuses to run as root, so under root the
# cluster is owned and run by the `postgres` system user.
set -euo pipefail

cmd=${1:?usage: postgres.sh start|stop|restart|status DATA_DIR [PORT] [trust|scram]}
data=${2:?data directory required}
port=${3:-55432}
auth=${4:-trust}

bindir=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
[ -x "$bindir/pg_ctl" ] || { echo "postgres.sh: no PostgreSQL server binaries found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

data=$(mkdir -p "$data" && cd "$data" && pwd)

case "$cmd" in
  start)
    if [ ! -f "$data/PG_VERSION" ]; then
      [ "$(id -u)" = 0 ] && chown postgres: "$data"
      chmod 700 "$data"
      if [ "$auth" = scram ]; then
        pwfile=$(mktemp); head -c 24 /dev/urandom | base64 > "$pwfile"; chmod 644 "$pwfile"
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
          --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 >/dev/null
        rm -f "$pwfile"
      else
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      fi
      cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
max_connections = 300
max_locks_per_transaction = 1024
shared_buffers = 256MB
fsync = $( [ "$auth" = trust ] && echo off || echo on )
synchronous_commit = $( [ "$auth" = trust ] && echo off || echo on )
log_min_messages = warning
# Per-statement counts for bench/routes (and anyone asking where time goes).
shared_preload_libraries = 'pg_stat_statements'
CONF
    fi
    if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then exit 0; fi
    as_owner "$bindir/pg_ctl" -D "$data" -o "-p $port" -l "$data/server.log" -w -t 60 start >/dev/null
    ;;
  stop)
    [ -f "$data/PG_VERSION" ] || exit 0
    as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  restart)
    as_owner "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 restart -l "$data/server.log" >/dev/null
    ;;
  status)
    as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
    ;;
  *)
    echo "postgres.sh: unknown command $cmd" >&2; exit 2 ;;
esac
