// migsafe status: applied, pending, partial and drifted migrations of a directory.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/workflow/status.hpp>

#include <fmt/format.h>

namespace migsafe::cli {
namespace {

struct StatusArgs {
    std::string db;
    std::string dir = "migrations";
    std::string layout;
    bool json = false;
};

const char* color_of(workflow::MigrationState state)
{
    switch (state) {
    case workflow::MigrationState::applied:
        return "32";
    case workflow::MigrationState::pending:
        return "36";
    default:
        return "31";
    }
}

Outcome run_status(const StatusArgs& args)
{
    auto set = model::load_migration_set(args.dir, load_options_for(args.layout));
    auto report = workflow::status(resolve_conninfo(args.db), set);
    const bool color = use_color(stdout);
    Outcome outcome;
    for (const auto& m : report.migrations) {
        std::string state(workflow::to_string(m.state));
        outcome.text +=
            fmt::format("  {:>4} {:<40} {:<12} {:<9} {}\n", m.version.padded(), m.name,
                        paint(state, color_of(m.state), color), m.phase,
                        m.state == workflow::MigrationState::applied ? m.applied_at : m.detail);
    }
    outcome.text += fmt::format(
        "current version: {}; {} applied, {} pending, {} partial, {} drifted, {} missing, {} out "
        "of order\n",
        report.current ? report.current->padded() : std::string("none"),
        report.count(workflow::MigrationState::applied),
        report.count(workflow::MigrationState::pending),
        report.count(workflow::MigrationState::partial),
        report.count(workflow::MigrationState::drifted),
        report.count(workflow::MigrationState::missing_file),
        report.count(workflow::MigrationState::out_of_order));
    for (const auto& uncovered : report.uncovered) {
        outcome.text += paint("warning: ", "33", color) + uncovered.message + "\n";
    }
    outcome.exit_code = report.needs_attention() ? 1 : 0;
    outcome.report_json = report.to_json();
    return outcome;
}

} // namespace

void register_status(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<StatusArgs>();
    auto* sub = app.add_subcommand(
        "status", "List applied, pending, partial and drifted migrations of a database");
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--dir", args->dir, "The migration directory (default: ./migrations)");
    add_layout_option(*sub, args->layout);
    sub->add_flag("--json", args->json, "Print the status as one JSON document");
    sub->footer("Examples:\n"
                "  migsafe status --db \"$DATABASE_URL\" --dir db/migrations\n"
                "  migsafe status --dir db/migrations --json | jq '.report.counts'\n"
                "Exit 1 when something needs a person: a drifted, partial, missing or "
                "out-of-order migration.");
    sub->callback([&selected, args] {
        selected = {.name = "status",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_status(*args); }};
    });
}

} // namespace migsafe::cli
