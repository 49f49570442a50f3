#!/usr/bin/env bash
# Runs a representative part of the test suite with every service connecting
# through a real PgBouncer (Debian's 1.18) in transaction mode, two server
# connections per database, named prepared statements off
# (MUSTER_DB_PREPARED_STATEMENTS=off): logins, sessions, MFA, tenant isolation,
# provisioning, the records workflow, roles, the audit trail and its outbox, mail,
# plus PgBouncerTests (no state leaks between transactions of different clients;
# named statements do collide on this PgBouncer). About 5 minutes.
#
#   deploy/postgres/pgbouncer-test.sh                  # the default selection
#   deploy/postgres/pgbouncer-test.sh '^RecordsTests\.'  # another --filter
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
export PATH="/opt/swift/usr/bin:$PATH"
command -v pgbouncer >/dev/null || {
  echo "installing: pgbouncer"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pgbouncer >/dev/null
}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

state="$root/.muster/pgbouncer-test"
export MUSTER_TEST_PGPORT=$(free_port) MUSTER_TEST_POOLER_PORT=$(free_port)
export MUSTER_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$MUSTER_TEST_PGPORT/postgres"
export MUSTER_DB_PREPARED_STATEMENTS=off
cleanup() {
  deploy/postgres/pgbouncer.sh stop "$state/bouncer" || true
  deploy/dev/postgres.sh stop "$state/pg" || true
  rm -rf "$state"
}
cleanup; trap cleanup EXIT
deploy/dev/postgres.sh start "$state/pg" "$MUSTER_TEST_PGPORT" trust
deploy/postgres/pgbouncer.sh start "$state/bouncer" "$MUSTER_TEST_POOLER_PORT" "$MUSTER_TEST_PGPORT" 2

filter=${1:-'^(DatabaseTests\.PgBouncerTests|IdentityTests\..*(SessionTests|MFATests|TenantIsolationTests|AgencyOnboardingTests)|RecordsTests\..*(WorkflowTests|RoleMatrixTests)|AuditTests\.(AuditTrailTests|OutboxRelayTests)|PlatformTests\.ProvisioningTests|NotifyTests\..*AdminRoutesTests)\b'}
swift build --build-tests
status=0
swift test --skip-build --filter "$filter" || status=$?
# What went through the pooler: transactions per service database (SHOW STATS).
echo "transactions through PgBouncer per database:"
psql "postgresql://postgres@127.0.0.1:$MUSTER_TEST_POOLER_PORT/pgbouncer" -qtAXF ' ' -c 'SHOW STATS' \
  | awk '$1 ~ /^muster_/ { split($1, name, "_t"); total[name[1]] += $2 } END { for (d in total) printf "  %-16s %d\n", d, total[d] }'
exit $status
