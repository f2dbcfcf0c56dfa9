// migsafe health: what in a live database would make a migration or a deploy go wrong.
#include "command.hpp"

#include <migsafe/workflow/health.hpp>

namespace migsafe::cli {
namespace {

struct HealthArgs {
    std::string db;
    std::string long_transaction = "5m";
    std::string lock_wait = "10s";
    bool json = false;
};

Outcome run_health(const HealthArgs& args)
{
    const workflow::HealthOptions options{
        .long_transaction = duration_option(args.long_transaction, "--long-transaction"),
        .lock_wait = duration_option(args.lock_wait, "--lock-wait")};
    auto report = workflow::health(resolve_conninfo(args.db), options);
    Outcome outcome;
    outcome.exit_code = report.healthy() ? 0 : 1;
    outcome.text = report.to_text();
    outcome.report_json = report.to_json();
    return outcome;
}

} // namespace

void register_health(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<HealthArgs>();
    auto* sub = app.add_subcommand(
        "health", "Check a live database for what would make a migration go wrong: invalid "
                  "indexes, unvalidated constraints, unfinished migrations, long or idle "
                  "transactions, lock waits, sequences and transaction IDs near their limits, "
                  "inactive replication slots");
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--long-transaction", args->long_transaction,
                    "Report transactions open longer than this (an error past 12 times it; "
                    "default 5m)");
    sub->add_option("--lock-wait", args->lock_wait,
                    "Report sessions waiting for a lock longer than this (default 10s)");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->footer(
        "Examples:\n"
        "  migsafe health --db \"$DATABASE_URL\"\n"
        "  migsafe health --json | jq '.report.findings[] | select(.severity == \"error\")'\n"
        "Only reads. Exit 1 when a finding is an error (docs/health.md lists the checks).");
    sub->callback([&selected, args] {
        selected = {.name = "health",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_health(*args); }};
    });
}

} // namespace migsafe::cli
