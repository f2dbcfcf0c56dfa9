#!/usr/bin/env bash
# The entrypoint of migsafe's runtime image (docker/runtime.Dockerfile), used by the compose
# file (docker/compose.staging.yaml) and the Kubernetes manifests (docker/k8s/):
#
#   migrate     migsafe check, then migsafe apply --phase expand (the pre-rollout gate);
#               with MIGSAFE_SNAPSHOT_BEFORE_MIGRATE=1, a snapshot first (a fresh one reused)
#   snapshot    migsafe snapshot create with the engine of MIGSAFE_ENGINE
#   drill       migsafe drill, only when the last passing drill is older than MIGSAFE_DRILL_EVERY
#   anything else is passed to migsafe as it is (`migsafe-entrypoint plan --help`).
#
# Configuration is read from the environment (docker/README.md has the table):
#   DATABASE_URL (or DATABASE_URL_FILE, a file holding it: a Docker or Kubernetes secret)
#   MIGSAFE_DIR, MIGSAFE_STORE, MIGSAFE_ENGINE, MIGSAFE_PGBACKREST_STANZA,
#   MIGSAFE_PGBACKREST_CONFIG, MIGSAFE_PGBACKREST_USER, MIGSAFE_BACKUP_TYPE,
#   MIGSAFE_SNAPSHOT_IF_OLDER_THAN, MIGSAFE_JOBS, MIGSAFE_MAX_SNAPSHOT_AGE,
#   MIGSAFE_MAX_DRILL_AGE, MIGSAFE_APPLY_SNAPSHOT, MIGSAFE_SNAPSHOT_BEFORE_MIGRATE,
#   MIGSAFE_DRILL_EVERY, MIGSAFE_DRILL_JSON,
#   MIGSAFE_BIN (the migsafe program; default: migsafe in PATH).
#
# The connection string never appears in this script's output nor in any argv: migsafe
# reads DATABASE_URL from its environment. A missing variable exits 2 naming it; migsafe's
# own exit code is passed on (0 pass, 1 verdict fail, 2 usage, 3 environment, ...;
# docs/cli.md), SIGTERM and SIGINT are forwarded to it (this script is PID 1 in a container).
set -u

me="migsafe-entrypoint"

usage() {
    cat >&2 <<'EOF'
usage: entrypoint.sh migrate [APPLY-OPTION...]
       entrypoint.sh snapshot [CREATE-OPTION...]
       entrypoint.sh drill [DRILL-OPTION...]
       entrypoint.sh MIGSAFE-SUBCOMMAND [ARG...]   (passed to migsafe as it is)
The environment variables are described in docker/README.md.
EOF
}

fail_usage() {
    echo "$me: $*" >&2
    exit 2
}

# require NAME WHAT: NAME must be set and not empty.
require() {
    if [ -z "${!1:-}" ]; then
        fail_usage "$1 is not set: $2"
    fi
}

# DATABASE_URL from the environment, else from the file named by DATABASE_URL_FILE.
load_database_url() {
    if [ -z "${DATABASE_URL:-}" ] && [ -n "${DATABASE_URL_FILE:-}" ]; then
        if [ ! -r "$DATABASE_URL_FILE" ]; then
            fail_usage "DATABASE_URL_FILE names $DATABASE_URL_FILE, which cannot be read"
        fi
        DATABASE_URL=$(cat "$DATABASE_URL_FILE")
        if [ -z "$DATABASE_URL" ]; then
            fail_usage "DATABASE_URL_FILE names $DATABASE_URL_FILE, which is empty"
        fi
        export DATABASE_URL
    fi
    require DATABASE_URL "the connection string of the database (a libpq URL or conninfo; or DATABASE_URL_FILE, a file holding it)"
}

migsafe=${MIGSAFE_BIN:-migsafe}
if ! command -v "$migsafe" >/dev/null 2>&1; then
    echo "$me: the migsafe program ($migsafe) was not found: set MIGSAFE_BIN or PATH" >&2
    exit 3
