#!/usr/bin/env bash
# Notify benchmark, both sides in one run on one machine, into the same local SMTP
# sink (Debian's python3-aiosmtpd, storing each message, the test fixture):
#
# 1. One Notify process (release build, 8 SMTP connections, the default): MESSAGES messages
#    handed over as Identity's outbox relay would (batches of 100 to
#    POST /internal/messages), timed from the first batch until the sink has the
#    last one: stored, queued, claimed, rendered, sent, recorded and audited.
#    Audit events go to a stub that acknowledges them (bench/notify/audit_stub.py).
# 2. Python's smtplib sending the same messages (the .eml files the sink stored
#    in step 1) over one reused connection.
#
# Goal: Notify's messages/s >= 1.0 x smtplib's (medians of ROUNDS alternating rounds,
# after WARMUP rounds that are not counted).
#
#   bench/notify/run.sh                   # 2 warm-up and 3 measured rounds of 2000 messages each
#   MESSAGES=5000 CONNECTIONS=16 bench/notify/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
MESSAGES=${MESSAGES:-2000}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-2}
CONNECTIONS=${CONNECTIONS:-8}
PG_PORT=${BENCH_PG_PORT:-55491}
NOTIFY_PORT=${BENCH_NOTIFY_PORT:-18584}
export PATH="/opt/swift/usr/bin:$PATH"

for product in notify bench-notify; do swift build -c release --product "$product" >/dev/null; done
bin="$(swift build -c release --show-bin-path)"

work=$(mktemp -d)
# Under the project: the `postgres` user cannot enter root's private temp folders.
pgdata="$root/.muster/bench-notify-pg"
pids=()
cleanup() {
  local status=$?
  if [ "$status" != 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "--- $log"; tail -20 "$log"; }; done >&2
  fi
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  deploy/dev/postgres.sh stop "$pgdata" >/dev/null 2>&1 || true
  rm -rf "$work" "$pgdata"
}
trap cleanup EXIT

rm -rf "$pgdata"
deploy/dev/postgres.sh start "$pgdata" "$PG_PORT" trust >/dev/null
set -a
eval "$(deploy/dev/secrets.sh)"
set +a
deploy/postgres/prepare-cluster.sh "postgresql://postgres@127.0.0.1:$PG_PORT/postgres" >/dev/null

# A sink storing into folder $1, on a free port (set in $sink_port). It stops when its
# stdin closes: a fifo this script holds open until it exits.
start_sink() {
  mkdir -p "$1"; mkfifo "$1.stdin"
  /usr/bin/python3 Tests/NotifyTests/Fixtures/smtp_server.py --store "$1" <"$1.stdin" >"$1.port" 2>"$1.log" & pids+=($!)
  exec {hold}>"$1.stdin"
  for _ in $(seq 100); do [ -s "$1.port" ] && break; sleep 0.05; done
  sink_port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["port"])' "$1.port")
}

start_sink "$work/notify-sink"
notify_sink=$sink_port
AUDIT_PORT=${BENCH_AUDIT_PORT:-18583}
/usr/bin/python3 bench/notify/audit_stub.py "$AUDIT_PORT" >"$work/audit-stub.log" 2>&1 & pids+=($!)
export MUSTER_AUDIT_URL=http://127.0.0.1:$AUDIT_PORT
export MUSTER_NOTIFY_DATABASE_URL="postgresql://muster_notify:$MUSTER_NOTIFY_DB_PASSWORD@127.0.0.1:$PG_PORT/muster_notify"
export MUSTER_NOTIFY_PORT=$NOTIFY_PORT MUSTER_NOTIFY_URL=http://127.0.0.1:$NOTIFY_PORT
export MUSTER_SMTP_URL="smtp://127.0.0.1:$notify_sink" MUSTER_SMTP_CONNECTIONS=$CONNECTIONS
export MUSTER_MAIL_FROM="Muster <no-reply@bench.example>" MUSTER_LOG_LEVEL=warning
"$bin/notify" serve >"$work/notify.log" 2>&1 & pids+=($!)
for _ in $(seq 100); do curl -fsS "http://127.0.0.1:$NOTIFY_PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done

start_sink "$work/baseline-sink"
baseline_sink=$sink_port

# Rounds alternate between the two, so that the load others put on a shared machine
# falls on both alike; the medians are compared. The first WARMUP rounds (database
# connections and statement plans, the sinks' first files) are shown but not counted.
results=()
for round in $(seq $((WARMUP + ROUNDS))); do
  label="round $((round - WARMUP))"; [ "$round" -le "$WARMUP" ] && label="warm-up"
  notify_result=$("$bin/bench-notify" "http://127.0.0.1:$NOTIFY_PORT" "$work/notify-sink" "$MESSAGES" 2>"$work/bench-notify.log")
  echo "$label  Notify ($CONNECTIONS connections):  $notify_result"
  baseline_result=$(/usr/bin/python3 bench/notify/smtplib_baseline.py "$baseline_sink" "$work/notify-sink" $(( (round - 1) * MESSAGES )) "$MESSAGES")
  echo "$label  smtplib (one connection):  $baseline_result"
  [ "$round" -gt "$WARMUP" ] && results+=("$notify_result" "$baseline_result")
done

python3 - "${results[@]}" <<'PY'
import json, statistics, sys
runs = [json.loads(text) for text in sys.argv[1:]]
notify = statistics.median(run["per_second"] for run in runs[0::2])
baseline = statistics.median(run["per_second"] for run in runs[1::2])
print(f"== median: Notify {notify:.0f} msg/s vs smtplib {baseline:.0f} msg/s: {notify / baseline:.2f}x (goal >= 1.0x)")
PY
