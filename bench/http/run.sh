#!/usr/bin/env bash
# HTTP server benchmark: Muster's HTTPServer (release build) against nginx, both
# serving the same small JSON body over keep-alive, measured by wrk in one run.
# The Swift server answers it twice: /json is a fixed route (`Router.fixed`, answered
# on the loop like nginx's `return`), /json-async a handler run in a task (what
# every service route pays on top: the hand-over to the handler's task and back).
#
#   bench/http/run.sh                 # 3 alternating rounds of wrk -t2 -c64 -d10s --latency
#   DURATION=5s CONNECTIONS=128 bench/http/run.sh
#
# Goal: Swift requests/s >= 1.0x nginx's, with p99 latency <= 1.5x nginx's.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
NGINX_PORT=${BENCH_NGINX_PORT:-18480}
SWIFT_PORT=${BENCH_SWIFT_PORT:-18481}
BODY='{"status":"ok","service":"bench"}'

export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product bench-http >/dev/null
binary="$(swift build -c release --show-bin-path)/bench-http"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/logs"
cat >"$work/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_timeout 65;
  keepalive_requests 100000000;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location = /json {
      default_type application/json;
      return 200 '$BODY';
    }
  }
}
EOF
nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)
BENCH_HTTP_PORT=$SWIFT_PORT "$binary" >"$work/swift.log" 2>&1 &
pids+=($!)

wait_for() {
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$1/json" >/dev/null && return 0
    sleep 0.05
  done
  echo "server on port $1 did not start" >&2
  exit 1
}
wait_for "$NGINX_PORT"
wait_for "$SWIFT_PORT"
for path in /json /json-async; do
  [ "$(curl -s "http://127.0.0.1:$SWIFT_PORT$path")" = "$BODY" ] || { echo "unexpected Swift body at $path" >&2; exit 1; }
done

# Requests/s and p99 (in microseconds) from wrk's --latency report.
measure() {
  local url="http://127.0.0.1:$1$2" report
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$url" >/dev/null  # warm-up
  report=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$report")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); print v} else if (v ~ /ms$/) {sub(/ms$/,"",v); print v*1000} else if (v ~ /s$/) {sub(/s$/,"",v); print v*1000000}}' <<<"$report")
  echo "$rps $p99"
}

# Alternating rounds, medians: on 2 shared cores one run of either side can be
# off by 20 % (other tenants, scheduling), which says nothing about the servers.
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
for round in $(seq "$ROUNDS"); do
  measure "$NGINX_PORT" /json >>"$work/nginx.txt"
  measure "$SWIFT_PORT" /json >>"$work/swift.txt"
  measure "$SWIFT_PORT" /json-async >>"$work/async.txt"
done
column() { cut -d' ' -f"$2" "$work/$1.txt" | median; }
rounds() { cut -d' ' -f1 "$work/$1.txt" | tr '\n' ' '; }

echo "rounds (requests/s): nginx $(rounds nginx)| swift fixed $(rounds swift)| swift async $(rounds async)"
printf '%-22s %14s %12s %12s %10s   (median of %s rounds)\n' server "requests/s" "p99 (us)" "throughput" "p99" "$ROUNDS"
row() {
  awk -v name="$1" -v s="$(column "$2" 1)" -v p="$(column "$2" 2)" -v n="$(column nginx 1)" -v np="$(column nginx 2)" \
    'BEGIN { printf "%-22s %14.0f %12.0f %11.2fx %9.2fx\n", name, s, p, s / n, p / np }'
}
row nginx nginx
row "swift /json (fixed)" swift
row "swift /json-async" async
echo "goal: throughput >= 1.00x nginx, p99 <= 1.50x nginx"
