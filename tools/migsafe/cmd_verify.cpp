// migsafe verify: an integrity report of a database, compared with a saved report or with
// another database.
#include "command.hpp"

#include <migsafe/integrity/amcheck.hpp>
#include <migsafe/integrity/compare.hpp>
#include <migsafe/integrity/diff.hpp>
#include <migsafe/integrity/verify.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/platform/files.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include <filesystem>
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

std::string read_baseline(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec) {
        throw Error("input-not-found", "cannot read the baseline report " + path, {.file = path},
                    "pass a report written by `migsafe verify --out FILE`");
    }
    return platform::read_file(path);
}

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

std::string render_differences(const std::vector<integrity::Difference>& differences)
{
    std::string text;
    for (const auto& d : differences) {
        text += "  " + d.describe() + "\n";
    }
    return text;
}

std::string render_report(const integrity::IntegrityReport& report)
{
    std::string text = fmt::format("{:<48} {:>12}  {}\n", "table", "rows", "checksum");
    for (const auto& t : report.tables) {
        text += fmt::format("{:<48} {:>12}  {}\n", t.qualified_name(), t.checksum.rows,
                            t.checksum.sums_hex());
    }
    return text;
}

Outcome run_verify(const VerifyArgs& args)
{
    integrity::ScanOptions scan{.tables = args.tables,
                                .exclude = args.exclude,
                                .jobs = args.jobs,
                                .progress = progress_printer(args.progress),
                                .lock_timeout = parse_bound(args.lock_timeout, "--lock-timeout"),
                                .range_rows = args.range_rows};
    std::string conninfo = resolve_conninfo(args.db);
    Outcome outcome;
    if (!args.against.empty()) {
        auto comparison = integrity::compare_databases(
            conninfo, args.against,
            {.scan = scan,
             .show_rows = args.show_rows ? integrity::ShowRows::yes : integrity::ShowRows::no});
        outcome.exit_code = comparison.equal() ? 0 : 1;
        outcome.report = nlohmann::json::parse(comparison.to_json());
        outcome.text =
            comparison.equal()
                ? fmt::format("the two databases agree: {} tables\n", comparison.a.tables.size())
                : fmt::format("{} difference(s):\n", comparison.differences.size()) +
                      render_differences(comparison.differences);
        for (const auto& table : comparison.tables) {
            outcome.text += table.to_text();
        }
        return outcome;
    }
    std::optional<integrity::IntegrityReport> baseline;
    if (!args.baseline.empty()) {
        try {
            baseline = integrity::IntegrityReport::from_json(read_baseline(args.baseline));
        } catch (const Error& e) {
            if (!e.context().file.empty()) {
                throw;
            }
            throw Error(e.code(), e.message(), {.file = args.baseline}, e.hint());
        }
    }
    if (baseline) {
        // The same range bounds as the baseline's, so that its range hashes compare.
        scan.range_bounds = integrity::range_bounds_of(*baseline);
    }
    auto report = integrity::scan(conninfo, scan);
    if (!args.out.empty()) {
        platform::write_file_durably(args.out, report.to_json());
    }
    auto differences = baseline ? integrity::diff(*baseline, report) : integrity::problems(report);
    std::vector<integrity::TableLocalisation> localisations;
    if (baseline) {
        localisations = integrity::localise(*baseline, report);
        if (args.show_rows) {
            integrity::add_live_keys(conninfo, localisations, k_max_listed_keys, scan.lock_timeout);
        }
    }
    outcome.exit_code = differences.empty() ? 0 : 1;
    nlohmann::json amcheck_json;
    std::string amcheck_text;
    if (args.amcheck) {
        auto amcheck = integrity::run_amcheck(conninfo);
        amcheck_json = {{"corruption_found", amcheck.corruption_found},
                        {"problems", amcheck.problems}};
        amcheck_text = amcheck.corruption_found
                           ? fmt::format("pg_amcheck found corruption:\n  {}\n",
                                         fmt::join(amcheck.problems, "\n  "))
                           : "pg_amcheck found no corruption\n";
        if (amcheck.corruption_found) {
            outcome.exit_code = 1;
        }
    }
    outcome.report = {
        {"integrity", nlohmann::json::parse(report.to_json())},
        {"differences", nlohmann::json::parse(integrity::differences_to_json(differences))},
        {"baseline", args.baseline.empty() ? nlohmann::json() : nlohmann::json(args.baseline)}};
    outcome.report["amcheck"] = amcheck_json;
    outcome.report["localisations"] =
        nlohmann::json::parse(integrity::localisations_to_json(localisations));
    outcome.text = render_report(report);
    outcome.text += differences.empty()
                        ? (baseline ? "matches the baseline\n" : "no problems found\n")
                        : fmt::format("{} difference(s):\n", differences.size()) +
                              render_differences(differences);
    for (const auto& table : localisations) {
        outcome.text += table.to_text();
    }
    outcome.text += amcheck_text;
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
