#pragma once

/// Named deploy targets (`[environments.NAME]`): chosen with `--env NAME` or
/// `MIGSAFE_ENV`; the connection comes from the environment variable the file names.

#include <migsafe/config/config_file.hpp>
#include <migsafe/config/discover.hpp>
#include <migsafe/config/setting.hpp>
#include <migsafe/export.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace migsafe::config {

/// The environment a run uses.
struct ChosenEnvironment {
    Setting name{};         ///< key `environment`: its name, from `--env` or `MIGSAFE_ENV`
    Setting database{};     ///< key `database`: the connection, password masked
    std::string conninfo{}; ///< the connection itself; never printed
    const Environment* spec = nullptr; ///< into the ConfigFile given
};

/// The environment named by `option` (`--env`, empty when not given), else by
/// `MIGSAFE_ENV`; nullopt when neither names one. Throws `config-environment` when the
/// name is not an `[environments.NAME]` of `file` (with a "did you mean"; also when there
/// is no file), or when its `database_url_env` variable is unset or empty.
MIGSAFE_API std::optional<ChosenEnvironment>
choose_environment(const std::optional<ConfigFile>& file, std::string_view option,
                   const EnvLookup& env);

} // namespace migsafe::config
