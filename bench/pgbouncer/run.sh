#!/usr/bin/env bash
# The cost of PgBouncer (Debian's 1.18, transaction mode) on a database-bound
# route: GET /api/v1/me on Identity (one transaction: BEGIN, SET LOCAL search_path,
# three pipelined reads, COMMIT), with wrk straight at Identity, in four modes:
#
#   direct   named      Identity's pool straight to PostgreSQL, statements prepared once per connection (the default)
#   direct   unnamed    the same with MUSTER_DB_PREPARED_STATEMENTS=off
#   bouncer  unnamed    through PgBouncer, unnamed statements (what Debian's PgBouncer needs)
#   bouncer  named      through PgBouncer with prepared statements: fails (PgBouncer < 1.21)
#
# Identity's pool and PgBouncer's pool both hold MUSTER_DB_POOL_SIZE (10) server connections.
#
#   bench/pgbouncer/run.sh                   # 10 s per cell, 16 and 64 connections
#   DURATION=5 CONNECTIONS=64 bench/pgbouncer/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-16 64}
PG_PORT=${BENCH_PG_PORT:-55495}
BOUNCER_PORT=${BENCH_BOUNCER_PORT:-56495}
IDENTITY_PORT=${BENCH_IDENTITY_PORT:-18591}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18590}
PASSWORD='Bench harbour lanterns 2026!'
export PATH="/opt/swift/usr/bin:$PATH"
for product in identity gateway; do swift build -c release --product "$product" >/dev/null; done
bin="$(swift build -c release --show-bin-path)"

. bench/lib/cluster.sh
bench_cluster pgbouncer "$PG_PORT"
bouncer="$root/.muster/bench-pgbouncer"
deploy/postgres/pgbouncer.sh start "$bouncer" "$BOUNCER_PORT" "$PG_PORT" 10 >/dev/null
trap 'deploy/postgres/pgbouncer.sh stop "$bouncer"; rm -rf "$bouncer"; bench_cleanup' EXIT
password=$MUSTER_IDENTITY_DB_PASSWORD
direct_url="postgresql://muster_identity:$password@127.0.0.1:$PG_PORT/muster_identity"
bouncer_url="postgresql://muster_identity:$password@127.0.0.1:$BOUNCER_PORT/muster_identity"
export MUSTER_IDENTITY_PORT=$IDENTITY_PORT MUSTER_IDENTITY_URL=http://127.0.0.1:$IDENTITY_PORT
export MUSTER_GATEWAY_PORT=$GATEWAY_PORT MUSTER_GATEWAY_HOST=127.0.0.1 MUSTER_GATEWAY_ADMIN_PORT=${BENCH_GATEWAY_ADMIN_PORT:-18592}
export MUSTER_LOG_LEVEL=warning MUSTER_RATE_LIMITS=off MUSTER_PASSWORD_HASH_THREADS=2 MUSTER_MAIL_DIR="$work/mail"

identity=""
start_identity() {  # URL PREPARED
  if [ -n "$identity" ]; then kill -TERM "$identity"; wait "$identity" 2>/dev/null || true; fi
  MUSTER_IDENTITY_DATABASE_URL=$1 MUSTER_DB_PREPARED_STATEMENTS=$2 "$bin/identity" serve >>"$work/identity.log" 2>&1 &
  identity=$!; pids+=("$identity")
  for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$IDENTITY_PORT/readyz" >/dev/null 2>&1 && return; sleep 0.1; done
  echo "identity did not start" >&2; tail "$work/identity.log" >&2; exit 1
}
start_identity "$direct_url" on
"$bin/gateway" serve >"$work/gateway.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$GATEWAY_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# An operator, an agency and its admin, signed in.
echo "$PASSWORD" | MUSTER_IDENTITY_DATABASE_URL=$direct_url "$bin/identity" create-operator --email ops@bench.test >/dev/null
api="http://127.0.0.1:$GATEWAY_PORT/api/v1"
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
login() { curl -fsS "$api/auth/login" -H 'Content-Type: application/json' \
            -d "{\"agency\":\"$1\",\"email\":\"$2\",\"password\":\"$PASSWORD\"}" | json access_token; }
ops=$(login platform ops@bench.test)
curl -fsS "$api/platform/agencies" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d '{"slug":"bench-pd","name":"Bench PD","admin_email":"admin@bench.test","admin_name":"Bench Admin"}' >/dev/null
token=$(psql "postgresql://postgres@127.0.0.1:$PG_PORT/muster_identity" -qtAX -c "SELECT payload->'data'->>'token' FROM platform.outbox
          WHERE payload->>'template' = 'invitation' AND payload->'recipient'->>'address' = 'admin@bench.test'")
curl -fsS "$api/auth/invitations/accept" -H 'Content-Type: application/json' -d "{\"token\":\"$token\",\"password\":\"$PASSWORD\"}" >/dev/null
access=$(login bench-pd admin@bench.test)

cat >"$work/count.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("non_2xx %d errors %d p50_ms %.2f p99_ms %.2f\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
printf '%-8s %-8s %5s %10s %8s %8s %8s\n' path statements conns requests/s p50_ms p99_ms non_2xx
for mode in "direct $direct_url on named" "direct $direct_url off unnamed" "bouncer $bouncer_url off unnamed" "bouncer $bouncer_url on named"; do
  read -r path url prepared label <<<"$mode"
  start_identity "$url" "$prepared"
  curl -fsS "http://127.0.0.1:$IDENTITY_PORT/api/v1/me" -H "Authorization: Bearer $access" >/dev/null 2>&1 || true
  for c in $CONNECTIONS; do
    out=$(wrk -t2 -c"$c" -d"${DURATION}s" --latency -s "$work/count.lua" -H "Authorization: Bearer $access" \
            "http://127.0.0.1:$IDENTITY_PORT/api/v1/me")
    rate=$(awk '/Requests\/sec/ { print $2 }' <<<"$out")
    read -r _ non2xx _ _ _ p50 _ p99 <<<"$(grep '^non_2xx' <<<"$out")"
    printf '%-8s %-8s %5s %10s %8s %8s %8s\n' "$path" "$label" "$c" "$rate" "$p50" "$p99" "$non2xx"
  done
done
grep -c 'prepared statement' "$work/identity.log" | sed 's/^/identity log lines about prepared statements (named through PgBouncer): /'
