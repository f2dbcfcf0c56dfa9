#pragma once
// What every subcommand shares: the outcome it returns, how it is run (errors mapped to
// exit codes, one JSON document with --json), and terminal helpers.

#include <migsafe/config/effective.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace migsafe::cli {

/// The result of one subcommand, rendered by `run_command`.
struct Outcome {
    int exit_code = 0;     ///< 0 pass, 1 verdict fail (errors are thrown instead)
    nlohmann::json report; ///< the report, for --json
    /// The report already rendered as JSON text by the library (used instead of `report`
    /// when set: large plans are not parsed again just to be printed).
    std::string report_json;
    std::string text; ///< the human rendering, for stdout
};

enum class OutputFormat { text, json };

/// A subcommand's body: parses nothing (CLI11 did), calls the library, renders.
using CommandBody = std::function<Outcome()>;

/// Set by the subcommand that CLI11 selected.
struct Selected {
    std::string name;
    OutputFormat format = OutputFormat::text;
    CommandBody body;
};

/// Runs `selected`: prints the outcome (text, or one JSON document on stdout with
/// `schema_version`, `command`, `status`, `exit_code`, `report` and `error`), turns a
/// migsafe::Error into its exit code with the message and hint on stderr, and any other
/// exception into exit 70.
int run_command(const Selected& selected);

/// Whether to colour output written to `stream` (a terminal, and NO_COLOR unset).
bool use_color(std::FILE* stream);

/// Wraps `text` in an ANSI colour when `enabled` (`code` like "31" for red).
std::string paint(const std::string& text, const char* code, bool enabled);

/// The connection string: `--db`, else DATABASE_URL, else empty (libpq then reads PG*).
std::string resolve_conninfo(const std::string& db_option);

/// `text` read as a duration (`500ms`, `10s`, `24h`); empty is zero. Errors name `option`.
std::chrono::milliseconds duration_option(const std::string& text, const char* option);

/// migsafe.toml for this run (project_config.cpp, docs/config.md): the global --config
/// and --env, and the effective settings, resolved just before the selected command runs.
struct ProjectConfig {
    std::string file_option;
    std::string environment_option;
    std::optional<config::Effective> effective;
    /// Required options a config key may fill: subcommand, option, key.
    std::vector<std::tuple<CLI::App*, CLI::Option*, std::string>> relaxed;
};

/// Adds --config and --env to `app`. Call after every subcommand is registered.
void register_project_config(CLI::App& app, ProjectConfig& project);

/// Makes `selected` first read the config and give the options the command line left out
/// their value from MIGSAFE_* variables, then the file. Throws, when the command runs, the
/// config errors (config-*), and usage-invalid-option for a required option still unset.
void apply_project_config(CLI::App& app, ProjectConfig& project, Selected& selected);

/// Registers each subcommand on `app`; its callback fills `selected`.
void register_sum(CLI::App& app, Selected& selected);
void register_demo(CLI::App& app, Selected& selected);
void register_verify(CLI::App& app, Selected& selected);
void register_plan(CLI::App& app, Selected& selected, const ProjectConfig& project);
void register_snapshot(CLI::App& app, Selected& selected);
void register_drill(CLI::App& app, Selected& selected);
void register_apply(CLI::App& app, Selected& selected);
void register_status(CLI::App& app, Selected& selected);
void register_health(CLI::App& app, Selected& selected);
void register_check(CLI::App& app, Selected& selected);
void register_compensate(CLI::App& app, Selected& selected);
void register_adopt(CLI::App& app, Selected& selected);
void register_rehearse(CLI::App& app, Selected& selected);
void register_config(CLI::App& app, Selected& selected, const ProjectConfig& project);
/// `migsafe flag serve`, registered by the `flag` subcommand on itself.
void register_flag(CLI::App& app, Selected& selected);
void register_flag_serve(CLI::App& flag_command, Selected& selected);

} // namespace migsafe::cli
