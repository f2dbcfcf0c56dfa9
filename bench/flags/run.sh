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

# shellcheck source=bench/flags/database.sh
source "$root/bench/flags/database.sh"
trap 'bench_database_stop migsafe_bench_flags' EXIT
bench_database_start migsafe_bench_flags "$@"

echo "flags bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$driver" "$db" "${FLAGS:-500}" "${CLIENTS:-8}" "${CHANGES:-200}"