fi

# The arguments as one line for the log, with anything that may hold a password hidden:
# the value after --db or --target, a URL with user information, a conninfo's password.
shown() {
    local line="migsafe" hide=0 arg
    for arg in "$@"; do
        if [ "$hide" -eq 1 ]; then
            arg="<hidden>"
            hide=0
        else
            case "$arg" in
            --db | --target | --schema-from) hide=1 ;;
            *://*@* | *password=* | --db=* | --target=* | --schema-from=*) arg="<hidden>" ;;
            esac
        fi
        line="$line $arg"
    done
    printf '%s\n' "$line"
}

# Runs migsafe with ARGS in the background, forwarding SIGTERM and SIGINT to it, and returns
# its exit status. Logs the command first, without anything that may hold a password.
child=
run_migsafe() {
    echo "$me: $(shown "$@")" >&2
    "$migsafe" "$@" &
    child=$!
    local status
    while :; do
        wait "$child"
        status=$?
        # wait returns early (> 128) when a trapped signal arrives; the child is still
        # running then, and its own status is what counts.
        if [ "$status" -gt 128 ] && kill -0 "$child" 2>/dev/null; then
            continue
        fi
        break
    done
    child=
    return "$status"
}
# shellcheck disable=SC2317 # called by the traps below
forward() {
    if [ -n "$child" ]; then
        kill "-$1" "$child" 2>/dev/null
    fi
}
trap 'forward TERM' TERM
trap 'forward INT' INT

cmd_migrate() {
    load_database_url
    require MIGSAFE_DIR "the migration directory (e.g. /migrations)"
    local check=(check --dir "$MIGSAFE_DIR" --phase expand)
    local apply=(apply --dir "$MIGSAFE_DIR" --phase expand)
    if [ -n "${MIGSAFE_STORE:-}" ]; then
        check+=(--store "$MIGSAFE_STORE")
        apply+=(--store "$MIGSAFE_STORE")
        case "${MIGSAFE_APPLY_SNAPSHOT:-0}" in
        1 | true | yes) apply+=(--snapshot) ;;
        0 | false | no | "") ;;
        *) fail_usage "MIGSAFE_APPLY_SNAPSHOT is '${MIGSAFE_APPLY_SNAPSHOT}': use 1 or 0" ;;
        esac
    fi
    if [ -n "${MIGSAFE_MAX_SNAPSHOT_AGE:-}" ]; then
        check+=(--max-snapshot-age "$MIGSAFE_MAX_SNAPSHOT_AGE")
        apply+=(--max-snapshot-age "$MIGSAFE_MAX_SNAPSHOT_AGE")
    fi
    if [ -n "${MIGSAFE_MAX_DRILL_AGE:-}" ]; then
        check+=(--max-drill-age "$MIGSAFE_MAX_DRILL_AGE")
    fi
    local status
    # With a store, check wants a verified snapshot younger than the maximum age before
    # it lets pending migrations run: take one first when asked (a fresh one is reused).
    case "${MIGSAFE_SNAPSHOT_BEFORE_MIGRATE:-0}" in
    1 | true | yes)
        create_args
        create+=(--if-older-than "${MIGSAFE_SNAPSHOT_IF_OLDER_THAN:-${MIGSAFE_MAX_SNAPSHOT_AGE:-24h}}")
        run_migsafe "${create[@]}"
        status=$?
        if [ "$status" -ne 0 ]; then
            echo "$me: migsafe snapshot create exited $status: nothing checked nor applied" >&2
            exit "$status"
        fi
        ;;
    0 | false | no | "") ;;
    *) fail_usage "MIGSAFE_SNAPSHOT_BEFORE_MIGRATE is '${MIGSAFE_SNAPSHOT_BEFORE_MIGRATE}': use 1 or 0" ;;
    esac
    run_migsafe "${check[@]}"
    status=$?
    if [ "$status" -ne 0 ]; then
        echo "$me: migsafe check exited $status: nothing applied" >&2
        exit "$status"
    fi
    run_migsafe "${apply[@]}" "$@"
    exit $?
}

