#pragma once

/// The effective settings of a run and where each came from: command-line option >
/// environment variable > config file > built-in default (docs/config.md).

#include <migsafe/config/config_file.hpp>
#include <migsafe/config/discover.hpp>
#include <migsafe/config/setting.hpp>
#include <migsafe/export.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace migsafe::config {

/// What resolution needs besides the file.
struct ResolveOptions {
    EnvLookup env = process_environment();
    /// `--env NAME` (empty: not given; then `MIGSAFE_ENV`).
    std::string environment_option{};
    /// The setting the command line gave for `key` (source `option`, origin the option's
    /// name), nullopt when it gave none. Unset: the command line gave nothing.
    std::function<std::optional<Setting>(std::string_view key)> from_command_line{};
};

/// The resolved settings of one run.
struct Effective {
    Setting file{};        ///< key `config`: the file used, or "" (none)
    Setting environment{}; ///< key `environment`: the name chosen, or ""
    /// key `database`: the chosen environment's connection (password masked), read from
    /// its `database_url_env` variable; empty without an environment.
    Setting database{};
    std::string conninfo{};          ///< the connection itself; never printed
    std::vector<Setting> settings{}; ///< one per `config_keys()` entry, in that order
    std::optional<ConfigFile> config{};

    /// The setting of `key`, or nullptr.
    const Setting* find(std::string_view key) const;
    /// The report of `migsafe config --json`.
    std::string to_json() const;
    /// The report of `migsafe config`.
    std::string to_text() const;
};

/// Resolves every key of `config_keys()` for a run with `file` (nullopt: no config file,
/// chosen as `choice` says). Environment variables are validated like file values. An
/// environment chosen by `--env` or `MIGSAFE_ENV` must exist in the file and its
/// variable must be set. Throws `config-invalid` (a bad variable value, naming it),
/// `config-environment` (an unknown environment, with a "did you mean"; its variable
/// unset or empty), `config-secret` never (the file was checked when read).
MIGSAFE_API Effective resolve(std::optional<ConfigFile> file, const ConfigChoice& choice,
                              const ResolveOptions& options);

} // namespace migsafe::config
