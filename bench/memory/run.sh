#!/usr/bin/env bash
# Idle memory of each service: starts the whole platform with `make run`'s script,
# lets it settle, and prints each process's RSS, its private (anonymous) part and
# its PSS (shared library pages divided among the processes that map them).
# Goal (issue 2): idle RSS of each service under 40 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
log=$(mktemp)
deploy/dev/run.sh > "$log" 2>&1 &
runner=$!
trap 'kill -INT $runner 2>/dev/null; wait $runner 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 1 600); do grep -q "Muster is running" "$log" && break; sleep 1; done
grep -q "Muster is running" "$log" || { cat "$log"; exit 1; }
sleep "${SETTLE_SECONDS:-15}"
root=$(pwd)
printf "%-9s %10s %12s %10s\n" service "RSS (MB)" "private (MB)" "PSS (MB)"
for service in identity records audit notify gateway; do
  pid=$(pgrep -f "^$root/.build/release/$service serve" | head -n 1)
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  anon=$(awk '/^RssAnon:/ {print $2}' "/proc/$pid/status")
  pss=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup")
  awk -v s="$service" -v r="$rss" -v a="$anon" -v p="$pss" 'BEGIN { printf "%-9s %10.1f %12.1f %10.1f\n", s, r/1024, a/1024, p/1024 }'
done
