#!/usr/bin/env bash
# Benchmark of `migsafe verify` against its peers, in one run on one server:
#   copy   COPY ... TO STDOUT of every table, discarded by psql (the limit: what streaming
#          the rows costs before any hashing)
#   md5    data-diff's method: count(*) and the sum of md5-derived integers of each row's
#          concatenated text, computed in SQL (one session)
#   scan   migsafe's scan (the library call behind `migsafe verify`) with --jobs 1 and 2,
#          and `migsafe verify --jobs 1` itself (process start included)
#   ranges the scan without range hashes (--range-rows 0): what collecting them costs
#   binary COPY ... (FORMAT binary) against text of the same column list, server side
#          (measured only: migsafe hashes the text form)
#
# Usage: bench/integrity/run.sh [CONNINFO]
#   Without CONNINFO an ephemeral cluster is started (initdb + pg_ctl, socket only) and
#   removed afterwards. The tables are (re)created in the database `migsafe_bench`.
# Environment: BUILD_DIR (default build, configured with -DMIGSAFE_BUILD_BENCH=ON),
#   ACCOUNTS_ROWS (5000000), MIXED_ROWS (2000000), RUNS (best of, default 2).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
driver=$build/bench/migsafe-integrity-bench
cli=$build/tools/migsafe/migsafe
accounts_rows=${ACCOUNTS_ROWS:-5000000}
mixed_rows=${MIXED_ROWS:-2000000}
runs=${RUNS:-2}

if [[ ! -x $driver ]]; then
    echo "build the driver first: cmake -S . -B build -DMIGSAFE_BUILD_BENCH=ON &&" \
        "cmake --build build -j2 --target migsafe-integrity-bench" >&2
    exit 2
fi

cluster_dir=
cleanup() {
    if [[ -n $cluster_dir ]]; then
        as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$cluster_dir"
    fi
}
trap cleanup EXIT

as_owner() {
    if [[ $(id -u) == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ $# -ge 1 ]]; then
    base_conn=$1
else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    cluster_dir=$(mktemp -d /tmp/migsafe-bench-XXXXXX)
    [[ $(id -u) == 0 ]] && chown postgres "$cluster_dir"
    as_owner "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres >/dev/null
    as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w \
        -o "-k $cluster_dir -c listen_addresses='' -p 5432 -c fsync=off \
            -c shared_buffers=2GB -c max_wal_size=4GB -c synchronous_commit=off" start >/dev/null
    base_conn="host=$cluster_dir port=5432 user=postgres dbname=postgres"
fi

psql_base() { psql "$base_conn" -X -q -v ON_ERROR_STOP=1 "$@"; }
psql_base -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS migsafe_bench" -c "CREATE DATABASE migsafe_bench"
conn="$base_conn dbname=migsafe_bench"
run_sql() { psql "$conn" -X -q -v ON_ERROR_STOP=1 "$@"; }

echo "loading $accounts_rows accounts and $mixed_rows mixed rows..." >&2
run_sql <<SQL
CREATE TABLE accounts (aid int PRIMARY KEY, bid int NOT NULL, abalance int NOT NULL,
                       filler char(84));
INSERT INTO accounts SELECT g, (g - 1) / 100000 + 1, 0, '' FROM generate_series(1, $accounts_rows) g;
CREATE TABLE mixed (id bigint PRIMARY KEY, amount numeric(12, 2), at timestamptz, doc jsonb,
                    ref uuid, note text, score float8);
INSERT INTO mixed SELECT g, CASE WHEN g % 13 = 0 THEN NULL ELSE (g % 100000) / 7.0 END,
    timestamptz '2020-01-01' + g * interval '1 minute',
    CASE WHEN g % 17 = 0 THEN NULL ELSE jsonb_build_object('g', g, 'tag', 't' || g % 5) END,
    md5(g::text)::uuid, CASE WHEN g % 11 = 0 THEN NULL ELSE repeat('n', g % 40) END, g / 3.0
  FROM generate_series(1, $mixed_rows) g;
VACUUM ANALYZE accounts; VACUUM ANALYZE mixed;
SQL

# best of $runs, in seconds
best() {
    local best_time=
    for ((i = 0; i < runs; i++)); do
        local start end took
        start=$(date +%s.%N)
        "$@" >/dev/null
        end=$(date +%s.%N)
        took=$(echo "$end - $start" | bc)
        if [[ -z $best_time ]] || (($(echo "$took < $best_time" | bc))); then
            best_time=$took
        fi
    done
    printf '%.2f' "$best_time"
}

copy_all() {
    run_sql -c "COPY accounts TO STDOUT" >/dev/null
    run_sql -c "COPY mixed TO STDOUT" >/dev/null
}
md5_all() {
    run_sql -At -c "SELECT count(*), sum(('x' || substr(md5(concat_ws('|', aid, bid, abalance,
        filler)), 18))::bit(60)::bigint) FROM accounts" \
        -c "SELECT count(*), sum(('x' || substr(md5(concat_ws('|', id, amount, at, doc, ref,
        note, score)), 18))::bit(60)::bigint) FROM mixed"
}

