// migsafe check: the pre-deploy gate.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/platform/error.hpp>
#include <migsafe/workflow/check.hpp>

#include <fmt/format.h>

namespace migsafe::cli {
namespace {

struct CheckArgs {
    std::string db;
    std::string dir = "migrations";
    std::string layout;
    std::string store;
    std::string max_snapshot_age = "24h";
    std::string max_drill_age = "7d";
    std::string phase = "all";
    bool json = false;
};

Outcome run_check(const CheckArgs& args)
{
    auto phase = workflow::parse_phase_filter(args.phase);
    if (!phase) {
        throw Error("usage-invalid-option",
                    fmt::format("--phase: '{}' is not expand, contract or all", args.phase),
                    {.object = "--phase"});
    }
    const workflow::CheckOptions options{
        .store = args.store,
        .max_snapshot_age = duration_option(args.max_snapshot_age, "--max-snapshot-age"),
        .max_drill_age = duration_option(args.max_drill_age, "--max-drill-age"),
        .health = {},
        .layout = load_options_for(args.layout).layout,
        .phase = *phase};
    auto report = workflow::check(resolve_conninfo(args.db), args.dir, options);
    Outcome outcome;
    outcome.exit_code = report.passed() ? 0 : 1;
    outcome.text = report.to_text();
    outcome.report_json = report.to_json();
    return outcome;
}

} // namespace

void register_check(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<CheckArgs>();
    auto* sub = app.add_subcommand(
        "check", "The pre-deploy gate: is it safe to migrate this database now? Checks the "
                 "migration set, what apply would do, the plan of pending migrations with the "
                 "live catalog, a fresh verified snapshot, a recent drill, a running apply and "
                 "the database's health");
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--dir", args->dir, "The migration directory (default: ./migrations)");
    add_layout_option(*sub, args->layout);
    sub->add_option("--store", args->store,
                    "The snapshot store (without it, snapshot and drill are not checked)");
    sub->add_option("--max-snapshot-age", args->max_snapshot_age,
                    "A snapshot older than this does not count (default 24h)");
    sub->add_option("--max-drill-age", args->max_drill_age,
                    "A drill older than this is a warning (default 7d)");
    sub->add_option("--phase", args->phase,
                    "The phase the deploy applies, as apply --phase: expand, contract or all "
                    "(default)");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->footer("Examples:\n"
                "  migsafe check --db \"$DATABASE_URL\" --dir db/migrations --store /backups\n"
                "  migsafe check --dir db/migrations --phase expand && migsafe apply --dir "
                "db/migrations --phase expand\n"
                "  migsafe check --dir db/migrations --json | jq '.report.items[] | select(.status "
                "== \"fail\")'\n"
                "Only reads. Exit 1 when an item fails (docs/check.md).");
    sub->callback([&selected, args] {
        selected = {.name = "check",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_check(*args); }};
    });
}

} // namespace migsafe::cli
