#!/usr/bin/env bash
# Benchmark of the flags client (issue 13): evaluations per second on one core against the
# limit of a hash and a map lookup, and the time from a change to 8 listening clients
# serving it (bench/flags/driver.cpp). The panel's page load is bench/flags/panel.sh.
#
# Usage: bench/flags/run.sh [CONNINFO]
#   Without CONNINFO an ephemeral cluster is started and removed afterwards. With one, the
#   database migsafe_bench_flags is (re)created on that server and dropped at the end.
# Environment: MIGSAFE_BUILD_DIR (default build, configured with -DMIGSAFE_BUILD_BENCH=ON),
#   FLAGS (500), CLIENTS (8), CHANGES (200).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${MIGSAFE_BUILD_DIR:-build}
[[ $build == /* ]] || build=$root/$build
driver=$build/bench/migsafe-flags-bench
[[ -x $driver ]] || { echo "build it first: cmake -S . -B $build -DMIGSAFE_BUILD_BENCH=ON && cmake --build $build --target migsafe-flags-bench" >&2; exit 2; }

as_owner() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_bin=${MIGSAFE_PG_BINDIR:-$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}

cluster_dir=
cleanup() {
    if [[ -n $cluster_dir ]]; then
        as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$cluster_dir"
    elif [[ -n ${base_conn:-} ]]; then
        "$pg_bin/psql" -X -q -d "$base_conn" -c "DROP DATABASE IF EXISTS migsafe_bench_flags" || true
    fi
}
trap cleanup EXIT

if [[ $# -ge 1 ]]; then
    base_conn=$1
else
    cluster_dir=$(mktemp -d /tmp/migsafe-bench-XXXXXX)
    chmod 0755 "$cluster_dir"
    [[ $(id -u) == 0 ]] && chown postgres "$cluster_dir"
    (cd / && as_owner "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres >/dev/null)
    (cd / && as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w \
        -o "-k $cluster_dir -c listen_addresses='' -p 5432" start >/dev/null)
    base_conn="host=$cluster_dir port=5432 user=postgres dbname=postgres"
fi
"$pg_bin/psql" -X -q -d "$base_conn" -c "DROP DATABASE IF EXISTS migsafe_bench_flags" \
    -c "CREATE DATABASE migsafe_bench_flags"
if [[ $base_conn == *=* ]]; then db="$base_conn dbname=migsafe_bench_flags"; else
    db="${base_conn%/*}/migsafe_bench_flags"; fi

echo "flags bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$driver" "$db" "${FLAGS:-500}" "${CLIENTS:-8}" "${CHANGES:-200}"
