// migsafe drill: prove a snapshot restores, and time it.
#include "command.hpp"

#include <migsafe/platform/duration.hpp>
#include <migsafe/workflow/drill.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace migsafe::cli {
namespace {

struct DrillArgs {
    std::string store;
    std::string id = "latest";
    std::string target;
    std::string target_time;
    std::string target_lsn;
    std::string pgbackrest_user;
    std::string if_older_than;
    std::string recovery_timeout = "30m";
    int jobs = 2;
    bool clean = false;
    bool heapallindexed = false;
    bool json = false;
};

/// The text of a physical drill's checks.
std::string physical_text(const workflow::DrillRecord& record)
{
    std::string text =
        fmt::format("drill of {} snapshot {} to {}: {}\n", record.engine, record.snapshot_id,
                    !record.target_time.empty()  ? record.target_time
                    : !record.target_lsn.empty() ? record.target_lsn
                                                 : std::string("the latest point"),
                    record.passed ? "passed" : "FAILED");
    if (!record.error.empty()) {
        return text + "  " + record.error + "\n";
    }
    text += fmt::format("  RTO {} ms (restore {} ms + recovery {} ms + checks {} ms), recovered "
                        "to {}, last commit {}, RPO {} s\n",
                        record.rto_ms, record.restore_ms, record.recovery_ms, record.verify_ms,
                        record.recovered_lsn,
                        record.last_commit_at.empty() ? std::string("none") : record.last_commit_at,
                        record.rpo_s);
    text += fmt::format("  catalog: {}; tables: {} as in the snapshot's report\n", record.catalog,
                        record.tables_compared);
    for (const auto& change : record.catalog_changes) {
        text += "    catalog: " + change + "\n";
    }
    if (!record.tables_written_after.empty()) {
        text += fmt::format("  written after the report (not compared): {}\n",
                            fmt::join(record.tables_written_after, ", "));
    }
    if (!record.tables_dropped.empty()) {
        text +=
            fmt::format("  dropped after the report: {}\n", fmt::join(record.tables_dropped, ", "));
    }
    if (!record.tables_added.empty()) {
        text +=
            fmt::format("  created after the report: {}\n", fmt::join(record.tables_added, ", "));
    }
    for (const auto& d : record.differences) {
        text += "  " + d.describe() + "\n";
    }
    for (const auto& problem : record.amcheck_problems) {
        text += "  pg_amcheck: " + problem + "\n";
    }
    return text;
}

Outcome run_drill(const DrillArgs& args)
{
    if (!args.if_older_than.empty()) {
        auto max_age = duration_option(args.if_older_than, "--if-older-than");
        if (auto recent = workflow::recent_drill(args.store, max_age)) {
            Outcome outcome;
            outcome.report = {{"skipped", true},
                              {"reason", "a drill passed recently"},
                              {"last_drill", {{"at", recent->at}, {"rto_ms", recent->rto_ms}}}};
            outcome.text = fmt::format("drill skipped: one passed at {} (RTO {} ms), younger than "
                                       "--if-older-than {}\n",
                                       recent->at, recent->rto_ms, args.if_older_than);
            return outcome;
        }
    }
    std::optional<snapshot::PgBackRestSettings> pgbackrest;
    if (!args.pgbackrest_user.empty()) {
        pgbackrest = snapshot::PgBackRestSettings{.run_as_user = args.pgbackrest_user};
    }
    auto record = workflow::drill(
        args.store, args.id,
        {.target = args.target,
         .clean = args.clean ? snapshot::Clean::yes : snapshot::Clean::no,
         .jobs = args.jobs,
         .recovery = {.time = args.target_time, .lsn = args.target_lsn},
         .pgbackrest = pgbackrest,
         .recovery_timeout = parse_bound(args.recovery_timeout, "--recovery-timeout"),
         .heap_all_indexed = args.heapallindexed});
    Outcome outcome;
    outcome.exit_code = record.passed ? 0 : 1;
    outcome.report = nlohmann::json::parse(record.to_json_line());
    if (record.engine != "pg_dump") {
        outcome.text = physical_text(record);
        return outcome;
    }
    outcome.text = fmt::format(
        "drill of snapshot {} into {}: {}\n  RTO {} ms (restore {} ms + verify {} ms), RPO {} s, "
        "{} bytes\n  restore: data {} ms, post-data {} ms; tables read while it ran: {} ms\n",
        record.snapshot_id, record.target, record.passed ? "passed" : "FAILED", record.rto_ms,
        record.restore_ms, record.verify_ms, record.rpo_s, record.size, record.data_ms,
        record.post_data_ms, record.overlapped_verify_ms);
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
    auto* time = sub->add_option("--target-time", args->target_time,
                                 "Physical snapshots: recover to this time (e.g. '2026-12-06 "
                                 "10:15:00+00'; pgbackrest only)");
    auto* lsn = sub->add_option("--target-lsn", args->target_lsn,
                                "Physical snapshots: recover to this WAL position (e.g. 0/3000060; "
                                "pgbackrest only)");
    time->excludes(lsn);
    sub->add_option("--pgbackrest-user", args->pgbackrest_user,
                    "When run as root: run pgbackrest as this user (the repository's owner)");
    sub->add_option("--recovery-timeout", args->recovery_timeout,
                    "Physical snapshots: fail the drill when recovery takes longer (default: 30m)");
    sub->add_flag("--heapallindexed", args->heapallindexed,
                  "Physical snapshots: pg_amcheck also checks that every row is in each index "
                  "(one more pass over each table per index)");
    sub->add_option("--if-older-than", args->if_older_than,
                    "Skip (exit 0) when a drill passed more recently than this (e.g. 90d, for a "
                    "daily schedule that drills quarterly)");
    sub->add_flag("--json", args->json, "Print the drill record as one JSON document");
    sub->footer(
        "Examples:\n"
        "  migsafe drill --store /var/backups/app             # latest, ephemeral cluster\n"
        "  migsafe drill --store s 20261129T061500.123Z-1a2b3c4d --target postgres:///staging\n"
        "  migsafe drill --store s --target-time '2026-12-06 10:15:00+00'   # pgbackrest\n"
        "  migsafe drill --store s --if-older-than 90d                     # quarterly");
    sub->callback([&selected, args] {
        selected = {.name = "drill",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_drill(*args); }};
    });
}

} // namespace migsafe::cli
