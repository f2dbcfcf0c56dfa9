#pragma once
// What every fuzz target checks besides "no crash, no hang": the only exception that may
// leave migsafe is migsafe::Error (anything else escapes the target, and both libFuzzer
// and tests/fuzz/driver.cpp stop with the input saved), and broken round trips abort.

#include <migsafe/platform/error.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace migsafe::fuzz {

/// Aborts (a crash the fuzzer keeps) when an invariant does not hold.
inline void require(bool condition, const char* what)
{
    if (!condition) {
        std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
        std::abort();
    }
}

/// Runs `body`, swallowing migsafe::Error only: bad input is expected to be refused.
template <typename Body>
void expect_only_migsafe_errors(Body body)
{
    try {
        body();
    } catch (const migsafe::Error&) {
    }
}

inline std::string_view as_text(const unsigned char* data, std::size_t size)
{
    return {reinterpret_cast<const char*>(data), size};
}

} // namespace migsafe::fuzz
