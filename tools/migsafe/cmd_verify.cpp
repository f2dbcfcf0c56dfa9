// migsafe verify: an integrity report of a database, compared with a saved report or with
// another database.
#include "command.hpp"

#include <migsafe/platform/duration.hpp>
#include <migsafe/workflow/verify.hpp>

#include <fmt/format.h>

#include <unistd.h>

#include <iostream>

namespace migsafe::cli {
namespace {

/// With --baseline --show-rows: at most this many live keys listed per table.
constexpr std::size_t k_max_listed_keys = 1000;

struct VerifyArgs {
    std::string db;
    std::string out;
    std::string baseline;
    std::string against;
    std::vector<std::string> tables;
    std::vector<std::string> exclude;
    std::string lock_timeout = "30s";
    int jobs = 1;
    std::uint64_t range_rows = 65536;
    bool show_rows = false;
    bool amcheck = false;
    bool progress = false;
    bool json = false;
};

/// Progress on stderr, only on a terminal or with --progress.
std::function<void(const integrity::ScanProgress&)> progress_printer(bool forced)
{
    if (!forced && isatty(fileno(stderr)) == 0) {
        return {};
    }
    return [](const integrity::ScanProgress& p) {
        double seconds = std::chrono::duration<double>(p.elapsed).count();
        std::cerr << fmt::format("\rverify: {}/{} tables, {} rows, {:.0f} rows/s   ", p.tables_done,
                                 p.tables_total, p.rows_done,
                                 seconds > 0 ? static_cast<double>(p.rows_done) / seconds : 0.0)
                  << (p.tables_done == p.tables_total ? "\n" : "") << std::flush;
    };
}

Outcome run_verify(const VerifyArgs& args)
{
    workflow::VerifyRequest request{
        .conninfo = resolve_conninfo(args.db),
        .scan = {.tables = args.tables,
                 .exclude = args.exclude,
                 .jobs = args.jobs,
                 .progress = progress_printer(args.progress),
                 .lock_timeout = parse_bound(args.lock_timeout, "--lock-timeout"),
                 .range_rows = args.range_rows},
        .out = args.out,
        .baseline = args.baseline,
        .against = args.against,
        .show_rows = args.show_rows,
        .max_listed_keys = k_max_listed_keys,
        .amcheck = args.amcheck};
    auto result = workflow::verify(request);
    Outcome outcome;
    outcome.exit_code = result.passed() ? 0 : 1;
    outcome.report_json = result.to_json();
    outcome.text = result.to_text();
    return outcome;
}

} // namespace

void register_verify(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<VerifyArgs>();
    auto* sub = app.add_subcommand(
        "verify", "Integrity report of a database (exact row counts, table checksums, "
                  "invalid indexes, unvalidated constraints, sequences), compared with a "
                  "baseline or another database");
    sub->add_option("--db", args->db,
                    "Connection string or URL (default: DATABASE_URL, then the PG* variables)");
    sub->add_option("--out", args->out, "Save the report (JSON) to this file");
    auto* baseline =
        sub->add_option("--baseline", args->baseline, "Compare with a report saved by --out");
    auto* against = sub->add_option("--against", args->against,
                                    "Compare with this second database and localise differences");
    baseline->excludes(against);
    sub->add_option("--tables", args->tables,
                    "Only tables matching this pattern (schema.name, "
                    "* wildcards); repeatable");
    sub->add_option("--exclude", args->exclude, "Skip tables matching this pattern; repeatable");
    sub->add_option("--jobs", args->jobs, "Parallel workers sharing one snapshot (default: 1)")
        ->check(CLI::Range(1, 64));
    sub->add_option("--lock-timeout", args->lock_timeout,
                    "Give up when a table stays locked by another session (a migration) this "
                    "long (default: 30s; must be positive)");
    sub->add_option("--range-rows", args->range_rows,
                    "Range hashes in the report: about one per this many rows of each table "
                    "with a one-column integer key, so that --baseline localises a difference "
                    "(default: 65536; 0: none)");
    sub->add_flag("--show-rows", args->show_rows,
                  "With --against: list the keys of the differing rows; with --baseline: the "
                  "keys the database now holds in each differing key range");
    sub->add_flag("--amcheck", args->amcheck,
                  "Also run pg_amcheck (heap and B-tree checks; needs the amcheck extension)");
    sub->add_flag("--progress", args->progress, "Show progress on stderr even without a terminal");
    sub->add_flag("--json", args->json, "Print the report as one JSON document");
    sub->footer(
        "Examples:\n"
        "  migsafe verify --db postgres:///app --out before.json\n"
        "  migsafe verify --db postgres:///app --baseline before.json   # after a migration\n"
        "  migsafe verify --db postgres:///app --against postgres:///restored --jobs 2");
    sub->callback([&selected, args] {
        selected = {.name = "verify",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_verify(*args); }};
    });
}

} // namespace migsafe::cli
