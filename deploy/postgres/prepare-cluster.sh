#!/usr/bin/env bash
# Prepares a shared PostgreSQL cluster for Muster: one database and one login
# role per service, least privilege. Idempotent: safe to run on every start.
#
#   MUSTER_IDENTITY_DB_PASSWORD=… MUSTER_RECORDS_DB_PASSWORD=… … \
#     deploy/postgres/prepare-cluster.sh 'postgresql://postgres@host:5432/postgres'
#
# MUSTER_DB_NAME_SUFFIX (optional) is appended to every role and database name, so
# several platforms (e.g. parallel test runs) can share one cluster.
#
# For each service S in identity records audit notify:
#   - role  muster_S  LOGIN, no superuser/createdb/createrole, password from MUSTER_S_DB_PASSWORD;
#   - database muster_S owned by muster_S;
#   - CONNECT revoked from PUBLIC, so no service can connect to another's database;
#   - CREATE on the public schema revoked from PUBLIC (PostgreSQL < 15 grants it).
set -euo pipefail

admin_url=${1:?usage: prepare-cluster.sh ADMIN_URL}
services=(identity records audit notify)

psql_admin() { psql "$admin_url" -v ON_ERROR_STOP=1 -qtA "$@"; }

for service in "${services[@]}"; do
  var="MUSTER_${service^^}_DB_PASSWORD"
  password=${!var:?"$var is required"}
  role="muster_${service}${MUSTER_DB_NAME_SUFFIX:-}"
  database="muster_${service}${MUSTER_DB_NAME_SUFFIX:-}"

  psql_admin -v role="$role" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'password') \gexec
SQL
  exists=$(psql_admin -v db="$database" -c "SELECT 1 FROM pg_database WHERE datname = '$database'")
  [ "$exists" = 1 ] || psql_admin -c "CREATE DATABASE \"$database\" OWNER \"$role\""
  psql_admin -c "REVOKE ALL ON DATABASE \"$database\" FROM PUBLIC" \
             -c "GRANT CONNECT, TEMPORARY ON DATABASE \"$database\" TO \"$role\""
  db_url=$(python3 - "$admin_url" "$database" <<'PY'
import sys, urllib.parse
url = urllib.parse.urlsplit(sys.argv[1])
print(urllib.parse.urlunsplit(url._replace(path="/" + sys.argv[2])))
PY
)
  psql "$db_url" -v ON_ERROR_STOP=1 -qtA \
    -c "REVOKE CREATE ON SCHEMA public FROM PUBLIC" \
    -c "ALTER SCHEMA public OWNER TO \"$role\""
done
