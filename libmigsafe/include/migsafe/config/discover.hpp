#pragma once

/// Which migsafe.toml a run uses: `--config FILE`, else `MIGSAFE_CONFIG`, else the first
/// migsafe.toml found from the current directory upwards, stopping at the directory that
/// holds `.git` (the repository's root) or at the file-system root.

#include <migsafe/export.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace migsafe::config {

/// Reads an environment variable: nullopt when it is unset (an empty value counts as
/// unset). Tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The process environment, through std::getenv.
MIGSAFE_API EnvLookup process_environment();

/// The first migsafe.toml in `start` or one of its parents; the search ends after the
/// directory holding `.git`, or at the root. nullopt when there is none. Cost: one stat
/// per directory climbed.
MIGSAFE_API std::optional<std::filesystem::path> find_config(const std::filesystem::path& start);

/// Where the config of this run came from.
enum class FileSource { none, option, environment_variable, found };

struct ConfigChoice {
    std::optional<std::filesystem::path> path{}; ///< nullopt: no config file
    FileSource source = FileSource::none;
};

/// `option` (`--config`, empty when not given), else `MIGSAFE_CONFIG`, else
/// `find_config(start)`. A file named by the option or the variable must exist: throws
/// `input-not-found` naming it otherwise.
MIGSAFE_API ConfigChoice choose_config(std::string_view option, const EnvLookup& env,
                                       const std::filesystem::path& start);

} // namespace migsafe::config
