#!/usr/bin/env bash
# Kill-anywhere, long form: `migsafe apply` of a set with transactional, no-transaction
# (CREATE INDEX CONCURRENTLY) and batched backfill migrations, killed by SIGKILL or SIGTERM
# after random delays (up to three runs in a row, sometimes with a held snapshot that
# stretches the index builds), rerun to completion and compared with an uninterrupted run:
# catalog with index validity, rows of every table (migsafe verify --against), history,
# and a clean `migsafe status`. The short form (fixed kill points) runs in ctest.
#
# Usage: tests/kill-anywhere.sh [SECONDS]   (default 300)
# Environment: BUILD (default build), MIGSAFE_TEST_SEED (replay a run), MIGSAFE_TEST_DB
#   (a server to use instead of an ephemeral cluster).
# Prints one summary line; exits non-zero on any mismatch.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
build=${BUILD:-build}
tests=$build/tests/migsafe-cli-tests
if [[ ! -x $tests ]]; then
    echo "kill-anywhere: build the tests first: cmake --build $build --target migsafe-cli-tests migsafe_cli" >&2
    exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
MIGSAFE_KILL_ANYWHERE_SECONDS=$seconds "$tests" -tc='*kill-anywhere (long)*' 2>&1 | tee "$log" |
    grep -E 'kill-anywhere|differs|ERROR|FAILED' || true
status=${PIPESTATUS[0]}
summary=$(grep -Eo 'kill-anywhere \(long\): [0-9]+ rounds, [0-9]+ kills, [0-9]+ mismatches, seed [0-9]+' "$log" | tail -1)
if [[ -z $summary ]]; then
    echo "kill-anywhere: no summary (the test binary exited $status)"
    exit 1
fi
echo "$summary (test binary exit $status)"
if [[ $status -ne 0 ]] || ! grep -q ' 0 mismatches' <<<"$summary"; then
    exit 1
fi
