// The effective settings: option > environment variable > config file > default, each
// with where it came from. Within the file, an environment's own value (`store`) comes
// before its section's, and a key with a fallback (apply.store) reads the other key
// (snapshot.store) when neither it nor its variable is set.
#include "platform/enum_names.hpp"

#include <migsafe/config/effective.hpp>
#include <migsafe/config/environment.hpp>
#include <migsafe/config/keys.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace migsafe::config {
namespace {

std::optional<Setting> from_variable(const KeySpec& spec, const EnvLookup& env)
{
    auto value = env(spec.env);
    if (!value) {
        return std::nullopt;
    }
    return Setting{.key = std::string(spec.key),
                   .value = check_value(spec, *value, spec.env),
                   .source = Source::environment_variable,
                   .origin = std::string(spec.env)};
}

/// A relative path in the file is relative to the file's directory, so that a run from a
/// subdirectory means the same folders.
std::string in_file(const KeySpec& spec, const FileValue& value)
{
    const std::filesystem::path path(value.text);
    if (spec.kind != ValueKind::text || path.is_absolute()) {
        return value.text;
    }
    const auto dir = std::filesystem::path(value.where.file).parent_path();
    return (dir / path).lexically_normal().string();
}

std::optional<Setting> from_file(const KeySpec& spec, const Effective& effective,
                                 const ChosenEnvironment* environment)
{
    const auto leaf = spec.key.substr(spec.key.find('.') + 1);
    if (environment != nullptr) {
        auto own = environment->spec->values.find(std::string(leaf));
        if (own != environment->spec->values.end()) {
            return Setting{.key = std::string(spec.key),
                           .value = in_file(spec, own->second),
                           .source = Source::file,
                           .origin = fmt::format("{} (environment {})", own->second.where.text(),
                                                 environment->name.value)};
        }
    }
    if (!effective.config) {
        return std::nullopt;
    }
    auto found = effective.config->values.find(std::string(spec.key));
    if (found == effective.config->values.end()) {
        return std::nullopt;
    }
    return Setting{.key = std::string(spec.key),
                   .value = in_file(spec, found->second),
                   .source = Source::file,
                   .origin = found->second.where.text()};
}

/// Every layer but the command line's and the default.
std::optional<Setting> from_outside(const KeySpec& spec, const Effective& effective,
                                    const ChosenEnvironment* environment, const EnvLookup& env)
{
    if (auto setting = from_variable(spec, env)) {
        return setting;
    }
    if (auto setting = from_file(spec, effective, environment)) {
        return setting;
    }
    if (!spec.fallback.empty()) {
        if (auto setting = from_outside(*find_key(spec.fallback), effective, environment, env)) {
            setting->key = std::string(spec.key);
            return setting;
        }
    }
    return std::nullopt;
}

} // namespace

constexpr platform::EnumNames<Source, 4> k_source_names{{{{Source::option, "option"},
                                                          {Source::environment_variable, "env"},
                                                          {Source::file, "file"},
                                                          {Source::default_value, "default"}}}};
static_assert(k_source_names.unique());

std::string_view to_string(Source source) noexcept
{
    return k_source_names.name(source);
}

const Setting* Effective::find(std::string_view key) const
{
    auto found = std::find_if(settings.begin(), settings.end(),
                              [&](const Setting& s) { return s.key == key; });
    return found == settings.end() ? nullptr : &*found;
}

Effective resolve(std::optional<ConfigFile> file, const ConfigChoice& choice,
                  const ResolveOptions& options)
{
    Effective effective;
    effective.config = std::move(file);
    effective.file = {.key = "config",
                      .value = choice.path ? choice.path->string() : std::string()};
    switch (choice.source) {
    case FileSource::option:
        effective.file.source = Source::option;
        effective.file.origin = "--config";
        break;
    case FileSource::environment_variable:
        effective.file.source = Source::environment_variable;
        effective.file.origin = "MIGSAFE_CONFIG";
        break;
    case FileSource::found:
        effective.file.origin = "found from the current directory upwards";
        break;
    case FileSource::none:
        effective.file.origin = "no migsafe.toml found";
        break;
    }
    const auto environment =
        choose_environment(effective.config, options.environment_option, options.env);
    effective.environment = {.key = "environment"};
    effective.database = {.key = "database"};
    if (environment) {
        effective.environment = environment->name;
        effective.database = environment->database;
        effective.conninfo = environment->conninfo;
    }
    for (const auto& spec : config_keys()) {
        std::optional<Setting> setting;
        if (options.from_command_line) {
            setting = options.from_command_line(spec.key);
        }
        if (!setting) {
            setting =
                from_outside(spec, effective, environment ? &*environment : nullptr, options.env);
        }
        if (!setting) {
            setting = Setting{.key = std::string(spec.key),
                              .value = std::string(spec.default_text),
                              .source = Source::default_value};
        }
        effective.settings.push_back(std::move(*setting));
    }
    return effective;
}

} // namespace migsafe::config
