#!/usr/bin/env bash
# The restore drill, on a real local cluster with pgBackRest (Debian's 2.45):
#
#  1. a PostgreSQL with continuous WAL archiving (archive_timeout 60 s) under the
#     platform `make run` starts (its own ports and state folder), AGENCIES agencies;
#  2. a full backup;
#  3. writes through the API in every agency, in parallel ("before"), then the
#     target time, then more writes ("after"), archived in time by archive_timeout;
#  4. writes that never reach the archive ("lost"), then the disaster: PostgreSQL
#     killed (immediate stop) and its data directory deleted;
#  5. restore to the target time, the platform started on it;
#  6. through the API: every "before" write is there, no "after" or "lost" one, and
#     every agency's audit chain verifies.
#
# Prints RPO (the writes lost: the time from the last archived WAL segment to the
# disaster, bounded by archive_timeout) and RTO (disaster to every service ready).
#
#   deploy/postgres/backup-test.sh                # 500 agencies (setting them up takes a while: ~6 s each on a loaded 2-core machine)
#   AGENCIES=100 deploy/postgres/backup-test.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
AGENCIES=${AGENCIES:-500}
export PATH="/opt/swift/usr/bin:$PATH"
for tool in pgbackrest; do
  command -v "$tool" >/dev/null || {
    echo "installing: pgbackrest"
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pgbackrest >/dev/null
  }
done
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
now() { date +%s.%N; }

export MUSTER_STATE="$root/.muster/backup-test"
export MUSTER_PG_PORT=${BACKUP_PG_PORT:-55497}
export MUSTER_GATEWAY_PORT=${BACKUP_GATEWAY_PORT:-18880} MUSTER_IDENTITY_PORT=18881 MUSTER_RECORDS_PORT=18882
export MUSTER_AUDIT_PORT=18883 MUSTER_NOTIFY_PORT=18884 MUSTER_GATEWAY_ADMIN_PORT=18885
export MUSTER_RATE_LIMITS=off MUSTER_LOG_LEVEL=warning
state=$MUSTER_STATE pg="$MUSTER_STATE/pg" bk="$MUSTER_STATE/pgbackrest"
admin="host=$pg port=$MUSTER_PG_PORT user=postgres dbname=postgres"
sql() { psql "$admin" -qtAX -v ON_ERROR_STOP=1 -c "$1"; }
pgbackrest_() { as_postgres pgbackrest --config="$bk/pgbackrest.conf" --stanza=muster "$@"; }

platform=""
start_platform() {
  deploy/dev/run.sh > "$state/platform.out" 2>&1 &
  platform=$!
}
stop_platform() { [ -n "$platform" ] && { kill -TERM "$platform" 2>/dev/null || true; wait "$platform" 2>/dev/null || true; }; platform=""; }
ready() { curl -fsS -o /dev/null "http://127.0.0.1:$MUSTER_GATEWAY_ADMIN_PORT/readyz" 2>/dev/null; }
wait_ready() {
  for _ in $(seq 1 3000); do
    ready && return 0
    kill -0 "$platform" 2>/dev/null || { tail -30 "$state/platform.out" >&2; exit 1; }
    sleep 0.1
  done
  echo "the platform did not become ready" >&2; tail -30 "$state/platform.out" >&2; exit 1
}
cleanup() { stop_platform; deploy/dev/postgres.sh stop "$pg" >/dev/null 2>&1 || true; [ -n "${KEEP:-}" ] || rm -rf "$state"; }
deploy/dev/postgres.sh stop "$pg" >/dev/null 2>&1 || true
rm -rf "$state"; mkdir -p "$state" "$bk"
trap cleanup EXIT

# 1. The cluster, archiving every WAL segment to the pgBackRest repository.
deploy/dev/postgres.sh start "$pg" "$MUSTER_PG_PORT" trust
deploy/dev/postgres.sh stop "$pg"
cat >> "$pg/postgresql.conf" <<CONF
# backup-test.sh: durable commits and continuous archiving.
fsync = on
synchronous_commit = on
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$bk/pgbackrest.conf --stanza=muster archive-push %p'
archive_timeout = 60
CONF
cat > "$bk/pgbackrest.conf" <<CONF
[global]
repo1-path=$bk/repo
repo1-retention-full=2
log-path=$bk/log
lock-path=$bk/lock
spool-path=$bk/spool
log-level-console=warn
log-level-file=info
start-fast=y
compress-type=zst
process-max=2