# Fills the array `create` with `snapshot create` and its options from the environment.
create_args() {
    require MIGSAFE_STORE "the snapshot store (a directory, e.g. /var/lib/migsafe/store)"
    local engine=${MIGSAFE_ENGINE:-pg_dump}
    create=(snapshot create --store "$MIGSAFE_STORE")
    case "$engine" in
    pg_dump) ;; # migsafe's default engine: no flag, so any migsafe version runs it
    basebackup) create+=(--engine basebackup) ;;
    pgbackrest)
        require MIGSAFE_PGBACKREST_STANZA "the pgBackRest stanza (MIGSAFE_ENGINE is pgbackrest)"
        create+=(--engine pgbackrest --pgbackrest-stanza "$MIGSAFE_PGBACKREST_STANZA")
        if [ -n "${MIGSAFE_PGBACKREST_CONFIG:-}" ]; then
            create+=(--pgbackrest-config "$MIGSAFE_PGBACKREST_CONFIG")
        fi
        if [ -n "${MIGSAFE_PGBACKREST_USER:-}" ]; then
            create+=(--pgbackrest-user "$MIGSAFE_PGBACKREST_USER")
        fi
        if [ -n "${MIGSAFE_BACKUP_TYPE:-}" ]; then
            create+=(--backup-type "$MIGSAFE_BACKUP_TYPE")
        fi
        ;;
    *) fail_usage "MIGSAFE_ENGINE is '$engine': use pg_dump, basebackup or pgbackrest" ;;
    esac
    if [ -n "${MIGSAFE_JOBS:-}" ] && [ "$engine" = pg_dump ]; then
        create+=(--jobs "$MIGSAFE_JOBS")
    fi
}

cmd_snapshot() {
    load_database_url
    create_args
    if [ -n "${MIGSAFE_SNAPSHOT_IF_OLDER_THAN:-}" ]; then
        create+=(--if-older-than "$MIGSAFE_SNAPSHOT_IF_OLDER_THAN")
    fi
    run_migsafe "${create[@]}" "$@"
    exit $?
}

cmd_drill() {
    # A drill reads only the store (and pgBackRest's repository): no DATABASE_URL.
    require MIGSAFE_STORE "the snapshot store (a directory, e.g. /var/lib/migsafe/store)"
    local drill=(drill --store "$MIGSAFE_STORE")
    # Unset: 90d, the runbook's quarterly drill; set and empty: drill every time.
    local every=${MIGSAFE_DRILL_EVERY-90d}
    if [ -n "$every" ]; then
        drill+=(--if-older-than "$every")
    fi
    if [ -n "${MIGSAFE_PGBACKREST_USER:-}" ]; then
        drill+=(--pgbackrest-user "$MIGSAFE_PGBACKREST_USER")
    fi
    if [ -n "${MIGSAFE_JOBS:-}" ]; then
        drill+=(--jobs "$MIGSAFE_JOBS")
    fi
    if [ -z "${MIGSAFE_DRILL_JSON:-}" ]; then
        run_migsafe "${drill[@]}" "$@"
        exit $?
    fi
    # The drill's JSON record goes to the file (for a CI artefact or a log shipper) and to
    # stdout.
    local json=$MIGSAFE_DRILL_JSON
    if ! : >"$json" 2>/dev/null; then
        fail_usage "MIGSAFE_DRILL_JSON names $json, which cannot be written"
    fi
    run_migsafe "${drill[@]}" --json "$@" >"$json"
    local status=$?
    cat "$json"
    exit "$status"
}

if [ $# -eq 0 ]; then
    usage
    exit 2
fi
subcommand=$1
shift
case "$subcommand" in
migrate) cmd_migrate "$@" ;;
snapshot) cmd_snapshot "$@" ;;
drill) cmd_drill "$@" ;;
*)
    run_migsafe "$subcommand" "$@"
    exit $?
    ;;
esac
