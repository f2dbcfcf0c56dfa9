#!/usr/bin/env bash
# Starts the staging primary (docker/primary.Dockerfile) as `postgres`. On an empty data
# volume: initdb with data checksums, WAL archiving to pgBackRest, a `migsafe` role that
# owns the `app` database, passwords read from the secret files. Then, while the server
# runs, creates the pgBackRest stanza (idempotent) and marks the container healthy by
# writing /tmp/stanza-ready (the healthcheck in docker/compose.staging.yaml).
# Environment: PGDATA, PGBACKREST_STANZA (default staging), POSTGRES_PASSWORD_FILE,
# MIGSAFE_PASSWORD_FILE; for a run outside the image (tests/docker/test_staging_primary.py):
# PGBACKREST_CONFIG (read by pgbackrest itself), PRIMARY_SOCKET_DIR (/var/run/postgresql),
# PRIMARY_LISTEN ('*'), PGPORT (5432), PRIMARY_READY_FILE (/tmp/stanza-ready).
# No password is ever printed or passed in an argument.
set -euo pipefail

stanza=${PGBACKREST_STANZA:-staging}
socket_dir=${PRIMARY_SOCKET_DIR:-/var/run/postgresql}
listen=${PRIMARY_LISTEN:-*}
port=${PGPORT:-5432}
ready=${PRIMARY_READY_FILE:-/tmp/stanza-ready}
: "${PGDATA:?PGDATA is not set}"

read_secret() {
    local name=$1 file=${!1:-}
    if [[ -z $file || ! -s $file ]]; then
        echo "primary-start: $name must name a non-empty secret file" >&2
        exit 2
    fi
}

if [[ ! -s $PGDATA/PG_VERSION ]]; then
    read_secret POSTGRES_PASSWORD_FILE
    read_secret MIGSAFE_PASSWORD_FILE
    initdb -D "$PGDATA" -U postgres --data-checksums --auth-local=peer \
        --auth-host=scram-sha-256 --pwfile="$POSTGRES_PASSWORD_FILE" >/dev/null
    cat >>"$PGDATA/postgresql.conf" <<CONF
# docker/primary-start.sh
listen_addresses = '$listen'
port = $port
unix_socket_directories = '$socket_dir'
wal_level = replica
max_wal_senders = 4
archive_mode = on
archive_command = 'pgbackrest --stanza=$stanza archive-push %p'
archive_timeout = 60
CONF
    cat >>"$PGDATA/pg_hba.conf" <<HBA
# docker/primary-start.sh: the compose network, passwords only
host    all             all             0.0.0.0/0               scram-sha-256
host    replication     migsafe         0.0.0.0/0               scram-sha-256
HBA
    # The roles, on a socket-only server. psql reads the password from the file itself
    # (\set with a backquoted cat), so it is in no argument and not in the server log.
    pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c archive_mode=off" start >/dev/null
    export MIGSAFE_PASSWORD_FILE
    psql -X -q -v ON_ERROR_STOP=1 -h "$socket_dir" -p "$port" -d postgres <<'SQL'
\set pw `cat "$MIGSAFE_PASSWORD_FILE"`
SET log_statement = 'none';
CREATE ROLE migsafe LOGIN REPLICATION PASSWORD :'pw';
GRANT pg_read_all_data, pg_read_all_settings, pg_read_all_stats, pg_monitor, pg_checkpoint
    TO migsafe;
CREATE DATABASE app OWNER migsafe;
SQL
    pg_ctl -D "$PGDATA" -w -m fast stop >/dev/null
fi

# The stanza, once the server accepts connections (pgbackrest stanza-create is idempotent).
rm -f "$ready"
(
    until pg_isready -q -h "$socket_dir" -p "$port"; do sleep 1; done
    if pgbackrest --stanza="$stanza" stanza-create && pgbackrest --stanza="$stanza" check; then
        touch "$ready"
    else
        echo "primary-start: pgbackrest stanza-create or check failed" >&2
    fi
) &

exec postgres -D "$PGDATA"
