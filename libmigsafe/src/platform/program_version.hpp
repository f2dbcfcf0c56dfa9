#pragma once
// Private: what a program says of its own version, for a manifest.

#include <migsafe/platform/process.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace migsafe::platform {

/// Trailing line breaks removed.
inline std::string without_trailing_newlines(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text;
}

/// `PROGRAM --version`, e.g. `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)`. Throws
/// what run_process throws (`binary-not-found`, ...).
inline std::string program_version(const std::filesystem::path& program)
{
    return without_trailing_newlines(run_process({.program = program.string(),
                                                  .args = {"--version"},
                                                  .timeout = std::chrono::seconds(30)})
                                         .out);
}

} // namespace migsafe::platform
