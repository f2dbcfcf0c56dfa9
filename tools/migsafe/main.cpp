// migsafe: the command-line tool over libmigsafe. Parses arguments with CLI11, lets the
// selected subcommand make one library call, prints its result and returns its exit code
// (ARCHITECTURE.md, "Contracts"). No SQL and no business logic here.
#include "command.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/platform/interrupt.hpp>
#include <migsafe/platform/log.hpp>
#include <migsafe/version.hpp>

#include <cstdlib>
#include <iostream>

namespace {

struct GlobalOptions {
    int verbose = 0;
    bool quiet = false;
    std::string log_level;
    std::string log_file;
};

/// -q / -v / -vv / --log-level / MIGSAFE_LOG_LEVEL, in that order of precedence (last wins).
void configure_logging(const GlobalOptions& options)
{
    using migsafe::log::Level;
    Level level = Level::warn;
    if (const char* env = std::getenv("MIGSAFE_LOG_LEVEL"); env != nullptr && *env != '\0') {
        auto parsed = migsafe::log::parse_level(env);
        if (!parsed) {
            throw migsafe::Error("usage-invalid-option",
                                 std::string("MIGSAFE_LOG_LEVEL='") + env +
                                     "' is not one of trace, debug, info, warn, error, off",
                                 {.object = "MIGSAFE_LOG_LEVEL"});
        }
        level = *parsed;
    }
    if (options.quiet) {
        level = Level::error;
    }
    if (options.verbose == 1) {
        level = Level::info;
    } else if (options.verbose >= 2) {
        level = Level::debug;
    }
    if (!options.log_level.empty()) {
        level = *migsafe::log::parse_level(options.log_level);
    }
    migsafe::log::set_level(level);
    if (!options.log_file.empty()) {
        migsafe::log::add_file(options.log_file);
    }
}

} // namespace

namespace {

int run(int argc, char** argv)
{
    // SIGINT/SIGTERM: stop ephemeral clusters and remove their directories, then 130/143.
    migsafe::interrupt::install();
    CLI::App app{"migsafe: safe PostgreSQL schema migrations and backups.\n"
                 "Plans migrations with the real PostgreSQL parser, applies them without blocking "
                 "traffic, snapshots, verifies and restores.",
                 "migsafe"};
    app.set_version_flag("--version", std::string("migsafe ") + MIGSAFE_VERSION_STRING,
                         "Print the version and exit");
    app.require_subcommand(1);
    app.fallthrough();
    app.footer("Exit codes: 0 pass, 1 verdict fail, 2 bad usage or input, 3 environment "
               "unavailable,\n4 failed (database as before), 5 failed part-way (the message "
               "says how to finish), 70 internal error.\nDocumentation: docs/cli.md");

    GlobalOptions global;
    app.add_flag("-v,--verbose", global.verbose, "More logging on stderr (-v info, -vv debug)");
    app.add_flag("-q,--quiet", global.quiet, "Log errors only");
    app.add_option("--log-level", global.log_level,
                   "Log level: trace, debug, info, warn (default), error, off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "warning", "error", "off"}));
    app.add_option("--log-file", global.log_file, "Also append the log to this file");

    migsafe::cli::Selected selected;
    migsafe::cli::ProjectConfig project;
    migsafe::cli::register_plan(app, selected, project);
    migsafe::cli::register_sum(app, selected);
    migsafe::cli::register_demo(app, selected);
    migsafe::cli::register_verify(app, selected);
    migsafe::cli::register_snapshot(app, selected);
    migsafe::cli::register_drill(app, selected);
    migsafe::cli::register_apply(app, selected);
    migsafe::cli::register_status(app, selected);
    migsafe::cli::register_health(app, selected);
    migsafe::cli::register_check(app, selected);
    migsafe::cli::register_compensate(app, selected);
    migsafe::cli::register_adopt(app, selected);
    migsafe::cli::register_rehearse(app, selected);
    migsafe::cli::register_flag(app, selected);
    migsafe::cli::register_config(app, selected, project);
    // Last: it relaxes the required options of the subcommands above that a key can fill.
    migsafe::cli::register_project_config(app, project);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11 reports a misspelt subcommand or option as "a subcommand is required":
        // name what it did not understand instead.
        if (auto rest = app.remaining(); !rest.empty() && e.get_exit_code() != 0) {
            std::cerr << "migsafe: error: unknown subcommand or option '" << rest.front()
                      << "' [usage-invalid-option]\nmigsafe: hint: run migsafe --help\n";
            return 2;
        }
        if (e.get_exit_code() == 0) { // --help, --version
            return app.exit(e);
        }
        // CLI11 uses 100-127 for parse errors (a value out of range, a missing argument);
        // our contract says exit 2, in the form of every other usage error.
        std::cerr << "migsafe: error: " << e.what()
                  << " [usage-invalid-option]\nmigsafe: hint: run migsafe --help, or migsafe "
                     "SUBCOMMAND --help\n";
        return 2;
    }

    try {
        configure_logging(global);
    } catch (const migsafe::Error& e) {
        std::cerr << "migsafe: error: " << e.located_message() << " [" << e.code() << "]\n";
        return migsafe::exit_code_for(e.category());
    }
    migsafe::cli::apply_project_config(app, project, selected);
    return migsafe::cli::run_command(selected);
}

} // namespace

int main(int argc, char** argv)
{
    // run_command maps a command's errors; this catches what escapes around it (argument
    // parsing, logging set-up), so that no exception ends the process with terminate().
    try {
        return run(argc, argv);
    } catch (const migsafe::Error& e) {
        std::cerr << "migsafe: error: " << e.located_message() << " [" << e.code() << "]\n";
        return migsafe::exit_code_for(e.category());
    } catch (const std::exception& e) {
        std::cerr << "migsafe: error: unexpected exception: " << e.what()
                  << " [internal-assertion]\n";
    } catch (...) {
        std::cerr << "migsafe: error: unexpected exception [internal-assertion]\n";
    }
    return 70;
}
