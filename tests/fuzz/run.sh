#!/usr/bin/env bash
# Long fuzzing runs with libFuzzer (clang), AddressSanitizer and UBSan, in a build folder of
# their own. The same targets run for seconds in ctest with the g++ driver (driver.cpp).
#
#   tests/fuzz/run.sh [TARGET...]        # default: every target
#
#   MIGSAFE_FUZZ_SECONDS  seconds per target (default 300)
#   MIGSAFE_FUZZ_BUILD    build folder (default build-fuzz at the repository's top)
#   MIGSAFE_FUZZ_JOBS     build jobs (default 2)
#
# Each target starts from a scratch copy of tests/fuzz/corpus/NAME plus
# tests/fuzz/regressions/NAME. A crash, leak, timeout or broken invariant leaves the input
# in $MIGSAFE_FUZZ_BUILD/artifacts/NAME/: keep it as tests/fuzz/regressions/NAME/<short
# name> once fixed, so that ctest replays it. Installs clang-14 and libclang-rt-14-dev with
# apt-get when they are missing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/../.." && pwd)"
build="${MIGSAFE_FUZZ_BUILD:-$top/build-fuzz}"
seconds="${MIGSAFE_FUZZ_SECONDS:-300}"
jobs="${MIGSAFE_FUZZ_JOBS:-2}"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(migration sum_file integrity_report manifest)
fi

# The clang toolchain and its libFuzzer runtime, installed like scripts/install-deps.sh does.
missing=()
for package in clang-14 libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "fuzz: installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mkdir -p "$build"
flags="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g -O1"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DMIGSAFE_FUZZ_ENGINE=libfuzzer -DMIGSAFE_WERROR=OFF -DMIGSAFE_INSTALL=OFF \
    ${CMAKE_CXX_COMPILER_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$CMAKE_CXX_COMPILER_LAUNCHER} \
    >"$build/configure.log"
for name in "${targets[@]}"; do
    cmake --build "$build" -j"$jobs" --target "migsafe-fuzz-$name"
done

status=0
for name in "${targets[@]}"; do
    work="$build/corpus/$name"
    artifacts="$build/artifacts/$name"
    rm -rf "$work"
    mkdir -p "$work" "$artifacts"
    cp -r "$here/corpus/$name/." "$work/"
    cp -r "$here/regressions/$name/." "$work/" 2>/dev/null || true
    echo "fuzz: $name for ${seconds}s (inputs that fail go to $artifacts)"
    # -rss_limit_mb: a parser that needs more than 2 GB for one input is a finding too.
    if ! ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/tests/fuzz/migsafe-fuzz-$name" "$work" \
        -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 2>"$build/$name.log"; then
        echo "fuzz: $name FAILED: see $build/$name.log and $artifacts" >&2
        status=1
    fi
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)" "$build/$name.log" || true
done
exit $status
