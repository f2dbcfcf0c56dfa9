#!/usr/bin/env bash
# Benchmark of `migsafe snapshot create` and `migsafe drill` against pg_dump and pg_restore,
# in one run on one server:
#   pg_dump -Fc          custom format, default (gzip) compression: time and size
#   snapshot create      migsafe: pg_dump -Fd -Z0 + zstd + XXH3 + the integrity scan
#   pg_restore -j2       of that pg_dump archive, into an empty database
#   drill                migsafe: unpack + check hashes, pg_restore -j2, full integrity
#                        scan and compare, into an empty database on the same server
# then, per engine (issue 14), through the `migsafe` binary on the same database:
#   snapshot create --engine pg_dump|basebackup|pgbackrest, and `migsafe drill --json` of it
#   into an ephemeral cluster (restore, recovery and checks: the RTO split), and each
#   physical drill's time against pg_dump's (goal: a physical drill at least 2x faster).
#   pgbackrest: a stanza on the bench's own cluster, WAL archived to a repository on local
#   disk, process-max 2, compress-type zst; basebackup: pg_basebackup over the socket.
#
# Usage: bench/snapshot/run.sh [CONNINFO]
#   Without CONNINFO an ephemeral cluster is started and removed afterwards. The source is
#   (re)created in the database `migsafe_bench_src`. The physical engines need that
#   ephemeral cluster (archiving is switched on in it): with CONNINFO only pg_dump runs.
# Environment: BUILD_DIR (default build, configured with -DMIGSAFE_BUILD_BENCH=ON),
#   ROWS (rows of each of the 4 tables, default 2000000: about 1 GB), JOBS (2),
#   ENGINES (default "pg_dump basebackup pgbackrest"; empty: skip the engine section),
#   DRIVER_STEPS (1; 0 skips the first section: pg_dump -Fc, the driver, pg_restore),
#   DATASETS (default "accounts mixed events ledger typed"; empty: skip the per-data-set
#   section: each table alone in a database, pg_dump -Fc against snapshot create),
#   TYPED_ROWS (rows of `typed`, random numeric, timestamptz, jsonb and text: default
#   3/4 of ROWS, 1.5 M at 1 GB, the table issue 17 names).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build}
driver=$build/bench/migsafe-snapshot-bench
migsafe=$build/tools/migsafe/migsafe
rows=${ROWS:-2000000}
jobs=${JOBS:-2}
engines=${ENGINES-pg_dump basebackup pgbackrest}
driver_steps=${DRIVER_STEPS:-1}
datasets=${DATASETS-accounts mixed events ledger typed}
typed_rows=${TYPED_ROWS:-$((rows * 3 / 4))}

if [[ ! -x $migsafe ]]; then
    echo "build migsafe first: cmake --build build -j2 --target migsafe_cli" >&2
    exit 2
fi
if [[ $driver_steps == 1 && ! -x $driver ]]; then
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

if [[ $driver_steps == 1 ]]; then
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

echo "rows: 4 x $rows; jobs $jobs; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| step | seconds | bytes |\n|---|---|---|\n'
printf '| pg_dump -Fc (gzip default) | %s | %s |\n' "$t_dump" "$s_dump"
printf '| migsafe snapshot create (jobs %s) | %s | %s |\n' "$jobs" "$t_create" "$s_create"
printf '| pg_restore -j%s of the -Fc archive | %s | |\n' "$jobs" "$t_restore"
printf '| migsafe drill (restore + full integrity compare) | %s | |\n' "$t_drill"
echo "create / pg_dump: time $(echo "scale=2; $t_create / $t_dump" | bc)x, size $(echo "scale=2; $s_create / $s_dump" | bc)x;" \
    "drill / pg_restore: $(echo "scale=2; $t_drill / $t_restore" | bc)x"
echo "create: $create_detail"
echo "drill: $drill_detail"
psql_base -c "DROP DATABASE migsafe_bench_r1" -c "DROP DATABASE migsafe_bench_r2" >/dev/null
fi

# --- each data set alone (issue 17) ----------------------------------------------------
# Each table in a database of its own (a file copy of the source, the other tables dropped;
# `typed` loaded there): pg_dump -Fc and migsafe snapshot create, same-run ratios.
if [[ -n $datasets ]]; then
    [[ $driver_steps == 1 ]] || { echo "the data sets need the driver (DRIVER_STEPS=1)" >&2; exit 2; }
    psql_base -c CHECKPOINT >/dev/null
    declare -A d_rows d_dump d_dsize d_create d_csize d_detail
    for set in $datasets; do
        db=migsafe_bench_set_$set
        psql_base -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $db" >/dev/null
        if [[ $set == typed ]]; then
            fresh_db "$db"
            psql "$base_conn dbname=$db" -X -q -v ON_ERROR_STOP=1 <<SQL
