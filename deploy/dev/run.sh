#!/usr/bin/env bash
# `make run`: the whole platform on this machine, in one command.
#
# Installs missing packages, builds in release mode, starts a PostgreSQL under
# .muster/pg unless MUSTER_DATABASE_URL names a cluster (an admin URL), creates the
# service databases and roles, migrates, starts the five services (restarting any
# that dies, with backoff), waits until all are ready and prints the URL.
# Settings are written to .muster/env so admin subcommands can reuse them:
#   set -a; . .muster/env; set +a; .build/release/identity --help
# Ctrl-C or SIGTERM stops everything this script started. MUSTER_STATE names another
# state folder (benchmarks run a second platform beside yours: bench/routes).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
state="${MUSTER_STATE:-$root/.muster}"
mkdir -p "$state/logs" "$state/mail"

deploy/dev/install-deps.sh
# MUSTER_BIN: run the executables in that folder instead of building (a benchmark comparing two builds).
bin="${MUSTER_BIN:-$root/.build/release}"
if [ -z "${MUSTER_BIN:-}" ]; then
  echo "building (release)…"
  swift build -c release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" || true
fi
# The web app's served tree: the app's files fingerprinted, with the Debian libraries beside them.
web="${MUSTER_WEB_ROOT:-$root/.build/web}"
deploy/dev/build-web.py "$web" >/dev/null
for service in identity records audit notify gateway; do
  [ -x "$bin/$service" ] || { echo "build failed: $bin/$service is missing" >&2; exit 1; }
done

if [ ! -f "$state/secrets" ]; then
  (umask 077; deploy/dev/secrets.sh > "$state/secrets")
fi
set -a; . "$state/secrets"; set +a

# MUSTER_HTTPS=on: a self-signed certificate for local HTTPS at the Gateway (made once).
tls_lines=""
if [ "${MUSTER_HTTPS:-off}" = on ]; then
  mkdir -p "$state/tls"
  if [ ! -f "$state/tls/cert.pem" ]; then
    (umask 077; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj "/CN=localhost" \
       -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$state/tls/key.pem" -out "$state/tls/cert.pem" 2>/dev/null)
  fi
  tls_lines="MUSTER_TLS_CERT=$state/tls/cert.pem
MUSTER_TLS_KEY=$state/tls/key.pem
MUSTER_GATEWAY_TLS_PORT=${MUSTER_GATEWAY_TLS_PORT:-8443}"
fi

started_postgres=""
if [ -z "${MUSTER_DATABASE_URL:-}" ]; then
  pg_port=${MUSTER_PG_PORT:-55400}
  deploy/dev/postgres.sh start "$state/pg" "$pg_port" scram
  started_postgres=yes
  admin_url="postgresql://postgres@/postgres?host=$state/pg&port=$pg_port"
  db_host=127.0.0.1; db_port=$pg_port
else
  admin_url=$MUSTER_DATABASE_URL
  read -r db_host db_port < <(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(p.hostname or "127.0.0.1", p.port or 5432)' "$admin_url")
fi
deploy/postgres/prepare-cluster.sh "$admin_url"

{
  echo "# Written by make run on $(date -u +%FT%TZ). Source with: set -a; . .muster/env; set +a"
  cat "$state/secrets"
  for service in identity records audit notify; do
    var="MUSTER_${service^^}_DB_PASSWORD"
    echo "MUSTER_${service^^}_DATABASE_URL='postgresql://muster_$service:${!var}@$db_host:$db_port/muster_$service'"
  done
  for service in gateway identity records audit notify; do
    var="MUSTER_${service^^}_PORT"
    port=${!var:-}
    case $service in gateway) port=${port:-8080};; identity) port=${port:-8081};; records) port=${port:-8082};;
                     audit) port=${port:-8083};; notify) port=${port:-8084};; esac
    echo "MUSTER_${service^^}_PORT=$port"
    echo "MUSTER_${service^^}_URL=http://127.0.0.1:$port"
  done
  echo "MUSTER_GATEWAY_ADMIN_PORT=${MUSTER_GATEWAY_ADMIN_PORT:-9080}"
  echo "MUSTER_PUBLIC_URL=${MUSTER_PUBLIC_URL:-http://localhost:${MUSTER_GATEWAY_PORT:-8080}}"
  echo "MUSTER_MAIL_DIR=${MUSTER_MAIL_DIR:-$state/mail}"
  echo "MUSTER_WEB_ROOT=$web"
  [ -n "${MUSTER_SMTP_URL:-}" ] && echo "MUSTER_SMTP_URL=$MUSTER_SMTP_URL"
  [ -n "$tls_lines" ] && echo "$tls_lines"
  true
} > "$state/env.tmp"
chmod 600 "$state/env.tmp"; mv "$state/env.tmp" "$state/env"
set -a; . "$state/env"; set +a

for service in identity records audit notify; do
  "$bin/$service" migrate >> "$state/logs/$service.log" 2>&1 || {
    echo "$service: migration failed; see $state/logs/$service.log" >&2; tail -5 "$state/logs/$service.log" >&2; exit 1; }
done

stopping=""
supervisors=()
# Runs one service, restarting it with backoff (1 s doubling to 30 s) when it dies.
supervise() {
  local service=$1 delay=1 child=""
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while true; do
    local began=$SECONDS
    "$bin/$service" serve >> "$state/logs/$service.log" 2>&1 &
    child=$!
    local code=0; wait "$child" || code=$?
    child=""
    (( SECONDS - began > 60 )) && delay=1
    echo "muster: $service exited with status $code; restarting in ${delay}s (log: .muster/logs/$service.log)"
    sleep "$delay"
    delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
  done
}

shutdown() {
  [ -n "$stopping" ] && return
  stopping=yes
  echo; echo "muster: stopping…"
  for pid in "${supervisors[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${supervisors[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -n "$started_postgres" ] && deploy/dev/postgres.sh stop "$state/pg"
  echo "muster: stopped"
}
trap 'shutdown; exit 0' INT TERM

for service in identity records audit notify gateway; do
  supervise "$service" &
  supervisors+=($!)
done

echo "waiting for the services to be ready…"
for service in identity records audit notify gateway; do
  var="MUSTER_${service^^}_URL"; url=${!var}
  # The Gateway answers /readyz on its internal admin port only.
  [ "$service" = gateway ] && url="http://127.0.0.1:$MUSTER_GATEWAY_ADMIN_PORT"
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break
    sleep 0.2
  done
  curl -fsS -o /dev/null "$url/readyz" 2>/dev/null || echo "muster: $service is not ready yet (log: .muster/logs/$service.log)"
done

MUSTER_STATE="$state" MUSTER_BIN="$bin" python3 deploy/dev/demo.py || echo "muster: demo data could not be created (see above); the platform is running"

cat <<TXT

Muster is running: http://localhost:${MUSTER_GATEWAY_PORT}${MUSTER_TLS_CERT:+  (HTTPS: https://localhost:${MUSTER_GATEWAY_TLS_PORT}, self-signed: .muster/tls/cert.pem)}
  logs:     .muster/logs/<service>.log      mail: ${MUSTER_MAIL_DIR}
  metrics:  http://127.0.0.1:${MUSTER_GATEWAY_ADMIN_PORT}/metrics (the Gateway's admin port; each service's own port for the others)
  settings: .muster/env   (set -a; . .muster/env; set +a; .build/release/identity --help)
Press Ctrl-C to stop.
TXT
wait
