#!/usr/bin/env bash
# `make test`: a throwaway PostgreSQL, the whole Swift Testing suite, then cleanup.
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/dev/install-deps.sh

root=$(pwd)
export MUSTER_TEST_PGDATA="$root/.muster/test-pg"
export MUSTER_TEST_PGPORT=${MUSTER_TEST_PGPORT:-55432}
export MUSTER_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$MUSTER_TEST_PGPORT/postgres"

deploy/dev/postgres.sh stop "$MUSTER_TEST_PGDATA" || true
rm -rf "$MUSTER_TEST_PGDATA"
cleanup() { deploy/dev/postgres.sh stop "$MUSTER_TEST_PGDATA"; rm -rf "$MUSTER_TEST_PGDATA"; }
trap cleanup EXIT
deploy/dev/postgres.sh start "$MUSTER_TEST_PGDATA" "$MUSTER_TEST_PGPORT" trust

swift build --build-tests
swift test --skip-build "$@"
