// migsafe.toml applied to the selected subcommand's options, generically: every option a
// config key maps to (config::config_keys()) that the command line left out gets the
// value from the key's environment variable, else from the file, fed through the option
// itself so that its own checks run. docs/config.md.
#include "command.hpp"

#include <migsafe/config/config_file.hpp>
#include <migsafe/config/keys.hpp>
#include <migsafe/platform/error.hpp>

#include <fmt/format.h>

#include <filesystem>
#include <sstream>

namespace migsafe::cli {
namespace {

/// `snapshot create --store` -> ({"snapshot", "create"}, "--store").
std::pair<std::vector<std::string>, std::string> split_target(std::string_view target)
{
    std::vector<std::string> words;
    std::istringstream in{std::string(target)};
    for (std::string word; in >> word;) {
        words.push_back(word);
    }
    std::string option = words.back();
    words.pop_back();
    return {words, option};
}

CLI::App* subcommand(CLI::App& app, const std::vector<std::string>& path)
{
    CLI::App* current = &app;
    for (const auto& name : path) {
        auto found =
            current->get_subcommands([&](CLI::App* sub) { return sub->get_name() == name; });
        if (found.empty()) {
            return nullptr;
        }
        current = found.front();
    }
    return current;
}

/// The subcommands the command line selected: {"snapshot", "create"}.
std::vector<std::string> selected_path(const CLI::App& app)
{
    std::vector<std::string> path;
    const CLI::App* current = &app;
    while (!current->get_subcommands().empty()) {
        current = current->get_subcommands().front();
        path.push_back(current->get_name());
    }
    return path;
}

/// The option `target` names when it belongs to the selected subcommand, else nullptr.
CLI::Option* selected_option(CLI::App& app, std::string_view target,
                             const std::vector<std::string>& selected)
{
    auto [path, name] = split_target(target);
    if (path != selected) {
        return nullptr;
    }
    auto* sub = subcommand(app, path);
    return sub == nullptr ? nullptr : sub->get_option_no_throw(name);
}

std::string joined(const CLI::Option& option)
{
    std::string out;
    for (const auto& value : option.results()) {
        out += (out.empty() ? "" : " ") + value;
    }
    return out;
}

void feed(CLI::Option& option, const config::Setting& setting)
{
    try {
        option.add_result(setting.value);
        option.run_callback();
    } catch (const CLI::Error& e) {
        throw Error("config-invalid",
                    fmt::format("{} = '{}' ({}) is refused by {}: {}", setting.key, setting.value,
                                setting.origin, option.get_name(), e.what()),
                    {.object = setting.key}, "see docs/config.md for the key's values");
    }
}

void apply(CLI::App& app, ProjectConfig& project)
{
    const auto env = config::process_environment();
    const auto choice =
        config::choose_config(project.file_option, env, std::filesystem::current_path());
    std::optional<config::ConfigFile> file;
    if (choice.path) {
        file = config::read_config(*choice.path);
    }
    const auto selected = selected_path(app);
    config::ResolveOptions options{.env = env, .environment_option = project.environment_option};
    options.from_command_line = [&](std::string_view key) -> std::optional<config::Setting> {
        for (const auto& target : config::find_key(key)->options) {
            auto* option = selected_option(app, target, selected);
            if (option != nullptr && option->count() > 0) {
                return config::Setting{.key = std::string(key),
                                       .value = joined(*option),
                                       .source = config::Source::option,
                                       .origin = option->get_name()};
            }
        }
        return std::nullopt;
    };
    project.effective = config::resolve(std::move(file), choice, options);

    for (const auto& spec : config::config_keys()) {
        const auto* setting = project.effective->find(spec.key);
        if (setting->source == config::Source::option ||
            setting->source == config::Source::default_value) {
            continue;
        }
        for (const auto& target : spec.options) {
            // An option this build's subcommand does not have is skipped.
            if (auto* option = selected_option(app, target, selected); option != nullptr) {
                feed(*option, *setting);
            }
        }
    }
    // The chosen environment's connection, where --db was not given. `plan` reads a
    // catalog only with an explicit --db, so it stays offline.
    if (!project.effective->conninfo.empty() && !selected.empty() && selected.front() != "plan") {
        auto* sub = subcommand(app, selected);
        if (auto* db = sub->get_option_no_throw("--db"); db != nullptr && db->count() == 0) {
            db->add_result(project.effective->conninfo);
            db->run_callback();
        }
    }
    for (const auto& [sub, option, key] : project.relaxed) {
        if (option->count() == 0 && sub == subcommand(app, selected)) {
            throw Error("usage-invalid-option", fmt::format("{} is required", option->get_name()),
                        {.object = option->get_name()},
                        fmt::format("pass {}, or set {} in migsafe.toml (docs/config.md)",
                                    option->get_name(), key));
        }
    }
}

} // namespace

void register_project_config(CLI::App& app, ProjectConfig& project)
{
    app.add_option("--config", project.file_option,
                   "The project config file (default: MIGSAFE_CONFIG, else the migsafe.toml "
                   "found from the current directory upwards to the repository's root)");
    app.add_option("--env", project.environment_option,
                   "The [environments.NAME] of migsafe.toml to use (default: MIGSAFE_ENV): its "
                   "connection and settings");
    // A required option that a key can fill is checked after the config was applied.
    for (const auto& spec : config::config_keys()) {
        for (const auto& target : spec.options) {
            auto [path, name] = split_target(target);
            auto* sub = subcommand(app, path);
            auto* option = sub == nullptr ? nullptr : sub->get_option_no_throw(name);
            if (option != nullptr && option->get_required()) {
                option->required(false);
                project.relaxed.emplace_back(sub, option, std::string(spec.key));
            }
        }
    }
}

void apply_project_config(CLI::App& app, ProjectConfig& project, Selected& selected)
{
    selected.body = [&app, &project, body = std::move(selected.body)] {
        apply(app, project);
        return body();
    };
}

} // namespace migsafe::cli
