#!/usr/bin/env bash
# Benchmark of `migsafe snapshot create` and `migsafe drill` against pg_dump and pg_restore,
# in one run on one server:
#   pg_dump -Fc          custom format, default (gzip) compression: time and size
#   snapshot create      migsafe: pg_dump -Fd -Z0 + zstd + XXH3 + the integrity scan
#   pg_restore -j2       of that pg_dump archive, into an empty database
#   drill                migsafe: unpack + check hashes, pg_restore -j2, full integrity
#                        scan and compare, into an empty database on the same server
#
# Usage: bench/snapshot/run.sh [CONNINFO]
#   Without CONNINFO an ephemeral cluster is started and removed afterwards. The source is
#   (re)created in the database `migsafe_bench_src`.
# Environment: BUILD_DIR (default build, configured with -DMIGSAFE_BUILD_BENCH=ON),
#   ROWS (rows of each of the 4 tables, default 2000000: about 1 GB), JOBS (2), RUNS (1).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
driver=$build/bench/migsafe-snapshot-bench
rows=${ROWS:-2000000}
jobs=${JOBS:-2}
runs=${RUNS:-1}

if [[ ! -x $driver ]]; then
    echo "build the driver first: cmake -S . -B build -DMIGSAFE_BUILD_BENCH=ON &&" \
        "cmake --build build -j2 --target migsafe-snapshot-bench" >&2
    exit 2
fi

as_owner() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/migsafe-snapbench-XXXXXX)
cluster_dir=
cleanup() {
    if [[ -n $cluster_dir ]]; then
        as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$cluster_dir"
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ $# -ge 1 ]]; then
    base_conn=$1
else
    cluster_dir=$(mktemp -d /tmp/migsafe-bench-XXXXXX)
    [[ $(id -u) == 0 ]] && chown postgres "$cluster_dir"
    as_owner "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres >/dev/null
    as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w \
        -o "-k $cluster_dir -c listen_addresses='' -p 5432 -c fsync=off \
            -c shared_buffers=1GB -c max_wal_size=4GB -c synchronous_commit=off" start >/dev/null
    base_conn="host=$cluster_dir port=5432 user=postgres dbname=postgres"
fi
psql_base() { psql "$base_conn" -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_db() { psql_base -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"; }

fresh_db migsafe_bench_src
src="$base_conn dbname=migsafe_bench_src"
echo "loading 4 tables of $rows rows..." >&2
psql "$src" -X -q -v ON_ERROR_STOP=1 <<SQL
CREATE TABLE accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL, filler char(84));
INSERT INTO accounts SELECT g, (g - 1) / 100000 + 1, g % 1000, '' FROM generate_series(1, $rows) g;
CREATE TABLE mixed (id bigint PRIMARY KEY, amount numeric(12, 2), at timestamptz, doc jsonb,
                    ref uuid, note text, score float8);
INSERT INTO mixed SELECT g, (g % 100000) / 7.0, timestamptz '2020-01-01' + g * interval '1 minute',
    jsonb_build_object('g', g, 'tag', 't' || g % 5), md5(g::text)::uuid, repeat('n', g % 40), g / 3.0
  FROM generate_series(1, $rows) g;
CREATE TABLE events (id bigint PRIMARY KEY, kind text, payload text);
INSERT INTO events SELECT g, 'k' || g % 20, md5(g::text) || md5((g + 1)::text) FROM generate_series(1, $rows) g;
CREATE TABLE ledger (id bigint PRIMARY KEY, account int, delta numeric, at date);
INSERT INTO ledger SELECT g, g % 50000, (g % 997) - 500, date '2020-01-01' + g % 2000 FROM generate_series(1, $rows) g;
VACUUM ANALYZE;
SQL
echo "source: $(psql "$src" -X -At -c "SELECT pg_size_pretty(pg_database_size(current_database()))")" >&2

secs() { local s e; s=$(date +%s.%N); "$@" >"$work/last.out"; e=$(date +%s.%N); echo "$e - $s" | bc; }
size_of() { du -sb "$1" | cut -f1; }

t_dump=$(secs "$pg_bin/pg_dump" -Fc -f "$work/dump.fc" --dbname="$src")
s_dump=$(size_of "$work/dump.fc")
t_create=$(secs "$driver" create "$src" "$work/store" --jobs "$jobs")
create_detail=$(cat "$work/last.out")
s_create=$(du -sb --exclude='*.jsonl' "$work/store" | cut -f1)
fresh_db migsafe_bench_r1
t_restore=$(secs "$pg_bin/pg_restore" -j "$jobs" --no-owner -d "$base_conn dbname=migsafe_bench_r1" "$work/dump.fc")
fresh_db migsafe_bench_r2
t_drill=$(secs "$driver" drill "$work/store" "$base_conn dbname=migsafe_bench_r2" --jobs "$jobs")
drill_detail=$(cat "$work/last.out")

echo "rows: 4 x $rows; jobs $jobs; $(nproc) cores"
printf '| step | seconds | bytes |\n|---|---|---|\n'
printf '| pg_dump -Fc (gzip default) | %s | %s |\n' "$t_dump" "$s_dump"
printf '| migsafe snapshot create (jobs %s) | %s | %s |\n' "$jobs" "$t_create" "$s_create"
printf '| pg_restore -j%s of the -Fc archive | %s | |\n' "$jobs" "$t_restore"
printf '| migsafe drill (restore + full integrity compare) | %s | |\n' "$t_drill"
echo "create / pg_dump: time $(echo "scale=2; $t_create / $t_dump" | bc)x, size $(echo "scale=2; $s_create / $s_dump" | bc)x;" \
    "drill / pg_restore: $(echo "scale=2; $t_drill / $t_restore" | bc)x"
echo "create: $create_detail"
echo "drill: $drill_detail"
psql_base -c "DROP DATABASE migsafe_bench_r1" -c "DROP DATABASE migsafe_bench_r2" -c "DROP DATABASE migsafe_bench_src" >/dev/null
