#!/usr/bin/env bash
# Requests/s of MusterHTTPClient against nginx on loopback (small response,
# 16 requests in flight), next to `wrk -c16` against the same nginx.
# Usage: bench/httpclient/run.sh [seconds=5] [in-flight=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-5}
inflight=${2:-16}

swift build -c release --product httpclient-bench
bench=$(swift build -c release --show-bin-path)/httpclient-bench

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir;
    keepalive_requests 10000000;
    server {
        listen 127.0.0.1:$port;
        location / { return 200 "ok\n"; }
    }
}
CONF
nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
cleanup() { kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.1; done

echo "nginx (1 worker) on 127.0.0.1:$port, $inflight in flight, ${seconds}s each"
echo -n "MusterHTTPClient: "
"$bench" "http://127.0.0.1:$port/" "$inflight" "$seconds"
echo -n "wrk -t1 -c$inflight:  "
wrk -t1 -c"$inflight" -d"${seconds}s" "http://127.0.0.1:$port/" | awk '/Requests\/sec/ { print $2 " req/s" }'
