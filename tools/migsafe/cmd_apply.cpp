// migsafe apply: runs the pending migrations of a directory against a database.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/adopt/tool.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/conninfo.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/workflow/apply.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace migsafe::cli {
namespace {

struct ApplyArgs {
    std::string db;
    std::string dir = "migrations";
    std::string layout;
    std::string to;
    std::string phase = "all";
    bool dry_run = false;
    bool out_of_order = false;
    std::string wait = "5m";
    std::string lock_timeout = "5s";
    std::string statement_timeout;
    std::string concurrently_timeout = "30m";
    int retries = 3;
    std::string store;
    bool snapshot = false;
    bool no_snapshot = false;
    std::string max_snapshot_age = "24h";
    bool no_verify = false;
    std::string batch_time = "200ms";
    std::string keep_history;
    std::string keep_history_schema;
    std::string keep_history_table;
    bool json = false;
};

model::Version version_option(const std::string& text)
{
    auto version = model::Version::parse(text);
    if (!version) {
        throw Error("usage-invalid-option", fmt::format("--to: '{}' is not a version", text),
                    {.object = "--to"},
                    "pass the version of a migration, e.g. --to 12 (or --to 1.2 for Flyway)");
    }
    return *version;
}

/// The command that resumes this run, with the password masked.
std::string resume_command(const ApplyArgs& args)
{
    std::string command = "migsafe apply";
    if (!args.db.empty()) {
        command += fmt::format(" --db '{}'", redact_conninfo(args.db));
    }
    command += " --dir " + args.dir;
    if (args.phase != "all") {
        command += " --phase " + args.phase;
    }
    if (!args.to.empty()) {
        command += " --to " + args.to;
    }
    if (args.no_snapshot) {
        command += " --no-snapshot";
    } else if (!args.store.empty()) {
        command += " --store " + args.store;
    }
    return command;
}

std::string render_statement(const workflow::PlannedStatement& s)
{
    std::string locks;
    for (const auto& lock : s.locks) {
        locks += fmt::format("{}{} on {}", locks.empty() ? "" : ", ", plan::to_string(lock.mode),
                             lock.relation);
    }
    std::string text = fmt::format("      line {:<4} {}", s.line, s.sql);
    if (!locks.empty()) {
        text += "\n                 takes " + locks;
    }
    if (s.estimated_seconds >= 1) {
        text += fmt::format(" (~{:.0f} s from the table's size)", s.estimated_seconds);
    }
    if (s.runs_outside_transaction) {
        text += "\n                 runs outside a transaction";
    }
    return text + "\n";
}

std::string render(const workflow::ApplyReport& report, bool color)
{
    std::string out;
    for (const auto& m : report.migrations) {
        std::string how = m.backfill        ? "batched backfill"
                          : m.transactional ? "one transaction"
                                            : "statement by statement";
        std::string outcome(workflow::to_string(m.outcome));
        const char* paint_code = m.outcome == workflow::Outcome::held ? "33" : "32";
        out += fmt::format("  {:>4} {:<40} {} ({}, {})", m.version.padded(), m.name,
                           paint(outcome, paint_code, color), m.phase, how);
        if (m.outcome == workflow::Outcome::applied || m.outcome == workflow::Outcome::resumed) {
            out += fmt::format(" {} ms", m.duration_ms);
            if (m.attempts > 1) {
                out += fmt::format(", {} attempts", m.attempts);
            }
            if (m.backfill) {
                out += fmt::format(", {} rows in {} batches", m.backfill_rows, m.backfill_batches);
            }
        }
        if (m.risky && m.outcome != workflow::Outcome::held) {
            out += " [risky]";
        }
        out += "\n";
        if (!m.reason.empty()) {
            out += "      held: " + m.reason + "\n";
        }
        for (const auto& s : m.statements) {
            out += render_statement(s);
        }
    }
    for (const auto& problem : report.problems) {
        out += paint("problem: ", "31", color) + problem + "\n";
    }
    if (!report.snapshot_id.empty()) {
        out += fmt::format("snapshot before risky migrations: {}\n", report.snapshot_id);
    }
    if (report.dry_run) {
        auto would =
            std::count_if(report.migrations.begin(), report.migrations.end(), [](const auto& m) {
                return m.outcome == workflow::Outcome::would_apply;
            });
        out += fmt::format("dry run: {} migration(s) would be applied, {} held; nothing was "
                           "changed\n",
                           would, static_cast<long>(report.migrations.size()) - would);
    } else if (report.verdict == plan::Verdict::fail) {
        out += fmt::format("apply refused or verification failed: {} applied, {} pending\n",
                           report.applied, report.pending_after);
    } else if (report.migrations.empty()) {
        out += "nothing to apply: the database is up to date\n";
    } else {
        out += fmt::format("{} applied, {} pending ({} ms)\n", report.applied, report.pending_after,
                           report.duration_ms);
    }
    return out;
}

Outcome run_apply(const ApplyArgs& args)
{
    workflow::ApplyOptions options;
    if (!args.to.empty()) {
        options.to = version_option(args.to);
    }
    auto phase = workflow::parse_phase_filter(args.phase);
    if (!phase) {
        throw Error("usage-invalid-option",
                    fmt::format("--phase: '{}' is not expand, contract or all", args.phase),
                    {.object = "--phase"});
    }
    if (args.snapshot && args.no_snapshot) {
        throw Error("usage-invalid-option", "--snapshot and --no-snapshot exclude each other",
                    {.object = "--snapshot"});
    }
    options.phase = *phase;
    options.dry_run = args.dry_run;
    options.out_of_order = args.out_of_order;
    // A bound is the point of these: empty or zero (no bound at all) is refused.
    options.wait = parse_bound(args.wait, "--wait");
    options.lock_timeout = parse_bound(args.lock_timeout, "--lock-timeout");
    options.statement_timeout = duration_option(args.statement_timeout, "--statement-timeout");
    options.concurrently_timeout = parse_bound(args.concurrently_timeout, "--concurrently-timeout");
    options.retries = args.retries;
    options.store = args.store;
    options.snapshot = args.snapshot      ? workflow::SnapshotPolicy::take
                       : args.no_snapshot ? workflow::SnapshotPolicy::skip
                                          : workflow::SnapshotPolicy::require;
    options.max_snapshot_age = duration_option(args.max_snapshot_age, "--max-snapshot-age");
    options.verify = !args.no_verify;
    options.backfill_batch_time = duration_option(args.batch_time, "--batch-time");
    options.resume_command = resume_command(args);
    if (!args.keep_history.empty()) {
        options.keep_history = workflow::ConfiguredRunner{
            .tool = adopt::tool_from_option(args.keep_history, "--keep-history"),
            .schema = args.keep_history_schema,
            .table = args.keep_history_table};
    } else if (!args.keep_history_schema.empty() || !args.keep_history_table.empty()) {
        throw Error("usage-invalid-option",
                    "--keep-history-schema and --keep-history-table need --keep-history TOOL",
                    {.object = "--keep-history"});
    }
    if (isatty(fileno(stderr)) != 0 && !args.json) {
        options.progress = [](const workflow::ApplyEvent& event) {
            std::fprintf(stderr, "%s: %s\n", event.version.padded().c_str(), event.message.c_str());
        };
    }
    auto set = model::load_migration_set(args.dir, load_options_for(args.layout));
    auto report = workflow::apply(resolve_conninfo(args.db), set, options);
    Outcome outcome;
    outcome.exit_code = report.verdict == plan::Verdict::fail ? 1 : 0;
    outcome.report_json = report.to_json();
    outcome.text = render(report, use_color(stdout));
    return outcome;
}

} // namespace

