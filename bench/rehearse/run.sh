#!/usr/bin/env bash
# Benchmark of `migsafe rehearse` (issue 12), in one run on one machine:
#   the set: MIGRATIONS generated migrations in golang-migrate's layout (every one with its
#     down file) on TABLES tables of ROWS rows each (bench/rehearse/make_migrations.py), and
#     its migsafe.sum (`migsafe sum`);
#   (a) the peer, psql: every up file once, in order, `psql -X -1 -f FILE` (without -1 for
#     the `-- migsafe:no-transaction` files) into a fresh database of an ephemeral cluster,
#     each file timed on its own; best of RUNS for the total;
#   (b) `migsafe rehearse --dir DIR --format json` (its own ephemeral cluster, as a user runs
#     it), wall-clock, best of RUNS; with SAME_SERVER=1 also `--db` on (a)'s cluster.
# Prints the totals, the ratio rehearse / psql (goal <= 4x), and per migration the time its
# rehearsal's steps took (up, down, compensation, redo, interruptions: from the JSON's
# duration_ms) against 3x its psql time (PER_MIGRATION=all: every migration; default: the
# 20 furthest over).
#
# Usage: bench/rehearse/run.sh
# Environment: MIGSAFE (default build/tools/migsafe/migsafe), MIGRATIONS (200), TABLES (10),
#   ROWS (10000), BACKFILLS (5), RUNS (1), SAME_SERVER (0), PER_MIGRATION (worst),
#   KEEP (a folder: the set, the JSON and the per-migration table are copied there).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
migsafe=${MIGSAFE:-build/tools/migsafe/migsafe}
[[ $migsafe == /* ]] || migsafe=$root/$migsafe
migrations=${MIGRATIONS:-200}
tables=${TABLES:-10}
rows=${ROWS:-10000}
backfills=${BACKFILLS:-5}
runs=${RUNS:-1}
same_server=${SAME_SERVER:-0}
per_migration=${PER_MIGRATION:-worst}
keep=${KEEP:-}

as_owner() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# The server's own psql, not Debian's Perl wrapper in /usr/bin (70 ms per start here).
psql() { "$pg_bin/psql" "$@"; }

work=$(mktemp -d /tmp/migsafe-rehearsebench-XXXXXX)
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
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s%N; }
ms_since() { echo $((($(now) - $1) / 1000000)); }

# The migsafe half needs the binary and its `rehearse` subcommand; without them the psql
# half still runs and says what is missing.
have_migsafe=0
have_rehearse=0
if [[ -x $migsafe ]]; then
    have_migsafe=1
    # `migsafe UNKNOWN --help` prints the main help and exits 0: read the subcommand list.
    "$migsafe" --help 2>/dev/null | grep -qE '^ +rehearse ' && have_rehearse=1
fi

# ---------------------------------------------------------------------------------------
# The set.
dir=$work/migrations
summary=$(python3 "$here/make_migrations.py" "$dir" "$migrations" "$tables" "$rows" "$backfills")
if [[ $have_migsafe == 1 ]]; then
    "$migsafe" -q sum "$dir" >/dev/null
fi
ups=("$dir"/*.up.sql)

# ---------------------------------------------------------------------------------------
# The ephemeral cluster of the psql half (and of SAME_SERVER=1).
cluster_dir=$(mktemp -d /tmp/migsafe-bench-XXXXXX)
[[ $(id -u) == 0 ]] && chown postgres "$cluster_dir"
as_owner "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres >/dev/null
as_owner "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/server.log" -w \
    -o "-k $cluster_dir -c listen_addresses='' -p 5432 -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
base_conn="host=$cluster_dir port=5432 user=postgres dbname=postgres"
conn_of() { echo "host=$cluster_dir port=5432 user=postgres dbname=$1"; }
fresh_db() {
    psql "$base_conn" -X -q -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
        -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
}

echo "migsafe: $([[ $have_migsafe == 1 ]] && "$migsafe" --version || echo "not built ($migsafe)");" \
    "$(psql "$base_conn" -X -At -c 'SELECT version()' | cut -d, -f1);" \
    "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "set: $summary; $tables tables of $rows rows"

# ---------------------------------------------------------------------------------------
# (a) psql: each up file once, in order, each timed. Writes "VERSION MS" lines to $1.
psql_run() {
    local times=$1 conn f ms start version single
    conn=$(conn_of migsafe_bench_rehearse_psql)
    fresh_db migsafe_bench_rehearse_psql
    : >"$times"
    for f in "${ups[@]}"; do
        version=$(basename "$f")
        version=$((10#${version%%_*}))
        single=-1
        grep -q '^-- migsafe:no-transaction' "$f" && single=
        start=$(now)
        if [[ -z $single ]]; then
            PGOPTIONS="-c client_min_messages=warning" psql "$conn" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
        else
            PGOPTIONS="-c client_min_messages=warning" psql "$conn" -X -q -1 -v ON_ERROR_STOP=1 -f "$f" >/dev/null
        fi
        ms=$(ms_since "$start")
        echo "$version $ms" >>"$times"
    done
}

best_psql_ms=
for i in $(seq "$runs"); do
    psql_run "$work/psql.$i.times"
    total=$(awk '{ s += $2 } END { print s }' "$work/psql.$i.times")
    if [[ -z $best_psql_ms || $total -lt $best_psql_ms ]]; then
        best_psql_ms=$total
        cp "$work/psql.$i.times" "$work/psql.times"
    fi
done
echo
echo "## (a) psql -X -1 -f, each up file once, in order (best of $runs)"
echo "psql total: $best_psql_ms ms for ${#ups[@]} migrations"

# What one copy of the finished database costs (the rehearsal makes one or more per
# migration): PostgreSQL 15's two CREATE DATABASE strategies, best of 3 each.
copy_ms() {
    local best= i start ms
    for i in 1 2 3; do
        psql "$base_conn" -X -q -c "SET client_min_messages = warning" \
            -c "DROP DATABASE IF EXISTS migsafe_bench_rehearse_copy"
        start=$(now)
        psql "$base_conn" -X -q -c "CREATE DATABASE migsafe_bench_rehearse_copy \
            TEMPLATE migsafe_bench_rehearse_psql STRATEGY $1"
        ms=$(ms_since "$start")
        [[ -z $best || $ms -lt $best ]] && best=$ms
    done
    psql "$base_conn" -X -q -c "DROP DATABASE migsafe_bench_rehearse_copy"
    echo "$best"
}
db_size=$(psql "$base_conn" -X -At -c "SELECT pg_size_pretty(pg_database_size('migsafe_bench_rehearse_psql'))")
echo "one copy of the finished database ($db_size): CREATE DATABASE ... TEMPLATE," \
    "STRATEGY WAL_LOG (the default) $(copy_ms WAL_LOG) ms, FILE_COPY $(copy_ms FILE_COPY) ms"

if [[ $have_rehearse == 0 ]]; then
    echo
    if [[ $have_migsafe == 0 ]]; then
        echo "(b) skipped: $migsafe is not built (cmake --build build --target migsafe_cli)"
    else
        echo "(b) skipped: this migsafe has no \`rehearse\` subcommand yet"
    fi
    [[ -n $keep ]] && mkdir -p "$keep" && cp -r "$dir" "$work/psql.times" "$keep"/
    exit 0
fi

# ---------------------------------------------------------------------------------------
# (b) migsafe rehearse. Exit 0 (pass) and 1 (a verdict fail) both leave a report; a failing
# verdict is printed: the set is meant to rehearse cleanly.
rehearse_run() {
    local out=$1 rc=0 start
    shift
    start=$(now)
    "$migsafe" rehearse --dir "$dir" --format json "$@" >"$out" 2>"$out.err" || rc=$?
    last_ms=$(ms_since "$start")
    if [[ $rc != 0 && $rc != 1 ]]; then
        echo "migsafe rehearse failed (exit $rc):" >&2
        cat "$out.err" "$out" >&2
        exit 1
    fi
}

best_rehearse_ms=
for i in $(seq "$runs"); do
    rehearse_run "$work/rehearse.$i.json"
    if [[ -z $best_rehearse_ms || $last_ms -lt $best_rehearse_ms ]]; then
        best_rehearse_ms=$last_ms
        cp "$work/rehearse.$i.json" "$work/rehearse.json"
    fi
done
same_ms=
if [[ $same_server == 1 ]]; then
    fresh_db migsafe_bench_rehearse_scratch
    rehearse_run "$work/rehearse.same.json" --db "$(conn_of migsafe_bench_rehearse_scratch)"
    same_ms=$last_ms
fi

echo
echo "## (b) migsafe rehearse --dir DIR --format json (best of $runs)"
python3 - "$work/rehearse.json" "$work/psql.times" "$best_psql_ms" "$best_rehearse_ms" \
    "$per_migration" "$same_ms" "$work/per-migration.tsv" <<'PY'
import json
import sys

path, times_path, psql_ms, rehearse_ms, per, same_ms, table_path = sys.argv[1:8]
psql_ms, rehearse_ms = int(psql_ms), int(rehearse_ms)
doc = json.load(open(path))
report = doc.get("report", doc) or {}
if doc.get("error"):
    print(f"rehearse error: {doc['error'].get('code')}: {doc['error'].get('message')}")
psql_times = {}
for line in open(times_path):
    version, ms = line.split()
    psql_times[int(version)] = int(ms)

print(f"rehearse total: {rehearse_ms} ms wall-clock (the report's duration_ms "
      f"{report.get('duration_ms')}); verdict {report.get('verdict')}, counts {report.get('counts')}")
if same_ms:
    print(f"rehearse --db on the psql half's server: {same_ms} ms "
          f"({int(same_ms) / psql_ms:.2f}x psql)")
print(f"rehearse / psql: {rehearse_ms / psql_ms:.2f}x (goal <= 4x)")
if report.get("stopped"):
    print(f"stopped: {report['stopped']}")

def step_ms(step):
    return step.get("duration_ms", 0) if step else 0

rows = []
findings = {}  # "down lossy" -> lines
for m in report.get("migrations", []):
    version = m["version"] if isinstance(m["version"], int) else int(str(m["version"]))
    steps = {k: step_ms(m.get(k)) for k in ("up", "down", "compensation", "redo")}
    cuts = sum(step_ms(c.get("resume")) + step_ms(c.get("rollback"))
               for c in m.get("interruptions", []))
    total = sum(steps.values()) + cuts
    base = psql_times.get(version, 0)
    rows.append((version, m.get("name", ""), base, total, steps, cuts, len(m.get("interruptions", [])),
                 m.get("result", "")))
    for k in ("up", "down", "compensation", "redo"):
        s = m.get(k) or {}
        if s.get("status") in ("failed", "lossy"):
            what = (s.get("error") or "; ".join(s.get("differences", [])[:2]) or
                    "; ".join(loss.get("description", "") for loss in s.get("losses", [])[:2]))
            findings.setdefault(f"{k} {s['status']}", []).append(
                f"{version:04d} {m.get('name')}: {k} {s['status']}: {what}")

# The set is meant to pass: what did not, counted per step and status, with examples.
for key, lines in sorted(findings.items()):
    kinds = {}
    for line in lines:
        kind = line.split(" ", 2)[1].split("_", 1)[0]  # the generator's kind: add, rename, ...
        kinds[kind] = kinds.get(kind, 0) + 1
    spread = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
    print(f"{key}: {len(lines)} migrations ({spread}), e.g.")
    for line in lines[:3]:
        print(f"  {line}")
by_step = {k: sum(r[4][k] for r in rows) for k in ("up", "down", "compensation", "redo")}
by_step["interruptions"] = sum(r[5] for r in rows)
print("steps' time: " + ", ".join(f"{k} {v} ms" for k, v in by_step.items()))
within = sum(1 for r in rows if r[3] <= 3 * r[2])
steps_total = sum(r[3] for r in rows)
print(f"steps of the report: {steps_total} ms in all ({steps_total / psql_ms:.2f}x psql); "
      f"the rest of the wall-clock ({rehearse_ms - steps_total} ms) is the cluster, the copies "
      f"(CREATE DATABASE ... TEMPLATE) and the fingerprints")
print(f"per migration, steps within 3x its psql time: {within} of {len(rows)}")

with open(table_path, "w") as f:
    f.write("version\tname\tpsql_ms\trehearse_ms\tup\tdown\tcompensation\tredo\t"
            "interruptions_ms\tinterruptions\tresult\n")
    for r in rows:
        f.write(f"{r[0]}\t{r[1]}\t{r[2]}\t{r[3]}\t{r[4]['up']}\t{r[4]['down']}\t"
                f"{r[4]['compensation']}\t{r[4]['redo']}\t{r[5]}\t{r[6]}\t{r[7]}\n")

shown = rows if per == "all" else sorted(rows, key=lambda r: r[3] - 3 * r[2], reverse=True)[:20]
print()
print("| migration | psql ms | 3x psql | rehearse steps ms | up | down | comp | redo | "
      "interruptions | within 3x |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in shown:
    print(f"| {r[0]:04d} {r[1]} | {r[2]} | {3 * r[2]} | {r[3]} | {r[4]['up']} | {r[4]['down']} | "
          f"{r[4]['compensation']} | {r[4]['redo']} | {r[5]} ({r[6]}) | "
          f"{'yes' if r[3] <= 3 * r[2] else 'no'} |")
if per != "all":
    print(f"(the {len(shown)} furthest over 3x; PER_MIGRATION=all prints all {len(rows)})")
PY

if [[ -n $keep ]]; then
    mkdir -p "$keep"
    cp -r "$dir" "$work/psql.times" "$work/rehearse.json" "$work/per-migration.tsv" "$keep"/
    echo "kept in $keep"
fi
