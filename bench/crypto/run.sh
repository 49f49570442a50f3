#!/usr/bin/env bash
# Crypto benchmarks: TokenVerifier's Ed25519 rate on new tokens against
# `openssl speed ed25519` in the same run (goal: at least 0.9x), the cost of a
# cached token, scrypt N=2^17 hashes/s on a 2-thread BlockingPool, plus SHA-256
# chaining and AES-GCM rates. Usage: bench/crypto/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-3}

swift build -c release --product bench-crypto >/dev/null
openssl_verify=$(openssl speed -seconds "$seconds" ed25519 2>/dev/null | awk '/Ed25519/ { print $NF }')
results=$(.build/release/bench-crypto "$seconds")
echo "$results"
echo "openssl_speed_ed25519_verify $openssl_verify per_second"
swift_verify=$(awk '$1 == "token_verify_new" { print $2 }' <<<"$results")
awk -v s="$swift_verify" -v o="$openssl_verify" 'BEGIN { printf "token_verify_new_vs_openssl %.2f ratio (goal >= 0.90)\n", s / o }'
