// migsafe compensate: the migration that undoes an applied migration, printed or written.
#include "command.hpp"
#include "layout_option.hpp"

#include <migsafe/compensate/compensate.hpp>
#include <migsafe/model/migration_set.hpp>
#include <migsafe/platform/duration.hpp>
#include <migsafe/platform/error.hpp>
#include <migsafe/workflow/compensate.hpp>

#include <fmt/format.h>

#include <charconv>

namespace migsafe::cli {
namespace {

struct CompensateArgs {
    std::string db;
    std::string dir = "migrations";
    std::string layout;
    std::string version;
    bool json = false;
    bool write = false;
    std::string lock_timeout = "5s";
    std::string concurrently_timeout = "30m";
    std::string archive_schema = "migsafe_archive";
};

model::Version version_argument(const std::string& text)
{
    auto version = model::Version::parse(text);
    if (!version) {
        throw Error("usage-invalid-option", fmt::format("VERSION: '{}' is not a version", text),
                    {.object = "VERSION"},
                    "pass the version of an applied migration, e.g. 7 (or 1.2 for Flyway)");
    }
    return *version;
}

std::string summary(const compensate::Report& report)
{
    std::string first;
    for (const auto& flag : report.switch_off_first) {
        first += fmt::format("-- switch off first: flag {} in {}\n", flag.key, flag.env);
    }
    return first +
           fmt::format("-- {} step(s): {} lossless, {} archived, {} needs-snapshot, {} manual{}\n",
                       report.steps.size(), report.count(compensate::DataSafety::lossless),
                       report.count(compensate::DataSafety::archived),
                       report.count(compensate::DataSafety::needs_snapshot),
                       report.count(compensate::DataSafety::manual),
                       report.complete() ? "" : " (not everything can be undone from the catalog)");
}

Outcome run_compensate(const CompensateArgs& args)
{
    const auto version = version_argument(args.version);
    compensate::Options options{.lock_timeout = parse_bound(args.lock_timeout, "--lock-timeout"),
                                .concurrently_lock_timeout = parse_bound(args.concurrently_timeout,
                                                                         "--concurrently-timeout"),
                                .archive_schema = args.archive_schema};
    if (options.archive_schema.empty()) {
        throw Error("usage-invalid-option", "--archive-schema: the schema name is empty",
                    {.object = "--archive-schema"});
    }
    auto set = model::load_migration_set(args.dir, load_options_for(args.layout));
    auto report = workflow::compensate(resolve_conninfo(args.db), set, version, options);
    Outcome outcome;
    outcome.exit_code = report.complete() ? 0 : 1;
    outcome.report = nlohmann::json::parse(report.to_json());
    outcome.text = summary(report);
    if (args.write) {
        auto written = compensate::write(report, set);
        nlohmann::json files = nlohmann::json::array();
        for (const auto& file : written.files) {
            files.push_back(file.string());
            outcome.text += fmt::format("wrote {}\n", file.string());
        }
        if (written.files.empty()) {
            outcome.text += "nothing to write: no step has SQL\n";
        }
        if (written.sum_rewritten) {
            outcome.text += fmt::format("rewrote {}/migsafe.sum\n", set.directory.string());
        }
        outcome.report["written"] = files;
        return outcome;
    }
    const auto first = report.transactional_sql();
    const auto second = report.no_transaction_sql();
    outcome.text += first;
    if (!second.empty()) {
        outcome.text += fmt::format("{}-- ---- second file (no transaction), run after the "
                                    "first ----\n{}",
                                    first.empty() ? "" : "\n", second);
    }
    return outcome;
}

} // namespace

void register_compensate(CLI::App& app, Selected& selected)
{
    auto args = std::make_shared<CompensateArgs>();
    auto* sub = app.add_subcommand(
        "compensate", "Print (or --write) the migration that undoes an applied migration, "
                      "keeping removed data aside");
    sub->add_option("--db", args->db, "Connection string (else DATABASE_URL, else PG* variables)");
    sub->add_option("--dir", args->dir, "The migration directory (default: ./migrations)");
    add_layout_option(*sub, args->layout);
    sub->add_option("VERSION", args->version, "The applied migration to undo, e.g. 7")->required();
    sub->add_flag("--json", args->json, "Print the compensation report as one JSON document");
    sub->add_flag("--write", args->write,
                  "Add the compensation to --dir as the next version(s) and rewrite migsafe.sum "
                  "if there is one");
    sub->add_option("--lock-timeout", args->lock_timeout,
                    "lock_timeout the compensation sets (default 5s; empty or 0 is refused)");
    sub->add_option("--concurrently-timeout", args->concurrently_timeout,
                    "lock_timeout before its CONCURRENTLY statements (default 30m; empty or 0 is "
                    "refused)");
    sub->add_option("--archive-schema", args->archive_schema,
                    "Where removed data and moved-aside tables go (default migsafe_archive)");
    sub->footer("Examples:\n"
                "  migsafe compensate --db \"$DATABASE_URL\" --dir db/migrations 7\n"
                "  migsafe compensate --dir db/migrations --write 7\n"
                "  migsafe apply --dir db/migrations --store /backups --snapshot\n"
                "Exit codes: 0 every step is lossless or archived, 1 some step needs a snapshot "
                "or a\nperson (still printed), 2 bad input (unknown, not applied or edited "
                "migration), 3 database\nunreachable.");
    sub->callback([&selected, args] {
        selected = {.name = "compensate",
                    .format = args->json ? OutputFormat::json : OutputFormat::text,
                    .body = [args] { return run_compensate(*args); }};
    });
}

} // namespace migsafe::cli