SELECT setseed(0.17);
CREATE TABLE typed (id bigint PRIMARY KEY, amount numeric(14, 2), rate numeric, at timestamptz, doc jsonb, note text);
INSERT INTO typed SELECT g, round((random() * 100000)::numeric, 2), round(random()::numeric, 6) * 10 ^ (g % 4),
    timestamptz '2020-01-01' + random() * interval '1500 days',
    jsonb_build_object('user', (random() * 1000000)::int, 'score', round(random()::numeric, 4),
                       'kind', 'k' || (random() * 12)::int,
                       'tags', jsonb_build_array('t' || (random() * 30)::int, 't' || (random() * 30)::int),
                       'ok', random() < 0.5),
    CASE WHEN random() < 0.2 THEN NULL ELSE left(md5(random()::text), 4 + (random() * 28)::int) END
  FROM generate_series(1, $typed_rows) g;
VACUUM ANALYZE;
SQL
        else
            psql_base -c "CREATE DATABASE $db TEMPLATE migsafe_bench_src STRATEGY FILE_COPY" >/dev/null
            for other in accounts mixed events ledger; do
                [[ $other == "$set" ]] || psql "$base_conn dbname=$db" -X -q -c "DROP TABLE $other"
            done
        fi
        d_rows[$set]=$(psql "$base_conn dbname=$db" -X -At -c "SELECT count(*) FROM $set")
        d_dump[$set]=$(secs "$pg_bin/pg_dump" -Fc -f "$work/set.fc" --dbname="$base_conn dbname=$db")
        d_dsize[$set]=$(size_of "$work/set.fc")
        rm -rf "$work/set-store" "$work/set.fc"
        d_create[$set]=$(secs "$driver" create "$base_conn dbname=$db" "$work/set-store" --jobs "$jobs")
        d_detail[$set]=$(cat "$work/last.out")
        d_csize[$set]=$(du -sb --exclude='*.jsonl' "$work/set-store" | cut -f1)
        rm -rf "$work/set-store"
        psql_base -c "DROP DATABASE $db" >/dev/null
    done
    echo
    echo "data sets alone: jobs $jobs; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
    printf '| data set | rows | pg_dump -Fc s | bytes | snapshot create s | bytes | time ratio | size ratio |\n'
    printf '|---|---|---|---|---|---|---|---|\n'
    for set in $datasets; do
        printf '| %s | %s | %.2f | %s | %.2f | %s | %.2fx | %.3fx |\n' "$set" "${d_rows[$set]}" \
            "${d_dump[$set]}" "${d_dsize[$set]}" "${d_create[$set]}" "${d_csize[$set]}" \
            "$(echo "scale=4; ${d_create[$set]} / ${d_dump[$set]}" | bc)" \
            "$(echo "scale=4; ${d_csize[$set]} / ${d_dsize[$set]}" | bc)"
    done
    echo "goals: time ratio <= 0.7x, size ratio <= 0.90x on every data set"
    for set in $datasets; do echo "$set create: ${d_detail[$set]}"; done
fi

# --- the engines (issue 14) ------------------------------------------------------------
# The restored copies above are dropped first: a physical snapshot copies the whole
# cluster, which then holds the source and the empty `postgres` database only.
if [[ -n $engines && -z $cluster_dir ]]; then
    echo "the engines need the bench's own cluster: only pg_dump runs against CONNINFO" >&2
    engines=pg_dump
