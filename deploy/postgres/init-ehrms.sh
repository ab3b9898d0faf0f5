#!/bin/sh
# Runs once, when the postgres container initialises an empty data directory. Creates the
# application's own role (not a superuser) and its database; EHRMS then migrates its schemas at
# start. Hardening the audit log afterwards is in docs/operations.md ("Audit log database role").
set -eu
psql -v ON_ERROR_STOP=1 --username postgres --dbname postgres \
  --set=pw="$EHRMS_DB_PASSWORD" <<'SQL'
CREATE ROLE ehrms LOGIN PASSWORD :'pw';
CREATE DATABASE ehrms OWNER ehrms;
SQL
psql -v ON_ERROR_STOP=1 --username postgres --dbname ehrms <<'SQL'
REVOKE ALL ON DATABASE ehrms FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE ehrms TO ehrms;
SQL
