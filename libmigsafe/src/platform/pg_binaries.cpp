#include "platform/logging.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/pg_binaries.hpp>
#include <migsafe/platform/process.hpp>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <optional>

namespace migsafe::platform {
namespace {

constexpr std::string_view k_hint = "apt-get install postgresql-15 or set MIGSAFE_PG_BINDIR";

/// The first required program missing from `dir`, or empty when all are there.
std::string first_missing(const std::filesystem::path& dir, const PgBinarySearch& search)
{
    for (const auto& name : search.required) {
        std::error_code ec;
        auto path = dir / name;
        if (!std::filesystem::is_regular_file(path, ec) || access(path.c_str(), X_OK) != 0) {
            return name;
        }
    }
    return {};
}

std::optional<std::filesystem::path> from_pg_config(const PgBinarySearch& search)
{
    auto pg_config = find_in_path("pg_config");
    if (!pg_config) {
        return std::nullopt;
    }
    auto result = run_process({.program = pg_config->string(),
                               .args = {"--bindir"},
                               .timeout = std::chrono::seconds(10),
                               .on_failure = OnFailure::return_result});
    std::string dir = result.out;
    while (!dir.empty() && (dir.back() == '\n' || dir.back() == '\r')) {
        dir.pop_back();
    }
    if (result.exit_code != 0 || dir.empty() || !first_missing(dir, search).empty()) {
        return std::nullopt;
    }
    return dir;
}

int parse_int(std::string_view text)
{
    int value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    return value;
}

std::optional<std::filesystem::path> newest_versioned(const PgBinarySearch& search)
{
    std::error_code ec;
    std::optional<std::filesystem::path> best;
    int best_major = 0;
    for (const auto& entry : std::filesystem::directory_iterator(search.versioned_root, ec)) {
        int major = parse_int(entry.path().filename().string());
        auto bin = entry.path() / "bin";
        if (major > best_major && first_missing(bin, search).empty()) {
            best_major = major;
            best = bin;
        }
    }
    return best;
}

/// "pg_ctl (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)" -> 15
int read_major_version(const std::filesystem::path& bindir)
{
    auto result = run_process({.program = (bindir / "pg_ctl").string(),
                               .args = {"--version"},
                               .timeout = std::chrono::seconds(10)});
    auto close = result.out.find(") ");
    return close == std::string::npos ? 0
                                      : parse_int(std::string_view(result.out).substr(close + 2));
}

PgBinaries finish(std::filesystem::path bindir, std::string found_by)
{
    PgBinaries binaries{.bindir = std::move(bindir), .found_by = std::move(found_by)};
    binaries.major_version = read_major_version(binaries.bindir);
    detail::log_debug("PostgreSQL {} programs in {} (found by {})", binaries.major_version,
                      binaries.bindir.string(), binaries.found_by);
    return binaries;
}

} // namespace

PgBinaries find_pg_binaries(const PgBinarySearch& search)
{
    if (const char* env = std::getenv("MIGSAFE_PG_BINDIR"); env != nullptr && *env != '\0') {
        std::string missing = first_missing(env, search);
        if (!missing.empty()) {
            throw Error("binary-not-found",
                        fmt::format("{} was not found in MIGSAFE_PG_BINDIR ({})", missing, env),
                        {.object = "MIGSAFE_PG_BINDIR"}, std::string(k_hint));
        }
        return finish(env, "MIGSAFE_PG_BINDIR");
    }
    if (auto dir = from_pg_config(search)) {
        return finish(*dir, "pg_config");
    }
    if (auto dir = newest_versioned(search)) {
        return finish(*dir, search.versioned_root.string());
    }
    if (auto initdb = find_in_path("initdb")) {
        auto dir = initdb->parent_path();
        if (first_missing(dir, search).empty()) {
            return finish(dir, "PATH");
        }
    }
    throw Error("binary-not-found",
                fmt::format("PostgreSQL programs ({}) were not found in MIGSAFE_PG_BINDIR, "
                            "pg_config --bindir, {}/*/bin or PATH",
                            fmt::join(search.required, ", "), search.versioned_root.string()),
                {}, std::string(k_hint));
}

} // namespace migsafe::platform
