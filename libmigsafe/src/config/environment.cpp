// Choosing a deploy target: its name from `--env` or MIGSAFE_ENV, its connection from the
// environment variable the file names (a connection string never sits in the file).
#include "model/did_you_mean.hpp"

#include <migsafe/config/environment.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <vector>

namespace migsafe::config {

std::optional<ChosenEnvironment> choose_environment(const std::optional<ConfigFile>& file,
                                                    std::string_view option, const EnvLookup& env)
{
    ChosenEnvironment chosen;
    if (!option.empty()) {
        chosen.name = {.key = "environment",
                       .value = std::string(option),
                       .source = Source::option,
                       .origin = "--env"};
    } else if (auto variable = env("MIGSAFE_ENV")) {
        chosen.name = {.key = "environment",
                       .value = *variable,
                       .source = Source::environment_variable,
                       .origin = "MIGSAFE_ENV"};
    } else {
        return std::nullopt;
    }
    const auto& name = chosen.name.value;
    if (!file) {
        throw Error("config-environment",
                    fmt::format("{} names the environment '{}', but no migsafe.toml was found",
                                chosen.name.origin, name),
                    {.object = chosen.name.origin},
                    "run from the project's directory, or pass --config FILE");
    }
    auto found = file->environments.find(name);
    if (found == file->environments.end()) {
        std::vector<std::string_view> names;
        std::string list;
        for (const auto& [known, _] : file->environments) {
            names.push_back(known);
            list += (list.empty() ? "" : ", ") + known;
        }
        throw Error("config-environment",
                    fmt::format("{} names the environment '{}', which {} does not define",
                                chosen.name.origin, name, file->path.string()),
                    {.file = file->path.string(), .object = chosen.name.origin},
                    model::detail::did_you_mean(name, names) +
                        (list.empty() ? std::string("add an [environments.NAME] table")
                                      : "the environments are: " + list));
    }
    const auto& spec = found->second;
    const auto& variable = spec.database_url_env.text;
    auto conninfo = env(variable);
    if (!conninfo) {
        throw Error(
            "config-environment",
            fmt::format("the environment '{}' reads its connection from {}, which is "
                        "not set",
                        name, variable),
            {.file = spec.database_url_env.where.file,
             .line = spec.database_url_env.where.line,
             .column = spec.database_url_env.where.column,
             .object = variable},
            fmt::format("export {}=postgres://... (the connection string of {})", variable, name));
    }
    chosen.conninfo = *conninfo;
    chosen.database = {.key = "database",
                       .value = redact_conninfo(*conninfo),
                       .source = Source::environment_variable,
                       .origin = variable};
    chosen.spec = &spec;
    return chosen;
}

} // namespace migsafe::config
