#!/usr/bin/env bash
# The whole test suite: installs the dependencies, builds with warnings as errors and runs
# every test through ctest (unit, real-PostgreSQL, CLI and installed-consumer tests), then
# checks the formatting. Each test binary starts its own ephemeral PostgreSQL cluster
# unless MIGSAFE_TEST_DB names a server.
set -euo pipefail
cd "$(dirname "$0")/.."
# Line tables only (-g1): a crash in CI still has file:line backtraces, and the build takes
# about a third less time than with full debug info (docs/benchmarks.md, "CI build").
bash scripts/build.sh -DMIGSAFE_WERROR=ON "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -g1 -DNDEBUG"
build_dir=${MIGSAFE_BUILD_DIR:-build}
status=0
# The real peer tools (dbmate, Prisma) for the peer tests, from the npm registry; a test
# binary that still lacks them says why.
bash tests/peers/install.sh >/dev/null || echo "test: tests/peers/install.sh exited $?"
# Two more test jobs than cores: the database, CLI and peer binaries spend most of their time
# waiting for PostgreSQL and child programs (docs/benchmarks.md, "CI build").
ctest --test-dir "$build_dir" --output-on-failure --no-tests=error \
  -j "${MIGSAFE_JOBS:-$(( $(nproc) + 2 ))}" || status=$?
if command -v clang-format >/dev/null; then
  cmake --build "$build_dir" --target check-format || status=1
fi
exit $status