void register_apply(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<ApplyArgs>();
    auto* sub = app.add_subcommand(
        "apply", "Apply the pending migrations: one runner at a time, bounded lock waits, "
                 "phases, resumable backfills");
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--dir", args->dir, "The migration directory (default: ./migrations)");
    add_layout_option(*sub, args->layout);
    sub->add_option("--to", args->to, "Stop after this version");
    sub->add_option("--phase", args->phase,
                    "expand: up to the first contract migration; contract: contract migrations "
                    "only; all (default)");
    sub->add_flag("--dry-run", args->dry_run,
                  "Print what would run (migrations, statements, locks, estimated durations); "
                  "change nothing");
    sub->add_flag("--out-of-order", args->out_of_order,
                  "Apply pending migrations older than the newest applied one");
    sub->add_option("--wait", args->wait,
                    "How long to wait for another runner's lock before exit 3 (default 5m; "
                    "empty or 0 is refused)");
    sub->add_option("--lock-timeout", args->lock_timeout,
                    "lock_timeout of every migration transaction (default 5s; empty or 0, which "
                    "would mean no timeout, is refused)");
    sub->add_option("--statement-timeout", args->statement_timeout,
                    "statement_timeout of every statement (default: none; 0 is none too)");
    sub->add_option("--concurrently-timeout", args->concurrently_timeout,
                    "lock_timeout of CONCURRENTLY statements (default 30m; empty or 0 is "
                    "refused)");
    sub->add_option("--retries", args->retries,
                    "Retries after a lock timeout or deadlock, with jittered backoff (default 3)");
    sub->add_option("--store", args->store,
                    "Snapshot store checked or used before risky migrations");
    sub->add_flag("--snapshot", args->snapshot,
                  "Take a snapshot into --store before the first risky migration (or reuse one "
                  "younger than --max-snapshot-age)");
    sub->add_flag("--no-snapshot", args->no_snapshot,
                  "Apply risky migrations without a snapshot (said in the log)");
    sub->add_option("--max-snapshot-age", args->max_snapshot_age,
                    "How old the snapshot before risky migrations may be (default 24h)");
    sub->add_flag("--no-verify", args->no_verify,
                  "Skip the integrity reports before and after risky migrations");
    sub->add_option("--batch-time", args->batch_time,
                    "Backfill batches adapt their size towards this duration (default 200ms)");
    sub->add_option("--keep-history", args->keep_history,
                    "Live beside another runner (prisma, flyway, golang-migrate, dbmate, rails, "
                    "diesel): hold its lock while applying and write its own history row with "
                    "each migration, so the tool still agrees (docs/adopt.md)");
    sub->add_option("--keep-history-schema", args->keep_history_schema,
                    "The schema of that runner's history table (default: the tool's)");
    sub->add_option("--keep-history-table", args->keep_history_table,
                    "The name of that runner's history table (default: the tool's)");
    sub->add_flag("--json", args->json, "Print the run's report as one JSON document");
    sub->footer(
        "Examples:\n"
        "  migsafe apply --db \"$DATABASE_URL\" --dir db/migrations --dry-run\n"
        "  migsafe apply --dir prisma/migrations --keep-history prisma\n"
        "  migsafe apply --dir db/migrations --phase expand --store /backups --snapshot\n"
        "  migsafe apply --dir db/migrations --phase contract --store /backups\n"
        "Exit codes: 0 applied (or nothing to do), 1 refused (drift, order, no snapshot) or\n"
        "verification failed, 2 bad input, 3 lock not obtained, 4 a migration failed and was\n"
        "rolled back, 5 stopped part-way (the message says how to resume), 130/143 interrupted\n"
        "by SIGINT/SIGTERM, after recording what is unfinished (a second signal ends at once).");
    sub->callback([&selected, args] {
        selected = {.name = "apply",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_apply(*args); }};
    });
}

} // namespace migsafe::cli