copy_named() {
    run_sql -c "COPY accounts (abalance, aid, bid, filler) TO STDOUT$1" >/dev/null
    run_sql -c "COPY mixed (amount, at, doc, id, note, ref, score) TO STDOUT$1" >/dev/null
}
copy_text() { copy_named ""; }
copy_binary() { copy_named " (FORMAT binary)"; }

echo "load before the run: $(cat /proc/loadavg)"
copy_all # warm the cache
total_rows=$((accounts_rows + mixed_rows))
t_copy=$(best copy_all)
t_md5=$(best md5_all)
t_j1=$(best "$driver" "$conn" --jobs 1)
t_j2=$(best "$driver" "$conn" --jobs 2)
t_j1_plain=$(best "$driver" "$conn" --jobs 1 --range-rows 0)
t_text=$(best copy_text)
t_binary=$(best copy_binary)
t_cli=
if [[ -x $cli ]]; then
    t_cli=$(best "$cli" verify --db "$conn" --jobs 1)
fi

rate() { echo "scale=0; $total_rows / $1 / 1000" | bc; }
echo "rows: $total_rows (accounts $accounts_rows, mixed $mixed_rows); best of $runs; $(nproc) cores"
printf '| method | seconds | k rows/s |\n|---|---|---|\n'
printf '| COPY TO STDOUT, discarded (limit) | %s | %s |\n' "$t_copy" "$(rate "$t_copy")"
printf '| md5 sum in SQL (data-diff) | %s | %s |\n' "$t_md5" "$(rate "$t_md5")"
printf '| migsafe scan --jobs 1 | %s | %s |\n' "$t_j1" "$(rate "$t_j1")"
printf '| migsafe scan --jobs 2 | %s | %s |\n' "$t_j2" "$(rate "$t_j2")"
printf '| migsafe scan --jobs 1, no range hashes | %s | %s |\n' "$t_j1_plain" "$(rate "$t_j1_plain")"
[[ -n $t_cli ]] && printf '| migsafe verify --jobs 1 (CLI) | %s | %s |\n' "$t_cli" "$(rate "$t_cli")"
printf '| COPY (columns) text | %s | %s |\n' "$t_text" "$(rate "$t_text")"
printf '| COPY (columns) binary | %s | %s |\n' "$t_binary" "$(rate "$t_binary")"
ratio() { echo "scale=2; $1 / $2" | bc; }
echo "verify --jobs 1 / COPY, time: $(ratio "$t_j1" "$t_copy")x (scan)${t_cli:+, $(ratio "$t_cli" "$t_copy")x (CLI)} (goal <= 1.11)"
echo "md5 / verify --jobs 2, time: $(ratio "$t_md5" "$t_j2")x faster (goal >= 3); jobs 1: $(ratio "$t_md5" "$t_j1")x"
echo "jobs 2 speed-up: $(ratio "$t_j1" "$t_j2")x; range hashes cost: $(ratio "$t_j1" "$t_j1_plain")x the time without"
echo "COPY text / binary, time: $(ratio "$t_text" "$t_binary")x (binary adopted only from 1.3x)"
echo "load after the run: $(cat /proc/loadavg)"
