#!/usr/bin/env bash
# clang-tidy with the repo's .clang-tidy (naming rules, bugprone-*, performance-*), warnings
# as errors, on the library and CLI sources a commit range changed:
#   scripts/tidy.sh            the files the newest commit changed (what CI runs)
#   scripts/tidy.sh BASE       the files changed since BASE (e.g. origin/main)
#   scripts/tidy.sh --all      every file (about 7 s of CPU a file: half an hour on 2 cores)
# Needs a configured build directory (${MIGSAFE_BUILD_DIR:-build}, compile_commands.json).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${MIGSAFE_BUILD_DIR:-build}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
if [ -z "$tidy" ]; then
  echo "tidy: clang-tidy is not installed (apt-get install clang-tidy)" >&2
  exit 3
fi
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "tidy: $build_dir/compile_commands.json is missing: configure the build first" >&2
  exit 3
fi
if [ "${1:-}" = "--all" ]; then
  files=$(git ls-files 'libmigsafe/src/*.cpp' 'tools/*.cpp')
else
  base=${1:-HEAD~1}
  if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
    echo "tidy: no commit $base to compare with: nothing checked"
    exit 0
  fi
  files=$(git diff --name-only --diff-filter=AMR "$base" -- 'libmigsafe/src/*.cpp' 'tools/*.cpp')
fi
if [ -z "$files" ]; then
  echo "tidy: no library or CLI source changed"
  exit 0
fi
count=$(echo "$files" | wc -l)
echo "tidy: clang-tidy on $count file(s)"
# One clang-tidy per file, as many at once as there are cores; any diagnostic fails.
echo "$files" | xargs -P "$(nproc)" -n 1 "$tidy" -p "$build_dir" --quiet --warnings-as-errors='*'
