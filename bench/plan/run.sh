#!/usr/bin/env bash
# bench/plan: `migsafe plan` against squawk on the same corpus of migrations, in one run.
# squawk (npm package squawk-cli) is installed here, under bench/.work, never by the build.
#   bench/plan/run.sh [MIGRATIONS] [STATEMENTS_PER_MIGRATION] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
migrations=${1:-600}
per=${2:-10}
runs=${3:-5}
work=bench/.work/plan
mkdir -p "$work"
migsafe=${MIGSAFE_BUILD_DIR:-build}/tools/migsafe/migsafe
[ -x "$migsafe" ] || bash scripts/build.sh >&2

if [ ! -x bench/.work/node_modules/.bin/squawk ]; then
  npm install --silent --prefix bench/.work squawk-cli@2 >&2
fi
squawk=bench/.work/node_modules/.bin/squawk

rm -rf "$work/corpus"
statements=$(python3 bench/plan/make_corpus.py "$work/corpus" "$migrations" "$per")
files=("$work"/corpus/*.sql)
echo "corpus: ${#files[@]} files, $statements statements" >&2

# Best of $runs wall-clock runs of a command (seconds, 3 decimals).
best_of() {
  local best=""
  for _ in $(seq "$runs"); do
    local start end elapsed
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    elapsed=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || (( $(echo "$elapsed < $best" | bc) )); then best=$elapsed; fi
  done
  printf '%.3f' "$best"
}

# Like with like: each tool's machine-readable report, then each tool's terminal text.
migsafe_json=$(best_of "$migsafe" plan --format json "$work/corpus")
squawk_json=$(best_of "$squawk" --pg-version 15 --reporter json "${files[@]}")
# Both tools use every core they are given; on one core (taskset) the comparison is of the
# work each does, not of how well it spreads.
migsafe_json_1=$(best_of taskset -c 0 "$migsafe" plan --format json "$work/corpus")
squawk_json_1=$(best_of taskset -c 0 "$squawk" --pg-version 15 --reporter json "${files[@]}")
migsafe_text=$(best_of env NO_COLOR=1 "$migsafe" plan "$work/corpus")
squawk_text=$(best_of env NO_COLOR=1 "$squawk" --pg-version 15 "${files[@]}")

# Both exit non-zero when they find something: that is the point, not a failure here.
migsafe_findings=$({ "$migsafe" plan --format json "$work/corpus" 2>/dev/null || true; } |
  python3 -c 'import json,sys; d=json.load(sys.stdin)["report"]; print(sum(len(s["findings"]) for s in d["statements"]))')
squawk_findings=$({ "$squawk" --pg-version 15 --reporter json "${files[@]}" 2>/dev/null || true; } |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d) if isinstance(d,list) else sum(len(f.get("violations",[])) for f in d.get("files",[])))' || echo "?")

echo "| tool | output | seconds (best of $runs) | statements/s | findings |"
echo "|---|---|---|---|---|"
migsafe_version=$("$migsafe" --version | cut -d' ' -f2)
squawk_version=$("$squawk" --version 2>/dev/null | awk '{print $NF}')
echo "| migsafe plan $migsafe_version | json | $migsafe_json | $(echo "$statements / $migsafe_json" | bc) | $migsafe_findings |"
echo "| squawk $squawk_version | json | $squawk_json | $(echo "$statements / $squawk_json" | bc) | $squawk_findings |"
echo "| migsafe plan $migsafe_version | json, 1 core | $migsafe_json_1 | $(echo "$statements / $migsafe_json_1" | bc) | |"
echo "| squawk $squawk_version | json, 1 core | $squawk_json_1 | $(echo "$statements / $squawk_json_1" | bc) | |"
echo "| migsafe plan $migsafe_version | text | $migsafe_text | $(echo "$statements / $migsafe_text" | bc) | |"
echo "| squawk $squawk_version | text | $squawk_text | $(echo "$statements / $squawk_text" | bc) | |"
