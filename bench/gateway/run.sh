#!/usr/bin/env bash
# Gateway benchmark: wrk to a service's small JSON route directly, through nginx
# (proxy_pass with upstream keep-alive) and through the Gateway, one run each;
# then the same for a route behind a user token (verified at the Gateway's edge
# and again by the service; nginx only passes it on).
#
#   bench/gateway/run.sh                        # 3 alternating rounds of wrk -t2 -c64 -d10s --latency
#   DURATION=5s ROUNDS=5 CONNECTIONS=128 bench/gateway/run.sh
#   EQUAL_WORK=1 bench/gateway/run.sh           # nginx also adds the Gateway's security headers and
#                                               # forwards a service credential of the same size
#   REAL_ROUTES=0 bench/gateway/run.sh          # skip the real routes (GET /api/v1/me, /.well-known/jwks.json
#                                               # on the platform make run starts, beside nginx: bench/routes)
#
# Goal: Gateway throughput >= 1.0x nginx's; its added latency (proxy minus
# direct) <= 1.5x nginx's at p50 and p99. All processes share this machine's
# cores, as in production on one host; numbers vary with other load.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-18700}
NGINX_PORT=${BENCH_NGINX_PORT:-18701}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18702}
ADMIN_PORT=${BENCH_GATEWAY_ADMIN_PORT:-18703}

export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product gateway >/dev/null
swift build -c release --product bench-gateway-upstream >/dev/null
bin="$(swift build -c release --show-bin-path)"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

BENCH_UPSTREAM_PORT=$UPSTREAM_PORT BENCH_TOKEN_FILE="$work/token" "$bin/bench-gateway-upstream" >"$work/upstream.log" 2>&1 &
pids+=($!)

mkdir -p "$work/logs"
# With EQUAL_WORK=1 nginx does the Gateway's fixed share of the job: the same response
# headers, X-Forwarded-Proto and a ~300-byte credential field for the service to read.
same_work=""
if [ "${EQUAL_WORK:-0}" = 1 ]; then
  credential=$(head -c 240 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')
  same_work="
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Muster-Service-Credential $credential;
      add_header X-Content-Type-Options nosniff always;
      add_header Referrer-Policy no-referrer always;
      add_header X-Frame-Options DENY always;
      add_header Content-Security-Policy \"default-src 'none'; frame-ancestors 'none'\" always;
      add_header Cache-Control no-store always;"
fi
cat >"$work/nginx.conf" <<NGINX
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
  upstream service { server 127.0.0.1:$UPSTREAM_PORT; keepalive 128; keepalive_requests 100000000; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://service;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$remote_addr;
      proxy_set_header X-Request-Id \$request_id;$same_work
    }
  }
}
NGINX
nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)

set -a
eval "$(deploy/dev/secrets.sh)"
set +a
MUSTER_GATEWAY_HOST=127.0.0.1 MUSTER_GATEWAY_PORT=$GATEWAY_PORT MUSTER_GATEWAY_ADMIN_PORT=$ADMIN_PORT MUSTER_RATE_LIMITS=off MUSTER_LOG_LEVEL=warning \
  MUSTER_IDENTITY_URL=http://127.0.0.1:$UPSTREAM_PORT MUSTER_RECORDS_URL=http://127.0.0.1:$UPSTREAM_PORT \
  MUSTER_AUDIT_URL=http://127.0.0.1:$UPSTREAM_PORT MUSTER_NOTIFY_URL=http://127.0.0.1:$UPSTREAM_PORT \
  "$bin/gateway" serve >"$work/gateway.log" 2>&1 &
pids+=($!)

wait_for() {
  for _ in $(seq 200); do
    curl -sf "$1" >/dev/null && return 0
    sleep 0.05
  done
  echo "no answer from $1" >&2
  exit 1
}
wait_for "http://127.0.0.1:$UPSTREAM_PORT/api/v1/auth/ping"
wait_for "http://127.0.0.1:$NGINX_PORT/api/v1/auth/ping"
wait_for "http://127.0.0.1:$ADMIN_PORT/readyz"
token=$(cat "$work/token")
auth="Authorization: Bearer $token"
for port in $UPSTREAM_PORT $NGINX_PORT $GATEWAY_PORT; do
  [ "$(curl -s -H "$auth" "http://127.0.0.1:$port/api/v1/records/ping")" = '{"status":"ok","service":"bench"}' ] \
    || { echo "unexpected answer on port $port" >&2; exit 1; }
done

# "requests/s p50_us p99_us" from wrk's --latency report.
measure() {
  local url=$1; shift
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s "$@" "$url" >/dev/null  # warm-up
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" | awk '
    function us(v) { if (v ~ /us$/) { sub(/us$/, "", v); return v } if (v ~ /ms$/) { sub(/ms$/, "", v); return v * 1000 }
                     if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000000 } return v }
    /^Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = us($2) } $1 == "99%" { p99 = us($2) }
    /Non-2xx/ { bad = $NF } END { if (bad) { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 } print rps, p50, p99 }'
}

