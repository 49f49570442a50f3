#!/usr/bin/env bash
# Identity benchmarks, in one run on one machine:
#
# 1. Logins per second through the Gateway (wrk, right password, scrypt at
#    today's fixed cost N=2^17, r=8, p=1, on Identity's 2-thread hashing pool)
#    against raw scrypt hashes per second on a 2-thread pool, measured by
#    bench/crypto in the same run. Goal: logins/s >= 0.85 x hashes/s.
# 2. Token verification in a service against `openssl speed ed25519`, and the
#    cost of a cached token: bench/crypto/run.sh measures the verifier; it is
#    reused here, not duplicated. Goal: >= 0.90 x OpenSSL on new tokens.
#
#   bench/identity/run.sh                       # 15 s of logins, 8 connections
#   DURATION=30 CONNECTIONS=16 bench/identity/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-8}
PG_PORT=${BENCH_PG_PORT:-55490}
IDENTITY_PORT=${BENCH_IDENTITY_PORT:-18581}
GATEWAY_PORT=${BENCH_GATEWAY_PORT:-18580}
PASSWORD='Bench harbour lanterns 2026!'
export PATH="/opt/swift/usr/bin:$PATH"

for product in identity gateway bench-crypto; do swift build -c release --product "$product" >/dev/null; done
bin="$(swift build -c release --show-bin-path)"

. bench/lib/cluster.sh
bench_cluster identity "$PG_PORT"
export MUSTER_IDENTITY_DATABASE_URL="postgresql://muster_identity:$MUSTER_IDENTITY_DB_PASSWORD@127.0.0.1:$PG_PORT/muster_identity"
export MUSTER_IDENTITY_PORT=$IDENTITY_PORT MUSTER_IDENTITY_URL=http://127.0.0.1:$IDENTITY_PORT
export MUSTER_GATEWAY_PORT=$GATEWAY_PORT MUSTER_GATEWAY_HOST=127.0.0.1 MUSTER_GATEWAY_ADMIN_PORT=${BENCH_GATEWAY_ADMIN_PORT:-18582}
export MUSTER_LOG_LEVEL=warning MUSTER_PASSWORD_HASH_THREADS=2 MUSTER_MAIL_DIR="$work/mail"

"$bin/identity" serve >"$work/identity.log" 2>&1 & pids+=($!)
"$bin/gateway" serve >"$work/gateway.log" 2>&1 & pids+=($!)
for url in "http://127.0.0.1:$IDENTITY_PORT/readyz" "http://127.0.0.1:$GATEWAY_PORT/healthz"; do
  for _ in $(seq 100); do curl -fsS "$url" >/dev/null 2>&1 && break; sleep 0.1; done
done

# An operator, an agency, and USERS people who sign in: one account per connection or
# more, since parallel attempts on one account from one address are counted (and
# throttled) before their passwords are checked, as they must be.
USERS=${USERS:-$((CONNECTIONS * 2))}
echo "$PASSWORD" | "$bin/identity" create-operator --email ops@bench.test >/dev/null
api="http://127.0.0.1:$GATEWAY_PORT/api/v1"
db="postgresql://postgres@127.0.0.1:$PG_PORT/muster_identity"
json() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
login() { curl -fsS "$api/auth/login" -H 'Content-Type: application/json' \
            -d "{\"agency\":\"$1\",\"email\":\"$2\",\"password\":\"$PASSWORD\"}" | json access_token; }
accept() {
  local token
  token=$(psql "$db" -qtAX -c "SELECT payload->'data'->>'token' FROM platform.outbox
                               WHERE payload->>'template' = 'invitation' AND payload->'recipient'->>'address' = '$1'")
  curl -fsS "$api/auth/invitations/accept" -H 'Content-Type: application/json' -d "{\"token\":\"$token\",\"password\":\"$PASSWORD\"}"
}
ops=$(login platform ops@bench.test)
curl -fsS "$api/platform/agencies" -H "Authorization: Bearer $ops" -H 'Content-Type: application/json' \
  -d '{"slug":"bench-pd","name":"Bench PD","admin_email":"admin@bench.test","admin_name":"Bench Admin"}' >/dev/null
accept admin@bench.test
admin_token=$(login bench-pd admin@bench.test)
bodies=""
for i in $(seq "$USERS"); do
  curl -fsS "$api/users" -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"officer$i@bench.test\",\"name\":\"Officer $i\",\"roles\":[\"officer\"]}" >/dev/null
  accept "officer$i@bench.test"
  bodies+="'{\"agency\":\"bench-pd\",\"email\":\"officer$i@bench.test\",\"password\":\"$PASSWORD\"}',"
done

cat >"$work/login.lua" <<LUA
local bodies = { $bodies }
local next = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  next = next + 1
  return wrk.format(nil, nil, nil, bodies[(next % #bodies) + 1])
end
done = function(summary, latency, requests) io.write(string.format("non_200 %d\n", summary.errors.status)) end
LUA
logins=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -s "$work/login.lua" "$api/auth/login")
echo "$logins" | sed 's/^/  /'
login_rate=$(awk '/Requests\/sec/ { print $2 }' <<<"$logins")
non_200=$(awk '$1 == "non_200" { print $2 }' <<<"$logins")

# Services idle again: the crypto bench (raw scrypt on 2 threads, token verification vs OpenSSL).
crypto=$(bench/crypto/run.sh 3)
echo "$crypto" | sed 's/^/  /'
scrypt_rate=$(awk '$1 == "scrypt_n17_hashes" { print $2 }' <<<"$crypto")

echo "logins_through_gateway $login_rate per_second (non-200 answers: $non_200)"
echo "raw_scrypt_n17_hashes $scrypt_rate per_second"
awk -v l="$login_rate" -v s="$scrypt_rate" 'BEGIN { printf "logins_vs_raw_scrypt %.2f ratio (goal >= 0.85)\n", l / s }'
awk '$1 == "token_verify_new_vs_openssl" || $1 ~ /cached/' <<<"$crypto"
