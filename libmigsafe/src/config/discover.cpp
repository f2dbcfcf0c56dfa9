// Which migsafe.toml a run reads. The upward search stops at the repository's root (the
// directory holding `.git`) so that a stray file in a home directory never configures a
// project below it.
#include <migsafe/config/config_file.hpp>
#include <migsafe/config/discover.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <cstdlib>

namespace migsafe::config {

EnvLookup process_environment()
{
    return [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr || *value == '\0') {
            return std::nullopt;
        }
        return std::string(value);
    };
}

std::optional<std::filesystem::path> find_config(const std::filesystem::path& start)
{
    std::error_code ec;
    auto dir = std::filesystem::absolute(start, ec);
    if (ec) {
        return std::nullopt;
    }
    while (true) {
        const auto candidate = dir / k_config_file_name;
        if (std::filesystem::is_regular_file(candidate, ec)) {
            return candidate;
        }
        if (std::filesystem::exists(dir / ".git", ec) || !dir.has_relative_path()) {
            return std::nullopt;
        }
        dir = dir.parent_path();
    }
}

ConfigChoice choose_config(std::string_view option, const EnvLookup& env,
                           const std::filesystem::path& start)
{
    auto named = [](std::filesystem::path path, FileSource source, std::string_view by) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) {
            throw Error(
                "input-not-found",
                fmt::format("{} names the config file {}, which does not exist", by, path.string()),
                {.file = path.string(), .object = std::string(by)},
                "check the path, or leave it out to use the migsafe.toml found from "
                "the current directory upwards");
        }
        return ConfigChoice{.path = std::move(path), .source = source};
    };
    if (!option.empty()) {
        return named(std::filesystem::path(option), FileSource::option, "--config");
    }
    if (auto variable = env("MIGSAFE_CONFIG")) {
        return named(std::filesystem::path(*variable), FileSource::environment_variable,
                     "MIGSAFE_CONFIG");
    }
    if (auto found = find_config(start)) {
        // Named as the user sees it from here: `migsafe.toml`, `../../migsafe.toml`.
        std::error_code ec;
        auto shown = std::filesystem::proximate(*found, start, ec);
        return {.path = ec ? *found : shown, .source = FileSource::found};
    }
    return {};
}

} // namespace migsafe::config