fi
stanza=bench
pgbr_conf=
pgbr_flags=()
setup_pgbackrest() {
    # The repository, its configuration, log and lock folders belong to the server's user:
    # the server runs archive-push, migsafe runs pgbackrest as that user (--pgbackrest-user).
    local dir=$cluster_dir/pgbackrest
    as_owner mkdir -p "$dir/repo" "$dir/log" "$dir/lock" "$dir/spool"
    pgbr_conf=$dir/pgbackrest.conf
    as_owner tee "$pgbr_conf" >/dev/null <<CONF
[global]
repo1-path=$dir/repo
repo1-retention-full=2
process-max=2
compress-type=zst
start-fast=y
log-path=$dir/log
lock-path=$dir/lock
spool-path=$dir/spool
log-level-console=warn
log-level-file=off

[$stanza]
pg1-path=$cluster_dir/data
pg1-socket-path=$cluster_dir
pg1-port=5432
pg1-user=postgres
CONF
    psql_base -c "ALTER SYSTEM SET archive_mode = on" \
        -c "ALTER SYSTEM SET archive_command = 'pgbackrest --config=$pgbr_conf --stanza=$stanza archive-push %p'" >/dev/null
    as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -w -m fast restart >/dev/null
    as_owner pgbackrest --config="$pgbr_conf" --stanza="$stanza" stanza-create >/dev/null
    as_owner pgbackrest --config="$pgbr_conf" --stanza="$stanza" check >/dev/null
    pgbr_flags=(--pgbackrest-stanza "$stanza" --pgbackrest-config "$pgbr_conf")
    if [[ $(id -u) == 0 ]]; then pgbr_flags+=(--pgbackrest-user postgres); fi
}
# json_field FILE KEY...: the values of the report's keys, comma-separated (0 if absent).
json_field() {
    python3 - "$@" <<'PY'
import json, sys
try:
    with open(sys.argv[1]) as f:
        report = json.load(f).get("report") or {}
except ValueError:
    report = {}
print(",".join(str(report.get(key, 0)) for key in sys.argv[2:]))
PY
}
two() { printf '%.2f' "$1"; }

declare -A e_create e_size e_drill e_split e_passed
for engine in $engines; do
    store=$work/store-$engine
    flags=()
    case $engine in
    pg_dump) flags=(--jobs "$jobs") ;; # the default engine: no --engine, any migsafe runs it
    basebackup) flags=(--engine basebackup) ;;
    pgbackrest)
        [[ -z $pgbr_conf ]] && setup_pgbackrest
        flags=(--engine pgbackrest "${pgbr_flags[@]}" --backup-type full)
        ;;
    *) echo "unknown engine $engine" >&2; exit 2 ;;
    esac
    echo "$engine: snapshot create..." >&2
    e_create[$engine]=$(secs "$migsafe" snapshot create --store "$store" --db "$src" "${flags[@]}" --json)
    cp "$work/last.out" "$work/create-$engine.json"
    if [[ $engine == pgbackrest ]]; then
        e_size[$engine]=$(as_owner du -sb "$cluster_dir/pgbackrest/repo/backup" | cut -f1)
    else
        e_size[$engine]=$(du -sb --exclude='*.jsonl' "$store" | cut -f1)
    fi
    drill_flags=()
    [[ $engine == pg_dump ]] && drill_flags=(--jobs "$jobs")
    [[ $engine == pgbackrest && $(id -u) == 0 ]] && drill_flags=(--pgbackrest-user postgres)
    echo "$engine: drill..." >&2
    set +e
    e_drill[$engine]=$(secs "$migsafe" drill --store "$store" "${drill_flags[@]}" --json)
    set -e
    cp "$work/last.out" "$work/drill-$engine.json"
    e_split[$engine]=$(json_field "$work/drill-$engine.json" restore_ms recovery_ms verify_ms rto_ms)
    e_passed[$engine]=$(json_field "$work/drill-$engine.json" passed)
done

if [[ -n $engines ]]; then
    echo
    echo "engines: rows 4 x $rows; jobs $jobs; $(nproc) cores; $(pgbackrest version 2>/dev/null || true)"
    printf '| engine | create s | stored bytes | drill s | restore ms | recovery ms | checks ms | RTO ms | passed | pg_dump drill / this (wall) | (RTO) |\n'
    printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
    IFS=, read -r _ _ _ dump_rto <<<"${e_split[pg_dump]:-0,0,0,0}"
    for engine in $engines; do
        IFS=, read -r restore recovery verify rto <<<"${e_split[$engine]}"
        wall_ratio='' rto_ratio=''
        if [[ -n ${e_drill[pg_dump]:-} && $engine != pg_dump ]]; then
            wall_ratio="$(two "$(echo "scale=4; ${e_drill[pg_dump]} / ${e_drill[$engine]}" | bc)")x"
            [[ $rto != 0 ]] && rto_ratio="$(two "$(echo "scale=4; $dump_rto / $rto" | bc)")x"
        fi
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$engine" \
            "$(two "${e_create[$engine]}")" "${e_size[$engine]}" "$(two "${e_drill[$engine]}")" \
            "$restore" "$recovery" "$verify" "$rto" "${e_passed[$engine]}" "$wall_ratio" "$rto_ratio"
    done
    echo "goal: a physical drill of this database at least 2x faster than pg_dump's drill"
    for engine in $engines; do
        echo "$engine drill: $(head -c 2000 "$work/drill-$engine.json")"
    done
fi
psql_base -c "DROP DATABASE migsafe_bench_src" >/dev/null
