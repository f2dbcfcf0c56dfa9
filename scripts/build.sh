#!/usr/bin/env bash
# Installs the dependencies (scripts/install-deps.sh), then configures and builds migsafe
# into ${MIGSAFE_BUILD_DIR:-build}. Extra arguments go to the CMake configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=${MIGSAFE_BUILD_DIR:-build}
jobs=${MIGSAFE_JOBS:-$(nproc)}
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
cmake --build "$build_dir" -j "$jobs"
