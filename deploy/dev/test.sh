#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL, every Swift Testing suite, then cleanup.
#
# Suites run in groups, one `swift test` process each: the unit and socket-level
# suites together, then each group that starts whole platforms of real service
# processes on its own, so that timing-sensitive socket tests never share two
# cores with a dozen scrypt-hashing platforms. `make test ARGS='--filter X'` runs
# only what matches, in one process.
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/dev/install-deps.sh

root=$(pwd)
export MUSTER_TEST_PGDATA="$root/.muster/test-pg"
# A free port unless one is given, so a run never collides with another cluster.
export MUSTER_TEST_PGPORT=${MUSTER_TEST_PGPORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
export MUSTER_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$MUSTER_TEST_PGPORT/postgres"

deploy/dev/postgres.sh stop "$MUSTER_TEST_PGDATA" || true
rm -rf "$MUSTER_TEST_PGDATA"
cleanup() { deploy/dev/postgres.sh stop "$MUSTER_TEST_PGDATA"; rm -rf "$MUSTER_TEST_PGDATA"; }
trap cleanup EXIT
deploy/dev/postgres.sh start "$MUSTER_TEST_PGDATA" "$MUSTER_TEST_PGPORT" trust

swift build --build-tests

# The browser suite (Tests/web): Python Selenium driving headless Chromium against a platform
# it starts with the debug build. `make test ARGS=web` runs only it.
browser_tests() { python3 Tests/web/test_web.py; }
if [ "${1:-}" = web ]; then browser_tests; exit; fi
if [ $# -gt 0 ]; then
  swift test --skip-build "$@"
  exit
fi

groups=(
  '^(CoreTests|HTTPTests|CryptoTests|HTTPClientTests|DatabaseTests)\.'
  '^PlatformTests\.'
  '^GatewayTests\.'
  '^IdentityTests\.'
  '^AuditTests\.'
  '^NotifyTests\.'
  '^RecordsTests\.'
)
total=0; failed=0; status=0
log=$(mktemp); trap 'cleanup; rm -f "$log"' EXIT
for group in "${groups[@]}"; do
  echo "=== swift test --filter '$group'"
  if swift test --skip-build --filter "$group" 2>&1 | tee "$log"; then :; else status=1; fi
  # Swift Testing's closing line: "Test run with N tests in M suites passed|failed …".
  ran=$(grep -aoE 'Test run with [0-9]+ tests? ' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
  broke=$(grep -aE '^✘ Test .* failed after' "$log" | grep -acv 'Test run with' || true)
  total=$(( total + ran )); failed=$(( failed + broke ))
  [ "$ran" -gt 0 ] || { echo "no tests ran for $group"; status=1; }
done
# Python unittest suites: "Ran N tests", then "OK" or "FAILED (failures=F, errors=E)".
unittest_suite() {
  local name=$1; shift
  echo "=== $name"
  if "$@" 2>&1 | tee "$log"; then :; else status=1; fi
  ran=$(grep -aoE '^Ran [0-9]+ tests?' "$log" | grep -oE '[0-9]+' || echo 0)
  # `|| true`: with no FAILED line grep matches nothing, and pipefail under `set -e` would end the script there.
  broke=$(grep -aE '^FAILED \(' "$log" | grep -oE '[0-9]+' | awk '{ sum += $1 } END { print sum + 0 }' || true)
  total=$(( total + ran )); failed=$(( failed + ${broke:-0} ))
  [ "$ran" -gt 0 ] || { echo "no tests ran for $name"; status=1; }
}
unittest_suite "deployment artefacts (deploy/dev/test-deploy.sh)" deploy/dev/test-deploy.sh
unittest_suite "browser tests (Tests/web)" browser_tests

echo
echo "tests: $(( total - failed )) passed, $failed failed"
exit $status
