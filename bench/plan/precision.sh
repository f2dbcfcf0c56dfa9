#!/usr/bin/env bash
# bench/plan/precision.sh: precision and recall of `migsafe plan` and squawk on the
# realistic corpus bench/plan/realistic (290 migrations with hand-written labels).
#   bench/plan/precision.sh [--doc]     --doc also writes the figures into docs/benchmarks.md
# MIGSAFE_BUILD_DIR picks the build (default build). squawk (npm squawk-cli 2.66.0) is
# installed under bench/.work, never by the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=bench/plan/realistic
work=bench/.work/plan/precision
mkdir -p "$work"
migsafe=${MIGSAFE_BUILD_DIR:-build}/tools/migsafe/migsafe
[ -x "$migsafe" ] || bash scripts/build.sh >&2
squawk=bench/.work/node_modules/.bin/squawk
if [ ! -x "$squawk" ] || [ "$("$squawk" --version | awk '{print $NF}')" != 2.66.0 ]; then
  npm install --silent --prefix bench/.work squawk-cli@2.66.0 >&2
fi

# migsafe plans the directory as a user would: each migration its own release (no
# --release-from), so a table created by an earlier migration is an existing table.
rc=0
"$migsafe" plan --format json "$corpus/migrations" >"$work/migsafe.json" 2>"$work/migsafe.err" || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "migsafe plan exited $rc:" >&2
  cat "$work/migsafe.err" >&2
  exit 1
fi
# squawk lints each up file (it has no notion of a migration directory).
"$squawk" --reporter json --pg-version 15 "$corpus"/migrations/*/up.sql >"$work/squawk.json" || true
# The runner wraps each file in a transaction: squawk's own option for that, reported apart.
"$squawk" --reporter json --pg-version 15 --assume-in-transaction "$corpus"/migrations/*/up.sql \
  >"$work/squawk-tx.json" || true

migsafe_version=$("$migsafe" --version | cut -d' ' -f2)
commit=$(git rev-parse --short HEAD)
stamp="$(date -u +%Y-%m-%d\ %H:%M) UTC, migsafe $migsafe_version (${MIGSAFE_BUILD_DIR:-build}, HEAD $commit), squawk $("$squawk" --version | awk '{print $NF}')"
echo "$stamp"
statements=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["report"]["statements"]))' "$work/migsafe.json")
lines=$(cat "$corpus"/migrations/*/up.sql | wc -l)
stamp="$stamp; corpus: $statements statements, $lines lines of up.sql"
if [ "${1:-}" = --doc ]; then
  python3 bench/plan/precision.py "$corpus" "$work/migsafe.json" "$work/squawk.json" "$work/squawk-tx.json" \
    --doc docs/benchmarks.md --stamp "$stamp"
else
  python3 bench/plan/precision.py "$corpus" "$work/migsafe.json" "$work/squawk.json" "$work/squawk-tx.json"
fi
