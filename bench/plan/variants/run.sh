#!/bin/sh
# The full run of the statement variants (issue 15, docs/trace.md "Statement variants"):
# regenerates variants.txt, traces every variant on PostgreSQL (one database per object
# state, each variant rolled back), compares it with `plan --db` on that state, and prints
# agreed/total, the differences and the time per state.
#
#   bench/plan/variants/run.sh [build-dir]        (default: build)
#
# Exit status: the test's (non-zero when a difference is not in
# tests/db/trace/variants-differences.txt, a listed one is gone, the plan called "safe" a
# statement PostgreSQL ran with ACCESS EXCLUSIVE and a rewrite or full read, or fewer than
# 99 % of the traced variants agree: the case today, while SELECT is not planned).
# MIGSAFE_UPDATE_GOLDEN=1 rewrites the golden file (new lines need a reason).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=${1:-$root/build}
tests="$build/tests/migsafe-db-tests"
if [ ! -x "$tests" ]; then
    echo "run.sh: $tests not found: cmake --build $build --target migsafe-db-tests" >&2
    exit 2
fi
python3 "$here/generate.py"
report=$(mktemp)
log=$(mktemp)
trap 'rm -f "$report" "$log"' EXIT
start=$(date +%s)
status=0
MIGSAFE_VARIANTS=all MIGSAFE_VARIANTS_REPORT="$report" \
    "$tests" -tc='*statement variants*' >"$log" 2>&1 || status=$?
end=$(date +%s)
cat "$report"
grep -E 'not in |listed but|no reason|claims less|agreement below|fewer than' "$log" || true
# A failed test keeps its cluster for inspection; the figures above say what failed.
kept=$(sed -n 's/.*kept the cluster in \([^ ]*\).*/\1/p' "$log" | head -n 1)
if [ -n "$kept" ] && [ -d "$kept" ]; then
    rm -rf "$kept"
fi
echo "wall time: $((end - start)) s (test exit status $status)"
exit "$status"
