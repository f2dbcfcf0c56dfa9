#!/usr/bin/env bash
# migsafe's main job, end to end, on the embedded default: builds migsafe if needed, then
# `migsafe demo` starts an ephemeral PostgreSQL cluster, runs the whole flow on
# sql-fixtures/podiatry and removes the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh >&2
exec "${MIGSAFE_BUILD_DIR:-build}/tools/migsafe/migsafe" demo "$@"
