#!/usr/bin/env bash
# Benchmark of the flags panel's page load (issue 13): FLAGS flags (each on in production,
# a third of them at a partial rollout, a quarter also with a staging state), then
# `migsafe flag serve` on 127.0.0.1, and REQUESTS times each of
#   GET /            the page (HTML; its JS and CSS are two more small static files)
#   GET /api/flags   every flag with its environments, the stale keys (what the page shows)
#   GET /api/events  the last 50 changes
# timed by curl as the time to the first byte of the answer on a fresh loopback connection
# (the server's time: routing, token check, a pooled session, the store's two queries, the
# JSON; loopback costs ~0.1 ms). Goal: under 100 ms for the page load with 500 flags.
# The peer, in the same run: the same listing through `migsafe flag list --json` (a
# process, a connection and the same library call).
#
# Usage: bench/flags/panel.sh [CONNINFO]
#   Without CONNINFO an ephemeral cluster is started and removed afterwards. With one, the
#   database migsafe_bench_panel is (re)created on that server and dropped at the end.
# Environment: MIGSAFE (default build/tools/migsafe/migsafe), FLAGS (500), REQUESTS (50).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
migsafe=${MIGSAFE:-build/tools/migsafe/migsafe}
[[ $migsafe == /* ]] || migsafe=$root/$migsafe
flags=${FLAGS:-500}
requests=${REQUESTS:-50}

# shellcheck source=bench/flags/database.sh
source "$here/database.sh"
server_pid=
work=$(mktemp -d /tmp/migsafe-bench-panel-XXXXXX)
cleanup() {
    [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
    bench_database_stop migsafe_bench_panel
    rm -rf "$work"
}
trap cleanup EXIT
bench_database_start migsafe_bench_panel "$@"

echo "panel bench: creating $flags flags (migsafe flag create, on, rollout)..."
start=$(date +%s.%N)
# The first flag alone creates the store; the others follow two at a time.
"$migsafe" flag create bench-flag-0000 --db "$db" --owner team-0 --criteria "bench" \
    --reason "bench" >/dev/null
seq 1 "$((flags - 1))" | xargs -P 2 -I{} sh -c '
    m=$1; db=$2; i=$3; key=$(printf "bench-flag-%04d" "$i")
    "$m" flag create "$key" --db "$db" --owner "team-$((i % 17))" --kind release \
        --criteria "error rate below 0.1 % for a week" --description "flag number $i" \
        --reason "bench" >/dev/null
    "$m" flag on "$key" --db "$db" --env production --reason "bench" >/dev/null
    if [ $((i % 3)) -eq 0 ]; then
        "$m" flag rollout "$key" $((i % 100)) --db "$db" --env production --reason "bench" >/dev/null
    else
        "$m" flag rollout "$key" 100 --db "$db" --env production --reason "bench" >/dev/null
    fi
    if [ $((i % 4)) -eq 0 ]; then
        "$m" flag on "$key" --db "$db" --env staging --reason "bench" >/dev/null
    fi
' _ "$migsafe" "$db" {}
echo "panel bench: created in $(echo "$(date +%s.%N) - $start" | bc) s"

token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
MIGSAFE_PANEL_TOKEN=$token "$migsafe" flag serve --db "$db" --listen 127.0.0.1:0 \
    2>"$work/serve.err" &
server_pid=$!
for _ in $(seq 1 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.err" || true)
    [[ -n $url ]] && break
    sleep 0.1
done
[[ -n $url ]] || { echo "panel bench: no URL from migsafe flag serve:"; cat "$work/serve.err"; exit 1; }

# time_starttransfer: from the start of the request to the first byte of the answer.
measure() { # name path [auth]
    local name=$1 path=$2 auth=${3:-}
    local times=$work/$name.times
    : >"$times"
    for _ in $(seq 1 "$requests"); do
        if [[ -n $auth ]]; then
            curl -s -o "$work/$name.body" -w '%{http_code} %{time_starttransfer} %{time_total}\n' \
                -H "Authorization: Bearer $token" "$url${path#/}" >>"$times"
        else
            curl -s -o "$work/$name.body" -w '%{http_code} %{time_starttransfer} %{time_total}\n' \
                "$url${path#/}" >>"$times"
        fi
    done
    if grep -vq '^200 ' "$times"; then echo "panel bench: $path did not answer 200"; exit 1; fi
    local bytes
    bytes=$(wc -c <"$work/$name.body")
    sort -k2 -g "$times" | awk -v name="$path" -v bytes="$bytes" -v n="$requests" '
        { ttfb[NR] = $2 * 1000; total[NR] = $3 * 1000 }
        END {
            printf "%-14s %7d bytes  first byte: median %6.1f ms  p95 %6.1f ms  max %6.1f ms  (whole answer median %6.1f ms)\n",
                name, bytes, ttfb[int((n + 1) / 2)], ttfb[int(n * 0.95 + 0.5)], ttfb[n],
                total[int((n + 1) / 2)]
        }'
}

echo "panel bench: $flags flags, $requests requests each, $(nproc) cores"
measure page / 
measure flags /api/flags auth
measure events "/api/events" auth
count=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["flags"]))' "$work/flags.body")
echo "panel bench: /api/flags listed $count flags"

# The peer: the same listing through the CLI (process start, connect, list, JSON).
cli_start=$(date +%s%N)
for _ in $(seq 1 10); do "$migsafe" flag list --db "$db" --json >/dev/null; done
cli_ms=$(( ($(date +%s%N) - cli_start) / 10000000 ))
echo "peer: migsafe flag list --json (whole process), mean of 10: ${cli_ms} ms"
