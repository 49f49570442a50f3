# Sourced by a bench's run.sh (from the project root, with `root` set): a throwaway
# PostgreSQL cluster with the service databases and login roles, the platform's
# secrets exported, and, on exit, the processes the bench added to `pids` stopped,
# the cluster stopped and removed, and the `work` folder removed.
#
#   . bench/lib/cluster.sh
#   bench_cluster records 55493     # sets work, pgdata, admin (the cluster's admin URL), pids
#   "$bin/records" & pids+=($!)
bench_cluster() {
  work=$(mktemp -d)
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

bench_cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  deploy/dev/postgres.sh stop "$pgdata" >/dev/null 2>&1 || true
  rm -rf "$work" "$pgdata"
}
