# Sourced by a bench's run.sh (from the project root, with `root` set): a throwaway
# PostgreSQL cluster with the service databases and login roles, the platform's
# secrets exported, and, on exit, the processes the bench added to `pids` stopped,
# the cluster stopped and removed, and the `work` folder removed.
#
#   . bench/lib/cluster.sh
#   bench_cluster records 55493     # sets work, pgdata, admin (the cluster's admin URL), pids
#   "$bin/records" & pids+=($!)
#   bench_platform 18590            # or: the five services on ports 18590…18594 (Gateway admin 18595), ready; sets records_pid
bench_cluster() {
  work=$(mktemp -d)
  pg_port=$2
  # Under the project: the `postgres` user cannot enter root's private temp folders.
  pgdata="$root/.muster/bench-$1-pg"
  pids=()
  trap bench_cleanup EXIT
  rm -rf "$pgdata"
  deploy/dev/postgres.sh start "$pgdata" "$2" trust >/dev/null
  admin="postgresql://postgres@127.0.0.1:$2/postgres"
  set -a
  eval "$(deploy/dev/secrets.sh)"
  set +a
  deploy/postgres/prepare-cluster.sh "$admin" >/dev/null
}

# The five services of `$bin` against the cluster on `$pg_port` (the second argument given to bench_cluster),
# the Gateway on $1 and the others on the next ports, logging to $work; returns once every one is ready.
bench_platform() {
  local port=$1 service upper password_var var
  for service in gateway identity records audit notify; do
    upper=${service^^}
    export "MUSTER_${upper}_PORT=$port" "MUSTER_${upper}_URL=http://127.0.0.1:$port"
    if [ "$service" != gateway ]; then
      password_var="MUSTER_${upper}_DB_PASSWORD"
      export "MUSTER_${upper}_DATABASE_URL=postgresql://muster_$service:${!password_var}@127.0.0.1:$pg_port/muster_$service"
    fi
    port=$((port + 1))
  done
  # The Gateway answers /readyz on its admin listener only (the port after Notify's).
  export MUSTER_GATEWAY_ADMIN_PORT=$port MUSTER_GATEWAY_HOST=127.0.0.1 MUSTER_LOG_LEVEL=warning MUSTER_RATE_LIMITS=off
  export MUSTER_MAIL_DIR="$work/mail"
  export MUSTER_PASSWORD_HASH_THREADS=1
  for service in identity records audit notify gateway; do
    "$bin/$service" serve >"$work/$service.log" 2>&1 &
    pids+=($!)
    [ "$service" = records ] && records_pid=$!
  done
  for service in identity records audit notify gateway; do
    var="MUSTER_${service^^}_URL"
    ready=${!var}/readyz
    [ "$service" = gateway ] && ready=http://127.0.0.1:$MUSTER_GATEWAY_ADMIN_PORT/readyz
    for _ in $(seq 300); do curl -fsS "$ready" >/dev/null 2>&1 && break; sleep 0.1; done
    curl -fsS "$ready" >/dev/null || { echo "$service is not ready; its log:" >&2; tail -20 "$work/$service.log" >&2; exit 1; }
  done
}

bench_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  deploy/dev/postgres.sh stop "$pgdata" >/dev/null 2>&1 || true
  rm -rf "$work" "$pgdata"
}
