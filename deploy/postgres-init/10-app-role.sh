#!/bin/sh
# Run once by the postgres image when it initialises an empty data volume (docker-compose.yml mounts this folder on
# /docker-entrypoint-initdb.d). Creates the application role: it logs in, owns nothing, and gets its rights from
# `manage.py setup_db_roles` (the compose service `migrate`), which leaves it only SELECT and INSERT on the audit
# tables. The owner role is POSTGRES_USER (credit): it owns the database and runs the migrations.
# An existing volume is not initialised again: create the role by hand once (README, "数据库角色").
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="${APP_DB_PASSWORD:?set APP_DB_PASSWORD}" <<'SQL'
CREATE ROLE credit_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
SQL