# Alternating rounds, medians of each column: on 2 shared cores one run can be
# off by 20 % (other tenants, scheduling), which says nothing about the proxies.
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

report() {
  local name=$1 path=$2; shift 2
  local results="$work/$(echo "$path" | tr '/' '_')"
  for _ in $(seq "$ROUNDS"); do
    measure "http://127.0.0.1:$UPSTREAM_PORT$path" "$@" >>"$results.direct"
    measure "http://127.0.0.1:$NGINX_PORT$path" "$@" >>"$results.nginx"
    measure "http://127.0.0.1:$GATEWAY_PORT$path" "$@" >>"$results.gateway"
  done
  column() { cut -d' ' -f"$2" "$results.$1" | median; }
  local d_rps d_p50 d_p99 n_rps n_p50 n_p99 g_rps g_p50 g_p99
  d_rps=$(column direct 1); d_p50=$(column direct 2); d_p99=$(column direct 3)
  n_rps=$(column nginx 1); n_p50=$(column nginx 2); n_p99=$(column nginx 3)
  g_rps=$(column gateway 1); g_p50=$(column gateway 2); g_p99=$(column gateway 3)
  echo
  echo "$name: GET $path  (wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS alternating rounds$([ "${EQUAL_WORK:-0}" = 1 ] && echo "; nginx doing the same header work"))"
  echo "  rounds (requests/s): direct $(cut -d' ' -f1 "$results.direct" | tr '\n' ' ')| nginx $(cut -d' ' -f1 "$results.nginx" | tr '\n' ' ')| gateway $(cut -d' ' -f1 "$results.gateway" | tr '\n' ' ')"
  printf '  %-8s %12s %10s %10s\n' target "requests/s" "p50 (us)" "p99 (us)"
  printf '  %-8s %12.0f %10.0f %10.0f\n' direct "$d_rps" "$d_p50" "$d_p99"
  printf '  %-8s %12.0f %10.0f %10.0f\n' nginx "$n_rps" "$n_p50" "$n_p99"
  printf '  %-8s %12.0f %10.0f %10.0f\n' gateway "$g_rps" "$g_p50" "$g_p99"
  # Each round runs nginx and the Gateway back to back, so the ratio within a
  # round cancels most of the host's drift; their median is the steadier verdict.
  local paired
  paired=$(paste -d' ' <(cut -d' ' -f1 "$results.gateway") <(cut -d' ' -f1 "$results.nginx") \
    | awk '{ printf "%.3f\n", $1 / $2 }' | sort -n | tr '\n' ' ')
  awk -v g="$g_rps" -v n="$n_rps" -v d50="$d_p50" -v d99="$d_p99" -v n50="$n_p50" -v n99="$n_p99" -v g50="$g_p50" -v g99="$g_p99" \
      -v paired="$paired" 'BEGIN {
    a50n = n50 - d50; a99n = n99 - d99; a50g = g50 - d50; a99g = g99 - d99
    printf "  throughput %.2fx nginx (goal >= 1.00)\n", g / n
    count = split(paired, ratios, " ")
    printf "  throughput per round, gateway / nginx: %s-> median %.2fx\n", paired, ratios[int((count + 1) / 2)]
    added("p50", a50g, a50n, g50, n50)
    added("p99", a99g, a99n, g99, n99)
  }
  # A proxy adds latency; when nginx seems to add none, the direct runs were the
  # noisier ones and the ratio means nothing: the proxies are compared whole instead.
  function added(name, gateway, nginx, gateway_total, nginx_total) {
    if (nginx > 0) {
      printf "  added latency %s: gateway %.0f us, nginx %.0f us -> %.2fx (goal <= 1.50)\n", name, gateway, nginx, gateway / nginx
    } else {
      printf "  added latency %s: gateway %.0f us, nginx %.0f us -> not measurable this run; %s through the proxies: gateway %.0f us, nginx %.0f us -> %.2fx\n", \
        name, gateway, nginx, name, gateway_total, nginx_total, gateway_total / nginx_total
    }
  }'
}

report "open route" /api/v1/auth/ping
report "authenticated route" /api/v1/records/ping -H "$auth"

# The real routes, on the real platform, beside nginx proxying the same service.
if [ "${REAL_ROUTES:-1}" = 1 ]; then
  cleanup
  trap - EXIT
  echo
  ROUTES=me,jwks NGINX_ROUTES=me,jwks DURATION="${DURATION%s}" bench/routes/run.sh
fi
