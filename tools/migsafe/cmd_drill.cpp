// migsafe drill: prove a snapshot restores, and time it.
#include "command.hpp"

#include <migsafe/workflow/drill.hpp>

#include <fmt/format.h>

namespace migsafe::cli {
namespace {

struct DrillArgs {
    std::string store;
    std::string id = "latest";
    std::string target;
    int jobs = 2;
    bool clean = false;
    bool json = false;
};

Outcome run_drill(const DrillArgs& args)
{
    auto record = workflow::drill(args.store, args.id,
                                  {.target = args.target,
                                   .clean = args.clean ? snapshot::Clean::yes : snapshot::Clean::no,
                                   .jobs = args.jobs});
    Outcome outcome;
    outcome.exit_code = record.passed ? 0 : 1;
    outcome.report = nlohmann::json::parse(record.to_json_line());
    outcome.text = fmt::format(
        "drill of snapshot {} into {}: {}\n  RTO {} ms (restore {} ms + verify {} ms), RPO {} s, "
        "{} bytes\n",
        record.snapshot_id, record.target, record.passed ? "passed" : "FAILED", record.rto_ms,
        record.restore_ms, record.verify_ms, record.rpo_s, record.size);
    for (const auto& d : record.differences) {
        outcome.text += "  " + d.describe() + "\n";
    }
    return outcome;
}

} // namespace

void register_drill(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<DrillArgs>();
    auto* sub = app.add_subcommand(
        "drill", "Restore a snapshot into a scratch database, verify it against its manifest, "
                 "time it (RTO, RPO) and record the result in the store");
    sub->add_option("--store", args->store, "The snapshot store (a directory)")->required();
    sub->add_option("ID", args->id, "The snapshot id, or latest (default)");
    sub->add_option("--target", args->target,
                    "A staging database to restore into (default: an ephemeral cluster)");
    sub->add_option("--jobs", args->jobs, "pg_restore and integrity scan jobs (default: 2)")
        ->check(CLI::Range(1, 64));
    sub->add_flag("--clean", args->clean, "Allow a non-empty --target: drop its objects first");
    sub->add_flag("--json", args->json, "Print the drill record as one JSON document");
    sub->footer(
        "Examples:\n"
        "  migsafe drill --store /var/backups/app             # latest, ephemeral cluster\n"
        "  migsafe drill --store s 20261129T061500.123Z-1a2b3c4d --target postgres:///staging");
    sub->callback([&selected, args] {
        selected = {.name = "drill",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_drill(*args); }};
    });
}

} // namespace migsafe::cli