[muster]
pg1-path=$pg
pg1-port=$MUSTER_PG_PORT
pg1-socket-path=$pg
CONF
mkdir -p "$bk/log" "$bk/lock" "$bk/spool" "$bk/repo"
[ "$(id -u)" = 0 ] && chown -R postgres "$bk"
start_platform
for _ in $(seq 1 3000); do grep -q "Muster is running" "$state/platform.out" 2>/dev/null && break; sleep 0.2; done
grep -q "Muster is running" "$state/platform.out" || { tail -30 "$state/platform.out" >&2; exit 1; }
pgbackrest_ stanza-create
pgbackrest_ check
# The settings make run used (service URLs, keys) for the drill's admin commands.
set -a; . "$state/env"; set +a

python3 deploy/postgres/backup_drill.py setup "$AGENCIES"
schemas=$(psql "host=$pg port=$MUSTER_PG_PORT user=postgres dbname=muster_records" -qtAX -c "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'agency_%'")
size=$(sql "SELECT pg_size_pretty(sum(pg_database_size(datname))) FROM pg_database")

# 2. A full backup.
started=$(now)
pgbackrest_ --type=full backup
backup_seconds=$(python3 -c "print('%.1f' % ($(now) - $started))")

# 3. Writes before the target, the target, writes after it (archived within archive_timeout).
before=$(python3 deploy/postgres/backup_drill.py write before)
target=$(sql "SELECT now()")
sleep 1
after=$(python3 deploy/postgres/backup_drill.py write after)
last_lsn_file=$(sql "SELECT pg_walfile_name(pg_current_wal_lsn())")
echo "waiting for archive_timeout to archive $last_lsn_file…"
for _ in $(seq 1 900); do
  archived=$(sql "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")
  [[ "$archived" > "$last_lsn_file" || "$archived" == "$last_lsn_file" ]] && break
  sleep 0.2
done

# 4. Writes that only the lost data directory holds, then the disaster.
lost=$(python3 deploy/postgres/backup_drill.py write lost)
last_archived=$(sql "SELECT extract(epoch FROM last_archived_time) FROM pg_stat_archiver")
disaster=$(now)
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres "$bindir/pg_ctl" -D "$pg" -m immediate stop >/dev/null
rm -rf "$pg"
stop_platform

# 5. Restore to the target and start the platform on it (the executables already built).
export MUSTER_BIN="$root/.build/release"
mkdir -p "$pg"; [ "$(id -u)" = 0 ] && chown postgres "$pg"; chmod 700 "$pg"
restore_started=$(now)
pgbackrest_ --type=time "--target=$target" --target-action=promote restore
restored=$(now)
# PostgreSQL replays the archived WAL to the target and promotes; it accepts
# read-only connections before that, so the platform starts once it has.
deploy/dev/postgres.sh start "$pg" "$MUSTER_PG_PORT" trust
until [ "$(sql 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do sleep 0.1; done
promoted=$(now)
start_platform
wait_ready
ready_at=$(now)

# 6. What the API says.
verify_status=0
python3 deploy/postgres/backup_drill.py verify || verify_status=$?
timeline=$(sql "SELECT timeline_id FROM pg_control_checkpoint()")

python3 - <<PY
rpo = $disaster - $last_archived
print()
print("agencies           $AGENCIES (agency schemas in Records: $schemas), databases $size")
print("full backup        ${backup_seconds} s")
print("writes             before the target: $before, after it: $after (archived), lost with the data directory: $lost")
print("target             $target (restored on timeline $timeline)")
print("RPO                %.1f s of writes lost (last archived WAL segment to the disaster; archive_timeout = 60 s bounds it)" % rpo)
print("RTO                %.1f s from the disaster to every service ready (restore %.1f s, recovery to the target %.1f s, services %.1f s)"
      % ($ready_at - $disaster, $restored - $restore_started, $promoted - $restored, $ready_at - $promoted))
PY
exit $verify_status
