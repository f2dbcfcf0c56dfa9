// migsafe rehearse: every migration applied, rolled back, applied again and interrupted on
// a scratch server, with a report for people, JSON and JUnit XML.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/workflow/rehearse.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace migsafe::cli {
namespace {

struct RehearseArgs {
    std::string db;
    std::string dir = "migrations";
    std::string layout;
    std::string from;
    std::string schema_from;
    int rows = 100;
    std::string data;
    std::string format = "text";
    std::string junit;
    std::string fail_on = "failure";
    bool no_compensation = false;
    bool no_interrupt = false;
    int max_interruptions = 20;
    std::string lock_timeout = "5s";
    bool scratch_confirmed = false;
};

Outcome run_rehearse(const RehearseArgs& args)
{
    workflow::RehearseOptions options{
        .conninfo = args.db,
        .schema_from = args.schema_from,
        .rows = args.rows,
        .data_file = args.data == "sample" ? std::string() : args.data,
        .scratch_confirmed = args.scratch_confirmed,
        .compensation = !args.no_compensation,
        .interrupt = !args.no_interrupt,
        .max_interruptions = args.max_interruptions,
        .fail_on = args.fail_on == "lossy" ? workflow::FailOn::lossy : workflow::FailOn::failure,
        .lock_timeout = parse_bound(args.lock_timeout, "--lock-timeout")};
    if (!args.from.empty()) {
        options.from = model::Version::parse(args.from);
        if (!options.from) {
            throw Error("usage-invalid-option",
                        fmt::format("--from: '{}' is not a version", args.from),
                        {.object = "--from"}, "pass a version that `migsafe status` lists");
        }
    }
    if (isatty(fileno(stderr)) != 0 && args.format == "text") {
        options.progress = [](const workflow::RehearseEvent& event) {
            std::fprintf(stderr, "%s: %s\n", event.version.padded().c_str(), event.message.c_str());
        };
    }
    auto set = model::load_migration_set(args.dir, load_options_for(args.layout));
    const auto report = workflow::rehearse(set, options);
    if (!args.junit.empty()) {
        std::ofstream out(args.junit, std::ios::binary | std::ios::trunc);
        out << report.to_junit();
        if (!out.flush()) {
            throw Error("io-write-failed",
                        fmt::format("{}: could not write the JUnit report", args.junit),
                        {.file = args.junit});
        }
    }
    Outcome outcome;
    outcome.exit_code = report.failed() ? 1 : 0;
    outcome.report_json = report.to_json();
    outcome.text = args.format == "junit" ? report.to_junit() : report.to_text();
    return outcome;
}

} // namespace

void register_rehearse(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<RehearseArgs>();
    auto* sub = app.add_subcommand(
        "rehearse", "Apply, roll back (down file and compensation), apply again and interrupt "
                    "every migration on a scratch server, comparing schema and data");
    sub->add_option("--dir", args->dir, "The migration directory (default: ./migrations)");
    add_layout_option(*sub, args->layout);
    sub->add_option("--db", args->db,
                    "A scratch database to rehearse on (copied; the role needs CREATEDB). "
                    "Default: an ephemeral cluster. DATABASE_URL is never used");
    sub->add_flag("--i-know-this-is-a-scratch-database", args->scratch_confirmed,
                  "--db holds migrations or tables (e.g. a restored copy): rehearse anyway");
    sub->add_option("--from", args->from,
                    "Rehearse from this version on; earlier migrations make the start state");
    sub->add_option("--schema-from", args->schema_from,
                    "Read the start schema from this database (read only) instead of applying "
                    "the migrations before --from");
    sub->add_option("--rows", args->rows, "Rows generated in each empty table (default 100)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--data", args->data,
                    "A SQL file loaded with psql into the start state, or `sample` (the "
                    "default): --rows generated rows per table")
        ->check(CLI::ExistingFile | CLI::IsMember({"sample"}));
    sub->add_option("--format", args->format, "text (default), json or junit")
        ->check(CLI::IsMember({"text", "json", "junit"}));
    sub->add_option("--junit", args->junit, "Also write the JUnit XML report to this file");
    sub->add_option("--fail-on", args->fail_on,
                    "failure (default: failed steps and undeclared data loss) or lossy (every "
                    "lossy rollback too)")
        ->check(CLI::IsMember({"failure", "lossy"}));
    sub->add_flag("--no-compensation", args->no_compensation,
                  "Do not rehearse migsafe's compensation");
    sub->add_flag("--no-interrupt", args->no_interrupt,
                  "Do not interrupt no-transaction files and backfills");
    sub->add_option("--max-interruptions", args->max_interruptions,
                    "At most this many interruption points per migration (default 20)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--lock-timeout", args->lock_timeout,
                    "lock_timeout of every step (default 5s; empty or 0 is refused)");
    sub->footer("Examples:\n"
                "  migsafe rehearse --dir db/migrations\n"
                "  migsafe rehearse --dir db/migrations --from 0040 --junit rehearse.xml\n"
                "  migsafe rehearse --dir db/migrations --db postgresql://ci@scratch/rehearse\n"
                "Exit codes: 0 every step passed, 1 a rollback failed, left another schema or "
                "lost\ndata without saying so (or was lossy, with --fail-on lossy), 2 bad "
                "input, 3 no server\nor program.");
    sub->callback([&selected, args] {
        selected = {.name = "rehearse",
                    .format = args->format == "json" ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_rehearse(*args); }};
    });
}

} // namespace migsafe::cli
