#!/usr/bin/env bash
# Benchmark of `migsafe apply`, in one run on one server:
#   part 1, throughput: MIGRATIONS small migrations (bench/apply/make_migrations.py) applied
#     to a fresh database by `migsafe apply --no-snapshot`, against `psql -X -1 -f` per file
#     (without -1 for the `-- migsafe:no-transaction` files) into another fresh database,
#     and against one psql session doing `BEGIN; \i FILE COMMIT;` per file (the floor);
#     best of RUNS each, interleaved.
#   part 2, backfill under load: `pgbench -i -s SCALE` (100,000 x SCALE rows in
#     pgbench_accounts) plus a nullable column: the template each run below copies;
#       (a) pgbench alone, a custom script of a single-row UPDATE and SELECT by random aid
#           (-c CLIENTS -T LOAD_SECONDS): the baseline TPS;
#       (b) one `UPDATE pgbench_accounts SET newcol = ...` alone: the speed limit;
#       (c) `migsafe apply` of a batched backfill migration doing the same UPDATE while the
#           same pgbench workload runs: pgbench TPS and worst latency during the backfill
#           (from pgbench's per-transaction log), the backfill's rows/s, and from its debug
#           log the duty cycle: the mean pause, the mean load sampled and the share of the
#           backfill's time spent in batches;
#       (d) the same backfill alone, to tell batching's cost from the competition for CPU;
#       (a) and (c) again with pgbench throttled (-R) to THROTTLE% of (a)'s TPS.
#
# Usage: bench/apply/run.sh [CONNINFO]
#   Without CONNINFO an ephemeral cluster is started and removed afterwards. With one, the
#   databases migsafe_bench_apply_* are (re)created on that server and dropped at the end.
# Environment: MIGSAFE (default build/tools/migsafe/migsafe), MIGRATIONS (240), RUNS (3),
#   SCALE (10: 1,000,000 rows), CLIENTS (4), LOAD_SECONDS (20), LOCK_TIMEOUT (5s),
#   BATCH_TIME (200ms), BATCH (1000: the directive's first batch size), PARTS ("1 2"),
#   THROTTLE (50: part 2 again with pgbench -R at this % of the full-load TPS; 0: skip),
#   PAUSE (0ms: the directive's pause=, the duty cycle's floor), YIELD (on: the directive's
#   yield=; off runs the batches back to back, as before the duty cycle), KEEP_LOGS (a
#   directory to keep migsafe's debug log of each backfill under load in).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
migsafe=${MIGSAFE:-build/tools/migsafe/migsafe}
[[ $migsafe == /* ]] || migsafe=$root/$migsafe
migrations=${MIGRATIONS:-240}
runs=${RUNS:-3}
scale=${SCALE:-10}
clients=${CLIENTS:-4}
seconds=${LOAD_SECONDS:-20}
lock_timeout=${LOCK_TIMEOUT:-5s}
batch_time=${BATCH_TIME:-200ms}
batch=${BATCH:-1000}
parts=${PARTS:-1 2}
throttle=${THROTTLE:-50}
pause=${PAUSE:-0ms}
yield=${YIELD:-on}

if [[ ! -x $migsafe ]]; then
    echo "build migsafe first: cmake -S . -B build && cmake --build build -j2 --target migsafe" >&2
    exit 2
fi

as_owner() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# The server's own psql, not Debian's Perl wrapper in /usr/bin (70 ms per start here).
psql() { "$pg_bin/psql" "$@"; }
pgbench=$pg_bin/pgbench
if [[ ! -x $pgbench ]]; then
    pgbench=$(command -v pgbench || true)
fi
if [[ -z $pgbench || ! -x $pgbench ]]; then
    # A peer used only here: installed by the benchmark, never by the build.
    echo "installing pgbench (postgresql-client)..." >&2
    if [[ $(id -u) == 0 ]]; then apt-get install -y -q postgresql-client >&2; else sudo apt-get install -y -q postgresql-client >&2; fi
    pgbench=$(command -v pgbench)
fi

work=$(mktemp -d /tmp/migsafe-applybench-XXXXXX)
chmod 755 "$work"
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
    # log_lock_waits: every lock wait longer than deadlock_timeout (1 s) is in the server log.
    as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w \
        -o "-k $cluster_dir -c listen_addresses='' -p 5432 -c fsync=off \
            -c shared_buffers=1GB -c max_wal_size=4GB -c synchronous_commit=off \
            -c log_lock_waits=on" start >/dev/null
    base_conn="host=$cluster_dir port=5432 user=postgres dbname=postgres"
fi
psql_base() { psql "$base_conn" -X -q -v ON_ERROR_STOP=1 "$@"; }
fresh_db() {
    psql_base -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1${2:+ TEMPLATE $2}"
}
conn_of() { echo "$base_conn dbname=$1"; }
now() { date +%s.%N; }
calc() { echo "scale=${2:-3}; $1" | bc -l | sed 's/^\./0./'; }
min() { if [[ -z $1 ]] || (($(echo "$2 < $1" | bc))); then echo "$2"; else echo "$1"; fi; }

echo "migsafe: $("$migsafe" --version); $(psql_base -At -c 'SELECT version()' | cut -d, -f1);" \
    "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------------------------------
# Part 1: apply throughput.
part1() {
    local dir=$work/migrations statements
    statements=$(python3 "$here/make_migrations.py" "$dir" "$migrations")
    "$migsafe" -q sum "$dir" >/dev/null
    local files=("$dir"/*.sql) nt
    nt=$(grep -l '^-- migsafe:no-transaction' "${files[@]}" | wc -l)
    echo "part 1: ${#files[@]} migrations, $statements statements, $nt without a transaction" >&2

    psql_files() {
        local f
        for f in "${files[@]}"; do
            if grep -q '^-- migsafe:no-transaction' "$f"; then
                "$pg_bin/psql" "$1" -X -q -v ON_ERROR_STOP=1 -f "$f"
            else
                "$pg_bin/psql" "$1" -X -q -1 -v ON_ERROR_STOP=1 -f "$f"
            fi
        done
    }
    # The floor: one psql session, each file in its own transaction (\i), no bookkeeping.
    {
        echo '\set ON_ERROR_STOP 1'
        local f
        for f in "${files[@]}"; do
            if grep -q '^-- migsafe:no-transaction' "$f"; then
                echo "\\i $f"
            else
                printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$f"
            fi
        done
    } >"$work/one_session.sql"
    local best_m= best_p= best_s= i s e
    for i in $(seq "$runs"); do
        fresh_db migsafe_bench_apply_m
        s=$(now)
        "$migsafe" -q apply --db "$(conn_of migsafe_bench_apply_m)" --dir "$dir" --no-snapshot \
            --json >"$work/apply1.json"
        e=$(now)
        best_m=$(min "$best_m" "$(calc "$e - $s")")
        fresh_db migsafe_bench_apply_p
        s=$(now)
        PGOPTIONS="-c client_min_messages=warning" psql_files "$(conn_of migsafe_bench_apply_p)" >/dev/null
        e=$(now)
        best_p=$(min "$best_p" "$(calc "$e - $s")")
        fresh_db migsafe_bench_apply_s
        s=$(now)
        PGOPTIONS="-c client_min_messages=warning" psql "$(conn_of migsafe_bench_apply_s)" -X -q \
            -f "$work/one_session.sql" >/dev/null
        e=$(now)
        best_s=$(min "$best_s" "$(calc "$e - $s")")
    done
    # Same schema both ways (migsafe's own history schema aside).
    local shape="SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace)
                     || ' relations, ' || (SELECT count(*) FROM pg_constraint
                     WHERE connamespace = 'public'::regnamespace AND convalidated) || ' valid constraints, '
                     || (SELECT count(*) FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
                     WHERE c.relnamespace = 'public'::regnamespace) || ' comments'"
    local shape_m shape_p shape_s
    shape_m=$(psql "$(conn_of migsafe_bench_apply_m)" -X -At -c "$shape")
    shape_p=$(psql "$(conn_of migsafe_bench_apply_p)" -X -At -c "$shape")
    shape_s=$(psql "$(conn_of migsafe_bench_apply_s)" -X -At -c "$shape")
    [[ $shape_m == "$shape_p" && $shape_m == "$shape_s" ]] ||
        echo "WARNING: schemas differ: migsafe $shape_m, psql $shape_p, one session $shape_s" >&2
    local applied risky
    applied=$(jq '.report.applied // .applied' "$work/apply1.json")
    risky=$(jq '[(.report.migrations // .migrations)[] | select(.risky)] | length' "$work/apply1.json")

    echo
    echo "## part 1: ${#files[@]} migrations ($statements statements, $nt without a transaction," \
        "$risky risky), best of $runs"
    echo "result: $shape_m; migsafe applied $applied"
    printf '| method | seconds | migrations/s |\n|---|---|---|\n'
    printf '| psql -X -1 -f per file | %.3f | %s |\n' "$best_p" "$(calc "${#files[@]} / $best_p" 0)"
    printf '| psql, one session, a transaction per file (floor) | %.3f | %s |\n' "$best_s" "$(calc "${#files[@]} / $best_s" 0)"
    printf '| migsafe apply --no-snapshot | %.3f | %s |\n' "$best_m" "$(calc "${#files[@]} / $best_m" 0)"
    echo "migsafe / psql per file: $(calc "$best_m / $best_p" 2)x (goal <= 1.3x);" \
        "migsafe / one session: $(calc "$best_m / $best_s" 2)x"
    psql_base -c "DROP DATABASE migsafe_bench_apply_m" -c "DROP DATABASE migsafe_bench_apply_p" \
        -c "DROP DATABASE migsafe_bench_apply_s"
}

# ---------------------------------------------------------------------------------------
# Part 2: backfill under load.

# TPS, worst and 99th-percentile latency (ms) and count of the transactions in the pgbench
# logs $3... that completed between the epoch times $1 and $2. Under -R the latency is
# counted from the transaction's start, not its schedule (the log's 7th field is the lag):
# lock waits show, a client falling behind its schedule does not. The last line of each log
# is skipped: pgbench stopped by a signal may leave it cut.
window_stats() {
    local from=$1 to=$2 f
    shift 2
    for f in "$@"; do head -n -1 "$f"; done | awk -v from="$from" -v to="$to" '
        { done_at = $5 + $6 / 1e6 } done_at >= from && done_at <= to { print ($3 - $7) / 1000 }' |
        sort -n | awk -v span="$(calc "$to - $from")" '
            { lat[NR] = $1 }
            END {
                if (NR == 0) { print "0 0 0 0"; exit }
                k = int(NR * 0.99); if (k < 1) k = 1
                printf "%.0f %.0f %.1f %d\n", NR / span, lat[NR], lat[k], NR
            }'
}

# One load case on a fresh copy of the template, database $2: (a) pgbench alone for
# LOAD_SECONDS, then (c) the backfill while the same pgbench runs. $1 labels it; the rest
# are extra pgbench options (-R RATE). Appends to $table and $summary.
load_case() {
    local label=$1 db=$2
    shift 2
    fresh_db "$db" migsafe_bench_apply_tpl
    local conn s e
    conn=$(conn_of "$db")
    local bench=("$pgbench" -n -c "$clients" -j 2 -f "$work/workload.sql" -l "$@")

    s=$(now)
    "${bench[@]}" -T "$seconds" --log-prefix="$work/$db.base" "$conn" >"$work/$db.base.out" 2>&1
    e=$(now)
    local base_tps base_max base_p99 base_n
    read -r base_tps base_max base_p99 base_n < <(window_stats "$(calc "$s + 1")" "$(calc "$e - 1")" \
        "$work/$db".base.[0-9]*)
    psql "$conn" -X -q -c "VACUUM pgbench_accounts"

    # pgbench runs until a second after the backfill ends (then SIGTERM: its log holds
    # every transaction but the last few), or for at most 40 times the single UPDATE (the
    # duty cycle leaves a saturated server most of its time).
    local warm=3 limit log_from=0
    limit=$(calc "$warm + 40 * $t_single + 30" 0)
    [[ -n $cluster_dir ]] && log_from=$(wc -l <"$cluster_dir/server.log")
    "${bench[@]}" -T "${limit%.*}" --log-prefix="$work/$db.load" "$conn" >"$work/$db.load.out" 2>&1 &
    local pgbench_pid=$!
    sleep "$warm"
    local rc=0
    s=$(now)
    "$migsafe" --log-level debug apply --db "$conn" --dir "$work/backfill" --no-snapshot \
        --lock-timeout "$lock_timeout" --batch-time "$batch_time" --json \
        >"$work/$db.apply.json" 2>"$work/$db.apply.err" || rc=$?
    e=$(now)
    sleep 1
    kill -TERM "$pgbench_pid" 2>/dev/null || true
    wait "$pgbench_pid" || true
    if [[ $rc != 0 ]]; then
        echo "migsafe apply failed (exit $rc):" >&2
        grep -v 'debug' "$work/$db.apply.err" >&2 || true
        cat "$work/$db.apply.json" >&2
    fi
    local logs=("$work/$db".load.[0-9]*) pgbench_end t_backfill covered
    pgbench_end=$(cat "${logs[@]}" | awk '{ t = $5 + $6 / 1e6; if (t > m) m = t } END { printf "%.3f", m }')
    t_backfill=$(calc "$e - $s")
    covered=$(calc "if ($pgbench_end < $e) ($pgbench_end - $s) / $t_backfill * 100 else 100" 0)
    local load_tps load_max load_p99 load_n
    read -r load_tps load_max load_p99 load_n < <(window_stats "$s" "$(min "$e" "$pgbench_end")" "${logs[@]}")
    local m='(.report.migrations // .migrations)[0]' b_rows b_batches b_ms b_attempts status left
    b_rows=$(jq "$m.backfill_rows" "$work/$db.apply.json")
    b_batches=$(jq "$m.backfill_batches" "$work/$db.apply.json")
    b_ms=$(jq "$m.duration_ms" "$work/$db.apply.json")
    b_attempts=$(jq "$m.attempts" "$work/$db.apply.json")
    status=$(jq -r '.status' "$work/$db.apply.json")
    left=$(psql "$conn" -X -At -c "SELECT count(*) FROM pgbench_accounts WHERE newcol IS NULL")
    # The duty cycle, from the engine's debug line per batch: "... updated R rows in T ms; A
    # active and W waiting sessions (load L): pause P ms (reason)".
    local duty
    duty=$({ grep -o 'updated [0-9]* rows in [0-9]* ms; [0-9]* active and [0-9]* waiting sessions (load [0-9.]*): pause [0-9]* ms' \
        "$work/$db.apply.err" || true; } | awk -v total="$t_backfill" '
            { n++; took += $5; active += $7; waiting += $10; load += substr($14, 1, length($14) - 2); pause += $16 }
            END {
                if (n == 0) { print "no batch lines"; exit }
                printf "mean pause %.0f ms, mean batch %.0f ms, in batches %.0f%% of the backfill; sampled %.1f active, %.2f waiting, load %.1f",
                    pause / n, took / n, took / 1000 / total * 100, active / n, waiting / n, load / n
            }')
    local lock_waits=n/a
    if [[ -n $cluster_dir ]]; then
        lock_waits=$(tail -n +"$((log_from + 1))" "$cluster_dir/server.log" | grep -c 'still waiting for' || true)
    fi

    table+=$(printf '| %s: (a) pgbench alone, %s s | | | %s | %s | %s |' "$label" "$seconds" \
        "$base_tps" "$base_max" "$base_p99")$'\n'
    table+=$(printf '| %s: (c) migsafe apply backfill + pgbench | %.2f | %s | %s | %s | %s |' "$label" \
        "$t_backfill" "$(calc "$rows / $t_backfill" 0)" "$load_tps" "$load_max" "$load_p99")$'\n'
    summary+="$label: migsafe exit $rc, status $status, $b_batches batches, $b_rows rows reported,"
    summary+=" migration $b_ms ms, $b_attempts attempt(s), $left rows left NULL;"
    summary+=" pgbench covered $covered% of the backfill ($load_n transactions in it);"
    summary+=" lock waits > 1 s in the server log: $lock_waits"$'\n'
    summary+="$label: duty cycle: $duty; load average $(cut -d' ' -f1-3 /proc/loadavg)"$'\n'
    summary+="$label: TPS during the backfill / alone: $(calc "$load_tps / $base_tps" 2) (goal >= 0.80);"
    summary+=" backfill $(calc "$rows / $t_backfill" 0) rows/s in $t_backfill s,"
    summary+=" $(calc "$t_single / $t_backfill" 2) of the single UPDATE's speed;"
    summary+=" worst latency $load_max ms vs lock timeout $lt_ms ms"$'\n'
    last_base_tps=$base_tps
    [[ -n ${KEEP_LOGS:-} ]] && cp "$work/$db.apply.err" "$KEEP_LOGS/$db.apply.err"
    psql_base -c "DROP DATABASE $db"
}

part2() {
    rows=$((scale * 100000))
    echo "part 2: pgbench -i -s $scale ($rows rows)..." >&2
    fresh_db migsafe_bench_apply_tpl
    local tpl
    tpl=$(conn_of migsafe_bench_apply_tpl)
    "$pgbench" -i -q -s "$scale" "$tpl" >/dev/null 2>"$work/init.log" || { cat "$work/init.log" >&2; exit 1; }
    psql "$tpl" -X -q -v ON_ERROR_STOP=1 -c "ALTER TABLE pgbench_accounts ADD COLUMN newcol int" \
        -c "VACUUM ANALYZE pgbench_accounts" -c "CHECKPOINT"

    local update="UPDATE pgbench_accounts SET newcol = abalance * 2 + 1 WHERE newcol IS NULL"
    cat >"$work/workload.sql" <<SQL
\set aid random(1, $rows)
\set aid2 random(1, $rows)
\set delta random(-5000, 5000)
UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
SELECT abalance FROM pgbench_accounts WHERE aid = :aid2;
SQL
    mkdir -p "$work/backfill"
    cat >"$work/backfill/0001_backfill_newcol.sql" <<SQL
-- Fill the new column of every account.
-- migsafe:phase backfill
-- migsafe:backfill key=aid batch=$batch pause=$pause yield=$yield
$update;
SQL
    "$migsafe" -q sum "$work/backfill" >/dev/null
    case $lock_timeout in
        *ms) lt_ms=${lock_timeout%ms} ;;
        *s) lt_ms=$(calc "${lock_timeout%s} * 1000" 0) ;;
        *) lt_ms=$lock_timeout ;;
    esac

    # (b) the single UPDATE, alone.
    fresh_db migsafe_bench_apply_single migsafe_bench_apply_tpl
    local s e
    s=$(now)
    psql "$(conn_of migsafe_bench_apply_single)" -X -q -v ON_ERROR_STOP=1 -c "$update"
    e=$(now)
    t_single=$(calc "$e - $s")
    psql_base -c "DROP DATABASE migsafe_bench_apply_single"

    # (d) the batched backfill alone: what batching costs without a competing load.
    fresh_db migsafe_bench_apply_alone migsafe_bench_apply_tpl
    s=$(now)
    "$migsafe" -q apply --db "$(conn_of migsafe_bench_apply_alone)" --dir "$work/backfill" --no-snapshot \
        --lock-timeout "$lock_timeout" --batch-time "$batch_time" --json >"$work/alone.json"
    e=$(now)
    local t_alone alone_batches
    t_alone=$(calc "$e - $s")
    alone_batches=$(jq '(.report.migrations // .migrations)[0].backfill_batches' "$work/alone.json")
    psql_base -c "DROP DATABASE migsafe_bench_apply_alone"

    table= summary=
    load_case "full load" migsafe_bench_apply_full
    if [[ $throttle != 0 ]]; then
        local rate
        rate=$(calc "$last_base_tps * $throttle / 100" 0)
        load_case "-R $rate ($throttle% of full)" migsafe_bench_apply_rate -R "$rate"
    fi
    psql_base -c "DROP DATABASE migsafe_bench_apply_tpl"

    echo
    echo "## part 2: $rows rows; pgbench -c $clients -j 2, single-row UPDATE + SELECT by random aid;" \
        "batch-time $batch_time, lock timeout $lock_timeout, pause= $pause, yield= $yield"
    printf '| run | seconds | rows/s | pgbench TPS | worst latency ms | p99 latency ms |\n|---|---|---|---|---|---|\n'
    printf '| (b) one UPDATE, alone | %.2f | %s | | | |\n' "$t_single" "$(calc "$rows / $t_single" 0)"
    printf '| (d) migsafe apply backfill, alone (%s batches) | %.2f | %s | | | |\n' "$alone_batches" \
        "$t_alone" "$(calc "$rows / $t_alone" 0)"
    printf '%s' "$table"
    echo "alone: backfill / single UPDATE speed: $(calc "$t_single / $t_alone" 2)"
    printf '%s' "$summary"
}

for part in $parts; do
    "part$part"
done
