# The database a flags benchmark works in, sourced by run.sh and panel.sh:
#   bench_database_start NAME [CONNINFO]   sets $db (and $pg_bin, $as_owner's helper)
#   bench_database_stop NAME               removes what start made
# Without CONNINFO an ephemeral cluster is started (socket only, fsync off) and removed by
# stop; with one, the database NAME is (re)created on that server and dropped by stop.

pg_bin=${MIGSAFE_PG_BINDIR:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
cluster_dir=
base_conn=

as_owner() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bench_database_start() {
    local name=$1
    if [[ $# -ge 2 ]]; then
        base_conn=$2
    else
        cluster_dir=$(mktemp -d /tmp/migsafe-bench-XXXXXX)
        chmod 0755 "$cluster_dir"
        [[ $(id -u) == 0 ]] && chown postgres "$cluster_dir"
        (cd / && as_owner "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres >/dev/null)
        (cd / && as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w \
            -o "-k $cluster_dir -c listen_addresses='' -p 5432 -c fsync=off" start >/dev/null)
        base_conn="host=$cluster_dir port=5432 user=postgres dbname=postgres"
    fi
    "$pg_bin/psql" -X -q -d "$base_conn" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name"
    if [[ $base_conn == *=* ]]; then db="$base_conn dbname=$name"; else db="${base_conn%/*}/$name"; fi
}

bench_database_stop() {
    local name=$1
    if [[ -n $cluster_dir ]]; then
        as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$cluster_dir"
    elif [[ -n $base_conn ]]; then
        "$pg_bin/psql" -X -q -d "$base_conn" -c "DROP DATABASE IF EXISTS $name" || true
    fi
}
